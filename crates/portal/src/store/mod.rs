//! Every SQL statement of the portal, one function per query, grouped by
//! what they are about. Handlers (`http/`) call these inside `Db::call`;
//! nothing here knows of HTTP.

pub mod accounts;
pub mod dossiers;
pub mod files;
pub mod stats;
