//! Working on one group of a page, on a worker thread: each change proven
//! or kept, tried in order, the document as it then reads judged whole;
//! a document this node may not hold traced back to the change that made
//! it so. Nothing here touches the store.

use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::ActorId;
use enlace_docs::ParsedChange;
use enlace_domain::validate::validate_case;
use enlace_domain::{Case, DocKind};
use enlace_store::DocRow;
use enlace_sync::RefusalReason;
use serde_json::Value;

use crate::replica::proven::{Checked, Proven};
use crate::replica::rules;
use crate::replica::working::*;
use crate::{CoreError, Result, index};

/// Groups worked on one by one, checking the document after each change,
/// to find which change made a document unholdable (more changes than
/// this in one group: they are all kept aside instead).
pub(super) const RETRACE_LIMIT: usize = 64;
/// A group made ready on the transaction's thread: its document, the
/// stored copy, and its changes.
pub(super) struct Ready {
    pub(super) id: String,
    pub(super) kind: DocKind,
    pub(super) full: bool,
    pub(super) stored: Option<Stored>,
    pub(super) incoming: Vec<Checked>,
}

/// A document worked on, ready to store: its row, the case (with its
/// findings) when it is one, and whether it replaces a demonstration one.
pub(super) struct Keep {
    pub(super) row: DocRow,
    pub(super) case: Option<(Case, Vec<enlace_domain::Issue>)>,
    /// The case's index row, built here when it needs nothing from the
    /// store (another country's case: no identities on this node).
    pub(super) index_row: Option<enlace_store::CaseIndexRow>,
    pub(super) replaces_demo: bool,
}

/// What working on a group gave: the document to store (or why the
/// document is refused whole), the changes applied, the changes kept.
pub(super) struct Worked {
    pub(super) applied: Vec<usize>,
    pub(super) kept: Vec<(usize, RefusalReason, String)>,
    pub(super) outcome: std::result::Result<Option<Keep>, RefusalReason>,
}

/// What every worker needs to know.
pub(super) struct Context<'a> {
    pub(super) actor: &'a ActorId,
    pub(super) authors: &'a Authors,
    pub(super) my_country: &'a str,
    /// This node's place in its country and its key (need-to-know).
    pub(super) my_role: enlace_domain::NodeRole,
    pub(super) my_key: [u8; 32],
    /// The country of the peer the page came from.
    pub(super) via: &'a str,
    pub(super) at: &'a str,
    pub(super) today: chrono::NaiveDate,
}

/// [`rules::holdable`], need-to-know ([`rules::reaches_json`]: a border
/// post or an NGO holds only the identities it works with), and for a
/// case with H2 items that came through a country other than its owner's,
/// [`rules::relay_barred`].
fn holdable(
    cx: &Context<'_>,
    r: &Ready,
    json: &serde_json::Value,
) -> std::result::Result<Option<enlace_domain::Case>, RefusalReason> {
    let case = rules::holdable(r.kind, &r.id, json, cx.my_country, cx.today)?;
    if !rules::reaches_json(r.kind, cx.my_role, &cx.my_key, json) {
        return Err(RefusalReason::NotInAudience);
    }
    if let Some(c) = &case {
        let h2 = c
            .handling_codes()
            .contains(&enlace_domain::HandlingCode::H2);
        if rules::relay_barred(h2, c.owner.country.as_str(), cx.via, cx.my_country) {
            return Err(RefusalReason::NotInAudience);
        }
    }
    Ok(case)
}

/// Refusals that mean "this node may not hold the document": nothing of
/// it is kept.
pub(super) fn not_for_here(reason: RefusalReason) -> bool {
    matches!(
        reason,
        RefusalReason::NotInAudience | RefusalReason::NationalOnly
    )
}

/// Works on one group without touching the store: apply what may be
/// applied, check the result, save it (the CPU-heavy part of a page).
pub(super) fn work(cx: &Context<'_>, r: &Ready) -> Result<Worked> {
    let mut w = working(cx.actor, &r.id, r.kind, r.stored.as_ref(), &deps_of(r))?;
    let mut applied: Vec<usize> = vec![];
    let mut kept = vec![];
    for (i, inc) in r.incoming.iter().enumerate() {
        let Some(p) = proven_or_kept(i, inc, &mut kept) else {
            continue;
        };
        match try_change(cx.authors, &mut w, &p) {
            Fate::Applied => applied.push(i),
            Fate::Known => {}
            Fate::Kept {
                reason,
                detail,
                damaged,
            } => {
                kept.push((i, reason, detail));
                if damaged {
                    w = rebuild_from(cx, r, &applied)?;
                }
            }
        }
    }
    if applied.is_empty() {
        return Ok(Worked {
            applied,
            kept,
            outcome: Ok(None),
        });
    }
    // May this node hold the document as it now reads?
    let json = w.doc.to_json()?;
    match holdable(cx, r, &json) {
        Err(reason) if not_for_here(reason) => Ok(Worked {
            applied,
            kept,
            outcome: Err(reason),
        }),
        Err(reason) => retrace(cx, r, reason),
        Ok(case) => Ok(Worked {
            outcome: Ok(Some(keep(cx, r, &mut w, &json, case, &applied)?)),
            applied,
            kept,
        }),
    }
}

/// The change at `i` as its author's, or `None` with it kept aside as
/// `bad_signature`.
pub(super) fn proven_or_kept<'a>(
    i: usize,
    inc: &'a Checked,
    kept: &mut Vec<(usize, RefusalReason, String)>,
) -> Option<Proven<'a>> {
    let p = inc.proven();
    if p.is_none() {
        kept.push((i, RefusalReason::BadSignature, NO_PROOF.into()));
    }
    p
}

