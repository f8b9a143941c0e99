//! The chip agent: opens a session to each landmark, answers every challenge
//! with the device key over (nonce, chip id, landmark id, counter, firmware
//! measurement), and collects the landmarks' signed statements.
//!
//! The monotonic counter must never go back, even across crashes: the agent
//! reserves a block of counter values in its state file (written and synced)
//! before using any of them, so a restart skips the unused rest of a block
//! instead of reusing values. Reserving happens before the timed rounds, so
//! the disk never adds to a measured RTT.

use std::io::{BufReader, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

use crate::error::{Error, Result};
use crate::proto::{self, Message, Statement};

/// The chip's monotonic counter, persisted in reserved blocks.
pub struct Counter {
    path: Option<PathBuf>,
    state: Mutex<(u64, u64)>, // (last used, reserved up to)
}

impl Counter {
    /// A counter kept only in memory, starting after `last`.
    pub fn in_memory(last: u64) -> Counter {
        Counter { path: None, state: Mutex::new((last, u64::MAX)) }
    }

    /// Open the counter state file (a decimal number: the highest reserved
    /// value); absent means a new chip.
    pub fn open(path: &Path) -> Result<Counter> {
        let last = match std::fs::read_to_string(path) {
            Ok(t) => t.trim().parse::<u64>().map_err(|e| Error::File {
                path: path.to_path_buf(),
                message: format!("counter state is not a number: {e}"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(Error::File { path: path.to_path_buf(), message: e.to_string() }),
        };
        Ok(Counter { path: Some(path.to_path_buf()), state: Mutex::new((last, last)) })
    }

    /// Make sure `n` more values are reserved on disk.
    pub fn reserve(&self, n: u64) -> Result<()> {
        let mut st =
            self.state.lock().map_err(|_| Error::Invalid("counter lock poisoned".into()))?;
        self.reserve_locked(&mut st, n)
    }

    /// Reserve under the caller's lock (check, write and use never race).
    fn reserve_locked(&self, st: &mut (u64, u64), n: u64) -> Result<()> {
        if st.0.saturating_add(n) <= st.1 {
            return Ok(());
        }
        let upto =
            st.0.checked_add(n.max(1024))
                .ok_or_else(|| Error::Invalid("counter exhausted".into()))?;
        if let Some(p) = &self.path {
            let tmp = p.with_extension("tmp");
            let io = |e: std::io::Error| Error::File { path: p.clone(), message: e.to_string() };
            let mut f = std::fs::File::create(&tmp).map_err(io)?;
            f.write_all(upto.to_string().as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
            std::fs::rename(&tmp, p).map_err(io)?;
        }
        st.1 = upto;
        Ok(())
    }

    /// The next value (reserving more, durably, before it is handed out).
    pub fn next(&self) -> Result<u64> {
        let mut st =
            self.state.lock().map_err(|_| Error::Invalid("counter lock poisoned".into()))?;
        if st.0 >= st.1 {
            self.reserve_locked(&mut st, 1)?;
        }
        st.0 = st.0.checked_add(1).ok_or_else(|| Error::Invalid("counter exhausted".into()))?;
        Ok(st.0)
    }
}

/// A chip's agent.
pub struct Agent {
    pub chip: String,
    key: SigningKey,
    /// Firmware measurement reported in every answer (32 bytes).
    pub measurement: [u8; 32],
    pub counter: Counter,
    pub timeout: Duration,
}

/// A landmark to contact.
#[derive(Debug, Clone)]
pub struct Target {
    pub landmark: String,
    pub addr: String,
    /// When given, the statement's signature is checked before it is kept.
    pub key: Option<VerifyingKey>,
}

impl Agent {
    pub fn new(
        chip: &str,
        key: SigningKey,
        measurement: [u8; 32],
        counter: Counter,
    ) -> Result<Agent> {
        proto::check_id("chip id", chip).map_err(Error::Invalid)?;
        Ok(Agent {
            chip: chip.to_string(),
            key,
            measurement,
            counter,
            timeout: Duration::from_secs(10),
        })
    }

    /// One session with one landmark.
    pub fn session(&self, t: &Target) -> Result<Statement> {
        let peer = format!("landmark {} at {}", t.landmark, t.addr);
        let addr: SocketAddr = t
            .addr
            .to_socket_addrs()
            .map_err(|e| Error::io(&peer, e))?
            .next()
            .ok_or_else(|| Error::proto(&peer, "address resolves to nothing"))?;
        let stream =
            TcpStream::connect_timeout(&addr, self.timeout).map_err(|e| Error::io(&peer, e))?;
        stream.set_nodelay(true).map_err(|e| Error::io(&peer, e))?;
        stream.set_read_timeout(Some(self.timeout)).map_err(|e| Error::io(&peer, e))?;
        stream.set_write_timeout(Some(self.timeout)).map_err(|e| Error::io(&peer, e))?;
        self.counter.reserve(u64::from(proto::MAX_ROUNDS))?;
        let mut w = stream.try_clone().map_err(|e| Error::io(&peer, e))?;
        let mut r = BufReader::new(stream);
        proto::write_msg(
            &mut w,
            &Message::Hello { version: proto::VERSION, chip: self.chip.clone() },
            &peer,
        )?;
        let measurement = hex::encode(self.measurement);
        for _ in 0..=proto::MAX_ROUNDS {
            match proto::read_msg(&mut r, &peer)? {
                Message::Challenge { round, nonce } => {
                    let n = proto::decode32(&nonce)
                        .ok_or_else(|| Error::proto(&peer, "nonce is not 32 bytes of hex"))?;
                    let counter = self.counter.next()?;
                    let sig = self.key.sign(&proto::chip_payload(
                        &n,
                        &self.chip,
                        &t.landmark,
                        counter,
                        &self.measurement,
                    ));
                    let frame = proto::encode(&Message::Response {
                        round,
                        counter,
                        measurement: measurement.clone(),
                        signature: hex::encode(sig.to_bytes()),
                    });
                    w.write_all(&frame).map_err(|e| Error::io(&peer, e))?;
                }
                Message::Statement { statement } => {
                    if statement.body.chip != self.chip || statement.body.landmark != t.landmark {
                        return Err(Error::proto(
                            &peer,
                            "statement names another chip or landmark",
                        ));
                    }
                    if let Some(k) = &t.key
                        && !statement.verify(k)
                    {
                        return Err(Error::proto(
                            &peer,
                            "statement signature does not verify with the landmark's key",
                        ));
                    }
                    return Ok(statement);
                }
                Message::Refuse { reason } => return Err(Error::Refused { peer, reason }),
                _ => return Err(Error::proto(&peer, "unexpected message")),
            }
        }
        Err(Error::proto(&peer, "more challenges than the protocol allows"))
    }

    /// Sessions with every landmark at once (one thread each): one
    /// verification round costs the slowest landmark, not the sum.
    pub fn run(&self, targets: &[Target]) -> Vec<(String, Result<Statement>)> {
        std::thread::scope(|s| {
            let hs: Vec<_> = targets
                .iter()
                .map(|t| (t.landmark.clone(), s.spawn(move || self.session(t))))
                .collect();
            hs.into_iter()
                .map(|(id, h)| {
                    let r = h
                        .join()
                        .unwrap_or_else(|_| Err(Error::Invalid("agent thread panicked".into())));
                    (id, r)
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn counter_survives_restarts_and_never_repeats() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("counter");
        let c = Counter::open(&p).unwrap();
        c.reserve(10).unwrap();
        let a: Vec<u64> = (0..5).map(|_| c.next().unwrap()).collect();
        assert_eq!(a, vec![1, 2, 3, 4, 5]);
        drop(c); // "crash": the rest of the block is skipped, not reused
        let c2 = Counter::open(&p).unwrap();
        let n = c2.next().unwrap();
        assert!(n > 5, "restart reused counter {n}");
        std::fs::write(&p, "garbage").unwrap();
        assert!(
            Counter::open(&p).err().map(|e| e.to_string()).unwrap_or_default().contains("counter")
        );
    }
}
