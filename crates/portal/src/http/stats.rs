//! `GET /api/v1/stats`: public figures from the dossiers, their status
//! history and ratings (see `contract::stats` for what counts where). The
//! facts are read on the database's read connection only when something
//! changed since the last read (a cheap check of the newest rows), one
//! request at a time; figures are then counted off the async threads. So
//! anonymous statistics traffic cannot hold up citizens' requests.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;
use contract::stats::{aggregate, Month, Stats, MAX_MONTHS};
use contract::time::vn_date;
use serde::Deserialize;

use std::sync::Arc;

use contract::catalog::Unit;
use contract::stats::Facts;

use crate::error::{Error, Result};
use crate::http::accounts::{limit, per_client};
use crate::http::extract::ClientIp;
use crate::limits::Rule;
use crate::{catalog, store, AppState};

/// Statistics one client may ask for in a minute (the page asks once per
/// change of period or unit).
const STATS_PER_CLIENT: Rule = Rule::new(60, 60);

type Read = Arc<(Vec<Facts>, Vec<Unit>)>;
/// The newest dossier, status change and rating ids when the facts were read.
type Version = (i64, i64, i64);

/// The facts last read, and the state of the tables they were read at.
#[derive(Default)]
pub struct StatsCache(tokio::sync::Mutex<Option<(Version, Read)>>);

/// The facts and units, read again only when a dossier, a status change or
/// a rating was added since.
async fn facts(st: &AppState) -> Result<Read> {
    let mut slot = st.stats_cache.0.lock().await;
    let version = st.db.read(crate::store::stats::version).await?;
    if let Some((seen, read)) = &*slot {
        if *seen == version {
            return Ok(read.clone());
        }
    }
    let read: Read = Arc::new(
        st.db
            .read(|c| -> rusqlite::Result<_> { Ok((store::stats::facts(c)?, catalog::units(c)?)) })
            .await?,
    );
    *slot = Some((version, read.clone()));
    Ok(read)
}

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
pub async fn stats(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<StatsQuery>,
) -> Result<Response> {
    limit(&st, &format!("stats-ip:{ip}"), per_client(&st, STATS_PER_CLIENT))?;
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
    let read = facts(&st).await?;
    if !unit.is_empty() && !read.1.iter().any(|u| u.code == unit) {
        return Err(Error::field("unit", "Không có đơn vị này", "No such unit"));
    }
    // Appointments and numbers: counted afresh (small, indexed by time).
    let start = |m: Month| {
        let d = contract::validate::Date { year: m.year, month: m.month, day: 1 };
        contract::workdays::days_from_civil(d) * 86_400 - contract::time::OFFSET as i64
    };
    let (a, b, desk) = (start(from), start(to.next()), unit.clone());
    let (bookings, check_ins, walk_ins, mut waits) =
        st.db.read(move |c| store::bookings::figures(c, a, b, &desk)).await?;
    let queue = contract::stats::QueueFigures {
        bookings,
        check_ins,
        walk_ins,
        median_wait_minutes: contract::stats::median_minutes(&mut waits),
    };
    let stats = tokio::task::spawn_blocking(move || {
        let (facts, units) = &*read;
        let name = |code: &str| {
            units
                .iter()
                .find(|u| u.code == code)
                .map_or_else(|| code.to_string(), |u| u.name.clone())
        };
        contract::stats::Stats { queue, ..aggregate(facts, from, to, &unit, &name) }
    })
    .await
    .map_err(Error::internal)?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=60")], Json(stats)).into_response())
}
