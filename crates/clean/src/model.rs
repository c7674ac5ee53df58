//! The line classifier's model: a linear-chain averaged perceptron over hashed line features,
//! decoded with Viterbi (so each line's label also weighs the label of the line above).
//!
//! Written here by hand because it is small: training a page is one Viterbi pass and, where it
//! errs, one update of the features of the wrong and the right labels and of the label bigrams.
//! Training is deterministic (pages visited in a fixed pseudo-random order per epoch).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Number of labels the model chooses among (every label but `blank`).
pub(crate) const N: usize = 13;

/// A trained model: weights per seen feature and label, and label-bigram weights.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    /// Feature hashes, sorted.
    features: Vec<u32>,
    /// `features.len() × N` weights, row per feature.
    weights: Vec<f32>,
    /// `(N + 1) × N`: row `N` is the start of the page.
    transitions: Vec<f32>,
    /// The headline ranker (see `crate::headline`): feature hashes, sorted, and one weight each.
    headline_features: Vec<u32>,
    headline_weights: Vec<f32>,
    /// The second, stacked pass (`crate::stack`): a model of the same kind over the first pass's
    /// features plus structural ones read from its output.
    second: Option<Box<Model>>,
}

/// One page for training: each non-blank line's features and gold label index.
#[derive(Debug, Clone)]
pub struct TrainPage {
    pub features: Vec<Vec<u32>>,
    pub gold: Vec<usize>,
    /// The page's headline options (features of each candidate line, then of "none") and the
    /// right option; `None` when the labelled headline is not among the candidates.
    pub headline: Option<(Vec<Vec<u32>>, usize)>,
}

impl Model {
    fn emissions(&self, feats: &[u32]) -> [f32; N] {
        let mut out = [0f32; N];
        for f in feats {
            if let Ok(row) = self.features.binary_search(f) {
                for (o, w) in out.iter_mut().zip(&self.weights[row * N..row * N + N]) {
                    *o += w;
                }
            }
        }
        out
    }

    /// The best label sequence for a page's lines, and each line's label scores.
    /// `bias` is added to every line's score of each label.
    pub(crate) fn decode(
        &self,
        lines: &[Vec<u32>],
        bias: &[f32; N],
    ) -> (Vec<usize>, Vec<[f32; N]>) {
        let emissions: Vec<[f32; N]> = lines
            .iter()
            .map(|f| {
                let mut e = self.emissions(f);
                for (e, b) in e.iter_mut().zip(bias) {
                    *e += b;
                }
                e
            })
            .collect();
        let trans =
            |from: usize, to: usize| self.transitions.get(from * N + to).copied().unwrap_or(0.0);
        (viterbi(&emissions, trans), emissions)
    }

    /// The stacked second pass, if trained.
    pub(crate) fn second(&self) -> Option<&Model> {
        self.second.as_deref()
    }

    /// Adds the stacked second pass.
    pub fn with_second(mut self, second: Model) -> Model {
        self.second = Some(Box::new(second));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Whether the model has a headline ranker.
    pub(crate) fn ranks_headlines(&self) -> bool {
        !self.headline_features.is_empty()
    }

    /// The score of each headline option.
    pub(crate) fn headline_scores(&self, options: &[Vec<u32>]) -> Vec<f32> {
        options
            .iter()
            .map(|fs| {
                fs.iter()
                    .filter_map(|f| self.headline_features.binary_search(f).ok())
                    .map(|k| self.headline_weights[k])
                    .sum()
            })
            .collect()
    }

    /// Gzipped postcard bytes (the form embedded in the binary).
    pub fn to_bytes(&self) -> Vec<u8> {
        use std::io::Write;
        let raw = postcard::to_allocvec(self).unwrap_or_default();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gz.write_all(&raw);
        gz.finish().unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        use std::io::Read;
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .ok()?;
        postcard::from_bytes(&raw).ok()
    }
}

fn viterbi(emissions: &[[f32; N]], trans: impl Fn(usize, usize) -> f32) -> Vec<usize> {
    if emissions.is_empty() {
        return Vec::new();
    }
    let mut score: Vec<[f32; N]> = Vec::with_capacity(emissions.len());
    let mut back: Vec<[u8; N]> = Vec::with_capacity(emissions.len());
    let mut first = [0f32; N];
    for y in 0..N {
        first[y] = emissions[0][y] + trans(N, y);
    }
    score.push(first);
    back.push([0; N]);
    for e in &emissions[1..] {
        let prev = score.last().copied().unwrap_or([0.0; N]);
        let mut s = [f32::NEG_INFINITY; N];
        let mut b = [0u8; N];
        for y in 0..N {
            for (p, ps) in prev.iter().enumerate() {
                let v = ps + trans(p, y);
                if v > s[y] {
                    s[y] = v;
                    b[y] = p as u8;
                }
            }
            s[y] += e[y];
        }
        score.push(s);
        back.push(b);
    }
    let last = score.last().copied().unwrap_or([0.0; N]);
    let mut y = (0..N)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut out = vec![0; emissions.len()];
    for i in (0..emissions.len()).rev() {
        out[i] = y;
        y = back[i][y] as usize;
    }
    out
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub seed: u64,
    /// Epochs of the headline ranker.
    pub ranker_epochs: usize,
    /// How many models (each with its own page order) are averaged into one.
    pub bag: usize,
    /// Folds of the jackknife that trains the stacked second pass (below 2: no second pass).
    pub stack_folds: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 20,
            seed: 7,
            ranker_epochs: 3,
            bag: 5,
            stack_folds: 4,
        }
    }
}

