//! Han-script evaluation data.
//!
//! Two sources:
//! 1. `eval/han_names.csv`: real Chinese names of listed companies, written
//!    by hand, each with the exact Latin name the list carries (compiled in).
//! 2. Synthetic Han forms of Entity List names whose Latin name is pinyin
//!    plus English generic words: each pinyin syllable of a distinctive word
//!    becomes a common Han character with that single reading (built from the
//!    `pinyin` crate over GB2312 level-1 characters), and generic words,
//!    legal forms and places are translated with this module's own table.
//!    The table is independent of `chiptrace-text` so that the test is not
//!    circular.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

use crate::rng::Rng;
use crate::words::{self, Kind};

/// The hand-written file, compiled into the crate.
pub const HAN_NAMES_CSV: &str = include_str!("../../../eval/han_names.csv");

/// One row of `eval/han_names.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct HanRow {
    /// `han_company` or `han_brand`.
    pub category: String,
    /// `simplified` or `traditional`.
    pub script: String,
    /// The Han-script name.
    pub han: String,
    /// The exact Latin name on the list (primary or alias).
    pub latin: String,
    /// Free-text note.
    #[serde(default)]
    pub note: String,
}

/// Parse the hand-written rows.
pub fn han_rows() -> Vec<HanRow> {
    let mut rdr = csv::Reader::from_reader(HAN_NAMES_CSV.as_bytes());
    rdr.deserialize().map(|r| r.expect("eval/han_names.csv is well-formed")).collect()
}

/// Pinyin syllable → common characters whose only reading it is.
pub struct ReverseMap {
    /// Syllable → characters (GB2312 level 1, single reading).
    pub chars: BTreeMap<String, Vec<char>>,
    /// All plain pinyin syllables of any CJK character (for segmentation).
    pub syllables: HashSet<String>,
}

fn is_gb2312_level1(c: char) -> bool {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    !unmappable && bytes.len() == 2 && (0xB0..=0xD7).contains(&bytes[0]) && bytes[1] >= 0xA1
}

/// The reverse map, built once.
pub fn reverse_map() -> &'static ReverseMap {
    static M: OnceLock<ReverseMap> = OnceLock::new();
    M.get_or_init(|| {
        let mut chars: BTreeMap<String, Vec<char>> = BTreeMap::new();
        let mut syllables = HashSet::new();
        for cp in 0x4E00u32..=0x9FFF {
            let Some(c) = char::from_u32(cp) else { continue };
            let Some(multi) = c.to_pinyin_multi() else { continue };
            let mut readings: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
            readings.sort_unstable();
            readings.dedup();
            for r in &readings {
                // Syllabic nasals (m, n, ng, hm, hng) never occur in names.
                if r.is_ascii() && r.contains(['a', 'e', 'i', 'o', 'u']) {
                    syllables.insert(r.to_string());
                }
            }
            if readings.len() == 1 && readings[0].is_ascii() && is_gb2312_level1(c) {
                chars.entry(readings[0].to_string()).or_default().push(c);
            }
        }
        ReverseMap { chars, syllables }
    })
}

/// Split a folded word into pinyin syllables (fewest syllables wins;
/// at most 5). `None` if it is not pinyin.
pub fn segment(word: &str) -> Option<Vec<String>> {
    let syl = &reverse_map().syllables;
    let b = word.as_bytes();
    if b.is_empty() || !word.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let n = b.len();
    // best[i] = (count, split point) for the prefix of length i.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for i in 1..=n {
        for j in i.saturating_sub(6)..i {
            if let Some((c, _)) = best[j]
                && syl.contains(&word[j..i])
                && best[i].is_none_or(|(bc, _)| c + 1 < bc)
            {
                best[i] = Some((c + 1, j));
            }
        }
    }
    let (count, _) = best[n]?;
    if count > 5 {
        return None;
    }
    let mut out = Vec::new();
    let mut i = n;
    while i > 0 {
        let (_, j) = best[i]?;
        out.push(word[j..i].to_string());
        i = j;
    }
    out.reverse();
    Some(out)
}

/// True when a folded word is a distinctive pinyin word: not generic, not
/// a legal form or place, not an English false friend, and segmentable.
pub fn is_pinyin_word(key: &str) -> bool {
    key.len() >= 2
        && words::kind(key) == Kind::Distinctive
        && !words::PINYIN_FALSE_FRIENDS.contains(&key)
        && segment(key).is_some()
}

