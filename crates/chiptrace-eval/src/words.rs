//! Word-level analysis of list names for the generator: tokenising with
//! byte spans (so variants can rewrite the original text), folding, and
//! the evaluation crate's *own* tables of legal forms, generic company
//! words, abbreviations and place names.
//!
//! These tables are deliberately independent of `chiptrace-text`: if the
//! evaluation reused the scorer's tables, a gap in them would be invisible.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// One word of a name, with its byte span in the original string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word as written.
    pub text: String,
    /// Folded key: NFD, marks dropped, lower-case, apostrophes removed.
    pub key: String,
    /// Byte offset of the first char.
    pub start: usize,
    /// Byte offset one past the last char.
    pub end: usize,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

/// Split a name into words: maximal runs of alphanumerics, with an
/// apostrophe kept inside a word (`Xi'an`, `Int'l`).
pub fn words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = b;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let inner_apostrophe =
                is_apostrophe(c) && j + 1 < chars.len() && chars[j + 1].1.is_alphabetic() && j > i;
            if c.is_alphanumeric() || inner_apostrophe {
                j += 1;
            } else {
                break;
            }
        }
        let end = if j < chars.len() { chars[j].0 } else { s.len() };
        let text = &s[start..end];
        out.push(Word { text: text.to_string(), key: fold(text), start, end });
        i = j;
    }
    out
}

/// Fold for comparisons: NFD, combining marks dropped, lower-case,
/// apostrophes removed.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c) && !is_apostrophe(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when the text is (almost) all Latin script: ASCII letters or
/// letters with diacritics that fold to ASCII.
pub fn is_latin(s: &str) -> bool {
    let f = fold(s);
    f.chars().all(|c| c.is_ascii() || !c.is_alphabetic())
}

/// Legal-form equivalence classes. The first form of each class is the
/// canonical display; all forms of a class are interchangeable in the
/// `legal_form` category.
pub const LEGAL_FORM_CLASSES: &[&[&str]] = &[
    &[
        "Co., Ltd.",
        "Co. Ltd.",
        "Co Ltd",
        "Company Limited",
        "Co., Limited",
        "Limited",
        "Ltd.",
        "Ltd",
    ],
    &[
        "LLC",
        "L.L.C.",
        "Limited Liability Company",
        "OOO",
        "Obshchestvo S Ogranichennoi Otvetstvennostyu",
    ],
    &["Sdn. Bhd.", "Sdn Bhd", "Sendirian Berhad"],
    &["Pvt. Ltd.", "Pvt Ltd", "Private Limited"],
    &["Pte. Ltd.", "Pte Ltd", "Private Limited"],
    &["Inc.", "Inc", "Incorporated"],
    &["Corp.", "Corporation"],
    &["JSC", "Joint Stock Company", "AO", "J.S.C.", "Aktsionernoe Obshchestvo"],
    &["PJSC", "Public Joint Stock Company", "PAO", "Publichnoe Aktsionernoe Obshchestvo"],
    &["OJSC", "Open Joint Stock Company", "OAO", "Otkrytoe Aktsionernoe Obshchestvo"],
    &["CJSC", "Closed Joint Stock Company", "ZAO", "Zakrytoe Aktsionernoe Obshchestvo"],
    &["PrJSC", "Private Joint Stock Company"],
    &["FZE", "Free Zone Establishment"],
    &["FZCO", "Free Zone Company"],
    &["LLP", "Limited Liability Partnership"],
    &["PLC", "Public Limited Company"],
    &["GmbH", "Gesellschaft mit beschränkter Haftung"],
    &["Co.", "Company", "Co"],
    &["S.A.", "SA", "Sociedad Anonima"],
];

/// The folded word sequence of a legal-form surface string.
pub fn form_keys(form: &str) -> Vec<String> {
    words(form).into_iter().map(|w| w.key).collect()
}

/// Single tokens that only ever carry legal form; dropped from core token sets.
const LEGAL_TOKENS: &[&str] = &[
    "co",
    "ltd",
    "limited",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "llc",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "ao",
    "zao",
    "oao",
    "pao",
    "gmbh",
    "fze",
    "fzco",
    "fzc",
    "llp",
    "plc",
    "pte",
    "pvt",
    "sdn",
    "bhd",
    "sendirian",
    "berhad",
    "liability",
    "joint",
    "stock",
    "sa",
    "srl",
    "bv",
    "ag",
    "sirketi",
    "sti",
    "l",
    "c",
    "fz",
    "tov",
    "dmcc",
    "sarl",
    "spa",
    "kg",
    "anonim",
    "prjsc",
    "aktsionernoe",
    "aktsionernoye",
    "obshchestvo",
    "zakrytoe",
    "otkrytoe",
    "publichnoe",
    "ogranichennoi",
    "ogranichennoy",
    "otvetstvennostyu",
];

