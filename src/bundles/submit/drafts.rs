//! "Hồ sơ đang soạn": the drafts on this device and on the server.

use super::*;
use crate::bundles::texts::account::ac;

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
                .filter_map(|v| crate::json::parse::<Draft>(&v))
                .collect()
        })
        .unwrap_or_default();
    let server = LocalResource::new(move || async move {
        let base = ctx.api_base();
        let mut out = Vec::new();
        for meta in api::dossier::drafts(&base).await.unwrap_or_default() {
            if let Ok(d) = api::dossier::draft::<Draft>(&base, &meta.id).await {
                out.push(d);
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
            return view! { <p>{ac(t).drafts_none}</p> }.into_any();
        }
        all.into_iter()
            .map(|d| {
                let href = crate::router::Page::Submit(d.procedure.clone(), None).href();
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
        <PageHeading text=ac(t).drafts_title.to_string()/>
        <ul class="cards drafts">{list}</ul>
    }
}
