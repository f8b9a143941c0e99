//! Normalisers for the identifying fields of a record: phones, e-mails,
//! websites, registration ids, dates and addresses. Names are read with
//! `chiptrace-text` (see `features.rs`).
//!
//! Every function accepts any `&str` and returns `None` when nothing usable
//! is left; none panics.

use serde::Serialize;

/// Digits of the national number kept as the phone key: the last 8 digits
/// identify a line in every numbering plan we see (SG and HK numbers are 8
/// digits; longer plans share their trailing digits, shorter area-code
/// variants are rare and then missing is better than wrong).
pub const PHONE_KEY_DIGITS: usize = 8;

/// A normalised phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    /// Country calling code, when written (`+65`, `0065`) or implied by the
    /// record's country.
    pub country_code: Option<String>,
    /// The national significant number (digits, trunk `0` removed).
    pub national: String,
    /// Comparison key: the last [`PHONE_KEY_DIGITS`] digits of `national`.
    pub key: String,
}

/// Calling codes of the countries that matter for diversion (and a few
/// more), by ISO alpha-2.
const CALLING_CODES: &[(&str, &str)] = &[
    ("AE", "971"),
    ("AU", "61"),
    ("CN", "86"),
    ("DE", "49"),
    ("FR", "33"),
    ("GB", "44"),
    ("HK", "852"),
    ("ID", "62"),
    ("IN", "91"),
    ("JP", "81"),
    ("KR", "82"),
    ("MO", "853"),
    ("MY", "60"),
    ("NL", "31"),
    ("PH", "63"),
    ("RU", "7"),
    ("SG", "65"),
    ("TH", "66"),
    ("TR", "90"),
    ("TW", "886"),
    ("US", "1"),
    ("VN", "84"),
];

/// The calling code of a country (ISO alpha-2, any case).
pub fn calling_code(country: &str) -> Option<&'static str> {
    let c = country.trim().to_ascii_uppercase();
    CALLING_CODES.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

/// Normalise a phone number: digits only; a leading `+` or `00` introduces
/// a calling code, which is recognised from the table and removed; a
/// leading trunk `0` is removed; the key is the last 8 digits. Fewer than 7
/// national digits → `None` (extensions and short codes are not evidence).
///
/// ```
/// use chiptrace_er::normalize::normalize_phone;
/// let a = normalize_phone("+65 6123 4567", Some("SG")).unwrap();
/// let b = normalize_phone("61234567", Some("SG")).unwrap();
/// let c = normalize_phone("(0065) 6123-4567", None).unwrap();
/// assert_eq!(a.key, "61234567");
/// assert_eq!(a.key, b.key);
/// assert_eq!(c.country_code.as_deref(), Some("65"));
/// ```
pub fn normalize_phone(raw: &str, country: Option<&str>) -> Option<Phone> {
    // Cut extensions ("ext 12", "x12").
    let lower = raw.to_ascii_lowercase();
    let main = lower.split(['x', ';', ',']).next().unwrap_or("");
    let main = main.split("ext").next().unwrap_or("");
    let trimmed = main.trim_start();
    let intl_plus = trimmed.starts_with('+');
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 20 {
        return None;
    }
    let (intl, rest) = if intl_plus {
        (true, digits.as_str())
    } else if let Some(r) = digits.strip_prefix("00") {
        (true, r)
    } else {
        (false, digits.as_str())
    };
    let mut cc: Option<String> = None;
    let mut national = rest;
    if intl {
        // Longest calling code that prefixes the number.
        let mut best: Option<&str> = None;
        for (_, code) in CALLING_CODES {
            if rest.starts_with(code) && best.is_none_or(|b| code.len() > b.len()) {
                best = Some(code);
            }
        }
        if let Some(code) = best {
            cc = Some(code.to_string());
            national = &rest[code.len()..];
        }
    } else if let Some(code) = country.and_then(calling_code) {
        cc = Some(code.to_string());
        // A national number written with its calling code but no "+".
        if rest.starts_with(code) && rest.len() >= code.len() + 8 {
            national = &rest[code.len()..];
        }
    }
    let national = national.trim_start_matches('0');
    if national.len() < 7 {
        return None;
    }
    let key = national[national.len().saturating_sub(PHONE_KEY_DIGITS)..].to_string();
    Some(Phone { country_code: cc, national: national.to_string(), key })
}

