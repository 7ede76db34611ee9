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
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("no header end")?;
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
    Ok(Wire { status, content_type, encoding, bytes: body.len() })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").context("chunk size")?;
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
    budget_of(root, "brotli_bytes")
}

/// A number of `perf/budget.toml` (`key = N`), read here only: the e2e
/// test of every way in is given them by the test plan (`E2E_BUDGET_*`).
pub fn budget_of(root: &Path, key: &str) -> Result<usize> {
    let text =
        std::fs::read_to_string(root.join("perf/budget.toml")).context("perf/budget.toml")?;
    parse_key(&text, key)
}

fn parse_key(text: &str, key: &str) -> Result<usize> {
    text.lines()
        .filter_map(|l| l.split('#').next())
        .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim_start_matches([' ', '='])))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("{key} in perf/budget.toml"))
}

/// One response of the first load.
pub struct Row {
    pub url: String,
    pub kind: &'static str,
    pub encoding: String,
    pub bytes: usize,
}

/// What a cold load of `/` transfers from a portal on `port`, given the
/// `index.html` it serves: the page, what it references, and what the app
/// fetches as it starts (see src/main.rs and src/shell/app.rs).
pub fn first_load(port: u16, html: &str) -> Result<Vec<Row>> {
    let mut urls = vec!["/".to_string()];
    urls.extend(referenced_urls(html));
    for api in ["/config.json", "/api/v1/procedures/popular", "/api/v1/session"] {
        // Preloaded by index.html or not, each is fetched once.
        if !urls.iter().any(|u| u == api) {
            urls.push(api.into());
        }
    }
    let mut rows = Vec::new();
    for url in urls {
        let w = get(port, &url)?;
        if w.status != 200 {
            bail!("GET {url} answered {}", w.status);
        }
        rows.push(Row { url, kind: kind(&w.content_type), encoding: w.encoding, bytes: w.bytes });
    }
    Ok(rows)
}

/// The gate: JS and wasm must be served brotli, and the total must fit the budget.
pub fn check(rows: &[Row], limit: usize) -> Result<usize> {
    if let Some(r) = rows.iter().find(|r| matches!(r.kind, "JS" | "wasm") && r.encoding != "br") {
        bail!("{} was not served brotli-encoded", r.url);
    }
    let total: usize = rows.iter().map(|r| r.bytes).sum();
    if total > limit {
        bail!("first load is {total} bytes, over the budget of {limit} in perf/budget.toml");
    }
    Ok(total)
}

