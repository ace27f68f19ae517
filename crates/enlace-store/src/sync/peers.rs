//! Peers and their cursors, anchors, the roster, removed keys, bundles
//! seen.

use rusqlite::{OptionalExtension, params};

use super::*;

impl Read<'_> {
    pub fn peers(&self) -> Result<Vec<PeerRow>> {
        self.rows(
            &format!("SELECT {PEER_COLS} FROM peer ORDER BY name"),
            [],
            peer_row,
        )
    }

    pub fn peer_by_key(&self, key: &[u8]) -> Result<Option<PeerRow>> {
        self.one(
            &format!("SELECT {PEER_COLS} FROM peer WHERE public_key = ?1"),
            [key],
            peer_row,
        )
    }

    pub fn peer_by_name(&self, name: &str) -> Result<Option<PeerRow>> {
        self.conn
            .query_row(
                &format!("SELECT {PEER_COLS} FROM peer WHERE name = ?1"),
                [name],
                peer_row,
            )
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    /// The administrator key this node trusts for `country`.
    pub fn country_key(&self, country: &str) -> Result<Option<crate::CountryKeyRow>> {
        self.one(
            "SELECT country, public_key, secret_key, added_at FROM country_key WHERE country = ?1",
            [country],
            |r| {
                Ok(crate::CountryKeyRow {
                    country: r.get(0)?,
                    public_key: r.get(1)?,
                    secret_key: r.get::<_, Option<Vec<u8>>>(2)?.map(zeroize::Zeroizing::new),
                    added_at: r.get(3)?,
                })
            },
        )
    }

    pub fn roster_entry(&self, key: &[u8]) -> Result<Option<RosterRow>> {
        self.one(
                "SELECT public_key, country, name, voucher, signature, added_at FROM roster WHERE public_key = ?1",
                [key],
                |r| {
                    Ok(RosterRow {
                        public_key: r.get(0)?,
                        country: r.get(1)?,
                        name: r.get(2)?,
                        voucher: r.get(3)?,
                        signature: r.get(4)?,
                        added_at: r.get(5)?,
                    })
                },
            )
    }

    pub fn roster(&self) -> Result<Vec<RosterRow>> {
        self.rows(
            "SELECT public_key, country, name, voucher, signature, added_at FROM roster ORDER BY country, name",
            [],
            |r| {
                Ok(RosterRow {
                    public_key: r.get(0)?,
                    country: r.get(1)?,
                    name: r.get(2)?,
                    voucher: r.get(3)?,
                    signature: r.get(4)?,
                    added_at: r.get(5)?,
                })
            },
        )
    }

    /// Roster entries vouched for by `voucher`, and in all.
    pub fn roster_counts(&self, voucher: &[u8]) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM roster WHERE voucher = ?1), (SELECT count(*) FROM roster)",
                [voucher],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map(|(a, b)| (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0)))
            .map_err(StoreError::from_sqlite)
    }

    pub fn anchor_by_key(&self, key: &[u8]) -> Result<Option<AnchorRow>> {
        self.one(
            "SELECT public_key, country, name, added_at FROM anchor WHERE public_key = ?1",
            [key],
            anchor_row,
        )
    }

    pub fn anchors(&self) -> Result<Vec<AnchorRow>> {
        self.rows(
            "SELECT public_key, country, name, added_at FROM anchor ORDER BY country, name",
            [],
            anchor_row,
        )
    }

    /// True when `key` was unpaired here (and not paired again).
    pub fn is_removed(&self, key: &[u8]) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM removed_key WHERE public_key = ?1",
                [key],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// The revocation of `key`, applied or pending.
    pub fn revocation(&self, key: &[u8]) -> Result<Option<RevocationRow>> {
        self.one(
            &format!("SELECT {REVOCATION_COLS} FROM revocation WHERE public_key = ?1"),
            [key],
            revocation_row,
        )
    }

    /// Every revocation, newest first.
    pub fn revocations(&self) -> Result<Vec<RevocationRow>> {
        self.rows(
            &format!(
                "SELECT {REVOCATION_COLS} FROM revocation ORDER BY received_at DESC, public_key"
            ),
            [],
            revocation_row,
        )
    }

    /// Revocations (applied or pending) accepted when this node's log
    /// stood at `seq` or later (what a page from `seq` on carries).
    pub fn revocations_since(&self, seq: i64) -> Result<Vec<RevocationRow>> {
        self.rows(
            &format!(
                "SELECT {REVOCATION_COLS} FROM revocation WHERE log_seq >= ?1 ORDER BY log_seq, public_key"
            ),
            [seq],
            revocation_row,
        )
    }

    /// The hashes of the first `limit` changes by `author` in this node's
    /// log (in the order it logged them).
    pub fn authored_hashes(&self, author: &[u8], limit: usize) -> Result<Vec<[u8; 32]>> {
        let hashes: Vec<String> = self.rows(
            "SELECT hash FROM change_log WHERE author = ?1 ORDER BY seq LIMIT ?2",
            params![author, i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
        Ok(hashes
            .iter()
            .filter_map(|h| {
                let mut t = [0u8; 32];
                hex::decode_to_slice(h, &mut t).ok()?;
                Some(t)
            })
            .collect())
    }

    /// Revocations held (applied and pending), and the bytes their kept
    /// hashes take.
    pub fn revocation_totals(&self) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(kept)), 0) FROM revocation",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map(|(a, b)| (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0)))
            .map_err(StoreError::from_sqlite)
    }

    /// True when a bundle with this signed digest was imported.
    pub fn bundle_seen(&self, digest: &[u8]) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM bundle_seen WHERE digest = ?1",
                [digest],
                |_| Ok(()),
            )?
            .is_some())
    }
}

