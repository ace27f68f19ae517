//! Demonstration cases: scenarios, places, names and routes, and the
//! loader that stores six cases per country in one transaction.

use chrono::{Days, NaiveDate};
use enlace_domain::input::{CaseInput, PersonInput};
use enlace_domain::*;

use super::rng::{Rng, unreachable_code};
use crate::{App, Result};

/// Cases per country.
const PER_COUNTRY: usize = 6;

fn places(cc: &str) -> &'static [&'static str] {
    match cc {
        "GT" => &[
            "Tecún Umán",
            "Ciudad de Guatemala",
            "Quetzaltenango",
            "Huehuetenango",
            "Puerto Barrios",
            "La Mesilla",
        ],
        "MX" => &[
            "Tapachula",
            "Ciudad Hidalgo",
            "Cancún",
            "Tijuana",
            "Ciudad de México",
            "Monterrey",
        ],
        "HN" => &[
            "San Pedro Sula",
            "Tegucigalpa",
            "Choloma",
            "La Ceiba",
            "Corinto",
        ],
        "SV" => &["San Salvador", "Santa Ana", "San Miguel", "La Hachadura"],
        "NI" => &["Managua", "Chinandega", "León", "Peñas Blancas"],
        "CR" => &["San José", "Limón", "Puntarenas", "Liberia"],
        "PA" => &["Ciudad de Panamá", "Colón", "David", "Paso Canoas"],
        "US" => &["Houston", "Los Ángeles"],
        _ => &["—"],
    }
}

/// A fictional scenario: title, summary, classification, Art. 3 elements.
struct Scenario {
    title: &'static str,
    summary: &'static str,
    classification: Classification,
    acts: &'static [Act],
    means: &'static [Means],
    purposes: &'static [Purpose],
    child: bool,
    sector: Option<LabourSector>,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        title: "Red de captación con ofertas falsas de empleo en {dest}",
        summary: "Mujeres jóvenes de {origin} fueron captadas con ofertas de trabajo como meseras en {dest}. Al llegar les retuvieron los documentos y les exigieron pagar una deuda por el viaje.",
        classification: Classification::Trafficking,
        acts: &[Act::Recruitment, Act::Transportation, Act::Harbouring],
        means: &[Means::Deception, Means::Coercion],
        purposes: &[Purpose::SexualExploitation],
        child: false,
        sector: None,
    },
    Scenario {
        title: "Traslado de adolescentes hacia {dest} para explotación sexual",
        summary: "Dos adolescentes de {origin} fueron trasladadas por {transit} hasta {dest}, donde eran obligadas a atender clientes en un bar. La denuncia llegó por la línea de atención.",
        classification: Classification::Trafficking,
        acts: &[Act::Transportation, Act::Receipt],
        means: &[],
        purposes: &[Purpose::SexualExploitation],
        child: true,
        sector: None,
    },
    Scenario {
        title: "Trabajo forzado en fincas agrícolas cerca de {dest}",
        summary: "Hombres de {origin} trabajaban jornadas de catorce horas en fincas cerca de {dest} sin salario, bajo amenaza de ser denunciados ante migración.",
        classification: Classification::Trafficking,
        acts: &[Act::Recruitment, Act::Harbouring],
        means: &[Means::Threat, Means::AbuseOfVulnerability],
        purposes: &[Purpose::ForcedLabour],
        child: false,
        sector: Some(LabourSector::Agriculture),
    },
    Scenario {
        title: "Tráfico ilícito de migrantes por {transit} en camiones de carga",
        summary: "Un grupo cobraba 4 000 USD por persona para cruzar desde {origin} hasta {dest} ocultos en camiones de carga. Se rescató a 37 personas en {transit}.",
        classification: Classification::Smuggling,
        acts: &[Act::Transportation],
        means: &[],
        purposes: &[],
        child: false,
        sector: None,
    },
    Scenario {
        title: "Servidumbre doméstica de mujeres jóvenes en {dest}",
        summary: "Jóvenes de {origin} trabajaban como empleadas domésticas en {dest} sin poder salir de la vivienda; la empleadora retenía sus pasaportes.",
        classification: Classification::Trafficking,
        acts: &[Act::Recruitment, Act::Receipt],
        means: &[Means::Deception, Means::AbuseOfVulnerability],
        purposes: &[Purpose::Servitude, Purpose::ForcedLabour],
        child: false,
        sector: Some(LabourSector::DomesticWork),
    },
    Scenario {
        title: "Mendicidad forzada de niñas y niños en {dest}",
        summary: "Niñas y niños de {origin} eran obligados a pedir dinero en semáforos de {dest}; un adulto recogía lo recaudado cada noche.",
        classification: Classification::Trafficking,
        acts: &[Act::Transfer, Act::Harbouring],
        means: &[],
        purposes: &[Purpose::ForcedLabour],
        child: true,
        sector: Some(LabourSector::Begging),
    },
    Scenario {
        title: "Red de coyotes con casas de seguridad en {transit}",
        summary: "Migrantes de {origin} pagaban a una red que los alojaba en casas de seguridad de {transit}. Algunos fueron luego obligados a trabajar para pagar el resto del viaje: se evalúa si hay trata.",
        classification: Classification::Both,
        acts: &[Act::Transportation, Act::Harbouring],
        means: &[Means::Coercion, Means::AbuseOfVulnerability],
        purposes: &[Purpose::ForcedLabour],
        child: false,
        sector: Some(LabourSector::Construction),
    },
    Scenario {
        title: "Captación por redes sociales para bares de {dest}",
        summary: "Perfiles falsos en redes sociales ofrecían empleo como modelos en {dest}. Las víctimas, de {origin}, viajaban con boletos pagados por el reclutador.",
        classification: Classification::UnderAssessment,
        acts: &[Act::Recruitment],
        means: &[Means::Fraud],
        purposes: &[],
        child: false,
        sector: None,
    },
    Scenario {
        title: "Explotación laboral en barcos pesqueros de {dest}",
        summary: "Pescadores de {origin} embarcados en {dest} trabajaban meses sin salario para pagar una deuda que no dejaba de crecer.",
        classification: Classification::Trafficking,
        acts: &[Act::Recruitment, Act::Transportation],
        means: &[Means::Deception, Means::Payments],
        purposes: &[Purpose::ForcedLabour],
        child: false,
        sector: Some(LabourSector::Aquafarming),
    },
];

