//! A hostile paired peer over real mutual TLS on loopback: forged pages
//! posted to a running server, a flood of silent connections, a peer
//! removed while the server runs, a peer that never answers beside one
//! that does, a server that says "more" forever. The server stays up and
//! honest peers keep syncing.

use std::time::Duration;

use enlace_core::{Anchor, SyncFaultCode};
use enlace_docs::{ChangeMessage, Document, actor_for_key};
use enlace_sync::{Cursor, Group, Page, Pull, Replica, RoundRequest, Wants};
use serde_bytes::ByteBuf;

use super::tests::{PASS, create_case, node, start, sync_all, trust};
use super::*;

const MIB: u64 = 1 << 20;

/// The most memory this process has held (`VmHWM`), in bytes.
fn peak() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

/// An HTTPS client that presents `who`'s certificate to `server`.
fn client_as(who: &super::tests::Node, server: &super::tests::Node) -> reqwest::Client {
    let secret = who.app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    reqwest::Client::builder()
        .use_preconfigured_tls(identity.client_config(server.key).expect("tls"))
        .build()
        .expect("client")
}

/// Posts one round carrying `push` and returns the status and body.
async fn post_round(client: &reqwest::Client, url: &str, push: Page) -> (u16, Vec<u8>) {
    let body = enlace_sync::codec::encode(&RoundRequest {
        v: enlace_sync::VERSION,
        pull: Pull {
            after: Cursor::start(),
            max_bytes: 1 << 20,
        },
        push: Some(push),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        audit: None,
    });
    let resp = client
        .post(format!("{url}{}", enlace_sync::ROUND_PATH))
        .body(body)
        .send()
        .await
        .expect("an answer");
    let status = resp.status().as_u16();
    (status, resp.bytes().await.expect("body").to_vec())
}

