//! Word representations learned from unlabelled text, for the tagger's features: a
//! fastText-style skip-gram with negative sampling (a word's vector is the mean of its own row
//! and the rows of its hashed character n-grams, so a word never seen in training still gets a
//! vector from its spelling), then spherical k-means over the vectors at several granularities.
//! The tagger reads only the cluster ids (compiled into the lexicon by `dossier train lexicon
//! --embeddings FILE`), never the vectors.
//!
//! Deterministic from the seed: one thread, our own generator, no iteration over hash maps.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

/// Training settings of [`train`].
#[derive(Debug, Clone)]
pub struct Settings {
    pub dim: usize,
    pub epochs: usize,
    pub window: usize,
    pub negatives: usize,
    pub min_count: u64,
    /// Character n-grams of `<word>` from `minn` to `maxn` characters.
    pub minn: usize,
    pub maxn: usize,
    /// log2 of the number of n-gram buckets.
    pub bucket_bits: u32,
    pub lr: f32,
    /// Frequent-word subsampling threshold (word2vec's `-sample`).
    pub sample: f64,
    pub seed: u64,
    /// Cluster counts, one id per granularity.
    pub ks: Vec<usize>,
    /// How many of the most frequent words the centroids are fitted on.
    pub fit_words: usize,
    pub kmeans_iters: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dim: 100,
            epochs: 3,
            window: 5,
            negatives: 5,
            min_count: 5,
            minn: 3,
            maxn: 5,
            bucket_bits: 19,
            lr: 0.05,
            sample: 1e-4,
            seed: 1,
            ks: vec![64, 256, 1024],
            fit_words: 60_000,
            kmeans_iters: 12,
        }
    }
}

/// splitmix64: small, fast and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32) as usize * n) >> 32
    }
}

/// Splits a line into word tokens the way the tagger's corpora are tokenised: at white space,
/// with leading and trailing punctuation cut off (and dropped: punctuation gets no vector);
/// inner hyphens, dots and apostrophes stay ("US-amerikanische", "z.B.").
pub fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split_whitespace().filter_map(|chunk| {
        let w = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        (!w.is_empty()).then_some(w)
    })
}

/// The vocabulary and the token stream (word ids; `BREAK` between paragraphs).
pub struct Corpus {
    pub vocab: Vec<String>,
    pub counts: Vec<u64>,
    pub stream: Vec<u32>,
}

pub const BREAK: u32 = u32::MAX;

impl Corpus {
    /// Counts words over `texts` (each a sequence of paragraphs, one per line), keeps those
    /// seen at least `min_count` times (most frequent first, ties by spelling) and encodes the
    /// stream.
    pub fn build(texts: &[String], min_count: u64) -> Corpus {
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for text in texts {
            for line in text.lines() {
                for w in words(line) {
                    *counts.entry(w).or_default() += 1;
                }
            }
        }
        let mut kept: Vec<(&str, u64)> = counts
            .into_iter()
            .filter(|&(_, c)| c >= min_count)
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let index: HashMap<&str, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (*w, i as u32))
            .collect();
        let mut stream = Vec::new();
        for text in texts {
            for line in text.lines() {
                let before = stream.len();
                stream.extend(words(line).filter_map(|w| index.get(w).copied()));
                if stream.len() > before {
                    stream.push(BREAK);
                }
            }
        }
        Corpus {
            vocab: kept.iter().map(|(w, _)| w.to_string()).collect(),
            counts: kept.iter().map(|&(_, c)| c).collect(),
            stream,
        }
    }
}

/// Hashed character n-grams of `<word>` (FNV-1a, as fastText), bucket indices.
pub fn subwords(word: &str, minn: usize, maxn: usize, buckets: usize) -> Vec<u32> {
    let chars: Vec<char> = std::iter::once('<')
        .chain(word.chars().take(40))
        .chain(std::iter::once('>'))
        .collect();
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for start in 0..chars.len() {
        let mut h: u32 = 0x811c_9dc5;
        for (n, &c) in chars[start..].iter().enumerate().take(maxn) {
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h ^= b as u32;
                h = h.wrapping_mul(0x0100_0193);
            }
            let n = n + 1;
            // The whole word "<word>" is the word's own row, not an n-gram.
            if n >= minn && !(start == 0 && start + n == chars.len()) {
                out.push(h % buckets as u32);
            }
        }
    }
    out
}

