//! Person-vs-organisation inference for lists that do not say.
//!
//! The Entity List, MEU, UVL and ITAR-debarred rows carry no type. Watchman
//! calls every name without a company word a person, which turns "Kitronix
//! Display" or "Huawei Cuba" into people. chiptrace is conservative in the
//! direction that matters for each list (screening.md §11):
//!
//! - [`Prior::OrgUnlessPerson`] (Entity List, MEU, UVL, ISN, DoD, UFLPA…):
//!   organisation unless there is *strong* evidence of a person: a personal
//!   title ("Mr.", "Dr.", "Gen."), or no organisation word, no digit, no
//!   place name and a 2–4 word pattern of capitalised name words
//!   ("Abdul Satar Ghoura", "Zhelyaz Andreev", "Mohd Zamri bin Mazleh").
//! - [`Prior::PersonUnlessOrg`] (Denied Persons List, ITAR debarred):
//!   person unless the name has an organisation word or a digit.
//!
//! Organisation words are checked before titles, so "General Technology
//! Limited" and "Haji Khalil Construction Company" stay organisations.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::entry::EntitySchema;

static ORG_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_WORDS.iter().copied().collect());
static PLACE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| PLACE_WORDS.iter().copied().collect());

/// What to assume when a name gives no evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prior {
    /// Default organisation; person only on strong evidence.
    OrgUnlessPerson,
    /// Default person; organisation on any organisation word.
    PersonUnlessOrg,
}

