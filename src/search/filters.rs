//! Filters of the procedure list, and how they live in the URL so that a
//! volunteer can share a link
//! (`/thu-tuc?q=…&linh-vuc=…&cap=xa&noi=000.05.37.H37&truc-tuyen=1`).

use contract::catalog::{Level, OnlineLevel, ProcedureSummary, Unit, UnitKind};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Exact field (lĩnh vực) name.
    pub field: Option<String>,
    pub level: Option<Level>,
    /// Where the citizen will go: the code of a unit (the province's centre,
    /// or a commune or ward desk). Keeps the procedures done at that level.
    pub place: Option<String>,
    /// Only procedures that can be done entirely online (toàn trình).
    pub fully_online: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.active() == 0
    }

    /// How many filters are on (the phone's "Lọc (n)" says it).
    pub fn active(&self) -> usize {
        [self.field.is_some(), self.level.is_some(), self.place.is_some(), self.fully_online]
            .into_iter()
            .filter(|on| *on)
            .count()
    }

    /// Whether `s` passes every filter; `units` tells the level of the chosen
    /// place (a place not in `units` filters nothing).
    pub fn keep(&self, s: &ProcedureSummary, units: &[Unit]) -> bool {
        self.keep_at(s, self.place_level(units))
    }

    /// The level of the chosen place, if it is one of `units`.
    pub fn place_level(&self, units: &[Unit]) -> Option<Level> {
        self.place
            .as_ref()
            .and_then(|code| units.iter().find(|u| &u.code == code))
            .map(|u| level_of(u.kind))
    }

    /// As `keep`, with the place's level worked out once for a whole list.
    pub fn keep_at(&self, s: &ProcedureSummary, place_level: Option<Level>) -> bool {
        self.field.as_ref().is_none_or(|f| &s.field == f)
            && self.level.is_none_or(|l| s.levels.contains(&l))
            && place_level.is_none_or(|l| s.levels.contains(&l))
            && (!self.fully_online || s.online == OnlineLevel::Full)
    }

    /// Read from URL query pairs (already percent-decoded).
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Filters {
        Filters {
            field: get("linh-vuc").filter(|f| !f.trim().is_empty()).map(str::to_string),
            level: match get("cap") {
                Some("tinh") => Some(Level::Province),
                Some("xa") => Some(Level::Commune),
                _ => None,
            },
            place: get("noi").filter(|c| !c.trim().is_empty()).map(str::to_string),
            fully_online: get("truc-tuyen") == Some("1"),
        }
    }

    /// Query string pairs for the URL, in a stable order; empty values left out.
    pub fn to_pairs(&self, query: &str) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !query.trim().is_empty() {
            out.push(("q", query.trim().to_string()));
        }
        if let Some(f) = &self.field {
            out.push(("linh-vuc", f.clone()));
        }
        match self.level {
            Some(Level::Province) => out.push(("cap", "tinh".into())),
            Some(Level::Commune) => out.push(("cap", "xa".into())),
            _ => {}
        }
        if let Some(p) = &self.place {
            out.push(("noi", p.clone()));
        }
        if self.fully_online {
            out.push(("truc-tuyen", "1".into()));
        }
        out
    }
}

/// The level at which a unit's desk handles procedures.
pub fn level_of(kind: UnitKind) -> Level {
    match kind {
        UnitKind::Province => Level::Province,
        UnitKind::Ward | UnitKind::Commune | UnitKind::SpecialZone => Level::Commune,
    }
}

