//! `cargo xtask campaign fuzz [--inputs N] [--seed S]`: structure-aware
//! hostile input against what a paired peer, a carried file or a script
//! can hand a node, on the stable toolchain (inputs generated here from
//! real messages and mutated, fed in-process: no nightly sanitizer
//! coverage, but every input is deterministic from the seed and saved
//! when it fails).
//!
//! Targets (N inputs each, default 1,000,000):
//! - `decode`: the `/sync/v1` decoder, every message type, on bodies made
//!   from the golden vectors and from live messages: CBOR mutated inside a
//!   valid zstd frame (bit flips, splices, declared lengths of 2^64,
//!   nesting thousands deep, wrong types), random bytes, bad frames;
//! - `apply`: `serve_round` on a real Honduran node (SQLCipher on tmpfs)
//!   paired with a Guatemalan hub, fed rounds whose envelopes are valid and
//!   whose contents are hostile: real pages (some carrying Guatemalan
//!   identities the Honduran node must never hold) with changes flipped,
//!   cut or dropped (dependencies that never arrive), documents renamed,
//!   kinds swapped, proofs forged, ranges overlapping or huge, revocations
//!   out of form or unsigned, roster
//!   entries invented, counts at their maximum — each served as sent and
//!   again rebased on what the node applied, so the apply path runs;
//! - `bundle`: `App::import_bundle` on a real bundle for that node,
//!   mutated, cut and extended;
//! - `json`: the JSON a script hands `enlace case create` / `update` (and
//!   the app's IPC the same types): real case inputs and patches with
//!   values replaced by others of any type, huge strings and numbers,
//!   nesting deep, unknown keys, through `App::create_case` and
//!   `App::update_case` (the node is made anew every 5,000 inputs);
//! - `dataset`: `App::import_dataset` on CTDC-shaped files (each shape's
//!   header with made-up rows) with lines dropped, repeated, cut or
//!   swapped, fields replaced by hostile tokens, delimiters and line ends
//!   changed, bytes flipped (not UTF-8); a refused file must leave no
//!   dataset behind.
//!
//! A panic is caught, counted and its input saved under
//! `xtask/fuzz/<target>/`; an input running past 10 s is saved as a hang
//! and stops the run; peak memory is read after each target. Saved inputs
//! are committed and replayed first on every run (CI runs a short fixed
//! seed). At the end the Honduran node must be whole (`App::check`), and
//! hold no Guatemalan identity. The dataset imports (CSV/JSON) are not in
//! Enlace yet: they join these targets when they are.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use enlace_core::{App, DocKind, PeerInput};
use enlace_sync::codec::{self, LIMITS};
use enlace_sync::session::{serve_reconcile, serve_round};
use enlace_sync::{
    AuditHead, Cursor, ErrorBody, Page, Pull, ReconcileRequest, ReconcileResponse, Replica,
    RosterEntry, RoundRequest, RoundResponse, VERSION, Wants,
};
use serde_bytes::{ByteArray, ByteBuf};
use serde_json::{Value, json};

use super::crash::Rng;

const PASS: &str = "frase de acceso de la campaña";
/// A hang: one input running this long.
const HANG: Duration = Duration::from_secs(10);
/// Peak resident memory allowed for the whole run.
const MAX_PEAK_MIB: u64 = 1024;

/// What a run found.
#[derive(Default, Debug)]
pub(crate) struct Found {
    pub(crate) inputs: u64,
    pub(crate) panics: u64,
    pub(crate) replayed: u64,
}

/// The folder of saved inputs of `target` (committed).
fn saved_dir(target: &str) -> PathBuf {
    crate::process::root().join("xtask/fuzz").join(target)
}

fn save(target: &str, input: &[u8], why: &str) -> PathBuf {
    let dir = saved_dir(target);
    let _ = std::fs::create_dir_all(&dir);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in input {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    let path = dir.join(format!("{why}-{h:016x}.bin"));
    let _ = std::fs::write(&path, input);
    path
}

/// The watchdog: the input being fed and since when.
struct Watch {
    started_ms: AtomicU64,
    input: Mutex<(String, Vec<u8>)>,
}

fn now_ms(t0: Instant) -> u64 {
    t0.elapsed().as_millis() as u64
}

fn watchdog(watch: Arc<Watch>, t0: Instant) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let s = watch.started_ms.load(Ordering::SeqCst);
            if s != 0 && now_ms(t0).saturating_sub(s) > HANG.as_millis() as u64 {
                let (target, input) = match watch.input.lock() {
                    Ok(g) => g.clone(),
                    Err(p) => p.into_inner().clone(),
                };
                let path = save(&target, &input, "hang");
                eprintln!(
                    "\nHANG: a {target} input ran past {} s; saved as {}",
                    HANG.as_secs(),
                    path.display()
                );
                std::process::exit(3);
            }
        }
    });
}

