//! The `dossier` command line: a thin front-end over the pipeline crates.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Reads news reports and writes down what they say, with evidence spans"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse news pages (files, directories, or - for stdin) and print their reports.
    Analyze(cmd::analyze::Args),
    /// Analyse inputs and file their reports in the archive (de-duplicated, into stories).
    Ingest(cmd::archive::IngestArgs),
    /// Search the archive (BM25; German and English inflections).
    Search(cmd::archive::SearchArgs),
    /// List the archive's stories.
    Stories(cmd::archive::StoriesArgs),
    /// One story: its reports in time order, with who said what.
    Story(cmd::archive::StoryArgs),
    /// One entity across the archive: aliases, documents over time, quotations, claims.
    Entity(cmd::archive::EntityArgs),
    /// Export documents, entities, claims, events or stories as JSON Lines, CSV or GeoJSON.
    Export(cmd::archive::ExportArgs),
    /// Serve the archive in a browser and as a JSON API (loopback, read-only unless --token).
    Serve(cmd::serve::Args),
    /// Measure a stage against a benchmark corpus.
    #[command(subcommand)]
    Eval(cmd::EvalCommand),
    /// Measure throughput of the pipeline and its stages.
    Bench(cmd::bench::Args),
    /// Compile an embedded data artifact (the place gazetteer).
    #[command(subcommand)]
    Build(cmd::BuildCommand),
    /// Train a model or compile a lexicon.
    #[command(subcommand)]
    Train(cmd::TrainCommand),
}

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away (`| head`)
    // instead of failing on the next write.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Ingest(args) => cmd::archive::ingest(args),
        Command::Search(args) => cmd::archive::search(args),
        Command::Stories(args) => cmd::archive::stories(args),
        Command::Story(args) => cmd::archive::story(args),
        Command::Entity(args) => cmd::archive::entity(args),
        Command::Export(args) => cmd::archive::export(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Eval(eval) => cmd::run_eval(eval),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Build(b) => cmd::run_build(b),
        Command::Train(t) => cmd::run_train(t),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dossier: {err:#}");
            ExitCode::from(2)
        }
    }
}
