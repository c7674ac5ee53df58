//! `dossier bench`: throughput of the whole pipeline and of its stages, in-process, on one core.
//!
//! Benchmarks, not timed tests: numbers depend on the machine, so they are printed, never asserted.

use anyhow::Context;
use dossier::{analyze_bytes, Options};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to measure on (default: the repository's examples/).
    pub inputs: Vec<PathBuf>,
    /// Seconds to spend on each measurement.
    #[arg(long, default_value_t = 2.0)]
    pub seconds: f64,
}

fn files(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for e in entries {
                walk(&e, out)?;
            }
        } else {
            out.push(p.to_path_buf());
        }
        Ok(())
    }
    let defaults = [PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples"
    ))];
    let inputs = if inputs.is_empty() {
        &defaults[..]
    } else {
        inputs
    };
    let mut out = Vec::new();
    for p in inputs {
        walk(p, &mut out).with_context(|| format!("cannot read {}", p.display()))?;
    }
    Ok(out)
}

/// Runs `f` over all items repeatedly for at least `budget`; returns (passes, elapsed).
fn measure<T>(items: &[T], budget: Duration, mut f: impl FnMut(&T)) -> (usize, Duration) {
    let start = Instant::now();
    let mut passes = 0;
    while passes == 0 || start.elapsed() < budget {
        for item in items {
            f(item);
        }
        passes += 1;
    }
    (passes, start.elapsed())
}

/// Peak resident memory of this process in MiB (Linux), for the memory figure.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = files(&args.inputs)?;
    let inputs: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|b| (p.display().to_string(), b)))
        .collect();
    let options = Options::default();
    let budget = Duration::from_secs_f64(args.seconds);
    let total_bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();

    // Warm up lazily built tables (lexicons, models) so they are not charged to the first pass.
    let docs: Vec<_> = inputs
        .iter()
        .filter_map(|(n, b)| analyze_bytes(n, b, &options).ok())
        .flatten()
        .collect();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let text_bytes: usize = texts.iter().map(|t| t.len()).sum();

    println!(
        "dossier bench: {} inputs, {} bytes in, {} bytes of cleaned text, one thread",
        inputs.len(),
        total_bytes,
        text_bytes
    );
    let report = |stage: &str, passes: usize, elapsed: Duration, bytes: usize, docs: usize| {
        let secs = elapsed.as_secs_f64();
        println!(
            "  {stage:<12} {:>9.2} MB/s {:>10.1} docs/s {:>8.3} ms/doc",
            (bytes * passes) as f64 / secs / 1e6,
            (docs * passes) as f64 / secs,
            secs * 1e3 / (docs * passes).max(1) as f64
        );
    };

    let (p, e) = measure(&inputs, budget, |(n, b)| {
        let _ = analyze_bytes(n, b, &options);
    });
    report("analyze", p, e, total_bytes, docs.len());

    let (p, e) = measure(&texts, budget, |t| {
        std::hint::black_box(dossier_segment::segment(t, "de"));
    });
    report("segment", p, e, text_bytes, texts.len());

    let (p, e) = measure(&texts, budget, |t| {
        std::hint::black_box(dossier_langid::detect(t));
    });
    report("langid", p, e, text_bytes, texts.len());

    // The later stages, each on a copy of the finished reports (the copy is charged too; it is
    // small next to the stage).
    let sentences: Vec<Vec<(usize, usize)>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| (d.byte_range(*s).start, d.byte_range(*s).end))
                .collect()
        })
        .collect();
    let indexed: Vec<(usize, &dossier_core::Document)> = docs.iter().enumerate().collect();
    let (p, e) = measure(&indexed, budget, |(i, d)| {
        let mut d = (*d).clone();
        d.reindex();
        dossier_time::annotate(&mut d, &sentences[*i]);
    });
    report("time", p, e, text_bytes, texts.len());
    let (p, e) = measure(&docs, budget, |d| {
        std::hint::black_box(dossier_ner::entities(d));
    });
    report("ner", p, e, text_bytes, texts.len());
    let (p, e) = measure(&docs, budget, |d| {
        let mut d = d.clone();
        d.reindex();
        dossier_geo::annotate(&mut d);
    });
    report("geo", p, e, text_bytes, texts.len());
    let (p, e) = measure(&docs, budget, |d| {
        let mut d = d.clone();
        d.reindex();
        dossier_attribution::annotate(&mut d);
    });
    report("attribution", p, e, text_bytes, texts.len());
    let (p, e) = measure(&docs, budget, |d| {
        std::hint::black_box(dossier_events::events(d));
    });
    report("events", p, e, text_bytes, texts.len());

    if let Some(mib) = peak_rss_mib() {
        println!("  peak resident memory: {mib:.1} MiB");
    }
    Ok(ExitCode::SUCCESS)
}
