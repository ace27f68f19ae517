use std::process::Command;

use enlace_domain::legal::{AssessmentStatus, CATALOGUE};
use enlace_domain::{AssessmentItem, CountryCode, Lang, LegalAssessment, Owner, Provision};

use super::*;
use crate::plan_status::{PlanSheet, SheetTask};

fn assessment(country: &str, n: usize) -> LegalAssessment {
    let owner = Owner {
        country: CountryCode::parse(country).expect("country"),
        node: "demo".into(),
    };
    let mut a = LegalAssessment::new(owner, true);
    for (i, it) in CATALOGUE.iter().enumerate() {
        let status = match (i + n) % 4 {
            0 => AssessmentStatus::Compliant,
            1 => AssessmentStatus::PartiallyCompliant,
            2 => AssessmentStatus::NotCompliant,
            _ => AssessmentStatus::NotAssessed,
        };
        a.items.insert(
            it.id.to_owned(),
            AssessmentItem {
                status,
                provisions: vec![Provision { id: String::new(),
                    law: "Ley ficticia de demostración sobre la trata de personas y la \
                          protección de las víctimas, con un título largo que se parte"
                        .into(),
                    article: format!("art. {}", i + 1),
                    year: Some(2010 + n as i32),
                }],
                gap: format!("Brecha {country} {}: la ley no tipifica la captación ni la acogida de niñas y niños en todos los supuestos del artículo; José Núñez Ávila revisó.", it.id),
                proposal: "Reformar el Código Penal para incluir todos los actos.".into(),
                ..AssessmentItem::default()
            },
        );
    }
    a
}

pub(crate) fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("utf-8 path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask setup`");
    assert!(out.status.success(), "pdftotext failed on the PDF");
    String::from_utf8(out.stdout).expect("utf-8 text")
}

fn render_for(lang: Lang, paper: Paper, with_mx: bool) -> Vec<u8> {
    let countries = CountryCode::members()
        .into_iter()
        .filter(|c| c.is_participating())
        .collect::<Vec<_>>();
    let held: Vec<LegalAssessment> = countries
        .iter()
        .enumerate()
        .filter(|(_, c)| with_mx || c.as_str() != "MX")
        .map(|(n, c)| assessment(c.as_str(), n))
        .collect();
    legal_matrix(&LegalMatrix {
        lang,
        paper,
        countries,
        assessments: &held,
        generated_at: "2026-11-27 10:00 UTC".into(),
        node: "Paso Tecún Umán".into(),
    })
    .expect("render")
}

#[test]
fn the_matrix_pdf_holds_every_item_and_every_country_in_spanish() {
    let pdf = render_for(Lang::Es, Paper::A4, false);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdftotext(&pdf);
    for it in CATALOGUE {
        assert!(text.contains(it.id), "{} missing", it.id);
    }
    for c in CountryCode::members()
        .iter()
        .filter(|c| c.is_participating())
    {
        assert!(
            text.contains(&c.name(Lang::Es)),
            "{} missing",
            c.name(Lang::Es)
        );
    }
    assert!(text.contains("Matriz regional de armonización legislativa"));
    assert!(text.contains("Brechas y propuestas de reforma — Guatemala"));
    assert!(text.contains("Núñez Ávila revisó"), "accents survive");
    assert!(text.contains("Paso Tecún Umán"));
    assert!(text.contains("DATOS DE DEMOSTRACIÓN"));
    // Mexico has no assessment on this node: it says so.
    assert!(text.contains("sin evaluación"));
    assert!(text.contains("Este nodo no tiene la evaluación de este país"));
    let pages = text.matches('\u{c}').count() + 1;
    assert!(pages > 3, "the gaps run over several pages ({pages})");
    let n = text.matches("Página ").count();
    assert!(n >= pages - 1, "every page is numbered ({n} of {pages})");
    assert!(
        text.contains(&format!("Página 2 de {}", n)),
        "numbered out of the page count"
    );
}

