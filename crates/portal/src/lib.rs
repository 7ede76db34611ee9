//! Reference portal: implements the Một Cửa API on SQLite and serves the app.

pub mod appointments;
pub mod backend;
pub mod backup;
pub mod catalog;
pub mod db;
pub mod demo;
pub mod desk_cli;
pub mod error;
pub mod filecheck;
pub mod first_paint;
pub mod forms;
pub mod hashing;
pub mod http;
pub mod limits;
pub mod national;
pub mod notify;
pub mod officer_cli;
pub mod payment;
pub mod payment_check;
pub mod secrets;
pub mod serve;
pub mod sms;
pub mod store;
pub mod vneid;
pub mod web;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use tower_http::compression::CompressionLayer;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub dev: bool,
    pub list_cache: Arc<http::ListCache>,
    /// Content-Security-Policy violations reported by browsers (kept for `--dev` inspection).
    pub csp_reports: Arc<std::sync::Mutex<Vec<String>>>,
    pub sms: sms::Sms,
    pub limits: Arc<limits::Limiter>,
    /// Mark the session cookie `Secure` (the portal is reached over HTTPS).
    pub secure_cookies: bool,
    /// Key mixed into one-time code hashes (kept in the database's meta table).
    pub secret: Arc<Vec<u8>>,
    /// Seconds added to the wall clock; tests move time forward with it.
    pub clock_offset: Arc<std::sync::atomic::AtomicU64>,
    /// Where uploaded files are kept, named by their SHA-256.
    pub files_dir: Arc<std::path::PathBuf>,
    /// Bearer token of the officer API (`--officer-token`); none: disabled.
    pub officer_token: Option<Arc<str>>,
    /// Bearer token for `/api/v1/metrics` (`--metrics-token`); none: the
    /// metrics are not served at all.
    pub metrics_token: Option<Arc<str>>,
    /// The public address for links sent by SMS (`--public-url`).
    pub public_url: Option<Arc<str>>,
    /// Send Strict-Transport-Security (`--hsts`).
    pub hsts: bool,
    /// The reverse proxy whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// The VNeID client (`--vneid-*`); none: that way in says it is not set up.
    pub vneid: Option<Arc<vneid::Vneid>>,
    /// The statistics' facts, read again only when something changed.
    pub stats_cache: Arc<http::stats::StatsCache>,
    /// Requests and latencies, for `/api/v1/metrics`.
    pub traffic: Arc<http::traffic::Traffic>,
    /// Where the database lives (its disk's free space is in the health check).
    pub data_dir: Arc<std::path::PathBuf>,
    /// How uploaded PDFs are parsed: in a child process when serving
    /// (`main.rs` names the portal's own binary), else on a thread.
    pub pdf_parser: filecheck::Parser,
    /// The longest a body other than an upload may take to arrive
    /// (`--body-timeout-secs`; [`SMALL_BODY_TIMEOUT`] unless told).
    pub body_timeout: std::time::Duration,
    /// The province's back office (`--backend`); none: the `local` driver,
    /// this store is the system of record (src/backend/).
    pub back_office: Option<Arc<backend::Forwarder>>,
    /// The national payment platform, where fees are paid online (none:
    /// paid at the desk, as before).
    pub payment: Option<Arc<payment::Platform>>,
    /// Each desk's calendar for appointments (`--desks`; defaults otherwise).
    pub desks: Arc<appointments::Desks>,
    /// The networks the offices' kiosks are in (`--queue-networks`): queue
    /// numbers are issued only to them; none: from anywhere.
    pub queue_networks: Option<Arc<Vec<appointments::Network>>>,
}

impl AppState {
    /// `data_dir`: the folder of the database; files go under `files/` there.
    pub fn new(db: db::Db, dev: bool, data_dir: &Path) -> Self {
        let secret = db.with(store::accounts::server_secret).expect("reading the server secret");
        let sms = if dev { sms::Sms::Outbox(db.clone()) } else { sms::Sms::Unconfigured };
        AppState {
            db,
            dev,
            list_cache: Arc::default(),
            csp_reports: Arc::default(),
            sms,
            limits: Arc::default(),
            secure_cookies: false,
            secret: Arc::new(secret),
            clock_offset: Arc::default(),
            files_dir: Arc::new(data_dir.join("files")),
            data_dir: Arc::new(data_dir.to_path_buf()),
            traffic: Arc::default(),
            stats_cache: Arc::default(),
            officer_token: None,
            metrics_token: None,
            public_url: None,
            vneid: None,
            trusted_proxy: None,
            hsts: false,
            pdf_parser: filecheck::Parser::Thread,
            body_timeout: SMALL_BODY_TIMEOUT,
            back_office: None,
            payment: None,
            desks: Arc::default(),
            queue_networks: None,
        }
    }

