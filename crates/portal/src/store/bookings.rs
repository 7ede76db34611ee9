//! Bookings at the desk and queue numbers (`bookings`, `queue_numbers`,
//! migration 0022): every statement about them. The rules (places, fair
//! use, when a booking may change) are in `contract::appointments` and
//! `http::bookings`; a booking is counted and written in one IMMEDIATE
//! transaction, so no slot ever holds more than its places.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

/// A booking's row, with its queue number once checked in.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: i64,
    pub code: String,
    pub desk: String,
    pub day: String,
    pub start_min: u32,
    pub end_min: u32,
    pub pool: String,
    /// Aged 75 or over on the day: served first, may take the kept places.
    pub priority: bool,
    pub account: i64,
    pub citizen_id: String,
    pub full_name: String,
    pub phone: String,
    pub for_self: bool,
    pub procedure: String,
    pub state: String,
    pub created_at: i64,
    pub changed_at: i64,
    pub number: Option<u32>,
}

const COLUMNS: &str = "b.id, b.code, b.desk, b.day, b.start_min, b.end_min, b.pool, b.priority,
    b.account, b.citizen_id, b.full_name, b.phone, b.for_self, b.procedure, b.state,
    b.created_at, b.changed_at, q.number";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    from_row!(
        r,
        Row {
            id,
            code,
            desk,
            day,
            start_min,
            end_min,
            pool,
            priority,
            account,
            citizen_id,
            full_name,
            phone,
            for_self,
            procedure,
            state,
            created_at,
            changed_at,
            number
        }
    )
}

/// States that hold a place (a cancelled booking frees it).
const HOLDING: &str = "b.state IN ('booked', 'checked_in', 'served', 'no_show')";

/// Bookings holding places in each slot of `desk`'s `day` in `pool`: slot
/// start → (people under 75, people 75 and over).
pub fn taken(
    c: &Connection,
    desk: &str,
    day: &str,
    pool: &str,
) -> rusqlite::Result<HashMap<u32, (u32, u32)>> {
    let sql = format!(
        "SELECT b.start_min, SUM(1 - b.priority), SUM(b.priority) FROM bookings b
         WHERE b.desk = ?1 AND b.day = ?2 AND b.pool = ?3 AND {HOLDING} GROUP BY b.start_min"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![desk, day, pool], |r| {
        Ok((r.get::<_, u32>(0)?, (r.get::<_, u32>(1)?, r.get::<_, u32>(2)?)))
    })?;
    rows.collect()
}

/// Days (yyyy-mm-dd) from `from` on which the person holds `at_least` bookings.
pub fn full_days(
    c: &Connection,
    citizen_id: &str,
    from: &str,
    at_least: usize,
) -> rusqlite::Result<Vec<String>> {
    let mut st = c.prepare_cached(
        "SELECT b.day FROM bookings b WHERE b.citizen_id = ?1 AND b.day >= ?2
           AND b.state IN ('booked', 'checked_in', 'served')
         GROUP BY b.day HAVING COUNT(*) >= ?3 ORDER BY b.day",
    )?;
    let rows = st.query_map(params![citizen_id, from, at_least as i64], |r| r.get(0))?;
    rows.collect()
}

/// The person's bookings on `day` that count against the limit.
pub fn on_day(c: &Connection, citizen_id: &str, day: &str) -> rusqlite::Result<Vec<Row>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookings b LEFT JOIN queue_numbers q ON q.booking = b.id
         WHERE b.citizen_id = ?1 AND b.day = ?2 AND b.state IN ('booked', 'checked_in', 'served')"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![citizen_id, day], row)?;
    rows.collect()
}

/// When bookings this account made were not kept (Unix seconds), since `since`.
pub fn no_shows(c: &Connection, account: i64, since: i64) -> rusqlite::Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT changed_at FROM bookings WHERE account = ?1 AND state = 'no_show' AND changed_at > ?2",
    )?;
    let rows = st.query_map(params![account, since], |r| r.get(0))?;
    rows.collect()
}

