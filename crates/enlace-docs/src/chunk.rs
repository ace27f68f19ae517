//! A received change's bytes, checked before automerge reads them.
//!
//! automerge accepts forms of a change that a peer can abuse:
//!
//! - a *compressed* change chunk, which it inflates with no limit (a few
//!   kilobytes become gigabytes);
//! - columns whose run-length encoding declares any number of operations
//!   in a few bytes (a run of 2^62 "nothing"), which it then walks one by
//!   one — a parse that never ends;
//! - a checksum it does not verify, so one change can travel in several
//!   byte forms with the same hash (and one of them fails to load later).
//!
//! Enlace writes plain change chunks, so only those are accepted: type 1,
//! exactly one chunk, its operation count bounded ([`MAX_OPS`], read from
//! the run lengths of the action column without walking them), and (after
//! automerge parses it) a checksum that matches its hash.

/// Operations one change may hold: a case written whole with thousands of
/// notes stays far below.
pub const MAX_OPS: u64 = 1_000_000;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// A change chunk (0 is a document, 2 a compressed change, 3 a bundle).
const CHANGE: u8 = 1;
/// The action column (id 4, integers): one row per operation.
const ACTION_SPEC: u64 = (4 << 4) | 2;
/// The bit of a column spec that says its data is deflated.
const DEFLATE: u64 = 0b1000;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        let n = usize::try_from(n).map_err(|_| "a length too large".to_owned())?;
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| "it ends early".to_owned())?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn uleb(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number too long".into())
    }

    fn sleb(&mut self) -> Result<i64, String> {
        let mut value: i64 = 0;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift < 64 {
                value |= i64::from(b & 0x7f) << shift;
            }
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Ok(value);
            }
            if shift > 70 {
                return Err("a number too long".into());
            }
        }
    }
}

/// Checks the form of a change before automerge parses it.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader::new(bytes);
    if r.take(4)? != MAGIC {
        return Err("not an automerge change".into());
    }
    r.take(4)?; // the checksum, compared with the hash once parsed
    let kind = r.byte()?;
    if kind != CHANGE {
        return Err(format!("a chunk of type {kind}, not a plain change"));
    }
    let len = r.uleb()?;
    let data = r.take(len)?;
    if !r.done() {
        return Err("bytes after the change".into());
    }
    let mut d = Reader::new(data);
    let deps = d.uleb()?;
    d.take(deps.checked_mul(32).ok_or("too many dependencies")?)?;
    let actor = d.uleb()?;
    d.take(actor)?;
    d.uleb()?; // seq
    d.uleb()?; // start op
    d.sleb()?; // time
    let message = d.uleb()?;
    d.take(message)?;
    let others = d.uleb()?;
    for _ in 0..others {
        let len = d.uleb()?;
        d.take(len)?;
    }
    let columns = d.uleb()?;
    let mut specs = vec![];
    for _ in 0..columns {
        specs.push((d.uleb()?, d.uleb()?));
    }
    let mut actions: Option<&[u8]> = None;
    for (spec, len) in specs {
        let data = d.take(len)?;
        if spec & !DEFLATE == ACTION_SPEC {
            actions = Some(data);
        }
    }
    let ops = match actions {
        Some(data) => rows(data)?,
        None => 0,
    };
    if ops > MAX_OPS {
        return Err(format!("it declares {ops} operations (at most {MAX_OPS})"));
    }
    Ok(())
}

/// The rows a run-length encoded column of unsigned integers holds,
/// summed from its run headers (literal values are read, repeated ones
/// counted, never walked).
fn rows(column: &[u8]) -> Result<u64, String> {
    let mut r = Reader::new(column);
    let mut rows: u64 = 0;
    while !r.done() {
        let count = r.sleb()?;
        let n = match count {
            c if c > 0 => {
                r.uleb()?;
                c.unsigned_abs()
            }
            c if c < 0 => {
                for _ in 0..c.unsigned_abs() {
                    r.uleb()?;
                }
                c.unsigned_abs()
            }
            _ => r.uleb()?,
        };
        rows = rows.saturating_add(n);
        if rows > MAX_OPS {
            return Ok(rows);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uleb(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    #[test]
    fn run_lengths_are_counted_not_walked() {
        // A run of 3 of value 1, a literal run of 2, and a null run of
        // 2^62 — the last in ten bytes.
        let mut col = vec![0x03, 0x01, 0x7e, 0x05, 0x06, 0x00];
        uleb(1 << 62, &mut col);
        assert!(rows(&col).expect("rows") > MAX_OPS);
        assert_eq!(rows(&[0x03, 0x01, 0x7e, 0x05, 0x06]), Ok(5));
        assert!(rows(&[0x03]).is_err(), "a run without its value");
    }
}
