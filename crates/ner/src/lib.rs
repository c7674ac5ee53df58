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
//!     --epochs 8 --o-penalty 0 --bits 19 --ensemble 5
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
static NAME_PARTICLES_DE: &str = include_str!("../data/name-particles-de.txt");
static NAME_PARTICLES_EN: &str = include_str!("../data/name-particles-en.txt");

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

/// The language whose model tags a document of language `lang`: its own where one is shipped,
/// German (the project's first language) when the language could not be told (`und`), and
/// `None` for every other language: another language's model would take its capitalised words
/// and sentence fragments for names.
pub fn model_language(lang: &str) -> Option<&'static str> {
    match lang {
        "en" => Some("en"),
        "de" | "und" | "" => Some("de"),
        _ => None,
    }
}

/// The embedded tagger for a language (see [`model_language`]). `None` when no model is shipped
/// for it.
pub fn tagger(lang: &str) -> Option<&'static Tagger> {
    static DE: OnceLock<Option<Tagger>> = OnceLock::new();
    static EN: OnceLock<Option<Tagger>> = OnceLock::new();
    let (cell, model, lang) = match model_language(lang)? {
        "en" => (&EN, MODEL_EN, "en"),
        _ => (&DE, MODEL_DE, "de"),
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
        EN.get_or_init(|| {
            group::Rules::parse(ROLES_EN, ORG_HEADS_EN, NAME_CONTEXT_EN, NAME_PARTICLES_EN)
        })
    } else {
        DE.get_or_init(|| {
            group::Rules::parse(ROLES_DE, ORG_HEADS_DE, NAME_CONTEXT_DE, NAME_PARTICLES_DE)
        })
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
    let mut sentence_start = vec![false; texts.len()];
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
        sentence_start[i] = true;
        i = j;
    }
    // A name never runs on from one sentence into the next: a sentence's first token tagged
    // `I-` (the tagger decodes each sentence alone) opens a name of its own.
    for (label, _) in labels.iter_mut().zip(&sentence_start).filter(|(_, s)| **s) {
        if let Some(ty) = label.strip_prefix("I-") {
            *label = format!("B-{ty}");
        }
    }
    let rules = rules(lang);
    group::repair_labels(&texts, &mut labels, &tagger.lexicon, rules);
    trim_lowercase_spans(&texts, &sentence_start, &mut labels, &tagger.lexicon, rules);
    label_datelines(doc, &texts, &mut labels);
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    group::build(doc, &texts, &labels, &tagger.lexicon, rules)
}

/// Wire-copy datelines: a paragraph that opens with "PLACE (AGENCY) —" or "PLACE, date
/// (AGENCY/AGENCY) -" names the place the story was filed from and the agencies that filed it.
/// The tagger, trained on running text, often misses an all-caps place or takes "ISTANBUL (AP)"
/// for one organisation; the layout says what each part is. The agencies are the ones the
/// clean stage found (`meta.agencies`), so an ordinary parenthesis never matches.
fn label_datelines(doc: &Document, texts: &[&str], labels: &mut [String]) {
    // The dateline the clean stage read (`meta.dateline`): its place is a place, the rest of it
    // (region, date, parenthesis, dash) no name but its agencies.
    if let Some(d) = &doc.meta.dateline {
        let n = texts.len().min(labels.len()).min(doc.tokens.len());
        let first = doc.tokens[..n].partition_point(|t| t[0] < d.span[0]);
        let mut in_place = false;
        for k in first..n {
            let t = doc.tokens[k];
            if t[0] >= d.span[1] {
                break;
            }
            labels[k] = if t[0] >= d.place.span[0] && t[1] <= d.place.span[1] {
                let l = if in_place { "I-LOC" } else { "B-LOC" };
                in_place = true;
                l
            } else if d.agencies.iter().any(|a| a.eq_ignore_ascii_case(texts[k])) {
                "B-ORG"
            } else {
                "O"
            }
            .to_string();
        }
    }
    if doc.meta.agencies.is_empty() {
        return;
    }
    let is_agency = |w: &str| doc.meta.agencies.iter().any(|a| a.eq_ignore_ascii_case(w));
    let n = texts.len().min(labels.len()).min(doc.tokens.len());
    for i in 0..n {
        // Paragraph start: the token is the first of the text or follows a line break.
        let start = doc.tokens[i][0];
        let before = doc.slice([start.saturating_sub(2), start]);
        if start != 0 && !before.ends_with('\n') && !before.ends_with("\n ") {
            continue;
        }
        // The place: one to four capitalised words.
        let mut j = i;
        while j < n && j - i < 4 && texts[j].chars().next().is_some_and(char::is_uppercase) {
            j += 1;
        }
        if j == i {
            continue;
        }
        // An optional ", date" before the parenthesis.
        let mut k = j;
        if texts.get(k) == Some(&",") {
            k += 1;
            while k < n && k - j < 8 && texts[k] != "(" {
                k += 1;
            }
        }
        if texts.get(k) != Some(&"(") {
            continue;
        }
        let mut m = k + 1;
        let mut agencies = Vec::new();
        while m < n && m - k < 8 && texts[m] != ")" {
            if is_agency(texts[m]) {
                agencies.push(m);
            } else if texts[m] != "/" {
                break;
            }
            m += 1;
        }
        let dash = texts
            .get(m + 1)
            .is_some_and(|d| matches!(*d, "-" | "–" | "—"));
        if texts.get(m) != Some(&")") || agencies.is_empty() || !dash {
            continue;
        }
        for (x, label) in labels[i..j].iter_mut().enumerate() {
            *label = if x == 0 { "B-LOC" } else { "I-LOC" }.to_string();
        }
        for label in &mut labels[j..=m] {
            *label = "O".to_string();
        }
        for a in agencies {
            labels[a] = "B-ORG".to_string();
        }
    }
}

