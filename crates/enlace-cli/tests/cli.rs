//! The `enlace` command as scripts use it: real binary, real encrypted
//! database in a temporary directory.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{PASS, enlace, json, ok, run, run_stdin, text};

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn init(dir: &Path) {
    ok(&run(
        dir,
        &["init", "--country", "GT", "--node-name", "Paso Tecún Umán"],
    ));
}

#[test]
fn init_node_show_and_refusal_to_init_twice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let out = ok(&run(
        &dir,
        &["init", "--country", "gt", "--node-name", "Paso Tecún Umán"],
    ));
    assert!(out.contains("Base de datos creada"), "{out}");
    let node = json(&run(&dir, &["node", "show", "--json"]));
    assert_eq!(node["country"], "GT");
    assert_eq!(node["name"], "Paso Tecún Umán");
    assert_eq!(node["public_key"].as_str().map(str::len), Some(64));
    let again = run(&dir, &["init", "--country", "GT", "--node-name", "x"]);
    assert_eq!(code(&again), 6);
    assert!(stderr(&again).contains("Ya existe"), "{}", stderr(&again));
    let en = run(
        &dir,
        &[
            "--lang",
            "en",
            "init",
            "--country",
            "GT",
            "--node-name",
            "x",
        ],
    );
    assert!(stderr(&en).contains("already exists"), "{}", stderr(&en));
    let bad = run(
        &tmp.path().join("other"),
        &["init", "--country", "FR", "--node-name", "x"],
    );
    assert_eq!(code(&bad), 5);
    assert!(stderr(&bad).contains("FR"));
}

#[test]
fn usage_errors_exit_2_and_missing_database_exits_6() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert_eq!(code(&run(tmp.path(), &["case", "frobnicate"])), 2);
    assert_eq!(
        code(&run(tmp.path(), &["case", "list", "--status", "lost"])),
        2
    );
    let o = run(&tmp.path().join("none"), &["case", "list"]);
    assert_eq!(code(&o), 6);
    assert!(stderr(&o).contains("enlace init"), "{}", stderr(&o));
}

#[test]
fn wrong_passphrase_exits_4_and_changes_no_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let snapshot = || {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .expect("dir")
            // The count of failed logins is the one file a failure writes.
            .filter(|e| {
                e.as_ref()
                    .map(|e| e.file_name() != "enlace.logins.json")
                    .unwrap_or(true)
            })
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = snapshot();
    let o = enlace(&dir, &["case", "list"])
        .env("ENLACE_PASSPHRASE", "otra frase distinta")
        .output()
        .expect("run");
    assert_eq!(code(&o), 4);
    assert!(stderr(&o).contains("no es correcta"), "{}", stderr(&o));
    assert_eq!(before, snapshot());
    assert!(
        dir.join("enlace.logins.json").exists(),
        "the failure is counted"
    );
    // Without a passphrase and without a terminal: a clear usage error.
    let o = enlace(&dir, &["case", "list"])
        .env_remove("ENLACE_PASSPHRASE")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ENLACE_PASSPHRASE"), "{}", stderr(&o));
}

#[test]
fn create_list_show_update_note_history_export() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let input = r#"{
        "title": "Captación en Tecún Umán",
        "summary": "Víctima captada con ofertas falsas.",
        "classification": "trafficking",
        "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
        "route": [{"country": "HN", "role": "origin", "place": "Choloma", "from": "2026-01-03"},
                  {"country": "GT", "role": "transit", "place": "Tecún Umán", "from": "2026-01-05"}],
        "persons": [{"role": "victim", "gender": "female", "age_band": "18-20",
                     "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}}]
    }"#;
    let out = ok(&run_stdin(&dir, &["case", "create", "--json", "-"], input));
    let mut parts = out.split_whitespace();
    let id = parts.next().expect("id").to_owned();
    let reference = parts.next().expect("reference").to_owned();
    assert!(
        reference.starts_with("GT-") && reference.ends_with("-0001"),
        "{out}"
    );
    assert_eq!(id.len(), 36);

    let list = json(&run(&dir, &["case", "list", "--query", "guity", "--json"]));
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["reference"], reference.as_str());
    let list = json(&run(
        &dir,
        &[
            "case",
            "list",
            "--country",
            "HN",
            "--classification",
            "trafficking",
            "--json",
        ],
    ));
    assert_eq!(list["total"], 1);
    let list = json(&run(
        &dir,
        &["case", "list", "--classification", "smuggling", "--json"],
    ));
    assert_eq!(list["total"], 0);

    let shown = json(&run(&dir, &["case", "show", &reference, "--json"]));
    assert_eq!(shown["case"]["id"], id.as_str());
    assert_eq!(
        shown["identities"][0]["full_name"],
        "María de los Ángeles Güity"
    );
    let human = ok(&run(&dir, &["case", "show", &id]));
    assert!(
        human.contains("Trata de personas") && human.contains("Choloma"),
        "{human}"
    );
    let human_en = ok(&run(&dir, &["--lang", "en", "case", "show", &id]));
    assert!(human_en.contains("Trafficking in persons"), "{human_en}");

    let patch = tmp.path().join("patch.json");
    std::fs::write(&patch, r#"{"status": "under_investigation"}"#).expect("write");
    let out = ok(&run(
        &dir,
        &[
            "case",
            "update",
            &reference,
            "--json",
            patch.to_str().expect("path"),
        ],
    ));
    assert!(out.contains(&reference));
    // Another official, logged in with her own passphrase, adds a note.
    let o = enlace(
        &dir,
        &["user", "add", "ana", "--role", "police_investigator"],
    )
    .env("ENLACE_NEW_PASSPHRASE", "la frase de ana")
    .output()
    .expect("run");
    ok(&o);
    let o = enlace(
        &dir,
        &[
            "--user",
            "ana",
            "case",
            "note",
            &reference,
            "--text",
            "Entrevista realizada",
        ],
    )
    .env("ENLACE_PASSPHRASE", "la frase de ana")
    .output()
    .expect("run");
    ok(&o);
    let h = json(&run(&dir, &["case", "history", &reference, "--json"]));
    let h = h.as_array().expect("array");
    assert_eq!(h.len(), 3);
    assert_eq!(h[1]["action"], "update");
    assert!(
        h[1]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .any(|f| f == "status")
    );
    assert_eq!(h[2]["by"], "Paso Tecún Umán/ana");

    let export = tmp.path().join("export.json");
    let out = ok(&run(
        &dir,
        &["export", "--out", export.to_str().expect("path")],
    ));
    assert_eq!(
        out.trim_end(),
        enlace_domain::tr_args(
            enlace_domain::Lang::Es,
            "cli-exported",
            &[("cases", "1"), ("path", &export.display().to_string())]
        ),
        "the count and the file, in Spanish"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export).expect("read")).expect("json");
    assert_eq!(v["cases"][0]["reference"], reference.as_str());
    assert!(!String::from_utf8_lossy(&std::fs::read(&export).expect("read")).contains("Güity"));

    let missing = run(&dir, &["case", "show", "GT-2020-0099"]);
    assert_eq!(code(&missing), 3);
}

