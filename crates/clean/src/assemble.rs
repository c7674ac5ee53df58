//! Step 3 of 3: the article from the classified lines.
//!
//! Text lines (kicker, headline, subheadline, lead, body, subheads) become the article's parts in
//! reading order; captions take the credit beside them; bylines give authors, date lines the
//! publication date, agency lines and wire datelines the agencies; everything else is listed in
//! `removed` with a reason. Last comes the safety net: when the kept text holds much less of the
//! page's running prose than the page has, the prose is put back and a warning says so.

use crate::agency::{agencies_named_in, dateline_agencies, is_sign_off, parse_agency_line_parts};
use crate::classes::Label;
use crate::dates::{find_dates, DateLabel, FoundDate};
use crate::features::{block_shapes, is_prose, runs_on, Page};
use crate::lines::{parse_byline, person_name, push_unique, split_credit, strip_prefix_ci, Class};
use crate::rules::rules;
use dossier_core::{Article, Caption, Removed};
use std::collections::HashSet;

/// Below this share of the page's running prose kept, the cleaning is redone conservatively.
const MIN_PROSE_KEPT: f64 = 0.7;
/// A line this long that the classes called a caption is put back by the safety net.
const LONGEST_CAPTION: usize = 200;

/// Builds the article from the page and one label per line.
pub(crate) fn assemble(page: &Page, labels: &[Label]) -> Article {
    let mut labels = labels.to_vec();
    let mut warnings = Vec::new();
    if let Some(w) = keep_the_prose(page, &mut labels) {
        warnings.push(w);
    }
    let mut a = Assembly::default();
    a.article.warnings = warnings;
    a.head(page, &labels);
    for i in 0..page.lines.len() {
        a.line(page, &labels, i);
    }
    a.finish()
}

/// The safety net: when the labels keep less than [`MIN_PROSE_KEPT`] of the page's prose lines
/// (by characters), every prose line is kept as body. Returns the warning when it acted.
fn keep_the_prose(page: &Page, labels: &mut [Label]) -> Option<String> {
    let blocks = block_shapes(&page.lines);
    let prose: Vec<usize> = (0..page.lines.len())
        .filter(|&i| {
            let line = &page.lines[i];
            let wrapped = line.chars >= 40
                && (runs_on(&page.lines, i) || (i > 0 && runs_on(&page.lines, i - 1)));
            (is_prose(line) || (blocks[line.block].2 && line.chars >= 30) || wrapped)
                && !certain_furniture(&page.cues[i])
        })
        .collect();
    let total: usize = prose.iter().map(|&i| page.lines[i].chars).sum();
    let kept: usize = prose
        .iter()
        .filter(|&&i| labels[i].is_text())
        .map(|&i| page.lines[i].chars)
        .sum();
    if total == 0 || kept as f64 >= MIN_PROSE_KEPT * total as f64 {
        return None;
    }
    for &i in &prose {
        // A caption stays one unless it is paragraph-long (captions seldom run past 200
        // characters; a paragraph taken for one is what the net is for).
        let caption = matches!(labels[i], Label::Caption | Label::CaptionCredit)
            && page.lines[i].chars < LONGEST_CAPTION;
        if !labels[i].is_text() && !caption {
            labels[i] = Label::Body;
        }
    }
    Some(format!(
        "the cleaner kept only {kept} of the page's {total} characters of running text; \
         cleaned conservatively (every paragraph of running text kept)"
    ))
}

/// Cues no prose line can be: a whole-line furniture phrase, a box or browser notice.
fn certain_furniture(cue: &Class) -> bool {
    matches!(
        cue,
        Class::Furniture(_) | Class::Box(_) | Class::Copyright(..)
    )
}

#[derive(Debug, Default)]
struct Assembly {
    article: Article,
    /// Lines already used (the headline, the kicker, a credit taken by its caption).
    used: HashSet<usize>,
    /// Text parts in reading order, before the lead is chosen.
    parts: Vec<(Label, String)>,
    dates: Vec<(FoundDate, String)>,
    /// Dates of timestamp lines the classes called furniture: used only when no date line has one.
    fallback_dates: Vec<(FoundDate, String)>,
    seen: HashSet<String>,
}

