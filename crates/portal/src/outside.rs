//! The clients of systems outside the portal, made from `serve`'s flags:
//! the SMS gateway and Zalo, the national sync adapter, the province's
//! back office. Each refuses a setting that would not work, saying why.

use crate::ServeArgs;

/// The gateway's settings; secrets from the environment, never the command line.
pub(crate) fn sms_config(
    args: &ServeArgs,
    url: &str,
) -> anyhow::Result<portal::sms::GatewayConfig> {
    use portal::sms::{GatewayConfig, Provider};
    let provider = match args.sms_provider.as_str() {
        "generic" => Provider::Generic { body: args.sms_body.clone() },
        "esms" => Provider::Esms,
        other => anyhow::bail!("--sms-provider is `generic` or `esms`, not {other:?}"),
    };
    if !args.dev && !url.starts_with("https://") && !on_this_machine(url) {
        anyhow::bail!(
            "--sms-gateway must be an https:// address outside --dev, or a relay on this \
             machine (127.0.0.1, localhost); got {url:?}"
        );
    }
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let (token, secret) = (env("PORTAL_SMS_TOKEN"), env("PORTAL_SMS_SECRET"));
    if provider == Provider::Esms && (token.is_empty() || secret.is_empty()) {
        anyhow::bail!(
            "eSMS needs PORTAL_SMS_TOKEN (its ApiKey) and PORTAL_SMS_SECRET (its SecretKey)"
        );
    }
    let (timeout, retry) = (std::time::Duration::from_secs(10), std::time::Duration::from_secs(5));
    let unicode = args.sms_unicode;
    Ok(GatewayConfig {
        url: url.to_string(),
        provider,
        brand: args.sms_brand.clone(),
        token,
        secret,
        timeout,
        retry,
        unicode,
    })
}

/// A plain-HTTP address on this machine (a local SMS relay): nothing
/// travels over the network unencrypted.
fn on_this_machine(address: &str) -> bool {
    let Ok(u) = url::Url::parse(address) else { return false };
    u.scheme() == "http"
        && match u.host() {
            Some(url::Host::Domain(d)) => d == "localhost",
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

/// The back office's driver (`--backend`); none for `local`.
pub(crate) fn back_office(
    args: &ServeArgs,
) -> anyhow::Result<Option<std::sync::Arc<dyn portal::backend::BackOffice>>> {
    if args.backend == "local" {
        return Ok(None);
    }
    if args.national_sync_url.is_some() {
        anyhow::bail!(
            "--national-sync-url is for the local store only: under --backend {} the back office \
             reports to the national portal itself (two systems would send the same dossier)",
            args.backend
        );
    }
    let Some(url) = args.opencps_url.as_deref() else {
        anyhow::bail!(
            "--backend opencps needs --opencps-url (the site's REST API base, …/o/rest/v2)"
        );
    };
    if !args.dev && !url.starts_with("https://") && !on_this_machine(url) {
        anyhow::bail!(
            "--opencps-url must be an https:// address outside --dev, or a relay on this machine; \
             got {url:?}"
        );
    }
    let mut config = portal::backend::opencps::Config::from_env(url, &args.opencps_group_id)?;
    if let Some(p) = &args.opencps_services {
        let text = std::fs::read_to_string(p)
            .map_err(|e| anyhow::anyhow!("--opencps-services {}: {e}", p.display()))?;
        config.services = portal::backend::opencps::parse_services(&text)
            .map_err(|e| anyhow::anyhow!("--opencps-services {}: {e}", p.display()))?;
    }
    if let Some(p) = &args.opencps_status_map {
        let text = std::fs::read_to_string(p)
            .map_err(|e| anyhow::anyhow!("--opencps-status-map {}: {e}", p.display()))?;
        config.statuses = portal::backend::opencps::StatusMap::parse(&text)
            .map_err(|e| anyhow::anyhow!("--opencps-status-map {}: {e}", p.display()))?;
    }
    Ok(Some(std::sync::Arc::new(portal::backend::opencps::OpenCps::new(config)?)))
}

/// The national sync adapter's settings; its account from the environment.
pub(crate) fn national_config(
    args: &ServeArgs,
    url: &str,
) -> anyhow::Result<portal::national::Config> {
    if !args.dev && !url.starts_with("https://") && !on_this_machine(url) {
        anyhow::bail!(
            "--national-sync-url must be an https:// address outside --dev, or a relay on this \
             machine; got {url:?}"
        );
    }
    portal::national::Config::from_env(
        url,
        &args.national_sync_auth_path,
        &args.national_sync_path,
        &args.national_madonvi,
        args.national_sync_retry_secs,
    )
}

/// Zalo's notification service, when a template is given: like the SMS
/// gateway, with its token from the environment.
pub(crate) fn zalo_config(
    args: &ServeArgs,
    sms: &portal::sms::GatewayConfig,
) -> anyhow::Result<Option<portal::sms::GatewayConfig>> {
    let Some(template) = &args.zalo_template else { return Ok(None) };
    let token = std::env::var("PORTAL_ZALO_TOKEN").unwrap_or_default();
    if token.is_empty() {
        anyhow::bail!(
            "--zalo-template needs the Official Account's access token in PORTAL_ZALO_TOKEN"
        );
    }
    if !args.dev && !args.zalo_url.starts_with("https://") {
        anyhow::bail!(
            "--zalo-url must be an https:// address outside --dev (got {:?})",
            args.zalo_url
        );
    }
    let provider = portal::sms::Provider::Zns { template: template.clone() };
    Ok(Some(portal::sms::GatewayConfig {
        url: args.zalo_url.clone(),
        provider,
        token,
        unicode: true,
        ..sms.clone()
    }))
}

/// The national payment platform, when `--payment-url` is given (its secret
/// only from PORTAL_PAYMENT_SECRET), with its reconciliation running.
pub(crate) fn payment_platform(
    state: &portal::AppState,
    args: &crate::ServeArgs,
) -> anyhow::Result<Option<std::sync::Arc<portal::payment::Platform>>> {
    let Some(url) = &args.payment_url else { return Ok(None) };
    let secret = std::env::var("PORTAL_PAYMENT_SECRET").unwrap_or_default();
    let platform = std::sync::Arc::new(
        portal::payment::Platform::new(url, &args.payment_partner, &secret)
            .and_then(|p| p.with_receipt_series(&args.payment_receipt_series))
            .map_err(|e| anyhow::anyhow!("the payment platform is not set up right: {e}"))?,
    );
    portal::payment::reconcile_every(
        state.clone(),
        platform.clone(),
        std::time::Duration::from_secs(args.payment_reconcile_secs.max(1)),
    );
    tracing::info!(%url, "fees are paid online through the payment platform");
    Ok(Some(platform))
}
