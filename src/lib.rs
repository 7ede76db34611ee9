//! Một Cửa web app (Leptos, client-side rendered, compiled to WebAssembly).
//!
//! Browser-free logic (`search`, `i18n`, `config`) is unit-tested natively;
//! the rest renders the interface.

/// The pages of a multi-page form, in order, each with the slug its URL
/// carries: `steps!(pub enum Step { A => "a", B => "b" })` gives the enum,
/// `ALL`, `slug`, `from_slug`, the 1-based `number` and `next`/`previous`.
macro_rules! steps {
    ($(#[$m:meta])* pub enum $name:ident { $($step:ident => $slug:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($step),+ }

        impl $name {
            pub const ALL: [$name; <[&str]>::len(&[$(stringify!($step)),+])] = [$($name::$step),+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$step => $slug),+ }
            }

            pub fn from_slug(slug: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|s| s.slug() == slug)
            }

            /// 1-based position, for "Bước 2/6".
            pub fn number(self) -> usize {
                $name::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
            }

            pub fn next(self) -> Option<$name> {
                $name::ALL.get(self.number()).copied()
            }

            pub fn previous(self) -> Option<$name> {
                self.number().checked_sub(2).map(|i| $name::ALL[i])
            }
        }
    };
}

pub mod account;
pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod ctx;
pub mod host;
pub mod i18n;
pub mod json;
pub mod kiosk;
pub mod offline;
pub mod outbox;
pub mod pages;
pub mod pending;
pub mod photo;
pub mod router;
pub mod search;
pub mod services;
pub mod storage;
pub mod timing;
pub mod uploader;
pub mod wizard;

pub use app::App;

#[cfg(test)]
mod boundaries;
