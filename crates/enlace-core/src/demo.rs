//! Demonstration data: fictional cases across the seven countries, marked
//! `demo`, with Spanish text, names with accents and two surnames, and
//! routes origin → transit → destination. Deterministic, so screenshots and
//! tests see the same data every time. Nothing here describes real people.

use chrono::{Days, NaiveDate};
use enlace_domain::input::{CaseInput, PersonInput};
use enlace_domain::*;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::{App, Result};

/// What `load` did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    #[ts(type = "number")]
    pub cases: u64,
    #[ts(type = "number")]
    pub persons: u64,
    /// Legal assessments added (one per participating country).
    #[ts(type = "number")]
    pub assessments: u64,
    /// Plan of Action tasks added.
    #[ts(type = "number")]
    pub tasks: u64,
    /// False when demonstration data was already present (nothing added).
    pub loaded: bool,
}

/// Cases per country.
const PER_COUNTRY: usize = 6;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, good enough for fictional data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

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

/// Loads what is missing of the demonstration data: the cases (one
/// transaction) and the legal assessments (another).
pub(crate) fn load(app: &mut App, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
    let (cases, persons) = if app.store.read().count_demo_cases()? > 0 {
        (0, 0)
    } else {
        load_cases(app, progress)?
    };
    let assessments = load_legal(app)?;
    let tasks = load_plan(app)?;
    Ok(DemoSummary {
        cases,
        persons,
        assessments,
        tasks,
        loaded: cases + assessments + tasks > 0,
    })
}

fn load_cases(app: &mut App, progress: &mut dyn FnMut(u64, u64)) -> Result<(u64, u64)> {
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
                });
            }
            persons_in.push(PersonInput {
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
                    kind: IndicatorKind::Rental,
                    description: format!(
                        "Alquiler de una vivienda en {pd} a nombre de la persona investigada"
                    ),
                    date: Some(start + Days::new(5)),
                    source: "Registro de la propiedad".into(),
                });
            }
            let information = vec![InformationItem {
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
                });
            }
            let mut links = vec![];
            if let Some((_, prev)) = refs_by_country.iter().rev().find(|(c, _)| c != owner_cc)
                && r.chance(30)
            {
                links.push(CaseLink {
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
            if !next_seq.contains_key(&key) {
                let last = app.store.read().last_reference(owner_cc, year)?;
                next_seq.insert(key.clone(), last);
            }
            let seq = next_seq.entry(key).or_insert(0);
            *seq += 1;
            refs_by_country.push((
                owner_cc.to_string(),
                format!("{owner_cc}-{year}-{:04}", *seq),
            ));
            batch.push((input, Some(owner)));
        }
    }
    // One transaction: all the demonstration data, or none of it.
    let saved = app.import_owned(batch, progress)?;
    Ok((saved.len() as u64, persons))
}

