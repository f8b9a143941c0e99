//! Integration tests of the public API of chiptrace-text: the cases the
//! screening crate relies on, written as a user of the crate would.

use chiptrace_text::{
    CyrillicScheme, FormOrigin, NameForm, NameType, TokenClass, analyze_name, country_code,
    has_han, normalize_basic, phonetic_key, skeleton, table_stats,
};

fn texts(f: &NameForm) -> Vec<&str> {
    f.tokens.iter().map(|t| t.text.as_str()).collect()
}

fn classes(f: &NameForm) -> Vec<TokenClass> {
    f.tokens.iter().map(|t| t.class).collect()
}

fn first(raw: &str, ty: NameType) -> NameForm {
    let forms = analyze_name(raw, ty);
    assert!(!forms.is_empty(), "no form for {raw:?}");
    forms[0].clone()
}

/// Words of a form, concatenated: the scorer compares modulo token
/// split/merge ("zhongke jingyuan" vs "zhongkejingyuan").
fn joined_words(f: &NameForm) -> String {
    f.tokens.iter().filter(|t| t.class == TokenClass::Word).map(|t| t.text.as_str()).collect()
}

fn non_words(f: &NameForm) -> Vec<(&str, TokenClass)> {
    f.tokens
        .iter()
        .filter(|t| t.class != TokenClass::Word)
        .map(|t| (t.text.as_str(), t.class))
        .collect()
}

#[test]
fn huawei_in_three_scripts() {
    let latin = first("Huawei Technologies Co., Ltd.", NameType::Organization);
    for han in ["華為技術有限公司", "华为技术有限公司"] {
        let h = first(han, NameType::Organization);
        assert_eq!(joined_words(&h), joined_words(&latin), "{han}");
        assert_eq!(non_words(&h), non_words(&latin), "{han}");
    }
    assert_eq!(
        non_words(&latin),
        [("technology", TokenClass::Generic), ("ltd", TokenClass::LegalForm)]
    );
}

#[test]
fn entity_list_chinese_company() {
    let han = first("北京中科晶源电子科技有限公司", NameType::Organization);
    assert_eq!(texts(&han), ["beijing", "zhongkejingyuan", "electronics", "technology", "ltd"]);
    use TokenClass::*;
    assert_eq!(classes(&han), [Word, Word, Generic, Generic, LegalForm]);
    let list =
        first("Beijing Zhongke Jingyuan Electronic Technology Co., Ltd.", NameType::Organization);
    assert_eq!(joined_words(&list), joined_words(&han));
    assert_eq!(non_words(&list), non_words(&han));
}

#[test]
fn abbreviated_list_name() {
    let f = first("SHENZHEN WOKE COMM & TRADE CO LTD", NameType::Organization);
    use TokenClass::*;
    assert_eq!(texts(&f), ["shenzhen", "woke", "communication", "and", "trading", "ltd"]);
    assert_eq!(classes(&f), [Word, Word, Generic, Stop, Generic, LegalForm]);
}

#[test]
fn legal_forms() {
    let lf = |s: &str| -> Vec<String> {
        first(s, NameType::Organization)
            .tokens
            .into_iter()
            .filter(|t| t.class == TokenClass::LegalForm)
            .map(|t| t.text)
            .collect()
    };
    assert_eq!(lf("Maju Jaya Sdn. Bhd."), ["ltd"]);
    assert_eq!(lf("Gulf Star FZE"), ["fze"]);
    assert_eq!(lf("Acme Co., Ltd."), ["ltd"]);
    let f = first("ООО «Рога и копыта»", NameType::Organization);
    assert_eq!(texts(&f), ["llc", "roga", "i", "kopyta"]);
    assert_eq!(f.tokens[0].class, TokenClass::LegalForm);
    assert_eq!(f.tokens[2].class, TokenClass::Stop);
}

#[test]
fn homoglyph_evasion() {
    let forms = analyze_name("Нuawei", NameType::Organization);
    assert_eq!(texts(&forms[0]), ["huawei"]);
    assert_eq!(forms[0].origin, FormOrigin::Homoglyph);
    assert_eq!(skeleton("Нuawei"), skeleton("Huawei"));
}

