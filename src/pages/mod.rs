//! One module per route.

pub mod account;
pub mod booking;
pub mod error;
pub mod home;
pub mod not_found;
pub mod pairing;
pub mod procedure;
pub mod procedures;
pub mod receipt;
pub mod register;
pub mod scan;
pub mod stats;
pub mod submit;
pub mod track;
