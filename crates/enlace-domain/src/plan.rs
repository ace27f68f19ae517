//! The `plan_task` document: one task of the Regional (or a National) Plan
//! of Action, under one of the programme's four components and one
//! objective/output. Regional tasks have a regional audience; national
//! tasks (with a country) a national one.

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::case::Audience;
use crate::country::CountryCode;
use crate::enums::closed_enum;
use crate::ids::Owner;
use crate::validate::{Issue, MAX_SHORT, MAX_TEXT, MAX_TITLE, Severity, text};

closed_enum!(
    /// The programme's four components.
    Component, "component" {
        Cooperation => "cooperation",
        Training => "training",
        Network => "network",
        Protection => "protection",
    }
);

impl Component {
    /// 1 to 4, as the programme numbers them.
    pub fn number(self) -> u8 {
        match self {
            Component::Cooperation => 1,
            Component::Training => 2,
            Component::Network => 3,
            Component::Protection => 4,
        }
    }
}

closed_enum!(
    /// Where a task stands.
    TaskStatus, "task-status" {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Done => "done",
        Blocked => "blocked",
        Cancelled => "cancelled",
    }
);

closed_enum!(
    /// What kind of activity a task is.
    TaskKind, "task-kind" {
        Task => "task",
        Workshop => "workshop",
        Consultation => "consultation",
        Campaign => "campaign",
    }
);

closed_enum!(
    /// Who takes part in a workshop.
    Sector, "sector" {
        Police => "police",
        Prosecutors => "prosecutors",
        Judges => "judges",
        Defenders => "defenders",
        Immigration => "immigration",
        Ngo => "ngo",
    }
);

/// A text in both languages (Spanish first; English may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct LocalText {
    pub es: String,
    #[serde(default)]
    pub en: String,
}

impl LocalText {
    /// The text in `lang`, falling back to the other language.
    pub fn get(&self, lang: crate::i18n::Lang) -> &str {
        let (first, other) = match lang {
            crate::i18n::Lang::Es => (&self.es, &self.en),
            crate::i18n::Lang::En => (&self.en, &self.es),
        };
        if first.trim().is_empty() {
            other
        } else {
            first
        }
    }
}

/// An indicator of a task: what is counted, the target and what was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PlanIndicator {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub label: String,
    pub target: f64,
    #[serde(default)]
    pub actual: f64,
}

/// How many participants of one sector (workshops).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SectorCount {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub sector: Sector,
    pub count: u32,
}

/// One task of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PlanTask {
    #[ts(type = "string")]
    pub id: Uuid,
    /// A short code people use in meetings, e.g. `1.2.3`.
    #[serde(default)]
    pub code: String,
    pub component: Component,
    /// The objective/output the task serves, e.g. `1.2 Marco jurídico armonizado`.
    pub output: String,
    pub title: LocalText,
    #[serde(default)]
    pub description: LocalText,
    /// The country of a national task; none for a regional one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub country: Option<CountryCode>,
    /// The agency responsible.
    #[serde(default)]
    pub agency: String,
    /// The person responsible.
    #[serde(default)]
    pub responsible: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub start: Option<NaiveDate>,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub status: TaskStatus,
    /// 0 to 100.
    #[serde(default)]
    pub progress: u8,
    #[serde(default)]
    pub indicators: Vec<PlanIndicator>,
    /// Tasks that must finish first.
    #[serde(default)]
    #[ts(type = "string[]")]
    pub depends_on: Vec<Uuid>,
    pub kind: TaskKind,
    /// Workshops: participants by sector.
    #[serde(default)]
    pub participants: Vec<SectorCount>,
    /// The latest note for the meeting (what happened, what is needed).
    #[serde(default)]
    pub notes: String,
    pub owner: Owner,
    pub audience: Audience,
    #[serde(default)]
    pub demo: bool,
}

impl PlanTask {
    /// Past due and neither done nor cancelled.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due < today && !matches!(self.status, TaskStatus::Done | TaskStatus::Cancelled)
    }

    /// The audience a task of this scope has.
    pub fn audience_for(country: Option<&CountryCode>) -> Audience {
        match country {
            Some(_) => Audience::national(),
            None => Audience::regional(),
        }
    }

    pub fn is_regional(&self) -> bool {
        self.country.is_none()
    }
}