/// Finding 1 over the network: the forged change in front of a case's
/// honest history, posted by a paired Mexican node to Honduras' running
/// hub. The honest part applies, the forgery is kept aside, the title is
/// Guatemala's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_page_posted_to_a_hub_is_refused_and_the_hub_serves_on() {
    let gt = node("GT", "Guatemala");
    let mx = node("MX", "México (atacante)");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &mx, None);
    trust(&mx, &hn, Some(url.clone()));
    hn.app
        .lock()
        .expect("lock")
        .import_anchors(&[Anchor {
            name: gt.name.clone(),
            country: "GT".into(),
            key: hex::encode(gt.key),
        }])
        .expect("anchor");
    trust(&gt, &mx, None);
    trust(&mx, &gt, None);
    let reference = create_case(&gt, "Caso original");
    let (gk, mk) = (gt.key, mx.key);
    enlace_sync::run_in_memory(
        &mut *mx.app.lock().expect("lock"),
        &mk,
        &mut *gt.app.lock().expect("lock"),
        &gk,
        1 << 20,
        &mut |_| true,
    )
    .expect("Mexico holds the case");
    let (mut page, forged) = {
        let mut m = mx.app.lock().expect("lock");
        let page = m
            .page_for(&hn.key, &Cursor::start(), &Wants::default(), 1 << 20)
            .expect("page");
        let id = m.case(&reference).expect("case").case.id.to_string();
        let row = m.store().read().doc(&id).expect("read").expect("held");
        let mut doc = Document::load(&row.bytes, actor_for_key(&gt.key)).expect("load");
        doc.put_scalar_at(&["title"], &serde_json::json!("Título falsificado"))
            .expect("put");
        let change = doc
            .commit(
                &ChangeMessage {
                    by: "Guatemala".into(),
                    fields: vec!["title".into()],
                    action: "update".into(),
                },
                chrono::Utc::now(),
            )
            .expect("commit")
            .expect("change");
        (page, change.bytes)
    };
    // The page's own proofs now name positions one further on.
    for p in &mut page.proofs {
        for range in &mut p.members {
            range[0] += 1;
        }
    }
    page.groups.insert(
        0,
        Group {
            doc: None,
            kind: None,
            changes: vec![ByteBuf::from(forged)],
            full: false,
            part: false,
        },
    );
    let (status, body) = post_round(&client_as(&mx, &hn), &url, page).await;
    assert_eq!(status, 200);
    let answer: enlace_sync::RoundResponse =
        enlace_sync::codec::decode(&body, &enlace_sync::LIMITS).expect("an answer");
    let enlace_sync::Pushed::Applied { refused, .. } = answer.pushed else {
        panic!("not applied: {:?}", answer.pushed);
    };
    assert!(
        refused
            .iter()
            .any(|r| r.reason == enlace_sync::RefusalReason::BadSignature),
        "{refused:?}"
    );
    {
        let mut h = hn.app.lock().expect("lock");
        assert_eq!(
            h.case(&reference).expect("held").case.title,
            "Caso original"
        );
        assert_eq!(h.quarantine().expect("q")[0].reason, "bad_signature");
    }
    // The hub serves on: Mexico's honest sync goes through.
    let r = &sync_all(&mx).await[0];
    assert!(r.ok, "{r:?}");
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// Finding 3 over the network: the page of the 612-byte bundle posted to
/// a running hub. Before, verifying its proof allocated 4 GiB and killed
/// `enlace serve`; now it is refused as it is decoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_612_byte_page_does_not_kill_the_hub() {
    let mx = node("MX", "México (atacante)");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &mx, None);
    trust(&mx, &hn, Some(url.clone()));
    let page = enlace_sync::testing::the_612_byte_page();
    let (status, body) = post_round(&client_as(&mx, &hn), &url, page).await;
    assert_eq!(status, 400);
    let e: enlace_sync::ErrorBody =
        enlace_sync::codec::decode(&body, &enlace_sync::LIMITS).expect("an error body");
    assert_eq!(e.code, "malformed", "{e:?}");
    assert!(peak() < 512 * MIB, "this process held {} MiB", peak() / MIB);
    let r = &sync_all(&mx).await[0];
    assert!(r.ok, "the hub still serves: {r:?}");
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// Finding 3: 1,100 connections that open and say nothing (anyone can
/// open them, before any certificate is shown) made a paired peer's sync
/// time out. Handshakes are capped and the oldest gives way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_do_not_keep_a_paired_peer_out() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    trust(&gt, &hn, Some(url.clone()));
    let addr = url.trim_start_matches("https://").to_owned();
    let mut idle = Vec::with_capacity(1_100);
    for _ in 0..1_100 {
        idle.push(
            tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect"),
        );
    }
    create_case(&gt, "Caso durante la inundación");
    let r = &sync_all(&gt).await[0];
    assert!(r.ok, "{r:?}");
    assert_eq!(r.traffic.docs_sent, 1, "{r:?}");
    drop(idle);
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// Finding 5: a peer removed while the server runs (from another
/// process, even) was accepted until the server's cache reloaded. The
/// server asks the database at every handshake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_peer_is_refused_at_its_next_handshake() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    trust(&gt, &hn, Some(url.clone()));
    assert!(sync_all(&gt).await[0].ok);
    // Honduras' administrator unpairs Guatemala through another connection
    // to the database (as `enlace peer remove` would, beside `serve`).
    let other = hn.app.lock().expect("lock").reopen().expect("reopen");
    let mut other = other;
    other.remove_peer(&gt.name).expect("remove");
    drop(other);
    let r = &sync_all(&gt).await[0];
    let f = r.fault.as_ref().expect("refused");
    assert_eq!(f.code, SyncFaultCode::Refused, "{f:?}");
    // An anchor is not a peer: trusted as an author, it cannot connect.
    hn.app
        .lock()
        .expect("lock")
        .import_anchors(&[Anchor {
            name: gt.name.clone(),
            country: "GT".into(),
            key: hex::encode(gt.key),
        }])
        .expect("anchor");
    let r = &sync_all(&gt).await[0];
    assert_eq!(
        r.fault.as_ref().map(|f| f.code),
        Some(SyncFaultCode::Refused)
    );
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// Finding 3: peers were synced one after the other, so one that never
/// answers held back every other. Now each has a session of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_peer_does_not_hold_back_the_others() {
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let mx = node("MX", "México (mudo)");
    let (url, stop, task) = start(&hn).await;
    trust(&hn, &gt, None);
    trust(&gt, &hn, Some(url));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let silent_url = format!("https://{}", listener.local_addr().expect("addr"));
    let silent = tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    trust(&gt, &mx, Some(silent_url));
    create_case(&gt, "Caso");
    let opts = SyncOptions {
        request_timeout: Duration::from_secs(3),
        ..SyncOptions::default()
    };
    let engine = Engine::new(super::tests::sync_connection(&gt), opts).expect("engine");
    let done = std::sync::Mutex::new(vec![]);
    let reports = engine
        .sync_now(None, false, Duration::from_secs(60), None, &|p| {
            if p.remaining == 0 {
                done.lock().expect("lock").push(p.peer.clone());
            }
        })
        .await
        .expect("round");
    let by = |name: &str| reports.iter().find(|r| r.peer == name).expect("report");
    assert!(by("Honduras").ok, "{reports:?}");
    assert_eq!(
        by("México (mudo)").fault.as_ref().map(|f| f.code),
        Some(SyncFaultCode::Timeout)
    );
    assert!(
        by("Honduras").millis < by("México (mudo)").millis,
        "Honduras finished while Mexico was silent: {reports:?}"
    );
    assert_eq!(
        done.lock().expect("lock").first().map(String::as_str),
        Some("Honduras")
    );
    silent.abort();
    let _ = stop.send(());
    task.await.expect("server stopped");
}

