//! The app's release build: Trunk, then what Trunk does not do — the JS
//! snippets stripped, their integrity hashed again, the service worker
//! written with this build's assets, everything precompressed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::{run_cmd, setup, step};

/// Where the app's wasm is built (Trunk's cargo, and `cargo xtask run`
/// beside the tool installs).
pub fn app_target(root: &Path) -> std::path::PathBuf {
    root.join("target/app")
}

/// Build the release app with Trunk into `dist/`, then precompress it.
pub fn dist(root: &Path) -> Result<()> {
    step("building the app (release, wasm-opt -Oz) with Trunk");
    let started = Instant::now();
    // The app's wasm builds in a folder of its own, so it can build beside
    // the portal (`cargo xtask run`) without either waiting for the other.
    let mut trunk = Command::new(setup::tools_bin(root).join("trunk"));
    trunk.args(["build", "--release"]).env("CARGO_TARGET_DIR", app_target(root));
    run_cmd(&mut trunk)?;
    strip_snippets(&root.join("dist/snippets"))?;
    fix_integrity(&root.join("dist"))?;
    service_worker(root)?;
    precompress(&root.join("dist"))?;
    println!("    app built in {:.0?}", started.elapsed());
    Ok(())
}

/// Trunk copies the app's own JS modules (`js/`, as wasm-bindgen snippets)
/// as written. They are part of every first load, so their comment lines
/// and indentation go (lines stay lines: no statement can merge).
fn strip_snippets(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for e in std::fs::read_dir(dir)? {
        let path = e?.path();
        if path.is_dir() {
            strip_snippets(&path)?;
        } else if path.extension().is_some_and(|x| x == "js") {
            let text = std::fs::read_to_string(&path)?;
            std::fs::write(&path, strip_js(&text))?;
        }
    }
    Ok(())
}

fn strip_js(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Trunk builds the three wasm targets of one crate and each writes the
/// crate's JS snippets to the same place: the last writer wins, and it may
/// not be the minified copy whose hash index.html carries (the browser then
/// refuses the file and the app never starts). Hash what is on disk.
fn fix_integrity(dist: &Path) -> Result<()> {
    use base64::Engine;
    use sha2::Digest;
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path)?;
    let mut out = String::with_capacity(html.len());
    let mut fixed = 0;
    for (n, part) in html.split(" integrity=sha384-").enumerate() {
        if n == 0 {
            out.push_str(part);
            continue;
        }
        // The tag so far (in `out`) names the file: its last `href=`.
        let tag = &out[out.rfind('<').unwrap_or(0)..];
        let href = tag.rsplit("href=").next().unwrap_or("");
        let href = href.split([' ', '>']).next().unwrap_or("").trim_matches('"');
        let end = part.find([' ', '>']).unwrap_or(part.len());
        let bytes = std::fs::read(dist.join(href.trim_start_matches('/')))?;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes));
        if hash != part[..end] {
            println!("    integrity of {href} re-hashed (a later build step rewrote it)");
            fixed += 1;
        }
        out.push_str(" integrity=sha384-");
        out.push_str(&hash);
        out.push_str(&part[end..]);
    }
    if fixed > 0 {
        std::fs::write(&path, out)?;
    }
    Ok(())
}

/// Write `dist/sw.js` from `js/sw.template.js`: this build's assets (what
/// Trunk wrote, but the QR decoder's wasm, which only the scan page
/// fetches, and only in browsers without BarcodeDetector, and the style
/// and script of the portal's printable forms, which need the portal) and a
/// version that changes whenever any of them does, so a new build is a new
/// service worker, announced by the app.
fn service_worker(root: &Path) -> Result<()> {
    let dist = root.join("dist");
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            if e.path().is_dir() {
                walk(&e.path(), &format!("{rel}/"), out)?;
            } else if !name.starts_with('.')
                && rel != "scanner.js"
                && rel != "scanner_bg.wasm"
                && rel != "sw.js"
                && !name.starts_with("print-form.")
                && !name.ends_with(".br")
                && !name.ends_with(".gz")
            {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut names = Vec::new();
    walk(&dist, "", &mut names)?;
    names.sort();
    // FNV-1a over names and contents: a version, not a security measure.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for n in &names {
        for b in n.bytes().chain(std::fs::read(dist.join(n))?) {
            hash ^= b as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // The services bundle (and its styles) and search are cached when first used, not
    // at install: a first visit costs what its page costs. The home-screen
    // icons are the browser's to fetch when the app is installed; offline,
    // every page is `/index.html` (the worker's navigation fallback).
    let later = |n: &&String| {
        ["services.", "services_", "search.", "search_bg."].iter().any(|p| n.starts_with(p))
    };
    let icon = |n: &&String| n.starts_with("icon-") && n.ends_with(".png");
    let assets: Vec<String> =
        names.iter().filter(|n| !later(n) && !icon(n)).map(|n| format!("/{n}")).collect();
    let on_use: Vec<String> = names.iter().filter(later).map(|n| format!("/{n}")).collect();
    let template = std::fs::read_to_string(root.join("js/sw.template.js"))?;
    let sw = template
        .replace("__VERSION__", &format!("{hash:016x}"))
        .replace("__ASSETS__", &serde_json::to_string(&assets)?)
        .replace("__LATER__", &serde_json::to_string(&on_use)?);
    std::fs::write(dist.join("sw.js"), sw)?;
    println!(
        "    service worker: {} assets at install, {} when first used, version {hash:016x}",
        assets.len(),
        on_use.len()
    );
    Ok(())
}

/// Write `.br` (quality 11) and `.gz` (level 9) beside each compressible file.
/// `config.json` is left alone: deployments edit it in place.
fn precompress(dir: &Path) -> Result<()> {
    use std::io::Write;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if name == "config.json"
            || !matches!(ext, "html" | "js" | "wasm" | "css" | "svg" | "json" | "webmanifest")
        {
            continue;
        }
        let data = std::fs::read(&path)?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(&data)?;
        }
        std::fs::write(path.with_file_name(format!("{name}.br")), &br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&data)?;
        std::fs::write(path.with_file_name(format!("{name}.gz")), gz.finish()?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_lose_comment_lines_and_indentation_only() {
        let js = "// about\nexport function f(a) {\n  // why\n  const u = 'http://x/y'; // kept\n\n  return a;\n}\n";
        assert_eq!(
            super::strip_js(js),
            "export function f(a) {\nconst u = 'http://x/y'; // kept\nreturn a;\n}\n"
        );
    }

    #[test]
    fn integrity_follows_the_file_on_disk() {
        let dir = std::env::temp_dir().join(format!("xtask-sri-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("js")).unwrap();
        std::fs::write(dir.join("js/a.js"), "export{}").unwrap();
        let stale = "<link crossorigin href=/js/a.js integrity=sha384-stale rel=modulepreload>";
        std::fs::write(dir.join("index.html"), format!("<head>{stale}</head>")).unwrap();
        super::fix_integrity(&dir).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        // sha384("export{}"), base64.
        let want =
            "integrity=sha384-T9wtfzHBAEG71Fa/wFmFXCrNCLZJB/nESrYm41otTxLB9m9XX4ftBy7LK/VKEMIL ";
        assert!(html.contains(want) && html.ends_with("rel=modulepreload></head>"), "{html}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