/// A node pair on tmpfs: the Guatemalan hub that makes real messages, the
/// Honduran node fed hostile ones.
struct World {
    _tmp: tempfile::TempDir,
    _hub: App,
    victim: App,
    victim_dir: PathBuf,
    hub_key: [u8; 32],
    seeds: Vec<Page>,
    bundle: Vec<u8>,
    json_seeds: Vec<Value>,
    patch_seeds: Vec<Value>,
}

fn key_of(app: &App) -> Result<[u8; 32]> {
    let bytes = hex::decode(app.node_info().public_key)?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("a public key is 32 bytes"))
}

fn tmpfs() -> Result<tempfile::TempDir> {
    let shm = Path::new("/dev/shm");
    Ok(if shm.is_dir() {
        tempfile::tempdir_in(shm)?
    } else {
        tempfile::tempdir()?
    })
}

impl World {
    fn new() -> Result<World> {
        let tmp = tmpfs()?;
        let victim_dir = tmp.path().join("hn");
        let mut hub = App::init(&tmp.path().join("gt"), PASS, "GT", "Hub GT")?;
        let mut victim = App::init(&victim_dir, PASS, "HN", "NTF Honduras")?;
        let office = App::init(&tmp.path().join("gt2"), PASS, "GT", "Oficina GT")?;
        let peer = |name: &str, a: &App, country: &str| PeerInput {
            node_role: None,
            name: name.into(),
            url: None,
            key: a.node_info().public_key,
            country: country.into(),
        };
        hub.add_peer(peer("NTF Honduras", &victim, "HN"))?;
        hub.add_peer(peer("Oficina GT", &office, "GT"))?;
        victim.add_peer(peer("Hub GT", &hub, "GT"))?;
        let inputs: Vec<_> = (0..40)
            .map(|i| {
                let mut c = enlace_core::synthetic(i);
                c.demo = false;
                c
            })
            .collect();
        let json_seeds = inputs
            .iter()
            .take(8)
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()?;
        hub.import_cases(inputs)?;
        let (hub_key, victim_key, office_key) = (key_of(&hub)?, key_of(&victim)?, key_of(&office)?);
        let mut seeds = vec![];
        for max in [4096u32, 64 * 1024, 1 << 20] {
            for to in [victim_key, office_key] {
                // To the office: pages with Guatemalan identities, which
                // the Honduran node must refuse.
                let page = hub.page_for(&to, &Cursor::start(), &Wants::default(), max)?;
                seeds.push(page);
            }
        }
        let bundle_path = tmp.path().join("hn.bundle");
        hub.export_bundle("NTF Honduras", &bundle_path, &mut |_, _| {})?;
        let bundle = std::fs::read(&bundle_path)?;
        let patch_seeds = vec![
            json!({"summary": "Resumen revisado por la fiscalía"}),
            json!({"status": "prosecution", "classification": "trafficking"}),
            json!({"route": [{"country": "HN", "place": "Choloma", "role": "origin"}, {"country": "GT", "place": "Tecún Umán", "role": "transit"}]}),
            json!({"title": "José Núñez Ávila", "notes": []}),
        ];
        Ok(World {
            _tmp: tmp,
            _hub: hub,
            victim,
            victim_dir,
            hub_key,
            seeds,
            bundle,
            json_seeds,
            patch_seeds,
        })
    }
}

// ---- mutations ----------------------------------------------------------

fn pick<'a, T>(rng: &mut Rng, v: &'a [T]) -> &'a T {
    &v[rng.below(v.len() as u64) as usize]
}

fn random_bytes(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.next() as u8).collect()
}

fn arr<const N: usize>(rng: &mut Rng) -> ByteArray<N> {
    let mut a = [0u8; N];
    for b in &mut a {
        *b = rng.next() as u8;
    }
    ByteArray::new(a)
}

