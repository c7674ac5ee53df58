//! Places in a report of a language we have no tagger for: capitalised words, and runs of up to
//! [`MAX_WORDS`] of them, that the gazetteer knows by exactly that name.
//!
//! Without a tagger nothing tells a place from a person, or from a common word that happens to
//! name a village somewhere ("Premier", "Nous"). So only names of countries, continents, US
//! states, capitals and cities of [`MIN_POPULATION`] or more people are taken, never a derived
//! form (adjectives, genitives: those are German and English inflections), the first word of a
//! sentence only when it names a country, continent or capital, and every entity carries
//! [`CONFIDENCE`], below what a tagger's entity deserves.

use crate::gazetteer::{Form, Gazetteer, Kind};
use dossier_core::{Document, Entity, Mention};

/// The confidence of a place found by its name alone.
pub const CONFIDENCE: f32 = 0.5;
/// The smallest city taken by its name alone.
const MIN_POPULATION: u32 = 100_000;
/// The longest name tried, in words ("Rio de Janeiro" has a lower-case word and is not found).
const MAX_WORDS: usize = 3;

/// Place entities (`LOC`, with [`CONFIDENCE`]) of `doc`, from its tokens and sentences alone.
/// Their `geo` is filled later by [`crate::annotate`], like any place entity's.
pub fn places_by_name(g: &Gazetteer, doc: &Document) -> Vec<Entity> {
    let tokens: Vec<&str> = doc.tokens.iter().map(|&t| doc.slice(t)).collect();
    let sentence_starts: std::collections::HashSet<usize> =
        doc.sentences.iter().map(|s| s[0]).collect();
    // (place index, mentions) in order of first mention.
    let mut found: Vec<(u32, Vec<Mention>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((len, place)) = longest_name_at(g, doc, &tokens, i, &sentence_starts) else {
            i += 1;
            continue;
        };
        let elided = tokens[i][..elision_len(tokens[i])].chars().count();
        let span = [doc.tokens[i][0] + elided, doc.tokens[i + len - 1][1]];
        let mention = Mention {
            span,
            text: doc.slice(span).to_string(),
            kind: "name".into(),
        };
        match found.iter_mut().find(|(p, _)| *p == place) {
            Some((_, mentions)) => mentions.push(mention),
            None => found.push((place, vec![mention])),
        }
        i += len;
    }
    found
        .into_iter()
        .enumerate()
        .map(|(k, (_, mentions))| Entity {
            id: format!("E{}", k + 1),
            kind: "LOC".into(),
            name: mentions[0].text.clone(),
            mentions,
            geo: None,
            confidence: Some(CONFIDENCE),
        })
        .collect()
}

/// The longest run of capitalised tokens from `i` that names a place we take, with its length.
fn longest_name_at(
    g: &Gazetteer,
    doc: &Document,
    tokens: &[&str],
    i: usize,
    sentence_starts: &std::collections::HashSet<usize>,
) -> Option<(usize, u32)> {
    let sentence_initial = sentence_starts.contains(&doc.tokens[i][0]);
    let mut best = None;
    let mut name = String::new();
    for len in 1..=MAX_WORDS.min(tokens.len() - i) {
        let mut word = tokens[i + len - 1];
        if len == 1 {
            word = &word[elision_len(word)..];
        }
        if !is_capitalised(word) {
            break;
        }
        // A name's words stand one space apart; a line break or a comma ends it.
        if len > 1 && doc.tokens[i + len - 1][0] != doc.tokens[i + len - 2][1] + 1 {
            break;
        }
        if len > 1 {
            name.push(' ');
        }
        name.push_str(word);
        if let Some(place) = place_named(g, &name, sentence_initial && len == 1) {
            best = Some((len, place));
        }
    }
    best
}

/// The place a name denotes, if it is one we take (see the module doc).
fn place_named(g: &Gazetteer, name: &str, sentence_initial: bool) -> Option<u32> {
    g.lookup(name)
        .into_iter()
        .filter(|h| matches!(h.form, Form::Name | Form::Alternate))
        .filter(|h| {
            let p = g.place(h.place);
            match p.kind {
                Kind::Country | Kind::Continent | Kind::Capital => true,
                Kind::Region => !sentence_initial,
                Kind::City => !sentence_initial && p.population >= MIN_POPULATION,
            }
        })
        .max_by_key(|h| g.place(h.place).population)
        .map(|h| h.place)
}

/// An upper-case letter followed by lower-case ones, three letters at least ("Paris",
/// "Saint-Étienne"; not "ONU", not "La": two-letter words are articles and country codes).
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && word.chars().count() >= 3
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// The bytes of an elided article or preposition glued to the name after it ("l'", "d'", "dell'"
/// in "l'Allemagne", "d'Italia"): a lower-case letter run of at most four and an apostrophe,
/// followed by an upper-case letter.
fn elision_len(word: &str) -> usize {
    let Some(apostrophe) = word.find(['\'', '’']) else {
        return 0;
    };
    let (head, rest) = word.split_at(apostrophe);
    let rest = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
    let short_lower =
        (1..=4).contains(&head.chars().count()) && head.chars().all(char::is_lowercase);
    if short_lower && rest.chars().next().is_some_and(char::is_uppercase) {
        word.len() - rest.len()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalised_words_only() {
        assert!(is_capitalised("Paris"));
        assert!(is_capitalised("Saint-Étienne"));
        assert!(!is_capitalised("ONU"));
        assert!(!is_capitalised("paris"));
        assert!(!is_capitalised("l'Europe"));
        assert!(!is_capitalised("2024"));
        assert!(!is_capitalised("La"));
    }

    #[test]
    fn elided_articles_come_off() {
        assert_eq!(elision_len("l'Allemagne"), 2);
        assert_eq!(elision_len("dell’Italia"), "dell’".len());
        assert_eq!(elision_len("l'économie"), 0);
        assert_eq!(elision_len("O'Brien"), 0);
        assert_eq!(elision_len("Paris"), 0);
    }
}
