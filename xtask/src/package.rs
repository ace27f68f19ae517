//! `cargo xtask package [--check]`: the Debian package an NTF office
//! installs, made by Tauri's bundler (the desktop app, its desktop entry and
//! icons, the dependencies it links against) with the `enlace` command as
//! an external binary and the hub's systemd unit, account and folders
//! (packaging/). `--check` installs it with apt on a clean Debian root made
//! by debootstrap (a chroot, cached under ~/.cache/enlace/chroot), then
//! runs there a hub from the unit's own command line and user, syncs an
//! office node with it, and starts the app on a virtual display.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{Xvfb, cargo, home, root, run, step, target_dir};
use crate::setup::{build_ui, ensure_npm, ensure_system};

/// The Debian release the package is built for and checked on (the
/// machine's own: the binaries link against its libraries).
const SUITE: &str = "bookworm";
const MIRROR: &str = "http://deb.debian.org/debian";

pub(crate) fn main(args: &[String]) -> Result<()> {
    let deb = build()?;
    if args.iter().any(|a| a == "--check") {
        check(&deb)?;
    }
    Ok(())
}

fn output(cmd: &mut Command) -> Result<String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    if !out.status.success() {
        bail!("{shown} failed with {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn version() -> Result<String> {
    let conf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        root().join("src-tauri/tauri.conf.json"),
    )?)?;
    conf["version"]
        .as_str()
        .map(str::to_owned)
        .context("src-tauri/tauri.conf.json has no version")
}

/// Builds the package; returns its path (under `<target>/package/`).
pub(crate) fn build() -> Result<PathBuf> {
    ensure_system()?;
    ensure_npm()?;
    build_ui()?;
    let root = root();
    step("release build of the `enlace` command");
    run(Command::new(cargo())
        .args(["build", "--release", "--package", "enlace-cli"])
        .current_dir(&root))?;
    let triple = output(Command::new("rustc").arg("-vV"))?
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .context("rustc -vV names no host")?;
    let bin = target_dir().join("package/bin");
    std::fs::create_dir_all(&bin)?;
    std::fs::copy(
        target_dir().join("release/enlace"),
        bin.join(format!("enlace-{triple}")),
    )?;

    step("tauri build --bundles deb (release build of the app, then the package)");
    let version = version()?;
    let arch = output(Command::new("dpkg").arg("--print-architecture"))?
        .trim()
        .to_owned();
    let made = target_dir().join(format!("release/bundle/deb/Enlace_{version}_{arch}.deb"));
    let _ = std::fs::remove_file(&made);
    // The command goes in as an external binary (installed beside the app
    // as /usr/bin/enlace); given here, not in tauri.conf.json, so that a
    // plain `cargo build` of the app does not need it built first.
    let config = serde_json::json!({ "bundle": { "externalBin": [bin.join("enlace")] } });
    run(Command::new(root.join("ui/node_modules/.bin/tauri"))
        .args(["build", "--ci", "--bundles", "deb", "--config"])
        .arg(config.to_string())
        .current_dir(root.join("src-tauri")))?;
    if !made.exists() {
        bail!("tauri build made no {}", made.display());
    }
    let deb = target_dir().join(format!("package/enlace_{version}_{arch}.deb"));
    std::fs::copy(&made, &deb)?;
    inspect(&deb)?;
    let size = std::fs::metadata(&deb)?.len();
    eprintln!(
        "package: {} ({:.1} MiB)",
        deb.display(),
        size as f64 / 1048576.0
    );
    Ok(deb)
}

/// What the package must hold and declare.
fn inspect(deb: &Path) -> Result<()> {
    let files = output(Command::new("dpkg-deb").arg("--contents").arg(deb))?;
    let holds = |path: &str| files.lines().any(|l| l.trim_end().ends_with(path));
    for path in [
        "usr/bin/enlace-app",
        "usr/bin/enlace",
        "usr/share/applications/Enlace.desktop",
        "usr/share/icons/hicolor/128x128/apps/enlace-app.png",
        "usr/lib/systemd/system/enlace-hub.service",
        "usr/share/doc/enlace/README.Debian",
        "usr/share/doc/enlace/hub.env.example",
    ] {
        if !holds(path) {
            bail!("the package lacks {path}:\n{files}");
        }
    }
    let depends = output(
        Command::new("dpkg-deb")
            .arg("--field")
            .arg(deb)
            .arg("Depends"),
    )?;
    for dep in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        if !depends.contains(dep) {
            bail!("the package does not depend on {dep}: {depends}");
        }
    }
    let scripts = output(Command::new("dpkg-deb").arg("--info").arg(deb))?;
    if !scripts.contains("postinst") || !scripts.contains("prerm") {
        bail!("the package has no postinst/prerm:\n{scripts}");
    }
    eprintln!(
        "holds the app, `enlace`, the desktop entry, icons and the hub unit; depends: {}",
        depends.trim()
    );
    Ok(())
}

