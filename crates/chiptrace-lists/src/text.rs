//! Byte decoding and small string helpers shared by the parsers.

use std::borrow::Cow;

/// Text decoded from a list file, and the encoding that was used.
pub(crate) struct Decoded<'a> {
    /// The text, without BOM and without the trailing DOS end-of-file byte.
    pub text: Cow<'a, str>,
    /// `utf-8`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: &'static str,
}

/// Decode a list file.
///
/// UTF-8 is tried first (with or without BOM). UTF-16 is recognised only by
/// its BOM. Anything else that is not valid UTF-8 is decoded as
/// Windows-1252: OFAC's legacy CSV files are produced on Windows and have
/// historically shipped accented names in that code page, and every byte
/// sequence is valid Windows-1252, so decoding never fails and never panics.
///
/// OFAC terminates its files with a 0x1A (SUB, DOS end-of-file) byte; it is
/// dropped here so the CSV reader does not see it as a one-field row.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    let (text, encoding): (Cow<'_, str>, &'static str) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            match std::str::from_utf8(rest) {
                Ok(s) => (Cow::Borrowed(s), "utf-8"),
                Err(_) => (String::from_utf8_lossy(rest), "utf-8"),
            }
        } else if bytes.starts_with(b"\xFF\xFE") {
            let (t, _, _) = encoding_rs::UTF_16LE.decode(bytes);
            (t, "utf-16le")
        } else if bytes.starts_with(b"\xFE\xFF") {
            let (t, _, _) = encoding_rs::UTF_16BE.decode(bytes);
            (t, "utf-16be")
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => (Cow::Borrowed(s), "utf-8"),
                Err(_) => {
                    let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    (t, "windows-1252")
                }
            }
        };
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(trim_eof(s)),
        Cow::Owned(s) => {
            let t = trim_eof(&s);
            if t.len() == s.len() { Cow::Owned(s) } else { Cow::Owned(t.to_string()) }
        }
    };
    Decoded { text, encoding }
}

/// Strip a leading BOM left after decoding and trailing SUB/NUL/whitespace.
fn trim_eof(s: &str) -> &str {
    s.trim_start_matches('\u{feff}').trim_end_matches(['\u{1a}', '\0', '\r', '\n', ' ', '\t'])
}

/// Collapse runs of whitespace to one space and trim.
pub(crate) fn squash(s: &str) -> String {
    // Fast path: most fields are already clean ASCII (one copy, no scan
    // for Unicode whitespace).
    let b = s.as_bytes();
    if s.is_ascii()
        && b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
        && !b.iter().any(|&c| matches!(c, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        && !b.windows(2).any(|w| w == b"  ")
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `Some(trimmed)` unless the value is empty or an OFAC null marker.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t == "-0-" { None } else { Some(squash(t)) }
}

/// Lower-case hex of a byte slice.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// SHA-256 of `bytes` as lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Byte offset -> 1-based line, incrementally (offsets usually only grow).
///
/// The csv crate's own `Position::line` lags by one for every record after
/// the first in CRLF files (it counts a line when it consumes the `\n`,
/// which happens at the start of the next record), and OFAC files are CRLF;
/// so record lines are computed from byte offsets here instead.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter { bytes: text.as_bytes(), pos: 0, line: 1 }
    }

    /// Line of a byte offset.
    pub(crate) fn at(&mut self, offset: u64) -> u64 {
        let offset = (offset as usize).min(self.bytes.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.pos..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.pos = offset;
        self.line
    }

    /// Line where a CSV record that starts at `offset` begins, skipping the
    /// line terminator the reader may not have consumed yet.
    pub(crate) fn record(&mut self, offset: u64) -> u64 {
        let mut b = (offset as usize).min(self.bytes.len());
        while b < self.bytes.len() && matches!(self.bytes[b], b'\r' | b'\n') {
            b += 1;
        }
        self.at(b as u64)
    }
}

/// Strip surrounding quotes of any common style from an alias.
pub(crate) fn strip_quotes(s: &str) -> &str {
    let t = s.trim();
    for (open, close) in [('\'', '\''), ('"', '"'), ('“', '”'), ('‘', '’'), ('«', '»'), ('„', '“')]
    {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner.trim();
        }
    }
    t
}

/// Truncate a string for an error message, on a char boundary.
pub(crate) fn preview(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_1252_and_sub() {
        let d = decode(b"a,b\r\n\x1a");
        assert_eq!(d.text, "a,b");
        assert_eq!(d.encoding, "utf-8");
        let d = decode(b"Jos\xe9 Mar\xeda");
        assert_eq!(d.text, "José María");
        assert_eq!(d.encoding, "windows-1252");
        let d = decode(b"\xEF\xBB\xBFname");
        assert_eq!(d.text, "name");
        let d = decode(b"\xFF\xFEn\0a\0");
        assert_eq!(d.text, "na");
        assert_eq!(d.encoding, "utf-16le");
    }

    #[test]
    fn helpers() {
        assert_eq!(squash("  a \t b\n c "), "a b c");
        assert_eq!(non_empty("-0- "), None);
        assert_eq!(non_empty(" x "), Some("x".into()));
        assert_eq!(strip_quotes("'BNC'"), "BNC");
        assert_eq!(strip_quotes("“MEC”"), "MEC");
        assert_eq!(line_of("a\nb\nc", 4), 3);
        let mut lc = LineCounter::new("a\r\nb\r\nc");
        assert_eq!(lc.record(0), 1);
        assert_eq!(lc.record(2), 2);
        assert_eq!(lc.record(5), 3);
        assert_eq!(lc.at(0), 1);
        assert_eq!(preview("ééé", 3), "é…");
        assert_eq!(sha256_hex(b"abc").len(), 64);
        assert!(sha256_hex(b"abc").starts_with("ba7816bf"));
    }
}
