//! One sync session between two nodes, without IO.
//!
//! The client drives: [`ClientSession::next`] gives the next request (a
//! path and an encoded body) and [`ClientSession::on_response`] takes the
//! answer. The server answers with [`serve_round`] and
//! [`serve_reconcile`]. Both sides read and write their database through a
//! [`Replica`] (enlace-core implements it over the encrypted store), so
//! the same code runs over HTTPS (enlace-node), over the in-memory link
//! that tests cut at will ([`run_in_memory`]), and from bundle files.

use enlace_domain::Traffic;

use crate::codec::{self, LIMITS, Limits, WireError};
use crate::wire::*;

/// A peer, by its Ed25519 public key.
pub type PeerKey = [u8; 32];

/// Documents one node wants whole from another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wants {
    /// By id.
    pub docs: Vec<DocId>,
    /// Known only by one of their changes.
    pub changes: Vec<Hash>,
    /// Whose first part came already: the rest, after the change named.
    pub after: Vec<(DocId, Hash)>,
}

impl Wants {
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.changes.is_empty() && self.after.is_empty()
    }

    pub fn len(&self) -> usize {
        self.docs.len() + self.changes.len() + self.after.len()
    }

    /// At most `n` of each list (what one message may carry).
    pub fn truncated(mut self, n: usize) -> Wants {
        self.docs.truncate(n);
        self.changes.truncate(n);
        self.after.truncate(n);
        self
    }
}

/// What a node knows of its sync with one peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerState {
    /// How far this node has applied the peer's log.
    pub applied: Cursor,
    /// How far the peer has applied this node's log (as it last said).
    pub acked: Cursor,
    /// Documents this node wants whole from the peer.
    pub want: Wants,
}

/// What applying a page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Documents that changed here.
    pub docs: u64,
    /// Changes that were new here.
    pub changes: u64,
    /// What was not applied, and why.
    pub refused: Vec<Refusal>,
}

/// The local side of sync: the encrypted store, seen by the protocol.
pub trait Replica {
    type Error: std::error::Error + Send + Sync + 'static;

    fn peer_state(&mut self, peer: &PeerKey) -> Result<PeerState, Self::Error>;

    /// This node's log end.
    fn log_end(&mut self) -> Result<Cursor, Self::Error>;

    /// True when `at` is a position of this node's log: its sequence holds
    /// the change with that hash (the start always is).
    fn has_position(&mut self, at: &Cursor) -> Result<bool, Self::Error>;

    /// True when this node holds any document `peer` may hold.
    fn holds_any_for(&mut self, peer: &PeerKey) -> Result<bool, Self::Error>;

    /// The next page of this node's log for `peer`, after `after`, of at
    /// most `max_bytes` change bytes (at least one entry), with the
    /// documents `whole` names in full (in parts when one does not fit).
    /// Only what the peer may hold, never what came from it or was
    /// written by it.
    fn page_for(
        &mut self,
        peer: &PeerKey,
        after: &Cursor,
        whole: &Wants,
        max_bytes: u32,
    ) -> Result<Page, Self::Error>;

    /// Verifies and applies a page from `peer` and records `page.to` as
    /// this node's position in the peer's log — in one transaction.
    fn apply(&mut self, peer: &PeerKey, page: &Page) -> Result<Applied, Self::Error>;

    /// Records how far `peer` has applied this node's log.
    fn set_acked(&mut self, peer: &PeerKey, to: &Cursor) -> Result<(), Self::Error>;

    /// Records this node's position in `peer`'s log (after reconciling).
    fn set_applied(&mut self, peer: &PeerKey, to: &Cursor) -> Result<(), Self::Error>;

    /// Adds documents this node wants whole from `peer`.
    fn want(&mut self, peer: &PeerKey, docs: &[DocId]) -> Result<(), Self::Error>;

    /// Documents `peer` may hold, with a hash of their heads, in id order:
    /// ids after `after` and up to `through`, at most `limit`.
    fn summary(
        &mut self,
        peer: &PeerKey,
        after: Option<&DocId>,
        through: Option<&DocId>,
        limit: usize,
    ) -> Result<Vec<(DocId, u64)>, Self::Error>;

    /// This node's audit log head for `peer` (recording that `peer` was
    /// shown it); `None`: none to show.
    fn audit_for(&mut self, _peer: &PeerKey) -> Result<Option<AuditHead>, Self::Error> {
        Ok(None)
    }

