//! The name scorer: aligns the tokens of a query form with the tokens of a
//! listed form and turns the alignment into a score in [0, 1].
//!
//! Steps (one concept each, documented in `docs/screening.md`):
//! 1. pair tokens: Word↔Word by exact / fuzzy (edit budget) / phonetic /
//!    romanisation-fold similarity, Word↔Generic by fuzzy similarity (a
//!    misspelt generic word), Generic↔Generic, Number↔Number and
//!    LegalForm↔LegalForm by symbol equality; greedy best-pair, each token
//!    used once (Watchman's best-pair, screening.md §4.1);
//! 2. glue: an unmatched Word equal to 2–4 adjacent unmatched Words of the
//!    other side glued together ("Zhongkejingyuan" / "Zhongke Jingyuan");
//! 3. weighted coverage, asymmetric: `Σ s·(wq + wl) / (Σ wq + Σ wl)` where
//!    listed-side weights are a fraction of query-side weights
//!    ([`crate::prepared::LISTED_SIDE_RATIO`]);
//! 4. caps and penalties with reasons: differing numbers, listed distinctive
//!    words absent from the query, too little distinctive evidence.

use chiptrace_text::TokenClass;
use smallvec::SmallVec;

use crate::prepared::{PForm, PTok};
use crate::similarity::{TokenHow, abbreviation, word_similarity, word_similarity_folded};

/// One aligned group: query token indices ↔ listed token indices.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub q: SmallVec<[u8; 2]>,
    pub l: SmallVec<[u8; 2]>,
    pub sim: f32,
    pub how: TokenHow,
}

/// A penalty or cap applied after coverage, with its reason code.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// Both names carry numbers and they differ (sibling units: "38th" / "54th").
    NumberMismatch,
    /// Most distinctive words of the listed name are missing from the query.
    ListedDistinctiveMissing,
    /// The match rests on too few distinctive characters (short common names).
    ShortEvidence,
    /// No distinctive word matched at all (only generic words, places or legal forms).
    NoDistinctiveMatch,
    /// The listed person's family name ("SURNAME, Given") is not in the query.
    FamilyNameMissing,
    /// Only one name of a listed person matched (a single given name or surname).
    SinglePersonName,
    /// Each side has a distinctive word the other lacks: the signature of a
    /// sibling company ("Shenzhen DJI Innovation" / "Shenzhen BMTI Innovation").
    DistinctiveWordDiffers,
    /// Each side has a place the other lacks: a sibling in another city
    /// ("Moore Thread (Shanghai)" / "Moore Thread (Beijing)").
    PlaceDiffers,
    /// The query keeps at most one distinctive word of a listed name whose
    /// other distinctive words it omits ("Ghadir Energy" / "Ghadir Lamord Energy").
    PartialName,
}

/// A penalty with the factor or cap it applied.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Penalty {
    /// Why.
    pub kind: PenaltyKind,
    /// Multiplier applied (for caps: the cap value).
    pub factor: f64,
}

/// Result of aligning two forms.
#[derive(Debug, Clone)]
pub(crate) struct Alignment {
    pub score: f64,
    pub coverage: f64,
    pub pairs: SmallVec<[Pair; 8]>,
    pub penalties: SmallVec<[Penalty; 2]>,
}

/// Tokens per form that take part in scoring (and in explanations): a
/// longer name is compared on its first 32 tokens.
pub(crate) const MAX_TOKENS: usize = 32;

