//! `cargo xtask bench <store|plan|ipc|sync|slow|stats>`: each benchmark re-runs this
//! program in release mode and measures a large case next to a baseline
//! measured in the same run (common.rs: the cached databases, sizes,
//! memory).

pub(crate) mod common;
mod ipc;
mod plan;
mod slow;
mod stats;
mod store;
mod sync;

use std::process::Command;

use anyhow::{Result, bail};

pub(crate) fn main(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("store" | "plan" | "ipc" | "sync" | "slow" | "stats") => {
            // Re-run ourselves in release mode: debug numbers mean nothing.
            let status = Command::new(crate::process::cargo())
                .args([
                    "run",
                    "--release",
                    "--quiet",
                    "--package",
                    "xtask",
                    "--",
                    "bench-run",
                ])
                .args(args)
                .current_dir(crate::process::root())
                .status()?;
            if !status.success() {
                bail!("the benchmark failed");
            }
            Ok(())
        }
        Some("run-store") => store::run(args),
        Some("run-plan") => plan::run(args),
        Some("run-ipc") => ipc::run(args),
        Some("run-sync") => sync::run(args),
        Some("run-sync-client") => sync::client_main(args),
        Some("run-slow") => slow::run(args),
        Some("run-stats") => stats::run(args),
        Some("run-slow-relay") => slow::relay_main(args),
        _ => bail!(
            "usage: cargo xtask bench store [--cases N] | bench plan [--tasks N] | bench ipc [--cases N] | bench sync [--cases N] [--edits K] | bench slow [--cases N] [--edits K] [--only satellite|cut] | bench stats [--cases N] [--baseline N]"
        ),
    }
}
