//! One procedure in a result list.

use contract::catalog::{Case, OnlineLevel, ProcedureSummary};
use leptos::prelude::*;

use crate::components::highlight::Highlighted;
use crate::ctx::use_texts;

#[component]
pub fn ProcedureCard(
    summary: ProcedureSummary,
    /// The query's terms, for highlighting (empty: nothing highlighted).
    #[prop(into)]
    terms: Signal<Vec<String>>,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let href = crate::router::Page::Procedure(summary.code.clone()).href();
    let levels = summary.levels.clone();
    let online = summary.online;
    let badge_class = match online {
        OnlineLevel::Full => "badge badge-full",
        OnlineLevel::Partial => "badge badge-partial",
        OnlineLevel::None => "badge badge-none",
    };
    // Near-twins differ by case: said beside the online badge.
    let case = Case::of(&summary.name)
        .map(|c| view! { <span class="badge badge-case">{t.case(c)}</span> });
    // Read in English: the name a reader of English knows it by, if it has one.
    let english = (t.lang == crate::i18n::Lang::En)
        .then(|| contract::catalog::english(&summary.code).map(|e| e.0))
        .flatten();
    let mut meta = summary.field.clone();
    for l in &levels {
        meta.push_str(" · ");
        meta.push_str(t.level(*l));
    }
    for (label, value) in [(t.time, &summary.time), (t.fee, &summary.fee)] {
        meta.push_str(" · ");
        meta.push_str(label);
        meta.push_str(": ");
        meta.push_str(value);
    }
    view! {
        <li class="card">
            <h2 class="card-title">
                <a href=href><Highlighted text=summary.name.clone() terms=terms/></a>
            </h2>
            {english.map(|e| view! { <p class="card-en" lang="en">{e}</p> })}
            <p class="card-meta">{meta}</p>
            <p class="card-foot">
                <span class=badge_class>{t.online_level(online)}</span>
                {case}
                <span class="code">{summary.code.clone()}</span>
            </p>
        </li>
    }
}
