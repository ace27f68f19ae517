//! The translation layer. Every user-facing string is a key in the Fluent
//! files `locales/es/enlace.ftl` and `locales/en/enlace.ftl`; the desktop UI
//! loads the very same files. Spanish is the default language.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unic_langid::langid;

/// The Spanish messages (the default).
pub const FTL_ES: &str = include_str!("../../../locales/es/enlace.ftl");
/// The English messages.
pub const FTL_EN: &str = include_str!("../../../locales/en/enlace.ftl");

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "es" | "spa" | "español" | "espanol" => Some(Lang::Es),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale string such as `en_US.UTF-8`; Spanish
    /// for anything that is not English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

struct Bundles {
    es: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn build(lang: unic_langid::LanguageIdentifier, src: &str) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    bundle.set_use_isolating(false);
    // The files are part of the binary and tested for parse errors
    // (`tests::ftl_files_parse_cleanly`); a broken entry is skipped, never fatal.
    let resource = match FluentResource::try_new(src.to_owned()) {
        Ok(r) => r,
        Err((r, _errors)) => r,
    };
    let _ = bundle.add_resource(resource);
    bundle
}

fn bundles() -> &'static Bundles {
    static B: OnceLock<Bundles> = OnceLock::new();
    B.get_or_init(|| Bundles {
        es: build(langid!("es"), FTL_ES),
        en: build(langid!("en"), FTL_EN),
    })
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Es => &bundles().es,
        Lang::En => &bundles().en,
    }
}

/// True when `key` has a message in `lang`.
pub fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// The message `key` in `lang`. A missing key yields the key itself (and is
/// caught by the completeness tests, never shipped).
pub fn tr(lang: Lang, key: &str) -> String {
    tr_args(lang, key, &[])
}

/// The message `key` in `lang` with named arguments.
pub fn tr_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let b = bundle(lang);
    let Some(msg) = b.get_message(key) else {
        return key.to_owned();
    };
    let Some(pattern) = msg.value() else {
        return key.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        // A whole number given as text is passed as a number, so plural
        // forms (`[one]`, `*[other]`) choose by it.
        match v.parse::<i64>().ok().filter(|n| n.to_string() == *v) {
            Some(n) => fargs.set(*k, FluentValue::from(n)),
            None => fargs.set(*k, FluentValue::from(*v)),
        }
    }
    let mut errors = vec![];
    b.format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// The message keys defined in one language's file, for completeness checks.
pub fn keys(src: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(src.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftl_files_parse_cleanly() {
        for (name, src) in [("es", FTL_ES), ("en", FTL_EN)] {
            if let Err((_, errors)) = FluentResource::try_new(src.to_owned()) {
                panic!("locales/{name}/enlace.ftl has parse errors: {errors:?}");
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut es = keys(FTL_ES);
        let mut en = keys(FTL_EN);
        es.sort();
        en.sort();
        let missing_en: Vec<_> = es.iter().filter(|k| !en.contains(k)).collect();
        let missing_es: Vec<_> = en.iter().filter(|k| !es.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
        assert!(missing_es.is_empty(), "missing in Spanish: {missing_es:?}");
        let mut dedup = es.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), es.len(), "duplicate keys in the Spanish file");
    }

    #[test]
    fn arguments_are_substituted() {
        let s = tr_args(Lang::Es, "err-not-found", &[("what", "GT-2026-0001")]);
        assert!(s.contains("GT-2026-0001"), "{s}");
        let e = tr_args(Lang::En, "err-not-found", &[("what", "GT-2026-0001")]);
        assert_ne!(s, e);
    }

    #[test]
    fn lang_parsing() {
        assert_eq!(Lang::parse("ES"), Some(Lang::Es));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("es_GT.UTF-8"), Lang::Es);
        assert_eq!(Lang::from_locale("C"), Lang::Es);
    }
}
