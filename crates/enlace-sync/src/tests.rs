use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::SigningKey;
use proptest::prelude::*;
use serde_bytes::{ByteArray, ByteBuf};
use sha2::{Digest, Sha256};

use crate::bundle::{self, BundleBody, BundleError};
use crate::codec::{self, LIMITS, WireError};
use crate::proof::{self, ProofSource, StoredProof};
use crate::session::*;
use crate::wire::*;

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn page_with(changes: &[&[u8]]) -> Page {
    Page {
        base: Cursor::start(),
        to: Cursor::at(changes.len() as u64, [7; 32]),
        more: false,
        remaining: 0,
        groups: vec![Group {
            doc: Some(ByteArray::new([1; 16])),
            kind: Some("case".into()),
            changes: changes.iter().map(|c| ByteBuf::from(c.to_vec())).collect(),
            full: false,
            part: false,
        }],
        ..Page::default()
    }
}

#[test]
fn messages_round_trip() {
    let req = RoundRequest {
        v: VERSION,
        pull: Pull {
            after: Cursor::at(42, [3; 32]),
            max_bytes: 1 << 20,
        },
        push: Some(page_with(&[b"uno", b"dos"])),
        need: vec![ByteArray::new([9; 16])],
        need_changes: vec![ByteArray::new([8; 32])],
        need_after: vec![(ByteArray::new([9; 16]), ByteArray::new([7; 32]))],
        audit: None,
    };
    let bytes = codec::encode(&req);
    let back: RoundRequest = codec::decode(&bytes, &LIMITS).expect("decodes");
    assert_eq!(back, req);

    let resp = RoundResponse {
        v: VERSION,
        pushed: Pushed::Applied {
            to: Cursor::at(2, [7; 32]),
            refused: vec![Refusal {
                doc: Some(ByteArray::new([1; 16])),
                change: None,
                reason: RefusalReason::NotInAudience,
            }],
        },
        pull: Pulled::Doubtful {
            log: Cursor::at(9, [1; 32]),
        },
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: None,
    };
    let back: RoundResponse = codec::decode(&codec::encode(&resp), &LIMITS).expect("decodes");
    assert_eq!(back, resp);
}

#[test]
fn the_decoder_names_what_is_wrong() {
    // Not zstd at all.
    assert!(matches!(
        codec::decode::<RoundRequest>(b"hola", &LIMITS),
        Err(WireError::Compression(_))
    ));
    // zstd, but not CBOR of the right shape.
    assert!(matches!(
        codec::decode::<RoundRequest>(&codec::compress(b"\xa1\x61x\x01"), &LIMITS),
        Err(WireError::Cbor(_))
    ));
    // A newer protocol.
    let mut req = RoundRequest {
        v: 2,
        pull: Pull {
            after: Cursor::start(),
            max_bytes: 4096,
        },
        push: None,
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: None,
    };
    assert_eq!(
        codec::decode::<RoundRequest>(&codec::encode(&req), &LIMITS),
        Err(WireError::Version { got: 2 })
    );
    // A position with a sequence but no hash.
    req.v = VERSION;
    req.pull.after.seq = 5;
    assert!(matches!(
        codec::decode::<RoundRequest>(&codec::encode(&req), &LIMITS),
        Err(WireError::Invalid(_))
    ));
    // A proof naming changes the page does not have.
    let mut page = page_with(&[b"a"]);
    page.proofs.push(Proof {
        author: None,
        sig: ByteArray::new([0; 64]),
        members: vec![[0, 5]],
        hidden: vec![],
    });
    let err = codec::decode::<Page>(&codec::encode(&page), &LIMITS).expect_err("refused");
    assert!(err.to_string().contains("0..5"), "{err}");
}

