//! The field's published CSV shapes, read into statistical records:
//! CTDC's global dataset (the `-99` exports and the k-anonymised one with
//! its terms-of-use first column), the 2024 synthetic dataset (ISO-3
//! countries, merged `means*` flags) and the simplified derivative of 14,299
//! rows. Detected by header; comma or semicolon; UTF-8 or, failing that,
//! Windows-1252 (Latin-1 exports are common).

use std::collections::HashMap;

use enlace_domain::stats::StatRecord;
use enlace_domain::{Lang, tr, tr_args};

/// Which shape a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    CtdcCleaned,
    CtdcGlobal,
    CtdcSynthetic2024,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::CtdcCleaned => "ctdc_cleaned",
            Shape::CtdcGlobal => "ctdc_global",
            Shape::CtdcSynthetic2024 => "ctdc_synthetic_2024",
        }
    }
}

/// Why a file or a value cannot be read (line and column as the file
/// numbers them, from 1; the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit_mib} MiB")]
    TooLarge { limit_mib: u64 },
    #[error("the header is in none of the known shapes: {header}")]
    Unknown { header: String },
    #[error("line {line} has {got} fields where the header has {want}: a cut or damaged file")]
    Fields { line: u64, got: usize, want: usize },
    #[error("line {line} cannot be read: {detail}")]
    Csv { line: u64, detail: String },
    /// `expected`: a translation key (`dataset-expect-…`) saying what the
    /// column holds.
    #[error(
        "line {line}, column {column}: `{value}` is not {}",
        tr(Lang::En, expected)
    )]
    Value {
        line: u64,
        column: String,
        value: String,
        expected: &'static str,
    },
}

impl ShapeError {
    /// The file's line it names (0: none).
    pub fn line(&self) -> u64 {
        match self {
            ShapeError::Value { line, .. }
            | ShapeError::Fields { line, .. }
            | ShapeError::Csv { line, .. } => *line,
            ShapeError::Empty | ShapeError::TooLarge { .. } | ShapeError::Unknown { .. } => 0,
        }
    }

    /// In words, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ShapeError::Empty => tr(lang, "err-dataset-empty"),
            ShapeError::TooLarge { limit_mib } => tr_args(
                lang,
                "err-dataset-large",
                &[("limit", &limit_mib.to_string())],
            ),
            ShapeError::Unknown { header } => {
                tr_args(lang, "err-dataset-shape", &[("header", header)])
            }
            ShapeError::Fields { line, got, want } => tr_args(
                lang,
                "err-dataset-fields",
                &[
                    ("line", &line.to_string()),
                    ("got", &got.to_string()),
                    ("want", &want.to_string()),
                ],
            ),
            ShapeError::Csv { line, detail } => tr_args(
                lang,
                "err-dataset-csv",
                &[("line", &line.to_string()), ("detail", detail)],
            ),
            ShapeError::Value {
                line,
                column,
                value,
                expected,
            } => tr_args(
                lang,
                "err-dataset-value",
                &[
                    ("line", &line.to_string()),
                    ("column", column),
                    ("value", value),
                    ("expected", &tr(lang, expected)),
                ],
            ),
        }
    }
}

/// A value the file marks as missing (CTDC: empty, `-99`, `NULL`; not
/// `NA`, which is Namibia).
fn missing(v: &str) -> bool {
    matches!(v.trim(), "" | "-99" | "NULL" | "null")
}

