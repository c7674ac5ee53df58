//! `dossier train clean`: trains the page-dump line classifier on the labelled page dumps and
//! writes the gzipped model that `crates/clean` embeds.

use anyhow::Context;
use dossier_clean::eval;
use dossier_clean::model::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The labelled page dumps.
    #[arg(long, default_value = "../shared/data/pagedumps/dev.jsonl")]
    pub data: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "crates/clean/data/model-lines.bin.gz")]
    pub out: PathBuf,
    #[arg(long, default_value_t = Settings::default().epochs)]
    pub epochs: usize,
    #[arg(long, default_value_t = Settings::default().seed)]
    pub seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pages = eval::read_dev(&args.data).map_err(anyhow::Error::msg)?;
    let refs: Vec<&eval::DevPage> = pages.iter().collect();
    let model = eval::train_on(
        &refs,
        Settings {
            epochs: args.epochs,
            seed: args.seed,
            ..Settings::default()
        },
    );
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| args.out.display().to_string())?;
    eprintln!(
        "{} pages, {} bytes → {} (rebuild the binary to embed it)",
        pages.len(),
        bytes.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
