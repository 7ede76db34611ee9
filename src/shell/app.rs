//! The application: its start and its layout and routes. The context the
//! pages read is `ctx.rs`.

use leptos::prelude::*;

use super::{error, home, not_found, procedure, procedures};
use crate::api;
use crate::config::Config;
use crate::ctx::{initial_lang, provide_ctx, refresh_me, use_ctx, use_texts, Ctx, ME_CHANGED};
use crate::router::{self, Page};

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/pwa.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerWorker)]
    fn register_worker();
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update();
    #[wasm_bindgen(js_name = keepForOffline)]
    fn keep_for_offline() -> bool;
}

/// How long after start the app waits before keeping what offline use
/// needs (the page is drawn and quiet by then).
const KEEP_AFTER_MS: i32 = 10_000;

/// At most once a day, at idle, unless the person saves data: the bundles
/// offline use needs (the worker keeps them) and the whole list with
/// search's dictionary (kept on the device as search keeps them), so search,
/// lookup and tracking work offline after one ordinary visit.
fn keep_for_offline_later(ctx: Ctx) {
    leptos::task::spawn_local(async move {
        crate::timing::sleep(KEEP_AFTER_MS).await;
        let today = (js_sys::Date::now() / 86_400_000.0) as u64;
        let kept = crate::offline::load(crate::storage::KEPT_ON).and_then(|d| d.parse().ok());
        if kept == Some(today) || !keep_for_offline() {
            return;
        }
        let base = ctx.api_base();
        use crate::storage::{ABOUT, CATALOG, SYNONYMS};
        for (path, key) in
            [("/procedures", CATALOG), ("/search/synonyms", SYNONYMS), ("/search/about", ABOUT)]
        {
            match api::get_text(&base, path).await {
                Ok(text) => crate::offline::save(key, &text),
                Err(_) => return,
            }
        }
        crate::offline::save(crate::storage::KEPT_ON, &today.to_string());
    });
}

#[component]
pub fn App(config: Config) -> impl IntoView {
    let ctx = provide_ctx(config, initial_lang(), true);
    let _ = window_event_listener_untyped(ME_CHANGED, move |_| refresh_me(ctx));
    // Back to a page the browser kept whole (back/forward cache) after the
    // device forgot someone: show it afresh, never as it was.
    let wipes_seen = crate::storage::wipes();
    let _ = window_event_listener_untyped("pageshow", move |ev| {
        let kept = js_sys::Reflect::get(&ev, &"persisted".into()).is_ok_and(|p| p.is_truthy());
        if kept && crate::storage::wipes() != wipes_seen {
            let _ = window().location().reload();
        }
    });

    // Keep <html lang> and the stored choice in step with the switch.
    Effect::new(move |_| {
        let lang = ctx.lang.get();
        if let Some(html) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", lang.code());
        }
        if let Some(s) = crate::storage::local() {
            let _ = s.set_item(crate::storage::LANG, lang.code());
        }
    });

    router::provide_location();
    register_worker();
    keep_for_offline_later(ctx);
    // The layout is drawn one task later, so that the context's start (and
    // the requests it makes) and the header are two tasks on a slow phone,
    // not one long one. Until then the static shell of index.html stays; it
    // goes in the same task as the layout comes, so nothing blank is painted.
    let shown = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::timing::yield_now().await;
        remove_static_shell();
        shown.set(true);
    });
    move || shown.get().then(|| view! { <Layout/> })
}

/// The elements `index.html` put in `#app` (the live app has drawn none
/// there yet: only its marker).
fn remove_static_shell() {
    let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    while let Some(el) = root.first_element_child() {
        el.remove();
    }
}

/// The skip link moves focus itself, so that it works the same in every browser.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = main.focus();
    }
}