/// Words that mark an organisation (lower case, compared per word after
/// splitting on spaces, hyphens and slashes and trimming punctuation).
const ORG_WORDS: &[&str] = &[
    // legal forms
    "co",
    "company",
    "companies",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s.a",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "pte",
    "pvt",
    "private",
    "sdn",
    "bhd",
    "fze",
    "fzco",
    "fzc",
    "dmcc",
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "ao",
    "pao",
    "npo",
    "npp",
    "npk",
    "okb",
    "kb",
    "ltda",
    "oy",
    "ab",
    "kft",
    "zrt",
    "sro",
    "doo",
    "eood",
    "ood",
    "ead",
    "pty",
    "kg",
    "ohg",
    "se",
    "cv",
    "sl",
    "sociedad",
    "societe",
    "société",
    "gesellschaft",
    "aktsionernoe",
    "obshchestvo",
    "otvetstvennostyu",
    "tovarishchestvo",
    "predpriyatie",
    "uchrezhdenie",
    "kompaniya",
    // kinds of organisation
    "group",
    "groups",
    "holding",
    "holdings",
    "institute",
    "institutes",
    "institution",
    "instituto",
    "institut",
    "university",
    "universities",
    "universidad",
    "college",
    "school",
    "academy",
    "akademiya",
    "bureau",
    "factory",
    "factories",
    "plant",
    "plants",
    "zavod",
    "works",
    "centre",
    "center",
    "centers",
    "centres",
    "tsentr",
    "laboratory",
    "laboratories",
    "lab",
    "labs",
    "ministry",
    "department",
    "agency",
    "organization",
    "organisation",
    "association",
    "foundation",
    "fund",
    "trust",
    "bank",
    "committee",
    "council",
    "office",
    "commission",
    "authority",
    "administration",
    "directorate",
    "government",
    "service",
    "services",
    "enterprise",
    "enterprises",
    "establishment",
    "establishments",
    "firm",
    "firma",
    "partners",
    "partnership",
    "consortium",
    "cooperative",
    "union",
    "federation",
    "society",
    "club",
    "hospital",
    "mosque",
    "party",
    "movement",
    "front",
    "brigade",
    "brigades",
    "battalion",
    "regiment",
    "division",
    "command",
    "corps",
    "force",
    "forces",
    "army",
    "navy",
    "guard",
    "guards",
    "militia",
    "republic",
    "people's",
    "peoples",
    "state",
    "federal",
    "national",
    "municipal",
    "provincial",
    "prison",
    "penitentiary",
    "camp",
    "farm",
    "field",
    "port",
    "ports",
    "railway",
    "railways",
    "airport",
    "shipyard",
    "yard",
    "mine",
    "mines",
    "station",
    "concern",
    "complex",
    "combine",
    "kombinat",
    "branch",
    // trades and sectors
    "technology",
    "technologies",
    "tech",
    "technik",
    "technic",
    "technics",
    "technical",
    "techno",
    "industries",
    "industry",
    "industrial",
    "electronics",
    "electronic",
    "electronica",
    "elektronik",
    "elektronika",
    "electric",
    "electrical",
    "international",
    "intl",
    "int'l",
    "global",
    "trading",
    "trade",
    "traders",
    "import",
    "export",
    "imports",
    "exports",
    "systems",
    "system",
    "solutions",
    "solution",
    "logistics",
    "shipping",
    "airlines",
    "airline",
    "air",
    "airways",
    "aviation",
    "aero",
    "aerospace",
    "aircraft",
    "energy",
    "engineering",
    "engineers",
    "research",
    "development",
    "manufacturing",
    "manufacture",
    "equipment",
    "machinery",
    "machine",
    "machines",
    "network",
    "networks",
    "communication",
    "communications",
    "telecom",
    "telecommunications",
    "semiconductor",
    "semiconductors",
    "software",
    "instruments",
    "instrument",
    "materials",
    "chemical",
    "chemicals",
    "petroleum",
    "oil",
    "gas",
    "neft",
    "mining",
    "metals",
    "metal",
    "steel",
    "alloys",
    "alloy",
    "consulting",
    "consultancy",
    "consultants",
    "media",
    "marine",
    "maritime",
    "military",
    "defense",
    "defence",
    "security",
    "design",
    "resources",
    "capital",
    "investment",
    "investments",
    "finance",
    "financial",
    "insurance",
    "exchange",
    "store",
    "stores",
    "shop",
    "mart",
    "market",
    "motor",
    "motors",
    "automotive",
    "transport",
    "transportation",
    "freight",
    "cargo",
    "express",
    "courier",
    "navigation",
    "precision",
    "scientific",
    "science",
    "sciences",
    "medical",
    "pharmaceutical",
    "pharma",
    "biotech",
    "power",
    "nuclear",
    "space",
    "satellite",
    "radio",
    "radar",
    "robotics",
    "computing",
    "computer",
    "computers",
    "data",
    "digital",
    "cloud",
    "information",
    "intelligent",
    "smart",
    "vision",
    "video",
    "automation",
    "control",
    "controls",
    "integrated",
    "circuit",
    "circuits",
    "chip",
    "chips",
    "micro",
    "microelectronics",
    "optics",
    "optical",
    "optoelectronics",
    "photonics",
    "devices",
    "device",
    "products",
    "production",
    "productions",
    "supply",
    "supplies",
    "associates",
    "ventures",
    "venture",
    "promoters",
    "drilling",
    "catering",
    "complect",
    "display",
    "displays",
    "logic",
    "multicom",
    "shelf",
    "empire",
    "middle",
    "east",
    "turizm",
    "isletmesi",
    "danismanlik",
    "sanayi",
    "ticaret",
    "nasosy",
    "com",
    "net",
    "online",
    "digi",
    "phase",
    "glory",
    "honour",
    "honor",
    "star",
    "golden",
    "royal",
    "united",
    "advanced",
    "advance",
    "new",
    "super",
    "focus",
    "source",
    "civil",
    "the",
    "and",
    "&",
    "of",
    "for",
    "hotel",
    "restaurant",
    "bakery",
    "pharmacy",
    "clinic",
    "studio",
    "press",
    "publishing",
    "news",
    "tv",
    "vessel",
    "vessels",
    "fishing",
    "ship",
    "ships",
    "boat",
    "tanker",
    "resort",
    "fields",
    "diamond",
    "diamonds",
    "finca",
    "hacienda",
    "cotton",
    "textile",
    "textiles",
    "garment",
    "garments",
    "yarn",
    "apparel",
    "seafood",
    "fishery",
    "fisheries",
    "tea",
    "airfreight",
    "aeronautics",
    "aeronautical",
    "chemie",
    "amines",
    "pharmaceuticals",
    "openlab",
    // militias and armed groups
    "hezbollah",
    "hizballah",
    "hizbullah",
    "jaysh",
    "kataib",
    "kata'ib",
    "kata’ib",
    "khata'ib",
    "khata’ib",
    "asa'ib",
    "asa’ib",
    "taliban",
    "qaida",
    "qa'ida",
    "al-qaida",
    "isil",
    "isis",
    "jihad",
    "harakat",
    "tehrik",
    "lashkar",
    "jamaat",
    "jamaah",
    "mujahideen",
    // Persian and Turkish business words common in Iranian/Turkish names
    "sanaat",
    "sanat",
    "sanaye",
    "sanayi",
    "tejarat",
    "bazargani",
    "sherkat",
    "tolid",
    "mohandesi",
    "fanavari",
    "palayesh",
    "gostar",
    "pardazesh",
    "kish",
    "anonim",
    "sirketi",
    "sanatgaran",
    "bazargan",
];

