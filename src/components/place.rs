//! Where to go: the province's public service centre or a commune or ward
//! one-stop desk, with its address and opening hours.

use contract::catalog::{Unit, UnitKind};
use leptos::prelude::*;

use crate::api;
use crate::ctx::{use_ctx, use_texts};
use crate::offline;

/// The units, loaded when a page needs them (`None` until they arrive, empty
/// if they cannot be had: they help, but no page depends on them). A signal
/// filled by a task rather than a resource: each resource type costs ~3 KB
/// of wasm.
pub fn use_units() -> ReadSignal<Option<Vec<Unit>>> {
    let ctx = use_ctx();
    let (units, set_units) = signal(None);
    leptos::task::spawn_local(async move {
        let got = api::catalog::units(&ctx.api_base()).await;
        set_units.try_set(Some(got.map(|f| f.data).unwrap_or_default()));
    });
    units
}

/// The desk the citizen chose last time (on any page), if any; on a kiosk
/// nobody has chosen on yet, the desk the kiosk stands at.
pub fn remembered_place() -> Option<String> {
    offline::load(crate::storage::PLACE).filter(|c| !c.is_empty()).or_else(crate::kiosk::place)
}

pub fn remember_place(code: &str) {
    offline::save(crate::storage::PLACE, code);
}

/// How a unit is named in a list of places.
pub fn place_name(u: &Unit) -> String {
    if u.kind == UnitKind::Province {
        use_texts().get_untracked().province_centre.to_string()
    } else {
        u.name.clone()
    }
}

/// `<option>`s for a place `<select>`: the province's centre (unless
/// `communes_only`), then the communes and wards in an `<optgroup>`.
pub fn place_options(units: &[Unit], selected: Option<&str>, communes_only: bool) -> AnyView {
    let t = use_texts().get_untracked();
    let option = |u: &Unit| {
        let is = selected == Some(u.code.as_str());
        view! { <option value=u.code.clone() selected=is>{place_name(u)}</option> }
    };
    let centre = (!communes_only)
        .then(|| units.iter().filter(|u| u.kind == UnitKind::Province).map(option).collect_view());
    let local = units.iter().filter(|u| u.kind != UnitKind::Province).map(option).collect_view();
    view! { {centre}<optgroup label=t.communes_group>{local}</optgroup> }.into_any()
}

/// A desk's name, address, opening hours and telephone (a number a phone
/// can dial from the page).
#[component]
pub fn Desk(unit: Unit) -> impl IntoView {
    let t = use_texts().get_untracked();
    let name = place_name(&unit);
    let phone = (!unit.phone.is_empty()).then(|| {
        let dial: String = unit.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        view! { <div><dt>{t.desk_phone}</dt><dd><a href=format!("tel:{dial}")>{unit.phone}</a></dd></div> }
    });
    view! {
        <div class="desk">
            <p class="desk-name">{name}</p>
            <dl>
                <div><dt>{t.address}</dt><dd>{unit.address}</dd></div>
                <div><dt>{t.hours}</dt><dd>{unit.hours}</dd></div>
                {phone}
            </dl>
        </div>
    }
}

/// The "where to go" section of a procedure: the province's centre when the
/// province handles it, and a commune or ward picker (remembered on the
/// device) when communes do.
#[component]
pub fn WhereToGo(province: bool, commune: bool) -> impl IntoView {
    let t = use_texts().get_untracked();
    let units = use_units();
    let chosen = RwSignal::new(remembered_place());
    let desks = move || {
        units.get().map(|units| {
            let centre = province
                .then(|| units.iter().find(|u| u.kind == UnitKind::Province).cloned())
                .flatten()
                .map(|u| view! { <Desk unit=u/> });
            let local = commune.then(|| {
                let options = place_options(&units, chosen.get_untracked().as_deref(), true);
                let desk = move || {
                    let code = chosen.get()?;
                    let u =
                        units.iter().find(|u| u.code == code && u.kind != UnitKind::Province)?;
                    Some(view! { <Desk unit=u.clone()/> })
                };
                view! {
                    <div class="filter">
                        <label for="d-place" class="label">{t.your_commune}</label>
                        <p id="d-place-hint" class="hint">{t.choose_commune}</p>
                        <select id="d-place" class="input" aria-describedby="d-place-hint"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if !v.is_empty() {
                                    remember_place(&v);
                                }
                                chosen.set((!v.is_empty()).then_some(v));
                            }>
                            <option value="">"—"</option>
                            {options}
                        </select>
                    </div>
                    {desk}
                }
            });
            view! { {centre}{local} }
        })
    };
    view! {
        <section aria-labelledby="where-h">
            <h2 id="where-h">{t.where_to_go}</h2>
            {desks}
        </section>
    }
}