#[test]
fn invalid_json_names_the_field_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    for (input, needle) in [
        (r#"{"title": "x", "means": ["bribery"]}"#, "means[0]"),
        (
            r#"{"title": "x", "route": [{"country": "HN", "role": "origin", "from": "2026-02-31"}]}"#,
            "route[0].from",
        ),
        (
            r#"{"title": "x", "classification": "kidnapping"}"#,
            "under_assessment",
        ),
        (
            r#"{"title": "x", "route": [{"country": "HN", "role": "origin", "from": "2026-02-03"}, {"country": "GT", "role": "transit", "from": "2026-01-01"}]}"#,
            "route[1].from",
        ),
        ("{not json", "JSON"),
        ("", "JSON"),
    ] {
        let o = run_stdin(&dir, &["case", "create", "--json", "-"], input);
        assert_eq!(code(&o), 5, "{input}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{input}: {}", stderr(&o));
    }
    let o = run_stdin(
        &dir,
        &["case", "create", "--json", "-", "--print-json"],
        r#"{"title": "x", "means": ["bribery"]}"#,
    );
    let err: serde_json::Value =
        serde_json::from_str(stderr(&o).trim()).expect("JSON error on stderr");
    assert_eq!(err["error"]["code"], "invalid_input");
    let list = json(&run(&dir, &["case", "list", "--json"]));
    assert_eq!(list["total"], 0, "nothing was written");
    // A megabyte pasted into the title is refused with a clear message.
    let big = format!(r#"{{"title": "{}"}}"#, "ñ".repeat(1_000_000));
    let o = run_stdin(&dir, &["case", "create", "--json", "-"], &big);
    assert_eq!(code(&o), 5);
    assert!(
        stderr(&o).contains("máximo"),
        "{}",
        &stderr(&o)[..200.min(stderr(&o).len())]
    );
    let o = run(&dir, &["case", "create", "--json", "/no/such/file.json"]);
    assert_eq!(code(&o), 7);
    assert!(stderr(&o).contains("/no/such/file.json"));
}

#[test]
fn demo_reindex_and_search_without_accents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let out = ok(&run(&dir, &["demo"]));
    assert!(out.contains("casos"), "{out}");
    let all = json(&run(&dir, &["case", "list", "--limit", "1000", "--json"]));
    let total = all["total"].as_u64().expect("total");
    assert!(total >= 40);
    assert!(ok(&run(&dir, &["demo"])).contains("Ya hay"));
    let out = ok(&run(&dir, &["reindex"]));
    assert!(out.contains(&total.to_string()), "{out}");
    let hits = json(&run(&dir, &["case", "list", "--query", "nunez", "--json"]));
    assert_eq!(hits["total"], 1);
    let table = ok(&run(&dir, &["case", "list", "--query", "nunez"]));
    assert!(table.contains("1 de 1 casos"), "{table}");
    // The demo holds other countries' cases: this GT node reads them and
    // may add a note (the one thing another country may add), but does not
    // patch them (exit 8): everything else stays as it was.
    let hn = json(&run(&dir, &["case", "list", "--owner", "HN", "--json"]));
    let reference = hn["items"][0]["reference"]
        .as_str()
        .expect("a Honduran demo case")
        .to_owned();
    let before = json(&run(&dir, &["case", "show", &reference, "--json"]));
    let o = run_stdin(
        &dir,
        &["case", "update", &reference, "--json", "-"],
        r#"{"title": "Cambio no autorizado"}"#,
    );
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(stderr(&o).contains("Honduras"), "{}", stderr(&o));
    ok(&run(
        &dir,
        &["case", "note", &reference, "--text", "Nota desde Guatemala"],
    ));
    let mut after = json(&run(&dir, &["case", "show", &reference, "--json"]));
    let notes = after["case"]["notes"].as_array().expect("notes").clone();
    assert_eq!(
        notes.last().map(|n| n["text"].clone()),
        Some(serde_json::json!("Nota desde Guatemala"))
    );
    after["case"]["notes"] = before["case"]["notes"].clone();
    assert_eq!(
        before["case"], after["case"],
        "nothing but the note changed"
    );
}

/// A process killed with SIGKILL in the middle of writing leaves a database
/// that opens, passes its integrity check, and holds every case whose
/// creation was acknowledged (printed) before the kill.
#[test]
fn sigkill_mid_write_loses_no_acknowledged_case() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let script = format!(
        "for i in $(seq 1 400); do echo '{{\"title\": \"Caso número '$i'\", \"summary\": \"{}\"}}' | {} --data-dir {} case create --json - || exit 1; done",
        "texto ".repeat(200),
        env!("CARGO_BIN_EXE_enlace"),
        dir.display()
    );
    let mut writer = common::Group::spawn(
        Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("ENLACE_PASSPHRASE", PASS)
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let mut stdout = writer.child.stdout.take().expect("stdout");
    // Let it write for a while, then SIGKILL the shell and the enlace
    // process in the middle of its work: the whole group at once.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    drop(writer);
    let mut acknowledged = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut acknowledged).expect("read");
    let acked: Vec<&str> = acknowledged
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert!(
        acked.len() >= 2,
        "the writer acknowledged some cases first ({})",
        acked.len()
    );
    let list = json(&run(&dir, &["case", "list", "--limit", "1000", "--json"]));
    let present: Vec<String> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["reference"].as_str().map(str::to_owned))
        .collect();
    for r in &acked {
        assert!(
            present.iter().any(|p| p == r),
            "acknowledged case {r} was lost"
        );
    }
    // At most the one in flight may also be present.
    assert!(present.len() <= acked.len() + 1);
    // And the database is still fully usable.
    ok(&run_stdin(
        &dir,
        &["case", "create", "--json", "-"],
        r#"{"title": "Después del corte"}"#,
    ));
}

/// A full disk and then a read-only file system, for real: a 3 MiB tmpfs in
/// a private mount namespace (`unshare -m`, available to root on Linux).
/// The write fails with exit 7 and a message about disk space or
/// permissions; nothing partial is stored; the database still opens and
/// holds what it held.
#[test]
fn full_disk_and_read_only_folder_fail_cleanly_and_lose_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mnt = tmp.path().join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir");
    let script = r#"
