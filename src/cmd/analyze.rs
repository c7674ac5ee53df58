//! `dossier analyze`: inputs in, reports out, in parallel, one failure never stopping the rest.
//!
//! Three kinds of thread share the work: one reads the inputs (the walk, the bytes, decoding
//! and splitting JSON Lines into records), a pool analyses documents, and this thread writes
//! the reports in input order. At most [`window`] documents are between being read and being
//! written, so memory stays bounded however many inputs there are; a report is written as soon
//! as every report before it is.

mod walk;

use anyhow::Context;
use dossier::{analyze_raw, Options};
use dossier_core::Document;
use dossier_ingest::RawDocument;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use walk::{Input, Walk};

#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
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
    /// text (default) | json | jsonl | geojson. With `--out`: json (default) or geojson.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write one `<id>.json` per document into this directory instead of printing (with
    /// `--format geojson`, also `places.geojson`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The document date (YYYY-MM-DD) when you know it.
    #[arg(long, value_parser = parse_date)]
    pub dct: Option<String>,
    /// Refuse an input larger than this (bytes; suffixes K, M, G, KiB, MiB, GiB).
    #[arg(long, default_value = "64MiB", value_parser = parse_size)]
    pub max_bytes: u64,
    /// Follow symbolic links to directories while walking (each directory is still read once).
    #[arg(long)]
    pub follow_symlinks: bool,
}

fn parse_date(s: &str) -> Result<String, String> {
    s.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("expected a size such as 64MiB, got {s:?}"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use K, M, G, KiB, MiB, GiB)"
            ))
        }
    };
    n.checked_mul(factor)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("size out of range: {s}"))
}

/// What `--out` and `--format` ask for, checked before any work starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sink {
    Print(OutputFormat),
    /// One JSON report per document in the directory; `places` adds `places.geojson`.
    Dir {
        places: bool,
    },
}

fn sink(args: &Args) -> anyhow::Result<Sink> {
    match (&args.out, args.format) {
        (None, format) => Ok(Sink::Print(format.unwrap_or(OutputFormat::Text))),
        (Some(_), None | Some(OutputFormat::Json)) => Ok(Sink::Dir { places: false }),
        (Some(_), Some(OutputFormat::Geojson)) => Ok(Sink::Dir { places: true }),
        (Some(_), Some(f)) => anyhow::bail!(
            "--out writes one JSON report per document; --format {} cannot go with it \
             (leave --format out, or use json or geojson)",
            if f == OutputFormat::Text {
                "text"
            } else {
                "jsonl"
            }
        ),
    }
}

/// How many documents may be between being read and being written.
fn window(threads: usize) -> usize {
    2 * threads + 2
}

/// How many input bytes may be between being read and being written (a larger document still
/// runs, alone): analysis holds some fifty bytes per input byte, so a few huge documents side
/// by side would otherwise need gigabytes.
const WINDOW_BYTES: u64 = 8 << 20;

/// The documents and bytes in flight: the reader waits for room, the writer makes it.
struct Budget {
    state: Mutex<(usize, u64, bool)>,
    room: Condvar,
    docs: usize,
    bytes: u64,
}

impl Budget {
    fn new(docs: usize, bytes: u64) -> Self {
        Budget {
            state: Mutex::new((0, 0, false)),
            room: Condvar::new(),
            docs,
            bytes,
        }
    }

    /// Waits until a document of `bytes` fits; `false` once the writer has stopped.
    fn acquire(&self, bytes: u64) -> bool {
        let Ok(mut s) = self.state.lock() else {
            return false;
        };
        while !s.2 && (s.0 >= self.docs || (s.0 > 0 && s.1 + bytes > self.bytes)) {
            s = match self.room.wait(s) {
                Ok(s) => s,
                Err(_) => return false,
            };
        }
        if s.2 {
            return false;
        }
        s.0 += 1;
        s.1 += bytes;
        true
    }

    fn release(&self, bytes: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.0 = s.0.saturating_sub(1);
            s.1 = s.1.saturating_sub(bytes);
        }
        self.room.notify_all();
    }

    fn close(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.2 = true;
        }
        self.room.notify_all();
    }
}

