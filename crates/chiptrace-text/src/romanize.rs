//! Romanisation of non-Han word segments into pre-tokens.
//!
//! Latin words are already ASCII. Words mixing Latin with Cyrillic/Greek
//! letters get their look-alike letters repaired; Cyrillic words are
//! transliterated with the requested scheme; Greek and every other script go
//! through `any_ascii`. Han segments are handled by `han`.

use crate::cyrillic::{self, Lang};
use crate::normalize::{Seg, SegKind, WordScript};
use crate::{CyrillicScheme, TokenClass};

/// Where a pre-token's text came from. Lexicon entries learnt from a
/// non-Latin alias may be restricted to pre-tokens of the same origin
/// (Russian "и" must not turn a Latin "i" into a stopword).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Latin text (or an entry usable on any text).
    Any,
    /// Transliterated Cyrillic.
    Cyrillic,
    /// Romanised by `any_ascii` (Greek, Arabic, Hangul, kana, Thai, …).
    Romanized,
    /// Produced by the Han segmenter (always pre-classified).
    Han,
}

/// A token before classification: lower-case ASCII text, an optional fixed
/// class (Han segmenter output), and its origin.
#[derive(Debug, Clone)]
pub(crate) struct PreTok {
    pub text: String,
    pub fixed: Option<TokenClass>,
    pub scope: Scope,
}

/// What kinds of transformation a form used (decides its origin).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Flags {
    pub homoglyph: bool,
    pub cyrillic: bool,
    pub romanized: bool,
    pub han: bool,
    pub han_alt: bool,
}

fn push_ascii_filtered(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push((b as char).to_ascii_lowercase());
        }
    }
}

/// `any_ascii` of `text`, split into alphanumeric runs.
fn any_ascii_tokens(text: &str, scope: Scope, out: &mut Vec<PreTok>) {
    let ascii = any_ascii::any_ascii(text);
    for part in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            out.push(PreTok { text: part.to_ascii_lowercase(), fixed: None, scope });
        }
    }
}

/// Romanise one non-Han segment into `out`.
///
/// `hg_words`: read a Cyrillic/Greek word whose every letter imitates a Latin
/// letter as that Latin word (used when the name also has plain Latin words).
pub(crate) fn romanize_seg(
    seg: &Seg,
    scheme: CyrillicScheme,
    lang: Lang,
    hg_words: bool,
    out: &mut Vec<PreTok>,
    flags: &mut Flags,
) {
    match seg.kind {
        SegKind::Amp => out.push(PreTok { text: "and".into(), fixed: None, scope: Scope::Any }),
        SegKind::Comma => {}
        SegKind::Word => match seg.script {
            WordScript::Latin => {
                out.push(PreTok { text: seg.text.clone(), fixed: None, scope: Scope::Any })
            }
            WordScript::Mixed => {
                flags.homoglyph = true;
                out.push(PreTok { text: homoglyph_text(seg), fixed: None, scope: Scope::Any });
            }
            WordScript::Cyrillic | WordScript::Greek if hg_words && seg.all_confusable => {
                flags.homoglyph = true;
                out.push(PreTok { text: homoglyph_text(seg), fixed: None, scope: Scope::Any });
            }
            WordScript::Cyrillic => {
                flags.cyrillic = true;
                let mut t = String::with_capacity(seg.text.len() + 4);
                cyrillic::translit_word(&seg.text, scheme, lang, &mut t);
                if !t.is_empty() {
                    out.push(PreTok { text: t, fixed: None, scope: Scope::Cyrillic });
                }
            }
            WordScript::Greek | WordScript::Other => {
                flags.romanized = true;
                any_ascii_tokens(&seg.text, Scope::Romanized, out);
            }
            // Han segments are handled by the Han segmenter; reaching here
            // (a table alias mixing scripts) falls back to any_ascii.
            WordScript::Han => {
                flags.romanized = true;
                any_ascii_tokens(&seg.text, Scope::Romanized, out);
            }
        },
    }
}

/// The homoglyph-repaired text of a mixed word: look-alike letters replaced
/// by their Latin twin, any other non-Latin letter romanised.
fn homoglyph_text(seg: &Seg) -> String {
    let src = seg.hg.as_deref().unwrap_or(&seg.text);
    let mut t = String::with_capacity(src.len());
    for c in src.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                t.push(c);
            }
        } else {
            push_ascii_filtered(&mut t, any_ascii::any_ascii_char(c));
        }
    }
    t
}
