//! `cargo xtask bench plan [--tasks N] [--baseline N]`: the regional status
//! sheet of a large plan.
//!
//! Fills a real database with N regional tasks (default 500) and, as the
//! baseline in the same run, with 50; then measures producing the regional
//! status sheet end to end (loading every task document, the roll-ups,
//! laying out and writing the PDF), median of several runs, and reports the
//! time, the ratio to the baseline, the page count and the file size.
//! Writes JSON to <target>/bench/plan.json.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use enlace_core::{App, Paper, SheetScope, TaskInput};
use enlace_domain::Lang;
use serde_json::json;

const RUNS: usize = 9;

fn fill(dir: &Path, n: usize) -> Result<App> {
    let mut app = App::init(dir, super::common::PASS, "GT", "Banco de pruebas")?;
    let statuses = ["not_started", "in_progress", "done", "blocked", "cancelled"];
    let components = ["cooperation", "training", "network", "protection"];
    let inputs = (0..n)
        .map(|i| {
            serde_json::from_value::<TaskInput>(json!({
                "code": format!("{}.{}.{}", i % 4 + 1, i % 3 + 1, i),
                "component": components[i % 4],
                "output": format!("{}.{} Resultado de prueba", i % 4 + 1, i % 3 + 1),
                "title": {
                    "es": format!("Tarea {i}: taller nacional de capacitación para policía, fiscalía y migración en la frontera — Núñez"),
                    "en": format!("Task {i}: national training workshop"),
                },
                "agency": "Ministerio Público",
                "responsible": "María de los Ángeles Güity Castillo",
                "start": "2025-12-01",
                "due": format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                "status": statuses[i % statuses.len()],
                "progress": (i * 7) % 101,
                "notes": if i % 3 == 0 { "Falta confirmar la sede y el presupuesto." } else { "" },
            }))
            .context("task input")
        })
        .collect::<Result<Vec<_>>>()?;
    app.create_tasks(inputs)?;
    Ok(app)
}

fn median_ms(app: &mut App, out: &Path) -> Result<(f64, u64)> {
    let mut times = vec![];
    let mut size = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        size = app.plan_status_pdf(&SheetScope::Region, out, Lang::Es, Paper::A4)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], size))
}

fn pages(pdf: &Path) -> u64 {
    std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

pub fn run(args: &[String]) -> Result<()> {
    let mut n = 500usize;
    let mut baseline = 50usize;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tasks" => n = it.next().context("--tasks N")?.parse()?,
            "--baseline" => baseline = it.next().context("--baseline N")?.parse()?,
            other => bail!("unknown argument {other} (use --tasks N, --baseline N)"),
        }
    }
    let tmp = tempfile::tempdir()?;
    let mut results = vec![];
    for (label, count) in [("baseline", baseline), ("measured", n)] {
        eprintln!("{label}: {count} tasks");
        let mut app = fill(&tmp.path().join(label), count)?;
        let out = tmp.path().join(format!("{label}.pdf"));
        let (ms, size) = median_ms(&mut app, &out)?;
        results.push((count, ms, size, pages(&out)));
    }
    let (b, m) = (results[0], results[1]);
    println!("\nEnlace plan status sheet (release, regional sheet, A4, median of {RUNS} runs)\n");
    println!(
        "| metric | {} tasks (baseline) | {} tasks | ratio | target |",
        b.0, m.0
    );
    println!("|---|---|---|---|---|");
    println!(
        "| sheet produced (load + roll-ups + PDF + write), ms | {:.1} | {:.1} | {:.2}x | ≤ 1000 ms at 500 |",
        b.1,
        m.1,
        m.1 / b.1
    );
    println!(
        "| file size, KiB | {:.0} | {:.0} | {:.2}x | |",
        b.2 as f64 / 1024.0,
        m.2 as f64 / 1024.0,
        m.2 as f64 / b.2 as f64
    );
    println!("| pages | {} | {} | | |", b.3, m.3);
    let out = crate::process::target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    let report = json!({
        "baseline": {"tasks": b.0, "ms": b.1, "bytes": b.2, "pages": b.3},
        "measured": {"tasks": m.0, "ms": m.1, "bytes": m.2, "pages": m.3},
        "runs": RUNS,
    });
    std::fs::write(
        out.join("plan.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    println!("\nJSON: {}", out.join("plan.json").display());
    Ok(())
}
