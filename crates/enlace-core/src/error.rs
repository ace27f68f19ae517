use std::path::PathBuf;

use enlace_domain::input::InputError;
use enlace_domain::{Issue, Lang, tr, tr_args};
use enlace_store::StoreError;
use enlace_sync::bundle::BundleError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure, stable for scripts (exit codes) and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    NotFound,
    WrongPassphrase,
    InvalidInput,
    NotInitialised,
    AlreadyInitialised,
    Storage,
    Locked,
    /// The document belongs to another country; only its owner edits it.
    Forbidden,
    /// Sync with a peer failed (unreachable, refused, ...).
    Sync,
    /// A reference or code that names several documents: the error lists
    /// them; name one by its id.
    Ambiguous,
    Internal,
}

impl ErrorCode {
    /// The documented process exit code (docs/cli.md).
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorCode::Internal => 1,
            ErrorCode::NotFound => 3,
            ErrorCode::WrongPassphrase => 4,
            ErrorCode::InvalidInput | ErrorCode::Ambiguous => 5,
            ErrorCode::NotInitialised | ErrorCode::AlreadyInitialised | ErrorCode::Locked => 6,
            ErrorCode::Storage => 7,
            ErrorCode::Forbidden => 8,
            ErrorCode::Sync => 9,
        }
    }
}

/// One of the documents an ambiguous reference or code names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub id: String,
    /// Its reference or code, title and owner, as a person tells them apart.
    pub label: String,
}

