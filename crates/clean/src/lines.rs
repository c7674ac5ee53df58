//! The phrase-table cue of each line on its own (before the article's structure is known):
//! furniture phrases, buttons, crumbs, bylines, credits, captions with credits, dates, agencies.

use crate::agency::{agencies_named_in, is_sign_off, parse_agency_line_parts, AgencyLine};
use crate::dates::{find_dates, is_date_line, FoundDate};
use crate::features::{ends_sentence, word_count, Line};
use crate::rules::{rules, Phrase};
use regex::Regex;
use std::sync::OnceLock;

/// Lines longer than this are article text: no furniture rule looks at them (this also keeps the
/// cost linear on a 50 MB single-line input).
pub(crate) const MAX_RULE_LINE: usize = 500;

/// A byline: "Von Anna Muster und Max Beispiel", "By John Smith | Updated …", "Reporting by …".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Byline {
    pub authors: Vec<String>,
    pub agencies: Vec<String>,
    pub dates: Vec<FoundDate>,
}

/// What a line is on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// Article text, headline, kicker or something not recognised.
    Content,
    Furniture(String),
    Agency(AgencyLine),
    SignOff,
    Byline(Byline),
    Date(Vec<FoundDate>),
    Caption {
        text: String,
        credit: Option<String>,
    },
    /// A credit alone on its line ("Foto: dpa/Kay Nietfeld", "© Reuters").
    Credit(String),
    /// "Image caption": the next line is a caption.
    CaptionMarker,
    Teaser(String),
    Tail(String),
    Box(String),
    Copyright(String, Vec<String>),
}

/// Lower case, leading bullets and separators and trailing ":", "…", "." stripped: the form the
/// phrase tables are matched against.
pub(crate) fn norm(line: &str) -> String {
    let lower = line.to_lowercase();
    let t = lower.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '•' | '·' | '|' | '-' | '–' | '—' | '*' | '>' | '›' | '»' | '+'
            )
    });
    let t = t.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | ',' | '…' | '.' | '-' | '–' | '—' | '›' | '»' | '>' | '|'
            )
    });
    t.to_string()
}

/// Whether `s` starts with `phrase` as whole words.
fn starts_with_phrase(s: &str, phrase: &str) -> bool {
    s.starts_with(phrase)
        && s[phrase.len()..].chars().next().is_none_or(|c| {
            !(c.is_alphanumeric() || c == '-') || !phrase.ends_with(char::is_alphanumeric)
        })
}

fn first_match<'a>(s: &str, phrases: &'a [Phrase]) -> Option<&'a Phrase> {
    phrases.iter().find(|p| starts_with_phrase(s, &p.text))
}

/// Classifies one line on its own.
pub(crate) fn classify(line: &Line) -> Class {
    if line.chars > MAX_RULE_LINE {
        return Class::Content;
    }
    let r = rules();
    let text = line.text.as_str();
    if let Some(parts) = parse_agency_line_parts(text) {
        return Class::Agency(parts);
    }
    if is_sign_off(text) {
        return Class::SignOff;
    }
    let n = norm(text);
    if n.is_empty() {
        return Class::Furniture("page furniture: separator".into());
    }
    if let Some(reason) = r.lines.get(&n) {
        return Class::Furniture(reason.clone());
    }
    if r.caption_markers.contains(&n) {
        return Class::CaptionMarker;
    }
    if r.published.contains(&n) || r.updated.contains(&n) {
        // "Published" alone above its date on the next line.
        return Class::Furniture("page furniture: timestamp".into());
    }
    if line.chars <= 100 {
        let bare = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        if let Some(rest) = r.credit_lines.iter().find_map(|p| strip_prefix_ci(bare, p)) {
            let credit = rest.trim_start_matches([',', ':', ' ']);
            if credit_like(credit) {
                return Class::Credit(credit.to_string());
            }
        }
    }
    let header_like = |p: &Phrase| {
        let rest = n[p.text.len()..].trim_start();
        rest.is_empty()
            || rest.starts_with(':')
            || (text.trim_end().ends_with(':') && line.chars <= 60)
            || line.chars <= 40
    };
    if line.chars <= 160 {
        if let Some(p) = first_match(&n, &r.teasers).filter(|p| header_like(p)) {
            return Class::Teaser(p.reason.clone());
        }
        if let Some(p) = first_match(&n, &r.tails).filter(|p| header_like(p)) {
            return Class::Tail(p.reason.clone());
        }
    }
    if line.chars <= 120 {
        if let Some(reason) = button_line(&n) {
            return Class::Furniture(reason);
        }
    }
    if let Some(b) = parse_byline(text) {
        return Class::Byline(b);
    }
    if is_crumb(text) {
        return Class::Furniture("page furniture: breadcrumb navigation".into());
    }
    if line.chars <= 250 {
        if let Some(p) = first_match(&n, &r.boxes) {
            return Class::Box(p.reason.clone());
        }
        if let Some(p) = first_match(&n, &r.prefixes) {
            return Class::Furniture(p.reason.clone());
        }
    }
    if let Some((caption, credit)) = split_credit(text) {
        return if caption.is_empty() {
            Class::Credit(credit)
        } else {
            Class::Caption {
                text: caption,
                credit: Some(credit),
            }
        };
    }
    if line.chars <= 250 {
        if let Some(p) = r
            .copyrights
            .iter()
            .find(|p| starts_with_phrase(&n, &p.text) || (p.text.len() > 12 && n.contains(&p.text)))
        {
            return Class::Copyright(p.reason.clone(), agencies_named_in(text));
        }
    }
    if is_date_line(text) {
        return Class::Date(find_dates(text));
    }
    Class::Content
}

