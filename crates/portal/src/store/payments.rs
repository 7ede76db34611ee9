//! Payments of dossiers' fees (`payments` table, migration 0020): every
//! statement about them. The rules (who may pay, what a callback must
//! prove) are in `http::payments` and `payment.rs`.

use contract::tracking::{Payment, PaymentState};
use rusqlite::{params, Connection, OptionalExtension};

fn state_of(s: &str) -> PaymentState {
    match s {
        "paid" => PaymentState::Paid,
        "failed" => PaymentState::Failed,
        _ => PaymentState::Pending,
    }
}

/// The dossier's latest payment, as the status page shows it.
pub fn latest(c: &Connection, dossier: i64) -> rusqlite::Result<Option<Payment>> {
    c.query_row(
        "SELECT state, amount, reference, settled_at, transaction_code, bank, reason
         FROM payments WHERE dossier_id = ?1 ORDER BY id DESC LIMIT 1",
        [dossier],
        |r| {
            let state = state_of(&r.get::<_, String>(0)?);
            let settled: Option<i64> = r.get(3)?;
            Ok(Payment {
                state,
                amount: r.get::<_, i64>(1)?.max(0) as u64,
                reference: r.get(2)?,
                paid_at: settled
                    .filter(|_| state == PaymentState::Paid)
                    .map(contract::time::vn_datetime)
                    .unwrap_or_default(),
                transaction: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                bank: r.get(5)?,
                reason: r.get(6)?,
            })
        },
    )
    .optional()
}

/// The attempt still pending for a dossier: (reference, amount, pay URL).
pub fn pending_of(c: &Connection, dossier: i64) -> rusqlite::Result<Option<(String, u64, String)>> {
    c.query_row(
        "SELECT reference, amount, pay_url FROM payments
         WHERE dossier_id = ?1 AND state = 'pending' ORDER BY id DESC LIMIT 1",
        [dossier],
        |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64, r.get(2)?)),
    )
    .optional()
}

/// Whether the dossier's fee is paid already.
pub fn paid(c: &Connection, dossier: i64) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT EXISTS(SELECT 1 FROM payments WHERE dossier_id = ?1 AND state = 'paid')",
        [dossier],
        |r| r.get(0),
    )
}

/// A new attempt, pending, under `reference`.
pub fn begin(
    c: &Connection,
    dossier: i64,
    reference: &str,
    amount: u64,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO payments(dossier_id, reference, amount, state, created_at)
         VALUES (?1, ?2, ?3, 'pending', ?4)",
        params![dossier, reference, amount as i64, now],
    )?;
    Ok(())
}

/// The platform's page for the attempt, once it answered.
pub fn set_url(c: &Connection, reference: &str, url: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE payments SET pay_url = ?2 WHERE reference = ?1", params![reference, url])?;
    Ok(())
}

/// An attempt the platform never took (it was away, or refused the INIT).
pub fn abandon(c: &Connection, reference: &str, reason: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE payments SET state = 'failed', reason = ?2, settled_at = ?3
         WHERE reference = ?1 AND state = 'pending'",
        params![reference, reason, now],
    )?;
    Ok(())
}

/// What we hold of an attempt: (dossier id, dossier code, amount, state).
pub fn by_reference(
    c: &Connection,
    reference: &str,
) -> rusqlite::Result<Option<(i64, String, u64, PaymentState)>> {
    c.query_row(
        "SELECT p.dossier_id, d.code, p.amount, p.state
         FROM payments p JOIN dossiers d ON d.id = p.dossier_id WHERE p.reference = ?1",
        [reference],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, i64>(2)?.max(0) as u64,
                state_of(&r.get::<_, String>(3)?),
            ))
        },
    )
    .optional()
}

/// Whether a transaction code was already settled (under any reference).
pub fn transaction_known(c: &Connection, transaction: &str) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT EXISTS(SELECT 1 FROM payments WHERE transaction_code = ?1)",
        [transaction],
        |r| r.get(0),
    )
}

/// Settle a pending attempt as paid; false when it was not pending (settled
/// already: the same callback twice, or the query first).
pub fn settle_paid(
    c: &Connection,
    reference: &str,
    transaction: &str,
    bank: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE payments SET state = 'paid', transaction_code = ?2, bank = ?3, settled_at = ?4
         WHERE reference = ?1 AND state = 'pending'",
        params![reference, transaction, bank, now],
    )? == 1)
}

/// Settle a pending attempt as failed (refused by the bank, cancelled).
pub fn settle_failed(
    c: &Connection,
    reference: &str,
    reason: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE payments SET state = 'failed', reason = ?2, settled_at = ?3
         WHERE reference = ?1 AND state = 'pending'",
        params![reference, reason, now],
    )? == 1)
}

/// Attempts pending since before `before`, not asked about since `asked`:
/// what the reconciliation asks the platform about (oldest first, at most
/// `limit`), each marked as asked now.
pub fn to_reconcile(
    c: &Connection,
    before: i64,
    asked: i64,
    now: i64,
    limit: u32,
) -> rusqlite::Result<Vec<String>> {
    let mut st = c.prepare(
        "SELECT reference FROM payments
         WHERE state = 'pending' AND created_at < ?1 AND last_query_at < ?2
         ORDER BY created_at LIMIT ?3",
    )?;
    let refs = st
        .query_map(params![before, asked, limit], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for r in &refs {
        c.execute("UPDATE payments SET last_query_at = ?2 WHERE reference = ?1", params![r, now])?;
    }
    Ok(refs)
}

/// Payments settled as paid (for the statistics).
pub fn count_paid(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT COUNT(*) FROM payments WHERE state = 'paid'", [], |r| r.get(0))
}