#[component]
fn Layout() -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts();
    let province = ctx.config.with_value(|c| c.province.clone());
    let hotline = ctx.config.with_value(|c| c.hotline.clone());
    let location = router::use_location();

    focus_on_route_change(location);

    let kiosk = ctx.config.with_value(kiosk_bar);
    // The page and the footer are drawn one task after the header: on a
    // cheap phone, one long task at start is two shorter ones (nothing
    // moves: the page appears below the header, the footer below it).
    let drawn = RwSignal::new(false);
    let opened = StoredValue::new(true);
    leptos::task::spawn_local(async move {
        crate::timing::yield_now().await;
        drawn.set(true);
    });
    // Just signed in with VNeID, which gives no phone: asked once (the
    // portal's cookie says so; read, then deleted).
    let ask_phone = RwSignal::new(asked_for_phone());
    // A new version is installed and waiting: say so, load it on request.
    let update = RwSignal::new(false);
    let _ = window_event_listener_untyped("motcua-update", move |_| update.set(true));
    let switch = move |_| ctx.lang.update(|l| *l = l.other());
    let sign_out = move |_| {
        // A shared device: nothing of this person stays in the browser
        // (on a kiosk, not even what they looked at).
        let kiosk = ctx.config.with_value(|c| crate::kiosk::active(c.kiosk));
        let wipe = if kiosk { crate::storage::Wipe::Kiosk } else { crate::storage::Wipe::SignOut };
        crate::ctx::sign_out(ctx, wipe, move || location.navigate(&Page::Home.href()));
    };
    // The path's page, and the page this app draws: a new path renders a
    // new page, a new query does not, and moving between pages of the
    // services bundle keeps it mounted (it follows the path itself).
    let exact = Memo::new(move |_| router::page_for(&location.path.get()));
    let lookup_only =
        ctx.config.with_value(|c| c.kiosk_lookup_only && crate::kiosk::active(c.kiosk));
    let page = Memo::new(move |_| {
        let p = exact.get();
        if lookup_only && p.needs_account() {
            Page::LookupOnly
        } else if let Some(b) = p.bundle() {
            Page::Services(b)
        } else {
            p
        }
    });
    // A nav link is the current page's (a procedure belongs to the list).
    let current = move |p: Page| {
        let now = match exact.get() {
            Page::Procedure(_) => Page::Procedures,
            Page::Register(_) | Page::Reset(_) => Page::SignIn,
            Page::Status(_) | Page::Scan => Page::Track,
            Page::Assisted => Page::Account,
            other => other,
        };
        (now == p).then_some("page")
    };

    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>{move || t.get().shell().skip_link}</a>
        <header class="site-header" inert=move || ctx.signing_out.get()>
            <div class="wrap header-row">
                <a href=Page::Home.href() class="brand">
                    <span class="brand-name">{move || t.get().shell().app_name}</span>
                    <span class="brand-province">{province}</span>
                </a>
                <button type="button" class="lang-switch" on:click=switch
                    lang=move || t.get().lang.other().code()
                    aria-label=move || t.get().shell().switch_to_aria>
                    {move || t.get().shell().switch_to}
                </button>
            </div>
            {primary_nav(ctx, t, current, lookup_only, sign_out)}
            {kiosk}
        </header>
        {banners(ctx, t, update, ask_phone)}
        <main id="main" class="wrap" tabindex="-1" inert=move || ctx.signing_out.get()>
            // Pages read their strings once; a language switch renders the page anew
            // (its state lives in the URL), which keeps per-string closures out of the wasm.
            {move || {
                ctx.lang.track();
                // Read here, not inside the boundary: component bodies are untracked.
                let page = page.get();
                if !drawn.get() {
                    return ().into_any();
                }
                // Focus the heading unless this is the page the citizen opened.
                let focus = !opened.get_value();
                opened.set_value(false);

                view! {
                    <ErrorBoundary fallback=|_errors| view! { <error::ErrorPage/> }>
                        {match page {
                            Page::Home => view! { <home::Home/> }.into_any(),
                            Page::Procedures => view! { <procedures::Procedures/> }.into_any(),
                            Page::Procedure(code) => view! { <procedure::ProcedureDetail code=code/> }.into_any(),
                            Page::NotFound => view! { <not_found::NotFound/> }.into_any(),
                            Page::LookupOnly => view! { <not_found::LookupOnly/> }.into_any(),
                            Page::Services(bundle) => {
                                view! { <crate::shell::host::ServicesHost bundle=bundle focus=focus/> }.into_any()
                            }
                            _ => view! { <not_found::NotFound/> }.into_any(),
                        }}
                    </ErrorBoundary>
                }
                .into_any()
            }}
        </main>
        {move || drawn.get().then(|| footer(ctx, t, hotline.clone()))}
        <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || ctx.announcement.get()}
        </div>
    }
}

/// Every route change after the first: focus moves to the new page's h1.
fn focus_on_route_change(location: router::Location) {
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let _ = location.path.get();
        if first.get_value() {
            first.set_value(false);
            return;
        }
        request_animation_frame(crate::components::page::focus_heading);
    });
}

/// On a kiosk: its bar ("Kết thúc phiên") and its idle countdown.
fn kiosk_bar(c: &Config) -> Option<impl IntoView> {
    crate::kiosk::active(c.kiosk).then(|| {
        let idle = c.kiosk_idle_seconds.unwrap_or(crate::kiosk::IDLE_SECONDS);
        let warning = c.kiosk_warning_seconds.unwrap_or(30);
        let unit = c.kiosk_unit.clone();
        view! { <crate::kiosk::Kiosk idle=idle warning=warning unit=unit/> }
    })
}

