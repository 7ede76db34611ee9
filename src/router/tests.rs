//! Native tests of the routes: every page read back from its href, queries.

use super::*;

#[test]
fn pages_by_path() {
    let code = "000.05.37.H37-261126-0001";
    let known = [
        ("/", Page::Home),
        ("", Page::Home),
        ("/thu-tuc", Page::Procedures),
        ("/thu-tuc/", Page::Procedures),
        ("/thu-tuc/1.001193", Page::Procedure("1.001193".into())),
        ("/thu-tuc/1.001193/x", Page::NotFound),
        ("/khong-co", Page::NotFound),
        ("/thu-tucx", Page::NotFound),
        ("/dang-nhap", Page::SignIn),
        ("/dang-ky", Page::Register(Step::CitizenId)),
        ("/dang-ky/ma-xac-thuc", Page::Register(Step::Code)),
        ("/dang-ky/khac", Page::NotFound),
        ("/quen-mat-khau", Page::Reset(None)),
        ("/quen-mat-khau/mat-khau", Page::Reset(Some(Step::Password))),
        ("/quen-mat-khau/ho-ten", Page::NotFound),
        ("/tai-khoan/", Page::Account),
        ("/nop-ho-so/1.001193", Page::Submit("1.001193".into(), None)),
        (
            "/nop-ho-so/1.001193/giay-to",
            Page::Submit("1.001193".into(), Some(crate::wizard::Page::Documents)),
        ),
        ("/nop-ho-so/1.001193/khac", Page::NotFound),
        ("/nop-ho-so/../x", Page::NotFound),
        (&format!("/tra-cuu/{code}"), Page::Status(code.into())),
        ("/tra-cuu", Page::Track),
        ("/quet-ma/", Page::Scan),
        ("/ho-so-cua-toi", Page::Mine),
        ("/thong-ke", Page::Stats),
        ("/ho-tro", Page::Assisted),
        (&format!("/bien-nhan/{code}"), Page::Receipt(code.into())),
        ("/bien-nhan/khong-phai-ma", Page::NotFound),
        ("/ho-so-dang-soan", Page::Drafts),
        ("/dat-lich", Page::Book),
        ("/lay-so", Page::Queue),
        ("/lich-hen/K7M2P9QX", Page::Ticket("K7M2P9QX".into())),
        ("/lich-hen/k7m2p9qx", Page::NotFound),
        ("/lich-hen/K7M2P9Q0", Page::NotFound),
    ];
    for (path, page) in known {
        assert_eq!(page_for(path), page, "{path}");
    }
    assert!(page_for("/dang-ky/ho-ten").is_services());
    assert!(Page::Stats.is_services());
    let pairing = "0123456789abcdef0123456789abcdef";
    assert_eq!(
        page_for(&contract::account::pairing_path(pairing)),
        Page::PairKiosk(pairing.into())
    );
    assert_eq!(page_for("/ket-noi-kiosk/khac"), Page::NotFound);
    assert!(Page::Drafts.is_services());
    assert!(!page_for("/thu-tuc").is_services() && !page_for("/x").is_services());
    assert_eq!(page_for("/nop-ho-so/1.001193").bundle(), Some(Bundle::Submit));
    assert_eq!(page_for("/ho-so-cua-toi").bundle(), Some(Bundle::Mine));
    assert_eq!(page_for("/ho-so-dang-soan").bundle(), Some(Bundle::Mine));
    assert_eq!(page_for("/bien-nhan/000.05.37.H37-261126-0001").bundle(), Some(Bundle::Receipt));
    assert_eq!(page_for("/tra-cuu").bundle(), Some(Bundle::Track));
    assert_eq!(Page::Welcome.bundle(), Some(Bundle::Accounts));
    assert_eq!(Page::Stats.bundle(), Some(Bundle::Stats));
}

#[test]
fn every_page_reads_back_from_its_href() {
    let code = "000.05.37.H37-261126-0001";
    let pages = [
        Page::Home,
        Page::Procedures,
        Page::Procedure("1.001193".into()),
        Page::SignIn,
        Page::Register(Step::CitizenId),
        Page::Register(Step::Code),
        Page::Reset(None),
        Page::Reset(Some(Step::Password)),
        Page::Welcome,
        Page::Account,
        Page::Submit("1.001193".into(), None),
        Page::Submit("1.001193".into(), Some(crate::wizard::Page::Check)),
        Page::Receipt(code.into()),
        Page::Track,
        Page::Status(code.into()),
        Page::Scan,
        Page::Mine,
        Page::Stats,
        Page::Assisted,
        Page::Drafts,
        Page::PairKiosk("0123456789abcdef0123456789abcdef".into()),
        Page::Book,
        Page::Queue,
        Page::Ticket("K7M2P9QX".into()),
    ];
    for p in pages {
        assert_eq!(page_for(&p.href()), p, "{}", p.href());
    }
}

#[test]
fn queries_are_written_encoded_and_read_back() {
    let url = Page::Procedures.with(&[("q", "đăng ký & hộ tịch"), ("noi", ""), ("cap", "xa")]);
    assert_eq!(url, "/thu-tuc?q=%C4%91%C4%83ng%20k%C3%BD%20%26%20h%E1%BB%99%20t%E1%BB%8Bch&cap=xa");
    let (_, q) = url.split_once('?').unwrap();
    assert_eq!(param_in(q, "q"), "đăng ký & hộ tịch");
    assert_eq!(param_in(q, "noi"), "");
    assert_eq!(
        sign_in_then("/nop-ho-so/1.001193", true),
        "/dang-nhap?het-han=1&tiep=%2Fnop-ho-so%2F1.001193"
    );
    assert_eq!(sign_in_then("/tai-khoan", false), "/dang-nhap?tiep=%2Ftai-khoan");
}

#[test]
fn queries_decode_utf8_spaces_and_bad_escapes() {
    assert_eq!(
        parse_query("q=dang%20ky&linh-vuc=H%E1%BB%99+t%E1%BB%8Bch&truc-tuyen=1"),
        vec![
            ("q".to_string(), "dang ky".to_string()),
            ("linh-vuc".to_string(), "Hộ tịch".to_string()),
            ("truc-tuyen".to_string(), "1".to_string()),
        ]
    );
    assert_eq!(
        parse_query("?a&b=%zz&c=%E1"),
        vec![
            ("a".to_string(), String::new()),
            ("b".to_string(), "%zz".to_string()),
            ("c".to_string(), "\u{fffd}".to_string()),
        ]
    );
    assert!(parse_query("").is_empty());
    assert_eq!(percent_decode("50%"), "50%");
}

#[test]
fn sign_in_returns_only_inside_the_app() {
    assert_eq!(safe_next(Some("/tai-khoan")), "/tai-khoan");
    assert_eq!(safe_next(Some("/thu-tuc?q=a")), "/thu-tuc?q=a");
    for bad in ["https://evil.example", "//evil.example", "/\\evil", "javascript:alert(1)"] {
        assert_eq!(safe_next(Some(bad)), "/tai-khoan", "{bad}");
    }
    assert_eq!(safe_next(None), "/tai-khoan");
}
