//! My dossiers: the signed-in citizen's list, filtered by what needs them.

use super::*;

// -------------------------------------------------------------- my dossiers

/// "Hồ sơ của tôi": the signed-in citizen's dossiers, filtered by what
/// needs doing (`?nhom=`) and by code or procedure (`?q=`), both in the URL.
#[component]
pub fn Mine() -> impl IntoView {
    let FormKit { t, ctx, location, .. } = FormKit::new();
    crate::ctx::require_account(|| Page::Mine.href());
    let tt = tt();
    let group = RwSignal::new(Group::from_slug(&location.param("nhom")));
    let q = RwSignal::new(location.param("q"));
    // Keep the filters in the URL (replaced, not a history entry each).
    Effect::new(move |prev: Option<()>| {
        let (g, text) = (group.get(), q.get());
        if prev.is_some() {
            let group = g.map(|g| g.slug()).unwrap_or_default();
            location.replace(&Page::Mine.with(&[("nhom", group), ("q", &text)]));
        }
    });
    // Kept on the device for offline (cleared at sign-out, as the rest of
    // what is personal); shown with a notice when the network is gone.
    let list = my_dossiers(ctx);
    let shown = move || {
        let Some(result) = list.get() else {
            return view! { <p class="loading">{t.loading}</p> }.into_any();
        };
        let (all, kept) = match result {
            Ok(got) => got,
            Err(_) => {
                return view! { <crate::components::page::Unreachable retry=move || list.refetch()/> }
                .into_any()
            }
        };
        if all.is_empty() {
            return view! { <p>{tt.mine_none}</p> }.into_any();
        }
        let words = contract::text::words(&q.get());
        let g = group.get();
        let matching: Vec<_> = all
            .into_iter()
            .filter(|d| {
                let s = d.status;
                g.is_none_or(|g| Group::of(s) == g)
            })
            .filter(|d| {
                let hay = contract::text::fold(&format!("{} {}", d.code, d.procedure_name));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect();
        if matching.is_empty() {
            return view! { <p role="status">{tt.mine_none_match}</p> }.into_any();
        }
        let count = t.count(tt.mine_count, matching.len());
        let base = ctx.api_base();
        let items = matching.into_iter().map(|d| mine_card(d, tt, &base)).collect_view();
        view! {
            {kept.then(|| view! { <p class="notice" id="mine-offline">{t.offline_notice}</p> })}
            <p role="status">{count}</p>
            <ul class="cards">{items}</ul>
        }
        .into_any()
    };
    let choices = [(None, tt.mine_all)]
        .into_iter()
        .chain(Group::ALL.into_iter().map(|g| {
            (
                Some(g),
                match g {
                    Group::NeedsYou => tt.mine_action,
                    Group::InHand => tt.mine_in_hand,
                    Group::Finished => tt.mine_done,
                },
            )
        }))
        .map(|(g, label)| {
            view! {
                <option value=g.map(|g| g.slug()).unwrap_or("") selected=move || group.get() == g>{label}</option>
            }
        })
        .collect_view();
    view! {
        <PageHeading text=tt.mine_title.to_string()/>
        <p>{tt.mine_lead}</p>
        <div class="filters">
            <div class="field">
                <label for="nhom" class="label">{tt.mine_filter}</label>
                <select id="nhom" class="input" on:change=move |ev| group.set(Group::from_slug(&event_target_value(&ev)))>
                    {choices}
                </select>
            </div>
            <div class="field">
                <label for="mine-q" class="label">{tt.mine_search}</label>
                <input id="mine-q" class="input" type="search" autocomplete="off" spellcheck="false"
                    prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
        </div>
        {shown}
        <p><a href=Page::Track.href()>{tt.lookup_title}</a></p>
        <crate::bundles::booking::Bookings/>
    }
}

/// The signed-in citizen's dossiers, kept on the device for offline
/// (cleared at sign-out, as the rest of what is personal): with whether
/// they are the kept copy (the network is gone).
fn my_dossiers(
    ctx: crate::ctx::Ctx,
) -> LocalResource<Result<(Vec<contract::dossier::DossierSummary>, bool), FetchError>> {
    LocalResource::new(move || {
        let base = ctx.api_base();
        async move {
            match api::tracking::mine(&base).await {
                Ok(all) => {
                    if let Some(json) = crate::json::to_string(&all) {
                        crate::offline::save(crate::storage::MINE, &json);
                    }
                    Ok((all, false))
                }
                Err(FetchError::Network) => crate::offline::load(crate::storage::MINE)
                    .and_then(|j| crate::json::parse(&j))
                    .map(|all| (all, true))
                    .ok_or(FetchError::Network),
                Err(e) => Err(e),
            }
        }
    })
}

/// One dossier of "Hồ sơ của tôi", with its electronic results to download.
fn mine_card(
    d: contract::dossier::DossierSummary,
    tt: &'static crate::bundles::texts::track::TrackTexts,
    base: &str,
) -> impl IntoView {
    let due = if d.due_date.is_empty() { tt.no_due } else { &d.due_date };
    let dates = format!("{}: {} · {}: {due}", tt.received, d.received_at, tt.due);
    let href = status_href(&d.code, &d.token);
    let results = d
        .results
        .iter()
        .map(|r| {
            let at = format!("{base}/dossiers/{}/results/{}", d.code, r.n);
            view! { <li><a href=at download class="result-link">{format!("{} · {}", r.code, r.name)}</a></li> }
        })
        .collect_view();
    let extra = (!d.results.is_empty())
        .then(|| view! { <ul class="results card-results" aria-label=tt.results_title>{results}</ul> })
        .into_any();
    dossier_card(d.procedure_name, href, d.code, d.status, tt.needs_you, dates, extra)
}