#[test]
fn oversized_input_is_refused_before_it_is_held() {
    let small = codec::Limits {
        max_decoded: 1000,
        ..LIMITS
    };
    // 1 MB of zeros compresses to a few bytes: the decompressed limit stops it.
    let bomb = codec::compress(&vec![0u8; 1 << 20]);
    assert!(bomb.len() < 1000);
    assert_eq!(
        codec::decompress(&bomb, &small),
        Err(WireError::TooLarge { limit: 1000 })
    );
    let body = vec![0u8; LIMITS.max_body + 1];
    assert_eq!(
        codec::decompress(&body, &LIMITS),
        Err(WireError::TooLarge {
            limit: LIMITS.max_body
        })
    );
    // A CBOR byte string that claims 4 GiB: refused at the end of input,
    // without reserving the memory it claims.
    let hostile = codec::compress(b"\xa1\x64push\x5a\xff\xff\xff\xff");
    assert!(codec::decode::<RoundRequest>(&hostile, &LIMITS).is_err());
    // An array claiming 2^64 elements.
    let hostile = codec::compress(b"\xa1\x64need\x9b\xff\xff\xff\xff\xff\xff\xff\xff");
    assert!(codec::decode::<RoundRequest>(&hostile, &LIMITS).is_err());
    // Nesting 100,000 deep.
    let mut deep = vec![0x81u8; 100_000];
    deep.push(0);
    assert!(codec::decode::<RoundRequest>(&codec::compress(&deep), &LIMITS).is_err());
    // A change larger than allowed.
    let big = vec![1u8; LIMITS.max_change + 1];
    let page = page_with(&[&big]);
    let err = codec::decode::<Page>(&codec::encode(&page), &LIMITS).expect_err("refused");
    assert!(err.to_string().contains("at most"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever arrives, the decoder answers with a value or an error.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = codec::decode::<RoundRequest>(&bytes, &LIMITS);
        let _ = codec::decode::<RoundResponse>(&codec::compress(&bytes), &LIMITS);
        let _ = codec::decode::<ReconcileRequest>(&codec::compress(&bytes), &LIMITS);
        let _ = bundle::read_header(&bytes);
    }

    /// A valid message with bytes flipped decodes to something checked, or
    /// to an error; never a panic.
    #[test]
    fn mutated_messages_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let req = RoundRequest {
            v: VERSION,
            pull: Pull { after: Cursor::at(3, [2; 32]), max_bytes: 9000 },
            push: Some(page_with(&[b"uno", b"dos", b"tres"])),
            need: vec![ByteArray::new([4; 16])],
            need_changes: vec![],
            need_after: vec![],
            audit: None,
        };
        let mut cbor = vec![];
        ciborium::into_writer(&req, &mut cbor).expect("cbor");
        for (at, b) in flips {
            let n = cbor.len();
            cbor[at % n] ^= b;
        }
        let _ = codec::decode::<RoundRequest>(&codec::compress(&cbor), &LIMITS);
    }
}

#[test]
fn proofs_cover_own_and_relayed_changes() {
    let me = key(1);
    let other = key(2);
    let me_pk = me.verifying_key().to_bytes();
    let other_pk = other.verifying_key().to_bytes();
    // The other node signed a set of three; this page relays two of them.
    let set = [[10u8; 32], [11; 32], [12; 32]];
    let sig = proof::proof_message(&other_pk, &set);
    let stored = StoredProof {
        id: 7,
        author: other_pk,
        sig: ed25519_dalek::Signer::sign(&other, &sig).to_bytes(),
        members: set.to_vec(),
    };
    let changes = vec![
        ([1u8; 32], ProofSource::Own { class: 0 }),
        ([10u8; 32], ProofSource::Stored(stored.clone())),
        ([2u8; 32], ProofSource::Own { class: 0 }),
        ([12u8; 32], ProofSource::Stored(stored)),
        ([3u8; 32], ProofSource::Own { class: 1 }),
    ];
    let proofs = proof::build_proofs(&me, &changes);
    assert_eq!(proofs.len(), 3, "one per class of own changes, one relayed");
    let relayed = proofs
        .iter()
        .find(|p| p.author.is_some_and(|a| *a == other_pk))
        .expect("relayed");
    assert_eq!(
        proofs.iter().filter(|p| p.author.is_none()).count(),
        2,
        "the sender's own proofs leave its key out"
    );
    assert_eq!(
        relayed.hidden.len(),
        1,
        "the member not carried is named by hash"
    );
    let hashes: Vec<[u8; 32]> = changes.iter().map(|c| c.0).collect();
    let authors = [me_pk, other_pk, me_pk, other_pk, me_pk];
    let covered = proof::verify_proofs(&proofs, &me_pk, &hashes, &authors);
    assert!(covered.iter().all(Option::is_some), "{covered:?}");

    // A change claimed by the wrong author is not covered.
    let wrong = [me_pk, me_pk, me_pk, other_pk, me_pk];
    let covered = proof::verify_proofs(&proofs, &me_pk, &hashes, &wrong);
    assert_eq!(covered[1], None);
    // A forged hash breaks the signature of its set.
    let mut forged = hashes.clone();
    forged[0] = [99; 32];
    let covered = proof::verify_proofs(&proofs, &me_pk, &forged, &authors);
    assert_eq!((covered[0], covered[2]), (None, None));
    assert!(covered[4].is_some(), "the other class is unaffected");
}

