//! `ListStore::install_local`: the air-gapped import path, with the same
//! validation as downloads.

use chiptrace_update::{Manifest, Origin, SourceOutcome, UpdateError};

use crate::support::{BIS, Env, data_dir, installed, load_count, opts, rejected, sdn_fraction};

#[test]
fn imports_a_directory_then_detects_identical_content() {
    let env = Env::new();
    let bis_dir = data_dir().join(&BIS[1..]);
    let o = env
        .store
        .install_local("us_bis", std::slice::from_ref(&bis_dir), &opts(&[]))
        .expect("install");
    let (version, entries, previous) = installed(&o);
    assert_eq!(previous, None);
    let cur = env.store.current_version("us_bis").expect("c").expect("bis");
    assert_eq!(cur.version, version);
    assert_eq!(load_count(&cur.data_dir), entries);
    // The installed copy reads exactly like the original folder.
    assert_eq!(entries, load_count(&bis_dir));
    let m = Manifest::read(&cur.dir).expect("manifest");
    assert_eq!(m.origin, Origin::Local);
    assert!(m.files.iter().all(|f| f.url.is_none() && f.local_path.is_some()));
    assert!(
        m.files
            .iter()
            .any(|f| f.file_name == "bis_entity_list.json"
                && f.sha256.starts_with("2a8fc0755e063688"))
    );

    let o = env.store.install_local("us_bis", &[bis_dir], &opts(&[])).expect("again");
    assert_eq!(o, SourceOutcome::Unchanged { source: "us_bis".into(), version });
}

#[test]
fn local_files_get_the_same_checks() {
    let env = Env::new();
    let full = data_dir().join("ofac_sdn_2024-05-03/sdn.csv");
    let (v1, _, _) =
        installed(&env.store.install_local("us_ofac_sdn", &[full], &opts(&[])).expect("i"));

    // Half the rows under the right name: the drop rule applies.
    let dir = env.tmp.path().join("half");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("sdn.csv"), sdn_fraction(0.5)).expect("write");
    let o = env.store.install_local("us_ofac_sdn", &[dir.join("sdn.csv")], &opts(&[])).expect("i2");
    let (reason, kept) = rejected(&o);
    assert!(reason.contains("entry count dropped from"), "{reason}");
    assert_eq!(kept.as_deref(), Some(v1.as_str()));

    // Garbage is rejected with the file named.
    let junk = env.write("consolidated.xml", b"<html><body>503 Service Unavailable</body></html>");
    let (reason, kept) =
        rejected(&env.store.install_local("un_sc", &[junk], &opts(&[])).expect("i3"));
    assert!(reason.contains("consolidated.xml"), "{reason}");
    assert_eq!(kept, None);

    // Caller mistakes are errors, not rejections.
    let err =
        env.store.install_local("../etc", &[dir.join("sdn.csv")], &opts(&[])).expect_err("id");
    assert!(matches!(err, UpdateError::InvalidSource { .. }), "{err}");
    let err = env.store.install_local("x", &[], &opts(&[])).expect_err("no files");
    assert!(err.to_string().contains("no files given"), "{err}");
    let missing = env.tmp.path().join("nope.csv");
    let (reason, _) = rejected(&env.store.install_local("x", &[missing], &opts(&[])).expect("i4"));
    assert!(reason.contains("nope.csv"), "{reason}");
}