/// Byte-level damage: flips, cuts, inserts, splices, CBOR headers that
/// declare enormous lengths, deep nesting.
fn mutate_bytes(rng: &mut Rng, b: &mut Vec<u8>) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let at = if b.is_empty() {
            0
        } else {
            rng.below(b.len() as u64) as usize
        };
        match rng.below(8) {
            0 | 1 => {
                if !b.is_empty() {
                    b[at] ^= 1 << rng.below(8);
                }
            }
            2 => b.truncate(at),
            3 => {
                let n = 1 + rng.below(16) as usize;
                let junk = random_bytes(rng, n);
                b.splice(at..at, junk);
            }
            4 => {
                // A header declaring 2^64-1 elements, bytes or map pairs.
                let head = *pick(rng, &[0x9bu8, 0x5b, 0x7b, 0xbb]);
                b.splice(
                    at..at,
                    [head, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                );
            }
            5 => {
                // Nesting thousands deep.
                let depth = 1 + rng.below(20_000) as usize;
                b.splice(at..at, std::iter::repeat_n(0x81u8, depth));
            }
            6 => {
                if b.len() > 2 {
                    let from = rng.below(b.len() as u64) as usize;
                    let len = rng.below((b.len() - from) as u64 + 1) as usize;
                    let chunk = b[from..from + len].to_vec();
                    b.splice(at..at, chunk);
                }
            }
            _ => {
                if !b.is_empty() {
                    b[at] = *pick(rng, &[0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0xff, 0xf6, 0xf7]);
                }
            }
        }
    }
}

/// A page with hostile contents inside a valid envelope.
fn mutate_page(rng: &mut Rng, p: &mut Page, others: &[Page]) {
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        match rng.below(17) {
            0 => {
                // A change's bytes damaged.
                if let Some(g) = nonempty(rng, &mut p.groups)
                    && !g.changes.is_empty()
                {
                    let i = rng.below(g.changes.len() as u64) as usize;
                    let mut c = g.changes[i].to_vec();
                    mutate_bytes(rng, &mut c);
                    g.changes[i] = ByteBuf::from(c);
                }
            }
            1 => {
                // A change dropped: what follows depends on what never
                // arrives.
                if let Some(g) = nonempty(rng, &mut p.groups)
                    && !g.changes.is_empty()
                {
                    let i = rng.below(g.changes.len() as u64) as usize;
                    g.changes.remove(i);
                }
            }
            2 => {
                // A document renamed (its changes now claim another).
                if let Some(g) = nonempty(rng, &mut p.groups) {
                    g.doc = Some(arr(rng));
                }
            }
            3 => {
                let kind = pick(
                    rng,
                    &[
                        "case",
                        "person",
                        "legal_assessment",
                        "plan_task",
                        "",
                        "caso",
                    ],
                );
                if let Some(g) = nonempty(rng, &mut p.groups) {
                    g.kind = Some((*kind).to_owned());
                }
            }
            4 => {
                // Forged proofs: a signature bit, another author.
                if let Some(pr) = nonempty(rng, &mut p.proofs) {
                    if rng.below(2) == 0 {
                        let mut s = pr.sig.into_array();
                        s[rng.below(64) as usize] ^= 1;
                        pr.sig = ByteArray::new(s);
                    } else {
                        pr.author = Some(arr(rng));
                    }
                }
            }
            5 => {
                if let Some(pr) = nonempty(rng, &mut p.proofs) {
                    let n = rng.below(5) as usize;
                    pr.members = (0..n)
                        .map(|_| [rng.next() as u32 % 64, *pick(rng, &[0, 1, 7, u32::MAX])])
                        .collect();
                }
            }
            6 => {
                if let Some(pr) = nonempty(rng, &mut p.proofs) {
                    let n = rng.below(300) as usize;
                    pr.hidden = (0..n).map(|_| arr(rng)).collect();
                }
            }
            7 => p.roster.push(RosterEntry {
                key: arr(rng),
                country: (*pick(rng, &["GT", "HN", "US", "XX"])).to_owned(),
                name: "Nodo inventado".into(),
                voucher: arr(rng),
                sig: arr(rng),
            }),
            8 => {
                if let Some(g) = nonempty(rng, &mut p.groups) {
                    g.full = !g.full;
                    g.part = rng.below(2) == 0;
                }
            }
            9 => {
                p.remaining = u64::MAX;
                p.more = rng.below(2) == 0;
                p.to = Cursor {
                    seq: rng.next(),
                    hash: Some(arr(rng)),
                };
            }
            10 => {
                if !p.groups.is_empty() {
                    let i = rng.below(p.groups.len() as u64) as usize;
                    let g = p.groups[i].clone();
                    p.groups.push(g);
                }
            }
            11 => {
                // Groups of another page (another receiver's: identities)
                // spliced in, with or without their proofs.
                let o = pick(rng, others);
                if !o.groups.is_empty() {
                    let g = pick(rng, &o.groups).clone();
                    p.groups.push(g);
                    if rng.below(2) == 0 {
                        p.proofs.extend(o.proofs.iter().cloned());
                    }
                }
            }
            12 => {
                p.unavailable = (0..rng.below(50)).map(|_| arr(rng)).collect();
            }
            13 => {
                if !p.groups.is_empty() {
                    let i = rng.below(p.groups.len() as u64) as usize;
                    p.groups.remove(i);
                }
            }
            14 => {
                if p.groups.len() > 1 {
                    let (i, j) = (
                        rng.below(p.groups.len() as u64) as usize,
                        rng.below(p.groups.len() as u64) as usize,
                    );
                    let di = p.groups[i].doc;
                    p.groups[i].doc = p.groups[j].doc;
                    p.groups[j].doc = di;
                }
            }
            15 => {
                // A revocation: of a key of the page or an invented one,
                // keeping tags out of order, cut, or many; signed by nobody.
                let key = match p.roster.first() {
                    Some(e) if rng.below(2) == 0 => e.key,
                    _ => arr(rng),
                };
                let n = *pick(rng, &[0usize, 1, 7, 1000]);
                let mut kept: Vec<u8> = (0..n * 8).map(|_| rng.below(256) as u8).collect();
                if rng.below(3) == 0 {
                    kept.pop();
                }
                p.revocations.push(enlace_sync::Revocation {
                    key,
                    country: (*pick(rng, &["GT", "HN", "US", "xx", ""])).to_owned(),
                    at: "2026-12-06T10:00:00Z".into(),
                    kept: ByteBuf::from(kept),
                    revoker: arr(rng),
                    sig: arr(rng),
                });
            }
            _ => {
                p.proofs.clear();
            }
        }
    }
}

