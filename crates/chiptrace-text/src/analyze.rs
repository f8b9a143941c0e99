//! `analyze_name`: from a raw name to its comparable forms.
//!
//! Stages: `normalize::segment` (characters → word segments) → per form, a
//! romanisation of every segment (Cyrillic scheme, homoglyph reading, Han
//! readings) into pre-tokens → classification (legal forms, generic words,
//! stopwords, numbers, titles) into [`Token`]s. Several forms are produced
//! when a name can be read several ways; the first is the primary reading.

use crate::cyrillic::{self, Lang};
use crate::han::{self, Piece};
use crate::lexicon::{Entry, Kind, Lexicon};
use crate::normalize::{self, Seg, SegKind, WordScript};
use crate::romanize::{self, Flags, PreTok, Scope};
use crate::{CyrillicScheme, FormOrigin, NameForm, NameType, Token, TokenClass};

/// Input characters looked at: enough for any real name (the longest Entity
/// List names with their "a.k.a." tails are a few hundred characters).
pub(crate) const MAX_CHARS: usize = 1_000;
/// Word segments kept, and tokens per form.
pub(crate) const MAX_TOKENS: usize = 64;
/// Forms returned.
pub(crate) const MAX_FORMS: usize = 8;

/// Per-name data shared by all of its forms.
struct Prepared {
    segs: Vec<Seg>,
    /// Han segmentation of each Han segment (None for other segments).
    han: Vec<Option<Vec<Piece>>>,
    lang: Lang,
    has_cyrillic: bool,
    /// A Cyrillic/Greek word all of whose letters imitate Latin letters.
    has_confusable_word: bool,
    /// A plain Latin word with letters (not only digits).
    has_latin_word: bool,
}

impl Prepared {
    fn new(segs: Vec<Seg>, ty: NameType) -> Prepared {
        let dict = &Lexicon::get().han;
        let mut han_pieces = Vec::with_capacity(segs.len());
        let mut prev_number = false;
        for s in &segs {
            if s.kind == SegKind::Word && s.script == WordScript::Han {
                let simplified = zhconv::zhconv(&s.text, zhconv::Variant::ZhHans);
                han_pieces.push(Some(if ty == NameType::Person {
                    han::person_pieces(&simplified, &s.text)
                } else {
                    han::segment(&simplified, &s.text, prev_number, dict)
                }));
            } else {
                han_pieces.push(None);
            }
            prev_number = s.kind == SegKind::Word
                && s.script == WordScript::Latin
                && s.text.bytes().all(|b| b.is_ascii_digit());
        }
        let words = || segs.iter().filter(|s| s.kind == SegKind::Word);
        let has_cyrillic = words().any(|s| s.script == WordScript::Cyrillic);
        let lang = if has_cyrillic {
            cyrillic::detect_lang(
                words().filter(|s| s.script == WordScript::Cyrillic).map(|s| s.text.as_str()),
            )
        } else {
            Lang::Russian
        };
        let has_latin_word = words().any(|s| {
            s.script == WordScript::Latin && s.text.bytes().any(|b| b.is_ascii_alphabetic())
        });
        // Reading a whole Cyrillic/Greek word as Latin look-alikes only makes
        // sense inside a Latin name ("НОРЕ Technologies"); a Cyrillic name is
        // transliterated ("Рога" is "roga", not "pora").
        let has_confusable_word = has_latin_word
            && words().any(|s| {
                matches!(s.script, WordScript::Cyrillic | WordScript::Greek) && s.all_confusable
            });
        Prepared { segs, han: han_pieces, lang, has_cyrillic, has_confusable_word, has_latin_word }
    }
}

/// Which alternative Han rendering a form uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HanAlt {
    /// Alternative `alt` of the dictionary entry at (`seg`, `piece`).
    Entry { seg: usize, piece: usize, alt: usize },
    /// Reading `reading` for character `ch` of the run at (`seg`, `piece`).
    Char { seg: usize, piece: usize, ch: usize, reading: &'static str },
}

/// One way of reading a name.
#[derive(Debug, Clone, Copy)]
struct Spec {
    scheme: CyrillicScheme,
    hg_words: bool,
    han_alt: Option<HanAlt>,
    /// Write ü as "v" instead of "u".
    lv: bool,
}

fn build_pretoks(p: &Prepared, order: &[usize], spec: &Spec, flags: &mut Flags) -> Vec<PreTok> {
    let mut out: Vec<PreTok> = Vec::with_capacity(order.len() + 4);
    for &si in order {
        let seg = &p.segs[si];
        match &p.han[si] {
            None => {
                romanize::romanize_seg(seg, spec.scheme, p.lang, spec.hg_words, &mut out, flags)
            }
            Some(pieces) => {
                flags.han = true;
                for (pi, piece) in pieces.iter().enumerate() {
                    han_piece(si, pi, piece, spec, &mut out, flags);
                }
            }
        }
        if out.len() >= MAX_TOKENS {
            out.truncate(MAX_TOKENS);
            break;
        }
    }
    out
}

