//! `cargo xtask run | test | bench store`: the project's own automation.
//!
//! - `run` installs what is missing (Debian packages when root, else prints
//!   the exact command; npm packages), builds the UI and opens the app on
//!   the default data directory.
//! - `test` installs what tests need (packages, tauri-driver) and runs
//!   everything: fmt, clippy -D warnings, UI typecheck/tests/build, unit and
//!   integration tests, TypeScript binding drift, short runs of the crash
//!   and fuzz campaigns, and the end-to-end WebDriver test of the real app
//!   under Xvfb, then the Debian package checked on a clean root.
//! - `bench store` measures the store with many cases (bench/store.rs);
//!   `bench plan` the status sheet of a large plan (bench/plan.rs);
//!   `bench ipc` the case screens through the real app (bench/ipc.rs);
//!   `bench sync` sync between two nodes over mutual TLS (bench/sync.rs);
//!   `bench slow` the same over shaped links in network namespaces
//!   (bench/slow.rs); `bench stats` CTDC import and a two-way table over
//!   100,000 cases (bench/stats.rs).
//! - `campaign convergence [--cases N]` the many-nodes property test for
//!   N random cases (default 500) instead of CI's 10; `campaign crash
//!   [--kills N]` SIGKILL during the node's work (campaign/crash.rs);
//!   `campaign fuzz [--inputs N]` hostile input (campaign/fuzz.rs);
//!   `campaign partitions [--edits N]` seven nodes, every document kind,
//!   partitions, bundles, restarts and skewed clocks (the enlace-core test
//!   sync_tests/partitions.rs, in release mode).
//! - `package [--check]` the Debian package (Tauri's bundler: the app, the
//!   `enlace` command, desktop entry, icons, the hub's systemd unit);
//!   `--check` installs it on a clean Debian root and runs it there
//!   (package.rs).

mod bench;
mod campaign;
mod package;
mod process;
mod setup;
mod tally;

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::process::{Xvfb, cargo, root, run, step, target_dir};
use crate::setup::{build_ui, ensure_npm, ensure_system, ensure_tauri_driver};
use crate::tally::{Tally, run_counted};

fn app_binary() -> PathBuf {
    target_dir().join("debug/enlace-app")
}

fn cmd_run() -> Result<()> {
    ensure_system()?;
    ensure_npm()?;
    build_ui()?;
    step("building and starting the desktop app");
    run(Command::new(cargo())
        .args(["run", "--package", "enlace-app"])
        .current_dir(root()))
}

fn cmd_test() -> Result<()> {
    let started = Instant::now();
    let root = root();
    ensure_system()?;
    ensure_npm()?;
    let driver = ensure_tauri_driver()?;

    step("cargo fmt --check");
    run(Command::new(cargo())
        .args(["fmt", "--all", "--", "--check"])
        .current_dir(&root))?;

    step("UI: typecheck, unit tests, build");
    let ui = root.join("ui");
    run(Command::new("npm")
        .args(["run", "typecheck"])
        .current_dir(&ui))?;
    let mut tally = Tally::default();
    run_counted(
        Command::new("npm").args(["test"]).current_dir(&ui),
        &mut tally,
    )?;
    build_ui()?;

    step("cargo clippy -D warnings");
    run(Command::new(cargo())
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&root))?;

    step("unit and integration tests (regenerates ui/src/bindings)");
    run_counted(
        Command::new(cargo())
            .args(["test", "--workspace", "--exclude", "enlace-e2e"])
            .current_dir(&root),
        &mut tally,
    )?;

    step("TypeScript bindings match the Rust types");
    if root.join(".git").exists() {
        let out = Command::new("git")
            .args([
                "status",
                "--porcelain",
                "--untracked-files=all",
                "ui/src/bindings",
            ])
            .current_dir(&root)
            .output()?;
        let drift = String::from_utf8_lossy(&out.stdout);
        if !drift.trim().is_empty() {
            bail!(
                "the generated TypeScript bindings differ from the committed ones; commit ui/src/bindings:\n{drift}"
            );
        }
        eprintln!("no drift");
    } else {
        eprintln!("(not a git checkout: drift check skipped)");
    }

    step("end-to-end: the real app under Xvfb, driven over WebDriver");
    run(Command::new(cargo())
        .args([
            "build",
            "--package",
            "enlace-app",
            "--package",
            "enlace-cli",
        ])
        .current_dir(&root))?;
    step(
        "campaigns, short: 12 kills (crash), 1,000 hostile inputs per target and the saved ones (fuzz)",
    );
    campaign::crash::run(12, 2026, &target_dir().join("debug/enlace"))?;
    campaign::fuzz::run(1000, 2026)?;
    tally.passed += 2;

    let xvfb = Xvfb::start()?;
    let shots = target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&shots)?;
    run_counted(
        Command::new(cargo())
            .args(["test", "--package", "enlace-e2e", "--", "--test-threads=1"])
            .current_dir(&root)
            .env("DISPLAY", &xvfb.display)
            .env("ENLACE_E2E_APP", app_binary())
            .env("ENLACE_E2E_CLI", target_dir().join("debug/enlace"))
            .env("ENLACE_E2E_DRIVER", &driver)
            .env("ENLACE_E2E_SCREENSHOTS", &shots),
        &mut tally,
    )?;
    drop(xvfb);
    eprintln!("screenshots: {}", shots.display());

    step("the Debian package, installed and run on a clean root");
    let deb = package::build()?;
    package::check(&deb)?;
    tally.passed += 1;
    eprintln!(
        "\nall checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    if tally.passed == 0 {
        bail!("no test ran");
    }
    // The plain closing line CI reads.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(),
        Some("test") => cmd_test(),
        Some("bench") => bench::main(&args[1..]),
        Some("bench-run") => {
            let kind = format!("run-{}", args.get(1).map_or("", String::as_str));
            bench::main(&[vec![kind], args[2..].to_vec()].concat())
        }
        Some("campaign") => campaign::main(&args[1..]),
        Some("campaign-run") => campaign::run_child(&args[1..]),
        Some("package") => package::main(&args[1..]),
        Some("setup") => {
            ensure_system()?;
            ensure_npm()
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench store [--cases N]|bench plan [--tasks N]|bench ipc [--cases N]|bench sync [--cases N] [--edits K]|bench slow [--cases N] [--edits K]|bench stats [--cases N]|campaign convergence [--cases N]|campaign crash [--kills N] [--seed S]|campaign fuzz [--inputs N] [--seed S]|campaign partitions [--edits N] [--seed S]|package [--check]|setup>"
            );
            std::process::exit(2);
        }
    }
}
