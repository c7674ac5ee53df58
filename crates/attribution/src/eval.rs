//! Scoring the stage against three corpora (used by `dossier eval attribution`).
//!
//! * SpkAtt-2023 (German Bundestag speeches, JSON; report on `dev/`): token-level P/R/F1 of cues,
//!   and of the Source and Message roles, both "matched" (a role token counts only under a
//!   predicted cue that overlaps the gold cue, as the shared task pairs roles with cues) and
//!   "any cue" (role tokens pooled over the speech).
//! * PolNeAR (English political news, brat standoff; tune on train/dev, report on `test/`):
//!   word-level P/R/F1 of Source, Cue and Content, and span-level F1 where a span counts as found
//!   when it overlaps a span of the same role (PARC-style partial match).
//! * Redewiedergabe (German fiction and non-fiction 1840–1919, column TSV; evaluation only,
//!   non-commercial licence): token-level P/R/F1 of direct and indirect representation (speech,
//!   thought and writing together), as the Redewiedergabe tagger reports them.
//!
//! Documents carry the corpus tokens and sentences (SpkAtt, Redewiedergabe) or the caller's
//! segmentation (PolNeAR); no entity layer: speakers are scored as spans, not as entities.

use dossier_core::{Article, Document, Source};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Fills a Document's sentence and token layers (the pipeline's segmenter, or nothing: the stage
/// then segments by its own simple rule).
pub type Segmenter<'a> = &'a dyn Fn(&mut Document);

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A byte range into a Document's text.
type Range = (usize, usize);

