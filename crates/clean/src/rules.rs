//! The phrase tables of `data/*.txt`, parsed once and merged over all languages.
//!
//! Cleaning runs before language identification, and page furniture of one language often shows
//! up on pages of another ("Share" on a German site), so the tables of every language are merged.

use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TABLES: &[(&str, &str)] = &[
    ("de", include_str!("../data/de.txt")),
    ("en", include_str!("../data/en.txt")),
];
const AGENCIES: &str = include_str!("../data/agencies.txt");

/// A phrase and the reason a line that matches it is furniture.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub(crate) struct Rules {
    /// Button phrases, longest first, so that "artikel teilen" wins over "teilen".
    pub buttons: Vec<Phrase>,
    pub lines: HashMap<String, String>,
    pub prefixes: Vec<Phrase>,
    pub boxes: Vec<Phrase>,
    pub teasers: Vec<Phrase>,
    pub tails: Vec<Phrase>,
    pub copyrights: Vec<Phrase>,
    /// Byline prefixes (lower case), longest first.
    pub bylines: Vec<String>,
    pub byline_skips: Vec<String>,
    pub published: Vec<String>,
    pub updated: Vec<String>,
    pub datewords: HashSet<String>,
    /// Weekday names and abbreviations (also date words).
    pub weekdays: HashSet<String>,
    pub credits: HashSet<String>,
    pub homes: HashSet<String>,
    /// Prefixes of a line that is a credit alone ("Image source, Getty Images").
    pub credit_lines: Vec<String>,
    /// Lines that announce that the next line is a caption ("Image caption").
    pub caption_markers: HashSet<String>,
    /// Section words glued in front of a headline, lower case, longest first.
    pub kickers: Vec<String>,
    /// Words that close a glued kicker as the last part of a compound ("Ukraine-News"), lower
    /// case; with `true`, before a colon too ("… News aktuell:").
    pub kicker_heads: HashMap<String, bool>,
    /// Articles, prepositions and conjunctions, lower case.
    pub function_words: HashSet<String>,
    /// Lower-case agency alias → canonical name.
    pub agencies: HashMap<String, String>,
    /// Lower-case picture-agency alias → canonical name.
    pub photo_agencies: HashMap<String, String>,
    pub dates: DatePatterns,
}

/// Regular expressions for dates and times, built from the month tables.
#[derive(Debug)]
pub(crate) struct DatePatterns {
    pub months: HashMap<String, u32>,
    /// `5.9.2023`, `05.09.23`.
    pub numeric: Regex,
    /// `2023-09-05`.
    pub iso: Regex,
    /// `5. September 2023`, `16 May 2024`.
    pub day_month: Regex,
    /// `September 5, 2023`, `Sept. 5 2023`.
    pub month_day: Regex,
    /// `14:32`, `6:12 AM`, `4 p.m.`.
    pub time: Regex,
    /// Closing caption credit: `… Foto: dpa/Name`, `… (Photo by X/Getty Images)`, `… © X`.
    pub credit_tail: Regex,
    pub credit_paren: Regex,
}

impl Default for DatePatterns {
    /// Placeholders that match nothing; `load` replaces them.
    fn default() -> Self {
        let never = || Regex::new(r"[^\s\S]").unwrap_or_else(|e| panic!("{e}"));
        DatePatterns {
            months: HashMap::new(),
            numeric: never(),
            iso: never(),
            day_month: never(),
            month_day: never(),
            time: never(),
            credit_tail: never(),
            credit_paren: never(),
        }
    }
}

pub(crate) fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(load)
}

