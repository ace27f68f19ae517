//! The real desktop app (WebKitGTK under Xvfb), driven over WebDriver via
//! tauri-driver. Run by `cargo xtask test`, which provides the display, the
//! app binary and the driver:
//!   ENLACE_E2E_APP, ENLACE_E2E_DRIVER, ENLACE_E2E_SCREENSHOTS, DISPLAY.
//!
//! Flow: first start → create the database with demo data → search `nunez`
//! → open the case (the identity shows, marked national only) → switch to
//! English and back → restart the app → wrong passphrase refused → unlock.
//! Then the other flows, one test each: a case edited and the app killed,
//! the legal assessment, the plan, sync with a hub, and two app instances of
//! one post (one listening on the LAN) editing a case apart.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

struct Driver {
    child: Child,
    port: u16,
}

/// tauri-driver runs WebKitWebDriver, which runs the app: each test's
/// driver is started in a process group of its own, and the whole group is
/// ended with it (ending tauri-driver alone could leave the app running).
impl Drop for Driver {
    fn drop(&mut self) {
        signal_group(&self.child, "KILL");
        let _ = self.child.wait();
    }
}

/// Sends `signal` to the process group `child` leads.
fn signal_group(child: &Child, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn env_path(name: &str) -> Result<PathBuf> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .with_context(|| format!("{name} is not set: run this test through `cargo xtask test`"))
}

fn start_driver(data_dir: &std::path::Path) -> Result<Driver> {
    start_driver_with(data_dir, &[])
}

/// The driver, with `env` set for the app it starts.
fn start_driver_with(data_dir: &std::path::Path, env: &[(&str, &str)]) -> Result<Driver> {
    let port = free_port()?;
    let native = free_port()?;
    let child = Command::new(env_path("ENLACE_E2E_DRIVER")?)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("ENLACE_DATA_DIR", data_dir)
        // A "USB stick" next to the data directory, where the sync panel
        // looks for bundles (besides /media and the home folder).
        .env(
            "ENLACE_BUNDLE_DIRS",
            data_dir.parent().unwrap_or(data_dir).join("usb"),
        )
        .env("ENLACE_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .process_group(0)
        .spawn()
        .context("could not start tauri-driver")?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on port {port}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Driver { child, port })
}

async fn session(driver: &Driver, data: &std::path::Path) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        json!({"application": env_path("ENLACE_E2E_APP")?, "args": ["--data-dir", data]}),
    );
    // tauri-driver sometimes drops the first request while WebKitWebDriver
    // (started per session) is still coming up: try a few times.
    let mut last = None;
    for _ in 0..4 {
        match ClientBuilder::rustls()?
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
    Err(anyhow::anyhow!("{last:?}")).context("could not start a WebDriver session with the app")
}

async fn find(c: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no element `{css}` appeared"))
}

