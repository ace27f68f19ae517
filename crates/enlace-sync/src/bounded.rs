//! Decoding that never holds more than the message's own limits allow.
//!
//! A CBOR byte string of length 0 is one byte on the wire and 24 bytes in
//! memory (a `Vec`); a proof range is three bytes and eight; a group is a
//! few bytes and about eighty. Checking counts only once a message is
//! decoded ([`crate::codec::Checked`]) is too late: a 48 MiB message of
//! empty changes would first become a gigabyte of vectors. So every list a
//! peer can make long is decoded through [`seq`], which counts its items
//! against a per-message budget of each kind ([`Budget`], from
//! [`crate::Limits`]) *while* decoding and stops at the first item over it.
//! Memory is then bounded by the bytes received plus the limits times a
//! small constant, whatever the peer sends.
//!
//! The budget lives in a thread-local set by [`with_budget`] for the length
//! of one decode (decoding is synchronous); outside it (tests building
//! messages by hand) lists are unbounded.

use std::cell::RefCell;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::limits::Limits;

/// The lists a peer can make long, each with its own budget per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Groups,
    Changes,
    Proofs,
    Ranges,
    Hidden,
    Roster,
    Revocations,
    Needs,
    Refusals,
    Summary,
    Pages,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Groups => "documents",
            Kind::Changes => "changes",
            Kind::Proofs => "proofs",
            Kind::Ranges => "proof ranges",
            Kind::Hidden => "hidden hashes",
            Kind::Roster => "roster entries",
            Kind::Revocations => "revocations",
            Kind::Needs => "documents asked for",
            Kind::Refusals => "refusals",
            Kind::Summary => "summarised documents",
            Kind::Pages => "pages",
        }
    }
}

/// What is left of each list's allowance in the message being decoded.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    left: [usize; 11],
}

impl Budget {
    /// The allowance of one message under `l`. Lists of wanted documents
    /// appear several times in a message (documents, by change, after a
    /// change); each is bounded by `max_needs` in `check`, so their sum
    /// here is three times that.
    pub(crate) fn for_message(l: &Limits) -> Budget {
        let mut b = Budget { left: [0; 11] };
        b.left[Kind::Groups as usize] = l.max_groups;
        b.left[Kind::Changes as usize] = l.max_changes;
        b.left[Kind::Proofs as usize] = l.max_proofs;
        // Ranges cannot overlap, so there are at most as many as changes.
        b.left[Kind::Ranges as usize] = l.max_changes;
        b.left[Kind::Hidden as usize] = l.max_hidden;
        b.left[Kind::Roster as usize] = l.max_roster;
        b.left[Kind::Revocations as usize] = l.max_revocations;
        b.left[Kind::Needs as usize] = 3 * l.max_needs;
        b.left[Kind::Refusals as usize] = l.max_changes;
        b.left[Kind::Summary as usize] = l.max_summary;
        b.left[Kind::Pages as usize] = MAX_PAGES;
        b
    }
}

/// Pages in one bundle.
pub const MAX_PAGES: usize = 100_000;

thread_local! {
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Runs `f` (one decode) with `budget` in force, and restores what was in
/// force before (a bundle's pages each get their own budget inside the
/// bundle's).
pub(crate) fn with_budget<T>(budget: Budget, f: impl FnOnce() -> T) -> T {
    let before = BUDGET.with(|b| b.replace(Some(budget)));
    let out = f();
    BUDGET.with(|b| *b.borrow_mut() = before);
    out
}

/// Takes one item of `kind` from the budget in force; false when none is
/// left (or true when no budget is in force).
fn take(kind: Kind) -> bool {
    BUDGET.with(|b| match b.borrow_mut().as_mut() {
        None => true,
        Some(budget) => {
            let left = &mut budget.left[kind as usize];
            if *left == 0 {
                false
            } else {
                *left -= 1;
                true
            }
        }
    })
}

/// How many items of `kind` may still come (to size a vector).
fn left(kind: Kind) -> usize {
    BUDGET.with(|b| {
        b.borrow()
            .as_ref()
            .map_or(usize::MAX, |budget| budget.left[kind as usize])
    })
}

struct SeqVisitor<T> {
    kind: Kind,
    _t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SeqVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of {}", self.kind.name())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Reserve no more than what may still come, and never much up
        // front: the declared length is the peer's word, not bytes.
        let cap = seq.size_hint().unwrap_or(0).min(left(self.kind)).min(1024);
        let mut out = Vec::with_capacity(cap);
        loop {
            if !take(self.kind) {
                // Only an error when an item actually follows.
                return match seq.next_element::<de::IgnoredAny>()? {
                    None => Ok(out),
                    Some(_) => Err(de::Error::custom(format!(
                        "more {} than one message may carry",
                        self.kind.name()
                    ))),
                };
            }
            match seq.next_element()? {
                Some(item) => out.push(item),
                None => return Ok(out),
            }
        }
    }
}

/// Decodes a list of `kind`, counting its items against the budget.
pub(crate) fn seq<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    kind: Kind,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_seq(SeqVisitor {
        kind,
        _t: PhantomData,
    })
}

// One function per kind, for `#[serde(deserialize_with = ...)]`.
macro_rules! bounded {
    ($($name:ident => $kind:ident),* $(,)?) => {
        $(
            pub(crate) fn $name<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
                d: D,
            ) -> Result<Vec<T>, D::Error> {
                seq(d, Kind::$kind)
            }
        )*
    };
}

bounded! {
    groups => Groups,
    changes => Changes,
    proofs => Proofs,
    ranges => Ranges,
    hidden => Hidden,
    roster => Roster,
    revocations => Revocations,
    needs => Needs,
    refusals => Refusals,
    summary => Summary,
}
