// Generated from crates/enlace-domain (vocabulary.rs). Do not edit.
import type { Act } from "./Act";
import type { AgeBand } from "./AgeBand";
import type { AssessmentStatus } from "./AssessmentStatus";
import type { AudienceScope } from "./AudienceScope";
import type { CaseStatus } from "./CaseStatus";
import type { Classification } from "./Classification";
import type { Component } from "./Component";
import type { DataSource } from "./DataSource";
import type { EvidenceKind } from "./EvidenceKind";
import type { Gender } from "./Gender";
import type { HandlingCode } from "./HandlingCode";
import type { IdDocumentKind } from "./IdDocumentKind";
import type { IndicatorKind } from "./IndicatorKind";
import type { InfoCredibility } from "./InfoCredibility";
import type { Instrument } from "./Instrument";
import type { LabourSector } from "./LabourSector";
import type { LinkRelation } from "./LinkRelation";
import type { Means } from "./Means";
import type { MeansOfControl } from "./MeansOfControl";
import type { Obligation } from "./Obligation";
import type { OperationStatus } from "./OperationStatus";
import type { PersonRole } from "./PersonRole";
import type { Purpose } from "./Purpose";
import type { RecruiterRelation } from "./RecruiterRelation";
import type { RequestKind } from "./RequestKind";
import type { RequestStatus } from "./RequestStatus";
import type { RouteRole } from "./RouteRole";
import type { Sector } from "./Sector";
import type { SourceReliability } from "./SourceReliability";
import type { TaskKind } from "./TaskKind";
import type { TaskStatus } from "./TaskStatus";

