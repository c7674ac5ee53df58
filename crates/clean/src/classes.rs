//! Step 2 of 3: each line's class (the 14 labels of the page-dump data set), from the trained
//! line classifier, with the phrase-table cues that are certain enough to overrule it.
//!
//! Which of the two decides where was settled by measurement (`dossier eval clean`, cross-validated
//! by publisher family): the model decides every line; a cue overrules it only where the cue is a
//! whole-line match that the model cannot weigh as well (see [`Decider`]).

use crate::features::Page;
use crate::lines::Class;
use crate::model::{Model, N};
use std::sync::OnceLock;

/// A line's role on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Kicker,
    Headline,
    Subheadline,
    Lead,
    Body,
    Subhead,
    Caption,
    Credit,
    CaptionCredit,
    Byline,
    DatelineDate,
    Agency,
    Furniture,
    Blank,
}

impl Label {
    /// Every label, in index order (`blank` last; the model never chooses it).
    pub const ALL: [Label; 14] = [
        Label::Kicker,
        Label::Headline,
        Label::Subheadline,
        Label::Lead,
        Label::Body,
        Label::Subhead,
        Label::Caption,
        Label::Credit,
        Label::CaptionCredit,
        Label::Byline,
        Label::DatelineDate,
        Label::Agency,
        Label::Furniture,
        Label::Blank,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Label::Kicker => "kicker",
            Label::Headline => "headline",
            Label::Subheadline => "subheadline",
            Label::Lead => "lead",
            Label::Body => "body",
            Label::Subhead => "subhead",
            Label::Caption => "caption",
            Label::Credit => "credit",
            Label::CaptionCredit => "caption+credit",
            Label::Byline => "byline",
            Label::DatelineDate => "dateline_date",
            Label::Agency => "agency",
            Label::Furniture => "furniture",
            Label::Blank => "blank",
        }
    }

    pub fn from_name(s: &str) -> Option<Label> {
        Label::ALL.iter().copied().find(|l| l.name() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    fn from_index(i: usize) -> Label {
        Label::ALL.get(i).copied().unwrap_or(Label::Furniture)
    }

    /// Article text: kept in `text`.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Label::Kicker
                | Label::Headline
                | Label::Subheadline
                | Label::Lead
                | Label::Body
                | Label::Subhead
        )
    }
}

/// Who decides a line's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// The model alone.
    Model,
    /// The model, overruled by certain cues (a whole-line furniture phrase, an agency line, a
    /// credit line, a byline the parser reads, a date line).
    ModelAndCues,
}

/// The shipped decider (chosen by `dossier eval clean`).
pub const SHIPPED: Decider = Decider::ModelAndCues;

const EMBEDDED: &[u8] = include_bytes!("../data/model-lines.bin.gz");

/// The embedded line model (empty when the file is a placeholder).
pub fn embedded_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::from_bytes(EMBEDDED).unwrap_or_default())
}

/// One label per line of `page.lines`: the first pass, then (where the model has one) the
/// stacked second pass over the first pass's output.
pub(crate) fn classify_lines(page: &Page, model: &Model, decider: Decider) -> Vec<Label> {
    let (labels, scores) = one_pass(page, model, decider, BODY_BIAS);
    match model.second() {
        Some(second) if !model.is_empty() => {
            let stacked = stacked_page(page, &labels, &scores);
            one_pass(&stacked, second, decider, SECOND_BODY_BIAS).0
        }
        _ => labels,
    }
}

/// The page with the stacked features of the first pass's output (see [`crate::stack`]).
pub(crate) fn stacked_page(page: &Page, labels: &[Label], scores: &[[f32; N]]) -> Page {
    Page {
        features: crate::stack::stacked_features(page, labels, scores),
        ..page.clone()
    }
}

/// The first pass's labels and scores (for training the second pass).
pub(crate) fn first_pass(
    page: &Page,
    model: &Model,
    decider: Decider,
) -> (Vec<Label>, Vec<[f32; N]>) {
    one_pass(page, model, decider, BODY_BIAS)
}

/// The body bias of the second pass (tuned by cross-validation like [`BODY_BIAS`]: 30, 50, 60,
/// 70, 90 and 120 tried; 30–90 remove about the same furniture, 70 and above keep ≥ 0.99 of the
/// body lines).
const SECOND_BODY_BIAS: f32 = 70.0;