#[derive(Default, Clone, Copy)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn add_sets<T: Eq + std::hash::Hash>(&mut self, gold: &HashSet<T>, pred: &HashSet<T>) {
        let tp = gold.intersection(pred).count();
        self.tp += tp;
        self.fp += pred.len() - tp;
        self.fn_ += gold.len() - tp;
    }
    fn p(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn r(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn line(&self, name: &str) -> String {
        format!(
            "  {name:<28} P {:.3}  R {:.3}  F1 {:.3}   (tp {} fp {} fn {})",
            self.p(),
            self.r(),
            self.f(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn source(name: &str) -> Source {
    Source {
        name: name.into(),
        format: "text".into(),
        bytes: 0,
        encoding: None,
        url: None,
    }
}

/// A Document whose text is the tokens joined by spaces, with the corpus's tokens and sentences as
/// its layers. Returns the byte range of every token.
fn doc_from_tokens(
    name: &str,
    lang: &str,
    sentences: &[Vec<String>],
) -> (Document, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut sent_ranges = Vec::new();
    for sent in sentences {
        let s0 = ranges.len();
        for tok in sent {
            let tok = tok.trim();
            let tok = if tok.is_empty() { "_" } else { tok };
            if !text.is_empty() {
                text.push(' ');
            }
            let b = text.len();
            text.push_str(tok);
            ranges.push((b, text.len()));
        }
        if ranges.len() > s0 {
            sent_ranges.push((ranges[s0].0, ranges[ranges.len() - 1].1));
        }
    }
    let article = Article {
        paragraphs: vec![text],
        ..Default::default()
    };
    let mut doc = Document::from_article(name.into(), source(name), article);
    doc.language = lang.into();
    doc.tokens = ranges
        .iter()
        .map(|&(a, b)| doc.span_of_bytes(a, b))
        .collect();
    doc.sentences = sent_ranges
        .iter()
        .map(|&(a, b)| doc.span_of_bytes(a, b))
        .collect();
    (doc, ranges)
}

/// Indices of the tokens that overlap `[b0, b1)`.
fn tokens_in(ranges: &[(usize, usize)], b0: usize, b1: usize) -> impl Iterator<Item = usize> + '_ {
    let start = ranges.partition_point(|r| r.1 <= b0);
    (start..ranges.len()).take_while(move |&i| ranges[i].0 < b1)
}

fn read_gz(path: &Path) -> Result<String> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_string(&mut s)?;
    Ok(s)
}

fn sorted_files(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(suffix)))
        .collect();
    v.sort();
    Ok(v)
}

pub fn spkatt(dir: &Path, split: &str, out: &mut String) -> Result<()> {
    let files = sorted_files(&dir.join(split).join("task1"), ".json")?;
    let (mut cue, mut src_m, mut msg_m, mut src_any, mut msg_any) = (
        Prf::default(),
        Prf::default(),
        Prf::default(),
        Prf::default(),
        Prf::default(),
    );
    let started = std::time::Instant::now();
    let mut n_tokens = 0usize;
    for path in &files {
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let mut sentences = Vec::new();
        let mut index: BTreeMap<(u64, u64), usize> = BTreeMap::new();
        for s in json["Sentences"].as_array().into_iter().flatten() {
            let sid = s["SentenceId"].as_u64().unwrap_or(0);
            let toks: Vec<String> = s["Tokens"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| t.as_str().unwrap_or("_").to_string())
                .collect();
            for (ti, _) in toks.iter().enumerate() {
                index.insert((sid, ti as u64), index.len());
            }
            sentences.push(toks);
        }
        n_tokens += index.len();
        let ids = |v: &serde_json::Value| -> HashSet<usize> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| {
                    let (s, t) = x.as_str()?.split_once(':')?;
                    index.get(&(s.parse().ok()?, t.parse().ok()?)).copied()
                })
                .collect()
        };
        let gold: Vec<[HashSet<usize>; 3]> = json["Annotations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| [ids(&a["Cue"]), ids(&a["Source"]), ids(&a["Message"])])
            .collect();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("speech");
        let (doc, ranges) = doc_from_tokens(name, "de", &sentences);
        let pred: Vec<[HashSet<usize>; 3]> = crate::speech_events(&doc)
            .into_iter()
            .map(|e| {
                let set = |r: Option<(usize, usize)>| -> HashSet<usize> {
                    r.map(|(a, b)| tokens_in(&ranges, a, b).collect())
                        .unwrap_or_default()
                };
                [set(e.cue), set(e.source), set(Some(e.content))]
            })
            .collect();
        if std::env::var_os("ATTR_DEBUG").is_some() {
            // Side by side, for error analysis on the tuning splits.
            let flat: Vec<&str> = sentences.iter().flatten().map(String::as_str).collect();
            let show = |set: &HashSet<usize>| {
                let mut v: Vec<usize> = set.iter().copied().collect();
                v.sort_unstable();
                v.iter().map(|&i| flat[i]).collect::<Vec<_>>().join(" ")
            };
            for (tag, list) in [("GOLD", &gold), ("PRED", &pred)] {
                for a in list.iter() {
                    writeln!(
                        out,
                        "{tag} cue[{}] src[{}] msg[{}]",
                        show(&a[0]),
                        show(&a[1]),
                        show(&a[2])
                    )?;
                }
            }
        }
        let union = |v: &[[HashSet<usize>; 3]], k: usize| -> HashSet<usize> {
            v.iter().flat_map(|x| x[k].iter().copied()).collect()
        };
        cue.add_sets(&union(&gold, 0), &union(&pred, 0));
        src_any.add_sets(&union(&gold, 1), &union(&pred, 1));
        msg_any.add_sets(&union(&gold, 2), &union(&pred, 2));
        // Roles under a matching cue.
        for (role, prf) in [(1usize, &mut src_m), (2usize, &mut msg_m)] {
            let mut matched: Vec<HashSet<usize>> = vec![HashSet::new(); gold.len()];
            for p in &pred {
                match gold
                    .iter()
                    .position(|g| !p[0].is_empty() && !g[0].is_disjoint(&p[0]))
                {
                    Some(g) => matched[g].extend(p[role].iter().copied()),
                    None => prf.fp += p[role].len(),
                }
            }
            for (g, m) in gold.iter().zip(&matched) {
                prf.add_sets(&g[role], m);
            }
        }
    }
    writeln!(
        out,
        "SpkAtt-2023 {split} ({} speeches, {n_tokens} tokens, {:.0} ms): token-level",
        files.len(),
        started.elapsed().as_secs_f64() * 1000.0
    )?;
    writeln!(out, "{}", cue.line("cue"))?;
    writeln!(out, "{}", src_m.line("source (under matched cue)"))?;
    writeln!(out, "{}", msg_m.line("message (under matched cue)"))?;
    writeln!(out, "{}", src_any.line("source (any cue)"))?;
    writeln!(out, "{}", msg_any.line("message (any cue)"))?;
    Ok(())
}

