//! End-to-end tests: one test binary (one link on a 2-core machine), one
//! module per journey or concern. `cargo xtask test` starts the portal on a
//! fresh SQLite file and chromedriver, then runs them.

#[macro_use]
mod support;

mod accounts;
mod appointments;
mod backoffice;
mod faults;
mod journeys;
mod payments;
mod pwa;
mod scale;
mod security;
mod stats;
mod submission;
mod tracking;
mod vneid;
mod volunteers;
