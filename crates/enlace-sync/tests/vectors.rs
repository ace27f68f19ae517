//! Golden vectors of the wire format: every `/sync/v1` message and the
//! bundle file, as committed bytes under `tests/vectors/v{VERSION}/`.
//!
//! Each message is built here from fixed values (fixed keys; Ed25519
//! signatures are deterministic) and must encode to the committed CBOR
//! byte for byte, and the committed bytes must decode to it. A change to a
//! field's name, type, order or omission rule therefore fails this test
//! until the protocol version (`wire::VERSION`), the vectors and
//! docs/sync-protocol.md change together: a new version writes its own
//! vectors (`ENLACE_WRITE_VECTORS=1 cargo test --test vectors`) beside the
//! old ones, and the document must name it.
//!
//! The CBOR is what is pinned; the zstd frame around it is checked to
//! decode, not byte for byte (another zstd build may compress differently
//! and still be read by every node).

use std::path::PathBuf;

use ed25519_dalek::SigningKey;
use enlace_sync::bundle::{self, BundleBody};
use enlace_sync::codec::{self, Checked, LIMITS};
use enlace_sync::proof::{self, ProofSource};
use enlace_sync::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_bytes::{ByteArray, ByteBuf};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(format!("v{VERSION}"))
}

fn writing() -> bool {
    std::env::var_os("ENLACE_WRITE_VECTORS").is_some_and(|v| v == "1")
}

/// Hex, 64 digits a line, so a diff shows where bytes changed.
fn to_hex(bytes: &[u8]) -> String {
    let h = hex::encode(bytes);
    let mut out = String::with_capacity(h.len() + h.len() / 64 + 1);
    for line in h.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

fn from_hex(text: &str) -> Vec<u8> {
    let joined: String = text.split_whitespace().collect();
    hex::decode(joined).expect("a vector file holds hex")
}

/// The committed vector `name`, or, when writing, `bytes` written as it.
fn golden(name: &str, bytes: &[u8]) -> Vec<u8> {
    let path = dir().join(format!("{name}.hex"));
    if writing() {
        std::fs::create_dir_all(dir()).expect("vector dir");
        std::fs::write(&path, to_hex(bytes)).expect("write vector");
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: a new protocol version writes its vectors with ENLACE_WRITE_VECTORS=1",
            path.display()
        )
    });
    from_hex(&text)
}

fn cbor<T: Serialize>(msg: &T) -> Vec<u8> {
    let mut out = vec![];
    ciborium::into_writer(msg, &mut out).expect("encode");
    out
}