/// The reason when a line is made only of button phrases, counts and durations
/// ("Teilen Twittern WhatsApp E-Mail", "Kommentare (12)", "Artikel anhören • 4 Min").
fn button_line(n: &str) -> Option<String> {
    let words: Vec<&str> = n
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '•' | '·' | '|' | '/' | ',' | '(' | ')' | '[' | ']')
        })
        .filter(|w| !w.is_empty())
        .collect();
    let buttons = &rules().buttons;
    let mut reason: Option<&str> = None;
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if word.chars().all(|c| c.is_ascii_digit() || c == '.') {
            i += 1;
            // "4 Min", "12 comments": a count or duration belongs to the button next to it.
            if let Some(unit) = words.get(i) {
                if matches!(
                    *unit,
                    "min" | "min." | "minuten" | "minutes" | "mins" | "sek" | "sec"
                ) {
                    i += 1;
                }
            }
            continue;
        }
        let matched = buttons.iter().find_map(|p| {
            let len = p.text.split(' ').count();
            (words.len() >= i + len
                && p.text
                    .split(' ')
                    .zip(&words[i..i + len])
                    .all(|(a, b)| a == *b))
            .then_some((p, len))
        });
        match matched {
            Some((p, len)) => {
                reason.get_or_insert(p.reason.as_str());
                i += len;
            }
            None => return None,
        }
    }
    reason.map(str::to_string)
}

/// "Startseite > Politik > Ausland", "Home | World | Europe", "News › Welt".
fn is_crumb(line: &str) -> bool {
    if line.chars().count() > 150 || line.contains('«') {
        return false;
    }
    let seps = ['>', '›', '»', '|', '→'];
    let mut segments: Vec<&str> = line.split(seps).map(str::trim).collect();
    // "Scores | Upcoming | Results |": a trailing separator ends the trail.
    if segments.len() > 2 && segments.last().is_some_and(|s| s.is_empty()) {
        segments.pop();
    }
    // A crumb names a section: it has a letter ("19.09.2025 | 09:48" is a date line).
    let short = |s: &&str| {
        !s.is_empty()
            && s.chars().count() <= 40
            && word_count(s) <= 5
            && !ends_sentence(s)
            && s.chars().any(char::is_alphabetic)
    };
    let first_is_home = segments
        .first()
        .is_some_and(|s| rules().homes.contains(&s.to_lowercase()));
    // "Home | News | <the article's title>": a trail from the home item may end in the title.
    if first_is_home
        && segments.len() >= 3
        && segments[..segments.len() - 1].iter().all(short)
        && segments
            .last()
            .is_some_and(|s| !s.is_empty() && !ends_sentence(s))
    {
        return true;
    }
    if segments.len() >= 2 && segments.iter().all(short) {
        let only_pipes = !line.contains(['>', '›', '»', '→']);
        return !only_pipes
            || first_is_home
            || segments.len() >= 3
            || segments.iter().all(|s| word_count(s) <= 3);
    }
    // "Home / World / Europe": slashes only after a home item.
    let slashed: Vec<&str> = line.split('/').map(str::trim).collect();
    slashed.len() >= 2
        && slashed
            .first()
            .is_some_and(|s| rules().homes.contains(&s.to_lowercase()))
        && slashed.iter().all(short)
}

