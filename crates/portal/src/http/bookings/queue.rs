//! At the office (issue 36): checking a booking in by its code (typed, or
//! its QR code scanned) and walk-in numbers, for the kiosk: anonymous,
//! limited per client, and with `--queue-networks` only from the offices.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use contract::appointments::{self as ap, hm, iso, CheckIn, QueueTicket};
use contract::error::ApiError;
use rusqlite::Connection;
use serde::Deserialize;

use super::{no_desk, refused, today, unit};
use crate::error::{Error, Result};
use crate::http::accounts::{limit, per_client};
use crate::http::extract::{no_store, ClientIp};
use crate::limits::Rule;
use crate::store::bookings::{self as store, Row};
use crate::AppState;

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(check_in; walk_in)
}

/// Check-ins and walk-in numbers per client (a kiosk serves many people).
const QUEUE_PER_CLIENT: Rule = Rule::new(120, 10 * 60);
/// Codes that matched nothing, per client (guessing).
const WRONG_CODES_PER_CLIENT: Rule = Rule::new(20, 10 * 60);

/// Queue numbers only at the offices' kiosks, when the province says where
/// they are (`--queue-networks`): a number taken from home is a fake one.
/// Within them, a client's asks are limited.
fn at_the_office(st: &AppState, ip: &str) -> Result<()> {
    match &st.queue_networks {
        Some(nets) if !nets.iter().any(|n| n.holds(ip)) => Err(Error::new(
            StatusCode::FORBIDDEN,
            "queue_at_office",
            "Số thứ tự chỉ lấy được tại máy lấy số ở nơi tiếp nhận / Queue numbers are taken at the desk's kiosk",
        )),
        _ => limit(st, &format!("queue-ip:{ip}"), per_client(st, QUEUE_PER_CLIENT)),
    }
}

/// The queue ticket of number `n` at `desk` today.
fn queue_ticket(
    c: &Connection,
    desk: &str,
    day: &str,
    n: u32,
    r: Option<&Row>,
    now: i64,
) -> rusqlite::Result<QueueTicket> {
    Ok(QueueTicket {
        number: ap::show_number(n, r.is_some()),
        desk: desk.to_string(),
        desk_name: crate::appointments::desk_name(c, desk),
        issued_at: contract::time::vn_datetime(now),
        ahead: store::ahead(c, desk, day, n)?,
        priority: r.is_some_and(|r| r.priority),
        booking: r.map(|r| r.code.clone()),
        slot: r.map(|r| format!("{}–{}", hm(r.start_min), hm(r.end_min))).unwrap_or_default(),
    })
}

/// At the office: check a booking in by its code (typed, or its QR code
/// scanned) and issue its queue number; the same code again gives the same
/// number. Anonymous (the kiosk), limited per client; says nothing of the
/// person.
#[utoipa::path(post, path = "/api/v1/queue/check-in", tag = "appointments", request_body = CheckIn,
    responses((status = 200, body = QueueTicket), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 429, body = ApiError)))]
