//! A seeded, deterministic generator of company records with ground truth,
//! for the diversion domain: companies in SG, MY, TH, AE, HK, CN, TW, US and
//! DE, each written 1–5 times by different source systems, plus hard
//! negatives.
//!
//! Variants of one company: legal-form spellings ("Pte. Ltd." / "Private
//! Limited", "Sdn. Bhd." / "Sendirian Berhad"), abbreviations ("Tech",
//! "Intl", "Semicon"), upper case, a typo in the brand, generic words
//! reordered or dropped, a Han name and its pinyin (spaced or glued, with or
//! without the city), addresses with unit-number variants ("#05-12",
//! "Unit 5-12", "Rd"), phone formats ("+65 6123 4567" / "61234567"),
//! e-mail at the corporate domain or at a free-mail provider, registration
//! ids with and without punctuation, fields missing at random, and an
//! outdated phone now and then. Every record of a company shares at least
//! one identifier (registration id, phone, or corporate domain) with the
//! company's first record: without that, two records named alike are not
//! decidable from the data, and the truth would be arbitrary.
//!
//! Hard negatives:
//! - corporate families: "Brand Holdings" with subsidiaries ("Brand
//!   Technology (Shenzhen) Co., Ltd.", "Brand Trading Sdn. Bhd.", "Brand
//!   Electronics Pte. Ltd." at the parent's address), sharing the group
//!   domain, some records declaring the parent;
//! - unrelated companies with the same generic name ("Global Technology
//!   Trading Pte Ltd" × n) and free-mail addresses;
//! - many distinct companies at one registered-agent (corporate secretary)
//!   address in Singapore, some giving the agent's phone.
//!
//! Family members never drop the generic word that tells them apart (a
//! record "Brand Pte Ltd" would be truly ambiguous between parent and
//! subsidiary).

use std::collections::BTreeSet;

use crate::links::LinkKind;
use crate::record::{Dataset, Kind, Record};
use crate::rng::SplitMix64;

/// Options of the generator.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Seed; equal seeds give equal data.
    pub seed: u64,
    /// Ordinary companies (1–5 records each).
    pub companies: usize,
    /// Corporate families (a parent and 2–4 subsidiaries).
    pub families: usize,
    /// Companies sharing a generic name.
    pub generic_named: usize,
    /// Companies at the registered-agent address.
    pub agent_companies: usize,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig { seed: 42, companies: 1000, families: 0, generic_named: 0, agent_companies: 0 }
    }
}

impl SynthConfig {
    /// Hard-negative counts derived from `companies` where left at 0:
    /// families 5 %, generic-named 3 % (at least 6), agent companies 4 %
    /// (at least 10).
    pub fn resolved(&self) -> SynthConfig {
        let c = self.companies;
        SynthConfig {
            families: if self.families == 0 { (c / 20).max(2) } else { self.families },
            generic_named: if self.generic_named == 0 {
                (c * 3 / 100).max(6)
            } else {
                self.generic_named
            },
            agent_companies: if self.agent_companies == 0 {
                (c / 25).max(10)
            } else {
                self.agent_companies
            },
            ..self.clone()
        }
    }
}

/// Generated data: records, the true entity of each, and the true
/// relations between entities.
#[derive(Debug, Clone, Default)]
pub struct Synth {
    /// Records and truth labels.
    pub dataset: Dataset,
    /// True relations between entities: (from, to, kind); parent →
    /// subsidiary and sibling pairs.
    pub relations: Vec<(String, String, LinkKind)>,
}

/// Generate records with ground truth (see the module documentation).
///
/// ```
/// use chiptrace_er::synth::{generate, SynthConfig};
/// let a = generate(&SynthConfig { seed: 1, companies: 50, ..SynthConfig::default() });
/// let b = generate(&SynthConfig { seed: 1, companies: 50, ..SynthConfig::default() });
/// assert_eq!(a.records, b.records);
/// assert_eq!(a.records.len(), a.truth.len());
/// ```
pub fn generate(cfg: &SynthConfig) -> Dataset {
    generate_full(cfg).dataset
}

struct Profile {
    code: &'static str,
    name: &'static str,
    legal: &'static [&'static [&'static str]],
    cities: &'static [&'static str],
    streets: &'static [&'static str],
    postcode_len: usize,
    phone_cc: &'static str,
    phone_digits: usize,
    tld: &'static str,
}

