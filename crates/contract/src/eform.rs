//! Electronic forms (tờ khai điện tử): the paper declarations of the most
//! filed procedures as data. Each [`Form`] names the national form and
//! version it reproduces, its sections (one wizard page each) and fields
//! with their rules; [`Form::check`] is the validation both the app and the
//! portal run; [`printable`] lays a filled (or blank) form out as an A4
//! page. Answers travel as [`FormAnswers`] (field id → text) and are stored
//! with the dossier as they are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::validate::{self, Date, Problem};

/// A text in Vietnamese and English.
pub type Text = (&'static str, &'static str);

/// What a field holds, and so how it is typed and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    /// One line, at most `max` characters.
    Line { max: u16 },
    /// Several lines, at most `max` characters.
    Lines { max: u16 },
    /// A person's full name (the rules of [`validate::full_name`]).
    Name,
    /// A past date, dd/mm/yyyy.
    Date,
    /// A 12-digit personal identification number (CCCD).
    CitizenId,
    /// One of the options, by id.
    Choice { options: &'static [(&'static str, Text)] },
}

/// One question of a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Unique in the form, e.g. `child.full_name`.
    pub id: &'static str,
    pub label: Text,
    /// Shown under the label; `("", "")` for none.
    pub hint: Text,
    pub kind: Kind,
    pub required: bool,
    /// Asked only when another field has this answer.
    pub when: Option<(&'static str, &'static str)>,
    /// What the wizard fills in before the citizen types ("Kinh", "Việt Nam").
    pub default: &'static str,
}

/// A part of a form: one page of the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: Text,
    pub fields: &'static [Field],
}

/// An electronic form and the paper form it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Form {
    pub id: &'static str,
    /// Raised whenever a field's meaning changes; answers of another
    /// version are refused (the wizard then asks again).
    pub version: u16,
    /// As printed at the top of the paper form.
    pub title: Text,
    /// The national form and the act that issued it.
    pub reproduces: &'static str,
    /// The procedures (national codes) it serves.
    pub procedures: &'static [&'static str],
    /// The required document it replaces: one whose name starts with this.
    pub document: &'static str,
    pub sections: &'static [Section],
    /// Answers a procedure implies, filled in before the citizen is asked
    /// (procedure code, field id, answer): "Đăng ký tạm trú" asks for
    /// temporary residence.
    pub presets: &'static [(&'static str, &'static str, &'static str)],
}

/// A filled form, as the app sends it and the portal keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormAnswers {
    /// [`Form::id`].
    pub form: String,
    pub version: u16,
    /// Field id → answer (choices by option id).
    pub answers: BTreeMap<String, String>,
}

