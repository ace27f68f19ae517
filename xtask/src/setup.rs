//! What the app and its tests need on this machine: Debian packages (installed
//! when root, else the exact command is printed), the UI's npm packages and
//! build, tauri-driver.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::process::{cargo, home, root, run, step, which};

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
    // The package and its check on a clean root (package.rs).
    "debootstrap",
    "x11-utils",
    "desktop-file-utils",
    "systemd",
    "nodejs",
    "npm",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

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
pub(crate) fn ensure_system() -> Result<()> {
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
pub(crate) fn ensure_npm() -> Result<()> {
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

pub(crate) fn build_ui() -> Result<()> {
    step("building the UI (vite)");
    run(Command::new("npm")
        .args(["run", "build"])
        .current_dir(root().join("ui")))
}

/// `tauri-driver`, installed with cargo into a cache folder outside the clone.
pub(crate) fn ensure_tauri_driver() -> Result<PathBuf> {
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
