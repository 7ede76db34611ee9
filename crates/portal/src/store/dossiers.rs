//! Dossiers, their history and ratings: every SQL statement about them,
//! and the one rule of who may see and act on a dossier ([`access`]).

use contract::dossier::{dossier_code, Receipt};
use contract::status::DossierStatus;
use contract::validate::Date;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::secrets::same_secret;

/// Everything stored about one dossier that receipts and tracking need.
pub struct Stored {
    pub id: i64,
    /// The citizen ID number it belongs to.
    pub owner: String,
    /// The account that filed it (the citizen, or the volunteer).
    pub filed_by: i64,
    /// The account that proved, with the claim code, it is the resident's.
    pub claimed_by: Option<i64>,
    /// For a dossier filed for a resident: what proves it is theirs.
    pub claim_code: Option<String>,
    /// The volunteer's account, if one filed it.
    pub assisted_by: Option<i64>,
    /// Until when (unix seconds) that volunteer sees the resident's
    /// details: a day after filing, or until they hand over.
    pub assist_until: Option<i64>,
    pub token: String,
    pub receipt: Receipt,
    pub status: DossierStatus,
    /// (status, at, note, amount, by citizen), oldest first.
    pub history: Vec<(DossierStatus, i64, String, Option<i64>, bool)>,
    pub rating: Option<(String, String)>,
    /// Electronic results, first first.
    pub results: Vec<contract::dossier::ResultFile>,
    /// Filed under a back-office driver: (handed over yet, when the back
    /// office last confirmed its status); none when this store keeps it.
    pub back_office: Option<(bool, Option<i64>)>,
    /// The latest payment of its fee online, if any.
    pub payment: Option<contract::tracking::Payment>,
    /// Which fees of it are paid online: each one's `due_from` (the move to
    /// 6 that asked for it, or 0 for the fee paid on filing).
    pub fees_paid: Vec<i64>,
}

impl Stored {
    /// The fee to pay online now, in đồng, and since when it is asked:
    /// at status 6 the amount the officer asked (paid only by a payment
    /// after that move); at filing (1, 2, 4, 5) the fee the catalog says is
    /// paid on filing, until paid. Each fee is known by when it was asked
    /// (0 on filing): a payment pays the one it was begun for. `None` when nothing is to be paid now.
    pub fn fee_due(&self) -> Option<(u64, i64)> {
        let due = if self.status == DossierStatus::PaymentRequested {
            let (_, at, _, amount, _) =
                self.history.iter().rev().find(|h| h.0 == DossierStatus::PaymentRequested)?;
            (amount.filter(|a| *a > 0)? as u64, *at)
        } else if matches!(
            self.status,
            DossierStatus::Registered
                | DossierStatus::Accepted
                | DossierStatus::Processing
                | DossierStatus::SupplementRequested
        ) {
            (self.receipt.fee_on_filing.filter(|a| *a > 0)?, 0)
        } else {
            return None;
        };
        (!self.fees_paid.contains(&due.1)).then_some(due)
    }
}

/// Who is looking at a dossier, as far as it is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The citizen it belongs to: sees everything, may act on it.
    Owner,
    /// The volunteer who filed it for a resident: sees everything (to
    /// print the receipt, to help with what is asked), may not act.
    Assistant,
    /// Anyone with its receipt's token: status and dates, no personal data.
    Public,
    /// Anyone else: answered as if it did not exist.
    None,
}

impl Access {
    /// Personal details: the applicant, the citizen's own notes.
    pub fn sees_personal(self) -> bool {
        matches!(self, Access::Owner | Access::Assistant)
    }

    /// Supplement, withdraw, rate.
    pub fn may_act(self) -> bool {
        self == Access::Owner
    }
}

/// The signed-in account looking at a dossier.
#[derive(Clone, Copy, Debug)]
pub struct Viewer<'a> {
    pub account: i64,
    pub citizen_id: &'a str,
    /// Identity proven (VNeID), not just an ID number typed at registration.
    pub verified: bool,
    /// Unix seconds, now.
    pub now: i64,
}

/// Is `v` the citizen the dossier belongs to? Filed by themselves; or
/// claimed with its claim code; or, by a proven identity, under their ID
/// number. A typed ID number alone never makes a resident's dossier theirs.
pub fn is_owner(d: &Stored, v: Viewer) -> bool {
    (d.assisted_by.is_none() && d.filed_by == v.account)
        || d.claimed_by == Some(v.account)
        || (v.verified && !d.owner.is_empty() && v.citizen_id == d.owner)
}

