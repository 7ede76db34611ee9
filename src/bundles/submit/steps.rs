//! The wizard's question pages: who and where, the applicant, the request, delivery.

use super::*;
use crate::bundles::texts::account::ac;
use crate::bundles::texts::wizard::wz;

/// The `<option>`s of a choice of desk, the province's named as its centre.
pub(super) fn unit_options<'a>(units: impl Iterator<Item = &'a Unit>, selected: &str) -> AnyView {
    let t = use_texts().get_untracked();
    units
        .map(|u| {
            let name = if u.kind == UnitKind::Province {
                t.province_centre.to_string()
            } else {
                u.name.clone()
            };
            view! { <option value=u.code.clone() selected=u.code == selected>{name}</option> }
        })
        .collect_view()
        .into_any()
}

pub(super) fn field_error(problems: Problems, id: &'static str) -> impl IntoView {
    move || {
        error_for(problems, id)
            .map(|m| view! { <p id=format!("{id}-error") class="field-error">{m}</p> })
    }
}

/// The relationships offered (kept in Vietnamese, shown in the reader's
/// language); one typed in an older draft stays, as typed.
fn relationship_options(chosen: String, vi: bool) -> AnyView {
    let known = contract::dossier::RELATIONSHIPS.iter().any(|(v, _)| *v == chosen);
    let typed = (!known && !chosen.trim().is_empty())
        .then(|| view! { <option value=chosen.clone() selected=true>{chosen.clone()}</option> });
    let offered = contract::dossier::RELATIONSHIPS
        .iter()
        .map(|(v, e)| view! { <option value=*v selected=chosen == *v>{if vi { *v } else { *e }}</option> })
        .collect_view();
    view! { {typed}{offered} }.into_any()
}

pub(super) fn who(
    p: &Procedure,
    units: &[Unit],
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    // The commune chosen on the procedure page comes preselected.
    if draft.with_untracked(|d| d.unit.is_empty()) {
        if let Some(code) = crate::components::place::remembered_place() {
            let fits = units.iter().any(|u| {
                u.code == code && p.levels.contains(&crate::search::filters::level_of(u.kind))
            });
            if fits {
                draft.update(|d| d.unit = code);
            }
        }
    }
    let selected = draft.with_untracked(|d| d.unit.clone());
    let at_level = |u: &&Unit| p.levels.contains(&crate::search::filters::level_of(u.kind));
    let options = unit_options(units.iter().filter(at_level), &selected);
    let relationship = bind(draft, |d| d.relationship.clone(), |d, v| d.relationship = v);
    let behalf = move || draft.with(|d| d.on_behalf);
    let me_now = crate::ctx::use_ctx().me;
    view! {
        <div class="field" class:field-invalid=move || error_for(problems, "unit").is_some()>
            <label for="unit" class="label">{wz(t).w_unit}</label>
            <p id="unit-hint" class="hint">{wz(t).w_unit_hint}</p>
            {field_error(problems, "unit")}
            <select id="unit" class="input" aria-describedby="unit-hint"
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.unit = v); }>
                <option value="">"—"</option>
                {options}
            </select>
        </div>
        <fieldset class="field">
            <legend class="label">{wz(t).w_for_whom}</legend>
            <div class="choice">
                <input type="radio" id="self" name="for" prop:checked=move || !behalf()
                    on:change=move |_| {
                        let me = me_now.get_untracked();
                        draft.update(|d| {
                            d.on_behalf = false;
                            // One's own details again (cleared for someone else's).
                            if let Some(me) = me.filter(|m| m.identity_verified || d.applicant.full_name.is_empty()) {
                                d.applicant.full_name = me.full_name;
                                d.applicant.citizen_id = me.citizen_id;
                                d.applicant.birth_date = me.birth_date;
                                if d.applicant.phone.is_empty() {
                                    d.applicant.phone = me.phone;
                                }
                            }
                        })
                    }/>
                <label for="self">{wz(t).w_self}</label>
            </div>
            <div class="choice">
                <input type="radio" id="behalf" name="for" prop:checked=behalf
                    on:change=move |_| {
                        // A youth-union volunteer files as one, unless they say
                        // otherwise (set before the list is drawn, which reads it).
                        let volunteer = me_now.with_untracked(|m| m.as_ref().is_some_and(|m| m.volunteer));
                        if volunteer && relationship.get_untracked().is_empty() {
                            relationship.set(contract::dossier::RELATIONSHIPS[6].0.to_string());
                        }
                        draft.update(|d| {
                            if !d.on_behalf {
                                // Someone else's details, not mine.
                                d.on_behalf = true;
                                d.applicant = Default::default();
                            }
                        })
                    }/>
                <label for="behalf">{wz(t).w_behalf}</label>
            </div>
        </fieldset>
        {move || behalf().then(|| view! {
            <div class="field" class:field-invalid=move || error_for(problems, "relationship").is_some()>
                <label for="relationship" class="label">{wz(t).w_relationship}</label>
                <p id="relationship-hint" class="hint">{wz(t).w_relationship_hint}</p>
                {field_error(problems, "relationship")}
                <select id="relationship" class="input" aria-describedby="relationship-hint"
                    on:change=move |ev| relationship.set(event_target_value(&ev))>
                    <option value="">{wz(t).w_relationship_choose}</option>
                    {relationship_options(relationship.get_untracked(), t.lang == crate::i18n::Lang::Vi)}
                </select>
            </div>
            // The message above the box, not squeezed beside it; a box a thumb can hit.
            <div class="field" class:field-invalid=move || error_for(problems, "consent").is_some()>
                {field_error(problems, "consent")}
                <div class="choice choice-large">
                    <input type="checkbox" id="consent" prop:checked=move || draft.with(|d| d.consent)
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.consent = on); }/>
                    <label for="consent">{wz(t).w_consent}</label>
                </div>
            </div>
        })}
    }
}

