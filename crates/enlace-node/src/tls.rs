//! TLS between nodes: mutual, TLS 1.3 only, pinned to node keys.
//!
//! A node's certificate is self-signed with the node's own Ed25519 key (the
//! key `enlace init` created and peers pair with), so the certificate *is*
//! the key: a server accepts a client only when the key in its certificate
//! is a paired peer's, and a client accepts a server only when it is the
//! key paired under that address. No certificate authority, no host names,
//! no validity dates: a clock wrong by days cannot break a handshake, and
//! the handshake's own signature proves the other side holds the key.

use std::collections::HashSet;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

use crate::NodeError;

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the key's
/// 32 bytes follow it.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// ALPN: sync speaks HTTP/1.1.
const ALPN: &[u8] = b"http/1.1";

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// This node's TLS identity: its certificate and key.
#[derive(Clone)]
pub struct Identity {
    cert: CertificateDer<'static>,
    key: Arc<PrivatePkcs8KeyDer<'static>>,
    public: [u8; 32],
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("public", &hex::encode(self.public))
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// The certificate of the node whose Ed25519 secret key is `secret`.
    pub fn new(secret: &[u8; 32]) -> Result<Identity, NodeError> {
        let signing = SigningKey::from_bytes(secret);
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| NodeError::Tls(format!("the node key cannot be encoded: {e}")))?;
        let pkcs8 = PrivatePkcs8KeyDer::from(der.as_bytes().to_vec());
        let key_pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8, &rcgen::PKCS_ED25519)
            .map_err(|e| {
            NodeError::Tls(format!("the node key cannot sign a certificate: {e}"))
        })?;
        let public = signing.verifying_key().to_bytes();
        let mut params = rcgen::CertificateParams::new(vec![format!(
            "{}.enlace-node",
            hex::encode(&public[..8])
        )])
        .map_err(|e| NodeError::Tls(e.to_string()))?;
        // Not read by peers (they pin keys), but a standard certificate
        // needs dates: wide enough that no clock falls outside them.
        params.not_before = rcgen::date_time_ymd(1975, 1, 1);
        params.not_after = rcgen::date_time_ymd(9999, 12, 31);
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            format!("Enlace node {}", hex::encode(&public[..8])),
        );
        let cert = params
            .self_signed(&key_pair)
            .map_err(|e| NodeError::Tls(format!("the certificate cannot be made: {e}")))?;
        Ok(Identity {
            cert: cert.der().clone(),
            key: Arc::new(pkcs8),
            public,
        })
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(self.key.as_ref().clone_key())
    }

    /// The server side: accepts a client only with a certificate of one of
    /// the keys `allowed` holds when it connects.
    pub fn server_config(&self, allowed: PeerSet) -> Result<Arc<rustls::ServerConfig>, NodeError> {
        let provider = provider();
        let verifier = Arc::new(PinnedClients {
            allowed,
            signatures: Signatures(provider.signature_verification_algorithms),
        });
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| NodeError::Tls(e.to_string()))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![self.cert.clone()], self.key_der())
            .map_err(|e| NodeError::Tls(e.to_string()))?;
        config.alpn_protocols = vec![ALPN.to_vec()];
        Ok(Arc::new(config))
    }

    /// The client side, to one peer: accepts the server only when its
    /// certificate holds `peer`'s key, and shows this node's certificate.
    pub fn client_config(&self, peer: [u8; 32]) -> Result<rustls::ClientConfig, NodeError> {
        let provider = provider();
        let verifier = Arc::new(PinnedServer {
            key: peer,
            signatures: Signatures(provider.signature_verification_algorithms),
        });
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| NodeError::Tls(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_client_auth_cert(vec![self.cert.clone()], self.key_der())
            .map_err(|e| NodeError::Tls(e.to_string()))?;
        config.alpn_protocols = vec![ALPN.to_vec()];
        Ok(config)
    }
}

/// The Ed25519 key a certificate holds, if it holds one.
pub fn certificate_key(cert: &CertificateDer<'_>) -> Option<[u8; 32]> {
    let parsed = webpki::EndEntityCert::try_from(cert).ok()?;
    let spki = parsed.subject_public_key_info();
    let bytes: &[u8] = spki.as_ref();
    let rest = bytes.strip_prefix(&ED25519_SPKI_PREFIX[..])?;
    rest.try_into().ok()
}

/// Whether a key is a paired peer's, asked at every handshake.
pub type PeerCheck = Arc<dyn Fn(&[u8; 32]) -> bool + Send + Sync>;

/// The keys a server accepts. Asked of the database at every handshake
/// (an indexed lookup): a peer paired while the server runs is accepted at
/// its next connection, and one unpaired (`enlace peer remove`, from any
/// process) is refused at once — there is no cache to outlive it.
#[derive(Clone)]
pub struct PeerSet {
    check: PeerCheck,
}

impl std::fmt::Debug for PeerSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerSet").finish_non_exhaustive()
    }
}

impl PeerSet {
    /// A fixed set of keys (tests).
    pub fn new(keys: HashSet<[u8; 32]>) -> PeerSet {
        let keys = Arc::new(keys);
        PeerSet {
            check: Arc::new(move |k| keys.contains(k)),
        }
    }

    /// A set that asks `check` at every handshake.
    pub fn checking(check: PeerCheck) -> PeerSet {
        PeerSet { check }
    }

    pub fn contains(&self, key: &[u8; 32]) -> bool {
        (self.check)(key)
    }
}

fn refused() -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
}

/// What both ends check of the handshake's signatures: TLS 1.3 only, with
/// Ed25519 only (the node keys). One place for both verifiers.
#[derive(Debug)]
struct Signatures(WebPkiSupportedAlgorithms);

impl Signatures {
    fn tls12() -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls12NotOffered,
        ))
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn schemes() -> Vec<SignatureScheme> {
        vec![SignatureScheme::ED25519]
    }
}

/// The key a certificate is made from, when `accept` accepts it.
fn pinned(
    cert: &CertificateDer<'_>,
    accept: impl FnOnce(&[u8; 32]) -> bool,
) -> Result<[u8; 32], rustls::Error> {
    match certificate_key(cert) {
        Some(k) if accept(&k) => Ok(k),
        Some(k) => {
            tracing::warn!(
                "refused a certificate of an unpaired node {}",
                hex::encode(&k[..8])
            );
            Err(refused())
        }
        None => Err(refused()),
    }
}

/// The server's check of a connecting node: one of the paired peers.
#[derive(Debug)]
struct PinnedClients {
    allowed: PeerSet,
    signatures: Signatures,
}

impl ClientCertVerifier for PinnedClients {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        pinned(end_entity, |k| self.allowed.contains(k))?;
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Signatures::tls12()
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        Signatures::schemes()
    }
}

/// The client's check of the node it called: the one key paired for it.
#[derive(Debug)]
struct PinnedServer {
    key: [u8; 32],
    signatures: Signatures,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        pinned(end_entity, |k| *k == self.key)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Signatures::tls12()
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        Signatures::schemes()
    }
}