/// Personal titles that mark a person when they start the name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "gen",
    "general",
    "col",
    "colonel",
    "maj",
    "major",
    "lt",
    "lieutenant",
    "capt",
    "captain",
    "prof",
    "professor",
    "sheikh",
    "shaykh",
    "sheik",
    "mullah",
    "mulla",
    "haji",
    "hajji",
    "admiral",
    "adm",
    "brig",
    "brigadier",
    "sgt",
    "sergeant",
    "cmdr",
    "commander",
    "imam",
    "maulana",
    "mawlawi",
    "qari",
];

/// Lower-case particles allowed inside a person name.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "bint", "ibn", "abu", "abd", "de", "da", "del", "der", "di", "du", "van",
    "von", "ul", "ud", "ben", "binti", "le", "la",
];

/// Cities and provinces that begin company names in the lists ("Beijing
/// Tianhua", "Shenzhen Avanlane"); a person name never contains them.
const PLACE_WORDS: &[&str] = &[
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "nanjing",
    "wuhan",
    "chengdu",
    "tianjin",
    "xian",
    "xi'an",
    "harbin",
    "hefei",
    "changsha",
    "chongqing",
    "dalian",
    "qingdao",
    "suzhou",
    "wuxi",
    "xiamen",
    "zhuhai",
    "dongguan",
    "jinan",
    "shenyang",
    "zhengzhou",
    "kunming",
    "ningbo",
    "foshan",
    "changchun",
    "taiyuan",
    "nanchang",
    "fuzhou",
    "guiyang",
    "hebei",
    "hubei",
    "hunan",
    "henan",
    "jiangsu",
    "zhejiang",
    "guangdong",
    "sichuan",
    "shaanxi",
    "shanxi",
    "shandong",
    "fujian",
    "anhui",
    "xinjiang",
    "yunnan",
    "liaoning",
    "jilin",
    "heilongjiang",
    "guangxi",
    "hainan",
    "gansu",
    "tibet",
    "hongkong",
    "macau",
    "korea",
    "korean",
    "moscow",
    "petersburg",
    "novosibirsk",
    "yekaterinburg",
    "kazan",
    "samara",
    "omsk",
    "tehran",
    "isfahan",
    "dubai",
    "sharjah",
    "karachi",
    "lahore",
    "islamabad",
    "minsk",
    "istanbul",
    "ankara",
    "singapore",
    "crimean",
    "asia",
    "asian",
    "euro",
    "europe",
    "african",
    "pacific",
    "atlantic",
    "oriental",
    "orient",
    "eastern",
    "western",
    "northern",
    "southern",
    "gulf",
    "caspian",
    "siberian",
    "sino",
    "johannesburg",
    "italia",
    "liban",
    "deutschland",
    "espana",
    "nederland",
    "polska",
    "suisse",
    "schweiz",
    "rossii",
    "rossiya",
    "rossiyskoy",
];

