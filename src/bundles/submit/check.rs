//! Check your answers: every answer with a Change link, then submit once.

use super::*;
use crate::bundles::texts::account::ac;
use crate::bundles::texts::wizard::wz;
use crate::i18n::Texts;

/// Every answer with a link back to change it, the fees, and the one submit.
#[component]
pub(super) fn CheckAnswers(
    p: Procedure,
    units: Vec<Unit>,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let busy = Busy::new();
    let d = draft.get_untracked();
    // A price per copy is said as the total for the copies asked.
    let copies = d.copies.trim().parse().unwrap_or(1);
    let fee = contract::catalog::fee_for_copies(p.online_fee(), copies)
        .unwrap_or_else(|| p.online_fee().to_string());
    let rows = answers(t, &p, &units, &d);
    let submit = submit_handler(p, units, draft, problems, busy);
    view! {
        <div class="answers check-answers">{rows}</div>
        <p><strong>{t.fee}</strong>": " {fee}</p>
        <form class="form" novalidate on:submit=submit>
            <div class="field" class:field-invalid=move || error_for(problems, "declaration").is_some()>
                {super::steps::field_error(problems, "declaration")}
                <div class="choice choice-large">
                    <input type="checkbox" id="declaration" prop:checked=move || draft.with(|d| d.declaration)
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.declaration = on); }/>
                    <label for="declaration">{if t.lang == crate::i18n::Lang::Vi { contract::dossier::DECLARATION.0 } else { contract::dossier::DECLARATION.1 }}</label>
                </div>
            </div>
            <SubmitButton busy=busy>
                {move || if busy.get() { wz(t).w_submitting } else { wz(t).w_submit }}
            </SubmitButton>
        </form>
    }
}

/// "Sửa": back to the page (the form's part), to the field, and from
/// there straight back here.
fn edit(code: &str, page: Page, part: Option<usize>, field: &str) -> String {
    let part = part.map_or(String::new(), |n| format!("phan={}&", n + 1));
    format!("{}?{part}sua=1&o={field}", Route::Submit(code.to_string(), Some(page)).href())
}

