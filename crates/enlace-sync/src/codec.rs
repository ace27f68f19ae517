//! Encoding and decoding of messages: CBOR in a zstd frame, with limits.
//!
//! The decoder is the first thing untrusted bytes meet. It never panics
//! and never allocates more than the limits allow: the zstd window and the
//! decompressed size are bounded before CBOR is read, the CBOR reader
//! (ciborium) grows buffers only as input arrives and bounds recursion, and
//! every decoded message is then checked against [`Limits`].

use std::io::Read;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::bounded;
pub use crate::limits::{LIMITS, Limits};
use crate::wire::*;

/// The zstd level used for every message (the floor in
/// sync-and-security.md is measured at level 3 too).
pub const ZSTD_LEVEL: i32 = 3;

/// Largest zstd window a decoder accepts (2^24 = 16 MiB): a frame cannot
/// make the decoder reserve more memory than that.
const WINDOW_LOG_MAX: u32 = 24;

/// What is wrong with a received message. Messages say what happened; the
/// sender is at fault, not this node's data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WireError {
    #[error("the message is not a zstd frame ({0})")]
    Compression(String),
    #[error("the message is larger than the {limit} bytes allowed")]
    TooLarge { limit: usize },
    #[error("the message cannot be decoded ({0})")]
    Cbor(String),
    #[error(
        "the peer speaks sync protocol version {got}; this node speaks version {VERSION}: update the older of the two"
    )]
    Version { got: u32 },
    #[error("the message breaks the protocol: {0}")]
    Invalid(String),
}

/// Encodes a message: CBOR, then zstd.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    let mut cbor = Vec::with_capacity(4096);
    // Writing CBOR into a Vec cannot fail for our types (no maps with
    // non-string keys, no IO); an error would be a bug, reported as an
    // empty message that the peer refuses as malformed.
    if ciborium::into_writer(msg, &mut cbor).is_err() {
        cbor.clear();
    }
    compress(&cbor)
}

/// zstd at [`ZSTD_LEVEL`].
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(bytes, ZSTD_LEVEL).unwrap_or_default()
}

