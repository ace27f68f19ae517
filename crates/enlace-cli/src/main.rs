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

mod output;
mod sync_cmd;

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use enlace_core::{App, CaseFilter, CoreError, ErrorCode, SortField};
use enlace_domain::legal::{AssessmentStatus, Instrument};
use enlace_domain::{
    CaseStatus, Classification, Component, Lang, Means, Purpose, RouteRole, TaskStatus, tr, tr_args,
};
use indicatif::{ProgressBar, ProgressStyle};

/// Enlace — the Regional Database of the National Task Forces against
/// trafficking in persons. Exit codes: 0 ok, 1 internal error, 2 usage,
/// 3 not found, 4 wrong passphrase, 5 invalid input, 6 database missing or
/// already present, 7 storage (disk full, permissions, damaged database),
/// 8 not allowed (the document belongs to another country), 9 network (a
/// peer could not be synced, or the address cannot be listened on).
#[derive(Parser, Debug)]
#[command(name = "enlace", version, about, long_about = None)]
struct Cli {
    /// The data directory (default: the platform's data dir, e.g. ~/.local/share/enlace).
    #[arg(long, global = true, env = "ENLACE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Language of messages: es (default) or en.
    #[arg(long, global = true, env = "ENLACE_LANG", value_name = "es|en")]
    lang: Option<String>,
    /// Who is acting, recorded with every change as node/user.
    #[arg(long, global = true, env = "ENLACE_USER", value_name = "NAME")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create the encrypted database and this node's identity.
    Init {
        /// The node's country (ISO 3166-1 alpha-2: MX GT HN SV NI CR PA, or CA US).
        #[arg(long)]
        country: String,
        /// A name for this node, e.g. "Paso Tecún Umán".
        #[arg(long)]
        node_name: String,
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
    /// Write every case this node holds to a JSON file (person documents excluded).
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Peers: the nodes this node syncs with and trusts.
    Peer {
        #[command(subcommand)]
        command: sync_cmd::PeerCommand,
    },
    /// Sync now with every peer that has an address (one session each);
    /// exit 9 if any failed.
    Sync(sync_cmd::SyncArgs),
    /// Run as a headless hub: serve sync to paired peers (mutual TLS) and
    /// sync with the peers that have an address, until SIGTERM or Ctrl+C.
    Serve(sync_cmd::ServeArgs),
    /// Sync bundles: files carried where no network reaches.
    Bundle {
        #[command(subcommand)]
        command: sync_cmd::BundleCommand,
    },
}

#[derive(Subcommand, Debug)]
enum NodeCommand {
    /// Node id, country, name and public key.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum CaseCommand {
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
}

#[derive(Subcommand, Debug)]
enum LegalCommand {
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

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Protocol {
    /// Trafficking in Persons Protocol (TIP-…).
    Tip,
    /// UNODC Model Law (ML-…).
    Ml,
    /// Smuggling of Migrants Protocol (SOM-…).
    Som,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PaperArg {
    A4,
    Letter,
}

#[derive(Subcommand, Debug)]
enum PlanCommand {
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
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
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
    /// The regional harmonisation matrix (landscape), then gaps and proposals per country.
    LegalMatrix {
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
struct ListArgs {
    /// Words to search for (accents and case ignored; prefixes match).
    #[arg(long, short)]
    query: Option<String>,
    #[arg(long, value_parser = parse_status)]
    status: Option<CaseStatus>,
    #[arg(long, value_parser = parse_classification)]
    classification: Option<Classification>,
    /// Any country on the route, or the owner country.
    #[arg(long)]
    country: Option<String>,
    /// A route role (origin, transit, destination, exploitation); with
    /// --country, that country in that role.
    #[arg(long, value_parser = parse_closed::<RouteRole>)]
    role: Option<RouteRole>,
    /// An exploitation purpose (Art. 3), e.g. forced_labour.
    #[arg(long, value_parser = parse_closed::<Purpose>)]
    purpose: Option<Purpose>,
    /// A means (Art. 3), e.g. deception.
    #[arg(long, value_parser = parse_closed::<Means>)]
    means: Option<Means>,
    /// Opened on or after YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<chrono::NaiveDate>,
    /// Opened on or before YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<chrono::NaiveDate>,
    /// The owner country.
    #[arg(long)]
    owner: Option<String>,
    /// Default: newest first when searching, else most recently updated first.
    #[arg(long, value_enum)]
    sort: Option<Sort>,
    /// Reverse the default order.
    #[arg(long)]
    reverse: bool,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Sort {
    Updated,
    Relevance,
    Newest,
    Reference,
    Title,
    Opened,
    Status,
    Classification,
    Owner,
}

fn parse_closed<T: enlace_domain::enums::Closed>(s: &str) -> Result<T, String> {
    T::parse(s).ok_or_else(|| format!("`{s}` is not one of: {}", T::allowed()))
}

fn parse_status(s: &str) -> Result<CaseStatus, String> {
    parse_closed(s)
}

fn parse_classification(s: &str) -> Result<Classification, String> {
    parse_closed(s)
}

fn parse_assessment_status(s: &str) -> Result<AssessmentStatus, String> {
    parse_closed(s)
}

fn parse_component(s: &str) -> Result<Component, String> {
    parse_closed(s)
}

fn parse_task_status(s: &str) -> Result<TaskStatus, String> {
    parse_closed(s)
}

/// A failure of the command line itself, before or around the core.
enum Failure {
    Core(CoreError),
    Usage(String),
    /// The network layer could not start (message already translated).
    Network(String),
    /// Sync with these peers failed (their reports were printed).
    SyncFailed(String),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

type Outcome = Result<(), Failure>;

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
    let json_errors = wants_json(&cli.command);
    match run(cli, lang) {
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
                let v = serde_json::json!({"error": {"code": code, "message": message, "issues": e.issues()}});
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

fn wants_json(c: &Command) -> bool {
    match c {
        Command::Node {
            command: NodeCommand::Show { json },
        } => *json,
        Command::Case { command } => match command {
            CaseCommand::Create { print_json, .. }
            | CaseCommand::Update { print_json, .. }
            | CaseCommand::Import { print_json, .. } => *print_json,
            CaseCommand::List(a) => a.json,
            CaseCommand::Show { json, .. } | CaseCommand::History { json, .. } => *json,
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
        },
        Command::Peer { command } => sync_cmd::wants_json_peer(command),
        Command::Sync(a) => sync_cmd::wants_json_sync(a),
        Command::Bundle { command } => sync_cmd::wants_json_bundle(command),
        _ => false,
    }
}

fn data_dir(cli_dir: Option<PathBuf>, lang: Lang) -> Result<PathBuf, Failure> {
    cli_dir
        .or_else(enlace_core::default_data_dir)
        .ok_or_else(|| Failure::Usage(tr(lang, "err-no-home")))
}

fn passphrase(lang: Lang, confirm: bool) -> Result<String, Failure> {
    if let Ok(p) = std::env::var("ENLACE_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(tr(lang, "err-passphrase-needed")));
    }
    let prompt = |key: &str| {
        rpassword::prompt_password(format!("{} ", tr(lang, key)))
            .map_err(|e| Failure::Usage(format!("{}: {e}", tr(lang, "err-passphrase-needed"))))
    };
    let p = prompt("cli-passphrase-prompt")?;
    if confirm && prompt("cli-passphrase-repeat")? != p {
        return Err(Failure::Usage(tr(lang, "err-passphrase-mismatch")));
    }
    Ok(p)
}

fn open(dir: &Path, lang: Lang, user: Option<String>) -> Result<App, Failure> {
    if !enlace_core::is_initialised(dir) {
        return Err(CoreError::not_initialised(dir).into());
    }
    let mut app = App::open(dir, &passphrase(lang, false)?)?;
    app.set_user(user);
    Ok(app)
}

fn read_input(src: &str) -> Result<String, Failure> {
    if src == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            Failure::Core(CoreError::Io {
                path: PathBuf::from("-"),
                source: e,
            })
        })?;
        Ok(s)
    } else {
        std::fs::read_to_string(src).map_err(|e| {
            Failure::Core(CoreError::Io {
                path: PathBuf::from(src),
                source: e,
            })
        })
    }
}

/// A JSON value from FILE or - (errors name the line and column).
fn read_json(src: &str) -> Result<serde_json::Value, Failure> {
    let text = read_input(src)?;
    Ok(enlace_domain::input::parse_json(&text).map_err(CoreError::from)?)
}

fn bar(lang: Lang, key: &str) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40.cyan/blue}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    pb.set_message(tr(lang, key));
    pb
}

fn progress_fn(pb: &ProgressBar) -> impl FnMut(u64, u64) + '_ {
    move |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    }
}

fn run(cli: Cli, lang: Lang) -> Outcome {
    let dir = data_dir(cli.data_dir, lang)?;
    match cli.command {
        Command::Init {
            country,
            node_name,
            demo,
        } => {
            let pass = passphrase(lang, true)?;
            let mut app = App::init(&dir, &pass, &country, &node_name)?;
            app.set_user(cli.user);
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-initialised",
                    &[("dir", &dir.display().to_string())]
                )
            );
            output::node(&app.node_info(), lang, false);
            eprintln!(
                "{}",
                tr_args(
                    lang,
                    "cli-init-backup",
                    &[
                        (
                            "key",
                            &dir.join(enlace_core::KEY_FILE).display().to_string()
                        ),
                        ("dir", &dir.display().to_string())
                    ]
                )
            );
            if demo {
                load_demo(&mut app, lang)?;
            }
        }
        Command::Node {
            command: NodeCommand::Show { json },
        } => {
            let app = open(&dir, lang, cli.user)?;
            output::node(&app.node_info(), lang, json);
        }
        Command::Demo => {
            let mut app = open(&dir, lang, cli.user)?;
            load_demo(&mut app, lang)?;
        }
        Command::Reindex => {
            let mut app = open(&dir, lang, cli.user)?;
            let pb = bar(lang, "cli-reindexing");
            let n = app.reindex(&mut progress_fn(&pb))?;
            pb.finish_and_clear();
            println!(
                "{}",
                tr_args(lang, "cli-reindexed", &[("documents", &n.to_string())])
            );
        }
        Command::Export { out } => {
            let mut app = open(&dir, lang, cli.user)?;
            let pb = bar(lang, "cli-exporting");
            let n = app.export(&out, &mut progress_fn(&pb))?;
            pb.finish_and_clear();
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-exported",
                    &[
                        ("cases", &n.to_string()),
                        ("path", &out.display().to_string())
                    ]
                )
            );
        }
        Command::Case { command } => case(command, &dir, lang, cli.user)?,
        Command::Peer { command } => sync_cmd::peer(command, &dir, lang, cli.user)?,
        Command::Sync(args) => sync_cmd::sync(args, &dir, lang, cli.user)?,
        Command::Serve(args) => sync_cmd::serve(args, &dir, lang, cli.user)?,
        Command::Bundle { command } => sync_cmd::bundle(command, &dir, lang, cli.user)?,
        Command::Legal { command } => legal(command, &dir, lang, cli.user)?,
        Command::Plan { command } => plan(command, &dir, lang, cli.user)?,
        Command::Report { command } => {
            let (paper, out) = match &command {
                ReportCommand::LegalMatrix { paper, out }
                | ReportCommand::PlanStatus { paper, out, .. } => (*paper, out.clone()),
            };
            let paper = match paper {
                PaperArg::A4 => enlace_core::Paper::A4,
                PaperArg::Letter => enlace_core::Paper::Letter,
            };
            // Check the country before asking for the passphrase.
            let scope = match &command {
                ReportCommand::PlanStatus {
                    country: Some(c), ..
                } => Some(enlace_core::SheetScope::Country(
                    enlace_core::parse_participating(c)?,
                )),
                ReportCommand::PlanStatus { .. } => Some(enlace_core::SheetScope::Region),
                ReportCommand::LegalMatrix { .. } => None,
            };
            let mut app = open(&dir, lang, cli.user)?;
            let bytes = match scope {
                Some(scope) => app.plan_status_pdf(&scope, &out, lang, paper)?,
                None => app.legal_matrix_pdf(&out, lang, paper)?,
            };
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-report-written",
                    &[
                        ("path", &out.display().to_string()),
                        ("kb", &(bytes.div_ceil(1024)).to_string())
                    ]
                )
            );
        }
    }
    Ok(())
}