/// `{"total":…,"budget":…,"by_type":{…},"files":[…]}`
pub fn to_json(rows: &[Row], limit: usize) -> String {
    let total: usize = rows.iter().map(|r| r.bytes).sum();
    let mut by_type = std::collections::BTreeMap::new();
    for r in rows {
        *by_type.entry(r.kind).or_insert(0usize) += r.bytes;
    }
    format!(
        "{{\"total\":{total},\"budget\":{limit},\"by_type\":{{{}}},\"files\":[{}]}}",
        by_type.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(","),
        rows.iter()
            .map(|r| format!(
                "{{\"url\":\"{}\",\"type\":\"{}\",\"encoding\":\"{}\",\"bytes\":{}}}",
                r.url, r.kind, r.encoding, r.bytes
            ))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// Measure a cold load of `/` against a portal on `port`; print a table by
/// type; write `target/bench/first-load.json`; fail above the budget.
/// Returns the JSON written.
pub fn gate(root: &Path, port: u16) -> Result<String> {
    let html = String::from_utf8_lossy(&std::fs::read(root.join("dist/index.html"))?).to_string();
    let rows = first_load(port, &html)?;
    let limit = budget(root)?;
    let total: usize = rows.iter().map(|r| r.bytes).sum();
    println!("    first load of / (wire bytes, brotli as served):");
    for r in &rows {
        println!("      {:<6} {:>8}  {:<3} {}", r.kind, r.bytes, r.encoding, r.url);
    }
    println!(
        "      total  {total:>8}  of budget {limit} ({:.1}%)",
        total as f64 * 100.0 / limit as f64
    );
    let json = to_json(&rows, limit);
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("first-load.json"), &json)?;
    check(&rows, limit)?;
    bundles(root, port, limit)?;
    Ok(json)
}

/// Each services bundle's wasm as served (`dist/services_*_bg.wasm`): what
/// a journey's first page costs beyond the shell, held to the same budget
/// (issue 19). Printed; fails when one is over or not served brotli.
pub fn bundles(root: &Path, port: u16, limit: usize) -> Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("dist"))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("services_") && n.ends_with("_bg.wasm"))
        .collect();
    names.sort();
    if names.is_empty() {
        bail!("no services bundle in dist/");
    }
    println!("    services bundles (wasm, wire bytes as served; each within {limit}):");
    let mut out = Vec::new();
    for name in names {
        let w = get(port, &format!("/{name}"))?;
        println!("      {:>8}  {:<3} {name}", w.bytes, w.encoding);
        if w.status != 200 || w.encoding != "br" {
            bail!("/{name} answered {} with encoding {:?}", w.status, w.encoding);
        }
        out.push((name, w.bytes));
    }
    if let Some((name, bytes)) = out.iter().find(|(_, b)| *b > limit) {
        bail!("{name} is {bytes} bytes, over the budget of {limit} in perf/budget.toml");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_minified_and_quoted_urls() {
        let html = r#"<script type=module>import init from"/a-1.js";await init({module_or_path:`/a-1_bg.wasm`})</script><link href=/s.css rel=stylesheet><link href="/i.svg"><a href="//x.org/y"><a href=/thu-tuc>x</a><link rel=preload href=/a-1_bg.wasm>"#;
        assert_eq!(referenced_urls(html), vec!["/s.css", "/i.svg", "/a-1_bg.wasm", "/a-1.js"]);
    }

    /// A tiny HTTP server answering each path with a fixed body, encoding and type.
    fn serve(files: Vec<(&'static str, &'static str, &'static str, usize)>) -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let mut req = String::new();
                let mut buf = [0u8; 1024];
                while !req.contains("\r\n\r\n") {
                    match s.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.push_str(&String::from_utf8_lossy(&buf[..n])),
                    }
                }
                let path = req.split_whitespace().nth(1).unwrap_or("").to_string();
                let found = files.iter().find(|f| f.0 == path);
                let _ = match found {

                    Some((_, ct, enc, len)) => write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Encoding: {enc}\r\nContent-Length: {len}\r\n\r\n{}",
                        "x".repeat(*len)
                    ),
                    None => write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
                };
                let _ = s.shutdown(std::net::Shutdown::Write);
            }
        });
        port
    }

    const HTML: &str = r#"<link href=/s.css rel=stylesheet><script type=module>import init from"/a.js";await init({module_or_path:`/a_bg.wasm`})</script>"#;

    fn site(wasm_bytes: usize, wasm_encoding: &'static str) -> u16 {
        serve(vec![
            ("/", "text/html", "br", 900),
            ("/s.css", "text/css", "br", 1500),
            ("/a.js", "text/javascript", "br", 6000),
            ("/a_bg.wasm", "application/wasm", wasm_encoding, wasm_bytes),
            ("/config.json", "application/json", "br", 100),
            ("/api/v1/procedures/popular", "application/json", "br", 3000),
            ("/api/v1/session", "application/json", "br", 100),
        ])
    }

    /// The gate itself: a build that grows past the budget fails it, one
    /// that fits passes, and an uncompressed wasm fails whatever its size.
    #[test]
    fn gate_fails_over_budget_and_passes_within() {
        let limit =
            parse_key("[first_load]\nbrotli_bytes = 204800   # 200 KiB\n", "brotli_bytes").unwrap();
        assert_eq!(limit, 204_800);

        let rows = first_load(site(190_000, "br"), HTML).unwrap();
        assert_eq!(rows.len(), 7);
        assert_eq!(check(&rows, limit).unwrap(), 201_600);

        let rows = first_load(site(200_000, "br"), HTML).unwrap();
        let err = check(&rows, limit).unwrap_err().to_string();
        assert!(err.contains("211600 bytes, over the budget of 204800"), "{err}");

        let rows = first_load(site(10_000, "identity"), HTML).unwrap();
        let err = check(&rows, limit).unwrap_err().to_string();
        assert!(err.contains("/a_bg.wasm was not served brotli"), "{err}");

        // A referenced file that is missing fails the measurement.
        let port = serve(vec![("/", "text/html", "br", 10)]);
        assert!(first_load(port, HTML).is_err());

        let json = to_json(&first_load(site(100, "br"), HTML).unwrap(), limit);
        assert!(json.starts_with("{\"total\":11700,\"budget\":204800,"), "{json}");
    }

    #[test]
    fn dechunks() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x\r\nde\r\n0\r\n\r\n").unwrap(), b"abcde");
    }
}
