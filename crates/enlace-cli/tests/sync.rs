//! Sync between real `enlace` processes: `enlace serve` hubs on loopback
//! with mutual TLS, `enlace sync`, peers killed and restarted, bundles.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Group, PASS, enlace, json, ok, run, run_stdin, text};

/// `enlace` on a machine whose clock is off by `offset` (libfaketime, e.g.
/// `+9d`); the monotonic clock is left alone, as a wrong wall clock does.
fn enlace_at(offset: &str, dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("faketime");
    c.args(["-f", offset])
        .arg(env!("CARGO_BIN_EXE_enlace"))
        .arg("--data-dir")
        .arg(dir)
        .args(args);
    c.env("ENLACE_PASSPHRASE", PASS)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env_remove("ENLACE_LANG")
        .env("LANG", "C.UTF-8");
    c
}

/// A node: its data directory, name, country and key.
struct Node {
    dir: PathBuf,
    name: String,
    country: String,
    key: String,
}

fn node(tmp: &Path, country: &str, name: &str) -> Node {
    let dir = tmp.join(country.to_lowercase() + &name.len().to_string());
    ok(&run(
        &dir,
        &["init", "--country", country, "--node-name", name],
    ));
    let info = json(&run(&dir, &["node", "show", "--json"]));
    Node {
        key: info["public_key"].as_str().expect("key").to_owned(),
        dir,
        name: name.to_owned(),
        country: country.to_owned(),
    }
}

fn pair(a: &Node, b: &Node, url: Option<&str>) {
    let mut args = vec![
        "peer",
        "add",
        &b.name,
        "--key",
        &b.key,
        "--country",
        &b.country,
    ];
    if let Some(u) = url {
        args.extend(["--url", u]);
    }
    ok(&run(&a.dir, &args));
}

/// `enlace serve` running in the background.
struct Hub {
    /// `enlace serve`, or the wrapper that runs it, with its group.
    group: Group,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Hub {
    fn start(n: &Node, listen: &str) -> Hub {
        Hub::spawn(enlace(
            &n.dir,
            &["serve", "--listen", listen, "--interval", "1"],
        ))
    }

    fn spawn(mut command: Command) -> Hub {
        let mut group = Group::spawn(command.stdout(Stdio::null()).stderr(Stdio::piped()));
        let stderr = group.child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut url = None;
        for line in lines.by_ref() {
            let line = line.expect("line");
            if let Some(i) = line.find("https://127.0.0.1:") {
                let rest = &line[i..];
                url = Some(rest.split_whitespace().next().expect("url").to_owned());
                break;
            }
        }
        let url = url.expect("serve printed its address");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        Hub { group, url, log }
    }

    fn port(&self) -> String {
        self.url.rsplit(':').next().expect("port").to_owned()
    }

    /// SIGTERM, as a service manager stops it; its exit code and log.
    fn stop(mut self) -> (Option<i32>, String) {
        self.group.signal("TERM");
        let status = self.group.child.wait().expect("wait");
        std::thread::sleep(Duration::from_millis(100));
        let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        (status.code(), log)
    }

    /// SIGKILL to the whole group: the hub vanishes.
    fn kill(self) {
        self.group.signal("KILL");
    }
}

/// Waits (up to a generous bound, so a broken build fails instead of
/// hanging) until `f` holds.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(60);
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("never happened: {what}");
}

fn titles(n: &Node, query: Option<&str>) -> Vec<String> {
    let mut args = vec!["case", "list", "--json", "--limit", "1000"];
    if let Some(q) = query {
        args.extend(["--query", q]);
    }
    json(&run(&n.dir, &args))["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["title"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn create(n: &Node, body: serde_json::Value) -> String {
    let out = ok(&run_stdin(
        &n.dir,
        &["case", "create", "--json", "-"],
        &body.to_string(),
    ));
    out.split_whitespace().nth(1).expect("reference").to_owned()
}

/// `count` regional cases "Caso N de José Núñez Ávila" in one import.
fn import_cases(n: &Node, count: u64, summary: impl Fn(u64) -> String) {
    let cases: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({
                "title": format!("Caso {i} de José Núñez Ávila"),
                "summary": summary(i),
                "classification": "trafficking",
                "audience": {"scope": "regional"}
            })
        })
        .collect();
    let o = run_stdin(
        &n.dir,
        &["case", "import", "--json", "-"],
        &serde_json::Value::Array(cases).to_string(),
    );
    assert_eq!(ok(&o).lines().count() as u64, count);
}

