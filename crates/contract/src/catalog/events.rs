//! Life events: what happened to people ("có em bé", "bố mất", "mở quán"),
//! each with the words they use for it and the procedures it leads to, in
//! the order they are usually needed. Search ranks an event's procedures
//! first when a query tells the event (`src/search`), and the home page
//! offers the events as a way in ("Bạn đang cần làm gì?"), as the national
//! portal and GOV.UK organise by life events.
//!
//! Reviewed against the national catalog and the seed (2026-12-07): every
//! code below is in one of them, checked by this module's tests and the
//! app's national search test. The words are folded (no marks, lower case).

/// One event.
pub struct LifeEvent {
    /// Its name in `LIFE_EVENT_NAMES`.
    pub slug: &'static str,
    /// Phrases (whole words, folded) that say the event. Matched in the
    /// query before the dictionary; the words matched are then the
    /// event's, not words a procedure's name must have.
    pub says: &'static [&'static str],
    /// The procedures it leads to, most needed first, each with the
    /// words people use for it within this event (a query's remaining
    /// words that stand here pick it out of the event's list).
    pub leads: &'static [(&'static str, &'static str)],
}

/// The events' names, in the order the home page shows them: the
/// Vietnamese name is also the query its link searches for, and search
/// reads it as the event (checked by the tests below). A table of its own
/// so the first load carries the names without the words and codes.
pub const LIFE_EVENT_NAMES: &[(&str, &str, &str)] = &[
    ("sinh-con", "Có em bé", "Having a baby"),
    ("ket-hon", "Lấy vợ, lấy chồng", "Getting married"),
    ("nguoi-than-mat", "Người thân qua đời", "A death in the family"),
    ("chuyen-noi-o", "Chuyển nhà, ra ở riêng", "Moving house"),
    ("nha-dat", "Mua bán nhà đất", "Buying or selling land and houses"),
    ("xay-sua-nha", "Xây, sửa nhà", "Building or repairing a house"),
    ("kinh-doanh", "Mở quán, mở cửa hàng", "Opening a shop or a food stall"),
    ("xe", "Mua, bán xe", "Buying or selling a vehicle"),
    ("mat-giay-to", "Mất, hỏng giấy tờ", "A lost or damaged paper"),
    ("tai-nan-om-dau", "Tai nạn khi làm việc, nghỉ ốm", "An accident at work, sick leave"),
    ("bao-hiem-y-te", "Bảo hiểm y tế cho gia đình", "Health insurance for the family"),
    ("nghi-huu-tuoi-gia", "Về hưu, tuổi già", "Retirement and old age"),
    ("nghi-viec", "Nghỉ việc, mất việc", "Leaving or losing a job"),
    ("di-nuoc-ngoai", "Đi nước ngoài", "Going abroad"),
];

