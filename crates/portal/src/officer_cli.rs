//! `portal officer …`: officers' actions on the command line, on the same
//! SQLite file a serving portal uses (the same rules as the officer API).

use std::path::{Path, PathBuf};

use crate::db::Db;

#[derive(clap::Subcommand)]
pub enum OfficerAction {
    /// Move a dossier to another status (1–10), as the rules allow.
    Transition {
        code: String,
        #[arg(long)]
        to: u8,
        /// A note the citizen will see.
        #[arg(long, default_value = "")]
        note: String,
        /// At status 6: the amount to pay, in đồng.
        #[arg(long)]
        amount: Option<u64>,
        /// The address citizens use, for the link in the message the
        /// applicant is sent; without it, the serving portal's own (it
        /// records its address and channel in the database at start).
        #[arg(long, env = "PORTAL_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Let the holder of this citizen ID file for residents (a volunteer).
    GrantVolunteer { citizen_id: String },
    /// Print the status page's path with its token (what the receipt's QR
    /// code opens) of a dossier, or of the newest one: for a citizen who
    /// lost the receipt, once the desk has checked who they are.
    StatusLink { code: Option<String> },
    /// Print a dossier's filled electronic form: labelled JSON, or with
    /// `--html` the A4 page to print.
    Form {
        code: String,
        #[arg(long)]
        html: bool,
    },
    /// List a dossier's fee payments online (every attempt, oldest first):
    /// state, amount, times, transaction code, bank, e-receipt, and whether
    /// the back office was told.
    Payments {
        code: String,
        /// One JSON array instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Attach an electronic result (PDF, JPEG or PNG) to a dossier at status 9 or 10.
    AttachResult {
        code: String,
        file: PathBuf,
        /// Who signed it (the agency's digital signature), if anyone.
        #[arg(long, default_value = "")]
        signer: String,
    },
}

/// Carry out one officer action.
pub fn run(db: &Db, data_dir: &Path, action: OfficerAction) -> anyhow::Result<()> {
    match action {
        OfficerAction::Transition { code, to, note, amount, public_url } => {
            transition(db, &code, to, &note, amount, public_url)
        }
        OfficerAction::AttachResult { code, file, signer } => {
            attach_result(db, data_dir, &code, &file, &signer)
        }
        OfficerAction::StatusLink { code } => {
            match db.with(|c| crate::store::dossiers::link(c, code.as_deref()))? {
                Some((code, token)) => {
                    println!("{}", contract::tracking::status_link(&code, &token));
                    Ok(())
                }
                None => anyhow::bail!("no such dossier"),
            }
        }
        OfficerAction::Form { code, html } => {
            let out = db.with(|c| -> anyhow::Result<Option<String>> {
                let Some(d) = crate::store::dossiers::load(c, &code)? else {
                    anyhow::bail!("no dossier {code}");
                };
                Ok(if html {
                    crate::forms::printable(c, &d)?
                } else {
                    crate::forms::export(c, &d)?
                        .map(|e| serde_json::to_string_pretty(&e))
                        .transpose()?
                })
            })?;
            match out {
                Some(text) => {
                    println!("{text}");
                    Ok(())
                }
                None => anyhow::bail!("{code} was filed without an electronic form"),
            }
        }
        OfficerAction::Payments { code, json } => payments(db, &code, json),
        OfficerAction::GrantVolunteer { citizen_id } => {
            if db.with(|c| crate::store::accounts::grant_volunteer(c, &citizen_id))? {
                println!("{citizen_id}: volunteer");
                Ok(())
            } else {
                anyhow::bail!("no account has the citizen ID {citizen_id}")
            }
        }
    }
}

/// `portal officer attach-result`: the same checks as the officer API.
fn attach_result(
    db: &Db,
    data_dir: &std::path::Path,
    code: &str,
    file: &std::path::Path,
    signer: &str,
) -> anyhow::Result<()> {
    use crate::filecheck::{pdf_verdict_on_thread, picture_ok, sniff};
    use crate::http::files::MAX_FILE;
    let data =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    if data.is_empty() || data.len() > MAX_FILE {
        anyhow::bail!("{}: a result file has 1 byte to 10 MB", file.display());
    }
    let mime = sniff(&data).ok_or_else(|| anyhow::anyhow!("only PDF, JPEG or PNG results"))?;
    if mime == "application/pdf" {
        if let Err(why) = pdf_verdict_on_thread(data.clone()) {
            anyhow::bail!("{}: {}", file.display(), why.message());
        }
    } else if !picture_ok(&data) {
        anyhow::bail!("{}: {}", file.display(), crate::filecheck::Refused::Picture.message());
    }
    let Some(d) = db.with(|c| crate::store::dossiers::load(c, code))? else {
        anyhow::bail!("no dossier {code}");
    };
    use contract::status::DossierStatus::{Resolved, Returned};
    if !matches!(d.status, Resolved | Returned) {
        anyhow::bail!("{code} is at status {}: results are attached at 9 or 10", d.status as u8);
    }
    let sha = crate::secrets::sha256_hex(&data);
    let files = data_dir.join("files");
    std::fs::create_dir_all(&files)?;
    let tmp = files.join(format!(".{sha}.part"));
    std::fs::write(&tmp, &data)?;
    std::fs::rename(&tmp, files.join(&sha))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    let r = crate::store::results::NewResult {
        name: &name,
        size: data.len() as u64,
        sha256: &sha,
        mime,
        signer,
        remote_ref: None,
    };
    let made = db.with(|c| crate::store::results::add(c, d.id, code, &r, now))?;
    println!("{}: {} ({} bytes, SHA-256 {})", made.code, made.name, made.size, made.sha256);
    Ok(())
}

/// `portal officer transition`: move a dossier and tell the applicant as
/// the serving portal would.
fn transition(
    db: &Db,
    code: &str,
    to: u8,
    note: &str,
    amount: Option<u64>,
    public_url: Option<String>,
) -> anyhow::Result<()> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    // News goes as the serving portal sends it (its address, its
    // channel: Zalo or SMS), queued with the move in one transaction.
    // Before the portal ever served: SMS through its gateway.
    let before = crate::notify::Route {
        origin: String::new(),
        channel: Some(("sms".into(), "pending".into())),
    };
    let mut route = db.with(|c| crate::notify::remembered(c))?.unwrap_or(before);
    if let Some(url) = public_url {
        route.origin = url.trim_end_matches('/').to_string();
    }
    if route.origin.is_empty() {
        route.channel = None;
    }
    let m = crate::store::dossiers::Move { to, note, amount, by_citizen: false };
    let told = db.with(|c| {
        crate::notify::move_and_tell(c, code, m, (now, crate::notify::By::Officer), &route)
    })?;
    let (from, _) = match told.moved {
        Ok(moved) => moved,
        Err(e) => anyhow::bail!("{code}: not moved: {e:?}"),
    };
    println!("{code}: {from} -> {to}");
    if told.queued {
        println!("message queued for the applicant's phone");
    } else if crate::notify::NOTIFIED.contains(&to) {
        eprintln!(
            "no message queued for the applicant: the serving portal has not said how it \
             sends news (start it once), it has no gateway, texts are off, or a cap was reached"
        );
    }
    Ok(())
}

/// `portal officer payments`: a dossier's payments online.
fn payments(db: &Db, code: &str, json: bool) -> anyhow::Result<()> {
    let list = db.with(|c| -> anyhow::Result<_> {
        let Some(d) = crate::store::dossiers::load(c, code)? else {
            anyhow::bail!("no dossier {code}");
        };
        Ok(crate::store::payments::of_dossier(c, d.id)?)
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else if list.is_empty() {
        println!("{code}: no payment online");
    }
    for p in list.iter().filter(|_| !json) {
        let state = match p.state {
            contract::tracking::PaymentState::Paid => "paid",
            contract::tracking::PaymentState::Pending => "pending",
            contract::tracking::PaymentState::Failed => "failed",
        };
        println!(
            "{} {state} {} đ, begun {}{}{}{}{}{}",
            p.reference,
            contract::text::grouped(p.amount, '.'),
            p.created_at,
            if p.settled_at.is_empty() {
                String::new()
            } else {
                format!(", settled {}", p.settled_at)
            },
            if p.transaction.is_empty() {
                String::new()
            } else {
                format!(", transaction {} ({})", p.transaction, p.bank)
            },
            if p.receipt.is_empty() { String::new() } else { format!(", e-receipt {}", p.receipt) },
            if p.reason.is_empty() { String::new() } else { format!(", {}", p.reason) },
            if p.reported_at.is_empty() {
                String::new()
            } else {
                format!(", back office told {}", p.reported_at)
            },
        );
    }
    Ok(())
}
