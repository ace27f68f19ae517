//! `cargo xtask bench sync [--cases N] [--baseline N] [--edits K]`: sync
//! between two real nodes over mutual TLS on loopback.
//!
//! A Guatemalan hub holds N regional cases (default 10,000; each with a
//! victim's identity, which stays in Guatemala) and runs `enlace serve`; an
//! empty Honduran node syncs with it in a process of its own (so its peak
//! memory is its own), through a TCP proxy that counts every byte on the
//! wire (TLS and HTTP included). Then K cases (default 100) are edited on
//! the hub and the Honduran node syncs again. Each figure is reported next
//! to, measured in the same run:
//! - (a) the zstd floor: for the full sync, the documents sent, as saved,
//!   zstd-3 in one batch; for the incremental one, the K new changes
//!   zstd-3 in one batch;
//! - (b) automerge's own sync protocol run document by document (in
//!   memory, no network: its messages and bytes are a lower bound of what
//!   it would cost on a link) — over every document, and, for the
//!   incremental sync, over only the K changed ones (which a node would
//!   first have to find out).
//!
//! The same is measured with a baseline of 1,000 cases, for the ratio of
//! peak memory (it must not grow with the number of documents). JSON in
//! <target>/bench/sync.json.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use automerge::sync::SyncDoc;
use enlace_core::{App, PeerInput};
use serde_json::{Value, json};

const PASS: &str = super::common::PASS;

/// `--cases N`, `--baseline N`, `--edits K` (after the benchmark's name).
fn options(args: &[String]) -> Result<(u64, u64, u64)> {
    let (mut n, mut baseline, mut edits) = (10_000, 1_000, 100);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cases" => n = it.next().context("--cases N")?.parse()?,
            "--baseline" => baseline = it.next().context("--baseline N")?.parse()?,
            "--edits" => edits = it.next().context("--edits K")?.parse()?,
            other => bail!("unknown argument {other} (use --cases N, --baseline N, --edits K)"),
        }
    }
    Ok((n, baseline, edits))
}

/// The hub's database with `n` regional cases, built once and cached.
pub(crate) fn source(n: u64) -> Result<PathBuf> {
    super::common::cached_cases(&format!("sync-src-{n}"), n, ("GT", "NTF Guatemala"), |i| {
        // Real (not demonstration) data: it syncs.
        let mut c = enlace_core::synthetic(i);
        c.demo = false;
        c
    })
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let p = e?.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().context("name")?))?;
        }
    }
    Ok(())
}

/// A TCP proxy that counts the bytes it forwards each way.
struct Proxy {
    addr: String,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
}