/// For a language that capitalises only names (`rules.name_particles` is not empty): a tagged
/// span that holds a lowercase word other than a name particle is not one name. "Italian region
/// of Emilia-Romagna" keeps its last capitalised run ("Emilia-Romagna"); "Logistics firms" at
/// the start of a sentence keeps nothing: a lone capitalised word that opens a sentence and was only a name together
/// with the lowercase words after it is the capital of any first word, and so is a lone
/// sentence-initial word the document also writes in lower case. A span left as one
/// nationality adjective ("German carmaker" → "German") becomes a derived mention of its
/// country.
fn trim_lowercase_spans(
    texts: &[&str],
    sentence_start: &[bool],
    labels: &mut [String],
    lex: &Lexicon,
    rules: &group::Rules,
) {
    if rules.name_particles.is_empty() {
        return;
    }
    let n = texts.len().min(labels.len());
    let lowercase = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
    // Words the document also writes in lower case: a capitalised one that opens a sentence is
    // an ordinary word ("Carmaker …" in a story that speaks of "the carmaker").
    let lower_words: std::collections::HashSet<&str> =
        texts.iter().copied().filter(|w| lowercase(w)).collect();
    let particle = |w: &str| rules.name_particles.contains(&w.to_lowercase());
    let mut i = 0;
    while i < n {
        let Some(ty) = labels[i].strip_prefix("B-").map(str::to_string) else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < n && labels[end].strip_prefix("I-") == Some(ty.as_str()) {
            end += 1;
        }
        // Runs of tokens between breaking lowercase words; the last one is the name.
        let breaks = |k: usize| lowercase(texts[k]) && !particle(texts[k]);
        let mut kept = Some((i, end));
        if (i..end).any(breaks) {
            kept = None;
            let mut k = i;
            while k < end {
                if breaks(k) {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < end && !breaks(k) {
                    k += 1;
                }
                // Trim particles at the edges: a name starts and ends with a capitalised word.
                let (mut a, mut b) = (start, k);
                while a < b && particle(texts[a]) {
                    a += 1;
                }
                while b > a && particle(texts[b - 1]) {
                    b -= 1;
                }
                if a < b {
                    kept = Some((a, b));
                }
            }
            for label in &mut labels[i..end] {
                *label = "O".to_string();
            }
            let demonym = |k: usize| lex.get(texts[k]).gaz & lexicon::GAZ_DEMONYM != 0;
            if kept == Some((i, i + 1)) && sentence_start.get(i) == Some(&true) && !demonym(i) {
                kept = None;
            }
            if let Some((a, b)) = kept {
                for (k, label) in labels[a..b].iter_mut().enumerate() {
                    let prefix = if k == 0 { "B-" } else { "I-" };
                    *label = format!("{prefix}{ty}");
                }
            }
        }
        if let Some((a, b)) = kept {
            let opens = sentence_start.get(a) == Some(&true);
            if b == a + 1 && opens && lower_words.contains(texts[a].to_lowercase().as_str()) {
                labels[a] = "O".to_string();
                i = end;
                continue;
            }
            let demonym = lex.get(texts[a]).gaz & lexicon::GAZ_DEMONYM != 0;
            if b == a + 1 && demonym && !ty.ends_with("deriv") {
                labels[a] = "B-LOCderiv".to_string();
            }
        }
        i = end;
    }
}
