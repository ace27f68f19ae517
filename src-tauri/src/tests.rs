//! The commands, driven through the real IPC layer on Tauri's mock runtime
//! (no display needed).

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use super::*;

pub(crate) fn app(
    dir: &std::path::Path,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = setup(mock_builder(), Shell::new(dir.to_owned()))
        .build(mock_context(noop_assets()))
        .expect("build the mock app");
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, w)
}

pub(crate) fn call(
    w: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("json response"))
}

#[test]
fn first_start_create_search_open_lock_unlock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (_app, w) = app(&data);

    let s = call(&w, "startup_state", json!({})).expect("state");
    assert_eq!(s["initialised"], false);
    assert_eq!(s["unlocked"], false);

    // Typed errors, in the chosen language.
    let e = call(&w, "list_cases", json!({"filter": {}})).expect_err("locked");
    assert_eq!(e["code"], "locked");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("frase de acceso"),
        "{e}"
    );
    call(&w, "set_language", json!({"lang": "en"})).expect("lang");
    let e = call(
        &w,
        "create_database",
        json!({"request": {"country": "XX", "node_name": "n", "passphrase": "long enough pass", "demo": false}}),
    )
    .expect_err("bad country");
    assert_eq!(e["code"], "invalid_input");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("neither a participating"),
        "{e}"
    );
    call(&w, "set_language", json!({"lang": "es"})).expect("lang");

    let node = call(
        &w,
        "create_database",
        json!({"request": {"country": "GT", "node_name": "Paso Tecún Umán", "passphrase": "frase de acceso larga", "demo": true}}),
    )
    .expect("create");
    assert_eq!(node["country"], "GT");
    assert_eq!(node["name"], "Paso Tecún Umán");

    let list = call(&w, "list_cases", json!({"filter": {"query": "nunez"}})).expect("search");
    assert_eq!(list["total"], 1);
    let id = list["items"][0]["id"].as_str().expect("id").to_owned();
    let view = call(&w, "get_case", json!({"key": id})).expect("case");
    assert_eq!(view["identities"][0]["full_name"], "José Núñez Ávila");
    let h = call(&w, "case_history", json!({"key": id})).expect("history");
    assert_eq!(h.as_array().map(Vec::len), Some(1));
    let ch = call(&w, "case_changes", json!({"key": id})).expect("changes");
    assert_eq!(ch[0]["action"], "create");
    assert!(
        ch[0]["changes"]
            .as_array()
            .expect("fields")
            .iter()
            .any(|c| c["field"] == "title" && c["before"].is_null() && c["after"].is_string()),
        "{ch}"
    );
    let e = call(
        &w,
        "choose_case_value",
        json!({"key": id, "field": "persons", "value": "x"}),
    )
    .expect_err("not a choosable field");
    assert_eq!(e["code"], "invalid_input");
    let e = call(&w, "get_case", json!({"key": "GT-1999-0001"})).expect_err("missing");
    assert_eq!(e["code"], "not_found");

    call(&w, "lock", json!({})).expect("lock");
    assert_eq!(
        call(&w, "startup_state", json!({})).expect("state")["unlocked"],
        false
    );
    let e = call(&w, "unlock", json!({"passphrase": "equivocada"})).expect_err("wrong");
    assert_eq!(e["code"], "wrong_passphrase");
    call(&w, "unlock", json!({"passphrase": "frase de acceso larga"})).expect("unlock");
    let s = call(&w, "startup_state", json!({})).expect("state");
    assert_eq!(s["initialised"], true);
    assert_eq!(s["unlocked"], true);
    assert_eq!(s["node"]["country"], "GT");
    assert_eq!(s["lang"], "es");

    // The language and the case list's filters are remembered beside the
    // database, for the next start (not the search words).
    call(
        &w,
        "save_case_filter",
        json!({"filter": {"query": "nunez", "purpose": "forced_labour", "role": "origin", "sort": "owner", "descending": true}}),
    )
    .expect("save filter");
    call(&w, "set_language", json!({"lang": "en"})).expect("lang");
    let (_app2, w2) = app(&data);
    let s = call(&w2, "startup_state", json!({})).expect("state");
    assert_eq!(s["lang"], "en");
    assert_eq!(s["case_filter"]["purpose"], "forced_labour");
    assert_eq!(s["case_filter"]["role"], "origin");
    assert_eq!(s["case_filter"]["sort"], "owner");
    assert!(s["case_filter"].get("query").is_none_or(|q| q.is_null()));
    assert_eq!(s["unlocked"], false, "a new start asks for the passphrase");
}

