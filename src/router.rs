//! Client-side routing: which page a path shows, the current location as
//! signals, and in-app navigation through the History API.
//!
//! Why not `leptos_router`: the app has a handful of flat routes, and
//! leptos_router cost 34.5 KB of the first load's brotli wasm (191.3 KB with
//! it, 156.7 KB without, measured 2026-11-26), which the size budget
//! (perf/budget.toml) cannot spare. Matching and query parsing are plain
//! Rust, unit-tested natively; the browser part is below them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::account::Step;

/// What a path shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Procedures,
    Procedure(String),
    SignIn,
    /// A registration page.
    Register(Step),
    /// Password reset: the first page, or the code or password page.
    Reset(Option<Step>),
    Welcome,
    Account,
    /// The submission wizard for a procedure, at one of its pages.
    Submit(String, Option<crate::wizard::Page>),
    /// A dossier's receipt.
    Receipt(String),
    /// "Tra cứu hồ sơ": code + ID number (or a scanner's input).
    Track,
    /// A dossier's status and timeline (what the receipt's QR code opens).
    Status(String),
    /// Scan a receipt's QR code with the camera.
    Scan,
    /// "Hồ sơ của tôi": the signed-in citizen's dossiers.
    Mine,
    /// "Thống kê": public service statistics.
    Stats,
    /// A volunteer's dossiers filed for residents.
    Assisted,
    /// "Hồ sơ đang soạn": drafts on this device and on the server.
    Drafts,
    NotFound,
    /// On the phone: confirm signing a kiosk in (what the kiosk's QR code opens).
    PairKiosk(String),
    /// A page for signed-in citizens, asked for on a lookup-only kiosk.
    LookupOnly,
    /// "Đặt lịch hẹn": book a time at a desk (`?thu-tuc=`, `?noi=`, or
    /// `?doi=<code>` to move a booking).
    Book,
    /// A booking's ticket (what its QR code opens); on a kiosk, checking in.
    Ticket(String),
    /// "Lấy số thứ tự": the kiosk's check-in by code and walk-in numbers.
    Queue,
    /// Any page of a services bundle, as the main app sees it (see `services`).
    Services(Bundle),
}

/// The services bundles (see `services`): each is loaded the first time
/// one of its pages is shown, so a journey pays for its own pages only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// Sign-in, registration, password reset, the account, pairing a kiosk.
    Accounts,
    /// The submission wizard.
    Submit,
    /// The receipt (after submitting, or from a link), with its QR code.
    Receipt,
    /// Tracking (lookup, status, scan) and the reader of procedure pages.
    Track,
    /// A signed-in citizen's dossiers and drafts, and a volunteer's dossiers.
    Mine,
    /// Public statistics.
    Stats,
    /// Appointments: booking, the ticket, the kiosk's queue numbers.
    Booking,
}

impl Bundle {
    /// Every services bundle: the one list the build (`Cargo.toml`'s
    /// `[[bin]]`, `index.html`) and the loader (`js/services_loader.js`)
    /// are checked against (`boundaries::bundles_are_listed_once`).
    pub const ALL: [Bundle; 7] = [
        Bundle::Accounts,
        Bundle::Submit,
        Bundle::Receipt,
        Bundle::Track,
        Bundle::Mine,
        Bundle::Stats,
        Bundle::Booking,
    ];

    /// Its wasm-bindgen module's name (Trunk's output: `<name>.js`, `<name>_bg.wasm`).
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Accounts => "services_accounts",
            Bundle::Submit => "services_submit",
            Bundle::Receipt => "services_receipt",
            Bundle::Track => "services_track",
            Bundle::Stats => "services_stats",
            Bundle::Mine => "services_mine",
            Bundle::Booking => "services_booking",
        }
    }
}