/// Free-mail and ISP mailbox domains: a shared one is no evidence that two
/// records are the same company.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.com.sg",
    "yahoo.com.hk",
    "yahoo.co.th",
    "yahoo.com.tw",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "aliyun.com",
    "139.com",
    "singnet.com.sg",
    "pacific.net.sg",
    "netvigator.com",
    "hinet.net",
    "naver.com",
    "daum.net",
    "rediffmail.com",
    "zoho.com",
];

/// True if `domain` (registrable or full) is a free-mail or ISP mailbox
/// domain.
///
/// ```
/// assert!(chiptrace_er::normalize::is_free_mail("qq.com"));
/// assert!(chiptrace_er::normalize::is_free_mail("GMAIL.com"));
/// assert!(!chiptrace_er::normalize::is_free_mail("veltrix.com.sg"));
/// ```
pub fn is_free_mail(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    FREE_MAIL.iter().any(|f| d == *f || d.ends_with(&format!(".{f}")))
}

/// Second-level labels under which country-code domains register names
/// (`veltrix.com.sg`, `example.co.uk`).
const SECOND_LEVEL: &[&str] = &["com", "co", "net", "org", "gov", "edu", "ac", "or", "ne", "go"];

/// The registrable domain of a host name: the last two labels, or three
/// when the second-level label is a generic one under a two-letter country
/// code (`mail.veltrix.com.sg` → `veltrix.com.sg`).
///
/// ```
/// use chiptrace_er::normalize::registrable_domain;
/// assert_eq!(registrable_domain("mail.veltrix.com.sg").as_deref(), Some("veltrix.com.sg"));
/// assert_eq!(registrable_domain("WWW.Example.DE").as_deref(), Some("example.de"));
/// assert_eq!(registrable_domain("localhost"), None);
/// ```
pub fn registrable_domain(host: &str) -> Option<String> {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if h.is_empty()
        || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        || h.split('.').any(str::is_empty)
    {
        return None;
    }
    let labels: Vec<&str> = h.split('.').collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let tld = labels[n - 1];
    if tld.bytes().all(|b| b.is_ascii_digit()) {
        return None; // an IP address
    }
    let take =
        if n >= 3 && tld.len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) { 3 } else { 2 };
    Some(labels[n - take..].join("."))
}

/// The registrable domain of a website (`https://www.veltrix.com.sg/about`
/// → `veltrix.com.sg`). Free-mail hosts are kept (a website on them is odd
/// but is what it is).
///
/// ```
/// use chiptrace_er::normalize::website_domain;
/// assert_eq!(website_domain("https://www.veltrix.com.sg/about?x=1").as_deref(), Some("veltrix.com.sg"));
/// assert_eq!(website_domain("veltrix.com.sg").as_deref(), Some("veltrix.com.sg"));
/// assert_eq!(website_domain("n/a"), None);
/// ```
pub fn website_domain(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.split_once("://").map_or(s, |(_, r)| r);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit('@').next().unwrap_or(""); // user:pass@host
    let s = s.split(':').next().unwrap_or(""); // port
    registrable_domain(s)
}

/// A normalised e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email {
    /// The whole address, lower-case.
    pub address: String,
    /// Local part (before `@`), lower-case, `+tag` removed.
    pub local: String,
    /// The domain, lower-case.
    pub domain: String,
    /// Its registrable domain.
    pub registrable: String,
    /// The domain is a free-mail provider.
    pub free_mail: bool,
}

