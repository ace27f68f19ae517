//! Real sockets on loopback, real mutual TLS.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use enlace_core::{App, CaseFilter, PeerInput, SyncFaultCode};
use enlace_domain::Lang;
use serde_json::json;

use super::*;

pub(super) const PASS: &str = "frase de prueba de la red";

pub(super) struct Node {
    _dir: tempfile::TempDir,
    pub(super) app: Shared,
    pub(super) key: [u8; 32],
    pub(super) country: String,
    pub(super) name: String,
}

pub(super) fn node(country: &str, name: &str) -> Node {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::init(&dir.path().join("data"), PASS, country, name).expect("init");
    let key: [u8; 32] = hex::decode(app.node_info().public_key)
        .expect("hex")
        .try_into()
        .expect("32");
    Node {
        _dir: dir,
        app: Arc::new(Mutex::new(app)),
        key,
        country: country.into(),
        name: name.into(),
    }
}

pub(super) fn trust(a: &Node, b: &Node, url: Option<String>) {
    a.app
        .lock()
        .expect("lock")
        .add_peer(PeerInput {
            node_role: None,
            name: b.name.clone(),
            url,
            key: hex::encode(b.key),
            country: b.country.clone(),
        })
        .expect("pair");
}

/// Starts `n`'s server on a free loopback port; returns its URL and the
/// sender that stops it.
pub(super) async fn start(
    n: &Node,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let app = sync_connection(n);
    let secret = app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        serve(listener, app, &identity, async {
            let _ = rx.await;
        })
        .await
        .expect("serve");
    });
    (url, tx, task)
}

pub(super) fn create_case(n: &Node, title: &str) -> String {
    n.app
        .lock()
        .expect("lock")
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": title,
                "classification": "trafficking",
                "audience": {"scope": "regional"}
            }))
            .expect("input"),
        )
        .expect("create")
        .reference
}

/// The last fault recorded on `n` for `peer`, in `lang`.
fn last_error(n: &Node, peer: &str, lang: Lang) -> String {
    n.app
        .lock()
        .expect("lock")
        .peer(peer, lang)
        .expect("peer")
        .last_error
        .expect("a fault kept")
        .message
}

/// A sync connection of its own to `n`'s database, as the engine and the
/// server run on (`App::sync_connection`).
pub(super) fn sync_connection(n: &Node) -> Shared {
    let app = n.app.lock().expect("lock");
    Arc::new(Mutex::new(app.sync_connection().expect("sync connection")))
}

