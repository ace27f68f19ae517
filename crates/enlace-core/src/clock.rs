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
    now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

thread_local! {
    /// How far this thread's clock is off (tests of skewed nodes only;
    /// always zero otherwise).
    static SKEW: std::cell::Cell<chrono::TimeDelta> =
        const { std::cell::Cell::new(chrono::TimeDelta::zero()) };
}

/// Now, as this node's clock says: what edits stamp and what received
/// changes are checked against.
pub(crate) fn now() -> chrono::DateTime<Utc> {
    Utc::now() + SKEW.with(std::cell::Cell::get)
}

/// Runs `f` with this thread's clock `skew` off (a node whose clock is
/// wrong, as a border laptop's often is).
#[cfg(test)]
pub(crate) fn skewed<T>(skew: chrono::TimeDelta, f: impl FnOnce() -> T) -> T {
    let before = SKEW.with(|s| s.replace(skew));
    let out = f();
    SKEW.with(|s| s.set(before));
    out
}
