//! Uploads, drafts, submission and receipts.

use contract::dossier::{FileInfo, Receipt, SubmitRequest};

use super::{send, send_text, FetchError};

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, FetchError> {
    serde_json::from_str(text).map_err(|_| FetchError::Decode)
}

/// Upload one file (a photo as prepared by `photo::prepare`, or a PDF).
pub async fn upload(base: &str, file: &web_sys::Blob, name: &str) -> Result<FileInfo, FetchError> {
    let name = String::from(js_sys::encode_uri_component(name));
    let body: &wasm_bindgen::JsValue = file.as_ref();
    decode(
        &send(
            "POST",
            base,
            "/files",
            Some(body.clone()),
            &[("x-file-name", &name)],
        )
        .await?,
    )
}

/// Keep the draft on the server (`data`: the wizard's JSON).
pub async fn save_draft(
    base: &str,
    id: &str,
    procedure: &str,
    data: &str,
) -> Result<(), FetchError> {
    let body = format!(
        r#"{{"procedure":{},"data":{data}}}"#,
        serde_json::Value::from(procedure)
    );
    send_text("PUT", base, &format!("/drafts/{id}"), Some(body)).await?;
    Ok(())
}

/// Submit once: the key makes a retry return the first receipt.
pub async fn submit(base: &str, req: &SubmitRequest, key: &str) -> Result<Receipt, FetchError> {
    let body = serde_json::to_string(req).map_err(|_| FetchError::Decode)?;
    decode(
        &send(
            "POST",
            base,
            "/dossiers",
            Some(body.into()),
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
        )
        .await?,
    )
}

pub async fn receipt(base: &str, code: &str, token: &str) -> Result<Receipt, FetchError> {
    let token = String::from(js_sys::encode_uri_component(token));
    super::get_json(base, &format!("/dossiers/{code}/receipt?token={token}")).await
}

/// A draft kept on the server (its data only when asked for one).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct ServerDraft {
    pub id: String,
    pub procedure: String,
    #[serde(default)]
    pub data: serde_json::Value,
    pub updated_at: i64,
}

/// The signed-in citizen's drafts, newest first.
pub async fn drafts(base: &str) -> Result<Vec<ServerDraft>, FetchError> {
    super::get_json(base, "/drafts").await
}

pub async fn draft(base: &str, id: &str) -> Result<ServerDraft, FetchError> {
    super::get_json(base, &format!("/drafts/{id}")).await
}