/// The one access rule, used by receipts, tracking, the SMS link and the
/// owner's actions: the owner (see `is_owner`), then the volunteer who
/// filed it until they handed over (or for a day), then the holder of the
/// token; nobody else.
pub fn access(d: &Stored, viewer: Option<Viewer>, token: &str) -> Access {
    match viewer {
        Some(v) if is_owner(d, v) => Access::Owner,
        Some(v)
            if d.assisted_by == Some(v.account) && d.assist_until.is_some_and(|u| v.now < u) =>
        {
            Access::Assistant
        }
        _ if same_secret(token, &d.token) => Access::Public,
        _ => Access::None,
    }
}

/// A volunteer hands over ("Người tiếp theo"): the residents' details they
/// could still see are theirs no more. Returns how many dossiers.
pub fn hand_over(c: &Connection, volunteer: i64, now: i64) -> rusqlite::Result<usize> {
    c.execute(
        "UPDATE dossiers SET assist_until = ?2 WHERE assisted_by = ?1 AND assist_until > ?2",
        params![volunteer, now],
    )
}

/// Record that a volunteer looked at a resident's details.
pub fn record_assist_view(
    c: &Connection,
    dossier: i64,
    volunteer: i64,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO assist_views(dossier_id, account_id, at) VALUES (?1, ?2, ?3)",
        params![dossier, volunteer, now],
    )
    .map(|_| ())
}

/// Record that `account` proved a resident's dossier is theirs.
pub fn claim(c: &Connection, dossier: i64, account: i64) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE dossiers SET claimed_by = ?2 WHERE id = ?1 AND claimed_by IS NULL",
        params![dossier, account],
    )? == 1)
}

/// A status column: its number, checked.
fn checked(n: u8) -> rusqlite::Result<DossierStatus> {
    DossierStatus::from_number(n).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, n as i64))
}

