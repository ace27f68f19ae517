//! `enlace user`: the officials of this node.

use std::path::Path;

use enlace_domain::{Closed, Lang, tr, tr_args};

use crate::args::UserCommand;
use crate::common::{Outcome, json, new_passphrase, open, passphrase};

pub fn run(command: UserCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        UserCommand::Add {
            name,
            role,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            // The caller's own login is checked before a passphrase is asked.
            app.require(enlace_domain::Permission::ManageOfficials)?;
            let pass = new_passphrase(lang)?;
            let v = app.add_official(&name, role, &pass)?;
            if as_json {
                json(&v);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-user-added",
                        &[("name", &v.name), ("role", &v.role.label(lang))]
                    )
                );
            }
        }
        UserCommand::List { json: as_json } => {
            let app = open(dir, lang, user)?;
            let list = app.officials()?;
            if as_json {
                json(&list);
                return Ok(());
            }
            for o in &list {
                let state = if o.removed_at.is_some() {
                    tr(lang, "cli-user-removed-mark")
                } else if o.first {
                    tr(lang, "cli-user-first-mark")
                } else {
                    String::new()
                };
                println!(
                    "{:<28} {:<34} {}  {}",
                    o.name,
                    o.role.label(lang),
                    o.created_at.get(..10).unwrap_or(&o.created_at),
                    state
                );
            }
        }
        UserCommand::Remove { name } => {
            let mut app = open(dir, lang, user)?;
            app.remove_official(&name)?;
            println!("{}", tr_args(lang, "cli-user-removed", &[("name", &name)]));
        }
        UserCommand::Role { name, role } => {
            let mut app = open(dir, lang, user)?;
            app.set_official_role(&name, role)?;
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-user-role",
                    &[("name", &name), ("role", &role.label(lang))]
                )
            );
        }
        UserCommand::Passwd => {
            let current = passphrase(lang, false)?;
            let mut app = open(dir, lang, user)?;
            let new = new_passphrase(lang)?;
            app.change_passphrase(&current, &new)?;
            println!("{}", tr(lang, "cli-user-passwd"));
        }
        UserCommand::Reset { name } => {
            let mut app = open(dir, lang, user)?;
            app.require(enlace_domain::Permission::ManageOfficials)?;
            let new = new_passphrase(lang)?;
            app.reset_passphrase(&name, &new)?;
            println!("{}", tr_args(lang, "cli-user-reset", &[("name", &name)]));
        }
        UserCommand::Whoami { json: as_json } => {
            let app = open(dir, lang, user)?;
            let s = app.session();
            if as_json {
                json(s);
                return Ok(());
            }
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-user-whoami",
                    &[("name", &s.name), ("role", &s.role.label(lang))]
                )
            );
            for p in &s.permissions {
                println!("  - {}", p.label(lang));
            }
        }
    }
    Ok(())
}