/// Country names that are also given names or surnames; they are not taken
/// as evidence of an organisation.
const PERSONAL_COUNTRY_NAMES: &[&str] =
    &["jordan", "chad", "israel", "georgia", "india", "kenya", "niger", "mali", "peru"];

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == '(' || c == ')')
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | '.' | ';' | ':' | '"' | '“' | '”')))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Does the name contain an organisation word (or a legal form, or a
/// digit)? This is evidence under every prior.
pub(crate) fn has_org_words(name: &str) -> bool {
    if name.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    if words(name)
        .iter()
        .any(|w| ORG_SET.contains(w.as_str()) || ORG_SET.contains(w.trim_end_matches('.')))
    {
        return true;
    }
    // Legal forms written with dots: "S.A.", "S.R.L.", "L.L.C.".
    let compact: String =
        name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    ["s.a.", "s.r.l.", "l.l.c.", "s.p.a.", "b.v.", "n.v.", "a.s.", "d.o.o.", "s.a.r.l.", "s.a.s."]
        .iter()
        .any(|f| compact.ends_with(f) || compact.contains(&format!(",{f}")))
}

/// Does the name contain a place (city, province, country name)? In the
/// Entity List that marks a company ("Beijing Tianhua", "Huawei Cuba"); in
/// a list of people it may be a surname ("Xian, Hong Wei"), so it is
/// evidence only under [`Prior::OrgUnlessPerson`].
pub(crate) fn has_place_words(name: &str) -> bool {
    if name.to_lowercase().contains("hong kong") {
        return true;
    }
    words(name).iter().any(|w| {
        PLACE_SET.contains(w.as_str())
            || (w.chars().count() > 3
                && !PERSONAL_COUNTRY_NAMES.contains(&w.as_str())
                && crate::country::country_code(w).is_some())
    })
}

/// Does the name start with a personal title?
pub(crate) fn has_title(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    let w = first.trim_end_matches(['.', ',']).to_lowercase();
    TITLES.contains(&w.as_str())
}

/// A 2–4 word name of capitalised words ("Abdul Satar Ghoura"), or the
/// "Surname, Given" form ("ADAMS, Ryan"). All-caps words are accepted in
/// the comma form (OFAC writes surnames in capitals) and, when
/// `all_caps_source` says the list writes every name in capitals, in an
/// all-caps name. In a title-case list an all-caps name ("MPI VOLNA") is an
/// acronym, not a person.
pub(crate) fn looks_like_person_name(name: &str, all_caps_source: bool) -> bool {
    // Bracketed variants ("Sergei (Sergi) Ivanovich Tomchani") are not words.
    let mut plain = String::with_capacity(name.len());
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let all_caps = all_caps_source && !plain.chars().any(char::is_lowercase);
    let (text, comma_form) = match plain.split_once(',') {
        Some((a, b)) if !b.contains(',') => (format!("{a} {b}"), true),
        Some(_) => return false,
        None => (plain.clone(), false),
    };
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let max = if comma_form { 5 } else { 4 };
    if tokens.len() < 2 || tokens.len() > max {
        return false;
    }
    if PARTICLES.contains(&tokens[0].to_lowercase().as_str())
        && tokens[0].chars().next().is_some_and(char::is_lowercase)
    {
        return false;
    }
    let last = tokens.len() - 1;
    tokens.iter().enumerate().all(|(i, t)| {
        // An initial may not end the name ("Sputnik E").
        let initial = t.trim_end_matches('.').chars().count() == 1;
        (!initial || i != last || comma_form) && is_name_token(t, all_caps || comma_form)
    })
}

fn is_name_token(t: &str, caps_ok: bool) -> bool {
    let t = t.trim_end_matches([',', '.']);
    if t.is_empty() {
        // A lone initial's dot ("M.") was trimmed away.
        return false;
    }
    let lower = t.to_lowercase();
    let base = lower.split(['-', '\'']).next().unwrap_or("");
    if PARTICLES.contains(&base) && t.chars().next().is_some_and(char::is_lowercase) {
        return true; // "bin", "al-Shawi"
    }
    if t.chars().count() == 1 && t.chars().all(char::is_uppercase) {
        return true; // an initial: "M. Aziz"
    }
    // Each hyphen/apostrophe part is a capitalised word: "Molkova-Polah",
    // "Fa'ur", "O'Brien", "McDonald".
    t.split('-').all(|part| {
        let part = ["Mc", "Mac"]
            .iter()
            .find_map(|p| {
                part.strip_prefix(p).filter(|r| r.chars().next().is_some_and(char::is_uppercase))
            })
            .unwrap_or(part);
        let mut chars = part.chars();
        let Some(first) = chars.next() else { return false };
        if !first.is_alphabetic() || !first.is_uppercase() {
            // "al-Haifi": lower-case particle before the hyphen.
            return PARTICLES.contains(&part.to_lowercase().as_str());
        }
        // Either "Capitalised" or, where capitals are allowed, "ALLCAPS";
        // never camelCase ("OpenLab", "HiSilicon").
        let rest: Vec<char> = chars.filter(|c| *c != '\'' && *c != '’').collect();
        let letters = rest.iter().all(|c| c.is_alphabetic());
        let lower = rest.iter().all(|c| c.is_lowercase());
        let upper = rest.iter().all(|c| c.is_uppercase());
        letters && (lower || (caps_ok && upper))
    })
}

/// Infer the schema of a name given the list's prior.
pub(crate) fn infer_schema(name: &str, prior: Prior, person_hint: bool) -> EntitySchema {
    if has_org_words(name) {
        return EntitySchema::Organization;
    }
    match prior {
        Prior::PersonUnlessOrg => EntitySchema::Person,
        Prior::OrgUnlessPerson => {
            if has_place_words(name) {
                EntitySchema::Organization
            } else if person_hint || has_title(name) || looks_like_person_name(name, false) {
                EntitySchema::Person
            } else {
                EntitySchema::Organization
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn entity_list_people() {
        for n in [
            "Abdul Satar Ghoura",
            "Zhelyaz Andreev",
            "Mohd Zamri bin Mazleh",
            "Moaz Ahmed Mohammed al-Haifi",
            "Sergei (Sergi) Ivanovich Tomchani",
            "Dr. Artush Parsi",
            "Husayn Fa'ur",
            "Yuliya Molkova-Polah",
            "Wong Yung Fai",
        ] {
            assert_eq!(infer_schema(n, Prior::OrgUnlessPerson, false), EntitySchema::Person, "{n}");
        }
    }

    #[test]
    fn entity_list_organisations() {
        for n in [
            "Amaze International",
            "IMAXChip",
            "Kitronix Display",
            "Huawei Cuba",
            "Beijing Tianhua",
            "Shenzhen Avanlane",
            "Crimean Ports",
            "General Technology Limited",
            "Haji Khalil Construction Company",
            "MRS GmbH",
            "Iran Air",
            "Donetsk People's Republic",
            "Albrecht Import-Export",
            "Ryazan Radio-Plant",
            "Kunhai (Yanjiao) Innovation Research Institute",
            "Beijing University of Aeronautics and Astronautics",
            "Second Academy of Natural Sciences",
            "159 Factory",
            "The Sadidians",
            "Harbin Bureau",
            "Elint, S.A.",
            "Cambricon",
            "Nexus Empire",
            "Empyrean Korea",
            "Resort Nizhnyaya Oreanda",
            "Huawei Italia",
            "MPI VOLNA",
            "Sputnik E",
            "Huawei OpenLab, Johannesburg",
            "Pars Amayesh Sanaat Kish",
            "Kata’ib Hezbollah",
            "Marange Diamond Fields",
        ] {
            assert_eq!(
                infer_schema(n, Prior::OrgUnlessPerson, false),
                EntitySchema::Organization,
                "{n}"
            );
        }
    }

    #[test]
    fn denied_persons_prior() {
        assert_eq!(
            infer_schema("ADRIAN MANUEL HERNANDEZ", Prior::PersonUnlessOrg, false),
            EntitySchema::Person
        );
        assert_eq!(
            infer_schema("ADT ANALOG AND DIGITAL TECHNIK", Prior::PersonUnlessOrg, false),
            EntitySchema::Organization
        );
        assert_eq!(
            infer_schema("Adams, Ryan", Prior::PersonUnlessOrg, false),
            EntitySchema::Person
        );
        assert_eq!(
            infer_schema("A & C International Trade, Inc.", Prior::PersonUnlessOrg, false),
            EntitySchema::Organization
        );
        // A place name is a surname in a list of people.
        assert_eq!(
            infer_schema("Xian, Hong Wei", Prior::PersonUnlessOrg, false),
            EntitySchema::Person
        );
    }

    #[test]
    fn person_shapes() {
        assert!(looks_like_person_name("ABBAS, Abu", false));
        assert!(looks_like_person_name("ADRIAN MANUEL HERNANDEZ", true));
        assert!(!looks_like_person_name("MPI VOLNA", false));
        assert!(!looks_like_person_name("ACM Research", false));
        assert!(!looks_like_person_name("Cambricon", false));
        assert!(!looks_like_person_name("Abdul Satar Ghoura Khan Mangal", false));
        assert!(looks_like_person_name("Hans Maria De Geetere", false));
        assert!(!looks_like_person_name("Sputnik E", false));
        assert!(looks_like_person_name("Haris M. Fazal", false));
        assert!(!looks_like_person_name("Huawei OpenLab, Johannesburg", false));
        assert_eq!(infer_schema("Sun Wei", Prior::OrgUnlessPerson, false), EntitySchema::Person);
    }
}