/// Align a query form with a listed form.
pub(crate) fn align(q: &PForm, l: &PForm) -> Alignment {
    let qt = &q.toks[..q.toks.len().min(MAX_TOKENS)];
    let lt = &l.toks[..l.toks.len().min(MAX_TOKENS)];
    let mut qused = [false; MAX_TOKENS];
    let mut lused = [false; MAX_TOKENS];
    let mut pairs: SmallVec<[Pair; 8]> = SmallVec::new();

    // 1. Candidate pairs with similarities.
    let mut cands: SmallVec<[(f32, u8, u8, TokenHow); 32]> = SmallVec::new();
    for (i, a) in qt.iter().enumerate() {
        for (j, b) in lt.iter().enumerate() {
            if let Some((s, how)) = token_pair(a, b) {
                cands.push((s, i as u8, j as u8, how));
            }
        }
    }
    // Best first; ties prefer the same relative position (keeps order).
    cands.sort_unstable_by(|x, y| {
        y.0.total_cmp(&x.0).then_with(|| {
            let dx = (x.1 as i32 - x.2 as i32).abs();
            let dy = (y.1 as i32 - y.2 as i32).abs();
            dx.cmp(&dy)
        })
    });
    for (s, i, j, how) in cands {
        let (iu, ju) = (i as usize, j as usize);
        if qused[iu] || lused[ju] {
            continue;
        }
        qused[iu] = true;
        lused[ju] = true;
        pairs.push(Pair {
            q: SmallVec::from_slice(&[i]),
            l: SmallVec::from_slice(&[j]),
            sim: s,
            how,
        });
    }

    // 2. Glue pass, only when Words are left unmatched on both sides.
    let q_left = qt.iter().enumerate().any(|(i, t)| !qused[i] && t.class == TokenClass::Word);
    let l_left = lt.iter().enumerate().any(|(j, t)| !lused[j] && t.class == TokenClass::Word);
    if q_left && l_left {
        glue(qt, lt, &mut qused, &mut lused, &mut pairs, false);
        glue(lt, qt, &mut lused, &mut qused, &mut pairs, true);
    }
    // 2b. Abbreviations and initials, for what is still unmatched.
    let q_left = qt.iter().enumerate().any(|(i, t)| !qused[i] && t.class == TokenClass::Word);
    let l_left = lt.iter().enumerate().any(|(j, t)| !lused[j] && t.class == TokenClass::Word);
    if q_left || l_left {
        abbreviations(qt, lt, &mut qused, &mut lused, &mut pairs);
        initials(qt, lt, &mut qused, &mut lused, &mut pairs, false);
        initials(lt, qt, &mut lused, &mut qused, &mut pairs, true);
    }
    // 2c. Whole-name glue: the Words of both sides concatenated in order
    // ("Shenzhenshi Zhangge Yiqi" / one pinyin run), when that explains
    // more than the token alignment did.
    let q_left = qt.iter().enumerate().any(|(i, t)| !qused[i] && t.class == TokenClass::Word);
    let l_left = lt.iter().enumerate().any(|(j, t)| !lused[j] && t.class == TokenClass::Word);
    if q_left && l_left {
        whole_glue(qt, lt, &mut qused, &mut lused, &mut pairs);
    }

    // 3. Weighted, asymmetric coverage.
    let mut num = 0f32;
    for p in &pairs {
        let w: f32 = p.q.iter().map(|&i| qt[i as usize].wq).sum::<f32>()
            + p.l.iter().map(|&j| lt[j as usize].wl).sum::<f32>();
        num += w * p.sim;
    }
    let den: f32 = qt.iter().map(|t| t.wq).sum::<f32>() + lt.iter().map(|t| t.wl).sum::<f32>();
    let coverage = if den > 0.0 { f64::from(num / den) } else { 0.0 };
    let mut score = coverage;
    let mut penalties: SmallVec<[Penalty; 2]> = SmallVec::new();

    // 4. Penalties and caps.
    let has_num = |t: &[PTok]| t.iter().any(|x| x.class == TokenClass::Number);
    if has_num(qt) && has_num(lt) {
        let unmatched_num =
            qt.iter().enumerate().any(|(i, t)| t.class == TokenClass::Number && !qused[i])
                || lt.iter().enumerate().any(|(j, t)| t.class == TokenClass::Number && !lused[j]);
        if unmatched_num {
            score *= 0.6;
            penalties.push(Penalty { kind: PenaltyKind::NumberMismatch, factor: 0.6 });
        }
    }
    // A listed Word (place or not) the query did not match.
    let l_word_unmatched =
        lt.iter().enumerate().any(|(j, t)| t.class == TokenClass::Word && !lused[j]);
    // Distinctive (non-place Word) content of the listed name.
    let mut l_dist = 0f32;
    let mut l_dist_matched = 0f32;
    for (j, t) in lt.iter().enumerate() {
        if t.class == TokenClass::Word && !t.place {
            l_dist += t.wl;
            if lused[j] {
                l_dist_matched += t.wl;
            }
        }
    }
    // Evidence that this is *this* party and not any "Shenzhen Technology
    // Co., Ltd." or any "Ali": matched characters of distinctive words
    // (places count half), 3 per matched generic word, 2 per number.
    let mut evidence = 0usize;
    let mut any_word = false;
    for p in &pairs {
        for &i in &p.q {
            let t = &qt[i as usize];
            evidence += match t.class {
                TokenClass::Word if t.place => t.text.len() / 2,
                TokenClass::Word => t.text.len(),
                TokenClass::Generic => 3,
                TokenClass::Number => 2,
                _ => 0,
            };
            if t.class == TokenClass::Word && !t.place {
                any_word = true;
            }
        }
        if p.l.iter().any(|&j| lt[j as usize].class == TokenClass::Word && !lt[j as usize].place) {
            any_word = true;
        }
    }
    if l_dist > 0.0 && l_dist_matched < 0.5 * l_dist {
        score *= 0.75;
        penalties.push(Penalty { kind: PenaltyKind::ListedDistinctiveMissing, factor: 0.75 });
    }
    // Substitutions: unmatched words on both sides.
    let unmatched = |t: &[PTok], used: &[bool; MAX_TOKENS], place: bool| {
        t.iter()
            .enumerate()
            .any(|(i, x)| x.class == TokenClass::Word && x.place == place && !used[i])
    };
    if unmatched(qt, &qused, false) && unmatched(lt, &lused, false) {
        score *= 0.85;
        penalties.push(Penalty { kind: PenaltyKind::DistinctiveWordDiffers, factor: 0.85 });
    }
    if unmatched(qt, &qused, true) && unmatched(lt, &lused, true) {
        score *= 0.9;
        penalties.push(Penalty { kind: PenaltyKind::PlaceDiffers, factor: 0.9 });
    }
    // A listed name made only of generic words and places ("China
    // Electronics Technology Group Corporation") is identified by its
    // generic words: one the query lacks makes it another entity ("China
    // Electronics Corporation" is CEC, not CETC).
    let l_generic_only = !lt.iter().any(|t| t.class == TokenClass::Word && !t.place);
    if l_generic_only
        && lt.iter().enumerate().any(|(j, t)| t.class == TokenClass::Generic && !lused[j])
    {
        score *= 0.8;
        penalties.push(Penalty { kind: PenaltyKind::PartialName, factor: 0.8 });
    }
    if !l.person && unmatched(lt, &lused, false) {
        let q_matched_distinct = qt
            .iter()
            .enumerate()
            .filter(|(i, x)| x.class == TokenClass::Word && !x.place && qused[*i])
            .count();
        if q_matched_distinct <= 1 {
            score *= 0.8;
            penalties.push(Penalty { kind: PenaltyKind::PartialName, factor: 0.8 });
        }
    }
    if lt[0..].iter().any(|t| t.family) && !lt.iter().enumerate().any(|(j, t)| t.family && lused[j])
    {
        let cap = 0.7;
        if score > cap {
            score = cap;
            penalties.push(Penalty { kind: PenaltyKind::FamilyNameMissing, factor: cap });
        }
    }
    if l.person {
        let lwords = lt.iter().filter(|t| t.class == TokenClass::Word).count();
        let lmatched =
            lt.iter().enumerate().filter(|(j, t)| t.class == TokenClass::Word && lused[*j]).count();
        if lwords >= 2 && lmatched <= 1 {
            let cap = 0.7;
            if score > cap {
                score = cap;
                penalties.push(Penalty { kind: PenaltyKind::SinglePersonName, factor: cap });
            }
        }
    }
    // Only generic words, places or legal forms agree while the listed name
    // has a word of its own the query lacks: "Shenzhen Technology Co., Ltd."
    // against "Shenzhen Xinda Technology Co., Ltd.", "International Trading
    // Company" against "Asia International Trading Company".
    if !any_word && l_word_unmatched {
        let cap = 0.5;
        if score > cap {
            score = cap;
            penalties.push(Penalty { kind: PenaltyKind::NoDistinctiveMatch, factor: cap });
        }
    } else if evidence < 4 {
        // A short name that equals the listed name token for token ("NIO",
        // "ZTE Corp") is still shown for review, never as strong; anything
        // less than that stays below the review band.
        let complete = pairs.iter().all(|p| p.sim >= 1.0)
            && qused.iter().take(qt.len()).all(|u| *u)
            && lused.iter().take(lt.len()).all(|u| *u);
        let cap = if complete { 0.85 } else { 0.7 };
        if score > cap {
            score = cap;
            penalties.push(Penalty { kind: PenaltyKind::ShortEvidence, factor: cap });
        }
    }
    Alignment { score: score.clamp(0.0, 1.0), coverage, pairs, penalties }
}