/// Validates a task as of `today`.
pub fn validate_task(t: &PlanTask, _today: NaiveDate) -> Vec<Issue> {
    let mut v = vec![];
    if t.title.es.trim().is_empty() && t.title.en.trim().is_empty() {
        v.push(Issue::new(
            Severity::Error,
            "title.es",
            "val-title-required",
        ));
    }
    text(&mut v, "title.es", &t.title.es, MAX_TITLE);
    text(&mut v, "title.en", &t.title.en, MAX_TITLE);
    text(&mut v, "description.es", &t.description.es, MAX_TEXT);
    text(&mut v, "description.en", &t.description.en, MAX_TEXT);
    text(&mut v, "output", &t.output, MAX_SHORT);
    text(&mut v, "agency", &t.agency, MAX_SHORT);
    text(&mut v, "responsible", &t.responsible, MAX_SHORT);
    text(&mut v, "notes", &t.notes, MAX_TEXT);
    if t.output.trim().is_empty() {
        v.push(Issue::new(Severity::Error, "output", "val-text-required"));
    }
    if let Some(c) = &t.country
        && !c.is_participating()
    {
        v.push(Issue::new(Severity::Error, "country", "val-owner-country").arg("country", c));
    }
    if let Some(s) = t.start
        && s > t.due
    {
        v.push(
            Issue::new(Severity::Error, "due", "val-dates-reversed")
                .arg("from", s)
                .arg("to", t.due),
        );
    }
    if t.progress > 100 {
        v.push(
            Issue::new(Severity::Error, "progress", "val-plan-progress").arg("value", t.progress),
        );
    }
    if t.status == TaskStatus::Done && t.progress < 100 {
        v.push(
            Issue::new(Severity::Warning, "progress", "val-plan-done-progress")
                .arg("value", t.progress),
        );
    }
    if t.kind != TaskKind::Workshop && !t.participants.is_empty() {
        v.push(Issue::new(
            Severity::Warning,
            "participants",
            "val-plan-participants",
        ));
    }
    if t.depends_on.contains(&t.id) {
        v.push(Issue::new(
            Severity::Error,
            "depends_on",
            "val-plan-self-dependency",
        ));
    }
    for (n, i) in t.indicators.iter().enumerate() {
        if i.label.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("indicators[{n}].label"),
                "val-text-required",
            ));
        }
        if !i.target.is_finite() || !i.actual.is_finite() || i.target < 0.0 || i.actual < 0.0 {
            v.push(Issue::new(
                Severity::Error,
                format!("indicators[{n}]"),
                "val-plan-indicator",
            ));
        }
    }
    v
}

/// Today's date (UTC), for callers without a clock of their own.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The Regional Plan's outputs (`1.1` ... `4.3`), named in the sheet's
/// language: Fluent keys `plan-output-1-1` ...
pub const OUTPUTS: [&str; 12] = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3",
];

