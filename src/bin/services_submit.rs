//! The submission bundle (see `motcua::bundles`): the wizard.

motcua::services_bundle!(motcua::bundles::submit::draw, Some(motcua::bundles::send_outbox));
