//! Legal assessments: one `legal_assessment` document per country (owned by
//! that country, audience regional), the harmonisation matrix derived from
//! them, each item's history with old and new values, concurrent values and
//! the user's choice between them, CSV export and the matrix PDF.

use std::path::Path;

use chrono::Utc;
use enlace_docs::{ChangeMessage, Document};
use enlace_domain::assessment::{ITEM_PROTECTED, assessment_id, validate_item};
use enlace_domain::enums::Closed;
use enlace_domain::input::{InputError, from_value, merge_patch};
use enlace_domain::legal::{self, AssessmentStatus};
use enlace_domain::validate::has_errors;
use enlace_domain::{AssessmentItem, CountryCode, Lang, LegalAssessment, Owner, Tally};
use enlace_store::{DocRow, Read};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{App, CoreError, Result, commit_and_persist, now_string, persist_with};

/// The document kind in the store.
pub(crate) const KIND: &str = "legal_assessment";

/// Item fields that can hold concurrent values a user chooses between.
pub const CHOOSABLE: &[&str] = &["status", "gap", "proposal", "assessor", "assessed_on"];

/// One country in the overview.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AssessmentSummary {
    pub country: String,
    /// Whether this node holds the country's assessment.
    pub present: bool,
    /// Whether this node may edit it (its own country).
    pub editable: bool,
    pub tally: Tally,
    pub catalogue_version: u32,
    pub demo: bool,
    pub updated_at: Option<String>,
}

/// Concurrent values of one field of one item.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    pub item: String,
    pub field: String,
    /// Every value, the one currently shown first.
    #[ts(type = "unknown[]")]
    pub values: Vec<Value>,
}

/// A validation finding on one item.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemIssue {
    pub item: String,
    pub issue: enlace_domain::Issue,
}

/// A country's assessment, for the checklist view.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AssessmentView {
    pub assessment: LegalAssessment,
    /// False when nothing is stored yet (a fresh, unsaved assessment).
    pub stored: bool,
    pub editable: bool,
    pub tally: Tally,
    pub conflicts: Vec<FieldConflict>,
    /// Warnings per item (errors are refused at saving).
    pub issues: Vec<ItemIssue>,
    pub updated_at: Option<String>,
}

/// The result of saving an item.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemSaved {
    pub country: String,
    pub item: AssessmentItem,
    /// Fields changed, as `TIP-05.status` (empty when nothing changed).
    pub changed: Vec<String>,
    pub issues: Vec<enlace_domain::Issue>,
    pub tally: Tally,
}

/// One field's change.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: Option<Value>,
    #[ts(type = "unknown")]
    pub after: Option<Value>,
}

/// One change of a document (or of one legal item): who, when, which
/// fields, from what to what.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemChange {
    pub hash: String,
    pub by: String,
    #[ts(type = "string")]
    pub time: chrono::DateTime<Utc>,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

/// The harmonisation matrix: countries × items.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LegalMatrixView {
    pub countries: Vec<AssessmentSummary>,
    /// One row per checklist item, in catalogue order.
    pub rows: Vec<MatrixRow>,
}

/// One item across the countries (in the order of `countries`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MatrixRow {
    pub item: String,
    pub statuses: Vec<AssessmentStatus>,
}

/// The participating countries, in the region's usual order.
fn countries() -> Vec<CountryCode> {
    CountryCode::members()
        .into_iter()
        .filter(CountryCode::is_participating)
        .collect()
}

fn parse_country(country: &str) -> Result<CountryCode> {
    CountryCode::parse(country)
        .filter(CountryCode::is_participating)
        .ok_or_else(|| CoreError::Country(country.to_owned()))
}

fn check_item(item: &str) -> Result<&'static legal::ChecklistItem> {
    legal::find(item).ok_or_else(|| CoreError::UnknownItem(item.to_owned()))
}

struct Loaded {
    assessment: LegalAssessment,
    doc: Document,
    row: DocRow,
}

