//! Case references: country, the issuing node's code, year, sequence —
//! `GT-K7M3Q-2026-0042`. Every node numbers its own series, so nodes that
//! never talk to each other never issue the same reference (see
//! ARCHITECTURE.md, "References"). References issued before node codes
//! (`GT-2026-0042`) stay valid.

use std::fmt;

use crate::country::CountryCode;

/// The Crockford base-32 alphabet: no I, L, O or U, so a code read aloud
/// or copied by hand is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a node code: 25 bits, so two of a country's nodes share
/// one with a chance below 1 in 20,000 even with 50 nodes (and a shared
/// one is still caught: duplicates are listed after every sync).
pub const NODE_CODE_LEN: usize = 5;

/// A node's code in its references: five Crockford base-32 characters
/// drawn from a digest of the node's public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeCode(String);

impl NodeCode {
    /// The code of a node whose key digest is `digest` (its first 25 bits).
    pub fn from_digest(digest: &[u8; 32]) -> NodeCode {
        let bits = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) >> 7;
        let code = (0..NODE_CODE_LEN)
            .rev()
            .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
            .collect();
        NodeCode(code)
    }

    /// Reads a code as people type it: any case; O read as 0, I and L as 1
    /// (Crockford's rule).
    pub fn parse(s: &str) -> Option<NodeCode> {
        if s.chars().count() != NODE_CODE_LEN {
            return None;
        }
        let mut out = String::with_capacity(NODE_CODE_LEN);
        for c in s.chars() {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return None;
            }
            out.push(c);
        }
        Some(NodeCode(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parsed case reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseRef {
    pub country: CountryCode,
    /// The issuing node; `None` in references issued before node codes.
    pub node: Option<NodeCode>,
    pub year: i32,
    pub sequence: u32,
}

impl CaseRef {
    /// Parses `CC-NODE-YYYY-NNNN`, or the older `CC-YYYY-NNNN` (at least
    /// four digits; more once a node passes 9,999 cases in a year).
    /// Case-insensitive on the country and the node code.
    pub fn parse(s: &str) -> Option<CaseRef> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let (country, node, year_s, seq_s) = match parts.as_slice() {
            [c, y, n] => (c, None, y, n),
            [c, node, y, n] => (c, Some(NodeCode::parse(node)?), y, n),
            _ => return None,
        };
        let country = CountryCode::parse(country)?;
        if year_s.len() != 4
            || seq_s.len() < 4
            || !year_s.chars().all(|c| c.is_ascii_digit())
            || !seq_s.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let year = year_s.parse().ok()?;
        let sequence = seq_s.parse().ok()?;
        if sequence == 0 {
            return None;
        }
        Some(CaseRef {
            country,
            node,
            year,
            sequence,
        })
    }

    /// What every reference of this node's series for `year` starts with
    /// (`GT-K7M3Q-2026-`).
    pub fn series(country: &CountryCode, node: &NodeCode, year: i32) -> String {
        format!("{country}-{node}-{year:04}-")
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Some(node) => write!(
                f,
                "{}-{node}-{:04}-{:04}",
                self.country, self.year, self.sequence
            ),
            None => write!(f, "{}-{:04}-{:04}", self.country, self.year, self.sequence),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<&str>) {
        assert_eq!(
            CaseRef::parse(input).map(|r| r.to_string()).as_deref(),
            expect,
            "{input}"
        );
    }

    #[test]
    fn references() {
        check("GT-2026-0042", Some("GT-2026-0042"));
        check("gt-2026-0042", Some("GT-2026-0042"));
        check("HN-2025-12345", Some("HN-2025-12345"));
        check("GT-K7M3Q-2026-0042", Some("GT-K7M3Q-2026-0042"));
        check(" gt-k7m3q-2026-0042 ", Some("GT-K7M3Q-2026-0042"));
        // Crockford: O is 0, I and L are 1.
        check("GT-O1ILA-2026-0001", Some("GT-0111A-2026-0001"));
        check("GT-2026-42", None);
        check("GT-26-0042", None);
        check("GTM-2026-0042", None);
        check("GT-2026-0000", None);
        check("GT-2026-0042-1", None);
        check("GT-2026-00a2", None);
        check("GT-K7M3-2026-0042", None);
        check("GT-K7M3QX-2026-0042", None);
        check("GT-K7M3U-2026-0042", None);
        check("GT-K7MÉQ-2026-0042", None);
        check("GT-K7M3Q-2026-0042-1", None);
        check("GT-K7M3Q-26-0042", None);
        check("", None);
        check("----", None);
    }

    #[test]
    fn node_codes_use_the_first_25_bits_of_the_digest() {
        let mut d = [0u8; 32];
        assert_eq!(NodeCode::from_digest(&d).as_str(), "00000");
        d[0] = 0xff;
        d[1] = 0xff;
        d[2] = 0xff;
        d[3] = 0x80;
        assert_eq!(NodeCode::from_digest(&d).as_str(), "ZZZZZ");
        // The 25th bit counts; the rest of the digest does not.
        d[3] = 0x7f;
        assert_eq!(NodeCode::from_digest(&d).as_str(), "ZZZZY");
        d = [0u8; 32];
        d[3] = 0x80;
        assert_eq!(NodeCode::from_digest(&d).as_str(), "00001");
        let code = NodeCode::from_digest(&[0x5a; 32]);
        assert_eq!(NodeCode::parse(code.as_str()), Some(code));
    }

    #[test]
    fn a_series_is_a_prefix_of_its_references() {
        let node = NodeCode::parse("K7M3Q").expect("code");
        let r = CaseRef {
            country: CountryCode::parse("GT").expect("GT"),
            node: Some(node.clone()),
            year: 2026,
            sequence: 7,
        };
        assert!(
            r.to_string()
                .starts_with(&CaseRef::series(&r.country, &node, 2026))
        );
    }
}
