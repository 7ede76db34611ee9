//! The submission wizard: one question per page, from "who" to "check your
//! answers", then submit once and show the receipt. Every change is kept on
//! the device at once and on the server shortly after (see `wizard::Draft`).

use contract::catalog::{Procedure, Unit, UnitKind};
use leptos::prelude::*;

use crate::api;
use crate::app::{use_ctx, use_texts};
use crate::components::form::{error_for, from_api, show, text_of, ErrorSummary, Field, Problems};
use crate::components::page::PageHeading;
use crate::pages::register::today;
use crate::pending::{self, Pending};
use crate::router::use_location;
use crate::wizard::{problems, Draft, Page};

fn storage_key(code: &str) -> String {
    format!("{}{code}", crate::storage::WIZARD)
}

use crate::storage::local as storage;

fn random_id() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32))
        .collect()
}

fn load(code: &str) -> Draft {
    let mut d: Draft = storage()
        .and_then(|s| s.get_item(&storage_key(code)).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
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
    let base = format!("/nop-ho-so/{code}");
    crate::app::require_account(move || format!("{base}/{}", page.get_untracked().slug()));
    let fresh = storage()
        .and_then(|s| s.get_item(&storage_key(&code)).ok().flatten())
        .is_none();
    let draft = RwSignal::new(load(&code));
    // Bumped when the draft is replaced as a whole, so the page shows it.
    let replaced = RwSignal::new(0u32);
    // Nothing on this device: carry on from the server's copy, if there is
    // one (started on another phone, or before the tab was cleared).
    if fresh {
        let code = code.clone();
        leptos::task::spawn_local(async move {
            let base = ctx.api_base();
            let Ok(list) = api::dossier::drafts(&base).await else {
                return;
            };
            let Some(meta) = list.into_iter().find(|d| d.procedure == code) else {
                return;
            };
            let Ok(full) = api::dossier::draft(&base, &meta.id).await else {
                return;
            };
            if let Ok(saved) = serde_json::from_value::<Draft>(full.data) {
                if saved.procedure == code {
                    draft.try_set(saved);
                    replaced.try_update(|n| *n += 1);
                }
            }
        });
    }
    // The applicant is the signed-in citizen unless filing for someone else.
    let fresh_code = code.clone();
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
                if !d.on_behalf && d.applicant.full_name.is_empty() {
                    d.applicant.full_name = me.full_name;
                    d.applicant.citizen_id = me.citizen_id;
                    d.applicant.birth_date = me.birth_date;
                    d.applicant.phone = me.phone;
                    d.applicant.email = me.email;
                }
            });
        }
    });
    // Kept at once on the device, and on the server a moment after the last change.
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    // Where the draft is kept: 0 nothing yet, 1 device and portal, 2 device
    // only (the portal did not take it; tried again shortly).
    let sync = RwSignal::new(0u8);
    let retry = RwSignal::new(0u32);
    Effect::new(move |_| {
        retry.track();
        let d = draft.get();
        let Ok(json) = serde_json::to_string(&d) else {
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
        1 => t.w_saved_both,
        2 => t.w_saved_here,
        _ => "",
    };
    view! {
        <p class="save-status muted" id="save-status" role="status">{saved_line}</p>
        {move || match data.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(_)) => view! {
                <div class="notice notice-error" role="alert"><p>{t.detail_error}</p></div>
            }
            .into_any(),
            Some(Ok((p, units))) => {
                replaced.track();
                let page = page.get();
                view! { <Wizard p=p units=units page=page draft=draft/> }.into_any()
            }
        }}
    }
}

