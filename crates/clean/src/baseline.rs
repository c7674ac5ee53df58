//! The rules-only cleaner as it shipped before the line classifier: every line classified on its
//! own by the phrase tables, then one walk over the page that reads the article's structure.
//! Kept as the baseline that `dossier eval clean` reports beside the trained cleaner.

use crate::agency::{self, AgencyLine};
use crate::dates::{DateLabel, FoundDate};
use crate::features::{
    ends_full_stop, ends_sentence, is_title_like, split_lines, word_count, Line,
};
use crate::lines::{classify, push_unique, Class};
use dossier_core::{Article, Caption, Removed};
use std::collections::HashSet;

/// How many paragraphs of running text must come before a closing agency line or an
/// end-of-article marker counts as the end of the article (a lead alone is not an article yet).
const BODY_BEFORE_END: usize = 2;

/// Turns a plain-text page dump into the article a reader would read.
pub fn clean(text: &str) -> Article {
    let lines = split_lines(text);
    let mut classes: Vec<Class> = lines.iter().map(classify).collect();
    merge_captions(&lines, &mut classes);
    let mut state = Assembly::default();
    state.walk(&lines, &classes);
    state.finish()
}

/// A line of article text kept by the walk, before headline and lead are chosen.
#[derive(Debug, Clone)]
struct Unit {
    text: String,
}

#[derive(Debug, Default)]
struct Assembly {
    units: Vec<Unit>,
    article: Article,
    /// Dates stated above the body, with the line that states them.
    dates: Vec<(FoundDate, String)>,
}

impl Assembly {
    fn remove(&mut self, text: &str, reason: impl Into<String>) {
        self.article.removed.push(Removed::new(text, reason));
    }

    fn add_agencies(&mut self, agencies: &[String]) {
        for a in agencies {
            push_unique(&mut self.article.agencies, a.clone());
        }
    }