fn load(
    read: &Read<'_>,
    actor: &automerge::ActorId,
    country: &CountryCode,
) -> Result<Option<Loaded>> {
    {
        let Some(row) = read.doc(&assessment_id(country).to_string())? else {
            return Ok(None);
        };
        if row.kind != KIND {
            return Err(CoreError::Internal(format!(
                "document {} is a {}, not a legal assessment",
                row.id, row.kind
            )));
        }
        let doc = Document::load(&row.bytes, actor.clone())?;
        let assessment: LegalAssessment = doc.read(KIND)?;
        Ok(Some(Loaded {
            assessment,
            doc,
            row,
        }))
    }
}

impl App {
    fn load_assessment(&self, read: &Read<'_>, country: &CountryCode) -> Result<Option<Loaded>> {
        load(read, &self.node.actor, country)
    }

    fn may_edit(&self, country: &CountryCode) -> bool {
        &self.node.country == country
    }

    /// Every participating country's assessment status, held or not.
    pub fn legal_overview(&self) -> Result<Vec<AssessmentSummary>> {
        let read = self.store.read();
        let mut out = vec![];
        for c in countries() {
            let loaded = self.load_assessment(&read, &c)?;
            out.push(match loaded {
                Some(l) => AssessmentSummary {
                    country: c.to_string(),
                    present: true,
                    editable: self.may_edit(&c),
                    tally: l.assessment.tally(),
                    catalogue_version: l.assessment.catalogue_version,
                    demo: l.assessment.demo,
                    updated_at: Some(l.row.updated_at),
                },
                None => AssessmentSummary {
                    country: c.to_string(),
                    present: false,
                    editable: self.may_edit(&c),
                    tally: LegalAssessment::new(
                        Owner {
                            country: c.clone(),
                            node: String::new(),
                        },
                        false,
                    )
                    .tally(),
                    catalogue_version: legal::CATALOGUE_VERSION,
                    demo: false,
                    updated_at: None,
                },
            });
        }
        Ok(out)
    }

    /// A country's assessment. This node's own country gets a fresh one
    /// (not stored until the first edit) when none exists yet.
    pub fn legal_assessment(&self, country: &str) -> Result<AssessmentView> {
        let c = parse_country(country)?;
        let editable = self.may_edit(&c);
        let today = Utc::now().date_naive();
        let Some(l) = self.load_assessment(&self.store.read(), &c)? else {
            if !editable {
                return Err(CoreError::NoAssessment {
                    country: c.to_string(),
                });
            }
            let a = LegalAssessment::new(self.node.owner(), false);
            return Ok(AssessmentView {
                tally: a.tally(),
                assessment: a,
                stored: false,
                editable,
                conflicts: vec![],
                issues: vec![],
                updated_at: None,
            });
        };
        let mut conflicts = vec![];
        let mut issues = vec![];
        for it in l.assessment.catalogue() {
            for field in CHOOSABLE {
                let values = l.doc.conflicts_at(&["items", it.id, field])?;
                if values.len() > 1 {
                    conflicts.push(FieldConflict {
                        item: it.id.to_owned(),
                        field: (*field).to_owned(),
                        values,
                    });
                }
            }
            for issue in validate_item(it.id, &l.assessment.item(it.id), today) {
                issues.push(ItemIssue {
                    item: it.id.to_owned(),
                    issue,
                });
            }
        }
        Ok(AssessmentView {
            tally: l.assessment.tally(),
            assessment: l.assessment,
            stored: true,
            editable,
            conflicts,
            issues,
            updated_at: Some(l.row.updated_at),
        })
    }

    /// Applies a JSON merge patch to one item of this node's country's
    /// assessment (created on first use).
    pub fn update_legal_item(
        &mut self,
        country: &str,
        item: &str,
        patch: &Value,
    ) -> Result<ItemSaved> {
        let Value::Object(fields) = patch else {
            return Err(CoreError::Input(InputError {
                path: String::new(),
                detail: "a merge patch must be a JSON object".into(),
            }));
        };
        for f in ITEM_PROTECTED {
            if fields.contains_key(*f) {
                return Err(CoreError::Patch {
                    field: (*f).to_owned(),
                    key: "err-patch-immutable",
                });
            }
        }
        self.modify_item(country, item, "update", |_doc, current, path| {
            let mut value =
                serde_json::to_value(&*current).map_err(|e| CoreError::Internal(e.to_string()))?;
            merge_patch(&mut value, patch);
            let next: AssessmentItem = from_value(value).map_err(|mut e| {
                e.path = format!("{path}.{}", e.path)
                    .trim_end_matches('.')
                    .to_owned();
                CoreError::Input(e)
            })?;
            *current = next;
            Ok(None)
        })
    }

