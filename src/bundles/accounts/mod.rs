//! The accounts bundle: sign-in, registration and reset, the account
//! page, and signing a kiosk in from the phone.

use leptos::prelude::*;

pub mod account;
pub mod pairing;
pub mod pairing_texts;
pub mod register;

/// The accounts bundle's pages.
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::SignIn => view! { <account::SignIn/> }.into_any(),
        crate::router::Page::Register(step) => view! { <register::Register step=step/> }.into_any(),
        crate::router::Page::Reset(step) => view! { <register::Reset step=step/> }.into_any(),
        crate::router::Page::Welcome => view! { <account::Welcome/> }.into_any(),
        crate::router::Page::Account => view! { <account::Account/> }.into_any(),
        crate::router::Page::PairKiosk(code) => {
            view! { <pairing::ConfirmKiosk code=code/> }.into_any()
        }
        _ => ().into_any(),
    }
}
