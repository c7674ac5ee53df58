//! `dossier eval clustering`: near-duplicates and stories on the story-labelled dev set.
//!
//! Every article goes through the whole pipeline (as a JSON Lines record with its url, title and
//! published date) and into a fresh archive in a temporary directory, in publication order
//! (undated articles after the dated ones; ties in an order fixed by a hash of the content, never
//! by the set's ids, which give the stories away). The archive's story and duplicate links are
//! then scored against the labels (the term frequencies are seeded with the set's texts, no
//! labels, first, as an archive of many reports would have them; `--cold` lets them grow from
//! nothing): near-duplicate pair P/R/F1, story BCubed P/R/F1 and pairwise
//! P/R/F1, over all articles, per language and across languages; and entities across
//! languages against the hand-checked list `crates/archive/eval/clustering-entities.tsv`
//! (definitions in `dossier_archive::eval`).

use anyhow::Context;
use dossier::Options;
use dossier_archive::{Archive, Prepared, SqliteStore};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The labelled set (gzip JSON Lines).
    #[arg(long, default_value = "../shared/data/clustering/dev.jsonl.gz")]
    pub data: PathBuf,
    /// Print every wrong story and duplicate decision.
    #[arg(long)]
    pub errors: bool,
    /// Keep the archive built for the evaluation in this directory (default: a temporary one).
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print every story decision (scores against candidate stories) on stderr.
    #[arg(long)]
    pub trace: bool,
    /// Override the bar to join a story in the report's language (tuning).
    #[arg(long)]
    pub join: Option<f32>,
    /// Override the bar to join a story told only in other languages (tuning).
    #[arg(long)]
    pub join_cross: Option<f32>,
    /// Override the weight of text against names (tuning).
    #[arg(long)]
    pub text_weight: Option<f32>,
    /// Let the term frequencies grow from nothing as the articles are filed, instead of
    /// seeding them with the set's texts first (as a warm archive's would be).
    #[arg(long)]
    pub cold: bool,
    /// Override the time window in days (tuning).
    #[arg(long)]
    pub window: Option<i64>,
    /// The hand-checked list of entities named in both languages (default: the one kept
    /// beside the evaluation, crates/archive/eval/clustering-entities.tsv, built in).
    #[arg(long)]
    pub entities: Option<PathBuf>,
}

/// The hand-checked list for the dev set (evaluation data for the entity merge rules).
const ENTITY_LIST: &str = include_str!("../../crates/archive/eval/clustering-entities.tsv");

#[derive(serde::Deserialize)]
struct Gold {
    id: String,
    url: Option<String>,
    language: String,
    published: Option<String>,
    title: Option<String>,
    text: String,
    story: String,
    dup_group: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub n: usize,
}

