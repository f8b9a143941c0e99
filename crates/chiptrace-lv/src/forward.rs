//! A user-space TCP delay forwarder: the stand-in for distance in labs and
//! tests. The kernel on the project's machines has no `sch_netem`, so
//! `tc netem` cannot add delay; this forwarder accepts on one address,
//! connects to a target, and holds every chunk of bytes for a fixed one-way
//! delay in each direction before passing it on, preserving order.
//!
//! It can only add delay, like the real world (and like a relay). Timing:
//! it sleeps until about a millisecond before a chunk is due, then spins, so
//! the added delay is the configured one plus tens of microseconds.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// One forwarding route.
#[derive(Debug, Clone)]
pub struct Route {
    pub listen: SocketAddr,
    pub target: SocketAddr,
    /// Delay added in each direction.
    pub one_way: Duration,
}

impl std::str::FromStr for Route {
    type Err = String;
    /// `LISTEN=TARGET@MS`, e.g. `127.0.0.1:9001=127.0.0.1:7000@12.75`.
    fn from_str(s: &str) -> std::result::Result<Route, String> {
        let (listen, rest) = s.split_once('=').ok_or("route must be LISTEN=TARGET@MS")?;
        let (target, ms) = rest.split_once('@').ok_or("route must be LISTEN=TARGET@MS")?;
        let ms: f64 = ms.parse().map_err(|e| format!("delay {ms:?}: {e}"))?;
        if !(0.0..=10_000.0).contains(&ms) {
            return Err(format!("delay {ms} ms must be between 0 and 10000"));
        }
        Ok(Route {
            listen: listen.parse().map_err(|e| format!("listen address {listen:?}: {e}"))?,
            target: target.parse().map_err(|e| format!("target address {target:?}: {e}"))?,
            one_way: Duration::from_secs_f64(ms / 1000.0),
        })
    }
}

/// Running forwarder.
pub struct Forwarder {
    /// The bound addresses, in route order (port 0 resolved).
    pub addrs: Vec<SocketAddr>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Forwarder {
    /// Bind every route and start forwarding.
    pub fn spawn(routes: &[Route]) -> Result<Forwarder> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut addrs = Vec::new();
        let mut threads = Vec::new();
        for r in routes {
            let l = TcpListener::bind(r.listen).map_err(|e| Error::io(r.listen, e))?;
            let addr = l.local_addr().map_err(|e| Error::io(r.listen, e))?;
            addrs.push(addr);
            let (target, delay, stop) = (r.target, r.one_way, stop.clone());
            let h = std::thread::Builder::new()
                .name(format!("fwd-{addr}"))
                .spawn(move || {
                    for conn in l.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(inbound) = conn else { continue };
                        std::thread::spawn(move || {
                            if let Err(e) = pipe(inbound, target, delay) {
                                eprintln!("forwarder {addr} -> {target}: {e}");
                            }
                        });
                    }
                })
                .map_err(|e| Error::io("forwarder", e))?;
            threads.push(h);
        }
        Ok(Forwarder { addrs, stop, threads })
    }

    /// Stop accepting new connections (open ones finish on their own).
    pub fn stop(mut self) {
        self.shutdown();
    }
    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for a in &self.addrs {
            let _ = TcpStream::connect_timeout(a, Duration::from_millis(200));
        }
        for h in self.threads.drain(..) {
            let _ = h.join();
        }
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn pipe(inbound: TcpStream, target: SocketAddr, delay: Duration) -> std::io::Result<()> {
    let outbound = TcpStream::connect_timeout(&target, Duration::from_secs(5))?;
    inbound.set_nodelay(true)?;
    outbound.set_nodelay(true)?;
    let (a_r, a_w) = (inbound.try_clone()?, inbound);
    let (b_r, b_w) = (outbound.try_clone()?, outbound);
    let t1 = std::thread::spawn(move || direction(a_r, b_w, delay));
    direction(b_r, a_w, delay);
    let _ = t1.join();
    Ok(())
}

/// Read from `src`, deliver to `dst` `delay` later, in order. One thread
/// per direction stamps each chunk on arrival, waits until it is due and
/// writes it: no hand-over between threads, so the forwarder's own latency
/// stays in the tens of microseconds. Bytes that arrive while a chunk waits
/// are read after it is written and so can be held a little longer than the
/// delay: the forwarder only ever adds delay, like the real world.
fn direction(mut src: TcpStream, mut dst: TcpStream, delay: Duration) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match src.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                wait_until(Instant::now() + delay);
                if dst.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    wait_until(Instant::now() + delay);
    let _ = dst.shutdown(Shutdown::Write);
}

/// Sleep until about 1 ms before `due`, then spin (yielding) to it: sleeps
/// overshoot by ~0.1 ms on Linux, which would be added to every RTT.
pub fn wait_until(due: Instant) {
    loop {
        let now = Instant::now();
        if now >= due {
            return;
        }
        let left = due - now;
        if left > Duration::from_micros(1500) {
            std::thread::sleep(left - Duration::from_millis(1));
        } else {
            std::thread::yield_now();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn routes_parse_and_reject_bad_input() {
        let r: Route = "127.0.0.1:0=127.0.0.1:7000@12.5".parse().unwrap();
        assert_eq!(r.one_way, Duration::from_micros(12_500));
        assert!("127.0.0.1:0".parse::<Route>().is_err());
        assert!("127.0.0.1:0=127.0.0.1:1@-1".parse::<Route>().is_err());
        assert!("127.0.0.1:0=nohost@1".parse::<Route>().is_err());
        assert!("x=127.0.0.1:1@1".parse::<Route>().is_err());
    }

    #[test]
    fn forwarder_adds_the_delay_both_ways() {
        // an echo server behind a 5 ms one-way forwarder: the echo RTT is
        // at least 10 ms, and not much more
        let echo = TcpListener::bind("127.0.0.1:0").unwrap();
        let ea = echo.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut s, _) = echo.accept().unwrap();
            let mut b = [0u8; 4];
            for _ in 0..5 {
                s.read_exact(&mut b).unwrap();
                s.write_all(&b).unwrap();
            }
        });
        let f = Forwarder::spawn(&[Route {
            listen: "127.0.0.1:0".parse().unwrap(),
            target: ea,
            one_way: Duration::from_millis(5),
        }])
        .unwrap();
        let mut c = TcpStream::connect(f.addrs[0]).unwrap();
        c.set_nodelay(true).unwrap();
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            c.write_all(b"ping").unwrap();
            let mut b = [0u8; 4];
            c.read_exact(&mut b).unwrap();
            assert_eq!(&b, b"ping");
            best = best.min(t.elapsed());
        }
        assert!(best >= Duration::from_millis(10), "delay not added: {best:?}");
        assert!(best < Duration::from_millis(30), "delay far too large: {best:?}");
    }
}
