//! `enlace peer …`, `enlace sync`, `enlace serve`, `enlace bundle …`: the
//! command-line side of sync (docs/cli.md, docs/sync-protocol.md).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::{Args, Subcommand};
use enlace_core::{App, PeerInput, PeerView};
use enlace_domain::{CountryCode, Lang, tr, tr_args};
use enlace_node::{Engine, NodeError, PeerReport, SyncOptions, SyncProgress};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{Failure, Outcome, bar, open, progress_fn};

#[derive(Subcommand, Debug)]
pub enum PeerCommand {
    /// Pair with a node: trust its key as a node of its country, send it
    /// what its country may hold, and (with --url) sync with it.
    Add {
        /// A name for the peer, e.g. "NTF Tegucigalpa".
        name: String,
        /// Where it serves sync: https://HOST:PORT. Leave out for a node
        /// that connects to this one, or that only exchanges bundles.
        #[arg(long)]
        url: Option<String>,
        /// Its public key, as `enlace node show` prints it there (check it
        /// with the peer's administrator, e.g. by phone).
        #[arg(long)]
        key: String,
        /// Its country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        #[arg(long)]
        json: bool,
    },
    /// The peers and where sync with each stands.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Unpair: its certificate is refused from now on.
    Remove { name: String },
    /// Nodes known through a node of their own country (authors of
    /// relayed changes).
    Roster {
        #[arg(long)]
        json: bool,
    },
    /// Changes received and not merged (refused, or waiting).
    Quarantine {
        #[arg(long)]
        json: bool,
    },
    /// Write this node and its peers (names, countries, keys: no secret)
    /// to a file other nodes of this country import at setup.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Trust the nodes of an anchors file (from `enlace peer export` at
    /// your national hub), as peers without an address.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Only this peer (default: every peer with an address).
    #[arg(long)]
    peer: Option<String>,
    #[arg(long)]
    json: bool,
    /// Largest page asked for, in KiB (smaller pages resume sooner after a
    /// cut on a poor link).
    #[arg(long, default_value_t = 1024, value_name = "KIB")]
    page_kib: u32,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on (mutual TLS; paired peers only).
    #[arg(long, default_value = "0.0.0.0:7443", value_name = "ADDR:PORT")]
    listen: String,
    /// Seconds between sync rounds with the peers that have an address.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    interval: u64,
    /// Largest page asked for, in KiB.
    #[arg(long, default_value_t = 1024, value_name = "KIB")]
    page_kib: u32,
}

