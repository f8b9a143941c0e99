//! `cargo run -p chiptrace-rules --example classify_one -- "H100 SXM" 2024-01-01`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let rules = chiptrace_rules::RuleSet::embedded()?;
    let cat = chiptrace_rules::Catalog::embedded()?;
    let spec = cat.spec_for(&args[1])?;
    let date = chiptrace_rules::parse_date("date", &args[2])?;
    let c = chiptrace_rules::classify(&rules, &spec, date)?;
    println!("{}", serde_json::to_string_pretty(&c)?);
    Ok(())
}