/// Decompresses at most `limits.max_decoded` bytes.
pub fn decompress(body: &[u8], limits: &Limits) -> Result<Vec<u8>, WireError> {
    if body.len() > limits.max_body {
        return Err(WireError::TooLarge {
            limit: limits.max_body,
        });
    }
    let mut dec = zstd::stream::read::Decoder::new(body)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    dec.window_log_max(WINDOW_LOG_MAX)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    let mut out = Vec::new();
    let read = dec
        .take(limits.max_decoded as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    if read > limits.max_decoded {
        return Err(WireError::TooLarge {
            limit: limits.max_decoded,
        });
    }
    if out.is_empty() {
        return Err(WireError::Cbor("empty message".into()));
    }
    Ok(out)
}

/// Decodes a message and checks it against `limits`. Lists are counted
/// against the limits as they are decoded ([`crate::bounded`]), so what
/// is held never exceeds them, whatever the message declares.
pub fn decode<T: DeserializeOwned + Checked>(body: &[u8], limits: &Limits) -> Result<T, WireError> {
    let cbor = decompress(body, limits)?;
    let msg: T = decode_cbor(&mut cbor.as_slice(), limits)?;
    msg.check(limits)?;
    Ok(msg)
}

/// Decodes one CBOR value from `reader` within the budget of one message.
pub(crate) fn decode_cbor<T: DeserializeOwned, R: std::io::Read>(
    reader: R,
    limits: &Limits,
) -> Result<T, WireError> {
    bounded::with_budget(bounded::Budget::for_message(limits), || {
        ciborium::from_reader(reader).map_err(cbor_error)
    })
}

pub(crate) fn cbor_error(e: ciborium::de::Error<std::io::Error>) -> WireError {
    WireError::Cbor(match e {
        ciborium::de::Error::Io(e) => e.to_string(),
        ciborium::de::Error::Syntax(at) => format!("syntax error at byte {at}"),
        ciborium::de::Error::Semantic(at, m) => match at {
            Some(at) => format!("{m} at byte {at}"),
            None => m,
        },
        ciborium::de::Error::RecursionLimitExceeded => "nested too deeply".into(),
    })
}

/// A message that can check itself against the limits once decoded.
pub trait Checked {
    fn check(&self, limits: &Limits) -> Result<(), WireError>;
}

fn version(v: u32) -> Result<(), WireError> {
    if v == VERSION {
        Ok(())
    } else {
        Err(WireError::Version { got: v })
    }
}

fn at_most(what: &str, n: usize, max: usize) -> Result<(), WireError> {
    if n > max {
        return Err(WireError::Invalid(format!(
            "{n} {what}; at most {max} are allowed"
        )));
    }
    Ok(())
}

fn cursor(c: &Cursor, what: &str) -> Result<(), WireError> {
    if (c.seq == 0) != c.hash.is_none() {
        return Err(WireError::Invalid(format!(
            "{what}: a log position has a hash exactly when it is not the start"
        )));
    }
    Ok(())
}

impl Checked for Page {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        cursor(&self.base, "base")?;
        cursor(&self.to, "to")?;
        if self.to.seq < self.base.seq {
            return Err(WireError::Invalid("the page ends before it starts".into()));
        }
        at_most("documents", self.groups.len(), l.max_groups)?;
        at_most("roster entries", self.roster.len(), l.max_roster)?;
        at_most("revocations", self.revocations.len(), l.max_revocations)?;
        for r in &self.revocations {
            revocation(r, l)?;
        }
        at_most("proofs", self.proofs.len(), l.max_proofs)?;
        at_most("unavailable documents", self.unavailable.len(), l.max_needs)?;
        at_most(
            "unavailable changes",
            self.unavailable_changes.len(),
            l.max_needs,
        )?;
        let changes = self.change_count();
        at_most("changes", changes, l.max_changes)?;
        let mut bytes: u64 = 0;
        for g in &self.groups {
            if let Some(kind) = &g.kind
                && (kind.is_empty()
                    || kind.len() > 32
                    || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            {
                return Err(WireError::Invalid(format!(
                    "document kind `{}`",
                    kind.escape_debug()
                )));
            }
            if g.doc.is_some() != g.kind.is_some() || ((g.full || g.part) && g.doc.is_none()) {
                return Err(WireError::Invalid(
                    "a group names its document and kind together (always when whole)".into(),
                ));
            }
            if g.full && g.part {
                return Err(WireError::Invalid(
                    "a group is a whole document or a part of one, not both".into(),
                ));
            }
            if g.part && g.changes.is_empty() {
                return Err(WireError::Invalid(
                    "a part of a document must carry changes".into(),
                ));
            }
            if g.doc.is_none() && g.changes.is_empty() {
                return Err(WireError::Invalid(
                    "a group without its document must carry changes".into(),
                ));
            }
            for c in &g.changes {
                if c.len() > l.max_change {
                    return Err(WireError::Invalid(format!(
                        "a change of {} bytes; at most {} are allowed",
                        c.len(),
                        l.max_change
                    )));
                }
                bytes += c.len() as u64;
            }
        }
        if bytes > u64::from(l.max_page_bytes) {
            return Err(WireError::Invalid(format!(
                "a page of {bytes} change bytes; at most {} are allowed",
                l.max_page_bytes
            )));
        }
        let hidden: usize = self.proofs.iter().map(|p| p.hidden.len()).sum();
        at_most("hidden hashes", hidden, l.max_hidden)?;
        // Every position of the page is named by at most one proof, once:
        // ranges ascend within a proof and no two ranges (of any proofs)
        // overlap. So verifying the proofs reads each change once.
        let mut named = vec![false; changes];
        for p in &self.proofs {
            at_most("ranges in a proof", p.members.len(), changes.max(1))?;
            if p.members.is_empty() {
                return Err(WireError::Invalid("a proof that names no change".into()));
            }
            // What a receiver stores of a proof (and relays in its own
            // pages, named or hidden) fits one page's hidden hashes.
            let over: u64 =
                p.members.iter().map(|[_, c]| u64::from(*c)).sum::<u64>() + p.hidden.len() as u64;
            if over > l.max_hidden as u64 {
                return Err(WireError::Invalid(format!(
                    "a proof over {over} changes; at most {} are allowed",
                    l.max_hidden
                )));
            }
            let mut next = 0u64;
            for [start, count] in &p.members {
                let (start, count) = (u64::from(*start), u64::from(*count));
                let end = start + count;
                if count == 0 || end > changes as u64 {
                    return Err(WireError::Invalid(format!(
                        "a proof names changes {start}..{end} of a page of {changes}"
                    )));
                }
                if start < next {
                    return Err(WireError::Invalid(format!(
                        "a proof's ranges overlap or are out of order at {start}..{end}"
                    )));
                }
                next = end;
                for i in start..end {
                    // In bounds: end <= changes.
                    let slot = &mut named[i as usize];
                    if *slot {
                        return Err(WireError::Invalid(format!(
                            "change {i} is named by two proofs"
                        )));
                    }
                    *slot = true;
                }
            }
        }
        for r in &self.roster {
            if r.country.len() != 2 || !r.country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(WireError::Invalid(format!(
                    "roster country `{}`",
                    r.country.escape_debug()
                )));
            }
            if r.name.len() > 200 {
                return Err(WireError::Invalid(
                    "a roster name longer than 200 bytes".into(),
                ));
            }
        }
        Ok(())
    }
}

