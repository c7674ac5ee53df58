//! The word knowledge of the stage, per language: cue verbs with all their forms, source markers,
//! stance verbs, Konjunktiv forms. Loaded once from the embedded data files.

use crate::wordlists::{parse_sections, DE, EN};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::OnceLock;

/// The compiled German morphology (see `compile.rs`; rebuilt by `dossier build attribution-lexicon`).
const DE_MORPH_GZ: &[u8] = include_bytes!("../data/de.morph.tsv.gz");

/// Which verb list a lemma comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbClass {
    /// Saying, reporting, denying: introduces a source.
    Cue,
    Planned,
    Hoped,
    /// `sollen`: reportative modal.
    Reportative,
}

/// One reading of a word form.
#[derive(Debug, Clone)]
pub struct VerbReading {
    pub lemma: String,
    pub class: VerbClass,
    /// Stance the verb lends to what it introduces (`denied`), if any.
    pub stance: Option<String>,
    /// The separable particle that must close the clause ("teilte … mit").
    pub particle: Option<String>,
}

/// Konjunktiv I or II.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Sub1,
    Sub2,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    pub verbs: HashMap<String, Vec<VerbReading>>,
    pub subjunctive: HashMap<String, Mood>,
    /// Multi-word markers before a source noun phrase, as lower-cased word sequences.
    pub source_before: Vec<Vec<String>>,
    pub source_after: HashSet<String>,
    pub information_nouns: HashSet<String>,
    pub anaphoric_sources: HashSet<String>,
    /// Nouns of a role or office that stand for a person ("Sprecher", "spokeswoman"): a speaker
    /// named by one alone is resolved to an entity named before.
    pub role_nouns: HashSet<String>,
    /// Separable verb particles ("mit" of "teilte … mit"): a cue of their own only with no verb
    /// before them.
    pub separable_particles: HashSet<String>,
    /// Indefinite articles: "ein Sprecher" speaks for an organisation named before, "der
    /// Minister" is a person named before.
    pub indefinite_articles: HashSet<String>,
    pub so_marker: HashSet<String>,
    pub as_marker: HashSet<String>,
    pub complementizers: HashSet<String>,
    pub person_pronouns: HashSet<String>,
    pub subject_pronouns: HashSet<String>,
    pub first_person: HashSet<String>,
    pub alleged_adverbs: HashSet<String>,
    pub conditional_words: HashSet<String>,
    pub determiners: HashSet<String>,
    pub leading_articles: HashSet<String>,
    pub np_conjunctions: HashSet<String>,
    pub speaker_stop: HashSet<String>,
    pub future_auxiliaries: HashSet<String>,
    /// Words that open a sentence continuing the one before (see `carry.rs`).
    pub continuation_starts: HashSet<String>,
    /// Demonstratives that, as the object opening a sentence with a speech verb, stand for the
    /// sentence before: "… . Das teilte die Polizei mit." (see `Analyzer::points_back`).
    pub demonstrative_messages: HashSet<String>,
    /// Lemmas listed in the data files that the morphology artifact has no forms for (stale build).
    pub missing_lemmas: Vec<String>,
}

/// The language whose word lists read a document of language `lang`: its own for `de` and `en`,
/// German when the language could not be told, and none for any other language (its speech verbs
/// are not ours to guess).
pub fn lexicon_language(lang: &str) -> Option<&'static str> {
    match lang {
        l if l.starts_with("en") => Some("en"),
        "de" | "und" | "" => Some("de"),
        l if l.starts_with("de") => Some("de"),
        _ => None,
    }
}

