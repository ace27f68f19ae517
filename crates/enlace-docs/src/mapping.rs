//! The JSON mapping: serde values written into an automerge document
//! field by field (only what differs), and read back (hydrated).

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, Prop, ReadDoc, ScalarValue};
use serde_json::{Map, Number, Value};

use crate::*;

/// Where a value sits: a key in a map or an index in a list.
#[derive(Clone)]
pub(crate) enum Slot<'a> {
    Key(&'a str),
    Index(usize),
}

impl Slot<'_> {
    fn prop(&self) -> Prop {
        match self {
            Slot::Key(k) => Prop::Map((*k).to_owned()),
            Slot::Index(i) => Prop::Seq(*i),
        }
    }
}

pub(crate) fn to_scalar(v: &Value) -> ScalarValue {
    match v {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                ScalarValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                ScalarValue::Uint(u)
            } else {
                ScalarValue::F64(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        Value::Array(_) | Value::Object(_) => ScalarValue::Null,
    }
}

pub(crate) fn scalar_to_json(s: &ScalarValue) -> Value {
    match s {
        ScalarValue::Null => Value::Null,
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::Uint(u) => Value::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        ScalarValue::Counter(c) => Value::Number(i64::from(c).into()),
        ScalarValue::Timestamp(t) => Value::Number((*t).into()),
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Bytes(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
        ScalarValue::Unknown { .. } => Value::Null,
    }
}

pub(crate) fn value_to_json(
    doc: &AutoCommit,
    v: automerge::Value<'_>,
    id: &ObjId,
) -> Result<Value> {
    Ok(match v {
        automerge::Value::Object(t) => hydrate(doc, id, t)?,
        automerge::Value::Scalar(s) => scalar_to_json(&s),
    })
}

pub(crate) fn hydrate(doc: &AutoCommit, obj: &ObjId, t: ObjType) -> Result<Value> {
    Ok(match t {
        ObjType::Map | ObjType::Table => {
            let mut m = Map::new();
            for k in doc.keys(obj) {
                if let Some((v, id)) = doc.get(obj, k.as_str())? {
                    m.insert(k, value_to_json(doc, v, &id)?);
                }
            }
            Value::Object(m)
        }
        ObjType::List => {
            let mut out = Vec::new();
            for i in 0..doc.length(obj) {
                if let Some((v, id)) = doc.get(obj, i)? {
                    let mut item = value_to_json(doc, v, &id)?;
                    // An item written before items had identities is known
                    // by its automerge object, the same on every node.
                    if let Value::Object(m) = &mut item
                        && !m.contains_key(ID)
                    {
                        m.insert(ID.into(), Value::String(id.to_string()));
                    }
                    out.push(item);
                }
            }
            Value::Array(in_order(out))
        }
        ObjType::Text => Value::String(doc.text(obj)?),
    })
}

pub(crate) fn parse_heads(heads: &[String]) -> Result<Vec<ChangeHash>> {
    heads
        .iter()
        .map(|h| {
            h.parse::<ChangeHash>()
                .map_err(|e| DocError::BadChange(format!("change hash {h}: {e}")))
        })
        .collect()
}

/// [`hydrate`] as of `heads`.
pub(crate) fn hydrate_at(
    doc: &AutoCommit,
    obj: &ObjId,
    _t: ObjType,
    heads: &[ChangeHash],
) -> Result<Value> {
    // One clock for the whole object (automerge's hydrate), not one per key:
    // a historical read per field would walk the change graph every time.
    Ok(hydrated_to_json(&doc.hydrate(obj, Some(heads))?))
}

/// [`hydrated_to_json`] for the current document, with each list item that
/// has no written `id` given its automerge object as its id (looked up with
/// one read per object, not per key).
pub(crate) fn hydrated_with_ids(
    doc: &AutoCommit,
    obj: &ObjId,
    v: &automerge::hydrate::Value,
) -> Result<Value> {
    use automerge::hydrate::Value as H;
    let nested = |v: &H| matches!(v, H::Map(_) | H::List(_));
    Ok(match v {
        H::Map(m) => {
            let mut out = Map::new();
            for (k, child) in m.iter() {
                let value = if nested(&child.value) {
                    match doc.get(obj, k.as_str())? {
                        Some((_, id)) => hydrated_with_ids(doc, &id, &child.value)?,
                        None => hydrated_to_json(&child.value),
                    }
                } else {
                    hydrated_to_json(&child.value)
                };
                out.insert(k.clone(), value);
            }
            Value::Object(out)
        }
        H::List(l) => {
            let mut items = Vec::with_capacity(l.len());
            for (i, child) in l.iter().enumerate() {
                let item = if nested(&child.value) {
                    match doc.get(obj, i)? {
                        Some((_, id)) => {
                            let mut item = hydrated_with_ids(doc, &id, &child.value)?;
                            if let Value::Object(m) = &mut item
                                && !m.contains_key(ID)
                            {
                                m.insert(ID.into(), Value::String(id.to_string()));
                            }
                            item
                        }
                        None => hydrated_to_json(&child.value),
                    }
                } else {
                    hydrated_to_json(&child.value)
                };
                items.push(item);
            }
            Value::Array(in_order(items))
        }
        other => hydrated_to_json(other),
    })
}

pub(crate) fn hydrated_to_json(v: &automerge::hydrate::Value) -> Value {
    use automerge::hydrate::Value as H;
    match v {
        H::Scalar(s) => scalar_to_json(s),
        H::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), hydrated_to_json(&v.value)))
                .collect(),
        ),
        H::List(l) => Value::Array(in_order(
            l.iter().map(|v| hydrated_to_json(&v.value)).collect(),
        )),
        H::Text(t) => Value::String(t.to_string()),
    }
}

