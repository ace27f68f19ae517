//! Statistics over victims: one [`StatRecord`] per identified victim (a
//! case's victim, or a row of an imported dataset such as CTDC's), counted
//! by one or two fields, and the disclosure control every published table
//! goes through ([`publish`]): a minimum cell size k, counts rounded down
//! to a resolution, complementary suppression so a hidden cell cannot be
//! recomputed from the totals, and a check against earlier releases so two
//! tables cannot be subtracted to reveal a small group.
//!
//! Values are codes (`female`, `2019`, `HN`, `forced_labour`); a missing
//! or unknown value is `unknown`. Pure functions, no IO.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The value of a record with nothing known for a field.
pub const UNKNOWN: &str = "unknown";

/// What a table can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatField {
    /// Year of registration (a case: the year it was opened).
    Year,
    /// Where the record comes from: `enlace` (this node's cases) or the
    /// dataset's own source (`hotline`, `case_management`, ...).
    Source,
    Gender,
    /// CTDC age band (`0-8` ... `48+`).
    Age,
    /// `adult` or `minor`.
    Majority,
    /// ISO 3166-1 alpha-2.
    Citizenship,
    /// Country of exploitation (a case: its route's exploitation and
    /// destination countries).
    ExploitationCountry,
    /// Form of exploitation (several per victim).
    Purpose,
    /// Means of control (several per victim; a case's Protocol means).
    Means,
    /// Labour sector (several per victim).
    Labour,
    /// The recruiter's relation to the victim (several per victim).
    Recruiter,
    /// A case's status (datasets: unknown).
    Status,
    /// A case's classification (datasets: unknown).
    Classification,
}

impl StatField {
    pub const ALL: [StatField; 13] = [
        StatField::Year,
        StatField::Source,
        StatField::Gender,
        StatField::Age,
        StatField::Majority,
        StatField::Citizenship,
        StatField::ExploitationCountry,
        StatField::Purpose,
        StatField::Means,
        StatField::Labour,
        StatField::Recruiter,
        StatField::Status,
        StatField::Classification,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StatField::Year => "year",
            StatField::Source => "source",
            StatField::Gender => "gender",
            StatField::Age => "age",
            StatField::Majority => "majority",
            StatField::Citizenship => "citizenship",
            StatField::ExploitationCountry => "exploitation_country",
            StatField::Purpose => "purpose",
            StatField::Means => "means",
            StatField::Labour => "labour",
            StatField::Recruiter => "recruiter",
            StatField::Status => "status",
            StatField::Classification => "classification",
        }
    }

    pub fn parse(s: &str) -> Option<StatField> {
        StatField::ALL.into_iter().find(|f| f.name() == s.trim())
    }

    /// A victim may have several values (the cells of a table over it
    /// then add up to more than the victims counted).
    pub fn multi_valued(self) -> bool {
        matches!(
            self,
            StatField::Purpose
                | StatField::Means
                | StatField::Labour
                | StatField::Recruiter
                | StatField::ExploitationCountry
        )
    }
}

/// One identified victim, as statistics see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRecord {
    pub year: Option<u16>,
    pub source: Option<String>,
    pub gender: Option<String>,
    pub age: Option<String>,
    pub majority: Option<String>,
    pub citizenship: Option<String>,
    #[serde(default)]
    pub exploitation_country: Vec<String>,
    #[serde(default)]
    pub purpose: Vec<String>,
    #[serde(default)]
    pub means: Vec<String>,
    #[serde(default)]
    pub labour: Vec<String>,
    #[serde(default)]
    pub recruiter: Vec<String>,
    pub status: Option<String>,
    pub classification: Option<String>,
}

