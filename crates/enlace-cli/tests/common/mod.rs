//! What the `enlace` integration tests share: the real binary run on a
//! data directory with the test passphrase.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub const PASS: &str = "frase de acceso de prueba";

/// `enlace --data-dir DIR ARGS…`, in Spanish, with the test passphrase.
pub fn enlace(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_enlace"));
    c.arg("--data-dir").arg(dir).args(args);
    c.env("ENLACE_PASSPHRASE", PASS)
        .env_remove("ENLACE_LANG")
        .env("LANG", "C.UTF-8");
    c
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    enlace(dir, args).output().expect("run enlace")
}

pub fn run_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = enlace(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// Exit code and both streams, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Standard output of a run that must succeed.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", text(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("valid JSON on stdout")
}

/// A child process started in a process group of its own and ended with
/// its whole group when dropped (a test that fails halfway leaves nothing
/// running). A wrapper such as `faketime` or `unshare` forks the real
/// process and waits for it: ending the wrapper alone would leave `enlace
/// serve` running after the test.
pub struct Group {
    pub child: Child,
}

impl Group {
    pub fn spawn(command: &mut Command) -> Group {
        Group {
            child: command.process_group(0).spawn().expect("spawn"),
        }
    }

    /// Sends `signal` (`TERM`, `KILL`) to every process of the group.
    pub fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([
                &format!("-{signal}"),
                "--",
                &format!("-{}", self.child.id()),
            ])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.signal("KILL");
        let _ = self.child.wait();
    }
}
