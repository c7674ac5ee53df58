//! The cross-validated figures of `dossier eval clean` without building the CLI (for iterating
//! on the cleaner): `cargo run --release -p dossier-clean --example clean_cv -- [DEV] [--verbose]`.
//! Environment: `PAGES=p001,p002` prints those pages' lines (gold and predicted label);
//! `SEED`, `BAG`, `EPOCHS`, `REPOCHS` override the training settings (to see how much a figure
//! depends on the training order).

use dossier_clean::classes::Decider;
use dossier_clean::eval;
use dossier_clean::model::Settings;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let dev = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "../shared/data/pagedumps/dev.jsonl".into());
    let pages = match eval::read_dev(std::path::Path::new(&dev)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("skipped: {e}");
            return;
        }
    };
    let mut settings = Settings::default();
    if let Some(e) = std::env::var("REPOCHS").ok().and_then(|v| v.parse().ok()) {
        settings.ranker_epochs = e;
    }
    if let Some(e) = std::env::var("BAG").ok().and_then(|v| v.parse().ok()) {
        settings.bag = e;
    }
    if let Some(e) = std::env::var("SEED").ok().and_then(|v| v.parse().ok()) {
        settings.seed = e;
    }
    if let Some(e) = std::env::var("EPOCHS").ok().and_then(|v| v.parse().ok()) {
        settings.epochs = e;
    }
    if let Some(e) = std::env::var("STACK").ok().and_then(|v| v.parse().ok()) {
        settings.stack_folds = e;
    }
    let out = eval::cross_validate(&pages, 5, settings, Decider::ModelAndCues);
    // EXPLAIN=p001,p002: the cleaner's own lines of those pages (cue, first-pass and final
    // label), by the model of the fold that did not see them.
    let explain: Vec<String> = std::env::var("EXPLAIN")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    if !explain.is_empty() {
        let fold = eval::folds(&pages, 5);
        for f in 0..5 {
            let ids: Vec<&eval::DevPage> = pages
                .iter()
                .zip(&fold)
                .filter(|(p, g)| **g == f && explain.contains(&p.id))
                .map(|(p, _)| p)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let train: Vec<&eval::DevPage> = pages
                .iter()
                .zip(&fold)
                .filter(|(_, g)| **g != f)
                .map(|(p, _)| p)
                .collect();
            let model = eval::train_on(&train, settings);
            for p in ids {
                println!("##### {} {}", p.id, p.outlet);
                print!(
                    "{}",
                    dossier_clean::explain(&p.text(), &model, Decider::ModelAndCues)
                );
            }
        }
    }
    println!(
        "{}",
        eval::report("5-fold CV by publisher family", &eval::score(&pages, &out))
    );
    // PAGES=p001,p002: each line's gold and predicted label.
    let show: Vec<String> = std::env::var("PAGES")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for (p, o) in pages.iter().zip(&out) {
        if !show.contains(&p.id) {
            continue;
        }
        println!("===== {} {} {:?}", p.id, p.outlet, p.published);
        for (l, pred) in p.lines.iter().zip(&o.labels) {
            if l.label == "blank" {
                continue;
            }
            let mark = if l.label == pred.name() { " " } else { "*" };
            let t: String = l.text.chars().take(100).collect();
            println!("{mark} {:<14} {:<14} {t:?}", l.label, pred.name());
        }
        println!(
            "  headline {:?} published {:?} warnings {:?}",
            o.article.headline, o.article.published, o.article.warnings
        );
    }
    if verbose {
        for (p, o) in pages.iter().zip(&out) {
            print!("{}", eval::page_diff(p, o));
        }
    }
}
