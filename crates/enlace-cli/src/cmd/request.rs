//! `enlace request`: requests between countries and their answers.

use std::path::Path;

use enlace_core::{RequestFilter, RequestView};
use enlace_domain::enums::Closed;
use enlace_domain::{Lang, tr, tr_args};

use crate::args::RequestCommand;
use crate::common::{Outcome, json, open};

pub fn run(command: RequestCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        RequestCommand::Answer {
            case,
            request,
            action,
            text,
            json: as_json,
        } => {
            let text = if text == "-" {
                crate::common::read_input("-")?
            } else {
                text
            };
            let mut app = open(dir, lang, user)?;
            let v = app.request_answer(&case, &request, action, &text)?;
            if as_json {
                json(&v);
            } else {
                print(std::slice::from_ref(&v), lang);
                eprintln!("{}", tr(lang, "cli-request-answered"));
            }
        }
        RequestCommand::List {
            case,
            to_us,
            from_us,
            overdue,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let filter = RequestFilter {
                to_us: Some(to_us),
                from_us: Some(from_us),
                overdue: Some(overdue),
            };
            let all: Vec<RequestView> = match case {
                Some(c) => app
                    .case_requests(&c)?
                    .into_iter()
                    .filter(|v| {
                        (!to_us || v.side == enlace_core::RequestSide::ToUs)
                            && (!from_us || v.side == enlace_core::RequestSide::FromUs)
                            && (!overdue || v.overdue)
                    })
                    .collect(),
                None => app.requests(&filter)?,
            };
            if as_json {
                json(&all);
            } else if all.is_empty() {
                println!("{}", tr(lang, "cli-requests-empty"));
            } else {
                print(&all, lang);
            }
        }
    }
    Ok(())
}

fn print(all: &[RequestView], lang: Lang) {
    for v in all {
        let r = &v.request;
        let due = r.due.map_or_else(String::new, |d| {
            format!(
                " · {}",
                tr_args(lang, "cli-request-due", &[("date", &d.to_string())])
            )
        });
        let overdue = if v.overdue {
            format!(
                " · {}",
                tr_args(
                    lang,
                    "cli-request-overdue",
                    &[("days", &v.days_overdue.to_string())]
                )
            )
        } else {
            String::new()
        };
        println!(
            "{}  {}  {} {}→{} · {}{due}{overdue}",
            r.id,
            v.reference,
            r.kind.label(lang),
            r.from,
            r.to,
            r.status.label(lang),
        );
        if !r.subject.is_empty() {
            println!("    {}", r.subject);
        }
        for a in &v.answers {
            println!(
                "    {} {}: {}{}",
                a.at.date_naive(),
                a.country,
                a.action.label(lang),
                if a.text.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", a.text)
                }
            );
        }
    }
}