/// An output as a sheet in `lang` prints it. A task's output is free text
/// (`1.1 Estrategia y Plan de Acción Regional`); when it is one of the
/// Regional Plan's outputs written as the catalogue names it (in either
/// language, case and accents aside), it is printed with the catalogue's
/// name in `lang`; anything else as written.
pub fn output_label(lang: crate::Lang, output: &str) -> String {
    use crate::i18n::{has, tr};
    let trimmed = output.trim();
    let Some((code, rest)) = trimmed.split_once(' ') else {
        return output.to_owned();
    };
    if !OUTPUTS.contains(&code) {
        return output.to_owned();
    }
    let key = format!("plan-output-{}", code.replace('.', "-"));
    if !has(crate::Lang::Es, &key) {
        return output.to_owned();
    }
    let same = |a: &str, b: &str| crate::text::fold(a.trim()) == crate::text::fold(b.trim());
    let known = crate::Lang::ALL.iter().any(|l| same(rest, &tr(*l, &key)));
    if known {
        format!("{code} {}", tr(lang, &key))
    } else {
        output.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Closed;
    use crate::i18n::{Lang, has};

    fn task() -> PlanTask {
        PlanTask {
            id: Uuid::new_v4(),
            code: "1.2.1".into(),
            component: Component::Cooperation,
            output: "1.2 Marco jurídico armonizado".into(),
            title: LocalText {
                es: "Evaluación legal de Guatemala".into(),
                en: "Legal assessment of Guatemala".into(),
            },
            description: LocalText::default(),
            country: CountryCode::parse("GT"),
            agency: "Ministerio Público".into(),
            responsible: "Lcda. María José Pérez Ávila".into(),
            start: NaiveDate::from_ymd_opt(2026, 2, 1),
            due: NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
            status: TaskStatus::InProgress,
            progress: 40,
            indicators: vec![],
            depends_on: vec![],
            kind: TaskKind::Task,
            participants: vec![],
            notes: String::new(),
            owner: Owner {
                country: CountryCode::parse("GT").expect("GT"),
                node: "n".into(),
            },
            audience: Audience::national(),
            demo: false,
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn overdue_means_past_due_and_still_open() {
        let mut t = task();
        assert!(!t.is_overdue(day("2026-06-30")));
        assert!(t.is_overdue(day("2026-07-01")));
        t.status = TaskStatus::Done;
        assert!(!t.is_overdue(day("2026-07-01")));
        t.status = TaskStatus::Blocked;
        assert!(t.is_overdue(day("2026-07-01")));
    }

    #[test]
    fn a_task_round_trips_and_validation_names_the_field() {
        let t = task();
        let back: PlanTask =
            serde_json::from_value(serde_json::to_value(&t).expect("json")).expect("back");
        assert_eq!(back, t);
        assert!(validate_task(&t, day("2026-11-27")).is_empty());
        let mut bad = task();
        bad.title = LocalText::default();
        bad.start = Some(day("2026-08-01"));
        bad.progress = 140;
        bad.depends_on = vec![bad.id];
        bad.participants = vec![SectorCount {
            id: String::new(),
            sector: Sector::Police,
            count: 12,
        }];
        let codes: Vec<(String, String)> = validate_task(&bad, day("2026-11-27"))
            .into_iter()
            .map(|i| (i.path, i.code))
            .collect();
        for e in [
            ("title.es", "val-title-required"),
            ("due", "val-dates-reversed"),
            ("progress", "val-plan-progress"),
            ("depends_on", "val-plan-self-dependency"),
            ("participants", "val-plan-participants"),
        ] {
            assert!(
                codes.contains(&(e.0.into(), e.1.into())),
                "{e:?} in {codes:?}"
            );
        }
    }

    #[test]
    fn labels_in_both_languages_and_text_fallback() {
        let keys = Component::all()
            .iter()
            .map(|c| c.label_key())
            .chain(TaskStatus::all().iter().map(|s| s.label_key()))
            .chain(TaskKind::all().iter().map(|s| s.label_key()))
            .chain(Sector::all().iter().map(|s| s.label_key()))
            .chain(
                [
                    "val-plan-progress",
                    "val-plan-done-progress",
                    "val-plan-participants",
                    "val-plan-self-dependency",
                    "val-plan-indicator",
                ]
                .map(String::from),
            );
        for k in keys {
            for lang in Lang::ALL {
                assert!(has(lang, &k), "{k} {lang:?}");
            }
        }
        let t = LocalText {
            es: "Taller nacional".into(),
            en: String::new(),
        };
        assert_eq!(t.get(Lang::En), "Taller nacional");
        assert_eq!(Component::Protection.number(), 4);
    }

    #[test]
    fn a_catalogue_output_is_named_in_the_sheets_language_and_a_custom_one_is_kept() {
        use crate::Lang;
        let es = "1.1 Estrategia y Plan de Acción Regional";
        assert_eq!(
            output_label(Lang::En, es),
            "1.1 Regional Strategy and Plan of Action"
        );
        assert_eq!(output_label(Lang::Es, es), es);
        // Written in English, case and accents aside, printed in Spanish.
        assert_eq!(
            output_label(Lang::Es, "3.2 regional database (enlace)"),
            "3.2 Base de datos regional (Enlace)"
        );
        for kept in [
            "1.1 Estrategia nacional de Guatemala",
            "9.9 Otra cosa",
            "Sin código",
            "",
        ] {
            assert_eq!(output_label(Lang::En, kept), kept);
        }
    }
}
