//! The Enlace desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("ENLACE_LOG"))
        .init();
    // The window's process holds the database key and decrypted cases: no
    // core dump, no tracing by other processes of the user.
    if let Err(e) = enlace_core::harden_process() {
        tracing::warn!("{e}");
    }
    match enlace_app::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Enlace no pudo iniciarse / Enlace could not start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
