//! Who may hold and who may change what: plain functions over values,
//! tested table by table below. The receive path asks them; nothing here
//! touches the store.

use enlace_domain::{Audience, AudienceScope, Case, CaseRef, CountryCode, DocKind, NodeRole};
use enlace_sync::RefusalReason;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Lists another country may add to in a case (append only).
pub(crate) const FOREIGN_LISTS: &[&str] = &["notes", "links", "request_answers"];

/// Why the answers to requests a change leaves in a case may not be its
/// author's (`None`: they may). `before` and `after` are the answers as
/// the case reads before and after it (every concurrent list's items),
/// `requests` its requests after it. An answer is the requested
/// country's word: every answer the change adds (or rewrites) names its
/// author's country and a request of the case addressed to that country,
/// and no answer is taken away.
pub(crate) fn answers_refused(
    before: &[Value],
    after: &[Value],
    requests: &[Value],
    author_country: &str,
) -> Option<String> {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    if before.iter().any(|b| !after.contains(b)) {
        return Some("it takes away or rewrites a country's answer to a request".into());
    }
    for a in after.iter().filter(|a| !before.contains(a)) {
        let country = text(a, "country");
        if country != author_country {
            return Some(format!(
                "a node of {author_country} answers a request in the name of {}",
                country.chars().take(8).collect::<String>()
            ));
        }
        let request = text(a, "request");
        let to = requests
            .iter()
            .find(|r| !request.is_empty() && text(r, "id") == request)
            .map(|r| text(r, "to"));
        match to {
            Some(to) if to == author_country => {}
            Some(to) => {
                return Some(format!(
                    "a node of {author_country} answers a request addressed to {}",
                    to.chars().take(8).collect::<String>()
                ));
            }
            None => {
                return Some(format!(
                    "a node of {author_country} answers a request the case does not hold"
                ));
            }
        }
    }
    None
}

/// A victim's record as a change finds it and leaves it: every concurrent
/// value of the fields naming whose it is (`case`, `pseudonym`,
/// `person_ref`), and every item of its assessments and referrals.
#[derive(Debug, Default)]
pub(crate) struct RiskState {
    /// The document was held before (else the change creates it).
    pub existed: bool,
    pub identity: Vec<Vec<Value>>,
    pub assessments: Vec<Value>,
    pub referrals: Vec<Value>,
}

/// The fields of a victim's record that say whose it is.
pub(crate) const RISK_IDENTITY: &[&str] = &["case", "pseudonym", "person_ref"];

/// An item without its place in the list (`_pos`) and without `skip`.
fn item_without(v: &Value, skip: &[&str]) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove("_pos");
        for k in skip {
            m.remove(*k);
        }
    }
    v
}