    /// Compares `peer`'s audit log head with the one it showed before,
    /// and keeps it. A log cut or rewritten is recorded, not an error:
    /// the session goes on.
    fn audit_from(&mut self, _peer: &PeerKey, _head: &AuditHead) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Why a session stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Wire(#[from] WireError),
    /// This node's store failed (the inner error says how).
    #[error("{0}")]
    Local(Box<dyn std::error::Error + Send + Sync>),
    /// The peer answered with an error.
    #[error("the peer reported an error ({code}): {message}")]
    Peer { code: String, message: String },
    /// The transport failed (connection, timeout, cut).
    #[error("{0}")]
    Transport(String),
    #[error("the peer keeps answering without progress; stopped after {0} rounds")]
    Stalled(u32),
    /// The session went on longer than a session may (a peer that keeps
    /// saying "more" forever cannot hold this node).
    #[error(
        "the session was stopped after {0} round trips, the most one session may take; the next sync continues where it stopped"
    )]
    TooLong(u64),
}

impl SyncError {
    pub fn local<E: std::error::Error + Send + Sync + 'static>(e: E) -> SyncError {
        SyncError::Local(Box::new(e))
    }
}

/// What one session did, for reports (`enlace sync --json`) and the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// HTTP requests (round trips).
    pub requests: u64,
    /// Bytes of requests and answers; documents and changes in pages.
    pub traffic: Traffic,
    /// Changes or documents the peer did not accept.
    pub refused_by_peer: u64,
    /// Changes or documents this node did not accept (kept in quarantine
    /// or left with the peer).
    pub refused_here: u64,
    /// A reconciliation by heads ran (cursors missing or doubtful).
    pub reconciled: bool,
    /// Log entries the peer still has after the last page (progress).
    pub remaining: u64,
}

/// A request to send: `POST path` with `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: &'static str,
    pub body: Vec<u8>,
}

pub const ROUND_PATH: &str = "/sync/v1/round";
pub const RECONCILE_PATH: &str = "/sync/v1/reconcile";

/// Documents per reconciliation page.
const SUMMARY_PAGE: usize = 5_000;
/// Rounds in a row without progress before a session gives up.
const MAX_IDLE: u32 = 3;
/// Round trips one session may take: a full sync of 100,000 cases in
/// pages of 1 MiB takes about 200; a peer that keeps answering "more"
/// cannot keep a node beyond this (the next session continues).
pub const MAX_REQUESTS: u64 = 20_000;

#[derive(Debug, Clone)]
enum Phase {
    Start,
    Rounds,
    Reconcile {
        mine: Cursor,
        theirs: Option<Cursor>,
        after: Option<DocId>,
    },
    Done,
}

#[derive(Debug, Clone)]
enum Sent {
    Round {
        push: Option<(u64, u64, bool)>,
        wanted: usize,
    },
    Reconcile {
        through: Option<DocId>,
    },
}

/// The client side of one session with one peer.
#[derive(Debug)]
pub struct ClientSession {
    peer: PeerKey,
    max_bytes: u32,
    limits: Limits,
    phase: Phase,
    sent: Option<Sent>,
    their_want: Wants,
    idle: u32,
    stats: SessionStats,
    /// The audit head went with a round already (once a session).
    audit_sent: bool,
}

impl ClientSession {
    /// A session with `peer`, asking for pages of at most `max_bytes`.
    pub fn new(peer: PeerKey, max_bytes: u32) -> ClientSession {
        ClientSession {
            peer,
            max_bytes: max_bytes.clamp(1024, LIMITS.max_page_bytes),
            limits: LIMITS,
            phase: Phase::Start,
            sent: None,
            their_want: Wants::default(),
            idle: 0,
            stats: SessionStats::default(),
            audit_sent: false,
        }
    }

    pub fn stats(&self) -> &SessionStats {
        &self.stats
    }

