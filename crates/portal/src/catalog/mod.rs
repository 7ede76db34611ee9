//! The catalog: seed data written by hand (the province's own), and an
//! importer for the national catalog's JSONL crawl (for tests at real scale).

use std::collections::HashMap;

use contract::catalog::{
    ChannelTerms, Field, Level, OnlineLevel, Procedure, ProcedureSummary, RequiredDocument, Unit,
};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;

mod import;
pub use import::{import_jsonl, ImportReport};

const SEED_UNITS: &str = include_str!("../../data/units.json");
const SEED_PROCEDURES: &str = include_str!("../../data/procedures.json");

/// Steps are either written out or name a shared set (most hộ tịch
/// procedures follow the same path through the one-stop desk).
#[derive(Deserialize)]
#[serde(untagged)]
enum Steps {
    List(Vec<String>),
    Named(String),
}

#[derive(Deserialize)]
struct SeedProcedure {
    code: String,
    name: String,
    field: String,
    levels: Vec<Level>,
    online: OnlineLevel,
    agency: String,
    place: String,
    applicants: String,
    time: String,
    working_days: Option<u16>,
    fee: String,
    channels: Vec<ChannelTerms>,
    documents: Vec<RequiredDocument>,
    steps: Steps,
    result: String,
    requirements: String,
    legal_basis: Vec<String>,
    popularity: u32,
}

#[derive(Deserialize)]
struct SeedFile {
    step_sets: HashMap<String, Vec<String>>,
    procedures: Vec<SeedProcedure>,
}

/// Parse the embedded seed catalog into full procedures.
pub fn seed_procedures() -> anyhow::Result<Vec<Procedure>> {
    let file: SeedFile = serde_json::from_str(SEED_PROCEDURES)?;
    file.procedures
        .into_iter()
        .map(|p| {
            let steps = match p.steps {
                Steps::List(v) => v,
                Steps::Named(name) => file
                    .step_sets
                    .get(&name)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("{}: unknown step set {name}", p.code))?,
            };
            Ok(Procedure {
                code: p.code,
                name: p.name,
                field: p.field,
                levels: p.levels,
                online: p.online,
                agency: p.agency,
                place: p.place,
                applicants: p.applicants,
                time: p.time,
                working_days: p.working_days,
                fee: p.fee,
                channels: p.channels,
                documents: p.documents,
                steps,
                result: p.result,
                requirements: p.requirements,
                legal_basis: p.legal_basis,
                popularity: p.popularity,
                channels_text: None,
                documents_text: None,
            })
        })
        .collect()
}

pub fn seed_units() -> anyhow::Result<Vec<Unit>> {
    Ok(serde_json::from_str(SEED_UNITS)?)
}