impl Assembly {
    fn remove(&mut self, text: &str, reason: impl Into<String>) {
        self.article.removed.push(Removed::new(text, reason));
    }

    /// Kicker and headline: the first headline line, and the kicker line right above it.
    fn head(&mut self, page: &Page, labels: &[Label]) {
        let Some(h) = labels.iter().position(|l| *l == Label::Headline) else {
            return;
        };
        let text = &page.lines[h].text;
        let (glued, headline) = split_glued_kicker(text);
        self.article.headline = Some(headline.to_string());
        self.seen.insert(text.clone());
        self.used.insert(h);
        if let Some(k) = glued {
            self.article.kicker = Some(k.to_string());
            return;
        }
        let kicker = (h.saturating_sub(3)..h)
            .rev()
            .find(|&k| labels[k] == Label::Kicker)
            .or_else(|| (h + 1 < labels.len() && labels[h + 1] == Label::Kicker).then_some(h + 1));
        // A short topic line right above the headline that the classes called furniture
        // ("Economy", "Bundestag") is its kicker.
        let above = h.checked_sub(1).filter(|&k| {
            labels[k] == Label::Furniture
                && matches!(page.cues[k], Class::Content)
                && is_kicker_like(&page.lines[k].text)
        });
        if let Some(k) = kicker.or(above) {
            self.article.kicker = Some(page.lines[k].text.clone());
            self.used.insert(k);
        }
    }

    fn line(&mut self, page: &Page, labels: &[Label], i: usize) {
        if self.used.contains(&i) {
            return;
        }
        let line = &page.lines[i];
        let text = line.text.as_str();
        match labels[i] {
            Label::Headline | Label::Kicker if self.article.headline.is_none() => {
                self.text_part(Label::Body, text);
            }
            // A second title line right under the headline is its deck.
            Label::Headline if self.parts.is_empty() => self.text_part(Label::Subheadline, text),
            Label::Headline | Label::Subhead => self.text_part(Label::Subhead, text),
            Label::Kicker => self.remove(text, "page furniture: section label"),
            Label::Subheadline | Label::Lead | Label::Body => self.text_part(labels[i], text),
            Label::Caption | Label::CaptionCredit => self.caption(page, labels, i),
            Label::Credit => self.credit(text),
            Label::Byline => self.byline(text),
            Label::DatelineDate => self.date_line(text),
            Label::Agency => self.agency(text),
            Label::Furniture | Label::Blank => {
                let headline_at = labels.iter().position(|l| *l == Label::Headline);
                if crate::features::is_today_bar(&page.lines, i, headline_at) {
                    self.remove(text, "page furniture: today's date bar");
                    return;
                }
                if let Class::Date(found) = &page.cues[i] {
                    self.fallback_dates
                        .extend(found.iter().map(|d| (d.clone(), text.to_string())));
                }
                let reason = furniture_reason(&page.cues[i]);
                self.remove(text, reason);
            }
        }
    }

    fn text_part(&mut self, label: Label, text: &str) {
        if text.chars().count() >= 20 && !self.seen.insert(text.to_string()) {
            self.remove(text, "duplicate of an earlier line");
            return;
        }
        let text = self.strip_sign_off(text);
        self.parts.push((label, text));
    }

    /// "… bestätigte. (marv)", "… underway. (ANI)": a sign-off glued to a paragraph's end is
    /// taken off; an agency in it goes into `agencies`.
    fn strip_sign_off(&mut self, text: &str) -> String {
        let trimmed = text.trim_end();
        if !trimmed.ends_with(')') {
            return text.to_string();
        }
        let Some(open) = trimmed.rfind('(') else {
            return text.to_string();
        };
        let before = trimmed[..open].trim_end();
        let tail = &trimmed[open..];
        if before.chars().count() < 20
            || !before.ends_with(['.', '!', '?', '"', '“', '”', '«', '»'])
        {
            return text.to_string();
        }
        if let Some(parts) = parse_agency_line_parts(tail) {
            for a in parts.agencies {
                push_unique(&mut self.article.agencies, a);
            }
            self.remove(tail, "agency sign-off at the end of a paragraph");
        } else if is_sign_off(tail) {
            self.remove(tail, "editor's sign-off at the end of a paragraph");
        } else {
            return text.to_string();
        }
        before.to_string()
    }