/// Similarity of two tokens when their classes can pair.
fn token_pair(a: &PTok, b: &PTok) -> Option<(f32, TokenHow)> {
    let same = a.hash == b.hash && a.text == b.text;
    match (a.class, b.class) {
        (TokenClass::Word, TokenClass::Word) if same => Some((1.0, TokenHow::Exact)),
        (TokenClass::Word, TokenClass::Word) => {
            let phon_eq = a.phash != 0 && a.phash == b.phash;
            let fold_eq = a.fhash != 0 && a.fhash == b.fhash;
            // Hopeless by the letter bound, and no phonetic code or
            // romanisation fold to rescue it: skip the edit-distance DP
            // (most pairs of a candidate).
            if !phon_eq && !fold_eq {
                // Each edit flips at most two letter bits: beyond twice the
                // edit budget of this pair, no edit path exists.
                let (la, lb) = (a.text.len(), b.text.len());
                let budget = crate::similarity::edit_budget(la.max(lb))
                    .min(crate::similarity::edit_budget(la.min(lb).max(4)));
                if (a.mask ^ b.mask).count_ones() as usize > 2 * budget || la.abs_diff(lb) > budget
                {
                    return None;
                }
            }
            // Pass codes only where they can matter, so the callee compares
            // no strings in vain.
            let near_fold =
                a.fold.as_ref().zip(b.fold.as_ref()).is_some_and(|(x, y)| x.len() == y.len());
            let (fa, fb) = if fold_eq || near_fold {
                (a.fold.as_deref(), b.fold.as_deref())
            } else {
                (None, None)
            };
            let (pa, pb) =
                if phon_eq { (a.phon.as_deref(), b.phon.as_deref()) } else { (None, None) };
            word_similarity_folded(&a.text, &b.text, pa, pb, fa, fb).map(|(s, h)| (s as f32, h))
        }
        // A misspelt or transliterated generic word ("sistems", "technolgy")
        // is not recognised as generic and stays a Word; let it pair with
        // the generic word it resembles, slightly discounted.
        (TokenClass::Word, TokenClass::Generic) | (TokenClass::Generic, TokenClass::Word) => {
            let (w, g) = if a.class == TokenClass::Word { (a, b) } else { (b, a) };
            if w.text.len() < 4 {
                return None;
            }
            // Compare with the canonical form and with the word as written
            // ("Traedrs" is closer to "traders" than to `trading`).
            let mut best: Option<(f64, TokenHow)> = None;
            for gt in [Some(&*g.text), g.surface.as_deref()].into_iter().flatten() {
                if gt.len() < 4 || (w.mask ^ crate::prepared::letter_mask(gt)).count_ones() > 6 {
                    continue;
                }
                if let Some(x) = word_similarity(&w.text, gt, None, None)
                    && best.is_none_or(|b| x.0 > b.0)
                {
                    best = Some(x);
                }
            }
            best.map(|(s, h)| ((s * 0.95) as f32, h))
        }
        (TokenClass::Generic, TokenClass::Generic) | (TokenClass::Number, TokenClass::Number) => {
            same.then_some((1.0, TokenHow::Symbol))
        }
        // A changed legal form (Ltd ↔ LLC) still half-pairs: customer files
        // rewrite legal forms freely, and the weight is small either way.
        (TokenClass::LegalForm, TokenClass::LegalForm) => {
            // Limited-liability forms render one another across languages:
            // 股份有限公司 (jsc) is usually "Co., Ltd." on the lists.
            const LIMITED: &[&str] = &["ltd", "llc", "jsc", "co", "corp", "inc", "plc"];
            let s = if same {
                1.0
            } else if LIMITED.contains(&&*a.text) && LIMITED.contains(&&*b.text) {
                0.9
            } else {
                0.5
            };
            Some((s, TokenHow::Symbol))
        }
        _ => None,
    }
}

