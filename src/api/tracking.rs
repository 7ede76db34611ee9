//! Tracking: status and timeline, lookup by code + ID number, and the
//! owner's answers (supplement, withdrawal, rating).

use contract::dossier::{AssistedDossier, DossierSummary};
use contract::tracking::{
    ClaimRequest, LookupRequest, Rating, SupplementRequest, Tracking, WithdrawRequest,
};

use super::{decode, json, send_text, FetchError};

/// A dossier's tracking view after an answer, or why not.
type Answer = Result<Tracking, FetchError>;

/// With the QR's token, or (empty token) as the signed-in owner.
pub async fn track(base: &str, code: &str, token: &str) -> Result<Tracking, FetchError> {
    let token = crate::router::percent_encode(token);
    super::get_json(base, &format!("/tracking/{code}?token={token}")).await
}

pub async fn lookup(base: &str, req: &LookupRequest) -> Result<Tracking, FetchError> {
    decode(&send_text("POST", base, "/tracking", json(req)).await?)
}

/// One of the owner's answers on a dossier: `POST /dossiers/{code}/{action}`.
async fn act(base: &str, code: &str, action: &str, req: &impl serde::Serialize) -> Answer {
    let path = format!("/dossiers/{code}/{action}");
    decode(&send_text("POST", base, &path, json(req)).await?)
}

pub async fn supplement(base: &str, code: &str, req: &SupplementRequest) -> Answer {
    act(base, code, "supplement", req).await
}

pub async fn claim(base: &str, code: &str, req: &ClaimRequest) -> Answer {
    act(base, code, "claim", req).await
}

pub async fn withdraw(base: &str, code: &str, req: &WithdrawRequest) -> Answer {
    act(base, code, "withdraw", req).await
}

pub async fn rate(base: &str, code: &str, req: &Rating) -> Answer {
    act(base, code, "rating", req).await
}

/// The signed-in citizen's dossiers, newest first.
pub async fn mine(base: &str) -> Result<Vec<DossierSummary>, FetchError> {
    super::get_json(base, "/dossiers").await
}

/// A volunteer's dossiers filed for residents.
pub async fn assisted(base: &str) -> Result<Vec<AssistedDossier>, FetchError> {
    super::get_json(base, "/assisted").await
}

/// "Người tiếp theo": the volunteer no longer sees the residents' details.
pub async fn hand_over(base: &str) -> Result<(), FetchError> {
    send_text("POST", base, "/assisted/hand-over", None).await?;
    Ok(())
}

/// Text the tracking link to the resident's phone.
pub async fn send_link(base: &str, code: &str) -> Result<(), FetchError> {
    send_text("POST", base, &format!("/dossiers/{code}/send-link"), None).await?;
    Ok(())
}

/// Begin (or take up again) paying a dossier's fee: where to pay.
pub async fn start_payment(
    base: &str,
    code: &str,
    ask: &contract::tracking::PayAsk,
) -> Result<contract::tracking::PaymentStart, FetchError> {
    decode(&send_text("POST", base, &format!("/dossiers/{code}/payment"), json(ask)).await?)
}
