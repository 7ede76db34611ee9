//! Drafts: the wizard's state as the app sends it (opaque JSON, 256 KB at
//! most), one row per draft, only ever visible to its owner; another
//! citizen's draft answers as if it did not exist.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use contract::dossier::{Draft, DraftBody};
use contract::error::ApiError;

use crate::error::{Error, Result};
use crate::http::extract::Asked;
use crate::http::extract::SignedIn;
use crate::{store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(list_drafts; get_draft, save_draft, delete_draft)
}

const MAX_DRAFT: usize = 256 * 1024;
/// Drafts one account keeps on the portal (a volunteer's queue fits).
const MAX_DRAFTS: i64 = 20;

fn valid_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Save a draft (the app chooses its id); another citizen's id is not found.
#[utoipa::path(put, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    request_body = DraftBody,
    responses((status = 204), (status = 404, body = ApiError), (status = 413, body = ApiError)))]
pub async fn save_draft(
    Asked { st, me: s, name: id }: Asked,
    Json(body): Json<DraftBody>,
) -> Result<StatusCode> {
    if !valid_id(&id) {
        return Err(Error::not_found());
    }
    if !contract::catalog::is_procedure_code(&body.procedure) {
        return Err(Error::field("procedure", "Mã thủ tục không hợp lệ", "Not a procedure code"));
    }
    let data = serde_json::to_string(&body.data)?;
    if data.len() > MAX_DRAFT {
        return Err(Error::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "draft_too_large",
            "Bản nháp quá lớn / The draft is too large",
        ));
    }
    let now = st.now() as i64;
    let (account, draft_id) = (s.account, id.clone());
    let (count, known) =
        st.db.call(move |c| store::files::draft_count(c, account, &draft_id)).await?;
    if !known && count >= MAX_DRAFTS {
        return Err(Error::new(
            StatusCode::CONFLICT,
            "too_many_drafts",
            "Bạn đã có 20 hồ sơ đang soạn trên cổng; hãy nộp hoặc xóa bớt / You already have 20 drafts on the portal; submit or delete some",
        ));
    }
    // Not kept when that draft was already submitted (a save that arrived
    // late): answered alike, as there is nothing left to save.
    st.db
        .call(move |c| store::files::save_draft(c, s.account, &id, &body.procedure, &data, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The citizen's drafts, newest first (without their data).
#[utoipa::path(get, path = "/api/v1/drafts", tag = "dossiers", responses((status = 200, body = Vec<Draft>)))]
pub async fn list_drafts(State(st): State<AppState>, s: SignedIn) -> Result<Json<Vec<Draft>>> {
    let rows = st.db.call(move |c| store::files::drafts(c, s.account)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, procedure, _, updated_at)| Draft {
                id,
                procedure,
                data: serde_json::Value::Null,
                updated_at,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 200, body = Draft), (status = 404, body = ApiError)))]
pub async fn get_draft(Asked { st, me: s, name: id }: Asked) -> Result<Json<Draft>> {
    let row = st.db.call(move |c| store::files::draft(c, s.account, &id)).await?;
    let (id, procedure, data, updated_at) = row.ok_or_else(Error::not_found)?;
    Ok(Json(Draft { id, procedure, data: serde_json::from_str(&data)?, updated_at }))
}

#[utoipa::path(delete, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn delete_draft(Asked { st, me: s, name: id }: Asked) -> Result<StatusCode> {
    let gone = st.db.call(move |c| store::files::delete_draft(c, s.account, &id)).await?;
    if !gone {
        return Err(Error::not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}