    fn walk(&mut self, lines: &[Line], classes: &[Class]) {
        let mut running_text = 0usize;
        // Set once the article has ended: the reason given to every later line, and whether
        // credits (agency lines, bylines) may still follow.
        let mut tail: Option<(String, bool)> = None;
        let mut teaser: Option<String> = None;
        let mut open_box: Option<(String, usize, usize)> = None;
        for (i, (line, class)) in lines.iter().zip(classes).enumerate() {
            let text = line.text.as_str();
            if let Some((reason, credits_open)) = &mut tail {
                let reason = reason.clone();
                match class {
                    Class::Agency(a) if *credits_open => {
                        self.add_agencies(&a.agencies);
                        self.remove(text, agency_reason(a));
                    }
                    Class::Byline(b) if *credits_open => {
                        for a in &b.authors {
                            push_unique(&mut self.article.authors, a.clone());
                        }
                        self.add_agencies(&b.agencies);
                        self.remove(text, "byline after the article");
                    }
                    Class::Copyright(r, agencies) => {
                        self.add_agencies(agencies);
                        self.remove(text, r.clone());
                        *credits_open = false;
                    }
                    Class::SignOff | Class::Date(_) if *credits_open => {
                        self.remove(text, "sign-off after the article");
                    }
                    Class::Teaser(r) => {
                        // The lines after a read-more header are its teasers.
                        *credits_open = false;
                        self.remove(text, r.clone());
                        tail = Some(("page furniture: teaser in a read-more list".into(), false));
                    }
                    Class::Tail(r) => {
                        *credits_open = false;
                        self.remove(text, r.clone());
                        tail = Some((format!("after the end of the article ({r})"), false));
                    }
                    other => {
                        *credits_open = false;
                        let own = own_reason(other);
                        self.remove(text, own.unwrap_or(reason));
                    }
                }
                continue;
            }
            if let Some((reason, block, eaten)) = &mut open_box {
                let short_text = matches!(class, Class::Content) && line.chars <= 160;
                if line.block == *block && *eaten < 5 && short_text {
                    *eaten += 1;
                    let reason = reason.clone();
                    self.remove(text, reason);
                    continue;
                }
                open_box = None;
            }
            if teaser.is_some() {
                if let Class::Content = class {
                    if is_teaser(line) && !is_subheading_after_teasers(line, lines, classes, i) {
                        self.remove(text, "page furniture: teaser in a read-more list");
                        continue;
                    }
                    teaser = None;
                }
            }
            match class {
                Class::Content => {
                    if !is_title_like(text) {
                        running_text += 1;
                    }
                    self.units.push(Unit {
                        text: text.to_string(),
                    });
                }
                Class::Furniture(reason) => self.remove(text, reason.clone()),
                Class::Agency(a) => {
                    self.add_agencies(&a.agencies);
                    self.remove(text, agency_reason(a));
                    if running_text >= BODY_BEFORE_END {
                        tail = Some((
                            "after the end of the article (closing agency line)".into(),
                            true,
                        ));
                    }
                }
                Class::SignOff => {
                    self.remove(text, "editor's sign-off (initials, not an author)");
                    if running_text >= BODY_BEFORE_END {
                        tail = Some((
                            "after the end of the article (editor's sign-off)".into(),
                            true,
                        ));
                    }
                }
                Class::Byline(b) => {
                    for a in &b.authors {
                        push_unique(&mut self.article.authors, a.clone());
                    }
                    self.add_agencies(&b.agencies);
                    if running_text <= BODY_BEFORE_END {
                        self.dates
                            .extend(b.dates.iter().map(|d| (d.clone(), text.to_string())));
                    }
                    self.remove(text, "byline");
                    if running_text > BODY_BEFORE_END {
                        tail = Some((
                            "after the end of the article (closing credits)".into(),
                            true,
                        ));
                    }
                }
                Class::Date(found) => {
                    if running_text <= BODY_BEFORE_END {
                        self.dates
                            .extend(found.iter().map(|d| (d.clone(), text.to_string())));
                    }
                    self.remove(text, "page furniture: timestamp");
                }
                Class::Caption { text: c, credit } => self.article.captions.push(Caption {
                    text: c.clone(),
                    credit: credit.clone(),
                }),
                Class::Credit(_) => self.remove(text, "page furniture: photo credit"),
                Class::CaptionMarker => self.remove(text, "page furniture: caption label"),
                Class::Teaser(reason) => {
                    self.remove(text, reason.clone());
                    teaser = Some(reason.clone());
                }
                Class::Tail(reason) => {
                    self.remove(text, reason.clone());
                    if running_text >= BODY_BEFORE_END {
                        tail = Some((format!("after the end of the article ({reason})"), false));
                    }
                }
                Class::Box(reason) => {
                    self.remove(text, reason.clone());
                    open_box = Some((reason.clone(), line.block, 0));
                }
                Class::Copyright(reason, agencies) => {
                    self.add_agencies(agencies);
                    self.remove(text, reason.clone());
                    if running_text >= BODY_BEFORE_END {
                        tail = Some((format!("after the end of the article ({reason})"), false));
                    }
                }
            }
        }
    }

    /// Chooses kicker, headline and lead among the kept lines and fills the article.
    fn finish(mut self) -> Article {
        let units = std::mem::take(&mut self.units);
        let first_text = units
            .iter()
            .position(|u| !is_title_like(&u.text))
            .unwrap_or(units.len());
        let head = &units[..first_text];
        let body_start;
        if let Some(h) = choose_headline(head) {
            self.article.headline = Some(head[h].text.clone());
            let mut above = h;
            if h >= 1 && is_kicker_like(&head[h - 1].text) {
                self.article.kicker = Some(head[h - 1].text.clone());
                above = h - 1;
            }
            for u in &head[..above] {
                self.remove(
                    &u.text,
                    "page furniture: line above the headline (section or navigation label)",
                );
            }
            let between = &head[h + 1..];
            if between.len() <= 4 {
                // A long title-like line under the headline is a standfirst without a full stop;
                // short ones there are furniture ("Purchase Licensing Rights", "Audio").
                let mut standfirst = None;
                for (k, u) in between.iter().enumerate() {
                    if standfirst.is_none() && u.text.chars().count() >= 60 {
                        standfirst = Some(k);
                    } else if standfirst.is_none() {
                        self.remove(
                            &u.text,
                            "page furniture: short line between headline and lead",
                        );
                    }
                }
                match standfirst {
                    Some(k) => {
                        self.article.lead = Some(between[k].text.clone());
                        body_start = h + 1 + k + 1;
                    }
                    None => body_start = first_text,
                }
            } else {
                body_start = h + 1;
            }
        } else {
            body_start = 0;
        }
        // A line printed again further down (a pull quote, the headline repeated above a
        // teaser) is read once.
        let mut seen: HashSet<&str> = HashSet::new();
        seen.extend(self.article.headline.as_deref());
        seen.extend(self.article.lead.as_deref());
        let mut rest = Vec::new();
        for u in &units[body_start..] {
            if u.text.chars().count() >= 20 && !seen.insert(u.text.as_str()) {
                self.article.removed.push(Removed::new(
                    u.text.as_str(),
                    "duplicate of an earlier line",
                ));
            } else {
                rest.push(u.text.clone());
            }
        }
        let mut rest = rest.into_iter();
        if self.article.lead.is_none() {
            self.article.lead = rest.next();
        }
        self.article.paragraphs = rest.collect();

        // Datelines ("Berlin (dpa) - …") name the agencies of the first paragraphs.
        let opening = self
            .article
            .lead
            .iter()
            .chain(self.article.paragraphs.iter().take(2));
        let mut from_datelines = Vec::new();
        for p in opening {
            if let Some(a) = agency::dateline_agencies(p) {
                from_datelines.extend(a);
            }
        }
        self.add_agencies(&from_datelines);
        self.set_published();
        self.article
    }

