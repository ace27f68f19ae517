//! What a hostile paired peer can send, byte for byte, and what decoding
//! it costs: every message here was accepted (and some made a node
//! allocate gigabytes) before the decoder counted as it read. Memory is
//! measured by a counting allocator, per thread (the decode runs on the
//! test's own thread).

// A counting global allocator needs `unsafe impl GlobalAlloc`; it only
// forwards to the system allocator. Test code only.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use ed25519_dalek::SigningKey;
use enlace_sync::bundle::{self, BundleBody, BundleError};
use enlace_sync::codec::{self, LIMITS};
use enlace_sync::proof;
use enlace_sync::*;
use proptest::prelude::*;
use serde_bytes::{ByteArray, ByteBuf};

struct Counting;

thread_local! {
    static NOW: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = NOW.try_with(|now| {
        let n = now.get() + delta;
        now.set(n);
        let _ = PEAK.try_with(|p| p.set(p.get().max(n)));
    });
}

// SAFETY: every call forwards to the system allocator with the same
// arguments; the counting touches only thread-locals without allocating.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: as the caller's contract.
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            note(l.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: as the caller's contract.
        unsafe { System.dealloc(p, l) };
        note(-(l.size() as isize));
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        // SAFETY: as the caller's contract.
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            note(new as isize - l.size() as isize);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns its result with the most memory this thread held
/// at once while it ran, above what it held before.
fn peak<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = NOW.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let out = f();
    let top = PEAK.with(Cell::get);
    (out, usize::try_from(top - start).unwrap_or(0))
}

const MIB: usize = 1 << 20;

fn group(changes: Vec<ByteBuf>) -> Group {
    Group {
        doc: Some(ByteArray::new([1; 16])),
        kind: Some("case".into()),
        changes,
        full: false,
        part: false,
    }
}

fn empty_changes(n: usize) -> Vec<ByteBuf> {
    vec![ByteBuf::new(); n]
}

fn round_with(page: Page) -> RoundRequest {
    RoundRequest {
        v: VERSION,
        pull: Pull {
            after: Cursor::start(),
            max_bytes: 1 << 20,
        },
        push: Some(page),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: None,
    }
}

/// The bundle: 200,000 empty changes and 200,000 ranges that each
/// name all of them. It made `enlace bundle import` (and `enlace serve`,
/// given the same page) allocate 4 GiB verifying the proof.
#[test]
fn the_612_byte_bundle_is_refused_small_and_fast() {
    let page = enlace_sync::testing::the_612_byte_page();
    let sender = SigningKey::from_bytes(&[1; 32]);
    let recipient = SigningKey::from_bytes(&[2; 32]);
    let body = BundleBody {
        applied: Cursor::start(),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        pages: vec![page],
    };
    let file = bundle::seal(
        &sender,
        &recipient.verifying_key().to_bytes(),
        1,
        "2026-12-06T00:00:00Z",
        &body,
    )
    .expect("seal");
    drop(body);
    assert!(
        file.len() < 2048,
        "the attack fits on a postcard: {}",
        file.len()
    );
    let (opened, used) = peak(|| bundle::open(&recipient, &file));
    let err = opened.expect_err("refused");
    assert!(
        matches!(&err, BundleError::Content(WireError::Invalid(m))
            if m.contains("named by two proofs") || m.contains("overlap") || m.contains("a proof over")),
        "{err:?}"
    );
    assert!(used < 64 * MIB, "decoding held {} MiB", used / MIB);
}

/// A page of ten million empty changes is 10 MB of CBOR and 240 MB of
/// vectors: it is refused as soon as the 200,001st change is read.
#[test]
fn long_lists_are_refused_while_they_are_read() {
    let req = round_with(Page {
        groups: vec![group(empty_changes(10_000_000))],
        ..Page::default()
    });
    let body = codec::encode(&req);
    drop(req);
    assert!(body.len() < 64 * 1024, "{}", body.len());
    let (decoded, used) = peak(|| codec::decode::<RoundRequest>(&body, &LIMITS));
    let err = decoded.expect_err("refused");
    assert!(
        err.to_string()
            .contains("more changes than one message may carry"),
        "{err}"
    );
    assert!(used < 64 * MIB, "decoding held {} MiB", used / MIB);

    // The same through the answer a hostile server gives a client (a value
    // tagged by `status`, which serde would otherwise buffer whole first).
    let resp = RoundResponse {
        v: VERSION,
        pushed: Pushed::Nothing,
        pull: Pulled::Page(Page {
            groups: (0..2_000_000)
                .map(|_| Group {
                    doc: None,
                    kind: None,
                    changes: vec![],
                    full: false,
                    part: false,
                })
                .collect(),
            ..Page::default()
        }),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: None,
    };
    let body = codec::encode(&resp);
    drop(resp);
    let (decoded, used) = peak(|| codec::decode::<RoundResponse>(&body, &LIMITS));
    let err = decoded.expect_err("refused");
    assert!(
        err.to_string()
            .contains("more documents than one message may carry"),
        "{err}"
    );
    assert!(used < 64 * MIB, "decoding held {} MiB", used / MIB);
}

