//! Wire protocol between a landmark and a chip agent, and the bytes each
//! side signs (location-verification.md §4).
//!
//! A session, on one TCP connection opened by the agent (chips sit behind
//! firewalls; the landmark still times everything on its own clock):
//!
//! ```text
//! agent    → landmark  Hello { version, chip }
//! landmark → agent     Challenge { round, nonce }        ┐ k times; the
//! agent    → landmark  Response { round, counter, … }    ┘ landmark times each
//! landmark → agent     Statement { body, landmark_sig }   (or Refuse { reason })
//! ```
//!
//! Frames are a 4-byte big-endian length and a JSON message, at most
//! [`MAX_FRAME`] bytes: an oversized or malformed frame ends the session with
//! an error naming the peer.

use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Protocol version carried in `Hello` and in every statement.
pub const VERSION: u32 = 1;
/// Largest frame either side accepts (a statement of [`MAX_ROUNDS`] rounds
/// is about 10 KiB).
pub const MAX_FRAME: usize = 16 * 1024;
/// Most challenge rounds in one session.
pub const MAX_ROUNDS: u32 = 32;
/// Longest chip or landmark identifier, in bytes.
pub const MAX_ID: usize = 128;

const CHIP_DOMAIN: &[u8] = b"chiptrace-lv-chip-v1";
const STATEMENT_DOMAIN: &[u8] = b"chiptrace-lv-statement-v1\n";

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    Hello { version: u32, chip: String },
    Challenge { round: u32, nonce: String },
    Response { round: u32, counter: u64, measurement: String, signature: String },
    Statement { statement: Statement },
    Refuse { reason: String },
}

/// One timed challenge inside a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// The 256-bit nonce the landmark sent (hex).
    pub nonce: String,
    /// The chip's monotonic counter in its answer.
    pub counter: u64,
    /// Round-trip time measured on the landmark's monotonic clock, ns.
    pub rtt_ns: u64,
    /// The chip's Ed25519 signature over [`chip_payload`] (hex).
    pub chip_sig: String,
}

/// What the landmark signs: everything a verifier needs to recompute the
/// bound itself. Only integers and strings, so the signed JSON bytes are
/// reproduced exactly by re-serialising the parsed body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementBody {
    pub version: u32,
    pub chip: String,
    pub landmark: String,
    /// Random session id (hex), so two sessions never sign the same body.
    pub session: String,
    /// Landmark clock (UTC, RFC 3339) when the session started and ended.
    pub started_at: String,
    pub at: String,
    /// Firmware measurement the chip reported (hex, 32 bytes).
    pub measurement: String,
    pub rounds: Vec<Round>,
}

/// A landmark's signed statement of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub body: StatementBody,
    /// Ed25519 signature of the landmark over [`statement_bytes`] (hex).
    pub landmark_sig: String,
}

impl StatementBody {
    /// Minimum RTT over the rounds, in ms (the queuing filter).
    pub fn rtt_min_ms(&self) -> Option<f64> {
        self.rounds.iter().map(|r| r.rtt_ns).min().map(|ns| ns as f64 / 1e6)
    }
}

impl Statement {
    /// Sign `body` with the landmark key.
    pub fn sign(body: StatementBody, key: &SigningKey) -> Statement {
        let sig = key.sign(&statement_bytes(&body));
        Statement { body, landmark_sig: hex::encode(sig.to_bytes()) }
    }

    /// Check the landmark signature against `key`.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        match decode_sig(&self.landmark_sig) {
            Some(sig) => key.verify(&statement_bytes(&self.body), &sig).is_ok(),
            None => false,
        }
    }

    /// SHA-256 of the signed bytes and signature: the statement's identity in
    /// verdicts and the audit log.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update(statement_bytes(&self.body));
        h.update(self.landmark_sig.as_bytes());
        hex::encode(h.finalize())
    }
}

/// The bytes a landmark signs.
pub fn statement_bytes(body: &StatementBody) -> Vec<u8> {
    let mut v = STATEMENT_DOMAIN.to_vec();
    // serialising plain strings and integers cannot fail
    v.extend_from_slice(serde_json::to_string(body).unwrap_or_default().as_bytes());
    v
}