/// A draft text as a signal that writes through.
fn bind(
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
fn Wizard(p: Procedure, units: Vec<Unit>, page: Page, draft: RwSignal<Draft>) -> impl IntoView {
    let t = use_texts().get_untracked();
    if draft.with_untracked(|d| d.procedure_name != p.name) {
        let name = p.name.clone();
        draft.update(|d| d.procedure_name = name);
    }
    let location = use_location();
    let problems_list: Problems = RwSignal::new(Vec::new());
    let code = p.code.clone();
    let base = format!("/nop-ho-so/{code}");
    let back = page.previous().map(|prev| {
        view! { <p class="back"><a href=format!("{base}/{}", prev.slug())>{t.back}</a></p> }
    });
    let (p2, units2) = (p.clone(), units.clone());
    let next_base = base.clone();
    let go_on = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found: Vec<(String, String)> =
            problems(page, &draft.get_untracked(), &p2, &units2, today())
                .into_iter()
                .map(|(f, pr)| (f, text_of(&pr)))
                .collect();
        if !found.is_empty() {
            return show(problems_list, found);
        }
        problems_list.set(Vec::new());
        if let Some(next) = page.next() {
            location.navigate(&format!("{next_base}/{}", next.slug()));
        }
    };
    let title = match page {
        Page::Who => t.w_who,
        Page::Applicant => t.w_applicant,
        Page::Request => t.w_request,
        Page::Documents => t.w_documents,
        Page::Delivery => t.w_delivery,
        Page::Check => t.w_check,
    };
    let body = match page {
        Page::Who => who(&p, &units, draft, problems_list).into_any(),
        Page::Applicant => applicant(draft, problems_list).into_any(),
        Page::Request => request(draft, problems_list).into_any(),
        Page::Documents => {
            view! { <Documents key=p.code.clone() documents=p.documents.clone() draft=draft problems=problems_list/> }.into_any()
        }
        Page::Delivery => delivery(&units, draft, problems_list).into_any(),
        Page::Check => {
            return view! {
                {back}
                <p class="step-of">{t.count(t.step_of, page.number())}</p>
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
        <p class="step-of">{t.count(t.step_of, page.number())}</p>
        <PageHeading text=title.to_string() error=Signal::derive(move || problems_list.with(|p| !p.is_empty()))/>
        <p class="procedure-name">{p.name.clone()}</p>
        <ErrorSummary problems=problems_list/>
        <form class="form" novalidate on:submit=go_on>
            {body}
            <button type="submit" class="button">{t.continue_button}</button>
        </form>
    }
    .into_any()
}

fn unit_options(units: &[Unit], p: &Procedure, selected: &str) -> impl IntoView {
    let t = use_texts().get_untracked();
    units
        .iter()
        .filter(|u| p.levels.contains(&crate::search::filters::level_of(u.kind)))
        .map(|u| {
            let name = if u.kind == UnitKind::Province {
                t.province_centre.to_string()
            } else {
                u.name.clone()
            };
            view! { <option value=u.code.clone() selected=u.code == selected>{name}</option> }
        })
        .collect_view()
}

fn field_error(problems: Problems, id: &'static str) -> impl IntoView {
    move || {
        error_for(problems, id)
            .map(|m| view! { <p id=format!("{id}-error") class="field-error">{m}</p> })
    }
}

fn who(p: &Procedure, units: &[Unit], draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    let selected = draft.with_untracked(|d| d.unit.clone());
    let options = unit_options(units, p, &selected);
    let relationship = bind(draft, |d| d.relationship.clone(), |d, v| d.relationship = v);
    let behalf = move || draft.with(|d| d.on_behalf);
    view! {
        <div class="field" class:field-invalid=move || error_for(problems, "unit").is_some()>
            <label for="unit" class="label">{t.w_unit}</label>
            <p id="unit-hint" class="hint">{t.w_unit_hint}</p>
            {field_error(problems, "unit")}
            <select id="unit" class="input" aria-describedby="unit-hint"
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.unit = v); }>
                <option value="">"—"</option>
                {options}
            </select>
        </div>
        <fieldset class="field">
            <legend class="label">{t.w_for_whom}</legend>
            <div class="choice">
                <input type="radio" id="self" name="for" prop:checked=move || !behalf()
                    on:change=move |_| draft.update(|d| d.on_behalf = false)/>
                <label for="self">{t.w_self}</label>
            </div>
            <div class="choice">
                <input type="radio" id="behalf" name="for" prop:checked=behalf
                    on:change=move |_| draft.update(|d| {
                        if !d.on_behalf {
                            // Someone else's details, not mine.
                            d.on_behalf = true;
                            d.applicant = Default::default();
                        }
                    })/>
                <label for="behalf">{t.w_behalf}</label>
            </div>
        </fieldset>
        {move || behalf().then(|| view! {
            <Field id="relationship" label=t.w_relationship hint=t.w_relationship_hint problems=problems value=relationship/>
            <div class="field choice" class:field-invalid=move || error_for(problems, "consent").is_some()>
                {field_error(problems, "consent")}
                <input type="checkbox" id="consent" prop:checked=move || draft.with(|d| d.consent)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.consent = on); }/>
                <label for="consent">{t.w_consent}</label>
            </div>
        })}
    }
}

