//! `portal desk …`: the desk's side of appointments, on the command line
//! beside the serving portal (same database, same desks file as it last
//! started with): the day's queue and the bookings still expected, calling
//! the next number in the desk's order, marking a number served or absent
//! (a booked person absent counts as a no-show).

use contract::appointments::{hm, iso, next_to_call, show_number, DeskLine, Waiting};

use crate::appointments::Desks;
use crate::db::Db;
use crate::store::bookings as store;

#[derive(clap::Subcommand)]
pub enum DeskAction {
    /// The day's numbers and the bookings not yet checked in.
    List {
        /// The desk (its unit code).
        desk: String,
        /// dd/mm/yyyy (default: today).
        #[arg(long)]
        date: Option<String>,
        /// One JSON array of the numbers.
        #[arg(long)]
        json: bool,
    },
    /// Call the next person: priority first, then booked people and
    /// walk-ins in the desk's proportion (`booked_per_walk_in`).
    Call { desk: String },
    /// The person with this number was served (`A007`, `B012` or `7`).
    Served { desk: String, number: String },
    /// The person with this number did not answer when called.
    Absent { desk: String, number: String },
}

fn now() -> anyhow::Result<i64> {
    Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64)
}

fn today(now: i64) -> String {
    iso(contract::time::vn_date(now as u64))
}

fn number(text: &str) -> anyhow::Result<u32> {
    text.trim_start_matches(['A', 'B', 'a', 'b'])
        .parse()
        .map_err(|_| anyhow::anyhow!("\"{text}\" is not a queue number (A007, B012 or 7)"))
}

pub fn run(db: &Db, action: DeskAction) -> anyhow::Result<()> {
    run_at(db, action, now()?)
}

/// [`run`] at `now` (tests move the clock).
pub fn run_at(db: &Db, action: DeskAction, now: i64) -> anyhow::Result<()> {
    match action {
        DeskAction::List { desk, date, json } => {
            let day = match date {
                Some(d) => contract::time::parse_dmy(&d)
                    .map(iso)
                    .ok_or_else(|| anyhow::anyhow!("--date {d}: not dd/mm/yyyy"))?,
                None => today(now),
            };
            let (lines, expected) = db.with(|c| -> rusqlite::Result<_> {
                Ok((lines(c, &desk, &day)?, expected(c, &desk, &day)?))
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&lines)?);
                return Ok(());
            }
            println!("{desk}, {}: {} numbers", crate::appointments::day_dmy(&day), lines.len());
            for l in &lines {
                let who = if l.attendee.is_empty() {
                    "(không hẹn)".to_string()
                } else {
                    l.attendee.clone()
                };
                let prio = if l.priority { " ưu tiên" } else { "" };
                println!(
                    "{:>5}  {:<11} {:<10} {}{prio}  {}",
                    l.number, l.state, l.slot, who, l.issued_at
                );
            }
            if !expected.is_empty() {
                println!("Booked, not yet here:");
                for (slot, code, name) in expected {
                    println!("       {slot}  {}  {name}", contract::appointments::show_code(&code));
                }
            }
            Ok(())
        }
        DeskAction::Call { desk } => {
            match call_next(db, &desk, now)? {
                Some(w) => println!("{}", show_number(w.number, w.booked)),
                None => println!("nobody is waiting"),
            }
            Ok(())
        }
        DeskAction::Served { desk, number: n } => mark(db, &desk, &n, "served", now),
        DeskAction::Absent { desk, number: n } => mark(db, &desk, &n, "absent", now),
    }
}

/// Call the next person at `desk` (marked called): who it is, if anyone waits.
pub fn call_next(db: &Db, desk: &str, now: i64) -> anyhow::Result<Option<Waiting>> {
    let day = today(now);
    let per_walk_in = db.with(|c| Desks::remembered(c))?.of(desk).booked_per_walk_in;
    let called = db.with(|c| -> rusqlite::Result<Option<Waiting>> {
        let tx = crate::db::write_tx(c)?;
        let waiting: Vec<Waiting> = store::day_list(&tx, desk, &day)?
            .into_iter()
            .filter(|n| n.called_at.is_none() && n.absent_at.is_none())
            .map(|n| Waiting {
                number: n.number,
                booked: n.booking.is_some(),
                priority: n.priority,
            })
            .collect();
        let in_a_row = store::booked_in_a_row(&tx, desk, &day)?;
        let next = next_to_call(&waiting, in_a_row, per_walk_in);
        if let Some(w) = next {
            store::mark(&tx, desk, &day, w.number, "called", now)?;
        }
        tx.commit()?;
        Ok(next)
    })?;
    Ok(called)
}

/// Mark number `n` of `desk` today `what` ("served" or "absent").
pub fn mark(db: &Db, desk: &str, n: &str, what: &str, now: i64) -> anyhow::Result<()> {
    let number = number(n)?;
    let day = today(now);
    let done = db.with(|c| -> rusqlite::Result<bool> {
        let tx = crate::db::write_tx(c)?;
        let done = store::mark(&tx, desk, &day, number, what, now)?;
        tx.commit()?;
        Ok(done)
    })?;
    if !done {
        anyhow::bail!("{desk} has no number {n} today");
    }
    println!("{n}: {what}");
    Ok(())
}

/// The day's numbers as the desk reads them.
pub fn lines(c: &rusqlite::Connection, desk: &str, day: &str) -> rusqlite::Result<Vec<DeskLine>> {
    Ok(store::day_list(c, desk, day)?
        .into_iter()
        .map(|n| DeskLine {
            number: show_number(n.number, n.booking.is_some()),
            slot: n.start_min.map(hm).unwrap_or_default(),
            attendee: n.full_name.clone().unwrap_or_default(),
            priority: n.priority,
            issued_at: contract::time::vn_datetime(n.issued_at),
            called_at: n.called_at.map(contract::time::vn_datetime),
            state: if n.served_at.is_some() {
                "served"
            } else if n.absent_at.is_some() {
                "absent"
            } else if n.called_at.is_some() {
                "called"
            } else {
                "waiting"
            }
            .into(),
            booking: n.booking,
        })
        .collect())
}

/// Bookings of the day not yet checked in: (slot, code, name).
fn expected(
    c: &rusqlite::Connection,
    desk: &str,
    day: &str,
) -> rusqlite::Result<Vec<(String, String, String)>> {
    store::expected(c, desk, day)
}
