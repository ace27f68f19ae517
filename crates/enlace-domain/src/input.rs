//! The JSON input formats of the public interface (`enlace case create`,
//! `enlace case update`), parsed with errors that name the field path and the
//! allowed values. Documented in `docs/cli.md`.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::case::*;
use crate::country::CountryCode;
use crate::enums::*;
use crate::i18n::{Lang, tr_args};
use crate::person::Identity;

/// Input that could not be read. `path` is like `route[1].from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{path}: {detail}")]
#[ts(export)]
pub struct InputError {
    pub path: String,
    pub detail: String,
}

impl InputError {
    pub fn message(&self, lang: Lang) -> String {
        if self.path.is_empty() || self.path == "." {
            tr_args(lang, "err-input-document", &[("detail", &self.detail)])
        } else {
            tr_args(
                lang,
                "err-input-field",
                &[("path", &self.path), ("detail", &self.detail)],
            )
        }
    }
}

/// Parses JSON text into `T`, naming the path of the first bad field.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        use serde_json::error::Category;
        // A syntax error belongs to the document, not to a field.
        let path = match e.inner().classify() {
            Category::Syntax | Category::Eof | Category::Io => String::new(),
            Category::Data => e.path().to_string(),
        };
        InputError {
            path,
            detail: e.inner().to_string(),
        }
    })
}

/// Converts a JSON value into `T`, naming the path of the first bad field.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, InputError> {
    serde_path_to_error::deserialize(value).map_err(|e| InputError {
        path: e.path().to_string(),
        detail: e.inner().to_string(),
    })
}

/// [`from_value`] without taking (or copying) the value.
pub fn from_value_ref<T: DeserializeOwned>(value: &Value) -> Result<T, InputError> {
    serde_path_to_error::deserialize(value).map_err(|e| InputError {
        path: e.path().to_string(),
        detail: e.inner().to_string(),
    })
}

/// A person as given when creating a case: the pseudonymous part, and
/// optionally the identity, which becomes a separate national `person`
/// document linked from the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PersonInput {
    /// Defaults to `V1`, `S1`, `W1`, `O1`… by role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pseudonym: Option<String>,
    pub role: PersonRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub minor_at_exploitation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nationality: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub identity: Option<Identity>,
    /// A suspect's roles in the process.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<PerpetratorRole>>", optional)]
    pub process_roles: Vec<PerpetratorRole>,
}

/// The input of `enlace case create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CaseInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default = "under_assessment")]
    pub classification: Classification,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<CaseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub opened: Option<NaiveDate>,
    #[serde(default)]
    pub acts: Vec<Act>,
    #[serde(default)]
    pub means: Vec<Means>,
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    #[serde(default)]
    pub child_involved: bool,
    #[serde(default)]
    pub route: Vec<RouteStop>,
    #[serde(default)]
    pub persons: Vec<PersonInput>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub information: Vec<InformationItem>,
    #[serde(default)]
    pub links: Vec<CaseLink>,
    #[serde(default)]
    pub requests: Vec<LegalRequest>,
    #[serde(default)]
    pub joint_operations: Vec<JointOperation>,
    /// Initial notes, as text.
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub standard: StandardFields,
    /// Defaults to regional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub demo: bool,
}

fn under_assessment() -> Classification {
    Classification::UnderAssessment
}

/// Top-level case fields a merge patch may not touch, and why (a Fluent key).
pub const PROTECTED_FIELDS: &[(&str, &str)] = &[
    ("id", "err-patch-immutable"),
    ("reference", "err-patch-immutable"),
    ("former_references", "err-patch-immutable"),
    ("owner", "err-patch-immutable"),
    ("classification_history", "err-patch-history"),
    ("status_history", "err-patch-history"),
    ("notes", "err-patch-notes"),
    ("request_answers", "err-patch-answers"),
];

/// Applies an RFC 7396 JSON merge patch to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_path_and_the_allowed_values() {
        let e = parse_json::<CaseInput>(r#"{"title":"x","means":["threat","bribery"]}"#)
            .expect_err("must fail");
        assert_eq!(e.path, "means[1]");
        assert!(e.detail.contains("abuse_of_vulnerability"), "{}", e.detail);
        let e = parse_json::<CaseInput>(
            r#"{"title":"x","route":[{"country":"HN","role":"origin","from":"2026-02-31"}]}"#,
        )
        .expect_err("must fail");
        assert_eq!(e.path, "route[0].from");
        let e = parse_json::<CaseInput>(r#"{"title":"x","colour":"red"}"#).expect_err("unknown");
        assert!(e.detail.contains("colour"), "{}", e.detail);
        let e = parse_json::<CaseInput>(r#"{"summary":"x"}"#).expect_err("missing title");
        assert!(e.detail.contains("title"), "{}", e.detail);
        let e = parse_json::<CaseInput>("{not json").expect_err("syntax");
        assert_eq!(e.path, "");
        assert!(
            e.message(Lang::Es).contains("JSON"),
            "{}",
            e.message(Lang::Es)
        );
        let e =
            parse_json::<CaseInput>(r#"{"title":"x","route":[{"country":"HND","role":"origin"}]}"#)
                .expect_err("bad country");
        assert_eq!(e.path, "route[0].country");
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"list": [1, 2]});
        merge_patch(&mut doc, &json!({"list": [3]}));
        assert_eq!(doc, json!({"list": [3]}));
    }
}