/// Trained vectors: `input` rows 0..vocab are words, the rest n-gram buckets.
pub struct Vectors {
    pub dim: usize,
    pub vocab: Vec<String>,
    pub index: HashMap<String, u32>,
    pub input: Vec<f32>,
    pub buckets: usize,
    pub minn: usize,
    pub maxn: usize,
}

#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

#[inline]
fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Skip-gram with negative sampling over subword-averaged input vectors.
pub fn train(corpus: &Corpus, s: &Settings, log: &mut dyn FnMut(String)) -> Vectors {
    let dim = s.dim.max(1);
    let nv = corpus.vocab.len();
    let buckets = 1usize << s.bucket_bits.clamp(8, 24);
    let mut rng = Rng::new(s.seed);
    let rows: Vec<Vec<u32>> = corpus
        .vocab
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut r = vec![i as u32];
            r.extend(
                subwords(w, s.minn, s.maxn, buckets)
                    .into_iter()
                    .map(|b| nv as u32 + b),
            );
            r
        })
        .collect();
    let mut input: Vec<f32> = (0..(nv + buckets) * dim)
        .map(|_| ((rng.unit() as f32) - 0.5) / dim as f32)
        .collect();
    let mut output = vec![0f32; nv * dim];
    // Negative-sampling table: unigram counts ^ 0.75.
    let table_size = 10_000_000usize.min(nv.max(1) * 200);
    let mut table = Vec::with_capacity(table_size);
    let total_pow: f64 = corpus.counts.iter().map(|&c| (c as f64).powf(0.75)).sum();
    let mut w = 0usize;
    let mut cum = corpus
        .counts
        .first()
        .map_or(0.0, |&c| (c as f64).powf(0.75))
        / total_pow.max(1e-12);
    for a in 0..table_size {
        if nv == 0 {
            break;
        }
        table.push(w as u32);
        if a as f64 / table_size as f64 > cum && w + 1 < nv {
            w += 1;
            cum += (corpus.counts[w] as f64).powf(0.75) / total_pow.max(1e-12);
        }
    }
    let total_words: u64 = corpus.counts.iter().sum();
    let keep_prob: Vec<f32> = corpus
        .counts
        .iter()
        .map(|&c| {
            let f = c as f64 / total_words.max(1) as f64;
            if s.sample <= 0.0 {
                1.0
            } else {
                (((f / s.sample).sqrt() + 1.0) * s.sample / f).min(1.0) as f32
            }
        })
        .collect();
    let total_steps = (corpus.stream.len() * s.epochs.max(1)) as f64;
    let mut step = 0usize;
    let mut hidden = vec![0f32; dim];
    let mut grad = vec![0f32; dim];
    let mut line: Vec<u32> = Vec::with_capacity(256);
    let mut loss_sum = 0f64;
    let mut loss_n = 0u64;
    let t0 = std::time::Instant::now();
    for epoch in 0..s.epochs.max(1) {
        let mut pos = 0usize;
        while pos < corpus.stream.len() {
            line.clear();
            while pos < corpus.stream.len() && corpus.stream[pos] != BREAK {
                let id = corpus.stream[pos];
                if keep_prob[id as usize] >= 1.0 || rng.unit() < keep_prob[id as usize] as f64 {
                    line.push(id);
                }
                pos += 1;
            }
            let len_with_break = line.len();
            pos += 1;
            let lr = s.lr * (1.0 - (step as f64 / total_steps) as f32).max(1e-4);
            for i in 0..line.len() {
                let center = &rows[line[i] as usize];
                hidden.iter_mut().for_each(|h| *h = 0.0);
                for &r in center {
                    let r = r as usize * dim;
                    axpy(&mut hidden, 1.0, &input[r..r + dim]);
                }
                let inv = 1.0 / center.len() as f32;
                hidden.iter_mut().for_each(|h| *h *= inv);
                grad.iter_mut().for_each(|g| *g = 0.0);
                let b = 1 + rng.below(s.window.max(1));
                let lo = i.saturating_sub(b);
                let hi = (i + b + 1).min(line.len());
                for (j, &ctx) in line.iter().enumerate().take(hi).skip(lo) {
                    if j == i {
                        continue;
                    }
                    for n in 0..=s.negatives {
                        let (target, label) = if n == 0 {
                            (ctx, 1.0f32)
                        } else {
                            let t = table[rng.below(table.len())];
                            if t == ctx {
                                continue;
                            }
                            (t, 0.0)
                        };
                        let o = target as usize * dim;
                        let out_row = &mut output[o..o + dim];
                        let score = dot(&hidden, out_row).clamp(-8.0, 8.0);
                        let sig = 1.0 / (1.0 + (-score).exp());
                        if loss_n < u64::MAX {
                            let p = if label > 0.5 { sig } else { 1.0 - sig };
                            loss_sum -= (p.max(1e-6) as f64).ln();
                            loss_n += 1;
                        }
                        let g = lr * (label - sig);
                        axpy(&mut grad, g, out_row);
                        axpy(out_row, g, &hidden);
                    }
                }
                for &r in center {
                    let r = r as usize * dim;
                    axpy(&mut input[r..r + dim], 1.0, &grad);
                }
            }
            let before = step / 2_000_000;
            step += len_with_break + 1;
            if step / 2_000_000 != before {
                log(format!(
                    "epoch {} {:.1}% loss {:.4} lr {:.4} ({:.0}s)",
                    epoch + 1,
                    100.0 * step as f64 / total_steps,
                    loss_sum / loss_n.max(1) as f64,
                    lr,
                    t0.elapsed().as_secs_f64()
                ));
                loss_sum = 0.0;
                loss_n = 0;
            }
        }
    }
    let index = corpus
        .vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i as u32))
        .collect();
    Vectors {
        dim,
        vocab: corpus.vocab.clone(),
        index,
        input,
        buckets,
        minn: s.minn,
        maxn: s.maxn,
    }
}