#[test]
fn roster_entries_are_signed_by_their_voucher() {
    let hub = key(3);
    let laptop = key(4).verifying_key().to_bytes();
    let mut e = proof::vouch(&hub, &laptop, "HN", "Aduana Corinto");
    assert!(proof::roster_entry_valid(&e));
    e.country = "GT".into();
    assert!(!proof::roster_entry_valid(&e), "the country is signed");
}

#[test]
fn revocations_are_signed_by_their_revoker_over_every_field() {
    let hub = key(3);
    let laptop = key(4).verifying_key().to_bytes();
    let r = proof::revoke(
        &hub,
        &laptop,
        "HN",
        "2026-12-06T10:00:00Z",
        &[[9; 32], [1; 32], [9; 32]],
    );
    assert!(proof::revocation_valid(&r));
    assert_eq!(
        r.kept_hashes().collect::<Vec<_>>(),
        vec![[1; 32], [9; 32]],
        "sorted, each once"
    );
    let mut c = r.clone();
    c.country = "GT".into();
    assert!(!proof::revocation_valid(&c), "the country is signed");
    let mut c = r.clone();
    c.kept = ByteBuf::from([[1u8; 32], [9; 32], [10; 32]].concat());
    assert!(!proof::revocation_valid(&c), "what it keeps is signed");
    let mut c = r.clone();
    c.at = "2026-12-07T10:00:00Z".into();
    assert!(!proof::revocation_valid(&c), "the time is signed");
    let mut c = r.clone();
    c.revoker = ByteArray::new(key(5).verifying_key().to_bytes());
    assert!(!proof::revocation_valid(&c), "by its revoker only");

    // It travels in a page, and a page whose revocation is out of form is
    // refused as it is decoded.
    let mut page = page_with(&[b"a"]);
    page.revocations.push(r.clone());
    let back: Page = codec::decode(&codec::encode(&page), &LIMITS).expect("decodes");
    assert_eq!(back.revocations, vec![r.clone()]);
    for (bad, says) in [
        (ByteBuf::from(vec![1u8; 40]), "32-byte"),
        (ByteBuf::from([[9u8; 32], [1; 32]].concat()), "ascending"),
        (ByteBuf::from([[1u8; 32], [1; 32]].concat()), "ascending"),
    ] {
        let mut page = page_with(&[b"a"]);
        page.revocations.push(Revocation {
            kept: bad,
            ..r.clone()
        });
        let err = codec::decode::<Page>(&codec::encode(&page), &LIMITS).expect_err("refused");
        assert!(err.to_string().contains(says), "{err}");
    }
    let few = codec::Limits {
        max_kept: 1,
        max_revocations: 1,
        ..LIMITS
    };
    let mut page = page_with(&[b"a"]);
    page.revocations.push(r.clone());
    let err = codec::decode::<Page>(&codec::encode(&page), &few).expect_err("refused");
    assert!(err.to_string().contains("kept"), "{err}");
    page.revocations = vec![proof::revoke(&hub, &laptop, "HN", "t", &[]); 2];
    let err = codec::decode::<Page>(&codec::encode(&page), &few).expect_err("refused");
    assert!(err.to_string().contains("revocations"), "{err}");
}

fn body() -> BundleBody {
    BundleBody {
        applied: Cursor::at(5, [5; 32]),
        need: vec![ByteArray::new([4; 16])],
        need_changes: vec![],
        need_after: vec![],
        pages: vec![page_with(&[b"cambio", b"otro"]), page_with(&[b"tercero"])],
    }
}

