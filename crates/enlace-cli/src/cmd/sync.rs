//! `enlace sync` and `enlace serve`: sync with peers now, or serve and sync in rounds.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use enlace_domain::{Lang, tr, tr_args};
use enlace_node::{Engine, NodeError, PeerReport, SyncOptions, SyncProgress};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{ServeArgs, SyncArgs};
use crate::common::{Failure, Outcome, country_name, json, kb, node_failure, open, runtime};

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
    // Sync runs on a connection of its own; the one that opened the node
    // is closed.
    let app = Arc::new(Mutex::new(open(dir, lang, user)?.sync_connection()?));
    let rt = runtime()?;
    let engine = Engine::new(
        app.clone(),
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
        // References two nodes issued alike, now both here: said, for the
        // owner country to renumber one (sync renumbers nothing itself).
        let dups = app
            .lock()
            .ok()
            .and_then(|a| a.duplicate_references().ok())
            .map_or(0, |d| d.len());
        if dups > 0 {
            eprintln!(
                "{}",
                tr_args(lang, "cli-sync-duplicates", &[("count", &dups.to_string())])
            );
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
    drop(app);
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
        let engine = Arc::new(Engine::new(
            engine_app,
            SyncOptions {
                page_bytes: args.page_kib.saturating_mul(1024),
                ..SyncOptions::default()
            },
        )?);
        let identity = engine.identity().clone();
        // A change of the machine's network: a round with every peer now.
        let net_stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watched = engine.clone();
        enlace_node::watch_network(move || watched.network_changed(), net_stop.clone());
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
        net_stop.store(true, std::sync::atomic::Ordering::Relaxed);
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
