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

/// The years 1900 to 2199 as text, so a year can be borrowed like any
/// other value when tables are counted.
static YEARS: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| (1900..2200).map(|y| y.to_string()).collect());

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
    /// [`StatRecord::values`] borrowed (a year from the table of year
    /// names, [`YEARS`]).
    pub fn value_refs(&self, f: StatField) -> Vec<&str> {
        fn one(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or(UNKNOWN)
        }
        fn many(v: &[String]) -> Vec<&str> {
            let mut out: Vec<&str> = v.iter().map(String::as_str).collect();
            out.sort_unstable();
            out.dedup();
            if out.is_empty() {
                out.push(UNKNOWN);
            }
            out
        }
        match f {
            StatField::Year => vec![match self.year {
                None => UNKNOWN,
                Some(y) => match y.checked_sub(1900).and_then(|i| YEARS.get(usize::from(i))) {
                    Some(s) => s.as_str(),
                    // Outside the table (never from a case or a dataset,
                    // which keep to 1990-2100): counted as unknown.
                    None => UNKNOWN,
                },
            }],
            StatField::Source => vec![one(&self.source)],
            StatField::Gender => vec![one(&self.gender)],
            StatField::Age => vec![one(&self.age)],
            StatField::Majority => vec![one(&self.majority)],
            StatField::Citizenship => vec![one(&self.citizenship)],
            StatField::ExploitationCountry => many(&self.exploitation_country),
            StatField::Purpose => many(&self.purpose),
            StatField::Means => many(&self.means),
            StatField::Labour => many(&self.labour),
            StatField::Recruiter => many(&self.recruiter),
            StatField::Status => vec![one(&self.status)],
            StatField::Classification => vec![one(&self.classification)],
        }
    }

    /// The record's values for `f` (`unknown` when it has none), each once.
    pub fn values(&self, f: StatField) -> Vec<String> {
        self.value_refs(f).into_iter().map(str::to_owned).collect()
    }
}

/// A field's name for people (`Año`, `Sexo`, ...).
pub fn field_label(lang: crate::Lang, f: StatField) -> String {
    crate::tr(lang, &format!("stats-field-{}", f.name().replace('_', "-")))
}

/// A value's name for people: the vocabulary's label where there is one
/// (countries, purposes, means, ...), then `stats-<field>-<value>`, the
/// value itself for years and age bands, else the code with spaces. The UI follows the same rule
/// (`ui/src/stats/labels.ts`).
pub fn value_label(lang: crate::Lang, f: StatField, value: &str) -> String {
    use crate::i18n::{has, tr};
    if value == UNKNOWN {
        return tr(lang, "stats-unknown");
    }
    let keys: Vec<String> = match f {
        StatField::Year | StatField::Age => return value.to_owned(),
        StatField::Citizenship | StatField::ExploitationCountry => {
            vec![format!("country-{value}")]
        }
        StatField::Gender => vec![format!("gender-{value}")],
        StatField::Purpose => vec![format!("purpose-{value}")],
        StatField::Means => vec![format!("means-{value}"), format!("control-{value}")],
        StatField::Labour => vec![format!("labour-{value}")],
        StatField::Recruiter => vec![format!("recruiter-{value}")],
        StatField::Source => vec![
            format!("datasource-{value}"),
            format!("stats-source-{value}"),
        ],
        StatField::Majority => vec![format!("stats-majority-{value}")],
        StatField::Status => vec![format!("status-{value}")],
        StatField::Classification => vec![format!("classification-{value}")],
    };
    // Values only the field's datasets use (CTDC's `forced_marriage`,
    // `financial`, ...): `stats-<field>-<value>`.
    let own = format!("stats-{}-{value}", f.name().replace('_', "-"));
    keys.iter()
        .chain([&own])
        .find(|k| has(lang, k))
        .map(|k| tr(lang, k))
        .unwrap_or_else(|| value.replace('_', " "))
}

