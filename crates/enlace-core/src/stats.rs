//! Statistics over this node's cases (one record per victim) and the
//! imported datasets, with the disclosure rules of
//! [`enlace_domain::stats`] applied to every published table and each
//! release logged (so a later table cannot be subtracted from it).

use std::collections::{BTreeMap, BTreeSet};

use enlace_docs::Document;
use enlace_domain::enums::Closed;
use enlace_domain::stats::{self, Filter, Published, Release, StatField, StatRecord, Suppression};
use enlace_domain::{Case, DocKind, PersonRole, RouteRole};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{App, CoreError, Result, now_string};

/// Which records a table counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsQuery {
    /// One or two fields.
    pub by: Vec<StatField>,
    pub filter: Filter,
    /// This node's cases.
    pub cases: bool,
    /// Imported datasets: `None` none, `Some([])` every one, else those.
    pub datasets: Option<Vec<i64>>,
    /// Minimum cell size and resolution; 1 and 1 give exact counts (not a
    /// publication: not logged).
    pub k: u64,
    pub resolution: u64,
    /// A publication (a CLI table, a CSV or report): logged as a release,
    /// so a later table cannot be subtracted from it. Otherwise a preview
    /// on screen: the same rules, checked against the releases, not logged.
    pub publish: bool,
}

/// A table as the app asks for it (field names as text).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct StatsRequest {
    /// One or two field names (`year`, `gender`, ...).
    pub by: Vec<String>,
    /// Field name → the values kept.
    #[serde(default)]
    pub filter: BTreeMap<String, Vec<String>>,
    /// Count this node's cases.
    pub cases: bool,
    /// Imported datasets: null none, `[]` every one, else those.
    #[ts(type = "number[] | null")]
    pub datasets: Option<Vec<i64>>,
    /// Exact counts on screen (audited), not for publication.
    pub exact: bool,
    /// Minimum cell size and resolution of a published table.
    #[ts(type = "number")]
    pub k: u64,
    #[ts(type = "number")]
    pub resolution: u64,
}

impl StatsRequest {
    /// The query, with `publish` saying whether it is logged as a release.
    pub fn query(&self, publish: bool) -> Result<StatsQuery> {
        let field = |s: &String| {
            StatField::parse(s).ok_or_else(|| CoreError::StatsField { field: s.clone() })
        };
        let by = self.by.iter().map(field).collect::<Result<Vec<_>>>()?;
        let mut filter = Filter::new();
        for (f, values) in &self.filter {
            if values.is_empty() {
                continue;
            }
            filter
                .entry(field(f)?)
                .or_default()
                .extend(values.iter().cloned());
        }
        let (k, resolution) = if self.exact {
            (1, 1)
        } else {
            (self.k, self.resolution)
        };
        Ok(StatsQuery {
            by,
            filter,
            cases: self.cases,
            datasets: self.datasets.clone(),
            k,
            resolution,
            publish,
        })
    }
}

/// Every record statistics can count, with its source, and the store's
/// generation when they were read.
pub(crate) type StatsCache = ((u64, i64), std::sync::Arc<Vec<(String, StatRecord)>>);

/// Default minimum cell size (as CTDC's global dataset) and resolution.
pub const DEFAULT_K: u64 = 11;

/// One cell of a table as shown.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StatsCell {
    /// Field → value (`unknown` when not known).
    pub values: BTreeMap<String, String>,
    #[ts(type = "number | null")]
    pub count: Option<u64>,
    pub suppressed: bool,
    /// `below_k`, `complementary` or `difference`.
    #[ts(optional)]
    pub reason: Option<String>,
}

/// A table: the disclosure rules it went through and its cells.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StatsTable {
    pub by: Vec<String>,
    #[ts(type = "number")]
    pub k: u64,
    #[ts(type = "number")]
    pub resolution: u64,
    /// Exact counts (k and resolution 1): for those allowed to see them,
    /// not to publish.
    pub exact: bool,
    pub cells: Vec<StatsCell>,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// What was counted: `cases` and/or `dataset:ID`.
    pub sources: Vec<String>,
    /// Cells hidden, by reason.
    #[ts(type = "Record<string, number>")]
    pub suppressed: BTreeMap<String, u64>,
    /// Logged as a release (published), or a preview on screen.
    pub published: bool,
}

