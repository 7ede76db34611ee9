//! The portal's API through its whole router, on a temporary SQLite file:
//! one test binary, a module per resource.

mod support;

mod accounts;
mod backend;
mod backup;
mod bookings;
mod boundaries;
mod catalog;
mod dossiers;
mod filefuzz;
mod forms;
mod national;
mod notices;
mod pairing;
mod payments;
mod security;
mod sms;
mod tracking;
