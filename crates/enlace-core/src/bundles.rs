//! Sync bundles: what a peer has not acknowledged, as a file carried where
//! no network reaches — encrypted to the peer's key, signed by this node,
//! imported once and in order.

use std::collections::HashSet;
use std::path::Path;

use enlace_sync::bundle::{self, BundleBody, BundleError};
use enlace_sync::{Page, PeerKey, Replica};
use serde::Serialize;
use ts_rs::TS;

use crate::replica::want;
use crate::{App, CoreError, Result, now_string};

/// Largest page of a bundle (change bytes before compression).
const BUNDLE_PAGE: u32 = 4 << 20;

/// What a bundle export wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleExported {
    pub path: String,
    pub peer: String,
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub docs: u64,
    #[ts(type = "number")]
    pub changes: u64,
}

/// What a bundle import did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleImported {
    pub peer: String,
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "number")]
    pub docs: u64,
    #[ts(type = "number")]
    pub changes: u64,
    /// Changes or documents not applied (kept in quarantine or refused).
    #[ts(type = "number")]
    pub refused: u64,
}

/// A bundle file for this node found on a disk (not opened yet: importing
/// it checks everything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BundleFound {
    pub path: String,
    /// The sender's name when it is a paired peer.
    #[ts(optional)]
    pub peer: Option<String>,
    /// The first 16 hex digits of the sender's key.
    pub sender_id: String,
    #[ts(type = "number")]
    pub seq: u64,
    /// When the sender made it (its clock).
    pub created: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// This bundle, or a later one from the same sender, was imported.
    pub imported: bool,
}

/// Directories [`App::find_bundles`] looks into below each root, and files
/// it looks at in all: a search that stays quick on a large disk.
const FIND_DEPTH: usize = 3;
const FIND_ENTRIES: usize = 5_000;

impl App {
    /// Writes what `peer` has not acknowledged, encrypted to its key and
    /// signed by this node, to `out` (atomically). `progress(pages, docs)`.
    pub fn export_bundle(
        &mut self,
        peer: &str,
        out: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BundleExported> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        let key = self.peer_key(peer)?;
        let st = self.peer_state(&key)?;
        let owed = want::split(self.store.read().owed(&key)?);
        let mut pages: Vec<Page> = vec![];
        let mut at = st.acked.clone();
        let (mut docs, mut changes) = (0u64, 0u64);
        let none = enlace_sync::Wants::default();
        loop {
            let whole = if pages.is_empty() { &owed } else { &none };
            let page = self.page_for(&key, &at, whole, BUNDLE_PAGE)?;
            at = page.to.clone();
            let more = page.more;
            docs += page.groups.len() as u64;
            changes += page.change_count() as u64;
            if !page.is_empty() || pages.is_empty() {
                pages.push(page);
            }
            progress(pages.len() as u64, docs);
            if !more {
                break;
            }
        }
        let seq = u64::try_from(self.peer_row(peer)?.bundle_out_seq).unwrap_or(0) + 1;
        let body = BundleBody {
            applied: st.applied,
            need: st.want.docs,
            need_changes: st.want.changes,
            need_after: st.want.after,
            pages,
        };
        let file = bundle::seal(self.node.signing_key(), &key, seq, &now_string(), &body)?;
        crate::files::write_atomically(out, &file)?;
        let by = self.by();
        let now = now_string();
        let target = out.display().to_string();
        self.store.write(|tx| {
            tx.set_bundle_out_seq(&key, i64::try_from(seq).unwrap_or(i64::MAX))?;
            tx.clear_owed(&key)?;
            tx.audit(
                &now,
                &by,
                "bundle.export",
                peer,
                &format!("bundle {seq} to {target}: {docs} documents, {changes} changes"),
            )
        })?;
        Ok(BundleExported {
            path: target,
            peer: peer.to_owned(),
            seq,
            bytes: file.len() as u64,
            docs,
            changes,
        })
    }

