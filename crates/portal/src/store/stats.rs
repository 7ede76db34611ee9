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
                r.level, r.at
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
        let day = |secs: i64| vn_date(secs.max(0) as u64);
        Ok(Facts {
            received: day(received),
            unit: r.get(1)?,
            field: r.get(2)?,
            online: channel == 2,
            due: parse_dmy(&due),
            resolved: resolved.map(day),
            rating: level.as_deref().and_then(Satisfaction::from_slug).zip(rated.map(day)),
        })
    })?;
    rows.collect()
}
