//! Cases: the list, one case, its history, edits, notes, identities and
//! drafts.

use enlace_core::{CaseFilter, CaseList, CaseView, HistoryEntry, ItemChange};
use tauri::State;

use crate::error::IpcResult;
use crate::shell::Shell;

#[tauri::command(async)]
pub(crate) fn list_cases(shell: State<'_, Shell>, filter: CaseFilter) -> IpcResult<CaseList> {
    shell.with_app(|a| a.list_cases(&filter))
}

#[tauri::command(async)]
pub(crate) fn get_case(shell: State<'_, Shell>, key: String) -> IpcResult<CaseView> {
    shell.with_app(|a| a.case(&key))
}

/// A case's changes with old and new values of each field.
#[tauri::command(async)]
pub(crate) fn case_changes(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.case_changes(&key))
}

/// Records the user's choice between concurrent values of a case field.
#[tauri::command(async)]
pub(crate) fn choose_case_value(
    shell: State<'_, Shell>,
    key: String,
    field: String,
    value: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.choose_case_value(&key, &field, &value))
}

/// Gives a case whose reference another case carries too the next
/// reference of this node's series (the old one still finds it).
#[tauri::command(async)]
pub(crate) fn renumber_case(
    shell: State<'_, Shell>,
    key: String,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.renumber_case(&key))
}

/// References that several cases carry, with their cases.
#[tauri::command(async)]
pub(crate) fn duplicate_references(
    shell: State<'_, Shell>,
) -> IpcResult<Vec<enlace_core::DuplicateReference>> {
    shell.with_app(|a| a.duplicate_references())
}

/// Creates a case from the editor's form. Takes JSON so a malformed field
/// comes back as a typed error naming it.
#[tauri::command(async)]
pub(crate) fn create_case(
    shell: State<'_, Shell>,
    input: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| {
        let input: enlace_domain::input::CaseInput = enlace_domain::input::from_value(input)?;
        a.create_case(input)
    })
}

/// Saves the editor's changes to a case as a JSON merge patch, made on the
/// case as the editor read it (`heads`: the case's when it opened, then
/// those of its last save), so sync's arrivals meanwhile are kept.
#[tauri::command(async)]
pub(crate) fn update_case(
    shell: State<'_, Shell>,
    key: String,
    patch: serde_json::Value,
    heads: Option<Vec<String>>,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.update_case_from(&key, &patch, heads.as_deref()))
}

#[tauri::command(async)]
pub(crate) fn add_note(
    shell: State<'_, Shell>,
    key: String,
    text: String,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.add_note(&key, &text))
}

/// Records or corrects the identity behind a person of a case (national only).
#[tauri::command(async)]
pub(crate) fn save_identity(
    shell: State<'_, Shell>,
    key: String,
    pseudonym: String,
    identity: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| {
        let identity: enlace_domain::Identity = enlace_domain::input::from_value(identity)?;
        a.save_identity(&key, &pseudonym, identity)
    })
}

/// Who receives a case's identities besides the hubs and offices.
#[tauri::command(async)]
pub(crate) fn identity_reach(
    shell: State<'_, Shell>,
    key: String,
) -> IpcResult<enlace_core::IdentityReach> {
    shell.with_app(|a| a.identity_reach(&key))
}

/// Shares a case's identities with a border post or an NGO node of this
/// country (`share`), or stops.
#[tauri::command(async)]
pub(crate) fn share_identities(
    shell: State<'_, Shell>,
    key: String,
    node: String,
    share: bool,
) -> IpcResult<enlace_core::IdentityReach> {
    let reach = shell.with_app(|a| a.share_identities(&key, &node, share))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(reach)
}

/// Grants identities of a case to another country. Takes JSON so a
/// malformed field comes back typed.
#[tauri::command(async)]
pub(crate) fn grant_add(
    shell: State<'_, Shell>,
    input: serde_json::Value,
) -> IpcResult<Vec<enlace_core::GrantView>> {
    let made = shell.with_app(|a| {
        let input: enlace_core::GrantInput = enlace_domain::input::from_value(input)?;
        a.grant_add(input)
    })?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(made)
}

/// The grants on the identities of a case (or of every identity held
/// here, without one).
#[tauri::command(async)]
pub(crate) fn grant_list(
    shell: State<'_, Shell>,
    case: Option<String>,
) -> IpcResult<Vec<enlace_core::GrantView>> {
    shell.with_app(|a| a.grant_list_for(case.as_deref()))
}