/// Demonstration assessments for the seven participating countries, unless
/// this node already holds any assessment. Fictional throughout: the laws
/// cited do not exist and nothing here describes any country's real law.
fn load_legal(app: &mut App) -> Result<u64> {
    use enlace_domain::assessment::assessment_id;
    use enlace_domain::legal::{AssessmentStatus, CATALOGUE};
    if !app.store.read().doc_ids(crate::legal::KIND)?.is_empty() {
        return Ok(0);
    }
    let mut r = Rng(0x1E6A_1DA7_A5E5_5ED0);
    let own = app.node.country.clone();
    let mut docs = vec![];
    for (ci, cc) in ["GT", "MX", "HN", "SV", "NI", "CR", "PA"]
        .iter()
        .enumerate()
    {
        let country = CountryCode::parse(cc).unwrap_or_else(unreachable_code);
        let owner = Owner {
            node: if country == own {
                app.node.node_id.clone()
            } else {
                format!("demo-{}", cc.to_lowercase())
            },
            country: country.clone(),
        };
        let mut a = LegalAssessment::new(owner, true);
        debug_assert_eq!(a.id, assessment_id(&country));
        let law = format!("Ley de Demostración {} contra la Trata de Personas", ci + 1);
        let year = 2009 + (ci as i32 * 2);
        for (k, it) in CATALOGUE.iter().enumerate() {
            let roll = r.below(100);
            // Later countries have assessed less so far.
            let status = if roll < 8 + ci * 3 {
                AssessmentStatus::NotAssessed
            } else if roll < 55 {
                AssessmentStatus::Compliant
            } else if roll < 80 {
                AssessmentStatus::PartiallyCompliant
            } else {
                AssessmentStatus::NotCompliant
            };
            let mut item = AssessmentItem {
                status,
                ..AssessmentItem::default()
            };
            if status != AssessmentStatus::NotAssessed {
                item.assessor = format!("Equipo nacional de demostración ({cc})");
                item.assessed_on =
                    NaiveDate::from_ymd_opt(2026, 3 + (ci as u32 % 6), 2 + k as u32 % 25);
            }
            if matches!(
                status,
                AssessmentStatus::Compliant | AssessmentStatus::PartiallyCompliant
            ) {
                item.provisions.push(Provision {
                    law: law.clone(),
                    article: format!("art. {}", 3 + k * 2),
                    year: Some(year),
                });
            }
            if matches!(
                status,
                AssessmentStatus::PartiallyCompliant | AssessmentStatus::NotCompliant
            ) {
                let (gap, proposal): (&&str, &&str) = (r.pick(GAPS), r.pick(PROPOSALS));
                item.gap = fill_item(gap, it.id, it.article);
                item.proposal = fill_item(proposal, it.id, it.article);
            }
            if status == AssessmentStatus::PartiallyCompliant && r.chance(30) {
                item.evidence.push(Evidence {
                    kind: EvidenceKind::CourtDecision,
                    reference: format!("Sentencia de demostración {}/2025", 10 + r.below(90)),
                    note: "Ficticia: ilustra cómo se cita una resolución.".into(),
                });
            }
            a.items.insert(it.id.to_owned(), item);
        }
        docs.push(a);
    }
    app.store_demo_assessments(docs)
}

fn fill_item(t: &str, id: &str, article: &str) -> String {
    t.replace("{id}", id).replace("{article}", article)
}

const GAPS: &[&str] = &[
    "[Demostración] La disposición citada no recoge todos los supuestos que exige {id} ({article}); el tipo penal queda más estrecho que la obligación.",
    "[Demostración] La ley exige requisitos adicionales que {id} ({article}) no contempla, lo que dificulta la persecución en la práctica.",
    "[Demostración] No existe una norma específica; los tribunales aplican disposiciones generales de forma desigual.",
    "[Demostración] La norma existe pero no tiene reglamento ni presupuesto asignado, por lo que no se aplica.",
];

const PROPOSALS: &[&str] = &[
    "[Demostración] Reformar la ley para recoger expresamente {id}, conforme al texto armonizado regional.",
    "[Demostración] Incluir un artículo nuevo siguiendo la Ley Modelo de la UNODC y eliminar los requisitos adicionales.",
    "[Demostración] Aprobar el reglamento y asignar presupuesto en la próxima ley de presupuesto.",
];

