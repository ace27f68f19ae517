//! The legal assessments written out: the CSV of every held assessment,
//! and the harmonisation matrix as PDF.

use std::path::Path;

use chrono::Utc;
use enlace_domain::enums::Closed;
use enlace_domain::{Lang, LegalAssessment};

use super::countries;
use crate::files::write_atomically;
use crate::{App, CoreError, Result};

impl App {
    /// Every assessment this node holds, in the region's order.
    fn held_assessments(&self) -> Result<Vec<LegalAssessment>> {
        let read = self.store.read();
        let mut out = vec![];
        for c in countries() {
            if let Some(l) = self.load_assessment(&read, &c)? {
                out.push(l.assessment);
            }
        }
        Ok(out)
    }

    /// Writes every held assessment as CSV (one row per country and item;
    /// labels in `lang`), atomically. Returns the number of rows.
    pub fn legal_export_csv(&mut self, out: &Path, lang: Lang) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
        let held = self.held_assessments()?;
        let mut w = csv::Writer::from_writer(vec![]);
        let csv_err = |e: csv::Error| CoreError::Internal(e.to_string());
        w.write_record([
            "country",
            "country_name",
            "item",
            "instrument",
            "article",
            "obligation",
            "status",
            "status_label",
            "provisions",
            "gap",
            "proposal",
            "evidence",
            "assessor",
            "assessed_on",
            "updated_at",
            "updated_by",
            "catalogue_version",
            "demo",
        ])
        .map_err(csv_err)?;
        let mut rows = 0u64;
        for a in &held {
            for it in a.catalogue() {
                let item = a.item(it.id);
                let provisions = item
                    .provisions
                    .iter()
                    .map(|p| match p.year {
                        Some(y) => format!("{}, {} ({y})", p.law, p.article),
                        None => format!("{}, {}", p.law, p.article),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let evidence = item
                    .evidence
                    .iter()
                    .map(|e| format!("{}: {}", e.kind.label(lang), e.reference))
                    .collect::<Vec<_>>()
                    .join("; ");
                w.write_record([
                    a.country.as_str(),
                    &a.country.name(lang),
                    it.id,
                    it.instrument.as_str(),
                    it.article,
                    it.obligation.as_str(),
                    item.status.as_str(),
                    &item.status.label(lang),
                    &provisions,
                    &item.gap,
                    &item.proposal,
                    &evidence,
                    &item.assessor,
                    &item.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
                    &item.updated_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
                    &item.updated_by,
                    &a.catalogue_version.to_string(),
                    if a.demo { "true" } else { "false" },
                ])
                .map_err(csv_err)?;
                rows += 1;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, &format!("legal csv, {rows} rows"))?;
        Ok(rows)
    }

    /// Writes the harmonisation matrix as PDF. Returns the file size.
    pub fn legal_matrix_pdf(
        &mut self,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
        let held = self.held_assessments()?;
        let bytes = enlace_report::legal_matrix(&enlace_report::LegalMatrix {
            lang,
            paper,
            countries: countries(),
            assessments: &held,
            generated_at: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            node: self.node.name.clone(),
        })?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, "legal matrix pdf")?;
        Ok(bytes.len() as u64)
    }
}