/// The bytes as text: UTF-8 (a byte-order mark dropped; no copy) or
/// Windows-1252.
pub fn decode(mut bytes: Vec<u8>) -> (String, &'static str) {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, "utf-8"),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// `;` when the header line has more semicolons than commas.
pub fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

pub fn detect(header: &[String]) -> Option<Shape> {
    let has = |c: &str| header.iter().any(|h| h == c);
    if has("ControlCategory") && has("ExploitType") && has("ageCategories") {
        Some(Shape::CtdcCleaned)
    } else if has("traffickMonths") && has("yearOfRegistration") {
        Some(Shape::CtdcSynthetic2024)
    } else if has("yearOfRegistration") && has("ageBroad") && has("isForcedLabour") {
        Some(Shape::CtdcGlobal)
    } else {
        None
    }
}

/// A row with the header's names.
pub struct Row<'a> {
    pub line: u64,
    cols: &'a HashMap<String, usize>,
    fields: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The raw value of `column` (None when the file has no such column
    /// or marks it missing).
    fn get(&self, column: &str) -> Option<&str> {
        let i = *self.cols.get(column)?;
        let v = self.fields.get(i)?.trim();
        (!missing(v)).then_some(v)
    }

    fn bad(&self, column: &str, value: &str, expected: &'static str) -> ShapeError {
        ShapeError::Value {
            line: self.line,
            column: column.to_owned(),
            value: value.to_owned(),
            expected,
        }
    }

    /// A 0/1 flag: Some(true) for 1.
    fn flag(&self, column: &str) -> Result<Option<bool>, ShapeError> {
        match self.get(column) {
            None => Ok(None),
            Some("1") | Some("1.0") | Some("True") | Some("true") => Ok(Some(true)),
            Some("0") | Some("0.0") | Some("False") | Some("false") => Ok(Some(false)),
            Some(v) => Err(self.bad(column, v, "dataset-expect-flag")),
        }
    }

    fn year(&self) -> Result<Option<u16>, ShapeError> {
        match self.get("yearOfRegistration") {
            None => Ok(None),
            Some(v) => v
                .trim_end_matches(".0")
                .parse::<u16>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .map(Some)
                .ok_or_else(|| self.bad("yearOfRegistration", v, "dataset-expect-year")),
        }
    }

    /// Columns named `prefix<Name>` set to 1, as snake_case names.
    fn flags(&self, prefix: &str, except: &[&str]) -> Result<Vec<String>, ShapeError> {
        let mut out = vec![];
        let mut names: Vec<&String> = self
            .cols
            .keys()
            .filter(|c| c.starts_with(prefix) && c.len() > prefix.len())
            .collect();
        names.sort();
        for c in names {
            let rest = &c[prefix.len()..];
            if except.contains(&rest) {
                continue;
            }
            if self.flag(c)? == Some(true) {
                out.push(snake(rest));
            }
        }
        Ok(out)
    }
}

/// `DebtBondage` → `debt_bondage`.
pub fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

fn gender(row: &Row<'_>) -> Result<Option<String>, ShapeError> {
    Ok(match row.get("gender") {
        None => None,
        Some(v) => Some(
            match v.to_ascii_lowercase().as_str() {
                "female" | "woman" | "f" => "female",
                "male" | "man" | "m" => "male",
                t if t.contains("trans")
                    || t.contains("nonconforming")
                    || t.contains("non-conforming") =>
                {
                    "trans_non_conforming"
                }
                "unknown" | "not specified" => return Ok(None),
                _ => {
                    return Err(row.bad("gender", v, "dataset-expect-gender"));
                }
            }
            .to_owned(),
        ),
    })
}

const BANDS: [&str; 9] = [
    "0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+",
];

/// `18--20`, `Age 18-20`, `18—20` → `18-20`.
fn age(row: &Row<'_>, column: &str) -> Result<Option<String>, ShapeError> {
    let Some(v) = row.get(column) else {
        return Ok(None);
    };
    let t = v.trim_start_matches("Age").trim();
    let mut s = String::new();
    for ch in t.chars() {
        let ch = if matches!(ch, '–' | '—' | '‒') {
            '-'
        } else {
            ch
        };
        if !(ch == '-' && s.ends_with('-')) {
            s.push(ch);
        }
    }
    if BANDS.contains(&s.as_str()) {
        Ok(Some(s))
    } else if s.eq_ignore_ascii_case("unknown") {
        Ok(None)
    } else {
        Err(row.bad(column, v, "dataset-expect-age"))
    }
}

/// An ISO alpha-2 country (`00`/`0` unknown), or alpha-3 when `alpha3`.
fn country(row: &Row<'_>, column: &str, alpha3: bool) -> Result<Option<String>, ShapeError> {
    let Some(v) = row.get(column) else {
        return Ok(None);
    };
    if matches!(v, "0" | "00" | "000" | "XX" | "ZZ" | "ZZZ") {
        return Ok(None);
    }
    let code = if alpha3 && v.len() == 3 {
        isocountry::CountryCode::for_alpha3_caseless(v)
            .ok()
            .map(|c| c.alpha2().to_owned())
    } else if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        Some(v.to_ascii_uppercase())
    } else {
        None
    };
    code.map(Some).ok_or_else(|| {
        row.bad(
            column,
            v,
            if alpha3 {
                "dataset-expect-alpha3"
            } else {
                "dataset-expect-alpha2"
            },
        )
    })
}