    /// Records the user's choice between concurrent values of one field:
    /// the chosen value is written again, superseding every other one.
    pub fn choose_legal_value(
        &mut self,
        country: &str,
        item: &str,
        field: &str,
        value: &Value,
    ) -> Result<ItemSaved> {
        if !CHOOSABLE.contains(&field) {
            return Err(CoreError::Input(InputError {
                path: field.to_owned(),
                detail: format!("choose one of: {}", CHOOSABLE.join(", ")),
            }));
        }
        let id = check_item(item)?.id;
        let field = field.to_owned();
        let value = value.clone();
        self.modify_item(country, item, "resolve", move |doc, current, _| {
            let mut v =
                serde_json::to_value(&*current).map_err(|e| CoreError::Internal(e.to_string()))?;
            if let Value::Object(m) = &mut v {
                m.insert(field.clone(), value.clone());
            }
            *current = from_value(v)?;
            doc.put_scalar_at(&["items", id, &field], &value)?;
            Ok(Some(field))
        })
    }

    /// Loads (or creates) the assessment, lets `f` change one item,
    /// validates, stamps and saves it in one transaction.
    fn modify_item(
        &mut self,
        country: &str,
        item: &str,
        action: &str,
        f: impl FnOnce(&mut Document, &mut AssessmentItem, &str) -> Result<Option<String>>,
    ) -> Result<ItemSaved> {
        let c = parse_country(country)?;
        let it = check_item(item)?;
        if !self.may_edit(&c) {
            return Err(CoreError::NotOwner {
                country: c.to_string(),
            });
        }
        let now = Utc::now();
        let at = now_string();
        let by = self.by();
        let node = &self.node;
        let resolving = action == "resolve";
        // Load, change and save in one transaction: a concurrent writer
        // (the CLI while the app is open) cannot slip in between.
        self.store.write(|tx| {
            let (mut assessment, mut doc, created) = match load(&tx.read(), &node.actor, &c)? {
                Some(l) => (l.assessment, l.doc, false),
                None if resolving => {
                    return Err(CoreError::NoAssessment {
                        country: c.to_string(),
                    });
                }
                None => (
                    LegalAssessment::new(node.owner(), false),
                    Document::new(node.actor.clone()),
                    true,
                ),
            };
            if assessment.owner.country != c {
                return Err(CoreError::NotOwner {
                    country: assessment.owner.country.to_string(),
                });
            }
            assessment.upgrade();
            let before = assessment.item(it.id);
            let mut current = before.clone();
            // A choice names its field even when nothing else differs.
            let chosen = f(&mut doc, &mut current, &format!("items.{}", it.id))?;
            let issues = validate_item(it.id, &current, now.date_naive());
            if has_errors(&issues) {
                return Err(CoreError::Invalid(
                    issues
                        .into_iter()
                        .map(|mut i| {
                            i.path = format!("{}.{}", it.id, i.path);
                            i
                        })
                        .collect(),
                ));
            }
            let mut fields: Vec<String> = changed_fields(&before, &current)?
                .into_iter()
                .map(|f| format!("{}.{f}", it.id))
                .collect();
            if fields.is_empty() && !created && !resolving {
                return Ok(ItemSaved {
                    country: c.to_string(),
                    tally: assessment.tally(),
                    item: current,
                    changed: vec![],
                    issues,
                });
            }
            if let Some(c) = chosen.map(|c| format!("{}.{c}", it.id))
                && !fields.contains(&c)
            {
                fields.push(c);
            }
            current.updated_at = Some(now);
            current.updated_by = by.clone();
            assessment.items.insert(it.id.to_owned(), current.clone());
            doc.write(&assessment)?;
            let change = doc.commit(
                &ChangeMessage {
                    by: by.clone(),
                    fields: fields.clone(),
                    action: if created {
                        "create".into()
                    } else {
                        action.into()
                    },
                },
                now,
            )?;
            let row = App::doc_row(
                &assessment.id.to_string(),
                KIND,
                &assessment.owner,
                &assessment.audience,
                &mut doc,
                &at,
            )?;
            // No operation at all (a value chosen that had no rival): the
            // document is unchanged, and so is what is stored.
            if change.is_none() {
                fields.clear();
            }
            persist_with(node, tx, row, change, &at)?;
            Ok(ItemSaved {
                country: c.to_string(),
                tally: assessment.tally(),
                item: current,
                changed: fields,
                issues,
            })
        })
    }

