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
                    out.push(value_to_json(doc, v, &id)?);
                }
            }
            Value::Array(out)
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

pub(crate) fn hydrated_to_json(v: &automerge::hydrate::Value) -> Value {
    use automerge::hydrate::Value as H;
    match v {
        H::Scalar(s) => scalar_to_json(s),
        H::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), hydrated_to_json(&v.value)))
                .collect(),
        ),
        H::List(l) => Value::Array(l.iter().map(|v| hydrated_to_json(&v.value)).collect()),
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
