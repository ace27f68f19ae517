//! What the benchmarks share: the passphrase, databases of many cases built
//! once and kept, the sizes asked for, peak memory.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use enlace_core::App;

pub(crate) const PASS: &str = "frase de acceso del banco de pruebas";

/// A database of `n` cases made by `case(i)`, built once under
/// `<target>/bench/NAME` and kept for later runs.
pub(crate) fn cached_cases(
    name: &str,
    n: u64,
    (country, node): (&str, &str),
    case: impl Fn(u64) -> enlace_domain::input::CaseInput,
) -> Result<std::path::PathBuf> {
    let dir = crate::process::target_dir().join("bench").join(name);
    if dir.join("complete").exists() {
        eprintln!("  reusing {} ({n} cases)", dir.display());
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(dir.parent().context("bench dir")?)?;
    let mut app = App::init(&dir, PASS, country, node)?;
    let t = Instant::now();
    let mut done = 0u64;
    while done < n {
        let k = 1000.min(n - done);
        app.import_cases((done..done + k).map(&case).collect())?;
        done += k;
        eprint!(
            "\r  {done}/{n} cases loaded ({:.0} s)   ",
            t.elapsed().as_secs_f64()
        );
    }
    eprintln!();
    drop(app);
    std::fs::write(dir.join("complete"), b"")?;
    Ok(dir)
}

/// The peak resident memory of process `pid` ("self" for this one), KiB.
pub(crate) fn peak_kib(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// `--cases N` and `--baseline N` (after the benchmark's name), with defaults.
pub(crate) fn sizes(args: &[String], mut n: u64, mut baseline: u64) -> Result<(u64, u64)> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cases" => n = it.next().context("--cases N")?.parse()?,
            "--baseline" => baseline = it.next().context("--baseline N")?.parse()?,
            other => bail!("unknown argument {other} (use --cases N, --baseline N)"),
        }
    }
    Ok((n, baseline))
}

/// Builds `enlace` in release mode; its path.
pub(crate) fn release_enlace() -> Result<std::path::PathBuf> {
    eprintln!("building enlace (release)");
    crate::process::run(
        std::process::Command::new(crate::process::cargo())
            .args(["build", "--release", "--quiet", "--package", "enlace-cli"])
            .current_dir(crate::process::root()),
    )?;
    Ok(crate::process::target_dir().join("release/enlace"))
}
