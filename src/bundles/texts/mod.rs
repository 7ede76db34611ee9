//! Strings only the services bundles use, shared by several of them (a
//! bundle's own strings are in its folder): the first load carries none.

pub mod account;
pub mod track;
pub mod wizard;
