//! The command line's arguments: every command, subcommand and flag of the
//! public interface (docs/cli.md), and which of them ask for JSON.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use enlace_core::SortField;
use enlace_domain::enums::Closed;
use enlace_domain::legal::AssessmentStatus;
use enlace_domain::{CaseStatus, Classification, Component, Means, Purpose, RouteRole, TaskStatus};

/// Enlace — the Regional Database of the National Task Forces against
/// trafficking in persons. Exit codes: 0 ok, 1 internal error, 2 usage,
/// 3 not found, 4 wrong passphrase, 5 invalid input, 6 database missing or
/// already present, 7 storage (disk full, permissions, damaged database),
/// 8 not allowed (the document belongs to another country, or the
/// official's role does not allow it), 9 network (a
/// peer could not be synced, or the address cannot be listened on).
#[derive(Parser, Debug)]
#[command(name = "enlace", version, about, long_about = None)]
pub struct Cli {
    /// The data directory (default: the platform's data dir, e.g. ~/.local/share/enlace).
    #[arg(long, global = true, env = "ENLACE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Language of messages: es (default) or en.
    #[arg(long, global = true, env = "ENLACE_LANG", value_name = "es|en")]
    pub lang: Option<String>,
    /// The official to log in as (their passphrase from ENLACE_PASSPHRASE
    /// or the prompt); without it, the administrator made at `init`. At
    /// `init`, the name the administrator gets (default: admin).
    #[arg(long, global = true, env = "ENLACE_USER", value_name = "NAME")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the encrypted database and this node's identity.
    Init {
        /// The node's country (ISO 3166-1 alpha-2: MX GT HN SV NI CR PA, or CA US).
        #[arg(long)]
        country: String,
        /// A name for this node, e.g. "Paso Tecún Umán".
        #[arg(long)]
        node_name: String,
        /// Its place in its country: hub, office (default), border_post or
        /// ngo. A border post and an NGO receive only the identities they
        /// record or that are shared with them.
        #[arg(long, value_parser = parse_closed::<enlace_domain::NodeRole>)]
        node_role: Option<enlace_domain::NodeRole>,
        /// Also load the demonstration data.
        #[arg(long)]
        demo: bool,
    },
    /// This node's identity.
    Node {
        #[command(subcommand)]
        command: NodeCommand,
    },
    /// Cases.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Legal assessments: each country's law against the checklist.
    Legal {
        #[command(subcommand)]
        command: LegalCommand,
    },
    /// The Regional Plan of Action: tasks.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Printable reports (PDF).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Load fictional demonstration data (cases and legal assessments; once).
    Demo,
    /// Rebuild the search and list indexes from the documents.
    Reindex,
    /// Check that the database is whole: SQLite's integrity check, every
    /// document against its stored heads and the change log, the audit
    /// log's chain. Exit 7 when anything is damaged.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Write every case this node holds to a file: Enlace's JSON (person
    /// documents excluded), HTCDS 2.0 JSON (pseudonymous) or the CTDC
    /// global dataset's CSV (pseudonymous, k-anonymised).
    Export {
        /// enlace (default), htcds or ctdc.
        #[arg(value_enum, default_value_t = StandardFormat::Enlace)]
        format: StandardFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// CTDC: every combination of year, sex, age band, majority,
        /// citizenship and country of exploitation is shared by at least
        /// k victims (11 or more).
        #[arg(long, default_value_t = 11)]
        k: u64,
        /// HTCDS, CTDC: print what was written and what could not be
        /// mapped as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a backup of this node (database and key file, one consistent
    /// snapshot, still encrypted) while the app or `enlace serve` runs.
    Backup {
        /// The backup file to write (refused if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Make this data folder from a backup (it must hold no database); the
    /// backup opens with the node's passphrase.
    Restore {
        /// The backup file `enlace backup` wrote.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Peers: the nodes this node syncs with and trusts.
    Peer {
        #[command(subcommand)]
        command: PeerCommand,
    },
    /// Sync now with every peer that has an address (one session each);
    /// exit 9 if any failed.
    Sync(SyncArgs),
    /// Run as a headless hub: serve sync to paired peers (mutual TLS) and
    /// sync with the peers that have an address, until SIGTERM or Ctrl+C.
    Serve(ServeArgs),
    /// Sync bundles: files carried where no network reaches.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// The field's datasets (CTDC), imported as statistical records: kept
    /// apart from the cases, never synced.
    Dataset {
        #[command(subcommand)]
        command: DatasetCommand,
    },
    /// A table of identified victims by one or two fields, over this
    /// node's cases and the imported datasets, with small counts hidden.
    Stats(StatsArgs),
    /// Officials: the named accounts of this node, each with a role and
    /// its own passphrase.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log: list it, verify its hash chain, export it.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Grants: an identity allowed to reach another country for a stated
    /// purpose until a date.
    Grant {
        #[command(subcommand)]
        command: GrantCommand,
    },
    /// Victims' risk assessments: the first one, reviews, the choice
    /// between assessments made apart, and the reviews that come due.
    Risk {
        #[command(subcommand)]
        command: RiskCommand,
    },
    /// Requests between countries (mutual legal assistance, extradition):
    /// those this country made and those it is asked, with their answers
    /// and deadlines; answering those addressed to this country.
    Request {
        #[command(subcommand)]
        command: RequestCommand,
    },
    /// The directory of agencies: shelters, legal aid, hotlines, focal
    /// points — each country's own, read by all.
    Agency {
        #[command(subcommand)]
        command: AgencyCommand,
    },
    /// Victims referred to the directory's agencies.
    Referral {
        #[command(subcommand)]
        command: ReferralCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AgencyCommand {
    /// Add an agency of this node's country to the directory.
    Add {
        #[arg(long)]
        name: String,
        /// international_org, regional_org, government, ngo or research.
        #[arg(long, value_parser = parse_closed::<enlace_domain::AgencyKind>)]
        kind: enlace_domain::AgencyKind,
        #[arg(long, default_value = "")]
        city: String,
        /// A service (repeat it): shelter, legal_aid, medical,
        /// psychological, repatriation, hotline, interpretation,
        /// education, employment, family_tracing.
        #[arg(long = "service", value_parser = parse_closed::<enlace_domain::Service>)]
        services: Vec<enlace_domain::Service>,
        /// A contact as `NAME;FUNCTION;PHONE;EMAIL` (repeat it; empty parts allowed).
        #[arg(long = "contact")]
        contacts: Vec<String>,
        #[arg(long, default_value = "")]
        hours: String,
        /// A language spoken (repeat it).
        #[arg(long = "language")]
        languages: Vec<String>,
        /// Reliability as a source, A to F.
        #[arg(long, value_parser = parse_closed::<enlace_domain::SourceReliability>)]
        reliability: enlace_domain::SourceReliability,
        /// The National Task Force's focal point for referrals.
        #[arg(long)]
        focal_point: bool,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// The directory (accents ignored), by country then name.
    List {
        #[arg(long, short)]
        query: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long, value_parser = parse_closed::<enlace_domain::Service>)]
        service: Option<enlace_domain::Service>,
        #[arg(long)]
        json: bool,
    },
    /// One agency, by id or name.
    Show {
        agency: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an agency of this node's country with a JSON merge patch.
    Update {
        agency: String,
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        #[arg(long)]
        print_json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReferralCommand {
    /// Refer a victim of a case to an agency: with her consent
    /// (--consent), or without it and a written reason (--override, by a
    /// coordinator or an administrator).
    Add {
        case: String,
        pseudonym: String,
        /// The agency's id or name (`enlace agency list`).
        #[arg(long)]
        agency: String,
        #[arg(long = "service", value_parser = parse_closed::<enlace_domain::Service>)]
        services: Vec<enlace_domain::Service>,
        #[arg(long)]
        reason: String,
        #[arg(long, conflicts_with = "override_reason")]
        consent: bool,
        /// Why she is referred without her consent.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// When the agency should have answered (YYYY-MM-DD).
        #[arg(long)]
        due: Option<chrono::NaiveDate>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// Record where a referral stands: in_progress, accepted, rejected, done.
    Update {
        case: String,
        /// The referral's id (or its first characters).
        referral: String,
        #[arg(long, value_parser = parse_closed::<enlace_domain::ReferralStatus>)]
        status: enlace_domain::ReferralStatus,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// The referrals of a case's victims (or every one held here).
    List {
        case: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RequestCommand {
    /// Answer a request addressed to this country: acknowledged,
    /// more_information, answered or refused (the last two with --text
    /// saying why or what).
    Answer {
        /// The case (reference or id).
        case: String,
        /// The request's id (or its first characters; `enlace request list`).
        request: String,
        #[arg(long, value_parser = parse_closed::<enlace_domain::RequestAction>)]
        action: enlace_domain::RequestAction,
        /// The answer, the information needed, or the reason for refusing.
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// The requests this country made and those it is asked, overdue
    /// first (or only one case's, with --case).
    List {
        #[arg(long, value_name = "CASE")]
        case: Option<String>,
        /// Only those addressed to this country.
        #[arg(long)]
        to_us: bool,
        /// Only those this country made.
        #[arg(long)]
        from_us: bool,
        /// Only those past their deadline without an answer.
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
}

/// One assessment, as `risk add` and `risk review` take it.
#[derive(clap::Args, Debug)]
pub struct RiskArgs {
    /// The case (reference or id).
    pub case: String,
    /// The victim's pseudonym in the case (e.g. V1).
    pub pseudonym: String,
    /// low, medium, high or critical.
    #[arg(long, value_parser = parse_closed::<enlace_domain::RiskLevel>)]
    pub level: enlace_domain::RiskLevel,
    /// Who assessed it (name and function).
    #[arg(long)]
    pub assessor: String,
    /// The day it was assessed (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<chrono::NaiveDate>,
    /// A threat factor (repeat it): to_victim, to_family, to_supporters,
    /// traffickers_know_location, victim_is_witness, minor,
    /// trafficker_is_relative, debt_claimed, trafficked_before,
    /// no_safe_accommodation, health_needs.
    #[arg(long = "threat", value_parser = parse_closed::<enlace_domain::ThreatFactor>)]
    pub threats: Vec<enlace_domain::ThreatFactor>,
    /// Protection measures taken.
    #[arg(long, default_value = "")]
    pub taken: String,
    /// Protection measures still needed.
    #[arg(long, default_value = "")]
    pub needed: String,
    /// When to review it (YYYY-MM-DD; default by level: critical 7 days,
    /// high 14, medium 30, low 90).
    #[arg(long, value_name = "DATE")]
    pub next_review: Option<chrono::NaiveDate>,
    #[arg(long, default_value = "")]
    pub notes: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum RiskCommand {
    /// Record a victim's first risk assessment.
    Add(RiskArgs),
    /// Record a review: a new assessment that keeps the earlier ones.
    Review(RiskArgs),
    /// Of assessments made apart on different nodes, choose the one that
    /// stands (recorded as a review of all of them).
    Choose {
        case: String,
        pseudonym: String,
        /// The chosen assessment's id (or its first characters).
        assessment: String,
        #[arg(long)]
        json: bool,
    },
    /// The risk of a case's victims: current assessment, review due,
    /// history.
    List {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// The country's reviews due: overdue and due today (or within
    /// --days), the earliest first.
    Due {
        #[arg(long, default_value_t = 0)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum GrantCommand {
    /// Let the identities of a case (or one person of it, or a person
    /// document) reach another country's hubs and offices until a date.
    Add {
        /// A case's reference or id, or a person document's id.
        target: String,
        /// Only this person of the case (its pseudonym, e.g. V1).
        #[arg(long, value_name = "PSEUDONYM")]
        person: Option<String>,
        /// The country it may reach (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        /// repatriation, joint_investigation or victim_assistance.
        #[arg(long, value_parser = parse_closed::<enlace_domain::GrantPurpose>)]
        purpose: enlace_domain::GrantPurpose,
        /// Its last day (YYYY-MM-DD).
        #[arg(long)]
        until: chrono::NaiveDate,
        /// Why (recorded with it and in the audit log).
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Grants on the identities this node holds: given by this country,
    /// and given to it (only a case's, with --case).
    List {
        #[arg(long, value_name = "CASE")]
        case: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a grant: no later change reaches that country; what it
    /// received cannot be recalled.
    Revoke {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an official (their passphrase from ENLACE_NEW_PASSPHRASE or a
    /// prompt). Administrators only.
    Add {
        name: String,
        /// border_officer, police_investigator, prosecutor, ngo_case_worker,
        /// coordinator, analyst or administrator.
        #[arg(long, value_parser = parse_closed::<enlace_domain::Role>)]
        role: enlace_domain::Role,
        #[arg(long)]
        json: bool,
    },
    /// The officials of this node, removed ones too.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove an official: their passphrase no longer opens the database;
    /// what they did stays under their name.
    Remove { name: String },
    /// Give an official another role.
    Role {
        name: String,
        #[arg(long, value_parser = parse_closed::<enlace_domain::Role>)]
        role: enlace_domain::Role,
    },
    /// Change your own passphrase (the new one from ENLACE_NEW_PASSPHRASE
    /// or a prompt).
    Passwd,
    /// Give an official a new passphrase (a forgotten one), from
    /// ENLACE_NEW_PASSPHRASE or a prompt. Nothing is lost.
    Reset { name: String },
    /// Who is logged in, and what the role allows.
    Whoami {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// The latest entries, newest first.
    List {
        /// Only actions starting with this (login, official., export, …).
        #[arg(long)]
        action: Option<String>,
        /// Only entries whose actor contains this.
        #[arg(long)]
        actor: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Verify the hash chain: an entry edited, removed or moved breaks it
    /// (exit 7).
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Write the whole log as JSON Lines, with its hashes.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum DatasetCommand {
    /// Import a CTDC file (global, k-anonymised, synthetic 2024 or the
    /// simplified derivative; comma or semicolon; UTF-8 or Latin-1).
    Import {
        file: PathBuf,
        /// A name for it (default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// Skip rows with a value out of vocabulary (listed) instead of
        /// refusing the file.
        #[arg(long)]
        skip_bad: bool,
        #[arg(long)]
        json: bool,
    },
    /// The imported datasets.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete an imported dataset and all its records.
    Remove { id: i64 },
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// One or two fields: year, source, gender, age, majority, citizenship,
    /// exploitation_country, purpose, means, labour, recruiter, status,
    /// classification.
    #[arg(long, value_delimiter = ',', required = true)]
    pub by: Vec<String>,
    #[command(flatten)]
    pub select: StatsSelection,
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
}

/// Which records a table counts and the disclosure rules it goes through.
#[derive(Args, Debug)]
pub struct StatsSelection {
    /// Only records with one of these values: FIELD=VALUE[,VALUE...]
    /// (repeatable).
    #[arg(long, value_name = "FIELD=VALUES")]
    pub filter: Vec<String>,
    /// What to count: this node's cases, the imported datasets, or both.
    #[arg(long, default_value = "all", value_parser = ["all", "cases", "datasets"])]
    pub source: String,
    /// Only these datasets (by id; repeatable).
    #[arg(long)]
    pub dataset: Vec<i64>,
    /// Smallest count shown: 11 or more (default 11, as CTDC publishes);
    /// 1 gives exact counts on screen (audited, not a publication).
    #[arg(long, default_value_t = 11)]
    pub k: u64,
    /// Counts are rounded down to a multiple of this (default: k).
    #[arg(long)]
    pub resolution: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum NodeCommand {
    /// Node id, country, name, public key and place in the country.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Set this node's place in its country (hub, office, border_post,
    /// ngo). A border post or an NGO refuses, from then on, identities not
    /// shared with it.
    Role {
        #[arg(value_parser = parse_closed::<enlace_domain::NodeRole>)]
        role: enlace_domain::NodeRole,
        #[arg(long)]
        json: bool,
    },
    /// The country's administrator key: made at the hub, trusted by every
    /// node of the country as the only key that revokes its nodes.
    CountryKey {
        #[command(subcommand)]
        command: CountryKeyCommand,
    },
    /// Revoke a node of this country (a stolen laptop) with the country's
    /// administrator key, at the node that holds it; the revocation
    /// travels by sync to every node. Without a country key, as `peer
    /// revoke`.
    Revoke {
        /// Its name here (a peer, an anchor or a roster entry) or its key.
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CountryKeyCommand {
    /// Make the country's administrator key here (once, at the hub).
    Create {
        #[arg(long)]
        json: bool,
    },
    /// Trust KEY (64 hex, from `enlace node country-key show` at the hub)
    /// as the country's administrator key.
    Trust {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// The country key this node trusts.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Create a case from JSON (see docs/cli.md); prints "ID REFERENCE".
    Create {
        /// The JSON file, or - for standard input.
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        /// Print the result as JSON instead.
        #[arg(long)]
        print_json: bool,
    },
    /// Create many cases from a JSON array, all or none (one transaction);
    /// prints "ID REFERENCE" per case.
    Import {
        /// The JSON file (an array of cases as for `create`), or -.
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        #[arg(long)]
        print_json: bool,
    },
    /// Create cases from an HTCDS 2.0 JSON file (IOM's Human Trafficking
    /// Case Data Standard: an object with `cases`, as `enlace export
    /// htcds` writes, or a list of case objects), all or none.
    ImportHtcds {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List and search cases.
    List(ListArgs),
    /// Show one case.
    Show {
        /// The case's id or reference (GT-2026-0042).
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a case with a JSON merge patch (RFC 7396).
    Update {
        case: String,
        /// The patch file, or - for standard input.
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        /// The heads the patch was made from (`show --json`'s `heads`,
        /// comma-separated): the change is made on the case as it was then
        /// and merged, so edits made since are kept.
        #[arg(long, value_delimiter = ',', value_name = "HEAD,...")]
        base: Vec<String>,
        #[arg(long)]
        print_json: bool,
    },
    /// Append a note to a case.
    Note {
        case: String,
        /// The note's text, or - to read it from standard input.
        #[arg(long)]
        text: String,
    },
    /// The change history of a case: who changed what, and when.
    History {
        case: String,
        /// Also each field's old and new value.
        #[arg(long)]
        values: bool,
        #[arg(long)]
        json: bool,
    },
    /// Choose between concurrent values of status, classification, title or
    /// summary (recorded as a change).
    Choose {
        case: String,
        #[arg(long)]
        field: String,
        /// The chosen value as JSON, e.g. '"trafficking"'.
        #[arg(long)]
        value: String,
    },
    /// References that several cases carry (issued twice before node codes,
    /// or by a node that misbehaves), with their cases.
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Give a case the next reference of this node's series; the old one
    /// still finds it. Only the owner country's nodes may.
    Renumber {
        /// The case's id (a duplicated reference names several cases).
        case: String,
        #[arg(long)]
        print_json: bool,
    },
    /// Share the identities of a case's persons with a border post or an
    /// NGO node of this country (they receive them at their next sync), or
    /// stop (`--stop`: no later change reaches it; what it received stays).
    Share {
        case: String,
        /// The node: a peer's name, a roster entry's, or its key.
        node: String,
        #[arg(long)]
        stop: bool,
        #[arg(long)]
        json: bool,
    },
    /// Who receives a case's identities besides the hubs and offices.
    Reach {
        case: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum LegalCommand {
    /// A country's assessment as a checklist (default: this node's country).
    Show {
        #[arg(long)]
        country: Option<String>,
        /// Only items of one instrument.
        #[arg(long, value_enum)]
        protocol: Option<Protocol>,
        /// Only mandatory (wholly or partly) items.
        #[arg(long)]
        mandatory: bool,
        #[arg(long, value_parser = parse_assessment_status)]
        status: Option<AssessmentStatus>,
        #[arg(long)]
        json: bool,
    },
    /// The harmonisation matrix: every country, every item.
    Matrix {
        #[arg(long)]
        json: bool,
    },
    /// Change one item of this node's country's assessment with a JSON merge patch.
    Update {
        /// The checklist item, e.g. TIP-05.
        item: String,
        #[arg(long)]
        country: Option<String>,
        /// The patch file, or - for standard input.
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        #[arg(long)]
        print_json: bool,
    },
    /// Choose between concurrent values of one field (recorded as a change).
    Choose {
        item: String,
        #[arg(long)]
        country: Option<String>,
        /// status, gap, proposal, assessor or assessed_on.
        #[arg(long)]
        field: String,
        /// The chosen value as JSON, e.g. '"compliant"'.
        #[arg(long)]
        value: String,
    },
    /// One item's changes: who, when, old and new values.
    History {
        item: String,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every assessment this node holds, one row per country and item.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// The formats `enlace export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StandardFormat {
    Enlace,
    Htcds,
    Ctdc,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Protocol {
    /// Trafficking in Persons Protocol (TIP-…).
    Tip,
    /// UNODC Model Law (ML-…).
    Ml,
    /// Smuggling of Migrants Protocol (SOM-…).
    Som,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// The plan's tasks with roll-ups.
    List {
        /// A country's national tasks (CC), or `regional`; default: all.
        #[arg(long)]
        scope: Option<String>,
        #[arg(long, value_parser = parse_component)]
        component: Option<Component>,
        #[arg(long, value_parser = parse_task_status)]
        status: Option<TaskStatus>,
        /// Only tasks past their due date and not done.
        #[arg(long)]
        overdue: bool,
        /// Words in the agency or the person responsible.
        #[arg(long)]
        responsible: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a task from JSON (see docs/cli.md); prints "ID CODE".
    Add {
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        #[arg(long)]
        print_json: bool,
    },
    /// Change a task (by id or code) with a JSON merge patch.
    Update {
        task: String,
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
        #[arg(long)]
        print_json: bool,
    },
    /// A task's change history.
    History {
        task: String,
        #[arg(long)]
        json: bool,
    },
    /// Choose between values nodes gave a task's status, progress, start,
    /// due date or responsible apart (shown under `conflicts` by `plan list
    /// --json`; recorded as a change).
    Choose {
        task: String,
        #[arg(long)]
        field: String,
        /// The chosen value as JSON, e.g. '"done"' or 80.
        #[arg(long)]
        value: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The Plan of Action status sheet for one country or the whole region.
    PlanStatus {
        /// One country's national tasks.
        #[arg(long, conflicts_with = "region", required_unless_present = "region")]
        country: Option<String>,
        /// Every task of the region (regional and national).
        #[arg(long)]
        region: bool,
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// The statistical report: victims by year, sex, age, form of
    /// exploitation, means, citizenship and country of exploitation, two
    /// cross-tabulations and the route map, every table under the
    /// disclosure rules (k 11 or more) and logged as a release, then a
    /// methods note.
    Statistics {
        #[command(flatten)]
        select: StatsSelection,
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// The regional harmonisation matrix (landscape), then gaps and proposals per country.
    LegalMatrix {
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// A case's file: summary, classification history, Art. 3 elements,
    /// the route, persons by pseudonym, indicators, graded information
    /// with its handling codes (printed on every page when they apply),
    /// requests and answers, joint operations, and the victims' risk for
    /// officials who may see it. Recorded in the audit log.
    CaseFile {
        /// The case (reference or id).
        case: String,
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// A referral's letter to the agency: the victim by pseudonym, or by
    /// name with --with-identity (officials who may print identities).
    /// Recorded in the audit log either way.
    ReferralLetter {
        case: String,
        /// The referral's id (or its first characters).
        referral: String,
        #[arg(long)]
        with_identity: bool,
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Words to search for (accents and case ignored; prefixes match).
    #[arg(long, short)]
    pub query: Option<String>,
    #[arg(long, value_parser = parse_status)]
    pub status: Option<CaseStatus>,
    #[arg(long, value_parser = parse_classification)]
    pub classification: Option<Classification>,
    /// Any country on the route, or the owner country.
    #[arg(long)]
    pub country: Option<String>,
    /// A route role (origin, transit, destination, exploitation); with
    /// --country, that country in that role.
    #[arg(long, value_parser = parse_closed::<RouteRole>)]
    pub role: Option<RouteRole>,
    /// An exploitation purpose (Art. 3), e.g. forced_labour.
    #[arg(long, value_parser = parse_closed::<Purpose>)]
    pub purpose: Option<Purpose>,
    /// A means (Art. 3), e.g. deception.
    #[arg(long, value_parser = parse_closed::<Means>)]
    pub means: Option<Means>,
    /// Opened on or after YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<chrono::NaiveDate>,
    /// Opened on or before YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<chrono::NaiveDate>,
    /// The owner country.
    #[arg(long)]
    pub owner: Option<String>,
    /// Only cases with a victim whose risk review is due today or overdue.
    #[arg(long)]
    pub review_due: bool,
    /// Default: newest first when searching, else most recently updated first.
    #[arg(long, value_parser = sort_parser())]
    pub sort: Option<SortField>,
    /// Reverse the default order.
    #[arg(long)]
    pub reverse: bool,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    #[arg(long)]
    pub json: bool,
}

/// `--sort`: the orders the case list knows, listed in `--help`.
fn sort_parser() -> impl clap::builder::TypedValueParser<Value = SortField> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(SortField::all().iter().map(|s| s.as_str()))
        // The parser only lets the names above through.
        .map(|s| SortField::parse(&s).unwrap_or_default())
}

pub fn parse_closed<T: enlace_domain::enums::Closed>(s: &str) -> Result<T, String> {
    T::parse(s).ok_or_else(|| format!("`{s}` is not one of: {}", T::allowed()))
}

pub fn parse_status(s: &str) -> Result<CaseStatus, String> {
    parse_closed(s)
}

pub fn parse_classification(s: &str) -> Result<Classification, String> {
    parse_closed(s)
}

pub fn parse_assessment_status(s: &str) -> Result<AssessmentStatus, String> {
    parse_closed(s)
}

pub fn parse_component(s: &str) -> Result<Component, String> {
    parse_closed(s)
}

pub fn parse_task_status(s: &str) -> Result<TaskStatus, String> {
    parse_closed(s)
}

#[derive(Subcommand, Debug)]
pub enum PeerCommand {
    /// Pair with a node: trust its key as a node of its country, send it
    /// what its country may hold, and (with --url) sync with it.
    Add {
        /// A name for the peer, e.g. "NTF Tegucigalpa".
        name: String,
        /// Where it serves sync: https://HOST:PORT. Leave out for a node
        /// that connects to this one, or that only exchanges bundles.
        #[arg(long)]
        url: Option<String>,
        /// Its public key, as `enlace node show` prints it there (check it
        /// with the peer's administrator, e.g. by phone).
        #[arg(long)]
        key: String,
        /// Its country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        /// For a node of this country, its place there: hub, office
        /// (default), border_post or ngo. A border post and an NGO are sent
        /// only the identities they record or that are shared with them.
        #[arg(long, value_parser = parse_closed::<enlace_domain::NodeRole>)]
        node_role: Option<enlace_domain::NodeRole>,
        #[arg(long)]
        json: bool,
    },
    /// Set a peer's place in its country (hub, office, border_post, ngo):
    /// what sync sends it of the country's identities from now on.
    Role {
        name: String,
        #[arg(value_parser = parse_closed::<enlace_domain::NodeRole>)]
        role: enlace_domain::NodeRole,
        #[arg(long)]
        json: bool,
    },
    /// The peers and where sync with each stands.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Unpair: its certificate is refused from now on.
    Remove { name: String },
    /// Revoke a lost or stolen node of this country: refused here at
    /// once; the signed revocation travels by sync to every node of the
    /// country, which from then on keeps aside whatever that key signs
    /// beyond the changes this node holds from it.
    Revoke {
        /// Its name here (a peer, an anchor or a roster entry) or its key
        /// (64 hexadecimal characters).
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Keys revoked: here, and received from nodes of their country.
    Revocations {
        #[arg(long)]
        json: bool,
    },
    /// Nodes known through a node of their own country (authors of
    /// relayed changes).
    Roster {
        #[arg(long)]
        json: bool,
    },
    /// Changes received and not merged (refused, or waiting).
    Quarantine {
        #[arg(long)]
        json: bool,
    },
    /// Write this node and its peers (names, countries, keys: no secret)
    /// to a file other nodes of this country import at setup.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Trust the nodes of an anchors file (from `enlace peer export` at
    /// your national hub), as peers without an address.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Only this peer (default: every peer with an address).
    #[arg(long)]
    pub peer: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Largest page asked for, in KiB (smaller pages resume sooner after a
    /// cut on a poor link).
    #[arg(long, default_value_t = 1024, value_name = "KIB")]
    pub page_kib: u32,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on (mutual TLS; paired peers only).
    #[arg(long, default_value = "0.0.0.0:7443", value_name = "ADDR:PORT")]
    pub listen: String,
    /// Seconds between sync rounds with the peers that have an address.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub interval: u64,
    /// Largest page asked for, in KiB.
    #[arg(long, default_value_t = 1024, value_name = "KIB")]
    pub page_kib: u32,
}

#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Write what a peer has not acknowledged to a file, encrypted to it.
    Export {
        #[arg(long)]
        peer: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Apply a bundle a peer made for this node.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn wants_json_peer(c: &PeerCommand) -> bool {
    match c {
        PeerCommand::Add { json, .. }
        | PeerCommand::List { json }
        | PeerCommand::Roster { json }
        | PeerCommand::Quarantine { json }
        | PeerCommand::Import { json, .. }
        | PeerCommand::Revoke { json, .. }
        | PeerCommand::Role { json, .. }
        | PeerCommand::Revocations { json } => *json,
        PeerCommand::Remove { .. } | PeerCommand::Export { .. } => false,
    }
}

pub fn wants_json_sync(a: &SyncArgs) -> bool {
    a.json
}

pub fn wants_json_bundle(c: &BundleCommand) -> bool {
    match c {
        BundleCommand::Export { json, .. } | BundleCommand::Import { json, .. } => *json,
    }
}

impl Command {
    /// Whether the command prints JSON (errors then go out as JSON too).
    pub fn wants_json(&self) -> bool {
        match self {
            Command::Node {
                command:
                    NodeCommand::Show { json }
                    | NodeCommand::Role { json, .. }
                    | NodeCommand::Revoke { json, .. }
                    | NodeCommand::CountryKey {
                        command:
                            CountryKeyCommand::Create { json }
                            | CountryKeyCommand::Trust { json, .. }
                            | CountryKeyCommand::Show { json },
                    },
            } => *json,
            Command::Case { command } => match command {
                CaseCommand::Create { print_json, .. }
                | CaseCommand::Update { print_json, .. }
                | CaseCommand::Import { print_json, .. } => *print_json,
                CaseCommand::List(a) => a.json,
                CaseCommand::Show { json, .. }
                | CaseCommand::History { json, .. }
                | CaseCommand::Duplicates { json }
                | CaseCommand::ImportHtcds { json, .. }
                | CaseCommand::Share { json, .. }
                | CaseCommand::Reach { json, .. } => *json,
                CaseCommand::Renumber { print_json, .. } => *print_json,
                CaseCommand::Note { .. } | CaseCommand::Choose { .. } => false,
            },
            Command::Legal { command } => match command {
                LegalCommand::Show { json, .. }
                | LegalCommand::Matrix { json }
                | LegalCommand::History { json, .. } => *json,
                LegalCommand::Update { print_json, .. } => *print_json,
                _ => false,
            },
            Command::Plan { command } => match command {
                PlanCommand::List { json, .. } | PlanCommand::History { json, .. } => *json,
                PlanCommand::Add { print_json, .. } | PlanCommand::Update { print_json, .. } => {
                    *print_json
                }
                PlanCommand::Choose { .. } => false,
            },
            Command::Peer { command } => wants_json_peer(command),
            Command::Sync(a) => wants_json_sync(a),
            Command::Bundle { command } => wants_json_bundle(command),
            Command::Check { json } => *json,
            Command::Dataset {
                command: DatasetCommand::Import { json, .. } | DatasetCommand::List { json },
            } => *json,
            Command::Stats(a) => a.json,
            Command::Export { json, .. } => *json,
            Command::User {
                command:
                    UserCommand::Add { json, .. }
                    | UserCommand::List { json }
                    | UserCommand::Whoami { json },
            } => *json,
            Command::Audit {
                command: AuditCommand::List { json, .. } | AuditCommand::Verify { json },
            } => *json,
            Command::Grant {
                command:
                    GrantCommand::Add { json, .. }
                    | GrantCommand::List { json, .. }
                    | GrantCommand::Revoke { json, .. },
            } => *json,
            Command::Risk {
                command:
                    RiskCommand::Add(RiskArgs { json, .. })
                    | RiskCommand::Review(RiskArgs { json, .. })
                    | RiskCommand::Choose { json, .. }
                    | RiskCommand::List { json, .. }
                    | RiskCommand::Due { json, .. },
            } => *json,
            Command::Request {
                command: RequestCommand::Answer { json, .. } | RequestCommand::List { json, .. },
            } => *json,
            Command::Agency {
                command:
                    AgencyCommand::Add { json, .. }
                    | AgencyCommand::List { json, .. }
                    | AgencyCommand::Show { json, .. },
            } => *json,
            Command::Agency {
                command: AgencyCommand::Update { print_json, .. },
            } => *print_json,
            Command::Referral {
                command:
                    ReferralCommand::Add { json, .. }
                    | ReferralCommand::Update { json, .. }
                    | ReferralCommand::List { json, .. },
            } => *json,
            _ => false,
        }
    }
}
