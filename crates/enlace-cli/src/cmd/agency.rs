//! `enlace agency`: the directory of agencies.

use std::path::Path;

use enlace_core::{AgencyFilter, AgencyInput};
use enlace_domain::enums::Closed;
use enlace_domain::{Agency, AgencyContact, Lang, tr};

use crate::args::AgencyCommand;
use crate::common::{Outcome, json, open, read_json};

pub fn run(command: AgencyCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        AgencyCommand::Add {
            name,
            kind,
            city,
            services,
            contacts,
            hours,
            languages,
            reliability,
            focal_point,
            notes,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let saved = app.agency_add(AgencyInput {
                name,
                kind,
                city,
                services,
                contacts: contacts.iter().map(|c| contact(c)).collect(),
                hours,
                languages,
                reliability,
                focal_point,
                notes,
            })?;
            if as_json {
                json(&saved);
            } else {
                print(&saved.agency, lang, true);
                eprintln!("{}", tr(lang, "cli-agency-added"));
            }
        }
        AgencyCommand::List {
            query,
            country,
            service,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let all = app.agencies(&AgencyFilter {
                query,
                country,
                service,
            })?;
            if as_json {
                json(&all);
            } else if all.is_empty() {
                println!("{}", tr(lang, "cli-agencies-empty"));
            } else {
                for a in &all {
                    print(a, lang, false);
                }
            }
        }
        AgencyCommand::Show {
            agency,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let a = app.agency(&agency)?;
            if as_json {
                json(&a);
            } else {
                print(&a, lang, true);
            }
        }
        AgencyCommand::Update {
            agency,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.agency_update(&agency, &patch)?;
            if print_json {
                json(&saved);
            } else {
                print(&saved.agency, lang, true);
            }
        }
    }
    Ok(())
}

/// `NAME;FUNCTION;PHONE;EMAIL`, parts may be empty or missing.
fn contact(s: &str) -> AgencyContact {
    let mut parts = s.split(';').map(|p| p.trim().to_owned());
    AgencyContact {
        id: String::new(),
        name: parts.next().unwrap_or_default(),
        function: parts.next().unwrap_or_default(),
        phone: parts.next().unwrap_or_default(),
        email: parts.next().unwrap_or_default(),
    }
}

fn print(a: &Agency, lang: Lang, whole: bool) {
    let services: Vec<String> = a.services.iter().map(|s| s.label(lang)).collect();
    println!(
        "{}  {} · {} · {}{} · {}",
        a.id,
        a.name,
        a.kind.label(lang),
        if a.city.is_empty() {
            String::new()
        } else {
            format!("{}, ", a.city)
        },
        a.country.name(lang),
        a.reliability.label(lang),
    );
    println!("    {}", services.join(", "));
    if whole {
        for c in &a.contacts {
            let parts: Vec<&str> = [c.name.as_str(), &c.function, &c.phone, &c.email]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            println!("    {}", parts.join(" · "));
        }
        if !a.hours.is_empty() {
            println!("    {}", a.hours);
        }
        if !a.languages.is_empty() {
            println!("    {}", a.languages.join(", "));
        }
    }
}