/// Generic company / institution words: (word, canonical class). Words of
/// one class are treated as the same word when comparing core token sets.
const GENERIC: &[(&str, &str)] = &[
    ("technology", "technology"),
    ("technologies", "technology"),
    ("technical", "technology"),
    ("technological", "technology"),
    ("tech", "technology"),
    ("techs", "technology"),
    ("techno", "technology"),
    ("teck", "technology"),
    ("hitech", "hitech"),
    ("scientech", "scitech"),
    ("science", "science"),
    ("sciences", "science"),
    ("scientific", "science"),
    ("sci", "science"),
    ("electronic", "electronics"),
    ("electronics", "electronics"),
    ("electron", "electronics"),
    ("elec", "electronics"),
    ("electrical", "electric"),
    ("electric", "electric"),
    ("electro", "electric"),
    ("electromechanical", "electromechanical"),
    ("international", "international"),
    ("intl", "international"),
    ("int", "international"),
    ("group", "group"),
    ("grp", "group"),
    ("holding", "holding"),
    ("holdings", "holding"),
    ("communication", "communication"),
    ("communications", "communication"),
    ("comm", "communication"),
    ("comms", "communication"),
    ("telecommunication", "telecom"),
    ("telecommunications", "telecom"),
    ("telecom", "telecom"),
    ("service", "service"),
    ("services", "service"),
    ("svc", "service"),
    ("svcs", "service"),
    ("trading", "trading"),
    ("trade", "trading"),
    ("import", "import"),
    ("export", "export"),
    ("industry", "industry"),
    ("industries", "industry"),
    ("industrial", "industry"),
    ("ind", "industry"),
    ("engineering", "engineering"),
    ("eng", "engineering"),
    ("engg", "engineering"),
    ("manufacturing", "manufacturing"),
    ("manufactory", "manufacturing"),
    ("mfg", "manufacturing"),
    ("equipment", "equipment"),
    ("equip", "equipment"),
    ("development", "development"),
    ("dev", "development"),
    ("information", "information"),
    ("info", "information"),
    ("institute", "institute"),
    ("institution", "institute"),
    ("inst", "institute"),
    ("research", "research"),
    ("microelectronics", "microelectronics"),
    ("microelectronic", "microelectronics"),
    ("semiconductor", "semiconductor"),
    ("semiconductors", "semiconductor"),
    ("semi", "semiconductor"),
    ("system", "system"),
    ("systems", "system"),
    ("sys", "system"),
    ("management", "management"),
    ("mgmt", "management"),
    ("investment", "investment"),
    ("investments", "investment"),
    ("aviation", "aviation"),
    ("aeronautics", "aviation"),
    ("aeronautical", "aviation"),
    ("astronautics", "aerospace"),
    ("astronautical", "aerospace"),
    ("shpg", "shipping"),
    ("aerospace", "aerospace"),
    ("machinery", "machinery"),
    ("machine", "machinery"),
    ("shipping", "shipping"),
    ("shipbuilding", "shipbuilding"),
    ("logistics", "logistics"),
    ("petroleum", "petroleum"),
    ("national", "national"),
    ("laboratory", "laboratory"),
    ("lab", "laboratory"),
    ("university", "university"),
    ("academy", "academy"),
    ("optoelectronics", "optoelectronics"),
    ("optoelectronic", "optoelectronics"),
    ("opto", "optoelectronics"),
    ("optical", "optical"),
    ("optics", "optical"),
    ("association", "association"),
    ("production", "production"),
    ("enterprise", "enterprise"),
    ("enterprises", "enterprise"),
    ("mechanical", "mechanical"),
    ("mach", "machinery"),
    ("chemical", "chemical"),
    ("chemicals", "chemical"),
    ("instrument", "instrument"),
    ("instruments", "instrument"),
    ("software", "software"),
    ("network", "network"),
    ("networks", "network"),
    ("digital", "digital"),
    ("intelligent", "intelligent"),
    ("intelligence", "intelligent"),
    ("smart", "smart"),
    ("integrated", "integrated"),
    ("circuit", "circuit"),
    ("circuits", "circuit"),
    ("materials", "material"),
    ("material", "material"),
    ("precision", "precision"),
    ("supply", "supply"),
    ("chain", "chain"),
    ("data", "data"),
    ("cloud", "cloud"),
    ("computing", "computing"),
    ("computer", "computing"),
    ("security", "security"),
    ("biotechnology", "biotechnology"),
    ("biotech", "biotechnology"),
    ("energy", "energy"),
    ("new", "new"),
    ("gas", "gas"),
    ("testing", "testing"),
    ("test", "testing"),
    ("control", "control"),
    ("automation", "automation"),
    ("navigation", "navigation"),
    ("center", "center"),
    ("centre", "center"),
    ("design", "design"),
    ("bureau", "bureau"),
    ("plant", "plant"),
    ("factory", "factory"),
    ("works", "works"),
    ("scientific", "science"),
    ("general", "general"),
    ("global", "global"),
    ("solutions", "solution"),
    ("solution", "solution"),
    ("products", "product"),
    ("product", "product"),
    ("export", "export"),
    ("components", "component"),
    ("component", "component"),
    ("devices", "device"),
    ("device", "device"),
    ("power", "power"),
    ("marine", "marine"),
    ("ocean", "marine"),
    ("space", "space"),
    ("satellite", "satellite"),
    ("defense", "defense"),
    ("defence", "defense"),
    ("military", "military"),
    ("state", "state"),
    ("federal", "federal"),
    ("unitary", "unitary"),
    ("concern", "concern"),
    ("firm", "firm"),
    ("agency", "agency"),
    ("office", "office"),
    ("branch", "branch"),
    ("department", "department"),
    ("public", "public"),
    ("municipal", "municipal"),
    ("municipality", "municipal"),
    ("prefecture", "prefecture"),
    ("district", "district"),
    ("county", "county"),
    ("autonomous", "autonomous"),
    ("region", "region"),
    ("police", "police"),
    ("ministry", "ministry"),
    ("foundation", "foundation"),
    ("school", "school"),
    ("college", "college"),
    ("training", "training"),
    ("hardware", "hardware"),
    ("apparel", "apparel"),
    ("textile", "textile"),
    ("textiles", "textile"),
    ("medical", "medical"),
    ("pharmaceutical", "pharmaceutical"),
    ("capital", "capital"),
    ("asset", "asset"),
    ("assets", "asset"),
    ("finance", "finance"),
    ("financial", "finance"),
    ("bank", "bank"),
    ("airlines", "airline"),
    ("airline", "airline"),
    ("air", "air"),
    ("transport", "transport"),
    ("freight", "freight"),
    ("express", "express"),
    ("cargo", "cargo"),
    ("sea", "sea"),
    ("construction", "construction"),
    ("metal", "metal"),
    ("metals", "metal"),
    ("steel", "steel"),
    ("oil", "oil"),
    ("nuclear", "nuclear"),
    ("heavy", "heavy"),
    ("high", "high"),
    ("advanced", "advanced"),
    ("applied", "applied"),
    ("physics", "physics"),
    ("quantum", "quantum"),
    ("laser", "laser"),
    ("sensing", "sensing"),
    ("sensor", "sensing"),
    ("radio", "radio"),
    ("microwave", "microwave"),
    ("photoelectric", "photoelectric"),
    ("measurement", "measuring"),
    ("measuring", "measuring"),
    ("commerce", "commerce"),
    ("commercial", "commerce"),
    ("business", "business"),
    ("consulting", "consulting"),
    ("consultancy", "consulting"),
    ("partners", "partner"),
    ("partnership", "partner"),
    ("agricultural", "agriculture"),
    ("investment", "investment"),
    ("venture", "venture"),
    ("ventures", "venture"),
    ("import", "import"),
    ("exports", "export"),
    ("imports", "import"),
    ("imp", "import"),
    ("exp", "export"),
    ("sciencetech", "scitech"),
    ("scitech", "scitech"),
    // Russian (transliterated) generic words.
    ("zavod", "plant"),
    ("obshchestvo", "society"),
    ("aktsionernoe", "jointstock"),
    ("aktsionernoye", "jointstock"),
    ("zakrytoe", "closed"),
    ("otkrytoe", "open"),
    ("publichnoe", "public"),
    ("ogranichennoi", "limited"),
    ("ogranichennoy", "limited"),
    ("otvetstvennostyu", "liability"),
    ("nauchno", "scientific"),
    ("nauchnoe", "scientific"),
    ("proizvodstvennoe", "production"),
    ("proizvodstvennoye", "production"),
    ("obedinenie", "association"),
    ("obyedineniye", "association"),
    ("npo", "association"),
    ("npp", "production"),
    ("nii", "institute"),
    ("institut", "institute"),
    ("kb", "bureau"),
    ("okb", "bureau"),
    ("byuro", "bureau"),
    ("konstruktorskoe", "design"),
    ("konstruktorskoye", "design"),
    ("tsentr", "center"),
    ("issledovatelskiy", "research"),
    ("issledovatelsky", "research"),
    ("gosudarstvennoe", "state"),
    ("federalnoe", "federal"),
    ("predpriyatie", "enterprise"),
    ("predpriyatiye", "enterprise"),
    ("kompaniya", "company"),
    ("gruppa", "group"),
    ("fgup", "unitary"),
    ("gup", "unitary"),
    ("tsnii", "institute"),
    ("vnii", "institute"),
    ("fsue", "unitary"),
    ("mashinostroitelny", "machinebuilding"),
    ("mashinostroeniya", "machinebuilding"),
    ("machine-building", "machinebuilding"),
    ("priborostroeniya", "instrument"),
    ("priborostroitelny", "instrument"),
    // Spanish / Turkish / other generic words.
    ("inversiones", "investment"),
    ("comercial", "commerce"),
    ("grupo", "group"),
    ("servicios", "service"),
    ("sociedad", "society"),
    ("empresa", "enterprise"),
    ("industrias", "industry"),
    ("sanayi", "industry"),
    ("ticaret", "trading"),
    ("ve", "and"),
    ("dis", "foreign"),
    ("sirket", "company"),
];

