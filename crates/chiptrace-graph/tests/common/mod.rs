//! Hand-built mini ledgers written as CSV into a temp dir and loaded with
//! `chiptrace_ledger::load`.
#![allow(dead_code)]

use chiptrace_ledger::{Country, Ledger, LoadOptions, load};

#[derive(Default, Clone)]
pub struct Mini {
    parties: Vec<String>,
    orders: Vec<String>,
    lines: Vec<String>,
    shipments: Vec<String>,
    events: Vec<String>,
    payments: Vec<String>,
}

impl Mini {
    pub fn new() -> Mini {
        Mini::default()
    }
    /// A company with an address and nothing else.
    pub fn party(self, id: &str, country: &str) -> Mini {
        self.party_with(id, country, "", "")
    }
    /// A company with a parent and/or hq country.
    pub fn party_with(mut self, id: &str, country: &str, parent: &str, hq: &str) -> Mini {
        self.parties.push(format!(
            "{id},Company {id},{country},\"1 Street, {id}\",,,,,,{parent},{hq},company"
        ));
        self
    }
    /// An order with one line (`value` = one HGX H100 server); empty roles = the buyer.
    #[allow(clippy::too_many_arguments)]
    pub fn order_roles(
        mut self,
        id: &str,
        date: &str,
        seller: &str,
        buyer: &str,
        bill_to: &str,
        ship_to: &str,
        end_user: &str,
        value: &str,
    ) -> Mini {
        self.orders.push(format!(
            "{id},{date},{seller},{buyer},{bill_to},{ship_to},{end_user},AI training,{value},USD"
        ));
        self.lines.push(format!("{id},HGX H100 8-GPU,1,{value},8471.50"));
        self
    }
    pub fn order(self, id: &str, date: &str, seller: &str, buyer: &str, value: &str) -> Mini {
        self.order_roles(id, date, seller, buyer, "", "", buyer, value)
    }
    #[allow(clippy::too_many_arguments)]
    pub fn shipment_v(
        mut self,
        id: &str,
        order: &str,
        date: &str,
        from: &str,
        to: &str,
        consignee: &str,
        value: &str,
    ) -> Mini {
        self.shipments
            .push(format!("{id},{order},{date},{from},{to},{consignee},,GPU server,{value},100"));
        self
    }
    pub fn shipment(
        self,
        id: &str,
        order: &str,
        date: &str,
        from: &str,
        to: &str,
        consignee: &str,
    ) -> Mini {
        self.shipment_v(id, order, date, from, to, consignee, "")
    }
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        mut self,
        serial: &str,
        item: &str,
        kind: &str,
        party: &str,
        country: &str,
        date: &str,
        shipment: &str,
    ) -> Mini {
        self.events.push(format!("{serial},{item},{kind},{party},{country},{date},{shipment}"));
        self
    }
    pub fn payment(mut self, id: &str, order: &str, date: &str, payer: &str, amount: &str) -> Mini {
        self.payments.push(format!("{id},{order},{date},{payer},,,{amount},USD"));
        self
    }
    /// Write and load (strict).
    pub fn load(&self) -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = |name: &str, header: &str, rows: &[String]| {
            let mut t = String::from(header);
            t.push('\n');
            for r in rows {
                t.push_str(r);
                t.push('\n');
            }
            std::fs::write(dir.path().join(name), t).expect("write");
        };
        w(
            "parties.csv",
            "party_id,name,country,address,phone,email,website,registration_id,incorporated_on,parent_party_id,hq_country,kind",
            &self.parties,
        );
        w(
            "orders.csv",
            "order_id,date,seller,buyer,bill_to,ship_to,end_user,declared_end_use,value,currency",
            &self.orders,
        );
        w("order_lines.csv", "order_id,item,quantity,unit_price,hs_code", &self.lines);
        w(
            "shipments.csv",
            "shipment_id,order_id,date,from_country,to_country,consignee,forwarder,declared_description,declared_value,weight_kg",
            &self.shipments,
        );
        w("serial_events.csv", "serial,item,event,party,country,date,shipment_id", &self.events);
        w(
            "payments.csv",
            "payment_id,order_id,date,payer,payer_country,bank_country,amount,currency",
            &self.payments,
        );
        let loaded = match load(dir.path(), &LoadOptions::strict()) {
            Ok(l) => l,
            Err(e) => panic!("mini ledger does not load: {e}"),
        };
        (dir, loaded.ledger)
    }
}

pub fn c(s: &str) -> Country {
    Country::parse(s).expect("country")
}
