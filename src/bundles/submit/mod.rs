//! The submission wizard: one question per page, from "who" to "check your
//! answers", then submit once and show the receipt. Every change is kept on
//! the device at once and on the server shortly after (see `wizard::Draft`).

use crate::bundles::texts::account::ac;
use contract::catalog::{Procedure, Unit, UnitKind};
use leptos::prelude::*;

use crate::api;
use crate::bundles::accounts::register::today;
use crate::bundles::uploader::{random_id, Documents};
use crate::components::form::{
    error_for, show, show_api, text_of, Busy, ErrorSummary, Field, Problems, SubmitButton,
};
use crate::components::page::PageHeading;
use crate::ctx::{use_ctx, use_texts};
use crate::router::{sign_in_then, use_location, Page as Route};
use crate::wizard::{form_problems, next, position, previous, problems, Draft, Page};

pub(super) fn storage_key(code: &str) -> String {
    format!("{}{code}", crate::storage::WIZARD)
}

use crate::storage::local as storage;

pub(super) fn load(code: &str) -> Draft {
    let mut d: Draft = storage()
        .and_then(|s| s.get_item(&storage_key(code)).ok().flatten())
        .and_then(|t| crate::json::parse(&t))
        .unwrap_or_default();
    if d.id.is_empty() {
        d.id = random_id();
        d.key = random_id();
        d.procedure = code.to_string();
        d.copies = "1".into();
        d.delivery = "online".into();
    }
    d
}

/// Forget the draft on this device (submitted, or signing out on a kiosk).
pub fn forget(code: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&storage_key(code));
    }
}

#[component]
pub fn Submit(code: String, page: Signal<Page>) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    // An account is needed; come back here after signing in.
    let wizard = code.clone();
    crate::ctx::require_account(move || {
        Route::Submit(wizard.clone(), Some(page.get_untracked())).href()
    });
    let fresh = storage().and_then(|s| s.get_item(&storage_key(&code)).ok().flatten()).is_none();
    let draft = RwSignal::new(load(&code));
    // Bumped when the draft is replaced as a whole, so the page shows it.
    let replaced = RwSignal::new(0u32);
    if fresh {
        carry_on_from_portal(code.clone(), draft, replaced);
    }
    fill_applicant(code.clone(), draft, replaced);
    let sync = keep(draft);
    let data = LocalResource::new(move || {
        let code = draft.with_untracked(|d| d.procedure.clone());
        async move {
            let base = ctx.api_base();
            let p = api::catalog::procedure(&base, &code).await?.data;
            let units = api::catalog::units(&base).await?.data;
            Ok::<_, api::FetchError>((p, units))
        }
    });
    let saved_line = move || match sync.get() {
        1 => wz(t).w_saved_both,
        2 => wz(t).w_saved_here,
        _ => "",
    };
    view! {
        <p class="save-status muted" id="save-status" role="status">{saved_line}</p>
        <crate::shell::host::ListenLater/>
        {move || match data.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(_)) => view! {
                <div class="notice notice-error" role="alert"><p>{t.detail_error}</p></div>
            }
            .into_any(),
            Some(Ok((p, units))) => {
                replaced.track();
                let page = page.get();
                // The form's part, 1-based in the address (`?phan=2`).
                let part = use_location().param_tracked("phan").parse::<usize>().unwrap_or(1);
                view! { <Wizard p=p units=units page=page part=part.max(1) - 1 draft=draft/> }.into_any()
            }
        }}
    }
}

/// Nothing on this device: carry on from the portal's copy, if there is
/// one (started on another phone, or before the tab was cleared).
fn carry_on_from_portal(code: String, draft: RwSignal<Draft>, replaced: RwSignal<u32>) {
    let ctx = use_ctx();
    leptos::task::spawn_local(async move {
        let base = ctx.api_base();
        let Ok(list) = api::dossier::drafts(&base).await else {
            return;
        };
        let Some(meta) = list.into_iter().find(|d| d.procedure == code) else {
            return;
        };
        if let Ok(saved) = api::dossier::draft::<Draft>(&base, &meta.id).await {
            if saved.procedure == code {
                draft.try_set(saved);
                replaced.try_update(|n| *n += 1);
            }
        }
    });
}

/// The applicant is the signed-in citizen unless filing for someone else.
fn fill_applicant(fresh_code: String, draft: RwSignal<Draft>, replaced: RwSignal<u32>) {
    let ctx = use_ctx();
    Effect::new(move |_| {
        if let Some(me) = ctx.me.get() {
            // Another citizen's draft left on this device: start afresh.
            if draft.with_untracked(|d| !d.owner.is_empty() && d.owner != me.citizen_id) {
                forget(&fresh_code);
                draft.set(load(&fresh_code));
                replaced.update(|n| *n += 1);
            }
            draft.update(|d| {
                d.owner = me.citizen_id.clone();
                // Where and how they were reached last time, offered again
                // (a VNeID account has no phone of its own).
                if !d.on_behalf && d.applicant.address.is_empty() {
                    d.applicant.address = me.last_address.clone();
                }
                if !d.on_behalf && d.applicant.phone.is_empty() && me.phone.is_empty() {
                    d.applicant.phone = me.last_phone.clone();
                }
                if !d.on_behalf && d.applicant.full_name.is_empty() {
                    d.applicant.full_name = me.full_name.clone();
                    d.applicant.citizen_id = me.citizen_id.clone();
                    d.applicant.birth_date = me.birth_date.clone();
                    d.applicant.phone = me.phone;
                    d.applicant.email = me.email;
                }
                // Proven by VNeID: who one is, is what VNeID said.
                if !d.on_behalf && me.identity_verified {
                    d.applicant.full_name = me.full_name;
                    d.applicant.citizen_id = me.citizen_id;
                    d.applicant.birth_date = me.birth_date;
                }
            });
        }
    });
}