const PROFILES: &[Profile] = &[
    Profile {
        code: "SG",
        name: "Singapore",
        legal: &[&["Pte. Ltd.", "Pte Ltd", "Private Limited", "PTE. LTD."]],
        cities: &["Singapore"],
        streets: &[
            "Robinson Road",
            "Anson Road",
            "Ubi Avenue",
            "Kallang Way",
            "Jurong West Street",
            "Changi Business Park Crescent",
            "Tai Seng Street",
        ],
        postcode_len: 6,
        phone_cc: "65",
        phone_digits: 8,
        tld: "com.sg",
    },
    Profile {
        code: "MY",
        name: "Malaysia",
        legal: &[&["Sdn. Bhd.", "Sdn Bhd", "Sendirian Berhad"]],
        cities: &["Kuala Lumpur", "Penang", "Johor Bahru", "Cyberjaya"],
        streets: &[
            "Jalan Ampang",
            "Jalan Sultan Ismail",
            "Persiaran Multimedia",
            "Jalan Tun Razak",
        ],
        postcode_len: 5,
        phone_cc: "60",
        phone_digits: 9,
        tld: "com.my",
    },
    Profile {
        code: "TH",
        name: "Thailand",
        legal: &[&["Co., Ltd.", "Company Limited", "Co Ltd"]],
        cities: &["Bangkok", "Chonburi"],
        streets: &["Sukhumvit Road", "Rama IV Road", "Silom Road", "Phahonyothin Road"],
        postcode_len: 5,
        phone_cc: "66",
        phone_digits: 9,
        tld: "co.th",
    },
    Profile {
        code: "AE",
        name: "United Arab Emirates",
        legal: &[&["LLC", "L.L.C."], &["FZE", "F.Z.E."]],
        cities: &["Dubai", "Abu Dhabi", "Sharjah"],
        streets: &["Sheikh Zayed Road", "Al Maktoum Road", "Jebel Ali Free Zone"],
        postcode_len: 0,
        phone_cc: "971",
        phone_digits: 8,
        tld: "ae",
    },
    Profile {
        code: "HK",
        name: "Hong Kong",
        legal: &[&["Limited", "Ltd.", "Ltd", "LIMITED"]],
        cities: &["Hong Kong", "Kowloon"],
        streets: &["Nathan Road", "Queen's Road Central", "Hennessy Road", "Canton Road"],
        postcode_len: 0,
        phone_cc: "852",
        phone_digits: 8,
        tld: "com.hk",
    },
    Profile {
        code: "CN",
        name: "China",
        legal: &[&["Co., Ltd.", "Co Ltd", "Company Limited"]],
        cities: &["Shenzhen", "Shanghai", "Beijing", "Guangzhou", "Hangzhou", "Suzhou"],
        streets: &["Keyuan Road", "Zhangjiang Road", "Nanshan Avenue", "Huaqiang North Road"],
        postcode_len: 6,
        phone_cc: "86",
        phone_digits: 11,
        tld: "com.cn",
    },
    Profile {
        code: "TW",
        name: "Taiwan",
        legal: &[&["Co., Ltd.", "Co Ltd", "Company Limited"]],
        cities: &["Taipei", "Hsinchu", "Taichung"],
        streets: &["Section 2 Keelung Road", "Science Park Road", "Zhongshan Road"],
        postcode_len: 3,
        phone_cc: "886",
        phone_digits: 9,
        tld: "com.tw",
    },
    Profile {
        code: "US",
        name: "United States",
        legal: &[&["Inc.", "Inc", "Incorporated", "Corp."], &["LLC", "L.L.C."]],
        cities: &["San Jose", "Fremont", "Austin", "Santa Clara"],
        streets: &[
            "Mission College Boulevard",
            "Great America Parkway",
            "Zanker Road",
            "Lakeside Drive",
        ],
        postcode_len: 5,
        phone_cc: "1",
        phone_digits: 10,
        tld: "com",
    },
    Profile {
        code: "DE",
        name: "Germany",
        legal: &[&["GmbH", "G.m.b.H."]],
        cities: &["Munich", "Berlin", "Frankfurt", "Dresden"],
        streets: &["Leopoldstrasse", "Friedrichstrasse", "Mainzer Landstrasse"],
        postcode_len: 5,
        phone_cc: "49",
        phone_digits: 10,
        tld: "de",
    },
];

