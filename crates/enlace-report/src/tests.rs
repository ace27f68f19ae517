use std::process::Command;

use enlace_domain::legal::{AssessmentStatus, CATALOGUE};
use enlace_domain::{AssessmentItem, CountryCode, Lang, LegalAssessment, Owner, Provision};

use super::*;

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
                provisions: vec![Provision {
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

/// Writes the Spanish matrix to `$ENLACE_REPORT_OUT` (for looking at it).
#[test]
fn write_example_when_asked() {
    if let Ok(out) = std::env::var("ENLACE_REPORT_OUT") {
        std::fs::write(out, render_for(Lang::Es, Paper::A4, false)).expect("write example");
    }
}
