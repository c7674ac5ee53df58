//! Training the role taggers: from annotated documents (gold character spans per role) to a
//! [`Model`]. Deterministic: documents are visited in an order fixed by a seed.

use super::chain::{Chain, Trainer, B, I, O};
use super::{features, Model, CUE, QUOTATION, ROLES};
use crate::analyze::Analyzer;
use crate::text::View;
use dossier_core::Document;

/// One training document: its features, the gold label sequence of each role, and its
/// sentences as token ranges (the sequences the taggers learn and decode).
pub struct Example {
    pub features: Vec<Vec<u64>>,
    /// The view's tokens, lower-case (for the features of the cue tagger's spans).
    pub lower: Vec<String>,
    /// The view's tokens' word-cluster classes (for the features of the cue tagger's spans).
    pub classes: Vec<u32>,
    pub labels: [Vec<u8>; 4],
    pub sentences: Vec<(usize, usize)>,
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
    Example {
        features,
        lower: (0..view.toks.len())
            .map(|k| view.lower(k).to_string())
            .collect(),
        classes: features::cluster_classes(doc, &view, 0, view.toks.len()),
        labels,
        sentences: view.sents.iter().copied().filter(|(a, b)| a < b).collect(),
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
        // Fisher-Yates with a xorshift generator: the same order on every machine.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
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