/// Bookings an account made since `since` (for someone else or not).
pub fn made_since(c: &Connection, account: i64, since: i64) -> rusqlite::Result<i64> {
    super::value(
        c,
        "SELECT COUNT(*) FROM bookings WHERE account = ?1 AND created_at > ?2",
        params![account, since],
    )
}

/// A new booking's row.
pub struct New<'a> {
    pub code: &'a str,
    pub desk: &'a str,
    pub day: &'a str,
    pub start_min: u32,
    pub end_min: u32,
    pub pool: &'a str,
    pub priority: bool,
    pub account: i64,
    pub citizen_id: &'a str,
    pub full_name: &'a str,
    pub phone: &'a str,
    pub for_self: bool,
    pub procedure: &'a str,
}

pub fn insert(c: &Connection, b: &New, now: i64) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO bookings (code, desk, day, start_min, end_min, pool, priority, account,
             citizen_id, full_name, phone, for_self, procedure, state, created_at, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'booked', ?14, ?14)",
        params![
            b.code,
            b.desk,
            b.day,
            b.start_min,
            b.end_min,
            b.pool,
            b.priority,
            b.account,
            b.citizen_id,
            b.full_name,
            b.phone,
            b.for_self,
            b.procedure,
            now
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn by_code(c: &Connection, code: &str) -> rusqlite::Result<Option<Row>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookings b LEFT JOIN queue_numbers q ON q.booking = b.id WHERE b.code = ?1"
    );
    c.query_row(&sql, [code], row).optional()
}

/// The bookings an account made or that are for its holder (by ID number,
/// when that identity is proven), newest day first.
pub fn of_account(
    c: &Connection,
    account: i64,
    citizen_id: &str,
    verified: bool,
) -> rusqlite::Result<Vec<Row>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookings b LEFT JOIN queue_numbers q ON q.booking = b.id
         WHERE b.account = ?1 OR (?3 AND b.citizen_id = ?2)
         ORDER BY b.day DESC, b.start_min DESC LIMIT 100"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![account, citizen_id, verified], row)?;
    rows.collect()
}

pub fn set_state(c: &Connection, id: i64, state: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE bookings SET state = ?2, changed_at = ?3 WHERE id = ?1",
        params![id, state, now],
    )?;
    Ok(())
}

/// Move a booking to another slot (its code and QR stay; a reminder is due again).
pub fn move_to(
    c: &Connection,
    id: i64,
    day: &str,
    (start, end): (u32, u32),
    priority: bool,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE bookings SET day = ?2, start_min = ?3, end_min = ?4, priority = ?5,
             changed_at = ?6, reminded_at = NULL,
             remote_state = CASE WHEN remote_id IS NULL OR remote_id = '' THEN 0 ELSE 2 END
         WHERE id = ?1",
        params![id, day, start, end, priority, now],
    )?;
    Ok(())
}

/// Issue the next queue number of `desk`'s `day` (for a booking, or a
/// walk-in); `None` when the day's numbers are all given.
pub fn issue_number(
    c: &Connection,
    desk: &str,
    day: &str,
    booking: Option<i64>,
    priority: bool,
    cap: u32,
    now: i64,
) -> rusqlite::Result<Option<u32>> {
    let last: u32 = super::value(
        c,
        "SELECT COALESCE(MAX(number), 0) FROM queue_numbers WHERE desk = ?1 AND day = ?2",
        params![desk, day],
    )?;
    if last >= cap {
        return Ok(None);
    }
    c.execute(
        "INSERT INTO queue_numbers (desk, day, number, booking, priority, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![desk, day, last + 1, booking, priority, now],
    )?;
    if let Some(b) = booking {
        set_state(c, b, "checked_in", now)?;
    }
    Ok(Some(last + 1))
}