impl Vectors {
    /// The unit-length vector of any word: its own row (when in the vocabulary) averaged with
    /// its n-gram rows. `None` for a word with neither.
    pub fn vector(&self, word: &str) -> Option<Vec<f32>> {
        let dim = self.dim;
        let nv = self.vocab.len();
        let mut rows: Vec<usize> = subwords(word, self.minn, self.maxn, self.buckets)
            .into_iter()
            .map(|b| nv + b as usize)
            .collect();
        if let Some(&i) = self.index.get(word) {
            rows.push(i as usize);
        }
        if rows.is_empty() {
            return None;
        }
        let mut v = vec![0f32; dim];
        for r in rows {
            axpy(&mut v, 1.0, &self.input[r * dim..(r + 1) * dim]);
        }
        let norm = dot(&v, &v).sqrt();
        if norm <= 1e-12 {
            return None;
        }
        v.iter_mut().for_each(|x| *x /= norm);
        Some(v)
    }
}

/// Spherical k-means: centroids (unit length, `k × dim`) fitted on `points` (unit rows).
pub fn kmeans(points: &[f32], dim: usize, k: usize, iters: usize, seed: u64) -> Vec<f32> {
    let n = points.len() / dim.max(1);
    let k = k.min(n).max(1);
    let mut rng = Rng::new(seed);
    // Distinct random starting points (a seeded partial shuffle).
    let mut order: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut cent: Vec<f32> = Vec::with_capacity(k * dim);
    for &p in order.iter().take(k) {
        cent.extend_from_slice(&points[p * dim..(p + 1) * dim]);
    }
    if n == 0 {
        return cent;
    }
    let mut assign = vec![0usize; n];
    for _ in 0..iters {
        for (p, a) in assign.iter_mut().enumerate() {
            *a = nearest(&cent, dim, &points[p * dim..(p + 1) * dim]);
        }
        let mut sums = vec![0f32; k * dim];
        for (p, &a) in assign.iter().enumerate() {
            axpy(
                &mut sums[a * dim..(a + 1) * dim],
                1.0,
                &points[p * dim..(p + 1) * dim],
            );
        }
        for c in 0..k {
            let s = &sums[c * dim..(c + 1) * dim];
            let norm = dot(s, s).sqrt();
            if norm > 1e-9 {
                for d in 0..dim {
                    cent[c * dim + d] = s[d] / norm;
                }
            }
        }
    }
    cent
}

/// Index of the centroid with the largest dot product with `v`.
pub fn nearest(cent: &[f32], dim: usize, v: &[f32]) -> usize {
    let mut best = 0;
    let mut best_s = f32::NEG_INFINITY;
    for (c, row) in cent.chunks_exact(dim.max(1)).enumerate() {
        let s = dot(row, v);
        if s > best_s {
            best_s = s;
            best = c;
        }
    }
    best
}

