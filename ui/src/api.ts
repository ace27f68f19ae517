// Typed calls to the Tauri shell. Types come from Rust (src/bindings/, generated
// by ts-rs and checked for drift by `cargo xtask test`).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CaseList } from "./bindings/CaseList";
import type { CaseView } from "./bindings/CaseView";
import type { DuplicateReference } from "./bindings/DuplicateReference";
import type { CaseSaved } from "./bindings/CaseSaved";
import type { Draft } from "./bindings/Draft";
import type { Identity } from "./bindings/Identity";
import type { IdentityReach } from "./bindings/IdentityReach";
import type { GrantInput } from "./bindings/GrantInput";
import type { GrantView } from "./bindings/GrantView";
import type { RiskDue } from "./bindings/RiskDue";
import type { RiskInput } from "./bindings/RiskInput";
import type { VictimRisk } from "./bindings/VictimRisk";
import type { RequestAction } from "./bindings/RequestAction";
import type { RequestFilter } from "./bindings/RequestFilter";
import type { RequestView } from "./bindings/RequestView";
import type { CreateDatabase } from "./bindings/CreateDatabase";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { IpcError } from "./bindings/IpcError";
import type { Lang } from "./bindings/Lang";
import type { NodeInfo } from "./bindings/NodeInfo";
import type { NodeRole } from "./bindings/NodeRole";
import type { Progress } from "./bindings/Progress";
import type { StartupState } from "./bindings/StartupState";
import type { AssessmentSummary } from "./bindings/AssessmentSummary";
import type { AssessmentView } from "./bindings/AssessmentView";
import type { AssessmentItem } from "./bindings/AssessmentItem";
import type { ExportedFile } from "./bindings/ExportedFile";
import type { ItemChange } from "./bindings/ItemChange";
import type { ItemSaved } from "./bindings/ItemSaved";
import type { LegalExport } from "./bindings/LegalExport";
import type { LegalMatrixView } from "./bindings/LegalMatrixView";
import type { PlanFilter } from "./bindings/PlanFilter";
import type { PlanView } from "./bindings/PlanView";
import type { PlanTask } from "./bindings/PlanTask";
import type { TaskInput } from "./bindings/TaskInput";
import type { TaskSaved } from "./bindings/TaskSaved";
import type { BundleExported } from "./bindings/BundleExported";
import type { BundleImported } from "./bindings/BundleImported";
import type { BundleFound } from "./bindings/BundleFound";
import type { PeerInput } from "./bindings/PeerInput";
import type { CountryKeyView } from "./bindings/CountryKeyView";
import type { ListenerView } from "./bindings/ListenerView";
import type { PeerReport } from "./bindings/PeerReport";
import type { PeerView } from "./bindings/PeerView";
import type { QuarantineView } from "./bindings/QuarantineView";
import type { RevocationView } from "./bindings/RevocationView";
import type { SyncPanel } from "./bindings/SyncPanel";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { DatasetView } from "./bindings/DatasetView";
import type { StatsRequest } from "./bindings/StatsRequest";
import type { StatsTable } from "./bindings/StatsTable";
import type { StandardExport } from "./bindings/StandardExport";
import type { StandardFormat } from "./bindings/StandardFormat";
import type { Session } from "./bindings/Session";
import type { OfficialView } from "./bindings/OfficialView";
import type { Role } from "./bindings/Role";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { AuditVerified } from "./bindings/AuditVerified";
import type { Agency } from "./bindings/Agency";
import type { AgencyFilter } from "./bindings/AgencyFilter";
import type { AgencyInput } from "./bindings/AgencyInput";
import type { AgencySaved } from "./bindings/AgencySaved";
import type { ReferralInput } from "./bindings/ReferralInput";
import type { ReferralStatus } from "./bindings/ReferralStatus";
import type { ReferralView } from "./bindings/ReferralView";

/** A merge patch of a task (its identity and scope never change). */
export type TaskPatch = Partial<Omit<PlanTask, "id" | "owner" | "audience" | "country" | "demo">>;

/** A merge patch of a directory entry (its country, owner and scope never change). */
export type AgencyPatch = Partial<Omit<Agency, "id" | "country" | "owner" | "audience" | "demo">>;

/** A merge patch of one checklist item (the app sets updated_at/updated_by). */
export type ItemPatch = Partial<Omit<AssessmentItem, "updated_at" | "updated_by">>;

