//! `ListStore::update` against a local HTTP/1.1 server.

use std::time::{Duration, Instant};

use chiptrace_update::{
    Manifest, Origin, SourceOutcome, UpdateError, UpdateOptions, load_sources_file,
};

use crate::support::{
    BIS, CSL, Env, Route, SDN, UN, installed, load_count, opts, rejected, sdn_fraction, update_one,
};

#[test]
fn first_update_installs_everything_second_is_unchanged() {
    let env = Env::new();
    let sources = load_sources_file(&env.sources_file()).expect("sources file");
    let report = env.store.update(&sources, &opts(&[])).expect("update");
    assert!(!report.has_rejections(), "{:#?}", report.outcomes);
    let ids: Vec<&str> = report.outcomes.iter().map(|o| o.source()).collect();
    assert_eq!(ids, ["us_ofac_sdn", "us_ofac_cons", "un_sc", "us_csl", "us_bis"]);
    for o in &report.outcomes {
        let (_, entries, previous) = installed(o);
        assert!(entries > 0, "{o}");
        assert_eq!(previous, None, "first install: {o}");
    }

    // What is current is exactly what was installed, and it loads.
    let current = env.store.current().expect("current");
    assert_eq!(current.len(), 5);
    let paths = env.store.current_paths().expect("paths");
    assert_eq!(paths.len(), 5);
    for (v, path) in current.iter().zip(&paths) {
        assert_eq!(&v.data_dir, path);
        assert_eq!(load_count(path), v.entries, "{}", v.id);
        let o = report.get(&v.id).expect("outcome");
        assert_eq!(installed(o).0, v.version);
        assert!(v.dir.join("manifest.json").is_file());
        assert!(v.dir.starts_with(env.root().join("lists").join(&v.id)));
    }

    // The SDN manifest is a usable audit record.
    let sdn = current.iter().find(|v| v.id == "us_ofac_sdn").expect("sdn current");
    let m = Manifest::read(&sdn.dir).expect("manifest");
    assert_eq!(m.origin, Origin::Download);
    assert_eq!(m.files.len(), 1, "optional companions were 404 and skipped");
    assert_eq!(m.files[0].file_name, "sdn.csv");
    assert_eq!(m.files[0].url.as_deref(), Some(env.server.url(SDN).as_str()));
    assert!(m.files[0].sha256.starts_with("210ca6b4a8187a34"), "PROVENANCE.md digest");
    assert_eq!(m.files[0].size, 3_909_739);
    let skipped: Vec<&str> = m.skipped.iter().map(|s| s.file_name.as_str()).collect();
    assert_eq!(skipped, ["add.csv", "alt.csv", "sdn_comments.csv"]);
    assert!(m.skipped[0].reason.contains("404"), "{:?}", m.skipped[0]);
    assert!(m.version.starts_with(&m.installed_at[..4]), "version is time-based: {}", m.version);
    assert!(m.installed_at.ends_with('Z') && m.installed_at.len() == 24, "{}", m.installed_at);
    assert_eq!(m.entries, sdn.entries);
    let bis = current.iter().find(|v| v.id == "us_bis").expect("bis");
    assert_eq!(bis.files.len(), 3, "a source may have several files");
    let cons = current.iter().find(|v| v.id == "us_ofac_cons").expect("cons");
    assert_eq!(cons.files.len(), 4, "optional files that exist are installed");

    // Same bytes again: nothing changes.
    let pointer = std::fs::read(env.root().join("lists/current.json")).expect("current.json");
    let report2 = env.store.update(&sources, &opts(&[])).expect("update 2");
    for v in &current {
        match report2.get(&v.id).expect("outcome") {
            SourceOutcome::Unchanged { source, version } => {
                assert_eq!((source, version), (&v.id, &v.version));
            }
            other => panic!("expected Unchanged, got {other}"),
        }
    }
    assert_eq!(std::fs::read(env.root().join("lists/current.json")).expect("reread"), pointer);
    assert_eq!(std::fs::read_dir(env.root().join("lists/us_csl")).expect("dir").count(), 1);
}

