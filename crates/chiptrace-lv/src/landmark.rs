//! The landmark: accepts agent sessions, sends k fresh nonces, times each
//! answer on its own monotonic clock, checks the chip's signature and
//! counter, and returns a signed statement with every round
//! (location-verification.md §4 steps 3–4).
//!
//! The landmark does not compute the distance bound: the verifier recomputes
//! it from the rounds with the registry's certified processing time, so a
//! landmark never asserts more than what it measured.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::{Error, Result};
use crate::proto::{self, Message, Round, Statement, StatementBody};

/// How a landmark runs.
pub struct LandmarkConfig {
    /// Landmark id as registered (goes into every signed payload).
    pub id: String,
    pub key: SigningKey,
    /// Challenges per session (k); the verifier keeps the minimum RTT.
    pub rounds: u32,
    /// Registered chips and their device keys; others are refused.
    pub chips: HashMap<String, VerifyingKey>,
    /// Read/write timeout per message: bounds a session's time.
    pub io_timeout: Duration,
    /// Sessions served at once; more are refused (bounded resources).
    pub max_sessions: usize,
}

/// A landmark running on its own threads.
pub struct RunningLandmark {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    /// Sessions completed with a statement.
    pub served: Arc<AtomicUsize>,
}

impl RunningLandmark {
    /// Stop accepting and wait for the accept loop to end.
    pub fn stop(mut self) {
        self.shutdown();
    }
    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // wake the blocking accept
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

impl Drop for RunningLandmark {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Counters seen per chip across sessions: a later session whose counter
/// does not exceed an earlier one is a rollback (replayed or cloned state).
type Counters = Arc<Mutex<HashMap<String, u64>>>;

/// Serve on `listener` on background threads.
pub fn spawn(listener: TcpListener, cfg: LandmarkConfig) -> Result<RunningLandmark> {
    if cfg.rounds == 0 || cfg.rounds > proto::MAX_ROUNDS {
        return Err(Error::Invalid(format!("rounds must be 1 to {}", proto::MAX_ROUNDS)));
    }
    proto::check_id("landmark id", &cfg.id).map_err(Error::Invalid)?;
    let addr = listener.local_addr().map_err(|e| Error::io("listener", e))?;
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let cfg = Arc::new(cfg);
    let counters: Counters = Arc::new(Mutex::new(HashMap::new()));
    let active = Arc::new(AtomicUsize::new(0));
    let (s2, served2) = (stop.clone(), served.clone());
    let accept = std::thread::Builder::new()
        .name(format!("landmark-{}", cfg.id))
        .spawn(move || {
            for conn in listener.incoming() {
                if s2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                if active.load(Ordering::SeqCst) >= cfg.max_sessions {
                    let mut s = stream;
                    let _ = proto::write_msg(
                        &mut s,
                        &Message::Refuse { reason: "busy: too many sessions".into() },
                        "agent",
                    );
                    continue;
                }
                active.fetch_add(1, Ordering::SeqCst);
                let (cfg, counters, active, served) =
                    (cfg.clone(), counters.clone(), active.clone(), served2.clone());
                let spawned = std::thread::Builder::new().name("lm-session".into()).spawn(move || {
                    let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_default();
                    match session(stream, &cfg, &counters) {
                        Ok(st) => {
                            served.fetch_add(1, Ordering::SeqCst);
                            eprintln!(
                                "landmark {}: session chip={} rounds={} rtt_min_ms={:.3} peer={peer}",
                                cfg.id,
                                st.body.chip,
                                st.body.rounds.len(),
                                st.body.rtt_min_ms().unwrap_or(f64::NAN)
                            );
                        }
                        Err(e) => eprintln!("landmark {}: session refused/failed: {e}", cfg.id),
                    }
                    active.fetch_sub(1, Ordering::SeqCst);
                });
                if spawned.is_err() {
                    eprintln!("landmark: cannot start a session thread");
                }
            }
        })
        .map_err(|e| Error::io("landmark", e))?;
    Ok(RunningLandmark { addr, stop, accept: Some(accept), served })
}

/// Run one session on `stream`.
pub fn session(
    stream: TcpStream,
    cfg: &LandmarkConfig,
    counters: &Mutex<HashMap<String, u64>>,
) -> Result<Statement> {
    let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_else(|_| "agent".into());
    stream.set_nodelay(true).map_err(|e| Error::io(&peer, e))?;
    stream.set_read_timeout(Some(cfg.io_timeout)).map_err(|e| Error::io(&peer, e))?;
    stream.set_write_timeout(Some(cfg.io_timeout)).map_err(|e| Error::io(&peer, e))?;
    let mut w = stream.try_clone().map_err(|e| Error::io(&peer, e))?;
    let mut r = BufReader::new(stream);
    let refuse = |w: &mut TcpStream, reason: String| -> Error {
        let _ = proto::write_msg(w, &Message::Refuse { reason: reason.clone() }, &peer);
        Error::Refused { peer: peer.clone(), reason }
    };

    // the whole session has a deadline (a peer trickling bytes cannot hold
    // a slot for hours); Hello, before any authentication, gets 2 s
    let deadline = Instant::now() + cfg.io_timeout * (cfg.rounds + 2);
    let set_timeout = |r: &mut BufReader<TcpStream>, cap: Duration| -> Result<()> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::proto(&peer, "session deadline passed"));
        }
        r.get_ref().set_read_timeout(Some(left.min(cap))).map_err(|e| Error::io(&peer, e))
    };
    set_timeout(&mut r, Duration::from_secs(2).min(cfg.io_timeout))?;
    let chip = match proto::read_msg(&mut r, &peer)? {
        Message::Hello { version, chip } if version == proto::VERSION => chip,
        Message::Hello { version, .. } => {
            return Err(refuse(
                &mut w,
                format!("protocol version {version} is not supported (want {})", proto::VERSION),
            ));
        }
        other => return Err(refuse(&mut w, format!("expected hello, got {}", kind(&other)))),
    };
    if let Err(e) = proto::check_id("chip id", &chip) {
        return Err(refuse(&mut w, e));
    }
    let Some(chip_key) = cfg.chips.get(&chip) else {
        return Err(refuse(
            &mut w,
            format!("unknown chip {chip:?}: not in this landmark's registry"),
        ));
    };
    let Ok(last) = counters.lock().map(|c| c.get(&chip).copied().unwrap_or(0)) else {
        return Err(refuse(
            &mut w,
            "landmark state unavailable (counter lock poisoned); try another landmark".into(),
        ));
    };
    let started_at = jiff::Timestamp::now().to_string();
    let mut session_id = [0u8; 16];
    session_id.copy_from_slice(&proto::random32()?[..16]);
    let mut rounds = Vec::with_capacity(cfg.rounds as usize);
    let mut measurement: Option<String> = None;
    let mut prev = last;
    for round in 0..cfg.rounds {
        let nonce = proto::random32()?;
        let frame = proto::encode(&Message::Challenge { round, nonce: hex::encode(nonce) });
        // the clock starts when the challenge is handed to the kernel and
        // stops when the whole answer is read: everything in between counts
        set_timeout(&mut r, cfg.io_timeout)?;
        let t0 = Instant::now();
        w.write_all(&frame).map_err(|e| Error::io(&peer, e))?;
        let answer = proto::read_msg(&mut r, &peer)?;
        let rtt = t0.elapsed();
        let Message::Response { round: got, counter, measurement: m, signature } = answer else {
            return Err(refuse(&mut w, format!("expected response, got {}", kind(&answer))));
        };
        if got != round {
            return Err(refuse(
                &mut w,
                format!("answer to round {got} while round {round} was asked"),
            ));
        }
        let Some(m_bytes) = proto::decode32(&m) else {
            return Err(refuse(&mut w, "measurement is not 32 bytes of hex".into()));
        };
        if measurement.get_or_insert_with(|| m.clone()) != &m {
            return Err(refuse(&mut w, "firmware measurement changed within the session".into()));
        }
        let rnd = Round {
            nonce: hex::encode(nonce),
            counter,
            rtt_ns: rtt.as_nanos() as u64,
            chip_sig: signature,
        };
        if let Err(e) = proto::verify_round(chip_key, &chip, &cfg.id, &m_bytes, &rnd) {
            return Err(refuse(&mut w, e));
        }
        if counter <= prev {
            return Err(refuse(
                &mut w,
                format!(
                    "counter rollback: {counter} is not above {prev}, the last counter this landmark saw from {chip}"
                ),
            ));
        }
        prev = counter;
        rounds.push(rnd);
    }
    if let Ok(mut c) = counters.lock() {
        let e = c.entry(chip.clone()).or_insert(0);
        *e = (*e).max(prev);
    }
    let body = StatementBody {
        version: proto::VERSION,
        chip,
        landmark: cfg.id.clone(),
        session: hex::encode(session_id),
        started_at,
        at: jiff::Timestamp::now().to_string(),
        measurement: measurement.unwrap_or_default(),
        rounds,
    };
    let st = Statement::sign(body, &cfg.key);
    proto::write_msg(&mut w, &Message::Statement { statement: st.clone() }, &peer)?;
    Ok(st)
}

fn kind(m: &Message) -> &'static str {
    match m {
        Message::Hello { .. } => "hello",
        Message::Challenge { .. } => "challenge",
        Message::Response { .. } => "response",
        Message::Statement { .. } => "statement",
        Message::Refuse { .. } => "refuse",
    }
}
