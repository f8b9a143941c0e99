//! # chiptrace-text
//!
//! One normalisation pipeline for both sides of screening (list entries and
//! queries). The principal function is [`analyze_name`], which turns a raw
//! name in any script into one or more [`NameForm`]s: sequences of
//! classified, comparable [`Token`]s in lower-case ASCII.
//!
//! ```
//! use chiptrace_text::{analyze_name, NameType, TokenClass};
//!
//! let latin = analyze_name("Huawei Technologies Co., Ltd.", NameType::Organization);
//! let han = analyze_name("華為技術有限公司", NameType::Organization);
//! let texts = |f: &chiptrace_text::NameForm| f.tokens.iter().map(|t| t.text.clone()).collect::<Vec<_>>();
//! assert_eq!(texts(&latin[0]), ["huawei", "technology", "ltd"]);
//! assert_eq!(texts(&han[0]), ["huawei", "technology", "ltd"]);
//! assert_eq!(latin[0].tokens[2].class, TokenClass::LegalForm);
//! ```
//!
//! Pipeline (details and table formats in `docs/normalization.md`):
//! 1. Unicode NFKC, full case folding, diacritics stripped, punctuation to
//!    separators, in-word apostrophes dropped, dotted abbreviations glued
//!    (`normalize`);
//! 2. homoglyph repair: Cyrillic/Greek look-alike letters inside Latin words
//!    become Latin (`homoglyph`);
//! 3. per-script romanisation: Han (traditional → simplified, dictionary
//!    segmentation, pinyin with heteronyms, generic words of Chinese company
//!    names mapped to the English words the lists use — `han`), Cyrillic
//!    (four schemes → four forms — `cyrillic`), other scripts via `any_ascii`
//!    (`romanize`);
//! 4. token classification: legal forms (`Co., Ltd.`, `Sdn. Bhd.`, `有限公司`…),
//!    generic company words and their abbreviations (`TECH`, `INTL`, `GRP`…),
//!    numbers, stopwords, person titles, distinctive words (`lexicon`,
//!    `analyze`).
//!
//! The tables are the project's own and live in `src/tables/` as data
//! (plain text, parsed once into `rustc_hash` maps).
//!
//! Caps: [`analyze_name`] looks at the first 1,000 characters and the first
//! 64 words of its input, keeps at most 64 tokens per form and returns at
//! most 8 forms. No function of this crate panics on any input.
#![warn(missing_docs)]
#![doc(test(attr(deny(warnings), allow(unused_variables))))]

mod analyze;
mod country;
mod cyrillic;
mod han;
mod homoglyph;
mod lexicon;
mod normalize;
mod phonetic;
mod romanize;
mod tables;

/// The class of a token. It tells the scorer how much a token says about the
/// identity of the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TokenClass {
    /// A distinctive word: a brand, a surname, a place, a pinyin run.
    Word,
    /// A legal form; the token text is the class code (`ltd`, `llc`, `jsc`,
    /// `corp`, `co`, `gmbh`, …, see `docs/normalization.md`).
    LegalForm,
    /// A generic company word; the token text is the canonical English word
    /// (`technology` for tech/techn/technologies/科技/技术).
    Generic,
    /// A number in ASCII digits (`38` for "38", "38th", "第三十八").
    Number,
    /// A stopword, person title or vessel prefix (`and` for "&").
    Stop,
}

/// One comparable token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    /// Lower-case ASCII comparable text. For LegalForm: the canonical
    /// legal-form class code. For Generic: the canonical English word (e.g.
    /// "technology" for tech/techn/technologies/科技/技术).
    pub text: String,
    /// What kind of token this is.
    pub class: TokenClass,
    /// The word as written (normalised, lower-case ASCII) when `text` is a
    /// canonical form that differs from it: a Generic or LegalForm token
    /// made from one word ("industrial" → `industry`). Lets a scorer
    /// fuzzy-match a misspelt word against what was written, not only
    /// against the canonical form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
}

/// The Cyrillic transliteration scheme of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CyrillicScheme {
    /// ICAO Doc 9303, as in machine-readable passports (Щ shch, Х kh, Ю iu,
    /// Я ia, Й i, Ъ ie); for Ukrainian names the Ukrainian national system.
    Icao,
    /// BGN/PCGN (Ю yu, Я ya, Й y, word-initial Е ye); OFAC's usual spelling.
    BgnPcgn,
    /// GOST 7.79-2000 system B (Щ shh, Х x, Ц cz, Й j).
    Gost,
    /// Common English press spelling ("Dmitry", "Yevgeny", "Pyotr").
    CommonEnglish,
}

