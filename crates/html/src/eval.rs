//! Scoring of HTML extraction against the shared benchmarks (`dossier eval extraction` reads
//! the files, calls [`crate::extract`] and prints what these functions return).
//!
//! - ScrapingHub's article-extraction-benchmark: 4-token shingles of the body against
//!   `articleBody`, per-page precision and recall averaged over pages ([`shingle_match`],
//!   [`shingle_metrics`]).
//! - trafilatura's German snippet checks: `with` snippets must appear in the body, `without`
//!   snippets must not ([`SnippetTally`]), micro-averaged as in trafilatura's
//!   tests/eval_common.py.
//! - The same pages' metadata fields (`title`, `date`, `author`): whether the headline, the
//!   publication date and the authors we read agree with them ([`MetaTally`]). The fields are
//!   the benchmark's, not ours; where a page gives none, it is not counted.

use dossier_core::Article;
use std::collections::HashMap;

/// What the benchmarks call the article body: lead and paragraphs, no headline.
pub fn body_of(article: &Article) -> String {
    let mut parts: Vec<&str> = article.lead.iter().map(String::as_str).collect();
    parts.extend(article.paragraphs.iter().map(String::as_str));
    parts.join("\n")
}

/// `\w+` tokens (Unicode letters, digits, underscore), case kept.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Per-page (tp, fp, fn) over 4-token shingles, normalised to sum to 1.
pub fn shingle_match(truth: &str, pred: &str) -> (f64, f64, f64) {
    fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
        let toks = tokens(text);
        let mut out = HashMap::new();
        if toks.is_empty() {
            return out;
        }
        if toks.len() < 4 {
            *out.entry(toks).or_insert(0) += 1;
            return out;
        }
        for w in toks.windows(4) {
            *out.entry(w.to_vec()).or_insert(0) += 1;
        }
        out
    }
    let t = shingles(truth);
    let p = shingles(pred);
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (k, &tc) in &t {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += tc.min(pc);
        fneg += tc.saturating_sub(pc);
    }
    for (k, &pc) in &p {
        let tc = t.get(k).copied().unwrap_or(0);
        fp += pc.saturating_sub(tc);
    }
    let sum = (tp + fp + fneg) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fneg as f64 / sum)
}

/// Precision and recall averaged over pages, and their F1 (ScrapingHub's way).
pub fn shingle_metrics(scores: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let ratio = |tp: f64, other: f64, fp: f64, fneg: f64| {
        if fp == 0.0 && fneg == 0.0 {
            1.0
        } else {
            tp / (tp + other)
        }
    };
    let precision = mean(
        scores
            .iter()
            .filter(|(tp, fp, _)| tp + fp > 0.0)
            .map(|&(tp, fp, fneg)| ratio(tp, fp, fp, fneg))
            .collect(),
    );
    let recall = mean(
        scores
            .iter()
            .filter(|(tp, _, fneg)| tp + fneg > 0.0)
            .map(|&(tp, fp, fneg)| ratio(tp, fneg, fp, fneg))
            .collect(),
    );
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

pub fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// trafilatura's snippet checks over many pages.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SnippetTally {
    pub tp: usize,
    pub fp: usize,
    pub fneg: usize,
    pub tn: usize,
}

/// One failed snippet check, for the dev listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetFault<'a> {
    /// A `with` snippet the body lacks.
    Missed(&'a str),
    /// A `without` snippet the body holds.
    Kept(&'a str),
}

impl SnippetTally {
    /// Checks one page's body; returns the checks it failed.
    pub fn add<'a>(
        &mut self,
        body: &str,
        with: &'a [String],
        without: &'a [String],
    ) -> Vec<SnippetFault<'a>> {
        let body = norm_ws(body);
        let mut faults = Vec::new();
        for w in with {
            if body.contains(&norm_ws(w)) {
                self.tp += 1;
            } else {
                self.fneg += 1;
                faults.push(SnippetFault::Missed(w));
            }
        }
        for w in without {
            if body.contains(&norm_ws(w)) {
                self.fp += 1;
                faults.push(SnippetFault::Kept(w));
            } else {
                self.tn += 1;
            }
        }
        faults
    }

    /// (precision, recall, F1, accuracy).
    pub fn metrics(&self) -> (f64, f64, f64, f64) {
        let (tp, fp, fneg, tn) = (self.tp, self.fp, self.fneg, self.tn);
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fneg).max(1) as f64;
        let f1 = 2.0 * tp as f64 / (2 * tp + fp + fneg).max(1) as f64;
        let accuracy = (tp + tn) as f64 / (tp + tn + fp + fneg).max(1) as f64;
        (precision, recall, f1, accuracy)
    }
}

