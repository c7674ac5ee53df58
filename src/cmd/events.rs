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
    let BuildCommand::EventsLexicon(args) = command;
    let table =
        dossier_events::compile::read_lemma_table(&args.lemmas).map_err(anyhow::Error::msg)?;
    let nouns =
        dossier_events::compile::read_noun_table(&args.nouns).map_err(anyhow::Error::msg)?;
    let (forms, n, derived) = dossier_events::compile::compile_german(&table, &nouns);
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
    /// Also write each German article's report before the events stage, one JSON line each, to
    /// this file (for `cargo run -p dossier-events --example de_eval`; keep it out of the
    /// repository: it holds the corpus text).
    #[arg(long, hide = true)]
    pub dump_docs: Option<PathBuf>,
}

pub fn run_eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    if !args.data.exists() {
        eprintln!("{} not found: nothing to evaluate", args.data.display());
        return Ok(ExitCode::FAILURE);
    }
    let only = args.only.as_deref();
    if only.is_none() || only == Some("german") {
        let dump = std::cell::RefCell::new(String::new());
        let analyze = |name: &str, paragraphs: Vec<String>, date: &str| {
            let doc = dossier::pipeline::analyze_paragraphs(name, "de", paragraphs, Some(date));
            if args.dump_docs.is_some() {
                let mut d = doc.clone();
                d.events.clear();
                if let Ok(line) = serde_json::to_string(&d) {
                    let mut w = dump.borrow_mut();
                    w.push_str(&line);
                    w.push('\n');
                }
            }
            doc
        };
        let r = dossier_events::eval::german(&args.data.join("plover-de"), &analyze)
            .map_err(anyhow::Error::msg)?;
        print!("{}", dossier_events::eval::print_german(&r));
        if let Some(path) = &args.dump_docs {
            std::fs::write(path, dump.borrow().as_bytes())?;
        }
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
    #[arg(long, default_value_t = 0.3)]
    pub synthetic_weight: f32,
    /// Domain adaptation of the synthetic stories by feature augmentation: 0 none, 1 a
    /// synthetic-only copy of their features, 2 also a PLV-only copy (cross-validation only).
    #[arg(long, default_value_t = 1)]
    pub augment: u8,
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
        augment: args.augment,
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
