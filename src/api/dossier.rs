//! Uploads, drafts, submission and receipts.

use contract::dossier::{FileInfo, Receipt, SubmitRequest};

use super::{decode, send, send_text, FetchError};

/// Upload one file (a photo as prepared by `photo::prepare`, or a PDF).
pub async fn upload(base: &str, file: &web_sys::Blob, name: &str) -> Result<FileInfo, FetchError> {
    let name = crate::router::percent_encode(name);
    let body: &wasm_bindgen::JsValue = file.as_ref();
    decode(&send("POST", base, "/files", Some(body.clone()), &[("x-file-name", &name)]).await?)
}

/// Keep the draft on the server (`data`: the wizard's JSON).
pub async fn save_draft(
    base: &str,
    id: &str,
    procedure: &str,
    data: &str,
) -> Result<(), FetchError> {
    let procedure = crate::json::to_string(procedure).ok_or(FetchError::Decode)?;
    let body = format!(r#"{{"procedure":{procedure},"data":{data}}}"#);
    send_text("PUT", base, &format!("/drafts/{id}"), Some(body)).await?;
    Ok(())
}

/// Submit once: the key makes a retry return the first receipt.
pub async fn submit(base: &str, req: &SubmitRequest, key: &str) -> Result<Receipt, FetchError> {
    let body = crate::json::to_string(req).ok_or(FetchError::Decode)?;
    decode(&submit_json(base, &body, key).await?)
}

/// As `submit`, with the request already JSON (the outbox sends it as
/// kept); the answer's text.
pub async fn submit_json(base: &str, body: &str, key: &str) -> Result<String, FetchError> {
    let headers = [("Content-Type", "application/json"), ("Idempotency-Key", key)];
    send("POST", base, "/dossiers", Some(body.into()), &headers).await
}

pub async fn receipt(base: &str, code: &str, token: &str) -> Result<Receipt, FetchError> {
    let token = crate::router::percent_encode(token);
    super::get_json(base, &format!("/dossiers/{code}/receipt?token={token}")).await
}

/// Of a draft kept on the server (`contract::dossier::Draft`), what a list
/// needs; `data` is read only by `draft`, into the app's own type.
#[derive(serde::Deserialize)]
pub struct ServerDraft {
    pub id: String,
    pub procedure: String,
}

/// The signed-in citizen's drafts, newest first.
pub async fn drafts(base: &str) -> Result<Vec<ServerDraft>, FetchError> {
    super::get_json(base, "/drafts").await
}

/// One kept draft's data, as the app wrote it (`save_draft`).
pub async fn draft<T: serde::de::DeserializeOwned>(base: &str, id: &str) -> Result<T, FetchError> {
    #[derive(serde::Deserialize)]
    struct Held<T> {
        data: T,
    }
    let held: Held<T> = super::get_json(base, &format!("/drafts/{id}")).await?;
    Ok(held.data)
}

/// As `upload`, reporting progress (0.0–1.0) as the bytes go out; uses
/// XMLHttpRequest because `fetch` cannot tell upload progress.
pub async fn upload_with_progress(
    base: &str,
    file: &web_sys::Blob,
    name: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<FileInfo, FetchError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| FetchError::Network)?;
    xhr.open("POST", &format!("{base}/files")).map_err(|_| FetchError::Network)?;
    let name = crate::router::percent_encode(name);
    let _ = xhr.set_request_header(contract::account::CSRF_HEADER, "1");
    let _ = xhr.set_request_header("x-file-name", &name);
    let _ = xhr.set_request_header("Accept", "application/json");
    // A stalled upload counts as a dropped connection (and is retried).
    xhr.set_timeout(120_000);
    let progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onload(Some(ok.unchecked_ref()));
        xhr.set_onerror(Some(fail.unchecked_ref()));
        xhr.set_onabort(Some(fail.unchecked_ref()));
        xhr.set_ontimeout(Some(fail.unchecked_ref()));
    });
    xhr.send_with_opt_blob(Some(file)).map_err(|_| FetchError::Network)?;
    let sent = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    if sent.is_err() {
        return Err(FetchError::Network);
    }
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(super::refused(status, &text));
    }
    decode(&text)
}