    /// Unix seconds (plus the test offset).
    pub fn now(&self) -> u64 {
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        wall + self.clock_offset.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The longest an upload's body may take to arrive (a 10 MB photo at
/// 400 kbit/s takes under four minutes).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);
/// The longest any other body may take: JSON of a few KB, which even a 2G
/// link sends in seconds. A client dribbling one holds a connection slot
/// no longer than this.
pub const SMALL_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Whether a request carries a file (and so gets [`BODY_TIMEOUT`]).
pub fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST
        && (path == "/api/v1/files"
            || (path.starts_with("/api/v1/officer/dossiers/") && path.ends_with("/results")))
}

/// Give each request's body its time limit: uploads [`BODY_TIMEOUT`],
/// everything else `small` ([`SMALL_BODY_TIMEOUT`] unless told).
async fn body_time_limit(
    axum::extract::State(small): axum::extract::State<std::time::Duration>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let limit = if is_upload(req.method(), req.uri().path()) { BODY_TIMEOUT } else { small };
    let (parts, body) = req.into_parts();
    let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let timed = tower_http::timeout::TimeoutBody::new(limit, body);
    let body = axum::body::Body::new(CutOff { body: Box::pin(timed), cut: cut.clone() });
    let mut res = next.run(axum::extract::Request::from_parts(parts, body)).await;
    // The rest of a body that stopped coming is never read: the connection
    // closes with the answer instead of waiting for it.
    if cut.load(std::sync::atomic::Ordering::Relaxed) {
        res.headers_mut()
            .insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    res
}

/// A request body that notes when it failed (ran out of time).
struct CutOff<B> {
    body: std::pin::Pin<Box<B>>,
    cut: Arc<std::sync::atomic::AtomicBool>,
}

impl<B: axum::body::HttpBody> axum::body::HttpBody for CutOff<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        let polled = self.body.as_mut().poll_frame(cx);
        if let std::task::Poll::Ready(Some(Err(_))) = &polled {
            self.cut.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// The whole portal: API, then the app for every other path.
pub fn app(state: AppState, dist: &Path) -> Router {
    let mut site = web::Site::new(dist);
    site.hsts = state.hsts;
    let traffic = state.traffic.clone();
    let small_body = state.body_timeout;
    // The QR link's page carries the dossier's public status (first_paint.rs).
    let first_paint = axum::Router::new()
        .route(
            &format!("{}{{code}}", contract::tracking::STATUS_PATH),
            axum::routing::get(first_paint::status_page),
        )
        .with_state((state.clone(), site.clone()));
    http::router(state)
        .merge(first_paint)
        .layer(axum::middleware::from_fn(http::extract::require_csrf_header))
        .fallback_service(axum::routing::any(web::serve).with_state(site.clone()))
        .layer(CompressionLayer::new().br(true).gzip(true))
        // A body that dribbles in slower than its limit is cut off.
        .layer(axum::middleware::from_fn_with_state(small_body, body_time_limit))
        .layer(axum::middleware::from_fn_with_state(site, web::headers))
        .layer(axum::middleware::from_fn_with_state(traffic, http::traffic::count))
}

/// Once at start and then every hour: forget expired codes and pairings,
/// stale drafts and files never submitted (`store::files::clean_up`), and
/// delete the stored blobs nothing names any more.
pub fn clean_up_every_hour(st: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        loop {
            every.tick().await;
            let now = st.now() as i64;
            match st.db.call(move |c| store::files::clean_up(c, now)).await {
                Ok(orphans) => {
                    for sha in &orphans {
                        let _ = tokio::fs::remove_file(st.files_dir.join(sha)).await;
                    }
                    tracing::info!(files = orphans.len(), "cleaned up");
                }
                Err(e) => tracing::warn!(error = %e, "clean-up"),
            }
        }
    });
}
