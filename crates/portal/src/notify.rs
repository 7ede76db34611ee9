//! News of a dossier for its applicant: what is sent when an officer moves
//! it (from the officer API or the command line), to whom, and when not.

use rusqlite::Connection;

use crate::sms::Message;
use crate::store::dossiers::{load, Stored};

/// The statuses at which the applicant is told: the dossier was received
/// or refused, needs them (documents, a fee), or its result is ready or
/// handed over.
pub const NOTIFIED: [u8; 6] = [2, 3, 5, 6, 9, 10];

/// Where a dossier stands, what else the citizen must know (`more`) and its
/// tracking link: the code and the status only, nothing personal.
pub fn status_text(origin: &str, d: &Stored, more: &str) -> String {
    let r = &d.receipt;
    let more = if more.is_empty() { String::new() } else { format!(" {more}.") };
    format!(
        "Một Cửa: hồ sơ {} - {}.{more} Tra cứu tình trạng: {origin}{}",
        r.code,
        d.status.vi(),
        contract::tracking::status_link(&r.code, &r.token)
    )
}

/// The message for dossier `code`, just moved to `to`, if its applicant is
/// to be told: only at [`NOTIFIED`] statuses, only to the phone given in
/// the dossier, and not when an account it belongs to turned texts off.
pub fn status_message(
    c: &Connection,
    origin: &str,
    code: &str,
    note: &str,
    amount: Option<u64>,
) -> rusqlite::Result<Option<Message>> {
    let Some(d) = load(c, code)? else { return Ok(None) };
    let to = d.status as u8;
    if !NOTIFIED.contains(&to) || d.receipt.applicant.phone.is_empty() {
        return Ok(None);
    }
    let off = crate::store::dossiers::texts_off(c, d.id)?;
    if off {
        return Ok(None);
    }
    let more = match to {
        5 => format!("Cần bổ sung: {}", note.chars().take(80).collect::<String>()),
        6 => format!("Lệ phí: {} đồng", amount.unwrap_or(0)),
        _ => String::new(),
    };
    let status = d.status.vi();
    let link =
        format!("{origin}{}", contract::tracking::status_link(&d.receipt.code, &d.receipt.token));
    Ok(Some(Message {
        phone: d.receipt.applicant.phone.clone(),
        text: status_text(origin, &d, &more),
        dossier: Some(d.receipt.code.clone()),
        // The values a province's Zalo template names.
        data: Some(serde_json::json!({
            "ma_ho_so": d.receipt.code, "trang_thai": status, "noi_dung": more, "lien_ket": link,
        })),
        warning: false,
    }))
}

/// How the serving portal sends news: the address its links use, and its
/// channel and the state a queued row starts in. Written at each start
/// (`main.rs`), read by the command line, which runs beside it on the same
/// database and so queues exactly as the officer API does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub origin: String,
    /// (channel, first state); none: no gateway, nothing is queued.
    pub channel: Option<(String, String)>,
}

const ROUTE_KEY: &str = "news_route";

/// Remember how news is sent (the serving portal, at start).
pub fn remember(c: &Connection, route: &Route) -> rusqlite::Result<()> {
    let value = serde_json::json!({ "origin": route.origin, "channel": route.channel }).to_string();
    crate::store::meta::set(c, ROUTE_KEY, &value)
}

/// How the serving portal last said news is sent; none before it first ran.
pub fn remembered(c: &Connection) -> rusqlite::Result<Option<Route>> {
    let value = crate::store::meta::get(c, ROUTE_KEY)?;
    Ok(value.and_then(|v| serde_json::from_str::<serde_json::Value>(&v).ok()).map(|v| Route {
        origin: v["origin"].as_str().unwrap_or("").to_string(),
        channel: v["channel"].as_array().and_then(|a| {
            Some((a.first()?.as_str()?.to_string(), a.get(1)?.as_str()?.to_string()))
        }),
    }))
}

/// What became of a move.
pub struct Told {
    pub moved: crate::store::dossiers::Moved,
    /// The applicant's message was queued (with the move, in one transaction).
    pub queued: bool,
}

/// Whose word moves a dossier.
#[derive(Clone, Copy)]
pub enum By {
    /// An officer (the officer API and the command line alike): the
    /// contract's transition rules apply.
    Officer,
    /// The back office reporting a status (`store::dossiers::confirm_in`):
    /// its word is taken as it is.
    BackOffice,
}

/// Move dossier `code` and queue its applicant's message in the same
/// transaction, by `route`: the one way a dossier is moved.
pub fn move_and_tell(
    c: &mut Connection,
    code: &str,
    m: crate::store::dossiers::Move,
    (now, by): (i64, By),
    route: &Route,
) -> rusqlite::Result<Told> {
    let mover: Mover = match by {
        By::Officer => crate::store::dossiers::transition_in,
        By::BackOffice => crate::store::dossiers::confirm_in,
    };
    tell(c, code, m, now, route, mover)
}

type Mover = fn(
    &rusqlite::Transaction,
    &str,
    crate::store::dossiers::Move,
    i64,
) -> rusqlite::Result<crate::store::dossiers::Moved>;

fn tell(
    c: &mut Connection,
    code: &str,
    m: crate::store::dossiers::Move,
    now: i64,
    route: &Route,
    mover: Mover,
) -> rusqlite::Result<Told> {
    let (note, amount) = (m.note.to_string(), m.amount);
    let tx = crate::db::write_tx(c)?;
    let moved = mover(&tx, code, m, now)?;
    if moved.is_err() {
        return Ok(Told { moved, queued: false });
    }
    let mut queued = false;
    if let Some((channel, state)) = &route.channel {
        if let Some(msg) = status_message(&tx, &route.origin, code, &note, amount)? {
            queued = crate::sms::queue(&tx, channel, &msg, state, now)?.is_some();
        }
    }
    tx.commit()?;
    Ok(Told { moved, queued })
}