/// One pass of line model, headline ranker, cues and page-structure rules; the labels and each
/// line's label scores.
fn one_pass(
    page: &Page,
    model: &Model,
    decider: Decider,
    body_bias: f32,
) -> (Vec<Label>, Vec<[f32; N]>) {
    let mut all_scores: Vec<[f32; N]> = Vec::new();
    let mut labels: Vec<Label> = if model.is_empty() {
        page.cues.iter().map(cue_label).collect()
    } else {
        let mut bias = [0f32; N];
        if decider == Decider::ModelAndCues {
            bias[Label::Body.index()] = body_bias;
        }
        let (best, scores) = model.decode(&page.features, &bias);
        let mut labels: Vec<Label> = best.into_iter().map(Label::from_index).collect();
        if decider == Decider::ModelAndCues {
            // Promo, browser, date and byline lines are never the headline.
            for (label, cue) in labels.iter_mut().zip(&page.cues) {
                if *label == Label::Headline && !matches!(cue, Class::Content) {
                    *label = cue_label(cue);
                }
            }
            if model.ranks_headlines() {
                choose_headline(page, model, &mut labels, &scores);
            } else {
                headline_when_missing(&mut labels, &scores, &page.cues);
            }
        }
        all_scores = scores;
        labels
    };
    if decider == Decider::ModelAndCues {
        page_structure(page, &mut labels);
        for ((label, cue), line) in labels.iter_mut().zip(&page.cues).zip(&page.lines) {
            if line.date_prefix {
                *label = Label::DatelineDate;
            } else if let Some(l) = certain_cue(cue) {
                *label = l;
            }
        }
    }
    if all_scores.len() != labels.len() {
        all_scores = vec![[0.0; N]; labels.len()];
    }
    (labels, all_scores)
}

/// How far below the best label a line's headline score may be for it to be taken as the
/// headline of a page where the sequence chose none (tuned by cross-validation).
fn headline_margin() -> f32 {
    HEADLINE_MARGIN
}

/// Added to every line's body score: losing a paragraph costs a reader more than keeping a line
/// of furniture (tuned by cross-validation: 0 keeps 0.955 of the body lines and removes 0.83 of
/// the furniture, 60 keeps 0.976–0.981, 70 keeps ≥ 0.98 over three training seeds, 100 keeps
/// 0.986 and removes 0.75).
const BODY_BIAS: f32 = 70.0;

const HEADLINE_MARGIN: f32 = 0.0;

/// Weight of the line model's headline score beside the headline ranker's (tuned by
/// cross-validation: 0, 0.05, 0.2 and 1 were tried; 0.05 invents the fewest headlines).
const LINE_MODEL_WEIGHT: f32 = 0.05;

/// When the best sequence has no headline, the line above the first paragraph of text whose
/// headline score comes closest to its best score becomes the headline, if it is close enough.
fn headline_when_missing(labels: &mut [Label], scores: &[[f32; N]], cues: &[Class]) {
    if labels.contains(&Label::Headline) {
        return;
    }
    let first_text = labels
        .iter()
        .position(|l| matches!(l, Label::Body | Label::Lead))
        .unwrap_or(labels.len());
    let h = Label::Headline.index();
    let best = (0..first_text)
        .filter(|&i| matches!(cues[i], Class::Content))
        .map(|i| {
            let top = scores[i].iter().copied().fold(f32::NEG_INFINITY, f32::max);
            (i, scores[i][h] - top)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    if let Some((i, gap)) = best {
        if gap >= -headline_margin() && labels[i] != Label::Kicker {
            labels[i] = Label::Headline;
        }
    }
}

/// One headline per page, or none, as the headline ranker chooses; a line the sequence called a
/// headline that is not chosen takes its next-best label.
fn choose_headline(page: &Page, model: &Model, labels: &mut [Label], scores: &[[f32; N]]) {
    let options = crate::headline::options(page);
    let mut s = model.headline_scores(&options.features);
    // The line model's own view (how far its headline score is below its best) is added,
    // scaled (tuned by cross-validation).
    let h0 = Label::Headline.index();
    for (k, &i) in options.lines.iter().enumerate() {
        let top = scores[i].iter().copied().fold(f32::NEG_INFINITY, f32::max);
        s[k] += LINE_MODEL_WEIGHT * (scores[i][h0] - top);
    }
    let best = (0..s.len())
        .filter(|&k| !options.barred.get(k).copied().unwrap_or(false))
        .max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a)))
        .unwrap_or(options.none());
    let chosen = options.lines.get(best).copied();
    let h = Label::Headline.index();
    for (i, label) in labels.iter_mut().enumerate() {
        if Some(i) == chosen {
            *label = Label::Headline;
        } else if *label == Label::Headline {
            let next = (0..N)
                .filter(|&k| k != h)
                .max_by(|&a, &b| scores[i][a].total_cmp(&scores[i][b]).then(b.cmp(&a)))
                .unwrap_or(Label::Furniture.index());
            *label = Label::from_index(next);
        }
    }
}

