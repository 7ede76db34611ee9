//! The seam to the province's back office (hệ thống giải quyết TTHC cấp
//! tỉnh), where officers work and which syncs with the national portal.
//!
//! The portal is the app's backend-for-frontend whatever is behind it:
//! sessions, VNeID, drafts, uploads in progress, the message outbox and
//! limits stay here, and so does the portal's own record of each dossier
//! (who filed it, who may see it, its receipt and files), which the
//! contract needs and no back office knows. What a back office does is
//! behind [`BackOffice`]:
//!
//! - `local` (the default, no driver): the reference store *is* the back
//!   office. Officers use the officer API or `portal officer`; the national
//!   sync (src/national.rs) reports to the national portal.
//! - `opencps` ([`opencps`]): dossiers are handed to an OpenCPS site over
//!   its REST API v2, which gives their status from then on.
//!
//! A dossier filed under a driver is queued (`back_office` table) in the
//! transaction that files it: the citizen gets a receipt at once, saying
//! it is on its way to the one-stop desk, and [`Forwarder`] hands it over
//! when the back office answers — exactly once, each step idempotent by our
//! dossier code — then asks for its status, which the status page shows
//! with when the back office last confirmed it.
//!
//! A further driver (VNPT iGate, a vendor's) is one module implementing
//! [`BackOffice`], its tests, and a line in `main.rs`'s `--backend`.

pub mod check;
pub mod opencps;
pub mod opencps_config;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use contract::dossier::{Receipt, SubmitRequest};

use crate::db::Db;
use crate::store::dossiers::Move;

/// What a driver's calls give back.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One file of a dossier, to hand over.
#[derive(Clone, Debug)]
pub struct FileOut {
    /// Our id for it (a back office keeps it as the file's reference).
    pub id: String,
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A dossier as filed here, to hand over.
pub struct Filing {
    pub receipt: Receipt,
    pub request: SubmitRequest,
    /// The e-form's answers (`FormAnswers` JSON), if it has one.
    pub form: Option<String>,
    /// Files by the document they were attached to.
    pub documents: Vec<DocumentOut>,
}

/// The files given for one of the procedure's documents.
#[derive(Clone, Debug)]
pub struct DocumentOut {
    /// Its place in the procedure's list of documents, from 1 (a document
    /// given no file leaves its number unused).
    pub number: usize,
    pub name: String,
    pub files: Vec<FileOut>,
}

/// Where a dossier stands at the back office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The back office's id for it.
    pub remote_id: String,
    /// The national status code (1–10) its status maps to.
    pub national: u8,
    /// Its own words for the status (e.g. `processing/…`), as read.
    pub words: String,
    /// What an officer wrote with the last action, if anything public.
    pub note: String,
    /// At status 6: the amount to pay, in đồng.
    pub amount: Option<u64>,
}

/// A result the back office issued for a dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedResult {
    /// Its reference there.
    pub reference: String,
    pub name: String,
}

/// The largest result file copied from a back office.
pub const MAX_RESULT_BYTES: usize = 30 * 1024 * 1024;

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not reached, timed out, or a 5xx: try again soon.
    Away(String),
    /// It answered and refused (credentials, a missing setting, an answer
    /// not of the published shape): a person must look; tried again slowly.
    Refused(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Away(w) => write!(f, "back office not reachable: {w}"),
            Failure::Refused(w) => write!(f, "back office refused: {w}"),
        }
    }
}