impl Page {
    /// Pages of a signed-in citizen (and the ways to sign in): none of
    /// them on a lookup-only kiosk.
    pub fn needs_account(&self) -> bool {
        matches!(
            self,
            Page::SignIn
                | Page::Register(_)
                | Page::Reset(_)
                | Page::Welcome
                | Page::Account
                | Page::Submit(..)
                | Page::Mine
                | Page::Assisted
                | Page::Drafts
                | Page::PairKiosk(_)
                | Page::Book
        )
    }

    /// The services bundle that draws this page (loaded on demand), if
    /// the main app does not.
    pub fn bundle(&self) -> Option<Bundle> {
        Some(match self {
            Page::SignIn
            | Page::Register(_)
            | Page::Reset(_)
            | Page::Welcome
            | Page::Account
            | Page::PairKiosk(_) => Bundle::Accounts,
            Page::Submit(..) => Bundle::Submit,
            Page::Receipt(_) => Bundle::Receipt,
            Page::Track | Page::Status(_) | Page::Scan => Bundle::Track,
            Page::Mine | Page::Assisted | Page::Drafts => Bundle::Mine,
            Page::Book | Page::Ticket(_) | Page::Queue => Bundle::Booking,
            Page::Stats => Bundle::Stats,
            Page::Home
            | Page::Procedures
            | Page::Procedure(_)
            | Page::NotFound
            | Page::LookupOnly
            | Page::Services(_) => return None,
        })
    }

    /// Pages drawn by a services bundle, not the main app.
    pub fn is_services(&self) -> bool {
        self.bundle().is_some()
    }
}

impl Page {
    /// The page's path: the one place each route is written (`page_for`
    /// reads it back; a native test checks the round trip).
    pub fn href(&self) -> String {
        let fixed = match self {
            Page::Procedures => "/thu-tuc",
            Page::SignIn => "/dang-nhap",
            Page::Register(Step::CitizenId) => "/dang-ky",
            Page::Reset(None) => "/quen-mat-khau",
            Page::Welcome => "/chao-mung",
            Page::Account => "/tai-khoan",
            Page::Track => "/tra-cuu",
            Page::Scan => "/quet-ma",
            Page::Mine => "/ho-so-cua-toi",
            Page::Stats => "/thong-ke",
            Page::Assisted => "/ho-tro",
            Page::Drafts => "/ho-so-dang-soan",
            Page::Book => "/dat-lich",
            Page::Queue => "/lay-so",
            Page::Ticket(code) => return contract::appointments::ticket_path(code),
            Page::Procedure(code) => return format!("/thu-tuc/{}", percent_encode(code)),
            Page::Register(step) => return format!("/dang-ky/{}", step.slug()),
            Page::Reset(Some(step)) => return format!("/quen-mat-khau/{}", step.slug()),
            Page::Submit(code, None) => return format!("/nop-ho-so/{code}"),
            Page::Submit(code, Some(p)) => return format!("/nop-ho-so/{code}/{}", p.slug()),
            Page::Receipt(code) => return format!("/bien-nhan/{code}"),
            Page::Status(code) => return contract::tracking::status_link(code, ""),
            Page::PairKiosk(code) => return contract::account::pairing_path(code),
            Page::Home | Page::NotFound | Page::LookupOnly | Page::Services(_) => "/",
        };
        fixed.to_string()
    }

    /// The page's path with a query; pairs with an empty value are left out.
    pub fn with(&self, query: &[(&str, &str)]) -> String {
        with_query(self.href(), query)
    }
}

/// Where sign-in may return to: a path of this app, nothing else.
/// (The rule is the contract's, shared with the portal's VNeID return.)
pub fn safe_next(next: Option<&str>) -> String {
    match next.and_then(contract::account::safe_next) {
        Some(p) => p.to_string(),
        None => Page::Account.href(),
    }
}

/// Sign in, then come back to `next` (a path of this app); `expired` says
/// the session had ended.
pub fn sign_in_then(next: &str, expired: bool) -> String {
    Page::SignIn.with(&[("het-han", if expired { "1" } else { "" }), ("tiep", next)])
}