/// The country codes above are literals that always parse.
fn unreachable_code() -> CountryCode {
    CountryCode::members().remove(0)
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
            },
            PersonInput {
                pseudonym: None,
                role: PersonRole::Suspect,
                gender: Some(Gender::Male),
                age_band: None,
                minor_at_exploitation: None,
                nationality: CountryCode::parse(t),
                identity: None,
            },
        ],
        indicators: vec![Indicator {
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

/// A demonstration Regional Plan of Action: the programme's four components,
/// regional tasks and one national task per country for each national
/// activity, about sixty in all, with dates around the day it is loaded so
/// that some are done, some under way, some overdue. Regional tasks are
/// owned by this node's country (acting as the coordination unit); national
/// tasks by their country.
fn load_plan(app: &mut App) -> Result<u64> {
    use crate::plan::KIND;
    use enlace_domain::plan::validate_task;
    if !app.store.read().doc_ids(KIND)?.is_empty() {
        return Ok(0);
    }
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| today + chrono::Duration::days(offset);
    let own = app.node.country.clone();
    let countries = ["GT", "MX", "HN", "SV", "NI", "CR", "PA"];
    let mut r = Rng(0x0BAD_5EED_7A5C_0001);
    let mut tasks: Vec<PlanTask> = vec![];
    let text = |es: &str, en: &str| LocalText {
        es: es.into(),
        en: en.into(),
    };
    #[allow(clippy::too_many_arguments)]
    let mut add = |code: &str,
                   component: Component,
                   output: &str,
                   title: LocalText,
                   country: Option<&str>,
                   agency: &str,
                   responsible: &str,
                   start: i64,
                   due: i64,
                   status: TaskStatus,
                   progress: u8,
                   kind: TaskKind,
                   notes: &str|
     -> Uuid {
        let country = country.and_then(CountryCode::parse);
        let owner = Owner {
            node: match &country {
                Some(c) if *c != own => format!("demo-{}", c.as_str().to_lowercase()),
                _ => app.node.node_id.clone(),
            },
            country: country.clone().unwrap_or_else(|| own.clone()),
        };
        let id = Uuid::new_v4();
        tasks.push(PlanTask {
            id,
            code: code.into(),
            component,
            output: output.into(),
            description: LocalText::default(),
            audience: PlanTask::audience_for(country.as_ref()),
            country,
            agency: agency.into(),
            responsible: responsible.into(),
            start: Some(day(start)),
            due: day(due),
            status,
            progress: if status == TaskStatus::Done {
                100
            } else {
                progress
            },
            indicators: vec![],
            depends_on: vec![],
            kind,
            participants: vec![],
            notes: notes.into(),
            owner,
            demo: true,
            title,
        });
        id
    };
    use Component::*;
    use TaskKind::{Campaign, Consultation, Task as T, Workshop};
    use TaskStatus::*;
    let o11 = "1.1 Estrategia y Plan de Acción Regional";
    let o12 = "1.2 Grupos de Tarea Nacionales y puntos focales";
    let o13 = "1.3 Marco jurídico armonizado";
    let strategy = add(
        "1.1.1",
        Cooperation,
        o11,
        text(
            "Taller regional de adopción de la Estrategia Regional",
            "Regional workshop to adopt the Regional Strategy",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Coordinación regional",
        -300,
        -270,
        Done,
        100,
        Workshop,
        "Estrategia adoptada por los siete países.",
    );
    let plan = add(
        "1.1.2",
        Cooperation,
        o11,
        text(
            "Aprobación del Plan de Acción Regional y asignación de responsables",
            "Approval of the Regional Plan of Action and of who is responsible",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Coordinación regional",
        -260,
        -200,
        Done,
        100,
        Consultation,
        "",
    );
    let names = [
        "Lcda. María José Pérez Ávila",
        "Lic. José Núñez Ávila",
        "Comisionada Ana Lucía Güity",
        "Fiscal Óscar Peña Muñoz",
        "Dra. Begoña Ibáñez",
        "Lic. Raúl Chacón Solís",
        "Mtra. Itzel Domínguez",
    ];
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due) = match (i + 1) % 3 {
            0 => (Done, 100, -150 + i as i64 * 5),
            1 => (InProgress, 70, -10 + i as i64 * 3),
            _ => (InProgress, 50, 40),
        };
        add(
            &format!("1.2.{}", i + 1),
            Cooperation,
            o12,
            text(
                "Constitución formal del Grupo de Tarea Nacional y designación del punto focal",
                "Formal set-up of the National Task Force and appointment of the focal point",
            ),
            Some(cc),
            "Ministerio de Gobernación / Interior",
            names[i],
            -200,
            due,
            status,
            progress,
            T,
            if status == Done {
                ""
            } else {
                "Falta el acuerdo ministerial."
            },
        );
    }
    let mut assessments = vec![];
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due, note) = match (i + 2) % 4 {
            0 => (
                InProgress,
                60,
                30,
                "Borrador revisado por el Ministerio Público.",
            ),
            1 => (Done, 100, -40, ""),
            2 => (
                InProgress,
                35,
                -12,
                "Retraso: falta la revisión del Código Procesal.",
            ),
            _ => (NotStarted, 0, 75, ""),
        };
        assessments.push(add(
            &format!("1.3.{}", i + 1),
            Cooperation,
            o13,
            text(
                "Evaluación de la legislación nacional frente a los Protocolos",
                "Assessment of national legislation against the Protocols",
            ),
            Some(cc),
            "Ministerio Público",
            names[(i + 2) % 7],
            -120,
            due,
            status,
            progress,
            T,
            note,
        ));
    }
    let harmonise = add(
        "1.3.8",
        Cooperation,
        o13,
        text(
            "Reunión regional de armonización: definiciones, sanciones y agravantes comunes",
            "Regional harmonisation meeting: common definitions, sanctions and aggravating circumstances",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Coordinación regional",
        20,
        90,
        NotStarted,
        0,
        Consultation,
        "Requiere las siete evaluaciones.",
    );
    let proposals = add(
        "1.3.9",
        Cooperation,
        o13,
        text(
            "Propuestas de reforma armonizadas para los siete países",
            "Harmonised reform proposals for the seven countries",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Coordinación regional",
        90,
        180,
        NotStarted,
        0,
        T,
        "",
    );

    let o21 = "2.1 Manual de capacitación";
    let o22 = "2.2 Talleres nacionales";
    let o23 = "2.3 Estudios de casos";
    let manual = add(
        "2.1.1",
        Training,
        o21,
        text(
            "Redacción del manual regional de capacitación para fuerzas del orden",
            "Drafting of the regional law-enforcement training manual",
        ),
        None,
        "UNODC",
        "Equipo de redacción",
        -150,
        -20,
        InProgress,
        85,
        T,
        "Capítulo de entrevistas a víctimas pendiente de revisión.",
    );
    let validate = add(
        "2.1.2",
        Training,
        o21,
        text(
            "Validación del manual con los siete Grupos de Tarea",
            "Validation of the manual with the seven Task Forces",
        ),
        None,
        "UNODC",
        "Equipo de redacción",
        -10,
        30,
        NotStarted,
        0,
        Consultation,
        "",
    );
    let mut workshops = vec![];
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due) = match (i + 1) % 4 {
            0 => (Done, 100, -35),
            1 => (NotStarted, 0, -5),
            2 => (InProgress, 40, 25),
            _ => (NotStarted, 0, 60 + i as i64 * 4),
        };
        let id = add(
            &format!("2.2.{}", i + 1),
            Training,
            o22,
            text(
                "Taller nacional de capacitación para policía, fiscalía y migración",
                "National training workshop for police, prosecutors and immigration",
            ),
            Some(cc),
            "Academia de Policía",
            names[(i + 4) % 7],
            -60,
            due,
            status,
            progress,
            Workshop,
            if status == NotStarted && due < 0 {
                "Sin sede confirmada."
            } else {
                ""
            },
        );
        workshops.push(id);
    }
    add(
        "2.3.1",
        Training,
        o23,
        text(
            "Compilación de estudios de casos: enjuiciamientos exitosos y fallidos",
            "Compilation of case studies: successful and failed prosecutions",
        ),
        None,
        "Red de Fiscales",
        "Coordinación regional",
        -90,
        45,
        InProgress,
        30,
        T,
        "",
    );

    let o31 = "3.1 Directorio de agencias";
    let o32 = "3.2 Base de datos regional (Enlace)";
    let o33 = "3.3 Investigaciones conjuntas";
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due) = if i % 2 == 0 {
            (Done, 100, -60)
        } else {
            (InProgress, 55, 15 + i as i64)
        };
        add(
            &format!("3.1.{}", i + 1),
            Network,
            o31,
            text(
                "Identificación y clasificación de las agencias que aportan información",
                "Identification and classification of the agencies that provide information",
            ),
            Some(cc),
            "Grupo de Tarea Nacional",
            names[(i + 1) % 7],
            -150,
            due,
            status,
            progress,
            T,
            "",
        );
    }
    let hub = add(
        "3.2.1",
        Network,
        o32,
        text(
            "Instalación del nodo regional (hub) de Enlace",
            "Set-up of the regional Enlace hub",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Equipo técnico regional",
        -100,
        -30,
        Done,
        100,
        T,
        "",
    );
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due, note) = match (i + 3) % 5 {
            0 => (Done, 100, -20, ""),
            1 => (InProgress, 60, 20, ""),
            2 => (
                Blocked,
                30,
                10,
                "Bloqueada: sin equipos portátiles para los pasos fronterizos.",
            ),
            3 => (InProgress, 20, -3, "Retraso en la compra de equipos."),
            _ => (NotStarted, 0, 50, ""),
        };
        add(
            &format!("3.2.{}", i + 2),
            Network,
            o32,
            text(
                "Puesta en marcha de la base de datos en oficinas y pasos fronterizos",
                "Database set-up in offices and border posts",
            ),
            Some(cc),
            "Policía Nacional — Unidad contra la Trata",
            names[(i + 3) % 7],
            -60,
            due,
            status,
            progress,
            T,
            note,
        );
    }
    add(
        "3.2.9",
        Network,
        o32,
        text(
            "Taller regional para analistas: evaluación y cotejo de información",
            "Regional workshop for analysts: evaluating and collating information",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Equipo técnico regional",
        10,
        40,
        NotStarted,
        0,
        Workshop,
        "",
    );
    let protocol = add(
        "3.3.1",
        Network,
        o33,
        text(
            "Protocolo regional de investigaciones conjuntas transfronterizas",
            "Regional protocol for joint cross-border investigations",
        ),
        None,
        "Red de Fiscales",
        "Coordinación regional",
        -80,
        -15,
        Blocked,
        45,
        Consultation,
        "Bloqueada: falta el visto bueno de dos cancillerías.",
    );

    let o41 = "4.1 Redes de derivación";
    let o42 = "4.2 Evaluación de riesgos";
    let o43 = "4.3 Prevención";
    for (i, cc) in countries.iter().enumerate() {
        let (status, progress, due) = match i % 3 {
            0 => (InProgress, 50, 35),
            1 => (Done, 100, -25),
            _ => (NotStarted, 0, -8),
        };
        add(
            &format!("4.1.{}", i + 1),
            Protection,
            o41,
            text(
                "Evaluación de la capacidad nacional de protección de víctimas",
                "Assessment of national victim-protection capacity",
            ),
            Some(cc),
            "Ministerio de Desarrollo Social",
            names[(i + 5) % 7],
            -90,
            due,
            status,
            progress,
            T,
            "",
        );
    }
    for (i, cc) in countries.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        add(
            &format!("4.1.{}", i + 8),
            Protection,
            o41,
            text(
                "Mapa de servicios de derivación (albergues, asistencia legal, salud)",
                "Map of referral services (shelters, legal aid, health)",
            ),
            Some(cc),
            "ONG aliadas",
            names[(i + 6) % 7],
            -40,
            30 + i as i64,
            InProgress,
            25 + r.below(40) as u8,
            T,
            "",
        );
    }
    let risk = add(
        "4.2.1",
        Protection,
        o42,
        text(
            "Procedimiento común de evaluación de riesgos para cada víctima",
            "Common risk-assessment procedure for every victim",
        ),
        None,
        "Unidad de Coordinación Regional",
        "Coordinación regional",
        -30,
        60,
        InProgress,
        20,
        T,
        "",
    );
    add(
        "4.3.1",
        Protection,
        o43,
        text(
            "Campaña regional de prevención en rutas migratorias",
            "Regional prevention campaign along migration routes",
        ),
        None,
        "OIM",
        "Comunicación regional",
        30,
        150,
        NotStarted,
        0,
        Campaign,
        "",
    );

    // Dependencies and workshop participants.
    let deps: Vec<(Uuid, Vec<Uuid>)> = vec![
        (plan, vec![strategy]),
        (harmonise, assessments.clone()),
        (proposals, vec![harmonise]),
        (validate, vec![manual]),
        (protocol, vec![hub]),
        (risk, vec![plan]),
    ];
    for (id, on) in deps {
        if let Some(t) = tasks.iter_mut().find(|t| t.id == id) {
            t.depends_on = on;
        }
    }
    for (n, id) in workshops.iter().enumerate() {
        if let Some(t) = tasks.iter_mut().find(|t| t.id == *id) {
            t.depends_on = vec![manual];
            t.participants = vec![
                SectorCount {
                    sector: Sector::Police,
                    count: 10 + n as u32,
                },
                SectorCount {
                    sector: Sector::Prosecutors,
                    count: 6,
                },
                SectorCount {
                    sector: Sector::Immigration,
                    count: 5,
                },
                SectorCount {
                    sector: Sector::Ngo,
                    count: 3,
                },
            ];
        }
    }
    let today_date = today;
    let prepared: Vec<(PlanTask, Vec<Issue>)> = tasks
        .into_iter()
        .map(|t| {
            let issues = validate_task(&t, today_date);
            (t, issues)
        })
        .collect();
    if let Some((t, i)) = prepared
        .iter()
        .find(|(_, i)| enlace_domain::validate::has_errors(i))
    {
        return Err(crate::CoreError::Internal(format!(
            "demo task {} is invalid: {i:?}",
            t.code
        )));
    }
    Ok(app.store_tasks(prepared, "create")?.len() as u64)
}
