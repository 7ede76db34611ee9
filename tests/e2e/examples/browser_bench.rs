//! Search latency in headless Chromium at 4x CPU throttling (DevTools
//! protocol), over the catalog the portal serves: `cargo xtask bench` runs it
//! against a portal with the national catalog imported.
//!
//! Each query of `perf/search-queries.txt` is typed one keystroke at a time.
//! Per keystroke we read the app's own User Timing measure `search` (the
//! search and filtering, see `src/timing.rs`) and the time from the input
//! event until the page has re-rendered. Prints a table and a `BENCH_JSON` line.

#[path = "../tests/support/mod.rs"]
mod support;

use fantoccini::Locator;
use serde_json::{json, Value};
use support::*;

const TYPE_QUERY: &str = r#"
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.getElementById('q');
const out = [];
(async () => {
  const chars = Array.from(query);
  for (let i = 1; i <= chars.length; i++) {
    performance.clearMeasures('search');
    input.value = chars.slice(0, i).join('');
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise(r => setTimeout(r, 0));
    const update = performance.now() - t0;
    const m = performance.getEntriesByName('search', 'measure');
    out.push([m.length ? m[m.length - 1].duration : -1, update]);
  }
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise(r => setTimeout(r, 50));
  done(out);
})();
"#;

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let queries: Vec<String> = std::fs::read_to_string(env("BENCH_QUERIES"))
        .expect("query list")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let c = browser().await;
    open(&c, "/thu-tuc").await;
    wait_text(&c, "#result-count", "thủ tục").await;
    let count: String = c
        .find(Locator::Css("#result-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let procedures: usize = count
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    // One warm-up query so the first measured keystroke is not a cold start.
    c.execute_async(TYPE_QUERY, vec![json!("khai sinh")])
        .await
        .unwrap();
    let mut search = Vec::new();
    let mut update = Vec::new();
    for q in &queries {
        let out: Value = c.execute_async(TYPE_QUERY, vec![json!(q)]).await.unwrap();
        for pair in out.as_array().unwrap() {
            let s = pair[0].as_f64().unwrap();
            assert!(s >= 0.0, "no `search` measure after typing into {q:?}");
            search.push(s);
            update.push(pair[1].as_f64().unwrap());
        }
    }
    cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": 1 })).await;
    c.close().await.unwrap();
    search.sort_by(|a, b| a.total_cmp(b));
    update.sort_by(|a, b| a.total_cmp(b));
    println!(
        "    Chromium, 4x CPU throttle, {procedures} procedures, {} keystrokes of {} queries:",
        search.len(),
        queries.len()
    );
    println!(
        "      search            p50 {:>6.2} ms   p95 {:>6.2} ms",
        percentile(&search, 50),
        percentile(&search, 95)
    );
    println!(
        "      input -> render   p50 {:>6.2} ms   p95 {:>6.2} ms",
        percentile(&update, 50),
        percentile(&update, 95)
    );
    println!(
        "BENCH_JSON {}",
        json!({
            "procedures": procedures,
            "keystrokes": search.len(),
            "cpu_throttle": 4,
            "search_p50_ms": percentile(&search, 50),
            "search_p95_ms": percentile(&search, 95),
            "render_p50_ms": percentile(&update, 50),
            "render_p95_ms": percentile(&update, 95),
        })
    );
}
