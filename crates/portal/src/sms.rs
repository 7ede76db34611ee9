//! Text messages to phones. With `--dev` they go to an outbox (logged, and
//! listed at `GET /api/v1/dev/outbox`). With `--sms-gateway` they are
//! queued in SQLite (`sms_outbox`) and a worker posts them to the
//! province's brand-name SMS gateway: retried with backoff when it fails or
//! times out, kept across restarts, each sent once, its delivery recorded.
//! Without either, sending fails with a clear error instead of pretending.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contract::account::OutboxMessage;
use rusqlite::params;

use crate::db::Db;

#[derive(Clone)]
pub enum Sms {
    Outbox(Arc<Mutex<Vec<OutboxMessage>>>),
    Gateway(Arc<Gateway>),
    Unconfigured,
}

#[derive(Debug)]
pub struct NotSent;

impl Sms {
    pub fn send(&self, phone: &str, text: &str, at: u64) -> Result<(), NotSent> {
        match self {
            Sms::Outbox(list) => {
                tracing::info!(%phone, %text, "SMS (dev outbox)");
                let mut list = list.lock().unwrap_or_else(|p| p.into_inner());
                if list.len() >= 1000 {
                    list.remove(0);
                }
                list.push(OutboxMessage { phone: phone.to_string(), text: text.to_string(), at });
                Ok(())
            }
            Sms::Gateway(g) => g.queue(phone, text, at as i64),
            Sms::Unconfigured => {
                tracing::error!(%phone, "no SMS gateway is configured: message not sent");
                Err(NotSent)
            }
        }
    }

    pub fn outbox(&self) -> Vec<OutboxMessage> {
        match self {
            Sms::Outbox(list) => list.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            _ => Vec::new(),
        }
    }
}

/// The shape of a gateway's API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Any HTTP API: POST `url` with a JSON body made from `body` (with
    /// `{phone}`, `{text}`, `{brand}` filled in), `Authorization: Bearer`
    /// the token when there is one; any 2xx answer is a delivery.
    Generic { body: String },
    /// eSMS.vn's published JSON API (`SendMultipleMessage_V4_post_json`):
    /// key and secret in the body; delivered when `CodeResult` is "100".
    Esms,
}

/// Where and how to post messages. Secrets come from the environment
/// (`PORTAL_SMS_TOKEN`, `PORTAL_SMS_SECRET`), never the command line.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    pub url: String,
    pub provider: Provider,
    /// The registered brand name the message is sent under.
    pub brand: String,
    pub token: String,
    pub secret: String,
    /// How long one request may take.
    pub timeout: Duration,
    /// The first wait before a retry; it doubles each time, up to 30 minutes.
    pub retry: Duration,
}

/// The default body of a generic gateway.
pub const GENERIC_BODY: &str = r#"{"phone":"{phone}","text":"{text}","brand":"{brand}"}"#;

/// After this long a message that could not be sent is given up (a code
/// that old is useless; the citizen asks again).
const GIVE_UP_SECS: i64 = 24 * 60 * 60;

pub struct Gateway {
    db: Db,
    http: reqwest::Client,
    config: GatewayConfig,
    wake: tokio::sync::Notify,
}

/// A queued message: id, phone, text, attempts so far, when it was queued.
type Queued = (i64, String, String, i64, i64);

/// What a send attempt came to.
enum Outcome {
    Delivered(String),
    /// Worth trying again (5xx, 429, timeout, no connection, an answer that
    /// does not say it was taken).
    Retry(String),
    /// The gateway refused it for good (4xx): retrying cannot help.
    Refused(String),
}

