//! A compact string interner: one arena, end offsets, and a map from a
//! 64-bit hash to the id (collisions kept in a side map), so each distinct
//! string costs its bytes plus about 24 bytes, not two heap allocations.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

/// Interned strings with dense `u32` ids in insertion order.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    arena: String,
    ends: Vec<usize>,
    by_hash: FxHashMap<u64, u32>,
    /// Strings whose hash collided with an earlier, different string.
    collisions: FxHashMap<Box<str>, u32>,
    /// The ids returned most recently: ledger files repeat values on
    /// consecutive rows (a serial's events, an order's lines), and comparing
    /// with the last hit avoids a hash-table probe that misses the cache.
    /// (Measured: keeping 4 recent hits instead of 1 did not pay at 1M
    /// orders.)
    last: Option<u32>,
}

fn hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

impl PartialEq for Interner {
    fn eq(&self, other: &Self) -> bool {
        self.ends == other.ends && self.arena == other.arena
    }
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// Reserve room for `n` more strings (about 12 bytes each).
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        self.by_hash.reserve(n);
        self.arena.reserve(n.saturating_mul(12));
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no string was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string of `id` ("" for an id out of range, so a stale id never
    /// panics).
    pub fn resolve(&self, id: u32) -> &str {
        let i = id as usize;
        if i >= self.ends.len() {
            return "";
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.arena.get(start..self.ends[i]).unwrap_or("")
    }

    /// The id of `s`, if interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        let h = hash(s);
        match self.by_hash.get(&h) {
            Some(&id) if self.resolve(id) == s => Some(id),
            Some(_) => self.collisions.get(s).copied(),
            None => None,
        }
    }

    /// The id of `s`, interning it if new. Returns (id, was_new).
    pub fn intern_new(&mut self, s: &str) -> (u32, bool) {
        if let Some(l) = self.last
            && self.resolve(l) == s
        {
            return (l, false);
        }
        let r = self.intern_slow(s);
        self.last = Some(r.0);
        r
    }

    fn intern_slow(&mut self, s: &str) -> (u32, bool) {
        let h = hash(s);
        match self.by_hash.get(&h) {
            Some(&id) if self.resolve(id) == s => (id, false),
            Some(_) => {
                if let Some(&id) = self.collisions.get(s) {
                    return (id, false);
                }
                let id = self.push(s);
                self.collisions.insert(s.into(), id);
                (id, true)
            }
            None => {
                let id = self.push(s);
                self.by_hash.insert(h, id);
                (id, true)
            }
        }
    }

    /// The id of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.intern_new(s).0
    }

    fn push(&mut self, s: &str) -> u32 {
        self.arena.push_str(s);
        self.ends.push(self.arena.len());
        // Ids are u32 by design (compact rows); 4 billion distinct strings
        // per table is far beyond any ledger this crate targets.
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    /// All strings in id order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.resolve(i as u32))
    }

    /// Approximate heap bytes used.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.ends.capacity() * 8
            + self.by_hash.capacity() * 16
            + self.collisions.len() * 40
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intern_roundtrip_and_dedup() {
        let mut i = Interner::new();
        let a = i.intern("P001");
        let b = i.intern("P002");
        assert_eq!(i.intern("P001"), a);
        assert_ne!(a, b);
        assert_eq!(i.resolve(b), "P002");
        assert_eq!(i.get("P003"), None);
        assert_eq!(i.resolve(99), "");
        assert_eq!(i.iter().collect::<Vec<_>>(), vec!["P001", "P002"]);
    }
}
