//! Part of step 2: which line is the page's headline, if any — one decision per page.
//!
//! The line model labels lines one by one (with the label above as context), so it may call two
//! lines a headline, or none, or take a promo line above the article for it. A reader decides once
//! per page: among the title-like lines above the first paragraph of running text, which one is
//! the article's title, or is there none (the dump starts below it)? That choice is a ranking over
//! the candidate lines plus "none", learned by an averaged perceptron from the same labelled pages
//! (trained with the line model, `dossier train clean`). Features: the line's own line-model
//! features, and where it stands — how many candidates come before and after it, how far it is
//! from the first paragraph, what stands right above and below it (a date line, a byline, a
//! paragraph), whether the page prints it again (template repeats: image title, teaser copy),
//! how many of its content words the article below it uses (and whether it uses the most).

use crate::features::{block_shapes, hash, is_prose, is_title_like, Page};
use crate::lines::Class;

/// At most this many lines are looked at when a page has no paragraph of running text.
const MAX_CANDIDATE_LINE: usize = 60;

/// The headline candidates of a page and the features of each option (the last option is "no
/// headline").
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Line index of each candidate.
    pub lines: Vec<usize>,
    /// Features of each candidate, then of "none".
    pub features: Vec<Vec<u32>>,
    /// Candidates that are never chosen: a single word (a section label: no headline of the
    /// dev set is one), or the opening words of a later paragraph (a teaser or deck slot filled
    /// from the first paragraph).
    pub barred: Vec<bool>,
}

impl Options {
    /// The option index of line `i`, if it is a candidate.
    pub fn of_line(&self, i: usize) -> Option<usize> {
        self.lines.iter().position(|&l| l == i)
    }

    /// The option that stands for "no headline".
    pub fn none(&self) -> usize {
        self.lines.len()
    }
}

/// Candidates: content lines (no phrase-table cue) up to the first paragraph of running text.
pub(crate) fn options(page: &Page) -> Options {
    let lines = &page.lines;
    // Lines of a newsletter, paywall or donation box (after its first line, in its block).
    let mut boxed = vec![false; lines.len()];
    let mut open: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if open != Some(l.block) {
            open = None;
        }
        boxed[i] = open.is_some();
        if matches!(page.cues[i], Class::Box(_)) {
            open = Some(l.block);
        }
    }
    let blocks = block_shapes(lines);
    let first_prose = (0..lines.len()).find(|&i| {
        let l = &lines[i];
        matches!(page.cues[i], Class::Content)
            && !boxed[i]
            && (is_prose(l) || (blocks[l.block].2 && l.chars >= 40))
    });
    let limit = first_prose.map_or(lines.len().min(MAX_CANDIDATE_LINE), |p| p + 1);
    let candidates: Vec<usize> = (0..limit)
        .filter(|&i| {
            matches!(page.cues[i], Class::Content)
                && !boxed[i]
                && !lines[i].date_prefix
                && lines[i].chars <= 250
                && lines[i].text.chars().any(char::is_alphabetic)
        })
        .collect();
    // Candidates the decision passes over (the ranker is trained on all of them: leaving them
    // out of training moved its other choices, measured on the held-out outlets).
    let barred: Vec<bool> = candidates
        .iter()
        .map(|&i| {
            lines[i].text.split_whitespace().nth(1).is_none() || opens_a_later_paragraph(lines, i)
        })
        .collect();
    let n = candidates.len();
    // The article below the first paragraph's start: its content words. A headline names what the
    // article is about; a promo line, a ticker notice or another story's title shares little.
    let below: std::collections::HashSet<String> = first_prose
        .map(|p| {
            lines[p..]
                .iter()
                .take(40)
                .flat_map(|l| crate::stack::content_words(&l.text))
                .collect()
        })
        .unwrap_or_default();
    let overlap: Vec<(usize, usize)> = candidates
        .iter()
        .map(|&i| {
            let ws = crate::stack::content_words(&lines[i].text);
            (ws.iter().filter(|w| below.contains(*w)).count(), ws.len())
        })
        .collect();
    let best_hits = overlap.iter().map(|o| o.0).max().unwrap_or(0);
    let mut features: Vec<Vec<u32>> = Vec::with_capacity(n + 1);
    for (k, &i) in candidates.iter().enumerate() {
        let line = &lines[i];
        let text = line.text.as_str();
        let mut out: Vec<String> = Vec::with_capacity(40);
        let title = is_title_like(text);
        let words = text.split_whitespace().count();
        let wb = match words {
            0..=1 => "1",
            2 => "2",
            3..=4 => "3-4",
            5..=8 => "5-8",
            9..=15 => "9-15",
            16..=25 => "16-25",
            _ => ">25",
        };
        let gap = first_prose.map_or("none".to_string(), |p| (p - i).min(6).to_string());
        let titles_before = candidates[..k]
            .iter()
            .filter(|&&j| is_title_like(&lines[j].text))
            .count();
        out.push("bias".into());
        out.push(format!("k={}", k.min(6)));
        out.push(format!("kr={}", (n - 1 - k).min(6)));
        out.push(format!("gap={gap}"));
        out.push(format!("title={title}"));
        out.push(format!("title×gap={title}×{gap}"));
        out.push(format!("titles-before={}", titles_before.min(4)));
        out.push(format!(
            "title×titles-before={title}×{}",
            titles_before.min(3)
        ));
        out.push(format!("words={wb}"));
        out.push(format!("words×gap={wb}×{gap}"));
        out.push(format!("prose={}", is_prose(line)));
        if text.matches('|').count() >= 1 {
            out.push("pipe".into());
        }
        if starts_with_clock(text) {
            out.push("clock".into());
        }
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            out.push("digit-start".into());
        }
        let ends = text.trim_end().chars().next_back().unwrap_or(' ');
        let end = match ends {
            '.' => ".",
            '?' | '!' => "?!",
            ':' => ":",
            c if c.is_alphanumeric() => "alnum",
            _ => "other",
        };
        out.push(format!("end={end}"));
        out.push(format!("end×words={end}×{wb}"));
        // Repeats: printed again as an image title, a teaser, a caption.
        let again = lines
            .iter()
            .enumerate()
            .any(|(j, l)| j != i && l.text == line.text);
        let inside = line.chars >= 20
            && lines
                .iter()
                .enumerate()
                .any(|(j, l)| j != i && l.text != line.text && l.text.contains(text));
        out.push(format!("again={again}"));
        out.push(format!("inside={inside}"));
        // Neighbours.
        for (name, j) in [("p1", i.checked_sub(1)), ("n1", Some(i + 1))] {
            match j.and_then(|j| lines.get(j).map(|l| (j, l))) {
                None => out.push(format!("{name}=none")),
                Some((j, l)) => {
                    out.push(format!(
                        "{name}.cue={}",
                        crate::features::cue_name(&page.cues[j])
                    ));
                    out.push(format!("{name}.prose={}", is_prose(l)));
                    out.push(format!("{name}.title={}", is_title_like(&l.text)));
                    out.push(format!("{name}.dated={}", l.date_prefix));
                    out.push(format!("{name}.same-block={}", l.block == line.block));
                }
            }
        }
        // Only furniture (phrase-table cues) between the previous candidate and this one.
        let after_cued = match k.checked_sub(1).map(|p| candidates[p]) {
            Some(p) => (p + 1..i).count() > 0,
            None => i > 0,
        };
        out.push(format!("after-cued={after_cued}"));
        out.push(format!("after-cued×title={after_cued}×{title}"));
        if first_prose.is_some() {
            let (hits, of) = overlap[k];
            let bucket = crate::stack::overlap_bucket(hits, of);
            out.push(format!("below={bucket}"));
            out.push(format!("below×title={bucket}×{title}"));
            out.push(format!("below-best={}", hits > 0 && hits == best_hits));
        }
        let mut hashed: Vec<u32> = out.iter().map(|s| hash(&format!("H:{s}"))).collect();
        hashed.extend(page.features[i].iter().copied());
        features.push(hashed);
    }
    let titles = candidates
        .iter()
        .filter(|&&i| is_title_like(&lines[i].text))
        .count();
    let none: Vec<String> = vec![
        "none".into(),
        format!("none.cands={}", n.min(6)),
        format!("none.titles={}", titles.min(6)),
        format!(
            "none.first-prose={}",
            first_prose.map_or("none".to_string(), |p| p.min(8).to_string())
        ),
        format!(
            "none.first-is-candidate-prose={}",
            candidates
                .first()
                .is_some_and(|&i| is_prose(&lines[i]) || lines[i].chars >= 120)
        ),
    ];
    features.push(none.iter().map(|s| hash(&format!("H:{s}"))).collect());
    Options {
        lines: candidates,
        features,
        barred,
    }
}

