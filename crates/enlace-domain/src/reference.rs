//! Case references: country prefix, year, sequence — `GT-2026-0042`.

use std::fmt;

use crate::country::CountryCode;

/// A parsed case reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseRef {
    pub country: CountryCode,
    pub year: i32,
    pub sequence: u32,
}

impl CaseRef {
    /// Parses `CC-YYYY-NNNN` (at least four digits; more once a node passes
    /// 9,999 cases in a year). Case-insensitive on the country.
    pub fn parse(s: &str) -> Option<CaseRef> {
        let mut parts = s.trim().split('-');
        let country = CountryCode::parse(parts.next()?)?;
        let year_s = parts.next()?;
        let seq_s = parts.next()?;
        if parts.next().is_some()
            || year_s.len() != 4
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
            year,
            sequence,
        })
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:04}", self.country, self.year, self.sequence)
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
        check("GT-2026-42", None);
        check("GT-26-0042", None);
        check("GTM-2026-0042", None);
        check("GT-2026-0000", None);
        check("GT-2026-0042-1", None);
        check("GT-2026-00a2", None);
        check("", None);
    }
}
