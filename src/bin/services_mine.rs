//! The bundle of a signed-in citizen's dossiers and drafts, and a
//! volunteer's dossiers (see `motcua::services`); it sends submissions
//! waiting in the outbox.

motcua::services_bundle!(motcua::services::draw_mine, Some(motcua::services::send_outbox));
