//! Training: an averaged structured perceptron (Collins 2002) over the hashed features, with
//! Viterbi decoding under BIO constraints. Deterministic from a seed: sentences are shuffled
//! each epoch by a xorshift generator, nothing else is random. After every epoch the averaged
//! weights are scored on the dev set and the best epoch is kept.

use crate::data::Sentence;
use crate::eval::{fold_base, Scores};
use crate::features::{extract, SentenceFeatures};
use crate::lexicon::Lexicon;
use crate::model::{constraints, prev_lists, viterbi, Model, MAX_LABELS};

/// Training settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub epochs: usize,
    pub seed: u64,
    /// log2 of the number of feature rows.
    pub bits: u32,
    /// Weights below this magnitude (after averaging) are dropped from the shipped model.
    pub prune: f32,
    /// Features seen fewer times than this in the training data are dropped from it.
    pub min_count: u32,
    /// Passive-aggressive step cap (PA-I); 0 = plain perceptron steps of 1.
    pub pa: f32,
    /// Fixed `O` penalty; `None` = tune it on dev (0 without dev).
    pub o_penalty: Option<f32>,
    /// Members of the weight-averaged ensemble (1 = a single model whose best dev epoch is
    /// kept; more = each member runs every epoch and the last epochs are averaged).
    pub ensemble: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 12,
            seed: 1,
            bits: 21,
            prune: 0.02,
            min_count: 1,
            pa: 0.0,
            o_penalty: None,
            ensemble: 1,
        }
    }
}

struct Encoded {
    feats: SentenceFeatures,
    gold: Vec<u16>,
}

fn encode(lex: &Lexicon, sents: &[Sentence], labels: &[String], mask: u32) -> Vec<Encoded> {
    sents
        .iter()
        .map(|s| {
            let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            Encoded {
                feats: extract(lex, &toks, mask),
                gold: s
                    .labels
                    .iter()
                    .map(|l| labels.iter().position(|x| x == l).unwrap_or(0) as u16)
                    .collect(),
            }
        })
        .collect()
}

struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Dense weights with the running sums that averaging needs: avg = w − u / c.
struct Params {
    w: Vec<f32>,
    u: Vec<f64>,
}

impl Params {
    fn new(n: usize) -> Self {
        Params {
            w: vec![0.0; n],
            u: vec![0.0; n],
        }
    }
    #[inline]
    fn add(&mut self, i: usize, delta: f32, c: f64) {
        self.w[i] += delta;
        self.u[i] += c * delta as f64;
    }
    fn averaged(&self, c: f64) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.u)
            .map(|(&w, &u)| (w as f64 - u / c) as f32)
            .collect()
    }
}

fn decode_dense(
    w: &[f32],
    trans: &[f32],
    start: &[f32],
    l: usize,
    cons: &(Vec<Vec<u16>>, Vec<bool>),
    feats: &SentenceFeatures,
    emit: &mut Vec<f32>,
) -> Vec<u16> {
    let n = feats.len();
    emit.clear();
    emit.resize(n * l, 0.0);
    for i in 0..n {
        let e = &mut emit[i * l..(i + 1) * l];
        for &f in feats.token(i) {
            let row = &w[f as usize * l..(f as usize + 1) * l];
            for (x, &y) in e.iter_mut().zip(row) {
                *x += y;
            }
        }
    }
    viterbi(emit, l, trans, start, &cons.0, &cons.1)
}

/// PA-I step: (margin violation + Hamming loss) / ‖Δφ‖², capped at `cap`.
fn pa_step(
    emit: &[f32],
    trans: &[f32],
    start: &[f32],
    l: usize,
    ex: &Encoded,
    pred: &[u16],
    cap: f32,
) -> f32 {
    let score = |seq: &[u16]| -> f32 {
        let mut s = 0.0;
        for (i, &y) in seq.iter().enumerate() {
            s += emit[i * l + y as usize];
            s += if i == 0 {
                start[y as usize]
            } else {
                trans[seq[i - 1] as usize * l + y as usize]
            };
        }
        s
    };
    let mut loss = 0.0f32;
    let mut norm = 0.0f32;
    for (i, (p, g)) in pred.iter().zip(&ex.gold).enumerate() {
        if p != g {
            loss += 1.0;
            norm += 2.0 * ex.feats.token(i).len() as f32 + 2.0;
        }
    }
    if norm == 0.0 {
        return 0.0;
    }
    ((score(pred) - score(&ex.gold) + loss) / norm).clamp(0.0, cap)
}

