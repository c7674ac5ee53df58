//! `dossier train attribution`: the role taggers of the attribution stage, trained on
//! `quotes-de-news` train, scored on its dev split after training.

use anyhow::anyhow;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The model's language: `de` (from quotes-de-news) or `en` (from PolNeAR).
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// The corpus folder: `quotes-de-news` (train.jsonl.gz, dev.jsonl.gz) for German, `polnear`
    /// (train/, dev/) for English; by default the one in ../shared/data/attribution.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Where to write the gzipped model (default: crates/attribution/data/model-<lang>.bin.gz).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// log2 of the feature rows per role.
    #[arg(long, default_value_t = 18)]
    pub bits: u32,
    /// How much the outside label's score is lowered after training (recall for precision).
    #[arg(long, default_value_t = 10.0)]
    pub shift: f32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also train on dev (for the shipped model, once the settings are chosen on dev).
    #[arg(long)]
    pub with_dev: bool,
}

/// The layers the attribution features read: sentences, tokens and entities, as in `analyze`.
pub fn prepare(doc: &mut dossier_core::Document) {
    dossier::pipeline::segment_document(doc);
    doc.entities = dossier_ner::entities(doc);
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    use dossier_attribution::{eval, learned};
    let english = match args.lang.as_str() {
        "de" => false,
        "en" => true,
        other => return Err(anyhow!("no attribution corpus for language {other:?}")),
    };
    let data = args.data.clone().unwrap_or_else(|| {
        PathBuf::from(if english {
            "../shared/data/attribution/polnear"
        } else {
            "../shared/data/attribution/quotes-de-news"
        })
    });
    let out_path = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "crates/attribution/data/model-{}.bin.gz",
            args.lang
        ))
    });
    let read = |split: &str| {
        if english {
            eval::read_polnear(&data, split, &prepare)
        } else {
            eval::read_quotes_de_news(&data, split, &prepare)
        }
        .map_err(|e| anyhow!("{e}"))
    };
    let mut train = read("train")?;
    let dev = read("dev")?;
    let examples_of = |arts: &[eval::QdnArticle]| -> Vec<learned::train::Example> {
        arts.iter()
            .map(|a| learned::train::example(&a.doc, &a.gold()))
            .collect()
    };
    let mut examples = examples_of(&train);
    if args.with_dev {
        examples.extend(examples_of(&dev));
        train.clear();
    }
    let started = std::time::Instant::now();
    let model = learned::train::train_for(
        &args.lang,
        &mut examples,
        args.epochs,
        args.bits.clamp(8, 24),
        args.seed,
        args.shift,
    );
    eprintln!(
        "trained on {} articles in {:.1} s",
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    print!("{}", eval::dev_report(&dev, &model, english));
    if !train.is_empty() {
        let mut out = String::new();
        let seen = &train[..train.len().min(150)];
        eval::score_quotes_de_news(
            seen,
            &|a| eval::predicted_from_spans(dossier_attribution::model_spans(&a.doc, &model)),
            "train (seen in training: a check of fit, not a score), model spans alone",
            &mut out,
        );
        print!("{out}");
    }
    let bytes = model.to_bytes();
    std::fs::write(&out_path, &bytes)?;
    eprintln!("{} bytes → {}", bytes.len(), out_path.display());
    Ok(ExitCode::SUCCESS)
}
