//! Reusable pieces of the interface.

pub mod highlight;
pub mod page;
pub mod procedure_card;