fn reason_name(s: Suppression) -> &'static str {
    match s {
        Suppression::BelowK => "below_k",
        Suppression::Complementary => "complementary",
        Suppression::Difference => "difference",
    }
}

/// A case's victims as statistical records.
pub fn case_records(c: &Case) -> Vec<StatRecord> {
    let year = chrono::Datelike::year(&c.opened);
    let exploitation: Vec<String> = c
        .route
        .iter()
        .filter(|s| matches!(s.role, RouteRole::Exploitation | RouteRole::Destination))
        .map(|s| s.country.as_str().to_owned())
        .collect();
    c.persons
        .iter()
        .filter(|p| p.role == PersonRole::Victim)
        .map(|p| StatRecord {
            year: u16::try_from(year).ok(),
            source: Some("enlace".into()),
            gender: (p.gender != enlace_domain::Gender::Unknown)
                .then(|| p.gender.as_str().to_owned()),
            age: p.age_band.map(|a| a.as_str().to_owned()),
            majority: if p.is_minor() {
                Some("minor".into())
            } else if p.age_band.is_some() {
                Some("adult".into())
            } else {
                None
            },
            citizenship: p.nationality.as_ref().map(|n| n.as_str().to_owned()),
            exploitation_country: exploitation.clone(),
            purpose: c.purposes.iter().map(|x| x.as_str().to_owned()).collect(),
            // The Protocol's means and the standard's means of control
            // (codes apart: `threat` is the Protocol's, `threats` CTDC's).
            means: c
                .means
                .iter()
                .map(|x| x.as_str().to_owned())
                .chain(
                    c.standard
                        .means_of_control
                        .iter()
                        .map(|x| x.as_str().to_owned()),
                )
                .collect(),
            labour: c
                .standard
                .labour_sector
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            recruiter: c
                .standard
                .recruiter_relation
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            status: Some(c.status.as_str().to_owned()),
            classification: Some(c.classification.as_str().to_owned()),
        })
        .collect()
}

impl App {
    /// Every victim of the cases this node holds, as statistical records.
    /// Read from each case's index row (kept with it when it is written);
    /// a case indexed before that existed, or not indexed, is read from
    /// its document.
    fn case_stat_records(&self) -> Result<Vec<StatRecord>> {
        let read = self.store.read();
        let mut out = vec![];
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut from_docs = vec![];
        for (id, victims) in read.case_victims()? {
            match victims.and_then(|j| serde_json::from_str::<Vec<StatRecord>>(&j).ok()) {
                Some(records) => out.extend(records),
                None => from_docs.push(id.clone()),
            }
            seen.insert(id);
        }
        // A case document without an index row (never expected: every
        // write indexes) is read from its document. Counted first: listing
        // the documents' ids reads their rows, slow at 100,000 cases.
        if read.count_docs(DocKind::Case)? != seen.len() as u64 {
            from_docs.extend(
                read.doc_ids(DocKind::Case)?
                    .into_iter()
                    .filter(|id| !seen.contains(id)),
            );
        }
        for id in from_docs {
            let Some(row) = read.doc(&id)? else { continue };
            let doc = Document::load(&row.bytes, self.node.actor.clone())?;
            out.extend(case_records(&doc.read::<Case>("case")?));
        }
        Ok(out)
    }

    /// The k and resolution this node publishes under, once it has
    /// published (the first release fixes them).
    pub fn published_settings(&self) -> Result<Option<(u64, u64)>> {
        for j in self.store.read().stats_releases()? {
            let r: Release = serde_json::from_str(&j).map_err(|e| {
                CoreError::Internal(format!("the statistics release log cannot be read: {e}"))
            })?;
            if r.k > 1 {
                return Ok(Some((r.k, r.resolution)));
            }
        }
        Ok(None)
    }

    /// Every record this node can count, with its source (`cases`,
    /// `dataset:ID`).
    fn all_stat_records(&mut self) -> Result<std::sync::Arc<Vec<(String, StatRecord)>>> {
        let generation = self.store.generation()?;
        if let Some((at, records)) = &self.stats_cache
            && *at == generation
        {
            return Ok(records.clone());
        }
        let records = std::sync::Arc::new(self.read_stat_records()?);
        self.stats_cache = Some((generation, records.clone()));
        Ok(records)
    }