#[test]
fn the_matrix_pdf_in_english_on_letter_paper_is_landscape() {
    let pdf = render_for(Lang::En, Paper::Letter, true);
    let text = pdftotext(&pdf);
    assert!(text.contains("Regional legal harmonisation matrix"));
    assert!(text.contains("Gaps and reform proposals — Mexico"));
    assert!(text.contains("Reform proposal"));
    assert!(
        !text.contains("Brechas y propuestas"),
        "no Spanish headings"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let info = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("792 x 612 pts"),
        "US Letter landscape: {info}"
    );
    assert!(info.contains("Title:") && info.contains("Regional legal harmonisation matrix"));
}

#[test]
fn wrapping_keeps_every_word_and_fits_the_width() {
    let fonts = layout::Fonts::new().expect("fonts");
    let text = "María de los Ángeles Güity Castillo y José Núñez Ávila — una frase bastante larga para partir, con Supercalifragilísticoespialidosoextraordinariamente";
    let lines = fonts.wrap(text, 9.0, layout::Weight::Regular, 120.0);
    assert!(lines.len() > 3);
    for l in &lines {
        assert!(fonts.width(l, 9.0, layout::Weight::Regular) <= 120.0, "{l}");
    }
    let joined: String = lines
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let original: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(joined, original);
}

/// The text of each report, as pdftotext reads it, is fixed by a snapshot
/// (`src/snapshots/`): a change to what a printed page says shows up as a
/// diff to review (`cargo insta review`, or `INSTA_UPDATE=always`).
#[test]
fn the_text_of_every_report_is_the_reviewed_one() {
    insta::assert_snapshot!(
        "legal_matrix_es_a4",
        pdftotext(&render_for(Lang::Es, Paper::A4, false))
    );
    insta::assert_snapshot!(
        "legal_matrix_en_letter",
        pdftotext(&render_for(Lang::En, Paper::Letter, true))
    );
    insta::assert_snapshot!(
        "plan_status_es_region",
        pdftotext(&plan_status(&plan_sheet(Lang::Es, 12, None)).expect("render"))
    );
    insta::assert_snapshot!(
        "plan_status_en_hn",
        pdftotext(&plan_status(&plan_sheet(Lang::En, 12, Some("HN"))).expect("render"))
    );
}

