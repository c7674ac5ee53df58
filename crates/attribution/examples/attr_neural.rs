//! The neural tagger (feature `train-neural`): trains the linear model as `dossier train
//! attribution` does (quotes-de-news train), then the net on the second pass's features of the
//! same training documents, and scores rules + model + net on dev (never test). Round 5: no
//! setting beat the linear pipeline on dev; the net is not shipped (figures in the README).
//!
//! `RAYON_NUM_THREADS=1 cargo run --release -p dossier-attribution --features train-neural
//! --example attr_neural -- [out.bin.gz]`
//!
//! Settings by environment: `EPOCHS`, `DIM`, `HIDDEN`, `LR`, `DROP`, `FDROP`, `BITS`, `BATCH`,
//! `SEED`, `WD`; `USE` (roles the net gives: `q=` in place of the second pass, `q+` union,
//! `q&` intersection, likewise `c`, `s`, `a`; several separated by commas are all scored), `NSHIFT` (outside shift of the net, one value or four separated by
//! `/`), `CACHE` (a file for the linear model and the training features between runs).

use dossier_attribution::eval;
use dossier_attribution::learned::neural_train::{self, Config};
use dossier_attribution::learned::{self, train::Example, Model};

mod common;
use common::prepare;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new("../shared/data/attribution/quotes-de-news");
    let started = std::time::Instant::now();
    let cache = std::env::var("CACHE").ok();
    let cached: Option<(Vec<u8>, Vec<Example>)> = cache
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| postcard::from_bytes(&b).ok());
    let (model, examples) = match cached {
        Some((bytes, examples)) => (Model::from_bytes(&bytes).expect("model"), examples),
        None => {
            let train = eval::read_quotes_de_news(dir, "train", &prepare).expect("corpus");
            let mut examples: Vec<Example> = train
                .iter()
                .map(|a| learned::train::example(&a.doc, &a.gold()))
                .collect();
            drop(train);
            let model = learned::train::train_for("de", &mut examples, 30, 18, 1, 10.0);
            // The net reads at most 2^20 rows: the features' low 20 bits are all it needs.
            for ex in &mut examples {
                for f in ex.features.iter_mut().flatten() {
                    *f &= (1 << 20) - 1;
                }
                ex.lower.clear();
                ex.classes.clear();
            }
            let bytes = model.to_bytes();
            if let Some(p) = &cache {
                let raw = postcard::to_allocvec(&(&bytes, &examples)).expect("cache");
                std::fs::write(p, raw).expect("write cache");
            }
            (Model::from_bytes(&bytes).expect("model"), examples)
        }
    };
    eprintln!(
        "linear model and features in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let d = Config::default();
    let cfg = Config {
        bits: env("BITS", d.bits),
        dim: env("DIM", d.dim),
        hidden: env("HIDDEN", d.hidden),
        epochs: env("EPOCHS", d.epochs),
        lr: env("LR", d.lr),
        feature_dropout: env("FDROP", d.feature_dropout),
        dropout: env("DROP", d.dropout),
        batch: env("BATCH", d.batch),
        seed: env("SEED", d.seed),
        weight_decay: env("WD", d.weight_decay),
    };
    eprintln!("{cfg:?}");
    let net = match std::env::var("NET").ok() {
        // A net trained before: only score it (other shifts, other roles).
        Some(p) => learned::neural::Net::from_bytes(&std::fs::read(p).expect("net")).expect("net"),
        None => {
            let t0 = std::time::Instant::now();
            let net = neural_train::train(&examples, &cfg, &mut |l| {
                eprintln!("{l} ({:.0} s)", t0.elapsed().as_secs_f64())
            })
            .expect("training");
            eprintln!("net trained in {:.1} s", t0.elapsed().as_secs_f64());
            let net = net.quantised();
            let some = examples.len().min(100);
            eprintln!(
                "net token F1 on 100 training documents (cue, quotation, speaker, addressee): {:?}",
                neural_train::token_f1(&net, &examples[..some])
            );
            if let Some(path) = args.get(1) {
                std::fs::write(path, net.to_bytes()).expect("write");
            }
            net
        }
    };
    drop(examples);
    let dev = eval::read_quotes_de_news(dir, "dev", &prepare).expect("corpus");
    if std::env::var("TIME").is_ok() {
        // The stage's time per dev article, the linear model alone and with the net (all roles).
        let tokens: usize = dev.iter().map(|a| a.doc.tokens.len()).sum();
        let mut with = model.clone();
        with.neural = Some(net.clone());
        let seed = std::path::Path::new("../shared/corpus/seed-kim-russland.txt");
        if let Ok(text) = std::fs::read_to_string(seed) {
            let mut doc = dossier_core::Document::from_paragraphs(
                "seed",
                "de",
                text.split("\n\n").map(str::to_string).collect(),
            );
            prepare(&mut doc);
            for (name, m) in [("linear", &model), ("linear + net", &with)] {
                let t = std::time::Instant::now();
                for _ in 0..20 {
                    std::hint::black_box(dossier_attribution::attribute_with(&doc, Some(m)));
                }
                println!(
                    "time, seed, {name}: {:.2} ms for the stage",
                    t.elapsed().as_secs_f64() * 1e3 / 20.0
                );
            }
        }
        for round in 0..2 {
            for (name, m) in [("linear", &model), ("linear + net", &with)] {
                let t = std::time::Instant::now();
                for a in &dev {
                    std::hint::black_box(dossier_attribution::attribute_with(&a.doc, Some(m)));
                }
                let s = t.elapsed().as_secs_f64();
                println!(
                    "time (round {round}) {name}: {:.2} ms per article, {:.0} tokens/s",
                    s * 1e3 / dev.len() as f64,
                    tokens as f64 / s
                );
            }
        }
    }
    let uses = std::env::var("USE").unwrap_or_else(|_| "q=,q+".into());
    let shifts = std::env::var("NSHIFT").unwrap_or_else(|_| "0".into());
    for sh in shifts.split(',') {
        let shift: Vec<f32> = sh.split('/').filter_map(|v| v.parse().ok()).collect();
        for u in uses.split(',') {
            let mut m = model.clone();
            let mut n = net.clone();
            n.shift =
                std::array::from_fn(|r| shift.get(r).or(shift.first()).copied().unwrap_or(0.0));
            // `q=` the net's quotations in place of the second pass's, `q+` either's, `q&`
            // both's (likewise `c`, `s`, `a`).
            n.roles = std::array::from_fn(|r| {
                let c = ['c', 'q', 's', 'a'][r];
                match u.find(c).and_then(|k| u[k + 1..].chars().next()) {
                    Some('+') => learned::neural::UNION,
                    Some('&') => learned::neural::BOTH,
                    Some(_) => learned::neural::REPLACE,
                    None => learned::neural::OFF,
                }
            });
            m.neural = Some(n);
            println!("=== net for {u} (shift {sh})");
            print!("{}", eval::dev_report(&dev, &m, false));
        }
    }
}
