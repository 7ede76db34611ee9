//! Search latency at real scale, natively: `cargo xtask bench` runs it.
//!
//! Loads the national catalog (2,642 procedures) as summaries, builds the
//! index, and times typical citizen queries; prints medians in microseconds.

use std::time::Instant;

use contract::catalog::{Level, OnlineLevel, ProcedureSummary};
use motcua::search::Index;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/national-catalog.jsonl".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {path} is absent");
        return;
    };
    let items: Vec<ProcedureSummary> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| ProcedureSummary {
            code: v["code"].as_str().unwrap_or_default().into(),
            name: v["name"].as_str().unwrap_or_default().into(),
            field: v["field"].as_str().unwrap_or_default().into(),
            levels: vec![Level::Commune],
            online: OnlineLevel::Partial,
            time: String::new(),
            fee: String::new(),
            popularity: 0,
        })
        .collect();
    let started = Instant::now();
    let index = Index::new(&items);
    let build = started.elapsed();
    let queries = [
        "dang ky khai sinh",
        "khai sinh",
        "chung thuc ban sao",
        "tam tru",
        "giay phep xay dung",
        "ho kinh doanh",
        "đăng ký kết hôn",
        "d",
        "xac nhan tinh trang hon nhan",
        "cap lai the can cuoc",
    ];
    let mut all: Vec<f64> = Vec::new();
    println!(
        "search over {} procedures (index built in {:.1} ms)",
        index.len(),
        build.as_secs_f64() * 1e3
    );
    println!(
        "{:<32} {:>8} {:>10} {:>10}",
        "query", "hits", "p50 µs", "p95 µs"
    );
    for q in queries {
        let mut times: Vec<f64> = (0..51)
            .map(|_| {
                let t = Instant::now();
                let hits = index.search(q);
                std::hint::black_box(hits.len());
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let p50 = times[times.len() / 2];
        let p95 = times[times.len() * 95 / 100];
        all.extend_from_slice(&times);
        println!(
            "{:<32} {:>8} {:>10.0} {:>10.0}",
            q,
            index.search(q).len(),
            p50,
            p95
        );
    }
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "all queries: p50 {:.0} µs, p95 {:.0} µs over {} runs",
        all[all.len() / 2],
        all[all.len() * 95 / 100],
        all.len()
    );
}
