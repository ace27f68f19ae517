//! enlace-core's tests, by area, and what they share.

mod cases;
mod identity;
mod legal;
mod list;
mod node;
mod officials;
mod plan;

use super::*;
use chrono::{Datelike, Utc};
use enlace_docs::Document;
use enlace_domain::input::CaseInput;
use enlace_domain::*;
use serde_json::json;

pub(super) fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::init(
        &dir.path().join("d"),
        "frase de acceso larga",
        "GT",
        "Paso Tecún Umán",
    )
    .expect("init");
    (dir, app)
}

pub(super) fn input(v: serde_json::Value) -> CaseInput {
    serde_json::from_value(v).expect("input")
}

pub(super) fn view_actor(app: &App) -> String {
    app.node_info().public_key
}

/// Copies every change of document `id` from `src` into `dst` (what sync
/// will do), keeping `dst`'s own changes.
pub(super) fn merge_doc(src: &App, dst: &mut App, id: &str) {
    let row = src.store.read().doc(id).expect("read").expect("in src");
    let mut from = Document::load(&row.bytes, src.node.actor.clone()).expect("load src");
    let changes: Vec<Vec<u8>> = from
        .inner()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let existing = dst.store.read().doc(id).expect("read dst");
    let mut to = match &existing {
        Some(r) => Document::load(&r.bytes, dst.node.actor.clone()).expect("load dst"),
        None => Document::new(dst.node.actor.clone()),
    };
    to.apply(&changes).expect("apply");
    let row = enlace_store::DocRow {
        bytes: to.save(),
        heads: serde_json::to_string(&to.heads()).expect("heads"),
        ..row
    };
    dst.store.write(|tx| tx.put_doc(&row)).expect("put");
}

pub(super) fn task_input(v: serde_json::Value) -> TaskInput {
    serde_json::from_value(v).expect("task input")
}
