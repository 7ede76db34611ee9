//! The accounts bundle (see `motcua::services`): sign-in, registration,
//! password reset, the account, pairing a kiosk.

motcua::services_bundle!(motcua::services::draw_accounts, None);