pub(super) async fn sync_all(n: &Node) -> Vec<PeerReport> {
    let engine = Engine::new(sync_connection(n), SyncOptions::default()).expect("engine");
    engine
        .sync_now(None, false, Duration::from_secs(60), None, &|_| {})
        .await
        .expect("round")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paired_nodes_sync_both_ways_over_mutual_tls() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    trust(&gt, &hn, Some(url));
    let from_gt = create_case(&gt, "Caso enviado por Guatemala");
    let from_hn = create_case(&hn, "Caso recibido de Honduras");
    let reports = sync_all(&gt).await;
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert!(r.ok, "{r:?}");
    assert!(
        r.reconciled,
        "a new peer holding documents compares heads first"
    );
    assert_eq!(
        (r.traffic.docs_sent, r.traffic.docs_received),
        (1, 1),
        "{r:?}"
    );
    assert!(hn.app.lock().expect("lock").case(&from_gt).is_ok());
    assert!(gt.app.lock().expect("lock").case(&from_hn).is_ok());
    // From then on, one round trip carries both directions.
    let again_gt = create_case(&gt, "Otro de Guatemala");
    let again_hn = create_case(&hn, "Otro de Honduras");
    let r = &sync_all(&gt).await[0];
    assert!(r.ok, "{r:?}");
    assert_eq!(r.requests, 1, "{r:?}");
    assert_eq!(
        (r.traffic.docs_sent, r.traffic.docs_received),
        (1, 1),
        "{r:?}"
    );
    assert!(hn.app.lock().expect("lock").case(&again_gt).is_ok());
    assert!(gt.app.lock().expect("lock").case(&again_hn).is_ok());
    // Both sides recorded the contact; the client in its audit log.
    let gt_view = gt
        .app
        .lock()
        .expect("lock")
        .peer("Honduras", Lang::Es)
        .expect("peer");
    assert!(gt_view.last_success.is_some() && gt_view.last_error.is_none());
    assert_eq!(gt_view.pending, 0);
    let hn_view = hn
        .app
        .lock()
        .expect("lock")
        .peer("Guatemala", Lang::Es)
        .expect("peer");
    assert!(hn_view.last_success.is_some());
    assert!(hn_view.traffic.bytes_received > 0);
    let _ = stop.send(());
    task.await.expect("server stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_certificate_is_refused_and_so_is_a_server_with_another_key() {
    let hn = node("HN", "Honduras");
    let stranger = node("GT", "Desconocido");
    let (url, stop, task) = start(&hn).await;
    let before = hn
        .app
        .lock()
        .expect("lock")
        .store()
        .read()
        .change_log_stats()
        .expect("stats");
    // The stranger knows Honduras' key and address; Honduras does not know it.
    trust(&stranger, &hn, Some(url.clone()));
    let r = &sync_all(&stranger).await[0];
    assert!(!r.ok);
    let f = r.fault.as_ref().expect("fault");
    assert_eq!(f.code, SyncFaultCode::Refused, "{f:?}");
    assert_eq!(r.traffic.docs_received, 0);
    let view = stranger
        .app
        .lock()
        .expect("lock")
        .peer("Honduras", Lang::Es)
        .expect("peer");
    let shown = view.last_error.expect("recorded");
    assert!(shown.message.contains("Honduras"), "{}", shown.message);
    assert_eq!(view.failures, 1);
    // A client that expects another key at that address refuses Honduras.
    let gt = node("GT", "Guatemala");
    let other = node("MX", "Otro");
    trust(&hn, &gt, None);
    gt.app
        .lock()
        .expect("lock")
        .add_peer(PeerInput {
            node_role: None,
            name: "Honduras".into(),
            url: Some(url),
            key: hex::encode(other.key),
            country: "HN".into(),
        })
        .expect("pair");
    let r = &sync_all(&gt).await[0];
    assert_eq!(
        r.fault.as_ref().map(|f| f.code),
        Some(SyncFaultCode::Refused),
        "{r:?}"
    );
    assert_eq!(
        hn.app
            .lock()
            .expect("lock")
            .store()
            .read()
            .change_log_stats()
            .expect("stats"),
        before,
        "nothing reached Honduras' store"
    );
    let _ = stop.send(());
    task.await.expect("server stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_peer_is_reported_in_plain_words() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    // A port that was free a moment ago: nothing listens there now.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    trust(&gt, &hn, Some(format!("https://127.0.0.1:{port}")));
    let r = &sync_all(&gt).await[0];
    let f = r.fault.as_ref().expect("fault");
    assert_eq!(f.code, SyncFaultCode::Unreachable, "{f:?}");
    let e = last_error(&gt, "Honduras", Lang::Es);
    assert!(e.starts_with("No se pudo contactar con Honduras"), "{e}");
    let en = last_error(&gt, "Honduras", Lang::En);
    assert!(en.contains("could not be reached"), "{en}");
    let audit = gt
        .app
        .lock()
        .expect("lock")
        .store()
        .read()
        .audit_log()
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|a| a.action == "sync" && a.detail.contains("unreachable"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_gets_a_clear_error_and_changes_nothing() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    let secret = gt.app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(identity.client_config(hn.key).expect("tls"))
        .build()
        .expect("client");
    for (body, code) in [
        (b"no es un mensaje".to_vec(), "malformed"),
        (
            enlace_sync::codec::compress(b"\xa1\x61v\x18\x63"),
            "malformed",
        ),
        (vec![0u8; enlace_sync::LIMITS.max_body + 10], "too_large"),
    ] {
        let resp = client
            .post(format!("{url}{}", enlace_sync::ROUND_PATH))
            .body(body)
            .send()
            .await
            .expect("answer");
        let status = resp.status();
        let bytes = resp.bytes().await.expect("body");
        assert!(status.is_client_error(), "{status}");
        if code != "too_large" {
            let e: enlace_sync::ErrorBody =
                enlace_sync::codec::decode(&bytes, &enlace_sync::LIMITS).expect("an error body");
            assert_eq!(e.code, code, "{e:?}");
        } else {
            assert_eq!(status.as_u16(), 413);
        }
    }
    let _ = stop.send(());
    task.await.expect("server stopped");
    assert_eq!(
        hn.app
            .lock()
            .expect("lock")
            .list_cases(&CaseFilter::default())
            .expect("list")
            .total,
        0
    );
}

#[test]
fn the_certificate_is_the_node_key() {
    let secret = [42u8; 32];
    let id = Identity::new(&secret).expect("identity");
    let public = ed25519_dalek::SigningKey::from_bytes(&secret)
        .verifying_key()
        .to_bytes();
    assert_eq!(id.public_key(), public);
    let config = id.client_config([1; 32]).expect("client config");
    assert!(config.client_auth_cert_resolver.has_certs());
}

#[test]
fn backoff_doubles_up_to_an_hour() {
    let m = Duration::from_secs(60);
    assert_eq!(backoff(m, 0), Duration::ZERO);
    assert_eq!(backoff(m, 1), m);
    assert_eq!(backoff(m, 3), m * 4);
    assert_eq!(backoff(m, 40), Duration::from_secs(3600));
}

/// A peer that accepts the connection and never says a word: the round
/// ends at the timeout, in plain words, and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_peer_times_out_in_plain_words() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let silent = tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket); // open, and silent
        }
    });
    trust(&gt, &hn, Some(url));
    create_case(&gt, "Caso que espera");
    let opts = SyncOptions {
        connect_timeout: Duration::from_millis(700),
        request_timeout: Duration::from_millis(1500),
        ..SyncOptions::default()
    };
    let engine = Engine::new(sync_connection(&gt), opts).expect("engine");
    let reports = engine
        .sync_now(None, false, Duration::from_secs(60), None, &|_| {})
        .await
        .expect("round");
    let f = reports[0].fault.as_ref().expect("a fault");
    assert_eq!(f.code, SyncFaultCode::Timeout, "{f:?}");
    let e = last_error(&gt, "Honduras", Lang::Es);
    assert!(e.contains("tardó demasiado en responder"), "{e}");
    let v = gt
        .app
        .lock()
        .expect("lock")
        .peer("Honduras", Lang::Es)
        .expect("peer");
    assert_eq!(v.pending, 1, "the case still waits to be sent");
    silent.abort();
}

