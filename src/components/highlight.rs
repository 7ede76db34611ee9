//! Text with the words a query matched marked up with `<mark>`.

use leptos::prelude::*;

use crate::search::highlight_terms;

/// Renders `text`, marking the parts that the query's `terms` (see
/// `search::query_terms`) matched. The text is only ever inserted as text
/// nodes, never as HTML.
#[component]
pub fn Highlighted(
    #[prop(into)] text: String,
    #[prop(into)] terms: Signal<Vec<String>>,
) -> impl IntoView {
    move || {
        terms
            .with(|terms| highlight_terms(&text, terms))
            .into_iter()
            .map(
                |(segment, hit)| {
                    if hit {
                        view! { <mark>{segment}</mark> }.into_any()
                    } else {
                        segment.into_any()
                    }
                },
            )
            .collect_view()
    }
}