fn applicant(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    // Someone else's details: the browser must not fill in the filer's own.
    let own = !draft.with_untracked(|d| d.on_behalf);
    let auto = move |what: &'static str| if own { what } else { "off" };
    view! {
        <Field id="applicant.full_name" label=t.name_label problems=problems autocomplete=auto("name")
            value=bind(draft, |d| d.applicant.full_name.clone(), |d, v| d.applicant.full_name = v)/>
        <Field id="applicant.citizen_id" label=t.citizen_id_label hint=t.citizen_id_hint problems=problems inputmode="numeric"
            value=bind(draft, |d| d.applicant.citizen_id.clone(), |d, v| d.applicant.citizen_id = v)/>
        <Field id="applicant.birth_date" label=t.birth_label hint=t.birth_hint problems=problems inputmode="numeric"
            value=bind(draft, |d| d.applicant.birth_date.clone(), |d, v| d.applicant.birth_date = v)/>
        <Field id="applicant.phone" label=t.phone_label problems=problems kind="tel" autocomplete=auto("tel")
            value=bind(draft, |d| d.applicant.phone.clone(), |d, v| d.applicant.phone = v)/>
        <Field id="applicant.email" label=t.email_label problems=problems kind="email" autocomplete=auto("email")
            value=bind(draft, |d| d.applicant.email.clone(), |d, v| d.applicant.email = v)/>
        <Field id="applicant.address" label=t.w_address problems=problems autocomplete=auto("street-address")
            value=bind(draft, |d| d.applicant.address.clone(), |d, v| d.applicant.address = v)/>
    }
}

fn request(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    let text = bind(draft, |d| d.request.clone(), |d, v| d.request = v);
    let notes = bind(draft, |d| d.notes.clone(), |d, v| d.notes = v);
    view! {
        <div class="field" class:field-invalid=move || error_for(problems, "request").is_some()>
            <label for="request" class="label">{t.w_request}</label>
            <p id="request-hint" class="hint">{t.w_request_hint}</p>
            {field_error(problems, "request")}
            <textarea id="request" class="input" rows="4" aria-describedby="request-hint"
                prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        </div>
        <Field id="copies" label=t.w_copies problems=problems inputmode="numeric"
            value=bind(draft, |d| d.copies.clone(), |d, v| d.copies = v)/>
        <div class="field">
            <label for="notes" class="label">{t.w_notes}</label>
            <textarea id="notes" class="input" rows="3"
                prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
        </div>
    }
}

fn delivery(units: &[Unit], draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    let kind = move || draft.with(|d| d.delivery.clone());
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <div class="choice">
                <input type="radio" id=format!("delivery-{value}") name="delivery"
                    prop:checked=move || kind() == value
                    on:change=move |_| draft.update(|d| d.delivery = value.to_string())/>
                <label for=format!("delivery-{value}")>{label}</label>
            </div>
        }
    };
    let address = bind(draft, |d| d.post_address.clone(), |d, v| d.post_address = v);
    let selected = draft.with_untracked(|d| d.office_unit.clone());
    let offices = units
        .iter()
        .map(|u| {
            let name = if u.kind == UnitKind::Province {
                t.province_centre.to_string()
            } else {
                u.name.clone()
            };
            view! { <option value=u.code.clone() selected=u.code == selected>{name}</option> }
        })
        .collect_view();
    view! {
        <fieldset class="field" class:field-invalid=move || error_for(problems, "delivery").is_some()>
            <legend class="label">{t.w_delivery}</legend>
            {field_error(problems, "delivery")}
            {radio("online", t.w_online)}
            {radio("post", t.w_post)}
            {radio("office", t.w_office)}
        </fieldset>
        <div class="field" class:hidden=move || kind() != "post">
            <label for="post_address" class="label">{t.w_post_address}</label>
            <input id="post_address" class="input" autocomplete="street-address"
                prop:value=address on:input=move |ev| address.set(event_target_value(&ev))/>
        </div>
        <div class="field" class:hidden=move || kind() != "office">
            <label for="office_unit" class="label">{t.w_office_unit}</label>
            <select id="office_unit" class="input"
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.office_unit = v); }>
                <option value="">"—"</option>
                {offices}
            </select>
        </div>
    }
}

