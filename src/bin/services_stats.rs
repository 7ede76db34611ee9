//! The statistics bundle (see `motcua::services`): the public statistics page.

motcua::services_bundle!(motcua::services::draw_stats, None);
