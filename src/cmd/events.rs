//! `dossier build events-lexicon`, `dossier eval events`, `dossier train events`: thin wrappers
//! over `dossier_events::{compile, eval, learned}`.

use std::path::PathBuf;
use std::process::ExitCode;

// The variants are the subcommands' names (`dossier build events-…`).
#[allow(clippy::enum_variant_names)]
#[derive(clap::Subcommand)]
pub enum BuildCommand {
    /// The events stage's compiled data: German trigger forms (data/de.forms.tsv.gz) and ISO
    /// alpha-2 → alpha-3 (data/countries.tsv).
    EventsLexicon(BuildArgs),
    /// Word vectors of the Bundestag speeches (train) for `events-neighbours`, written outside
    /// the repository (one thread, seeded: the same bytes on a re-run; ~5 CPU minutes).
    EventsVectors(VectorsArgs),
    /// German trigger candidates from the vectors' nearest neighbours of each trigger
    /// (data/de.neighbours.tsv); then run `build events-lexicon` for their forms.
    EventsNeighbours(NeighbourArgs),
}

#[derive(clap::Args)]
pub struct VectorsArgs {
    /// The shared data folder (reads unlabelled/bundestag-wp19, -wp20).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the vectors (word, then its unit vector; most frequent first).
    #[arg(long, default_value = "target/events-vectors-de.tsv.gz")]
    pub out: PathBuf,
    /// How many of the most frequent words to write.
    #[arg(long, default_value_t = 60_000)]
    pub words: usize,
    /// Write each word's own row, without its character n-grams (whose share makes the
    /// neighbours words of like spelling: "kapitulieren" → "rekapitulieren").
    #[arg(long)]
    pub word_rows: bool,
}

#[derive(clap::Args)]
pub struct NeighbourArgs {
    /// The vectors of `build events-vectors`.
    #[arg(long, default_value = "target/events-vectors-de.tsv.gz")]
    pub vectors: PathBuf,
    /// The form→lemma table (spaCy lookups JSON, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/de_lemma_lookup.json.gz")]
    pub lemmas: PathBuf,
    /// The Wiktionary noun table (CSV, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/german-nouns.csv.gz")]
    pub nouns: PathBuf,
    /// Least cosine between a trigger and a candidate.
    #[arg(long, default_value_t = 0.8)]
    pub min_cos: f32,
    /// Neighbours looked at per trigger.
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Where to write the candidates.
    #[arg(long, default_value = "crates/events/data/de.neighbours.tsv")]
    pub out: PathBuf,
}

fn gz_read(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    let mut out = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
        .with_context(|| path.display().to_string())?;
    Ok(out)
}