/// Record that token `i` of side `a` matched the tokens `run` of side `b`
/// (glue, initials), marking all of them used. `swapped` says whether `a` is
/// the listed side.
#[allow(clippy::too_many_arguments)]
fn pair_one_with_run(
    pairs: &mut SmallVec<[Pair; 8]>,
    aused: &mut [bool; MAX_TOKENS],
    bused: &mut [bool; MAX_TOKENS],
    i: usize,
    run: SmallVec<[u8; 2]>,
    swapped: bool,
    sim: f32,
    how: TokenHow,
) {
    aused[i] = true;
    for &j in &run {
        bused[j as usize] = true;
    }
    let one: SmallVec<[u8; 2]> = SmallVec::from_slice(&[i as u8]);
    let (q, l) = if swapped { (run, one) } else { (one, run) };
    pairs.push(Pair { q, l, sim, how });
}

/// Try to match each unmatched Word of `a` against 2–4 adjacent unmatched
/// Words of `b` glued together. `swapped` says whether `a` is the listed side.
fn glue(
    a: &[PTok],
    b: &[PTok],
    aused: &mut [bool; MAX_TOKENS],
    bused: &mut [bool; MAX_TOKENS],
    pairs: &mut SmallVec<[Pair; 8]>,
    swapped: bool,
) {
    // Indices of b's Words, in order (generic words between them break runs).
    let bwords: SmallVec<[usize; 16]> =
        (0..b.len()).filter(|&j| b[j].class == TokenClass::Word).collect();
    // Glued candidates are built in a stack buffer (tokens are ASCII): this
    // runs for most non-matching candidates and must not allocate.
    let mut buf = [0u8; 64];
    for i in 0..a.len() {
        if aused[i] || a[i].class != TokenClass::Word || a[i].text.len() < 4 {
            continue;
        }
        let target = &*a[i].text;
        let mut best: Option<(f32, usize, usize, TokenHow)> = None;
        for start in 0..bwords.len() {
            let mut blen = 0usize;
            for (k, &j) in bwords.iter().enumerate().skip(start).take(4) {
                if bused[j] || (k > start && j != bwords[k - 1] + 1) {
                    break;
                }
                let t = b[j].text.as_bytes();
                if blen + t.len() > buf.len() {
                    break;
                }
                buf[blen..blen + t.len()].copy_from_slice(t);
                blen += t.len();
                if k == start {
                    continue;
                }
                if blen > target.len() + 3 {
                    break;
                }
                let Ok(glued) = std::str::from_utf8(&buf[..blen]) else { break };
                if let Some((s, h)) =
                    word_similarity(target, glued, None, None).filter(|x| x.0 >= 0.84)
                {
                    let s = if h == TokenHow::Exact { 1.0 } else { s as f32 };
                    if best.is_none_or(|x| s > x.0) {
                        best = Some((s, start, k, h));
                    }
                }
            }
        }
        if let Some((s, start, end, _)) = best {
            let run = bwords[start..=end].iter().map(|&j| j as u8).collect();
            pair_one_with_run(pairs, aused, bused, i, run, swapped, s, TokenHow::Glued);
        }
    }
}

