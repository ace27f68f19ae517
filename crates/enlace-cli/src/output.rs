//! Human and JSON output. JSON output is the stable interface (docs/cli.md);
//! human output may change between versions.

use enlace_core::HistoryEntry;
use enlace_core::{
    AssessmentView, CaseList, CaseSaved, CaseView, DuplicateReference, ItemChange, ItemSaved,
    LegalMatrixView, NodeInfo, PlanView, TaskSaved,
};
use enlace_domain::enums::Closed;
use enlace_domain::legal::{self, AssessmentStatus, Instrument};
use enlace_domain::{CountryCode, Lang, tr, tr_args};
use serde::Serialize;

fn json<T: Serialize>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

/// Pretty JSON of any value (the stable output).
pub fn json_value<T: Serialize>(v: &T) {
    json(v);
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

pub fn node(info: &NodeInfo, lang: Lang, as_json: bool) {
    if as_json {
        return json(info);
    }
    println!("{}: {}", tr(lang, "cli-node"), info.name);
    println!("{}: {}", tr(lang, "cli-node-id"), info.node_id);
    println!("{}: {}", tr(lang, "cli-node-code"), info.node_code);
    let country = CountryCode::parse(&info.country)
        .map(|c| c.name(lang))
        .unwrap_or_default();
    println!(
        "{}: {} ({})",
        tr(lang, "cli-country"),
        info.country,
        country
    );
    println!("{}: {}", tr(lang, "cli-public-key"), info.public_key);
    println!("{}: {}", tr(lang, "cli-node-role"), info.role.label(lang));
}

/// `case reach` / `case share`: who receives a case's identities by name.
pub fn reach(r: &enlace_core::IdentityReach, lang: Lang, as_json: bool) {
    if as_json {
        return json(r);
    }
    println!(
        "{}",
        tr_args(
            lang,
            "cli-reach-summary",
            &[
                ("reference", &r.reference),
                ("held", &r.held.to_string()),
                ("elsewhere", &r.elsewhere.to_string())
            ]
        )
    );
    if r.nodes.is_empty() {
        println!("  {}", tr(lang, "cli-reach-none"));
    }
    if !r.linked_elsewhere.is_empty() {
        println!(
            "  {}",
            tr_args(
                lang,
                "cli-reach-linked-elsewhere",
                &[("pseudonyms", &r.linked_elsewhere.join(", "))]
            )
        );
    }
    for n in &r.nodes {
        let role = n.role.map(|r| r.label(lang)).unwrap_or_default();
        println!(
            "  {} {} · {} · {}",
            n.name,
            if role.is_empty() {
                String::new()
            } else {
                format!("({role})")
            },
            &n.public_key[..16.min(n.public_key.len())],
            tr_args(lang, "cli-reach-persons", &[("n", &n.persons.to_string())])
        );
    }
}

pub fn saved(s: &CaseSaved, lang: Lang, as_json: bool, key: &str) {
    if as_json {
        return json(s);
    }
    println!("{} {}", s.id, s.reference);
    eprintln!(
        "{}",
        tr_args(lang, key, &[("reference", &s.reference), ("id", &s.id)])
    );
    if !s.issues.is_empty() {
        eprintln!("{}", tr(lang, "cli-warnings"));
        for i in &s.issues {
            eprintln!("  - {}", i.message(lang));
        }
    }
}

/// `case duplicates`: each reference several cases carry, with its cases.
pub fn duplicates(d: &[DuplicateReference], lang: Lang, as_json: bool) {
    if as_json {
        return json(&d);
    }
    if d.is_empty() {
        println!("{}", tr(lang, "cli-duplicates-none"));
        return;
    }
    for dup in d {
        println!(
            "{}",
            tr_args(
                lang,
                "cli-duplicate",
                &[
                    ("reference", &dup.reference),
                    ("cases", &dup.cases.len().to_string())
                ]
            )
        );
        for c in &dup.cases {
            println!("  {}  {} ({})", c.id, c.title, c.owner_country);
        }
    }
    eprintln!("{}", tr(lang, "cli-duplicates-hint"));
}

pub fn list(l: &CaseList, lang: Lang, as_json: bool) {
    if as_json {
        return json(l);
    }
    if l.items.is_empty() {
        println!("{}", tr(lang, "cli-no-cases"));
        return;
    }
    println!(
        "{} {} {} {} {}",
        pad(&tr(lang, "field-reference"), 14),
        pad(&tr(lang, "field-classification"), 26),
        pad(&tr(lang, "field-status"), 20),
        pad(&tr(lang, "field-route"), 16),
        tr(lang, "field-title")
    );
    for c in &l.items {
        let route: Vec<&str> = c.route.iter().map(|p| p.country.as_str()).collect();
        let mut route = route;
        route.dedup();
        // A victim's risk review overdue: said on the row, in words.
        let review = match c.review {
            Some(r @ enlace_domain::ReviewState::Overdue) => {
                format!(" [{}]", tr(lang, r.label_key()))
            }
            _ => String::new(),
        };
        println!(
            "{} {} {} {} {}{}{review}",
            pad(&c.reference, 14),
            pad(&c.classification.label(lang), 26),
            pad(&c.status.label(lang), 20),
            pad(&route.join("→"), 16),
            c.title,
            if c.warnings > 0 { " ⚠" } else { "" }
        );
    }
    println!(
        "{}",
        tr_args(
            lang,
            "cli-cases-count",
            &[
                ("shown", &l.items.len().to_string()),
                ("total", &l.total.to_string())
            ]
        )
    );
}

fn labels<T: Closed>(v: &[T], lang: Lang) -> String {
    if v.is_empty() {
        return "—".into();
    }
    v.iter()
        .map(|x| x.label(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn case(v: &CaseView, lang: Lang, as_json: bool) {
    if as_json {
        return json(v);
    }
    let c = &v.case;
    let line = |k: &str, val: String| println!("{:<22} {}", format!("{}:", tr(lang, k)), val);
    println!("{}  {}", c.reference, c.title);
    if c.demo {
        println!("[{}]", tr(lang, "field-demo"));
    }
    line("field-classification", c.classification.label(lang));
    line("field-status", c.status.label(lang));
    line("field-opened", c.opened.to_string());
    line(
        "field-owner",
        format!("{} ({})", c.owner.country.name(lang), c.owner.node),
    );
    line("field-audience", c.audience.scope.label(lang));
    line("field-acts", labels(&c.acts, lang));
    line("field-means", labels(&c.means, lang));
    line("field-purposes", labels(&c.purposes, lang));
    line(
        "field-child",
        tr(lang, if c.involves_child() { "yes" } else { "no" }),
    );
    if !c.summary.is_empty() {
        println!("\n{}:\n  {}", tr(lang, "field-summary"), c.summary);
    }
    println!("\n{}:", tr(lang, "field-route"));
    if c.route.is_empty() {
        println!("  {}", tr(lang, "ui-no-route"));
    }
    for s in &c.route {
        let dates = match (s.from, s.to) {
            (Some(f), Some(t)) => format!("{f} – {t}"),
            (Some(f), None) => f.to_string(),
            _ => String::new(),
        };
        println!(
            "  {:<14} {} {} {}",
            s.role.label(lang),
            s.country.name(lang),
            s.place,
            dates
        );
    }
    println!("\n{}:", tr(lang, "field-persons"));
    for p in &c.persons {
        let mut parts = vec![p.role.label(lang), p.gender.label(lang)];
        if let Some(a) = p.age_band {
            parts.push(a.label(lang));
        }
        if let Some(n) = &p.nationality {
            parts.push(n.name(lang));
        }
        println!("  {:<5} {}", p.pseudonym, parts.join(", "));
        if let Some(id) = v.identities.iter().find(|i| i.pseudonym == p.pseudonym) {
            println!(
                "        {} — {}",
                id.full_name,
                tr_args(
                    lang,
                    "ui-national-only",
                    &[("country", &c.owner.country.name(lang))]
                )
            );
        }
    }
    if !c.indicators.is_empty() {
        println!("\n{}:", tr(lang, "field-indicators"));
        for i in &c.indicators {
            println!("  {:<24} {}", i.kind.label(lang), i.description);
        }
    }
    if !c.information.is_empty() {
        println!("\n{}:", tr(lang, "field-information"));
        for i in &c.information {
            println!(
                "  [{}{} {}] {} — {}",
                i.reliability.as_str(),
                i.credibility.as_str(),
                i.handling.as_str(),
                i.text,
                i.source_agency
            );
            // What the originator restricted, in words, under the item.
            if i.handling != enlace_domain::HandlingCode::H0 {
                println!("      ⚠ {}", i.handling.label(lang));
            }
            if let Some(note) = i.handling_note.as_deref().filter(|n| !n.trim().is_empty()) {
                println!("      ⚠ {note}");
            }
        }
    }
    if !v.linked.is_empty() {
        println!("\n{}:", tr(lang, "field-links"));
        for l in &v.linked {
            let held = l
                .case
                .as_ref()
                .map(|o| format!(" — {}", o.title))
                .unwrap_or_else(|| format!(" — {}", tr(lang, "cli-link-not-held")));
            let arrow = if l.incoming { "←" } else { "→" };
            println!(
                "  {arrow} {} ({}){held}",
                l.reference,
                l.relation.label(lang)
            );
        }
    }
    if !c.requests.is_empty() {
        println!("\n{}:", tr(lang, "field-requests"));
        for r in &c.requests {
            println!(
                "  {} {}→{}: {} — {}",
                r.kind.label(lang),
                r.from,
                r.to,
                r.subject,
                r.status.label(lang)
            );
        }
    }
    if !c.notes.is_empty() {
        println!("\n{}:", tr(lang, "field-notes"));
        for n in &c.notes {
            println!(
                "  {} {}: {}",
                n.at.format("%Y-%m-%d %H:%M"),
                n.author,
                n.text
            );
        }
    }
    if !v.issues.is_empty() {
        println!("\n{}:", tr(lang, "ui-issues"));
        for i in &v.issues {
            println!("  - {}", i.message(lang));
        }
    }
}

pub fn history(h: &[HistoryEntry], lang: Lang, as_json: bool) {
    if as_json {
        return json(&h);
    }
    if h.is_empty() {
        println!("{}", tr(lang, "cli-history-empty"));
    }
    for e in h {
        println!(
            "{}  {:<28} {:<8} {}",
            e.time.format("%Y-%m-%d %H:%M:%S"),
            e.by,
            e.action,
            e.fields.join(", ")
        );
    }
}

/// Which checklist items to show.
#[derive(Debug, Default)]
pub struct ItemFilter {
    pub instrument: Option<Instrument>,
    pub mandatory: bool,
    pub status: Option<AssessmentStatus>,
}

/// One letter per status, as in the printed matrix.
fn letter(s: AssessmentStatus, lang: Lang) -> String {
    tr(lang, &format!("report-letter-{}", s.as_str()))
}

pub fn assessment(v: &AssessmentView, f: &ItemFilter, lang: Lang, as_json: bool) {
    let a = &v.assessment;
    let items: Vec<&legal::ChecklistItem> = a
        .catalogue()
        .filter(|it| f.instrument.is_none_or(|i| it.instrument == i))
        .filter(|it| !f.mandatory || it.is_mandatory())
        .filter(|it| f.status.is_none_or(|s| a.item(it.id).status == s))
        .collect();
    if as_json {
        let rows: Vec<serde_json::Value> = items
            .iter()
            .map(|it| {
                serde_json::json!({
                    "id": it.id,
                    "instrument": it.instrument,
                    "article": it.article,
                    "obligation": it.obligation,
                    "text": it.text(lang),
                    "assessment": a.item(it.id),
                })
            })
            .collect();
        return json(&serde_json::json!({
            "country": a.country,
            "catalogue_version": a.catalogue_version,
            "stored": v.stored,
            "editable": v.editable,
            "demo": a.demo,
            "tally": v.tally,
            "conflicts": v.conflicts,
            "items": rows,
        }));
    }
    println!(
        "{} — {}",
        a.country.name(lang),
        v.tally.describe(lang, a.catalogue_version)
    );
    if a.demo {
        println!("{}", tr(lang, "report-demo"));
    }
    for it in items {
        let item = a.item(it.id);
        let provision = item
            .provisions
            .first()
            .map(|p| format!("{}, {}", p.law, p.article))
            .unwrap_or_default();
        let conflict = if v.conflicts.iter().any(|c| c.item == it.id) {
            format!("  [{}]", tr(lang, "ui-conflict"))
        } else {
            String::new()
        };
        println!(
            "{} {} {} {} {}{}",
            pad(it.id, 7),
            letter(item.status, lang),
            pad(&item.status.label(lang), 22),
            pad(&it.text(lang), 60),
            provision,
            conflict
        );
    }
}

pub fn matrix(m: &LegalMatrixView, lang: Lang, as_json: bool) {
    if as_json {
        return json(m);
    }
    print!("{}", pad("", 8));
    for c in &m.countries {
        print!("{} ", c.country);
    }
    println!();
    for r in &m.rows {
        print!("{}", pad(&r.item, 8));
        for s in &r.statuses {
            print!("{}  ", letter(*s, lang));
        }
        println!();
    }
    let legend: Vec<String> = AssessmentStatus::all()
        .iter()
        .map(|s| format!("{} = {}", letter(*s, lang), s.label(lang)))
        .collect();
    println!("{}", legend.join(" · "));
}

pub fn item_saved(s: &ItemSaved, item: &str, lang: Lang, as_json: bool) {
    if as_json {
        return json(s);
    }
    let key = if s.changed.is_empty() {
        "cli-legal-unchanged"
    } else {
        "cli-legal-saved"
    };
    println!(
        "{}",
        tr_args(
            lang,
            key,
            &[("item", &item.to_uppercase()), ("country", &s.country)]
        )
    );
    if !s.issues.is_empty() {
        eprintln!("{}", tr(lang, "cli-warnings"));
        for i in &s.issues {
            eprintln!("  - {}", i.message(lang));
        }
    }
}

pub fn item_history(h: &[ItemChange], lang: Lang, as_json: bool) {
    if as_json {
        return json(&h);
    }
    if h.is_empty() {
        println!("{}", tr(lang, "cli-history-empty"));
    }
    let show = |v: &Option<serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) if s.is_empty() => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    for e in h {
        println!(
            "{}  {}  {}",
            e.time.format("%Y-%m-%d %H:%M:%S"),
            e.by,
            e.action
        );
        for c in &e.changes {
            println!("    {}: {} → {}", c.field, show(&c.before), show(&c.after));
        }
    }
}

pub fn plan(v: &PlanView, lang: Lang, as_json: bool) {
    if as_json {
        return json(v);
    }
    let mut component = None;
    for r in &v.tasks {
        let t = &r.task;
        if component != Some(t.component) {
            component = Some(t.component);
            if let Some(c) = v
                .components
                .iter()
                .find(|c| c.component == Some(t.component))
            {
                println!("\n{} — {} %", t.component.label(lang), c.progress);
            }
        }
        let mark = if r.overdue {
            format!(" [{}]", tr(lang, "report-plan-overdue-mark"))
        } else {
            String::new()
        };
        println!(
            "  {} {} {} {} {:>3} % {}{}",
            pad(&t.code, 7),
            pad(t.title.get(lang), 56),
            pad(t.country.as_ref().map_or("—", |c| c.as_str()), 3),
            t.due.format("%Y-%m-%d"),
            if t.status == enlace_domain::TaskStatus::Done {
                100
            } else {
                t.progress
            },
            t.status.label(lang),
            mark
        );
    }
    println!(
        "\n{}",
        tr_args(
            lang,
            "cli-plan-summary",
            &[
                ("tasks", &v.overall.tasks.to_string()),
                ("progress", &v.overall.progress.to_string()),
                ("overdue", &v.overall.overdue.to_string()),
                ("blocked", &v.overall.blocked.to_string()),
            ]
        )
    );
}

pub fn task_saved(s: &TaskSaved, lang: Lang, as_json: bool, key: &str) {
    if as_json {
        return json(s);
    }
    println!("{} {}", s.id, s.code);
    eprintln!(
        "{}",
        tr_args(lang, key, &[("code", &s.code), ("id", &s.id)])
    );
    if !s.issues.is_empty() {
        eprintln!("{}", tr(lang, "cli-warnings"));
        for i in &s.issues {
            eprintln!("  - {}", i.message(lang));
        }
    }
}

/// One damage `enlace check` found, in words.
pub fn damage(lang: Lang, d: &enlace_core::Damage) -> String {
    use enlace_core::Damage;
    match d {
        Damage::Integrity { detail } => {
            tr_args(lang, "cli-damage-integrity", &[("detail", detail)])
        }
        Damage::Unreadable { doc, detail } => tr_args(
            lang,
            "cli-damage-unreadable",
            &[("doc", doc), ("detail", detail)],
        ),
        Damage::Heads { doc } => tr_args(lang, "cli-damage-heads", &[("doc", doc)]),
        Damage::LoggedNotInDocument { doc, hash } => {
            tr_args(lang, "cli-damage-logged", &[("doc", doc), ("hash", hash)])
        }
        Damage::NotLogged { doc, hash } => tr_args(
            lang,
            "cli-damage-not-logged",
            &[("doc", doc), ("hash", hash)],
        ),
        Damage::AuditChain { seq } => {
            tr_args(lang, "cli-damage-audit", &[("seq", &seq.to_string())])
        }
    }
}
