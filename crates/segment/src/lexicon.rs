//! Word lists that steer the period decisions, read from `data/<lang>.txt` once per process.

use std::collections::HashSet as StdHashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const DE: &str = include_str!("../data/de.txt");
const EN: &str = include_str!("../data/en.txt");

/// Inflection endings tried when an ordinal noun is looked up ("Breitengrad" + "s").
const ENDINGS: [&str; 8] = ["", "s", "es", "n", "en", "e", "er", "ern"];

/// FNV-1a: the keys are short words, looked up once per period; SipHash's DoS resistance buys
/// nothing for a fixed word list and costs a few percent of the scan.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type HashSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;

/// The word lists of one language (or of several, merged), see the header of `data/de.txt`.
#[derive(Debug, Default)]
pub struct Lexicon {
    abbreviations: HashSet<&'static str>,
    abbreviations_may_end: HashSet<&'static str>,
    months: HashSet<&'static str>,
    /// Every inflected form of the whole-word ordinal nouns.
    ordinal_noun_forms: HashSet<String>,
    /// Ordinal nouns that also end compounds ("tag" in "Verhandlungstag").
    ordinal_noun_ends: Vec<&'static str>,
    ordinal_determiners: HashSet<&'static str>,
    sentence_starters: HashSet<&'static str>,
}

impl Lexicon {
    fn parse(sources: &[&'static str]) -> Lexicon {
        let mut lex = Lexicon::default();
        for source in sources {
            let mut section = "";
            for line in source.lines() {
                let line = line.split('#').next().unwrap_or("").trim();
                if line.is_empty() {
                    continue;
                }
                if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    section = name;
                    continue;
                }
                match section {
                    "abbreviations" => {
                        lex.abbreviations.insert(line);
                    }
                    "abbreviations_may_end" => {
                        lex.abbreviations_may_end.insert(line);
                    }
                    "months" => {
                        lex.months.insert(line);
                    }
                    "ordinal_nouns" => match line.strip_prefix('-') {
                        Some(stem) => lex.ordinal_noun_ends.push(stem),
                        None => {
                            for ending in ENDINGS {
                                lex.ordinal_noun_forms.insert(format!("{line}{ending}"));
                            }
                        }
                    },
                    "ordinal_determiners" => {
                        lex.ordinal_determiners.insert(line);
                    }
                    "sentence_starters" => {
                        lex.sentence_starters.insert(line);
                    }
                    _ => {}
                }
            }
        }
        lex
    }

    /// The lexicon for an ISO 639-1 code; German and English merged for any other code, since
    /// the text may still quote names and abbreviations from either.
    pub fn for_language(lang: &str) -> &'static Lexicon {
        static DE_LEX: OnceLock<Lexicon> = OnceLock::new();
        static EN_LEX: OnceLock<Lexicon> = OnceLock::new();
        static ANY_LEX: OnceLock<Lexicon> = OnceLock::new();
        match lang {
            "de" => DE_LEX.get_or_init(|| Lexicon::parse(&[DE])),
            "en" => EN_LEX.get_or_init(|| Lexicon::parse(&[EN])),
            _ => ANY_LEX.get_or_init(|| Lexicon::parse(&[DE, EN])),
        }
    }

    /// `word` + "." is an abbreviation that never ends a sentence.
    pub fn is_abbreviation(&self, word: &str) -> bool {
        self.abbreviations.contains(word)
    }

    /// `word` + "." is an abbreviation that may end a sentence ("etc.", "Inc.").
    pub fn is_abbreviation_may_end(&self, word: &str) -> bool {
        self.abbreviations_may_end.contains(word)
    }

    pub fn is_month(&self, word: &str) -> bool {
        self.months.contains(word)
    }

    pub fn is_ordinal_determiner(&self, word: &str) -> bool {
        self.ordinal_determiners.contains(word)
    }

    pub fn is_sentence_starter(&self, word: &str) -> bool {
        self.sentence_starters.contains(word)
    }

    /// `word` is a noun that commonly follows an ordinal, allowing inflection endings and, for
    /// entries marked as compound ends, any first part. A hash lookup plus a few suffix
    /// comparisons, so that text full of "1. A" cannot slow the scan down.
    pub fn is_ordinal_noun(&self, word: &str) -> bool {
        if self.ordinal_noun_forms.contains(word) {
            return true;
        }
        for ending in ENDINGS {
            let Some(base) = word.strip_suffix(ending) else {
                continue;
            };
            for &noun in &self.ordinal_noun_ends {
                let tail = base
                    .len()
                    .checked_sub(noun.len())
                    .and_then(|start| base.get(start..));
                if tail.is_some_and(|tail| tail.eq_ignore_ascii_case(noun)) {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse_into_every_section() {
        let de = Lexicon::for_language("de");
        assert!(de.is_abbreviation("z.B"));
        assert!(de.is_abbreviation_may_end("usw"));
        assert!(de.is_month("Oktober"));
        assert!(de.is_ordinal_determiner("am"));
        assert!(de.is_sentence_starter("Die"));
        let en = Lexicon::for_language("en");
        assert!(en.is_abbreviation("Mrs"));
        assert!(!en.is_month("Oktober"));
        assert!(Lexicon::for_language("fr").is_abbreviation("Mrs"));
    }

    #[test]
    fn ordinal_nouns_match_inflections_and_compound_ends() {
        let de = Lexicon::for_language("de");
        assert!(de.is_ordinal_noun("Breitengrads"));
        assert!(de.is_ordinal_noun("Jahrestages"));
        assert!(de.is_ordinal_noun("Verhandlungstag"));
        assert!(de.is_ordinal_noun("Platz"));
        assert!(
            !de.is_ordinal_noun("Denkmal"),
            "Mal matches whole words only"
        );
        assert!(!de.is_ordinal_noun("Regierung"));
    }
}