/// Places (and country words) that occur in list company names. A place is
/// not a distinctive word but is a sibling-distinguishing word.
const PLACES: &[&str] = &[
    "china",
    "chinese",
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "chengdu",
    "wuhan",
    "nanjing",
    "tianjin",
    "xian",
    "suzhou",
    "hefei",
    "changsha",
    "wuxi",
    "xiamen",
    "chongqing",
    "harbin",
    "qingdao",
    "dalian",
    "zhuhai",
    "dongguan",
    "changzhou",
    "jinan",
    "fujian",
    "jiangsu",
    "zhejiang",
    "guangdong",
    "sichuan",
    "shaanxi",
    "shanxi",
    "shandong",
    "hubei",
    "hunan",
    "anhui",
    "xinjiang",
    "hebei",
    "henan",
    "hong",
    "kong",
    "hongkong",
    "hk",
    "urumqi",
    "shenyang",
    "taiyuan",
    "kunshan",
    "ningbo",
    "guiyang",
    "kunming",
    "nanchang",
    "fuzhou",
    "zhengzhou",
    "lanzhou",
    "shijiazhuang",
    "mianyang",
    "jiangxi",
    "guizhou",
    "yunnan",
    "gansu",
    "liaoning",
    "jilin",
    "heilongjiang",
    "inner",
    "mongolia",
    "tibet",
    "macau",
    "macao",
    "taiwan",
    "taipei",
    "singapore",
    "malaysia",
    "thailand",
    "vietnam",
    "india",
    "pakistan",
    "iran",
    "tehran",
    "russia",
    "russian",
    "moscow",
    "petersburg",
    "saint",
    "st",
    "dubai",
    "uae",
    "emirates",
    "turkey",
    "istanbul",
    "uk",
    "london",
    "usa",
    "america",
    "american",
    "europe",
    "european",
    "asia",
    "asian",
    "pacific",
    "korea",
    "japan",
    "germany",
    "france",
    "italy",
    "cyprus",
    "armenia",
    "belarus",
    "kazakhstan",
    "kyrgyzstan",
    "uzbekistan",
    "syria",
    "lebanon",
    "iraq",
    "yemen",
    "afghanistan",
    "yangon",
    "myanmar",
    "indonesia",
    "philippines",
    "ukraine",
    "crimea",
    "sevastopol",
    "haining",
    "lianyungang",
    "jiangyin",
    "yantai",
    "rugao",
    "baoding",
    "gaobeidian",
    "guangxi",
    "hainan",
    "sanya",
    "sansha",
    "ningxia",
    "qinghai",
    "tacheng",
    "hetian",
    "hotan",
    "kashgar",
    "kashi",
    "aksu",
    "hami",
    "turfan",
    "turpan",
    "shihezi",
    "wujiaqu",
    "kelamayi",
    "karamay",
    "altay",
    "yili",
    "changji",
    "tumushuke",
    "wulanchabu",
    "ulanqab",
    "quanjiao",
    "liyang",
    "zibo",
    "fushun",
    "liaoyang",
    "guilin",
    "xiong",
    "xiongan",
    "guian",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "northwest",
    "northwestern",
    "southwest",
    "southwestern",
    "northeast",
    "southeast",
    "central",
    "minsk",
    "kiev",
    "kyiv",
    "novosibirsk",
    "yekaterinburg",
    "kazan",
    "tula",
    "samara",
    "omsk",
    "perm",
    "nizhny",
    "novgorod",
    "tomsk",
    "irkutsk",
    "krasnoyarsk",
    "rostov",
    "voronezh",
    "ufa",
    "chelyabinsk",
    "kaliningrad",
    "vladivostok",
    "karachi",
    "lahore",
    "islamabad",
    "rawalpindi",
    "abu",
    "dhabi",
    "sharjah",
    "ajman",
    "ankara",
];

