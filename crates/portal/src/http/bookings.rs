//! Appointments at the desk (issue 36): a desk's calendar with its free
//! places; booking, moving and cancelling (signed in; for someone else with
//! their consent); the ticket; and, at the office, checking in by the
//! ticket's code and taking a walk-in number (the kiosk, anonymous and
//! limited per client). Places are counted and taken in one IMMEDIATE
//! transaction (`db::write_tx`), so racing clients never overfill a slot.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::appointments::{
    self as ap, hm, iso, BookingState, Calendar, DayView, NewBooking, Schedule, SlotView, Standing,
    Ticket,
};
use contract::error::ApiError;
use contract::validate::Date;
use rusqlite::Connection;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::http::accounts::{limit, per_client};
use crate::http::extract::Asked;
use crate::http::extract::{no_store, ClientIp, SignedIn, Viewer};
use crate::limits::Rule;
use crate::store::bookings::{self as store, Row};
use crate::AppState;

use utoipa_axum::router::OpenApiRouter;

mod places;
mod queue;

use places::{in_use, offered, person, take_place, Person};

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(calendar; book, mine; ticket_get, cancel; move_booking).merge(queue::routes())
}

/// Bookings an account may make in a day: a citizen for themself and
/// family, a volunteer for a queue of residents.
const PER_ACCOUNT_PER_DAY: i64 = 4;
const PER_VOLUNTEER_PER_DAY: i64 = 30;
/// Attempts to book or move, per account (each is a write transaction).
const ATTEMPTS_PER_ACCOUNT: Rule = Rule::new(30, 60 * 60);
/// Calendars read per client (cheap, but anonymous).
const CALENDARS_PER_CLIENT: Rule = Rule::new(120, 60);
/// The time now in Vietnam: today and minutes after midnight.
pub(super) fn today(st: &AppState) -> (Date, u32) {
    let now = st.now();
    let (h, m) = contract::time::vn_hour_minute(now);
    (contract::time::vn_date(now), u32::from(h) * 60 + u32::from(m))
}

/// The desk (a unit of the catalog), or 404.
pub(super) fn unit(
    c: &Connection,
    desk: &str,
) -> rusqlite::Result<Option<contract::catalog::Unit>> {
    Ok(crate::catalog::units(c)?.into_iter().find(|u| u.code == desk))
}

pub(super) fn no_desk() -> Error {
    Error::field("desk", "Không có nơi tiếp nhận này", "There is no such desk")
}

