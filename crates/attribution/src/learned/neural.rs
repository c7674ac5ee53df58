//! A small bidirectional GRU tagger over a paragraph (a window of sentences: quotations run over
//! sentence boundaries), stacked on the linear taggers: its input per token is an embedding bag
//! of the token's second-pass features (the hashed features of [`super::features`]: the word,
//! its window and clusters, the lexicon's flags, quotation marks, entities, what the rules and
//! the first pass found), its output per token one label (outside, begin, inside) for each role
//! (cue, quotation, speaker, addressee). Inference is plain Rust (a few matrix–vector products
//! a token); training is `neural_train.rs` (candle). Both are built with the `train-neural`
//! feature only: measured on quotes-de-news dev, the net did not beat the linear pipeline and
//! is not shipped (figures in the crate README).

use super::chain::{B, I, O};
use super::{QUOTATION, ROLES};
use serde::{Deserialize, Serialize};
use std::io::Read;

/// Labels per role (outside, begin, inside).
pub const LABELS: usize = 3;
/// At most this many tokens a window; a longer paragraph is cut at a sentence boundary.
pub const WINDOW: usize = 200;

const VERSION: u32 = 1;

/// The second pass's labels alone.
pub const OFF: u8 = 0;
/// The net's labels in place of the second pass's.
pub const REPLACE: u8 = 1;
/// A token is in the role where either marks it.
pub const UNION: u8 = 2;
/// A token is in the role where both mark it.
pub const BOTH: u8 = 3;

/// One GRU direction: gates in the order reset, update, new; row-major `[input][3 * hidden]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gru {
    pub w_i: Vec<f32>,
    pub w_h: Vec<f32>,
    pub b_i: Vec<f32>,
    pub b_h: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    /// log2 of the embedding table's rows (a feature's row: its hash's low bits).
    pub bits: u32,
    /// Embedding width.
    pub dim: usize,
    /// Hidden size of each direction.
    pub hidden: usize,
    /// `[row][dim]`.
    pub emb: Vec<f32>,
    pub fwd: Gru,
    pub bwd: Gru,
    /// The head over `[forward state, backward state, bag]`: `[2 * hidden + dim][4 * LABELS]`.
    pub out_w: Vec<f32>,
    pub out_b: Vec<f32>,
    /// Per role, how the net's labels combine with the second pass's: [`OFF`], [`REPLACE`],
    /// [`UNION`] (a token either marks), [`BOTH`] (a token both mark).
    pub roles: [u8; 4],
    /// Lowered from the outside label's score per role (recall for precision, chosen on dev).
    pub shift: [f32; 4],
}

/// The window boundaries (ranges of sentence indices) of sentences with `lens` tokens in
/// paragraphs `paras`: a window holds one paragraph's sentences, at most [`WINDOW`] tokens (a
/// longer sentence is a window of its own).
pub fn windows(lens: &[usize], paras: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut len = 0;
    for (s, &n) in lens.iter().enumerate() {
        if s > start && (paras.get(s) != paras.get(start) || len + n > WINDOW) {
            out.push((start, s));
            start = s;
            len = 0;
        }
        len += n;
    }
    if start < lens.len() {
        out.push((start, lens.len()));
    }
    out
}

/// The window a [`super::Decoder`] holds for the net: per sentence its first token (of the
/// view), length and whether the whole-sentence classifier took it; its tokens' bags; the
/// second pass's labels of its tokens (for the roles the net joins); its paragraph.
#[derive(Default)]
pub(crate) struct Window {
    sents: Vec<(usize, usize, bool)>,
    bags: Vec<Vec<f32>>,
    second: Vec<[u8; 4]>,
    para: usize,
}

impl Window {
    /// The next sentence (its second-pass features): a new window where the paragraph changes
    /// or the window would grow past [`WINDOW`] tokens (as [`windows`] cuts them in training).
    pub(crate) fn push(
        &mut self,
        net: &Net,
        features: &[Vec<u64>],
        a: usize,
        para: usize,
        whole: bool,
        out: &mut [Vec<(usize, usize)>; 4],
    ) {
        let n = features.len();
        if !self.sents.is_empty() && (self.para != para || self.bags.len() + n > WINDOW) {
            self.flush(net, out);
        }
        self.para = para;
        self.sents.push((a, n, whole));
        self.bags.extend(features.iter().map(|f| net.bag(f)));
        self.second.resize(self.bags.len(), [O; 4]);
    }