/// Just signed in with VNeID, which gives no phone: the portal's cookie
/// says to ask once (read, then deleted).
fn asked_for_phone() -> bool {
    let cookies = js_sys::Reflect::get(&document(), &"cookie".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_default();
    let asked = cookies.split(';').any(|c| c.trim() == "motcua_ask_phone=1");
    if asked {
        let _ = js_sys::Reflect::set(
            &document(),
            &"cookie".into(),
            &"motcua_ask_phone=; Path=/; Max-Age=0; SameSite=Strict".into(),
        );
    }
    asked
}

/// What is said above every page: signing out, a new version ready, the
/// phone to add after a VNeID sign-in, no network.
fn banners(
    ctx: Ctx,
    t: Signal<&'static crate::i18n::Texts>,
    update: RwSignal<bool>,
    ask_phone: RwSignal<bool>,
) -> impl IntoView {
    view! {
        {move || ctx.signing_out.get().then(|| view! {
            <div class="signing-out" role="alertdialog" aria-modal="true" aria-labelledby="signing-out">
                <p id="signing-out" tabindex="-1" autofocus>{move || t.get().shell().signing_out}</p>
            </div>
        })}
        {move || update.get().then(|| view! {
            <div class="update-banner" role="status">
                <p class="wrap">{move || t.get().shell().update_ready} " "
                    <button type="button" id="update-reload" class="button" on:click=|_| apply_update()>{move || t.get().shell().update_reload}</button>
                </p>
            </div>
        })}
        {move || (ask_phone.get() && ctx.me.with(|m| m.as_ref().is_some_and(|m| m.phone.is_empty()))).then(|| view! {
            <div class="ask-phone" role="status" id="ask-phone">
                <p class="wrap">{move || t.get().shell().ask_phone} " "
                    <a href="/tai-khoan?them-so=1" on:click=move |_| ask_phone.set(false)>{move || t.get().shell().ask_phone_add}</a> " "
                    <button type="button" class="nav-button" id="ask-phone-later" on:click=move |_| ask_phone.set(false)>{move || t.get().shell().ask_phone_later}</button>
                </p>
            </div>
        })}
        {move || ctx.offline.get().then(|| view! {
            <div class="offline-banner" role="status">
                <p class="wrap">{move || t.get().offline_notice}</p>
            </div>
        })}
    }
}

/// The footer: who runs the portal, the hotline, the statistics.
fn footer(ctx: Ctx, t: Signal<&'static crate::i18n::Texts>, hotline: String) -> impl IntoView {
    view! {
        <footer class="site-footer" inert=move || ctx.signing_out.get()>
            <div class="wrap">
                <p>{move || t.get().shell().footer}</p>
                <p>{move || t.get().shell().footer_help} " " <a href=format!("tel:{}", hotline.replace(' ', ""))>{hotline.clone()}</a></p>
                <p><a href=Page::Stats.href()>{move || t.get().shell().nav_stats}</a></p>
            </div>
        </footer>
    }
}

/// The main menu: procedures, tracking, and one's dossiers and account (or
/// sign-in, except on a lookup-only kiosk). `current` marks the page's own.
fn primary_nav(
    ctx: Ctx,
    t: Signal<&'static crate::i18n::Texts>,
    current: impl Fn(Page) -> Option<&'static str> + Copy + Send + Sync + 'static,
    lookup_only: bool,
    sign_out: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <nav class="wrap primary-nav" aria-label=move || t.get().shell().nav_label>
            <ul>
                // On a phone the brand is the way home (CSS hides this item there).
                <li class="nav-home"><a href=Page::Home.href() aria-current=move || current(Page::Home)>{move || t.get().shell().nav_home}</a></li>
                <li><a href=Page::Procedures.href() aria-current=move || current(Page::Procedures)>
                    <span class="nav-full">{move || t.get().nav_procedures}</span>
                    <span class="nav-short">{move || t.get().shell().nav_procedures_short}</span>
                </a></li>
                <li><a href=Page::Track.href() aria-current=move || current(Page::Track)>
                    <span class="nav-full">{move || t.get().shell().nav_track}</span>
                    <span class="nav-short">{move || t.get().shell().nav_track_short}</span>
                </a></li>
                {move || if ctx.me.with(Option::is_some) {
                    view! {
                        <li><a href=Page::Mine.href() aria-current=move || current(Page::Mine)>{move || t.get().shell().nav_mine}</a></li>
                        // Who is signed in: the given name (the last word of a Vietnamese name).
                        <li><a href=Page::Account.href() aria-current=move || current(Page::Account)>
                            {move || t.get().shell().nav_account} " · "
                            {move || ctx.me.with(|m| m.as_ref().and_then(|m| m.full_name.split_whitespace().last().map(str::to_string)).unwrap_or_default())}
                        </a></li>
                        <li><button type="button" class="nav-button" on:click=sign_out>{move || t.get().shell().sign_out}</button></li>
                    }.into_any()
                } else if lookup_only {
                    ().into_any()
                } else {
                    view! {
                        <li><a href=Page::SignIn.href() aria-current=move || current(Page::SignIn)>{move || t.get().shell().nav_sign_in}</a></li>
                    }.into_any()
                }}
            </ul>
        </nav>
    }
}