/// The pool a procedure's booking counts in, at this desk.
fn pool_of(c: &Connection, s: &Schedule, procedure: &str) -> (String, u32) {
    if procedure.is_empty() || s.fields.is_empty() {
        return (String::new(), s.per_slot);
    }
    let field = crate::catalog::procedure(c, procedure).ok().flatten().map(|p| p.field);
    s.pool(field.as_deref().unwrap_or(""))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CalendarQuery {
    /// The procedure they come for (a field may have places of its own).
    #[serde(default)]
    procedure: String,
}

/// A desk's next days (today and six more it is open) with each slot's
/// free places; for a signed-in person, where they stand too.
#[utoipa::path(get, path = "/api/v1/desks/{code}/calendar", tag = "appointments",
    params(("code" = String, Path), CalendarQuery),
    responses((status = 200, body = Calendar), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn calendar(
    State(st): State<AppState>,
    Path(desk): Path<String>,
    Query(q): Query<CalendarQuery>,
    ClientIp(ip): ClientIp,
    Viewer(me): Viewer,
) -> Result<Response> {
    limit(&st, &format!("calendar-ip:{ip}"), per_client(&st, CALENDARS_PER_CLIENT))?;
    let schedule = st.desks.of(&desk).clone();
    let (day, now_min) = today(&st);
    let now = st.now() as i64;
    let cal = st
        .db
        .read(move |c| -> rusqlite::Result<Option<Calendar>> {
            let Some(u) = unit(c, &desk)? else { return Ok(None) };
            let (pool, places) = pool_of(c, &schedule, &q.procedure);
            let mut days = Vec::new();
            for d in schedule.days_offered(day) {
                let taken = store::taken(c, &desk, &iso(d), &pool)?;
                let slots = schedule
                    .slots_on(d)
                    .into_iter()
                    .map(|(a, b)| {
                        let (general, kept) = in_use(
                            taken.get(&a).copied().unwrap_or_default(),
                            schedule.priority_per_slot,
                        );
                        SlotView {
                            start: hm(a),
                            end: hm(b),
                            free: places.saturating_sub(general),
                            priority_free: schedule.priority_per_slot.saturating_sub(kept),
                            past: d == day && a <= now_min,
                        }
                    })
                    .collect();
                days.push(DayView {
                    date: contract::time::dmy(d),
                    weekday: contract::workdays::weekday(d),
                    slots,
                });
            }
            let standing = match &me {
                Some(s) => {
                    Some(standing(c, s.account, &s.me.citizen_id, &s.me.birth_date, day, now)?)
                }
                None => None,
            };
            Ok(Some(Calendar {
                desk: u.code.clone(),
                desk_name: u.desk_name(),
                address: u.address,
                hours: u.hours,
                pool,
                days,
                standing,
            }))
        })
        .await?;
    let cal = cal.ok_or_else(no_desk)?;
    Ok(no_store(Json(cal)))
}

fn standing(
    c: &Connection,
    account: i64,
    citizen_id: &str,
    birth: &str,
    day: Date,
    now: i64,
) -> rusqlite::Result<Standing> {
    let since = now - ap::NO_SHOW_WINDOW_DAYS * 86_400;
    let wait = ap::wait_until(&store::no_shows(c, account, since)?, now);
    Ok(Standing {
        priority: ap::priority(birth, day),
        wait_until: wait.map(|t| contract::time::dmy(contract::time::vn_date(t as u64))),
        full_days: store::full_days(c, citizen_id, &iso(day), ap::PER_PERSON_PER_DAY)?
            .iter()
            .map(|d| crate::appointments::day_dmy(d))
            .collect(),
    })
}

/// Book a slot (`Idempotent` by nature: the same person, desk and slot
/// asked again gets the booking made the first time).
#[utoipa::path(post, path = "/api/v1/bookings", tag = "appointments", request_body = NewBooking,
    responses((status = 201, body = Ticket), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn book(
    State(st): State<AppState>,
    s: SignedIn,
    Json(req): Json<NewBooking>,
) -> Result<Response> {
    limit(&st, &format!("book:{}", s.account), ATTEMPTS_PER_ACCOUNT)?;
    let (day0, now_min) = today(&st);
    let p = person(&s, req.attendee.as_ref(), day0)?;
    let schedule = st.desks.of(&req.desk).clone();
    let (day, start, end) = offered(&schedule, &req.date, &req.slot, day0, now_min)?;
    let priority = ap::priority(&p.birth_date, day);
    let (account, volunteer, now) = (s.account, s.me.volunteer, s.now);
    let cap = if volunteer { PER_VOLUNTEER_PER_DAY } else { PER_ACCOUNT_PER_DAY };
    let made = st
        .db
        .call(move |c| -> Result<(Row, bool)> {
            let Some(u) = unit(c, &req.desk)? else { return Err(no_desk()) };
            if !req.procedure.is_empty() && crate::catalog::procedure(c, &req.procedure).ok().flatten().is_none() {
                return Err(Error::field("procedure", "Không có thủ tục này", "There is no such procedure"));
            }
            let tx = crate::db::write_tx(c)?;
            if store::made_since(&tx, account, now - 86_400)? >= cap {
                return Err(Error::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "bookings_per_account",
                    format!("Tài khoản này đã đặt {cap} lịch hẹn trong 24 giờ qua; xin thử lại ngày mai / This account made {cap} bookings in the last 24 hours; try again tomorrow"),
                ));
            }
            let (pool, places) = pool_of(&tx, &schedule, &req.procedure);
            let day = iso(day);
            let placed = take_place(&tx, &u.code, &day, start, &pool,
                (places, schedule.priority_per_slot), &p, priority, None, now)?;
            let prio = match placed {
                Err(existing) => return Ok((existing, false)),
                Ok(prio) => prio,
            };
            let code = new_code(&tx)?;
            store::insert(&tx, &store::New {
                code: &code, desk: &u.code, day: &day, start_min: start, end_min: end, pool: &pool,
                priority: prio, account, citizen_id: &p.citizen_id, full_name: &p.full_name,
                phone: &p.phone, for_self: p.for_self, procedure: &req.procedure,
            }, now)?;
            let row = store::by_code(&tx, &code)?.ok_or_else(Error::not_found)?;
            tx.commit()?;
            Ok((row, true))
        })
        .await?;
    let (row, new) = made;
    if new {
        text_booked(&st, &row);
    }
    let t = ticket_of(&st, row, &s).await?;
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, no_store(Json(t))).into_response())
}