/// A filled form for officers: the answers with their labels, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormExport {
    pub dossier: String,
    pub form: String,
    pub version: u16,
    pub title: String,
    pub reproduces: String,
    pub sections: Vec<ExportSection>,
    /// The raw answers (field id → answer).
    pub answers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportSection {
    pub title: String,
    pub fields: Vec<ExportField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportField {
    pub id: String,
    pub label: String,
    /// As shown to people (a choice's label, not its id).
    pub value: String,
}

const NONE: Text = ("", "");

const fn field(id: &'static str, label: Text, kind: Kind, required: bool) -> Field {
    Field { id, label, hint: NONE, kind, required, when: None, default: "" }
}

impl Field {
    const fn hint(mut self, hint: Text) -> Field {
        self.hint = hint;
        self
    }
    const fn when(mut self, field: &'static str, value: &'static str) -> Field {
        self.when = Some((field, value));
        self
    }
    const fn default(mut self, value: &'static str) -> Field {
        self.default = value;
        self
    }

    /// An answer as people read it: a choice's label, else the text.
    pub fn shown(&self, value: &str, vi: bool) -> String {
        if let Kind::Choice { options } = self.kind {
            if let Some((_, l)) = options.iter().find(|(id, _)| *id == value) {
                return (if vi { l.0 } else { l.1 }).to_string();
            }
        }
        value.trim().to_string()
    }
}

const LINE: Kind = Kind::Line { max: 100 };
const PLACE: Kind = Kind::Line { max: 300 };
const SEX: Kind = Kind::Choice { options: &[("nam", ("Nam", "Male")), ("nu", ("Nữ", "Female"))] };
const YES_NO: Kind =
    Kind::Choice { options: &[("co", ("Có", "Yes")), ("khong", ("Không", "No"))] };
const ETHNICITY: Text = ("Dân tộc", "Ethnicity");
const NATIONALITY: Text = ("Quốc tịch", "Nationality");
const ID_HINT: Text = (
    "12 chữ số trên thẻ căn cước; để trống nếu không có",
    "The 12 digits on the ID card; leave empty if there is none",
);
const DATE_HINT: Text = ("Ngày/tháng/năm, ví dụ 05/09/2026", "Day/month/year, e.g. 05/09/2026");

/// Đăng ký khai sinh.
pub const BIRTH: Form = Form {
    id: "khai-sinh",
    version: 1,
    title: ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "BIRTH REGISTRATION FORM"),
    reproduces: "Tờ khai đăng ký khai sinh, mẫu ban hành kèm theo Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 04/2024/TT-BTP)",
    procedures: &["1.001193", "1.003583", "1.004772"],
    presets: &[],
    document: "Tờ khai đăng ký khai sinh",
    sections: &[
        Section {
            title: ("Người được khai sinh", "The child"),
            fields: &[
                field("child.full_name", ("Họ, chữ đệm và tên của trẻ", "The child's full name"), Kind::Name, true),
                field("child.birth_date", ("Ngày sinh của trẻ", "The child's date of birth"), Kind::Date, true).hint(DATE_HINT),
                field("child.sex", ("Giới tính", "Sex"), SEX, true),
            ],
        },
        Section {
            title: ("Nơi sinh, dân tộc, quốc tịch của trẻ", "Where the child was born, ethnicity, nationality"),
            fields: &[
                field("child.birth_place", ("Nơi sinh", "Place of birth"), PLACE, true).hint((
                    "Tên cơ sở y tế và địa chỉ, hoặc địa chỉ nơi sinh",
                    "The hospital or clinic and its address, or the address where the child was born",
                )),
                field("child.ethnicity", ETHNICITY, LINE, true).default("Kinh"),
                field("child.nationality", NATIONALITY, LINE, true).default("Việt Nam"),
                field("child.hometown", ("Quê quán", "Home town"), PLACE, false),
            ],
        },
        Section {
            title: ("Người mẹ", "The mother"),
            fields: &[
                field("mother.full_name", ("Họ, chữ đệm và tên người mẹ", "The mother's full name"), Kind::Name, true),
                field("mother.birth_date", ("Ngày sinh của người mẹ", "The mother's date of birth"), Kind::Date, true).hint(DATE_HINT),
                field("mother.citizen_id", ("Số định danh cá nhân của người mẹ", "The mother's personal ID number"), Kind::CitizenId, false).hint(ID_HINT),
                field("mother.ethnicity", ETHNICITY, LINE, true).default("Kinh"),
                field("mother.nationality", NATIONALITY, LINE, true).default("Việt Nam"),
                field("mother.residence", ("Nơi cư trú của người mẹ", "Where the mother lives"), PLACE, true),
            ],
        },
        Section {
            title: ("Người cha", "The father"),
            fields: &[
                field("father.known", ("Đã xác định được người cha chưa?", "Is the father known?"), YES_NO, true).hint((
                    "Nếu chưa xác định được cha thì phần này để trống trên Giấy khai sinh",
                    "If the father is not known, this part stays empty on the birth certificate",
                )),
                field("father.full_name", ("Họ, chữ đệm và tên người cha", "The father's full name"), Kind::Name, true).when("father.known", "co"),
                field("father.birth_date", ("Ngày sinh của người cha", "The father's date of birth"), Kind::Date, true).hint(DATE_HINT).when("father.known", "co"),
                field("father.citizen_id", ("Số định danh cá nhân của người cha", "The father's personal ID number"), Kind::CitizenId, false).hint(ID_HINT).when("father.known", "co"),
                field("father.ethnicity", ETHNICITY, LINE, true).default("Kinh").when("father.known", "co"),
                field("father.nationality", NATIONALITY, LINE, true).default("Việt Nam").when("father.known", "co"),
                field("father.residence", ("Nơi cư trú của người cha", "Where the father lives"), PLACE, true).when("father.known", "co"),
            ],
        },
        Section {
            title: ("Người đi đăng ký", "Who registers the birth"),
            fields: &[field(
                "declarant.relationship",
                ("Quan hệ của người nộp hồ sơ với trẻ", "How the person filing is related to the child"),
                Kind::Choice {
                    options: &[
                        ("me", ("Mẹ", "Mother")),
                        ("cha", ("Cha", "Father")),
                        ("ong-ba", ("Ông, bà", "Grandparent")),
                        ("nguoi-than", ("Người thân khác", "Another relative")),
                        ("uy-quyen", ("Người được ủy quyền", "Someone authorised")),
                    ],
                },
                true,
            )],
        },
    ],
};