fn nonempty<'a, T>(rng: &mut Rng, v: &'a mut [T]) -> Option<&'a mut T> {
    if v.is_empty() {
        None
    } else {
        let i = rng.below(v.len() as u64) as usize;
        v.get_mut(i)
    }
}

fn round(rng: &mut Rng, page: Option<Page>) -> RoundRequest {
    RoundRequest {
        v: if rng.below(50) == 0 {
            rng.next() as u32
        } else {
            VERSION
        },
        pull: Pull {
            after: if rng.below(4) == 0 {
                Cursor {
                    seq: rng.next() % 1000,
                    hash: Some(arr(rng)),
                }
            } else {
                Cursor::start()
            },
            max_bytes: *pick(rng, &[0, 1024, 65_536, u32::MAX]),
        },
        push: page,
        need: (0..rng.below(4) * rng.below(100))
            .map(|_| arr(rng))
            .collect(),
        need_changes: (0..rng.below(3) * rng.below(50))
            .map(|_| arr(rng))
            .collect(),
        need_after: (0..rng.below(3) * rng.below(20))
            .map(|_| (arr(rng), arr(rng)))
            .collect(),
        // A peer's audit head: sometimes more confirmations than allowed.
        audit: (rng.below(2) == 1).then(|| AuditHead {
            seq: rng.next(),
            hash: arr(rng),
            confirms: (0..rng.below(12)).map(|_| (rng.next(), arr(rng))).collect(),
        }),
    }
}

/// A CBOR body, maybe damaged at the byte level, in a valid zstd frame.
fn body_of<T: serde::Serialize>(rng: &mut Rng, msg: &T) -> Vec<u8> {
    let mut cbor = vec![];
    if ciborium::into_writer(msg, &mut cbor).is_err() {
        return vec![];
    }
    if rng.below(5) == 0 {
        mutate_bytes(rng, &mut cbor);
    }
    codec::compress(&cbor)
}

