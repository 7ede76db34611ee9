//! Realistic citizen queries, typed as people type them on phones, each with
//! the procedure it must find in the top 3 — over the province's seed
//! catalog and, when present, the imported national catalog too.

#[cfg(test)]
mod tests {
    use contract::catalog::{OnlineLevel, ProcedureSummary};

    use crate::search::Index;

    /// (query as typed, intended procedure code)
    const QUERIES: &[(&str, &str)] = &[
        ("dang ky khai sinh", "1.001193"),
        ("Đăng ký khai sinh", "1.001193"),
        ("DANG KI KHAI SINH", "1.001193"),
        ("Đa\u{0306}ng ky\u{0301} khai sinh", "1.001193"),
        ("lam giay khai sinh", "1.001193"),
        ("làm giấy khai sinh cho con", "1.001193"),
        ("khai sinh", "1.001193"),
        ("khais sinh", "1.001193"),
        ("dang ky ket hon", "1.000894"),
        ("ket hon", "1.000894"),
        ("khai tu", "1.000656"),
        ("bao tu nguoi nha", "1.000656"),
        ("giay xac nhan doc than", "1.004873"),
        ("xac nhan tinh trang hon nhan", "1.004873"),
        ("tinh trang hon nhan", "1.004873"),
        ("trich luc khai sinh", "2.000635"),
        ("ban sao giay khai sinh", "2.000635"),
        ("chung thuc ban sao", "2.000815"),
        ("sao y ban chinh", "2.000815"),
        ("cong chung giay to", "2.000815"),
        ("chung thuc chu ky", "2.000884"),
        ("chung thuc di chuc", "2.001019"),
        ("dang ky thuong tru", "1.004222"),
        ("nhap khau", "1.004222"),
        ("thuongg tru", "1.004222"),
        ("dang ky tam tru", "1.004194"),
        ("tam tru", "1.004194"),
        ("gia han tam tru", "1.002755"),
        ("tach ho", "1.010038"),
        ("khai bao tam vang", "1.003677"),
        ("xac nhan cu tru", "1.010041"),
        ("lam cccd", "1.014061"),
        ("làm căn cước", "1.014061"),
        ("cap doi can cuoc", "1.014063"),
        ("mat can cuoc cap lai", "1.014064"),
        ("dang ky ho kinh doanh", "1.001612"),
        ("mo cua hang", "1.001612"),
        ("xin giay phep xay nha", "1.013225"),
        ("giay phep xay dung", "1.013225"),
        ("sua nha", "1.013229"),
        ("so do", "1.012753"),
        ("sổ đỏ", "1.012753"),
        ("cap lai so do bi mat", "1.012786"),
        ("tach thua dat", "1.012784"),
        ("tranh chap dat", "1.012812"),
        ("ho ngheo", "1.011607"),
        ("tro cap nguoi khuyet tat", "1.001776"),
        ("giay xac nhan khuyet tat", "1.001699"),
        ("ly lich tu phap", "3.000333"),
        ("lam ho chieu", "1.001456"),
        ("cap lai bang lai xe", "3.000348"),
        ("che do thai san", "2.000693"),
        ("thủ tục làm khai tử", "1.000656"),
        ("cải chính hộ tịch", "1.004859"),
        ("doi ten cho con", "1.004859"),
        // Words from the dictionary served by the portal (issue 22's first part).
        ("doi so do", "1.012783"),
        ("so do bi sai ten", "1.012796"),
        ("cap so do lan dau", "1.012753"),
        ("mua ban nha dat", "2.001035"),
        ("gop thua dat", "1.012784"),
        ("kien dat dai hang xom", "1.012812"),
        ("lam di chuc", "2.001019"),
        ("chia thua ke", "2.001406"),
        ("tu choi thua ke", "2.001016"),
        ("dich thuat ho so", "2.000992"),
        ("xin lai giay khai sinh", "2.000635"),
        ("làm lại khai sinh", "1.004884"),
        ("ket hon lai", "1.004746"),
        ("nhan con", "1.001022"),
        ("bhyt cho tre em", "2.001023"),
        ("doi dan toc", "1.004859"),
        ("đăng ký ở trọ", "1.004194"),
        ("thue tro", "1.004194"),
        ("tach ho khau", "1.010038"),
        ("khai bao luu tru", "2.001159"),
        ("giay xac nhan cu tru", "1.010041"),
        ("ct07", "1.010041"),
        ("can cuoc cho tre em", "1.014062"),
        ("doi can cuoc", "1.014063"),
        ("lam ho chieu", "1.001456"),
        ("mat bang lai", "3.000348"),
        ("mat giay phep kinh doanh", "2.000575"),
        ("dong cua hang", "1.001266"),
        ("tam nghi kinh doanh", "1.001570"),
        ("xay nha moi", "1.013225"),
        ("sua chua nha", "1.013229"),
        ("so ho ngheo", "1.011607"),
        ("giay khuyet tat", "1.001699"),
        ("tro cap nguoi cao tuoi", "1.001776"),
        ("mai tang phi", "2.000821"),
    ];

