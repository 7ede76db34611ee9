//! The uploader: one control per required document, photos made smaller
//! first, a progress bar per file, files kept in IndexedDB until the portal
//! has them. Used by the wizard's documents page and the supplement on the
//! status page.

use leptos::prelude::*;

use crate::api;
use crate::bundles::pending::{self, Pending};
use crate::bundles::texts::wizard::wz;
use crate::components::form::{error_for, show, Problems};
use crate::ctx::{use_ctx, use_texts};
use crate::wizard::Draft;

/// Attach photos or PDFs for each required document: upload as soon as
/// chosen, list what is attached, remove or move a page up.
/// Attach files, one section per document: each file is kept in IndexedDB
/// under `key` (a procedure code, or the dossier answering a supplement
/// request) until the portal has it, and lands in `draft` once uploaded.
/// A random id for a file or a draft (128 bits, hex), from the browser's
/// cryptographic generator (`crypto.getRandomValues`, which unlike
/// `randomUUID` also works on a kiosk reached over plain HTTP on a LAN).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto at all (none of the browsers we serve): still unique.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the uploader's parts share: the procedure (or dossier) the files
/// are for, the draft they land in, what is said, and the files on their
/// way up or failed.
#[derive(Clone, Copy)]
struct Shared {
    t: &'static crate::i18n::Texts,
    ctx: crate::ctx::Ctx,
    code: StoredValue<String>,
    draft: RwSignal<Draft>,
    status: RwSignal<String>,
    problems: Problems,
    /// Files that could not be sent even after retrying: offered again.
    failed: RwSignal<Vec<Pending>, LocalStorage>,
    /// Files on their way up: (id, name, share sent).
    uploading: RwSignal<Vec<(u32, String, f64)>>,
}

impl Shared {
    /// Send one file, its errors said beside `field`; kept on the device
    /// first when `keep` (nothing chosen is lost).
    fn send(self, item: Pending, field: String, keep: bool) {
        let Shared { t, ctx, draft, status, problems, failed, uploading, .. } = self;
        let up = Upload { item, base: ctx.api_base(), t, uploading, field };
        leptos::task::spawn_local(async move {
            if keep {
                pending::put(&up.item).await;
            }
            send_file(up, draft, status, problems, failed).await;
        });
    }
}

#[component]
pub fn Documents(
    key: String,
    documents: Vec<contract::catalog::RequiredDocument>,
    /// The procedure's electronic form: the paper form it replaces is not asked for.
    #[prop(default = None)]
    by_form: Option<&'static contract::eform::Form>,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let s = Shared {
        t,
        ctx: use_ctx(),
        code: StoredValue::new(key),
        draft,
        status: RwSignal::new(String::new()),
        problems,
        failed: RwSignal::new_local(Vec::new()),
        uploading: RwSignal::new(Vec::new()),
    };
    // Where a document's errors are said: beside its buttons.
    let names = StoredValue::new(documents.iter().map(|d| d.name.clone()).collect::<Vec<_>>());
    let field_of = move |doc: &str| {
        names
            .with_value(|names| names.iter().position(|n| n == doc))
            .map_or_else(|| "documents".to_string(), |i| format!("documents.{i}"))
    };
    // Files chosen on an earlier visit (or before a reload) that never
    // reached the portal: send them now.
    leptos::task::spawn_local(async move {
        for item in pending::list(&s.code.get_value()).await {
            let field = field_of(&item.doc);
            s.send(item, field, false);
        }
    });
    let replaced = documents
        .iter()
        .filter(|d| by_form.is_some_and(|f| f.replaces(&d.name)))
        .map(|d| {
            let line = wz(t).w_form_filled.replace("{doc}", &d.name);
            view! { <p class="notice form-filled">{line}</p> }
        })
        .collect_view();
    let sections = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !by_form.is_some_and(|f| f.replaces(&d.name)))
        .map(|(i, doc)| document_section(s, i, doc))
        .collect_view();
    let retry_list = move || {
        s.failed
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let fname = item.name;
                view! {
                    <li>
                        {wz(t).w_upload_failed.replace("{name}", &fname)} " "
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            let item = s.failed.with_untracked(|f| f[i].clone());
                            s.failed.update(|f| { f.remove(i); });
                            let field = field_of(&item.doc);
                            s.send(item, field, false);
                        }>{t.retry}</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <p>{wz(t).w_documents_lead}</p>
        <p class="status" role="status" aria-live="polite">{move || s.status.get()}</p>
        <ul class="uploads">
            {move || s.uploading.get().into_iter().map(|(_, name, share)| view! {
                <li>
                    <span class="file-name">{name.clone()}</span>
                    <progress max="100" value=(share * 100.0).round() as u32 aria-label=name></progress>
                </li>
            }).collect_view()}
        </ul>
        <ul class="failed-uploads">{retry_list}</ul>
        {replaced}
        {sections}
    }
}