/// English → Chinese for generic words, legal forms and phrases (folded
/// word sequences). Several options: one is chosen at random.
const HAN_PHRASES: &[(&[&str], &[&str])] = &[
    // Full-pinyin renderings of legal forms and generic words: a real Han
    // name writes these with their usual characters, never with random
    // homophones.
    (&["gufen", "youxian", "gongsi"], &["股份有限公司"]),
    (&["youxian", "zeren", "gongsi"], &["有限责任公司"]),
    (&["youxian", "gongsi"], &["有限公司"]),
    (&["gongsi"], &["公司"]),
    (&["keji"], &["科技"]),
    (&["jishu"], &["技术"]),
    (&["xinxi"], &["信息"]),
    (&["dianzi"], &["电子"]),
    (&["shiye"], &["实业"]),
    (&["cailiao"], &["材料"]),
    (&["jituan"], &["集团"]),
    (&["maoyi"], &["贸易"]),
    (&["guoji"], &["国际"]),
    (&["co", "ltd"], &["有限公司"]),
    (&["company", "limited"], &["有限公司"]),
    (&["co", "limited"], &["有限公司"]),
    (&["limited", "company"], &["有限公司"]),
    (&["limited"], &["有限公司"]),
    (&["ltd"], &["有限公司"]),
    (&["co"], &["公司"]),
    (&["company"], &["公司"]),
    (&["corporation"], &["公司", "总公司"]),
    (&["corp"], &["公司"]),
    (&["inc"], &["公司"]),
    (&["group"], &["集团"]),
    (&["holding"], &["控股"]),
    (&["holdings"], &["控股"]),
    (&["science", "and", "technology"], &["科技"]),
    (&["sci", "tech"], &["科技"]),
    (&["technology"], &["科技", "技术"]),
    (&["technologies"], &["技术", "科技"]),
    (&["tech"], &["科技"]),
    (&["integrated", "circuit"], &["集成电路"]),
    (&["import", "and", "export"], &["进出口"]),
    (&["import", "export"], &["进出口"]),
    (&["supply", "chain", "management"], &["供应链管理"]),
    (&["supply", "chain"], &["供应链"]),
    (&["new", "energy"], &["新能源"]),
    (&["research", "institute"], &["研究所", "研究院"]),
    (&["research", "center"], &["研究中心"]),
    (&["hong", "kong"], &["香港"]),
    (&["electronic"], &["电子"]),
    (&["electronics"], &["电子"]),
    (&["microelectronics"], &["微电子"]),
    (&["microelectronic"], &["微电子"]),
    (&["semiconductor"], &["半导体"]),
    (&["information"], &["信息"]),
    (&["intelligent"], &["智能"]),
    (&["communication"], &["通信"]),
    (&["communications"], &["通信"]),
    (&["telecommunication"], &["电信"]),
    (&["equipment"], &["设备", "装备"]),
    (&["industry"], &["工业", "实业"]),
    (&["industrial"], &["工业", "实业"]),
    (&["trading"], &["贸易"]),
    (&["trade"], &["贸易"]),
    (&["international"], &["国际"]),
    (&["development"], &["发展", "开发"]),
    (&["digital"], &["数字"]),
    (&["optoelectronic"], &["光电"]),
    (&["optoelectronics"], &["光电"]),
    (&["optical"], &["光学"]),
    (&["precision"], &["精密"]),
    (&["materials"], &["材料"]),
    (&["material"], &["材料"]),
    (&["manufacturing"], &["制造"]),
    (&["aviation"], &["航空"]),
    (&["aerospace"], &["航天"]),
    (&["software"], &["软件"]),
    (&["network"], &["网络"]),
    (&["instrument"], &["仪器"]),
    (&["instruments"], &["仪器"]),
    (&["machinery"], &["机械"]),
    (&["logistics"], &["物流"]),
    (&["investment"], &["投资"]),
    (&["system"], &["系统"]),
    (&["systems"], &["系统"]),
    (&["data"], &["数据"]),
    (&["cloud"], &["云"]),
    (&["computing"], &["计算"]),
    (&["biotechnology"], &["生物科技", "生物技术"]),
    (&["gas"], &["气体"]),
    (&["testing"], &["检测", "测试"]),
    (&["control"], &["控制"]),
    (&["management"], &["管理"]),
    (&["shipbuilding"], &["造船"]),
    (&["navigation"], &["导航"]),
    (&["security"], &["安全"]),
    (&["service"], &["服务"]),
    (&["services"], &["服务"]),
    (&["technical"], &["技术"]),
    (&["automation"], &["自动化"]),
    (&["engineering"], &["工程"]),
    (&["laboratory"], &["实验室"]),
    (&["university"], &["大学"]),
    (&["institute"], &["研究所"]),
    (&["academy"], &["研究院"]),
    (&["center"], &["中心"]),
    (&["design"], &["设计"]),
    (&["sensing"], &["传感"]),
    (&["power"], &["电力"]),
    (&["energy"], &["能源"]),
    (&["chemical"], &["化工"]),
    (&["medical"], &["医疗"]),
    (&["textile"], &["纺织"]),
    (&["apparel"], &["服装"]),
    (&["consulting"], &["咨询"]),
    (&["commerce"], &["商贸"]),
    (&["electric"], &["电气"]),
    (&["electrical"], &["电气"]),
    (&["mechanical"], &["机电"]),
    (&["laser"], &["激光"]),
    (&["microwave"], &["微波"]),
    (&["marine"], &["海洋"]),
    (&["new"], &["新"]),
    (&["enterprise"], &["企业"]),
    (&["capital"], &["资本"]),
    (&["asset"], &["资产"]),
    (&["smart"], &["智慧"]),
    (&["hardware"], &["五金"]),
    (&["metal"], &["金属"]),
    (&["china"], &["中国"]),
];