/// A number of a desk's day as the desk sees it.
#[derive(Clone, Debug)]
pub struct Number {
    pub number: u32,
    pub booking: Option<String>,
    pub start_min: Option<u32>,
    pub full_name: Option<String>,
    pub priority: bool,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub served_at: Option<i64>,
    pub absent_at: Option<i64>,
}

/// Every number of `desk`'s `day`, in order.
pub fn day_list(c: &Connection, desk: &str, day: &str) -> rusqlite::Result<Vec<Number>> {
    let mut st = c.prepare_cached(
        "SELECT q.number, b.code, b.start_min, b.full_name, q.priority, q.issued_at, q.called_at,
                q.served_at, q.absent_at
         FROM queue_numbers q LEFT JOIN bookings b ON b.id = q.booking
         WHERE q.desk = ?1 AND q.day = ?2 ORDER BY q.number",
    )?;
    let rows = st.query_map(params![desk, day], |r| {
        from_row!(
            r,
            Number {
                number,
                booking,
                start_min,
                full_name,
                priority,
                issued_at,
                called_at,
                served_at,
                absent_at
            }
        )
    })?;
    rows.collect()
}

/// The booked people called since the last walk-in (for the order of calling).
pub fn booked_in_a_row(c: &Connection, desk: &str, day: &str) -> rusqlite::Result<u32> {
    let mut st = c.prepare_cached(
        "SELECT booking IS NOT NULL FROM queue_numbers
         WHERE desk = ?1 AND day = ?2 AND called_at IS NOT NULL AND priority = 0
         ORDER BY called_at DESC, id DESC LIMIT 50",
    )?;
    let rows = st.query_map(params![desk, day], |r| r.get::<_, bool>(0))?;
    let mut n = 0;
    for booked in rows {
        if !booked? {
            break;
        }
        n += 1;
    }
    Ok(n)
}

/// Mark a number called, served or absent (`what`: the column). A booking
/// absent when called counts as a no-show; served, as served.
pub fn mark(
    c: &Connection,
    desk: &str,
    day: &str,
    number: u32,
    what: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let column = match what {
        "called" => "called_at",
        "served" => "served_at",
        _ => "absent_at",
    };
    let sql = format!(
        "UPDATE queue_numbers SET {column} = ?4, called_at = COALESCE(called_at, ?4)
         WHERE desk = ?1 AND day = ?2 AND number = ?3"
    );
    if c.execute(&sql, params![desk, day, number, now])? == 0 {
        return Ok(false);
    }
    let state = match what {
        "served" => "served",
        "absent" => "no_show",
        _ => return Ok(true),
    };
    c.execute(
        "UPDATE bookings SET state = ?4, changed_at = ?5 WHERE id =
           (SELECT booking FROM queue_numbers WHERE desk = ?1 AND day = ?2 AND number = ?3)",
        params![desk, day, number, state, now],
    )?;
    Ok(true)
}

/// People waiting (not yet called) before `number` at the desk that day.
pub fn ahead(c: &Connection, desk: &str, day: &str, number: u32) -> rusqlite::Result<u32> {
    super::value(
        c,
        "SELECT COUNT(*) FROM queue_numbers WHERE desk = ?1 AND day = ?2 AND number < ?3
           AND called_at IS NULL AND absent_at IS NULL",
        params![desk, day, number],
    )
}

/// Bookings still `booked` whose slot ended more than `grace` minutes ago
/// (days before `today`, or today's before `now_min - grace`) become
/// no-shows; how many.
pub fn mark_no_shows(
    c: &Connection,
    today: &str,
    now_min: u32,
    grace: u32,
    now: i64,
) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE bookings SET state = 'no_show', changed_at = ?4
         WHERE state = 'booked' AND (day < ?1 OR (day = ?1 AND end_min + ?3 <= ?2))",
        params![today, now_min, grace, now],
    )
}

