//! The statistical report (portrait): identified victims by year (a time
//! series), by sex, age, form of exploitation, means of control and
//! citizenship (bar charts), two cross-tabulations (heat tables), the
//! route map of the region (flows from citizenship to country of
//! exploitation), and a methods note (sources, k, resolution, what was
//! hidden and why). Every table has already gone through the disclosure
//! rules (enlace-core publishes it and logs the release): a hidden cell
//! arrives without its count and is drawn hatched, with its reason in
//! words, never as a number.

use std::collections::BTreeMap;

use enlace_domain::stats::{StatField, UNKNOWN, field_label, value_label};
use enlace_domain::{Lang, tr, tr_args};
use serde::Deserialize;

use crate::ReportError;
use crate::layout::{BLACK, Cell, GREY, LIGHT, Pages, Paper, Rgb, Seg, Table, WHITE, Weight};

/// One published cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartCell {
    /// One value per field, in the table's field order.
    pub values: Vec<String>,
    /// `None` when hidden.
    pub count: Option<u64>,
    /// Why it is hidden: `below_k`, `complementary` or `difference`.
    pub reason: Option<String>,
}

/// One published table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub fields: Vec<StatField>,
    pub cells: Vec<ChartCell>,
    pub total: Option<u64>,
    /// Hidden cells by reason.
    pub hidden: BTreeMap<String, u64>,
}

/// A source the tables count, described for the methods note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSource {
    pub name: String,
    pub detail: String,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct StatisticsReport {
    pub lang: Lang,
    pub paper: Paper,
    pub generated_at: String,
    pub node: String,
    pub k: u64,
    pub resolution: u64,
    pub sources: Vec<ReportSource>,
    /// The filter, in words (empty: every record).
    pub filter: Vec<String>,
    /// Victims counted (by year: the series' total).
    pub series: Chart,
    pub bars: Vec<Chart>,
    pub heats: Vec<Chart>,
    /// By citizenship and country of exploitation.
    pub flows: Chart,
    /// The counted cases include demonstration data (said on every page).
    pub demo: bool,
}

