//! Submissions made while the portal cannot be reached wait here
//! (`localStorage`, one entry per draft) and are sent when it answers again:
//! when a bundle that sends them is mounted (`services::send_outbox`: the
//! wizard's, tracking's, my dossiers'), when the browser says it is back
//! online, and every 20 s while something waits. Each carries its draft's
//! `Idempotency-Key`, so however often it is sent, one dossier is filed.

use contract::dossier::SubmitRequest;
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
    if let (Some(s), Some(json)) = (storage(), crate::json::to_string(w)) {
        let _ = s.set_item(&format!("{PREFIX}{}", w.key), &json);
    }
}

/// The stored entries' keys.
fn keys(s: &web_sys::Storage) -> Vec<String> {
    (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect()
}

/// How many submissions wait.
pub fn count() -> usize {
    storage().map_or(0, |s| keys(&s).len())
}

/// A waiting submission as the sender reads it: the request is sent as it
/// was stored, never decoded into a `SubmitRequest` (the bundles that send
/// it need not carry the code of the whole submission).
struct Sendable {
    key: String,
    procedure: String,
    /// The request's JSON.
    request: String,
}

impl Sendable {
    /// A stored `Waiting`, read by the browser's JSON.
    fn read(stored: &str) -> Option<Sendable> {
        let o = js_sys::JSON::parse(stored).ok()?;
        let get = |k: &str| js_sys::Reflect::get(&o, &k.into()).ok();
        Some(Sendable {
            key: get("key")?.as_string()?,
            procedure: get("procedure")?.as_string()?,
            request: js_sys::JSON::stringify(&get("request")?).ok()?.as_string()?,
        })
    }
}

fn sendable() -> Vec<Sendable> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    keys(&s)
        .into_iter()
        .filter_map(|k| s.get_item(&k).ok().flatten())
        .filter_map(|v| Sendable::read(&v))
        .collect()
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Of the receipt of a submission sent from here, what the sender shows.
#[derive(Deserialize)]
pub struct Filed {
    pub code: String,
    pub token: String,
}

/// What happened to one waiting submission (of that procedure).
pub enum Sent {
    Filed {
        procedure: String,
        receipt: Filed,
    },
    /// The portal refused it: it leaves the outbox (the wizard's draft
    /// keeps everything, and submitting there again says why).
    Refused {
        procedure: String,
        error: FetchError,
    },
}

/// Send everything waiting, until the network fails again.
pub async fn flush(base: &str) -> Vec<Sent> {
    let mut out = Vec::new();
    for w in sendable() {
        let sent = api::dossier::submit_json(base, &w.request, &w.key).await;
        match sent.and_then(|text| api::decode::<Filed>(&text)) {
            Ok(receipt) => {
                remove(&w.key);
                out.push(Sent::Filed { procedure: w.procedure, receipt });
            }
            Err(FetchError::Network) => break,
            Err(error) => {
                remove(&w.key);
                out.push(Sent::Refused { procedure: w.procedure, error });
            }
        }
    }
    out
}
