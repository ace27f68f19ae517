//! `cargo xtask bench ipc [--cases N] [--baseline N]`: the case screens as
//! a user meets them, through the real IPC path.
//!
//! Builds the UI and the desktop app in release mode, fills (once, cached
//! under <target>/bench/) a real database with N synthetic cases (default
//! 100,000) and a baseline one with 1,000, then drives the real app
//! (WebKitGTK under Xvfb, over WebDriver) on each and measures inside the
//! page, with `performance.now()`:
//! - search: words typed a key at a time, 80 ms apart, and the time from
//!   the last keystroke until their results are on screen (the frame after
//!   the list shows them);
//! - open a case: from the click on a row until the case is on screen;
//! - save an edit: one `update_case` through Tauri's IPC, answered;
//! - `list_cases` and `get_case` through the IPC alone.
//!
//! Reports p50/p95 for each, next to the baseline measured in the same
//! run, and writes JSON to <target>/bench/ipc.json. Run it with
//! `ENLACE_SOFTWARE_PAINT=1` to measure the window painted on the CPU (see
//! `software_rendering` in src-tauri).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const QUERIES: &[&str] = &[
    "nunez",
    "guity",
    "tecun",
    "coyotes",
    "honduras",
    "fincas",
    "ordonez",
    "zuniga",
    "quinonez",
    "mendicidad",
];
const ROUNDS: usize = 3;
const OPENS: usize = 30;
const SAVES: usize = 30;

/// A database of `n` synthetic cases, built once and kept for later runs.
fn database(n: u64) -> Result<PathBuf> {
    super::common::cached_cases(
        &format!("ipc-{n}"),
        n,
        ("GT", "Banco de pruebas"),
        enlace_core::synthetic,
    )
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn connect(app: &Path, data: &Path, port: u16) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        json!({"application": app, "args": ["--data-dir", data]}),
    );
    let mut last = None;
    for _ in 0..5 {
        match ClientBuilder::rustls()?
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Ok(c),
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
    Err(anyhow::anyhow!("{last:?}")).context("no WebDriver session with the app")
}

/// Types each query a key at a time and returns, per query, the ms from
/// the last keystroke to the frame after its results are on screen.
const SEARCH_JS: &str = r#"
const [queries, rounds, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const input = document.getElementById('search');
const list = document.getElementById('case-list');
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const type = (v) => { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); };
(async () => {
  const out = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      type(''); 
      while (list.dataset.resultsFor !== '') await frame();
      await sleep(100);
      for (let i = 1; i < q.length; i++) { type(q.slice(0, i)); await sleep(80); }
      type(q);
      const t0 = performance.now();
      while (list.dataset.resultsFor !== q) await frame();
      await frame();
      out.push(performance.now() - t0);
    }
  }
  done(out);
})().catch((e) => done({ error: String(e) }));
"#;

/// Clicks rows of the list one after another; ms from the click until the
/// case is on screen.
const OPEN_JS: &str = r#"
const [n, done] = [arguments[0], arguments[arguments.length - 1]];
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
(async () => {
  const input = document.getElementById('search');
  input.value = ''; input.dispatchEvent(new Event('input', { bubbles: true }));
  const list = document.getElementById('case-list');
  while (list.dataset.resultsFor !== '') await frame();
  await frame();
  const screen = [], dom = [], loading = [];
  for (let i = 0; i < n; i++) {
    const rows = [...document.querySelectorAll('.case-row[data-index]')];
    const row = rows[i % Math.min(rows.length, 8)];
    const before = document.getElementById('case-view')?.dataset.caseId;
    let tDom = null, tLoading = null;
    const pane = document.getElementById('detail-pane');
    const mo = new MutationObserver(() => {
      const v = document.getElementById('case-view');
      if (tLoading === null && !v) tLoading = performance.now();
      if (tDom === null && v && v.dataset.caseId !== before) tDom = performance.now();
    });
    mo.observe(pane, { childList: true, subtree: true });
    const t0 = performance.now();
    row.click();
    for (;;) {
      const v = document.getElementById('case-view');
      if (v && v.dataset.caseId && v.dataset.caseId !== before && document.getElementById('case-title')) break;
      await frame();
    }
    await frame();
    screen.push(performance.now() - t0);
    mo.disconnect();
    dom.push((tDom ?? performance.now()) - t0);
    loading.push((tLoading ?? t0) - t0);
  }
  done({ screen, dom, loading });
})().catch((e) => done({ error: String(e) }));
"#;

/// IPC round trips: update_case (a summary edit), list_cases, get_case.
const IPC_JS: &str = r#"
const [n, queries, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const first = await invoke('list_cases', { filter: { limit: 100 } });
  const ids = first.items.map((c) => c.id);
  const save = [], list = [], open = [], history = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await invoke('update_case', { key: ids[i % ids.length], patch: { summary: 'Resumen editado ' + i + ' — Núñez' } });
    save.push(performance.now() - t0);
    t0 = performance.now();
    await invoke('list_cases', { filter: { query: queries[i % queries.length], limit: 100 } });
    list.push(performance.now() - t0);
    t0 = performance.now();
    await invoke('get_case', { key: ids[(i * 7) % ids.length] });
    open.push(performance.now() - t0);
    t0 = performance.now();
    await invoke('case_changes', { key: ids[(i * 7) % ids.length] });
    history.push(performance.now() - t0);
  }
  done({ save, list, open, history });
})().catch((e) => done({ error: String(e) }));
"#;

