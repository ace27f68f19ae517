//! `cargo xtask campaign <convergence|crash|fuzz|partitions>`: long runs that print
//! figures; short versions of them run in `cargo xtask test`.

pub(crate) mod crash;
pub(crate) mod fuzz;

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::process::{cargo, root, run, step, target_dir};

pub(crate) fn main(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("convergence") => convergence(args),
        Some("crash") => {
            options(&args[1..], &["--kills", "--seed"])?;
            in_release(args, &["enlace-cli", "xtask"])
        }
        Some("partitions") => {
            let opts = options(&args[1..], &["--edits", "--seed"])?;
            step("the partition campaign (release)");
            run(core_test("sync_tests::partitions::partitions_")
                .args(["--", "--nocapture"])
                .env(
                    "ENLACE_PARTITION_EDITS",
                    option(&opts, "--edits", 10_000).to_string(),
                )
                .env(
                    "ENLACE_PARTITION_SEED",
                    option(&opts, "--seed", fresh_seed()).to_string(),
                ))
        }
        Some("fuzz") => {
            options(&args[1..], &["--inputs", "--seed"])?;
            in_release(args, &["xtask"])
        }
        _ => bail!(
            "usage: cargo xtask campaign convergence [--cases N] | crash [--kills N] [--seed S] | fuzz [--inputs N] [--seed S]"
        ),
    }
}

/// Builds `packages` in release mode and runs the campaign `args` in the
/// release build of this program (debug figures mean nothing).
fn in_release(args: &[String], packages: &[&str]) -> Result<()> {
    step(&format!("building {} (release)", packages.join(", ")));
    let mut build = Command::new(cargo());
    build.args(["build", "--release", "--quiet"]);
    for p in packages {
        build.args(["--package", p]);
    }
    run(build.current_dir(root()))?;
    run(Command::new(target_dir().join("release/xtask"))
        .arg("campaign-run")
        .args(args)
        .current_dir(root()))
}

/// `--name value` pairs among `allowed`.
fn options(args: &[String], allowed: &[&str]) -> Result<Vec<(String, u64)>> {
    let mut out = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if !allowed.contains(&a.as_str()) {
            bail!("unknown option {a} (use {})", allowed.join(", "));
        }
        let v = it.next().with_context(|| format!("{a} needs a number"))?;
        out.push((
            a.clone(),
            v.parse()
                .with_context(|| format!("{a} {v}: not a number"))?,
        ));
    }
    Ok(out)
}

fn option(opts: &[(String, u64)], name: &str, default: u64) -> u64 {
    opts.iter()
        .find(|(n, _)| n == name)
        .map_or(default, |(_, v)| *v)
}

/// A seed from the clock when none is given.
fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

/// The campaigns' own processes (`xtask campaign-run ...`), in the profile
/// they were built in.
pub(crate) fn run_child(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("crash") => {
            let opts = options(&args[1..], &["--kills", "--seed"])?;
            let exe = std::env::current_exe()?;
            let enlace = exe.with_file_name("enlace");
            crash::run(
                option(&opts, "--kills", 1000),
                option(&opts, "--seed", fresh_seed()),
                &enlace,
            )
            .map(|_| ())
        }
        Some("crash-writer") => crash::writer_main(args),
        Some("fuzz") => {
            let opts = options(&args[1..], &["--inputs", "--seed"])?;
            fuzz::run(
                option(&opts, "--inputs", 1_000_000),
                option(&opts, "--seed", fresh_seed()),
            )
            .map(|_| ())
        }
        _ => bail!("unknown campaign process {args:?}"),
    }
}

/// `cargo xtask campaign convergence [--cases N]`: the many-nodes property
/// test (six nodes, three of one country; random edits of cases, notes and
/// routes — from editors left open while sync merged too —, partitions, cut
/// links, reordered and equivocating pages) for N random cases (default
/// 500, from a random seed; `ENLACE_CONVERGENCE_SEED=N` repeats a run) in
/// release mode, instead of CI's 10 from a fixed seed.
fn convergence(args: &[String]) -> Result<()> {
    let cases = match (
        args.first().map(String::as_str),
        args.get(1).map(String::as_str),
        args.get(2),
    ) {
        (Some("convergence"), None, None) => "500".to_owned(),
        (Some("convergence"), Some("--cases"), Some(n)) if n.parse::<u32>().is_ok() => n.clone(),
        _ => bail!("usage: cargo xtask campaign convergence [--cases N]"),
    };
    step(&format!(
        "the convergence property test, {cases} cases (release)"
    ));
    let started = Instant::now();
    run(core_test("sync_tests::convergence")
        .env("ENLACE_CONVERGENCE_CASES", &cases)
        .env(
            "ENLACE_CONVERGENCE_SEED",
            std::env::var("ENLACE_CONVERGENCE_SEED").unwrap_or_else(|_| "random".into()),
        ))?;
    eprintln!(
        "{cases} cases passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// enlace-core's library tests named by `filter`, in release mode.
fn core_test(filter: &str) -> Command {
    let mut c = Command::new(cargo());
    c.args([
        "test",
        "--release",
        "--package",
        "enlace-core",
        "--lib",
        filter,
    ])
    .current_dir(root());
    c
}
