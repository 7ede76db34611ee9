//! Search's evaluation over the national catalog, natively: the catalog
//! as the portal serves it once a province has imported it (its own seed
//! records first, with their use counts; national records with their
//! levels), and the figures over a set of queries with the answers that
//! count (`perf/search-eval.tsv`): top-1, top-3, top-5 and mean
//! reciprocal rank. The bench prints them (`examples/search_bench.rs`) and
//! a test holds the floor (`queries.rs`). Nothing the app runs calls it, so
//! no wasm file carries it.

use contract::catalog::{Level, OnlineLevel, ProcedureSummary};
use serde::Deserialize;

use super::Index;

/// One query and the procedures that answer it (any counts: a twin at
/// another level, or either of two procedures a situation may need).
#[derive(Clone, Debug)]
pub struct Case {
    pub query: String,
    pub want: Vec<String>,
    /// What the query tests: `event`, `paper`, `abbr`, `slip`, `question`, `situation`…
    pub kind: String,
}

/// `query<TAB>code[,code…]<TAB>kind` lines; `#` starts a comment.
pub fn parse_cases(text: &str) -> Vec<Case> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let query = parts.next()?.trim().to_string();
            let want = parts.next()?.split(',').map(|c| c.trim().to_string()).collect();
            let kind = parts.next().unwrap_or("other").trim().to_string();
            Some(Case { query, want, kind })
        })
        .collect()
}

#[derive(Deserialize)]
struct Seed {
    procedures: Vec<ProcedureSummary>,
}

/// The summaries and `about` lines the app indexes over the seed with the
/// national catalog imported (`seed_json` as `crates/portal/data/procedures.json`,
/// `national` its JSONL).
pub fn catalog(seed_json: &str, national: &str) -> (Vec<ProcedureSummary>, String) {
    let seed: Seed = serde_json::from_str(seed_json).expect("the seed catalog parses");
    let raw: serde_json::Value = serde_json::from_str(seed_json).expect("the seed catalog parses");
    let mut items = seed.procedures;
    let mut about: String =
        raw["procedures"].as_array().into_iter().flatten().map(about_line).collect();
    for line in national.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        if items.iter().any(|p| p.code == s("code")) {
            continue;
        }
        about.push_str(&about_line(&v));
        let levels = [
            ("Cấp tỉnh", Level::Province),
            ("Cấp xã", Level::Commune),
            ("Cấp bộ", Level::Central),
            ("Cơ quan khác", Level::Other),
        ];
        items.push(ProcedureSummary {
            code: s("code"),
            name: s("name").trim().to_string(),
            field: s("field"),
            levels: levels
                .into_iter()
                .filter(|(l, _)| s("level").contains(l))
                .map(|(_, l)| l)
                .collect(),
            online: OnlineLevel::Partial,
            time: String::new(),
            fee: String::new(),
            popularity: 0,
        });
    }
    (items, about)
}

/// One `code<TAB>words` line of `GET /api/v1/search/about`, as the portal
/// writes it.
pub fn about_line(v: &serde_json::Value) -> String {
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let mut words = contract::catalog::about_words(
        &s("name"),
        &s("result"),
        &s("applicants"),
        &s("requirements"),
    );
    words.extend(contract::catalog::english_words(&s("code")));
    format!("{}\t{}\n", s("code"), words.join(" "))
}

/// The figures over a set of cases.
#[derive(Debug, Default)]
pub struct Figures {
    pub queries: usize,
    pub top1: usize,
    pub top3: usize,
    pub top5: usize,
    /// Mean reciprocal rank over the first 10 (0 when not among them).
    pub mrr: f64,
    /// The queries not in the top 3, with what came instead.
    pub misses: Vec<String>,
}

pub fn evaluate(index: &Index, items: &[ProcedureSummary], cases: &[Case]) -> Figures {
    let mut f = Figures { queries: cases.len(), ..Figures::default() };
    for c in cases {
        let top: Vec<&str> =
            index.search(&c.query).iter().take(10).map(|h| items[h.index].code.as_str()).collect();
        let rank = top.iter().position(|code| c.want.iter().any(|w| w == code));
        if let Some(r) = rank {
            f.top1 += usize::from(r == 0);
            f.top3 += usize::from(r < 3);
            f.top5 += usize::from(r < 5);
            f.mrr += 1.0 / (r + 1) as f64;
        }
        if rank.is_none_or(|r| r >= 3) {
            let names: Vec<String> = top
                .iter()
                .take(3)
                .map(|code| {
                    let p = items.iter().find(|p| p.code == *code).expect("a hit is an item");
                    format!("{code} {}", p.name.chars().take(60).collect::<String>())
                })
                .collect();
            f.misses.push(format!(
                "[{}] {:?} (rank {}): wanted {}, got {names:?}",
                c.kind,
                c.query,
                rank.map_or("-".to_string(), |r| (r + 1).to_string()),
                c.want.join(",")
            ));
        }
    }
    f.mrr /= cases.len().max(1) as f64;
    f
}
