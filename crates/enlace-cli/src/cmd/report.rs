//! `enlace report`: the printable PDFs (the legal matrix, the plan status
//! sheet, the statistical report).

use std::path::Path;

use enlace_core::{Paper, SheetScope, parse_participating};
use enlace_domain::{Lang, tr_args};

use crate::args::{PaperArg, ReportCommand};
use crate::common::{Outcome, open};

pub fn run(command: ReportCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let (paper, out) = match &command {
        ReportCommand::LegalMatrix { paper, out }
        | ReportCommand::Statistics { paper, out, .. }
        | ReportCommand::PlanStatus { paper, out, .. }
        | ReportCommand::CaseFile { paper, out, .. }
        | ReportCommand::ReferralLetter { paper, out, .. } => (*paper, out.clone()),
    };
    let paper = match paper {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
    };
    if let ReportCommand::ReferralLetter {
        case,
        referral,
        with_identity,
        ..
    } = &command
    {
        let mut app = open(dir, lang, user)?;
        let bytes = app.referral_letter_pdf(case, referral, &out, lang, paper, *with_identity)?;
        return written(&out, bytes, lang);
    }
    if let ReportCommand::CaseFile { case, .. } = &command {
        let mut app = open(dir, lang, user)?;
        let bytes = app.case_file_pdf(case, &out, lang, paper)?;
        return written(&out, bytes, lang);
    }
    if let ReportCommand::Statistics { select, .. } = &command {
        // Check the arguments before asking for the passphrase.
        let q = super::datasets::query(select, vec![], lang)?;
        let mut app = open(dir, lang, user)?;
        let bytes = app.statistics_pdf(&q, &out, lang, paper)?;
        return written(&out, bytes, lang);
    }
    // Check the country before asking for the passphrase.
    let scope = match &command {
        ReportCommand::PlanStatus {
            country: Some(c), ..
        } => Some(SheetScope::Country(parse_participating(c)?)),
        ReportCommand::PlanStatus { .. } => Some(SheetScope::Region),
        ReportCommand::LegalMatrix { .. }
        | ReportCommand::Statistics { .. }
        | ReportCommand::CaseFile { .. }
        | ReportCommand::ReferralLetter { .. } => None,
    };
    let mut app = open(dir, lang, user)?;
    let bytes = match scope {
        Some(scope) => app.plan_status_pdf(&scope, &out, lang, paper)?,
        None => app.legal_matrix_pdf(&out, lang, paper)?,
    };
    written(&out, bytes, lang)
}

fn written(out: &Path, bytes: u64, lang: Lang) -> Outcome {
    println!(
        "{}",
        tr_args(
            lang,
            "cli-report-written",
            &[
                ("path", &out.display().to_string()),
                ("kb", &(bytes.div_ceil(1024)).to_string())
            ]
        )
    );
    Ok(())
}
