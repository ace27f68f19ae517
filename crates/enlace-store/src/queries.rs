//! Read queries and the derived-index row types.

use rusqlite::{OptionalExtension, params, params_from_iter, types::Value as SqlValue};
use zeroize::Zeroizing;

use enlace_domain::{DocKind, SortField};

use crate::tx::{DocRow, NodeRow, Read};
use crate::{Result, StoreError};

/// The highest case sequence counted ([`Read::highest_in_series`]).
pub const MAX_SEQUENCE: u32 = 9_999_999;

/// The cases a reference names: now, or before they were renumbered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceMatches {
    pub current: Vec<String>,
    pub former: Vec<String>,
}

/// A case-list query. `terms` are folded words; each is matched as a prefix.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub terms: Vec<String>,
    /// Search the persons' names too (only for officials who may see
    /// identities; by default they are not searched).
    pub names: bool,
    pub status: Option<String>,
    pub classification: Option<String>,
    pub country: Option<String>,
    /// A route role; with `country`, that country in that role.
    pub role: Option<String>,
    pub purpose: Option<String>,
    pub means: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub opened_from: Option<String>,
    pub opened_to: Option<String>,
    pub owner: Option<String>,
    /// Only cases with a victim whose risk review is due on or before this
    /// day (`YYYY-MM-DD`).
    pub review_due_by: Option<String>,
    /// Only these cases (none: every case).
    pub ids: Vec<String>,
    /// `Relevance` needs search terms (best bm25 match first); `Newest` is
    /// cheap with them (the full-text index returns rows in that order and
    /// the query stops after a page).
    pub sort: SortField,
    pub descending: bool,
    pub limit: u32,
    pub offset: u32,
}

/// A row of the case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListRow {
    pub doc_id: String,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub classification: String,
    pub owner_country: String,
    pub opened: String,
    pub updated_at: String,
    pub warnings: i64,
    pub demo: bool,
    /// `CC:role` pairs, comma-separated, in route order of roles.
    pub countries: String,
    /// The earliest risk review its victims are due for (`YYYY-MM-DD`).
    pub next_review: Option<String>,
}

/// One victim's risk assessments, as the "reviews due" list reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskDueRow {
    pub case_id: String,
    /// The case's reference, when this node indexes the case.
    pub reference: Option<String>,
    pub pseudonym: String,
    /// Gravest first, comma separated.
    pub levels: String,
    pub next_review: String,
    pub concurrent: bool,
    pub demo: bool,
}

