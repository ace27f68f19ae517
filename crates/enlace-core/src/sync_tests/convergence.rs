//! Three to five nodes — a hub per country, and field laptops that
//! sync only with their own hub — make random edits while random links
//! are cut; healed, every node holds exactly the documents its country
//! may hold, identical everywhere, with every change made anywhere.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
enum Op {
    Create {
        at: usize,
        audience: u8,
        identity: bool,
    },
    Status {
        at: usize,
        case: usize,
        status: u8,
    },
    Note {
        at: usize,
        case: usize,
    },
    Sync {
        a: usize,
        b: usize,
        cut_after: u8,
    },
    /// `a`'s page for `b` delivered with its groups reordered (a relay
    /// that shuffles, or a hostile one): nothing may be lost or forged.
    Reordered {
        a: usize,
        b: usize,
        seed: u64,
    },
    /// The owner's key writes two different changes with one number
    /// (a node equivocating); a neighbour gets both.
    Equivocate {
        at: usize,
        case: usize,
    },
    /// A node of the owner's country changes the case's route as the app
    /// does (the whole array back, with the heads it read): adds, removes,
    /// edits or moves a stop. `stale`: from the editor left open on that
    /// node since its last route change there (what it sent then, and the
    /// heads that save answered), whatever sync brought since.
    Route {
        at: usize,
        case: usize,
        what: u8,
        index: usize,
        stale: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..6, 0u8..4, any::<bool>()).prop_map(|(at, audience, identity)| Op::Create {
            at,
            audience,
            identity
        }),
        (0usize..6, 0usize..40, 0u8..4).prop_map(|(at, case, status)| Op::Status {
            at,
            case,
            status
        }),
        (0usize..6, 0usize..40).prop_map(|(at, case)| Op::Note { at, case }),
        (0usize..6, 0usize..6, 0u8..6).prop_map(|(a, b, cut_after)| Op::Sync { a, b, cut_after }),
        (0usize..6, 0usize..6, 0u8..6).prop_map(|(a, b, cut_after)| Op::Sync { a, b, cut_after }),
        (0usize..6, 0usize..6, any::<u64>()).prop_map(|(a, b, seed)| Op::Reordered { a, b, seed }),
        (0usize..6, 0usize..40).prop_map(|(at, case)| Op::Equivocate { at, case }),
        (0usize..6, 0usize..40, 0u8..4, 0usize..6, any::<bool>()).prop_map(
            |(at, case, what, index, stale)| Op::Route {
                at,
                case,
                what,
                index,
                stale
            }
        ),
        (0usize..6, 0usize..40, 0u8..4, 0usize..6, any::<bool>()).prop_map(
            |(at, case, what, index, stale)| Op::Route {
                at,
                case,
                what,
                index,
                stale
            }
        ),
    ]
}

/// A permutation of `0..n` from `seed`.
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        v.swap(i, (seed >> 33) as usize % (i + 1));
    }
    v
}

/// Hubs first (GT, HN, MX), then laptops (GT, HN, GT): with six nodes,
/// three of Guatemala.
const LAYOUT: [(&str, &str, Option<usize>); 6] = [
    ("GT", "Hub GT", None),
    ("HN", "Hub HN", None),
    ("MX", "Hub MX", None),
    ("GT", "Laptop GT", Some(0)),
    ("HN", "Laptop HN", Some(1)),
    ("GT", "Laptop GT 2", Some(0)),
];

/// Who syncs with whom: hubs with hubs, laptops with their hub.
fn linked(a: usize, b: usize) -> bool {
    let hub = |i: usize| LAYOUT[i].2.is_none();
    a != b && ((hub(a) && hub(b)) || LAYOUT[a].2 == Some(b) || LAYOUT[b].2 == Some(a))
}

fn session(nodes: &mut [Node], a: usize, b: usize, cut_after: u8) -> bool {
    session_cut(nodes, a, b, 4096, u32::from(cut_after)).is_ok()
}