    /// Queries for procedures only the national catalog has (the national
    /// dictionary's phrases), checked in the national test only.
    const NATIONAL: &[(&str, &str)] = &[
        ("chuyen luong huu ve que", "1.001742"),
        ("lĩnh hộ tiền bảo hiểm thất nghiệp", "1.001601"),
        ("rut bhxh mot lan", "1.001613"),
        ("rút bảo hiểm xã hội", "1.001613"),
        ("mat the bhyt", "1.001294"),
        ("nhan con nuoi", "2.001263"),
        ("khoan gieng", "1.001662"),
        ("doi bang lai xe", "3.000347"),
        ("lam bien so xe may", "1.013067"),
        ("mua xe cu", "1.013076"),
        ("tham dinh pccc", "3.000489"),
        ("dang ky thuyen danh ca", "1.003650"),
        ("mở công ty tư nhân", "2.001610"),
        ("mat giay dang ky thue", "1.008501"),
        ("dong ma so thue", "1.007607"),
        ("xin visa cho nguoi nuoc ngoai", "1.001194"),
        ("mua nha o xa hoi", "1.012896"),
        ("kiem dich lon van chuyen di tinh khac", "1.002338"),
        ("hoan thue vat doanh nghiep", "1.007037"),
        ("lam vneid", "1.011410"),
        // Names that abbreviate (TNLĐ, BNN, BHYT, KCB), found spelled out.
        ("bi tai nan lao dong lan dau", "1.001632"),
        // Who it is for cannot outvote what is asked for.
        ("lam the bhyt cho ong ngoai", "2.000639"),
        ("lam ho chieu cho ong ngoai", "1.001456"),
        ("xac nhan cu tru cho ong ngoai", "1.010041"),
        ("dang ky thuong tru cho me", "1.004222"),
        ("cap lai so bhxh cho bo", "1.002759"),
        ("ky hop dong kham chua benh bao hiem y te", "1.001798"),
        // Whole questions and who it is for, around the words that matter.
        ("khoan giếng cần giấy tờ gì", "1.001662"),
        ("rút bảo hiểm xã hội một lần nộp ở đâu", "1.001613"),
        ("đổi bằng lái xe mất bao lâu", "3.000347"),
        ("chuyển lương hưu về quê cho mẹ tôi", "1.001742"),
        ("nhận con nuôi cần những giấy tờ gì", "2.001263"),
        // Papers people ask for by their everyday names, and near-twins:
        // the procedure that issues, at the nearest desk, unless the
        // query says otherwise.
        ("xin lý lịch tư pháp", "3.000333"),
        ("lý lịch tư pháp xin ở đâu", "3.000333"),
        ("lam ho chieu", "1.001456"),
        ("làm hộ chiếu mất bao lâu", "1.001456"),
        ("xin cap ho chieu cho con", "1.001456"),
        ("lamf hooj chieeus", "1.001456"),
        ("ho65 chie61u", "1.001456"),
        ("doi ten cho con", "1.004859"),
        ("sua sai ngay sinh trong giay khai sinh", "1.004859"),
        ("cai chinh ho tich", "1.004859"),
        ("lam giam ho cho chau", "1.004837"),
        ("đăng ký giám hộ cho cháu cần giấy tờ gì", "1.004837"),
        ("nhan cha cho con", "1.001022"),
        ("cap lai bang lai xe", "3.000348"),
        ("gplx", "3.000346"),
        ("the bao hiem y te bi mat", "1.001294"),
        ("lam lai the bhyt", "1.001294"),
        ("doi the bao hiem y te", "1.002438"),
        ("trong lua chuyen sang trong cay", "1.008004"),
        ("chuyen doi cay trong tren dat lua", "1.008004"),
        ("sang ten xe may", "1.013076"),
        ("xac nhan so cmnd cu", "1.012566"),
        ("xac nhan cmnd 9 so", "1.012566"),
        ("đăng kí kết hôn với người nước ngoài", "2.000806"),
        ("ddawng kys thuwowngf truys", "1.004222"),
        ("nguoi nha chet can lam gi", "1.000656"),
        ("mo quan an", "1.001612"),
        ("dang ky kinh doanh ca the", "1.001612"),
        ("giay to dat bi mat", "1.012786"),
        ("so do bi chay", "1.012786"),
        ("lam lai the bao hiem y te bi rach", "1.001294"),
        ("linh ho tien bao hiem", "1.001601"),
        ("nhan nuoi chau", "2.001263"),
        ("lam bang lai xe", "3.000346"),
        ("dang ky xe may", "1.013067"),
        ("con ngoai gia thu", "1.001022"),
        ("so ho khau", "1.010041"),
        ("cat khau", "1.003197"),
        ("dang ky khai tu cho bo", "1.000656"),
        ("chung thuc hop dong mua ban xe", "2.001035"),
        ("xin so ho ngheo", "1.011607"),
    ];

