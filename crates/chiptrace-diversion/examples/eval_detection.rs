//! Detection quality on generated ledgers: per-scheme recall and order
//! precision at the hold level, benign look-alikes' worst action.
//! `cargo run --release -p chiptrace-diversion --example eval_detection -- SEED... [--orders N]`
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashSet};

use chiptrace_diversion::{Action, Config, Context, analyze};
use chiptrace_ledger::{LoadOptions, load};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let orders: usize = args
        .iter()
        .position(|a| a == "--orders")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let seeds: Vec<u64> =
        args.iter().filter_map(|a| a.parse().ok()).filter(|s| *s != orders as u64).collect();
    let cfg = Config::embedded().unwrap();
    for seed in if seeds.is_empty() { vec![1, 2, 3] } else { seeds } {
        let dir = tempfile::tempdir().unwrap();
        chiptrace_ledger::r#gen::generate(seed, orders, dir.path()).unwrap();
        let truth = chiptrace_ledger::r#gen::Truth::read(&dir.path().join("truth.json")).unwrap();
        let l = load(dir.path(), &LoadOptions::strict()).unwrap().ledger;
        let t = std::time::Instant::now();
        let a = analyze(&l, &cfg, &Context::default(), vec![], vec![]).unwrap();
        let el = t.elapsed().as_secs_f64();
        let flagged: HashSet<&str> = a
            .alerts
            .iter()
            .filter(|x| x.action >= Action::Hold)
            .map(|x| x.order.as_str())
            .collect();
        let scheme_orders: HashSet<&str> =
            truth.schemes.iter().flat_map(|s| s.order_ids.iter().map(String::as_str)).collect();
        let tp = flagged.iter().filter(|o| scheme_orders.contains(*o)).count();
        println!(
            "seed {seed}: {} orders, {:.2} s; flagged (hold/block) {}, precision {:.3}",
            l.orders.len(),
            el,
            flagged.len(),
            tp as f64 / flagged.len().max(1) as f64
        );
        let mut by_kind: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
        for s in &truth.schemes {
            let k = format!(
                "{:?}{}",
                s.kind,
                s.variant.as_deref().map(|v| format!("/{v}")).unwrap_or_default()
            );
            let e = by_kind.entry(k).or_default();
            let hit = s.order_ids.iter().filter(|o| flagged.contains(o.as_str())).count();
            e.0 += s.order_ids.len();
            e.1 += hit;
            e.2 += 1;
            e.3 += usize::from(hit > 0);
        }
        for (k, (n, h, sn, sh)) in by_kind {
            println!(
                "  {k:<40} orders {h}/{n} = {:.2}   schemes {sh}/{sn}",
                h as f64 / n.max(1) as f64
            );
        }
        for lk in &truth.benign_lookalikes {
            let worst =
                a.alerts.iter().filter(|x| lk.order_ids.contains(&x.order)).map(|x| x.action).max();
            println!(
                "  benign {:<30} {} orders, worst action {:?}",
                lk.kind,
                lk.order_ids.len(),
                worst.unwrap_or(Action::Record)
            );
        }
        // false positives: what flagged them
        let mut fp_rules: BTreeMap<String, usize> = BTreeMap::new();
        for x in a
            .alerts
            .iter()
            .filter(|x| x.action >= Action::Hold && !scheme_orders.contains(x.order.as_str()))
        {
            *fp_rules.entry(x.rule_ids.join("+")).or_default() += 1;
        }
        for (k, v) in fp_rules.iter().take(12) {
            println!("  FP {v:>5} {k}");
        }
        println!("  actions {:?}", a.summary.orders_by_action);
        if std::env::var("DBG").is_ok() {
            let rule = std::env::var("DBG").unwrap();
            for x in a
                .alerts
                .iter()
                .filter(|x| x.action >= Action::Hold && !scheme_orders.contains(x.order.as_str()))
                .take(400)
            {
                for h in x.evidence.iter().filter(|h| h.rule == rule) {
                    println!("    {} {} {}", x.order, h.summary, h.evidence);
                }
            }
        }
    }
}
