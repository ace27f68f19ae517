//! Processes and places: the repository, the target folder, running a
//! command (failing when it fails), a virtual display.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub(crate) fn step(name: &str) {
    eprintln!("\n\x1b[1;34m==> {name}\x1b[0m");
}

pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

pub(crate) fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

pub(crate) fn which(name: &str) -> Result<PathBuf> {
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

/// A virtual display for the end-to-end test, stopped on drop.
pub(crate) struct Xvfb {
    child: Child,
    pub(crate) display: String,
}

impl Xvfb {
    pub(crate) fn start() -> Result<Xvfb> {
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
