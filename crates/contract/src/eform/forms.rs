//! The forms themselves: the national declarations as data, with the
//! small builders that keep each field to a line or two.

use super::{Field, Form, Kind, Section, Text};

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
}

const LINE: Kind = Kind::Line { max: 100 };
const PLACE: Kind = Kind::Line { max: 300 };
const SEX: Kind = Kind::Choice { options: &[("nam", ("Nam", "Male")), ("nu", ("Nữ", "Female"))] };
const YES_NO: Kind =
    Kind::Choice { options: &[("co", ("Có", "Yes")), ("khong", ("Không", "No"))] };
const ETHNICITY: Text = ("Dân tộc", "Ethnicity");
/// Vietnam's 54 ethnic groups as the official list names and orders them
/// (Danh mục các dân tộc Việt Nam, Tổng cục Thống kê): a choice with no
/// default. In Lạng Sơn most people are Tày or Nùng; a default of "Kinh"
/// put a wrong ethnicity on civil-status records when it was missed.
pub const ETHNIC_GROUPS: &[&str] = &[
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ - Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
];
const ETHNIC: Kind = Kind::List { options: ETHNIC_GROUPS };
const NATIONALITY: Text = ("Quốc tịch", "Nationality");
const ID_HINT: Text = (
    "12 chữ số trên thẻ căn cước; để trống nếu không có",
    "The 12 digits on the ID card; leave empty if there is none",
);
const DATE_HINT: Text = ("Ngày/tháng/năm, ví dụ 05/09/2026", "Day/month/year, e.g. 05/09/2026");
/// An adult's birth date: an example of an adult's year.
const ADULT_DATE_HINT: Text =
    ("Ngày/tháng/năm, ví dụ 05/09/1990", "Day/month/year, e.g. 05/09/1990");
/// (a parent's birth date, the child's): the parent is at least
/// [`crate::eform::PARENT_GAP_YEARS`] older, checked wherever a form has both.
/// The person filing is this parent (their answer to
/// `declarant.relationship`): that parent's part is filled from the
/// applicant's details (`Form::fill_parent`).
pub const FILER_IS_PARENT: &[(&str, &str)] = &[("me", "mother"), ("cha", "father")];

pub const PARENTS: &[(&str, &str)] =
    &[("mother.birth_date", "child.birth_date"), ("father.birth_date", "child.birth_date")];

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
            // First, as on the national form: who files, and how they are
            // related to the child (a parent's part is then filled from them).
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
                field("child.ethnicity", ETHNICITY, ETHNIC, true),
                field("child.nationality", NATIONALITY, LINE, true).default("Việt Nam"),
                field("child.hometown", ("Quê quán", "Home town"), PLACE, false),
            ],
        },
        Section {
            title: ("Người mẹ", "The mother"),
            fields: &[
                field("mother.full_name", ("Họ, chữ đệm và tên người mẹ", "The mother's full name"), Kind::Name, true),
                field("mother.birth_date", ("Ngày sinh của người mẹ", "The mother's date of birth"), Kind::Date, true).hint(ADULT_DATE_HINT),
                field("mother.citizen_id", ("Số định danh cá nhân của người mẹ", "The mother's personal ID number"), Kind::CitizenId, false).hint(ID_HINT),
                field("mother.ethnicity", ETHNICITY, ETHNIC, true),
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
                field("father.birth_date", ("Ngày sinh của người cha", "The father's date of birth"), Kind::Date, true).hint(ADULT_DATE_HINT).when("father.known", "co"),
                field("father.citizen_id", ("Số định danh cá nhân của người cha", "The father's personal ID number"), Kind::CitizenId, false).hint(ID_HINT).when("father.known", "co"),
                field("father.ethnicity", ETHNICITY, ETHNIC, true).when("father.known", "co"),
                field("father.nationality", NATIONALITY, LINE, true).default("Việt Nam").when("father.known", "co"),
                field("father.residence", ("Nơi cư trú của người cha", "Where the father lives"), PLACE, true).when("father.known", "co"),
            ],
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
                field("person.ethnicity", ETHNICITY, ETHNIC, true),
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
                field("partner.birth_date", ("Ngày sinh của người đó", "Their date of birth"), Kind::Date, true).hint(ADULT_DATE_HINT).when("purpose", "ket-hon"),
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
