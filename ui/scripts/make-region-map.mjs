#!/usr/bin/env node
// make-region-map.mjs — builds the bundled offline map of Mexico and Central
// America (crates/enlace-report/geo/region.json) used by the route map in the
// UI (SVG) and in the PDF report.
//
// Source: Natural Earth 1:50m admin-0 countries (public domain), as packaged
// by the npm package `world-atlas` 2.x (TopoJSON, ids = ISO 3166-1 numeric).
//
// Rerun (outside the repo, so nothing is added to ui/package.json):
//
//   mkdir -p /tmp/geo && cd /tmp/geo
//   npm init -y && npm i world-atlas@2 topojson-client@3
//   node /path/to/enlace/ui/scripts/make-region-map.mjs \
//        node_modules/world-atlas/countries-50m.json \
//        /path/to/enlace/crates/enlace-report/geo/region.json
//
// Arguments (both optional):
//   1. input TopoJSON   default: node_modules/world-atlas/countries-50m.json (relative to cwd)
//   2. output JSON      default: crates/enlace-report/geo/region.json (relative to the repo)
// `topojson-client` is resolved from the current working directory.
//
// Processing:
//   - arcs are simplified once, shared by neighbouring countries (Douglas–Peucker,
//     endpoints kept), so common borders stay identical after simplification;
//   - each polygon keeps its outer ring only (holes dropped);
//   - rings are clipped to BBOX (Sutherland–Hodgman against the rectangle);
//   - small islands are dropped (area measured on the unsimplified, clipped ring);
//   - coordinates are rounded to 2 decimals, consecutive duplicates removed,
//     rings are open (first point not repeated) and counter-clockwise (lon/lat).
//
// Output format (see crates/enlace-report/geo/README.md):
//   {"source": "...", "bbox": [lonMin, latMin, lonMax, latMax],
//    "countries": [{"code": "MX", "name": "Mexico", "focus": true,
//                   "label": [lon, lat], "polygons": [[[lon, lat], ...], ...]}, ...]}

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const input = path.resolve(process.argv[2] ?? 'node_modules/world-atlas/countries-50m.json');
const output = path.resolve(
  process.argv[3] ?? path.join(here, '..', '..', 'crates', 'enlace-report', 'geo', 'region.json'),
);
const topojson = createRequire(path.join(process.cwd(), 'noop.js'))('topojson-client');

const SOURCE = 'Natural Earth 1:50m via world-atlas 2.x (public domain)';
const BBOX = [-118.5, 5.5, -76.5, 33.0]; // lonMin, latMin, lonMax, latMax
const TOLERANCE = 0.03; // Douglas–Peucker tolerance, degrees
const MIN_AREA = 0.02; // square degrees; smaller islands are dropped...
const MIN_AREA_FOCUS = 0.005; // ...except for focus countries
const DIGITS = 2;

// ISO 3166-1 numeric -> alpha-2 for every country that could intersect BBOX.
const ISO = {
  '484': 'MX', '320': 'GT', '084': 'BZ', '222': 'SV', '340': 'HN', '558': 'NI',
  '188': 'CR', '591': 'PA', '840': 'US', '192': 'CU', '170': 'CO', '388': 'JM',
  '332': 'HT', '214': 'DO', '218': 'EC', '044': 'BS', '136': 'KY', '862': 'VE',
  '796': 'TC', '250': 'FR',
};
const FOCUS = ['MX', 'GT', 'BZ', 'SV', 'HN', 'NI', 'CR', 'PA'];
// Hand-picked label points (checked to lie inside the largest polygon).
const LABEL_OVERRIDE = { MX: [-102.0, 23.5] };

// ---------------------------------------------------------------- geometry --

function ringArea(ring) { // signed shoelace area, open or closed ring
  let a = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

function openRing(ring) {
  const r = ring.slice();
  while (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]) r.pop();
  return r;
}

// Sutherland–Hodgman clip of one (open) ring against the BBOX rectangle.
function clipRing(ring) {
  const [x0, y0, x1, y1] = BBOX;
  const edges = [
    { inside: (p) => p[0] >= x0, cut: (a, b) => atX(a, b, x0) },
    { inside: (p) => p[0] <= x1, cut: (a, b) => atX(a, b, x1) },
    { inside: (p) => p[1] >= y0, cut: (a, b) => atY(a, b, y0) },
    { inside: (p) => p[1] <= y1, cut: (a, b) => atY(a, b, y1) },
  ];
  let out = ring;
  for (const { inside, cut } of edges) {
    const inp = out;
    out = [];
    for (let i = 0; i < inp.length; i++) {
      const cur = inp[i];
      const prev = inp[(i + inp.length - 1) % inp.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cut(prev, cur));
      }
    }
    if (out.length === 0) break;
  }
  return out;
}
function atX(a, b, x) { return [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])]; }
function atY(a, b, y) { return [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y]; }

function segDist2(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
  return ex * ex + ey * ey;
}