/// PolNeAR: the rules' speech events and what `analyze` gives (rules and, for English, the
/// learned model), word-level and by spans matched by overlap.
pub fn polnear(dir: &Path, split: &str, prepare: Segmenter, out: &mut String) -> Result<()> {
    let started = std::time::Instant::now();
    let articles = read_polnear(dir, split, prepare)?;
    let read_ms = started.elapsed().as_secs_f64() * 1000.0;
    score_overlap(
        &articles,
        &|a| predicted_from_events(&crate::speech_events(&a.doc)),
        &format!("PolNeAR {split}, rules only (read in {read_ms:.0} ms)"),
        out,
    );
    let model = crate::learned::Model::for_language("en");
    let started = std::time::Instant::now();
    score_overlap(
        &articles,
        &|a| {
            let (quotes, _) = crate::attribute_with(&a.doc, model);
            predicted_from_quotes(&a.doc, &quotes)
        },
        &format!(
            "PolNeAR {split}, analyze ({})",
            if model.is_some() {
                "rules and English model"
            } else {
                "rules; no English model"
            }
        ),
        out,
    );
    let _ = writeln!(
        out,
        "  speed: {:.2} ms per article",
        started.elapsed().as_secs_f64() * 1000.0 / articles.len().max(1) as f64
    );
    Ok(())
}

/// The rules' speech events as predictions.
pub fn predicted_from_events(events: &[crate::SpeechEvent]) -> Vec<Predicted> {
    events
        .iter()
        .map(|e| Predicted {
            roles: [
                e.cue.into_iter().collect(),
                vec![e.content],
                e.source.into_iter().collect(),
                Vec::new(),
            ],
        })
        .collect()
}

/// Word-level P/R/F1 (words: runs of non-space characters) and span F1 with spans matched by
/// overlap (PARC-style partial match) for source (speaker), cue and content (quotation); each
/// part of a discontinuous gold span counts as a span.
pub fn score_overlap(
    articles: &[QdnArticle],
    predict: &dyn Fn(&QdnArticle) -> Vec<Predicted>,
    title: &str,
    out: &mut String,
) {
    let roles = [(2usize, "source"), (0, "cue"), (1, "content")];
    let mut word = [Prf::default(); 3];
    let mut span = [(0usize, 0usize, 0usize, 0usize); 3];
    for art in articles {
        let raw = art.doc.text.as_str();
        let predicted = predict(art);
        let mut words = Vec::new();
        let mut start = None;
        for (b, c) in raw.char_indices().chain(std::iter::once((raw.len(), ' '))) {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(b),
                (true, Some(s)) => {
                    words.push((s, b));
                    start = None;
                }
                _ => {}
            }
        }
        for (ri, &(role, _)) in roles.iter().enumerate() {
            let gold: Vec<(usize, usize)> = art
                .annotations
                .iter()
                .flat_map(|a| a.roles[role].iter().copied())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let pred: Vec<(usize, usize)> = predicted
                .iter()
                .flat_map(|p| p.roles[role].iter().copied())
                .collect();
            let label = |spans: &[(usize, usize)]| -> HashSet<usize> {
                spans
                    .iter()
                    .flat_map(|&(a, b)| tokens_in(&words, a, b))
                    .collect()
            };
            word[ri].add_sets(&label(&gold), &label(&pred));
            let overlaps = |x: &(usize, usize), ys: &[(usize, usize)]| {
                ys.iter().any(|y| x.0 < y.1 && y.0 < x.1)
            };
            let s = &mut span[ri];
            s.0 += gold.iter().filter(|g| overlaps(g, &pred)).count();
            s.1 += gold.len();
            s.2 += pred.iter().filter(|p| overlaps(p, &gold)).count();
            s.3 += pred.len();
        }
    }
    let _ = writeln!(
        out,
        "{title} ({} articles): word-level, and spans matched by overlap",
        articles.len()
    );
    for (ri, &(_, name)) in roles.iter().enumerate() {
        let _ = writeln!(out, "{}", word[ri].line(&format!("{name} (words)")));
        let (found, gold, correct, pred) = span[ri];
        let (p, r) = (ratio(correct, pred), ratio(found, gold));
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let _ = writeln!(
            out,
            "  {:<28} P {p:.3}  R {r:.3}  F1 {f:.3}   (gold {gold}, predicted {pred})",
            format!("{name} (spans, overlap)")
        );
    }
}

