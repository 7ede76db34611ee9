//! A QR code drawn as one SVG path (its dark modules) with a quiet zone:
//! the receipt's tracking link, the kiosk's sign-in link.

use leptos::prelude::*;

/// The QR code of `text`: its width in modules and the path of its dark ones.
pub fn qr_path(text: &str) -> Option<(usize, String)> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let w = code.width();
    let mut d = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            d.push_str(&format!("M{} {}h1v1h-1z", i % w, i / w));
        }
    }
    Some((w, d))
}

/// `text` as a QR code image named `label`.
#[component]
pub fn QrCode(text: String, class: &'static str, label: &'static str) -> impl IntoView {
    qr_path(&text).map(|(w, d)| {
        let size = w + 8;
        view! {
            <svg class=class viewBox=format!("-4 -4 {size} {size}") role="img" aria-label=label
                shape-rendering="crispEdges">
                <rect x="-4" y="-4" width=size height=size fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}