fn plan_sheet(lang: Lang, n: usize, country: Option<&str>) -> PlanSheet {
    use enlace_domain::{
        Audience, Component, LocalText, PlanTask, TaskKind, TaskStatus, enums::Closed,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let statuses = TaskStatus::all();
    let tasks: Vec<SheetTask> = (0..n)
        .map(|i| {
            let status = statuses[i % statuses.len()];
            let due = today + chrono::Duration::days(i as i64 % 40 - 20);
            let task = PlanTask {
                id: uuid::Uuid::new_v4(),
                code: format!("T{i:03}"),
                component: Component::all()[i % 4],
                output: if i == 0 {
                    "1.1 Estrategia y Plan de Acción Regional".into()
                } else {
                    format!("{}.1 Resultado con un nombre largo", i % 4 + 1)
                },
                title: LocalText {
                    es: format!("Tarea de prueba número {i:03} con un título bastante largo que obliga a partir la línea en la tabla — Núñez"),
                    en: format!("Test task number {i:03} with a rather long title that has to wrap in the table"),
                },
                description: LocalText::default(),
                country: country.and_then(CountryCode::parse),
                agency: "Ministerio Público".into(),
                responsible: "María de los Ángeles Güity".into(),
                start: None,
                due,
                status,
                progress: (i * 7 % 101) as u8,
                indicators: vec![],
                depends_on: vec![],
                kind: TaskKind::Task,
                participants: vec![],
                notes: if i % 5 == 0 { "Falta presupuesto.".into() } else { String::new() },
                owner: Owner {
                    country: CountryCode::parse("GT").expect("GT"),
                    node: "n".into(),
                },
                audience: Audience::regional(),
                demo: false,
            };
            SheetTask {
                overdue: task.is_overdue(today),
                waiting_for: vec![],
                task,
            }
        })
        .collect();
    let overdue = tasks.iter().filter(|t| t.overdue).count() as u32;
    PlanSheet {
        lang,
        paper: Paper::A4,
        country: country.and_then(CountryCode::parse),
        today,
        generated_at: "2026-11-27 10:00 UTC".into(),
        node: "Paso Tecún Umán".into(),
        last_sync: None,
        components: Component::all()
            .iter()
            .map(|c| (*c, 50, (n / 4) as u32))
            .collect(),
        countries: if country.is_none() {
            vec![
                (None, 40, 3, 0),
                (CountryCode::parse("HN"), 60, 5, 2),
                (CountryCode::parse("GT"), 0, 1, 0),
            ]
        } else {
            vec![]
        },
        tasks,
        done: 1,
        in_progress: 1,
        not_started: 1,
        blocked: 1,
        cancelled: 1,
        overdue,
        progress: 42,
        risk_reviews: country.map(|_| (2, 1)),
    }
}

#[test]
fn a_300_task_sheet_has_every_row_numbered_pages_and_overdue_marks() {
    let sheet = plan_sheet(Lang::Es, 300, None);
    let overdue = sheet.tasks.iter().filter(|t| t.overdue).count();
    assert!(overdue > 10);
    let text = pdftotext(&plan_status(&sheet).expect("render"));
    for i in 0..300 {
        assert!(text.contains(&format!("T{i:03}")), "row T{i:03} missing");
    }
    let pages = text.matches('\u{c}').filter(|_| true).count();
    assert!(pages >= 10, "300 rows take many pages ({pages})");
    for p in 1..=pages {
        assert!(
            text.contains(&format!("Página {p} de {pages}")),
            "page {p} of {pages} numbered"
        );
    }
    assert_eq!(
        text.matches("¡VENCIDA!").count(),
        overdue,
        "every overdue row is marked"
    );
    // The table header is repeated on every page that continues a table.
    assert!(text.matches("Responsable").count() >= pages);
    assert!(text.contains("hoja de estado: toda la región"));
    assert!(text.contains("aún no se ha sincronizado"));
    assert!(text.contains("Güity"));
}

#[test]
fn the_sheet_speaks_english_and_names_the_country() {
    let text = pdftotext(&plan_status(&plan_sheet(Lang::En, 12, Some("HN"))).expect("render"));
    assert!(text.contains("status sheet: Honduras"), "{text}");
    assert!(text.contains("Progress by component"));
    assert!(text.contains("OVERDUE!"));
    assert!(text.contains("Test task number 000"));
    assert!(!text.contains("Tarea de prueba"), "English titles");
    assert!(text.contains("Page 1 of "));
    // A country's own sheet counts its victims' risk reviews due (never
    // who); the region's does not.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Victims' risk reviews: 2 overdue, 1 due this week"),
        "{text}"
    );
    let region = pdftotext(&plan_status(&plan_sheet(Lang::En, 12, None)).expect("render"));
    assert!(!region.contains("risk reviews"), "{region}");
}

/// Writes an example sheet to `$ENLACE_PLAN_OUT` (for looking at it).
#[test]
fn write_plan_example_when_asked() {
    if let Ok(out) = std::env::var("ENLACE_PLAN_OUT") {
        std::fs::write(
            out,
            plan_status(&plan_sheet(Lang::Es, 40, None)).expect("render"),
        )
        .expect("write example");
    }
}

#[test]
fn the_region_sheet_has_a_bar_per_task_force_and_outputs_in_its_language() {
    let text = pdftotext(&plan_status(&plan_sheet(Lang::En, 12, None)).expect("render"));
    assert!(text.contains("Progress by National Task Force"), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no line for {name}: {text}"))
            .to_owned()
    };
    assert!(line("Regional tasks").contains("40 % · 3 tasks"));
    assert!(line("Honduras").contains("60 % · 5 tasks · 2 overdue"));
    assert!(line("Guatemala").contains("0 % · 1 task"));
    // The catalogue's output in the sheet's language; a custom one as written.
    assert!(text.contains("1.1 Regional Strategy and Plan of Action"));
    assert!(
        !text.contains("Estrategia y Plan"),
        "Spanish output name left"
    );
    assert!(text.contains("2.1 Resultado con un nombre largo"));
    let es = pdftotext(&plan_status(&plan_sheet(Lang::Es, 12, None)).expect("render"));
    assert!(es.contains("Progreso por Grupo de Tarea Nacional"));
    assert!(es.contains("1.1 Estrategia y Plan de Acción Regional"));
    // A country's own sheet has no per-country section.
    let hn = pdftotext(&plan_status(&plan_sheet(Lang::En, 12, Some("HN"))).expect("render"));
    assert!(!hn.contains("Progress by National Task Force"));
}