/// Reads one PolNeAR split as annotated articles (one annotator per article, the first by file
/// name, as [`polnear`] scores them): roles cue = Cue, quotation = Content, speaker = Source, no
/// addressee; byte ranges into the trimmed text the Document holds.
pub fn read_polnear(dir: &Path, split: &str, prepare: Segmenter) -> Result<Vec<QdnArticle>> {
    let anns = sorted_files(&dir.join(split).join("attributions"), ".ann")?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ann_path in &anns {
        let stem = ann_path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some((text_stem, _annotator)) = stem.rsplit_once('_') else {
            continue;
        };
        if !seen.insert(text_stem.to_string()) {
            continue;
        }
        let text_path = dir
            .join(split)
            .join("text")
            .join(format!("{text_stem}.txt"));
        let Ok(raw) = std::fs::read_to_string(&text_path) else {
            continue;
        };
        let ann = std::fs::read_to_string(ann_path)?;
        let char_to_byte: Vec<usize> = raw
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(raw.len()))
            .collect();
        let trimmed = raw.trim();
        let offset = raw.find(trimmed).unwrap_or(0);
        let limit = trimmed.len();
        let to_bytes = |(a, b): (usize, usize)| -> Option<(usize, usize)> {
            let last = char_to_byte.len() - 1;
            let (a, b) = (char_to_byte[a.min(last)], char_to_byte[b.min(last)]);
            let (a, b) = (
                a.saturating_sub(offset).min(limit),
                b.saturating_sub(offset).min(limit),
            );
            (a < b).then_some((a, b))
        };
        // Spans by id, then one annotation per attribution event (E lines).
        let mut spans: BTreeMap<&str, (&str, Vec<Range>)> = BTreeMap::new();
        for line in ann.lines() {
            let mut cols = line.split('\t');
            let (Some(id), Some(def)) = (cols.next(), cols.next()) else {
                continue;
            };
            if !id.starts_with('T') {
                continue;
            }
            let Some((role, offsets)) = def.split_once(' ') else {
                continue;
            };
            let mut parts = Vec::new();
            for part in offsets.split(';') {
                let mut nums = part
                    .split_whitespace()
                    .filter_map(|n| n.parse::<usize>().ok());
                if let (Some(a), Some(b)) = (nums.next(), nums.next()) {
                    parts.extend(to_bytes((a, b)));
                }
            }
            spans.insert(id, (role, parts));
        }
        let mut annotations = Vec::new();
        for line in ann.lines().filter(|l| l.starts_with('E')) {
            let mut roles: [Vec<(usize, usize)>; 4] = Default::default();
            for arg in line.split('\t').nth(1).unwrap_or("").split_whitespace() {
                let Some((_, id)) = arg.split_once(':') else {
                    continue;
                };
                if let Some((role, parts)) = spans.get(id) {
                    let k = match *role {
                        "Cue" => 0,
                        "Content" => 1,
                        "Source" => 2,
                        _ => continue,
                    };
                    roles[k].extend(parts.iter().copied());
                }
            }
            annotations.push(QdnAnnotation {
                roles,
                kind: String::new(),
            });
        }
        let article = Article {
            paragraphs: vec![trimmed.to_string()],
            ..Default::default()
        };
        let mut doc = Document::from_article(text_stem.into(), source(text_stem), article);
        doc.language = "en".into();
        if doc.text != trimmed {
            // The Document normalised the text: offsets would not hold.
            continue;
        }
        prepare(&mut doc);
        let tokens = doc
            .tokens
            .iter()
            .map(|&t| {
                let r = doc.byte_range(t);
                (r.start, r.end)
            })
            .collect();
        out.push(QdnArticle {
            doc,
            tokens,
            annotations,
        });
    }
    Ok(out)
}