pub(super) fn bump_revision(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('catalog_rev', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    Ok(())
}

/// A number that changes whenever the catalog does (part of the list's ETag).
pub fn revision(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'catalog_rev'", [], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub(super) fn upsert(conn: &Connection, p: &Procedure, source: &str) -> anyhow::Result<usize> {
    let summary = serde_json::to_string(&p.summary())?;
    let body = serde_json::to_string(p)?;
    // The province's own seed record wins over an imported national one.
    let n = conn.execute(
        "INSERT INTO procedures(code, name, field, source, popularity, summary, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(code) DO UPDATE SET
            name = excluded.name, field = excluded.field, source = excluded.source,
            popularity = excluded.popularity, summary = excluded.summary, body = excluded.body
         WHERE procedures.body <> excluded.body
           AND (excluded.source = 'seed' OR procedures.source = 'import')",
        params![p.code, p.name, p.field, source, p.popularity, summary, body],
    )?;
    Ok(n)
}

/// Load the seed units and procedures (idempotent; bumps the revision only on change).
pub fn seed(conn: &mut Connection) -> anyhow::Result<()> {
    let units = seed_units()?;
    let procedures = seed_procedures()?;
    let tx = crate::db::write_tx(conn)?;
    let mut changed = 0;
    for (i, u) in units.iter().enumerate() {
        changed += tx.execute(
            "INSERT INTO units(code, name, kind, parent, address, position, hours, phone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                parent = excluded.parent, address = excluded.address, position = excluded.position,
                hours = excluded.hours, phone = excluded.phone
             WHERE units.name <> excluded.name OR units.address <> excluded.address
                OR units.position <> excluded.position OR units.kind <> excluded.kind
                OR units.hours <> excluded.hours OR units.phone <> excluded.phone",
            params![
                u.code,
                u.name,
                serde_json::to_value(u.kind)?.as_str().unwrap_or_default(),
                u.parent,
                u.address,
                i as i64,
                u.hours,
                u.phone
            ],
        )?;
    }
    for p in &procedures {
        changed += upsert(&tx, p, "seed")?;
    }
    if changed > 0 {
        bump_revision(&tx)?;
    }
    tx.commit()?;
    tracing::info!(units = units.len(), procedures = procedures.len(), changed, "catalog seeded");
    Ok(())
}

pub fn units(conn: &Connection) -> rusqlite::Result<Vec<Unit>> {
    let mut st = conn.prepare(
        "SELECT code, name, kind, parent, address, hours, phone FROM units ORDER BY position",
    )?;
    let rows = st.query_map([], |r| {
        let kind: String = r.get(2)?;
        Ok(Unit {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: serde_json::from_value(serde_json::Value::String(kind))
                .unwrap_or(contract::catalog::UnitKind::Commune),
            parent: r.get(3)?,
            address: r.get(4)?,
            hours: r.get(5)?,
            phone: r.get(6)?,
        })
    })?;
    rows.collect()
}

pub fn fields(conn: &Connection) -> rusqlite::Result<Vec<Field>> {
    let mut st = conn.prepare(
        "SELECT field, COUNT(*) FROM procedures GROUP BY field ORDER BY COUNT(*) DESC, field",
    )?;
    let rows = st.query_map([], |r| Ok(Field { name: r.get(0)?, count: r.get(1)? }))?;
    rows.collect()
}

/// The search dictionary the app loads with the procedure list (see
/// `GET /api/v1/search/synonyms`): data, reviewed against the catalog by
/// this module's tests.
pub const SYNONYMS: &str = include_str!("../../data/synonyms.txt");

/// The words for procedures of the national catalog; served first.
pub const SYNONYMS_NATIONAL: &str = include_str!("../../data/synonyms-national.txt");

/// The whole dictionary as served: national phrases, then the province's.
pub fn synonyms() -> String {
    [SYNONYMS_NATIONAL, SYNONYMS].join("\n")
}

/// Search's `about` text (`GET /api/v1/search/about`): per procedure, most
/// used first, `code<TAB>words` with the words of its result, applicants
/// and requirements that its name lacks.
pub fn about_text(conn: &Connection) -> rusqlite::Result<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        name: String,
        result: String,
        applicants: String,
        requirements: String,
    }
    let mut st =
        conn.prepare("SELECT code, body FROM procedures ORDER BY popularity DESC, code")?;
    let mut rows = st.query([])?;
    let mut out = String::new();
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        let Ok(b) = serde_json::from_str::<Body>(&r.get::<_, String>(1)?) else {
            continue;
        };
        let mut words =
            contract::catalog::about_words(&b.name, &b.result, &b.applicants, &b.requirements);
        // The most used procedures are found by their English names too.
        words.extend(contract::catalog::english_words(&code));
        out.push_str(&code);
        out.push('\t');
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    Ok(out)
}

/// All summaries as one JSON array, most used first.
pub fn summaries_json(conn: &Connection) -> rusqlite::Result<String> {
    top_json(conn, i64::MAX)
}

/// The `n` most used procedures' summaries as one JSON array, most used first.
pub fn top_json(conn: &Connection, n: i64) -> rusqlite::Result<String> {
    let mut st =
        conn.prepare("SELECT summary FROM procedures ORDER BY popularity DESC, code LIMIT ?1")?;
    let mut out = String::from("[");
    let mut rows = st.query([n])?;
    let mut first = true;
    while let Some(r) = rows.next()? {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&r.get::<_, String>(0)?);
    }
    out.push(']');
    Ok(out)
}

pub fn summaries(conn: &Connection) -> anyhow::Result<Vec<ProcedureSummary>> {
    Ok(serde_json::from_str(&summaries_json(conn)?)?)
}

pub fn procedure(conn: &Connection, code: &str) -> anyhow::Result<Option<Procedure>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM procedures WHERE code = ?1", [code], |r| r.get(0))
        .optional()?;
    Ok(match body {
        Some(b) => Some(serde_json::from_str(&b)?),
        None => None,
    })
}

