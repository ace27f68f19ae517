//! The referral letter: one page an official signs and hands (or sends) to
//! the agency a victim is referred to. It names the victim by pseudonym
//! and case reference unless the official chose to print her identity.

use chrono::NaiveDate;
use enlace_domain::enums::Closed;
use enlace_domain::{Agency, CountryCode, Lang, Referral, tr, tr_args};

use crate::ReportError;
use crate::layout::{BLACK, Cell, GREY, LIGHT, Pages, Paper, Table, Weight};

/// Everything the letter shows.
#[derive(Debug, Clone)]
pub struct ReferralLetter {
    pub lang: Lang,
    pub paper: Paper,
    pub today: NaiveDate,
    /// The node writing it and its country.
    pub node: String,
    pub country: CountryCode,
    /// Who signs (`node/official`).
    pub by: String,
    pub reference: String,
    pub pseudonym: String,
    /// The victim's name, only when the official chose to print it.
    pub identity: Option<String>,
    pub referral: Referral,
    /// The agency's entry, when held (else its name from the referral).
    pub agency: Option<Agency>,
}

/// Renders the letter to PDF bytes.
pub fn render(l: &ReferralLetter) -> Result<Vec<u8>, ReportError> {
    let lang = l.lang;
    let mut p = Pages::new(l.paper, false, 54.0)?;
    let w = p.content_width();
    let title = tr(lang, "report-letter-title");
    p.y += 4.0;
    p.paragraph(&l.node, 10.0, Weight::Bold, BLACK);
    p.paragraph(&l.country.name(lang), 9.0, Weight::Regular, GREY);
    p.paragraph(
        &tr_args(
            lang,
            "report-letter-date",
            &[("date", &l.today.format("%d/%m/%Y").to_string())],
        ),
        9.0,
        Weight::Regular,
        BLACK,
    );
    p.y += 12.0;
    // To whom.
    let name = l
        .agency
        .as_ref()
        .map_or(l.referral.agency_name.as_str(), |a| a.name.as_str());
    p.paragraph(&tr(lang, "report-letter-to"), 9.0, Weight::Regular, GREY);
    p.paragraph(name, 11.0, Weight::Bold, BLACK);
    if let Some(a) = &l.agency {
        let place = [a.city.as_str(), &a.country.name(lang)]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        p.paragraph(&place, 9.0, Weight::Regular, BLACK);
        for c in &a.contacts {
            let parts: Vec<&str> = [c.name.as_str(), &c.function, &c.phone, &c.email]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            p.paragraph(&parts.join(" · "), 8.5, Weight::Regular, GREY);
        }
    }
    p.y += 14.0;
    p.paragraph(&title, 15.0, Weight::Bold, BLACK);
    p.y += 6.0;
    let whom = match &l.identity {
        Some(name) => tr_args(
            lang,
            "report-letter-whom-named",
            &[
                ("name", name),
                ("pseudonym", &l.pseudonym),
                ("reference", &l.reference),
            ],
        ),
        None => tr_args(
            lang,
            "report-letter-whom",
            &[("pseudonym", &l.pseudonym), ("reference", &l.reference)],
        ),
    };
    p.paragraph(&whom, 10.0, Weight::Regular, BLACK);
    p.y += 8.0;
    let services = if l.referral.services.is_empty() {
        "—".to_owned()
    } else {
        l.referral
            .services
            .iter()
            .map(|s| s.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let consent = match &l.referral.consent_override {
        None if l.referral.consent => tr(lang, "report-letter-consent"),
        Some(why) => tr_args(lang, "report-letter-consent-override", &[("reason", why)]),
        None => tr(lang, "report-letter-consent-missing"),
    };
    let due = l
        .referral
        .due
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| "—".into());
    let t = Table {
        columns: vec![(String::new(), w * 0.3), (String::new(), w * 0.7)],
        size: 9.5,
    };
    let row = |k: &str, v: String| vec![Cell::new(k).bold().fill(LIGHT), Cell::new(v)];
    p.table(
        &t,
        &[
            row(&tr(lang, "report-letter-services"), services),
            row(&tr(lang, "report-letter-reason"), l.referral.reason.clone()),
            row(&tr(lang, "report-letter-consent-row"), consent),
            row(&tr(lang, "report-letter-due"), due),
        ],
    );
    p.y += 14.0;
    p.paragraph(
        &tr(lang, "report-letter-answer"),
        9.5,
        Weight::Regular,
        BLACK,
    );
    p.y += 40.0;
    let x = p.margin;
    p.line(x, p.y, x + 220.0, p.y, BLACK, 0.6);
    p.y += 4.0;
    p.paragraph(&l.by, 9.0, Weight::Regular, BLACK);
    p.y += 10.0;
    let notice = if l.identity.is_some() {
        tr(lang, "report-letter-notice-identity")
    } else {
        tr(lang, "report-letter-notice")
    };
    p.paragraph(&notice, 8.0, Weight::Regular, GREY);

    let produced = tr_args(
        lang,
        "report-produced",
        &[
            ("date", &l.today.format("%Y-%m-%d").to_string()),
            ("node", &l.node),
        ],
    );
    let metadata = krilla::metadata::Metadata::new()
        .title(title.clone())
        .language(lang.code().to_owned())
        .creator("Enlace".into());
    p.finish(metadata, |p, i, n| {
        p.running_head(lang, i, n, &title, &produced, None);
    })
}
