//! Integration tests of chiptrace-update: real sockets on 127.0.0.1, real
//! list files from `shared/data/lists`, real data directories in temp dirs.
//!
//! - `download`: `ListStore::update` against a local HTTP server;
//! - `local`: `ListStore::install_local` (air-gapped import);
//! - `store`: crash recovery, pruning, switching versions.

mod download;
mod local;
mod store;
mod support;