pub(super) fn applicant(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    // Someone else's details: the browser must not fill in the filer's own.
    let own = !draft.with_untracked(|d| d.on_behalf);
    let auto = move |what: &'static str| if own { what } else { "off" };
    // Filing for oneself with an identity VNeID proved: who one is comes
    // from VNeID, shown, not typed (the portal uses the proven one too).
    let proven = own
        && crate::ctx::use_ctx()
            .me
            .with_untracked(|m| m.as_ref().is_some_and(|m| m.identity_verified));
    let who = if proven {
        let (name, id, birth) = draft.with_untracked(|d| {
            (
                d.applicant.full_name.clone(),
                d.applicant.citizen_id.clone(),
                d.applicant.birth_date.clone(),
            )
        });
        view! {
            <section class="proven" id="applicant-proven" aria-labelledby="proven-h">
                <h2 id="proven-h" class="label">
                    <span class="badge badge-good">{wz(t).w_from_vneid}</span>
                </h2>
                <p class="hint">{wz(t).w_from_vneid_hint}</p>
                <dl class="summary">
                    <div><dt>{ac(t).name_label}</dt><dd id="proven-name">{name}</dd></div>
                    <div><dt>{ac(t).citizen_id_label}</dt><dd id="proven-id">{id}</dd></div>
                    <div><dt>{ac(t).birth_label}</dt><dd id="proven-birth">{birth}</dd></div>
                </dl>
            </section>
        }
        .into_any()
    } else {
        view! {
            <Field id="applicant.full_name" label=ac(t).name_label problems=problems autocomplete=auto("name")
                value=bind(draft, |d| d.applicant.full_name.clone(), |d, v| d.applicant.full_name = v)/>
            <Field id="applicant.citizen_id" label=ac(t).citizen_id_label hint=ac(t).citizen_id_hint problems=problems inputmode="numeric"
                value=bind(draft, |d| d.applicant.citizen_id.clone(), |d, v| d.applicant.citizen_id = v)/>
            <Field id="applicant.birth_date" label=ac(t).birth_label hint=ac(t).birth_hint problems=problems inputmode="numeric"
                value=bind(draft, |d| d.applicant.birth_date.clone(), |d, v| d.applicant.birth_date = v)/>
        }
        .into_any()
    };
    view! {
        {who}
        <Field id="applicant.phone" label=ac(t).phone_label problems=problems kind="tel" autocomplete=auto("tel")
            hint=if own { "" } else { wz(t).w_phone_behalf_hint }
            value=bind(draft, |d| d.applicant.phone.clone(), |d, v| d.applicant.phone = v)/>
        <Field id="applicant.email" label=ac(t).email_label problems=problems kind="email" autocomplete=auto("email")
            value=bind(draft, |d| d.applicant.email.clone(), |d, v| d.applicant.email = v)/>
        <Field id="applicant.address" label=wz(t).w_address problems=problems autocomplete=auto("street-address")
            value=bind(draft, |d| d.applicant.address.clone(), |d, v| d.applicant.address = v)/>
    }
}

/// What is asked for (not when an e-form already said it), how many
/// copies, notes.
pub(super) fn request(
    draft: RwSignal<Draft>,
    problems: Problems,
    said_by_form: bool,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let text = bind(draft, |d| d.request.clone(), |d, v| d.request = v);
    let notes = bind(draft, |d| d.notes.clone(), |d, v| d.notes = v);
    view! {
        {(!said_by_form).then(|| view! {
        <div class="field" class:field-invalid=move || error_for(problems, "request").is_some()>
            <label for="request" class="label">{wz(t).w_request}</label>
            <p id="request-hint" class="hint">{wz(t).w_request_hint}</p>
            {field_error(problems, "request")}
            <textarea id="request" class="input" rows="4" aria-describedby="request-hint"
                prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        </div>
        })}
        <Field id="copies" label=wz(t).w_copies problems=problems inputmode="numeric"
            value=bind(draft, |d| d.copies.clone(), |d, v| d.copies = v)/>
        <div class="field">
            <label for="notes" class="label">{wz(t).w_notes}</label>
            <textarea id="notes" class="input" rows="3"
                prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
        </div>
    }
}

pub(super) fn delivery(
    units: &[Unit],
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
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
    // The result at the desk: the one chosen in step 1, unless told otherwise.
    if draft.with_untracked(|d| d.office_unit.is_empty() && !d.unit.is_empty()) {
        draft.update(|d| d.office_unit = d.unit.clone());
    }
    let selected = draft.with_untracked(|d| d.office_unit.clone());
    let offices = unit_options(units.iter(), &selected);
    view! {
        <fieldset class="field" class:field-invalid=move || error_for(problems, "delivery").is_some()>
            <legend class="label">{wz(t).w_delivery}</legend>
            {field_error(problems, "delivery")}
            {radio("online", wz(t).w_online)}
            {radio("post", wz(t).w_post)}
            {radio("office", wz(t).w_office)}
        </fieldset>
        <div class="field" class:hidden=move || kind() != "post">
            <label for="post_address" class="label">{wz(t).w_post_address}</label>
            <input id="post_address" class="input" autocomplete=crate::components::form::autofill("street-address")
                prop:value=address on:input=move |ev| address.set(event_target_value(&ev))/>
        </div>
        <div class="field" class:hidden=move || kind() != "office">
            <label for="office_unit" class="label">{wz(t).w_office_unit}</label>
            <select id="office_unit" class="input"
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.office_unit = v); }>
                <option value="">"—"</option>
                {offices}
            </select>
        </div>
    }
}