/// Đăng ký thường trú, tạm trú (and other changes of residence): CT01.
pub const RESIDENCE: Form = Form {
    id: "ct01",
    version: 1,
    title: ("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ", "DECLARATION OF CHANGE OF RESIDENCE"),
    reproduces: "Mẫu CT01 ban hành kèm theo Thông tư 66/2023/TT-BCA",
    procedures: &["1.004222", "1.004194", "1.002755", "1.003197", "1.010028"],
    presets: &[
        ("1.004222", "request.kind", "thuong-tru"),
        ("1.004194", "request.kind", "tam-tru"),
        ("1.002755", "request.kind", "gia-han"),
        ("1.003197", "request.kind", "xoa"),
        ("1.010028", "request.kind", "xoa"),
    ],
    document: "Tờ khai thay đổi thông tin cư trú",
    sections: &[
        Section {
            title: ("Nội dung đề nghị", "What you ask for"),
            fields: &[
                field(
                    "request.kind",
                    ("Bạn đề nghị", "You ask for"),
                    Kind::Choice {
                        options: &[
                            ("thuong-tru", ("Đăng ký thường trú", "Permanent residence")),
                            ("tam-tru", ("Đăng ký tạm trú", "Temporary residence")),
                            ("gia-han", ("Gia hạn tạm trú", "Extending temporary residence")),
                            ("xoa", ("Xóa đăng ký thường trú hoặc tạm trú", "Removing a registration")),
                        ],
                    },
                    true,
                ),
                field("request.address", ("Địa chỉ nơi đăng ký cư trú", "The address to register"), PLACE, true).hint((
                    "Số nhà, đường hoặc thôn, xóm; xã, phường",
                    "House number, street or hamlet; commune or ward",
                )),
                field("person.sex", ("Giới tính của người đề nghị", "Your sex"), SEX, true),
            ],
        },
        Section {
            title: ("Chủ hộ", "The head of the household"),
            fields: &[
                field("head.full_name", ("Họ, chữ đệm và tên chủ hộ", "The head of household's full name"), Kind::Name, true),
                field("head.citizen_id", ("Số định danh cá nhân của chủ hộ", "Their personal ID number"), Kind::CitizenId, false).hint(ID_HINT),
                field("head.relationship", ("Quan hệ với chủ hộ", "Your relationship to them"), Kind::Line { max: 50 }, true).hint((
                    "Ví dụ: chủ hộ, con, vợ, cháu, ở nhờ",
                    "For example: myself, child, wife, grandchild, lodger",
                )),
                field(
                    "head.consent",
                    ("Ý kiến của chủ hộ, chủ sở hữu chỗ ở", "The consent of the household head or owner"),
                    Kind::Choice {
                        options: &[
                            ("ky-to-khai", ("Đồng ý, sẽ ký vào tờ khai", "Agrees and will sign the form")),
                            ("van-ban", ("Có văn bản đồng ý riêng (đính kèm ở bước Giấy tờ)", "A separate letter of consent (attached with the documents)")),
                            ("la-chu-ho", ("Tôi là chủ hộ, chủ sở hữu", "I am the head of household or owner")),
                        ],
                    },
                    true,
                ),
            ],
        },
        Section {
            title: ("Thành viên cùng thay đổi", "Members changing with you"),
            fields: &[field(
                "members",
                ("Những người trong hộ cùng thay đổi nơi cư trú", "Household members changing residence with you"),
                Kind::Lines { max: 1000 },
                false,
            )
            .hint((
                "Mỗi người một dòng: họ tên, ngày sinh, số định danh, quan hệ với chủ hộ. Để trống nếu chỉ có bạn.",
                "One person a line: name, date of birth, ID number, relationship to the head. Leave empty if only you.",
            ))],
        },
    ],
};