#[test]
fn bundles_open_only_on_their_recipient_and_detect_tampering() {
    let sender = key(5);
    let recipient = key(6);
    let stranger = key(7);
    let file = bundle::seal(
        &sender,
        &recipient.verifying_key().to_bytes(),
        3,
        "2026-11-30T10:00:00Z",
        &body(),
    )
    .expect("seal");
    let opened = bundle::open(&recipient, &file).expect("opens");
    let h = &opened.header;
    assert_eq!(h.seq, 3);
    assert_eq!(*h.sender, sender.verifying_key().to_bytes());
    assert_eq!(opened.applied, body().applied);
    assert_eq!(opened.wants.docs, body().need);
    assert_eq!(opened.page_count, 2);
    let pages: Vec<Page> = opened.pages().collect::<Result<_, _>>().expect("pages");
    assert_eq!(pages, body().pages);
    // Nothing of the content is readable in the file.
    assert!(!file.windows(6).any(|w| w == b"cambio"));

    assert!(matches!(
        bundle::open(&stranger, &file),
        Err(BundleError::NotForThisNode { .. })
    ));
    for at in [20, file.len() / 2, file.len() - 1] {
        let mut bad = file.clone();
        bad[at] ^= 1;
        let err = bundle::open(&recipient, &bad).expect_err("tampered");
        assert!(
            matches!(err, BundleError::Tampered | BundleError::NotABundle),
            "byte {at}: {err:?}"
        );
    }
    assert!(matches!(
        bundle::open(&recipient, b"PK\x03\x04 a zip file"),
        Err(BundleError::NotABundle)
    ));
}

// ---------------------------------------------------------------------------
// The session over a toy replica: documents are sets of opaque changes,
// each visible to everyone or to nobody but its creator's "country".

/// A toy document: who may hold it (None: everyone) and its changes.
type ToyDoc = (Option<u8>, BTreeSet<Vec<u8>>);
/// A toy log entry: document, change, the peer it came from.
type ToyEntry = ([u8; 16], Vec<u8>, Option<[u8; 32]>);

#[derive(Default, Clone)]
struct Toy {
    me: [u8; 32],
    country: u8,
    /// doc -> (country that may hold it; None = everyone) + changes
    docs: BTreeMap<[u8; 16], ToyDoc>,
    log: Vec<ToyEntry>,
    peers: BTreeMap<[u8; 32], (u8, PeerState)>,
    fail_next_apply: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("toy store failure")]
struct ToyError;

fn h(c: &[u8]) -> [u8; 32] {
    Sha256::digest(c).into()
}