/// The files attached to document `name`, with their buttons: move a page
/// up, remove it.
fn file_list(s: Shared, name: String) -> impl Fn() -> AnyView + Send + Sync + 'static {
    let Shared { t, ctx, draft, .. } = s;
    move || {
        let files = draft.with(|d| {
            d.documents.iter().find(|x| x.name == name).map(|x| x.files.clone()).unwrap_or_default()
        });
        files
            .into_iter()
            .enumerate()
            .map(|(j, f)| {
                let (n1, n2) = (name.clone(), name.clone());
                let kb = f.size.div_ceil(1024);
                // The phone's own copy when it has one: no second download.
                let thumb = f.mime.starts_with("image/").then(|| {
                    let src = local_preview(&f.id)
                        .unwrap_or_else(|| format!("{}/files/{}", ctx.api_base(), f.id));
                    view! { <img class="thumb" src=src alt="" width="64" height="64" loading="lazy"/> }
                });
                view! {
                    <li>
                        {thumb}
                        <span class="file-name">{f.name.clone()}</span>
                        <span class="muted">{format!(" ({kb} KB)")}</span>
                        {(j > 0).then(|| view! {
                            <button type="button" class="button button-secondary"
                                on:click=move |_| draft.update(|d| d.files_mut(&n1).swap(j, j - 1))>
                                {wz(t).w_move_up}
                            </button>
                        })}
                        <button type="button" class="button button-secondary"
                            on:click=move |_| draft.update(|d| { d.files_mut(&n2).remove(j); })>
                            {wz(t).w_remove}
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    }
}

/// What choosing files for document `name` does: each is checked here
/// first (the portal checks again: the kinds it takes, and PDFs within
/// 10 MB; photos are made smaller before they go), kept on the device,
/// then sent; a refusal is said beside `field`.
fn chooser(s: Shared, name: String, field: String) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    let t = s.t;
    move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|k| list.get(k)).collect();
        input.set_value("");
        for file in chosen {
            let kind = file.type_();
            let fname = file.name();
            let refused =
                if !matches!(kind.as_str(), "image/jpeg" | "image/png" | "application/pdf") {
                    Some(wz(t).w_wrong_type)
                } else if kind == "application/pdf" && file.size() > 10.0 * 1024.0 * 1024.0 {
                    Some(wz(t).w_too_large)
                } else {
                    None
                };
            if let Some(why) = refused {
                show(s.problems, vec![(field.clone(), format!("{fname}: {why}"))]);
                continue;
            }
            let item = Pending {
                id: random_id(),
                procedure: s.code.get_value(),
                doc: name.clone(),
                name: file.name(),
                blob: file.into(),
            };
            s.send(item, field.clone(), true);
        }
    }
}

/// One required document: its name, how many originals and copies, its
/// files, and the two ways to add one.
fn document_section(
    s: Shared,
    i: usize,
    doc: &contract::catalog::RequiredDocument,
) -> impl IntoView {
    let Shared { t, draft, problems, .. } = s;
    let input_id = format!("documents.{i}");
    let camera_id = format!("documents.{i}.camera");
    let list = file_list(s, doc.name.clone());
    let on_files = chooser(s, doc.name.clone(), input_id.clone());
    let err_id = StoredValue::new(input_id.clone());
    // Filed by someone who needs the person's authorisation: required.
    let doc_name = StoredValue::new(doc.name.clone());
    let needed = move || {
        draft.with(|d| {
            d.on_behalf
                && doc_name
                    .with_value(|n| contract::dossier::authorisation_needed(n, &d.relationship))
        })
    };
    let conditional = doc.conditional;
    let error = move || err_id.with_value(|id| error_for(problems, id));
    view! {
        <section class="document" class:field-invalid=move || error().is_some()>
            <h2>{doc.name.clone()}
                {move || (conditional && !needed()).then(|| view! { " " <span class="muted">{t.if_applicable}</span> })}
            </h2>
            {move || needed().then(|| view! {
                <p class="hint authorisation">{wz(t).w_authorisation.replace("{who}", &draft.with(|d| d.relationship.clone()))}</p>
            })}
            <p class="hint">{format!("{}: {} · {}: {}", t.originals, doc.originals, t.copies, doc.copies)}</p>
            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
            <ul class="files">{list}</ul>
            // Two ways in: the camera, and a file or a photo already on the
            // phone (received on Zalo, scanned, a PDF), which `capture`
            // would hide on Android. Each input (visually hidden, still
            // focusable) comes before its label, which looks like a button
            // and shows the input's focus; each is named by its document.
            <div class="file-buttons">
                <input id=camera_id.clone() class="visually-hidden" type="file"
                    accept="image/jpeg,image/png" capture="environment"
                    on:change=on_files.clone()/>
                <label for=camera_id class="button button-secondary file-button">
                    {wz(t).w_take_photo}<span class="visually-hidden">{format!(": {}", doc.name)}</span>
                </label>
                <input id=input_id.clone() class="visually-hidden" type="file" multiple
                    accept="image/jpeg,image/png,application/pdf"
                    on:change=on_files/>
                <label for=input_id class="button button-secondary file-button">
                    {wz(t).w_choose_file}<span class="visually-hidden">{format!(": {}", doc.name)}</span>
                </label>
            </div>
        </section>
    }
}

