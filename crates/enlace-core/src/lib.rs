//! The use-case façade: [`App`] is what the desktop app and the `enlace`
//! command both call. It is the API boundary: it composes the domain rules,
//! the automerge documents and the encrypted store, and owns the node's
//! identity.
//!
//! Not here: SQL (enlace-store), automerge mapping details (enlace-docs),
//! terminal or IPC concerns (enlace-cli, src-tauri).
#![forbid(unsafe_code)]

mod demo;
mod editing;
mod error;
mod index;
mod legal;
mod node;
mod peers;
mod plan;
mod replica;
mod views;

use std::path::{Path, PathBuf};

use chrono::{Datelike, SecondsFormat, Utc};
use enlace_docs::{ChangeMessage, Document, NewChange};
use enlace_domain::input::{CaseInput, PROTECTED_FIELDS, from_value, merge_patch};
use enlace_domain::validate::{has_errors, validate_case};
use enlace_domain::*;
use enlace_store::{CaseQuery, DocRow, Store, WriteTx};
use serde_json::Value;

pub use demo::{DemoSummary, synthetic};
pub use editing::MAX_DRAFT_BYTES;
pub use enlace_docs::HistoryEntry;
pub use enlace_report::Paper;
pub use enlace_store::{KEY_FILE, StoreError, private_dir, private_file};
pub use error::{CoreError, ErrorCode, Result};
pub use legal::*;
pub use node::NodeInfo;
pub use peers::*;
pub use plan::*;
pub use views::*;

/// Case fields whose concurrent values the case view shows for a choice:
/// the legal status and classification, and the texts people rely on.
pub const CASE_CHOOSABLE: &[&str] = &["status", "classification", "title", "summary"];

/// Shortest passphrase accepted at `init`.
pub const MIN_PASSPHRASE: usize = 8;

/// The default data directory: the platform's data dir for Enlace
/// (`~/.local/share/enlace` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Enlace", "enlace").map(|d| d.data_dir().to_owned())
}

/// Makes this process leave no core dump and refuse to be traced by other
/// processes of the same user: its memory holds the database key and
/// decrypted documents. The app and the `enlace` command call it first.
/// Returns what could not be done (reported, not fatal).
pub fn harden_process() -> std::result::Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{
            DumpableBehavior, Resource, Rlimit, set_dumpable_behavior, setrlimit,
        };
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )
        .map_err(|e| format!("core dumps could not be turned off: {e}"))?;
        set_dumpable_behavior(DumpableBehavior::NotDumpable)
            .map_err(|e| format!("the process could not be made non-dumpable: {e}"))?;
    }
    Ok(())
}

/// True when `dir` holds an Enlace database.
pub fn is_initialised(dir: &Path) -> bool {
    enlace_store::exists(dir)
}

/// `YYYY-MM-DD-HHMM` (UTC) for `secs` since the epoch: a file-name stamp.
pub fn file_stamp(secs: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d-%H%M")
        .to_string()
}

/// Now, as Enlace writes times (RFC 3339, UTC, milliseconds).
pub fn now_rfc3339() -> String {
    now_string()
}

pub(crate) fn now_string() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An open, unlocked node.
pub struct App {
    store: Store,
    node: node::Identity,
    /// Who acts, appended to the node in change messages (`node/user`).
    user: Option<String>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("node", &self.node.node_id)
            .finish_non_exhaustive()
    }
}

/// What the caller passes to describe who is acting (optional).
pub type User = Option<String>;