    fn read_stat_records(&self) -> Result<Vec<(String, StatRecord)>> {
        let mut out: Vec<(String, StatRecord)> = self
            .case_stat_records()?
            .into_iter()
            .map(|r| ("cases".to_owned(), r))
            .collect();
        for d in self.datasets()? {
            let source = format!("dataset:{}", d.id);
            out.extend(
                self.dataset_records(&[d.id])?
                    .into_iter()
                    .map(|r| (source.clone(), r)),
            );
        }
        Ok(out)
    }

    /// A table by one or two fields, with the disclosure rules applied
    /// (and, unless exact, logged as a release; exact counts are audited).
    pub fn stats(&mut self, q: &StatsQuery) -> Result<StatsTable> {
        let all = self.all_stat_records()?;
        self.stats_over(&all, q)
    }

    /// [`App::stats`] over records already loaded (a report asks for many
    /// tables of the same records).
    fn stats_over(&mut self, all: &[(String, StatRecord)], q: &StatsQuery) -> Result<StatsTable> {
        if q.by.is_empty() || q.by.len() > 2 {
            return Err(CoreError::StatsBy);
        }
        let exact = q.k <= 1;
        if exact {
            self.require(enlace_domain::Permission::ExactStatistics)?;
        }
        if !exact && q.k < DEFAULT_K {
            return Err(CoreError::StatsK { least: DEFAULT_K });
        }
        // Rounding to less than k would let differences under k show.
        if !exact && q.resolution < q.k {
            return Err(CoreError::StatsResolution { k: q.k });
        }
        let (k, resolution) = if exact { (1, 1) } else { (q.k, q.resolution) };
        let known: BTreeSet<i64> = self.datasets()?.iter().map(|d| d.id).collect();
        let mut sources: BTreeSet<String> = BTreeSet::new();
        if q.cases {
            sources.insert("cases".to_owned());
        }
        if let Some(ids) = &q.datasets {
            for id in ids {
                if !known.contains(id) {
                    return Err(CoreError::NotFound {
                        what: format!("dataset {id}"),
                    });
                }
            }
            let chosen: Vec<i64> = if ids.is_empty() {
                known.iter().copied().collect()
            } else {
                ids.clone()
            };
            sources.extend(chosen.iter().map(|i| format!("dataset:{i}")));
        }
        let member = |srcs: &BTreeSet<String>, filter: &Filter| -> Vec<bool> {
            all.iter()
                .map(|(s, r)| srcs.contains(s) && stats::passes(r, filter))
                .collect()
        };
        let mine = member(&sources, &q.filter);
        let counted = all
            .iter()
            .zip(&mine)
            .filter(|(_, m)| **m)
            .map(|((_, r), _)| r);
        let table = stats::tabulate(counted, &q.by, &q.filter);
        // Every value the counted sources hold, whatever the filter (not
        // those of sources left out: a value only this node's cases hold
        // is not listed in a table of public datasets).
        // Without a filter that is the table's own cells: no second pass.
        let mut universe: BTreeSet<Vec<String>> = if q.filter.is_empty() {
            table.cells.keys().cloned().collect()
        } else {
            stats::tabulate(
                all.iter()
                    .filter(|(s, _)| sources.contains(s))
                    .map(|(_, r)| r),
                &q.by,
                &Filter::new(),
            )
            .cells
            .into_keys()
            .collect()
        };
        // And every value of a closed vocabulary (the region's countries,
        // sexes, ...) the filter keeps, whoever holds it: a country only
        // this node's cases hold is listed as any other.
        let vocab: Vec<Vec<String>> =
            q.by.iter()
                .map(|f| {
                    stats::vocabulary(*f)
                        .into_iter()
                        .filter(|v| q.filter.get(f).is_none_or(|keep| keep.contains(v)))
                        .collect()
                })
                .collect();
        // Each field's listed values: its vocabulary and, for a field
        // without one (years), the values the data hold.
        let observed: Vec<BTreeSet<String>> = (0..q.by.len())
            .map(|i| universe.iter().map(|key| key[i].clone()).collect())
            .collect();
        let listed: Vec<Vec<String>> = vocab
            .iter()
            .zip(&observed)
            .map(|(v, o)| {
                if v.is_empty() {
                    o.iter().cloned().collect()
                } else {
                    v.clone()
                }
            })
            .collect();
        let mut combos: Vec<Vec<String>> = vec![vec![]];
        for values in &listed {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut c = c.clone();
                        c.push(v.clone());
                        c
                    })
                })
                .collect();
        }
        if vocab.iter().any(|v| !v.is_empty()) {
            universe.extend(combos);
        }
        // This node's own victims, when mixed with public datasets that
        // anyone can subtract.
        let own = (sources.contains("cases") && sources.len() > 1).then(|| {
            stats::tabulate(
                all.iter()
                    .zip(&mine)
                    .filter(|((s, _), m)| **m && s == "cases")
                    .map(|((_, r), _)| r),
                &q.by,
                &q.filter,
            )
        });
        // Earlier releases over a population sharing records with this one
        // (nested, equal or overlapping), judged by the records each counts
        // (not by how the filter reads), with their fields in this table's
        // order.
        // Releases by other fields sharing one with this table are compared
        // through their margins.
        let mut earlier: Vec<Release> = vec![];
        let mut related: Vec<Release> = vec![];
        if !exact {
            for j in self.store.read().stats_releases()? {
                let r: Release = serde_json::from_str(&j).map_err(|e| {
                    CoreError::Internal(format!("the statistics release log cannot be read: {e}"))
                })?;
                // Every publication of a node uses the same k and
                // resolution: tables of one population published under
                // several would tell exact counts (a cell shown at k = 19
                // and hidden at k = 20 holds 19).
                if r.k > 1 && (r.k, r.resolution) != (k, resolution) {
                    return Err(CoreError::StatsSettings {
                        k: r.k,
                        resolution: r.resolution,
                    });
                }
                let theirs = member(&r.sources, &r.filter);
                if !mine.iter().zip(&theirs).any(|(x, y)| *x && *y) {
                    continue;
                }
                match r.in_order(&q.by) {
                    Some(same) => earlier.push(same),
                    None if r.by.iter().any(|f| q.by.contains(f)) => related.push(r),
                    None => {}
                }
            }
        }
        let cx = stats::Context {
            universe,
            earlier: &earlier,
            related: &related,
            own: own.as_ref(),
        };
        let published: Published = stats::publish(&table, k, resolution, &cx);
        let at = now_string();
        let by = self.by();
        let fields: Vec<&str> = q.by.iter().map(|f| f.name()).collect();
        let source_list: Vec<String> = sources.iter().cloned().collect();
        let release = serde_json::to_string(&stats::release_of(
            &table,
            &q.filter,
            &sources,
            (k, resolution),
        ))
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        let publish = q.publish && !exact;
        // The write below adds to the audit or release log, not to the
        // records: a cache read at this generation stays good after it.
        let before = self.store.generation()?;
        self.store.write(|tx| {
            if exact {
                tx.audit(
                    &at,
                    &by,
                    "stats.exact",
                    &fields.join(","),
                    &source_list.join("+"),
                )?;
            } else if !publish {
                // A preview on screen: not a release, but who looked at
                // which table is recorded.
                tx.audit(
                    &at,
                    &by,
                    "stats.preview",
                    &fields.join(","),
                    &format!("k={k} resolution={resolution} {}", source_list.join("+")),
                )?;
            } else {
                tx.put_stats_release(&at, &release)?;
                tx.audit(
                    &at,
                    &by,
                    "stats.release",
                    &fields.join(","),
                    &format!("k={k} resolution={resolution} {}", source_list.join("+")),
                )?;
            }
            Ok::<_, CoreError>(())
        })?;
        // Only when nothing but that write happened (another connection's
        // commit in between leaves the cache stale, to be read again).
        let after = self.store.generation()?;
        if let Some((at, _)) = &mut self.stats_cache
            && *at == before
            && after == (before.0 + 1, before.1)
        {
            *at = after;
        }
        let mut suppressed: BTreeMap<String, u64> = BTreeMap::new();
        let mut ordered: Vec<&stats::PublishedCell> = published.cells.iter().collect();
        ordered.sort_by_cached_key(|c| {
            q.by.iter()
                .zip(&c.values)
                .map(|(f, v)| stats::order_key(*f, v))
                .collect::<Vec<_>>()
        });
        let cells = ordered
            .into_iter()
            .map(|c| {
                if let Some(s) = c.suppressed {
                    *suppressed.entry(reason_name(s).to_owned()).or_default() += 1;
                }
                StatsCell {
                    values: q
                        .by
                        .iter()
                        .zip(&c.values)
                        .map(|(f, v)| (f.name().to_owned(), v.clone()))
                        .collect(),
                    count: c.count,
                    suppressed: c.suppressed.is_some(),
                    reason: c.suppressed.map(|s| reason_name(s).to_owned()),
                }
            })
            .collect();
        Ok(StatsTable {
            by: q.by.iter().map(|f| f.name().to_owned()).collect(),
            k,
            resolution,
            exact,
            cells,
            total: published.total,
            sources: source_list,
            suppressed,
            published: publish,
        })
    }
}

