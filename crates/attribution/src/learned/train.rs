//! Training the role taggers: from annotated documents (gold character spans per role) to a
//! [`Model`]. Deterministic: documents are visited in an order fixed by a seed.

use super::chain::{Chain, Trainer, B, I, O};
use super::features::Labels;
use super::{features, Model, CUE, QUOTATION, ROLES};
use crate::analyze::Analyzer;
use crate::text::View;
use dossier_core::Document;

/// One training document: its features, the gold label sequence of each role, and its
/// sentences as token ranges (the sequences the taggers learn and decode).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub features: Vec<Vec<u64>>,
    /// The view's tokens, lower-case (for the features of the cue tagger's spans).
    pub lower: Vec<String>,
    /// The view's tokens' word-cluster classes (for the features of the cue tagger's spans).
    pub classes: Vec<u32>,
    pub labels: [Vec<u8>; 4],
    pub sentences: Vec<(usize, usize)>,
    /// Per sentence: its paragraph and whether it holds a Konjunktiv I form (for the second
    /// pass).
    pub paras: Vec<usize>,
    pub sub1: Vec<bool>,
}

/// Gold spans of one document, as byte ranges into `doc.text`, per role (in [`ROLES`] order).
pub type GoldSpans = [Vec<(usize, usize)>; 4];

/// The features and labels of a document whose layers (sentences, tokens, entities) are filled.
pub fn example(doc: &Document, gold: &GoldSpans) -> Example {
    let view = View::new(doc);
    let analyzer = Analyzer::new(doc);
    let found = analyzer.run();
    let features = features::token_features(doc, &view, analyzer.lexicon(), &found.events);
    let labels = std::array::from_fn(|role| labels_of(&view, &gold[role]));
    let sentences: Vec<(usize, usize)> =
        view.sents.iter().copied().filter(|(a, b)| a < b).collect();
    let (paras, sub1) = sentences
        .iter()
        .map(|&(a, b)| crate::sentence_context(&view, analyzer.lexicon(), a, b))
        .unzip();
    Example {
        features,
        lower: (0..view.toks.len())
            .map(|k| view.lower(k).to_string())
            .collect(),
        classes: features::cluster_classes(doc, &view, 0, view.toks.len()),
        labels,
        sentences,
        paras,
        sub1,
    }
}

/// BIO labels of the view's tokens: a token is in a span when it overlaps it; each span starts
/// with `B`.
fn labels_of(view: &View, spans: &[(usize, usize)]) -> Vec<u8> {
    let mut out = vec![O; view.toks.len()];
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    for (x, y) in sorted {
        let lo = view.toks.partition_point(|t| t.b1 <= x);
        let mut first = true;
        for (k, t) in view.toks.iter().enumerate().skip(lo) {
            if t.b0 >= y {
                break;
            }
            if first {
                out[k] = B;
                first = false;
            } else if out[k] != B {
                out[k] = I;
            }
        }
    }
    out
}

/// Whether the roles other than the cue read the cue tagger's spans ([`features::add_cue_features`]).
pub const STACKED: bool = true;

/// Trains the four role taggers for `epochs` passes over `examples`; `shift` lowers the
/// outside label's score afterwards (recall for precision, chosen on dev). The cue tagger comes
/// first; the other roles learn from features of the cue spans it finds, read on each training
/// document by a cue tagger trained on the other half of the documents (so that they learn from
/// cues as the model finds them on unseen text, not from near-perfect ones). The examples'
/// features are extended in place.
pub fn train(examples: &mut [Example], epochs: usize, bits: u32, seed: u64, shift: f32) -> Model {
    train_with(examples, epochs, bits, seed, shift, SECOND)
}

/// The model for a language: German with the second pass and the whole-sentence classifier,
/// English without (on PolNeAR dev they moved source / cue / content spans by −0.006 / −0.002 /
/// +0.005: the English model stays as it was).
pub fn train_for(
    lang: &str,
    examples: &mut [Example],
    epochs: usize,
    bits: u32,
    seed: u64,
    shift: f32,
) -> Model {
    train_with(examples, epochs, bits, seed, shift, SECOND && lang == "de")
}