/// Fields present in `items`, most procedures first, with their counts.
pub fn fields(items: &[ProcedureSummary]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for s in items {
        match counts.iter_mut().find(|(f, _)| f == &s.field) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.field.clone(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// Where a citizen who did not find it might look next: the fields of the
/// best hits (positions in `items`, best first; the first weigh more), then
/// fields whose names have the query's `terms` (a whole word counts more
/// than a word it begins), then the largest fields. Three at most, each once.
pub fn nearest_fields(items: &[ProcedureSummary], hits: &[usize], terms: &[String]) -> Vec<String> {
    let mut weight: Vec<(&str, usize)> = Vec::new();
    for (rank, &h) in hits.iter().take(20).enumerate() {
        let field = items[h].field.as_str();
        match weight.iter_mut().find(|(f, _)| *f == field) {
            Some((_, w)) => *w += 20 - rank,
            None => weight.push((field, 20 - rank)),
        }
    }
    weight.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out: Vec<String> = weight.into_iter().map(|(f, _)| f.to_string()).collect();
    let all = fields(items);
    let says = |f: &str| -> usize {
        let words: Vec<String> =
            contract::text::words(f).iter().map(|w| w.replace('y', "i")).collect();
        terms
            .iter()
            .filter(|t| t.len() >= 2)
            .map(|t| {
                if words.iter().any(|w| w == t) {
                    2
                } else {
                    usize::from(words.iter().any(|w| w.starts_with(t.as_str())))
                }
            })
            .sum()
    };
    let said: Vec<usize> = all.iter().map(|(f, _)| says(f)).collect();
    // Most said first; fields saying as much keep the largest first (no
    // sort: a sort's code costs the first load a kilobyte).
    let most = said.iter().copied().max().unwrap_or(0);
    let by_words = (1..=most)
        .rev()
        .flat_map(|n| all.iter().zip(&said).filter(move |(_, s)| **s == n).map(|((f, _), _)| f));
    for f in by_words.chain(all.iter().map(|(f, _)| f)) {
        if out.len() >= 3 {
            break;
        }
        if !out.contains(f) {
            out.push(f.clone());
        }
    }
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_miss_leads_to_the_nearest_fields() {
        let item = |field: &str| ProcedureSummary {
            field: field.into(),
            ..s("", vec![], OnlineLevel::Full)
        };
        let items: Vec<ProcedureSummary> =
            ["Hộ tịch", "Hộ tịch", "Chứng thực", "Đất đai", "Đất đai", "Đất đai", "Cư trú"]
                .into_iter()
                .map(item)
                .collect();
        // The best hits' fields first, weighed by rank.
        assert_eq!(nearest_fields(&items, &[2, 0, 1], &[]), ["Hộ tịch", "Chứng thực", "Đất đai"]);
        // No hits: fields the query's words begin, then the largest.
        assert_eq!(nearest_fields(&items, &[], &["cu".into()]), ["Cư trú", "Đất đai", "Hộ tịch"]);
        // A whole word before a word it begins, even in a larger field.
        let mut more = items.clone();
        more.extend(["Cung cấp", "Cung cấp"].map(item));
        assert_eq!(nearest_fields(&more, &[], &["cu".into()])[..2], ["Cư trú", "Cung cấp"]);
        assert_eq!(nearest_fields(&items[..1], &[], &[]), ["Hộ tịch"]);
    }

    #[test]
    fn counts_the_filters_that_are_on() {
        let mut f = Filters::default();
        assert!(f.is_empty());
        f.fully_online = true;
        f.place = Some("000.05.37.H37".into());
        assert_eq!(f.active(), 2);
        assert!(!f.is_empty());
    }

    fn s(field: &str, levels: Vec<Level>, online: OnlineLevel) -> ProcedureSummary {
        ProcedureSummary {
            code: "1.000001".into(),
            name: "x".into(),
            field: field.into(),
            levels,
            online,
            time: String::new(),
            fee: String::new(),
            popularity: 0,
        }
    }

    #[test]
    fn keeps_what_matches_every_filter() {
        let a = s("Hộ tịch", vec![Level::Commune], OnlineLevel::Full);
        let b = s("Đất đai", vec![Level::Province], OnlineLevel::Partial);
        let f = Filters { field: Some("Hộ tịch".into()), ..Default::default() };
        assert!(f.keep(&a, &[]) && !f.keep(&b, &[]));
        let f = Filters { level: Some(Level::Province), ..Default::default() };
        assert!(!f.keep(&a, &[]) && f.keep(&b, &[]));
        let f = Filters { fully_online: true, ..Default::default() };
        assert!(f.keep(&a, &[]) && !f.keep(&b, &[]));
        assert!(Filters::default().keep(&a, &[]) && Filters::default().is_empty());
    }

    fn unit(code: &str, kind: UnitKind) -> Unit {
        Unit {
            code: code.into(),
            name: code.into(),
            kind,
            parent: None,
            address: String::new(),
            hours: String::new(),
            phone: String::new(),
        }
    }

    #[test]
    fn a_place_keeps_what_its_desk_handles() {
        let units = [
            unit("000.00.00.H37", UnitKind::Province),
            unit("000.05.37.H37", UnitKind::Commune),
            unit("000.01.37.H37", UnitKind::Ward),
        ];
        let commune = s("Hộ tịch", vec![Level::Commune], OnlineLevel::Full);
        let province = s("Đất đai", vec![Level::Province], OnlineLevel::Partial);
        let both = s("Chứng thực", vec![Level::Province, Level::Commune], OnlineLevel::None);
        let at = |code: &str| Filters { place: Some(code.into()), ..Default::default() };
        let f = at("000.05.37.H37");
        assert!(f.keep(&commune, &units) && !f.keep(&province, &units) && f.keep(&both, &units));
        let f = at("000.01.37.H37");
        assert!(f.keep(&commune, &units) && !f.keep(&province, &units));
        let f = at("000.00.00.H37");
        assert!(!f.keep(&commune, &units) && f.keep(&province, &units) && f.keep(&both, &units));
        // Unknown place (or units not loaded yet): nothing is hidden.
        assert!(at("nowhere").keep(&province, &units) && at("000.05.37.H37").keep(&province, &[]));
        assert!(!at("x").is_empty());
    }

    #[test]
    fn round_trips_through_the_url() {
        let f = Filters {
            field: Some("Hộ tịch".into()),
            level: Some(Level::Commune),
            place: Some("000.05.37.H37".into()),
            fully_online: true,
        };
        let pairs = f.to_pairs(" khai sinh ");
        assert_eq!(pairs[0], ("q", "khai sinh".to_string()));
        let back =
            Filters::from_pairs(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str()));
        assert_eq!(back, f);
        let junk = Filters::from_pairs(|k| match k {
            "cap" => Some("huyen"),
            "truc-tuyen" => Some("yes"),
            "linh-vuc" => Some("  "),
            "noi" => Some(""),
            _ => None,
        });
        assert!(junk.is_empty());
    }

    #[test]
    fn fields_by_count() {
        let items = vec![
            s("Hộ tịch", vec![], OnlineLevel::Full),
            s("Đất đai", vec![], OnlineLevel::Full),
            s("Hộ tịch", vec![], OnlineLevel::Full),
        ];
        assert_eq!(fields(&items), vec![("Hộ tịch".to_string(), 2), ("Đất đai".to_string(), 1)]);
    }
}
