//! An experiment: a small MLP (one hidden layer, ReLU) over the PLV classifier's hashed
//! features, 5-fold cross-validated on PLV_train exactly as `plv_cv` (folds by sentence, the
//! synthetic stories always train). PLV_test is never read. Nothing of it is shipped unless it
//! beats the logistic regression's CV by more than the seed spread:
//! `cargo run --release -p dossier-events --example plv_mlp [HIDDEN [EPOCHS [RATE [SYN_WEIGHT
//! [AUGMENT [SEED [MIX]]]]]]]` (MIX > 0: also the sum of the MLP's and the logistic regression's
//! probabilities, the MLP's weighted by MIX).

use dossier_events::learned::{
    cv_fold, hashed, scores, train_classifier, training_rows, training_strings, Settings, BITS,
    LABELS,
};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}

struct Mlp {
    h: usize,
    emb: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: [f32; 15],
}

impl Mlp {
    fn hidden(&self, feats: &[u32]) -> Vec<f32> {
        let scale = 1.0 / (feats.len().max(1) as f32).sqrt();
        let mut a = self.b1.clone();
        for &f in feats {
            let row = &self.emb[f as usize * self.h..(f as usize + 1) * self.h];
            for (x, e) in a.iter_mut().zip(row) {
                *x += e * scale;
            }
        }
        a
    }
    fn probs(&self, feats: &[u32]) -> ([f32; 15], Vec<f32>) {
        let a = self.hidden(feats);
        let r: Vec<f32> = a.iter().map(|v| v.max(0.0)).collect();
        let mut s = self.b2;
        for (j, x) in r.iter().enumerate() {
            if *x > 0.0 {
                for (l, v) in s.iter_mut().enumerate() {
                    *v += x * self.w2[j * 15 + l];
                }
            }
        }
        let max = s.iter().fold(f32::MIN, |m, v| m.max(*v));
        let mut z = 0.0;
        for v in s.iter_mut() {
            *v = (*v - max).exp();
            z += *v;
        }
        for v in s.iter_mut() {
            *v /= z;
        }
        (s, a)
    }
}

fn train(rows: &[(Vec<u32>, usize, f32)], h: usize, epochs: usize, rate: f32, seed: u64) -> Mlp {
    let n = 1usize << BITS;
    let mut rng = Rng(seed);
    let mut m = Mlp {
        h,
        emb: (0..n * h).map(|_| rng.next() * 0.1).collect(),
        b1: vec![0.0; h],
        w2: (0..h * 15)
            .map(|_| rng.next() * (1.0 / h as f32).sqrt())
            .collect(),
        b2: [0.0; 15],
    };
    let l2 = 1e-5;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let lr = rate / (1.0 + epoch as f32 * 0.3);
        for &k in &order {
            let (feats, gold, weight) = &rows[k];
            let (p, a) = m.probs(feats);
            let mut g = p;
            g[*gold] -= 1.0;
            for v in g.iter_mut() {
                *v *= weight;
            }
            let mut dh = vec![0f32; h];
            for j in 0..h {
                if a[j] <= 0.0 {
                    continue;
                }
                let row = &mut m.w2[j * 15..(j + 1) * 15];
                for (w, gl) in row.iter_mut().zip(&g) {
                    dh[j] += gl * *w;
                    *w -= lr * (gl * a[j] + l2 * *w);
                }
            }
            for (b, gl) in m.b2.iter_mut().zip(&g) {
                *b -= lr * gl;
            }
            let scale = 1.0 / (feats.len().max(1) as f32).sqrt();
            for (b, d) in m.b1.iter_mut().zip(&dh) {
                *b -= lr * d;
            }
            for &f in feats {
                let row = &mut m.emb[f as usize * h..(f as usize + 1) * h];
                for (e, d) in row.iter_mut().zip(&dh) {
                    *e -= lr * (d * scale + l2 * *e);
                }
            }
        }
    }
    m
}

fn main() {
    let data = std::path::Path::new("../shared/data/events");
    let arg = |n: usize, d: f32| {
        std::env::args()
            .nth(n)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let h = arg(1, 64.0) as usize;
    let epochs = arg(2, 15.0) as usize;
    let rate = arg(3, 0.05);
    let settings = Settings {
        synthetic_weight: arg(4, 0.0),
        augment: arg(5, 0.0) as u8,
        seed: arg(6, 7.0) as u64,
        ..Settings::default()
    };
    let mix = arg(7, 0.0);
    let rows = match training_rows(data, settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let strings = training_strings(&rows, settings);
    let fold_of = cv_fold;
    let (mut gold, mut pred, mut both) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..5 {
        let in_train = |r: &dossier_events::learned::Row| {
            !r.group.starts_with("plv:") || fold_of(&r.group) != k
        };
        let set: Vec<(Vec<u32>, usize, f32)> = rows
            .iter()
            .zip(&strings)
            .filter(|(r, _)| in_train(r))
            .map(|(r, f)| (hashed(f, 0), r.label, r.weight))
            .collect();
        let mlp = train(&set, h, epochs, rate, settings.seed);
        let lr = (mix > 0.0).then(|| {
            let s: Vec<(&[String], usize, f32)> = rows
                .iter()
                .zip(&strings)
                .filter(|(r, _)| in_train(r))
                .map(|(r, f)| (f.as_slice(), r.label, r.weight))
                .collect();
            train_classifier(&s, settings)
        });
        for (r, f) in rows.iter().zip(&strings) {
            if r.group.starts_with("plv:") && fold_of(&r.group) == k {
                let (p, _) = mlp.probs(&hashed(f, 0));
                let best =
                    |p: &[f32; 15]| (0..15).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
                gold.push(r.label);
                pred.push(best(&p));
                if let Some(lr) = &lr {
                    let q = lr.probabilities(f);
                    let mut s = [0f32; 15];
                    for l in 0..15 {
                        s[l] = q[l] + mix * p[l];
                    }
                    both.push(best(&s));
                }
            }
        }
    }
    let (acc, f1) = scores(&gold, &pred);
    println!("MLP h={h} epochs={epochs} rate={rate} {settings:?}: CV root accuracy {acc:.3}, macro F1 {f1:.3}");
    if !both.is_empty() {
        let (acc, f1) = scores(&gold, &both);
        println!("  + logistic (mix {mix}): CV root accuracy {acc:.3}, macro F1 {f1:.3}");
    }
    let _ = LABELS;
}
