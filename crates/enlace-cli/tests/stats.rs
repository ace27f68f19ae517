//! `enlace dataset` and `enlace stats` on the field's real data
//! (../shared/data: never committed): counts checked against independent
//! computations (Python's csv module, and the reference counts computed
//! with it beside each excerpt), bad files refused whole, and published
//! tables that never show a small group.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{json, ok, run, text};
use serde_json::Value;

/// The workplace's shared test data: `ENLACE_SHARED_DATA`, else
/// `shared/data` beside the checkout or one of its parents, else the
/// workplace's own folder. Missing data fails the test (it is not
/// skipped).
fn data(rel: &str) -> PathBuf {
    let mut places: Vec<PathBuf> = std::env::var_os("ENLACE_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for a in Path::new(env!("CARGO_MANIFEST_DIR")).ancestors() {
        places.push(a.join("shared/data"));
    }
    places.push(PathBuf::from("/work/shared/data"));
    let found = places.iter().map(|d| d.join(rel)).find(|p| p.exists());
    found.unwrap_or_else(|| {
        panic!(
            "the shared test data {rel} is missing (looked in {places:?}; set ENLACE_SHARED_DATA)"
        )
    })
}

fn node() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("n");
    ok(&run(
        &dir,
        &["init", "--country", "HN", "--node-name", "Unidad regional"],
    ));
    (tmp, dir)
}

fn import(dir: &Path, file: &Path) -> Value {
    json(&run(
        dir,
        &["dataset", "import", file.to_str().expect("path"), "--json"],
    ))
}

/// Exact counts (k 1, resolution 1) of dataset `id` by `by`.
fn exact(dir: &Path, id: i64, by: &str) -> BTreeMap<String, u64> {
    let v = json(&run(
        dir,
        &[
            "stats",
            "--by",
            by,
            "--source",
            "datasets",
            "--dataset",
            &id.to_string(),
            "--k",
            "1",
            "--resolution",
            "1",
            "--json",
        ],
    ));
    assert_eq!(v["exact"], true);
    v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| {
            let vals: Vec<&str> = by
                .split(',')
                .map(|f| c["values"][f].as_str().expect("value"))
                .collect();
            (vals.join("|"), c["count"].as_u64().expect("count"))
        })
        .collect()
}

