//! The submission bundle (see `motcua::services`): the wizard.

motcua::services_bundle!(motcua::services::draw_submit, Some(motcua::services::send_outbox));
