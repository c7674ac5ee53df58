//! `dossier eval extraction`: HTML body extraction against the shared benchmarks.
//!
//! Reads the benchmark files, runs `dossier_html::extract` and prints the scores of
//! `dossier_html::eval` (ScrapingHub shingles: evaluation only; trafilatura's German snippet
//! checks and metadata fields: `dev` half for tuning, `test` half for reporting).
//! Timing covers `dossier_html::extract` only, one thread.

use anyhow::Context;
use dossier_core::Article;
use dossier_html::eval::{
    body_of, norm_ws, shingle_match, shingle_metrics, MetaTally, MetaTruth, SnippetFault,
    SnippetTally,
};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum, Debug)]
pub enum Set {
    /// trafilatura's German dev half (dev/tune).
    Dev,
    /// trafilatura's German test half (evaluation only).
    Test,
    /// ScrapingHub article-extraction-benchmark (evaluation only).
    Scrapinghub,
}

#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `scrapinghub/` and `trafilatura-eval/` (default ../shared/data/extraction).
    #[arg(long, default_value = "../shared/data/extraction")]
    pub data: PathBuf,
    /// Which benchmarks to run. The test half and ScrapingHub are for reporting only.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "dev")]
    pub sets: Vec<Set>,
    /// List the failed snippet checks (dev set only: never look at held-out pages in detail).
    #[arg(long)]
    pub verbose: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    for set in &args.sets {
        match set {
            Set::Scrapinghub => scrapinghub(&args.data.join("scrapinghub"))?,
            Set::Dev => trafilatura(
                &args.data.join("trafilatura-eval"),
                "evaldata.de.dev.json",
                args.verbose,
            )?,
            Set::Test => trafilatura(
                &args.data.join("trafilatura-eval"),
                "evaldata.de.test.json",
                false,
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_gz(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .with_context(|| format!("cannot gunzip {}", path.display()))?;
    Ok(out)
}

/// Decodes a page the way `dossier analyze` would.
fn decode(name: &str, bytes: &[u8]) -> String {
    match dossier_ingest::read_input(name, bytes) {
        Ok(mut docs) if !docs.is_empty() => docs.swap_remove(0).content,
        _ => String::new(),
    }
}

/// CPU time this thread has used, when the OS tells (Linux); it stays honest on a busy machine
/// where wall-clock time also counts other processes.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Extracts every page, one thread, timing extraction alone (decoding happened before).
/// The timing is the fastest of three passes: other processes on a shared machine only ever
/// make a pass slower.
fn extract_all(pages: &[String]) -> (Vec<Article>, Duration, Option<Duration>) {
    let mut best: Option<(Duration, Option<Duration>)> = None;
    let mut articles = Vec::new();
    for _ in 0..3 {
        articles = Vec::with_capacity(pages.len());
        let cpu0 = thread_cpu();
        let start = Instant::now();
        for html in pages {
            articles.push(dossier_html::extract(html, None));
        }
        let wall = start.elapsed();
        let cpu = match (cpu0, thread_cpu()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        best = Some(match best {
            None => (wall, cpu),
            Some((w, c)) => (w.min(wall), c.zip(cpu).map(|(a, b)| a.min(b)).or(cpu)),
        });
    }
    let (wall, cpu) = best.unwrap_or_default();
    (articles, wall, cpu)
}

fn print_speed(pages: usize, wall: Duration, cpu: Option<Duration>) {
    let rate = |d: Duration| {
        let secs = d.as_secs_f64().max(1e-9);
        (pages as f64 / secs, secs * 1000.0 / pages.max(1) as f64)
    };
    let (pps, ms) = rate(wall);
    print!("  speed (best of 3): {pps:.0} pages/s, {ms:.3} ms/page wall clock");
    if let Some(cpu) = cpu {
        let (pps, ms) = rate(cpu);
        print!("; {pps:.0} pages/s, {ms:.3} ms/page CPU time");
    }
    println!(" (extraction only, one thread)");
}

#[derive(serde::Deserialize)]
struct Truth {
    #[serde(rename = "articleBody", default)]
    article_body: String,
}

fn scrapinghub(dir: &Path) -> anyhow::Result<()> {
    let truth: HashMap<String, Truth> = serde_json::from_slice(
        &std::fs::read(dir.join("ground-truth.json")).context("ScrapingHub ground truth")?,
    )?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let mut pages = Vec::with_capacity(ids.len());
    for id in &ids {
        let bytes = read_gz(&dir.join("html").join(format!("{id}.html.gz")))?;
        pages.push(decode(id, &bytes));
    }
    let (articles, wall, cpu) = extract_all(&pages);
    let scores: Vec<_> = ids
        .iter()
        .zip(&articles)
        .map(|(id, a)| shingle_match(&truth[*id].article_body, &body_of(a)))
        .collect();
    let (p, r, f1) = shingle_metrics(&scores);
    println!("ScrapingHub ({} pages, evaluation only):", ids.len());
    println!("  precision {p:.3}  recall {r:.3}  F1 {f1:.3}");
    print_speed(ids.len(), wall, cpu);
    Ok(())
}

#[derive(serde::Deserialize)]
struct Snippets {
    file: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
    #[serde(flatten)]
    meta: MetaTruth,
}

fn trafilatura(dir: &Path, file: &str, verbose: bool) -> anyhow::Result<()> {
    let data: HashMap<String, Snippets> = serde_json::from_slice(
        &std::fs::read(dir.join(file)).with_context(|| format!("cannot read {file}"))?,
    )?;
    let mut keys: Vec<&String> = data.keys().collect();
    keys.sort();
    let mut missing = 0;
    let mut items = Vec::new();
    let mut htmls = Vec::new();
    for key in keys {
        let item = &data[key];
        let path = dir.join("html").join(format!("{}.gz", item.file));
        let Ok(bytes) = read_gz(&path) else {
            missing += 1;
            continue;
        };
        items.push(item);
        htmls.push(decode(&item.file, &bytes));
    }
    let pages = items.len();
    let (articles, wall, cpu) = extract_all(&htmls);
    let mut snippets = SnippetTally::default();
    let mut meta = MetaTally::default();
    for (item, article) in items.iter().zip(&articles) {
        let faults = snippets.add(&body_of(article), &item.with, &item.without);
        let meta_faults = meta.add(article, &item.meta);
        if !verbose {
            continue;
        }
        for fault in faults {
            match fault {
                SnippetFault::Missed(w) => println!("  MISS {}: {}", item.file, short(w)),
                SnippetFault::Kept(w) => println!("  JUNK {}: {}", item.file, short(w)),
            }
        }
        for (what, pair) in [
            ("TITLE", meta_faults.title),
            ("DATE", meta_faults.date),
            ("AUTHOR", meta_faults.author),
        ] {
            if let Some((gold, ours)) = pair {
                println!(
                    "  {what} {}: {} | ours: {}",
                    item.file,
                    short(&gold),
                    short(&ours)
                );
            }
        }
    }
    let (precision, recall, f1, accuracy) = snippets.metrics();
    let SnippetTally { tp, fp, fneg, tn } = snippets;
    let label = if file.contains(".test.") {
        "evaluation only"
    } else {
        "dev/tune"
    };
    println!("trafilatura {file} ({pages} pages, {label}; {missing} without HTML):");
    println!(
        "  precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}  accuracy {accuracy:.3}  (tp {tp}, fp {fp}, fn {fneg}, tn {tn})"
    );
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    println!(
        "  headline vs the title field ({} pages): exact {:.3}, close {:.3}, none {:.3}",
        meta.titles,
        share(meta.title_exact, meta.titles),
        share(meta.title_exact + meta.title_close, meta.titles),
        share(meta.title_missing, meta.titles)
    );
    println!(
        "  published vs the date field ({} pages): same day {:.3}, other day {:.3}, none {:.3}",
        meta.dates,
        share(meta.date_right, meta.dates),
        share(meta.date_wrong, meta.dates),
        share(meta.date_missing, meta.dates)
    );
    println!(
        "  authors vs the author field ({} pages): all its names {:.3}, others {:.3}, none {:.3}",
        meta.authors,
        share(meta.author_right, meta.authors),
        share(
            meta.authors - meta.author_right - meta.author_missing,
            meta.authors
        ),
        share(meta.author_missing, meta.authors)
    );
    print_speed(pages, wall, cpu);
    Ok(())
}

fn short(s: &str) -> String {
    let s = norm_ws(s);
    let mut out: String = s.chars().take(90).collect();
    if s.chars().count() > 90 {
        out.push('…');
    }
    out
}