    /// The second pass's labels of `role` for the sentence pushed last.
    pub(crate) fn second_labels(&mut self, role: usize, labels: &[u8]) {
        let start = self.second.len().saturating_sub(labels.len());
        for (k, &l) in labels.iter().enumerate() {
            if let Some(x) = self.second.get_mut(start + k) {
                x[role] = l;
            }
        }
    }

    /// The net's spans (token ranges of the view) of the window, for its roles, joined with the
    /// second pass's labels as [`Net::roles`] says; a sentence the whole-sentence classifier
    /// took keeps that quotation.
    pub(crate) fn flush(&mut self, net: &Net, out: &mut [Vec<(usize, usize)>; 4]) {
        if self.sents.is_empty() {
            return;
        }
        let labels = net.tag(&self.bags);
        let mut at = 0;
        for &(a, n, whole) in &self.sents {
            let (Some(ls), Some(second)) = (labels.get(at..at + n), self.second.get(at..at + n))
            else {
                break;
            };
            for role in (0..ROLES.len()).filter(|&r| net.roles[r] != OFF) {
                if role == QUOTATION && whole {
                    continue;
                }
                let seq: Vec<u8> = ls
                    .iter()
                    .zip(second)
                    .map(|(l, s)| match net.roles[role] {
                        UNION if l[role] == O => s[role],
                        BOTH if s[role] == O => O,
                        _ => l[role],
                    })
                    .collect();
                let spans = super::chain::spans(&seq);
                out[role].extend(spans.into_iter().map(|(x, y)| (a + x, a + y)));
            }
            at += n;
        }
        self.sents.clear();
        self.bags.clear();
        self.second.clear();
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Gru {
    /// The states of a run over `xs` (each `dim` wide), in the order of `xs`.
    fn run(&self, xs: &[Vec<f32>], dim: usize, hidden: usize) -> Vec<Vec<f32>> {
        let g = 3 * hidden;
        let ok = self.w_i.len() == dim * g
            && self.w_h.len() == hidden * g
            && self.b_i.len() == g
            && self.b_h.len() == g;
        let mut h = vec![0.0f32; hidden];
        let mut out = Vec::with_capacity(xs.len());
        if !ok {
            return vec![h; xs.len()];
        }
        let mut xp = vec![0.0f32; g];
        let mut hp = vec![0.0f32; g];
        for x in xs {
            xp.copy_from_slice(&self.b_i);
            for (k, &v) in x.iter().enumerate().take(dim) {
                if v != 0.0 {
                    let row = &self.w_i[k * g..(k + 1) * g];
                    xp.iter_mut().zip(row).for_each(|(a, w)| *a += v * w);
                }
            }
            hp.copy_from_slice(&self.b_h);
            for (k, &v) in h.iter().enumerate() {
                let row = &self.w_h[k * g..(k + 1) * g];
                hp.iter_mut().zip(row).for_each(|(a, w)| *a += v * w);
            }
            for j in 0..hidden {
                let r = sigmoid(xp[j] + hp[j]);
                let z = sigmoid(xp[hidden + j] + hp[hidden + j]);
                let n = (xp[2 * hidden + j] + r * hp[2 * hidden + j]).tanh();
                h[j] = n + z * (h[j] - n);
            }
            out.push(h.clone());
        }
        out
    }
}

impl Net {
    /// The embedding bag of a token's features (the sum of their rows).
    pub fn bag(&self, features: &[u64]) -> Vec<f32> {
        let mut out = vec![0.0f32; self.dim];
        let mask = (1usize << self.bits) - 1;
        for &f in features {
            let r = (f as usize & mask) * self.dim;
            if let Some(row) = self.emb.get(r..r + self.dim) {
                out.iter_mut().zip(row).for_each(|(a, w)| *a += w);
            }
        }
        out
    }

    /// Scores per token: `4 * LABELS` values (role-major) for the bags `xs` of one window.
    pub fn scores(&self, xs: &[Vec<f32>]) -> Vec<Vec<f32>> {
        let (d, h) = (self.dim, self.hidden);
        let fwd = self.fwd.run(xs, d, h);
        let rev: Vec<Vec<f32>> = xs.iter().rev().cloned().collect();
        let mut bwd = self.bwd.run(&rev, d, h);
        bwd.reverse();
        let outs = ROLES.len() * LABELS;
        let width = 2 * h + d;
        if self.out_w.len() != width * outs || self.out_b.len() != outs {
            return vec![vec![0.0; outs]; xs.len()];
        }
        xs.iter()
            .zip(fwd.iter().zip(&bwd))
            .map(|(x, (f, b))| {
                let mut s = self.out_b.clone();
                for (k, &v) in f.iter().chain(b).chain(x.iter().take(d)).enumerate() {
                    let row = &self.out_w[k * outs..(k + 1) * outs];
                    s.iter_mut().zip(row).for_each(|(a, w)| *a += v * w);
                }
                s
            })
            .collect()
    }

    /// Labels (outside, begin, inside) per token and role for the bags of one window: a token
    /// is inside a role's span where begin and inside together are likelier than outside (its
    /// score lowered by the role's shift); a span of a role other than the quotation starts
    /// anew where begin is likelier than inside (quotations: inside/outside, as the linear
    /// quotation tagger reads them).
    pub fn tag(&self, xs: &[Vec<f32>]) -> Vec<[u8; 4]> {
        let scores = self.scores(xs);
        let mut out = vec![[O; 4]; xs.len()];
        for role in 0..ROLES.len() {
            let mut prev_in = false;
            for (t, s) in scores.iter().enumerate() {
                let (o, b, i) = (
                    s[role * LABELS] - self.shift[role],
                    s[role * LABELS + 1],
                    s[role * LABELS + 2],
                );
                let m = b.max(i);
                let inside = m + ((b - m).exp() + (i - m).exp()).ln() > o;
                out[t][role] = if !inside {
                    O
                } else if !prev_in || (role != QUOTATION && b > i) {
                    B
                } else {
                    I
                };
                prev_in = inside;
            }
        }
        out
    }

    /// The compressed stored form: the embedding table as `i8` with one scale a row (rows of
    /// zeros left out), the rest as `i16` with one scale a matrix.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows = Vec::new();
        let mut scales = Vec::new();
        let mut values = Vec::new();
        for (r, row) in self.emb.chunks(self.dim.max(1)).enumerate() {
            let max = row.iter().fold(0.0f32, |m, w| m.max(w.abs()));
            if max == 0.0 {
                continue;
            }
            rows.push(r as u32);
            let scale = max / i8::MAX as f32;
            scales.push(scale);
            values.extend(row.iter().map(|w| (w / scale).round() as i8));
        }
        let dense = [
            &self.fwd.w_i,
            &self.fwd.w_h,
            &self.fwd.b_i,
            &self.fwd.b_h,
            &self.bwd.w_i,
            &self.bwd.w_h,
            &self.bwd.b_i,
            &self.bwd.b_h,
            &self.out_w,
            &self.out_b,
        ]
        .map(|m| quantise(m))
        .to_vec();
        let stored = StoredNet {
            version: VERSION,
            bits: self.bits,
            dim: self.dim as u32,
            hidden: self.hidden as u32,
            roles: self.roles,
            shift: self.shift,
            rows,
            scales,
            values,
            dense,
        };
        let raw = postcard::to_allocvec(&stored).unwrap_or_default();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        use std::io::Write;
        let _ = gz.write_all(&raw);
        gz.finish().unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Net, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| format!("attribution net: {e}"))?;
        let s: StoredNet =
            postcard::from_bytes(&raw).map_err(|e| format!("attribution net: {e}"))?;
        if s.version != VERSION || s.bits > 24 || s.dim > 1024 || s.hidden > 1024 {
            return Err("attribution net: unknown version".into());
        }
        let (dim, hidden) = (s.dim as usize, s.hidden as usize);
        let mut emb = vec![0.0f32; (1usize << s.bits) * dim];
        for (k, (&r, &scale)) in s.rows.iter().zip(&s.scales).enumerate() {
            let (Some(dst), Some(src)) = (
                emb.get_mut(r as usize * dim..(r as usize + 1) * dim),
                s.values.get(k * dim..(k + 1) * dim),
            ) else {
                return Err("attribution net: bad embedding row".into());
            };
            dst.iter_mut()
                .zip(src)
                .for_each(|(d, &v)| *d = v as f32 * scale);
        }
        let mut m = s.dense.iter().map(dequantise);
        let mut next = || m.next().unwrap_or_default();
        let fwd = Gru {
            w_i: next(),
            w_h: next(),
            b_i: next(),
            b_h: next(),
        };
        let bwd = Gru {
            w_i: next(),
            w_h: next(),
            b_i: next(),
            b_h: next(),
        };
        let net = Net {
            bits: s.bits,
            dim,
            hidden,
            emb,
            fwd,
            bwd,
            out_w: next(),
            out_b: next(),
            roles: s.roles,
            shift: s.shift,
        };
        let g = 3 * hidden;
        let outs = ROLES.len() * LABELS;
        let sizes_ok = [&net.fwd, &net.bwd].iter().all(|r| {
            r.w_i.len() == dim * g
                && r.w_h.len() == hidden * g
                && r.b_i.len() == g
                && r.b_h.len() == g
        }) && net.out_w.len() == (2 * hidden + dim) * outs
            && net.out_b.len() == outs;
        if !sizes_ok {
            return Err("attribution net: bad sizes".into());
        }
        Ok(net)
    }

