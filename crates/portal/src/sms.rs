//! Text messages to phones. With `--dev` they go to an outbox (logged, and
//! listed at `GET /api/v1/dev/outbox`); otherwise to an SMS gateway, of
//! which none is configured in this reference portal, so sending fails with
//! a clear error instead of pretending.

use std::sync::{Arc, Mutex};

use contract::account::OutboxMessage;

#[derive(Clone)]
pub enum Sms {
    Outbox(Arc<Mutex<Vec<OutboxMessage>>>),
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
            Sms::Unconfigured => {
                tracing::error!(%phone, "no SMS gateway is configured: message not sent");
                Err(NotSent)
            }
        }
    }

    pub fn outbox(&self) -> Vec<OutboxMessage> {
        match self {
            Sms::Outbox(list) => list.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            Sms::Unconfigured => Vec::new(),
        }
    }
}