impl Toy {
    fn new(n: u8, country: u8) -> Toy {
        Toy {
            me: [n; 32],
            country,
            ..Toy::default()
        }
    }
    fn pair(&mut self, other: &Toy) {
        self.peers
            .insert(other.me, (other.country, PeerState::default()));
    }
    fn write(&mut self, doc: u8, vis: Option<u8>, text: &str) {
        let id = [doc; 16];
        let change = format!("{}:{text}", hex(&self.me[..2])).into_bytes();
        let e = self.docs.entry(id).or_insert((vis, BTreeSet::new()));
        if e.1.insert(change.clone()) {
            self.log.push((id, change, None));
        }
    }
    fn may_hold(&self, vis: Option<u8>, country: u8) -> bool {
        vis.is_none_or(|c| c == country)
    }
    fn position(&self, seq: u64) -> Cursor {
        if seq == 0 {
            Cursor::start()
        } else {
            Cursor::at(seq, h(&self.log[seq as usize - 1].1))
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Replica for Toy {
    type Error = ToyError;
    fn peer_state(&mut self, peer: &PeerKey) -> Result<PeerState, ToyError> {
        Ok(self.peers.get(peer).ok_or(ToyError)?.1.clone())
    }
    fn log_end(&mut self) -> Result<Cursor, ToyError> {
        Ok(self.position(self.log.len() as u64))
    }
    fn has_position(&mut self, at: &Cursor) -> Result<bool, ToyError> {
        Ok(at.seq as usize <= self.log.len() && self.position(at.seq) == *at)
    }
    fn holds_any_for(&mut self, peer: &PeerKey) -> Result<bool, ToyError> {
        let c = self.peers.get(peer).ok_or(ToyError)?.0;
        Ok(self.docs.values().any(|(v, _)| self.may_hold(*v, c)))
    }
    fn page_for(
        &mut self,
        peer: &PeerKey,
        after: &Cursor,
        whole: &Wants,
        max_bytes: u32,
    ) -> Result<Page, ToyError> {
        let c = self.peers.get(peer).ok_or(ToyError)?.0;
        let mut groups: Vec<Group> = vec![];
        let mut bytes = 0usize;
        let mut to = after.seq;
        for (i, (doc, change, source)) in self.log.iter().enumerate().skip(after.seq as usize) {
            if bytes >= max_bytes as usize {
                break;
            }
            to = i as u64 + 1;
            let vis = self.docs[doc].0;
            if !self.may_hold(vis, c) || source.as_ref() == Some(peer) {
                continue;
            }
            bytes += change.len();
            match groups
                .iter_mut()
                .find(|g| g.doc.is_some_and(|d| *d == *doc))
            {
                Some(g) => g.changes.push(ByteBuf::from(change.clone())),
                None => groups.push(Group {
                    doc: Some(ByteArray::new(*doc)),
                    kind: Some("case".into()),
                    changes: vec![ByteBuf::from(change.clone())],
                    full: false,
                    part: false,
                }),
            }
        }
        let mut unavailable = vec![];
        for d in &whole.docs {
            match self.docs.get(&**d) {
                Some((vis, set)) if self.may_hold(*vis, c) => groups.push(Group {
                    doc: Some(*d),
                    kind: Some("case".into()),
                    changes: set.iter().map(|c| ByteBuf::from(c.clone())).collect(),
                    full: true,
                    part: false,
                }),
                _ => unavailable.push(*d),
            }
        }
        Ok(Page {
            base: after.clone(),
            to: self.position(to),
            more: (to as usize) < self.log.len(),
            remaining: self.log.len() as u64 - to,
            groups,
            unavailable,
            ..Page::default()
        })
    }
    fn apply(&mut self, peer: &PeerKey, page: &Page) -> Result<Applied, ToyError> {
        if std::mem::take(&mut self.fail_next_apply) {
            return Err(ToyError);
        }
        let mut out = Applied::default();
        let mut refused = vec![];
        for g in &page.groups {
            // The toy always names documents.
            let doc = g.doc.ok_or(ToyError)?;
            // The sender's visibility is the creator's: recover it from the
            // toy's convention (docs >= 100 are national to country doc-100).
            let vis = (doc[0] >= 100).then(|| doc[0] - 100);
            if !self.may_hold(vis, self.country) {
                refused.push(Refusal {
                    doc: Some(doc),
                    change: None,
                    reason: RefusalReason::NotInAudience,
                });
                continue;
            }
            let e = self.docs.entry(*doc).or_insert((vis, BTreeSet::new()));
            let mut changed = false;
            for c in &g.changes {
                if e.1.insert(c.to_vec()) {
                    self.log.push((*doc, c.to_vec(), Some(*peer)));
                    out.changes += 1;
                    changed = true;
                }
            }
            out.docs += u64::from(changed);
            if g.full {
                self.peers
                    .get_mut(peer)
                    .ok_or(ToyError)?
                    .1
                    .want
                    .docs
                    .retain(|d| *d != doc);
            }
        }
        let st = &mut self.peers.get_mut(peer).ok_or(ToyError)?.1;
        st.want.docs.retain(|d| !page.unavailable.contains(d));
        st.applied = page.to.clone();
        out.refused = refused;
        Ok(out)
    }
    fn set_acked(&mut self, peer: &PeerKey, to: &Cursor) -> Result<(), ToyError> {
        self.peers.get_mut(peer).ok_or(ToyError)?.1.acked = to.clone();
        Ok(())
    }
    fn set_applied(&mut self, peer: &PeerKey, to: &Cursor) -> Result<(), ToyError> {
        self.peers.get_mut(peer).ok_or(ToyError)?.1.applied = to.clone();
        Ok(())
    }
    fn want(&mut self, peer: &PeerKey, docs: &[DocId]) -> Result<(), ToyError> {
        let st = &mut self.peers.get_mut(peer).ok_or(ToyError)?.1;
        for d in docs {
            if !st.want.docs.contains(d) {
                st.want.docs.push(*d);
            }
        }
        Ok(())
    }
    fn summary(
        &mut self,
        peer: &PeerKey,
        after: Option<&DocId>,
        through: Option<&DocId>,
        limit: usize,
    ) -> Result<Vec<(DocId, u64)>, ToyError> {
        let c = self.peers.get(peer).ok_or(ToyError)?.0;
        Ok(self
            .docs
            .iter()
            .filter(|(id, (v, _))| {
                self.may_hold(*v, c)
                    && after.is_none_or(|a| id.as_slice() > a.as_slice())
                    && through.is_none_or(|t| id.as_slice() <= t.as_slice())
            })
            .take(limit)
            .map(|(id, (_, set))| {
                let mut s = Sha256::new();
                for c in set {
                    s.update(c);
                }
                let d: [u8; 32] = s.finalize().into();
                (
                    ByteArray::new(*id),
                    u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]),
                )
            })
            .collect())
    }
}

fn connected(a: &mut Toy, b: &mut Toy) {
    let (ka, kb) = (a.me, b.me);
    let stats = run_in_memory(a, &ka, b, &kb, 64, &mut |_| true).expect("sync");
    assert!(stats.requests >= 1);
}

fn visible(t: &Toy, country: u8) -> BTreeMap<[u8; 16], BTreeSet<Vec<u8>>> {
    t.docs
        .iter()
        .filter(|(_, (v, _))| v.is_none_or(|c| c == country))
        .map(|(k, (_, s))| (*k, s.clone()))
        .collect()
}

#[test]
fn a_cut_session_resumes_where_it_stopped() {
    let mut a = Toy::new(1, 1);
    let mut b = Toy::new(2, 2);
    a.pair(&b);
    b.pair(&a);
    // 200 changes to 90 regional documents (the toy keeps ids from 100 up
    // for national ones).
    for i in 0..200u8 {
        b.write(
            i % 90,
            None,
            &format!("cambio {i} con bastante texto para llenar una página"),
        );
    }
    let count = |t: &Toy| t.docs.values().map(|(_, s)| s.len()).sum::<usize>();
    // The link dies after 5 messages: some pages arrived, then nothing.
    let mut sent = 0;
    let (ka, kb) = (a.me, b.me);
    let err = run_in_memory(&mut a, &ka, &mut b, &kb, 256, &mut |_| {
        sent += 1;
        sent <= 5
    })
    .expect_err("cut");
    assert!(matches!(err, SyncError::Transport(_)));
    let got = count(&a);
    assert!(got > 0 && got < 200, "part arrived: {got}");
    let position = a.peers[&kb].1.applied.seq;
    assert!(position > 0);
    // Resumed: the rest arrives, nothing is sent twice.
    let stats = run_in_memory(&mut a, &ka, &mut b, &kb, 256, &mut |_| true).expect("sync");
    assert_eq!(count(&a), 200);
    assert_eq!(stats.traffic.changes_received, 200 - got as u64);
    assert!(!stats.reconciled);
}

#[test]
fn a_failed_apply_changes_no_position() {
    let mut a = Toy::new(1, 1);
    let mut b = Toy::new(2, 2);
    a.pair(&b);
    b.pair(&a);
    b.write(1, None, "x");
    a.fail_next_apply = true;
    let (ka, kb) = (a.me, b.me);
    let err = run_in_memory(&mut a, &ka, &mut b, &kb, 4096, &mut |_| true).expect_err("fails");
    assert!(matches!(err, SyncError::Local(_)));
    assert_eq!(a.peers[&kb].1.applied, Cursor::start());
    connected(&mut a, &mut b);
    assert_eq!(a.docs.len(), 1);
}

#[test]
fn a_restored_peer_is_reconciled_by_heads() {
    let mut a = Toy::new(1, 1);
    let mut b = Toy::new(2, 1);
    a.pair(&b);
    b.pair(&a);
    for i in 0..10 {
        a.write(i, None, "a");
        b.write(i + 10, None, "b");
    }
    connected(&mut a, &mut b);
    assert_eq!(visible(&a, 1), visible(&b, 1));
    // b is restored from a backup taken before the sync, then writes more:
    // its log positions now mean other changes.
    let mut restored = Toy::new(2, 1);
    restored.pair(&a);
    for i in 0..10 {
        restored.write(i + 10, None, "b");
    }
    restored.write(30, None, "after restore");
    restored.write(3, None, "b edits a's doc");
    let mut b = restored;
    // b's own cursors are gone (restored), a's point into b's old log.
    let (ka, kb) = (a.me, b.me);
    let stats = run_in_memory(&mut a, &ka, &mut b, &kb, 4096, &mut |_| true).expect("sync");
    assert!(stats.reconciled, "doubtful positions lead to heads");
    connected(&mut b, &mut a);
    assert_eq!(visible(&a, 1), visible(&b, 1));
    assert!(a.docs.contains_key(&[30; 16]));
    assert_eq!(a.docs[&[3; 16]].1.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Three to five toy nodes write under random partitions and cut
    /// links; healed, every node holds exactly what it may, and everything.
    #[test]
    fn toy_nodes_converge_after_partitions(
        n in 3usize..=5,
        steps in proptest::collection::vec((0usize..5, 0usize..5, 0u8..12, any::<bool>(), 0u32..6), 1..60),
    ) {
        let mut nodes: Vec<Toy> = (0..n).map(|i| Toy::new(i as u8 + 1, (i % 3) as u8)).collect();
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let other = nodes[j].clone();
                    nodes[i].pair(&other);
                }
            }
        }
        for (step, (a, b, doc, national, cut)) in steps.into_iter().enumerate() {
            let (a, b) = (a % n, b % n);
            let country = nodes[a].country;
            let (id, vis) = if national { (100 + country, Some(country)) } else { (doc, None) };
            nodes[a].write(id, vis, &format!("paso {step}"));
            if a != b {
                let (x, y) = if a < b { let (l, r) = nodes.split_at_mut(b); (&mut l[a], &mut r[0]) } else { let (l, r) = nodes.split_at_mut(a); (&mut r[0], &mut l[b]) };
                let (kx, ky) = (x.me, y.me);
                let mut left = cut;
                // cut == 0 means the link never breaks.
                let _ = run_in_memory(x, &kx, y, &ky, 48, &mut |_| { if cut == 0 { return true; } left = left.saturating_sub(1); left > 0 });
            }
        }
        // Heal: everyone syncs with everyone, twice.
        for _ in 0..2 {
            for i in 0..n {
                for j in 0..n {
                    if i == j { continue; }
                    let (x, y) = if i < j { let (l, r) = nodes.split_at_mut(j); (&mut l[i], &mut r[0]) } else { let (l, r) = nodes.split_at_mut(i); (&mut r[0], &mut l[j]) };
                    let (kx, ky) = (x.me, y.me);
                    run_in_memory(x, &kx, y, &ky, 48, &mut |_| true).expect("healed sync");
                }
            }
        }
        for c in 0..3u8 {
            let holders: Vec<&Toy> = nodes.iter().filter(|t| t.country == c).collect();
            for w in holders.windows(2) {
                prop_assert_eq!(visible(w[0], c), visible(w[1], c));
            }
        }
        // Nothing national left its country.
        for t in &nodes {
            for (id, (vis, _)) in &t.docs {
                prop_assert!(vis.is_none_or(|c| c == t.country), "{:?} on a node of {}", id, t.country);
            }
        }
        // Every regional document everywhere.
        let all: BTreeSet<[u8; 16]> = nodes.iter().flat_map(|t| t.docs.iter().filter(|(_, (v, _))| v.is_none()).map(|(k, _)| *k)).collect();
        for t in &nodes {
            let have: BTreeSet<[u8; 16]> = t.docs.iter().filter(|(_, (v, _))| v.is_none()).map(|(k, _)| *k).collect();
            prop_assert_eq!(&have, &all);
        }
    }
}

#[test]
fn an_audit_head_with_too_many_confirmations_is_refused() {
    let head = |n: usize| RoundRequest {
        v: VERSION,
        pull: Pull {
            after: Cursor::start(),
            max_bytes: 1 << 20,
        },
        push: None,
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: Some(AuditHead {
            seq: 9,
            hash: ByteArray::new([1; 32]),
            confirms: (0..n as u64)
                .map(|i| (i, ByteArray::new([2; 32])))
                .collect(),
        }),
    };
    let ok = head(MAX_CONFIRMS);
    let back: RoundRequest = codec::decode(&codec::encode(&ok), &LIMITS).expect("decodes");
    assert_eq!(back, ok);
    let err = codec::decode::<RoundRequest>(&codec::encode(&head(MAX_CONFIRMS + 1)), &LIMITS)
        .expect_err("refused");
    assert!(err.to_string().contains("confirmed audit heads"), "{err}");
}