    fn caption(&mut self, page: &Page, labels: &[Label], i: usize) {
        let text = page.lines[i].text.as_str();
        let (caption, credit) = match (&page.cues[i], split_credit(text)) {
            (Class::Caption { text, credit }, _) => (text.clone(), credit.clone()),
            (_, Some((c, credit))) if !c.is_empty() => (c, Some(credit)),
            _ => (text.to_string(), None),
        };
        // "…in Berlin." (the alt text, furniture) right above "…in Berlin.dpa / Michael
        // Kappeler": the copy with the credit glued on is the caption, the rest its credit.
        let (caption, mut credit) = match credit {
            Some(c) => (caption, Some(c)),
            None => glued_credit(page, i, &caption).unwrap_or((caption, None)),
        };
        // A credit line right below the caption is its credit.
        if credit.is_none() {
            if let Some(j) =
                (i + 1 < labels.len() && labels[i + 1] == Label::Credit).then_some(i + 1)
            {
                let c = page.lines[j].text.clone();
                credit = Some(credit_text(&c));
                self.used.insert(j);
                self.remove(&c, "photo credit of the caption above");
            }
        }
        // "…in Berlin." then "…in Berlin.dpa / Michael Kappeler": the second copy carries the credit.
        let glued = self.article.captions.iter_mut().find_map(|c| {
            let rest = caption.strip_prefix(c.text.as_str())?.trim();
            let short = (2..=80).contains(&rest.chars().count())
                && rest.split_whitespace().count() <= 8
                && !rest.ends_with(['.', '!', '?']);
            (c.credit.is_none() && short).then(|| (c, rest.to_string()))
        });
        if let Some((first, rest)) = glued {
            first.credit = Some(rest);
            self.remove(text, "caption printed a second time");
            return;
        }
        if let Some(first) = self.article.captions.iter_mut().find(|c| c.text == caption) {
            if first.credit.is_none() {
                first.credit = credit;
            }
            self.remove(text, "caption printed a second time");
            return;
        }
        self.article.captions.push(Caption {
            text: caption,
            credit,
        });
    }

    fn credit(&mut self, text: &str) {
        let credit = credit_text(text);
        match self.article.captions.last_mut() {
            Some(c) if c.credit.is_none() => c.credit = Some(credit),
            _ => {}
        }
        self.remove(text, "page furniture: photo credit");
    }

    fn byline(&mut self, text: &str) {
        match parse_byline(text) {
            Some(b) => {
                for a in b.authors {
                    push_unique(&mut self.article.authors, a);
                }
                for a in b.agencies {
                    push_unique(&mut self.article.agencies, a);
                }
                self.dates
                    .extend(b.dates.into_iter().map(|d| (d, text.to_string())));
            }
            None => {
                for name in loose_byline(text) {
                    push_unique(&mut self.article.authors, name);
                }
                for a in agencies_named_in(text) {
                    push_unique(&mut self.article.agencies, a);
                }
                self.dates
                    .extend(find_dates(text).into_iter().map(|d| (d, text.to_string())));
            }
        }
        self.remove(text, "byline");
    }

    fn date_line(&mut self, text: &str) {
        let mut found = find_dates(text);
        if found.is_empty() {
            // The corpus prefix with the month only ("date 2024-03"): the page's date to the month.
            if let Some(month) = text.strip_prefix("date ").filter(|m| m.len() == 7) {
                found.push(FoundDate {
                    date: month.to_string(),
                    label: DateLabel::None,
                });
            }
        }
        self.dates
            .extend(found.into_iter().map(|d| (d, text.to_string())));
        self.remove(text, "page furniture: timestamp");
    }

