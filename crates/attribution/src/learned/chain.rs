//! A linear-chain tagger with three labels (outside, begin, inside a span) over hashed features,
//! trained as an averaged structured perceptron: small, deterministic, and fast enough to run on
//! every article (one Viterbi pass of 3 × 3 transitions per token).

use serde::{Deserialize, Serialize};

pub const O: u8 = 0;
pub const B: u8 = 1;
pub const I: u8 = 2;
const LABELS: usize = 3;

/// Weights of one role's tagger: `LABELS` per hashed feature row, plus label transitions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Chain {
    /// log2 of the number of feature rows.
    pub bits: u32,
    /// Row-major: `weights[row * LABELS + label]`.
    pub weights: Vec<f32>,
    /// `transitions[from * LABELS + to]`; `from == LABELS` is the start of the sequence.
    pub transitions: Vec<f32>,
}

impl Chain {
    pub fn new(bits: u32) -> Chain {
        Chain {
            bits,
            weights: vec![0.0; (1usize << bits) * LABELS],
            transitions: vec![0.0; (LABELS + 1) * LABELS],
        }
    }

    fn row(&self, feature: u64) -> usize {
        (feature as usize) & ((1usize << self.bits) - 1)
    }

    fn emission(&self, features: &[u64]) -> [f32; LABELS] {
        let mut s = [0.0f32; LABELS];
        for &f in features {
            let r = self.row(f) * LABELS;
            for (l, v) in s.iter_mut().enumerate() {
                *v += self.weights[r + l];
            }
        }
        s
    }

    /// Lowers the score of the outside label at every token by `delta` (folded into the
    /// transitions into it, so that the stored form stays the same): a positive `delta` trades
    /// precision for recall.
    pub fn shift_outside(&mut self, delta: f32) {
        for from in 0..=LABELS {
            self.transitions[from * LABELS + O as usize] -= delta;
        }
    }

    fn transition(&self, from: usize, to: usize) -> f32 {
        self.transitions[from * LABELS + to]
    }

    /// The best label sequence. `I` may follow `O`: a tagger trained on inside/outside labels
    /// alone (no `B`) starts a span wherever it turns inside.
    pub fn decode(&self, tokens: &[Vec<u64>]) -> Vec<u8> {
        let n = tokens.len();
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![[f32::NEG_INFINITY; LABELS]; n];
        let mut back = vec![[0u8; LABELS]; n];
        let e0 = self.emission(&tokens[0]);
        for l in 0..LABELS {
            score[0][l] = e0[l] + self.transition(LABELS, l);
        }
        for t in 1..n {
            let e = self.emission(&tokens[t]);
            for to in 0..LABELS {
                let mut best = (f32::NEG_INFINITY, 0u8);
                for (from, prev) in score[t - 1].iter().enumerate() {
                    let s = prev + self.transition(from, to);
                    if s > best.0 {
                        best = (s, from as u8);
                    }
                }
                score[t][to] = best.0 + e[to];
                back[t][to] = best.1;
            }
        }
        let mut label = (0..LABELS)
            .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
            .unwrap_or(0) as u8;
        let mut out = vec![O; n];
        for t in (0..n).rev() {
            out[t] = label;
            label = back[t][label as usize];
        }
        out
    }
}

/// Trains a [`Chain`] with weight averaging (the lazy "timestamp" form: each weight keeps the
/// sum of its past values without touching it at every step).
pub struct Trainer {
    pub chain: Chain,
    /// Sum of `step * update` per weight, to subtract from the final weights' average.
    acc_weights: Vec<f32>,
    acc_transitions: Vec<f32>,
    step: f32,
}

impl Trainer {
    pub fn new(bits: u32) -> Trainer {
        let chain = Chain::new(bits);
        Trainer {
            acc_weights: vec![0.0; chain.weights.len()],
            acc_transitions: vec![0.0; chain.transitions.len()],
            chain,
            step: 1.0,
        }
    }

    /// One perceptron step on one sequence; returns whether the prediction was wrong.
    pub fn learn(&mut self, tokens: &[Vec<u64>], gold: &[u8]) -> bool {
        let predicted = self.chain.decode(tokens);
        let wrong = predicted != gold;
        if wrong {
            for (t, feats) in tokens.iter().enumerate() {
                let (g, p) = (gold[t] as usize, predicted[t] as usize);
                if g != p {
                    for &f in feats {
                        let r = self.chain.row(f) * LABELS;
                        self.add_weight(r + g, 1.0);
                        self.add_weight(r + p, -1.0);
                    }
                }
                let prev = |labels: &[u8]| {
                    if t == 0 {
                        LABELS
                    } else {
                        labels[t - 1] as usize
                    }
                };
                let (gf, pf) = (prev(gold), prev(&predicted));
                if (gf, g) != (pf, p) {
                    self.add_transition(gf * LABELS + g, 1.0);
                    self.add_transition(pf * LABELS + p, -1.0);
                }
            }
        }
        self.step += 1.0;
        wrong
    }

    fn add_weight(&mut self, i: usize, v: f32) {
        self.chain.weights[i] += v;
        self.acc_weights[i] += self.step * v;
    }

    fn add_transition(&mut self, i: usize, v: f32) {
        self.chain.transitions[i] += v;
        self.acc_transitions[i] += self.step * v;
    }

    /// The averaged weights.
    pub fn finish(mut self) -> Chain {
        let s = self.step;
        for (w, a) in self.chain.weights.iter_mut().zip(&self.acc_weights) {
            *w -= a / s;
        }
        for (w, a) in self.chain.transitions.iter_mut().zip(&self.acc_transitions) {
            *w -= a / s;
        }
        self.chain
    }
}

/// The `(start, end)` token ranges of the spans in a label sequence.
pub fn spans(labels: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (t, &l) in labels.iter().enumerate() {
        if l != I {
            if let Some(s) = start.take() {
                out.push((s, t));
            }
        }
        if l == B || (l == I && start.is_none()) {
            start = Some(t);
        }
    }
    if let Some(s) = start {
        out.push((s, labels.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_labels() {
        assert_eq!(spans(&[O, B, I, O, B, B, I]), vec![(1, 3), (4, 5), (5, 7)]);
        assert_eq!(spans(&[I, O, I, I]), vec![(0, 1), (2, 4)]);
        assert!(spans(&[O, O]).is_empty());
    }

    /// A hand-made task: a span starts at feature 7 and runs to feature 9.
    #[test]
    fn learns_a_tiny_span_task() {
        let seq = |fs: &[u64]| -> Vec<Vec<u64>> { fs.iter().map(|&f| vec![f, 100]).collect() };
        let data = [
            (seq(&[1, 7, 8, 9, 2]), vec![O, B, I, I, O]),
            (seq(&[7, 9, 3]), vec![B, I, O]),
            (seq(&[4, 5, 6]), vec![O, O, O]),
        ];
        let mut trainer = Trainer::new(8);
        for _ in 0..10 {
            for (x, y) in &data {
                trainer.learn(x, y);
            }
        }
        let chain = trainer.finish();
        assert_eq!(chain.decode(&seq(&[2, 7, 8, 9, 1])), vec![O, B, I, I, O]);
        assert_eq!(chain.decode(&seq(&[5, 4])), vec![O, O]);
    }
}
