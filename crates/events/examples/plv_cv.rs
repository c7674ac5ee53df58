//! 5-fold cross-validation of the PLV classifier on PLV_train (folds by sentence), for choosing
//! features and settings quickly (`dossier train events --cv` gives the same figure):
//! `cargo run --release -p dossier-events --example plv_cv [EPOCHS [SYNTHETIC_WEIGHT [LOGISTIC
//! L2 RATE [MEMBERS [SEED [AUGMENT]]]]]]`. PLV_test is never read.

use dossier_events::learned::{cv_predictions, scores, Settings, LABELS};
use std::collections::BTreeMap;

fn main() {
    let data = std::path::Path::new("../shared/data/events");
    let arg = |n: usize, d: f32| {
        std::env::args()
            .nth(n)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let settings = Settings {
        epochs: arg(1, 20.0) as usize,
        synthetic_weight: arg(2, 0.3),
        logistic: arg(3, 1.0) > 0.0,
        l2: arg(4, 1e-4),
        rate: arg(5, 0.5),
        members: arg(6, 1.0) as usize,
        seed: arg(7, 7.0) as u64,
        augment: arg(8, 1.0) as u8,
    };
    let (rows, pred) = match cv_predictions(data, settings) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let (mut g, mut p) = (Vec::new(), Vec::new());
    let mut conf: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (r, x) in rows.iter().zip(&pred) {
        if let Some(x) = x {
            g.push(r.label);
            p.push(*x);
            if r.label != *x {
                *conf.entry((r.label, *x)).or_default() += 1;
            }
        }
    }
    let (acc, f1) = scores(&g, &p);
    println!("CV root accuracy {acc:.3}, macro F1 {f1:.3} ({settings:?})");
    // PLV_WRITE=PATH: also train on all of PLV_train with these settings and write the model
    // (what `dossier train events` writes with the same settings).
    if let Ok(out) = std::env::var("PLV_WRITE") {
        match dossier_events::learned::train_model(data, settings) {
            Ok(bytes) => match std::fs::write(&out, bytes) {
                Ok(()) => println!("wrote {out}"),
                Err(e) => eprintln!("{out}: {e}"),
            },
            Err(e) => eprintln!("{e}"),
        }
    }
    if std::env::var("PLV_CONFUSIONS").is_ok() {
        let mut v: Vec<_> = conf.into_iter().collect();
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        for ((a, b), n) in v.into_iter().take(20) {
            println!("  {} → {}: {n}", LABELS[a], LABELS[b]);
        }
    }
}
