//! Repeated tokens judged once: a per-run memo from a line's token text to what its line says.
//!
//! A hit is exactly the line the token would get judged again: every token of a run is judged
//! at the run's one clock (`--now`, else the moment the run started), the configuration is the
//! run's, and an entry is used only while the run has obtained no key material since the token
//! began to be judged (a key set fetched again after a kid miss, or a fetch that failed and
//! will be tried again; a key source loaded for the first time): [`Loader::generation`].
//! Tokens are keyed by their SHA-256, so a long token costs 32 bytes of memo.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::net::keys::Loader;
use crate::render::batch::Counted;

/// At most this many tokens are remembered.
pub const MAX_ENTRIES: usize = 65_536;

/// At most this many bytes of lines (with a fixed overhead per entry) are remembered; a text
/// line is about 150 bytes, an NDJSON report a few KiB. (At 16 MiB, a run of distinct tokens
/// with `--json` peaked at 34 MiB; at 8 MiB, 22 MiB.)
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// What the memo counts per entry beyond its line: the key, the map's slot, the counts.
const OVERHEAD: usize = 96;

/// The memo's parts, each under its own lock and holding its share of the bounds, so that
/// workers do not all queue on one lock. (On the 2-core VM the memo costs about 2.2 µs per
/// distinct token with one worker as with two: the lock was not what it cost.)
const SHARDS: usize = 16;

/// The memo of a run, shared by its workers; a token's part is chosen by its digest.
pub struct Memo {
    shards: [Mutex<Entries>; SHARDS],
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            shards: std::array::from_fn(|_| Mutex::default()),
        }
    }
}

#[derive(Default)]
struct Entries {
    by_token: HashMap<[u8; 32], Entry>,
    /// Every entry's line, one after another: one buffer, not an allocation per token (on
    /// distinct tokens, where the memo only costs, that was a malloc and a free per token).
    lines: Vec<u8>,
    bytes: usize,
}

/// A judged token: where its line without the line number is in `lines`, what the summary
/// counts, and the key material it was judged with (the clock is the run's one clock).
struct Entry {
    body: std::ops::Range<usize>,
    counted: Counted,
    generation: u64,
}

/// A token's place in the memo.
pub struct Key {
    digest: [u8; 32],
    /// The run's key material when the token came.
    generation: u64,
}

impl Key {
    /// The key of `text`, with `loader`'s key material as it is now.
    pub fn of(text: &str, loader: &Loader) -> Key {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Key {
            digest: bytes,
            generation: loader.generation(),
        }
    }
}

impl Memo {
    /// Appends the remembered line body of `key` to `out` and gives what the summary counts,
    /// if the token was judged with the key material it would be judged with now.
    pub fn get(&self, key: &Key, out: &mut Vec<u8>) -> Option<Counted> {
        let entries = self.lock(key);
        let entry = entries.by_token.get(&key.digest)?;
        if entry.generation != key.generation {
            return None;
        }
        out.extend_from_slice(entries.lines.get(entry.body.clone())?);
        Some(entry.counted)
    }

    /// Remembers a token's line body under `key` (taken before it was judged: if key material
    /// was obtained meanwhile, the entry is never used). When the token's part of the memo is
    /// full (its share of [`MAX_ENTRIES`] or [`MAX_BYTES`]), that part is emptied first.
    pub fn put(&self, key: Key, body: &[u8], counted: Counted) {
        let size = body.len() + OVERHEAD;
        let mut entries = self.lock(&key);
        if entries.by_token.len() >= MAX_ENTRIES / SHARDS
            || entries.bytes + size > MAX_BYTES / SHARDS
        {
            entries.by_token.clear();
            entries.lines.clear();
            entries.bytes = 0;
        }
        if entries.lines.capacity() == 0 {
            // A part's whole share of lines at once: growing it step by step copied every line
            // again at each step (the memory is only taken as lines are written). Not so the
            // map: its entries land anywhere in it, so a map sized for the share would touch
            // all of its memory however few tokens the run has.
            entries.lines.reserve(MAX_BYTES / SHARDS);
        }
        let start = entries.lines.len();
        entries.lines.extend_from_slice(body);
        let entry = Entry {
            body: start..entries.lines.len(),
            counted,
            generation: key.generation,
        };
        entries.bytes += size;
        if entries.by_token.insert(key.digest, entry).is_some() {
            // The old line stays in `lines` until the memo starts over (still counted); only
            // its entry is gone.
            entries.bytes = entries.bytes.saturating_sub(OVERHEAD);
        }
    }

    fn lock(&self, key: &Key) -> std::sync::MutexGuard<'_, Entries> {
        let shard = usize::from(key.digest[0]) % SHARDS;
        // `shard` < SHARDS, the array's length: `get` cannot miss; the first part stands in.
        self.shards
            .get(shard)
            .unwrap_or(&self.shards[0])
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_states_the_bound_the_memo_keeps() {
        use clap::CommandFactory as _;
        let mut cli = crate::cli::Cli::command();
        let help = cli
            .find_subcommand_mut("verify")
            .map(|c| c.render_long_help().to_string())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!((MAX_ENTRIES, MAX_BYTES), (65_536, 8 * 1024 * 1024));
        assert!(
            help.contains("at most 65,536 tokens and 8 MiB of lines"),
            "{help}"
        );
    }

    #[test]
    fn a_full_memo_starts_over() {
        let memo = Memo::default();
        let counted = Counted::of(&crate::report::Report::new(0.0));
        // Keys of one part (same first byte): its share of the bounds.
        let key = |i: u32| Key {
            digest: {
                let mut d = [0u8; 32];
                d[1..5].copy_from_slice(&i.to_le_bytes());
                d
            },
            generation: 0,
        };
        let share = u32::try_from(MAX_ENTRIES / SHARDS).unwrap();
        for i in 0..=share {
            memo.put(key(i), b"x\n", counted);
        }
        let mut out = Vec::new();
        assert!(memo.get(&key(0), &mut out).is_none());
        assert!(memo.get(&key(share), &mut out).is_some());
        assert_eq!(memo.lock(&key(0)).by_token.len(), 1);
        let big = vec![b'x'; MAX_BYTES / SHARDS / 2];
        memo.put(key(1), &big, counted);
        memo.put(key(2), &big, counted);
        assert_eq!(memo.lock(&key(0)).by_token.len(), 1);
        // Another part keeps its entries meanwhile.
        let other = || {
            let mut k = key(7);
            k.digest[0] = 1;
            k
        };
        memo.put(other(), b"y\n", counted);
        memo.put(key(3), &big, counted);
        assert!(memo.get(&other(), &mut out).is_some());
    }
}
