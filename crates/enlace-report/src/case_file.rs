//! The printable case file: a case as a prosecutor or a task force reads
//! it on paper — summary, classification and its history, the Art. 3
//! elements, the route drawn as a strip, the persons by pseudonym (never
//! an identity), indicators, information items with their grading,
//! requests and their answers, joint operations, links, and the victims'
//! risk (for those who may see it). Handling codes are printed where they
//! apply: on each item, and on every page's header and footer when the
//! case holds H1, H2 or H3 items.

use chrono::NaiveDate;
use enlace_domain::enums::Closed;
use enlace_domain::{
    Case, HandlingCode, Lang, LegalRequest, RequestAction, RiskLevel, tr, tr_args,
};

use crate::ReportError;
use crate::layout::{BLACK, Cell, GREY, LIGHT, Pages, Paper, Rgb, Seg, Table, WHITE, Weight};

/// A request as the file prints it.
#[derive(Debug, Clone)]
pub struct FileRequest {
    pub request: LegalRequest,
    /// The requested country's latest answer, and its text.
    pub latest: Option<(RequestAction, String)>,
    pub overdue: bool,
}

/// A victim's risk as the file prints it.
#[derive(Debug, Clone)]
pub struct FileRisk {
    pub pseudonym: String,
    /// The current levels (several: assessed apart, not chosen yet).
    pub levels: Vec<RiskLevel>,
    pub next_review: Option<NaiveDate>,
    pub overdue: bool,
}

/// Everything the case file shows.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub lang: Lang,
    pub paper: Paper,
    pub case: Case,
    pub today: NaiveDate,
    pub generated_at: String,
    pub node: String,
    /// Who printed it (`node/official`).
    pub by: String,
    pub requests: Vec<FileRequest>,
    /// `None`: the official may not see risk assessments (the section
    /// says so).
    pub risks: Option<Vec<FileRisk>>,
}

const ALERT: Rgb = Rgb(183, 28, 28);

/// The fill of a risk level (light, so black text reads on it).
pub fn level_fill(l: RiskLevel) -> Rgb {
    match l {
        RiskLevel::Low => Rgb(200, 230, 201),
        RiskLevel::Medium => Rgb(255, 236, 179),
        RiskLevel::High => Rgb(255, 204, 128),
        RiskLevel::Critical => Rgb(239, 154, 154),
    }
}

/// What a handling code says on paper (the page header's words and the
/// item's mark).
pub fn handling_words(lang: Lang, h: HandlingCode) -> Option<String> {
    match h {
        HandlingCode::H0 => None,
        HandlingCode::H1 => Some(tr(lang, "report-case-h1")),
        HandlingCode::H2 => Some(tr(lang, "report-case-h2")),
        HandlingCode::H3 => Some(tr(lang, "report-case-h3")),
    }
}