/// Why a change to a victim's risk record may not be (`None`: it may),
/// whoever wrote it: whose record it is never changes once written; an
/// assessment, once written, is never taken away or rewritten (a review
/// adds one); a referral is never taken away, and only where it stands
/// changes and notes are added to; and what it adds holds as the app
/// would have it (a review date not before the assessment, nor an
/// assessment before those it reviews; a referral without consent says
/// why) — the same checks as at the keyboard but the date's, which a
/// receiver's clock cannot judge.
pub(crate) fn risk_refused(before: &RiskState, after: &RiskState) -> Option<String> {
    use enlace_domain::risk::{validate_entry, validate_referral};
    use enlace_domain::{Referral, RiskEntry};
    for (n, field) in RISK_IDENTITY.iter().enumerate() {
        let (b, a) = (before.identity.get(n), after.identity.get(n));
        // Not even one left unwritten when it was made: `person_ref` set
        // later would make the record follow another identity.
        if before.existed && b != a {
            return Some(format!("it changes whose risk record it is (its {field})"));
        }
    }
    let old: Vec<Value> = before
        .assessments
        .iter()
        .map(|v| item_without(v, &[]))
        .collect();
    let new: Vec<Value> = after
        .assessments
        .iter()
        .map(|v| item_without(v, &[]))
        .collect();
    if old.iter().any(|b| !new.contains(b)) {
        return Some("it takes away or rewrites a victim's risk assessment".into());
    }
    let parsed: Vec<RiskEntry> = new
        .iter()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect();
    for v in new.iter().filter(|v| !old.contains(v)) {
        let Ok(e) = serde_json::from_value::<RiskEntry>(v.clone()) else {
            return Some("it adds a risk assessment that is not one".into());
        };
        let reviewed: Vec<&RiskEntry> = parsed
            .iter()
            .filter(|o| e.reviews.contains(&o.id))
            .collect();
        if let Some(i) = validate_entry(&e, &reviewed, e.assessed_on)
            .into_iter()
            .find(|i| i.severity == enlace_domain::Severity::Error)
        {
            return Some(format!(
                "it adds a risk assessment refused for its {} ({})",
                i.path, i.code
            ));
        }
    }
    let id_of = |v: &Value| v.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    for b in &before.referrals {
        let fixed = item_without(b, &["status", "notes"]);
        let kept = after.referrals.iter().any(|a| {
            id_of(a) == id_of(b)
                && item_without(a, &["status", "notes"]) == fixed
                && text(a, "notes").starts_with(&text(b, "notes"))
        });
        if !kept {
            return Some("it takes away or rewrites a victim's referral (only its status changes, and notes are added)".into());
        }
    }
    for a in &after.referrals {
        if before.referrals.iter().any(|b| id_of(b) == id_of(a)) {
            continue;
        }
        let Ok(r) = serde_json::from_value::<Referral>(item_without(a, &[])) else {
            return Some("it adds a referral that is not one".into());
        };
        if let Some(i) = validate_referral(&r)
            .into_iter()
            .find(|i| i.severity == enlace_domain::Severity::Error)
        {
            return Some(format!(
                "it adds a referral refused for its {} ({})",
                i.path, i.code
            ));
        }
    }
    None
}

/// The deepest nesting of objects a received document may have (Enlace's
/// own documents nest at most four deep).
pub(crate) const MAX_DEPTH: usize = 12;
/// The longest text a received document may hold anywhere, in characters
/// (the longest field a person can type, `MAX_TEXT`).
pub(crate) const MAX_TEXT: usize = enlace_domain::validate::MAX_TEXT;
/// The longest list a received document may hold anywhere.
pub(crate) const MAX_ITEMS: usize = 10_000;

/// May a node of `country` receive this document?
pub(crate) fn may_receive(
    kind: DocKind,
    owner: &str,
    audience: &str,
    local_only: bool,
    country: &str,
) -> bool {
    if local_only {
        return false;
    }
    if kind.is_national() {
        return owner == country;
    }
    let (Some(owner), Some(country), Ok(audience)) = (
        CountryCode::parse(owner),
        CountryCode::parse(country),
        serde_json::from_str::<Audience>(audience),
    ) else {
        return false;
    };
    audience.admits(&owner, &country)
}

/// The most nodes a person document may name besides its owner's.
pub(crate) const MAX_PERSON_NODES: usize = 256;

/// Need-to-know inside a country: does a national document reach a node
/// of role `role` with key `key`? A hub and an office receive every one; a
/// border post and an NGO receive a person document only when it is
/// theirs (`owner_node`, the 16-hex node id, is theirs: they recorded the
/// case) or names them in its `nodes` (`reach`, full keys in hex). Other
/// kinds carry no identity and reach every node of their audience.
pub(crate) fn reaches(
    kind: DocKind,
    role: NodeRole,
    key: &[u8; 32],
    owner_node: &str,
    reach: &[String],
) -> bool {
    if !kind.follows_identity() || !role.need_to_know() {
        return true;
    }
    owner_node == hex::encode(&key[..8]) || reach.iter().any(|k| *k == hex::encode(key))
}

