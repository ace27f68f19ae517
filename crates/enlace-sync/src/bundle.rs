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

use crate::codec::{self, Checked, LIMITS, Limits, WireError};
use crate::wire::*;

const MAGIC: &[u8; 8] = b"ENLBNDL1";
const SIGN_DOMAIN: &[u8] = b"enlace/bundle/v1\0";
/// Largest bundle file accepted.
pub const MAX_BUNDLE: usize = 512 << 20;

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

/// What a bundle carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleBody {
    /// How far the sender has applied the recipient's log (lets the
    /// recipient's next bundle start there).
    pub applied: Cursor,
    /// Documents the sender wants whole from the recipient.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub need: Vec<DocId>,
    /// The same, known by one of their changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub need_changes: Vec<Hash>,
    /// The sender's log for the recipient, in order.
    pub pages: Vec<Page>,
}

impl Checked for BundleBody {
    fn check(&self, l: &Limits) -> Result<(), WireError> {
        if self.need.len() > l.max_needs || self.need_changes.len() > l.max_needs {
            return Err(WireError::Invalid("too many documents asked for".into()));
        }
        if self.pages.len() > 100_000 {
            return Err(WireError::Invalid("too many pages".into()));
        }
        for p in &self.pages {
            p.check(l)?;
        }
        Ok(())
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
/// decrypts and decodes its body.
pub fn open(me: &SigningKey, file: &[u8]) -> Result<(BundleHeader, BundleBody), BundleError> {
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
    let limits = Limits {
        max_body: MAX_BUNDLE,
        max_decoded: MAX_BUNDLE * 2,
        ..LIMITS
    };
    let body: BundleBody = codec::decode(&plain, &limits)?;
    Ok((header, body))
}
