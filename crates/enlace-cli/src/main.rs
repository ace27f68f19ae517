//! `enlace`: the command-line interface of an Enlace node — a public,
//! documented interface (docs/cli.md) that scripts and other tools use.
//! A thin layer over enlace-core: argument parsing, passphrase prompting,
//! progress bars and output formatting. No business rules live here.
#![forbid(unsafe_code)]

/// `println!`/`print!` that end the program quietly when standard output
/// is closed (`enlace case list | head`) instead of panicking.
macro_rules! println {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}
macro_rules! print {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod args;
mod cmd;
mod common;
mod output;

use std::process::ExitCode;

use clap::Parser;
use enlace_core::ErrorCode;
use enlace_domain::{Lang, tr, tr_args};

use crate::args::Cli;
use crate::common::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("ENLACE_LOG"))
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = enlace_core::harden_process() {
        tracing::warn!("{e}");
    }
    let lang = match cli.lang.as_deref() {
        Some(l) => match Lang::parse(l) {
            Some(l) => l,
            None => {
                // The language is unknown, so say it in both.
                eprintln!(
                    "error: --lang es|en («{l}» no es un idioma disponible / is not an available language)"
                );
                return ExitCode::from(2);
            }
        },
        None => Lang::from_locale(
            &std::env::var("LC_ALL")
                .or_else(|_| std::env::var("LANG"))
                .unwrap_or_default(),
        ),
    };
    let json_errors = cli.command.wants_json();
    match cmd::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Network(msg)) => {
            if json_errors {
                let v = serde_json::json!({"error": {"code": "sync", "message": msg}});
                eprintln!("{v}");
            } else {
                eprintln!("error: {msg}");
            }
            ExitCode::from(9)
        }
        Err(e @ (Failure::Damaged | Failure::AuditAltered)) => {
            let message = tr(
                lang,
                if matches!(e, Failure::Damaged) {
                    "cli-check-damaged"
                } else {
                    "cli-audit-altered"
                },
            );
            if json_errors {
                let v = serde_json::json!({"error": {"code": "storage", "message": message}});
                eprintln!("{v}");
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(7)
        }
        Err(Failure::SyncFailed(peers)) => {
            if !json_errors {
                eprintln!(
                    "error: {}",
                    tr_args(lang, "cli-sync-failed", &[("peers", &peers)])
                );
            }
            ExitCode::from(9)
        }
        Err(Failure::Core(e)) => {
            let code = e.code();
            let message = e.message(lang);
            if json_errors {
                let v = serde_json::json!({"error": {"code": code, "message": message, "issues": e.issues(), "candidates": e.candidates()}});
                eprintln!("{v}");
            } else {
                eprintln!("error: {message}");
            }
            if code == ErrorCode::Internal {
                tracing::error!("{e:?}");
            }
            ExitCode::from(u8::try_from(code.exit_code()).unwrap_or(1))
        }
    }
}
