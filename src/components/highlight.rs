//! Text with the words a query matched marked up with `<mark>`.

use leptos::prelude::*;

use crate::search::highlight;

/// Renders `text`, marking the parts that `query` matched. The text is only
/// ever inserted as text nodes, never as HTML.
#[component]
pub fn Highlighted(
    #[prop(into)] text: String,
    #[prop(into)] query: Signal<String>,
) -> impl IntoView {
    move || {
        highlight(&text, &query.get())
            .into_iter()
            .map(|(segment, hit)| {
                if hit {
                    view! { <mark>{segment}</mark> }.into_any()
                } else {
                    segment.into_any()
                }
            })
            .collect_view()
    }
}