/// Trains `settings.bag` averaged structured perceptrons, each visiting the pages in its own
/// order (seeds `seed`, `seed + 1`, …), and averages their weights: one linear model that depends
/// less on the order of the pages.
pub fn train(pages: &[TrainPage], settings: Settings) -> Model {
    let k = settings.bag.max(1);
    let models: Vec<Model> = (0..k as u64)
        .map(|b| {
            train_one(
                pages,
                Settings {
                    seed: settings.seed.wrapping_add(b),
                    ..settings
                },
            )
        })
        .collect();
    let scale = 1.0 / k as f32;
    let mut rows: BTreeMap<u32, [f32; N]> = BTreeMap::new();
    let mut heads: BTreeMap<u32, f32> = BTreeMap::new();
    let mut transitions = vec![0f32; (N + 1) * N];
    for m in &models {
        for (r, f) in m.features.iter().enumerate() {
            let row = rows.entry(*f).or_insert([0.0; N]);
            for (o, w) in row.iter_mut().zip(&m.weights[r * N..r * N + N]) {
                *o += w * scale;
            }
        }
        for (f, w) in m.headline_features.iter().zip(&m.headline_weights) {
            *heads.entry(*f).or_default() += w * scale;
        }
        for (o, t) in transitions.iter_mut().zip(&m.transitions) {
            *o += t * scale;
        }
    }
    let mut out = Model {
        transitions,
        ..Model::default()
    };
    for (f, row) in rows {
        out.features.push(f);
        out.weights.extend_from_slice(&row);
    }
    for (f, w) in heads {
        out.headline_features.push(f);
        out.headline_weights.push(w);
    }
    out
}