/// Finding 3: a server that answers "more" forever, each time a step
/// further, kept its client for as long as it liked. A session now ends
/// at its time limit (and after 20,000 round trips), in plain words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_finishes_is_left() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras (sin fin)");
    trust(&hn, &gt, None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let secret = hn.app.lock().expect("lock").tls_secret();
    let identity = Identity::new(&secret).expect("identity");
    let config = identity
        .server_config(PeerSet::new([gt.key].into_iter().collect()))
        .expect("config");
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let endless = tokio::spawn(async move {
        let mut step = 0u64;
        while let Ok((socket, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(socket).await else {
                continue;
            };
            loop {
                // Read one request (head and body), answer a page one step
                // further with "more".
                let mut buf = vec![];
                let mut chunk = [0u8; 8192];
                let len = loop {
                    let Ok(n) = tls.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        break None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                        let body = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break Some(end + 4 + body);
                    }
                };
                let Some(len) = len else { break };
                while buf.len() < len {
                    let Ok(n) = tls.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                step += 1;
                let answer = enlace_sync::codec::encode(&enlace_sync::RoundResponse {
                    v: enlace_sync::VERSION,
                    pushed: enlace_sync::Pushed::Nothing,
                    pull: enlace_sync::Pulled::Page(Page {
                        base: Cursor::at(step, [1; 32]),
                        to: Cursor::at(step + 1, [1; 32]),
                        more: true,
                        remaining: 1,
                        ..Page::default()
                    }),
                    need: vec![],
                    need_changes: vec![],
                    need_after: vec![],
                    audit: None,
                });
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {}\r\ncontent-length: {}\r\n\r\n",
                    crate::MEDIA_TYPE,
                    answer.len()
                );
                if tls.write_all(head.as_bytes()).await.is_err()
                    || tls.write_all(&answer).await.is_err()
                {
                    return;
                }
            }
        }
    });
    trust(&gt, &hn, Some(url));
    let opts = SyncOptions {
        session_timeout: Duration::from_secs(2),
        ..SyncOptions::default()
    };
    let engine = Engine::new(super::tests::sync_connection(&gt), opts).expect("engine");
    let r = &engine
        .sync_now(None, false, Duration::from_secs(60), None, &|_| {})
        .await
        .expect("round")[0];
    let f = r.fault.as_ref().expect("stopped");
    assert_eq!(f.code, SyncFaultCode::Stalled, "{f:?}");
    assert!(f.detail.contains("the most one session may take"), "{f:?}");
    assert!(r.requests > 3, "it made progress, then was left: {r:?}");
    endless.abort();
    let _ = PASS;
}
