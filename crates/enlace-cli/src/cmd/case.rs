//! `enlace case`: creating, changing, listing and reading cases.

use std::path::Path;

use enlace_core::{CaseFilter, CoreError, SortField};
use enlace_domain::{Lang, tr, tr_args};

use crate::args::CaseCommand;
use crate::common::{Outcome, bar, open, progress_fn, read_input, read_json};
use crate::output;

pub fn run(command: CaseCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
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
        CaseCommand::ImportHtcds { file, json } => {
            let mut app = open(dir, lang, user)?;
            let done = app.import_htcds(&file, lang)?;
            if json {
                output::json_value(&done);
            } else {
                for (id, reference) in &done.cases {
                    println!("{id} {reference}");
                }
                eprintln!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-htcds-imported",
                        &[("n", &done.cases.len().to_string())]
                    )
                );
                for u in &done.unmapped {
                    eprintln!(
                        "  #{} {}={}  {}",
                        u.case,
                        u.field,
                        u.value,
                        enlace_domain::tr(lang, &u.reason)
                    );
                }
            }
        }
        CaseCommand::Update {
            case,
            input,
            base,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let base = (!base.is_empty()).then_some(base.as_slice());
            let saved = app.update_case_from(&case, &patch, base)?;
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
            let searching = a.query.as_deref().is_some_and(|q| !q.trim().is_empty());
            let sort = a.sort.unwrap_or(SortField::default_for(searching));
            let default_desc = sort.descending_by_default();
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
                review_due: a.review_due.then_some(true),
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
        CaseCommand::Duplicates { json } => {
            let app = open(dir, lang, user)?;
            output::duplicates(&app.duplicate_references()?, lang, json);
        }
        CaseCommand::Renumber { case, print_json } => {
            let mut app = open(dir, lang, user)?;
            let saved = app.renumber_case(&case)?;
            output::saved(&saved, lang, print_json, "cli-renumbered");
        }
        CaseCommand::Share {
            case,
            node,
            stop,
            json,
        } => {
            let mut app = open(dir, lang, user)?;
            let reach = app.share_identities(&case, &node, !stop)?;
            output::reach(&reach, lang, json);
            if !json && stop {
                eprintln!("{}", tr(lang, "cli-reach-stopped"));
            }
        }
        CaseCommand::Reach { case, json } => {
            let app = open(dir, lang, user)?;
            output::reach(&app.identity_reach(&case)?, lang, json);
        }
    }
    Ok(())
}