/// Attach photos or PDFs for each required document: upload as soon as
/// chosen, list what is attached, remove or move a page up.
/// Attach files, one section per document: each file is kept in IndexedDB
/// under `key` (a procedure code, or the dossier answering a supplement
/// request) until the portal has it, and lands in `draft` once uploaded.
#[component]
pub fn Documents(
    key: String,
    documents: Vec<contract::catalog::RequiredDocument>,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let code = key;
    let status = RwSignal::new(String::new());
    // Files that could not be sent even after retrying: offered again.
    let failed: RwSignal<Vec<Pending>, LocalStorage> = RwSignal::new_local(Vec::new());
    // Files on their way up: (id, name, share sent).
    let uploading: RwSignal<Vec<(u32, String, f64)>> = RwSignal::new(Vec::new());
    // Files chosen on an earlier visit (or before a reload) that never
    // reached the portal: send them now.
    {
        let code = code.clone();
        leptos::task::spawn_local(async move {
            for item in pending::list(&code).await {
                let up = Upload {
                    item,
                    base: ctx.api_base(),
                    t,
                    uploading,
                };
                leptos::task::spawn_local(send_file(up, draft, status, problems, failed));
            }
        });
    }
    let sections = documents
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let name = doc.name.clone();
            let input_id = format!("documents.{i}");
            let files = {
                let name = name.clone();
                move || {
                    draft.with(|d| {
                        d.documents
                            .iter()
                            .find(|x| x.name == name)
                            .map(|x| x.files.clone())
                            .unwrap_or_default()
                    })
                }
            };
            let list = {
                let name = name.clone();
                move || {
                    files()
                        .into_iter()
                        .enumerate()
                        .map(|(j, f)| {
                            let (n1, n2) = (name.clone(), name.clone());
                            let kb = f.size.div_ceil(1024);
                            let thumb = f.mime.starts_with("image/").then(|| {
                                view! { <img class="thumb" src=format!("{}/files/{}", ctx.api_base(), f.id) alt="" width="64" height="64" loading="lazy"/> }
                            });
                            view! {
                                <li>
                                    {thumb}
                                    <span class="file-name">{f.name.clone()}</span>
                                    <span class="muted">{format!(" ({kb} KB)")}</span>
                                    {(j > 0).then(|| view! {
                                        <button type="button" class="button button-secondary"
                                            on:click=move |_| draft.update(|d| d.files_mut(&n1).swap(j, j - 1))>
                                            {t.w_move_up}
                                        </button>
                                    })}
                                    <button type="button" class="button button-secondary"
                                        on:click=move |_| draft.update(|d| { d.files_mut(&n2).remove(j); })>
                                        {t.w_remove}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }
            };
            let on_files = {
                let name = name.clone();
                let code = code.clone();
                let input_id_for_errors = input_id.clone();
                move |ev: leptos::ev::Event| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                        return;
                    };
                    let Some(list) = input.files() else { return };
                    let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|k| list.get(k)).collect();
                    input.set_value("");
                    for file in chosen {
                        // Checked here first (the portal checks again): the
                        // kinds it takes, and PDFs within 10 MB (photos are
                        // made smaller before they go).
                        let kind = file.type_();
                        let fname = file.name();
                        let refused = if !matches!(kind.as_str(), "image/jpeg" | "image/png" | "application/pdf") {
                            Some(t.w_wrong_type)
                        } else if kind == "application/pdf" && file.size() > 10.0 * 1024.0 * 1024.0 {
                            Some(t.w_too_large)
                        } else {
                            None
                        };
                        if let Some(why) = refused {
                            show(problems, vec![(input_id_for_errors.clone(), format!("{fname}: {why}"))]);
                            continue;
                        }
                        let item = Pending {
                            id: random_id(),
                            procedure: code.clone(),
                            doc: name.clone(),
                            name: file.name(),
                            blob: file.into(),
                        };
                        let up = Upload { item, base: ctx.api_base(), t, uploading };
                        leptos::task::spawn_local(async move {
                            // Kept on the device first: nothing chosen is lost.
                            pending::put(&up.item).await;
                            send_file(up, draft, status, problems, failed).await;
                        });
                    }
                }
            };
            let err_id = StoredValue::new(input_id.clone());
            let error = move || err_id.with_value(|id| error_for(problems, id));
            view! {
                <section class="document" class:field-invalid=move || error().is_some()>
                    <h2>{doc.name.clone()}
                        {doc.conditional.then(|| view! { " " <span class="muted">{t.if_applicable}</span> })}
                    </h2>
                    <p class="hint">{format!("{}: {} · {}: {}", t.originals, doc.originals, t.copies, doc.copies)}</p>
                    {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
                    <ul class="files">{list}</ul>
                    // The input (visually hidden, still focusable) before its label, which
                    // looks like a button and shows the input's focus.
                    <input id=input_id.clone() class="visually-hidden" type="file" multiple
                        accept="image/jpeg,image/png,application/pdf" capture="environment"
                        on:change=on_files/>
                    <label for=input_id class="button button-secondary file-button">{t.w_attach}</label>
                </section>
            }
        })
        .collect_view();
    let retry_list = move || {
        failed
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let fname = item.name;
                view! {
                    <li>
                        {t.w_upload_failed.replace("{name}", &fname)} " "
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            let item = failed.with_untracked(|f| f[i].clone());
                            failed.update(|f| { f.remove(i); });
                            let up = Upload { item, base: ctx.api_base(), t, uploading };
                            leptos::task::spawn_local(send_file(up, draft, status, problems, failed));
                        }>{t.retry}</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <p>{t.w_documents_lead}</p>
        <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
        <ul class="uploads">
            {move || uploading.get().into_iter().map(|(_, name, share)| view! {
                <li>
                    <span class="file-name">{name.clone()}</span>
                    <progress max="100" value=(share * 100.0).round() aria-label=name></progress>
                </li>
            }).collect_view()}
        </ul>
        <ul class="failed-uploads">{retry_list}</ul>
        {sections}
    }
}