export const CLASSIFICATIONS: readonly Classification[] = ["trafficking", "smuggling", "both", "under_assessment"];
export const STATUSES: readonly CaseStatus[] = ["reported", "under_investigation", "prosecution", "trial", "convicted", "acquitted", "closed", "referred"];
export const ACTS: readonly Act[] = ["recruitment", "transportation", "transfer", "harbouring", "receipt"];
export const MEANS: readonly Means[] = ["threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power", "abuse_of_vulnerability", "payments"];
export const PURPOSES: readonly Purpose[] = ["sexual_exploitation", "forced_labour", "slavery", "servitude", "organ_removal", "forced_marriage", "forced_military", "other"];
export const ROUTE_ROLES: readonly RouteRole[] = ["origin", "transit", "destination", "exploitation"];
export const PERSON_ROLES: readonly PersonRole[] = ["victim", "suspect", "witness", "other"];
export const GENDERS: readonly Gender[] = ["female", "male", "trans_non_conforming", "unknown"];
export const AGE_BANDS: readonly AgeBand[] = ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"];
export const INDICATOR_KINDS: readonly IndicatorKind[] = ["advertising", "rental", "transportation", "communication", "financial", "other"];
export const RELIABILITIES: readonly SourceReliability[] = ["A", "B", "C", "D", "E", "F"];
export const CREDIBILITIES: readonly InfoCredibility[] = ["1", "2", "3", "4", "5", "6"];
export const HANDLING_CODES: readonly HandlingCode[] = ["H0", "H1", "H2", "H3"];
export const AUDIENCE_SCOPES: readonly AudienceScope[] = ["national", "bilateral", "regional"];
export const LINK_RELATIONS: readonly LinkRelation[] = ["same_network", "same_victim", "same_suspect", "duplicate"];
export const REQUEST_KINDS: readonly RequestKind[] = ["mutual_legal_assistance", "extradition"];
export const REQUEST_STATUSES: readonly RequestStatus[] = ["draft", "sent", "received", "in_progress", "answered", "refused", "withdrawn"];
export const OPERATION_STATUSES: readonly OperationStatus[] = ["planned", "active", "concluded", "cancelled"];
export const MEANS_OF_CONTROL: readonly MeansOfControl[] = ["debt_bondage", "takes_earnings", "restricts_financial_access", "threats", "psychological_abuse", "physical_abuse", "sexual_abuse", "false_promises", "psychoactive_substances", "restricts_movement", "restricts_medical_care", "excessive_working_hours", "uses_children", "threat_of_law_enforcement", "withholds_necessities", "withholds_documents", "other"];
export const LABOUR_SECTORS: readonly LabourSector[] = ["agriculture", "aquafarming", "begging", "construction", "domestic_work", "hospitality", "illicit_activities", "manufacturing", "mining_or_drilling", "peddling", "transportation", "other"];
export const RECRUITER_RELATIONS: readonly RecruiterRelation[] = ["intimate_partner", "friend", "family", "other", "unknown"];
export const DATA_SOURCES: readonly DataSource[] = ["case_management", "hotline", "investigation", "other"];
export const ID_DOCUMENT_KINDS: readonly IdDocumentKind[] = ["passport", "national_id", "birth_certificate", "residence_permit", "other"];
export const ASSESSMENT_STATUSES: readonly AssessmentStatus[] = ["compliant", "partially_compliant", "not_compliant", "not_assessed"];
export const INSTRUMENTS: readonly Instrument[] = ["trafficking_protocol", "model_law", "smuggling_protocol"];
export const OBLIGATIONS: readonly Obligation[] = ["mandatory", "optional", "mixed"];
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ["court_decision", "enlace_case", "report", "other"];
export const COMPONENTS: readonly Component[] = ["cooperation", "training", "network", "protection"];
export const TASK_STATUSES: readonly TaskStatus[] = ["not_started", "in_progress", "done", "blocked", "cancelled"];
export const TASK_KINDS: readonly TaskKind[] = ["task", "workshop", "consultation", "campaign"];
export const SECTORS: readonly Sector[] = ["police", "prosecutors", "judges", "defenders", "immigration", "ngo"];
export const CATALOGUE_VERSION = 1;
export interface ChecklistEntry { id: string; instrument: Instrument; article: string; obligation: Obligation; since: number }
export const CATALOGUE: readonly ChecklistEntry[] = [
  { id: "TIP-01", instrument: "trafficking_protocol", article: "Art. 3(a), 5(1)", obligation: "mandatory", since: 1 },
  { id: "TIP-02", instrument: "trafficking_protocol", article: "Art. 3(a)", obligation: "mandatory", since: 1 },
  { id: "TIP-03", instrument: "trafficking_protocol", article: "Art. 3(a)", obligation: "mandatory", since: 1 },
  { id: "TIP-04", instrument: "trafficking_protocol", article: "Art. 3(b)", obligation: "mandatory", since: 1 },
  { id: "TIP-05", instrument: "trafficking_protocol", article: "Art. 3(c)-(d)", obligation: "mandatory", since: 1 },
  { id: "TIP-06", instrument: "trafficking_protocol", article: "Art. 4; TOC 34(2)", obligation: "mandatory", since: 1 },
  { id: "TIP-07", instrument: "trafficking_protocol", article: "Art. 5(2)(a)", obligation: "mandatory", since: 1 },
  { id: "TIP-08", instrument: "trafficking_protocol", article: "Art. 5(2)(b)", obligation: "mandatory", since: 1 },
  { id: "TIP-09", instrument: "trafficking_protocol", article: "Art. 5(2)(c)", obligation: "mandatory", since: 1 },
  { id: "TIP-10", instrument: "trafficking_protocol", article: "TOC 10", obligation: "mandatory", since: 1 },
  { id: "TIP-11", instrument: "trafficking_protocol", article: "TOC 11", obligation: "mixed", since: 1 },
  { id: "TIP-12", instrument: "trafficking_protocol", article: "TOC 12-14", obligation: "mixed", since: 1 },
  { id: "TIP-13", instrument: "trafficking_protocol", article: "Art. 6(1)", obligation: "mandatory", since: 1 },
  { id: "TIP-14", instrument: "trafficking_protocol", article: "Art. 6(2)", obligation: "mandatory", since: 1 },
  { id: "TIP-15", instrument: "trafficking_protocol", article: "Art. 6(3)", obligation: "optional", since: 1 },
  { id: "TIP-16", instrument: "trafficking_protocol", article: "Art. 6(4)", obligation: "mandatory", since: 1 },
  { id: "TIP-17", instrument: "trafficking_protocol", article: "Art. 6(5)", obligation: "mandatory", since: 1 },
  { id: "TIP-18", instrument: "trafficking_protocol", article: "Art. 6(6)", obligation: "mandatory", since: 1 },
  { id: "TIP-19", instrument: "trafficking_protocol", article: "Art. 7", obligation: "optional", since: 1 },
  { id: "TIP-20", instrument: "trafficking_protocol", article: "Art. 8(1), (3), (4)", obligation: "mandatory", since: 1 },
  { id: "TIP-21", instrument: "trafficking_protocol", article: "Art. 8(2)", obligation: "mandatory", since: 1 },
  { id: "TIP-22", instrument: "trafficking_protocol", article: "Art. 9(1)", obligation: "mandatory", since: 1 },
  { id: "TIP-23", instrument: "trafficking_protocol", article: "Art. 9(2)-(3)", obligation: "optional", since: 1 },
  { id: "TIP-24", instrument: "trafficking_protocol", article: "Art. 9(4)-(5)", obligation: "mandatory", since: 1 },
  { id: "TIP-25", instrument: "trafficking_protocol", article: "Art. 10(1)", obligation: "mandatory", since: 1 },
  { id: "TIP-26", instrument: "trafficking_protocol", article: "Art. 10(2)", obligation: "mandatory", since: 1 },
  { id: "TIP-27", instrument: "trafficking_protocol", article: "Art. 10(3)", obligation: "mandatory", since: 1 },
  { id: "TIP-28", instrument: "trafficking_protocol", article: "Art. 11(1), (6)", obligation: "mandatory", since: 1 },
  { id: "TIP-29", instrument: "trafficking_protocol", article: "Art. 11(2)-(4)", obligation: "mandatory", since: 1 },
  { id: "TIP-30", instrument: "trafficking_protocol", article: "Art. 11(5)", obligation: "optional", since: 1 },
  { id: "TIP-31", instrument: "trafficking_protocol", article: "Art. 12-13", obligation: "mandatory", since: 1 },
  { id: "TIP-32", instrument: "trafficking_protocol", article: "Art. 14", obligation: "mandatory", since: 1 },
  { id: "ML-33", instrument: "model_law", article: "Art. 10", obligation: "optional", since: 1 },
  { id: "ML-34", instrument: "model_law", article: "Art. 16", obligation: "optional", since: 1 },
  { id: "ML-35", instrument: "model_law", article: "Art. 11", obligation: "optional", since: 1 },
  { id: "ML-36", instrument: "model_law", article: "victims", obligation: "optional", since: 1 },
  { id: "ML-37", instrument: "model_law", article: "victims", obligation: "optional", since: 1 },
  { id: "ML-38", instrument: "model_law", article: "coordination", obligation: "optional", since: 1 },
  { id: "SOM-39", instrument: "smuggling_protocol", article: "Art. 6(1)(a)", obligation: "mandatory", since: 1 },
  { id: "SOM-40", instrument: "smuggling_protocol", article: "Art. 6(1)(b)-(c)", obligation: "mandatory", since: 1 },
  { id: "SOM-41", instrument: "smuggling_protocol", article: "Art. 6(2)", obligation: "mandatory", since: 1 },
  { id: "SOM-42", instrument: "smuggling_protocol", article: "Art. 6(3)", obligation: "mandatory", since: 1 },
  { id: "SOM-43", instrument: "smuggling_protocol", article: "Art. 5", obligation: "mandatory", since: 1 },
  { id: "SOM-44", instrument: "smuggling_protocol", article: "Art. 16", obligation: "mandatory", since: 1 },
  { id: "SOM-45", instrument: "smuggling_protocol", article: "Art. 10, 18", obligation: "mandatory", since: 1 },
];
export const PARTICIPATING: readonly string[] = ["MX", "GT", "HN", "SV", "NI", "CR", "PA"];
export const OBSERVERS: readonly string[] = ["CA", "US"];