    /// The seed's summaries and what they are about.
    fn seed() -> (Vec<ProcedureSummary>, String) {
        crate::search::eval::catalog(SEED, "")
    }

    const SEED: &str = include_str!("../../crates/portal/data/procedures.json");

    fn misses(items: &[ProcedureSummary], about: &str, queries: &[(&str, &str)]) -> Vec<String> {
        let mut index = Index::new(items);
        index.add_about(about);
        queries
            .iter()
            .filter_map(|(q, want)| {
                let top: Vec<&str> =
                    index.search(q).iter().take(3).map(|h| items[h.index].code.as_str()).collect();
                (!top.contains(want)).then(|| format!("{q:?}: wanted {want}, got {top:?}"))
            })
            .collect()
    }

    /// Readers of the English interface, typing in English.
    const ENGLISH: &[(&str, &str)] = &[
        ("birth registration", "1.001193"),
        ("register a birth", "1.001193"),
        ("marriage registration", "1.000894"),
        ("marriage certificate", "1.000894"),
        ("death registration", "1.000656"),
        ("certified copy", "2.000815"),
        ("certify signature", "2.000884"),
        ("temporary residence", "1.004194"),
        ("permanent residence registration", "1.004222"),
        ("identity card", "1.014061"),
        ("ID card", "1.014061"),
        ("criminal record certificate", "3.000333"),
        ("police clearance", "3.000333"),
        ("passport", "1.001456"),
        ("driving licence", "3.000348"),
        ("driver license", "3.000348"),
        ("marital status certificate", "1.004873"),
        ("single status", "1.004873"),
        ("household business", "1.001612"),
        ("building permit", "1.013225"),
        ("red book", "1.012783"),
        ("birth certificate copy", "2.000635"),
        ("confirmation of residence", "1.010041"),
    ];

    #[test]
    fn english_queries_find_the_most_used_procedures() {
        let (items, about) = seed();
        let m = misses(&items, &about, ENGLISH);
        assert!(m.is_empty(), "{} of {} queries missed:\n{}", m.len(), ENGLISH.len(), m.join("\n"));
    }

    #[test]
    fn citizen_queries_find_the_intended_procedure_in_the_top_three() {
        assert!(QUERIES.len() >= 40);
        let (items, about) = seed();
        let m = misses(&items, &about, QUERIES);
        assert!(m.is_empty(), "{} of {} queries missed:\n{}", m.len(), QUERIES.len(), m.join("\n"));
    }

