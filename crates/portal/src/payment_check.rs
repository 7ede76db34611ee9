//! `portal payment-check`: the conformance run a province points at the
//! national payment platform's sandbox (or the stand-in), with the
//! messages of `payment.rs`.

use crate::payment::*;

/// The conformance run against a platform (a province's sandbox, or the
/// stand-in): what the portal relies on, step by step. Every line is
/// (step, passed, what was seen).
pub async fn check(platform: &Platform, now: i64) -> Vec<(&'static str, bool, String)> {
    let mut out = Vec::new();
    let reference = format!("KIEMTHU-{}{}", gd_time(now), crate::secrets::random_hex::<2>());
    let init = |reference: &str| Init {
        loai_ban_tin: "INIT".into(),
        phien_ban: VERSION.into(),
        ma_doi_tac: String::new(),
        ma_tham_chieu: reference.into(),
        so_tien: "1000".into(),
        loai_hinh_thanh_toan: "PAY".into(),
        ma_kenh_thanh_toan: "1".into(),
        ma_thiet_bi: "1".into(),
        ngon_ngu: "vi".into(),
        ma_tien_te: CURRENCY.into(),
        ma_ngan_hang: String::new(),
        thong_tin_giao_dich: "Kiem thu ket noi, khong thanh toan".into(),
        thoi_gian_gd: gd_time(now),
        ip: "127.0.0.1".into(),
        url_tra_ve: "https://example.invalid/tra-cuu/kiem-thu".into(),
        thong_tin_bien_lai: BienLai {
            ma_ho_so: reference.into(),
            ma_tthc: "1.001193".into(),
            ma_dvc: "1.001193".into(),
            ma_don_vi: "000.00.00.H37".into(),
            tk_thu_huong: String::new(),
            ma_nh_thu_huong: String::new(),
            ten_tk_thu_huong: String::new(),
            ho_ten_nguoi_nop: "Kiểm thử".into(),
            so_cmnd_nguoi_nop: String::new(),
            phi_le_phi: vec![PhiLePhi {
                loai: "2".into(),
                ma: "2".into(),
                ten: "Kiểm thử".into(),
                so_tien: 1000,
            }],
            ds_khoan_nop: vec![KhoanNop { noi_dung: "Kiểm thử".into(), so_tien: 1000 }],
        },
        ma_xac_thuc: String::new(),
    };
    let said = |r: &Result<String, Failed>| match r {
        Ok(u) => format!("page {u}"),
        Err(e) => format!("{e:?}"),
    };
    let first = platform.init(init(&reference)).await;
    out.push((
        "INIT opens a payment, signed, on the platform's own page",
        first.is_ok(),
        said(&first),
    ));
    let again = platform.init(init(&reference)).await;
    out.push((
        "INIT with a reference used before is refused",
        matches!(again, Err(Failed::Refused(_))),
        said(&again),
    ));
    // A message signed with another secret: the platform must refuse it.
    let mut forged = init(&format!("{reference}-X"));
    forged.ma_doi_tac = platform.partner.clone();
    forged.ma_xac_thuc = mac("not-the-partners-secret", &forged.signed());
    let answer: Result<InitAnswer, Failed> = platform.post("/init", &forged).await;
    let refused =
        matches!(&answer, Ok(a) if a.ma_loi != OK) || matches!(answer, Err(Failed::Away(_)));
    out.push(("INIT with a wrong MaXacThuc is refused", refused, format!("{answer:?}")));
    let q = platform.query(&reference, now).await;
    let (ok, seen) = match &q {
        Ok(c) => (
            mac_ok(platform.secret(), &c.signed(), &c.ma_xac_thuc)
                && c.ma_tham_chieu == reference
                && [OPEN, OK, CANCELLED].contains(&c.ma_loi.as_str()),
            format!("MaLoi {}", c.ma_loi),
        ),
        Err(e) => (false, format!("{e:?}")),
    };
    out.push(("QUERY answers for it, signed (open, paid or cancelled)", ok, seen));
    let unknown = platform.query(&format!("{reference}-KHONG-CO"), now).await;
    let ok = matches!(&unknown, Ok(c) if c.ma_loi != OK);
    out.push(("QUERY of an unknown reference is not a success", ok, format!("{unknown:?}")));
    out
}

/// Run the check against `url` as `partner` (secret from
/// PORTAL_PAYMENT_SECRET), print a table, fail unless every step passed.
pub fn check_and_report(url: &str, partner: &str) -> anyhow::Result<()> {
    let secret = std::env::var("PORTAL_PAYMENT_SECRET").unwrap_or_default();
    let platform = Platform::new(url, partner, &secret)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let steps = rt.block_on(check(&platform, now));
    let passed = steps.iter().filter(|s| s.1).count();
    for (step, ok, seen) in &steps {
        println!("{} {step}\n      {seen}", if *ok { "pass" } else { "FAIL" });
    }
    println!("{passed} of {} steps passed", steps.len());
    anyhow::ensure!(passed == steps.len(), "the payment platform did not pass every step");
    Ok(())
}