impl StatRecord {
    /// The record's values for `f` (`unknown` when it has none), each once.
    pub fn values(&self, f: StatField) -> Vec<String> {
        let one = |v: &Option<String>| vec![v.clone().unwrap_or_else(|| UNKNOWN.to_owned())];
        let many = |v: &Vec<String>| {
            let set: BTreeSet<&String> = v.iter().collect();
            if set.is_empty() {
                vec![UNKNOWN.to_owned()]
            } else {
                set.into_iter().cloned().collect()
            }
        };
        match f {
            StatField::Year => vec![
                self.year
                    .map_or_else(|| UNKNOWN.to_owned(), |y| y.to_string()),
            ],
            StatField::Source => one(&self.source),
            StatField::Gender => one(&self.gender),
            StatField::Age => one(&self.age),
            StatField::Majority => one(&self.majority),
            StatField::Citizenship => one(&self.citizenship),
            StatField::ExploitationCountry => many(&self.exploitation_country),
            StatField::Purpose => many(&self.purpose),
            StatField::Means => many(&self.means),
            StatField::Labour => many(&self.labour),
            StatField::Recruiter => many(&self.recruiter),
            StatField::Status => one(&self.status),
            StatField::Classification => one(&self.classification),
        }
    }
}

/// The order values of `f` are listed in: years and age bands in their
/// natural order, `unknown` last, the rest alphabetically.
pub fn order_key(f: StatField, value: &str) -> (u8, u32, String) {
    const BANDS: [&str; 9] = [
        "0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+",
    ];
    if value == UNKNOWN {
        return (2, 0, String::new());
    }
    match f {
        StatField::Year => (0, value.parse().unwrap_or(u32::MAX), String::new()),
        StatField::Age => (
            0,
            BANDS
                .iter()
                .position(|b| *b == value)
                .map_or(u32::MAX, |i| i as u32),
            String::new(),
        ),
        _ => (1, 0, value.to_owned()),
    }
}

/// Which records a table counts: for each field named, the values kept
/// (a record passes when one of its values is among them).
pub type Filter = BTreeMap<StatField, BTreeSet<String>>;

pub fn passes(r: &StatRecord, filter: &Filter) -> bool {
    filter
        .iter()
        .all(|(f, keep)| r.values(*f).iter().any(|v| keep.contains(v)))
}

/// Exact counts by the values of one or two fields, and the number of
/// records counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub by: Vec<StatField>,
    pub cells: BTreeMap<Vec<String>, u64>,
    pub total: u64,
}

/// Counts `records` that pass `filter` by the fields `by` (one or two).
pub fn tabulate<'a>(
    records: impl IntoIterator<Item = &'a StatRecord>,
    by: &[StatField],
    filter: &Filter,
) -> Table {
    let mut t = Table {
        by: by.to_vec(),
        ..Table::default()
    };
    for r in records {
        if !passes(r, filter) {
            continue;
        }
        t.total += 1;
        let mut keys: Vec<Vec<String>> = vec![vec![]];
        for f in by {
            let vals = r.values(*f);
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    vals.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        for k in keys {
            *t.cells.entry(k).or_default() += 1;
        }
    }
    t
}

/// Why a cell is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    /// Fewer than k records.
    BelowK,
    /// Hidden with another cell of its row or column so neither can be
    /// recomputed from the totals.
    Complementary,
    /// It differs by fewer than k from the same cell of an earlier
    /// release over a nested population.
    Difference,
}

/// A cell as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedCell {
    pub values: Vec<String>,
    /// Rounded down to the resolution; `None` when suppressed.
    pub count: Option<u64>,
    pub suppressed: Option<Suppression>,
}

/// A table as published, with the rules it went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    pub by: Vec<StatField>,
    pub k: u64,
    pub resolution: u64,
    pub cells: Vec<PublishedCell>,
    /// Records counted, rounded; `None` when below k.
    pub total: Option<u64>,
}

/// An earlier release of a table over the same fields: its population and
/// exact counts (kept in the node's encrypted release log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub by: Vec<StatField>,
    /// The population: the filter, and which sources it counted.
    pub filter: Filter,
    pub sources: String,
    pub cells: BTreeMap<String, u64>,
    pub total: u64,
}

