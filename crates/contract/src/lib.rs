//! The API contract of Một Cửa: the one definition shared by the web app
//! and the reference portal.
//!
//! Everything here is plain Rust (no web-sys, no I/O) so it compiles for the
//! browser and natively, and is unit-tested natively in milliseconds.

pub mod account;
pub mod appointments;
pub mod catalog;
pub mod dossier;
pub mod eform;
pub mod error;
pub mod passwords;
pub mod stats;
pub mod status;
pub mod text;
pub mod time;
pub mod tracking;
pub mod validate;
pub mod workdays;

/// Path prefix of every API endpoint.
pub const API_PREFIX: &str = "/api/v1";