const REVOCATION_COLS: &str = "public_key, country, name, revoked_at, kept, revoker, signature, received_at, log_seq, applied";

fn revocation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RevocationRow> {
    Ok(RevocationRow {
        public_key: r.get(0)?,
        country: r.get(1)?,
        name: r.get(2)?,
        revoked_at: r.get(3)?,
        kept: r.get(4)?,
        revoker: r.get(5)?,
        signature: r.get(6)?,
        received_at: r.get(7)?,
        log_seq: r.get(8)?,
        applied: r.get(9)?,
    })
}

impl WriteTx<'_> {
    /// Adds a peer. Fails (constraint) when the name or key is taken.
    pub fn put_peer(&self, p: &PeerRow) -> Result<()> {
        self.exec(
            "INSERT INTO peer (name, public_key, country, url, added_at, node_role)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                p.name,
                p.public_key,
                p.country,
                p.url,
                p.added_at,
                p.node_role
            ],
        )
        .map(|_| ())
    }

    /// Trusts (or makes, with its secret) a country's administrator key,
    /// in place of the one trusted before.
    pub fn put_country_key(&self, k: &crate::CountryKeyRow) -> Result<()> {
        self.exec(
            "INSERT INTO country_key (country, public_key, secret_key, added_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(country) DO UPDATE SET public_key = excluded.public_key,
                 secret_key = excluded.secret_key, added_at = excluded.added_at",
            params![
                k.country,
                k.public_key,
                k.secret_key.as_ref().map(|s| s.as_slice()),
                k.added_at
            ],
        )
        .map(|_| ())
    }

    /// Sets a peer's place in its country; false when no peer has that name.
    pub fn set_peer_role(&self, name: &str, role: &str) -> Result<bool> {
        self.exec(
            "UPDATE peer SET node_role = ?2 WHERE name = ?1",
            params![name, role],
        )
        .map(|n| n == 1)
    }

    /// Forgets a peer, its cursors, what was wanted from it and the
    /// roster entries it vouched for, and remembers its key as removed.
    /// Returns the key, or `None` when no peer has that name.
    pub fn remove_peer(&self, name: &str, at: &str) -> Result<Option<Vec<u8>>> {
        let key: Option<Vec<u8>> = self
            .tx
            .query_row("SELECT public_key FROM peer WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::from_sqlite)?;
        let Some(key) = key else { return Ok(None) };
        self.exec("DELETE FROM sync_want WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM sync_owe WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM sync_part WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM peer WHERE name = ?1", [name])?;
        self.forget_key(&key, at)?;
        Ok(Some(key))
    }

    /// Removes an anchor (as [`WriteTx::remove_peer`] does a peer).
    pub fn remove_anchor(&self, name: &str, at: &str) -> Result<Option<Vec<u8>>> {
        let key: Option<Vec<u8>> = self
            .tx
            .query_row(
                "SELECT public_key FROM anchor WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from_sqlite)?;
        let Some(key) = key else { return Ok(None) };
        self.exec("DELETE FROM anchor WHERE public_key = ?1", [&key])?;
        self.forget_key(&key, at)?;
        Ok(Some(key))
    }

    /// Trusts `a` as an author of its country (not a peer).
    pub fn put_anchor(&self, a: &AnchorRow) -> Result<()> {
        self.exec(
            "INSERT INTO anchor (public_key, country, name, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![a.public_key, a.country, a.name, a.added_at],
        )?;
        self.exec(
            "DELETE FROM removed_key WHERE public_key = ?1",
            [&a.public_key],
        )
        .map(|_| ())
    }

    /// A key paired (again): no longer removed, no longer only an anchor.
    pub fn paired_again(&self, key: &[u8]) -> Result<()> {
        self.exec("DELETE FROM removed_key WHERE public_key = ?1", [key])?;
        self.exec("DELETE FROM anchor WHERE public_key = ?1", [key])
            .map(|_| ())
    }

    /// Records an imported bundle's digest (a replay is refused by it).
    pub fn put_bundle_seen(&self, digest: &[u8], sender: &[u8], seq: i64, at: &str) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO bundle_seen (digest, sender, seq, imported_at) VALUES (?1, ?2, ?3, ?4)",
            params![digest, sender, seq, at],
        )
        .map(|_| ())
    }

    pub fn set_peer_applied(&self, key: &[u8], seq: i64, hash: Option<&[u8]>) -> Result<()> {
        self.exec(
            "UPDATE peer SET applied_seq = ?2, applied_hash = ?3 WHERE public_key = ?1",
            params![key, seq, hash],
        )
        .map(|_| ())
    }

    pub fn set_peer_acked(&self, key: &[u8], seq: i64, hash: Option<&[u8]>) -> Result<()> {
        self.exec(
            "UPDATE peer SET acked_seq = ?2, acked_hash = ?3 WHERE public_key = ?1",
            params![key, seq, hash],
        )
        .map(|_| ())
    }

    /// Records a session's outcome on the peer's row.
    pub fn record_session(&self, key: &[u8], s: &SessionRecord) -> Result<()> {
        self.exec(
            "UPDATE peer SET last_attempt = ?2,
                 last_success = CASE WHEN ?3 THEN ?2 ELSE last_success END,
                 last_error = ?4,
                 failures = CASE WHEN ?3 THEN 0 ELSE failures + 1 END,
                 bytes_sent = bytes_sent + ?5, bytes_received = bytes_received + ?6,
                 docs_sent = docs_sent + ?7, docs_received = docs_received + ?8,
                 changes_sent = changes_sent + ?9, changes_received = changes_received + ?10
             WHERE public_key = ?1",
            params![
                key,
                s.at,
                s.ok,
                s.error,
                count(s.traffic.bytes_sent),
                count(s.traffic.bytes_received),
                count(s.traffic.docs_sent),
                count(s.traffic.docs_received),
                count(s.traffic.changes_sent),
                count(s.traffic.changes_received)
            ],
        )
        .map(|_| ())
    }

    pub fn set_bundle_out_seq(&self, key: &[u8], seq: i64) -> Result<()> {
        self.exec(
            "UPDATE peer SET bundle_out_seq = ?2 WHERE public_key = ?1",
            params![key, seq],
        )
        .map(|_| ())
    }

    pub fn set_bundle_in_seq(&self, key: &[u8], seq: i64) -> Result<()> {
        self.exec(
            "UPDATE peer SET bundle_in_seq = ?2 WHERE public_key = ?1",
            params![key, seq],
        )
        .map(|_| ())
    }

    /// Keeps a revocation: the first for a key stands, except that one
    /// pending here is replaced by this node's own (its administrator
    /// decided).
    /// Replaces an applied revocation's signer, signature and log position
    /// (signed again with the country key: relayed again from there).
    pub fn resign_revocation(&self, r: &RevocationRow) -> Result<()> {
        self.exec(
            "UPDATE revocation SET revoker = ?2, signature = ?3, log_seq = ?4
             WHERE public_key = ?1",
            params![r.public_key, r.revoker, r.signature, r.log_seq],
        )
        .map(|_| ())
    }

    pub fn put_revocation(&self, r: &RevocationRow) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO revocation ({REVOCATION_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(public_key) DO UPDATE SET
                   country = excluded.country, name = excluded.name,
                   revoked_at = excluded.revoked_at, kept = excluded.kept,
                   revoker = excluded.revoker, signature = excluded.signature,
                   received_at = excluded.received_at, log_seq = excluded.log_seq,
                   applied = excluded.applied
                 WHERE revocation.applied = 0 AND excluded.applied = 1"
            ),
            params![
                r.public_key,
                r.country,
                r.name,
                r.revoked_at,
                r.kept,
                r.revoker,
                r.signature,
                r.received_at,
                r.log_seq,
                r.applied
            ],
        )
        .map(|_| ())
    }

    /// Voids the revocations `revoker` signed (it is revoked itself): they
    /// go, and the keys they removed may be known again.
    pub fn void_revocations_by(&self, revoker: &[u8]) -> Result<()> {
        self.exec(
            "DELETE FROM removed_key WHERE public_key IN
               (SELECT public_key FROM revocation WHERE revoker = ?1)
             AND public_key NOT IN (SELECT public_key FROM peer)",
            [revoker],
        )?;
        self.exec("DELETE FROM revocation WHERE revoker = ?1", [revoker])
            .map(|_| ())
    }

    /// Withdraws trust in a revoked key: no longer a peer (its certificate
    /// is refused), an anchor or in the roster, what it vouched for goes,
    /// and no roster entry brings it back.
    pub fn revoke_key(&self, key: &[u8], at: &str) -> Result<()> {
        self.exec("DELETE FROM sync_want WHERE peer = ?1", [key])?;
        self.exec("DELETE FROM sync_owe WHERE peer = ?1", [key])?;
        self.exec("DELETE FROM sync_part WHERE peer = ?1", [key])?;
        self.exec("DELETE FROM peer WHERE public_key = ?1", [key])?;
        self.exec("DELETE FROM anchor WHERE public_key = ?1", [key])?;
        self.forget_key(key, at)
    }

    /// Keeps a roster entry (the first one for a key wins).
    pub fn put_roster(&self, r: &RosterRow) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO roster (public_key, country, name, voucher, signature, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.public_key,
                r.country,
                r.name,
                r.voucher,
                r.signature,
                r.added_at
            ],
        )
        .map(|_| ())
    }

    /// Drops the roster entries `key` vouched for (and its own), and
    /// remembers it as removed so no entry brings it back.
    fn forget_key(&self, key: &[u8], at: &str) -> Result<()> {
        self.exec(
            "DELETE FROM roster WHERE voucher = ?1 OR public_key = ?1",
            [key],
        )?;
        self.exec(
            "INSERT INTO removed_key (public_key, removed_at) VALUES (?1, ?2)
             ON CONFLICT(public_key) DO UPDATE SET removed_at = excluded.removed_at",
            params![key, at],
        )
        .map(|_| ())
    }
}