/// Cấp Giấy xác nhận tình trạng hôn nhân.
pub const MARITAL: Form = Form {
    id: "xac-nhan-hon-nhan",
    version: 1,
    title: ("TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "APPLICATION FOR A CERTIFICATE OF MARITAL STATUS"),
    reproduces: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân, mẫu ban hành kèm theo Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 04/2024/TT-BTP)",
    procedures: &["1.004873"],
    presets: &[],
    document: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    sections: &[
        Section {
            title: ("Người được xác nhận", "The person certified"),
            fields: &[
                field("person.sex", ("Giới tính", "Sex"), SEX, true),
                field("person.ethnicity", ETHNICITY, LINE, true).default("Kinh"),
                field("person.nationality", NATIONALITY, LINE, true).default("Việt Nam"),
                field("person.period", ("Thời gian cư trú tại nơi đề nghị xác nhận", "How long you lived at the address certified"), LINE, false)
                    .hint(("Ví dụ: từ năm 2015 đến nay", "For example: from 2015 until now")),
            ],
        },
        Section {
            title: ("Tình trạng hôn nhân", "Marital status"),
            fields: &[field(
                "status",
                ("Tình trạng hôn nhân hiện nay", "Marital status now"),
                Kind::Choice {
                    options: &[
                        ("doc-than", ("Chưa đăng ký kết hôn với ai", "Never married")),
                        ("ly-hon", ("Đã ly hôn, chưa kết hôn lại", "Divorced, not remarried")),
                        ("goa", ("Vợ hoặc chồng đã chết, chưa kết hôn lại", "Widowed, not remarried")),
                        ("co-gia-dinh", ("Đang có vợ hoặc chồng", "Married")),
                    ],
                },
                true,
            )],
        },
        Section {
            title: ("Mục đích sử dụng", "What it is for"),
            fields: &[
                field(
                    "purpose",
                    ("Giấy xác nhận dùng để", "The certificate is for"),
                    Kind::Choice {
                        options: &[("ket-hon", ("Đăng ký kết hôn", "Getting married")), ("khac", ("Việc khác", "Something else"))],
                    },
                    true,
                ),
                field("partner.full_name", ("Họ, chữ đệm và tên người dự định kết hôn", "Your partner's full name"), Kind::Name, true).when("purpose", "ket-hon"),
                field("partner.birth_date", ("Ngày sinh của người đó", "Their date of birth"), Kind::Date, true).hint(DATE_HINT).when("purpose", "ket-hon"),
                field("partner.nationality", NATIONALITY, LINE, true).default("Việt Nam").when("purpose", "ket-hon"),
                field("partner.place", ("Nơi dự định đăng ký kết hôn", "Where you plan to marry"), PLACE, true).when("purpose", "ket-hon"),
                field("purpose.other", ("Dùng để làm gì", "What for"), PLACE, true).when("purpose", "khac").hint((
                    "Ví dụ: bổ sung hồ sơ mua bán nhà đất",
                    "For example: a land sale dossier",
                )),
            ],
        },
    ],
};

