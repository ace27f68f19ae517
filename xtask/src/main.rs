//! `cargo xtask run | test | bench store`: the project's own automation.
//!
//! - `run` installs what is missing (Debian packages when root, else prints
//!   the exact command; npm packages), builds the UI and opens the app on
//!   the default data directory.
//! - `test` installs what tests need (packages, tauri-driver) and runs
//!   everything: fmt, clippy -D warnings, UI typecheck/tests/build, unit and
//!   integration tests, TypeScript binding drift, and the end-to-end
//!   WebDriver test of the real app under Xvfb.
//! - `bench store` measures the store with many cases (see bench.rs);
//!   `bench plan` the status sheet of a large plan (bench_plan.rs);
//!   `bench ipc` the case screens through the real app (bench_ipc.rs);
//!   `bench sync` sync between two nodes over mutual TLS (bench_sync.rs).

mod bench;
mod bench_ipc;
mod bench_plan;
mod bench_sync;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Debian packages the app and its tests need (see docs/environment).
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "curl",
    "file",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus-x11",
    "at-spi2-core",
    "poppler-utils",
    "faketime",
    "fonts-dejavu-core",
    "fonts-liberation2",
    "fonts-noto-color-emoji",
    "imagemagick",
    "nodejs",
    "npm",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn step(name: &str) {
    eprintln!("\n\x1b[1;34m==> {name}\x1b[0m");
}

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

/// Test counts read from the runners' own summary lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The number before `word` in `line` (`9 passed` -> 9).
fn count_before(line: &str, word: &str) -> u64 {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '|' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches('.') == word)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

impl Tally {
    fn read(&mut self, line: &str) {
        let line = strip_ansi(line);
        let t = line.trim_start();
        // cargo test: "test result: ok. 8 passed; 0 failed; ..."
        // vitest:     "Tests  9 passed (9)" / "Tests  1 failed | 8 passed (9)"
        if t.starts_with("test result:") || t.starts_with("Tests ") {
            self.passed += count_before(t, "passed");
            self.failed += count_before(t, "failed");
        }
    }
}

/// Runs `cmd`, echoing its standard output, and adds its test counts.
fn run_counted(cmd: &mut Command, tally: &mut Tally) -> Result<()> {
    use std::io::{BufRead, BufReader};
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn missing_packages() -> Vec<&'static str> {
    APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .filter(|p| {
            // Node.js may come from elsewhere than Debian (e.g. nodesource, nvm).
            !(matches!(*p, "nodejs" | "npm") && Command::new(p.replace("nodejs", "node")).arg("--version").output().is_ok())
        })
        .collect()
}

/// Installs missing Debian packages when root; otherwise prints the command.
fn ensure_system() -> Result<()> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "(not a Debian/Ubuntu system: install the WebKitGTK 4.1 development files, Xvfb, WebKitWebDriver and Node.js yourself)"
        );
        return Ok(());
    }
    let missing = missing_packages();
    if missing.is_empty() {
        return Ok(());
    }
    let line = format!(
        "apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        bail!("missing system packages; run:\n  sudo apt-get update && sudo {line}");
    }
    step(&format!("installing {}", missing.join(" ")));
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("sh")
        .arg("-c")
        .arg(format!("DEBIAN_FRONTEND=noninteractive {line}")))?;
    Ok(())
}

/// Installs the UI's npm packages when missing or out of date.
fn ensure_npm() -> Result<()> {
    let ui = root().join("ui");
    let lock = ui.join("package-lock.json");
    let installed = ui.join("node_modules/.package-lock.json");
    let stale = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => l.modified()? > i.modified()?,
        _ => true,
    };
    if stale {
        step("npm ci (ui)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ui))?;
    }
    Ok(())
}

fn build_ui() -> Result<()> {
    step("building the UI (vite)");
    run(Command::new("npm")
        .args(["run", "build"])
        .current_dir(root().join("ui")))
}

/// `tauri-driver`, installed with cargo into a cache folder outside the clone.
fn ensure_tauri_driver() -> Result<PathBuf> {
    if let Ok(p) = which("tauri-driver") {
        return Ok(p);
    }
    let cache = std::env::var_os("ENLACE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/enlace/tools"));
    let bin = cache.join("bin/tauri-driver");
    if !bin.exists() {
        step(&format!("installing tauri-driver {TAURI_DRIVER_VERSION}"));
        run(Command::new(cargo())
            .args([
                "install",
                "tauri-driver",
                "--version",
                TAURI_DRIVER_VERSION,
                "--locked",
                "--root",
            ])
            .arg(&cache)
            .env_remove("CARGO_TARGET_DIR"))?;
    }
    Ok(bin)
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

fn which(name: &str) -> Result<PathBuf> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()?;
    let p = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if out.status.success() && !p.is_empty() {
        Ok(PathBuf::from(p))
    } else {
        bail!("{name} not found")
    }
}

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

/// A virtual display for the end-to-end test, stopped on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Result<Xvfb> {
        for n in 90..110 {
            let lock = format!("/tmp/.X{n}-lock");
            let socket = format!("/tmp/.X11-unix/X{n}");
            // A lock whose server is gone (killed before it could clean up)
            // does not hold the display: clear it.
            let owner = std::fs::read_to_string(&lock)
                .ok()
                .and_then(|p| p.trim().parse::<u32>().ok());
            if let Some(pid) = owner
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_file(&lock);
                let _ = std::fs::remove_file(&socket);
            }
            if Path::new(&socket).exists() || Path::new(&lock).exists() {
                continue;
            }
            let display = format!(":{n}");
            let child = Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1366x768x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("could not start Xvfb")?;
            for _ in 0..50 {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Ok(Xvfb { child, display });
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let mut c = child;
            let _ = c.kill();
            bail!("Xvfb did not come up on {display}");
        }
        bail!("no free X display number")
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock file and socket; SIGKILL would not.
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if terminated {
            for _ in 0..30 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
        Some("setup") => {
            ensure_system()?;
            ensure_npm()
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench store [--cases N]|bench plan [--tasks N]|bench ipc [--cases N]|bench sync [--cases N] [--edits K]|setup>"
            );
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_are_read_from_runner_summaries() {
        let mut t = Tally::default();
        t.read("test result: ok. 8 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.33s");
        t.read("\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m9 passed\x1b[39m\x1b[22m\x1b[90m (9)\x1b[39m");
        t.read("      Tests  1 failed | 8 passed (9)");
        t.read("test something ... ok");
        assert_eq!((t.passed, t.failed), (25, 1));
    }
}