/// One audit-log row.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev: String,
    pub hash: String,
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn fts_query(terms: &[String], names: bool) -> String {
    let q = terms
        .iter()
        .map(|t| format!("\"{}\"*", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ");
    if names { q } else { format!("body : ({q})") }
}

impl Read<'_> {
    pub fn node(&self) -> Result<Option<NodeRow>> {
        self.conn
            .query_row(
                "SELECT node_id, country, name, public_key, secret_key, created_at, role FROM node WHERE id = 1",
                [],
                |r| {
                    Ok(NodeRow {
                        node_id: r.get(0)?,
                        country: r.get(1)?,
                        name: r.get(2)?,
                        public_key: r.get(3)?,
                        secret_key: Zeroizing::new(r.get(4)?),
                        created_at: r.get(5)?,
                        role: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    pub fn doc(&self, id: &str) -> Result<Option<DocRow>> {
        self.one(
            "SELECT id, kind, owner_country, owner_node, audience, bytes, heads, updated_at, local_only, reach, grants
             FROM documents WHERE id = ?1",
            [id],
            doc_row,
        )
    }

    /// At most one row of a (cached) query, mapped by `f`.
    pub(crate) fn one<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        let mut st = self
            .conn
            .prepare_cached(sql)
            .map_err(StoreError::from_sqlite)?;
        st.query_row(params, f)
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    /// Every row of a (cached) query, mapped by `f`.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self
            .conn
            .prepare_cached(sql)
            .map_err(StoreError::from_sqlite)?;
        let rows = st.query_map(params, f).map_err(StoreError::from_sqlite)?;
        rows.collect::<rusqlite::Result<Vec<T>>>()
            .map_err(StoreError::from_sqlite)
    }

    /// Every document of `kind`, in id order, in one query.
    pub fn docs_of_kind(&self, kind: DocKind) -> Result<Vec<DocRow>> {
        self.rows(
            "SELECT id, kind, owner_country, owner_node, audience, bytes, heads, updated_at, local_only, reach, grants
             FROM documents WHERE kind = ?1 ORDER BY id",
            [kind.name()],
            doc_row,
        )
    }

    /// Whom a document reaches beyond its audience's rule: its owner node
    /// (the 16-hex node id), the nodes it names (full keys, hex) and the
    /// countries its grants name (`CC:YYYY-MM-DD`).
    pub fn reach_of(&self, id: &str) -> Result<Option<ReachRow>> {
        self.one(
            "SELECT owner_node, reach, grants FROM documents WHERE id = ?1",
            [id],
            |r| {
                Ok(ReachRow {
                    owner_node: r.get(0)?,
                    nodes: split_reach(&r.get::<_, String>(1)?),
                    grants: split_reach(&r.get::<_, String>(2)?),
                })
            },
        )
    }

    /// The risk documents of one victim of a case.
    pub fn risk_docs_of(&self, case_id: &str, pseudonym: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT doc_id FROM risk_index WHERE case_id = ?1 AND pseudonym = ?2 ORDER BY doc_id",
            [case_id, pseudonym],
            |r| r.get(0),
        )
    }

    /// The risk documents of a case's victims.
    pub fn risk_docs_of_case(&self, case_id: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT doc_id FROM risk_index WHERE case_id = ?1 ORDER BY pseudonym, doc_id",
            [case_id],
            |r| r.get(0),
        )
    }

    /// The risk documents about one person document.
    pub fn risk_docs_of_person(&self, person_id: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT doc_id FROM risk_index WHERE person_id = ?1 ORDER BY doc_id",
            [person_id],
            |r| r.get(0),
        )
    }

    /// Victims of this node's country's cases whose risk review is due on
    /// or before `by` (`YYYY-MM-DD`), the earliest first (a record held
    /// under another country's grant is that country's to review).
    pub fn risks_due(&self, by: &str) -> Result<Vec<RiskDueRow>> {
        self.rows(
            "SELECT ri.case_id, ci.reference, ri.pseudonym, ri.levels, ri.next_review,
                    ri.concurrent, ri.demo
             FROM risk_index ri LEFT JOIN case_index ci ON ci.doc_id = ri.case_id
             WHERE ri.next_review != '' AND ri.next_review <= ?1
               AND ci.owner_country = (SELECT country FROM node WHERE id = 1)
             GROUP BY ri.case_id, ri.pseudonym
             ORDER BY ri.next_review, ci.reference, ri.pseudonym",
            [by],
            |r| {
                Ok(RiskDueRow {
                    case_id: r.get(0)?,
                    reference: r.get(1)?,
                    pseudonym: r.get(2)?,
                    levels: r.get(3)?,
                    next_review: r.get(4)?,
                    concurrent: r.get(5)?,
                    demo: r.get(6)?,
                })
            },
        )
    }

    /// Maintenance tasks a migration left for the application.
    pub fn maintenance(&self) -> Result<Vec<String>> {
        self.rows("SELECT task FROM maintenance ORDER BY task", [], |r| {
            r.get(0)
        })
    }

    /// A form's unsaved draft: its JSON body and when it was kept.
    pub fn draft(&self, key: &str) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT body, updated_at FROM draft WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    /// Ids of every document of `kind`, in id order.
    pub fn doc_ids(&self, kind: DocKind) -> Result<Vec<String>> {
        self.rows(
            "SELECT id FROM documents WHERE kind = ?1 ORDER BY id",
            [kind.name()],
            |r| r.get(0),
        )
    }

    /// Every indexed case's victims as statistical records (JSON, None
    /// when not computed yet).
    pub fn case_victims(&self) -> Result<Vec<(String, Option<String>)>> {
        self.rows(
            "SELECT doc_id, victims FROM case_index ORDER BY doc_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Whether any indexed case is demonstration data.
    pub fn any_demo_case(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM case_index WHERE demo = 1)",
                [],
                |r| r.get::<_, bool>(0),
            )
            .map_err(StoreError::from_sqlite)
    }

    pub fn count_docs(&self, kind: DocKind) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM documents WHERE kind = ?1",
                [kind.name()],
                |r| r.get::<_, i64>(0),
            )
            .map(to_u64)
            .map_err(StoreError::from_sqlite)
    }

    /// The last case reference sequence allocated for `country` and `year`
    /// on this node (0 when none).
    pub fn last_reference(&self, country: &str, year: i32) -> Result<u32> {
        let last: Option<i64> = self
            .conn
            .query_row(
                "SELECT last FROM reference_counters WHERE country = ?1 AND year = ?2",
                rusqlite::params![country, year],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from_sqlite)?;
        Ok(last.map_or(0, |n| u32::try_from(n).unwrap_or(0)))
    }

    /// How many demonstration cases are indexed.
    pub fn count_demo_cases(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM case_index WHERE demo = 1", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(to_u64)
            .map_err(StoreError::from_sqlite)
    }

    /// The cases with this reference (canonical form, `GT-K7M3Q-2026-0042`):
    /// those that carry it now, then those that carried it before being
    /// renumbered. Several when two nodes issued it (before node codes) —
    /// the caller lists them, never picks one.
    pub fn cases_by_reference(&self, reference: &str) -> Result<ReferenceMatches> {
        let ids = |sql: &str| -> Result<Vec<String>> {
            let mut st = self
                .conn
                .prepare_cached(sql)
                .map_err(StoreError::from_sqlite)?;
            let rows = st
                .query_map([reference], |r| r.get(0))
                .map_err(StoreError::from_sqlite)?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
                .map_err(StoreError::from_sqlite)
        };
        Ok(ReferenceMatches {
            current: ids("SELECT doc_id FROM case_index WHERE reference = ?1 ORDER BY doc_id")?,
            former: ids(
                "SELECT doc_id FROM case_tag WHERE kind = 'former_reference' AND value = ?1
                 ORDER BY doc_id",
            )?,
        })
    }

    /// The cases with a derived `case_tag` row of `kind` and `value` (a
    /// request's countries: `request_from`, `request_to`), in id order.
    pub fn cases_with_tag(&self, kind: &str, value: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT DISTINCT doc_id FROM case_tag WHERE kind = ?1 AND value = ?2 ORDER BY doc_id",
            [kind, value],
            |r| r.get(0),
        )
    }

    /// The cases whose links name `reference` (derived `case_tag` rows of
    /// kind `link`), in id order.
    pub fn cases_linking(&self, reference: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT DISTINCT doc_id FROM case_tag WHERE kind = 'link' AND value = ?1 ORDER BY doc_id",
            [reference],
            |r| r.get(0),
        )
    }

    /// The highest sequence among the references (current or former) that
    /// start with `series` (`GT-K7M3Q-2026-`), 0 when there are none.
    /// Sequences above [`MAX_SEQUENCE`] (which no node issues; a peer's
    /// attempt to make this node's counter overflow) do not count.
    pub fn highest_in_series(&self, series: &str) -> Result<u32> {
        // Every reference of the series sorts between `series` and the same
        // text with its final '-' raised to '.', so the index finds them.
        let mut end = series.to_owned();
        if end.pop() != Some('-') {
            return Err(StoreError::Corrupt(format!(
                "`{series}` is not a reference series"
            )));
        }
        end.push('.');
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT MAX(n) FROM (
                     SELECT CAST(substr(reference, ?3) AS INTEGER) AS n FROM case_index
                      WHERE reference >= ?1 AND reference < ?2
                     UNION ALL
                     SELECT CAST(substr(value, ?3) AS INTEGER) FROM case_tag
                      WHERE kind = 'former_reference' AND value >= ?1 AND value < ?2)
                  WHERE n BETWEEN 1 AND ?4",
                params![series, end, series.len() as i64 + 1, MAX_SEQUENCE],
                |r| r.get(0),
            )
            .map_err(StoreError::from_sqlite)?;
        Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
    }

    /// References that more than one case carries now, with the cases
    /// (ordered by reference, then id).
    pub fn duplicate_references(&self) -> Result<Vec<(String, Vec<String>)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT reference, doc_id FROM case_index WHERE reference IN
                   (SELECT reference FROM case_index GROUP BY reference HAVING COUNT(*) > 1)
                 ORDER BY reference, doc_id",
            )
            .map_err(StoreError::from_sqlite)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(StoreError::from_sqlite)?;
        let mut out: Vec<(String, Vec<String>)> = vec![];
        for row in rows {
            let (reference, id) = row.map_err(StoreError::from_sqlite)?;
            match out.last_mut() {
                Some((r, ids)) if *r == reference => ids.push(id),
                _ => out.push((reference, vec![id])),
            }
        }
        Ok(out)
    }

    /// The number of changes in the change log, and the highest sequence.
    pub fn change_log_stats(&self) -> Result<(u64, i64)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(max(seq), 0) FROM change_log",
                [],
                |r| Ok((to_u64(r.get(0)?), r.get(1)?)),
            )
            .map_err(StoreError::from_sqlite)
    }

    /// (hash, signature) of every logged change, in order.
    pub fn change_signatures(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut st = self
            .conn
            .prepare("SELECT hash, coalesce(signature, x'') FROM change_log ORDER BY seq")
            .map_err(StoreError::from_sqlite)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(StoreError::from_sqlite)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(StoreError::from_sqlite)
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditRow>> {
        self.rows(
            "SELECT seq, at, actor, action, subject, detail, prev, hash FROM audit_log ORDER BY seq",
            [],
            crate::officials::audit_row,
        )
    }

    /// One page of the case list and the total number of matches.
    ///
    /// With search terms the full-text index drives the query (its rowid is
    /// the case_index rowid); with only terms, the count comes from the
    /// index alone, without touching the case rows.
    pub fn list_cases(&self, q: &CaseQuery) -> Result<(u64, Vec<CaseListRow>)> {
        let mut wheres: Vec<String> = vec![];
        let mut args: Vec<SqlValue> = vec![];
        let text = !q.terms.is_empty();
        if text {
            wheres.push("case_fts MATCH ?".into());
            args.push(SqlValue::Text(fts_query(&q.terms, q.names)));
        }
        if let Some(s) = &q.status {
            wheres.push("ci.status = ?".into());
            args.push(SqlValue::Text(s.clone()));
        }
        if let Some(c) = &q.classification {
            wheres.push("ci.classification = ?".into());
            args.push(SqlValue::Text(c.clone()));
        }
        match (&q.country, &q.role) {
            (Some(c), Some(r)) => {
                wheres.push(
                    "EXISTS (SELECT 1 FROM case_country cc WHERE cc.doc_id = ci.doc_id
                             AND cc.country = ? AND cc.role = ?)"
                        .into(),
                );
                args.push(SqlValue::Text(c.clone()));
                args.push(SqlValue::Text(r.clone()));
            }
            (Some(c), None) => {
                wheres.push(
                    "EXISTS (SELECT 1 FROM case_country cc WHERE cc.doc_id = ci.doc_id AND cc.country = ?)"
                        .into(),
                );
                args.push(SqlValue::Text(c.clone()));
            }
            (None, Some(r)) => {
                wheres.push(
                    "EXISTS (SELECT 1 FROM case_country cc WHERE cc.doc_id = ci.doc_id AND cc.role = ?)"
                        .into(),
                );
                args.push(SqlValue::Text(r.clone()));
            }
            (None, None) => {}
        }
        for (kind, value) in [("purpose", &q.purpose), ("means", &q.means)] {
            if let Some(v) = value {
                wheres.push(
                    "EXISTS (SELECT 1 FROM case_tag t WHERE t.doc_id = ci.doc_id
                             AND t.kind = ? AND t.value = ?)"
                        .into(),
                );
                args.push(SqlValue::Text(kind.into()));
                args.push(SqlValue::Text(v.clone()));
            }
        }
        if let Some(d) = &q.opened_from {
            wheres.push("ci.opened >= ?".into());
            args.push(SqlValue::Text(d.clone()));
        }
        if let Some(d) = &q.opened_to {
            wheres.push("ci.opened <= ?".into());
            args.push(SqlValue::Text(d.clone()));
        }
        if let Some(o) = &q.owner {
            wheres.push("ci.owner_country = ?".into());
            args.push(SqlValue::Text(o.clone()));
        }
        if let Some(d) = &q.review_due_by {
            wheres.push(
                "EXISTS (SELECT 1 FROM risk_index ri WHERE ri.case_id = ci.doc_id
                         AND ri.next_review != '' AND ri.next_review <= ?)
                 AND ci.owner_country = (SELECT country FROM node WHERE id = 1)"
                    .into(),
            );
            args.push(SqlValue::Text(d.clone()));
        }
        if !q.ids.is_empty() {
            wheres.push(format!(
                "ci.doc_id IN ({})",
                vec!["?"; q.ids.len()].join(", ")
            ));
            args.extend(q.ids.iter().cloned().map(SqlValue::Text));
        }
        let from = if text {
            "case_fts JOIN case_index ci ON ci.rowid = case_fts.rowid"
        } else {
            "case_index ci"
        };
        let where_sql = if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        };
        let count_sql = if text && wheres.len() == 1 {
            "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?".to_owned()
        } else {
            format!("SELECT count(*) FROM {from} {where_sql}")
        };
        let total: u64 = self
            .conn
            .query_row(&count_sql, params_from_iter(args.iter()), |r| {
                r.get::<_, i64>(0)
            })
            .map(to_u64)
            .map_err(StoreError::from_sqlite)?;
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match q.sort {
            SortField::Relevance if text => "case_fts.rank".to_owned(),
            SortField::Newest if text => format!("case_fts.rowid {dir}"),
            SortField::Newest => format!("ci.rowid {dir}"),
            SortField::Updated | SortField::Relevance => {
                format!("ci.updated_at {dir}, ci.opened {dir}, ci.reference {dir}")
            }
            SortField::Reference => format!("ci.reference {dir}"),
            SortField::Title => format!("ci.title_sort {dir}"),
            SortField::Opened => format!("ci.opened {dir}, ci.reference {dir}"),
            SortField::Status => format!("ci.status {dir}, ci.updated_at DESC"),
            SortField::Classification => format!("ci.classification {dir}, ci.updated_at DESC"),
            SortField::Owner => format!("ci.owner_country {dir}, ci.updated_at DESC"),
        };
        let sql = format!(
            "SELECT ci.doc_id, ci.reference, ci.title, ci.status, ci.classification, ci.owner_country,
                    ci.opened, ci.updated_at, ci.warnings, ci.demo,
                    (SELECT group_concat(country || ':' || role, ',') FROM case_country cc
                      WHERE cc.doc_id = ci.doc_id AND role != 'owner'),
                    (SELECT min(ri.next_review) FROM risk_index ri
                      WHERE ri.case_id = ci.doc_id AND ri.next_review != ''
                        AND ci.owner_country = (SELECT country FROM node WHERE id = 1))
             FROM {from} {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
        );
        args.push(SqlValue::Integer(i64::from(q.limit.max(1))));
        args.push(SqlValue::Integer(i64::from(q.offset)));
        let mut st = self
            .conn
            .prepare_cached(&sql)
            .map_err(StoreError::from_sqlite)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(CaseListRow {
                    doc_id: r.get(0)?,
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    status: r.get(3)?,
                    classification: r.get(4)?,
                    owner_country: r.get(5)?,
                    opened: r.get(6)?,
                    updated_at: r.get(7)?,
                    warnings: r.get(8)?,
                    demo: r.get(9)?,
                    countries: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                    next_review: r.get(11)?,
                })
            })
            .map_err(StoreError::from_sqlite)?;
        let rows = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(StoreError::from_sqlite)?;
        Ok((total, rows))
    }
}

fn doc_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocRow> {
    Ok(DocRow {
        id: r.get(0)?,
        kind: kind_at(r, 1)?,
        owner_country: r.get(2)?,
        owner_node: r.get(3)?,
        audience: r.get(4)?,
        bytes: r.get(5)?,
        heads: r.get(6)?,
        updated_at: r.get(7)?,
        local_only: r.get(8)?,
        reach: split_reach(&r.get::<_, String>(9)?),
        grants: split_reach(&r.get::<_, String>(10)?),
    })
}

/// Whom a document reaches beyond its audience ([`Read::reach_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachRow {
    pub owner_node: String,
    pub nodes: Vec<String>,
    pub grants: Vec<String>,
}

/// A stored `reach` or `grants` column as its entries.
pub(crate) fn split_reach(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A document kind read from column `i`: a kind this version does not know
/// is an error (documents are stored only once their kind is checked).
pub(crate) fn kind_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<DocKind> {
    let name: String = r.get(i)?;
    DocKind::of(&name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown document kind {name:?}").into(),
        )
    })
}
