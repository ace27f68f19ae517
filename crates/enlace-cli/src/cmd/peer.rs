//! `enlace peer`: pairing, the roster, anchors and the quarantine.

use std::path::Path;

use enlace_core::{PeerInput, PeerView};
use enlace_domain::enums::Closed;
use enlace_domain::{Lang, tr, tr_args};

use crate::args::PeerCommand;
use crate::common::{Failure, Outcome, country_name, json, kb, open};

pub fn run(command: PeerCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        PeerCommand::Add {
            name,
            url,
            key,
            country,
            node_role,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let unplaced = node_role.is_none()
                && country
                    .trim()
                    .eq_ignore_ascii_case(&app.node_info().country);
            let v = app.add_peer(PeerInput {
                node_role,
                name,
                url,
                key,
                country,
            })?;
            if unplaced {
                eprintln!(
                    "{}",
                    tr_args(lang, "cli-peer-unplaced", &[("name", &v.name)])
                );
            }
            if as_json {
                return {
                    json(&v);
                    Ok(())
                };
            }
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-peer-added",
                    &[
                        ("name", &v.name),
                        ("country", &country_name(&v.country, lang)),
                        ("node", &v.node_id)
                    ]
                )
            );
        }
        PeerCommand::List { json: as_json } => {
            let app = open(dir, lang, user)?;
            let peers = app.peers(lang)?;
            if as_json {
                json(&peers);
            } else {
                print_peers(&peers, lang);
            }
        }
        PeerCommand::Role {
            name,
            role,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.set_peer_role(&name, role)?;
            if as_json {
                json(&v);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-peer-role",
                        &[("name", &v.name), ("role", &v.node_role.label(lang))]
                    )
                );
            }
        }
        PeerCommand::Remove { name } => {
            let mut app = open(dir, lang, user)?;
            app.remove_peer(&name)?;
            println!("{}", tr_args(lang, "cli-peer-removed", &[("name", &name)]));
        }
        PeerCommand::Revoke {
            name,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.revoke_key(&name)?;
            if as_json {
                json(&v);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-peer-revoked",
                        &[("name", &v.name), ("kept", &v.kept.to_string())]
                    )
                );
            }
        }
        PeerCommand::Revocations { json: as_json } => {
            let app = open(dir, lang, user)?;
            let list = app.revocations()?;
            if as_json {
                json(&list);
            } else if list.is_empty() {
                println!("{}", tr(lang, "cli-revocations-empty"));
            } else {
                for v in list {
                    println!(
                        "{}  {}  {}  {}",
                        &v.public_key[..16],
                        v.country,
                        v.name,
                        tr_args(
                            lang,
                            if v.pending {
                                "cli-revocation-pending"
                            } else {
                                "cli-revocation-applied"
                            },
                            &[
                                ("by", &v.revoked_by),
                                ("at", &v.revoked_at),
                                ("kept", &v.kept.to_string())
                            ]
                        )
                    );
                }
            }
        }
        PeerCommand::Roster { json: as_json } => {
            let app = open(dir, lang, user)?;
            let roster = app.roster()?;
            if as_json {
                json(&roster);
            } else if roster.is_empty() {
                println!("{}", tr(lang, "cli-roster-empty"));
            } else {
                let anchor = tr(lang, "cli-roster-anchor");
                for r in roster {
                    println!(
                        "{}  {}  {}  ← {}",
                        &r.public_key[..16],
                        r.country,
                        r.name,
                        if r.anchor { &anchor } else { &r.vouched_by }
                    );
                }
            }
        }
        PeerCommand::Export { out } => {
            let app = open(dir, lang, user)?;
            let anchors = app.anchors()?;
            let text = serde_json::to_string_pretty(&anchors)
                .map_err(|e| Failure::Core(enlace_core::CoreError::Internal(e.to_string())))?;
            enlace_core::private_file(&out)
                .and_then(|mut f| {
                    use std::io::Write;
                    f.write_all((text + "\n").as_bytes())
                })
                .map_err(|e| {
                    Failure::Core(enlace_core::CoreError::Io {
                        path: out.clone(),
                        source: e,
                    })
                })?;
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-anchors-exported",
                    &[
                        ("count", &anchors.len().to_string()),
                        ("path", &out.display().to_string())
                    ]
                )
            );
        }
        PeerCommand::Import {
            file,
            json: as_json,
        } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                Failure::Core(enlace_core::CoreError::Io {
                    path: file.clone(),
                    source: e,
                })
            })?;
            let anchors: Vec<enlace_core::Anchor> =
                enlace_domain::input::parse_json(&text).map_err(enlace_core::CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let done = app.import_anchors(&anchors)?;
            if as_json {
                json(&done);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-anchors-imported",
                        &[
                            ("added", &done.added.len().to_string()),
                            ("skipped", &done.skipped.len().to_string())
                        ]
                    )
                );
            }
        }
        PeerCommand::Quarantine { json: as_json } => {
            let app = open(dir, lang, user)?;
            let q = app.quarantine()?;
            if as_json {
                json(&q);
            } else if q.is_empty() {
                println!("{}", tr(lang, "cli-quarantine-empty"));
            } else {
                let total = app.quarantine_total()?;
                if total > q.len() as u64 {
                    println!(
                        "{}",
                        tr_args(
                            lang,
                            "cli-quarantine-more",
                            &[
                                ("shown", &q.len().to_string()),
                                ("total", &total.to_string())
                            ]
                        )
                    );
                }
                for e in q {
                    println!(
                        "{}  {} {}  {}: {}  ({} ← {})",
                        e.received_at,
                        e.kind,
                        e.doc_id,
                        tr(lang, &format!("refusal-{}", e.reason.replace('_', "-"))),
                        e.detail,
                        e.author,
                        e.from
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_peers(peers: &[PeerView], lang: Lang) {
    if peers.is_empty() {
        println!("{}", tr(lang, "cli-peers-empty"));
        return;
    }
    let never = tr(lang, "cli-never");
    for p in peers {
        println!(
            "{} ({}, {}) · {} · {}",
            p.name,
            country_name(&p.country, lang),
            p.node_role.label(lang),
            p.url
                .as_deref()
                .map_or_else(|| tr(lang, "cli-no-url"), str::to_owned),
            p.node_id
        );
        println!(
            "  {}: {} · {}: {} · {}: {}",
            tr(lang, "cli-last-sync"),
            p.last_success.as_deref().unwrap_or(&never),
            tr(lang, "cli-pending"),
            p.pending,
            tr(lang, "cli-traffic"),
            tr_args(
                lang,
                "cli-traffic-both",
                &[
                    ("sent", &kb(p.traffic.bytes_sent)),
                    ("received", &kb(p.traffic.bytes_received))
                ]
            )
        );
        if let Some(f) = &p.last_error {
            println!("  {}: {}", tr(lang, "cli-last-error"), f.message);
        }
    }
}