fn run_ops(n: usize, ops: Vec<Op>) -> std::result::Result<(), TestCaseError> {
    let mut nodes: Vec<Node> = LAYOUT[..n]
        .iter()
        .map(|(c, name, _)| node(c, name))
        .collect();
    // Trust: every node trusts every hub (the anchors configured at
    // setup); a hub and its laptops trust each other.
    for i in 0..n {
        for j in 0..n {
            let hub_j = LAYOUT[j].2.is_none();
            let mine = LAYOUT[j].2 == Some(i) || LAYOUT[i].2 == Some(j);
            if i != j && (hub_j || mine) {
                let (name, key, country) = (
                    nodes[j].name.clone(),
                    nodes[j].key,
                    nodes[j].country.clone(),
                );
                nodes[i]
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
        }
    }
    // (case id, reference, owner node, audience)
    let mut cases: Vec<(String, String, usize, serde_json::Value)> = vec![];
    let mut notes: Vec<(String, String)> = vec![];
    // The second change of each equivocation: kept aside where it
    // arrived, and nowhere applied.
    let mut equivocations: BTreeSet<String> = BTreeSet::new();
    // Route stops: added (id -> case), removed, and every place an edit
    // gave each (the oracle for "every edit is kept").
    // An item's id is its object's, unique within its document only: the
    // stops are known by (case, id).
    let mut stops_added: BTreeSet<(String, String)> = BTreeSet::new();
    let mut stops_removed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut stop_edits: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    // Route editors left open: (node, case) -> (the route as that editor
    // shows it, the heads it saves on).
    let mut editors: BTreeMap<(usize, String), (serde_json::Value, Vec<String>)> = BTreeMap::new();
    for (step, op) in ops.into_iter().enumerate() {
        match op {
            Op::Create {
                at,
                audience,
                identity,
            } => {
                let at = at % n;
                let c = nodes[at].country.clone();
                let audience = match audience {
                    0 => json!({"scope": "national"}),
                    1 => {
                        json!({"scope": "bilateral", "countries": [if c == "GT" { "HN" } else { "GT" }]})
                    }
                    _ => json!({"scope": "regional"}),
                };
                let persons = if identity {
                    json!([{"role": "victim", "identity": {"given_names": "Ana", "first_surname": format!("Pérez{step}")}}])
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
                cases.push((saved.id, saved.reference, at, audience));
            }
            Op::Status { at, case, status } if !cases.is_empty() => {
                let at = at % n;
                let (id, _, _, _) = &cases[case % cases.len()];
                let statuses = ["reported", "under_investigation", "prosecution", "closed"];
                // Only where held, and only by the owner's country.
                if holds(&nodes[at], id) {
                    let _ = nodes[at]
                        .app
                        .update_case(id, &json!({"status": statuses[status as usize % 4]}));
                }
            }
            Op::Note { at, case } if !cases.is_empty() => {
                let at = at % n;
                let (id, _, _, _) = &cases[case % cases.len()];
                if holds(&nodes[at], id) {
                    let text = format!("Nota {step} desde {}", nodes[at].name);
                    nodes[at].app.add_note(id, &text).expect("note");
                    notes.push((id.clone(), text));
                }
            }
            Op::Sync { a, b, cut_after } => {
                let (a, b) = (a % n, b % n);
                if linked(a, b) {
                    session(&mut nodes, a, b, cut_after);
                }
            }
            Op::Reordered { a, b, seed } => {
                let (a, b) = (a % n, b % n);
                if linked(a, b) {
                    let bk = nodes[b].key;
                    let ak = nodes[a].key;
                    let mut page = nodes[a]
                        .app
                        .build_page(
                            &bk,
                            &Cursor::start(),
                            &enlace_sync::Wants::default(),
                            1 << 16,
                        )
                        .expect("page");
                    let order = shuffled(page.groups.len(), seed);
                    super::forge::reorder(&mut page, &order);
                    nodes[b]
                        .app
                        .apply_page(&ak, &page, None)
                        .expect("a reordered page applies");
                }
            }
            Op::Route {
                at,
                case,
                what,
                index,
                stale,
            } if !cases.is_empty() => {
                // A stale edit goes back to one of the editors left open.
                let (at, id, owner) = match editors.keys().nth(case % editors.len().max(1)) {
                    Some((at, id)) if stale => {
                        let owner = cases.iter().find(|c| c.0 == *id).map_or(*at, |c| c.2);
                        (*at, id.clone(), owner)
                    }
                    _ => {
                        let (id, _, owner, _) = cases[case % cases.len()].clone();
                        (at % n, id, owner)
                    }
                };
                if holds(&nodes[at], &id) && nodes[at].country == nodes[owner].country {
                    let open = editors.get(&(at, id.clone())).filter(|_| stale).cloned();
                    if open.is_some() {
                        // While the editor was open, sync brought what the
                        // country's other nodes did.
                        if let Some(b) =
                            (0..n).find(|&b| linked(at, b) && nodes[b].country == nodes[at].country)
                        {
                            session(&mut nodes, at, b, u8::MAX);
                        }
                    }
                    let (mut r, base) = match open {
                        Some(read) => read,
                        None => {
                            let v = nodes[at].app.case(&id).expect("case");
                            (serde_json::to_value(&v.case.route).expect("json"), v.heads)
                        }
                    };
                    let list = r.as_array_mut().expect("route");
                    let place = format!("P{step}");
                    let mut edited = None;
                    match (what, list.len()) {
                        (0, len) | (_, len @ 0) => {
                            list.insert(
                                index % (len + 1),
                                json!({"country": "MX", "place": place, "role": "transit"}),
                            );
                        }
                        (1, len) => {
                            let it = list.remove(index % len);
                            stops_removed
                                .insert((id.clone(), it["id"].as_str().expect("id").to_owned()));
                        }
                        (2, len) => {
                            let i = index % len;
                            list[i]["place"] = json!(place);
                            edited = Some(list[i]["id"].as_str().expect("id").to_owned());
                        }
                        (_, len) => {
                            let it = list.remove(index % len);
                            list.insert((index / 2) % len, it);
                        }
                    }
                    let saved = nodes[at]
                        .app
                        .update_case_from(&id, &json!({"route": r}), Some(&base))
                        .expect("route");
                    let after = nodes[at].app.case(&id).expect("case").case;
                    for s in &after.route {
                        if s.place == place && edited.is_none() {
                            stops_added.insert((id.clone(), s.id.clone()));
                        }
                    }
                    if let Some(e) = edited {
                        stop_edits.entry((id.clone(), e)).or_default().insert(place);
                    }
                    // The editor stays open with what it sent, its new
                    // stop now known by its id.
                    for item in r.as_array_mut().expect("route") {
                        if item["id"].as_str().unwrap_or("").is_empty()
                            && let Some(s) = after.route.iter().find(|s| s.place == item["place"])
                        {
                            item["id"] = json!(s.id);
                        }
                    }
                    editors.insert((at, id.clone()), (r, saved.heads));
                }
            }
            Op::Equivocate { at, case } if !cases.is_empty() => {
                let at = at % n;
                let (id, _, owner, _) = cases[case % cases.len()].clone();
                let neighbour = (0..n).find(|&b| linked(at, b));
                let same_country = nodes[at].country == nodes[owner].country;
                // Both hold the case as it stands (so the two changes
                // follow what the neighbour holds).
                if let (Some(b), true, true) = (neighbour, same_country, holds(&nodes[at], &id))
                    && holds(&nodes[b], &id)
                    && heads(&nodes[at], &id) == heads(&nodes[b], &id)
                {
                    let actor = enlace_docs::session_actor(&nodes[at].key, &step.to_be_bytes());
                    let [one, two] = ["uno", "dos"].map(|v| {
                        super::forge::change_as(&nodes[at], &id, actor.clone(), |d| {
                            d.put_scalar_at(&["summary"], &json!(format!("{v} {step}")))
                                .expect("put");
                        })
                    });
                    let key = nodes[at].app.node.signing_key().clone();
                    let (ak, bk) = (nodes[at].key, nodes[b].key);
                    let page = |c: &Vec<u8>| {
                        super::forge::page_by(
                            &key,
                            vec![super::forge::group(Some(&id), "case", vec![c.clone()])],
                        )
                    };
                    // The first reaches both (the author keeps it too);
                    // the second reaches the neighbour only.
                    nodes[b]
                        .app
                        .apply_page(&ak, &page(&one), None)
                        .expect("one");
                    nodes[at]
                        .app
                        .apply_page(&bk, &page(&one), None)
                        .expect("one here");
                    let got = nodes[b]
                        .app
                        .apply_page(&ak, &page(&two), None)
                        .expect("two");
                    prop_assert!(
                        got.refused
                            .iter()
                            .any(|r| r.reason == enlace_sync::RefusalReason::Equivocation),
                        "{:?}",
                        got
                    );
                    equivocations.insert(hex::encode(super::forge::hash_of(&two)));
                }
            }
            _ => {}
        }
    }
    // Heal: every link, until a full pass moves nothing (at most 4).
    for _ in 0..4 {
        for a in 0..n {
            for b in 0..n {
                if linked(a, b) {
                    prop_assert!(session(&mut nodes, a, b, 0), "healed sync failed");
                }
            }
        }
    }
    // Every reference is unique, though two nodes of one country issued
    // theirs without talking, and no node holds two cases under one.
    let refs: BTreeSet<&str> = cases.iter().map(|c| c.1.as_str()).collect();
    prop_assert_eq!(refs.len(), cases.len(), "a reference was issued twice");
    for nd in &nodes {
        let dups = nd.app.duplicate_references().expect("duplicates");
        prop_assert!(dups.is_empty(), "{} holds {:?}", nd.name, dups);
    }
    for (id, reference, owner, audience) in &cases {
        let owner_country = nodes[*owner].country.clone();
        let aud: enlace_domain::Audience = serde_json::from_value(audience.clone()).expect("aud");
        let oc = CountryCode::parse(&owner_country).expect("cc");
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for nd in &nodes {
            let may = aud.admits(&oc, &CountryCode::parse(&nd.country).expect("cc"));
            prop_assert_eq!(
                holds(nd, id),
                may,
                "{} on {} ({:?})",
                reference,
                nd.name,
                audience
            );
            if may {
                seen.insert(heads(nd, id));
            }
        }
        prop_assert!(seen.len() <= 1, "{} differs: {:?}", reference, seen);
    }
    // Routes: nothing removed is there, every stop added and not removed
    // is, and each edited stop reads as one of the places given to it.
    for nd in &mut nodes {
        for (id, _, _, _) in &cases {
            if !holds(nd, id) {
                continue;
            }
            let route = nd.app.case(id).expect("case").case.route;
            let here: BTreeSet<&str> = route.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(here.len(), route.len(), "a stop twice on {}", nd.name);
            for s in &route {
                prop_assert!(
                    !stops_removed.contains(&(id.clone(), s.id.clone())),
                    "{} came back on {}",
                    s.place,
                    nd.name
                );
                if let Some(places) = stop_edits.get(&(id.clone(), s.id.clone())) {
                    prop_assert!(
                        places.contains(&s.place),
                        "{} lost its edit on {}",
                        s.place,
                        nd.name
                    );
                }
            }
            for key in &stops_added {
                let (case, stop) = key;
                if case == id && !stops_removed.contains(key) {
                    prop_assert!(here.contains(stop.as_str()), "a stop lost on {}", nd.name);
                }
            }
        }
    }
    // Nothing lost: every note made reached every node that may hold its case.
    let mut by_case: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, t) in &notes {
        by_case.entry(id.as_str()).or_default().push(t.as_str());
    }
    for nd in &mut nodes {
        for (id, texts) in &by_case {
            if holds(nd, id) {
                let v = nd.app.case(id).expect("view");
                for t in texts {
                    prop_assert!(
                        v.case.notes.iter().any(|n| n.text == *t),
                        "{} lost on {}",
                        t,
                        nd.name
                    );
                }
            }
        }
        // Identities never left their country, and nothing legitimate
        // was refused.
        for (pid, kind) in kinds(nd) {
            if kind == DocKind::Person {
                let row = nd.app.store.read().doc(&pid).expect("read").expect("row");
                prop_assert_eq!(&row.owner_country, &nd.country);
            }
        }
        let kept = nd.app.quarantine().expect("q");
        prop_assert!(
            kept.iter()
                .all(|q| q.reason == "equivocation" && equivocations.contains(&q.change)),
            "quarantine on {}: {:?}",
            nd.name,
            kept
        );
        // Every database is whole: heads, the change log, the audit chain.
        let report = nd.app.check(&mut |_, _| {}).expect("check");
        prop_assert!(report.is_whole(), "{}: {:?}", nd.name, report.damage);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // CI runs 10 cases from a fixed seed (the same cases every run);
        // `cargo xtask campaign convergence --cases N` runs more, from a
        // random seed unless `ENLACE_CONVERGENCE_SEED` names one.
        cases: std::env::var("ENLACE_CONVERGENCE_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
        rng_seed: match std::env::var("ENLACE_CONVERGENCE_SEED").ok().as_deref() {
            Some("random") => proptest::test_runner::RngSeed::Random,
            Some(n) => n
                .parse()
                .map_or(proptest::test_runner::RngSeed::Random, proptest::test_runner::RngSeed::Fixed),
            None => proptest::test_runner::RngSeed::Fixed(0x0015_2026),
        },
        ..ProptestConfig::default()
    })]

    #[test]
    fn nodes_converge_after_random_edits_partitions_and_cuts(
        n in 3usize..=6,
        ops in proptest::collection::vec(op(), 5..40),
    ) {
        run_ops(n, ops)?;
    }
}
