//! Profiling loop for `perf`: 2 million `analyze_name` calls on one name.
//! `cargo build --release -p chiptrace-text --example prof && perf stat -e task-clock target/release/examples/prof [latin|han|cyr]`

use chiptrace_text::{NameType, analyze_name};
fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let name = match which.as_str() {
        "cyr" => "ООО «Рога и копыта»",
        "han" => "北京中科晶源电子科技有限公司",
        _ => "Shenzhen Woke Communication Trade Co Ltd",
    };
    let mut n = 0;
    for _ in 0..2_000_000 {
        n += analyze_name(std::hint::black_box(name), NameType::Organization).len();
    }
    println!("{n}");
}