/// Wait `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Prepare (compress) and upload one file for the document `doc`, retrying
/// a dropped connection after 1, 2 and 4 s; what still fails is offered
/// again with a Retry button. The draft outlives the page, so an upload
/// that finishes after the citizen moved on is still kept.
struct Upload {
    item: Pending,
    base: String,
    t: &'static crate::i18n::Texts,
    uploading: RwSignal<Vec<(u32, String, f64)>>,
}

thread_local! {
    /// Kept files being uploaded right now (a page shown again must not
    /// send them a second time).
    static IN_FLIGHT: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

async fn send_file(
    up: Upload,
    draft: RwSignal<Draft>,
    status: RwSignal<String>,
    problems: Problems,
    failed: RwSignal<Vec<Pending>, LocalStorage>,
) {
    let Upload {
        item,
        base,
        t,
        uploading,
    } = up;
    if !IN_FLIGHT.with(|f| f.borrow_mut().insert(item.id.clone())) {
        return;
    }
    let result = upload_one(&item, &base, t, uploading, status).await;
    IN_FLIGHT.with(|f| f.borrow_mut().remove(&item.id));
    let fname = item.name.clone();
    match result {
        Ok(info) => {
            pending::remove(&item.id).await;
            draft.update(|d| d.files_mut(&item.doc).push(info));
            status.try_set(t.w_uploaded.replace("{name}", &fname));
            problems.try_update(|p| p.retain(|(f, _)| !f.starts_with("documents")));
        }
        Err(e) => {
            status.try_set(String::new());
            if matches!(e, api::FetchError::Network) {
                // Still kept on the device; offered again (and on the next visit).
                failed.try_update(|f| f.push(item));
            } else {
                pending::remove(&item.id).await;
                let mut msgs = from_api(&e, t, &[]);
                msgs.insert(
                    0,
                    (String::new(), t.w_upload_failed.replace("{name}", &fname)),
                );
                if problems.try_get_untracked().is_some() {
                    show(problems, msgs);
                }
            }
        }
    }
}

async fn upload_one(
    item: &Pending,
    base: &str,
    t: &'static crate::i18n::Texts,
    uploading: RwSignal<Vec<(u32, String, f64)>>,
    status: RwSignal<String>,
) -> Result<contract::dossier::FileInfo, api::FetchError> {
    let file = item.blob.clone();
    let fname = item.name.clone();
    status.try_set(t.w_uploading.replace("{name}", &fname));
    // Large photos are made smaller on the phone first.
    let original = file.size();
    let blob = crate::photo::prepare(file.clone()).await;
    let sent_name = if blob.size() < original && !fname.to_lowercase().ends_with(".jpg") {
        format!(
            "{}.jpg",
            fname
                .rsplit_once('.')
                .map_or(fname.as_str(), |(stem, _)| stem)
        )
    } else {
        fname.clone()
    };
    let mut attempt = 0;
    let id = (js_sys::Math::random() * 4e9) as u32;
    uploading.try_update(|u| u.push((id, fname.clone(), 0.0)));
    let result = loop {
        let progress = move |share: f64| {
            uploading.try_update(|u| {
                if let Some(x) = u.iter_mut().find(|x| x.0 == id) {
                    x.2 = share;
                }
            });
        };
        match api::dossier::upload_with_progress(base, &blob, &sent_name, progress).await {
            Err(api::FetchError::Network) if attempt < 3 => {
                sleep(1000 << attempt).await;
                attempt += 1;
            }
            other => break other,
        }
    };
    uploading.try_update(|u| u.retain(|x| x.0 != id));
    result
}

/// Every answer with a link back to change it, the fees, and the one submit.
#[component]
fn CheckAnswers(
    p: Procedure,
    units: Vec<Unit>,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let location = use_location();
    let busy = RwSignal::new(false);
    let d = draft.get_untracked();
    let base = format!("/nop-ho-so/{}", p.code);
    let row = |label: &'static str, value: String, page: Page| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd>{if value.trim().is_empty() { t.w_none.to_string() } else { value }}</dd>
                <dd class="change"><a href=format!("{base}/{}", page.slug())>{t.w_change}<span class="visually-hidden">{format!(" {label}")}</span></a></dd>
            </div>
        }
    };
    let unit_name = |code: &str| {
        units
            .iter()
            .find(|u| u.code == code)
            .map(|u| {
                if u.kind == UnitKind::Province {
                    t.province_centre.to_string()
                } else {
                    u.name.clone()
                }
            })
            .unwrap_or_default()
    };
    let files: usize = d.documents.iter().map(|x| x.files.len()).sum();
    let documents = d
        .documents
        .iter()
        .filter(|x| !x.files.is_empty())
        .map(|x| format!("{} ({} {})", x.name, x.files.len(), t.r_files))
        .collect::<Vec<_>>()
        .join("; ");
    let delivery = match d.delivery.as_str() {
        "post" => format!("{}: {}", t.w_post, d.post_address),
        "office" => format!("{}: {}", t.w_office, unit_name(&d.office_unit)),
        _ => t.w_online.to_string(),
    };
    let fee = p.online_fee().to_string();
    let a = &d.applicant;
    let rows = view! {
        {row(t.w_unit, unit_name(&d.unit), Page::Who)}
        {row(t.w_for_whom, if d.on_behalf { format!("{} ({})", t.w_behalf, d.relationship) } else { t.w_self.to_string() }, Page::Who)}
        {row(t.name_label, a.full_name.clone(), Page::Applicant)}
        {row(t.citizen_id_label, a.citizen_id.clone(), Page::Applicant)}
        {row(t.birth_label, a.birth_date.clone(), Page::Applicant)}
        {row(t.phone_label, a.phone.clone(), Page::Applicant)}
        {row(t.w_address, a.address.clone(), Page::Applicant)}
        {row(t.w_request, d.request.clone(), Page::Request)}
        {row(t.w_copies, d.copies.clone(), Page::Request)}
        {row(t.w_documents, if files == 0 { String::new() } else { documents }, Page::Documents)}
        {row(t.w_delivery, delivery, Page::Delivery)}
    };
    let (p2, units2) = (p.clone(), units.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        let found = problems_for_all(&d, &p2, &units2);
        if !found.is_empty() {
            return show(problems, found);
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::dossier::submit(&ctx.api_base(), &d.to_request(), &d.key).await {
                Ok(r) => {
                    forget(&d.procedure);
                    crate::outbox::remove(&d.key);
                    let token = String::from(js_sys::encode_uri_component(&r.token));
                    location.navigate(&format!("/bien-nhan/{}?t={token}", r.code));
                }
                Err(api::FetchError::Network) => {
                    // Kept to go by itself once the portal answers again.
                    crate::outbox::put(&crate::outbox::Waiting {
                        key: d.key.clone(),
                        procedure: d.procedure.clone(),
                        procedure_name: d.procedure_name.clone(),
                        request: d.to_request(),
                    });
                    ctx.outbox.try_update(|n| *n = crate::outbox::list().len());
                    show(
                        problems,
                        vec![(String::new(), t.w_submit_failed.to_string())],
                    )
                }
                // The session ended: everything stays in the draft; sign in and come back here.
                Err(api::FetchError::Api { status: 401, .. }) => {
                    let here = format!("/nop-ho-so/{}/kiem-tra", d.procedure);
                    let next = String::from(js_sys::encode_uri_component(&here));
                    location.navigate(&format!("/dang-nhap?het-han=1&tiep={next}"));
                    ctx.me.set(None);
                }
                Err(e) => show(problems, from_api(&e, t, &[])),
            }
            busy.try_set(false);
        });
    };
    view! {
        <dl class="answers">{rows}</dl>
        <p><strong>{t.fee}</strong>": " {fee}</p>
        <form class="form" novalidate on:submit=submit>
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { t.w_submitting } else { t.w_submit }}
            </button>
        </form>
    }
}