    fn agency(&mut self, text: &str) {
        let named = match parse_agency_line_parts(text) {
            Some(parts) => parts.agencies,
            None => agencies_named_in(text),
        };
        for a in named {
            push_unique(&mut self.article.agencies, a);
        }
        self.fallback_dates
            .extend(find_dates(text).into_iter().map(|d| (d, text.to_string())));
        self.remove(text, "agency line");
    }

    /// Chooses the lead and fills the paragraphs, agencies of wire datelines and the date.
    fn finish(mut self) -> Article {
        let mut parts = std::mem::take(&mut self.parts);
        // A caption printed twice (alt text, then caption with its credit) is read once, as the
        // caption.
        // "…in Berlin." as text and "…in Berlin.dpa / Kappeler" as caption: one caption, credited.
        for c in self
            .article
            .captions
            .iter_mut()
            .filter(|c| c.credit.is_none())
        {
            let found = parts.iter().find_map(|(_, t)| {
                let rest = c.text.strip_prefix(t.as_str())?.trim();
                let short = t.chars().count() >= 15
                    && (2..=80).contains(&rest.chars().count())
                    && rest.split_whitespace().count() <= 8
                    && !rest.ends_with(['.', '!', '?']);
                short.then(|| (t.clone(), rest.to_string()))
            });
            if let Some((t, rest)) = found {
                c.text = t;
                c.credit = Some(rest);
            }
        }
        let captions: HashSet<&str> = self
            .article
            .captions
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        let (repeats, kept): (Vec<_>, Vec<_>) = parts
            .into_iter()
            .partition(|(_, t)| t.chars().count() >= 15 && captions.contains(t.as_str()));
        parts = kept;
        for (_, t) in repeats {
            self.article
                .removed
                .push(Removed::new(t, "caption printed a second time"));
        }
        let lead_at = parts
            .iter()
            .position(|(l, _)| matches!(l, Label::Lead | Label::Subheadline))
            .or_else(|| parts.iter().position(|(l, _)| *l == Label::Body));
        let mut paragraphs = Vec::with_capacity(parts.len());
        for (k, (_, text)) in parts.into_iter().enumerate() {
            if Some(k) == lead_at {
                self.article.lead = Some(text);
            } else {
                paragraphs.push(text);
            }
        }
        self.article.paragraphs = paragraphs;
        let opening: Vec<String> = self
            .article
            .lead
            .iter()
            .chain(self.article.paragraphs.iter().take(2))
            .cloned()
            .collect();
        for p in opening {
            for a in dateline_agencies(&p).unwrap_or_default() {
                push_unique(&mut self.article.agencies, a);
            }
        }
        self.set_published();
        self.article
    }

    /// The publication date: the first date labelled as such; else the first unlabelled one;
    /// else the first update date (a page that shows only "Aktualisiert: …").
    fn set_published(&mut self) {
        let dates = if self.dates.is_empty() {
            &self.fallback_dates
        } else {
            &self.dates
        };
        // A full date wins over the month alone of the corpus prefix.
        for wanted in [DateLabel::Published, DateLabel::None, DateLabel::Updated] {
            let mut candidates = dates.iter().filter(|d| d.0.label == wanted);
            let chosen = candidates
                .clone()
                .find(|d| d.0.date.len() == 10)
                .or_else(|| candidates.next());
            if let Some((date, line)) = chosen {
                self.article.published = Some(date.date.clone());
                self.article.published_evidence =
                    Some(format!("date line of the page dump: {line:?}"));
                return;
            }
        }
    }
}

/// A caption line that repeats one of the three lines above it with a short credit glued on:
/// (that line's text, the credit).
fn glued_credit(page: &Page, i: usize, caption: &str) -> Option<(String, Option<String>)> {
    (i.saturating_sub(3)..i).rev().find_map(|j| {
        let above = page.lines[j].text.as_str();
        let rest = caption.strip_prefix(above)?.trim();
        let short = above.chars().count() >= 15
            && (2..=80).contains(&rest.chars().count())
            && rest.split_whitespace().count() <= 8
            && !rest.ends_with(['.', '!', '?']);
        short.then(|| (above.to_string(), Some(rest.to_string())))
    })
}

