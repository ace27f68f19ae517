//! `cargo xtask bench stats [--cases N] [--baseline N]`: statistics at
//! scale.
//!
//! 1. Importing CTDC's 14,299-row file (the shared data; target ≤ 3 s),
//!    median of 3 imports into fresh nodes, next to a 1,000-row prefix of
//!    the same file as the baseline.
//! 2. A two-way table (citizenship × sex, the disclosure rules applied, a
//!    preview: audited, not logged as a release) over N synthetic cases
//!    (default 100,000) plus the imported rows: the first after unlocking
//!    (every record read from the database), then p50 and p95 of 30 more
//!    (target ≤ 200 ms at p95; the records are kept between tables until
//!    the database changes), next to the same over the baseline's cases
//!    (default 1,000) plus the same rows.
//!
//! The case databases are built once under `<target>/bench/stats-N` and
//! kept. Writes JSON to `<target>/bench/stats.json`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use enlace_core::{App, StatsQuery};
use enlace_domain::stats::{Filter, StatField};
use serde_json::json;

const IMPORTS: usize = 3;
const RUNS: usize = 30;

/// The shared CTDC file (as the tests find it).
fn shared_csv() -> Result<PathBuf> {
    let rel = "ctdc-cleaned-14299.csv";
    let mut places: Vec<PathBuf> = std::env::var_os("ENLACE_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for a in crate::process::root().ancestors() {
        places.push(a.join("shared/data"));
    }
    places.push(PathBuf::from("/work/shared/data"));
    places
        .iter()
        .map(|d| d.join(rel))
        .find(|p| p.exists())
        .with_context(|| format!("{rel} not found (looked in {places:?}; set ENLACE_SHARED_DATA)"))
}

/// Median milliseconds of importing `file` into fresh nodes; the rows.
fn import_ms(tmp: &Path, label: &str, file: &Path) -> Result<(f64, u64)> {
    let mut times = vec![];
    let mut rows = 0;
    for i in 0..IMPORTS {
        let dir = tmp.join(format!("{label}-{i}"));
        let mut app = App::init(&dir, super::common::PASS, "HN", "Banco de pruebas")?;
        let t = Instant::now();
        let done = app.import_dataset(file, None, false, &mut |_, _| {})?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        rows = done.rows;
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], rows))
}

/// The first table after unlocking (every record read from the
/// database), then p50 and p95 milliseconds of a two-way preview over
/// `dir`'s cases and the CTDC rows (imported once into the cached
/// database), as the app asks again at each change of a control.
fn table_ms(dir: &Path, csv: &Path) -> Result<(f64, f64, f64, u64)> {
    let mut app = App::open(dir, super::common::PASS)?;
    if app.datasets()?.is_empty() {
        app.import_dataset(csv, None, false, &mut |_, _| {})?;
    }
    drop(app);
    let mut app = App::open(dir, super::common::PASS)?;
    let q = StatsQuery {
        by: vec![StatField::Citizenship, StatField::Gender],
        filter: Filter::new(),
        cases: true,
        datasets: Some(vec![]),
        k: 11,
        resolution: 11,
        publish: false,
    };
    let t = Instant::now();
    app.stats(&q)?;
    let first = t.elapsed().as_secs_f64() * 1000.0;
    let mut times = vec![];
    let mut total = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let table = app.stats(&q)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        total = table.total.unwrap_or(0);
    }
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    Ok((first, p(0.5), p(0.95), total))
}

pub fn run(args: &[String]) -> Result<()> {
    let (n, baseline) = super::common::sizes(args, 100_000, 1_000)?;
    let csv = shared_csv()?;
    let tmp = tempfile::tempdir()?;
    // The baseline file: the header and the first 1,000 rows.
    let text = std::fs::read_to_string(&csv)?;
    let prefix: String = text.lines().take(1_001).collect::<Vec<_>>().join("\n") + "\n";
    let small = tmp.path().join("ctdc-1000.csv");
    std::fs::write(&small, prefix)?;
    eprintln!("importing (median of {IMPORTS})");
    let (small_ms, small_rows) = import_ms(tmp.path(), "small", &small)?;
    let (full_ms, full_rows) = import_ms(tmp.path(), "full", &csv)?;

    let mut tables = vec![];
    for count in [baseline, n] {
        eprintln!("{count} cases");
        let dir = super::common::cached_cases(
            &format!("stats-{count}"),
            count,
            ("GT", "Banco de pruebas"),
            enlace_core::synthetic,
        )?;
        tables.push((count, table_ms(&dir, &csv)?));
    }
    let (b, m) = (tables[0], tables[1]);
    println!("\nEnlace statistics (release)\n");
    println!("| metric | baseline | measured | ratio | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| import CTDC rows ({small_rows} / {full_rows}), median ms | {small_ms:.0} | {full_ms:.0} | {:.2}x | ≤ 3000 ms for 14,299 |",
        full_ms / small_ms
    );
    println!(
        "| citizenship × sex over {} / {} cases + {full_rows} rows, first after unlocking, ms | {:.1} | {:.1} | {:.2}x | |",
        b.0,
        m.0,
        b.1.0,
        m.1.0,
        m.1.0 / b.1.0
    );
    println!(
        "| same, again (each change of a control), p50 ms | {:.1} | {:.1} | {:.2}x | |",
        b.1.1,
        m.1.1,
        m.1.1 / b.1.1
    );
    println!(
        "| same, again, p95 ms | {:.1} | {:.1} | {:.2}x | ≤ 200 ms at 100,000 |",
        b.1.2,
        m.1.2,
        m.1.2 / b.1.2
    );
    println!(
        "| victims counted (published total) | {} | {} | | |",
        b.1.3, m.1.3
    );
    let out = crate::process::target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    let report = json!({
        "import": {
            "baseline": {"rows": small_rows, "median_ms": small_ms},
            "measured": {"rows": full_rows, "median_ms": full_ms},
        },
        "two_way": {
            "baseline": {"cases": b.0, "first_ms": b.1.0, "p50_ms": b.1.1, "p95_ms": b.1.2, "total": b.1.3},
            "measured": {"cases": m.0, "first_ms": m.1.0, "p50_ms": m.1.1, "p95_ms": m.1.2, "total": m.1.3},
        },
    });
    std::fs::write(out.join("stats.json"), serde_json::to_vec_pretty(&report)?)?;
    Ok(())
}
