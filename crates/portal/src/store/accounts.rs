//! Accounts, their sessions and their one-time code exchanges: every SQL
//! statement about them, one function each. Rules (who may, how long,
//! how many) stay with the handlers in `http::accounts` and `http::session`.

use contract::account::Me;
use rusqlite::{params, Connection, OptionalExtension};

// ---------------------------------------------------------------- accounts

/// The account's details as the app shows them.
pub fn me(c: &Connection, account: i64) -> rusqlite::Result<Me> {
    c.query_row(
        "SELECT citizen_id, full_name, birth_date, phone, email, volunteer, identity_verified,
                status_texts
         FROM accounts WHERE id = ?1",
        [account],
        |r| {
            Ok(Me {
                citizen_id: r.get(0)?,
                full_name: r.get(1)?,
                birth_date: r.get(2)?,
                phone: r.get::<_, String>(3).map(|p| {
                    if p.starts_with(NO_PHONE) {
                        String::new()
                    } else {
                        p
                    }
                })?,
                email: r.get(4)?,
                volunteer: r.get(5)?,
                identity_verified: r.get(6)?,
                status_texts: r.get(7)?,
                last_address: String::new(),
                last_phone: String::new(),
            })
        },
    )
    .and_then(|mut me| {
        // Where and how they were reached on their own last dossier, offered again.
        let last: Option<(Option<String>, Option<String>)> = c
            .query_row(
                "SELECT json_extract(body, '$.applicant.address'), json_extract(body, '$.applicant.phone')
                 FROM dossiers
                 WHERE filed_by = ?1 AND assisted_by IS NULL
                   AND json_extract(body, '$.on_behalf') = 0
                 ORDER BY id DESC LIMIT 1",
                [account],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((address, phone)) = last {
            me.last_address = address.unwrap_or_default();
            me.last_phone = phone.unwrap_or_default();
        }
        Ok(me)
    })
}

/// Make the holder of `citizen_id` a volunteer (`portal officer
/// grant-volunteer`); false when no account has that ID.
pub fn grant_volunteer(c: &Connection, citizen_id: &str) -> rusqlite::Result<bool> {
    Ok(c.execute("UPDATE accounts SET volunteer = 1 WHERE citizen_id = ?1", [citizen_id])? > 0)
}

/// An account found by its ID number or phone: (id, phone, password hash).
pub type Found = (i64, String, String);

pub fn find_by_citizen_id(c: &Connection, citizen_id: &str) -> rusqlite::Result<Option<Found>> {
    super::one(
        c,
        "SELECT id, phone, password_hash FROM accounts WHERE citizen_id = ?1",
        [citizen_id],
    )
}

pub fn find_by_phone(c: &Connection, phone: &str) -> rusqlite::Result<Option<Found>> {
    super::one(c, "SELECT id, phone, password_hash FROM accounts WHERE phone = ?1", [phone])
}

/// The phones of the accounts that hold this ID number or this phone.
/// Who already holds what a registration typed.
#[derive(Debug, Default)]
pub struct Holders {
    /// The typed phone is an account's.
    pub phone: bool,
    /// The typed ID number is an account's: that account's phone, if it
    /// has one (an account made through VNeID may not).
    pub id: Option<Option<String>>,
}

pub fn holders(c: &Connection, citizen_id: &str, phone: &str) -> rusqlite::Result<Holders> {
    let phone_held: bool =
        c.query_row("SELECT EXISTS(SELECT 1 FROM accounts WHERE phone = ?1)", [phone], |r| {
            r.get(0)
        })?;
    let id: Option<String> = c
        .query_row("SELECT phone FROM accounts WHERE citizen_id = ?1", [citizen_id], |r| r.get(0))
        .optional()?;
    Ok(Holders { phone: phone_held, id: id.map(|p| (!p.starts_with(NO_PHONE)).then_some(p)) })
}

pub fn phone_taken(c: &Connection, phone: &str) -> rusqlite::Result<bool> {
    c.query_row("SELECT COUNT(*) FROM accounts WHERE phone = ?1", [phone], |r| r.get::<_, i64>(0))
        .map(|n| n > 0)
}

/// A new account; `None` when its ID number or phone is taken.
pub fn insert(
    c: &Connection,
    me: &Me,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    let inserted = c.execute(
        "INSERT INTO accounts(citizen_id, full_name, birth_date, phone, email, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        params![me.citizen_id, me.full_name, me.birth_date, me.phone, me.email, password_hash, now],
    )?;
    Ok((inserted == 1).then(|| c.last_insert_rowid()))
}

/// A new password; every session of the account ends with it, and every
/// grant made from one ([`end_sessions`]).
pub fn set_password(c: &Connection, account: i64, password_hash: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE accounts SET password_hash = ?1 WHERE id = ?2",
        params![password_hash, account],
    )?;
    end_sessions(c, account)
}