/// Kept at once on the device, and on the portal a moment after the last
/// change. Where it is kept: 0 nothing yet, 1 device and portal, 2 device
/// only (the portal did not take it; tried again shortly).
fn keep(draft: RwSignal<Draft>) -> RwSignal<u8> {
    let ctx = use_ctx();
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    // A page that goes (sign-in, another page) takes its timer with it:
    // the draft is on the device already and goes up next time.
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    let sync = RwSignal::new(0u8);
    let retry = RwSignal::new(0u32);
    Effect::new(move |_| {
        retry.track();
        let d = draft.get();
        let Some(json) = crate::json::to_string(&d) else {
            return;
        };
        if let Some(s) = storage() {
            let _ = s.set_item(&storage_key(&d.procedure), &json);
        }
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(
            move || {
                // Submitted, or wiped (sign-out, next resident) meanwhile: the
                // device no longer keeps it, and the portal must not either.
                let kept = storage()
                    .and_then(|s| s.get_item(&storage_key(&d.procedure)).ok().flatten())
                    .is_some();
                if !kept {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let saved =
                        api::dossier::save_draft(&ctx.api_base(), &d.id, &d.procedure, &json).await;
                    match saved {
                        Ok(()) => {
                            sync.try_set(1);
                        }
                        // Signed out meanwhile: the sign-in page takes over.
                        Err(api::FetchError::Api { status: 401, .. }) => {}
                        Err(_) => {
                            sync.try_set(2);
                            set_timeout(
                                move || {
                                    retry.try_update(|n| *n += 1);
                                },
                                std::time::Duration::from_secs(10),
                            );
                        }
                    }
                });
            },
            std::time::Duration::from_millis(800),
        );
        pending.set_value(h.ok());
    });
    sync
}

/// A draft text as a signal that writes through.
pub(super) fn bind(
    draft: RwSignal<Draft>,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
) -> RwSignal<String> {
    let value = RwSignal::new(draft.with_untracked(get));
    Effect::new(move |_| {
        let v = value.get();
        if draft.with_untracked(get) != v {
            draft.update(|d| set(d, v));
        }
    });
    value
}

#[component]
pub(super) fn Wizard(
    p: Procedure,
    units: Vec<Unit>,
    page: Page,
    /// The electronic form's section shown (0-based), on its page.
    part: usize,
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let form = contract::eform::for_procedure(&p.code);
    let parts = form.map_or(0, |f| f.sections.len());
    let part = part.min(parts.saturating_sub(1));
    if draft.with_untracked(|d| d.procedure_name != p.name) {
        let name = p.name.clone();
        draft.update(|d| d.procedure_name = name);
    }
    let location = use_location();
    let problems_list: Problems = RwSignal::new(Vec::new());
    let code = p.code.clone();
    // A page's address; the form's page at one of its parts (0-based).
    let at = move |p: Page, n: usize| {
        let href = Route::Submit(code.clone(), Some(p));
        if p == Page::Form {
            href.with(&[("phan", &(n + 1).to_string())])
        } else {
            href.href()
        }
    };
    let before = if page == Page::Form && part > 0 {
        Some((Page::Form, part - 1))
    } else {
        previous(page, form.is_some()).map(|prev| (prev, parts.saturating_sub(1)))
    };
    // Changing one answer from the check page ("Sửa", `?sua=1`): back
    // there after this page, not through every later one; the field to
    // change (`?o=<id>`) has the focus.
    let editing = page != Page::Check && location.param("sua") == "1";
    let before = if editing { Some((Page::Check, 0)) } else { before };
    let focus = location.param("o");
    if !focus.is_empty() && page != Page::Check {
        set_timeout(
            move || crate::components::form::focus_id(focus),
            std::time::Duration::from_millis(60),
        );
    }
    let back = before.map(|(prev, n)| {
        view! { <p class="back"><a href=at(prev, n)>{ac(t).back}</a></p> }
    });
    let go_on =
        go_on(Step { p: &p, units: &units, page, part, editing }, draft, problems_list, at.clone());
    let (n, total) = position(page, form.is_some());
    let step =
        wz(t).w_step_of.replace("{n}", &n.to_string()).replace("{total}", &total.to_string());
    let form_part = (page == Page::Form).then(|| {
        let f =
            form.map_or(
                "",
                |f| if t.lang == crate::i18n::Lang::Vi { f.title.0 } else { f.title.1 },
            );
        let line = wz(t).w_form_part.replace("{form}", f).replace("{n}", &(part + 1).to_string());
        view! { <p class="form-part">{line.replace("{total}", &parts.to_string())}</p> }
    });
    let title = title(t, page, form, part);
    let body = match page {
        Page::Who => who(&p, &units, draft, problems_list).into_any(),
        Page::Applicant => applicant(draft, problems_list).into_any(),
        Page::Form => match form {
            Some(f) => eform::section(f, part, draft, problems_list).into_any(),
            None => ().into_any(),
        },
        Page::Request => request(draft, problems_list, form.is_some()).into_any(),
        Page::Documents => {
            view! { <Documents key=p.code.clone() documents=p.documents.clone() by_form=form draft=draft problems=problems_list/> }.into_any()
        }
        Page::Delivery => delivery(&units, draft, problems_list).into_any(),
        Page::Check => {
            return view! {
                {back}
                <p class="step-of">{step.clone()}</p>
                <PageHeading text=title.to_string() error=Signal::derive(move || problems_list.with(|p| !p.is_empty()))/>
                <p class="procedure-name">{p.name.clone()}</p>
                <ErrorSummary problems=problems_list/>
                <CheckAnswers p=p.clone() units=units.clone() draft=draft problems=problems_list/>
            }
            .into_any();
        }
    };
    view! {
        {back}
        <p class="step-of">{step.clone()}</p>
        <PageHeading text=title.to_string() error=Signal::derive(move || problems_list.with(|p| !p.is_empty()))/>
        <p class="procedure-name">{p.name.clone()}</p>
        {form_part}
        <ErrorSummary problems=problems_list/>
        <form class="form" novalidate on:submit=go_on>
            {body}
            <button type="submit" class="button">{ac(t).continue_button}</button>
        </form>
    }
    .into_any()
}