/// The bytes a chip signs for one challenge:
/// domain ‖ nonce ‖ len‖chip id ‖ len‖landmark id ‖ counter ‖ measurement.
/// Lengths prefix the identifiers so no two (chip, landmark) pairs can
/// produce the same bytes.
pub fn chip_payload(
    nonce: &[u8; 32],
    chip: &str,
    landmark: &str,
    counter: u64,
    measurement: &[u8; 32],
) -> Vec<u8> {
    let mut v = Vec::with_capacity(CHIP_DOMAIN.len() + 32 + chip.len() + landmark.len() + 52);
    v.extend_from_slice(CHIP_DOMAIN);
    v.extend_from_slice(nonce);
    v.extend_from_slice(&(chip.len() as u16).to_be_bytes());
    v.extend_from_slice(chip.as_bytes());
    v.extend_from_slice(&(landmark.len() as u16).to_be_bytes());
    v.extend_from_slice(landmark.as_bytes());
    v.extend_from_slice(&counter.to_be_bytes());
    v.extend_from_slice(measurement);
    v
}

/// Check one round's chip signature.
pub fn verify_round(
    key: &VerifyingKey,
    chip: &str,
    landmark: &str,
    measurement: &[u8; 32],
    round: &Round,
) -> std::result::Result<(), String> {
    let nonce = decode32(&round.nonce).ok_or("nonce is not 32 bytes of hex")?;
    let sig = decode_sig(&round.chip_sig).ok_or("chip signature is not 64 bytes of hex")?;
    key.verify(&chip_payload(&nonce, chip, landmark, round.counter, measurement), &sig)
        .map_err(|_| "chip signature does not verify with the registered device key".to_string())
}

/// Decode 32 bytes of hex.
pub fn decode32(s: &str) -> Option<[u8; 32]> {
    let b = hex::decode(s).ok()?;
    b.try_into().ok()
}

fn decode_sig(s: &str) -> Option<Signature> {
    let b = hex::decode(s).ok()?;
    let arr: [u8; 64] = b.try_into().ok()?;
    Some(Signature::from_bytes(&arr))
}

/// Chip serials and landmark ids: 1–128 bytes of letters, digits and
/// `. _ - : /` (they go into signed bytes, file names and SVG labels).
pub fn check_id(kind: &str, s: &str) -> std::result::Result<(), String> {
    if s.is_empty() || s.len() > MAX_ID {
        return Err(format!("{kind} must be 1 to {MAX_ID} bytes, got {}", s.len()));
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || "._-:/".contains(*c))) {
        return Err(format!("{kind} {s:?} contains {c:?}; use letters, digits and . _ - : /"));
    }
    Ok(())
}

/// Encode a message as one frame.
pub fn encode(msg: &Message) -> Vec<u8> {
    let json = serde_json::to_vec(msg).unwrap_or_default();
    let mut v = Vec::with_capacity(json.len() + 4);
    v.extend_from_slice(&(json.len() as u32).to_be_bytes());
    v.extend_from_slice(&json);
    v
}

/// Write one message.
pub fn write_msg(w: &mut impl Write, msg: &Message, peer: &str) -> Result<()> {
    let frame = encode(msg);
    if frame.len() - 4 > MAX_FRAME {
        return Err(Error::proto(
            peer,
            format!("message of {} bytes exceeds the {MAX_FRAME}-byte limit", frame.len() - 4),
        ));
    }
    w.write_all(&frame).map_err(|e| Error::io(peer, e))
}

/// Read one message; an oversized, truncated or malformed frame is an error
/// naming the peer and what was wrong.
pub fn read_msg(r: &mut impl Read, peer: &str) -> Result<Message> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).map_err(|e| Error::io(peer, e))?;
    let n = u32::from_be_bytes(len) as usize;
    if n > MAX_FRAME {
        return Err(Error::proto(
            peer,
            format!("frame of {n} bytes exceeds the {MAX_FRAME}-byte limit"),
        ));
    }
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf).map_err(|e| Error::io(peer, e))?;
    serde_json::from_slice(&buf).map_err(|e| Error::proto(peer, format!("malformed message: {e}")))
}