// Douglas–Peucker on a polyline; first and last points are always kept.
function simplifyLine(pts, tol) {
  if (pts.length <= 2) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const tol2 = tol * tol;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let best = -1, bestD = tol2;
    for (let k = i + 1; k < j; k++) {
      const d = segDist2(pts[k], pts[i], pts[j]);
      if (d > bestD) { bestD = d; best = k; }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i, best], [best, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}

// A closed arc (island drawn as a single arc) degenerates under plain DP:
// split it at the vertex farthest from its start and simplify both halves.
function simplifyArc(pts, tol) {
  const n = pts.length;
  const closed = n > 3 && pts[0][0] === pts[n - 1][0] && pts[0][1] === pts[n - 1][1];
  if (!closed) return simplifyLine(pts, tol);
  let far = 1, farD = -1;
  for (let k = 1; k < n - 1; k++) {
    const d = (pts[k][0] - pts[0][0]) ** 2 + (pts[k][1] - pts[0][1]) ** 2;
    if (d > farD) { farD = d; far = k; }
  }
  const a = simplifyLine(pts.slice(0, far + 1), tol);
  const b = simplifyLine(pts.slice(far), tol);
  return a.concat(b.slice(1));
}

// Decode (delta + quantized) arcs into absolute lon/lat, simplify each arc once.
function simplifiedTopology(topo, tol) {
  const { scale: [kx, ky], translate: [dx, dy] } = topo.transform;
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    const abs = arc.map(([qx, qy]) => { x += qx; y += qy; return [x * kx + dx, y * ky + dy]; });
    return simplifyArc(abs, tol);
  });
  const { transform, ...rest } = topo; // no transform: arcs are absolute now
  return { ...rest, arcs };
}

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Distance from p to the ring boundary (degrees).
function edgeDist(p, ring) {
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) best = Math.min(best, segDist2(p, ring[j], ring[i]));
  return Math.sqrt(best);
}

function centroid(ring) {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i], [x2, y2] = ring[(i + 1) % n];
    const f = x1 * y2 - x2 * y1;
    a += f; cx += (x1 + x2) * f; cy += (y1 + y2) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

// Label: the centroid of the largest ring if it lies well inside, otherwise the
// interior grid point farthest from the boundary (a poor man's polylabel).
function labelPoint(ring) {
  const c = centroid(ring);
  const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min(maxX - minX, maxY - minY);
  if (pointInRing(c, ring) && edgeDist(c, ring) > 0.15 * scale) return c;
  let best = c, bestD = -1;
  const steps = 60;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const p = [minX + ((maxX - minX) * i) / steps, minY + ((maxY - minY) * j) / steps];
      if (!pointInRing(p, ring)) continue;
      // prefer points near the centroid among those far enough from the edge
      const d = edgeDist(p, ring) - 0.1 * Math.hypot(p[0] - c[0], p[1] - c[1]);
      if (d > bestD) { bestD = d; best = p; }
    }
  }
  return best;
}

const round = (v) => Math.round(v * 10 ** DIGITS) / 10 ** DIGITS;

function finishRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const r = openRing(out);
  if (r.length < 3 || Math.abs(ringArea(r)) === 0) return null;
  return ringArea(r) < 0 ? r.reverse() : r; // counter-clockwise
}

// -------------------------------------------------------------------- main --

const topo = JSON.parse(readFileSync(input, 'utf8'));
const full = topojson.feature(topo, topo.objects.countries).features;
const simple = topojson.feature(simplifiedTopology(topo, TOLERANCE), topo.objects.countries).features;

const outerRings = (geom) =>
  !geom ? [] : geom.type === 'Polygon' ? [geom.coordinates[0]] : geom.type === 'MultiPolygon' ? geom.coordinates.map((p) => p[0]) : [];

const countries = [];
for (let f = 0; f < full.length; f++) {
  const feat = full[f];
  const fullRings = outerRings(feat.geometry);
  const simpleRings = outerRings(simple[f].geometry);
  const code = ISO[feat.id];
  const polygons = [];
  for (let r = 0; r < fullRings.length; r++) {
    const clippedFull = clipRing(openRing(fullRings[r]));
    if (clippedFull.length < 3) continue;
    if (!code) throw new Error(`country ${feat.id} (${feat.properties.name}) intersects the bbox: add it to ISO`);
    const minArea = FOCUS.includes(code) ? MIN_AREA_FOCUS : MIN_AREA;
    if (Math.abs(ringArea(clippedFull)) < minArea) continue;
    const ring = finishRing(clipRing(openRing(simpleRings[r])));
    if (ring) polygons.push(ring);
  }
  if (!polygons.length) continue;
  polygons.sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a))); // largest first
  let label = LABEL_OVERRIDE[code] ?? labelPoint(polygons[0]);
  label = label.map(round);
  if (!pointInRing(label, polygons[0])) throw new Error(`label of ${code} is outside its largest polygon`);
  countries.push({ code, name: feat.properties.name, focus: FOCUS.includes(code), label, polygons });
}

for (const code of FOCUS) {
  if (!countries.some((c) => c.code === code)) throw new Error(`focus country ${code} missing`);
}
// focus countries first (in FOCUS order), then neighbours by code
countries.sort((a, b) =>
  a.focus !== b.focus ? (a.focus ? -1 : 1)
    : a.focus ? FOCUS.indexOf(a.code) - FOCUS.indexOf(b.code)
      : a.code.localeCompare(b.code));

// Compact JSON, one country per line (keeps diffs readable).
const text =
  `{"source":${JSON.stringify(SOURCE)},"bbox":${JSON.stringify(BBOX)},"countries":[\n` +
  countries.map((c) => JSON.stringify(c)).join(',\n') +
  '\n]}\n';
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, text);

const points = countries.reduce((n, c) => n + c.polygons.reduce((m, p) => m + p.length, 0), 0);
console.log(`wrote ${output}: ${text.length} bytes, ${countries.length} countries, ${points} points`);
for (const c of countries) {
  console.log(`  ${c.code} ${c.focus ? '*' : ' '} ${c.polygons.length} polygons, ${c.polygons.reduce((m, p) => m + p.length, 0)} points, label ${JSON.stringify(c.label)}`);
}
