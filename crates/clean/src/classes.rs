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

/// One label per line of `page.lines`.
pub(crate) fn classify_lines(page: &Page, model: &Model, decider: Decider) -> Vec<Label> {
    let mut labels: Vec<Label> = if model.is_empty() {
        page.cues.iter().map(cue_label).collect()
    } else {
        let mut bias = [0f32; N];
        if decider == Decider::ModelAndCues {
            bias[Label::Body.index()] = tuned("DOSSIER_CLEAN_BODY", BODY_BIAS);
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
            headline_when_missing(&mut labels, &scores, &page.cues);
        }
        labels
    };
    if decider == Decider::ModelAndCues {
        for ((label, cue), line) in labels.iter_mut().zip(&page.cues).zip(&page.lines) {
            if line.date_prefix {
                *label = Label::DatelineDate;
            } else if let Some(l) = certain_cue(cue) {
                *label = l;
            }
        }
    }
    labels
}

/// How far below the best label a line's headline score may be for it to be taken as the
/// headline of a page where the sequence chose none (tuned by cross-validation).
fn headline_margin() -> f32 {
    tuned("DOSSIER_CLEAN_MARGIN", HEADLINE_MARGIN)
}

/// Added to every line's body score: losing a paragraph costs a reader more than keeping a line
/// of furniture (tuned by cross-validation).
const BODY_BIAS: f32 = 60.0;

fn tuned(var: &str, default: f32) -> f32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const HEADLINE_MARGIN: f32 = 0.0;

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
