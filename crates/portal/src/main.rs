//! `portal` — the reference portal's command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use portal::{catalog, db::Db, AppState};

#[derive(Parser)]
#[command(name = "portal", about = "Một Cửa reference portal: API on SQLite + the web app")]
struct Cli {
    /// Directory holding the SQLite database file.
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PORTAL_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Directory of the built app (Trunk's output).
    #[arg(long, env = "PORTAL_DIST_DIR", default_value = "dist")]
    dist_dir: PathBuf,
    /// Development mode: one-time codes are logged and listed at /api/v1/dev/outbox instead of sent.
    #[arg(long, env = "PORTAL_DEV")]
    dev: bool,
    /// Mark the session cookie Secure: set when citizens reach the portal over HTTPS.
    #[arg(long, env = "PORTAL_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Enable the officer API with this bearer token (prefer the
    /// environment variable or --officer-token-file: a flag shows in `ps`).
    #[arg(long, env = "PORTAL_OFFICER_TOKEN", hide_env_values = true)]
    officer_token: Option<String>,
    /// A file holding the officer API's bearer token (its first line).
    #[arg(long, env = "PORTAL_OFFICER_TOKEN_FILE")]
    officer_token_file: Option<PathBuf>,
    /// Serve Prometheus metrics at /api/v1/metrics to this bearer token
    /// (at least 16 characters; prefer the environment variable). Without
    /// it the metrics are not served.
    #[arg(long, env = "PORTAL_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// The address citizens use, e.g. https://dichvucong.langson.gov.vn, for
    /// links sent by SMS (without it: the address the request came to).
    #[arg(long, env = "PORTAL_PUBLIC_URL")]
    public_url: Option<String>,
    /// The SMS gateway's URL (brand-name SMS). Its token and secret come
    /// from the environment only: PORTAL_SMS_TOKEN, PORTAL_SMS_SECRET.
    #[arg(long, env = "PORTAL_SMS_GATEWAY")]
    sms_gateway: Option<String>,
    /// The gateway's API shape: `generic` (JSON from --sms-body) or `esms` (eSMS.vn).
    #[arg(long, env = "PORTAL_SMS_PROVIDER", default_value = "generic")]
    sms_provider: String,
    /// The generic gateway's JSON body, with {phone}, {text}, {brand} (and {token}, {secret}).
    #[arg(long, env = "PORTAL_SMS_BODY", default_value = portal::sms::GENERIC_BODY)]
    sms_body: String,
    /// The registered brand name messages are sent under.
    #[arg(long, env = "PORTAL_SMS_BRAND", default_value = "MOTCUA")]
    sms_brand: String,
    /// The gateway takes Vietnamese with its marks (Unicode SMS: 70
    /// characters a part instead of 160). Without it texts are sent unmarked.
    #[arg(long, env = "PORTAL_SMS_UNICODE")]
    sms_unicode: bool,
    /// Send news of dossiers by Zalo (ZNS) with this approved template id,
    /// falling back to SMS; the OA's access token comes from the
    /// environment only: PORTAL_ZALO_TOKEN. The template's values are
    /// ma_ho_so, trang_thai, noi_dung and lien_ket.
    #[arg(long, env = "PORTAL_ZALO_TEMPLATE")]
    zalo_template: Option<String>,
    /// Zalo's template-message endpoint.
    #[arg(long, env = "PORTAL_ZALO_URL", default_value = portal::sms::ZNS_URL)]
    zalo_url: String,
    /// Take a snapshot of the database and files into this folder every
    /// --backup-every-hours, keeping the newest --backup-keep.
    #[arg(long, env = "PORTAL_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    #[arg(long, env = "PORTAL_BACKUP_EVERY_HOURS", default_value_t = 24)]
    backup_every_hours: u64,
    #[arg(long, env = "PORTAL_BACKUP_KEEP", default_value_t = 7)]
    backup_keep: usize,
    /// The reverse proxy in front of the portal: its `X-Forwarded-For` names
    /// the client (rate limits count real clients, not the proxy).
    #[arg(long, env = "PORTAL_TRUSTED_PROXY")]
    trusted_proxy: Option<std::net::IpAddr>,
    /// Connections open at once; more are closed at once. Set the reverse
    /// proxy's own limit below it.
    #[arg(long, env = "PORTAL_MAX_CONNECTIONS", default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a client has to send a request's headers (and the longest a
    /// kept-alive connection waits idle).
    #[arg(long, env = "PORTAL_HEADER_TIMEOUT_SECS", default_value_t = 30)]
    header_timeout_secs: u64,
    /// Seconds a client has to send a request's body, uploads apart (they
    /// have 300): JSON bodies are a few KB.
    #[arg(long, env = "PORTAL_BODY_TIMEOUT_SECS", default_value_t = 20)]
    body_timeout_secs: u64,
    /// Send Strict-Transport-Security (one year): set once HTTPS works for
    /// good, when the reverse proxy does not send it already.
    #[arg(long, env = "PORTAL_HSTS")]
    hsts: bool,
    /// Run without text messages (a lookup-only site: no registration, no reset).
    #[arg(long, env = "PORTAL_NO_SMS")]
    no_sms: bool,
    /// The national portal's dossier-sync adapter (its base URL): every
    /// dossier and change of status is sent there (DongBoHoSoMC,
    /// CapNhatTienDoHoSoMC). Its account comes from the environment only:
    /// PORTAL_NATIONAL_SYNC_USERNAME, PORTAL_NATIONAL_SYNC_PASSWORD,
    /// PORTAL_NATIONAL_SYNC_DSTCODE.
    #[arg(long, env = "PORTAL_NATIONAL_SYNC_URL")]
    national_sync_url: Option<String>,
    /// The adapter's login path.
    #[arg(long, env = "PORTAL_NATIONAL_SYNC_AUTH_PATH", default_value = "/auth")]
    national_sync_auth_path: String,
    /// The adapter's sync path.
    #[arg(long, env = "PORTAL_NATIONAL_SYNC_PATH", default_value = "/integration")]
    national_sync_path: String,
    /// The province's unit code at the national portal (`madonvi`).
    #[arg(long, env = "PORTAL_NATIONAL_MADONVI", default_value = "")]
    national_madonvi: String,
    /// Seconds before the first retry of a record not acknowledged (doubled
    /// each time, at most an hour).
    #[arg(long, env = "PORTAL_NATIONAL_SYNC_RETRY_SECS", default_value_t = 5)]
    national_sync_retry_secs: u64,
    /// Which back office keeps the dossiers: `local` (this portal's own
    /// store; officers use the officer API) or `opencps` (an OpenCPS site,
    /// REST API v2: --opencps-url, --opencps-group-id; its account from
    /// PORTAL_OPENCPS_USERNAME and PORTAL_OPENCPS_PASSWORD).
    #[arg(long, env = "PORTAL_BACKEND", default_value = "local", value_parser = ["local", "opencps"])]
    backend: String,
    /// The OpenCPS site's REST API base, e.g. https://dvc.example.gov.vn/o/rest/v2.
    #[arg(long, env = "PORTAL_OPENCPS_URL")]
    opencps_url: Option<String>,
    /// The OpenCPS site's `groupId`.
    #[arg(long, env = "PORTAL_OPENCPS_GROUP_ID", default_value = "")]
    opencps_group_id: String,
    /// Our procedure codes in OpenCPS's terms (TSV: procedure, serviceCode,
    /// dossierTemplateNo); a procedure not listed keeps its national code.
    #[arg(long, env = "PORTAL_OPENCPS_SERVICES")]
    opencps_services: Option<PathBuf>,
    /// The site's status table (TSV: dossierStatus, dossierSubStatus or *,
    /// national code 1-10), replacing data/opencps-status.tsv.
    #[arg(long, env = "PORTAL_OPENCPS_STATUS_MAP")]
    opencps_status_map: Option<PathBuf>,
    /// Seconds before a dossier not handed over is tried again (doubled
    /// each time, at most 15 minutes).
    #[arg(long, env = "PORTAL_BACKEND_RETRY_SECS", default_value_t = 5)]
    backend_retry_secs: u64,
    /// How often each open dossier's status is read from the back office.
    #[arg(long, env = "PORTAL_BACKEND_POLL_SECS", default_value_t = 60)]
    backend_poll_secs: u64,
    /// The national payment platform's base URL (INIT at `/init`, QUERY at
    /// `/query`); without it fees are paid at the desk. Its secret comes
    /// only from PORTAL_PAYMENT_SECRET.
    #[arg(long, env = "PORTAL_PAYMENT_URL")]
    payment_url: Option<String>,
    /// The province's partner code at the platform (MaDoiTac).
    #[arg(long, env = "PORTAL_PAYMENT_PARTNER", default_value = "")]
    payment_partner: String,
    /// How often payments whose callback never came are asked about.
    #[arg(long, env = "PORTAL_PAYMENT_RECONCILE_SECS", default_value_t = 60)]
    payment_reconcile_secs: u64,
    /// The e-receipts' series prefix (ký hiệu, as the province registered
    /// it); the year's two digits follow it ("MC26").
    #[arg(long, env = "PORTAL_PAYMENT_RECEIPT_SERIES", default_value = "MC")]
    payment_receipt_series: String,
    /// Each desk's calendar for appointments (TOML: `[default]`, then
    /// `[desk."<unit code>"]`; see DEPLOY.md). Without it every desk opens
    /// 07:30–11:30 and 13:30–17:00 on working days, 3 places a half hour.
    #[arg(long, env = "PORTAL_DESKS")]
    desks: Option<PathBuf>,
    /// The networks the offices' kiosks are in, comma-separated CIDR
    /// (`10.20.0.0/16,192.168.5.0/24`): queue numbers are issued only to
    /// them. Unset: from anywhere (a number taken from home is then possible).
    #[arg(long, env = "PORTAL_QUEUE_NETWORKS")]
    queue_networks: Option<String>,
    /// VNeID (OpenID Connect) issuer URL, discovered at
    /// `<issuer>/.well-known/openid-configuration`. Register
    /// `<public URL>/api/v1/vneid/callback` as the redirect URI.
    #[arg(long, env = "PORTAL_VNEID_ISSUER")]
    vneid_issuer: Option<String>,
    /// The client id the identity provider gave this portal.
    #[arg(long, env = "PORTAL_VNEID_CLIENT_ID")]
    vneid_client_id: Option<String>,
    /// The client secret (prefer the environment variable to the flag).
    #[arg(long, env = "PORTAL_VNEID_CLIENT_SECRET", hide_env_values = true)]
    vneid_client_secret: Option<String>,
}

#[derive(Subcommand)]
enum BackendAction {
    /// The conformance run (see `portal backend --help`).
    Check {
        /// The driver to check.
        #[arg(long, value_parser = ["opencps"])]
        driver: String,
        /// The REST API base, e.g. https://sandbox.example.gov.vn/o/rest/v2.
        #[arg(long)]
        url: String,
        /// The site's `groupId` (unless given: the stand-in's).
        #[arg(long, env = "PORTAL_OPENCPS_GROUP_ID", default_value = "35417")]
        group_id: String,
        /// A procedure the site has set up (its serviceCode and dossierTemplateNo).
        #[arg(long, default_value = "1.001193")]
        procedure: String,
        /// A receiving unit that takes it there (govAgencyCode).
        #[arg(long, default_value = "000.05.37.H37")]
        unit: String,
        /// The site's status table, if not the shipped one.
        #[arg(long)]
        status_map: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (the default).
    Serve(Box<ServeArgs>),
    /// Load procedures from a JSONL file in the national catalog's format.
    ImportCatalog { path: PathBuf },
    /// Add a year of realistic demo dossiers (for the statistics page); never run implicitly.
    SeedDemo {
        /// How many dossiers to add.
        #[arg(long, default_value_t = 500)]
        dossiers: u32,
        /// Seed of the generator (the same seed gives the same history).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Snapshot the database and the files into a new folder, while serving.
    Backup { dir: PathBuf },
    /// Put a backup back into the data folder (the portal stopped).
    Restore {
        dir: PathBuf,
        /// Replace the data folder's database.
        #[arg(long)]
        overwrite: bool,
    },
    /// Try the national portal's sync adapter (its sandbox) as the portal
    /// would use it: log in, send a test dossier and one progress record;
    /// prints what passed and exits non-zero if anything did not. The
    /// account comes from the environment (PORTAL_NATIONAL_SYNC_USERNAME,
    /// PORTAL_NATIONAL_SYNC_PASSWORD, PORTAL_NATIONAL_SYNC_DSTCODE).
    NationalCheck {
        /// The adapter's base URL.
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "/auth")]
        auth_path: String,
        #[arg(long, default_value = "/integration")]
        sync_path: String,
        /// The province's unit code at the national portal.
        #[arg(long, default_value = "")]
        madonvi: String,
    },
    /// Try a province's back office (its sandbox) as the portal will use
    /// it: sign in, create a test dossier with our code, upload a file,
    /// submit, read and map its status; prints a table and exits non-zero
    /// unless every step passed. The account comes from the environment
    /// (PORTAL_OPENCPS_USERNAME, PORTAL_OPENCPS_PASSWORD).
    Backend {
        #[command(subcommand)]
        action: BackendAction,
    },
    /// Try the national payment platform's sandbox as the portal will use it
    /// (payment_check.rs); the secret from PORTAL_PAYMENT_SECRET.
    PaymentCheck {
        /// The platform's base URL (INIT at /init, QUERY at /query).
        #[arg(long)]
        url: String,
        /// The province's partner code (MaDoiTac).
        #[arg(long, env = "PORTAL_PAYMENT_PARTNER")]
        partner: String,
    },
    /// Check one PDF and print `ok` or why not (the portal runs this as a
    /// child process for each uploaded PDF; see filecheck.rs).
    #[command(hide = true)]
    CheckPdf { path: PathBuf },
    /// The desk's day: the queue, calling the next number, served or absent.
    Desk {
        #[command(subcommand)]
        action: portal::desk_cli::DeskAction,
    },
    /// Officers' actions on dossiers (for demos and tests).
    Officer {
        #[command(subcommand)]
        action: portal::officer_cli::OfficerAction,
    },
}

mod outside;
mod production;

use production::{check_production, long_enough, officer_token};

use outside::{back_office, national_config, sms_config, zalo_config};

fn main() -> anyhow::Result<()> {
    // What the portal writes (database, files, backups) is its own: no
    // other account on the machine reads it, however it was started.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::CheckPdf { path }) => portal::filecheck::child_main(path),
        Some(Command::PaymentCheck { url, partner }) => {
            return portal::payment_check::check_and_report(url, partner);
        }
        Some(Command::NationalCheck { url, auth_path, sync_path, madonvi }) => {
            let config = portal::national::Config::from_env(url, auth_path, sync_path, madonvi, 5)?;
            return portal::national::check_and_report(config);
        }
        Some(Command::Backend {
            action: BackendAction::Check { driver: _, url, group_id, procedure, unit, status_map },
        }) => {
            return portal::backend::check::opencps_and_report(
                url,
                group_id,
                procedure,
                unit,
                status_map.as_deref(),
            );
        }
        Some(Command::Backup { dir }) => {
            let done = portal::backup::backup(&cli.data_dir, dir)?;
            println!(
                "backup in {}: {} dossiers, {} files",
                dir.display(),
                done.dossiers,
                done.files
            );
            return Ok(());
        }
        Some(Command::Restore { dir, overwrite }) => {
            let done = portal::backup::restore(dir, &cli.data_dir, *overwrite)?;
            println!(
                "restored into {}: {} dossiers, {} files",
                cli.data_dir.display(),
                done.dossiers,
                done.files
            );
            return Ok(());
        }
        _ => {}
    }
    let db = Db::open(&cli.data_dir)?;
    keep_private(&cli.data_dir)?;
    db.with(catalog::seed)?;
    match cli.command {
        Some(Command::ImportCatalog { path }) => {
            let file = std::fs::File::open(&path)
                .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
            let report = db.with(|c| catalog::import_jsonl(c, std::io::BufReader::new(file)))?;
            println!(
                "imported {} procedures, skipped {} bad lines, kept {} of the province's own records",
                report.imported, report.skipped, report.kept_seed
            );
            Ok(())
        }
        Some(Command::Officer { action }) => portal::officer_cli::run(&db, &cli.data_dir, action),
        Some(Command::Desk { action }) => portal::desk_cli::run(&db, action),
        Some(Command::SeedDemo { dossiers, seed }) => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()
                as i64;
            let made = db.with(|c| portal::demo::seed(c, dossiers, seed, now))?;
            println!("{made} demo dossiers added");
            Ok(())
        }
        Some(
            Command::Backup { .. }
            | Command::Backend { .. }
            | Command::Restore { .. }
            | Command::CheckPdf { .. }
            | Command::PaymentCheck { .. }
            | Command::NationalCheck { .. },
        ) => unreachable!("handled above"),
        Some(Command::Serve(args)) => serve(db, *args, &cli.data_dir),
        None => serve(db, cli.serve, &cli.data_dir),
    }
}

