//! The desktop shell: the only crate that knows Tauri and IPC JSON.
//!
//! Each command is a few lines over `enlace_core::App`, returns typed values
//! and a typed, serialisable [`IpcError`] (never a `String`), and is generic
//! over `tauri::Runtime` so `tauri::test::mock_builder()` can drive it in
//! tests without a display. TypeScript types for everything crossing the
//! boundary are generated (ts-rs) into `ui/src/bindings/`.
#![forbid(unsafe_code)]

mod commands;
mod error;
mod listener;
mod shell;
mod sync;

use std::path::PathBuf;

use tauri::Runtime;

pub use commands::exports::ExportedFile;
pub use commands::legal::LegalExport;
pub use commands::start::{CreateDatabase, Progress, StartupState};
pub use commands::sync::{Connection, SyncPanel};
pub use error::IpcError;
pub use listener::ListenerView;
pub use shell::Shell;

/// The data directory: `--data-dir DIR` (or `--data-dir=DIR`) on the
/// command line, else `ENLACE_DATA_DIR`, else the platform default.
pub fn data_dir(args: &[String]) -> PathBuf {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data-dir"
            && let Some(d) = it.next()
        {
            return PathBuf::from(d);
        }
        if let Some(d) = a.strip_prefix("--data-dir=") {
            return PathBuf::from(d);
        }
    }
    std::env::var_os("ENLACE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(enlace_core::default_data_dir)
        .unwrap_or_else(|| PathBuf::from("enlace-data"))
}

/// Registers the state and the commands on a builder (the real one or
/// `tauri::test::mock_builder()`).
pub fn setup<R: Runtime>(builder: tauri::Builder<R>, shell: Shell) -> tauri::Builder<R> {
    builder
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::start::startup_state,
            commands::start::set_language,
            commands::start::save_case_filter,
            commands::start::create_database,
            commands::start::unlock,
            commands::start::lock,
            commands::cases::list_cases,
            commands::cases::get_case,
            commands::cases::case_history,
            commands::cases::case_changes,
            commands::cases::choose_case_value,
            commands::cases::renumber_case,
            commands::cases::duplicate_references,
            commands::cases::create_case,
            commands::cases::update_case,
            commands::cases::add_note,
            commands::cases::save_identity,
            commands::cases::identity_reach,
            commands::cases::share_identities,
            commands::cases::grant_add,
            commands::cases::grant_list,
            commands::cases::grant_revoke,
            commands::cases::risk_record,
            commands::cases::risk_choose,
            commands::cases::risk_list,
            commands::cases::risks_due,
            commands::cases::request_answer,
            commands::cases::case_requests,
            commands::cases::requests,
            commands::cases::export_case_file,
            commands::cases::agencies,
            commands::cases::agency_add,
            commands::cases::agency_update,
            commands::cases::referral_add,
            commands::cases::referral_update,
            commands::cases::referrals,
            commands::cases::export_referral_letter,
            commands::cases::save_draft,
            commands::cases::get_draft,
            commands::cases::discard_draft,
            commands::legal::legal_overview,
            commands::legal::legal_assessment,
            commands::legal::update_legal_item,
            commands::legal::choose_legal_value,
            commands::legal::legal_item_history,
            commands::legal::legal_matrix,
            commands::legal::export_legal,
            commands::exports::open_export,
            commands::plan::plan,
            commands::plan::create_task,
            commands::plan::update_task,
            commands::plan::choose_task_value,
            commands::plan::task_history,
            commands::plan::task_changes,
            commands::plan::export_plan_status,
            commands::sync::sync_panel,
            commands::sync::sync_now,
            commands::sync::cancel_sync,
            commands::sync::set_listener,
            commands::sync::add_peer,
            commands::sync::set_peer_role,
            commands::sync::set_node_role,
            commands::sync::country_key,
            commands::sync::country_key_create,
            commands::sync::country_key_trust,
            commands::sync::remove_peer,
            commands::sync::revoke_peer,
            commands::sync::quarantine,
            commands::sync::export_bundle,
            commands::sync::import_bundle,
            commands::sync::find_bundles,
            commands::stats::stats,
            commands::stats::datasets,
            commands::stats::export_stats_csv,
            commands::stats::export_statistics_report,
            commands::stats::export_standard,
            commands::officials::session,
            commands::officials::officials,
            commands::officials::add_official,
            commands::officials::remove_official,
            commands::officials::set_official_role,
            commands::officials::reset_passphrase,
            commands::officials::change_passphrase,
            commands::officials::audit_list,
            commands::officials::audit_verify,
            commands::officials::export_audit_log,
            commands::officials::set_idle_minutes,
        ])
}

/// Runs the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    setup(tauri::Builder::default(), Shell::new(data_dir(&args)))
        .setup(|app| {
            software_rendering(app);
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// Paints the window on the CPU when `ENLACE_SOFTWARE_PAINT=1`. WebKitGTK
/// otherwise composites through OpenGL, and where the GL is a software one
/// (virtual machines, remote desktops, Xvfb) every frame costs tens of
/// milliseconds: measured with `cargo xtask bench ipc` on this project's
/// VM, opening a case took ~100 ms to reach the screen with compositing and
/// ~30 ms without. Not the default: WebKitWebDriver's screenshots hang in
/// this mode, so the end-to-end tests could not cover it.
fn software_rendering<R: Runtime>(app: &tauri::App<R>) {
    #[cfg(target_os = "linux")]
    if std::env::var_os("ENLACE_SOFTWARE_PAINT").is_some_and(|v| v == "1") {
        use tauri::Manager;
        for (_, w) in app.webview_windows() {
            let _ = w.with_webview(|wv| {
                use webkit2gtk::{SettingsExt, WebViewExt};
                if let Some(s) = WebViewExt::settings(&wv.inner()) {
                    s.set_hardware_acceleration_policy(
                        webkit2gtk::HardwareAccelerationPolicy::Never,
                    );
                }
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(test)]
mod listener_tests;
#[cfg(test)]
mod tests;
