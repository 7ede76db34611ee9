//! The appointments bundle: booking a time at the desk, the ticket, and the
//! kiosk's queue numbers (see `motcua::services`).

motcua::services_bundle!(motcua::services::draw_booking, None);
