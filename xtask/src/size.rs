//! The first-load size gate: what a cold load of `/` transfers, brotli as served.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// Response body bytes on the wire (chunked framing removed) and headers.
pub struct Wire {
    pub status: u16,
    pub content_type: String,
    pub encoding: String,
    pub bytes: usize,
}

/// GET `path` from 127.0.0.1:`port` accepting brotli; the body stays compressed.
pub fn get(port: u16, path: &str) -> Result<Wire> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .context("status line")?;
    let mut content_type = String::new();
    let mut encoding = String::new();
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = v.trim().to_string(),
                "content-encoding" => encoding = v.trim().to_string(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
    }
    let mut body = raw[split + 4..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Wire {
        status,
        content_type,
        encoding,
        bytes: body.len(),
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("chunk size")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Local URLs that `index.html` makes the browser fetch (quoted or not, as
/// the minifier leaves them): `<link href>`, `<script src>`, `<img src>`, and
/// the JS glue and wasm named by Trunk's loader. Plain links (`<a href>`) are
/// not fetched and do not count.
pub fn referenced_urls(html: &str) -> Vec<String> {
    fn value_after<'a>(text: &'a str, attr: &str) -> Option<&'a str> {
        let i = text.find(attr)?;
        let rest = text[i + attr.len()..].trim_start_matches(['"', '\'']);
        let end = rest.find(['"', '\'', '`', ' ', '>']).unwrap_or(rest.len());
        Some(&rest[..end])
    }
    let mut found: Vec<&str> = Vec::new();
    for tag in html.split('<') {
        let tag = tag.split('>').next().unwrap_or("");
        if tag.starts_with("link ") {
            found.extend(value_after(tag, "href="));
        } else if tag.starts_with("script ") || tag.starts_with("img ") {
            found.extend(value_after(tag, "src="));
        }
    }
    for marker in ["module_or_path:`", "from\"", "from'"] {
        let mut rest = html;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i..];
            found.extend(value_after(rest, marker));
            rest = &rest[marker.len()..];
        }
    }
    let mut out: Vec<String> = Vec::new();
    for url in found {
        if url.starts_with('/')
            && !url.starts_with("//")
            && url.len() > 1
            && !out.iter().any(|u| u == url)
        {
            out.push(url.to_string());
        }
    }
    out
}

fn kind(content_type: &str) -> &'static str {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("html") {
        "HTML"
    } else if ct.contains("javascript") {
        "JS"
    } else if ct.contains("wasm") {
        "wasm"
    } else if ct.contains("css") {
        "CSS"
    } else if ct.contains("json") {
        "JSON"
    } else {
        "other"
    }
}

pub fn budget(root: &Path) -> Result<usize> {
    let text =
        std::fs::read_to_string(root.join("perf/budget.toml")).context("perf/budget.toml")?;
    text.lines()
        .filter_map(|l| l.split('#').next())
        .find_map(|l| {
            l.trim()
                .strip_prefix("brotli_bytes")
                .map(|v| v.trim_start_matches([' ', '=']))
        })
        .and_then(|v| v.trim().parse().ok())
        .context("brotli_bytes in perf/budget.toml")
}

/// Measure a cold load of `/` against a portal on `port`; print a table by
/// type; write `target/bench/first-load.json`; fail above the budget.
pub fn gate(root: &Path, port: u16) -> Result<usize> {
    let index = get(port, "/")?;
    if index.status != 200 {
        bail!("GET / answered {}", index.status);
    }
    let html = String::from_utf8_lossy(&std::fs::read(root.join("dist/index.html"))?).to_string();
    let mut rows = vec![(
        "/".to_string(),
        kind(&index.content_type),
        index.encoding.clone(),
        index.bytes,
    )];
    let mut urls = referenced_urls(&html);
    // What the app fetches as it starts (see src/main.rs and src/app.rs).
    urls.push("/config.json".into());
    urls.push("/api/v1/procedures".into());
    for url in urls {
        let w = get(port, &url)?;
        if w.status != 200 {
            bail!("GET {url} answered {}", w.status);
        }
        rows.push((url, kind(&w.content_type), w.encoding, w.bytes));
    }
    let total: usize = rows.iter().map(|r| r.3).sum();
    let limit = budget(root)?;
    println!("    first load of / (wire bytes, brotli as served):");
    for (url, k, enc, n) in &rows {
        println!("      {k:<6} {n:>8}  {enc:<3} {url}");
    }
    println!(
        "      total  {total:>8}  of budget {limit} ({:.0}%)",
        total as f64 * 100.0 / limit as f64
    );
    let mut by_type = std::collections::BTreeMap::new();
    for (_, k, _, n) in &rows {
        *by_type.entry(*k).or_insert(0usize) += n;
    }
    let json = format!(
        "{{\"total\":{total},\"budget\":{limit},\"by_type\":{{{}}},\"files\":[{}]}}",
        by_type
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect::<Vec<_>>()
            .join(","),
        rows.iter()
            .map(|(u, k, e, n)| format!(
                "{{\"url\":\"{u}\",\"type\":\"{k}\",\"encoding\":\"{e}\",\"bytes\":{n}}}"
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("first-load.json"), json)?;
    if rows
        .iter()
        .any(|r| matches!(r.1, "JS" | "wasm") && r.2 != "br")
    {
        bail!("the app's JS or wasm was not served brotli-encoded");
    }
    if total > limit {
        bail!("first load is {total} bytes, over the budget of {limit} in perf/budget.toml");
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_minified_and_quoted_urls() {
        let html = r#"<script type=module>import init from"/a-1.js";await init({module_or_path:`/a-1_bg.wasm`})</script><link href=/s.css rel=stylesheet><link href="/i.svg"><a href="//x.org/y"><a href=/thu-tuc>x</a><link rel=preload href=/a-1_bg.wasm>"#;
        assert_eq!(
            referenced_urls(html),
            vec!["/s.css", "/i.svg", "/a-1_bg.wasm", "/a-1.js"]
        );
    }

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
    }
}