/// The values `f` always lists, whoever holds them (a closed vocabulary:
/// the region's countries, sexes, age bands, purposes, means, sectors,
/// recruiter relations, sources, statuses, classifications); empty for
/// years. Listed even when nobody has
/// them, so a listed value never says that someone does.
pub fn vocabulary(f: StatField) -> Vec<String> {
    use crate::enums::Closed;
    fn codes<T: Closed + Copy + 'static>() -> Vec<String> {
        T::all().iter().map(|x| x.as_str().to_owned()).collect()
    }
    match f {
        StatField::Citizenship | StatField::ExploitationCountry => crate::CountryCode::members()
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        StatField::Gender => codes::<crate::Gender>()
            .into_iter()
            .filter(|g| g != UNKNOWN)
            .collect(),
        StatField::Age => codes::<crate::AgeBand>(),
        StatField::Majority => vec!["adult".into(), "minor".into()],
        StatField::Purpose => codes::<crate::Purpose>(),
        StatField::Status => codes::<crate::CaseStatus>(),
        StatField::Classification => codes::<crate::Classification>(),
        StatField::Means => codes::<crate::Means>()
            .into_iter()
            .chain(codes::<crate::MeansOfControl>())
            .collect(),
        StatField::Labour => codes::<crate::LabourSector>(),
        StatField::Recruiter => codes::<crate::RecruiterRelation>()
            .into_iter()
            .filter(|r| r != UNKNOWN)
            .collect(),
        StatField::Source => std::iter::once("enlace".to_owned())
            .chain(codes::<crate::DataSource>())
            .collect(),
        StatField::Year => vec![],
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
    // Counted under borrowed values (a table over 100,000 victims would
    // otherwise copy every value of every record), owned at the end.
    let mut counts: std::collections::HashMap<Vec<&'a str>, u64> = Default::default();
    for r in records {
        if !filter.is_empty() && !passes(r, filter) {
            continue;
        }
        t.total += 1;
        let mut keys: Vec<Vec<&'a str>> = vec![Vec::with_capacity(by.len())];
        for f in by {
            let vals = r.value_refs(*f);
            if vals.len() == 1 {
                for k in &mut keys {
                    k.push(vals[0]);
                }
                continue;
            }
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    vals.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v);
                        k
                    })
                })
                .collect();
        }
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    t.cells = counts
        .into_iter()
        .map(|(k, n)| (k.into_iter().map(str::to_owned).collect(), n))
        .collect();
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

/// An earlier release: its population (the sources counted and the
/// filter) and exact counts (kept in the node's encrypted release log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub by: Vec<StatField>,
    pub filter: Filter,
    pub sources: BTreeSet<String>,
    pub cells: BTreeMap<String, u64>,
    pub total: u64,
    /// The rules it was published under (0: logged before they were
    /// recorded).
    #[serde(default)]
    pub k: u64,
    #[serde(default)]
    pub resolution: u64,
}

impl Release {
    /// Its counts by `f` alone, where a reader can add them up from the
    /// cells: the cells of a one-way table by `f`; in a two-way one, each
    /// line's sum when the other field has one value per victim (with a
    /// field of several, a line's sum counts some victims twice).
    pub fn margin(&self, f: StatField) -> Option<BTreeMap<String, u64>> {
        let at = self.by.iter().position(|g| *g == f)?;
        if self.by.len() == 2 && self.by[1 - at].multi_valued() {
            return None;
        }
        let mut m: BTreeMap<String, u64> = BTreeMap::new();
        for (key, n) in &self.cells {
            let v = key.split('\u{1f}').nth(at).unwrap_or_default();
            *m.entry(v.to_owned()).or_default() += n;
        }
        Some(m)
    }
}

/// The key of a cell in a release's map.
pub fn cell_key(values: &[String]) -> String {
    values.join("\u{1f}")
}

