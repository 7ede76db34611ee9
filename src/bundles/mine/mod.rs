//! The bundle of a signed-in citizen's dossiers, drafts and bookings (and
//! a volunteer's filings): its pages are the lists of the tracking and
//! submission modules (`track::Mine`, `track::Assisted`,
//! `submit::Drafts`), which it draws without the rest of either.

use leptos::prelude::*;

/// The bundle of a signed-in citizen's dossiers (and a volunteer's).
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Mine => view! { <crate::bundles::track::Mine/> }.into_any(),
        crate::router::Page::Assisted => view! { <crate::bundles::track::Assisted/> }.into_any(),
        crate::router::Page::Drafts => view! { <crate::bundles::submit::Drafts/> }.into_any(),
        _ => ().into_any(),
    }
}