/// Strict span F1 (full GermEval type set) of decoded dev sentences.
fn dev_f1(
    dev: &[Encoded],
    dev_sents: &[Sentence],
    labels: &[String],
    decode: &mut dyn FnMut(&SentenceFeatures) -> Vec<u16>,
) -> (f64, f64) {
    let mut full = Scores::default();
    let mut base = Scores::default();
    for (e, s) in dev.iter().zip(dev_sents) {
        let pred = decode(&e.feats);
        let pred: Vec<&str> = pred.iter().map(|&p| labels[p as usize].as_str()).collect();
        let gold: Vec<&str> = s.labels.iter().map(String::as_str).collect();
        full.add(&gold, &pred, &|t| t.to_string());
        base.add(&gold, &pred, &|t| fold_base(t));
    }
    (full.overall.f1(), base.overall.f1())
}

/// Fits the training labels into [`MAX_LABELS`] (one weight row per cache half-line):
/// a type whose spans are nearly always one token (fewer than 5% of its tokens are `I-`) keeps
/// only its `B-` label, its rare continuation tokens become `O`; then, while there are still
/// too many labels, the rarest type folds into the type its name extends ("ORGderiv" → "ORG"),
/// or into `O` when there is none. On GermEval this drops the `I-` labels of the `deriv` and
/// `part` types (74 of 453k tokens) and folds ORGderiv (41 spans) into ORG.
fn fold_label_set(train: &[Sentence], log: &mut dyn FnMut(&str)) -> Vec<Sentence> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in train {
        for l in &s.labels {
            match (l.strip_prefix("B-"), l.strip_prefix("I-")) {
                (Some(t), _) => counts.entry(t).or_default().0 += 1,
                (_, Some(t)) => counts.entry(t).or_default().1 += 1,
                _ => {}
            }
        }
    }
    let single: Vec<String> = counts
        .iter()
        .filter(|(_, &(b, i))| i > 0 && i * 20 < b + i)
        .map(|(t, _)| t.to_string())
        .collect();
    let label_count = |types: &BTreeMap<&str, (usize, usize)>| {
        1 + types
            .iter()
            .map(|(t, &(_, i))| 1 + usize::from(i > 0 && !single.iter().any(|x| x == t)))
            .sum::<usize>()
    };
    let mut target: BTreeMap<String, Option<String>> = BTreeMap::new();
    while label_count(&counts) > MAX_LABELS {
        let Some((&rarest, _)) = counts.iter().min_by_key(|(t, &(b, _))| (b, t.len())) else {
            break;
        };
        let base = counts
            .keys()
            .filter(|t| **t != rarest && rarest.starts_with(**t))
            .max_by_key(|t| t.len())
            .map(|t| t.to_string());
        log(&format!(
            "too many labels: type {rarest} folds into {}",
            base.as_deref().unwrap_or("O")
        ));
        if let (Some(b), Some(&(nb, ni))) = (&base, counts.get(rarest)) {
            if let Some(e) = counts.get_mut(b.as_str()) {
                e.0 += nb;
                e.1 += ni;
            }
        }
        target.insert(rarest.to_string(), base);
        counts.remove(rarest);
    }
    if !single.is_empty() {
        log(&format!(
            "single-token types (no I- label): {}",
            single.join(", ")
        ));
    }
    train
        .iter()
        .map(|s| Sentence {
            tokens: s.tokens.clone(),
            labels: s
                .labels
                .iter()
                .map(|l| {
                    let Some((prefix, ty)) = l.split_once('-') else {
                        return l.clone();
                    };
                    let ty = match target.get(ty) {
                        Some(Some(base)) => base.as_str(),
                        Some(None) => return "O".to_string(),
                        None => ty,
                    };
                    if prefix == "I" && single.iter().any(|x| x == ty) {
                        return "O".to_string();
                    }
                    format!("{prefix}-{ty}")
                })
                .collect(),
        })
        .collect()
}