#[test]
fn the_data_dir_comes_from_the_command_line_first() {
    let args = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        data_dir(&args(&["--data-dir", "/x/y"])),
        std::path::PathBuf::from("/x/y")
    );
    assert_eq!(
        data_dir(&args(&["--data-dir=/z"])),
        std::path::PathBuf::from("/z")
    );
    assert_ne!(data_dir(&args(&[])), std::path::PathBuf::from("/x/y"));
}

#[test]
fn legal_assessment_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (_app, w) = app(&data);
    call(
        &w,
        "create_database",
        json!({"request": {"country": "GT", "node_name": "Paso Tecún Umán", "passphrase": "frase de acceso larga", "demo": true}}),
    )
    .expect("create");
    let overview = call(&w, "legal_overview", json!({})).expect("overview");
    assert_eq!(overview.as_array().map(Vec::len), Some(7));
    let m = call(&w, "legal_matrix", json!({})).expect("matrix");
    assert_eq!(m["rows"].as_array().map(Vec::len), Some(45));
    let saved = call(
        &w,
        "update_legal_item",
        json!({"country": "GT", "item": "TIP-07", "patch": {"status": "not_compliant", "gap": "No se castiga la tentativa."}}),
    )
    .expect("update");
    assert_eq!(saved["item"]["status"], "not_compliant");
    let e = call(
        &w,
        "update_legal_item",
        json!({"country": "GT", "item": "TIP-07", "patch": {"assessed_on": "2026-02-31"}}),
    )
    .expect_err("31 February");
    assert_eq!(e["code"], "invalid_input");
    assert!(
        e["message"].as_str().unwrap_or("").contains("assessed_on"),
        "{e}"
    );
    let e = call(
        &w,
        "update_legal_item",
        json!({"country": "MX", "item": "TIP-07", "patch": {"status": "compliant"}}),
    )
    .expect_err("another country");
    assert_eq!(e["code"], "forbidden");
    let h = call(
        &w,
        "legal_item_history",
        json!({"country": "GT", "item": "TIP-07"}),
    )
    .expect("history");
    assert_eq!(h[0]["changes"].as_array().map(Vec::len), Some(2));
    let f = call(&w, "export_legal", json!({"kind": "pdf_a4"})).expect("pdf");
    let path = f["path"].as_str().expect("path");
    assert!(path.contains("exports") && path.ends_with(".pdf"), "{path}");
    assert!(std::fs::read(path).expect("file").starts_with(b"%PDF"));
    let f = call(&w, "export_legal", json!({"kind": "csv"})).expect("csv");
    assert!(f["bytes"].as_u64().unwrap_or(0) > 1000);
    // Only exported files can be opened.
    let e = call(&w, "open_export", json!({"path": "/etc/passwd"})).expect_err("outside");
    assert_eq!(e["code"], "not_found");
}

#[test]
fn plan_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (_app, w) = app(&data);
    call(
        &w,
        "create_database",
        json!({"request": {"country": "GT", "node_name": "Paso Tecún Umán", "passphrase": "frase de acceso larga", "demo": true}}),
    )
    .expect("create");
    let p = call(&w, "plan", json!({"filter": {"scope": "GT"}})).expect("plan");
    let n = p["tasks"].as_array().map(Vec::len).unwrap_or(0);
    assert!(n >= 5, "{n}");
    let saved = call(
        &w,
        "create_task",
        json!({"input": {"component": "training", "output": "2.2 Talleres nacionales",
            "title": {"es": "Taller en Tecún Umán"}, "country": "GT", "due": "2026-02-31"}}),
    )
    .expect_err("31 February");
    assert_eq!(saved["code"], "invalid_input");
    assert!(
        saved["message"].as_str().unwrap_or("").contains("due"),
        "{saved}"
    );
    let saved = call(
        &w,
        "create_task",
        json!({"input": {"component": "training", "output": "2.2 Talleres nacionales",
            "title": {"es": "Taller en Tecún Umán"}, "country": "GT", "due": "2026-12-15", "kind": "workshop"}}),
    )
    .expect("create task");
    let id = saved["id"].as_str().expect("id").to_owned();
    call(
        &w,
        "update_task",
        json!({"key": id, "patch": {"progress": 30, "status": "in_progress"}}),
    )
    .expect("update");
    let h = call(&w, "task_history", json!({"key": id})).expect("history");
    assert_eq!(h.as_array().map(Vec::len), Some(2));
    let f = call(
        &w,
        "export_plan_status",
        json!({"country": "GT", "letter": false}),
    )
    .expect("pdf");
    assert!(f["path"].as_str().unwrap_or("").ends_with(".pdf"));
    let f = call(&w, "export_plan_status", json!({"letter": true})).expect("region");
    assert!(f["path"].as_str().unwrap_or("").contains("region"));
    let e = call(
        &w,
        "export_plan_status",
        json!({"country": "ZZ", "letter": false}),
    )
    .expect_err("bad");
    assert_eq!(e["code"], "invalid_input");
}

