//! The JSON that scripts read from `enlace … --json` / `--print-json`,
//! fixed by snapshots (`tests/snapshots/`): a change to a field's name,
//! type or place shows up as a diff to review, and docs/cli.md changes
//! with it. Values that differ from run to run (ids, keys, hashes, times,
//! the temporary directory, byte counts) are replaced by placeholders;
//! everything else is as printed.

mod common;

use std::path::Path;

use common::{json, run, run_stdin};
use serde_json::Value;

/// Replaces what differs from one run to the next by a placeholder that
/// names what it was.
struct Normalise {
    tmp: String,
    today: String,
    /// The nodes' codes, in references (`GT-[code]-2026-0001`) and alone.
    codes: Vec<String>,
}

impl Normalise {
    fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|v| self.value(v)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let counted = matches!(
                            k.as_str(),
                            "bytes"
                                | "bytes_sent"
                                | "bytes_received"
                                | "millis"
                                | "size"
                                | "days_overdue"
                        );
                        // A list item's id (its automerge object, `7@<actor>`).
                        let item_id = k == "id" && v.as_str().is_some_and(|s| s.contains('@'));
                        let v = if counted && v.is_number() {
                            Value::String("[count]".into())
                        } else if item_id {
                            Value::String("[item id]".into())
                        } else {
                            self.value(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn text(&self, s: &str) -> String {
        let hex = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit());
        if s.len() == 36 && uuid::Uuid::parse_str(s).is_ok() {
            return "[uuid]".into();
        }
        if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
            return "[time]".into();
        }
        if s == self.today {
            return "[today]".into();
        }
        if hex(s) && s.len() == 64 {
            return "[key or hash]".into();
        }
        if hex(s) && s.len() == 16 {
            return "[node id]".into();
        }
        if hex(s) && s.len() == 32 {
            return "[official id]".into();
        }
        if self.codes.iter().any(|c| c == s) {
            return "[node code]".into();
        }
        let mut s = s.replace(&self.tmp, "[tmp]");
        for c in &self.codes {
            s = s.replace(&format!("-{c}-"), "-[code]-");
        }
        s
    }
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).expect("write input");
    p.display().to_string()
}