/// Normalise an e-mail address: lower-case, `+tag` dropped from the local
/// part, the domain reduced to its registrable domain and classified.
///
/// ```
/// use chiptrace_er::normalize::normalize_email;
/// let e = normalize_email(" Sales+quotes@Mail.Veltrix.com.SG ").unwrap();
/// assert_eq!(e.local, "sales");
/// assert_eq!(e.registrable, "veltrix.com.sg");
/// assert!(!e.free_mail);
/// assert!(normalize_email("veltrix.sg@qq.com").unwrap().free_mail);
/// assert!(normalize_email("not an address").is_none());
/// ```
pub fn normalize_email(raw: &str) -> Option<Email> {
    let s = raw.trim().trim_start_matches("mailto:").to_ascii_lowercase();
    let (local, domain) = s.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or("").trim();
    if local.is_empty() || local.contains(char::is_whitespace) {
        return None;
    }
    let registrable = registrable_domain(domain)?;
    let free_mail = is_free_mail(&registrable) || is_free_mail(domain);
    Some(Email {
        address: format!("{local}@{}", domain.trim()),
        local: local.to_string(),
        domain: domain.trim().to_string(),
        registrable,
        free_mail,
    })
}

/// Normalise a registration id: upper-case ASCII letters and digits only
/// (`2019-12345-K` and `201912345k` agree). Ids without a digit ("N/A",
/// "PENDING") and ids shorter than 3 characters are `None`.
///
/// ```
/// use chiptrace_er::normalize::normalize_registration_id;
/// assert_eq!(normalize_registration_id("2019-12345-k").as_deref(), Some("201912345K"));
/// assert_eq!(normalize_registration_id(" HRB 123 45 ").as_deref(), Some("HRB12345"));
/// assert_eq!(normalize_registration_id("n/a"), None);
/// ```
pub fn normalize_registration_id(raw: &str) -> Option<String> {
    let s: String = chiptrace_text::normalize_basic(raw)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() < 3 || s.len() > 40 || !s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(s)
}

/// Normalise a date to `YYYYMMDD` (or `YYYYMM` / `YYYY` when only that is
/// known). Accepts `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `DD.MM.YYYY`,
/// `DD/MM/YYYY`; other shapes → `None`. Values are not checked against a
/// calendar (FEBRL corrupts digits; the comparison handles typos).
///
/// ```
/// use chiptrace_er::normalize::normalize_date;
/// assert_eq!(normalize_date("1951-11-11").as_deref(), Some("19511111"));
/// assert_eq!(normalize_date("19511111").as_deref(), Some("19511111"));
/// assert_eq!(normalize_date("11.11.1951").as_deref(), Some("19511111"));
/// assert_eq!(normalize_date("soon"), None);
/// ```
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let parts: Vec<&str> = s.split(['-', '/', '.', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    match parts.as_slice() {
        [one] if matches!(one.len(), 4 | 6 | 8) => Some(one.to_string()),
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            Some(format!("{y}{:0>2}{:0>2}", m, d))
        }
        [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            Some(format!("{y}{:0>2}{:0>2}", m, d))
        }
        [y, m] if y.len() == 4 && m.len() <= 2 => Some(format!("{y}{:0>2}", m)),
        _ => None,
    }
}

/// A normalised address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    /// House / street number.
    pub street_number: Option<String>,
    /// Street name, lower-case ASCII with common words abbreviated
    /// (`robinson rd`, `jln ampang`).
    pub street: Option<String>,
    /// Unit / floor (`2-0` for `#02-00`, `5` for `Unit 5`).
    pub unit: Option<String>,
    /// Postcode found in the address lines, when the record has none.
    pub postcode: Option<String>,
}