fn stats(v: &Value) -> Result<Value> {
    let mut xs: Vec<f64> = v
        .as_array()
        .context("samples")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    if xs.is_empty() {
        bail!("no samples: {v}");
    }
    xs.sort_by(f64::total_cmp);
    let at = |p: f64| xs[((xs.len() - 1) as f64 * p).round() as usize];
    Ok(json!({"p50": at(0.5), "p95": at(0.95), "max": at(1.0), "n": xs.len()}))
}

async fn measure(app: &Path, driver: &Path, data: &Path, display: &str) -> Result<Value> {
    let port = free_port()?;
    let native = free_port()?;
    let _driver = Driver(
        Command::new(driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            // The driver starts WebKitWebDriver, which starts the app: all
            // on the virtual display.
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start tauri-driver")?,
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let c = connect(app, data, port).await?;
    let wait = |css: &'static str| {
        let c = c.clone();
        async move {
            c.wait()
                .at_most(Duration::from_secs(120))
                .for_element(Locator::Css(css))
                .await
                .with_context(|| format!("no `{css}`"))
        }
    };
    wait("#unlock-pass")
        .await?
        .send_keys(super::common::PASS)
        .await?;
    wait("#unlock-submit").await?.click().await?;
    wait(".case-row[data-index]").await?;
    let run = |js: &'static str, args: Vec<Value>| {
        let c = c.clone();
        async move {
            let v = c.execute_async(js, args).await?;
            if let Some(e) = v.get("error") {
                bail!("in the page: {e}");
            }
            Ok::<Value, anyhow::Error>(v)
        }
    };
    let search = run(SEARCH_JS, vec![json!(QUERIES), json!(ROUNDS)]).await?;
    let open = run(OPEN_JS, vec![json!(OPENS)]).await?;
    let ipc = run(IPC_JS, vec![json!(SAVES), json!(QUERIES)]).await?;
    c.close().await?;
    Ok(json!({
        "search_on_screen_ms": stats(&search)?,
        "open_on_screen_ms": stats(&open["screen"])?,
        "open_in_dom_ms": stats(&open["dom"])?,
        "open_loading_shown_ms": stats(&open["loading"])?,
        "save_ipc_ms": stats(&ipc["save"])?,
        "list_ipc_ms": stats(&ipc["list"])?,
        "get_case_ipc_ms": stats(&ipc["open"])?,
        "history_ipc_ms": stats(&ipc["history"])?,
    }))
}

pub fn run(args: &[String]) -> Result<()> {
    let (n, baseline) = super::common::sizes(args, 100_000, 1_000)?;
    crate::setup::build_ui()?;
    crate::process::step("building the desktop app (release)");
    crate::process::run(
        Command::new(crate::process::cargo())
            .args(["build", "--release", "--package", "enlace-app"])
            .current_dir(crate::process::root()),
    )?;
    let app = crate::process::target_dir().join("release/enlace-app");
    let driver = crate::setup::ensure_tauri_driver()?;
    crate::process::step(&format!("databases: {baseline} and {n} cases"));
    let small = database(baseline)?;
    let large = database(n)?;
    let xvfb = crate::process::Xvfb::start()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    crate::process::step("measuring the baseline");
    let a = rt.block_on(measure(&app, &driver, &small, &xvfb.display))?;
    crate::process::step(&format!("measuring {n} cases"));
    let b = rt.block_on(measure(&app, &driver, &large, &xvfb.display))?;
    drop(xvfb);

    let paint = if std::env::var_os("ENLACE_SOFTWARE_PAINT").is_some_and(|v| v == "1") {
        "painted on the CPU"
    } else {
        "GL compositing"
    };
    println!(
        "\nEnlace case screens through the real IPC path (release app, WebKitGTK under Xvfb, {paint})\n"
    );
    println!(
        "| metric | {baseline} cases (baseline) p50 / p95 | {n} cases p50 / p95 | ratio (p50) | target |"
    );
    println!("|---|---|---|---|---|");
    for (key, name, target) in [
        (
            "search_on_screen_ms",
            "search: last keystroke → results on screen",
            "≤ 100 ms",
        ),
        (
            "open_on_screen_ms",
            "open a case: click → case on screen",
            "≤ 50 ms",
        ),
        (
            "open_in_dom_ms",
            "open a case: click → case in the page (before painting)",
            "",
        ),
        (
            "save_ipc_ms",
            "save an edit (update_case over IPC)",
            "≤ 20 ms",
        ),
        ("list_ipc_ms", "search page (list_cases over IPC)", ""),
        ("get_case_ipc_ms", "open a case (get_case over IPC)", ""),
        (
            "history_ipc_ms",
            "a case's history with old/new values (case_changes over IPC)",
            "",
        ),
    ] {
        let (x, y) = (&a[key], &b[key]);
        let f = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        println!(
            "| {name} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.2}x | {target} |",
            f(x, "p50"),
            f(x, "p95"),
            f(y, "p50"),
            f(y, "p95"),
            f(y, "p50") / f(x, "p50")
        );
    }
    let out = crate::process::target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    let report = json!({"baseline_cases": baseline, "cases": n, "paint": paint, "baseline": a, "measured": b});
    std::fs::write(out.join("ipc.json"), serde_json::to_string_pretty(&report)?)?;
    println!("JSON: {}", out.join("ipc.json").display());
    Ok(())
}