fn stats_report(lang: Lang, paper: Paper) -> crate::StatisticsReport {
    use enlace_domain::stats::StatField as F;
    use std::collections::BTreeMap;
    let cell = |values: &[&str], count: Option<u64>, reason: Option<&str>| crate::ChartCell {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        count,
        reason: reason.map(str::to_owned),
    };
    let hidden = |pairs: &[(&str, u64)]| -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    };
    crate::StatisticsReport {
        lang,
        paper,
        generated_at: "2026-12-06 10:00 UTC".into(),
        node: "Tegucigalpa".into(),
        k: 11,
        resolution: 11,
        sources: vec![crate::ReportSource {
            name: "ctdc-José-Núñez.csv".into(),
            detail: "ctdc_cleaned, 14299 rows".into(),
        }],
        filter: vec![],
        series: crate::Chart {
            fields: vec![F::Year],
            cells: vec![
                cell(&["2015"], Some(2211), None),
                cell(&["2016"], None, Some("below_k")),
                cell(&["2017"], Some(3839), None),
                cell(&["unknown"], Some(88), None),
            ],
            total: Some(6138),
            hidden: hidden(&[("below_k", 1)]),
        },
        bars: vec![crate::Chart {
            fields: vec![F::Citizenship],
            cells: vec![
                cell(&["HN"], Some(1012), None),
                cell(&["PH"], Some(231), None),
                cell(&["ER"], None, Some("complementary")),
            ],
            total: Some(1254),
            hidden: hidden(&[("complementary", 1)]),
        }],
        heats: vec![crate::Chart {
            fields: vec![F::Purpose, F::Gender],
            cells: vec![
                cell(&["forced_labour", "female"], Some(726), None),
                cell(&["forced_labour", "male"], Some(1628), None),
                cell(&["forced_marriage", "female"], Some(66), None),
                cell(&["forced_marriage", "male"], None, Some("below_k")),
            ],
            total: Some(2420),
            hidden: hidden(&[("below_k", 1)]),
        }],
        flows: crate::Chart {
            fields: vec![F::Citizenship, F::ExploitationCountry],
            cells: vec![
                cell(&["GT", "US"], Some(143), None),
                cell(&["HN", "MX"], None, Some("difference")),
                cell(&["SV", "SV"], Some(22), None),
                cell(&["PH", "JP"], Some(33), None),
                cell(&["HN", "unknown"], Some(990), None),
            ],
            total: Some(1188),
            hidden: hidden(&[("difference", 1)]),
        },
        demo: lang == Lang::En,
    }
}

#[test]
fn the_statistics_report_shows_counts_hidden_cells_in_words_and_its_methods() {
    let text = pdftotext(&statistics_report(&stats_report(Lang::Es, Paper::A4)).expect("render"));
    for expected in [
        "Informe estadístico",
        "Víctimas por Año",
        "2211",
        "3839",
        "Año desconocido: 88",
        "Víctimas por Nacionalidad",
        "Honduras",
        "Filipinas",
        "oculto (complementario)",
        "Matrimonio forzado",
        "Rutas: de la nacionalidad al país de explotación",
        "oculto (diferencia)",
        "Metodología",
        "ctdc-José-Núñez.csv",
        "menos de 11 víctimas",
        "Supresión complementaria",
        "Natural Earth",
    ] {
        assert!(text.contains(expected), "«{expected}» missing:\n{text}");
    }
    // Every flow between known countries is in the table, the unknown
    // one is only counted.
    assert!(text.contains("Japón"), "{text}");
    assert!(text.contains("1 celdas con nacionalidad"), "{text}");
    assert!(
        !text.contains("990"),
        "a flow to an unknown country is not listed"
    );
    let en = pdftotext(&statistics_report(&stats_report(Lang::En, Paper::Letter)).expect("render"));
    for expected in [
        "Statistical report",
        "Victims by Citizenship",
        "Philippines",
        "hidden (complementary)",
        "Methods",
        "Page 1 of",
    ] {
        assert!(en.contains(expected), "«{expected}» missing:\n{en}");
    }
    assert!(!en.contains("Víctimas"), "English report has Spanish left");
    assert!(
        en.contains("DEMONSTRATION DATA"),
        "demo cases are said on every page"
    );
    assert!(
        !text.contains("DEMOSTRACIÓN"),
        "no demo note without demo cases"
    );
}

