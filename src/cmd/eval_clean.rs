//! `dossier eval clean`: page-dump cleaning against the line-labelled dumps of
//! `../shared/data/pagedumps` (the measuring is in `dossier_clean::eval`; this only parses
//! arguments and prints).

use dossier_clean::classes::{embedded_model, Decider};
use dossier_clean::model::Settings;
use dossier_clean::{eval, held_out};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The labelled page dumps.
    #[arg(long, default_value = "../shared/data/pagedumps/dev.jsonl")]
    pub dev: PathBuf,
    /// Cross-validation folds over publisher families (0: measure the embedded model on the
    /// pages, which it was trained on; an in-sample figure).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Training epochs of each fold's model.
    #[arg(long, default_value_t = Settings::default().epochs)]
    pub epochs: usize,
    /// Also measure the model without the cue overrides.
    #[arg(long)]
    pub model_only: bool,
    /// Print each page's headline as found and as labelled.
    #[arg(long)]
    pub verbose: bool,
    /// Page dumps with only a title and a date (`dossier_clean::held_out`): the shipped
    /// cleaner's headline and date on the outlets the training dumps do not hold.
    #[arg(long, default_value = "../shared/data/clustering/dev.jsonl.gz")]
    pub titled: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.dev.exists() {
        eprintln!(
            "skipped: {} is absent (the shared data lives in ../shared)",
            args.dev.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let pages = eval::read_dev(&args.dev).map_err(anyhow::Error::msg)?;
    if args.titled.exists() {
        let titled = held_out::read_titled(&args.titled).map_err(anyhow::Error::msg)?;
        let report = held_out::score_titled(&titled, &pages);
        print!("{}", held_out::print_titled(&report));
        if args.verbose {
            for (id, title, ours) in &report.misses {
                println!("  {id}: title {title:?} | ours {ours:?}");
            }
        }
    }
    let baseline: Vec<eval::Output> = pages.iter().map(eval::run_baseline).collect();
    println!(
        "{}",
        eval::report(
            "rules-only baseline (the cleaner before the line model)",
            &eval::score(&pages, &baseline)
        )
    );
    let settings = Settings {
        epochs: args.epochs,
        ..Settings::default()
    };
    let mut deciders = vec![Decider::ModelAndCues];
    if args.model_only {
        deciders.push(Decider::Model);
    }
    for decider in deciders {
        let (title, outputs) = if args.folds == 0 {
            let model = embedded_model();
            let out: Vec<eval::Output> = pages
                .iter()
                .map(|p| eval::run_model(p, model, decider))
                .collect();
            (
                format!("embedded model, {decider:?} (in-sample: trained on these pages)"),
                out,
            )
        } else {
            let out = eval::cross_validate(&pages, args.folds, settings, decider);
            (
                format!(
                    "line model, {decider:?}, {}-fold cross-validation by publisher family",
                    args.folds
                ),
                out,
            )
        };
        println!("{}", eval::report(&title, &eval::score(&pages, &outputs)));
        if args.verbose {
            for (p, o) in pages.iter().zip(&outputs) {
                print!("{}", eval::page_diff(p, o));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
