//! Officials and the audit log: who is logged in, the node's accounts (for
//! its administrator), passphrases, the audit viewer, the idle lock's
//! delay. Thin: every rule is enlace-core's.

use enlace_core::{AuditEntry, AuditFilter, AuditVerified, OfficialView, Session};
use enlace_domain::Role;
use tauri::State;

use crate::commands::exports::{ExportedFile, chrono_stamp, ensure_exports};
use crate::error::IpcResult;
use crate::shell::Shell;

#[tauri::command]
pub(crate) fn session(shell: State<'_, Shell>) -> IpcResult<Session> {
    shell.with_app(|a| Ok(a.session().clone()))
}

#[tauri::command(async)]
pub(crate) fn officials(shell: State<'_, Shell>) -> IpcResult<Vec<OfficialView>> {
    shell.with_app(|a| a.officials())
}

#[tauri::command(async)]
pub(crate) fn add_official(
    shell: State<'_, Shell>,
    name: String,
    role: Role,
    passphrase: String,
) -> IpcResult<OfficialView> {
    shell.with_app(|a| a.add_official(&name, role, &passphrase))
}

#[tauri::command(async)]
pub(crate) fn remove_official(shell: State<'_, Shell>, name: String) -> IpcResult<()> {
    shell.with_app(|a| a.remove_official(&name))
}

#[tauri::command(async)]
pub(crate) fn set_official_role(
    shell: State<'_, Shell>,
    name: String,
    role: Role,
) -> IpcResult<()> {
    shell.with_app(|a| a.set_official_role(&name, role))
}

#[tauri::command(async)]
pub(crate) fn reset_passphrase(
    shell: State<'_, Shell>,
    name: String,
    passphrase: String,
) -> IpcResult<()> {
    shell.with_app(|a| a.reset_passphrase(&name, &passphrase))
}

#[tauri::command(async)]
pub(crate) fn change_passphrase(
    shell: State<'_, Shell>,
    current: String,
    new: String,
) -> IpcResult<()> {
    shell.with_app(|a| a.change_passphrase(&current, &new))
}

#[tauri::command(async)]
pub(crate) fn audit_list(
    shell: State<'_, Shell>,
    filter: AuditFilter,
) -> IpcResult<Vec<AuditEntry>> {
    shell.with_app(|a| a.audit_list(&filter))
}

#[tauri::command(async)]
pub(crate) fn audit_verify(shell: State<'_, Shell>) -> IpcResult<AuditVerified> {
    shell.with_app(|a| a.audit_verify())
}

#[tauri::command(async)]
pub(crate) fn export_audit_log(shell: State<'_, Shell>) -> IpcResult<ExportedFile> {
    let dir = ensure_exports(&shell)?;
    let path = dir.join(format!("audit-{}.jsonl", chrono_stamp()));
    shell.with_app(|a| {
        a.export_audit_log(&path)?;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}

/// The idle lock's delay, in minutes (1 to 240; remembered on this data
/// folder; the node administrator's to change).
#[tauri::command]
pub(crate) fn set_idle_minutes(shell: State<'_, Shell>, minutes: u32) -> IpcResult<u32> {
    // The delay holds for every official of this computer: the
    // administrator's to set.
    shell.with_app(|a| a.require(enlace_domain::Permission::ManageOfficials))?;
    let m = minutes.clamp(1, 240);
    shell.update_prefs(|p| p.idle_minutes = Some(m));
    Ok(m)
}
