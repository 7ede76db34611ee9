//! Refusing to serve citizens with an unsafe setup: what `serve` checks
//! outside `--dev`, and says.

use crate::ServeArgs;

/// Outside `--dev` the portal serves citizens: refuse to start with a
/// setting missing that would make it unsafe, and say which and why.
pub(crate) fn check_production(args: &ServeArgs) -> anyhow::Result<()> {
    check_vneid(args)?;
    if args.dev {
        return Ok(());
    }
    // Every missing setting at once, each with why it matters.
    let mut missing = Vec::new();
    match args.public_url.as_deref() {
        None => missing.push(
            "--public-url (or PORTAL_PUBLIC_URL) is required outside --dev: the address citizens use, \
             e.g. --public-url https://dichvucong.langson.gov.vn. Text messages carry links to it; \
             without it they would point wherever a request's Host header said."
                .to_string(),
        ),
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => missing.push(format!(
            "--public-url must start with https:// (or http:// on a closed network); got {u:?}"
        )),
        Some(_) => {}
    }
    if args.public_url.as_deref().is_some_and(|u| u.starts_with("https://")) && !args.secure_cookies
    {
        missing.push(
            "--secure-cookies (or PORTAL_SECURE_COOKIES=true) is required when citizens reach the \
             portal over HTTPS: without it the session cookie could also travel over plain HTTP."
                .to_string(),
        );
    }
    if args.officer_token.is_some() && args.officer_token_file.is_some() {
        missing.push("give the officer token once: --officer-token or --officer-token-file".into());
    }
    if args.sms_gateway.is_none() && !args.no_sms {
        missing.push(
            "an SMS gateway is required outside --dev: --sms-gateway https://… (or PORTAL_SMS_GATEWAY), \
             with PORTAL_SMS_TOKEN (and PORTAL_SMS_SECRET) in the environment. Registration codes, \
             password resets and status texts go through it. For a lookup-only site, say --no-sms."
                .to_string(),
        );
    }
    if missing.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("the portal cannot serve citizens yet:\n- {}", missing.join("\n- "))
    }
}

/// The shortest officer or metrics token taken, from any source.
const MIN_TOKEN: usize = 16;

/// A bearer token is long enough to be no guess, whatever its source.
pub(crate) fn long_enough(token: Option<String>, what: &str) -> anyhow::Result<Option<String>> {
    match token {
        Some(t) if t.chars().count() < MIN_TOKEN => anyhow::bail!(
            "the {what} must be at least {MIN_TOKEN} characters (it is {}): make one with \
             `openssl rand -hex 24`",
            t.chars().count()
        ),
        other => Ok(other),
    }
}

/// The officer token: from the flag or environment, or the file's first line.
pub(crate) fn officer_token(args: &ServeArgs) -> anyhow::Result<Option<String>> {
    let Some(path) = &args.officer_token_file else {
        return long_enough(args.officer_token.clone(), "officer token (--officer-token)");
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --officer-token-file {}: {e}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    long_enough(Some(token), &format!("officer token in {}", path.display()))
}

/// VNeID is set up whole or not at all; outside `--dev` only over HTTPS.
fn check_vneid(args: &ServeArgs) -> anyhow::Result<()> {
    let given = [
        ("--vneid-issuer (PORTAL_VNEID_ISSUER)", &args.vneid_issuer),
        ("--vneid-client-id (PORTAL_VNEID_CLIENT_ID)", &args.vneid_client_id),
        ("--vneid-client-secret (PORTAL_VNEID_CLIENT_SECRET)", &args.vneid_client_secret),
    ];
    let missing: Vec<&str> = given.iter().filter(|(_, v)| v.is_none()).map(|(n, _)| *n).collect();
    if missing.len() == given.len() {
        return Ok(());
    }
    if !missing.is_empty() {
        anyhow::bail!(
            "signing in with VNeID needs all three settings; missing: {}. Give them all \
             (as registered with the identity provider), or none to run without VNeID.",
            missing.join(", ")
        );
    }
    let issuer = args.vneid_issuer.as_deref().unwrap_or_default();
    if !args.dev && !issuer.starts_with("https://") {
        anyhow::bail!(
            "--vneid-issuer must be an https:// address outside --dev (got {issuer:?}): \
             the provider's keys and the citizens' tokens travel over it."
        );
    }
    Ok(())
}
