//! Every SQL statement of the portal, one function per query, grouped by
//! what they are about. Handlers (`http/`) call these inside `Db::call`;
//! nothing here knows of HTTP.

pub mod accounts;
pub mod back_office;
pub mod bookings;
pub mod dossiers;
pub mod files;
pub mod meta;
pub mod national;
pub mod outbox;
pub mod payments;
pub mod results;
pub mod stats;

use rusqlite::{Connection, OptionalExtension, Params, Row};

/// The one row `sql` finds, if any, read column by column into a tuple.
pub fn one<T>(c: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<Option<T>>
where
    T: for<'a> TryFrom<&'a Row<'a>, Error = rusqlite::Error>,
{
    c.query_row(sql, params, |r| T::try_from(r)).optional()
}