/// A province's back office.
pub trait BackOffice: Send + Sync {
    /// The driver's name (`--backend`).
    fn name(&self) -> &'static str;
    /// Hand dossier `f` over and submit it there. Safe to call again after
    /// any failure: what the back office already has is not sent twice.
    fn hand_over<'a>(&'a self, f: &'a Filing) -> Fut<'a, Result<Standing, Failure>>;
    /// Where dossier `code` (known there as `remote_id`) stands now.
    fn standing<'a>(
        &'a self,
        code: &'a str,
        remote_id: &'a str,
    ) -> Fut<'a, Result<Standing, Failure>>;
    /// Ask the back office to withdraw it (the citizen asked, status 7).
    fn withdraw<'a>(&'a self, remote_id: &'a str, reason: &'a str) -> Fut<'a, Result<(), Failure>>;
    /// Send what was asked for at status 5 and submit it again.
    fn supplement<'a>(
        &'a self,
        remote_id: &'a str,
        files: &'a [FileOut],
        note: &'a str,
    ) -> Fut<'a, Result<(), Failure>>;
    /// The results it has issued for a dossier (at 9 or 10).
    fn results<'a>(&'a self, remote_id: &'a str) -> Fut<'a, Result<Vec<IssuedResult>, Failure>>;
    /// One result's bytes (at most [`MAX_RESULT_BYTES`]).
    fn result_file<'a>(
        &'a self,
        remote_id: &'a str,
        reference: &'a str,
    ) -> Fut<'a, Result<Vec<u8>, Failure>>;
    /// What it is set up to receive: (our procedure code, receiving unit).
    fn offer(&self) -> Fut<'_, Result<Vec<(String, String)>, Failure>>;
    /// Tell it the fee was paid online (through the national payment
    /// platform, settled here): safe to tell twice.
    fn report_payment<'a>(
        &'a self,
        remote_id: &'a str,
        paid: &'a crate::store::payments::Unreported,
    ) -> Fut<'a, Result<(), Failure>>;
    /// Keep a booking at the desk in its own list, when it has one (OpenCPS:
    /// `/bookings`): its id there. `None`: it keeps none, the portal's store
    /// is the record (the default). Safe to send again (a moved booking is).
    fn book<'a>(
        &'a self,
        _b: &'a crate::store::bookings::Row,
    ) -> Fut<'a, Result<Option<String>, Failure>> {
        Box::pin(async { Ok(None) })
    }
    /// A booking it keeps (`remote` from [`BackOffice::book`]) was cancelled.
    fn cancel_booking<'a>(&'a self, _remote: &'a str) -> Fut<'a, Result<(), Failure>> {
        Box::pin(async { Ok(()) })
    }
}

/// Seconds before a payment the back office refused to take is told again.
const REPORT_AGAIN_AFTER_REFUSAL: i64 = 10 * 60;

/// How often what the back office receives is read again.
pub const OFFER_EVERY: Duration = Duration::from_secs(10 * 60);