pub fn load(c: &Connection, code: &str) -> rusqlite::Result<Option<Stored>> {
    type Row = (i64, String, Option<i64>, String, String, u8);
    type Proof = (i64, Option<i64>, Option<String>, Option<i64>);
    let row: Option<(Row, Proof)> = c
        .query_row(
            "SELECT id, owner_citizen_id, assisted_by, token, body, status, owner_id, claimed_by, claim_code,
                    assist_until
             FROM dossiers WHERE code = ?1",
            [code],
            |r| {
                Ok((
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                    (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?),
                ))
            },
        )
        .optional()?;
    let Some((
        (id, owner, assisted_by, token, body, status),
        (filed_by, claimed_by, claim_code, assist_until),
    )) = row
    else {
        return Ok(None);
    };
    let (Ok(receipt), Some(status)) =
        (serde_json::from_str::<Receipt>(&body), DossierStatus::from_number(status))
    else {
        return Ok(None);
    };
    let mut q = c.prepare_cached(
        "SELECT status, at, note, amount, by_citizen FROM dossier_history
         WHERE dossier_id = ?1 ORDER BY at, id",
    )?;
    let history = q
        .query_map([id], |r| Ok((checked(r.get(0)?)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rating = c
        .query_row("SELECT level, comment FROM ratings WHERE dossier_id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let results = super::results::of(c, id)?;
    let back_office = super::back_office::standing(c, id)?;
    let payment = super::payments::latest(c, id)?;
    let fees_paid = super::payments::fees_paid(c, id)?;
    Ok(Some(Stored {
        id,
        owner,
        filed_by,
        claimed_by,
        claim_code,
        assisted_by,
        assist_until,
        token,
        receipt,
        status,
        history,
        rating,
        results,
        back_office,
        payment,
        fees_paid,
    }))
}

/// The receipt of an earlier submission with the same idempotency key.
pub fn by_key(c: &Connection, account: i64, key: &str) -> rusqlite::Result<Option<String>> {
    let sql = "SELECT body FROM dossiers WHERE filed_by = ?1 AND idempotency_key = ?2";
    Ok(super::one::<(String,)>(c, sql, params![account, key])?.map(|(body,)| body))
}

/// A dossier to write: `receipt.code` is given by [`insert`].
pub struct NewDossier<'a> {
    pub receipt: &'a mut Receipt,
    /// The account that filed it.
    pub account: i64,
    pub idempotency_key: &'a str,
    /// The request as sent (JSON).
    pub request: &'a str,
    /// Unix seconds, and the Vietnam date of the code.
    pub received_at: i64,
    pub received_on: Date,
    /// 1 at the desk, 2 online, 3 by post.
    pub channel: u8,
    /// The citizen ID number it belongs to.
    pub owner_citizen_id: &'a str,
    pub assisted_by: Option<i64>,
    /// Filed for a resident: the code that proves it is theirs.
    pub claim_code: Option<&'a str>,
    /// The filled electronic form (`FormAnswers` JSON), if any.
    pub form: Option<&'a str>,
    /// Report it to the national portal (every real filing kept here;
    /// never demo data, nor what a back office keeps and reports itself).
    pub national: bool,
    /// Hand it to the back office of this driver (src/backend/).
    pub forward: Option<&'a str>,
    /// What it asks for, in a line (the national record's `TrichYeuHoSo`).
    pub summary: &'a str,
}

/// Write a new dossier at status 1 with its first history entry, its
/// code taken from the agency's daily sequence. Returns its row id.
pub fn insert(tx: &Transaction, d: NewDossier) -> rusqlite::Result<i64> {
    let day = format!(
        "{:02}{:02}{:02}",
        d.received_on.year % 100,
        d.received_on.month,
        d.received_on.day
    );
    tx.execute(
        "INSERT INTO dossier_sequence(agency, day, last) VALUES (?1, ?2, 1)
         ON CONFLICT(agency, day) DO UPDATE SET last = last + 1",
        params![d.receipt.agency_code, day],
    )?;
    let seq: u32 = super::value(
        tx,
        "SELECT last FROM dossier_sequence WHERE agency = ?1 AND day = ?2",
        params![d.receipt.agency_code, day],
    )?;
    d.receipt.code = dossier_code(&d.receipt.agency_code, d.received_on, seq);
    let body = serde_json::to_string(&*d.receipt)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "INSERT INTO dossiers(code, token, owner_id, filed_by, idempotency_key, procedure_code, unit, request, body,
            status, received_at, due_date, channel, owner_citizen_id, assisted_by, claim_code,
            assist_until, form)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10, ?11, ?12, ?13, ?14,
            CASE WHEN ?13 IS NULL THEN NULL ELSE ?9 + 86400 END, ?15)",
        params![
            d.receipt.code,
            d.receipt.token,
            d.account,
            d.idempotency_key,
            d.receipt.procedure_code,
            d.receipt.agency_code,
            d.request,
            body,
            d.received_at,
            d.receipt.due_date,
            d.channel,
            d.owner_citizen_id,
            d.assisted_by,
            d.claim_code,
            d.form
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO dossier_history(dossier_id, status, at, note) VALUES (?1, 1, ?2, '')",
        params![id, d.received_at],
    )?;
    if d.national {
        let record = crate::national::dossier_record(d.receipt, d.received_at, d.summary);
        super::national::enqueue(tx, id, crate::national::DOSSIER, &record, d.received_at)?;
    }
    if let Some(driver) = d.forward {
        super::back_office::enqueue(tx, id, driver, d.received_at)?;
    }
    Ok(id)
}

/// Whether an account the dossier belongs to turned status texts off: the
/// citizen who filed it for themself, the resident who claimed it, an
/// owner VNeID proved.
pub fn texts_off(c: &Connection, dossier: i64) -> rusqlite::Result<bool> {
    super::value(
        c,
        "SELECT EXISTS(SELECT 1 FROM accounts a JOIN dossiers d ON d.id = ?1
             WHERE a.status_texts = 0 AND (a.id = d.claimed_by
                OR (d.assisted_by IS NULL AND a.id = d.owner_id)
                OR (a.identity_verified = 1 AND a.citizen_id = d.owner_citizen_id)))",
        [dossier],
    )
}

/// The filled electronic form of a dossier (`FormAnswers` JSON), if any.
pub fn form(c: &Connection, dossier: i64) -> rusqlite::Result<Option<String>> {
    let sql = "SELECT form FROM dossiers WHERE id = ?1";
    Ok(super::one::<(Option<String>,)>(c, sql, [dossier])?.and_then(|(f,)| f))
}