/// A fresh code no booking has.
fn new_code(c: &Connection) -> rusqlite::Result<String> {
    loop {
        let bytes = crate::secrets::random_bytes::<{ ap::CODE_LEN }>();
        let code: String = bytes
            .iter()
            .map(|b| ap::CODE_ALPHABET[usize::from(*b) % ap::CODE_ALPHABET.len()] as char)
            .collect();
        if store::by_code(c, &code)?.is_none() {
            return Ok(code);
        }
    }
}

/// Whether the signed-in person holds this booking: they made it, or it is
/// for their proven identity.
fn holds(s: &SignedIn, r: &Row) -> bool {
    r.account == s.account || (s.me.identity_verified && r.citizen_id == s.me.citizen_id)
}

/// The ticket as its holder sees it.
async fn ticket_of(st: &AppState, r: Row, s: &SignedIn) -> Result<Ticket> {
    let (day0, now_min) = today(st);
    let own = r.for_self || r.citizen_id == s.me.citizen_id;
    Ok(st
        .db
        .read(move |c| -> rusqlite::Result<Ticket> { Ok(ticket_view(c, r, own, day0, now_min)) })
        .await?)
}

fn ticket_view(c: &Connection, r: Row, own: bool, today: Date, now_min: u32) -> Ticket {
    let u = unit(c, &r.desk).ok().flatten();
    let proc = (!r.procedure.is_empty())
        .then(|| crate::catalog::procedure(c, &r.procedure).ok().flatten())
        .flatten();
    let state = BookingState::from_slug(&r.state).unwrap_or(BookingState::Booked);
    let upcoming =
        ap::parse_iso(&r.day).is_some_and(|d| d > today || (d == today && r.start_min > now_min));
    let attendee = if own {
        r.full_name.clone()
    } else {
        crate::http::dossiers::mask(&contract::dossier::Applicant {
            full_name: r.full_name.clone(),
            citizen_id: r.citizen_id.clone(),
            birth_date: String::new(),
            phone: String::new(),
            email: String::new(),
            address: String::new(),
        })
        .full_name
    };
    Ticket {
        code: r.code.clone(),
        desk: r.desk.clone(),
        desk_name: u.as_ref().map(|u| u.desk_name()).unwrap_or_default(),
        address: u.as_ref().map(|u| u.address.clone()).unwrap_or_default(),
        hours: u.as_ref().map(|u| u.hours.clone()).unwrap_or_default(),
        phone: u.as_ref().map(|u| u.phone.clone()).unwrap_or_default(),
        date: crate::appointments::day_dmy(&r.day),
        start: hm(r.start_min),
        end: hm(r.end_min),
        procedure_name: proc.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        bring: proc
            .map(|p| p.documents.into_iter().filter(|d| !d.conditional).map(|d| d.name).collect())
            .unwrap_or_default(),
        procedure: r.procedure,
        attendee,
        priority: r.priority,
        state,
        number: r.number.map(|n| ap::show_number(n, true)),
        changeable: state == BookingState::Booked && upcoming,
    }
}

/// The signed-in person's bookings (made by them, or for them), newest day first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "appointments",
    responses((status = 200, body = Vec<Ticket>), (status = 401, body = ApiError)))]
pub async fn mine(State(st): State<AppState>, s: SignedIn) -> Result<Response> {
    let (day0, now_min) = today(&st);
    let (account, id, verified) = (s.account, s.me.citizen_id.clone(), s.me.identity_verified);
    let list = st
        .db
        .read(move |c| -> rusqlite::Result<Vec<Ticket>> {
            let rows = store::of_account(c, account, &id, verified)?;
            Ok(rows
                .into_iter()
                .map(|r| {
                    let own = r.for_self || r.citizen_id == id;
                    ticket_view(c, r, own, day0, now_min)
                })
                .collect())
        })
        .await?;
    Ok(no_store(Json(list)))
}

async fn held(st: &AppState, s: &SignedIn, code: &str) -> Result<Row> {
    let code = ap::parse_booking_text(code).ok_or_else(Error::not_found)?;
    let row = st.db.read(move |c| store::by_code(c, &code)).await?;
    row.filter(|r| holds(s, r)).ok_or_else(Error::not_found)
}

