//! `enlace dataset` (the field's datasets as statistical records) and
//! `enlace stats` (tables with small counts hidden).

use std::collections::BTreeMap;
use std::path::Path;

use enlace_core::{StatsQuery, StatsTable};
use enlace_domain::stats::{Filter, StatField};
use enlace_domain::{Lang, tr, tr_args};

use crate::args::{DatasetCommand, StatsArgs, StatsSelection};
use crate::common::{Failure, Outcome, bar, json, open, progress_fn};

pub fn run(command: DatasetCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        DatasetCommand::Import {
            file,
            name,
            skip_bad,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let pb = bar(lang, "cli-dataset-importing");
            let done = app.import_dataset(&file, name.as_deref(), skip_bad, &mut progress_fn(&pb));
            pb.finish_and_clear();
            let done = done?;
            if as_json {
                json(&done);
                return Ok(());
            }
            let key = if done.already {
                "cli-dataset-already"
            } else {
                "cli-dataset-imported"
            };
            println!(
                "{}",
                tr_args(
                    lang,
                    key,
                    &[
                        ("name", &done.name),
                        ("id", &done.id.to_string()),
                        ("rows", &done.rows.to_string()),
                        ("skipped", &done.skipped.len().to_string()),
                        ("shape", &done.shape),
                        ("encoding", &done.encoding),
                    ]
                )
            );
            for s in &done.skipped {
                let why = s
                    .error
                    .as_ref()
                    .map_or_else(|| s.reason.clone(), |e| e.message(lang));
                eprintln!("  {why}");
            }
        }
        DatasetCommand::List { json: as_json } => {
            let app = open(dir, lang, user)?;
            let list = app.datasets()?;
            if as_json {
                json(&list);
            } else if list.is_empty() {
                println!("{}", tr(lang, "cli-datasets-empty"));
            } else {
                for d in list {
                    println!(
                        "{:>4}  {}  {}  {}  {}",
                        d.id,
                        d.name,
                        d.shape,
                        tr_args(lang, "cli-dataset-rows", &[("rows", &d.rows.to_string())]),
                        d.imported_at
                    );
                }
            }
        }
        DatasetCommand::Remove { id } => {
            let mut app = open(dir, lang, user)?;
            app.remove_dataset(id)?;
            println!(
                "{}",
                tr_args(lang, "cli-dataset-removed", &[("id", &id.to_string())])
            );
        }
    }
    Ok(())
}

fn field(s: &str, lang: Lang) -> Result<StatField, Failure> {
    StatField::parse(s)
        .ok_or_else(|| Failure::Usage(tr_args(lang, "cli-stats-field", &[("field", s)])))
}

/// The query for `by` over the records and rules `sel` says.
pub fn query(sel: &StatsSelection, by: Vec<StatField>, lang: Lang) -> Result<StatsQuery, Failure> {
    let mut filter = Filter::new();
    for f in &sel.filter {
        let (name, values) = f
            .split_once('=')
            .ok_or_else(|| Failure::Usage(tr_args(lang, "cli-stats-filter", &[("filter", f)])))?;
        filter.entry(field(name, lang)?).or_default().extend(
            values
                .split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()),
        );
    }
    let datasets = match sel.source.as_str() {
        "cases" => None,
        _ => Some(sel.dataset.clone()),
    };
    Ok(StatsQuery {
        by,
        filter,
        cases: sel.source != "datasets" && sel.dataset.is_empty(),
        datasets,
        k: sel.k,
        resolution: sel.resolution.unwrap_or(sel.k),
        publish: true,
    })
}

pub fn stats(a: StatsArgs, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let by =
        a.by.iter()
            .map(|f| field(f, lang))
            .collect::<Result<Vec<_>, _>>()?;
    let q = query(&a.select, by, lang)?;
    let mut app = open(dir, lang, user)?;
    let t = app.stats(&q)?;
    if a.json {
        json(&t);
    } else if a.csv {
        print_csv(&t, lang)?;
    } else {
        print_table(&t, lang);
    }
    Ok(())
}

/// A cell's count as shown: the number, or why it is hidden.
fn shown(count: Option<u64>, reason: Option<&str>, lang: Lang) -> String {
    match count {
        Some(n) => n.to_string(),
        None => tr(
            lang,
            &format!(
                "stats-hidden-{}",
                reason.unwrap_or("below_k").replace('_', "-")
            ),
        ),
    }
}

fn print_table(t: &StatsTable, lang: Lang) {
    let widths: Vec<usize> =
        t.by.iter()
            .map(|f| {
                t.cells
                    .iter()
                    .map(|c| c.values.get(f).map_or(0, |v| v.chars().count()))
                    .chain([f.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
    let header: Vec<String> =
        t.by.iter()
            .zip(&widths)
            .map(|(f, w)| format!("{f:<w$}"))
            .collect();
    println!("{}  {}", header.join("  "), tr(lang, "stats-count"));
    for c in &t.cells {
        let vals: Vec<String> =
            t.by.iter()
                .zip(&widths)
                .map(|(f, w)| format!("{:<w$}", c.values.get(f).map_or("", String::as_str)))
                .collect();
        println!(
            "{}  {}",
            vals.join("  "),
            shown(c.count, c.reason.as_deref(), lang)
        );
    }
    println!(
        "{}: {}",
        tr(lang, "stats-total"),
        t.total
            .map_or_else(|| tr(lang, "stats-hidden-below-k"), |n| n.to_string())
    );
    let hidden: u64 = t.suppressed.values().sum();
    let by_reason: BTreeMap<&str, u64> =
        t.suppressed.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    println!(
        "{}",
        if t.exact {
            tr(lang, "stats-note-exact")
        } else {
            tr_args(
                lang,
                "stats-note",
                &[
                    ("k", &t.k.to_string()),
                    ("resolution", &t.resolution.to_string()),
                    ("hidden", &hidden.to_string()),
                    (
                        "below",
                        &by_reason.get("below_k").copied().unwrap_or(0).to_string(),
                    ),
                    (
                        "complementary",
                        &by_reason
                            .get("complementary")
                            .copied()
                            .unwrap_or(0)
                            .to_string(),
                    ),
                    (
                        "difference",
                        &by_reason
                            .get("difference")
                            .copied()
                            .unwrap_or(0)
                            .to_string(),
                    ),
                    ("sources", &t.sources.join(", ")),
                ],
            )
        }
    );
}

fn print_csv(t: &StatsTable, lang: Lang) -> Outcome {
    use std::io::Write;
    let bytes = enlace_core::table_csv(t)?;
    let _ = std::io::stdout().write_all(&bytes);
    eprintln!(
        "{}",
        tr_args(
            lang,
            "stats-csv-note",
            &[
                ("k", &t.k.to_string()),
                ("resolution", &t.resolution.to_string())
            ]
        )
    );
    Ok(())
}