pub(crate) fn reconcile_map(
    doc: &mut AutoCommit,
    obj: &ObjId,
    new: &Map<String, Value>,
    changed: &mut Option<&mut BTreeSet<String>>,
) -> Result<()> {
    let existing: Vec<String> = doc.keys(obj).collect();
    for k in existing {
        if new.get(&k).is_none_or(Value::is_null) {
            doc.delete(obj, k.as_str())?;
            if let Some(c) = changed.as_deref_mut() {
                c.insert(k);
            }
        }
    }
    for (k, v) in new {
        if v.is_null() {
            continue;
        }
        if reconcile_slot(doc, obj, Slot::Key(k), v, false)?
            && let Some(c) = changed.as_deref_mut()
        {
            c.insert(k.clone());
        }
    }
    Ok(())
}

/// Makes the value at `slot` equal `new`; true when anything was written.
pub(crate) fn reconcile_slot(
    doc: &mut AutoCommit,
    obj: &ObjId,
    slot: Slot<'_>,
    new: &Value,
    insert: bool,
) -> Result<bool> {
    let current = if insert {
        None
    } else {
        doc.get(obj, slot.prop())?
    };
    match (new, current) {
        (Value::Object(m), Some((automerge::Value::Object(ObjType::Map), id))) => {
            let mut set = BTreeSet::new();
            reconcile_map(doc, &id, m, &mut Some(&mut set))?;
            Ok(!set.is_empty())
        }
        (Value::Array(a), Some((automerge::Value::Object(ObjType::List), id))) => {
            reconcile_list(doc, &id, a)
        }
        (Value::Object(m), _) => {
            let id = put_object(doc, obj, &slot, ObjType::Map, insert)?;
            reconcile_map(doc, &id, m, &mut None)?;
            Ok(true)
        }
        (Value::Array(a), _) => {
            let id = put_object(doc, obj, &slot, ObjType::List, insert)?;
            reconcile_list(doc, &id, a)?;
            Ok(true)
        }
        (scalar, Some((automerge::Value::Scalar(s), _))) if scalar_to_json(&s) == *scalar => {
            Ok(false)
        }
        (scalar, _) => {
            let v = to_scalar(scalar);
            match (&slot, insert) {
                (Slot::Index(i), true) => doc.insert(obj, *i, v)?,
                _ => doc.put(obj, slot.prop(), v)?,
            }
            Ok(true)
        }
    }
}