/// Every dependency the group's changes name.
fn deps_of(r: &Ready) -> Vec<[u8; 32]> {
    r.incoming
        .iter()
        .flat_map(|c| c.parsed().deps.iter().copied())
        .collect()
}

pub(super) fn rebuild_from(cx: &Context<'_>, r: &Ready, applied: &[usize]) -> Result<Working> {
    let changes: Vec<&ParsedChange> = applied.iter().map(|&i| r.incoming[i].parsed()).collect();
    rebuild(
        cx.actor,
        &r.id,
        r.kind,
        r.stored.as_ref(),
        &deps_of(r),
        &changes,
    )
}

/// The document of a group made unholdable by one of its changes
/// (malformed, another country's slot): applies the changes again one at
/// a time, checking after each, and keeps aside those that break it. A
/// long group is kept aside whole instead (the check reads the document).
pub(super) fn retrace(cx: &Context<'_>, r: &Ready, reason: RefusalReason) -> Result<Worked> {
    let mut kept = vec![];
    let mut applied: Vec<usize> = vec![];
    if r.incoming.len() > RETRACE_LIMIT {
        for i in 0..r.incoming.len() {
            kept.push((
                i,
                reason,
                "the document it belongs to would not be well formed".into(),
            ));
        }
        return Ok(Worked {
            applied,
            kept,
            outcome: Ok(None),
        });
    }
    let mut w = working(cx.actor, &r.id, r.kind, r.stored.as_ref(), &deps_of(r))?;
    let mut last_json = None;
    for (i, inc) in r.incoming.iter().enumerate() {
        let Some(p) = proven_or_kept(i, inc, &mut kept) else {
            continue;
        };
        match try_change(cx.authors, &mut w, &p) {
            Fate::Known => {}
            Fate::Kept {
                reason,
                detail,
                damaged,
            } => {
                kept.push((i, reason, detail));
                if damaged {
                    w = rebuild_from(cx, r, &applied)?;
                }
            }
            Fate::Applied => {
                let json = w.doc.to_json()?;
                match holdable(cx, r, &json) {
                    Err(reason) if not_for_here(reason) => {
                        return Ok(Worked {
                            applied,
                            kept,
                            outcome: Err(reason),
                        });
                    }
                    Err(reason) => {
                        kept.push((
                            i,
                            reason,
                            "with it the document would not be well formed, or would take another country's place"
                                .into(),
                        ));
                        w = rebuild_from(cx, r, &applied)?;
                    }
                    Ok(case) => {
                        applied.push(i);
                        last_json = Some((json, case));
                    }
                }
            }
        }
    }
    let outcome = match last_json {
        Some((json, case)) => Ok(Some(keep(cx, r, &mut w, &json, case, &applied)?)),
        None => Ok(None),
    };
    Ok(Worked {
        applied,
        kept,
        outcome,
    })
}

/// The document worked on, ready to store.
pub(super) fn keep(
    cx: &Context<'_>,
    r: &Ready,
    w: &mut Working,
    json: &Value,
    case: Option<Case>,
    applied: &[usize],
) -> Result<Keep> {
    let mut row = doc_row_from(&r.id, r.kind, json, &mut w.doc, cx.at)?;
    if r.stored.is_none() && !w.rooted && applied.len() == r.incoming.len() {
        // New here and exactly the changes received: kept as those changes
        // (automerge loads them as fast as a saved document), without
        // saving it again.
        row.bytes = r
            .incoming
            .iter()
            .flat_map(|i| i.bytes().iter().copied())
            .collect();
    } else {
        row.bytes = w.doc.save();
    }
    let case = case.map(|c| {
        // The references its nodes gave it apart stay findable.
        let c = index::findable(&c, &w.doc).into_owned();
        let issues = validate_case(&c, cx.today);
        (c, issues)
    });
    let index_row = case
        .as_ref()
        .filter(|(c, _)| c.owner.country.as_str() != cx.my_country)
        .map(|(c, issues)| index::case_row(c, &[], issues, cx.at));
    Ok(Keep {
        row,
        case,
        index_row,
        replaces_demo: w.replaces_demo,
    })
}

/// [`work`], with whatever a library does on hostile input — even a
/// panic — confined to the group.
pub(super) fn work_confined(cx: &Context<'_>, r: &Ready) -> Result<Worked> {
    match catch_unwind(AssertUnwindSafe(|| work(cx, r))) {
        Ok(Ok(w)) => Ok(w),
        // A stored document that does not load is this node's fault, not
        // the page's.
        Ok(Err(CoreError::Doc(e))) if r.stored.is_none() => Ok(all_kept(r, &e.to_string())),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(all_kept(r, "automerge failed on it")),
    }
}

/// Every change of a group kept aside as malformed.
pub(super) fn all_kept(r: &Ready, detail: &str) -> Worked {
    Worked {
        applied: vec![],
        kept: (0..r.incoming.len())
            .map(|i| (i, RefusalReason::Malformed, detail.to_owned()))
            .collect(),
        outcome: Ok(None),
    }
}

/// Parses a received change; `None` when it cannot be read (even when
/// the parser panics on it).
pub(super) fn parse(bytes: &[u8]) -> Option<ParsedChange> {
    catch_unwind(|| ParsedChange::parse(bytes)).ok()?.ok()
}
