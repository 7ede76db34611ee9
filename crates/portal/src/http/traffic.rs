//! Requests and their latencies, counted for `/api/v1/metrics` (Prometheus
//! text): by part (API or app) and status class, with a latency histogram.
//! Atomic counters only: nothing about who asked or what for.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
const PARTS: [&str; 2] = ["api", "app"];
const CLASSES: [&str; 4] = ["2xx", "3xx", "4xx", "5xx"];

#[derive(Default)]
pub struct Traffic {
    /// [part][status class]
    count: [[AtomicU64; 4]; 2],
    /// [part][bucket] (cumulative when printed), then +Inf.
    buckets: [[AtomicU64; 11]; 2],
    /// [part] total microseconds.
    micros: [AtomicU64; 2],
}

impl Traffic {
    fn record(&self, part: usize, status: u16, seconds: f64) {
        let class = (status / 100).clamp(2, 5) as usize - 2;
        self.count[part][class].fetch_add(1, Relaxed);
        let b = BUCKETS.iter().position(|&le| seconds <= le).unwrap_or(BUCKETS.len());
        self.buckets[part][b].fetch_add(1, Relaxed);
        self.micros[part].fetch_add((seconds * 1e6) as u64, Relaxed);
    }

    /// The counters in Prometheus text.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP motcua_requests_total Requests answered, by part and status class.\n\
             # TYPE motcua_requests_total counter\n",
        );
        for (p, part) in PARTS.iter().enumerate() {
            for (c, class) in CLASSES.iter().enumerate() {
                let n = self.count[p][c].load(Relaxed);
                out.push_str(&format!(
                    "motcua_requests_total{{part=\"{part}\",status=\"{class}\"}} {n}\n"
                ));
            }
        }
        out.push_str(
            "# HELP motcua_request_seconds Time to answer a request.\n\
             # TYPE motcua_request_seconds histogram\n",
        );
        for (p, part) in PARTS.iter().enumerate() {
            let mut seen = 0;
            for (b, n) in self.buckets[p].iter().enumerate() {
                seen += n.load(Relaxed);
                let le = BUCKETS.get(b).map(|v| v.to_string()).unwrap_or_else(|| "+Inf".into());
                out.push_str(&format!(
                    "motcua_request_seconds_bucket{{part=\"{part}\",le=\"{le}\"}} {seen}\n"
                ));
            }
            let sum = self.micros[p].load(Relaxed) as f64 / 1e6;
            out.push_str(&format!("motcua_request_seconds_sum{{part=\"{part}\"}} {sum}\n"));
            out.push_str(&format!("motcua_request_seconds_count{{part=\"{part}\"}} {seen}\n"));
        }
        out
    }
}

/// Count one request (middleware around the whole portal).
pub async fn count(State(t): State<std::sync::Arc<Traffic>>, req: Request, next: Next) -> Response {
    let part = usize::from(!req.uri().path().starts_with("/api/"));
    let started = Instant::now();
    let res = next.run(req).await;
    t.record(part, res.status().as_u16(), started.elapsed().as_secs_f64());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_class_and_bucket() {
        let t = Traffic::default();
        t.record(0, 200, 0.003);
        t.record(0, 404, 0.2);
        t.record(1, 200, 9.0);
        let text = t.render();
        assert!(text.contains("motcua_requests_total{part=\"api\",status=\"2xx\"} 1\n"), "{text}");
        assert!(text.contains("motcua_requests_total{part=\"api\",status=\"4xx\"} 1\n"));
        assert!(text.contains("motcua_request_seconds_bucket{part=\"api\",le=\"0.005\"} 1\n"));
        assert!(text.contains("motcua_request_seconds_bucket{part=\"api\",le=\"0.25\"} 2\n"));
        assert!(text.contains("motcua_request_seconds_bucket{part=\"app\",le=\"5\"} 0\n"));
        assert!(text.contains("motcua_request_seconds_bucket{part=\"app\",le=\"+Inf\"} 1\n"));
        assert!(text.contains("motcua_request_seconds_count{part=\"api\"} 2\n"));
    }
}