    /// The next request, or `None` when the session is complete.
    pub fn next<R: Replica>(&mut self, r: &mut R) -> Result<Option<Request>, SyncError> {
        let local = SyncError::local::<R::Error>;
        if let Phase::Start = self.phase {
            let st = r.peer_state(&self.peer).map_err(local)?;
            self.phase = if st.applied.seq == 0
                && st.acked.seq == 0
                && r.holds_any_for(&self.peer).map_err(local)?
            {
                Self::reconcile(r)?
            } else {
                Phase::Rounds
            };
        }
        if matches!(self.phase, Phase::Start | Phase::Done) {
            return Ok(None);
        }
        if self.stats.requests >= MAX_REQUESTS {
            return Err(SyncError::TooLong(self.stats.requests));
        }
        let req = match &self.phase {
            Phase::Start | Phase::Done => return Ok(None),
            Phase::Rounds => {
                let st = r.peer_state(&self.peer).map_err(local)?;
                let page = r
                    .page_for(&self.peer, &st.acked, &self.their_want, self.max_bytes)
                    .map_err(local)?;
                let push = (!page.is_empty()).then_some(page);
                let want = st.want.truncated(self.limits.max_needs);
                self.sent = Some(Sent::Round {
                    push: push
                        .as_ref()
                        .map(|p| (p.groups.len() as u64, p.change_count() as u64, p.more)),
                    wanted: want.len(),
                });
                let body = codec::encode(&RoundRequest {
                    v: VERSION,
                    pull: Pull {
                        after: st.applied,
                        max_bytes: self.max_bytes,
                    },
                    push,
                    need: want.docs,
                    need_changes: want.changes,
                    need_after: want.after,
                    audit: if self.audit_sent {
                        None
                    } else {
                        self.audit_sent = true;
                        r.audit_for(&self.peer).map_err(local)?
                    },
                });
                Request {
                    path: ROUND_PATH,
                    body,
                }
            }
            Phase::Reconcile { mine, after, .. } => {
                let docs = r
                    .summary(&self.peer, after.as_ref(), None, SUMMARY_PAGE)
                    .map_err(local)?;
                let through = if docs.len() < SUMMARY_PAGE {
                    None
                } else {
                    docs.last().map(|(d, _)| *d)
                };
                self.sent = Some(Sent::Reconcile { through });
                let body = codec::encode(&ReconcileRequest {
                    v: VERSION,
                    log: mine.clone(),
                    after: *after,
                    through,
                    docs,
                });
                Request {
                    path: RECONCILE_PATH,
                    body,
                }
            }
        };
        self.stats.requests += 1;
        self.stats.traffic.bytes_sent += req.body.len() as u64;
        Ok(Some(req))
    }

    fn reconcile<R: Replica>(r: &mut R) -> Result<Phase, SyncError> {
        Ok(Phase::Reconcile {
            mine: r.log_end().map_err(SyncError::local::<R::Error>)?,
            theirs: None,
            after: None,
        })
    }

