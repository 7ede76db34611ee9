//! Taking a place (issue 36): who comes, whether the desk offers the slot,
//! the person's limits and the slot's places, and the refusals that say so.

use axum::http::StatusCode;
use contract::appointments::{self as ap, minutes, Attendee, Schedule};
use contract::validate::Date;
use rusqlite::Connection;

use crate::error::{problem, Error, Result};
use crate::http::extract::SignedIn;
use crate::store::bookings::{self as store, Row};

/// Who comes: the signed-in person, or the one they book for (checked);
/// and the account booking (whose no-shows count: a stranger typing
/// someone's ID number can fill their day, see the decisions, but never
/// make them wait a week).
pub(super) struct Person {
    pub(super) booker: i64,
    pub(super) citizen_id: String,
    pub(super) full_name: String,
    pub(super) birth_date: String,
    pub(super) phone: String,
    pub(super) for_self: bool,
}

pub(super) fn person(s: &SignedIn, attendee: Option<&Attendee>, today: Date) -> Result<Person> {
    let Some(a) = attendee else {
        let phone =
            if s.me.phone.is_empty() { s.me.last_phone.clone() } else { s.me.phone.clone() };
        return Ok(Person {
            booker: s.account,
            citizen_id: s.me.citizen_id.clone(),
            full_name: s.me.full_name.clone(),
            birth_date: s.me.birth_date.clone(),
            phone,
            for_self: true,
        });
    };
    let mut bad = Vec::new();
    let name = contract::validate::full_name(&a.full_name)
        .map_err(|p| bad.push(("attendee.full_name", p)));
    let birth = contract::validate::parse_date(&a.birth_date, today)
        .map_err(|p| bad.push(("attendee.birth_date", p)));
    let id = contract::validate::citizen_id(&a.citizen_id, birth.ok())
        .map_err(|p| bad.push(("attendee.citizen_id", p)));
    let phone = contract::validate::phone(&a.phone).map_err(|p| bad.push(("attendee.phone", p)));
    if !a.consent {
        bad.push((
            "attendee.consent",
            problem(
                "Cần người được đặt lịch đồng ý cho bạn đặt lịch thay",
                "The person must agree to your booking for them",
            ),
        ));
    }
    if !bad.is_empty() {
        return Err(Error::invalid(bad));
    }
    Ok(Person {
        booker: s.account,
        citizen_id: id.unwrap_or_default(),
        full_name: name.unwrap_or_default(),
        birth_date: birth.map(contract::time::dmy).unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        for_self: false,
    })
}

/// The slot asked for, if the desk offers it now: (day, start, end).
pub(super) fn offered(
    s: &Schedule,
    date: &str,
    slot: &str,
    today: Date,
    now_min: u32,
) -> Result<(Date, u32, u32)> {
    let day = contract::time::parse_dmy(date)
        .filter(|d| date.len() == 10 && s.days_offered(today).contains(d))
        .ok_or_else(|| {
            Error::field(
                "date",
                "Ngày này không nhận đặt lịch (chỉ hôm nay và 6 ngày làm việc tới)",
                "Bookings are taken for today and the next six working days only",
            )
        })?;
    let start = minutes(slot).unwrap_or(u32::MAX);
    let (a, b) = s.slots_on(day).into_iter().find(|(a, _)| *a == start).ok_or_else(|| {
        Error::field("slot", "Không có khung giờ này", "There is no such time slot")
    })?;
    if day == today && a <= now_min {
        return Err(Error::field(
            "slot",
            "Khung giờ này đã bắt đầu; xin chọn giờ sau",
            "This slot has already started; choose a later one",
        ));
    }
    Ok((day, a, b))
}

fn full() -> Error {
    Error::new(
        StatusCode::CONFLICT,
        "slot_full",
        "Khung giờ này vừa hết chỗ; xin chọn giờ khác / This slot has just filled up; choose another",
    )
}

fn per_day() -> Error {
    Error::new(
        StatusCode::CONFLICT,
        "bookings_per_day",
        format!(
            "Mỗi người chỉ được đặt tối đa {n} lịch hẹn trong một ngày (ở mọi nơi tiếp nhận). Hủy một lịch cũ, hoặc chọn ngày khác / One person may hold at most {n} bookings a day, at all desks together. Cancel one, or choose another day",
            n = ap::PER_PERSON_PER_DAY
        ),
    )
}

fn waiting(until: i64) -> Error {
    let day = contract::time::dmy(contract::time::vn_date(until as u64));
    Error::new(
        StatusCode::FORBIDDEN,
        "no_show_wait",
        format!(
            "Bạn đã không đến {n} lịch hẹn trong {w} ngày qua, nên đến ngày {day} mới đặt lịch được. Bạn vẫn có thể đến lấy số trực tiếp tại quầy / You missed {n} bookings in the last {w} days, so booking opens again on {day}. You can still take a number at the desk",
            n = ap::NO_SHOWS_BEFORE_WAIT,
            w = ap::NO_SHOW_WINDOW_DAYS
        ),
    )
}

/// Take a place in the slot, in the caller's write transaction: the
/// person's limits, then a general place, else a priority one if theirs.
/// `moving`: the booking being moved (not counted against itself).
#[allow(clippy::too_many_arguments)]
pub(super) fn take_place(
    tx: &Connection,
    desk: &str,
    day: &str,
    start: u32,
    pool: &str,
    places: (u32, u32),
    p: &Person,
    priority: bool,
    moving: Option<i64>,
    now: i64,
) -> Result<std::result::Result<bool, Row>> {
    let since = now - ap::NO_SHOW_WINDOW_DAYS * 86_400;
    if let Some(until) = ap::wait_until(&store::no_shows(tx, p.booker, since)?, now) {
        return Err(waiting(until));
    }
    let held: Vec<Row> = store::on_day(tx, &p.citizen_id, day)?
        .into_iter()
        .filter(|r| Some(r.id) != moving)
        .collect();
    if let Some(same) =
        held.iter().find(|r| r.desk == desk && r.start_min == start && r.state == "booked")
    {
        // The same booking asked again (a double tap, a retry): that one.
        return Ok(Err(same.clone()));
    }
    if held.len() >= ap::PER_PERSON_PER_DAY {
        return Err(per_day());
    }
    let taken = store::taken(tx, desk, day, pool)?;
    let (general, kept) = in_use(taken.get(&start).copied().unwrap_or_default(), places.1);
    if general < places.0 || (priority && kept < places.1) {
        Ok(Ok(priority))
    } else {
        Err(full())
    }
}

/// Places in use, (general, kept for 75 and over), from the bookings of
/// (people under 75, people 75 and over): the older fill the kept places
/// first and the general ones after.
pub(super) fn in_use((younger, older): (u32, u32), kept: u32) -> (u32, u32) {
    (younger + older.saturating_sub(kept), older.min(kept))
}
