//! Times as Enlace writes them.

use chrono::{SecondsFormat, Utc};

/// `YYYY-MM-DD-HHMM` (UTC) for `secs` since the epoch: a file-name stamp.
pub fn file_stamp(secs: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d-%H%M")
        .to_string()
}

/// Now, as Enlace writes times (RFC 3339, UTC, milliseconds).
pub fn now_rfc3339() -> String {
    now_string()
}

/// Now, RFC 3339, UTC, milliseconds (what the store keeps).
pub(crate) fn now_string() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