/// Generic words with their abbreviations and Han forms.
const GENERICS: &[(&str, &[&str], &str)] = &[
    ("Technology", &["Tech", "Technologies"], "科技"),
    ("Electronics", &["Elec"], "电子"),
    ("Trading", &[], "贸易"),
    ("Semiconductor", &["Semicon"], "半导体"),
    ("Systems", &["Sys"], ""),
    ("International", &["Intl"], ""),
    ("Logistics", &[], ""),
    ("Engineering", &["Eng"], ""),
    ("Solutions", &[], ""),
    ("Digital", &[], ""),
    ("Computer", &[], ""),
    ("Networks", &[], ""),
    ("Industrial", &["Ind"], ""),
    ("Precision", &[], ""),
];

const SYLLABLES: &[&str] = &[
    "vel", "trix", "zor", "bex", "qua", "lum", "nex", "tor", "syn", "kel", "vion", "dra", "mon",
    "tar", "quin", "zen", "ro", "li", "ka", "mi", "sa", "do", "ve", "ra", "pho", "gen", "tek",
    "cor", "xa", "bri", "lan", "dor", "fy", "nu", "sto", "vy", "gal", "ori", "pex", "hal",
];

const HAN_CHARS: &[(&str, &str)] = &[
    ("华", "hua"),
    ("芯", "xin"),
    ("星", "xing"),
    ("海", "hai"),
    ("光", "guang"),
    ("龙", "long"),
    ("腾", "teng"),
    ("锐", "rui"),
    ("博", "bo"),
    ("鼎", "ding"),
    ("明", "ming"),
    ("达", "da"),
    ("金", "jin"),
    ("晶", "jing"),
    ("宏", "hong"),
    ("泰", "tai"),
    ("恒", "heng"),
    ("远", "yuan"),
    ("嘉", "jia"),
    ("凯", "kai"),
    ("昊", "hao"),
    ("宇", "yu"),
    ("峰", "feng"),
    ("科", "ke"),
    ("微", "wei"),
    ("芯", "xin"),
    ("联", "lian"),
    ("创", "chuang"),
    ("志", "zhi"),
];

const HAN_CITIES: &[(&str, &str)] = &[
    ("深圳市", "Shenzhen"),
    ("上海市", "Shanghai"),
    ("北京市", "Beijing"),
    ("广州市", "Guangzhou"),
    ("杭州市", "Hangzhou"),
    ("苏州市", "Suzhou"),
];

const FREE_MAIL: &[&str] =
    &["gmail.com", "qq.com", "163.com", "outlook.com", "yahoo.com", "hotmail.com"];
const SOURCES: &[&str] = &["crm", "erp", "shipping", "kyc", "invoices"];
const LOCALS: &[&str] = &["sales", "info", "admin", "procurement", "accounts", "ops", "enquiry"];
const GENERIC_NAMES: &[&str] = &[
    "Global Technology Trading",
    "Asia Pacific Electronics",
    "United Supply Solutions",
    "Star Electronics Trading",
    "Prime Tech Solutions",
];

/// One company as generated (before writing its records).
#[derive(Debug, Clone)]
struct Company {
    entity: String,
    country: usize,
    /// Brand (Latin), e.g. "Veltrix"; for CN with a Han brand, its pinyin.
    brand: String,
    /// Han brand and its syllables, for CN companies written in Han.
    han: Option<(String, Vec<String>)>,
    han_city: Option<usize>,
    generics: Vec<usize>,
    /// A place qualifier in the name ("(Shenzhen)").
    place: Option<String>,
    legal_set: usize,
    reg_id: String,
    phone: String,
    /// Corporate domain (own or group).
    domain: Option<String>,
    street_no: u32,
    street: usize,
    floor: u32,
    unit: u32,
    postcode: String,
    city: usize,
    incorporated: String,
    parent_record: Option<String>,
    hq: Option<&'static str>,
    /// Records to write.
    n_records: usize,
    /// Never drop a generic word (family members).
    keep_generics: bool,
    /// Fixed name (generic-name companies).
    fixed_name: Option<String>,
    /// Registered-agent address and phone.
    agent: Option<(String, String)>,
    free_mail_only: bool,
}

struct Gen {
    rng: SplitMix64,
    brands: BTreeSet<String>,
    next_entity: usize,
    next_record: Vec<usize>,
    out: Synth,
}

