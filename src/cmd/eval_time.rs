//! `dossier eval time`: time expressions against TimeML-style gold.
//!
//! - WikiWarsDE (German Wikipedia war articles, inline TIMEX2, the document date in each header):
//!   documents 01–11 are the development part (the only ones we tune on and the only ones whose
//!   errors `--errors` prints); 12–22 are reported as the evaluation part.
//! - TempEval-3 TBAQ (English news, TIMEX3): evaluation only.
//!
//! Scores follow the TempEval-3 scorer: extraction precision/recall/F1 with strict (same extent)
//! and relaxed (overlapping extent) matching; value accuracy over relaxed matches; value F1 =
//! relaxed F1 × value accuracy (that is, a system expression counts only when it overlaps a gold
//! one and has its value). Only the `<TEXT>` part is scored (the header's own date is input).

use dossier_time::{Mode, Options, Timex};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `wikiwars-de/` and `tempeval3-tbaq/`.
    #[arg(long, default_value = "../shared/data/time")]
    pub data: PathBuf,
    /// Print up to N mismatches from the development documents (WikiWarsDE 01–11) only.
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
}

/// One gold expression: byte extent in the stripped text, value, type.
#[derive(Debug, Clone)]
struct Gold {
    start: usize,
    end: usize,
    value: Option<String>,
    kind: Option<String>,
}

struct GoldDoc {
    name: String,
    text: String,
    dct: Option<jiff::civil::Date>,
    gold: Vec<Gold>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = tag[i..].find('"')? + i;
    Some(tag[i..j].to_string())
}

/// Strips the tags of an inline-annotated `<TEXT>`; TIMEX2/TIMEX3 become gold entries.
fn strip(inline: &str, timex: &str) -> (String, Vec<Gold>) {
    let mut text = String::with_capacity(inline.len());
    let mut gold = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut rest = inline;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            text.push_str(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if name.trim() == timex {
                if let Some((start, open)) = stack.pop() {
                    if text.len() > start {
                        gold.push(Gold {
                            start,
                            end: text.len(),
                            value: attr(&open, "val").or_else(|| attr(&open, "value")),
                            kind: attr(&open, "type"),
                        });
                    }
                }
            }
        } else if tag.starts_with(timex) && !tag.ends_with('/') {
            stack.push((text.len(), tag.to_string()));
        }
    }
    text.push_str(rest);
    gold.sort_by_key(|g| (g.start, g.end));
    (text, gold)
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        return s[..10].parse().ok();
    }
    if s.len() >= 8 && s.bytes().take(8).all(|b| b.is_ascii_digit()) {
        return format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..8])
            .parse()
            .ok();
    }
    None
}

/// One annotated document: the `<TEXT>` part without its TIMEX tags, and the tags as gold.
fn gold_doc(path: &Path, raw: &str, dct: Option<jiff::civil::Date>, tag: &str) -> GoldDoc {
    let body = between(raw, "<TEXT>", "</TEXT>").unwrap_or("");
    let (text, gold) = strip(body, tag);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    GoldDoc {
        name,
        text,
        dct,
        gold,
    }
}

fn load_wikiwars(dir: &Path) -> anyhow::Result<Vec<GoldDoc>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("keyinline"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let raw = std::fs::read_to_string(&f)?;
        let header = between(&raw, "<DATETIME>", "</DATETIME>").unwrap_or("");
        let dct = attr(header, "val")
            .and_then(|v| parse_date(&v))
            .or_else(|| parse_date(&strip(header, "TIMEX2").0));
        docs.push(gold_doc(&f, &raw, dct, "TIMEX2"));
    }
    Ok(docs)
}

fn load_tbaq(dir: &Path) -> anyhow::Result<Vec<GoldDoc>> {
    let mut files = Vec::new();
    for sub in ["TimeBank", "AQUAINT"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        files.extend(
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tml")),
        );
    }
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let raw = std::fs::read_to_string(&f)?;
        let dct = between(&raw, "<DCT>", "</DCT>")
            .and_then(|h| attr(h, "value"))
            .and_then(|v| parse_date(&v));
        docs.push(gold_doc(&f, &raw, dct, "TIMEX3"));
    }
    Ok(docs)
}

#[derive(Default)]
struct Counts {
    gold: usize,
    sys: usize,
    strict: usize,
    relaxed: usize,
    value: usize,
    kind: usize,
    bytes: usize,
    secs: f64,
}

