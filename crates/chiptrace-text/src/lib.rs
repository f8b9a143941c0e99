//! # chiptrace-text
//!
//! One normalisation pipeline for both sides of screening (list entries and
//! queries). The principal function is [`analyze_name`], which turns a raw
//! name in any script into one or more [`NameForm`]s: sequences of
//! classified, comparable [`Token`]s in lower-case ASCII.
//!
//! Pipeline (see `ARCHITECTURE.md`):
//! 1. Unicode NFKC, full case folding, diacritics stripped, punctuation to separators;
//! 2. homoglyph repair: Cyrillic/Greek look-alike letters inside Latin words become Latin;
//! 3. per-script romanisation: Han (traditional → simplified, then pinyin with
//!    heteronyms, generic words of Chinese company names mapped to the English
//!    words the lists use), Cyrillic (several schemes → several forms), other
//!    scripts via `any_ascii`;
//! 4. token classification: legal forms (`Co., Ltd.`, `Sdn. Bhd.`, `有限公司`…),
//!    generic company words and their abbreviations (`TECH`, `INTL`, `GRP`…),
//!    numbers, stopwords, distinctive words.
//!
//! The tables are the project's own and live in `src/tables/` as data.
