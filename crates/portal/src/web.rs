//! Serving the built app: static files, SPA fallback, security and cache headers.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The built app and the Content-Security-Policy that fits it. The policy
/// follows `index.html`: a rebuild while the portal runs changes the loader's
/// hash, so it is recomputed whenever the file's modification time changes.
#[derive(Clone)]
pub struct Site {
    dist: PathBuf,
    /// Send Strict-Transport-Security (`--hsts`).
    pub hsts: bool,
    csp: Arc<RwLock<(Option<SystemTime>, HeaderValue)>>,
}

impl Site {
    pub fn new(dist: &Path) -> Site {
        let site = Site {
            dist: dist.to_path_buf(),
            hsts: false,
            csp: Arc::new(RwLock::new((None, HeaderValue::from_static("default-src 'self'")))),
        };
        if site.index_mtime().is_none() {
            tracing::warn!(dist = %dist.display(), "no index.html: the app is not built; only the API is served");
        }
        site.refresh();
        site
    }

    fn index_mtime(&self) -> Option<SystemTime> {
        std::fs::metadata(self.dist.join("index.html")).and_then(|m| m.modified()).ok()
    }

    fn refresh(&self) -> HeaderValue {
        let mtime = self.index_mtime();
        let index = std::fs::read_to_string(self.dist.join("index.html")).unwrap_or_default();
        let value = HeaderValue::from_str(&csp_for(&index)).expect("CSP is ASCII");
        *self.csp.write().unwrap_or_else(|p| p.into_inner()) = (mtime, value.clone());
        value
    }

    /// The policy for the current `index.html`.
    pub fn csp(&self) -> HeaderValue {
        let mtime = self.index_mtime();
        {
            let cached = self.csp.read().unwrap_or_else(|p| p.into_inner());
            if cached.0 == mtime {
                return cached.1.clone();
            }
        }
        self.refresh()
    }
}

/// Hashes (`'sha256-…'`) of every inline `<script>` in `html`: Trunk's loader
/// is one. Allowing exactly these keeps `script-src` free of `unsafe-inline`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    out
}

pub fn csp_for(index_html: &str) -> String {
    let hashes = inline_script_hashes(index_html).join(" ");
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{sep}{hashes}; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self' blob:; media-src 'self' blob:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
         report-uri /api/v1/csp-reports",
        sep = if hashes.is_empty() { "" } else { " " }
    )
}

/// Trunk names built assets `name-<hex hash>.ext`: those never change and are cached forever.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            (12..=20).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// Whether a missing path names a static file (a real 404) rather than an
/// app route: app routes may contain dots, e.g. `/thu-tuc/1.001193`.
pub fn looks_like_file(last_segment: &str) -> bool {
    const EXTS: &[&str] = &[
        "js",
        "wasm",
        "css",
        "html",
        "json",
        "svg",
        "png",
        "jpg",
        "jpeg",
        "ico",
        "webp",
        "txt",
        "map",
        "webmanifest",
        "br",
        "gz",
        "xml",
        "woff2",
    ];
    last_segment
        .rsplit_once('.')
        .is_some_and(|(_, ext)| EXTS.contains(&ext.to_ascii_lowercase().as_str()))
}

impl Site {
    /// The built app's `index.html`, if there is one.
    pub async fn index_html(&self) -> Option<String> {
        tokio::fs::read_to_string(self.dist.join("index.html")).await.ok()
    }
}

/// What an app route answers when the app is not built.
pub fn no_app() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

/// A file of the built app, precompressed when the client accepts it.
async fn file(site: &Site, req: Request) -> Response {
    ServeDir::new(&site.dist)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(req)
        .await
        .map(IntoResponse::into_response)
        .unwrap_or_else(|e| match e {})
}

/// Static files; app routes (no file extension) get `index.html`.
pub async fn serve(State(site): State<Site>, req: Request) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = req.uri().path().to_string();
    let last = path.rsplit('/').next().unwrap_or("");
    let accept = req.headers().get(header::ACCEPT_ENCODING).cloned();
    let res = file(&site, req).await;
    if res.status() != StatusCode::NOT_FOUND || looks_like_file(last) {
        return res;
    }
    // An app route: `index.html`, as `/` gets it (its brotli made at build
    // time is smaller than one made per request).
    let mut index = Request::get("/index.html");
    if let Some(accept) = accept {
        index = index.header(header::ACCEPT_ENCODING, accept);
    }
    let Ok(index) = index.body(Body::empty()) else { return no_app() };
    let res = file(&site, index).await;
    if res.status() == StatusCode::OK {
        res
    } else {
        no_app()
    }
}

/// Security headers on every response; cache policy by kind of path.
pub async fn headers(State(site): State<Site>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, site.csp());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=()"),
    );
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if site.hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        let policy = if path.starts_with("/api/") {
            "no-store"
        } else if is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script><script>
</script>"#;
        let h = inline_script_hashes(html);
        assert_eq!(h.len(), 1);
        assert!(h[0].starts_with("'sha256-"));
        let csp = csp_for(html);
        assert!(csp.contains(&h[0]));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
    }

    #[test]
    fn app_routes_with_dots_are_not_files() {
        assert!(!looks_like_file("1.001193"));
        assert!(!looks_like_file("thu-tuc"));
        assert!(looks_like_file("motcua-abc_bg.wasm"));
        assert!(looks_like_file("missing.js"));
    }

    #[test]
    fn policy_follows_a_rebuilt_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<script>one()</script>").unwrap();
        let site = Site::new(dir.path());
        let first = site.csp();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("index.html"), "<script>two()</script>").unwrap();
        let f = std::fs::File::options().append(true).open(dir.path().join("index.html")).unwrap();
        f.set_modified(SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
        let second = site.csp();
        assert_ne!(first, second);
        assert_eq!(second, HeaderValue::from_str(&csp_for("<script>two()</script>")).unwrap());
    }

    #[test]
    fn hashed_assets() {
        let hashed = [
            "/motcua-1a2b3c4d5e6f7a8b_bg.wasm",
            "/motcua-1a2b3c4d5e6f7a8b.js",
            "/style-0123456789abcdef.css",
            // Trunk drops leading zeros of the hash.
            "/motcua-99302001edb5270_bg.wasm",
        ];
        for path in hashed {
            assert!(is_hashed_asset(path), "{path}");
        }
        for path in ["/config.json", "/index.html", "/thu-tuc/1.001193"] {
            assert!(!is_hashed_asset(path), "{path}");
        }
    }
}