    /// The national catalog's lines, or nothing (said) where this machine
    /// has no copy.
    fn national_text() -> Option<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/national-catalog.jsonl");
        let text = std::fs::read_to_string(path).ok();
        if text.is_none() {
            eprintln!("skipped: {path} is absent");
        }
        text
    }

    /// With the real national catalog added (as the portal's import does:
    /// the province's own records win), the same queries still land.
    #[test]
    fn citizen_queries_hold_at_national_scale() {
        let Some(text) = national_text() else { return };
        // Levels left out, as this test has always read the catalog (with
        // them, as the portal imports it, the commune's twin of two of
        // these comes first: the evaluation set judges with levels).
        let (mut items, mut about) = seed();
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let code = v["code"].as_str().unwrap_or_default().to_string();
            if items.iter().any(|s| s.code == code) {
                continue;
            }
            about.push_str(&crate::search::eval::about_line(&v));
            items.push(ProcedureSummary {
                code,
                name: v["name"].as_str().unwrap_or_default().into(),
                field: v["field"].as_str().unwrap_or_default().into(),
                levels: vec![],
                online: OnlineLevel::Partial,
                time: String::new(),
                fee: String::new(),
                popularity: 0,
            });
        }
        assert!(items.len() > 2600);
        let mut m = misses(&items, &about, QUERIES);
        m.extend(misses(&items, &about, NATIONAL));
        m.extend(misses(&items, &about, ENGLISH));
        let n = QUERIES.len() + NATIONAL.len() + ENGLISH.len();
        assert!(m.is_empty(), "{} of {n} queries missed:\n{}", m.len(), m.join("\n"));
    }

    /// The evaluation set (`perf/search-eval.tsv`) over the seed with the
    /// national catalog imported: its figures may only go up. The floor
    /// is what the set measured when it was last raised; the bench prints
    /// the figures and every miss.
    #[test]
    fn evaluation_set_holds_its_floor() {
        let Some(text) = national_text() else { return };
        let (items, about) = crate::search::eval::catalog(SEED, &text);
        let mut index = Index::new(&items);
        index.add_about(&about);
        let cases = crate::search::eval::parse_cases(include_str!("../../perf/search-eval.tsv"));
        assert!(cases.len() >= 200, "{} cases", cases.len());
        let f = crate::search::eval::evaluate(&index, &items, &cases);
        eprintln!(
            "top-1 {} top-3 {} top-5 {} of {}, MRR {:.3}\n{}",
            f.top1,
            f.top3,
            f.top5,
            f.queries,
            f.mrr,
            f.misses.join("\n")
        );
        assert!(f.top3 >= TOP3_FLOOR && f.top1 >= TOP1_FLOOR, "below the floor: {f:?}");
    }

    const TOP3_FLOOR: usize = 277;
    const TOP1_FLOOR: usize = 235;

    /// Try queries by hand: `SEARCH_PROBE="query|query" cargo test -p
    /// motcua --lib probe -- --ignored --nocapture` prints each one's top 5
    /// over the seed with the national catalog imported;
    /// `SEARCH_PROBE_FILE=cases.tsv` the figures over a set held out.
    #[test]
    #[ignore]
    fn probe() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/national-catalog.jsonl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let (items, about) = crate::search::eval::catalog(SEED, &text);
        let mut index = Index::new(&items);
        index.add_about(&about);
        if let Ok(file) = std::env::var("SEARCH_PROBE_FILE") {
            let cases = crate::search::eval::parse_cases(&std::fs::read_to_string(file).unwrap());
            let f = crate::search::eval::evaluate(&index, &items, &cases);
            eprintln!(
                "top-1 {} top-3 {} top-5 {} of {}\n{}",
                f.top1,
                f.top3,
                f.top5,
                f.queries,
                f.misses.join("\n")
            );
        }
        for q in
            std::env::var("SEARCH_PROBE").unwrap_or_default().split('|').filter(|q| !q.is_empty())
        {
            eprintln!("{q:?} -> {:?}", crate::search::query_terms(q));
            for h in index.search(q).iter().take(5) {
                let p = &items[h.index];
                eprintln!(
                    "   {:>5} {} {}",
                    h.score,
                    p.code,
                    p.name.chars().take(90).collect::<String>()
                );
            }
        }
    }
}
