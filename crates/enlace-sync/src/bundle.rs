//! Sync bundles: what a peer has not acknowledged, in a file carried where
//! no network reaches (a USB stick).
//!
//! A bundle is `ENLBNDL1` (8 bytes), a header length (u32, big-endian), the
//! header (CBOR, readable without the recipient's key: who sent it, to
//! whom, its number) and the sealed body. The body — zstd'd CBOR of
//! [`BundleBody`] — is encrypted to the recipient's key with HPKE
//! (RFC 9180: X25519, HKDF-SHA256, ChaCha20-Poly1305; the X25519 keys are
//! the birationally equivalent forms of the nodes' Ed25519 keys, as
//! libsodium and age do), and the header, which names a SHA-256 of the
//! sealed body, is signed by the sender's Ed25519 key. So a bundle opens
//! only on its recipient, any change to a byte is detected before
//! anything is applied, and its number lets the recipient refuse a replay.

use std::cell::RefCell;
use std::sync::Arc;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use rand_core_09::OsRng;
use rand_core_09::TryRngCore;

use serde::{Deserialize, Serialize};
use serde_bytes::{ByteArray, ByteBuf};
use sha2::{Digest, Sha256};

use crate::bounded;
use crate::codec::{self, Checked, LIMITS, WireError};
use crate::wire::*;

const MAGIC: &[u8; 8] = b"ENLBNDL1";
const SIGN_DOMAIN: &[u8] = b"enlace/bundle/v1\0";
/// Largest bundle file accepted (a full sync of 10,000 cases is about 2 MB).
pub const MAX_BUNDLE: usize = 256 << 20;
/// Most bytes a bundle's body may decompress to, all pages together; each
/// page is decoded, checked and applied on its own, so what is held at a
/// time is one page.
pub const MAX_BUNDLE_DECODED: u64 = 2 << 30;

/// The readable part of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub v: u32,
    pub sender: Key,
    pub recipient: Key,
    /// The sender's bundle number for this recipient: each is higher than
    /// the last, so an old or replayed bundle is recognised.
    pub seq: u64,
    /// When it was made (RFC 3339; information only).
    pub created: String,
    /// HPKE's encapsulated key.
    pub enc: ByteBuf,
    /// SHA-256 of the sealed body.
    pub body_sha256: Hash,
    pub sig: Sig,
}

/// What a bundle carries (as it is written; [`open`] reads it back one
/// page at a time).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleBody {
    /// How far the sender has applied the recipient's log (lets the
    /// recipient's next bundle start there).
    pub applied: Cursor,
    /// Documents the sender wants whole from the recipient.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub need: Vec<DocId>,
    /// The same, known by one of their changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub need_changes: Vec<Hash>,
    /// The same, whose first part came already.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub need_after: Vec<(DocId, Hash)>,
    /// The sender's log for the recipient, in order.
    pub pages: Vec<Page>,
}

/// A bundle opened and checked: every page decodes and keeps the limits.
/// Its pages are decoded again, one at a time, by [`Opened::pages`].
#[derive(Debug)]
pub struct Opened {
    pub header: BundleHeader,
    /// The sender's position in the recipient's log.
    pub applied: Cursor,
    /// What the sender wants whole from the recipient.
    pub wants: crate::Wants,
    /// How many pages it holds.
    pub page_count: usize,
    /// The decrypted body, still compressed.
    plain: Arc<Vec<u8>>,
}

impl Opened {
    /// The pages in order, each decoded when it is asked for (a thread
    /// decodes at most one page ahead).
    pub fn pages(&self) -> Pages {
        let (send, recv) = std::sync::mpsc::sync_channel::<Result<Page, BundleError>>(1);
        let plain = Arc::clone(&self.plain);
        let worker = std::thread::spawn(move || {
            let pages = send.clone();
            let sink: PageSink = Box::new(move |_, page| pages.send(Ok(page)).is_ok());
            if let Err(e) = walk(&plain, sink) {
                let _ = send.send(Err(e));
            }
        });
        Pages {
            recv: Some(recv),
            worker: Some(worker),
        }
    }
}