#[test]
fn garbage_or_truncated_download_is_rejected_and_previous_stays() {
    let env = Env::new();
    let first = env.store.update(&env.sources(), &opts(&["un_sc", "us_csl"])).expect("update");
    let (un_v1, un_entries, _) = installed(first.get("un_sc").expect("un"));
    let (csl_v1, _, _) = installed(first.get("us_csl").expect("csl"));

    // A truncated XML (connection cut mid-file upstream) and binary junk.
    let xml = std::fs::read(crate::support::data_dir().join(&UN[1..])).expect("read xml");
    env.server.set(UN, Route::Bytes(xml[..xml.len() / 3].to_vec()));
    env.server.set(CSL, Route::Bytes((0..4096u32).map(|i| (i * 7919 % 251) as u8).collect()));
    // An error page served with status 200 in place of one of several files.
    let meu = format!("{BIS}/bis_meu.json");
    env.server.set(&meu, Route::Bytes(b"<html><body>Service Unavailable</body></html>".to_vec()));
    let ids = ["un_sc", "us_csl", "us_bis", "us_ofac_cons"];
    let report = env.store.update(&env.sources(), &opts(&ids)).expect("update");

    let (reason, kept) = rejected(report.get("un_sc").expect("un"));
    assert!(reason.contains("consolidated.xml"), "names the file: {reason}");
    assert!(reason.contains(&env.server.url(UN)), "names the URL: {reason}");
    assert!(reason.contains("parse failed"), "{reason}");
    assert!(!reason.contains(".staging"), "no temporary paths in messages: {reason}");
    assert_eq!(kept.as_deref(), Some(un_v1.as_str()));
    let (reason, kept) = rejected(report.get("us_csl").expect("csl"));
    assert!(reason.contains("consolidated.csv"), "{reason}");
    assert_eq!(kept.as_deref(), Some(csl_v1.as_str()));
    let text = report.get("un_sc").expect("un").to_string();
    assert!(text.contains(&format!("version {un_v1} stays in use")), "{text}");
    let (reason, kept) = rejected(report.get("us_bis").expect("bis"));
    assert!(reason.contains("bis_meu.json: not loaded as a list file"), "{reason}");
    assert!(reason.contains(&env.server.url(&meu)), "{reason}");
    assert_eq!(kept, None);

    // The other source in the same run still went ahead.
    installed(report.get("us_ofac_cons").expect("cons"));

    // The previous version is still current and still loads.
    let un = env.store.current_version("un_sc").expect("current").expect("un installed");
    assert_eq!(un.version, un_v1);
    assert_eq!(load_count(&un.data_dir), un_entries);
    assert_eq!(env.store.current_version("us_csl").expect("c").expect("csl").version, csl_v1);
    // Nothing of the rejected downloads is left behind.
    assert_eq!(std::fs::read_dir(env.root().join("lists/.staging")).expect("staging").count(), 0);
    assert_eq!(std::fs::read_dir(env.root().join("lists/un_sc")).expect("un dir").count(), 1);

    // Once the publisher serves the good file again, it is recognised as
    // the version already in use.
    env.server.reset(UN);
    let o = update_one(&env, "un_sc", &opts(&[]));
    assert_eq!(o, SourceOutcome::Unchanged { source: "un_sc".into(), version: un_v1 });
}