impl App {
    /// Publishes a table as CSV at `out` (whole or not at all): the
    /// disclosure rules apply, the release is logged and the file audited.
    pub fn export_stats_csv(&mut self, q: &StatsQuery, out: &std::path::Path) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
        if q.k <= 1 {
            return Err(CoreError::StatsK { least: DEFAULT_K });
        }
        let t = self.stats(&StatsQuery {
            publish: true,
            ..q.clone()
        })?;
        let bytes = table_csv(&t)?;
        crate::files::write_atomically(out, &bytes)?;
        self.audit_export(out, "statistics csv")?;
        Ok(bytes.len() as u64)
    }

    /// The statistical report (PDF) at `out`: a series by year, bar charts,
    /// two cross-tabulations and the route map, each table published under
    /// the disclosure rules of `base` (its `by` is ignored; k at least
    /// [`DEFAULT_K`]) and logged as a release, then a methods note.
    pub fn statistics_pdf(
        &mut self,
        base: &StatsQuery,
        out: &std::path::Path,
        lang: enlace_domain::Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
        use StatField as F;
        if base.k < DEFAULT_K {
            return Err(CoreError::StatsK { least: DEFAULT_K });
        }
        let all = self.all_stat_records()?;
        let table = |app: &mut App, by: &[F]| -> Result<enlace_report::Chart> {
            let t = app.stats_over(
                &all,
                &StatsQuery {
                    by: by.to_vec(),
                    publish: true,
                    ..base.clone()
                },
            )?;
            Ok(chart(&t, by))
        };
        let series = table(self, &[F::Year])?;
        let mut bars = vec![];
        for f in [
            F::Gender,
            F::Age,
            F::Purpose,
            F::Means,
            F::Citizenship,
            F::ExploitationCountry,
            F::Source,
        ] {
            bars.push(table(self, &[f])?);
        }
        let heats = vec![
            table(self, &[F::Purpose, F::Gender])?,
            table(self, &[F::Age, F::Gender])?,
        ];
        let flows = table(self, &[F::Citizenship, F::ExploitationCountry])?;
        let mut sources = vec![];
        if base.cases {
            sources.push(enlace_report::ReportSource {
                name: enlace_domain::tr(lang, "stats-source-enlace"),
                detail: enlace_domain::tr(lang, "report-stats-source-cases"),
            });
        }
        if let Some(ids) = &base.datasets {
            for d in self.datasets()? {
                if !ids.is_empty() && !ids.contains(&d.id) {
                    continue;
                }
                sources.push(enlace_report::ReportSource {
                    name: d.name.clone(),
                    detail: enlace_domain::tr_args(
                        lang,
                        "report-stats-source-dataset",
                        &[
                            ("shape", &d.shape),
                            ("rows", &d.rows.to_string()),
                            ("file", &d.file_name),
                            ("sha", d.sha256.get(..12).unwrap_or(&d.sha256)),
                            ("at", &d.imported_at),
                        ],
                    ),
                });
            }
        }
        let filter = base
            .filter
            .iter()
            .map(|(f, vals)| {
                let vals: Vec<String> = vals
                    .iter()
                    .map(|v| stats::value_label(lang, *f, v))
                    .collect();
                format!("{}: {}", stats::field_label(lang, *f), vals.join(", "))
            })
            .collect();
        let report = enlace_report::StatisticsReport {
            lang,
            paper,
            generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            node: self.node.name.clone(),
            k: base.k,
            resolution: base.resolution.max(1),
            sources,
            filter,
            series,
            bars,
            heats,
            flows,
            demo: base.cases && self.store.read().any_demo_case()?,
        };
        let bytes = enlace_report::statistics_report(&report)?;
        crate::files::write_atomically(out, &bytes)?;
        self.audit_export(out, "statistics report pdf")?;
        Ok(bytes.len() as u64)
    }
}

