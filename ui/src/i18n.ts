// The translation layer of the UI: the same Fluent files as the Rust side
// (locales/{es,en}/enlace.ftl, country names in countries.ftl). Spanish is
// the default.
import { FluentBundle, FluentResource } from "@fluent/bundle";
import es from "../../locales/es/enlace.ftl?raw";
import en from "../../locales/en/enlace.ftl?raw";
import esCountries from "../../locales/es/countries.ftl?raw";
import enCountries from "../../locales/en/countries.ftl?raw";
import type { Lang } from "./bindings/Lang";

/** The translation function the screens receive: a Fluent key and its arguments, in the user's language. */
export type T = (key: string, args?: Record<string, string | number>) => string;

/** The messages, then the names of every country (countries.ftl). */
export const SOURCES: Record<Lang, string> = { es: `${es}\n${esCountries}`, en: `${en}\n${enCountries}` };

function bundle(lang: Lang): FluentBundle {
  const b = new FluentBundle(lang, { useIsolating: false });
  const errors = b.addResource(new FluentResource(SOURCES[lang]));
  if (errors.length) console.error("Fluent", lang, errors);
  return b;
}

const bundles: Record<Lang, FluentBundle> = { es: bundle("es"), en: bundle("en") };

/** The message `key` in `lang`; the key itself when missing (caught by tests). */
export function translate(lang: Lang, key: string, args?: Record<string, string | number>): string {
  const msg = bundles[lang].getMessage(key);
  if (!msg || !msg.value) return key;
  return bundles[lang].formatPattern(msg.value, args);
}

export function hasKey(lang: Lang, key: string): boolean {
  return bundles[lang].hasMessage(key);
}

/** The Fluent key of an enumeration value (same rule as enums.rs `label_key`). */
export function labelKey(prefix: string, wire: string): string {
  return `${prefix}-${wire.replace(/\+/g, "plus")}`;
}

/** A country's name, or its code when not in the catalogue. */
export function countryName(lang: Lang, code: string): string {
  const key = `country-${code}`;
  return hasKey(lang, key) ? translate(lang, key) : code;
}

/** Keys of one Fluent source, for completeness checks. */
export function keysOf(src: string): string[] {
  return src
    .split("\n")
    .map((l) => /^([a-zA-Z][a-zA-Z0-9_-]*)\s*=/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1]);
}
