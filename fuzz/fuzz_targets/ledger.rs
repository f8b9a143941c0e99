//! Fuzz the trade-ledger importer: the input is split on 0xFF into the
//! seven table files (CSV, or JSON lines when the first byte is odd) of a
//! ledger directory, loaded strict and lenient. Any bytes must give a
//! ledger or a report naming file and line, never a panic.
//!
//! Run: `cargo fuzz run ledger --sanitizer none`.

#![no_main]

use chiptrace_ledger::{LoadOptions, load};
use libfuzzer_sys::fuzz_target;

const TABLES: [&str; 7] = ["parties", "orders", "order_lines", "shipments", "serial_events", "payments", "sites"];
// valid headers, so the fuzzer starts from rows rather than from scratch
const HEADERS: [&str; 7] = [
    "party_id,name,country,address,phone,email,website,registration_id,incorporated_on,parent_party_id,hq_country,kind,industry\n",
    "order_id,date,seller,buyer,bill_to,ship_to,end_user,declared_end_use,value,currency,site_id\n",
    "order_id,item,quantity,unit_price,hs_code\n",
    "shipment_id,order_id,date,from_country,to_country,consignee,forwarder,declared_description,declared_value,weight_kg\n",
    "serial,item,event,party,country,date,shipment_id\n",
    "payment_id,order_id,date,payer,payer_country,bank_country,amount,currency,method\n",
    "site_id,party,country,address,declared_power_kw,floor_space_m2\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let jsonl = first % 2 == 1;
    let Ok(dir) = tempfile::tempdir() else { return };
    for (i, part) in rest.split(|b| *b == 0xFF).take(7).enumerate() {
        let ext = if jsonl { "jsonl" } else { "csv" };
        let mut body = if jsonl { Vec::new() } else { HEADERS[i].as_bytes().to_vec() };
        body.extend_from_slice(part);
        let _ = std::fs::write(dir.path().join(format!("{}.{ext}", TABLES[i])), body);
    }
    let _ = load(dir.path(), &LoadOptions::strict());
    if let Ok(l) = load(dir.path(), &LoadOptions::lenient()) {
        let _ = l.ledger.counts();
    }
});
