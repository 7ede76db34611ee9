//! Electronic forms through the whole router: a birth registration filed
//! with its e-form instead of a photo of the paper form, checked by the
//! same rules as the app; stored cleaned; read by officers as labelled
//! JSON; printed by its owner only; templates for every procedure.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

fn birth_form() -> Value {
    json!({
        "form": "khai-sinh", "version": 1,
        "answers": {
            "child.full_name": "Hoàng Bảo Na", "child.birth_date": "02/11/2026", "child.sex": "nu",
            "child.birth_place": "Bệnh viện Đa khoa tỉnh Lạng Sơn", "child.ethnicity": "Tày",
            "child.nationality": "Việt Nam",
            "mother.full_name": "Nguyễn Thị Lan", "mother.birth_date": "09/05/1990",
            "mother.citizen_id": "020090123456", "mother.ethnicity": "Tày",
            "mother.nationality": "Việt Nam", "mother.residence": "Thôn Pò Mỏ, xã Đồng Đăng",
            "father.known": "khong",
            // Typed before "no" was chosen: not asked, so not kept.
            "father.full_name": "Hoàng Văn Tú",
            "declarant.relationship": "me"
        }
    })
}

/// Lan's birth registration with the e-form and only the birth certificate.
async fn with_form(f: &Fixture, lan: &str, form: Value) -> Res {
    let mut body = birth_registration(f, lan).await;
    body["documents"].as_array_mut().unwrap().remove(0);
    body["form"] = form;
    submit(f, lan, "key-eform-000000000001", &body).await
}

fn officer_get(code: &str, token: &str) -> Request<Body> {
    Request::get(format!("/api/v1/officer/dossiers/{code}/form"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_birth_is_registered_with_the_electronic_form_instead_of_the_paper_one() {
    let f = fixture_with(true, |s| s.officer_token = Some("can-bo-mot-cua-2026".into()));
    let lan = register_lan(&f).await;

    // Without the paper form and without the e-form: the paper form is asked for.
    let mut bare = birth_registration(&f, &lan).await;
    bare["documents"].as_array_mut().unwrap().remove(0);
    let r = submit(&f, &lan, "key-eform-000000000000", &bare).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.to_string().contains("documents.0"), "{}", r.body);

    // The same rules as the app, each on its field.
    let mut bad = birth_form();
    bad["answers"]["child.birth_date"] = json!("31/02/2026");
    bad["answers"]["child.sex"] = json!("khac");
    bad["answers"]["mother.citizen_id"] = json!("12345");
    bad["answers"]["father.known"] = json!("co");
    let r = with_form(&f, &lan, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.body.to_string();
    for field in [
        "form.child.birth_date",
        "form.child.sex",
        "form.mother.citizen_id",
        "form.father.birth_date",
        "form.father.residence",
    ] {
        assert!(text.contains(field), "{field}: {text}");
    }
    assert!(text.contains("Ngày này không có trên lịch"), "{text}");
    let mut old = birth_form();
    old["version"] = json!(0);
    assert_eq!(with_form(&f, &lan, old).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dossiers(&f), 0);

    let r = with_form(&f, &lan, birth_form()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["form"], "khai-sinh");
    let code = r.body["code"].as_str().unwrap().to_string();
    let token = r.body["token"].as_str().unwrap().to_string();

    // Officers: labelled, in order, without what was not asked.
    let res = send(&f, officer_get(&code, "can-bo-mot-cua-2026")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.body["dossier"], code.as_str());
    assert_eq!(res.body["title"], "TỜ KHAI ĐĂNG KÝ KHAI SINH");
    assert_eq!(res.body["sections"][1]["fields"][0]["label"], "Họ, chữ đệm và tên của trẻ");
    assert_eq!(res.body["sections"][1]["fields"][0]["value"], "Hoàng Bảo Na");
    assert_eq!(res.body["sections"][1]["fields"][2]["value"], "Nữ");
    assert_eq!(res.body["answers"]["child.sex"], "nu");
    assert!(res.body["answers"].get("father.full_name").is_none(), "{}", res.body);
    assert_eq!(send(&f, officer_get(&code, "wrong")).await.status, StatusCode::UNAUTHORIZED);

    // The printable form: its owner only.
    let page = format!("/api/v1/dossiers/{code}/form.html");
    let own = get_as(&f, &page, Some(&lan)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let html = own.body.as_str().unwrap();
    for text in ["TỜ KHAI ĐĂNG KÝ KHAI SINH", "Hoàng Bảo Na", "Bệnh viện Đa khoa", "Nữ", &code]
    {
        assert!(html.contains(text), "{text}");
    }
    assert!(!html.contains("Hoàng Văn Tú"));
    let nam = register_nam(&f).await;
    assert_eq!(get_as(&f, &page, Some(&nam)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get_as(&f, &page, None).await.status, StatusCode::NOT_FOUND);
    let public = get_as(&f, &format!("/api/v1/dossiers/{code}/receipt?token={token}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.get("form").is_none(), "{}", public.body);
    let with_token = format!("{page}?token={token}");
    assert_eq!(get_as(&f, &with_token, None).await.status, StatusCode::NOT_FOUND);
}

/// The command line gives officers the same: labelled JSON or the A4 page,
/// and the status link of a dossier (for a citizen who lost the receipt).
#[tokio::test]
async fn officers_read_the_form_and_the_status_link_on_the_command_line() {
    let (f, lan) = with_lan().await;
    let r = with_form(&f, &lan, birth_form()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let data = f.state.files_dir.parent().unwrap().join("db");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&["officer", "form", &code]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["answers"]["child.full_name"], "Hoàng Bảo Na");
    let out = cli(&["officer", "form", &code, "--html"]);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH") && html.contains("Hoàng Bảo Na"));
    let out = cli(&["officer", "status-link", &code]);
    let token = r.body["token"].as_str().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("/tra-cuu/{code}?t={token}"));
    // A dossier filed with a photo of the paper form has no e-form to print.
    let body = birth_registration(&f, &lan).await;
    let paper = submit(&f, &lan, "key-eform-000000000009", &body).await;
    let out = cli(&["officer", "form", paper.body["code"].as_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("without an electronic form"));
}

#[tokio::test]
async fn every_procedure_has_a_template_to_print() {
    let f = fixture(true);
    // With an e-form: its questions, blank.
    let r = get_as(&f, "/api/v1/procedures/1.001193/template.html", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.body.as_str().unwrap();
    assert!(html.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH") && html.contains("Giới tính (Nam / Nữ)"));
    // Without one: laid out from the catalog, with its documents.
    let r = get_as(&f, "/api/v1/procedures/2.000635/template.html", None).await;
    let html = r.body.as_str().unwrap();
    assert!(html.contains("ĐƠN ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC"), "{html}");
    assert!(html.contains("Tờ khai cấp bản sao trích lục hộ tịch"));
    assert!(r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    let none = get_as(&f, "/api/v1/procedures/9.999999/template.html", None).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}
