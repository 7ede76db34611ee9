//! Reusable pieces of the interface.

pub mod copy_link;
pub mod form;
pub mod highlight;
pub mod page;
pub mod place;
pub mod procedure_card;
pub mod qr;
pub mod read_aloud;
