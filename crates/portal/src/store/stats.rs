//! The dossiers' facts as the statistics count them (one query).

use contract::stats::Facts;
use contract::time::{parse_dmy, vn_date};
use contract::tracking::Satisfaction;
use rusqlite::Connection;

/// Every dossier's facts, as the statistics count them.
pub fn facts(c: &Connection) -> rusqlite::Result<Vec<Facts>> {
    let mut q = c.prepare(
        "SELECT d.received_at, d.unit, COALESCE(p.field, ''), d.channel, d.due_date,
                (SELECT MIN(h.at) FROM dossier_history h WHERE h.dossier_id = d.id AND h.status = 9),
                r.level, r.at,
                (SELECT MIN(pm.settled_at) FROM payments pm
                 WHERE pm.dossier_id = d.id AND pm.state = 'paid')
         FROM dossiers d
         LEFT JOIN procedures p ON p.code = d.procedure_code
         LEFT JOIN ratings r ON r.dossier_id = d.id",
    )?;
    let rows = q.query_map([], |r| {
        let received: i64 = r.get(0)?;
        let channel: i64 = r.get(3)?;
        let due: String = r.get(4)?;
        let resolved: Option<i64> = r.get(5)?;
        let level: Option<String> = r.get(6)?;
        let rated: Option<i64> = r.get(7)?;
        let paid: Option<i64> = r.get(8)?;
        let day = |secs: i64| vn_date(secs.max(0) as u64);
        Ok(Facts {
            received: day(received),
            unit: r.get(1)?,
            field: r.get(2)?,
            online: channel == 2,
            due: parse_dmy(&due),
            resolved: resolved.map(day),
            rating: level.as_deref().and_then(Satisfaction::from_slug).zip(rated.map(day)),
            paid_online: paid.map(day),
        })
    })?;
    rows.collect()
}

/// The portal's gauges in Prometheus' text format, for the province's
/// monitoring: dossiers by status, accounts, texts by state, procedures.
pub fn metrics(c: &Connection) -> rusqlite::Result<String> {
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, rows: Vec<(String, i64)>| {
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n"));
        for (labels, n) in rows {
            out.push_str(&format!("{name}{labels} {n}\n"));
        }
    };
    let grouped = |sql: &str, label: &str| -> rusqlite::Result<Vec<(String, i64)>> {
        let mut q = c.prepare(sql)?;
        let rows = q.query_map([], |r| {
            Ok((format!("{{{label}=\"{}\"}}", r.get::<_, String>(0)?), r.get(1)?))
        })?;
        rows.collect()
    };
    let dossiers = grouped(
        "SELECT CAST(status AS TEXT), COUNT(*) FROM dossiers GROUP BY status ORDER BY status",
        "status",
    )?;
    gauge("motcua_dossiers", "Dossiers by their current national status (1-10).", dossiers);
    let accounts = grouped(
        "SELECT CASE identity_verified WHEN 1 THEN 'true' ELSE 'false' END, COUNT(*)
         FROM accounts GROUP BY identity_verified",
        "proven",
    )?;
    gauge("motcua_accounts", "Accounts, by whether VNeID proved their identity.", accounts);
    let texts = grouped(
        "SELECT channel || '\",state=\"' || status, COUNT(*) FROM outbox GROUP BY channel, status",
        "channel",
    )?;
    gauge("motcua_outbox", "Messages to phones (SMS, Zalo), by channel and state.", texts);
    // Two outboxes: how many wait, how many went, and the most attempts of
    // one still waiting (a growing pending count is a driver in trouble).
    let outboxes = [
        ("motcua_national_sync", "National sync records", "sent", super::national::counts(c)?),
        (
            "motcua_back_office",
            "Dossiers for the back office",
            "delivered",
            super::back_office::counts(c)?,
        ),
    ];
    for (name, what, done, (waiting, gone, tries)) in outboxes {
        gauge(
            name,
            &format!("{what}, by state (pending: accepted here, not yet there)."),
            vec![("{state=\"pending\"}".into(), waiting), (format!("{{state=\"{done}\"}}"), gone)],
        );
        let most = format!("{name}_attempts_max");
        gauge(
            &most,
            &format!("Most attempts of one of the {what} still waiting."),
            vec![(String::new(), tries)],
        );
    }
    let procedures = c.query_row("SELECT COUNT(*) FROM procedures", [], |r| r.get(0))?;
    gauge("motcua_procedures", "Procedures in the catalog.", vec![(String::new(), procedures)]);
    Ok(out)
}

/// What the statistics are computed from has changed when any of these
/// grew: (last dossier, last status change, last rating).
pub fn version(c: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    c.query_row(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM dossiers),
                (SELECT COALESCE(MAX(id), 0) FROM dossier_history),
                (SELECT COALESCE(MAX(rowid), 0) FROM ratings)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
