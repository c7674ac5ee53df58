//! One module per subcommand.

pub mod analyze;
pub mod bench;
pub mod eval_extraction;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// HTML body extraction: ScrapingHub shingle F1 and trafilatura's snippet checks.
    Extraction(eval_extraction::Args),
}

pub fn run_eval(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Extraction(args) => eval_extraction::run(args),
    }
}
