//! Training the neural tagger ([`super::neural::Net`]) with candle on the CPU (feature
//! `train-neural`; the default build never compiles this). Deterministic: weights start from a
//! xorshift generator of a fixed seed, dropout masks come from it too, batches are visited in
//! an order it fixes, and the matrix products run on one thread (`RAYON_NUM_THREADS=1`).
//!
//! Input: the training examples as [`super::train::train_with`] leaves them (each token's
//! features are the second pass's: the first pass's labels come from a first pass trained on the
//! other half of the documents), so the net sees first-pass output like that on unseen articles.

use super::chain::{B, I, O};
use super::neural::{windows, Gru, Net, LABELS, REPLACE};
use super::train::Example;
use super::{QUOTATION, ROLES};
use candle_core::{DType, Device, Result, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

/// The choices of one training run.
#[derive(Debug, Clone)]
pub struct Config {
    pub bits: u32,
    pub dim: usize,
    pub hidden: usize,
    pub epochs: usize,
    pub lr: f64,
    /// Share of a token's features left out at random in training (the bag is scaled up).
    pub feature_dropout: f32,
    /// Dropout on the head's input (states and bag).
    pub dropout: f32,
    /// Windows a batch.
    pub batch: usize,
    pub seed: u64,
    pub weight_decay: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bits: 16,
            dim: 32,
            hidden: 32,
            epochs: 8,
            lr: 2e-3,
            feature_dropout: 0.1,
            dropout: 0.2,
            batch: 32,
            seed: 1,
            weight_decay: 0.0,
        }
    }
}

/// One training window: its tokens' feature rows and gold labels per role.
struct Window {
    rows: Vec<Vec<u32>>,
    gold: Vec<[u8; 4]>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// The training windows of the examples (their features as the second pass reads them).
fn windows_of(examples: &[Example], bits: u32) -> Vec<Window> {
    let mask = (1u64 << bits) - 1;
    let mut out = Vec::new();
    for ex in examples {
        let lens: Vec<usize> = ex.sentences.iter().map(|(a, b)| b - a).collect();
        for (s0, s1) in windows(&lens, &ex.paras) {
            let mut w = Window {
                rows: Vec::new(),
                gold: Vec::new(),
            };
            for &(a, b) in &ex.sentences[s0..s1] {
                for k in a..b {
                    w.rows
                        .push(ex.features[k].iter().map(|&f| (f & mask) as u32).collect());
                    let mut g: [u8; 4] = std::array::from_fn(|r| ex.labels[r][k]);
                    // A span that runs on from the previous sentence starts anew here (the
                    // spans are read sentence by sentence).
                    for l in g.iter_mut() {
                        if k == a && *l == I {
                            *l = B;
                        }
                    }
                    w.gold.push(g);
                }
            }
            if !w.rows.is_empty() {
                out.push(w);
            }
        }
    }
    out
}

/// The parameters as candle variables.
struct Params {
    emb: Var,
    fwd: [Var; 4],
    bwd: [Var; 4],
    out_w: Var,
    out_b: Var,
}

fn uniform(rng: &mut Rng, n: usize, k: f32) -> Vec<f32> {
    (0..n).map(|_| (rng.unit() * 2.0 - 1.0) * k).collect()
}

impl Params {
    fn new(cfg: &Config, rng: &mut Rng, dev: &Device) -> Result<Params> {
        let (d, h) = (cfg.dim, cfg.hidden);
        let k = 1.0 / (h as f32).sqrt();
        let var =
            |v: Vec<f32>, shape: &[usize]| Var::from_tensor(&Tensor::from_vec(v, shape, dev)?);
        // The embedding table starts at zero: rows no training token reaches stay zero (and
        // are left out of the stored form).
        let emb = var(vec![0.0; (1usize << cfg.bits) * d], &[1 << cfg.bits, d])?;
        let gru = |rng: &mut Rng| -> Result<[Var; 4]> {
            Ok([
                var(uniform(rng, d * 3 * h, k), &[d, 3 * h])?,
                var(uniform(rng, h * 3 * h, k), &[h, 3 * h])?,
                var(uniform(rng, 3 * h, k), &[3 * h])?,
                var(uniform(rng, 3 * h, k), &[3 * h])?,
            ])
        };
        let fwd = gru(rng)?;
        let bwd = gru(rng)?;
        let width = 2 * h + d;
        let outs = ROLES.len() * LABELS;
        let ko = 1.0 / (width as f32).sqrt();
        let out_w = var(uniform(rng, width * outs, ko), &[width, outs])?;
        let out_b = var(vec![0.0; outs], &[outs])?;
        Ok(Params {
            emb,
            fwd,
            bwd,
            out_w,
            out_b,
        })
    }