fn han_piece(
    si: usize,
    pi: usize,
    piece: &Piece,
    spec: &Spec,
    out: &mut Vec<PreTok>,
    flags: &mut Flags,
) {
    let fixed =
        |text: String, class: TokenClass| PreTok { text, fixed: Some(class), scope: Scope::Han };
    match piece {
        Piece::Entry(e) => {
            let outs = match spec.han_alt {
                Some(HanAlt::Entry { seg, piece, alt }) if seg == si && piece == pi => {
                    flags.han_alt = true;
                    e.alts.get(alt).map_or(&e.outs, |a| a)
                }
                _ => &e.outs,
            };
            out.extend(outs.iter().map(|o| fixed(o.text.to_string(), o.class)));
        }
        Piece::Outs(outs) => out.extend(outs.iter().map(|o| fixed(o.text.to_string(), o.class))),
        Piece::Number(n) => out.push(fixed(n.clone(), TokenClass::Number)),
        Piece::Stop(s) => out.push(fixed(s.to_string(), TokenClass::Stop)),
        Piece::Run(chars) => {
            let mut text = String::with_capacity(chars.len() * 4);
            for (ci, rc) in chars.iter().enumerate() {
                let reading = match spec.han_alt {
                    Some(HanAlt::Char { seg, piece, ch, reading })
                        if seg == si && piece == pi && ch == ci =>
                    {
                        flags.han_alt = true;
                        reading
                    }
                    _ => rc.primary,
                };
                if spec.lv && reading.contains('ü') {
                    flags.han_alt = true;
                }
                han::push_reading(&mut text, reading, spec.lv);
            }
            if !text.is_empty() {
                out.push(fixed(text, TokenClass::Word));
            }
        }
    }
}

/// Classify a digit token: "38" → 38, "38th" → 38.
fn number_text(t: &str) -> Option<&str> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    match &t[digits..] {
        "" => Some(t),
        "st" | "nd" | "rd" | "th" => Some(&t[..digits]),
        _ => None,
    }
}

fn classify(mut pre: Vec<PreTok>, ty: NameType, reordered: bool) -> Vec<Token> {
    let lx = Lexicon::get();
    let person = ty == NameType::Person;
    let n = pre.len();
    let mut toks: Vec<Token> = Vec::with_capacity(n);
    let mut buf = String::new();
    let mut i = 0;
    while i < n {
        if let Some(class) = pre[i].fixed {
            toks.push(Token { text: std::mem::take(&mut pre[i].text), class, surface: None });
            i += 1;
            continue;
        }
        let allowed = |e: &Entry, len: usize| -> bool {
            match e.kind {
                Kind::Legal => {
                    let at_end = i + len == n;
                    !person && (!e.restricted || at_end || (i == 0 && !e.end_only))
                }
                Kind::Generic | Kind::StopOrg | Kind::Number => !person,
                Kind::Stop => true,
                Kind::Prefix => false,
            }
        };
        if let Some((len, e)) = lx.main.longest(&pre, i, &mut buf, allowed) {
            // One written word mapped to one canonical token: keep what was
            // written (ASCII only) for fuzzy matching downstream.
            let surface = (len == 1 && e.outs.len() == 1)
                .then(|| &pre[i].text)
                .filter(|w| w.is_ascii() && **w != *e.outs[0].text)
                .cloned();
            toks.extend(e.outs.iter().map(|o| Token {
                text: o.text.to_string(),
                class: o.class,
                surface: surface.clone(),
            }));
            i += len;
            continue;
        }
        // Lookups never look back, so the text can be moved out.
        let t = std::mem::take(&mut pre[i].text);
        match number_text(&t) {
            Some(num) if num.len() == t.len() => {
                toks.push(Token { text: t, class: TokenClass::Number, surface: None })
            }
            Some(num) => {
                toks.push(Token { text: num.to_string(), class: TokenClass::Number, surface: None })
            }
            None => toks.push(Token { text: t, class: TokenClass::Word, surface: None }),
        }
        i += 1;
    }
    // "No. 38", "Nr 5": the marker is a stopword.
    for k in 1..toks.len() {
        if toks[k].class == TokenClass::Number
            && toks[k - 1].class == TokenClass::Word
            && matches!(toks[k - 1].text.as_str(), "no" | "nr" | "num")
        {
            toks[k - 1].class = TokenClass::Stop;
        }
    }
    if ty == NameType::Person {
        mark_prefixes(&mut toks, &lx.titles, reordered);
    } else {
        mark_place_suffixes(&mut toks);
        mark_prefixes(&mut toks, &lx.vessels, false);
        let org_like =
            toks.iter().any(|t| matches!(t.class, TokenClass::LegalForm | TokenClass::Generic));
        if ty == NameType::Any && !org_like {
            mark_prefixes(&mut toks, &lx.titles, reordered);
        }
    }
    toks
}