impl Gateway {
    pub fn new(db: Db, config: GatewayConfig) -> anyhow::Result<Arc<Gateway>> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .build()?;
        Ok(Arc::new(Gateway { db, http, config, wake: tokio::sync::Notify::new() }))
    }

    fn queue(&self, phone: &str, text: &str, now: i64) -> Result<(), NotSent> {
        let (phone, text) = (phone.to_string(), text.to_string());
        self.db
            .with(|c| {
                c.execute(
                    "INSERT INTO sms_outbox(phone, text, created_at, next_try_at) VALUES (?1, ?2, ?3, ?3)",
                    params![phone, text, now],
                )
            })
            .map_err(|e| {
                tracing::error!(error = %e, "SMS not queued");
                NotSent
            })?;
        self.wake.notify_one();
        Ok(())
    }

    /// The request body for one message.
    fn body(&self, phone: &str, text: &str) -> String {
        // Values go inside JSON strings: escaped as JSON, without the quotes.
        let esc = |s: &str| {
            let q = serde_json::to_string(s).unwrap_or_default();
            q[1..q.len() - 1].to_string()
        };
        let template = match &self.config.provider {
            Provider::Generic { body } => body.clone(),
            Provider::Esms => r#"{"ApiKey":"{token}","SecretKey":"{secret}","Phone":"{phone}","Content":"{text}","Brandname":"{brand}","SmsType":"2","IsUnicode":"0"}"#.to_string(),
        };
        template
            .replace("{phone}", &esc(phone))
            .replace("{brand}", &esc(&self.config.brand))
            .replace("{token}", &esc(&self.config.token))
            .replace("{secret}", &esc(&self.config.secret))
            // Last: a text may itself contain braces.
            .replace("{text}", &esc(text))
    }

    async fn post(&self, id: i64, phone: &str, text: &str) -> Outcome {
        let mut req = self
            .http
            .post(&self.config.url)
            .header("content-type", "application/json")
            // A gateway that honours it never delivers one message twice,
            // even when our first try timed out after it had been taken.
            .header("idempotency-key", format!("motcua-sms-{id}"))
            .body(self.body(phone, text));
        if matches!(self.config.provider, Provider::Generic { .. }) && !self.config.token.is_empty()
        {
            req = req.bearer_auth(&self.config.token);
        }
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Retry(format!("no answer: {e}")),
        };
        let status = res.status();
        let answer: String = res.text().await.unwrap_or_default().chars().take(300).collect();
        if status.is_server_error() || status.as_u16() == 429 {
            return Outcome::Retry(format!("{status}: {answer}"));
        }
        if !status.is_success() {
            return Outcome::Refused(format!("{status}: {answer}"));
        }
        match &self.config.provider {
            Provider::Generic { .. } => Outcome::Delivered(answer),
            Provider::Esms => {
                let code = serde_json::from_str::<serde_json::Value>(&answer).ok().and_then(|v| {
                    v.get("CodeResult").map(|c| c.to_string().trim_matches('"').to_string())
                });
                match code.as_deref() {
                    Some("100") => Outcome::Delivered(answer),
                    Some(_) => Outcome::Refused(answer),
                    None => Outcome::Retry(format!("unreadable answer: {answer}")),
                }
            }
        }
    }

    /// Send what is due; the seconds until the next message is due, if any.
    async fn round(&self, now: i64) -> Option<i64> {
        let due = self
            .db
            .call(move |c| -> rusqlite::Result<Vec<Queued>> {
                let mut q = c.prepare(
                    "SELECT id, phone, text, attempts, created_at FROM sms_outbox
                     WHERE status = 'pending' AND next_try_at <= ?1 ORDER BY id LIMIT 20",
                )?;
                let rows = q.query_map([now], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
                rows.collect()
            })
            .await
            .unwrap_or_default();
        for (id, phone, text, attempts, created) in due {
            let outcome = self.post(id, &phone, &text).await;
            let attempts = attempts + 1;
            let wait = (self.config.retry.as_millis() as i64) << attempts.min(14);
            let next = now + (wait / 1000).clamp(0, 30 * 60);
            let (status, note) = match outcome {
                Outcome::Delivered(a) => ("sent", a),
                Outcome::Refused(a) => {
                    tracing::warn!(id, answer = %a, "SMS refused by the gateway");
                    ("refused", a)
                }
                Outcome::Retry(a) if now - created > GIVE_UP_SECS => ("failed", a),
                Outcome::Retry(a) => {
                    tracing::warn!(id, attempts, answer = %a, "SMS not sent yet; will retry");
                    ("pending", a)
                }
            };
            let _ = self
                .db
                .call(move |c| {
                    c.execute(
                        "UPDATE sms_outbox SET status = ?2, attempts = ?3, next_try_at = ?4,
                                answer = ?5, sent_at = CASE WHEN ?2 = 'sent' THEN ?6 END
                         WHERE id = ?1 AND status = 'pending'",
                        params![id, status, attempts, next, note, now],
                    )
                })
                .await;
        }
        self.db
            .call(move |c| {
                c.query_row(
                    "SELECT MIN(next_try_at) FROM sms_outbox WHERE status = 'pending'",
                    [],
                    |r| r.get::<_, Option<i64>>(0),
                )
            })
            .await
            .ok()
            .flatten()
            .map(|t| (t - now).max(0))
    }

    /// The sender: what was queued before a restart goes first; then it
    /// wakes when a message is queued or a retry falls due.
    pub fn start(
        self: &Arc<Gateway>,
        clock: impl Fn() -> u64 + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let g = self.clone();
        tokio::spawn(async move {
            loop {
                let next = g.round(clock() as i64).await;
                // Sub-second retries (tests) poll; otherwise sleep until due.
                let nap = match next {
                    Some(0) => {
                        Duration::from_millis(g.config.retry.as_millis().clamp(10, 1000) as u64)
                    }
                    Some(s) => Duration::from_secs(s as u64),
                    None => Duration::from_secs(60),
                };
                let _ = tokio::time::timeout(nap, g.wake.notified()).await;
            }
        })
    }
}
