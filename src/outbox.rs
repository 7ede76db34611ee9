//! Submissions made while the portal cannot be reached wait here
//! (`localStorage`, one entry per draft) and are sent when it answers again:
//! on start of the services pages, when the browser says it is back online,
//! and every 20 s while something waits. Each carries its draft's
//! `Idempotency-Key`, so however often it is sent, one dossier is filed.

use contract::dossier::{Receipt, SubmitRequest};
use serde::{Deserialize, Serialize};

use crate::api::{self, FetchError};

pub const PREFIX: &str = crate::storage::OUTBOX;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub key: String,
    pub procedure: String,
    pub procedure_name: String,
    pub request: SubmitRequest,
}

use crate::storage::local as storage;

pub fn put(w: &Waiting) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(w)) {
        let _ = s.set_item(&format!("{PREFIX}{}", w.key), &json);
    }
}

pub fn list() -> Vec<Waiting> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| s.get_item(&k).ok().flatten())
        .filter_map(|v| serde_json::from_str(&v).ok())
        .collect()
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// What happened to one waiting submission.
pub enum Sent {
    Filed(Waiting, Box<Receipt>),
    /// The portal refused it: it leaves the outbox (the wizard's draft
    /// keeps everything, and submitting there again says why).
    Refused(Waiting, FetchError),
}

/// Send everything waiting, until the network fails again.
pub async fn flush(base: &str) -> Vec<Sent> {
    let mut out = Vec::new();
    for w in list() {
        match api::dossier::submit(base, &w.request, &w.key).await {
            Ok(r) => {
                remove(&w.key);
                out.push(Sent::Filed(w, Box::new(r)));
            }
            Err(FetchError::Network) => break,
            Err(e) => {
                remove(&w.key);
                out.push(Sent::Refused(w, e));
            }
        }
    }
    out
}
