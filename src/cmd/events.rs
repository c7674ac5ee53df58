//! `dossier build events-lexicon`, `dossier eval events`, `dossier train events`: thin wrappers
//! over `dossier_events::{compile, eval, learned}`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum BuildCommand {
    /// The events stage's compiled data: German trigger forms (data/de.forms.tsv.gz) and ISO
    /// alpha-2 → alpha-3 (data/countries.tsv).
    EventsLexicon(BuildArgs),
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// The form→lemma table (spaCy lookups JSON, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/de_lemma_lookup.json.gz")]
    pub lemmas: PathBuf,
    /// NGEC's countries.csv (CCA2, Name, CCA3, …).
    #[arg(
        long,
        default_value = "../shared/data/events/ngec-assets/countries.csv"
    )]
    pub countries: PathBuf,
    /// The crate's data folder.
    #[arg(long, default_value = "crates/events/data")]
    pub out: PathBuf,
}

pub fn run_build(command: BuildCommand) -> anyhow::Result<ExitCode> {
    let BuildCommand::EventsLexicon(args) = command;
    let table =
        dossier_events::compile::read_lemma_table(&args.lemmas).map_err(anyhow::Error::msg)?;
    let (forms, n) =
        dossier_events::compile::compile_forms(&table, dossier_events::lexicon::DE_TRIGGERS);
    let gz = dossier_events::compile::gzip(&forms);
    std::fs::write(args.out.join("de.forms.tsv.gz"), &gz)?;
    let csv = std::fs::read_to_string(&args.countries)?;
    let countries = dossier_events::compile::compile_countries(&csv);
    std::fs::write(args.out.join("countries.tsv"), &countries)?;
    eprintln!(
        "{}: {n} forms, {} bytes; countries.tsv: {} codes",
        args.out.join("de.forms.tsv.gz").display(),
        gz.len(),
        countries.lines().count() - 1
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// The shared events folder.
    #[arg(long, default_value = "../shared/data/events")]
    pub data: PathBuf,
    /// Only the German set (`german`) or only PLV (`plv`).
    #[arg(long)]
    pub only: Option<String>,
}

pub fn run_eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    if !args.data.exists() {
        eprintln!("{} not found: nothing to evaluate", args.data.display());
        return Ok(ExitCode::FAILURE);
    }
    let only = args.only.as_deref();
    if only.is_none() || only == Some("german") {
        let analyze = |name: &str, paragraphs: Vec<String>, date: &str| {
            dossier::pipeline::analyze_paragraphs(name, "de", paragraphs, Some(date))
        };
        let r = dossier_events::eval::german(&args.data.join("plover-de"), &analyze)
            .map_err(anyhow::Error::msg)?;
        print!("{}", dossier_events::eval::print_german(&r));
    }
    if only.is_none() || only == Some("plv") {
        let r = dossier_events::learned::eval_plv(&args.data.join("plv"))
            .map_err(anyhow::Error::msg)?;
        print!("{r}");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct TrainArgs {
    /// The shared events folder (PLV_train and the NGEC synthetic stories are read; PLV_test never).
    #[arg(long, default_value = "../shared/data/events")]
    pub data: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "crates/events/data/plv-model.bin.gz")]
    pub out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Weight of a synthetic story's update (0: leave them out).
    #[arg(long, default_value_t = 0.0)]
    pub synthetic_weight: f32,
    /// Only cross-validate on PLV_train (5 folds by sentence); write nothing.
    #[arg(long)]
    pub cv: bool,
}

pub fn run_train(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let settings = dossier_events::learned::Settings {
        epochs: args.epochs,
        synthetic_weight: args.synthetic_weight,
        ..Default::default()
    };
    if args.cv {
        let (acc, f1) = dossier_events::learned::cross_validate(&args.data, settings)
            .map_err(anyhow::Error::msg)?;
        println!("PLV_train 5-fold CV (by sentence): root accuracy {acc:.3}, macro F1 {f1:.3} ({settings:?})");
        return Ok(ExitCode::SUCCESS);
    }
    let bytes =
        dossier_events::learned::train_model(&args.data, settings).map_err(anyhow::Error::msg)?;
    std::fs::write(&args.out, &bytes)?;
    eprintln!(
        "{}: {} bytes ({settings:?})",
        args.out.display(),
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}