/// Parses a byline; `None` when the line is not one.
pub(crate) fn parse_byline(line: &str) -> Option<Byline> {
    if line.chars().count() > 200 {
        return None;
    }
    let r = rules();
    // "von Marvin Ziegele schließen": a button's text glued to the byline's end.
    let mut line = line.trim_end();
    while let Some((head, last)) = line.rsplit_once(' ') {
        let n = norm(last);
        let button = r.buttons.iter().any(|p| p.text == n)
            || r.lines
                .get(&n)
                .is_some_and(|reason| reason.contains("button"));
        if !button || head.split_whitespace().count() < 2 {
            break;
        }
        line = head.trim_end();
    }
    let mut out = Byline::default();
    let mut first = true;
    for segment in line.split(['|', '•', '·', ';']).map(str::trim) {
        if segment.is_empty() {
            continue;
        }
        if let Some(rest) = r.bylines.iter().find_map(|p| {
            byline_prefix(segment, p)
                .then(|| strip_prefix_ci(segment, p))
                .flatten()
        }) {
            let names = rest.trim_start_matches([':', ' ']);
            parse_names(names, &mut out)?;
        } else if r.byline_skips.iter().any(|p| byline_prefix(segment, p)) {
            // Editors and photographers are credited, but they are not the authors.
        } else if first {
            return None;
        } else if is_date_line(segment) {
            out.dates.extend(find_dates(segment));
        } else if word_count(segment) > 5 {
            return None;
        }
        first = false;
    }
    if out.authors.is_empty() && out.agencies.is_empty() {
        return None;
    }
    if line.trim_end().ends_with('.') && out.dates.is_empty() && !ends_with_initial(line) {
        return None;
    }
    Some(out)
}

/// Whether `segment` opens with `prefix` (case-insensitively, as whole words).
fn byline_prefix(segment: &str, prefix: &str) -> bool {
    strip_prefix_ci(segment, prefix)
        .is_some_and(|rest| prefix.ends_with(':') || rest.starts_with([' ', ':']))
}

/// `text` without a lower-case `prefix` matched case-insensitively at its start; offsets are
/// taken in `text` itself, since lower-casing may change byte lengths.
pub(crate) fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let mut lowered = head.chars().flat_map(char::to_lowercase);
    let same = prefix.chars().all(|p| lowered.next() == Some(p)) && lowered.next().is_none();
    same.then(|| &text[prefix.len()..])
}

fn ends_with_initial(line: &str) -> bool {
    line.split_whitespace()
        .last()
        .is_some_and(|w| w.chars().count() == 2 && w.starts_with(char::is_uppercase))
}

/// Splits "Anna Muster und Max Beispiel, Berlin" into names; `None` when a piece reads like
/// running text (so "Von Montag an gilt …" is no byline).
fn parse_names(names: &str, out: &mut Byline) -> Option<()> {
    let mut pieces = vec![names];
    for sep in [",", " und ", " and ", " & ", " sowie ", " with "] {
        pieces = pieces.iter().flat_map(|p| p.split(sep)).collect();
    }
    let table = &rules().agencies;
    for piece in pieces {
        let piece = piece.trim();
        let piece = match piece.find(" (") {
            Some(i) if piece.ends_with(')') => piece[..i].trim(),
            _ => piece,
        };
        if piece.is_empty() {
            continue;
        }
        if let Some(agency) = table.get(&piece.to_lowercase()) {
            push_unique(&mut out.agencies, agency.clone());
        } else if is_date_line(piece) {
            out.dates.extend(find_dates(piece));
        } else if let Some(name) = person_name(piece) {
            push_unique(&mut out.authors, name);
        } else if word_count(piece) == 1 && piece.starts_with(char::is_uppercase) {
            // A place or an outlet after the name ("Anna Muster, Moskau").
        } else {
            return None;
        }
    }
    Some(())
}

const NAME_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "du", "al", "el", "bin", "ibn", "la", "le", "zu",
    "ten", "ter", "y", "dos", "del",
];