    /// The publication date, when the lines above the body state exactly one: a date labelled as
    /// the publication date wins; else an unlabelled one; an update date alone is not used.
    fn set_published(&mut self) {
        for wanted in [DateLabel::Published, DateLabel::None] {
            let mut chosen: Option<&(FoundDate, String)> = None;
            let mut distinct = 0;
            for d in self.dates.iter().filter(|d| d.0.label == wanted) {
                if chosen.is_none_or(|c| c.0.date != d.0.date) {
                    distinct += 1;
                    chosen = Some(d);
                }
            }
            if let Some((date, line)) = chosen {
                if distinct == 1 {
                    self.article.published = Some(date.date.clone());
                    self.article.published_evidence =
                        Some(format!("date line of the page dump: {line:?}"));
                }
                return;
            }
        }
    }
}

/// The reason an agency line was removed, naming its agencies and its other parts.
fn agency_reason(a: &AgencyLine) -> String {
    let mut reason = format!("agency line (agencies: {}", a.agencies.join(", "));
    if !a.other.is_empty() {
        reason.push_str("; editor initials, not authors: ");
        reason.push_str(&a.other.join(", "));
    }
    reason.push(')');
    reason
}

/// The reason a line's own class gives for removing it, if any.
fn own_reason(class: &Class) -> Option<String> {
    match class {
        Class::Furniture(r) | Class::Teaser(r) | Class::Tail(r) | Class::Box(r) => Some(r.clone()),
        Class::Copyright(r, _) => Some(r.clone()),
        Class::Date(_) => Some("page furniture: timestamp".into()),
        _ => None,
    }
}

/// A teaser in a read-more list is a short title-like line.
fn is_teaser(line: &Line) -> bool {
    line.chars <= 160 && !ends_full_stop(&line.text)
}

/// A short line without a kicker colon that is followed by running text is the next subheading of
/// the article, not another teaser.
fn is_subheading_after_teasers(line: &Line, lines: &[Line], classes: &[Class], i: usize) -> bool {
    if line.text.contains(':') || word_count(&line.text) > 6 {
        return false;
    }
    match (lines.get(i + 1), classes.get(i + 1)) {
        (Some(next), Some(Class::Content)) => {
            !is_title_like(&next.text) && (next.chars >= 100 || ends_sentence(&next.text))
        }
        _ => false,
    }
}

/// A headline candidate: title-like and not too long.
fn is_headline_like(s: &str) -> bool {
    is_title_like(s) && s.chars().count() <= 150 && word_count(s) <= 25
}

/// A kicker is a short topic line ("Medienbericht", "Krieg in der Ukraine").
fn is_kicker_like(s: &str) -> bool {
    word_count(s) <= 6 && s.chars().count() <= 50
}

/// The headline among the title-like lines above the first paragraph: the first substantial one
/// (five words or 45 characters), else the longest; a very long one right after a shorter
/// headline-like line is a standfirst, and the shorter line is the headline.
fn choose_headline(head: &[Unit]) -> Option<usize> {
    let window = &head[..head.len().min(6)];
    let substantial = |u: &Unit| word_count(&u.text) >= 5 || u.text.chars().count() >= 45;
    let mut h = window
        .iter()
        .position(|u| is_headline_like(&u.text) && substantial(u))
        .or_else(|| {
            window
                .iter()
                .enumerate()
                .filter(|(_, u)| is_headline_like(&u.text))
                .max_by_key(|(_, u)| u.text.chars().count())
                .map(|(i, _)| i)
        })?;
    if h > 0 {
        let prev = &window[h - 1].text;
        if window[h].text.chars().count() >= 100
            && word_count(prev) >= 3
            && prev.chars().count() >= 20
            && is_headline_like(prev)
        {
            h -= 1;
        }
    }
    Some(h)
}

