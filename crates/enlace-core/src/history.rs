//! A document's history with the old and new value of each field each
//! change names (cases, legal items and tasks show it the same way).

use chrono::Utc;
use enlace_docs::Document;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::Result;

/// One field's change.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: Option<Value>,
    #[ts(type = "unknown")]
    pub after: Option<Value>,
}

/// One change of a document (or of one legal item): who, when, which
/// fields, from what to what.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemChange {
    pub hash: String,
    pub by: String,
    #[ts(type = "string")]
    pub time: chrono::DateTime<Utc>,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

/// A document's changes, oldest first, each with the old and new value of
/// the fields it names. `path_of` maps a field named in a change message to
/// its path in the document, or skips it (`None`); changes with no field
/// left are skipped.
pub(crate) fn changes_with_values(
    doc: &mut Document,
    path_of: impl Fn(&str) -> Option<Vec<String>>,
) -> Result<Vec<ItemChange>> {
    // One read of the whole document per set of heads (a change's deps are
    // usually the previous change, read already), then plain lookups: a
    // historical read per field would cost as much as the whole document.
    let mut roots: std::collections::HashMap<Vec<String>, Value> = Default::default();
    let mut root_at = |doc: &Document, heads: &[String]| -> Result<Value> {
        let mut key = heads.to_vec();
        key.sort();
        if let Some(v) = roots.get(&key) {
            return Ok(v.clone());
        }
        let v = doc.value_at(&[], heads)?.unwrap_or(Value::Null);
        roots.insert(key, v.clone());
        Ok(v)
    };
    let lookup = |root: &Value, path: &[String]| -> Option<Value> {
        path.iter()
            .try_fold(root, |v, k| v.get(k.as_str()))
            .filter(|v| !v.is_null())
            .cloned()
    };
    let mut out = vec![];
    for e in doc.history() {
        let paths: Vec<Vec<String>> = e.fields.iter().filter_map(|f| path_of(f)).collect();
        if paths.is_empty() {
            continue;
        }
        let before_root = root_at(doc, &e.deps)?;
        let after_root = root_at(doc, std::slice::from_ref(&e.hash))?;
        let changes = paths
            .iter()
            .map(|path| FieldChange {
                field: path.last().cloned().unwrap_or_default(),
                before: lookup(&before_root, path),
                after: lookup(&after_root, path),
            })
            .collect();
        out.push(ItemChange {
            hash: e.hash,
            by: e.by,
            time: e.time,
            action: e.action,
            changes,
        });
    }
    Ok(out)
}
