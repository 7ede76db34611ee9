//! `GET /api/v1/stats`: public figures computed on each request from the
//! dossiers, their status history and ratings (see `contract::stats` for
//! what counts where).

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;
use contract::stats::{aggregate, Facts, Month, Stats, MAX_MONTHS};
use contract::tracking::{parse_date, Satisfaction};
use contract::validate::Problem;
use rusqlite::Connection;
use serde::Deserialize;

use crate::accounts::civil_date;
use crate::catalog;
use crate::error::{Error, Result};
use crate::AppState;

/// Every dossier's facts, as the statistics count them.
pub fn facts(c: &Connection) -> rusqlite::Result<Vec<Facts>> {
    let mut q = c.prepare(
        "SELECT d.received_at, d.unit, COALESCE(p.field, ''), d.channel, d.due_date,
                (SELECT MIN(h.at) FROM dossier_history h WHERE h.dossier_id = d.id AND h.status = 9),
                r.level, r.at
         FROM dossiers d
         LEFT JOIN procedures p ON p.code = d.procedure_code
         LEFT JOIN ratings r ON r.dossier_id = d.id",
    )?;
    let rows = q.query_map([], |r| {
        let received: i64 = r.get(0)?;
        let channel: i64 = r.get(3)?;
        let due: String = r.get(4)?;
        let resolved: Option<i64> = r.get(5)?;
        let level: Option<String> = r.get(6)?;
        let rated: Option<i64> = r.get(7)?;
        let day = |secs: i64| civil_date(secs.max(0) as u64);
        Ok(Facts {
            received: day(received),
            unit: r.get(1)?,
            field: r.get(2)?,
            online: channel == 2,
            due: parse_date(&due),
            resolved: resolved.map(day),
            rating: level
                .as_deref()
                .and_then(Satisfaction::from_slug)
                .zip(rated.map(day)),
        })
    })?;
    rows.collect()
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

fn bad(field: &str, vi: &str, en: &str) -> Error {
    Error {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ApiError::new("validation", format!("{vi} / {en}")).with_problem(
            field,
            Problem {
                vi: vi.into(),
                en: en.into(),
            },
        ),
    }
}

/// Received, resolved (early / on time / late), online share and
/// satisfaction, per month, per unit and per field, for a period of at
/// most 36 months.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 422, body = ApiError)))]
pub async fn stats(State(st): State<AppState>, Query(q): Query<StatsQuery>) -> Result<Response> {
    let this = Month::of(civil_date(st.now()));
    let month = |s: &str, field: &str, default: Month| -> Result<Month> {
        if s.is_empty() {
            return Ok(default);
        }
        Month::parse(s).ok_or_else(|| {
            bad(
                field,
                "Tháng viết dạng YYYY-MM",
                "Months are written YYYY-MM",
            )
        })
    };
    let to = month(&q.to, "to", this)?;
    let from = month(&q.from, "from", to.minus(11))?;
    let span = from.through(to).len();
    if span == 0 {
        return Err(bad(
            "from",
            "Tháng bắt đầu phải trước tháng kết thúc",
            "The first month must come before the last",
        ));
    }
    if span > MAX_MONTHS {
        return Err(bad(
            "from",
            "Chọn tối đa 36 tháng",
            "Choose at most 36 months",
        ));
    }
    let unit = q.unit.trim().to_string();
    let (facts, units) = st
        .db
        .call(|c| -> rusqlite::Result<_> { Ok((facts(c)?, catalog::units(c)?)) })
        .await?;
    if !unit.is_empty() && !units.iter().any(|u| u.code == unit) {
        return Err(bad("unit", "Không có đơn vị này", "No such unit"));
    }
    let name = |code: &str| {
        units
            .iter()
            .find(|u| u.code == code)
            .map_or_else(|| code.to_string(), |u| u.name.clone())
    };
    let stats = aggregate(&facts, from, to, &unit, &name);
    Ok(([(header::CACHE_CONTROL, "public, max-age=60")], Json(stats)).into_response())
}