const GIVEN_F: &[&str] = &[
    "María José",
    "Ana Lucía",
    "Sofía",
    "Dulce María",
    "Rosa Elena",
    "Ángela",
    "Yésica",
    "Ingrid Fabiola",
    "Lucía",
    "Mónica",
];
const GIVEN_M: &[&str] = &[
    "José Ángel",
    "Jesús",
    "Óscar",
    "Luis Fernando",
    "Héctor",
    "Andrés",
    "Julián",
    "Efraín",
    "Tomás",
    "Ramón",
];
const SURNAMES: &[&str] = &[
    "Pérez",
    "López",
    "Hernández",
    "Martínez",
    "Castañeda",
    "Muñoz",
    "Peña",
    "Ibáñez",
    "Fernández",
    "Gómez",
    "Díaz",
    "Ramírez",
    "Solís",
    "Chavarría",
    "Zúñiga",
    "Quiñónez",
    "Argueta",
    "Godínez",
    "Sánchez",
    "Méndez",
    "Velásquez",
    "Ordóñez",
];

/// Typical routes per owner country: (origin, transit, destination).
fn route_for(owner: &str, r: &mut Rng) -> (&'static str, &'static str, &'static str) {
    let options: &[(&str, &str, &str)] = match owner {
        "GT" => &[
            ("HN", "GT", "MX"),
            ("SV", "GT", "MX"),
            ("GT", "MX", "US"),
            ("NI", "HN", "GT"),
        ],
        "MX" => &[("GT", "MX", "US"), ("HN", "GT", "MX"), ("SV", "GT", "MX")],
        "HN" => &[("HN", "GT", "MX"), ("NI", "HN", "GT"), ("HN", "SV", "GT")],
        "SV" => &[("SV", "GT", "MX"), ("HN", "SV", "GT"), ("NI", "HN", "SV")],
        "NI" => &[("NI", "CR", "PA"), ("NI", "HN", "GT"), ("NI", "HN", "SV")],
        "CR" => &[("NI", "CR", "PA"), ("PA", "CR", "NI"), ("NI", "CR", "CR")],
        _ => &[("CR", "PA", "PA"), ("NI", "CR", "PA"), ("PA", "CR", "MX")],
    };
    *r.pick(options)
}