    /// The changes of one item, oldest first, with old and new values.
    pub fn legal_item_history(&self, country: &str, item: &str) -> Result<Vec<ItemChange>> {
        let c = parse_country(country)?;
        let it = check_item(item)?;
        let Some(mut l) = self.load_assessment(&self.store.read(), &c)? else {
            return Ok(vec![]);
        };
        let prefix = format!("{}.", it.id);
        changes_with_values(&mut l.doc, |f| {
            f.strip_prefix(&prefix)
                .map(|rest| vec!["items".into(), it.id.into(), rest.into()])
        })
    }

    /// The harmonisation matrix over the participating countries.
    pub fn legal_matrix(&self) -> Result<LegalMatrixView> {
        let overview = self.legal_overview()?;
        let read = self.store.read();
        let mut held = vec![];
        for s in &overview {
            let c = parse_country(&s.country)?;
            held.push(self.load_assessment(&read, &c)?.map(|l| l.assessment));
        }
        let rows = legal::CATALOGUE
            .iter()
            .map(|it| MatrixRow {
                item: it.id.to_owned(),
                statuses: held
                    .iter()
                    .map(|a| {
                        a.as_ref()
                            .map_or(AssessmentStatus::NotAssessed, |a| a.item(it.id).status)
                    })
                    .collect(),
            })
            .collect();
        Ok(LegalMatrixView {
            countries: overview,
            rows,
        })
    }

    /// Every assessment this node holds, in the region's order.
    fn held_assessments(&self) -> Result<Vec<LegalAssessment>> {
        let read = self.store.read();
        let mut out = vec![];
        for c in countries() {
            if let Some(l) = self.load_assessment(&read, &c)? {
                out.push(l.assessment);
            }
        }
        Ok(out)
    }

