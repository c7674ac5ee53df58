//! The tagging model: hashed feature rows of per-label weights, first-order label transitions
//! and Viterbi decoding under BIO constraints (`I-X` only after `B-X` or `I-X`).
//!
//! The shipped form stores only the non-zero rows, quantised to i16 (zigzag varints, gzipped);
//! at load time an index of `2^bits` u32 maps a feature id to its row, padded to one cache
//! line. Tagging is memory-bound (an index load and a row load per feature), hence the padding
//! and the small default table (2^19 rows).

use crate::lexicon::{put_str, put_varint, ByteReader};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::{Read, Write};

const MAGIC: &[u8; 6] = b"DNNR02";

/// The most labels a model can have: one weight row is 16 i16 = half a 64-byte cache line.
pub const MAX_LABELS: usize = 16;

/// The weights of one feature row, padded and aligned to half a cache line so that scoring a
/// feature costs one memory access, two rows share a line, and the additions vectorise.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct Row([i16; MAX_LABELS]);

/// A trained model ready for tagging.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub labels: Vec<String>,
    pub bits: u32,
    /// `index[feature]` = 1 + row number in `rows`, 0 = no weights.
    index: Vec<u32>,
    rows: Vec<Row>,
    /// Multiply an i16 weight by this to get the trained weight.
    unscale: f32,
    /// `trans[prev * L + cur]`.
    pub trans: Vec<f32>,
    pub start: Vec<f32>,
    pub allowed: Vec<bool>,
    pub start_allowed: Vec<bool>,
    /// `prevs[cur]`: the labels allowed before `cur` (from `allowed`).
    prevs: Vec<Vec<u16>>,
    /// Subtracted from the `O` score of every token (label 0): trades precision for recall,
    /// tuned on dev.
    pub o_penalty: f32,
}

/// BIO constraints of a label set: (`allowed[prev * L + cur]`, `start_allowed[cur]`).
pub fn constraints(labels: &[String]) -> (Vec<bool>, Vec<bool>) {
    let l = labels.len();
    let mut allowed = vec![true; l * l];
    let mut start = vec![true; l];
    for (c, cur) in labels.iter().enumerate() {
        if let Some(ty) = cur.strip_prefix("I-") {
            start[c] = false;
            for (p, prev) in labels.iter().enumerate() {
                let ok = prev.strip_prefix("B-") == Some(ty) || prev.strip_prefix("I-") == Some(ty);
                allowed[p * l + c] = ok;
            }
        }
    }
    (allowed, start)
}

/// For each label, the labels allowed before it (`allowed[prev * L + cur]`).
pub fn prev_lists(allowed: &[bool], l: usize) -> Vec<Vec<u16>> {
    (0..l)
        .map(|c| {
            (0..l)
                .filter(|&p| allowed.get(p * l + c).copied().unwrap_or(false))
                .map(|p| p as u16)
                .collect()
        })
        .collect()
}

