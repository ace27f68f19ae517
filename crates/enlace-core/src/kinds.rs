//! Each kind of document's rules for the one edit path ([`Kind`]): what
//! identifies it, what a change stamps, how it is validated and indexed.

use chrono::NaiveDate;
use enlace_domain::assessment::{ITEM_PROTECTED, assessment_id, validate_item};
use enlace_domain::plan::validate_task;
use enlace_domain::validate::{validate_case, validate_identity};
use enlace_domain::{
    AssessmentItem, Audience, Case, ClassificationChange, CountryCode, DocKind, Issue,
    LegalAssessment, Owner, Permission, Person, PlanTask, StatusChange,
};
use enlace_store::{Read, WriteTx};
use serde_json::Value;

use crate::edit::{IndexCx, Kind, Stamp};
use crate::{CoreError, Result, index};

impl Kind for Case {
    const KIND: DocKind = DocKind::Case;
    const EDIT: Permission = Permission::EditCases;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    fn audience(&self) -> Audience {
        self.audience.clone()
    }

    /// The reference changes only by renumbering: the old one appended to
    /// `former_references` (which nothing else changes).
    fn keep_identity(&mut self, before: &Case) {
        self.id = before.id;
        let renumbered = self.reference != before.reference
            && self.former_references.len() == before.former_references.len() + 1
            && self
                .former_references
                .starts_with(&before.former_references)
            && self.former_references.last() == Some(&before.reference);
        if !renumbered {
            self.reference.clone_from(&before.reference);
            self.former_references.clone_from(&before.former_references);
        }
        self.owner.clone_from(&before.owner);
    }

    /// A new classification or status goes into its history.
    fn stamp(&mut self, before: &Case, s: &Stamp<'_>) {
        if self.classification != before.classification {
            self.classification_history.push(ClassificationChange {
                id: String::new(),
                classification: self.classification,
                at: s.now,
                by: s.by.to_owned(),
                reason: None,
            });
        }
        if self.status != before.status {
            self.status_history.push(StatusChange {
                id: String::new(),
                status: self.status,
                date: s.now.date_naive(),
                by: s.by.to_owned(),
            });
        }
    }

    fn validate(&self, _before: &Case, today: NaiveDate) -> Vec<Issue> {
        validate_case(self, today)
    }

    /// The case list and search index, with the names of its persons held
    /// on this node.
    fn index(&self, tx: &WriteTx<'_>, cx: &IndexCx<'_>) -> Result<()> {
        let names = index::person_names(&tx.read(), self, cx.actor)?;
        let case = index::findable(self, cx.doc);
        tx.index_case(&index::case_row(&case, &names, cx.issues, cx.at))?;
        Ok(())
    }
}

impl Kind for Person {
    const KIND: DocKind = DocKind::Person;
    const EDIT: Permission = Permission::EditCases;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    /// Identifying data never leaves its country.
    fn audience(&self) -> Audience {
        Audience::national()
    }

    fn reach(&self) -> Vec<String> {
        self.nodes.clone()
    }

    fn grants(&self) -> Vec<String> {
        self.grants
            .iter()
            .filter(|g| g.revoked_at.is_none() && g.within_bound())
            .map(|g| format!("{}:{}", g.country, g.until))
            .collect()
    }

    fn keep_identity(&mut self, before: &Person) {
        self.id = before.id;
        self.owner.clone_from(&before.owner);
    }

    fn validate(&self, _before: &Person, today: NaiveDate) -> Vec<Issue> {
        validate_identity(&self.identity, today)
    }
}

impl Kind for enlace_domain::RiskRecord {
    const KIND: DocKind = DocKind::RiskAssessment;
    const EDIT: Permission = Permission::EditCases;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    /// A victim's risk never leaves its country but under the person's
    /// grants, which it carries.
    fn audience(&self) -> Audience {
        Audience::national()
    }

    fn reach(&self) -> Vec<String> {
        self.nodes.clone()
    }

    fn grants(&self) -> Vec<String> {
        self.grants
            .iter()
            .filter(|g| g.revoked_at.is_none() && g.within_bound())
            .map(|g| format!("{}:{}", g.country, g.until))
            .collect()
    }

    /// Whose risk it is does not change.
    fn keep_identity(&mut self, before: &Self) {
        self.id = before.id;
        self.case = before.case;
        self.pseudonym.clone_from(&before.pseudonym);
        self.person_ref = before.person_ref;
        self.owner.clone_from(&before.owner);
    }

    /// Each new assessment records who recorded it and when.
    fn stamp(&mut self, before: &Self, s: &Stamp<'_>) {
        for e in &mut self.assessments {
            if !before.assessments.iter().any(|b| b.id == e.id) {
                e.by = s.by.to_owned();
                e.recorded_at = s.now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            }
        }
    }

