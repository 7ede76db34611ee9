//! The stand-in's control side, which no OpenCPS site has: how it is set
//! up (its services), told to misbehave, moved as an officer would, and
//! looked at by tests.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{find, not_found, refused, FileRec, Shared};

/// As a site set up for the portal's seed catalog: every procedure at
/// every unit (`POST /control {"services": [[serviceCode, govAgencyCode]…]}`
/// sets another list).
pub fn seeded_services() -> std::collections::BTreeSet<(String, String)> {
    let procedures: Value =
        serde_json::from_str(include_str!("../../../data/procedures.json")).unwrap_or_default();
    let units: Value =
        serde_json::from_str(include_str!("../../../data/units.json")).unwrap_or_default();
    let codes = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x["code"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let units = codes(&units);
    codes(&procedures["procedures"])
        .into_iter()
        .flat_map(|p| units.iter().map(move |u| (p.clone(), u.clone())))
        .collect()
}

pub async fn control(State(s): State<Shared>, Json(v): Json<Value>) -> StatusCode {
    if let Some(list) = v.get("services").and_then(Value::as_array) {
        let set = list
            .iter()
            .filter_map(|p| {
                Some((p.get(0)?.as_str()?.to_string(), p.get(1)?.as_str()?.to_string()))
            })
            .collect();
        s.books.lock().unwrap_or_else(|p| p.into_inner()).services = set;
    }
    let mut c = s.control.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(b) = v.get("down").and_then(Value::as_bool) {
        c.down = b;
    }
    if let Some(n) = v.get("fail_next").and_then(Value::as_u64) {
        c.fail_next = n as u32;
        c.status = v.get("status").and_then(Value::as_u64).unwrap_or(503) as u16;
    }
    if let Some(n) = v.get("delay_ms").and_then(Value::as_u64) {
        c.delay_ms = n;
    }
    if let Some(f) = v.get("drop_field") {
        c.drop_field = f.as_str().map(String::from);
    }
    if let Some(n) = v.get("pad_bytes").and_then(Value::as_u64) {
        c.pad_bytes = n as usize;
    }
    StatusCode::NO_CONTENT
}

pub async fn move_one(State(s): State<Shared>, Json(v): Json<Value>) -> Response {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mut books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let Some(d) = find(&mut books, &text("dossierNo")) else {
        return not_found(&text("dossierNo"));
    };
    d.status = text("status");
    d.sub_status = text("subStatus");
    d.note = text("note");
    if let Some(a) = v.get("amount").and_then(Value::as_u64) {
        d.payment = Some(a);
    }
    // A result the agency issues: `{"name", "mime", "base64"}`.
    if let Some(r) = v.get("result") {
        use base64::Engine;
        let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(field("base64")) else {
            return refused(StatusCode::BAD_REQUEST, "Bad Request", "result.base64");
        };
        let n = d.files.iter().filter(|f| f.part_type == 2).count() + 1;
        d.files.push(FileRec {
            reference: format!("{}-KQ{n}", d.id),
            part: "KQ01".into(),
            part_type: 2,
            name: field("name"),
            mime: field("mime"),
            bytes,
            form_data: false,
        });
    }
    StatusCode::NO_CONTENT.into_response()
}

pub async fn state(State(s): State<Shared>) -> Json<Value> {
    let books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let dossiers: Vec<Value> = books
        .dossiers
        .iter()
        .map(|d| {
            let files: Vec<Value> = d
                .files
                .iter()
                .map(|f| {
                    json!({ "referenceUid": f.reference, "dossierPartNo": f.part,
                            "dossierPartType": f.part_type, "displayName": f.name,
                            "size": f.bytes.len(), "eForm": f.form_data })
                })
                .collect();
            json!({ "dossierId": d.id, "dossierNo": d.fields.get("dossierNo"),
                    "fields": d.fields, "dossierStatus": d.status, "dossierSubStatus": d.sub_status,
                    "submits": d.submits, "resubmits": d.resubmits, "files": files,
                    "payment": d.paid.as_ref().map(|p| json!({ "paymentStatus": p.0,
                        "paymentMethod": p.1, "paymentNote": p.2, "told": p.3 })) })
        })
        .collect();
    let bookings: Vec<Value> = books
        .bookings
        .iter()
        .map(|(id, fields, deleted)| json!({ "bookingId": id, "fields": fields, "deleted": deleted }))
        .collect();
    Json(
        json!({ "dossiers": dossiers, "bookings": bookings, "duplicates_refused": books.duplicates_refused }),
    )
}