/// Best label sequence for emission scores `emit[i * L + label]`; `prevs` from [`prev_lists`].
pub fn viterbi(
    emit: &[f32],
    l: usize,
    trans: &[f32],
    start: &[f32],
    prevs: &[Vec<u16>],
    start_allowed: &[bool],
) -> Vec<u16> {
    let n = emit.len().checked_div(l).unwrap_or(0);
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = vec![NEG; l];
    for c in 0..l {
        if start_allowed[c] {
            score[c] = start[c] + emit[c];
        }
    }
    let mut back = vec![0u16; n * l];
    let mut next = vec![NEG; l];
    for i in 1..n {
        for c in 0..l {
            let mut best = NEG;
            let mut arg = 0u16;
            for &p in &prevs[c] {
                let s = score[p as usize] + trans[p as usize * l + c];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            next[c] = best + emit[i * l + c];
            back[i * l + c] = arg;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut best = 0;
    for c in 1..l {
        if score[c] > score[best] {
            best = c;
        }
    }
    let mut out = vec![0u16; n];
    out[n - 1] = best as u16;
    for i in (1..n).rev() {
        out[i - 1] = back[i * l + out[i] as usize];
    }
    out
}

impl Model {
    pub fn num_labels(&self) -> usize {
        self.labels.len()
    }

    pub fn mask(&self) -> u32 {
        ((1u64 << self.bits) - 1) as u32
    }

    /// Builds a model from dense trained weights (`weights[row * L + label]`), dropping
    /// weights whose magnitude is below `prune`.
    pub fn from_dense(
        labels: Vec<String>,
        bits: u32,
        weights: &[f32],
        trans: Vec<f32>,
        start: Vec<f32>,
        prune: f32,
    ) -> Model {
        let l = labels.len();
        assert!(l <= MAX_LABELS, "a model holds at most {MAX_LABELS} labels");
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = 32767.0 / max;
        let mut index = vec![0u32; 1usize << bits];
        let mut rows = Vec::new();
        for (r, slot) in index.iter_mut().enumerate() {
            let row = &weights[r * l..r * l + l];
            if row.iter().all(|w| w.abs() < prune) {
                continue;
            }
            let mut packed = Row([0; MAX_LABELS]);
            for (q, w) in packed.0.iter_mut().zip(row) {
                let x = if w.abs() < prune { 0.0 } else { w * scale };
                *q = x.round().clamp(-32767.0, 32767.0) as i16;
            }
            rows.push(packed);
            *slot = rows.len() as u32;
        }
        let (allowed, start_allowed) = constraints(&labels);
        let prevs = prev_lists(&allowed, l);
        Model {
            labels,
            bits,
            index,
            rows,
            unscale: 1.0 / scale,
            trans,
            start,
            allowed,
            start_allowed,
            prevs,
            o_penalty: 0.0,
        }
    }

    /// Number of feature rows with weights.
    pub fn stored_rows(&self) -> usize {
        self.rows.len()
    }

    /// Sums the rows of `rows` (1-based row numbers, 0 = none) into `out` (length L).
    #[inline]
    fn sum_rows(&self, rows: &[u32], out: &mut [f32]) {
        let mut acc = [0i32; MAX_LABELS];
        for &r in rows {
            if let Some(Row(row)) = (r as usize).checked_sub(1).and_then(|r| self.rows.get(r)) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += w as i32;
                }
            }
        }
        for (o, &a) in out.iter_mut().zip(acc.iter()) {
            *o = a as f32 * self.unscale;
        }
    }

    /// Best label ids for a sentence's features.
    pub fn decode(&self, feats: &crate::features::SentenceFeatures) -> Vec<u16> {
        let l = self.labels.len();
        if l == 0 {
            return vec![0; feats.len()];
        }
        let n = feats.len();
        // Two passes over the whole sentence: first every feature's row number, then the sums.
        // Scoring is bound by cache misses (an index load, then the row load that depends on
        // it); loads that do not depend on each other overlap, so resolving a sentence's
        // thousands of index entries in one loop hides most of their latency.
        let rows: Vec<u32> = feats
            .feats
            .iter()
            .map(|&f| self.index.get(f as usize).copied().unwrap_or(0))
            .collect();
        let mut emit = vec![0f32; n * l];
        for i in 0..n {
            let span = feats.offsets[i]..feats.offsets[i + 1];
            self.sum_rows(&rows[span], &mut emit[i * l..(i + 1) * l]);
            if self.labels[0] == "O" {
                emit[i * l] -= self.o_penalty;
            }
        }
        viterbi(
            &emit,
            l,
            &self.trans,
            &self.start,
            &self.prevs,
            &self.start_allowed,
        )
    }

    /// Serialises and gzips the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let l = self.labels.len();
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        put_varint(&mut raw, l as u64);
        for lab in &self.labels {
            put_str(&mut raw, lab);
        }
        put_varint(&mut raw, self.bits as u64);
        raw.extend_from_slice(&self.unscale.to_le_bytes());
        raw.extend_from_slice(&self.o_penalty.to_le_bytes());
        for x in self.trans.iter().chain(&self.start) {
            raw.extend_from_slice(&x.to_le_bytes());
        }
        put_varint(&mut raw, self.stored_rows() as u64);
        let mut prev = 0usize;
        for (f, &r) in self.index.iter().enumerate() {
            if r == 0 {
                continue;
            }
            put_varint(&mut raw, (f - prev) as u64);
            prev = f;
            let row = &self.rows[r as usize - 1].0[..l];
            for &w in row {
                let z = ((w as i32) << 1) ^ ((w as i32) >> 31);
                put_varint(&mut raw, z as u64);
            }
        }
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(gz: &[u8]) -> Result<Model, String> {
        let mut raw = Vec::new();
        GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .map_err(|e| format!("model: {e}"))?;
        let mut r = ByteReader::new(&raw);
        if r.take(MAGIC.len())? != MAGIC {
            return Err("model: bad magic".into());
        }
        let l = r.varint()? as usize;
        if l == 0 || l > MAX_LABELS {
            return Err("model: bad label count".into());
        }
        let mut labels = Vec::with_capacity(l);
        for _ in 0..l {
            labels.push(r.string()?);
        }
        let bits = r.varint()? as u32;
        if !(8..=26).contains(&bits) {
            return Err("model: bad table size".into());
        }
        let unscale = r.f32()?;
        let o_penalty = r.f32()?;
        let mut trans = Vec::with_capacity(l * l);
        for _ in 0..l * l {
            trans.push(r.f32()?);
        }
        let mut start = Vec::with_capacity(l);
        for _ in 0..l {
            start.push(r.f32()?);
        }
        let n = r.varint()? as usize;
        let mut index = vec![0u32; 1usize << bits];
        let mut rows = Vec::with_capacity(n.min(1 << bits));
        let mut f = 0usize;
        for k in 0..n {
            f = f.saturating_add(r.varint()? as usize);
            let slot = index.get_mut(f).ok_or("model: feature out of range")?;
            let mut packed = Row([0; MAX_LABELS]);
            for q in packed.0.iter_mut().take(l) {
                let z = r.varint()? as i32;
                *q = ((z >> 1) ^ -(z & 1)) as i16;
            }
            rows.push(packed);
            *slot = k as u32 + 1;
        }
        let (allowed, start_allowed) = constraints(&labels);
        let prevs = prev_lists(&allowed, l);
        Ok(Model {
            labels,
            bits,
            index,
            rows,
            unscale,
            trans,
            start,
            allowed,
            start_allowed,
            prevs,
            o_penalty,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        ["O", "B-PER", "I-PER"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// A hand-built model over 4 feature rows and labels O, B-PER, I-PER:
    ///
    /// ```text
    ///   feature   O    B-PER  I-PER
    ///   0 (bias)  1.0  0.0    0.0
    ///   1 (cap)   0.0  2.0    1.5
    ///   2 (after) -    -      -      (all zero: not stored)
    ///   3 (name)  0.0  0.0    2.0
    /// ```
    ///
    /// Token A has features {0, 1} → scores (1.0, 2.0, 1.5): B-PER.
    /// Token B has features {0, 1, 3} → (1.0, 2.0, 3.5): I-PER is best and allowed after B-PER.
    /// Token C has {0} → (1.0, 0, 0): O.  Transitions are all zero.
    #[test]
    fn hand_built_model_decodes_bio() {
        let w = [1.0, 0.0, 0.0, 0.0, 2.0, 1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0];
        let mut full = vec![0f32; 256 * 3];
        full[..12].copy_from_slice(&w);
        let m = Model::from_dense(labels(), 8, &full, vec![0.0; 9], vec![0.0; 3], 1e-6);
        assert_eq!(m.stored_rows(), 3);
        let feats = crate::features::SentenceFeatures {
            feats: vec![0, 1, 0, 1, 3, 0],
            offsets: vec![0, 2, 5, 6],
        };
        assert_eq!(m.decode(&feats), vec![1, 2, 0]);
        // Round trip through the shipped format.
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.decode(&feats), vec![1, 2, 0]);
        // I-PER cannot start a sentence: token B alone is tagged B-PER (2.0 beats O's 1.0).
        let alone = crate::features::SentenceFeatures {
            feats: vec![0, 1, 3],
            offsets: vec![0, 3],
        };
        assert_eq!(m.decode(&alone), vec![1]);
    }

    #[test]
    fn bad_models_are_errors() {
        assert!(Model::from_bytes(b"").is_err());
        assert!(Model::from_bytes(&[0x1f, 0x8b, 0, 0]).is_err());
    }
}