const STOPWORDS: &[&str] = &[
    "of", "and", "the", "for", "de", "in", "named", "after", "a", "an", "at", "on", "to", "la",
    "del", "da", "do", "e", "y", "und", "et", "al", "el", "bin", "ben", "ibn", "bint", "ul", "ud",
    "van", "von", "der", "den", "di", "le", "du", "des", "los", "las",
];

fn set(xs: &'static [&'static str]) -> HashSet<&'static str> {
    xs.iter().copied().collect()
}

fn legal_set() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(LEGAL_TOKENS))
}
fn place_set() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(PLACES))
}
fn stop_set() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(STOPWORDS))
}

/// Canonical class of a generic word, if it is one.
pub fn generic_class(key: &str) -> Option<&'static str> {
    GENERIC.iter().find(|(w, _)| *w == key).map(|(_, c)| *c)
}

/// True for single-token legal-form words.
pub fn is_legal_token(key: &str) -> bool {
    legal_set().contains(key)
}

/// True for place names.
pub fn is_place(key: &str) -> bool {
    place_set().contains(key)
}

/// True for stopwords.
pub fn is_stopword(key: &str) -> bool {
    stop_set().contains(key)
}

/// What a folded token is, for the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Legal form token (`co`, `ltd`, `ooo`...).
    Legal,
    /// Stopword (`of`, `and`...).
    Stop,
    /// Generic company word (`technology`, `electronics`...).
    Generic,
    /// Place name.
    Place,
    /// Number or ordinal (`38th`, `704`).
    Number,
    /// Anything else: the words that identify the party.
    Distinctive,
}