    fn all(&self) -> Vec<Var> {
        let mut v = vec![self.emb.clone()];
        v.extend(self.fwd.iter().cloned());
        v.extend(self.bwd.iter().cloned());
        v.push(self.out_w.clone());
        v.push(self.out_b.clone());
        v
    }

    fn to_net(&self, cfg: &Config) -> Result<Net> {
        let flat = |v: &Var| -> Result<Vec<f32>> { v.as_tensor().flatten_all()?.to_vec1::<f32>() };
        let gru = |g: &[Var; 4]| -> Result<Gru> {
            Ok(Gru {
                w_i: flat(&g[0])?,
                w_h: flat(&g[1])?,
                b_i: flat(&g[2])?,
                b_h: flat(&g[3])?,
            })
        };
        Ok(Net {
            bits: cfg.bits,
            dim: cfg.dim,
            hidden: cfg.hidden,
            emb: flat(&self.emb)?,
            fwd: gru(&self.fwd)?,
            bwd: gru(&self.bwd)?,
            out_w: flat(&self.out_w)?,
            out_b: flat(&self.out_b)?,
            roles: [REPLACE; 4],
            shift: [0.0; 4],
        })
    }
}

/// sigmoid(x) = (tanh(x / 2) + 1) / 2 (tanh has a gradient in every candle version).
fn sigmoid(x: &Tensor) -> Result<Tensor> {
    ((x * 0.5)?.tanh()? + 1.0)? * 0.5
}

/// A GRU over `x` (`[T, B, D]`, time first), states `[T, B, H]`.
fn gru(x: &Tensor, g: &[Var; 4], hidden: usize) -> Result<Tensor> {
    let (t, b, d) = x.dims3()?;
    let xp = x
        .reshape((t * b, d))?
        .matmul(g[0].as_tensor())?
        .broadcast_add(g[2].as_tensor())?
        .reshape((t, b, 3 * hidden))?;
    let mut h = Tensor::zeros((b, hidden), DType::F32, x.device())?;
    let mut states = Vec::with_capacity(t);
    for step in 0..t {
        let xs = xp.get(step)?;
        let hp = h
            .matmul(g[1].as_tensor())?
            .broadcast_add(g[3].as_tensor())?;
        let r = sigmoid(&(xs.narrow(1, 0, hidden)? + hp.narrow(1, 0, hidden)?)?)?;
        let z = sigmoid(&(xs.narrow(1, hidden, hidden)? + hp.narrow(1, hidden, hidden)?)?)?;
        let n = (xs.narrow(1, 2 * hidden, hidden)? + (r * hp.narrow(1, 2 * hidden, hidden)?)?)?
            .tanh()?;
        h = (&n + (z * (&h - &n)?)?)?;
        states.push(h.clone());
    }
    Tensor::stack(&states, 0)
}

/// A dropout mask (`keep` with probability `1 - p`, scaled by `1 / (1 - p)`).
fn mask(rng: &mut Rng, shape: &[usize], p: f32, dev: &Device) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    let scale = 1.0 / (1.0 - p);
    let v: Vec<f32> = (0..n)
        .map(|_| if rng.unit() < p { 0.0 } else { scale })
        .collect();
    Tensor::from_vec(v, shape, dev)
}

/// Scores `[N, 4 * LABELS]` of the valid tokens of a batch, in window order; the bag of each
/// token is built from `ids` (feature rows) added at `pos` (the token's place `t * B + b`).
#[allow(clippy::too_many_arguments)]
fn forward(
    p: &Params,
    cfg: &Config,
    lens: &[usize],
    ids: &[u32],
    pos: &[u32],
    bag_scale: f32,
    rng: Option<&mut Rng>,
    dev: &Device,
) -> Result<Tensor> {
    let b = lens.len();
    let t = lens.iter().copied().max().unwrap_or(0);
    let d = cfg.dim;
    let ids_t = Tensor::from_slice(ids, ids.len(), dev)?;
    let pos_t = Tensor::from_slice(pos, pos.len(), dev)?;
    let rows = p.emb.as_tensor().index_select(&ids_t, 0)?;
    let bag = Tensor::zeros((t * b, d), DType::F32, dev)?.index_add(&pos_t, &rows, 0)?;
    let bag = (bag * bag_scale as f64)?;
    // Time first: `[T, B, D]`.
    let x = bag.reshape((t, b, d))?;
    let fwd = gru(&x, &p.fwd, cfg.hidden)?;
    // The backward direction: each window reversed in place (padding stays at its end).
    let mut rev = Vec::with_capacity(t * b);
    for step in 0..t {
        for (w, &len) in lens.iter().enumerate() {
            let src = if step < len { len - 1 - step } else { step };
            rev.push((src * b + w) as u32);
        }
    }
    let rev = Tensor::from_slice(&rev, t * b, dev)?;
    let xr = bag.index_select(&rev, 0)?.reshape((t, b, d))?;
    let bwd = gru(&xr, &p.bwd, cfg.hidden)?
        .reshape((t * b, cfg.hidden))?
        .index_select(&rev, 0)?;
    let feats = Tensor::cat(&[fwd.reshape((t * b, cfg.hidden))?, bwd, bag], 1)?;
    let mut valid = Vec::new();
    for (w, &len) in lens.iter().enumerate() {
        for step in 0..len {
            valid.push((step * b + w) as u32);
        }
    }
    let valid = Tensor::from_slice(&valid, valid.len(), dev)?;
    let mut feats = feats.index_select(&valid, 0)?;
    if let Some(rng) = rng {
        if cfg.dropout > 0.0 {
            let m = mask(rng, feats.dims(), cfg.dropout, dev)?;
            feats = (feats * m)?;
        }
    }
    feats
        .matmul(p.out_w.as_tensor())?
        .broadcast_add(p.out_b.as_tensor())
}

