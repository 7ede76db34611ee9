//! Electronic forms of stored dossiers, as officers read them (JSON) and as
//! printed (A4 HTML), and the blank printable template of any procedure.
//! The officer API, the owner's printable view and the CLI share these.

use contract::catalog::Procedure;
use contract::eform::{self, FormAnswers, FormExport, Heading};
use rusqlite::Connection;

use crate::store::dossiers::Stored;

/// The filled form of a dossier with its schema, if it has one.
pub fn filled(
    c: &Connection,
    d: &Stored,
) -> rusqlite::Result<Option<(&'static eform::Form, FormAnswers)>> {
    let Some(json) = crate::store::dossiers::form(c, d.id)? else {
        return Ok(None);
    };
    let Ok(a) = serde_json::from_str::<FormAnswers>(&json) else {
        return Ok(None);
    };
    Ok(eform::by_id(&a.form).map(|f| (f, a)))
}

/// For officers: the answers with their labels.
pub fn export(c: &Connection, d: &Stored) -> rusqlite::Result<Option<FormExport>> {
    Ok(filled(c, d)?.map(|(f, a)| f.export(&d.receipt.code, &a)))
}

/// The receiving desk's name, for "Kính gửi".
fn desk(c: &Connection, code: &str) -> rusqlite::Result<String> {
    let units = crate::catalog::units(c)?;
    Ok(units.into_iter().find(|u| u.code == code).map(|u| u.name).unwrap_or_default())
}

/// The filled form as an A4 page, headed with the dossier and its applicant.
pub fn printable(c: &Connection, d: &Stored) -> rusqlite::Result<Option<String>> {
    let Some((f, a)) = filled(c, d)? else {
        return Ok(None);
    };
    let r = &d.receipt;
    let h = Heading {
        to: desk(c, &r.agency_code)?,
        dossier: r.code.clone(),
        filer: [
            r.applicant.full_name.clone(),
            r.applicant.citizen_id.clone(),
            r.applicant.address.clone(),
            r.applicant.phone.clone(),
        ],
        date: r.received_at.split(' ').next().unwrap_or("").to_string(),
    };
    Ok(Some(eform::printable_form(f, Some(&a), &h)))
}

/// A blank form to print for a procedure: its electronic form when it has
/// one; otherwise a request laid out from the catalog (what is asked, the
/// documents to bring), for procedures whose official template is not held.
pub fn template(p: &Procedure) -> String {
    if let Some(f) = eform::for_procedure(&p.code) {
        return eform::printable_form(f, None, &Heading::default());
    }
    let blank = |label: &str| (label.to_string(), String::new());
    let documents = p
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let n = format!("{} bản chính, {} bản sao", d.originals, d.copies);
            (format!("{}. {}", i + 1, d.name), format!("☐ ({n})"))
        })
        .collect();
    let sections = vec![
        (
            "Nội dung đề nghị".to_string(),
            vec![
                blank("Đề nghị giải quyết thủ tục"),
                blank("Nội dung cụ thể"),
                blank("Số bản kết quả"),
            ],
        ),
        ("Giấy tờ kèm theo".to_string(), documents),
        (
            "Nhận kết quả".to_string(),
            vec![blank("Tại Bộ phận Một cửa / qua bưu điện (địa chỉ) / bản điện tử")],
        ),
    ];
    let title = format!("ĐƠN ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC: {}", p.name.to_uppercase());
    let source = format!(
        "Mẫu in do Cổng Một Cửa lập từ danh mục thủ tục {} (cơ quan: {}). Nếu thủ tục quy định mẫu đơn, tờ khai riêng, hãy dùng mẫu đó.",
        p.code, p.agency
    );
    let mut sections = sections;
    sections[0].1[0].1 = p.name.clone();
    eform::printable(&title, &source, &Heading::default(), &sections)
}