/// One ticket, for whoever holds it.
#[utoipa::path(get, path = "/api/v1/bookings/{code}", tag = "appointments",
    params(("code" = String, Path)),
    responses((status = 200, body = Ticket), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn ticket_get(Asked { st, me: s, name: code }: Asked) -> Result<Response> {
    let r = held(&st, &s, &code).await?;
    Ok(no_store(Json(ticket_of(&st, r, &s).await?)))
}

fn unchangeable() -> Error {
    Error::new(
        StatusCode::CONFLICT,
        "booking_unchangeable",
        "Lịch hẹn này không đổi hay hủy được nữa (đã đến giờ, đã lấy số hoặc đã hủy) / This booking can no longer be changed (its time has come, a number was taken, or it was cancelled)",
    )
}

/// Cancel a booking before its slot starts: the place is free again.
#[utoipa::path(delete, path = "/api/v1/bookings/{code}", tag = "appointments",
    params(("code" = String, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn cancel(Asked { st, me: s, name: code }: Asked) -> Result<StatusCode> {
    let r = held(&st, &s, &code).await?;
    let (day0, now_min) = today(&st);
    let now = s.now;
    st.db
        .call(move |c| -> Result<()> {
            let tx = crate::db::write_tx(c)?;
            let r = store::by_code(&tx, &r.code)?.ok_or_else(Error::not_found)?;
            if !ticket_view(&tx, r.clone(), true, day0, now_min).changeable {
                return Err(unchangeable());
            }
            store::set_state(&tx, r.id, "cancelled", now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where to move a booking.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveTo {
    /// dd/mm/yyyy
    date: String,
    /// HH:MM
    slot: String,
}

/// Move a booking to another slot of the same desk (its code and QR code
/// stay); the old place is freed in the same transaction.
#[utoipa::path(post, path = "/api/v1/bookings/{code}/move", tag = "appointments", request_body = MoveTo,
    params(("code" = String, Path)),
    responses((status = 200, body = Ticket), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn move_booking(
    Asked { st, me: s, name: code }: Asked,
    Json(to): Json<MoveTo>,
) -> Result<Response> {
    limit(&st, &format!("book:{}", s.account), ATTEMPTS_PER_ACCOUNT)?;
    let r = held(&st, &s, &code).await?;
    let (day0, now_min) = today(&st);
    let schedule = st.desks.of(&r.desk).clone();
    let (day, start, end) = offered(&schedule, &to.date, &to.slot, day0, now_min)?;
    let now = s.now;
    let p = Person {
        booker: r.account,
        citizen_id: r.citizen_id.clone(),
        full_name: r.full_name.clone(),
        birth_date: String::new(),
        phone: r.phone.clone(),
        for_self: r.for_self,
    };
    let birth_priority = r.priority || (r.for_self && ap::priority(&s.me.birth_date, day));
    let moved = st
        .db
        .call(move |c| -> Result<Row> {
            let tx = crate::db::write_tx(c)?;
            let cur = store::by_code(&tx, &r.code)?.ok_or_else(Error::not_found)?;
            if !ticket_view(&tx, cur.clone(), true, day0, now_min).changeable {
                return Err(unchangeable());
            }
            let general = match cur.pool.as_str() {
                "" => schedule.per_slot,
                field => schedule.fields.get(field).copied().unwrap_or(0),
            };
            let places = (general, schedule.priority_per_slot);
            let day = iso(day);
            // Free the old place first (the same slot again is allowed).
            store::set_state(&tx, cur.id, "cancelled", now)?;
            let placed = take_place(
                &tx,
                &cur.desk,
                &day,
                start,
                &cur.pool,
                places,
                &p,
                birth_priority,
                Some(cur.id),
                now,
            )?;
            let Ok(prio) = placed else {
                return Err(refused(
                    "already_booked",
                    "Bạn đã có lịch hẹn vào giờ này",
                    "You already hold a booking at this time",
                ));
            };
            store::set_state(&tx, cur.id, "booked", now)?;
            store::move_to(&tx, cur.id, &day, (start, end), prio, now)?;
            let row = store::by_code(&tx, &cur.code)?.ok_or_else(Error::not_found)?;
            tx.commit()?;
            Ok(row)
        })
        .await?;
    text_booked(&st, &moved);
    Ok(no_store(Json(ticket_of(&st, moved, &s).await?)))
}

pub(super) fn refused(code: &str, vi: &str, en: &str) -> Error {
    Error::new(StatusCode::CONFLICT, code, format!("{vi} / {en}"))
}

/// Text the person the booking is for what was booked (or moved to).
fn text_booked(st: &AppState, row: &store::Row) {
    let name = st.db.with(|c| crate::appointments::desk_name(c, &row.desk));
    let origin = crate::http::volunteers::origin(st, &axum::http::HeaderMap::new());
    crate::appointments::text(st, row, crate::appointments::booked_text(&origin, row, &name));
}
