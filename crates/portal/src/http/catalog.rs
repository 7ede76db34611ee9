//! Catalog: units, fields, the procedure list (serialised and compressed
//! once per catalog revision, with an ETag) and one procedure in full.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::catalog::{Field, Procedure, ProcedureSummary, Unit};
use contract::error::ApiError;
use tokio::sync::RwLock;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{Error, Result};
use crate::{catalog, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(health; list_units; list_fields; list_procedures; list_popular; get_procedure; synonyms; about)
}

/// The procedure list and search's `about` text, each serialised and
/// compressed once per catalog revision.
#[derive(Default)]
pub struct ListCache {
    inner: RwLock<Option<Arc<CachedList>>>,
    about: RwLock<Option<Arc<CachedList>>>,
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
        let etag = format!("\"{}\"", &crate::secrets::sha256_hex(json.as_bytes())[..24]);
        let mut br = Vec::new();
        {
            // Quality 11 is the smallest but slow (about 1 MB/s); above 256 KB
            // (a national-scale catalog) quality 9 is ten times faster for a few % more.
            let quality = if json.len() <= 256 * 1024 { 11 } else { 9 };
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, quality, 22);
            w.write_all(json.as_bytes()).expect("compressing in memory");
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(json.as_bytes()).expect("compressing in memory");
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
    /// Everything below is well (otherwise the answer is 503).
    ok: bool,
    procedures: usize,
    /// The database answered a query.
    database: bool,
    /// Free bytes on the data folder's disk, and whether that is enough
    /// (at least [`DISK_LOW_BYTES`]).
    disk_free_bytes: u64,
    disk_ok: bool,
    /// The SMS gateway answered (checked at most once a minute); absent
    /// without a gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    sms_gateway: Option<bool>,
}

/// Below this much free disk the portal is not healthy: uploads and the
/// database's growth would soon fail.
pub const DISK_LOW_BYTES: u64 = 512 * 1024 * 1024;

/// Free bytes for an unprivileged writer on the disk holding `dir`.
fn disk_free(dir: &std::path::Path) -> u64 {
    rustix::fs::statvfs(dir).map(|s| s.f_bavail.saturating_mul(s.f_frsize)).unwrap_or(0)
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
        let Ok(text) = state.db.call(|c| catalog::about_text(c)).await else {
            return;
        };
        if let Ok(about) = tokio::task::spawn_blocking(move || CachedList::new(rev, text)).await {
            *state.list_cache.about.write().await = Some(Arc::new(about));
        }
    });
}

/// For the province's monitoring: the database, the disk, the SMS gateway.
#[utoipa::path(get, path = "/api/v1/health", tag = "catalog",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn health(State(st): State<AppState>) -> Response {
    let procedures = st.db.call(|c| crate::catalog::count(c)).await;
    let dir = st.data_dir.clone();
    let disk_free_bytes = tokio::task::spawn_blocking(move || disk_free(&dir)).await.unwrap_or(0);
    let sms_gateway = st.sms.reachable(st.now()).await;
    let database = procedures.is_ok();
    let disk_ok = disk_free_bytes >= DISK_LOW_BYTES;
    let ok = database && disk_ok && sms_gateway != Some(false);
    let procedures = procedures.unwrap_or(0) as usize;
    let health = Health { ok, procedures, database, disk_free_bytes, disk_ok, sms_gateway };
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(health)).into_response()
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
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
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
    let cache = &st.list_cache.inner;
    serve_cached(&st, cache, catalog::summaries_json, "application/json", &headers).await
}