/// What the page's structure says beyond single lines: after an end-of-article marker or a
/// copyright notice (once the article has begun) only credits follow; a newsletter or paywall box
/// takes the short lines of its block; a read-more header takes the teaser lines under it. (The
/// assembly's safety net puts running prose back if this goes wrong.)
#[allow(clippy::needless_range_loop)] // lines, cues and labels are read side by side
fn page_structure(page: &Page, labels: &mut [Label]) {
    sentences_after_paragraphs(page, labels);
    let mut text_seen = 0;
    let mut ended = false;
    let mut open_box: Option<usize> = None;
    let mut teasers = false;
    for i in 0..page.lines.len() {
        let line = &page.lines[i];
        let cue = &page.cues[i];
        if ended {
            if !matches!(labels[i], Label::Agency | Label::Byline | Label::Credit) {
                labels[i] = Label::Furniture;
            }
            continue;
        }
        if open_box == Some(line.block) && line.chars <= 160 && matches!(cue, Class::Content) {
            labels[i] = Label::Furniture;
            continue;
        }
        open_box = None;
        if teasers {
            // A short line without a colon right above running text is the article's next
            // subheading, not another teaser.
            let next_prose = page.lines.get(i + 1).is_some_and(features_prose);
            let subheading =
                next_prose && !line.text.contains(':') && line.text.split_whitespace().count() <= 6;
            if subheading {
                labels[i] = Label::Subhead;
                teasers = false;
                continue;
            }
            if matches!(cue, Class::Content) && line.chars <= 160 && !line.text.ends_with('.') {
                labels[i] = Label::Furniture;
                continue;
            }
            teasers = false;
        }
        match cue {
            Class::Tail(_) | Class::Copyright(..) => {
                labels[i] = Label::Furniture;
                ended = text_seen >= 2;
            }
            Class::Box(_) => {
                labels[i] = Label::Furniture;
                // A promo item of a bullet list ("• Follow our live blog …") is one line, not
                // the head of a box: the list's other items are the article's.
                if !line.text.starts_with(['•', '·', '*', '–', '-']) {
                    open_box = Some(line.block);
                }
            }
            Class::Teaser(_) => {
                labels[i] = Label::Furniture;
                teasers = true;
            }
            // Closing credits ("Reporting by …; Editing by …") end the article.
            Class::Byline(_) if text_seen >= 3 => ended = true,
            _ => {}
        }
        if matches!(labels[i], Label::Body | Label::Lead) {
            text_seen += 1;
        }
    }
    subheads_between_paragraphs(page, labels);
    bullet_lists(page, labels);
    template_repeats(page, labels);
    teaser_title_runs(page, labels);
    salutations(page, labels);
    cut_off_last_line(page, labels);
    // The site's today-date bar and its weather widget are furniture whatever the line model
    // made of them (the second pass may take a date alone at the top for article text).
    let headline_at = labels.iter().position(|l| *l == Label::Headline);
    for (i, label) in labels.iter_mut().enumerate() {
        if (*label == Label::DatelineDate || label.is_text())
            && *label != Label::Headline
            && (crate::features::is_today_bar(&page.lines, i, headline_at)
                || crate::features::is_weather_widget(&page.lines[i].text))
        {
            *label = Label::Furniture;
        }
    }
}