/// "Urumqi Municipal Public Security Bureau", "Kashgar Prefecture": an
/// administrative word right after a place is a stopword, as 市/省/地区 after
/// a place are in Han names (乌鲁木齐市公安局 → urumqi city(Stop) …).
fn mark_place_suffixes(toks: &mut [Token]) {
    const SUFFIXES: [&str; 10] = [
        "city",
        "municipal",
        "municipality",
        "prefecture",
        "province",
        "provincial",
        "county",
        "district",
        "region",
        "sar",
    ];
    let mut k = 1;
    while k < toks.len() {
        let prev_place =
            toks[k - 1].class == TokenClass::Word && crate::is_place(&toks[k - 1].text);
        if prev_place && toks[k].class == TokenClass::Word {
            let t = toks[k].text.as_str();
            let autonomous = t == "autonomous"
                && toks
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.text.as_str(), "region" | "prefecture"));
            if autonomous {
                toks[k].class = TokenClass::Stop;
                toks[k + 1].class = TokenClass::Stop;
                k += 1;
            } else if SUFFIXES.contains(&t) {
                toks[k].class = TokenClass::Stop;
            }
        }
        k += 1;
    }
}

/// Mark leading titles / vessel prefixes as Stop (repeatedly: "Lt. Gen. Dr.").
/// At least one token is always left unmarked.
fn mark_prefixes(toks: &mut [Token], map: &crate::lexicon::PhraseMap, reordered: bool) {
    let mut buf = String::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((len, _)) = map.longest(toks, i, &mut buf, |e, _| !(reordered && e.restricted))
        else {
            break;
        };
        if i + len >= toks.len() {
            break;
        }
        for t in &mut toks[i..i + len] {
            t.class = TokenClass::Stop;
        }
        i += len;
    }
}

fn origin_of(flags: &Flags, reordered: bool) -> FormOrigin {
    if flags.han_alt {
        FormOrigin::PinyinHeteronym
    } else if flags.han {
        FormOrigin::Pinyin
    } else if flags.cyrillic {
        // Scheme filled in by the caller.
        FormOrigin::Cyrillic(CyrillicScheme::BgnPcgn)
    } else if flags.romanized {
        FormOrigin::Romanized
    } else if reordered {
        FormOrigin::PersonReordered
    } else if flags.homoglyph {
        FormOrigin::Homoglyph
    } else {
        FormOrigin::Latin
    }
}