/// Renders the case file to PDF bytes.
pub fn render(f: &CaseFile) -> Result<Vec<u8>, ReportError> {
    let lang = f.lang;
    let c = &f.case;
    let mut p = Pages::new(f.paper, false, 36.0)?;
    let w = p.content_width();
    let x0 = p.margin;
    let title = tr_args(lang, "report-case-title", &[("reference", &c.reference)]);
    let codes = c.handling_codes();
    // The restrictions, said on every page.
    let restrictions: Vec<String> = codes
        .iter()
        .filter_map(|h| handling_words(lang, *h))
        .collect();
    let head_title = if codes.is_empty() {
        title.clone()
    } else {
        format!(
            "{title} · {}",
            codes
                .iter()
                .map(|h| h.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )
    };

    p.y += 4.0;
    p.paragraph(&title, 16.0, Weight::Bold, BLACK);
    p.paragraph(&c.title, 12.0, Weight::Bold, BLACK);
    p.paragraph(
        &tr_args(
            lang,
            "report-case-printed",
            &[
                ("date", &f.today.format("%d/%m/%Y").to_string()),
                ("by", &f.by),
            ],
        ),
        8.5,
        Weight::Regular,
        GREY,
    );
    p.paragraph(
        &tr(lang, "report-case-pseudonyms"),
        8.5,
        Weight::Regular,
        GREY,
    );
    if c.demo {
        p.paragraph(&tr(lang, "report-plan-demo"), 8.5, Weight::Bold, BLACK);
    }
    if !restrictions.is_empty() {
        p.y += 6.0;
        let lines: Vec<String> = restrictions.clone();
        let h = 16.0 + 12.0 * lines.len() as f32;
        p.ensure(h + 4.0);
        let y = p.y;
        p.rect(x0, y, w, h, Some(Rgb(255, 235, 238)), Some(ALERT));
        p.text(
            x0 + 8.0,
            y + 13.0,
            9.0,
            Weight::Bold,
            ALERT,
            &tr(lang, "report-case-handling-box"),
        );
        for (i, l) in lines.iter().enumerate() {
            p.text(
                x0 + 8.0,
                y + 26.0 + 12.0 * i as f32,
                8.5,
                Weight::Regular,
                BLACK,
                l,
            );
        }
        p.y += h;
    }
    p.y += 8.0;

    // Summary.
    section(&mut p, &tr(lang, "report-case-summary"));
    let kv = Table {
        columns: vec![(String::new(), w * 0.28), (String::new(), w * 0.72)],
        size: 8.5,
    };
    let mut rows = vec![
        pair(&tr(lang, "field-reference"), &c.reference),
        pair(&tr(lang, "field-status"), &c.status.label(lang)),
        pair(
            &tr(lang, "field-classification"),
            &c.classification.label(lang),
        ),
        pair(
            &tr(lang, "report-case-opened"),
            &c.opened.format("%d/%m/%Y").to_string(),
        ),
        pair(&tr(lang, "report-case-owner"), &c.owner.country.name(lang)),
        pair(
            &tr(lang, "report-case-audience"),
            &c.audience.scope.label(lang),
        ),
    ];
    if !c.former_references.is_empty() {
        rows.push(pair(
            &tr(lang, "report-case-former"),
            &c.former_references.join(", "),
        ));
    }
    p.table(&kv, &rows);
    if !c.summary.trim().is_empty() {
        p.y += 4.0;
        p.paragraph(&c.summary, 9.0, Weight::Regular, BLACK);
    }
    p.y += 8.0;

    // Classification and its history.
    if !c.classification_history.is_empty() {
        section(&mut p, &tr(lang, "report-case-classification-history"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-date"), w * 0.18),
                (tr(lang, "field-classification"), w * 0.32),
                (tr(lang, "report-case-col-by"), w * 0.25),
                (tr(lang, "report-case-col-reason"), w * 0.25),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = c
            .classification_history
            .iter()
            .map(|h| {
                vec![
                    Cell::new(h.at.format("%d/%m/%Y").to_string()),
                    Cell::new(h.classification.label(lang)),
                    Cell::new(h.by.clone()),
                    Cell::new(h.reason.clone().unwrap_or_default()),
                ]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // Art. 3 elements.
    section(&mut p, &tr(lang, "report-case-elements"));
    let labels = |v: Vec<String>| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join("\n")
        }
    };
    let t = Table {
        columns: vec![
            (tr(lang, "report-case-acts"), w / 3.0),
            (tr(lang, "report-case-means"), w / 3.0),
            (tr(lang, "report-case-purposes"), w / 3.0),
        ],
        size: 8.0,
    };
    let mut means = labels(c.means.iter().map(|m| m.label(lang)).collect());
    if c.child_involved {
        means = format!("{means}\n{}", tr(lang, "report-case-child"));
    }
    p.table(
        &t,
        &[vec![
            Cell::new(labels(c.acts.iter().map(|a| a.label(lang)).collect())),
            Cell::new(means),
            Cell::new(labels(c.purposes.iter().map(|x| x.label(lang)).collect())),
        ]],
    );
    p.y += 8.0;

    // The route, drawn.
    if !c.route.is_empty() {
        section(&mut p, &tr(lang, "report-case-route"));
        route_strip(&mut p, f);
        p.y += 8.0;
    }

    // Persons, by pseudonym only.
    if !c.persons.is_empty() {
        section(&mut p, &tr(lang, "report-case-persons"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-pseudonym"), w * 0.14),
                (tr(lang, "report-case-col-role"), w * 0.18),
                (tr(lang, "report-case-col-gender"), w * 0.14),
                (tr(lang, "report-case-col-age"), w * 0.14),
                (tr(lang, "report-case-col-nationality"), w * 0.16),
                (tr(lang, "report-case-col-process"), w * 0.24),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = c
            .persons
            .iter()
            .map(|x| {
                vec![
                    Cell::new(x.pseudonym.clone()).bold(),
                    Cell::new(x.role.label(lang)),
                    Cell::new(x.gender.label(lang)),
                    Cell::new(x.age_band.map(|a| a.label(lang)).unwrap_or_default()),
                    Cell::new(
                        x.nationality
                            .as_ref()
                            .map(|n| n.name(lang))
                            .unwrap_or_default(),
                    ),
                    Cell::new(
                        x.process_roles
                            .iter()
                            .map(|r| r.label(lang))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // The victims' risk.
    section(&mut p, &tr(lang, "report-case-risk"));
    match &f.risks {
        None => p.paragraph(
            &tr(lang, "report-case-risk-withheld"),
            8.5,
            Weight::Regular,
            GREY,
        ),
        Some(risks) if risks.is_empty() => p.paragraph(
            &tr(lang, "report-case-risk-none"),
            8.5,
            Weight::Regular,
            GREY,
        ),
        Some(risks) => {
            let t = Table {
                columns: vec![
                    (tr(lang, "report-case-col-pseudonym"), w * 0.16),
                    (tr(lang, "report-case-col-level"), w * 0.34),
                    (tr(lang, "report-case-col-next-review"), w * 0.5),
                ],
                size: 8.5,
            };
            let rows: Vec<Vec<Cell>> = risks
                .iter()
                .map(|r| {
                    let level = match r.levels.as_slice() {
                        [] => tr(lang, "report-case-risk-not-assessed"),
                        [one] => one.label(lang),
                        many => tr_args(
                            lang,
                            "report-case-risk-concurrent",
                            &[(
                                "levels",
                                &many
                                    .iter()
                                    .map(|l| l.label(lang))
                                    .collect::<Vec<_>>()
                                    .join(" / "),
                            )],
                        ),
                    };
                    let mut level_cell = Cell::new(level);
                    if let Some(top) = r.levels.iter().max() {
                        level_cell = level_cell.fill(level_fill(*top));
                    }
                    let mut review = r
                        .next_review
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default();
                    if r.overdue {
                        review = format!("{review}\n{}", tr(lang, "report-case-review-overdue"));
                    }
                    let mut first = Cell::new(r.pseudonym.clone()).bold();
                    let mut review = Cell::new(review);
                    if r.overdue {
                        first = first.mark(ALERT);
                        review = review.bold();
                    }
                    vec![first, level_cell, review]
                })
                .collect();
            p.table(&t, &rows);
        }
    }
    p.y += 8.0;

    // Indicators.
    if !c.indicators.is_empty() {
        section(&mut p, &tr(lang, "report-case-indicators"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-kind"), w * 0.28),
                (tr(lang, "report-case-col-description"), w * 0.57),
                (tr(lang, "report-case-col-date"), w * 0.15),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = c
            .indicators
            .iter()
            .map(|i| {
                vec![
                    Cell::new(i.kind.label(lang)),
                    Cell::new(i.description.clone()),
                    Cell::new(
                        i.date
                            .map(|d| d.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // Information items with their grading and handling.
    if !c.information.is_empty() {
        section(&mut p, &tr(lang, "report-case-information"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-information"), w * 0.46),
                (tr(lang, "report-case-col-source"), w * 0.2),
                (tr(lang, "report-case-col-grading"), w * 0.1),
                (tr(lang, "report-case-col-handling"), w * 0.24),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = c
            .information
            .iter()
            .map(|i| {
                let grading = format!("{}{}", i.reliability.as_str(), i.credibility.as_str());
                let mut handling = i.handling.as_str().to_owned();
                if let Some(words) = handling_words(lang, i.handling) {
                    handling = format!("{handling}\n{words}");
                }
                if let Some(note) = i.handling_note.as_deref().filter(|n| !n.is_empty()) {
                    handling = format!("{handling}\n{note}");
                }
                let source = if i.originator.is_empty() {
                    i.source_agency.clone()
                } else {
                    format!("{}\n({})", i.source_agency, i.originator)
                };
                let mut text = Cell::new(i.text.clone());
                let mut h = Cell::new(handling);
                if i.handling != HandlingCode::H0 {
                    text = text.mark(ALERT);
                    h = h.bold().fill(Rgb(255, 235, 238));
                }
                vec![text, Cell::new(source), Cell::new(grading), h]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // Requests between states and their answers.
    if !f.requests.is_empty() {
        section(&mut p, &tr(lang, "report-case-requests"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-request"), w * 0.36),
                (tr(lang, "report-case-col-status"), w * 0.16),
                (tr(lang, "report-case-col-due"), w * 0.14),
                (tr(lang, "report-case-col-answer"), w * 0.34),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = f
            .requests
            .iter()
            .map(|r| {
                let q = &r.request;
                let what = format!("{} {}→{}\n{}", q.kind.label(lang), q.from, q.to, q.subject);
                let mut due = q
                    .due
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default();
                if r.overdue {
                    due = format!("{due}\n{}", tr(lang, "report-plan-overdue-mark"));
                }
                let answer = r
                    .latest
                    .as_ref()
                    .map(|(a, text)| {
                        if text.is_empty() {
                            a.label(lang)
                        } else {
                            format!("{}: {text}", a.label(lang))
                        }
                    })
                    .unwrap_or_else(|| "—".into());
                let mut first = Cell::new(what);
                if r.overdue {
                    first = first.mark(ALERT);
                }
                vec![
                    first,
                    Cell::new(q.status.label(lang)),
                    Cell::new(due),
                    Cell::new(answer),
                ]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // Joint operations.
    if !c.joint_operations.is_empty() {
        section(&mut p, &tr(lang, "report-case-operations"));
        let t = Table {
            columns: vec![
                (tr(lang, "report-case-col-countries"), w * 0.3),
                (tr(lang, "report-case-col-agency"), w * 0.45),
                (tr(lang, "report-case-col-status"), w * 0.25),
            ],
            size: 8.0,
        };
        let rows: Vec<Vec<Cell>> = c
            .joint_operations
            .iter()
            .map(|o| {
                vec![
                    Cell::new(
                        o.countries
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::new(o.lead_agency.clone()),
                    Cell::new(o.status.label(lang)),
                ]
            })
            .collect();
        p.table(&t, &rows);
        p.y += 8.0;
    }

    // Links.
    if !c.links.is_empty() {
        section(&mut p, &tr(lang, "report-case-links"));
        for l in &c.links {
            let note = l.note.as_deref().unwrap_or("");
            p.paragraph(
                &format!("{} — {} {note}", l.reference, l.relation.label(lang)),
                8.5,
                Weight::Regular,
                BLACK,
            );
        }
    }

    let produced = tr_args(
        lang,
        "report-produced",
        &[("date", &f.generated_at), ("node", &f.node)],
    );
    let footer = if restrictions.is_empty() {
        None
    } else {
        Some(
            codes
                .iter()
                .filter(|h| **h != HandlingCode::H0)
                .map(|h| h.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
                + " — "
                + &tr(lang, "report-case-handling-footer"),
        )
    };
    let metadata = krilla::metadata::Metadata::new()
        .title(title.clone())
        .language(lang.code().to_owned())
        .creator("Enlace".into());
    p.finish(metadata, |p, i, n| {
        p.running_head(lang, i, n, &head_title, &produced, footer.as_deref());
    })
}

fn section(p: &mut Pages, title: &str) {
    p.ensure(60.0);
    p.paragraph(title, 11.0, Weight::Bold, BLACK);
    p.y += 3.0;
}

fn pair(k: &str, v: &str) -> Vec<Cell> {
    vec![Cell::new(k).bold().fill(LIGHT), Cell::new(v)]
}

/// The route as a strip of stops: a box per stop (country, place, role),
/// an arrow between them, wrapping to a second row when long.
fn route_strip(p: &mut Pages, f: &CaseFile) {
    let lang = f.lang;
    let stops = &f.case.route;
    let w = p.content_width();
    let gap = 18.0;
    let per_row = 4usize;
    let bw = (w - gap * (per_row as f32 - 1.0)) / per_row as f32;
    let bh = 46.0;
    for (row, chunk) in stops.chunks(per_row).enumerate() {
        p.ensure(bh + 10.0);
        let y = p.y;
        for (i, s) in chunk.iter().enumerate() {
            let x = p.margin + i as f32 * (bw + gap);
            p.rect(x, y, bw, bh, Some(WHITE), Some(BLACK));
            p.rect(x, y, bw, 14.0, Some(LIGHT), Some(BLACK));
            let n = row * per_row + i + 1;
            p.text(
                x + 4.0,
                y + 10.0,
                8.0,
                Weight::Bold,
                BLACK,
                &format!("{n}. {}", s.role.label(lang)),
            );
            p.text(
                x + 4.0,
                y + 26.0,
                9.0,
                Weight::Bold,
                BLACK,
                &s.country.name(lang),
            );
            let place = fit(p, &s.place, bw - 8.0, 8.0);
            p.text(x + 4.0, y + 38.0, 8.0, Weight::Regular, GREY, &place);
            // An arrow to the next stop on the row (the numbers carry the
            // order onto the next row).
            if i + 1 < chunk.len() {
                let ax = x + bw + 2.0;
                let ay = y + bh / 2.0;
                p.line(ax, ay, ax + gap - 6.0, ay, BLACK, 1.2);
                p.path(
                    vec![
                        Seg::Move(ax + gap - 4.0, ay),
                        Seg::Line(ax + gap - 9.0, ay - 3.5),
                        Seg::Line(ax + gap - 9.0, ay + 3.5),
                        Seg::Close,
                    ],
                    Some(BLACK),
                    None,
                    0.0,
                    None,
                );
            }
        }
        p.y += bh + 8.0;
    }
}

/// `text` cut with an ellipsis to fit `width` at `size`.
fn fit(p: &Pages, text: &str, width: f32, size: f32) -> String {
    if p.fonts.width(text, size, Weight::Regular) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && p.fonts.width(&format!("{out}…"), size, Weight::Regular) > width {
        out.pop();
    }
    format!("{out}…")
}
