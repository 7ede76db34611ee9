//! `/api/v1/*`: handlers, each documented for the OpenAPI document.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use contract::catalog::{Field, Procedure, ProcedureSummary, Unit};
use contract::error::ApiError;
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::{accounts, catalog, dossiers, stats, tracking, volunteers, AppState};

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
        (name = "stats", description = "Public figures computed from the dossiers: received, online share, on-time share, satisfaction."),
        (name = "tracking", description = "A dossier's status and timeline (public with the QR token or the applicant's ID number; in full for its owner), and the owner's supplement, withdrawal and rating."),
        (name = "dossiers", description = "Uploads, drafts, submission (header `Idempotency-Key`) and receipts of the signed-in citizen."),
        (name = "accounts", description = "Registration with a one-time code, session, password reset, profile. State-changing requests need the header `x-motcua: 1`.")
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// The procedure list serialised and compressed once per catalog revision.
#[derive(Default)]
pub struct ListCache {
    inner: RwLock<Option<Arc<CachedList>>>,
}

pub struct CachedList {
    rev: i64,
    etag: String,
    raw: Bytes,
    br: Bytes,
    gzip: Bytes,
}

impl CachedList {
    fn new(rev: i64, json: String) -> CachedList {
        use std::io::Write;
        let digest = Sha256::digest(json.as_bytes());
        let etag = format!(
            "\"{}\"",
            digest[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let mut br = Vec::new();
        {
            // Quality 11 is the smallest but slow (about 1 MB/s); above 256 KB
            // (a national-scale catalog) quality 9 is ten times faster for a few % more.
            let quality = if json.len() <= 256 * 1024 { 11 } else { 9 };
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, quality, 22);
            w.write_all(json.as_bytes()).expect("compressing in memory");
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(json.as_bytes())
            .expect("compressing in memory");
        CachedList {
            rev,
            etag,
            raw: Bytes::from(json),
            br: Bytes::from(br),
            gzip: Bytes::from(gz.finish().expect("compressing in memory")),
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    ok: bool,
    procedures: usize,
}

/// Prepare the compressed procedure list in the background, so that the first
/// visitor after a start does not wait for it.
pub fn warm_up(state: AppState) {
    tokio::spawn(async move {
        let rev = match state.db.call(|c| catalog::revision(c)).await {
            Ok(r) => r,
            Err(e) => return tracing::warn!(error = %e, "warm-up skipped"),
        };
        let Ok(json) = state.db.call(|c| catalog::summaries_json(c)).await else {
            return;
        };
        if let Ok(list) = tokio::task::spawn_blocking(move || CachedList::new(rev, json)).await {
            *state.list_cache.inner.write().await = Some(Arc::new(list));
        }
    });
}

/// Build the API router and its OpenAPI document.
pub fn router(state: AppState) -> Router {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(list_units))
        .routes(routes!(list_fields))
        .routes(routes!(list_procedures))
        .routes(routes!(get_procedure))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::reset))
        .routes(routes!(accounts::resend))
        .routes(routes!(accounts::verify))
        .routes(routes!(accounts::set_password))
        .routes(routes!(
            accounts::current_session,
            accounts::sign_in,
            accounts::sign_out
        ))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(accounts::change_phone))
        .routes(routes!(accounts::confirm_phone))
        .routes(routes!(dossiers::list_drafts))
        .routes(routes!(
            dossiers::get_draft,
            dossiers::save_draft,
            dossiers::delete_draft
        ))
        .routes(routes!(dossiers::download))
        .routes(routes!(dossiers::submit, dossiers::mine))
        .routes(routes!(dossiers::receipt))
        .routes(routes!(dossiers::officer_transition))
        .routes(routes!(tracking::track))
        .routes(routes!(tracking::lookup))
        .routes(routes!(tracking::supplement))
        .routes(routes!(tracking::withdraw))
        .routes(routes!(tracking::rate))
        .routes(routes!(stats::stats))
        .routes(routes!(volunteers::assisted))
        .routes(routes!(volunteers::send_link))
        // Uploads may be larger than the 2 MB default of other requests.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(dossiers::upload))
                .layer(axum::extract::DefaultBodyLimit::max(
                    dossiers::MAX_FILE + 64 * 1024,
                )),
        )
        .split_for_parts();
    let doc = Arc::new(
        with_error_default(doc)
            .to_pretty_json()
            .expect("OpenAPI document serialises"),
    );
    let dev = state.dev;
    let router = router.route("/api/v1/csp-reports", post(csp_report));
    let router = if dev {
        router
            .route("/api/v1/dev/csp-reports", get(dev_csp_reports))
            .route("/api/v1/dev/outbox", get(accounts::dev_outbox))
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
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
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
async fn csp_report(State(st): State<AppState>, body: Bytes) -> StatusCode {
    let text: String = String::from_utf8_lossy(&body[..body.len().min(8192)]).into_owned();
    tracing::warn!(report = %text, "Content-Security-Policy violation");
    let mut reports = st.csp_reports.lock().unwrap_or_else(|p| p.into_inner());
    if reports.len() < 1000 {
        reports.push(text);
    }
    StatusCode::NO_CONTENT
}

/// `--dev` only: the violations reported so far (the end-to-end tests expect none).
async fn dev_csp_reports(State(st): State<AppState>) -> Json<Vec<String>> {
    Json(
        st.csp_reports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone(),
    )
}

async fn not_found() -> Error {
    Error::not_found()
}

/// Liveness and size of the catalog.
#[utoipa::path(get, path = "/api/v1/health", tag = "catalog",
    responses((status = 200, body = Health)))]