/// Pair unmatched tokens where one abbreviates the other (Word↔Word or
/// Word↔Generic, either direction).
fn abbreviations(
    qt: &[PTok],
    lt: &[PTok],
    qused: &mut [bool; MAX_TOKENS],
    lused: &mut [bool; MAX_TOKENS],
    pairs: &mut SmallVec<[Pair; 8]>,
) {
    let pairable = |t: &PTok| matches!(t.class, TokenClass::Word | TokenClass::Generic);
    for i in 0..qt.len() {
        if qused[i] || !pairable(&qt[i]) {
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for j in 0..lt.len() {
            if lused[j]
                || !pairable(&lt[j])
                || (qt[i].class == TokenClass::Generic && lt[j].class == TokenClass::Generic)
            {
                continue;
            }
            // Query-side abbreviations may drop letters anywhere ("Natl");
            // a listed token only abbreviates by prefix, since short listed
            // tokens are usually acronyms ("ETS" is not "Electronics").
            // A listed generic word is also tried as written ("Industrial"
            // for `industry`, which "Indl" abbreviates).
            let written = lt[j].surface.as_deref().and_then(|w| abbreviation(&qt[i].text, w));
            let s = written.or_else(|| abbreviation(&qt[i].text, &lt[j].text)).or_else(|| {
                { lt[j].text.len() >= 4 && qt[i].text.starts_with(&*lt[j].text) }
                    .then(|| abbreviation(&lt[j].text, &qt[i].text))
                    .flatten()
            });
            if let Some(s) = s
                && best.is_none_or(|b| s > b.0)
            {
                best = Some((s, j));
            }
        }
        if let Some((s, j)) = best {
            qused[i] = true;
            lused[j] = true;
            pairs.push(Pair {
                q: SmallVec::from_slice(&[i as u8]),
                l: SmallVec::from_slice(&[j as u8]),
                sim: s as f32,
                how: TokenHow::Abbreviation,
            });
        }
    }
}

/// Pair an unmatched Word of 2–5 letters of `a` with a run of 2–5 adjacent
/// unmatched Word/Generic tokens of `b` whose initials spell it.
fn initials(
    a: &[PTok],
    b: &[PTok],
    aused: &mut [bool; MAX_TOKENS],
    bused: &mut [bool; MAX_TOKENS],
    pairs: &mut SmallVec<[Pair; 8]>,
    swapped: bool,
) {
    for i in 0..a.len() {
        let t = &a[i];
        let n = t.text.len();
        if aused[i] || t.class != TokenClass::Word || !(2..=5).contains(&n) {
            continue;
        }
        let want = t.text.as_bytes();
        'start: for start in 0..b.len() {
            if start + n > b.len() {
                break;
            }
            for k in 0..n {
                let x = &b[start + k];
                if bused[start + k]
                    || !matches!(x.class, TokenClass::Word | TokenClass::Generic)
                    || x.text.as_bytes().first() != Some(&want[k])
                {
                    continue 'start;
                }
            }
            let run = (start..start + n).map(|j| j as u8).collect();
            pair_one_with_run(pairs, aused, bused, i, run, swapped, 0.85, TokenHow::Initials);
            break;
        }
    }
}

