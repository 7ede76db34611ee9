//! `/api/v1/*`: one module per resource, each with its own routes, merged
//! here into one router and one OpenAPI document. Handlers take what they
//! need through the extractors of `extract` and fail with `crate::error`;
//! their SQL is in `crate::store`.

/// A module's routes: one group of handlers per path, groups split by `;`.
macro_rules! paths {
    ($($($handler:ident),+);+ $(;)?) => {
        utoipa_axum::router::OpenApiRouter::new()
            $(.routes(utoipa_axum::routes!($($handler),+)))+
    };
}

pub mod accounts;
pub mod bookings;
pub mod catalog;
pub mod dossiers;
pub mod drafts;
pub mod extract;
pub mod files;
pub mod forms;
pub mod officer;
pub mod pairing;
pub mod payments;
pub mod results;
pub mod session;
pub mod stats;
pub mod tracking;
pub mod traffic;
pub mod vneid;
pub mod volunteers;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use contract::error::ApiError;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use catalog::{warm_up, ListCache};

use crate::error::Error;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Một Cửa API",
        version = "1.0.0",
        license(name = "MIT"),
        description = "Public-service API of a Vietnamese province's one-stop shop, as implemented by the reference portal."
    ),
    tags(
        (name = "catalog", description = "Units, fields and procedures"),
        (name = "officer", description = "Token-protected actions of the one-stop desk's officers (demos and tests)."),
        (name = "volunteers", description = "Volunteers filing for residents: the dossiers they helped with, and the tracking link sent to the resident's phone."),
        (name = "appointments", description = "Booking a time at a desk (signed in), the ticket, and queue numbers at the office (check-in by the ticket's code, walk-ins)."),
        (name = "stats", description = "Public figures computed from the dossiers: received, online share, on-time share, satisfaction."),
        (name = "tracking", description = "A dossier's status and timeline (public with the QR token or the applicant's ID number; in full for its owner), and the owner's supplement, withdrawal and rating."),
        (name = "dossiers", description = "Uploads, drafts, submission (header `Idempotency-Key`) and receipts of the signed-in citizen."),
        (name = "accounts", description = "Registration with a one-time code, session, password reset, profile. State-changing requests need the header `x-motcua: 1`.")
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// Build the API router and its OpenAPI document.
pub fn router(state: AppState) -> Router {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(catalog::routes())
        .merge(accounts::routes())
        .merge(session::routes())
        .merge(pairing::routes())
        .merge(drafts::routes())
        .merge(files::routes())
        .merge(dossiers::routes())
        .merge(officer::routes())
        .merge(results::routes())
        .merge(forms::routes())
        .merge(tracking::routes())
        .merge(payments::routes())
        .merge(bookings::routes())
        .merge(stats::routes())
        .merge(volunteers::routes())
        .merge(vneid::routes())
        .split_for_parts();
    let doc =
        Arc::new(with_error_default(doc).to_pretty_json().expect("OpenAPI document serialises"));
    let dev = state.dev;
    // Reports are small: over 8 KB is refused (413) before it is read whole.
    let csp = post(csp_report).layer(axum::extract::DefaultBodyLimit::max(CSP_REPORT_MAX));
    let router = router.route("/api/v1/csp-reports", csp).route("/api/v1/metrics", get(metrics));
    let router = if dev {
        router
            .route("/api/v1/dev/csp-reports", get(dev_csp_reports))
            .route("/api/v1/dev/outbox", get(session::dev_outbox))
    } else {
        router
    };
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], (*doc).clone()) }
            }),
        )
        .route("/api/{*rest}", any(not_found))
        .route("/api", any(not_found))
        .layer(axum::middleware::map_response(json_errors))
        .with_state(state)
}

/// The largest CSP report taken.
const CSP_REPORT_MAX: usize = 8 * 1024;
/// CSP reports one client may send in an hour.
const CSP_REPORTS_PER_CLIENT: crate::limits::Rule = crate::limits::Rule::new(120, 60 * 60);

/// Prometheus text (`store::stats::metrics`): counts only, nothing
/// personal, and only to whoever holds the metrics token (`--metrics-token`;
/// without one the metrics are not served): registrations and takeovers as
/// they happen are nobody else's business.
async fn metrics(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, Error> {
    let given = crate::http::extract::bearer(&headers);
    let expected = st.metrics_token.as_deref().unwrap_or("");
    if !crate::secrets::same_secret(given, expected) {
        return Err(Error::not_found());
    }
    let mut body = st.db.call(|c| crate::store::stats::metrics(c)).await?;
    body.push_str(&st.traffic.render());
    let kind = (header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    Ok(([kind, (header::CACHE_CONTROL, "no-store")], body).into_response())
}

/// Every operation may also answer with an error in the common shape (a
/// malformed body, a missing session, a rate limit…): the document says so
/// with a `default` response, so clients and schema checkers know its shape.
fn with_error_default(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
    let error = ResponseBuilder::new()
        .description("Any other answer: an error in the common shape `{\"error\": {\"code\", \"message\", \"fields\"}}`")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ApiError"))))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch]
            .into_iter()
            .flatten()
        {
            op.responses
                .responses
                .entry("default".to_string())
                .or_insert_with(|| RefOr::T(error.clone()));
        }
    }
    doc
}

/// Errors made by the framework rather than a handler (a body that is not
/// JSON, a wrong content type, a method not allowed, a body too large) come
/// as plain text; give them the API's one error shape instead.
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "Dữ liệu gửi lên quá lớn / The request is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "content_type",
            "Cần gửi dữ liệu dạng JSON (Content-Type: application/json) / Send JSON (Content-Type: application/json)",
        ),
        StatusCode::METHOD_NOT_ALLOWED => ("method", "Phương thức không được hỗ trợ / Method not allowed"),
        s if s.is_server_error() => (
            "internal",
            "Hệ thống đang gặp sự cố, vui lòng thử lại sau / Something went wrong, please try again later",
        ),
        _ => (
            "bad_request",
            "Yêu cầu không đúng định dạng / The request is malformed",
        ),
    };
    let mut out = (status, Json(ApiError::new(code, message))).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = res.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// Browsers post Content-Security-Policy violations here (`report-uri`).
/// Not in the OpenAPI document: it is for browsers, not for clients.
async fn csp_report(State(st): State<AppState>, ip: extract::ClientIp, body: Bytes) -> StatusCode {
    // A browser sends a few per page at most; a flood is not a browser.
    if accounts::limit(&st, &format!("csp:{}", ip.0), CSP_REPORTS_PER_CLIENT).is_err() {
        return StatusCode::TOO_MANY_REQUESTS;
    }
    // Control characters escaped: a report cannot make a log line of its own.
    let text: String = String::from_utf8_lossy(&body)
        .chars()
        .flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] })
        .collect();
    tracing::warn!(report = %text, "Content-Security-Policy violation");
    let mut reports = st.csp_reports.lock().unwrap_or_else(|p| p.into_inner());
    if reports.len() < 1000 {
        reports.push(text);
    }
    StatusCode::NO_CONTENT
}

/// `--dev` only: the violations reported so far (the end-to-end tests expect none).
async fn dev_csp_reports(State(st): State<AppState>) -> Json<Vec<String>> {
    Json(st.csp_reports.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

async fn not_found() -> Error {
    Error::not_found()
}
