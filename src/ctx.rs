//! The app's context: who is signed in, the language, the catalog, the
//! portal's address and the kiosk's state, provided once at the root and
//! read by every page (`use_ctx`, `use_texts`); signing in and out. Pages
//! import this, never the layout (`app.rs`), so that the app has no import
//! circles (checked by `boundaries::no_import_circles`).

use std::sync::Arc;

use contract::catalog::ProcedureSummary;
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::config::Config;
use crate::i18n::{Lang, Texts};
use crate::router;

/// The procedure summaries, loaded once.
pub struct Catalog {
    pub items: Vec<ProcedureSummary>,
    /// Every procedure, not only the most used; then search
    /// (`search::engine`) has indexed them.
    pub complete: bool,
}

/// The same load is the same catalog; comparing thousands of items would be waste.
impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

pub type CatalogResult = Result<Arc<Catalog>, FetchError>;

/// What every page can reach.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub config: StoredValue<Config>,
    pub lang: RwSignal<Lang>,
    /// The procedures: the most used until search wants all (`want_catalog`).
    pub catalog: LocalResource<CatalogResult>,
    /// 0: none (the page needs no list), 1: the most used (home page),
    /// 2: all (search).
    pub catalog_wanted: RwSignal<u8>,
    /// Text of the polite live region that announces page changes.
    pub announcement: RwSignal<String>,
    /// The last answer came from the device's copy because the network failed.
    pub offline: RwSignal<bool>,
    /// The signed-in citizen (`None`: nobody, or not known yet; see `me_known`).
    pub me: RwSignal<Option<contract::account::Me>>,
    /// Whether the portal has said who is signed in.
    pub me_known: RwSignal<bool>,
    /// Submissions waiting for the network (see `outbox`).
    pub outbox: RwSignal<usize>,
    /// A sign-out the portal has not confirmed yet: the screen is blocked.
    pub signing_out: RwSignal<bool>,
}

impl Ctx {
    /// The portal's API address. A task that outlives its app (a services
    /// bundle unmounted while a request was on its way) still gets one.
    pub fn api_base(&self) -> String {
        self.config
            .try_with_value(|c| c.api_base.clone())
            .unwrap_or_else(|| crate::config::Config::default().api_base)
    }

