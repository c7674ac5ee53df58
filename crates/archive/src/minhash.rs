//! MinHash signatures over word shingles, LSH band keys, and the exact check of a candidate.
//!
//! Hand-written (about 80 lines) rather than a crate: the signatures are stored in the archive,
//! so their hash functions must never change under us with a dependency update, and the LSH
//! buckets live in the store (an SQL table), not in a crate's in-memory index.
//!
//! Agency copies in the dev set are often shortened or re-edited: their Jaccard similarity on
//! 5-word shingles goes down to 0.16 (containment 0.35). The bands are therefore narrow (2 rows,
//! 128 bands over 256 hashes: a pair at Jaccard 0.16 becomes a candidate with probability 0.96),
//! and every candidate is checked exactly: containment of the shorter text and the longest run
//! of shared shingles, which tells a reprinted agency text from two reports quoting one statement.

use crate::text::mix64;
use std::collections::HashSet;

pub const HASHES: usize = 256;
pub const ROWS: usize = 2;
pub const BANDS: usize = HASHES / ROWS;

/// A pair is a near-duplicate when the shorter text's shingles are at least this much contained
/// in the other's ...
pub const MIN_CONTAINMENT: f64 = 0.30;
/// ... and they share a run of at least this many consecutive shingles (or containment is high).
pub const MIN_RUN: usize = 25;
pub const SURE_CONTAINMENT: f64 = 0.6;

/// The MinHash signature of a shingle set (256 minima of seeded mixes, truncated to 32 bits).
pub fn signature(shingles: &[u64]) -> Vec<u32> {
    let mut sig = vec![u32::MAX; HASHES];
    for &s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = (mix64(s ^ SEEDS[i % SEEDS.len()].wrapping_mul(i as u64 + 1)) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

const SEEDS: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// One key per band: the band number and its rows hashed together.
pub fn band_keys(sig: &[u32]) -> Vec<i64> {
    sig.chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = mix64(band as u64 + 1);
            for &r in rows {
                h = mix64(h ^ u64::from(r));
            }
            h as i64
        })
        .collect()
}

/// The estimated Jaccard similarity of two signatures.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

/// The exact comparison of two shingle sequences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Shared distinct shingles over the distinct shingles of the shorter text.
    pub containment: f64,
    /// The longest run of consecutive shingles of one text that all occur in the other.
    pub longest_run: usize,
}

impl Overlap {
    pub fn is_near_duplicate(&self) -> bool {
        self.containment >= SURE_CONTAINMENT
            || (self.containment >= MIN_CONTAINMENT && self.longest_run >= MIN_RUN)
    }
}

pub fn overlap(a: &[u64], b: &[u64]) -> Overlap {
    let sa: HashSet<u64> = a.iter().copied().collect();
    let sb: HashSet<u64> = b.iter().copied().collect();
    let shared = sa.intersection(&sb).count();
    let containment = shared as f64 / sa.len().min(sb.len()).max(1) as f64;
    let run = |seq: &[u64], other: &HashSet<u64>| {
        let (mut best, mut cur) = (0, 0);
        for s in seq {
            cur = if other.contains(s) { cur + 1 } else { 0 };
            best = best.max(cur);
        }
        best
    };
    Overlap {
        containment,
        longest_run: run(a, &sb).max(run(b, &sa)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::shingles;

    #[test]
    fn copies_are_near_duplicates_and_strangers_are_not() {
        let base =
            "Die Bundesregierung hat am Montag in Berlin beschlossen, dass die Lieferung von \
                    Panzern an die Ukraine fortgesetzt wird. Das teilte ein Sprecher mit. Die \
                    Opposition kritisierte die Entscheidung scharf und verlangte eine Debatte im \
                    Bundestag, bevor weitere Waffen geliefert werden. Der Kanzler wies das zurück.";
        let copy = format!("{base} Weitere Einzelheiten wurden nicht bekannt.");
        let other = "The central bank raised interest rates by a quarter point on Wednesday, citing \
                     persistent inflation in services and a tight labour market across the country.";
        let (a, b, c) = (shingles(base), shingles(&copy), shingles(other));
        assert!(overlap(&a, &b).is_near_duplicate());
        assert!(!overlap(&a, &c).is_near_duplicate());
        let (sa, sb) = (signature(&a), signature(&b));
        assert!(jaccard(&sa, &sb) > 0.6);
        let shared = band_keys(&sa)
            .iter()
            .zip(band_keys(&sb))
            .filter(|(x, y)| **x == *y)
            .count();
        assert!(shared > 0);
    }
}
