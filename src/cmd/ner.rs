//! `dossier train ner|lexicon` and `dossier eval ner`: training and scoring the entity tagger.

use anyhow::{anyhow, Context};
use dossier_ner::data::read_file;
use dossier_ner::eval::{fold_base, Scores};
use dossier_ner::lexicon::Lexicon;
use dossier_ner::model::Model;
use dossier_ner::Tagger;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum TrainCommand {
    /// Train a named-entity model (averaged structured perceptron).
    Ner(TrainArgs),
    /// Compile the lexicon (clusters, frequencies, gazetteers) the NER features read.
    Lexicon(LexiconArgs),
    /// Learn word representations from unlabelled text (subword skip-gram, then k-means
    /// cluster ids at several granularities) for `train lexicon --embeddings`.
    Embeddings(EmbeddingsArgs),
}

#[derive(clap::Args)]
pub struct EmbeddingsArgs {
    /// `de`: the Bundestag speeches of unlabelled/ plus the text of GermEval and WikiANN de
    /// train; `en`: PolNeAR train articles plus the text of WikiANN en and WNUT-17 train.
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the gzipped cluster table (`word<TAB>id…`).
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 100)]
    pub dim: usize,
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    #[arg(long, default_value_t = 5)]
    pub window: usize,
    #[arg(long, default_value_t = 5)]
    pub min_count: u64,
    #[arg(long, default_value_t = 5)]
    pub negatives: usize,
    /// Frequent-word subsampling threshold.
    #[arg(long, default_value_t = 1e-4)]
    pub sample: f64,
    /// log2 of the number of character n-gram buckets.
    #[arg(long, default_value_t = 19)]
    pub bucket_bits: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Cluster counts, comma-separated.
    #[arg(long, default_value = "64,256,1024")]
    pub ks: String,
    /// Read at most this many paragraphs of unlabelled text (0 = all).
    #[arg(long, default_value_t = 0)]
    pub max_lines: usize,
}

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Training corpora (GermEval TSV or CoNLL/BIO; .gz read transparently).
    #[arg(long, num_args = 1.., required = true)]
    pub train: Vec<PathBuf>,
    /// Dev corpus: the best epoch on it is kept.
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Where to write the gzipped model.
    #[arg(long)]
    pub out: PathBuf,
    /// Language of the lexicon the features read (`de` or `en`).
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// A lexicon file instead of the embedded one.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// log2 of the number of hashed feature rows.
    #[arg(long, default_value_t = 21)]
    pub bits: u32,
    /// Averaged weights below this magnitude are dropped from the model.
    #[arg(long, default_value_t = 0.02)]
    pub prune: f32,
    /// Features seen fewer times in the training data are ignored.
    #[arg(long, default_value_t = 1)]
    pub min_count: u32,
    /// Passive-aggressive step cap (PA-I); 0 = plain perceptron.
    #[arg(long, default_value_t = 0.0)]
    pub pa: f32,
    /// Penalty on the `O` label's score (recall for precision); default: tuned on --dev.
    #[arg(long)]
    pub o_penalty: Option<f32>,
    /// Train this many models from different shuffles and ship the mean of their weights.
    #[arg(long, default_value_t = 1)]
    pub ensemble: usize,
}

#[derive(clap::Args)]
pub struct LexiconArgs {
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// The shared data directory (holds lexicon/ and gazetteer/).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// A cluster table written by `dossier train embeddings` (its ids become features).
    #[arg(long)]
    pub embeddings: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Corpus to score (GermEval TSV or CoNLL/BIO).
    pub file: PathBuf,
    /// A model file instead of the embedded model of `--lang`.
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// A lexicon file instead of the embedded one.
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Also write `token<TAB>gold<TAB>predicted` lines (blank line between sentences) here,
    /// for error analysis.
    #[arg(long)]
    pub dump: Option<PathBuf>,
}

fn load_lexicon(lang: &str, path: Option<&Path>) -> anyhow::Result<Lexicon> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| p.display().to_string())?;
            Lexicon::from_bytes(&bytes).map_err(|e| anyhow!(e))
        }
        None => Ok(dossier_ner::embedded_lexicon(lang)),
    }
}