    /// The assessments added, against those they review.
    fn validate(&self, before: &Self, today: NaiveDate) -> Vec<Issue> {
        let mut out = vec![];
        for (n, e) in self.assessments.iter().enumerate() {
            if before.assessments.iter().any(|b| b.id == e.id) {
                continue;
            }
            let reviewed: Vec<&enlace_domain::RiskEntry> = self
                .assessments
                .iter()
                .filter(|o| e.reviews.contains(&o.id))
                .collect();
            out.extend(
                enlace_domain::risk::validate_entry(e, &reviewed, today)
                    .into_iter()
                    .map(|mut i| {
                        i.path = format!("assessments[{n}].{}", i.path);
                        i
                    }),
            );
        }
        out
    }

    /// The victim's row of the "reviews due" list and of the case list.
    fn index(&self, tx: &WriteTx<'_>, cx: &IndexCx<'_>) -> Result<()> {
        crate::risk::index_victim(tx, cx.actor, self)
    }
}

impl Kind for enlace_domain::Agency {
    const KIND: DocKind = DocKind::Agency;
    const EDIT: Permission = Permission::EditCases;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    fn audience(&self) -> Audience {
        self.audience.clone()
    }

    /// An entry stays its country's.
    fn keep_identity(&mut self, before: &Self) {
        self.id = before.id;
        self.country.clone_from(&before.country);
        self.owner.clone_from(&before.owner);
        self.audience.clone_from(&before.audience);
        // A demonstration entry stays one (and a real one real).
        self.demo = before.demo;
    }

    fn validate(&self, _before: &Self, _today: NaiveDate) -> Vec<Issue> {
        enlace_domain::agency::validate_agency(self)
    }
}

impl Kind for LegalAssessment {
    /// Not across an upgrade of the catalogue: the fork would add the new
    /// items' maps a second time, apart from the ones stored.
    fn may_fork(base: &Self, current: &Self) -> bool {
        base.catalogue_version == current.catalogue_version
    }

    const KIND: DocKind = DocKind::LegalAssessment;
    const EDIT: Permission = Permission::EditAssessments;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    fn audience(&self) -> Audience {
        self.audience.clone()
    }

    /// Every node of a country starts the country's assessment from the
    /// same root, every item of the catalogue not yet assessed, owned by
    /// the country rather than by the node that happened to write first.
    fn genesis(id: &str) -> Option<LegalAssessment> {
        CountryCode::members()
            .iter()
            .find(|c| assessment_id(c).to_string() == id)
            .map(LegalAssessment::root)
    }

    fn keep_identity(&mut self, before: &LegalAssessment) {
        self.id = before.id;
        self.country.clone_from(&before.country);
        self.owner.clone_from(&before.owner);
        self.audience.clone_from(&before.audience);
    }

    /// Each item changed (or chosen) records who and when.
    fn stamp(&mut self, before: &LegalAssessment, s: &Stamp<'_>) {
        let chosen = s
            .chosen
            .and_then(|c| c.split_once('.'))
            .map(|(item, _)| item);
        for (id, item) in &mut self.items {
            if Some(id.as_str()) == chosen || !same_item(&before.item(id), item) {
                item.updated_at = Some(s.now);
                item.updated_by = s.by.to_owned();
            }
        }
    }

    /// The items changed, each under its id (`TIP-05.gap`).
    fn validate(&self, before: &LegalAssessment, today: NaiveDate) -> Vec<Issue> {
        let mut out = vec![];
        for (id, item) in &self.items {
            if same_item(&before.item(id), item) {
                continue;
            }
            out.extend(validate_item(id, item, today).into_iter().map(|mut i| {
                i.path = format!("{id}.{}", i.path);
                i
            }));
        }
        out
    }

    /// `TIP-05.status`: the item and its field, for every item changed.
    fn changed_fields(
        before: &LegalAssessment,
        after: &LegalAssessment,
        _written: Vec<String>,
    ) -> Result<Vec<String>> {
        let mut out = vec![];
        for (id, item) in &after.items {
            for f in item_fields_changed(&before.item(id), item)? {
                out.push(format!("{id}.{f}"));
            }
        }
        Ok(out)
    }
}

/// Two items alike but for their stamps.
fn same_item(a: &AssessmentItem, b: &AssessmentItem) -> bool {
    let unstamped = |i: &AssessmentItem| AssessmentItem {
        updated_at: None,
        updated_by: String::new(),
        ..i.clone()
    };
    unstamped(a) == unstamped(b)
}