/// The pages of an [`Opened`] bundle, decoded one at a time.
pub struct Pages {
    recv: Option<std::sync::mpsc::Receiver<Result<Page, BundleError>>>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Iterator for Pages {
    type Item = Result<Page, BundleError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.recv.as_ref()?.recv().ok()
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        // The decoder stops at its next page once nobody listens.
        self.recv = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// Where decoded pages go (page number, page); false stops the decoding.
type PageSink = Box<dyn FnMut(usize, Page) -> bool>;

thread_local! {
    /// The sink of the body being decoded on this thread, and why the
    /// decoding stopped when a page broke the protocol.
    static SINK: RefCell<Option<PageSink>> = const { RefCell::new(None) };
    static STOPPED: RefCell<Option<WireError>> = const { RefCell::new(None) };
    /// Bytes the page being decoded may still read (none: not in a page).
    static ALLOWANCE: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Reads a body, stopping a page that reads more than a message may
/// decompress to (so one page cannot make the decoder hold more than one
/// message's worth, whatever the bundle's total).
struct Metered<R>(R);

impl<R: std::io::Read> std::io::Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match ALLOWANCE.with(std::cell::Cell::get) {
            None => self.0.read(buf),
            Some(0) => Err(std::io::Error::other(format!(
                "a page decompresses to more than the {} bytes a message may",
                LIMITS.max_decoded
            ))),
            Some(left) => {
                let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let read = self.0.read(&mut buf[..n])?;
                ALLOWANCE.with(|a| a.set(Some(left - read as u64)));
                Ok(read)
            }
        }
    }
}

/// The fields of a body before its pages, and how many pages it had.
#[derive(Debug, Default)]
struct Walked {
    applied: Option<Cursor>,
    wants: crate::Wants,
    pages: usize,
}

/// Decodes a body (zstd'd CBOR) streaming: each page is decoded within the
/// budget of one message, checked, and handed to `sink`. Nothing but the
/// page at hand is held.
fn walk(plain: &[u8], sink: PageSink) -> Result<Walked, BundleError> {
    let mut dec = zstd::stream::read::Decoder::new(plain)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    dec.window_log_max(24)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    let mut reader = Metered(std::io::Read::take(dec, MAX_BUNDLE_DECODED));
    SINK.with(|s| *s.borrow_mut() = Some(sink));
    STOPPED.with(|s| *s.borrow_mut() = None);
    let decoded: Result<Body, WireError> = codec::decode_cbor(&mut reader, &LIMITS);
    SINK.with(|s| *s.borrow_mut() = None);
    if let Some(e) = STOPPED.with(|s| s.borrow_mut().take()) {
        return Err(e.into());
    }
    if reader.0.limit() == 0 {
        return Err(WireError::TooLarge {
            limit: MAX_BUNDLE_DECODED as usize,
        }
        .into());
    }
    let walked = decoded?.0;
    let l = &LIMITS;
    let w = &walked.wants;
    if w.docs.len() > l.max_needs || w.changes.len() > l.max_needs || w.after.len() > l.max_needs {
        return Err(WireError::Invalid("too many documents asked for".into()).into());
    }
    if walked.applied.is_none() {
        return Err(WireError::Invalid("a bundle without its position".into()).into());
    }
    Ok(walked)
}

/// A bundle's body as [`walk`] reads it.
struct Body(Walked);

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Body, D::Error> {
        d.deserialize_map(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> serde::de::Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a bundle body")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        #[derive(Deserialize)]
        #[serde(bound = "T: Deserialize<'de>")]
        struct Needs<T>(#[serde(deserialize_with = "bounded::needs")] Vec<T>);
        let mut out = Walked::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "applied" => out.applied = Some(map.next_value()?),
                "need" => out.wants.docs = map.next_value::<Needs<DocId>>()?.0,
                "need_changes" => out.wants.changes = map.next_value::<Needs<Hash>>()?.0,
                "need_after" => out.wants.after = map.next_value::<Needs<(DocId, Hash)>>()?.0,
                "pages" => out.pages = map.next_value::<PageCount>()?.0,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Body(out))
    }
}

/// The pages of a body, each handed to the sink as it is decoded.
struct PageCount(usize);

impl<'de> Deserialize<'de> for PageCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PageCount, D::Error> {
        d.deserialize_seq(PagesVisitor)
    }
}