pub fn redewiedergabe(dir: &Path, out: &mut String) -> Result<()> {
    let files = sorted_files(&dir.join("main-tsv"), ".tsv.gz")?;
    let (mut direct, mut indirect) = (Prf::default(), Prf::default());
    let started = std::time::Instant::now();
    let mut n_tokens = 0usize;
    for path in &files {
        let text = read_gz(path)?;
        let mut lines = text.lines();
        let Some(header) = lines.next() else { continue };
        let cols: Vec<&str> = header.split('\t').collect();
        let col = |name: &str| cols.iter().position(|c| *c == name);
        let (Some(ci_tok), Some(ci_start), Some(ci_stwr)) =
            (col("tok"), col("sentstart"), col("stwr"))
        else {
            continue;
        };
        let mut sentences: Vec<Vec<String>> = Vec::new();
        let (mut gold_direct, mut gold_indirect) = (HashSet::new(), HashSet::new());
        let mut i = 0usize;
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() <= ci_stwr.max(ci_tok).max(ci_start) {
                continue;
            }
            if f[ci_start] == "yes" || sentences.is_empty() {
                sentences.push(Vec::new());
            }
            if let Some(s) = sentences.last_mut() {
                s.push(f[ci_tok].to_string());
            }
            for ann in f[ci_stwr].split('|') {
                let kind = ann.split('.').next().unwrap_or("");
                let kinds: Vec<&str> = kind.split('_').collect();
                if kinds.contains(&"direct") {
                    gold_direct.insert(i);
                }
                if kinds.contains(&"indirect") {
                    gold_indirect.insert(i);
                }
            }
            i += 1;
        }
        n_tokens += i;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("sample");
        let (doc, ranges) = doc_from_tokens(name, "de", &sentences);
        let events = crate::speech_events(&doc);
        let mut pred_direct = HashSet::new();
        let mut pred_indirect = HashSet::new();
        for e in &events {
            let target = if e.direct {
                &mut pred_direct
            } else {
                &mut pred_indirect
            };
            target.extend(tokens_in(&ranges, e.content.0, e.content.1));
        }
        let pred_indirect: HashSet<usize> =
            pred_indirect.difference(&pred_direct).copied().collect();
        direct.add_sets(&gold_direct, &pred_direct);
        indirect.add_sets(&gold_indirect, &pred_indirect);
    }
    writeln!(out,
        "Redewiedergabe main ({} samples, {n_tokens} tokens, {:.0} ms): token-level, speech+thought+writing",
        files.len(),
        started.elapsed().as_secs_f64() * 1000.0
    )?;
    writeln!(out, "{}", direct.line("direct"))?;
    writeln!(out, "{}", indirect.line("indirect"))?;
    Ok(())
}

