//! Rough timing of `analyze_name` (run with `--release`):
//! `cargo run --release -p chiptrace-text --example bench`

use std::hint::black_box;
use std::time::Instant;

use chiptrace_text::{NameType, analyze_name};

fn time(label: &str, name: &str, ty: NameType) {
    // Warm up (tables, zhconv automaton).
    for _ in 0..1_000 {
        black_box(analyze_name(black_box(name), ty));
    }
    let n = 100_000;
    let t = Instant::now();
    for _ in 0..n {
        black_box(analyze_name(black_box(name), ty));
    }
    let per = t.elapsed() / n;
    println!("{label:<28} {per:>10?}  {name}");
}

fn main() {
    let t = Instant::now();
    let _ = chiptrace_text::table_stats();
    println!("table build (first call)      {:?}", t.elapsed());
    let t = Instant::now();
    let _ = analyze_name("华为", NameType::Organization);
    println!("first Han call (zhconv init)  {:?}", t.elapsed());
    println!("{:?}", chiptrace_text::table_stats());
    time("latin 6 tokens", "Shenzhen Woke Communication Trade Co Ltd", NameType::Organization);
    time("latin 6 tokens (Any)", "Shenzhen Woke Communication Trade Co Ltd", NameType::Any);
    time("latin person", "ABU TAIR, Mohammed Mahmud", NameType::Person);
    time("han company", "北京中科晶源电子科技有限公司", NameType::Organization);
    time("han traditional", "華為技術有限公司", NameType::Organization);
    time("han with alternates", "杭州海康威视数字技术股份有限公司", NameType::Organization);
    time("cyrillic company", "ООО «Рога и копыта»", NameType::Organization);
    time("cyrillic person", "Дмитрий Щербаков", NameType::Person);
}
