//! One module per subcommand.

pub mod analyze;
pub mod archive;
pub mod bench;
pub mod build_lexicon;
pub mod eval_attribution;
pub mod eval_clean;
pub mod eval_clustering;
pub mod eval_extraction;
pub mod eval_geo;
pub mod eval_time;
pub mod events;
pub mod gazetteer;
pub mod ner;
pub mod serve;
pub mod train_attribution;
pub mod train_clean;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// HTML body extraction: ScrapingHub shingle F1 and trafilatura's snippet checks.
    Extraction(eval_extraction::Args),
    /// Quotations and reported speech: SpkAtt-2023 dev, PolNeAR test, Redewiedergabe (token P/R/F1).
    Attribution(eval_attribution::Args),
    /// Time expressions: TIMEX extraction (strict, relaxed) and value F1 on WikiWarsDE and TBAQ.
    Time(eval_time::Args),
    /// Places: gazetteer resolution accuracy (exact GeoNames id, within 161 km) and coverage.
    Geo(eval_geo::Args),
    /// Named entities: strict span P/R/F1 per type (conlleval) and tagging speed.
    Ner(ner::EvalArgs),
    /// Page-dump cleaning: line labels, headline, furniture, body, dates (cross-validated by
    /// publisher family) on the labelled page dumps.
    Clean(eval_clean::Args),
    /// Near-duplicates and stories of the archive: pair P/R/F1, BCubed, pairwise F1.
    Clustering(eval_clustering::Args),
    /// Events: plover-de dev end to end (event P/R/F1, actor, target, factuality; two halves by
    /// article) and PLV test root accuracy and macro F1 (evaluation only).
    Events(events::EvalArgs),
}

pub fn run_eval(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Extraction(args) => eval_extraction::run(args),
        EvalCommand::Attribution(args) => eval_attribution::run(args),
        EvalCommand::Time(args) => eval_time::run(args),
        EvalCommand::Geo(args) => eval_geo::run(args),
        EvalCommand::Ner(args) => ner::run_eval(args),
        EvalCommand::Clean(args) => eval_clean::run(args),
        EvalCommand::Clustering(args) => eval_clustering::run(args),
        EvalCommand::Events(args) => events::run_eval(args),
    }
}

/// `dossier build …`: the compiled data artifacts of every stage.
#[derive(Subcommand)]
pub enum BuildCommand {
    #[command(flatten)]
    Gazetteer(gazetteer::BuildCommand),
    #[command(flatten)]
    Attribution(build_lexicon::BuildCommand),
    #[command(flatten)]
    Events(events::BuildCommand),
}

pub fn run_build(command: BuildCommand) -> anyhow::Result<ExitCode> {
    match command {
        BuildCommand::Gazetteer(b) => gazetteer::run_build(b),
        BuildCommand::Attribution(b) => build_lexicon::run(b),
        BuildCommand::Events(b) => events::run_build(b),
    }
}

/// `dossier train …`: the trained models.
#[derive(Subcommand)]
pub enum TrainCommand {
    #[command(flatten)]
    Ner(ner::TrainCommand),
    /// Train the page-dump line classifier on the labelled page dumps.
    Clean(train_clean::Args),
    /// Train the attribution stage's role taggers (cue, quotation, speaker, addressee).
    Attribution(train_attribution::Args),
    /// Train the events stage's PLV relation classifier (PLV_train + NGEC synthetic stories).
    Events(events::TrainArgs),
}

pub fn run_train(command: TrainCommand) -> anyhow::Result<ExitCode> {
    match command {
        TrainCommand::Ner(t) => ner::run_train(t),
        TrainCommand::Clean(args) => train_clean::run(args),
        TrainCommand::Attribution(args) => train_attribution::run(args),
        TrainCommand::Events(args) => events::run_train(args),
    }
}
