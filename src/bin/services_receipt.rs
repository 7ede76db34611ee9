//! The receipt bundle (see `motcua::bundles`): the receipt and its QR
//! code. Apart from the wizard's, so that the wizard fits its budget; the
//! wizard's bundle asks for it ahead (`js/services_loader.js`).

motcua::services_bundle!(motcua::bundles::receipt::draw, None);
