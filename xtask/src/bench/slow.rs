//! `cargo xtask bench slow [--cases N] [--edits K]`: sync over the links
//! of a border post, simulated with tc netem between two network
//! namespaces this benchmark makes (root needed; it says so otherwise).
//!
//! A Guatemalan hub of N cases (default 10,000, with their victims'
//! identities) serves in one namespace; a new border laptop of the same
//! country syncs from the other, over a veth pair shaped both ways to
//! 64 kbit/s (tc tbf), 2 % of packets dropped each way (nftables) and
//! 300 ms each way (600 ms round trip) added by a relay in the hub's
//! namespace that holds every chunk 300 ms before passing it on. This
//! kernel has no `sch_netem` (and cannot load modules), so netem's delay is
//! replaced by that relay; the rate and the loss are the kernel's own.
//! - `satellite`: the link as it is;
//! - `cut`: the same link, cut for 5 s every 30 s.
//!
//! On each: the first sync of the new laptop (the whole country), then an
//! incremental one after K edits on the hub (default 100, a day's work).
//! The laptop retries at once after a failed session (a real node retries
//! when the network returns); each retry is a resumption. Reported: time,
//! bytes on the wire (the veth's counters: TCP/IP and TLS included,
//! retransmissions too), resumptions, and the changes received against
//! the changes the hub holds — a change received twice would show as more.
//! JSON in `<target>/bench/slow.json`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use enlace_core::{App, PeerInput};
use serde_json::{Value, json};

const PASS: &str = super::common::PASS;

