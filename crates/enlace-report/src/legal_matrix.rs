//! The regional harmonisation matrix (landscape): countries × checklist
//! items, colour-coded and lettered so it reads in black and white, with a
//! legend; the catalogue of obligations; then, per country, the gaps and
//! the reform proposals.

use enlace_domain::enums::Closed;
use enlace_domain::legal::{self, AssessmentStatus, Instrument, Obligation};
use enlace_domain::{CountryCode, Lang, LegalAssessment, tr, tr_args};

use crate::ReportError;
use crate::layout::{BLACK, Cell, GREY, LIGHT, Pages, Paper, Rgb, Table, WHITE, Weight};

/// What the matrix report shows.
#[derive(Debug)]
pub struct LegalMatrix<'a> {
    pub lang: Lang,
    pub paper: Paper,
    /// The countries, in the order of the rows.
    pub countries: Vec<CountryCode>,
    /// The assessments held (a country without one is shown not assessed).
    pub assessments: &'a [LegalAssessment],
    /// e.g. `2026-11-27 14:05 UTC`.
    pub generated_at: String,
    /// The node that produced the report.
    pub node: String,
}

/// The fill and the letter of a status (the letter makes it readable on a
/// black-and-white printer).
pub fn status_style(s: AssessmentStatus) -> (Rgb, &'static str) {
    match s {
        AssessmentStatus::Compliant => (Rgb(165, 214, 167), "compliant"),
        AssessmentStatus::PartiallyCompliant => (Rgb(255, 224, 130), "partially_compliant"),
        AssessmentStatus::NotCompliant => (Rgb(239, 154, 154), "not_compliant"),
        AssessmentStatus::NotAssessed => (WHITE, "not_assessed"),
    }
}

fn letter(lang: Lang, s: AssessmentStatus) -> String {
    tr(lang, &format!("report-letter-{}", status_style(s).1))
}

fn instrument_short(i: Instrument) -> &'static str {
    match i {
        Instrument::TraffickingProtocol => "TIP",
        Instrument::ModelLaw => "ML",
        Instrument::SmugglingProtocol => "SOM",
    }
}