/// End everything that speaks for the account now: its sessions, the kiosk
/// pairings approved for it and not yet collected (a pairing is collected
/// only while the session that approved it lives, and these are gone too),
/// and its code exchanges in flight. The one place a revocation is written:
/// a password reset, a takeover by the proven identity and signing out
/// everywhere all come here.
pub fn end_sessions(c: &Connection, account: i64) -> rusqlite::Result<()> {
    c.execute("DELETE FROM sessions WHERE account_id = ?1", [account])?;
    c.execute("DELETE FROM pairings WHERE account_id = ?1", [account])?;
    c.execute("UPDATE challenges SET used = 1 WHERE account_id = ?1", [account])?;
    Ok(())
}

pub fn set_email(c: &Connection, account: i64, email: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE accounts SET email = ?1 WHERE id = ?2", params![email, account]).map(|_| ())
}

/// Turn the texts about the account's dossiers on or off.
pub fn set_status_texts(c: &Connection, account: i64, on: bool) -> rusqlite::Result<()> {
    c.execute("UPDATE accounts SET status_texts = ?1 WHERE id = ?2", params![on, account])
        .map(|_| ())
}

/// Move the account to `phone`; false when another account holds it.
pub fn set_phone(c: &Connection, account: i64, phone: &str) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE accounts SET phone = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM accounts WHERE phone = ?1)",
        params![phone, account],
    )? == 1)
}

// ---------------------------------------------------------------- sessions

/// A new session; `paired`: made by a kiosk pairing.
pub fn insert_session(
    c: &Connection,
    token_hash: &str,
    account: i64,
    now: i64,
    paired: bool,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO sessions(token_hash, account_id, created_at, last_seen, paired)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        params![token_hash, account, now, paired],
    )
    .map(|_| ())
}

/// A live session: its account, and whether a kiosk pairing made it.
#[derive(Clone, Copy, Debug)]
pub struct Live {
    pub account: i64,
    pub paired: bool,
}

/// The account of a live session: one used within `idle` seconds and
/// begun within `max`. A session past either is deleted. Its last use is
/// written at most every 30 seconds.
pub fn live_session(
    c: &Connection,
    token_hash: &str,
    now: i64,
    idle: i64,
    max: i64,
) -> rusqlite::Result<Option<Live>> {
    let sql =
        "SELECT account_id, created_at, last_seen, paired FROM sessions WHERE token_hash = ?1";
    let row: Option<(i64, i64, i64, bool)> = super::one(c, sql, [token_hash])?;
    match row {
        Some((account, created, seen, paired)) if now - seen < idle && now - created < max => {
            if now - seen >= 30 {
                c.execute(
                    "UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2",
                    params![now, token_hash],
                )?;
            }
            Ok(Some(Live { account, paired }))
        }
        Some(_) => {
            delete_session(c, token_hash)?;
            Ok(None)
        }
        None => Ok(None),
    }
}

pub fn delete_session(c: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash]).map(|_| ())
}

// ---------------------------------------------------------------- pairings

/// A kiosk's pairing, as the handlers in `http::pairing` need it.
pub struct Pairing {
    pub kiosk_hash: String,
    pub check: String,
    pub expires_at: i64,
    pub opened: bool,
    pub account: Option<i64>,
}

/// Store a new pairing, dropping those whose time is over.
pub fn insert_pairing(
    c: &Connection,
    code: &str,
    kiosk_hash: &str,
    check: &str,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    c.execute("DELETE FROM pairings WHERE expires_at <= ?1", [now])?;
    c.execute(
        "INSERT INTO pairings(code, kiosk_hash, check_digits, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![code, kiosk_hash, check, expires_at],
    )
    .map(|_| ())
}

/// A pairing still in time.
pub fn pairing(c: &Connection, code: &str, now: i64) -> rusqlite::Result<Option<Pairing>> {
    c.query_row(
        "SELECT kiosk_hash, check_digits, expires_at, opened, account_id FROM pairings
         WHERE code = ?1 AND expires_at > ?2",
        params![code, now],
        |r| from_row!(r, Pairing { kiosk_hash, check, expires_at, opened, account }),
    )
    .optional()
}