fn plan(command: PlanCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        PlanCommand::List {
            scope,
            component,
            status,
            overdue,
            responsible,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let view = app.plan(&enlace_core::PlanFilter {
                scope,
                component,
                status,
                overdue_only: overdue,
                responsible,
            })?;
            output::plan(&view, lang, json);
        }
        PlanCommand::Add { input, print_json } => {
            let value = read_json(&input)?;
            let task: enlace_core::TaskInput =
                enlace_domain::input::from_value(value).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.create_task(task)?;
            output::task_saved(&saved, lang, print_json, "cli-task-created");
        }
        PlanCommand::Update {
            task,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.update_task(&task, &patch)?;
            let key = if saved.changed.is_empty() {
                "cli-task-unchanged"
            } else {
                "cli-task-updated"
            };
            output::task_saved(&saved, lang, print_json, key);
        }
        PlanCommand::History { task, json } => {
            let app = open(dir, lang, user)?;
            output::history(&app.task_history(&task)?, lang, json);
        }
    }
    Ok(())
}

fn legal(command: LegalCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let own = |app: &App, c: Option<String>| c.unwrap_or_else(|| app.node_info().country);
    match command {
        LegalCommand::Show {
            country,
            protocol,
            mandatory,
            status,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let view = app.legal_assessment(&own(&app, country))?;
            let instrument = protocol.map(|p| match p {
                Protocol::Tip => Instrument::TraffickingProtocol,
                Protocol::Ml => Instrument::ModelLaw,
                Protocol::Som => Instrument::SmugglingProtocol,
            });
            output::assessment(
                &view,
                &output::ItemFilter {
                    instrument,
                    mandatory,
                    status,
                },
                lang,
                json,
            );
        }
        LegalCommand::Matrix { json } => {
            let app = open(dir, lang, user)?;
            output::matrix(&app.legal_matrix()?, lang, json);
        }
        LegalCommand::Update {
            item,
            country,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let c = own(&app, country);
            let saved = app.update_legal_item(&c, &item, &patch)?;
            output::item_saved(&saved, &item, lang, print_json);
        }
        LegalCommand::Choose {
            item,
            country,
            field,
            value,
        } => {
            let value: serde_json::Value =
                enlace_domain::input::parse_json(&value).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let c = own(&app, country);
            let saved = app.choose_legal_value(&c, &item, &field, &value)?;
            output::item_saved(&saved, &item, lang, false);
        }
        LegalCommand::History {
            item,
            country,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let h = app.legal_item_history(&own(&app, country), &item)?;
            output::item_history(&h, lang, json);
        }
        LegalCommand::Export { format, out } => {
            let mut app = open(dir, lang, user)?;
            let rows = match format {
                ExportFormat::Csv => app.legal_export_csv(&out, lang)?,
            };
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-legal-exported",
                    &[
                        ("rows", &rows.to_string()),
                        ("path", &out.display().to_string())
                    ]
                )
            );
        }
    }
    Ok(())
}

