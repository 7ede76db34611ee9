//! Handler tests: the whole router against a temporary SQLite file.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

use crate::support::*;

#[tokio::test]
async fn lists_at_least_sixty_procedures_with_etag() {
    let f = fixture(false);
    let (status, h, body) = get(&f, "/api/v1/procedures", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let list = json(&body);
    assert!(list.as_array().unwrap().len() >= 60);
    let etag = header_of(&h, header::ETAG).to_string();
    assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    let (status, _, body) = get(&f, "/api/v1/procedures", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (status, _, _) = get(&f, "/api/v1/procedures", &[("if-none-match", "\"stale\"")]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_home_page_gets_the_most_used_procedures_alone() {
    let f = fixture(false);
    let (_, _, all) = get(&f, "/api/v1/procedures", &[]).await;
    let (status, h, body) = get(&f, "/api/v1/procedures/popular", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(header_of(&h, header::CACHE_CONTROL).contains("max-age"));
    let top = json(&body);
    let top = top.as_array().unwrap();
    assert_eq!(top.len(), 8);
    assert_eq!(top[..], json(&all).as_array().unwrap()[..8]);
}

#[tokio::test]
async fn the_search_dictionary_is_served_as_text() {
    let f = fixture(false);
    let (status, h, body) = get(&f, "/api/v1/search/synonyms", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(header_of(&h, header::CONTENT_TYPE).starts_with("text/plain"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.lines().any(|l| l.trim() == "so do = giay chung nhan quyen su dung dat"));
}

#[tokio::test]
async fn what_each_procedure_is_about_is_served_for_search() {
    let f = fixture(false);
    let (_, _, all) = get(&f, "/api/v1/procedures", &[]).await;
    let (status, h, body) = get(&f, "/api/v1/search/about", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(header_of(&h, header::CONTENT_TYPE).starts_with("text/plain"));
    let text = String::from_utf8(body).unwrap();
    // One line per procedure, in the list's order.
    let codes: Vec<&str> = text.lines().map(|l| l.split('\t').next().unwrap()).collect();
    let listed: Vec<String> = json(&all)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, listed);
    // Marriage registration gives a certificate: "giấy chứng nhận", folded,
    // and not the name's own words.
    let line = text.lines().find(|l| l.starts_with("1.000894\t")).unwrap();
    let words: Vec<&str> = line.split('\t').nth(1).unwrap().split(' ').collect();
    assert!(words.contains(&"chung") && words.contains(&"nhan"), "{line}");
    assert!(!words.contains(&"ket") && !words.contains(&"hon"), "{line}");
    let etag = header_of(&h, header::ETAG).to_string();
    let (status, _, _) = get(&f, "/api/v1/search/about", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn one_procedure_in_full_and_unknown_ones() {
    let f = fixture(false);
    let (status, _, body) = get(&f, "/api/v1/procedures/1.001193", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let p = json(&body);
    assert_eq!(p["name"], "Đăng ký khai sinh");
    assert!(!p["documents"].as_array().unwrap().is_empty());
    assert!(!p["channels"].as_array().unwrap().is_empty());
    for uri in [
        "/api/v1/procedures/9.999999",
        "/api/v1/procedures/..%2F..%2Fetc",
        "/api/v1/x",
        "/api/v1/dev/csp-reports",
    ] {
        let (status, h, body) = get(&f, uri, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(h
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(json(&body)["error"]["code"], "not_found", "{uri}");
    }
}

#[tokio::test]
async fn units_and_fields() {
    let f = fixture(false);
    let (_, _, body) = get(&f, "/api/v1/units", &[]).await;
    let units = json(&body);
    let names: Vec<&str> =
        units.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    for ward in ["Phường Tam Thanh", "Phường Lương Văn Tri", "Phường Kỳ Lừa", "Phường Đông Kinh"]
    {
        assert!(names.contains(&ward), "{ward} missing from {names:?}");
    }
    assert!(units.as_array().unwrap().iter().all(|u| u["code"].as_str().unwrap().ends_with("H37")));
    // Every desk says when it is open (migration 2 + seed).
    assert!(units
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["hours"].as_str().unwrap().contains("7:30")));
    let (_, _, body) = get(&f, "/api/v1/fields", &[]).await;
    let fields = json(&body);
    assert!(fields.as_array().unwrap().iter().any(|f| f["name"] == "Hộ tịch"));
}

#[tokio::test]
async fn openapi_document_describes_the_handlers() {
    let f = fixture(false);
    let (status, _, body) = get(&f, "/api/v1/openapi.json", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let doc = json(&body);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in
        ["/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/units", "/api/v1/fields"]
    {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["Procedure"].is_object());
}

#[tokio::test]
async fn every_response_is_locked_down() {
    let f = fixture(false);
    for uri in ["/", "/api/v1/procedures", "/thu-tuc/1.001193", "/api/v1/nope"] {
        let (_, h, _) = get(&f, uri, &[]).await;
        let csp = header_of(&h, header::CONTENT_SECURITY_POLICY);
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
        assert!(
            !script_src.contains("unsafe-inline") && !script_src.contains("'unsafe-eval'"),
            "{uri}: {csp}"
        );
        assert!(script_src.contains("'wasm-unsafe-eval'"));
        assert!(script_src.contains("'sha256-"), "the loader's hash is allowed");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert!(h.get("permissions-policy").unwrap().to_str().unwrap().contains("camera=(self)"));
    }
}

#[tokio::test]
async fn serves_the_app_with_fallback_and_cache_policy() {
    let f = fixture(false);
    for uri in ["/", "/thu-tuc", "/thu-tuc/1.001193", "/khong-co-trang-nay"] {
        let (status, h, body) = get(&f, uri, &[]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-cache", "{uri}");
        assert!(String::from_utf8(body).unwrap().contains("id=app"));
    }
    let (status, h, _) = get(&f, "/app-0123456789abcdef.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(header_of(&h, header::CACHE_CONTROL).contains("immutable"));
    let (status, _, _) = get(&f, "/missing-file.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn compresses_for_clients_that_accept_it() {
    let f = fixture(false);
    let (_, h, body) =
        get(&f, "/api/v1/procedures", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(h.get(header::CONTENT_ENCODING).unwrap(), "br");
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut plain).unwrap();
    assert!(json(&plain).as_array().unwrap().len() >= 60, "compressed once, not twice");
    let (_, h, _) = get(&f, "/api/v1/procedures", &[("accept-encoding", "gzip")]).await;
    assert_eq!(h.get(header::CONTENT_ENCODING).unwrap(), "gzip");
}

#[tokio::test]
async fn csp_reports_are_collected_and_listed_in_dev_only() {
    let f = fixture(true);
    let res = f
        .router
        .clone()
        .oneshot(
            Request::post("/api/v1/csp-reports")
                .header(header::CONTENT_TYPE, "application/csp-report")
                .body(Body::from(r#"{"csp-report":{"violated-directive":"script-src"}}"#))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (status, _, body) = get(&f, "/api/v1/dev/csp-reports", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body).as_array().unwrap().len(), 1);
}