/// A published table as the report draws it.
fn chart(t: &StatsTable, by: &[StatField]) -> enlace_report::Chart {
    enlace_report::Chart {
        fields: by.to_vec(),
        cells: t
            .cells
            .iter()
            .map(|c| enlace_report::ChartCell {
                values: by
                    .iter()
                    .map(|f| c.values.get(f.name()).cloned().unwrap_or_default())
                    .collect(),
                count: c.count,
                reason: c.reason.clone(),
            })
            .collect(),
        total: t.total,
        hidden: t.suppressed.clone(),
    }
}

/// A table as CSV: the fields, `count` (empty when hidden) and
/// `suppressed` (why), then a `total` row. What CSV exports and
/// `enlace stats --csv` write.
pub fn table_csv(t: &StatsTable) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| CoreError::Internal(format!("the table could not be written: {e}"));
    let mut w = csv::Writer::from_writer(vec![]);
    let mut head: Vec<String> = t.by.clone();
    head.extend(["count".to_owned(), "suppressed".to_owned()]);
    w.write_record(&head).map_err(fail)?;
    for c in &t.cells {
        let mut row: Vec<String> =
            t.by.iter()
                .map(|f| c.values.get(f).cloned().unwrap_or_default())
                .collect();
        row.push(c.count.map(|n| n.to_string()).unwrap_or_default());
        row.push(c.reason.clone().unwrap_or_default());
        w.write_record(&row).map_err(fail)?;
    }
    let mut total: Vec<String> = vec![String::new(); t.by.len()];
    if let Some(first) = total.first_mut() {
        *first = "total".into();
    }
    total.push(t.total.map(|n| n.to_string()).unwrap_or_default());
    total.push(if t.total.is_some() {
        String::new()
    } else {
        "below_k".into()
    });
    w.write_record(&total).map_err(fail)?;
    w.into_inner()
        .map_err(|e| CoreError::Internal(format!("the table could not be written: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_total(app: &mut App) -> Option<u64> {
        let q = StatsQuery {
            by: vec![StatField::Gender],
            filter: Filter::new(),
            cases: true,
            datasets: None,
            k: 1,
            resolution: 1,
            publish: false,
        };
        app.stats(&q).expect("stats").total
    }

    /// The records kept between tables follow every write: this node's,
    /// and another connection's (sync applies pages on its own).
    #[test]
    fn tables_count_cases_written_after_the_last_table() {
        let (_dir, mut app) = crate::tests::app();
        let victims = |n: u64| -> u64 {
            (0..n)
                .map(|i| {
                    crate::synthetic(i)
                        .persons
                        .iter()
                        .filter(|p| p.role == PersonRole::Victim)
                        .count() as u64
                })
                .sum()
        };
        app.import_cases((0..5).map(crate::synthetic).collect())
            .expect("import");
        assert_eq!(exact_total(&mut app), Some(victims(5)));
        // Again, from what was kept: the same.
        assert_eq!(exact_total(&mut app), Some(victims(5)));
        app.import_cases((5..8).map(crate::synthetic).collect())
            .expect("import");
        assert_eq!(exact_total(&mut app), Some(victims(8)));
        // A second connection (as sync's) writes: seen too.
        let mut other = app.reopen().expect("second connection");
        other
            .import_cases((8..10).map(crate::synthetic).collect())
            .expect("import");
        assert_eq!(exact_total(&mut app), Some(victims(10)));
    }
}
