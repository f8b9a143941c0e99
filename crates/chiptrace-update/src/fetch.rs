//! Downloading one file over HTTP(S) into the staging directory, with a
//! size cap, a total deadline and hand-checked redirects.
//!
//! Redirects are followed here rather than by ureq so that every hop is
//! checked: only `http`/`https` targets, and never from `https` down to
//! plain `http` (a downgrade would let anyone on the path substitute the
//! list). The deadline covers the whole file, across redirects, so a
//! server that accepts the connection and then never answers, or trickles
//! one byte a minute, is cut off at `UpdateOptions::timeout`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use ureq::Agent;

use crate::error::FetchError;
use crate::source::{check_http_url, url_scheme};

/// Redirect hops followed before giving up. Official publishers use one or
/// two (old treasury.gov URL -> sanctions list service -> storage).
const MAX_REDIRECTS: u32 = 5;

/// A file that was written to disk, with its digest.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    /// Lower-case hex SHA-256 of the bytes written.
    pub sha256: String,
    /// Number of bytes written.
    pub size: u64,
}

/// The HTTP client of one update run.
pub(crate) struct Fetcher {
    agent: Agent,
    timeout: Duration,
    max_bytes: u64,
}

impl Fetcher {
    /// A client with the run's limits. No cookies, no automatic redirects,
    /// status codes returned rather than turned into errors so that we can
    /// word the message ourselves. Proxy settings come from the usual
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` environment variables (ureq's
    /// default), which is what corporate networks expect.
    pub(crate) fn new(timeout: Duration, max_bytes: u64) -> Fetcher {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("chiptrace-update/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Fetcher { agent, timeout, max_bytes }
    }

    /// Download `url` into `dest` (created or truncated), streaming and
    /// hashing as it goes; the file is fsynced before returning so that a
    /// later rename publishes complete bytes.
    pub(crate) fn fetch(&self, url: &str, dest: &Path) -> Result<StoredFile, FetchError> {
        check_http_url(url)?;
        let deadline = Instant::now() + self.timeout;
        let mut current = url.to_owned();
        let mut hops = 0;
        let response = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.timeout_error(url));
            }
            let response = self
                .agent
                .get(&current)
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| self.transport_error(url, &current, e))?;
            let status = response.status();
            if !status.is_redirection() || status.as_u16() == 304 {
                break response;
            }
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .ok_or_else(|| FetchError::Redirect {
                    url: url.to_owned(),
                    message: format!(
                        "HTTP {} redirect from {current} without a Location",
                        status.as_u16()
                    ),
                })?;
            let next = next_hop(&current, &location)?;
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(FetchError::Redirect {
                    url: url.to_owned(),
                    message: format!("more than {MAX_REDIRECTS} redirects (last to {next})"),
                });
            }
            current = next;
        };

        let status = response.status();
        if status.as_u16() != 200 {
            return Err(FetchError::Status {
                url: current,
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_owned(),
            });
        }
        // Refuse early on a declared length: no point downloading 2 GB to
        // throw it away. With gzip transfer-encoding the decoded body can
        // only be larger than the declared length, so this never rejects a
        // file that would have fitted.
        let declared = response.body().content_length();
        if let Some(len) = declared.filter(|&len| len > self.max_bytes) {
            return Err(FetchError::TooLarge {
                url: current,
                limit: self.max_bytes,
                declared: Some(len),
            });
        }

        let mut reader = response.into_body().into_reader();
        let write_err = |source: io::Error| FetchError::Write {
            url: current.clone(),
            path: dest.to_owned(),
            source,
        };
        let mut out = File::create(dest).map_err(write_err)?;
        let stored = copy_hashed(&mut reader, &mut out, self.max_bytes).map_err(|e| match e {
            CopyError::Read(e) => self.read_error(&current, e),
            CopyError::Write(e) => write_err(e),
            CopyError::TooLarge => {
                FetchError::TooLarge { url: current.clone(), limit: self.max_bytes, declared }
            }
        })?;
        out.sync_all().map_err(write_err)?;
        Ok(stored)
    }

    fn timeout_error(&self, url: &str) -> FetchError {
        FetchError::Timeout { url: url.to_owned(), timeout: self.timeout }
    }

    /// Map a ureq error of the request phase.
    fn transport_error(&self, url: &str, current: &str, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => self.timeout_error(url),
            ureq::Error::Io(io) if is_timeout(&io) => self.timeout_error(url),
            other => FetchError::Transport { url: current.to_owned(), message: other.to_string() },
        }
    }

    /// Map an error while reading the body. ureq wraps its own errors
    /// (including its timeout) in `io::Error`, so look inside.
    fn read_error(&self, url: &str, e: io::Error) -> FetchError {
        let inner_timeout = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)));
        if inner_timeout || is_timeout(&e) {
            return self.timeout_error(url);
        }
        let message = if e.kind() == io::ErrorKind::UnexpectedEof {
            format!("connection closed before the whole body was received ({e})")
        } else {
            format!("error while receiving the body: {e}")
        };
        FetchError::Transport { url: url.to_owned(), message }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

/// Resolve a `Location` against the URL that sent it and check that the
/// target is acceptable.
fn next_hop(current: &str, location: &str) -> Result<String, FetchError> {
    let next = resolve_location(current, location);
    let refuse = |why| FetchError::RedirectRefused {
        url: current.to_owned(),
        location: location.to_owned(),
        why,
    };
    match url_scheme(&next).as_deref() {
        Some("https") => {}
        Some("http") => {
            if url_scheme(current).as_deref() == Some("https") {
                return Err(refuse("https must not be downgraded to plain http"));
            }
        }
        _ => return Err(refuse("only http:// and https:// targets are followed")),
    }
    check_http_url(&next).map_err(|_| refuse("the target URL has no host"))?;
    Ok(next)
}

/// Minimal RFC 3986 reference resolution, enough for `Location` headers:
/// absolute URLs, scheme-relative (`//host/p`), absolute paths (`/p`) and
/// relative paths (`p`, resolved against the current directory). Dot
/// segments in relative paths are left to the server to normalise.
fn resolve_location(base: &str, location: &str) -> String {
    let location = location.trim();
    if url_scheme(location).is_some() {
        return location.to_owned();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(stripped) = location.strip_prefix("//") {
        return format!("{scheme}://{stripped}");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = &rest[authority_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let dir = if dir.is_empty() { "/" } else { dir };
    format!("{scheme}://{authority}{dir}{location}")
}

/// Why [`copy_hashed`] stopped.
pub(crate) enum CopyError {
    /// Reading the source failed.
    Read(io::Error),
    /// Writing the destination failed.
    Write(io::Error),
    /// More than the allowed number of bytes were offered.
    TooLarge,
}

/// Copy at most `max_bytes` from `reader` to `out`, computing SHA-256 on
/// the way. Reading one byte past the limit is how "too large" is told
/// apart from "exactly at the limit".
pub(crate) fn copy_hashed(
    reader: &mut impl Read,
    out: &mut impl Write,
    max_bytes: u64,
) -> Result<StoredFile, CopyError> {
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        size += n as u64;
        if size > max_bytes {
            return Err(CopyError::TooLarge);
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
    }
    Ok(StoredFile { sha256: hex(&hasher.finalize()), size })
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_locations() {
        let base = "https://a.example/x/y/file.csv?q=1";
        assert_eq!(resolve_location(base, "https://b.example/z"), "https://b.example/z");
        assert_eq!(resolve_location(base, "//c.example/z"), "https://c.example/z");
        assert_eq!(resolve_location(base, "/root.csv"), "https://a.example/root.csv");
        assert_eq!(resolve_location(base, "other.csv"), "https://a.example/x/y/other.csv");
        assert_eq!(resolve_location("http://h:1", "p"), "http://h:1/p");
        assert_eq!(resolve_location(base, "file:///etc/passwd"), "file:///etc/passwd");
    }

    #[test]
    fn refuses_bad_hops() {
        let err = next_hop("http://h/a", "file:///etc/passwd").expect_err("file");
        assert!(err.to_string().contains("only http:// and https://"), "{err}");
        let err = next_hop("https://h/a", "http://h/b").expect_err("downgrade");
        assert!(err.to_string().contains("downgraded"), "{err}");
        assert_eq!(next_hop("http://h/a", "https://h/b").expect("upgrade"), "https://h/b");
        assert_eq!(next_hop("http://h/a/b", "c").expect("relative"), "http://h/a/c");
    }

    #[test]
    fn copy_limits_and_hashes() {
        let data = b"abc";
        let mut out = Vec::new();
        let stored = copy_hashed(&mut &data[..], &mut out, 3).ok().expect("fits exactly");
        assert_eq!(stored.size, 3);
        assert_eq!(
            stored.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(matches!(
            copy_hashed(&mut &data[..], &mut Vec::new(), 2),
            Err(CopyError::TooLarge)
        ));
    }
}