    /// Takes the answer to the last request.
    pub fn on_response<R: Replica>(&mut self, r: &mut R, body: &[u8]) -> Result<(), SyncError> {
        let local = SyncError::local::<R::Error>;
        self.stats.traffic.bytes_received += body.len() as u64;
        match self.sent.take() {
            None => Err(WireError::Invalid("an answer to no request".into()).into()),
            Some(Sent::Round { push, wanted }) => {
                let resp: RoundResponse = codec::decode(body, &self.limits)?;
                if let Some(a) = &resp.audit {
                    r.audit_from(&self.peer, a).map_err(local)?;
                }
                let mut progress = false;
                let mut again = false;
                // What the peer wants after this round. A push that only
                // answered its wants, after which it wants the same again
                // (it keeps aside what was sent: an author it does not
                // know), is no progress: without this, two nodes would
                // send the same changes back and forth until the session's
                // request cap.
                let wants_after = Wants {
                    docs: resp.need.clone(),
                    changes: resp.need_changes.clone(),
                    after: resp.need_after.clone(),
                };
                let same_wants = !wants_after.is_empty() && wants_after == self.their_want;
                match resp.pushed {
                    Pushed::Nothing => {}
                    Pushed::Applied { to, refused } => {
                        if let Some((docs, changes, more)) = push {
                            self.stats.traffic.docs_sent += docs;
                            self.stats.traffic.changes_sent += changes;
                            again |= more;
                            let acked = r.peer_state(&self.peer).map_err(local)?.acked;
                            progress = to != acked || !same_wants;
                        }
                        self.stats.refused_by_peer += refused.len() as u64;
                        r.set_acked(&self.peer, &to).map_err(local)?;
                    }
                    Pushed::Resync { expected } => {
                        if r.has_position(&expected).map_err(local)? {
                            r.set_acked(&self.peer, &expected).map_err(local)?;
                            again = true;
                        } else {
                            self.phase = Self::reconcile(r)?;
                            return Ok(());
                        }
                    }
                }
                match resp.pull {
                    Pulled::Doubtful { .. } => {
                        self.phase = Self::reconcile(r)?;
                        return Ok(());
                    }
                    Pulled::Page(page) => {
                        let before = r.peer_state(&self.peer).map_err(local)?;
                        let applied = r.apply(&self.peer, &page).map_err(local)?;
                        self.stats.traffic.docs_received += applied.docs;
                        self.stats.traffic.changes_received += applied.changes;
                        self.stats.refused_here += applied.refused.len() as u64;
                        self.stats.remaining = page.remaining;
                        again |= page.more;
                        // Groups that only answer this node's wants count
                        // below, by what they did to the wants.
                        progress |= page.to != page.base
                            || (!page.groups.is_empty() && before.want.is_empty());
                        let after = r.peer_state(&self.peer).map_err(local)?;
                        let still = after.want.len();
                        if still > 0 {
                            // Still wanting documents: go on while the list
                            // shrinks or changes, or parts of large ones
                            // arrive (the peer answers wants in full
                            // pages). When what was sent changed nothing
                            // (this node keeps it aside: an author it does
                            // not know), asking again would bring the same:
                            // the session stops asking.
                            let had = before.want.len();
                            if still < had.max(wanted) || after.want != before.want {
                                again = true;
                                progress = true;
                            }
                        }
                    }
                }
                self.their_want = wants_after;
                if same_wants && !progress {
                    // It keeps wanting what it was sent: nothing more this
                    // session can give it (its quarantine says why).
                    self.their_want = Wants::default();
                }
                if !self.their_want.is_empty() {
                    again = true;
                }
                if !again {
                    self.phase = Phase::Done;
                } else if progress {
                    self.idle = 0;
                } else {
                    self.idle += 1;
                    if self.idle >= MAX_IDLE {
                        return Err(SyncError::Stalled(self.idle));
                    }
                }
                Ok(())
            }
            Some(Sent::Reconcile { through }) => {
                let resp: ReconcileResponse = codec::decode(body, &self.limits)?;
                self.stats.reconciled = true;
                r.want(&self.peer, &resp.send_you).map_err(local)?;
                let Phase::Reconcile {
                    mine,
                    theirs,
                    after,
                } = &mut self.phase
                else {
                    return Err(WireError::Invalid("an unexpected reconciliation".into()).into());
                };
                let theirs = theirs.get_or_insert(resp.log).clone();
                if resp.complete {
                    // Both sides now stand at the other's log end as of the
                    // start; what differed is asked for whole.
                    r.set_applied(&self.peer, &theirs).map_err(local)?;
                    r.set_acked(&self.peer, mine).map_err(local)?;
                    self.phase = Phase::Rounds;
                } else {
                    let next = resp.compared_through.or(through);
                    if next.is_none() || next == *after {
                        return Err(WireError::Invalid(
                            "a reconciliation that does not advance".into(),
                        )
                        .into());
                    }
                    *after = next;
                }
                Ok(())
            }
        }
    }
}

/// What the server did for one request (for its own records). The bytes
/// are the transport's to count (`serve_round` sees one body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Served {
    pub traffic: Traffic,
    pub refused: u64,
}

/// Answers `POST /sync/v1/round` from `peer`: the answer's body, and what
/// was done.
pub fn serve_round<R: Replica>(
    r: &mut R,
    peer: &PeerKey,
    body: &[u8],
) -> Result<(Vec<u8>, Served), SyncError> {
    let local = SyncError::local::<R::Error>;
    let req: RoundRequest = codec::decode(body, &LIMITS)?;
    if let Some(a) = &req.audit {
        r.audit_from(peer, a).map_err(local)?;
    }
    let mut served = Served::default();
    let pushed = match &req.push {
        None => Pushed::Nothing,
        Some(page) => {
            let st = r.peer_state(peer).map_err(local)?;
            if page.base == st.applied {
                let applied = r.apply(peer, page).map_err(local)?;
                served.traffic.docs_received = applied.docs;
                served.traffic.changes_received = applied.changes;
                served.refused = applied.refused.len() as u64;
                Pushed::Applied {
                    to: page.to.clone(),
                    refused: applied.refused,
                }
            } else {
                Pushed::Resync {
                    expected: st.applied,
                }
            }
        }
    };
    let pull = if r.has_position(&req.pull.after).map_err(local)? {
        let max = req.pull.max_bytes.clamp(1024, LIMITS.max_page_bytes);
        let whole = Wants {
            docs: req.need,
            changes: req.need_changes,
            after: req.need_after,
        };
        let page = r
            .page_for(peer, &req.pull.after, &whole, max)
            .map_err(local)?;
        served.traffic.docs_sent = page.groups.len() as u64;
        served.traffic.changes_sent = page.change_count() as u64;
        Pulled::Page(page)
    } else {
        Pulled::Doubtful {
            log: r.log_end().map_err(local)?,
        }
    };
    let want = r
        .peer_state(peer)
        .map_err(local)?
        .want
        .truncated(LIMITS.max_needs);
    let body = codec::encode(&RoundResponse {
        v: VERSION,
        pushed,
        pull,
        need: want.docs,
        need_changes: want.changes,
        need_after: want.after,
        // Heads travel once a session: in answer to the round that
        // carried the client's.
        audit: if req.audit.is_some() {
            r.audit_for(peer).map_err(local)?
        } else {
            None
        },
    });
    Ok((body, served))
}

