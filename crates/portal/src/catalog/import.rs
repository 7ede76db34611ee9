//! The national catalog's JSONL crawl (shared/data/README.md) read into
//! the catalog: each line's fields to a procedure, the number of working
//! days from the text, the province's own records kept.

use std::io::BufRead;

use contract::catalog::*;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;

use super::{bump_revision, upsert};

/// One line of the national catalog crawl (see shared/data/README.md).
#[derive(Deserialize)]
struct NationalRecord {
    code: String,
    name: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    applicants: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    steps: String,
    #[serde(default)]
    methods: String,
    #[serde(default)]
    documents: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    requirements: String,
    #[serde(default)]
    result: String,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub skipped: usize,
    pub kept_seed: usize,
}

/// The number just before `unit` in `text`, e.g. `7` in "Trực tuyến7 Ngày làm việc".
pub(super) fn number_before(text: &str, unit: &str) -> Option<u16> {
    let at = text.find(unit)?;
    let digits: String = text[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

fn non_empty(s: &str, otherwise: &str) -> String {
    let t = s.trim();
    if t.is_empty() || t == "Không có thông tin" {
        otherwise.to_string()
    } else {
        t.to_string()
    }
}

fn from_national(r: NationalRecord) -> Option<Procedure> {
    if !contract::catalog::is_procedure_code(r.code.trim()) || r.name.trim().is_empty() {
        return None;
    }
    let mut levels = Vec::new();
    for (needle, level) in [
        ("Cấp tỉnh", Level::Province),
        ("Cấp xã", Level::Commune),
        ("Cấp bộ", Level::Central),
        ("Cơ quan khác", Level::Other),
    ] {
        if r.level.contains(needle) {
            levels.push(level);
        }
    }
    let online =
        if r.methods.contains("Trực tuyến") { OnlineLevel::Partial } else { OnlineLevel::None };
    let working_days = number_before(&r.methods, "Ngày làm việc");
    let time = match working_days {
        Some(0) => "Trong ngày".to_string(),
        Some(n) => format!("{n} ngày làm việc"),
        None => "Xem cách thức thực hiện".to_string(),
    };
    let fee = if r.methods.contains("Đồng") || r.methods.contains("đồng") {
        "Có phí, lệ phí (xem cách thức thực hiện)".to_string()
    } else {
        "Không có thông tin".to_string()
    };
    let steps =
        r.steps.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let agency = non_empty(&r.agency, "Cơ quan có thẩm quyền theo quy định");
    Some(Procedure {
        code: r.code.trim().to_string(),
        name: r.name.trim().to_string(),
        field: non_empty(&r.field, "Khác"),
        levels,
        online,
        place: agency.clone(),
        agency,
        applicants: non_empty(&r.applicants, "Không có thông tin"),
        time,
        working_days,
        fee,
        channels: Vec::new(),
        documents: Vec::new(),
        steps,
        result: non_empty(&r.result, "Không có thông tin"),
        requirements: non_empty(&r.requirements, "Không có"),
        legal_basis: vec![non_empty(&r.legal_basis, "Không có thông tin")],
        popularity: 0,
        channels_text: Some(non_empty(&r.methods, "Không có thông tin")),
        documents_text: Some(non_empty(&r.documents, "Không có thông tin")),
    })
}

/// Import the national catalog's JSONL. Bad lines are counted and skipped,
/// never fatal; records the province has in its own seed are kept as they are.
pub fn import_jsonl(conn: &mut Connection, reader: impl BufRead) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let tx = crate::db::write_tx(conn)?;
    for line in reader.lines() {
        let line = match line {
            Ok(l) => l,
            Err(_) => {
                report.skipped += 1;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let Some(p) = serde_json::from_str::<NationalRecord>(&line).ok().and_then(from_national)
        else {
            report.skipped += 1;
            continue;
        };
        let is_seed: bool = tx
            .query_row("SELECT source = 'seed' FROM procedures WHERE code = ?1", [&p.code], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(false);
        if is_seed {
            report.kept_seed += 1;
            continue;
        }
        upsert(&tx, &p, "import")?;
        report.imported += 1;
    }
    bump_revision(&tx)?;
    tx.commit()?;
    Ok(report)
}
