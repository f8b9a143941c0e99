//! A minimal HTTP/1.1 file server on 127.0.0.1, written with std::net so
//! that the tests exercise real sockets without a server dependency.
//!
//! It serves a directory tree read-only, and individual paths can be
//! overridden with canned behaviour (other bytes, a status, a redirect, a
//! server that never answers, a body without Content-Length). Every
//! connection gets `Connection: close`. The accept loop stops when the
//! server is dropped, and a hanging handler gives up after a bounded time,
//! so nothing outlives the test.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Canned behaviour for a path.
#[derive(Clone, Debug)]
pub enum Route {
    /// Serve this file (200, with Content-Length).
    File(PathBuf),
    /// Serve these bytes (200, with Content-Length).
    Bytes(Vec<u8>),
    /// Serve these bytes with no Content-Length, ending at connection close.
    Unsized(Vec<u8>),
    /// Answer with this status and a short text body.
    Status(u16),
    /// 302 to this Location.
    Redirect(String),
    /// Accept, read the request, and never answer (until the server is
    /// dropped or a bounded wait expires).
    Hang,
    /// Send the headers (with the full Content-Length) and the first half
    /// of these bytes, then stall like `Hang`.
    Stall(Vec<u8>),
}

/// Longest a `Hang` handler keeps its socket open.
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// A running server; stops accepting when dropped.
pub struct TestServer {
    addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// Serve `root` on 127.0.0.1 at an OS-chosen port.
    pub fn start(root: &Path) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, r, s) = (root.to_owned(), routes.clone(), stop.clone());
        thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (root, r, s) = (root.clone(), r.clone(), s.clone());
                        thread::spawn(move || {
                            let _ = handle(stream, &root, &r, &s);
                        });
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        TestServer { addr, routes, stop }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Override what `path` returns.
    pub fn set(&self, path: &str, route: Route) {
        self.routes.lock().expect("routes lock").insert(path.to_owned(), route);
    }

    /// Remove an override.
    pub fn reset(&self, path: &str) {
        self.routes.lock().expect("routes lock").remove(path);
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn handle(
    mut stream: TcpStream,
    root: &Path,
    routes: &Mutex<HashMap<String, Route>>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" {
        return respond(&mut stream, 405, "text/plain", b"only GET", true);
    }
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let route = routes.lock().expect("routes lock").get(&path).cloned();
    let route = route.unwrap_or_else(|| match safe_join(root, &path) {
        Some(p) if p.is_file() => Route::File(p),
        _ => Route::Status(404),
    });
    match route {
        Route::File(p) => {
            let body = std::fs::read(p)?;
            respond(&mut stream, 200, "application/octet-stream", &body, true)
        }
        Route::Bytes(body) => respond(&mut stream, 200, "application/octet-stream", &body, true),
        Route::Unsized(body) => respond(&mut stream, 200, "application/octet-stream", &body, false),
        Route::Status(code) => {
            respond(&mut stream, code, "text/plain", format!("status {code}\n").as_bytes(), true)
        }
        Route::Redirect(location) => {
            let msg = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(msg.as_bytes())
        }
        Route::Hang => {
            hang(stop);
            Ok(())
        }
        Route::Stall(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body[..body.len() / 2])?;
            stream.flush()?;
            hang(stop);
            Ok(())
        }
    }
}

fn hang(stop: &AtomicBool) {
    let start = Instant::now();
    while !stop.load(Ordering::SeqCst) && start.elapsed() < HANG_LIMIT {
        thread::sleep(Duration::from_millis(50));
    }
}

fn respond(
    stream: &mut TcpStream,
    code: u16,
    ctype: &str,
    body: &[u8],
    sized: bool,
) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut head =
        format!("HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nConnection: close\r\n");
    if sized {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// Map a URL path to a file under `root`, refusing anything that could
/// escape it.
fn safe_join(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Some(root.join(rel))
    } else {
        None
    }
}