/// Top-level fields of an item that differ (ignoring the stamps).
pub(crate) fn item_fields_changed(a: &AssessmentItem, b: &AssessmentItem) -> Result<Vec<String>> {
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

impl Kind for PlanTask {
    const KIND: DocKind = DocKind::PlanTask;
    const EDIT: Permission = Permission::EditTasks;

    fn id(&self) -> String {
        self.id.to_string()
    }

    fn owner(&self) -> &Owner {
        &self.owner
    }

    fn audience(&self) -> Audience {
        self.audience.clone()
    }

    /// Its identity and scope ([`crate::plan::TASK_PROTECTED`]).
    fn keep_identity(&mut self, before: &PlanTask) {
        self.id = before.id;
        self.owner.clone_from(&before.owner);
        self.audience.clone_from(&before.audience);
        self.country.clone_from(&before.country);
        self.demo = before.demo;
    }

    fn validate(&self, _before: &PlanTask, today: NaiveDate) -> Vec<Issue> {
        validate_task(self, today)
    }

    fn check_links(&self, read: &Read<'_>) -> Result<()> {
        crate::plan::check_dependencies(read, self, &Default::default())
    }
}

/// Documents of `kind` start from a common root ([`Kind::genesis`]).
pub(crate) fn has_common_root(kind: DocKind) -> bool {
    kind == DocKind::LegalAssessment
}

/// A fresh document for `id` received as kind `kind`: its kind's common
/// root (see [`Kind::genesis`]), with the owner country that root names,
/// when one of the received changes follows it (`deps` are what they
/// depend on); else empty — a document made before common roots, or by a
/// peer that did not start from it, is not grafted onto one.
pub(crate) fn fresh_received(
    kind: DocKind,
    id: &str,
    actor: &automerge::ActorId,
    deps: &[[u8; 32]],
) -> Result<(enlace_docs::Document, Option<String>)> {
    fn root<K: Kind>(
        id: &str,
        actor: &automerge::ActorId,
        deps: &[[u8; 32]],
    ) -> Result<(enlace_docs::Document, Option<String>)> {
        let (mut doc, value) = crate::edit::fresh::<K>(id, actor)?;
        let follows = doc.head_hashes().iter().any(|h| deps.contains(h));
        Ok(match value {
            Some(v) if follows => (doc, Some(v.owner().country.to_string())),
            _ => (enlace_docs::Document::new(actor.clone()), None),
        })
    }
    match kind {
        DocKind::LegalAssessment => root::<LegalAssessment>(id, actor, deps),
        _ => Ok((enlace_docs::Document::new(actor.clone()), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use enlace_domain::CountryCode;
    use enlace_domain::legal::AssessmentStatus;

    fn assessment() -> LegalAssessment {
        let gt = CountryCode::parse("GT").expect("GT");
        LegalAssessment::new(
            Owner {
                country: gt,
                node: "n".into(),
            },
            false,
        )
    }

    #[test]
    fn a_legal_change_names_stamps_and_validates_only_the_items_it_touches() {
        let before = assessment();
        let first = before.items.keys().next().cloned().expect("an item");
        let mut after = before.clone();
        let item = after.items.get_mut(&first).expect("item");
        item.status = AssessmentStatus::NotCompliant;
        item.gap = "falta tipificar".into();
        let fields = LegalAssessment::changed_fields(&before, &after, vec![]).expect("fields");
        assert_eq!(
            fields,
            vec![format!("{first}.gap"), format!("{first}.status")]
        );
        let now = Utc::now();
        after.stamp(
            &before,
            &Stamp {
                by: "n/ana",
                now,
                chosen: None,
            },
        );
        for (id, item) in &after.items {
            let stamped = item.updated_at.is_some();
            assert_eq!(stamped, *id == first, "{id}");
        }
        // A stamp is not a change.
        let again = LegalAssessment::changed_fields(&before, &after, vec![]).expect("fields");
        assert_eq!(again.len(), 2);
        // A choice stamps its item even when the value is the one shown.
        let mut chosen = before.clone();
        let last = before.items.keys().last().cloned().expect("item");
        chosen.stamp(
            &before,
            &Stamp {
                by: "n",
                now,
                chosen: Some(&format!("{last}.status")),
            },
        );
        assert!(chosen.items[&last].updated_at.is_some());
        assert!(chosen.validate(&before, now.date_naive()).is_empty());
    }

    #[test]
    fn a_change_cannot_move_a_task_to_another_country() {
        let gt = CountryCode::parse("GT").expect("GT");
        let hn = CountryCode::parse("HN").expect("HN");
        let t: PlanTask = serde_json::from_value(serde_json::json!({
            "id": "8d9f7c3e-2c1a-4f7b-9a3e-0c0d7f1e2a3b", "component": "cooperation",
            "output": "1.1", "title": {"es": "Tarea"}, "country": "GT", "due": "2027-01-01",
            "status": "not_started", "kind": "task",
            "owner": {"country": "GT", "node": "n"}, "audience": {"scope": "national"},
        }))
        .expect("task");
        let mut moved = t.clone();
        moved.country = Some(hn.clone());
        moved.owner.country = hn;
        moved.demo = true;
        moved.keep_identity(&t);
        assert_eq!(moved.country, Some(gt.clone()));
        assert_eq!(moved.owner.country, gt);
        assert!(!moved.demo);
    }
}