fn mutate_json(rng: &mut Rng, v: &mut Value, depth: u32) {
    let replace = |rng: &mut Rng| -> Value {
        match rng.below(10) {
            0 => Value::Null,
            1 => json!(rng.below(2) == 0),
            2 => json!(rng.next()),
            3 => json!(-1e308),
            4 => json!("x".repeat(rng.below(200_000) as usize)),
            5 => json!("José Núñez Ávila\u{0}\u{202e}\u{0301}\u{fe0f}"),
            6 => {
                let mut n = json!([]);
                for _ in 0..rng.below(3000) {
                    n = json!([n]);
                }
                n
            }
            7 => Value::Object(
                (0..rng.below(2000))
                    .map(|i| (format!("k{i}"), json!(i)))
                    .collect(),
            ),
            8 => json!(*pick(
                rng,
                &[
                    "trafficking",
                    "prosecution",
                    "GT",
                    "XX",
                    "origin",
                    "2026-13-45",
                    ""
                ]
            )),
            _ => json!([1, "a", null, {"country": "GT"}]),
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() && depth < 6 => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = pick(rng, &keys).clone();
            match rng.below(6) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    m.insert(format!("campo_{}", rng.below(100)), replace(rng));
                }
                2 | 3 => {
                    if let Some(x) = m.get_mut(&k) {
                        mutate_json(rng, x, depth + 1);
                    }
                }
                _ => {
                    m.insert(k, replace(rng));
                }
            }
        }
        Value::Array(a) if !a.is_empty() && depth < 6 => {
            let i = rng.below(a.len() as u64) as usize;
            if rng.below(3) == 0 {
                a.push(a[i].clone());
            } else {
                mutate_json(rng, &mut a[i], depth + 1);
            }
        }
        _ => *v = replace(rng),
    }
}

// ---- the targets ------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Decode,
    Apply,
    Bundle,
    Json,
    Dataset,
}

const TARGETS: [(Target, &str); 5] = [
    (Target::Decode, "decode"),
    (Target::Apply, "apply"),
    (Target::Bundle, "bundle"),
    (Target::Json, "json"),
    (Target::Dataset, "dataset"),
];

/// Seeds of the dataset import: each CTDC shape's header with a few rows
/// of made-up values (no real record is committed).
fn dataset_seeds() -> Vec<String> {
    let global_header = "yearOfRegistration,Datasource,gender,ageBroad,majorityStatus,majorityStatusAtExploit,majorityEntry,citizenship,meansOfControlDebtBondage,meansOfControlTakesEarnings,meansOfControlThreats,meansOfControlPsychologicalAbuse,meansOfControlConcatenated,isForcedLabour,isSexualExploit,isOtherExploit,typeOfExploitConcatenated,typeOfLabourAgriculture,typeOfLabourDomesticWork,typeOfLabourConcatenated,RecruiterRelationship,CountryOfExploitation,recruiterRelationIntimatePartner,recruiterRelationFriend";
    let global_rows = [
        "2019,Case Management,Female,18--20,Adult,-99,-99,HN,1,-99,0,1,Threats,0,1,0,Sexual exploitation,0,0,-99,-99,MX,1,0",
        "2017,Hotline,Male,30--38,Adult,-99,-99,00,-99,-99,-99,-99,-99,1,0,0,Forced labour,1,0,Agriculture,-99,-99,-99,-99",
        "-99,Hotline,Female,-99,Minor,-99,-99,GT,0,0,0,0,,0,1,0,,0,0,,Friend/Acquaintance; Other,US,0,1",
    ];
    let cleaned_header = "yearOfRegistration,Datasource,gender,citizenship,isForcedLabour,ControlCategory,RecruiterCategory,ExploitType,Labor_Type,ageCategories";
    let cleaned_rows = [
        "2016,Hotline,Female,HN,0,Threats,Other,Sexual Exploitation,Unknown,Age 18-20",
        "2018,Case Management,Male,0,1,Financial,Family/Relative,Forced Labor,Construction,Age 30-38",
        "2012,Hotline,Female,SV,-99,Other,Not Specified,Forced Marriage,Unknown,Age 9-17",
    ];
    let synthetic_header = "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,meansDebtBondageEarnings,meansThreats,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,recruiterRelationFamily";
    let synthetic_rows = [
        "2021,Woman,18\u{2014}20,HND,MEX,0\u{2014}12 (0-1 yr),1,0,0,1,0,0,1",
        "2022,Man,48+,GTM,USA,25+ (2+ yrs),0,1,1,0,0,1,0",
        "2020,Trans/Transgender/NonConforming,,,,,,,,,,,",
    ];
    let kanon = format!(
        "By using this data you agree to the Terms of Use: https://www.ctdatacollaborative.org/terms-use;{}\r\n{}",
        global_header.replace(',', ";"),
        global_rows
            .iter()
            .map(|r| format!(";{}", r.replace(',', ";").replace("-99", "")))
            .collect::<Vec<_>>()
            .join("\r\n")
    );
    vec![
        format!("{global_header}\n{}\n", global_rows.join("\n")),
        format!("{cleaned_header}\n{}\n", cleaned_rows.join("\n")),
        format!("{synthetic_header}\n{}\n", synthetic_rows.join("\n")),
        kanon,
    ]
}