struct PagesVisitor;

impl<'de> serde::de::Visitor<'de> for PagesVisitor {
    type Value = PageCount;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the pages of a bundle")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<PageCount, A::Error> {
        let stop = |e: WireError| {
            let text = e.to_string();
            STOPPED.with(|s| *s.borrow_mut() = Some(e));
            serde::de::Error::custom(text)
        };
        let mut n = 0usize;
        loop {
            // Each page has the budget of one message of its own, in
            // items and in bytes.
            ALLOWANCE.with(|a| a.set(Some(LIMITS.max_decoded as u64)));
            let page = bounded::with_budget(bounded::Budget::for_message(&LIMITS), || {
                seq.next_element::<Page>()
            });
            ALLOWANCE.with(|a| a.set(None));
            let page = page?;
            let Some(page) = page else {
                return Ok(PageCount(n));
            };
            if n >= bounded::MAX_PAGES {
                return Err(stop(WireError::Invalid(format!(
                    "more than {} pages in a bundle",
                    bounded::MAX_PAGES
                ))));
            }
            page.check(&LIMITS).map_err(stop)?;
            let go_on = SINK.with(|s| s.borrow_mut().as_mut().is_none_or(|f| f(n, page)));
            if !go_on {
                return Err(stop(WireError::Invalid("stopped by the reader".into())));
            }
            n += 1;
        }
    }
}

/// What is wrong with a bundle file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("the file is not an Enlace sync bundle")]
    NotABundle,
    #[error("the bundle is larger than the {MAX_BUNDLE} bytes allowed")]
    TooLarge,
    #[error("the bundle was made by a newer version of Enlace (format {0}); update this node")]
    Version(u32),
    #[error("the bundle is addressed to another node")]
    NotForThisNode { recipient: [u8; 32] },
    #[error("the bundle was altered after it was made (its signature or content does not match)")]
    Tampered,
    #[error("the bundle's content cannot be read: {0}")]
    Content(#[from] WireError),
}

fn sign_bytes(h: &BundleHeader) -> Vec<u8> {
    let mut m = Vec::with_capacity(256);
    m.extend_from_slice(SIGN_DOMAIN);
    m.extend_from_slice(&h.v.to_be_bytes());
    m.extend_from_slice(&*h.sender);
    m.extend_from_slice(&*h.recipient);
    m.extend_from_slice(&h.seq.to_be_bytes());
    m.extend_from_slice(&(h.created.len() as u32).to_be_bytes());
    m.extend_from_slice(h.created.as_bytes());
    m.extend_from_slice(&(h.enc.len() as u32).to_be_bytes());
    m.extend_from_slice(&h.enc);
    m.extend_from_slice(&*h.body_sha256);
    m
}

fn info(sender: &[u8; 32], recipient: &[u8; 32], seq: u64) -> Vec<u8> {
    let mut m = SIGN_DOMAIN.to_vec();
    m.extend_from_slice(sender);
    m.extend_from_slice(recipient);
    m.extend_from_slice(&seq.to_be_bytes());
    m
}

fn x25519_public(ed: &[u8; 32]) -> Option<<X25519HkdfSha256 as hpke::Kem>::PublicKey> {
    let vk = VerifyingKey::from_bytes(ed).ok()?;
    <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(&vk.to_montgomery().to_bytes()).ok()
}