#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Write what a peer has not acknowledged to a file, encrypted to it.
    Export {
        #[arg(long)]
        peer: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Apply a bundle a peer made for this node.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn wants_json_peer(c: &PeerCommand) -> bool {
    match c {
        PeerCommand::Add { json, .. }
        | PeerCommand::List { json }
        | PeerCommand::Roster { json }
        | PeerCommand::Quarantine { json }
        | PeerCommand::Import { json, .. } => *json,
        PeerCommand::Remove { .. } | PeerCommand::Export { .. } => false,
    }
}

pub fn wants_json_sync(a: &SyncArgs) -> bool {
    a.json
}

pub fn wants_json_bundle(c: &BundleCommand) -> bool {
    match c {
        BundleCommand::Export { json, .. } | BundleCommand::Import { json, .. } => *json,
    }
}

fn json<T: serde::Serialize>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

fn kb(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn country_name(cc: &str, lang: Lang) -> String {
    CountryCode::parse(cc).map_or_else(|| cc.to_owned(), |c| c.name(lang))
}

fn node_failure(e: NodeError, lang: Lang) -> Failure {
    match e {
        NodeError::Core(e) => Failure::Core(e),
        NodeError::Listen { addr, source } => Failure::Network(tr_args(
            lang,
            "err-listen",
            &[("addr", &addr), ("detail", &source.to_string())],
        )),
        NodeError::NoAddress(peer) => {
            Failure::Network(tr_args(lang, "err-no-address", &[("peer", &peer)]))
        }
        NodeError::Tls(d) => Failure::Network(tr_args(lang, "err-tls", &[("detail", &d)])),
        NodeError::Poisoned => Failure::Network(tr(lang, "err-poisoned")),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Network(e.to_string()))
}

pub fn peer(command: PeerCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        PeerCommand::Add {
            name,
            url,
            key,
            country,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.add_peer(PeerInput {
                name,
                url,
                key,
                country,
            })?;
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
        PeerCommand::Remove { name } => {
            let mut app = open(dir, lang, user)?;
            app.remove_peer(&name)?;
            println!("{}", tr_args(lang, "cli-peer-removed", &[("name", &name)]));
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
            "{} ({}) · {} · {}",
            p.name,
            country_name(&p.country, lang),
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

/// Prints one peer's report; true when it went well.
fn print_report(r: &PeerReport, lang: Lang) -> bool {
    let head = format!("{} ({})", r.peer, country_name(&r.country, lang));
    if r.cancelled {
        println!("{head}: {}", tr(lang, "cli-sync-cancelled"));
        return false;
    }
    match &r.fault {
        Some(f) => {
            println!("{head}: {}", f.code.message(lang, &r.peer));
            println!("  ({})", f.detail);
            false
        }
        None => {
            println!(
                "{head}: {}",
                tr_args(
                    lang,
                    "cli-sync-done",
                    &[
                        ("sent", &r.traffic.docs_sent.to_string()),
                        ("sent_bytes", &kb(r.traffic.bytes_sent)),
                        ("received", &r.traffic.docs_received.to_string()),
                        ("received_bytes", &kb(r.traffic.bytes_received)),
                        ("requests", &r.requests.to_string()),
                        ("seconds", &format!("{:.1}", r.millis as f64 / 1000.0)),
                    ]
                )
            );
            if r.refused > 0 {
                println!(
                    "  {}",
                    tr_args(
                        lang,
                        "cli-sync-refused",
                        &[("count", &r.refused.to_string())]
                    )
                );
            }
            true
        }
    }
}

fn sync_bar(lang: Lang) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40.cyan/blue}] {percent} % ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    pb.set_message(tr(lang, "cli-syncing"));
    pb
}

pub fn sync(args: SyncArgs, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let app = open(dir, lang, user)?;
    let rt = runtime()?;
    let engine = Engine::new(
        Arc::new(Mutex::new(app.sync_connection()?)),
        SyncOptions {
            page_bytes: args.page_kib.saturating_mul(1024),
            ..SyncOptions::default()
        },
    )
    .map_err(|e| node_failure(e, lang))?;
    let pb = sync_bar(lang);
    // The first answer says how much is left: the bar's length.
    let first = Mutex::new(std::collections::HashMap::<String, u64>::new());
    let on_progress = |p: &SyncProgress| {
        let mut first = first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let total = *first.entry(p.peer.clone()).or_insert(p.remaining.max(1));
        pb.set_length(total);
        pb.set_position(total.saturating_sub(p.remaining));
        pb.set_message(tr_args(
            lang,
            "cli-syncing-peer",
            &[
                ("peer", &p.peer),
                ("docs", &p.traffic.docs_received.to_string()),
            ],
        ));
    };
    let reports = rt
        .block_on(engine.sync_now(
            args.peer.as_deref(),
            false,
            Duration::from_secs(60),
            None,
            &on_progress,
        ))
        .map_err(|e| node_failure(e, lang))?;
    pb.finish_and_clear();
    let ok = reports.iter().all(|r| r.ok);
    if args.json {
        json(&serde_json::json!({ "ok": ok, "peers": reports }));
    } else if reports.is_empty() {
        println!("{}", tr(lang, "cli-sync-no-peers"));
    } else {
        for r in &reports {
            print_report(r, lang);
        }
    }
    if ok {
        Ok(())
    } else {
        let failed: Vec<&str> = reports
            .iter()
            .filter(|r| !r.ok)
            .map(|r| r.peer.as_str())
            .collect();
        Err(Failure::SyncFailed(failed.join(", ")))
    }
}

pub fn serve(args: ServeArgs, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let app = open(dir, lang, user)?;
    let info = app.node_info();
    let engine_app = Arc::new(Mutex::new(app.sync_connection()?));
    let server_app = Arc::new(Mutex::new(app.sync_connection()?));
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|source| NodeError::Listen {
                addr: args.listen.clone(),
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_or_else(|_| args.listen.clone(), |a| a.to_string());
        let engine = Engine::new(
            engine_app,
            SyncOptions {
                page_bytes: args.page_kib.saturating_mul(1024),
                ..SyncOptions::default()
            },
        )?;
        let identity = engine.identity().clone();
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        eprintln!(
            "{}",
            tr_args(
                lang,
                "cli-serving",
                &[
                    ("addr", &addr),
                    ("name", &info.name),
                    ("key", &info.public_key),
                    ("interval", &args.interval.to_string())
                ]
            )
        );
        let server = enlace_node::serve(listener, server_app, &identity, stopped(stop_rx.clone()));
        let interval = Duration::from_secs(args.interval.max(1));
        let after = |reports: &[PeerReport]| {
            for r in reports {
                let moved = r.traffic.docs_sent + r.traffic.docs_received > 0;
                if !r.ok || moved {
                    let now = chrono::Utc::now().format("%H:%M:%S");
                    eprint!("[{now}] ");
                    print_report(r, lang);
                }
            }
        };
        let periodic = engine.run_periodic(interval, stopped(stop_rx), &|_| {}, &after);
        let (served, ()) = tokio::join!(server, periodic);
        served?;
        eprintln!("{}", tr(lang, "cli-serve-stopped"));
        Ok::<_, NodeError>(())
    })
    .map_err(|e| node_failure(e, lang))
}

/// SIGTERM (a service manager stopping the hub) or Ctrl+C.
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub fn bundle(command: BundleCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let mut app: App = open(dir, lang, user)?;
    match command {
        BundleCommand::Export {
            peer,
            out,
            json: as_json,
        } => {
            let pb = bar(lang, "cli-bundle-exporting");
            let done = app.export_bundle(&peer, &out, &mut |pages, _| {
                pb.set_length(pages + 1);
                pb.set_position(pages);
            })?;
            pb.finish_and_clear();
            if as_json {
                json(&done);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-bundle-exported",
                        &[
                            ("seq", &done.seq.to_string()),
                            ("peer", &done.peer),
                            ("docs", &done.docs.to_string()),
                            ("changes", &done.changes.to_string()),
                            ("size", &kb(done.bytes)),
                            ("path", &done.path)
                        ]
                    )
                );
            }
        }
        BundleCommand::Import {
            file,
            json: as_json,
        } => {
            let pb = bar(lang, "cli-bundle-importing");
            let done = app.import_bundle(&file, &mut progress_fn(&pb))?;
            pb.finish_and_clear();
            if as_json {
                json(&done);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-bundle-imported",
                        &[
                            ("seq", &done.seq.to_string()),
                            ("peer", &done.peer),
                            ("docs", &done.docs.to_string()),
                            ("changes", &done.changes.to_string()),
                            ("refused", &done.refused.to_string())
                        ]
                    )
                );
            }
        }
    }
    Ok(())
}
