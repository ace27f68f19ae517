//! `enlace bundle`: sync by file where no network reaches.

use std::path::Path;

use enlace_core::App;
use enlace_domain::{Lang, tr_args};

use crate::args::BundleCommand;
use crate::common::{Outcome, bar, json, kb, open, progress_fn};

pub fn run(command: BundleCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let mut app: App = open(dir, lang, user)?;
    match command {
        BundleCommand::Export {
            peer,
            out,
            json: as_json,
        } => {
            let pb = bar(lang, "cli-bundle-exporting");
            let done = app.export_bundle(&peer, &out, &mut |pages, _| {
                pb.set_length(pages + 1);
                pb.set_position(pages);
            })?;
            pb.finish_and_clear();
            if as_json {
                json(&done);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-bundle-exported",
                        &[
                            ("seq", &done.seq.to_string()),
                            ("peer", &done.peer),
                            ("docs", &done.docs.to_string()),
                            ("changes", &done.changes.to_string()),
                            ("size", &kb(done.bytes)),
                            ("path", &done.path)
                        ]
                    )
                );
            }
        }
        BundleCommand::Import {
            file,
            json: as_json,
        } => {
            let pb = bar(lang, "cli-bundle-importing");
            let done = app.import_bundle(&file, &mut progress_fn(&pb))?;
            pb.finish_and_clear();
            if as_json {
                json(&done);
            } else {
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli-bundle-imported",
                        &[
                            ("seq", &done.seq.to_string()),
                            ("peer", &done.peer),
                            ("docs", &done.docs.to_string()),
                            ("changes", &done.changes.to_string()),
                            ("refused", &done.refused.to_string())
                        ]
                    )
                );
            }
        }
    }
    Ok(())
}