#[test]
fn every_json_output_keeps_its_shape() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = tmp.path().join("gt");
    let hn = tmp.path().join("hn");
    for (dir, cc, name) in [
        (&gt, "GT", "Paso Tecún Umán"),
        (&hn, "HN", "Aduana Corinto"),
    ] {
        common::ok(&run(dir, &["init", "--country", cc, "--node-name", name]));
    }
    let code = |dir: &Path| {
        json(&run(dir, &["node", "show", "--json"]))["node_code"]
            .as_str()
            .expect("node code")
            .to_owned()
    };
    let n = Normalise {
        tmp: tmp.path().display().to_string(),
        today: chrono::Utc::now().date_naive().to_string(),
        codes: vec![code(&gt), code(&hn)],
    };
    let snap = |name: &str, v: Value| {
        insta::assert_json_snapshot!(name, n.value(&v));
    };
    snap("node_show", json(&run(&gt, &["node", "show", "--json"])));

    // Cases.
    let case = serde_json::json!({
        "title": "Reclutamiento en Malacatán con oferta de empleo falsa",
        "summary": "Tres mujeres captadas por José Núñez Ávila.",
        "classification": "trafficking",
        "opened": "2026-03-02",
        "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
        "route": [
            {"country": "GT", "place": "Malacatán", "role": "origin"},
            {"country": "MX", "place": "Tapachula", "role": "destination"}
        ],
        "persons": [{"role": "victim", "gender": "female", "age_band": "21-23",
                     "nationality": "GT"}],
        "requests": [{"kind": "mutual_legal_assistance", "from": "GT", "to": "MX",
                      "subject": "Registros migratorios", "status": "sent",
                      "sent": "2026-03-10", "due": "2026-05-10"}]
    });
    let created = json(&run(
        &gt,
        &[
            "case",
            "create",
            "--json",
            &write(tmp.path(), "case.json", &case),
            "--print-json",
        ],
    ));
    let reference = created["reference"].as_str().expect("reference").to_owned();
    snap("case_create", created);
    let patch = serde_json::json!({"status": "under_investigation"});
    snap(
        "case_update",
        json(&run(
            &gt,
            &[
                "case",
                "update",
                &reference,
                "--json",
                &write(tmp.path(), "patch.json", &patch),
                "--print-json",
            ],
        )),
    );
    common::ok(&run_stdin(
        &gt,
        &["case", "note", &reference, "--text", "-"],
        "Entrevista con V1 en el albergue.",
    ));
    snap(
        "case_show",
        json(&run(&gt, &["case", "show", &reference, "--json"])),
    );
    // A victim's risk: assessed on a fixed day, so its review is due on
    // one too (and overdue, by a number of days that grows).
    snap(
        "risk_add",
        json(&run(
            &gt,
            &[
                "risk",
                "add",
                &reference,
                "V1",
                "--level",
                "critical",
                "--assessor",
                "Inspectora Núñez, Migración",
                "--on",
                "2026-03-02",
                "--threat",
                "traffickers_know_location",
                "--taken",
                "Traslado a albergue",
                "--json",
            ],
        )),
    );
    snap(
        "risk_list",
        json(&run(&gt, &["risk", "list", &reference, "--json"])),
    );
    snap("risk_due", json(&run(&gt, &["risk", "due", "--json"])));
    snap(
        "request_list",
        json(&run(&gt, &["request", "list", "--json"])),
    );
    // The directory and a referral.
    snap(
        "agency_add",
        json(&run(
            &gt,
            &[
                "agency",
                "add",
                "--name",
                "Albergue Casa Alba (ficticio)",
                "--kind",
                "ngo",
                "--city",
                "Quetzaltenango",
                "--service",
                "shelter",
                "--service",
                "psychological",
                "--contact",
                "Lucía Xicará;Coordinadora;+502 0000 0000;",
                "--language",
                "k'iche'",
                "--reliability",
                "B",
                "--json",
            ],
        )),
    );
    snap(
        "agency_list",
        json(&run(&gt, &["agency", "list", "--query", "alba", "--json"])),
    );
    snap(
        "referral_add",
        json(&run(
            &gt,
            &[
                "referral",
                "add",
                &reference,
                "V1",
                "--agency",
                "casa alba",
                "--service",
                "shelter",
                "--reason",
                "Alojamiento seguro",
                "--consent",
                "--due",
                "2026-04-01",
                "--json",
            ],
        )),
    );
    let unknown = run(
        &gt,
        &[
            "referral",
            "add",
            &reference,
            "V1",
            "--agency",
            "nadie",
            "--reason",
            "x",
            "--consent",
            "--json",
        ],
    );
    assert_eq!(unknown.status.code(), Some(5), "{unknown:?}");
    snap(
        "error_unknown_agency",
        serde_json::from_slice(&unknown.stderr).expect("a JSON error on stderr"),
    );
    snap("case_list", json(&run(&gt, &["case", "list", "--json"])));
    snap(
        "case_history",
        json(&run(&gt, &["case", "history", &reference, "--json"])),
    );
    snap(
        "case_history_values",
        json(&run(
            &gt,
            &["case", "history", &reference, "--values", "--json"],
        )),
    );
    let missing = run(&gt, &["case", "show", "GT-2020-0099", "--json"]);
    snap(
        "error_not_found",
        serde_json::from_slice(&missing.stderr).expect("a JSON error on stderr"),
    );

    // Legal assessment.
    let item = serde_json::json!({"status": "partially_compliant",
        "gap": "No tipifica la captación de niñas y niños en todos los supuestos.",
        "assessor": "Ana Pérez", "assessed_on": "2026-10-01"});
    snap(
        "legal_update",
        json(&run(
            &gt,
            &[
                "legal",
                "update",
                "TIP-03",
                "--json",
                &write(tmp.path(), "item.json", &item),
                "--print-json",
            ],
        )),
    );
    snap(
        "legal_show_assessed",
        json(&run(
            &gt,
            &["legal", "show", "--status", "partially_compliant", "--json"],
        )),
    );
    snap(
        "legal_matrix",
        json(&run(&gt, &["legal", "matrix", "--json"])),
    );
    snap(
        "legal_history",
        json(&run(&gt, &["legal", "history", "TIP-03", "--json"])),
    );

    // The Plan of Action.
    let task = serde_json::json!({"code": "1.2.1", "component": "cooperation",
        "output": "1.2 Grupos de Tarea Nacionales", "country": "GT",
        "title": {"es": "Taller nacional sobre identificación", "en": "National workshop"},
        "responsible": "María de los Ángeles Güity", "due": "2030-06-30",
        "kind": "workshop", "participants": [{"sector": "police", "count": 25}]});
    snap(
        "plan_add",
        json(&run(
            &gt,
            &[
                "plan",
                "add",
                "--json",
                &write(tmp.path(), "task.json", &task),
                "--print-json",
            ],
        )),
    );
    snap(
        "plan_update",
        json(&run(
            &gt,
            &[
                "plan",
                "update",
                "1.2.1",
                "--json",
                &write(
                    tmp.path(),
                    "task-patch.json",
                    &serde_json::json!({"status": "in_progress", "progress": 40}),
                ),
                "--print-json",
            ],
        )),
    );
    snap("plan_list", json(&run(&gt, &["plan", "list", "--json"])));
    snap(
        "plan_history",
        json(&run(&gt, &["plan", "history", "1.2.1", "--json"])),
    );

    // Peers and a bundle, Guatemala to Honduras.
    let key = |dir: &Path| {
        json(&run(dir, &["node", "show", "--json"]))["public_key"]
            .as_str()
            .expect("key")
            .to_owned()
    };
    let (gt_key, hn_key) = (key(&gt), key(&hn));
    snap(
        "peer_add",
        json(&run(
            &gt,
            &[
                "peer",
                "add",
                "Aduana",
                "--key",
                &hn_key,
                "--country",
                "HN",
                "--json",
            ],
        )),
    );
    common::ok(&run(
        &hn,
        &["peer", "add", "Tecún", "--key", &gt_key, "--country", "GT"],
    ));
    snap("peer_list", json(&run(&gt, &["peer", "list", "--json"])));
    snap(
        "peer_roster",
        json(&run(&gt, &["peer", "roster", "--json"])),
    );
    snap(
        "peer_quarantine",
        json(&run(&gt, &["peer", "quarantine", "--json"])),
    );
    let bundle = tmp.path().join("para-honduras.enlace");
    let bundle = bundle.display().to_string();
    snap(
        "bundle_export",
        json(&run(
            &gt,
            &[
                "bundle", "export", "--peer", "Aduana", "--out", &bundle, "--json",
            ],
        )),
    );
    snap(
        "bundle_import",
        json(&run(&hn, &["bundle", "import", &bundle, "--json"])),
    );
    // A Guatemalan laptop revoked by the Guatemalan node.
    let laptop = tmp.path().join("laptop");
    common::ok(&run(
        &laptop,
        &["init", "--country", "GT", "--node-name", "Portátil Tecún"],
    ));
    common::ok(&run(
        &gt,
        &[
            "peer",
            "add",
            "Portátil",
            "--key",
            &key(&laptop),
            "--country",
            "GT",
        ],
    ));
    snap(
        "peer_revoke",
        json(&run(&gt, &["peer", "revoke", "Portátil", "--json"])),
    );
    snap(
        "peer_revocations",
        json(&run(&gt, &["peer", "revocations", "--json"])),
    );
    snap(
        "case_duplicates",
        json(&run(&gt, &["case", "duplicates", "--json"])),
    );
    snap(
        "case_renumber",
        json(&run(&gt, &["case", "renumber", &reference, "--print-json"])),
    );

    // Officials and the audit log.
    let added = common::enlace(
        &gt,
        &["user", "add", "Ana Pérez", "--role", "prosecutor", "--json"],
    )
    .env("ENLACE_NEW_PASSPHRASE", "la frase de la fiscal")
    .output()
    .expect("run");
    snap("user_add", json(&added));
    snap("user_list", json(&run(&gt, &["user", "list", "--json"])));
    snap(
        "user_whoami",
        json(&run(&gt, &["user", "whoami", "--json"])),
    );
    snap(
        "audit_list",
        json(&run(
            &gt,
            &["audit", "list", "--action", "official.", "--json"],
        )),
    );
    snap(
        "audit_verify",
        json(&run(&gt, &["audit", "verify", "--json"])),
    );
}