fn digits(rng: &mut SplitMix64, n: usize) -> String {
    (0..n)
        .map(|i| {
            char::from(b'0' + if i == 0 { 1 + rng.below(9) as u8 } else { rng.below(10) as u8 })
        })
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Gen {
    fn brand(&mut self) -> String {
        // 2–3 syllables; a longer word when the short ones run out, so the
        // loop always ends (large runs exhaust the 2-syllable space).
        let mut tries = 0usize;
        loop {
            let n = 2 + self.rng.below(2) + tries / 64;
            tries += 1;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(self.rng.pick(SYLLABLES).copied().unwrap_or("ka"));
            }
            if s.len() >= 5 && self.brands.insert(s.clone()) {
                return capitalize(&s);
            }
        }
    }

    /// A Han brand whose reading by the text pipeline is the expected
    /// glued pinyin (two characters that form a dictionary place or word
    /// would read otherwise, and are redrawn).
    fn han_brand(&mut self) -> (String, Vec<String>) {
        for attempt in 0..400 {
            // Two characters, three when two-character brands run out.
            let n = if attempt < 100 { 2 } else { 3 };
            let picks: Vec<(&str, &str)> = (0..n)
                .map(|_| self.rng.pick(HAN_CHARS).copied().unwrap_or(("华", "hua")))
                .collect();
            if picks.windows(2).any(|w| w[0].0 == w[1].0) {
                continue;
            }
            let han: String = picks.iter().map(|p| p.0).collect();
            let pinyin: String = picks.iter().map(|p| p.1).collect();
            if self.brands.contains(&pinyin) {
                continue;
            }
            let forms = chiptrace_text::analyze_name(
                &format!("{han}贸易有限公司"),
                chiptrace_text::NameType::Organization,
            );
            let ok =
                forms.first().is_some_and(|f| f.tokens.first().is_some_and(|t| t.text == pinyin));
            if ok {
                self.brands.insert(pinyin);
                return (han, picks.iter().map(|p| p.1.to_string()).collect());
            }
        }
        ("华芯".to_string(), vec!["hua".into(), "xin".into()])
    }

    fn entity(&mut self) -> String {
        self.next_entity += 1;
        format!("E{:05}", self.next_entity)
    }

    fn reg_id(&mut self, country: usize) -> String {
        let r = &mut self.rng;
        match PROFILES[country].code {
            "SG" => format!(
                "{}{}{}",
                2005 + r.below(20),
                digits(r, 5),
                char::from(b'A' + r.below(26) as u8)
            ),
            "MY" => format!("{}{}", 2010 + r.below(15), digits(r, 8)),
            "TH" => format!("0{}", digits(r, 12)),
            "AE" => format!("DMCC-{}", digits(r, 6)),
            "HK" => digits(r, 8),
            "CN" => format!("9144{}MA{}", digits(r, 4), digits(r, 8)),
            "TW" => digits(r, 8),
            "US" => format!("{}-{}", digits(r, 2), digits(r, 7)),
            _ => format!("HRB {}", digits(r, 6)),
        }
    }

    fn company(&mut self, country: usize) -> Company {
        let p = &PROFILES[country];
        let han = (p.code == "CN" && self.rng.chance(0.6)).then(|| self.han_brand());
        let brand = match &han {
            Some((_, syl)) => capitalize(&syl.concat()),
            None => self.brand(),
        };
        let n_gen = if han.is_some() { 1 } else { self.rng.below(3) };
        let mut generics = Vec::new();
        while generics.len() < n_gen {
            let g = if han.is_some() { self.rng.below(4) } else { self.rng.below(GENERICS.len()) };
            if !generics.contains(&g) {
                generics.push(g);
            }
        }
        let domain = format!("{}.{}", brand.to_ascii_lowercase(), p.tld);
        Company {
            entity: self.entity(),
            country,
            brand,
            han_city: han.as_ref().map(|_| self.rng.below(HAN_CITIES.len())),
            han,
            generics,
            place: None,
            legal_set: self.rng.below(p.legal.len()),
            reg_id: self.reg_id(country),
            phone: digits(&mut self.rng, p.phone_digits),
            domain: Some(domain),
            street_no: 1 + self.rng.below(3000) as u32,
            street: self.rng.below(p.streets.len()),
            floor: 1 + self.rng.below(30) as u32,
            unit: 1 + self.rng.below(40) as u32,
            postcode: if p.postcode_len > 0 {
                digits(&mut self.rng, p.postcode_len)
            } else {
                String::new()
            },
            city: self.rng.below(p.cities.len()),
            incorporated: format!(
                "{}-{:02}-{:02}",
                1995 + self.rng.below(30),
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            parent_record: None,
            hq: None,
            n_records: 1 + self.rng.below(5),
            keep_generics: false,
            fixed_name: None,
            agent: None,
            free_mail_only: false,
        }
    }

    fn record_id(&mut self, source: usize) -> String {
        self.next_record[source] += 1;
        format!("{}-{:06}", SOURCES[source], self.next_record[source])
    }

    fn latin_name(&mut self, c: &Company, first: bool) -> String {
        let p = &PROFILES[c.country];
        if let Some(fixed) = &c.fixed_name {
            let legal = self.legal(c, first);
            return format!("{fixed} {legal}").trim().to_string();
        }
        let mut words: Vec<String> = Vec::new();
        let mut brand = c.brand.clone();
        if let Some((_, syl)) = &c.han {
            if !first && self.rng.chance(0.3) {
                brand = syl.iter().map(|s| capitalize(s)).collect::<Vec<_>>().join(" ");
            }
            if let Some(ci) = c.han_city
                && (first || self.rng.chance(0.6))
            {
                words.push(HAN_CITIES[ci].1.to_string());
            }
        } else if !first && brand.len() >= 6 && self.rng.chance(0.15) {
            brand = typo(&mut self.rng, &brand);
        }
        words.push(brand);
        let mut gens: Vec<String> = c
            .generics
            .iter()
            .map(|&g| {
                let (full, abbr, _) = GENERICS[g];
                if !first && !abbr.is_empty() && self.rng.chance(0.35) {
                    self.rng.pick(abbr).copied().unwrap_or(full).to_string()
                } else {
                    full.to_string()
                }
            })
            .collect();
        if !first && gens.len() >= 2 && self.rng.chance(0.2) {
            gens.swap(0, 1);
        }
        if !first && !c.keep_generics && !gens.is_empty() && self.rng.chance(0.15) {
            gens.pop();
        }
        words.extend(gens);
        if let Some(pl) = &c.place {
            words.push(format!("({pl})"));
        }
        let legal = self.legal(c, first);
        let mut name = words.join(" ");
        if !legal.is_empty() {
            name = format!("{name} {legal}");
        }
        if !first && self.rng.chance(0.15) {
            name = name.to_uppercase();
        }
        let _ = p;
        name
    }

    fn legal(&mut self, c: &Company, first: bool) -> String {
        let set = PROFILES[c.country].legal[c.legal_set];
        if first {
            return set[0].to_string();
        }
        if self.rng.chance(0.1) {
            return String::new();
        }
        self.rng.pick(set).copied().unwrap_or("").to_string()
    }

    fn han_name(&mut self, c: &Company) -> Option<String> {
        let (han, _) = c.han.as_ref()?;
        let city = c.han_city.map(|ci| HAN_CITIES[ci].0).unwrap_or("");
        let g = c.generics.first().map(|&g| GENERICS[g].2).unwrap_or("");
        let city = if self.rng.chance(0.7) { city } else { "" };
        Some(format!("{city}{han}{g}有限公司"))
    }

    fn phone(&mut self, c: &Company, p: &Profile, phone: &str) -> String {
        let _ = c;
        let n = phone.len();
        let (a, b) = phone.split_at(n / 2);
        match self.rng.below(5) {
            0 => format!("+{} {} {}", p.phone_cc, a, b),
            1 => phone.to_string(),
            2 => format!("(+{}) {}", p.phone_cc, phone),
            3 => format!("00{}-{}-{}", p.phone_cc, a, b),
            _ => format!("{a} {b}"),
        }
    }

    fn address(&mut self, c: &Company, p: &Profile) -> Vec<String> {
        if let Some((addr, _)) = &c.agent {
            let mut lines = vec![addr.clone()];
            if self.rng.chance(0.5) {
                lines[0] = lines[0].replace("Road", "Rd");
            }
            lines.push("Singapore 068898".to_string());
            return lines;
        }
        let mut street = p.streets[c.street].to_string();
        if self.rng.chance(0.4) {
            street = street.replace("Road", "Rd").replace("Avenue", "Ave").replace("Street", "St");
        }
        let unit = match self.rng.below(4) {
            0 => format!("#{:02}-{:02}", c.floor, c.unit),
            1 => format!("Unit {}-{}", c.floor, c.unit),
            2 => format!("{:02}-{:02}", c.floor, c.unit),
            _ => String::new(),
        };
        let first = format!("{} {} {}", c.street_no, street, unit).trim().to_string();
        let city = p.cities[c.city];
        let second =
            if c.postcode.is_empty() { city.to_string() } else { format!("{city} {}", c.postcode) };
        vec![first, second]
    }

    /// Write the records of a company.
    fn write(&mut self, c: &Company) {
        let p = &PROFILES[c.country];
        let mut has_strong_with_first = true;
        for k in 0..c.n_records {
            let first = k == 0;
            let source = self.rng.below(SOURCES.len());
            let id = self.record_id(source);
            let mut r = Record {
                id,
                source: SOURCES[source].to_string(),
                kind: Kind::Company,
                ..Record::default()
            };
            let han_name = if c.han.is_some() && (first || self.rng.chance(0.4)) {
                self.han_name(c)
            } else {
                None
            };
            r.name = match han_name {
                Some(h) => {
                    if self.rng.chance(0.3) {
                        r.alt_names.push(self.latin_name(c, false));
                    }
                    h
                }
                None => self.latin_name(c, first),
            };
            // Identifiers: the first record has all of them; later records
            // keep each at random but always one of (reg id, phone, domain).
            let keep_reg = first || self.rng.chance(0.55);
            let mut keep_phone = first || self.rng.chance(0.6);
            let keep_domain = first || self.rng.chance(0.6);
            let corporate_domain = keep_domain && !c.free_mail_only && c.domain.is_some();
            if !first && !keep_reg && !corporate_domain {
                keep_phone = true;
            }
            if keep_reg {
                let mut id = c.reg_id.clone();
                if !first && self.rng.chance(0.3) {
                    id = id.replace('-', "").to_lowercase();
                } else if !first && self.rng.chance(0.2) && id.len() > 6 {
                    id = format!("{}-{}", &id[..4], &id[4..]);
                }
                r.registration_id = Some(id);
            }
            if keep_phone {
                let other_id = keep_reg || corporate_domain;
                let phone = if !first && other_id && self.rng.chance(0.05) {
                    digits(&mut self.rng, p.phone_digits) // outdated number
                } else if let Some((_, agent_phone)) =
                    c.agent.as_ref().filter(|_| !first && other_id && self.rng.chance(0.3))
                {
                    agent_phone.clone()
                } else {
                    c.phone.clone()
                };
                r.phone = Some(self.phone(c, p, &phone));
            }
            let local = self.rng.pick(LOCALS).copied().unwrap_or("sales");
            match (&c.domain, keep_domain && !c.free_mail_only) {
                (Some(d), true) => {
                    if first || self.rng.chance(0.6) {
                        r.email = Some(format!("{local}@{d}"));
                    }
                    if first || r.email.is_none() || self.rng.chance(0.3) {
                        r.website = Some(match self.rng.below(3) {
                            0 => format!("www.{d}"),
                            1 => format!("https://{d}/contact"),
                            _ => d.clone(),
                        });
                    }
                }
                _ => {
                    if self.rng.chance(0.5) {
                        let fm = self.rng.pick(FREE_MAIL).copied().unwrap_or("gmail.com");
                        let who = c.brand.to_ascii_lowercase().replace(' ', "");
                        r.email = Some(format!("{who}{}@{fm}", self.rng.below(100)));
                    }
                }
            }
            if first || self.rng.chance(0.8) {
                r.address_lines = self.address(c, p);
            }
            if first || self.rng.chance(0.9) {
                r.country = Some(if self.rng.chance(0.3) {
                    p.name.to_string()
                } else {
                    p.code.to_string()
                });
            }
            if self.rng.chance(0.3) {
                r.incorporated_on = Some(c.incorporated.clone());
            }
            if let Some(parent) = &c.parent_record
                && self.rng.chance(0.5)
            {
                r.parent_id = Some(parent.clone());
            }
            if let Some(hq) = c.hq
                && self.rng.chance(0.5)
            {
                r.hq_country = Some(hq.to_string());
            }
            has_strong_with_first &= first || keep_reg || keep_phone || corporate_domain;
            self.out.dataset.truth.push(c.entity.clone());
            self.out.dataset.records.push(r);
        }
        debug_assert!(has_strong_with_first);
    }
}

fn typo(rng: &mut SplitMix64, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let n = c.len();
    if n < 4 {
        return s.to_string();
    }
    let i = 1 + rng.below(n - 2);
    match rng.below(3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c.insert(i, c[i]),
    }
    c.into_iter().collect()
}

/// Generate records, truth and true relations (see the module
/// documentation).
pub fn generate_full(cfg: &SynthConfig) -> Synth {
    let cfg = cfg.resolved();
    let mut g = Gen {
        rng: SplitMix64::new(cfg.seed),
        brands: BTreeSet::new(),
        next_entity: 0,
        next_record: vec![0; SOURCES.len()],
        out: Synth::default(),
    };
    // Ordinary companies.
    for _ in 0..cfg.companies {
        let country = g.rng.below(PROFILES.len());
        let c = g.company(country);
        g.write(&c);
    }
    // Corporate families.
    let idx = |code: &str| PROFILES.iter().position(|p| p.code == code).unwrap_or(0);
    for _ in 0..cfg.families {
        let pc = if g.rng.chance(0.6) { idx("SG") } else { idx("HK") };
        let mut parent = g.company(pc);
        parent.generics.clear();
        parent.han = None;
        parent.han_city = None;
        parent.keep_generics = true;
        let group_domain = format!("{}group.com", parent.brand.to_ascii_lowercase());
        parent.domain = Some(group_domain.clone());
        parent.n_records = 1 + g.rng.below(3);
        // "Brand Holdings": Holdings is not in GENERICS (never a variant).
        let brand = parent.brand.clone();
        parent.fixed_name = Some(format!("{brand} Holdings"));
        let before = g.out.dataset.records.len();
        g.write(&parent);
        let parent_record = g.out.dataset.records.get(before).map(|r| r.id.clone());
        let mut subs: Vec<String> = Vec::new();
        let n_subs = 2 + g.rng.below(3);
        let options: [(&str, usize, Option<&str>); 5] = [
            ("CN", 0, Some("Shenzhen")),
            ("MY", 2, None),
            ("SG", 1, None),
            ("AE", 6, None),
            ("CN", 3, Some("Suzhou")),
        ];
        for s in 0..n_subs {
            let (code, generic, place) = options[s % options.len()];
            let mut sub = g.company(idx(code));
            sub.brand = brand.clone();
            sub.han = None;
            sub.han_city = None;
            sub.generics = vec![generic];
            sub.place = place.map(str::to_string);
            sub.keep_generics = true;
            sub.n_records = 1 + g.rng.below(3);
            sub.parent_record = parent_record.clone();
            sub.hq = Some(PROFILES[pc].code);
            if g.rng.chance(0.6) {
                sub.domain = Some(group_domain.clone());
            }
            if code == PROFILES[pc].code && g.rng.chance(0.6) {
                // Same office as the parent.
                sub.street_no = parent.street_no;
                sub.street = parent.street;
                sub.floor = parent.floor;
                sub.unit = parent.unit;
                sub.postcode = parent.postcode.clone();
                sub.city = parent.city;
            }
            g.write(&sub);
            g.out.relations.push((
                parent.entity.clone(),
                sub.entity.clone(),
                LinkKind::ParentSubsidiary,
            ));
            for other in &subs {
                g.out.relations.push((other.clone(), sub.entity.clone(), LinkKind::Sibling));
            }
            subs.push(sub.entity.clone());
        }
    }
    // Unrelated companies with generic names.
    for k in 0..cfg.generic_named {
        let country = [idx("SG"), idx("HK"), idx("MY")][k % 3];
        let mut c = g.company(country);
        c.fixed_name = Some(GENERIC_NAMES[(k / 3) % GENERIC_NAMES.len()].to_string());
        c.domain = None;
        c.free_mail_only = true;
        c.n_records = 1 + g.rng.below(3);
        g.write(&c);
    }
    // Distinct companies at one registered-agent address.
    let agent_phone = digits(&mut g.rng, 8);
    for _ in 0..cfg.agent_companies {
        let mut c = g.company(idx("SG"));
        c.agent = Some(("80 Robinson Road #02-00".to_string(), agent_phone.clone()));
        c.n_records = 1 + g.rng.below(3);
        g.write(&c);
    }
    g.out
}
