//! A STAND-IN for an OpenCPS back office, for tests and `cargo xtask run
//! --backend opencps`; not OpenCPS, which cannot run here (Liferay, Java).
//!
//! Built from published sources only: OpenCPS's REST API v2 in
//! VietOpenCPS/opencps-v2, `modules/backend-api-rest` — `DossierManagement`
//! (`GET/POST /dossiers`, `GET /dossiers/{id}` by id, dossierNo or
//! referenceUid, `POST /dossiers/{id}/submit`, `POST /dossiers/{id}/cancelling`),
//! `DossierFileManagement` (`GET/POST /dossiers/{id}/files`, multipart with
//! a required `dossierPartNo`), `DossierInputModel` and `DossierSearchModel`
//! (form and query field names), `DossierDetailModel` (answer field names),
//! `BusinessExceptionImpl` (errors as `{code, message, description}`: 203
//! when not signed in, 403 for anything refused), the status words of
//! `DossierTerm`, and dates as `APIDateTimeUtils` writes them
//! (`dd/MM/yyyy HH:mm:ss`).
//!
//! It refuses what the real one would: no or wrong HTTP Basic account
//! (203), an unknown `groupId`, a dossier without `serviceCode`,
//! `govAgencyCode` or `dossierTemplateNo` (no process option), a file
//! without `file` or `dossierPartNo`, submitting a dossier twice. Unlike
//! the real one it also refuses a second dossier with the same `dossierNo`,
//! so a portal that files twice fails loudly in tests. It keeps state
//! (dossiers, their files, status and sub-status), lets a test or a person
//! move a dossier as an officer would (`POST /control/move {"dossierNo",
//! "status", "subStatus", "note", "amount", "result": {"name", "mime",
//! "base64"}}`: a payment file, an issued result), and can be told to fail, slow down,
//! go away, drop a field from its answers or bloat them: `POST /control
//! {"down": bool, "fail_next": n, "status": 503, "delay_ms": n,
//! "drop_field": "dossierStatus", "pad_bytes": n}`.
//! `GET /control/dossiers` shows its state.
//!
//! Bookings at the desk as `BookingManagement` publishes them (`POST
//! /bookings`, form fields of `BookingInputModel`: `className`, `classPK`,
//! `serviceCode`, `codeNumber`, `bookingName`, `bookingDate` dd/MM/yyyy,
//! `state`, `online`, `telNo`, `bypassCaptcha`; one booking per
//! `className` + `classPK`, updated when sent again; the answer a
//! `BookingDataModel` with its `bookingId`; `DELETE /bookings/{id}`).
//! Refused: no `className`/`classPK`, a `bookingDate` that is not a date,
//! and an online booking without `bypassCaptcha` (the real one asks a
//! captcha then, which a server cannot answer).
//!
//! Usage: `opencps-standin [--port N] [--group-id G] [--username U] [--password P]`;
//! the API is under `/o/rest/v2`; prints `opencps stand-in listening on
//! http://…/o/rest/v2` when ready.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Value};

#[derive(Default)]
struct Control {
    down: bool,
    fail_next: u32,
    status: u16,
    delay_ms: u64,
    drop_field: Option<String>,
    /// Bytes of padding added to every dossier answer (a back office gone wrong).
    pad_bytes: usize,
}

struct FileRec {
    reference: String,
    part: String,
    /// 1: given by the applicant; 2: a result the agency issued.
    part_type: u8,
    name: String,
    mime: String,
    bytes: Vec<u8>,
    form_data: bool,
}

struct Dossier {
    id: u64,
    fields: BTreeMap<String, String>,
    status: String,
    sub_status: String,
    note: String,
    files: Vec<FileRec>,
    submits: u32,
    /// Submitted again after more was asked for (`/submitting`).
    resubmits: u32,
    /// The payment file's amount, once an officer asks for one.
    payment: Option<u64>,
    /// What the portal told of its payment (`PUT …/payment`):
    /// paymentStatus, paymentMethod, paymentNote, how many times told.
    paid: Option<(u8, String, String, u32)>,
}