/// Replace the Word pairs by one pair of all Words glued in order on both
/// sides, when the glued strings are within the edit budget and that covers
/// more Words than the token alignment did.
fn whole_glue(
    qt: &[PTok],
    lt: &[PTok],
    qused: &mut [bool; MAX_TOKENS],
    lused: &mut [bool; MAX_TOKENS],
    pairs: &mut SmallVec<[Pair; 8]>,
) {
    let word_pair = |p: &Pair| {
        p.q.iter().all(|&i| qt[i as usize].class == TokenClass::Word)
            && p.l.iter().all(|&j| lt[j as usize].class == TokenClass::Word)
    };
    // Words already paired with a generic word or by initials stay as they are.
    let mut qfixed = [false; MAX_TOKENS];
    let mut lfixed = [false; MAX_TOKENS];
    for p in pairs.iter().filter(|p| !word_pair(p)) {
        p.q.iter().for_each(|&i| qfixed[i as usize] = true);
        p.l.iter().for_each(|&j| lfixed[j as usize] = true);
    }
    let qw: SmallVec<[u8; 8]> = (0..qt.len())
        .filter(|&i| qt[i].class == TokenClass::Word && !qfixed[i])
        .map(|i| i as u8)
        .collect();
    let lw: SmallVec<[u8; 8]> = (0..lt.len())
        .filter(|&j| lt[j].class == TokenClass::Word && !lfixed[j])
        .map(|j| j as u8)
        .collect();
    if qw.len() + lw.len() < 3 || qw.len() > 8 || lw.len() > 8 {
        return;
    }
    let qs: String = qw.iter().map(|&i| &*qt[i as usize].text).collect();
    let ls: String = lw.iter().map(|&j| &*lt[j as usize].text).collect();
    // Spacing, not spelling: at most one edit between the glued strings, or
    // "Chongqing Yunhai" would glue onto "Chongqing Yuntu".
    let Some((s, _)) = word_similarity(&qs, &ls, None, None).filter(|x| x.0 >= 0.84) else {
        return;
    };
    // Current similarity mass on Words, to compare with the glued alternative.
    let current: f32 =
        pairs.iter().filter(|p| word_pair(p)).map(|p| p.sim * (p.q.len() + p.l.len()) as f32).sum();
    let glued = s as f32 * (qw.len() + lw.len()) as f32;
    if glued <= current {
        return;
    }
    pairs.retain(|p| !word_pair(p));
    for &i in &qw {
        qused[i as usize] = true;
    }
    for &j in &lw {
        lused[j as usize] = true;
    }
    pairs.push(Pair {
        q: qw.iter().copied().collect(),
        l: lw.iter().copied().collect(),
        sim: s as f32,
        how: TokenHow::Glued,
    });
}