/// Whether a later paragraph of running text opens with line `i`'s words: line `i` is a copy of
/// that paragraph's start (a teaser or deck slot filled from the first paragraph), not a title.
fn opens_a_later_paragraph(lines: &[crate::features::Line], i: usize) -> bool {
    let text = lines[i].text.as_str();
    text.split_whitespace().count() >= 4
        && lines[i + 1..]
            .iter()
            .any(|l| l.text.len() > text.len() && l.text.starts_with(text) && is_prose(l))
}

/// "18:46 - 15. Spielminute", "22.28 Uhr: …": a line that opens with a clock time.
fn starts_with_clock(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && matches!(b.get(digits), Some(b':' | b'.'))
        && b.get(digits + 1).is_some_and(u8::is_ascii_digit)
        && b.get(digits + 2).is_some_and(u8::is_ascii_digit)
        && !b.get(digits + 3).is_some_and(u8::is_ascii_digit)
        && b.get(digits + 3) != Some(&b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::read_page;

    #[test]
    fn a_candidate_whose_words_the_article_uses_is_marked() {
        let text = "Neue Nachricht im Liveticker\n\nHafen legt neue Fähre in Dienst\n\n\
                    Die neue Fähre des Hafens fährt von Montag an zweimal täglich zur Insel hinüber, \
                    sagte der Sprecher des Hafens am Freitag.";
        let page = read_page(text);
        let opts = options(&page);
        // The first paragraph is a candidate too (a headline may end in a full stop).
        assert_eq!(opts.lines, vec![0, 1, 2]);
        let has = |k: usize, name: &str| opts.features[k].contains(&hash(&format!("H:{name}")));
        // The ticker notice shares no word with the article; the title does ("Fähre").
        assert!(has(0, "below=0") && has(0, "below-best=false"));
        assert!(has(1, "below=mid") && !has(1, "below=0"));
    }

    #[test]
    fn clock_times() {
        assert!(starts_with_clock("18:46 - 15. Spielminute"));
        assert!(starts_with_clock("22.28 Uhr: Bei einem Angriff"));
        assert!(!starts_with_clock("12.03.2024 Wahl"));
        assert!(!starts_with_clock("3 Los Angeles officers wounded"));
    }
}