/// Renders the report to PDF bytes.
pub fn render(m: &LegalMatrix<'_>) -> Result<Vec<u8>, ReportError> {
    let lang = m.lang;
    let mut p = Pages::new(m.paper, true, 30.0)?;
    let by_country = |c: &CountryCode| m.assessments.iter().find(|a| &a.country == c);
    let any_demo = m.assessments.iter().any(|a| a.demo);

    // Title block.
    p.y += 4.0;
    p.paragraph(&tr(lang, "report-legal-title"), 15.0, Weight::Bold, BLACK);
    p.paragraph(&tr(lang, "report-legal-intro"), 8.5, Weight::Regular, GREY);
    p.y += 6.0;

    // The matrix.
    let items: Vec<_> = legal::CATALOGUE.iter().collect();
    let label_w = 118.0;
    let tally_w = 70.0;
    let cell_w = ((p.content_width() - label_w - tally_w) / items.len() as f32).min(18.0);
    let cell_h = 17.0;
    let x0 = p.margin;
    let grid_x = x0 + label_w;
    // Instrument bands.
    let band_y = p.y;
    let mut x = grid_x;
    for inst in Instrument::all() {
        let n = items.iter().filter(|i| i.instrument == *inst).count() as f32;
        let w = n * cell_w;
        p.rect(x, band_y, w, 13.0, Some(LIGHT), Some(GREY));
        let label = instrument_short(*inst);
        let tw = p.fonts.width(label, 7.5, Weight::Bold);
        p.text(
            x + (w - tw) / 2.0,
            band_y + 9.5,
            7.5,
            Weight::Bold,
            BLACK,
            label,
        );
        x += w;
    }
    // Rotated item ids.
    let head_h = 40.0;
    let ids_bottom = band_y + 13.0 + head_h;
    for (n, it) in items.iter().enumerate() {
        let cx = grid_x + n as f32 * cell_w + cell_w / 2.0 + 2.5;
        let weight = if it.is_mandatory() {
            Weight::Bold
        } else {
            Weight::Regular
        };
        p.push(crate::layout::Op::Text {
            x: cx,
            y: ids_bottom - 3.0,
            size: 6.5,
            weight,
            color: BLACK,
            text: it.id.to_owned(),
            rotate: 90.0,
        });
    }
    let tally_head = tr(lang, "report-legal-assessed");
    p.text(
        grid_x + items.len() as f32 * cell_w + 4.0,
        ids_bottom - 3.0,
        7.0,
        Weight::Bold,
        BLACK,
        &tally_head,
    );
    p.y = ids_bottom;
    for c in &m.countries {
        let a = by_country(c);
        let y = p.y;
        p.rect(x0, y, label_w, cell_h, None, Some(GREY));
        p.text(x0 + 3.0, y + 11.5, 8.0, Weight::Bold, BLACK, &c.name(lang));
        for (n, it) in items.iter().enumerate() {
            let s = a.map_or(AssessmentStatus::NotAssessed, |a| a.item(it.id).status);
            let (fill, _) = status_style(s);
            let cx = grid_x + n as f32 * cell_w;
            p.rect(cx, y, cell_w, cell_h, Some(fill), Some(GREY));
            let l = letter(lang, s);
            let tw = p.fonts.width(&l, 7.5, Weight::Bold);
            p.text(
                cx + (cell_w - tw) / 2.0,
                y + 11.5,
                7.5,
                Weight::Bold,
                BLACK,
                &l,
            );
        }
        let t = a.map(LegalAssessment::tally);
        let tally = match t {
            Some(t) => format!("{} / {}", t.assessed(), t.total()),
            None => tr(lang, "report-legal-none"),
        };
        let tx = grid_x + items.len() as f32 * cell_w;
        p.rect(tx, y, tally_w, cell_h, None, Some(GREY));
        p.text(tx + 4.0, y + 11.5, 8.0, Weight::Regular, BLACK, &tally);
        p.y += cell_h;
    }
    // Legend.
    p.y += 10.0;
    let mut lx = x0;
    let ly = p.y;
    p.text(
        lx,
        ly + 9.0,
        8.0,
        Weight::Bold,
        BLACK,
        &tr(lang, "report-legend"),
    );
    lx += p.fonts.width(&tr(lang, "report-legend"), 8.0, Weight::Bold) + 8.0;
    for s in AssessmentStatus::all() {
        let (fill, _) = status_style(*s);
        p.rect(lx, ly, 14.0, 12.0, Some(fill), Some(GREY));
        let l = letter(lang, *s);
        let tw = p.fonts.width(&l, 7.5, Weight::Bold);
        p.text(
            lx + (14.0 - tw) / 2.0,
            ly + 9.0,
            7.5,
            Weight::Bold,
            BLACK,
            &l,
        );
        let label = s.label(lang);
        p.text(lx + 18.0, ly + 9.0, 8.0, Weight::Regular, BLACK, &label);
        lx += 18.0 + p.fonts.width(&label, 8.0, Weight::Regular) + 14.0;
    }
    p.y += 16.0;
    p.paragraph(
        &tr(lang, "report-legal-legend-ids"),
        7.5,
        Weight::Regular,
        GREY,
    );
    p.y += 8.0;

    // The catalogue.
    p.ensure(80.0);
    p.paragraph(
        &tr(lang, "report-legal-catalogue"),
        11.0,
        Weight::Bold,
        BLACK,
    );
    p.y += 4.0;
    let w = p.content_width();
    let table = Table {
        columns: vec![
            (tr(lang, "report-col-item"), 48.0),
            (tr(lang, "report-col-article"), 90.0),
            (tr(lang, "report-col-obligation-type"), 80.0),
            (tr(lang, "report-col-obligation"), w - 218.0),
        ],
        size: 7.5,
    };
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|it| {
            vec![
                Cell::new(it.id).bold(),
                Cell::new(it.article),
                Cell::new(it.obligation.label(lang)),
                Cell::new(it.text(lang)),
            ]
        })
        .collect();
    p.table(&table, &rows);

    // Gaps and proposals per country.
    for c in &m.countries {
        p.new_page();
        p.paragraph(
            &tr_args(lang, "report-legal-gaps", &[("country", &c.name(lang))]),
            12.0,
            Weight::Bold,
            BLACK,
        );
        let Some(a) = by_country(c) else {
            p.paragraph(
                &tr(lang, "report-legal-no-assessment"),
                9.0,
                Weight::Regular,
                GREY,
            );
            continue;
        };
        p.paragraph(
            &a.tally().describe(lang, a.catalogue_version),
            8.5,
            Weight::Regular,
            GREY,
        );
        if a.demo {
            p.paragraph(&tr(lang, "report-demo"), 8.5, Weight::Bold, BLACK);
        }
        p.y += 4.0;
        let gaps: Vec<Vec<Cell>> = a
            .catalogue()
            .filter_map(|it| {
                let item = a.item(it.id);
                if !matches!(
                    item.status,
                    AssessmentStatus::PartiallyCompliant | AssessmentStatus::NotCompliant
                ) {
                    return None;
                }
                let provisions = item
                    .provisions
                    .iter()
                    .map(|pr| match pr.year {
                        Some(y) => format!("{}, {} ({y})", pr.law, pr.article),
                        None => format!("{}, {}", pr.law, pr.article),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let (fill, _) = status_style(item.status);
                let mandatory = if it.obligation == Obligation::Optional {
                    String::new()
                } else {
                    format!("\n{}", it.obligation.label(lang))
                };
                Some(vec![
                    Cell::new(format!("{}\n{}", it.id, it.article)).bold(),
                    Cell::new(format!(
                        "{} {}{mandatory}",
                        letter(lang, item.status),
                        item.status.label(lang)
                    ))
                    .fill(fill),
                    Cell::new(if provisions.is_empty() {
                        "—".into()
                    } else {
                        provisions
                    }),
                    Cell::new(if item.gap.is_empty() {
                        "—".into()
                    } else {
                        item.gap
                    }),
                    Cell::new(if item.proposal.is_empty() {
                        "—".into()
                    } else {
                        item.proposal
                    }),
                ])
            })
            .collect();
        if gaps.is_empty() {
            p.paragraph(
                &tr(lang, "report-legal-no-gaps"),
                9.0,
                Weight::Regular,
                GREY,
            );
            continue;
        }
        let rest = w - 60.0 - 95.0;
        let table = Table {
            columns: vec![
                (tr(lang, "report-col-item"), 60.0),
                (tr(lang, "report-col-status"), 95.0),
                (tr(lang, "report-col-provision"), rest * 0.3),
                (tr(lang, "report-col-gap"), rest * 0.35),
                (tr(lang, "report-col-proposal"), rest * 0.35),
            ],
            size: 7.5,
        };
        p.table(&table, &gaps);
    }

    let title = tr(lang, "report-legal-title");
    let produced = tr_args(
        lang,
        "report-produced",
        &[("date", &m.generated_at), ("node", &m.node)],
    );
    let demo = any_demo.then(|| tr(lang, "report-demo"));
    let metadata = krilla::metadata::Metadata::new()
        .title(title.clone())
        .language(lang.code().to_owned())
        .creator("Enlace".into());
    p.finish(metadata, |p, i, n| {
        p.running_head(lang, i, n, &title, &produced, demo.as_deref());
    })
}