/// Alternative Han renderings, best first: dictionary alternates (brands,
/// place spellings), curated heteronym readings, ü written "v", then readings
/// only the `pinyin` crate knows.
fn han_variants(p: &Prepared, order: &[usize]) -> Vec<(Option<HanAlt>, bool)> {
    let mut entry_alts = Vec::new();
    let mut curated = Vec::new();
    let mut others = Vec::new();
    let mut has_u = false;
    for &si in order {
        let Some(pieces) = &p.han[si] else { continue };
        for (pi, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Entry(e) => {
                    for alt in 0..e.alts.len() {
                        entry_alts.push((Some(HanAlt::Entry { seg: si, piece: pi, alt }), false));
                    }
                }
                Piece::Run(chars) => {
                    for (ci, rc) in chars.iter().enumerate() {
                        has_u |= rc.primary.contains('ü');
                        for r in rc.curated.iter() {
                            curated.push((
                                Some(HanAlt::Char { seg: si, piece: pi, ch: ci, reading: r }),
                                false,
                            ));
                        }
                        for &r in &rc.others {
                            others.push((
                                Some(HanAlt::Char { seg: si, piece: pi, ch: ci, reading: r }),
                                false,
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut v = entry_alts;
    v.append(&mut curated);
    if has_u {
        v.push((None, true));
    }
    v.append(&mut others);
    v
}

/// Add the forms of `order` to `forms`, up to `MAX_FORMS` in total.
fn add_forms(
    p: &Prepared,
    order: &[usize],
    ty: NameType,
    reordered: bool,
    forms: &mut Vec<NameForm>,
) {
    let hg0 = p.has_latin_word;
    let mut specs: Vec<Spec> = Vec::with_capacity(8);
    let base = Spec { scheme: CyrillicScheme::BgnPcgn, hg_words: hg0, han_alt: None, lv: false };
    let schemes: &[CyrillicScheme] = if p.has_cyrillic {
        &[
            CyrillicScheme::BgnPcgn,
            CyrillicScheme::CommonEnglish,
            CyrillicScheme::Icao,
            CyrillicScheme::Gost,
        ]
    } else {
        &[CyrillicScheme::BgnPcgn]
    };
    for &scheme in schemes {
        specs.push(Spec { scheme, ..base });
        if p.has_confusable_word {
            specs.push(Spec { scheme, hg_words: !hg0, ..base });
        }
    }
    for (han_alt, lv) in han_variants(p, order) {
        specs.push(Spec { han_alt, lv, ..base });
    }
    for spec in specs {
        if forms.len() >= MAX_FORMS {
            return;
        }
        let mut flags = Flags::default();
        let pre = build_pretoks(p, order, &spec, &mut flags);
        let tokens = classify(pre, ty, reordered);
        if tokens.is_empty() || forms.iter().any(|f| f.tokens == tokens) {
            continue;
        }
        let mut origin = origin_of(&flags, reordered);
        if let FormOrigin::Cyrillic(_) = origin {
            origin = FormOrigin::Cyrillic(spec.scheme);
        }
        forms.push(NameForm { tokens, origin });
    }
}

fn is_generational(seg: &Seg) -> bool {
    matches!(seg.text.as_str(), "jr" | "sr" | "jnr" | "snr" | "ii" | "iii" | "iv")
}

/// "SURNAME, Given Names" → segment order "Given Names SURNAME" (as OFAC
/// writes individuals). The part after the last comma must be 1-6 words
/// without digits; a generational suffix ("SMITH, John, Jr.") stays last.
fn person_order(segs: &[Seg]) -> Option<Vec<usize>> {
    let commas: Vec<usize> = (0..segs.len()).filter(|&i| segs[i].kind == SegKind::Comma).collect();
    let &last = commas.last()?;
    let is_word = |i: &usize| segs[*i].kind == SegKind::Word;
    let mut split = last;
    let mut tail: Vec<usize> = Vec::new();
    let after: Vec<usize> = (last + 1..segs.len()).filter(is_word).collect();
    if !after.is_empty() && after.iter().all(|&i| is_generational(&segs[i])) && commas.len() >= 2 {
        tail = after;
        split = commas[commas.len() - 2];
    }
    let end = if tail.is_empty() { segs.len() } else { last };
    let given: Vec<usize> = (split + 1..end).filter(|i| segs[*i].kind != SegKind::Comma).collect();
    let surname: Vec<usize> = (0..split).filter(|i| segs[*i].kind != SegKind::Comma).collect();
    let given_words = given.iter().filter(|i| is_word(i)).count();
    let ok_given = (1..=6).contains(&given_words)
        && given.iter().all(|&i| {
            segs[i].kind == SegKind::Word && !segs[i].text.bytes().any(|b| b.is_ascii_digit())
        });
    if !ok_given || !surname.iter().any(is_word) {
        return None;
    }
    let mut order = given;
    order.extend(surname);
    order.extend(tail);
    Some(order)
}

pub(crate) fn analyze_name(raw: &str, ty: NameType) -> Vec<NameForm> {
    let segs = normalize::segment(raw, MAX_CHARS, MAX_TOKENS);
    if !segs.iter().any(|s| s.kind == SegKind::Word) {
        return Vec::new();
    }
    let p = Prepared::new(segs, ty);
    let natural: Vec<usize> =
        (0..p.segs.len()).filter(|&i| p.segs[i].kind != SegKind::Comma).collect();
    let mut forms = Vec::with_capacity(2);
    match ty {
        NameType::Person => match person_order(&p.segs) {
            Some(order) => {
                add_forms(&p, &order, ty, true, &mut forms);
                add_forms(&p, &natural, ty, false, &mut forms);
            }
            None => add_forms(&p, &natural, ty, false, &mut forms),
        },
        NameType::Organization => add_forms(&p, &natural, ty, false, &mut forms),
        NameType::Any => {
            add_forms(&p, &natural, ty, false, &mut forms);
            let person_like = forms.first().is_some_and(|f| {
                !f.tokens
                    .iter()
                    .any(|t| matches!(t.class, TokenClass::LegalForm | TokenClass::Generic))
            });
            if person_like && let Some(order) = person_order(&p.segs) {
                add_forms(&p, &order, ty, true, &mut forms);
            }
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze_name;

    fn texts(f: &NameForm) -> Vec<&str> {
        f.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    fn primary(raw: &str, ty: NameType) -> NameForm {
        analyze_name(raw, ty)
            .into_iter()
            .next()
            .unwrap_or(NameForm { tokens: vec![], origin: FormOrigin::Latin })
    }

    fn org(raw: &str) -> Vec<(String, TokenClass)> {
        primary(raw, NameType::Organization).tokens.into_iter().map(|t| (t.text, t.class)).collect()
    }

    fn legal(raw: &str) -> Option<String> {
        let f = primary(raw, NameType::Organization);
        let mut it = f.tokens.into_iter().filter(|t| t.class == TokenClass::LegalForm);
        let first = it.next().map(|t| t.text);
        assert!(it.next().is_none(), "{raw}: more than one legal form");
        first
    }

    use TokenClass::{Generic as G, LegalForm as L, Number as N, Stop as S, Word as W};

    fn tk(list: &[(&str, TokenClass)]) -> Vec<(String, TokenClass)> {
        list.iter().map(|&(t, c)| (t.to_string(), c)).collect()
    }

    #[test]
    fn huawei_latin_and_han_agree() {
        let latin = primary("Huawei Technologies Co., Ltd.", NameType::Organization);
        for han in ["華為技術有限公司", "华为技术有限公司"] {
            let h = primary(han, NameType::Organization);
            // Same comparable tokens; only `surface` (what was written) differs.
            let pairs = |f: &NameForm| {
                f.tokens.iter().map(|t| (t.text.clone(), t.class)).collect::<Vec<_>>()
            };
            assert_eq!(pairs(&h), pairs(&latin), "{han}");
            assert_eq!(h.origin, FormOrigin::Pinyin);
        }
        assert_eq!(
            org("Huawei Technologies Co., Ltd."),
            tk(&[("huawei", W), ("technology", G), ("ltd", L)])
        );
        assert_eq!(latin.tokens[1].surface.as_deref(), Some("technologies"));
        assert_eq!(latin.tokens[0].surface, None);
    }

    #[test]
    fn beijing_zhongke_jingyuan() {
        assert_eq!(
            org("北京中科晶源电子科技有限公司"),
            tk(&[
                ("beijing", W),
                ("zhongkejingyuan", W),
                ("electronics", G),
                ("technology", G),
                ("ltd", L)
            ])
        );
        // The list spelling gives the same classes and the same words modulo
        // concatenation ("zhongke jingyuan").
        assert_eq!(
            org("Beijing Zhongke Jingyuan Electronic Technology Co., Ltd."),
            tk(&[
                ("beijing", W),
                ("zhongke", W),
                ("jingyuan", W),
                ("electronics", G),
                ("technology", G),
                ("ltd", L)
            ])
        );
    }

    #[test]
    fn shenzhen_woke_abbreviations() {
        assert_eq!(
            org("SHENZHEN WOKE COMM & TRADE CO LTD"),
            tk(&[
                ("shenzhen", W),
                ("woke", W),
                ("communication", G),
                ("and", S),
                ("trading", G),
                ("ltd", L)
            ])
        );
    }

    #[test]
    fn co_ltd_is_one_legal_form() {
        for s in [
            "X Co., Ltd.",
            "X CO.,LTD",
            "X Co Ltd",
            "X Co.Ltd.",
            "X Coltd",
            "X Company Limited",
            "X Limited",
            "X Ltd.",
            "X Limted",
            "X Co. Limited",
        ] {
            assert_eq!(legal(s).as_deref(), Some("ltd"), "{s}");
            assert_eq!(primary(s, NameType::Organization).tokens.len(), 2, "{s}");
        }
    }

    #[test]
    fn legal_forms_of_many_countries() {
        let cases = [
            ("Foo Sdn. Bhd.", "ltd"),
            ("Foo Sendirian Berhad", "ltd"),
            ("Foo Pte. Ltd.", "ltd"),
            ("Foo Pvt. Ltd.", "ltd"),
            ("Foo (Pvt) Ltd", "ltd"),
            ("Foo Private Limited", "ltd"),
            ("Foo Pty Ltd", "ltd"),
            ("Foo L.L.C.", "llc"),
            ("Foo LLC", "llc"),
            ("Foo Limited Liability Company", "llc"),
            ("Foo FZ-LLC", "llc"),
            ("Foo FZE", "fze"),
            ("Foo FZCO", "fze"),
            ("Foo DMCC", "fze"),
            ("OOO Foo", "llc"),
            ("TOV Foo", "llc"),
            ("JSC Foo", "jsc"),
            ("OAO Foo", "jsc"),
            ("ZAO Foo", "jsc"),
            ("PJSC Foo", "jsc"),
            ("Open Joint Stock Company Foo", "jsc"),
            ("Joint-Stock Company Foo", "jsc"),
            ("Foo Corporation", "corp"),
            ("Foo Inc.", "corp"),
            ("Foo Incorporated", "corp"),
            ("Foo Company", "co"),
            ("Foo PLC", "plc"),
            ("Foo GmbH", "gmbh"),
            ("Foo AG", "ag"),
            ("Foo S.A.", "sa"),
            ("Foo S.A. de C.V.", "sa"),
            ("Foo S.R.L.", "srl"),
            ("Foo SARL", "srl"),
            ("Foo S.p.A.", "spa"),
            ("Foo B.V.", "bv"),
            ("Foo N.V.", "nv"),
            ("Foo LLP", "llp"),
            ("Foo K.K.", "kk"),
            ("Foo AB", "ab"),
            ("Foo A/S", "as"),
            ("Foo Oy", "oy"),
            ("Foo Sp. z o.o.", "llc"),
            ("Foo s.r.o.", "llc"),
            ("Foo d.o.o.", "llc"),
            ("Foo Kft.", "llc"),
            ("Foo Ltda", "llc"),
            ("Foo Ltd. Şti.", "ltd"),
            ("PT Foo", "ltd"),
            ("Foo GmbH & Co. KG", "lp"),
            ("FGUP Foo", "sue"),
            ("ФГУП «Фоо»", "sue"),
            ("ООО «Фоо»", "llc"),
            ("ПАО «Фоо»", "jsc"),
            ("ЗАО Фоо", "jsc"),
            ("ТОВ «Фоо»", "llc"),
            ("Общество с ограниченной ответственностью «Фоо»", "llc"),
            ("Obshchestvo s Ogranichennoy Otvetstvennostyu Foo", "llc"),
            ("Aktsionernoe Obshchestvo Foo", "jsc"),
            ("富华股份有限公司", "jsc"),
            ("富华有限责任公司", "llc"),
            ("富华有限公司", "ltd"),
            ("株式会社富华", "kk"),
        ];
        for (s, code) in cases {
            assert_eq!(legal(s).as_deref(), Some(code), "{s}");
        }
    }

    #[test]
    fn short_legal_forms_need_an_edge() {
        assert_eq!(legal("AT&T Inc.").as_deref(), Some("corp"));
        assert_eq!(legal("AG Barr"), None);
        assert_eq!(legal("SA Foo"), None);
        assert_eq!(legal("Foo AS Bar"), None);
        assert_eq!(legal("AO Foo").as_deref(), Some("jsc"));
    }

    #[test]
    fn generic_words_and_abbreviations() {
        let f = org("Foo INT'L Tech GRP Svcs MFG Elec Info Sys Dev Eng Univ Inst Equip Hldgs");
        let g: Vec<&str> = f.iter().filter(|t| t.1 == G).map(|t| t.0.as_str()).collect();
        assert_eq!(
            g,
            [
                "international",
                "technology",
                "group",
                "service",
                "manufacturing",
                "electronics",
                "information",
                "system",
                "development",
                "engineering",
                "university",
                "institute",
                "equipment",
                "holding"
            ]
        );
        assert_eq!(org("进出口贸易"), tk(&[("import", G), ("export", G), ("trading", G)]));
        assert_eq!(org("Import & Export"), tk(&[("import", G), ("export", G)]));
        assert_eq!(org("研究所"), tk(&[("research", G), ("institute", G)]));
    }

    #[test]
    fn numbers() {
        assert_eq!(org("38th Research Institute")[0], ("38".to_string(), N));
        assert_eq!(
            org("中国电子科技集团公司第三十八研究所"),
            tk(&[
                ("china", W),
                ("electronics", G),
                ("technology", G),
                ("group", G),
                ("co", L),
                ("38", N),
                ("research", G),
                ("institute", G)
            ])
        );
        assert_eq!(org("第十四研究所"), tk(&[("14", N), ("research", G), ("institute", G)]));
        assert_eq!(org("中电科十四所"), tk(&[("zhongdianke", W), ("14", N), ("institute", G)]));
        assert_eq!(org("中电科38所"), tk(&[("zhongdianke", W), ("38", N), ("institute", G)]));
        assert_eq!(org("二院"), tk(&[("2", N), ("academy", G)]));
        assert_eq!(org("Second Academy"), tk(&[("2", N), ("academy", G)]));
        // Numerals that are part of a name stay pinyin.
        assert_eq!(org("三一重工"), tk(&[("sanyi", W), ("heavy", G), ("industry", G)]));
        assert_eq!(org("No. 38 Factory"), tk(&[("no", S), ("38", N), ("factory", G)]));
    }

    #[test]
    fn han_places_and_suffixes() {
        assert_eq!(
            org("深圳市大疆创新科技有限公司"),
            tk(&[
                ("shenzhen", W),
                ("city", S),
                ("dajiang", W),
                ("innovation", G),
                ("technology", G),
                ("ltd", L)
            ])
        );
        assert_eq!(
            org("华为终端(深圳)有限公司"),
            tk(&[("huawei", W), ("device", G), ("shenzhen", W), ("ltd", L)])
        );
        assert_eq!(org("陕西"), tk(&[("shaanxi", W)]));
        assert_eq!(org("香港"), tk(&[("hong", W), ("kong", W)]));
        assert_eq!(org("华为 Technologies"), tk(&[("huawei", W), ("technology", G)]));
        assert_eq!(org("ＡＢＣ（深圳）科技有限公司")[0..2], tk(&[("abc", W), ("shenzhen", W)])[..]);
    }

    #[test]
    fn han_alternatives() {
        let forms = analyze_name("杭州海康威视数字技术股份有限公司", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["hangzhou", "haikangweishi", "digital", "technology", "jsc"]);
        assert!(forms.iter().any(|f| f.origin == FormOrigin::PinyinHeteronym && texts(f).contains(&"hikvision")));
        let forms = analyze_name("长城", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["changcheng"]);
        assert!(forms.iter().any(|f| texts(f) == ["great", "wall"]));
        let forms = analyze_name("长兴", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["changxing"]);
        assert!(
            forms
                .iter()
                .any(|f| texts(f) == ["zhangxing"] && f.origin == FormOrigin::PinyinHeteronym)
        );
        // ü: "lu" primary, "lv" as an extra form.
        let forms = analyze_name("吕梁", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["luliang"]);
        assert!(forms.iter().any(|f| texts(f) == ["lvliang"]));
        // Places with heteronyms are read right.
        assert_eq!(org("重庆长安"), tk(&[("chongqing", W), ("changan", W)]));
    }

    #[test]
    fn cyrillic_forms() {
        let forms = analyze_name("Дмитрий Щербаков", NameType::Person);
        let all: Vec<Vec<&str>> = forms.iter().map(texts).collect();
        assert!(all.contains(&vec!["dmitry", "shcherbakov"]), "{all:?}");
        assert!(all.contains(&vec!["dmitriy", "shcherbakov"]), "{all:?}");
        assert!(forms.iter().all(|f| matches!(f.origin, FormOrigin::Cyrillic(_))));
        assert_eq!(forms[0].origin, FormOrigin::Cyrillic(CyrillicScheme::BgnPcgn));
        let f = org("ООО «Рога и копыта»");
        assert_eq!(f, tk(&[("llc", L), ("roga", W), ("i", S), ("kopyta", W)]));
        assert_eq!(analyze_name("ООО «Рога и копыта»", NameType::Organization).len(), 1);
        assert_eq!(org("ТОВ «Київстар»"), tk(&[("llc", L), ("kyivstar", W)]));
    }

    #[test]
    fn homoglyphs() {
        let forms = analyze_name("Нuawei", NameType::Organization);
        assert_eq!(forms[0].origin, FormOrigin::Homoglyph);
        assert_eq!(texts(&forms[0]), ["huawei"]);
        let forms = analyze_name("Huаwei Tеchnologies", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["huawei", "technology"]);
        // A whole look-alike word inside a Latin name: both readings.
        let forms = analyze_name("НОРЕ Technologies", NameType::Organization);
        assert_eq!(texts(&forms[0]), ["hope", "technology"]);
        assert!(forms.iter().any(|f| texts(f) == ["nore", "technology"]));
    }

    #[test]
    fn other_scripts_are_romanized() {
        for s in ["Ελληνικά Ναυπηγεία", "شركة الاتصالات", "삼성전자", "ภาษาไทย"]
        {
            let f = primary(s, NameType::Organization);
            assert_eq!(f.origin, FormOrigin::Romanized, "{s}");
            assert!(!f.tokens.is_empty(), "{s}");
        }
        assert_eq!(legal("삼성전자 주식회사").as_deref(), Some("ltd"));
        assert_eq!(legal("شركة الاتصالات").as_deref(), Some("co"));
    }

    #[test]
    fn persons() {
        let forms = analyze_name("ABU TAIR, Mohammed Mahmud", NameType::Person);
        assert_eq!(forms[0].origin, FormOrigin::PersonReordered);
        assert_eq!(texts(&forms[0]), ["mohammed", "mahmud", "abu", "tair"]);
        assert!(forms.iter().any(|f| texts(f) == ["abu", "tair", "mohammed", "mahmud"]));
        let forms = analyze_name("SMITH, John, Jr.", NameType::Person);
        assert_eq!(texts(&forms[0]), ["john", "smith", "jr"]);
        // Titles are stopwords; a given name that looks like a title is not.
        let f = primary("Gen. Qasem SOLEIMANI", NameType::Person);
        assert_eq!(f.tokens[0].class, S);
        let f = primary("LI, Gen", NameType::Person);
        assert_eq!(texts(&f), ["gen", "li"]);
        assert!(f.tokens.iter().all(|t| t.class == W));
        // Person names do not have legal forms or generic words.
        let f = primary("John Service", NameType::Person);
        assert!(f.tokens.iter().all(|t| t.class == W));
        // Particles stay words (also pinyin syllables).
        let f = primary("Du Wei", NameType::Person);
        assert!(f.tokens.iter().all(|t| t.class == W));
        // Organisations: commas are separators.
        let f = primary("Foo, Inc.", NameType::Organization);
        assert_eq!(f.origin, FormOrigin::Latin);
        assert_eq!(texts(&f), ["foo", "corp"]);
    }

    #[test]
    fn han_segmentation_repair_and_translations() {
        // Greedy matching would give 龙芯 | 中 | 科技 | 术.
        assert_eq!(
            org("龙芯中科技术股份有限公司"),
            tk(&[("longxin", W), ("zhongke", W), ("technology", G), ("jsc", L)])
        );
        let forms = analyze_name("东方晶源微电子科技（北京）有限公司", NameType::Organization);
        assert_eq!(texts(&forms[0])[..2], ["dongfang", "jingyuan"]);
        assert!(forms.iter().any(|f| texts(f).contains(&"oriental")));
        let forms = analyze_name("西南电子技术研究所", NameType::Organization);
        assert!(forms.iter().any(|f| texts(f)[0] == "southwest"), "{forms:?}");
    }

    #[test]
    fn place_suffixes() {
        assert_eq!(
            org("乌鲁木齐市公安局"),
            tk(&[("urumqi", W), ("city", S), ("public", G), ("security", G), ("bureau", G)])
        );
        assert_eq!(
            org("Urumqi Municipal Public Security Bureau"),
            tk(&[("urumqi", W), ("municipal", S), ("public", G), ("security", G), ("bureau", G)])
        );
        assert_eq!(org("Kashi Prefecture")[1], ("prefecture".to_string(), S));
        assert_eq!(org("City Bank")[0], ("city".to_string(), W));
        let forms = analyze_name("喀什地区公安局", NameType::Organization);
        assert_eq!(texts(&forms[0])[..2], ["kashi", "prefecture"]);
        assert!(forms.iter().any(|f| texts(f)[0] == "kashgar"));
    }

    #[test]
    fn han_persons() {
        let f = primary("陈周乾", NameType::Person);
        assert_eq!(texts(&f), ["chen", "zhouqian"]);
        assert_eq!(f.origin, FormOrigin::Pinyin);
        // Traditional input, surname readings, compound surnames.
        assert_eq!(texts(&primary("陳周乾", NameType::Person)), ["chen", "zhouqian"]);
        assert_eq!(texts(&primary("单田芳", NameType::Person)), ["shan", "tianfang"]);
        assert_eq!(texts(&primary("欧阳修", NameType::Person)), ["ouyang", "xiu"]);
        // No company dictionary in person names: 高新 is Gao Xin.
        assert_eq!(texts(&primary("高新", NameType::Person)), ["gao", "xin"]);
        assert!(primary("高新", NameType::Person).tokens.iter().all(|t| t.class == W));
    }

    #[test]
    fn any_type() {
        let forms = analyze_name("ABU TAIR, Mohammed Mahmud", NameType::Any);
        assert_eq!(texts(&forms[0]), ["abu", "tair", "mohammed", "mahmud"]);
        assert!(forms.iter().any(|f| f.origin == FormOrigin::PersonReordered));
        let forms = analyze_name("Foo Technologies, Inc.", NameType::Any);
        assert_eq!(forms.len(), 1);
        assert_eq!(primary("Sheikh Mohammed", NameType::Any).tokens[0].class, S);
        assert_eq!(primary("General Electric Company", NameType::Any).tokens[0].class, W);
    }

    #[test]
    fn vessels_and_stopwords() {
        assert_eq!(org("MV Ocean Star"), tk(&[("mv", S), ("ocean", W), ("star", W)]));
        assert_eq!(org("M.V. Ocean"), tk(&[("mv", S), ("ocean", W)]));
        assert_eq!(org("Bank of China"), tk(&[("bank", G), ("of", S), ("china", W)]));
        assert_eq!(org("The Foo"), tk(&[("the", S), ("foo", W)]));
        assert_eq!(org("Banco de la Nacion")[2], ("la".to_string(), S));
        // "de" and "da" are pinyin syllables, so they stay words ("Da Hua").
        assert_eq!(org("Banco de la Nacion")[1], ("de".to_string(), W));
        assert_eq!(org("Da Hua Technology")[0], ("da".to_string(), W));
    }

    #[test]
    fn degenerate_inputs() {
        for s in ["", "   ", "!!!", "\u{0}\u{1}", "&", ",", "...", "'''", "\u{301}"] {
            let forms = analyze_name(s, NameType::Any);
            assert!(
                forms.iter().all(|f| f.tokens.is_empty()) || forms.is_empty(),
                "{s:?}: {forms:?}"
            );
        }
        // "&" alone is a stopword, but a name of only stopwords is still a form.
        let big = "Foo Bar 华为 Дмитрий ".repeat(10_000);
        let forms = analyze_name(&big, NameType::Organization);
        assert!(!forms.is_empty());
        assert!(forms.iter().all(|f| f.tokens.len() <= MAX_TOKENS));
        let hetero = "长重行乐会都厦藏曾朝单解区盛查长重行乐会都厦藏曾朝单解区盛查";
        let forms = analyze_name(hetero, NameType::Organization);
        assert_eq!(forms.len(), MAX_FORMS);
    }

    #[test]
    fn forms_are_deduplicated() {
        for s in ["Дмитрий Щербаков", "长城", "ООО Ромашка", "Huawei", "НОРЕ Tech"]
        {
            let forms = analyze_name(s, NameType::Person);
            for (i, a) in forms.iter().enumerate() {
                for b in &forms[i + 1..] {
                    assert_ne!(a.tokens, b.tokens, "{s}");
                }
            }
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        const MIXED: &str = "[a-zA-Z0-9 .,&'’\\-()（）/華為技術有限公司长江第三十八所研究院ООО Рога и копытаНЕЪЬЁйΑΒΓαβγ한국어ーアイウÄßçø\u{301}\u{200B}\t\n]{0,60}";

        fn check(forms: &[NameForm]) -> Result<(), TestCaseError> {
            prop_assert!(forms.len() <= MAX_FORMS);
            for f in forms {
                prop_assert!(f.tokens.len() <= MAX_TOKENS);
                for t in &f.tokens {
                    prop_assert!(!t.text.is_empty(), "empty token in {forms:?}");
                    prop_assert!(
                        t.text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                        "bad token {:?}",
                        t.text
                    );
                }
            }
            for (i, a) in forms.iter().enumerate() {
                for b in &forms[i + 1..] {
                    prop_assert_ne!(&a.tokens, &b.tokens);
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            #[test]
            fn any_string_is_analysed(s in any::<String>()) {
                for ty in [NameType::Person, NameType::Organization, NameType::Any] {
                    check(&analyze_name(&s, ty))?;
                }
            }

            #[test]
            fn mixed_scripts_are_analysed(s in MIXED) {
                for ty in [NameType::Person, NameType::Organization, NameType::Any] {
                    check(&analyze_name(&s, ty))?;
                }
            }

            #[test]
            fn normalize_basic_is_idempotent(s in any::<String>()) {
                let once = crate::normalize_basic(&s);
                prop_assert_eq!(crate::normalize_basic(&once), once.clone());
                prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
            }

            #[test]
            fn normalize_basic_is_idempotent_on_mixed(s in MIXED) {
                let once = crate::normalize_basic(&s);
                prop_assert_eq!(crate::normalize_basic(&once), once);
            }

            #[test]
            fn skeleton_never_panics(s in any::<String>()) {
                let k = crate::skeleton(&s);
                prop_assert!(!k.contains("  "));
            }
        }
    }
}
