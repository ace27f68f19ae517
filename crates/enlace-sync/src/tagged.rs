//! Decoding of the two messages whose variant is named by a `status` field
//! inside them ([`Pushed`], [`Pulled`]).
//!
//! serde's derived decoder for such "internally tagged" values first
//! copies the whole value into a generic tree to find the tag, and only
//! then decodes the variant: a page would be held twice, the first time
//! without the limits of [`crate::bounded`] (a tree node per CBOR item,
//! tens of bytes each). Here `status` must come first — as every encoder
//! of this crate writes it — and the rest of the map is decoded straight
//! into the variant.

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::bounded;
use crate::wire::{Cursor, Page, Pulled, Pushed, Refusal};

/// Reads the first key, which must be `status`, and its value.
fn status<'de, A: MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == "status" => map.next_value(),
        Some(_) => Err(de::Error::custom("`status` must be the first field")),
        None => Err(de::Error::missing_field("status")),
    }
}

#[derive(Deserialize)]
struct AppliedFields {
    to: Cursor,
    #[serde(default, deserialize_with = "bounded::refusals")]
    refused: Vec<Refusal>,
}

#[derive(Deserialize)]
struct ResyncFields {
    expected: Cursor,
}

#[derive(Deserialize)]
struct NoFields {}

#[derive(Deserialize)]
struct DoubtfulFields {
    log: Cursor,
}

struct PushedVisitor;

impl<'de> Visitor<'de> for PushedVisitor {
    type Value = Pushed;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map with `status` first")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pushed, A::Error> {
        let status = status(&mut map)?;
        let rest = MapAccessDeserializer::new(map);
        match status.as_str() {
            "nothing" => NoFields::deserialize(rest).map(|_| Pushed::Nothing),
            "applied" => AppliedFields::deserialize(rest).map(|f| Pushed::Applied {
                to: f.to,
                refused: f.refused,
            }),
            "resync" => ResyncFields::deserialize(rest).map(|f| Pushed::Resync {
                expected: f.expected,
            }),
            other => Err(de::Error::unknown_variant(
                other,
                &["nothing", "applied", "resync"],
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Pushed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pushed, D::Error> {
        d.deserialize_map(PushedVisitor)
    }
}

struct PulledVisitor;

impl<'de> Visitor<'de> for PulledVisitor {
    type Value = Pulled;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map with `status` first")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pulled, A::Error> {
        let status = status(&mut map)?;
        let rest = MapAccessDeserializer::new(map);
        match status.as_str() {
            "page" => Page::deserialize(rest).map(Pulled::Page),
            "doubtful" => {
                DoubtfulFields::deserialize(rest).map(|f| Pulled::Doubtful { log: f.log })
            }
            other => Err(de::Error::unknown_variant(other, &["page", "doubtful"])),
        }
    }
}

impl<'de> Deserialize<'de> for Pulled {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pulled, D::Error> {
        d.deserialize_map(PulledVisitor)
    }
}