/// Classify a folded token.
pub fn kind(key: &str) -> Kind {
    if key.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        Kind::Number
    } else if key.chars().count() <= 1 {
        // Initials and stray letters ("H.K.", "Connor H.") identify nothing.
        Kind::Stop
    } else if is_legal_token(key) {
        Kind::Legal
    } else if is_stopword(key) {
        Kind::Stop
    } else if generic_class(key).is_some() {
        Kind::Generic
    } else if is_place(key) {
        Kind::Place
    } else {
        Kind::Distinctive
    }
}

/// Canonical token for set comparisons: ordinals lose their suffix,
/// generic words map to their class.
pub fn canonical(key: &str) -> String {
    if key.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return key.trim_end_matches(|c: char| c.is_ascii_alphabetic()).to_string();
    }
    generic_class(key).map(str::to_string).unwrap_or_else(|| key.to_string())
}

/// The core token set of a name: canonical tokens without legal forms and
/// stopwords, sorted and de-duplicated.
pub fn core(name: &str) -> Vec<String> {
    let mut v: Vec<String> = words(name)
        .into_iter()
        .filter(|w| !matches!(kind(&w.key), Kind::Legal | Kind::Stop))
        .map(|w| canonical(&w.key))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Abbreviations of generic words: (full word, abbreviations). Used in both
/// directions by the `abbreviation` category.
pub const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("Technology", &["Tech", "Tech."]),
    ("Technologies", &["Tech", "Techs"]),
    ("International", &["Intl", "Int'l", "Intl."]),
    ("Group", &["Grp"]),
    ("Communication", &["Comm", "Comm."]),
    ("Communications", &["Comms", "Comm"]),
    ("Electronics", &["Elec", "Elecs"]),
    ("Electronic", &["Elec"]),
    ("Services", &["Svcs"]),
    ("Service", &["Svc"]),
    ("Corporation", &["Corp", "Corp."]),
    ("Industrial", &["Ind", "Indl"]),
    ("Industry", &["Ind"]),
    ("Industries", &["Inds", "Ind"]),
    ("Engineering", &["Eng", "Engg"]),
    ("Manufacturing", &["Mfg"]),
    ("Equipment", &["Equip", "Eqpt"]),
    ("Development", &["Dev", "Devt"]),
    ("Science", &["Sci"]),
    ("Scientific", &["Sci"]),
    ("Information", &["Info"]),
    ("Institute", &["Inst"]),
    ("Research", &["Res"]),
    ("Trading", &["Trdg"]),
    ("Microelectronics", &["Microelec"]),
    ("Semiconductor", &["Semi"]),
    ("Systems", &["Sys"]),
    ("System", &["Sys"]),
    ("Management", &["Mgmt"]),
    ("Investment", &["Inv"]),
    ("Holdings", &["Hldgs"]),
    ("Aviation", &["Avn"]),
    ("Machinery", &["Mach"]),
    ("National", &["Natl", "Nat'l"]),
    ("Laboratory", &["Lab"]),
    ("University", &["Univ"]),
    ("Academy", &["Acad"]),
    ("Association", &["Assn", "Assoc"]),
    ("Production", &["Prod"]),
    ("Enterprise", &["Ent"]),
    ("Mechanical", &["Mech"]),
    ("Chemical", &["Chem"]),
    ("Instruments", &["Instr"]),
    ("Instrument", &["Instr"]),
    ("Company", &["Co"]),
    ("Limited", &["Ltd"]),
    ("Import", &["Imp"]),
    ("Export", &["Exp"]),
    ("Biotechnology", &["Biotech"]),
    ("Logistics", &["Logist"]),
    ("Petroleum", &["Petro"]),
    ("Integrated", &["Integ"]),
];

