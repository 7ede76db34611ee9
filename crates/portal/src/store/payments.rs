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

/// The e-receipt of a row, when it has one; who paid is filled in by
/// tracking, which knows who is asking.
fn receipt_of(
    series: Option<String>,
    number: Option<i64>,
    amount: i64,
) -> Option<contract::tracking::EReceipt> {
    Some(contract::tracking::EReceipt {
        series: series?,
        number: format!("{:07}", number?),
        payer: String::new(),
        in_words: contract::text::dong_in_words(amount.max(0) as u64),
    })
}

/// An e-receipt's series and number as one line ("MC26 0000012"), or empty.
fn receipt_label(series: Option<String>, number: Option<i64>) -> String {
    match (series, number) {
        (Some(s), Some(n)) => format!("{s} {n:07}"),
        _ => String::new(),
    }
}

/// The dossier's latest payment, as the status page shows it.
pub fn latest(c: &Connection, dossier: i64) -> rusqlite::Result<Option<Payment>> {
    c.query_row(
        "SELECT state, amount, reference, settled_at, transaction_code, bank, reason,
                receipt_series, receipt_no
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
                receipt: receipt_of(r.get(7)?, r.get(8)?, r.get::<_, i64>(1)?),
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

/// Whether the fee due from `due_from` (the move to 6 that asked for it;
/// 0 for the fee paid on filing) is paid.
pub fn paid_for(c: &Connection, dossier: i64, due_from: i64) -> rusqlite::Result<bool> {
    super::value(
        c,
        "SELECT EXISTS(SELECT 1 FROM payments
                       WHERE dossier_id = ?1 AND state = 'paid' AND due_from = ?2)",
        params![dossier, due_from],
    )
}

/// Which fees of the dossier are paid (their `due_from`).
pub fn fees_paid(c: &Connection, dossier: i64) -> rusqlite::Result<Vec<i64>> {
    let mut st =
        c.prepare("SELECT due_from FROM payments WHERE dossier_id = ?1 AND state = 'paid'")?;
    let rows = st.query_map([dossier], |r| r.get(0))?;
    rows.collect()
}

/// A new attempt, pending, under `reference`, for the fee due from `due_from`.
pub fn begin(
    c: &Connection,
    dossier: i64,
    reference: &str,
    amount: u64,
    now: i64,
    due_from: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO payments(dossier_id, reference, amount, state, created_at, due_from)
         VALUES (?1, ?2, ?3, 'pending', ?4, ?5)",
        params![dossier, reference, amount as i64, now, due_from],
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
    super::value(
        c,
        "SELECT EXISTS(SELECT 1 FROM payments WHERE transaction_code = ?1)",
        [transaction],
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

/// Issue the e-receipt of a payment just settled as paid: the next number
/// in `series`. In the transaction that settled it, so two payments settled
/// at once never share a number (and the unique index would refuse it).
pub fn issue_receipt(c: &Connection, reference: &str, series: &str) -> rusqlite::Result<u32> {
    c.query_row(
        "UPDATE payments SET receipt_series = ?2,
            receipt_no = (SELECT COALESCE(MAX(receipt_no), 0) + 1 FROM payments WHERE receipt_series = ?2)
         WHERE reference = ?1 AND receipt_no IS NULL RETURNING receipt_no",
        params![reference, series],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n.max(0) as u32)
}

/// Every attempt of a dossier, oldest first, for the officers.
pub fn of_dossier(
    c: &Connection,
    dossier: i64,
) -> rusqlite::Result<Vec<contract::tracking::OfficerPayment>> {
    let mut st = c.prepare(
        "SELECT reference, amount, state, created_at, settled_at, transaction_code, bank, reason,
                receipt_series, receipt_no, reported_at
         FROM payments WHERE dossier_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([dossier], |r| {
        let at = |t: Option<i64>| t.map(contract::time::vn_datetime).unwrap_or_default();
        let series: Option<String> = r.get(8)?;
        let number: Option<i64> = r.get(9)?;
        Ok(contract::tracking::OfficerPayment {
            reference: r.get(0)?,
            amount: r.get::<_, i64>(1)?.max(0) as u64,
            state: state_of(&r.get::<_, String>(2)?),
            created_at: at(r.get(3)?),
            settled_at: at(r.get(4)?),
            transaction: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            bank: r.get(6)?,
            reason: r.get(7)?,
            receipt: receipt_label(series, number),
            reported_at: at(r.get(10)?),
        })
    })?;
    rows.collect()
}

/// Paid payments of dossiers the back office keeps, not yet told to it
/// (and not refused by it since `refused_before`), oldest first, at most
/// `limit`.
pub fn to_report(
    c: &Connection,
    refused_before: i64,
    limit: u32,
) -> rusqlite::Result<Vec<Unreported>> {
    let mut st = c.prepare(
        "SELECT p.reference, d.code, b.remote_id, p.amount, p.transaction_code, p.bank, p.settled_at,
                p.receipt_series, p.receipt_no
         FROM payments p JOIN dossiers d ON d.id = p.dossier_id
         JOIN back_office b ON b.dossier_id = d.id
         WHERE p.state = 'paid' AND p.reported_at IS NULL AND b.remote_id IS NOT NULL
           AND (p.report_refused_at IS NULL OR p.report_refused_at < ?2)
         ORDER BY p.settled_at LIMIT ?1",
    )?;
    let rows = st.query_map(params![limit, refused_before], |r| {
        Ok(Unreported {
            reference: r.get(0)?,
            code: r.get(1)?,
            remote_id: r.get(2)?,
            amount: r.get::<_, i64>(3)?.max(0) as u64,
            transaction: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            bank: r.get(5)?,
            paid_at: r.get::<_, Option<i64>>(6)?.unwrap_or_default(),
            receipt: receipt_label(r.get(7)?, r.get(8)?),
        })
    })?;
    rows.collect()
}

/// A paid fee the back office has not been told of.
#[derive(Debug, Clone)]
pub struct Unreported {
    pub reference: String,
    pub code: String,
    pub remote_id: String,
    pub amount: u64,
    pub transaction: String,
    pub bank: String,
    pub paid_at: i64,
    /// Its e-receipt ("MC26 0000012").
    pub receipt: String,
}

/// The back office refused to take the payment (asked again later).
pub fn report_refused(c: &Connection, reference: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE payments SET report_refused_at = ?2 WHERE reference = ?1",
        params![reference, now],
    )?;
    Ok(())
}

/// The back office took the payment.
pub fn reported(c: &Connection, reference: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE payments SET reported_at = ?2 WHERE reference = ?1",
        params![reference, now],
    )?;
    Ok(())
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