fn load() -> Rules {
    let mut r = Rules::default();
    let mut months = HashMap::new();
    for (_lang, table) in TABLES {
        for (kind, phrase, value) in entries(table) {
            let phrase_entry = Phrase {
                text: phrase.clone(),
                reason: value.clone(),
            };
            match kind.as_str() {
                "button" => r.buttons.push(phrase_entry),
                "line" => {
                    r.lines.insert(phrase, value);
                }
                "prefix" => r.prefixes.push(phrase_entry),
                "box" => r.boxes.push(phrase_entry),
                "teaser" => r.teasers.push(phrase_entry),
                "tail" => r.tails.push(phrase_entry),
                "copyright" => r.copyrights.push(phrase_entry),
                "byline" => r.bylines.push(phrase),
                "byline-skip" => r.byline_skips.push(phrase),
                "published" => r.published.push(phrase),
                "updated" => r.updated.push(phrase),
                "dateword" => {
                    r.datewords.insert(phrase);
                }
                "weekday" => {
                    r.datewords.insert(phrase.clone());
                    r.weekdays.insert(phrase);
                }
                "month" => {
                    if let Ok(n) = value.parse::<u32>() {
                        months.insert(phrase, n);
                    }
                }
                "credit" => {
                    r.credits.insert(phrase);
                }
                "home" => {
                    r.homes.insert(phrase);
                }
                "credit-line" => r.credit_lines.push(phrase),
                "kicker" => r.kickers.push(phrase),
                "kicker-head" => {
                    r.kicker_heads.insert(phrase, value == "colon");
                }
                "function-word" => {
                    r.function_words.insert(phrase);
                }
                "caption-marker" => {
                    r.caption_markers.insert(phrase);
                }
                _ => {}
            }
        }
    }
    for (kind, alias, canonical) in entries(AGENCIES) {
        match kind.as_str() {
            "agency" => {
                r.agencies.insert(alias, canonical);
            }
            "photo" => {
                r.photo_agencies.insert(alias, canonical);
            }
            _ => {}
        }
    }
    // Labels may stand in a date line too.
    for label in r.published.iter().chain(&r.updated) {
        for word in label.split(' ') {
            r.datewords.insert(word.to_string());
        }
    }
    let by_length = |a: &Phrase, b: &Phrase| b.text.len().cmp(&a.text.len());
    r.buttons.sort_by(by_length);
    r.prefixes.sort_by(by_length);
    r.bylines.sort_by_key(|b| std::cmp::Reverse(b.len()));
    r.byline_skips.sort_by_key(|b| std::cmp::Reverse(b.len()));
    r.kickers.sort_by_key(|b| std::cmp::Reverse(b.len()));
    r.dates = build_date_patterns(&months, &r.credits);
    r.dates.months = months;
    r
}

/// `kind | phrase | value` rows of a table; `#` starts a comment line.
fn entries(table: &str) -> impl Iterator<Item = (String, String, String)> + '_ {
    table.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut cols = line.splitn(3, '|').map(str::trim);
        let kind = cols.next()?.to_string();
        let phrase = cols.next()?.to_lowercase();
        let value = cols.next().unwrap_or("").to_string();
        (!phrase.is_empty()).then_some((kind, phrase, value))
    })
}

fn alternation<'a>(words: impl Iterator<Item = &'a String>) -> String {
    let mut words: Vec<&String> = words.collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    if alts.is_empty() {
        // A pattern that matches nothing.
        "[^\\s\\S]".to_string()
    } else {
        alts.join("|")
    }
}

fn build_date_patterns(months: &HashMap<String, u32>, credits: &HashSet<String>) -> DatePatterns {
    let month = alternation(months.keys());
    let credit = alternation(credits.iter());
    let compile =
        |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("bad built-in pattern {p}: {e}"));
    DatePatterns {
        months: HashMap::new(),
        numeric: compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b"),
        iso: compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        day_month: compile(&format!(
            r"(?i)\b(\d{{1,2}})(?:\.|st|nd|rd|th)?\s+({month})\.?,?\s+(\d{{4}})\b"
        )),
        month_day: compile(&format!(
            r"(?i)\b({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
        )),
        time: compile(
            r"(?i)\b\d{1,2}(?:[:.]\d{2})?\s?(?:[ap]\.?m\.?)(?:\W|$)|\b\d{1,2}[:.]\d{2}\b",
        ),
        // Unbounded repetitions (lengths are checked in code): a bounded repetition of a
        // Unicode class multiplies the automaton and costs milliseconds to compile.
        credit_tail: compile(&format!(
            r#"(?i)(?:^|[\s.!?…)\]"“”„])\(?((?:{credit})s?\s*:\s*[^:()]+?)\)?$"#
        )),
        credit_paren: compile(&format!(r"(?i)\(([^()]*\b(?:{credit})s?\b[^()]+)\)$")),
    }
}
