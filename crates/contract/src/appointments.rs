//! Booking a time at the desk (đặt lịch hẹn) and queue numbers (số thứ tự):
//! a desk's calendar and its slots, which days are offered, the rules of
//! fair use (two bookings a person a day, a week's wait after three
//! no-shows in a month, priority places from 75), the ticket's code and QR
//! link, and the order in which the desk calls numbers. Pure, so both sides
//! and the native tests share it; the portal keeps the rows.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::validate::Date;
use crate::workdays::{add_days, holiday, weekday};

/// Days offered: today and the next six days the desk is open.
pub const DAYS_OFFERED: usize = 7;
/// Bookings one person (by ID number) may hold on one day, across desks.
pub const PER_PERSON_PER_DAY: usize = 2;
/// No-shows within [`NO_SHOW_WINDOW_DAYS`] that make booking wait.
pub const NO_SHOWS_BEFORE_WAIT: usize = 3;
pub const NO_SHOW_WINDOW_DAYS: i64 = 30;
/// How long booking waits after the last of those no-shows.
pub const WAIT_AFTER_NO_SHOWS_DAYS: i64 = 7;
/// From this age (on the day of the booking) a person gets priority places.
pub const PRIORITY_AGE: u32 = 75;
/// Check-in opens this many minutes before the slot starts…
pub const CHECK_IN_EARLY_MINUTES: u32 = 60;
/// …and closes this many minutes after it ends (then: a walk-in number).
pub const CHECK_IN_LATE_MINUTES: u32 = 15;
/// A booking not checked in this long after its slot ended is a no-show.
pub const NO_SHOW_AFTER_MINUTES: u32 = 30;
/// The ticket page's path before its code: what the ticket's QR code opens
/// (on a phone the ticket, on a kiosk the check-in).
pub const TICKET_PATH: &str = "/lich-hen/";
/// The characters of a booking code: no 0/O or 1/I to misread.
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 8;

/// A desk's calendar as the province configures it (`--desks` file; every
/// desk without its own entry gets [`Schedule::default`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Schedule {
    /// Opening periods, "HH:MM-HH:MM", Monday to Friday.
    pub sessions: Vec<String>,
    /// Saturday's periods ("Saturdays as the desk's calendar says"); empty: closed.
    pub saturday: Vec<String>,
    /// Length of a slot, in minutes.
    pub slot_minutes: u32,
    /// Places in a slot for anyone.
    pub per_slot: u32,
    /// Further places in a slot kept for people aged [`PRIORITY_AGE`] or over.
    pub priority_per_slot: u32,
    /// Fields with places of their own in each slot (field name → places);
    /// a procedure of another field takes the desk's general places.
    pub fields: std::collections::BTreeMap<String, u32>,
    /// Days the desk is closed besides the national holidays ("yyyy-mm-dd").
    pub closed: Vec<String>,
    /// Days it opens although a weekend or holiday (a working Saturday
    /// made up for a bridge holiday), "yyyy-mm-dd", with the weekday's periods.
    pub open: Vec<String>,
    /// Booked people called for each walk-in, when both wait.
    pub booked_per_walk_in: u32,
    /// Queue numbers a desk issues in a day (walk-ins and check-ins).
    pub numbers_per_day: u32,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            sessions: vec!["07:30-11:30".into(), "13:30-17:00".into()],
            saturday: Vec::new(),
            slot_minutes: 30,
            per_slot: 3,
            priority_per_slot: 1,
            fields: Default::default(),
            closed: Vec::new(),
            open: Vec::new(),
            booked_per_walk_in: 2,
            numbers_per_day: 400,
        }
    }
}

