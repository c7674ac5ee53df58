//! One module per subcommand.

pub mod analyze;
pub mod bench;
pub mod eval_extraction;
pub mod ner;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// HTML body extraction: ScrapingHub shingle F1 and trafilatura's snippet checks.
    Extraction(eval_extraction::Args),
    /// Named entities: strict span P/R/F1 per type (conlleval) and tagging speed.
    Ner(ner::EvalArgs),
}

pub fn run_eval(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Extraction(args) => eval_extraction::run(args),
        EvalCommand::Ner(args) => ner::run_eval(args),
    }
}