/// Seals `body` for `recipient` (an Ed25519 public key), signed by `sender`.
pub fn seal(
    sender: &SigningKey,
    recipient: &[u8; 32],
    seq: u64,
    created: &str,
    body: &BundleBody,
) -> Result<Vec<u8>, BundleError> {
    let pk = x25519_public(recipient).ok_or(BundleError::NotForThisNode {
        recipient: *recipient,
    })?;
    let me = sender.verifying_key().to_bytes();
    let plain = codec::encode(body);
    let info = info(&me, recipient, seq);
    let (enc, sealed) =
        hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256, _>(
            &OpModeS::Base,
            &pk,
            &info,
            &plain,
            &info,
            &mut OsRng.unwrap_err(),
        )
        .map_err(|_| BundleError::Tampered)?;
    let mut header = BundleHeader {
        v: VERSION,
        sender: ByteArray::new(me),
        recipient: ByteArray::new(*recipient),
        seq,
        created: created.to_owned(),
        enc: ByteBuf::from(enc.to_bytes().to_vec()),
        body_sha256: ByteArray::new(Sha256::digest(&sealed).into()),
        sig: ByteArray::new([0; 64]),
    };
    header.sig = ByteArray::new(sender.sign(&sign_bytes(&header)).to_bytes());
    let mut head = Vec::new();
    ciborium::into_writer(&header, &mut head).map_err(|_| BundleError::NotABundle)?;
    let mut out = Vec::with_capacity(12 + head.len() + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Bytes at the start of a file that hold any bundle's header.
pub const HEADER_PREFIX: usize = 12 + 4096;

/// A bundle's header from the first [`HEADER_PREFIX`] bytes of a file,
/// for listing bundles found on a disk: **not** checked (neither the
/// signature nor the body); [`open`] checks everything before anything is
/// applied.
pub fn peek_header(prefix: &[u8]) -> Result<BundleHeader, BundleError> {
    if prefix.len() < 12 || &prefix[..8] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    let len = u32::from_be_bytes([prefix[8], prefix[9], prefix[10], prefix[11]]) as usize;
    if len > 4096 || prefix.len() < 12 + len {
        return Err(BundleError::NotABundle);
    }
    let header: BundleHeader =
        ciborium::from_reader(&prefix[12..12 + len]).map_err(|_| BundleError::NotABundle)?;
    if header.v != VERSION {
        return Err(BundleError::Version(header.v));
    }
    Ok(header)
}

/// Reads a bundle's header and checks its signature and integrity (no
/// key needed). Returns the header and the sealed body.
pub fn read_header(file: &[u8]) -> Result<(BundleHeader, &[u8]), BundleError> {
    if file.len() > MAX_BUNDLE {
        return Err(BundleError::TooLarge);
    }
    let header = peek_header(file)?;
    let len = u32::from_be_bytes([file[8], file[9], file[10], file[11]]) as usize;
    let sealed = &file[12 + len..];
    let digest: [u8; 32] = Sha256::digest(sealed).into();
    if digest != *header.body_sha256
        || !crate::proof::verify(&header.sender, &sign_bytes(&header), &header.sig)
    {
        return Err(BundleError::Tampered);
    }
    Ok((header, sealed))
}

/// Opens a bundle addressed to `me`: checks it (see [`read_header`]),
/// decrypts its body and checks every page (decoded one at a time, within
/// the limits of one message each). The pages are then read again with
/// [`Opened::pages`].
pub fn open(me: &SigningKey, file: &[u8]) -> Result<Opened, BundleError> {
    let (header, sealed) = read_header(file)?;
    let mine = me.verifying_key().to_bytes();
    if *header.recipient != mine {
        return Err(BundleError::NotForThisNode {
            recipient: *header.recipient,
        });
    }
    let sk = <X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(&me.to_scalar_bytes())
        .map_err(|_| BundleError::Tampered)?;
    let enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&header.enc)
        .map_err(|_| BundleError::Tampered)?;
    let info = info(&header.sender, &mine, header.seq);
    let plain = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
        &OpModeR::Base,
        &sk,
        &enc,
        &info,
        sealed,
        &info,
    )
    .map_err(|_| BundleError::Tampered)?;
    let walked = walk(&plain, Box::new(|_, _| true))?;
    Ok(Opened {
        header,
        applied: walked.applied.unwrap_or_default(),
        wants: walked.wants,
        page_count: walked.pages,
        plain: Arc::new(plain),
    })
}