pub(crate) fn put_object(
    doc: &mut AutoCommit,
    obj: &ObjId,
    slot: &Slot<'_>,
    t: ObjType,
    insert: bool,
) -> Result<ObjId> {
    Ok(match (slot, insert) {
        (Slot::Index(i), true) => doc.insert_object(obj, *i, t)?,
        _ => doc.put_object(obj, slot.prop(), t)?,
    })
}

pub(crate) fn reconcile_list(doc: &mut AutoCommit, obj: &ObjId, new: &[Value]) -> Result<bool> {
    if identified(new) {
        return reconcile_identified(doc, obj, new);
    }
    let mut changed = false;
    let len = doc.length(obj);
    // Remove surplus items from the end.
    for i in (new.len()..len).rev() {
        doc.delete(obj, i)?;
        changed = true;
    }
    for (i, v) in new.iter().enumerate() {
        let insert = i >= len;
        changed |= reconcile_slot(doc, obj, Slot::Index(i), v, insert)?;
    }
    Ok(changed)
}

/// The key of a list item's identity. An item stored before items had
/// identities has none and reads with its automerge object as its id (the
/// same on every node).
pub(crate) const ID: &str = "id";
/// The key of a list item's place in its list: kept in the document only,
/// never in the JSON a document reads as.
pub(crate) const POS: &str = "_pos";

/// A list of objects of which some have an `id`: reconciled by identity,
/// not by position (an object without one is a new item).
fn identified(new: &[Value]) -> bool {
    new.iter().all(Value::is_object) && new.iter().any(|v| v.get(ID).is_some_and(Value::is_string))
}

/// An item's finite `_pos`, if it has one.
fn stored_pos(item: &Value) -> Option<f64> {
    item.get(POS)
        .and_then(Value::as_f64)
        .filter(|p| p.is_finite())
}

/// The items of a list in their order: by `_pos` (an item without one at
/// its place in the stored list), then by id, then as stored — a total
/// order whatever a peer wrote — with `_pos` removed. A list without any
/// `_pos` is returned as it is.
pub(crate) fn in_order(items: Vec<Value>) -> Vec<Value> {
    if !items.iter().any(|v| v.get(POS).is_some()) {
        return items;
    }
    let mut keyed: Vec<(f64, String, usize, Value)> = items
        .into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            let pos = stored_pos(&v).unwrap_or(i as f64);
            let id = v.get(ID).and_then(Value::as_str).unwrap_or("").to_owned();
            if let Value::Object(m) = &mut v {
                m.remove(POS);
            }
            (pos, id, i, v)
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    keyed.into_iter().map(|(_, _, _, v)| v).collect()
}

/// A key for a new item while one write is reconciled (never stored: a
/// new item is known by its automerge object).
pub(crate) fn new_item_id() -> String {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut n = u64::from_be_bytes([
        0, 0, bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
    ]);
    (0..8)
        .map(|_| {
            let d = DIGITS[(n % 62) as usize];
            n /= 62;
            char::from(d)
        })
        .collect()
}

/// One stored item of an identified list.
struct StoredItem {
    /// Its `id`, or its automerge object for an item stored without one.
    id: String,
    /// Whether the `id` is written in the item.
    written_id: bool,
    /// Its `_pos`, if it has one.
    own_pos: Option<f64>,
    /// Its `_pos` as stored (written back as it is while it stays).
    raw_pos: Option<Value>,
    /// Its place: `_pos`, or its index in the stored list.
    pos: f64,
    obj: ObjId,
    /// Its content without `id` and `_pos` (to recognise an item a script
    /// sent again without its id).
    content: Value,
}

fn without_identity(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove(ID);
        m.remove(POS);
    }
    v
}