#[derive(Default)]
struct Books {
    next_id: u64,
    dossiers: Vec<Dossier>,
    /// Bookings: (bookingId, the fields sent, deleted).
    bookings: Vec<(u64, BTreeMap<String, String>, bool)>,
    duplicates_refused: u32,
    /// Which procedures (serviceCode) each agency (govAgencyCode) receives.
    services: std::collections::BTreeSet<(String, String)>,
}

struct Standin {
    group_id: String,
    username: String,
    password: String,
    control: Mutex<Control>,
    books: Mutex<Books>,
}

type Shared = Arc<Standin>;

/// The stand-in's gate passed (up, not told to fail, the right account and
/// group), as a handler's first argument; otherwise its refusal.
struct Gated(Shared);

impl axum::extract::FromRequestParts<Shared> for Gated {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &Shared,
    ) -> Result<Self, Response> {
        match s.gate(&parts.headers).await {
            Some(refused) => Err(refused),
            None => Ok(Gated(s.clone())),
        }
    }
}

fn refused(status: StatusCode, message: &str, description: &str) -> Response {
    let body = json!({ "code": status.as_u16(), "message": message, "description": description });
    (status, Json(body)).into_response()
}

fn stamp() -> String {
    // Vietnam time, as the site writes it (`dd/MM/yyyy HH:mm:ss`).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (day, (hour, minute)) = (contract::time::vn_date(now), contract::time::vn_hour_minute(now));
    format!("{:02}/{:02}/{} {hour:02}:{minute:02}:{:02}", day.day, day.month, day.year, now % 60)
}

fn status_text(s: &str) -> &'static str {
    match s {
        "new" => "Mới",
        "receiving" => "Chờ tiếp nhận",
        "processing" => "Đang xử lý",
        "waiting" => "Chờ bổ sung",
        "paying" => "Chờ thanh toán",
        "cancelling" => "Yêu cầu rút",
        "cancelled" => "Đã rút",
        "denied" => "Từ chối",
        "releasing" => "Chờ trả kết quả",
        "done" => "Hoàn thành",
        _ => "",
    }
}

impl Standin {
    /// Shared behaviour of every API call: down, slow, failing, signed in.
    async fn gate(&self, headers: &HeaderMap) -> Option<Response> {
        let (down, fail, delay) = {
            let mut c = self.control.lock().unwrap_or_else(|p| p.into_inner());
            let fail = (c.fail_next > 0).then(|| {
                c.fail_next -= 1;
                StatusCode::from_u16(c.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
            });
            (c.down, fail, c.delay_ms)
        };
        if delay > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        }
        if down {
            return Some((StatusCode::SERVICE_UNAVAILABLE, "down for maintenance").into_response());
        }
        if let Some(s) = fail {
            return Some((s, "told to fail").into_response());
        }
        let expected = {
            use base64::Engine;
            let pair = format!("{}:{}", self.username, self.password);
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
        };
        let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
        if auth != expected {
            return Some(refused(
                StatusCode::NON_AUTHORITATIVE_INFORMATION,
                "Non-Authoritative Information.",
                "Non-Authoritative Information.",
            ));
        }
        let group = headers.get("groupId").and_then(|v| v.to_str().ok()).unwrap_or("");
        if group != self.group_id {
            return Some(refused(
                StatusCode::FORBIDDEN,
                "No Content.",
                "groupId is not a site here",
            ));
        }
        None
    }

    /// A call about one dossier (by id, dossierNo or referenceUid): the
    /// gate, then `act` on it, or the site's answer for none.
    async fn on_dossier(
        &self,
        headers: &HeaderMap,
        id: &str,
        act: impl FnOnce(&Standin, &mut Dossier) -> Response,
    ) -> Response {
        if let Some(r) = self.gate(headers).await {
            return r;
        }
        let mut books = self.books.lock().unwrap_or_else(|p| p.into_inner());
        match find(&mut books, id) {
            Some(d) => act(self, d),
            None => not_found(id),
        }
    }

