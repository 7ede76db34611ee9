//! The shell: what only the main app draws, all of it in the first load —
//! the layout and its routes (`app.rs`), the host that mounts a services
//! bundle (`host.rs`), and the pages of looking a procedure up. No file
//! here names `crate::bundles` (`src/boundaries.rs`).

pub mod app;
pub mod error;
pub mod home;
pub mod host;
pub mod not_found;
pub mod procedure;
pub mod procedures;
