//! The app as a small office's hub, through the real IPC layer: a second
//! node of the same country syncs with it over real mutual TLS on
//! loopback while it listens, and cannot once it stops.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use enlace_core::{App, PeerInput};
use enlace_node::{Engine, SyncOptions};
use serde_json::json;

use crate::tests::{app, call};

const PASS: &str = "frase de acceso larga";

fn free_port() -> u16 {
    std::net::TcpListener::bind("0.0.0.0:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Whether something accepts connections on the loopback port, waiting a
/// few seconds for it to become `expected`.
fn open_becomes(port: u16, expected: bool) -> bool {
    for _ in 0..100 {
        let open = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if open == expected {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// One round of `laptop` with its peers; whether it worked.
fn sync(laptop: &App) -> bool {
    let connection = Arc::new(Mutex::new(laptop.sync_connection().expect("connection")));
    let engine = Engine::new(connection, SyncOptions::default()).expect("engine");
    let reports = tauri::async_runtime::block_on(engine.sync_now(
        None,
        false,
        Duration::from_secs(60),
        None,
        &|_| {},
    ))
    .expect("a round");
    reports.iter().all(|r| r.ok)
}

#[test]
fn the_app_listens_for_the_office_only_when_asked_and_remembers_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("post");
    let (mock, w) = app(&data);
    let told = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = told.clone();
    tauri::Listener::listen(&mock, "sync-finished", move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let post = call(
        &w,
        "create_database",
        json!({"request": {"country": "GT", "node_name": "Tecún Umán 1", "passphrase": PASS, "demo": false}}),
    )
    .expect("create");
    let panel = call(&w, "sync_panel", json!({})).expect("panel");
    assert_eq!(panel["listener"]["on"], false, "off by default: {panel}");
    assert_eq!(panel["listener"]["listening"], false);
    assert_eq!(panel["listener"]["port"], 7443);

    // Ports the panel refuses, in words.
    for bad in [80, 70000, 0] {
        let e = call(&w, "set_listener", json!({"on": true, "port": bad})).expect_err("bad port");
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert!(e["message"].as_str().unwrap_or("").contains("1024"), "{e}");
    }
    let panel = call(&w, "sync_panel", json!({})).expect("panel");
    assert_eq!(
        panel["listener"]["on"], false,
        "a refused port changes nothing"
    );

    // A port another program holds: kept as asked, the reason shown.
    let taken = std::net::TcpListener::bind("0.0.0.0:0").expect("bind");
    let taken_port = taken.local_addr().expect("addr").port();
    let v = call(&w, "set_listener", json!({"on": true, "port": taken_port})).expect("view");
    assert_eq!(
        (v["on"].clone(), v["listening"].clone()),
        (json!(true), json!(false))
    );
    assert!(
        v["error"].as_str().unwrap_or("").contains("ya escucha"),
        "{v}"
    );
    drop(taken);

    // On: the other laptop of the post, paired both ways, syncs with it.
    let port = free_port();
    let v = call(&w, "set_listener", json!({"on": true, "port": port})).expect("view");
    assert_eq!(v["listening"], true, "{v}");
    assert!(v.get("error").is_none_or(|e| e.is_null()), "{v}");
    let suffix = format!(":{port}");
    let urls = v["urls"].as_array().expect("urls");
    assert!(
        urls.iter().all(|u| u
            .as_str()
            .is_some_and(|u| u.starts_with("https://") && u.ends_with(&suffix))),
        "{v}"
    );
    assert!(open_becomes(port, true));

    let other_dir = tempfile::tempdir().expect("tempdir");
    let mut laptop =
        App::init(&other_dir.path().join("data"), PASS, "GT", "Tecún Umán 2").expect("init");
    let laptop_key = laptop.node_info().public_key;
    call(
        &w,
        "add_peer",
        json!({"input": {"name": "Tecún Umán 2", "key": laptop_key, "country": "GT"}}),
    )
    .expect("pair the laptop");
    laptop
        .add_peer(PeerInput {
            node_role: None,
            name: "Tecún Umán 1".into(),
            url: Some(format!("https://127.0.0.1:{port}")),
            key: post["public_key"].as_str().expect("key").into(),
            country: "GT".into(),
        })
        .expect("pair the post");
    let saved = call(
        &w,
        "create_case",
        json!({"input": {"title": "Caso abierto en el puesto", "classification": "trafficking"}}),
    )
    .expect("create");
    let reference = saved["reference"].as_str().expect("reference").to_owned();
    let panel = call(&w, "sync_panel", json!({})).expect("panel");
    assert_eq!(
        panel["connection"], "unknown",
        "nobody reached it yet: {panel}"
    );
    assert!(
        panel.get("last_success").is_none_or(|v| v.is_null()),
        "{panel}"
    );
    assert!(sync(&laptop), "the laptop syncs with the listening app");
    // Reached by the laptop: the listening app says it is online, and
    // when it last synced.
    let panel = call(&w, "sync_panel", json!({})).expect("panel");
    assert_eq!(panel["connection"], "online", "{panel}");
    assert!(
        panel["last_success"]
            .as_str()
            .is_some_and(|t| t.starts_with("20")),
        "{panel}"
    );
    assert!(
        laptop.case(&reference).is_ok(),
        "the case reached the laptop"
    );
    // A case from the laptop reaches the app, whose screens are told.
    let before = told.load(std::sync::atomic::Ordering::SeqCst);
    let from_laptop = laptop
        .create_case(
            enlace_domain::input::from_value(json!({"title": "Caso del otro portátil"}))
                .expect("input"),
        )
        .expect("create")
        .reference;
    assert!(sync(&laptop));
    let found = call(&w, "get_case", json!({"key": from_laptop})).expect("the case arrived");
    assert_eq!(found["case"]["title"], "Caso del otro portátil", "{found}");
    let mut told_now = false;
    for _ in 0..100 {
        if told.load(std::sync::atomic::Ordering::SeqCst) > before {
            told_now = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        told_now,
        "the screens were not told of the documents that arrived"
    );

    // Locked: the port closes. Unlocked: it listens again (remembered).
    call(&w, "lock", json!({})).expect("lock");
    assert!(
        open_becomes(port, false),
        "the port stays open while locked"
    );
    assert!(!sync(&laptop), "no sync with a locked app");
    call(&w, "unlock", json!({"passphrase": PASS})).expect("unlock");
    assert!(open_becomes(port, true), "unlocked, it listens again");
    assert!(sync(&laptop));

    // Off: the port closes, and a restarted app does not listen.
    let v = call(&w, "set_listener", json!({"on": false, "port": port})).expect("view");
    assert_eq!(
        (v["on"].clone(), v["listening"].clone()),
        (json!(false), json!(false))
    );
    assert!(open_becomes(port, false), "the port stays open after off");
    call(&w, "lock", json!({})).expect("lock");
    let (_app2, w2) = app(&data);
    call(&w2, "unlock", json!({"passphrase": PASS})).expect("unlock");
    let panel = call(&w2, "sync_panel", json!({})).expect("panel");
    assert_eq!(panel["listener"]["on"], false, "{panel}");
    assert_eq!(panel["listener"]["port"], port, "the port is remembered");
    assert!(open_becomes(port, false));
}
