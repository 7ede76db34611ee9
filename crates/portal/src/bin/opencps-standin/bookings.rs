//! The stand-in's booking list, as OpenCPS's `BookingManagement` publishes
//! it (see the header of main.rs).

use std::collections::BTreeMap;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::json;

use super::{not_found, refused, Gated};

/// `POST /bookings` (see the header): one per className + classPK.
pub async fn add(Gated(s): Gated, Form(form): Form<BTreeMap<String, String>>) -> Response {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    if field("className").is_empty() || field("classPK").parse::<u64>().is_err() {
        return refused(StatusCode::BAD_REQUEST, "Bad Request", "className, classPK");
    }
    let date = field("bookingDate");
    let parts: Vec<u32> = date.split('/').filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 || !(1..=31).contains(&parts[0]) || !(1..=12).contains(&parts[1]) {
        return refused(StatusCode::BAD_REQUEST, "Bad Request", "bookingDate");
    }
    if field("online") == "true" && field("bypassCaptcha") != "true" {
        return refused(
            StatusCode::NON_AUTHORITATIVE_INFORMATION,
            "Captcha incorrect",
            "Captcha incorrect",
        );
    }
    let mut books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let same = |b: &(u64, BTreeMap<String, String>, bool)| {
        b.1.get("className") == form.get("className") && b.1.get("classPK") == form.get("classPK")
    };
    let id = match books.bookings.iter_mut().find(|b| same(b)) {
        Some(b) => {
            b.1 = form.clone();
            b.2 = false;
            b.0
        }
        None => {
            books.next_id += 1;
            let id = 90_000 + books.next_id;
            books.bookings.push((id, form.clone(), false));
            id
        }
    };
    Json(json!({ "bookingId": id, "className": field("className"), "classPK": field("classPK"),
                 "serviceCode": field("serviceCode"), "codeNumber": field("codeNumber"),
                 "bookingName": field("bookingName"), "state": field("state"),
                 "online": field("online") == "true", "telNo": field("telNo") }))
    .into_response()
}

pub async fn delete(Gated(s): Gated, Path(id): Path<String>) -> Response {
    let mut books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    match books.bookings.iter_mut().find(|b| b.0.to_string() == id && !b.2) {
        Some(b) => {
            b.2 = true;
            Json(json!({ "bookingId": b.0 })).into_response()
        }
        None => not_found(&id),
    }
}
