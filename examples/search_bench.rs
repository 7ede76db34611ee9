//! Search latency at real scale, natively: `cargo xtask bench` runs it.
//!
//! Loads the whole national catalog (2,642 procedures) as summaries with
//! what each is about (`contract::catalog::about_words`, as the portal
//! serves it), builds the index as the search wasm does, and types
//! each query of `perf/search-queries.txt` one keystroke at a time (every
//! prefix is one search, as in the app). Prints p50/p95 and a `BENCH_JSON`
//! line for the bench report.

use std::time::Instant;

use motcua::search::Index;

fn main() {
    let mut args = std::env::args().skip(1);
    let catalog = args.next().unwrap_or_else(|| "../shared/data/national-catalog.jsonl".into());
    let queries = args.next().unwrap_or_else(|| "perf/search-queries.txt".into());
    let eval = args.next().unwrap_or_else(|| "perf/search-eval.tsv".into());
    let Ok(text) = std::fs::read_to_string(&catalog) else {
        println!("skipped: {catalog} is absent");
        return;
    };
    let queries: Vec<String> = std::fs::read_to_string(&queries)
        .expect("query list")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    // As the app has it once a province imported the national catalog:
    // the seed's records first, and the portal's dictionary.
    let seed = include_str!("../crates/portal/data/procedures.json");
    let (items, about) = motcua::search::eval::catalog(seed, &text);
    motcua::search::set_synonyms(
        &[
            include_str!("../crates/portal/data/synonyms-national.txt"),
            include_str!("../crates/portal/data/synonyms.txt"),
        ]
        .join("\n"),
    );
    let started = Instant::now();
    let mut index = Index::new(&items);
    index.add_about(&about);
    let build_ms = started.elapsed().as_secs_f64() * 1e3;

    // Median of 11 runs per keystroke, so one scheduler hiccup is not a sample.
    let mut samples: Vec<f64> = Vec::new();
    for q in &queries {
        let ends = q.char_indices().map(|(i, c)| i + c.len_utf8());
        for end in ends {
            let prefix = &q[..end];
            let mut runs: Vec<f64> = (0..11)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(index.search(prefix).len());
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            runs.sort_by(|a, b| a.total_cmp(b));
            samples.push(runs[runs.len() / 2]);
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let p50 = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    let max = samples[samples.len() - 1];
    println!(
        "    native search over {} procedures (index built in {build_ms:.1} ms), {} keystrokes of {} queries:",
        index.len(),
        samples.len(),
        queries.len()
    );
    println!("      p50 {p50:.3} ms   p95 {p95:.3} ms   max {max:.3} ms");
    let cases =
        motcua::search::eval::parse_cases(&std::fs::read_to_string(&eval).expect("eval set"));
    let f = motcua::search::eval::evaluate(&index, &items, &cases);
    println!(
        "    evaluation set ({eval}), {} queries: top-1 {} ({:.1}%), top-3 {} ({:.1}%), top-5 {}, MRR {:.3}",
        f.queries,
        f.top1,
        100.0 * f.top1 as f64 / f.queries as f64,
        f.top3,
        100.0 * f.top3 as f64 / f.queries as f64,
        f.top5,
        f.mrr
    );
    for m in &f.misses {
        println!("      miss {m}");
    }
    println!(
        "BENCH_JSON {{\"procedures\":{},\"keystrokes\":{},\"index_build_ms\":{build_ms:.2},\"p50_ms\":{p50:.4},\"p95_ms\":{p95:.4},\"max_ms\":{max:.4},\"eval_queries\":{},\"eval_top1\":{},\"eval_top3\":{},\"eval_top5\":{},\"eval_mrr\":{:.4}}}",
        index.len(),
        samples.len(),
        f.queries,
        f.top1,
        f.top3,
        f.top5,
        f.mrr
    );
}