/// `path?k=v&…`, each value percent-encoded; empty values are left out.
pub fn with_query(path: String, query: &[(&str, &str)]) -> String {
    let mut url = path;
    let mut sep = '?';
    for (k, v) in query.iter().filter(|(_, v)| !v.is_empty()) {
        url.push(sep);
        url.push_str(k);
        url.push('=');
        url.push_str(&percent_encode(v));
        sep = '&';
    }
    url
}

/// Percent-encode a query value or path segment: the browser's
/// `encodeURIComponent` in the app (no code of ours in the first load),
/// the same rule natively (tests).
#[cfg(target_arch = "wasm32")]
pub fn percent_encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~' | b'!' | b'*' | b'(' | b')' | b'\'')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page for a URL path (without query); a trailing slash is ignored.
pub fn page_for(path: &str) -> Page {
    let path = path.strip_suffix('/').unwrap_or(path);
    match path {
        // A kiosk's home (opening it turns kiosk mode on: see `kiosk`).
        "" | "/kiosk" => Page::Home,
        "/thu-tuc" => Page::Procedures,
        "/dang-nhap" => Page::SignIn,
        "/dang-ky" => Page::Register(Step::CitizenId),
        "/quen-mat-khau" => Page::Reset(None),
        "/chao-mung" => Page::Welcome,
        "/tai-khoan" => Page::Account,
        "/ho-so-dang-soan" => Page::Drafts,
        "/tra-cuu" => Page::Track,
        "/quet-ma" => Page::Scan,
        "/ho-so-cua-toi" => Page::Mine,
        "/thong-ke" => Page::Stats,
        "/ho-tro" => Page::Assisted,
        "/dat-lich" => Page::Book,
        "/lay-so" => Page::Queue,
        _ => {
            if let Some(code) = path.strip_prefix("/thu-tuc/") {
                if !code.is_empty() && !code.contains('/') {
                    return Page::Procedure(percent_decode(code));
                }
            }
            if let Some(step) = path.strip_prefix("/dang-ky/").and_then(Step::from_slug) {
                return Page::Register(step);
            }
            if let Some(rest) = path.strip_prefix("/nop-ho-so/") {
                let (code, page) = match rest.split_once('/') {
                    Some((c, slug)) => match crate::wizard::Page::from_slug(slug) {
                        Some(p) => (c, Some(p)),
                        None => return Page::NotFound,
                    },
                    None => (rest, None),
                };
                if contract::catalog::is_procedure_code(code) {
                    return Page::Submit(code.to_string(), page);
                }
                return Page::NotFound;
            }
            if let Some(code) = path.strip_prefix("/ket-noi-kiosk/") {
                if contract::account::is_pairing_code(code) {
                    return Page::PairKiosk(code.to_string());
                }
            }
            if let Some(code) = path.strip_prefix("/bien-nhan/") {
                if contract::dossier::parse_dossier_code(code).is_some() {
                    return Page::Receipt(code.to_string());
                }
            }
            if let Some(code) = path.strip_prefix(contract::appointments::TICKET_PATH) {
                // Exactly a code as issued (the link's own spelling).
                if contract::appointments::parse_booking_text(code).as_deref() == Some(code) {
                    return Page::Ticket(code.to_string());
                }
            }
            if let Some(code) = path.strip_prefix(contract::tracking::STATUS_PATH) {
                if contract::dossier::parse_dossier_code(code).is_some() {
                    return Page::Status(code.to_string());
                }
            }
            match path.strip_prefix("/quen-mat-khau/").and_then(Step::from_slug) {
                Some(step @ (Step::Code | Step::Password)) => Page::Reset(Some(step)),
                _ => Page::NotFound,
            }
        }
    }
}

