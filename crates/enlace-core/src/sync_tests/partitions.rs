//! The partition campaign: seven nodes — Guatemala's hub and two border
//! laptops, Honduras' hub and a laptop, Mexico's hub, and an observer (the
//! United States) paired with the hubs — make random edits of every
//! document kind (cases, notes, routes, identities, plan tasks, legal
//! items) while links are partitioned at random, sessions are cut, bundles
//! are carried by hand between the two Guatemalan laptops, nodes restart
//! and clocks are days off. Healed, every document is identical on every
//! node that holds it, every node holds exactly what its country may, no
//! edit is lost (an oracle kept beside), no identity left its country, no
//! quarantine holds anything and every database is whole.
//!
//! CI runs 300 edits from a fixed seed; `cargo xtask campaign partitions
//! [--edits N]` runs 10,000 (from a random seed unless
//! `ENLACE_PARTITION_SEED` names one) in release mode.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// Country, name, hub (for laptops), observer.
const LAYOUT: [(&str, &str, Option<usize>); 7] = [
    ("GT", "Hub GT", None),
    ("HN", "Hub HN", None),
    ("MX", "Hub MX", None),
    ("GT", "Laptop Tecún Umán", Some(0)),
    ("GT", "Laptop El Carmen", Some(0)),
    ("HN", "Laptop Agua Caliente", Some(1)),
    ("US", "Observer US", None),
];
const OBSERVER: usize = 6;
/// The two laptops that carry bundles to each other.
const BUNDLE: (usize, usize) = (3, 4);

fn is_hub(i: usize) -> bool {
    LAYOUT[i].2.is_none() && i != OBSERVER
}

/// Hubs with hubs, the observer with the hubs, laptops with their hub.
fn linked(a: usize, b: usize) -> bool {
    a != b
        && ((is_hub(a) && is_hub(b))
            || (a == OBSERVER && is_hub(b))
            || (b == OBSERVER && is_hub(a))
            || LAYOUT[a].2 == Some(b)
            || LAYOUT[b].2 == Some(a))
}

/// A seeded generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn session(nodes: &mut [Node], a: usize, b: usize, cut_after: u32) -> Result<(), String> {
    session_cut(nodes, a, b, 8192, cut_after)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Every document every node holds, with its heads.
fn snapshot(nodes: &[Node]) -> Vec<BTreeMap<String, String>> {
    nodes
        .iter()
        .map(|n| {
            kinds(n)
                .into_iter()
                .map(|(id, _)| {
                    let h = heads(n, &id);
                    (id, h)
                })
                .collect()
        })
        .collect()
}

/// What the campaign did, for its figures.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    pub(crate) edits: u64,
    pub(crate) sessions: u64,
    pub(crate) cut: u64,
    pub(crate) bundles: u64,
    pub(crate) restarts: u64,
    pub(crate) partitions: u64,
    pub(crate) documents: u64,
}

const ITEMS: [&str; 6] = ["TIP-01", "TIP-02", "TIP-05", "ML-33", "SOM-39", "SOM-45"];

