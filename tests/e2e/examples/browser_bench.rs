//! Search latency in headless Chromium at 4x CPU throttling (DevTools
//! protocol), over the catalog the portal serves: `cargo xtask bench` runs it
//! against a portal with the national catalog imported.
//!
//! Each query of `perf/search-queries.txt` is typed one keystroke at a time.
//! Per keystroke we read the app's own User Timing measure `search` (the
//! search and filtering, see `src/timing.rs`) and the time from the input
//! event until the page has re-rendered. Then a 12 MP photo is attached in
//! the submission wizard, three times: the app's own `photo` measure (its
//! compression before upload) and the size that arrives. Last, the longest
//! main-thread task at start of each way in (home, a procedure page, the QR
//! link), five cold loads each. The portal must run with `--dev` (the
//! account's code is read from the outbox). Prints a table and a
//! `BENCH_JSON` line.

#[path = "../tests/e2e/support/mod.rs"]
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
    let list = std::fs::read_to_string(env("BENCH_QUERIES")).expect("query list");
    // One query a line; blank lines and `#` comments aside.
    let queries: Vec<&str> =
        list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let c = browser().await;
    open(&c, "/thu-tuc").await;
    wait_text(&c, "#result-count", "thủ tục").await;
    let count: String = text_of(&c, Locator::Css("#result-count")).await;
    let procedures: usize =
        count.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0);
    cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    // One warm-up query so the first measured keystroke is not a cold start.
    c.execute_async(TYPE_QUERY, vec![json!("khai sinh")]).await.unwrap();
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
    let photo = photo_figures(&c).await;
    c.close().await.unwrap();
    let qr = qr_figures().await;
    let start = start_figures().await;
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
            "photo": photo,
            "qr_decode": qr,
            "start_tasks": start,
        })
    );
}

/// Records every long task (over 50 ms) of the page from its first byte.
const LONG_TASKS: &str = "window.__long = []; new PerformanceObserver((l) => \
    l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });";