export const api = {
  startupState: () => invoke<StartupState>("startup_state"),
  setLanguage: (lang: Lang) => invoke<void>("set_language", { lang }),
  saveCaseFilter: (filter: CaseFilter) => invoke<void>("save_case_filter", { filter }),
  createDatabase: (request: CreateDatabase) => invoke<NodeInfo>("create_database", { request }),
  /** `official`: whose passphrase it is (null: the node's first administrator). */
  unlock: (passphrase: string, official: string | null) => invoke<NodeInfo>("unlock", { passphrase, official }),
  lock: () => invoke<void>("lock"),
  listCases: (filter: CaseFilter) => invoke<CaseList>("list_cases", { filter }),
  getCase: (key: string) => invoke<CaseView>("get_case", { key }),
  caseHistory: (key: string) => invoke<HistoryEntry[]>("case_history", { key }),
  caseChanges: (key: string) => invoke<ItemChange[]>("case_changes", { key }),
  chooseCaseValue: (key: string, field: string, value: unknown) => invoke<CaseSaved>("choose_case_value", { key, field, value }),
  renumberCase: (key: string) => invoke<CaseSaved>("renumber_case", { key }),
  duplicateReferences: () => invoke<DuplicateReference[]>("duplicate_references"),
  createCase: (input: unknown) => invoke<CaseSaved>("create_case", { input }),
  /** `heads`: the case's as the editor read it (its last save's after), so what sync brought meanwhile is kept. */
  updateCase: (key: string, patch: unknown, heads: string[] | null) => invoke<CaseSaved>("update_case", { key, patch, heads }),
  addNote: (key: string, text: string) => invoke<CaseSaved>("add_note", { key, text }),
  saveIdentity: (key: string, pseudonym: string, identity: Identity) => invoke<CaseSaved>("save_identity", { key, pseudonym, identity }),
  /** Who receives the case's identities by name besides the country's hubs and offices. */
  identityReach: (key: string) => invoke<IdentityReach>("identity_reach", { key }),
  /** Shares the case's identities with a node of this country (`node`: a peer's name or a key), or stops (`share` false). */
  shareIdentities: (key: string, node: string, share: boolean) => invoke<IdentityReach>("share_identities", { key, node, share }),
  /** Lets a case's identities (or one person's) reach another country's hubs and offices for a purpose until a date; answers the grants made. */
  grantAdd: (input: GrantInput) => invoke<GrantView[]>("grant_add", { input }),
  /** The grants on the identities this node holds: those its country gave and those given to it, newest first. */
  grantList: (caseKey?: string) => invoke<GrantView[]>("grant_list", { case: caseKey ?? null }),
  /** Revokes a grant of this node's country: later changes no longer travel; what was delivered stays. */
  grantRevoke: (id: string) => invoke<GrantView>("grant_revoke", { id }),
  /** Records a victim's risk assessment: the first (`review` false) or a review of the current ones (all of them, when nodes made several apart); answers the victim's risk now. */
  riskRecord: (caseKey: string, input: RiskInput, review: boolean) => invoke<VictimRisk>("risk_record", { case: caseKey, input, review }),
  /** Of assessments nodes made apart, the one chosen to stand (`assessment`: its id), recorded as a review of all of them. */
  riskChoose: (caseKey: string, pseudonym: string, assessment: string) => invoke<VictimRisk>("risk_choose", { case: caseKey, pseudonym, assessment }),
  /** The risk of every victim of a case (those not assessed yet with none); refused to a role that may not see risk assessments. */
  riskList: (caseKey: string) => invoke<VictimRisk[]>("risk_list", { case: caseKey }),
  /** The country's victims whose review is due within `days` (0: overdue and due today), the earliest first. */
  risksDue: (days: number) => invoke<RiskDue[]>("risks_due", { days }),
  /** A case's requests between states as this node's country reads them: its side, the requested country's answers (oldest first), whether the deadline passed. */
  caseRequests: (caseKey: string) => invoke<RequestView[]>("case_requests", { case: caseKey }),
  /** The requests this country made and those it is asked, on the cases this node holds: overdue first, then by deadline. */
  requests: (filter: RequestFilter) => invoke<RequestView[]>("requests", { filter }),
  /** This country's answer to a request addressed to it (`request`: its id); a refusal or a request for more information says why in `text`. Reaches the requesting country with the next sync. */
  requestAnswer: (caseKey: string, request: string, action: RequestAction, text: string) =>
    invoke<RequestView>("request_answer", { case: caseKey, request, action, text }),
  /** The case file (PDF, by pseudonym; audited) in the exports folder, in `lang` (null: the app's language), on Letter or A4 paper. */
  exportCaseFile: (caseKey: string, letter: boolean, lang: Lang | null) => invoke<ExportedFile>("export_case_file", { case: caseKey, letter, lang }),
  /** The directory of agencies, by country then name; `query`'s words match as prefixes, accents and case ignored. */
  agencies: (filter: AgencyFilter) => invoke<Agency[]>("agencies", { filter }),
  /** Adds an agency of this node's country to the directory; an invalid field comes back in the error's issues (its path). */
  agencyAdd: (input: AgencyInput) => invoke<AgencySaved>("agency_add", { input }),
  /** Changes an agency of this node's country (a JSON merge patch); another country's entry is refused. */
  agencyUpdate: (agency: string, patch: AgencyPatch) => invoke<AgencySaved>("agency_update", { agency, patch }),
  /** Refers a victim of a case to an agency; without her consent only a role that may grant does it, and says why (`consent_override`). */
  referralAdd: (caseKey: string, input: ReferralInput) => invoke<ReferralView>("referral_add", { case: caseKey, input }),
  /** Where a referral stands now (`referral`: its id), with a note added to its notes (empty: none). */
  referralUpdate: (caseKey: string, referral: string, status: ReferralStatus, note: string) =>
    invoke<ReferralView>("referral_update", { case: caseKey, referral, status, note }),
  /** The referrals of a case's victims (null: every one this node holds), the latest first; refused to a role that may not see risk assessments. */
  referrals: (caseKey: string | null) => invoke<ReferralView[]>("referrals", { case: caseKey }),
  /**
   * A referral's letter (PDF, audited) in the exports folder, in `lang` (null: the app's language), on Letter or A4 paper;
   * `withIdentity`: the victim named (a role that may print identities), else by pseudonym. Tauri reads the
   * command's `with_identity` from the camelCase key.
   */
  exportReferralLetter: (caseKey: string, referral: string, withIdentity: boolean, letter: boolean, lang: Lang | null) =>
    invoke<ExportedFile>("export_referral_letter", { case: caseKey, referral, withIdentity, letter, lang }),
  saveDraft: (key: string, body: unknown) => invoke<void>("save_draft", { key, body }),
  getDraft: (key: string) => invoke<Draft | null>("get_draft", { key }),
  discardDraft: (key: string) => invoke<void>("discard_draft", { key }),
  taskChanges: (key: string) => invoke<ItemChange[]>("task_changes", { key }),
  legalOverview: () => invoke<AssessmentSummary[]>("legal_overview"),
  legalAssessment: (country: string) => invoke<AssessmentView>("legal_assessment", { country }),
  /** `heads`: the assessment's as the editor read it (its last save's after). */
  updateLegalItem: (country: string, item: string, patch: ItemPatch, heads: string[] | null) =>
    invoke<ItemSaved>("update_legal_item", { country, item, patch, heads }),
  chooseLegalValue: (country: string, item: string, field: string, value: unknown) =>
    invoke<ItemSaved>("choose_legal_value", { country, item, field, value }),
  legalItemHistory: (country: string, item: string) => invoke<ItemChange[]>("legal_item_history", { country, item }),
  legalMatrix: () => invoke<LegalMatrixView>("legal_matrix"),
  exportLegal: (kind: LegalExport) => invoke<ExportedFile>("export_legal", { kind }),
  openExport: (path: string) => invoke<void>("open_export", { path }),
  plan: (filter: PlanFilter) => invoke<PlanView>("plan", { filter }),
  createTask: (input: TaskInput) => invoke<TaskSaved>("create_task", { input }),
  /** `heads`: the task's as the editor read it (its last save's after). */
  updateTask: (key: string, patch: TaskPatch, heads: string[] | null) => invoke<TaskSaved>("update_task", { key, patch, heads }),
  chooseTaskValue: (key: string, field: string, value: unknown) => invoke<TaskSaved>("choose_task_value", { key, field, value }),
  taskHistory: (key: string) => invoke<HistoryEntry[]>("task_history", { key }),
  exportPlanStatus: (country: string | null, letter: boolean) =>
    invoke<ExportedFile>("export_plan_status", { country, letter }),
  onProgress: (f: (p: Progress) => void): Promise<UnlistenFn> => listen<Progress>("progress", (e) => f(e.payload)),
  syncPanel: () => invoke<SyncPanel>("sync_panel"),
  syncNow: (peer: string | null) => invoke<PeerReport[]>("sync_now", { peer }),
  cancelSync: () => invoke<void>("cancel_sync"),
  setListener: (on: boolean, port: number) => invoke<ListenerView>("set_listener", { on, port }),
  addPeer: (input: PeerInput) => invoke<PeerView>("add_peer", { input }),
  /** A peer's place in this node's country (what sync gives it of the country's identities). */
  setPeerRole: (name: string, role: NodeRole) => invoke<PeerView>("set_peer_role", { name, role }),
  /** This node's own place in its country. */
  setNodeRole: (role: NodeRole) => invoke<NodeInfo>("set_node_role", { role }),
  /** The country administrator key this node trusts (null: none). */
  countryKey: () => invoke<CountryKeyView | null>("country_key"),
  /** Makes the country's administrator key here, once, at the hub (its secret stays in this node's database). */
  countryKeyCreate: () => invoke<CountryKeyView>("country_key_create"),
  /** Trusts `key` (64 hex) as the country's administrator key: only its revocations count here. */
  countryKeyTrust: (key: string) => invoke<CountryKeyView>("country_key_trust", { key }),
  removePeer: (name: string) => invoke<void>("remove_peer", { name }),
  revokePeer: (name: string) => invoke<RevocationView>("revoke_peer", { name }),
  quarantine: () => invoke<QuarantineView[]>("quarantine"),
  exportBundle: (peer: string) => invoke<BundleExported>("export_bundle", { peer }),
  importBundle: (path: string) => invoke<BundleImported>("import_bundle", { path }),
  findBundles: () => invoke<BundleFound[]>("find_bundles"),
  /** A table on screen: a preview under the disclosure rules, or exact counts (audited); never logged as a release. */
  stats: (request: StatsRequest) => invoke<StatsTable>("stats", { request }),
  datasets: () => invoke<DatasetView[]>("datasets"),
  /** Publishes a table as CSV in the exports folder (rules applied, release logged). */
  exportStatsCsv: (request: StatsRequest) => invoke<ExportedFile>("export_stats_csv", { request }),
  /** The statistical report (PDF, the UI's language) in the exports folder. */
  exportStatisticsReport: (letter: boolean) => invoke<ExportedFile>("export_statistics_report", { letter }),
  /** This node's cases as HTCDS 2.0 JSON or CTDC CSV (k-anonymised) in the exports folder. */
  exportStandard: (format: StandardFormat) => invoke<[ExportedFile, StandardExport]>("export_standard", { format }),
  /** A sync round ended (the background one, "sync now", or a bundle import). */
  onSyncFinished: (f: (r: PeerReport[]) => void): Promise<UnlistenFn> => listen<PeerReport[]>("sync-finished", (e) => f(e.payload)),
  onSyncProgress: (f: (p: SyncProgress) => void): Promise<UnlistenFn> => listen<SyncProgress>("sync-progress", (e) => f(e.payload)),
  /** Who is logged in, and what their role may do. */
  session: () => invoke<Session>("session"),
  /** This node's officials, removed ones too (for its administrator). */
  officials: () => invoke<OfficialView[]>("officials"),
  addOfficial: (name: string, role: Role, passphrase: string) => invoke<OfficialView>("add_official", { name, role, passphrase }),
  /** Their passphrase no longer opens the database; what they did stays. */
  removeOfficial: (name: string) => invoke<void>("remove_official", { name }),
  setOfficialRole: (name: string, role: Role) => invoke<void>("set_official_role", { name, role }),
  /** An administrator gives an official a new passphrase (a forgotten one). */
  resetPassphrase: (name: string, passphrase: string) => invoke<void>("reset_passphrase", { name, passphrase }),
  /** The logged-in official's own passphrase (the current one asked again). */
  changePassphrase: (current: string, next: string) => invoke<void>("change_passphrase", { current, new: next }),
  auditList: (filter: AuditFilter) => invoke<AuditEntry[]>("audit_list", { filter }),
  auditVerify: () => invoke<AuditVerified>("audit_verify"),
  /** The whole audit log as JSON Lines in the exports folder (audited). */
  exportAuditLog: () => invoke<ExportedFile>("export_audit_log"),
  /** The idle lock's delay; answers the minutes kept (1 to 240). */
  setIdleMinutes: (minutes: number) => invoke<number>("set_idle_minutes", { minutes }),
};

/** Errors from the shell are typed; anything else becomes an internal error. */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as IpcError;
  return { code: "internal", message: String(e), issues: [], candidates: [] };
}
