//! `dossier eval geo`: how well place resolution does on the corpora of `shared/data`.
//!
//! Neither corpus carries coordinates: SmartData's location mentions have no ids, HIPE-2022's
//! places are linked to Wikidata, and the shipped GeoNames files carry no Wikidata ids. So this
//! command measures what the data allows (see crates/geo/README.md):
//! - coverage: the share of gold place mentions that resolve (resolution runs on the gold
//!   mentions, so NER errors do not enter);
//! - Wikidata consistency (HIPE): mentions linked to one Wikidata item should get one GeoNames
//!   place, and one GeoNames place should not collect several Wikidata items;
//! - accuracy against hand-labelled GeoNames ids (`--gold`): exact id and within 161 km.

use anyhow::Context;
use dossier_core::{Document, Entity, Mention};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Which split: `dev` (tuning) or `test` (evaluation only; report, never tune).
    #[arg(long, default_value = "dev")]
    pub split: String,
    /// Hand-labelled GeoNames ids (TSV: corpus, doc id, start, end, geonames id or `-`).
    #[arg(long)]
    pub gold: Option<PathBuf>,
    /// Print every resolution (corpus, doc, span, mention, resolved place).
    #[arg(long)]
    pub verbose: bool,
    /// Write a labelling sheet of N random gold mentions (with candidates, not the system's
    /// choice) to stdout instead of scoring.
    #[arg(long)]
    pub sheet: Option<usize>,
    /// Measure name look-ups per second (every place name of the gazetteer, as written, plus
    /// its lower-cased and genitive forms) and the gazetteer's load time and size.
    #[arg(long)]
    pub speed: bool,
}

/// One gold place mention.
struct GoldMention {
    start: usize,
    end: usize,
    text: String,
    /// Wikidata id, `NIL`, or empty when the corpus has no links.
    link: String,
    /// Corpus type (LOCATION, LOCATION_CITY, loc).
    kind: String,
}

struct GoldDoc {
    corpus: &'static str,
    id: String,
    text: String,
    mentions: Vec<GoldMention>,
}