/// The map of the region bundled with the app (Natural Earth, public
/// domain; see `geo/README.md`).
#[derive(Debug, Clone, Deserialize)]
pub struct RegionMap {
    pub source: String,
    /// lon_min, lat_min, lon_max, lat_max.
    pub bbox: [f32; 4],
    pub countries: Vec<MapCountry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MapCountry {
    pub code: String,
    pub name: String,
    pub focus: bool,
    pub label: [f32; 2],
    pub polygons: Vec<Vec<[f32; 2]>>,
}

static REGION: &str = include_str!("../geo/region.json");

/// The bundled map.
pub fn region() -> Result<RegionMap, ReportError> {
    serde_json::from_str(REGION).map_err(|e| ReportError::Layout(format!("the map: {e}")))
}

const INK: Rgb = Rgb(21, 101, 192);
const HATCH: Rgb = Rgb(110, 110, 110);
const FLOW: Rgb = Rgb(183, 28, 28);
const LAND: Rgb = Rgb(246, 236, 211);
const NEIGHBOUR: Rgb = Rgb(232, 232, 232);
const SEA: Rgb = Rgb(232, 241, 250);

fn hidden_words(lang: Lang, reason: Option<&str>) -> String {
    tr(
        lang,
        &format!(
            "stats-hidden-{}",
            reason.unwrap_or("below_k").replace('_', "-")
        ),
    )
}

/// "Hidden: 3 (2 below k, 1 complementary, 0 difference)" for a table.
fn hidden_note(lang: Lang, c: &Chart) -> String {
    let n = |r: &str| c.hidden.get(r).copied().unwrap_or(0).to_string();
    let all: u64 = c.hidden.values().sum();
    tr_args(
        lang,
        "report-stats-hidden",
        &[
            ("hidden", &all.to_string()),
            ("below", &n("below_k")),
            ("complementary", &n("complementary")),
            ("difference", &n("difference")),
            (
                "total",
                &c.total
                    .map_or_else(|| tr(lang, "stats-hidden-below-k"), |t| t.to_string()),
            ),
        ],
    )
}

fn title_of(lang: Lang, c: &Chart) -> String {
    let names: Vec<String> = c.fields.iter().map(|f| field_label(lang, *f)).collect();
    tr_args(lang, "report-stats-by", &[("fields", &names.join(" × "))])
}

/// Renders the report to PDF bytes.
pub fn render(r: &StatisticsReport) -> Result<Vec<u8>, ReportError> {
    let lang = r.lang;
    let map = region()?;
    let mut p = Pages::new(r.paper, false, 36.0)?;
    let title = tr(lang, "report-stats-title");
    p.y += 4.0;
    p.paragraph(&title, 16.0, Weight::Bold, BLACK);
    p.paragraph(
        &tr_args(lang, "report-stats-date", &[("date", &r.generated_at)]),
        9.0,
        Weight::Regular,
        BLACK,
    );
    let sources: Vec<String> = r.sources.iter().map(|s| s.name.clone()).collect();
    p.paragraph(
        &tr_args(
            lang,
            "report-stats-sources",
            &[("sources", &sources.join("; "))],
        ),
        9.0,
        Weight::Regular,
        BLACK,
    );
    if !r.filter.is_empty() {
        p.paragraph(
            &tr_args(
                lang,
                "report-stats-filter",
                &[("filter", &r.filter.join("; "))],
            ),
            9.0,
            Weight::Regular,
            BLACK,
        );
    }
    p.y += 4.0;
    // The rules in one boxed sentence, before any number.
    let rules = tr_args(
        lang,
        "report-stats-rules",
        &[
            ("k", &r.k.to_string()),
            ("resolution", &r.resolution.to_string()),
        ],
    );
    let lines = p
        .fonts
        .wrap(&rules, 8.5, Weight::Regular, p.content_width() - 44.0);
    let h = lines.len() as f32 * 11.0 + 10.0;
    let (x0, y0) = (p.margin, p.y);
    p.rect(
        x0,
        y0,
        p.content_width(),
        h,
        Some(Rgb(245, 245, 245)),
        Some(GREY),
    );
    p.hatch(x0 + 8.0, y0 + 6.0, 24.0, 12.0, HATCH);
    for (i, l) in lines.iter().enumerate() {
        p.text(
            x0 + 38.0,
            y0 + 14.0 + i as f32 * 11.0,
            8.5,
            Weight::Regular,
            BLACK,
            l,
        );
    }
    p.y += h + 10.0;
    let total = r
        .series
        .total
        .map_or_else(|| tr(lang, "stats-hidden-below-k"), |t| t.to_string());
    p.paragraph(
        &tr_args(lang, "report-stats-total", &[("total", &total)]),
        11.0,
        Weight::Bold,
        BLACK,
    );
    p.y += 6.0;

    series(&mut p, lang, &r.series);
    for c in &r.bars {
        bars(&mut p, lang, c);
    }
    for c in &r.heats {
        heat(&mut p, lang, c);
    }
    route_map(&mut p, lang, &map, &r.flows);
    methods(&mut p, r, &map);

    let produced = tr_args(
        lang,
        "report-produced",
        &[("date", &r.generated_at), ("node", &r.node)],
    );
    let metadata = krilla::metadata::Metadata::new()
        .title(title.clone())
        .language(lang.code().to_owned())
        .creator("Enlace".into());
    p.finish(metadata, |p, i, n| {
        let note = r.demo.then(|| tr(lang, "report-stats-demo"));
        p.running_head(lang, i, n, &title, &produced, note.as_deref());
    })
}

fn heading(p: &mut Pages, text: &str, need: f32) {
    p.ensure(need + 24.0);
    p.y += 6.0;
    p.paragraph(text, 11.0, Weight::Bold, BLACK);
    p.y += 4.0;
}

/// Victims by year: a line over the years shown; a hidden year is a
/// hatched mark on the axis, not a zero.
fn series(p: &mut Pages, lang: Lang, c: &Chart) {
    let known: Vec<&ChartCell> = c
        .cells
        .iter()
        .filter(|x| x.values.first().is_some_and(|v| v != UNKNOWN))
        .collect();
    heading(p, &title_of(lang, c), 170.0);
    if known.is_empty() {
        p.paragraph(&tr(lang, "report-stats-empty"), 9.0, Weight::Regular, GREY);
        return;
    }
    let (x0, w, h) = (p.margin + 34.0, p.content_width() - 44.0, 120.0);
    let y0 = p.y;
    let max = known
        .iter()
        .filter_map(|x| x.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let top = nice(max);
    // Axes and gridlines.
    for i in 0..=4u64 {
        let v = top * i / 4;
        let y = y0 + h - h * (v as f32) / (top as f32);
        p.line(x0, y, x0 + w, y, LIGHT, 0.5);
        let label = v.to_string();
        let lw = p.fonts.width(&label, 7.0, Weight::Regular);
        p.text(x0 - 4.0 - lw, y + 2.5, 7.0, Weight::Regular, GREY, &label);
    }
    p.line(x0, y0 + h, x0 + w, y0 + h, BLACK, 0.7);
    // Years on a proportional axis (a year with no record leaves a gap);
    // anything else evenly spaced.
    let years: Vec<Option<i64>> = known.iter().map(|c| c.values[0].parse().ok()).collect();
    let numeric = years.iter().all(Option::is_some);
    let (first, last) = (
        years.iter().flatten().min().copied().unwrap_or(0),
        years.iter().flatten().max().copied().unwrap_or(0),
    );
    let slots = if numeric {
        (last - first + 1) as f32
    } else {
        known.len() as f32
    };
    let step = w / slots;
    let slot = |i: usize| match years[i] {
        Some(y) if numeric => (y - first) as f32,
        _ => i as f32,
    };
    let x_of = |i: usize| x0 + step * (slot(i) + 0.5);
    let mut segs: Vec<Seg> = vec![];
    let mut prev: Option<f32> = None;
    for (i, cell) in known.iter().enumerate() {
        match cell.count {
            Some(n) => {
                let (x, y) = (x_of(i), y0 + h - h * (n as f32) / (top as f32));
                // A hidden year, or a year with no record, breaks the line.
                let joined = prev.is_some_and(|s| slot(i) - s < 1.5);
                segs.push(if joined {
                    Seg::Line(x, y)
                } else {
                    Seg::Move(x, y)
                });
                prev = Some(slot(i));
            }
            None => prev = None,
        }
    }
    p.path(segs, None, Some(INK), 1.6, None);
    // Every year labelled when they fit, else every fifth.
    let every = if slots <= 24.0 { 1 } else { 5 };
    for (i, cell) in known.iter().enumerate() {
        let x = x_of(i);
        let label = &cell.values[0];
        if years[i].is_none_or(|y| (y - first) % every == 0) {
            let lw = p.fonts.width(label, 7.0, Weight::Regular);
            p.text(
                x - lw / 2.0,
                y0 + h + 10.0,
                7.0,
                Weight::Regular,
                BLACK,
                label,
            );
        }
        match cell.count {
            Some(n) => {
                let y = y0 + h - h * (n as f32) / (top as f32);
                p.path(vec![Seg::Circle(x, y, 2.2)], Some(INK), None, 0.0, None);
                // Each point's count where there is room for it (the
                // table's CSV has them all).
                let t = n.to_string();
                let tw = p.fonts.width(&t, 6.5, Weight::Regular);
                if tw < step * 0.95 {
                    p.text(x - tw / 2.0, y - 5.0, 6.5, Weight::Regular, BLACK, &t);
                }
            }
            None => p.hatch(x - 4.0, y0 + h - 8.0, 8.0, 8.0, HATCH),
        }
    }
    p.y = y0 + h + 16.0;
    let unknown = c
        .cells
        .iter()
        .find(|x| x.values.first().is_some_and(|v| v == UNKNOWN));
    if let Some(u) = unknown {
        let shown = u.count.map_or_else(
            || hidden_words(lang, u.reason.as_deref()),
            |n| n.to_string(),
        );
        p.paragraph(
            &tr_args(lang, "report-stats-unknown-year", &[("n", &shown)]),
            8.0,
            Weight::Regular,
            GREY,
        );
    }
    p.paragraph(&hidden_note(lang, c), 8.0, Weight::Regular, GREY);
}

/// A round number at or above `n` for an axis's top.
fn nice(n: u64) -> u64 {
    let mut step = 1u64;
    while step * 10 < n {
        step *= 10;
    }
    for m in [1, 2, 5, 10] {
        if step * m >= n {
            return step * m;
        }
    }
    step * 10
}

/// A horizontal bar per value with its count; a hidden value is a hatched
/// bar of fixed length with its reason in words.
fn bars(p: &mut Pages, lang: Lang, c: &Chart) {
    let Some(field) = c.fields.first().copied() else {
        return;
    };
    heading(p, &title_of(lang, c), 60.0);
    if c.cells.is_empty() {
        p.paragraph(&tr(lang, "report-stats-empty"), 9.0, Weight::Regular, GREY);
        return;
    }
    let w = p.content_width();
    let label_w = w * 0.34;
    let bar_w = w - label_w - 110.0;
    let max = largest_count(c.cells.iter());
    let (shown, left) = largest(&c.cells, MAX_BARS);
    for cell in shown {
        p.ensure(13.0);
        let y = p.y;
        let label = value_label(lang, field, &cell.values[0]);
        let label = fit(p, &label, 8.0, label_w - 6.0);
        p.text(p.margin, y + 9.0, 8.0, Weight::Regular, BLACK, &label);
        let bx = p.margin + label_w;
        match cell.count {
            Some(n) => {
                let len = (bar_w * n as f32 / max as f32).max(0.5);
                p.rect(bx, y + 2.0, len, 9.0, Some(INK), None);
                p.text(
                    bx + len + 4.0,
                    y + 9.0,
                    8.0,
                    Weight::Bold,
                    BLACK,
                    &n.to_string(),
                );
            }
            None => {
                p.hatch(bx, y + 2.0, 28.0, 9.0, HATCH);
                let words = hidden_words(lang, cell.reason.as_deref());
                p.text(bx + 32.0, y + 9.0, 7.5, Weight::Regular, GREY, &words);
            }
        }
        p.y += 12.5;
    }
    p.y += 2.0;
    more(p, lang, left);
    let mut note = hidden_note(lang, c);
    if field.multi_valued() {
        note.push(' ');
        note.push_str(&tr(lang, "report-stats-multi"));
    }
    p.paragraph(&note, 8.0, Weight::Regular, GREY);
}

/// At most this many bars per chart, rows of a heat table or flows listed;
/// the rest are in the table's CSV.
const MAX_BARS: usize = 40;
const MAX_COLUMNS: usize = 10;
const MAX_FLOWS: usize = 150;

/// The `n` cells with the largest counts (hidden ones last), in the
/// table's order; and how many were left out.
fn largest(cells: &[ChartCell], n: usize) -> (Vec<&ChartCell>, usize) {
    if cells.len() <= n {
        return (cells.iter().collect(), 0);
    }
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cells[i].count.map_or(0, |c| c + 1)));
    let mut keep: Vec<usize> = order.into_iter().take(n).collect();
    keep.sort_unstable();
    (keep.iter().map(|&i| &cells[i]).collect(), cells.len() - n)
}

