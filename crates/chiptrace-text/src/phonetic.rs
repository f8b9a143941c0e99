//! Phonetic keys for candidate retrieval (Double Metaphone, via `rphonetic`).

use std::sync::OnceLock;

use rphonetic::{DoubleMetaphone, Encoder};

/// See [`crate::phonetic_key`].
pub(crate) fn phonetic_key(token: &str) -> Option<String> {
    // Keys are for tokens, not free text: anything but ASCII letters (digits,
    // spaces, non-Latin letters) has no meaningful Double Metaphone code.
    if token.len() < 2 || !token.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    static DM: OnceLock<DoubleMetaphone> = OnceLock::new();
    let dm = DM.get_or_init(DoubleMetaphone::default);
    let code = dm.encode(&token.to_ascii_lowercase());
    if code.is_empty() { None } else { Some(code) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(phonetic_key("smith").as_deref(), Some("SM0"));
        assert_eq!(phonetic_key("Schmidt").as_deref(), Some("XMT"));
        assert_eq!(phonetic_key("mohammed"), phonetic_key("muhammad"));
        assert_eq!(phonetic_key("a"), None);
        assert_eq!(phonetic_key(""), None);
        assert_eq!(phonetic_key("a380"), None);
        assert_eq!(phonetic_key("москва"), None);
        assert!(phonetic_key("huawei").is_some());
    }
}
