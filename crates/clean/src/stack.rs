//! Part of step 2: the second, stacked pass over the lines.
//!
//! The line model of the first pass sees each line and its neighbours' surface, and the label of
//! the line above. What it lacks is what the page looks like around a line once the article is
//! known: is the line inside the block of article text or below its last paragraph, does it stand
//! in a run of short title-shaped lines (a teaser list of other stories), does it share words with
//! the headline and the lead (an article's own subheads and captions do; a teaser of another story
//! does not), how long is it against the article's paragraphs. The second pass is a line model of
//! the same kind whose features are the first pass's features plus these, read from the first
//! pass's labels and scores. It is trained on first-pass outputs of pages the first-pass model
//! has not seen (jackknife by publisher family inside the training pages), so its features look
//! like those of a new page.

use crate::classes::Label;
use crate::features::{hash, is_prose, is_title_like, Page};
use crate::lines::Class;
use crate::model::N;
use std::collections::{HashMap, HashSet};

/// Words longer than this many characters count as content words (no stop-word list: short
/// words are mostly function words in both languages).
const CONTENT_WORD: usize = 4;

/// The stacked features of each line: the page's own features plus the structural ones read from
/// the first pass's labels and label scores.
pub(crate) fn stacked_features(
    page: &Page,
    labels: &[Label],
    scores: &[[f32; N]],
) -> Vec<Vec<u32>> {
    let n = page.lines.len();
    let text_line = |l: Label| matches!(l, Label::Body | Label::Lead);
    let first_text = labels.iter().position(|l| text_line(*l));
    let last_text = labels.iter().rposition(|l| text_line(*l));
    // Content words of each line; of the headline and lead (the article's topic); counts over
    // the article's text lines.
    let words: Vec<Vec<String>> = page.lines.iter().map(|l| content_words(&l.text)).collect();
    let mut topic_lines: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l, Label::Headline | Label::Lead | Label::Subheadline))
        .map(|(i, _)| i)
        .collect();
    topic_lines.extend(
        labels
            .iter()
            .enumerate()
            .filter(|(_, l)| **l == Label::Body)
            .map(|(i, _)| i)
            .take(2),
    );
    let mut article_words: HashMap<&str, usize> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        if labels[i].is_text() {
            let unique: HashSet<&str> = ws.iter().map(String::as_str).collect();
            for w in unique {
                *article_words.entry(w).or_default() += 1;
            }
        }
    }
    let text_lines = labels.iter().filter(|l| l.is_text()).count();
    let share = (text_lines * 10).checked_div(n).unwrap_or(0).min(9);
    let mut body_lens: Vec<usize> = page
        .lines
        .iter()
        .zip(labels)
        .filter(|(_, l)| **l == Label::Body)
        .map(|(l, _)| l.chars)
        .collect();
    body_lens.sort_unstable();
    let median = body_lens.get(body_lens.len() / 2).copied().unwrap_or(0);
    let short = |i: usize| page.lines[i].chars <= 160 && !is_prose(&page.lines[i]);
    // Runs of consecutive short, non-prose lines (a teaser list, a menu, a caption block).
    let mut run_of = vec![(0usize, 0usize); n];
    let mut i = 0;
    while i < n {
        if !short(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && short(i) {
            i += 1;
        }
        let titles = (start..i)
            .filter(|&k| {
                is_title_like(&page.lines[k].text)
                    && page.lines[k].text.split_whitespace().count() >= 4
            })
            .count();
        for slot in &mut run_of[start..i] {
            *slot = (i - start, titles);
        }
    }
    // Each line's coarse shape (its cue, title-like, prose, short); a stretch whose shapes repeat
    // with a period of 2–4 lines and differ within the period is a template list (teasers: title,
    // date, summary, "see more").
    let shape: Vec<u32> = (0..n)
        .map(|i| {
            let l = &page.lines[i];
            hash(&format!(
                "{}{}{}{}",
                crate::features::cue_name(&page.cues[i]),
                is_title_like(&l.text),
                is_prose(l),
                l.chars <= 40
            ))
        })
        .collect();
    let periodic = |i: usize| -> usize {
        for p in 2..=4usize {
            let lo = i.saturating_sub(p);
            let hi = (i + p).min(n.saturating_sub(1));
            if hi < lo + p + 1 || hi - lo < 2 * p - 1 {
                continue;
            }
            let repeats = (lo..=hi - p).all(|k| shape[k] == shape[k + p]);
            let varied = (lo + 1..lo + p).any(|k| shape[k] != shape[lo]);
            if repeats && varied {
                return p;
            }
        }
        0
    };
    (0..n)
        .map(|i| {
            let mut out: Vec<String> = Vec::with_capacity(48);
            let l0 = labels[i].name();
            let at = |k: i64| -> &'static str {
                let j = i as i64 + k;
                if j < 0 || j as usize >= n {
                    "none"
                } else {
                    labels[j as usize].name()
                }
            };
            out.push(format!("l0={l0}"));
            for k in [-3i64, -2, -1, 1, 2, 3] {
                out.push(format!("l{k}={}", at(k)));
                if k.abs() == 1 {
                    out.push(format!("l{k}×l0={}×{l0}", at(k)));
                }
            }
            out.push(format!("l-1×l0×l1={}×{l0}×{}", at(-1), at(1)));
            // The first pass's confidence: how far the body score is from the best other.
            let s = &scores[i];
            let b = Label::Body.index();
            let other = (0..N)
                .filter(|&k| k != b)
                .map(|k| s[k])
                .fold(f32::NEG_INFINITY, f32::max);
            let margin = margin_bucket(s[b] - other);
            out.push(format!("body-margin={margin}"));
            out.push(format!("body-margin×l0={margin}×{l0}"));
            let top = (0..N)
                .max_by(|&a, &c| s[a].total_cmp(&s[c]).then(c.cmp(&a)))
                .map_or("none", |k| Label::ALL[k].name());
            out.push(format!("top={top}"));
            // Where the line stands against the article's block of text.
            let pos = match (first_text, last_text) {
                (Some(f), _) if i < f => format!("before-{}", (f - i).min(5)),
                (_, Some(l)) if i > l => format!("after-{}", dist_bucket(i - l)),
                (Some(_), Some(_)) => "inside".to_string(),
                _ => "no-text".to_string(),
            };
            out.push(format!("pos={pos}"));
            out.push(format!("pos×l0={pos}×{l0}"));
            // Runs of short lines.
            let (run, titles) = run_of[i];
            let rb = match run {
                0 => "prose",
                1 => "1",
                2 => "2",
                3 => "3",
                4..=5 => "4-5",
                6..=9 => "6-9",
                _ => "10+",
            };
            let tb = titles.min(4);
            out.push(format!("run={rb}"));
            out.push(format!("run-titles={tb}"));
            out.push(format!("run×titles×l0={rb}×{tb}×{l0}"));
            out.push(format!("run×pos={rb}×{pos}"));
            // Page statistics.
            out.push(format!("text-share={share}"));
            if let Some(r) = (page.lines[i].chars * 4).checked_div(median) {
                let rb = match r {
                    0 => "<.25",
                    1 => "<.5",
                    2..=3 => "<1",
                    4..=7 => "<2",
                    _ => "≥2",
                };
                out.push(format!("len-vs-body={rb}"));
                out.push(format!("len-vs-body×l0={rb}×{l0}"));
            }
            // Shared words with the headline and lead, and with the rest of the article.
            let ws = &words[i];
            if ws.is_empty() {
                out.push("words=none".into());
            } else {
                let topic: HashSet<&str> = topic_lines
                    .iter()
                    .filter(|&&j| j != i)
                    .flat_map(|&j| words[j].iter().map(String::as_str))
                    .collect();
                let in_topic = ws.iter().filter(|w| topic.contains(w.as_str())).count();
                let own = labels[i].is_text();
                let in_article = ws
                    .iter()
                    .filter(|w| {
                        let c = article_words.get(w.as_str()).copied().unwrap_or(0);
                        c > usize::from(own)
                    })
                    .count();
                let tb = overlap_bucket(in_topic, ws.len());
                let ab = overlap_bucket(in_article, ws.len());
                out.push(format!("topic={tb}"));
                out.push(format!("article={ab}"));
                out.push(format!("topic×l0={tb}×{l0}"));
                out.push(format!("article×l0={ab}×{l0}"));
                out.push(format!("article×run={ab}×{rb}"));
                out.push(format!("article×pos={ab}×{pos}"));
            }
            let per = periodic(i);
            if per > 0 {
                out.push(format!("periodic={per}"));
                out.push(format!("periodic×l0={per}×{l0}"));
                out.push(format!("periodic×pos={per}×{pos}"));
            }
            let cue = crate::features::cue_name(&page.cues[i]);
            if !matches!(page.cues[i], Class::Content) {
                out.push(format!("cue×l0={cue}×{l0}"));
            }
            let mut hashed: Vec<u32> = out.iter().map(|s| hash(&format!("S:{s}"))).collect();
            hashed.extend(page.features[i].iter().copied());
            hashed
        })
        .collect()
}