pub fn run_train(command: TrainCommand) -> anyhow::Result<ExitCode> {
    match command {
        TrainCommand::Lexicon(args) => {
            let lex =
                dossier_ner::lexicon::build(&args.lang, &args.data, args.embeddings.as_deref())
                    .map_err(|e| anyhow!(e))?;
            let bytes = lex.to_bytes();
            std::fs::write(&args.out, &bytes).with_context(|| args.out.display().to_string())?;
            eprintln!(
                "{} entries, {} bytes → {}",
                lex.len(),
                bytes.len(),
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        TrainCommand::Embeddings(args) => embeddings(args),
        TrainCommand::Ner(args) => {
            let lex = load_lexicon(&args.lang, args.lexicon.as_deref())?;
            if lex.is_empty() {
                eprintln!("warning: the lexicon is empty; cluster and gazetteer features are off");
            }
            let mut train = Vec::new();
            for p in &args.train {
                train.extend(read_file(p).map_err(|e| anyhow!(e))?);
            }
            let dev = match &args.dev {
                Some(d) => read_file(d).map_err(|e| anyhow!(e))?,
                None => Vec::new(),
            };
            let settings = dossier_ner::train::Settings {
                epochs: args.epochs,
                seed: args.seed,
                bits: args.bits.clamp(8, 26),
                prune: args.prune,
                min_count: args.min_count,
                pa: args.pa,
                o_penalty: args.o_penalty,
                ensemble: args.ensemble,
            };
            let t0 = Instant::now();
            let model = dossier_ner::train::train(&lex, &train, &dev, &settings, &mut |line| {
                eprintln!("[{:>6.1}s] {line}", t0.elapsed().as_secs_f64())
            });
            let bytes = model.to_bytes();
            std::fs::write(&args.out, &bytes).with_context(|| args.out.display().to_string())?;
            eprintln!(
                "model: {} labels, {} rows, {} bytes → {}",
                model.num_labels(),
                model.stored_rows(),
                bytes.len(),
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Text of the sentences of a labelled corpus, one line each (labels unused).
fn corpus_text(path: &Path) -> anyhow::Result<String> {
    let sents = read_file(path).map_err(|e| anyhow!(e))?;
    let mut out = String::new();
    for s in sents {
        out.push_str(&s.tokens.join(" "));
        out.push('\n');
    }
    Ok(out)
}

fn gz_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .with_context(|| path.display().to_string())?;
        Ok(out)
    } else {
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn embeddings(args: EmbeddingsArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let d = &args.data;
    let mut texts: Vec<String> = Vec::new();
    // Train splits only: never the text of dev or evaluation-only splits.
    let labelled: Vec<PathBuf> = if args.lang == "en" {
        for f in files_in(&d.join("attribution/polnear/train/text"), ".txt") {
            texts.push(gz_text(&f)?);
        }
        vec![
            d.join("ner/wikiann/en/train"),
            d.join("ner/wnut17/train.conll"),
        ]
    } else {
        let mut lines = 0usize;
        for sub in ["bundestag-wp19", "bundestag-wp20"] {
            for f in files_in(&d.join("unlabelled").join(sub), ".txt.gz") {
                let mut t = gz_text(&f)?;
                if args.max_lines > 0 {
                    let keep: Vec<&str> = t
                        .lines()
                        .take(args.max_lines.saturating_sub(lines))
                        .collect();
                    lines += keep.len();
                    t = keep.join("\n");
                }
                texts.push(t);
            }
        }
        vec![
            d.join("ner/germeval2014/train.tsv.gz"),
            d.join("ner/wikiann/de/train"),
        ]
    };
    // The labelled train text joins the corpus, but its words get no cluster of their own
    // beyond the corpus's vocabulary: otherwise every training token would have one and the
    // tagger would learn to rely on ids that unseen words never have.
    let mut extra: Vec<String> = Vec::new();
    for p in &labelled {
        texts.push(corpus_text(p)?);
    }
    if args.lang != "en" {
        extra.extend(dossier_ner::lexicon::brown_cluster_words(d).map_err(|e| anyhow!(e))?);
    }
    extra.sort();
    extra.dedup();
    let settings = dossier_ner::embed::Settings {
        dim: args.dim,
        epochs: args.epochs,
        window: args.window,
        min_count: args.min_count,
        negatives: args.negatives,
        sample: args.sample,
        bucket_bits: args.bucket_bits,
        seed: args.seed,
        ks: args
            .ks
            .split(',')
            .filter_map(|k| k.trim().parse().ok())
            .filter(|&k| k > 0)
            .collect(),
        ..Default::default()
    };
    let corpus = dossier_ner::embed::Corpus::build(&texts, settings.min_count);
    drop(texts);
    let mut log = |line: String| eprintln!("[{:>7.1}s] {line}", t0.elapsed().as_secs_f64());
    log(format!(
        "{} words in the vocabulary, {} tokens; {} extra words",
        corpus.vocab.len(),
        corpus.stream.len(),
        extra.len()
    ));
    let vectors = dossier_ner::embed::train(&corpus, &settings, &mut log);
    drop(corpus);
    let table = dossier_ner::embed::cluster_table(&vectors, &extra, &settings, &mut log);
    let bytes = dossier_ner::embed::gzip(&table);
    std::fs::write(&args.out, &bytes).with_context(|| args.out.display().to_string())?;
    log(format!(
        "{} words, {} bytes → {}",
        table.lines().count().saturating_sub(1),
        bytes.len(),
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn run_eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let owned;
    let tagger: &Tagger = match &args.model {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| p.display().to_string())?;
            owned = Tagger {
                model: Model::from_bytes(&bytes).map_err(|e| anyhow!(e))?,
                lexicon: load_lexicon(&args.lang, args.lexicon.as_deref())?,
            };
            &owned
        }
        None => dossier_ner::tagger(&args.lang)
            .ok_or_else(|| anyhow!("no embedded model for {}", args.lang))?,
    };
    let sents = read_file(&args.file).map_err(|e| anyhow!(e))?;
    let t0 = Instant::now();
    let cpu0 = cpu_seconds();
    let mut predicted = Vec::with_capacity(sents.len());
    let mut n_tokens = 0usize;
    for s in &sents {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        n_tokens += toks.len();
        predicted.push(tagger.tag(&toks));
    }
    let secs = t0.elapsed().as_secs_f64();
    let cpu = cpu0.and_then(|c0| cpu_seconds().map(|c1| c1 - c0));
    if let Some(path) = &args.dump {
        let mut out = String::new();
        for (s, p) in sents.iter().zip(&predicted) {
            for ((tok, gold), pred) in s.tokens.iter().zip(&s.labels).zip(p) {
                out.push_str(&format!("{tok}\t{gold}\t{pred}\n"));
            }
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| path.display().to_string())?;
    }
    let mut full = Scores::default();
    let mut base = Scores::default();
    for (s, p) in sents.iter().zip(&predicted) {
        let gold: Vec<&str> = s.labels.iter().map(String::as_str).collect();
        full.add(&gold, p, &|t| t.to_string());
        base.add(&gold, p, &|t| fold_base(t));
    }
    println!("{}", args.file.display());
    println!(
        "{}",
        full.table("strict span P/R/F1, outer spans, every type (GermEval official: deriv/part are types of their own)")
    );
    println!(
        "{}",
        base.table("strict span P/R/F1, 4 classes (deriv/part folded into PER/ORG/LOC/OTH)")
    );
    println!(
        "{} sentences, {} tokens tagged in {:.3}s wall: {:.0} tokens/s (one thread, features + Viterbi)",
        sents.len(),
        n_tokens,
        secs,
        n_tokens as f64 / secs.max(1e-9)
    );
    // Throughput on one thread: tag the corpus again until two CPU seconds have passed
    // (CPU time, so that other processes on a busy machine do not count).
    let _ = cpu;
    let token_lists: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.tokens.iter().map(String::as_str).collect())
        .collect();
    if let Some(c0) = cpu_seconds() {
        let mut tagged = 0usize;
        let mut spent = 0.0;
        while spent < 2.0 {
            for toks in &token_lists {
                tagged += tagger.tag(toks).len();
            }
            spent = cpu_seconds().map_or(f64::MAX, |c1| c1 - c0);
            if tagged == 0 {
                break;
            }
        }
        if spent > 0.0 && spent < f64::MAX {
            println!(
                "  throughput: {:.0} tokens per CPU second ({} tokens in {:.2} CPU s, one thread)",
                tagged as f64 / spent,
                tagged,
                spent
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks/s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