use crate::timing::sleep;

/// Prepare (compress) and upload one file for the document `doc`, retrying
/// a dropped connection after 1, 2 and 4 s; what still fails is offered
/// again with a Retry button. The draft outlives the page, so an upload
/// that finishes after the citizen moved on is still kept.
struct Upload {
    item: Pending,
    base: String,
    t: &'static crate::i18n::Texts,
    uploading: RwSignal<Vec<(u32, String, f64)>>,
    /// The field its errors are said beside (`documents.<n>`).
    field: String,
}

thread_local! {
    /// Kept files being uploaded right now (a page shown again must not
    /// send them a second time).
    static IN_FLIGHT: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
    /// Object URLs of the photos this page uploaded, by file id: thumbnails
    /// show the phone's own copy instead of downloading it back.
    static PREVIEWS: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
}

fn local_preview(id: &str) -> Option<String> {
    PREVIEWS.with(|p| p.borrow().get(id).cloned())
}

/// Let go of every kept photo (the next resident's turn): their memory
/// goes back to the phone and their URLs stop working.
pub fn forget_previews() {
    PREVIEWS.with(|p| {
        for (_, url) in p.borrow_mut().drain() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
}

async fn send_file(
    up: Upload,
    draft: RwSignal<Draft>,
    status: RwSignal<String>,
    problems: Problems,
    failed: RwSignal<Vec<Pending>, LocalStorage>,
) {
    let Upload { item, base, t, uploading, field } = up;
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
            status.try_set(wz(t).w_uploaded.replace("{name}", &fname));
            problems.try_update(|p| p.retain(|(f, _)| !f.starts_with("documents")));
        }
        Err(e) => {
            status.try_set(String::new());
            if matches!(e, api::FetchError::Network) {
                // Still kept on the device; offered again (and on the next visit).
                failed.try_update(|f| f.push(item));
            } else {
                // Refused by the portal: its own words for why, beside the
                // documents (a good file added later clears it).
                pending::remove(&item.id).await;
                let why = refusal(&e, t);
                if problems.try_get_untracked().is_some() {
                    show(problems, vec![(field, format!("{fname}: {why}"))]);
                }
            }
        }
    }
}

/// Why the portal refused a file, in the reader's language: its message
/// for the file (type, picture, size, a PDF it cannot accept, a quota);
/// "try again" for anything else.
fn refusal(e: &api::FetchError, t: &'static crate::i18n::Texts) -> String {
    let api::FetchError::Api { error, .. } = e else { return t.try_again.to_string() };
    let b = &error.error;
    let said = if t.lang == crate::i18n::Lang::En && !b.fields_en.is_empty() {
        &b.fields_en
    } else {
        &b.fields
    };
    said.values().next().cloned().unwrap_or_else(|| t.try_again.to_string())
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
    status.try_set(wz(t).w_uploading.replace("{name}", &fname));
    // Large photos are made smaller on the phone first.
    let original = file.size();
    let blob = crate::bundles::photo::prepare(file.clone()).await;
    let sent_name = if blob.size() < original && !fname.to_lowercase().ends_with(".jpg") {
        format!("{}.jpg", fname.rsplit_once('.').map_or(fname.as_str(), |(stem, _)| stem))
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
            Ok(info) => {
                if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                    PREVIEWS.with(|p| p.borrow_mut().insert(info.id.clone(), url));
                }
                break Ok(info);
            }
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