/// Every electronic form.
pub const FORMS: [&Form; 3] = [&BIRTH, &RESIDENCE, &MARITAL];

/// The electronic form of a procedure, if it has one.
pub fn for_procedure(code: &str) -> Option<&'static Form> {
    FORMS.into_iter().find(|f| f.procedures.contains(&code))
}

/// The form with this id.
pub fn by_id(id: &str) -> Option<&'static Form> {
    FORMS.into_iter().find(|f| f.id == id)
}

fn problem(vi: String, en: String) -> Problem {
    Problem { vi, en }
}

/// The id in problems and in the page: `form.<field id>`.
pub fn key(field: &str) -> String {
    format!("form.{field}")
}

impl Form {
    /// Whether a required document of the procedure is this form on paper.
    pub fn replaces(&self, document: &str) -> bool {
        document.to_lowercase().starts_with(&self.document.to_lowercase())
    }

    /// What the wizard fills in before asking, for `procedure`: the
    /// procedure's presets, then each field's default.
    pub fn prefill(&self, procedure: &str) -> Vec<(&'static str, &'static str)> {
        let presets =
            self.presets.iter().filter(|(p, _, _)| *p == procedure).map(|(_, f, v)| (*f, *v));
        let defaults = self.fields().filter(|f| !f.default.is_empty()).map(|f| (f.id, f.default));
        presets.chain(defaults).collect()
    }

    pub fn fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&'static Field> {
        self.fields().find(|f| f.id == id)
    }

    /// The 0-based section a field is in.
    pub fn section_of(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.fields.iter().any(|f| f.id == id))
    }

    /// Whether a field is asked, given the other answers.
    pub fn asked(f: &Field, answers: &BTreeMap<String, String>) -> bool {
        f.when.is_none_or(|(other, value)| answers.get(other).is_some_and(|v| v == value))
    }

    /// The answers without those not asked (their condition unmet), blanks
    /// and unknown fields, trimmed: what is sent and stored.
    pub fn clean(&self, answers: &BTreeMap<String, String>) -> FormAnswers {
        let kept = self
            .fields()
            .filter(|f| Form::asked(f, answers))
            .filter_map(|f| {
                let v = answers.get(f.id)?.trim();
                (!v.is_empty()).then(|| (f.id.to_string(), v.to_string()))
            })
            .collect();
        FormAnswers { form: self.id.into(), version: self.version, answers: kept }
    }

    /// Every problem of the answers, keyed `form.<field id>` (or `form`).
    pub fn check(&self, a: &FormAnswers, today: Date) -> Vec<(String, Problem)> {
        let mut out = Vec::new();
        if a.form != self.id || a.version != self.version {
            out.push((
                "form".into(),
                problem(
                    "Tờ khai đã được cập nhật; hãy mở lại tờ khai và kiểm tra các câu trả lời"
                        .into(),
                    "The form has been updated; open it again and check your answers".into(),
                ),
            ));
            return out;
        }
        for id in a.answers.keys() {
            if self.field(id).is_none() {
                out.push((
                    "form".into(),
                    problem(
                        format!("Tờ khai không có mục “{id}”"),
                        format!("The form has no field “{id}”"),
                    ),
                ));
            }
        }
        for f in self.fields().filter(|f| Form::asked(f, &a.answers)) {
            let v = a.answers.get(f.id).map_or("", |v| v.trim());
            if let Err(p) = check_field(f, v, today) {
                out.push((key(f.id), p));
            }
        }
        out
    }

    /// The answers as officers read them.
    pub fn export(&self, dossier: &str, a: &FormAnswers) -> FormExport {
        FormExport {
            dossier: dossier.into(),
            form: self.id.into(),
            version: a.version,
            title: self.title.0.into(),
            reproduces: self.reproduces.into(),
            sections: self
                .sections
                .iter()
                .map(|s| ExportSection {
                    title: s.title.0.into(),
                    fields: s
                        .fields
                        .iter()
                        .filter(|f| Form::asked(f, &a.answers))
                        .map(|f| ExportField {
                            id: f.id.into(),
                            label: f.label.0.into(),
                            value: f.shown(a.answers.get(f.id).map_or("", String::as_str), true),
                        })
                        .collect(),
                })
                .collect(),
            answers: a.answers.clone(),
        }
    }
}