#[test]
fn the_14299_rows_count_as_pythons_csv_module_counts_them() {
    let (_tmp, dir) = node();
    let file = data("ctdc-cleaned-14299.csv");
    let done = import(&dir, &file);
    assert_eq!(done["rows"], 14_299);
    assert_eq!(done["shape"], "ctdc_cleaned");
    let id = done["id"].as_i64().expect("id");
    // The same breakdowns, by a few lines of Python over the raw file.
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
def c(v, unknown=('', '-99', '0')): return 'unknown' if v in unknown else v
out = {}
for name, key in [('gender,age', lambda r: c(r['gender']).lower() + '|' + r['ageCategories'].replace('Age ', '')),
                  ('citizenship', lambda r: c(r['citizenship'])),
                  ('year', lambda r: c(r['yearOfRegistration']))]:
    d = {}
    for r in rows:
        d[key(r)] = d.get(key(r), 0) + 1
    out[name] = d
print(json.dumps(out))
"#;
    let py = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let want: BTreeMap<String, BTreeMap<String, u64>> =
        serde_json::from_slice(&py.stdout).expect("python's counts");
    for by in ["gender,age", "citizenship", "year"] {
        assert_eq!(exact(&dir, id, by), want[by], "by {by}");
    }

    // The same file again changes nothing.
    let again = import(&dir, &file);
    assert_eq!(again["already"], true);
    assert_eq!(
        json(&run(&dir, &["dataset", "list", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn the_global_exports_count_as_their_reference_counts() {
    let (_tmp, dir) = node();
    for (file, shape) in [
        (
            "ctdc-excerpts/ctdc-global-kanon-semicolon-excerpt.csv",
            "ctdc_global",
        ),
        (
            "ctdc-excerpts/ctdc-global-2019-comma-excerpt.csv",
            "ctdc_global",
        ),
    ] {
        let done = import(&dir, &data(file));
        assert_eq!(done["shape"], shape, "{file}");
        let id = done["id"].as_i64().expect("id");
        let reference: Value = serde_json::from_str(
            &std::fs::read_to_string(data(&format!("{file}.counts.json"))).expect("counts"),
        )
        .expect("json");
        assert_eq!(done["rows"], reference["total_rows"], "{file}");
        // Their names and values as CTDC writes them, ours as codes.
        let code = |field: &str, v: &str| -> String {
            match (field, v) {
                (_, "unknown") => "unknown".into(),
                ("gender", v) => v.to_lowercase(),
                ("ageBroad", v) => v.replace("--", "-"),
                ("Datasource", v) => v.to_lowercase().replace(' ', "_"),
                (_, v) => v.to_owned(),
            }
        };
        for (theirs, ours) in [
            ("yearOfRegistration", "year"),
            ("gender", "gender"),
            ("citizenship", "citizenship"),
            ("ageBroad", "age"),
            ("CountryOfExploitation", "exploitation_country"),
            ("Datasource", "source"),
        ] {
            let Some(want) = reference[format!("by_{theirs}")]
                .as_object()
                .or_else(|| reference[format!("by_{theirs}_all")].as_object())
            else {
                continue;
            };
            let want: BTreeMap<String, u64> = want
                .iter()
                .map(|(k, v)| (code(theirs, k), v.as_u64().expect("count")))
                .collect();
            assert_eq!(exact(&dir, id, ours), want, "{file}: by {theirs}");
        }
    }
}

/// A file made from `lines` in the test's folder.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn a_bad_file_imports_nothing_and_says_where() {
    let (tmp, dir) = node();
    let full = std::fs::read_to_string(data(
        "ctdc-excerpts/ctdc-global-kanon-semicolon-excerpt.csv",
    ))
    .expect("read");
    let count = || {
        json(&run(&dir, &["dataset", "list", "--json"]))
            .as_array()
            .map_or(0, Vec::len)
    };

    // Cut in the middle of a row.
    let cut = file(
        tmp.path(),
        "cortado.csv",
        &full.as_bytes()[..full.len() * 2 / 3],
    );
    let o = run(&dir, &["dataset", "import", cut.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("línea") && err.contains("cortado o dañado"),
        "{err}"
    );
    assert!(err.contains("No se importó nada"), "{err}");
    assert_eq!(count(), 0);

    // A file in no known shape.
    let other = file(tmp.path(), "otro.csv", b"nombre,edad\nAna,30\n");
    let o = run(
        &dir,
        &[
            "--lang",
            "en",
            "dataset",
            "import",
            other.to_str().expect("path"),
        ],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("none of the known shapes"),
        "{}",
        text(&o)
    );

    // A value out of its vocabulary: refused with line and column, or the
    // row skipped when asked.
    let header = "yearOfRegistration,Datasource,gender,citizenship,isForcedLabour,ControlCategory,RecruiterCategory,ExploitType,Labor_Type,ageCategories";
    let bad = format!(
        "{header}\n2016,Hotline,Female,HN,0,Threats,Other,Sexual Exploitation,Unknown,Age 18-20\n2016,Hotline,Alien,GT,0,Threats,Other,Sexual Exploitation,Unknown,Age 18-20\n"
    );
    let bad = file(tmp.path(), "malo.csv", bad.as_bytes());
    let o = run(&dir, &["dataset", "import", bad.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("línea 3") && err.contains("gender") && err.contains("Alien"),
        "{err}"
    );
    assert_eq!(count(), 0);
    let skipped = json(&run(
        &dir,
        &[
            "dataset",
            "import",
            bad.to_str().expect("path"),
            "--skip-bad",
            "--json",
        ],
    ));
    assert_eq!(skipped["rows"], 1);
    assert_eq!(skipped["skipped"][0]["line"], 3);

    // CTDC's own values: NA is Namibia, ZZ unknown, trans victims kept.
    let real = format!(
        "{header}\n2018,Hotline,Transgender/NonConforming,NA,0,Threats,Other,Sexual Exploitation,Unknown,Age 18-20\n2018,Hotline,Female,ZZ,0,Threats,Intimate Partner,Sexual Exploitation,Unknown,Age 9-17\n"
    );
    let real = file(tmp.path(), "valores.csv", real.as_bytes());
    let id = import(&dir, &real)["id"].as_i64().expect("id");
    assert_eq!(exact(&dir, id, "citizenship").get("NA"), Some(&1));
    assert_eq!(exact(&dir, id, "citizenship").get("unknown"), Some(&1));
    assert_eq!(
        exact(&dir, id, "gender").get("trans_non_conforming"),
        Some(&1)
    );
    assert_eq!(
        exact(&dir, id, "majority").get("minor"),
        Some(&1),
        "from the age band"
    );
    ok(&run(&dir, &["dataset", "remove", &id.to_string()]));

    // Latin-1 (Windows-1252): read as such, accents kept.
    let latin = format!(
        "{header}\n2017,Case Management,Male,NI,1,Financial,Family/Relative,Forced Labor,Construcción,Age 30-38\n"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
    let latin = file(tmp.path(), "latin1.csv", &bytes);
    let done = import(&dir, &latin);
    assert_eq!(done["encoding"], "windows-1252");
    let id = done["id"].as_i64().expect("id");
    assert_eq!(exact(&dir, id, "labour").get("construcción"), Some(&1));

    // Larger than the import holds in memory (a sparse file: no disk used).
    let huge = tmp.path().join("enorme.csv");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len((256 << 20) + 1))
        .expect("sparse file");
    let o = run(&dir, &["dataset", "import", huge.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("256 MiB"),
        "{}",
        text(&o)
    );
    assert_eq!(count(), 2);

    // Removed whole.
    ok(&run(&dir, &["dataset", "remove", &id.to_string()]));
    assert_eq!(count(), 1);
    let o = run(&dir, &["dataset", "remove", &id.to_string()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
}

/// Two published tables of the same fields never differ by a shown small
/// group: each cell, and the total, equal or at least 11 apart.
fn never_a_small_difference(a: &Value, b: &Value) {
    let cells = |t: &Value| t["cells"].as_array().cloned().unwrap_or_default();
    for (x, y) in cells(a).iter().zip(cells(b).iter()) {
        assert_eq!(x["values"], y["values"]);
        if let (Some(m), Some(n)) = (x["count"].as_u64(), y["count"].as_u64()) {
            assert!(m == n || m.abs_diff(n) >= 11, "{x} vs {y}");
        }
    }
    if let (Some(m), Some(n)) = (a["total"].as_u64(), b["total"].as_u64()) {
        assert!(m == n || m.abs_diff(n) >= 11, "totals {m} vs {n}");
    }
}

#[test]
fn published_tables_show_no_small_group_and_say_what_they_hid() {
    let (_tmp, dir) = node();
    let id = import(&dir, &data("ctdc-cleaned-14299.csv"))["id"]
        .as_i64()
        .expect("id");
    let publish = |args: &[&str]| -> Value {
        let mut all = vec!["stats", "--source", "datasets", "--dataset"];
        let id = id.to_string();
        all.push(&id);
        all.extend_from_slice(args);
        all.push("--json");
        json(&run(&dir, &all))
    };
    let t = publish(&["--by", "citizenship,gender"]);
    assert_eq!(t["k"], 11);
    assert_eq!(t["resolution"], 11);
    assert_eq!(t["exact"], false);
    let cells = t["cells"].as_array().expect("cells");
    let mut hidden = 0;
    for c in cells {
        match c["count"].as_u64() {
            Some(n) => assert!(n % 11 == 0 && (n == 0 || n >= 11), "{c}"),
            None => {
                hidden += 1;
                assert_eq!(c["suppressed"], true);
            }
        }
    }
    assert!(hidden > 0, "some nationalities have fewer than 11 victims");
    assert!(t["suppressed"]["below_k"].as_u64().expect("below") > 0);
    // Published before: everyone by gender. Now the same without one
    // nationality of a handful: the difference would be that handful.
    let small = exact(&dir, id, "citizenship")
        .into_iter()
        .find(|(_, n)| (1..11).contains(n))
        .map(|(c, _)| c)
        .expect("a small nationality");
    let others: Vec<String> = exact(&dir, id, "citizenship")
        .into_keys()
        .filter(|c| *c != small)
        .collect();
    // A node publishes under one k and resolution: once it has published
    // with 11, tables with 12 (whose hidden cells would tell which counts
    // lie between 11 and 12) are refused, saying which to use.
    let o = run(
        &dir,
        &["stats", "--by", "gender", "--k", "12", "--resolution", "12"],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("k = 11"), "{}", text(&o));
    // Rounding to less than k is refused: differences under k would show.
    let o = run(
        &dir,
        &["stats", "--by", "gender", "--k", "11", "--resolution", "1"],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("--resolution 11"), "{}", text(&o));
    let all = publish(&["--by", "gender", "--k", "11"]);
    let without = publish(&[
        "--by",
        "gender",
        "--k",
        "11",
        "--filter",
        &format!("citizenship={}", others.join(",")),
    ]);
    never_a_small_difference(&all, &without);
    assert!(
        without["suppressed"]["difference"].as_u64().unwrap_or(0) > 0,
        "{without}"
    );
    // A published table's k is 11 at least; 1 means exact, on screen.
    let o = run(&dir, &["stats", "--by", "gender", "--k", "5"]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    // A filter that keeps everyone is the same population as none: a
    // table without one nationality is compared with it, however its
    // filter reads.
    let years: Vec<String> = exact(&dir, id, "year").into_keys().collect();
    let everyone = publish(&[
        "--by",
        "gender",
        "--filter",
        &format!("year={}", years.join(",")),
    ]);
    let again = publish(&[
        "--by",
        "gender",
        "--filter",
        &format!("citizenship={}", others.join(",")),
    ]);
    never_a_small_difference(&everyone, &again);

    // A value only this node's cases hold is listed (hidden) where the
    // cases are counted, never in a table of the public datasets alone.
    let case = serde_json::json!({"title": "Caso de Funafuti", "classification": "trafficking",
        "persons": [{"role": "victim", "nationality": "TV"}]});
    ok(&common::run_stdin(
        &dir,
        &["case", "create", "--json", "-"],
        &case.to_string(),
    ));
    let listed = |t: &Value| {
        t["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .any(|c| c["values"]["citizenship"] == "TV")
    };
    assert!(!listed(&publish(&["--by", "citizenship"])));
    let mixed = json(&run(&dir, &["stats", "--by", "citizenship", "--json"]));
    assert!(listed(&mixed));

    // The CSV says the same, with the reason for each hidden cell.
    let csv = ok(&run(
        &dir,
        &[
            "stats",
            "--by",
            "citizenship",
            "--source",
            "datasets",
            "--csv",
        ],
    ));
    assert!(csv.starts_with("citizenship,count,suppressed\n"), "{csv}");
    assert!(csv.contains(",below_k\n"), "{csv}");
}

/// The text of a PDF, as pdftotext reads it.
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask setup`");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_statistical_report_prints_what_stats_publishes_and_hides_small_counts() {
    let (tmp, dir) = node();
    let file = data("ctdc-cleaned-14299.csv");
    ok(&run(&dir, &["demo"]));
    import(&dir, &file);
    let es = tmp.path().join("informe.pdf");
    let said = ok(&run(
        &dir,
        &["report", "statistics", "--out", es.to_str().expect("path")],
    ));
    assert!(said.contains("informe.pdf"), "{said}");
    let report = pdf_text(&es);
    // The same table published again is the same table: each year's count
    // in the report is what `enlace stats --by year` publishes.
    let years = json(&run(&dir, &["stats", "--by", "year", "--json"]));
    let mut shown = 0;
    for c in years["cells"].as_array().expect("cells") {
        let year = c["values"]["year"].as_str().expect("year");
        if let Some(n) = c["count"].as_u64()
            && year != "unknown"
        {
            assert!(
                report.contains(&n.to_string()),
                "{year}: {n} not in the report"
            );
            shown += 1;
        }
    }
    assert!(shown >= 5, "years shown: {shown}");
    let total = years["total"]
        .as_u64()
        .expect("a total of thousands is shown");
    assert!(
        report.contains(&format!("Víctimas contadas: {total}")),
        "{report}"
    );
    for expected in [
        "Víctimas por Sexo",
        "Víctimas por Forma de explotación × Sexo",
        "Rutas: de la nacionalidad al país de explotación",
        "Metodología",
        "ctdc-cleaned-14299.csv",
        "oculto (<k)",
    ] {
        assert!(report.contains(expected), "«{expected}» missing");
    }
    // A count under k never prints: none of the exact counts below 11 of
    // the citizenship table appears as a bar's number.
    let exact_citizenship = json(&run(
        &dir,
        &["stats", "--by", "citizenship", "--k", "1", "--json"],
    ));
    let published = json(&run(&dir, &["stats", "--by", "citizenship", "--json"]));
    let published_cells = published["cells"].as_array().expect("cells");
    for e in exact_citizenship["cells"].as_array().expect("cells") {
        // Every value with victims is listed (and the region's countries
        // even without: a listed value never says that someone has it).
        let p = published_cells
            .iter()
            .find(|p| p["values"] == e["values"])
            .unwrap_or_else(|| panic!("{e} not listed"));
        if e["count"].as_u64().is_some_and(|n| n < 11) {
            assert_eq!(p["suppressed"], true, "{e}");
        }
    }
    for code in ["CR", "PA", "SV", "NI", "CA"] {
        assert!(
            published_cells
                .iter()
                .any(|p| p["values"]["citizenship"] == code),
            "{code} listed"
        );
    }
    // English, Letter paper; a k under 11 is refused before anything is written.
    let en = tmp.path().join("report.pdf");
    ok(&run(
        &dir,
        &[
            "--lang",
            "en",
            "report",
            "statistics",
            "--paper",
            "letter",
            "--source",
            "datasets",
            "--out",
            en.to_str().expect("path"),
        ],
    ));
    let english = pdf_text(&en);
    assert!(english.contains("Statistical report"));
    assert!(english.contains("Victims by Year"));
    let sources = english
        .lines()
        .find(|l| l.trim_start().starts_with("Sources:"))
        .unwrap_or_default();
    assert!(sources.contains("ctdc-cleaned-14299.csv"), "{sources}");
    assert!(
        !sources.contains("Enlace cases"),
        "only the datasets were asked for: {sources}"
    );
    let refused = tmp.path().join("refused.pdf");
    let o = run(
        &dir,
        &[
            "report",
            "statistics",
            "--k",
            "5",
            "--out",
            refused.to_str().expect("path"),
        ],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(!refused.exists(), "nothing written");
}

/// Exact counts of this node's cases by `by`.
fn exact_cases(dir: &Path, by: &str) -> Value {
    json(&run(
        dir,
        &[
            "stats", "--by", by, "--source", "cases", "--k", "1", "--json",
        ],
    ))
}

#[test]
fn htcds_export_is_pseudonymous_and_says_what_it_could_not_map() {
    let (tmp, dir) = node();
    ok(&run(&dir, &["demo"]));
    let full = tmp.path().join("enlace.json");
    ok(&run(
        &dir,
        &["export", "--out", full.to_str().expect("path")],
    ));
    let full: Value =
        serde_json::from_slice(&std::fs::read(&full).expect("read")).expect("enlace export");
    let out = tmp.path().join("htcds.json");
    let done = json(&run(
        &dir,
        &[
            "export",
            "htcds",
            "--out",
            out.to_str().expect("path"),
            "--json",
        ],
    ));
    let text = std::fs::read_to_string(&out).expect("read");
    let doc: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["standard"], "HTCDS");
    assert_eq!(doc["version"], "2.0");
    let cases = doc["cases"].as_array().expect("cases");
    let held = full["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), held.len());
    assert_eq!(done["cases"].as_u64(), Some(held.len() as u64));
    // No title, summary or note of any case travels (free text may name
    // people); no field for names or birth dates exists.
    for c in held {
        for field in ["title", "summary"] {
            let t = c[field].as_str().unwrap_or("");
            if t.len() > 12 {
                assert!(!text.contains(t), "{field} exported: {t}");
            }
        }
    }
    for forbidden in ["FirstName", "SecondName", "Birthdate", "Phone", "Email"] {
        assert!(!text.contains(forbidden), "{forbidden}");
    }
    // Every victim is there, with its sex as HTCDS spells it.
    let victims: Vec<Value> = cases
        .iter()
        .flat_map(|c| c["persons"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["prs_Role"] == "Victim")
        .collect();
    let exact = exact_cases(&dir, "gender");
    assert_eq!(Some(victims.len() as u64), exact["total"].as_u64());
    let female = victims
        .iter()
        .filter(|p| p["prs_Gender"] == "Female")
        .count() as u64;
    let exact_female = exact["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["values"]["gender"] == "female")
        .and_then(|c| c["count"].as_u64())
        .unwrap_or(0);
    assert_eq!(female, exact_female);
    // The standards' own fields: perpetrators' roles in the process, the
    // type of sexual exploitation, the trafficking status and who decided.
    let perpetrators: Vec<Value> = cases
        .iter()
        .flat_map(|c| c["persons"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["prs_Role"] == "Perpetrator")
        .collect();
    assert!(!perpetrators.is_empty());
    assert!(
        perpetrators.iter().all(|p| p["per_RoleInProcess"]
            .as_array()
            .is_some_and(|r| !r.is_empty())),
        "{perpetrators:?}"
    );
    assert!(
        perpetrators
            .iter()
            .any(|p| p["per_RoleInProcess"][0] == "Recruiter")
    );
    assert!(victims.iter().any(|v| {
        v["vic_TypeOfSexExploitation"][0] == "Prostitution"
            && v["vic_TypeOfExploitation"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "SexualExploitation"))
    }));
    assert!(
        victims
            .iter()
            .any(|v| v["vic_TraffickingStatus"] == "Actual"
                && v["vic_TraffickingStatusDecidedBy"].as_str().is_some())
    );
    // The Protocol's means have no HTCDS field: each is listed, with why.
    let unmapped = done["unmapped"].as_array().expect("unmapped");
    assert!(
        unmapped
            .iter()
            .any(|u| u["field"] == "means"
                && u["reason"] == "standard-unmapped-htcds-protocol-means"),
        "{done}"
    );
    let said = ok(&run(
        &dir,
        &["export", "htcds", "--out", out.to_str().expect("path")],
    ));
    assert!(said.contains("no se pudieron corresponder"), "{said}");
    assert!(said.contains("medio del Protocolo"), "{said}");
}

#[test]
fn ctdc_export_is_k_anonymous_and_imports_back_as_a_dataset() {
    let (tmp, dir) = node();
    ok(&run(&dir, &["demo"]));
    let out = tmp.path().join("ctdc.csv");
    let done = json(&run(
        &dir,
        &[
            "export",
            "ctdc",
            "--out",
            out.to_str().expect("path"),
            "--json",
        ],
    ));
    assert_eq!(done["k"], 11);
    let rows = done["rows"].as_u64().expect("rows");
    let dropped = done["dropped"].as_u64().expect("dropped");
    let by_year = exact_cases(&dir, "year");
    assert_eq!(
        Some(rows + dropped),
        by_year["total"].as_u64(),
        "every victim is written or counted as left out"
    );
    // Every combination of the quasi-identifiers is shared by 11 or more,
    // read back with the csv crate (not the code that wrote it).
    let mut reader = csv::Reader::from_path(&out).expect("csv");
    let header = reader.headers().expect("header").clone();
    for column in [
        "isForcedMarriage",
        "isForcedMilitary",
        "typeOfSexProstitution",
        "typeOfSexRemoteInteractiveServices",
    ] {
        assert!(header.iter().any(|h| h == column), "{column}: {header:?}");
    }
    let idx = |name: &str| header.iter().position(|h| h == name).expect(name);
    let quasi: Vec<usize> = [
        "yearOfRegistration",
        "gender",
        "ageBroad",
        "majorityStatus",
        "citizenship",
        "CountryOfExploitation",
    ]
    .iter()
    .map(|q| idx(q))
    .collect();
    let mut classes: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    let mut n = 0;
    for r in reader.records() {
        let r = r.expect("row");
        n += 1;
        let key = quasi.iter().map(|i| r[*i].to_owned()).collect();
        *classes.entry(key).or_default() += 1;
    }
    assert_eq!(n, rows);
    for (class, count) in &classes {
        assert!(*count >= 11, "{class:?} is shared by {count} only");
    }
    // Enlace reads its own export as a CTDC global dataset; what was
    // never blanked (the forms of exploitation) counts as in the cases.
    if rows > 0 {
        let imported = import(&dir, &out);
        assert_eq!(imported["shape"], "ctdc_global", "{imported}");
        assert_eq!(imported["rows"].as_u64(), Some(rows));
        let id = imported["id"].as_i64().expect("id");
        let back = exact(&dir, id, "purpose");
        let cases = exact_cases(&dir, "purpose");
        for c in cases["cells"].as_array().expect("cells") {
            let p = c["values"]["purpose"].as_str().expect("purpose");
            let n = c["count"].as_u64().unwrap_or(0);
            let m = back.get(p).copied().unwrap_or(0);
            assert!(m <= n, "{p}: {m} exported of {n}");
            if dropped == 0 && matches!(p, "forced_labour" | "sexual_exploitation") {
                assert_eq!(m, n, "{p}");
            }
        }
    }
    // Under 11: refused, nothing written.
    let refused = tmp.path().join("refused.csv");
    let o = run(
        &dir,
        &[
            "export",
            "ctdc",
            "--k",
            "3",
            "--out",
            refused.to_str().expect("path"),
        ],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(!refused.exists());
}

#[test]
fn htcds_cases_import_where_the_fields_map_and_a_bad_file_imports_nothing() {
    let (tmp, dir) = node();
    ok(&run(&dir, &["demo"]));
    let file = tmp.path().join("htcds.json");
    ok(&run(
        &dir,
        &["export", "htcds", "--out", file.to_str().expect("path")],
    ));
    // Another country's node reads them as cases.
    let other = tmp.path().join("otro");
    ok(&run(
        &other,
        &[
            "init",
            "--country",
            "GT",
            "--node-name",
            "Unidad de análisis",
        ],
    ));
    let done = json(&run(
        &other,
        &[
            "case",
            "import-htcds",
            file.to_str().expect("path"),
            "--json",
        ],
    ));
    let exported: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    let n = exported["cases"].as_array().expect("cases").len();
    assert_eq!(done["cases"].as_array().map(Vec::len), Some(n));
    // Victims by sex and by nationality count as on the node they came from.
    for by in ["gender", "citizenship"] {
        let a = exact_cases(&dir, by);
        let b = exact_cases(&other, by);
        assert_eq!(a["cells"], b["cells"], "{by}");
        assert_eq!(a["total"], b["total"], "{by}");
    }
    // A value outside HTCDS's vocabulary refuses the file whole, naming
    // the case and the field.
    let mut broken = exported.clone();
    broken["cases"][1]["persons"][0]["prs_Gender"] = Value::from("Mujer");
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&broken).expect("json")).expect("write");
    let before = exact_cases(&other, "gender")["total"].clone();
    let o = run(
        &other,
        &["case", "import-htcds", bad.to_str().expect("path")],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let said = text(&o);
    assert!(
        said.contains("caso 2") && said.contains("prs_Gender") && said.contains("Mujer"),
        "{said}"
    );
    assert_eq!(
        exact_cases(&other, "gender")["total"],
        before,
        "nothing imported"
    );
    // Not JSON at all: the line and column.
    std::fs::write(&bad, b"{\"cases\": [ {\"cas_Status\": ").expect("write");
    let o = run(
        &other,
        &["case", "import-htcds", bad.to_str().expect("path")],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("JSON legible"), "{}", text(&o));
}

#[test]
fn an_htcds_spreadsheet_saved_as_csv_imports_one_case_per_reference() {
    let (tmp, dir) = node();
    // Semicolons and Windows-1252, as a spreadsheet saves them; one row
    // per person, the case's columns repeated.
    let text = "cas_Reference;cas_Status;cas_OpenedDate;prs_Role;prs_Gender;prs_Nationality;prs_FirstName;prs_SecondName;vic_MethodsOfControl;vic_TypeOfExploitation;hte_Country;hte_Type\n\
                ONG-1;Active;2025-03-02;Victim;Female;HN;José María;Núñez Ávila;DebtBondage;ForcedLabour;HN;Recruitment\n\
                ONG-1;Active;2025-03-02;Victim;Female;HN;;;Threats;ForcedLabour;GT;Exploitation\n\
                ONG-2;Closed;2024-11-30;Victim;Male;SV;;;;SexualExploitation;MX;Exploitation\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let file = tmp.path().join("ong.csv");
    std::fs::write(&file, &bytes).expect("write");
    let done = json(&run(
        &dir,
        &[
            "case",
            "import-htcds",
            file.to_str().expect("path"),
            "--json",
        ],
    ));
    assert_eq!(done["cases"].as_array().map(Vec::len), Some(2), "{done}");
    let by = exact_cases(&dir, "gender");
    assert_eq!(by["total"], 3, "{by}");
    // The name went into the person's identity: found by search, accents
    // and case aside.
    let found = json(&run(
        &dir,
        &["case", "list", "--query", "nunez avila", "--json"],
    ));
    assert_eq!(found["total"], 1, "{found}");
    // A bad value in a row: nothing imported, the field named.
    let bad = text.replace("Male;SV", "Hombre;SV");
    std::fs::write(&file, bad).expect("write");
    let o = run(
        &dir,
        &["case", "import-htcds", file.to_str().expect("path")],
    );
    assert_eq!(o.status.code(), Some(5), "{}", text_of(&o));
    assert!(text_of(&o).contains("Hombre"), "{}", text_of(&o));
    assert_eq!(
        exact_cases(&dir, "gender")["total"],
        3,
        "nothing more imported"
    );
}

fn text_of(o: &std::process::Output) -> String {
    text(o)
}