/// A revocation's form: a country code, a short time, kept hashes whole,
/// ascending and each once.
fn revocation(r: &Revocation, l: &Limits) -> Result<(), WireError> {
    if r.country.len() != 2 || !r.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(WireError::Invalid(format!(
            "revocation country `{}`",
            r.country.escape_debug()
        )));
    }
    if r.at.len() > 64 {
        return Err(WireError::Invalid(
            "a revocation time longer than 64 bytes".into(),
        ));
    }
    if !r.kept.len().is_multiple_of(32) {
        return Err(WireError::Invalid(
            "a revocation's kept changes are not whole 32-byte hashes".into(),
        ));
    }
    at_most(
        "changes kept by a revocation",
        r.kept.len() / 32,
        l.max_kept,
    )?;
    let mut last: Option<[u8; 32]> = None;
    for t in r.kept_hashes() {
        if last.is_some_and(|p| p >= t) {
            return Err(WireError::Invalid(
                "a revocation's kept changes are not in ascending order, each once".into(),
            ));
        }
        last = Some(t);
    }
    Ok(())
}

impl Checked for RoundRequest {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        version(self.v)?;
        cursor(&self.pull.after, "pull.after")?;
        at_most("documents asked for", self.need.len(), l.max_needs)?;
        at_most("changes asked for", self.need_changes.len(), l.max_needs)?;
        at_most(
            "documents asked for in parts",
            self.need_after.len(),
            l.max_needs,
        )?;
        if let Some(p) = &self.push {
            p.check(l)?;
        }
        Ok(())
    }
}

impl Checked for RoundResponse {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        version(self.v)?;
        at_most("documents asked for", self.need.len(), l.max_needs)?;
        at_most("changes asked for", self.need_changes.len(), l.max_needs)?;
        at_most(
            "documents asked for in parts",
            self.need_after.len(),
            l.max_needs,
        )?;
        match &self.pushed {
            Pushed::Nothing => {}
            Pushed::Applied { to, refused } => {
                cursor(to, "pushed.to")?;
                at_most("refusals", refused.len(), l.max_changes)?;
            }
            Pushed::Resync { expected } => cursor(expected, "pushed.expected")?,
        }
        match &self.pull {
            Pulled::Page(p) => p.check(l),
            Pulled::Doubtful { log } => cursor(log, "pull.log"),
        }
    }
}

impl Checked for ReconcileRequest {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        version(self.v)?;
        cursor(&self.log, "log")?;
        at_most("summarised documents", self.docs.len(), l.max_summary)?;
        let sorted = self
            .docs
            .windows(2)
            .all(|w| w[0].0.as_slice() < w[1].0.as_slice());
        let after_ok = match (&self.after, self.docs.first()) {
            (Some(a), Some((first, _))) => a.as_slice() < first.as_slice(),
            _ => true,
        };
        let through_ok = match (&self.through, self.docs.last()) {
            (Some(t), Some((last, _))) => last.as_slice() <= t.as_slice(),
            _ => true,
        };
        if !(sorted && after_ok && through_ok) {
            return Err(WireError::Invalid(
                "a summary must list each document once, in id order, within its range".into(),
            ));
        }
        Ok(())
    }
}

impl Checked for ReconcileResponse {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        version(self.v)?;
        cursor(&self.log, "log")?;
        at_most("documents", self.send_you.len(), l.max_summary)
    }
}

impl Checked for ErrorBody {
    fn check(&self, _: &Limits) -> Result<(), WireError> {
        if self.code.len() > 64 || self.message.len() > 4096 {
            return Err(WireError::Invalid("an error body too long".into()));
        }
        Ok(())
    }
}
