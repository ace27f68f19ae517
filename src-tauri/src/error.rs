//! The one error the UI receives: typed, translated, never a `String`.

use enlace_core::{Candidate, CoreError, ErrorCode};
use enlace_domain::{Issue, Lang};
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it: a stable code, a message in the user's
/// language that says what to do, and validation issues if any.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub issues: Vec<Issue>,
    /// The documents an ambiguous reference or code names.
    pub candidates: Vec<Candidate>,
}

impl IpcError {
    pub(crate) fn new(e: CoreError, lang: Lang) -> IpcError {
        IpcError {
            code: e.code(),
            message: e.message(lang),
            issues: e.issues().to_vec(),
            candidates: e.candidates().to_vec(),
        }
    }

    pub(crate) fn locked(lang: Lang) -> IpcError {
        IpcError {
            code: ErrorCode::Locked,
            message: enlace_domain::tr(lang, "err-locked"),
            issues: vec![],
            candidates: vec![],
        }
    }

    pub(crate) fn internal(lang: Lang, detail: &str) -> IpcError {
        IpcError {
            code: ErrorCode::Internal,
            message: enlace_domain::tr_args(lang, "err-internal", &[("detail", detail)]),
            issues: vec![],
            candidates: vec![],
        }
    }
}

pub(crate) type IpcResult<T> = Result<T, IpcError>;
