//! The owner's answers on the status page: supplement, withdrawal, rating.

use super::*;

fn supplement_key(code: &str) -> String {
    format!("{}{code}", crate::storage::SUPPLEMENT)
}

/// What a supplement keeps on the device: of the uploader's draft, only
/// its files and the note (the whole draft's JSON code would cost this
/// bundle ~10 KB; earlier whole drafts stored here still read).
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Kept {
    documents: Vec<crate::wizard::DocumentFiles>,
    notes: String,
}

/// Status 5: what is asked, and the same upload as the wizard's documents
/// page. Files chosen are kept (IndexedDB, then the portal); the list of
/// sent files and the note are kept on the device until the supplement goes.
#[component]
pub(super) fn Supplement(code: String, asked: String, act: Action) -> impl IntoView {
    let tt = tt();
    let Action { problems, busy, .. } = act;
    let key = supplement_key(&code);
    let pending_key = format!("bs-{code}");
    let saved: Kept = storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|j| crate::json::parse(&j))
        .unwrap_or_default();
    let draft =
        RwSignal::new(Draft { documents: saved.documents, notes: saved.notes, ..Draft::default() });
    {
        let key = key.clone();
        Effect::new(move |_| {
            let json = draft.with(|d| {
                let kept = Kept { documents: d.documents.clone(), notes: d.notes.clone() };
                crate::json::to_string(&kept).unwrap_or_default()
            });
            if let Some(s) = storage() {
                let _ = s.set_item(&key, &json);
            }
        });
    }
    let documents = vec![RequiredDocument {
        name: tt.supplement_doc.to_string(),
        originals: 0,
        copies: 1,
        form: None,
        conditional: false,
    }];
    let send = move |_| {
        if busy.is_on() {
            return;
        }
        let files: Vec<String> = draft.with_untracked(|d| {
            d.documents.iter().flat_map(|x| x.files.iter().map(|f| f.id.clone())).collect()
        });
        if files.is_empty() {
            return show(problems, vec![("documents.0", tt.supplement_none.to_string())]);
        }
        let req = SupplementRequest { files, note: draft.with_untracked(|d| d.notes.clone()) };
        let (base, code, key) = (act.ctx.api_base(), code.clone(), key.clone());
        let call = async move { api::tracking::supplement(&base, &code, &req).await };
        let sent = move || {
            if let Some(s) = storage() {
                let _ = s.remove_item(&key);
            }
            tt.supplement_sent.to_string()
        };
        act.send(call, &["files"], sent, false);
    };
    view! {
        <section class="panel" aria-labelledby="supplement-h">
            <h2 id="supplement-h">{tt.supplement_title}</h2>
            <p><strong>{tt.supplement_asked}</strong> " " <span id="asked">{asked}</span></p>
            <Documents key=pending_key documents=documents draft=draft problems=problems/>
            <div class="field">
                <label for="supplement-note" class="label">{tt.supplement_note}</label>
                // Kept with the files chosen, so a reload loses neither.
                <textarea id="supplement-note" class="input" rows="3"
                    prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.notes = v); }></textarea>
            </div>
            <button type="button" id="supplement-send" class="button" on:click=send
                aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { act.t.loading } else { tt.supplement_send }}
            </button>
        </section>
    }
}

/// A resident signed in on a dossier filed for them: the claim code makes
/// it theirs (the portal checks it matches their ID number too).
#[component]
pub(super) fn Claim(code: String, act: Action) -> impl IntoView {
    let tt = tt();
    let Action { problems, busy, .. } = act;
    let typed = RwSignal::new(String::new());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = ClaimRequest { claim_code: typed.get_untracked() };
        let (base, code) = (act.ctx.api_base(), code.clone());
        let call = async move { api::tracking::claim(&base, &code, &req).await };
        act.send(call, &["claim_code"], move || tt.claimed.to_string(), true);
    };
    view! {
        <details class="panel claim">
            <summary>{tt.claim_summary}</summary>
            <p>{tt.claim_lead}</p>
            <form class="form" novalidate on:submit=send>
                <Field id="claim_code" label=tt.claim_code problems=problems value=typed
                    inputmode="numeric" autocomplete="off"/>
                <SubmitButton busy=busy>
                    {tt.claim_button}
                </SubmitButton>
            </form>
        </details>
    }
}