/// Lower-cased words of more than [`CONTENT_WORD`] letters.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > CONTENT_WORD && w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
        .take(200)
        .collect()
}

pub(crate) fn overlap_bucket(hits: usize, of: usize) -> &'static str {
    match (hits * 10).checked_div(of).unwrap_or(0) {
        _ if hits == 0 => "0",
        0..=2 => "low",
        3..=5 => "mid",
        _ => "high",
    }
}

fn margin_bucket(m: f32) -> &'static str {
    let a = m.abs();
    let mag = if a < 2.0 {
        "0"
    } else if a < 8.0 {
        "1"
    } else if a < 32.0 {
        "2"
    } else if a < 128.0 {
        "3"
    } else {
        "4"
    };
    match (m >= 0.0, mag) {
        (true, "0") => "+0",
        (true, "1") => "+1",
        (true, "2") => "+2",
        (true, "3") => "+3",
        (true, _) => "+4",
        (false, "0") => "-0",
        (false, "1") => "-1",
        (false, "2") => "-2",
        (false, "3") => "-3",
        (false, _) => "-4",
    }
}

fn dist_bucket(d: usize) -> &'static str {
    match d {
        0..=1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        _ => "9+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::read_page;

    fn names(fs: &[u32], wanted: &[&str]) -> Vec<bool> {
        wanted
            .iter()
            .map(|w| fs.contains(&hash(&format!("S:{w}"))))
            .collect()
    }

    #[test]
    fn structure_around_a_line_is_read_from_the_first_pass() {
        let text = "Hafen legt neue Fähre in Dienst\n\n\
                    Die neue Fähre des Hafens fährt von Montag an zweimal täglich zur Insel hinüber.\n\n\
                    Der Hafen hatte die Fähre im vergangenen Jahr bestellt, sie ersetzt ein altes Schiff.\n\n\
                    Minister besucht Schule in Nachbarstadt\n\nWetter bleibt wechselhaft am Wochenende";
        let page = read_page(text);
        assert_eq!(page.lines.len(), 5);
        let labels = [
            Label::Headline,
            Label::Body,
            Label::Body,
            Label::Body,
            Label::Body,
        ];
        let scores = vec![[0.0; N]; 5];
        let fs = stacked_features(&page, &labels, &scores);
        assert_eq!(fs.len(), 5);
        // Every line keeps its own features.
        for (f, own) in fs.iter().zip(&page.features) {
            assert!(own.iter().all(|h| f.contains(h)));
        }
        // The article's second paragraph shares words with the headline; the teaser lines below
        // share none, and stand in a run of short title-shaped lines.
        let got = names(&fs[2], &["topic=0", "run=prose"]);
        assert_eq!(got, vec![false, true]);
        let got = names(&fs[3], &["topic=0", "run=2", "run-titles=2"]);
        assert_eq!(got, vec![true, true, true]);
        let got = names(&fs[0], &["l0=headline", "l1=body", "pos=before-1"]);
        assert_eq!(got, vec![true, true, true]);
    }

    #[test]
    fn content_words_and_buckets() {
        assert_eq!(
            content_words("Die neue Fähre, 2024 bestellt."),
            ["fähre", "bestellt"]
        );
        assert_eq!(overlap_bucket(0, 3), "0");
        assert_eq!(overlap_bucket(1, 10), "low");
        assert_eq!(overlap_bucket(3, 4), "high");
        assert_eq!(margin_bucket(-50.0), "-3");
        assert_eq!(margin_bucket(1.0), "+0");
    }
}