/// File systems mounted into the clean root, unmounted (innermost first)
/// on drop, also when a check fails.
struct Mounts(Vec<PathBuf>);

impl Mounts {
    fn bind(&mut self, from: &Path, to: &Path) -> Result<()> {
        std::fs::create_dir_all(to)?;
        run(Command::new("mount").arg("--bind").arg(from).arg(to))?;
        self.0.push(to.to_path_buf());
        Ok(())
    }

    fn proc(&mut self, to: &Path) -> Result<()> {
        std::fs::create_dir_all(to)?;
        run(Command::new("mount").args(["-t", "proc", "proc"]).arg(to))?;
        self.0.push(to.to_path_buf());
        Ok(())
    }
}

impl Drop for Mounts {
    fn drop(&mut self) {
        for m in self.0.iter().rev() {
            let _ = Command::new("umount").arg("--lazy").arg(m).status();
        }
    }
}

/// Mount points at or under `dir` (from a run that was killed).
fn mounts_under(dir: &Path) -> Result<Vec<String>> {
    let prefix = dir.to_string_lossy().into_owned();
    Ok(std::fs::read_to_string("/proc/self/mounts")?
        .lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter(|m| *m == prefix || m.starts_with(&format!("{prefix}/")))
        .map(str::to_owned)
        .collect())
}

/// Removes a clean root left by an earlier run, never crossing into a
/// mounted file system.
fn clear(dir: &Path) -> Result<()> {
    let mut left = mounts_under(dir)?;
    left.sort_by_key(|m| std::cmp::Reverse(m.len()));
    for m in &left {
        let _ = Command::new("umount").arg("--lazy").arg(m).status();
    }
    if !mounts_under(dir)?.is_empty() {
        bail!(
            "{} still has file systems mounted in it; unmount them first",
            dir.display()
        );
    }
    if dir.exists() {
        run(Command::new("rm")
            .args(["-rf", "--one-file-system"])
            .arg(dir))?;
    }
    Ok(())
}

/// A minimal Debian root, made once and kept as a pristine copy.
fn base_root() -> Result<PathBuf> {
    let cache = home().join(".cache/enlace/chroot");
    let base = cache.join(format!("{SUITE}-minbase"));
    if base.join("etc/os-release").exists() && base.join("var/lib/dpkg/status").exists() {
        return Ok(base);
    }
    step(&format!(
        "debootstrap --variant=minbase {SUITE} (once; kept in {})",
        cache.display()
    ));
    let tmp = cache.join(format!("{SUITE}-minbase.tmp"));
    clear(&tmp)?;
    std::fs::create_dir_all(&cache)?;
    run(Command::new("debootstrap")
        .args(["--variant=minbase", SUITE])
        .arg(&tmp)
        .arg(MIRROR))?;
    std::fs::write(
        tmp.join("etc/apt/sources.list"),
        format!(
            "deb {MIRROR} {SUITE} main\ndeb {MIRROR} {SUITE}-updates main\ndeb http://deb.debian.org/debian-security {SUITE}-security main\n"
        ),
    )?;
    clear(&base)?;
    std::fs::rename(&tmp, &base)?;
    Ok(base)
}

