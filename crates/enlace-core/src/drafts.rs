//! Drafts: what a form holds that cannot be saved yet (an invalid date
//! half typed), kept in the encrypted store until saved or discarded —
//! each official's own (a case form holds identities: one official's
//! draft is never shown to another).

use enlace_domain::input::InputError;
use serde_json::Value;

use crate::views::Draft;
use crate::{App, CoreError, Result, now_string};

/// The largest draft kept (a form with a 1 MB paste fits many times over).
pub const MAX_DRAFT_BYTES: usize = 8 * 1024 * 1024;

/// A draft's key: `case:new` or `case:<uuid>` (letters, digits, `-`, `:`, `_`).
fn draft_key(key: &str) -> Result<&str> {
    let ok = !key.is_empty()
        && key.len() <= 100
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '_'));
    if ok {
        Ok(key)
    } else {
        Err(CoreError::Input(InputError {
            path: "key".into(),
            detail: "a draft key is like case:new or case:<id>".into(),
        }))
    }
}

impl App {
    /// Keeps a form's state that could not be saved yet, in the encrypted
    /// store (replacing the previous draft of the same form).
    pub fn save_draft(&mut self, key: &str, body: &Value) -> Result<()> {
        let key = self.own_draft(key)?;
        let key = key.as_str();
        let text = serde_json::to_string(body).map_err(|e| CoreError::Internal(e.to_string()))?;
        if text.len() > MAX_DRAFT_BYTES {
            return Err(CoreError::Input(InputError {
                path: String::new(),
                detail: format!(
                    "the form holds {} MB; at most {} MB can be kept",
                    text.len() / 1_000_000,
                    MAX_DRAFT_BYTES / 1_000_000
                ),
            }));
        }
        let at = now_string();
        self.store.write(|tx| Ok(tx.put_draft(key, &text, &at)?))
    }

    /// The draft of a form, if one is kept.
    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let stored = self.own_draft(key)?;
        let Some((body, updated_at)) = self.store.read().draft(&stored)? else {
            return Ok(None);
        };
        let body = serde_json::from_str(&body)
            .map_err(|e| CoreError::Internal(format!("stored draft {key}: {e}")))?;
        Ok(Some(Draft {
            key: key.to_owned(),
            body,
            updated_at,
        }))
    }

    /// The stored key of this official's draft of form `key`.
    fn own_draft(&self, key: &str) -> Result<String> {
        Ok(format!("{}:{}", self.session.id, draft_key(key)?))
    }

    /// Forgets a form's draft (once saved, or when the user discards it).
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        let key = self.own_draft(key)?;
        self.store.write(|tx| Ok(tx.delete_draft(&key)?))
    }
}
