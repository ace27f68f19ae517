//! `enlace grant`: identities allowed to reach another country.

use std::path::Path;

use enlace_core::{GrantInput, GrantView};
use enlace_domain::enums::Closed;
use enlace_domain::{CountryCode, Lang, tr, tr_args};

use crate::args::GrantCommand;
use crate::common::{Outcome, json, open};

pub fn run(command: GrantCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        GrantCommand::Add {
            target,
            person,
            country,
            purpose,
            until,
            reason,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let made = app.grant_add(GrantInput {
                target,
                pseudonym: person,
                country,
                purpose,
                until,
                reason,
            })?;
            if as_json {
                json(&made);
            } else {
                print(&made, lang);
                eprintln!("{}", tr(lang, "cli-grant-added"));
            }
        }
        GrantCommand::List {
            case,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let all = app.grant_list_for(case.as_deref())?;
            if as_json {
                json(&all);
            } else if all.is_empty() {
                println!("{}", tr(lang, "cli-grants-empty"));
            } else {
                print(&all, lang);
            }
        }
        GrantCommand::Revoke { id, json: as_json } => {
            let mut app = open(dir, lang, user)?;
            let g = app.grant_revoke(&id)?;
            if as_json {
                json(&g);
            } else {
                print(std::slice::from_ref(&g), lang);
                eprintln!("{}", tr(lang, "cli-grant-revoked"));
            }
        }
    }
    Ok(())
}

fn print(grants: &[GrantView], lang: Lang) {
    for g in grants {
        let country = CountryCode::parse(g.grant.country.as_str())
            .map_or_else(|| g.grant.country.to_string(), |c| c.name(lang));
        let whom = match (&g.case_reference, &g.pseudonym) {
            (Some(c), Some(p)) => format!("{c} {p}"),
            _ => g.person_id.clone(),
        };
        let state = if g.grant.revoked_at.is_some() {
            tr(lang, "cli-grant-revoked-state")
        } else if g.standing {
            tr(lang, "cli-grant-standing")
        } else {
            tr(lang, "cli-grant-lapsed")
        };
        println!(
            "{}  {} → {} · {} · {} · {}",
            g.grant.id,
            whom,
            country,
            g.grant.purpose.label(lang),
            tr_args(
                lang,
                "cli-grant-until",
                &[("date", &g.grant.until.to_string())]
            ),
            state
        );
        println!(
            "    {} ({}, {})",
            g.grant.reason,
            g.grant.by,
            g.grant.at.get(..10).unwrap_or(&g.grant.at)
        );
    }
}