impl App {
    /// Creates the database and the node identity in `dir`. Refuses when a
    /// database exists there.
    pub fn init(dir: &Path, passphrase: &str, country: &str, node_name: &str) -> Result<App> {
        let country = CountryCode::parse(country)
            .filter(CountryCode::is_member)
            .ok_or_else(|| CoreError::Country(country.to_owned()))?;
        if node_name.trim().is_empty() {
            return Err(CoreError::NodeName);
        }
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(CoreError::PassphraseTooShort {
                min: MIN_PASSPHRASE,
            });
        }
        let mut store = Store::create(dir, passphrase)?;
        let identity = node::Identity::generate(country, node_name.trim());
        let stored = store.write(|tx| tx.put_node(&identity.to_row()));
        let stored = stored.and_then(|()| store.write(|tx| tx.maintenance_done("reindex")));
        if let Err(e) = stored {
            drop(store);
            enlace_store::discard(dir);
            return Err(e.into());
        }
        Ok(App {
            store,
            node: identity,
            user: None,
        })
    }

    /// Opens the node's database in `dir`.
    pub fn open(dir: &Path, passphrase: &str) -> Result<App> {
        let store = Store::open(dir, passphrase)?;
        let row = store.read().node()?.ok_or_else(|| {
            CoreError::Store(enlace_store::StoreError::Corrupt(
                "the node identity is missing".into(),
            ))
        })?;
        let node = node::Identity::from_row(&row)?;
        let mut app = App {
            store,
            node,
            user: None,
        };
        app.maintain()?;
        Ok(app)
    }

    /// Does what migrations left for the application (a reindex that fills
    /// a new derived table), once.
    fn maintain(&mut self) -> Result<()> {
        for task in self.store.read().maintenance()? {
            match task.as_str() {
                "reindex" => {
                    self.reindex(&mut |_, _| {})?;
                }
                "local_only" => self.mark_local_only()?,
                "quarantine_deps" => self.store.write(replica::quarantine::name_deps)?,
                _ => {}
            }
            self.store.write(|tx| tx.maintenance_done(&task))?;
        }
        Ok(())
    }

    /// Sets who is acting (recorded in change messages as `node/user`).
    pub fn set_user(&mut self, user: User) {
        self.user = user.filter(|u| !u.trim().is_empty());
    }

    fn by(&self) -> String {
        match &self.user {
            Some(u) => format!("{}/{}", self.node.name, u),
            None => self.node.name.clone(),
        }
    }

    pub fn node_info(&self) -> NodeInfo {
        self.node.info(self.store.dir())
    }

    pub fn data_dir(&self) -> &Path {
        self.store.dir()
    }

    /// The store (benchmarks and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn resolve(tx_read: &enlace_store::Read<'_>, key: &str) -> Result<String> {
        let key = key.trim();
        if let Ok(uuid) = uuid::Uuid::parse_str(key) {
            let id = uuid.to_string();
            return match tx_read.doc(&id)? {
                Some(row) if row.kind == "case" => Ok(id),
                _ => Err(CoreError::NotFound {
                    what: key.to_owned(),
                }),
            };
        }
        if let Some(r) = CaseRef::parse(key)
            && let Some(id) = tx_read.case_by_reference(&r.to_string())?
        {
            return Ok(id);
        }
        Err(CoreError::NotFound {
            what: key.to_owned(),
        })
    }

    fn doc_row(
        id: &str,
        kind: &str,
        owner: &Owner,
        audience: &Audience,
        doc: &mut Document,
        at: &str,
    ) -> Result<DocRow> {
        Ok(DocRow {
            id: id.to_owned(),
            kind: kind.to_owned(),
            owner_country: owner.country.to_string(),
            owner_node: owner.node.clone(),
            audience: serde_json::to_string(audience)
                .map_err(|e| CoreError::Internal(e.to_string()))?,
            bytes: doc.save(),
            heads: serde_json::to_string(&doc.heads())
                .map_err(|e| CoreError::Internal(e.to_string()))?,
            updated_at: at.to_owned(),
            // Demonstration documents stay on this node.
            local_only: doc.flag("demo"),
        })
    }

    /// Creates a case (and a national `person` document for each person
    /// given with an identity) in one transaction.
    pub fn create_case(&mut self, input: CaseInput) -> Result<CaseSaved> {
        let mut saved = self.import_owned(vec![(input, None)], &mut |_, _| {})?;
        saved
            .pop()
            .ok_or_else(|| CoreError::Internal("no case was created".into()))
    }

    /// Creates many cases in one transaction (imports): all are saved, or
    /// none. An invalid case fails the batch; its index is in the error path.
    pub fn import_cases(&mut self, inputs: Vec<CaseInput>) -> Result<Vec<CaseSaved>> {
        self.import_cases_with(inputs, &mut |_, _| {})
    }

    /// [`App::import_cases`], calling `progress(done, total)`.
    pub fn import_cases_with(
        &mut self,
        inputs: Vec<CaseInput>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<CaseSaved>> {
        self.import_owned(inputs.into_iter().map(|i| (i, None)).collect(), progress)
    }

    pub(crate) fn import_owned(
        &mut self,
        inputs: Vec<(CaseInput, Option<Owner>)>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<CaseSaved>> {
        let now = Utc::now();
        let at = now_string();
        let today = now.date_naive();
        let by = self.by();
        let batch = inputs.len() > 1;
        let mut prepared = Vec::with_capacity(inputs.len());
        for (n, (input, owner)) in inputs.into_iter().enumerate() {
            let owner = owner.unwrap_or_else(|| self.node.owner());
            let (case, persons) = case_from_input(input, owner, &by, now);
            // Validate before allocating anything (the reference is filled in below).
            let mut issues = validate_case(&case, today);
            if has_errors(&issues) {
                if batch {
                    for i in &mut issues {
                        i.path = format!("[{n}].{}", i.path);
                    }
                }
                return Err(CoreError::Invalid(issues));
            }
            prepared.push((case, persons, issues));
        }
        let node = &self.node;
        let total = prepared.len() as u64;
        self.store.write(|tx| {
            let mut out = Vec::with_capacity(prepared.len());
            for (mut case, persons, issues) in prepared {
                out.push(insert_case(
                    node, tx, &mut case, &persons, issues, &by, now, &at,
                )?);
                progress(out.len() as u64, total);
            }
            Ok(out)
        })
    }
}

/// Allocates the reference and stores a new case and its person documents.
#[allow(clippy::too_many_arguments)]
fn insert_case(
    node: &node::Identity,
    tx: &WriteTx<'_>,
    case: &mut Case,
    persons: &[Person],
    issues: Vec<Issue>,
    by: &str,
    now: chrono::DateTime<Utc>,
    at: &str,
) -> Result<CaseSaved> {
    let year = case.opened.year();
    let seq = tx.next_reference(case.owner.country.as_str(), year)?;
    case.reference = CaseRef {
        country: case.owner.country.clone(),
        year,
        sequence: seq,
    }
    .to_string();
    let mut names = vec![];
    for p in persons {
        let mut doc = Document::new(node.actor.clone());
        doc.write(p)?;
        commit_and_persist(
            node,
            tx,
            &mut doc,
            (&p.id.to_string(), "person", &p.owner, &Audience::national()),
            (by, vec!["identity".into()], "create"),
            now,
            at,
        )?;
        names.push(p.identity.search_text());
    }
    let mut doc = Document::new(node.actor.clone());
    let fields = doc.write(&*case)?;
    commit_and_persist(
        node,
        tx,
        &mut doc,
        (&case.id.to_string(), "case", &case.owner, &case.audience),
        (by, fields, "create"),
        now,
        at,
    )?;
    tx.index_case(&index::case_row(case, &names, &issues, at))?;
    Ok(CaseSaved {
        id: case.id.to_string(),
        reference: case.reference.clone(),
        changed: vec![],
        issues,
    })
}

/// Builds a case (and its person documents) from input. The reference is a
/// placeholder until the store allocates one.
fn case_from_input(
    input: CaseInput,
    owner: Owner,
    by: &str,
    now: chrono::DateTime<Utc>,
) -> (Case, Vec<Person>) {
    let today = now.date_naive();
    let opened = input.opened.unwrap_or(today);
    let status = input.status.unwrap_or(CaseStatus::Reported);
    let mut counters = std::collections::HashMap::<PersonRole, u32>::new();
    let mut persons = vec![];
    let mut case_persons = vec![];
    for p in input.persons {
        let n = counters.entry(p.role).or_insert(0);
        *n += 1;
        let prefix = match p.role {
            PersonRole::Victim => "V",
            PersonRole::Suspect => "S",
            PersonRole::Witness => "W",
            PersonRole::Other => "O",
        };
        let person_ref = p.identity.map(|identity| {
            let id = PersonId::new();
            persons.push(Person {
                id,
                identity,
                owner: owner.clone(),
                demo: input.demo,
            });
            id
        });
        case_persons.push(CasePerson {
            pseudonym: p.pseudonym.unwrap_or_else(|| format!("{prefix}{n}")),
            role: p.role,
            gender: p.gender.unwrap_or(Gender::Unknown),
            age_band: p.age_band,
            minor_at_exploitation: p.minor_at_exploitation,
            nationality: p.nationality,
            person_ref,
        });
    }
    let case = Case {
        id: CaseId::new(),
        reference: format!("{}-{}-0000", owner.country, opened.year()),
        title: input.title.trim().to_owned(),
        summary: input.summary,
        classification: input.classification,
        classification_history: vec![ClassificationChange {
            classification: input.classification,
            at: now,
            by: by.to_owned(),
            reason: None,
        }],
        status,
        status_history: vec![StatusChange {
            status,
            date: opened,
            by: by.to_owned(),
        }],
        opened,
        acts: dedup(input.acts),
        means: dedup(input.means),
        purposes: dedup(input.purposes),
        child_involved: input.child_involved,
        route: input.route,
        persons: case_persons,
        indicators: input.indicators,
        information: input.information,
        links: input.links,
        requests: input.requests,
        joint_operations: input.joint_operations,
        notes: input
            .notes
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .map(|text| Note {
                at: now,
                author: by.to_owned(),
                text,
            })
            .collect(),
        standard: input.standard,
        owner,
        audience: input.audience.unwrap_or_else(Audience::regional),
        demo: input.demo,
    };
    (case, persons)
}

impl App {
    /// Applies a JSON merge patch (RFC 7396) to a case.
    pub fn update_case(&mut self, key: &str, patch: &Value) -> Result<CaseSaved> {
        let Value::Object(fields) = patch else {
            return Err(CoreError::Input(enlace_domain::input::InputError {
                path: String::new(),
                detail: "a merge patch must be a JSON object".into(),
            }));
        };
        for (field, why) in PROTECTED_FIELDS {
            if fields.contains_key(*field) {
                return Err(CoreError::Patch {
                    field: (*field).to_owned(),
                    key: why,
                });
            }
        }
        self.modify(key, "update", false, |_doc, case, _by, _now| {
            let mut value =
                serde_json::to_value(&*case).map_err(|e| CoreError::Internal(e.to_string()))?;
            merge_patch(&mut value, patch);
            let patched: Case = from_value(value)?;
            editing::check_person_refs(case, &patched)?;
            *case = patched;
            Ok(None)
        })
    }

    /// Appends a note to a case — also to another country's case: a note
    /// is the one thing any node that holds a case may add (its owner's
    /// nodes accept notes and links from other countries, nothing else).
    pub fn add_note(&mut self, key: &str, text: &str) -> Result<CaseSaved> {
        if text.trim().is_empty() {
            return Err(CoreError::Input(enlace_domain::input::InputError {
                path: "text".into(),
                detail: "the note is empty".into(),
            }));
        }
        let text = text.to_owned();
        self.modify(key, "note", true, move |_doc, case, by, now| {
            case.notes.push(Note {
                at: now,
                author: by.to_owned(),
                text,
            });
            Ok(None)
        })
    }

    /// Loads a case, lets `f` change it, records history entries for
    /// classification and status, validates, and saves — all in one
    /// transaction.
    fn modify(
        &mut self,
        key: &str,
        action: &str,
        any_country: bool,
        f: impl FnOnce(&mut Document, &mut Case, &str, chrono::DateTime<Utc>) -> Result<Option<String>>,
    ) -> Result<CaseSaved> {
        let now = Utc::now();
        let at = now_string();
        let by = self.by();
        let node = &self.node;
        self.store.write(|tx| {
            let id = Self::resolve(&tx.read(), key)?;
            let row = tx.read().doc(&id)?.ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
            let mut doc = Document::load(&row.bytes, node.actor.clone())?;
            let before: Case = doc.read("case")?;
            let own = before.owner.country == node.country;
            if !own && !any_country {
                return Err(CoreError::NotOwner {
                    country: before.owner.country.to_string(),
                });
            }
            let mut case = before.clone();
            // A choice between concurrent values names its field even when
            // the value chosen is the one shown (nothing else differs).
            let chosen = f(&mut doc, &mut case, &by, now)?;
            // Identity of the document never changes.
            case.id = before.id;
            case.reference = before.reference.clone();
            case.owner = before.owner.clone();
            if case.classification != before.classification {
                case.classification_history.push(ClassificationChange {
                    classification: case.classification,
                    at: now,
                    by: by.clone(),
                    reason: None,
                });
            }
            if case.status != before.status {
                case.status_history.push(StatusChange {
                    status: case.status,
                    date: now.date_naive(),
                    by: by.clone(),
                });
            }
            let issues = validate_case(&case, now.date_naive());
            // Another country's case is that country's to validate; a note
            // added here does not depend on it.
            if own && has_errors(&issues) {
                return Err(CoreError::Invalid(issues));
            }
            let mut fields = doc.write(&case)?;
            if let Some(c) = chosen
                && !fields.contains(&c)
            {
                fields.push(c);
            }
            if fields.is_empty() {
                return Ok(CaseSaved {
                    id,
                    reference: case.reference,
                    changed: vec![],
                    issues,
                });
            }
            let change = doc.commit(
                &ChangeMessage {
                    by: by.clone(),
                    fields: fields.clone(),
                    action: action.to_owned(),
                },
                now,
            )?;
            // Automerge makes no operation for a value written again when it
            // has no rival (choosing the only value): then nothing changed.
            let Some(change) = change else {
                return Ok(CaseSaved {
                    id,
                    reference: case.reference,
                    changed: vec![],
                    issues,
                });
            };
            let row = Self::doc_row(&id, "case", &case.owner, &case.audience, &mut doc, &at)?;
            persist_with(node, tx, row, Some(change), &at)?;
            let names = index::person_names(&tx.read(), &case, &node.actor)?;
            tx.index_case(&index::case_row(&case, &names, &issues, &at))?;
            Ok(CaseSaved {
                id,
                reference: case.reference,
                changed: fields,
                issues,
            })
        })
    }

    /// A case with its validation findings and, for persons whose
    /// identifying document is on this node, their identity. Showing an
    /// identity is recorded in the audit log.
    pub fn case(&mut self, key: &str) -> Result<CaseView> {
        let node = &self.node;
        let by = self.by();
        self.store.write(|tx| {
            let id = Self::resolve(&tx.read(), key)?;
            let row = tx.read().doc(&id)?.ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
            let doc = Document::load(&row.bytes, node.actor.clone())?;
            let case: Case = doc.read("case")?;
            let issues = validate_case(&case, Utc::now().date_naive());
            let mut identities = vec![];
            for p in &case.persons {
                if let Some(pid) = p.person_ref
                    && let Some(person) = index::person(&tx.read(), &pid.to_string(), &node.actor)?
                {
                    tx.audit(
                        &now_string(),
                        &by,
                        "person.view",
                        &pid.to_string(),
                        &format!("case {}", case.reference),
                    )?;
                    identities.push(PersonIdentityView {
                        pseudonym: p.pseudonym.clone(),
                        person_id: pid.to_string(),
                        full_name: person.identity.full_name(),
                        identity: person.identity,
                    });
                }
            }
            let mut conflicts = vec![];
            for field in CASE_CHOOSABLE {
                let values = doc.conflicts_at(&[field])?;
                if values.len() > 1 {
                    conflicts.push(FieldConflict {
                        item: String::new(),
                        field: (*field).to_owned(),
                        values,
                    });
                }
            }
            Ok(CaseView {
                editable: case.owner.country == node.country,
                case,
                issues,
                identities,
                updated_at: row.updated_at,
                heads: serde_json::from_str(&row.heads).unwrap_or_default(),
                conflicts,
            })
        })
    }

    /// One page of the case list.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        let terms = text::search_terms(filter.query.as_deref().unwrap_or(""));
        // Searching lists the newest cases first unless another order was
        // asked for: the full-text index yields them in that order, so a
        // page costs the same however many cases match.
        let sort = filter.sort.unwrap_or(if terms.is_empty() {
            SortField::Updated
        } else {
            SortField::Newest
        });
        let q = CaseQuery {
            terms,
            status: filter.status.map(|s| s.as_str().to_owned()),
            classification: filter.classification.map(|c| c.as_str().to_owned()),
            country: filter
                .country
                .as_deref()
                .and_then(CountryCode::parse)
                .map(|c| c.to_string()),
            role: filter.role.map(|r| r.as_str().to_owned()),
            purpose: filter.purpose.map(|p| p.as_str().to_owned()),
            means: filter.means.map(|m| m.as_str().to_owned()),
            opened_from: filter.opened_from.map(|d| d.to_string()),
            opened_to: filter.opened_to.map(|d| d.to_string()),
            owner: filter
                .owner
                .as_deref()
                .and_then(CountryCode::parse)
                .map(|c| c.to_string()),
            sort: sort.into(),
            descending: filter
                .descending
                .unwrap_or(matches!(sort, SortField::Updated | SortField::Newest)),
            limit: filter.limit.unwrap_or(100).clamp(1, 1000),
            offset: filter.offset.unwrap_or(0),
        };
        let (total, rows) = self.store.read().list_cases(&q)?;
        Ok(CaseList {
            total,
            offset: q.offset,
            items: rows.into_iter().map(CaseSummary::from).collect(),
        })
    }

    /// Records the user's choice between concurrent values of a case field
    /// (one of [`CASE_CHOOSABLE`]): the value is written again, superseding
    /// the others on every node; a status or classification chosen differs
    /// from the one shown goes into its history as any change does.
    pub fn choose_case_value(
        &mut self,
        key: &str,
        field: &str,
        value: &Value,
    ) -> Result<CaseSaved> {
        if !CASE_CHOOSABLE.contains(&field) {
            return Err(CoreError::Input(enlace_domain::input::InputError {
                path: field.to_owned(),
                detail: format!("choose one of: {}", CASE_CHOOSABLE.join(", ")),
            }));
        }
        let field = field.to_owned();
        let value = value.clone();
        self.modify(key, "resolve", false, move |doc, case, _by, _now| {
            let mut v =
                serde_json::to_value(&*case).map_err(|e| CoreError::Internal(e.to_string()))?;
            if let Value::Object(m) = &mut v {
                m.insert(field.clone(), value.clone());
            }
            *case = from_value(v)?;
            doc.put_scalar_at(&[&field], &value)?;
            Ok(Some(field))
        })
    }

    /// The stored document `id` (found through the user's `key`).
    pub(crate) fn load_doc(&self, id: &str, key: &str) -> Result<Document> {
        let row = self
            .store
            .read()
            .doc(id)?
            .ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
        Ok(Document::load(&row.bytes, self.node.actor.clone())?)
    }

    /// A case's changes with the old and new value of each field.
    pub fn case_changes(&self, key: &str) -> Result<Vec<ItemChange>> {
        let id = Self::resolve(&self.store.read(), key)?;
        let mut doc = self.load_doc(&id, key)?;
        legal::changes_with_values(&mut doc, |f| Some(vec![f.to_owned()]))
    }

    /// The change history of a case, oldest first.
    pub fn history(&self, key: &str) -> Result<Vec<HistoryEntry>> {
        let id = Self::resolve(&self.store.read(), key)?;
        Ok(self.load_doc(&id, key)?.history())
    }

    /// Rebuilds every derived table from the documents, in batches, calling
    /// `progress(done, total)`. Returns the number of documents indexed.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        let ids = self.store.read().doc_ids("case")?;
        let total = ids.len() as u64;
        let node = &self.node;
        progress(0, total);
        // One transaction: readers see the old index or the new one, never half.
        self.store.write(|tx| {
            tx.clear_indexes()?;
            for (i, id) in ids.iter().enumerate() {
                let row = tx
                    .read()
                    .doc(id)?
                    .ok_or_else(|| CoreError::NotFound { what: id.clone() })?;
                let doc = Document::load(&row.bytes, node.actor.clone())?;
                let case: Case = doc.read("case")?;
                let issues = validate_case(&case, Utc::now().date_naive());
                let names = index::person_names(&tx.read(), &case, &node.actor)?;
                tx.index_case(&index::case_row(&case, &names, &issues, &row.updated_at))?;
                if i % 64 == 63 {
                    progress(i as u64 + 1, total);
                }
            }
            Ok::<_, CoreError>(())
        })?;
        progress(total, total);
        Ok(total)
    }

    /// Writes every case this node holds, as JSON, to `out` (atomically:
    /// a temporary file renamed into place). Person documents — identifying
    /// data — are not exported; the export is recorded in the audit log.
    pub fn export(&mut self, out: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        use std::io::Write;
        let ids = self.store.read().doc_ids("case")?;
        let total = ids.len() as u64;
        let tmp = out.with_extension("partial");
        let io = |e: std::io::Error| CoreError::Io {
            path: out.to_owned(),
            source: e,
        };
        let file = private_file(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        let node = self.node_info();
        let header = serde_json::json!({
            "format": "enlace-export",
            "version": 1,
            "exported_at": now_string(),
            "node": node,
        });
        let result = (|| {
            let head =
                serde_json::to_string(&header).map_err(|e| CoreError::Internal(e.to_string()))?;
            write!(w, "{{\"export\":{head},\"cases\":[").map_err(io)?;
            for (i, id) in ids.iter().enumerate() {
                let row = self
                    .store
                    .read()
                    .doc(id)?
                    .ok_or_else(|| CoreError::NotFound { what: id.clone() })?;
                let doc = Document::load(&row.bytes, self.node.actor.clone())?;
                let case: Case = doc.read("case")?;
                if i > 0 {
                    w.write_all(b",").map_err(io)?;
                }
                serde_json::to_writer(&mut w, &case)
                    .map_err(|e| CoreError::Internal(e.to_string()))?;
                progress(i as u64 + 1, total);
            }
            w.write_all(b"]}\n").map_err(io)?;
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
            std::fs::rename(&tmp, out).map_err(io)?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        let by = self.by();
        let target = out.display().to_string();
        self.store.write(|tx| {
            tx.audit(
                &now_string(),
                &by,
                "export",
                &target,
                &format!("{total} cases"),
            )
        })?;
        Ok(total)
    }

    /// Loads the demonstration data (once).
    pub fn load_demo(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
        demo::load(self, progress)
    }
}

/// Stores a document and its new change (signed by this node) in the
/// current transaction.
/// Commits what was written to `doc` as one change (who, which fields,
/// what kind) and stores the document with that change, signed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn commit_and_persist(
    node: &node::Identity,
    tx: &WriteTx<'_>,
    doc: &mut Document,
    (id, kind, owner, audience): (&str, &str, &Owner, &Audience),
    (by, fields, action): (&str, Vec<String>, &str),
    now: chrono::DateTime<Utc>,
    at: &str,
) -> Result<()> {
    let change = doc.commit(
        &ChangeMessage {
            by: by.to_owned(),
            fields,
            action: action.to_owned(),
        },
        now,
    )?;
    let row = App::doc_row(id, kind, owner, audience, doc, at)?;
    persist_with(node, tx, row, change, at)
}

fn persist_with(
    node: &node::Identity,
    tx: &WriteTx<'_>,
    row: DocRow,
    change: Option<NewChange>,
    at: &str,
) -> Result<()> {
    tx.put_doc(&row)?;
    if let Some(c) = change {
        let sig = node.sign(&c.hash.0);
        tx.log_change(
            &row.id,
            &c.hash.to_string(),
            &c.bytes,
            Some(&sig),
            &node.public_key(),
            at,
        )?;
    }
    Ok(())
}

fn dedup<T: Ord + Copy>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sync_tests;