/// Ask to withdraw, after a confirmation that says what it means.
#[component]
pub(super) fn Withdraw(code: String, act: Action) -> impl IntoView {
    let tt = tt();
    let busy = act.busy;
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let confirm = move |_| {
        if busy.is_on() {
            return;
        }
        let req = WithdrawRequest { reason: reason.get_untracked() };
        let (base, code) = (act.ctx.api_base(), code.clone());
        let call = async move { api::tracking::withdraw(&base, &code, &req).await };
        act.send(call, &[], move || tt.withdrawn.to_string(), true);
    };
    view! {
        <section class="panel panel-quiet" aria-labelledby="withdraw-h">
            {move || if confirming.get() {
                let confirm = confirm.clone();
                view! {
                    <h2 id="withdraw-h" tabindex="-1">{tt.withdraw_title}</h2>
                    <p>{tt.withdraw_warning}</p>
                    <div class="field">
                        <label for="withdraw-reason" class="label">{tt.withdraw_reason}</label>
                        <textarea id="withdraw-reason" class="input" rows="2"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </div>
                    <p class="actions-row">
                        <button type="button" id="withdraw-confirm" class="button button-danger" on:click=confirm
                            aria-disabled=move || busy.get().then_some("true")>{tt.withdraw_confirm}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            confirming.set(false);
                            focus_id("withdraw");
                        }>{tt.withdraw_cancel}</button>
                    </p>
                }.into_any()
            } else {
                view! {
                    <h2 id="withdraw-h" class="visually-hidden">{tt.withdraw_button}</h2>
                    <button type="button" id="withdraw" class="button button-secondary" on:click=move |_| {
                        confirming.set(true);
                        focus_id("withdraw-h");
                    }>{tt.withdraw_button}</button>
                }.into_any()
            }}
        </section>
    }
}

/// The national portal's three levels and a comment, once per dossier.
#[component]
pub(super) fn Rate(code: String, rating: Option<Rating>, act: Action) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let name = |l: Satisfaction| if t.lang == Lang::Vi { l.vi() } else { l.en() };
    if let Some(r) = rating {
        return view! {
            <section class="panel" aria-labelledby="rate-h">
                <h2 id="rate-h">{tt.rate_title}</h2>
                <p id="rated">{tt.rated.replace("{level}", name(r.level))}</p>
            </section>
        }
        .into_any();
    }
    let level: RwSignal<Option<Satisfaction>> = RwSignal::new(None);
    let comment = RwSignal::new(String::new());
    let Action { problems, busy, .. } = act;
    let first = format!("level-{}", Satisfaction::ALL[0].slug());
    let submit = busy.submit(move || {
        let Some(l) = level.get_untracked() else {
            return show(problems, vec![(first.clone(), tt.rate_choose.to_string())]);
        };
        let req = Rating { level: l, comment: comment.get_untracked() };
        let (base, code) = (act.ctx.api_base(), code.clone());
        let call = async move { api::tracking::rate(&base, &code, &req).await };
        act.send(call, &[], move || tt.rated.replace("{level}", name(l)), false);
    });
    let options = Satisfaction::ALL
        .into_iter()
        .map(|l| {
            let id = format!("level-{}", l.slug());
            view! {
                <div class="choice">
                    <input type="radio" name="level" id=id.clone() value=l.slug()
                        prop:checked=move || level.get() == Some(l)
                        on:change=move |_| level.set(Some(l))/>
                    <label for=id>{name(l)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="rate-h">
            <h2 id="rate-h">{tt.rate_title}</h2>
            <form class="form" novalidate on:submit=submit>
                <fieldset class="field">
                    <legend class="label">{tt.rate_legend}</legend>
                    {options}
                </fieldset>
                <div class="field">
                    <label for="rate-comment" class="label">{tt.rate_comment}</label>
                    <textarea id="rate-comment" class="input" rows="3"
                        prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" id="rate-send" class="button"
                    aria-disabled=move || busy.get().then_some("true")>{tt.rate_send}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The owner's actions (supplement, claim, withdraw, rate) on the status
/// page: the dossier shown, the problems, one request at a time (for all
/// of the page's actions together).
#[derive(Clone, Copy)]
pub(super) struct Action {
    t: &'static crate::i18n::Texts,
    ctx: crate::ctx::Ctx,
    data: RwSignal<Option<Tracking>>,
    problems: Problems,
    busy: Busy,
}

impl Action {
    pub(super) fn new(data: RwSignal<Option<Tracking>>, problems: Problems) -> Action {
        let (t, ctx, busy) = (use_texts().get_untracked(), use_ctx(), Busy::new());
        Action { t, ctx, data, problems, busy }
    }

    /// Send the action (unless one is on its way). What it answers: the
    /// dossier as it is now, kept on the device, `said()` announced to
    /// screen readers, shown, the problems cleared; focus goes to the status
    /// when the action changed who or where the dossier is (claim,
    /// withdraw). Refused: the problems are shown at `fields`.
    fn send(
        self,
        call: impl std::future::Future<Output = Result<Tracking, FetchError>> + 'static,
        fields: &'static [&'static str],
        said: impl FnOnce() -> String + 'static,
        to_status: bool,
    ) {
        let Action { t, ctx, data, problems, busy } = self;
        busy.run(async move {
            match call.await {
                Ok(fresh) => {
                    remember(&fresh);
                    problems.set(Vec::new());
                    ctx.announcement.set(said());
                    data.set(Some(fresh));
                    if to_status {
                        focus_id("status");
                    }
                }
                Err(e) => show_api(problems, &e, t, fields),
            }
        });
    }
}