/// A dataset file mutated by lines, fields and bytes.
fn mutate_dataset(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        let n = lines.len().max(1) as u64;
        let i = rng.below(n) as usize;
        match rng.below(9) {
            0 if !lines.is_empty() => {
                lines.remove(i);
            }
            1 if !lines.is_empty() => {
                // Repeated, up to about 8 MiB in all.
                let l = lines[i].clone();
                let room = (8usize << 20) / (l.len() + 1);
                for _ in 0..(rng.below(2000) as usize).min(room) {
                    lines.push(l.clone());
                }
            }
            2 if !lines.is_empty() => {
                // A field replaced by a hostile token.
                let delim = if lines[0].contains(';') { ';' } else { ',' };
                let mut f: Vec<String> = lines[i].split(delim).map(str::to_owned).collect();
                let j = rng.below(f.len().max(1) as u64) as usize;
                let token = pick(
                    rng,
                    &[
                        "", "-99", "Alien", "1e309", "\"", "\"a;b\"", "00", "XXX", "18--", "Age",
                        "99999", "ÿ",
                    ],
                )
                .to_string();
                if let Some(x) = f.get_mut(j) {
                    *x = token;
                }
                lines[i] = f.join(&delim.to_string());
            }
            3 if !lines.is_empty() => {
                let l = &mut lines[i];
                let cut = rng.below(l.len() as u64 + 1) as usize;
                let cut = (0..=cut.min(l.len()))
                    .rev()
                    .find(|&c| l.is_char_boundary(c))
                    .unwrap_or(0);
                l.truncate(cut);
            }
            4 if lines.iter().map(String::len).sum::<usize>() < 8 << 20 => {
                lines.push("x".repeat(rng.below(200_000) as usize));
            }
            5 if !lines.is_empty() => lines[i] = lines[i].replace([',', ';'], "\t"),
            6 => lines.insert(0, String::new()),
            7 if lines.len() > 1 => lines.swap(0, i),
            _ => {}
        }
    }
    let mut b = lines
        .join(if rng.below(2) == 0 { "\n" } else { "\r\n" })
        .into_bytes();
    if rng.below(4) == 0 {
        mutate_bytes(rng, &mut b);
    }
    b
}

