//! The accounts bundle (see `motcua::bundles`): sign-in, registration,
//! password reset, the account, pairing a kiosk.

motcua::services_bundle!(motcua::bundles::accounts::draw, None);