#[test]
fn entry_count_drop_over_20_percent_is_rejected_10_percent_is_installed() {
    let env = Env::new();
    let o = update_one(&env, "us_ofac_sdn", &opts(&[]));
    let (v1, full, _) = installed(&o);

    // Same file name as published: the loader may detect formats by name.
    let half = env.write_in("half", "sdn.csv", &sdn_fraction(0.5));
    env.server.set(SDN, Route::File(half.clone()));
    let o = update_one(&env, "us_ofac_sdn", &opts(&[]));
    let (reason, kept) = rejected(&o);
    let half_entries = load_count(&half);
    assert!(
        reason.contains(&format!("entry count dropped from {full} to {half_entries} (-50%)")),
        "{reason}"
    );
    assert!(reason.contains("more than the 20% allowed"), "{reason}");
    assert!(reason.contains("sdn.csv"), "{reason}");
    assert_eq!(kept.as_deref(), Some(v1.as_str()));
    assert_eq!(env.store.current_version("us_ofac_sdn").expect("c").expect("sdn").version, v1);

    // A stricter threshold is honoured too.
    let ninety = env.write_in("ninety", "sdn.csv", &sdn_fraction(0.9));
    env.server.set(SDN, Route::File(ninety.clone()));
    let strict = UpdateOptions { max_drop: 0.05, ..opts(&[]) };
    let (reason, _) = rejected(&update_one(&env, "us_ofac_sdn", &strict));
    assert!(reason.contains("(-10%), more than the 5% allowed"), "{reason}");

    // 10 % fewer entries is within the default rule.
    let o = update_one(&env, "us_ofac_sdn", &opts(&[]));
    let (v2, entries, previous) = installed(&o);
    assert_ne!(v2, v1);
    assert_eq!(entries, load_count(&ninety));
    assert_eq!(previous, Some(full));
    let cur = env.store.current_version("us_ofac_sdn").expect("c").expect("sdn");
    assert_eq!(cur.version, v2);
    assert_eq!(cur.manifest.previous_version.as_deref(), Some(v1.as_str()));
    assert!(env.root().join("lists/us_ofac_sdn").join(&v1).is_dir(), "previous version kept");
}

#[test]
fn missing_required_file_is_rejected_naming_url_and_status() {
    let env = Env::new();
    env.server.set(CSL, Route::Status(404));
    let (reason, kept) = rejected(&update_one(&env, "us_csl", &opts(&[])));
    assert!(reason.contains(&env.server.url(CSL)), "{reason}");
    assert!(reason.contains("HTTP status 404"), "{reason}");
    assert!(reason.contains("required file consolidated.csv"), "{reason}");
    assert_eq!(kept, None);
    assert!(env.store.current().expect("current").is_empty());

    // A server error on an *optional* file also rejects: only "not found"
    // lets an optional file be skipped.
    let alt = format!("{}/cons_alt.csv", crate::support::CONS);
    env.server.set(&alt, Route::Status(500));
    let (reason, _) = rejected(&update_one(&env, "us_ofac_cons", &opts(&[])));
    assert!(reason.contains("optional file cons_alt.csv") && reason.contains("500"), "{reason}");
}