/// An input of `target`, made from the world's real messages.
fn generate(t: Target, w: &World, rng: &mut Rng) -> Vec<u8> {
    match t {
        Target::Decode => {
            let page = pick(rng, &w.seeds).clone();
            match rng.below(8) {
                0 => {
                    let n = rng.below(512) as usize;
                    random_bytes(rng, n)
                }
                1 => {
                    let mut b = codec::encode(&round(rng, Some(page)));
                    mutate_bytes(rng, &mut b);
                    b
                }
                2 => {
                    let n = rng.below(100);
                    let docs = (0..n).map(|_| (arr(rng), rng.next())).collect();
                    let req = ReconcileRequest {
                        v: VERSION,
                        log: Cursor::start(),
                        after: None,
                        through: None,
                        docs,
                    };
                    body_of(rng, &req)
                }
                3 => {
                    let n = rng.below(10_000) as usize;
                    let e = ErrorBody {
                        code: "malformed".into(),
                        message: "x".repeat(n),
                    };
                    body_of(rng, &e)
                }
                _ => {
                    let mut p = page;
                    mutate_page(rng, &mut p, &w.seeds);
                    let mut cbor = vec![];
                    let _ = ciborium::into_writer(&round(rng, Some(p)), &mut cbor);
                    mutate_bytes(rng, &mut cbor);
                    codec::compress(&cbor)
                }
            }
        }
        Target::Apply => {
            let mut p = pick(rng, &w.seeds).clone();
            mutate_page(rng, &mut p, &w.seeds);
            let req = round(rng, Some(p));
            body_of(rng, &req)
        }
        Target::Bundle => {
            let mut b = w.bundle.clone();
            match rng.below(4) {
                0 => {
                    // The header and first page: where lengths are read.
                    let n = b.len().min(256);
                    let mut head = b[..n].to_vec();
                    mutate_bytes(rng, &mut head);
                    b.splice(..n, head);
                }
                1 => {
                    let cut = rng.below(b.len() as u64) as usize;
                    b.truncate(cut);
                }
                2 => {
                    let n = rng.below(4096) as usize;
                    b.extend(random_bytes(rng, n));
                }
                _ => mutate_bytes(rng, &mut b),
            }
            b
        }
        Target::Json => {
            let (tag, mut v) = if rng.below(2) == 0 {
                (b'c', pick(rng, &w.json_seeds).clone())
            } else {
                (b'u', pick(rng, &w.patch_seeds).clone())
            };
            mutate_json(rng, &mut v, 0);
            let mut text = serde_json::to_vec(&v).unwrap_or_default();
            if rng.below(10) == 0 {
                mutate_bytes(rng, &mut text);
            }
            let mut out = vec![tag];
            out.extend(text);
            out
        }
        Target::Dataset => {
            let seeds = dataset_seeds();
            let mut out = vec![if rng.below(2) == 0 { b's' } else { b'r' }];
            let seed: &String = pick(rng, &seeds);
            out.extend(mutate_dataset(rng, seed));
            out
        }
    }
}

/// Feeds one input to the code under test. Errors are the expected
/// outcome of most inputs; only a panic or a hang is a finding.
fn feed(t: Target, w: &mut World, input: &[u8], case_id: &str) {
    match t {
        Target::Decode => {
            let _ = codec::decode::<RoundRequest>(input, &LIMITS);
            let _ = codec::decode::<RoundResponse>(input, &LIMITS);
            let _ = codec::decode::<ReconcileRequest>(input, &LIMITS);
            let _ = codec::decode::<ReconcileResponse>(input, &LIMITS);
            let _ = codec::decode::<ErrorBody>(input, &LIMITS);
            let _ = codec::decode::<Page>(input, &LIMITS);
        }
        Target::Apply => {
            let hub = w.hub_key;
            // As sent (the decoder, a resync answer, a page asked for)...
            let _ = serve_round(&mut w.victim, &hub, input);
            let _ = serve_reconcile(&mut w.victim, &hub, input);
            // ...and rebased on what this node applied, so it is applied.
            if let Ok(mut req) = codec::decode::<RoundRequest>(input, &LIMITS)
                && let Some(page) = req.push.as_mut()
                && let Ok(st) = w.victim.peer_state(&hub)
            {
                page.base = st.applied;
                let _ = serve_round(&mut w.victim, &hub, &codec::encode(&req));
            }
        }
        Target::Bundle => {
            let path = w.victim_dir.with_extension("in.bundle");
            if std::fs::write(&path, input).is_ok() {
                let _ = w.victim.import_bundle(&path, &mut |_, _| {});
            }
        }
        Target::Json => {
            let Some((tag, body)) = input.split_first() else {
                return;
            };
            if *tag == b'c' {
                if let Ok(case) = serde_json::from_slice(body) {
                    let _ = w.victim.create_case(case);
                }
            } else if let Ok(patch) = serde_json::from_slice::<Value>(body) {
                let _ = w.victim.update_case(case_id, &patch);
            }
        }
        Target::Dataset => {
            let Some((tag, body)) = input.split_first() else {
                return;
            };
            let path = w.victim_dir.join("fuzz-dataset.csv");
            if std::fs::write(&path, body).is_err() {
                return;
            }
            let before = w.victim.datasets().map(|d| d.len()).unwrap_or(0);
            match w
                .victim
                .import_dataset(&path, None, *tag == b's', &mut |_, _| {})
            {
                // Kept small: what was imported goes again.
                Ok(done) if !done.already => {
                    let _ = w.victim.remove_dataset(done.id);
                }
                Ok(_) => {}
                // A refused file changes nothing: a finding otherwise.
                Err(_) => {
                    let after = w.victim.datasets().map(|d| d.len()).unwrap_or(0);
                    assert_eq!(before, after, "a refused file left a dataset behind");
                }
            }
        }
    }
}

