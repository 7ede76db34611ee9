//! The appointments bundle: booking a time at the desk, the ticket, and the
//! kiosk's queue numbers (see `motcua::bundles`).

motcua::services_bundle!(motcua::bundles::booking::draw, None);