#[test]
fn cyrillic_person() {
    let forms = analyze_name("Дмитрий Щербаков", NameType::Person);
    let all: Vec<String> = forms.iter().map(|f| texts(f).join(" ")).collect();
    assert!(all.iter().any(|s| s == "dmitry shcherbakov"), "{all:?}");
    assert!(all.iter().any(|s| s == "dmitriy shcherbakov"), "{all:?}");
    let schemes: Vec<FormOrigin> = forms.iter().map(|f| f.origin).collect();
    assert!(schemes.contains(&FormOrigin::Cyrillic(CyrillicScheme::Icao)));
    assert!(schemes.contains(&FormOrigin::Cyrillic(CyrillicScheme::Gost)));
}

#[test]
fn ofac_person_reordered() {
    let forms = analyze_name("ABU TAIR, Mohammed Mahmud", NameType::Person);
    assert_eq!(forms[0].origin, FormOrigin::PersonReordered);
    assert_eq!(texts(&forms[0]), ["mohammed", "mahmud", "abu", "tair"]);
    // For organisations the comma is a separator.
    let forms = analyze_name("ABU TAIR, Mohammed Mahmud", NameType::Organization);
    assert_eq!(texts(&forms[0]), ["abu", "tair", "mohammed", "mahmud"]);
    assert_eq!(forms.len(), 1);
}

#[test]
fn chinese_numbered_institute() {
    let han = first("中国电子科技集团公司第十四研究所", NameType::Organization);
    let list = first(
        "China Electronics Technology Group Corporation 14th Research Institute",
        NameType::Organization,
    );
    let nums = |f: &NameForm| -> Vec<String> {
        f.tokens.iter().filter(|t| t.class == TokenClass::Number).map(|t| t.text.clone()).collect()
    };
    assert_eq!(nums(&han), ["14"]);
    assert_eq!(nums(&list), ["14"]);
    let generic = |f: &NameForm| -> Vec<String> {
        f.tokens.iter().filter(|t| t.class == TokenClass::Generic).map(|t| t.text.clone()).collect()
    };
    assert_eq!(generic(&han), generic(&list));
}

#[test]
fn brand_alternates_reach_the_list_spelling() {
    let forms = analyze_name("杭州海康威视数字技术股份有限公司", NameType::Organization);
    let list = first("Hangzhou Hikvision Digital Technology Co., Ltd.", NameType::Organization);
    assert!(forms.iter().any(|f| joined_words(f) == joined_words(&list)), "{forms:?}");
}

#[test]
fn limits() {
    for ty in [NameType::Person, NameType::Organization, NameType::Any] {
        assert!(analyze_name("", ty).is_empty());
        assert!(analyze_name("  ., ; -- ", ty).is_empty());
        let huge = "Ж华a1 ".repeat(25_000);
        let forms = analyze_name(&huge, ty);
        assert!(forms.len() <= 8);
        assert!(forms.iter().all(|f| f.tokens.len() <= 64));
    }
}

#[test]
fn helpers() {
    assert_eq!(normalize_basic("ＡＢＣ Straße"), "abc strasse");
    assert!(has_han("華"));
    assert_eq!(phonetic_key("Smith"), Some("SM0".to_string()));
    assert_eq!(phonetic_key("x"), None);
    assert_eq!(country_code("Crimea Region of Ukraine"), Some("UA"));
    assert_eq!(country_code("hong kong"), Some("HK"));
    assert_eq!(country_code("Burma"), Some("MM"));
}

#[test]
fn table_sizes() {
    let s = table_stats();
    assert!(s.legal_form_aliases >= 300, "{s:?}");
    assert!(s.legal_form_codes >= 25, "{s:?}");
    assert!(s.generic_canonicals >= 150, "{s:?}");
    assert!(s.han_places >= 60, "{s:?}");
    assert!(s.country_codes >= 498, "{s:?}");
}

#[test]
fn token_json_shape() {
    // The screening crate serialises forms into explanations.
    let f = first("Foo Ltd", NameType::Organization);
    let v = serde_json_like(&f);
    assert_eq!(v, "Latin:foo/Word,ltd/LegalForm");
}

fn serde_json_like(f: &NameForm) -> String {
    let toks: Vec<String> = f.tokens.iter().map(|t| format!("{}/{:?}", t.text, t.class)).collect();
    format!("{:?}:{}", f.origin, toks.join(","))
}
