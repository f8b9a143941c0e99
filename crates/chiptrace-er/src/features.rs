//! A record prepared for comparison: every field normalised once.

use chiptrace_text::{NameType, TokenClass, analyze_name, is_place};

use crate::normalize::{
    Email, normalize_address, normalize_date, normalize_email, normalize_phone, normalize_postcode,
    normalize_registration_id, normalize_text, website_domain,
};
use crate::record::{Kind, Record};

/// Most name forms kept per record (primary name and alternative names,
/// each with its readings).
const MAX_FORMS: usize = 12;
/// Alternative names read per record.
const MAX_ALT_NAMES: usize = 8;

/// One comparable name token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NameTok {
    pub text: String,
    pub class: TokenClass,
    /// A place word (weighs little, never distinguishes two companies).
    pub place: bool,
}

impl NameTok {
    /// Weight of the token in the name similarity.
    pub fn weight(&self) -> f32 {
        match self.class {
            TokenClass::Word if self.place => 0.3,
            TokenClass::Word => 1.0,
            TokenClass::Generic => 0.4,
            TokenClass::Number => 0.5,
            TokenClass::LegalForm => 0.2,
            TokenClass::Stop => 0.0,
        }
    }

    /// A word that names the entity (brand, generic word, place): two
    /// company names that each keep one unmatched differ.
    pub fn names_entity(&self) -> bool {
        matches!(self.class, TokenClass::Word | TokenClass::Generic)
    }

    /// A distinctive token: a word or generic word that is not a place.
    pub fn distinctive(&self) -> bool {
        matches!(self.class, TokenClass::Word | TokenClass::Generic) && !self.place
    }
}

/// One reading of one name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Form {
    pub toks: Vec<NameTok>,
}

/// A normalised record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    pub kind: Kind,
    pub source: u32,
    pub forms: Vec<Form>,
    /// Exact-name key: the primary reading without stopwords and legal
    /// forms (`shenzhen huaxin technology`).
    pub name_key: Option<String>,
    pub given: Option<String>,
    pub surname: Option<String>,
    pub date: Option<String>,
    pub reg_id: Option<String>,
    pub phone_key: Option<String>,
    pub email: Option<Email>,
    /// Corporate domain: the website's registrable domain, else a
    /// non-free-mail e-mail domain.
    pub domain: Option<String>,
    pub street_number: Option<String>,
    pub street: Option<String>,
    pub unit: Option<String>,
    pub locality: Option<String>,
    pub postcode: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub parent_id: Option<String>,
    pub hq_country: Option<String>,
}

fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_deref().and_then(normalize_text)
}

fn forms_of(raw: &str, ty: NameType) -> Vec<Form> {
    analyze_name(raw, ty)
        .into_iter()
        .map(|f| Form {
            toks: f
                .tokens
                .into_iter()
                .filter(|t| t.class != TokenClass::Stop)
                .map(|t| {
                    let place = t.class == TokenClass::Word && is_place(&t.text);
                    NameTok { text: t.text, class: t.class, place }
                })
                .collect(),
        })
        .filter(|f: &Form| !f.toks.is_empty())
        .collect()
}

/// The country as ISO alpha-2 (names and alpha-3 mapped).
pub(crate) fn country_of(raw: &Option<String>) -> Option<String> {
    let s = raw.as_deref()?.trim();
    if s.is_empty() {
        return None;
    }
    chiptrace_text::country_code(s).map(str::to_string)
}

impl Features {
    pub fn new(r: &Record, source: u32) -> Features {
        let ty = match r.kind {
            Kind::Company => NameType::Organization,
            Kind::Person => NameType::Person,
        };
        let mut forms: Vec<Form> = Vec::new();
        for name in std::iter::once(&r.name).chain(r.alt_names.iter().take(MAX_ALT_NAMES)) {
            for f in forms_of(name, ty) {
                if forms.len() < MAX_FORMS && !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        let name_key = forms.first().and_then(|f| {
            let k: Vec<&str> = f
                .toks
                .iter()
                .filter(|t| t.class != TokenClass::LegalForm)
                .map(|t| t.text.as_str())
                .collect();
            (!k.is_empty()).then(|| k.join(" "))
        });
        let country = country_of(&r.country);
        let email = r.email.as_deref().and_then(normalize_email);
        let domain = r
            .website
            .as_deref()
            .and_then(website_domain)
            .or_else(|| email.as_ref().filter(|e| !e.free_mail).map(|e| e.registrable.clone()));
        let addr = normalize_address(&r.address_lines, r.street_number.as_deref());
        let postcode = r.postcode.as_deref().and_then(normalize_postcode).or(addr.postcode);
        Features {
            kind: r.kind,
            source,
            forms,
            name_key,
            given: opt_text(&r.given_name),
            surname: opt_text(&r.surname),
            date: match r.kind {
                Kind::Person => r.dob.as_deref().and_then(normalize_date),
                Kind::Company => r.incorporated_on.as_deref().and_then(normalize_date),
            },
            reg_id: r.registration_id.as_deref().and_then(normalize_registration_id),
            phone_key: r
                .phone
                .as_deref()
                .and_then(|p| normalize_phone(p, country.as_deref()))
                .map(|p| p.key),
            email,
            domain,
            street_number: addr.street_number,
            street: addr.street,
            unit: addr.unit,
            locality: opt_text(&r.city),
            postcode,
            state: opt_text(&r.state),
            country,
            parent_id: r
                .parent_id
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            hq_country: country_of(&r.hq_country),
        }
    }

    /// Full address key used for term frequencies and identifier links.
    pub fn address_key(&self) -> Option<String> {
        let street = self.street.as_deref()?;
        Some(format!(
            "{}|{}|{}",
            self.street_number.as_deref().unwrap_or(""),
            street,
            self.unit.as_deref().unwrap_or("")
        ))
    }

    /// True when the person name is compared by parts.
    pub fn has_name_parts(&self) -> bool {
        self.given.is_some() || self.surname.is_some()
    }
}
