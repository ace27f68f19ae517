//! Hostile inputs that several crates' tests send, kept here so each sends
//! the same bytes (a few lines, compiled into the library).

use serde_bytes::{ByteArray, ByteBuf};

use crate::wire::{Cursor, Group, Page, Proof};

/// The page of the 612-byte bundle (issue 13): 200,000 empty changes and
/// 200,000 proof ranges that each name all of them. Verifying it as it
/// was once accepted took 4 GiB; the decoder now refuses it.
pub fn the_612_byte_page() -> Page {
    let n = 200_000u32;
    Page {
        base: Cursor::start(),
        to: Cursor::at(1, [1; 32]),
        proofs: vec![Proof {
            author: None,
            sig: ByteArray::new([0; 64]),
            members: vec![[0, n]; n as usize],
            hidden: vec![],
        }],
        groups: vec![Group {
            doc: None,
            kind: None,
            changes: vec![ByteBuf::new(); n as usize],
            full: false,
            part: false,
        }],
        ..Page::default()
    }
}
