//! A country's administrator key: made at the hub, trusted by every node
//! of the country as the only key whose revocations of the country's nodes
//! it obeys (docs/sync-protocol.md, "Revocations").

use ed25519_dalek::SigningKey;
use enlace_domain::Permission;
use enlace_store::CountryKeyRow;
use rand_core::OsRng;
use serde::Serialize;
use ts_rs::TS;

use super::parse_key;
use crate::{App, CoreError, Result, now_string};

/// The administrator key this node trusts for its country.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CountryKeyView {
    pub country: String,
    /// Hex of the 32-byte Ed25519 key.
    pub public_key: String,
    /// This node holds its secret: it is the one that revokes.
    pub holds_secret: bool,
    pub added_at: String,
}

fn view(row: &CountryKeyRow) -> CountryKeyView {
    CountryKeyView {
        country: row.country.clone(),
        public_key: hex::encode(&row.public_key),
        holds_secret: row.secret_key.is_some(),
        added_at: row.added_at.clone(),
    }
}

impl App {
    /// The administrator key this node trusts for its country, if any.
    pub fn country_key(&self) -> Result<Option<CountryKeyView>> {
        Ok(self
            .store
            .read()
            .country_key(self.node.country.as_str())?
            .as_ref()
            .map(view))
    }

    /// Makes the country's administrator key here (at the hub): its secret
    /// stays in this node's encrypted database; every other node of the
    /// country trusts its public key (`country_key_trust`). Refused when
    /// this node already trusts one.
    pub fn country_key_create(&mut self) -> Result<CountryKeyView> {
        self.require(Permission::ManagePeers)?;
        let country = self.node.country.to_string();
        if let Some(k) = self.store.read().country_key(&country)? {
            return Err(CoreError::CountryKeyExists {
                key: hex::encode(&k.public_key),
            });
        }
        let key = SigningKey::generate(&mut OsRng);
        let row = CountryKeyRow {
            country: country.clone(),
            public_key: key.verifying_key().to_bytes().to_vec(),
            secret_key: Some(zeroize::Zeroizing::new(key.to_bytes().to_vec())),
            added_at: now_string(),
        };
        let by = self.by();
        self.store.write(|tx| {
            tx.put_country_key(&row)?;
            tx.audit(
                &row.added_at,
                &by,
                "node.country_key.create",
                &country,
                &hex::encode(&row.public_key),
            )
        })?;
        Ok(view(&row))
    }

    /// Trusts `key` (64 hex, as the hub's `enlace node country-key show`
    /// prints it) as this country's administrator key, in place of the
    /// one trusted before (not of one whose secret is here).
    pub fn country_key_trust(&mut self, key: &str) -> Result<CountryKeyView> {
        self.require(Permission::ManagePeers)?;
        let public = parse_key(key)?;
        let country = self.node.country.to_string();
        if let Some(k) = self.store.read().country_key(&country)?
            && k.secret_key.is_some()
        {
            // Its secret is here: trusting it again changes nothing (and
            // must not forget the secret); another key does not replace it.
            if k.public_key == public {
                return Ok(view(&k));
            }
            return Err(CoreError::CountryKeyExists {
                key: hex::encode(&k.public_key),
            });
        }
        let row = CountryKeyRow {
            country: country.clone(),
            public_key: public.to_vec(),
            secret_key: None,
            added_at: now_string(),
        };
        let by = self.by();
        self.store.write(|tx| {
            tx.put_country_key(&row)?;
            tx.audit(
                &row.added_at,
                &by,
                "node.country_key.trust",
                &country,
                &hex::encode(public),
            )
        })?;
        Ok(view(&row))
    }

    /// The key a revocation of a node of this country is signed with: the
    /// country's administrator key when this node trusts one (it must hold
    /// its secret), this node's own key otherwise.
    pub(crate) fn revoking_key(&self) -> Result<SigningKey> {
        match self.store.read().country_key(self.node.country.as_str())? {
            None => Ok(self.node.signing_key().clone()),
            Some(k) => {
                let secret: [u8; 32] = k
                    .secret_key
                    .as_ref()
                    .and_then(|s| s.as_slice().try_into().ok())
                    .ok_or_else(|| CoreError::NotCountryKey {
                        key: hex::encode(&k.public_key),
                    })?;
                Ok(SigningKey::from_bytes(&secret))
            }
        }
    }
}