/// The key of a cell in a release's map.
pub fn cell_key(values: &[String]) -> String {
    values.join("\u{1f}")
}

/// True when population `a` lies within population `b` (every condition
/// of `b` is one of `a`'s, as strict or stricter): subtracting a table of
/// one from the other's counts a group.
pub fn nested(a: &Filter, b: &Filter) -> bool {
    b.iter()
        .all(|(f, keep)| a.get(f).is_some_and(|mine| mine.is_subset(keep)))
}

/// Rounds down to a multiple of `resolution`.
fn round(n: u64, resolution: u64) -> u64 {
    if resolution <= 1 {
        n
    } else {
        n / resolution * resolution
    }
}

/// Applies the disclosure rules to `t` for a population (`filter`,
/// `sources`) given the earlier releases. `k` and `resolution` of 1 give
/// exact counts (for those allowed to see them; not a publication).
pub fn publish(
    t: &Table,
    filter: &Filter,
    sources: &str,
    k: u64,
    resolution: u64,
    earlier: &[Release],
) -> Published {
    let k = k.max(1);
    let resolution = resolution.max(1);
    let keys: Vec<&Vec<String>> = t.cells.keys().collect();
    let mut hidden: Vec<Option<Suppression>> = t
        .cells
        .values()
        .map(|&n| (n > 0 && n < k).then_some(Suppression::BelowK))
        .collect();
    // A cell that differs by fewer than k from the same cell of a release
    // over a nested population (either way) would reveal that small group.
    if k > 1 {
        for e in earlier.iter().filter(|e| {
            e.by == t.by
                && e.sources == sources
                && e.filter != *filter
                && (nested(filter, &e.filter) || nested(&e.filter, filter))
        }) {
            for (i, key) in keys.iter().enumerate() {
                let old = e.cells.get(&cell_key(key)).copied().unwrap_or(0);
                let d = old.abs_diff(t.cells[*key]);
                if hidden[i].is_none() && d > 0 && d < k {
                    hidden[i] = Some(Suppression::Difference);
                }
            }
        }
    }
    // Complementary suppression: in every line of the table (the whole of
    // a one-way table; each row and column of a two-way one) whose total is
    // shown, a hidden cell never stands alone.
    let mut total_shown = t.total >= k;
    if k > 1 && total_shown {
        let lines: Vec<Vec<usize>> = match t.by.len() {
            0 | 1 => vec![(0..keys.len()).collect()],
            _ => {
                let mut by_line: BTreeMap<(usize, &String), Vec<usize>> = BTreeMap::new();
                for (i, key) in keys.iter().enumerate() {
                    for (axis, v) in key.iter().enumerate().take(2) {
                        by_line.entry((axis, v)).or_default().push(i);
                    }
                }
                by_line.into_values().collect()
            }
        };
        loop {
            let mut changed = false;
            for line in &lines {
                let n_hidden = line.iter().filter(|&&i| hidden[i].is_some()).count();
                if n_hidden != 1 {
                    continue;
                }
                // The smallest shown cell with records hides with it.
                let partner = line
                    .iter()
                    .copied()
                    .filter(|&i| hidden[i].is_none() && t.cells[keys[i]] > 0)
                    .min_by_key(|&i| (t.cells[keys[i]], i));
                match partner {
                    Some(i) => {
                        hidden[i] = Some(Suppression::Complementary);
                        changed = true;
                    }
                    // A one-way table whose only other cells are empty:
                    // the total would give the hidden one away.
                    None if t.by.len() < 2 => total_shown = false,
                    // A row or column of one cell: its total is that
                    // cell, below k, and is never shown either.
                    None => {}
                }
            }
            if !changed {
                break;
            }
        }
    }
    Published {
        by: t.by.clone(),
        k,
        resolution,
        cells: keys
            .iter()
            .zip(&hidden)
            .map(|(key, h)| PublishedCell {
                values: (*key).clone(),
                count: h.is_none().then(|| round(t.cells[*key], resolution)),
                suppressed: *h,
            })
            .collect(),
        total: total_shown.then(|| round(t.total, resolution)),
    }
}

