//! Test counts read from the runners' own summary lines (cargo test and
//! Vitest), for the closing line CI reads.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Test counts read from the runners' own summary lines.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) passed: u64,
    pub(crate) failed: u64,
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The number before `word` in `line` (`9 passed` -> 9).
fn count_before(line: &str, word: &str) -> u64 {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '|' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches('.') == word)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

impl Tally {
    pub(crate) fn read(&mut self, line: &str) {
        let line = strip_ansi(line);
        let t = line.trim_start();
        // cargo test: "test result: ok. 8 passed; 0 failed; ..."
        // vitest:     "Tests  9 passed (9)" / "Tests  1 failed | 8 passed (9)"
        if t.starts_with("test result:") || t.starts_with("Tests ") {
            self.passed += count_before(t, "passed");
            self.failed += count_before(t, "failed");
        }
    }
}

/// Runs `cmd`, echoing its standard output, and adds its test counts.
pub(crate) fn run_counted(cmd: &mut Command, tally: &mut Tally) -> Result<()> {
    use std::io::{BufRead, BufReader};
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_are_read_from_runner_summaries() {
        let mut t = Tally::default();
        t.read("test result: ok. 8 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.33s");
        t.read("\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m9 passed\x1b[39m\x1b[22m\x1b[90m (9)\x1b[39m");
        t.read("      Tests  1 failed | 8 passed (9)");
        t.read("test something ... ok");
        assert_eq!((t.passed, t.failed), (25, 1));
    }
}