/// (receipt JSON, status) of the dossiers `v` owns (the rule of
/// `is_owner`, in SQL), newest first.
/// With each, its electronic results.
pub fn owned_by(c: &Connection, v: Viewer) -> rusqlite::Result<Vec<Owned>> {
    let mut q = c.prepare(
        "SELECT id, body, status FROM dossiers
         WHERE (assisted_by IS NULL AND owner_id = ?1) OR claimed_by = ?1
            OR (?3 AND owner_citizen_id = ?2 AND owner_citizen_id <> '')
         ORDER BY id DESC",
    )?;
    let rows = q.query_map(params![v.account, v.citizen_id, v.verified], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, checked(r.get(2)?)?))
    })?;
    let rows: Vec<(i64, String, DossierStatus)> = rows.collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, body, status)| Ok((body, status, super::results::of(c, id)?)))
        .collect()
}

/// A dossier of "my dossiers": receipt JSON, status, electronic results.
pub type Owned = (String, DossierStatus, Vec<contract::dossier::ResultFile>);

/// (receipt JSON, status) of the dossiers a volunteer filed, newest first.
pub fn assisted_by(c: &Connection, account: i64) -> rusqlite::Result<Vec<(String, DossierStatus)>> {
    let mut q = c.prepare(
        "SELECT body, status FROM dossiers WHERE assisted_by = ?1 ORDER BY id DESC LIMIT 500",
    )?;
    let rows = q.query_map([account], |r| Ok((r.get(0)?, checked(r.get(1)?)?)))?;
    rows.collect()
}

/// Store a rating once; false when the dossier already has one.
pub fn rate(
    c: &Connection,
    dossier: i64,
    level: &str,
    comment: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "INSERT INTO ratings(dossier_id, level, comment, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(dossier_id) DO NOTHING",
        params![dossier, level, comment, now],
    )? == 1)
}

/// Used by tests and the officer tools: how many dossiers exist.
/// (code, token) of a dossier by its code, or of the newest one.
pub fn link(c: &Connection, code: Option<&str>) -> rusqlite::Result<Option<(String, String)>> {
    let sql =
        "SELECT code, token FROM dossiers WHERE ?1 IS NULL OR code = ?1 ORDER BY id DESC LIMIT 1";
    super::one(c, sql, [code])
}

pub fn count(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT COUNT(*) FROM dossiers", [], |r| r.get(0))
}

// -------------------------------------------------------------- transitions

/// Why a status change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TransitionError {
    UnknownDossier,
    UnknownStatus,
    /// Status 6 needs the amount to pay.
    AmountMissing,
    NotAllowed {
        from: u8,
        to: u8,
    },
    /// The province's back office keeps it (src/backend/): its officers
    /// move it there, and its status comes back from there.
    KeptByBackOffice,
}

/// One change of status.
pub struct Move<'a> {
    pub to: u8,
    /// Public note (an officer's), or the citizen's own words.
    pub note: &'a str,
    /// At status 6: the amount to pay, in đồng (required there).
    pub amount: Option<u64>,
    pub by_citizen: bool,
}

pub type Moved = std::result::Result<(u8, i64), TransitionError>;

/// Move dossier `code` to status `m.to` (an officer's action, or the
/// citizen's supplement or withdrawal), if the contract's rules allow that
/// move; the change and its note go into the history. Returns the status it
/// came from and the dossier's row id.
pub fn transition(conn: &mut Connection, code: &str, m: Move, now: i64) -> rusqlite::Result<Moved> {
    let tx = crate::db::write_tx(conn)?;
    let moved = transition_in(&tx, code, m, now)?;
    if moved.is_ok() {
        tx.commit()?;
    }
    Ok(moved)
}

/// The desk accepted the dossier at `now`: the receipt becomes the
/// acceptance receipt, its due date counted from now.
fn accepted(tx: &Transaction, id: i64, now: i64) -> rusqlite::Result<()> {
    use contract::time::{vn_date, vn_hour_minute};
    let body: String =
        tx.query_row("SELECT body FROM dossiers WHERE id = ?1", [id], |r| r.get(0))?;
    let Ok(mut receipt) = serde_json::from_str::<Receipt>(&body) else { return Ok(()) };
    let (day, (hour, minute)) = (vn_date(now as u64), vn_hour_minute(now as u64));
    receipt.accepted_at = Some(contract::time::dmy_hm(day, hour, minute));
    if let Some(n) = receipt.working_days {
        receipt.due_date = contract::time::dmy(contract::workdays::due_date(day, hour, n));
    }
    let body = serde_json::to_string(&receipt)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "UPDATE dossiers SET body = ?2, due_date = ?3 WHERE id = ?1",
        params![id, body, receipt.due_date],
    )?;
    Ok(())
}