/// One answer against its field's rules (`v` trimmed; empty when not given).
pub fn check_field(f: &Field, v: &str, today: Date) -> Result<(), Problem> {
    let (vi, en) = f.label;
    if v.is_empty() {
        if !f.required {
            return Ok(());
        }
        return Err(match f.kind {
            Kind::Choice { .. } => {
                problem(format!("Chọn {}", lower(vi)), format!("Choose: {}", lower(en)))
            }
            _ => problem(format!("Nhập {}", lower(vi)), format!("Enter {}", lower(en))),
        });
    }
    match f.kind {
        Kind::Line { max } | Kind::Lines { max } if v.chars().count() > max as usize => Err(
            problem(format!("{vi}: tối đa {max} ký tự"), format!("{en}: {max} characters at most")),
        ),
        Kind::Line { .. } | Kind::Lines { .. } => Ok(()),
        Kind::Name => validate::full_name(v).map(drop),
        Kind::Date => validate::parse_date(v, today).map(drop),
        Kind::CitizenId => validate::citizen_id(v, None).map(drop),
        Kind::Choice { options } if options.iter().any(|(id, _)| *id == v) => Ok(()),
        Kind::Choice { .. } => {
            Err(problem(format!("Chọn {}", lower(vi)), format!("Choose: {}", lower(en))))
        }
    }
}

