//! Hand-written mini ledgers.

use std::path::Path;

pub const PARTIES: &str = "\
party_id,name,country,address,phone,email,website,registration_id,incorporated_on,parent_party_id,hq_country,kind
S1,Northbridge Compute Inc.,US,\"2200 Mission College Blvd, Santa Clara\",+1 408 555 0100,sales@northbridge.example,https://northbridge.example,12-3456789,1998-04-01,,US,company
P1,Tai Seng Digital Pte. Ltd.,SG,\"10 Tai Seng Drive, Singapore 534818\",+65 6123 4567,dc@taiseng.example,https://taiseng.example,200812345K,2008-05-05,,SG,company
P2,Tai Seng Digital (MY) Sdn. Bhd.,MY,Cyberjaya,+60 3 1234 5678,my@taiseng.example,,201901000001,2019-01-10,P1,SG,company
F1,Pacific Link Logistics Pte. Ltd.,SG,Loyang Way,+65 6999 0000,ops@pacificlink.example,,199901234A,1999-01-01,,SG,company
";

pub const ORDERS: &str = "\
order_id,date,seller,buyer,bill_to,ship_to,end_user,declared_end_use,value,currency
O1,2025-03-01,S1,P1,P1,P1,P1,cloud computing services,259500.00,USD
O2,2025-03-10,S1,P2,,,P2,AI inference,30000.00,USD
";

pub const LINES: &str = "\
order_id,item,quantity,unit_price,hs_code
O1,H100 SXM,8,30000.00,8473.30
O1,ConnectX-7 400G NIC,1,1500.00,8517.62
O2,HGX H100 8-GPU,1,30000.00,8471.50
";

pub const SHIPMENTS: &str = "\
shipment_id,order_id,date,from_country,to_country,consignee,forwarder,declared_description,declared_value,weight_kg
SH1,O1,2025-03-15,US,SG,P1,F1,GPU modules,259500.00,30
SH2,O2,2025-03-20,US,MY,P2,F1,GPU server,30000.00,130
";

pub const EVENTS: &str = "\
serial,item,event,party,country,date,shipment_id
1654000000001,H100 SXM,shipped,S1,US,2025-03-15,SH1
1654000000001,H100 SXM,received,P1,SG,2025-03-18,SH1
1654000000001,H100 SXM,installed,P1,SG,2025-03-25,
1561000000001,HGX H100 8-GPU,shipped,S1,US,2025-03-20,SH2
1561000000001,HGX H100 8-GPU,received,P2,MY,2025-03-23,SH2
";

pub const PAYMENTS: &str = "\
payment_id,order_id,date,payer,payer_country,bank_country,amount,currency
PY1,O1,2025-03-05,P1,SG,SG,259500.00,USD
PY2,O2,2025-03-12,P2,MY,MY,30000.00,USD
";

pub const SITES: &str = "\
site_id,party,country,address,declared_power_kw,floor_space_m2
ST1,P1,SG,10 Tai Seng Drive,40000,20000
";

/// The table files of the mini ledger, as (file name, text).
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("parties.csv", PARTIES.to_string()),
        ("orders.csv", ORDERS.to_string()),
        ("order_lines.csv", LINES.to_string()),
        ("shipments.csv", SHIPMENTS.to_string()),
        ("serial_events.csv", EVENTS.to_string()),
        ("payments.csv", PAYMENTS.to_string()),
        ("sites.csv", SITES.to_string()),
    ]
}

/// Write the mini ledger, with `edit` applied to one file's text.
pub fn write(dir: &Path, file: &str, edit: impl Fn(&str) -> String) {
    for (name, text) in files() {
        let t = if name == file { edit(&text) } else { text };
        std::fs::write(dir.join(name), t).expect("write test file");
    }
}

/// Write the mini ledger unchanged.
pub fn write_ok(dir: &Path) {
    write(dir, "", |s| s.to_string());
}
