//! `cargo xtask bench store [--cases N] [--baseline N]`: the store with
//! many cases.
//!
//! Builds (in release mode) and runs a benchmark that fills a real SQLCipher
//! database with N synthetic cases (default 100,000) and, as the baseline in
//! the same run, with 1,000; then measures, on each: create+commit of one
//! case, full-text search, the first page of the list with filters, opening
//! a case, saving an edit, and reopening the database — and the peak
//! resident memory after each. Prints a table with the ratio large/baseline
//! and writes JSON to <target>/bench/store.json.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use enlace_core::{App, CaseFilter};
use serde_json::json;

use super::common::{PASS, peak_kib, sizes};

const SAMPLES: usize = 300;
const BASELINE: u64 = 1_000;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

struct Stats {
    p50: f64,
    p99: f64,
}

fn measure(mut f: impl FnMut(usize) -> Result<()>) -> Result<Stats> {
    let mut v = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let t = Instant::now();
        f(i)?;
        v.push(t.elapsed());
    }
    v.sort();
    Ok(Stats {
        p50: pct(&v, 0.5),
        p99: pct(&v, 0.99),
    })
}

const QUERIES: &[&str] = &[
    "nunez",
    "gomez",
    "tapachula",
    "choloma",
    "servidumbre",
    "remesas",
    "san pedro",
    "martinez lo",
    "panama",
    "tecun",
    "coyotes",
    "mendicidad",
    "pesqueros",
    "zuniga",
    "quinonez",
    "honduras",
    "peñas blancas",
    "ibanez",
    "ordonez",
    "fincas",
];

fn run_size(dir: &Path, n: u64) -> Result<serde_json::Value> {
    let mut app =
        App::init(dir, PASS, "GT", "Banco de pruebas").map_err(|e| anyhow::anyhow!("{e}"))?;
    let t = Instant::now();
    let batch = 1000u64;
    let mut done = 0;
    while done < n {
        let k = batch.min(n - done);
        let inputs = (done..done + k).map(enlace_core::synthetic).collect();
        app.import_cases(inputs)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        done += k;
        if done % 10_000 == 0 || done == n {
            eprint!(
                "\r  {done}/{n} cases loaded ({:.0} s)   ",
                t.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    let load_s = t.elapsed().as_secs_f64();
    let refs: Vec<String> = app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .items
        .into_iter()
        .map(|c| c.reference)
        .collect();
    let e = |e: enlace_core::CoreError| anyhow::anyhow!("{e}");
    let create = measure(|i| {
        app.create_case(enlace_core::synthetic(10_000_000 + i as u64))
            .map_err(e)?;
        Ok(())
    })?;
    let mut hits = 0u64;
    let search = measure(|i| {
        let l = app
            .list_cases(&CaseFilter {
                query: Some(QUERIES[i % QUERIES.len()].into()),
                limit: Some(50),
                ..Default::default()
            })
            .map_err(e)?;
        hits += l.total;
        Ok(())
    })?;
    let filtered = measure(|i| {
        app.list_cases(&CaseFilter {
            status: Some(enlace_domain::CaseStatus::UnderInvestigation),
            country: Some(["HN", "GT", "MX", "SV"][i % 4].into()),
            limit: Some(100),
            ..Default::default()
        })
        .map_err(e)?;
        Ok(())
    })?;
    let open_case = measure(|i| {
        app.case(&refs[i % refs.len()]).map_err(e)?;
        Ok(())
    })?;
    let save_edit = measure(|i| {
        app.update_case(
            &refs[i % refs.len()],
            &json!({"summary": format!("Resumen editado {i}")}),
        )
        .map_err(e)?;
        Ok(())
    })?;
    let rss = peak_kib("self");
    drop(app);
    let mut reopen = vec![];
    for _ in 0..5 {
        let t = Instant::now();
        let a = App::open(dir, PASS).map_err(e)?;
        reopen.push(t.elapsed());
        drop(a);
    }
    reopen.sort();
    let size: u64 = std::fs::read_dir(dir)?
        .filter_map(|f| f.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(json!({
        "cases": n,
        "load_seconds": load_s,
        "create_ms": {"p50": create.p50, "p99": create.p99},
        "search_ms": {"p50": search.p50, "p99": search.p99, "mean_hits": hits as f64 / SAMPLES as f64},
        "list_filtered_ms": {"p50": filtered.p50, "p99": filtered.p99},
        "open_case_ms": {"p50": open_case.p50, "p99": open_case.p99},
        "save_edit_ms": {"p50": save_edit.p50, "p99": save_edit.p99},
        "reopen_ms": {"p50": pct(&reopen, 0.5)},
        "peak_rss_mib": rss as f64 / 1024.0,
        "disk_mib": size as f64 / 1_048_576.0,
    }))
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let (n, baseline) = sizes(args, 100_000, BASELINE)?;
    let tmp = tempfile::tempdir()?;
    eprintln!("baseline: {baseline} cases");
    let small = run_size(&tmp.path().join("small"), baseline)?;
    eprintln!("measured: {n} cases");
    let large = run_size(&tmp.path().join("large"), n)?;
    // KDF alone, to separate it from reopening proper.
    let kf = enlace_store::KeyFile::read(&tmp.path().join("large").join(enlace_store::KEY_FILE))?;
    let t = Instant::now();
    kf.derive(PASS)?;
    let kdf_ms = t.elapsed().as_secs_f64() * 1000.0;

    println!(
        "\nEnlace store benchmark (release, SQLCipher, synchronous=FULL, {SAMPLES} samples each)\n"
    );
    println!("| metric | {baseline} cases (baseline) | {n} cases | ratio | target |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, path: &[&str], target: &str| {
        let get = |v: &serde_json::Value| {
            path.iter()
                .fold(v, |v, k| &v[*k])
                .as_f64()
                .unwrap_or(f64::NAN)
        };
        let (a, b) = (get(&small), get(&large));
        println!("| {name} | {a:.2} | {b:.2} | {:.2}x | {target} |", b / a);
    };
    row(
        "create+commit one case, median (ms)",
        &["create_ms", "p50"],
        "≤ 2 ms",
    );
    row(
        "create+commit one case, p99 (ms)",
        &["create_ms", "p99"],
        "",
    );
    row("full-text search p50 (ms)", &["search_ms", "p50"], "");
    row(
        "full-text search p99 (ms)",
        &["search_ms", "p99"],
        "≤ 20 ms",
    );
    row(
        "first page, status+country filter, p50 (ms)",
        &["list_filtered_ms", "p50"],
        "",
    );
    row(
        "first page, status+country filter, p99 (ms)",
        &["list_filtered_ms", "p99"],
        "",
    );
    row("open a case, p50 (ms)", &["open_case_ms", "p50"], "");
    row("save an edit, p50 (ms)", &["save_edit_ms", "p50"], "");
    row(
        "reopen the database incl. Argon2id (ms)",
        &["reopen_ms", "p50"],
        "≤ 300 ms",
    );
    row(
        "peak RSS after the run (MiB)",
        &["peak_rss_mib"],
        "not ∝ cases",
    );
    row("database on disk (MiB)", &["disk_mib"], "");
    row("loading all cases (s)", &["load_seconds"], "");
    println!("\nArgon2id key derivation alone: {kdf_ms:.0} ms");
    let out = crate::process::target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    let report =
        json!({"baseline": small, "measured": large, "kdf_ms": kdf_ms, "samples": SAMPLES});
    std::fs::write(
        out.join("store.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    println!("JSON: {}", out.join("store.json").display());
    Ok(())
}