    fn detail(&self, d: &Dossier) -> Value {
        let f = |k: &str| d.fields.get(k).cloned().unwrap_or_default();
        let mut v = json!({
            "dossierId": d.id,
            "referenceUid": f("referenceUid"),
            "dossierNo": f("dossierNo"),
            "serviceCode": f("serviceCode"),
            "govAgencyCode": f("govAgencyCode"),
            "dossierTemplateNo": f("dossierTemplateNo"),
            "applicantName": f("applicantName"),
            "applicantIdType": f("applicantIdType"),
            "applicantIdNo": f("applicantIdNo"),
            "address": f("address"),
            "contactName": f("contactName"),
            "contactTelNo": f("contactTelNo"),
            "contactEmail": f("contactEmail"),
            "applicantNote": f("applicantNote"),
            "online": f("online"),
            "viaPostal": f("viaPostal"),
            "postalAddress": f("postalAddress"),
            "createDate": f("createDate"),
            "submitDate": f("submitDate"),
            "dossierStatus": d.status,
            "dossierStatusText": status_text(&d.status),
            "dossierSubStatus": d.sub_status,
            "dossierSubStatusText": "",
            "lastActionNote": d.note,
        });
        let (drop, pad) = {
            let c = self.control.lock().unwrap_or_else(|p| p.into_inner());
            (c.drop_field.clone(), c.pad_bytes)
        };
        if let (Some(field), Some(o)) = (drop, v.as_object_mut()) {
            o.remove(&field);
        }
        if pad > 0 {
            v["dossierNote"] = json!("x".repeat(pad));
        }
        v
    }
}

fn find<'a>(books: &'a mut Books, id: &str) -> Option<&'a mut Dossier> {
    let n: u64 = id.parse().unwrap_or(0);
    books.dossiers.iter_mut().find(|d| {
        (n > 0 && d.id == n)
            || d.fields.get("dossierNo").is_some_and(|x| x == id)
            || d.fields.get("referenceUid").is_some_and(|x| x == id)
    })
}

fn not_found(id: &str) -> Response {
    refused(StatusCode::FORBIDDEN, "No Content.", &format!("no dossier {id}"))
}

async fn search(Gated(s): Gated, Query(q): Query<BTreeMap<String, String>>) -> Response {
    let books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let no = q.get("dossierNo").cloned().unwrap_or_default();
    let data: Vec<Value> = books
        .dossiers
        .iter()
        .filter(|d| no.is_empty() || d.fields.get("dossierNo").is_some_and(|x| *x == no))
        .map(|d| s.detail(d))
        .collect();
    Json(json!({ "total": data.len(), "data": data })).into_response()
}

async fn create(Gated(s): Gated, Form(form): Form<BTreeMap<String, String>>) -> Response {
    for k in ["serviceCode", "govAgencyCode", "dossierTemplateNo"] {
        if form.get(k).is_none_or(|v| v.trim().is_empty()) {
            return refused(
                StatusCode::FORBIDDEN,
                "No Content.",
                &format!("Cant find process: {k} is empty"),
            );
        }
    }
    let mut books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    if !books.services.contains(&(field("serviceCode"), field("govAgencyCode"))) {
        return refused(StatusCode::FORBIDDEN, "No Content.", "Cant find process");
    }
    let no = form.get("dossierNo").cloned().unwrap_or_default();
    if !no.is_empty() && books.dossiers.iter().any(|d| d.fields.get("dossierNo") == Some(&no)) {
        books.duplicates_refused += 1;
        return refused(StatusCode::FORBIDDEN, "No Content.", &format!("dossierNo {no} exists"));
    }
    books.next_id += 1;
    let id = 70_000 + books.next_id;
    let mut fields = form;
    fields.insert("createDate".into(), stamp());
    if no.is_empty() {
        fields.insert("dossierNo".into(), format!("OCPS-{id}"));
    }
    let d = Dossier {
        id,
        fields,
        status: "new".into(),
        sub_status: String::new(),
        note: String::new(),
        files: Vec::new(),
        submits: 0,
        resubmits: 0,
        payment: None,
        paid: None,
    };
    let body = s.detail(&d);
    books.dossiers.push(d);
    Json(body).into_response()
}