fn fill(t: &str, origin: &str, transit: &str, dest: &str) -> String {
    t.replace("{origin}", origin)
        .replace("{transit}", transit)
        .replace("{dest}", dest)
}

pub(super) fn load(app: &mut App, progress: &mut dyn FnMut(u64, u64)) -> Result<(u64, u64)> {
    let countries = ["GT", "MX", "HN", "SV", "NI", "CR", "PA"];
    // The node's own country first, so its cases (with identities) are found first.
    let own = app.node.country.to_string();
    let mut order: Vec<&str> = vec![own.as_str()];
    order.extend(countries.iter().copied().filter(|c| *c != own));
    if !countries.contains(&own.as_str()) {
        order.retain(|c| countries.contains(c));
    }
    let total = (order.len() * PER_COUNTRY) as u64;
    let mut r = Rng(0x5EED_CAFE_1234_5678);
    let base = NaiveDate::from_ymd_opt(2026, 1, 8).unwrap_or_default();
    let mut persons = 0u64;
    // References are allocated per country and year in order, inside one
    // transaction, so links between demo cases can name them in advance.
    let mut refs_by_country: Vec<(String, String)> = vec![];
    let mut next_seq = std::collections::HashMap::<(String, i32), u32>::new();
    let mut batch = Vec::with_capacity(total as usize);
    progress(0, total);
    for (ci, owner_cc) in order.iter().enumerate() {
        for k in 0..PER_COUNTRY {
            let n = ci * PER_COUNTRY + k;
            let sc = &SCENARIOS[(ci + k * 2) % SCENARIOS.len()];
            let (o, t, d) = route_for(owner_cc, &mut r);
            let (po, pt, pd) = (*r.pick(places(o)), *r.pick(places(t)), *r.pick(places(d)));
            let opened = base + Days::new((n as u64 * 7) % 300);
            let start = opened - Days::new(40 + r.below(60) as u64);
            let national = *owner_cc == own;
            let mut persons_in = vec![];
            let victims = if n == 0 { 2 } else { 1 + r.below(3) };
            for v in 0..victims {
                let female = sc.purposes.contains(&Purpose::SexualExploitation)
                    || sc.purposes.contains(&Purpose::Servitude)
                    || r.chance(40);
                let minor = sc.child || (v == 0 && r.chance(15));
                let age = if minor {
                    *r.pick(&[AgeBand::A9To17, AgeBand::A9To17, AgeBand::A0To8])
                } else {
                    *r.pick(&[
                        AgeBand::A18To20,
                        AgeBand::A21To23,
                        AgeBand::A24To26,
                        AgeBand::A27To29,
                        AgeBand::A30To38,
                    ])
                };
                let identity = national.then(|| {
                    // The first case of the node's country holds the names the
                    // end-to-end test searches for.
                    if n == 0 && v == 0 {
                        Identity {
                            given_names: "José".into(),
                            first_surname: "Núñez".into(),
                            second_surname: Some("Ávila".into()),
                            gender: Some(Gender::Male),
                            nationality: CountryCode::parse(o),
                            ..Default::default()
                        }
                    } else if n == 0 && v == 1 {
                        Identity {
                            given_names: "María de los Ángeles".into(),
                            first_surname: "Güity".into(),
                            second_surname: Some("Castillo".into()),
                            gender: Some(Gender::Female),
                            nationality: CountryCode::parse(o),
                            ..Default::default()
                        }
                    } else {
                        Identity {
                            given_names: (*r.pick(if female { GIVEN_F } else { GIVEN_M }))
                                .to_owned(),
                            first_surname: (*r.pick(SURNAMES)).to_owned(),
                            second_surname: Some((*r.pick(SURNAMES)).to_owned()),
                            gender: Some(if female { Gender::Female } else { Gender::Male }),
                            nationality: CountryCode::parse(o),
                            consent: Consent {
                                given: r.chance(60),
                                scope: Some("Atención y repatriación".into()),
                                date: Some(opened),
                            },
                            ..Default::default()
                        }
                    }
                });
                let gender = if n == 0 && v == 0 {
                    Gender::Male
                } else if female || (n == 0 && v == 1) {
                    Gender::Female
                } else {
                    Gender::Male
                };
                persons_in.push(PersonInput {
                    pseudonym: None,
                    role: PersonRole::Victim,
                    gender: Some(gender),
                    age_band: Some(if n == 0 && v < 2 {
                        AgeBand::A21To23
                    } else {
                        age
                    }),
                    minor_at_exploitation: Some(minor && !(n == 0 && v < 2)),
                    nationality: CountryCode::parse(o),
                    identity,
                    process_roles: vec![],
                });
            }
            persons_in.push(PersonInput {
                // Drawn from the scenario, not the generator: the other
                // demonstration values stay as they were.
                process_roles: if sc.classification == Classification::Smuggling {
                    vec![PerpetratorRole::Smuggler]
                } else {
                    vec![PerpetratorRole::Recruiter, PerpetratorRole::Exploiter]
                },
                pseudonym: None,
                role: PersonRole::Suspect,
                gender: Some(Gender::Male),
                age_band: Some(*r.pick(&[AgeBand::A30To38, AgeBand::A39To47, AgeBand::A48Plus])),
                minor_at_exploitation: None,
                nationality: CountryCode::parse(t),
                identity: national.then(|| Identity {
                    given_names: (*r.pick(GIVEN_M)).to_owned(),
                    first_surname: (*r.pick(SURNAMES)).to_owned(),
                    second_surname: Some((*r.pick(SURNAMES)).to_owned()),
                    aliases: vec![
                        (*r.pick(&["el Chele", "el Flaco", "don Chepe", "la Tía", "el Primo"]))
                            .to_owned(),
                    ],
                    gender: Some(Gender::Male),
                    nationality: CountryCode::parse(t),
                    ..Default::default()
                }),
            });
            let stop = |cc: &str, place: &str, role, from: NaiveDate, days: u64| RouteStop {
                id: String::new(),
                country: CountryCode::parse(cc).unwrap_or_else(unreachable_code),
                place: place.to_owned(),
                role,
                from: Some(from),
                to: Some(from + Days::new(days)),
            };
            let mut route = vec![stop(o, po, RouteRole::Origin, start, 2)];
            if t != o && t != d {
                route.push(stop(t, pt, RouteRole::Transit, start + Days::new(3), 4));
            }
            route.push(stop(
                d,
                pd,
                if sc.classification == Classification::Smuggling {
                    RouteRole::Destination
                } else {
                    RouteRole::Exploitation
                },
                start + Days::new(8),
                25,
            ));
            let status = *r.pick(&[
                CaseStatus::Reported,
                CaseStatus::UnderInvestigation,
                CaseStatus::UnderInvestigation,
                CaseStatus::Prosecution,
                CaseStatus::Trial,
                CaseStatus::Convicted,
                CaseStatus::Closed,
            ]);
            let mut indicators = vec![Indicator {
                id: String::new(),
                kind: IndicatorKind::Advertising,
                description: format!(
                    "Anuncio en redes sociales ofreciendo empleo en {pd} con salario de {} USD al mes",
                    300 + r.below(8) * 50
                ),
                date: Some(start - Days::new(10)),
                source: "Unidad de delitos informáticos".into(),
            }];
            if r.chance(70) {
                indicators.push(Indicator {
                    id: String::new(),
                    kind: IndicatorKind::Financial,
                    description: format!(
                        "Remesas frecuentes desde {pd} a nombre de terceros en {po}"
                    ),
                    date: Some(start + Days::new(20)),
                    source: "Unidad de análisis financiero".into(),
                });
            }
            if r.chance(50) {
                indicators.push(Indicator {
                    id: String::new(),
                    kind: IndicatorKind::Transportation,
                    description: format!(
                        "Boletos de autobús {po}–{pt} pagados en efectivo por la misma persona"
                    ),
                    date: Some(start),
                    source: "Terminal de autobuses".into(),
                });
            }
            if r.chance(40) {
                indicators.push(Indicator {
                    id: String::new(),
                    kind: IndicatorKind::Rental,
                    description: format!(
                        "Alquiler de una vivienda en {pd} a nombre de la persona investigada"
                    ),
                    date: Some(start + Days::new(5)),
                    source: "Registro de la propiedad".into(),
                });
            }
            let information = vec![InformationItem {
                id: String::new(),
                text: format!(
                    "Fuente humana indica que el grupo usa el paso fronterizo de {pt} los fines de semana."
                ),
                source_agency: (*r.pick(&[
                    "Policía Nacional Civil",
                    "Dirección General de Migración",
                    "Fiscalía contra la Trata",
                    "ONG de atención a víctimas",
                ]))
                .to_owned(),
                reliability: *r.pick(SourceReliability::all()),
                credibility: *r.pick(&[
                    InfoCredibility::C1,
                    InfoCredibility::C2,
                    InfoCredibility::C3,
                ]),
                handling: *r.pick(&[HandlingCode::H0, HandlingCode::H1, HandlingCode::H2]),
                handling_note: None,
                originator: owner_cc.to_string(),
                date: Some(opened),
            }];
            let mut requests = vec![];
            if o != *owner_cc && r.chance(50) {
                requests.push(LegalRequest {
                    id: String::new(),
                    kind: RequestKind::MutualLegalAssistance,
                    from: CountryCode::parse(owner_cc).unwrap_or_else(unreachable_code),
                    to: CountryCode::parse(o).unwrap_or_else(unreachable_code),
                    subject: "Antecedentes y registros migratorios de la persona investigada"
                        .into(),
                    status: *r.pick(&[
                        RequestStatus::Sent,
                        RequestStatus::InProgress,
                        RequestStatus::Answered,
                    ]),
                    sent: Some(opened + Days::new(10)),
                    answered: None,
                    // Sixty days to answer, as MLA treaties of the region
                    // commonly ask.
                    due: Some(opened + Days::new(70)),
                });
            }
            let mut links = vec![];
            if let Some((_, prev)) = refs_by_country.iter().rev().find(|(c, _)| c != owner_cc)
                && r.chance(30)
            {
                links.push(CaseLink {
                    id: String::new(),
                    reference: prev.clone(),
                    relation: LinkRelation::SameNetwork,
                    note: Some("Mismo número de teléfono del reclutador".into()),
                });
            }
            let input = CaseInput {
                title: fill(sc.title, po, pt, pd),
                summary: fill(
                    sc.summary,
                    &CountryCode::parse(o)
                        .map(|c| c.name(Lang::Es))
                        .unwrap_or_default(),
                    pt,
                    pd,
                ),
                classification: sc.classification,
                status: Some(status),
                opened: Some(opened),
                acts: sc.acts.to_vec(),
                means: sc.means.to_vec(),
                purposes: sc.purposes.to_vec(),
                child_involved: sc.child,
                route,
                persons: persons_in,
                indicators,
                information,
                links,
                requests,
                joint_operations: vec![],
                notes: vec![format!(
                    "Caso registrado en {} (datos de demostración).",
                    places(owner_cc)[0]
                )],
                standard: StandardFields {
                    means_of_control: vec![
                        MeansOfControl::FalsePromises,
                        MeansOfControl::WithholdsDocuments,
                    ],
                    labour_sector: sc.sector,
                    recruiter_relation: Some(*r.pick(&[
                        RecruiterRelation::Friend,
                        RecruiterRelation::Other,
                        RecruiterRelation::Unknown,
                    ])),
                    data_source: Some(*r.pick(&[
                        DataSource::CaseManagement,
                        DataSource::Hotline,
                        DataSource::Investigation,
                    ])),
                    sexual_exploitation: if sc.purposes.contains(&Purpose::SexualExploitation) {
                        vec![SexualExploitationType::Prostitution]
                    } else {
                        vec![]
                    },
                    trafficking_status: (sc.classification != Classification::Smuggling)
                        .then_some(TraffickingStatus::Actual),
                    trafficking_status_by: (sc.classification != Classification::Smuggling)
                        .then(|| format!("GTN {owner_cc} (ficticio)")),
                    smuggling: (sc.classification == Classification::Smuggling).then_some(
                        enlace_domain::SmugglingElements {
                            material_benefit: true,
                            illegal_entry: true,
                        },
                    ),
                },
                audience: Some(Audience::regional()),
                demo: true,
            };
            persons += input
                .persons
                .iter()
                .filter(|p| p.identity.is_some())
                .count() as u64;
            let owner = Owner {
                country: CountryCode::parse(owner_cc).unwrap_or_else(unreachable_code),
                node: if national {
                    app.node.node_id.clone()
                } else {
                    format!("demo-{}", owner_cc.to_lowercase())
                },
            };
            let year = chrono::Datelike::year(&opened);
            let key = (owner_cc.to_string(), year);
            // What the store will allocate: this node's series, after both
            // its counter and the highest reference of the series it holds.
            let country = CountryCode::parse(owner_cc).unwrap_or_else(unreachable_code);
            let series = CaseRef::series(&country, &app.node.code, year);
            if !next_seq.contains_key(&key) {
                let read = app.store.read();
                let last = read
                    .last_reference(owner_cc, year)?
                    .max(read.highest_in_series(&series)?);
                next_seq.insert(key.clone(), last);
            }
            let seq = next_seq.entry(key).or_insert(0);
            *seq += 1;
            let reference = CaseRef {
                country,
                node: Some(app.node.code.clone()),
                year,
                sequence: *seq,
            };
            refs_by_country.push((owner_cc.to_string(), reference.to_string()));
            batch.push((input, Some(owner)));
        }
    }
    // One transaction: all the demonstration data, or none of it.
    let saved = app.import_owned(batch, progress)?;
    Ok((saved.len() as u64, persons))
}