/// One unit of work for the pool, or a failure already known to the reader.
enum Job {
    Analyse(RawDocument),
    Failed(String),
}

/// What the reader tells the writer besides documents.
enum Event {
    /// A document's result, by its position in input order, with its size in bytes.
    Done(usize, u64, Result<Box<Document>, String>),
    /// An input turned out to hold this many more documents (JSON Lines).
    More(u64),
}

/// Reads and decodes one input: its documents (a JSON Lines file holds many) or why not.
fn read(input: &Input, max_bytes: u64) -> Result<Vec<RawDocument>, String> {
    let name = input.name();
    let bytes = input.read(max_bytes)?;
    let internal = format!("{name}: internal error while reading (please report this input)");
    match std::panic::catch_unwind(|| dossier_ingest::read_input(&name, &bytes)) {
        Ok(Ok(raws)) => Ok(raws),
        Ok(Err(e)) => Err(e.to_string()), // the message names the input
        Err(_) => Err(internal),
    }
}

/// Analyses one document; a panic inside a stage becomes an error for this document only.
fn analyse(raw: RawDocument, options: &Options) -> Result<Box<Document>, String> {
    if let Some(error) = raw.error {
        return Err(error);
    }
    let record = raw.name.clone();
    std::panic::catch_unwind(|| Box::new(analyze_raw(raw, options)))
        .map_err(|_| format!("{record}: internal error while analysing (please report this input)"))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let sink = sink(&args)?;
    dossier::pipeline::warm_up_in_background();
    let walk = walk::collect(&args.inputs, args.follow_symlinks);
    let options = Options {
        dct: args.dct.clone(),
    };
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        remove_stale_temporaries(dir);
    }
    for problem in &walk.problems {
        eprintln!("dossier: {problem}");
    }
    for skipped in &walk.skipped {
        eprintln!("dossier: skipped {skipped}");
    }
    // Quiet the default panic message: a failing document is reported once, below, by name.
    std::panic::set_hook(Box::new(|_| {}));

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let progress = progress_bar(walk.inputs.len());
    let mut writer = Writer::new(sink, args.out.clone(), &progress);

    // Room for documents in flight: the reader takes it, the writer gives it back.
    let budget = Budget::new(window(threads), WINDOW_BYTES);
    let result = std::thread::scope(|scope| -> anyhow::Result<()> {
        let window = window(threads);
        let (job_tx, job_rx) = sync_channel::<(usize, u64, RawDocument)>(window);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (event_tx, event_rx) = channel::<Event>();

        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let event_tx = event_tx.clone();
            let options = &options;
            scope.spawn(move || loop {
                let next = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((seq, bytes, raw))) = next else {
                    return;
                };
                if event_tx
                    .send(Event::Done(seq, bytes, analyse(raw, options)))
                    .is_err()
                {
                    return;
                }
            });
        }
        let inputs = &walk.inputs;
        let max_bytes = args.max_bytes;
        let budget = &budget;
        scope.spawn(move || {
            let mut seq = 0usize;
            for input in inputs {
                let jobs: Vec<Job> = match read(input, max_bytes) {
                    Ok(raws) => raws.into_iter().map(Job::Analyse).collect(),
                    Err(message) => vec![Job::Failed(message)],
                };
                if jobs.len() > 1 && event_tx.send(Event::More(jobs.len() as u64 - 1)).is_err() {
                    return;
                }
                for job in jobs {
                    let bytes = match &job {
                        Job::Analyse(raw) => raw.bytes as u64,
                        Job::Failed(_) => 0,
                    };
                    if !budget.acquire(bytes) {
                        return; // the writer stopped
                    }
                    let sent = match job {
                        Job::Analyse(raw) => job_tx.send((seq, bytes, raw)).is_ok(),
                        Job::Failed(m) => event_tx.send(Event::Done(seq, 0, Err(m))).is_ok(),
                    };
                    if !sent {
                        return;
                    }
                    seq += 1;
                }
            }
        });
        let result = writer.drain(&event_rx, budget);
        // Whatever happened, let the reader and the pool see that nobody listens any more.
        budget.close();
        drop(event_rx);
        result
    });
    progress.finish_and_clear();
    result?;
    writer.finish()?;

    let summary = Summary {
        walk: &walk,
        writer: &writer,
        out: args.out.as_deref(),
    };
    if let Some(line) = summary.line() {
        eprintln!("dossier: {line}");
    }
    let failed = writer.failures > 0 || !walk.problems.is_empty();
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn progress_bar(inputs: usize) -> ProgressBar {
    if inputs <= 1 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} documents ({rate} documents/s, {eta} left)",
        )
        .expect("valid progress template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let rate = state.per_sec();
                let _ = if rate >= 10.0 {
                    write!(w, "{rate:.0}")
                } else {
                    write!(w, "{rate:.1}")
                };
            },
        ),
    );
    // Draw the first frame now and keep the clock moving while one long document runs.
    bar.tick();
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Writes reports in input order as they come in.
struct Writer<'a> {
    sink: Sink,
    dir: Option<PathBuf>,
    progress: &'a ProgressBar,
    places: dossier_geo::FeatureCollection,
    /// Finished documents waiting for an earlier one.
    pending: BTreeMap<usize, (u64, Result<Box<Document>, String>)>,
    next: usize,
    /// File names given out in this run (`--out`).
    names: HashSet<String>,
    written: usize,
    failures: usize,
    /// Documents whose content another document of this run has (the same id).
    duplicates: usize,
    out: std::io::BufWriter<std::io::Stdout>,
}

