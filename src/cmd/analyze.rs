//! `dossier analyze`: inputs in, reports out, in parallel, one failure never stopping the rest.

use anyhow::Context;
use dossier::{analyze_raw, Options};
use dossier_core::Document;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A readable summary for a person at a terminal.
    Text,
    /// One pretty-printed report per document.
    Json,
    /// One report per line, for pipes and jq.
    Jsonl,
    /// The resolved places of all reports as one GeoJSON FeatureCollection, printed at the end.
    Geojson,
}

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (read recursively) or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Write one `<id>.json` per document into this directory instead of printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The document date (YYYY-MM-DD) when you know it.
    #[arg(long, value_parser = parse_date)]
    pub dct: Option<String>,
}

fn parse_date(s: &str) -> Result<String, String> {
    s.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

/// One input to read: a file path or standard input.
enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }

    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Input::File(p) => std::fs::read(p),
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin().read_to_end(&mut buf)?;
                Ok(buf)
            }
        }
    }
}

/// Expands directories into their files, recursively, in a stable (sorted) order.
fn collect_inputs(args: &[String]) -> anyhow::Result<Vec<Input>> {
    fn walk(dir: &Path, out: &mut Vec<Input>) -> anyhow::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(Input::File(path));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            walk(&path, &mut out)?;
        } else if path.exists() {
            out.push(Input::File(path));
        } else {
            anyhow::bail!("{arg}: no such file or directory");
        }
    }
    Ok(out)
}

/// Reads and analyses one input: one result per document in it (a JSON Lines file holds many).
/// A panic inside a stage becomes an error for that document only.
fn process(input: &Input, options: &Options) -> Vec<Result<Document, String>> {
    let name = input.name();
    let bytes = match input.read() {
        Ok(bytes) => bytes,
        Err(e) => return vec![Err(format!("{name}: cannot read: {e}"))],
    };
    let internal =
        |what: &str| format!("{what}: internal error while analysing (please report this input)");
    let raws = match std::panic::catch_unwind(|| dossier_ingest::read_input(&name, &bytes)) {
        Ok(Ok(raws)) => raws,
        Ok(Err(e)) => return vec![Err(e.to_string())], // the message names the input
        Err(_) => return vec![Err(internal(&name))],
    };
    raws.into_iter()
        .map(|raw| {
            if let Some(error) = &raw.error {
                return Err(error.clone());
            }
            let record = raw.name.clone();
            std::panic::catch_unwind(|| analyze_raw(raw, options)).map_err(|_| internal(&record))
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    dossier::pipeline::warm_up_in_background();
    let inputs = collect_inputs(&args.inputs)?;
    let options = Options {
        dct: args.dct.clone(),
    };
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Quiet the default panic message: a failing document is reported once, below, by name.
    std::panic::set_hook(Box::new(|_| {}));

    let progress = if inputs.len() > 1 {
        ProgressBar::new(inputs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents ({per_sec}, {eta} left)")
            .expect("valid progress template"),
    );

    let stdout = std::io::stdout();
    let mut failures = 0usize;
    let mut documents = 0usize;
    let mut places = dossier_geo::FeatureCollection::new();
    // Chunks keep memory bounded for large collections while the output stays in input order.
    for chunk in inputs.chunks(256) {
        let results: Vec<Vec<Result<Document, String>>> = chunk
            .par_iter()
            .map(|input| {
                let r = process(input, &options);
                progress.inc(1);
                r
            })
            .collect();
        let mut out = stdout.lock();
        for result in results.into_iter().flatten() {
            match result {
                Ok(doc) => {
                    documents += 1;
                    if args.format == OutputFormat::Geojson {
                        places.add(&doc);
                    }
                    emit(&doc, &args, &mut out)?;
                }
                Err(message) => {
                    failures += 1;
                    progress.suspend(|| eprintln!("dossier: {message}"));
                }
            }
        }
        out.flush()?;
    }
    progress.finish_and_clear();
    if args.format == OutputFormat::Geojson && args.out.is_none() {
        let mut out = stdout.lock();
        serde_json::to_writer_pretty(&mut out, &places.to_value())?;
        writeln!(out)?;
    }
    if failures > 0 {
        eprintln!(
            "dossier: {failures} documents failed in {} inputs; {documents} reports written",
            inputs.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn emit(doc: &Document, args: &Args, out: &mut impl Write) -> anyhow::Result<()> {
    if let Some(dir) = &args.out {
        let path = dir.join(format!("{}.json", doc.id));
        let json = serde_json::to_vec_pretty(doc)?;
        std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(());
    }
    match args.format {
        OutputFormat::Text => writeln!(out, "{}", dossier::render::text_summary(doc))?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, doc)?;
            writeln!(out)?;
        }
        OutputFormat::Geojson => {}
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut *out, doc)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