fn page_of(changes: usize, proofs: Vec<Vec<[u32; 2]>>) -> Page {
    Page {
        base: Cursor::start(),
        to: Cursor::at(1, [1; 32]),
        proofs: proofs
            .into_iter()
            .map(|members| Proof {
                author: None,
                sig: ByteArray::new([0; 64]),
                members,
                hidden: vec![],
            })
            .collect(),
        groups: vec![group(
            (0..changes).map(|i| ByteBuf::from(vec![i as u8])).collect(),
        )],
        ..Page::default()
    }
}

#[test]
fn proof_ranges_name_each_change_once() {
    let check = |proofs: Vec<Vec<[u32; 2]>>, ok: bool| {
        let got = codec::decode::<Page>(&codec::encode(&page_of(6, proofs.clone())), &LIMITS);
        assert_eq!(got.is_ok(), ok, "{proofs:?}: {got:?}");
    };
    check(vec![vec![[0, 6]]], true);
    check(vec![vec![[0, 2], [4, 2]], vec![[2, 2]]], true);
    check(vec![vec![[0, 3], [2, 2]]], false); // overlap in one proof
    check(vec![vec![[3, 1], [0, 2]]], false); // out of order
    check(vec![vec![[0, 3]], vec![[2, 1]]], false); // named by two proofs
    check(vec![vec![[0, 6]], vec![[0, 6]]], false); // a proof repeated
    check(vec![vec![[5, 2]]], false); // past the end
    check(vec![vec![[1, 0]]], false); // empty range
    check(vec![vec![[0, 6]], vec![]], false); // a proof naming nothing (a free signature check)
}

/// The whole of a bundle is never held decoded: one page that
/// decompresses past a message's limit is refused as it is read.
#[test]
fn a_bundle_page_cannot_decompress_past_a_message() {
    let big = ByteBuf::from(vec![0u8; 60 * MIB]);
    let body = BundleBody {
        applied: Cursor::start(),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        pages: vec![Page {
            groups: vec![group(vec![big])],
            ..Page::default()
        }],
    };
    let recipient = SigningKey::from_bytes(&[4; 32]);
    let file = bundle::seal(
        &SigningKey::from_bytes(&[3; 32]),
        &recipient.verifying_key().to_bytes(),
        1,
        "2026-12-06T00:00:00Z",
        &body,
    )
    .expect("seal");
    drop(body);
    assert!(file.len() < MIB, "{}", file.len());
    let (opened, used) = peak(|| bundle::open(&recipient, &file));
    let err = opened.expect_err("refused");
    assert!(err.to_string().contains("decompresses to more"), "{err}");
    assert!(used < 80 * MIB, "decoding held {} MiB", used / MIB);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random proofs over a page (overlapping, repeated, out of order,
    /// past the end): the decoder refuses them or every change is named
    /// at most once, and verifying what passes reads each change once.
    #[test]
    fn random_proof_ranges_never_name_a_change_twice(
        changes in 1usize..40,
        proofs in proptest::collection::vec(
            proptest::collection::vec((0u32..45, 0u32..12), 0..6),
            0..5,
        ),
    ) {
        let proofs: Vec<Vec<[u32; 2]>> = proofs
            .into_iter()
            .map(|p| p.into_iter().map(|(s, c)| [s, c]).collect())
            .collect();
        let page = page_of(changes, proofs);
        if let Ok(page) = codec::decode::<Page>(&codec::encode(&page), &LIMITS) {
            let mut named = vec![0u32; changes];
            for p in &page.proofs {
                for i in proof::positions(p) {
                    named[i] += 1;
                }
            }
            prop_assert!(named.iter().all(|&n| n <= 1), "{named:?}");
            let hashes = vec![[0u8; 32]; changes];
            let covered = proof::verify_proofs(&page.proofs, &[0; 32], &hashes, &hashes);
            prop_assert_eq!(covered.len(), changes);
        }
    }
}
