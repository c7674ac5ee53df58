//! Development loop for the learned attribution model without building the whole CLI: trains on
//! quotes-de-news train and scores on dev (never test), like `dossier train attribution`.
//!
//! `cargo run --release -p dossier-attribution --example attr_dev -- [epochs] [bits]`

use dossier_attribution::{eval, learned};

mod common;
use common::prepare;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let epochs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let bits: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(16);
    let english = std::env::var("ATTR_LANG").is_ok_and(|l| l == "en");
    let read = |split: &str| {
        if english {
            let dir = std::path::Path::new("../shared/data/attribution/polnear");
            eval::read_polnear(dir, split, &prepare).expect("corpus")
        } else {
            let dir = std::path::Path::new("../shared/data/attribution/quotes-de-news");
            eval::read_quotes_de_news(dir, split, &prepare).expect("corpus")
        }
    };
    let train = read("train");
    let dev = read("dev");
    let started = std::time::Instant::now();
    let mut examples: Vec<_> = train
        .iter()
        .map(|a| learned::train::example(&a.doc, &a.gold()))
        .collect();
    let shift: f32 = std::env::var("SHIFT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0);
    let lang = if english { "en" } else { "de" };
    let mut model = learned::train::train_for(lang, &mut examples, epochs, bits, 1, shift);
    for (role, var) in ["SHIFT_CUE", "SHIFT_QUOTE", "SHIFT_SPEAKER", "SHIFT_ADDR"]
        .iter()
        .enumerate()
    {
        if let Some(d) = std::env::var(var).ok().and_then(|v| v.parse().ok()) {
            model.roles[role].shift_outside(d);
        }
    }
    for (role, var) in [
        "SHIFT2_CUE",
        "SHIFT2_QUOTE",
        "SHIFT2_SPEAKER",
        "SHIFT2_ADDR",
    ]
    .iter()
    .enumerate()
    {
        if let Some(d) = std::env::var(var).ok().and_then(|v| v.parse().ok()) {
            if let Some(c) = model.second.get_mut(role) {
                c.shift_outside(d);
            }
        }
    }
    if let (Some(c), Some(d)) = (
        model.whole.as_mut(),
        std::env::var("SHIFT_WHOLE")
            .ok()
            .and_then(|v| v.parse().ok()),
    ) {
        c.shift_outside(d);
    }
    eprintln!("trained in {:.1} s", started.elapsed().as_secs_f64());
    print!("{}", eval::dev_report(&dev, &model, english));
    if let Ok(variants) = std::env::var("VARIANTS") {
        // The same model with one part shifted further or left out, scored again on dev:
        // `w:2` (whole-sentence classifier), `c:3`, `q:3`, `s:3`, `a:3` (second-pass roles),
        // `w:off`, `second:off`.
        for v in variants.split(',') {
            let mut m = model.clone();
            let (part, amount) = v.split_once(':').unwrap_or((v, "off"));
            let d: Option<f32> = amount.parse().ok();
            match (part, d) {
                ("w", Some(d)) => {
                    if let Some(c) = m.whole.as_mut() {
                        c.shift_outside(d);
                    }
                }
                ("w", None) => m.whole = None,
                ("second", _) => m.second.clear(),
                (role, Some(d)) => {
                    let k = ["c", "q", "s", "a"]
                        .iter()
                        .position(|r| *r == role)
                        .unwrap_or(0);
                    if let Some(c) = m.second.get_mut(k) {
                        c.shift_outside(d);
                    }
                }
                _ => {}
            }
            println!("=== variant {v}");
            print!("{}", eval::dev_report(&dev, &m, english));
        }
    }
    if let Some(path) = args.get(3) {
        std::fs::write(path, model.to_bytes()).expect("write");
    }
}
