//! The QR link's first paint. A printed receipt's QR code opens
//! `/tra-cuu/<code>?t=<token>`, most often on a phone that has never
//! visited. The page it gets is the app's `index.html` with the dossier's
//! public status (what the token shows through the API: no personal data)
//! in a `<template>`, and that status as the API's JSON. The app's shell
//! shows it at once and loads the services bundle only when the citizen
//! does something on the page (`js/services_loader.js`), so the link costs
//! the shell's bytes, not the shell's and the bundle's.
//!
//! Only for a request without a session: a signed-in citizen may be the
//! owner, whose page has actions, and gets the app as usual. Any other
//! case (no token, a wrong one, an unknown code, no built app) gets the
//! plain `index.html`, and the app says what the API says.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use contract::eform::escape;
use contract::status::DossierStatus;
use contract::tracking::Tracking;

use crate::http::dossiers::stored;
use crate::store::dossiers::{access, Access};
use crate::web::Site;
use crate::AppState;

/// The QR link's query: `?t=<token>`.
#[derive(serde::Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    t: String,
    /// Back from the payment platform: the live page, which follows the
    /// payment until it is confirmed, not a still picture of it.
    #[serde(default, rename = "thanh-toan")]
    paying: String,
}

/// `GET /tra-cuu/{code}`.
pub async fn status_page(
    State((st, site)): State<(AppState, Site)>,
    Path(code): Path<String>,
    Query(q): Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(index) = site.index_html().await else {
        return crate::web::no_app();
    };
    let signed_in = crate::http::extract::session_token(&headers).is_some();
    let view = if q.t.is_empty() || signed_in || !q.paying.is_empty() {
        None
    } else {
        match stored(&st, &code).await {
            Ok(Some(s)) if access(&s, None, &q.t) == Access::Public => {
                Some(crate::http::tracking::view_at(&st, &s, Access::Public))
            }
            _ => None,
        }
    };
    let Some(t) = view else {
        return crate::web::serve(State(site), index_request(&headers)).await;
    };
    let html = inject(&index, &t);
    // Compressed here at brotli's best (a few KB): per request, the
    // compression layer would use a lower quality.
    let mut res = if crate::http::catalog::accepts_encoding(&headers, "br") {
        let mut out = Vec::new();
        {
            use std::io::Write;
            let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
            let _ = w.write_all(html.as_bytes());
        }
        ([(header::CONTENT_ENCODING, "br")], out).into_response()
    } else {
        html.into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Tied to a token: kept by no cache.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// A request for the app's page with the browser's `Accept-Encoding`.
fn index_request(headers: &HeaderMap) -> axum::extract::Request {
    let mut req = axum::http::Request::get("/index.html");
    if let Some(accept) = headers.get(header::ACCEPT_ENCODING) {
        req = req.header(header::ACCEPT_ENCODING, accept);
    }
    req.body(axum::body::Body::empty()).unwrap_or_default()
}

/// `index` with the first paint of `t`: in place of the static shell's
/// "loading" line (painted before the app's wasm arrives), and before
/// `</body>` for the app to show (the second copy costs brotli little).
pub fn inject(index: &str, t: &Tracking) -> String {
    let status = status_html(t);
    let loading = index.find(LOADING).and_then(|i| Some((i, i + index[i..].find("</p>")? + 4)));
    let index = match loading {
        Some((from, to)) => format!("{}{status}{}", &index[..from], &index[to..]),
        None => index.to_string(),
    };
    let path = contract::tracking::status_link(&t.code, "");
    // Inside a script element `</script` or `<!--` could end or bend it;
    // `<` only occurs in JSON strings, where `\u003c` means the same.
    let json = serde_json::to_string(t).unwrap_or_default().replace('<', "\\u003c");
    let block = format!(
        "<template id=\"first-paint\" data-path=\"{}\" data-code=\"{}\">{}</template>\
         <script type=\"application/json\" id=\"first-paint-data\">{json}</script>",
        escape(&path),
        escape(&t.code),
        status
    );
    match index.rfind("</body>") {
        Some(i) => format!("{}{block}{}", &index[..i], &index[i..]),
        None => format!("{index}{block}"),
    }
}

/// The static shell's line in `index.html` while the app loads.
const LOADING: &str = "<p class=\"loading shell-loading\">";

/// `/dang-nhap?tiep=<here>`, as the app's `router::sign_in_then`.
fn sign_in_then(here: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    format!("/dang-nhap?tiep={next}")
}

fn money(amount: u64) -> String {
    format!("{} đ", contract::text::grouped(amount, '.'))
}

/// The status page as the app draws it for someone holding the QR code's
/// token, in Vietnamese (the same ids and classes: the app's styles and
/// tests apply to both).
pub fn status_html(t: &Tracking) -> String {
    use std::fmt::Write;
    let s = t.status;
    let e = |x: &str| escape(x);
    let here = contract::tracking::status_link(&t.code, &t.token);
    let latest = t.history.last();
    let note = latest.map(|h| h.note.as_str()).unwrap_or("");
    let amount = latest.and_then(|h| h.amount);
    let mut h = String::new();
    let _ = write!(h, "<h1 tabindex=\"-1\">Hồ sơ {}</h1>", e(&t.code));
    h.push_str(
        "<section class=\"status-box\" aria-labelledby=\"status-h\">\
         <h2 id=\"status-h\" class=\"visually-hidden\">Trạng thái hiện tại</h2>\
         <p class=\"status-now\"><span class=\"muted\">Trạng thái hiện tại: </span>",
    );
    let _ = write!(h, "<strong id=\"status\">{}</strong>", s.vi());
    if let Some(x) = t.timeliness {
        let class = if x.is_good() { "badge badge-good" } else { "badge badge-late" };
        let _ = write!(h, " <span class=\"{class}\">{}</span>", x.vi());
    }
    let _ = write!(h, "</p><p id=\"next-step\">{}</p>", s.next_step(true));
    if s == DossierStatus::Resolved {
        let how = match t.pickup.as_str() {
            "office" => format!(
                "Kết quả bản giấy: mang giấy tiếp nhận và thẻ căn cước đến {} trong giờ làm việc.",
                e(&t.agency_name)
            ),
            "post" => "Kết quả bản giấy được gửi qua bưu điện đến địa chỉ đã khai; bưu điện báo trước khi giao.".into(),
            _ => "Kết quả điện tử được đăng ở mục Kết quả điện tử trên trang này.".into(),
        };
        let _ = write!(h, "<p id=\"pickup\">{how}</p>");
    }
    let wants_note = matches!(s, DossierStatus::Rejected | DossierStatus::Stopped);
    if wants_note && !note.is_empty() {
        let _ = write!(h, "<p class=\"officer-note\">{}</p>", e(note));
    }
    h.push_str("</section>");
    if let (DossierStatus::PaymentRequested, Some(a)) = (s, amount) {
        let _ = write!(
            h,
            "<p class=\"amount\"><span>Số tiền cần nộp: </span><strong>{}</strong></p>",
            money(a)
        );
        // The live page's "Thanh toán trực tuyến" (the press is passed on).
        if t.pay_online
            && t.payment.as_ref().is_none_or(|p| p.state != contract::tracking::PaymentState::Paid)
        {
            h.push_str(
                "<section class=\"panel\" id=\"pay-online\"><h2>Nộp phí, lệ phí trực tuyến</h2>\
                 <p><button type=\"button\" class=\"button\" id=\"pay-start\">Thanh toán trực tuyến</button></p></section>",
            );
        }
    }
    let rate = matches!(s, DossierStatus::Resolved | DossierStatus::Returned);
    let needs_owner =
        matches!(s, DossierStatus::SupplementRequested | DossierStatus::PaymentRequested)
            || rate && t.rating.is_none();
    let sign_in = e(&sign_in_then(&here));
    if needs_owner {
        let _ = write!(
            h,
            "<p class=\"notice\"><a href=\"{sign_in}\">Đăng nhập bằng tài khoản đã nộp hồ sơ để bổ sung giấy tờ, rút hồ sơ hoặc đánh giá.</a></p>"
        );
    }
    let _ = write!(
        h,
        "<p><a href=\"{sign_in}\">Hồ sơ này được nộp hộ bạn? Đăng nhập để nhận hồ sơ vào tài khoản.</a></p>"
    );
    let due =
        if t.due_date.is_empty() { "Theo quy định của thủ tục" } else { &t.due_date };
    let _ = write!(
        h,
        "<dl class=\"details\">\
         <div><dt>Thủ tục</dt><dd>{} ({})</dd></div>\
         <div><dt>Nơi tiếp nhận</dt><dd>{}</dd></div>\
         <div><dt>Ngày tiếp nhận</dt><dd>{}</dd></div>\
         <div><dt>Hẹn trả kết quả</dt><dd id=\"due-date\">{}</dd></div>\
         <div><dt>Phí, lệ phí</dt><dd>{}</dd></div></dl>",
        e(&t.procedure_name),
        e(&t.procedure_code),
        e(&t.agency_name),
        e(&t.received_at),
        e(due),
        e(&t.fee)
    );
    if t.result_count > 0 {
        let _ = write!(
            h,
            "<section id=\"results\" aria-labelledby=\"results-h\"><h2 id=\"results-h\">Kết quả điện tử</h2>\
             <p>Hồ sơ đã có {} kết quả điện tử.</p>\
             <p>Đăng nhập bằng tài khoản của người nộp để tải kết quả về.</p></section>",
            t.result_count
        );
    }
    timeline(&mut h, t);
    let receipt = format!("/bien-nhan/{}?t={}", t.code, t.token);
    if let Some(b) = &t.back_office {
        let _ = write!(h, "<p id=\"back-office\" class=\"hint\">{}</p>", e(&b.vi()));
    }
    let _ = write!(
        h,
        "<p class=\"no-print\"><a href=\"{}\">Xem giấy tiếp nhận</a></p>\
         <p class=\"freshness\" role=\"status\">Cập nhật lúc {} \
         <button type=\"button\" class=\"button button-secondary\">Làm mới</button></p>",
        e(&receipt),
        e(&t.updated_at)
    );
    h
}

/// The status page's "Quá trình xử lý": every move, the citizen's own marked.
fn timeline(h: &mut String, t: &Tracking) {
    use std::fmt::Write;
    let e = |x: &str| escape(x);
    h.push_str("<h2>Quá trình xử lý</h2><ol class=\"timeline\" id=\"timeline\">");
    for x in &t.history {
        let _ = write!(
            h,
            "<li{}><p class=\"timeline-status\"><strong>{}</strong></p><p class=\"muted\"><time>{}</time>{}</p>",
            if x.by_citizen { " class=\"timeline-citizen\"" } else { "" },
            x.status.vi(),
            e(&x.at),
            if x.by_citizen { " · Bạn thực hiện" } else { "" }
        );
        if !x.note.is_empty() {
            let _ = write!(h, "<p class=\"timeline-note\">{}</p>", e(&x.note));
        }
        if let Some(a) = x.amount {
            let _ = write!(h, "<p class=\"timeline-note\">Số tiền cần nộp: {}</p>", money(a));
        }
        h.push_str("</li>");
    }
    h.push_str("</ol>");
}