/// "N more values: in the CSV of this table."
fn more(p: &mut Pages, lang: Lang, left: usize) {
    if left > 0 {
        p.paragraph(
            &tr_args(lang, "report-stats-more", &[("n", &left.to_string())]),
            8.0,
            Weight::Bold,
            GREY,
        );
    }
}

/// The largest count shown among `cells` (1 at least: a scale's top).
fn largest_count<'a>(cells: impl Iterator<Item = &'a ChartCell>) -> u64 {
    cells.filter_map(|x| x.count).max().unwrap_or(0).max(1)
}

/// `text` cut with an ellipsis to `width`.
fn fit(p: &Pages, text: &str, size: f32, width: f32) -> String {
    if p.fonts.width(text, size, Weight::Regular) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && p.fonts.width(&format!("{out}…"), size, Weight::Regular) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// A cross-tabulation: rows the first field's values, columns the
/// second's, each cell shaded by its count with the number printed (so it
/// reads in black and white); hidden cells hatched.
fn heat(p: &mut Pages, lang: Lang, c: &Chart) {
    let (Some(rf), Some(cf)) = (c.fields.first().copied(), c.fields.get(1).copied()) else {
        return;
    };
    // Rows and columns in the table's order; the largest kept when there
    // are too many to print.
    let mut row_total: Vec<(String, u64)> = vec![];
    let mut col_total: Vec<(String, u64)> = vec![];
    for cell in &c.cells {
        let n = cell.count.unwrap_or(0);
        for (axis, v) in [
            (&mut row_total, &cell.values[0]),
            (&mut col_total, &cell.values[1]),
        ] {
            match axis.iter_mut().find(|(x, _)| x == v) {
                Some((_, t)) => *t += n,
                None => axis.push((v.clone(), n)),
            }
        }
    }
    let keep = |axis: Vec<(String, u64)>, n: usize| -> (Vec<String>, usize) {
        if axis.len() <= n {
            return (axis.into_iter().map(|(v, _)| v).collect(), 0);
        }
        let mut by_size = axis.clone();
        by_size.sort_by_key(|(_, t)| std::cmp::Reverse(*t));
        let kept: Vec<String> = by_size.into_iter().take(n).map(|(v, _)| v).collect();
        let left = axis.len() - n;
        (
            axis.into_iter()
                .map(|(v, _)| v)
                .filter(|v| kept.contains(v))
                .collect(),
            left,
        )
    };
    let (rows, rows_left) = keep(row_total, MAX_BARS);
    let (cols, cols_left) = keep(col_total, MAX_COLUMNS);
    let at: BTreeMap<(&str, &str), &ChartCell> = c
        .cells
        .iter()
        .map(|x| ((x.values[0].as_str(), x.values[1].as_str()), x))
        .collect();
    heading(p, &title_of(lang, c), 80.0);
    if c.cells.is_empty() {
        p.paragraph(&tr(lang, "report-stats-empty"), 9.0, Weight::Regular, GREY);
        return;
    }
    let w = p.content_width();
    let label_w = (w * 0.28).min(150.0);
    let col_w = ((w - label_w) / cols.len().max(1) as f32).min(70.0);
    let max = largest_count(c.cells.iter());
    let head_h = 30.0;
    let draw_head = |p: &mut Pages| {
        let y = p.y;
        for (j, v) in cols.iter().enumerate() {
            let x = p.margin + label_w + j as f32 * col_w;
            let lines = p
                .fonts
                .wrap(&value_label(lang, cf, v), 7.0, Weight::Bold, col_w - 4.0);
            for (i, l) in lines.iter().take(3).enumerate() {
                p.text(
                    x + 2.0,
                    y + 9.0 + i as f32 * 8.5,
                    7.0,
                    Weight::Bold,
                    BLACK,
                    l,
                );
            }
        }
        p.y += head_h;
    };
    p.ensure(head_h + 16.0);
    draw_head(p);
    let row_h = 15.0;
    for r in &rows {
        if p.ensure(row_h) {
            draw_head(p);
        }
        let y = p.y;
        let label = fit(p, &value_label(lang, rf, r), 7.5, label_w - 4.0);
        p.text(p.margin, y + 10.5, 7.5, Weight::Regular, BLACK, &label);
        for (j, col) in cols.iter().enumerate() {
            let x = p.margin + label_w + j as f32 * col_w;
            match at.get(&(r.as_str(), col.as_str())) {
                Some(cell) => match cell.count {
                    Some(n) => {
                        let t = n as f32 / max as f32;
                        let shade = Rgb(
                            (255.0 - t * (255.0 - 21.0)) as u8,
                            (255.0 - t * (255.0 - 101.0)) as u8,
                            (255.0 - t * (255.0 - 192.0)) as u8,
                        );
                        p.rect(x, y, col_w, row_h, Some(shade), Some(WHITE));
                        let s = n.to_string();
                        let sw = p.fonts.width(&s, 7.5, Weight::Bold);
                        let ink = if t > 0.55 { WHITE } else { BLACK };
                        p.text(x + (col_w - sw) / 2.0, y + 10.5, 7.5, Weight::Bold, ink, &s);
                    }
                    None => p.hatch(x + 1.0, y + 1.0, col_w - 2.0, row_h - 2.0, HATCH),
                },
                None => p.rect(x, y, col_w, row_h, None, Some(LIGHT)),
            }
        }
        p.y += row_h;
    }
    p.y += 4.0;
    more(p, lang, rows_left + cols_left);
    let mut note = hidden_note(lang, c);
    note.push(' ');
    note.push_str(&tr(lang, "report-stats-heat-legend"));
    p.paragraph(&note, 8.0, Weight::Regular, GREY);
}

/// The region's map with an arrow per flow from citizenship to country of
/// exploitation (width by count), a circle where both are the same
/// country, and hidden flows dashed; then the flows as a table.
fn route_map(p: &mut Pages, lang: Lang, map: &RegionMap, c: &Chart) {
    let [lon0, lat0, lon1, lat1] = map.bbox;
    let kx = (19.0f32).to_radians().cos();
    let w = p.content_width();
    let h = w * (lat1 - lat0) / ((lon1 - lon0) * kx);
    // Always a page of its own: the map and its legend together.
    p.new_page();
    heading(p, &tr(lang, "report-stats-map-title"), h);
    let (x0, y0) = (p.margin, p.y);
    let proj = |lon: f32, lat: f32| -> (f32, f32) {
        (
            x0 + (lon - lon0) / (lon1 - lon0) * w,
            y0 + (lat1 - lat) / (lat1 - lat0) * h,
        )
    };
    p.push(crate::layout::Op::Clip { x: x0, y: y0, w, h });
    p.rect(x0, y0, w, h, Some(SEA), None);
    for country in &map.countries {
        let fill = if country.focus { LAND } else { NEIGHBOUR };
        for ring in &country.polygons {
            let mut segs = vec![];
            for (i, [lon, lat]) in ring.iter().enumerate() {
                let (x, y) = proj(*lon, *lat);
                segs.push(if i == 0 {
                    Seg::Move(x, y)
                } else {
                    Seg::Line(x, y)
                });
            }
            segs.push(Seg::Close);
            p.path(segs, Some(fill), Some(GREY), 0.4, None);
        }
    }
    let label: BTreeMap<&str, (f32, f32)> = map
        .countries
        .iter()
        .map(|m| (m.code.as_str(), proj(m.label[0], m.label[1])))
        .collect();
    let on_map = |x: &ChartCell| {
        label.contains_key(x.values[0].as_str()) && label.contains_key(x.values[1].as_str())
    };
    let max = largest_count(c.cells.iter().filter(|x| on_map(x)));
    let width_of = |n: u64| 1.0 + 7.0 * ((n as f32) / (max as f32)).sqrt();
    // Hidden flows first (under), then the larger over the smaller.
    let mut drawn: Vec<&ChartCell> = c.cells.iter().filter(|x| on_map(x)).collect();
    drawn.sort_by_key(|x| x.count.map_or(0, |n| n + 1));
    for cell in &drawn {
        let (Some(&a), Some(&b)) = (
            label.get(cell.values[0].as_str()),
            label.get(cell.values[1].as_str()),
        ) else {
            continue;
        };
        let (color, width, dash) = match cell.count {
            Some(n) => (FLOW, width_of(n), None),
            None => (HATCH, 0.9, Some(3.0)),
        };
        if cell.values[0] == cell.values[1] {
            let r = match cell.count {
                Some(n) => 3.0 + 6.0 * ((n as f32) / (max as f32)).sqrt(),
                None => 4.0,
            };
            p.path(
                vec![Seg::Circle(a.0, a.1, r)],
                None,
                Some(color),
                width.min(2.5),
                dash,
            );
            continue;
        }
        arrow(p, a, b, color, width, dash);
    }
    for m in map.countries.iter().filter(|m| m.focus) {
        let (x, y) = proj(m.label[0], m.label[1]);
        let name = enlace_domain::CountryCode::parse(&m.code)
            .map_or_else(|| m.name.clone(), |cc| cc.name(lang));
        let tw = p.fonts.width(&name, 7.0, Weight::Bold);
        p.text(x - tw / 2.0, y + 12.0, 7.0, Weight::Bold, BLACK, &name);
    }
    p.push(crate::layout::Op::EndClip);
    p.rect(x0, y0, w, h, None, Some(GREY));
    p.y = y0 + h + 8.0;
    // Legend.
    let ly = p.y;
    let mut lx = x0;
    // Widths of counts the map shows (the largest, one between, the
    // smallest): never a made-up number.
    let mut shown: Vec<u64> = drawn
        .iter()
        .filter_map(|x| x.count)
        .filter(|n| *n > 0)
        .collect();
    shown.sort_unstable_by(|a, b| b.cmp(a));
    shown.dedup();
    let mut samples: Vec<u64> = [shown.first(), shown.get(shown.len() / 2), shown.last()]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    samples.dedup();
    for n in samples {
        arrow(
            p,
            (lx, ly + 6.0),
            (lx + 36.0, ly + 6.0),
            FLOW,
            width_of(n),
            None,
        );
        p.text(
            lx + 42.0,
            ly + 9.0,
            7.5,
            Weight::Regular,
            BLACK,
            &n.to_string(),
        );
        lx += 80.0;
    }
    arrow(
        p,
        (lx, ly + 6.0),
        (lx + 36.0, ly + 6.0),
        HATCH,
        0.9,
        Some(3.0),
    );
    p.text(
        lx + 42.0,
        ly + 9.0,
        7.5,
        Weight::Regular,
        BLACK,
        &tr(lang, "report-stats-map-hidden"),
    );
    p.y += 18.0;
    p.paragraph(
        &tr(lang, "report-stats-map-legend"),
        8.0,
        Weight::Regular,
        GREY,
    );
    p.paragraph(&hidden_note(lang, c), 8.0, Weight::Regular, GREY);
    // The flows as a table: every pair of known countries, drawn or not.
    let known: Vec<ChartCell> = c
        .cells
        .iter()
        .filter(|x| x.values.iter().all(|v| v != UNKNOWN))
        .cloned()
        .collect();
    let (listed, flows_left) = largest(&known, MAX_FLOWS);
    let rows: Vec<Vec<Cell>> = listed
        .into_iter()
        .map(|x| {
            let count = match x.count {
                Some(n) => Cell::new(n.to_string()).bold(),
                None => Cell::new(hidden_words(lang, x.reason.as_deref())).fill(LIGHT),
            };
            vec![
                Cell::new(value_label(lang, StatField::Citizenship, &x.values[0])),
                Cell::new(value_label(
                    lang,
                    StatField::ExploitationCountry,
                    &x.values[1],
                )),
                count,
            ]
        })
        .collect();
    let unknown_cells = c
        .cells
        .iter()
        .filter(|x| x.values.iter().any(|v| v == UNKNOWN))
        .count();
    p.y += 6.0;
    if rows.is_empty() {
        p.paragraph(
            &tr(lang, "report-stats-map-none"),
            9.0,
            Weight::Regular,
            GREY,
        );
    } else {
        let t = Table {
            columns: vec![
                (field_label(lang, StatField::Citizenship), w * 0.4),
                (field_label(lang, StatField::ExploitationCountry), w * 0.4),
                (tr(lang, "stats-count"), w * 0.2),
            ],
            size: 8.0,
        };
        p.table(&t, &rows);
        more(p, lang, flows_left);
    }
    if unknown_cells > 0 {
        p.y += 4.0;
        p.paragraph(
            &tr_args(
                lang,
                "report-stats-map-unknown",
                &[("n", &unknown_cells.to_string())],
            ),
            8.0,
            Weight::Regular,
            GREY,
        );
    }
}

/// A curved arrow from `a` to `b` (bending to the left of the way).
fn arrow(p: &mut Pages, a: (f32, f32), b: (f32, f32), color: Rgb, width: f32, dash: Option<f32>) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(0.01);
    let bend = if len > 60.0 { 0.18 } else { 0.0 };
    let c = ((a.0 + b.0) / 2.0 - dy * bend, (a.1 + b.1) / 2.0 + dx * bend);
    // The head: along the curve's last tangent (from the control point).
    let (tx, ty) = (b.0 - c.0, b.1 - c.1);
    let tl = (tx * tx + ty * ty).sqrt().max(0.01);
    let (ux, uy) = (tx / tl, ty / tl);
    let head = 4.0 + width * 1.2;
    let base = (b.0 - ux * head, b.1 - uy * head);
    p.path(
        vec![Seg::Move(a.0, a.1), Seg::Quad(c.0, c.1, base.0, base.1)],
        None,
        Some(color),
        width,
        dash,
    );
    let half = head * 0.55;
    p.path(
        vec![
            Seg::Move(b.0, b.1),
            Seg::Line(base.0 - uy * half, base.1 + ux * half),
            Seg::Line(base.0 + uy * half, base.1 - ux * half),
            Seg::Close,
        ],
        Some(color),
        None,
        0.0,
        None,
    );
}