/// A page's metadata as the benchmark gives it (empty strings: not given).
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct MetaTruth {
    #[serde(default, deserialize_with = "text_or_list")]
    pub title: String,
    #[serde(default, deserialize_with = "text_or_list")]
    pub date: String,
    #[serde(default, deserialize_with = "text_or_list")]
    pub author: String,
}

/// A field that is a string on most pages and a list of strings (or null) on some.
fn text_or_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    })
}

/// Agreement of our headline, date and authors with the benchmark's metadata fields.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MetaTally {
    /// Pages with a title; ours equal to it (after case, quotes, dashes and spaces are
    /// normalised); ours with ≥ 80 % of its words and no more than 20 % others (a kicker or a
    /// site name the fields keep or drop); no headline at all.
    pub titles: usize,
    pub title_exact: usize,
    pub title_close: usize,
    pub title_missing: usize,
    /// Pages with a date; ours the same day; ours another day; none.
    pub dates: usize,
    pub date_right: usize,
    pub date_wrong: usize,
    pub date_missing: usize,
    /// Pages with an author; ours naming every one of its name words; ours none.
    pub authors: usize,
    pub author_right: usize,
    pub author_missing: usize,
}

/// What was wrong on one page, for the dev listing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MetaFaults {
    pub title: Option<(String, String)>,
    pub date: Option<(String, String)>,
    pub author: Option<(String, String)>,
}

/// Lower case, typographic quotes and dashes folded, spaces collapsed.
fn norm_title(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '„' | '“' | '”' | '«' | '»' | '″' => '"',
            '‚' | '‘' | '’' | '‹' | '›' | '`' | '´' => '\'',
            '–' | '—' | '‒' | '−' => '-',
            '\u{a0}' | '\u{202f}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    norm_ws(&folded)
}

