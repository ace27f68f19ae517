//! Demonstration directory: clearly fictional agencies in every
//! participating country (a shelter, legal aid, the task force's focal
//! point), so referrals can be tried. No entry describes a real
//! organisation; every name says it is fictional.

use enlace_domain::{
    Agency, AgencyContact, AgencyKind, Audience, AudienceScope, CountryCode, DocKind, Owner,
    Service, SourceReliability,
};
use uuid::Uuid;

use crate::edit::{self, Author, New};
use crate::{App, Result};

/// (country, city, name, kind, services, reliability, focal point,
/// contact name and function, phone, hours, languages)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    AgencyKind,
    &'static [Service],
    SourceReliability,
    bool,
    (&'static str, &'static str),
    &'static str,
    &'static str,
    &'static [&'static str],
);

const ROWS: &[Row] = {
    use AgencyKind::*;
    use Service::*;
    use SourceReliability as R;
    &[
        (
            "GT",
            "Quetzaltenango",
            "Albergue Casa Alba (ficticio)",
            Ngo,
            &[Shelter, Psychological, Medical],
            R::B,
            false,
            ("Lucía Xicará Tzul", "Coordinadora de acogida"),
            "+502 0000 0101",
            "24 horas",
            &["español", "k'iche'"],
        ),
        (
            "GT",
            "Ciudad de Guatemala",
            "Clínica Jurídica Ixchel (ficticia)",
            Ngo,
            &[LegalAid, Interpretation],
            R::B,
            false,
            ("Andrés Pérez Ajú", "Abogado"),
            "+502 0000 0102",
            "lunes a viernes 8–17",
            &["español", "mam"],
        ),
        (
            "GT",
            "Ciudad de Guatemala",
            "Punto focal del GTN de Guatemala (demostración)",
            Government,
            &[Repatriation, Hotline, FamilyTracing],
            R::A,
            true,
            ("Carla Méndez Ávila", "Secretaría técnica"),
            "+502 0000 0100",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "MX",
            "Tapachula",
            "Refugio La Ceiba (ficticio)",
            Ngo,
            &[Shelter, Medical, Education],
            R::B,
            false,
            ("Mónica Núñez Ruiz", "Directora"),
            "+52 000 000 0201",
            "24 horas",
            &["español", "inglés"],
        ),
        (
            "MX",
            "Ciudad de México",
            "Punto focal del GTN de México (demostración)",
            Government,
            &[Repatriation, Hotline],
            R::A,
            true,
            ("José Ángel Ibáñez", "Enlace interinstitucional"),
            "+52 000 000 0200",
            "lunes a viernes 9–18",
            &["español"],
        ),
        (
            "HN",
            "San Pedro Sula",
            "Casa de Acogida Esperanza (ficticia)",
            Ngo,
            &[Shelter, Psychological, Employment],
            R::B,
            false,
            ("Ana Güity Martínez", "Trabajadora social"),
            "+504 0000 0301",
            "24 horas",
            &["español", "garífuna"],
        ),
        (
            "HN",
            "Tegucigalpa",
            "Punto focal del GTN de Honduras (demostración)",
            Government,
            &[Repatriation, FamilyTracing, Hotline],
            R::A,
            true,
            ("Darío Zelaya Ocampo", "Coordinador de retornos"),
            "+504 0000 0300",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "SV",
            "San Salvador",
            "Centro de Atención Integral Luz (ficticio)",
            Ngo,
            &[Shelter, Psychological, LegalAid],
            R::C,
            false,
            ("Rebeca Peña Solórzano", "Psicóloga"),
            "+503 0000 0401",
            "lunes a sábado 8–18",
            &["español"],
        ),
        (
            "SV",
            "San Salvador",
            "Punto focal del GTN de El Salvador (demostración)",
            Government,
            &[Repatriation, Hotline],
            R::A,
            true,
            ("Julio Martínez Peña", "Enlace del GTN"),
            "+503 0000 0400",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "NI",
            "Managua",
            "Hogar Nueva Aurora (ficticio)",
            Ngo,
            &[Shelter, Education],
            R::C,
            false,
            ("Martha Úbeda López", "Coordinadora"),
            "+505 0000 0501",
            "24 horas",
            &["español", "miskito"],
        ),
        (
            "NI",
            "Managua",
            "Punto focal del GTN de Nicaragua (demostración)",
            Government,
            &[Repatriation],
            R::B,
            true,
            ("Óscar Baltodano", "Enlace"),
            "+505 0000 0500",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "CR",
            "San José",
            "Asociación Puente Seguro (ficticia)",
            Ngo,
            &[Shelter, LegalAid, Interpretation],
            R::B,
            false,
            ("Sofía Jiménez Mora", "Abogada"),
            "+506 0000 0601",
            "lunes a viernes 8–17",
            &["español", "inglés"],
        ),
        (
            "CR",
            "San José",
            "Punto focal del GTN de Costa Rica (demostración)",
            Government,
            &[Repatriation, Hotline],
            R::A,
            true,
            ("Esteban Quesada", "Secretaría técnica"),
            "+506 0000 0600",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "PA",
            "Ciudad de Panamá",
            "Casa Refugio del Istmo (ficticia)",
            Ngo,
            &[Shelter, Medical, Psychological],
            R::B,
            false,
            ("Itzel Castillo Núñez", "Coordinadora"),
            "+507 000 0701",
            "24 horas",
            &["español", "guna"],
        ),
        (
            "PA",
            "Ciudad de Panamá",
            "Punto focal del GTN de Panamá (demostración)",
            Government,
            &[Repatriation, FamilyTracing],
            R::A,
            true,
            ("Rodrigo Him", "Enlace"),
            "+507 000 0700",
            "lunes a viernes 8–16",
            &["español"],
        ),
        (
            "GT",
            "Ciudad de Guatemala",
            "Oficina regional de apoyo a migrantes (ficticia)",
            InternationalOrg,
            &[Repatriation, Medical, Interpretation],
            R::A,
            false,
            ("Helen Ortiz", "Oficial de protección"),
            "+502 0000 0103",
            "lunes a viernes 8–17",
            &["español", "inglés", "francés"],
        ),
    ]
};