/// How many procedures the catalog holds.
pub fn count(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT COUNT(*) FROM procedures", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::import::number_before;
    use super::*;
    use crate::db::Db;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.with(seed).unwrap();
        (dir, db)
    }

    /// The search dictionary, reviewed against the catalog: each line says
    /// something once, and each meaning's words stand together in the name
    /// of a procedure of the province's seed (a meaning that matched no
    /// name would send citizens to an empty list).
    #[test]
    fn every_synonym_means_words_of_a_procedure_name() {
        use contract::text::{fold, words};
        let names: Vec<Vec<String>> =
            seed_procedures().unwrap().iter().map(|p| words(&p.name)).collect();
        let mut said_before = std::collections::HashSet::new();
        let mut lines = 0;
        for line in SYNONYMS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (said, meant) = line.split_once('=').unwrap_or_else(|| panic!("no '=': {line}"));
            assert!(said_before.insert(fold(said)), "said twice: {line}");
            assert_ne!(fold(said), fold(meant), "{line}");
            let meant = words(meant);
            assert!(
                meant.is_empty() || names.iter().any(|n| meant.iter().all(|w| n.contains(w))),
                "no procedure name has the words of {line:?}"
            );
            lines += 1;
        }
        assert!(lines >= 130, "{lines} lines");
    }

    /// The national phrases against the national catalog's names, when the
    /// file is on this machine (as in `cargo xtask test`).
    #[test]
    fn every_national_synonym_means_words_of_a_national_name() {
        use contract::text::words;
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/national-catalog.jsonl");
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is absent");
            return;
        };
        let names: Vec<Vec<String>> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| words(v["name"].as_str().unwrap_or_default()))
            .collect();
        assert!(names.len() > 2000);
        for line in SYNONYMS_NATIONAL
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (_, meant) = line.split_once('=').unwrap_or_else(|| panic!("no '=': {line}"));
            let meant = words(meant);
            assert!(
                names.iter().any(|n| meant.iter().all(|w| n.contains(w))),
                "no national procedure name has the words of {line:?}"
            );
        }
    }

    #[test]
    fn seed_is_complete_and_real_sized() {
        let procs = seed_procedures().unwrap();
        assert!(procs.len() >= 60, "only {} seed procedures", procs.len());
        let mut codes = std::collections::HashSet::new();
        for p in &procs {
            assert!(codes.insert(p.code.clone()), "duplicate {}", p.code);
            assert!(contract::catalog::is_procedure_code(&p.code), "{}", p.code);
            assert!(!p.levels.is_empty(), "{} has no level", p.code);
            assert!(!p.steps.is_empty(), "{} has no steps", p.code);
            assert!(!p.channels.is_empty(), "{} has no channel", p.code);
            assert!(!p.documents.is_empty(), "{} has no documents", p.code);
            assert!(!p.legal_basis.is_empty(), "{} has no legal basis", p.code);
            for s in [
                &p.name,
                &p.field,
                &p.agency,
                &p.place,
                &p.applicants,
                &p.time,
                &p.fee,
                &p.result,
                &p.requirements,
            ] {
                assert!(!s.trim().is_empty(), "{} has an empty field", p.code);
            }
            if p.online == OnlineLevel::None {
                assert!(
                    p.channels.iter().all(|c| c.channel != contract::catalog::Channel::Online),
                    "{}",
                    p.code
                );
            } else {
                assert!(
                    p.channels.iter().any(|c| c.channel == contract::catalog::Channel::Online),
                    "{} online without an online channel",
                    p.code
                );
            }
        }
        let units = seed_units().unwrap();
        for name in ["Tam Thanh", "Lương Văn Tri", "Kỳ Lừa", "Đông Kinh"] {
            assert!(units.iter().any(|u| u.name.contains(name)), "missing {name}");
        }
    }

    #[test]
    fn seeding_twice_changes_nothing() {
        let (_d, db) = db();
        let rev = db.with(|c| revision(c)).unwrap();
        db.with(seed).unwrap();
        assert_eq!(db.with(|c| revision(c)).unwrap(), rev);
        assert!(rev >= 1);
    }

    #[test]
    fn import_skips_bad_lines_and_keeps_seed() {
        let (_d, db) = db();
        let input = concat!(
            r#"{"code": "9.999001", "name": "Thủ tục thử", "level": "Cấp tỉnh, Cấp xã", "field": "Thử", "methods": "Trực tuyến3 Ngày làm việc"}"#,
            "\n",
            "not json\n",
            r#"{"code": "bad", "name": "x"}"#,
            "\n",
            "\n",
            r#"{"code": "1.001193", "name": "Thủ tục đăng ký khai sinh (quốc gia)", "level": "Cấp xã"}"#,
            "\n",
            r#"{"name": "no code"}"#,
            "\n",
        );
        let report = db.with(|c| import_jsonl(c, input.as_bytes())).unwrap();
        assert_eq!(report, ImportReport { imported: 1, skipped: 3, kept_seed: 1 });
        let p = db.with(|c| procedure(c, "9.999001")).unwrap().unwrap();
        assert_eq!(p.levels, vec![Level::Province, Level::Commune]);
        assert_eq!(p.working_days, Some(3));
        assert_eq!(p.online, OnlineLevel::Partial);
        let seed = db.with(|c| procedure(c, "1.001193")).unwrap().unwrap();
        assert_eq!(seed.name, "Đăng ký khai sinh");
    }

    #[test]
    fn imports_the_national_catalog_when_present() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/national-catalog.jsonl");
        let Ok(file) = std::fs::File::open(&path) else {
            eprintln!("skipped: {} is absent", path.display());
            return;
        };
        let (_d, db) = db();
        let report = db.with(|c| import_jsonl(c, std::io::BufReader::new(file))).unwrap();
        let total = db.with(|c| summaries(c)).unwrap().len();
        assert!(total >= 2600, "{report:?}, total {total}");
    }

    #[test]
    fn number_before_unit() {
        assert_eq!(number_before("Trực tuyến7 Ngày làm việc10,000", "Ngày làm việc"), Some(7));
        assert_eq!(number_before("Trực tiếp 15 Ngày làm việc", "Ngày làm việc"), Some(15));
        assert_eq!(number_before("Trực tiếp Ngày làm việc", "Ngày làm việc"), None);
    }
}