/// A topic label: one to three capitalised words, no digits, no sentence or list marks.
fn is_kicker_like(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=3).contains(&words)
        && s.chars().count() <= 30
        && s.starts_with(char::is_uppercase)
        && !s.contains(|c: char| {
            c.is_ascii_digit()
                || matches!(c, ':' | '|' | '>' | '›' | '»' | '/' | '.' | '!' | '?' | ',')
        })
}

/// A kicker glued in front of the headline: "Baden-Württemberg:Ein Grüner sieht schwarz",
/// "Erste Runde : Auftakt …", or a section word of the phrase tables ("International Erdogan …").
/// Returns the kicker (if any) and the headline.
fn split_glued_kicker(line: &str) -> (Option<&str>, &str) {
    let words = line.split_whitespace().count();
    // "X:Y" without a space after the colon, or "X : Y" with one before it.
    for (i, _) in line.match_indices(':') {
        let before = &line[..i];
        let after = &line[i + 1..];
        let tight = !before.ends_with(' ') && after.starts_with(char::is_uppercase);
        let spaced = before.ends_with(' ') && after.starts_with(' ');
        let short = before.split_whitespace().count() <= 4 && before.trim().chars().count() >= 3;
        if (tight || spaced) && short && !before.trim_end().ends_with(|c: char| c.is_ascii_digit())
        {
            let headline = after.trim();
            if headline.split_whitespace().count() >= 3 {
                return (Some(before.trim()), headline);
            }
        }
    }
    if let Some(at) = kicker_by_head(line).or_else(|| kicker_restated(line)) {
        return (Some(line[..at].trim()), line[at..].trim());
    }
    if words >= 5 {
        for k in &rules().kickers {
            if let Some(rest) = strip_prefix_ci(line, k) {
                if rest.starts_with(' ') && rest.trim_start().starts_with(char::is_uppercase) {
                    return (Some(line[..k.len()].trim()), rest.trim());
                }
            }
        }
    }
    (None, line)
}

/// The words of a line with their byte offsets.
fn word_spans(line: &str) -> Vec<(usize, &str)> {
    line.split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect()
}

/// Whether a word opens a headline: a capital ("iPhone" too) or an opening quote.
fn opens_headline(w: &str) -> bool {
    w.starts_with(['"', '„', '“', '»', '«', '\'', '‚'])
        || (w.starts_with(char::is_alphanumeric) && w.chars().take(3).any(char::is_uppercase))
}

/// A kicker closed by a coverage-format word of the phrase tables (`kicker-head`): the last
/// part of a compound ("Ukraine-News am Mittwoch Russland bringt …", the day after it belongs
/// to the kicker) or a word before a colon ("Unwetter an der Ostsee News aktuell: "Es ist …"").
/// Returns where the headline starts.
fn kicker_by_head(line: &str) -> Option<usize> {
    let r = rules();
    let ws = word_spans(line);
    let lower = |w: &str| w.trim_end_matches([':', ',']).to_lowercase();
    for k in 0..ws.len().saturating_sub(3).min(6) {
        let w = ws[k].1;
        let colon = w.ends_with(':');
        let bare = lower(w);
        let (head, compound) = match bare.rsplit_once('-') {
            Some((a, b)) if !a.is_empty() => (b.to_string(), true),
            _ => (bare.clone(), false),
        };
        let closes = match r.kicker_heads.get(&head) {
            Some(&before_colon) => compound || (colon && before_colon),
            None => false,
        };
        if !closes || k + 1 >= ws.len() {
            continue;
        }
        let mut j = k + 1;
        if !colon {
            let day = |i: usize| ws.get(i).is_some_and(|w| r.weekdays.contains(&lower(w.1)));
            if ws
                .get(j)
                .is_some_and(|w| matches!(w.1, "am" | "vom" | "on"))
                && day(j + 1)
            {
                j += 2;
            } else if day(j) {
                j += 1;
            }
        }
        if ws.len() - j >= 3 && opens_headline(ws[j].1) {
            return Some(ws[j].0);
        }
    }
    None
}

