//! Every SQL statement of the portal, one function per query, grouped by
//! what they are about. Handlers (`http/`) call these inside `Db::call`;
//! nothing here knows of HTTP.

/// A struct from a query's row: `from_row!(r, T { a, b; c: expr })` takes
/// `a` and `b` from the row's columns in order (a struct expression
/// evaluates its fields as written) and the fields after `;` as given.
macro_rules! from_row {
    ($r:expr, $ty:ident { $($field:ident),+ $(; $($more:ident: $value:expr),+)? }) => {{
        let mut column = 0usize..;
        Ok($ty {
            $($field: $r.get(column.next().unwrap_or_default())?,)+
            $($($more: $value,)+)?
        })
    }};
}

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

/// An outbox's (waiting, done, most attempts of one waiting), for metrics:
/// `rows` selects each record's `state` and `attempts`; `done` is the
/// state of one that arrived.
fn outbox_counts(c: &Connection, rows: &str, done: &str) -> rusqlite::Result<(i64, i64, i64)> {
    c.query_row(
        &format!(
            "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = ?1), 0),
                    COALESCE(MAX(CASE WHEN state = 'pending' THEN attempts END), 0)
             FROM ({rows})"
        ),
        [done],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// The one value a query answers (a count, whether something exists).
pub fn value<T: rusqlite::types::FromSql>(
    c: &Connection,
    sql: &str,
    params: impl Params,
) -> rusqlite::Result<T> {
    c.query_row(sql, params, |r| r.get(0))
}