/// [`train`], with the second pass or without.
pub fn train_with(
    examples: &mut [Example],
    epochs: usize,
    bits: u32,
    seed: u64,
    shift: f32,
    second: bool,
) -> Model {
    if !second {
        return train_first(examples, epochs, bits, seed, shift);
    }
    // The first pass's labels of each document, and its features as the first pass extends
    // them, from a first pass trained on the other documents (jackknife by document): the
    // second pass learns from first-pass output like that on unseen articles.
    let n = examples.len();
    let mut seen: Vec<Option<FirstPass>> = vec![None; n];
    for fold in 0..FOLDS {
        let mut rest: Vec<Example> = examples
            .iter()
            .enumerate()
            .filter(|(k, _)| k % FOLDS != fold)
            .map(|(_, e)| e.clone())
            .collect();
        let first = train_first(&mut rest, epochs, bits, seed, shift);
        drop(rest);
        for k in (fold..n).step_by(FOLDS) {
            seen[k] = Some(first_labels(&first, &examples[k]));
        }
    }
    let mut model = train_first(examples, epochs, bits, seed, shift);
    let mut whole: Vec<(Vec<u64>, bool)> = Vec::new();
    for (ex, seen) in examples.iter_mut().zip(seen) {
        let Some((features, labels)) = seen else {
            continue;
        };
        ex.features = features;
        let mut para_pos = 0;
        for (j, &(a, b)) in ex.sentences.iter().enumerate() {
            let para = ex.paras[j];
            para_pos = if j > 0 && ex.paras[j - 1] == para {
                para_pos + 1
            } else {
                0
            };
            let marks: Vec<bool> = ex.lower[a..b]
                .iter()
                .map(|w| features::is_clause_mark(w))
                .collect();
            let prev = (j > 0).then(|| {
                let (pa, pb) = ex.sentences[j - 1];
                (&labels[pa..pb], ex.paras[j - 1] == para)
            });
            let next = ex
                .sentences
                .get(j + 1)
                .map(|&(na, nb)| (&labels[na..nb], ex.paras[j + 1] == para));
            let around = features::Around {
                prev,
                next,
                para_pos,
                sub1: ex.sub1[j],
            };
            let vector = features::sentence_vector(&ex.lower[a..b], &labels[a..b], &around);
            let words = (a..b)
                .filter(|&k| ex.lower[k].chars().any(char::is_alphanumeric))
                .count();
            let quoted = (a..b)
                .filter(|&k| {
                    ex.labels[QUOTATION][k] != O && ex.lower[k].chars().any(char::is_alphanumeric)
                })
                .count();
            whole.push((vector, words > 0 && quoted * 10 >= words * 9));
            features::add_second_features(&mut ex.features[a..b], &marks, &labels[a..b], &around);
        }
    }
    model.second = (0..ROLES.len())
        .map(|role| train_role(examples, &|_| true, role, epochs, bits, seed, shift))
        .collect();
    if WHOLE {
        model.whole = Some(train_whole(&whole, epochs, bits, seed));
    }
    model
}

/// Whether the whole-sentence classifier is trained ([`features::sentence_vector`]).
pub const WHOLE: bool = true;

/// The whole-sentence classifier: a chain over one "token" a sentence (begin = the whole
/// sentence is one quotation), trained as the role taggers are, in an order `seed` fixes.
fn train_whole(rows: &[(Vec<u64>, bool)], epochs: usize, bits: u32, seed: u64) -> Chain {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = (seed ^ 0x5bd1_e995) | 1;
    let mut trainer = Trainer::new(bits);
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &k in &order {
            let (v, yes) = &rows[k];
            trainer.learn(std::slice::from_ref(v), &[if *yes { B } else { O }]);
        }
    }
    trainer.finish()
}

/// A training document's features as the first pass extends them, and its first-pass labels.
type FirstPass = (Vec<Vec<u64>>, Vec<Labels>);

/// Whether a second pass is trained ([`features::add_second_features`]).
pub const SECOND: bool = true;
/// Folds of the jackknife that gives the second pass its training input.
const FOLDS: usize = 2;

/// The first pass's labels of a training document and its features as the first pass extends
/// them (with its cue tagger's features), sentence by sentence as [`super::Decoder`] decodes.
fn first_labels(model: &Model, ex: &Example) -> FirstPass {
    let mut features = ex.features.clone();
    let mut labels = vec![[O; 4]; features.len()];
    let mut prev_cue = false;
    for &(a, b) in &ex.sentences {
        let l = model.first_pass(
            &mut features[a..b],
            &ex.lower[a..b],
            ex.classes.get(a..b).unwrap_or(&[]),
            &mut prev_cue,
        );
        labels[a..b].copy_from_slice(&l);
    }
    (features, labels)
}

