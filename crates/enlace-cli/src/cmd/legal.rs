//! `enlace legal`: the legal assessments and the harmonisation matrix.

use std::path::Path;

use enlace_core::{App, CoreError};
use enlace_domain::legal::Instrument;
use enlace_domain::{Lang, tr_args};

use crate::args::{ExportFormat, LegalCommand, Protocol};
use crate::common::{Outcome, open, read_json};
use crate::output;

pub fn run(command: LegalCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let own = |app: &App, c: Option<String>| c.unwrap_or_else(|| app.node_info().country);
    match command {
        LegalCommand::Show {
            country,
            protocol,
            mandatory,
            status,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let view = app.legal_assessment(&own(&app, country))?;
            let instrument = protocol.map(|p| match p {
                Protocol::Tip => Instrument::TraffickingProtocol,
                Protocol::Ml => Instrument::ModelLaw,
                Protocol::Som => Instrument::SmugglingProtocol,
            });
            output::assessment(
                &view,
                &output::ItemFilter {
                    instrument,
                    mandatory,
                    status,
                },
                lang,
                json,
            );
        }
        LegalCommand::Matrix { json } => {
            let app = open(dir, lang, user)?;
            output::matrix(&app.legal_matrix()?, lang, json);
        }
        LegalCommand::Update {
            item,
            country,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let c = own(&app, country);
            let saved = app.update_legal_item(&c, &item, &patch)?;
            output::item_saved(&saved, &item, lang, print_json);
        }
        LegalCommand::Choose {
            item,
            country,
            field,
            value,
        } => {
            let value: serde_json::Value =
                enlace_domain::input::parse_json(&value).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let c = own(&app, country);
            let saved = app.choose_legal_value(&c, &item, &field, &value)?;
            output::item_saved(&saved, &item, lang, false);
        }
        LegalCommand::History {
            item,
            country,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let h = app.legal_item_history(&own(&app, country), &item)?;
            output::item_history(&h, lang, json);
        }
        LegalCommand::Export { format, out } => {
            let mut app = open(dir, lang, user)?;
            let rows = match format {
                ExportFormat::Csv => app.legal_export_csv(&out, lang)?,
            };
            println!(
                "{}",
                tr_args(
                    lang,
                    "cli-legal-exported",
                    &[
                        ("rows", &rows.to_string()),
                        ("path", &out.display().to_string())
                    ]
                )
            );
        }
    }
    Ok(())
}