/// Runs `edits` edits from `seed`; panics (with the seed) on any broken
/// promise.
pub(crate) fn campaign(seed: u64, edits: u64, anchors: bool) -> Figures {
    let mut rng = Rng(seed);
    let mut f = Figures::default();
    let mut nodes: Vec<Node> = LAYOUT.iter().map(|(c, name, _)| node(c, name)).collect();
    let n = nodes.len();
    let mut pairs: Vec<(usize, usize)> = vec![];
    for a in 0..n {
        for b in 0..n {
            // Every node trusts every hub (the anchors configured at
            // setup), and pairs with those it syncs with.
            if linked(a, b)
                || (a, b) == BUNDLE
                || (b, a) == BUNDLE
                || (anchors && a != b && is_hub(b))
            {
                pairs.push((a, b));
            }
        }
    }
    for (a, b) in pairs {
        let (name, key, country) = (
            nodes[b].name.clone(),
            nodes[b].key,
            nodes[b].country.clone(),
        );
        nodes[a]
            .app
            .add_peer(PeerInput {
                node_role: None,
                name,
                url: None,
                key: hex::encode(key),
                country,
            })
            .expect("pair");
    }
    let mut skew: Vec<chrono::TimeDelta> = vec![chrono::TimeDelta::zero(); n];
    let mut down: BTreeSet<(usize, usize)> = BTreeSet::new();
    // The oracle: (case id, owner node, audience), notes made, route stops
    // added, documents created by each country's nodes.
    let mut cases: Vec<(String, usize, serde_json::Value)> = vec![];
    let mut notes: Vec<(String, String)> = vec![];
    let mut stops: Vec<(String, String)> = vec![];
    let mut national: Vec<(String, String)> = vec![];
    let mut assessed: BTreeSet<String> = BTreeSet::new();
    let mut step = 0u64;
    while f.edits < edits {
        step += 1;
        let at = rng.below(n);
        let roll = rng.below(100);
        let clock = skew[at];
        crate::clock::skewed(clock, || match roll {
            // A case (most with a victim's identity) by a member's node.
            0..=11 if at != OBSERVER => {
                let c = nodes[at].country.clone();
                let audience = match rng.below(3) {
                    0 => json!({"scope": "national"}),
                    1 => {
                        json!({"scope": "bilateral", "countries": [if c == "GT" { "HN" } else { "GT" }]})
                    }
                    _ => json!({"scope": "regional"}),
                };
                let persons = if rng.below(3) > 0 {
                    json!([{"role": "victim", "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": format!("Ávila{step}")}}])
                } else {
                    json!([])
                };
                let saved = nodes[at]
                    .app
                    .create_case(
                        enlace_domain::input::from_value(json!({
                            "title": format!("Caso {step}"),
                            "classification": "trafficking",
                            "audience": audience,
                            "persons": persons,
                        }))
                        .expect("input"),
                    )
                    .expect("create");
                cases.push((saved.id, at, audience));
                f.edits += 1;
            }
            // A field of a case held here (the owner's country only).
            12..=29 if !cases.is_empty() => {
                let (id, owner, _) = cases[rng.below(cases.len())].clone();
                if holds(&nodes[at], &id) && nodes[at].country == nodes[owner].country {
                    let statuses = ["reported", "under_investigation", "prosecution", "closed"];
                    let patch = match rng.below(3) {
                        0 => json!({"status": statuses[rng.below(4)]}),
                        1 => json!({"summary": format!("Resumen {step} de {}", nodes[at].name)}),
                        _ => json!({"title": format!("Caso revisado {step}")}),
                    };
                    nodes[at].app.update_case(&id, &patch).expect("update");
                    f.edits += 1;
                }
            }
            // A note: any node of a country that holds the case.
            30..=41 if !cases.is_empty() => {
                let (id, _, _) = cases[rng.below(cases.len())].clone();
                if holds(&nodes[at], &id) && at != OBSERVER {
                    let text = format!("Nota {step} desde {}", nodes[at].name);
                    nodes[at].app.add_note(&id, &text).expect("note");
                    notes.push((id, text));
                    f.edits += 1;
                }
            }
            // A stop added to a route, on what the editor read.
            42..=49 if !cases.is_empty() => {
                let (id, owner, _) = cases[rng.below(cases.len())].clone();
                if holds(&nodes[at], &id) && nodes[at].country == nodes[owner].country {
                    let v = nodes[at].app.case(&id).expect("case");
                    let mut route = serde_json::to_value(&v.case.route).expect("json");
                    let place = format!("Lugar {step}");
                    let list = route.as_array_mut().expect("route");
                    let i = rng.below(list.len() + 1);
                    list.insert(
                        i,
                        json!({"country": "MX", "place": place, "role": "transit"}),
                    );
                    nodes[at]
                        .app
                        .update_case_from(&id, &json!({"route": route}), Some(&v.heads))
                        .expect("route");
                    stops.push((id, place));
                    f.edits += 1;
                }
            }
            // A plan task of this node's country, or a change to one.
            50..=59 if at != OBSERVER => {
                let c = nodes[at].country.clone();
                let mine: Vec<String> = national
                    .iter()
                    .filter(|(id, country)| *country == c && holds(&nodes[at], id))
                    .map(|(id, _)| id.clone())
                    .collect();
                if mine.is_empty() || rng.below(3) == 0 {
                    let saved = nodes[at].app.create_task(
                        serde_json::from_value(json!({
                            "code": format!("3.{}.{}", 1 + at, step),
                            "component": "training", "output": format!("3.{}", 1 + at),
                            "title": {"es": format!("Taller {step}")}, "country": c,
                            "due": "2099-01-01",
                        }))
                        .expect("task input"),
                    );
                    if let Ok(t) = saved {
                        national.push((t.id, c));
                        f.edits += 1;
                    }
                } else {
                    let id = mine[rng.below(mine.len())].clone();
                    let status = ["not_started", "in_progress", "done", "blocked"][rng.below(4)];
                    if nodes[at]
                        .app
                        .update_task(&id, &json!({"status": status}))
                        .is_ok()
                    {
                        f.edits += 1;
                    }
                }
            }
            // An item of this country's legal assessment.
            60..=67 if at != OBSERVER => {
                let c = nodes[at].country.clone();
                let item = ITEMS[rng.below(ITEMS.len())];
                let status = ["compliant", "partially_compliant", "not_compliant"][rng.below(3)];
                nodes[at]
                    .app
                    .update_legal_item(&c, item, &json!({"status": status}))
                    .expect("legal item");
                assessed.insert(c);
                f.edits += 1;
            }
            // A session on a link that is up, maybe cut partway.
            68..=85 => {
                let b = rng.below(n);
                if linked(at, b) && !down.contains(&(at.min(b), at.max(b))) {
                    let cut = if rng.below(4) == 0 {
                        1 + rng.below(5) as u32
                    } else {
                        0
                    };
                    f.sessions += 1;
                    f.cut += u64::from(cut > 0);
                    let _ = session(&mut nodes, at, b, cut);
                }
            }
            // A partition: a link goes down, or comes back.
            86..=90 => {
                let b = rng.below(n);
                if linked(at, b) {
                    let l = (at.min(b), at.max(b));
                    if !down.remove(&l) {
                        down.insert(l);
                        f.partitions += 1;
                    }
                }
            }
            // A bundle carried by hand between the two laptops.
            91..=94 => {
                let (a, b) = if rng.below(2) == 0 {
                    BUNDLE
                } else {
                    (BUNDLE.1, BUNDLE.0)
                };
                let file = nodes[a]._dir.path().join(format!("b{step}.enlace-bundle"));
                let to = nodes[b].name.clone();
                nodes[a]
                    .app
                    .export_bundle(&to, &file, &mut |_, _| {})
                    .expect("bundle out");
                nodes[b]
                    .app
                    .import_bundle(&file, &mut |_, _| {})
                    .expect("bundle in");
                f.bundles += 1;
            }
            // A restart.
            95..=97 => {
                let dir = nodes[at]._dir.path().join("data");
                nodes[at].app = App::open(&dir, PASS).expect("reopen");
                f.restarts += 1;
            }
            // The clock is days off (or right again).
            _ => {
                skew[at] = chrono::TimeDelta::hours(rng.below(145) as i64 - 72);
            }
        });
    }

    // Healed: every link up, sessions until a pass changes nothing.
    let mut passes = 0;
    loop {
        let before = snapshot(&nodes);
        for a in 0..n {
            for b in 0..n {
                if linked(a, b)
                    && let Err(e) = session(&mut nodes, a, b, 0)
                {
                    let (ka, kb) = (nodes[a].key, nodes[b].key);
                    let wa = nodes[a].app.peer_state(&kb).map(|s| s.want);
                    let wb = nodes[b].app.peer_state(&ka).map(|s| s.want);
                    let qa = nodes[a].app.quarantine().map(|q| q.len());
                    let qb = nodes[b].app.quarantine();
                    panic!(
                        "seed {seed}: the healed session {} → {} failed: {e}; wants {wa:?} / {wb:?}; quarantines {qa:?} / {qb:?}",
                        nodes[a].name, nodes[b].name
                    );
                }
            }
        }
        passes += 1;
        if snapshot(&nodes) == before || passes > 8 {
            break;
        }
    }
    let all = snapshot(&nodes);
    assert!(passes <= 8, "seed {seed}: still changing after 8 passes");
    if !anchors {
        return f;
    }

    // Identical wherever held.
    let mut ids: BTreeSet<&String> = BTreeSet::new();
    for s in &all {
        ids.extend(s.keys());
    }
    f.documents = ids.len() as u64;
    for id in &ids {
        let seen: BTreeSet<&String> = all.iter().filter_map(|s| s.get(*id)).collect();
        assert!(seen.len() == 1, "seed {seed}: {id} differs: {seen:?}");
    }
    // Each case exactly where its audience admits.
    for (id, owner, audience) in &cases {
        let aud: enlace_domain::Audience = serde_json::from_value(audience.clone()).expect("aud");
        let oc = CountryCode::parse(&nodes[*owner].country).expect("cc");
        for (i, nd) in nodes.iter().enumerate() {
            let may = aud.admits(&oc, &CountryCode::parse(&nd.country).expect("cc"));
            assert_eq!(
                all[i].contains_key(id),
                may,
                "seed {seed}: case {id} ({audience}) on {}",
                nd.name
            );
        }
    }
    // National documents on every node of their country.
    for (id, c) in &national {
        for (i, nd) in nodes.iter().enumerate() {
            if nd.country == *c {
                assert!(
                    all[i].contains_key(id),
                    "seed {seed}: {id} missing on {}",
                    nd.name
                );
            }
        }
    }
    // Each assessed country's assessment on each of its nodes.
    for nd in &nodes {
        if assessed.contains(&nd.country) {
            let held = kinds(nd).into_iter().any(|(id, k)| {
                k == DocKind::LegalAssessment
                    && nd
                        .app
                        .store
                        .read()
                        .doc(&id)
                        .ok()
                        .flatten()
                        .is_some_and(|r| r.owner_country == nd.country)
            });
            assert!(
                held,
                "seed {seed}: {}'s assessment missing on {}",
                nd.country, nd.name
            );
        }
    }
    for nd in &mut nodes {
        // Every note and stop where the case is.
        for (id, text) in &notes {
            if holds(nd, id) {
                let v = nd.app.case(id).expect("case");
                assert!(
                    v.case.notes.iter().any(|x| x.text == *text),
                    "seed {seed}: «{text}» lost on {}",
                    nd.name
                );
            }
        }
        for (id, place) in &stops {
            if holds(nd, id) {
                let v = nd.app.case(id).expect("case");
                assert!(
                    v.case.route.iter().any(|s| s.place == *place),
                    "seed {seed}: stop {place} lost on {}",
                    nd.name
                );
            }
        }
        for (pid, kind) in kinds(nd) {
            if kind == DocKind::Person {
                let row = nd.app.store.read().doc(&pid).expect("read").expect("row");
                assert_eq!(
                    row.owner_country, nd.country,
                    "seed {seed}: an identity abroad"
                );
            }
        }
        let q = nd.app.quarantine().expect("quarantine");
        assert!(
            q.is_empty(),
            "seed {seed}: quarantine on {}: {q:?}",
            nd.name
        );
        let report = nd.app.check(&mut |_, _| {}).expect("check");
        assert!(
            report.is_whole(),
            "seed {seed}: {}: {:?}",
            nd.name,
            report.damage
        );
    }
    let refs: BTreeSet<String> = cases
        .iter()
        .map(|(id, owner, _)| nodes[*owner].app.case(id).expect("case").case.reference)
        .collect();
    assert_eq!(refs.len(), cases.len(), "seed {seed}: a reference twice");
    f
}