/// Answers `POST /sync/v1/reconcile` from `peer`: compares one page of the
/// client's summary with this node's documents over the same id range.
pub fn serve_reconcile<R: Replica>(
    r: &mut R,
    peer: &PeerKey,
    body: &[u8],
) -> Result<Vec<u8>, SyncError> {
    let local = SyncError::local::<R::Error>;
    let req: ReconcileRequest = codec::decode(body, &LIMITS)?;
    let cap = LIMITS.max_summary;
    let mine = r
        .summary(peer, req.after.as_ref(), req.through.as_ref(), cap + 1)
        .map_err(local)?;
    // If this node holds more in the range than one answer can name, it
    // compares up to the last id it listed and the client goes on from there.
    let (mine, stop) = if mine.len() > cap {
        let stop = mine[cap - 1].0;
        (mine[..cap].to_vec(), Some(stop))
    } else {
        (mine, None)
    };
    let theirs: Vec<&(DocId, u64)> = req
        .docs
        .iter()
        .filter(|(d, _)| stop.is_none_or(|s| d.as_slice() <= s.as_slice()))
        .collect();
    let mut send_you = vec![];
    let mut want = vec![];
    let (mut i, mut j) = (0, 0);
    while i < mine.len() || j < theirs.len() {
        match (mine.get(i), theirs.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    send_you.push(a.0);
                    want.push(a.0);
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0.as_slice() < b.0.as_slice() => {
                send_you.push(a.0);
                i += 1;
            }
            (Some(_), Some(b)) | (None, Some(b)) => {
                want.push(b.0);
                j += 1;
            }
            (Some(a), None) => {
                send_you.push(a.0);
                i += 1;
            }
            (None, None) => break,
        }
    }
    r.want(peer, &want).map_err(local)?;
    let complete = stop.is_none() && req.through.is_none();
    if complete {
        r.set_applied(peer, &req.log).map_err(local)?;
    }
    Ok(codec::encode(&ReconcileResponse {
        v: VERSION,
        log: r.log_end().map_err(local)?,
        send_you,
        compared_through: stop,
        complete,
    }))
}

/// The link of [`run_in_memory`]: called with each message's size before
/// it is delivered; `false` cuts the connection there (the message is
/// lost, as when a peer vanishes mid-transfer).
pub type Link<'a> = &'a mut dyn FnMut(usize) -> bool;

/// Runs a whole session in this process: `client` syncs with `server`,
/// every message encoded and decoded as over the network. `client_key`
/// and `server_key` are the nodes' keys (each must know the other).
pub fn run_in_memory<R: Replica>(
    client: &mut R,
    client_key: &PeerKey,
    server: &mut R,
    server_key: &PeerKey,
    max_bytes: u32,
    link: Link<'_>,
) -> Result<SessionStats, SyncError> {
    let mut s = ClientSession::new(*server_key, max_bytes);
    while let Some(req) = s.next(client)? {
        if !link(req.body.len()) {
            return Err(SyncError::Transport("the link was cut (request)".into()));
        }
        let resp = match req.path {
            ROUND_PATH => serve_round(server, client_key, &req.body)?.0,
            _ => serve_reconcile(server, client_key, &req.body)?,
        };
        if !link(resp.len()) {
            return Err(SyncError::Transport("the link was cut (answer)".into()));
        }
        s.on_response(client, &resp)?;
    }
    Ok(s.stats().clone())
}
