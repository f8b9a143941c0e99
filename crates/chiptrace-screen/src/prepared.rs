//! Names prepared for scoring: the analysed forms of `chiptrace-text`, with
//! per-token weights, phonetic codes and flags precomputed once (at index
//! build time for list names, once per query for query names).

use chiptrace_text::{FormOrigin, NameType, TokenClass};

/// One comparable token with its precomputed scoring data.
#[derive(Debug, Clone)]
pub(crate) struct PTok {
    pub text: Box<str>,
    /// Hash of `text`: unequal hashes prove unequal texts without a memcmp
    /// in the scorer's inner loop.
    pub hash: u64,
    /// Letters present in `text` (bit i = letter 'a'+i, bit 26 = digits):
    /// one edit changes at most two bits, so `popcount(a ^ b) / 2` is a
    /// lower bound of the edit distance, used to skip hopeless comparisons.
    pub mask: u32,
    /// Hash of `phon` (0 when none), to compare codes without a memcmp.
    pub phash: u64,
    /// Hash of `fold` (0 when none).
    pub fhash: u64,
    /// The word as written when `text` is a canonical generic or legal form
    /// ("industrial" for `industry`), for fuzzy matching of misspellings.
    pub surface: Option<Box<str>>,
    pub class: TokenClass,
    /// Double Metaphone code for Word tokens of 4+ letters.
    pub phon: Option<Box<str>>,
    /// A place or country word ("beijing", "shenzhen", "china", "yangon"):
    /// real distinctive information, but much less than a company's own word.
    pub place: bool,
    /// Weight when this token is on the query side.
    pub wq: f32,
    /// Weight when this token is on the listed side.
    pub wl: f32,
    /// Romanisation fold (see `similarity::translit_fold`) of Word tokens of
    /// 4+ letters, when it differs from the text.
    pub fold: Option<Box<str>>,
    /// Family name of a person written "SURNAME, Given" (OFAC style): a
    /// match that misses every family-name token identifies nobody.
    pub family: bool,
}

/// One form (reading) of a name.
#[derive(Debug, Clone)]
pub(crate) struct PForm {
    pub toks: Vec<PTok>,
    pub origin: FormOrigin,
    /// Analysed as a person's name.
    pub person: bool,
}

/// All forms of one name.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub forms: Vec<PForm>,
}

/// Ratio of the weight an unmatched *listed* token costs to the weight an
/// unmatched *query* token costs. The scorer is asymmetric on purpose
/// (screening.md §4.3): a sparse customer record should not be punished for
/// the detail the list carries (sub-units, city prefixes, acronyms), while a
/// distinctive word the customer has and the list does not is evidence of a
/// different company.
pub(crate) const LISTED_SIDE_RATIO: f32 = 0.35;

/// Base weight of a Word token by length: short tokens say less.
fn word_weight(len: usize) -> f32 {
    let l = len.clamp(2, 10) as f32;
    0.5 + l / 8.0
}

/// Class weights: (query side, listed side).
fn class_weights(class: TokenClass, len: usize, place: bool) -> (f32, f32) {
    match class {
        TokenClass::Word => {
            let w = word_weight(len) * if place { 0.5 } else { 1.0 };
            (w, w * LISTED_SIDE_RATIO)
        }
        // Generic words (technology, electronics, group...) carry little
        // identity; a different generic word is weak evidence of a sibling.
        TokenClass::Generic => (0.6, 0.2),
        // Numbers separate sibling entities ("38th" vs "54th Research
        // Institute"): heavy on both sides (rigour NUMERIC 1.3).
        TokenClass::Number => (1.5, 1.0),
        // Legal forms: low but not zero (rigour ORG_CLASS): a sibling may
        // differ only in legal form, but customer files drop them constantly.
        TokenClass::LegalForm => (0.25, 0.08),
        TokenClass::Stop => (0.0, 0.0),
    }
}

