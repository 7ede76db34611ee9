//! The bundle of a signed-in citizen's dossiers and drafts, and a
//! volunteer's dossiers (see `motcua::bundles`); it sends submissions
//! waiting in the outbox.

motcua::services_bundle!(motcua::bundles::mine::draw, Some(motcua::bundles::send_outbox));
