//! Tracking: status and timeline, lookup by code + ID number, and the
//! owner's answers (supplement, withdrawal, rating).

use contract::dossier::{AssistedDossier, DossierSummary};
use contract::tracking::{
    ClaimRequest, LookupRequest, Rating, SupplementRequest, Tracking, WithdrawRequest,
};

use super::{decode, json, send_text, FetchError};

/// With the QR's token, or (empty token) as the signed-in owner.
pub async fn track(base: &str, code: &str, token: &str) -> Result<Tracking, FetchError> {
    let token = crate::router::percent_encode(token);
    super::get_json(base, &format!("/tracking/{code}?token={token}")).await
}

pub async fn lookup(base: &str, req: &LookupRequest) -> Result<Tracking, FetchError> {
    decode(&send_text("POST", base, "/tracking", json(req)).await?)
}

pub async fn supplement(
    base: &str,
    code: &str,
    req: &SupplementRequest,
) -> Result<Tracking, FetchError> {
    let path = format!("/dossiers/{code}/supplement");
    decode(&send_text("POST", base, &path, json(req)).await?)
}

pub async fn claim(base: &str, code: &str, req: &ClaimRequest) -> Result<Tracking, FetchError> {
    let path = format!("/dossiers/{code}/claim");
    decode(&send_text("POST", base, &path, json(req)).await?)
}

pub async fn withdraw(
    base: &str,
    code: &str,
    req: &WithdrawRequest,
) -> Result<Tracking, FetchError> {
    let path = format!("/dossiers/{code}/withdraw");
    decode(&send_text("POST", base, &path, json(req)).await?)
}

pub async fn rate(base: &str, code: &str, req: &Rating) -> Result<Tracking, FetchError> {
    let path = format!("/dossiers/{code}/rating");
    decode(&send_text("POST", base, &path, json(req)).await?)
}

/// The signed-in citizen's dossiers, newest first.
pub async fn mine(base: &str) -> Result<Vec<DossierSummary>, FetchError> {
    super::get_json(base, "/dossiers").await
}

/// A volunteer's dossiers filed for residents.
pub async fn assisted(base: &str) -> Result<Vec<AssistedDossier>, FetchError> {
    super::get_json(base, "/assisted").await
}

/// Text the tracking link to the resident's phone.
pub async fn send_link(base: &str, code: &str) -> Result<(), FetchError> {
    send_text("POST", base, &format!("/dossiers/{code}/send-link"), None).await?;
    Ok(())
}