/// Trains a model; `log` receives one progress line per epoch.
pub fn train(
    lex: &Lexicon,
    train: &[Sentence],
    dev: &[Sentence],
    settings: &Settings,
    log: &mut dyn FnMut(&str),
) -> Model {
    let folded = fold_label_set(train, log);
    let train = &folded[..];
    let mut labels: Vec<String> = vec!["O".into()];
    for s in train {
        for l in &s.labels {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
    }
    labels[1..].sort_by(|a, b| a[2..].cmp(&b[2..]).then(a.cmp(b)));
    let l = labels.len();
    let mask = ((1u64 << settings.bits) - 1) as u32;
    let cons = {
        let (allowed, start_allowed) = constraints(&labels);
        (prev_lists(&allowed, l), start_allowed)
    };
    let mut data = encode(lex, train, &labels, mask);
    if settings.min_count > 1 {
        let mut counts = vec![0u32; 1usize << settings.bits];
        for e in &data {
            for &f in &e.feats.feats {
                counts[f as usize] = counts[f as usize].saturating_add(1);
            }
        }
        for e in &mut data {
            let old = std::mem::take(&mut e.feats);
            let mut kept = crate::features::SentenceFeatures {
                feats: Vec::with_capacity(old.feats.len()),
                offsets: vec![0],
            };
            for i in 0..old.len() {
                kept.feats.extend(
                    old.token(i)
                        .iter()
                        .filter(|&&f| counts[f as usize] >= settings.min_count),
                );
                kept.offsets.push(kept.feats.len());
            }
            e.feats = kept;
        }
    }
    let dev_data = encode(lex, dev, &labels, mask);
    log(&format!(
        "{} train sentences, {} dev sentences, {} labels, 2^{} rows",
        data.len(),
        dev_data.len(),
        l,
        settings.bits
    ));

    // An ensemble of `settings.ensemble` members, each trained from its own shuffle; the
    // shipped weights are the mean of the members' averaged weights (one model, same speed).
    let members = settings.ensemble.max(1);
    let mut sum_w: Vec<f32> = Vec::new();
    let mut sum_trans = vec![0.0f32; l * l];
    let mut sum_start = vec![0.0f32; l];
    let mut best: Option<(f64, Model)> = None;
    for member in 0..members {
        let mut weights = Params::new((1usize << settings.bits) * l);
        let mut trans = Params::new(l * l);
        let mut start = Params::new(l);
        let mut c = 1.0f64;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let seed = settings.seed.wrapping_add(member as u64);
        let mut rng = Xorshift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut emit = Vec::new();
        for epoch in 1..=settings.epochs {
            for i in (1..order.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut errors = 0usize;
            for &k in &order {
                let ex = &data[k];
                let pred = decode_dense(
                    &weights.w, &trans.w, &start.w, l, &cons, &ex.feats, &mut emit,
                );
                if pred != ex.gold {
                    let step = if settings.pa > 0.0 {
                        pa_step(&emit, &trans.w, &start.w, l, ex, &pred, settings.pa)
                    } else {
                        1.0
                    };
                    for i in 0..pred.len() {
                        let (g, p) = (ex.gold[i] as usize, pred[i] as usize);
                        if g != p {
                            errors += 1;
                            for &f in ex.feats.token(i) {
                                weights.add(f as usize * l + g, step, c);
                                weights.add(f as usize * l + p, -step, c);
                            }
                        }
                        let (gp, pp) = if i == 0 {
                            (None, None)
                        } else {
                            (Some(ex.gold[i - 1] as usize), Some(pred[i - 1] as usize))
                        };
                        if (gp, g) != (pp, p) {
                            match gp {
                                Some(q) => trans.add(q * l + g, step, c),
                                None => start.add(g, step, c),
                            }
                            match pp {
                                Some(q) => trans.add(q * l + p, -step, c),
                                None => start.add(p, -step, c),
                            }
                        }
                    }
                }
                c += 1.0;
            }
            let mut avg = weights.averaged(c);
            let mut avg_trans = trans.averaged(c);
            let mut avg_start = start.averaged(c);
            if members > 1 {
                if epoch < settings.epochs {
                    continue;
                }
                // The mean of the members so far.
                if sum_w.is_empty() {
                    sum_w = vec![0.0; avg.len()];
                }
                let k = member as f32 + 1.0;
                for (s, a) in sum_w.iter_mut().zip(avg.iter_mut()) {
                    *s += *a;
                    *a = *s / k;
                }
                for (s, a) in sum_trans.iter_mut().zip(avg_trans.iter_mut()) {
                    *s += *a;
                    *a = *s / k;
                }
                for (s, a) in sum_start.iter_mut().zip(avg_start.iter_mut()) {
                    *s += *a;
                    *a = *s / k;
                }
            }
            let model = Model::from_dense(
                labels.clone(),
                settings.bits,
                &avg,
                avg_trans,
                avg_start,
                settings.prune,
            );
            drop(avg);
            let (f_full, f_base) = dev_f1(&dev_data, dev, &labels, &mut |f| model.decode(f));
            log(&format!(
                "member {}, epoch {epoch}: {errors} token errors; dev F1 {f_full:.4} (all types), {f_base:.4} (4 classes); {} rows",
                member + 1,
                model.stored_rows()
            ));
            if members > 1 || dev.is_empty() || best.as_ref().is_none_or(|(b, _)| f_full > *b) {
                best = Some((f_full, model));
            }
        }
    }
    let mut model = match best {
        Some((_, m)) => m,
        None => Model::from_dense(
            labels.clone(),
            settings.bits,
            &vec![0.0; (1usize << settings.bits) * l],
            vec![0.0; l * l],
            vec![0.0; l],
            1.0,
        ),
    };
    match settings.o_penalty {
        Some(p) => model.o_penalty = p,
        None if !dev.is_empty() => {
            let mut best = (f64::MIN, 0.0f32);
            for k in 0..=12 {
                model.o_penalty = k as f32 * 0.25;
                let (f, f4) = dev_f1(&dev_data, dev, &labels, &mut |x| model.decode(x));
                log(&format!(
                    "O penalty {:.2}: dev F1 {f:.4} (all types), {f4:.4} (4 classes)",
                    model.o_penalty
                ));
                if f > best.0 {
                    best = (f, model.o_penalty);
                }
            }
            model.o_penalty = best.1;
            log(&format!("O penalty {:.2} kept", best.1));
        }
        None => {}
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> Sentence {
        Sentence {
            tokens: pairs.iter().map(|p| p.0.to_string()).collect(),
            labels: pairs.iter().map(|p| p.1.to_string()).collect(),
        }
    }

    #[test]
    fn learns_a_toy_corpus_deterministically() {
        let train = vec![
            sent(&[
                ("Anna", "B-PER"),
                ("Weber", "I-PER"),
                ("wohnt", "O"),
                ("in", "O"),
                ("Ulm", "B-LOC"),
            ]),
            sent(&[
                ("Jonas", "B-PER"),
                ("fährt", "O"),
                ("nach", "O"),
                ("Kiel", "B-LOC"),
            ]),
            sent(&[("In", "O"), ("Ulm", "B-LOC"), ("regnet", "O"), ("es", "O")]),
        ];
        let settings = Settings {
            epochs: 5,
            seed: 7,
            bits: 12,
            prune: 0.0,
            min_count: 1,
            pa: 0.0,
            o_penalty: Some(0.0),
            ensemble: 1,
        };
        let a = train_quiet(&train, &settings);
        let b = train_quiet(&train, &settings);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let lex = Lexicon::default();
        let f = extract(&lex, &["Jonas", "wohnt", "in", "Kiel"], a.mask());
        let got: Vec<&str> = a
            .decode(&f)
            .iter()
            .map(|&i| a.labels[i as usize].as_str())
            .collect();
        assert_eq!(got, vec!["B-PER", "O", "O", "B-LOC"]);
    }

    fn train_quiet(train_set: &[Sentence], s: &Settings) -> Model {
        train(&Lexicon::default(), train_set, train_set, s, &mut |_| {})
    }
}