/// A paired peer (right key, valid TLS) that answers with `answer`.
async fn lying_peer(
    liar: &Node,
    client: &Node,
    answer: Vec<u8>,
) -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let secret = liar.app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    let config = identity
        .server_config(PeerSet::new([client.key].into_iter().collect()))
        .expect("config");
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(socket).await else {
                continue;
            };
            // Read the request head and body, then lie.
            let mut buf = vec![];
            let mut chunk = [0u8; 8192];
            let body_len = loop {
                let Ok(n) = tls.read(&mut chunk).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    break end + 4 + len;
                }
            };
            while buf.len() < body_len {
                let Ok(n) = tls.read(&mut chunk).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                crate::MEDIA_TYPE,
                answer.len()
            );
            let _ = tls.write_all(head.as_bytes()).await;
            let _ = tls.write_all(&answer).await;
            let _ = tls.shutdown().await;
        }
    });
    (url, task)
}

/// A paired peer whose answers are garbage, a zstd frame of nonsense, or
/// larger than any message may be: the round stops with "sent data this
/// node cannot accept", nothing is applied, and the position with that
/// peer does not move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_answering_nonsense_changes_nothing() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    trust(&hn, &gt, None);
    for (what, answer) in [
        (
            "garbage",
            b"esto no es un mensaje de sincronizacion".to_vec(),
        ),
        (
            "zstd of nonsense",
            enlace_sync::codec::compress(b"\xa1\x61v\x18\x63"),
        ),
        ("too large", vec![7u8; enlace_sync::LIMITS.max_body + 1]),
    ] {
        let (url, task) = lying_peer(&hn, &gt, answer).await;
        let _ = gt.app.lock().expect("lock").remove_peer("Honduras");
        trust(&gt, &hn, Some(url));
        let r = &sync_all(&gt).await[0];
        let f = r.fault.as_ref().expect("a fault");
        assert_eq!(f.code, SyncFaultCode::Malformed, "{what}: {f:?}");
        let app = gt.app.lock().expect("lock");
        let v = app.peer("Honduras", Lang::Es).expect("peer");
        let e = v.last_error.expect("kept");
        assert!(
            e.message
                .contains("envió datos que este nodo no puede aceptar"),
            "{what}: {}",
            e.message
        );
        assert_eq!(v.traffic.docs_received, 0, "{what}");
        assert_eq!(
            app.list_cases(&CaseFilter::default()).expect("list").total,
            0,
            "{what}"
        );
        assert!(app.quarantine().expect("quarantine").is_empty(), "{what}");
        drop(app);
        task.abort();
    }
}