/// Long tasks at start: each way in loaded cold (a new browser) five
/// times at 4x CPU throttle and slow 4G (1.6 Mbps, 150 ms), the longest
/// main-thread task over 50 ms of each run (0: none), 3 s after the load.
async fn start_figures() -> Value {
    let (cccd, phone) = unique_ids("0926", 1);
    make_account(&cccd, &phone, "Đo Khởi Động", "03/03/1990", "Bench#2026ls");
    let cookie = sign_in_api(&phone, "Bench#2026ls");
    let (code, token) = file_dossier_api(&cookie, (&cccd, "Đo Khởi Động", "03/03/1990", &phone));
    let qr = format!("/tra-cuu/{code}?t={token}");
    let mut out = serde_json::Map::new();
    println!("      longest task at start (4x CPU, slow 4G; over 50 ms only, 5 cold loads):");
    for (name, path) in
        [("home", "/"), ("procedure", "/thu-tuc/1.001193"), ("qr_link", qr.as_str())]
    {
        let mut longest = Vec::new();
        for _ in 0..5 {
            let c = browser().await;
            cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
            cdp(&c, "Network.enable", json!({})).await;
            cdp(
                &c,
                "Network.emulateNetworkConditions",
                json!({ "offline": false, "latency": 150, "downloadThroughput": 200_000,
                        "uploadThroughput": 93_750 }),
            )
            .await;
            // Without Page.enable the script is not kept for the next document.
            cdp(&c, "Page.enable", json!({})).await;
            cdp(&c, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": LONG_TASKS })).await;
            open(&c, path).await;
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            let tasks = js(&c, "return window.__long;").await;
            let tasks = tasks.as_array().expect("the long-task observer did not run");
            let max = tasks.iter().filter_map(Value::as_f64).fold(0.0, f64::max);
            longest.push(max);
            c.close().await.unwrap();
        }
        println!("        {name:<10} {longest:?} ms");
        out.insert(name.into(), json!({ "longest_ms": longest, "url": path.split('?').next() }));
    }
    Value::Object(out)
}

/// Photo compression in the wizard: median time and sizes of three runs.
async fn photo_figures(c: &fantoccini::Client) -> Value {
    // An account (the portal runs with --dev: the code is in the outbox).
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
        as u64;
    let tail = ms % 1_000_000;
    let (cccd, phone) = (format!("020090{tail:06}"), format!("0914{tail:06}"));
    let call = |method: &str, path: &str, body: Value| -> Value {
        let (_, _, bytes) = http_with_body(
            method,
            path,
            &[("content-type", "application/json"), ("x-motcua", "1")],
            &body.to_string(),
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    let sent = call(
        "POST",
        "/api/v1/accounts/register",
        json!({ "citizen_id": cccd, "full_name": "Đo Thử", "birth_date": "01/01/1990", "phone": phone, "email": "" }),
    );
    let ch = sent["challenge"].as_str().expect("the portal must run with --dev").to_string();
    let (_, _, outbox) = http("GET", "/api/v1/dev/outbox", &[]);
    let outbox: Vec<Value> = serde_json::from_slice(&outbox).unwrap();
    let text = outbox.iter().rev().find(|m| m["phone"] == phone.as_str()).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let code =
        text.split(|ch: char| !ch.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_string();
    call("POST", &format!("/api/v1/challenges/{ch}/verify"), json!({ "code": code }));
    call("POST", "/api/v1/accounts/password", json!({ "challenge": ch, "password": "Do#2026thu" }));
    open(c, "/dang-nhap?tiep=%2Fnop-ho-so%2F1.001193%2Fgiay-to").await;
    send_keys(c, Locator::Css("#identifier"), &phone).await;
    send_keys(c, Locator::Css("#password"), "Do#2026thu").await;
    click(c, "main form button[type=submit]").await;
    wait_text(c, "main h1", "Giấy tờ đính kèm").await;
    let mut times = Vec::new();
    let (mut input_bytes, mut output_kb) = (0u64, 0u64);
    for run in 1..=3 {
        js(c, "performance.clearMeasures('photo');").await;
        let args = vec![json!("documents.1"), json!(4032), json!(3024), json!(0.92)];
        input_bytes = c.execute_async(CAMERA_PHOTO, args).await.unwrap().as_u64().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let n = js(c, "return document.querySelectorAll('main .files li').length").await;
            if n.as_u64() == Some(run) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the photo never arrived");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let m = js(c, "const m = performance.getEntriesByName('photo', 'measure'); return m.length ? m[m.length - 1].duration : -1").await;
        times.push(m.as_f64().unwrap());
        let shown = js(c, "const l = document.querySelectorAll('main .files .muted'); return l[l.length - 1].textContent").await;
        output_kb = shown
            .as_str()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "    photo, 4032x3024 JPEG of {:.1} MB -> {output_kb} KB: compression median {:.0} ms (3 runs, no throttle)",
        input_bytes as f64 / 1e6,
        times[1]
    );
    json!({ "input_bytes": input_bytes, "output_kb": output_kb, "median_ms": times[1], "runs_ms": times })
}

/// The scan page reading a fake camera (640×480, a QR code that is not a
/// dossier's, so it keeps scanning) through the wasm decoder, at 4x CPU
/// throttle: the app's own `qr-decode` measure per frame.
async fn qr_figures() -> Value {
    let c = browser_filming("https://example.invalid/motcua-bench-not-a-dossier").await;
    open(&c, "/quet-ma").await;
    element(&c, Locator::Id("scan-start")).await.click().await.unwrap();
    wait_text(&c, "#scan-message", "không phải mã hồ sơ").await;
    cdp(&c, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    js(&c, "performance.clearMeasures('qr-decode');").await;
    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
    let frames =
        js(&c, "return performance.getEntriesByName('qr-decode').map(e => e.duration);").await;
    c.close().await.unwrap();
    let mut ms: Vec<f64> = frames.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
    assert!(!ms.is_empty(), "no frame decoded");
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "      QR decode (wasm, 640x480 frame, 4x throttle, {} frames)  p50 {:>6.1} ms   p95 {:>6.1} ms",
        ms.len(),
        percentile(&ms, 50),
        percentile(&ms, 95)
    );
    json!({ "frames": ms.len(), "frame": "640x480", "cpu_throttle": 4,
            "p50_ms": percentile(&ms, 50), "p95_ms": percentile(&ms, 95) })
}