#[test]
fn statistics_commands_preview_publish_and_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (_app, w) = app(&data);
    call(
        &w,
        "create_database",
        json!({"request": {"country": "HN", "node_name": "Unidad regional", "passphrase": "frase de acceso larga", "demo": true}}),
    )
    .expect("create");
    assert_eq!(
        call(&w, "datasets", json!({})).expect("datasets"),
        json!([])
    );
    let request = |exact: bool| {
        json!({"request": {"by": ["year"], "filter": {}, "cases": true, "datasets": null,
            "exact": exact, "k": 11, "resolution": 11}})
    };
    // On screen: the rules apply, nothing is logged as a release.
    let preview = call(&w, "stats", request(false)).expect("preview");
    assert_eq!(preview["published"], false);
    assert_eq!(preview["exact"], false);
    for c in preview["cells"].as_array().expect("cells") {
        if let Some(n) = c["count"].as_u64() {
            assert!(n >= 11 && n % 11 == 0, "{c}");
        }
    }
    // Exact counts add up to the demo's victims.
    let exact = call(&w, "stats", request(true)).expect("exact");
    assert_eq!(exact["exact"], true);
    let sum: u64 = exact["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter_map(|c| c["count"].as_u64())
        .sum();
    assert_eq!(Some(sum), exact["total"].as_u64());
    // A field that does not exist: a typed error naming it.
    let e = call(
        &w,
        "stats",
        json!({"request": {"by": ["colour"], "filter": {}, "cases": true, "datasets": null,
            "exact": false, "k": 11, "resolution": 11}}),
    )
    .expect_err("no such field");
    assert_eq!(e["code"], "invalid_input");
    assert!(
        e["message"].as_str().unwrap_or("").contains("colour"),
        "{e}"
    );
    // A publication: never exact, whatever the page asks; in the exports folder.
    let f = call(&w, "export_stats_csv", request(true)).expect("csv");
    let csv = std::fs::read_to_string(f["path"].as_str().expect("path")).expect("read csv");
    assert!(csv.starts_with("year,count,suppressed"), "{csv}");
    for line in csv.lines().skip(1) {
        let count = line.split(',').nth(1).unwrap_or("");
        if let Ok(n) = count.parse::<u64>() {
            assert!(n >= 11, "published counts are never under k: {line}");
        }
    }
    let pdf = call(&w, "export_statistics_report", json!({"letter": true})).expect("report");
    let path = pdf["path"].as_str().expect("path");
    assert!(path.ends_with(".pdf") && path.contains("exports"), "{path}");
    let bytes = std::fs::read(path).expect("read pdf");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
}

