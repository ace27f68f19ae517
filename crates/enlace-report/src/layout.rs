//! A small page-layout layer over krilla: measured text, word wrap, tables
//! that break across pages with their header repeated, and a display list
//! per page so that "page N of M" is known when the pages are drawn.
//!
//! Coordinates are points (1/72 in), origin top-left, as in krilla.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::ReportError;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

/// Paper sizes, portrait, in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn parse(s: &str) -> Option<Paper> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "carta" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// (width, height) in points, portrait.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const BLACK: Rgb = Rgb(0, 0, 0);
pub const GREY: Rgb = Rgb(90, 90, 90);
pub const LIGHT: Rgb = Rgb(225, 225, 225);
pub const WHITE: Rgb = Rgb(255, 255, 255);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// One drawing operation.
#[derive(Debug, Clone)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
        /// Degrees, counter-clockwise (for column headers).
        rotate: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
    },
    /// A path (polygons, curves, circles), filled and/or stroked; a dashed
    /// stroke when `dash` is set (the dash length).
    Path {
        segs: Vec<Seg>,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        width: f32,
        dash: Option<f32>,
    },
    /// Later operations are drawn inside this rectangle only, until
    /// [`Op::EndClip`].
    Clip {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    EndClip,
}

/// One piece of a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    Move(f32, f32),
    Line(f32, f32),
    /// A quadratic curve: control point, then end point.
    Quad(f32, f32, f32, f32),
    Circle(f32, f32, f32),
    Close,
}

/// Text measurement with the embedded fonts.
pub struct Fonts {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts")
    }
}

