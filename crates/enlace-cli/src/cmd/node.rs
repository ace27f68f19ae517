//! `enlace init`, `node show`, `demo`, `reindex`, `check` and `export`: the node
//! itself and jobs over all its data.

use std::path::Path;

use enlace_core::App;
use enlace_domain::{Lang, tr, tr_args};

use crate::args::StandardFormat;
use crate::common::{Failure, Outcome, bar, json, open, passphrase, progress_fn};
use crate::output;

pub fn init(
    dir: &Path,
    lang: Lang,
    user: Option<String>,
    (country, node_name, role): (&str, &str, Option<enlace_domain::NodeRole>),
    demo: bool,
) -> Outcome {
    let pass = passphrase(lang, true)?;
    let admin = user.as_deref().unwrap_or(enlace_core::DEFAULT_ADMIN);
    let mut app = App::init_as(dir, admin, &pass, country, node_name)?;
    if let Some(role) = role {
        app.set_node_role(role)?;
    }
    println!(
        "{}",
        tr_args(
            lang,
            "cli-initialised",
            &[("dir", &dir.display().to_string())]
        )
    );
    output::node(&app.node_info(), lang, false);
    eprintln!(
        "{}",
        tr_args(
            lang,
            "cli-init-backup",
            &[
                (
                    "key",
                    &dir.join(enlace_core::KEY_FILE).display().to_string()
                ),
                ("dir", &dir.display().to_string())
            ]
        )
    );
    if demo {
        load_demo(&mut app, lang)?;
    }
    Ok(())
}

pub fn show(dir: &Path, lang: Lang, user: Option<String>, json: bool) -> Outcome {
    let app = open(dir, lang, user)?;
    output::node(&app.node_info(), lang, json);
    Ok(())
}

pub fn role(
    dir: &Path,
    lang: Lang,
    user: Option<String>,
    role: enlace_domain::NodeRole,
    json: bool,
) -> Outcome {
    let mut app = open(dir, lang, user)?;
    let info = app.set_node_role(role)?;
    output::node(&info, lang, json);
    Ok(())
}

pub fn country_key(
    command: crate::args::CountryKeyCommand,
    dir: &Path,
    lang: Lang,
    user: Option<String>,
) -> Outcome {
    use crate::args::CountryKeyCommand as C;
    let mut app = open(dir, lang, user)?;
    let (view, as_json) = match command {
        C::Create { json } => (Some(app.country_key_create()?), json),
        C::Trust { key, json } => (Some(app.country_key_trust(&key)?), json),
        C::Show { json } => (app.country_key()?, json),
    };
    if as_json {
        output::json_value(&view);
        return Ok(());
    }
    match view {
        None => println!("{}", tr(lang, "cli-country-key-none")),
        Some(v) => {
            println!("{}", v.public_key);
            let key = if v.holds_secret {
                "cli-country-key-held"
            } else {
                "cli-country-key-trusted"
            };
            eprintln!("{}", tr_args(lang, key, &[("country", &v.country)]));
        }
    }
    Ok(())
}

pub fn demo(dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let mut app = open(dir, lang, user)?;
    load_demo(&mut app, lang)
}

pub fn reindex(dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    let mut app = open(dir, lang, user)?;
    let pb = bar(lang, "cli-reindexing");
    let n = app.reindex(&mut progress_fn(&pb))?;
    pb.finish_and_clear();
    println!(
        "{}",
        tr_args(lang, "cli-reindexed", &[("documents", &n.to_string())])
    );
    Ok(())
}

pub fn check(dir: &Path, lang: Lang, user: Option<String>, json: bool) -> Outcome {
    let app = open(dir, lang, user)?;
    let pb = bar(lang, "cli-checking");
    let report = app.check(&mut progress_fn(&pb))?;
    pb.finish_and_clear();
    if json {
        output::json_value(&report);
    } else {
        println!(
            "{}",
            tr_args(
                lang,
                "cli-checked",
                &[
                    ("documents", &report.documents.to_string()),
                    ("changes", &report.changes.to_string()),
                    ("audit", &report.audit_entries.to_string()),
                ]
            )
        );
        for d in &report.damage {
            println!("  {}", output::damage(lang, d));
        }
    }
    if report.is_whole() {
        Ok(())
    } else {
        Err(Failure::Damaged)
    }
}

