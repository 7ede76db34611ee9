//! Electronic forms: officers read a dossier's filled form as JSON; those
//! who see the dossier's personal data print it (A4 HTML); anyone prints a
//! procedure's blank template. The forms themselves are
//! `contract::eform`; composing them from what is stored is `crate::forms`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::eform::FormExport;
use contract::error::ApiError;

use crate::error::{Error, Result};
use crate::http::extract::Viewer;
use crate::{forms, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(officer_form; printable_form; template)
}

fn html(page: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// A dossier's filled electronic form, labelled, for officers (404 when
/// the dossier has none).
#[utoipa::path(get, path = "/api/v1/officer/dossiers/{code}/form", tag = "officer",
    params(("code" = String, Path)),
    responses((status = 200, body = FormExport), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn officer_form(
    State(st): State<AppState>,
    _: crate::http::officer::Officer,
    Path(code): Path<String>,
) -> Result<Json<FormExport>> {
    let d = crate::http::dossiers::stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    let e = st.db.call(move |c| forms::export(c, &d)).await?;
    e.map(Json).ok_or_else(Error::not_found)
}

/// The filled form as an A4 page to print, for the dossier's owner and the
/// volunteer who filed it (anyone else: not found).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/form.html", tag = "dossiers",
    params(("code" = String, Path)),
    responses((status = 200, content_type = "text/html"), (status = 404, body = ApiError)))]
pub async fn printable_form(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
) -> Result<Response> {
    // A volunteer's look at the resident's form is recorded as any other.
    let (d, a) = crate::http::dossiers::open(&st, &code, viewer.as_ref(), "").await?;
    if !a.sees_personal() {
        return Err(Error::not_found());
    }
    let page = st.db.call(move |c| forms::printable(c, &d)).await?;
    page.map(html).ok_or_else(Error::not_found)
}

/// A procedure's blank form to print and fill by hand: its electronic form
/// when it has one, else a request laid out from the catalog.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/template.html", tag = "catalog",
    params(("code" = String, Path)),
    responses((status = 200, content_type = "text/html"), (status = 404, body = ApiError)))]
pub async fn template(State(st): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    let p = crate::http::catalog::procedure(&st, code).await?;
    Ok(html(forms::template(&p)))
}
