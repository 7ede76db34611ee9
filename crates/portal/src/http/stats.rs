//! `GET /api/v1/stats`: public figures computed on each request from the
//! dossiers, their status history and ratings (see `contract::stats` for
//! what counts where).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;
use contract::stats::{aggregate, Month, Stats, MAX_MONTHS};
use contract::time::vn_date;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::{catalog, store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(stats)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// First month, `YYYY-MM` (default: eleven months before `to`).
    #[serde(default)]
    from: String,
    /// Last month, `YYYY-MM` (default: this month).
    #[serde(default)]
    to: String,
    /// A unit's code (default: the whole province).
    #[serde(default)]
    unit: String,
}

/// Received, resolved (early / on time / late), online share and
/// satisfaction, per month, per unit and per field, for a period of at
/// most 36 months.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 422, body = ApiError)))]
pub async fn stats(State(st): State<AppState>, Query(q): Query<StatsQuery>) -> Result<Response> {
    let this = Month::of(vn_date(st.now()));
    let month = |s: &str, field: &str, default: Month| -> Result<Month> {
        if s.is_empty() {
            return Ok(default);
        }
        Month::parse(s).ok_or_else(|| {
            Error::field(field, "Tháng viết dạng YYYY-MM", "Months are written YYYY-MM")
        })
    };
    let to = month(&q.to, "to", this)?;
    let from = month(&q.from, "from", to.minus(11))?;
    let span = from.through(to).len();
    if span == 0 {
        return Err(Error::field(
            "from",
            "Tháng bắt đầu phải trước tháng kết thúc",
            "The first month must come before the last",
        ));
    }
    if span > MAX_MONTHS {
        return Err(Error::field("from", "Chọn tối đa 36 tháng", "Choose at most 36 months"));
    }
    let unit = q.unit.trim().to_string();
    let (facts, units) = st
        .db
        .call(|c| -> rusqlite::Result<_> { Ok((store::stats::facts(c)?, catalog::units(c)?)) })
        .await?;
    if !unit.is_empty() && !units.iter().any(|u| u.code == unit) {
        return Err(Error::field("unit", "Không có đơn vị này", "No such unit"));
    }
    let name = |code: &str| {
        units.iter().find(|u| u.code == code).map_or_else(|| code.to_string(), |u| u.name.clone())
    };
    let stats = aggregate(&facts, from, to, &unit, &name);
    Ok(([(header::CACHE_CONTROL, "public, max-age=60")], Json(stats)).into_response())
}
