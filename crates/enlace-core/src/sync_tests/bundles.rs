//! Bundles: sync by file.

use super::*;

#[test]
fn bundles_carry_changes_one_way_and_refuse_replays_strangers_and_tampering() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    trust(&mut mx, &gt);
    let saved = case_with_victim(&mut gt, "Caso en memoria USB", json!({"scope": "regional"}));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("para-honduras.enlace");
    let out = gt
        .app
        .export_bundle(&hn.name, &file, &mut |_, _| {})
        .expect("export");
    assert_eq!((out.seq, out.docs), (1, 1));
    assert_eq!(gt.app.peer(&hn.name, Lang::Es).expect("peer").pending, 1);
    // Mexico cannot open it.
    let e = mx
        .app
        .import_bundle(&file, &mut |_, _| {})
        .expect_err("not for Mexico");
    assert!(matches!(
        e,
        CoreError::Bundle(enlace_sync::bundle::BundleError::NotForThisNode { .. })
    ));
    // Altered on the way: refused, nothing applied.
    let mut bytes = std::fs::read(&file).expect("read");
    let n = bytes.len();
    bytes[n - 10] ^= 0x40;
    let bad = dir.path().join("alterado.enlace");
    std::fs::write(&bad, &bytes).expect("write");
    let e = hn
        .app
        .import_bundle(&bad, &mut |_, _| {})
        .expect_err("tampered");
    assert_eq!(e.message(Lang::Es), tr(Lang::Es, "err-bundle-tampered"));
    assert!(!holds(&hn, &saved.id));
    // The real one applies once.
    let got = hn.app.import_bundle(&file, &mut |_, _| {}).expect("import");
    assert_eq!((got.docs, got.refused), (1, 0));
    assert!(holds(&hn, &saved.id));
    let e = hn
        .app
        .import_bundle(&file, &mut |_, _| {})
        .expect_err("replayed");
    assert!(
        matches!(e, CoreError::BundleReplayed { seq: 1, .. }),
        "{e:?}"
    );
    assert!(e.message(Lang::Es).contains("Guatemala"));
    // Honduras answers with its own bundle: it carries Honduras' position
    // in Guatemala's log, so Guatemala knows the first one arrived.
    let back = dir.path().join("para-guatemala.enlace");
    hn.app
        .export_bundle(&gt.name, &back, &mut |_, _| {})
        .expect("export back");
    gt.app
        .import_bundle(&back, &mut |_, _| {})
        .expect("import back");
    assert_eq!(gt.app.peer(&hn.name, Lang::Es).expect("peer").pending, 0);
    // Not a bundle at all.
    let junk = dir.path().join("foto.jpg");
    std::fs::write(&junk, b"\xff\xd8\xff\xe0 JFIF").expect("write");
    let e = hn
        .app
        .import_bundle(&junk, &mut |_, _| {})
        .expect_err("junk");
    assert_eq!(e.message(Lang::Es), tr(Lang::Es, "err-bundle-not-a-bundle"));
}

#[test]
fn bundles_for_this_node_are_found_on_a_stick() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut mx);
    case_with_victim(&mut gt, "Caso en memoria USB", json!({"scope": "regional"}));
    // A stick mounted under /media/USER/LABEL, with folders of its own.
    let media = tempfile::tempdir().expect("tmp");
    let folder = media.path().join("usuario").join("USB-NTF").join("enlace");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let for_hn = folder.join("para-honduras.enlace");
    gt.app
        .export_bundle(&hn.name, &for_hn, &mut |_, _| {})
        .expect("export");
    gt.app
        .export_bundle(&mx.name, &folder.join("para-mexico.enlace"), &mut |_, _| {})
        .expect("export");
    std::fs::write(folder.join("roto.enlace"), b"no es un paquete").expect("write");
    std::fs::write(media.path().join("notas.txt"), b"texto").expect("write");
    let found = hn
        .app
        .find_bundles(&[media.path().to_path_buf()])
        .expect("find");
    assert_eq!(found.len(), 1, "only Honduras' bundle: {found:?}");
    assert_eq!(found[0].path, for_hn.display().to_string());
    assert_eq!(found[0].peer.as_deref(), Some("Guatemala"));
    assert_eq!((found[0].seq, found[0].imported), (1, false));
    // The root listed twice, or a folder that is not there: no harm.
    let twice = hn
        .app
        .find_bundles(&[
            media.path().to_path_buf(),
            folder.clone(),
            media.path().join("no-existe"),
        ])
        .expect("find");
    assert_eq!(twice.len(), 1, "{twice:?}");
    hn.app
        .import_bundle(&for_hn, &mut |_, _| {})
        .expect("import");
    let after = hn
        .app
        .find_bundles(&[media.path().to_path_buf()])
        .expect("find");
    assert!(after[0].imported, "{after:?}");
    // Mexico sees its own, and a stranger's node sees none.
    assert_eq!(
        mx.app
            .find_bundles(&[media.path().to_path_buf()])
            .expect("find")
            .len(),
        1
    );
    let sv = node("SV", "El Salvador");
    assert!(
        sv.app
            .find_bundles(&[media.path().to_path_buf()])
            .expect("find")
            .is_empty()
    );
}