// ---------------------------------------------------------------- quotes-de-news

/// One article of `quotes-de-news` (Petersen-Frey & Biemann 2024): the Document (layers filled by
/// the caller's segmenter), its corpus tokens as byte ranges, and its annotations.
pub struct QdnArticle {
    pub doc: Document,
    /// Corpus tokens as byte ranges into `doc.text`.
    pub tokens: Vec<(usize, usize)>,
    pub annotations: Vec<QdnAnnotation>,
}

/// One annotated quotation: byte ranges per role (in [`crate::learned::ROLES`] order) and its type.
#[derive(Debug, Clone)]
pub struct QdnAnnotation {
    pub roles: [Vec<(usize, usize)>; 4],
    pub kind: String,
}

impl QdnArticle {
    /// The gold spans per role, all annotations together.
    pub fn gold(&self) -> crate::learned::train::GoldSpans {
        let mut out: crate::learned::train::GoldSpans = Default::default();
        for a in &self.annotations {
            for (role, spans) in a.roles.iter().enumerate() {
                out[role].extend(spans);
            }
        }
        out
    }
}

/// Reads one split (`train`, `dev` or `test`: `<split>.jsonl.gz`, one article per line).
pub fn read_quotes_de_news(dir: &Path, split: &str, prepare: Segmenter) -> Result<Vec<QdnArticle>> {
    let path = dir.join(format!("{split}.jsonl.gz"));
    let mut raw = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?,
    )
    .read_to_string(&mut raw)?;
    let mut out = Vec::new();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let original = v["originalText"].as_str().unwrap_or_default();
        let name = v["documentName"].as_str().unwrap_or("article").to_string();
        let mut doc = Document::from_paragraphs(&name, "de", vec![original.to_string()]);
        // The Document trims the text; corpus offsets count from the untrimmed text.
        let shift = original.chars().count() - original.trim_start().chars().count();
        let byte_of = {
            let chars: Vec<usize> = original
                .trim_start()
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(original.trim_start().len()))
                .collect();
            move |c: u64| -> usize {
                let c = (c as usize).saturating_sub(shift).min(chars.len() - 1);
                chars[c]
            }
        };
        let limit = doc.text.len();
        let range = |b: &serde_json::Value, e: &serde_json::Value| -> Option<(usize, usize)> {
            let (b, e) = (
                byte_of(b.as_u64()?).min(limit),
                byte_of(e.as_u64()?).min(limit),
            );
            (b < e).then_some((b, e))
        };
        let tokens = v["tokens"]
            .as_array()
            .map(|ts| {
                ts.iter()
                    .filter_map(|t| range(&t["charBegin"], &t["charEnd"]))
                    .collect()
            })
            .unwrap_or_default();
        let mut annotations = Vec::new();
        for a in v["annotations"].as_array().into_iter().flatten() {
            let spans = |role: &str| -> Vec<(usize, usize)> {
                a[role]["spans"]
                    .as_array()
                    .map(|ss| {
                        ss.iter()
                            .filter_map(|s| range(&s["charBegin"], &s["charEnd"]))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            annotations.push(QdnAnnotation {
                roles: [
                    spans("cue"),
                    spans("quote"),
                    spans("speaker"),
                    spans("addressee"),
                ],
                kind: a["type"].as_str().unwrap_or("").to_string(),
            });
        }
        prepare(&mut doc);
        out.push(QdnArticle {
            doc,
            tokens,
            annotations,
        });
    }
    Ok(out)
}

/// A predicted quotation for scoring: byte ranges per role (in [`crate::learned::ROLES`] order).
#[derive(Debug, Clone, Default)]
pub struct Predicted {
    pub roles: [Vec<(usize, usize)>; 4],
}

/// The model's spans of each role apart, one prediction each (no links between roles: the
/// exact-span measure then counts a role's span only where the annotation has no cue).
pub fn predicted_from_spans(spans: [Vec<(usize, usize)>; 4]) -> Vec<Predicted> {
    let mut out = Vec::new();
    for (role, list) in spans.into_iter().enumerate() {
        for s in list {
            let mut p = Predicted::default();
            p.roles[role].push(s);
            out.push(p);
        }
    }
    out
}

/// The predictions of the report layers (`quotes`: span, cue, speaker and addressee words); the
/// quotation marks of a direct quotation are not part of its content.
pub fn predicted_from_quotes(doc: &Document, quotes: &[dossier_core::Quote]) -> Vec<Predicted> {
    let bytes = |s: dossier_core::Span| {
        let r = doc.byte_range(s);
        (r.start, r.end)
    };
    quotes
        .iter()
        .map(|q| {
            let (mut a, mut b) = bytes(q.span);
            let inner = &doc.text[a..b];
            let trimmed = inner
                .trim_start_matches(|c: char| c.is_whitespace() || crate::text::is_quote_char(c));
            a += inner.len() - trimmed.len();
            let trimmed = trimmed
                .trim_end_matches(|c: char| c.is_whitespace() || crate::text::is_quote_char(c));
            b = a + trimmed.len();
            let one = |s: Option<dossier_core::Span>| s.map(bytes).into_iter().collect::<Vec<_>>();
            Predicted {
                roles: [
                    one(q.cue.as_ref().map(|c| c.span)),
                    if a < b { vec![(a, b)] } else { Vec::new() },
                    one(q.speaker_span),
                    one(q.addressee_span),
                ],
            }
        })
        .collect()
}

/// Scores predictions against `quotes-de-news`: per role, token P/R/F1 (a corpus token of a role
/// counts as predicted when a predicted span of that role overlaps it) and exact-span F1 (a
/// predicted span counts when it equals a gold span of the role, for the roles other than the cue
/// in an annotation whose cue overlaps the prediction's, or that has none); recall of quotation
/// tokens per form.
pub fn score_quotes_de_news(
    articles: &[QdnArticle],
    predict: &dyn Fn(&QdnArticle) -> Vec<Predicted>,
    title: &str,
    out: &mut String,
) {
    use crate::learned::ROLES;
    let mut token = [Prf::default(); 4];
    let mut exact = [Prf::default(); 4];
    let mut by_form: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let covers = |spans: &[(usize, usize)], t: (usize, usize)| {
        spans.iter().any(|&(a, b)| a < t.1 && t.0 < b)
    };
    let norm = |(a, b): (usize, usize), text: &str| {
        let s = &text[a..b];
        let t = s.trim_start_matches(|c: char| c.is_whitespace() || crate::text::is_quote_char(c));
        let a2 = a + (s.len() - t.len());
        let t = t.trim_end_matches(|c: char| {
            c.is_whitespace() || crate::text::is_quote_char(c) || matches!(c, ',' | '.' | ':' | ';')
        });
        (a2, a2 + t.len())
    };
    for art in articles {
        let predicted = predict(art);
        let text = art.doc.text.as_str();
        for role in 0..4 {
            let gold: Vec<(usize, usize)> = art
                .annotations
                .iter()
                .flat_map(|a| a.roles[role].iter().copied())
                .collect();
            let pred: Vec<(usize, usize)> = predicted
                .iter()
                .flat_map(|p| p.roles[role].iter().copied())
                .collect();
            let g: HashSet<usize> = (0..art.tokens.len())
                .filter(|&k| covers(&gold, art.tokens[k]))
                .collect();
            let p: HashSet<usize> = (0..art.tokens.len())
                .filter(|&k| covers(&pred, art.tokens[k]))
                .collect();
            token[role].add_sets(&g, &p);
            // Exact spans: one span per role and annotation (the first and last parts joined).
            let join = |spans: &[(usize, usize)]| -> Option<(usize, usize)> {
                let a = spans.iter().map(|s| s.0).min()?;
                let b = spans.iter().map(|s| s.1).max()?;
                Some(norm((a, b), text))
            };
            let gold_exact: HashSet<(usize, usize, usize)> = art
                .annotations
                .iter()
                .enumerate()
                .filter_map(|(i, a)| join(&a.roles[role]).map(|s| (s.0, s.1, i)))
                .collect();
            let mut hit = HashSet::new();
            let mut n_pred = 0;
            for pr in &predicted {
                let Some(s) = join(&pr.roles[role]) else {
                    continue;
                };
                n_pred += 1;
                let found = art.annotations.iter().enumerate().find(|(i, a)| {
                    !hit.contains(i)
                        && join(&a.roles[role]) == Some(s)
                        && (role == 0
                            || a.roles[0].is_empty()
                            || pr.roles[0].iter().any(|&c| covers(&a.roles[0], c)))
                });
                if let Some((i, _)) = found {
                    hit.insert(i);
                }
            }
            exact[role].tp += hit.len();
            exact[role].fp += n_pred - hit.len();
            exact[role].fn_ += gold_exact.len() - hit.len();
        }
        let pred: Vec<(usize, usize)> = predicted
            .iter()
            .flat_map(|p| p.roles[1].iter().copied())
            .collect();
        for a in &art.annotations {
            let e = by_form.entry(a.kind.clone()).or_default();
            for &t in art.tokens.iter().filter(|&&t| covers(&a.roles[1], t)) {
                e.0 += 1;
                if covers(&pred, t) {
                    e.1 += 1;
                }
            }
        }
    }
    let _ = writeln!(out, "quotes-de-news, {title} ({} articles)", articles.len());
    for role in 0..4 {
        let _ = writeln!(
            out,
            "{}",
            token[role].line(&format!("{} tokens", ROLES[role]))
        );
    }
    for role in 0..4 {
        let _ = writeln!(
            out,
            "{}",
            exact[role].line(&format!("{} exact spans", ROLES[role]))
        );
    }
    for (form, (n, found)) in by_form {
        let _ = writeln!(
            out,
            "  quotation token recall, {form:<22} {:.3}   ({found} of {n})",
            ratio(found, n)
        );
    }
}

/// What training prints about a model on dev (never test): token and exact-span scores of the
/// rules alone, rules and model, and the model's spans alone; for English also PolNeAR's
/// overlap scores, the rules' speech events among them. `dossier train attribution` and the
/// `attr_dev` example print the same report.
pub fn dev_report(dev: &[QdnArticle], model: &crate::learned::Model, english: bool) -> String {
    fn with(m: Option<&crate::learned::Model>) -> impl Fn(&QdnArticle) -> Vec<Predicted> + '_ {
        move |a| {
            let (quotes, _) = crate::attribute_with(&a.doc, m);
            predicted_from_quotes(&a.doc, &quotes)
        }
    }
    let mut out = String::new();
    let spans_alone = |a: &QdnArticle| predicted_from_spans(crate::model_spans(&a.doc, model));
    for (title, m) in [("rules only", None), ("rules and model", Some(model))] {
        score_quotes_de_news(dev, &with(m), &format!("dev, {title}"), &mut out);
    }
    score_quotes_de_news(dev, &spans_alone, "dev, model spans alone", &mut out);
    if english {
        for (title, m) in [("rules only", None), ("rules and model", Some(model))] {
            score_overlap(dev, &with(m), &format!("PolNeAR dev, {title}"), &mut out);
        }
        score_overlap(
            dev,
            &|a| predicted_from_events(&crate::speech_events(&a.doc)),
            "PolNeAR dev, rules' speech events",
            &mut out,
        );
        score_overlap(
            dev,
            &spans_alone,
            "PolNeAR dev, model spans alone",
            &mut out,
        );
    }
    out
}