    /// Load the most used procedures (`1`) or all of them (`2`, for search:
    /// at national scale the largest answer). Other pages load neither.
    pub fn want_catalog(&self, level: u8) {
        if self.catalog_wanted.get_untracked() < level {
            self.catalog_wanted.set(level);
        }
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The current language's strings, as a reactive value.
pub fn use_texts() -> Signal<&'static Texts> {
    let lang = use_ctx().lang;
    Signal::derive(move || lang.get().texts())
}

pub fn initial_lang() -> Lang {
    crate::storage::local()
        .and_then(|s| s.get_item(crate::storage::LANG).ok().flatten())
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default()
}

/// Build and provide the context. The main app loads the procedure list
/// when search first wants it; the services bundle (`with_catalog` false)
/// never does.
pub fn provide_ctx(config: Config, lang: Lang, with_catalog: bool) -> Ctx {
    let api_base = config.api_base.clone();
    let offline = RwSignal::new(false);
    let catalog_wanted = RwSignal::new(0);
    let catalog = LocalResource::new(move || {
        let base = api_base.clone();
        let wanted = catalog_wanted.get();
        async move {
            if !with_catalog {
                return Err(FetchError::Network);
            }
            let complete = wanted > 1;
            if wanted == 0 {
                // No page wants a list yet: nothing, which is not an error
                // (the list page shows "loading" until the whole list is here).
                return Ok(Arc::new(Catalog { items: Vec::new(), complete }));
            }
            // The most used only, for the home page, until search wants
            // them all (the largest answer at national scale) with the
            // dictionary of citizens' words.
            let (path, key) = if complete {
                ("/procedures", crate::storage::CATALOG)
            } else {
                ("/procedures/popular", crate::storage::POPULAR)
            };
            let fetched = api::catalog::summaries(&base, path, key).await?;
            offline.set(fetched.offline);
            let (items, text) = fetched.data;
            if complete {
                use crate::storage::{ABOUT, SYNONYMS};
                // Search can only load from the network or the worker's
                // cache: without it, the list cannot be searched.
                // Its wasm loads while its data is fetched.
                let ready = crate::search::engine::prepare();
                let words = api::catalog::search_text(&base, "/search/synonyms", SYNONYMS).await;
                let about = api::catalog::search_text(&base, "/search/about", ABOUT).await;
                if !ready.await || !crate::search::engine::load(&text, &words, &about) {
                    return Err(FetchError::Network);
                }
            }
            Ok(Arc::new(Catalog { items, complete }))
        }
    });
    let ctx = Ctx {
        config: StoredValue::new(config),
        lang: RwSignal::new(lang),
        catalog,
        catalog_wanted,
        announcement: RwSignal::new(String::new()),
        offline,
        me: RwSignal::new(None),
        me_known: RwSignal::new(false),
        outbox: RwSignal::new(0),
        signing_out: RwSignal::new(false),
    };
    provide_context(ctx);
    refresh_me(ctx);
    ctx
}

/// Ask the portal who is signed in (the session cookie is HttpOnly: only
/// the portal knows).
pub fn refresh_me(ctx: Ctx) {
    leptos::task::spawn_local(async move {
        // Offline, who is signed in stays unknown (pages that need an
        // account then wait rather than send the person to sign in).
        match api::account::me_kept(&ctx.api_base()).await {
            Ok((me, text)) => {
                if let Some(s) = crate::storage::local() {
                    let _ = match me {
                        Some(_) => s.set_item(crate::storage::ME, &text),
                        None => s.remove_item(crate::storage::ME),
                    };
                }
                ctx.me.try_set(me);
                ctx.me_known.try_set(true);
            }
            // Offline: who was signed in here last (kept until sign-out),
            // for the header and "Hồ sơ của tôi"; still not known for sure.
            Err(FetchError::Network)
                if ctx.me.try_with_untracked(Option::is_none) == Some(true) =>
            {
                let kept = crate::offline::load(crate::storage::ME)
                    .and_then(|text| api::account::me_of(&text).ok().flatten());
                if kept.is_some() {
                    ctx.me.try_set(kept);
                }
            }
            Err(_) => {}
        }
    });
}

/// A page that needs an account: once the portal has said nobody is signed
/// in, go to sign-in, coming back to `here()` afterwards.
pub fn require_account(here: impl Fn() -> String + 'static) {
    let ctx = use_ctx();
    let location = router::use_location();
    Effect::new(move |_| {
        if ctx.me_known.get() && ctx.me.with(Option::is_none) {
            location.replace(&router::sign_in_then(&here(), false));
        }
    });
}

/// Sign out, fail-closed: the device forgets the person at once (`wipe`),
/// but is declared clean, and `then` runs, only once the portal confirms
/// the session is gone. Until then the screen is blocked with a plain
/// message, the page beneath is inert, and the request is tried again
/// every 3 s.
pub fn sign_out(ctx: Ctx, wipe: crate::storage::Wipe, then: impl FnOnce() + 'static) {
    crate::storage::wipe(wipe);
    leptos::task::spawn_local(async move {
        loop {
            match api::account::sign_out(&ctx.api_base()).await {
                // Confirmed: the portal's 204, or its 401 (no session to
                // end). Any other answer (a proxy's 429 or 403, a 5xx, a
                // page that is not the portal's) proves nothing.
                Ok(()) | Err(api::FetchError::Api { status: 401, .. }) => break,
                Err(_) => {
                    ctx.signing_out.try_set(true);
                    crate::timing::sleep(3000).await;
                }
            }
        }
        ctx.signing_out.try_set(false);
        ctx.me.try_set(None);
        then();
    });
}

/// Told by the services bundle when someone signs in or changes details.
pub const ME_CHANGED: &str = "motcua-me";