/// Writes an example statistical report to `$ENLACE_STATS_OUT`.
#[test]
fn write_statistics_example_when_asked() {
    if let Ok(out) = std::env::var("ENLACE_STATS_OUT") {
        std::fs::write(
            out,
            statistics_report(&stats_report(Lang::Es, Paper::A4)).expect("render"),
        )
        .expect("write example");
    }
}

/// Information items by handling code and note.
type Items<'a> = &'a [(&'a str, Option<&'a str>)];

/// A case with one information item per `(code, note)`, and `filler`
/// more H0 items (so the file runs over several pages).
fn case_with(items: &[(&str, Option<&str>)], filler: usize) -> enlace_domain::Case {
    let mut information: Vec<serde_json::Value> = items
        .iter()
        .map(|(h, note)| {
            serde_json::json!({
                "id": format!("i{h}"), "text": format!("Dato con código {h}: el reclutador usa el alias «El Güero»."),
                "source_agency": "Policía Nacional Civil", "reliability": "B", "credibility": "2",
                "handling": h, "handling_note": note, "originator": "GT"
            })
        })
        .collect();
    for n in 0..filler {
        information.push(serde_json::json!({
            "id": format!("f{n}"), "text": format!("Dato sin restricción número {n} sobre la ruta Tecún Umán – Tapachula."),
            "source_agency": "Migración", "reliability": "C", "credibility": "3", "handling": "H0"
        }));
    }
    serde_json::from_value(serde_json::json!({
        "id": "3f0c7a52-6c1e-4e6b-9b7e-0d4c2b9a1e55",
        "reference": "GT-K7M3Q-2026-0042",
        "title": "Captación de José Núñez Ávila en Malacatán",
        "summary": "Oferta de empleo falsa; traslado a Tapachula.",
        "classification": "trafficking", "classification_history": [],
        "status": "under_investigation", "status_history": [],
        "opened": "2026-03-02",
        "acts": ["recruitment", "transportation"], "means": ["deception"],
        "purposes": ["forced_labour"], "child_involved": false,
        "route": [
            {"country": "GT", "place": "Malacatán", "role": "origin"},
            {"country": "MX", "place": "Tapachula", "role": "transit"},
            {"country": "US", "place": "Houston", "role": "destination"}
        ],
        "persons": [{"pseudonym": "V1", "role": "victim", "gender": "male", "age_band": "18-20", "nationality": "GT"},
                    {"pseudonym": "S1", "role": "suspect", "gender": "male", "process_roles": ["recruiter"]}],
        "indicators": [], "information": information, "links": [],
        "requests": [{"id": "r1", "kind": "mutual_legal_assistance", "from": "GT", "to": "HN",
                      "subject": "Registros migratorios", "status": "sent", "due": "2026-11-30"}],
        "joint_operations": [], "notes": [], "standard": {},
        "owner": {"country": "GT", "node": "0102030405060708"},
        "audience": {"scope": "regional"}, "demo": false
    }))
    .expect("case")
}

fn case_file_for(
    case: enlace_domain::Case,
    lang: Lang,
    paper: Paper,
    risks: Option<Vec<FileRisk>>,
) -> String {
    let requests = case
        .requests
        .iter()
        .map(|r| FileRequest {
            request: r.clone(),
            latest: None,
            overdue: true,
        })
        .collect();
    let pdf = case_file(&CaseFile {
        lang,
        paper,
        case,
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"),
        generated_at: "2026-12-06 10:00 UTC".into(),
        node: "Paso Tecún Umán".into(),
        by: "Paso Tecún Umán/Inspectora Núñez".into(),
        requests,
        risks,
    })
    .expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    pdftotext(&pdf)
}