fn prf(tp: usize, sys: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys > 0 { tp as f64 / sys as f64 } else { 0.0 };
    let r = if gold > 0 {
        tp as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn trim_extent(text: &str, s: usize, e: usize) -> (usize, usize) {
    let slice = &text[s..e];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    (s + lead, (e - trail).max(s + lead))
}

/// Scores one document; returns the mismatches as lines.
fn score(doc: &GoldDoc, sys: &[Timex], c: &mut Counts) -> Vec<String> {
    let mut lines = Vec::new();
    c.gold += doc.gold.len();
    c.sys += sys.len();
    let mut used_relaxed = vec![false; sys.len()];
    let mut used_strict = vec![false; sys.len()];
    for g in &doc.gold {
        let (gs, ge) = trim_extent(&doc.text, g.start, g.end);
        if let Some(k) =
            (0..sys.len()).find(|&k| !used_strict[k] && sys[k].start == gs && sys[k].end == ge)
        {
            used_strict[k] = true;
            c.strict += 1;
        }
        // Relaxed: the first unused overlapping system expression, preferring exact extents.
        let k = (0..sys.len())
            .filter(|&k| !used_relaxed[k] && sys[k].start < ge && gs < sys[k].end)
            .min_by_key(|&k| (sys[k].start != gs || sys[k].end != ge, sys[k].start));
        match k {
            Some(k) => {
                used_relaxed[k] = true;
                c.relaxed += 1;
                let value_ok = sys[k].value == g.value;
                if value_ok {
                    c.value += 1;
                } else {
                    lines.push(format!(
                        "{}: value {:?} gold {:?} for {:?} (gold extent {:?})",
                        doc.name,
                        sys[k].value,
                        g.value,
                        sys[k].text,
                        &doc.text[gs..ge]
                    ));
                }
                if g.kind.as_deref().is_none_or(|t| t == sys[k].kind) {
                    c.kind += 1;
                }
            }
            None => lines.push(format!(
                "{}: missed {:?} {:?}",
                doc.name,
                &doc.text[gs..ge],
                g.value
            )),
        }
    }
    for (k, t) in sys.iter().enumerate() {
        if !used_relaxed[k] {
            lines.push(format!("{}: spurious {:?} {:?}", doc.name, t.text, t.value));
        }
    }
    lines
}

fn run_set(label: &str, docs: &[&GoldDoc], lang: &str, mode: Mode, errors: usize) {
    let mut c = Counts::default();
    let mut mismatches = Vec::new();
    // The rules compile once per process on the first call: keep that start-up cost out of the
    // throughput figure, which is about tagging.
    if let Some(first) = docs.first() {
        let options = Options {
            lang: lang.into(),
            dct: first.dct,
            mode,
        };
        let _ = dossier_time::tag("", &[], &options);
    }
    for doc in docs {
        let options = Options {
            lang: lang.into(),
            dct: doc.dct,
            mode,
        };
        let t0 = Instant::now();
        let tagging = dossier_time::tag(&doc.text, &[], &options);
        c.secs += t0.elapsed().as_secs_f64();
        c.bytes += doc.text.len();
        mismatches.extend(score(doc, &tagging.timexes, &mut c));
    }
    let (sp, sr, sf) = prf(c.strict, c.sys, c.gold);
    let (rp, rr, rf) = prf(c.relaxed, c.sys, c.gold);
    let acc = if c.relaxed > 0 {
        c.value as f64 / c.relaxed as f64
    } else {
        0.0
    };
    let tacc = if c.relaxed > 0 {
        c.kind as f64 / c.relaxed as f64
    } else {
        0.0
    };
    println!(
        "{label}: {} documents, {} gold, {} system expressions",
        docs.len(),
        c.gold,
        c.sys
    );
    println!("  strict   P {sp:.3}  R {sr:.3}  F1 {sf:.3}");
    println!("  relaxed  P {rp:.3}  R {rr:.3}  F1 {rf:.3}");
    println!(
        "  value    accuracy {acc:.3}  F1 {:.3}   type accuracy {tacc:.3}  F1 {:.3}",
        rf * acc,
        rf * tacc
    );
    if c.secs > 0.0 {
        println!(
            "  speed    {:.1} MB/s (one core, tagging and normalisation)",
            c.bytes as f64 / c.secs / 1e6
        );
    }
    for line in mismatches.iter().take(errors) {
        println!("    {line}");
    }
}

pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let ww = args.data.join("wikiwars-de");
    if ww.exists() {
        let docs = load_wikiwars(&ww)?;
        let number = |d: &GoldDoc| {
            d.name
                .get(..2)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let dev: Vec<&GoldDoc> = docs
            .iter()
            .filter(|d| (1..=11).contains(&number(d)))
            .collect();
        let eval: Vec<&GoldDoc> = docs
            .iter()
            .filter(|d| (12..=22).contains(&number(d)))
            .collect();
        run_set(
            "WikiWarsDE dev 01-11 (tuning)",
            &dev,
            "de",
            Mode::Narrative,
            args.errors,
        );
        run_set(
            "WikiWarsDE eval 12-22 (evaluation only)",
            &eval,
            "de",
            Mode::Narrative,
            0,
        );
    } else {
        eprintln!("no {}: WikiWarsDE skipped", ww.display());
    }
    let tb = args.data.join("tempeval3-tbaq");
    if tb.exists() {
        let docs = load_tbaq(&tb)?;
        let all: Vec<&GoldDoc> = docs.iter().collect();
        run_set(
            "TempEval-3 TBAQ (evaluation only)",
            &all,
            "en",
            Mode::News,
            0,
        );
    } else {
        eprintln!("no {}: TBAQ skipped", tb.display());
    }
    Ok(std::process::ExitCode::SUCCESS)
}