/// A topic kicker that the headline after it restates: two to four capitalised words (and
/// function words between them) whose content word comes again in the headline
/// ("Sicherheitslücken bei Apple iPhone neuestes Update schließt Sicherheitslücken: …"). The
/// headline must not be in title case (every word capitalised): there nothing marks a split.
/// Returns where the headline starts.
fn kicker_restated(line: &str) -> Option<usize> {
    let r = rules();
    let ws = word_spans(line);
    let function = |w: &str| r.function_words.contains(&w.to_lowercase());
    let plain = |w: &str| w.chars().all(|c| c.is_alphanumeric() || c == '-');
    let capital = |w: &str| w.starts_with(char::is_uppercase);
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    for k in 2..=4usize {
        if ws.len() < k + 4 {
            break;
        }
        let (pre, rest) = ws.split_at(k);
        if pre
            .iter()
            .any(|w| !plain(w.1) || !(capital(w.1) || function(w.1)))
        {
            break;
        }
        let last = pre[k - 1].1;
        if function(last) || !capital(last) || !capital(pre[0].1) || !opens_headline(rest[0].1) {
            continue;
        }
        let lower_words = rest
            .iter()
            .filter(|w| w.1.starts_with(char::is_lowercase) && !function(w.1))
            .count();
        if lower_words == 0 {
            continue;
        }
        let topic: Vec<String> = pre
            .iter()
            .filter(|w| !function(w.1))
            .map(|w| bare(w.1))
            .filter(|w| w.chars().count() >= 4)
            .collect();
        let restated = rest.iter().any(|w| {
            let b = bare(w.1);
            topic
                .iter()
                .any(|t| b == *t || b.split('-').any(|part| part == t))
        });
        if restated {
            return Some(rest[0].0);
        }
    }
    None
}

/// The reason a furniture line is removed: its phrase-table reason when it has one.
fn furniture_reason(cue: &Class) -> String {
    match cue {
        Class::Furniture(r) | Class::Teaser(r) | Class::Tail(r) | Class::Box(r) => r.clone(),
        Class::Copyright(r, _) => r.clone(),
        Class::Date(_) => "page furniture: timestamp".into(),
        _ => "page furniture (line classifier)".into(),
    }
}

/// "Foto: dpa/Kay Nietfeld" → "dpa/Kay Nietfeld"; "(PA Graphics)" → "PA Graphics".
fn credit_text(line: &str) -> String {
    let t = line
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let r = rules();
    for marker in r.credit_lines.iter().chain(r.credits.iter()) {
        if let Some(rest) = strip_prefix_ci(t, marker) {
            let rest = rest.trim_start_matches([':', ',', ' ']);
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    t.to_string()
}

/// Names in a byline the strict parser refused ("Von: Markus Zwigl, Redakteur", "Rebecca Laffan"):
/// after a byline word, the pieces that read as a person's name.
fn loose_byline(text: &str) -> Vec<String> {
    let r = rules();
    let mut rest = text.trim();
    let lower = rest.to_lowercase();
    if r.credits
        .iter()
        .chain(&r.credit_lines)
        .any(|c| lower.starts_with(c.as_str()))
    {
        return Vec::new();
    }
    match r.bylines.iter().find_map(|p| strip_prefix_ci(rest, p)) {
        Some(after) => rest = after.trim_start_matches([':', ' ']),
        // Without a byline word only a line that is one short name ("Rebecca Laffan").
        None if rest.split_whitespace().count() > 3 || rest.contains(['.', ':']) => {
            return Vec::new()
        }
        None => {}
    }
    let mut out = Vec::new();
    for piece in rest.split([',', ';', '|', '•', '/']) {
        for name in piece.split(" und ").flat_map(|p| p.split(" and ")) {
            if let Some(n) = person_name(name.trim()) {
                push_unique(&mut out, n);
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) fn split_glued_kicker_for_test(line: &str) -> (Option<&str>, &str) {
    split_glued_kicker(line)
}