fn read_gz_or_plain(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut s)?;
        Ok(s)
    } else {
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn smartdata(data: &Path, split: &str) -> anyhow::Result<Vec<GoldDoc>> {
    let path = data.join(format!("ner/smartdata/v3-{split}.json.gz"));
    let raw = read_gz_or_plain(&path)?;
    let mut docs = Vec::new();
    for value in serde_json::Deserializer::from_str(&raw).into_iter::<Value>() {
        let d = value?;
        let text = d["text"]["string"].as_str().unwrap_or("").to_string();
        let id = d["id"].as_str().unwrap_or("").to_string();
        let chars: Vec<char> = text.chars().collect();
        let mut mentions = Vec::new();
        for m in d["conceptMentions"]["array"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let kind = m["type"].as_str().unwrap_or("");
            if kind != "LOCATION" && kind != "LOCATION_CITY" {
                continue;
            }
            let start = m["span"]["start"].as_u64().unwrap_or(0) as usize;
            let end = m["span"]["end"].as_u64().unwrap_or(0) as usize;
            if start >= end || end > chars.len() {
                continue;
            }
            mentions.push(GoldMention {
                start,
                end,
                text: chars[start..end].iter().collect(),
                link: String::new(),
                kind: kind.to_string(),
            });
        }
        docs.push(GoldDoc {
            corpus: "smartdata",
            id,
            text,
            mentions,
        });
    }
    Ok(docs)
}

/// HIPE-2022 TSV: one token a line; the text is rebuilt with a space unless `NoSpaceAfter`.
fn hipe(data: &Path, split: &str) -> anyhow::Result<Vec<GoldDoc>> {
    let dir = data.join("ner/hipe2022-de");
    let files: Vec<PathBuf> = match split {
        "test" => vec![
            dir.join("hipe2020/HIPE-2022-v2.1-hipe2020-test-de.tsv"),
            dir.join("newseye/HIPE-2022-v2.1-newseye-test-de.tsv"),
            dir.join("sonar/HIPE-2022-v2.1-sonar-test-de.tsv"),
        ],
        _ => vec![
            dir.join("hipe2020/HIPE-2022-v2.1-hipe2020-dev-de.tsv"),
            dir.join("newseye/HIPE-2022-v2.1-newseye-dev-de.tsv"),
            dir.join("sonar/HIPE-2022-v2.1-sonar-dev-de.tsv"),
        ],
    };
    let mut docs = Vec::new();
    for file in files {
        let raw = read_gz_or_plain(&file)?;
        let mut doc: Option<GoldDoc> = None;
        let mut chars = 0usize;
        let mut open: Option<GoldMention> = None;
        let close = |doc: &mut Option<GoldDoc>, open: &mut Option<GoldMention>| {
            if let (Some(d), Some(m)) = (doc.as_mut(), open.take()) {
                d.mentions.push(m);
            }
        };
        for line in raw.lines() {
            if let Some(id) = line.strip_prefix("# hipe2022:document_id = ") {
                close(&mut doc, &mut open);
                if let Some(d) = doc.take() {
                    docs.push(d);
                }
                doc = Some(GoldDoc {
                    corpus: "hipe",
                    id: id.trim().to_string(),
                    text: String::new(),
                    mentions: Vec::new(),
                });
                chars = 0;
                continue;
            }
            if line.starts_with('#') || line.starts_with("TOKEN\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 10 {
                continue;
            }
            let Some(d) = doc.as_mut() else { continue };
            let token = cols[0];
            let tag = cols[1];
            let start = chars;
            d.text.push_str(token);
            chars += token.chars().count();
            if tag.starts_with("I-") && open.is_some() {
                if let Some(m) = open.as_mut() {
                    m.end = chars;
                    m.text = d.text.chars().skip(m.start).take(chars - m.start).collect();
                }
            } else {
                if let Some(m) = open.take() {
                    d.mentions.push(m);
                }
                if tag == "B-loc" {
                    open = Some(GoldMention {
                        start,
                        end: chars,
                        text: token.to_string(),
                        link: cols[7].to_string(),
                        kind: "loc".into(),
                    });
                }
            }
            if !cols[9].contains("NoSpaceAfter") {
                d.text.push(if cols[9].contains("EndOfLine") {
                    '\n'
                } else {
                    ' '
                });
                chars += 1;
            }
        }
        close(&mut doc, &mut open);
        if let Some(d) = doc.take() {
            docs.push(d);
        }
    }
    Ok(docs)
}

/// A report for a gold document: its text, sentences, and one place entity per distinct
/// mention text (as an NER stage would group them).
fn document_for(gold: &GoldDoc) -> (Document, Vec<(usize, usize)>) {
    let lead = gold.text.chars().count() - gold.text.trim_start().chars().count();
    let mut doc = Document::from_paragraphs(&gold.id, "de", vec![gold.text.clone()]);
    let seg = dossier_segment::segment(&doc.text, "de");
    doc.sentences = seg
        .sentences
        .iter()
        .map(|&(s, e)| doc.span_of_bytes(s, e))
        .collect();
    let n = doc.len_chars();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    // For each gold mention: (entity index, mention index), or usize::MAX when it fell outside.
    let mut index = Vec::new();
    for m in &gold.mentions {
        let (Some(s), Some(e)) = (m.start.checked_sub(lead), m.end.checked_sub(lead)) else {
            index.push((usize::MAX, 0));
            continue;
        };
        if e > n || s >= e || doc.slice([s, e]) != m.text {
            index.push((usize::MAX, 0));
            continue;
        }
        let derived = m.text.chars().next().is_some_and(char::is_lowercase);
        let next = doc.entities.len();
        let ei = *by_text.entry(m.text.clone()).or_insert(next);
        if ei == next {
            doc.entities.push(Entity {
                id: format!("E{}", next + 1),
                kind: "LOC".into(),
                name: m.text.clone(),
                mentions: Vec::new(),
                geo: None,
                confidence: None,
            });
        }
        let mentions = &mut doc.entities[ei].mentions;
        mentions.push(Mention {
            span: [s, e],
            text: m.text.clone(),
            kind: if derived { "derived" } else { "name" }.into(),
        });
        index.push((ei, mentions.len() - 1));
    }
    (doc, index)
}

#[derive(Default)]
struct LabelTally {
    places: usize,
    places_resolved: usize,
    exact: usize,
    within: usize,
    non_places: usize,
    non_places_resolved: usize,
}

#[derive(Default)]
struct Tally {
    mentions: usize,
    resolved: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !matches!(args.split.as_str(), "dev" | "test") {
        anyhow::bail!("--split must be dev or test");
    }
    if args.speed {
        return lookup_speed();
    }
    let mut corpora = smartdata(&args.data, &args.split)?;
    corpora.extend(hipe(&args.data, &args.split)?);
    let g = dossier_geo::Gazetteer::get();
    if g.is_empty() {
        anyhow::bail!("the embedded gazetteer is empty: run `dossier build gazetteer` first");
    }
    if let Some(n) = args.sheet {
        return labelling_sheet(&corpora, n);
    }
    let gold_ids = match &args.gold {
        Some(path) => read_gold(path)?,
        None => HashMap::new(),
    };

    let mut tallies: HashMap<String, Tally> = HashMap::new();
    // HIPE Wikidata consistency: resolved GeoNames ids per Wikidata id and vice versa.
    let mut by_qid: HashMap<String, Vec<u32>> = HashMap::new();
    let mut by_place: HashMap<u32, Vec<String>> = HashMap::new();
    // Hand labels: places (a GeoNames id) and non-places (`-`), and what resolution did.
    let mut labels = LabelTally::default();
    let started = std::time::Instant::now();
    for gold in &corpora {
        let (doc, index) = document_for(gold);
        let resolution = dossier_geo::resolve_with(g, &doc);
        for (m, &(ei, _)) in gold.mentions.iter().zip(&index) {
            let key = format!("{} {}", gold.corpus, m.kind);
            let t = tallies.entry(key).or_default();
            t.mentions += 1;
            let place = resolution
                .places
                .get(ei)
                .and_then(|r| r.as_ref())
                .map(|r| r.place);
            if place.is_some() {
                t.resolved += 1;
            }
            if args.verbose {
                let shown = place.map(|p| {
                    let p = g.place(p);
                    format!(
                        "{} ({}, {})",
                        g.name_of(p),
                        p.country_code().unwrap_or("-"),
                        p.geonames
                    )
                });
                println!(
                    "{}\t{}\t{}-{}\t{}\t{}",
                    gold.corpus,
                    gold.id,
                    m.start,
                    m.end,
                    m.text,
                    shown.unwrap_or_else(|| "—".into())
                );
            }
            if let Some(p) = place {
                if m.link.starts_with('Q') {
                    by_qid.entry(m.link.clone()).or_default().push(p);
                    by_place.entry(p).or_default().push(m.link.clone());
                }
            }
            let gold_key = (gold.corpus.to_string(), gold.id.clone(), m.start, m.end);
            if let Some(expected) = gold_ids.get(&gold_key) {
                let got = place.map(|p| g.place(p));
                match (expected, got) {
                    (Some(_), None) => labels.places += 1,
                    (Some((id, lat, lon)), Some(got)) => {
                        labels.places += 1;
                        labels.places_resolved += 1;
                        let d =
                            dossier_geo::haversine_km(*lat, *lon, got.lat as f64, got.lon as f64);
                        labels.exact += usize::from(got.geonames == *id);
                        labels.within += usize::from(d <= 161.0);
                    }
                    (None, got) => {
                        labels.non_places += 1;
                        labels.non_places_resolved += usize::from(got.is_some());
                    }
                }
            }
        }
    }
    let elapsed = started.elapsed();

    println!("place resolution on gold mentions ({} split)", args.split);
    let mut keys: Vec<&String> = tallies.keys().collect();
    keys.sort();
    for k in keys {
        let t = &tallies[k];
        println!(
            "  {k:<28} {:>5} mentions, {:>5.1} % resolved",
            t.mentions,
            pct(t.resolved, t.mentions)
        );
    }
    fn purity<K, V: std::fmt::Debug>(clusters: &HashMap<K, Vec<V>>) -> (usize, usize) {
        let mut agree = 0;
        let mut total = 0;
        for members in clusters.values() {
            if members.len() < 2 {
                continue;
            }
            let mut counts: HashMap<String, usize> = HashMap::new();
            for m in members {
                *counts.entry(format!("{m:?}")).or_default() += 1;
            }
            agree += counts.values().max().copied().unwrap_or(0);
            total += members.len();
        }
        (agree, total)
    }
    let (a, t) = purity(&by_qid);
    println!(
        "  HIPE Wikidata consistency: {:.1} % of {t} resolved mentions of repeated Wikidata items get their item's majority GeoNames place",
        pct(a, t)
    );
    let (a, t) = purity(&by_place);
    println!(
        "  HIPE Wikidata separation:  {:.1} % of {t} mentions resolved to a repeated GeoNames place carry that place's majority Wikidata item",
        pct(a, t)
    );
    if args.gold.is_some() {
        let l = &labels;
        println!(
            "  hand-labelled places: {} mentions, {} resolved ({:.1} %); of the resolved: exact GeoNames id {:.1} %, within 161 km {:.1} %; within 161 km of all labelled places {:.1} %",
            l.places,
            l.places_resolved,
            pct(l.places_resolved, l.places),
            pct(l.exact, l.places_resolved),
            pct(l.within, l.places_resolved),
            pct(l.within, l.places)
        );
        println!(
            "  hand-labelled non-places (streets, rivers, regions, districts): {} mentions, {} resolved anyway ({:.1} %)",
            l.non_places,
            l.non_places_resolved,
            pct(l.non_places_resolved, l.non_places)
        );
    }
    println!(
        "  {} documents in {:.0} ms",
        corpora.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

type GoldKey = (String, String, usize, usize);
/// A hand label: the GeoNames id and point, or `None` for "not one gazetteer place".
type GoldLabel = Option<(u32, f64, f64)>;

/// Reads hand labels: `corpus<TAB>doc<TAB>start<TAB>end<TAB>geonames id|-`; the point of the
/// labelled place is looked up in the gazetteer (`-` = no single place in the gazetteer).
fn read_gold(path: &Path) -> anyhow::Result<HashMap<GoldKey, GoldLabel>> {
    let g = dossier_geo::Gazetteer::get();
    let mut points: HashMap<u32, (f64, f64)> = HashMap::new();
    for i in 0..g.len() as u32 {
        let p = g.place(i);
        if p.has_point() {
            points
                .entry(p.geonames)
                .or_insert((p.lat as f64, p.lon as f64));
        }
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut out = HashMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 5 {
            continue;
        }
        let (Ok(s), Ok(e)) = (c[2].parse(), c[3].parse()) else {
            continue;
        };
        let label = c[4]
            .parse::<u32>()
            .ok()
            .and_then(|id| points.get(&id).map(|&(la, lo)| (id, la, lo)));
        out.insert((c[0].to_string(), c[1].to_string(), s, e), label);
    }
    Ok(out)
}

/// A labelling sheet: random gold mentions with context and every candidate by population,
/// without the system's choice, so that labels are not biased towards it.
fn labelling_sheet(corpora: &[GoldDoc], n: usize) -> anyhow::Result<ExitCode> {
    let g = dossier_geo::Gazetteer::get();
    let all: Vec<(&GoldDoc, &GoldMention)> = corpora
        .iter()
        .flat_map(|d| d.mentions.iter().map(move |m| (d, m)))
        .collect();
    // A fixed linear congruential sequence: the same sheet on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < n.min(all.len()) {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        picked.insert((state >> 33) as usize % all.len());
    }
    for i in picked {
        let (d, m) = all[i];
        let chars: Vec<char> = d.text.chars().collect();
        let ctx: String = chars[m.start.saturating_sub(60)..(m.end + 60).min(chars.len())]
            .iter()
            .collect::<String>()
            .replace(['\n', '\t'], " ");
        let mut cands: Vec<&dossier_geo::Place> =
            g.lookup(&m.text).iter().map(|h| g.place(h.place)).collect();
        cands.sort_by_key(|p| std::cmp::Reverse(p.population));
        cands.dedup_by_key(|p| p.geonames);
        let listed: Vec<String> = cands
            .iter()
            .take(6)
            .map(|p| {
                format!(
                    "{}={}/{}/{}",
                    p.geonames,
                    g.name_of(p),
                    p.country_code().unwrap_or("-"),
                    p.population
                )
            })
            .collect();
        println!(
            "{}\t{}\t{}\t{}\t?\t# {} | {} | {}",
            d.corpus,
            d.id,
            m.start,
            m.end,
            m.text.replace(['\n', '\t'], " "),
            ctx,
            listed.join("  ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Look-ups per second over every place name of the gazetteer in three spellings.
fn lookup_speed() -> anyhow::Result<ExitCode> {
    let t = std::time::Instant::now();
    let g = dossier_geo::Gazetteer::get();
    let load = t.elapsed();
    let mut names: Vec<String> = Vec::new();
    for i in 0..g.len() as u32 {
        let n = g.name_of(g.place(i));
        names.push(n.to_string());
        names.push(n.to_lowercase());
        names.push(format!("{n}s"));
    }
    let mut found = 0usize;
    let rounds = 3;
    let t = std::time::Instant::now();
    for _ in 0..rounds {
        for n in &names {
            found += g.lookup(n).len().min(1);
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let lookups = names.len() * rounds;
    println!(
        "gazetteer: {} places, {} name keys, {:.1} MB compressed in the binary, loaded in {:.0} ms",
        g.len(),
        g.name_count(),
        dossier_geo::Gazetteer::embedded_bytes() as f64 / 1e6,
        load.as_secs_f64() * 1000.0
    );
    println!(
        "look-ups: {lookups} in {secs:.2} s = {:.2} million/s on one thread ({:.1} % found)",
        lookups as f64 / secs / 1e6,
        100.0 * found as f64 / lookups as f64
    );
    Ok(ExitCode::SUCCESS)
}