/// A label inside a sentence ("Nhập ngày sinh của trẻ").
fn lower(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 27 };

    fn answers(form: &Form, pairs: &[(&str, &str)]) -> FormAnswers {
        FormAnswers {
            form: form.id.into(),
            version: form.version,
            answers: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    fn birth() -> FormAnswers {
        answers(
            &BIRTH,
            &[
                ("child.full_name", "Hoàng Bảo Na"),
                ("child.birth_date", "02/11/2026"),
                ("child.sex", "nu"),
                ("child.birth_place", "Bệnh viện Đa khoa tỉnh Lạng Sơn"),
                ("child.ethnicity", "Tày"),
                ("child.nationality", "Việt Nam"),
                ("mother.full_name", "Hoàng Thị Mai"),
                ("mother.birth_date", "12/03/1996"),
                ("mother.ethnicity", "Tày"),
                ("mother.nationality", "Việt Nam"),
                ("mother.residence", "Thôn Nà Nưa, xã Đồng Đăng"),
                ("father.known", "khong"),
                ("declarant.relationship", "me"),
            ],
        )
    }

    #[test]
    fn a_complete_birth_form_passes() {
        assert_eq!(BIRTH.check(&birth(), TODAY), vec![]);
    }

    #[test]
    fn every_rule_names_its_field() {
        let mut a = birth();
        a.answers.insert("child.birth_date".into(), "31/02/2026".into());
        a.answers.insert("child.sex".into(), "khac".into());
        a.answers.insert("mother.citizen_id".into(), "12345".into());
        a.answers.remove("mother.full_name");
        let keys: Vec<String> = BIRTH.check(&a, TODAY).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "form.child.birth_date",
                "form.child.sex",
                "form.mother.full_name",
                "form.mother.citizen_id"
            ]
        );
        let p = check_field(BIRTH.field("mother.full_name").unwrap(), "", TODAY).unwrap_err();
        assert_eq!(p.vi, "Nhập họ, chữ đệm và tên người mẹ");
    }

    #[test]
    fn conditional_fields_are_asked_only_when_their_answer_is_given() {
        let mut a = birth();
        a.answers.insert("father.known".into(), "co".into());
        let keys: Vec<String> = BIRTH.check(&a, TODAY).into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"form.father.full_name".to_string()), "{keys:?}");
        // An answer left from before "no" is not sent.
        let mut b = birth();
        b.answers.insert("father.full_name".into(), "Hoàng Văn Tú".into());
        assert!(!BIRTH.clean(&b.answers).answers.contains_key("father.full_name"));
    }

    #[test]
    fn other_versions_and_unknown_fields_are_refused() {
        let mut a = birth();
        a.version = 0;
        assert_eq!(BIRTH.check(&a, TODAY)[0].0, "form");
        let mut b = birth();
        b.answers.insert("child.eye_colour".into(), "nâu".into());
        assert_eq!(BIRTH.check(&b, TODAY)[0].0, "form");
    }

    #[test]
    fn forms_are_well_formed() {
        for form in FORMS {
            let mut seen = std::collections::HashSet::new();
            for f in form.fields() {
                assert!(seen.insert(f.id), "{} repeats {}", form.id, f.id);
                if let Some((other, value)) = f.when {
                    let o = form.field(other).unwrap_or_else(|| panic!("{}: {other}", f.id));
                    let Kind::Choice { options } = o.kind else {
                        panic!("{other} is not a choice")
                    };
                    assert!(options.iter().any(|(id, _)| *id == value), "{}: {value}", f.id);
                }
                if !f.default.is_empty() {
                    assert_eq!(check_field(f, f.default, TODAY), Ok(()), "{}", f.id);
                }
            }
            assert!(form.replaces(form.document));
            for (p, field, value) in form.presets {
                assert!(form.procedures.contains(p), "{p}");
                let f = form.field(field).unwrap_or_else(|| panic!("{field}"));
                assert_eq!(check_field(f, value, TODAY), Ok(()), "{field}={value}");
            }
            assert!(form.procedures.iter().all(|p| for_procedure(p) == Some(form)));
        }
        assert_eq!(for_procedure("1.001193").map(|f| f.id), Some("khai-sinh"));
        assert_eq!(RESIDENCE.prefill("1.004194"), [("request.kind", "tam-tru")]);
        assert!(BIRTH.replaces("Tờ khai đăng ký khai sinh"));
        assert!(!BIRTH.replaces("Giấy chứng sinh"));
    }

    #[test]
    fn the_printed_form_shows_answers_as_people_read_them_and_escapes_them() {
        let mut a = birth();
        a.answers.insert("child.hometown".into(), "<script>x</script>".into());
        let h = Heading { to: "UBND xã Đồng Đăng".into(), ..Default::default() };
        let html = printable_form(&BIRTH, Some(&a), &h);
        assert!(html.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH"));
        assert!(html.contains("Hoàng Bảo Na"));
        assert!(html.contains(">Nữ<"), "the choice's label, not its id");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>x"));
        assert!(!html.contains("father.full_name"));
        let blank = printable_form(&BIRTH, None, &Heading::default());
        assert!(blank.contains("Giới tính (Nam / Nữ)"));
    }

    #[test]
    fn the_export_labels_every_asked_answer() {
        let e = BIRTH.export("X-1", &birth());
        let child = &e.sections[0];
        assert_eq!(child.fields[0].label, "Họ, chữ đệm và tên của trẻ");
        assert_eq!(child.fields[2].value, "Nữ");
        assert!(e.sections[3].fields.len() == 1, "father unknown: only the question");
    }
}
