//! Registry files: good rows load; every bad cell is reported with file,
//! line and column, all at once; nothing panics on random input.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use chiptrace_lv::registry::Registry;
use proptest::prelude::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn key() -> String {
    hex::encode(ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]).verifying_key().as_bytes())
}

#[test]
fn a_good_registry_loads() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "sites.csv",
        "site_id,name,lat,lon,country,radius_km,licence\nSG-DC-1,DC,1.35,103.82,sg,30,D1\n",
    );
    write(
        d.path(),
        "landmarks.csv",
        &format!(
            "landmark_id,operator,lat,lon,country,public_key,address,overhead_ms\nLM-1,vendor,1.37,103.83,SG,{},10.0.0.1:7700,0.1\n",
            key()
        ),
    );
    write(
        d.path(),
        "chips.csv",
        &format!(
            "serial,model,public_key,site,t_proc_min_ms,t_proc_max_ms\nGPU-1,H100 SXM,{},SG-DC-1,0.005,0.1\n",
            hex::encode(
                ed25519_dalek::SigningKey::from_bytes(&[2u8; 32]).verifying_key().as_bytes()
            )
        ),
    );
    let r = Registry::from_dir(d.path()).unwrap();
    assert_eq!(r.sites["SG-DC-1"].country, "SG");
    assert_eq!(r.landmarks["LM-1"].address.as_deref(), Some("10.0.0.1:7700"));
    assert_eq!(r.chips["GPU-1"].t_proc_max_ms, 0.1);
    r.check().unwrap();
}

#[test]
fn every_bad_cell_is_reported_with_file_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "sites.csv",
        "site_id,lat,lon,country,radius_km\nS1,91,103,SG,30\nS2,1,1,Singapore,30\nS3,1,1,SG,-5\nS1,1,1,SG,30\nS1,1,1,SG,30\n",
    );
    write(
        d.path(),
        "chips.csv",
        &format!(
            "serial,model,public_key,site,t_proc_min_ms,t_proc_max_ms\nGPU 1,H100,{k},S1,0,1\nGPU-2,H100,abc,S1,0,1\nGPU-3,H100,{k},S1,2,1\nGPU-4,,{k},S1,0,x\n",
            k = key()
        ),
    );
    let e = Registry::from_dir(d.path()).unwrap_err().to_string();
    for needle in [
        "sites.csv:2: lat: 91 is outside",
        "sites.csv:3: country: \"SINGAPORE\" is not an ISO 3166 alpha-2 code",
        "sites.csv:4: radius_km: -5 is outside",
        "sites.csv:6: site_id: duplicate id \"S1\"",
        "chips.csv:2: serial:",
        "chips.csv:3: public_key: public key is not hex",
        "chips.csv:4: t_proc_min_ms: 2 is above",
        "chips.csv:5: model: is empty",
        "chips.csv:5: t_proc_max_ms: \"x\" is not a number",
    ] {
        assert!(e.contains(needle), "missing {needle:?} in:\n{e}");
    }
}

#[test]
fn missing_and_unknown_columns_and_files_are_named() {
    let d = tempfile::tempdir().unwrap();
    assert!(Registry::from_dir(d.path()).unwrap_err().to_string().contains("no sites.csv"));
    write(d.path(), "sites.csv", "site_id,lat,lon\nS1,1,1\n");
    let e = Registry::from_dir(d.path()).unwrap_err().to_string();
    assert!(e.contains("missing column(s) country, radius_km"), "{e}");
    write(d.path(), "sites.csv", "site_id,lat,lon,country,radius_km,colour\nS1,1,1,SG,3,red\n");
    assert!(
        Registry::from_dir(d.path()).unwrap_err().to_string().contains("unknown column \"colour\"")
    );
    write(d.path(), "sites.csv", "site_id,lat,lon,country,radius_km\nS1,1,1,SG\n");
    assert!(Registry::from_dir(d.path()).unwrap_err().to_string().contains("sites.csv:2"));
    let e = Registry::from_files(&[d.path().join("stuff.csv")]).unwrap_err().to_string();
    assert!(e.contains("cannot tell what this file holds"), "{e}");
    // a chip whose site is not registered is caught by check()
    let d2 = tempfile::tempdir().unwrap();
    write(
        d2.path(),
        "chips.csv",
        &format!(
            "serial,model,public_key,site,t_proc_min_ms,t_proc_max_ms\nGPU-1,H100,{},NOWHERE,0,1\n",
            key()
        ),
    );
    let r = Registry::from_dir(d2.path()).unwrap();
    assert!(r.check().unwrap_err().to_string().contains("NOWHERE"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn random_files_never_panic(a in proptest::collection::vec(any::<u8>(), 0..400), b in "[a-z_,0-9.\\n-]{0,200}") {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("sites.csv"), &a).unwrap();
        std::fs::write(d.path().join("landmarks.csv"), format!("landmark_id,operator,lat,lon,country,public_key\n{b}")).unwrap();
        let _ = Registry::from_dir(d.path());
    }
}

#[test]
fn one_key_cannot_stand_for_two_operators_and_operator_case_is_folded() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "sites.csv", "site_id,lat,lon,country,radius_km\nS1,1.35,103.82,SG,30\n");
    write(
        d.path(),
        "landmarks.csv",
        &format!(
            "landmark_id,operator,lat,lon,country,public_key\nL1,Vendor,1.37,103.83,SG,{k}\nL2,regulator,1.33,103.80,SG,{k}\n",
            k = key()
        ),
    );
    let r = Registry::from_dir(d.path()).unwrap();
    assert_eq!(r.landmarks["L1"].operator, "vendor");
    let e = r.check().unwrap_err().to_string();
    assert!(e.contains("L2 has the same public key as landmark L1"), "{e}");
}