    /// The same net with its weights as they come back from the stored form.
    pub fn quantised(&self) -> Net {
        Net::from_bytes(&self.to_bytes()).unwrap_or_else(|_| self.clone())
    }
}

#[derive(Serialize, Deserialize)]
struct StoredNet {
    version: u32,
    bits: u32,
    dim: u32,
    hidden: u32,
    roles: [u8; 4],
    shift: [f32; 4],
    rows: Vec<u32>,
    scales: Vec<f32>,
    values: Vec<i8>,
    dense: Vec<(f32, Vec<i16>)>,
}

fn quantise(m: &[f32]) -> (f32, Vec<i16>) {
    let max = m.iter().fold(0.0f32, |a, w| a.max(w.abs()));
    let scale = if max > 0.0 {
        max / i16::MAX as f32
    } else {
        1.0
    };
    (
        scale,
        m.iter().map(|w| (w / scale).round() as i16).collect(),
    )
}

fn dequantise((scale, v): &(f32, Vec<i16>)) -> Vec<f32> {
    v.iter().map(|&x| x as f32 * scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A net of one embedding dimension and one hidden unit, weights set by hand.
    fn tiny() -> Net {
        let gru = |w: f32| Gru {
            // reset, update, new
            w_i: vec![0.0, 0.0, w],
            w_h: vec![0.0, 0.0, 0.0],
            b_i: vec![0.0, -100.0, 0.0],
            b_h: vec![0.0, 0.0, 0.0],
        };
        let outs = ROLES.len() * LABELS;
        let mut out_w = vec![0.0; 3 * outs];
        // Quotation begin from the forward state, inside from the backward state.
        out_w[LABELS + 1] = 2.0;
        out_w[outs + LABELS + 2] = 3.0;
        let mut emb = vec![0.0; 4];
        emb[1] = 1.0;
        emb[2] = -1.0;
        Net {
            bits: 2,
            dim: 1,
            hidden: 1,
            emb,
            fwd: gru(1.0),
            bwd: gru(1.0),
            out_w,
            // Outside is likelier for the other roles (with all three scores equal, begin and
            // inside together would outweigh it).
            out_b: (0..outs)
                .map(|k| {
                    if k % LABELS == 0 && k != LABELS {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect(),
            roles: [OFF, REPLACE, OFF, OFF],
            shift: [0.0; 4],
        }
    }

    #[test]
    fn forward_pass_by_hand() {
        let net = tiny();
        // Feature rows 1 (+1), 2 (-1); row 5 is row 1 again (two bits).
        assert_eq!(net.bag(&[1, 5]), vec![2.0]);
        assert_eq!(net.bag(&[2]), vec![-1.0]);
        let xs = vec![vec![2.0], vec![-1.0]];
        let s = net.scores(&xs);
        // The update gate is closed (z = 0): h = tanh(x) at every step, in both directions.
        let (h0, h1) = (2.0f32.tanh(), (-1.0f32).tanh());
        assert!((s[0][LABELS + 1] - 2.0 * h0).abs() < 1e-6);
        assert!((s[0][LABELS + 2] - 3.0 * h0).abs() < 1e-6);
        assert!((s[1][LABELS + 1] - 2.0 * h1).abs() < 1e-6);
        // Token 0: inside (begin and inside outweigh outside), the start of a span; token 1:
        // outside (both negative).
        let t = net.tag(&xs);
        assert_eq!(t[0][1], B);
        assert_eq!(t[1][1], O);
        assert_eq!(t[0][0], O);
    }

    #[test]
    fn stored_form_round_trips() {
        let net = tiny();
        let back = Net::from_bytes(&net.to_bytes()).expect("net");
        assert_eq!(back.roles, net.roles);
        assert_eq!(
            back.tag(&[vec![2.0], vec![-1.0]]),
            net.tag(&[vec![2.0], vec![-1.0]])
        );
        assert!(Net::from_bytes(b"not a net").is_err());
    }

    #[test]
    fn windows_follow_paragraphs() {
        assert_eq!(windows(&[3, 4, 5], &[0, 0, 1]), vec![(0, 2), (2, 3)]);
        assert_eq!(windows(&[150, 100, 10], &[0, 0, 0]), vec![(0, 1), (1, 3)]);
        assert_eq!(windows(&[], &[]), Vec::<(usize, usize)>::new());
    }
}