/// `HH:MM` as minutes after midnight.
pub fn minutes(hm: &str) -> Option<u32> {
    let (h, m) = hm.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && hm.trim().len() == 5).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM`.
pub fn hm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `yyyy-mm-dd`: how days are stored and configured.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

pub fn parse_iso(s: &str) -> Option<Date> {
    let mut p = s.split('-');
    let d = Date {
        year: p.next()?.parse().ok()?,
        month: p.next()?.parse().ok()?,
        day: p.next()?.parse().ok()?,
    };
    let real = crate::workdays::civil_from_days(crate::workdays::days_from_civil(d)) == d;
    (p.next().is_none() && s.len() == 10 && real).then_some(d)
}

impl Schedule {
    /// What is wrong with it, for the portal to refuse to start with.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.sessions.iter().chain(&self.saturday) {
            if periods(std::slice::from_ref(s)).is_empty() {
                out.push(format!("period \"{s}\" is not HH:MM-HH:MM with the start first"));
            }
        }
        if !(5..=240).contains(&self.slot_minutes) {
            out.push(format!("slot_minutes {} is not between 5 and 240", self.slot_minutes));
        }
        if self.per_slot > 500 || self.priority_per_slot > 500 {
            out.push("more than 500 places in a slot".into());
        }
        for d in self.closed.iter().chain(&self.open) {
            if parse_iso(d).is_none() {
                out.push(format!("day \"{d}\" is not yyyy-mm-dd"));
            }
        }
        if self.numbers_per_day == 0 || self.numbers_per_day > 9999 {
            out.push("numbers_per_day must be 1 to 9999".into());
        }
        out
    }

    /// The periods the desk is open on `d` (none: closed that day), and
    /// why it is closed when it is (a holiday's name).
    pub fn periods_on(&self, d: Date) -> (Vec<(u32, u32)>, Option<String>) {
        let day = iso(d);
        if self.open.contains(&day) {
            return (periods(&self.sessions), None);
        }
        if self.closed.contains(&day) {
            return (Vec::new(), Some("Bộ phận một cửa nghỉ / The desk is closed".into()));
        }
        if let Some(name) = holiday(d) {
            return (Vec::new(), Some(name.to_string()));
        }
        match weekday(d) {
            0..=4 => (periods(&self.sessions), None),
            5 => (periods(&self.saturday), None),
            _ => (Vec::new(), None),
        }
    }

    /// The slots of `d` as (start, end) minutes.
    pub fn slots_on(&self, d: Date) -> Vec<(u32, u32)> {
        let step = self.slot_minutes.max(5);
        let mut out = Vec::new();
        for (from, to) in self.periods_on(d).0 {
            let mut t = from;
            while t + step <= to {
                out.push((t, t + step));
                t += step;
            }
        }
        out
    }

    /// The days offered from `today`: today (if open) and the next open
    /// days, [`DAYS_OFFERED`] in all, looking at most 30 days ahead.
    pub fn days_offered(&self, today: Date) -> Vec<Date> {
        (0..30)
            .map(|n| add_days(today, n))
            .filter(|d| !self.slots_on(*d).is_empty())
            .take(DAYS_OFFERED)
            .collect()
    }

    /// The places of a slot for a procedure of `field`: the pool it counts
    /// in ("" for the desk's general places) and how many it has.
    pub fn pool(&self, field: &str) -> (String, u32) {
        match self.fields.get(field) {
            Some(n) => (field.to_string(), *n),
            None => (String::new(), self.per_slot),
        }
    }
}

fn periods(list: &[String]) -> Vec<(u32, u32)> {
    list.iter()
        .filter_map(|p| {
            let (a, b) = p.split_once('-')?;
            let (a, b) = (minutes(a)?, minutes(b)?);
            (a < b).then_some((a, b))
        })
        .collect()
}

/// Whether someone born on `birth` (dd/mm/yyyy) gets priority places on `on`.
pub fn priority(birth_dmy: &str, on: Date) -> bool {
    crate::time::parse_dmy(birth_dmy)
        .is_some_and(|b| u32::from(crate::validate::age(b, on)) >= PRIORITY_AGE)
}

/// Until when booking waits, given the times (Unix seconds) of a person's
/// no-shows: the third of them within [`NO_SHOW_WINDOW_DAYS`] starts a
/// wait of [`WAIT_AFTER_NO_SHOWS_DAYS`]. `None`: booking is open.
pub fn wait_until(no_shows: &[i64], now: i64) -> Option<i64> {
    let day = 86_400;
    let mut recent: Vec<i64> =
        no_shows.iter().copied().filter(|t| *t > now - NO_SHOW_WINDOW_DAYS * day).collect();
    recent.sort_unstable();
    if recent.len() < NO_SHOWS_BEFORE_WAIT {
        return None;
    }
    let until = recent[recent.len() - 1] + WAIT_AFTER_NO_SHOWS_DAYS * day;
    (until > now).then_some(until)
}

/// A booking code as typed or scanned: the ticket link or the code, with
/// spaces, dashes and lower case forgiven.
pub fn parse_booking_text(text: &str) -> Option<String> {
    let text = text.trim();
    let rest = match text.find(TICKET_PATH) {
        Some(i) => &text[i + TICKET_PATH.len()..],
        None => text,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let code: String = rest
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/' | '\u{2010}'..='\u{2015}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// The ticket's path: what its QR code opens.
pub fn ticket_path(code: &str) -> String {
    format!("{TICKET_PATH}{code}")
}

/// A code as shown and read out: `K7M2-P9QX`.
pub fn show_code(code: &str) -> String {
    if code.len() == CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// A queue number as shown: `A007` for a booked person, `B012` for a walk-in
/// (the desk calls both; the letter tells the officer which list).
pub fn show_number(number: u32, booked: bool) -> String {
    format!("{}{number:03}", if booked { 'A' } else { 'B' })
}

/// One person waiting at a desk, as the order of calling sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub number: u32,
    pub booked: bool,
    pub priority: bool,
}

/// Whom the desk calls next among `waiting` (in the order numbers were
/// issued), having called `booked_in_a_row` booked people since the last
/// walk-in: priority first; then booked people, `per_walk_in` of them for
/// each walk-in while both wait; whoever waits when the other list is empty.
pub fn next_to_call(
    waiting: &[Waiting],
    booked_in_a_row: u32,
    per_walk_in: u32,
) -> Option<Waiting> {
    let first = |f: &dyn Fn(&Waiting) -> bool| {
        waiting.iter().copied().filter(|w| f(w)).min_by_key(|w| w.number)
    };
    if let Some(p) = first(&|w| w.priority) {
        return Some(p);
    }
    let booked = first(&|w| w.booked);
    let walk_in = first(&|w| !w.booked);
    match (booked, walk_in) {
        (Some(b), Some(w)) => Some(if booked_in_a_row < per_walk_in.max(1) { b } else { w }),
        (b, w) => b.or(w),
    }
}

/// A slot of a day and its free places.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SlotView {
    /// HH:MM
    pub start: String,
    pub end: String,
    /// Free places anyone may take.
    pub free: u32,
    /// Free places kept for people aged 75 or over.
    pub priority_free: u32,
    /// Already started (today): no longer offered.
    #[serde(default)]
    pub past: bool,
}

/// A day of a desk's calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DayView {
    /// dd/mm/yyyy
    pub date: String,
    /// 0 Monday … 6 Sunday.
    pub weekday: u8,
    pub slots: Vec<SlotView>,
}

/// Where the signed-in person stands: may they book, and with priority?
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Standing {
    /// Aged 75 or over: priority places are theirs too.
    pub priority: bool,
    /// After three no-shows in a month: booking opens again on this day (dd/mm/yyyy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_until: Option<String>,
    /// Days (dd/mm/yyyy) on which they already hold two bookings.
    #[serde(default)]
    pub full_days: Vec<String>,
}

/// A desk's next days and their slots (`GET /api/v1/desks/{code}/calendar`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Calendar {
    pub desk: String,
    pub desk_name: String,
    pub address: String,
    pub hours: String,
    /// The pool counted: the field with places of its own, or "".
    #[serde(default)]
    pub pool: String,
    pub days: Vec<DayView>,
    /// For a signed-in person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<Standing>,
}

/// The person who will come, when booking for someone else (with consent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Attendee {
    pub full_name: String,
    pub citizen_id: String,
    /// dd/mm/yyyy (for priority places)
    pub birth_date: String,
    pub phone: String,
    /// They agreed to this booking in their name.
    pub consent: bool,
}

/// `POST /api/v1/bookings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBooking {
    pub desk: String,
    /// dd/mm/yyyy
    pub date: String,
    /// HH:MM, the slot's start.
    pub slot: String,
    /// The procedure they come for (its documents go on the ticket).
    #[serde(default)]
    pub procedure: String,
    /// For someone else; none: for the signed-in person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee: Option<Attendee>,
}

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    Booked,
    Cancelled,
    CheckedIn,
    Served,
    NoShow,
}