impl Release {
    /// The same release with its fields in the order `by` (None when it
    /// counts by other fields): tables by `gender,year` and `year,gender`
    /// are the same table.
    pub fn in_order(&self, by: &[StatField]) -> Option<Release> {
        if self.by.len() != by.len() || !by.iter().all(|f| self.by.contains(f)) {
            return None;
        }
        let perm: Vec<usize> = by
            .iter()
            .filter_map(|f| self.by.iter().position(|g| g == f))
            .collect();
        let cells = self
            .cells
            .iter()
            .map(|(k, n)| {
                let vals: Vec<String> = k.split('\u{1f}').map(str::to_owned).collect();
                let moved: Vec<String> = perm
                    .iter()
                    .map(|&i| vals.get(i).cloned().unwrap_or_default())
                    .collect();
                (cell_key(&moved), *n)
            })
            .collect();
        Some(Release {
            by: by.to_vec(),
            cells,
            ..self.clone()
        })
    }
}

/// A table's counts by `f` alone, where they can be added up from its
/// cells (see [`Release::margin`]).
fn margin_of(t: &Table, f: StatField) -> Option<BTreeMap<String, u64>> {
    let at = t.by.iter().position(|g| *g == f)?;
    if t.by.len() == 2 && t.by[1 - at].multi_valued() {
        return None;
    }
    let mut m: BTreeMap<String, u64> = BTreeMap::new();
    for (key, n) in &t.cells {
        *m.entry(key[at].clone()).or_default() += n;
    }
    Some(m)
}

/// Rounds down to a multiple of `resolution`.
fn round(n: u64, resolution: u64) -> u64 {
    if resolution <= 1 {
        n
    } else {
        n / resolution * resolution
    }
}

/// What a table is checked against before it is shown.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// Every combination of values the fields take in the sources counted:
    /// listed (a cell with no record is shown as hidden, like a small one,
    /// so a listed value never says that someone has it).
    pub universe: BTreeSet<Vec<String>>,
    /// Earlier releases over a population that shares records with this
    /// one (nested, equal or overlapping), fields in this table's order.
    pub earlier: &'a [Release],
    /// Earlier releases over such a population by other fields, at least
    /// one of them this table's (compared through their margins).
    pub related: &'a [Release],
    /// The part of each cell that comes from this node's own cases, when
    /// the table mixes them with public datasets (which anyone can
    /// subtract): a small part is hidden as a small cell is.
    pub own: Option<&'a Table>,
}

