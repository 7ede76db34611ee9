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

/// A catalog of strings: each field is `&'static str` unless a type follows
/// its name, so a catalog reads as the list of its keys. The module that
/// declares it defines `VI` and `EN`; `texts(lang)` picks one.
macro_rules! catalog {
    ($(#[$m:meta])* pub struct $name:ident {
        $($(#[$fm:meta])* $field:ident $(: $ty:ty)?),* $(,)?
    }) => {
        $(#[$m])* pub struct $name { $($(#[$fm])* pub $field: catalog!(@ty $($ty)?),)* }

        pub fn texts(lang: $crate::i18n::Lang) -> &'static $name {
            match lang {
                $crate::i18n::Lang::Vi => &VI,
                $crate::i18n::Lang::En => &EN,
            }
        }
    };
    (@ty) => { &'static str };
    (@ty $ty:ty) => { $ty };
}

pub mod account;
pub mod api;
pub mod bundles;
pub mod components;
pub mod config;
pub mod ctx;
pub mod i18n;
pub mod json;
pub mod kiosk;
pub mod offline;
pub mod router;
pub mod search;
pub mod shell;
pub mod storage;
pub mod timing;
pub mod wizard;

pub use shell::app::App;

#[cfg(test)]
mod boundaries;
