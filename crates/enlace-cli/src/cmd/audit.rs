//! `enlace audit`: the audit log listed, verified and exported.

use std::path::Path;

use enlace_core::AuditFilter;
use enlace_domain::{Lang, tr_args};

use crate::args::AuditCommand;
use crate::common::{Failure, Outcome, json, open};

pub fn run(command: AuditCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        AuditCommand::List {
            action,
            actor,
            limit,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let entries = app.audit_list(&AuditFilter {
                action,
                actor,
                limit: Some(limit),
            })?;
            if as_json {
                json(&entries);
                return Ok(());
            }
            for e in &entries {
                println!(
                    "{:>6}  {}  {:<30} {:<18} {}  {}",
                    e.seq,
                    e.at.get(..19).unwrap_or(&e.at),
                    e.actor,
                    e.action,
                    e.subject,
                    e.detail
                );
            }
        }
        AuditCommand::Verify { json: as_json } => {
            let app = open(dir, lang, user)?;
            let v = app.audit_verify()?;
            if as_json {
                json(&v);
            } else if let Some(seq) = v.broken_at {
                println!(
                    "{}",
                    tr_args(lang, "cli-audit-broken", &[("seq", &seq.to_string())])
                );
            }
            if !as_json {
                for f in &v.peers {
                    println!(
                        "{}",
                        tr_args(
                            lang,
                            &format!("cli-audit-peer-{}", f.alarm.kind),
                            &[
                                ("peer", &f.peer),
                                ("seq", &f.alarm.seq.to_string()),
                                ("at", f.alarm.at.get(..10).unwrap_or(&f.alarm.at))
                            ]
                        )
                    );
                }
            }
            if !as_json && v.broken_at.is_none() {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-audit-ok",
                        &[
                            ("entries", &v.entries.to_string()),
                            ("head", v.head.get(..16).unwrap_or(&v.head))
                        ]
                    )
                );
            }
            if !v.ok() {
                return Err(Failure::AuditAltered);
            }
        }
        AuditCommand::Export { out } => {
            let mut app = open(dir, lang, user)?;
            let n = app.export_audit_log(&out)?;
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-audit-exported",
                    &[
                        ("entries", &n.to_string()),
                        ("path", &out.display().to_string())
                    ]
                )
            );
        }
    }
    Ok(())
}