/// Applies the disclosure rules to `t`. `k` and `resolution` of 1 give
/// exact counts (for those allowed to see them; not a publication).
pub fn publish(t: &Table, k: u64, resolution: u64, cx: &Context<'_>) -> Published {
    let k = k.max(1);
    let resolution = resolution.max(1);
    let exact = k == 1;
    let mut all: BTreeSet<Vec<String>> = t.cells.keys().cloned().collect();
    if !exact {
        all.extend(cx.universe.iter().cloned());
    }
    let keys: Vec<Vec<String>> = all.into_iter().collect();
    let count = |key: &Vec<String>| t.cells.get(key).copied().unwrap_or(0);
    let own = |key: &Vec<String>| cx.own.and_then(|o| o.cells.get(key).copied()).unwrap_or(0);
    let small = |n: u64| n > 0 && n < k;
    let mut hidden: Vec<Option<Suppression>> = keys
        .iter()
        .map(|key| (!exact && (count(key) < k || small(own(key)))).then_some(Suppression::BelowK))
        .collect();
    let mut total_shown = exact || (t.total >= k && !small(cx.own.map_or(0, |o| o.total)));
    if !exact {
        // A cell, or the total, that differs by fewer than k from an
        // earlier release over an overlapping population would show a
        // small group (nested: the difference; overlapping: with a third
        // table, as (A + B - C) / 2).
        for e in cx.earlier.iter().filter(|e| e.by == t.by) {
            for (i, key) in keys.iter().enumerate() {
                let old = e.cells.get(&cell_key(key)).copied().unwrap_or(0);
                if hidden[i].is_none() && small(old.abs_diff(count(key))) {
                    hidden[i] = Some(Suppression::Difference);
                }
            }
            if small(e.total.abs_diff(t.total)) {
                total_shown = false;
            }
        }
        // The same through margins: a table's counts by one field can be
        // added up from a two-way table's lines, so releases over other
        // fields are compared by the fields they share. A line whose sum
        // differs by fewer than k from an earlier one gets a hidden cell
        // (and, below, a second, so its sum cannot be added up).
        for e in cx.related {
            for (axis, f) in t.by.iter().enumerate() {
                let (Some(old), Some(new)) = (e.margin(*f), margin_of(t, *f)) else {
                    continue;
                };
                for (v, n) in &new {
                    if !small(old.get(v).copied().unwrap_or(0).abs_diff(*n)) {
                        continue;
                    }
                    let line: Vec<usize> =
                        (0..keys.len()).filter(|&i| keys[i][axis] == *v).collect();
                    let already = line
                        .iter()
                        .any(|&i| hidden[i].is_some() && count(&keys[i]) > 0);
                    if !already
                        && let Some(&i) = line
                            .iter()
                            .filter(|&&i| count(&keys[i]) > 0)
                            .min_by_key(|&&i| (count(&keys[i]), i))
                    {
                        hidden[i] = Some(Suppression::Difference);
                    }
                }
            }
        }
        // Complementary suppression: in every line (a one-way table; each
        // row and column of a two-way one) holding a hidden group of
        // people, at least two hidden cells hold people and together they
        // hold at least k, so no total or margin (this table's, or a
        // one-way table's of the same population) tells one apart. Where
        // the table mixes this node's cases with public datasets (which
        // anyone can subtract), the same holds for the cases' own parts.
        let lines: Vec<Vec<usize>> = if t.by.len() < 2 {
            vec![(0..keys.len()).collect()]
        } else {
            let mut by_line: BTreeMap<(usize, &String), Vec<usize>> = BTreeMap::new();
            for (i, key) in keys.iter().enumerate() {
                for (axis, v) in key.iter().enumerate().take(2) {
                    by_line.entry((axis, v)).or_default().push(i);
                }
            }
            by_line.into_values().collect()
        };
        loop {
            let mut changed = false;
            for line in &lines {
                // (people hidden, cells hiding people) of a measure.
                let hid = |m: &dyn Fn(&Vec<String>) -> u64| {
                    line.iter()
                        .filter(|&&i| hidden[i].is_some() && m(&keys[i]) > 0)
                        .fold((0u64, 0usize), |(s, n), &i| (s + m(&keys[i]), n + 1))
                };
                let exposed = |(sum, cells): (u64, usize)| cells > 0 && (sum < k || cells < 2);
                let by_count: &dyn Fn(&Vec<String>) -> u64 = &count;
                let by_own: &dyn Fn(&Vec<String>) -> u64 = &own;
                let measure = if exposed(hid(by_count)) {
                    by_count
                } else if cx.own.is_some() && exposed(hid(by_own)) {
                    by_own
                } else {
                    continue;
                };
                // Whether cell i's other line already hides a group (hiding
                // it there exposes no new line).
                let settled = |i: usize| -> bool {
                    t.by.len() == 2
                        && lines.iter().any(|l| {
                            l.contains(&i)
                                && !std::ptr::eq(l, line)
                                && l.iter().any(|&j| {
                                    j != i && hidden[j].is_some() && measure(&keys[j]) > 0
                                })
                        })
                };
                // What hiding cell i costs: its people, and where its other
                // line would then expose a group, the smallest cell that
                // line would have to hide with it.
                let cost = |i: usize| -> u64 {
                    let own_cost = measure(&keys[i]);
                    if t.by.len() < 2 || settled(i) {
                        return own_cost;
                    }
                    let next = lines
                        .iter()
                        .filter(|l| l.contains(&i) && !std::ptr::eq(*l, line))
                        .flat_map(|l| l.iter().copied())
                        .filter(|&j| j != i && hidden[j].is_none() && measure(&keys[j]) > 0)
                        .map(|j| measure(&keys[j]))
                        .min()
                        .unwrap_or(0);
                    own_cost + next
                };
                let partner = line
                    .iter()
                    .copied()
                    .filter(|&i| hidden[i].is_none() && measure(&keys[i]) > 0)
                    .min_by_key(|&i| (cost(i), i));
                match partner {
                    Some(i) => {
                        hidden[i] = Some(Suppression::Complementary);
                        changed = true;
                    }
                    // Nothing left to hide with it: the total would tell.
                    None if t.by.len() < 2 => total_shown = false,
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
        // Where this node's cases are mixed with public datasets, each part
        // is rounded on its own: the public part is known exactly, so a
        // sum rounded as one would tell the cases' part to within a few
        // victims across several tables.
        cells: keys
            .iter()
            .zip(&hidden)
            .map(|(key, h)| PublishedCell {
                values: key.clone(),
                count: h.is_none().then(|| {
                    round(count(key).saturating_sub(own(key)), resolution)
                        + round(own(key), resolution)
                }),
                suppressed: *h,
            })
            .collect(),
        total: total_shown.then(|| {
            let own_total = cx.own.map_or(0, |o| o.total);
            round(t.total.saturating_sub(own_total), resolution) + round(own_total, resolution)
        }),
    }
}

/// The release to log for a published table.
pub fn release_of(
    t: &Table,
    filter: &Filter,
    sources: &BTreeSet<String>,
    (k, resolution): (u64, u64),
) -> Release {
    Release {
        by: t.by.clone(),
        filter: filter.clone(),
        sources: sources.clone(),
        cells: t.cells.iter().map(|(k, v)| (cell_key(k), *v)).collect(),
        total: t.total,
        k,
        resolution,
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

    fn all() -> BTreeSet<String> {
        ["all".to_owned()].into()
    }

    fn plain(t: &Table, k: u64, resolution: u64) -> Published {
        publish(t, k, resolution, &Context::default())
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
    fn small_cells_hide_with_enough_neighbours_that_no_total_tells_them_apart() {
        let mut t = Table {
            by: vec![StatField::Citizenship],
            ..Table::default()
        };
        t.cells.insert(vec!["US".into()], 400);
        t.cells.insert(vec!["UA".into()], 30);
        t.cells.insert(vec!["BY".into()], 20);
        t.cells.insert(vec!["AF".into()], 4);
        t.cells.insert(vec!["ER".into()], 1);
        t.total = 455;
        let p = plain(&t, 11, 11);
        let by = |v: &str| {
            p.cells
                .iter()
                .find(|c| c.values[0] == v)
                .expect("cell")
                .clone()
        };
        assert_eq!(by("AF").suppressed, Some(Suppression::BelowK));
        assert_eq!(by("ER").suppressed, Some(Suppression::BelowK));
        // 4 + 1 < 11: the smallest shown cell hides with them.
        assert_eq!(by("BY").suppressed, Some(Suppression::Complementary));
        assert_eq!(by("UA").count, Some(22));
        assert_eq!(p.total, Some(451));
        let exact = plain(&t, 1, 1);
        assert!(exact.cells.iter().all(|c| c.suppressed.is_none()));
        assert_eq!(exact.total, Some(455));
    }

    #[test]
    fn a_value_nobody_has_is_listed_hidden_like_a_small_one() {
        let r = vec![rec("female", 2019, "HN"); 30];
        let t = tabulate(&r, &[StatField::Gender], &Filter::new());
        let cx = Context {
            universe: [vec!["female".to_owned()], vec!["male".to_owned()]].into(),
            ..Context::default()
        };
        let p = publish(&t, 11, 1, &cx);
        let male = p
            .cells
            .iter()
            .find(|c| c.values[0] == "male")
            .expect("listed");
        assert_eq!(male.count, None);
        assert_eq!(male.suppressed, Some(Suppression::BelowK));
    }

    #[test]
    fn a_table_differing_by_a_small_group_from_an_earlier_one_hides_cells_and_total() {
        let all_records: Vec<StatRecord> = (0..60)
            .map(|i| {
                rec(
                    if i % 2 == 0 { "female" } else { "male" },
                    2019,
                    if i < 3 { "GT" } else { "HN" },
                )
            })
            .collect();
        let everyone = tabulate(&all_records, &[StatField::Gender], &Filter::new());
        let earlier = vec![release_of(&everyone, &Filter::new(), &all(), (11, 11))];
        let mut hn = Filter::new();
        hn.insert(StatField::Citizenship, ["HN".to_owned()].into());
        let t = tabulate(&all_records, &[StatField::Gender], &hn);
        let cx = Context {
            earlier: &earlier,
            ..Context::default()
        };
        let p = publish(&t, 11, 1, &cx);
        assert!(p.cells.iter().all(|c| c.count.is_none()), "{p:?}");
        assert_eq!(p.total, None, "57 after 60 would show the 3 Guatemalans");
        // The same release with its fields in another order is the same.
        let two = tabulate(
            &all_records,
            &[StatField::Gender, StatField::Year],
            &Filter::new(),
        );
        let logged = release_of(&two, &Filter::new(), &all(), (11, 11));
        let turned = logged
            .in_order(&[StatField::Year, StatField::Gender])
            .expect("same fields");
        assert_eq!(
            turned.cells[&cell_key(&["2019".to_owned(), "female".to_owned()])],
            30
        );
        assert!(logged.in_order(&[StatField::Gender]).is_none());
    }

    #[test]
    fn the_part_from_this_nodes_cases_is_never_small() {
        // Public: 21 in a cell. This node adds one victim to it.
        let mut t = Table {
            by: vec![StatField::Gender],
            ..Table::default()
        };
        t.cells.insert(vec!["female".into()], 22);
        t.cells.insert(vec!["male".into()], 40);
        t.total = 62;
        let mut own = Table {
            by: vec![StatField::Gender],
            ..Table::default()
        };
        own.cells.insert(vec!["female".into()], 1);
        own.total = 1;
        let p = publish(
            &t,
            11,
            11,
            &Context {
                own: Some(&own),
                ..Context::default()
            },
        );
        let f = p
            .cells
            .iter()
            .find(|c| c.values[0] == "female")
            .expect("cell");
        assert_eq!(f.count, None, "{p:?}");
        assert_eq!(p.total, None);
    }

    /// The hostile review's case: a cell hidden for this node's small part
    /// (6 of 322) beside a shown one (13 of 4,639) in a line whose margin
    /// a one-way table prints: the cases' parts of the line are hidden
    /// together, never one alone.
    #[test]
    fn this_nodes_small_part_hides_with_another_part_of_its_line() {
        let cell = |t: &mut Table, g: &str, a: &str, n: u64| {
            t.cells.insert(vec![g.into(), a.into()], n);
            t.total += n;
        };
        let by = vec![StatField::Gender, StatField::Age];
        let mut t = Table {
            by: by.clone(),
            ..Table::default()
        };
        let mut own = Table {
            by,
            ..Table::default()
        };
        cell(&mut t, "female", "9-17", 4_652);
        cell(&mut t, "male", "9-17", 322);
        cell(&mut t, "female", "18-20", 1_500);
        cell(&mut t, "male", "18-20", 568);
        cell(&mut own, "female", "9-17", 13);
        cell(&mut own, "male", "9-17", 6);
        cell(&mut own, "female", "18-20", 30);
        cell(&mut own, "male", "18-20", 25);
        cell(&mut t, "female", "21-23", 2_013);
        cell(&mut t, "male", "21-23", 900);
        cell(&mut own, "female", "21-23", 45);
        cell(&mut own, "male", "21-23", 20);
        let p = publish(
            &t,
            11,
            11,
            &Context {
                own: Some(&own),
                ..Context::default()
            },
        );
        let shown = |g: &str, a: &str| {
            p.cells
                .iter()
                .find(|c| c.values == [g.to_owned(), a.to_owned()])
                .and_then(|c| c.count)
        };
        assert_eq!(shown("male", "9-17"), None, "{p:?}");
        assert_eq!(
            shown("female", "9-17"),
            None,
            "hidden with its line's other part from this node: {p:?}"
        );
        // Shown counts round the public part and the cases' part apart:
        // 1,968 public and 45 from the cases show as 1,958 + 44, not as
        // 2,013 rounded (which would say the remainders add to 11 or more).
        assert_eq!(shown("female", "21-23"), Some(1_958 + 44), "{p:?}");
        for line in lines(&p) {
            let hidden_own: Vec<u64> = line
                .iter()
                .filter(|c| c.suppressed.is_some())
                .filter_map(|c| own.cells.get(&c.values).copied())
                .filter(|n| *n > 0)
                .collect();
            assert!(
                hidden_own.is_empty()
                    || (hidden_own.len() >= 2 && hidden_own.iter().sum::<u64>() >= 11),
                "{line:?}"
            );
        }
    }

    /// The second review's attack: tables by `gender,year` and
    /// `gender,source` over populations that overlap one published by
    /// `gender` alone; each line's sum is the one-way count, so a sum
    /// differing from an earlier one by fewer than k hides cells of that
    /// line (at least two, so the sum cannot be added up).
    #[test]
    fn a_two_way_tables_margin_is_compared_with_earlier_tables_by_its_fields() {
        let mut one = Table {
            by: vec![StatField::Gender],
            ..Table::default()
        };
        for (g, n) in [("female", 57u64), ("male", 35)] {
            one.cells.insert(vec![g.into()], n);
            one.total += n;
        }
        let related = vec![release_of(&one, &Filter::new(), &all(), (11, 11))];
        let mut two = Table {
            by: vec![StatField::Gender, StatField::Year],
            ..Table::default()
        };
        for (g, y, n) in [
            ("female", "2025", 30u64),
            ("female", "2026", 27),
            ("male", "2025", 15),
            ("male", "2026", 16),
        ] {
            two.cells.insert(vec![g.into(), y.into()], n);
            two.total += n;
        }
        // Male: 31 now, 35 before: the 4 left out would show.
        let p = publish(
            &two,
            11,
            11,
            &Context {
                related: &related,
                ..Context::default()
            },
        );
        let male_hidden = p
            .cells
            .iter()
            .filter(|c| c.values[0] == "male" && c.suppressed.is_some())
            .count();
        assert!(male_hidden >= 2, "{p:?}");
        assert!(
            p.cells
                .iter()
                .any(|c| c.suppressed == Some(Suppression::Difference)),
            "{p:?}"
        );
        // Female: 57 both times: nothing to hide for it.
        let mut same = two.clone();
        same.cells.insert(vec!["male".into(), "2026".into()], 20);
        same.total += 4;
        let q = publish(
            &same,
            11,
            11,
            &Context {
                related: &related,
                ..Context::default()
            },
        );
        assert!(q.cells.iter().all(|c| c.suppressed.is_none()), "{q:?}");
    }

    /// A line with one hidden group of k or more (hidden for a difference)
    /// still hides a second: its margin would give it back.
    #[test]
    fn one_hidden_cell_is_never_alone_in_its_line() {
        let mut t = Table {
            by: vec![StatField::Gender],
            ..Table::default()
        };
        for (g, n) in [
            ("female", 40u64),
            ("male", 30),
            ("trans_non_conforming", 20),
        ] {
            t.cells.insert(vec![g.into()], n);
            t.total += n;
        }
        let mut earlier_cells = t.clone();
        earlier_cells.cells.insert(vec!["male".into()], 25);
        earlier_cells.total -= 5;
        let earlier = vec![release_of(&earlier_cells, &Filter::new(), &all(), (11, 11))];
        let p = publish(
            &t,
            11,
            11,
            &Context {
                earlier: &earlier,
                ..Context::default()
            },
        );
        let hidden = p.cells.iter().filter(|c| c.suppressed.is_some()).count();
        assert!(hidden >= 2 || p.total.is_none(), "{p:?}");
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

    /// The lines of a table: the whole of a one-way one, each row and
    /// column of a two-way one.
    fn lines(p: &Published) -> Vec<Vec<&PublishedCell>> {
        if p.by.len() == 1 {
            return vec![p.cells.iter().collect()];
        }
        let mut m: BTreeMap<(usize, String), Vec<&PublishedCell>> = BTreeMap::new();
        for c in &p.cells {
            for axis in 0..2 {
                m.entry((axis, c.values[axis].clone())).or_default().push(c);
            }
        }
        m.into_values().collect()
    }

    proptest! {
        #[test]
        fn no_published_cell_is_below_k_and_hidden_groups_hide_at_least_k(
            r in records(), k in 11u64..15, two in any::<bool>()
        ) {
            let by = if two { vec![StatField::Gender, StatField::Citizenship] } else { vec![StatField::Citizenship] };
            let t = tabulate(&r, &by, &Filter::new());
            let p = plain(&t, k, 1);
            for c in &p.cells {
                if let Some(n) = c.count {
                    prop_assert!(n >= k, "{c:?} shown below k={k}");
                }
            }
            if let Some(total) = p.total { prop_assert!(total >= k); }
            let exact = |c: &PublishedCell| t.cells.get(&c.values).copied().unwrap_or(0);
            for line in lines(&p) {
                let hidden: Vec<&&PublishedCell> = line.iter().filter(|c| c.suppressed.is_some()).collect();
                let group = hidden.iter().any(|c| exact(c) > 0);
                let sum: u64 = hidden.iter().map(|c| exact(c)).sum();
                let groups = hidden.iter().filter(|c| exact(c) > 0).count();
                let shown_left = line.iter().any(|c| c.suppressed.is_none() && exact(c) > 0);
                // A hidden group hides with at least k, and with at least
                // one other group (else the line's margin tells it), unless
                // nothing is left to hide with it (then, one-way, the
                // total goes).
                prop_assert!(!group || (sum >= k && groups >= 2) || !shown_left, "line {line:?}: hidden sum {sum} in {groups} cells, k={k}");
                if p.by.len() == 1 && group && sum < k {
                    prop_assert!(p.total.is_none(), "{p:?}");
                }
            }
        }

        #[test]
        fn two_nested_releases_never_differ_by_a_shown_small_group(
            r in records(), k in 11u64..15, country in 0usize..5
        ) {
            let by = vec![StatField::Gender];
            let whole = tabulate(&r, &by, &Filter::new());
            let earlier = vec![release_of(&whole, &Filter::new(), &all(), (11, 11))];
            let mut f = Filter::new();
            f.insert(StatField::Citizenship, [["HN", "GT", "SV", "MX", "00"][country].to_owned()].into());
            let t = tabulate(&r, &by, &f);
            let p = publish(&t, k, 1, &Context { earlier: &earlier, ..Context::default() });
            let first = plain(&whole, k, 1);
            for c in &p.cells {
                let Some(n) = c.count else { continue };
                let Some(m) = first.cells.iter().find(|x| x.values == c.values).and_then(|x| x.count) else { continue };
                let d = m.abs_diff(n);
                prop_assert!(d == 0 || d >= k, "cells {c:?} and {m} differ by {d} < k={k}");
            }
            if let (Some(a), Some(b)) = (p.total, first.total) {
                let d = a.abs_diff(b);
                prop_assert!(d == 0 || d >= k, "totals {a} and {b} differ by {d}");
            }
        }
    }
}
