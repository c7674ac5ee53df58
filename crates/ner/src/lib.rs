//! Named entities: the stage after segmentation. Tags the document's tokens with an averaged
//! structured perceptron (hashed features, Viterbi over BIO; see [`model`] and [`features`]),
//! then groups the tagged mentions into one entity per referent ([`group`]): name variants and
//! genitives ("Putins") join the full name, a lone surname joins the full name mentioned
//! elsewhere, nationality adjectives become `derived` mentions of their country, roles tied to
//! a name become `title` mentions.
//!
//! Models and lexicons are trained by our own commands and embedded gzipped (`data/`):
//!
//! ```text
//! dossier train lexicon --lang de --data ../shared/data --out crates/ner/data/lexicon-de.bin.gz
//! dossier train lexicon --lang en --data ../shared/data --out crates/ner/data/lexicon-en.bin.gz
//! cargo build --release   # embeds the lexicons; the models are trained with them:
//! dossier train ner --lang de --train ../shared/data/ner/germeval2014/train.tsv.gz \
//!     --dev ../shared/data/ner/germeval2014/dev.tsv --out crates/ner/data/model-de.bin.gz \
//!     --epochs 8 --o-penalty 0 --bits 19 --ensemble 3
//! ```
//!
//! (The exact commands used for the shipped models are in the crate README.)
//!
//! GermEval labels: the German model is trained on the full outer label set (PER, ORG, LOC,
//! OTH and their `deriv`/`part` variants). In the report OTH becomes MISC; `deriv` spans
//! ("russischen") become `derived` mentions of the place they derive from; `part` spans
//! ("Ukraine-Krieg") become `part` mentions covering the embedded name ("Ukraine") of that
//! entity when the name can be found in the token, and are dropped otherwise.

pub mod data;
pub mod eval;
pub mod features;
pub mod group;
pub mod lexicon;
pub mod model;
mod msgpack;
pub mod train;

use dossier_core::{Document, Entity};
use lexicon::Lexicon;
use model::Model;
use std::sync::OnceLock;

static MODEL_DE: &[u8] = include_bytes!("../data/model-de.bin.gz");
static MODEL_EN: &[u8] = include_bytes!("../data/model-en.bin.gz");
static LEXICON_DE: &[u8] = include_bytes!("../data/lexicon-de.bin.gz");
static LEXICON_EN: &[u8] = include_bytes!("../data/lexicon-en.bin.gz");
static ROLES_DE: &str = include_str!("../data/roles-de.txt");
static ROLES_EN: &str = include_str!("../data/roles-en.txt");
static ORG_HEADS_DE: &str = include_str!("../data/org-heads-de.txt");
static ORG_HEADS_EN: &str = include_str!("../data/org-heads-en.txt");
static NAME_CONTEXT_DE: &str = include_str!("../data/name-context-de.txt");
static NAME_CONTEXT_EN: &str = include_str!("../data/name-context-en.txt");

/// A model with the lexicon its features read.
pub struct Tagger {
    pub model: Model,
    pub lexicon: Lexicon,
}

impl Tagger {
    /// BIO labels for a sentence's tokens.
    pub fn tag<'a>(&'a self, tokens: &[&str]) -> Vec<&'a str> {
        let feats = features::extract(&self.lexicon, tokens, self.model.mask());
        self.model
            .decode(&feats)
            .into_iter()
            .map(|i| {
                self.model
                    .labels
                    .get(i as usize)
                    .map_or("O", String::as_str)
            })
            .collect()
    }
}

/// The embedded lexicon of a language (`de` or `en`); empty when none is shipped.
pub fn embedded_lexicon(lang: &str) -> Lexicon {
    let bytes = if lang == "en" { LEXICON_EN } else { LEXICON_DE };
    Lexicon::from_bytes(bytes).unwrap_or_default()
}

/// The embedded tagger for a language: English for `en`, German otherwise. `None` when no
/// model is shipped for it.
pub fn tagger(lang: &str) -> Option<&'static Tagger> {
    static DE: OnceLock<Option<Tagger>> = OnceLock::new();
    static EN: OnceLock<Option<Tagger>> = OnceLock::new();
    let (cell, model, lang) = if lang == "en" {
        (&EN, MODEL_EN, "en")
    } else {
        (&DE, MODEL_DE, "de")
    };
    cell.get_or_init(|| {
        let model = Model::from_bytes(model).ok()?;
        Some(Tagger {
            model,
            lexicon: embedded_lexicon(lang),
        })
    })
    .as_ref()
}

/// The word lists of a language (data/*-<lang>.txt).
pub fn rules(lang: &str) -> &'static group::Rules {
    static DE: OnceLock<group::Rules> = OnceLock::new();
    static EN: OnceLock<group::Rules> = OnceLock::new();
    if lang == "en" {
        EN.get_or_init(|| group::Rules::parse(ROLES_EN, ORG_HEADS_EN, NAME_CONTEXT_EN))
    } else {
        DE.get_or_init(|| group::Rules::parse(ROLES_DE, ORG_HEADS_DE, NAME_CONTEXT_DE))
    }
}

/// Tags `doc.tokens` sentence by sentence and groups the mentions into entities.
pub fn entities(doc: &Document) -> Vec<Entity> {
    let Some(tagger) = tagger(&doc.language) else {
        return Vec::new();
    };
    let lang = if doc.language == "en" { "en" } else { "de" };
    let texts: Vec<&str> = doc.tokens.iter().map(|&t| doc.slice(t)).collect();
    let mut labels: Vec<String> = Vec::with_capacity(texts.len());
    // Tokens grouped by the sentence that contains them (both layers are sorted).
    let mut i = 0;
    let mut sentence = 0;
    while i < texts.len() {
        let start = doc.tokens[i][0];
        while sentence < doc.sentences.len() && doc.sentences[sentence][1] <= start {
            sentence += 1;
        }
        let end_char = doc.sentences.get(sentence).map_or(usize::MAX, |s| s[1]);
        let mut j = i + 1;
        // Cap very long "sentences" (tables, lists) so one Viterbi pass stays small.
        while j < texts.len() && doc.tokens[j][1] <= end_char && j - i < 400 {
            j += 1;
        }
        labels.extend(tagger.tag(&texts[i..j]).into_iter().map(String::from));
        i = j;
    }
    let rules = rules(lang);
    group::repair_labels(&texts, &mut labels, &tagger.lexicon, rules);
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    group::build(doc, &texts, &labels, &tagger.lexicon, rules)
}