/// Waits until the text of `css` satisfies `ok`; returns that text.
async fn wait_text(c: &Client, css: &str, ok: impl Fn(&str) -> bool) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = String::new();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if ok(&t) {
                return Ok(t);
            }
            last = t;
        }
        if Instant::now() > deadline {
            bail!("`{css}` never had the expected text; last seen: {last:?}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Clicks `css`, scrolled into view first. When WebKitWebDriver refuses
/// the click (it reports an empty error for elements inside a scrolled
/// panel now and then), the element's own click() does what a user would.
async fn click(c: &Client, css: &str) -> Result<()> {
    let e = find(c, css).await?;
    let js = "arguments[0].scrollIntoView({block: 'center'});";
    c.execute(js, vec![serde_json::to_value(&e)?]).await?;
    if e.click().await.is_err() {
        c.execute("arguments[0].click();", vec![serde_json::to_value(&e)?])
            .await
            .with_context(|| format!("could not click `{css}`"))?;
    }
    Ok(())
}

async fn shot(c: &Client, name: &str) -> Result<()> {
    // A screenshot right after a DOM change can show the previous frame.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let png = c.screenshot().await?;
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    if let Some(dir) = std::env::var_os("ENLACE_E2E_SCREENSHOTS") {
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png)?;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn create_search_open_switch_language_restart_unlock() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let driver = start_driver(&data)?;

    // First start: the setup form.
    let c = session(&driver, &data).await?;
    find(&c, "#setup-form").await?;
    let title = find(&c, "h2").await?.text().await?;
    assert_eq!(
        title, "Crear la base de datos de este equipo",
        "Spanish by default"
    );
    find(&c, "#setup-country")
        .await?
        .select_by_value("GT")
        .await?;
    find(&c, "#setup-node-name")
        .await?
        .send_keys("Paso Tecún Umán")
        .await?;
    find(&c, "#setup-pass")
        .await?
        .send_keys("frase de acceso larga")
        .await?;
    find(&c, "#setup-pass2")
        .await?
        .send_keys("frase de acceso larga")
        .await?;
    shot(&c, "01-setup").await?;
    find(&c, "#setup-submit").await?.click().await?;

    // The case list with the demo data.
    find(&c, "#search").await?;
    let count = wait_text(&c, "#case-count", |t| {
        t.contains(" de ") && !t.starts_with("0 ")
    })
    .await?;
    let total: u32 = count
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .context("count text")?;
    assert!(total >= 40, "demo data loaded: {count}");
    let node = find(&c, "#node-label").await?.text().await?;
    assert!(node.contains("Paso Tecún Umán"), "{node}");
    shot(&c, "02-case-list").await?;

    // Search without accents finds the case of José Núñez Ávila.
    find(&c, "#search").await?.send_keys("nunez").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    let rows = c.find_all(Locator::Css(".case-row")).await?;
    assert_eq!(rows.len(), 1);
    let reference = rows[0].attr("data-reference").await?.unwrap_or_default();
    assert!(reference.starts_with("GT-"), "{reference}");
    rows[0].click().await?;
    let heading = wait_text(&c, "#case-title", |t| !t.is_empty()).await?;
    assert!(!heading.is_empty());
    let identity = wait_text(&c, "#case-view", |t| t.contains("José Núñez Ávila")).await?;
    assert!(
        identity.contains("Solo nacional"),
        "the identity is marked national only"
    );
    // WebDriver reports text as rendered: CSS upper-cases the role labels.
    assert!(
        identity.to_lowercase().contains("origen"),
        "the route strip shows the roles: {identity}"
    );
    wait_text(&c, "#history", |t| t.contains("Paso Tecún Umán")).await?;
    shot(&c, "03-case-view").await?;

    // English, then back to Spanish.
    find(&c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 of 1")).await?;
    let view = wait_text(&c, "#case-view", |t| t.contains("National only")).await?;
    assert!(view.to_lowercase().contains("origin"), "{view}");
    shot(&c, "04-case-view-en").await?;
    find(&c, "#lang-switch")
        .await?
        .select_by_value("es")
        .await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;

    // More filters: El Salvador as the origin keeps the case, Mexico as
    // the origin leaves nothing; clearing brings it back.
    click(&c, "#more-filters-toggle").await?;
    find(&c, "#filter-role")
        .await?
        .select_by_value("origin")
        .await?;
    find(&c, "#filter-country")
        .await?
        .select_by_value("SV")
        .await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    find(&c, "#filter-country")
        .await?
        .select_by_value("MX")
        .await?;
    wait_text(&c, "#case-count", |t| t.starts_with("0 de 0")).await?;
    click(&c, "#filter-clear").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    // A sort order, remembered across the restart below.
    find(&c, "#sort-field")
        .await?
        .select_by_value("reference")
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.close().await?;

    // Restart: the database exists, so the app asks for the passphrase.
    let c = session(&driver, &data).await?;
    find(&c, "#unlock-form").await?;
    // The language choice is kept in WebKit's local storage, which is
    // written to disk lazily; choose Spanish explicitly rather than depend
    // on when the previous session's last switch was flushed.
    find(&c, "#lang-switch")
        .await?
        .select_by_value("es")
        .await?;
    wait_text(&c, "h2", |t| t == "Desbloquear").await?;
    find(&c, "#unlock-pass")
        .await?
        .send_keys("no es esta")
        .await?;
    find(&c, "#unlock-submit").await?.click().await?;
    let err = wait_text(&c, "#unlock-error", |t| !t.is_empty()).await?;
    assert!(err.contains("no es correcta"), "{err}");
    shot(&c, "05-wrong-passphrase").await?;
    find(&c, "#unlock-pass")
        .await?
        .send_keys("frase de acceso larga")
        .await?;
    find(&c, "#unlock-submit").await?.click().await?;
    let sort = find(&c, "#sort-field").await?.prop("value").await?;
    assert_eq!(sort.as_deref(), Some("reference"), "the sort is remembered");
    find(&c, "#search").await?.send_keys("guity").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de ")).await?;
    let row = find(&c, ".case-row").await?;
    assert_eq!(
        row.attr("data-reference").await?.unwrap_or_default(),
        reference,
        "the same case"
    );
    c.close().await?;
    drop(driver);
    Ok(())
}

/// First start with demo data: the setup form filled in and submitted.
async fn create_with_demo(c: &Client) -> Result<()> {
    find(c, "#setup-form").await?;
    find(c, "#setup-country")
        .await?
        .select_by_value("GT")
        .await?;
    find(c, "#setup-node-name")
        .await?
        .send_keys("Paso Tecún Umán")
        .await?;
    for id in ["#setup-pass", "#setup-pass2"] {
        find(c, id)
            .await?
            .send_keys("frase de acceso larga")
            .await?;
    }
    find(c, "#setup-submit").await?.click().await?;
    wait_text(c, "#case-count", |t| {
        t.contains(" de ") && !t.starts_with("0 ")
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn legal_checklist_edit_history_compare_matrix_print_and_restart() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    create_with_demo(&c).await?;

    // The node's own country opens first, editable, with its progress.
    find(&c, "#tab-legal").await?.click().await?;
    wait_text(&c, "#legal-country-title", |t| t.contains("Guatemala")).await?;
    let progress = wait_text(&c, "#legal-progress", |t| t.contains('%')).await?;
    assert!(progress.contains("evaluado"), "{progress}");
    wait_text(&c, "#legal-count", |t| t.starts_with("45 de 45")).await?;
    // Filters: the Smuggling Protocol has seven items.
    find(&c, "#legal-filter-protocol")
        .await?
        .select_by_value("smuggling_protocol")
        .await?;
    wait_text(&c, "#legal-count", |t| t.starts_with("7 de 45")).await?;
    find(&c, "#legal-filter-protocol")
        .await?
        .select_by_value("")
        .await?;
    wait_text(&c, "#legal-count", |t| t.starts_with("45 de 45")).await?;

    // Edit TIP-05: status, a gap with accents; autosaved on this computer.
    find(&c, "[data-item='TIP-05']").await?.click().await?;
    find(&c, "#item-editor").await?;
    find(&c, "input[name='item-status'][value='not_compliant']")
        .await?
        .click()
        .await?;
    let gap = "La ley exige medios cuando la víctima tiene 16 o 17 años — revisó María de los Ángeles Güity.";
    let area = find(&c, "#item-gap").await?;
    area.clear().await?;
    area.send_keys(gap).await?;
    wait_text(&c, "#item-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    let row = wait_text(&c, "[data-item='TIP-05']", |t| t.contains("No cumple")).await?;
    assert!(row.contains("TIP-05"), "{row}");
    // History: old and new values of this item.
    find(&c, "#item-history-button").await?.click().await?;
    let h = wait_text(&c, "#item-history", |t| t.contains("Güity")).await?;
    assert!(h.contains("Paso Tecún Umán"), "who: {h}");
    assert!(h.contains("No cumple"), "the new status: {h}");
    // Side by side with Honduras.
    find(&c, "#compare-with")
        .await?
        .select_by_value("HN")
        .await?;
    let cmp = wait_text(&c, "#compare", |t| t.contains("Honduras")).await?;
    assert!(cmp.contains("Guatemala"), "{cmp}");
    shot(&c, "06-legal-checklist").await?;

    // Another country's assessment is read-only.
    find(&c, "[data-country='HN']").await?.click().await?;
    wait_text(&c, "#legal-country-title", |t| t.contains("Honduras")).await?;
    find(&c, "[data-item='TIP-01']").await?.click().await?;
    let gap_box = find(&c, "#item-gap").await?;
    assert!(
        gap_box.attr("disabled").await?.is_some(),
        "Honduras's text cannot be edited here"
    );

    // The matrix: the edit is there, in words on hover; a click opens the item.
    find(&c, "#legal-matrix").await?.click().await?;
    let cell = find(&c, "[data-cell='GT-TIP-05']").await?;
    let title = cell.attr("title").await?.unwrap_or_default();
    assert_eq!(title, "Guatemala · TIP-05: No cumple");
    assert_eq!(cell.text().await?, "N");
    shot(&c, "07-legal-matrix").await?;
    // Print: a PDF in the exports folder with the item and the gap.
    find(&c, "#legal-print").await?.click().await?;
    let done = wait_text(&c, "#legal-export-done", |t| t.contains(".pdf")).await?;
    let exports: Vec<PathBuf> = std::fs::read_dir(data.join("exports"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    assert_eq!(exports.len(), 1, "{done}");
    let text = std::process::Command::new("pdftotext")
        .arg(&exports[0])
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("TIP-05") && text.contains("Güity"),
        "the PDF has the edit"
    );
    cell.click().await?;
    wait_text(&c, "#legal-country-title", |t| t.contains("Guatemala")).await?;
    wait_text(&c, "#item-editor", |t| t.contains("TIP-05")).await?;
    c.close().await?;

    // Restart: the edit is still there; English labels.
    let c = session(&driver, &data).await?;
    find(&c, "#unlock-form").await?;
    find(&c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;
    find(&c, "#unlock-pass")
        .await?
        .send_keys("frase de acceso larga")
        .await?;
    find(&c, "#unlock-submit").await?.click().await?;
    find(&c, "#tab-legal").await?.click().await?;
    wait_text(&c, "#legal-country-title", |t| {
        t.contains("Legal assessment of Guatemala")
    })
    .await?;
    find(&c, "[data-item='TIP-05']").await?.click().await?;
    let kept = find(&c, "#item-gap")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(kept, gap);
    let row = wait_text(&c, "[data-item='TIP-05']", |t| t.contains("Not compliant")).await?;
    assert!(row.contains("TIP-05"));
    find(&c, "#lang-switch")
        .await?
        .select_by_value("es")
        .await?;
    wait_text(&c, "#legal-country-title", |t| {
        t.contains("Evaluación legal de Guatemala")
    })
    .await?;
    c.close().await?;
    drop(driver);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn plan_tree_filters_edit_timeline_and_status_sheet() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    create_with_demo(&c).await?;

    find(&c, "#tab-plan").await?.click().await?;
    find(&c, "#plan-tree").await?;
    let overdue = wait_text(&c, "#plan-overdue-count", |t| !t.starts_with("0 ")).await?;
    assert!(overdue.contains("vencidas"), "{overdue}");
    shot(&c, "08-plan-tree").await?;

    // Guatemala's national tasks only; one of them overdue.
    find(&c, "#plan-scope").await?.select_by_value("GT").await?;
    wait_text(&c, "#plan-tree", |t| {
        !t.contains("Regional") && t.contains("Guatemala")
    })
    .await?;
    find(&c, "#plan-overdue").await?.click().await?;
    // Only overdue tasks remain (the done ones go).
    let tree = wait_text(&c, "#plan-tree", |t| {
        t.contains("Vencida") && !t.contains("Terminada")
    })
    .await?;
    assert!(tree.contains("Guatemala"), "{tree}");
    find(&c, "#plan-overdue").await?.click().await?;

    // Edit a task: progress, status and a note with accents; autosaved.
    click(&c, "[data-task='2.2.1']").await?;
    find(&c, "#task-editor").await?;
    find(&c, "#task-status")
        .await?
        .select_by_value("in_progress")
        .await?;
    let notes = find(&c, "#task-notes").await?;
    notes.clear().await?;
    notes
        .send_keys("Sede confirmada en Quetzaltenango; coordina María de los Ángeles Güity.")
        .await?;
    wait_text(&c, "#task-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    click(&c, "#task-history-button").await?;
    wait_text(&c, "#task-history", |t| {
        t.contains("Notas") && t.contains("Paso Tecún Umán")
    })
    .await?;
    let row = wait_text(&c, "#plan-tree", |t| t.contains("En curso")).await?;
    assert!(row.contains("2.2.1"));

    // A new national task, created with its required fields.
    click(&c, "#plan-new").await?;
    find(&c, "#task-component")
        .await?
        .select_by_value("training")
        .await?;
    find(&c, "#task-title-es")
        .await?
        .send_keys("Reunión con fiscales de Tecún Umán")
        .await?;
    // Last: typing here opens the outputs' suggestion list (a datalist).
    find(&c, "#task-output")
        .await?
        .send_keys("2.2 Talleres nacionales")
        .await?;
    find(&c, "#task-output")
        .await?
        .send_keys("\u{e00c}")
        .await?;
    // Without a due date: the error names it and nothing is created.
    click(&c, "#task-create").await?;
    let err = wait_text(&c, "#task-error", |t| !t.is_empty()).await?;
    assert!(err.contains("due"), "{err}");
    c.execute(
        "const e = document.querySelector('#task-due'); e.value = '2027-01-20'; e.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![],
    )
    .await?;
    click(&c, "#task-create").await?;
    wait_text(&c, "#plan-tree", |t| {
        t.contains("Reunión con fiscales de Tecún Umán")
    })
    .await?;

    // The timeline: bars, today's line, dependencies.
    click(&c, "#task-close").await?;
    click(&c, "#plan-mode-timeline").await?;
    find(&c, "#plan-timeline .today").await?;
    let deps = c.find_all(Locator::Css("#plan-timeline path.dep")).await?;
    let scope = find(&c, "#plan-scope").await?;
    scope.select_by_value("").await?;
    find(&c, "#plan-timeline").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all_deps = c.find_all(Locator::Css("#plan-timeline path.dep")).await?;
    assert!(all_deps.len() > deps.len(), "dependencies are drawn");
    shot(&c, "09-plan-timeline").await?;

    // Print the region's status sheet: a PDF with the edited task.
    click(&c, "#plan-print").await?;
    wait_text(&c, "#plan-export-done", |t| t.contains(".pdf")).await?;
    let pdf = std::fs::read_dir(data.join("exports"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .context("the sheet was written")?;
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("toda la región"), "the region's sheet");
    assert!(text.contains("Quetzaltenango"), "the edit is printed");
    assert!(text.contains("Reunión con fiscales de Tecún Umán"));
    c.close().await?;
    drop(driver);
    Ok(())
}

/// Sets a `<select>` by value and tells the app, as a user's choice would.
async fn choose(c: &Client, css: &str, value: &str) -> Result<()> {
    let e = find(c, css).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        vec![serde_json::to_value(&e)?, json!(value)],
    )
    .await
    .with_context(|| format!("could not choose {value} in `{css}`"))?;
    Ok(())
}

/// Types into an input after clearing it.
async fn retype(c: &Client, css: &str, text: &str) -> Result<()> {
    let e = find(c, css).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();",
        vec![serde_json::to_value(&e)?],
    )
    .await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}

/// Puts text into an input as a paste would (WebKitWebDriver's typing
/// drops characters outside the Basic Multilingual Plane, such as emoji).
async fn paste(c: &Client, css: &str, text: &str) -> Result<()> {
    let e = find(c, css).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        vec![serde_json::to_value(&e)?, json!(text)],
    )
    .await
    .with_context(|| format!("could not paste into `{css}`"))?;
    Ok(())
}

/// Kills the app outright (SIGKILL), as a crash or a pulled plug would.
fn kill_app(data: &std::path::Path) -> Result<()> {
    let needle = data.to_string_lossy().to_string();
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc")? {
        let Ok(entry) = entry else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmd.contains("enlace-app") && cmd.contains(&needle) {
            let pid = entry.file_name().to_string_lossy().to_string();
            let status = Command::new("kill").args(["-KILL", &pid]).status()?;
            if status.success() {
                killed += 1;
            }
        }
    }
    if killed == 0 {
        bail!("no running app for {needle} to kill");
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn create_a_case_edit_it_survive_a_kill_find_it_and_read_its_history() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;

    // An empty database (no demo data).
    find(&c, "#setup-form").await?;
    find(&c, "#setup-node-name")
        .await?
        .send_keys("Fiscalía Tecún Umán")
        .await?;
    for id in ["#setup-pass", "#setup-pass2"] {
        find(&c, id)
            .await?
            .send_keys("frase de acceso larga")
            .await?;
    }
    click(&c, "#setup-demo").await?;
    click(&c, "#setup-submit").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("0 de 0")).await?;

    // A new case: general data, Art. 3 elements, a route, two persons with
    // their identities.
    click(&c, "#case-new").await?;
    find(&c, "#case-editor").await?;
    retype(&c, "#f-title", "Captación en Tecún Umán").await?;
    paste(&c, "#f-title", "Captación en Tecún Umán 🙂").await?;
    retype(&c, "#f-summary", "Ofertas de empleo falsas; نص عربي").await?;
    choose(&c, "#f-classification", "trafficking").await?;
    click(&c, "#f-acts input").await?;
    click(&c, "#f-purposes input").await?;
    choose(&c, "#f-route-0-country", "HN").await?;
    retype(&c, "#f-route-0-place", "San Pedro Sula").await?;
    retype(&c, "#f-route-0-from", "31/02/2026").await?;
    let err = wait_text(&c, "#g-route .field-error", |t| !t.is_empty()).await?;
    assert!(err.contains("28 días"), "31 February is explained: {err}");
    shot(&c, "06-case-editor-invalid-date").await?;
    click(&c, "#case-create").await?;
    wait_text(&c, "#case-save-state", |t| t.contains("corrija")).await?;
    retype(&c, "#f-route-0-from", "03/01/2026").await?;
    click(&c, "#add-stop").await?;
    choose(&c, "#f-route-1-country", "GT").await?;
    retype(&c, "#f-route-1-place", "Tecún Umán").await?;
    click(&c, "#add-stop").await?;
    choose(&c, "#f-route-2-country", "MX").await?;
    choose(&c, "#f-route-2-role", "exploitation").await?;
    click(&c, "#add-person-victim").await?;
    choose(&c, "#f-persons-0-age", "9-17").await?;
    choose(&c, "#f-persons-0-gender", "female").await?;
    wait_text(&c, "#child-rule", |t| t.contains("art. 3 c")).await?;
    click(&c, "#g-persons .person-edit:nth-of-type(1) summary").await?;
    retype(&c, "#f-persons-0-id-given", "María de los Ángeles").await?;
    retype(&c, "#f-persons-0-id-first", "Güity").await?;
    click(&c, "#add-person-suspect").await?;
    click(&c, "#g-persons .person-edit:nth-of-type(2) summary").await?;
    retype(&c, "#f-persons-1-id-given", "José").await?;
    retype(&c, "#f-persons-1-id-first", "Núñez").await?;
    retype(&c, "#f-persons-1-id-second", "Ávila").await?;
    shot(&c, "07-case-editor").await?;
    click(&c, "#case-create").await?;
    let title = wait_text(&c, "#case-title", |t| t.contains("Tecún Umán")).await?;
    assert!(title.contains("🙂"), "{title}");
    let view = wait_text(&c, "#case-view", |t| t.contains("José Núñez Ávila")).await?;
    assert!(view.contains("María de los Ángeles Güity"), "{view}");
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    let reference = find(&c, ".case-row")
        .await?
        .attr("data-reference")
        .await?
        .unwrap_or_default();
    assert!(reference.starts_with("GT-"), "{reference}");

    // Edit: the status changes and is saved on this computer.
    click(&c, "#case-edit").await?;
    choose(&c, "#f-status", "under_investigation").await?;
    wait_text(&c, "#case-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    // Then text typed while another field holds 31/02: nothing can be saved
    // to the case yet, and the app is killed.
    click(&c, "#add-indicator").await?;
    retype(
        &c,
        "#f-indicators-0-description",
        "Anuncio en redes sociales",
    )
    .await?;
    retype(&c, "#f-indicators-0-date", "31/02/2026").await?;
    retype(&c, "#f-summary", "Escrito justo antes del cierre").await?;
    wait_text(&c, "#case-save-state", |t| t.contains("corrija")).await?;
    tokio::time::sleep(Duration::from_millis(800)).await; // the draft is kept within 200 ms
    kill_app(&data)?;
    drop(c);

    // Restart: unlock, find the case by typing without accents.
    let c = session(&driver, &data).await?;
    find(&c, "#unlock-pass")
        .await?
        .send_keys("frase de acceso larga")
        .await?;
    click(&c, "#unlock-submit").await?;
    for words in ["nunez", "guity"] {
        retype(&c, "#search", words).await?;
        wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    }
    let row = find(&c, ".case-row").await?;
    assert_eq!(
        row.attr("data-reference").await?.unwrap_or_default(),
        reference
    );
    click(&c, ".case-row").await?;
    find(&c, "#case-view").await?;
    // Nothing typed was lost: the editor brings back the draft.
    click(&c, "#case-edit").await?;
    wait_text(&c, "#draft-recovered", |t| t.contains("recuperaron")).await?;
    let summary = find(&c, "#f-summary").await?.prop("value").await?;
    assert_eq!(summary.as_deref(), Some("Escrito justo antes del cierre"));
    let date = find(&c, "#f-indicators-0-date")
        .await?
        .prop("value")
        .await?;
    assert_eq!(date.as_deref(), Some("31/02/2026"), "kept as typed");
    retype(&c, "#f-indicators-0-date", "27/02/2026").await?;
    wait_text(&c, "#case-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    shot(&c, "08-case-editor-saved").await?;
    click(&c, "#editor-close").await?;

    // The history shows the edits: who, the status before and after.
    let history = wait_text(&c, "#history", |t| t.contains("En investigación")).await?;
    assert!(history.contains("Fiscalía Tecún Umán"), "{history}");
    assert!(history.contains("Denunciado"), "the old value: {history}");
    let view = find(&c, "#case-view").await?.text().await?;
    assert!(view.contains("Escrito justo antes del cierre"), "{view}");
    c.execute(
        "document.getElementById('case-changes').lastElementChild.scrollIntoView({block: 'end'});",
        vec![],
    )
    .await?;
    shot(&c, "09-case-history").await?;

    // English and back.
    choose(&c, "#lang-switch", "en").await?;
    click(&c, "#case-edit").await?;
    wait_text(&c, "#g-elements legend", |t| {
        t.contains("Protocol elements")
    })
    .await?;
    shot(&c, "10-case-editor-en").await?;
    choose(&c, "#lang-switch", "es").await?;
    wait_text(&c, "#g-elements legend", |t| {
        t.contains("Elementos del Protocolo")
    })
    .await?;
    click(&c, "#editor-close").await?;
    c.close().await?;
    drop(driver);
    Ok(())
}

/// The `enlace` command (for a hub the app syncs with).
fn enlace(dir: &std::path::Path, args: &[&str]) -> Result<std::process::Output> {
    let out = Command::new(env_path("ENLACE_E2E_CLI")?)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("ENLACE_PASSPHRASE", "frase de acceso del nodo central")
        .env("LANG", "C.UTF-8")
        .output()?;
    if !out.status.success() {
        bail!(
            "enlace {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

/// `enlace serve` in the background, stopped (SIGTERM) on drop.
struct Hub(Child);

impl Hub {
    fn start(dir: &std::path::Path, listen: &str) -> Result<(Hub, String)> {
        use std::io::BufRead;
        let mut child = Command::new(env_path("ENLACE_E2E_CLI")?)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--listen", listen, "--interval", "3600"])
            .env("ENLACE_PASSPHRASE", "frase de acceso del nodo central")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()?;
        let err = child.stderr.take().context("stderr")?;
        let mut lines = std::io::BufReader::new(err).lines();
        let url = loop {
            let line = lines.next().context("serve stopped before listening")??;
            if let Some(i) = line.find("https://127.0.0.1:") {
                break line[i..]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Ok((Hub(child), url))
    }

    fn stop(&mut self) {
        signal_group(&self.0, "TERM");
        let _ = self.0.wait();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn pair_with_a_hub_sync_go_offline_and_carry_a_bundle() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let hub_dir = tmp.path().join("hub");

    // Guatemala's hub with a regional case whose victim has an identity
    // (which must stay in Guatemala).
    enlace(
        &hub_dir,
        &["init", "--country", "GT", "--node-name", "NTF Guatemala"],
    )?;
    let case = json!({
        "title": "Reclutamiento en Choloma",
        "classification": "trafficking",
        "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
        "audience": {"scope": "regional"},
        "persons": [{"role": "victim", "age_band": "18-20",
            "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}}]
    });
    let file = tmp.path().join("caso.json");
    std::fs::write(&file, case.to_string())?;
    let created = enlace(
        &hub_dir,
        &["case", "create", "--json", &file.to_string_lossy()],
    )?;
    let reference = String::from_utf8_lossy(&created.stdout)
        .split_whitespace()
        .nth(1)
        .context("reference")?
        .to_owned();
    let hub_info: serde_json::Value =
        serde_json::from_slice(&enlace(&hub_dir, &["node", "show", "--json"])?.stdout)?;
    let hub_key = hub_info["public_key"].as_str().context("key")?.to_owned();
    let (mut hub, url) = Hub::start(&hub_dir, "127.0.0.1:0")?;
    let port = url.rsplit(':').next().context("port")?.to_owned();

    // A Honduran laptop: the app, with an empty database.
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    find(&c, "#setup-form").await?;
    find(&c, "#setup-country")
        .await?
        .select_by_value("HN")
        .await?;
    find(&c, "#setup-node-name")
        .await?
        .send_keys("Aduana Corinto")
        .await?;
    for id in ["#setup-pass", "#setup-pass2"] {
        find(&c, id)
            .await?
            .send_keys("frase de acceso larga")
            .await?;
    }
    click(&c, "#setup-demo").await?;
    click(&c, "#setup-submit").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("0 de 0")).await?;

    // The sync panel shows this node's key: the hub pairs with it.
    click(&c, "#tab-sync").await?;
    let key_el = find(&c, "#node-key").await?;
    let app_key = key_el.attr("data-key").await?.context("data-key")?;
    assert_eq!(app_key.len(), 64);
    enlace(
        &hub_dir,
        &[
            "peer",
            "add",
            "Aduana Corinto",
            "--key",
            &app_key,
            "--country",
            "HN",
        ],
    )?;
    wait_text(&c, "#no-peers", |t| t.contains("no tiene pares")).await?;
    // The laptop pairs with the hub (its key read out by its administrator).
    find(&c, "#peer-name")
        .await?
        .send_keys("NTF Guatemala")
        .await?;
    find(&c, "#peer-country")
        .await?
        .select_by_value("GT")
        .await?;
    find(&c, "#peer-url").await?.send_keys(&url).await?;
    // A key with a typo is refused, in words.
    find(&c, "#peer-key").await?.send_keys("abc123").await?;
    click(&c, "#peer-add").await?;
    let err = wait_text(&c, "#peer-error", |t| !t.is_empty()).await?;
    assert!(err.contains("no es una clave de nodo"), "{err}");
    find(&c, "#peer-key").await?.clear().await?;
    find(&c, "#peer-key").await?.send_keys(&hub_key).await?;
    click(&c, "#peer-add").await?;
    find(&c, "tr.peer-row[data-peer='NTF Guatemala']").await?;

    // Sync now: the regional case arrives; the identity does not.
    click(&c, "#sync-now").await?;
    wait_text(&c, "#sync-reports", |t| {
        t.contains("NTF Guatemala: enviados")
    })
    .await?;
    wait_text(
        &c,
        "tr.peer-row[data-peer='NTF Guatemala'] .peer-state",
        |t| t.contains("Al día"),
    )
    .await?;
    wait_text(&c, "#sync-connection", |t| t.contains("En línea")).await?;
    shot(&c, "20-sync-panel").await?;

    click(&c, "#tab-cases").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    click(&c, ".case-row").await?;
    let view = wait_text(&c, "#case-view", |t| t.contains("Reclutamiento en Choloma")).await?;
    assert!(
        !view.contains("Güity"),
        "the victim's identity stayed in Guatemala: {view}"
    );
    find(&c, "#search").await?.send_keys("guity").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("0 de 0")).await?;
    // Emptying the box as a user would (WebDriver's clear fires no input event).
    paste(&c, "#search", "").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    click(&c, ".case-row").await?;
    // Honduras may add a note to Guatemala's case, and nothing else.
    find(&c, "#foreign-note-text")
        .await?
        .send_keys("Confirmamos el reclutamiento en Choloma.")
        .await?;
    click(&c, "#foreign-note-add").await?;
    wait_text(&c, "#case-view", |t| {
        t.contains("Confirmamos el reclutamiento")
    })
    .await?;
    shot(&c, "21-foreign-note").await?;

    // The hub goes away: "sync now" says so in plain words.
    hub.stop();
    click(&c, "#tab-sync").await?;
    click(&c, "#sync-now").await?;
    let said = wait_text(&c, "#sync-reports", |t| {
        t.contains("NTF Guatemala:") && !t.contains("enviados")
    })
    .await?;
    assert!(
        said.contains("No se pudo contactar con NTF Guatemala"),
        "{said}"
    );
    wait_text(&c, "#sync-connection", |t| t.contains("Sin conexión")).await?;
    wait_text(&c, "#connection", |t| t.contains("Sin conexión")).await?;
    let pending = wait_text(
        &c,
        "tr.peer-row[data-peer='NTF Guatemala'] .peer-pending",
        |t| t.trim() == "1",
    )
    .await?;
    assert_eq!(pending.trim(), "1", "the note waits to be sent");
    shot(&c, "22-sync-offline").await?;

    // No network: the note travels in a bundle instead.
    click(&c, "tr.peer-row[data-peer='NTF Guatemala'] .bundle-export").await?;
    let written = wait_text(
        &c,
        "tr.peer-row[data-peer='NTF Guatemala'] .bundle-done",
        |t| t.contains(".enlace"),
    )
    .await?;
    let path = written
        .split_whitespace()
        .find(|w| w.ends_with(".enlace"))
        .context("bundle path")?
        .to_owned();
    let imported = enlace(&hub_dir, &["bundle", "import", &path])?;
    assert!(String::from_utf8_lossy(&imported.stdout).contains("aplicado"));
    let shown: serde_json::Value =
        serde_json::from_slice(&enlace(&hub_dir, &["case", "show", &reference, "--json"])?.stdout)?;
    assert_eq!(
        shown["case"]["notes"][0]["text"], "Confirmamos el reclutamiento en Choloma.",
        "Guatemala's hub got Honduras' note: {shown}"
    );
    // The hub answers with a bundle of its own: a new case for Honduras.
    std::fs::write(
        &file,
        json!({"title": "Caso de Tecún Umán", "classification": "smuggling",
            "audience": {"scope": "regional"}})
        .to_string(),
    )?;
    enlace(
        &hub_dir,
        &["case", "create", "--json", &file.to_string_lossy()],
    )?;
    let usb = tmp.path().join("usb").join("ENLACE");
    std::fs::create_dir_all(&usb)?;
    let back = usb.join("para-corinto.enlace");
    enlace(
        &hub_dir,
        &[
            "bundle",
            "export",
            "--peer",
            "Aduana Corinto",
            "--out",
            &back.to_string_lossy(),
        ],
    )?;
    // The stick is plugged in: the panel finds the bundle meant for it.
    click(&c, "#bundle-look").await?;
    let listed = wait_text(&c, "#bundles-found", |t| {
        t.contains("Paquete 1 de NTF Guatemala")
    })
    .await?;
    assert!(!listed.contains("Ya importado"), "{listed}");
    click(&c, "#bundles-found .bundle-found-import").await?;
    wait_text(&c, "#bundle-done", |t| t.contains("NTF Guatemala")).await?;
    wait_text(&c, "#bundles-found", |t| t.contains("Ya importado")).await?;
    // Importing it again by its path is refused, in words.
    paste(&c, "#bundle-path", &back.to_string_lossy()).await?;
    click(&c, "#bundle-import").await?;
    let again = wait_text(&c, "#bundle-error", |t| !t.is_empty()).await?;
    assert!(again.contains("ya se importó"), "{again}");
    shot(&c, "23-bundle").await?;
    click(&c, "#tab-cases").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("2 de 2")).await?;

    // The hub comes back on the same address: online again.
    let (_hub, _) = Hub::start(&hub_dir, &format!("127.0.0.1:{port}"))?;
    click(&c, "#tab-sync").await?;
    click(&c, "#sync-now").await?;
    wait_text(&c, "#connection", |t| t.contains("En línea")).await?;
    wait_text(
        &c,
        "tr.peer-row[data-peer='NTF Guatemala'] .peer-pending",
        |t| t.trim() == "0",
    )
    .await?;
    // In English too.
    find(&c, "#lang-switch")
        .await?
        .select_by_value("en")
        .await?;
    wait_text(&c, "#connection", |t| t.contains("Online")).await?;
    shot(&c, "24-sync-panel-en").await?;
    find(&c, "#lang-switch")
        .await?
        .select_by_value("es")
        .await?;
    c.close().await?;
    drop(driver);
    Ok(())
}

/// Unlocks the app with the CLI's passphrase (a database `enlace init` made).
async fn unlock_cli_node(c: &Client) -> Result<()> {
    find(c, "#unlock-pass")
        .await?
        .send_keys("frase de acceso del nodo central")
        .await?;
    click(c, "#unlock-submit").await?;
    find(c, "#case-count").await?;
    Ok(())
}

/// "Sync now" once the button is free (a round at unlock may be running);
/// returns the report line.
async fn sync_now(c: &Client, ok: impl Fn(&str) -> bool) -> Result<String> {
    click(c, "#tab-sync").await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !find(c, "#sync-now").await?.is_enabled().await? {
        if Instant::now() > deadline {
            bail!("`sync now` stayed disabled");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    click(c, "#sync-now").await?;
    wait_text(c, "#sync-reports", ok).await
}

/// Clicks the "use this value" button of the concurrent value showing `text`.
async fn choose_concurrent(c: &Client, field: &str, text: &str) -> Result<()> {
    let items = c
        .find_all(Locator::Css(&format!("#conflict-{field} .conflict-value")))
        .await?;
    for item in items {
        if item.text().await?.contains(text) {
            let button = item.find(Locator::Css("button")).await?;
            c.execute(
                "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                vec![serde_json::to_value(&button)?],
            )
            .await?;
            return Ok(());
        }
    }
    bail!("no concurrent value `{text}` for {field}")
}

/// Issue 15: two laptops of one Guatemalan border post, the first
/// listening on the LAN (the app as the office's hub), edit the same case
/// while they cannot reach each other; after sync each shows both edits
/// and the status they set apart, for a person to choose once for both.
#[tokio::test(flavor = "current_thread")]
async fn two_laptops_of_one_post_edit_a_case_apart_and_choose_the_status() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let (one, two) = (tmp.path().join("uno"), tmp.path().join("dos"));
    for (dir, name) in [(&one, "Tecún Umán 1"), (&two, "Tecún Umán 2")] {
        enlace(dir, &["init", "--country", "GT", "--node-name", name])?;
    }
    let key = |dir: &std::path::Path| -> Result<String> {
        let info: serde_json::Value =
            serde_json::from_slice(&enlace(dir, &["node", "show", "--json"])?.stdout)?;
        Ok(info["public_key"].as_str().context("key")?.to_owned())
    };
    let (key_one, key_two) = (key(&one)?, key(&two)?);
    let port = free_port()?.to_string();
    let url = format!("https://127.0.0.1:{port}");
    // Paired both ways; the second laptop knows where the first listens.
    enlace(
        &one,
        &[
            "peer",
            "add",
            "Tecún Umán 2",
            "--key",
            &key_two,
            "--country",
            "GT",
        ],
    )?;
    enlace(
        &two,
        &[
            "peer",
            "add",
            "Tecún Umán 1",
            "--key",
            &key_one,
            "--country",
            "GT",
            "--url",
            &url,
        ],
    )?;
    let file = tmp.path().join("caso.json");
    std::fs::write(
        &file,
        json!({"title": "Grupo retenido en Tecún Umán", "classification": "trafficking",
               "summary": "Cinco personas retenidas en una bodega."})
        .to_string(),
    )?;
    let created = enlace(&one, &["case", "create", "--json", &file.to_string_lossy()])?;
    let reference = String::from_utf8_lossy(&created.stdout)
        .split_whitespace()
        .nth(1)
        .context("reference")?
        .to_owned();

    // The first laptop listens on the LAN, from its sync panel.
    let driver_one = start_driver(&one)?;
    let a = session(&driver_one, &one).await?;
    unlock_cli_node(&a).await?;
    click(&a, "#tab-sync").await?;
    wait_text(&a, "#listen-state", |t| t.contains("No escucha")).await?;
    retype(&a, "#listen-port", &port).await?;
    click(&a, "#listen-on").await?;
    wait_text(&a, "#listen-state", |t| t.contains(&port)).await?;
    shot(&a, "21-sync-listener").await?;

    // The second laptop syncs with it and gets the case.
    let driver_two = start_driver(&two)?;
    let b = session(&driver_two, &two).await?;
    unlock_cli_node(&b).await?;
    sync_now(&b, |t| t.contains("Tecún Umán 1: enviados")).await?;
    // Every screen's status bar says when each last synced.
    for c in [&a, &b] {
        wait_text(c, "#last-sync", |t| t.contains("Última sincronización")).await?;
    }
    click(&b, "#tab-cases").await?;
    wait_text(&b, "#case-count", |t| t.starts_with("1 de 1")).await?;

    // The link goes: the first laptop stops listening.
    click(&a, "#listen-on").await?;
    wait_text(&a, "#listen-state", |t| t.contains("No escucha")).await?;

    // Apart, each edits the case: the first its title and status...
    click(&a, "#tab-cases").await?;
    click(&a, ".case-row").await?;
    click(&a, "#case-edit").await?;
    choose(&a, "#f-status", "under_investigation").await?;
    retype(&a, "#f-title", "Grupo retenido en Tecún Umán, bodega 4").await?;
    wait_text(&a, "#case-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    click(&a, "#editor-close").await?;
    // ...the second its summary and, differently, the status.
    click(&b, ".case-row").await?;
    click(&b, "#case-edit").await?;
    choose(&b, "#f-status", "prosecution").await?;
    retype(&b, "#f-summary", "Cinco personas; dos menores de edad.").await?;
    wait_text(&b, "#case-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    click(&b, "#editor-close").await?;
    let said = sync_now(&b, |t| t.contains("Tecún Umán 1:")).await?;
    assert!(!said.contains("enviados"), "no link, yet it synced: {said}");

    // The link is back: one round merges both ways.
    click(&a, "#tab-sync").await?;
    click(&a, "#listen-on").await?;
    wait_text(&a, "#listen-state", |t| t.contains(&port)).await?;
    sync_now(&b, |t| t.contains("Tecún Umán 1: enviados")).await?;
    click(&b, "#tab-cases").await?;
    click(&b, ".case-row").await?;
    click(&a, "#tab-cases").await?;
    for c in [&b, &a] {
        let view = wait_text(c, "#case-view", |t| {
            t.contains("bodega 4") && t.contains("dos menores de edad")
        })
        .await?;
        assert!(view.contains(&reference), "{view}");
        let conflict = wait_text(c, "#conflict-status", |t| {
            t.contains("En investigación") && t.contains("En acusación fiscal")
        })
        .await?;
        assert!(conflict.contains("Usar este valor"), "{conflict}");
    }
    shot(&b, "22-case-concurrent-status").await?;

    // The second laptop chooses; the choice reaches the first.
    choose_concurrent(&b, "status", "En investigación").await?;
    wait_text(&b, ".badge.status", |t| t.contains("En investigación")).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while b.find(Locator::Css("#conflict-status")).await.is_ok() {
        if Instant::now() > deadline {
            bail!("the chosen status is still shown as concurrent");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sync_now(&b, |t| t.contains("Tecún Umán 1: enviados")).await?;
    wait_text(&a, ".badge.status", |t| t.contains("En investigación")).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while a.find(Locator::Css("#conflict-status")).await.is_ok() {
        if Instant::now() > deadline {
            bail!("the first laptop still shows the status as concurrent");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let history = wait_text(&a, "#history", |t| t.contains("Tecún Umán 2")).await?;
    assert!(history.contains("Tecún Umán 1"), "{history}");

    // The second laptop is stolen: the first revokes it from its sync
    // panel; the thief's next sync is refused.
    click(&a, "#tab-sync").await?;
    click(
        &a,
        "tr.peer-row[data-peer='Tecún Umán 2'] .peer-actions button.link",
    )
    .await?;
    click(&a, "tr.peer-row[data-peer='Tecún Umán 2'] .peer-revoke").await?;
    let revoked = wait_text(&a, "#revocations", |t| {
        t.contains("Tecún Umán 2") && t.contains("siguen valiendo")
    })
    .await?;
    assert!(revoked.contains("revocada por Tecún Umán 1"), "{revoked}");
    shot(&a, "23-sync-revoked").await?;
    let refused = sync_now(&b, |t| t.contains("Tecún Umán 1")).await?;
    assert!(!refused.contains("enviados"), "{refused}");
    a.close().await?;
    b.close().await?;
    drop((driver_one, driver_two));
    Ok(())
}

/// The workplace's shared test data (never committed): `ENLACE_SHARED_DATA`,
/// else `shared/data` beside the checkout or one of its parents, else the
/// workplace's folder. Missing data fails the test.
fn shared_data(rel: &str) -> Result<PathBuf> {
    let mut places: Vec<PathBuf> = std::env::var_os("ENLACE_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for a in std::path::Path::new(env!("CARGO_MANIFEST_DIR")).ancestors() {
        places.push(a.join("shared/data"));
    }
    places.push(PathBuf::from("/work/shared/data"));
    places
        .iter()
        .map(|d| d.join(rel))
        .find(|p| p.exists())
        .with_context(|| format!("the shared test data {rel} is missing (looked in {places:?})"))
}

#[tokio::test(flavor = "current_thread")]
async fn statistics_charts_heat_table_route_map_exact_counts_and_report() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    // A regional unit's node: the demonstration cases and CTDC's 14,299
    // records, imported with the command line.
    enlace(
        &data,
        &[
            "init",
            "--country",
            "HN",
            "--node-name",
            "Unidad de Coordinación Regional",
            "--demo",
        ],
    )?;
    let csv = shared_data("ctdc-cleaned-14299.csv")?;
    enlace(&data, &["dataset", "import", csv.to_str().context("path")?])?;
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    unlock_cli_node(&c).await?;

    click(&c, "#tab-stats").await?;
    // By year: a bar per year, the time series, the total and the note.
    let chart = wait_text(&c, "#stats-table", |t| t.contains("2016")).await?;
    assert!(chart.contains("2018"), "{chart}");
    find(&c, "#stats-timeseries").await?;
    let total = wait_text(&c, "#stats-total", |t| !t.is_empty()).await?;
    assert!(total.chars().any(|ch| ch.is_ascii_digit()), "{total}");
    let note = wait_text(&c, "#stats-note", |t| t.contains("11")).await?;
    assert!(note.contains("ctdc-cleaned-14299.csv"), "{note}");
    shot(&c, "17-statistics-by-year").await?;

    // Citizenship: many small groups hidden, never with a number.
    choose(&c, "#stats-by-1", "citizenship").await?;
    wait_text(&c, "#stats-table", |t| t.contains("Filipinas")).await?;
    let hidden = c
        .find_all(Locator::Css("#stats-table .stats-hidden"))
        .await?;
    assert!(!hidden.is_empty(), "small groups are hidden");
    for h in &hidden {
        let text = h.text().await?;
        assert!(
            text.contains("oculto"),
            "a hidden row says why, without a count: {text}"
        );
        assert!(
            !text.chars().any(|ch| ch.is_ascii_digit()),
            "a hidden row shows no count: {text}"
        );
    }

    // A cross-tabulation: purpose by sex, as a heat table.
    choose(&c, "#stats-by-1", "purpose").await?;
    choose(&c, "#stats-by-2", "gender").await?;
    let heat = wait_text(&c, "#stats-heat", |t| t.contains("Mujer")).await?;
    assert!(heat.contains("Matrimonio forzado"), "{heat}");
    assert!(
        !c.find_all(Locator::Css("#stats-heat .stats-hidden"))
            .await?
            .is_empty(),
        "hidden cells are marked in the heat table"
    );
    shot(&c, "18-statistics-heat-table").await?;

    // The route map: the region drawn, flows from the demo cases' routes.
    c.execute(
        "document.querySelector('#stats-map').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await?;
    let countries = c.find_all(Locator::Css("#stats-map path")).await?;
    assert!(countries.len() > 8, "the region's countries are drawn");
    shot(&c, "19-statistics-route-map").await?;

    // Exact counts: a warning that they are not for publication.
    click(&c, "#stats-exact").await?;
    let warning = wait_text(&c, "#stats-exact-warning", |t| !t.is_empty()).await?;
    assert!(
        warning.contains("auditoría") || warning.contains("publica"),
        "{warning}"
    );
    click(&c, "#stats-exact").await?;

    // The report: a PDF with the tables and the methods note.
    click(&c, "#stats-report").await?;
    wait_text(&c, "#stats-export-done", |t| t.contains(".pdf")).await?;
    let pdf = std::fs::read_dir(data.join("exports"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .context("the report was written")?;
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()?;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Informe estadístico"), "{text}");
    assert!(text.contains("Metodología"));
    assert!(text.contains("ctdc-cleaned-14299.csv"));
    c.close().await?;
    drop(driver);
    Ok(())
}

/// `enlace` with another official's passphrase, and a new one for the
/// official it adds.
fn enlace_as(
    dir: &std::path::Path,
    pass: &str,
    new_pass: &str,
    args: &[&str],
) -> Result<std::process::Output> {
    let out = Command::new(env_path("ENLACE_E2E_CLI")?)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("ENLACE_PASSPHRASE", pass)
        .env("ENLACE_NEW_PASSPHRASE", new_pass)
        .env("LANG", "C.UTF-8")
        .output()?;
    if !out.status.success() {
        bail!(
            "enlace {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

/// Logs in on the unlock screen as `official`.
async fn log_in(c: &Client, official: &str, pass: &str) -> Result<()> {
    let name = find(c, "#unlock-official").await?;
    name.clear().await?;
    name.send_keys(official).await?;
    find(c, "#unlock-pass").await?.send_keys(pass).await?;
    click(c, "#unlock-submit").await?;
    find(c, "#case-count").await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn an_ngo_case_worker_sees_no_identity_the_audit_viewer_lists_it_and_the_idle_lock_closes()
-> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    const ADMIN: &str = "frase de acceso del nodo central";
    const NGO: &str = "frase de la trabajadora de caso";
    // A Guatemalan node with a case whose victim has an identity, and an
    // NGO case worker's account.
    enlace(
        &data,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "Oficina Guatemala",
        ],
    )?;
    let case = json!({
        "title": "Explotación en finca de café",
        "classification": "trafficking",
        "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
        "persons": [{"role": "victim", "age_band": "18-20",
            "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}}]
    });
    let file = tmp.path().join("caso.json");
    std::fs::write(&file, case.to_string())?;
    enlace(
        &data,
        &["case", "create", "--json", &file.to_string_lossy()],
    )?;
    enlace_as(
        &data,
        ADMIN,
        NGO,
        &["user", "add", "Marta Núñez", "--role", "ngo_case_worker"],
    )?;

    let driver = start_driver_with(&data, &[("ENLACE_IDLE_SECONDS", "25")])?;
    let c = session(&driver, &data).await?;

    // The NGO case worker: the case, its victim by pseudonym, no identity.
    log_in(&c, "Marta Núñez", NGO).await?;
    wait_text(&c, "#session-official", |t| t.contains("Marta Núñez")).await?;
    click(&c, ".case-row").await?;
    wait_text(&c, "#case-title", |t| t.contains("finca de café")).await?;
    // The whole page's text, hidden parts too: the name is nowhere in it.
    find(&c, "#identity-withheld li[data-pseudonym='V1']").await?;
    let page = c
        .execute("return document.body.textContent;", vec![])
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(page.contains("V1"), "{page}");
    assert!(
        !page.contains("Ávila"),
        "the victim's name is in the page: {page}"
    );
    assert!(
        c.find(Locator::Css("#officials-tab")).await.is_err()
            && c.find(Locator::Css("#audit-tab")).await.is_err(),
        "an NGO case worker manages no officials and reads no audit log"
    );
    shot(&c, "ngo-case-worker-case").await?;
    // A search by the victim's name finds nothing for her.
    click(&c, "#tab-cases").await?;
    let q = find(&c, "#search").await?;
    q.send_keys("nunez avila").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("0 de")).await?;
    click(&c, "#lock").await?;

    // The administrator: the officials, and the audit log with her login.
    log_in(&c, "admin", ADMIN).await?;
    click(&c, "#officials-tab").await?;
    find(&c, ".official-row[data-name='Marta Núñez']").await?;
    shot(&c, "officials").await?;
    click(&c, "#audit-tab").await?;
    // The chain verified whole.
    find(&c, "#audit-status[data-state='ok']").await?;
    let table = wait_text(&c, "#audit-table", |t| t.contains("Marta Núñez")).await?;
    assert!(table.contains("login"), "{table}");
    shot(&c, "audit-log").await?;

    // Left alone, the window locks: the content leaves the page.
    find(&c, "#unlock-pass").await?;
    assert!(c.find(Locator::Css("#case-count")).await.is_err());
    assert!(c.find(Locator::Css("#audit-table")).await.is_err());
    shot(&c, "idle-locked").await?;
    c.close().await?;
    Ok(())
}

/// "Sync now", then wait until the round has ended (the button is free
/// again) and the report names `peer`: a report already shown from an
/// earlier round does not count.
async fn sync_once_more(c: &Client, peer: &str) -> Result<String> {
    click(c, "#tab-sync").await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let free = || async {
        while !find(c, "#sync-now").await?.is_enabled().await? {
            if Instant::now() > deadline {
                bail!("`sync now` stayed disabled");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    };
    free().await?;
    click(c, "#sync-now").await?;
    // The button is taken while the round runs (a round this small may
    // already be over when it is looked at again).
    tokio::time::sleep(Duration::from_millis(400)).await;
    free().await?;
    wait_text(c, "#sync-reports", |t| t.contains(peer)).await
}

/// Sets a date input's value as a person picking it would.
async fn set_date(c: &Client, css: &str, date: &str) -> Result<()> {
    c.execute(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];
         e.dispatchEvent(new Event('input', {bubbles: true}));
         e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(css), json!(date)],
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_coordinator_grants_one_identity_to_honduras_and_revokes_it() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let hn_dir = tmp.path().join("hn");
    const COORD: &str = "frase de la coordinadora del GTN";
    // Guatemala's hub (the app) with a regional case of two victims, and a
    // coordinator's account.
    enlace(
        &data,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "NTF Guatemala",
            "--node-role",
            "hub",
        ],
    )?;
    let case = json!({
        "title": "Retorno de víctimas a Honduras",
        "classification": "trafficking",
        "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
        "audience": {"scope": "regional"},
        "persons": [
            {"role": "victim", "age_band": "18-20",
             "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}},
            {"role": "victim", "age_band": "21-23",
             "identity": {"given_names": "Ana", "first_surname": "Pérez"}}]
    });
    let file = tmp.path().join("caso.json");
    std::fs::write(&file, case.to_string())?;
    let created = enlace(
        &data,
        &["case", "create", "--json", &file.to_string_lossy()],
    )?;
    let reference = String::from_utf8_lossy(&created.stdout)
        .split_whitespace()
        .nth(1)
        .context("reference")?
        .to_owned();
    enlace_as(
        &data,
        "frase de acceso del nodo central",
        COORD,
        &["user", "add", "Carla Méndez", "--role", "coordinator"],
    )?;
    // Honduras's hub, serving; the two paired.
    enlace(
        &hn_dir,
        &[
            "init",
            "--country",
            "HN",
            "--node-name",
            "NTF Honduras",
            "--node-role",
            "hub",
        ],
    )?;
    let key_of = |dir: &std::path::Path| -> Result<String> {
        let info: serde_json::Value =
            serde_json::from_slice(&enlace(dir, &["node", "show", "--json"])?.stdout)?;
        Ok(info["public_key"].as_str().context("key")?.to_owned())
    };
    let (gt_key, hn_key) = (key_of(&data)?, key_of(&hn_dir)?);
    enlace(
        &hn_dir,
        &[
            "peer",
            "add",
            "NTF Guatemala",
            "--key",
            &gt_key,
            "--country",
            "GT",
        ],
    )?;
    let (mut hub, url) = Hub::start(&hn_dir, "127.0.0.1:0")?;
    let port = url.rsplit(':').next().context("port")?.to_owned();
    enlace(
        &data,
        &[
            "peer",
            "add",
            "NTF Honduras",
            "--key",
            &hn_key,
            "--country",
            "HN",
            "--url",
            &url,
        ],
    )?;

    // The coordinator grants José's identity to Honduras for repatriation.
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    log_in(&c, "Carla Méndez", COORD).await?;
    click(&c, ".case-row").await?;
    wait_text(&c, "#case-title", |t| t.contains("Retorno")).await?;
    find(&c, "#grants-none").await?;
    click(&c, "#grant-new").await?;
    choose(&c, "#grant-person", "V1").await?;
    choose(&c, "#grant-country", "HN").await?;
    choose(&c, "#grant-purpose", "repatriation").await?;
    let until = (chrono::Utc::now() + chrono::TimeDelta::days(60))
        .date_naive()
        .to_string();
    set_date(&c, "#grant-until", &until).await?;
    find(&c, "#grant-reason")
        .await?
        .send_keys("Repatriación a San Pedro Sula acordada con la Cancillería")
        .await?;
    find(&c, "#grant-warning").await?;
    shot(&c, "grant-dialog").await?;
    click(&c, "#grant-submit").await?;
    find(&c, "#grants-list li[data-state='standing']").await?;
    shot(&c, "grants").await?;
    sync_once_more(&c, "NTF Honduras").await?;

    // Honduras holds José's identity, not Ana's, and says where it came from.
    hub.stop();
    let shown: serde_json::Value =
        serde_json::from_slice(&enlace(&hn_dir, &["case", "show", &reference, "--json"])?.stdout)?;
    let ids = shown["identities"].as_array().context("identities")?;
    assert_eq!(ids.len(), 1, "{shown}");
    assert_eq!(ids[0]["identity"]["second_surname"], "Ávila");
    let audit =
        String::from_utf8_lossy(&enlace(&hn_dir, &["audit", "list", "--action", "grant."])?.stdout)
            .into_owned();
    assert!(audit.contains("grant.received"), "{audit}");
    let (_hub, _) = Hub::start(&hn_dir, &format!("127.0.0.1:{port}"))?;

    // Revoked, then corrected: the correction stays in Guatemala.
    click(&c, "#tab-cases").await?;
    click(&c, ".case-row").await?;
    click(&c, ".grant-revoke").await?;
    find(&c, "#grant-revoke-text").await?;
    click(&c, "#grant-revoke-confirm").await?;
    find(&c, "#grants-list li[data-state='revoked']").await?;
    click(&c, "#case-edit").await?;
    retype(&c, "#f-persons-0-id-given", "José Corregido").await?;
    wait_text(&c, "#case-save-state", |t| {
        t.contains("Guardado en este equipo")
    })
    .await?;
    click(&c, "#editor-close").await?;
    sync_once_more(&c, "NTF Honduras").await?;

    // The audit viewer lists the grant and its revocation.
    click(&c, "#audit-tab").await?;
    let table = wait_text(&c, "#audit-table", |t| t.contains("grant.revoke")).await?;
    assert!(table.contains("grant.add"), "{table}");
    shot(&c, "grants-audit").await?;
    c.close().await?;
    drop(driver);
    drop(_hub);
    let shown: serde_json::Value =
        serde_json::from_slice(&enlace(&hn_dir, &["case", "show", &reference, "--json"])?.stdout)?;
    assert_eq!(
        shown["identities"][0]["identity"]["given_names"], "José",
        "the correction made after the revocation did not travel: {shown}"
    );
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_case_shows_the_standards_fields_and_opens_the_case_it_links() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    enlace(
        &data,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "Fiscalía contra la Trata",
        ],
    )?;
    let create = |body: serde_json::Value| -> Result<String> {
        let file = tmp.path().join("caso.json");
        std::fs::write(&file, body.to_string())?;
        let out = enlace(
            &data,
            &["case", "create", "--json", &file.to_string_lossy()],
        )?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .context("reference")?
            .to_owned())
    };
    let other = create(json!({"title": "Albergue clandestino en Mazatenango",
        "classification": "trafficking"}))?;
    create(json!({
        "title": "Explotación sexual en línea y cruce irregular",
        "classification": "both",
        "acts": ["recruitment"], "means": ["deception"],
        "purposes": ["sexual_exploitation", "forced_marriage"],
        "persons": [{"role": "victim"}, {"role": "suspect", "process_roles": ["recruiter", "smuggler"]}],
        "links": [{"reference": other, "relation": "same_network", "note": "Mismo captador"},
                  {"reference": "HN-2026-0007", "relation": "same_victim"}],
        "standard": {"sexual_exploitation": ["remote_interactive_services"],
                     "trafficking_status": "actual", "trafficking_status_by": "OIM Guatemala",
                     "smuggling": {"material_benefit": true, "illegal_entry": true}}
    }))?;
    let driver = start_driver(&data)?;
    let c = session(&driver, &data).await?;
    unlock_cli_node(&c).await?;
    retype(&c, "#search", "explotacion en linea").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de")).await?;
    click(&c, ".case-row").await?;
    let standard = wait_text(&c, "#case-standard", |t| t.contains("OIM Guatemala")).await?;
    assert!(
        standard.contains("Servicios sexuales interactivos"),
        "{standard}"
    );
    let links = wait_text(&c, "#case-links", |t| t.contains("Mazatenango")).await?;
    assert!(links.contains("este nodo no guarda ese caso"), "{links}");
    c.execute(
        "document.querySelector('#case-standard').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await?;
    shot(&c, "case-standards-and-links").await?;
    click(&c, "#case-links .linked-case").await?;
    wait_text(&c, "#case-title", |t| t.contains("Mazatenango")).await?;
    let from = wait_text(&c, "#case-linked-from", |t| {
        t.contains("Explotación sexual")
    })
    .await?;
    assert!(
        from.contains("Mismo captador") || from.contains("red"),
        "{from}"
    );
    c.close().await?;
    Ok(())
}

/// The app with its clock `offset` ahead (libfaketime, as the sync tests
/// use it: the wall clock only, never the monotonic one).
fn start_driver_at(data: &std::path::Path, offset: &str) -> Result<Driver> {
    let lib = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    if !std::path::Path::new(lib).exists() {
        bail!("{lib} is missing: `cargo xtask setup` installs faketime");
    }
    start_driver_with(
        data,
        &[
            ("LD_PRELOAD", lib),
            ("FAKETIME", offset),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
        ],
    )
}

/// The border-post story (issue 17): a victim recorded with a first risk
/// assessment, critical; ten days later the review is overdue in the list
/// and the case; a review recorded; a referral to a fictional shelter with
/// her consent and its letter; the case file printed in English; both read
/// back — the risk in the file, the victim's name in neither — and both
/// printings audited.
#[tokio::test(flavor = "current_thread")]
async fn a_border_post_assesses_a_victims_risk_reviews_it_when_due_and_prints_the_file()
-> Result<()> {
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    enlace(
        &data,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "Puesto Tecún Umán",
            "--node-role",
            "border_post",
        ],
    )?;
    // The shelter the post refers victims to, in the country's directory.
    let added = enlace(
        &data,
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
            "--reliability",
            "B",
            "--json",
        ],
    )?;
    let added: serde_json::Value = serde_json::from_slice(&added.stdout)?;
    let shelter = added["agency"]["id"]
        .as_str()
        .context("the new agency's id")?
        .to_owned();
    let unlock = |c: Client| async move {
        find(&c, "#unlock-pass")
            .await?
            .send_keys("frase de acceso del nodo central")
            .await?;
        click(&c, "#unlock-submit").await?;
        find(&c, "#case-count").await?;
        Ok::<Client, anyhow::Error>(c)
    };

    // Today, offline at the post: the victim and her first assessment.
    {
        let driver = start_driver(&data)?;
        let c = unlock(session(&driver, &data).await?).await?;
        click(&c, "#case-new").await?;
        find(&c, "#case-editor").await?;
        retype(&c, "#f-title", "Joven retenida en bodega de Tecún Umán").await?;
        choose(&c, "#f-classification", "trafficking").await?;
        click(&c, "#f-acts input").await?;
        click(&c, "#f-purposes input").await?;
        click(&c, "#add-person-victim").await?;
        choose(&c, "#f-persons-0-age", "18-20").await?;
        click(&c, "#g-persons .person-edit:nth-of-type(1) summary").await?;
        retype(&c, "#f-persons-0-id-given", "María de los Ángeles").await?;
        retype(&c, "#f-persons-0-id-first", "Güity").await?;
        click(&c, "#f-persons-0-risk-toggle").await?;
        choose(&c, "#f-persons-0-risk-level", "critical").await?;
        retype(
            &c,
            "#f-persons-0-risk-assessor",
            "Inspectora Núñez, Migración",
        )
        .await?;
        click(&c, "#f-persons-0-risk-threats input").await?;
        retype(
            &c,
            "#f-persons-0-risk-measures-taken",
            "Traslado a albergue; contacto con la familia suspendido",
        )
        .await?;
        shot(&c, "risk-first-assessment").await?;
        click(&c, "#case-create").await?;
        find(&c, "#case-view").await?;
        let entry = find(&c, "[data-testid=risk-V1] [data-testid=risk-entry]").await?;
        assert_eq!(entry.attr("data-level").await?.as_deref(), Some("critical"));
        let state = find(&c, "[data-testid=risk-V1] [data-testid=risk-review-state]").await?;
        assert_eq!(state.attr("data-state").await?.as_deref(), Some("due_soon"));
        c.close().await?;
    }

    // Ten days later (the laptop's clock moved): the review is overdue.
    let driver = start_driver_at(&data, "+10d")?;
    let c = unlock(session(&driver, &data).await?).await?;
    let mark = find(&c, ".case-row [data-testid=review-mark]").await?;
    assert_eq!(mark.attr("data-state").await?.as_deref(), Some("overdue"));
    click(&c, "[data-testid=filter-review-due]").await?;
    wait_text(&c, "#case-count", |t| t.starts_with("1 de 1")).await?;
    shot(&c, "risk-overdue-list").await?;
    click(&c, ".case-row").await?;
    find(&c, "#case-view").await?;
    let state = find(&c, "[data-testid=risk-V1] [data-testid=risk-review-state]").await?;
    assert_eq!(state.attr("data-state").await?.as_deref(), Some("overdue"));
    find(&c, "[data-testid=risk-V1] [data-testid=risk-overdue]").await?;
    shot(&c, "risk-overdue-case").await?;

    // The review: high now; the first is kept.
    click(&c, "[data-testid=risk-V1] [data-testid=risk-new]").await?;
    choose(&c, "[data-testid=risk-level]", "high").await?;
    retype(
        &c,
        "[data-testid=risk-assessor]",
        "Inspectora Núñez, Migración",
    )
    .await?;
    click(&c, "[data-testid=risk-save]").await?;
    wait_text(
        &c,
        "[data-testid=risk-V1] [data-testid=risk-review-state]",
        |t| !t.is_empty(),
    )
    .await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = find(&c, "[data-testid=risk-V1] [data-testid=risk-review-state]")
            .await?
            .attr("data-state")
            .await?;
        if s.as_deref() == Some("scheduled") {
            break;
        }
        if Instant::now() > deadline {
            bail!("the review did not settle the due date: {s:?}");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let entry = find(&c, "[data-testid=risk-V1] [data-testid=risk-entry]").await?;
    assert_eq!(entry.attr("data-level").await?.as_deref(), Some("high"));
    c.execute(
        "document.querySelector('[data-testid=risk]').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await?;
    shot(&c, "risk-reviewed").await?;

    // A referral to the shelter, with her consent, and its letter.
    click(&c, "[data-testid=referral-new]").await?;
    find(
        &c,
        &format!("[data-testid=referral-agency] option[value='{shelter}']"),
    )
    .await?;
    choose(&c, "[data-testid=referral-agency]", &shelter).await?;
    retype(
        &c,
        "[data-testid=referral-reason]",
        "Necesita un albergue seguro y atención psicológica",
    )
    .await?;
    let consent = find(&c, "[data-testid=referral-consent]").await?;
    assert!(consent.is_selected().await?, "consent is the default");
    click(&c, "[data-testid=referral-save]").await?;
    let row = find(&c, "[data-testid=referral-row]").await?;
    assert_eq!(
        row.attr("data-status").await?.as_deref(),
        Some("in_progress")
    );
    assert_eq!(row.attr("data-pseudonym").await?.as_deref(), Some("V1"));
    wait_text(&c, "[data-testid=referral-consent-line]", |t| {
        t == "Con consentimiento"
    })
    .await?;
    c.execute(
        "document.querySelector('[data-testid=referrals]').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await?;
    shot(&c, "referral").await?;
    click(&c, "[data-testid=referral-letter]").await?;
    click(&c, "[data-testid=referral-letter-generate]").await?;
    find(&c, "[data-testid=referral-letter-done]").await?;
    click(&c, "#referral-letter-dialog .dialog-actions button.outline").await?;
    let exports = data.join("exports");
    let letter = pdf_text(&exports, "carta-de-referencia")?;
    for expected in [
        "Albergue Casa Alba (ficticio)",
        "V1",
        "Necesita un albergue seguro y atención psicológica",
    ] {
        assert!(letter.contains(expected), "«{expected}» missing: {letter}");
    }
    assert!(
        !letter.contains("Güity"),
        "no identity in the letter: {letter}"
    );

    // The case file, in English on Letter paper.
    choose(&c, "#lang-switch", "en").await?;
    click(&c, "[data-testid=case-file]").await?;
    choose(&c, "[data-testid=case-file-lang]", "en").await?;
    choose(&c, "[data-testid=case-file-paper]", "letter").await?;
    click(&c, "[data-testid=case-file-generate]").await?;
    find(&c, "[data-testid=case-file-done]").await?;
    let text = pdf_text(&exports, "case-file")?;
    for expected in [
        "Case file GT-",
        "Joven retenida en bodega de Tecún Umán",
        "Victims' risk",
        "High",
        "V1",
    ] {
        assert!(text.contains(expected), "«{expected}» missing: {text}");
    }
    assert!(!text.contains("Güity"), "no identity in the file: {text}");
    assert!(!text.contains("REVIEW OVERDUE"), "reviewed: {text}");
    // Nothing is due any more on the country's list.
    click(&c, "#reviews-tab").await?;
    find(&c, "#reviews-none").await?;
    // The directory finds the shelter by a word typed without its accent
    // (Spanish again: the app's language is kept per data directory).
    choose(&c, "#lang-switch", "es").await?;
    click(&c, "#tab-agencies").await?;
    retype(&c, "[data-testid=agency-search]", "psicologica").await?;
    wait_text(&c, "#agency-count", |t| t.starts_with('1')).await?;
    let row = find(&c, "[data-testid=agency-row]").await?;
    assert_eq!(
        row.attr("data-id").await?.as_deref(),
        Some(shelter.as_str())
    );
    shot(&c, "directory").await?;
    c.close().await?;
    drop(driver);
    // Printing is in the audit log.
    let audit = enlace(
        &data,
        &["audit", "list", "--action", "report.case_file", "--json"],
    )?;
    let entries: serde_json::Value = serde_json::from_slice(&audit.stdout)?;
    assert_eq!(entries.as_array().map(Vec::len), Some(1), "{entries}");
    let audit = enlace(
        &data,
        &[
            "audit",
            "list",
            "--action",
            "report.referral_letter",
            "--json",
        ],
    )?;
    let entries: serde_json::Value = serde_json::from_slice(&audit.stdout)?;
    assert_eq!(entries.as_array().map(Vec::len), Some(1), "{entries}");
    Ok(())
}

/// The text of the one PDF in `dir` whose name starts with `prefix`, its
/// whitespace folded to single spaces.
fn pdf_text(dir: &std::path::Path, prefix: &str) -> Result<String> {
    let pdf = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.extension().is_some_and(|x| x == "pdf")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
        })
        .with_context(|| format!("a PDF named {prefix}… in {}", dir.display()))?;
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output()?;
    if !out.status.success() {
        bail!(
            "pdftotext {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}