fn load_demo(app: &mut App, lang: Lang) -> Outcome {
    let pb = bar(lang, "cli-demo-loading");
    let s = app.load_demo(&mut progress_fn(&pb))?;
    pb.finish_and_clear();
    if s.loaded {
        println!(
            "{}",
            tr_args(
                lang,
                "cli-demo-loaded",
                &[
                    ("cases", &s.cases.to_string()),
                    ("persons", &s.persons.to_string()),
                    ("assessments", &s.assessments.to_string()),
                    ("tasks", &s.tasks.to_string())
                ]
            )
        );
    } else {
        println!("{}", tr(lang, "cli-demo-already"));
    }
    Ok(())
}

fn case(command: CaseCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        CaseCommand::Create { input, print_json } => {
            let text = read_input(&input)?;
            let parsed = enlace_domain::input::parse_json(&text).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.create_case(parsed)?;
            output::saved(&saved, lang, print_json, "cli-created");
        }
        CaseCommand::Import { input, print_json } => {
            let text = read_input(&input)?;
            let parsed: Vec<enlace_domain::input::CaseInput> =
                enlace_domain::input::parse_json(&text).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let pb = bar(lang, "cli-importing");
            let saved = app.import_cases_with(parsed, &mut progress_fn(&pb))?;
            pb.finish_and_clear();
            if print_json {
                output::json_value(&saved);
            } else {
                for s in &saved {
                    println!("{} {}", s.id, s.reference);
                }
                eprintln!(
                    "{}",
                    tr_args(lang, "cli-imported", &[("cases", &saved.len().to_string())])
                );
            }
        }
        CaseCommand::Update {
            case,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.update_case(&case, &patch)?;
            let key = if saved.changed.is_empty() {
                "cli-unchanged"
            } else {
                "cli-updated"
            };
            output::saved(&saved, lang, print_json, key);
        }
        CaseCommand::Note { case, text } => {
            let text = if text == "-" { read_input("-")? } else { text };
            let mut app = open(dir, lang, user)?;
            let saved = app.add_note(&case, &text)?;
            println!(
                "{}",
                tr_args(lang, "cli-noted", &[("reference", &saved.reference)])
            );
        }
        CaseCommand::List(a) => {
            let app = open(dir, lang, user)?;
            let sort = match a.sort {
                Some(Sort::Updated) => SortField::Updated,
                Some(Sort::Relevance) => SortField::Relevance,
                Some(Sort::Newest) => SortField::Newest,
                Some(Sort::Reference) => SortField::Reference,
                Some(Sort::Title) => SortField::Title,
                Some(Sort::Opened) => SortField::Opened,
                Some(Sort::Status) => SortField::Status,
                Some(Sort::Classification) => SortField::Classification,
                Some(Sort::Owner) => SortField::Owner,
                None if a.query.as_deref().is_some_and(|q| !q.trim().is_empty()) => {
                    SortField::Newest
                }
                None => SortField::Updated,
            };
            let default_desc = matches!(sort, SortField::Updated | SortField::Newest);
            let list = app.list_cases(&CaseFilter {
                query: a.query,
                status: a.status,
                classification: a.classification,
                country: a.country,
                role: a.role,
                purpose: a.purpose,
                means: a.means,
                opened_from: a.from,
                opened_to: a.to,
                owner: a.owner,
                sort: Some(sort),
                descending: Some(default_desc != a.reverse),
                limit: Some(a.limit),
                offset: Some(a.offset),
            })?;
            output::list(&list, lang, a.json);
        }
        CaseCommand::Show { case, json } => {
            let mut app = open(dir, lang, user)?;
            let view = app.case(&case)?;
            output::case(&view, lang, json);
        }
        CaseCommand::History { case, values, json } => {
            let app = open(dir, lang, user)?;
            if values {
                output::item_history(&app.case_changes(&case)?, lang, json);
            } else {
                output::history(&app.history(&case)?, lang, json);
            }
        }
        CaseCommand::Choose { case, field, value } => {
            let value: serde_json::Value =
                enlace_domain::input::parse_json(&value).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.choose_case_value(&case, &field, &value)?;
            let key = if saved.changed.is_empty() {
                "cli-unchanged"
            } else {
                "cli-updated"
            };
            output::saved(&saved, lang, false, key);
        }
    }
    Ok(())
}
