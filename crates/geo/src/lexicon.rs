//! Language data for resolution and distance checks, read from `data/<lang>.txt` and
//! `data/regions.tsv` (embedded), parsed once.

use crate::normalize::normalize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a hedge word bounds a stated number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hedge {
    /// No hedge: the number is meant as stated.
    Exact,
    /// "rund", "etwa", "about".
    Approx,
    /// "mehr als", "more than": a lower bound.
    Above,
    /// "knapp", "nearly": a little less than the number.
    Below,
    /// "weniger als", "less than": an upper bound.
    Under,
    /// "gut", "just over": a little more than the number.
    AboveApprox,
}

impl Hedge {
    pub fn name(self) -> &'static str {
        match self {
            Hedge::Exact => "exact",
            Hedge::Approx => "approx",
            Hedge::Above => "above",
            Hedge::Below => "below",
            Hedge::Under => "under",
            Hedge::AboveApprox => "above-approx",
        }
    }
}

/// The cues of one language. Multi-word entries are stored as word sequences of normalised
/// words.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub containment_after: Vec<Vec<String>>,
    pub articles: Vec<String>,
    pub units: Vec<(Vec<String>, f64)>,
    pub hedges: Vec<(Vec<String>, Hedge)>,
    pub distance_cues: Vec<Vec<String>>,
    pub great_circle_cues: Vec<Vec<String>>,
    pub pair_anaphora: Vec<Vec<String>>,
}

/// Normalises one word of a cue or of the text; punctuation tokens stay as they are.
pub fn norm_word(w: &str) -> String {
    let n = normalize(w);
    if n.is_empty() {
        w.trim().to_string()
    } else {
        n
    }
}

fn words_of(entry: &str) -> Vec<String> {
    entry.split_whitespace().map(norm_word).collect()
}

fn parse(text: &str) -> Lexicon {
    let mut lex = Lexicon::default();
    let mut section = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let mut cols = line.split('\t');
        let entry = cols.next().unwrap_or("").trim();
        let value = cols.next().unwrap_or("").trim();
        let words = words_of(entry);
        if words.is_empty() {
            continue;
        }
        match section.as_str() {
            "containment-after" => lex.containment_after.push(words),
            "articles" => lex.articles.extend(words),
            "units" => {
                if let Ok(km) = value.parse::<f64>() {
                    lex.units.push((words, km));
                }
            }
            "hedges" => {
                let hedge = match value {
                    "approx" => Hedge::Approx,
                    "above" => Hedge::Above,
                    "below" => Hedge::Below,
                    "under" => Hedge::Under,
                    "above-approx" => Hedge::AboveApprox,
                    _ => continue,
                };
                lex.hedges.push((words, hedge));
            }
            "distance-cues" => lex.distance_cues.push(words),
            "great-circle-cues" => lex.great_circle_cues.push(words),
            "pair-anaphora" => lex.pair_anaphora.push(words),
            _ => {}
        }
    }
    // Longest phrases first, so "mehr als" wins over a shorter entry sharing its start.
    lex.hedges.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    lex.units.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    lex.containment_after
        .sort_by_key(|w| std::cmp::Reverse(w.len()));
    lex
}

/// Whether the stage has word lists of its own for a language (context words, units, number
/// formats); without them it resolves places by their names only and checks no distances.
pub fn has_language(lang: &str) -> bool {
    matches!(lang, "de" | "en" | "und" | "")
}

/// The lexicon for a language code; English for anything but German.
pub fn lexicon(lang: &str) -> &'static Lexicon {
    static DE: OnceLock<Lexicon> = OnceLock::new();
    static EN: OnceLock<Lexicon> = OnceLock::new();
    if lang == "de" {
        DE.get_or_init(|| parse(include_str!("../data/de.txt")))
    } else {
        EN.get_or_init(|| parse(include_str!("../data/en.txt")))
    }
}

/// Regions that are not one point, by normalised name, with the countries they lie in.
pub fn regions() -> &'static HashMap<String, Vec<String>> {
    static REGIONS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    REGIONS.get_or_init(|| {
        include_str!("../data/regions.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (name, codes) = l.split_once('\t')?;
                let codes = codes
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| c.len() == 2)
                    .collect();
                Some((normalize(name), codes))
            })
            .collect()
    })
}

/// Whether `words[at..]` starts with `phrase`.
pub fn starts_with<S: AsRef<str>>(words: &[S], at: usize, phrase: &[String]) -> bool {
    words.len() >= at + phrase.len()
        && words[at..at + phrase.len()]
            .iter()
            .zip(phrase)
            .all(|(w, p)| w.as_ref() == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        let de = lexicon("de");
        assert!(de
            .units
            .iter()
            .any(|(w, k)| w == &["kilometer"] && *k == 1.0));
        assert!(de
            .hedges
            .iter()
            .any(|(w, h)| w == &["mehr", "als"] && *h == Hedge::Above));
        assert!(de.containment_after.iter().any(|w| w == &[","]));
        let en = lexicon("en");
        assert!(en.units.iter().any(|(w, _)| w == &["miles"]));
        assert_eq!(
            regions().get("koreanische halbinsel").map(Vec::len),
            Some(2)
        );
    }
}
