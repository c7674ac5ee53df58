//! Language identification: which language a report is written in, as an ISO 639-1 code.
//!
//! The pipeline handles German and English; every other language only needs a correct label
//! (and `und` when the text is too short or unclear). The decision runs on the first
//! [`SAMPLE_BYTES`] of the text, in three steps:
//!
//! 1. Writing system. Letters are counted per script; when a non-Latin script holds most of
//!    them, the script's main language is the answer (`data/scripts.txt`: Cyrillic → ru,
//!    Arabic → ar, Han → zh, kana → ja, ...), refined by letters that single out a sibling
//!    language (Ukrainian і/ї/є/ґ, Persian ی/ک/پ, Serbian ј/љ/њ).
//! 2. Function words. For Latin script, each word is looked up in short lists of the most
//!    frequent function words of 18 languages (`data/stopwords.txt`), plus a few telltale
//!    letters (`data/letters.txt`: ß, ñ, ł, ...). The language with the most hits wins when it
//!    has enough of them.
//! 3. lingua, restricted to German and English, settles German against English when the
//!    function words leave it open (short headlines, mixed quotes) — lingua alone cannot be
//!    asked first, because with two languages loaded it calls every text German or English.
//!
//! Accuracy (see the crate tests and the README of the report): German and English are
//! recognised from a sentence on; the other Latin-script languages are best effort (Danish and
//! Norwegian, Czech and Slovak, Spanish and Portuguese on very short texts get confused);
//! scripts map to their majority language unless marker letters name a sibling (Belarusian is
//! reported as `uk` or `ru`, Kazakh as `ru`).

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::collections::HashMap;
use std::sync::OnceLock;

/// How much of a text is looked at: enough for a reliable decision, small enough for
/// microseconds per article.
pub const SAMPLE_BYTES: usize = 4096;

/// The answer when the language cannot be told.
pub const UNDETERMINED: &str = "und";

/// Fewer letters than this, and the text is `und`.
const MIN_LETTERS: usize = 12;

/// Latin-script words needed before function words are trusted.
const MIN_WORDS: usize = 3;

/// Stopword hits the winning Latin-script language needs (telltale letters count a quarter).
const MIN_HITS: f32 = 1.0;

/// What a letter found by [`LETTERS`] adds to a language's score.
const LETTER_WEIGHT: f32 = 0.25;

const STOPWORDS: &str = include_str!("../data/stopwords.txt");
const LETTERS: &str = include_str!("../data/letters.txt");
const SCRIPTS: &str = include_str!("../data/scripts.txt");

/// A decision with the evidence behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code, or `und`.
    pub lang: &'static str,
    /// How the decision was made: `script`, `stopwords`, `lingua` or `too-short`.
    pub method: &'static str,
    /// Share of the evidence for the winner, 0..1 (a rough figure, not a probability).
    pub confidence: f32,
}

/// ISO 639-1 code of the language of `text`, or `und` when unknown.
pub fn detect(text: &str) -> String {
    detect_detailed(text).lang.to_string()
}

/// Like [`detect`], with the method and a confidence.
pub fn detect_detailed(text: &str) -> Detection {
    let sample = sample(text);
    let tables = Tables::get();

    // Step 1: writing systems.
    let mut latin = 0usize;
    let mut script_counts: Vec<usize> = vec![0; tables.scripts.len()];
    let mut total = 0usize;
    for c in sample.chars() {
        if !c.is_alphabetic() {
            continue;
        }
        total += 1;
        if (c as u32) < 0x250 || ('\u{1e00}'..='\u{1eff}').contains(&c) {
            latin += 1;
        } else if let Some(i) = tables.script_of(c) {
            script_counts[i] += 1;
        }
    }
    if total < MIN_LETTERS {
        return Detection {
            lang: UNDETERMINED,
            method: "too-short",
            confidence: 0.0,
        };
    }
    if latin * 2 < total {
        return by_script(sample, tables, &script_counts, total);
    }

    // Step 2: function words and telltale letters.
    let mut scores = vec![0f32; tables.langs.len()];
    let mut words = 0usize;
    let mut lower = String::new();
    for word in sample
        // Apostrophes stay inside words, so "it’s" is not counted as a Czech "s".
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
    {
        words += 1;
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if let Some(langs) = tables.stopwords.get(lower.as_str()) {
            for &l in langs {
                scores[l] += 1.0;
            }
        }
    }
    for c in sample.chars().filter(|c| !c.is_ascii()) {
        if let Some(langs) = tables.letters.get(&c) {
            for &l in langs {
                scores[l] += LETTER_WEIGHT;
            }
        }
    }
    if words < MIN_WORDS {
        return Detection {
            lang: UNDETERMINED,
            method: "too-short",
            confidence: 0.0,
        };
    }
    let de = tables.index("de");
    let en = tables.index("en");
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (best, second) = (order[0], order[1]);
    let sum: f32 = scores.iter().sum();
    if scores[best] < MIN_HITS {
        // No function word at all: a list of names, a headline. Only lingua can still tell
        // German from English, and it should be sure.
        return match by_lingua(sample) {
            Some((lang, p)) if p >= 0.9 && words >= 4 => Detection {
                lang,
                method: "lingua",
                confidence: p * 0.5,
            },
            _ => Detection {
                lang: UNDETERMINED,
                method: "stopwords",
                confidence: 0.0,
            },
        };
    }
    let is_de_en = |l: usize| Some(l) == de || Some(l) == en;
    if is_de_en(best) {
        let (d, e) = (de.map_or(0.0, |i| scores[i]), en.map_or(0.0, |i| scores[i]));
        let other_best = order
            .iter()
            .copied()
            .find(|&l| !is_de_en(l))
            .map_or(0.0, |l| scores[l]);
        let clear = d.max(e) >= 2.0 * d.min(e) && d.max(e) >= 3.0;
        if !clear && d.max(e) >= other_best {
            if let Some((lang, p)) = by_lingua(sample) {
                return Detection {
                    lang,
                    method: "lingua",
                    confidence: p * d.max(e) / sum.max(1.0),
                };
            }
        }
    }
    if scores[best] == scores[second] {
        return Detection {
            lang: UNDETERMINED,
            method: "stopwords",
            confidence: 0.0,
        };
    }
    Detection {
        lang: tables.langs[best],
        method: "stopwords",
        confidence: scores[best] / sum.max(1.0),
    }
}