set -u
D="$1"; ENLACE="$2"
mount -t tmpfs -o size=3m tmpfs "$D" || { echo "NO_MOUNT"; exit 90; }
export ENLACE_DATA_DIR="$D/data"
"$ENLACE" init --country GT --node-name n >/dev/null 2>&1 || { echo "NO_INIT"; exit 91; }
echo "BEFORE $(echo '{"title": "Antes de llenar el disco"}' | "$ENLACE" case create --json -)"
dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null
BIG=$(head -c 6000 /dev/zero | tr '\0' 'x')
echo "{\"title\": \"Con el disco lleno\", \"summary\": \"$BIG\"}" > "$D/../input.json"
"$ENLACE" case create --json "$D/../input.json" > /dev/null 2> "$D/../full.err"
echo "FULL_EXIT $?"
rm -f "$D/filler"
"$ENLACE" case list --json --limit 100 > "$D/../list.json" 2>&1
echo "LIST_EXIT $?"
mount -o remount,ro "$D"
echo '{"title": "Carpeta de solo lectura"}' | "$ENLACE" case create --json - > /dev/null 2> "$D/../ro.err"
echo "RO_EXIT $?"
mount -o remount,rw "$D"
"$ENLACE" case list --json --limit 100 > "$D/../list2.json" 2>&1
echo "LIST2_EXIT $?"
umount "$D"
"#;
    let out = Command::new("unshare")
        .args(["-m", "bash", "-c", script, "full-disk-test"])
        .arg(&mnt)
        .arg(env!("CARGO_BIN_EXE_enlace"))
        .env("ENLACE_PASSPHRASE", PASS)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run unshare");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let value = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key} ")).map(str::to_owned))
            .unwrap_or_else(|| {
                panic!(
                    "no {key} in: {text}\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
    };
    let before = value("BEFORE");
    let before_ref = before
        .split_whitespace()
        .nth(1)
        .expect("reference")
        .to_owned();
    assert_eq!(value("FULL_EXIT"), "7", "a full disk is a storage error");
    let full_err = std::fs::read_to_string(tmp.path().join("full.err")).expect("stderr");
    assert!(full_err.contains("disco"), "{full_err}");
    assert!(!full_err.contains("panicked"), "{full_err}");
    assert_eq!(value("LIST_EXIT"), "0");
    let list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("list.json")).expect("list"))
            .expect("json");
    let refs: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["reference"].as_str())
        .collect();
    assert_eq!(
        refs,
        vec![before_ref.as_str()],
        "the earlier case is intact, nothing partial was stored"
    );
    assert_eq!(
        value("RO_EXIT"),
        "7",
        "a read-only folder is a storage error"
    );
    let ro_err = std::fs::read_to_string(tmp.path().join("ro.err")).expect("stderr");
    assert!(
        ro_err.contains("permisos") || ro_err.contains("disco"),
        "{ro_err}"
    );
    assert_eq!(value("LIST2_EXIT"), "0");
    let list2 = std::fs::read_to_string(tmp.path().join("list2.json")).expect("list2");
    assert!(
        list2.contains(&before_ref) && !list2.contains("Carpeta de solo lectura"),
        "{list2}"
    );
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask setup`");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn legal_show_update_history_export_and_matrix_report() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path().join("d");
    init(&dir);
    ok(&run(&dir, &["demo"]));

    // JSON: filters apply, every field is there.
    let v: serde_json::Value = serde_json::from_str(&ok(&run(
        &dir,
        &[
            "legal",
            "show",
            "--country",
            "HN",
            "--protocol",
            "som",
            "--json",
        ],
    )))
    .expect("json");
    assert_eq!(v["country"], "HN");
    assert_eq!(v["editable"], false);
    let ids: Vec<&str> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "SOM-39", "SOM-40", "SOM-41", "SOM-42", "SOM-43", "SOM-44", "SOM-45"
        ]
    );
    let mandatory: serde_json::Value = serde_json::from_str(&ok(&run(
        &dir,
        &[
            "legal",
            "show",
            "--mandatory",
            "--status",
            "not_assessed",
            "--json",
        ],
    )))
    .expect("json");
    for i in mandatory["items"].as_array().expect("items") {
        assert_ne!(i["obligation"], "optional");
        assert_eq!(i["assessment"]["status"], "not_assessed");
    }

    // Update this node's country (GT); the history shows old and new values.
    let out = run_stdin(
        &dir,
        &["legal", "update", "TIP-06", "--json", "-"],
        r#"{"status": "not_compliant", "gap": "Exige carácter transnacional.", "assessor": "José Núñez Ávila"}"#,
    );
    ok(&out);
    let h: serde_json::Value =
        serde_json::from_str(&ok(&run(&dir, &["legal", "history", "TIP-06", "--json"])))
            .expect("json");
    let last = h.as_array().expect("entries").last().expect("an entry");
    let assessor = last["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["field"] == "assessor")
        .expect("assessor changed");
    assert_eq!(assessor["after"], "José Núñez Ávila");

    // Errors: another country (8), unknown item (5), bad JSON names the field (5).
    let o = run_stdin(
        &dir,
        &[
            "legal",
            "update",
            "TIP-06",
            "--country",
            "HN",
            "--json",
            "-",
        ],
        "{}",
    );
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(stderr(&o).contains("Honduras"));
    let o = run_stdin(&dir, &["legal", "update", "TIP-60", "--json", "-"], "{}");
    assert_eq!(code(&o), 5);
    let o = run_stdin(
        &dir,
        &["legal", "update", "TIP-06", "--json", "-"],
        r#"{"status": "sí"}"#,
    );
    assert_eq!(code(&o), 5);
    assert!(stderr(&o).contains("status"), "{}", stderr(&o));
    let o = run(&dir, &["legal", "show", "--country", "XX"]);
    assert_eq!(code(&o), 5);

    // CSV export: a header and 7 × 45 rows, with the edit in it.
    let csv = t.path().join("legal.csv");
    ok(&run(
        &dir,
        &[
            "legal",
            "export",
            "--format",
            "csv",
            "--out",
            csv.to_str().expect("path"),
        ],
    ));
    let text = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(text.lines().count(), 1 + 7 * 45);
    assert!(text.contains("Exige carácter transnacional."));

    // The matrix PDF, in English on Letter paper: every item and country.
    let pdf = t.path().join("matrix.pdf");
    ok(&run(
        &dir,
        &[
            "--lang",
            "en",
            "report",
            "legal-matrix",
            "--paper",
            "letter",
            "--out",
            pdf.to_str().expect("path"),
        ],
    ));
    let text = pdftotext(&pdf);
    for id in ["TIP-01", "TIP-32", "ML-33", "ML-38", "SOM-39", "SOM-45"] {
        assert!(text.contains(id), "{id}");
    }
    for country in [
        "Mexico",
        "Guatemala",
        "Honduras",
        "El Salvador",
        "Nicaragua",
        "Costa Rica",
        "Panama",
    ] {
        assert!(text.contains(country), "{country}");
    }
    assert!(
        text.contains("Exige carácter transnacional."),
        "the edit is in the gaps"
    );
    assert!(text.contains("DEMONSTRATION DATA"));
    // An unwritable output path: exit 7, nothing written.
    let bad = t.path().join("missing").join("m.pdf");
    let o = run(
        &dir,
        &[
            "report",
            "legal-matrix",
            "--out",
            bad.to_str().expect("path"),
        ],
    );
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    assert!(!t.path().join("missing").exists());
}

#[test]
fn plan_add_list_update_and_status_sheet_with_its_errors() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path().join("d");
    init(&dir);
    ok(&run(&dir, &["demo"]));
    let out = run_stdin(
        &dir,
        &["plan", "add", "--json", "-"],
        r#"{"code": "9.9.9", "component": "protection", "output": "4.2 Evaluación de riesgos",
            "title": {"es": "Revisión trimestral de riesgos — José Núñez Ávila"},
            "country": "GT", "due": "2020-03-31", "status": "blocked", "progress": 10}"#,
    );
    let line = ok(&out);
    assert!(line.trim().ends_with("9.9.9"), "{line}");
    let v = json(&run(
        &dir,
        &["plan", "list", "--scope", "GT", "--overdue", "--json"],
    ));
    let codes: Vec<&str> = v["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["task"]["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"9.9.9"), "{codes:?}");
    assert!(
        v["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .all(|t| t["overdue"] == true)
    );
    ok(&run_stdin(
        &dir,
        &["plan", "update", "9.9.9", "--json", "-"],
        r#"{"notes": "Sin fondos."}"#,
    ));
    let h = json(&run(&dir, &["plan", "history", "9.9.9", "--json"]));
    assert_eq!(h.as_array().map(Vec::len), Some(2));

    let pdf = t.path().join("hoja.pdf");
    ok(&run(
        &dir,
        &[
            "report",
            "plan-status",
            "--country",
            "GT",
            "--out",
            pdf.to_str().expect("path"),
        ],
    ));
    let text = pdftotext(&pdf);
    assert!(text.contains("Revisión trimestral de riesgos"));
    assert!(text.contains("¡VENCIDA!"));
    assert!(text.contains("Sin fondos."));
    assert!(text.contains("Página 1 de"));
    let pdf_en = t.path().join("sheet.pdf");
    ok(&run(
        &dir,
        &[
            "--lang",
            "en",
            "report",
            "plan-status",
            "--region",
            "--paper",
            "letter",
            "--out",
            pdf_en.to_str().expect("path"),
        ],
    ));
    let text = pdftotext(&pdf_en);
    assert!(text.contains("status sheet: the whole region"));
    assert!(text.contains("Costa Rica") || text.contains("(CR)"));

    // Errors: an unknown country (5), an unwritable path (7), neither scope (2).
    let o = run(
        &dir,
        &[
            "report",
            "plan-status",
            "--country",
            "XX",
            "--out",
            pdf.to_str().expect("path"),
        ],
    );
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(stderr(&o).contains("XX"));
    let bad = t.path().join("no-such").join("hoja.pdf");
    let o = run(
        &dir,
        &[
            "report",
            "plan-status",
            "--region",
            "--out",
            bad.to_str().expect("path"),
        ],
    );
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    assert!(!t.path().join("no-such").exists());
    let o = run(
        &dir,
        &[
            "report",
            "plan-status",
            "--out",
            pdf.to_str().expect("path"),
        ],
    );
    assert_eq!(code(&o), 2);
    // Another country's task cannot be changed here.
    let v = json(&run(&dir, &["plan", "list", "--scope", "HN", "--json"]));
    let hn = v["tasks"][0]["task"]["id"]
        .as_str()
        .expect("an HN task")
        .to_owned();
    let o = run_stdin(
        &dir,
        &["plan", "update", &hn, "--json", "-"],
        r#"{"progress": 90}"#,
    );
    assert_eq!(code(&o), 8, "{}", stderr(&o));
}

#[test]
fn case_history_with_values_and_choose_refuses_other_fields() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path().join("d");
    init(&dir);
    let out = run_stdin(
        &dir,
        &["case", "create", "--json", "-"],
        r#"{"title": "Explotación laboral en Tapachula", "classification": "under_assessment",
            "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}"#,
    );
    let line = ok(&out);
    let reference = line
        .split_whitespace()
        .nth(1)
        .expect("reference")
        .to_owned();
    ok(&run_stdin(
        &dir,
        &["case", "update", &reference, "--json", "-"],
        r#"{"classification": "trafficking", "title": "Explotación laboral — José Núñez Ávila"}"#,
    ));
    let h = json(&run(
        &dir,
        &["case", "history", &reference, "--values", "--json"],
    ));
    let last = h.as_array().expect("entries").last().expect("an update");
    let cls = last["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["field"] == "classification")
        .expect("classification");
    assert_eq!(cls["before"], "under_assessment");
    assert_eq!(cls["after"], "trafficking");
    let text = ok(&run(&dir, &["case", "history", &reference, "--values"]));
    assert!(text.contains("José Núñez Ávila"), "{text}");
    let o = run(
        &dir,
        &[
            "case", "choose", &reference, "--field", "route", "--value", "[]",
        ],
    );
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    // With no rival value there is nothing to settle: no change is made.
    let before = json(&run(&dir, &["case", "history", &reference, "--json"]));
    let o = run(
        &dir,
        &[
            "case",
            "choose",
            &reference,
            "--field",
            "classification",
            "--value",
            "\"trafficking\"",
        ],
    );
    ok(&o);
    assert!(stderr(&o).contains("Sin cambios"), "{}", stderr(&o));
    let after = json(&run(&dir, &["case", "history", &reference, "--json"]));
    assert_eq!(before, after);
}

#[test]
fn case_list_filters_on_the_command_line() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path().join("d");
    init(&dir);
    ok(&run(&dir, &["demo"]));
    let all = json(&run(&dir, &["case", "list", "--limit", "1000", "--json"]));
    let some = json(&run(
        &dir,
        &[
            "case",
            "list",
            "--purpose",
            "forced_labour",
            "--role",
            "origin",
            "--country",
            "HN",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--sort",
            "owner",
            "--limit",
            "1000",
            "--json",
        ],
    ));
    let n = some["total"].as_u64().expect("total");
    assert!(n < all["total"].as_u64().expect("total"));
    for c in some["items"].as_array().expect("items") {
        assert!(
            c["route"]
                .as_array()
                .expect("route")
                .iter()
                .any(|s| s["country"] == "HN" && s["role"] == "origin"),
            "{c}"
        );
    }
    let o = run(&dir, &["case", "list", "--purpose", "pesca"]);
    assert_eq!(code(&o), 2, "an unknown purpose is a usage error");
    assert!(
        stderr(&o).contains("forced_labour"),
        "the allowed values are listed"
    );
    let o = run(&dir, &["case", "list", "--from", "2026-02-31"]);
    assert_eq!(code(&o), 2);
}

/// A script that read a case, then patched its route whole after someone
/// else added a stop: with `--base` (the heads it read) the stop is kept.
#[test]
fn case_update_with_base_keeps_what_changed_since_the_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let input = r#"{"title": "Ruta leída antes", "classification": "trafficking",
        "route": [{"country": "HN", "role": "origin", "place": "Choloma"}]}"#;
    let out = ok(&run_stdin(&dir, &["case", "create", "--json", "-"], input));
    let id = out.split_whitespace().next().expect("id").to_owned();
    let read = json(&run(&dir, &["case", "show", &id, "--json"]));
    let heads: Vec<String> = read["heads"]
        .as_array()
        .expect("heads")
        .iter()
        .filter_map(|h| h.as_str().map(str::to_owned))
        .collect();
    assert!(!heads.is_empty(), "{read}");
    // Someone adds a stop.
    let mut route = read["case"]["route"].clone();
    route
        .as_array_mut()
        .expect("route")
        .push(serde_json::json!({"country": "GT", "role": "transit", "place": "Tecún Umán"}));
    ok(&run_stdin(
        &dir,
        &["case", "update", &id, "--json", "-"],
        &serde_json::json!({"route": route}).to_string(),
    ));
    // The script, from its read, adds another.
    let mut mine = read["case"]["route"].clone();
    mine.as_array_mut()
        .expect("route")
        .push(serde_json::json!({"country": "MX", "role": "destination", "place": "Tapachula"}));
    let saved = json(&run_stdin(
        &dir,
        &[
            "case",
            "update",
            &id,
            "--json",
            "-",
            "--base",
            &heads.join(","),
            "--print-json",
        ],
        &serde_json::json!({"route": mine}).to_string(),
    ));
    assert_eq!(saved["heads"].as_array().map(Vec::len), Some(1), "{saved}");
    let now = json(&run(&dir, &["case", "show", &id, "--json"]));
    let places: Vec<&str> = now["case"]["route"]
        .as_array()
        .expect("route")
        .iter()
        .filter_map(|s| s["place"].as_str())
        .collect();
    assert_eq!(places.len(), 3, "{places:?}");
    assert_eq!(places[0], "Choloma");
    let rest: std::collections::BTreeSet<&str> = places[1..].iter().copied().collect();
    assert_eq!(rest, ["Tapachula", "Tecún Umán"].into_iter().collect());
}

/// A backup taken while another process writes is one snapshot that
/// restores on another machine with the passphrase; a damaged copy, a
/// wrong passphrase, an existing file or an existing database change
/// nothing and say why.
#[test]
fn backup_while_writing_and_restore_elsewhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let case = r#"{"title": "José Núñez Ávila", "classification": "trafficking"}"#;
    for _ in 0..3 {
        ok(&run_stdin(&dir, &["case", "create", "--json", "-"], case));
    }
    // Another process goes on recording cases meanwhile.
    let writer_dir = dir.clone();
    let writer = std::thread::spawn(move || {
        for _ in 0..5 {
            ok(&run_stdin(
                &writer_dir,
                &["case", "create", "--json", "-"],
                case,
            ));
        }
    });
    let file = tmp.path().join("respaldo.enlace-backup");
    let out = ok(&run(
        &dir,
        &["backup", "--out", file.to_str().expect("path")],
    ));
    writer.join().expect("writer");
    assert!(out.contains("Copia de seguridad escrita"), "{out}");
    // Not over an existing file.
    let again = run(&dir, &["backup", "--out", file.to_str().expect("path")]);
    assert_eq!(code(&again), 5, "{}", text(&again));
    assert!(stderr(&again).contains("ya existe"), "{}", text(&again));

    let elsewhere = tmp.path().join("portatil-nuevo");
    let files_in = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    // A damaged copy: one byte changed, or cut short.
    let bytes = std::fs::read(&file).expect("read");
    let mut changed = bytes.clone();
    let mid = changed.len() / 2;
    changed[mid] ^= 0x40;
    let not_one = "Esto no es una copia de seguridad.\n"
        .repeat(20)
        .into_bytes();
    for (name, content, why) in [
        ("cambiada", changed, "suma de comprobación"),
        (
            "cortada",
            bytes[..bytes.len() / 3].to_vec(),
            "suma de comprobación",
        ),
        ("otra-cosa", not_one, "no empieza como una copia"),
    ] {
        let bad = tmp.path().join(name);
        std::fs::write(&bad, content).expect("write");
        let o = run(&elsewhere, &["restore", bad.to_str().expect("path")]);
        assert_eq!(code(&o), 5, "{name}: {}", text(&o));
        assert!(stderr(&o).contains("No se modificó nada"), "{}", text(&o));
        assert!(stderr(&o).contains(why), "{name}: {}", text(&o));
        assert!(
            files_in(&elsewhere).is_empty(),
            "{name}: {:?}",
            files_in(&elsewhere)
        );
    }
    // The wrong passphrase.
    let o = enlace(&elsewhere, &["restore", file.to_str().expect("path")])
        .env("ENLACE_PASSPHRASE", "otra frase de acceso")
        .output()
        .expect("run");
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        files_in(&elsewhere).is_empty(),
        "{:?}",
        files_in(&elsewhere)
    );
    // Restored: the same node, its cases searchable, nothing left beside.
    let o = ok(&run(&elsewhere, &["restore", file.to_str().expect("path")]));
    assert!(o.contains("Paso Tecún Umán"), "{o}");
    let leftovers: Vec<String> = files_in(tmp.path())
        .into_iter()
        .filter(|f| f.starts_with(".enlace-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let node = |d: &Path| json(&run(d, &["node", "show", "--json"]))["public_key"].clone();
    assert_eq!(node(&elsewhere), node(&dir));
    let listed = json(&run(
        &elsewhere,
        &["case", "list", "--query", "nunez", "--json"],
    ));
    let total = listed["total"].as_u64().expect("total");
    assert!(
        (3..=8).contains(&total),
        "a snapshot between before and after: {total}"
    );
    // Not over a database, nor beside what one left (its WAL would be
    // replayed into the restored one).
    let o = run(&elsewhere, &["restore", file.to_str().expect("path")]);
    assert_eq!(code(&o), 6, "{}", text(&o));
    let wal_only = tmp.path().join("quedo-el-wal");
    std::fs::create_dir_all(&wal_only).expect("mkdir");
    std::fs::write(wal_only.join("enlace.db-wal"), b"wal").expect("write");
    let o = run(&wal_only, &["restore", file.to_str().expect("path")]);
    assert_eq!(code(&o), 6, "{}", text(&o));
    assert_eq!(files_in(&wal_only), ["enlace.db-wal"]);
    // Not into a folder that is not there (a stick not plugged in).
    let gone = tmp
        .path()
        .join("memoria-usb")
        .join("respaldo.enlace-backup");
    let o = run(&dir, &["backup", "--out", gone.to_str().expect("path")]);
    assert_eq!(code(&o), 7, "{}", text(&o));
    assert!(stderr(&o).contains("memoria-usb"), "{}", text(&o));
    assert!(!tmp.path().join("memoria-usb").exists());
}

/// `enlace check` says a whole database is whole (exit 0, figures in
/// JSON) and a damaged one damaged, with what to do (exit 7) — a page
/// altered on disk is named, not reported as a bug or as memory.
#[test]
fn check_reports_a_damaged_database_with_what_to_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    ok(&run(&dir, &["demo"]));
    let whole = json(&run(&dir, &["check", "--json"]));
    assert!(
        whole["documents"].as_u64().is_some_and(|n| n > 10),
        "{whole}"
    );
    assert_eq!(whole["damage"], serde_json::json!([]));

    // One byte of a page near the end of the file is flipped.
    let db = dir.join("enlace.db");
    let mut bytes = std::fs::read(&db).expect("read db");
    let pages = bytes.len() / 4096;
    assert!(pages > 8, "{pages} pages");
    bytes[(pages - 3) * 4096 + 100] ^= 0xff;
    std::fs::write(&db, &bytes).expect("write db");
    let out = run(&dir, &["--lang", "en", "check"]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("SQLite found damage"), "{said}");
    assert!(said.contains("Restore the latest backup"), "{said}");
    assert!(!said.contains("out of memory"), "{said}");
}

/// Two processes on one data folder are safe together: `enlace serve`
/// runs on it while two other processes edit the same case and record
/// cases at once. Every acknowledged write is there, each update saw the
/// one before it (the summary is one of the last two written, not an
/// earlier one), and the database is whole.
#[test]
fn processes_sharing_a_data_folder_lose_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let created = json(&run_stdin(
        &dir,
        &["case", "create", "--json", "-", "--print-json"],
        r#"{"title": "Caso compartido de José Núñez Ávila"}"#,
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    let _serve = common::Group::spawn(
        enlace(
            &dir,
            &["serve", "--listen", "127.0.0.1:0", "--interval", "1"],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null()),
    );
    let writers: Vec<_> = ["Tecún Umán", "Quetzaltenango"]
        .into_iter()
        .map(|who| {
            let (dir, id) = (dir.clone(), id.clone());
            std::thread::spawn(move || {
                let mut refs = vec![];
                for i in 0..4 {
                    let patch = format!(r#"{{"summary": "{who} {i}"}}"#);
                    ok(&run_stdin(
                        &dir,
                        &["case", "update", &id, "--json", "-"],
                        &patch,
                    ));
                    let case = format!(r#"{{"title": "Registrado en {who} {i}"}}"#);
                    let saved = json(&run_stdin(
                        &dir,
                        &["case", "create", "--json", "-", "--print-json"],
                        &case,
                    ));
                    refs.push(saved["id"].as_str().expect("id").to_owned());
                }
                refs
            })
        })
        .collect();
    let refs: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    assert_eq!(refs.len(), 8);
    for r in &refs {
        ok(&run(&dir, &["case", "show", r]));
    }
    let shown = json(&run(&dir, &["case", "show", &id, "--json"]));
    let summary = shown["case"]["summary"].as_str().unwrap_or_default();
    assert!(summary.ends_with(" 3"), "{shown}");
    let whole = json(&run(&dir, &["check", "--json"]));
    assert_eq!(whole["damage"], serde_json::json!([]), "{whole}");
}

/// `enlace` as the official `name`, with `pass`.
fn as_official(dir: &Path, name: &str, pass: &str, args: &[&str]) -> Output {
    let mut all = vec!["--user", name];
    all.extend_from_slice(args);
    enlace(dir, &all)
        .env("ENLACE_PASSPHRASE", pass)
        .output()
        .expect("run")
}

#[test]
fn officials_log_in_with_their_roles_and_the_audit_log_verifies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let add = |name: &str, role: &str, pass: &str| {
        enlace(&dir, &["user", "add", name, "--role", role, "--json"])
            .env("ENLACE_NEW_PASSPHRASE", pass)
            .output()
            .expect("run")
    };
    let v = json(&add("Marta Núñez", "analyst", "clave de la analista"));
    assert_eq!(v["role"], "analyst");
    // A bad role is a usage error; a short passphrase is refused.
    assert_eq!(code(&add("Luis", "king", "clave de luis")), 2);
    assert_eq!(code(&add("Luis", "analyst", "corta")), 5);
    let list = json(&run(&dir, &["user", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["name"], "admin");
    assert_eq!(list[0]["first"], true);

    // The analyst: logs in, reads, may not change a case or add officials.
    let who = json(&as_official(
        &dir,
        "marta nunez",
        "clave de la analista",
        &["user", "whoami", "--json"],
    ));
    assert_eq!(who["name"], "Marta Núñez");
    assert!(
        !who["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .any(|p| p == "see_identities")
    );
    ok(&as_official(
        &dir,
        "Marta Núñez",
        "clave de la analista",
        &["case", "list"],
    ));
    let o = as_official(&dir, "Marta Núñez", "clave de la analista", &["demo"]);
    assert_eq!(code(&o), 8, "{}", text(&o));
    assert!(stderr(&o).contains("No permitido"), "{}", stderr(&o));
    assert!(stderr(&o).contains("modificar casos"), "{}", stderr(&o));
    let o = enlace(
        &dir,
        &[
            "--user",
            "Marta Núñez",
            "user",
            "add",
            "X",
            "--role",
            "analyst",
        ],
    )
    .env("ENLACE_PASSPHRASE", "clave de la analista")
    .env("ENLACE_NEW_PASSPHRASE", "clave de equis")
    .output()
    .expect("run");
    assert_eq!(code(&o), 8, "{}", text(&o));
    // A wrong passphrase and an unknown official: exit 4.
    let o = as_official(&dir, "Marta Núñez", PASS, &["case", "list"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    let o = as_official(&dir, "Nadie", PASS, &["case", "list"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(stderr(&o).contains("Nadie"), "{}", stderr(&o));

    // The log names each official; the failed login is in it.
    let log = json(&run(&dir, &["audit", "list", "--json"]));
    let entries = log.as_array().expect("entries");
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "login" && e["actor"] == "Paso Tecún Umán/Marta Núñez")
    );
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "official.add" && e["subject"] == "Marta Núñez")
    );
    let v = json(&run(&dir, &["audit", "verify", "--json"]));
    assert_eq!(v["broken_at"], serde_json::Value::Null);
    let out = tmp.path().join("audit.jsonl");
    ok(&run(
        &dir,
        &["audit", "export", "--out", out.to_str().expect("path")],
    ));
    let text_out = std::fs::read_to_string(&out).expect("export");
    let lines: Vec<serde_json::Value> = text_out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(lines.len() >= entries.len());
    for w in lines.windows(2) {
        assert_eq!(w[1]["prev"], w[0]["hash"], "the export carries the chain");
    }
    // The analyst may not read the log.
    let o = as_official(
        &dir,
        "Marta Núñez",
        "clave de la analista",
        &["audit", "list"],
    );
    assert_eq!(code(&o), 8);

    // Removed, her passphrase opens nothing.
    ok(&run(&dir, &["user", "remove", "Marta Núñez"]));
    let o = as_official(
        &dir,
        "Marta Núñez",
        "clave de la analista",
        &["case", "list"],
    );
    assert_eq!(code(&o), 4, "{}", text(&o));
}

/// Need-to-know from the command line, with real processes and a bundle:
/// a border post is sent a hub's case without its victim's identity until
/// the hub shares it.
#[test]
fn a_border_post_receives_an_identity_only_once_it_is_shared() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hub = tmp.path().join("hub");
    let post = tmp.path().join("post");
    ok(&run(
        &hub,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "NTF Guatemala",
            "--node-role",
            "hub",
        ],
    ));
    ok(&run(
        &post,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "Puesto Tecún Umán",
            "--node-role",
            "border_post",
        ],
    ));
    let key = |dir: &Path| {
        json(&run(dir, &["node", "show", "--json"]))["public_key"]
            .as_str()
            .expect("key")
            .to_owned()
    };
    assert_eq!(
        json(&run(&post, &["node", "show", "--json"]))["role"],
        "border_post"
    );
    let added = json(&run(
        &hub,
        &[
            "peer",
            "add",
            "Puesto",
            "--key",
            &key(&post),
            "--country",
            "GT",
            "--node-role",
            "border_post",
            "--json",
        ],
    ));
    assert_eq!(added["node_role"], "border_post");
    ok(&run(
        &post,
        &[
            "peer",
            "add",
            "Hub",
            "--key",
            &key(&hub),
            "--country",
            "GT",
            "--node-role",
            "hub",
        ],
    ));
    let out = ok(&run_stdin(
        &hub,
        &["case", "create", "--json", "-"],
        r#"{"title": "Rescate en Tecún Umán", "classification": "trafficking",
            "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
            "persons": [{"role": "victim", "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}}]}"#,
    ));
    let reference = out.split_whitespace().nth(1).expect("reference").to_owned();
    let carry = |n: &str| {
        let file = tmp
            .path()
            .join(format!("b{n}.enlace"))
            .display()
            .to_string();
        ok(&run(
            &hub,
            &["bundle", "export", "--peer", "Puesto", "--out", &file],
        ));
        ok(&run(&post, &["bundle", "import", &file]));
    };
    carry("1");
    let shown = json(&run(&post, &["case", "show", &reference, "--json"]));
    assert_eq!(shown["case"]["title"], "Rescate en Tecún Umán");
    assert_eq!(
        shown["identities"].as_array().map(Vec::len),
        Some(0),
        "{shown}"
    );
    let reach = json(&run(&post, &["case", "reach", &reference, "--json"]));
    assert_eq!(
        (reach["held"].as_u64(), reach["elsewhere"].as_u64()),
        (Some(0), Some(1))
    );

    // A border post does not share; the hub does, by the peer's name.
    let refused = run(&post, &["case", "share", &reference, "Hub"]);
    assert_eq!(code(&refused), 8, "{}", text(&refused));
    assert!(
        stderr(&refused).contains("nodo central"),
        "{}",
        stderr(&refused)
    );
    let unknown = run(&hub, &["case", "share", &reference, "Nadie"]);
    assert_eq!(code(&unknown), 3, "{}", text(&unknown));
    let shared = json(&run(
        &hub,
        &["case", "share", &reference, "Puesto", "--json"],
    ));
    assert_eq!(shared["nodes"][0]["name"], "Puesto");
    assert_eq!(shared["nodes"][0]["role"], "border_post");
    carry("2");
    let shown = json(&run(&post, &["case", "show", &reference, "--json"]));
    assert_eq!(
        shown["identities"][0]["identity"]["second_surname"], "Ávila",
        "{shown}"
    );
    let stopped = run(&hub, &["case", "share", &reference, "Puesto", "--stop"]);
    assert!(
        stderr(&stopped).contains("no se puede retirar"),
        "{}",
        text(&stopped)
    );
    let audit = ok(&run(
        &hub,
        &["audit", "list", "--action", "case.identities"],
    ));
    assert!(
        audit.contains("case.identities.share") && audit.contains("case.identities.unshare"),
        "{audit}"
    );
}

/// Grants from the command line, with real processes and a bundle: one
/// identity granted to Honduras reaches it; the other stays home; a grant
/// without a reason or with a past date is refused naming the field.
#[test]
fn a_grant_sends_one_identity_to_another_country() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let gt = tmp.path().join("gt");
    let hn = tmp.path().join("hn");
    ok(&run(
        &gt,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "NTF Guatemala",
            "--node-role",
            "hub",
        ],
    ));
    ok(&run(
        &hn,
        &[
            "init",
            "--country",
            "HN",
            "--node-name",
            "NTF Honduras",
            "--node-role",
            "hub",
        ],
    ));
    let key = |dir: &Path| {
        json(&run(dir, &["node", "show", "--json"]))["public_key"]
            .as_str()
            .expect("key")
            .to_owned()
    };
    ok(&run(
        &gt,
        &[
            "peer",
            "add",
            "Honduras",
            "--key",
            &key(&hn),
            "--country",
            "HN",
        ],
    ));
    ok(&run(
        &hn,
        &[
            "peer",
            "add",
            "Guatemala",
            "--key",
            &key(&gt),
            "--country",
            "GT",
        ],
    ));
    let out = ok(&run_stdin(
        &gt,
        &["case", "create", "--json", "-"],
        r#"{"title": "Retorno a Honduras", "classification": "trafficking",
            "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
            "audience": {"scope": "regional"},
            "persons": [
              {"role": "victim", "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}},
              {"role": "victim", "identity": {"given_names": "Ana", "first_surname": "Pérez"}}]}"#,
    ));
    let reference = out.split_whitespace().nth(1).expect("reference").to_owned();
    let until = (chrono::Utc::now() + chrono::TimeDelta::days(30))
        .date_naive()
        .to_string();
    let past = (chrono::Utc::now() - chrono::TimeDelta::days(1))
        .date_naive()
        .to_string();

    let no_reason = run(
        &gt,
        &[
            "grant",
            "add",
            &reference,
            "--person",
            "V1",
            "--country",
            "HN",
            "--purpose",
            "repatriation",
            "--until",
            &until,
            "--reason",
            " ",
        ],
    );
    assert_eq!(code(&no_reason), 5, "{}", text(&no_reason));
    assert!(
        stderr(&no_reason).contains("grant.reason"),
        "{}",
        stderr(&no_reason)
    );
    let gone = run(
        &gt,
        &[
            "grant",
            "add",
            &reference,
            "--country",
            "HN",
            "--purpose",
            "repatriation",
            "--until",
            &past,
            "--reason",
            "x",
        ],
    );
    assert_eq!(code(&gone), 5, "{}", text(&gone));
    assert!(stderr(&gone).contains("grant.until"), "{}", stderr(&gone));
    let bad_purpose = run(
        &gt,
        &[
            "grant",
            "add",
            &reference,
            "--country",
            "HN",
            "--purpose",
            "tourism",
            "--until",
            &until,
            "--reason",
            "x",
        ],
    );
    assert_eq!(code(&bad_purpose), 2, "{}", text(&bad_purpose));

    let made = json(&run(
        &gt,
        &[
            "grant",
            "add",
            &reference,
            "--person",
            "V1",
            "--country",
            "HN",
            "--purpose",
            "repatriation",
            "--until",
            &until,
            "--reason",
            "Repatriación acordada",
            "--json",
        ],
    ));
    assert_eq!(made.as_array().map(Vec::len), Some(1), "{made}");
    assert_eq!(made[0]["pseudonym"], "V1");
    assert_eq!(made[0]["standing"], true);
    let id = made[0]["id"].as_str().expect("id").to_owned();
    let file = tmp.path().join("a-honduras.enlace").display().to_string();
    ok(&run(
        &gt,
        &["bundle", "export", "--peer", "Honduras", "--out", &file],
    ));
    ok(&run(&hn, &["bundle", "import", &file]));
    let shown = json(&run(&hn, &["case", "show", &reference, "--json"]));
    let ids = shown["identities"].as_array().expect("identities");
    assert_eq!(ids.len(), 1, "{shown}");
    assert_eq!(ids[0]["identity"]["second_surname"], "Ávila");
    let listed = json(&run(&hn, &["grant", "list", "--json"]));
    assert_eq!(listed[0]["id"], id.as_str());
    let audit = ok(&run(&hn, &["audit", "list", "--action", "grant."]));
    assert!(audit.contains("grant.received"), "{audit}");

    let revoked = run(&gt, &["grant", "revoke", &id]);
    assert!(
        stderr(&revoked).contains("no se puede retirar"),
        "{}",
        text(&revoked)
    );
    let listed = json(&run(&gt, &["grant", "list", "--json"]));
    assert_eq!(listed[0]["standing"], false);
    assert!(listed[0]["revoked_at"].is_string(), "{listed}");
}

/// The standards' fields from the command line: a suspect's roles, the
/// type of sexual exploitation, the trafficking status and who decided
/// it, the elements of smuggling; refused or warned where they do not
/// belong.
#[test]
fn the_standards_fields_are_kept_and_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let out = ok(&run_stdin(
        &dir,
        &["case", "create", "--json", "-", "--print-json"],
        r#"{"title": "Explotación en línea", "classification": "both",
            "acts": ["recruitment"], "means": ["deception"],
            "purposes": ["sexual_exploitation", "forced_marriage"],
            "persons": [{"role": "victim"}, {"role": "suspect", "process_roles": ["recruiter", "exploiter"]}],
            "standard": {"sexual_exploitation": ["remote_interactive_services"],
                         "trafficking_status": "actual", "trafficking_status_by": "OIM Guatemala",
                         "smuggling": {"material_benefit": true, "illegal_entry": false}}}"#,
    ));
    let saved: serde_json::Value = serde_json::from_str(&out).expect("json");
    let codes: Vec<&str> = saved["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["val-smuggling-elements"], "{saved}");
    let shown = json(&run(
        &dir,
        &[
            "case",
            "show",
            saved["reference"].as_str().expect("ref"),
            "--json",
        ],
    ));
    let case = &shown["case"];
    assert_eq!(
        case["persons"][1]["process_roles"],
        serde_json::json!(["recruiter", "exploiter"])
    );
    assert_eq!(
        case["standard"]["sexual_exploitation"][0],
        "remote_interactive_services"
    );
    assert_eq!(case["standard"]["trafficking_status"], "actual");
    assert_eq!(case["standard"]["trafficking_status_by"], "OIM Guatemala");
    assert_eq!(case["purposes"][1], "forced_marriage");

    let witness = run_stdin(
        &dir,
        &["case", "create", "--json", "-"],
        r#"{"title": "x", "persons": [{"role": "witness", "process_roles": ["transporter"]}]}"#,
    );
    assert_eq!(code(&witness), 5, "{}", text(&witness));
    assert!(
        stderr(&witness).contains("persons[0].process_roles"),
        "{}",
        stderr(&witness)
    );
    let unknown = run_stdin(
        &dir,
        &["case", "create", "--json", "-"],
        r#"{"title": "x", "standard": {"trafficking_status": "probable"}}"#,
    );
    assert_eq!(code(&unknown), 5, "{}", text(&unknown));
    assert!(
        stderr(&unknown).contains("trafficking_status"),
        "{}",
        stderr(&unknown)
    );
}
