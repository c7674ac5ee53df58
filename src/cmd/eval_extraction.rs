//! `dossier eval extraction`: HTML body extraction against the shared benchmarks.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `scrapinghub/` and `trafilatura-eval/` (default ../shared/data/extraction).
    #[arg(long, default_value = "../shared/data/extraction")]
    pub data: std::path::PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("not yet implemented")
}
