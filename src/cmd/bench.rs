//! `dossier bench`: throughput of the pipeline and its stages, measured in-process.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to measure on (default: the examples in the repository).
    pub inputs: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("not yet implemented")
}
