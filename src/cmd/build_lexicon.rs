//! `dossier build …`: compiles the lexicon artifacts that stages embed.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum BuildCommand {
    /// The German verb morphology of the attribution stage (Konjunktiv I/II forms, cue-verb forms):
    /// writes crates/attribution/data/de.morph.tsv.gz.
    AttributionLexicon(Args),
}

#[derive(clap::Args)]
pub struct Args {
    /// The form→lemma table (spaCy lookups JSON, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/de_lemma_lookup.json.gz")]
    pub lemmas: PathBuf,
    /// CoNLL-U files with Mood=Sub features (dev/train only: UD test sets are evaluation only).
    #[arg(long, default_value = "../shared/data/ud/de_gsd-ud-dev.conllu")]
    pub ud: Vec<PathBuf>,
    /// The attribution stage's German word lists (the verb lemmas whose forms the artifact holds).
    #[arg(long, default_value = "crates/attribution/data/de.txt")]
    pub lists: PathBuf,
    /// Where to write the artifact.
    #[arg(long, default_value = "crates/attribution/data/de.morph.tsv.gz")]
    pub out: PathBuf,
}

pub fn run(command: BuildCommand) -> anyhow::Result<ExitCode> {
    match command {
        BuildCommand::AttributionLexicon(args) => attribution_lexicon(args),
    }
}

fn attribution_lexicon(args: Args) -> anyhow::Result<ExitCode> {
    for p in &args.ud {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains("test") {
            anyhow::bail!("{}: UD test sets are evaluation only", p.display());
        }
    }
    let ud: Vec<&std::path::Path> = args.ud.iter().map(PathBuf::as_path).collect();
    let lists = std::fs::read_to_string(&args.lists)?;
    let (bytes, stats) = dossier_attribution::compile::compile_german(&args.lemmas, &ud, &lists)?;
    std::fs::write(&args.out, &bytes)?;
    eprintln!(
        "{}: {} verb lemmas, {} Konjunktiv I and {} Konjunktiv II forms ({} from UD, {} dropped as \
         non-verbs), {} forms of {} listed lemmas, {} bytes",
        args.out.display(),
        stats.verb_lemmas,
        stats.konjunktiv_1,
        stats.konjunktiv_2,
        stats.from_ud,
        stats.dropped_non_verbs,
        stats.listed_forms,
        stats.listed_lemmas,
        stats.bytes
    );
    Ok(ExitCode::SUCCESS)
}