/// A command run inside the clean root (as root unless `user` is given).
fn inside(r: &Path, user: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut c = Command::new("chroot");
    if let Some(u) = user {
        c.arg(format!("--userspec={u}:{u}"))
            .arg(format!("--groups={u}"));
    }
    c.arg(r).args([
        "env",
        "-i",
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG=C.UTF-8",
    ]);
    for (k, v) in env {
        c.arg(format!("{k}={v}"));
    }
    c.args(args);
    c
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// How systemd would run the hub: its user, environment and command line.
struct UnitCommand {
    user: String,
    env: Vec<(String, String)>,
    argv: Vec<String>,
}

/// The unit's service user, environment (Environment= then the
/// EnvironmentFile as written in the root) and ExecStart with its
/// variables expanded, as systemd would run it.
fn unit_command(r: &Path) -> Result<UnitCommand> {
    let unit = std::fs::read_to_string(r.join("usr/lib/systemd/system/enlace-hub.service"))?;
    let mut user = None;
    let mut env: Vec<(String, String)> = vec![];
    let mut exec = None;
    let set = |env: &mut Vec<(String, String)>, line: &str| {
        if let Some((k, v)) = line.split_once('=') {
            env.retain(|(x, _)| x != k.trim());
            env.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    };
    for line in unit.lines().map(str::trim) {
        if let Some(u) = line.strip_prefix("User=") {
            user = Some(u.to_owned());
        } else if let Some(e) = line.strip_prefix("Environment=") {
            set(&mut env, e);
        } else if let Some(f) = line.strip_prefix("EnvironmentFile=") {
            let path = f.trim_start_matches('-').trim_start_matches('/');
            let text = std::fs::read_to_string(r.join(path))
                .with_context(|| format!("the unit's EnvironmentFile {f}"))?;
            for l in text.lines().map(str::trim) {
                if !l.is_empty() && !l.starts_with('#') {
                    set(&mut env, l);
                }
            }
        } else if let Some(e) = line.strip_prefix("ExecStart=") {
            exec = Some(e.to_owned());
        }
    }
    let exec = exec.context("the unit has no ExecStart")?;
    let argv = exec
        .split_whitespace()
        .map(|w| {
            let mut w = w.to_owned();
            for (k, v) in &env {
                w = w.replace(&format!("${{{k}}}"), v);
            }
            w
        })
        .collect::<Vec<_>>();
    if argv.iter().any(|a| a.contains("${")) {
        bail!("the unit's ExecStart names a variable it does not set: {exec}");
    }
    Ok(UnitCommand {
        user: user.context("the unit runs as no User")?,
        env,
        argv,
    })
}

/// Installs the package on a clean root and runs what it installed.
pub(crate) fn check(deb: &Path) -> Result<()> {
    if output(Command::new("id").arg("-u"))?.trim() != "0" {
        bail!(
            "checking the package on a clean root needs root (chroot, mount): run `sudo cargo xtask package --check`"
        );
    }
    let started = Instant::now();
    let base = base_root()?;
    let r = target_dir().join("package/root");
    clear(&r)?;
    step("a clean root: copy of the pristine one");
    run(Command::new("cp").arg("-a").arg(&base).arg(&r))?;
    let mut mounts = Mounts(vec![]);
    mounts.proc(&r.join("proc"))?;
    mounts.bind(Path::new("/dev"), &r.join("dev"))?;
    mounts.bind(Path::new("/dev/pts"), &r.join("dev/pts"))?;
    mounts.bind(Path::new("/sys"), &r.join("sys"))?;
    let archives = home().join(".cache/enlace/chroot/archives");
    std::fs::create_dir_all(archives.join("partial"))?;
    mounts.bind(&archives, &r.join("var/cache/apt/archives"))?;
    std::fs::copy("/etc/resolv.conf", r.join("etc/resolv.conf"))?;
    // Nothing the package installs starts as a service in the chroot.
    std::fs::write(r.join("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n")?;
    run(Command::new("chmod")
        .arg("755")
        .arg(r.join("usr/sbin/policy-rc.d")))?;
    std::fs::copy(deb, r.join("tmp/enlace.deb"))?;

    step("apt install ./enlace.deb on the clean root");
    let apt_env = [("DEBIAN_FRONTEND", "noninteractive")];
    run(&mut inside(
        &r,
        None,
        &apt_env,
        &["apt-get", "-q", "update"],
    ))?;
    run(&mut inside(
        &r,
        None,
        &apt_env,
        &[
            "apt-get",
            "-q",
            "-y",
            "--no-install-recommends",
            "install",
            "/tmp/enlace.deb",
        ],
    ))?;
    let status = output(&mut inside(
        &r,
        None,
        &[],
        &["dpkg-query", "-W", "-f=${Status} ${Version}", "enlace"],
    ))?;
    if !status.starts_with("install ok installed") {
        bail!("dpkg says the package is {status}");
    }
    eprintln!("installed: {status}");
    for (path, mode, owner) in [
        ("var/lib/enlace-hub", "700", "enlace:enlace"),
        ("etc/enlace", "750", "root:enlace"),
        ("etc/enlace/hub.env", "640", "root:enlace"),
    ] {
        let got = output(&mut inside(
            &r,
            None,
            &[],
            &["stat", "-c", "%a %U:%G", &format!("/{path}")],
        ))?;
        if got.trim() != format!("{mode} {owner}") {
            bail!("/{path} is {} (wanted {mode} {owner})", got.trim());
        }
    }
    run(Command::new("desktop-file-validate").arg(r.join("usr/share/applications/Enlace.desktop")))?;
    run(Command::new("systemd-analyze")
        .arg("verify")
        .arg(format!("--root={}", r.display()))
        .arg("enlace-hub.service"))?;
    eprintln!("account, folders, desktop entry and unit as they should be");

    hub_and_office(&r)?;
    app_starts(&r, &mut mounts)?;

    step("apt remove keeps the data");
    run(&mut inside(
        &r,
        None,
        &apt_env,
        &["apt-get", "-q", "-y", "remove", "enlace"],
    ))?;
    if r.join("usr/bin/enlace").exists() || !r.join("var/lib/enlace-hub/enlace.db").exists() {
        bail!("after apt remove: the command should be gone and the hub's database stay");
    }
    drop(mounts);
    // The root is about 600 MB: gone once checked (the pristine copy and
    // the downloaded packages stay in the cache).
    clear(&r)?;
    eprintln!(
        "the package installs, serves, syncs, starts and uninstalls on a clean {SUITE} root ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

const HUB_PASS: &str = "frase del hub de Tegucigalpa";
const OFFICE_PASS: &str = "frase de la oficina de San Pedro Sula";

fn node_key(r: &Path, user: Option<&str>, dir: &str, pass: &str) -> Result<String> {
    let json = output(&mut inside(
        r,
        user,
        &[("ENLACE_DATA_DIR", dir), ("ENLACE_PASSPHRASE", pass)],
        &["enlace", "node", "show", "--json"],
    ))?;
    let v: serde_json::Value = serde_json::from_str(&json)?;
    v["public_key"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("`enlace node show --json` gave no public_key: {json}"))
}

/// A hub run as the unit runs it, and an office node syncing a case to it.
fn hub_and_office(r: &Path) -> Result<()> {
    step("the hub: `enlace init` as its account, then the unit's command line");
    let hub_dir = "/var/lib/enlace-hub";
    let hub_env = [
        ("ENLACE_DATA_DIR", hub_dir),
        ("ENLACE_PASSPHRASE", HUB_PASS),
    ];
    run(&mut inside(
        r,
        Some("enlace"),
        &hub_env,
        &[
            "enlace",
            "init",
            "--country",
            "HN",
            "--node-name",
            "Hub Tegucigalpa",
        ],
    ))?;
    let port = free_port()?;
    std::fs::write(
        r.join("etc/enlace/hub.env"),
        format!(
            "ENLACE_PASSPHRASE={HUB_PASS}\nENLACE_LISTEN=127.0.0.1:{port}\nENLACE_INTERVAL=5\n"
        ),
    )?;
    let UnitCommand { user, env, argv } = unit_command(r)?;
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let argv_ref: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut serve = Served(
        inside(r, Some(&user), &env_ref, &argv_ref)
            .stderr(Stdio::piped())
            .spawn()
            .context("could not start the hub")?,
    );
    let stderr = serve.0.stderr.take().context("the hub's stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("  hub: {line}");
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if let Ok(Some(st)) = serve.0.try_wait() {
            bail!("the hub exited with {st} before listening");
        }
        if Instant::now() > deadline {
            bail!("the hub did not listen on 127.0.0.1:{port} within 60 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(rx);

    step("an office node pairs with the hub, records a case and syncs");
    let office_dir = "/root/oficina";
    let office_env = [
        ("ENLACE_DATA_DIR", office_dir),
        ("ENLACE_PASSPHRASE", OFFICE_PASS),
        ("HOME", "/root"),
    ];
    run(&mut inside(
        r,
        None,
        &office_env,
        &[
            "enlace",
            "init",
            "--country",
            "HN",
            "--node-name",
            "Oficina San Pedro Sula",
        ],
    ))?;
    let hub_key = node_key(r, Some("enlace"), hub_dir, HUB_PASS)?;
    let office_key = node_key(r, None, office_dir, OFFICE_PASS)?;
    run(&mut inside(
        r,
        None,
        &office_env,
        &[
            "enlace",
            "peer",
            "add",
            "hub",
            "--key",
            &hub_key,
            "--country",
            "HN",
            "--url",
            &format!("https://127.0.0.1:{port}"),
        ],
    ))?;
    run(&mut inside(
        r,
        Some("enlace"),
        &hub_env,
        &[
            "enlace",
            "peer",
            "add",
            "oficina",
            "--key",
            &office_key,
            "--country",
            "HN",
        ],
    ))?;
    let case = serde_json::json!({
        "title": "Rescate en Choloma: José Núñez Ávila",
        "summary": "Registrado en la oficina; comprobación del paquete.",
        "persons": [{"role": "victim", "nationality": "HN", "identity": {
            "given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"
        }}],
    });
    std::fs::write(r.join("root/caso.json"), case.to_string())?;
    run(&mut inside(
        r,
        None,
        &office_env,
        &["enlace", "case", "create", "--json", "/root/caso.json"],
    ))?;
    run(&mut inside(
        r,
        None,
        &office_env,
        &["enlace", "sync", "--peer", "hub"],
    ))?;
    let list = output(&mut inside(
        r,
        Some("enlace"),
        &hub_env,
        &["enlace", "case", "list", "--query", "Choloma", "--json"],
    ))?;
    if !list.contains("Rescate en Choloma") {
        bail!("the hub does not hold the office's case after sync: {list}");
    }
    eprintln!("the hub holds the office's case");

    step("SIGTERM stops the hub cleanly");
    run(Command::new("kill").args(["-TERM", &serve.0.id().to_string()]))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = serve.0.try_wait()? {
            break st;
        }
        if Instant::now() > deadline {
            bail!("the hub did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if !status.success() {
        bail!("the hub exited with {status} on SIGTERM (wanted 0)");
    }
    Ok(())
}

/// A child killed if it still runs when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the installed app under a virtual display and looks at it.
fn app_starts(r: &Path, mounts: &mut Mounts) -> Result<()> {
    step("the installed app starts on a virtual display");
    let xvfb = Xvfb::start()?;
    mounts.bind(Path::new("/tmp/.X11-unix"), &r.join("tmp/.X11-unix"))?;
    let display = xvfb.display.clone();
    let mut app = Served(
        inside(
            r,
            None,
            &[
                ("DISPLAY", &display),
                ("HOME", "/root"),
                ("ENLACE_SOFTWARE_PAINT", "1"),
            ],
            &["enlace-app"],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("could not start the app")?,
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let tree = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", &display])
            .output()?;
        if String::from_utf8_lossy(&tree.stdout).contains("\"Enlace\"") {
            break;
        }
        if let Some(st) = app.0.try_wait()? {
            bail!("the app exited with {st} before showing its window");
        }
        if Instant::now() > deadline {
            bail!("no window titled Enlace within 90 s");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    // Let the web view paint its first screen (setup: no data yet).
    std::thread::sleep(Duration::from_secs(8));
    if let Some(st) = app.0.try_wait()? {
        bail!("the app exited with {st} after showing its window");
    }
    let shot = target_dir().join("package/app-installed.png");
    run(Command::new("import")
        .args(["-display", &display, "-window", "root"])
        .arg(&shot))?;
    let colours: u64 = output(Command::new("identify").args(["-format", "%k"]).arg(&shot))?
        .trim()
        .parse()
        .context("identify gave no colour count")?;
    // A window that painted nothing is one or two colours; the setup
    // screen has text, fields and buttons (anti-aliased: hundreds).
    if colours < 50 {
        bail!(
            "the app's window shows {colours} colours: it painted nothing ({})",
            shot.display()
        );
    }
    eprintln!(
        "the app shows its window ({colours} colours): {}",
        shot.display()
    );
    drop(app);
    drop(xvfb);
    Ok(())
}
