//! A form as an A4 page in the official layout (HTML the portal serves).

use std::collections::BTreeMap;

use super::{Form, FormAnswers, Kind};

/// Escape text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What heads a printed form besides its fields.
#[derive(Clone, Debug, Default)]
pub struct Heading {
    /// "Kính gửi": the receiving unit.
    pub to: String,
    /// The dossier code, once filed.
    pub dossier: String,
    /// The person filing: name, ID number, address, phone.
    pub filer: [String; 4],
    /// dd/mm/yyyy of filing (blank on an empty template).
    pub date: String,
}

/// A filled (or, with no answers, blank) form as an A4 page in the official
/// layout: national motto, title, "Kính gửi", the filer, every section with
/// dotted lines, the declaration and the signature block. Complete HTML,
/// styled by `/print-form.css` (print CSS, A4) with a print button wired by
/// `/print-form.js`, so that a strict Content-Security-Policy holds.
pub fn printable(
    title: &str,
    reproduces: &str,
    h: &Heading,
    sections: &[(String, Vec<(String, String)>)],
) -> String {
    let line = |label: &str, value: &str| {
        format!(
            "<p class=\"line\"><span class=\"label\">{}:</span> <span class=\"value\">{}</span></p>\n",
            escape(label),
            escape(value)
        )
    };
    let mut body = String::new();
    body.push_str(&line("Kính gửi", &h.to));
    body.push_str("<h2>Người yêu cầu</h2>\n");
    for (label, value) in
        ["Họ, chữ đệm và tên", "Số định danh cá nhân", "Nơi cư trú", "Số điện thoại"]
            .iter()
            .zip(h.filer.iter())
    {
        body.push_str(&line(label, value));
    }
    for (title, fields) in sections {
        body.push_str(&format!("<h2>{}</h2>\n", escape(title)));
        for (label, value) in fields {
            body.push_str(&line(label, value));
        }
    }
    let code = if h.dossier.is_empty() {
        String::new()
    } else {
        format!("<p class=\"code\">Mã hồ sơ: {}</p>\n", escape(&h.dossier))
    };
    let date = if h.date.is_empty() {
        "…, ngày … tháng … năm …".to_string()
    } else {
        format!("Ngày {}", escape(&h.date))
    };
    format!(
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title_e}</title>\n<link rel=\"stylesheet\" href=\"/print-form.css\">\n<script src=\"/print-form.js\" defer></script>\n</head>\n<body>\n<main class=\"sheet\">\n<p class=\"actions\"><button type=\"button\" id=\"back\">Quay lại (Back)</button> <button type=\"button\" id=\"print\">In tờ khai (Print)</button></p>\n<header class=\"motto\"><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p><p><strong>Độc lập - Tự do - Hạnh phúc</strong></p></header>\n{code}<h1>{title_e}</h1>\n<p class=\"source\">{src}</p>\n{body}<p class=\"declaration\">{decl}</p>\n<div class=\"signature\"><p>{date}</p><p><strong>Người yêu cầu</strong></p><p class=\"hint\">(Ký, ghi rõ họ, chữ đệm, tên)</p><p class=\"signer\">{signer}</p></div>\n</main>\n</body>\n</html>\n",
        title_e = escape(title),
        src = escape(reproduces),
        decl = escape(crate::dossier::DECLARATION.0),
        signer = escape(&h.filer[0]),
    )
}

/// [`printable`] for an electronic form: the asked fields with their answers
/// (all fields, blank, when `a` is `None`).
pub fn printable_form(form: &Form, a: Option<&FormAnswers>, h: &Heading) -> String {
    let empty = BTreeMap::new();
    let answers = a.map_or(&empty, |a| &a.answers);
    let sections: Vec<(String, Vec<(String, String)>)> = form
        .sections
        .iter()
        .map(|s| {
            let fields = s
                .fields
                .iter()
                .filter(|f| a.is_none() || Form::asked(f, answers))
                .map(|f| {
                    let v = answers.get(f.id).map_or(String::new(), |v| f.shown(v, true));
                    let label = match (a, f.kind) {
                        (None, Kind::Choice { options }) => format!(
                            "{} ({})",
                            f.label.0,
                            options.iter().map(|(_, l)| l.0).collect::<Vec<_>>().join(" / ")
                        ),
                        _ => f.label.0.to_string(),
                    };
                    (label, v)
                })
                .collect();
            (s.title.0.to_string(), fields)
        })
        .collect();
    printable(form.title.0, form.reproduces, h, &sections)
}
