//! The VNeID client: the OpenID Connect authorization code flow with PKCE,
//! state and nonce, through the `openidconnect` crate (discovery, JWKS, the
//! ID token's signature, issuer, audience, expiry and nonce). The provider's
//! discovery document and keys are kept for [`DISCOVERY_TTL`]: an anonymous
//! `start` must not make the portal call out each time. A token whose
//! signature the kept keys refuse is checked once more against keys
//! fetched afresh (a rotated key). HTTP lives in `http::vneid`.

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};

/// The claims the national identity provider adds to the ID token.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VneidClaims {
    /// The personal identification number (the 12 digits of the CCCD).
    #[serde(rename = "SoDinhDanh", default)]
    pub citizen_id: String,
    #[serde(rename = "HoVaTen", default)]
    pub full_name: String,
    /// `yyyymmdd`.
    #[serde(rename = "NgayThangNamSinh", default)]
    pub birth_date: String,
    /// The account's assurance level: 2 is an identity proven in person.
    #[serde(rename = "MucDoDinhDanh", default)]
    pub level: u8,
}

impl AdditionalClaims for VneidClaims {}

type VneidIdToken = IdToken<
    VneidClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A client as discovery makes it: authorization endpoint set, token and
/// user-info endpoints as the document says.
type Discovered = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A configured VNeID client (`--vneid-issuer`, `--vneid-client-id`,
/// `--vneid-client-secret`; the redirect URI is the portal's callback).
pub struct Vneid {
    issuer: IssuerUrl,
    client_id: ClientId,
    secret: ClientSecret,
    redirect: RedirectUrl,
    http: reqwest::Client,
    /// The provider as last discovered, and when.
    kept: std::sync::Mutex<Option<(std::time::Instant, Discovered)>>,
}

/// How long a discovery document and its keys are used before asking again.
pub const DISCOVERY_TTL: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// A sign-in to send the citizen off with: the provider's URL, and what the
/// callback will need (kept by the portal, never by the browser).
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// Why a step with the provider failed.
#[derive(Debug)]
pub enum Failed {
    /// Not reachable, or it answered with an error.
    Provider(String),
    /// What it sent did not check out.
    Token(String),
}

impl Vneid {
    pub fn new(
        issuer: &str,
        client_id: &str,
        secret: &str,
        redirect: &str,
    ) -> anyhow::Result<Vneid> {
        let http = reqwest::Client::builder()
            // Following redirects would let a provider point us anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        Ok(Vneid {
            issuer: IssuerUrl::new(issuer.trim_end_matches('/').to_string())?,
            client_id: ClientId::new(client_id.to_string()),
            secret: ClientSecret::new(secret.to_string()),
            redirect: RedirectUrl::new(redirect.to_string())?,
            http,
            kept: std::sync::Mutex::new(None),
        })
    }

    /// The client for the provider as its discovery document says today
    /// (kept for [`DISCOVERY_TTL`] unless `fresh`). A failed discovery is
    /// not kept: a provider that is down is said at once.
    async fn discover(&self, fresh: bool) -> Result<Discovered, Failed> {
        if !fresh {
            let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, client)) = kept.as_ref().filter(|(at, _)| at.elapsed() < DISCOVERY_TTL)
            {
                return Ok(client.clone());
            }
        }
        let meta = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| Failed::Provider(format!("discovery: {e}")))?;
        let (id, secret) = (self.client_id.clone(), Some(self.secret.clone()));
        let client = CoreClient::from_provider_metadata(meta, id, secret)
            .set_redirect_uri(self.redirect.clone());
        *self.kept.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((std::time::Instant::now(), client.clone()));
        Ok(client)
    }

    /// Discover the provider and build the authorization URL (PKCE S256,
    /// a fresh state and nonce, and a login asked for every time: on a
    /// shared phone or a kiosk the provider's own session must not carry
    /// the next person in).
    pub async fn start(&self) -> Result<Started, Failed> {
        let client = self.discover(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("vneid".into()))
            .add_prompt(CoreAuthPrompt::Login)
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        })
    }

    /// Exchange the code (with the PKCE verifier) and check the ID token
    /// against the provider's keys and the sign-in's nonce; its claims.
    pub async fn finish(
        &self,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<VneidClaims, Failed> {
        let client = self.discover(false).await?;
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| Failed::Provider(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => {
                    Failed::Token(format!("code refused: {r:?}"))
                }
                other => Failed::Provider(format!("token endpoint: {other}")),
            })?;
        let id_token = answer.id_token().ok_or_else(|| Failed::Token("no ID token".into()))?;
        // Read again with the national claims (the signature is what is checked).
        let raw = serde_json::to_value(id_token).map_err(|e| Failed::Token(e.to_string()))?;
        let token: VneidIdToken =
            serde_json::from_value(raw).map_err(|e| Failed::Token(e.to_string()))?;
        let nonce = Nonce::new(nonce.to_string());
        if let Ok(claims) = token.claims(&client.id_token_verifier(), &nonce) {
            return Ok(claims.additional_claims().clone());
        }
        // Refused by the keys kept: once more with the provider's keys of now.
        let client = self.discover(true).await?;
        let claims = token
            .claims(&client.id_token_verifier(), &nonce)
            .map_err(|e| Failed::Token(format!("ID token: {e}")))?;
        Ok(claims.additional_claims().clone())
    }
}