/// As `transition`, inside the caller's transaction.
pub fn transition_in(tx: &Transaction, code: &str, m: Move, now: i64) -> rusqlite::Result<Moved> {
    let Some(next) = DossierStatus::from_number(m.to) else {
        return Ok(Err(TransitionError::UnknownStatus));
    };
    if next == DossierStatus::PaymentRequested && m.amount.is_none_or(|a| a == 0) {
        return Ok(Err(TransitionError::AmountMissing));
    }
    let Some((id, from)) = row_and_status(tx, code)? else {
        return Ok(Err(TransitionError::UnknownDossier));
    };
    let allowed = DossierStatus::from_number(from).is_some_and(|f| f.can_move_to(next));
    if !allowed {
        return Ok(Err(TransitionError::NotAllowed { from, to: m.to }));
    }
    if !m.by_citizen && super::back_office::standing(tx, id)?.is_some() {
        return Ok(Err(TransitionError::KeptByBackOffice));
    }
    apply(tx, id, from, next, m, now)
}

/// The back office (src/backend/) says dossier `code` is at `m.to` now: it
/// is the system of record, so its word is taken whatever our move rules
/// say (it may have passed through statuses we never saw). Nothing happens
/// when the status is the one already kept.
pub fn confirm_in(tx: &Transaction, code: &str, m: Move, now: i64) -> rusqlite::Result<Moved> {
    let Some(next) = DossierStatus::from_number(m.to) else {
        return Ok(Err(TransitionError::UnknownStatus));
    };
    let Some((id, from)) = row_and_status(tx, code)? else {
        return Ok(Err(TransitionError::UnknownDossier));
    };
    if from == m.to {
        return Ok(Err(TransitionError::NotAllowed { from, to: m.to }));
    }
    apply(tx, id, from, next, m, now)
}

/// A dossier's row id and status, by its code.
/// A dossier's status number, by its code.
pub fn status_of(tx: &Transaction, code: &str) -> rusqlite::Result<Option<u8>> {
    Ok(row_and_status(tx, code)?.map(|r| r.1))
}

fn row_and_status(tx: &Transaction, code: &str) -> rusqlite::Result<Option<(i64, u8)>> {
    tx.query_row("SELECT id, status FROM dossiers WHERE code = ?1", [code], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

/// Write a move already judged allowed: status, acceptance, history, and
/// the national progress record.
fn apply(
    tx: &Transaction,
    id: i64,
    from: u8,
    next: DossierStatus,
    m: Move,
    now: i64,
) -> rusqlite::Result<Moved> {
    tx.execute("UPDATE dossiers SET status = ?1 WHERE id = ?2", params![m.to, id])?;
    // Accepted: said so, or moved past acceptance (a back office may go
    // straight from filed to processing).
    let past_desk = !matches!(
        next,
        DossierStatus::Registered | DossierStatus::Rejected | DossierStatus::Stopped
    );
    if next == DossierStatus::Accepted || (from == 1 && past_desk) {
        accepted(tx, id, now)?;
    }
    let amount =
        if next == DossierStatus::PaymentRequested { m.amount.map(|a| a as i64) } else { None };
    tx.execute(
        "INSERT INTO dossier_history(dossier_id, status, at, note, amount, by_citizen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, m.to, now, m.note.trim(), amount, m.by_citizen],
    )?;
    // Reported to the national portal, in this same transaction, when the
    // dossier itself was (every real filing; never demo data).
    let (code, agency, due, reported): (String, String, String, bool) = tx.query_row(
        "SELECT code, json_extract(body, '$.agency_name'), due_date,
                EXISTS(SELECT 1 FROM national_sync WHERE dossier_id = ?1 AND service = 'DongBoHoSoMC')
         FROM dossiers WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if !reported {
        return Ok(Ok((from, id)));
    }
    let record = crate::national::progress_record(
        &code,
        m.to,
        now,
        m.note.trim(),
        m.by_citizen,
        &agency,
        &due,
    );
    super::national::enqueue(tx, id, crate::national::PROGRESS, &record, now)?;
    Ok(Ok((from, id)))
}