impl Fonts {
    pub fn new() -> Result<Fonts, ReportError> {
        let load = |d: &'static [u8]| {
            skrifa::FontRef::new(d).map_err(|e| ReportError::Font(e.to_string()))
        };
        Ok(Fonts {
            regular: load(REGULAR)?,
            bold: load(BOLD)?,
        })
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let font = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                let gid = charmap.map(c).unwrap_or_default();
                metrics.advance_width(gid).unwrap_or(size * 0.5)
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width` (at spaces; a word
    /// longer than a line is cut). Paragraph breaks are kept.
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = vec![];
        for para in text.lines() {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

/// Pages as display lists, laid out top to bottom with a cursor.
#[derive(Debug)]
pub struct Pages {
    pub fonts: Fonts,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    /// Space kept at the top of each page for the running header.
    pub header_height: f32,
    /// Space kept at the bottom for the footer.
    pub footer_height: f32,
    pub pages: Vec<Vec<Op>>,
    /// The cursor on the current page.
    pub y: f32,
}

impl Pages {
    pub fn new(paper: Paper, landscape: bool, margin: f32) -> Result<Pages, ReportError> {
        let (w, h) = paper.size();
        let (width, height) = if landscape { (h, w) } else { (w, h) };
        let mut p = Pages {
            fonts: Fonts::new()?,
            width,
            height,
            margin,
            header_height: 34.0,
            footer_height: 28.0,
            pages: vec![],
            y: 0.0,
        };
        p.new_page();
        Ok(p)
    }

    /// The usable width between the margins.
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin - self.footer_height
    }

    pub fn new_page(&mut self) {
        self.pages.push(vec![]);
        self.y = self.margin + self.header_height;
    }

    /// Room left on the current page.
    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// Starts a new page unless `h` points fit.
    pub fn ensure(&mut self, h: f32) -> bool {
        if self.room() < h {
            self.new_page();
            return true;
        }
        false
    }

    pub fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, color: Rgb, text: &str) {
        self.push(Op::Text {
            x,
            y,
            size,
            weight,
            color,
            text: text.to_owned(),
            rotate: 0.0,
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<Rgb>) {
        self.push(Op::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb, width: f32) {
        self.push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        });
    }

    pub fn path(
        &mut self,
        segs: Vec<Seg>,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        width: f32,
        dash: Option<f32>,
    ) {
        self.push(Op::Path {
            segs,
            fill,
            stroke,
            width,
            dash,
        });
    }

    /// A hatched rectangle (diagonal lines inside an outline): what a
    /// hidden count looks like, in colour or in black and white.
    pub fn hatch(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.push(Op::Clip { x, y, w, h });
        let step = 4.0;
        let mut d = -h;
        while d < w {
            self.line(x + d, y + h, x + d + h, y, color, 0.6);
            d += step;
        }
        self.push(Op::EndClip);
        self.rect(x, y, w, h, None, Some(color));
    }

    /// A wrapped paragraph at the cursor, across pages if needed.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight, color: Rgb) {
        let lead = size * 1.3;
        let lines = self.fonts.wrap(text, size, weight, self.content_width());
        for l in lines {
            self.ensure(lead);
            self.y += lead;
            let (x, y) = (self.margin, self.y - size * 0.3);
            self.text(x, y, size, weight, color, &l);
        }
    }

    /// A table: `header` repeated on every page it spans; each row's cells
    /// wrapped to their column; rows never split across pages unless a row
    /// is taller than a page. `shade(row)` gives a row's background.
    pub fn table(&mut self, t: &Table, rows: &[Vec<Cell>]) {
        let size = t.size;
        let lead = size * 1.25;
        let pad = 3.0;
        let x0 = self.margin;
        // A table whose columns have no titles (a list of key and value)
        // has no header row.
        let headless = t.columns.iter().all(|(h, _)| h.is_empty());
        let draw_header = |p: &mut Pages| {
            if headless {
                return;
            }
            let lines: Vec<Vec<String>> = t
                .columns
                .iter()
                .map(|(h, w)| p.fonts.wrap(h, size, Weight::Bold, w - 2.0 * pad))
                .collect();
            let n = lines.iter().map(Vec::len).max().unwrap_or(1);
            let h = n as f32 * lead + 2.0 * pad;
            let total: f32 = t.columns.iter().map(|c| c.1).sum();
            let y = p.y;
            p.rect(x0, y, total, h, Some(LIGHT), Some(GREY));
            let mut x = x0;
            for ((_, w), ls) in t.columns.iter().zip(&lines) {
                for (i, l) in ls.iter().enumerate() {
                    p.text(
                        x + pad,
                        y + pad + (i as f32 + 1.0) * lead - size * 0.3,
                        size,
                        Weight::Bold,
                        BLACK,
                        l,
                    );
                }
                x += w;
            }
            p.y += h;
        };
        self.ensure(lead * 4.0);
        draw_header(self);
        for row in rows {
            let wrapped: Vec<Vec<String>> = t
                .columns
                .iter()
                .zip(row)
                .map(|((_, w), c)| {
                    let mut lines = self.fonts.wrap(&c.text, size, c.weight, w - 2.0 * pad);
                    if c.bar.is_some() {
                        // The bar takes the first line.
                        lines.insert(0, String::new());
                    }
                    lines
                })
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let h = n as f32 * lead + 2.0 * pad;
            if self.room() < h {
                self.new_page();
                draw_header(self);
            }
            let y = self.y;
            let mut x = x0;
            for (((_, w), c), ls) in t.columns.iter().zip(row).zip(&wrapped) {
                self.rect(x, y, *w, h, c.fill, Some(GREY));
                if let Some(m) = c.mark {
                    self.rect(x, y, 3.0, h, Some(m), None);
                }
                if let Some(pct) = c.bar {
                    let bw = w - 2.0 * pad;
                    let by = y + pad + lead * 0.25;
                    self.rect(x + pad, by, bw, lead * 0.55, Some(WHITE), Some(BLACK));
                    if pct > 0.0 {
                        self.rect(x + pad, by, bw * pct / 100.0, lead * 0.55, Some(GREY), None);
                    }
                }
                for (i, l) in ls.iter().enumerate() {
                    if y + pad + (i as f32 + 1.0) * lead > self.bottom() + lead {
                        break;
                    }
                    self.text(
                        x + pad,
                        y + pad + (i as f32 + 1.0) * lead - size * 0.3,
                        size,
                        c.weight,
                        BLACK,
                        l,
                    );
                }
                x += w;
            }
            self.y += h;
        }
    }

    /// The running header every report carries (title left, who produced it
    /// right, a rule) and its footer ("Página N de M" right, an optional
    /// note left, e.g. that the data is for demonstration).
    pub fn running_head(
        &mut self,
        lang: enlace_domain::Lang,
        index: usize,
        count: usize,
        title: &str,
        produced: &str,
        note: Option<&str>,
    ) {
        let top = self.margin + 12.0;
        self.text(self.margin, top, 8.5, Weight::Bold, BLACK, title);
        let tw = self.fonts.width(produced, 7.5, Weight::Regular);
        let right = self.width - self.margin;
        self.text(right - tw, top, 7.5, Weight::Regular, GREY, produced);
        self.line(self.margin, top + 6.0, right, top + 6.0, GREY, 0.5);
        let bottom = self.height - self.margin;
        let page = enlace_domain::tr_args(
            lang,
            "report-page",
            &[
                ("n", &(index + 1).to_string()),
                ("total", &count.to_string()),
            ],
        );
        let pw = self.fonts.width(&page, 8.0, Weight::Regular);
        self.text(right - pw, bottom, 8.0, Weight::Regular, GREY, &page);
        if let Some(note) = note {
            self.text(self.margin, bottom, 8.0, Weight::Bold, BLACK, note);
        }
    }

    /// Draws every page with `decorate(page_index, page_count, ops)` adding
    /// the running header and footer, and returns the PDF bytes.
    pub fn finish(
        mut self,
        metadata: krilla::metadata::Metadata,
        mut decorate: impl FnMut(&mut Pages, usize, usize),
    ) -> Result<Vec<u8>, ReportError> {
        let count = self.pages.len();
        let bodies = std::mem::take(&mut self.pages);
        let mut pages = Vec::with_capacity(count);
        for (i, body) in bodies.into_iter().enumerate() {
            self.pages = vec![body];
            decorate(&mut self, i, count);
            pages.append(&mut self.pages);
        }
        let regular = Font::new(REGULAR.to_vec().into(), 0)
            .ok_or_else(|| ReportError::Font("regular".into()))?;
        let bold =
            Font::new(BOLD.to_vec().into(), 0).ok_or_else(|| ReportError::Font("bold".into()))?;
        let mut doc = Document::new();
        doc.set_metadata(metadata);
        for ops in &pages {
            let settings = PageSettings::from_wh(self.width, self.height)
                .ok_or_else(|| ReportError::Layout("page size".into()))?;
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            for op in ops {
                draw(&mut s, op, &regular, &bold);
            }
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
    }
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        width,
        ..Stroke::default()
    }
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let rect = Rect::from_xywh(x, y, w, h)?;
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    pb.finish()
}

fn draw(s: &mut krilla::surface::Surface<'_>, op: &Op, regular: &Font, bold: &Font) {
    match op {
        Op::Text {
            x,
            y,
            size,
            weight,
            color,
            text,
            rotate,
        } => {
            if text.is_empty() {
                return;
            }
            let font = match weight {
                Weight::Regular => regular.clone(),
                Weight::Bold => bold.clone(),
            };
            s.set_stroke(None);
            s.set_fill(Some(fill(*color)));
            if *rotate != 0.0 {
                s.push_transform(&Transform::from_rotate_at(-rotate, *x, *y));
            }
            s.draw_text(
                Point::from_xy(*x, *y),
                font,
                *size,
                text,
                false,
                TextDirection::Auto,
            );
            if *rotate != 0.0 {
                s.pop();
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill: f,
            stroke: st,
        } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            let Some(path) = pb.finish() else { return };
            s.set_fill(f.map(fill));
            s.set_stroke(st.map(|c| stroke(c, 0.5)));
            s.draw_path(&path);
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            let Some(path) = pb.finish() else { return };
            s.set_fill(None);
            s.set_stroke(Some(stroke(*color, *width)));
            s.draw_path(&path);
        }
        Op::Path {
            segs,
            fill: f,
            stroke: st,
            width,
            dash,
        } => {
            let mut pb = PathBuilder::new();
            for seg in segs {
                match *seg {
                    Seg::Move(x, y) => pb.move_to(x, y),
                    Seg::Line(x, y) => pb.line_to(x, y),
                    Seg::Quad(cx, cy, x, y) => pb.quad_to(cx, cy, x, y),
                    Seg::Circle(x, y, r) => {
                        // Four cubic quarters (k = 0.5523: the usual
                        // approximation of a circle).
                        let k = 0.552_284_8 * r;
                        pb.move_to(x + r, y);
                        pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
                        pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
                        pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
                        pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
                        pb.close();
                    }
                    Seg::Close => pb.close(),
                }
            }
            let Some(path) = pb.finish() else { return };
            s.set_fill(f.map(fill));
            s.set_stroke(st.map(|c| Stroke {
                dash: dash.map(|d| krilla::paint::StrokeDash {
                    array: vec![d, d * 0.8],
                    offset: 0.0,
                }),
                ..stroke(c, *width)
            }));
            s.draw_path(&path);
        }
        Op::Clip { x, y, w, h } => {
            // An empty clip still needs its pair for EndClip's pop: clip to
            // nothing visible rather than skip.
            let path = rect_path(*x, *y, w.max(0.01), h.max(0.01))
                .or_else(|| rect_path(0.0, 0.0, 0.01, 0.01));
            if let Some(path) = path {
                s.push_clip_path(&path, &krilla::paint::FillRule::NonZero);
            }
        }
        Op::EndClip => s.pop(),
    }
}

/// A table's columns (header text, width) and text size.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<(String, f32)>,
    pub size: f32,
}

/// One table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub weight: Weight,
    pub fill: Option<Rgb>,
    /// A progress bar (0-100) drawn above the text.
    pub bar: Option<f32>,
    /// A thick mark on the cell's left edge (overdue, blocked rows).
    pub mark: Option<Rgb>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            weight: Weight::Regular,
            fill: None,
            bar: None,
            mark: None,
        }
    }

    /// A progress bar with its percentage under it.
    pub fn progress(pct: f32) -> Cell {
        Cell {
            bar: Some(pct.clamp(0.0, 100.0)),
            ..Cell::new(format!("{} %", pct.round()))
        }
    }

    pub fn mark(mut self, c: Rgb) -> Cell {
        self.mark = Some(c);
        self
    }

    pub fn bold(mut self) -> Cell {
        self.weight = Weight::Bold;
        self
    }

    pub fn fill(mut self, c: Rgb) -> Cell {
        self.fill = Some(c);
        self
    }
}