/// Places: folded key → Han.
const HAN_PLACES: &[(&str, &str)] = &[
    ("beijing", "北京"),
    ("shanghai", "上海"),
    ("shenzhen", "深圳"),
    ("guangzhou", "广州"),
    ("hangzhou", "杭州"),
    ("chengdu", "成都"),
    ("wuhan", "武汉"),
    ("nanjing", "南京"),
    ("tianjin", "天津"),
    ("xian", "西安"),
    ("suzhou", "苏州"),
    ("hefei", "合肥"),
    ("changsha", "长沙"),
    ("wuxi", "无锡"),
    ("xiamen", "厦门"),
    ("chongqing", "重庆"),
    ("harbin", "哈尔滨"),
    ("qingdao", "青岛"),
    ("dalian", "大连"),
    ("zhuhai", "珠海"),
    ("dongguan", "东莞"),
    ("changzhou", "常州"),
    ("jinan", "济南"),
    ("fujian", "福建"),
    ("jiangsu", "江苏"),
    ("zhejiang", "浙江"),
    ("guangdong", "广东"),
    ("sichuan", "四川"),
    ("shaanxi", "陕西"),
    ("shanxi", "山西"),
    ("shandong", "山东"),
    ("hubei", "湖北"),
    ("hunan", "湖南"),
    ("anhui", "安徽"),
    ("xinjiang", "新疆"),
    ("hebei", "河北"),
    ("henan", "河南"),
    ("shenyang", "沈阳"),
    ("taiyuan", "太原"),
    ("kunshan", "昆山"),
    ("ningbo", "宁波"),
    ("guiyang", "贵阳"),
    ("kunming", "昆明"),
    ("nanchang", "南昌"),
    ("fuzhou", "福州"),
    ("zhengzhou", "郑州"),
    ("lanzhou", "兰州"),
    ("shijiazhuang", "石家庄"),
    ("mianyang", "绵阳"),
    ("jiangxi", "江西"),
    ("guizhou", "贵州"),
    ("yunnan", "云南"),
    ("gansu", "甘肃"),
    ("liaoning", "辽宁"),
    ("jilin", "吉林"),
    ("heilongjiang", "黑龙江"),
    ("haining", "海宁"),
    ("lianyungang", "连云港"),
    ("jiangyin", "江阴"),
    ("yantai", "烟台"),
    ("baoding", "保定"),
    ("guangxi", "广西"),
    ("hainan", "海南"),
    ("sanya", "三亚"),
    ("sansha", "三沙"),
    ("zibo", "淄博"),
    ("fushun", "抚顺"),
    ("liaoyang", "辽阳"),
    ("guilin", "桂林"),
    ("tacheng", "塔城"),
    ("hetian", "和田"),
    ("hami", "哈密"),
    ("shihezi", "石河子"),
    ("wujiaqu", "五家渠"),
    ("kelamayi", "克拉玛依"),
    ("changji", "昌吉"),
    ("wulanchabu", "乌兰察布"),
    ("quanjiao", "全椒"),
    ("liyang", "溧阳"),
];