    /// Writes every held assessment as CSV (one row per country and item;
    /// labels in `lang`), atomically. Returns the number of rows.
    pub fn legal_export_csv(&mut self, out: &Path, lang: Lang) -> Result<u64> {
        let held = self.held_assessments()?;
        let mut w = csv::Writer::from_writer(vec![]);
        let csv_err = |e: csv::Error| CoreError::Internal(e.to_string());
        w.write_record([
            "country",
            "country_name",
            "item",
            "instrument",
            "article",
            "obligation",
            "status",
            "status_label",
            "provisions",
            "gap",
            "proposal",
            "evidence",
            "assessor",
            "assessed_on",
            "updated_at",
            "updated_by",
            "catalogue_version",
            "demo",
        ])
        .map_err(csv_err)?;
        let mut rows = 0u64;
        for a in &held {
            for it in a.catalogue() {
                let item = a.item(it.id);
                let provisions = item
                    .provisions
                    .iter()
                    .map(|p| match p.year {
                        Some(y) => format!("{}, {} ({y})", p.law, p.article),
                        None => format!("{}, {}", p.law, p.article),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let evidence = item
                    .evidence
                    .iter()
                    .map(|e| format!("{}: {}", e.kind.label(lang), e.reference))
                    .collect::<Vec<_>>()
                    .join("; ");
                w.write_record([
                    a.country.as_str(),
                    &a.country.name(lang),
                    it.id,
                    it.instrument.as_str(),
                    it.article,
                    it.obligation.as_str(),
                    item.status.as_str(),
                    &item.status.label(lang),
                    &provisions,
                    &item.gap,
                    &item.proposal,
                    &evidence,
                    &item.assessor,
                    &item.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
                    &item.updated_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
                    &item.updated_by,
                    &a.catalogue_version.to_string(),
                    if a.demo { "true" } else { "false" },
                ])
                .map_err(csv_err)?;
                rows += 1;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, &format!("legal csv, {rows} rows"))?;
        Ok(rows)
    }

    /// Writes the harmonisation matrix as PDF. Returns the file size.
    pub fn legal_matrix_pdf(
        &mut self,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        let held = self.held_assessments()?;
        let bytes = enlace_report::legal_matrix(&enlace_report::LegalMatrix {
            lang,
            paper,
            countries: countries(),
            assessments: &held,
            generated_at: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            node: self.node.name.clone(),
        })?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, "legal matrix pdf")?;
        Ok(bytes.len() as u64)
    }

    fn audit_export(&mut self, out: &Path, what: &str) -> Result<()> {
        let by = self.by();
        let target = out.display().to_string();
        self.store
            .write(|tx| tx.audit(&now_string(), &by, "export", &target, what))?;
        Ok(())
    }
}

impl App {
    /// Stores demonstration assessments in one transaction.
    pub(crate) fn store_demo_assessments(&mut self, docs: Vec<LegalAssessment>) -> Result<u64> {
        let now = Utc::now();
        let at = now_string();
        let node = &self.node;
        self.store.write(|tx| {
            for a in &docs {
                let mut doc = Document::new(node.actor.clone());
                doc.write(a)?;
                commit_and_persist(
                    node,
                    tx,
                    &mut doc,
                    (&a.id.to_string(), KIND, &a.owner, &a.audience),
                    ("demo", vec!["items".into()], "create"),
                    now,
                    &at,
                )?;
            }
            Ok(docs.len() as u64)
        })
    }
}

/// Top-level fields of an item that differ (ignoring the stamps).
fn changed_fields(a: &AssessmentItem, b: &AssessmentItem) -> Result<Vec<String>> {
    let to = |i: &AssessmentItem| {
        serde_json::to_value(i).map_err(|e| CoreError::Internal(e.to_string()))
    };
    let (Value::Object(x), Value::Object(y)) = (to(a)?, to(b)?) else {
        return Ok(vec![]);
    };
    let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
    keys.sort();
    keys.dedup();
    Ok(keys
        .into_iter()
        .filter(|k| !ITEM_PROTECTED.contains(&k.as_str()) && x.get(*k) != y.get(*k))
        .cloned()
        .collect())
}

/// Writes `bytes` to `out` through a temporary file renamed into place, so
/// a failure leaves no partial file.
pub(crate) fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| CoreError::Io {
        path: out.to_owned(),
        source: e,
    };
    let tmp = out.with_extension("partial");
    let result = (|| {
        // Exports and bundles are readable by their owner only.
        let mut f = enlace_store::private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// A document's changes, oldest first, each with the old and new value of
/// the fields it names. `path_of` maps a field named in a change message to
/// its path in the document, or skips it (`None`); changes with no field
/// left are skipped.
pub(crate) fn changes_with_values(
    doc: &mut Document,
    path_of: impl Fn(&str) -> Option<Vec<String>>,
) -> Result<Vec<ItemChange>> {
    // One read of the whole document per set of heads (a change's deps are
    // usually the previous change, read already), then plain lookups: a
    // historical read per field would cost as much as the whole document.
    let mut roots: std::collections::HashMap<Vec<String>, Value> = Default::default();
    let mut root_at = |doc: &Document, heads: &[String]| -> Result<Value> {
        let mut key = heads.to_vec();
        key.sort();
        if let Some(v) = roots.get(&key) {
            return Ok(v.clone());
        }
        let v = doc.value_at(&[], heads)?.unwrap_or(Value::Null);
        roots.insert(key, v.clone());
        Ok(v)
    };
    let lookup = |root: &Value, path: &[String]| -> Option<Value> {
        path.iter()
            .try_fold(root, |v, k| v.get(k.as_str()))
            .filter(|v| !v.is_null())
            .cloned()
    };
    let mut out = vec![];
    for e in doc.history() {
        let paths: Vec<Vec<String>> = e.fields.iter().filter_map(|f| path_of(f)).collect();
        if paths.is_empty() {
            continue;
        }
        let before_root = root_at(doc, &e.deps)?;
        let after_root = root_at(doc, std::slice::from_ref(&e.hash))?;
        let changes = paths
            .iter()
            .map(|path| FieldChange {
                field: path.last().cloned().unwrap_or_default(),
                before: lookup(&before_root, path),
                after: lookup(&after_root, path),
            })
            .collect();
        out.push(ItemChange {
            hash: e.hash,
            by: e.by,
            time: e.time,
            action: e.action,
            changes,
        });
    }
    Ok(out)
}