/// A case of the victim's own for patches.
fn own_case(w: &mut World) -> Result<String> {
    let mut c = enlace_core::synthetic(7);
    c.demo = false;
    Ok(w.victim.create_case(c)?.id)
}

fn quiet_panics() -> Arc<Mutex<Option<String>>> {
    let last = Arc::new(Mutex::new(None));
    let l = last.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut g) = l.lock() {
            *g = Some(info.to_string());
        }
    }));
    last
}

pub(crate) fn run(inputs: u64, seed: u64) -> Result<Found> {
    let t0 = Instant::now();
    let watch = Arc::new(Watch {
        started_ms: AtomicU64::new(0),
        input: Mutex::new((String::new(), vec![])),
    });
    watchdog(watch.clone(), t0);
    let last_panic = quiet_panics();
    let mut found = Found::default();
    let mut rng = Rng::new(seed);
    eprintln!("fuzz campaign: seed {seed}, {inputs} inputs per target");
    for (target, name) in TARGETS {
        let started = Instant::now();
        let mut w = World::new()?;
        let mut case_id = own_case(&mut w)?;
        let mut panics = 0u64;
        let one = |w: &mut World, input: Vec<u8>, case_id: &str| -> bool {
            watch.started_ms.store(now_ms(t0).max(1), Ordering::SeqCst);
            if let Ok(mut g) = watch.input.lock() {
                *g = (name.to_owned(), input.clone());
            }
            let ok = catch_unwind(AssertUnwindSafe(|| feed(target, w, &input, case_id))).is_ok();
            watch.started_ms.store(0, Ordering::SeqCst);
            if !ok {
                let path = save(name, &input, "panic");
                let msg = last_panic.lock().ok().and_then(|g| g.clone());
                eprintln!(
                    "\nPANIC in {name}: {msg:?}; input saved as {}",
                    path.display()
                );
            }
            ok
        };
        // Inputs that failed once, first.
        let mut replayed = 0;
        if let Ok(dir) = std::fs::read_dir(saved_dir(name)) {
            for e in dir.flatten() {
                if e.path().extension().is_some_and(|x| x == "bin") {
                    let input = std::fs::read(e.path())?;
                    replayed += 1;
                    if !one(&mut w, input, &case_id) {
                        panics += 1;
                    }
                }
            }
        }
        found.replayed += replayed;
        for i in 0..inputs {
            if target == Target::Json && i > 0 && i % 5000 == 0 {
                // A new node: the old one grew by thousands of cases.
                w = World::new()?;
                case_id = own_case(&mut w)?;
            }
            let input = generate(target, &w, &mut rng);
            if !one(&mut w, input, &case_id) {
                panics += 1;
            }
            if i % 1000 == 999 {
                eprint!("\r  {name}: {}/{inputs}", i + 1);
            }
        }
        eprintln!();
        // The node fed all that is whole and kept identities in their
        // country.
        let report = w.victim.check(&mut |_, _| {})?;
        if !report.is_whole() {
            bail!("{name}: the Honduran node is damaged: {:?}", report.damage);
        }
        let read = w.victim.store().read();
        for row in read.docs_of_kind(DocKind::Person)? {
            if row.owner_country != "HN" {
                bail!(
                    "{name}: the Honduran node holds a {} identity",
                    row.owner_country
                );
            }
        }
        let peak = crate::bench::common::peak_kib("self") / 1024;
        eprintln!(
            "  {name:<7} {inputs} inputs + {replayed} saved in {:.0} s: {panics} panics, 0 hangs, peak memory {peak} MiB, {} documents held",
            started.elapsed().as_secs_f64(),
            report.documents
        );
        if peak > MAX_PEAK_MIB {
            bail!("{name}: peak memory {peak} MiB (at most {MAX_PEAK_MIB})");
        }
        found.inputs += inputs;
        found.panics += panics;
    }
    // The default hook again: later panics of this process are printed.
    drop(std::panic::take_hook());
    if found.panics > 0 {
        bail!("{} inputs panicked (saved under xtask/fuzz/)", found.panics);
    }
    Ok(found)
}
