//! The audit signing key: Ed25519, generated on first use, kept in
//! `<data dir>/keys/audit-ed25519.key` (hex secret, mode 0600) with the
//! public key beside it (`audit-ed25519.pub`, hex) for export. Written to a
//! temporary file and renamed, so a crash never leaves half a key.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::{Error, Result};

pub(crate) const SECRET: &str = "audit-ed25519.key";
pub(crate) const PUBLIC: &str = "audit-ed25519.pub";

fn kerr(path: &Path, m: impl ToString) -> Error {
    Error::Key { path: path.to_path_buf(), message: m.to_string() }
}

/// Load or create the signing key under `dir/keys/`.
pub(crate) fn load_or_create(dir: &Path) -> Result<SigningKey> {
    let kdir = dir.join("keys");
    let secret = kdir.join(SECRET);
    if secret.exists() {
        return load(&secret);
    }
    fs::create_dir_all(&kdir).map_err(|e| kerr(&kdir, e))?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| kerr(&secret, format!("no randomness: {e}")))?;
    // written under a per-process temporary name, then hard-linked into place
    // (fails if another process got there first: then its key is the key)
    let tmp = kdir.join(format!("{SECRET}.{}.tmp", std::process::id()));
    write_file(&tmp, &hex::encode(bytes), true)?;
    let linked = fs::hard_link(&tmp, &secret);
    let _ = fs::remove_file(&tmp);
    if let Err(e) = linked
        && e.kind() != std::io::ErrorKind::AlreadyExists
    {
        return Err(kerr(&secret, e));
    }
    let key = load(&secret)?;
    write_atomic(&kdir.join(PUBLIC), &hex::encode(key.verifying_key().as_bytes()), false)?;
    Ok(key)
}

pub(crate) fn load(path: &Path) -> Result<SigningKey> {
    let t = fs::read_to_string(path).map_err(|e| kerr(path, e))?;
    let b = hex::decode(t.trim()).map_err(|e| kerr(path, format!("not hex: {e}")))?;
    let arr: [u8; 32] = b.try_into().map_err(|_| kerr(path, "expected 32 bytes"))?;
    Ok(SigningKey::from_bytes(&arr))
}

/// Read a public key file (hex), e.g. one an examiner received.
pub(crate) fn read_public(path: &Path) -> Result<VerifyingKey> {
    let t = fs::read_to_string(path).map_err(|e| kerr(path, e))?;
    let b = hex::decode(t.trim()).map_err(|e| kerr(path, format!("not hex: {e}")))?;
    let arr: [u8; 32] = b.try_into().map_err(|_| kerr(path, "expected 32 bytes"))?;
    VerifyingKey::from_bytes(&arr).map_err(|e| kerr(path, e))
}

pub(crate) fn public_path(dir: &Path) -> PathBuf {
    dir.join("keys").join(PUBLIC)
}

fn write_atomic(path: &Path, text: &str, secret: bool) -> Result<()> {
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    write_file(&tmp, text, secret)?;
    fs::rename(&tmp, path).map_err(|e| kerr(path, e))
}

fn write_file(tmp: &Path, text: &str, secret: bool) -> Result<()> {
    {
        let mut f = fs::File::create(tmp).map_err(|e| kerr(tmp, e))?;
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| kerr(tmp, e))?;
        }
        #[cfg(not(unix))]
        let _ = secret;
        f.write_all(text.as_bytes()).map_err(|e| kerr(tmp, e))?;
        f.sync_all().map_err(|e| kerr(tmp, e))?;
    }
    Ok(())
}