fn ip(args: &[&str]) -> Result<()> {
    let out = Command::new("ip").args(args).output()?;
    if !out.status.success() {
        bail!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Two namespaces joined by a shaped veth pair; removed when dropped.
struct Link {
    hub: String,
    laptop: String,
}

impl Link {
    fn new() -> Result<Link> {
        let id = std::process::id();
        let link = Link {
            hub: format!("enl-sh-{id}"),
            laptop: format!("enl-sl-{id}"),
        };
        for ns in [&link.hub, &link.laptop] {
            ip(&["netns", "add", ns])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
        }
        ip(&[
            "-n",
            &link.hub,
            "link",
            "add",
            "vh",
            "type",
            "veth",
            "peer",
            "name",
            "vl",
            "netns",
            &link.laptop,
        ])?;
        ip(&["-n", &link.hub, "addr", "add", "10.232.0.1/30", "dev", "vh"])?;
        ip(&[
            "-n",
            &link.laptop,
            "addr",
            "add",
            "10.232.0.2/30",
            "dev",
            "vl",
        ])?;
        ip(&["-n", &link.hub, "link", "set", "vh", "up"])?;
        ip(&["-n", &link.laptop, "link", "set", "vl", "up"])?;
        for (ns, dev) in [(&link.hub, "vh"), (&link.laptop, "vl")] {
            let shaped = Command::new("ip")
                .args([
                    "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root",
                ])
                .args(["tbf", "rate", "64kbit", "burst", "1600", "latency", "2s"])
                .output()?;
            if !shaped.status.success() {
                bail!("tc tbf: {}", String::from_utf8_lossy(&shaped.stderr));
            }
            let rules = format!(
                "add table inet loss\n\
                 add chain inet loss out {{ type filter hook output priority 0; }}\n\
                 add rule inet loss out oifname \"{dev}\" numgen random mod 100 < 2 drop\n"
            );
            let mut nft = Command::new("ip")
                .args(["netns", "exec", ns, "nft", "-f", "-"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .context("nft (apt install nftables)")?;
            std::io::Write::write_all(nft.stdin.as_mut().context("stdin")?, rules.as_bytes())?;
            drop(nft.stdin.take());
            let out = nft.wait_with_output()?;
            if !out.status.success() {
                bail!("nft: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
        Ok(link)
    }

    fn set(&self, up: bool) {
        let _ = ip(&[
            "-n",
            &self.laptop,
            "link",
            "set",
            "vl",
            if up { "up" } else { "down" },
        ]);
    }

    /// Bytes the laptop's end has sent and received on the wire.
    fn wire_bytes(&self) -> Result<u64> {
        let read = |what: &str| -> Result<u64> {
            let out = Command::new("ip")
                .args([
                    "netns",
                    "exec",
                    &self.laptop,
                    "cat",
                    &format!("/sys/class/net/vl/statistics/{what}_bytes"),
                ])
                .output()?;
            Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
        };
        Ok(read("rx")? + read("tx")?)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for ns in [&self.hub, &self.laptop] {
            let _ = ip(&["netns", "del", ns]);
        }
    }
}

/// Runs the laptop's sync until a session succeeds: (seconds,
/// resumptions, changes received, documents received).
fn sync_until_done(link: &Link, dir: &Path) -> Result<(f64, u64, u64, u64)> {
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let (mut resumptions, mut changes, mut docs) = (0u64, 0u64, 0u64);
    loop {
        let out = Command::new("ip")
            .args(["netns", "exec", &link.laptop])
            .arg(&exe)
            .args(["bench-run", "sync-client", "--data-dir"])
            .arg(dir)
            .stderr(Stdio::null())
            .output()?;
        // A client that could not even start a session prints nothing.
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        let r = &v["report"];
        changes += r["changes_received"].as_u64().unwrap_or(0);
        docs += r["docs_received"].as_u64().unwrap_or(0);
        if r["ok"].as_bool() == Some(true) {
            return Ok((t.elapsed().as_secs_f64(), resumptions, changes, docs));
        }
        resumptions += 1;
        if resumptions > 500 {
            bail!(
                "no session succeeded in 500 tries: {r} {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn profile(name: &str, cut: bool, src: &Path, enlace: &Path, edits: u64) -> Result<Value> {
    eprintln!("\n{name}:");
    let link = Link::new()?;
    let tmp = tempfile::tempdir()?;
    let (hub_dir, lap_dir) = (tmp.path().join("hub"), tmp.path().join("laptop"));
    super::sync::copy_dir(src, &hub_dir)?;
    let mut hub = App::open(&hub_dir, PASS)?;
    let mut laptop = App::init(&lap_dir, PASS, "GT", "Paso Tecún Umán")?;
    hub.add_peer(PeerInput {
        node_role: None,
        name: "Paso Tecún Umán".into(),
        url: None,
        key: laptop.node_info().public_key,
        country: "GT".into(),
    })?;
    laptop.add_peer(PeerInput {
        node_role: None,
        name: "Hub GT".into(),
        url: Some("https://10.232.0.1:7446".into()),
        key: hub.node_info().public_key,
        country: "GT".into(),
    })?;
    drop(laptop);
    let total_changes = hub.store().read().change_log_stats()?.1;
    let mut serve = Command::new("ip")
        .args(["netns", "exec", &link.hub])
        .arg(enlace)
        .arg("--data-dir")
        .arg(&hub_dir)
        .args(["serve", "--listen", "127.0.0.1:7445", "--interval", "86400"])
        .env("ENLACE_PASSPHRASE", PASS)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut relay = Command::new("ip")
        .args(["netns", "exec", &link.hub])
        .arg(std::env::current_exe()?)
        .args([
            "bench-run",
            "slow-relay",
            "10.232.0.1:7446",
            "127.0.0.1:7445",
            "300",
        ])
        .stdout(Stdio::null())
        .spawn()?;
    std::thread::sleep(Duration::from_secs(3));

    let stop = Arc::new(AtomicBool::new(false));
    let cutter = cut.then(|| {
        let (stop, ns) = (stop.clone(), link.laptop.clone());
        std::thread::spawn(move || {
            let l = Link {
                hub: String::new(),
                laptop: ns,
            };
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_secs(30));
                l.set(false);
                std::thread::sleep(Duration::from_secs(5));
                l.set(true);
            }
            // Not this thread's namespaces to remove.
            std::mem::forget(l);
        })
    });

    let w0 = link.wire_bytes()?;
    let (secs, resumed, changes, docs) = sync_until_done(&link, &lap_dir)?;
    let w1 = link.wire_bytes()?;
    eprintln!(
        "  first sync: {secs:.0} s, {} KiB on the wire, {resumed} resumptions, {changes} changes received of {total_changes}",
        (w1 - w0) / 1024
    );
    let first = json!({
        "seconds": secs, "wire_bytes": w1 - w0, "resumptions": resumed,
        "changes_received": changes, "docs_received": docs, "changes_held_by_hub": total_changes,
    });

    // A day's work on the hub (while it serves: two processes, one folder).
    let before = hub.store().read().change_log_stats()?.1;
    let ids = hub.store().read().doc_ids(enlace_domain::DocKind::Case)?;
    let step = (ids.len() as u64 / edits.max(1)).max(1) as usize;
    for (i, id) in ids.iter().step_by(step).take(edits as usize).enumerate() {
        hub.update_case(
            id,
            &json!({"summary": format!("Resumen revisado {i}: la fiscalía confirmó la ruta.")}),
        )?;
    }
    let new_changes = hub.store().read().change_log_stats()?.1 - before;
    let (secs2, resumed2, changes2, _) = sync_until_done(&link, &lap_dir)?;
    let w2 = link.wire_bytes()?;
    eprintln!(
        "  after {edits} edits: {secs2:.1} s, {} KiB on the wire, {resumed2} resumptions, {changes2} changes received of {new_changes} new",
        (w2 - w1) / 1024
    );
    stop.store(true, Ordering::SeqCst);
    let _ = serve.kill();
    let _ = serve.wait();
    let _ = relay.kill();
    let _ = relay.wait();
    if let Some(c) = cutter {
        let _ = c.join();
    }
    let laptop = App::open(&lap_dir, PASS)?;
    let held = laptop.store().read().change_log_stats()?.1;
    if held != hub.store().read().change_log_stats()?.1 {
        bail!("{name}: the laptop holds {held} changes, the hub more");
    }
    Ok(json!({
        "first": first,
        "incremental": {
            "edits": edits, "seconds": secs2, "wire_bytes": w2 - w1, "resumptions": resumed2,
            "changes_received": changes2, "new_changes": new_changes,
        },
    }))
}

/// The delay relay (`xtask bench-run slow-relay LISTEN UPSTREAM MS`): every
/// chunk read is written MS milliseconds later, both ways.
pub fn relay_main(args: &[String]) -> Result<()> {
    let (listen, upstream, ms) = match args {
        [_, l, u, m] => (l.clone(), u.clone(), m.parse::<u64>()?),
        _ => bail!("slow-relay LISTEN UPSTREAM MS"),
    };
    let delay = Duration::from_millis(ms);
    let listener = std::net::TcpListener::bind(&listen)?;
    for client in listener.incoming().map_while(Result::ok) {
        let Ok(server) = std::net::TcpStream::connect(&upstream) else {
            continue;
        };
        let (c2, s2) = (client.try_clone()?, server.try_clone()?);
        std::thread::spawn(move || delayed(client, server, delay));
        std::thread::spawn(move || delayed(s2, c2, delay));
    }
    Ok(())
}

fn delayed(mut from: std::net::TcpStream, mut to: std::net::TcpStream, delay: Duration) {
    use std::io::{Read, Write};
    let (tx, rx) = std::sync::mpsc::channel::<(Instant, Vec<u8>)>();
    let writer = std::thread::spawn(move || {
        for (due, chunk) in rx {
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            if to.write_all(&chunk).is_err() {
                break;
            }
        }
        let _ = to.shutdown(std::net::Shutdown::Write);
    });
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if tx
                    .send((Instant::now() + delay, buf[..n].to_vec()))
                    .is_err()
                {
                    break;
                }
            }
        }
    }
    drop(tx);
    let _ = writer.join();
}

pub fn run(args: &[String]) -> Result<()> {
    let (mut n, mut edits, mut only) = (10_000u64, 100u64, None::<String>);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cases" => n = it.next().context("--cases N")?.parse()?,
            "--edits" => edits = it.next().context("--edits K")?.parse()?,
            "--only" => only = Some(it.next().context("--only satellite|cut")?.clone()),
            other => {
                bail!("unknown argument {other} (use --cases N, --edits K, --only satellite|cut)")
            }
        }
    }
    let root = Command::new("id").arg("-u").output()?;
    if String::from_utf8_lossy(&root.stdout).trim() != "0" {
        bail!("bench slow makes network namespaces and shapes links with tc: run it as root");
    }
    let enlace = super::common::release_enlace()?;
    let src = super::sync::source(n)?;
    let mut out = serde_json::Map::new();
    for (name, cut) in [("satellite", false), ("cut", true)] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        out.insert(name.into(), profile(name, cut, &src, &enlace, edits)?);
    }
    let file = crate::process::target_dir().join("bench/slow.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(
            &json!({"cases": n, "link": "64 kbit/s (tbf), 2 % loss each way (nftables), 600 ms round trip (relay)", "profiles": out}),
        )?,
    )?;
    eprintln!("\nJSON: {}", file.display());
    Ok(())
}