/// Revokes a grant of this node's country.
#[tauri::command(async)]
pub(crate) fn grant_revoke(
    shell: State<'_, Shell>,
    id: String,
) -> IpcResult<enlace_core::GrantView> {
    let revoked = shell.with_app(|a| a.grant_revoke(&id))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(revoked)
}

/// Records a victim's risk assessment: the first (`review` false) or a
/// review of the current ones. Takes JSON so a malformed field comes back
/// typed.
#[tauri::command(async)]
pub(crate) fn risk_record(
    shell: State<'_, Shell>,
    case: String,
    input: serde_json::Value,
    review: bool,
) -> IpcResult<enlace_core::VictimRisk> {
    let saved = shell.with_app(|a| {
        let input: enlace_core::RiskInput = enlace_domain::input::from_value(input)?;
        if review {
            a.risk_review(&case, input)
        } else {
            a.risk_add(&case, input)
        }
    })?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// Of assessments made apart, the one chosen to stand.
#[tauri::command(async)]
pub(crate) fn risk_choose(
    shell: State<'_, Shell>,
    case: String,
    pseudonym: String,
    assessment: String,
) -> IpcResult<enlace_core::VictimRisk> {
    let saved = shell.with_app(|a| a.risk_choose(&case, &pseudonym, &assessment))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// The risk of a case's victims.
#[tauri::command(async)]
pub(crate) fn risk_list(
    shell: State<'_, Shell>,
    case: String,
) -> IpcResult<Vec<enlace_core::VictimRisk>> {
    shell.with_app(|a| a.risks(&case))
}

/// The country's reviews due within `days` (0: today and overdue).
#[tauri::command(async)]
pub(crate) fn risks_due(
    shell: State<'_, Shell>,
    days: u32,
) -> IpcResult<Vec<enlace_core::RiskDue>> {
    shell.with_app(|a| a.risks_due(days))
}

/// Records this country's answer to a request addressed to it.
#[tauri::command(async)]
pub(crate) fn request_answer(
    shell: State<'_, Shell>,
    case: String,
    request: String,
    action: enlace_domain::RequestAction,
    text: String,
) -> IpcResult<enlace_core::RequestView> {
    let saved = shell.with_app(|a| a.request_answer(&case, &request, action, &text))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// A case's requests as both sides read them.
#[tauri::command(async)]
pub(crate) fn case_requests(
    shell: State<'_, Shell>,
    case: String,
) -> IpcResult<Vec<enlace_core::RequestView>> {
    shell.with_app(|a| a.case_requests(&case))
}

/// The requests this country made and those it is asked.
#[tauri::command(async)]
pub(crate) fn requests(
    shell: State<'_, Shell>,
    filter: enlace_core::RequestFilter,
) -> IpcResult<Vec<enlace_core::RequestView>> {
    shell.with_app(|a| a.requests(&filter))
}

/// Prints a case's file (PDF) into the exports folder, in `lang` (`es`,
/// `en`; the app's language when none).
#[tauri::command(async)]
pub(crate) fn export_case_file(
    shell: State<'_, Shell>,
    case: String,
    letter: bool,
    lang: Option<String>,
) -> IpcResult<super::exports::ExportedFile> {
    case_pdf(
        &shell,
        &case,
        letter,
        lang,
        "file-case-file",
        |a, path, lang, paper| a.case_file_pdf(&case, path, lang, paper),
    )
}

/// A PDF of a case (`print`) in the exports folder, named by `file_key`'s
/// word in the file's language, the case's reference and the time; in
/// `lang` (the app's language when none), on Letter or A4 paper.
fn case_pdf(
    shell: &Shell,
    case: &str,
    letter: bool,
    lang: Option<String>,
    file_key: &str,
    print: impl FnOnce(
        &mut enlace_core::App,
        &std::path::Path,
        enlace_domain::Lang,
        enlace_core::Paper,
    ) -> enlace_core::Result<u64>,
) -> IpcResult<super::exports::ExportedFile> {
    let lang = lang
        .as_deref()
        .and_then(enlace_domain::Lang::parse)
        .unwrap_or_else(|| shell.lang());
    let dir = super::exports::ensure_exports(shell)?;
    let stamp = super::exports::chrono_stamp();
    shell.with_app(|a| {
        let reference = a.case_reference(case)?;
        let path = dir.join(format!(
            "{}-{reference}-{stamp}.pdf",
            enlace_domain::tr(lang, file_key)
        ));
        let paper = if letter {
            enlace_core::Paper::Letter
        } else {
            enlace_core::Paper::A4
        };
        let bytes = print(a, &path, lang, paper)?;
        Ok(super::exports::ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}

/// The directory of agencies, filtered.
#[tauri::command(async)]
pub(crate) fn agencies(
    shell: State<'_, Shell>,
    filter: enlace_core::AgencyFilter,
) -> IpcResult<Vec<enlace_domain::Agency>> {
    shell.with_app(|a| a.agencies(&filter))
}

/// Adds an agency of this node's country. Takes JSON so a malformed field
/// comes back typed.
#[tauri::command(async)]
pub(crate) fn agency_add(
    shell: State<'_, Shell>,
    input: serde_json::Value,
) -> IpcResult<enlace_core::AgencySaved> {
    let saved = shell.with_app(|a| {
        let input: enlace_core::AgencyInput = enlace_domain::input::from_value(input)?;
        a.agency_add(input)
    })?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// Changes an agency of this node's country (a JSON merge patch).
#[tauri::command(async)]
pub(crate) fn agency_update(
    shell: State<'_, Shell>,
    agency: String,
    patch: serde_json::Value,
) -> IpcResult<enlace_core::AgencySaved> {
    let saved = shell.with_app(|a| a.agency_update(&agency, &patch))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// Refers a victim of a case to an agency.
#[tauri::command(async)]
pub(crate) fn referral_add(
    shell: State<'_, Shell>,
    case: String,
    input: serde_json::Value,
) -> IpcResult<enlace_core::ReferralView> {
    let saved = shell.with_app(|a| {
        let input: enlace_core::ReferralInput = enlace_domain::input::from_value(input)?;
        a.referral_add(&case, input)
    })?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// Records where a referral stands.
#[tauri::command(async)]
pub(crate) fn referral_update(
    shell: State<'_, Shell>,
    case: String,
    referral: String,
    status: enlace_domain::ReferralStatus,
    note: String,
) -> IpcResult<enlace_core::ReferralView> {
    let saved = shell.with_app(|a| a.referral_update(&case, &referral, status, &note))?;
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(saved)
}

/// The referrals of a case's victims (or every one held here).
#[tauri::command(async)]
pub(crate) fn referrals(
    shell: State<'_, Shell>,
    case: Option<String>,
) -> IpcResult<Vec<enlace_core::ReferralView>> {
    shell.with_app(|a| match case.as_deref() {
        Some(c) => a.referrals(c),
        None => a.referrals_all(),
    })
}

/// Prints a referral's letter (PDF) into the exports folder.
#[tauri::command(async)]
pub(crate) fn export_referral_letter(
    shell: State<'_, Shell>,
    case: String,
    referral: String,
    with_identity: bool,
    letter: bool,
    lang: Option<String>,
) -> IpcResult<super::exports::ExportedFile> {
    case_pdf(
        &shell,
        &case,
        letter,
        lang,
        "file-referral-letter",
        |a, path, lang, paper| {
            a.referral_letter_pdf(&case, &referral, path, lang, paper, with_identity)
        },
    )
}

/// Keeps a form's unsaved state in the encrypted store.
#[tauri::command(async)]
pub(crate) fn save_draft(
    shell: State<'_, Shell>,
    key: String,
    body: serde_json::Value,
) -> IpcResult<()> {
    shell.with_app(|a| a.save_draft(&key, &body))
}

#[tauri::command(async)]
pub(crate) fn get_draft(
    shell: State<'_, Shell>,
    key: String,
) -> IpcResult<Option<enlace_core::Draft>> {
    shell.with_app(|a| a.draft(&key))
}

#[tauri::command(async)]
pub(crate) fn discard_draft(shell: State<'_, Shell>, key: String) -> IpcResult<()> {
    shell.with_app(|a| a.discard_draft(&key))
}

#[tauri::command(async)]
pub(crate) fn case_history(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<HistoryEntry>> {
    shell.with_app(|a| a.history(&key))
}