/// The feature rows and places of a batch's windows (`feature_dropout` leaves some out).
fn batch_input(
    windows: &[&Window],
    drop: f32,
    rng: &mut Rng,
) -> (Vec<usize>, Vec<u32>, Vec<u32>, Vec<[u8; 4]>) {
    let b = windows.len();
    let lens: Vec<usize> = windows.iter().map(|w| w.rows.len()).collect();
    let mut ids = Vec::new();
    let mut pos = Vec::new();
    for (w, win) in windows.iter().enumerate() {
        for (step, rows) in win.rows.iter().enumerate() {
            for &r in rows {
                if drop > 0.0 && rng.unit() < drop {
                    continue;
                }
                ids.push(r);
                pos.push((step * b + w) as u32);
            }
        }
    }
    let gold = windows
        .iter()
        .flat_map(|w| w.gold.iter().copied())
        .collect();
    (lens, ids, pos, gold)
}

/// Trains the net on `examples` (see the module doc); `log` gets one line an epoch.
pub fn train(examples: &[Example], cfg: &Config, log: &mut dyn FnMut(String)) -> Result<Net> {
    let dev = Device::Cpu;
    let mut rng = Rng((cfg.seed ^ 0x2545_f491_4f6c_dd1d) | 1);
    let params = Params::new(cfg, &mut rng, &dev)?;
    let mut opt = AdamW::new(
        params.all(),
        ParamsAdamW {
            lr: cfg.lr,
            weight_decay: cfg.weight_decay,
            ..Default::default()
        },
    )?;
    let wins = windows_of(examples, cfg.bits);
    // Windows of similar length together (less padding), in a fixed order.
    let mut order: Vec<usize> = (0..wins.len()).collect();
    order.sort_by_key(|&k| (wins[k].rows.len(), k));
    let batches: Vec<Vec<usize>> = order.chunks(cfg.batch.max(1)).map(|c| c.to_vec()).collect();
    let mut visit: Vec<usize> = (0..batches.len()).collect();
    let drop = cfg.feature_dropout.clamp(0.0, 0.9);
    let epochs = cfg.epochs.max(1);
    for epoch in 0..epochs {
        for i in (1..visit.len()).rev() {
            visit.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        // Linear decay of the learning rate to a tenth.
        let frac = epoch as f64 / epochs as f64;
        opt.set_learning_rate(cfg.lr * (1.0 - 0.9 * frac));
        let mut total = 0.0f64;
        let mut tokens = 0usize;
        for &bi in &visit {
            let ws: Vec<&Window> = batches[bi].iter().map(|&k| &wins[k]).collect();
            let (lens, ids, pos, gold) = batch_input(&ws, drop, &mut rng);
            let scores = forward(
                &params,
                cfg,
                &lens,
                &ids,
                &pos,
                1.0 / (1.0 - drop),
                Some(&mut rng),
                &dev,
            )?;
            let mut loss: Option<Tensor> = None;
            for role in 0..ROLES.len() {
                let target: Vec<u32> = gold.iter().map(|g| g[role] as u32).collect();
                let target = Tensor::from_vec(target, gold.len(), &dev)?;
                let l = candle_nn::loss::cross_entropy(
                    &scores.narrow(1, role * LABELS, LABELS)?,
                    &target,
                )?;
                loss = Some(match loss {
                    None => l,
                    Some(x) => (x + l)?,
                });
            }
            let Some(loss) = loss else { continue };
            total += loss.to_scalar::<f32>()? as f64 * gold.len() as f64;
            tokens += gold.len();
            opt.backward_step(&loss)?;
        }
        log(format!(
            "epoch {}: loss {:.4} a token",
            epoch + 1,
            total / tokens.max(1) as f64
        ));
    }
    params.to_net(cfg)
}

/// candle's scores for one window (the bags of its tokens' features), to check the plain-Rust
/// forward pass against.
pub fn candle_scores(net: &Net, features: &[Vec<u64>]) -> Result<Vec<Vec<f32>>> {
    let dev = Device::Cpu;
    let cfg = Config {
        bits: net.bits,
        dim: net.dim,
        hidden: net.hidden,
        ..Config::default()
    };
    let (d, h) = (net.dim, net.hidden);
    let var = |v: &[f32], shape: &[usize]| Var::from_tensor(&Tensor::from_slice(v, shape, &dev)?);
    let gru = |g: &Gru| -> Result<[Var; 4]> {
        Ok([
            var(&g.w_i, &[d, 3 * h])?,
            var(&g.w_h, &[h, 3 * h])?,
            var(&g.b_i, &[3 * h])?,
            var(&g.b_h, &[3 * h])?,
        ])
    };
    let outs = ROLES.len() * LABELS;
    let params = Params {
        emb: var(&net.emb, &[1 << net.bits, d])?,
        fwd: gru(&net.fwd)?,
        bwd: gru(&net.bwd)?,
        out_w: var(&net.out_w, &[2 * h + d, outs])?,
        out_b: var(&net.out_b, &[outs])?,
    };
    let mask = (1u64 << net.bits) - 1;
    let window = Window {
        rows: features
            .iter()
            .map(|f| f.iter().map(|&x| (x & mask) as u32).collect())
            .collect(),
        gold: vec![[O; 4]; features.len()],
    };
    let mut rng = Rng(1);
    let (lens, ids, pos, _) = batch_input(&[&window], 0.0, &mut rng);
    let s = forward(&params, &cfg, &lens, &ids, &pos, 1.0, None, &dev)?;
    s.to_vec2::<f32>()
}

/// Token F1 of the net's labels against gold on the examples' windows, per role (a quick
/// figure while training; the real measure is the stage's on dev).
pub fn token_f1(net: &Net, examples: &[Example]) -> [f64; 4] {
    let mut tp = [0usize; 4];
    let mut fp = [0usize; 4];
    let mut fneg = [0usize; 4];
    for ex in examples {
        let lens: Vec<usize> = ex.sentences.iter().map(|(a, b)| b - a).collect();
        for (s0, s1) in windows(&lens, &ex.paras) {
            let toks: Vec<usize> = ex.sentences[s0..s1]
                .iter()
                .flat_map(|&(a, b)| a..b)
                .collect();
            let bags: Vec<Vec<f32>> = toks.iter().map(|&k| net.bag(&ex.features[k])).collect();
            let labels = net.tag(&bags);
            for (l, &k) in labels.iter().zip(&toks) {
                for role in 0..ROLES.len() {
                    let g = ex.labels[role][k] != O;
                    let p = l[role] != O;
                    match (g, p) {
                        (true, true) => tp[role] += 1,
                        (false, true) => fp[role] += 1,
                        (true, false) => fneg[role] += 1,
                        _ => {}
                    }
                }
            }
        }
    }
    let _ = QUOTATION;
    std::array::from_fn(|r| 2.0 * tp[r] as f64 / (2 * tp[r] + fp[r] + fneg[r]).max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// candle's forward pass and the plain-Rust one agree on a small random net.
    #[test]
    fn candle_and_plain_forward_agree() {
        let mut rng = Rng(7);
        let (bits, d, h) = (6u32, 5usize, 4usize);
        let outs = ROLES.len() * LABELS;
        let mut g = || Gru {
            w_i: uniform(&mut rng, d * 3 * h, 0.5),
            w_h: uniform(&mut rng, h * 3 * h, 0.5),
            b_i: uniform(&mut rng, 3 * h, 0.5),
            b_h: uniform(&mut rng, 3 * h, 0.5),
        };
        let (fwd, bwd) = (g(), g());
        let net = Net {
            bits,
            dim: d,
            hidden: h,
            emb: uniform(&mut rng, (1 << bits) * d, 0.5),
            fwd,
            bwd,
            out_w: uniform(&mut rng, (2 * h + d) * outs, 0.5),
            out_b: uniform(&mut rng, outs, 0.5),
            roles: [REPLACE; 4],
            shift: [0.0; 4],
        };
        let features: Vec<Vec<u64>> = (0..9u64)
            .map(|k| (0..(k % 4 + 1)).map(|j| k * 31 + j * 1000).collect())
            .collect();
        let ours = net.scores(&features.iter().map(|f| net.bag(f)).collect::<Vec<_>>());
        let theirs = candle_scores(&net, &features).expect("candle");
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-4, "{x} vs {y}");
            }
        }
    }
}