/// `msg` encodes to the vector `name`, and the vector (in a zstd frame, as
/// it travels) decodes to `msg`.
fn check<T>(name: &str, msg: &T)
where
    T: Serialize + DeserializeOwned + Checked + PartialEq + std::fmt::Debug,
{
    let bytes = cbor(msg);
    let committed = golden(name, &bytes);
    assert_eq!(
        to_hex(&bytes),
        to_hex(&committed),
        "{name}: the encoding changed; a wire change needs a new protocol version"
    );
    let decoded: T = codec::decode(&codec::compress(&committed), &LIMITS)
        .unwrap_or_else(|e| panic!("{name}: the committed bytes no longer decode: {e}"));
    assert_eq!(&decoded, msg, "{name}: decoded differently");
    // What a node sends decodes to the same.
    let sent: T = codec::decode(&codec::encode(msg), &LIMITS).expect("round trip");
    assert_eq!(&sent, msg, "{name}: round trip");
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn doc(n: u8) -> DocId {
    ByteArray::new([n; 16])
}

fn hash(n: u8) -> Hash {
    ByteArray::new([n; 32])
}

/// A page with every field in use: a roster entry, proofs (the sender's
/// own and a relayed author's with a hidden member), a group that starts
/// a document, one that extends one, a whole document, a part of one, and
/// documents unavailable.
fn full_page() -> Page {
    let sender = key(1);
    let author = key(2);
    let changes: Vec<Vec<u8>> = (0..4u8).map(|i| vec![0x85, 0x6f, 0x4a, 0x83, i]).collect();
    let hashes: Vec<[u8; 32]> = (0..4u8).map(|i| [0x40 + i; 32]).collect();
    let relayed = proof::StoredProof {
        id: 7,
        author: author.verifying_key().to_bytes(),
        sig: author
            .sign_message(&proof::proof_message(
                &author.verifying_key().to_bytes(),
                &[hashes[2], hashes[3], [0x99; 32]],
            ))
            .to_bytes(),
        members: vec![hashes[2], hashes[3], [0x99; 32]],
    };
    let sources: Vec<([u8; 32], ProofSource)> = vec![
        (hashes[0], ProofSource::Own { class: 1 }),
        (hashes[1], ProofSource::Own { class: 1 }),
        (hashes[2], ProofSource::Stored(relayed.clone())),
        (hashes[3], ProofSource::Stored(relayed)),
    ];
    Page {
        base: Cursor::at(3, [0x33; 32]),
        to: Cursor::at(7, [0x77; 32]),
        more: true,
        remaining: 12,
        roster: vec![proof::vouch(
            &sender,
            &author.verifying_key().to_bytes(),
            "GT",
            "Fiscalía de Quetzaltenango",
        )],
        // Added to version 1 after these bytes were pinned (a field an
        // older node ignores): carried by `round_request_revocation`.
        revocations: vec![],
        proofs: proof::build_proofs(&sender, &sources),
        groups: vec![
            Group {
                doc: Some(doc(0xa1)),
                kind: Some("case".into()),
                changes: vec![ByteBuf::from(changes[0].clone())],
                full: false,
                part: false,
            },
            Group {
                doc: None,
                kind: None,
                changes: vec![ByteBuf::from(changes[1].clone())],
                full: false,
                part: false,
            },
            Group {
                doc: Some(doc(0xa2)),
                kind: Some("legal_assessment".into()),
                changes: vec![ByteBuf::from(changes[2].clone())],
                full: true,
                part: false,
            },
            Group {
                doc: Some(doc(0xa3)),
                kind: Some("plan_task".into()),
                changes: vec![ByteBuf::from(changes[3].clone())],
                full: false,
                part: true,
            },
        ],
        unavailable: vec![doc(0xb1)],
        unavailable_changes: vec![hash(0xb2)],
    }
}

trait SignMessage {
    fn sign_message(&self, msg: &[u8]) -> ed25519_dalek::Signature;
}

impl SignMessage for SigningKey {
    fn sign_message(&self, msg: &[u8]) -> ed25519_dalek::Signature {
        use ed25519_dalek::Signer;
        self.sign(msg)
    }
}

#[test]
fn every_sync_v1_message_matches_its_committed_bytes() {
    check(
        "round_request_first",
        &RoundRequest {
            v: VERSION,
            pull: Pull {
                after: Cursor::start(),
                max_bytes: 1 << 20,
            },
            push: None,
            need: vec![],
            need_changes: vec![],
            need_after: vec![],
            audit: None,
        },
    );
    // A page that carries only a revocation: Guatemala's hub withdraws a
    // laptop's key, keeping two of its changes.
    check(
        "round_request_revocation",
        &RoundRequest {
            v: VERSION,
            pull: Pull {
                after: Cursor::at(7, [0x07; 32]),
                max_bytes: 1 << 20,
            },
            push: Some(Page {
                base: Cursor::at(9, [0x09; 32]),
                to: Cursor::at(9, [0x09; 32]),
                revocations: vec![proof::revoke(
                    &SigningKey::from_bytes(&[0x11; 32]),
                    &SigningKey::from_bytes(&[0x22; 32])
                        .verifying_key()
                        .to_bytes(),
                    "GT",
                    "2026-12-06T10:30:00Z",
                    &[[0x5a; 32], [0x0c; 32]],
                )],
                ..Page::default()
            }),
            need: vec![],
            need_changes: vec![],
            need_after: vec![],
            audit: None,
        },
    );
    // The client's audit log head, confirming two heads it showed the
    // server before (v1 addition: absent from older clients' rounds).
    check(
        "round_request_audit",
        &RoundRequest {
            v: VERSION,
            pull: Pull {
                after: Cursor::at(7, [0x07; 32]),
                max_bytes: 1 << 20,
            },
            push: None,
            need: vec![],
            need_changes: vec![],
            need_after: vec![],
            audit: Some(AuditHead {
                seq: 120,
                hash: hash(0xa1),
                confirms: vec![(64, hash(0xa2)), (97, hash(0xa3))],
            }),
        },
    );
    check(
        "round_request_full",
        &RoundRequest {
            v: VERSION,
            pull: Pull {
                after: Cursor::at(41, [0x41; 32]),
                max_bytes: 65_536,
            },
            push: Some(full_page()),
            need: vec![doc(0xc1)],
            need_changes: vec![hash(0xc2)],
            need_after: vec![(doc(0xc3), hash(0xc4))],
            audit: None,
        },
    );
    check(
        "round_response_applied",
        &RoundResponse {
            v: VERSION,
            pushed: Pushed::Applied {
                to: Cursor::at(7, [0x77; 32]),
                refused: vec![
                    Refusal {
                        doc: Some(doc(0xa1)),
                        change: Some(hash(0x40)),
                        reason: RefusalReason::Equivocation,
                    },
                    Refusal {
                        doc: None,
                        change: Some(hash(0x41)),
                        reason: RefusalReason::UnknownAuthor,
                    },
                    Refusal {
                        doc: Some(doc(0xa2)),
                        change: None,
                        reason: RefusalReason::NotInAudience,
                    },
                ],
            },
            pull: Pulled::Page(full_page()),
            need: vec![doc(0xd1)],
            need_changes: vec![hash(0xd2)],
            need_after: vec![(doc(0xd3), hash(0xd4))],
            audit: None,
        },
    );
    check(
        "round_response_nothing",
        &RoundResponse {
            v: VERSION,
            pushed: Pushed::Nothing,
            pull: Pulled::Page(Page {
                base: Cursor::at(9, [0x99; 32]),
                to: Cursor::at(9, [0x99; 32]),
                ..Page::default()
            }),
            need: vec![],
            need_changes: vec![],
            need_after: vec![],
            audit: None,
        },
    );
    check(
        "round_response_resync_doubtful",
        &RoundResponse {
            v: VERSION,
            pushed: Pushed::Resync {
                expected: Cursor::at(2, [0x22; 32]),
            },
            pull: Pulled::Doubtful {
                log: Cursor::at(5000, [0x55; 32]),
            },
            need: vec![],
            need_changes: vec![],
            need_after: vec![],
            audit: None,
        },
    );
    check(
        "reconcile_request",
        &ReconcileRequest {
            v: VERSION,
            log: Cursor::at(120, [0x12; 32]),
            after: Some(doc(0x10)),
            through: Some(doc(0xf0)),
            docs: vec![(doc(0x11), 0x0123_4567_89ab_cdef), (doc(0x12), u64::MAX)],
        },
    );
    check(
        "reconcile_response",
        &ReconcileResponse {
            v: VERSION,
            log: Cursor::at(99, [0x98; 32]),
            send_you: vec![doc(0x11)],
            compared_through: Some(doc(0x80)),
            complete: false,
        },
    );
    check(
        "error_body",
        &ErrorBody {
            code: "version".into(),
            message: "this node speaks /sync/v1".into(),
        },
    );
}

/// A bundle sealed once (HPKE draws a fresh key each time, so the file is
/// the vector, not its recipe): this build must open it, with its header
/// and pages as they were written.
#[test]
fn the_committed_bundle_opens_to_what_was_sealed() {
    let (sender, recipient) = (key(1), key(3));
    let body = BundleBody {
        applied: Cursor::at(4, [0x44; 32]),
        need: vec![doc(0xe1)],
        need_changes: vec![hash(0xe2)],
        need_after: vec![(doc(0xe3), hash(0xe4))],
        pages: vec![full_page(), Page::default()],
    };
    let name = "bundle";
    let file = if writing() {
        let sealed = bundle::seal(
            &sender,
            &recipient.verifying_key().to_bytes(),
            5,
            "2026-12-06T12:00:00Z",
            &body,
        )
        .expect("seal");
        golden(name, &sealed)
    } else {
        golden(name, &[])
    };
    let opened = bundle::open(&recipient, &file).expect("the committed bundle opens");
    assert_eq!(opened.header.v, VERSION);
    assert_eq!(*opened.header.sender, sender.verifying_key().to_bytes());
    assert_eq!(
        *opened.header.recipient,
        recipient.verifying_key().to_bytes()
    );
    assert_eq!(opened.header.seq, 5);
    assert_eq!(opened.header.created, "2026-12-06T12:00:00Z");
    assert_eq!(opened.applied, body.applied);
    assert_eq!(opened.wants.docs, body.need);
    assert_eq!(opened.wants.changes, body.need_changes);
    assert_eq!(opened.wants.after, body.need_after);
    let pages: Vec<Page> = opened
        .pages()
        .collect::<Result<_, _>>()
        .expect("every page reads");
    assert_eq!(pages, body.pages);
    // Sealing again gives the same header but for the fresh key, the
    // digest of the new ciphertext and the signature over them.
    let (header, _) = bundle::read_header(&file).expect("header");
    let again = bundle::seal(
        &sender,
        &recipient.verifying_key().to_bytes(),
        5,
        "2026-12-06T12:00:00Z",
        &body,
    )
    .expect("seal");
    let (fresh, _) = bundle::read_header(&again).expect("header");
    assert_eq!((fresh.v, fresh.seq), (header.v, header.seq));
    assert_eq!(fresh.created, header.created);
    assert_eq!(
        (fresh.sender, fresh.recipient),
        (header.sender, header.recipient)
    );
    assert_ne!(fresh.enc, header.enc, "a fresh key each time");
    // Any other node cannot open it.
    assert!(bundle::open(&key(4), &file).is_err());
}

#[test]
fn the_protocol_document_names_this_version_and_its_vectors() {
    let doc = include_str!("../../../docs/sync-protocol.md");
    for needle in [
        format!("/sync/v{VERSION}/round"),
        format!("/sync/v{VERSION}/reconcile"),
        format!("crates/enlace-sync/tests/vectors/v{VERSION}"),
    ] {
        assert!(
            doc.contains(&needle),
            "docs/sync-protocol.md does not mention {needle}"
        );
    }
}