#[test]
fn case_editor_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, w) = app(&dir.path().join("data"));
    call(
        &w,
        "create_database",
        json!({"request": {"country": "GT", "node_name": "Fiscalía", "passphrase": "frase de acceso larga", "demo": false}}),
    )
    .expect("create");
    // 31 February is refused naming the field, in Spanish.
    let e = call(
        &w,
        "create_case",
        json!({"input": {"title": "Caso", "opened": "2026-02-31"}}),
    )
    .expect_err("bad date");
    assert_eq!(e["code"], "invalid_input");
    assert!(
        e["message"].as_str().unwrap_or("").contains("opened"),
        "{e}"
    );
    let saved = call(
        &w,
        "create_case",
        json!({"input": {"title": "José Núñez Ávila 🙂 حالة", "classification": "trafficking",
                         "persons": [{"role": "victim", "age_band": "9-17"}]}}),
    )
    .expect("create");
    let id = saved["id"].as_str().expect("id").to_owned();
    // A child victim: no warning about missing means.
    assert!(
        !saved["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .any(|i| i["code"] == "val-means-required-adult"),
        "{saved}"
    );
    let r = call(
        &w,
        "update_case",
        json!({"key": id, "patch": {"summary": "x".repeat(1_000_000)}}),
    )
    .expect_err("1 MB summary");
    assert_eq!(r["code"], "invalid_input");
    assert_eq!(r["issues"][0]["path"], "summary");
    assert_eq!(r["issues"][0]["code"], "val-too-long");
    let r = call(
        &w,
        "update_case",
        json!({"key": id, "patch": {"classification": "both", "acts": ["recruitment"]}}),
    )
    .expect("update");
    assert!(
        r["changed"]
            .as_array()
            .expect("changed")
            .iter()
            .any(|f| f == "classification")
    );
    call(
        &w,
        "add_note",
        json!({"key": id, "text": "Entrevista con V1"}),
    )
    .expect("note");
    let e = call(&w, "add_note", json!({"key": id, "text": "  "})).expect_err("empty note");
    assert_eq!(e["code"], "invalid_input");
    call(
        &w,
        "save_identity",
        json!({"key": id, "pseudonym": "V1", "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}}),
    )
    .expect("identity");
    let e = call(
        &w,
        "save_identity",
        json!({"key": id, "pseudonym": "V1", "identity": {"given_names": "X", "first_surname": "Y", "date_of_birth": "2001-02-30"}}),
    )
    .expect_err("bad birth date");
    assert_eq!(e["code"], "invalid_input");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("date_of_birth"),
        "{e}"
    );
    let view = call(&w, "get_case", json!({"key": id})).expect("case");
    assert_eq!(view["editable"], true);
    assert_eq!(
        view["case"]["classification_history"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(view["case"]["notes"][0]["text"], "Entrevista con V1");
    assert_eq!(
        view["identities"][0]["full_name"],
        "María de los Ángeles Güity"
    );
    let found = call(&w, "list_cases", json!({"filter": {"query": "guity"}})).expect("search");
    assert_eq!(found["total"], 1);
    // Drafts.
    assert!(
        call(&w, "get_draft", json!({"key": "case:new"}))
            .expect("none")
            .is_null()
    );
    call(
        &w,
        "save_draft",
        json!({"key": "case:new", "body": {"title": "medio escrito"}}),
    )
    .expect("draft");
    assert_eq!(
        call(&w, "get_draft", json!({"key": "case:new"})).expect("draft")["body"]["title"],
        "medio escrito"
    );
    call(&w, "discard_draft", json!({"key": "case:new"})).expect("discard");
    assert!(
        call(&w, "get_draft", json!({"key": "case:new"}))
            .expect("none")
            .is_null()
    );
}

/// The names in `invoke<…>("name"` calls of `ui/src/api.ts`.
fn names_the_ui_calls() -> std::collections::BTreeSet<String> {
    let api = include_str!("../../ui/src/api.ts");
    let mut out = std::collections::BTreeSet::new();
    for (i, _) in api.match_indices("invoke") {
        let rest = &api[i + "invoke".len()..];
        // `invoke<Type>("name"`: skip the type argument, if any.
        let rest = match rest.strip_prefix('<') {
            Some(r) => match r.find(">(") {
                Some(end) => &r[end + 1..],
                None => continue,
            },
            None => rest,
        };
        if let Some(r) = rest.strip_prefix("(\"")
            && let Some(end) = r.find('"')
        {
            out.insert(r[..end].to_owned());
        }
    }
    out
}

/// The commands registered in `setup` (the last segment of each path in
/// `generate_handler!`).
fn registered_commands() -> std::collections::BTreeSet<String> {
    let lib = include_str!("lib.rs");
    let start = lib.find("generate_handler![").expect("the handler list");
    let end = start + lib[start..].find(']').expect("its end");
    lib[start + "generate_handler![".len()..end]
        .split(',')
        .map(|p| p.trim().rsplit("::").next().unwrap_or("").to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn the_ui_calls_exactly_the_registered_commands_and_each_answers() {
    let called = names_the_ui_calls();
    let registered = registered_commands();
    assert!(called.len() > 30, "api.ts read: {called:?}");
    assert_eq!(
        called, registered,
        "ui/src/api.ts and the commands registered in src-tauri/src/lib.rs differ"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let (_app, w) = app(&dir.path().join("data"));
    // What an unknown command gets, so the check below can fail.
    let unknown = call(&w, "no_such_command", json!({})).expect_err("unknown");
    assert!(unknown.to_string().contains("not found"), "{unknown}");
    for name in &called {
        // Called without arguments: refused for want of them or because
        // the node is locked, but never unknown.
        if let Err(e) = call(&w, name, json!({})) {
            assert!(!e.to_string().contains("not found"), "{name}: {e}");
        }
    }
}