/// A varied fictional case for benchmarks and load tests: Spanish text, a
/// route, a victim with a two-surname identity, indicators and a note.
/// Deterministic in `n`.
pub fn synthetic(n: u64) -> CaseInput {
    let mut r = Rng(n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let sc = &SCENARIOS[r.below(SCENARIOS.len())];
    let owner = *r.pick(&["GT", "MX", "HN", "SV", "NI", "CR", "PA"]);
    let (o, t, d) = route_for(owner, &mut r);
    let (po, pt, pd) = (*r.pick(places(o)), *r.pick(places(t)), *r.pick(places(d)));
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let opened = base + Days::new(r.below(900) as u64);
    let start = opened - Days::new(30);
    let female = r.chance(60);
    let stop = |cc: &str, place: &str, role, from: NaiveDate| RouteStop {
        id: String::new(),
        country: CountryCode::parse(cc).unwrap_or_else(unreachable_code),
        place: place.to_owned(),
        role,
        from: Some(from),
        to: None,
    };
    CaseInput {
        title: fill(sc.title, po, pt, pd),
        summary: fill(sc.summary, po, pt, pd),
        classification: sc.classification,
        status: Some(*r.pick(CaseStatus::all())),
        opened: Some(opened),
        acts: sc.acts.to_vec(),
        means: sc.means.to_vec(),
        purposes: sc.purposes.to_vec(),
        child_involved: sc.child,
        route: vec![
            stop(o, po, RouteRole::Origin, start),
            stop(t, pt, RouteRole::Transit, start + Days::new(3)),
            stop(d, pd, RouteRole::Destination, start + Days::new(9)),
        ],
        persons: vec![
            PersonInput {
                pseudonym: None,
                role: PersonRole::Victim,
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                age_band: Some(*r.pick(AgeBand::all())),
                minor_at_exploitation: None,
                nationality: CountryCode::parse(o),
                identity: Some(Identity {
                    given_names: (*r.pick(if female { GIVEN_F } else { GIVEN_M })).to_owned(),
                    first_surname: (*r.pick(SURNAMES)).to_owned(),
                    second_surname: Some((*r.pick(SURNAMES)).to_owned()),
                    ..Default::default()
                }),
                process_roles: vec![],
            },
            PersonInput {
                pseudonym: None,
                role: PersonRole::Suspect,
                gender: Some(Gender::Male),
                age_band: None,
                minor_at_exploitation: None,
                nationality: CountryCode::parse(t),
                identity: None,
                process_roles: vec![PerpetratorRole::Recruiter],
            },
        ],
        indicators: vec![Indicator {
            id: String::new(),
            kind: IndicatorKind::Financial,
            description: format!("Remesas desde {pd} a nombre de terceros en {po}"),
            date: Some(start),
            source: "Unidad de análisis financiero".into(),
        }],
        information: vec![],
        links: vec![],
        requests: vec![],
        joint_operations: vec![],
        notes: vec![format!("Registro sintético número {n}.")],
        standard: StandardFields::default(),
        audience: Some(Audience::regional()),
        demo: true,
    }
}