/// The first [`SAMPLE_BYTES`] of `text`, cut at a character boundary.
fn sample(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let mut end = SAMPLE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn by_script(sample: &str, tables: &Tables, counts: &[usize], total: usize) -> Detection {
    // Sum the ranges per language (Han has two ranges, Hangul two).
    let mut per_lang: Vec<(&'static str, usize)> = Vec::new();
    for (i, &n) in counts.iter().enumerate() {
        let lang = tables.scripts[i].2;
        match per_lang.iter_mut().find(|(l, _)| *l == lang) {
            Some(entry) => entry.1 += n,
            None => per_lang.push((lang, n)),
        }
    }
    let count = |lang: &str| per_lang.iter().find(|(l, _)| *l == lang).map_or(0, |e| e.1);
    let Some(&(mut lang, mut n)) = per_lang.iter().max_by_key(|(_, n)| *n) else {
        return Detection {
            lang: UNDETERMINED,
            method: "script",
            confidence: 0.0,
        };
    };
    // Japanese mixes Han with kana; Chinese has no kana.
    if lang == "zh" && count("ja") * 10 >= n + count("ja") {
        lang = "ja";
        n += count("zh");
    }
    for (script_lang, marked, letters) in &tables.markers {
        if *script_lang != lang {
            continue;
        }
        let hits = sample.chars().filter(|c| letters.contains(c)).count();
        // The marker letters occur in the main language too, but rarely.
        if hits >= 2 && hits * 200 >= n {
            lang = marked;
            break;
        }
    }
    Detection {
        lang,
        method: "script",
        confidence: n as f32 / total as f32,
    }
}

/// German or English according to lingua, with lingua's confidence for it.
fn by_lingua(sample: &str) -> Option<(&'static str, f32)> {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        LanguageDetectorBuilder::from_languages(&[Language::German, Language::English]).build()
    });
    // A kilobyte is plenty for two languages and keeps lingua in the sub-millisecond range.
    let short = &sample[..floor_boundary(sample, 1024)];
    let p_de = detector.compute_language_confidence(short, Language::German) as f32;
    let p_en = detector.compute_language_confidence(short, Language::English) as f32;
    if p_de == 0.0 && p_en == 0.0 {
        return None;
    }
    Some(if p_de >= p_en {
        ("de", p_de)
    } else {
        ("en", p_en)
    })
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The data files, parsed once.
struct Tables {
    langs: Vec<&'static str>,
    stopwords: HashMap<&'static str, Vec<usize>>,
    letters: HashMap<char, Vec<usize>>,
    /// `(first, last, language)`.
    scripts: Vec<(u32, u32, &'static str)>,
    /// `(language of the script, language it marks, letters)`.
    markers: Vec<(&'static str, &'static str, Vec<char>)>,
}

impl Tables {
    fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::parse)
    }

    fn parse() -> Tables {
        let mut t = Tables {
            langs: Vec::new(),
            stopwords: HashMap::new(),
            letters: HashMap::new(),
            scripts: Vec::new(),
            markers: Vec::new(),
        };
        for line in data_lines(STOPWORDS) {
            let mut fields = line.split_whitespace();
            let Some(lang) = fields.next() else { continue };
            let l = t.intern(lang);
            for word in fields {
                let entry = t.stopwords.entry(word).or_default();
                if !entry.contains(&l) {
                    entry.push(l);
                }
            }
        }
        for line in data_lines(LETTERS) {
            let mut fields = line.split_whitespace();
            let (Some(lang), Some(letters)) = (fields.next(), fields.next()) else {
                continue;
            };
            let l = t.intern(lang);
            for c in letters.chars() {
                t.letters.entry(c).or_default().push(l);
            }
        }
        for line in data_lines(SCRIPTS) {
            let fields: Vec<&'static str> = line.split_whitespace().collect();
            match fields.as_slice() {
                ["marker", script_lang, lang, letters] => {
                    t.markers
                        .push((script_lang, lang, letters.chars().collect()));
                }
                [first, last, lang] => {
                    if let (Ok(a), Ok(b)) = (
                        u32::from_str_radix(first, 16),
                        u32::from_str_radix(last, 16),
                    ) {
                        t.scripts.push((a, b, lang));
                    }
                }
                _ => {}
            }
        }
        t
    }

    fn intern(&mut self, lang: &'static str) -> usize {
        match self.langs.iter().position(|&l| l == lang) {
            Some(i) => i,
            None => {
                self.langs.push(lang);
                self.langs.len() - 1
            }
        }
    }

    fn index(&self, lang: &str) -> Option<usize> {
        self.langs.iter().position(|&l| l == lang)
    }

    fn script_of(&self, c: char) -> Option<usize> {
        let c = c as u32;
        self.scripts.iter().position(|&(a, b, _)| a <= c && c <= b)
    }
}

/// Lines of a data file without comments and blanks.
fn data_lines(source: &'static str) -> impl Iterator<Item = &'static str> {
    source
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests;