fn run_vectors(args: VectorsArgs) -> anyhow::Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let mut texts = Vec::new();
    for sub in ["bundestag-wp19", "bundestag-wp20"] {
        let dir = args.data.join("unlabelled").join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".txt.gz"))
            .collect();
        files.sort();
        for f in files {
            texts.push(gz_read(&f)?);
        }
    }
    // The settings of the German embeddings in crates/ner/README.md.
    let settings = dossier_ner::embed::Settings {
        dim: 50,
        epochs: 1,
        window: 3,
        negatives: 3,
        sample: 1e-5,
        bucket_bits: 18,
        ..Default::default()
    };
    let corpus = dossier_ner::embed::Corpus::build(&texts, settings.min_count);
    drop(texts);
    let mut log = |line: String| eprintln!("[{:>7.1}s] {line}", t0.elapsed().as_secs_f64());
    let vectors = dossier_ner::embed::train(&corpus, &settings, &mut log);
    let mut out = String::new();
    let dim = vectors.dim;
    for (i, w) in vectors.vocab.iter().enumerate().take(args.words) {
        let v = if args.word_rows {
            Some(vectors.input[i * dim..(i + 1) * dim].to_vec())
        } else {
            vectors.vector(w)
        };
        if let Some(v) = v {
            out.push_str(w);
            for x in v {
                out.push_str(&format!("\t{x:.4}"));
            }
            out.push('\n');
        }
    }
    std::fs::write(&args.out, dossier_events::compile::gzip(&out))?;
    log(format!(
        "{} words → {}",
        out.lines().count(),
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn run_neighbours(args: NeighbourArgs) -> anyhow::Result<ExitCode> {
    let text = gz_read(&args.vectors)?;
    let vectors: Vec<(String, Vec<f32>)> = text
        .lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let w = it.next()?.to_string();
            let mut v: Vec<f32> = it.filter_map(|x| x.parse().ok()).collect();
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n <= 1e-6 {
                return None;
            }
            v.iter_mut().for_each(|x| *x /= n);
            Some((w, v))
        })
        .collect();
    let table =
        dossier_events::compile::read_lemma_table(&args.lemmas).map_err(anyhow::Error::msg)?;
    let nouns =
        dossier_events::compile::read_noun_table(&args.nouns).map_err(anyhow::Error::msg)?;
    let triggers = format!(
        "{}\n{}",
        dossier_events::lexicon::DE_TRIGGERS,
        dossier_events::compile::derive_nouns(dossier_events::lexicon::DE_TRIGGERS, &nouns)
    );
    let settings = dossier_events::expand::Settings {
        min_cos: args.min_cos,
        k: args.k,
    };
    let out = dossier_events::expand::neighbours(&vectors, &triggers, &table, &nouns, settings);
    std::fs::write(&args.out, &out)?;
    eprintln!(
        "{}: {} candidates ({settings:?}); now run `dossier build events-lexicon`",
        args.out.display(),
        out.lines().filter(|l| !l.starts_with('#')).count()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// The form→lemma table (spaCy lookups JSON, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/de_lemma_lookup.json.gz")]
    pub lemmas: PathBuf,
    /// The Wiktionary noun table (CSV, gzip).
    #[arg(long, default_value = "../shared/data/lexicon/german-nouns.csv.gz")]
    pub nouns: PathBuf,
    /// NGEC's countries.csv (CCA2, Name, CCA3, …).
    #[arg(
        long,
        default_value = "../shared/data/events/ngec-assets/countries.csv"
    )]
    pub countries: PathBuf,
    /// PETRARCH2's CAMEO verb-pattern dictionary.
    #[arg(
        long,
        default_value = "../shared/data/events/petrarch2-dictionaries/CAMEO.2.0.txt"
    )]
    pub cameo: PathBuf,
    /// The CAMEO → PLOVER conversion table.
    #[arg(
        long,
        default_value = "../shared/data/events/plover/CAMEO2PLOVER-2021.txt"
    )]
    pub cameo2plover: PathBuf,
    /// The crate's data folder.
    #[arg(long, default_value = "crates/events/data")]
    pub out: PathBuf,
}