/// Sources, the disclosure rules, and how cases become records.
fn methods(p: &mut Pages, r: &StatisticsReport, map: &RegionMap) {
    let lang = r.lang;
    p.ensure(120.0);
    p.y += 8.0;
    p.paragraph(&tr(lang, "report-stats-methods"), 12.0, Weight::Bold, BLACK);
    p.y += 2.0;
    p.paragraph(
        &tr(lang, "report-stats-methods-sources"),
        9.0,
        Weight::Bold,
        BLACK,
    );
    for s in &r.sources {
        p.paragraph(
            &format!("• {}: {}", s.name, s.detail),
            8.5,
            Weight::Regular,
            BLACK,
        );
    }
    p.y += 4.0;
    let k = r.k.to_string();
    let res = r.resolution.to_string();
    for key in [
        "report-stats-methods-k",
        "report-stats-methods-complementary",
        "report-stats-methods-release",
        "report-stats-methods-multi",
        "report-stats-methods-cases",
    ] {
        p.paragraph(
            &tr_args(lang, key, &[("k", &k), ("resolution", &res)]),
            8.5,
            Weight::Regular,
            BLACK,
        );
        p.y += 3.0;
    }
    let _ = map;
    p.paragraph(
        &tr(lang, "report-stats-methods-map"),
        8.5,
        Weight::Regular,
        BLACK,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_map_holds_the_eight_participating_states_with_labels_inside() {
        let m = region().expect("the bundled map parses");
        let focus: Vec<&str> = m
            .countries
            .iter()
            .filter(|c| c.focus)
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(focus, ["MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA"]);
        for c in m.countries.iter().filter(|c| c.focus) {
            let ring = &c.polygons[0];
            let [x, y] = c.label;
            // Ray casting: the label lies inside the largest polygon.
            let mut inside = false;
            let n = ring.len();
            for i in 0..n {
                let [xi, yi] = ring[i];
                let [xj, yj] = ring[(i + n - 1) % n];
                if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
            }
            assert!(inside, "{}'s label lies outside it", c.code);
        }
    }

    #[test]
    fn nice_axis_tops_hold_the_maximum() {
        for n in [1u64, 7, 10, 11, 99, 101, 2_345, 14_299] {
            let t = nice(n);
            assert!(t >= n && t <= n * 10, "{n} → {t}");
        }
    }
}