impl Proxy {
    fn start(upstream: String) -> Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?.to_string();
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (u, d) = (up.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let (c2, s2) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => continue,
                };
                let (u, d) = (u.clone(), d.clone());
                std::thread::spawn(move || pump(client, server, &u));
                std::thread::spawn(move || pump(s2, c2, &d));
            }
        });
        Ok(Proxy { addr, up, down })
    }

    fn take(&self) -> (u64, u64) {
        (
            self.up.swap(0, Ordering::SeqCst),
            self.down.swap(0, Ordering::SeqCst),
        )
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, count: &AtomicU64) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                count.fetch_add(n as u64, Ordering::SeqCst);
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// Runs the client side in a process of its own: one `sync_now`.
fn client(data: &Path) -> Result<Value> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["bench-run", "sync-client", "--data-dir"])
        .arg(data)
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!(
            "the sync client failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The client process (`xtask bench-run sync-client --data-dir DIR`).
pub fn client_main(args: &[String]) -> Result<()> {
    let dir = args
        .iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .context("--data-dir")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let app = App::open(Path::new(dir), PASS)?.sync_connection()?;
    let engine = enlace_node::Engine::new(
        Arc::new(std::sync::Mutex::new(app)),
        enlace_node::SyncOptions::default(),
    )?;
    let t = Instant::now();
    let reports =
        rt.block_on(engine.sync_now(None, false, Duration::from_secs(60), None, &|_| {}))?;
    let seconds = t.elapsed().as_secs_f64();
    let report = reports.into_iter().next().context("one peer")?;
    println!(
        "{}",
        json!({"report": report, "seconds": seconds, "peak_kib": super::common::peak_kib("self")})
    );
    Ok(())
}

/// automerge's sync protocol between two documents until both are quiet:
/// (messages, bytes).
fn automerge_sync(
    a: &mut automerge::AutoCommit,
    b: &mut automerge::AutoCommit,
) -> Result<(u64, u64)> {
    let (mut sa, mut sb) = (automerge::sync::State::new(), automerge::sync::State::new());
    let (mut messages, mut bytes) = (0u64, 0u64);
    loop {
        let mut quiet = true;
        if let Some(m) = a.sync().generate_sync_message(&mut sa) {
            let enc = m.encode();
            messages += 1;
            bytes += enc.len() as u64;
            b.sync()
                .receive_sync_message(&mut sb, automerge::sync::Message::decode(&enc)?)?;
            quiet = false;
        }
        if let Some(m) = b.sync().generate_sync_message(&mut sb) {
            let enc = m.encode();
            messages += 1;
            bytes += enc.len() as u64;
            a.sync()
                .receive_sync_message(&mut sa, automerge::sync::Message::decode(&enc)?)?;
            quiet = false;
        }
        if quiet {
            return Ok((messages, bytes));
        }
    }
}

/// automerge's protocol over documents of the hub (`ids`), each against
/// the Honduran node's copy (`b`), or an empty document when `b` is
/// `None`: round trips (a message each way), bytes, seconds.
fn automerge_baseline(a: &App, b: Option<&App>, ids: &[String]) -> Result<Value> {
    let t = Instant::now();
    let (mut messages, mut bytes) = (0u64, 0u64);
    for id in ids {
        let row = a.store().read().doc(id)?.context("hub document")?;
        let mut da = automerge::AutoCommit::load(&row.bytes)?;
        let held = match b {
            Some(b) => b.store().read().doc(id)?,
            None => None,
        };
        let mut db = match held {
            Some(r) => automerge::AutoCommit::load(&r.bytes)?,
            None => automerge::AutoCommit::new(),
        };
        let (m, by) = automerge_sync(&mut da, &mut db)?;
        messages += m;
        bytes += by;
    }
    Ok(json!({
        "round_trips": messages.div_ceil(2),
        "messages": messages,
        "bytes": bytes,
        "seconds": t.elapsed().as_secs_f64(),
    }))
}

fn measure(n: u64, edits: u64, enlace: &Path) -> Result<Value> {
    eprintln!("\n{n} cases:");
    let src = source(n)?;
    let tmp = tempfile::tempdir()?;
    let (a_dir, b_dir) = (tmp.path().join("gt"), tmp.path().join("hn"));
    copy_dir(&src, &a_dir)?;
    let mut a = App::open(&a_dir, PASS)?;
    let mut b = App::init(&b_dir, PASS, "HN", "NTF Honduras")?;
    let (ak, bk) = (a.node_info().public_key, b.node_info().public_key);
    a.add_peer(PeerInput {
        node_role: None,
        name: "NTF Honduras".into(),
        url: None,
        key: bk,
        country: "HN".into(),
    })?;
    // The hub serves in a process of its own.
    let mut serve = Command::new(enlace)
        .args(["--data-dir"])
        .arg(&a_dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--interval", "3600"])
        .env("ENLACE_PASSPHRASE", PASS)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    let mut err = std::io::BufReader::new(serve.stderr.take().context("stderr")?);
    let mut line = String::new();
    let upstream = loop {
        line.clear();
        if std::io::BufRead::read_line(&mut err, &mut line)? == 0 {
            bail!("enlace serve did not start");
        }
        if let Some(i) = line.find("https://127.0.0.1:") {
            let url = line[i + 8..].split_whitespace().next().context("addr")?;
            break url.to_owned();
        }
    };
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    let serve = Served(serve);
    let proxy = Proxy::start(upstream)?;
    b.add_peer(PeerInput {
        node_role: None,
        name: "NTF Guatemala".into(),
        url: Some(format!("https://{}", proxy.addr)),
        key: ak,
        country: "GT".into(),
    })?;
    drop(b);

    // Full sync.
    let full = client(&b_dir)?;
    let (up, down) = proxy.take();
    let b = App::open(&b_dir, PASS)?;
    let cases = a
        .store()
        .read()
        .docs_of_kind(enlace_domain::DocKind::Case)?;
    let saved: Vec<u8> = cases.iter().flat_map(|r| r.bytes.iter().copied()).collect();
    let floor_full = zstd::bulk::compress(&saved, 3)?.len() as u64;
    let received = b.store().read().count_docs(enlace_domain::DocKind::Case)?;
    if received != n {
        bail!("the Honduran node holds {received} cases, not {n}");
    }
    let ids: Vec<String> = cases.iter().map(|r| r.id.clone()).collect();
    // The changes themselves, as one batch: the floor of any format that
    // sends changes (the one above is the documents as automerge saves
    // them, each compressed on its own by automerge).
    let mut raw = vec![];
    for id in &ids {
        for row in a.store().read().log_of_doc(id)? {
            raw.extend_from_slice(&row.change);
        }
    }
    let floor_changes = zstd::bulk::compress(&raw, 3)?.len() as u64;
    let am_full = automerge_baseline(&a, None, &ids)?;
    drop(b);

    // K edits on the hub (through a connection of this process).
    let step = (n / edits.max(1)).max(1);
    let before = a.store().read().change_log_stats()?.1;
    let mut edited = vec![];
    for i in 0..edits.min(n) {
        let id = &ids[(i * step) as usize];
        a.update_case(
            id,
            &json!({"summary": format!("Resumen revisado {i}: la fiscalía confirmó la ruta.")}),
        )?;
        edited.push(id.clone());
    }
    let news: Vec<u8> = a
        .store()
        .read()
        .log_after(before, 100_000)?
        .into_iter()
        .flat_map(|r| r.change)
        .collect();
    let floor_incr = zstd::bulk::compress(&news, 3)?.len() as u64;
    let incr = client(&b_dir)?;
    let (up2, down2) = proxy.take();
    let b = App::open(&b_dir, PASS)?;
    // automerge's protocol for the incremental sync needs the hub's
    // documents as they were synced: the Honduran copies are one edit behind.
    let am_incr_changed = automerge_baseline(&a, Some(&b), &edited)?;
    let am_incr_all = automerge_baseline(&a, Some(&b), &ids)?;
    let server_peak = super::common::peak_kib(&serve.0.id().to_string());
    drop(serve);

    let body = |r: &Value| {
        r["report"]["bytes_sent"].as_u64().unwrap_or(0)
            + r["report"]["bytes_received"].as_u64().unwrap_or(0)
    };
    Ok(json!({
        "cases": n,
        "full": {
            "round_trips": full["report"]["requests"],
            "bytes_bodies": body(&full),
            "bytes_tcp": up + down,
            "seconds": full["seconds"],
            "client_peak_kib": full["peak_kib"],
            "floor_bytes": floor_full,
            "floor_changes_bytes": floor_changes,
            "automerge": am_full,
        },
        "incremental": {
            "edits": edits,
            "round_trips": incr["report"]["requests"],
            "bytes_bodies": body(&incr),
            "bytes_tcp": up2 + down2,
            "seconds": incr["seconds"],
            "client_peak_kib": incr["peak_kib"],
            "floor_bytes": floor_incr,
            "automerge_changed_docs": am_incr_changed,
            "automerge_all_docs": am_incr_all,
        },
        "server_peak_kib": server_peak,
    }))
}

pub fn run(args: &[String]) -> Result<()> {
    let (n, baseline, edits) = options(args)?;
    let enlace = super::common::release_enlace()?;
    let small = measure(baseline, edits.min(baseline), &enlace)?;
    let large = measure(n, edits, &enlace)?;
    print_table(&small, &large);
    let out = crate::process::target_dir().join("bench/sync.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&json!({"baseline": small, "large": large}))?,
    )?;
    eprintln!("\nJSON: {}", out.display());
    Ok(())
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

fn print_table(small: &Value, large: &Value) {
    let n = large["cases"].as_u64().unwrap_or(0);
    let b = small["cases"].as_u64().unwrap_or(0);
    let row = |what: &str, s: String, l: String, note: String| {
        println!("| {what} | {s} | {l} | {note} |");
    };
    println!("\n| {n} cases unless said | {b} cases | {n} cases | against |");
    println!("|---|---|---|---|");
    for (phase, label) in [("full", "full sync"), ("incremental", "incremental sync")] {
        let (sp, lp) = (&small[phase], &large[phase]);
        let am = if phase == "full" {
            &lp["automerge"]
        } else {
            &lp["automerge_all_docs"]
        };
        row(
            &format!("{label}: round trips"),
            sp["round_trips"].to_string(),
            lp["round_trips"].to_string(),
            format!("automerge doc by doc: {}", am["round_trips"]),
        );
        row(
            &format!("{label}: bytes (bodies)"),
            sp["bytes_bodies"].to_string(),
            lp["bytes_bodies"].to_string(),
            format!(
                "{:.2}× the zstd floor ({} B); automerge doc by doc: {} B ({:.1}× the floor)",
                f(&lp["bytes_bodies"]) / f(&lp["floor_bytes"]).max(1.0),
                lp["floor_bytes"],
                am["bytes"],
                f(&am["bytes"]) / f(&lp["floor_bytes"]).max(1.0)
            ),
        );
        if phase == "full" {
            row(
                "full sync: against its changes in one zstd batch",
                format!(
                    "{:.2}×",
                    f(&sp["bytes_bodies"]) / f(&sp["floor_changes_bytes"]).max(1.0)
                ),
                format!(
                    "{:.2}×",
                    f(&lp["bytes_bodies"]) / f(&lp["floor_changes_bytes"]).max(1.0)
                ),
                format!("{} B", lp["floor_changes_bytes"]),
            );
        }
        row(
            &format!("{label}: bytes on TCP (TLS, HTTP)"),
            sp["bytes_tcp"].to_string(),
            lp["bytes_tcp"].to_string(),
            format!(
                "{:.2}× the floor",
                f(&lp["bytes_tcp"]) / f(&lp["floor_bytes"]).max(1.0)
            ),
        );
        row(
            &format!("{label}: time"),
            format!("{:.2} s", f(&sp["seconds"])),
            format!("{:.2} s", f(&lp["seconds"])),
            format!("automerge doc by doc in memory: {:.2} s", f(&am["seconds"])),
        );
        row(
            &format!("{label}: client peak memory"),
            format!("{:.0} MiB", f(&sp["client_peak_kib"]) / 1024.0),
            format!("{:.0} MiB", f(&lp["client_peak_kib"]) / 1024.0),
            format!(
                "{:.2}× for {:.0}× the documents",
                f(&lp["client_peak_kib"]) / f(&sp["client_peak_kib"]).max(1.0),
                n as f64 / b.max(1) as f64
            ),
        );
    }
    let ch = &large["incremental"]["automerge_changed_docs"];
    println!(
        "| incremental, automerge over only the {} changed documents | | {} round trips, {} B | |",
        large["incremental"]["edits"], ch["round_trips"], ch["bytes"]
    );
    println!(
        "| hub (server) peak memory | {:.0} MiB | {:.0} MiB | |",
        f(&small["server_peak_kib"]) / 1024.0,
        f(&large["server_peak_kib"]) / 1024.0
    );
}
