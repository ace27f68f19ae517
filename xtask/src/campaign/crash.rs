//! `cargo xtask campaign crash [--kills N] [--seed S]`: SIGKILL at random
//! moments while a border laptop's node works, then proof that nothing was
//! lost.
//!
//! Three real nodes of one country on disk: a hub served by `enlace serve`
//! for the whole run (while this process also writes to the hub's
//! database: two processes on one data folder), the laptop — the node
//! killed — and an office that reaches the laptop by network and by
//! bundle. Kills rotate over six jobs of the laptop:
//! - `write`: a process creating and updating cases, printing each write
//!   the core acknowledged;
//! - `client`: `enlace sync` pulling the hub's new cases (pages applied as
//!   the client);
//! - `hub`: `enlace serve` on the laptop while the office pushes its new
//!   cases (pages applied as the server);
//! - `bundle`: `enlace bundle import` of the office's bundle;
//! - `reindex`: `enlace reindex`;
//! - `migration`: the first opening of a copy of the laptop's database one
//!   schema version back (the latest migration, 0010, undone, and the
//!   reindex a migration leaves).
//!
//! After each kill the killed database opens, `App::check` finds it whole
//! (`PRAGMA integrity_check`, every document against its heads and the
//! change log, the audit chain), the case index counts every case, every
//! acknowledged write is there (an update at its acknowledged revision or
//! a later one) and nothing the node held before is gone. At the end the
//! nodes sync without kills and must hold the same documents with the same
//! heads and empty quarantines. Prints the figures; fails on any loss.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use enlace_core::{App, CaseFilter, DocKind, PeerInput};
use serde_json::json;

const PASS: &str = "frase de acceso de la campaña";

/// A small seeded generator (xorshift64*): a run is repeated by its seed.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Job {
    Write,
    Client,
    Hub,
    Bundle,
    Reindex,
    Migration,
}

const JOBS: [Job; 6] = [
    Job::Write,
    Job::Client,
    Job::Hub,
    Job::Bundle,
    Job::Reindex,
    Job::Migration,
];

/// The figures of a run.
#[derive(Default)]
pub(crate) struct Figures {
    pub(crate) kills: u64,
    /// Kills that found the process still working (the others had
    /// finished before the signal: their work is checked all the same).
    pub(crate) mid_work: u64,
    pub(crate) acknowledged: u64,
    pub(crate) lost: u64,
    by_job: BTreeMap<&'static str, (u64, u64)>,
}

struct Nodes {
    tmp: tempfile::TempDir,
    enlace: PathBuf,
    hub: App,
    office: App,
    laptop_dir: PathBuf,
    office_dir: PathBuf,
    laptop_port: u16,
    hub_serve: Child,
    made: u64,
}

impl Drop for Nodes {
    fn drop(&mut self) {
        let _ = self.hub_serve.kill();
        let _ = self.hub_serve.wait();
    }
}

fn enlace(bin: &Path, dir: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("--data-dir")
        .arg(dir)
        .arg("--lang")
        .arg("en")
        .env("ENLACE_PASSPHRASE", PASS)
        .stdin(Stdio::null());
    c
}