fn han_place(key: &str) -> Option<&'static str> {
    HAN_PLACES.iter().find(|(k, _)| *k == key).map(|(_, h)| *h)
}

/// A synthetic Han form of a Latin Chinese company name, or `None` when the
/// name is not (place +) pinyin + translatable generic words + legal form.
/// Requires at least one distinctive pinyin word.
pub fn synth_han(name: &str, rng: &mut Rng, is_py: &dyn Fn(&str) -> bool) -> Option<String> {
    let map = reverse_map();
    let ws = words::words(name);
    let keys: Vec<&str> = ws.iter().map(|w| w.key.as_str()).collect();
    let mut out = String::new();
    let mut i = 0;
    let mut pinyin_words = 0;
    while i < keys.len() {
        let open = name[..ws[i].start].trim_end().ends_with('(');
        // Longest phrase match first.
        let phrase = HAN_PHRASES
            .iter()
            .filter(|(p, _)| keys[i..].starts_with(p))
            .max_by_key(|(p, _)| p.len());
        let (piece, used) = if let Some((p, opts)) = phrase {
            (opts[rng.below(opts.len())].to_string(), p.len())
        } else if let Some(h) = han_place(keys[i]) {
            (h.to_string(), 1)
        } else if is_py(keys[i]) && !crate::variants::looks_acronym(&ws[i], name) {
            let syl = segment(keys[i])?;
            let mut s = String::new();
            for y in syl {
                let cands = map.chars.get(&y)?;
                s.push(cands[rng.below(cands.len())]);
            }
            pinyin_words += 1;
            (s, 1)
        } else {
            return None;
        };
        let last = i + used - 1;
        let close = name[ws[last].end..].trim_start().starts_with(')');
        if open && close {
            out.push('（');
            out.push_str(&piece);
            out.push('）');
        } else {
            out.push_str(&piece);
        }
        i += used;
    }
    (pinyin_words > 0).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse() {
        let rows = han_rows();
        assert!(rows.iter().filter(|r| r.category == "han_company").count() >= 120);
        assert!(rows.iter().filter(|r| r.script == "traditional").count() >= 20);
    }

    #[test]
    fn reverse_map_has_common_syllables() {
        let m = reverse_map();
        for s in ["hua", "wei", "zhong", "ke", "jing", "yuan"] {
            assert!(m.chars.get(s).is_some_and(|v| !v.is_empty()), "{s}");
        }
        assert!(m.syllables.len() > 380);
    }

    #[test]
    fn segmentation() {
        assert_eq!(segment("jingyuan").unwrap(), ["jing", "yuan"]);
        assert_eq!(segment("zhongkejingyuan").unwrap(), ["zhong", "ke", "jing", "yuan"]);
        assert!(segment("hikvision").is_none());
        assert!(is_pinyin_word("huawei"));
        assert!(!is_pinyin_word("technology"));
    }

    #[test]
    fn synthetic_forms() {
        let mut r = Rng::new(1, "t");
        let h = synth_han("Beijing Zhipu Huazhang Technology Co., Ltd.", &mut r, &is_pinyin_word)
            .unwrap();
        assert!(h.starts_with("北京") && h.ends_with("有限公司"), "{h}");
        assert_eq!(h.chars().count(), 2 + 4 + 2 + 4);
        let h = synth_han(
            "Cambricon (Kunshan) Information Technology Co., Ltd.",
            &mut r,
            &is_pinyin_word,
        );
        assert!(h.is_none());
        let h = synth_han("Tuojing (Shanghai) Co., Ltd.", &mut r, &is_pinyin_word).unwrap();
        assert!(h.contains("（上海）"), "{h}");
    }
}