/// Where the wizard is: the procedure, the desks, the page and the form's
/// part, and whether one answer is being changed from the check page.
struct Step<'a> {
    p: &'a Procedure,
    units: &'a [Unit],
    page: Page,
    part: usize,
    editing: bool,
}

/// "Tiếp tục": the page's answers checked (each problem said beside its
/// field), then on to the next page, or the form's next part, or back to
/// the check page when changing one answer.
fn go_on(
    at: Step,
    draft: RwSignal<Draft>,
    problems_list: Problems,
    next_at: impl Fn(Page, usize) -> String + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) {
    let Step { page, part, editing, .. } = at;
    let (p2, units2) = (at.p.clone(), at.units.to_vec());
    let form = contract::eform::for_procedure(&p2.code);
    let parts = form.map_or(0, |f| f.sections.len());
    let location = use_location();
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        let found = if page == Page::Form {
            form_problems(&d, part, today())
        } else {
            problems(page, &d, &p2, &units2, today())
        };
        let found: Vec<(String, String)> =
            found.into_iter().map(|(f, pr)| (f, text_of(&pr))).collect();
        if !found.is_empty() {
            return show(problems_list, found);
        }
        problems_list.set(Vec::new());
        // Said who files (a parent?): their own part is filled from them.
        if let Some(f) = form
            .filter(|f| page == Page::Form && f.section_of("declarant.relationship") == Some(part))
        {
            draft.update(|d| {
                let applicant = d.applicant.clone();
                f.fill_parent(&mut d.form, &applicant);
            });
        }
        if editing {
            return location.navigate(&next_at(Page::Check, 0));
        }
        if page == Page::Form && part + 1 < parts {
            return location.navigate(&next_at(Page::Form, part + 1));
        }
        if let Some(next) = next(page, form.is_some()) {
            location.navigate(&next_at(next, 0));
        }
    }
}

/// The wizard page's heading.
fn title(
    t: &'static crate::i18n::Texts,
    page: Page,
    form: Option<&'static contract::eform::Form>,
    part: usize,
) -> &'static str {
    match page {
        Page::Who => wz(t).w_who,
        Page::Applicant => wz(t).w_applicant,
        Page::Form => form.map_or("", |f| eform::title(f, part)),
        Page::Request if form.is_some() => wz(t).w_copies_notes,
        Page::Request => wz(t).w_request,
        Page::Documents => wz(t).w_documents,
        Page::Delivery => wz(t).w_delivery,
        Page::Check => wz(t).w_check,
    }
}

mod check;
mod drafts;
mod eform;
mod steps;

use crate::bundles::texts::wizard::wz;
use check::CheckAnswers;
pub use drafts::Drafts;
use steps::{applicant, delivery, request, who};

/// The submission bundle's pages.
pub fn draw(shown: crate::router::Page, page: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Submit(code, _) => {
            let step = Signal::derive(move || match page.get() {
                crate::router::Page::Submit(_, s) => s.unwrap_or(crate::wizard::Page::Who),
                _ => crate::wizard::Page::Who,
            });
            view! { <Submit code=code page=step/> }.into_any()
        }
        _ => ().into_any(),
    }
}
