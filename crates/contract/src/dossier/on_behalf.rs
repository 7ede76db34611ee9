//! Filing for someone else: who the filer may be, and when an
//! authorisation to file is required of them.

/// Who files for someone else, as the wizard offers it: (kept and shown in
/// Vietnamese, English).
pub const RELATIONSHIPS: &[(&str, &str)] = &[
    ("Cha, mẹ", "Father or mother"),
    ("Con", "Son or daughter"),
    ("Vợ, chồng", "Wife or husband"),
    ("Ông, bà", "Grandparent"),
    ("Anh, chị, em ruột", "Brother or sister"),
    ("Cháu", "Grandchild, niece or nephew"),
    ("Đoàn viên, tình nguyện viên", "Youth-union member or volunteer"),
    ("Người khác (hàng xóm, người quen)", "Someone else (a neighbour, an acquaintance)"),
];

/// Relatives a filer may be without an authorisation, when the document
/// does not list its own ("trừ ông, bà, cha, mẹ, con, vợ, chồng, anh chị em
/// ruột": Circular 04/2020/TT-BTP, art. 3, for civil status).
const CLOSE_FAMILY: &str = "ong ba cha me con vo chong anh chi em";

/// Whether `document` (a procedure's "Văn bản ủy quyền … nộp thay …") is
/// required of someone filing as `relationship`: yes unless they are a
/// relative the document exempts. A youth-union member, a neighbour or an
/// unknown relationship needs it; a mother filing for her child does not.
/// Documents that are not an authorisation to file are never made
/// required by this.
pub fn authorisation_needed(document: &str, relationship: &str) -> bool {
    let doc = crate::text::fold(document);
    let to_file = ["nop thay", "dang ky thay", "nguoi khac", "nho nguoi", "uy quyen nop"];
    if !doc.starts_with("van ban uy quyen") || !to_file.iter().any(|w| doc.contains(w)) {
        return false;
    }
    let exempt = doc
        .split_once(" tru ")
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| CLOSE_FAMILY.to_string());
    let exempt: Vec<&str> = exempt.split(' ').collect();
    let family: Vec<&str> = CLOSE_FAMILY.split(' ').collect();
    let rel = crate::text::fold(relationship);
    let kin: Vec<&str> = rel.split(' ').filter(|w| family.contains(w)).collect();
    !kin.iter().any(|w| exempt.contains(w))
}