impl<'a> Writer<'a> {
    fn new(sink: Sink, dir: Option<PathBuf>, progress: &'a ProgressBar) -> Self {
        Writer {
            sink,
            dir,
            progress,
            places: dossier_geo::FeatureCollection::new(),
            pending: BTreeMap::new(),
            next: 0,
            names: HashSet::new(),
            written: 0,
            failures: 0,
            duplicates: 0,
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
        }
    }

    fn drain(&mut self, events: &Receiver<Event>, budget: &Budget) -> anyhow::Result<()> {
        for event in events {
            match event {
                Event::More(n) => self.progress.inc_length(n),
                Event::Done(seq, bytes, result) => {
                    self.pending.insert(seq, (bytes, result));
                    while let Some((bytes, result)) = self.pending.remove(&self.next) {
                        self.next += 1;
                        self.progress.inc(1);
                        let emitted = self.emit(result);
                        budget.release(bytes);
                        emitted?;
                    }
                }
            }
        }
        Ok(())
    }

    fn emit(&mut self, result: Result<Box<Document>, String>) -> anyhow::Result<()> {
        let doc = match result {
            Ok(doc) => doc,
            Err(message) => {
                self.failures += 1;
                self.progress.suspend(|| eprintln!("dossier: {message}"));
                return Ok(());
            }
        };
        match (self.sink, self.dir.clone()) {
            (Sink::Dir { places }, Some(dir)) => {
                if places {
                    self.places.add(&doc);
                    self.places.add_events(&doc);
                }
                let name = self.file_name(&doc.id);
                let path = dir.join(&name);
                match write_atomic(&path, &doc) {
                    Ok(()) => self.written += 1,
                    Err(e) => {
                        self.failures += 1;
                        self.progress.suspend(|| {
                            eprintln!(
                                "dossier: {}: cannot write {}: {e:#}",
                                doc.source.name,
                                path.display()
                            )
                        });
                    }
                }
            }
            (Sink::Print(format), _) => {
                let out = &mut self.out;
                match format {
                    OutputFormat::Text => writeln!(out, "{}", dossier::render::text_summary(&doc))?,
                    OutputFormat::Json => {
                        serde_json::to_writer_pretty(&mut *out, &*doc)?;
                        writeln!(out)?;
                    }
                    OutputFormat::Jsonl => {
                        serde_json::to_writer(&mut *out, &*doc)?;
                        writeln!(out)?;
                    }
                    OutputFormat::Geojson => {
                        self.places.add(&doc);
                        self.places.add_events(&doc);
                    }
                }
                // A report reaches the reader when it is done, not when the buffer fills.
                self.progress.suspend(|| out.flush())?;
                self.written += 1;
            }
            (Sink::Dir { .. }, None) => unreachable!("a directory sink has a directory"),
        }
        Ok(())
    }