/// A caption printed twice (the second time with its credit glued on, or the same text again)
/// becomes one caption; a credit alone under a caption line becomes that caption's credit.
fn merge_captions(lines: &[Line], classes: &mut [Class]) {
    const WINDOW: usize = 3;
    let caption_text = |c: &Class, l: &Line| -> Option<(String, Option<String>)> {
        match c {
            Class::Content => Some((l.text.clone(), None)),
            Class::Caption { text, credit } => Some((text.clone(), credit.clone())),
            _ => None,
        }
    };
    for i in 0..lines.len() {
        let Some((text_i, credit_i)) = caption_text(&classes[i], &lines[i]) else {
            continue;
        };
        if text_i.chars().count() < 15 {
            continue;
        }
        for j in i + 1..(i + 1 + WINDOW).min(lines.len()) {
            let Some((text_j, credit_j)) = caption_text(&classes[j], &lines[j]) else {
                continue;
            };
            // The same text twice is a caption (image alt text, then the caption) only on
            // neighbouring lines; further apart it is a repeated line (a pull quote).
            let merged =
                if text_i == text_j && (j == i + 1 || credit_i.is_some() || credit_j.is_some()) {
                    Some((text_i.clone(), credit_i.clone().or(credit_j)))
                } else if text_i != text_j && credit_i.is_none() && credit_j.is_none() {
                    // "…begegnet." and "…begegnet.Maria Huber": the longer one carries the credit.
                    let (short, long) = if text_i.len() < text_j.len() {
                        (&text_i, &text_j)
                    } else {
                        (&text_j, &text_i)
                    };
                    long.strip_prefix(short.as_str())
                        .map(str::trim)
                        .filter(|rest| is_credit_rest(rest))
                        .map(|rest| (short.clone(), Some(rest.to_string())))
                } else {
                    None
                };
            if let Some((text, credit)) = merged {
                classes[i] = Class::Caption { text, credit };
                classes[j] = Class::Furniture("caption printed a second time".into());
                break;
            }
        }
    }
    // "Image source, X" / "Image caption," / caption text: the line after the marker is the
    // caption, and a credit line just above the marker is its credit.
    for m in 0..lines.len() {
        if !matches!(classes[m], Class::CaptionMarker) {
            continue;
        }
        let Some(Class::Content) = classes.get(m + 1) else {
            continue;
        };
        if lines[m + 1].chars > 400 {
            continue;
        }
        let mut credit = None;
        if m >= 1 {
            if let Class::Credit(c) = &classes[m - 1] {
                credit = Some(c.clone());
                classes[m - 1] = Class::Furniture("photo credit of the caption below".into());
            }
        }
        classes[m + 1] = Class::Caption {
            text: lines[m + 1].text.clone(),
            credit,
        };
    }
    // A credit alone on its line belongs to the caption sentence right above it in its block.
    for j in 1..lines.len() {
        let Class::Credit(credit) = &classes[j] else {
            continue;
        };
        let prev = &lines[j - 1];
        if prev.block == lines[j].block
            && matches!(classes[j - 1], Class::Content)
            && ends_sentence(&prev.text)
            && prev.chars <= 400
        {
            let credit = credit.clone();
            classes[j - 1] = Class::Caption {
                text: prev.text.clone(),
                credit: Some(credit),
            };
            classes[j] = Class::Furniture("photo credit of the caption above".into());
        } else if lines[j].text.starts_with('©') {
            // "© dpa-infocom, dpa:…" under no caption is the article's copyright notice.
            classes[j] = Class::Copyright(
                "page furniture: copyright notice".into(),
                agency::agencies_named_in(&lines[j].text),
            );
        }
    }
}

/// The rest of a line that repeats a caption is a credit when it is short and not a sentence.
fn is_credit_rest(rest: &str) -> bool {
    let chars = rest.chars().count();
    (2..=80).contains(&chars)
        && word_count(rest) <= 8
        && !rest.ends_with(['.', '!', '?', ':', ','])
        && rest.starts_with(|c: char| c.is_alphabetic() || c == '©' || c == '(')
}