async fn detail(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.on_dossier(&headers, &id, |s, d| Json(s.detail(d)).into_response()).await
}

async fn files(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.on_dossier(&headers, &id, |_, d| {
        let data: Vec<Value> = d
            .files
            .iter()
            .map(|f| {
                json!({ "referenceUid": f.reference, "dossierPartNo": f.part, "displayName": f.name,
                        "dossierPartType": f.part_type, "fileType": f.mime, "fileSize": f.bytes.len(),
                        "eForm": f.form_data, "dossierId": d.id })
            })
            .collect();
        Json(json!({ "total": data.len(), "data": data })).into_response()
    })
    .await
}

async fn add_file(Gated(s): Gated, Path(id): Path<String>, mut mp: Multipart) -> Response {
    let (mut part, mut reference, mut name, mut mime, mut form_data) =
        (String::new(), String::new(), String::new(), String::new(), false);
    let mut data: Option<Vec<u8>> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return refused(StatusCode::BAD_REQUEST, "Bad Request", &e.to_string()),
        };
        let key = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(String::from);
        let Ok(bytes) = field.bytes().await else {
            return refused(StatusCode::BAD_REQUEST, "Bad Request", "a part did not arrive");
        };
        let text = || String::from_utf8_lossy(&bytes).to_string();
        match key.as_str() {
            "file" => {
                data = Some(bytes.to_vec());
                if name.is_empty() {
                    name = file_name.unwrap_or_default();
                }
            }
            "fileType" => mime = text(),
            "dossierPartNo" => part = text(),
            "referenceUid" => reference = text(),
            "displayName" => name = text(),
            "formData" => form_data = serde_json::from_slice::<Value>(&bytes).is_ok(),
            _ => {}
        }
    }
    let Some(bytes) = data else {
        return refused(StatusCode::FORBIDDEN, "No Content.", "file is required");
    };
    let size = bytes.len();
    if part.trim().is_empty() {
        return refused(StatusCode::FORBIDDEN, "No Content.", "dossierPartNo is required");
    }
    let mut books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let Some(d) = find(&mut books, &id) else { return not_found(&id) };
    if reference.is_empty() {
        reference = format!("{}-{}", d.id, d.files.len() + 1);
    }
    d.files.push(FileRec {
        reference: reference.clone(),
        part: part.clone(),
        part_type: 1,
        name,
        mime,
        bytes,
        form_data,
    });
    Json(json!({ "referenceUid": reference, "dossierPartNo": part, "fileSize": size }))
        .into_response()
}

async fn submit(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.on_dossier(&headers, &id, |s, d| {
        if d.status != "new" {
            return refused(
                StatusCode::FORBIDDEN,
                "No Content.",
                "the dossier was submitted already",
            );
        }
        d.status = "receiving".into();
        d.submits += 1;
        d.fields.insert("submitDate".into(), stamp());
        Json(s.detail(d)).into_response()
    })
    .await
}

/// The applicant sends what was asked for and submits again.
async fn submitting(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    s.on_dossier(&headers, &id, |s, d| {
        if d.status != "waiting" {
            return refused(StatusCode::FORBIDDEN, "No Content.", "nothing was asked for");
        }
        d.status = "processing".into();
        d.resubmits += 1;
        Json(s.detail(d)).into_response()
    })
    .await
}

async fn payment(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.on_dossier(&headers, &id, |_, d| match d.payment {
        Some(amount) => Json(json!({
            "referenceUid": format!("{}-TT", d.id), "paymentAmount": amount, "feeAmount": amount,
            "paymentNote": "Lệ phí", "paymentStatus": d.paid.as_ref().map_or(0, |p| p.0),
            "paymentMethod": d.paid.as_ref().map_or("", |p| p.1.as_str()),
        }))
        .into_response(),
        None => refused(StatusCode::FORBIDDEN, "No Content.", "no payment file"),
    })
    .await
}