/// The release to log for a published table.
pub fn release_of(t: &Table, filter: &Filter, sources: &str) -> Release {
    Release {
        by: t.by.clone(),
        filter: filter.clone(),
        sources: sources.to_owned(),
        cells: t.cells.iter().map(|(k, v)| (cell_key(k), *v)).collect(),
        total: t.total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rec(gender: &str, year: u16, country: &str) -> StatRecord {
        StatRecord {
            gender: Some(gender.into()),
            year: Some(year),
            citizenship: Some(country.into()),
            ..StatRecord::default()
        }
    }

    #[test]
    fn counts_by_two_fields_with_unknown_and_several_values() {
        let mut r = vec![rec("female", 2019, "HN"), rec("male", 2019, "GT")];
        r.push(StatRecord {
            purpose: vec!["forced_labour".into(), "sexual_exploitation".into()],
            ..StatRecord::default()
        });
        let t = tabulate(&r, &[StatField::Gender, StatField::Year], &Filter::new());
        assert_eq!(t.total, 3);
        assert_eq!(t.cells[&vec!["female".to_owned(), "2019".to_owned()]], 1);
        assert_eq!(t.cells[&vec![UNKNOWN.to_owned(), UNKNOWN.to_owned()]], 1);
        let p = tabulate(&r, &[StatField::Purpose], &Filter::new());
        assert_eq!(p.cells[&vec!["forced_labour".to_owned()]], 1);
        assert_eq!(p.cells[&vec![UNKNOWN.to_owned()]], 2);
        let mut f = Filter::new();
        f.insert(StatField::Citizenship, ["HN".to_owned()].into());
        assert_eq!(tabulate(&r, &[StatField::Gender], &f).total, 1);
    }

    #[test]
    fn a_lone_small_cell_hides_with_its_smallest_neighbour_and_counts_round_down() {
        let mut t = Table {
            by: vec![StatField::Gender],
            ..Table::default()
        };
        t.cells.insert(vec!["female".into()], 40);
        t.cells.insert(vec!["male".into()], 25);
        t.cells.insert(vec![UNKNOWN.into()], 3);
        t.total = 68;
        let p = publish(&t, &Filter::new(), "all", 11, 11, &[]);
        let by = |v: &str| {
            p.cells
                .iter()
                .find(|c| c.values[0] == v)
                .expect("cell")
                .clone()
        };
        assert_eq!(by(UNKNOWN).suppressed, Some(Suppression::BelowK));
        assert_eq!(by("male").suppressed, Some(Suppression::Complementary));
        assert_eq!(by("female").count, Some(33));
        assert_eq!(p.total, Some(66));
        let exact = publish(&t, &Filter::new(), "all", 1, 1, &[]);
        assert!(exact.cells.iter().all(|c| c.suppressed.is_none()));
        assert_eq!(exact.total, Some(68));
    }

    #[test]
    fn a_table_differing_by_a_small_group_from_an_earlier_one_hides_those_cells() {
        let all: Vec<StatRecord> = (0..60)
            .map(|i| {
                rec(
                    if i % 2 == 0 { "female" } else { "male" },
                    2019,
                    if i < 3 { "GT" } else { "HN" },
                )
            })
            .collect();
        let everyone = tabulate(&all, &[StatField::Gender], &Filter::new());
        let earlier = vec![release_of(&everyone, &Filter::new(), "all")];
        let mut hn = Filter::new();
        hn.insert(StatField::Citizenship, ["HN".to_owned()].into());
        let t = tabulate(&all, &[StatField::Gender], &hn);
        let p = publish(&t, &hn, "all", 11, 1, &earlier);
        assert!(
            p.cells.iter().all(|c| c.count.is_none()),
            "3 Guatemalans would be the difference: {p:?}"
        );
        // A population that is not nested in the earlier one is not compared.
        let mut gt_only = Filter::new();
        gt_only.insert(StatField::Year, ["2018".to_owned()].into());
        let other = vec![release_of(&everyone, &gt_only, "all")];
        let p = publish(&t, &hn, "all", 11, 1, &other);
        assert!(p.cells.iter().all(|c| c.count.is_some()), "{p:?}");
    }

    fn records() -> impl Strategy<Value = Vec<StatRecord>> {
        prop::collection::vec(
            (0usize..4, 0usize..3, 0usize..5).prop_map(|(g, y, c)| {
                rec(
                    ["female", "male", "trans_non_conforming", UNKNOWN][g],
                    2017 + y as u16,
                    ["HN", "GT", "SV", "MX", "00"][c],
                )
            }),
            0..300,
        )
    }

    /// A hidden cell's value as bounded by its line's shown cells and total
    /// (the attacker's best): exact when it is the only one hidden.
    fn recoverable(p: &Published, t: &Table) -> bool {
        if p.total.is_none() || p.resolution != 1 {
            return false;
        }
        let lines: Vec<Vec<&PublishedCell>> = if p.by.len() == 1 {
            vec![p.cells.iter().collect()]
        } else {
            let mut m: BTreeMap<(usize, String), Vec<&PublishedCell>> = BTreeMap::new();
            for c in &p.cells {
                for axis in 0..2 {
                    m.entry((axis, c.values[axis].clone())).or_default().push(c);
                }
            }
            m.into_values().collect()
        };
        let _ = t;
        // A two-way table shows no row or column totals: a line of one
        // cell has the cell's own count as its total (below k, so never
        // shown in any table).
        let least = if p.by.len() == 1 { 1 } else { 2 };
        lines
            .iter()
            .any(|l| l.len() >= least && l.iter().filter(|c| c.suppressed.is_some()).count() == 1)
    }

    proptest! {
        #[test]
        fn no_published_cell_is_below_k_and_no_hidden_cell_stands_alone(
            r in records(), k in 2u64..15, two in any::<bool>()
        ) {
            let by = if two { vec![StatField::Gender, StatField::Citizenship] } else { vec![StatField::Citizenship] };
            let t = tabulate(&r, &by, &Filter::new());
            let p = publish(&t, &Filter::new(), "all", k, 1, &[]);
            for c in &p.cells {
                if let Some(n) = c.count {
                    prop_assert!(n == 0 || n >= k, "{c:?} shown below k={k}");
                }
            }
            if let Some(total) = p.total { prop_assert!(total >= k); }
            prop_assert!(!recoverable(&p, &t), "a hidden cell can be recomputed: {p:?}");
        }

        #[test]
        fn two_nested_releases_never_differ_by_a_shown_small_group(
            r in records(), k in 2u64..15, country in 0usize..5
        ) {
            let by = vec![StatField::Gender];
            let all = tabulate(&r, &by, &Filter::new());
            let earlier = vec![release_of(&all, &Filter::new(), "all")];
            let mut f = Filter::new();
            f.insert(StatField::Citizenship, [["HN", "GT", "SV", "MX", "00"][country].to_owned()].into());
            let t = tabulate(&r, &by, &f);
            let p = publish(&t, &f, "all", k, 1, &earlier);
            let first = publish(&all, &Filter::new(), "all", k, 1, &[]);
            for c in &p.cells {
                let Some(n) = c.count else { continue };
                let Some(m) = first.cells.iter().find(|x| x.values == c.values).and_then(|x| x.count) else { continue };
                let d = m.abs_diff(n);
                prop_assert!(d == 0 || d >= k, "cells {c:?} and {m} differ by {d} < k={k}");
            }
        }
    }
}