/// The phone has opened the pairing's link.
pub fn pairing_opened(c: &Connection, code: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE pairings SET opened = 1 WHERE code = ?1", [code]).map(|_| ())
}

/// Confirm a pairing for `account` by the session `approved_by` (its
/// token's hash): true only for the first confirmation of a pairing still
/// in time.
pub fn approve_pairing(
    c: &Connection,
    code: &str,
    account: i64,
    approved_by: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE pairings SET account_id = ?2, approved_by = ?3, opened = 1
         WHERE code = ?1 AND account_id IS NULL AND expires_at > ?4",
        params![code, account, approved_by, now],
    )? == 1)
}

/// A pairing is used once: gone when the kiosk collects its session. True
/// only when it was there and the session that approved it still lives
/// (the pairing is deleted either way).
pub fn collect_pairing(c: &Connection, code: &str) -> rusqlite::Result<bool> {
    let approver_lives: Option<bool> = c
        .query_row(
            "SELECT EXISTS(SELECT 1 FROM sessions s WHERE s.token_hash = p.approved_by
                             AND s.account_id = p.account_id)
             FROM pairings p WHERE p.code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?;
    let deleted = c.execute("DELETE FROM pairings WHERE code = ?1", [code])? == 1;
    Ok(deleted && approver_lives == Some(true))
}

// -------------------------------------------------------------- challenges

/// A code exchange to start. `live` = false answers like a real one but
/// never verifies (registering a known ID, resetting an unknown one).
pub struct NewChallenge<'a> {
    pub id: &'a str,
    pub purpose: &'static str,
    pub phone: &'a str,
    pub account: Option<i64>,
    pub payload: &'a str,
    pub live: bool,
    pub code_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub fn insert_challenge(c: &Connection, ch: &NewChallenge) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO challenges(id, purpose, phone, account_id, payload, live, code_hash, sent_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            ch.id,
            ch.purpose,
            ch.phone,
            ch.account,
            ch.payload,
            ch.live,
            ch.code_hash,
            ch.now,
            ch.expires_at
        ],
    )
    .map(|_| ())
}

#[derive(Debug)]
pub struct Challenge {
    pub purpose: String,
    pub phone: String,
    pub account: Option<i64>,
    pub payload: String,
    pub live: bool,
    pub code_hash: String,
    pub attempts: i64,
    pub sends: i64,
    pub sent_at: i64,
    pub expires_at: i64,
    pub verified: bool,
    pub used: bool,
}

pub fn challenge(c: &Connection, id: &str) -> rusqlite::Result<Option<Challenge>> {
    c.query_row(
        "SELECT purpose, phone, account_id, payload, live, code_hash, attempts, sends, sent_at,
                expires_at, verified, used FROM challenges WHERE id = ?1",
        [id],
        |r| {
            from_row!(
                r,
                Challenge {
                    purpose,
                    phone,
                    account,
                    payload,
                    live,
                    code_hash,
                    attempts,
                    sends,
                    sent_at,
                    expires_at,
                    verified,
                    used
                }
            )
        },
    )
    .optional()
}

/// A new code for the same exchange: attempts start again.
pub fn resent(
    c: &Connection,
    id: &str,
    code_hash: &str,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE challenges SET code_hash = ?1, attempts = 0, sends = sends + 1, sent_at = ?2, expires_at = ?3
         WHERE id = ?4",
        params![code_hash, now, expires_at, id],
    )
    .map(|_| ())
}

pub fn verified(c: &Connection, id: &str, expires_at: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE challenges SET verified = 1, expires_at = ?1 WHERE id = ?2",
        params![expires_at, id],
    )
    .map(|_| ())
}

pub fn wrong_attempt(c: &Connection, id: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE challenges SET attempts = attempts + 1 WHERE id = ?1", [id]).map(|_| ())
}

pub fn used(c: &Connection, id: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE challenges SET used = 1 WHERE id = ?1", [id]).map(|_| ())
}

// -------------------------------------------------------------------- meta

/// The key mixed into code hashes, created once per database.
pub fn server_secret(c: &mut Connection) -> anyhow::Result<Vec<u8>> {
    let hex: Option<String> = c
        .query_row("SELECT value FROM meta WHERE key = 'code_secret'", [], |r| r.get(0))
        .optional()?;
    if let Some(hex) = hex {
        return Ok(hex.into_bytes());
    }
    let hex = crate::secrets::random_hex::<32>();
    c.execute("INSERT INTO meta(key, value) VALUES ('code_secret', ?1)", [&hex])?;
    Ok(hex.into_bytes())
}

