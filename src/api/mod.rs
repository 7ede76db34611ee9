//! Typed client of the portal's API: one error type, one generic GET, one
//! module per resource.

pub mod catalog;

use contract::error::ApiError;
use serde::de::DeserializeOwned;

/// What can go wrong talking to the portal, in terms the page can explain.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// No answer: offline, DNS, dropped connection.
    Network,
    /// The portal answered with an error in the contract's shape.
    Api { status: u16, error: ApiError },
    /// The answer could not be read.
    Decode,
}

impl FetchError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::Api { status: 404, .. })
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Network => write!(f, "network"),
            FetchError::Api { status, error } => write!(f, "{status}: {}", error.error.message),
            FetchError::Decode => write!(f, "decode"),
        }
    }
}

impl std::error::Error for FetchError {}

/// An answer's JSON, or `Decode` when it is not what was expected.
pub(crate) fn decode<T: DeserializeOwned>(text: &str) -> Result<T, FetchError> {
    crate::json::parse(text).ok_or(FetchError::Decode)
}

/// A refusal with its answer's text: the portal's error body, or one that
/// names the HTTP status when the answer has none (a proxy's page, say).
pub(crate) fn refused(status: u16, text: &str) -> FetchError {
    let error = crate::json::parse::<ApiError>(text)
        .unwrap_or_else(|| ApiError::new("http", format!("HTTP {status}")));
    FetchError::Api { status, error }
}

/// A request body as JSON.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Option<String> {
    crate::json::to_string(v)
}

/// GET `base + path` and decode JSON (cookies included: same-origin session).
pub async fn get_json<T: DeserializeOwned>(base: &str, path: &str) -> Result<T, FetchError> {
    decode(&get_text(base, path).await?)
}

/// How long a reading request may take before it counts as a dropped
/// connection (a stalled mobile network must not leave a page waiting).
const READ_DEADLINE_MS: u64 = 15_000;
/// The same for requests that change something (submitting may take longer).
const WRITE_DEADLINE_MS: u64 = 25_000;

/// Aborts a request when its time is up; dropped (cleared) when it ends.
struct Deadline {
    controller: Option<web_sys::AbortController>,
    timer: Option<leptos::prelude::TimeoutHandle>,
}

impl Deadline {
    fn new(ms: u64) -> Deadline {
        let controller = web_sys::AbortController::new().ok();
        let timer = controller.clone().and_then(|c| {
            leptos::prelude::set_timeout_with_handle(
                move || c.abort(),
                std::time::Duration::from_millis(ms),
            )
            .ok()
        });
        Deadline { controller, timer }
    }
    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(t) = self.timer.take() {
            t.clear();
        }
    }
}

/// GET `base + path`; the body as text (to keep a copy for offline use).
pub async fn get_text(base: &str, path: &str) -> Result<String, FetchError> {
    let url = format!("{base}{path}");
    let deadline = Deadline::new(READ_DEADLINE_MS);
    let res = gloo_net::http::Request::get(&url)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .abort_signal(deadline.signal().as_ref())
        .send()
        .await
        .map_err(|_| FetchError::Network)?;
    if !res.ok() {
        let status = res.status();
        return Err(refused(status, &res.text().await.unwrap_or_default()));
    }
    let text = res.text().await.map_err(|_| FetchError::Network);
    // What the answer draws is drawn in a task of its own: an answer
    // already here (preloaded by index.html) would otherwise be drawn in
    // the same task as the page around it, one long task on a cheap phone.
    crate::timing::yield_now().await;
    text
}

pub mod account;
pub mod dossier;
pub mod stats;
pub mod tracking;

/// Send `body` (JSON) with `method` to `base + path`, with the header the
/// portal requires on every state-changing request; the answer as text
/// (empty for 204).
pub async fn send_text(
    method: &str,
    base: &str,
    path: &str,
    body: Option<String>,
) -> Result<String, FetchError> {
    send(
        method,
        base,
        path,
        body.map(wasm_bindgen::JsValue::from),
        &[("Content-Type", "application/json")],
    )
    .await
}

/// As `send_text`, with any body (a file, say) and more headers.
pub async fn send(
    method: &str,
    base: &str,
    path: &str,
    body: Option<wasm_bindgen::JsValue>,
    headers: &[(&str, &str)],
) -> Result<String, FetchError> {
    use gloo_net::http::{Method, RequestBuilder};
    let method = match method {
        "POST" => Method::POST,
        "PATCH" => Method::PATCH,
        "PUT" => Method::PUT,
        _ => Method::DELETE,
    };
    let deadline = Deadline::new(WRITE_DEADLINE_MS);
    let mut req = RequestBuilder::new(&format!("{base}{path}"))
        .abort_signal(deadline.signal().as_ref())
        .method(method)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header(contract::account::CSRF_HEADER, "1")
        .header("Accept", "application/json");
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let req = match body {
        Some(b) => req.body(b),
        None => req.build(),
    }
    .map_err(|_| FetchError::Decode)?;
    let res = req.send().await.map_err(|_| FetchError::Network)?;
    let status = res.status();
    let text = res.text().await.map_err(|_| FetchError::Network)?;
    if !res.ok() {
        return Err(refused(status, &text));
    }
    Ok(text)
}
