//! `portal backend check --driver opencps --url …`: the conformance run a
//! province makes against its own sandbox before integration day — the
//! calls the portal will make, in order, on a test dossier, each step
//! passed or failed with what the site answered. Also the table printer
//! `portal national-check` uses.

use serde_json::json;

use super::opencps::{self, OpenCps};
use super::{BackOffice, DocumentOut, FileOut, Filing};

/// One step: what was tried, whether it passed, what was answered.
pub type Step = (String, bool, String);

/// A test dossier of procedure `procedure` at unit `unit`, its code marked
/// as a test.
pub fn test_filing(procedure: &str, unit: &str, now: u64) -> anyhow::Result<Filing> {
    let code = format!("KIEMTHU-{now}");
    let applicant = json!({
        "full_name": "Hồ sơ kiểm thử", "citizen_id": "001099000001", "birth_date": "01/01/1990",
        "phone": "0912345678", "email": "", "address": "Kiểm thử kết nối, không xử lý",
    });
    let receipt = serde_json::from_value(json!({
        "code": code, "token": "kiemthu", "agency_code": unit, "agency_name": "Kiểm thử",
        "procedure_code": procedure, "procedure_name": "Hồ sơ kiểm thử", "applicant": applicant,
        "on_behalf": false, "documents": [], "processing_time": "", "working_days": null,
        "received_at": "", "due_date": "", "delivery": {"kind": "online"}, "fee": "",
        "status": 1, "assisted": null, "accepted_at": null, "form": null,
    }))?;
    let request = serde_json::from_value(json!({
        "procedure": procedure, "unit": unit, "applicant": applicant,
        "request": "Kiểm thử kết nối, không xử lý", "copies": 1,
        "documents": [{"name": "Tệp kiểm thử", "files": ["kiemthu-1"]}],
        "delivery": {"kind": "online"},
    }))?;
    let pdf =
        b"%PDF-1.4\n% kiem thu\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let file = FileOut {
        id: format!("{code}-1"),
        name: "kiem-thu.pdf".into(),
        mime: "application/pdf".into(),
        bytes: pdf.to_vec(),
    };
    Ok(Filing {
        receipt,
        request,
        form: None,
        documents: vec![DocumentOut {
            number: 1, name: "Tệp kiểm thử".into(), files: vec![file]
        }],
    })
}

fn said<T>(r: Result<T, super::Failure>, ok: impl FnOnce(&T) -> String) -> (bool, String) {
    match r {
        Ok(v) => (true, ok(&v)),
        Err(e) => (false, e.to_string()),
    }
}

/// Run the OpenCPS steps against `config`'s site; stops at the first step
/// that fails (the later ones need it).
pub async fn opencps(config: opencps::Config, procedure: &str, unit: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    let mut step = |name: &str, (ok, text): (bool, String)| {
        out.push((name.to_string(), ok, text));
        ok
    };
    let site = match OpenCps::new(config) {
        Ok(s) => s,
        Err(e) => return vec![("set-up".into(), false, e.to_string())],
    };
    // Milliseconds: two runs in the same second make two test dossiers.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let f = match test_filing(procedure, unit, now) {
        Ok(f) => f,
        Err(e) => return vec![("set-up".into(), false, e.to_string())],
    };
    let code = f.receipt.code.clone();
    let wanted = (procedure.to_string(), unit.to_string());
    let offer = site.offer().await.and_then(|o| {
        if o.contains(&wanted) {
            Ok(o.len())
        } else {
            Err(super::Failure::Refused(format!(
                "{procedure} is not set up at {unit} ({} pairs listed)",
                o.len()
            )))
        }
    });
    if !step(
        "sign in; GET /serviceconfigs lists the procedure at the unit",
        said(offer, |n| format!("{n} (procedure, agency) pairs")),
    ) {
        return out;
    }
    let found = site.find(&code).await;
    if !step("GET /dossiers?dossierNo (none yet)", said(found, |d| format!("{d:?}"))) {
        return out;
    }
    let created = site.create(&f).await;
    let id = created.as_ref().map(|d| d.dossier_id.clone()).unwrap_or_default();
    let r = said(created, |d| {
        format!("dossierId {}, dossierNo {}, {}", d.dossier_id, d.dossier_no, d.dossier_status)
    });
    if !step("POST /dossiers (our code as dossierNo)", r) {
        return out;
    }
    let again = site.find(&code).await.and_then(|d| match d {
        Some(d) if d.dossier_id == id => Ok(d),
        other => Err(super::Failure::Refused(format!("not found again by dossierNo: {other:?}"))),
    });
    if !step(
        "GET /dossiers?dossierNo finds it (a retry creates nothing)",
        said(again, |d| d.dossier_id.clone()),
    ) {
        return out;
    }
    let file = &f.documents[0].files[0];
    let sent = site.upload(&id, &opencps::part_no(1), file, None).await;
    if !step("POST /dossiers/{id}/files (a PDF, part TP01)", said(sent, |_| "stored".into())) {
        return out;
    }
    let listed = site.files(&id).await.and_then(|refs| {
        if refs.contains(&file.id) {
            Ok(refs)
        } else {
            Err(super::Failure::Refused(format!("referenceUid {} not listed: {refs:?}", file.id)))
        }
    });
    if !step(
        "GET /dossiers/{id}/files lists it by our reference",
        said(listed, |r| format!("{} file(s)", r.len())),
    ) {
        return out;
    }
    let submitted = site.submit(&id).await;
    if !step("POST /dossiers/{id}/submit", said(submitted, |d| d.dossier_status.clone())) {
        return out;
    }
    let status = site.detail(&id).await.and_then(|d| site.standing_of(&d));
    step(
        "GET /dossiers/{id}: status mapped to a national code",
        said(status, |s| format!("{} -> {}", s.words, s.national)),
    );
    out
}

/// How many steps a full OpenCPS check has.
pub const OPENCPS_STEPS: usize = 8;

/// Print `steps` as a table; an error unless all `expected` steps passed.
pub fn report(steps: &[Step], expected: usize) -> anyhow::Result<()> {
    println!("{:<58} {:<6} answer", "step", "result");
    for (step, ok, answer) in steps {
        let answer: String = answer.chars().take(160).collect();
        println!("{step:<58} {:<6} {answer}", if *ok { "pass" } else { "FAIL" });
    }
    if steps.len() == expected && steps.iter().all(|s| s.1) {
        println!("all {expected} steps passed");
        Ok(())
    } else {
        anyhow::bail!("not every step passed (see the table)")
    }
}

/// `portal backend check --driver opencps`: the account from the
/// environment (without one, the stand-in's, said so: the check is then a
/// try-out), the site's status table if given; prints the table.
pub fn opencps_and_report(
    url: &str,
    group_id: &str,
    procedure: &str,
    unit: &str,
    status_map: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let mut config = match opencps::Config::from_env(url, group_id) {
        Ok(c) => c,
        Err(_) => {
            println!(
                "no account in the environment (PORTAL_OPENCPS_USERNAME, \
                 PORTAL_OPENCPS_PASSWORD): trying the stand-in's account (motcua)"
            );
            let mut c = opencps::Config::standin(url);
            c.group_id = group_id.to_string();
            c
        }
    };
    if let Some(p) = status_map {
        config.statuses = opencps::StatusMap::parse(&std::fs::read_to_string(p)?)?;
    }
    let steps = tokio::runtime::Runtime::new()?.block_on(opencps(config, procedure, unit));
    report(&steps, OPENCPS_STEPS)
}
