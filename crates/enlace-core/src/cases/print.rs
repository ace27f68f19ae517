//! The printable case file (PDF, Spanish or English, A4 or Letter): the
//! case by pseudonym, its requests and answers, and the victims' risk for
//! officials who may see it. Printing is recorded in the audit log.

use std::path::Path;

use enlace_domain::{Case, Lang, Permission};

use super::{requests, resolve};
use crate::edit;
use crate::files::write_atomically;
use crate::{App, CoreError, Result, now_string};

impl App {
    /// Writes case `key`'s file as PDF to `out` (atomically); returns its
    /// size. Never prints an identity; the risk section only for an
    /// official who may see risk assessments (it says so otherwise).
    pub fn case_file_pdf(
        &mut self,
        key: &str,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        self.require(Permission::Export)?;
        let input = self.case_file(key, lang, paper)?;
        let bytes = enlace_report::case_file(&input)?;
        write_atomically(out, &bytes)?;
        let by = self.by();
        let target = out.display().to_string();
        let reference = input.case.reference.clone();
        self.store.write(|tx| {
            tx.audit(
                &now_string(),
                &by,
                "report.case_file",
                &reference,
                &format!("{target} ({}, {:?})", lang.code(), paper),
            )
        })?;
        Ok(bytes.len() as u64)
    }

    /// The values the case file shows (the report crate reads values only).
    pub fn case_file(
        &self,
        key: &str,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<enlace_report::CaseFile> {
        let r = self.store.read();
        let id = resolve(&r, key)?;
        let (case, _, _) =
            edit::load::<Case>(&r, &self.node.actor, &id)?.ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
        let today = crate::clock::now().date_naive();
        let file_requests = requests::views(&case, self.node.country.as_str(), today)
            .into_iter()
            .map(|v| enlace_report::FileRequest {
                latest: v.answers.last().map(|a| (a.action, a.text.clone())),
                overdue: v.overdue,
                request: v.request,
            })
            .collect();
        let risks = if self.session.role.allows(Permission::SeeRiskAssessments) {
            Some(
                self.risks(&id)?
                    .into_iter()
                    .map(|v| {
                        let mut levels: Vec<_> = v.current.iter().map(|e| e.level).collect();
                        levels.sort_by(|a, b| b.cmp(a));
                        levels.dedup();
                        enlace_report::FileRisk {
                            pseudonym: v.pseudonym,
                            levels,
                            next_review: v.next_review,
                            overdue: v.review == Some(enlace_domain::ReviewState::Overdue),
                        }
                    })
                    .collect(),
            )
        } else {
            None
        };
        Ok(enlace_report::CaseFile {
            lang,
            paper,
            today,
            generated_at: crate::clock::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            node: self.node.name.clone(),
            by: self.by(),
            requests: file_requests,
            risks,
            case,
        })
    }
}