/// The handshake probe that tells "not paired" from "the link was cut"
/// when an HTTP client saw only a closed connection (TLS 1.3 refuses a
/// client certificate after the client thinks the handshake is done).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_probe_tells_a_refusal_from_a_working_link() {
    let hn = node("HN", "Honduras");
    let gt = node("GT", "Guatemala");
    let stranger = node("MX", "Desconocido");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    let identity = |n: &Node| {
        let secret = n.app.lock().expect("lock").tls_secret();
        Identity::new(&secret).expect("identity")
    };
    let target = |key: [u8; 32]| PeerTarget {
        name: "Honduras".into(),
        country: "HN".into(),
        key,
        url: url.clone(),
    };
    let wait = Duration::from_secs(2);
    // Honduras does not know the stranger: refused.
    assert!(crate::client::tls_refused(&identity(&stranger), &target(hn.key), wait).await);
    // Guatemala expects another key at that address: refused.
    assert!(crate::client::tls_refused(&identity(&gt), &target(stranger.key), wait).await);
    // Paired both ways: the handshake holds.
    assert!(!crate::client::tls_refused(&identity(&gt), &target(hn.key), wait).await);
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// The desktop app's listener: two laptops of one country at one post,
/// one of them listening; stopping it closes the port; a port in use is
/// refused at once, in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_serves_paired_laptops_until_stopped() {
    let post = node("GT", "Tecún Umán 1");
    let other = node("GT", "Tecún Umán 2");
    let identity = {
        let secret = post.app.lock().expect("lock").tls_secret();
        Identity::new(&secret).expect("identity")
    };
    let runtime = tokio::runtime::Handle::current();
    let any_port: std::net::SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let told = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = told.clone();
    let on_received: OnReceived = Arc::new(move |n| {
        counter.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    });
    let listener = Listener::start(
        &runtime,
        any_port,
        sync_connection(&post),
        &identity,
        Some(on_received),
    )
    .expect("listen");
    let addr = listener.local_addr();
    assert_ne!(addr.port(), 0, "the port the system chose");
    trust(&post, &other, None);
    trust(&other, &post, Some(format!("https://{addr}")));
    let reference = create_case(&post, "Caso de la computadora que escucha");
    let r = &sync_all(&other).await[0];
    assert!(r.ok, "{r:?}");
    assert!(other.app.lock().expect("lock").case(&reference).is_ok());
    // A case opened on the other laptop reaches the listener, which is told.
    assert_eq!(told.load(std::sync::atomic::Ordering::SeqCst), 0);
    let from_other = create_case(&other, "Caso de la otra computadora");
    let r = &sync_all(&other).await[0];
    assert!(r.ok, "{r:?}");
    assert!(post.app.lock().expect("lock").case(&from_other).is_ok());
    assert_eq!(told.load(std::sync::atomic::Ordering::SeqCst), 1);

    // The same port again: refused with the address in the message.
    let again = Listener::start(&runtime, addr, sync_connection(&post), &identity, None);
    let Err(NodeError::Listen { addr: said, .. }) = again else {
        panic!("a port in use must be refused");
    };
    assert_eq!(said, addr.to_string());

    // Stopped: the port closes and the other laptop sees no network.
    drop(listener);
    let mut closed = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(closed, "the port is still open after the listener stopped");
    let r = &sync_all(&other).await[0];
    assert!(!r.ok, "{r:?}");
    let fault = r.fault.as_ref().expect("a fault");
    assert_eq!(fault.code, SyncFaultCode::Unreachable, "{fault:?}");
}