#[test]
fn partitions_restarts_bundles_and_skewed_clocks_converge() {
    let edits = std::env::var("ENLACE_PARTITION_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed = std::env::var("ENLACE_PARTITION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x0019_2026);
    let started = std::time::Instant::now();
    let f = campaign(seed, edits, true);
    eprintln!(
        "partition campaign (seed {seed}): {} edits, {} sessions ({} cut), {} partitions, {} bundles, {} restarts, {} documents, in {:.0} s; lost: 0",
        f.edits,
        f.sessions,
        f.cut,
        f.partitions,
        f.bundles,
        f.restarts,
        f.documents,
        started.elapsed().as_secs_f64()
    );
    assert!(f.edits >= edits && f.sessions > 0);
}

/// Found by this campaign: laptops that trust only their own hub (no
/// anchors for other countries) keep foreign authors' changes aside and
/// want them again as dependencies; the hub sent them again every round,
/// they were kept aside again, and a healing session ran to its cap of
/// 20,000 requests. Now a round whose only push is what the peer wants
/// again ends the session. Without anchors nothing else is promised (the
/// foreign notes wait aside), so this checks only that healing ends.
#[test]
fn without_anchors_healing_sessions_end() {
    let f = campaign(0x0019_2026, 80, false);
    assert!(f.sessions > 0);
}