pub fn run_build(command: BuildCommand) -> anyhow::Result<ExitCode> {
    let args = match command {
        BuildCommand::EventsLexicon(args) => args,
        BuildCommand::EventsVectors(a) => return run_vectors(a),
        BuildCommand::EventsNeighbours(a) => return run_neighbours(a),
    };
    let table =
        dossier_events::compile::read_lemma_table(&args.lemmas).map_err(anyhow::Error::msg)?;
    let nouns =
        dossier_events::compile::read_noun_table(&args.nouns).map_err(anyhow::Error::msg)?;
    let neighbours =
        std::fs::read_to_string(args.out.join("de.neighbours.tsv")).unwrap_or_default();
    let (forms, n, derived) = dossier_events::compile::compile_german(&table, &nouns, &neighbours);
    std::fs::write(args.out.join("de.derived.tsv"), &derived)?;
    eprintln!(
        "{}: {} derived noun triggers",
        args.out.join("de.derived.tsv").display(),
        derived.lines().filter(|l| !l.starts_with('#')).count()
    );
    let gz = dossier_events::compile::gzip(&forms);
    std::fs::write(args.out.join("de.forms.tsv.gz"), &gz)?;
    let csv = std::fs::read_to_string(&args.countries)?;
    let countries = dossier_events::compile::compile_countries(&csv);
    std::fs::write(args.out.join("countries.tsv"), &countries)?;
    let dict = std::fs::read_to_string(&args.cameo)?;
    let mapping = std::fs::read_to_string(&args.cameo2plover)?;
    let cameo = dossier_events::cameo::compile(&dict, &mapping);
    let cameo_gz = dossier_events::compile::gzip(&cameo);
    std::fs::write(args.out.join("en.cameo.tsv.gz"), &cameo_gz)?;
    eprintln!(
        "{}: {} records, {} bytes",
        args.out.join("en.cameo.tsv.gz").display(),
        cameo.lines().count(),
        cameo_gz.len()
    );
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
    /// Also list the matched German events with a wrong actor or target, of half `A` or `B`.
    #[arg(long)]
    pub errors: Option<String>,
    /// Also list the German gold events not found and the predicted events not in the gold, of
    /// half `A` or `B` (develop on A only).
    #[arg(long)]
    pub misses: Option<String>,
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
        if let Some(half) = args.errors.as_deref() {
            let h = if half.eq_ignore_ascii_case("b") { 1 } else { 0 };
            for line in &r.halves[h].errors {
                println!("{line}");
            }
        }
        if let Some(half) = args.misses.as_deref() {
            let h = if half.eq_ignore_ascii_case("b") { 1 } else { 0 };
            for line in &r.halves[h].misses {
                println!("{line}");
            }
        }
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
    #[arg(long, default_value_t = 20)]
    pub epochs: usize,
    /// The averaged perceptron instead of logistic regression.
    #[arg(long)]
    pub perceptron: bool,
    /// L2 strength of the logistic regression.
    #[arg(long, default_value_t = 1e-4)]
    pub l2: f32,
    /// Learning rate of the logistic regression.
    #[arg(long, default_value_t = 0.5)]
    pub rate: f32,
    /// Models in the ensemble (each with its own feature hashing).
    #[arg(long, default_value_t = 1)]
    pub members: usize,
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
        logistic: !args.perceptron,
        l2: args.l2,
        rate: args.rate,
        members: args.members,
        ..Default::default()
    };
    if args.cv {
        use dossier_events::learned::scores;
        let (rows, pred) = dossier_events::learned::cv_predictions(&args.data, settings)
            .map_err(anyhow::Error::msg)?;
        let (mut gold, mut cls, mut rule, mut both) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut rule_found = 0;
        // The trigger list alone (the shipped classifier saw all of PLV_train).
        dossier_events::set_english_retyping(false);
        for (r, p) in rows.iter().zip(&pred) {
            let Some(p) = *p else { continue };
            gold.push(r.label);
            cls.push(p);
            // The English stage's rules on the unmarked sentence: the event whose trigger lies
            // between the marks (else anywhere in the sentence).
            let rt = english_rule_type(&r.text);
            rule_found += rt.is_some() as usize;
            rule.push(rt.unwrap_or(usize::MAX));
            both.push(rt.unwrap_or(p));
        }
        let (acc, f1) = scores(&gold, &cls);
        println!("PLV_train 5-fold CV (by sentence): root accuracy {acc:.3}, macro F1 {f1:.3} ({settings:?})");
        let (racc, rf1) = scores(&gold, &rule);
        let (bacc, bf1) = scores(&gold, &both);
        println!(
            "English stage rules on the same rows: an event on {rule_found} of {} rows; root accuracy {racc:.3}, macro F1 {rf1:.3}; rules where they find one, else the classifier: {bacc:.3} / {bf1:.3}",
            gold.len()
        );
        let found: Vec<usize> = (0..gold.len()).filter(|&k| rule[k] != usize::MAX).collect();
        let pick = |v: &[usize]| found.iter().map(|&k| v[k]).collect::<Vec<_>>();
        let (fr, _) = scores(&pick(&gold), &pick(&rule));
        let (fc, _) = scores(&pick(&gold), &pick(&cls));
        println!(
            "on the {} rows where the rules find an event: root accuracy of the rules' type {fr:.3}, of the classifier's {fc:.3}",
            found.len()
        );
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

/// The PLV label of the English stage's event for a marked sentence: the stage runs on the
/// sentence without marks; the event whose trigger lies between the marks, else the first.
fn english_rule_type(marked: &str) -> Option<usize> {
    let plain = marked
        .replace("<s>", "")
        .replace("</s>", "")
        .replace("<t>", "")
        .replace("</t>", "");
    // Character offsets (code points) of the region between the marks in the plain text.
    let pos = |tag: &str| marked.find(tag).map(|b| marked[..b].chars().count());
    let (so, sc, to, tc) = (pos("<s>")?, pos("</s>")?, pos("<t>")?, pos("</t>")?);
    // Each mark before a position shifts it by the mark's length.
    let plain_at = |at: usize| {
        let mut shift = 0;
        for (p, len) in [(so, 3), (sc, 4), (to, 3), (tc, 4)] {
            if p < at {
                shift += len;
            }
        }
        at - shift
    };
    let (lo, hi) = if sc <= to {
        (plain_at(sc), plain_at(to))
    } else {
        (plain_at(tc), plain_at(so))
    };
    let doc = dossier::pipeline::analyze_paragraphs("plv", "en", vec![plain], None);
    let between = doc.events.iter().find(|e| {
        e.trigger
            .as_ref()
            .is_some_and(|t| t.span[0] >= lo && t.span[1] <= hi)
    });
    let e = between.or(doc.events.first())?;
    dossier_events::learned::label_of(&e.kind)
}