/// How a form was obtained from the raw name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormOrigin {
    /// Latin script (diacritics stripped, nothing else).
    Latin,
    /// Cyrillic/Greek look-alike letters were replaced by Latin letters.
    Homoglyph,
    /// Han characters read in pinyin with the default readings.
    Pinyin,
    /// Han characters with an alternative rendering: another reading of a
    /// heteronym character, ü written "v", or a listed alternative spelling
    /// of a place or brand (海康威视 → "hikvision").
    PinyinHeteronym,
    /// Cyrillic transliterated with the given scheme.
    Cyrillic(CyrillicScheme),
    /// Another script romanised with `any_ascii` (Arabic, Greek, Hangul, …).
    Romanized,
    /// A person name "SURNAME, Given" put in "Given SURNAME" order.
    PersonReordered,
}

/// One comparable reading of a name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameForm {
    /// The tokens, in name order.
    pub tokens: Vec<Token>,
    /// How this reading was obtained.
    pub origin: FormOrigin,
}

/// What kind of party a name belongs to; it changes how the name is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameType {
    /// A natural person: "SURNAME, Given" is reordered, leading titles are
    /// stopwords, and legal forms/generic words are not recognised (a person
    /// may well be called "Service" or "Bank").
    Person,
    /// A company or other organisation: commas are plain separators.
    Organization,
    /// Unknown: read as an organisation; if no legal form or generic word is
    /// found, leading titles are stopwords and a reordered person form is
    /// added.
    Any,
}

/// True if `token` (a lower-case token text) is a place name: a Chinese
/// province or city from the Han place table ("shenzhen", "beijing", "hong",
/// "kong", "taipei") or a one-word country name ("china", "singapore",
/// "uae"). The scorer weights places low: "Shenzhen X" and "X" are usually
/// the same company, while a missing brand word is not.
///
/// ```
/// assert!(chiptrace_text::is_place("shenzhen"));
/// assert!(chiptrace_text::is_place("singapore"));
/// assert!(!chiptrace_text::is_place("huawei"));
/// ```
pub fn is_place(token: &str) -> bool {
    lexicon::Lexicon::get().places.contains(token) || country::is_country_word(token)
}

/// Sizes of the built-in tables, for reports and diagnostics.
///
/// "Aliases" count the entries as written in the tables; "keys" count the
/// distinct normalised token sequences they produce (a Cyrillic alias yields
/// one key per transliteration scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TableStats {
    /// Legal-form aliases in `legal_forms.txt`.
    pub legal_form_aliases: usize,
    /// Distinct legal-form class codes.
    pub legal_form_codes: usize,
    /// Distinct normalised legal-form keys (Latin/romanised).
    pub legal_form_keys: usize,
    /// Generic-word aliases in `generic_words.txt` (canonical words included).
    pub generic_aliases: usize,
    /// Canonical generic entries (lines).
    pub generic_canonicals: usize,
    /// Distinct normalised generic-word keys (Latin/romanised).
    pub generic_keys: usize,
    /// Stopword aliases.
    pub stopwords: usize,
    /// Person-title aliases.
    pub person_titles: usize,
    /// Words of the Han segmentation dictionary (legal forms, generic words,
    /// places, alternates).
    pub han_dictionary: usize,
    /// Han place names.
    pub han_places: usize,
    /// Han words with alternative Latin spellings (brands).
    pub han_alternates: usize,
    /// Characters with curated pinyin readings.
    pub han_readings: usize,
    /// Cyrillic letter rows and sequence rules.
    pub cyrillic_rules: usize,
    /// Homoglyph letters.
    pub homoglyphs: usize,
    /// Country codes (alpha-2 and alpha-3).
    pub country_codes: usize,
    /// Country name keys.
    pub country_names: usize,
}

/// Sizes of the built-in tables (builds them if needed).
pub fn table_stats() -> TableStats {
    let lx = lexicon::Lexicon::get();
    let c = lx.counts;
    let (country_codes, country_names) = country::table_size();
    TableStats {
        legal_form_aliases: c.legal_aliases,
        legal_form_codes: c.legal_codes,
        legal_form_keys: lx.main.keys_of(lexicon::Kind::Legal),
        generic_aliases: c.generic_aliases,
        generic_canonicals: c.generic_canonicals,
        generic_keys: lx.main.keys_of(lexicon::Kind::Generic),
        stopwords: c.stop_aliases,
        person_titles: c.titles,
        han_dictionary: lx.han.words.len(),
        han_places: c.han_places,
        han_alternates: c.han_alternates,
        han_readings: han::readings_table_size(),
        cyrillic_rules: cyrillic::table_size(),
        homoglyphs: homoglyph::table_size(),
        country_codes,
        country_names,
    }
}