/// Every problem of the draft, each linking to the page that fixes it.
fn problems_for_all(d: &Draft, p: &Procedure, units: &[Unit]) -> Vec<(String, String)> {
    problems(Page::Check, d, p, units, today())
        .into_iter()
        .map(|(f, pr)| {
            let page = Page::of_field(&f);
            (
                format!("/nop-ho-so/{}/{}", p.code, page.slug()),
                text_of(&pr),
            )
        })
        .collect()
}

/// "Hồ sơ đang soạn": the drafts on this device and on the server.
#[component]
pub fn Drafts() -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let local: Vec<Draft> = storage()
        .map(|s| {
            (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .filter(|k| k.starts_with(crate::storage::WIZARD))
                .filter_map(|k| s.get_item(&k).ok().flatten())
                .filter_map(|v| serde_json::from_str::<Draft>(&v).ok())
                .collect()
        })
        .unwrap_or_default();
    let server = LocalResource::new(move || async move {
        let base = ctx.api_base();
        let mut out = Vec::new();
        for meta in api::dossier::drafts(&base).await.unwrap_or_default() {
            if let Ok(full) = api::dossier::draft(&base, &meta.id).await {
                if let Ok(d) = serde_json::from_value::<Draft>(full.data) {
                    out.push(d);
                }
            }
        }
        out
    });
    let list = move || {
        let mut all = local.clone();
        for d in server.get().unwrap_or_default() {
            if !all.iter().any(|x| x.procedure == d.procedure) {
                all.push(d);
            }
        }
        if all.is_empty() {
            return view! { <p>{t.drafts_none}</p> }.into_any();
        }
        all.into_iter()
            .map(|d| {
                let href = format!("/nop-ho-so/{}", d.procedure);
                let name = if d.procedure_name.is_empty() {
                    d.procedure.clone()
                } else {
                    d.procedure_name.clone()
                };
                view! {
                    <li class="card">
                        <h2 class="card-title"><a href=href>{name}</a></h2>
                        <p class="card-meta">{format!("{} · {}", d.procedure, d.request)}</p>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <PageHeading text=t.drafts_title.to_string()/>
        <ul class="cards drafts">{list}</ul>
    }
}