fn source(row: &Row<'_>) -> Result<Option<String>, ShapeError> {
    Ok(match row.get("Datasource") {
        None => None,
        Some(v) => Some(
            match v.to_ascii_lowercase().as_str() {
                "hotline" => "hotline",
                "case management" => "case_management",
                _ => return Err(row.bad("Datasource", v, "dataset-expect-source")),
            }
            .to_owned(),
        ),
    })
}

/// A recruiter relation as CTDC writes it: `Ok(None)` for "not
/// specified", `Err(())` for a value it does not use.
fn recruiter_text(v: &str) -> Result<Option<&'static str>, ()> {
    match v.trim().to_ascii_lowercase().as_str() {
        "intimate partner" => Ok(Some("intimate_partner")),
        "family/relative" | "family" => Ok(Some("family")),
        "friend/acquaintance" | "friend" => Ok(Some("friend")),
        "other" => Ok(Some("other")),
        "not specified" | "unknown" | "" => Ok(None),
        _ => Err(()),
    }
}

/// Reads one row of a file in `shape`.
pub fn record(shape: Shape, row: &Row<'_>) -> Result<StatRecord, ShapeError> {
    let mut r = StatRecord {
        year: row.year()?,
        gender: gender(row)?,
        ..StatRecord::default()
    };
    match shape {
        Shape::CtdcCleaned => {
            r.source = source(row)?;
            r.age = age(row, "ageCategories")?;
            r.citizenship = country(row, "citizenship", false)?;
            if row.flag("isForcedLabour")? == Some(true) {
                r.purpose.push("forced_labour".into());
            }
            if let Some(v) = row.get("ExploitType") {
                let p = match v {
                    "Sexual Exploitation" => "sexual_exploitation",
                    "Forced Labor" | "Forced Labour" => "forced_labour",
                    "Forced Marriage" => "forced_marriage",
                    "Other" => "other",
                    _ => return Err(row.bad("ExploitType", v, "dataset-expect-exploitation")),
                };
                r.purpose.push(p.into());
            }
            if let Some(v) = row.get("ControlCategory") {
                let m = match v {
                    "Threats" => "threats",
                    "Financial" => "financial",
                    "Physical" => "physical",
                    "Survival" => "survival",
                    "Other" => "other",
                    _ => return Err(row.bad("ControlCategory", v, "dataset-expect-means")),
                };
                r.means.push(m.into());
            }
            if let Some(v) = row.get("RecruiterCategory")
                && let Some(rec) = recruiter_text(v)
                    .map_err(|()| row.bad("RecruiterCategory", v, "dataset-expect-recruiter"))?
            {
                r.recruiter.push(rec.into());
            }
            if let Some(v) = row.get("Labor_Type")
                && !v.eq_ignore_ascii_case("Unknown")
            {
                r.labour.push(snake(&v.replace([' ', '/'], "")));
            }
        }
        Shape::CtdcGlobal | Shape::CtdcSynthetic2024 => {
            let alpha3 = shape == Shape::CtdcSynthetic2024;
            r.source = source(row)?;
            r.age = age(row, "ageBroad")?;
            r.citizenship = country(row, "citizenship", alpha3)?;
            if let Some(c) = country(row, "CountryOfExploitation", alpha3)? {
                r.exploitation_country.push(c);
            }
            r.majority = match row.get("majorityStatus") {
                None => None,
                Some(v) if v.eq_ignore_ascii_case("adult") => Some("adult".into()),
                Some(v) if v.eq_ignore_ascii_case("minor") => Some("minor".into()),
                Some(v) if v.eq_ignore_ascii_case("unknown") => None,
                Some(v) => return Err(row.bad("majorityStatus", v, "dataset-expect-majority")),
            };
            if row.flag("isSexAndLabour")? == Some(true) {
                r.purpose.push("forced_labour".into());
                r.purpose.push("sexual_exploitation".into());
            }
            for (col, p) in [
                ("isForcedLabour", "forced_labour"),
                ("isSexualExploit", "sexual_exploitation"),
                ("isForcedMarriage", "forced_marriage"),
                ("isForcedMilitary", "forced_military"),
                ("isOrganRemoval", "organ_removal"),
                ("isSlaveryAndPractices", "slavery"),
                ("isOtherExploit", "other"),
            ] {
                if row.flag(col)? == Some(true) {
                    r.purpose.push(p.into());
                }
            }
            let means_prefix = if alpha3 { "means" } else { "meansOfControl" };
            r.means = row.flags(means_prefix, &["Concatenated", "NotSpecified"])?;
            if alpha3 {
                // `meansOfControl…` is not a 2024 column; drop any that
                // the short prefix caught. 2024's `meansThreats` merges
                // threats, use of children and threats of law enforcement:
                // not the 2019 flag of that name.
                r.means.retain(|m| !m.starts_with("of_control"));
                for m in &mut r.means {
                    if m == "threats" {
                        *m = "threats_any".into();
                    }
                }
            }
            r.labour = row.flags("typeOfLabour", &["Concatenated", "NotSpecified"])?;
            r.recruiter = row.flags("recruiterRelation", &["Unknown"])?;
            if r.recruiter.is_empty()
                && let Some(v) = row.get("RecruiterRelationship")
            {
                for part in v.split(';') {
                    if let Some(rec) = recruiter_text(part).map_err(|()| {
                        row.bad("RecruiterRelationship", v, "dataset-expect-recruiter")
                    })? {
                        r.recruiter.push(rec.into());
                    }
                }
            }
        }
    }
    // A file without a majority column (2024) still says it by age band.
    if r.majority.is_none()
        && let Some(a) = &r.age
    {
        r.majority = Some(
            if matches!(a.as_str(), "0-8" | "9-17") {
                "minor"
            } else {
                "adult"
            }
            .into(),
        );
    }
    Ok(r)
}