/// 32 random bytes from the OS.
pub fn random32() -> Result<[u8; 32]> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| Error::Invalid(format!("no randomness: {e}")))?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn frames_round_trip_and_limits_hold() {
        let m = Message::Hello { version: VERSION, chip: "GPU-1".into() };
        let f = encode(&m);
        assert_eq!(read_msg(&mut &f[..], "t").unwrap(), m);
        // oversized length prefix
        let mut big = ((MAX_FRAME + 1) as u32).to_be_bytes().to_vec();
        big.extend_from_slice(b"{}");
        let e = read_msg(&mut &big[..], "peer-x").unwrap_err().to_string();
        assert!(e.contains("peer-x") && e.contains("exceeds"), "{e}");
        // malformed JSON and unknown fields
        let mut bad = 7u32.to_be_bytes().to_vec();
        bad.extend_from_slice(b"{nope!}");
        assert!(read_msg(&mut &bad[..], "p").unwrap_err().to_string().contains("malformed"));
        let j = br#"{"type":"hello","version":1,"chip":"a","extra":1}"#;
        let mut f = (j.len() as u32).to_be_bytes().to_vec();
        f.extend_from_slice(j);
        assert!(read_msg(&mut &f[..], "p").is_err());
        // truncated
        assert!(read_msg(&mut &encode(&m)[..10], "p").is_err());
    }

    #[test]
    fn chip_payload_binds_every_field() {
        let n = [7u8; 32];
        let m = [1u8; 32];
        let base = chip_payload(&n, "chip", "lm", 5, &m);
        assert_ne!(base, chip_payload(&[8u8; 32], "chip", "lm", 5, &m));
        assert_ne!(base, chip_payload(&n, "chip2", "lm", 5, &m));
        assert_ne!(base, chip_payload(&n, "chip", "lm2", 5, &m));
        assert_ne!(base, chip_payload(&n, "chip", "lm", 6, &m));
        assert_ne!(base, chip_payload(&n, "chip", "lm", 5, &[2u8; 32]));
        // the length prefix separates "ab"+"c" from "a"+"bc"
        assert_ne!(chip_payload(&n, "ab", "c", 1, &m), chip_payload(&n, "a", "bc", 1, &m));
    }

    #[test]
    fn statement_signature_covers_the_body() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let body = StatementBody {
            version: VERSION,
            chip: "c".into(),
            landmark: "l".into(),
            session: "00".into(),
            started_at: "2026-12-06T00:00:00Z".into(),
            at: "2026-12-06T00:00:01Z".into(),
            measurement: hex::encode([0u8; 32]),
            rounds: vec![Round {
                nonce: hex::encode([1u8; 32]),
                counter: 1,
                rtt_ns: 1_000_000,
                chip_sig: String::new(),
            }],
        };
        let s = Statement::sign(body, &key);
        assert!(s.verify(&key.verifying_key()));
        let mut t = s.clone();
        t.body.rounds[0].rtt_ns = 10;
        assert!(!t.verify(&key.verifying_key()), "a shortened RTT must break the signature");
        let other = SigningKey::from_bytes(&[4u8; 32]);
        assert!(!s.verify(&other.verifying_key()));
        // JSON round trip keeps the signature valid
        let j = serde_json::to_string(&s).unwrap();
        let back: Statement = serde_json::from_str(&j).unwrap();
        assert!(back.verify(&key.verifying_key()));
    }

    #[test]
    fn ids_are_checked() {
        assert!(check_id("chip", "GPU-0001/a:b.c_d").is_ok());
        assert!(check_id("chip", "").is_err());
        assert!(check_id("chip", "a b").is_err());
        assert!(check_id("chip", &"x".repeat(129)).is_err());
        assert!(check_id("chip", "<svg>").is_err());
    }
}
