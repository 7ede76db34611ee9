//! Volunteers: the next resident, and the dossiers they helped with.

use super::*;
use contract::dossier::AssistedDossier;

// ------------------------------------------------------------ volunteers

/// "Người tiếp theo": the portal first stops showing the previous
/// residents' details to this volunteer (so Back, or a tap on the
/// dashboard, shows no more than initials), then the device forgets them
/// (drafts, statuses kept offline, files waiting, the tab's storage),
/// keeping the volunteer signed in. Should the portal not answer, the
/// device is wiped all the same and the portal's own one-day limit holds.
#[component]
pub fn NextResident() -> impl IntoView {
    let tt = tt();
    let ctx = use_ctx();
    let location = use_location();
    let busy = RwSignal::new(false);
    view! {
        <button type="button" id="next-resident" class="button" disabled=move || busy.get() on:click=move |_| {
            busy.set(true);
            leptos::task::spawn_local(async move {
                let base = ctx.api_base();
                for _ in 0..3 {
                    if api::tracking::hand_over(&base).await.is_ok() {
                        break;
                    }
                }
                crate::storage::wipe(crate::storage::Wipe::NextResident);
                crate::bundles::uploader::forget_previews();
                ctx.announcement.set(tt.next_resident_done.to_string());
                busy.try_set(false);
                location.navigate(&Page::Assisted.with(&[("moi", "1")]));
            });
        }>{tt.next_resident}</button>
    }
}

/// A volunteer's dashboard: the dossiers they filed for residents, their
/// statuses, and which need the resident to act.
#[component]
pub fn Assisted() -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    crate::ctx::require_account(|| Page::Assisted.href());
    let fresh = !use_location().param("moi").is_empty();
    let list = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { api::tracking::assisted(&base).await }
    });
    let shown = move || {
        match list.get() {
        None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="notice notice-error" role="alert">
                <p>{if matches!(e, FetchError::Api { status: 403, .. }) { t.try_again } else { t.network_error }}</p>
            </div>
        }
        .into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p>{tt.assisted_none}</p> }.into_any(),
        Some(Ok(all)) => view! { <ul class="cards">{all
            .into_iter()
            .map(|AssistedDossier { dossier: d, resident }| {
                let about = format!("{} · {}: {}", d.code, tt.resident, resident);
                let dates = format!("{}: {}", tt.received, d.received_at);
                let href = status_href(&d.code, &d.token);
                // A jammed print: the receipt again, without the resident's details.
                let again = Page::Receipt(d.code.clone()).with(&[("t", &d.token)]);
                let extra = view! {
                    <p class="card-foot"><a href=again class="reprint">{tt.reprint}<span class="visually-hidden">{format!(": {}", d.code)}</span></a></p>
                }
                .into_any();
                dossier_card(d.procedure_name, href, about, d.status, tt.needs_resident, dates, extra)
            })
            .collect_view()}</ul> }
            .into_any(),
    }
    };
    view! {
        <PageHeading text=tt.assisted_title.to_string()/>
        {fresh.then(|| view! { <p class="notice" role="status">{tt.next_resident_done}</p> })}
        <p>{tt.assisted_lead}</p>
        <p class="actions-row">
            <a class="button" href=Page::Procedures.href()>{t.nav_procedures}</a>
            <NextResident/>
        </p>
        // Only a list when there is something to list (an empty or failed
        // load is a sentence, not a list item).
        <div id="assisted">{shown}</div>
    }
}
