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
//! exactly one chunk, and its work bounded before automerge walks it —
//! its operations (the rows of the action column) and their predecessors
//! (the counts in the pred column, each a list automerge fills), read from
//! the run lengths without walking them ([`MAX_WORK`]) — and (after
//! automerge parses it) a checksum that matches its hash. [`check`]
//! returns that work, so a page can be bounded as a whole too.

/// Operations plus predecessors one change may declare: a case written
/// whole with hundreds of notes stays far below.
pub const MAX_WORK: u64 = 200_000;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// A change chunk (0 is a document, 2 a compressed change, 3 a bundle).
const CHANGE: u8 = 1;
/// The action column (id 4, integers): one row per operation.
const ACTION_SPEC: u64 = (4 << 4) | 2;
/// The pred column (id 7, a group): per operation, how many predecessors
/// follow in the columns it groups.
const PRED_SPEC: u64 = 7 << 4;
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

/// The header of a change chunk up to its dependencies: (how many
/// dependencies, the rest of its data).
fn header(bytes: &[u8]) -> Result<(u64, Reader<'_>), String> {
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
    Ok((deps, d))
}

/// True when the change depends on others (read from its header only).
pub fn has_deps(bytes: &[u8]) -> bool {
    header(bytes).is_ok_and(|(deps, _)| deps > 0)
}

/// Checks the form of a change before automerge parses it, and returns
/// the work it declares (operations plus predecessors).
pub fn check(bytes: &[u8]) -> Result<u64, String> {
    let (deps, mut d) = header(bytes)?;
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
    let mut work: u64 = 0;
    for (spec, len) in specs {
        let data = d.take(len)?;
        match spec & !DEFLATE {
            ACTION_SPEC => work = work.saturating_add(rows(data)?.0),
            PRED_SPEC => work = work.saturating_add(rows(data)?.1),
            _ => {}
        }
    }
    if work > MAX_WORK {
        return Err(format!(
            "it declares {work} operations and predecessors (at most {MAX_WORK})"
        ));
    }
    Ok(work)
}

/// A run-length encoded column of unsigned integers: how many rows it
/// holds, and the sum of their values — from its run headers (literal
/// values are read, repeated ones multiplied, never walked). Reading stops
/// once either passes [`MAX_WORK`]; a column not read to its end counts as
/// endless in both (so a first run over the bound on one cannot hide what
/// follows on the other).
fn rows(column: &[u8]) -> Result<(u64, u64), String> {
    let mut r = Reader::new(column);
    let (mut rows, mut sum): (u64, u64) = (0, 0);
    while !r.done() && rows <= MAX_WORK && sum <= MAX_WORK {
        let count = r.sleb()?;
        match count {
            c if c > 0 => {
                let v = r.uleb()?;
                rows = rows.saturating_add(c.unsigned_abs());
                sum = sum.saturating_add(c.unsigned_abs().saturating_mul(v));
            }
            c if c < 0 => {
                for _ in 0..c.unsigned_abs().min(MAX_WORK + 1) {
                    sum = sum.saturating_add(r.uleb()?);
                }
                rows = rows.saturating_add(c.unsigned_abs());
            }
            _ => rows = rows.saturating_add(r.uleb()?),
        }
    }
    if !r.done() {
        return Ok((u64::MAX, u64::MAX));
    }
    Ok((rows, sum))
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
        // A run of 3 of value 1, a literal run of 2 (5 and 6), and a null
        // run of 2^62 — the last in ten bytes.
        let mut col = vec![0x03, 0x01, 0x7e, 0x05, 0x06, 0x00];
        uleb(1 << 62, &mut col);
        assert!(rows(&col).expect("rows").0 > MAX_WORK);
        assert_eq!(rows(&[0x03, 0x01, 0x7e, 0x05, 0x06]), Ok((5, 3 + 11)));
        // A run of 2^40 rows of value 2^40: counted, not multiplied out.
        let mut big = vec![];
        uleb(1 << 40, &mut big);
        uleb(1 << 40, &mut big);
        assert!(rows(&big).expect("rows").1 > MAX_WORK);
        // A first run whose values pass the bound does not hide a second
        // run of endless rows.
        let mut two = vec![];
        uleb(28_572, &mut two);
        uleb(7, &mut two);
        uleb(1 << 61, &mut two);
        uleb(1, &mut two);
        assert!(rows(&two).expect("rows").0 > MAX_WORK);
        assert!(rows(&[0x03]).is_err(), "a run without its value");
    }
}