/// Do a person document's standing grants (`CC:YYYY-MM-DD`, as stored)
/// let it reach `country` on `today`?
pub(crate) fn granted(grants: &[String], country: &str, today: chrono::NaiveDate) -> bool {
    grants.iter().any(|g| {
        g.split_once(':').is_some_and(|(c, until)| {
            c == country
                && chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").is_ok_and(|d| d >= today)
        })
    })
}

/// A person document's standing grants as stored (`CC:YYYY-MM-DD`), read
/// from the document: each one not revoked, with a readable country and
/// date.
pub(crate) fn grants_of(json: &Value) -> Vec<String> {
    let Some(list) = json.get("grants").and_then(Value::as_array) else {
        return vec![];
    };
    list.iter()
        .filter_map(|g| {
            let revoked = g.get("revoked_at").is_some_and(|v| !v.is_null());
            let country = g.get("country").and_then(Value::as_str)?;
            let until = g.get("until").and_then(Value::as_str)?;
            let until_day = chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").ok()?;
            // Given on `at`, it lasts at most MAX_GRANT_DAYS (one that
            // claims longer, or no day it was given, is not one).
            let given = g
                .get("at")
                .and_then(Value::as_str)
                .and_then(|a| a.get(..10))
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?;
            let within =
                until_day <= given + chrono::Days::new(enlace_domain::person::MAX_GRANT_DAYS);
            let ok = !revoked && within && CountryCode::parse(country).is_some();
            ok.then(|| format!("{country}:{until}"))
        })
        .collect()
}

/// [`reaches`] for a document as it reads (a receiver's own check).
pub(crate) fn reaches_json(kind: DocKind, role: NodeRole, key: &[u8; 32], json: &Value) -> bool {
    let owner = json
        .pointer("/owner/node")
        .and_then(Value::as_str)
        .unwrap_or("");
    reaches(kind, role, key, owner, &person_nodes(json))
}