/// Decode `%XX` escapes (and `+` as a space in queries) to UTF-8 text.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=x%20y` (without `?`) as decoded pairs, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// The value of `key` in the query `q` ("" when absent).
pub fn param_in(q: &str, key: &str) -> String {
    parse_query(q).into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_default()
}

/// The current location: path and query (without `?`).
#[derive(Clone, Copy)]
pub struct Location {
    raw: RwSignal<(String, String)>,
    /// Run once just before the next in-app navigation (a page writing its
    /// pending state into the URL, so Back finds it there).
    before_leave: StoredValue<Option<Box<dyn Fn()>>, LocalStorage>,
    pub path: Memo<String>,
    pub query: Memo<String>,
}

fn read_location() -> (String, String) {
    let loc = window().location();
    let path = loc.pathname().unwrap_or_else(|_| "/".into());
    let search = loc.search().unwrap_or_default();
    (path, search.trim_start_matches('?').to_string())
}

pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// Start routing: follow Back/Forward and take over clicks on same-origin links.
pub fn provide_location() -> Location {
    let raw = RwSignal::new(read_location());
    let loc = Location {
        raw,
        before_leave: StoredValue::new_local(None),
        path: Memo::new(move |_| raw.with(|r| r.0.clone())),
        query: Memo::new(move |_| raw.with(|r| r.1.clone())),
    };
    provide_context(loc);
    // Removed with the owner: the services bundle mounts and unmounts.
    let pop = window_event_listener(leptos::ev::popstate, move |_| {
        raw.try_set(read_location());
    });
    let click = window_event_listener(leptos::ev::click, move |ev| {
        if let Some(url) = in_app_link(&ev) {
            ev.prevent_default();
            navigate_to(loc, &url);
        }
    });
    on_cleanup(move || {
        pop.remove();
        click.remove();
    });
    loc
}

impl Location {
    /// The value of `key` in the current query, read once ("" when absent).
    pub fn param(self, key: &str) -> String {
        self.query.with_untracked(|q| param_in(q, key))
    }

    /// The same, tracked: the caller reruns when the query changes.
    pub fn param_tracked(self, key: &str) -> String {
        self.query.with(|q| param_in(q, key))
    }

    /// Go to `url` (a path with an optional query) inside the app.
    pub fn navigate(self, url: &str) {
        navigate_to(self, url);
    }

    /// Show `url` in place of the current entry (no new history entry).
    pub fn replace(self, url: &str) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
        self.raw.set(read_location());
        if let Ok(ev) = web_sys::Event::new("popstate") {
            let _ = window().dispatch_event(&ev);
        }
    }

    /// Call `f` before the next in-app navigation (replacing any earlier hook).
    pub fn before_leave(self, f: impl Fn() + 'static) {
        self.before_leave.set_value(Some(Box::new(f)));
    }
}

fn navigate_to(loc: Location, url: &str) {
    if let Some(f) = loc.before_leave.try_update_value(Option::take).flatten() {
        f();
    }
    let w = window();
    if let Ok(history) = w.history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    loc.raw.try_set(read_location());
    // The other bundle's router (main app or services) follows along.
    if let Ok(ev) = web_sys::Event::new("popstate") {
        let _ = w.dispatch_event(&ev);
    }
    w.scroll_to_with_x_and_y(0.0, 0.0);
}

/// The path and query of a plain left click on a same-origin link to
/// another page of the app; `None` for everything the browser should handle
/// (new tab, download, other site, same-page anchor, `tel:`).
fn in_app_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let a = target.closest("a[href]").ok()??.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    // The API's pages (printable forms, templates) are the portal's, not the app's.
    if a.has_attribute("download")
        || a.pathname().starts_with("/api/")
        || !matches!(a.target().as_str(), "" | "_self")
        || a.get_attribute("href")?.starts_with('#')
        || a.origin() != window().location().origin().ok()?
    {
        return None;
    }
    Some(format!("{}{}", a.pathname(), a.search()))
}

#[cfg(test)]
mod tests;
