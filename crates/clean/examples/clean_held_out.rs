//! The held-out-outlets figure of `dossier eval clean` (headline = title, date) with a model
//! trained in-process on all of `pagedumps/dev.jsonl`, as `dossier train clean` does, so a change
//! can be measured without rebuilding the embedded model:
//! `cargo run --release -p dossier-clean --example clean_held_out -- [DEV] [TITLED] [--verbose]`.
//! `SEED=` and `STACK=` override the training settings as in `clean_cv`; `WRITE_MODEL=path` also
//! writes the model (with the default settings the same bytes as `dossier train clean`).

use dossier_clean::classes::SHIPPED;
use dossier_clean::model::Settings;
use dossier_clean::{eval, held_out};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let mut paths = args.iter().filter(|a| !a.starts_with("--")).cloned();
    let dev = paths
        .next()
        .unwrap_or_else(|| "../shared/data/pagedumps/dev.jsonl".into());
    let titled = paths
        .next()
        .unwrap_or_else(|| "../shared/data/clustering/dev.jsonl.gz".into());
    let (pages, titled) = match (
        eval::read_dev(std::path::Path::new(&dev)),
        held_out::read_titled(std::path::Path::new(&titled)),
    ) {
        (Ok(p), Ok(t)) => (p, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("skipped: {e}");
            return;
        }
    };
    let mut settings = Settings::default();
    if let Some(e) = std::env::var("SEED").ok().and_then(|v| v.parse().ok()) {
        settings.seed = e;
    }
    if let Some(e) = std::env::var("STACK").ok().and_then(|v| v.parse().ok()) {
        settings.stack_folds = e;
    }
    let all: Vec<&eval::DevPage> = pages.iter().collect();
    let model = eval::train_on(&all, settings);
    if let Ok(path) = std::env::var("WRITE_MODEL") {
        if let Err(e) = std::fs::write(&path, model.to_bytes()) {
            eprintln!("{path}: {e}");
        }
    }
    let report = held_out::score_titled_with(&titled, &pages, &model, SHIPPED);
    print!("{}", held_out::print_titled(&report));
    if verbose {
        for (id, title, ours) in &report.misses {
            println!("  {id}: title {title:?} | ours {ours:?}");
        }
    }
}
