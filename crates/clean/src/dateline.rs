//! Wire datelines: the words that open a story with where (and when, and by whom) it was filed —
//! "KARACHI, Pakistan (AP) —", "MUNICH, May 7 (Reuters) -", "Berlin (dpa) -", "WIEN. –".
//!
//! They are part of the article's text but no part of its first sentence: the place is a place
//! mention, the agencies belong to `meta.agencies`, the date is evidence for the publication
//! date, and none of it may become the claim or the speaker of what follows. This runs on the
//! document after segmentation, so that every later stage can read `meta.dateline`.
//!
//! A paragraph opening counts as a dateline in three shapes only, each certain from its layout:
//! a parenthesis that names a known agency before the dash; an all-capitals place before the
//! dash; a place closed by a full stop before the dash ("WIEN. –", Austrian and Swiss papers).
//! "Berlin – Die Regierung …" without an agency stays text: a name and a dash open ordinary
//! sentences too.

use crate::agency::parse_agency_line;
use dossier_core::{Dateline, Document, TextSpan};
use regex::Regex;
use std::sync::OnceLock;

/// How many paragraphs after the headline may hold the dateline (kicker, lead, first body line).
const PARAGRAPHS: usize = 3;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?P<place>\p{Lu}[\p{L}'’.-]*(?:[ /]\p{Lu}[\p{L}'’.-]*){0,3})",
            r"(?:,\s+(?P<region>\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2}))?",
            r"(?:,\s+(?P<date>[^,()\n]{2,30}?))?",
            r"(?:\s*\((?P<agency>[^()\n]{2,40})\))?",
            r"(?P<sep>\s*[-–—]\s+|\.\s*[-–—]\s+|\s*:\s+)",
        ))
        .expect("valid dateline pattern")
    })
}

/// The dateline that opens one of the first paragraphs after the headline, if any.
pub fn find(doc: &Document) -> Option<Dateline> {
    let headline_end = doc
        .meta
        .headline
        .as_ref()
        .map_or(0, |h| doc.byte_range(h.span).end);
    let mut offset = 0;
    let mut seen = 0;
    for line in doc.text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end();
        if start < headline_end || body.trim().is_empty() {
            continue;
        }
        if seen == PARAGRAPHS {
            break;
        }
        seen += 1;
        if let Some(d) = read(doc, start, body) {
            return Some(d);
        }
    }
    None
}

/// A dateline at the start of `line` (which begins at byte `at` of the text).
fn read(doc: &Document, at: usize, line: &str) -> Option<Dateline> {
    let c = pattern().captures(line)?;
    let whole = c.get(0)?;
    // The story must go on after it.
    if line[whole.end()..].trim().chars().count() < 2 {
        return None;
    }
    let mut place = (c.name("place")?.start(), c.name("place")?.end());
    let sep = c.name("sep")?.as_str();
    // "WIEN. –": the full stop closes the place, unless it is an abbreviation's ("D.C.").
    let last_word = line[place.0..place.1].rsplit(' ').next().unwrap_or("");
    let stop_after_place = last_word.ends_with('.') && last_word.matches('.').count() == 1;
    if stop_after_place {
        place.1 -= 1;
    }
    let agencies = match c.name("agency") {
        Some(a) => parse_agency_line(a.as_str())?,
        None => Vec::new(),
    };
    let place_text = &line[place.0..place.1];
    let letters: Vec<char> = place_text.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    let dashed = sep.contains(['-', '–', '—']);
    let full_stop = stop_after_place || sep.trim_start().starts_with('.');
    let certain = !agencies.is_empty() || (dashed && (capitals || full_stop));
    if !certain {
        return None;
    }
    let span = |m: regex::Match| TextSpan {
        text: m.as_str().to_string(),
        span: doc.span_of_bytes(at + m.start(), at + m.end()),
    };
    // A comma part without a digit is a region ("Pakistan"), not a date.
    let date = c
        .name("date")
        .filter(|d| d.as_str().chars().any(|c| c.is_ascii_digit()))
        .map(span);
    Some(Dateline {
        span: doc.span_of_bytes(at + whole.start(), at + whole.end()),
        place: TextSpan {
            text: place_text.to_string(),
            span: doc.span_of_bytes(at + place.0, at + place.1),
        },
        date,
        agencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::{Article, Source};

    fn doc(text: &str) -> Document {
        let source = Source {
            name: "-".into(),
            format: "text".into(),
            bytes: text.len(),
            encoding: None,
            url: None,
        };
        let mut d = Document::from_article(
            "t".into(),
            source,
            Article {
                paragraphs: text.lines().map(String::from).collect(),
                ..Default::default()
            },
        );
        d.language = "en".into();
        d
    }

    fn place(text: &str) -> Option<String> {
        find(&doc(text)).map(|d| d.place.text)
    }

    #[test]
    fn reads_the_three_certain_shapes() {
        let d = find(&doc(
            "QUETTA, Pakistan (AP) — Heavy rain flooded the town on Monday.",
        ))
        .unwrap();
        assert_eq!(d.place.text, "QUETTA");
        assert_eq!(d.agencies, vec!["AP"]);
        assert!(d.date.is_none());
        let d = find(&doc("LYON, June 3 (Reuters) - The firm cut jobs.")).unwrap();
        assert_eq!(d.place.text, "LYON");
        assert_eq!(d.date.unwrap().text, "June 3");
        assert_eq!(place("Graz (APA) - Der Landtag tagt."), Some("Graz".into()));
        assert_eq!(place("LINZ. – Der Stadtrat tagt."), Some("LINZ".into()));
        assert_eq!(place("Linz. – Der Stadtrat tagt."), Some("Linz".into()));
        assert_eq!(place("OSLO — The talks resumed."), Some("OSLO".into()));
    }

    #[test]
    fn ordinary_openings_are_no_datelines() {
        assert_eq!(place("Berlin – Die Regierung plant eine Reform."), None);
        assert_eq!(place("Die Regierung (rund 20 Minister) - tagt."), None);
        assert_eq!(place("Er sagte: Das reicht."), None);
        assert_eq!(place("OSLO (kurz) — The talks resumed."), None);
        assert_eq!(place("LINZ. –"), None);
    }

    #[test]
    fn the_span_covers_the_dash() {
        let doc = doc("Head\nROME (AFP) — The vote failed.");
        let d = find(&doc).unwrap();
        assert_eq!(doc.slice(d.span), "ROME (AFP) — ");
        assert_eq!(doc.slice(d.place.span), "ROME");
    }
}