/// The data folder is the portal's alone (0700), however it was made: it
/// holds citizens' files and the database.
fn keep_private(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| anyhow::anyhow!("cannot make {} private (0700): {e}", dir.display()))?;
    }
    Ok(())
}

/// The VNeID client, if configured; its redirect URI is the public URL's
/// callback (in `--dev` without one: the address the portal listens on).
fn vneid_client(args: &ServeArgs) -> anyhow::Result<Option<std::sync::Arc<portal::vneid::Vneid>>> {
    let (Some(issuer), Some(id), Some(secret)) =
        (&args.vneid_issuer, &args.vneid_client_id, &args.vneid_client_secret)
    else {
        return Ok(None);
    };
    let base = match &args.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => format!("http://{}", args.bind),
    };
    let redirect = format!("{base}{}", contract::account::VNEID_CALLBACK);
    tracing::info!(%issuer, %redirect, "signing in with VNeID");
    Ok(Some(std::sync::Arc::new(portal::vneid::Vneid::new(issuer, id, secret, &redirect)?)))
}

fn serve(db: Db, args: ServeArgs, data_dir: &std::path::Path) -> anyhow::Result<()> {
    check_production(&args)?;
    let driver = back_office(&args)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let mut state = AppState::new(db, args.dev, data_dir);
        state.secure_cookies = args.secure_cookies;
        state.officer_token = officer_token(&args)?.as_deref().map(Into::into);
        state.metrics_token =
            long_enough(args.metrics_token.clone(), "metrics token")?.as_deref().map(Into::into);
        state.public_url = args.public_url.as_deref().map(|u| u.trim_end_matches('/').into());
        state.vneid = vneid_client(&args)?;
        state.trusted_proxy = args.trusted_proxy;
        state.hsts = args.hsts;
        state.body_timeout = std::time::Duration::from_secs(args.body_timeout_secs.max(1));
        // Each uploaded PDF is parsed by a child process of this binary.
        state.pdf_parser = portal::filecheck::Parser::Child(std::env::current_exe()?);
        start_messages(&mut state, &args)?;
        if let Some(url) = &args.national_sync_url {
            let sync = portal::national::Sync::new(state.db.clone(), national_config(&args, url)?)?;
            let clock = state.clone();
            sync.start(move || clock.now());
            tracing::info!(%url, "national dossier sync on");
        }
        if let Some(root) = &args.backup_dir {
            std::fs::create_dir_all(root)?;
            portal::backup::schedule(
                data_dir.to_path_buf(),
                root.clone(),
                args.backup_every_hours,
                args.backup_keep,
            );
        }
        // How news is sent, for `portal officer transition` beside this process.
        let route = portal::notify::Route {
            origin: state.public_url.as_deref().map_or_else(
                || format!("http://{}", args.bind),
                |u| u.trim_end_matches('/').to_string(),
            ),
            channel: state.sms.news_route().map(|(c, s)| (c.to_string(), s.to_string())),
        };
        state.db.with(|c| portal::notify::remember(c, &route))?;
        // Hands dossiers over as long as the portal serves.
        let _forwarding = match driver {
            Some(driver) => {
                let forwarder = portal::backend::Forwarder::new(
                    state.db.clone(),
                    state.files_dir.to_path_buf(),
                    driver,
                    std::time::Duration::from_secs(args.backend_retry_secs.max(1)),
                    std::time::Duration::from_secs(args.backend_poll_secs.max(1)),
                )
                .with_pdf_parser(state.pdf_parser.clone());
                let clock = state.clone();
                let running = forwarder.start(move || clock.now(), route.clone());
                tracing::info!(backend = %args.backend, "dossiers are handed to the back office");
                state.back_office = Some(forwarder);
                Some(running)
            }
            None => None,
        };
        state.payment = outside::payment_platform(&state, &args)?;
        let units: Vec<String> =
            state.db.with(|c| portal::catalog::units(c))?.into_iter().map(|u| u.code).collect();
        let desks = portal::appointments::Desks::load(args.desks.as_deref(), &units)?;
        state.db.with(|c| desks.remember(c))?;
        state.desks = std::sync::Arc::new(desks);
        state.queue_networks = queue_networks(&args)?;
        portal::appointments::start(state.clone());
        portal::http::warm_up(state.clone());
        portal::clean_up_every_hour(state.clone());
        let app = portal::app(state, &args.dist_dir);
        let listener = tokio::net::TcpListener::bind(args.bind).await?;
        let addr = listener.local_addr()?;
        tracing::info!(%addr, dev = args.dev, dist = %args.dist_dir.display(), "listening");
        // A line the xtask waits for before it starts the browser.
        println!("portal listening on http://{addr}");
        let limits = portal::serve::Limits {
            max_connections: args.max_connections.max(1),
            header_timeout: std::time::Duration::from_secs(args.header_timeout_secs.max(1)),
        };
        portal::serve::run(listener, app, limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// The SMS gateway (and Zalo before it, SMS as its fallback), sending from
/// the outbox as long as the portal serves.
fn start_messages(state: &mut AppState, args: &ServeArgs) -> anyhow::Result<()> {
    let Some(url) = &args.sms_gateway else {
        if args.zalo_template.is_some() {
            anyhow::bail!(
                "--zalo-template needs an SMS gateway too (--sms-gateway): SMS is the fallback"
            );
        }
        return Ok(());
    };
    let config = sms_config(args, url)?;
    let zalo = zalo_config(args, &config)?;
    let gateway = portal::sms::Gateway::new(state.db.clone(), config)?;
    let clock = state.clone();
    gateway.start(move || clock.now());
    let zalo = match zalo {
        Some(z) => {
            let z = portal::sms::Gateway::new(state.db.clone(), z)?;
            z.fall_back_to(gateway.clone());
            let clock = state.clone();
            z.start(move || clock.now());
            Some(z)
        }
        None => None,
    };
    state.sms = portal::sms::Sms::Gateway(gateway, zalo);
    Ok(())
}

/// The offices' networks that may take queue numbers (`--queue-networks`).
fn queue_networks(
    args: &ServeArgs,
) -> anyhow::Result<Option<std::sync::Arc<Vec<portal::appointments::Network>>>> {
    Ok(match &args.queue_networks {
        Some(list) => Some(std::sync::Arc::new(portal::appointments::Network::parse_list(list)?)),
        None => {
            if !args.dev {
                tracing::warn!(
                    "--queue-networks is not set: queue numbers can be taken from anywhere"
                );
            }
            None
        }
    })
}