/// The first pass alone: the cue tagger, then the other roles (see [`train`]).
fn train_first(examples: &mut [Example], epochs: usize, bits: u32, seed: u64, shift: f32) -> Model {
    let cue = train_role(examples, &|_| true, CUE, epochs, bits, seed, shift);
    if STACKED {
        let folds = [0, 1]
            .map(|fold| train_role(examples, &|k| k % 2 == fold, CUE, epochs, bits, seed, shift));
        for (k, ex) in examples.iter_mut().enumerate() {
            let chain = &folds[1 - k % 2];
            let mut prev_cue = false;
            for &(a, b) in &ex.sentences {
                let found = super::chain::spans(&chain.decode(&ex.features[a..b]));
                features::add_cue_features(
                    &mut ex.features[a..b],
                    &ex.lower[a..b],
                    &ex.classes[a..b],
                    &found,
                    prev_cue,
                );
                prev_cue = !found.is_empty();
            }
        }
    }
    let mut roles = vec![cue];
    for role in 1..ROLES.len() {
        roles.push(train_role(
            examples,
            &|_| true,
            role,
            epochs,
            bits,
            seed,
            shift,
        ));
    }
    Model {
        roles,
        stacked: STACKED,
        second: Vec::new(),
        whole: None,
        #[cfg(feature = "train-neural")]
        neural: None,
    }
}

/// One role's tagger, trained on the examples `pick` takes (by index).
fn train_role(
    examples: &[Example],
    pick: &dyn Fn(usize) -> bool,
    role: usize,
    epochs: usize,
    bits: u32,
    seed: u64,
    shift: f32,
) -> Chain {
    let members = ENSEMBLE;
    let mut sum: Option<Chain> = None;
    for m in 0..members {
        let seed = seed.wrapping_add((m as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let c = train_member(examples, pick, role, epochs, bits, seed);
        match &mut sum {
            None => sum = Some(c),
            Some(s) => {
                for (x, y) in s.weights.iter_mut().zip(&c.weights) {
                    *x += y;
                }
                for (x, y) in s.transitions.iter_mut().zip(&c.transitions) {
                    *x += y;
                }
            }
        }
    }
    let mut chain = sum.unwrap_or_else(|| Chain::new(bits));
    if members > 1 {
        let k = members as f32;
        chain.weights.iter_mut().for_each(|w| *w /= k);
        chain.transitions.iter_mut().for_each(|w| *w /= k);
    }
    // A role the corpus does not annotate (PolNeAR has no addressee) keeps its zero weights:
    // shifted, it would mark every token.
    if (0..examples.len())
        .filter(|&k| pick(k))
        .any(|k| examples[k].labels[role].iter().any(|&l| l != O))
    {
        chain.shift_outside(shift);
    }
    chain
}

/// Averaged perceptrons per role, over different visiting orders, whose weights are averaged.
/// One: three (on quotes-de-news dev) moved rules-and-model F1 by −0.003 to +0.003 a role, for
/// three times the training.
const ENSEMBLE: usize = 1;

/// One averaged perceptron of a role, its documents visited in the order `seed` gives.
fn train_member(
    examples: &[Example],
    pick: &dyn Fn(usize) -> bool,
    role: usize,
    epochs: usize,
    bits: u32,
    seed: u64,
) -> Chain {
    let mut order: Vec<usize> = (0..examples.len()).filter(|&k| pick(k)).collect();
    let mut rng = (seed ^ (role as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
    // Quotations are long (a whole clause of reported speech): inside/outside labels.
    let inside_outside = role == QUOTATION;
    let mut trainer = Trainer::new(bits);
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &k in &order {
            let ex = &examples[k];
            for &(a, b) in &ex.sentences {
                let mut gold = ex.labels[role][a..b].to_vec();
                if inside_outside {
                    // Inside/outside labels: long spans (reported speech over a whole clause)
                    // need no rare "begin" decision, only "still inside".
                    for l in gold.iter_mut().filter(|l| **l == B) {
                        *l = I;
                    }
                } else if gold[0] == I {
                    // A span that runs on from the previous sentence starts anew here.
                    gold[0] = B;
                }
                trainer.learn(&ex.features[a..b], &gold);
            }
        }
    }
    trainer.finish()
}

/// Fisher-Yates with a xorshift generator: the same order on every machine.
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        order.swap(i, (*rng % (i as u64 + 1)) as usize);
    }
}
