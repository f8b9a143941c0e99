//! Ed25519 key files for device keys (standing in for a chip's hardware root
//! of trust) and landmark keys: the secret as 64 hex characters in a file of
//! mode 0600, the public key as hex beside it (`<name>.pub`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::{Error, Result};

fn kerr(path: &Path, m: impl ToString) -> Error {
    Error::Key { path: path.to_path_buf(), message: m.to_string() }
}

/// Generate a key pair: `<prefix>.key` (secret) and `<prefix>.pub`.
/// Refuses to overwrite an existing secret.
pub fn generate(prefix: &Path) -> Result<(PathBuf, VerifyingKey)> {
    let secret = prefix.with_extension("key");
    let public = prefix.with_extension("pub");
    if secret.exists() {
        return Err(kerr(&secret, "already exists; refusing to overwrite a key"));
    }
    let key = SigningKey::from_bytes(&crate::proto::random32()?);
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&secret).map_err(|e| kerr(&secret, e))?;
    f.write_all(hex::encode(key.to_bytes()).as_bytes()).map_err(|e| kerr(&secret, e))?;
    f.sync_all().map_err(|e| kerr(&secret, e))?;
    fs::write(&public, hex::encode(key.verifying_key().as_bytes()))
        .map_err(|e| kerr(&public, e))?;
    Ok((public, key.verifying_key()))
}

/// Read a secret key file.
pub fn load_secret(path: &Path) -> Result<SigningKey> {
    let t = fs::read_to_string(path).map_err(|e| kerr(path, e))?;
    let b = hex::decode(t.trim()).map_err(|e| kerr(path, format!("not hex: {e}")))?;
    let arr: [u8; 32] =
        b.try_into().map_err(|_| kerr(path, "expected 32 bytes (64 hex characters)"))?;
    Ok(SigningKey::from_bytes(&arr))
}

/// Parse a public key given as hex.
pub fn parse_public(hex_text: &str) -> std::result::Result<VerifyingKey, String> {
    let b = hex::decode(hex_text.trim()).map_err(|e| format!("public key is not hex: {e}"))?;
    let arr: [u8; 32] =
        b.try_into().map_err(|_| "public key must be 32 bytes (64 hex characters)".to_string())?;
    VerifyingKey::from_bytes(&arr).map_err(|e| format!("not an Ed25519 public key: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn generate_load_and_refuse_overwrite() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("chip-1");
        let (pubp, vk) = generate(&p).unwrap();
        let sk = load_secret(&p.with_extension("key")).unwrap();
        assert_eq!(sk.verifying_key(), vk);
        assert_eq!(parse_public(&fs::read_to_string(pubp).unwrap()).unwrap(), vk);
        assert!(generate(&p).unwrap_err().to_string().contains("refusing"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(p.with_extension("key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::write(d.path().join("bad.key"), "zz").unwrap();
        assert!(
            load_secret(&d.path().join("bad.key")).unwrap_err().to_string().contains("bad.key")
        );
        assert!(parse_public("00").is_err());
    }
}
