//! Embeds every file under `rules/` and `catalog/` so the binary carries its
//! rule data; adding a rule version is adding a folder (no code change).
use std::{env, fs, path::Path};

fn collect(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("read rules dir").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, base, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "csv")) {
            out.push(p.strip_prefix(base).expect("prefix").to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["rules", "catalog"] {
        println!("cargo:rerun-if-changed={d}");
        if root.join(d).is_dir() {
            collect(&root.join(d), root, &mut files);
        }
    }
    let mut src = String::from(
        "/// (path relative to the crate, contents) of every embedded data file.\npub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        src.push_str(&format!(
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{f}\"))),\n"
        ));
    }
    src.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("embedded.rs"), src)
        .expect("write");
}