/// A person's name: two to five words, capitalised (particles like "von" allowed), no digits.
/// Names printed in capitals are title-cased.
pub(crate) fn person_name(piece: &str) -> Option<String> {
    let words: Vec<&str> = piece.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || piece.chars().count() > 60 {
        return None;
    }
    let mut capitalised = 0;
    let mut out = Vec::with_capacity(words.len());
    for w in &words {
        if w.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        if w.starts_with(char::is_uppercase) {
            capitalised += 1;
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                out.push(title_case(w));
            } else {
                out.push((*w).to_string());
            }
        } else if NAME_PARTICLES.contains(&w.to_lowercase().as_str()) {
            out.push((*w).to_string());
        } else {
            return None;
        }
    }
    (capitalised >= 2).then(|| out.join(" "))
}

fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

pub(crate) fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// A caption line's text and credit: "… Foto: dpa/Kay Nietfeld", "… (Photo by X/Getty Images)",
/// "… © Reuters", "… REUTERS/Name", and a credit glued to the caption ("…begegnet.Reuters / Pool").
/// The caption text is empty when the line is a credit alone.
pub(crate) fn split_credit(line: &str) -> Option<(String, String)> {
    let d = &rules().dates;
    let finish = |caption: &str, credit: &str| -> Option<(String, String)> {
        let credit = credit.trim().trim_end_matches(')').trim();
        credit_like(credit).then(|| (caption.trim().to_string(), credit.to_string()))
    };
    if line.ends_with(')') {
        if let Some(c) = d.credit_paren.captures(line) {
            let whole = c.get(0)?;
            let inner = c.get(1)?.as_str();
            if inner.chars().count() <= 120 {
                return finish(&line[..whole.start()], &strip_credit_marker(inner));
            }
        }
    }
    if line.contains(':') {
        if let Some(c) = d.credit_tail.captures(line) {
            let credit = c.get(1)?;
            let caption = line[..credit.start()].trim_end_matches(['(', ' ']);
            return finish(caption, &strip_credit_marker(credit.as_str()));
        }
    }
    if let Some(i) = line.find('©') {
        let credit = &line[i + '©'.len_utf8()..];
        if credit.chars().count() <= 80 {
            return finish(&line[..i], credit);
        }
    }
    if line.contains('/') {
        if let Some(c) = agency_credit().captures(line) {
            let credit = c.get(1)?;
            let caption = &line[..credit.start()];
            if ends_sentence(caption) {
                return finish(caption, credit.as_str());
            }
        }
    }
    // A credit glued to the caption's last full stop: "…begegnet.Reuters / Pool".
    let (caption, credit) = glued_credit(line)?;
    if names_credit(credit) {
        return finish(caption, credit);
    }
    None
}

/// "Foto: dpa" → "dpa"; "Photo by X/Getty Images" → "X/Getty Images"; "AP Photo/X" stays.
fn strip_credit_marker(s: &str) -> String {
    let s = s.trim();
    for marker in &rules().credits {
        for form in [format!("{marker}s"), marker.clone()] {
            let Some(head) = s.get(..form.len()) else {
                continue;
            };
            if head.to_lowercase() != form {
                continue;
            }
            let rest = s[form.len()..].trim_start();
            if let Some(after) = rest.strip_prefix(':') {
                return after.trim().to_string();
            }
            for by in ["by ", "von "] {
                if let Some(after) = strip_prefix_ci(rest, by) {
                    return after.trim().to_string();
                }
            }
        }
    }
    s.to_string()
}

/// A credit is short and is not a sentence.
fn credit_like(credit: &str) -> bool {
    let chars = credit.chars().count();
    (2..=80).contains(&chars)
        && word_count(credit) <= 10
        && !credit.trim_end().ends_with(['.', '!', '?', ':', ','])
}

/// Whether a glued tail names a credit: a picture or news agency, a credit word, or a "/" list.
fn names_credit(credit: &str) -> bool {
    let r = rules();
    let lower = credit.to_lowercase();
    let first = lower.split(['/', ' ']).next().unwrap_or("");
    credit.contains('/')
        || r.agencies.contains_key(first)
        || r.photo_agencies.contains_key(first)
        || r.credits.contains(first)
}

fn agency_credit() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let r = rules();
        let mut names: Vec<&String> = r.agencies.keys().chain(r.photo_agencies.keys()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let alts: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
        Regex::new(&format!(
            r"(?i)(?:^|\s)((?:{})\s*/\s*[^/\s][^/]+(?:/[^/]+)?)$",
            alts.join("|")
        ))
        .unwrap_or_else(|e| panic!("bad agency credit pattern: {e}"))
    })
}

