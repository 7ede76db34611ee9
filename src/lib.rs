//! Một Cửa web app (Leptos, client-side rendered, compiled to WebAssembly).
//!
//! Browser-free logic (`search`, `i18n`, `config`) is unit-tested natively;
//! the rest renders the interface.

pub mod account;
pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod i18n;
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