    /// Bundles addressed to this node in `roots` and the folders below
    /// them (a few levels: a USB stick's folders under /media), newest
    /// first, those not yet imported before the others. Unreadable folders
    /// and files that are not bundles are passed over.
    pub fn find_bundles(&self, roots: &[std::path::PathBuf]) -> Result<Vec<BundleFound>> {
        use std::io::Read as _;
        let me = self.public_key();
        let peers = self.store.read().peers()?;
        let mut found = vec![];
        let mut seen = HashSet::new();
        for root in roots {
            // Each root has its own budget, so a large home folder does not
            // hide a stick.
            let mut budget = FIND_ENTRIES;
            let mut stack = vec![(root.clone(), 0)];
            while let Some((dir, depth)) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    let path = entry.path();
                    let Ok(kind) = entry.file_type() else {
                        continue;
                    };
                    if kind.is_dir() {
                        let hidden = entry.file_name().to_string_lossy().starts_with('.');
                        if depth < FIND_DEPTH && !hidden {
                            stack.push((path, depth + 1));
                        }
                        continue;
                    }
                    if path.extension().is_none_or(|e| e != "enlace") {
                        continue;
                    }
                    let Ok(real) = std::fs::canonicalize(&path) else {
                        continue;
                    };
                    if !seen.insert(real) {
                        continue;
                    }
                    let Ok(file) = std::fs::File::open(&path) else {
                        continue;
                    };
                    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
                    let mut prefix = Vec::with_capacity(bundle::HEADER_PREFIX);
                    if file
                        .take(bundle::HEADER_PREFIX as u64)
                        .read_to_end(&mut prefix)
                        .is_err()
                    {
                        continue;
                    }
                    let Ok(h) = bundle::peek_header(&prefix) else {
                        continue;
                    };
                    if *h.recipient != me {
                        continue;
                    }
                    let sender = peers.iter().find(|p| p.public_key == h.sender.as_slice());
                    found.push(BundleFound {
                        path: path.display().to_string(),
                        peer: sender.map(|p| p.name.clone()),
                        sender_id: hex::encode(&h.sender[..8]),
                        seq: h.seq,
                        created: h.created.clone(),
                        bytes,
                        imported: self.store.read().bundle_seen(&*h.body_sha256)?,
                    });
                }
            }
        }
        found.sort_by(|a, b| {
            a.imported
                .cmp(&b.imported)
                .then_with(|| b.created.cmp(&a.created))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(found)
    }

    /// Applies a bundle made for this node by a paired peer. Refuses a
    /// file that is not a bundle, is meant for another node, was altered,
    /// comes from a node that is not paired, or was imported already (a
    /// bundle is known by the digest its sender signed). Every page is
    /// checked before any is applied; then each is applied in its own
    /// transaction. `progress(pages done, pages)`.
    pub fn import_bundle(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BundleImported> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        let io = |e: std::io::Error| CoreError::Io {
            path: path.to_owned(),
            source: e,
        };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > bundle::MAX_BUNDLE as u64 {
            return Err(BundleError::TooLarge.into());
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let (header, _) = bundle::read_header(&bytes)?;
        if *header.recipient != self.public_key() {
            return Err(BundleError::NotForThisNode {
                recipient: *header.recipient,
            }
            .into());
        }
        let sender: PeerKey = *header.sender;
        let row =
            self.store
                .read()
                .peer_by_key(&sender)?
                .ok_or_else(|| CoreError::BundleSender {
                    key: hex::encode(sender),
                })?;
        let digest = header.body_sha256;
        if self.store.read().bundle_seen(&*digest)? {
            return Err(CoreError::BundleReplayed {
                peer: row.name,
                seq: header.seq,
            });
        }
        let opened = bundle::open(self.node.signing_key(), &bytes)?;
        drop(bytes);
        let total = opened.page_count as u64;
        let mut result = BundleImported {
            peer: row.name.clone(),
            seq: header.seq,
            docs: 0,
            changes: 0,
            refused: 0,
        };
        for (i, page) in opened.pages().enumerate() {
            let page = page?;
            let applied = self.peer_state(&sender)?.applied;
            // Advance this node's position in the sender's log only from
            // where it stands: a page from an older position overlaps (its
            // changes apply, harmlessly), one from a newer position leaves
            // a gap that the next exchange fills. A page that names this
            // node's position with another change means the sender's log
            // was replaced (restored from a backup): the next session
            // compares documents instead (both positions back to the
            // start, which makes it reconcile).
            let replaced = |c: &enlace_sync::Cursor| c.seq == applied.seq && c.hash != applied.hash;
            let advance = if replaced(&page.base) || replaced(&page.to) {
                self.set_applied(&sender, &enlace_sync::Cursor::start())?;
                self.set_acked(&sender, &enlace_sync::Cursor::start())?;
                None
            } else {
                (page.base == applied).then_some(&page.to)
            };
            let done = self.apply_page(&sender, &page, advance)?;
            result.docs += done.docs;
            result.changes += done.changes;
            result.refused += done.refused.len() as u64;
            progress(i as u64 + 1, total);
        }
        if opened.applied.seq > self.peer_state(&sender)?.acked.seq
            && self.has_position(&opened.applied)?
        {
            self.set_acked(&sender, &opened.applied)?;
        }
        let by = self.by();
        let now = now_string();
        let name = row.name.clone();
        let summary = format!(
            "bundle {}: {} documents, {} changes, {} refused",
            header.seq, result.docs, result.changes, result.refused
        );
        let last = u64::try_from(row.bundle_in_seq)
            .unwrap_or(0)
            .max(header.seq);
        self.store.write(|tx| {
            let owed = want::rows(&opened.wants);
            for w in owed.iter().take(crate::replica::MAX_WANTS as usize) {
                tx.owe(&sender, w)?;
            }
            tx.set_bundle_in_seq(&sender, i64::try_from(last).unwrap_or(i64::MAX))?;
            tx.put_bundle_seen(
                &*digest,
                &sender,
                i64::try_from(header.seq).unwrap_or(i64::MAX),
                &now,
            )?;
            tx.audit(&now, &by, "bundle.import", &name, &summary)
        })?;
        Ok(result)
    }
}
