//! What every command shares: how it fails, where the data is, the
//! passphrase, reading input, progress bars, and small output helpers.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use enlace_core::{App, CoreError};
use enlace_domain::{CountryCode, Lang, tr, tr_args};
use enlace_node::NodeError;
use indicatif::{ProgressBar, ProgressStyle};

/// A failure of the command line itself, before or around the core.
pub enum Failure {
    Core(CoreError),
    Usage(String),
    /// The network layer could not start (message already translated).
    Network(String),
    /// Sync with these peers failed (their reports were printed).
    SyncFailed(String),
    /// `enlace check` found damage (already printed).
    Damaged,
    /// `enlace audit verify` found this node's or a peer's log altered
    /// (already printed).
    AuditAltered,
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

pub type Outcome = Result<(), Failure>;

pub fn data_dir(cli_dir: Option<PathBuf>, lang: Lang) -> Result<PathBuf, Failure> {
    cli_dir
        .or_else(enlace_core::default_data_dir)
        .ok_or_else(|| Failure::Usage(tr(lang, "err-no-home")))
}

pub fn passphrase(lang: Lang, confirm: bool) -> Result<String, Failure> {
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

pub fn open(dir: &Path, lang: Lang, user: Option<String>) -> Result<App, Failure> {
    if !enlace_core::is_initialised(dir) {
        return Err(CoreError::not_initialised(dir).into());
    }
    Ok(App::open_as(
        dir,
        user.as_deref(),
        &passphrase(lang, false)?,
    )?)
}

/// A new official's passphrase: ENLACE_NEW_PASSPHRASE, or asked twice at
/// the terminal.
pub fn new_passphrase(lang: Lang) -> Result<String, Failure> {
    if let Ok(p) = std::env::var("ENLACE_NEW_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(tr(lang, "err-new-passphrase-needed")));
    }
    let prompt = |key: &str| {
        rpassword::prompt_password(format!("{} ", tr(lang, key)))
            .map_err(|e| Failure::Usage(format!("{}: {e}", tr(lang, "err-new-passphrase-needed"))))
    };
    let p = prompt("cli-new-passphrase-prompt")?;
    if prompt("cli-passphrase-repeat")? != p {
        return Err(Failure::Usage(tr(lang, "err-passphrase-mismatch")));
    }
    Ok(p)
}

pub fn read_input(src: &str) -> Result<String, Failure> {
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
pub fn read_json(src: &str) -> Result<serde_json::Value, Failure> {
    let text = read_input(src)?;
    Ok(enlace_domain::input::parse_json(&text).map_err(CoreError::from)?)
}

pub fn bar(lang: Lang, key: &str) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40.cyan/blue}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    pb.set_message(tr(lang, key));
    pb
}

pub fn progress_fn(pb: &ProgressBar) -> impl FnMut(u64, u64) + '_ {
    move |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    }
}

pub fn json<T: serde::Serialize>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

pub fn kb(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

pub fn country_name(cc: &str, lang: Lang) -> String {
    CountryCode::parse(cc).map_or_else(|| cc.to_owned(), |c| c.name(lang))
}

pub fn node_failure(e: NodeError, lang: Lang) -> Failure {
    match e {
        NodeError::Core(e) => Failure::Core(e),
        NodeError::Listen { addr, source } => Failure::Network(tr_args(
            lang,
            "err-listen",
            &[("addr", &addr), ("detail", &source.to_string())],
        )),
        NodeError::NoAddress(peer) => {
            Failure::Network(tr_args(lang, "err-no-address", &[("peer", &peer)]))
        }
        NodeError::Tls(d) => Failure::Network(tr_args(lang, "err-tls", &[("detail", &d)])),
        NodeError::Poisoned => Failure::Network(tr(lang, "err-poisoned")),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Network(e.to_string()))
}