/// Reconciles a list of identified items: an item removed is deleted where
/// it is, an item added is inserted at the end of the stored list (its
/// `_pos` places it), an item kept is changed in place field by field, and
/// a reorder changes only the `_pos` of the items it moves. So nodes that
/// insert, remove, edit and reorder the same list apart keep every edit.
/// Items stored before identities keep having neither `id` nor `_pos` as
/// long as only their fields change or items are added after them.
fn reconcile_identified(doc: &mut AutoCommit, obj: &ObjId, new: &[Value]) -> Result<bool> {
    // 1. What is stored, by place.
    let len = doc.length(obj);
    let mut stored: Vec<Option<StoredItem>> = Vec::with_capacity(len);
    for i in 0..len {
        stored.push(match doc.get(obj, i)? {
            Some((automerge::Value::Object(ObjType::Map), oid)) => {
                let v = hydrate(doc, &oid, ObjType::Map)?;
                let written = v.get(ID).and_then(Value::as_str).map(str::to_owned);
                let own_pos = stored_pos(&v);
                Some(StoredItem {
                    written_id: written.is_some(),
                    id: written.unwrap_or_else(|| oid.to_string()),
                    own_pos,
                    raw_pos: v.get(POS).cloned(),
                    pos: own_pos.unwrap_or(i as f64),
                    content: without_identity(&v),
                    obj: oid,
                })
            }
            // Not an item (only a hostile peer writes one): removed.
            _ => None,
        });
    }
    // 2. The new items' ids: one a script sent again without its id is
    //    recognised by its content; anything else gets a fresh one, and so
    //    does a second item with an id already used.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut items: Vec<(String, &Value)> = Vec::with_capacity(new.len());
    let given: BTreeSet<&str> = new
        .iter()
        .filter_map(|v| v.get(ID).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    for v in new {
        let id = v.get(ID).and_then(Value::as_str).unwrap_or("");
        let id = if id.is_empty() {
            let content = without_identity(v);
            stored
                .iter()
                .flatten()
                .find(|s| {
                    !taken.contains(&s.id) && !given.contains(s.id.as_str()) && s.content == content
                })
                .map_or_else(new_item_id, |s| s.id.clone())
        } else if taken.contains(id) {
            new_item_id()
        } else {
            id.to_owned()
        };
        taken.insert(id.clone());
        items.push((id, v));
    }
    // 3. Stored items to keep: wanted, and the first with their id.
    let mut kept: std::collections::HashMap<String, usize> = Default::default();
    let mut delete: Vec<usize> = vec![];
    for (i, s) in stored.iter().enumerate() {
        match s {
            Some(s) if taken.contains(&s.id) && !kept.contains_key(&s.id) => {
                kept.insert(s.id.clone(), i);
            }
            _ => delete.push(i),
        }
    }
    // 4. Places: stored items already in the new order (a longest run of
    //    increasing places) keep theirs; the others, and new items, get
    //    places between their neighbours.
    let old: Vec<Option<f64>> = items
        .iter()
        .map(|(id, _)| {
            kept.get(id)
                .and_then(|&i| stored[i].as_ref())
                .map(|s| s.pos)
        })
        .collect();
    let stay = increasing_run(&old);
    let mut pos = places(&old, &stay);
    // Anything beyond editing fields and adding items after the stored
    // ones moves places; then items stored without `_pos` (whose place is
    // their index, which a deletion or insertion shifts) get one written.
    let last_stay = stay.iter().rposition(|s| *s);
    let mut structural = !delete.is_empty()
        || old.iter().zip(&stay).any(|(o, s)| o.is_some() && !s)
        || last_stay.is_some_and(|l| old[..l].iter().any(Option::is_none));
    // Places worn too fine to tell apart (many inserts between the same
    // two items) or out of any usable range: every item is given its
    // index again.
    // (Items that stay may tie: two added apart at one place read in id
    // order, and are left as they are.)
    let worn = (0..pos.len()).any(|k| {
        !stay[k] && ((k > 0 && pos[k] <= pos[k - 1]) || (k + 1 < pos.len() && pos[k] >= pos[k + 1]))
    });
    if worn || pos.iter().any(|p| p.abs() > 1.0e12) {
        pos = (0..items.len()).map(|k| k as f64).collect();
        structural = true;
    }
    let mut changed = false;
    // 5. Delete, from the end so the places before stay valid.
    for &i in delete.iter().rev() {
        doc.delete(obj, i)?;
        changed = true;
    }
    // 6. Write kept items in place, new ones at the end of the stored list.
    for (k, (id, v)) in items.iter().enumerate() {
        let mut m = match v {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        match kept.get(id).and_then(|&i| stored[i].as_ref()) {
            Some(s) => {
                if s.written_id {
                    m.insert(ID.into(), Value::String(id.clone()));
                } else {
                    // Known by its automerge object: no id to write.
                    m.remove(ID);
                }
                match (&s.raw_pos, s.own_pos) {
                    // Where it was: its place written back as stored (an
                    // integer stays an integer, a float a float).
                    (Some(raw), Some(p)) if stay[k] && p == pos[k] => {
                        m.insert(POS.into(), raw.clone());
                    }
                    _ if s.own_pos.is_some() || structural || !stay[k] => {
                        m.insert(POS.into(), number(pos[k]));
                    }
                    _ => {
                        m.remove(POS);
                    }
                }
                let mut set = BTreeSet::new();
                reconcile_map(doc, &s.obj, &m, &mut Some(&mut set))?;
                changed |= !set.is_empty();
            }
            None => {
                // A new item is known by its automerge object (nothing to
                // send for it); an id the writer chose itself is kept.
                if v.get(ID).and_then(Value::as_str).is_some_and(|g| g == id) {
                    m.insert(ID.into(), Value::String(id.clone()));
                } else {
                    m.remove(ID);
                }
                m.insert(POS.into(), number(pos[k]));
                let at = doc.length(obj);
                let oid = doc.insert_object(obj, at, ObjType::Map)?;
                reconcile_map(doc, &oid, &m, &mut None)?;
                changed = true;
            }
        }
    }
    Ok(changed)
}

/// A place as a JSON number: a whole one as an integer (a byte or two in
/// a change), else a float.
fn number(p: f64) -> Value {
    if p.fract() == 0.0 && p.abs() < 9.0e15 {
        Value::from(p as i64)
    } else {
        Number::from_f64(p).map_or(Value::Null, Value::Number)
    }
}

/// Places for the new order: `old[i]` where `stay[i]`, else evenly between
/// the neighbours that stay (or one apart beyond the first or the last).
fn places(old: &[Option<f64>], stay: &[bool]) -> Vec<f64> {
    let n = old.len();
    let mut pos = vec![0f64; n];
    let mut prev = f64::NEG_INFINITY;
    let mut i = 0;
    while i < n {
        if stay[i] {
            pos[i] = old[i].unwrap_or(0.0);
            prev = pos[i];
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !stay[i] {
            i += 1;
        }
        let next = if i < n {
            old[i].unwrap_or(0.0)
        } else {
            f64::INFINITY
        };
        let run = (i - start) as f64;
        for (j, slot) in pos[start..i].iter_mut().enumerate() {
            let j = j as f64 + 1.0;
            *slot = match (prev.is_finite(), next.is_finite()) {
                (true, true) => prev + (next - prev) * j / (run + 1.0),
                (true, false) => prev + j,
                (false, true) => next - (run + 1.0 - j),
                (false, false) => j - 1.0,
            };
        }
    }
    pos
}

/// Which of `old` (a place, or none for a new item) stay where they are:
/// a longest non-decreasing run of the known places.
fn increasing_run(old: &[Option<f64>]) -> Vec<bool> {
    let val = |i: usize| old[i].unwrap_or(0.0);
    let mut tails: Vec<usize> = vec![];
    let mut prev: Vec<Option<usize>> = vec![None; old.len()];
    for i in (0..old.len()).filter(|&i| old[i].is_some()) {
        // Non-decreasing: items that tie (added apart at one place) are in
        // order already.
        let p = tails.partition_point(|&t| val(t) <= val(i));
        if p > 0 {
            prev[i] = Some(tails[p - 1]);
        }
        if p == tails.len() {
            tails.push(i);
        } else {
            tails[p] = i;
        }
    }
    let mut stay = vec![false; old.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        stay[i] = true;
        cur = prev[i];
    }
    stay
}