/// Words that segment into pinyin syllables but are English (or brand)
/// words in list names; never treated as pinyin.
pub const PINYIN_FALSE_FRIENDS: &[&str] = &[
    "sense", "sun", "long", "hang", "bin", "panda", "nata", "men", "lode", "ran", "die", "pin",
    "man", "can", "fan", "pan", "ban", "tan", "wan", "ma", "sang", "mobile", "dong", "ming",
    "china", "an", "a", "e", "o", "ai", "ang", "ou", "tiger", "gen", "ken", "pen", "den", "hen",
    "ten", "ben", "zen", "yen", "bang", "gang", "rang", "tang", "lang", "sha", "she", "shi", "you",
    "me", "he", "le", "ne", "de", "te", "se", "ge", "re", "ye", "la", "na", "ka", "ha", "pa", "ba",
    "da", "ta", "ga", "za", "mao", "bao", "hao", "cao", "gao", "lao", "tao", "rao", "ni", "li",
    "ti", "di", "mi", "bi", "pi", "ji", "qi", "xi", "yi", "zhi", "chi", "ri", "zi", "ci", "si",
    "wu", "shu", "zhu", "lu", "mu", "bu", "pu", "fu", "du", "tu", "nu", "ku", "hu", "gu", "ru",
    "cu", "su", "zu", "yu", "ju", "qu", "xu", "neng", "hang", "line", "chin", "lane", "tune",
    "zone", "one", "gene", "pine", "wine", "mine", "nine", "cane", "cone", "bone", "tone", "done",
    "none", "hong", "kong", "general", "hunan", "henan", "anhui", "fujian", "jiangsu", "zhejiang",
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_apostrophes_and_spans() {
        let w = words("Xi'an Huawei Technologies Co., Ltd.");
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["xian", "huawei", "technologies", "co", "ltd"]);
        assert_eq!(&"Xi'an Huawei"[w[1].start..w[1].end], "Huawei");
    }

    #[test]
    fn core_ignores_legal_form_and_canonicalises() {
        assert_eq!(core("Huawei Technologies Co., Ltd."), core("HUAWEI TECHNOLOGY LIMITED"));
        assert_eq!(core("CETC 38th Research Institute"), ["38", "cetc", "institute", "research"]);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("huawei"), Kind::Distinctive);
        assert_eq!(kind("beijing"), Kind::Place);
        assert_eq!(kind("technologies"), Kind::Generic);
        assert_eq!(kind("ltd"), Kind::Legal);
        assert_eq!(kind("38th"), Kind::Number);
    }
}
