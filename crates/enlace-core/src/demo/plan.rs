//! A demonstration Regional Plan of Action.

use enlace_domain::*;
use uuid::Uuid;

use super::rng::Rng;
use crate::{App, Result};

/// A demonstration Regional Plan of Action: the programme's four components,
/// regional tasks and one national task per country for each national
/// activity, about sixty in all, with dates around the day it is loaded so
/// that some are done, some under way, some overdue. Regional tasks are
/// owned by this node's country (acting as the coordination unit); national
/// tasks by their country.
pub(super) fn load(app: &mut App) -> Result<u64> {
    use enlace_domain::plan::validate_task;
    if !app.store.read().doc_ids(DocKind::PlanTask)?.is_empty() {
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
                    id: String::new(),
                    sector: Sector::Police,
                    count: 10 + n as u32,
                },
                SectorCount {
                    id: String::new(),
                    sector: Sector::Prosecutors,
                    count: 6,
                },
                SectorCount {
                    id: String::new(),
                    sector: Sector::Immigration,
                    count: 5,
                },
                SectorCount {
                    id: String::new(),
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