/// The forwarder's tasks; dropping this stops them (as a restart would).
pub struct Running(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Running {
    fn drop(&mut self) {
        for t in &self.0 {
            t.abort();
        }
    }
}

/// The worker that hands dossiers over and reads their status back.
pub struct Forwarder {
    db: Db,
    files_dir: PathBuf,
    driver: Arc<dyn BackOffice>,
    /// First wait after a failure (doubled each time, at most 15 minutes).
    retry: Duration,
    /// How often a handed-over dossier's status is asked for.
    poll_every: Duration,
    /// Rung when a dossier is filed: it is handed over at once.
    pub wake: tokio::sync::Notify,
    /// How a PDF result copied from the back office is checked.
    pdf_parser: crate::filecheck::Parser,
    /// What it receives (procedure, unit), as last read; none before.
    offered: std::sync::RwLock<Option<std::collections::HashSet<(String, String)>>>,
}

impl Forwarder {
    pub fn new(
        db: Db,
        files_dir: PathBuf,
        driver: Arc<dyn BackOffice>,
        retry: Duration,
        poll_every: Duration,
    ) -> Arc<Forwarder> {
        Arc::new(Forwarder {
            db,
            files_dir,
            driver,
            retry: retry.max(Duration::from_millis(100)),
            poll_every: poll_every.max(Duration::from_secs(1)),
            wake: tokio::sync::Notify::new(),
            pdf_parser: crate::filecheck::Parser::Thread,
            offered: std::sync::RwLock::new(None),
        })
    }

    /// Check PDF results with `parser` (the serving portal's child process).
    pub fn with_pdf_parser(mut self: Arc<Self>, parser: crate::filecheck::Parser) -> Arc<Self> {
        if let Some(me) = Arc::get_mut(&mut self) {
            me.pdf_parser = parser;
        }
        self
    }

    pub fn driver(&self) -> &Arc<dyn BackOffice> {
        &self.driver
    }

    /// Start handing over and polling; `now` is the portal's clock,
    /// `route` how the applicant is told of a change. Both stop when the
    /// answer is dropped.
    pub fn start(
        self: &Arc<Self>,
        now: impl Fn() -> u64 + Send + Sync + Clone + 'static,
        route: crate::notify::Route,
    ) -> Running {
        let me = self.clone();
        let (clock, told) = (now.clone(), route.clone());
        let a = tokio::spawn(async move { me.hand_over_loop(clock, told).await });
        let me = self.clone();
        let b = tokio::spawn(async move { me.poll_loop(now, route).await });
        let me = self.clone();
        let c = tokio::spawn(async move {
            loop {
                me.read_offer().await;
                tokio::time::sleep(OFFER_EVERY).await;
            }
        });
        Running(vec![a, b, c])
    }

    /// Read again what the back office receives.
    pub async fn read_offer(&self) {
        match self.driver.offer().await {
            Ok(list) => {
                let set = list.into_iter().collect();
                *self.offered.write().unwrap_or_else(|p| p.into_inner()) = Some(set);
            }
            Err(f) => tracing::warn!(%f, "back office: what it receives not read"),
        }
    }

    /// Whether the back office receives `procedure` at `unit`: none until
    /// it has said (a dossier is then queued, as when it is away).
    pub fn receives(&self, procedure: &str, unit: &str) -> Option<bool> {
        let offered = self.offered.read().unwrap_or_else(|p| p.into_inner());
        offered.as_ref().map(|o| o.contains(&(procedure.to_string(), unit.to_string())))
    }

    async fn hand_over_loop(
        self: Arc<Self>,
        now: impl Fn() -> u64 + Send + Sync,
        route: crate::notify::Route,
    ) {
        loop {
            let t = now() as i64;
            let due = self.db.call(move |c| crate::store::back_office::due(c, t)).await;
            let p = match due {
                Ok(Some(p)) => p,
                Ok(None) => {
                    let _ =
                        tokio::time::timeout(Duration::from_secs(1), self.wake.notified()).await;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "back office: reading the queue");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    continue;
                }
            };
            let (id, attempts) = (p.dossier_id, p.attempts);
            let outcome = match self.filing(p).await {
                Ok(f) => self.driver.hand_over(&f).await.map(|s| (f.receipt.code, s)),
                Err(e) => Err(Failure::Refused(format!("reading the dossier: {e}"))),
            };
            let t = now() as i64;
            match outcome {
                Ok((code, s)) => {
                    tracing::info!(%code, remote = %s.remote_id, status = %s.words, "handed to the back office");
                    let (words, remote) = (s.words.clone(), s.remote_id.clone());
                    let r = self
                        .db
                        .call(move |c| {
                            crate::store::back_office::created(c, id, &remote)?;
                            crate::store::back_office::delivered(c, id, t, &words)
                        })
                        .await;
                    if let Err(e) = r {
                        tracing::warn!(error = %e, "back office: recording a hand-over");
                    }
                    self.take(&code, &s, t, &route).await;
                }
                Err(f) => {
                    let cap = Duration::from_secs(15 * 60);
                    let base = match f {
                        Failure::Away(_) => self.retry,
                        Failure::Refused(_) => self.retry.max(Duration::from_secs(60)),
                    };
                    let wait = base.saturating_mul(1 << attempts.min(16)).min(cap);
                    let next = t + wait.as_secs().max(1) as i64;
                    tracing::warn!(dossier = id, attempts, %f, "back office: not handed over yet");
                    let text = f.to_string();
                    let _ = self
                        .db
                        .call(move |c| crate::store::back_office::failed(c, id, next, &text))
                        .await;
                }
            }
        }
    }

    /// Read a queued dossier and its files.
    async fn filing(&self, p: crate::store::back_office::Pending) -> anyhow::Result<Filing> {
        let receipt: Receipt = serde_json::from_str(&p.receipt)?;
        let request: SubmitRequest = serde_json::from_str(&p.request)?;
        let code = receipt.procedure_code.clone();
        let listed: Vec<String> = self
            .db
            .call(move |c| crate::catalog::procedure(c, &code))
            .await?
            .map(|p| p.documents.into_iter().map(|d| d.name).collect())
            .unwrap_or_default();
        let mut documents = Vec::new();
        for (i, d) in request.documents.iter().enumerate() {
            let mut files = Vec::new();
            for id in &d.files {
                let Some(row) = p.files.iter().find(|f| &f.id == id) else { continue };
                let bytes = tokio::fs::read(self.files_dir.join(&row.sha256)).await?;
                files.push(FileOut {
                    id: row.id.clone(),
                    name: row.name.clone(),
                    mime: row.mime.clone(),
                    bytes,
                });
            }
            // By the procedure's own list; a name it no longer lists goes after it.
            let number = listed.iter().position(|n| n == &d.name).unwrap_or(listed.len() + i) + 1;
            documents.push(DocumentOut { number, name: d.name.clone(), files });
        }
        Ok(Filing { receipt, request, form: p.form, documents })
    }

    /// Keep what the back office says: its status (and the applicant's
    /// message, as for an officer's move) when it changed.
    async fn take(&self, code: &str, s: &Standing, now: i64, route: &crate::notify::Route) {
        // Results first: the applicant's message about 9 can say they are in.
        if matches!(s.national, 9 | 10) {
            self.copy_results(code, &s.remote_id, now).await;
        }
        let (code, s, route) = (code.to_string(), s.clone(), route.clone());
        let r = self
            .db
            .call(move |c| {
                let m = Move { to: s.national, note: &s.note, amount: s.amount, by_citizen: false };
                crate::notify::move_and_tell(
                    c,
                    &code,
                    m,
                    (now, crate::notify::By::BackOffice),
                    &route,
                )
            })
            .await;
        if let Err(e) = r {
            tracing::warn!(error = %e, "back office: recording a status");
        }
    }

    /// Copy the results the back office issued and this portal does not
    /// have yet, each checked as an upload is; one refused is left there
    /// (and said in the log), the others are copied.
    async fn copy_results(&self, code: &str, remote_id: &str, now: i64) {
        let issued = match self.driver.results(remote_id).await {
            Ok(r) => r,
            Err(f) => {
                tracing::warn!(%code, %f, "back office: results not listed");
                return;
            }
        };
        let c2 = code.to_string();
        let Ok(Some(d)) = self.db.call(move |c| crate::store::dossiers::load(c, &c2)).await else {
            return;
        };
        let id = d.id;
        let have = self.db.call(move |c| crate::store::results::remote_refs(c, id)).await;
        let have = have.unwrap_or_default();
        for r in issued.into_iter().filter(|r| !have.contains(&r.reference)) {
            let bytes = match self.driver.result_file(remote_id, &r.reference).await {
                Ok(b) => b,
                Err(f) => {
                    tracing::warn!(%code, reference = %r.reference, %f, "back office: result not read");
                    continue;
                }
            };
            let (mime, sha) = match self.keep_checked(&bytes).await {
                Ok(k) => k,
                Err(why) => {
                    tracing::warn!(%code, reference = %r.reference, why, "back office: result refused");
                    continue;
                }
            };
            let (code, size) = (code.to_string(), bytes.len() as u64);
            let made = self
                .db
                .call(move |c| {
                    let n = crate::store::results::NewResult {
                        name: &r.name,
                        size,
                        sha256: &sha,
                        mime,
                        signer: "",
                        remote_ref: Some(&r.reference),
                    };
                    crate::store::results::add(c, id, &code, &n, now)
                })
                .await;
            if let Err(e) = made {
                tracing::warn!(error = %e, "back office: recording a result");
            }
        }
    }

    /// Check a result as an upload is checked (type by its first bytes,
    /// picture dimensions, PDFs by the parser) and keep it under its SHA-256.
    async fn keep_checked(&self, bytes: &[u8]) -> Result<(&'static str, String), &'static str> {
        use crate::filecheck::{check_pdf, picture_ok, sniff};
        if bytes.is_empty() || bytes.len() > MAX_RESULT_BYTES {
            return Err("empty or too large");
        }
        let mime = sniff(bytes).ok_or("not a PDF, JPEG or PNG")?;
        let sha = crate::secrets::sha256_hex(bytes);
        let tmp = self.files_dir.join(format!(".{sha}.result"));
        tokio::fs::create_dir_all(&self.files_dir).await.map_err(|_| "not stored")?;
        tokio::fs::write(&tmp, bytes).await.map_err(|_| "not stored")?;
        let verdict = if mime == "application/pdf" {
            check_pdf(&self.pdf_parser, &tmp).await.map_err(|r| r.word())
        } else if picture_ok(bytes) {
            Ok(())
        } else {
            Err("picture")
        };
        if let Err(why) = verdict {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(why);
        }
        tokio::fs::rename(&tmp, self.files_dir.join(&sha)).await.map_err(|_| "not stored")?;
        Ok((mime, sha))
    }

    /// Fees paid online here for dossiers the back office keeps: told to
    /// it, each until it took it (the move from 6 on is its officers' or
    /// its process's, as for a fee paid at its own desk).
    async fn report_payments(&self, now: u64) {
        // A refusal is asked about again after 10 minutes, not every poll.
        let refused_before = now as i64 - REPORT_AGAIN_AFTER_REFUSAL;
        let asked = self.db.call(move |c| crate::store::payments::to_report(c, refused_before, 50));
        let Ok(batch) = asked.await else {
            return;
        };
        for p in batch {
            match self.driver.report_payment(&p.remote_id, &p).await {
                Ok(()) => {
                    let r = p.reference.clone();
                    let _ = self
                        .db
                        .call(move |c| crate::store::payments::reported(c, &r, now as i64))
                        .await;
                    tracing::info!(code = %p.code, "back office told of the fee paid online");
                }
                Err(f) => {
                    tracing::warn!(code = %p.code, %f, "back office: payment not told yet");
                    if matches!(f, Failure::Away(_)) {
                        return;
                    }
                    let r = p.reference.clone();
                    let _ = self
                        .db
                        .call(move |c| crate::store::payments::report_refused(c, &r, now as i64))
                        .await;
                }
            }
        }
    }

    /// Bookings at the desk: each upcoming one handed to the back office's
    /// own list (when it keeps one), each cancelled one it holds taken back.
    pub async fn report_bookings(&self, now: u64) {
        let today = contract::appointments::iso(contract::time::vn_date(now));
        let asked = self.db.call(move |c| -> rusqlite::Result<_> {
            Ok((
                crate::store::bookings::unsent(c, &today)?,
                crate::store::bookings::to_take_back(c)?,
            ))
        });
        let Ok((new, cancelled)) = asked.await else {
            return;
        };
        for b in new {
            match self.driver.book(&b).await {
                Ok(remote) => {
                    let (id, remote) = (b.id, remote.unwrap_or_default());
                    let _ = self
                        .db
                        .call(move |c| crate::store::bookings::set_remote(c, id, &remote))
                        .await;
                }
                Err(f) => {
                    tracing::warn!(code = %b.code, %f, "back office: booking not handed over yet");
                    return;
                }
            }
        }
        for (id, remote) in cancelled {
            match self.driver.cancel_booking(&remote).await {
                Ok(()) => {
                    let _ = self.db.call(move |c| crate::store::bookings::taken_back(c, id)).await;
                }
                Err(f) => {
                    tracing::warn!(%remote, %f, "back office: cancelled booking not taken back yet");
                    return;
                }
            }
        }
    }

    async fn poll_loop(
        self: Arc<Self>,
        now: impl Fn() -> u64 + Send + Sync,
        route: crate::notify::Route,
    ) {
        loop {
            tokio::time::sleep(self.poll_every).await;
            let t = now() as i64;
            let before = t - self.poll_every.as_secs() as i64 + 1;
            let batch =
                self.db.call(move |c| crate::store::back_office::to_poll(c, before, 200)).await;
            self.report_payments(now()).await;
            self.report_bookings(now()).await;
            let Ok(batch) = batch else { continue };
            for (id, code, remote) in batch {
                let t = now() as i64;
                match self.driver.standing(&code, &remote).await {
                    Ok(s) => {
                        let words = s.words.clone();
                        let _ = self
                            .db
                            .call(move |c| crate::store::back_office::confirmed(c, id, t, &words))
                            .await;
                        self.take(&code, &s, t, &route).await;
                    }
                    Err(f) => {
                        tracing::warn!(%code, %f, "back office: status not read");
                        let _ = self
                            .db
                            .call(move |c| crate::store::back_office::unanswered(c, id, t))
                            .await;
                        // The back office is away: the rest can wait a round.
                        if matches!(f, Failure::Away(_)) {
                            break;
                        }
                    }
                }
            }
        }
    }
}