const STREET_WORDS: &[(&str, &str)] = &[
    ("road", "rd"),
    ("street", "st"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("boulevard", "blvd"),
    ("building", "bldg"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("place", "pl"),
    ("crescent", "cres"),
    ("circuit", "cct"),
    ("close", "cl"),
    ("court", "ct"),
    ("highway", "hwy"),
    ("jalan", "jln"),
    ("tower", "twr"),
    ("centre", "ctr"),
    ("center", "ctr"),
    ("industrial", "ind"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("terrace", "tce"),
    ("square", "sq"),
    ("parade", "pde"),
];

const UNIT_WORDS: &[&str] = &["unit", "suite", "ste", "level", "lvl", "floor", "fl", "room", "rm"];

fn strip_zeros(s: &str) -> String {
    let t = s.trim_start_matches('0');
    if t.is_empty() { "0".to_string() } else { t.to_string() }
}

/// Normalise address lines. `street_number` overrides the number found in
/// the first line. `#05-12`, `05-12`, `Unit 5-12` and `Level 5 Unit 12`
/// give the unit; a 4–6 digit token in a later line is taken as postcode.
///
/// ```
/// use chiptrace_er::normalize::normalize_address;
/// let a = normalize_address(&["80 Robinson Road #02-00".into(), "Singapore 068898".into()], None);
/// let b = normalize_address(&["80 ROBINSON RD, 02-00".into()], None);
/// assert_eq!(a.street, b.street);
/// assert_eq!(a.street_number.as_deref(), Some("80"));
/// assert_eq!(a.unit, b.unit);
/// assert_eq!(a.postcode.as_deref(), Some("068898"));
/// ```
pub fn normalize_address(lines: &[String], street_number: Option<&str>) -> Address {
    let mut out = Address::default();
    let first = lines.first().map(String::as_str).unwrap_or("");
    // "#02-00" → unit marker before punctuation is folded away.
    let marked = first.replace('#', " unit ");
    let mut words: Vec<String> = Vec::new();
    for w in marked.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.is_empty() {
            continue;
        }
        words.push(w.to_string());
    }
    let mut street: Vec<String> = Vec::new();
    let mut unit_parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() && street.len() < 16 {
        let w = &words[i];
        let lw = chiptrace_text::normalize_basic(w);
        let is_unit_word = UNIT_WORDS.contains(&lw.as_str());
        let dash_num = w.split('-').count() == 2
            && w.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if is_unit_word {
            if let Some(n) = words.get(i + 1) {
                let parts: Vec<String> = n
                    .split('-')
                    .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .map(strip_zeros)
                    .collect();
                if !parts.is_empty() {
                    unit_parts.extend(parts);
                    i += 2;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if dash_num {
            unit_parts.extend(w.split('-').map(strip_zeros));
            i += 1;
            continue;
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            if out.street_number.is_none() && street.is_empty() {
                out.street_number = Some(strip_zeros(w));
            }
            i += 1;
            continue;
        }
        for t in lw.split_whitespace() {
            let t = STREET_WORDS.iter().find(|(k, _)| *k == t).map_or(t, |(_, v)| v);
            street.push(t.to_string());
        }
        i += 1;
    }
    if let Some(n) = street_number.map(str::trim).filter(|n| !n.is_empty()) {
        let d: String = n.chars().filter(char::is_ascii_alphanumeric).collect();
        if !d.is_empty() {
            out.street_number = Some(strip_zeros(&d.to_ascii_lowercase()));
        }
    }
    if !street.is_empty() {
        out.street = Some(street.join(" "));
    }
    if !unit_parts.is_empty() {
        out.unit = Some(unit_parts.join("-"));
    }
    for line in lines.iter().skip(1) {
        for t in line.split(|c: char| !c.is_ascii_digit()) {
            if (4..=6).contains(&t.len()) {
                out.postcode = Some(t.to_string());
            }
        }
    }
    out
}

/// Normalise a postcode: ASCII letters and digits, upper-case.
pub fn normalize_postcode(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(12)
        .collect();
    (!s.is_empty()).then_some(s)
}

/// Normalise a short free-text field (person name part, city, state):
/// `chiptrace_text::normalize_basic`, then non-Latin letters romanised with
/// the text pipeline's person reading. Empty → `None`.
pub fn normalize_text(raw: &str) -> Option<String> {
    let b = chiptrace_text::normalize_basic(raw);
    if b.is_empty() {
        return None;
    }
    if b.is_ascii() {
        return Some(b);
    }
    let forms = chiptrace_text::analyze_name(raw, chiptrace_text::NameType::Person);
    let joined = forms
        .first()
        .map(|f| f.tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    (!joined.is_empty()).then_some(joined)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;

    #[test]
    fn phone_formats_agree() {
        let forms = ["+65 6123 4567", "61234567", "0065-6123-4567", "+65 (6123) 4567 ext 89"];
        let keys: Vec<String> =
            forms.iter().filter_map(|f| normalize_phone(f, Some("SG"))).map(|p| p.key).collect();
        assert_eq!(keys.len(), forms.len());
        assert!(keys.iter().all(|k| k == "61234567"), "{keys:?}");
        let cn = normalize_phone("+86 755 8888 1234", None).unwrap();
        assert_eq!(cn.country_code.as_deref(), Some("86"));
        assert_eq!(cn.key, "88881234");
        let cn_local = normalize_phone("0755-8888-1234", Some("CN")).unwrap();
        assert_eq!(cn_local.national, "75588881234");
        assert_eq!(cn.key, cn_local.key);
        assert!(normalize_phone("12345", None).is_none());
        assert!(normalize_phone("", None).is_none());
        assert!(normalize_phone("call me", Some("SG")).is_none());
    }

    #[test]
    fn email_and_domains() {
        let e = normalize_email("John.Tan@veltrix.com.sg").unwrap();
        assert_eq!(e.registrable, "veltrix.com.sg");
        assert_eq!(e.local, "john.tan");
        for free in ["x@gmail.com", "x@qq.com", "x@163.com", "x@outlook.com", "x@vip.163.com"] {
            assert!(normalize_email(free).unwrap().free_mail, "{free}");
        }
        assert!(normalize_email("@veltrix.com").is_none());
        assert!(normalize_email("a@b").is_none());
        assert_eq!(website_domain("http://shop.acme.co.uk:8080/x").as_deref(), Some("acme.co.uk"));
        assert_eq!(website_domain("10.0.0.1"), None);
        assert_eq!(registrable_domain("a..b"), None);
    }

    #[test]
    fn registration_ids_and_dates() {
        assert_eq!(
            normalize_registration_id("91440300MA5F0X1Y2Z"),
            Some("91440300MA5F0X1Y2Z".into())
        );
        assert_eq!(normalize_registration_id("12-3456789"), Some("123456789".into()));
        assert_eq!(normalize_registration_id("--"), None);
        assert_eq!(normalize_date("2019/3/7").as_deref(), Some("20190307"));
        assert_eq!(normalize_date("7/3/2019").as_deref(), Some("20190307"));
        assert_eq!(normalize_date("1999"), Some("1999".into()));
        assert_eq!(normalize_date("12-ab-2000"), None);
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn address_units_and_streets() {
        let a = normalize_address(&["10 Anson Road #21-07 International Plaza".into()], None);
        let b = normalize_address(&["10 Anson Rd, Unit 21-07, International Plaza".into()], None);
        assert_eq!(a.street_number.as_deref(), Some("10"));
        assert_eq!(a.unit.as_deref(), Some("21-7"));
        assert_eq!(a, b);
        let c = normalize_address(&["stanley street".into()], Some("8"));
        assert_eq!(c.street.as_deref(), Some("stanley st"));
        assert_eq!(c.street_number.as_deref(), Some("8"));
        let empty = normalize_address(&[], None);
        assert_eq!(empty, Address::default());
    }

    #[test]
    fn text_romanises() {
        assert_eq!(normalize_text("  Zoë ").as_deref(), Some("zoe"));
        assert!(normalize_text("张伟").is_some_and(|s| s.is_ascii()));
        assert_eq!(normalize_text(" - "), None);
    }
}
