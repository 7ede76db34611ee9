//! A procedure in full, in the order a citizen needs it: can I do it
//! online, how long, how much, where; then what to bring, the ways to
//! apply, the steps, and the legal detail last.

use crate::router::Page;
use contract::catalog::{Level, Procedure};
use leptos::prelude::*;

use crate::api;
use crate::components::copy_link::CopyLink;
use crate::components::page::PageHeading;
use crate::components::place::WhereToGo;
use crate::ctx::{use_ctx, use_texts};

#[component]
pub fn ProcedureDetail(code: String) -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts().get_untracked();
    let data = LocalResource::new(move || {
        let code = code.clone();
        let base = ctx.api_base();
        async move {
            let fetched = api::catalog::procedure(&base, &code).await?;
            ctx.offline.set(fetched.offline);
            Ok::<_, api::FetchError>(fetched.data)
        }
    });

    let title = Signal::derive(move || match data.get() {
        None => t.shell().detail_loading_title.to_string(),
        Some(Ok(p)) => p.name,
        Some(Err(e)) if e.is_not_found() => t.shell().detail_not_found.to_string(),
        Some(Err(_)) => t.error_title.to_string(),
    });
    let is_error = Signal::derive(move || matches!(data.get(), Some(Err(_))));

    let body = move || {
        match data.get() {
        None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(Ok(p)) => view! { <Details p=p/> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! {
            <p>{t.not_found_body}</p>
        }
        .into_any(),
        Some(Err(_)) => view! {
            <div class="notice notice-error" role="alert">
                <p>{t.detail_error}</p>
                <button type="button" class="button" on:click=move |_| data.refetch()>{t.retry}</button>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <p class="back"><a href=Page::Procedures.href()>{t.shell().back_to_list}</a></p>
        <PageHeading text=title error=is_error/>
        <crate::shell::host::ListenLater/>
        {body}
    }
}

/// Paragraphs of an unstructured text (imported national records).
fn paragraphs(text: String) -> impl IntoView {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| view! { <p>{l.to_string()}</p> })
        .collect_view()
}

#[component]
fn Details(p: Procedure) -> impl IntoView {
    let t = use_texts().get_untracked();
    let levels = p.levels.clone();
    let levels_text = levels.iter().map(|l| t.level(*l)).collect::<Vec<_>>().join(", ");
    let online = p.online;
    let at_province = levels.contains(&Level::Province);
    let at_commune = levels.contains(&Level::Commune);
    let documents = p.documents.clone();
    let has_documents = !documents.is_empty();
    let channels = p.channels.clone();
    let has_channels = !channels.is_empty();

    let doc_rows = document_rows(&p, documents, t);
    let channel_rows = channel_rows(channels, t);
    let steps = p.steps.iter().cloned().map(|s| view! { <li>{s}</li> }).collect_view();
    let legal = p.legal_basis.iter().cloned().map(|s| view! { <li>{s}</li> }).collect_view();

    // Read in English: its English name, if it has one, and that the rest is Vietnamese.
    let english = (t.lang == crate::i18n::Lang::En).then(|| {
        let name = contract::catalog::english(&p.code)
            .map(|e| view! { <p class="lead" lang="en" id="name-en">{e.0}</p> });
        view! { {name}<p class="notice" id="in-vietnamese">{t.shell().in_vietnamese}</p> }
    });
    view! {
        {english}
        <dl class="facts">
            <div><dt>{t.code}</dt><dd class="code">{p.code.clone()}</dd></div>
            <div><dt>{t.field}</dt><dd>{p.field.clone()}</dd></div>
            <div><dt>{t.level}</dt><dd>{levels_text}</dd></div>
        </dl>

        <section class="glance" aria-labelledby="glance-h">
            <h2 id="glance-h">{t.shell().at_a_glance}</h2>
            <dl>
                <div><dt>{t.online}</dt><dd>{t.online_level(online)}</dd></div>
                <div><dt>{t.time}</dt><dd>{p.time.clone()}</dd></div>
                <div><dt>{t.fee}</dt><dd>{p.fee.clone()}</dd></div>
                <div><dt>{t.place}</dt><dd>{p.place.clone()}</dd></div>
            </dl>
        </section>

        <p class="cta">
            {online.can_submit_online().then(|| view! {
                <a class="button" href=Page::Submit(p.code.clone(), None).href()>{t.shell().submit_cta}</a>
            })}
            // Done at a one-stop desk: a time there can be booked.
            {(at_province || at_commune).then(|| view! {
                " " <a class="button button-secondary" id="book-cta" href=Page::Book.with(&[("thu-tuc", &p.code)])>{t.shell().book_cta}</a>
            })}
        </p>

        {(at_province || at_commune).then(|| view! { <WhereToGo province=at_province commune=at_commune/> })}

        <section aria-labelledby="docs-h">
            <h2 id="docs-h">{t.documents}</h2>
            // Written out, not `ScrollTable`: the shared component cost the
            // first load 1.2 KB brotli (measured 2026-12-08).
            {has_documents.then(|| view! {
                <div class="table-scroll">
                <table class="docs-table">
                    <thead><tr>
                        <th scope="col">{t.doc_name}</th>
                        <th scope="col">{t.originals}</th>
                        <th scope="col">{t.copies}</th>
                        <th scope="col">{t.form}</th>
                    </tr></thead>
                    <tbody>{doc_rows}</tbody>
                </table>
                </div>
            })}

            {p.documents_text.clone().map(|txt| view! {
                <div class="raw"><p class="muted">{t.shell().raw_note}</p>{paragraphs(txt)}</div>
            })}
        </section>

        <section aria-labelledby="channels-h">
            <h2 id="channels-h">{t.shell().channels}</h2>
            {has_channels.then(|| view! {
                <div class="table-scroll">
                <table>
                    <thead><tr>
                        <th scope="col">{t.shell().channel}</th>
                        <th scope="col">{t.time}</th>
                        <th scope="col">{t.fee}</th>
                    </tr></thead>
                    <tbody>{channel_rows}</tbody>
                </table>
                </div>
            })}
            {p.channels_text.clone().map(|txt| view! {
                <div class="raw"><p class="muted">{t.shell().raw_note}</p>{paragraphs(txt)}</div>
            })}
        </section>

        <section aria-labelledby="steps-h">
            <h2 id="steps-h">{t.shell().steps}</h2>
            <ol class="steps">{steps}</ol>
        </section>

        <section aria-labelledby="more-h">
            <h2 id="more-h" class="visually-hidden">{t.agency}</h2>
            <dl class="details">
                <div><dt>{t.agency}</dt><dd>{p.agency.clone()}</dd></div>
                <div><dt>{t.shell().applicants}</dt><dd>{p.applicants.clone()}</dd></div>
                <div><dt>{t.result}</dt><dd>{p.result.clone()}</dd></div>
                <div><dt>{t.shell().requirements}</dt><dd>{paragraphs(p.requirements.clone())}</dd></div>
                <div><dt>{t.shell().legal_basis}</dt><dd>
                    // Legal detail matters to few; collapsed so the page stays short on a phone.
                    <details class="legal"><summary>{t.shell().show_legal_basis}</summary><ul>{legal}</ul></details>
                </dd></div>
            </dl>
        </section>
        <CopyLink/>
    }
}

/// The documents to bring, a row each, with a link to the printable
/// template of a form to fill in.
fn document_rows(
    p: &Procedure,
    documents: Vec<contract::catalog::RequiredDocument>,
    t: &'static crate::i18n::Texts,
) -> impl IntoView {
    // A form or declaration to fill in links to the portal's printable
    // template (markup, not a view: a view here cost the first load 700 bytes).
    let template = format!("{}/procedures/{}/template.html", use_ctx().api_base(), p.code);
    documents
        .into_iter()
        .map(|d| {
            let fill_in = d.form.is_some() || d.name.starts_with("Tờ khai") || d.name.starts_with("Đơn");
            let form = if fill_in {
                let label = d.form.clone().unwrap_or_else(|| t.form.to_string());
                let label = label.replace('&', "&amp;").replace('<', "&lt;");
                format!(r#"<a class="form-template" href="{template}">{label}</a>"#)
            } else {
                "—".to_string()
            };
            // On a phone each row stacks, its cells named by `data-label`.
            let no_form = !fill_in;
            view! {
                <tr>
                    <th scope="row">{d.name.clone()}
                        {d.conditional.then(|| view! { " " <span class="muted">{t.if_applicable}</span> })}
                    </th>
                    <td data-label=t.originals>{d.originals}</td>
                    <td data-label=t.copies>{d.copies}</td>
                    <td data-label=t.form class:none=no_form inner_html=form></td>
                </tr>
            }
        })
        .collect_view()
}

/// How it can be filed (in person, by post, online), each with its time and fee.
fn channel_rows(
    channels: Vec<contract::catalog::ChannelTerms>,
    t: &'static crate::i18n::Texts,
) -> impl IntoView {
    channels
        .into_iter()
        .map(|c| {
            let ch = c.channel;
            view! {
                <tr>
                    <th scope="row">{t.channel(ch)}</th>
                    <td>{c.time.clone()}</td>
                    <td>{c.fee.clone()}{c.note.clone().map(|n| view! { <br/><span class="muted">{n}</span> })}</td>
                </tr>
            }
        })
        .collect_view()
}