// ------------------------------------------------------------------- VNeID

/// What a VNeID callback needs of the sign-in it answers.
pub struct VneidLogin {
    pub nonce: String,
    pub verifier: String,
    pub next: String,
}

pub fn insert_vneid_login(
    c: &Connection,
    state_hash: &str,
    nonce: &str,
    verifier: &str,
    next: &str,
    expires_at: i64,
) -> rusqlite::Result<()> {
    // Sign-ins whose time is over go first: the table holds only the last
    // few minutes' (a replayed answer finds nothing, as a used one did).
    let now = expires_at - contract::account::VNEID_TTL_SECS as i64;
    c.execute("DELETE FROM vneid_logins WHERE expires_at < ?1", [now])?;
    c.execute(
        "INSERT INTO vneid_logins(state_hash, nonce, verifier, next, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![state_hash, nonce, verifier, next, expires_at],
    )
    .map(|_| ())
}

/// The sign-in of this state, once (it is spent here) and only in time.
pub fn take_vneid_login(
    c: &Connection,
    state_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<VneidLogin>> {
    let sql = "UPDATE vneid_logins SET used = 1
               WHERE state_hash = ?1 AND used = 0 AND expires_at > ?2
               RETURNING nonce, verifier, next";
    let row: Option<(String, String, String)> = super::one(c, sql, params![state_hash, now])?;
    Ok(row.map(|(nonce, verifier, next)| VneidLogin { nonce, verifier, next }))
}

/// Stands in the phone column of an account made through VNeID, until its
/// holder confirms a phone: never a number, so no code is ever sent to it.
pub const NO_PHONE: &str = "vneid:";

/// The account of a citizen whose identity VNeID proved. A new one is made;
/// an unproven one with that ID number (anyone could have registered it) is
/// taken over: proven, its password and phone dropped and its sessions
/// ended, so whoever made it keeps nothing. Name and birth date follow the
/// provider.
/// Also whether the account now has no phone because of this sign-in (made
/// now, or taken over): the one moment the app asks for one.
pub fn link_proven(
    c: &mut Connection,
    citizen_id: &str,
    full_name: &str,
    birth_date: &str,
    now: i64,
) -> rusqlite::Result<(i64, bool)> {
    let tx = crate::db::write_tx(c)?;
    let found: Option<(i64, bool)> = super::one(
        &tx,
        "SELECT id, identity_verified FROM accounts WHERE citizen_id = ?1",
        [citizen_id],
    )?;
    let no_phone = format!("{NO_PHONE}{citizen_id}");
    let id = match found {
        None => {
            tx.execute(
                "INSERT INTO accounts(citizen_id, full_name, birth_date, phone, email, password_hash,
                                      created_at, identity_verified)
                 VALUES (?1, ?2, ?3, ?4, '', '!', ?5, 1)",
                params![citizen_id, full_name, birth_date, no_phone, now],
            )?;
            (tx.last_insert_rowid(), true)
        }
        Some((id, true)) => {
            tx.execute(
                "UPDATE accounts SET full_name = ?2, birth_date = ?3 WHERE id = ?1",
                params![id, full_name, birth_date],
            )?;
            (id, false)
        }
        Some((id, false)) => {
            tx.execute(
                "UPDATE accounts SET full_name = ?2, birth_date = ?3, phone = ?4,
                        password_hash = '!', identity_verified = 1 WHERE id = ?1",
                params![id, full_name, birth_date, no_phone],
            )?;
            end_sessions(&tx, id)?;
            // What the unproven account was preparing is the work of
            // whoever made it, not the holder's: its drafts and the files
            // it uploaded and never filed go. What it filed stays: filed
            // under this ID number, it is the holder's to see and withdraw.
            // (Its unfiled uploads are aged past the clean-up's 30 days, so
            // the next hourly clean-up deletes them and their stored blobs.)
            tx.execute("DELETE FROM drafts WHERE account_id = ?1", [id])?;
            tx.execute(
                "UPDATE files SET created_at = 0 WHERE account_id = ?1 AND dossier_id IS NULL",
                [id],
            )?;
            (id, true)
        }
    };
    tx.commit()?;
    Ok(id)
}