/// Bookings of `day` not yet reminded and made before `made_before`.
pub fn to_remind(c: &Connection, day: &str, made_before: i64) -> rusqlite::Result<Vec<Row>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookings b LEFT JOIN queue_numbers q ON q.booking = b.id
         WHERE b.day = ?1 AND b.state = 'booked' AND b.reminded_at IS NULL AND b.changed_at < ?2
         LIMIT 500"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![day, made_before], row)?;
    rows.collect()
}

pub fn reminded(c: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE bookings SET reminded_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

/// Whether texts to this person are off: an account of theirs said so.
pub fn texts_off(c: &Connection, citizen_id: &str) -> rusqlite::Result<bool> {
    super::value(
        c,
        "SELECT EXISTS(SELECT 1 FROM accounts WHERE citizen_id = ?1 AND status_texts = 0)",
        [citizen_id],
    )
}

/// Bookings not yet told to the back office, or moved since (booked, upcoming).
pub fn unsent(c: &Connection, from_day: &str) -> rusqlite::Result<Vec<Row>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bookings b LEFT JOIN queue_numbers q ON q.booking = b.id
         WHERE (b.remote_id IS NULL OR b.remote_state = 2) AND b.state = 'booked' AND b.day >= ?1
         LIMIT 100"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([from_day], row)?;
    rows.collect()
}

/// The back office has it as `remote` ("" when it keeps no bookings).
pub fn set_remote(c: &Connection, id: i64, remote: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE bookings SET remote_id = ?2, remote_state = 0 WHERE id = ?1",
        params![id, remote],
    )?;
    Ok(())
}

/// Cancelled bookings the back office still holds: (id, its id there).
pub fn to_take_back(c: &Connection) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut st = c.prepare_cached(
        "SELECT id, remote_id FROM bookings WHERE state = 'cancelled' AND remote_id IS NOT NULL
           AND remote_id != '' AND remote_state != 1 LIMIT 100",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

pub fn taken_back(c: &Connection, id: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE bookings SET remote_state = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// The statistics' facts for `[from, to)` (Unix seconds), one desk or all
/// (`desk` empty): bookings made and not cancelled, check-ins, walk-ins,
/// and the waits (number taken → called, seconds).
pub fn figures(
    c: &Connection,
    from: i64,
    to: i64,
    desk: &str,
) -> rusqlite::Result<(u32, u32, u32, Vec<i64>)> {
    let bookings: u32 = super::value(
        c,
        "SELECT COUNT(*) FROM bookings WHERE created_at >= ?1 AND created_at < ?2
           AND state != 'cancelled' AND (?3 = '' OR desk = ?3)",
        params![from, to, desk],
    )?;
    let (check_ins, walk_ins): (u32, u32) = c.query_row(
        "SELECT COALESCE(SUM(booking IS NOT NULL), 0), COALESCE(SUM(booking IS NULL), 0)
         FROM queue_numbers WHERE issued_at >= ?1 AND issued_at < ?2 AND (?3 = '' OR desk = ?3)",
        params![from, to, desk],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut st = c.prepare_cached(
        "SELECT called_at - issued_at FROM queue_numbers
         WHERE issued_at >= ?1 AND issued_at < ?2 AND (?3 = '' OR desk = ?3) AND called_at IS NOT NULL",
    )?;
    let waits = st
        .query_map(params![from, to, desk], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok((bookings, check_ins, walk_ins, waits))
}

/// Bookings of `desk`'s `day` still expected (not checked in): slot, code, name.
pub fn expected(
    c: &Connection,
    desk: &str,
    day: &str,
) -> rusqlite::Result<Vec<(String, String, String)>> {
    let mut st = c.prepare_cached(
        "SELECT start_min, code, full_name FROM bookings
         WHERE desk = ?1 AND day = ?2 AND state = 'booked' ORDER BY start_min, id",
    )?;
    let rows = st.query_map(params![desk, day], |r| {
        Ok((contract::appointments::hm(r.get(0)?), r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}