/// One group of answers: its title, its Change link and its rows (all of
/// one type: one copy of the drawing code).
fn group(
    t: &'static Texts,
    (n, title): (usize, String),
    href: String,
    pairs: Vec<(&'static str, String)>,
) -> impl IntoView {
    let rows = pairs
        .into_iter()
        .map(|(label, value)| {
            view! {
                <div>
                    <dt>{label}</dt>
                    <dd>{if value.trim().is_empty() { wz(t).w_none.to_string() } else { value }}</dd>
                </div>
            }
        })
        .collect_view();
    let (h, labelled) = (format!("check-{n}"), format!("check-{n}"));
    view! {
        <section class="check-group" aria-labelledby=labelled>
            <div class="check-head">
                <h2 id=h>{title.clone()}</h2>
                <a class="change no-read" href=href>{wz(t).w_change}<span class="visually-hidden">{format!(": {title}")}</span></a>
            </div>
            <dl class="answers">{rows}</dl>
        </section>
    }
}

/// The electronic form's answers, one group per section of the form.
fn form_groups(t: &'static Texts, code: &str, d: &Draft) -> Option<impl IntoView> {
    let vi = t.lang == crate::i18n::Lang::Vi;
    let f = d.eform()?;
    let answers = f.clean(&d.form).answers;
    let groups = f
        .sections
        .iter()
        .enumerate()
        .filter_map(|(n, s)| {
            let asked: Vec<_> =
                s.fields.iter().filter(|x| contract::eform::Form::asked(x, &answers)).collect();
            let first = asked.first()?;
            let rows = asked
                .iter()
                .map(|x| {
                    let value = answers.get(x.id).map(|v| x.shown(v, vi)).unwrap_or_default();
                    (if vi { x.label.0 } else { x.label.1 }, value)
                })
                .collect();
            let href = edit(code, Page::Form, Some(n), &format!("form.{}", first.id));
            Some(group(t, (10 + n, super::eform::title(f, n).to_string()), href, rows))
        })
        .collect_view();
    Some(groups)
}

/// Every answer, grouped by the page that asked it.
fn answers(t: &'static Texts, p: &Procedure, units: &[Unit], d: &Draft) -> impl IntoView {
    let code = p.code.as_str();
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
        .map(|x| format!("{} ({} {})", x.name, x.files.len(), ac(t).r_files))
        .collect::<Vec<_>>()
        .join("; ");
    let delivery = match d.delivery.as_str() {
        "post" => format!("{}: {}", wz(t).w_post, d.post_address),
        "office" => format!("{}: {}", wz(t).w_office, unit_name(&d.office_unit)),
        _ => wz(t).w_online.to_string(),
    };
    let a = &d.applicant;
    let first_doc = p
        .documents
        .iter()
        .position(|x| !d.eform().is_some_and(|f| f.replaces(&x.name)))
        .unwrap_or(0);
    let for_whom = if d.on_behalf {
        format!("{} ({})", wz(t).w_behalf, d.relationship)
    } else {
        wz(t).w_self.to_string()
    };
    let who_rows = vec![(wz(t).w_unit, unit_name(&d.unit)), (wz(t).w_for_whom, for_whom)];
    let applicant_rows = vec![
        (ac(t).name_label, a.full_name.clone()),
        (ac(t).citizen_id_label, a.citizen_id.clone()),
        (ac(t).birth_label, a.birth_date.clone()),
        (ac(t).phone_label, a.phone.clone()),
        (wz(t).w_address, a.address.clone()),
    ];
    // The e-form said what is asked for: not asked, so not shown again.
    let said_by_form = d.eform().is_some();
    let mut asked = Vec::new();
    if !said_by_form {
        asked.push((wz(t).w_request, d.request.clone()));
    }
    asked.push((wz(t).w_copies, d.copies.clone()));
    if !d.notes.trim().is_empty() {
        asked.push((wz(t).w_notes, d.notes.clone()));
    }
    let (request_title, request_first) =
        if said_by_form { (wz(t).w_copies_notes, "copies") } else { (wz(t).w_request, "request") };
    let documents_rows =
        vec![(wz(t).w_documents, if files == 0 { String::new() } else { documents })];
    let delivery_rows = vec![(wz(t).w_delivery, delivery)];
    view! {
        {group(t, (1, wz(t).w_who.to_string()), edit(code, Page::Who, None, "unit"), who_rows)}
        {group(t, (2, wz(t).w_applicant.to_string()), edit(code, Page::Applicant, None, "applicant.phone"), applicant_rows)}
        {form_groups(t, code, d)}
        {group(t, (3, request_title.to_string()), edit(code, Page::Request, None, request_first), asked)}
        {group(t, (4, wz(t).w_documents.to_string()), edit(code, Page::Documents, None, &format!("documents.{first_doc}")), documents_rows)}
        {group(t, (5, wz(t).w_delivery.to_string()), edit(code, Page::Delivery, None, &format!("delivery-{}", d.delivery)), delivery_rows)}
    }
}

/// The one submit: every problem of the draft first (each linking to its
/// page); then sent, or kept to go by itself when the network is down, or
/// through a sign-in when the session ended.
fn submit_handler(
    p: Procedure,
    units: Vec<Unit>,
    draft: RwSignal<Draft>,
    problems: Problems,
    busy: Busy,
) -> impl Fn(leptos::ev::SubmitEvent) {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let location = use_location();
    busy.submit(move || {
        let d = draft.get_untracked();
        let found = problems_for_all(&d, &p, &units);
        if !found.is_empty() {
            return show(problems, found);
        }
        busy.run(async move {
            match api::dossier::submit(&ctx.api_base(), &d.to_request(), &d.key).await {
                Ok(r) => {
                    forget(&d.procedure);
                    crate::bundles::outbox::remove(&d.key);
                    location.navigate(&Route::Receipt(r.code).with(&[("t", &r.token)]));
                }
                Err(api::FetchError::Network) => {
                    // Kept to go by itself once the portal answers again.
                    crate::bundles::outbox::put(&crate::bundles::outbox::Waiting {
                        key: d.key.clone(),
                        procedure: d.procedure.clone(),
                        procedure_name: d.procedure_name.clone(),
                        request: d.to_request(),
                    });
                    ctx.outbox.try_update(|n| *n = crate::bundles::outbox::count());
                    show(problems, vec![(String::new(), wz(t).w_submit_failed.to_string())])
                }
                // The session ended: everything stays in the draft; sign in and come back here.
                Err(api::FetchError::Api { status: 401, .. }) => {
                    let here = Route::Submit(d.procedure.clone(), Some(Page::Check)).href();
                    location.navigate(&sign_in_then(&here, true));
                    ctx.me.set(None);
                }
                Err(e) => show_api(problems, &e, t, &[]),
            }
        });
    })
}

/// Every problem of the draft, each linking to the page that fixes it.
pub(super) fn problems_for_all(d: &Draft, p: &Procedure, units: &[Unit]) -> Vec<(String, String)> {
    problems(Page::Check, d, p, units, today())
        .into_iter()
        .map(|(f, pr)| {
            // The declaration is answered here, beside the submit button.
            if f == "declaration" {
                return (f, text_of(&pr));
            }
            let page = Page::of_field(&f);
            let href = Route::Submit(p.code.clone(), Some(page));
            let href = if page == Page::Form {
                let part = crate::wizard::form_section(d, &f) + 1;
                href.with(&[("phan", &part.to_string())])
            } else {
                href.href()
            };
            (href, text_of(&pr))
        })
        .collect()
}