/// Errors of the use-case layer.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{what} was not found")]
    NotFound { what: String },
    #[error("{what} names {n} documents; name one by its id", n = candidates.len())]
    Ambiguous {
        what: String,
        candidates: Vec<Candidate>,
    },
    #[error("invalid input: {0}")]
    Input(#[from] InputError),
    #[error("the input has errors: {0:?}")]
    Invalid(Vec<Issue>),
    #[error("field `{field}` cannot be changed by a patch")]
    Patch { field: String, key: &'static str },
    #[error("`{0}` is not a participating or observer country")]
    Country(String),
    #[error("the passphrase is too short")]
    PassphraseTooShort { min: usize },
    #[error("the node name is empty")]
    NodeName,
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a stored document cannot be read: {0}")]
    Doc(#[from] enlace_docs::DocError),
    #[error("{country}'s document can only be changed by {country}'s nodes")]
    NotOwner { country: String },
    #[error("this node holds no legal assessment of {country}")]
    NoAssessment { country: String },
    #[error("`{0}` is not an item of the legal checklist")]
    UnknownItem(String),
    #[error("the report could not be produced: {0}")]
    Report(#[from] enlace_report::ReportError),
    #[error("no peer named {name}")]
    UnknownPeer { name: String },
    #[error("a peer named {name} or with that key is already paired")]
    PeerExists { name: String },
    #[error("`{0}` is not a node key (64 hexadecimal characters)")]
    PeerKey(String),
    #[error("`{0}` is not an address like https://HOST:PORT")]
    PeerUrl(String),
    #[error("this node cannot pair with itself")]
    PairSelf,
    #[error("{name} is a node of {country}: only a node of its own country may revoke its key")]
    RevokeForeign { name: String, country: String },
    #[error("a node cannot revoke its own key: revoke it from another node of its country")]
    RevokeSelf,
    #[error("{name}'s key was revoked here; set that machine up again (`enlace init`) to pair it")]
    KeyRevoked { name: String },
    #[error("this node holds as many revocations as one page can carry")]
    RevocationsFull,
    #[error("a table counts by one or two fields")]
    StatsBy,
    #[error("there is no statistics field called {field}")]
    StatsField { field: String },
    #[error("counts are rounded to at least k ({k}); give a resolution of {k} or more")]
    StatsResolution { k: u64 },
    #[error("this node publishes tables with k = {k} and resolution {resolution}")]
    StatsSettings { k: u64, resolution: u64 },
    #[error(
        "a published table hides cells under at least {least}; --k 1 gives exact counts on screen"
    )]
    StatsK { least: u64 },
    #[error("a peer's name has 1 to 60 characters")]
    PeerName,
    #[error("the sync bundle cannot be used: {0}")]
    Bundle(#[from] enlace_sync::bundle::BundleError),
    #[error("the bundle comes from a node this node has not paired with ({key})")]
    BundleSender { key: String },
    #[error("bundle {seq} from {peer} was already imported")]
    BundleReplayed { peer: String, seq: u64 },
    #[error("{path} already exists; choose another name for the backup")]
    BackupExists { path: PathBuf },
    /// `detail`: a translation key (`backup-cut`, `backup-checksum`, …).
    #[error("{path} is not a usable Enlace backup ({detail}); nothing was changed")]
    BackupDamaged { path: PathBuf, detail: String },
    #[error("sync with {peer} failed: {detail}")]
    Sync { peer: String, detail: String },
    #[error("a peer sent what this node cannot accept ({detail}); nothing of it was applied")]
    PeerSent { detail: String },
    #[error("{path} cannot be imported ({error}); nothing was imported")]
    Dataset {
        path: PathBuf,
        error: crate::datasets::ShapeError,
    },
    #[error("the HTCDS file {path} cannot be imported: {error}")]
    Htcds {
        path: PathBuf,
        error: crate::standards::HtcdsError,
    },
    #[error("your role ({role}) does not allow this: {permission}")]
    NotAllowed {
        permission: enlace_domain::Permission,
        role: enlace_domain::Role,
    },
    #[error("the official {name} was removed from this node")]
    OfficialRemoved { name: String },
    #[error("the key file's entry for {name} was not made with that official's passphrase")]
    KeyEntryForged { name: String },
    #[error("an official's name has 1 to 60 characters")]
    OfficialName,
    #[error("{name} is the node's first administrator or yourself")]
    OfficialProtected { name: String },
    #[error(
        "the identity of {pseudonym} is held by other nodes of this country, not shared with this one"
    )]
    IdentityElsewhere { pseudonym: String },
    #[error("this node already trusts the country key {key}")]
    CountryKeyExists { key: String },
    #[error(
        "only the country's administrator key revokes this country's nodes ({key}); this node does not hold it"
    )]
    NotCountryKey { key: String },
    #[error("a border post or an NGO node cannot share identities with other nodes")]
    ShareFromNeedToKnow,
    #[error("no node of this country named {name} is known here")]
    UnknownNode { name: String },
    #[error("{pseudonym} already has a risk assessment; record a review (enlace risk review)")]
    RiskExists { pseudonym: String },
    #[error("{pseudonym} has no risk assessment yet; record one (enlace risk add)")]
    NoRisk { pseudonym: String },
    #[error(
        "case {reference} cannot take answers yet: a node of {owner} must change it once with this version of Enlace and sync"
    )]
    AnswersNotYet { reference: String, owner: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    /// There is no database in `dir`.
    pub fn not_initialised(dir: &std::path::Path) -> CoreError {
        CoreError::Store(StoreError::NotInitialised(dir.to_owned()))
    }

    /// The documents an ambiguous reference or code names (else none).
    pub fn candidates(&self) -> &[Candidate] {
        match self {
            CoreError::Ambiguous { candidates, .. } => candidates,
            _ => &[],
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::NotFound { .. } | CoreError::NoAssessment { .. } => ErrorCode::NotFound,
            CoreError::Ambiguous { .. } => ErrorCode::Ambiguous,
            CoreError::Input(_)
            | CoreError::Invalid(_)
            | CoreError::Patch { .. }
            | CoreError::Country(_)
            | CoreError::PassphraseTooShort { .. }
            | CoreError::NodeName
            | CoreError::UnknownItem(_) => ErrorCode::InvalidInput,
            CoreError::NotOwner { .. } | CoreError::NotAllowed { .. } => ErrorCode::Forbidden,
            CoreError::OfficialRemoved { .. } | CoreError::KeyEntryForged { .. } => {
                ErrorCode::WrongPassphrase
            }
            CoreError::OfficialName | CoreError::OfficialProtected { .. } => {
                ErrorCode::InvalidInput
            }
            CoreError::UnknownPeer { .. } => ErrorCode::NotFound,
            CoreError::RevokeForeign { .. }
            | CoreError::IdentityElsewhere { .. }
            | CoreError::ShareFromNeedToKnow
            | CoreError::NotCountryKey { .. } => ErrorCode::Forbidden,
            CoreError::CountryKeyExists { .. } => ErrorCode::InvalidInput,
            CoreError::UnknownNode { .. } | CoreError::NoRisk { .. } => ErrorCode::NotFound,
            CoreError::RiskExists { .. } => ErrorCode::InvalidInput,
            CoreError::AnswersNotYet { .. } => ErrorCode::Forbidden,
            CoreError::PeerExists { .. }
            | CoreError::PeerKey(_)
            | CoreError::PeerUrl(_)
            | CoreError::PairSelf
            | CoreError::RevokeSelf
            | CoreError::KeyRevoked { .. }
            | CoreError::RevocationsFull
            | CoreError::StatsBy
            | CoreError::StatsField { .. }
            | CoreError::StatsResolution { .. }
            | CoreError::StatsSettings { .. }
            | CoreError::StatsK { .. }
            | CoreError::PeerName
            | CoreError::Bundle(_)
            | CoreError::BundleSender { .. }
            | CoreError::BundleReplayed { .. }
            | CoreError::BackupExists { .. }
            | CoreError::BackupDamaged { .. }
            | CoreError::Dataset { .. }
            | CoreError::Htcds { .. } => ErrorCode::InvalidInput,
            CoreError::Sync { .. } | CoreError::PeerSent { .. } => ErrorCode::Sync,
            CoreError::Report(_) => ErrorCode::Internal,
            CoreError::Io { .. } => ErrorCode::Storage,
            CoreError::Store(s) => match s {
                StoreError::WrongPassphrase
                | StoreError::UnknownOfficial(_)
                | StoreError::TooManyAttempts { .. } => ErrorCode::WrongPassphrase,
                StoreError::OfficialExists(_) => ErrorCode::InvalidInput,
                StoreError::NotInitialised(_) => ErrorCode::NotInitialised,
                StoreError::AlreadyInitialised(_) => ErrorCode::AlreadyInitialised,
                StoreError::Sqlite(_) | StoreError::Migration(_) => ErrorCode::Internal,
                _ => ErrorCode::Storage,
            },
            CoreError::Doc(enlace_docs::DocError::TooLarge(_)) => ErrorCode::InvalidInput,
            CoreError::Doc(_) => ErrorCode::Storage,
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The message for a person, in `lang`, saying what to do.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CoreError::NotFound { what } => tr_args(lang, "err-not-found", &[("what", what)]),
            CoreError::Ambiguous { what, candidates } => {
                let mut s = tr_args(lang, "err-ambiguous", &[("what", what)]);
                for c in candidates {
                    s.push_str(&format!("\n  - {}  {}", c.id, c.label));
                }
                s
            }
            CoreError::Input(e) => e.message(lang),
            CoreError::Invalid(issues) => {
                let mut s = tr(lang, "err-invalid");
                for i in issues
                    .iter()
                    .filter(|i| i.severity == enlace_domain::Severity::Error)
                {
                    s.push_str("\n  - ");
                    s.push_str(&i.message(lang));
                }
                s
            }
            CoreError::Patch { field, key } => tr_args(lang, key, &[("field", field)]),
            CoreError::Country(c) => {
                let allowed = enlace_domain::CountryCode::members()
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ");
                tr_args(
                    lang,
                    "err-country",
                    &[("country", c), ("allowed", &allowed)],
                )
            }
            CoreError::PassphraseTooShort { min } => {
                tr_args(lang, "err-passphrase-short", &[("min", &min.to_string())])
            }
            CoreError::NodeName => tr(lang, "err-node-name"),
            CoreError::Io { path, source } => tr_args(
                lang,
                "err-io",
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &source.to_string()),
                ],
            ),
            CoreError::Store(s) => match s {
                StoreError::WrongPassphrase => tr(lang, "err-wrong-passphrase"),
                StoreError::UnknownOfficial(name) => {
                    tr_args(lang, "err-unknown-official", &[("name", name)])
                }
                StoreError::TooManyAttempts { wait_secs } => tr_args(
                    lang,
                    "err-too-many-attempts",
                    &[("seconds", &wait_secs.to_string())],
                ),
                StoreError::OfficialExists(name) => {
                    tr_args(lang, "err-official-exists", &[("name", name)])
                }
                StoreError::NotInitialised(d) => tr_args(
                    lang,
                    "err-not-initialised",
                    &[("dir", &d.display().to_string())],
                ),
                StoreError::AlreadyInitialised(d) => tr_args(
                    lang,
                    "err-already-initialised",
                    &[("dir", &d.display().to_string())],
                ),
                StoreError::Corrupt(m) => tr_args(lang, "err-corrupt", &[("detail", m)]),
                StoreError::KeyFile { path, detail } => tr_args(
                    lang,
                    "err-key-file",
                    &[("path", &path.display().to_string()), ("detail", detail)],
                ),
                other => tr_args(lang, "err-storage", &[("detail", &other.to_string())]),
            },
            CoreError::Doc(enlace_docs::DocError::TooLarge(d)) => {
                tr_args(lang, "err-change-too-large", &[("detail", d)])
            }
            CoreError::Doc(e) => tr_args(lang, "err-corrupt", &[("detail", &e.to_string())]),
            CoreError::NotOwner { country } => {
                let name = enlace_domain::CountryCode::parse(country)
                    .map_or_else(|| country.clone(), |c| c.name(lang));
                tr_args(lang, "err-not-owner", &[("country", &name)])
            }
            CoreError::NoAssessment { country } => {
                let name = enlace_domain::CountryCode::parse(country)
                    .map_or_else(|| country.clone(), |c| c.name(lang));
                tr_args(lang, "err-no-assessment", &[("country", &name)])
            }
            CoreError::UnknownItem(item) => tr_args(lang, "err-unknown-item", &[("item", item)]),
            CoreError::Report(e) => tr_args(lang, "err-report", &[("detail", &e.to_string())]),
            CoreError::UnknownPeer { name } => tr_args(lang, "err-unknown-peer", &[("name", name)]),
            CoreError::RevokeForeign { name, country } => tr_args(
                lang,
                "err-revoke-foreign",
                &[("name", name), ("country", country)],
            ),
            CoreError::RevokeSelf => tr(lang, "err-revoke-self"),
            CoreError::IdentityElsewhere { pseudonym } => {
                tr_args(lang, "err-identity-elsewhere", &[("pseudonym", pseudonym)])
            }
            CoreError::ShareFromNeedToKnow => tr(lang, "err-share-need-to-know"),
            CoreError::RiskExists { pseudonym } => {
                tr_args(lang, "err-risk-exists", &[("pseudonym", pseudonym)])
            }
            CoreError::NoRisk { pseudonym } => {
                tr_args(lang, "err-no-risk", &[("pseudonym", pseudonym)])
            }
            CoreError::AnswersNotYet { reference, owner } => tr_args(
                lang,
                "err-answers-not-yet",
                &[("reference", reference), ("owner", owner)],
            ),
            CoreError::CountryKeyExists { key } => tr_args(
                lang,
                "err-country-key-exists",
                &[("key", &key[..key.len().min(16)])],
            ),
            CoreError::NotCountryKey { key } => tr_args(
                lang,
                "err-not-country-key",
                &[("key", &key[..key.len().min(16)])],
            ),
            CoreError::UnknownNode { name } => tr_args(lang, "err-unknown-node", &[("name", name)]),
            CoreError::KeyRevoked { name } => tr_args(lang, "err-key-revoked", &[("name", name)]),
            CoreError::RevocationsFull => tr(lang, "err-revocations-full"),
            CoreError::StatsBy => tr(lang, "err-stats-by"),
            CoreError::StatsField { field } => {
                tr_args(lang, "err-stats-field", &[("field", field)])
            }
            CoreError::StatsResolution { k } => {
                tr_args(lang, "err-stats-resolution", &[("k", &k.to_string())])
            }
            CoreError::StatsSettings { k, resolution } => tr_args(
                lang,
                "err-stats-settings",
                &[
                    ("k", &k.to_string()),
                    ("resolution", &resolution.to_string()),
                ],
            ),
            CoreError::StatsK { least } => {
                tr_args(lang, "err-stats-k", &[("least", &least.to_string())])
            }
            CoreError::Htcds { path, error } => tr_args(
                lang,
                "err-htcds",
                &[
                    ("path", &path.display().to_string()),
                    ("case", &error.case.to_string()),
                    ("field", &error.field),
                    ("value", &error.value),
                    ("expected", &tr(lang, error.expected)),
                ],
            ),
            CoreError::Dataset { path, error } => tr_args(
                lang,
                "err-dataset",
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &error.message(lang)),
                ],
            ),
            CoreError::PeerExists { name } => tr_args(lang, "err-peer-exists", &[("name", name)]),
            CoreError::PeerKey(k) => tr_args(lang, "err-peer-key", &[("key", k)]),
            CoreError::PeerUrl(u) => tr_args(lang, "err-peer-url", &[("url", u)]),
            CoreError::PairSelf => tr(lang, "err-pair-self"),
            CoreError::PeerName => tr(lang, "err-peer-name"),
            CoreError::Bundle(e) => bundle_message(e, lang),
            CoreError::BundleSender { key } => tr_args(
                lang,
                "err-bundle-sender",
                &[("node", &key[..key.len().min(16)])],
            ),
            CoreError::BundleReplayed { peer, seq } => tr_args(
                lang,
                "err-bundle-replayed",
                &[("peer", peer), ("seq", &seq.to_string())],
            ),
            CoreError::BackupExists { path } => tr_args(
                lang,
                "err-backup-exists",
                &[("path", &path.display().to_string())],
            ),
            CoreError::BackupDamaged { path, detail } => tr_args(
                lang,
                "err-backup-damaged",
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &tr(lang, detail)),
                ],
            ),
            CoreError::Sync { peer, detail } => {
                tr_args(lang, "err-sync", &[("peer", peer), ("detail", detail)])
            }
            CoreError::PeerSent { detail } => tr_args(lang, "err-peer-sent", &[("detail", detail)]),
            CoreError::NotAllowed { permission, role } => {
                use enlace_domain::Closed;
                tr_args(
                    lang,
                    "err-not-allowed",
                    &[
                        ("permission", &permission.label(lang)),
                        ("role", &role.label(lang)),
                    ],
                )
            }
            CoreError::OfficialRemoved { name } => {
                tr_args(lang, "err-official-removed", &[("name", name)])
            }
            CoreError::KeyEntryForged { name } => {
                tr_args(lang, "err-key-entry-forged", &[("name", name)])
            }
            CoreError::OfficialName => tr_args(
                lang,
                "err-official-name",
                &[("max", &crate::MAX_OFFICIAL_NAME.to_string())],
            ),
            CoreError::OfficialProtected { name } => {
                tr_args(lang, "err-official-protected", &[("name", name)])
            }
            CoreError::Internal(m) => tr_args(lang, "err-internal", &[("detail", m)]),
        }
    }

    /// Validation issues carried by the error, if any.
    pub fn issues(&self) -> &[Issue] {
        match self {
            CoreError::Invalid(i) => i,
            _ => &[],
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// The message for a bundle error, in `lang`.
fn bundle_message(e: &BundleError, lang: Lang) -> String {
    match e {
        BundleError::NotABundle => tr(lang, "err-bundle-not-a-bundle"),
        BundleError::TooLarge => tr(lang, "err-bundle-too-large"),
        BundleError::Version(v) => {
            tr_args(lang, "err-bundle-version", &[("version", &v.to_string())])
        }
        BundleError::NotForThisNode { recipient } => tr_args(
            lang,
            "err-bundle-not-for-me",
            &[("node", &hex::encode(&recipient[..8]))],
        ),
        BundleError::Tampered => tr(lang, "err-bundle-tampered"),
        BundleError::Content(w) => {
            tr_args(lang, "err-bundle-content", &[("detail", &w.to_string())])
        }
    }
}
