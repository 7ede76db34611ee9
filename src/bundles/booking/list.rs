//! The bookings in "Hồ sơ của tôi" (drawn by the mine bundle; the pages
//! they lead to are the appointments bundle's).

use contract::appointments::show_code;

use super::ticket::state_text;
use super::*;

/// The bookings in "Hồ sơ của tôi": upcoming and past, each to its ticket.
#[component]
pub fn Bookings() -> impl IntoView {
    let b = bt();
    let ctx = use_ctx();
    let list = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { client::mine(&base).await }
    });
    let lang = ctx.lang.get_untracked();
    let items = move || {
        list.get().and_then(|r| r.ok()).map(|all| {
            if all.is_empty() {
                return view! { <p>{b.bookings_none}</p> }.into_any();
            }
            let cards = all
                .into_iter()
                .map(|tk| {
                    let href = Page::Ticket(tk.code.clone()).href();
                    let when = format!("{}–{}, {}", tk.start, tk.end, tk.date);
                    view! {
                        <li class="card">
                            <h3 class="card-title"><a href=href>{tk.desk_name.clone()}</a></h3>
                            <p class="card-meta">{when}" · "{show_code(&tk.code)}</p>
                            <p class="card-meta"><strong>{state_text(lang, tk.state)}</strong>
                                {tk.number.map(|n| format!(" · {n}"))}</p>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="cards" id="bookings">{cards}</ul> }.into_any()
        })
    };
    view! {
        <section aria-labelledby="bookings-h">
            <h2 id="bookings-h">{b.bookings_title}</h2>
            {items}
            <p><a href=Page::Book.href() id="book-link">{b.book_link}</a></p>
        </section>
    }
}
