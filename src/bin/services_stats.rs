//! The statistics bundle (see `motcua::bundles`): the public statistics page.

motcua::services_bundle!(motcua::bundles::stats::draw, None);