/// `enlace serve` on `listen`; waits for the address it prints.
fn serve(bin: &Path, dir: &Path, listen: &str) -> Result<(Child, String)> {
    let mut child = enlace(bin, dir)
        .args(["serve", "--listen", listen, "--interval", "3600"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let err = child.stderr.take().context("stderr")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Some(i) = line.find("https://") {
                let url = line[i..].split_whitespace().next().unwrap_or("").to_owned();
                let _ = tx.send(url);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(url) => Ok((child, url)),
        Err(_) => {
            let _ = child.kill();
            bail!("enlace serve did not start on {}", dir.display())
        }
    }
}

fn case_input(title: &str) -> enlace_domain::input::CaseInput {
    let mut c = enlace_core::synthetic(0);
    c.demo = false;
    c.title = title.to_owned();
    c
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Nodes {
    fn new(enlace_bin: &Path) -> Result<Nodes> {
        let tmp = tempfile::tempdir()?;
        let (hub_dir, laptop_dir, office_dir) = (
            tmp.path().join("hub"),
            tmp.path().join("laptop"),
            tmp.path().join("office"),
        );
        let mut hub = App::init(&hub_dir, PASS, "GT", "Hub Ciudad de Guatemala")?;
        let mut laptop = App::init(&laptop_dir, PASS, "GT", "Paso Tecún Umán")?;
        let mut office = App::init(&office_dir, PASS, "GT", "Oficina Quetzaltenango")?;
        let key = |a: &App| a.node_info().public_key;
        let peer = |name: &str, a: &App, url: Option<String>| PeerInput {
            node_role: None,
            name: name.into(),
            url,
            key: key(a),
            country: "GT".into(),
        };
        let laptop_port = free_port()?;
        hub.add_peer(peer("Paso Tecún Umán", &laptop, None))?;
        office.add_peer(peer(
            "Paso Tecún Umán",
            &laptop,
            Some(format!("https://127.0.0.1:{laptop_port}")),
        ))?;
        laptop.add_peer(peer("Oficina Quetzaltenango", &office, None))?;
        hub.import_cases(
            (0..200)
                .map(|i| {
                    let mut c = enlace_core::synthetic(i);
                    c.demo = false;
                    c
                })
                .collect(),
        )?;
        let (hub_serve, hub_url) = serve(enlace_bin, &hub_dir, "127.0.0.1:0")?;
        laptop.add_peer(peer("Hub Ciudad de Guatemala", &hub, Some(hub_url)))?;
        drop(laptop);
        Ok(Nodes {
            tmp,
            enlace: enlace_bin.to_owned(),
            hub,
            office,
            laptop_dir,
            office_dir,
            laptop_port,
            hub_serve,
            made: 0,
        })
    }

    /// New cases on `who` (the hub while `enlace serve` runs on it).
    fn more_cases(&mut self, office: bool, n: u64) -> Result<()> {
        let start = self.made;
        self.made += n;
        let cases = (start..start + n)
            .map(|i| case_input(&format!("Caso de la campaña {i}: José Núñez Ávila")))
            .collect();
        if office {
            self.office.import_cases(cases)?;
        } else {
            self.hub.import_cases(cases)?;
        }
        Ok(())
    }
}

/// What a node holds: every document and the changes of it in its change
/// log (`App::check` proves the log and the documents agree).
fn held(dir: &Path) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let app = App::open(dir, PASS)?;
    let read = app.store().read();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, _) in read.all_doc_ids()? {
        out.entry(id).or_default();
    }
    for row in read.log_after(0, usize::MAX)? {
        out.entry(row.doc_id).or_default().insert(row.hash);
    }
    Ok(out)
}

/// The killed node opens, is whole, and lost nothing.
fn verify(
    dir: &Path,
    before: &BTreeMap<String, BTreeSet<String>>,
    acked: &Acked,
    figures: &mut Figures,
) -> Result<()> {
    let mut app = App::open(dir, PASS).context("the killed node does not open")?;
    let report = app.check(&mut |_, _| {})?;
    if !report.is_whole() {
        bail!("damage after a kill: {:?}", report.damage);
    }
    let cases = app.store().read().count_docs(DocKind::Case)?;
    let listed = app.list_cases(&CaseFilter::default())?.total;
    if listed != cases {
        bail!("the case list counts {listed} cases, the node holds {cases}");
    }
    let now = held(dir)?;
    for (id, changes) in before {
        match now.get(id) {
            Some(have) if have.is_superset(changes) => {}
            _ => {
                figures.lost += 1;
                eprintln!("LOST: document {id} or some of its changes");
            }
        }
    }
    for id in &acked.created {
        if !now.contains_key(id) {
            figures.lost += 1;
            eprintln!("LOST: acknowledged case {id}");
        }
    }
    for (id, rev) in &acked.updated {
        let view = app.case(id)?;
        let summary = view.case.summary;
        let at: u64 = summary
            .strip_prefix("revisión ")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if at < *rev {
            figures.lost += 1;
            eprintln!("LOST: case {id} at «{summary}», revision {rev} was acknowledged");
        }
    }
    Ok(())
}

#[derive(Default)]
struct Acked {
    created: BTreeSet<String>,
    /// The highest acknowledged revision of each updated case.
    updated: BTreeMap<String, u64>,
}

/// Reads a child's stdout lines into a channel.
fn lines_of(child: &mut Child) -> Result<mpsc::Receiver<String>> {
    let out = child.stdout.take().context("stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}

/// Kills `child` after `after`; whether it was still working.
fn kill_after(child: &mut Child, after: Duration) -> Result<bool> {
    std::thread::sleep(after);
    let running = child.try_wait()?.is_none();
    // SIGKILL: nothing runs after it, not even a destructor.
    let _ = child.kill();
    child.wait()?;
    Ok(running)
}

/// The writer process (`xtask campaign-run crash-writer DIR`): creates
/// and updates cases on the laptop until killed, printing each write once
/// the core has acknowledged it.
pub(crate) fn writer_main(args: &[String]) -> Result<()> {
    let dir = args.get(1).context("crash-writer DIR")?;
    let mut app = App::open(Path::new(dir), PASS)?;
    println!("ready");
    let mut mine: Vec<String> = vec![];
    let mut rev = 0u64;
    loop {
        rev += 1;
        // At most 20 new cases per process: then it updates them (the
        // laptop must not grow by hundreds of cases a kill).
        if (rev.is_multiple_of(3) || mine.len() >= 20) && !mine.is_empty() {
            let id = mine[(rev as usize) % mine.len()].clone();
            app.update_case(&id, &json!({"summary": format!("revisión {rev}")}))?;
            println!("updated {id} {rev}");
        } else {
            let saved = app.create_case(case_input(&format!("Escrito antes de la señal {rev}")))?;
            println!("created {}", saved.id);
            mine.push(saved.id);
        }
    }
}

/// A copy of the laptop's database one schema version back: the latest
/// migration (0013: the risk index) undone.
fn one_version_back(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for f in [enlace_core::KEY_FILE, enlace_store::DB_FILE] {
        std::fs::copy(from.join(f), to.join(f))?;
    }
    let key = enlace_store::database_key(to, None, PASS)?;
    let conn = rusqlite::Connection::open(to.join(enlace_store::DB_FILE))?;
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\";
         DROP TABLE risk_index;
         PRAGMA user_version = 12;",
        hex::encode(&key[..])
    ))?;
    Ok(())
}

fn name(job: Job) -> &'static str {
    match job {
        Job::Write => "write",
        Job::Client => "client",
        Job::Hub => "hub",
        Job::Bundle => "bundle",
        Job::Reindex => "reindex",
        Job::Migration => "migration",
    }
}