/// Cluster ids (one per `ks` entry) for the corpus vocabulary and `extra` words: the TSV the
/// lexicon compiler reads (`word<TAB>id<TAB>id…`, one line per word, sorted by word).
pub fn cluster_table(
    vectors: &Vectors,
    extra: &[String],
    s: &Settings,
    log: &mut dyn FnMut(String),
) -> String {
    let dim = vectors.dim;
    let fit_n = s.fit_words.min(vectors.vocab.len());
    let mut fit = Vec::with_capacity(fit_n * dim);
    for w in vectors.vocab.iter().take(fit_n) {
        if let Some(v) = vectors.vector(w) {
            fit.extend_from_slice(&v);
        }
    }
    let cents: Vec<Vec<f32>> =
        s.ks.iter()
            .enumerate()
            .map(|(i, &k)| {
                let c = kmeans(&fit, dim, k, s.kmeans_iters, s.seed.wrapping_add(i as u64));
                log(format!("k-means k={k} fitted on {fit_n} words"));
                c
            })
            .collect();
    let mut all: BTreeSet<&str> = vectors.vocab.iter().map(String::as_str).collect();
    all.extend(extra.iter().map(String::as_str));
    let mut out = String::new();
    out.push_str(&format!(
        "# dossier train embeddings: dim {} epochs {} window {} negatives {} min-count {} n-grams {}-{} buckets 2^{} seed {}; k = {:?}\n",
        s.dim, s.epochs, s.window, s.negatives, s.min_count, s.minn, s.maxn, s.bucket_bits, s.seed, s.ks
    ));
    for w in all {
        if w.contains(['\t', '\n']) {
            continue;
        }
        let Some(v) = vectors.vector(w) else {
            continue;
        };
        out.push_str(w);
        for c in &cents {
            out.push('\t');
            out.push_str(&nearest(c, dim, &v).to_string());
        }
        out.push('\n');
    }
    out
}

/// Gzips text.
pub fn gzip(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(text.as_bytes());
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_subwords() {
        let w: Vec<&str> =
            words("„Die US-amerikanische Regierung“ (z.B. heute), sagte er.").collect();
        assert_eq!(
            w,
            [
                "Die",
                "US-amerikanische",
                "Regierung",
                "z.B",
                "heute",
                "sagte",
                "er"
            ]
        );
        let s = subwords("Rat", 3, 5, 1 << 10);
        // <Ra Rat at> <Rat Rat> (the whole "<Rat>" is the word's row)
        assert_eq!(s.len(), 5);
        assert!(s.iter().all(|&b| b < 1 << 10));
        assert!(subwords("", 3, 5, 16).is_empty());
    }

    #[test]
    fn training_is_deterministic_and_clusters_similar_words() {
        let mut text = String::new();
        let mut rng = Rng::new(7);
        let cities = ["Berlin", "Paris", "Rom", "Madrid"];
        let people = ["Merkel", "Scholz", "Macron", "Biden"];
        for _ in 0..400 {
            let c = cities[rng.below(4)];
            let p = people[rng.below(4)];
            text.push_str(&format!(
                "Die Reise nach {c} war lang.\nHeute sagte {p} etwas.\n"
            ));
        }
        let corpus = Corpus::build(&[text], 2);
        let s = Settings {
            dim: 16,
            epochs: 3,
            bucket_bits: 10,
            sample: 0.0,
            ks: vec![2, 4],
            fit_words: 100,
            ..Settings::default()
        };
        let a = train(&corpus, &s, &mut |_| {});
        let b = train(&corpus, &s, &mut |_| {});
        assert_eq!(a.input, b.input);
        let table = cluster_table(&a, &["Berlins".to_string()], &s, &mut |_| {});
        let id = |w: &str| -> String {
            table
                .lines()
                .find(|l| l.split('\t').next() == Some(w))
                .map(|l| l.split('\t').nth(1).unwrap_or("").to_string())
                .unwrap_or_default()
        };
        assert_eq!(id("Berlin"), id("Paris"));
        assert_eq!(id("Merkel"), id("Scholz"));
        assert_ne!(id("Berlin"), id("Merkel"));
        assert!(!id("Berlins").is_empty());
    }
}