#[test]
fn server_that_never_answers_times_out_within_the_timeout() {
    let env = Env::new();
    env.server.set(CSL, Route::Hang);
    let o = opts(&[]);
    let start = Instant::now();
    let (reason, _) = rejected(&update_one(&env, "us_csl", &o));
    let elapsed = start.elapsed();
    assert!(reason.contains("timed out after 2.0 s"), "{reason}");
    assert!(reason.contains(&env.server.url(CSL)), "{reason}");
    assert!(elapsed >= Duration::from_millis(1900), "gave up too early: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "did not respect the timeout: {elapsed:?}");

    // Headers and half the body, then silence: the deadline covers the
    // body too.
    let sample = std::fs::read(crate::support::data_dir().join(&CSL[1..])).expect("csl");
    env.server.set(CSL, Route::Stall(sample));
    let start = Instant::now();
    let (reason, _) = rejected(&update_one(&env, "us_csl", &o));
    let elapsed = start.elapsed();
    assert!(reason.contains("timed out after 2.0 s"), "{reason}");
    assert!(elapsed < Duration::from_secs(5), "did not respect the timeout: {elapsed:?}");
}

#[test]
fn oversized_body_is_rejected() {
    let env = Env::new();
    let small = UpdateOptions { max_bytes: 100_000, ..opts(&[]) };
    // Declared length over the limit: refused before reading the body.
    let (reason, _) = rejected(&update_one(&env, "us_ofac_sdn", &small));
    assert!(
        reason.contains("larger than the 100000-byte limit (Content-Length 3909739)"),
        "{reason}"
    );
    assert!(reason.contains(&env.server.url(SDN)), "{reason}");

    // No declared length: cut off while streaming.
    let sdn = std::fs::read(crate::support::data_dir().join(&SDN[1..])).expect("sdn");
    env.server.set(SDN, Route::Unsized(sdn));
    let (reason, kept) = rejected(&update_one(&env, "us_ofac_sdn", &small));
    assert!(reason.contains("larger than the 100000-byte limit"), "{reason}");
    assert_eq!(kept, None);
    assert_eq!(std::fs::read_dir(env.root().join("lists/.staging")).expect("staging").count(), 0);
}

#[test]
fn redirects_are_followed_only_to_http() {
    let env = Env::new();
    // A relative redirect to the real file is fine.
    env.server.set("/moved/consolidated.csv", Route::Redirect(CSL.to_owned()));
    let mut sources = env.sources();
    sources[3].files[0].url = env.server.url("/moved/consolidated.csv");
    let report = env.store.update(&sources, &opts(&["us_csl"])).expect("update");
    let (version, _, _) = installed(&report.outcomes[0]);
    let cur = env.store.current_version("us_csl").expect("c").expect("csl");
    assert_eq!(cur.version, version);
    assert_eq!(
        cur.files[0].url.as_deref(),
        Some(env.server.url("/moved/consolidated.csv").as_str())
    );

    // A redirect to a local file is never followed.
    env.server.set("/moved/consolidated.csv", Route::Redirect("file:///etc/passwd".into()));
    let report = env.store.update(&sources, &opts(&["us_csl"])).expect("update");
    let (reason, kept) = rejected(&report.outcomes[0]);
    assert!(reason.contains("redirected to file:///etc/passwd: refused"), "{reason}");
    assert_eq!(kept.as_deref(), Some(version.as_str()));

    // Redirect loops end.
    env.server.set("/loop", Route::Redirect("/loop".into()));
    sources[3].files[0].url = env.server.url("/loop");
    let report = env.store.update(&sources, &opts(&["us_csl"])).expect("update");
    assert!(rejected(&report.outcomes[0]).0.contains("more than 5 redirects"));
}

#[test]
fn non_http_urls_and_unknown_ids_are_errors_of_the_run() {
    let env = Env::new();
    let mut sources = env.sources();
    sources[3].files[0].url = format!("file://{}{CSL}", crate::support::data_dir().display());
    let err = env.store.update(&sources, &opts(&[])).expect_err("file url");
    assert!(matches!(err, UpdateError::InvalidSource { .. }), "{err}");
    assert!(err.to_string().contains("only http:// and https:// URLs are allowed"), "{err}");
    assert!(err.to_string().contains("us_csl"), "{err}");

    let err = env.store.update(&env.sources(), &opts(&["us_cls"])).expect_err("typo");
    assert!(err.to_string().contains("unknown source id \"us_cls\""), "{err}");
    assert!(err.is_user_error());

    let nan = UpdateOptions { max_drop: f64::NAN, ..opts(&[]) };
    let err = env.store.update(&env.sources(), &nan).expect_err("NaN max_drop");
    assert!(matches!(err, UpdateError::InvalidOptions(_)), "{err}");
    assert!(env.store.current().expect("current").is_empty());
}

#[test]
fn connection_refused_is_rejected_not_fatal() {
    let env = Env::new();
    // A port that was just free: nothing listens there.
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("a").port();
    let mut sources = env.sources();
    sources[3].files[0].url = format!("http://127.0.0.1:{port}/consolidated.csv");
    let report = env.store.update(&sources, &opts(&["us_csl", "us_bis"])).expect("update");
    let (reason, _) = rejected(report.get("us_csl").expect("csl"));
    assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
    installed(report.get("us_bis").expect("bis"));
}