/// The items of one bullet list share a role: when one item of a run of bullet lines is article
/// text, every worded item without a furniture cue is too (a summary box whose first items the
/// model took for a teaser list).
fn bullet_lists(page: &Page, labels: &mut [Label]) {
    let bullet = |i: usize| page.lines[i].text.starts_with(['•', '·', '▪', '◦']);
    let mut i = 0;
    while i < page.lines.len() {
        if !bullet(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < page.lines.len() && bullet(i) {
            i += 1;
        }
        let run = start..i;
        // Article text on both sides: the list stands inside the article.
        let inside = start > 0
            && labels[start - 1].is_text()
            && labels.get(i).is_some_and(|l| *l == Label::Body);
        if run.len() >= 2 && (inside || run.clone().any(|k| labels[k] == Label::Body)) {
            for k in run {
                let worded = page.lines[k].text.split_whitespace().count() >= 6;
                if worded && matches!(page.cues[k], Class::Content) && labels[k] == Label::Furniture
                {
                    labels[k] = Label::Body;
                }
            }
        }
    }
}

/// Template repeats the line model keeps as text. An image's alt text printed right above or
/// below its caption (the same line twice in a row): one instance is the caption — the one
/// directly followed by a credit line, else the first — the other furniture. A run of three or
/// more short lines that the page prints again in the same order (a score widget, a box shown
/// twice) is furniture in both places.
fn template_repeats(page: &Page, labels: &mut [Label]) {
    let lines = &page.lines;
    let n = lines.len();
    let texty = |l: Label| l.is_text() && l != Label::Headline;
    // Alt text and caption glued into one line ("X.X"), its copy beside it.
    for i in 0..n {
        let Some(half) = doubled(&lines[i].text) else {
            continue;
        };
        let copy = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .find(|&j| j < n && lines[j].text == half);
        if let Some(j) = copy.filter(|&j| texty(labels[i]) && texty(labels[j])) {
            labels[i] = Label::Caption;
            labels[j] = Label::Furniture;
        }
    }
    for i in 0..n.saturating_sub(1) {
        let (a, b) = (&lines[i], &lines[i + 1]);
        if a.text != b.text || a.chars < 20 || !texty(labels[i]) || !texty(labels[i + 1]) {
            continue;
        }
        let credit_next = i + 2 < n
            && (matches!(page.cues[i + 2], Class::Credit(_)) || labels[i + 2] == Label::Credit);
        let (caption, copy) = if credit_next { (i + 1, i) } else { (i, i + 1) };
        labels[caption] = Label::Caption;
        labels[copy] = Label::Furniture;
    }
    const MIN_RUN: usize = 3;
    let short = |l: &crate::features::Line| !crate::features::is_prose(l) && l.chars <= 120;
    let mut repeated = vec![false; n];
    for i in 0..n {
        for j in i + MIN_RUN..n {
            let m = (0..)
                .take_while(|&k| {
                    i + k < j
                        && j + k < n
                        && lines[i + k].text == lines[j + k].text
                        && short(&lines[i + k])
                })
                .count();
            if m >= MIN_RUN {
                for k in 0..m {
                    repeated[i + k] = true;
                    repeated[j + k] = true;
                }
            }
        }
    }
    for (label, r) in labels.iter_mut().zip(repeated) {
        if r {
            *label = Label::Furniture;
        }
    }
}

/// Three or more title-shaped lines in a row (each 4+ words, no sentence end) are a list of
/// other articles' titles, not paragraphs or headings: the ones the model kept as body or
/// subheadings are furniture. (A paragraph ends in a full stop; a heading stands alone above
/// one.) The page's last line is left alone: it may be a paragraph cut off by the dump.
fn teaser_title_runs(page: &Page, labels: &mut [Label]) {
    const MIN_RUN: usize = 3;
    let lines = &page.lines;
    let title = |i: usize| {
        let l = &lines[i];
        (20..=120).contains(&l.chars)
            && l.text.split_whitespace().count() >= 4
            && l.text.starts_with(char::is_uppercase)
            && !crate::features::ends_sentence(&l.text)
            && !l.text.ends_with([':', ',', ';'])
            && matches!(page.cues[i], Class::Content)
            && i + 1 < lines.len()
    };
    let mut i = 0;
    while i < lines.len() {
        let run = (i..lines.len()).take_while(|&j| title(j)).count();
        if run >= MIN_RUN {
            // The run's last title may be the heading of the paragraph after it.
            let heads_text = labels
                .get(i + run)
                .is_some_and(|l| matches!(l, Label::Body | Label::Lead));
            let end = if heads_text { i + run - 1 } else { i + run };
            for label in &mut labels[i..end] {
                if matches!(label, Label::Body | Label::Subhead | Label::Subheadline) {
                    *label = Label::Furniture;
                }
            }
        }
        i += run.max(1);
    }
}

/// A line ending in a comma right above a paragraph that goes on in lower case ("Liebe
/// Leserinnen und Leser," / "die Explosionen …") opens that paragraph: it is no byline or caption.
fn salutations(page: &Page, labels: &mut [Label]) {
    for i in 0..page.lines.len().saturating_sub(1) {
        let next = &page.lines[i + 1].text;
        if !labels[i].is_text()
            && page.lines[i].text.ends_with(',')
            && page.lines[i].text.starts_with(char::is_uppercase)
            && matches!(page.cues[i], Class::Content)
            && labels[i + 1] == Label::Body
            && next.starts_with(char::is_lowercase)
        {
            labels[i] = Label::Body;
        }
    }
}

/// A line that is one text printed twice ("X X" or "XX", at least 20 characters each): the
/// text.
fn doubled(text: &str) -> Option<&str> {
    let len = text.len();
    for cut in [len / 2, len.div_ceil(2)] {
        if !text.is_char_boundary(cut) {
            continue;
        }
        let (a, b) = text.split_at(cut);
        let (a, b) = (a.trim_end(), b.trim_start());
        if a == b && a.chars().count() >= 20 {
            return Some(a);
        }
    }
    None
}

/// A dump cut off inside the article (a size cap, a copy that stopped short) ends in the start of
/// a paragraph: the page's last line, with nothing after it (no line break), no sentence end and
/// no furniture cue, whose nearest content line above is article text (cued furniture such as
/// "Advert" between them skipped), is that paragraph's start ("Th", "Die Polizei sucht nach").
fn cut_off_last_line(page: &Page, labels: &mut [Label]) {
    let Some(i) = page.lines.len().checked_sub(1) else {
        return;
    };
    let line = &page.lines[i];
    let cut = line.raw_end >= page.raw_lines
        && matches!(page.cues[i], Class::Content)
        && !crate::features::ends_sentence(&line.text)
        && !line.text.contains(['|', '>', '»', '›', '•'])
        && !line.text.ends_with(':')
        && line.text.starts_with(char::is_uppercase);
    if !cut || labels[i] != Label::Furniture {
        return;
    }
    if follows_article_text(page, labels, i) {
        labels[i] = Label::Body;
    }
}

/// Whether the content line before line `i` (lines with furniture cues skipped) is body or lead.
fn follows_article_text(page: &Page, labels: &[Label], i: usize) -> bool {
    let prev = (0..i)
        .rev()
        .find(|&j| matches!(page.cues[j], Class::Content))
        .map(|j| labels[j]);
    matches!(prev, Some(Label::Body | Label::Lead))
}

/// A full sentence the model called furniture, right after a paragraph of the article (furniture
/// cues between them skipped), is article text: losing it costs more than keeping a promo line.
fn sentences_after_paragraphs(page: &Page, labels: &mut [Label]) {
    for i in 1..page.lines.len() {
        let line = &page.lines[i];
        let sentence = line.text.split_whitespace().count() >= 6
            && crate::features::ends_sentence(&line.text)
            && line.text.ends_with(['.', '"', '“', '”', '«', '»'])
            && line.text.starts_with(char::is_uppercase);
        if labels[i] != Label::Furniture || !matches!(page.cues[i], Class::Content) || !sentence {
            continue;
        }
        if follows_article_text(page, labels, i) {
            labels[i] = Label::Body;
        }
    }
}

/// A short heading line between paragraphs of the article that the model called furniture is a
/// subheading ("Kritik von Ökonomen", "What markets expect").
fn subheads_between_paragraphs(page: &Page, labels: &mut [Label]) {
    for i in 1..page.lines.len().saturating_sub(1) {
        let text = page.lines[i].text.as_str();
        let words = text.split_whitespace().count();
        let heading = (2..=10).contains(&words)
            && page.lines[i].chars <= 80
            && text.starts_with(char::is_uppercase)
            && !text.ends_with([':', '.', ',', '|', '>'])
            && !text.contains(['|', '©', '@']);
        let prose_next = features_prose(&page.lines[i + 1]);
        // A credit names a source ("Noah Berger", "Getty Images/…"): a heading-shaped line with
        // lower-case words and no credit marker that the model alone calls a credit is a heading.
        let worded = text
            .split_whitespace()
            .skip(1)
            .any(|w| w.starts_with(char::is_lowercase))
            && !text.contains('/');
        let dropped = labels[i] == Label::Furniture || (labels[i] == Label::Credit && worded);
        if dropped
            && matches!(page.cues[i], Class::Content)
            && heading
            && (matches!(labels[i - 1], Label::Body | Label::Lead)
                || (i >= 2
                    && matches!(labels[i - 2], Label::Body | Label::Lead)
                    && !matches!(page.cues[i - 1], Class::Content)))
            && (labels[i + 1] == Label::Body
                || (labels[i + 1] == Label::Furniture
                    && matches!(page.cues[i + 1], Class::Content)))
            && prose_next
        {
            labels[i] = Label::Subhead;
        }
    }
}

fn features_prose(line: &crate::features::Line) -> bool {
    crate::features::is_prose(line)
}

/// The label a cue stands for where nothing else is known.
fn cue_label(cue: &Class) -> Label {
    match cue {
        Class::Content => Label::Body,
        Class::Agency(_) | Class::SignOff => Label::Agency,
        Class::Byline(_) => Label::Byline,
        Class::Date(_) => Label::DatelineDate,
        Class::Caption { .. } => Label::CaptionCredit,
        Class::Credit(_) => Label::Credit,
        _ => Label::Furniture,
    }
}

/// Cues certain enough to overrule the model.
fn certain_cue(cue: &Class) -> Option<Label> {
    match cue {
        Class::Furniture(_) | Class::CaptionMarker => Some(Label::Furniture),
        Class::Agency(_) => Some(Label::Agency),
        Class::Byline(_) => Some(Label::Byline),
        Class::Credit(_) => Some(Label::Credit),
        _ => None,
    }
}

const _: () = assert!(N == 13);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::read_page;

    fn labels_of(page: &Page, l: Label) -> Vec<Label> {
        vec![l; page.lines.len()]
    }

    #[test]
    fn alt_text_beside_its_caption_and_a_box_printed_twice() {
        let text = "Ein Kran hebt die neue Brücke über den Fluss.\n\
                    Ein Kran hebt die neue Brücke über den Fluss.\n\
                    Foto: Max Muster\n\n\
                    Die neue Brücke ist fertig. Der Kran hat das letzte Teil am Morgen eingesetzt, sagte die Stadt.\n\n\
                    Der Bürgermeister lobt den Bau.Der Bürgermeister lobt den Bau.\n\
                    Der Bürgermeister lobt den Bau.\n\n\
                    Spiel 1 - Nord gegen Süd\nNord gewann mit 3 Toren\nSpiel 2 - Ost gegen West\n\
                    Noch ein Absatz des Artikels, der die Lage beschreibt und mit einem Punkt endet.\n\
                    Spiel 1 - Nord gegen Süd\nNord gewann mit 3 Toren\nSpiel 2 - Ost gegen West\n";
        let page = read_page(text);
        let mut labels = labels_of(&page, Label::Body);
        template_repeats(&page, &mut labels);
        let at = |t: &str| page.lines.iter().position(|l| l.text == t).unwrap();
        // The instance directly followed by its credit is the caption.
        assert_eq!(labels[0], Label::Furniture);
        assert_eq!(labels[1], Label::Caption);
        assert_eq!(labels[3], Label::Body);
        // A caption glued to itself is the caption, its copy beside it furniture.
        let glued = at("Der Bürgermeister lobt den Bau.Der Bürgermeister lobt den Bau.");
        assert_eq!(labels[glued], Label::Caption);
        assert_eq!(labels[glued + 1], Label::Furniture);
        // The score box printed twice is furniture in both places; the paragraph between stays.
        for (i, l) in page.lines.iter().enumerate() {
            if l.text.starts_with("Spiel") || l.text.starts_with("Nord gewann") {
                assert_eq!(labels[i], Label::Furniture, "{}", l.text);
            }
        }
        assert_eq!(
            labels[at(
                "Noch ein Absatz des Artikels, der die Lage beschreibt und mit einem Punkt endet."
            )],
            Label::Body
        );
    }

    #[test]
    fn a_run_of_teaser_titles_is_furniture_but_a_heading_above_text_is_not() {
        let text = "Der erste Absatz des Artikels erzählt, was geschah, und endet mit einem Punkt.\n\n\
                    Neue Regeln für Radfahrer in der Innenstadt\n\n\
                    Wetterdienst warnt vor Sturm an der Küste\n\n\
                    Stadtrat streitet über den neuen Haushalt\n\n\
                    So geht es jetzt weiter mit dem Bau\n\n\
                    Der zweite Absatz erzählt weiter, was die Stadt nun plant, und endet ebenso.\n\n\
                    Das Ende";
        let page = read_page(text);
        let mut labels = labels_of(&page, Label::Body);
        labels[4] = Label::Subhead;
        teaser_title_runs(&page, &mut labels);
        assert_eq!(
            labels,
            [
                Label::Body,
                Label::Furniture,
                Label::Furniture,
                Label::Furniture,
                Label::Subhead,
                Label::Body,
                Label::Body
            ]
        );
        // Two title lines are no list.
        let two = read_page("Ein Absatz, der mit einem Punkt endet und lang genug ist.\n\nNeue Regeln für Radfahrer in der Stadt\n\nWetterdienst warnt vor Sturm an der Küste\n\nNoch ein Absatz.");
        let mut labels = labels_of(&two, Label::Body);
        teaser_title_runs(&two, &mut labels);
        assert!(labels.iter().all(|l| *l == Label::Body));
    }

    #[test]
    fn the_cut_off_start_of_a_last_paragraph_is_body() {
        let text = "Der Absatz des Artikels erzählt, was geschah, und endet mit einem Punkt.\n\nAdvert\n\nTh";
        let page = read_page(text);
        let mut labels = labels_of(&page, Label::Furniture);
        labels[0] = Label::Body;
        cut_off_last_line(&page, &mut labels);
        assert_eq!(labels[2], Label::Body);
        // With a line break after it the dump was not cut there; after furniture it is furniture.
        let page = read_page(&format!("{text}\n"));
        let mut labels = labels_of(&page, Label::Furniture);
        labels[0] = Label::Body;
        cut_off_last_line(&page, &mut labels);
        assert_eq!(labels[2], Label::Furniture);
        let page = read_page("Teaser eines anderen Artikels\n\nKommentare");
        let mut labels = labels_of(&page, Label::Furniture);
        cut_off_last_line(&page, &mut labels);
        assert_eq!(labels[1], Label::Furniture);
    }

    #[test]
    fn weather_widgets() {
        use crate::features::is_weather_widget;
        assert!(is_weather_widget("sonnig Musterstadt 24°"));
        assert!(is_weather_widget("Tuesday 3 March 2026 Leeds: 11°C"));
        assert!(is_weather_widget("18.5°C Toronto"));
        assert!(!is_weather_widget(
            "Die Temperaturen stiegen am Nachmittag auf 35° im Schatten."
        ));
        assert!(!is_weather_widget(
            "Der Hang hat 30° Neigung und ist gesperrt worden, sagt die Bergwacht"
        ));
        assert!(!is_weather_widget("Winkel von 45 Grad"));
    }

    #[test]
    fn a_salutation_opens_its_paragraph() {
        let page = read_page(
            "Liebe Leserinnen und Leser,\n\ndie Nacht war lang und die Lage bleibt ernst.",
        );
        let mut labels = vec![Label::Byline, Label::Body];
        salutations(&page, &mut labels);
        assert_eq!(labels, [Label::Body, Label::Body]);
        let page = read_page("Von Anna Muster,\n\nDie Nacht war lang.");
        let mut labels = vec![Label::Byline, Label::Body];
        salutations(&page, &mut labels);
        assert_eq!(labels[0], Label::Byline);
    }
}