#[test]
fn each_handling_code_prints_what_it_restricts_on_the_item_and_every_page() {
    // (items' codes, what the text must hold, what it must not)
    let rows: &[(Items, &[&str], &[&str])] = &[
        (&[], &[], &["Restricciones de uso", "H1 —", "H2 —", "H3 —"]),
        (&[("H0", None)], &[], &["Restricciones de uso", "H1 —"]),
        (
            &[("H1", None)],
            &[
                "Restricciones de uso",
                "H1 — No usar en juicio sin permiso del originador",
            ],
            &["H2 — No transmitir", "H3 —"],
        ),
        (
            &[("H2", None)],
            &["H2 — No transmitir a terceros sin permiso del originador"],
            &["H1 — No usar", "H3 —"],
        ),
        (
            &[("H3", Some("Solo para la Fiscalía contra la Trata"))],
            &[
                "H3 — Otra restricción",
                "Solo para la Fiscalía contra la Trata",
            ],
            &["H1 — No usar", "H2 — No transmitir"],
        ),
        (
            &[("H1", None), ("H2", None)],
            &["H1 — No usar en juicio", "H2 — No transmitir"],
            &["H3 —"],
        ),
    ];
    for (items, present, absent) in rows {
        let text = case_file_for(case_with(items, 40), Lang::Es, Paper::A4, None);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in *present {
            assert!(flat.contains(p), "{items:?}: «{p}» missing:\n{text}");
        }
        for a in *absent {
            assert!(!flat.contains(a), "{items:?}: «{a}» printed:\n{text}");
        }
        // Every page's header carries the codes that apply.
        let codes: Vec<&str> = items
            .iter()
            .map(|(h, _)| *h)
            .filter(|h| *h != "H0")
            .collect();
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() > 1, "the filler makes several pages");
        for (n, page) in pages.iter().enumerate() {
            let head = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            assert!(
                head.contains("Expediente del caso GT-K7M3Q-2026-0042"),
                "page {n}: {head}"
            );
            for c in &codes {
                assert!(head.contains(c), "{items:?} page {n} header: {head}");
            }
            if codes.is_empty() {
                assert!(!head.contains(" · H"), "page {n} header: {head}");
            }
        }
    }
}

#[test]
fn the_case_file_prints_pseudonyms_the_route_and_the_risk_only_when_allowed() {
    let risks = vec![FileRisk {
        pseudonym: "V1".into(),
        levels: vec![enlace_domain::RiskLevel::Critical],
        next_review: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
        overdue: true,
    }];
    let text = case_file_for(case_with(&[], 0), Lang::Es, Paper::A4, Some(risks.clone()));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in [
        "Captación de José Núñez Ávila en Malacatán",
        "Malacatán",
        "Tapachula",
        "Houston",
        "Captador",
        "Crítico",
        "REVISIÓN VENCIDA",
        "Registros migratorios",
        "Página 1 de",
    ] {
        assert!(flat.contains(p), "«{p}» missing:\n{text}");
    }
    let withheld = case_file_for(case_with(&[], 0), Lang::Es, Paper::Letter, None);
    assert!(withheld.contains("No se muestra"), "{withheld}");
    assert!(!withheld.contains("Crítico"));
    let en = case_file_for(
        case_with(&[("H1", None)], 0),
        Lang::En,
        Paper::Letter,
        Some(risks),
    );
    let flat = en.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in [
        "Case file GT-K7M3Q-2026-0042",
        "Not for use in court",
        "Critical",
        "REVIEW OVERDUE",
        "Page 1 of",
    ] {
        assert!(flat.contains(p), "«{p}» missing:\n{en}");
    }
    assert!(!flat.contains("Expediente"), "English has Spanish left");
}

/// Writes an example case file to `$ENLACE_CASE_FILE_OUT`.
#[test]
fn write_case_file_example_when_asked() {
    if let Ok(out) = std::env::var("ENLACE_CASE_FILE_OUT") {
        let pdf = case_file(&CaseFile {
            lang: Lang::Es,
            paper: Paper::A4,
            case: case_with(&[("H1", None), ("H3", Some("Solo para la Fiscalía"))], 3),
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"),
            generated_at: "2026-12-06 10:00 UTC".into(),
            node: "Paso Tecún Umán".into(),
            by: "Paso Tecún Umán/Inspectora Núñez".into(),
            requests: vec![],
            risks: Some(vec![FileRisk {
                pseudonym: "V1".into(),
                levels: vec![enlace_domain::RiskLevel::Critical],
                next_review: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
                overdue: true,
            }]),
        })
        .expect("render");
        std::fs::write(out, pdf).expect("write example");
    }
}