impl Lexicon {
    /// The lexicon for a language code (see [`lexicon_language`]); a language without word lists
    /// gets an empty one, so only what quotation marks show is found.
    pub fn for_language(lang: &str) -> &'static Lexicon {
        static DE_LEX: OnceLock<Lexicon> = OnceLock::new();
        static EN_LEX: OnceLock<Lexicon> = OnceLock::new();
        static NO_WORDS: OnceLock<Lexicon> = OnceLock::new();
        match lexicon_language(lang) {
            Some("en") => EN_LEX.get_or_init(|| Lexicon::english(EN)),
            Some(_) => DE_LEX.get_or_init(|| Lexicon::german(DE, DE_MORPH_GZ)),
            // No word lists: only quotations by their marks, without cue or speaker.
            None => NO_WORDS.get_or_init(Lexicon::default),
        }
    }

    fn common(sections: &HashMap<String, Vec<String>>) -> Lexicon {
        let set = |name: &str| -> HashSet<String> {
            sections
                .get(name)
                .map(|v| v.iter().map(|s| s.to_lowercase()).collect())
                .unwrap_or_default()
        };
        let mut source_before: Vec<Vec<String>> = sections
            .get("source_before")
            .map(|v| {
                v.iter()
                    .map(|s| s.split_whitespace().map(str::to_lowercase).collect())
                    .collect()
            })
            .unwrap_or_default();
        // Longest marker first, so "nach eigenen Angaben" wins over "nach".
        source_before.sort_by_key(|m: &Vec<String>| std::cmp::Reverse(m.len()));
        Lexicon {
            source_before,
            source_after: set("source_after"),
            information_nouns: set("information_nouns"),
            anaphoric_sources: set("anaphoric_sources"),
            demonstrative_messages: set("demonstrative_messages"),
            role_nouns: set("role_nouns"),
            separable_particles: set("particles"),
            indefinite_articles: set("indefinite_articles"),
            so_marker: set("so_marker"),
            as_marker: set("as_marker"),
            complementizers: set("complementizers"),
            person_pronouns: set("person_pronouns"),
            subject_pronouns: set("subject_pronouns"),
            first_person: set("first_person"),
            alleged_adverbs: set("alleged_adverbs"),
            conditional_words: set("conditional_words"),
            determiners: set("determiners"),
            leading_articles: set("leading_articles"),
            np_conjunctions: set("np_conjunctions"),
            speaker_stop: set("speaker_stop"),
            future_auxiliaries: set("future_auxiliaries"),
            continuation_starts: set("continuation_starts"),
            ..Default::default()
        }
    }

    fn verb_classes(sections: &HashMap<String, Vec<String>>) -> Vec<(VerbClass, &str)> {
        let _ = sections;
        vec![
            (VerbClass::Cue, "cue_verbs"),
            (VerbClass::Planned, "planned_verbs"),
            (VerbClass::Hoped, "hoped_verbs"),
            (VerbClass::Reportative, "reportative_verbs"),
        ]
    }

    pub(crate) fn german(lists: &str, morph_gz: &[u8]) -> Lexicon {
        let sections = parse_sections(lists);
        let mut lex = Lexicon::common(&sections);
        // lemma → (class, stance)
        let mut classes: HashMap<String, Vec<(VerbClass, Option<String>)>> = HashMap::new();
        for (class, name) in Lexicon::verb_classes(&sections) {
            for entry in sections.get(name).into_iter().flatten() {
                let mut cols = entry.split('\t').map(str::trim);
                let Some(lemma) = cols.next() else { continue };
                let stance = cols.next().filter(|s| !s.is_empty()).map(str::to_string);
                classes
                    .entry(lemma.to_string())
                    .or_default()
                    .push((class, stance));
            }
        }
        let mut text = String::new();
        if flate2::read::GzDecoder::new(morph_gz)
            .read_to_string(&mut text)
            .is_err()
        {
            text.clear();
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["S", form, mood] => {
                    let mood = if *mood == "II" {
                        Mood::Sub2
                    } else {
                        Mood::Sub1
                    };
                    lex.subjunctive.insert(form.to_string(), mood);
                }
                ["V", form, lemma, particle] => {
                    let Some(readings) = classes.get(*lemma) else {
                        continue;
                    };
                    seen.insert(lemma);
                    for (class, stance) in readings {
                        lex.verbs
                            .entry(form.to_string())
                            .or_default()
                            .push(VerbReading {
                                lemma: lemma.to_string(),
                                class: *class,
                                stance: stance.clone(),
                                particle: (!particle.is_empty()).then(|| particle.to_string()),
                            });
                    }
                }
                _ => {}
            }
        }
        let mut missing: Vec<String> = classes
            .keys()
            .filter(|l| !seen.contains(l.as_str()))
            .cloned()
            .collect();
        missing.sort();
        lex.missing_lemmas = missing;
        lex
    }

    pub(crate) fn english(lists: &str) -> Lexicon {
        let sections = parse_sections(lists);
        let mut lex = Lexicon::common(&sections);
        for (class, name) in Lexicon::verb_classes(&sections) {
            for entry in sections.get(name).into_iter().flatten() {
                let (forms, stance) = match entry.split_once('|') {
                    Some((f, s)) => (f, Some(s.trim().to_string())),
                    None => (entry.as_str(), None),
                };
                let mut words = forms.split_whitespace();
                let Some(lemma) = words.next() else { continue };
                for form in std::iter::once(lemma).chain(words) {
                    lex.verbs
                        .entry(form.to_lowercase())
                        .or_default()
                        .push(VerbReading {
                            lemma: lemma.to_string(),
                            class,
                            stance: stance.clone(),
                            particle: None,
                        });
                }
            }
        }
        lex
    }

    /// Readings of a lower-cased word form of the given class.
    pub fn readings(&self, lower: &str, class: VerbClass) -> impl Iterator<Item = &VerbReading> {
        self.verbs
            .get(lower)
            .into_iter()
            .flatten()
            .filter(move |r| r.class == class)
    }

    pub fn mood(&self, lower: &str) -> Option<Mood> {
        self.subjunctive.get(lower).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_artifact_covers_every_listed_lemma() {
        let lex = Lexicon::for_language("de");
        assert!(
            lex.missing_lemmas.is_empty(),
            "stale data/de.morph.tsv.gz, rebuild with `dossier build attribution-lexicon`: {:?}",
            lex.missing_lemmas
        );
        for form in [
            "sei", "seien", "habe", "werde", "könne", "käme", "hätte", "wäre",
        ] {
            assert!(
                lex.mood(form).is_some(),
                "{form} should be a Konjunktiv form"
            );
        }
        for form in ["eine", "lange", "sagte", "berichtet"] {
            assert!(lex.mood(form).is_none(), "{form} is not a Konjunktiv form");
        }
        assert!(lex.readings("berichtete", VerbClass::Cue).next().is_some());
        assert!(lex.readings("erklärt", VerbClass::Cue).next().is_some());
        assert!(lex
            .readings("teilte", VerbClass::Cue)
            .any(|r| r.particle.as_deref() == Some("mit")));
        assert!(lex
            .readings("bestritt", VerbClass::Cue)
            .any(|r| r.stance.as_deref() == Some("denied")));
        assert!(lex.readings("plant", VerbClass::Planned).next().is_some());
        assert!(lex.readings("hofft", VerbClass::Hoped).next().is_some());
    }

    #[test]
    fn english_lists_load() {
        let lex = Lexicon::for_language("en");
        assert!(lex.readings("said", VerbClass::Cue).next().is_some());
        assert!(lex
            .readings("denied", VerbClass::Cue)
            .any(|r| r.stance.as_deref() == Some("denied")));
        assert!(lex.source_before.iter().any(|m| m == &["according", "to"]));
    }
}