/// Reads a whole file: its shape and every record with its line, or the
/// first error. `skip_bad`: rows with a value out of vocabulary are
/// skipped (and listed) instead of refusing the file. `progress(done,
/// total)` is called every 1,000 rows.
#[allow(clippy::type_complexity)]
pub fn read(
    text: &str,
    skip_bad: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Shape, Vec<(i64, StatRecord)>, Vec<ShapeError>), ShapeError> {
    let delim = delimiter(text);
    let total = text.lines().count().saturating_sub(1) as u64;
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| ShapeError::Csv {
            line: 1,
            detail: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(ShapeError::Empty);
    }
    let shape = detect(&header).ok_or_else(|| ShapeError::Unknown {
        header: header
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let cols: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    let mut out = vec![];
    let mut skipped = vec![];
    let mut fields = csv::StringRecord::new();
    let mut done = 0u64;
    loop {
        let more = rd.read_record(&mut fields).map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => ShapeError::Fields {
                    line,
                    got: *len as usize,
                    want: *expected_len as usize,
                },
                _ => ShapeError::Csv {
                    line,
                    detail: e.to_string(),
                },
            }
        })?;
        if !more {
            break;
        }
        let line = fields.position().map_or(0, csv::Position::line);
        let row = Row {
            line,
            cols: &cols,
            fields: &fields,
        };
        match record(shape, &row) {
            Ok(r) => out.push((i64::try_from(line).unwrap_or(i64::MAX), r)),
            Err(e) if skip_bad => skipped.push(e),
            Err(e) => return Err(e),
        }
        done += 1;
        if done.is_multiple_of(1000) {
            progress(done, total);
        }
    }
    progress(done, total);
    Ok((shape, out, skipped))
}
