//! Electronic results: an officer attaches them to a dossier whose
//! processing is done (9) or that was handed over (10) — each gets its code
//! `<dossier code>-KQ<n>`, its SHA-256 and, when given, the signer — and
//! the dossier's owner downloads them. The tracking token alone tells that
//! a result exists (`Tracking::result_count`), never the file.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::dossier::ResultFile;
use contract::error::ApiError;
use contract::status::DossierStatus;

use crate::error::{Error, Result};
use crate::http::extract::Viewer;
use crate::store::dossiers::Access;
use crate::store::results::NewResult;
use crate::{store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(attach_result; download_result)
}

/// Attach a result file (the body; `x-file-name` and `x-signer`
/// percent-encoded) to a dossier at status 9 or 10. Officers only.
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/results", tag = "officer",
    params(("code" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ResultFile), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError)))]
pub async fn attach_result(
    State(st): State<AppState>,
    _: crate::http::officer::Officer,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<ResultFile>)> {
    let d = crate::http::dossiers::stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    if !matches!(d.status, DossierStatus::Resolved | DossierStatus::Returned) {
        return Err(Error::new(
            StatusCode::CONFLICT,
            "not_resolved",
            "Chỉ đính kèm kết quả khi hồ sơ đã xử lý xong (trạng thái 9) / Results are attached once the dossier is resolved (status 9)",
        ));
    }
    let file = crate::http::files::receive_checked(&st, -1, &headers, body).await?;
    file.keep(&st).await?;
    let text = |name| crate::http::files::text_header(&headers, name);
    let name = text("x-file-name").unwrap_or_else(|| crate::http::files::clean_name(""));
    let signer = text("x-signer").unwrap_or_default();
    let (sha, mime, size, now) =
        (file.sha256().to_string(), file.mime, file.size(), st.now() as i64);
    let made = st
        .db
        .call(move |c| {
            let r = NewResult {
                name: &name,
                size,
                sha256: &sha,
                mime,
                signer: &signer,
                remote_ref: None,
            };
            store::results::add(c, d.id, &code, &r, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// One electronic result, for the dossier's owner only (anyone else: not
/// found, as for a dossier that does not exist).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/results/{n}", tag = "dossiers",
    params(("code" = String, Path), ("n" = u32, Path)),
    responses((status = 200), (status = 404, body = ApiError)))]
pub async fn download_result(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    Path((code, n)): Path<(String, u32)>,
) -> Result<Response> {
    let (d, a) = crate::http::dossiers::open(&st, &code, viewer.as_ref(), "").await?;
    if a != Access::Owner {
        return Err(Error::not_found());
    }
    let r = d.results.into_iter().find(|r| r.n == n).ok_or_else(Error::not_found)?;
    let data =
        tokio::fs::read(st.files_dir.join(&r.sha256)).await.map_err(|_| Error::not_found())?;
    let ext = match r.mime.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    Ok((
        [
            (header::CONTENT_TYPE, r.mime.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.{ext}\"", r.code)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response())
}