/// The events, in the order of their names.
pub const LIFE_EVENTS: &[LifeEvent] = &[
    LifeEvent {
        slug: "sinh-con",
        says: &[
            "co em be",
            "sinh em be",
            "sinh be",
            "moi sinh",
            "vua sinh",
            "sinh con",
            "de con",
            "moi de",
            "vua de",
            "tre so sinh",
            "con moi sinh",
            "em be",
        ],
        leads: &[
            ("1.001193", "khai sinh giay khai sinh ten ho"),
            ("2.000986", "the bao hiem y te bhyt thuong tru ho khau nhap khau lien thong"),
            ("2.001023", "the bao hiem y te bhyt the kham benh lien thong"),
            ("2.000693", "tien thai san che do thai san bao hiem xa hoi bhxh nghi sinh"),
            ("1.000689", "nhan cha chua ket hon ngoai gia thu"),
            ("1.014062", "can cuoc the can cuoc"),
        ],
    },
    LifeEvent {
        slug: "ket-hon",
        says: &[
            "lay vo",
            "lay chong",
            "cuoi vo",
            "cuoi chong",
            "dam cuoi",
            "dam hoi",
            "cuoi xin",
            "sap cuoi",
            "lay vo lay chong",
        ],
        leads: &[
            ("1.000894", "dang ky giay ket hon giay chung nhan"),
            ("1.004873", "doc than tinh trang hon nhan xac nhan"),
            ("2.000806", "nuoc ngoai viet kieu han quoc dai loan trung quoc nhat ban"),
            ("1.004222", "nhap khau ho khau thuong tru ve nha"),
            ("1.010038", "tach ho ra o rieng"),
        ],
    },
    LifeEvent {
        slug: "nguoi-than-mat",
        says: &[
            "nguoi than qua doi",
            "nguoi than mat",
            "qua doi",
            "mat roi",
            "da mat",
            "vua mat",
            "moi mat",
            "bo mat",
            "me mat",
            "cha mat",
            "ong mat",
            "ba mat",
            "vo mat",
            "chong mat",
            "con mat",
            "nguoi mat",
            "nguoi chet",
            "tu vong",
            "tu tran",
            "tu the",
            "ta the",
            "dam tang",
            "dam ma",
            "ma chay",
            "chet",
            "mat di",
        ],
        leads: &[
            ("1.000656", "khai tu bao tu giay bao tu giay chung tu trich luc khai tu"),
            ("2.000821", "tien tu tuat mai tang tro cap tuat tien chon cat tien"),
            ("2.000717", "luong huu con lai chua linh truy linh"),
            ("2.001406", "chia dat chia nha chia tai san thua ke di san phan chia"),
            ("2.001016", "tu choi khong nhan thua ke di san"),
            ("1.013980", "sang ten so do so hong nha dat"),
            ("1.010039", "doi chu ho chu ho cu tru thong tin"),
            ("1.004837", "giam ho con nho em nho tre mo coi"),
            ("1.005461", "khai tu lai"),
        ],
    },
    LifeEvent {
        slug: "chuyen-noi-o",
        says: &[
            "chuyen nha",
            "don nha",
            "don ve",
            "don den",
            "ra o rieng",
            "o rieng",
            "thue phong",
            "thue nha o",
            "di lam xa",
            "noi o moi",
            "chuyen ho khau",
            "nhap ho khau",
            "o tro",
            "thue tro",
            "phong tro",
            "o nho",
            "chuyen nha ra o rieng",
        ],
        leads: &[
            (
                "1.004222",
                "ho khau thuong tru nhap khau chuyen khau ve nha noi khac phuong khac xa khac",
            ),
            ("1.004194", "tam tru o tro thue tro phong tro cong nhan sinh vien"),
            ("1.010038", "tach ho tach so ho khau ra o rieng"),
            ("1.003197", "cat khau xoa thuong tru"),
            ("1.010028", "xoa tam tru"),
            ("1.010041", "xac nhan cu tru giay xac nhan noi o"),
            ("1.002755", "gia han tam tru het han"),
        ],
    },
    LifeEvent {
        slug: "nha-dat",
        says: &[
            "mua dat",
            "ban dat",
            "mua nha",
            "ban nha",
            "mua ban nha",
            "mua ban dat",
            "dat ong ba de lai",
            "cho con dat",
            "tang cho dat",
            "cho dat",
            "nhan dat",
            "mua ban nha dat",
        ],
        leads: &[
            ("1.012787", "sang ten so do so hong nhan chuyen nhuong"),
            ("2.001035", "chung thuc hop dong cong chung mua ban tang cho"),
            ("1.007277", "le phi truoc ba"),
            ("1.007674", "thue thu nhap ca nhan tncn thue"),
            ("1.013980", "thoa thuan ho gia dinh cho con sang ten"),
            ("1.012753", "so do lan dau cap so lan dau"),
            ("1.012784", "tach thua chia dat"),
            ("1.012785", "chua sang ten mua lau giay tay"),
        ],
    },
    LifeEvent {
        slug: "xay-sua-nha",
        says: &[
            "xay sua nha",
            "xay nha",
            "sua nha",
            "nang tang",
            "lam nha",
            "cat nha",
            "nha cap 4",
            "nha 3 tang",
        ],
        leads: &[
            ("1.013225", "xay nha xin phep giay phep xay moi"),
            ("1.013229", "sua nha sua chua cai tao nang tang sua mai"),
            ("1.013226", "thay doi thiet ke dieu chinh"),
            ("1.013227", "gia han het han"),
            ("1.013228", "cap lai mat"),
        ],
    },
    LifeEvent {
        slug: "kinh-doanh",
        says: &[
            "mo quan",
            "mo tiem",
            "mo cua hang",
            "mo shop",
            "ban hang",
            "buon ban",
            "mo sap",
            "mo xuong",
            "kinh doanh nho",
            "ban online",
            "ban hang online",
            "mo quan an",
            "mo quan cafe",
            "mo tiem tap hoa",
            "quan an",
            "quan an vat",
            "an vat",
            "quan nuoc",
            "quan cafe",
            "quan ca phe",
            "tiem tap hoa",
            "tap hoa",
            "tiem toc",
            "tiem may",
        ],
        leads: &[
            ("1.001612", "ho kinh doanh dang ky kinh doanh giay phep kinh doanh"),
            ("2.000720", "thay doi doi dia chi doi chu"),
            ("1.001570", "tam ngung tam dung tam nghi"),
            ("1.001266", "dong cua nghi han cham dut"),
            ("2.001610", "doanh nghiep tu nhan cong ty"),
            ("2.001583", "cong ty tnhh mot thanh vien 1 thanh vien"),
            ("1.008498", "ma so thue thue"),
            ("3.000489", "pccc phong chay chua chay karaoke"),
        ],
    },
    LifeEvent {
        slug: "xe",
        says: &[
            "mua xe",
            "ban xe",
            "xe moi mua",
            "o to moi mua",
            "mua o to",
            "ban o to",
            "mua xe o to",
            "xe cu",
            "hoc lai xe",
            "thi bang lai",
            "mua ban xe",
        ],
        leads: &[
            ("1.013067", "dang ky bien so lan dau xe moi"),
            ("1.013076", "sang ten doi chu xe cu"),
            ("1.013123", "thu hoi ban xe"),
            ("1.013082", "mat cavet cap lai giay dang ky xe"),
            ("1.007700", "le phi truoc ba"),
            ("3.000346", "thi bang lai hoc lai xe bang lai xe may giay phep lai xe"),
            ("3.000348", "mat bang lai cap lai"),
        ],
    },
    LifeEvent {
        slug: "mat-giay-to",
        says: &[
            "mat hong giay to",
            "mat giay to",
            "bi mat",
            "lam mat",
            "danh roi",
            "roi mat",
            "bi rach",
            "bi chay",
            "bi hong",
            "that lac",
        ],
        leads: &[
            ("1.014064", "can cuoc cccd the can cuoc cmnd"),
            ("1.001445", "ho chieu passport"),
            ("1.012786", "so do so hong giay chung nhan dat"),
            ("3.000348", "bang lai giay phep lai xe gplx"),
            ("1.013082", "cavet dang ky xe giay dang ky xe"),
            ("1.001294", "the bao hiem y te bhyt"),
            ("2.000635", "giay khai sinh trich luc ban sao"),
            ("2.000575", "giay phep kinh doanh ho kinh doanh"),
            ("1.008501", "ma so thue mst dang ky thue"),
            ("1.002759", "so bhxh so bao hiem xa hoi"),
            ("1.003634", "tau ca"),
        ],
    },
    LifeEvent {
        slug: "tai-nan-om-dau",
        says: &[
            "tai nan o xuong",
            "tai nan khi lam",
            "tai nan o cong ty",
            "bi thuong khi lam",
            "tai nan khi lam viec",
            "tai nan tren duong di lam",
            "duong di lam",
            "nghi om",
            "bi om",
            "nam vien",
        ],
        leads: &[
            ("1.001632", "che do tnld tai nan lao dong lan dau lam che do xuong"),
            ("1.001667", "om dau nghi om nam vien tien om che do huong bao hiem"),
            ("1.001643", "benh nghe nghiep bnn tiep tuc lan hai"),
            ("1.001521", "tai phat thuong tat"),
            ("1.001598", "duong suc nghi duong suc phuc hoi"),
            ("1.001656", "thanh toan tien kham benh bhyt"),
        ],
    },
    LifeEvent {
        slug: "bao-hiem-y-te",
        says: &[
            "bhyt ho gia dinh",
            "bao hiem y te ho gia dinh",
            "bao hiem y te cho ca nha",
            "bhyt cho ca nha",
            "mua bao hiem y te",
            "mua bhyt",
            "the kham benh",
            "bao hiem y te cho gia dinh",
            "bhyt cho gia dinh",
        ],
        leads: &[
            ("1.001939", "mua dong dang ky the bhyt ho gia dinh ca nha"),
            ("2.001023", "tre em be duoi 6 tuoi con nho"),
            ("1.002438", "doi het han"),
            ("1.001294", "mat cap lai hong rach"),
            ("1.002759", "sai thong tin sai ngay sinh sua"),
            ("1.001656", "thanh toan trai tuyen tien kham"),
        ],
    },
    LifeEvent {
        slug: "nghi-huu-tuoi-gia",
        says: &[
            "ve huu tuoi gia",
            "nghi huu",
            "ve huu",
            "nguoi gia",
            "tuoi gia",
            "80 tuoi",
            "tren 80",
            "nguoi cao tuoi",
            "gia yeu",
        ],
        leads: &[
            ("1.001776", "tro cap xa hoi hang thang tro cap nguoi gia 80 tuoi"),
            ("1.001742", "chuyen luong huu ve que tinh khac dia ban khac"),
            ("2.000740", "tai khoan ngan hang tien mat linh"),
            ("1.001601", "uy quyen linh thay linh ho con"),
            ("2.000717", "chet con lai chua linh"),
            ("1.001613", "mot lan rut bhxh"),
            ("2.000605", "luong huu can bo xa"),
        ],
    },
    LifeEvent {
        slug: "nghi-viec",
        says: &["nghi viec", "mat viec", "thoi viec", "bi cho nghi"],
        leads: &[
            ("1.001613", "rut bhxh mot lan bao hiem xa hoi mot lan"),
            ("1.001601", "tro cap that nghiep linh thay uy quyen"),
            ("1.002179", "bhxh tu nguyen dong tiep"),
            ("1.002759", "chot so gop so sai thong tin so bhxh"),
        ],
    },
    LifeEvent {
        slug: "di-nuoc-ngoai",
        says: &[
            "di nuoc ngoai",
            "ra nuoc ngoai",
            "xuat khau lao dong",
            "di xkld",
            "xkld",
            "di lao dong",
            "di du hoc",
            "du hoc",
            "di du lich nuoc ngoai",
        ],
        leads: &[
            ("1.001456", "ho chieu passport lam ho chieu"),
            ("3.000333", "ly lich tu phap tien an tien su"),
            ("1.003677", "tam vang khai bao vang mat"),
            ("2.000815", "chung thuc ban sao sao y cong chung"),
            ("1.003197", "cat khau xoa thuong tru dinh cu"),
            ("2.000755", "bhxh mot lan dinh cu tro cap"),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_well_formed() {
        let mut slugs = std::collections::HashSet::new();
        for e in LIFE_EVENTS {
            assert!(slugs.insert(e.slug), "two events are {}", e.slug);
            assert!(!e.says.is_empty() && !e.leads.is_empty(), "{}", e.slug);
            for phrase in e.says.iter().chain(e.leads.iter().map(|(_, w)| w)) {
                assert_eq!(crate::text::fold(phrase), *phrase, "{}: not folded: {phrase}", e.slug);
            }
            for (code, _) in e.leads {
                assert!(super::super::is_procedure_code(code), "{}: {code}", e.slug);
            }
        }
        let slugs: Vec<&str> = LIFE_EVENTS.iter().map(|e| e.slug).collect();
        let named: Vec<&str> = LIFE_EVENT_NAMES.iter().map(|(s, _, _)| *s).collect();
        assert_eq!(slugs, named, "one name per event, in the same order");
    }
}