/// The answer `cache` keeps for the current catalog revision (built by
/// `build` when the catalog changed), revalidated with its ETag and sent
/// compressed as the client accepts.
async fn serve_cached(
    st: &AppState,
    cache: &RwLock<Option<Arc<CachedList>>>,
    build: fn(&rusqlite::Connection) -> rusqlite::Result<String>,
    content_type: &'static str,
    headers: &HeaderMap,
) -> Result<Response> {
    let rev = st.db.call(|c| catalog::revision(c)).await?;
    let cached = cache.read().await.clone();
    let list = match cached {
        Some(list) if list.rev == rev => list,
        _ => {
            let json = st.db.call(move |c| build(c)).await?;
            // Compress once per catalog revision, at the highest level: the
            // list is the largest answer and every first visit fetches it.
            let list = tokio::task::spawn_blocking(move || CachedList::new(rev, json))
                .await
                .map_err(Error::internal)?;
            let list = Arc::new(list);
            *cache.write().await = Some(list.clone());
            list
        }
    };
    let etag_value = HeaderValue::from_str(&list.etag).map_err(Error::internal)?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == list.etag || t.trim() == "*"));
    let common = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let accepts = |enc: &str| accepts_encoding(headers, enc);
    let json = (header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let (encoding, body) = if accepts("br") {
        (Some("br"), list.br.clone())
    } else if accepts("gzip") {
        (Some("gzip"), list.gzip.clone())
    } else {
        (None, list.raw.clone())
    };
    let mut res = (common, [json], body).into_response();
    if let Some(enc) = encoding {
        res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok(res)
}

/// Whether the client's `Accept-Encoding` names `enc`.
pub fn accepts_encoding(headers: &HeaderMap, enc: &str) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.split(';').next().unwrap_or("").trim() == enc))
}

/// How many procedures the home page shows.
pub const POPULAR: i64 = 8;

/// The most used procedures' summaries, for the home page: it shows them
/// without the whole list (which loads when search is first used).
#[utoipa::path(get, path = "/api/v1/procedures/popular", tag = "catalog",
    responses((status = 200, body = [ProcedureSummary])))]
async fn list_popular(State(st): State<AppState>) -> Result<Response> {
    let json = st.db.call(|c| catalog::top_json(c, POPULAR)).await?;
    Ok(cacheable(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json)))
}

/// The search dictionary: the words citizens use for what procedure names
/// say, one `said = meant` per line (`#` starts a comment). The app folds
/// both sides (case, diacritics) and replaces whole words.
#[utoipa::path(get, path = "/api/v1/search/synonyms", tag = "catalog",
    responses((status = 200, body = String, content_type = "text/plain")))]
async fn synonyms() -> Response {
    cacheable(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], catalog::synonyms()))
}

/// What each procedure is about besides its name, for search: one
/// `code<TAB>words` line per procedure, the folded words of its result
/// (the paper people ask for), who may apply and its requirements that its
/// name lacks (`contract::catalog::about_words`). Loaded with the list;
/// revalidate with `If-None-Match`.
#[utoipa::path(get, path = "/api/v1/search/about", tag = "catalog",
    params(("If-None-Match" = Option<String>, Header, description = "ETag of a copy the client holds")),
    responses(
        (status = 200, body = String, content_type = "text/plain", headers(("ETag" = String))),
        (status = 304, description = "The client's copy is current")
    ))]
async fn about(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let cache = &st.list_cache.about;
    serve_cached(&st, cache, catalog::about_text, "text/plain; charset=utf-8", &headers).await
}

/// One procedure in full.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalog",
    params(("code" = String, Path, description = "National procedure code, e.g. 1.001193")),
    responses((status = 200, body = Procedure), (status = 404, body = ApiError)))]
async fn get_procedure(State(st): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    Ok(cacheable(Json(procedure(&st, code).await?)))
}

/// A procedure by its national code, or not found.
pub async fn procedure(st: &AppState, code: String) -> Result<contract::catalog::Procedure> {
    if !contract::catalog::is_procedure_code(&code) {
        return Err(Error::not_found());
    }
    st.db
        .call(move |c| catalog::procedure(c, &code))
        .await
        .map_err(Error::internal)?
        .ok_or_else(Error::not_found)
}
