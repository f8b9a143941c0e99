//! The data directory itself: crash recovery, pruning, switching.

use std::fs;

use chiptrace_update::{KEEP_VERSIONS, ListStore, SourceOutcome, UpdateError};

use crate::support::{CSL, Env, data_dir, installed, load_count, opts, update_one};

#[test]
fn leftovers_of_a_crash_are_cleaned_and_current_is_intact() {
    let env = Env::new();
    let (v1, entries, _) = installed(&update_one(&env, "us_csl", &opts(&[])));
    let lists = env.root().join("lists");
    let pointer = fs::read(lists.join("current.json")).expect("current.json");

    // A run killed mid-download (step 1), one killed while writing the
    // pointer (step 4), and one killed after moving a version into place
    // but before switching (step 3).
    let staging = lists.join(".staging/us_csl-4242-1");
    fs::create_dir_all(staging.join("data")).expect("mkdir");
    fs::write(staging.join("data/consolidated.csv"), b"_id,source\n1,half a fi").expect("w");
    fs::write(lists.join(".current.json.tmp"), b"{\"format\":1,\"sour").expect("w");
    let current_dir = lists.join("us_csl").join(&v1);
    let orphan = lists.join("us_csl/20990101T000000Z-deadbeef");
    fs::create_dir_all(&orphan).expect("mkdir");

    let store = ListStore::open(&env.root()).expect("reopen");
    assert_eq!(fs::read_dir(lists.join(".staging")).expect("staging").count(), 0);
    assert!(!lists.join(".current.json.tmp").exists());
    assert_eq!(fs::read(lists.join("current.json")).expect("current.json"), pointer);
    let cur = store.current_version("us_csl").expect("c").expect("csl");
    assert_eq!(cur.version, v1);
    assert_eq!(cur.dir, current_dir);
    assert_eq!(load_count(&cur.data_dir), entries);
    assert_eq!(store.current_paths().expect("paths"), vec![cur.data_dir.clone()]);

    // A read-only handle sees the same, and refuses a missing store.
    let ro = ListStore::open_read_only(&env.root()).expect("read-only open");
    assert_eq!(ro.current_paths().expect("paths"), vec![cur.data_dir.clone()]);
    assert!(ListStore::open_read_only(&env.tmp.path().join("nowhere")).is_err());

    // And the store keeps working: an update after recovery is Unchanged.
    let report = store.update(&env.sources(), &opts(&["us_csl"])).expect("update");
    assert!(
        matches!(&report.outcomes[0], SourceOutcome::Unchanged { version, .. } if *version == v1)
    );
}

#[test]
fn keeps_the_last_three_versions_and_can_switch_back() {
    let env = Env::new();
    let sample = fs::read(data_dir().join(&CSL[1..])).expect("csl");
    let last_row = {
        let text = std::str::from_utf8(&sample).expect("utf8").trim_end();
        text.rsplit('\n').next().expect("a row").to_owned()
    };
    let mut versions = Vec::new();
    for extra in 0..5 {
        // Each variant repeats the last row a different number of times,
        // so the content differs and the entry count never drops.
        let mut body = sample.clone();
        if !body.ends_with(b"\n") {
            body.push(b'\n');
        }
        for _ in 0..extra {
            body.extend_from_slice(last_row.as_bytes());
            body.push(b'\n');
        }
        let path = env.write("consolidated.csv", &body);
        let o = env.store.install_local("us_csl", &[path], &opts(&[])).expect("install");
        versions.push(installed(&o).0);
    }
    let on_disk = env.store.versions("us_csl").expect("versions");
    let names: Vec<&str> = on_disk.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(on_disk.len(), KEEP_VERSIONS, "{names:?}");
    assert_eq!(names, [&versions[4], &versions[3], &versions[2]], "newest first");

    // Switch back to an older kept version.
    let back = env.store.activate("us_csl", &versions[2]).expect("activate");
    assert_eq!(env.store.current_version("us_csl").expect("c").expect("csl").version, versions[2]);
    assert_eq!(load_count(&back.data_dir), back.entries);
    let err = env.store.activate("us_csl", &versions[0]).expect_err("pruned");
    assert!(matches!(err, UpdateError::Corrupt { .. }), "{err}");

    // A new install prunes, but never the version in use.
    let path = env.tmp.path().join("generated/consolidated.csv");
    let mut body = fs::read(&path).expect("read");
    body.extend_from_slice(last_row.as_bytes());
    body.push(b'\n');
    fs::write(&path, &body).expect("write");
    let (newest, _, _) =
        installed(&env.store.install_local("us_csl", &[path], &opts(&[])).expect("i"));
    let names: Vec<String> =
        env.store.versions("us_csl").expect("versions").into_iter().map(|v| v.version).collect();
    assert_eq!(names.len(), KEEP_VERSIONS);
    assert_eq!(names[0], newest);
    assert!(names.contains(&versions[2]), "the previous in-use version is kept: {names:?}");
}

#[test]
fn corrupt_pointer_is_reported_not_repaired() {
    let env = Env::new();
    installed(&update_one(&env, "us_csl", &opts(&[])));
    let path = env.root().join("lists/current.json");
    fs::write(&path, b"{ not json").expect("write");
    let err = env.store.current().expect_err("corrupt");
    assert!(matches!(err, UpdateError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("current.json"), "{err}");
    // open() does not "fix" it by deleting what is in use.
    ListStore::open(&env.root()).expect("open");
    assert_eq!(fs::read(&path).expect("read"), b"{ not json");
}