/// Basic normalisation of a whole string.
///
/// NFKC, full case folding (ß → ss), diacritics stripped (NFD, combining
/// marks dropped) and remaining Latin letters folded to ASCII (ø → o), every
/// punctuation/symbol character → space, whitespace collapsed, trimmed.
/// Apostrophes inside words are removed (`int'l` → `intl`) and single letters
/// joined by dots glue (`S.A.` → `sa`). Non-Latin letters are kept as they
/// are (no transliteration here). Idempotent; no length cap.
///
/// ```
/// assert_eq!(chiptrace_text::normalize_basic("  Straße, S.A. — INT'L "), "strasse sa intl");
/// assert_eq!(chiptrace_text::normalize_basic("ООО «Ромашка»"), "ооо ромашка");
/// ```
pub fn normalize_basic(s: &str) -> String {
    normalize::normalize_basic(s)
}

/// All comparable forms of a name; the first is the primary reading.
///
/// At most 8 forms, deduplicated by tokens. Never panics, for any `&str`
/// (empty, 100 KB, control characters, mixed scripts). An input without
/// letters or digits gives an empty `Vec`. Only the first 1,000 characters
/// and 64 words are analysed; a form has at most 64 tokens.
///
/// ```
/// use chiptrace_text::{analyze_name, FormOrigin, NameType};
///
/// let forms = analyze_name("北京中科晶源电子科技有限公司", NameType::Organization);
/// let texts: Vec<&str> = forms[0].tokens.iter().map(|t| t.text.as_str()).collect();
/// assert_eq!(texts, ["beijing", "zhongkejingyuan", "electronics", "technology", "ltd"]);
/// assert_eq!(forms[0].origin, FormOrigin::Pinyin);
/// ```
pub fn analyze_name(raw: &str, ty: NameType) -> Vec<NameForm> {
    analyze::analyze_name(raw, ty)
}

/// UTS #39-style skeleton of the whole string, for homoglyph-evasion keys.
///
/// Look-alike Cyrillic/Greek letters become Latin, the UTS #39 confusable
/// mapping is applied (so "rn" and "m", "0" and "o" agree), then the result
/// is normalised like [`normalize_basic`] (lower-case, no diacritics,
/// punctuation to single spaces).
///
/// ```
/// use chiptrace_text::skeleton;
/// assert_eq!(skeleton("Нuawei"), skeleton("HUAWEI"));
/// ```
pub fn skeleton(s: &str) -> String {
    homoglyph::skeleton(s)
}

/// Double Metaphone primary code of one ASCII token (upper-case, at most 4
/// characters). `None` for tokens with fewer than 2 letters or with any
/// character that is not an ASCII letter.
///
/// ```
/// assert_eq!(chiptrace_text::phonetic_key("mohammed"), chiptrace_text::phonetic_key("muhammad"));
/// assert_eq!(chiptrace_text::phonetic_key("a"), None);
/// ```
pub fn phonetic_key(token: &str) -> Option<String> {
    phonetic::phonetic_key(token)
}

/// True if the string contains Han characters.
///
/// ```
/// assert!(chiptrace_text::has_han("华为 Technologies"));
/// assert!(!chiptrace_text::has_han("Huawei"));
/// ```
pub fn has_han(s: &str) -> bool {
    han::has_han(s)
}

/// Map a country name, ISO alpha-2 or alpha-3 code (any case) to an ISO
/// 3166-1 alpha-2 code (upper-case). `None` when unknown.
///
/// Knows common names and the lists' spellings: "PRC", "People's Republic of
/// China", "Burma", "Korea, North", "UAE", "Türkiye"/"Turkey", "Crimea Region
/// of Ukraine" (→ "UA"), "Kosovo" (→ "XK").
///
/// ```
/// use chiptrace_text::country_code;
/// assert_eq!(country_code("People's Republic of China"), Some("CN"));
/// assert_eq!(country_code("Korea, North"), Some("KP"));
/// assert_eq!(country_code("are"), Some("AE"));
/// assert_eq!(country_code("Atlantis"), None);
/// ```
pub fn country_code(s: &str) -> Option<&'static str> {
    country::country_code(s)
}
