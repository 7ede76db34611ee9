//! The services bundles: accounts; the wizard; the receipt; tracking; my
//! dossiers and drafts, and a volunteer's; statistics; appointments (`router::Bundle`). Each is a wasm
//! binary of its own (`src/bin/services_*.rs`, built by Trunk as
//! `services_<name>.js` + `services_<name>_bg.wasm`) that the main app loads
//! the first time one of its pages is shown, so the first load of `/`
//! carries none of them (see perf/budget.toml), and a citizen tracking a
//! dossier does not download the wizard.
//!
//! The main app draws the header, footer and a host element; the bundle
//! mounts its own Leptos app into the host with its own router, which
//! follows the same History API. Each side dispatches `popstate` after it
//! navigates, so the other follows (and, for a page of another bundle,
//! mounts that one instead); the bundle tells the main app when the
//! signed-in citizen changes (`ctx::ME_CHANGED`).

use leptos::prelude::*;

use crate::bundles::texts::wizard::wz;
use crate::config::Config;
use crate::ctx::{provide_ctx, ME_CHANGED};
use crate::i18n::Lang;
use crate::router::{self, Page};

pub mod accounts;
pub mod booking;
pub mod mine;
pub mod outbox;
pub mod pending;
pub mod photo;
pub mod receipt;
pub mod stats;
pub mod submit;
pub mod texts;
pub mod track;
pub mod uploader;

/// What a bundle draws for a page of the services (`()` for pages of
/// others: the main app is about to mount their bundle). The second
/// argument follows the path, for pages that follow it themselves.
pub type Draw = fn(Page, Memo<Page>) -> AnyView;

/// What keeps sending the submissions waiting for the network (`send_outbox`).
pub type Outbox = fn(crate::ctx::Ctx, Memo<Page>, router::Location);

/// In a services bundle: the root of its app, drawing its pages with `draw`.
#[component]
pub fn Services(
    api_base: String,
    lang: Lang,
    focus: bool,
    draw: Draw,
    /// `send_outbox` where the bundle sends waiting submissions.
    outbox: Option<Outbox>,
) -> impl IntoView {
    let config = Config { api_base, ..Config::default() };
    let ctx = provide_ctx(config, lang, false);
    let location = router::provide_location();
    // Tell the main app (header) whenever who is signed in changes.
    Effect::new(move |prev: Option<Option<String>>| {
        let who = ctx.me.with(|m| m.as_ref().map(|m| format!("{}{}", m.citizen_id, m.phone)));
        if prev.is_some_and(|p| p != who) {
            if let Ok(ev) = web_sys::CustomEvent::new(ME_CHANGED) {
                let _ = window().dispatch_event(&ev);
            }
        }
        who
    });
    let page = Memo::new(move |_| router::page_for(&location.path.get()));
    if let Some(send) = outbox {
        send(ctx, page, location);
    }
    // Moving between the wizard's pages keeps the wizard (and its uploads
    // in flight) alive: it follows its page itself.
    let shown = Memo::new(move |_| match page.get() {
        Page::Submit(code, _) => Page::Submit(code, None),
        other => other,
    });
    // Focus the heading when a page of the bundle replaces another.
    Effect::new(move |prev: Option<Page>| {
        let p = page.get();
        if prev.is_some() || focus {
            request_animation_frame(crate::components::page::focus_heading);
        }
        p
    });
    let t = ctx.lang.get_untracked().texts();
    view! {
        {move || (ctx.outbox.get() > 0).then(|| view! {
            <p class="notice" role="status" id="outbox-notice">{t.count(wz(t).w_outbox_waiting, ctx.outbox.get())}</p>
        })}
        {move || draw(shown.get(), page)}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || ctx.announcement.get()}
        </div>
    }
}

/// Submissions made offline go once the portal answers again (on start,
/// when the browser is back online, and every 20 s), while a bundle that
/// shows them is mounted (submission, tracking, my dossiers; not accounts
/// or statistics).
pub fn send_outbox(ctx: crate::ctx::Ctx, page: Memo<Page>, location: router::Location) {
    let flush = move || {
        let waiting = crate::bundles::outbox::count();
        if ctx.outbox.get_untracked() != waiting {
            ctx.outbox.set(waiting);
        }
        if waiting == 0 {
            return;
        }
        leptos::task::spawn_local(async move {
            let t = ctx.lang.get_untracked().texts();
            for sent in crate::bundles::outbox::flush(&ctx.api_base()).await {
                if let crate::bundles::outbox::Sent::Filed { procedure, receipt: r } = sent {
                    submit::forget(&procedure);
                    ctx.announcement.try_set(wz(t).w_outbox_sent.replace("{code}", &r.code));
                    // Still on that wizard: show its receipt.
                    if matches!(page.get_untracked(), Page::Submit(ref c, _) if *c == procedure) {
                        location.navigate(&Page::Receipt(r.code).with(&[("t", &r.token)]));
                    }
                }
            }
            let left = crate::bundles::outbox::count();
            if ctx.outbox.try_get_untracked() != Some(left) {
                ctx.outbox.try_set(left);
            }
        });
    };
    flush();
    let online = window_event_listener(leptos::ev::online, move |_| flush());
    let every = set_interval_with_handle(flush, std::time::Duration::from_secs(20)).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(h) = every {
            h.clear();
        }
    });
}

/// A services bundle's entry points, the same in each (`src/bin/services_*.rs`):
/// the main app calls `mount` when one of its pages is shown and `unmount`
/// when it leaves.
#[macro_export]
macro_rules! services_bundle {
    ($draw:path, $outbox:expr) => {
        thread_local! {
            static MOUNTED: std::cell::RefCell<Option<Box<dyn std::any::Any>>> =
                const { std::cell::RefCell::new(None) };
        }

        fn main() {
            std::panic::set_hook(Box::new(|info| {
                web_sys::console::error_1(&info.to_string().into());
            }));
        }

        /// Draw this bundle's app into `host` (replacing what is there).
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount(host: web_sys::HtmlElement, api_base: String, lang: String, focus: bool) {
            use leptos::prelude::*;
            unmount();
            host.set_inner_html("");
            let lang = motcua::i18n::Lang::from_code(&lang).unwrap_or_default();
            let handle = leptos::mount::mount_to(host, move || {
                view! { <motcua::bundles::Services api_base=api_base.clone() lang=lang focus=focus draw=$draw outbox=$outbox/> }
            });
            MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
        }

        /// Remove this bundle's app and dispose of its state.
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub fn unmount() {
            let old = MOUNTED.with(|m| m.borrow_mut().take());
            drop(old);
        }
    };
}
