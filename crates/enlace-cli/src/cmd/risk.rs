//! `enlace risk`: victims' risk assessments and the reviews that come due.

use std::path::Path;

use enlace_core::{RiskDue, RiskInput, VictimRisk};
use enlace_domain::enums::Closed;
use enlace_domain::{Lang, RiskEntry, tr, tr_args};

use crate::args::{RiskArgs, RiskCommand};
use crate::common::{Outcome, json, open};

pub fn run(command: RiskCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        RiskCommand::Add(a) => {
            let mut app = open(dir, lang, user)?;
            let as_json = a.json;
            let case = a.case.clone();
            let v = app.risk_add(&case, input(a))?;
            show(&v, lang, as_json);
        }
        RiskCommand::Review(a) => {
            let mut app = open(dir, lang, user)?;
            let as_json = a.json;
            let case = a.case.clone();
            let v = app.risk_review(&case, input(a))?;
            show(&v, lang, as_json);
        }
        RiskCommand::Choose {
            case,
            pseudonym,
            assessment,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.risk_choose(&case, &pseudonym, &assessment)?;
            show(&v, lang, as_json);
        }
        RiskCommand::List {
            case,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let all = app.risks(&case)?;
            if as_json {
                json(&all);
            } else {
                for v in &all {
                    print(v, lang);
                }
            }
        }
        RiskCommand::Due {
            days,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let due = app.risks_due(days)?;
            if as_json {
                json(&due);
            } else if due.is_empty() {
                println!("{}", tr(lang, "cli-risk-none-due"));
            } else {
                for d in &due {
                    print_due(d, lang);
                }
            }
        }
    }
    Ok(())
}

fn input(a: RiskArgs) -> RiskInput {
    RiskInput {
        pseudonym: a.pseudonym,
        assessed_on: a.on,
        assessor: a.assessor,
        level: a.level,
        threats: a.threats,
        measures_taken: a.taken,
        measures_needed: a.needed,
        next_review: a.next_review,
        notes: a.notes,
    }
}

fn show(v: &VictimRisk, lang: Lang, as_json: bool) {
    if as_json {
        json(v);
    } else {
        print(v, lang);
    }
}

fn print(v: &VictimRisk, lang: Lang) {
    println!("{} {}", v.reference, v.pseudonym);
    if v.current.is_empty() {
        println!("  {}", tr(lang, "cli-risk-not-assessed"));
        return;
    }
    if v.concurrent {
        println!("  {}", tr(lang, "cli-risk-concurrent"));
    }
    for e in &v.current {
        entry(e, lang, "  ");
    }
    if let (Some(d), Some(r)) = (v.next_review, v.review) {
        println!(
            "  {}: {d} · {}",
            tr(lang, "field-next-review"),
            tr(lang, r.label_key())
        );
    }
    let earlier: Vec<&RiskEntry> = v
        .history
        .iter()
        .filter(|h| !v.current.iter().any(|c| c.id == h.id))
        .collect();
    if !earlier.is_empty() {
        println!("  {}", tr(lang, "cli-risk-earlier"));
        for e in earlier {
            entry(e, lang, "    ");
        }
    }
}

fn entry(e: &RiskEntry, lang: Lang, indent: &str) {
    println!(
        "{indent}{} · {} · {} ({}) · {}",
        &e.id.get(..8).unwrap_or(&e.id),
        e.level.label(lang),
        e.assessed_on,
        e.assessor,
        tr_args(
            lang,
            "cli-risk-review-on",
            &[("date", &e.next_review.to_string())]
        )
    );
    if !e.threats.is_empty() {
        let t: Vec<String> = e.threats.iter().map(|t| t.label(lang)).collect();
        println!("{indent}  {}", t.join("; "));
    }
    for (key, text) in [
        ("field-measures-taken", &e.measures_taken),
        ("field-measures-needed", &e.measures_needed),
    ] {
        if !text.is_empty() {
            println!("{indent}  {}: {text}", tr(lang, key));
        }
    }
}

fn print_due(d: &RiskDue, lang: Lang) {
    let levels: Vec<String> = d.levels.iter().map(|l| l.label(lang)).collect();
    let state = if d.days_overdue > 0 {
        tr_args(
            lang,
            "cli-risk-days-overdue",
            &[("days", &d.days_overdue.to_string())],
        )
    } else {
        tr(lang, d.review.label_key())
    };
    println!(
        "{}  {} {}  {} · {}{}",
        d.next_review,
        d.reference.as_deref().unwrap_or(&d.case_id),
        d.pseudonym,
        levels.join(" / "),
        state,
        if d.concurrent {
            format!(" · {}", tr(lang, "cli-risk-concurrent"))
        } else {
            String::new()
        }
    );
}
