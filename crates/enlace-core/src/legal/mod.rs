//! Legal assessments: one `legal_assessment` document per country (owned by
//! that country, audience regional), the harmonisation matrix derived from
//! them, each item's history with old and new values, concurrent values and
//! the user's choice between them, CSV export and the matrix PDF.

mod export;

use chrono::Utc;
use enlace_docs::Document;
use enlace_domain::assessment::{ITEM_PROTECTED, assessment_id, validate_item};
use enlace_domain::input::InputError;
use enlace_domain::legal::{self, AssessmentStatus};
use enlace_domain::{AssessmentItem, CountryCode, LegalAssessment, Owner, Tally};
use enlace_store::{DocRow, Read};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::edit::{self, Author, Change, Editing, New, Rule, Validation};
use crate::{App, CoreError, FieldConflict, ItemChange, Result, history};

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
    /// The assessment's heads as read (empty before it is stored): what an
    /// item's editor sends as `base`.
    pub heads: Vec<String>,
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
    /// What the item's editor sends as `base` with its next change.
    pub heads: Vec<String>,
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
    let id = assessment_id(country).to_string();
    Ok(
        edit::load::<LegalAssessment>(read, actor, &id)?.map(|(assessment, doc, row)| Loaded {
            assessment,
            doc,
            row,
        }),
    )
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
                heads: vec![],
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
            heads: serde_json::from_str(&l.row.heads).unwrap_or_default(),
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
        self.update_legal_item_from(country, item, patch, None)
    }

    /// [`update_legal_item`](App::update_legal_item) from an editor that
    /// read the assessment at `base` (its `heads` then, or its last
    /// save's): made on the assessment as it read it and merged, so what
    /// sync brought since is kept.
    pub fn update_legal_item_from(
        &mut self,
        country: &str,
        item: &str,
        patch: &Value,
        base: Option<&[String]>,
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
        let path = format!("items.{}", check_item(item)?.id);
        self.modify_item(country, item, "update", base, |_, current| {
            let next: AssessmentItem = edit::patched(&*current, patch)?.map_err(|mut e| {
                e.path = format!("{path}.{}", e.path)
                    .trim_end_matches('.')
                    .to_owned();
                CoreError::Input(e)
            })?;
            *current = next;
            Ok(())
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
        edit::choosable(field, CHOOSABLE)?;
        let id = check_item(item)?.id;
        self.modify_item(country, item, "resolve", None, |e, current| {
            *current = edit::with_field(&*current, field, value)?;
            e.choose(&["items", id, field], format!("{id}.{field}"), value)
        })
    }

    /// Loads (or creates) the assessment, lets `f` change one item, and
    /// saves it through the edit path in one transaction: a concurrent
    /// writer (the CLI while the app is open) cannot slip in between.
    fn modify_item(
        &mut self,
        country: &str,
        item: &str,
        action: &str,
        base: Option<&[String]>,
        f: impl FnOnce(&mut Editing<'_>, &mut AssessmentItem) -> Result<()>,
    ) -> Result<ItemSaved> {
        let c = parse_country(country)?;
        let it = check_item(item)?;
        if !self.may_edit(&c) {
            return Err(CoreError::NotOwner {
                country: c.to_string(),
            });
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        let resolving = action == "resolve";
        let id = assessment_id(&c).to_string();
        self.store.write(|tx| {
            let stored = tx.read().doc(&id)?.is_some();
            if resolving && !stored {
                return Err(CoreError::NoAssessment {
                    country: c.to_string(),
                });
            }
            let change = Change {
                id: &id,
                shown_as: country,
                action,
                rule: Rule::Owner,
                base,
                validation: Validation::Refuse,
                or_new: Some(LegalAssessment::new(author.node.owner(), false)),
            };
            let saved = edit::edit(tx, &author, change, |e, a: &mut LegalAssessment| {
                a.upgrade();
                let mut current = a.item(it.id);
                f(e, &mut current)?;
                a.items.insert(it.id.to_owned(), current);
                Ok(())
            })?;
            let item = saved.value.item(it.id);
            Ok(ItemSaved {
                country: c.to_string(),
                tally: saved.value.tally(),
                issues: validate_item(it.id, &item, author.today()),
                item,
                changed: saved.changed,
                heads: saved.heads,
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
        history::changes_with_values(&mut l.doc, |f| {
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
}

impl App {
    /// Stores demonstration assessments in one transaction.
    pub(crate) fn store_demo_assessments(&mut self, docs: Vec<LegalAssessment>) -> Result<u64> {
        let author = Author::new(&self.node, "demo".into(), self.session.role);
        self.store.write(|tx| {
            for a in &docs {
                let new = New {
                    action: "create",
                    fields: Some(vec!["items".into()]),
                    issues: &[],
                };
                edit::create(tx, &author, a, new)?;
            }
            Ok(docs.len() as u64)
        })
    }
}