#[test]
fn three_hubs_share_what_each_country_may_hold_and_nothing_else() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    let mx = node(tmp.path(), "MX", "NTF México");
    let hubs: Vec<Hub> = [&gt, &hn, &mx]
        .iter()
        .map(|n| Hub::start(n, "127.0.0.1:0"))
        .collect();
    let nodes = [&gt, &hn, &mx];
    for (i, a) in nodes.iter().enumerate() {
        for (j, b) in nodes.iter().enumerate() {
            if i != j {
                pair(a, b, Some(&hubs[j].url));
            }
        }
    }
    let victim = serde_json::json!({
        "role": "victim", "age_band": "18-20",
        "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}
    });
    let bilateral = create(
        &gt,
        serde_json::json!({"title": "Caso binacional", "classification": "trafficking",
            "audience": {"scope": "bilateral", "countries": ["HN"]}, "persons": [victim]}),
    );
    create(
        &gt,
        serde_json::json!({"title": "Caso regional", "classification": "smuggling",
            "audience": {"scope": "regional"}}),
    );
    create(
        &gt,
        serde_json::json!({"title": "Caso nacional", "classification": "trafficking",
            "audience": {"scope": "national"}}),
    );
    eventually("Honduras holds both shared cases", || {
        let t = titles(&hn, None);
        t.contains(&"Caso binacional".to_owned()) && t.contains(&"Caso regional".to_owned())
    });
    eventually("Mexico holds the regional case", || {
        titles(&mx, None).contains(&"Caso regional".to_owned())
    });
    // Honduras adds a note to Guatemala's bilateral case; it reaches
    // Guatemala, and Mexico (three hubs talking all along) never sees it.
    ok(&run(
        &hn.dir,
        &["case", "note", &bilateral, "--text", "Nota de Honduras"],
    ));
    eventually("Guatemala gets Honduras' note", || {
        let v = json(&run(&gt.dir, &["case", "show", &bilateral, "--json"]));
        v["case"]["notes"].as_array().is_some_and(|n| n.len() == 1)
    });
    // A few more rounds for anything that might leak.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(titles(&mx, None), vec!["Caso regional".to_owned()]);
    assert!(!titles(&hn, None).contains(&"Caso nacional".to_owned()));
    // The victim's name is searchable only where her person document is.
    assert_eq!(titles(&gt, Some("guity")).len(), 1);
    assert!(titles(&hn, Some("guity")).is_empty());
    let shown = json(&run(&hn.dir, &["case", "show", &bilateral, "--json"]));
    assert_eq!(shown["identities"].as_array().map(Vec::len), Some(0));
    // Stopped with SIGTERM: each hub finishes and says so.
    for hub in hubs {
        let (code, log) = hub.stop();
        assert_eq!(code, Some(0), "{log}");
        assert!(log.contains("Detenido"), "{log}");
    }
    let peers = json(&run(&gt.dir, &["peer", "list", "--json"]));
    for p in peers.as_array().expect("peers") {
        assert!(p["last_success"].is_string(), "{p}");
    }
    // The printed status sheet says how fresh its data is.
    let sheet = tmp.path().join("hoja.pdf");
    ok(&run(
        &gt.dir,
        &[
            "report",
            "plan-status",
            "--country",
            "GT",
            "--lang",
            "es",
            "--out",
            &sheet.to_string_lossy(),
        ],
    ));
    let out = Command::new("pdftotext")
        .arg(&sheet)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask setup`");
    let words = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("Datos a la fecha de la última sincronización con NTF"),
        "{words}"
    );
    assert!(!words.contains("aún no se ha sincronizado"), "{words}");
}

#[test]
fn a_peer_killed_mid_transfer_is_resumed_where_it_stopped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    import_cases(&gt, 400, |_| {
        "Texto del resumen que ocupa espacio en la página. ".repeat(12)
    });
    let hub = Hub::start(&gt, "127.0.0.1:0");
    let port = hub.port();
    pair(&gt, &hn, None);
    pair(&hn, &gt, Some(&hub.url));
    // Small pages, so the transfer takes many requests.
    let mut sync = Group::spawn(
        enlace(&hn.dir, &["sync", "--page-kib", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let count = |n: &Node| -> u64 {
        json(&run(&n.dir, &["case", "list", "--json", "--limit", "1"]))["total"]
            .as_u64()
            .unwrap_or(0)
    };
    eventually("part of the transfer arrived", || count(&hn) >= 30);
    hub.kill(); // the hub vanishes (SIGKILL) in the middle
    let mut out = String::new();
    sync.child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read");
    let status = sync.child.wait().expect("wait");
    assert_eq!(status.code(), Some(9), "{out}");
    let part = count(&hn);
    assert!((30..400).contains(&part), "{part} of 400 before the cut");
    assert!(
        out.contains("se cortó") || out.contains("No se pudo contactar"),
        "the fault in plain words: {out}"
    );
    // Back on the same address: the rest, and nothing twice.
    let _hub = Hub::start(&gt, &format!("127.0.0.1:{port}"));
    let report = json(&run(&hn.dir, &["sync", "--json", "--page-kib", "256"]));
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(
        report["peers"][0]["docs_received"].as_u64(),
        Some(400 - part),
        "{report}"
    );
    assert_eq!(count(&hn), 400);
    assert_eq!(titles(&hn, Some("nunez")).len(), 400);
}

#[test]
fn a_strangers_certificate_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let stranger = node(tmp.path(), "MX", "Desconocido");
    create(
        &gt,
        serde_json::json!({"title": "Caso regional", "classification": "trafficking",
            "audience": {"scope": "regional"}}),
    );
    let hub = Hub::start(&gt, "127.0.0.1:0");
    // The stranger has Guatemala's key and address; Guatemala never paired it.
    pair(&stranger, &gt, Some(&hub.url));
    let o = run(&stranger.dir, &["sync"]);
    assert_eq!(o.status.code(), Some(9), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("rechazó la conexión"), "{out}");
    assert!(titles(&stranger, None).is_empty());
    let o = run(&stranger.dir, &["--lang", "en", "sync", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["peers"][0]["fault"]["code"], "refused");
    let (code, log) = hub.stop();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn a_stolen_laptop_revoked_at_a_running_hub_is_refused_and_the_revocation_reaches_the_office() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub_node = node(tmp.path(), "HN", "Hub Tegucigalpa");
    let laptop = node(tmp.path(), "HN", "Portátil Corinto");
    let office = node(tmp.path(), "HN", "Oficina Choloma Norte");
    let hub = Hub::start(&hub_node, "127.0.0.1:0");
    pair(&hub_node, &laptop, None);
    pair(&hub_node, &office, None);
    pair(&laptop, &hub_node, Some(&hub.url));
    pair(&office, &hub_node, Some(&hub.url));
    create(
        &laptop,
        serde_json::json!({"title": "Rescate en Corinto", "classification": "trafficking"}),
    );
    ok(&run(&laptop.dir, &["sync"]));

    // Errors first: unknown, itself, another country's node.
    let o = run(&hub_node.dir, &["peer", "revoke", "Nadie"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let o = run(&hub_node.dir, &["peer", "revoke", &hub_node.key]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let gt = node(tmp.path(), "GT", "Fiscalía");
    pair(&hub_node, &gt, None);
    let o = run(&hub_node.dir, &["peer", "revoke", "Fiscalía"]);
    assert_eq!(o.status.code(), Some(8), "{}", text(&o));
    assert!(
        text(&o).contains("Guatemala") || text(&o).contains("GT"),
        "{}",
        text(&o)
    );

    // Revoked while `enlace serve` runs: the laptop's next handshake fails.
    let v = json(&run(
        &hub_node.dir,
        &["peer", "revoke", "Portátil Corinto", "--json"],
    ));
    assert_eq!(v["pending"], false);
    assert!(v["kept"].as_u64().expect("kept") > 0);
    create(
        &laptop,
        serde_json::json!({"title": "Escrito por el ladrón", "classification": "trafficking"}),
    );
    let o = run(&laptop.dir, &["sync"]);
    assert_eq!(o.status.code(), Some(9), "{}", text(&o));
    assert!(titles(&hub_node, Some("ladrón")).is_empty());

    // The office syncs over TLS: the laptop's case, and the revocation.
    ok(&run(&office.dir, &["sync"]));
    assert_eq!(titles(&office, Some("Corinto")), vec!["Rescate en Corinto"]);
    let list = json(&run(&office.dir, &["peer", "revocations", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["public_key"], laptop.key.as_str());
    assert_eq!(list[0]["revoked_by"], "Hub Tegucigalpa");
    assert_eq!(list[0]["pending"], false);
    let shown = ok(&run(&office.dir, &["peer", "revocations"]));
    assert!(shown.contains("revocada por Hub Tegucigalpa"), "{shown}");
    let (code, log) = hub.stop();
    assert_eq!(code, Some(0), "{log}");
}

/// A country administrator key at the hub: the hub revokes a stolen laptop
/// with it; the laptop's next sync is refused; a case it records after,
/// carried by a bundle to a second laptop that has not heard, is kept
/// aside at the hub and never reaches the office; a revocation by another
/// key is refused where the country key is trusted.
#[test]
fn a_country_key_revokes_a_stolen_laptop_and_its_later_work_is_kept_aside() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub_node = node(tmp.path(), "HN", "Hub Tegucigalpa");
    let laptop = node(tmp.path(), "HN", "Portátil");
    let other = node(tmp.path(), "HN", "Portátil dos de Corinto");
    let office = node(tmp.path(), "HN", "Oficina Choloma Norte");
    let hub = Hub::start(&hub_node, "127.0.0.1:0");
    for n in [&laptop, &other, &office] {
        pair(&hub_node, n, None);
        pair(n, &hub_node, Some(&hub.url));
    }
    pair(&laptop, &other, None);
    pair(&other, &laptop, None);
    let made = json(&run(
        &hub_node.dir,
        &["node", "country-key", "create", "--json"],
    ));
    assert_eq!(made["holds_secret"], true);
    let key = made["public_key"].as_str().expect("key").to_owned();
    for n in [&laptop, &other, &office] {
        let t = json(&run(
            &n.dir,
            &["node", "country-key", "trust", &key, "--json"],
        ));
        assert_eq!(t["holds_secret"], false);
    }
    create(
        &laptop,
        serde_json::json!({"title": "Rescate en Corinto", "classification": "trafficking"}),
    );
    ok(&run(&laptop.dir, &["sync"]));

    // Only the country key revokes: the office may not.
    let o = run(&office.dir, &["node", "revoke", "Hub Tegucigalpa"]);
    assert_eq!(o.status.code(), Some(8), "{}", text(&o));
    assert!(text(&o).contains("nodo central"), "{}", text(&o));
    let v = json(&run(
        &hub_node.dir,
        &["node", "revoke", "Portátil", "--json"],
    ));
    assert_eq!(v["by_country_key"], true);
    assert_eq!(v["pending"], false);

    // The thief: its sync is refused; it records a case and hands it to
    // the second laptop by a bundle before that one has heard.
    create(
        &laptop,
        serde_json::json!({"title": "Escrito por el ladrón", "classification": "trafficking"}),
    );
    let o = run(&laptop.dir, &["sync"]);
    assert_eq!(o.status.code(), Some(9), "{}", text(&o));
    let bundle = tmp.path().join("del-ladron.enlace").display().to_string();
    ok(&run(
        &laptop.dir,
        &["bundle", "export", "--peer", &other.name, "--out", &bundle],
    ));
    ok(&run(&other.dir, &["bundle", "import", &bundle]));
    assert_eq!(titles(&other, Some("ladrón")).len(), 1, "not heard yet");
    // The second laptop syncs: the revocation reaches it (though it paired
    // the thief directly, the country key's word applies at once); what it
    // relays from the thief is kept aside at the hub.
    ok(&run(&other.dir, &["sync"]));
    let list = json(&run(&other.dir, &["peer", "revocations", "--json"]));
    assert_eq!(list[0]["pending"], false, "{list}");
    assert_eq!(list[0]["by_country_key"], true, "{list}");
    assert!(titles(&hub_node, Some("ladrón")).is_empty());
    let kept = json(&run(&hub_node.dir, &["peer", "quarantine", "--json"]));
    assert!(
        kept.as_array()
            .expect("list")
            .iter()
            .any(|q| q["reason"] == "revoked"),
        "{kept}"
    );
    ok(&run(&office.dir, &["sync"]));
    assert_eq!(titles(&office, Some("Corinto")), vec!["Rescate en Corinto"]);
    assert!(titles(&office, Some("ladrón")).is_empty());
    let (code, log) = hub.stop();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn bundles_over_the_command_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    let mx = node(tmp.path(), "MX", "NTF México");
    pair(&gt, &hn, None);
    pair(&hn, &gt, None);
    pair(&mx, &gt, None);
    create(
        &gt,
        serde_json::json!({"title": "Caso en memoria USB", "classification": "trafficking",
            "audience": {"scope": "regional"}}),
    );
    let file = tmp.path().join("para-honduras.enlace");
    let f = file.to_str().expect("path");
    let out = ok(&run(
        &gt.dir,
        &["bundle", "export", "--peer", "NTF Honduras", "--out", f],
    ));
    assert!(
        out.contains("Paquete 1 para NTF Honduras: 1 documentos"),
        "{out}"
    );
    let out = ok(&run(&hn.dir, &["bundle", "import", f]));
    assert!(out.contains("Paquete 1 de NTF Guatemala aplicado"), "{out}");
    assert_eq!(titles(&hn, None), vec!["Caso en memoria USB".to_owned()]);
    let again = run(&hn.dir, &["bundle", "import", f]);
    assert_eq!(again.status.code(), Some(5), "{}", text(&again));
    assert!(text(&again).contains("ya se importó"), "{}", text(&again));
    let wrong = run(&mx.dir, &["bundle", "import", f]);
    assert_eq!(wrong.status.code(), Some(5), "{}", text(&wrong));
    assert!(
        text(&wrong).contains("cifrado para otro nodo"),
        "{}",
        text(&wrong)
    );
    // Setup: Honduras' hub hands its anchors (itself and its peers) to a
    // new Honduran laptop, which then trusts Guatemala's hub too.
    let anchors = tmp.path().join("anclas-hn.json");
    ok(&run(
        &hn.dir,
        &["peer", "export", "--out", anchors.to_str().expect("path")],
    ));
    let laptop = node(tmp.path(), "HN", "Laptop Honduras");
    let done = json(&run(
        &laptop.dir,
        &["peer", "import", anchors.to_str().expect("path"), "--json"],
    ));
    assert_eq!(
        done["added"],
        serde_json::json!(["NTF Honduras", "NTF Guatemala"])
    );
    let again = json(&run(
        &laptop.dir,
        &["peer", "import", anchors.to_str().expect("path"), "--json"],
    ));
    assert_eq!(again["added"], serde_json::json!([]));
    // Nothing to sync over the network: said plainly, exit 0.
    let none = ok(&run(&hn.dir, &["sync"]));
    assert!(none.contains("No hay pares con dirección"), "{none}");
}

/// Text that compresses about as badly as real prose in a language the
/// compressor has not seen: hex of a xorshift stream.
fn noise(seed: u64, len: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut s = String::with_capacity(len);
    while s.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&format!("{x:016x} "));
    }
    s
}

/// The receiving node's disk fills up in the middle of a sync, for real: its
/// data directory is a small tmpfs in a private mount namespace. The round
/// fails in plain words (exit 9), what was stored stays whole, and once
/// space is freed the next round brings the rest, nothing twice.
#[test]
fn a_full_disk_in_the_middle_of_a_sync_loses_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    import_cases(&gt, 300, |i| noise(i, 3000));
    let hub = Hub::start(&gt, "127.0.0.1:0");
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir");
    let report = tmp.path().join("report");
    std::fs::create_dir(&report).expect("mkdir");
    // Inside the namespace: a Honduran node on the tmpfs; it prints its key
    // and waits for Guatemala to pair it; then the disk is filled to within
    // 400 KiB and it syncs; then space is freed and it syncs again.
    let script = r#"
set -u
D="$1"; ENLACE="$2"; R="$3"; URL="$4"; GTKEY="$5"
mount -t tmpfs -o size=24m tmpfs "$D" || { echo "NO_MOUNT"; exit 90; }
export ENLACE_DATA_DIR="$D/data"
"$ENLACE" init --country HN --node-name "NTF Honduras" >/dev/null 2>&1 || { echo "NO_INIT"; exit 91; }
"$ENLACE" peer add "NTF Guatemala" --country GT --key "$GTKEY" --url "$URL" >/dev/null || exit 92
echo "KEY $("$ENLACE" node show --json | tr -d '\n')"
read go
dd if=/dev/zero of="$D/filler" bs=64k 2>/dev/null
truncate -s -400K "$D/filler"
"$ENLACE" sync --page-kib 32 > "$R/full.out" 2> "$R/full.err"
echo "FULL_EXIT $?"
"$ENLACE" case list --json --limit 1 > "$R/part.json" 2>&1
echo "PART_EXIT $?"
"$ENLACE" peer list --json > "$R/peers.json" 2>&1
rm -f "$D/filler"
"$ENLACE" sync --json > "$R/again.json" 2> "$R/again.err"
echo "AGAIN_EXIT $?"
"$ENLACE" case list --json --limit 1000 > "$R/all.json" 2>&1
"$ENLACE" case list --json --query nunez --limit 1 > "$R/found.json" 2>&1
umount "$D"
"#;
    let mut child = Group::spawn(
        Command::new("unshare")
            .args(["-m", "bash", "-c", script, "full-disk-sync"])
            .arg(&mnt)
            .arg(env!("CARGO_BIN_EXE_enlace"))
            .arg(&report)
            .arg(&hub.url)
            .arg(&gt.key)
            .env("ENLACE_PASSPHRASE", PASS)
            .env_remove("ENLACE_LANG")
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let mut lines = BufReader::new(child.child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("read");
    let info: serde_json::Value = serde_json::from_str(
        first
            .strip_prefix("KEY ")
            .unwrap_or_else(|| panic!("the node's key, not {first}")),
    )
    .expect("node show --json");
    let hn = Node {
        dir: PathBuf::new(),
        name: "NTF Honduras".into(),
        country: "HN".into(),
        key: info["public_key"].as_str().expect("key").to_owned(),
    };
    pair(&gt, &hn, None);
    child
        .child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"go\n")
        .expect("go");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.child.wait().expect("wait");
    let value = |key: &str| -> String {
        rest.iter()
            .find_map(|l| l.strip_prefix(&format!("{key} ")).map(str::to_owned))
            .unwrap_or_else(|| panic!("no {key} in {rest:?} ({status:?})"))
    };
    let read = |name: &str| std::fs::read_to_string(report.join(name)).expect(name);

    // The full disk: exit 9 and the reason in words.
    let full = read("full.out") + &read("full.err");
    assert_eq!(value("FULL_EXIT"), "9", "{full}");
    assert!(
        full.contains("Este equipo no pudo guardar lo recibido de NTF Guatemala"),
        "{full}"
    );
    assert!(!full.contains("panicked"), "{full}");
    // What arrived before is whole and readable.
    assert_eq!(value("PART_EXIT"), "0", "{}", read("part.json"));
    let part: serde_json::Value = serde_json::from_str(&read("part.json")).expect("json");
    let part = part["total"].as_u64().expect("total");
    assert!(part < 300, "the disk filled before the end: {part}");
    // The peer list keeps the fault for the panel and for scripts.
    let peers: serde_json::Value = serde_json::from_str(&read("peers.json")).expect("json");
    assert_eq!(peers[0]["last_error"]["code"], "local_storage", "{peers}");
    assert_eq!(peers[0]["docs_received"].as_u64(), Some(part), "{peers}");
    // Space freed: the rest arrives, nothing twice.
    let again: serde_json::Value = serde_json::from_str(&read("again.json"))
        .unwrap_or_else(|e| panic!("{e}: {} {}", read("again.json"), read("again.err")));
    assert_eq!(value("AGAIN_EXIT"), "0", "{again}");
    assert_eq!(
        again["peers"][0]["docs_received"].as_u64(),
        Some(300 - part),
        "{again}"
    );
    let all: serde_json::Value = serde_json::from_str(&read("all.json")).expect("json");
    assert_eq!(all["total"], 300, "{all}");
    let mut titles: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["title"].as_str().expect("title").to_owned())
        .collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 300);
    let found: serde_json::Value = serde_json::from_str(&read("found.json")).expect("json");
    assert_eq!(found["total"], 300, "every case indexed: {found}");
    drop(hub);
}

/// Clocks wrong by days on both sides (a hub nine days ahead, a laptop nine
/// days behind): certificates carry no dates that matter, so the handshake
/// holds, and changes stamped in the future or the past merge as any other.
#[test]
fn clocks_wrong_by_days_break_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    let ahead = |args: &[&str]| enlace_at("+9d", &gt.dir, args);
    let behind = |args: &[&str]| enlace_at("-9d", &hn.dir, args);
    // The clock really is off for the node.
    let today = chrono_today();
    let created = ok(&ahead(&["case", "create", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().expect("stdin").write_all(
                br#"{"title": "Caso del reloj adelantado", "classification": "trafficking",
                    "audience": {"scope": "regional"}}"#,
            )?;
            c.wait_with_output()
        })
        .expect("create"));
    let reference = created
        .split_whitespace()
        .nth(1)
        .expect("reference")
        .to_owned();
    let shown = json(&run(&gt.dir, &["case", "show", &reference, "--json"]));
    let opened = shown["case"]["opened"].as_str().expect("opened").to_owned();
    assert_ne!(opened, today, "faketime moved the clock: {shown}");

    let hub = Hub::spawn(ahead(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--interval",
        "3600",
    ]));
    pair(&gt, &hn, None);
    pair(&hn, &gt, Some(&hub.url));
    let first = behind(&["sync", "--json"]).output().expect("sync");
    let report = json(&first);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["peers"][0]["docs_received"], 1, "{report}");
    assert_eq!(
        titles(&hn, None),
        vec!["Caso del reloj adelantado".to_owned()]
    );
    // A note written nine days in the past reaches the hub nine days ahead.
    ok(&behind(&[
        "case",
        "note",
        &reference,
        "--text",
        "Nota con el reloj atrasado",
    ])
    .output()
    .expect("note"));
    let second = json(&behind(&["sync", "--json"]).output().expect("sync"));
    assert_eq!(second["ok"], true, "{second}");
    assert_eq!(second["peers"][0]["docs_sent"], 1, "{second}");
    let v = json(&run(&gt.dir, &["case", "show", &reference, "--json"]));
    assert_eq!(
        v["case"]["notes"][0]["text"], "Nota con el reloj atrasado",
        "{v}"
    );
    let q = json(&run(&gt.dir, &["peer", "quarantine", "--json"]));
    assert_eq!(q.as_array().map(Vec::len), Some(0), "nothing refused: {q}");
}

/// Today's date (UTC) as the real clock says, YYYY-MM-DD.
fn chrono_today() -> String {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The issue's 612-byte bundle, from a peer Honduras paired with, imported
/// by a real `enlace` process whose address space is capped at 2 GiB: it
/// used to ask for 4 GiB verifying the proof and die. Now it is refused in
/// words (exit 5), nothing is applied, and an honest bundle still imports.
#[test]
fn a_hostile_bundle_is_refused_by_a_process_that_stays_small() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    pair(&gt, &hn, None);
    pair(&hn, &gt, None);
    let attacker = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    let attacker_key = hex::encode(attacker.verifying_key().to_bytes());
    ok(&run(
        &hn.dir,
        &[
            "peer",
            "add",
            "Laptop robada",
            "--key",
            &attacker_key,
            "--country",
            "MX",
        ],
    ));
    let page = enlace_sync::testing::the_612_byte_page();
    let body = enlace_sync::bundle::BundleBody {
        applied: enlace_sync::Cursor::start(),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        pages: vec![page],
    };
    let hn_key: [u8; 32] = hex::decode(&hn.key).expect("hex").try_into().expect("32");
    let bytes = enlace_sync::bundle::seal(&attacker, &hn_key, 1, "2026-12-06T00:00:00Z", &body)
        .expect("seal");
    assert!(bytes.len() < 2048, "{}", bytes.len());
    let file = tmp.path().join("regalo.enlace");
    std::fs::write(&file, &bytes).expect("write");
    let out = Command::new("prlimit")
        .arg(format!("--as={}", 2u64 << 30))
        .arg(env!("CARGO_BIN_EXE_enlace"))
        .arg("--data-dir")
        .arg(&hn.dir)
        .args(["bundle", "import", file.to_str().expect("path")])
        .env("ENLACE_PASSPHRASE", PASS)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run under prlimit");
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("No se aplicó nada"), "{}", text(&out));
    assert!(titles(&hn, None).is_empty());
    // An honest bundle from Guatemala still imports.
    create(
        &gt,
        serde_json::json!({"title": "Caso honesto", "classification": "trafficking",
            "audience": {"scope": "regional"}}),
    );
    let honest = tmp.path().join("honesto.enlace");
    let h = honest.to_str().expect("path");
    ok(&run(
        &gt.dir,
        &["bundle", "export", "--peer", "NTF Honduras", "--out", h],
    ));
    ok(&run(&hn.dir, &["bundle", "import", h]));
    assert_eq!(titles(&hn, None), vec!["Caso honesto".to_owned()]);
}

/// A hub's process leaves no core dump (its memory holds the database
/// key), and a new node's folder is its owner's only, with a word on how
/// to back it up.
#[test]
fn a_hub_leaves_no_core_dump_and_its_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("nodo");
    let out = run(
        &dir,
        &["init", "--country", "GT", "--node-name", "NTF Guatemala"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("enlace.key.json") && said.contains("copia"),
        "{said}"
    );
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("enlace.db")), 0o600);
    assert_eq!(mode(&dir.join("enlace.key.json")), 0o600);
    let gt = Node {
        dir,
        name: "NTF Guatemala".into(),
        country: "GT".into(),
        key: String::new(),
    };
    let hub = Hub::start(&gt, "127.0.0.1:0");
    let limits =
        std::fs::read_to_string(format!("/proc/{}/limits", hub.group.child.id())).expect("limits");
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("core line");
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
    let (code, _) = hub.stop();
    assert_eq!(code, Some(0));
}

/// The references a node lists, sorted.
fn references(n: &Node) -> Vec<String> {
    let mut r: Vec<String> =
        json(&run(&n.dir, &["case", "list", "--json", "--limit", "1000"]))["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["reference"].as_str().unwrap_or("").to_owned())
            .collect();
    r.sort();
    r
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for f in std::fs::read_dir(from).expect("ls") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
    }
}

/// Guatemala's hub and two border laptops number cases for days without a
/// link, then meet over the network and by a bundle: every node lists the
/// same references, all distinct. The one collision a node code cannot
/// prevent (a laptop restored from its backup numbers again before it
/// syncs) is listed, refused as a lookup (exit 5, both ids named) and
/// renumbered by the owner, with the old reference still finding the case.
#[test]
fn a_hub_and_two_laptops_of_one_country_number_cases_offline() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub_node = node(tmp.path(), "GT", "Hub Guatemala");
    let tecun = node(tmp.path(), "GT", "Tecún Umán");
    let carmen = node(tmp.path(), "GT", "El Carmen");
    let hub = Hub::start(&hub_node, "127.0.0.1:0");
    for laptop in [&tecun, &carmen] {
        pair(&hub_node, laptop, None);
        pair(laptop, &hub_node, Some(&hub.url));
    }
    let case = |n: &Node, title: &str| {
        create(
            n,
            serde_json::json!({"title": title, "classification": "trafficking",
                "audience": {"scope": "national"}}),
        )
    };
    let mut issued = vec![case(&hub_node, "Caso de la capital")];
    for i in 0..2 {
        issued.push(case(&tecun, &format!("Tecún Umán {i}")));
        issued.push(case(&carmen, &format!("El Carmen {i}")));
    }
    // El Carmen has no link: its cases reach the hub on a memory stick.
    let stick = tmp.path().join("el-carmen.enlace");
    let stick = stick.to_str().expect("path");
    ok(&run(
        &carmen.dir,
        &[
            "bundle",
            "export",
            "--peer",
            "Hub Guatemala",
            "--out",
            stick,
        ],
    ));
    ok(&run(&hub_node.dir, &["bundle", "import", stick]));
    for laptop in [&tecun, &carmen, &tecun] {
        let r = json(&run(&laptop.dir, &["sync", "--json"]));
        assert_eq!(r["ok"], true, "{r}");
    }
    issued.sort();
    let distinct: std::collections::BTreeSet<&String> = issued.iter().collect();
    assert_eq!(distinct.len(), issued.len(), "{issued:?}");
    for n in [&hub_node, &tecun, &carmen] {
        assert_eq!(references(n), issued, "on {}", n.name);
        let d = json(&run(&n.dir, &["case", "duplicates", "--json"]));
        assert_eq!(d, serde_json::json!([]), "on {}", n.name);
    }

    // Tecún Umán's disk fails; yesterday's copy is restored, and the
    // laptop numbers a case again before it syncs.
    let backup = tmp.path().join("copia-tecun");
    copy_dir(&tecun.dir, &backup);
    let lost = case(&tecun, "Registrado antes de la avería");
    ok(&run(&tecun.dir, &["sync"]));
    std::fs::remove_dir_all(&tecun.dir).expect("rm");
    copy_dir(&backup, &tecun.dir);
    let again = case(&tecun, "Registrado tras restaurar");
    assert_eq!(
        again, lost,
        "the restored laptop numbered the same case again"
    );
    let said = run(&tecun.dir, &["sync"]);
    assert!(
        text(&said).contains("Una referencia la llevan varios casos"),
        "{}",
        text(&said)
    );
    let shown = run(&hub_node.dir, &["case", "show", &lost]);
    assert_eq!(shown.status.code(), Some(5), "{}", text(&shown));
    let dups = json(&run(&hub_node.dir, &["case", "duplicates", "--json"]));
    assert_eq!(dups[0]["reference"], lost.as_str(), "{dups}");
    let ids: Vec<String> = dups[0]["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{dups}");
    for id in &ids {
        assert!(text(&shown).contains(id.as_str()), "{}", text(&shown));
    }
    let human = ok(&run(&hub_node.dir, &["case", "duplicates"]));
    assert!(
        human.contains(&format!("{lost} la llevan 2 casos")),
        "{human}"
    );
    // The laptop renumbers the one it made after the restore.
    let restored_id = json(&run(
        &tecun.dir,
        &["case", "list", "--json", "--query", "restaurar"],
    ))["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let out = ok(&run(&tecun.dir, &["case", "renumber", &restored_id]));
    let renumbered = out.split_whitespace().nth(1).expect("reference").to_owned();
    assert_ne!(renumbered, lost);
    ok(&run(&tecun.dir, &["sync"]));
    let d = json(&run(&hub_node.dir, &["case", "duplicates", "--json"]));
    assert_eq!(d, serde_json::json!([]));
    let v = json(&run(
        &hub_node.dir,
        &["case", "show", &renumbered, "--json"],
    ));
    assert_eq!(v["case"]["title"], "Registrado tras restaurar", "{v}");
    assert_eq!(
        v["case"]["former_references"],
        serde_json::json!([lost]),
        "{v}"
    );
    let v = json(&run(&hub_node.dir, &["case", "show", &lost, "--json"]));
    assert_eq!(v["case"]["title"], "Registrado antes de la avería", "{v}");
    hub.kill();
}

/// Two network namespaces this test makes, joined by a veth pair (the
/// hub's end 10.231.0.1, the laptop's 10.231.0.2): a link that can be cut
/// and restored. Removed when dropped.
struct Link {
    hub_ns: String,
    laptop_ns: String,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Link {
    fn new() -> Link {
        let id = std::process::id();
        let link = Link {
            hub_ns: format!("enl-hub-{id}"),
            laptop_ns: format!("enl-lap-{id}"),
        };
        for ns in [&link.hub_ns, &link.laptop_ns] {
            ip(&["netns", "add", ns]);
            ip(&["-n", ns, "link", "set", "lo", "up"]);
        }
        ip(&[
            "-n",
            &link.hub_ns,
            "link",
            "add",
            "vh",
            "type",
            "veth",
            "peer",
            "name",
            "vl",
            "netns",
            &link.laptop_ns,
        ]);
        ip(&[
            "-n",
            &link.hub_ns,
            "addr",
            "add",
            "10.231.0.1/30",
            "dev",
            "vh",
        ]);
        ip(&[
            "-n",
            &link.laptop_ns,
            "addr",
            "add",
            "10.231.0.2/30",
            "dev",
            "vl",
        ]);
        link.set(true);
        link
    }

    /// Brings the link up or cuts it (both ends, as a cable pulled out).
    fn set(&self, up: bool) {
        let state = if up { "up" } else { "down" };
        ip(&["-n", &self.hub_ns, "link", "set", "vh", state]);
        ip(&["-n", &self.laptop_ns, "link", "set", "vl", state]);
    }

    /// `enlace serve` in namespace `ns`, listening on `listen`.
    fn serve(ns: &str, n: &Node, listen: &str) -> Group {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns])
            .arg(env!("CARGO_BIN_EXE_enlace"))
            .arg("--data-dir")
            .arg(&n.dir)
            .args(["serve", "--listen", listen, "--interval", "3600"])
            .env("ENLACE_PASSPHRASE", PASS)
            .env("LANG", "C.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Group::spawn(&mut c)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for ns in [&self.hub_ns, &self.laptop_ns] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

/// Back online means synced, with real processes and a real link: a
/// border laptop (`enlace serve` in a namespace of its own) whose link to
/// the hub is cut records a case, fails to sync and would wait an hour;
/// the link comes back and the case reaches the hub within seconds (the
/// laptop notices the network change). Prints how long it took.
#[test]
fn a_cut_link_restored_syncs_within_seconds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub = node(tmp.path(), "GT", "Hub GT");
    let laptop = node(tmp.path(), "GT", "Tecún Umán");
    let link = Link::new();
    let port = "7643";
    pair(&hub, &laptop, None);
    pair(&laptop, &hub, Some(&format!("https://10.231.0.1:{port}")));
    // A port in the hub's own namespace: nothing else listens there.
    let _hub = Link::serve(&link.hub_ns, &hub, &format!("10.231.0.1:{port}"));
    let first = create(
        &laptop,
        serde_json::json!({"title": "Caso antes del corte"}),
    );
    let _laptop = Link::serve(&link.laptop_ns, &laptop, "127.0.0.1:0");
    let at_hub = |reference: &str| run(&hub.dir, &["case", "show", reference]).status.success();
    eventually("the first case at the hub", || at_hub(&first));

    // The cable is pulled; the laptop records a case and fails to sync it.
    link.set(false);
    let second = create(
        &laptop,
        serde_json::json!({"title": "Caso durante el corte"}),
    );
    eventually("a failed round on the laptop", || {
        let peers = json(&run(&laptop.dir, &["peer", "list", "--json"]));
        peers.as_array().is_some_and(|ps| {
            ps.iter()
                .any(|p| p["name"] == "Hub GT" && !p["last_error"].is_null())
        })
    });
    assert!(!at_hub(&second));

    // The cable is back: within seconds, not the hour of the backoff.
    let back = Instant::now();
    link.set(true);
    eventually("the second case at the hub", || at_hub(&second));
    eprintln!(
        "synced {:.1} s after the link came back",
        back.elapsed().as_secs_f64()
    );
}

/// Edits entry `seq` of a node's audit log through SQL, as someone with
/// the database key could, leaving the stored hashes as they were.
fn edit_audit_entry(n: &Node, seq: i64, subject: &str) {
    let key = enlace_store::database_key(&n.dir, None, PASS).expect("key");
    let conn = rusqlite::Connection::open(n.dir.join("enlace.db")).expect("db");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(&key[..])))
        .expect("key");
    let changed = conn
        .execute(
            "UPDATE audit_log SET subject = ?2 WHERE seq = ?1",
            rusqlite::params![seq, subject],
        )
        .expect("edit");
    assert_eq!(changed, 1);
}

#[test]
fn an_altered_audit_log_fails_verify_and_its_hub_notices_at_the_next_sync() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub_node = node(tmp.path(), "GT", "Hub Guatemala");
    let laptop = node(tmp.path(), "GT", "Portátil Tecún");
    let hub = Hub::start(&hub_node, "127.0.0.1:0");
    pair(&hub_node, &laptop, None);
    pair(&laptop, &hub_node, Some(&hub.url));
    create(
        &laptop,
        serde_json::json!({"title": "Rescate en Tecún Umán", "classification": "trafficking"}),
    );
    ok(&run(&laptop.dir, &["sync"]));
    ok(&run(&laptop.dir, &["sync"]));
    let clean = json(&run(&hub_node.dir, &["audit", "verify", "--json"]));
    assert_eq!(clean["peers"], serde_json::json!([]), "{clean}");

    // Someone with the laptop's key changes who its second entry names.
    edit_audit_entry(&laptop, 2, "nadie");
    let o = run(&laptop.dir, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
    assert!(text(&o).contains("entrada 2"), "{}", text(&o));

    // The hub notices at the laptop's next sync.
    ok(&run(&laptop.dir, &["sync"]));
    let peers = json(&run(&hub_node.dir, &["peer", "list", "--json"]));
    let p = peers
        .as_array()
        .expect("peers")
        .iter()
        .find(|p| p["name"] == "Portátil Tecún")
        .expect("the laptop");
    assert_eq!(p["audit_alarm"]["kind"], "rewritten", "{p}");
    let o = run(&hub_node.dir, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o));
    assert!(text(&o).contains("Portátil Tecún"), "{}", text(&o));
    let (code, log) = hub.stop();
    assert_eq!(code, Some(0), "{log}");
}

/// Writes a change into a node's own database as someone holding its
/// passphrase could (a compromised node): `edit` applied to document `id`
/// under the node's key, signed by it and logged as its own work, so the
/// node's next bundle or sync sends it like any other.
fn forge_in_database(n: &Node, id: &str, edit: impl FnOnce(&mut automerge::AutoCommit)) {
    use ed25519_dalek::Signer;
    let key = enlace_store::database_key(&n.dir, None, PASS).expect("key");
    let conn = rusqlite::Connection::open(n.dir.join("enlace.db")).expect("db");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(&key[..])))
        .expect("key");
    let (public, secret): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT public_key, secret_key FROM node WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("node");
    let bytes: Vec<u8> = conn
        .query_row("SELECT bytes FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("document");
    let mut doc = automerge::AutoCommit::load(&bytes).expect("load");
    let mut actor = public.clone();
    actor.extend_from_slice(&[0xEE, 0xEE, 0xEE, 0xEE]);
    doc.set_actor(automerge::ActorId::from(actor));
    edit(&mut doc);
    doc.commit_with(
        automerge::transaction::CommitOptions::default()
            .with_message(r#"{"by":"x","fields":[],"action":"update"}"#.to_owned())
            .with_time(0),
    );
    let heads = doc.get_heads();
    assert_eq!(heads.len(), 1, "the forged change is the one head");
    let change = doc
        .get_change_by_hash(&heads[0])
        .expect("change")
        .raw_bytes()
        .to_vec();
    let signing =
        ed25519_dalek::SigningKey::from_bytes(secret.as_slice().try_into().expect("a 32-byte key"));
    let signature = signing.sign(&heads[0].0).to_bytes().to_vec();
    let hash = hex::encode(heads[0].0);
    conn.execute(
        "UPDATE documents SET bytes = ?2, heads = ?3 WHERE id = ?1",
        rusqlite::params![id, doc.save(), format!("[\"{hash}\"]")],
    )
    .expect("document");
    conn.execute(
        "INSERT INTO change_log (doc_id, hash, change, signature, author, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '2026-12-06T00:00:00Z')",
        rusqlite::params![id, hash, change, signature, public],
    )
    .expect("log");
}

/// Issue 17 with real processes: Honduras answers Guatemala's request
/// for mutual legal assistance and both read the status; the victim's
/// risk assessment, recorded at Guatemala, never reaches Honduras; the
/// request's other fields are Guatemala's alone — refused by the command,
/// and, written into the Honduran node's database by someone who holds
/// its passphrase and sent as its own work, kept aside in Guatemala.
#[test]
fn honduras_answers_a_guatemalan_request_and_the_risk_stays_home() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = node(tmp.path(), "GT", "NTF Guatemala");
    let hn = node(tmp.path(), "HN", "NTF Honduras");
    pair(&gt, &hn, None);
    pair(&hn, &gt, None);
    let reference = create(
        &gt,
        serde_json::json!({
            "title": "Red de captación en Esquipulas", "classification": "trafficking",
            "audience": {"scope": "regional"},
            "persons": [{"role": "victim", "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}}],
            "requests": [{"kind": "mutual_legal_assistance", "from": "GT", "to": "HN",
                          "subject": "Registros migratorios", "status": "sent",
                          "sent": "2026-11-01", "due": "2026-11-30"}]
        }),
    );
    ok(&run(
        &gt.dir,
        &[
            "risk",
            "add",
            &reference,
            "V1",
            "--level",
            "critical",
            "--assessor",
            "Inspectora Núñez",
            "--threat",
            "traffickers_know_location",
            "--taken",
            "Albergue",
        ],
    ));
    let carry = |from: &Node, to: &Node, name: &str| {
        let file = tmp.path().join(name);
        let f = file.to_str().expect("path");
        ok(&run(
            &from.dir,
            &["bundle", "export", "--peer", &to.name, "--out", f],
        ));
        ok(&run(&to.dir, &["bundle", "import", f]));
    };
    carry(&gt, &hn, "a.enlace");

    // Honduras sees it addressed to it, overdue (its deadline passed).
    let asked = json(&run(&hn.dir, &["request", "list", "--to-us", "--json"]));
    let asked = asked.as_array().expect("list");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0]["side"], "to_us");
    assert_eq!(asked[0]["overdue"], true);
    let id = asked[0]["request"]["id"].as_str().expect("id").to_owned();
    // The risk stayed in Guatemala.
    let risk = json(&run(&hn.dir, &["risk", "list", &reference, "--json"]));
    assert_eq!(
        risk[0]["current"].as_array().map(Vec::len),
        Some(0),
        "{risk}"
    );
    assert_eq!(
        json(&run(&hn.dir, &["risk", "due", "--days", "400", "--json"])),
        serde_json::json!([])
    );
    // Honduras cannot change the request itself.
    let patch = tmp.path().join("patch.json");
    std::fs::write(&patch, r#"{"requests": []}"#).expect("write");
    let refused = run(
        &hn.dir,
        &[
            "case",
            "update",
            &reference,
            "--json",
            patch.to_str().expect("path"),
        ],
    );
    assert_eq!(refused.status.code(), Some(8), "{}", text(&refused));
    // An answer without its reason is refused, naming the field.
    let bad = run(
        &hn.dir,
        &["request", "answer", &reference, &id, "--action", "refused"],
    );
    assert_eq!(bad.status.code(), Some(5), "{}", text(&bad));
    assert!(text(&bad).contains("text"), "{}", text(&bad));

    ok(&run(
        &hn.dir,
        &[
            "request",
            "answer",
            &reference,
            &id[..4],
            "--action",
            "answered",
            "--text",
            "Se remiten los registros de entradas y salidas.",
        ],
    ));
    carry(&hn, &gt, "b.enlace");
    let made = json(&run(&gt.dir, &["request", "list", "--from-us", "--json"]));
    assert_eq!(made[0]["latest"], "answered", "{made}");
    assert_eq!(made[0]["overdue"], false);
    assert_eq!(made[0]["answers"][0]["country"], "HN");
    let shown = run(&gt.dir, &["request", "list"]);
    assert!(
        text(&shown).contains("Se remiten los registros"),
        "{}",
        text(&shown)
    );
    // Both read the same status.
    let at_hn = json(&run(&hn.dir, &["request", "list", "--json"]));
    assert_eq!(at_hn[0]["latest"], "answered");

    // A compromised Honduran node writes Guatemala's own fields of the
    // request (its status, its deadline) and sends it as its work:
    // Guatemala keeps it aside and the request reads as before.
    let case_id = made[0]["case_id"].as_str().expect("case id").to_owned();
    forge_in_database(&hn, &case_id, |doc| {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let (_, requests) = doc
            .get(automerge::ROOT, "requests")
            .expect("read")
            .expect("requests");
        let (_, first) = doc.get(&requests, 0).expect("read").expect("a request");
        doc.put(&first, "status", "withdrawn").expect("put");
        doc.put(&first, "due", "2099-12-31").expect("put");
    });
    carry(&hn, &gt, "c.enlace");
    let kept = json(&run(&gt.dir, &["peer", "quarantine", "--json"]));
    let kept = kept.as_array().expect("list");
    assert!(
        kept.iter()
            .any(|q| q["doc_id"] == case_id.as_str() && q["reason"] == "not_allowed"),
        "{kept:?}"
    );
    let after = json(&run(&gt.dir, &["request", "list", "--from-us", "--json"]));
    assert_eq!(after[0]["request"]["status"], made[0]["request"]["status"]);
    assert_eq!(after[0]["request"]["due"], "2026-11-30");
    assert_eq!(after[0]["latest"], "answered");
}