    /// `<id>.json`; a document whose content (hence id) another document of this run already
    /// has gets `<id>-2.json`, `<id>-3.json`, ... in input order, so no report overwrites another.
    fn file_name(&mut self, id: &str) -> String {
        let mut name = format!("{id}.json");
        let mut n = 1;
        while !self.names.insert(name.clone()) {
            if n == 1 {
                self.duplicates += 1;
            }
            n += 1;
            name = format!("{id}-{n}.json");
        }
        name
    }

    /// Writes what only the end of the run can write (GeoJSON).
    fn finish(&mut self) -> anyhow::Result<()> {
        match (self.sink, &self.dir) {
            (Sink::Print(OutputFormat::Geojson), _) => {
                serde_json::to_writer_pretty(&mut self.out, &self.places.to_value())?;
                writeln!(self.out)?;
            }
            (Sink::Dir { places: true }, Some(dir)) => {
                write_atomic(&dir.join("places.geojson"), &self.places.to_value())?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(())
    }
}

/// Writes pretty JSON to a hidden temporary file beside `path`, then renames it: a reader (or a
/// run killed half-way) never sees a truncated report under its final name.
fn write_atomic(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer_pretty(&mut w, value)?;
        w.write_all(b"\n")?;
        w.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files that a run killed while writing left behind (`.<name>.<pid>.tmp`
/// of a process that no longer runs; Linux only, where `/proc` tells).
fn remove_stale_temporaries(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((_, pid)) = stem.rsplit_once('.') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The closing line on stderr: what was written, failed and skipped.
struct Summary<'a> {
    walk: &'a Walk,
    writer: &'a Writer<'a>,
    out: Option<&'a Path>,
}

impl Summary<'_> {
    fn line(&self) -> Option<String> {
        let w = self.writer;
        let walk = self.walk;
        let quiet = w.failures == 0
            && walk.problems.is_empty()
            && walk.skipped.is_empty()
            && walk.hidden == 0
            && walk.symlinked_dirs == 0
            && self.out.is_none();
        if quiet {
            return None;
        }
        let mut parts = vec![match self.out {
            Some(dir) => format!(
                "{} written to {}",
                plural(w.written, "report", "reports"),
                dir.display()
            ),
            None => format!("{} written", plural(w.written, "report", "reports")),
        }];
        if w.duplicates > 0 {
            parts.push(format!(
                "{} with the content of an earlier one (its report suffixed -2, -3, ...)",
                plural(w.duplicates, "document", "documents")
            ));
        }
        if w.failures > 0 {
            parts.push(format!(
                "{} failed",
                plural(w.failures, "document", "documents")
            ));
        }
        if !walk.problems.is_empty() {
            parts.push(format!(
                "{} could not be read",
                plural(walk.problems.len(), "path", "paths")
            ));
        }
        if !walk.skipped.is_empty() {
            let n = walk.skipped.len();
            parts.push(format!(
                "{} skipped ({})",
                plural(n, "entry", "entries"),
                if n == 1 {
                    "not a regular file"
                } else {
                    "not regular files"
                }
            ));
        }
        if walk.symlinked_dirs > 0 {
            parts.push(format!(
                "{} not followed (see --follow-symlinks)",
                plural(
                    walk.symlinked_dirs,
                    "link to a directory",
                    "links to directories"
                )
            ));
        }
        if walk.hidden > 0 {
            parts.push(format!(
                "{} skipped",
                plural(
                    walk.hidden,
                    "hidden file or directory",
                    "hidden files or directories"
                )
            ));
        }
        Some(parts.join("; "))
    }
}