impl BookingState {
    pub fn slug(self) -> &'static str {
        match self {
            BookingState::Booked => "booked",
            BookingState::Cancelled => "cancelled",
            BookingState::CheckedIn => "checked_in",
            BookingState::Served => "served",
            BookingState::NoShow => "no_show",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Booked, Self::Cancelled, Self::CheckedIn, Self::Served, Self::NoShow]
            .into_iter()
            .find(|x| x.slug() == s)
    }

    pub fn vi(self) -> &'static str {
        match self {
            BookingState::Booked => "Đã đặt lịch",
            BookingState::Cancelled => "Đã hủy",
            BookingState::CheckedIn => "Đã đến, đã lấy số",
            BookingState::Served => "Đã được tiếp nhận",
            BookingState::NoShow => "Không đến",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            BookingState::Booked => "Booked",
            BookingState::Cancelled => "Cancelled",
            BookingState::CheckedIn => "Checked in, number taken",
            BookingState::Served => "Served",
            BookingState::NoShow => "Did not come",
        }
    }
}

/// A booking as its holder sees it: the ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    /// The short code (see [`show_code`]); the QR code carries [`ticket_path`].
    pub code: String,
    pub desk: String,
    pub desk_name: String,
    pub address: String,
    pub hours: String,
    pub phone: String,
    /// dd/mm/yyyy
    pub date: String,
    /// HH:MM
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub procedure_name: String,
    /// What to bring (the procedure's documents).
    #[serde(default)]
    pub bring: Vec<String>,
    /// Who comes, as initials when someone else booked (a volunteer's list).
    pub attendee: String,
    /// A priority place (aged 75 or over).
    pub priority: bool,
    pub state: BookingState,
    /// Checked in: the queue number (as shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// It may still be cancelled or moved (before its slot starts).
    pub changeable: bool,
}

/// A queue number, as the kiosk shows and prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QueueTicket {
    /// As shown: `A007` (booked) or `B012` (walk-in).
    pub number: String,
    pub desk: String,
    pub desk_name: String,
    /// dd/mm/yyyy HH:MM
    pub issued_at: String,
    /// People waiting before this number.
    pub ahead: u32,
    pub priority: bool,
    /// The booking checked in, if any (its code), and its slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<String>,
    #[serde(default)]
    pub slot: String,
}

/// `POST /api/v1/desks/{code}/check-in`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckIn {
    /// The ticket's code, or whatever its QR code said.
    pub code: String,
    /// The desk this kiosk stands at (its `/kiosk?don-vi=`), if it knows:
    /// a booking at another desk is refused, naming that one.
    #[serde(default)]
    pub desk: String,
}

/// One line of a desk's day (`portal desk list`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskLine {
    pub number: String,
    pub booking: Option<String>,
    pub slot: String,
    pub attendee: String,
    pub priority: bool,
    pub issued_at: String,
    pub called_at: Option<String>,
    pub state: String,
}

#[cfg(test)]
mod tests;