/// Splits "…begegnet.Reuters / Pool" after the last sentence mark that is glued to a capital
/// letter (a lower-case letter or digit before the mark, at least 15 characters of caption, at
/// most 60 of credit, no sentence mark in the credit).
fn glued_credit(line: &str) -> Option<(&str, &str)> {
    let mut prev: Option<char> = None;
    // Walk backwards over at most 61 characters of credit.
    for (taken, (i, c)) in line.char_indices().rev().enumerate() {
        if taken > 61 {
            return None;
        }
        let is_mark = matches!(c, '.' | '!' | '?' | '…' | '"' | '“' | '”' | ')');
        if is_mark && prev.is_some_and(char::is_uppercase) {
            let caption = &line[..i + c.len_utf8()];
            let before = line[..i].chars().next_back();
            let credit = &line[i + c.len_utf8()..];
            return (before.is_some_and(|b| b.is_lowercase() || b.is_ascii_digit())
                && caption.chars().count() >= 16)
                .then_some((caption, credit));
        }
        if matches!(c, '.' | '!' | '?') {
            return None;
        }
        prev = Some(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{normalise_whitespace, split_lines};

    fn class(s: &str) -> Class {
        classify(&Line::new(s.to_string(), 0))
    }

    #[test]
    fn whitespace_is_normalised_and_words_kept() {
        assert_eq!(
            normalise_whitespace("  Russland\u{a0}und\u{a0} Nord\u{ad}korea\t"),
            "Russland und Nordkorea"
        );
    }

    #[test]
    fn buttons_and_share_bars() {
        assert_eq!(
            class("  • Drucken"),
            Class::Furniture("page furniture: print button".into())
        );
        assert!(matches!(
            class("Teilen Twittern WhatsApp E-Mail"),
            Class::Furniture(_)
        ));
        assert!(matches!(class("Kommentare (12)"), Class::Tail(_)));
        assert!(matches!(class("12 comments"), Class::Furniture(_)));
        assert!(matches!(
            class("Artikel anhören • 4 Min"),
            Class::Furniture(_)
        ));
        assert_eq!(class("Drucken Sie das Formular aus."), Class::Content);
    }

    #[test]
    fn crumbs_notices_and_markers() {
        assert!(matches!(
            class("Startseite > Politik > Ausland"),
            Class::Furniture(_)
        ));
        assert!(matches!(class("Home | World"), Class::Furniture(_)));
        assert!(matches!(class("Anzeige"), Class::Furniture(_)));
        assert!(matches!(class("ADVERTISEMENT"), Class::Furniture(_)));
        assert!(matches!(
            class("Dieser Browser wird nicht mehr unterstützt"),
            Class::Furniture(_)
        ));
        assert!(matches!(
            class("Lesen Sie mehr zu diesen Themen:"),
            Class::Teaser(_)
        ));
        assert!(matches!(class("Mehr zum Thema"), Class::Teaser(_)));
        assert!(matches!(
            class("Related: Why prices rise"),
            Class::Teaser(_)
        ));
        assert_eq!(
            class("Zum Thema Migration sagte der Minister am Montag, es gebe keine Pläne."),
            Class::Content
        );
        assert!(matches!(class("Jetzt abonnieren"), Class::Box(_)));
    }

    #[test]
    fn bylines() {
        let b = parse_byline("Von Anna Muster und Max Beispiel").unwrap();
        assert_eq!(b.authors, vec!["Anna Muster", "Max Beispiel"]);
        let b = parse_byline("By JOHN SMITH | Updated 6:12 AM GMT, Thu May 16, 2024").unwrap();
        assert_eq!(b.authors, vec!["John Smith"]);
        assert_eq!(b.dates.len(), 1);
        let b = parse_byline("Autorin: Lena Graf, Moskau").unwrap();
        assert_eq!(b.authors, vec!["Lena Graf"]);
        let b = parse_byline("Reporting by Jane Doe; Editing by Tom Roe").unwrap();
        assert_eq!(b.authors, vec!["Jane Doe"]);
        assert!(parse_byline("Von Montag an gilt die neue Regel.").is_none());
        assert!(parse_byline("By the end of the year, prices rose.").is_none());
        assert!(parse_byline("Von Berlin").is_none());
    }

    #[test]
    fn captions_with_credits() {
        assert_eq!(
            split_credit("Scholz in Berlin. Foto: dpa/Kay Nietfeld"),
            Some(("Scholz in Berlin.".into(), "dpa/Kay Nietfeld".into()))
        );
        assert_eq!(
            split_credit("Officials meet on Monday. (Photo by Jane Roe/Getty Images)"),
            Some((
                "Officials meet on Monday.".into(),
                "Jane Roe/Getty Images".into()
            ))
        );
        assert_eq!(
            split_credit("Die Stadt am Abend (Bild: Keystone)"),
            Some(("Die Stadt am Abend".into(), "Keystone".into()))
        );
        assert_eq!(
            split_credit("Ein Bagger auf der Baustelle.Reuters / Pool"),
            Some((
                "Ein Bagger auf der Baustelle.".into(),
                "Reuters / Pool".into()
            ))
        );
        assert_eq!(
            split_credit("A man walks past a shop in Paris, France. REUTERS/Jean Dupont"),
            Some((
                "A man walks past a shop in Paris, France.".into(),
                "REUTERS/Jean Dupont".into()
            ))
        );
        assert_eq!(
            split_credit("Foto: dpa"),
            Some((String::new(), "dpa".into()))
        );
        assert_eq!(split_credit("Er sagte: Das ist gut."), None);
        assert_eq!(
            split_credit("Die Partei wächst.Die Umfrage zeigt es."),
            None
        );
    }

    #[test]
    fn caption_labels_and_credit_lines() {
        assert_eq!(class("Image caption,"), Class::CaptionMarker);
        assert_eq!(class("Bildunterschrift:"), Class::CaptionMarker);
        assert_eq!(
            class("Image source, Getty Images"),
            Class::Credit("Getty Images".into())
        );
        assert!(matches!(class("Published"), Class::Furniture(_)));
    }

    #[test]
    fn hard_wrapped_paragraphs_are_rejoined() {
        let text = "Titel\n\nDies ist ein langer Absatz, der an einer festen Spalte umbrochen\n\
                    wurde, wie es manche Textexporte tun. Die Zeilen enden alle etwa an\n\
                    derselben Stelle, und der Absatz geht in der nächsten Zeile weiter,\n\
                    bis er schließlich mit einer kurzen Zeile endet, wie hier zu sehen\n\
                    ist.\n\nZweiter Absatz mit einer Zeile, die ebenfalls recht lang wird und\nendet.";
        let lines = split_lines(text);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].text.contains("umbrochen wurde"));
    }

    #[test]
    fn hard_wrapped_lines_with_a_blank_line_after_each_are_rejoined() {
        let text = "Titel der Meldung\n\nDies ist ein langer Absatz, der an einer festen Spalte umbrochen\n\n\
                    wurde, wie es manche Textexporte tun. Die Zeilen enden alle etwa an\n\n\
                    derselben Stelle, und der Absatz geht in der nächsten Zeile weiter,\n\n\
                    bis er schließlich mit einer kurzen Zeile endet, wie hier zu sehen\n\n\
                    ist.\n\nZweiter Absatz mit einer Zeile, die ebenfalls recht lang wird und\n\nendet.";
        let lines = split_lines(text);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].text.contains("umbrochen wurde"));
        assert!(lines[1].text.ends_with("zu sehen ist."));
        // Short lines with blank lines between them stay apart.
        let short = split_lines("Eins\n\nZwei drei\n\nVier fünf sechs");
        assert_eq!(short.len(), 3);
    }

    #[test]
    fn a_wire_dateline_opens_a_paragraph_of_a_wrapped_dump() {
        let text = "Musterstadt – Altstadt: Radfahrer bei Unfall am Markt verletzt – Zeugen gesucht

                    Musterstadt (ots) – Am Montagmorgen ist ein Radfahrer an der Kreuzung am

                    Markt von einem abbiegenden Lieferwagen erfasst und leicht verletzt worden,

                    teilte die Polizei mit. Der Fahrer des Wagens hielt an und rief selbst den

                    Rettungsdienst, der den Mann zur Untersuchung in eine Klinik brachte. Die

                    Polizei sucht nun nach Zeugen, die den Unfall beobachtet haben und Angaben

                    zum Ablauf machen können.";
        let lines = split_lines(text);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].text.ends_with("Zeugen gesucht"));
        assert!(lines[1]
            .text
            .starts_with("Musterstadt (ots) – Am Montagmorgen"));
    }
}