fn prf(tp: usize, predicted: usize, gold: usize) -> Prf {
    let p = if predicted == 0 {
        1.0
    } else {
        tp as f64 / predicted as f64
    };
    let r = if gold == 0 {
        1.0
    } else {
        tp as f64 / gold as f64
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Prf { p, r, f1, n: gold }
}

/// Pairwise P/R/F1 of two labellings over the pairs `keep` accepts.
fn pairwise(pred: &[String], gold: &[String], keep: impl Fn(usize, usize) -> bool) -> Prf {
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    for i in 0..pred.len() {
        for j in i + 1..pred.len() {
            if !keep(i, j) {
                continue;
            }
            let p = pred[i] == pred[j];
            let g = gold[i] == gold[j];
            np += p as usize;
            ng += g as usize;
            tp += (p && g) as usize;
        }
    }
    prf(tp, np, ng)
}

/// BCubed P/R/F1 over the items `keep` accepts (clusters restricted to those items).
fn bcubed(pred: &[String], gold: &[String], keep: impl Fn(usize) -> bool) -> Prf {
    let items: Vec<usize> = (0..pred.len()).filter(|&i| keep(i)).collect();
    let (mut p, mut r) = (0.0, 0.0);
    for &i in &items {
        let same_pred = items.iter().filter(|&&j| pred[j] == pred[i]).count();
        let same_gold = items.iter().filter(|&&j| gold[j] == gold[i]).count();
        let both = items
            .iter()
            .filter(|&&j| pred[j] == pred[i] && gold[j] == gold[i])
            .count();
        p += both as f64 / same_pred as f64;
        r += both as f64 / same_gold as f64;
    }
    let n = items.len().max(1) as f64;
    let (p, r) = (p / n, r / n);
    Prf {
        p,
        r,
        f1: if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        },
        n: items.len(),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.data.exists() {
        println!(
            "skipped: {} is absent (the shared corpora live in ../shared)",
            args.data.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&args.data)?)
        .read_to_end(&mut raw)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let gold: Vec<Gold> = std::str::from_utf8(&raw)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("bad line in the clustering set")?;

    dossier::pipeline::warm_up_in_background();
    let started = std::time::Instant::now();
    let options = Options::default();
    // Each article as the JSON Lines record an analyst would ingest (no labels in it).
    let prepared: Vec<Prepared> = gold
        .par_iter()
        .map(|g| {
            let record = serde_json::json!({
                "text": g.text, "url": g.url, "title": g.title, "published": g.published,
            });
            let line = serde_json::to_vec(&record).expect("serialisable");
            let docs = dossier::analyze_bytes(&g.id, &line, &options)
                .map_err(|e| anyhow::anyhow!("{}: {e}", g.id))?;
            let doc = docs
                .into_iter()
                .next()
                .ok_or_else(|| anyhow::anyhow!("{}: no document", g.id))?;
            Ok(Prepared::from_document(&doc))
        })
        .collect::<anyhow::Result<_>>()?;
    let analysed = started.elapsed();

    // Publication order; ties (and undated articles) by content id.
    let mut order: Vec<usize> = (0..gold.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| {
            let p = &prepared[i];
            let sure = p.published.clone().filter(|_| p.date_sure);
            (sure.is_none(), sure, p.id.clone())
        };
        key(a).cmp(&key(b))
    });
    let tmp;
    let dir = match &args.store {
        Some(d) => {
            if d.join("archive.sqlite").exists() {
                anyhow::bail!("{} already holds an archive", d.display());
            }
            d.clone()
        }
        None => {
            tmp = TempDir::new("dossier-eval-clustering")?;
            tmp.0.clone()
        }
    };
    let mut archive = Archive::new(SqliteStore::open(&dir)?);
    archive.trace = args.trace;
    let p = &mut archive.params;
    p.join = args.join.unwrap_or(p.join);
    p.join_cross = args.join_cross.unwrap_or(p.join_cross);
    p.text_weight = args.text_weight.unwrap_or(p.text_weight);
    p.window_days = args.window.unwrap_or(p.window_days);
    let batch: Vec<Prepared> = order.iter().map(|&i| prepared[i].clone()).collect();
    if !args.cold {
        archive.seed_frequencies(&batch)?;
    }
    let filing = std::time::Instant::now();
    if args.trace {
        for (k, d) in batch.iter().enumerate() {
            eprintln!("{} ({}, {:?}):", gold[order[k]].id, d.lang, d.published);
            archive.add_batch(std::slice::from_ref(d))?;
        }
    } else {
        archive.add_batch(&batch)?;
    }
    let filed = filing.elapsed();
    let rows = dossier_archive::query::documents(&archive.store.conn)?;
    let by_id: HashMap<&str, &dossier_archive::query::DocRow> =
        rows.iter().map(|r| (r.id.as_str(), r)).collect();

    let n = gold.len();
    let lang: Vec<&str> = gold.iter().map(|g| g.language.as_str()).collect();
    let gold_story: Vec<String> = gold.iter().map(|g| g.story.clone()).collect();
    let gold_dup: Vec<String> = gold
        .iter()
        .map(|g| {
            g.dup_group
                .clone()
                .unwrap_or_else(|| format!("own:{}", g.id))
        })
        .collect();
    let mut pred_story = Vec::with_capacity(n);
    let mut pred_dup = Vec::with_capacity(n);
    for (g, p) in gold.iter().zip(&prepared) {
        let row = by_id
            .get(p.id.as_str())
            .ok_or_else(|| anyhow::anyhow!("{}: not filed (same content as another?)", g.id))?;
        pred_story.push(format!("story:{}", row.story));
        pred_dup.push(row.dup_group.clone().unwrap_or_else(|| row.id.clone()));
    }

    let mut figures: BTreeMap<String, Prf> = BTreeMap::new();
    figures.insert(
        "near-duplicate pairs, all".into(),
        pairwise(&pred_dup, &gold_dup, |_, _| true),
    );
    figures.insert(
        "story BCubed, all".into(),
        bcubed(&pred_story, &gold_story, |_| true),
    );
    figures.insert(
        "story pairwise, all".into(),
        pairwise(&pred_story, &gold_story, |_, _| true),
    );
    for l in ["de", "en"] {
        figures.insert(
            format!("near-duplicate pairs, {l}"),
            pairwise(&pred_dup, &gold_dup, |i, j| lang[i] == l && lang[j] == l),
        );
        figures.insert(
            format!("story BCubed, {l}"),
            bcubed(&pred_story, &gold_story, |i| lang[i] == l),
        );
        figures.insert(
            format!("story pairwise, {l}"),
            pairwise(&pred_story, &gold_story, |i, j| {
                lang[i] == l && lang[j] == l
            }),
        );
    }
    figures.insert(
        "story pairwise, across languages (de–en pairs)".into(),
        pairwise(&pred_story, &gold_story, |i, j| lang[i] != lang[j]),
    );
    // Stories told in both languages: BCubed over their articles only.
    let cross: HashSet<&str> = {
        let mut langs: HashMap<&str, HashSet<&str>> = HashMap::new();
        for g in &gold {
            langs.entry(&g.story).or_default().insert(&g.language);
        }
        langs
            .into_iter()
            .filter(|(_, l)| l.len() > 1)
            .map(|(s, _)| s)
            .collect()
    };
    figures.insert(
        "story BCubed, cross-lingual stories' articles".into(),
        bcubed(&pred_story, &gold_story, |i| {
            cross.contains(gold[i].story.as_str())
        }),
    );

    // Entities across languages, against the hand-checked list.
    let list_text = match &args.entities {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        None => ENTITY_LIST.to_string(),
    };
    let list = dossier_archive::eval::parse_list(&list_text);
    let xent = dossier_archive::eval::score(&archive.store.conn, &list)?;
    for (kind, s) in &xent.kinds {
        let (p, r) = (s.precision(), s.recall());
        figures.insert(
            format!("entities across languages, {kind}"),
            Prf {
                p,
                r,
                f1: if p + r == 0.0 {
                    0.0
                } else {
                    2.0 * p * r / (p + r)
                },
                n: s.listed,
            },
        );
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "clustering on {} ({} articles; analysis {:.2}s on {} threads, filing {:.0} ms)",
            args.data.display(),
            n,
            analysed.as_secs_f64(),
            rayon::current_num_threads(),
            filed.as_secs_f64() * 1000.0
        );
        println!(
            "{:<50} {:>6} {:>6} {:>6} {:>6}",
            "measure", "P", "R", "F1", "gold"
        );
        for (k, f) in &figures {
            println!(
                "{:<50} {:>6.3} {:>6.3} {:>6.3} {:>6}",
                k, f.p, f.r, f.f1, f.n
            );
        }
        println!("(gold: pairs for pairwise measures, articles for BCubed)");
        let pred_clusters: HashSet<&String> = pred_story.iter().collect();
        let gold_clusters: HashSet<&String> = gold_story.iter().collect();
        println!(
            "stories: {} predicted, {} gold",
            pred_clusters.len(),
            gold_clusters.len()
        );
    }
    if !args.json {
        print_entities(&xent);
    }
    if args.errors {
        print_errors(&gold, &pred_story, &pred_dup, &gold_dup);
        print_entity_errors(&xent);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_entities(x: &dossier_archive::eval::Score) {
    println!(
        "\nentities across languages (hand-checked list, {} entities named in German and English):",
        x.outcomes.len()
    );
    print!("{}", x.kind_table());
    println!(
        "(recalled: a German and an English form found, all found forms one archive entity; \
         archive: archive entities the listed forms resolve to; clean: those holding forms of \
         one listed entity only)"
    );
    let missed: Vec<&str> = x
        .outcomes
        .iter()
        .filter(|o| !o.recalled)
        .map(|o| o.label.as_str())
        .collect();
    println!("missed: {}", missed.join(", "));
    println!(
        "cross-language archive entities: {}, holding forms of two listed entities: {}",
        x.cross_language.len(),
        x.cross_language_wrong().count()
    );
}

fn print_entity_errors(x: &dossier_archive::eval::Score) {
    print!("{}", x.error_report());
}

fn print_errors(gold: &[Gold], pred_story: &[String], pred_dup: &[String], gold_dup: &[String]) {
    let mut clusters: BTreeMap<&String, Vec<usize>> = BTreeMap::new();
    for (i, s) in pred_story.iter().enumerate() {
        clusters.entry(s).or_default().push(i);
    }
    println!("\npredicted stories that mix gold stories:");
    for (s, members) in &clusters {
        let golds: HashSet<&str> = members.iter().map(|&i| gold[i].story.as_str()).collect();
        if golds.len() > 1 {
            let ids: Vec<String> = members
                .iter()
                .map(|&i| format!("{}({})", gold[i].id, gold[i].language))
                .collect();
            println!("  {s}: {}", ids.join(" "));
        }
    }
    println!("gold stories split over predicted stories:");
    let mut by_gold: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in gold.iter().enumerate() {
        by_gold.entry(&g.story).or_default().push(i);
    }
    for (g, members) in &by_gold {
        let preds: HashSet<&String> = members.iter().map(|&i| &pred_story[i]).collect();
        if preds.len() > 1 {
            let ids: Vec<String> = members
                .iter()
                .map(|&i| format!("{}({})→{}", gold[i].id, gold[i].language, pred_story[i]))
                .collect();
            println!("  {g}: {}", ids.join(" "));
        }
    }
    println!("near-duplicate errors:");
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            let p = pred_dup[i] == pred_dup[j];
            let g = gold_dup[i] == gold_dup[j];
            if p != g {
                println!(
                    "  {} {} {} – {}",
                    if p { "false pair" } else { "missed pair" },
                    gold[i].id,
                    gold[j].id,
                    if g { "copies" } else { "not copies" }
                );
            }
        }
    }
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> anyhow::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