async fn health(State(st): State<AppState>) -> Result<Json<Health>> {
    let procedures = st
        .db
        .call(|c| {
            c.query_row("SELECT COUNT(*) FROM procedures", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .await? as usize;
    Ok(Json(Health {
        ok: true,
        procedures,
    }))
}

/// The province and its commune-level units, with the agency code of each one-stop desk.
#[utoipa::path(get, path = "/api/v1/units", tag = "catalog",
    responses((status = 200, body = [Unit])))]
async fn list_units(State(st): State<AppState>) -> Result<Response> {
    let units = st.db.call(|c| catalog::units(c)).await?;
    Ok(cacheable(Json(units)))
}

/// Fields (lĩnh vực) with their number of procedures.
#[utoipa::path(get, path = "/api/v1/fields", tag = "catalog",
    responses((status = 200, body = [Field])))]
async fn list_fields(State(st): State<AppState>) -> Result<Response> {
    let fields = st.db.call(|c| catalog::fields(c)).await?;
    Ok(cacheable(Json(fields)))
}

fn cacheable(body: impl IntoResponse) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// Summaries of every procedure, most used first. Revalidate with `If-None-Match`.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "catalog",
    params(("If-None-Match" = Option<String>, Header, description = "ETag of a copy the client holds")),
    responses(
        (status = 200, body = [ProcedureSummary], headers(("ETag" = String))),
        (status = 304, description = "The client's copy is current")
    ))]
async fn list_procedures(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let rev = st.db.call(|c| catalog::revision(c)).await?;
    let cached = st.list_cache.inner.read().await.clone();
    let list = match cached {
        Some(list) if list.rev == rev => list,
        _ => {
            let json = st.db.call(|c| catalog::summaries_json(c)).await?;
            // Compress once per catalog revision, at the highest level: the
            // list is the largest answer and every first visit fetches it.
            let list = tokio::task::spawn_blocking(move || CachedList::new(rev, json))
                .await
                .map_err(Error::internal)?;
            let list = Arc::new(list);
            *st.list_cache.inner.write().await = Some(list.clone());
            list
        }
    };
    let etag_value = HeaderValue::from_str(&list.etag).map_err(Error::internal)?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == list.etag || t.trim() == "*")
        });
    let common = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let accepts = |enc: &str| {
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|e| e.split(';').next().unwrap_or("").trim() == enc)
            })
    };
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let (encoding, body) = if accepts("br") {
        (Some("br"), list.br.clone())
    } else if accepts("gzip") {
        (Some("gzip"), list.gzip.clone())
    } else {
        (None, list.raw.clone())
    };
    let mut res = (common, [json], body).into_response();
    if let Some(enc) = encoding {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok(res)
}

/// One procedure in full.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalog",
    params(("code" = String, Path, description = "National procedure code, e.g. 1.001193")),
    responses((status = 200, body = Procedure), (status = 404, body = ApiError)))]
async fn get_procedure(State(st): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    if !contract::catalog::is_procedure_code(&code) {
        return Err(Error::not_found());
    }
    let p = st
        .db
        .call(move |c| catalog::procedure(c, &code))
        .await
        .map_err(Error::internal)?
        .ok_or_else(Error::not_found)?;
    Ok(cacheable(Json(p)))
}