/// `PUT /dossiers/{id}/payment` (form fields of `PaymentFileInputModel`):
/// refused without a payment file, with a `paymentStatus` that is not one
/// of OpenCPS's (0–5), or with another amount than the file's.
async fn update_payment(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<BTreeMap<String, String>>,
) -> Response {
    s.on_dossier(&headers, &id, |_, d| {
        let Some(amount) = d.payment else {
            return refused(StatusCode::FORBIDDEN, "No Content.", "no payment file");
        };
        let field = |k: &str| form.get(k).cloned().unwrap_or_default();
        let Ok(status) = field("paymentStatus").parse::<u8>() else {
            return refused(StatusCode::BAD_REQUEST, "Bad Request", "paymentStatus");
        };
        if status > 5 {
            return refused(StatusCode::BAD_REQUEST, "Bad Request", "paymentStatus");
        }
        if !field("paymentAmount").is_empty() && field("paymentAmount") != amount.to_string() {
            return refused(StatusCode::BAD_REQUEST, "Bad Request", "paymentAmount");
        }
        let told = d.paid.as_ref().map_or(0, |p| p.3) + 1;
        d.paid = Some((status, field("paymentMethod"), field("paymentNote"), told));
        Json(json!({ "referenceUid": format!("{}-TT", d.id), "paymentAmount": amount,
                     "paymentStatus": status, "paymentMethod": field("paymentMethod") }))
        .into_response()
    })
    .await
}

async fn download(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((id, reference)): Path<(String, String)>,
) -> Response {
    s.on_dossier(&headers, &id, |_, d| match d.files.iter().find(|f| f.reference == reference) {
        Some(f) => ([("content-type", f.mime.clone())], f.bytes.clone()).into_response(),
        None => not_found(&reference),
    })
    .await
}

async fn cancelling(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    s.on_dossier(&headers, &id, |s, d| {
        if matches!(d.status.as_str(), "done" | "cancelled" | "denied" | "new") {
            return refused(StatusCode::FORBIDDEN, "No Content.", "cannot cancel in this status");
        }
        d.status = "cancelling".into();
        Json(s.detail(d)).into_response()
    })
    .await
}

async fn service_configs(Gated(s): Gated) -> Response {
    let books = s.books.lock().unwrap_or_else(|p| p.into_inner());
    let data: Vec<Value> = books
        .services
        .iter()
        .enumerate()
        .map(|(i, (service, agency))| {
            json!({ "serviceConfigId": i + 1, "serviceCode": service, "govAgencyCode": agency,
                    "serviceLevel": "4", "forCitizen": "true" })
        })
        .collect();
    Json(json!({ "total": data.len(), "data": data })).into_response()
}

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

mod bookings;
mod control;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let shared = Arc::new(Standin {
        group_id: arg("--group-id", "35417"),
        username: arg("--username", "motcua"),
        password: arg("--password", "mat-khau-opencps"),
        control: Mutex::default(),
        books: Mutex::new(Books { services: control::seeded_services(), ..Books::default() }),
    });
    let api = Router::new()
        .route("/dossiers", get(search).post(create))
        .route("/serviceconfigs", get(service_configs))
        .route("/dossiers/{id}", get(detail))
        .route("/dossiers/{id}/files", get(files).post(add_file))
        .route("/dossiers/{id}/submit", post(submit))
        .route("/dossiers/{id}/submitting", post(submitting))
        .route("/dossiers/{id}/payment", get(payment).put(update_payment))
        .route("/dossiers/{id}/files/{reference}", get(download))
        .route("/dossiers/{id}/cancelling", post(cancelling))
        .route("/bookings", post(bookings::add))
        .route("/bookings/{id}", axum::routing::delete(bookings::delete))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024));
    let app = Router::new()
        .nest("/o/rest/v2", api)
        .route("/control", post(control::control))
        .route("/control/move", post(control::move_one))
        .route("/control/dossiers", get(control::state))
        .with_state(shared);
    let port: u16 = arg("--port", "0").parse()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("opencps stand-in listening on http://{}/o/rest/v2", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
