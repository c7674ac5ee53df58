//! `dossier build gazetteer`: compiles the embedded place gazetteer of `dossier-geo` from the
//! GeoNames, CLDR and nationality files of `shared/data/gazetteer`.

use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The gazetteer source folder (GeoNames, CLDR, nationality lists).
    #[arg(long, default_value = "../shared/data/gazetteer")]
    pub data: PathBuf,
    /// Where to write the compressed artifact.
    #[arg(long, default_value = "crates/geo/data/gazetteer.bin.gz")]
    pub out: PathBuf,
    /// Only places of 15,000+ people (cities15000) instead of 500+ (cities500).
    #[arg(long)]
    pub large_only: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = dossier_geo::CompileOptions {
        small_places: !args.large_only,
        ..Default::default()
    };
    let (bytes, stats) = dossier_geo::compile(&args.data, &options)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("cannot compile the gazetteer from {}", args.data.display()))?;
    // Check the artifact decodes before replacing the old one.
    let g = dossier_geo::Gazetteer::from_compressed(&bytes).map_err(anyhow::Error::msg)?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "gazetteer: {} places, {} names, {} name→place links; {:.1} MB raw, {:.1} MB compressed → {}",
        g.len(),
        stats.names,
        stats.hits,
        stats.raw_bytes as f64 / 1e6,
        stats.compressed_bytes as f64 / 1e6,
        args.out.display()
    );
    eprintln!("rebuild the binary (cargo build --release) to embed it");
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Subcommand)]
pub enum BuildCommand {
    /// The place gazetteer of dossier-geo (GeoNames + CLDR + nationality adjectives).
    Gazetteer(Args),
}

pub fn run_build(command: BuildCommand) -> anyhow::Result<ExitCode> {
    match command {
        BuildCommand::Gazetteer(args) => run(args),
    }
}
