//! Print the forms of names given on the command line (or stdin lines).
//! Usage: `cargo run -p chiptrace-text --example dump -- [--person|--any] NAME...`

use chiptrace_text::{NameType, analyze_name};

fn main() {
    let mut ty = NameType::Organization;
    let mut names = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--person" => ty = NameType::Person,
            "--any" => ty = NameType::Any,
            "--org" => ty = NameType::Organization,
            _ => names.push(a),
        }
    }
    if names.is_empty() {
        names = std::io::stdin().lines().map_while(Result::ok).collect();
    }
    for n in names {
        println!("{n}");
        for f in analyze_name(&n, ty) {
            let toks: Vec<String> = f
                .tokens
                .iter()
                .map(|t| match t.class {
                    chiptrace_text::TokenClass::Word => t.text.clone(),
                    c => format!("{}:{:?}", t.text, c),
                })
                .collect();
            println!("  {:?}: {}", f.origin, toks.join(" "));
        }
    }
}