/// The nodes a person document names (`nodes`), as strings.
pub(crate) fn person_nodes(json: &Value) -> Vec<String> {
    json.get("nodes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A node's full key as a person document names it: 64 lowercase hex.
pub(crate) fn is_node_key(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// H2 ("not to be passed on without the originator's permission",
/// Protocol Art. 10(3)): a case holding H2 items reaches a country only
/// from its owner's nodes. A node of a country that received it (`via`)
/// may pass it among its own country's nodes and back to the owner's, not
/// to a third country (`to`); the sender skips it and the receiver refuses
/// it, as for the audience.
pub(crate) fn relay_barred(restricted: bool, owner: &str, via: &str, to: &str) -> bool {
    restricted && via != owner && to != owner && to != via
}

/// The visibility class of a document for proofs: documents that the same
/// receivers may see share a class, so relayed proofs rarely hide members.
pub(crate) fn class_of(kind: DocKind, owner: &str, audience: &str) -> u64 {
    let text = if kind.is_national() {
        format!("national:{owner}")
    } else {
        match serde_json::from_str::<Audience>(audience) {
            Ok(a) => match a.scope {
                AudienceScope::Regional if a.countries.is_empty() => "regional".to_owned(),
                AudienceScope::Regional => {
                    let mut c: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
                    c.sort();
                    c.dedup();
                    format!("regional:{}", c.join(","))
                }
                AudienceScope::National => format!("national:{owner}"),
                AudienceScope::Bilateral => {
                    let mut c: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
                    c.push(owner.to_owned());
                    c.sort();
                    c.dedup();
                    format!("bilateral:{}", c.join(","))
                }
            },
            Err(_) => format!("other:{owner}"),
        }
    };
    first_u64(&Sha256::digest(text.as_bytes()))
}

/// What a change by a node of one country may do to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum May {
    /// Anything, but not give the document another owner.
    Edit,
    /// Create it, if the document it creates is owned by its country.
    Create,
    /// Only add notes and links ([`FOREIGN_LISTS`]).
    Append,
    /// Nothing.
    Nothing,
}

/// What an author of `author` (a country) may do to a document of `kind`
/// owned by `owner` (`None`: it does not exist here yet).
pub(crate) fn may(kind: DocKind, owner: Option<&str>, author: &str) -> May {
    match owner {
        None => May::Create,
        Some(o) if o == author => May::Edit,
        Some(_) if kind == DocKind::Case => May::Append,
        Some(_) => May::Nothing,
    }
}

/// May this node (of `my_country`) hold document `id` of `kind` as it now
/// reads (`json`)? It must be a well-formed document of its kind with its
/// own id, within the limits, its owner's fields its owner's, and for a
/// country this node's is in. Returns the case, for a case.
pub(crate) fn holdable(
    kind: DocKind,
    id: &str,
    json: &Value,
    my_country: &str,
    today: chrono::NaiveDate,
) -> std::result::Result<Option<Case>, RefusalReason> {
    use enlace_domain::input::from_value_ref;
    if !within_limits(json) || json.get("id").and_then(Value::as_str) != Some(id) {
        return Err(RefusalReason::Malformed);
    }
    let owner = json
        .pointer("/owner/country")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Demonstration documents never leave the node that loaded them: one
    // received is not one (it would turn a real document local-only).
    if json.get("demo").and_then(Value::as_bool) == Some(true) {
        return Err(RefusalReason::NotAllowed);
    }
    // A country's assessment id is that assessment's: no other kind of
    // document may take it (and keep the real one out).
    if kind != DocKind::LegalAssessment && is_assessment_id(id) {
        return Err(RefusalReason::NotAllowed);
    }
    let mut case = None;
    let owned_right = match kind {
        DocKind::Case => {
            let c = from_value_ref::<Case>(json).map_err(|_| RefusalReason::Malformed)?;
            let ok = reference_is_owners(&c.reference, c.owner.country.as_str())
                && c.former_references
                    .iter()
                    .all(|r| reference_is_owners(r, c.owner.country.as_str()));
            case = Some(c);
            ok
        }
        DocKind::Person => {
            let p = from_value_ref::<enlace_domain::Person>(json)
                .map_err(|_| RefusalReason::Malformed)?;
            if p.nodes.len() > MAX_PERSON_NODES || !p.nodes.iter().all(|k| is_node_key(k)) {
                return Err(RefusalReason::Malformed);
            }
            true
        }
        DocKind::LegalAssessment => {
            let a = from_value_ref::<enlace_domain::assessment::LegalAssessment>(json)
                .map_err(|_| RefusalReason::Malformed)?;
            assessment_is_owners(id, a.country.as_str(), a.owner.country.as_str())
        }
        DocKind::PlanTask => {
            let t = from_value_ref::<enlace_domain::PlanTask>(json)
                .map_err(|_| RefusalReason::Malformed)?;
            task_is_owners(
                t.country.as_ref().map(CountryCode::as_str),
                t.owner.country.as_str(),
            )
        }
        // A directory entry is its own country's.
        DocKind::Agency => {
            let a = from_value_ref::<enlace_domain::Agency>(json)
                .map_err(|_| RefusalReason::Malformed)?;
            a.country == a.owner.country
        }
        DocKind::RiskAssessment => {
            let r = from_value_ref::<enlace_domain::RiskRecord>(json)
                .map_err(|_| RefusalReason::Malformed)?;
            if r.nodes.len() > MAX_PERSON_NODES || !r.nodes.iter().all(|k| is_node_key(k)) {
                return Err(RefusalReason::Malformed);
            }
            true
        }
    };
    if !owned_right {
        return Err(RefusalReason::NotAllowed);
    }
    if kind.is_national() {
        // Another country's identity only under a grant to this one.
        let granted_here = kind.follows_identity() && granted(&grants_of(json), my_country, today);
        return if owner == my_country || granted_here {
            Ok(case)
        } else {
            Err(RefusalReason::NationalOnly)
        };
    }
    let audience = json
        .get("audience")
        .map(Value::to_string)
        .unwrap_or_default();
    if may_receive(kind, owner, &audience, false, my_country) {
        Ok(case)
    } else {
        Err(RefusalReason::NotInAudience)
    }
}

/// A case's reference names its owner's country (`GT-2026-0042` is
/// Guatemala's): a node of another country cannot take Guatemala's series.
/// Written as this node would write it (`GT-K7M3Q-2026-0042`, not
/// `gt-k7m3q-2026-0042` or with a space), so lookups and the duplicates
/// list see it, and with a sequence of at most seven digits.
pub(crate) fn reference_is_owners(reference: &str, owner: &str) -> bool {
    CaseRef::parse(reference).is_some_and(|r| {
        r.country.as_str() == owner && r.to_string() == reference && r.sequence <= MAX_SEQUENCE
    })
}

/// The highest case sequence a reference may carry: a node numbering a
/// case a minute for twenty years stays below it, and a peer cannot push
/// a node's counter to where it overflows.
pub(crate) const MAX_SEQUENCE: u32 = enlace_store::MAX_SEQUENCE;

/// The id of some country's legal assessment.
pub(crate) fn is_assessment_id(id: &str) -> bool {
    CountryCode::members()
        .iter()
        .any(|c| enlace_domain::assessment::assessment_id(c).to_string() == id)
}

/// A legal assessment is its country's one document (id derived from the
/// country) and owned by it.
pub(crate) fn assessment_is_owners(id: &str, country: &str, owner: &str) -> bool {
    country == owner
        && CountryCode::parse(owner)
            .is_some_and(|c| enlace_domain::assessment::assessment_id(&c).to_string() == id)
}

/// A national plan task is of its owner's country (roll-ups group tasks
/// by country); a regional one names none.
pub(crate) fn task_is_owners(country: Option<&str>, owner: &str) -> bool {
    country.is_none_or(|c| c == owner)
}

/// Every text at most [`MAX_TEXT`] characters and every list at most
/// [`MAX_ITEMS`] items, anywhere in the document (walked without
/// recursion).
pub(crate) fn within_limits(json: &Value) -> bool {
    let mut stack = vec![json];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.len() > MAX_TEXT && s.chars().count() > MAX_TEXT => {
                return false;
            }
            Value::Array(items) => {
                if items.len() > MAX_ITEMS {
                    return false;
                }
                stack.extend(items);
            }
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    true
}

/// The first 8 bytes of a SHA-256 digest as a big-endian number.
pub(crate) fn first_u64(d: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn need_to_know_table() {
        use enlace_domain::enums::Closed;
        let mine = [0xabu8; 32];
        let other = [9u8; 32];
        let me16 = hex::encode(&mine[..8]);
        let me64 = hex::encode(mine);
        let other64 = hex::encode(other);
        // (kind, owner node, nodes named, need-to-know role reaches?)
        let rows: &[(DocKind, &str, &[&str], bool)] = &[
            (DocKind::Person, &me16, &[], true),
            (DocKind::Person, "0102030405060708", &[&me64], true),
            (DocKind::Person, "0102030405060708", &[], false),
            (DocKind::Person, "0102030405060708", &[&other64], false),
            // A prefix of the key is not the key.
            (DocKind::Person, "0102030405060708", &[&me16], false),
            (DocKind::Case, "0102030405060708", &[], true),
            (DocKind::LegalAssessment, "0102030405060708", &[], true),
            (DocKind::PlanTask, "0102030405060708", &[], true),
            // A victim's risk reaches whom an identity reaches.
            (DocKind::RiskAssessment, &me16, &[], true),
            (DocKind::RiskAssessment, "0102030405060708", &[&me64], true),
            (DocKind::RiskAssessment, "0102030405060708", &[], false),
        ];
        for (kind, owner, nodes, restricted) in rows {
            let nodes: Vec<String> = nodes.iter().map(|s| (*s).to_owned()).collect();
            for role in NodeRole::all() {
                let expect = !role.need_to_know() || *restricted;
                assert_eq!(
                    reaches(*kind, *role, &mine, owner, &nodes),
                    expect,
                    "{kind} {role} {owner} {nodes:?}"
                );
            }
            let json = json!({"owner": {"country": "GT", "node": owner}, "nodes": nodes});
            assert_eq!(
                reaches_json(*kind, NodeRole::BorderPost, &mine, &json),
                *restricted
            );
        }
        assert!(is_node_key(&me64));
        assert!(!is_node_key(&me16));
        assert!(!is_node_key(&me64.to_uppercase()));
    }

    #[test]
    fn who_may_receive_what() {
        let regional = r#"{"scope":"regional"}"#;
        let national = r#"{"scope":"national"}"#;
        let bilateral = r#"{"scope":"bilateral","countries":["HN"]}"#;
        let check =
            |kind: DocKind, owner: &str, audience: &str, local: bool, to: &str, ok: bool| {
                assert_eq!(
                    may_receive(kind, owner, audience, local, to),
                    ok,
                    "{kind} of {owner} ({audience}, local {local}) to {to}"
                );
            };
        use DocKind::*;
        check(Case, "GT", regional, false, "HN", true);
        check(Case, "GT", regional, false, "GT", true);
        check(Case, "GT", regional, true, "GT", false); // demonstration data
        check(Case, "GT", national, false, "HN", false);
        check(Case, "GT", national, false, "GT", true);
        check(Case, "GT", bilateral, false, "HN", true);
        check(Case, "GT", bilateral, false, "MX", false);
        check(Person, "GT", regional, false, "HN", false); // identities stay home
        check(Person, "GT", regional, false, "GT", true);
        check(RiskAssessment, "GT", regional, false, "HN", false);
        check(RiskAssessment, "GT", national, false, "GT", true);
        check(LegalAssessment, "GT", regional, false, "MX", true);
        check(PlanTask, "GT", national, false, "MX", false);
        check(PlanTask, "GT", regional, false, "MX", true);
        check(Case, "GT", "not json", false, "HN", false);
        // Observers receive only what names them.
        let with_us = r#"{"scope":"regional","countries":["US"]}"#;
        check(Case, "GT", regional, false, "US", false);
        check(Case, "GT", regional, false, "CA", false);
        check(Case, "GT", with_us, false, "US", true);
        check(Case, "GT", with_us, false, "CA", false);
        check(Case, "GT", with_us, false, "SV", true);
        check(Case, "US", regional, false, "US", true);
        check(Case, "US", regional, false, "GT", true);
        check(PlanTask, "GT", regional, false, "CA", false);
        check(LegalAssessment, "MX", regional, false, "US", false);
        // A kind sync does not carry is not a kind at all here.
        assert_eq!(DocKind::of("grant"), None);
    }

    #[test]
    fn h2_cases_travel_only_from_their_owner_and_within_a_country() {
        // (restricted, owner, via, to, barred)
        for (restricted, owner, via, to, barred) in [
            (true, "GT", "GT", "HN", false),  // the owner sends it
            (true, "GT", "HN", "HN", false),  // within the receiving country
            (true, "GT", "HN", "GT", false),  // back to the owner
            (true, "GT", "HN", "SV", true),   // on to a third country
            (false, "GT", "HN", "SV", false), // no H2 item: as the audience says
        ] {
            assert_eq!(
                relay_barred(restricted, owner, via, to),
                barred,
                "{owner} via {via} to {to}"
            );
        }
    }

    #[test]
    fn who_may_change_what() {
        let check = |kind: DocKind, owner: Option<&str>, author: &str, expect: May| {
            assert_eq!(
                may(kind, owner, author),
                expect,
                "{kind} of {owner:?} by {author}"
            );
        };
        use DocKind::*;
        check(Case, Some("GT"), "GT", May::Edit);
        check(Case, Some("GT"), "HN", May::Append);
        check(Case, None, "HN", May::Create);
        check(Person, Some("GT"), "HN", May::Nothing);
        check(LegalAssessment, Some("GT"), "MX", May::Nothing);
        check(PlanTask, Some("GT"), "MX", May::Nothing);
        check(PlanTask, Some("GT"), "GT", May::Edit);
    }

    #[test]
    fn owner_derived_fields_must_be_the_owners() {
        assert!(reference_is_owners("GT-2026-0042", "GT"));
        assert!(!reference_is_owners("GT-2026-0042", "MX"));
        assert!(!reference_is_owners("nonsense", "GT"));
        let gt = CountryCode::parse("GT").expect("GT");
        let gt_id = enlace_domain::assessment::assessment_id(&gt).to_string();
        assert!(assessment_is_owners(&gt_id, "GT", "GT"));
        assert!(
            !assessment_is_owners(&gt_id, "GT", "MX"),
            "Mexico in Guatemala's slot"
        );
        assert!(!assessment_is_owners(&gt_id, "MX", "MX"));
        assert!(!assessment_is_owners(
            "00000000-0000-0000-0000-000000000000",
            "GT",
            "GT"
        ));
        assert!(task_is_owners(None, "GT"));
        assert!(task_is_owners(Some("GT"), "GT"));
        assert!(!task_is_owners(Some("HN"), "GT"));
    }

    #[test]
    fn only_the_requested_country_answers_a_request() {
        let requests = vec![
            json!({"id": "r1", "from": "GT", "to": "HN"}),
            json!({"id": "r2", "from": "GT", "to": "SV"}),
        ];
        let answer = |country: &str, request: &str| json!({"request": request, "country": country, "action": "answered", "text": "x"});
        let old = answer("HN", "r1");
        // (before, after, author, refused)
        let rows: Vec<(Vec<Value>, Vec<Value>, &str, bool)> = vec![
            (vec![], vec![answer("HN", "r1")], "HN", false),
            (
                vec![old.clone()],
                vec![old.clone(), answer("HN", "r1")],
                "HN",
                false,
            ),
            // Addressed to El Salvador.
            (vec![], vec![answer("HN", "r2")], "HN", true),
            // In another country's name.
            (vec![], vec![answer("SV", "r2")], "HN", true),
            // The requesting country answering for Honduras.
            (vec![], vec![answer("HN", "r1")], "GT", true),
            // A request the case does not hold.
            (vec![], vec![answer("HN", "r9")], "HN", true),
            (vec![], vec![answer("HN", "")], "HN", true),
            // Taken away, or rewritten.
            (vec![old.clone()], vec![], "GT", true),
            (vec![old.clone()], vec![answer("HN", "r2")], "HN", true),
            // Nothing new: the owner's other edits.
            (vec![old.clone()], vec![old.clone()], "GT", false),
        ];
        for (before, after, author, refused) in rows {
            assert_eq!(
                answers_refused(&before, &after, &requests, author).is_some(),
                refused,
                "{before:?} → {after:?} by {author}"
            );
        }
    }

    #[test]
    fn limits_on_what_a_document_holds() {
        assert!(within_limits(&json!({"notes": [{"text": "hola"}]})));
        assert!(!within_limits(
            &json!({"notes": [{"text": "x".repeat(MAX_TEXT + 1)}]})
        ));
        // Characters, not bytes: accents take two bytes each.
        assert!(within_limits(&json!({"t": "á".repeat(MAX_TEXT)})));
        assert!(!within_limits(
            &json!({"notes": vec![json!(1); MAX_ITEMS + 1]})
        ));
        let mut deep = json!(1);
        for _ in 0..1000 {
            deep = json!([deep]);
        }
        assert!(within_limits(&deep), "walked without recursion");
    }
}