#[test]
fn lan_addresses_are_ipv4_without_loopback_or_repeats() {
    let found = lan_addresses();
    assert!(
        found.iter().all(|ip| ip.is_ipv4() && !ip.is_loopback()),
        "{found:?}"
    );
    let mut unique = found.clone();
    unique.dedup();
    assert_eq!(unique, found);
}

/// A laptop whose hub was unreachable when its loop first tried, so that
/// it would wait an hour (backoff); then the hub answers at its address
/// again, and, with `nudge`, the machine's network is reported changed.
/// Returns once the laptop's case reached the hub (a liveness bound of a
/// minute, not a speed threshold: without what is tested it never does).
async fn hub_returns(probe_every: Duration, nudge: bool) {
    let hub = node("GT", "Hub GT");
    let laptop = node("GT", "Tecún Umán");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    trust(&hub, &laptop, None);
    trust(&laptop, &hub, Some(format!("https://127.0.0.1:{port}")));
    let reference = create_case(&laptop, "Caso del puesto sin red");
    let engine = Arc::new(
        Engine::new(
            sync_connection(&laptop),
            SyncOptions {
                probe_every,
                ..SyncOptions::default()
            },
        )
        .expect("engine"),
    );
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let e = engine.clone();
    let periodic = tokio::spawn(async move {
        let until = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        e.run_periodic(Duration::from_secs(3600), until, &|_| {}, &|_| {})
            .await;
    });
    let failed = || {
        laptop
            .app
            .lock()
            .expect("lock")
            .peer("Hub GT", Lang::Es)
            .expect("peer")
            .last_error
            .is_some()
    };
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "{what} never happened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("the first, failed round", &failed);
    // The hub comes back at its address.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind the hub's port");
    let app = sync_connection(&hub);
    let secret = app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    let (hub_stop, hub_stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        serve(listener, app, &identity, async {
            let _ = hub_stopped.await;
        })
        .await
        .expect("serve");
    });
    if nudge {
        engine.network_changed();
    }
    // The case reached the hub, and the laptop's record says it synced.
    wait_for("the sync once the hub was back", &|| {
        hub.app.lock().expect("lock").case(&reference).is_ok() && !failed()
    });
    let _ = stop.send(true);
    periodic.await.expect("periodic stopped");
    let _ = hub_stop.send(());
    server.await.expect("server stopped");
}

/// Back online means synced: the loop knocks at a peer waiting after
/// failures, and syncs as soon as it answers, an hour before its backoff
/// would have let it try.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_syncs_as_soon_as_its_hub_answers_again() {
    assert_eq!(
        backoff(Duration::from_secs(3600), 1),
        Duration::from_secs(3600),
        "after one failure the laptop would wait an hour"
    );
    hub_returns(Duration::from_millis(200), false).await;
}

/// A change of the machine's network (a cable, a wifi) syncs every peer
/// at once, backoff or not (here nothing knocks: only the change can).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_the_network_syncs_peers_waiting_after_failures() {
    hub_returns(Duration::from_secs(24 * 3600), true).await;
}
