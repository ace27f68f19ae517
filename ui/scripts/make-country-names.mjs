#!/usr/bin/env node
// make-country-names.mjs — builds the Fluent files of country names
// (locales/es/countries.ftl and locales/en/countries.ftl), one message
// `country-XX = Name` per ISO 3166-1 alpha-2 code, plus XK (Kosovo).
//
// Source: the npm package `i18n-iso-countries` (MIT), files langs/es.json and
// langs/en.json, with the local overrides below (short, common names).
//
// Rerun (outside the repo, so nothing is added to ui/package.json):
//
//   mkdir -p /tmp/countries && cd /tmp/countries
//   npm init -y && npm i i18n-iso-countries
//   node /path/to/enlace/ui/scripts/make-country-names.mjs \
//        node_modules/i18n-iso-countries/langs
//
// Argument (optional):
//   1. the package's langs folder   default: node_modules/i18n-iso-countries/langs
//                                   (relative to cwd)
// Output (always, relative to this script): ../../locales/<lang>/countries.ftl
// for lang in es, en.
//
// Rules:
//   - where the package gives several names (an array), the first one is
//     taken, unless OVERRIDES says otherwise;
//   - every code already defined as `country-XX` in locales/<lang>/enlace.ftl
//     (either language) is left out: a Fluent bundle refuses duplicate keys,
//     and the app loads enlace.ftl and countries.ftl into the same bundle;
//   - both files get exactly the same set of keys, sorted by code;
//   - names are checked to be valid single-line Fluent text (no `{` / `}`,
//     no leading `[`, `*`, `.`).

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const langsDir = path.resolve(process.argv[2] ?? 'node_modules/i18n-iso-countries/langs');
const localesDir = path.resolve(here, '..', '..', 'locales');
const LANGS = ['es', 'en'];

// Short, common names as expected on a statistics table. Applied on top of the
// package (which often gives the formal ISO name, or an array official + short).
const OVERRIDES = {
  en: {
    BN: 'Brunei',
    CI: "Côte d'Ivoire",
    CN: 'China',
    CZ: 'Czechia',
    FM: 'Micronesia',
    GM: 'Gambia',
    IR: 'Iran',
    KR: 'South Korea',
    LA: 'Laos',
    MD: 'Moldova',
    MK: 'North Macedonia',
    PN: 'Pitcairn Islands',
    PS: 'Palestine',
    RE: 'Réunion',
    RU: 'Russia',
    ST: 'São Tomé and Príncipe',
    SY: 'Syria',
    TW: 'Taiwan',
    TZ: 'Tanzania',
    US: 'United States',
    VA: 'Vatican City',
    VE: 'Venezuela',
    VG: 'British Virgin Islands',
    VI: 'U.S. Virgin Islands',
    VN: 'Vietnam',
    XK: 'Kosovo',
  },
  es: {
    BH: 'Baréin',
    BJ: 'Benín',
    BL: 'San Bartolomé',
    BN: 'Brunéi',
    BW: 'Botsuana',
    CD: 'República Democrática del Congo',
    CG: 'República del Congo',
    CW: 'Curazao',
    CZ: 'Chequia',
    FJ: 'Fiyi',
    GW: 'Guinea-Bisáu',
    HM: 'Islas Heard y McDonald',
    IQ: 'Irak',
    IR: 'Irán',
    KN: 'San Cristóbal y Nieves',
    KP: 'Corea del Norte',
    KR: 'Corea del Sur',
    LA: 'Laos',
    MD: 'Moldavia',
    MF: 'San Martín (parte francesa)',
    PG: 'Papúa Nueva Guinea',
    PN: 'Islas Pitcairn',
    RU: 'Rusia',
    SH: 'Santa Helena',
    SR: 'Surinam',
    SX: 'Sint Maarten (parte neerlandesa)',
    SY: 'Siria',
    TF: 'Territorios Australes Franceses',
    TL: 'Timor Oriental',
    TZ: 'Tanzania',
    US: 'Estados Unidos',
    VA: 'Ciudad del Vaticano',
    VE: 'Venezuela',
    VG: 'Islas Vírgenes Británicas',
    VN: 'Vietnam',
    XK: 'Kosovo',
  },
};

// Kosovo is user-assigned (not in ISO 3166-1) but widely used; always present.
const EXTRA_CODES = ['XK'];

function fail(msg) {
  console.error(`make-country-names: ${msg}`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
}

// Codes already defined as messages `country-XX` in enlace.ftl.
function definedCodes(lang) {
  const text = readFileSync(path.join(localesDir, lang, 'enlace.ftl'), 'utf8');
  return new Set([...text.matchAll(/^country-([A-Z]{2})[ \t]*=/gm)].map((m) => m[1]));
}

function checkName(lang, code, name) {
  if (typeof name !== 'string' || name.trim() === '') fail(`${lang} ${code}: empty name`);
  if (name !== name.trim()) fail(`${lang} ${code}: surrounding whitespace in ${JSON.stringify(name)}`);
  if (/[{}\r\n]/.test(name)) fail(`${lang} ${code}: braces or newline in ${JSON.stringify(name)}`);
  if (/^[[*.]/.test(name)) fail(`${lang} ${code}: leading special character in ${JSON.stringify(name)}`);
}

let version = '?';
try {
  version = readJson(path.join(langsDir, '..', 'package.json')).version ?? '?';
} catch {
  // version is informative only
}

const names = {};
for (const lang of LANGS) {
  const data = readJson(path.join(langsDir, `${lang}.json`));
  if (!data.countries) fail(`${lang}.json has no "countries" object`);
  names[lang] = {};
  for (const [code, value] of Object.entries(data.countries)) {
    names[lang][code.toUpperCase()] = Array.isArray(value) ? value[0] : value;
  }
  Object.assign(names[lang], OVERRIDES[lang]);
}

// Same set of codes in every language.
const all = new Set(EXTRA_CODES);
for (const lang of LANGS) for (const code of Object.keys(names[lang])) all.add(code);
for (const code of all) {
  if (!/^[A-Z]{2}$/.test(code)) fail(`bad code ${code}`);
  for (const lang of LANGS) if (!(code in names[lang])) fail(`${code} missing in ${lang}`);
}

const excluded = new Set();
for (const lang of LANGS) for (const code of definedCodes(lang)) excluded.add(code);
const codes = [...all].filter((c) => !excluded.has(c)).sort();
const excludedList = [...excluded].sort();

for (const lang of LANGS) {
  const lines = [
    `### Country names by ISO 3166-1 alpha-2 code (plus XK, Kosovo). Source: npm package i18n-iso-countries ${version} (MIT licence), with local overrides.`,
    '### Generated by ui/scripts/make-country-names.mjs (see its header to rerun); do not edit by hand.',
    `### Codes already defined in enlace.ftl are left out (Fluent refuses duplicate keys): ${excludedList.join(', ')}.`,
    '',
  ];
  for (const code of codes) {
    const name = names[lang][code];
    checkName(lang, code, name);
    lines.push(`country-${code} = ${name}`);
  }
  const out = path.join(localesDir, lang, 'countries.ftl');
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`wrote ${out} (${codes.length} keys)`);
}