pub async fn check_in(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<CheckIn>,
) -> Result<Response> {
    at_the_office(&st, &ip)?;
    let not_found = || {
        Error::new(StatusCode::NOT_FOUND, "booking_not_found",
            "Không tìm thấy lịch hẹn với mã này; xin xem lại mã trên phiếu hẹn / No booking has this code; check the code on the ticket")
    };
    let wrong = |st: &AppState| {
        limit(st, &format!("queue-wrong:{ip}"), per_client(st, WRONG_CODES_PER_CLIENT))
    };
    let Some(code) = ap::parse_booking_text(&req.code) else {
        wrong(&st)?;
        return Err(not_found());
    };
    let (day0, now_min) = today(&st);
    let now = st.now() as i64;
    let desks = st.desks.clone();
    let done = st
        .db
        .call(move |c| -> Result<Option<QueueTicket>> {
            let tx = crate::db::write_tx(c)?;
            let Some(r) = store::by_code(&tx, &code)? else { return Ok(None) };
            if !req.desk.is_empty() && req.desk != r.desk {
                let name = crate::appointments::desk_name(&tx, &r.desk);
                return Err(refused(
                    "other_desk",
                    &format!("Lịch hẹn này ở {name}, không phải nơi này"),
                    &format!("This booking is at {name}, not here"),
                ));
            }
            let today = iso(day0);
            if let (Some(n), "checked_in" | "served") = (r.number, r.state.as_str()) {
                return Ok(Some(queue_ticket(&tx, &r.desk, &r.day, n, Some(&r), now)?));
            }
            match r.state.as_str() {
                "cancelled" => {
                    return Err(refused(
                        "booking_cancelled",
                        "Lịch hẹn này đã hủy; xin lấy số thường",
                        "This booking was cancelled; take a walk-in number",
                    ))
                }
                "no_show" => {
                    return Err(refused(
                        "booking_missed",
                        "Lịch hẹn này đã quá giờ; xin lấy số thường",
                        "This booking's time has passed; take a walk-in number",
                    ))
                }
                _ => {}
            }
            if r.day != today {
                let on = crate::appointments::day_dmy(&r.day);
                return Err(refused(
                    "not_today",
                    &format!("Lịch hẹn này vào ngày {on}, không phải hôm nay"),
                    &format!("This booking is on {on}, not today"),
                ));
            }
            if now_min + ap::CHECK_IN_EARLY_MINUTES < r.start_min {
                let from = hm(r.start_min - ap::CHECK_IN_EARLY_MINUTES);
                return Err(refused(
                    "too_early",
                    &format!("Còn sớm: từ {from} mới lấy số cho lịch hẹn này"),
                    &format!("Too early: numbers for this booking from {from}"),
                ));
            }
            if now_min > r.end_min + ap::CHECK_IN_LATE_MINUTES {
                return Err(refused(
                    "too_late",
                    "Đã quá giờ hẹn; xin lấy số thường",
                    "The booked time has passed; take a walk-in number",
                ));
            }
            let cap = desks.of(&r.desk).numbers_per_day;
            let n = store::issue_number(&tx, &r.desk, &today, Some(r.id), r.priority, cap, now)?
                .ok_or_else(|| {
                    refused("numbers_out", "Hôm nay đã hết số", "Today's numbers are all given")
                })?;
            let r = store::by_code(&tx, &r.code)?.ok_or_else(Error::not_found)?;
            let t = queue_ticket(&tx, &r.desk, &today, n, Some(&r), now)?;
            tx.commit()?;
            Ok(Some(t))
        })
        .await?;
    match done {
        Some(t) => Ok(no_store(Json(t))),
        None => {
            wrong(&st)?;
            Err(not_found())
        }
    }
}

/// A walk-in's number request.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct WalkIn {
    desk: String,
}

/// At the office, without a booking: the next number of the desk (while
/// it is open today). Anonymous (the kiosk), limited per client and by
/// the desk's numbers a day.
#[utoipa::path(post, path = "/api/v1/queue/walk-in", tag = "appointments", request_body = WalkIn,
    responses((status = 200, body = QueueTicket), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn walk_in(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<WalkIn>,
) -> Result<Response> {
    at_the_office(&st, &ip)?;
    let (day0, now_min) = today(&st);
    let s = st.desks.of(&req.desk).clone();
    let periods = s.periods_on(day0).0;
    let open = periods.iter().any(|(a, b)| now_min + 60 >= *a && now_min < *b);
    let now = st.now() as i64;
    let t = st
        .db
        .call(move |c| -> Result<QueueTicket> {
            if unit(c, &req.desk)?.is_none() {
                return Err(no_desk());
            }
            if !open {
                return Err(refused(
                    "desk_closed",
                    "Nơi tiếp nhận đang nghỉ; xin xem giờ làm việc",
                    "The desk is closed now; see its opening hours",
                ));
            }
            let tx = crate::db::write_tx(c)?;
            let today = iso(day0);
            let n =
                store::issue_number(&tx, &req.desk, &today, None, false, s.numbers_per_day, now)?
                    .ok_or_else(|| {
                    refused("numbers_out", "Hôm nay đã hết số", "Today's numbers are all given")
                })?;
            let t = queue_ticket(&tx, &req.desk, &today, n, None, now)?;
            tx.commit()?;
            Ok(t)
        })
        .await?;
    Ok(no_store(Json(t)))
}