/// Place words that appear as prefixes or qualifiers of company names on
/// the lists. Countries are recognised through `country_code`; this adds the
/// cities and regions that dominate the Entity List and the trade hubs.
const PLACES: &[&str] = &[
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "tianjin",
    "chongqing",
    "chengdu",
    "wuhan",
    "xian",
    "nanjing",
    "hangzhou",
    "suzhou",
    "hefei",
    "changsha",
    "harbin",
    "zhuhai",
    "dongguan",
    "xiamen",
    "wuxi",
    "qingdao",
    "dalian",
    "shenyang",
    "zhengzhou",
    "jinan",
    "mianyang",
    "guilin",
    "ningbo",
    "foshan",
    "kunming",
    "nanning",
    "fuzhou",
    "changchun",
    "shijiazhuang",
    "taiyuan",
    "lanzhou",
    "urumqi",
    "xinjiang",
    "tibet",
    "guangdong",
    "jiangsu",
    "zhejiang",
    "sichuan",
    "hubei",
    "hunan",
    "henan",
    "hebei",
    "shandong",
    "shaanxi",
    "shanxi",
    "fujian",
    "anhui",
    "jiangxi",
    "yunnan",
    "guizhou",
    "liaoning",
    "jilin",
    "heilongjiang",
    "hainan",
    "hong",
    "kong",
    "hongkong",
    "macau",
    "macao",
    "kowloon",
    "moscow",
    "petersburg",
    "saint",
    "st",
    "minsk",
    "tehran",
    "dubai",
    "sharjah",
    "ajman",
    "abu",
    "dhabi",
    "istanbul",
    "ankara",
    "karachi",
    "lahore",
    "islamabad",
    "kuala",
    "lumpur",
    "johor",
    "penang",
    "singapore",
    "yangon",
    "bangkok",
    "thailand",
    "taipei",
    "kabul",
    "damascus",
    "pyongyang",
    "novosibirsk",
    "yekaterinburg",
    "kazan",
    "samara",
    "tula",
    "crimea",
    "sevastopol",
    "asia",
    "china",
    "chinese",
    "sino",
    "zhongguo",
];

fn is_place(t: &str) -> bool {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    // `chiptrace_text::is_place` covers Chinese places and one-word country
    // names on already-normalised tokens; no need for the (normalising,
    // allocating) `country_code` here.
    SET.get_or_init(|| PLACES.iter().copied().collect()).contains(t) || chiptrace_text::is_place(t)
}

/// Prepare a raw name: analyse it into forms and attach weights.
pub(crate) fn prepare(raw: &str, ty: NameType) -> Prepared {
    let person = ty == NameType::Person;
    // "SURNAME, Given Names": the part before the first comma is the family name.
    let family: Vec<String> = match raw.split_once(',') {
        Some((fam, rest)) if person && !fam.trim().is_empty() && !rest.trim().is_empty() => {
            chiptrace_text::analyze_name(fam, NameType::Organization)
                .into_iter()
                .flat_map(|f| f.tokens.into_iter().map(|t| t.text))
                .collect()
        }
        _ => Vec::new(),
    };
    let forms = chiptrace_text::analyze_name(raw, ty)
        .into_iter()
        .map(|f| PForm {
            origin: f.origin,
            person,
            toks: f
                .tokens
                .into_iter()
                .filter(|t| t.class != TokenClass::Stop && !t.text.is_empty())
                .map(|t| {
                    let place = t.class == TokenClass::Word && is_place(&t.text);
                    let (wq, wl) = class_weights(t.class, t.text.len(), place);
                    let phon = if t.class == TokenClass::Word && t.text.len() >= 4 {
                        chiptrace_text::phonetic_key(&t.text).map(String::into_boxed_str)
                    } else {
                        None
                    };
                    let family = t.class == TokenClass::Word && family.contains(&t.text);
                    let fold = (t.class == TokenClass::Word && t.text.len() >= 4)
                        .then(|| crate::similarity::translit_fold(&t.text))
                        .map(String::into_boxed_str);
                    let hash = {
                        use std::hash::{Hash, Hasher};
                        let mut h = rustc_hash::FxHasher::default();
                        t.text.hash(&mut h);
                        h.finish()
                    };
                    let mask = letter_mask(&t.text);
                    let surface = t.surface.map(String::into_boxed_str);
                    let phash = phon.as_deref().map_or(0, hash_str);
                    let fhash = fold.as_deref().map_or(0, hash_str);
                    PTok {
                        text: t.text.into_boxed_str(),
                        hash,
                        mask,
                        phash,
                        fhash,
                        surface,
                        class: t.class,
                        phon,
                        place,
                        wq,
                        wl,
                        fold,
                        family,
                    }
                })
                .collect(),
        })
        .filter(|f: &PForm| !f.toks.is_empty())
        .collect();
    Prepared { forms }
}

/// Letter-presence mask of an ASCII token (see `PTok::mask`).
pub(crate) fn letter_mask(s: &str) -> u32 {
    let mut m = 0u32;
    for b in s.bytes() {
        m |= match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            b'0'..=b'9' => 1 << 26,
            _ => 1 << 27,
        };
    }
    m
}

/// FxHash of a string, never 0 (0 means "absent" in `PTok`).
pub(crate) fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    s.hash(&mut h);
    h.finish() | 1
}