fn word_set(s: &str) -> Vec<String> {
    let mut w: Vec<String> = norm_title(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    w.sort();
    w.dedup();
    w
}

/// Words of an author field that name people: the byline's "von"/"by" and conjunctions left out.
fn name_words(s: &str) -> Vec<String> {
    const GLUE: &[&str] = &["von", "by", "und", "and", "mit", "u"];
    word_set(s)
        .into_iter()
        .filter(|w| !GLUE.contains(&w.as_str()))
        .collect()
}

impl MetaTally {
    pub fn add(&mut self, article: &Article, truth: &MetaTruth) -> MetaFaults {
        let mut faults = MetaFaults::default();
        let title = truth.title.trim();
        if !title.is_empty() {
            self.titles += 1;
            match article.headline.as_deref() {
                None => {
                    self.title_missing += 1;
                    faults.title = Some((title.to_string(), String::new()));
                }
                Some(ours) if norm_title(ours) == norm_title(title) => self.title_exact += 1,
                Some(ours) => {
                    let (gold, pred) = (word_set(title), word_set(ours));
                    let shared = pred.iter().filter(|w| gold.contains(w)).count();
                    if shared * 5 >= gold.len() * 4 && (pred.len() - shared) * 5 <= pred.len() {
                        self.title_close += 1;
                    }
                    faults.title = Some((title.to_string(), ours.to_string()));
                }
            }
        }
        let date = truth.date.trim();
        if !date.is_empty() {
            self.dates += 1;
            let day = date.get(..10).unwrap_or(date);
            match article.published.as_deref() {
                None => {
                    self.date_missing += 1;
                    faults.date = Some((day.to_string(), String::new()));
                }
                Some(ours) if ours.get(..10) == Some(day) => self.date_right += 1,
                Some(ours) => {
                    self.date_wrong += 1;
                    let evidence = article.published_evidence.as_deref().unwrap_or("");
                    faults.date = Some((day.to_string(), format!("{ours} ({evidence})")));
                }
            }
        }
        let gold = name_words(&truth.author);
        if !gold.is_empty() {
            self.authors += 1;
            let ours = name_words(&article.authors.join(" "));
            if ours.is_empty() {
                self.author_missing += 1;
            } else if gold.iter().all(|w| ours.contains(w)) {
                self.author_right += 1;
                return faults;
            }
            faults.author = Some((truth.author.clone(), article.authors.join("; ")));
        }
        faults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_score_like_the_benchmark() {
        let (tp, fp, fneg) = shingle_match("a b c d e", "a b c d e");
        assert_eq!((tp, fp, fneg), (1.0, 0.0, 0.0));
        let (tp, fp, fneg) = shingle_match("eins zwei", "eins zwei");
        assert_eq!((tp, fp, fneg), (1.0, 0.0, 0.0));
        let s = shingle_match("a b c d e f", "a b c d x");
        // truth: abcd bcde cdef; pred: abcd bcdx -> tp 1, fp 1, fn 2
        assert!((s.0 - 0.25).abs() < 1e-9 && (s.1 - 0.25).abs() < 1e-9);
        let (p, r, _) = shingle_metrics(&[s, (1.0, 0.0, 0.0), (0.0, 0.0, 0.0)]);
        assert!((p - 0.75).abs() < 1e-9);
        assert!((r - (1.0 / 3.0 + 1.0) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn snippets_count_like_trafilatura() {
        let mut t = SnippetTally::default();
        let with = vec!["zwei  drei".to_string(), "fehlt".to_string()];
        let without = vec!["Werbung".to_string()];
        let faults = t.add("eins zwei\ndrei Werbung", &with, &without);
        assert_eq!(
            t,
            SnippetTally {
                tp: 1,
                fp: 1,
                fneg: 1,
                tn: 0
            }
        );
        assert_eq!(
            faults,
            vec![SnippetFault::Missed("fehlt"), SnippetFault::Kept("Werbung")]
        );
    }

    #[test]
    fn metadata_agreement() {
        let truth = MetaTruth {
            title: "Brücke gesperrt – Pendler müssen umplanen".into(),
            date: "2024-05-06".into(),
            author: "Von Anna Beispiel und Jonas Muster".into(),
        };
        let mut article = Article {
            headline: Some("Brücke gesperrt - Pendler  müssen umplanen".into()),
            published: Some("2024-05-06".into()),
            authors: vec!["Anna Beispiel".into(), "Jonas Muster".into()],
            ..Article::default()
        };
        let mut t = MetaTally::default();
        assert_eq!(t.add(&article, &truth), MetaFaults::default());
        article.headline = Some("Verkehr: Brücke gesperrt – Pendler müssen umplanen".into());
        article.published = Some("2024-05-07".into());
        article.authors = vec!["Anna Beispiel".into()];
        let faults = t.add(&article, &truth);
        assert!(faults.title.is_some() && faults.date.is_some() && faults.author.is_some());
        assert_eq!(
            (t.titles, t.title_exact, t.title_close, t.title_missing),
            (2, 1, 1, 0)
        );
        assert_eq!((t.dates, t.date_right, t.date_wrong), (2, 1, 1));
        assert_eq!((t.authors, t.author_right, t.author_missing), (2, 1, 0));
        // A field the benchmark leaves empty is not counted.
        t.add(&Article::default(), &MetaTruth::default());
        assert_eq!((t.titles, t.dates, t.authors), (2, 2, 2));
    }
}