/// One kill of `job`.
fn one(nodes: &mut Nodes, job: Job, rng: &mut Rng, acked: &mut Acked) -> Result<(bool, PathBuf)> {
    let bin = nodes.enlace.clone();
    let laptop = nodes.laptop_dir.clone();
    let at = |rng: &mut Rng, lo: u64, hi: u64| Duration::from_millis(lo + rng.below(hi - lo));
    let running = match job {
        Job::Write => {
            let mut child = Command::new(std::env::current_exe()?)
                .args(["campaign-run", "crash-writer"])
                .arg(&laptop)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()?;
            let rx = lines_of(&mut child)?;
            if rx.recv_timeout(Duration::from_secs(60)).ok().as_deref() != Some("ready") {
                let _ = child.kill();
                bail!("the writer did not start");
            }
            let running = kill_after(&mut child, at(rng, 5, 400))?;
            for line in rx.try_iter() {
                let mut w = line.split_whitespace();
                match (w.next(), w.next(), w.next()) {
                    (Some("created"), Some(id), None) => {
                        acked.created.insert(id.to_owned());
                    }
                    (Some("updated"), Some(id), Some(rev)) => {
                        let rev: u64 = rev.parse()?;
                        let e = acked.updated.entry(id.to_owned()).or_default();
                        *e = (*e).max(rev);
                    }
                    _ => bail!("the writer printed «{line}»"),
                }
            }
            running
        }
        Job::Client => {
            nodes.more_cases(false, 10)?;
            let mut child = enlace(&bin, &laptop)
                .args(["sync", "--peer", "Hub Ciudad de Guatemala"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            kill_after(&mut child, at(rng, 20, 600))?
        }
        Job::Hub => {
            nodes.more_cases(true, 10)?;
            let (mut server, _) =
                serve(&bin, &laptop, &format!("127.0.0.1:{}", nodes.laptop_port))?;
            let mut pusher = enlace(&bin, &nodes.office_dir)
                .args(["sync"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let running = kill_after(&mut server, at(rng, 20, 800))?;
            pusher.wait()?;
            running
        }
        Job::Bundle => {
            nodes.more_cases(true, 10)?;
            let file = nodes.tmp.path().join("laptop.enlace-bundle");
            let _ = std::fs::remove_file(&file);
            nodes
                .office
                .export_bundle("Paso Tecún Umán", &file, &mut |_, _| {})?;
            let mut child = enlace(&bin, &laptop)
                .args(["bundle", "import"])
                .arg(&file)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            kill_after(&mut child, at(rng, 5, 300))?
        }
        Job::Reindex => {
            let mut child = enlace(&bin, &laptop)
                .arg("reindex")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            kill_after(&mut child, at(rng, 5, 250))?
        }
        Job::Migration => {
            let copy = nodes.tmp.path().join("migrated");
            let _ = std::fs::remove_dir_all(&copy);
            one_version_back(&laptop, &copy)?;
            let mut child = enlace(&bin, &copy)
                .args(["case", "list", "--limit", "1"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let running = kill_after(&mut child, at(rng, 5, 250))?;
            return Ok((running, copy));
        }
    };
    Ok((running, laptop))
}

/// Kills per era.
const ERA: u64 = 100;

/// `n` kills on new nodes (kill numbers from `first`), then sync without
/// kills and the proof that every node holds what the others hold.
fn era(
    enlace_bin: &Path,
    first: u64,
    n: u64,
    seed: u64,
    rng: &mut Rng,
    figures: &mut Figures,
    pb: &mut ProgressLine,
) -> Result<()> {
    let mut nodes = Nodes::new(enlace_bin)?;
    let mut acked = Acked::default();
    for k in first..first + n {
        let job = JOBS[(k % JOBS.len() as u64) as usize];
        let before = if job == Job::Migration {
            BTreeMap::new()
        } else {
            held(&nodes.laptop_dir)?
        };
        let (running, dir) = one(&mut nodes, job, rng, &mut acked)?;
        figures.kills += 1;
        figures.mid_work += u64::from(running);
        let e = figures.by_job.entry(name(job)).or_default();
        e.0 += 1;
        e.1 += u64::from(running);
        let empty = Acked::default();
        let check = if dir == nodes.laptop_dir {
            &acked
        } else {
            &empty
        };
        verify(&dir, &before, check, figures)
            .with_context(|| format!("after kill {k} ({}), seed {seed}", name(job)))?;
        pb.inc(1);
    }
    figures.acknowledged += (acked.created.len() + acked.updated.len()) as u64;

    // Without kills: the laptop syncs with the hub and the office, and
    // every node holds what the others hold.
    let laptop = nodes.laptop_dir.clone();
    let bin = nodes.enlace.clone();
    let (mut server, _) = serve(&bin, &laptop, &format!("127.0.0.1:{}", nodes.laptop_port))?;
    let pushed = enlace(&bin, &nodes.office_dir).arg("sync").output()?;
    let _ = server.kill();
    server.wait()?;
    if !pushed.status.success() {
        bail!(
            "the office's last sync failed: {}",
            String::from_utf8_lossy(&pushed.stderr)
        );
    }
    for _ in 0..2 {
        let pulled = enlace(&bin, &laptop).arg("sync").output()?;
        if !pulled.status.success() {
            bail!(
                "the laptop's last sync failed: {}",
                String::from_utf8_lossy(&pulled.stderr)
            );
        }
    }
    let at_laptop = held(&laptop)?;
    let hub_dir = nodes.tmp.path().join("hub");
    for (who, dir) in [
        ("hub", hub_dir.clone()),
        ("office", nodes.office_dir.clone()),
    ] {
        for (id, changes) in held(&dir)? {
            if at_laptop
                .get(&id)
                .is_none_or(|have| !have.is_superset(&changes))
            {
                figures.lost += 1;
                eprintln!("LOST: the {who}'s document {id} did not reach the laptop whole");
            }
        }
    }
    let at_hub = held(&hub_dir)?;
    for (id, changes) in &at_laptop {
        if at_hub.get(id) != Some(changes) {
            figures.lost += 1;
            eprintln!("DIVERGED: document {id} differs between the laptop and the hub");
        }
    }
    for dir in [&laptop, &hub_dir] {
        let app = App::open(dir, PASS)?;
        let q = app.quarantine()?;
        if !q.is_empty() {
            bail!("quarantine not empty on {}: {q:?}", dir.display());
        }
    }
    Ok(())
}

/// The campaign: `kills` kills from `seed`, with the `enlace` binary
/// `enlace_bin`.
pub(crate) fn run(kills: u64, seed: u64, enlace_bin: &Path) -> Result<Figures> {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let mut figures = Figures::default();
    let mut pb = progress_line(kills);
    let mut done = 0;
    // Eras of at most 100 kills, each on new nodes that must converge at
    // its end: the databases stay the size of a border post's.
    while done < kills {
        let n = ERA.min(kills - done);
        era(enlace_bin, done, n, seed, &mut rng, &mut figures, &mut pb)?;
        done += n;
    }
    pb.finish_and_clear();
    eprintln!(
        "crash campaign (seed {seed}): {} kills ({} mid-work) in {:.0} s; {} writes acknowledged; lost: {}",
        figures.kills,
        figures.mid_work,
        started.elapsed().as_secs_f64(),
        figures.acknowledged,
        figures.lost
    );
    for (job, (k, mid)) in &figures.by_job {
        eprintln!("  {job:<10} {k:>6} kills, {mid:>6} mid-work");
    }
    if figures.lost > 0 {
        bail!("{} acknowledged writes or held changes lost", figures.lost);
    }
    Ok(figures)
}

fn progress_line(n: u64) -> ProgressLine {
    ProgressLine { n, done: 0 }
}

/// A plain progress line (the campaign's output goes to CI logs too).
struct ProgressLine {
    n: u64,
    done: u64,
}

impl ProgressLine {
    fn inc(&mut self, k: u64) {
        self.done += k;
        if self.done.is_multiple_of(10) || self.done == self.n {
            eprint!("\r  {}/{} kills", self.done, self.n);
        }
    }
    fn finish_and_clear(&self) {
        eprintln!();
    }
}