pub fn export(dir: &Path, lang: Lang, user: Option<String>, out: &Path) -> Outcome {
    let mut app = open(dir, lang, user)?;
    let pb = bar(lang, "cli-exporting");
    let n = app.export(out, &mut progress_fn(&pb))?;
    pb.finish_and_clear();
    println!(
        "{}",
        tr_args(
            lang,
            "cli-exported",
            &[
                ("cases", &n.to_string()),
                ("path", &out.display().to_string())
            ]
        )
    );
    Ok(())
}

/// `enlace export htcds|ctdc`: the file, then what could not be mapped.
pub fn export_standard(
    dir: &Path,
    lang: Lang,
    user: Option<String>,
    format: StandardFormat,
    out: &Path,
    k: u64,
    as_json: bool,
) -> Outcome {
    let mut app = open(dir, lang, user)?;
    let done = match format {
        StandardFormat::Ctdc => app.export_ctdc(out, k)?,
        StandardFormat::Htcds | StandardFormat::Enlace => app.export_htcds(out)?,
    };
    if as_json {
        json(&done);
        return Ok(());
    }
    let path = out.display().to_string();
    let said = match format {
        StandardFormat::Ctdc => tr_args(
            lang,
            "cli-exported-ctdc",
            &[
                ("rows", &done.rows.to_string()),
                ("cases", &done.cases.to_string()),
                ("path", &path),
                ("k", &done.k.to_string()),
                ("blanked", &done.blanked.values().sum::<u64>().to_string()),
                ("dropped", &done.dropped.to_string()),
            ],
        ),
        StandardFormat::Htcds | StandardFormat::Enlace => tr_args(
            lang,
            "cli-exported-htcds",
            &[
                ("cases", &done.cases.to_string()),
                ("persons", &done.rows.to_string()),
                ("path", &path),
            ],
        ),
    };
    println!("{said}");
    if !done.unmapped.is_empty() {
        println!(
            "{}",
            tr_args(
                lang,
                "cli-exported-unmapped",
                &[("n", &done.unmapped.len().to_string())]
            )
        );
        // Grouped by field and reason (`--json` lists every value by case).
        let mut groups: std::collections::BTreeMap<
            (&str, &str),
            (u64, std::collections::BTreeSet<&str>),
        > = std::collections::BTreeMap::new();
        for u in &done.unmapped {
            let g = groups.entry((&u.field, &u.reason)).or_default();
            g.0 += 1;
            g.1.insert(&u.value);
        }
        for ((field, reason), (n, values)) in groups {
            let values: Vec<&str> = values.into_iter().collect();
            println!(
                "  {}",
                tr_args(
                    lang,
                    "cli-exported-unmapped-group",
                    &[
                        ("field", field),
                        ("n", &n.to_string()),
                        ("values", &values.join(", ")),
                        ("reason", &tr(lang, reason)),
                    ]
                )
            );
        }
    }
    Ok(())
}

pub fn backup(dir: &Path, lang: Lang, user: Option<String>, out: &Path) -> Outcome {
    let mut app = open(dir, lang, user)?;
    let made = app.backup(out)?;
    println!(
        "{}",
        tr_args(
            lang,
            "cli-backup-written",
            &[("path", &made.path), ("size", &human_bytes(made.bytes))]
        )
    );
    Ok(())
}

pub fn restore(dir: &Path, lang: Lang, file: &Path) -> Outcome {
    let info = App::restore(file, dir, &passphrase(lang, false)?)?;
    println!(
        "{}",
        tr_args(
            lang,
            "cli-restored",
            &[
                ("name", &info.name),
                ("country", &info.country),
                ("dir", &info.data_dir)
            ]
        )
    );
    Ok(())
}

/// A size in bytes as people read it (1.5 MB).
fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

pub fn load_demo(app: &mut App, lang: Lang) -> Outcome {
    let pb = bar(lang, "cli-demo-loading");
    let s = app.load_demo(&mut progress_fn(&pb))?;
    pb.finish_and_clear();
    if s.loaded {
        println!(
            "{}",
            tr_args(
                lang,
                "cli-demo-loaded",
                &[
                    ("cases", &s.cases.to_string()),
                    ("persons", &s.persons.to_string()),
                    ("assessments", &s.assessments.to_string()),
                    ("tasks", &s.tasks.to_string())
                ]
            )
        );
    } else {
        println!("{}", tr(lang, "cli-demo-already"));
    }
    Ok(())
}