/// Adds the demonstration directory once (none when the node holds any
/// agency already). Returns how many entries were added.
pub(super) fn load(app: &mut App) -> Result<u64> {
    if !app.store.read().doc_ids(DocKind::Agency)?.is_empty() {
        return Ok(0);
    }
    let own = app.node.country.clone();
    let agencies: Vec<Agency> = ROWS
        .iter()
        .filter_map(|r| {
            let country = CountryCode::parse(r.0)?;
            Some(Agency {
                id: Uuid::new_v4(),
                name: r.2.into(),
                kind: r.3,
                country: country.clone(),
                city: r.1.into(),
                services: r.4.to_vec(),
                contacts: vec![AgencyContact {
                    id: String::new(),
                    name: r.7.0.into(),
                    function: r.7.1.into(),
                    phone: r.8.into(),
                    email: String::new(),
                }],
                hours: r.9.into(),
                languages: r.10.iter().map(|l| (*l).to_owned()).collect(),
                reliability: r.5,
                focal_point: r.6,
                notes: String::new(),
                owner: Owner {
                    node: if country == own {
                        app.node.node_id.clone()
                    } else {
                        format!("demo-{}", r.0.to_lowercase())
                    },
                    country,
                },
                audience: Audience {
                    scope: AudienceScope::Regional,
                    countries: vec![],
                },
                demo: true,
            })
        })
        .collect();
    let author = Author::new(&app.node, app.by(), app.session.role);
    let n = agencies.len() as u64;
    app.store.write(|tx| {
        for a in &agencies {
            let new = New {
                action: "create",
                fields: None,
                issues: &[],
            };
            edit::create(tx, &author, a, new)?;
        }
        Ok::<_, crate::CoreError>(())
    })?;
    Ok(n)
}