/// Trains one averaged structured perceptron on the pages.
fn train_one(pages: &[TrainPage], settings: Settings) -> Model {
    let mut index: HashMap<u32, usize> = HashMap::new();
    let mut hashes: Vec<u32> = Vec::new();
    for p in pages {
        for f in p.features.iter().flatten() {
            index.entry(*f).or_insert_with(|| {
                hashes.push(*f);
                hashes.len() - 1
            });
        }
    }
    let rows = hashes.len();
    let mut w = vec![0f32; rows * N];
    let mut acc = vec![0f32; rows * N];
    let mut t = vec![0f32; (N + 1) * N];
    let mut tacc = vec![0f32; (N + 1) * N];
    let mut step = 1f32;
    let mut order: Vec<usize> = (0..pages.len()).collect();
    let mut rng = settings.seed.max(1);
    for _ in 0..settings.epochs {
        shuffle(&mut order, &mut rng);
        for &pi in &order {
            let page = &pages[pi];
            let emissions: Vec<[f32; N]> = page
                .features
                .iter()
                .map(|fs| {
                    let mut e = [0f32; N];
                    for f in fs {
                        let row = index[f];
                        for (o, v) in e.iter_mut().zip(&w[row * N..row * N + N]) {
                            *o += v;
                        }
                    }
                    e
                })
                .collect();
            let guess = viterbi(&emissions, |a, b| t[a * N + b]);
            if guess != page.gold {
                let mut update = |fs: &[u32], y: usize, delta: f32| {
                    for f in fs {
                        let k = index[f] * N + y;
                        w[k] += delta;
                        acc[k] += step * delta;
                    }
                };
                for (i, fs) in page.features.iter().enumerate() {
                    if guess[i] != page.gold[i] {
                        update(fs, page.gold[i], 1.0);
                        update(fs, guess[i], -1.0);
                    }
                }
                let mut prev_g = N;
                let mut prev_p = N;
                for (&g, &p) in page.gold.iter().zip(&guess) {
                    if (prev_g, g) != (prev_p, p) {
                        t[prev_g * N + g] += 1.0;
                        tacc[prev_g * N + g] += step;
                        t[prev_p * N + p] -= 1.0;
                        tacc[prev_p * N + p] -= step;
                    }
                    prev_g = g;
                    prev_p = p;
                }
            }
            step += 1.0;
        }
    }
    let average = |w: &[f32], acc: &[f32]| -> Vec<f32> {
        w.iter().zip(acc).map(|(w, a)| w - a / step).collect()
    };
    let w = average(&w, &acc);
    let t = average(&t, &tacc);
    // Sorted rows; features whose weights all averaged to zero are dropped.
    let mut rows: Vec<(u32, usize)> = hashes.iter().copied().zip(0..).collect();
    rows.sort_unstable();
    let mut model = Model {
        transitions: t,
        ..Model::default()
    };
    for (h, row) in rows {
        let ws = &w[row * N..row * N + N];
        if ws.iter().any(|v| v.abs() > 1e-6) {
            model.features.push(h);
            model.weights.extend_from_slice(ws);
        }
    }
    let ranker = train_ranker(pages, settings);
    for (h, v) in ranker {
        model.headline_features.push(h);
        model.headline_weights.push(v);
    }
    model
}

/// Trains the headline ranker: an averaged perceptron that picks one option per page.
/// Returns (feature, weight) sorted by feature.
fn train_ranker(pages: &[TrainPage], settings: Settings) -> Vec<(u32, f32)> {
    let examples: Vec<&(Vec<Vec<u32>>, usize)> =
        pages.iter().filter_map(|p| p.headline.as_ref()).collect();
    let mut w: HashMap<u32, f32> = HashMap::new();
    let mut acc: HashMap<u32, f32> = HashMap::new();
    let mut step = 1f32;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = settings.seed.max(1) ^ 0x9e37_79b9;
    for _ in 0..settings.ranker_epochs {
        shuffle(&mut order, &mut rng);
        for &e in &order {
            let (options, gold) = examples[e];
            let score = |fs: &[u32]| fs.iter().map(|f| w.get(f).copied().unwrap_or(0.0)).sum();
            let scores: Vec<f32> = options.iter().map(|fs| score(fs)).collect();
            let guess = (0..scores.len())
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
                .unwrap_or(0);
            // Updated on a wrong choice, and on a right one won by less than a margin.
            let runner_up = (0..scores.len())
                .filter(|&k| k != *gold)
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
            let wrong = match runner_up {
                Some(r) if guess == *gold && scores[*gold] - scores[r] < 1.0 => Some(r),
                Some(_) if guess == *gold => None,
                _ => Some(guess),
            };
            if let Some(bad) = wrong.filter(|&b| b != *gold) {
                for f in &options[*gold] {
                    *w.entry(*f).or_default() += 1.0;
                    *acc.entry(*f).or_default() += step;
                }
                for f in &options[bad] {
                    *w.entry(*f).or_default() -= 1.0;
                    *acc.entry(*f).or_default() -= step;
                }
            }
            step += 1.0;
        }
    }
    let mut out: Vec<(u32, f32)> = w
        .iter()
        .map(|(f, v)| (*f, v - acc.get(f).copied().unwrap_or(0.0) / step))
        .filter(|(_, v)| v.abs() > 1e-6)
        .collect();
    out.sort_unstable_by_key(|(f, _)| *f);
    out
}

/// Fisher–Yates with xorshift: the visiting order of one epoch, deterministic for a seed.
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        order.swap(i, (*rng % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_toy_sequence_and_round_trips() {
        let page = TrainPage {
            features: vec![vec![1, 2], vec![3], vec![1, 4]],
            gold: vec![1, 4, 12],
            headline: Some((vec![vec![1], vec![3], vec![9]], 0)),
        };
        let m = train(std::slice::from_ref(&page), Settings::default());
        assert_eq!(m.decode(&page.features, &[0.0; N]).0, page.gold);
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.decode(&page.features, &[0.0; N]).0, page.gold);
    }
}
