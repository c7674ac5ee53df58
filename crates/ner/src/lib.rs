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
//! dossier train embeddings --lang de --data ../shared/data --out target/emb-de.tsv.gz …
//! dossier train lexicon --lang de --data ../shared/data --embeddings target/emb-de.tsv.gz \
//!     --out crates/ner/data/lexicon-de.bin.gz
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
pub mod embed;
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
static TITLES_DE: &str = include_str!("../data/titles-de.txt");
static TITLES_EN: &str = include_str!("../data/titles-en.txt");
static ORGS_DE: &str = include_str!("../data/orgs-de.txt");
static ORGS_EN: &str = include_str!("../data/orgs-en.txt");

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

/// The compiled lexicon of a language (Brown clusters, embedding clusters, frequencies,
/// gazetteer flags), shared with the stages whose features read word clusters (attribution):
/// the one the tagger of [`model_language`] loaded, so that it is in memory once. Reading it
/// runs no tagging. `None` where no model is shipped for the language.
pub fn shared_lexicon(lang: &str) -> Option<&'static Lexicon> {
    tagger(lang).map(|t| &t.lexicon)
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
                .with_titles_and_orgs(TITLES_EN, ORGS_EN)
        })
    } else {
        DE.get_or_init(|| {
            group::Rules::parse(ROLES_DE, ORG_HEADS_DE, NAME_CONTEXT_DE, NAME_PARTICLES_DE)
                .with_titles_and_orgs(TITLES_DE, ORGS_DE)
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
    // One label per token: a borrowed `&'static str` (no allocation per token).
    let mut labels: Vec<Label> = Vec::with_capacity(texts.len());
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
        labels.extend(tagger.tag(&texts[i..j]));
        sentence_start[i] = true;
        i = j;
    }
    // A name never runs on from one sentence into the next: a sentence's first token tagged
    // `I-` (the tagger decodes each sentence alone) opens a name of its own.
    for (label, _) in labels.iter_mut().zip(&sentence_start).filter(|(_, s)| **s) {
        if let Some(ty) = label.strip_prefix("I-") {
            *label = label_of(format!("B-{ty}"));
        }
    }
    let rules = rules(lang);
    group::repair_labels(&texts, &mut labels, &tagger.lexicon, rules);
    trim_lowercase_spans(&texts, &sentence_start, &mut labels, &tagger.lexicon, rules);
    split_titles(&texts, &mut labels, &tagger.lexicon, rules);
    repair_caps_and_orgs(
        &texts,
        &mut labels,
        &tagger.lexicon,
        rules,
        &doc.meta.agencies,
    );
    label_datelines(doc, &texts, &mut labels);
    group::build(doc, &texts, &labels, &tagger.lexicon, rules)
}

/// A BIO label of one token. The tagger's labels and the ones the rules set are borrowed
/// strings: a document of millions of tokens holds no string per token.
pub(crate) type Label = &'static str;

/// Every label the models and rules use (GermEval's outer set and `O`).
const KNOWN_LABELS: [&str; 25] = [
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
    "B-PERpart",
    "I-PERpart",
    "B-ORGpart",
    "I-ORGpart",
    "B-LOCpart",
    "I-LOCpart",
    "B-MISCpart",
    "I-MISCpart",
    "B-PERderiv",
    "I-PERderiv",
    "B-ORGderiv",
    "I-ORGderiv",
    "B-LOCderiv",
    "I-LOCderiv",
    "B-MISCderiv",
    "I-MISCderiv",
];

/// The label `l`, borrowed where it is a known one.
pub(crate) fn label_of(l: String) -> Label {
    match KNOWN_LABELS.iter().find(|k| **k == l) {
        Some(k) => k,
        // Every model and rule label is a known one; anything else is no name.
        None => "O",
    }
}

/// Spans `[start, end)` of the tagged names with their type (`B-X I-X …`).
fn spans(labels: &[Label]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let Some(ty) = labels[i].strip_prefix("B-") else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < labels.len() && labels[end].strip_prefix("I-") == Some(ty) {
            end += 1;
        }
        out.push((i, end, ty.to_string()));
        i = end;
    }
    out
}

fn set_span(labels: &mut [Label], start: usize, end: usize, ty: &str) {
    for (k, label) in labels[start..end].iter_mut().enumerate() {
        *label = label_of(format!("{}-{ty}", if k == 0 { "B" } else { "I" }));
    }
}

/// Titles before names: a tagged span that opens with a title ("Thai Prime Minister Abhisit
/// Vejjajiva", "Mr Corbyn", "Health Secretary Sajid Javid") keeps only the name after it, as a
/// person; the grouping then makes the role a `title` mention and joins "Corbyn" to "Jeremy
/// Corbyn". A title word is a role noun (roles-<lang>.txt) or a listed title or form of address
/// (titles-<lang>.txt); capitalised words before it belong to the title ("Health", "Thai"). A
/// span that is nothing but a title ("Prime Minister", "Northern Ireland Secretary") is no name:
/// a leading gazetteer place in it stays a place. The tagger's own PER spans are always split;
/// another type only when the name after the title has two words or the title is a form of
/// address (so "General Motors" and "Criminal Justice Act" stay names).
fn split_titles(texts: &[&str], labels: &mut [Label], lex: &Lexicon, rules: &group::Rules) {
    if rules.titles.is_empty() {
        return;
    }
    let n = texts.len().min(labels.len());
    let listed = |w: &str| {
        rules
            .titles
            .contains(&w.trim_end_matches('.').to_lowercase())
    };
    let is_title = |w: &str| {
        let w = w.trim_end_matches("'s").trim_end_matches("’s");
        w.chars().next().is_some_and(char::is_uppercase)
            && (listed(w) || rules.roles.role_of(w.trim_end_matches('.')).is_some())
    };
    let is_place = |w: &str| lex.get(w).gaz & (lexicon::GAZ_CITY | lexicon::GAZ_COUNTRY) != 0;
    // A form of address before capitalised words the tagger left untagged: "Mr Trump".
    let address = |w: &str| {
        rules
            .address
            .contains(&w.trim_end_matches('.').to_lowercase())
    };
    for k in 0..n.saturating_sub(1) {
        if labels[k] != "O" || !address(texts[k]) {
            continue;
        }
        let mut e = k + 1;
        while e < n
            && e - k <= 3
            && labels[e] == "O"
            && texts[e].chars().next().is_some_and(char::is_uppercase)
            && !is_title(texts[e])
        {
            e += 1;
        }
        if e > k + 1 && (e == n || !labels[e].starts_with("I-")) {
            set_span(labels, k + 1, e, "PER");
        }
    }
    for (i, end, ty) in spans(&labels[..n]) {
        if ty.ends_with("deriv") || ty.ends_with("part") {
            continue;
        }
        // The last title word that a non-title word follows (or the span's end).
        let Some(r) = (i..end).rev().find(|&k| is_title(texts[k])) else {
            continue;
        };
        if r - i > 4 {
            continue;
        }
        let first_title = (i..=r).find(|&k| is_title(texts[k])).unwrap_or(r);
        if r + 1 == end {
            // Only a title: not a name. A leading place keeps its own label.
            for label in &mut labels[i..end] {
                *label = "O";
            }
            let place_end = (i..first_title)
                .take_while(|&k| is_place(texts[k]))
                .last()
                .map(|k| k + 1);
            if let Some(pe) = place_end {
                set_span(labels, i, pe, "LOC");
            }
            continue;
        }
        let name_ok = texts[r + 1..end]
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) || *w == "-")
            && texts[r + 1].chars().next().is_some_and(char::is_uppercase);
        if !name_ok {
            continue;
        }
        let split = ty == "PER" || end - (r + 1) >= 2 || address(texts[r]);
        if !split {
            continue;
        }
        for label in &mut labels[i..=r] {
            *label = "O";
        }
        set_span(labels, r + 1, end, "PER");
    }
}

/// All-caps words and listed organisations. An all-caps word ("KARACHI") that the lexicon
/// knows in title case as a city or country is a place wherever the tagger typed it otherwise;
/// a token equal to a listed organisation (orgs-<lang>.txt: agencies, parties) or to an agency
/// the clean stage found in the document ("Interfax", "CDU") is an organisation, and a `part`
/// compound that starts with one ("SVP-Kandidat") is an organisation's part.
fn repair_caps_and_orgs(
    texts: &[&str],
    labels: &mut [Label],
    lex: &Lexicon,
    rules: &group::Rules,
    agencies: &[String],
) {
    let n = texts.len().min(labels.len());
    let caps_place = |w: &str| {
        w.chars().count() >= 3
            && w.chars().all(|c| c.is_uppercase() || c == '-')
            && lex.get(&title_case(w)).gaz & (lexicon::GAZ_CITY | lexicon::GAZ_COUNTRY) != 0
    };
    // "KARACHI: Police said": an all-caps place and a colon or dash open a dateline, not a name.
    for (i, end, ty) in spans(&labels[..n]) {
        if end > i + 2 && caps_place(texts[i]) && matches!(texts[i + 1], ":" | "-" | "–" | "—")
        {
            set_span(labels, i, i + 1, "LOC");
            labels[i + 1] = "O";
            set_span(labels, i + 2, end, &ty);
        }
    }
    for (i, end, ty) in spans(&labels[..n]) {
        if ty == "LOC" || ty.ends_with("deriv") || ty.ends_with("part") {
            continue;
        }
        let caps = texts[i..end].iter().all(|w| {
            w.chars().count() >= 3
                && w.chars().all(|c| c.is_uppercase() || c == '-')
                && w.chars().any(char::is_alphabetic)
        });
        if !caps {
            continue;
        }
        let title: Vec<String> = texts[i..end].iter().map(|w| title_case(w)).collect();
        let place = |w: &str| {
            let g = lex.get(w).gaz;
            g & (lexicon::GAZ_CITY | lexicon::GAZ_COUNTRY) != 0 && g & lexicon::GAZ_FIRM == 0
        };
        if title.iter().all(|w| place(w)) && !rules.orgs.contains(texts[i]) {
            set_span(labels, i, end, "LOC");
        }
    }
    let listed_org = |w: &str| rules.orgs.contains(w) || agencies.iter().any(|a| a == w);
    for i in 0..n {
        let w = texts[i];
        // "SVP-Kandidat": a part compound whose first part is a listed organisation.
        if let Some(ty) = labels[i].strip_prefix("B-").filter(|t| t.ends_with("part")) {
            if ty != "ORGpart" && w.split_once('-').is_some_and(|(head, _)| listed_org(head)) {
                labels[i] = "B-ORGpart";
            }
            continue;
        }
        let listed = listed_org(w);
        if !listed || labels[i].ends_with("ORG") {
            continue;
        }
        // A single-token span or an untagged token; longer names that contain it stay.
        let single =
            labels[i].starts_with("B-") && labels.get(i + 1).is_none_or(|l| !l.starts_with("I-"));
        if labels[i] == "O" || single {
            labels[i] = "B-ORG";
        }
    }
}

/// "LOS" → "Los", "BADEN-WÜRTTEMBERG" → "Baden-Württemberg".
pub(crate) fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == '-';
    }
    out
}

/// Wire-copy datelines: a paragraph that opens with "PLACE (AGENCY) —" or "PLACE, date
/// (AGENCY/AGENCY) -" names the place the story was filed from and the agencies that filed it.
/// The tagger, trained on running text, often misses an all-caps place or takes "ISTANBUL (AP)"
/// for one organisation; the layout says what each part is. The agencies are the ones the
/// clean stage found (`meta.agencies`), so an ordinary parenthesis never matches.
fn label_datelines(doc: &Document, texts: &[&str], labels: &mut [Label]) {
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
            };
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
            *label = if x == 0 { "B-LOC" } else { "I-LOC" };
        }
        for label in &mut labels[j..=m] {
            *label = "O";
        }
        for a in agencies {
            labels[a] = "B-ORG";
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
    labels: &mut [Label],
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
                *label = "O";
            }
            let demonym = |k: usize| lex.get(texts[k]).gaz & lexicon::GAZ_DEMONYM != 0;
            if kept == Some((i, i + 1)) && sentence_start.get(i) == Some(&true) && !demonym(i) {
                kept = None;
            }
            if let Some((a, b)) = kept {
                for (k, label) in labels[a..b].iter_mut().enumerate() {
                    let prefix = if k == 0 { "B-" } else { "I-" };
                    *label = label_of(format!("{prefix}{ty}"));
                }
            }
        }
        if let Some((a, b)) = kept {
            let opens = sentence_start.get(a) == Some(&true);
            if b == a + 1 && opens && lower_words.contains(texts[a].to_lowercase().as_str()) {
                labels[a] = "O";
                i = end;
                continue;
            }
            let demonym = lex.get(texts[a]).gaz & lexicon::GAZ_DEMONYM != 0;
            if b == a + 1 && demonym && !ty.ends_with("deriv") {
                labels[a] = "B-LOCderiv";
            }
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&'static str]) -> Vec<Label> {
        l.to_vec()
    }

    #[test]
    fn titles_are_cut_off_names() {
        let rules = rules("en");
        let lex = Lexicon::default();
        let texts = [
            "Thai",
            "Prime",
            "Minister",
            "Abhisit",
            "Vejjajiva",
            "said",
            ".",
        ];
        let mut l = labels(&["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"]);
        split_titles(&texts, &mut l, &lex, rules);
        assert_eq!(l, labels(&["O", "O", "O", "B-PER", "I-PER", "O", "O"]));
        // A form of address before one name word; a bare title is no name.
        let texts = ["Mr", "Trump", "and", "Mrs", "May", "Smith", "spoke"];
        let mut l = labels(&["O", "O", "O", "O", "O", "O", "O"]);
        split_titles(&texts, &mut l, &lex, rules);
        assert_eq!(l, labels(&["O", "B-PER", "O", "O", "B-PER", "I-PER", "O"]));
        let texts = ["Mr", "Trump", "met", "the", "Prime", "Minister"];
        let mut l = labels(&["B-ORG", "I-ORG", "O", "O", "B-ORG", "I-ORG"]);
        split_titles(&texts, &mut l, &lex, rules);
        assert_eq!(l, labels(&["O", "B-PER", "O", "O", "O", "O"]));
        // Names that merely contain a title word stay.
        let texts = [
            "General", "Motors", "and", "the", "Criminal", "Justice", "Act",
        ];
        let mut l = labels(&["B-ORG", "I-ORG", "O", "O", "B-MISC", "I-MISC", "I-MISC"]);
        let before = l.clone();
        split_titles(&texts, &mut l, &lex, rules);
        assert_eq!(l, before);
    }

    #[test]
    fn all_caps_places_and_listed_organisations() {
        let rules = rules("en");
        let city = lexicon::LexInfo {
            gaz: lexicon::GAZ_CITY,
            ..Default::default()
        };
        let lex = Lexicon::from_words(&[("Karachi", city)]);
        let texts = ["KARACHI", ":", "Interfax", "reported", "NASA", "news"];
        let mut l = labels(&["B-ORG", "O", "B-LOC", "O", "B-ORG", "O"]);
        repair_caps_and_orgs(&texts, &mut l, &lex, rules, &[]);
        assert_eq!(l, labels(&["B-LOC", "O", "B-ORG", "O", "B-ORG", "O"]));
        let texts = ["Der", "CDU-Kandidat", "und", "Rom-Reise", "von", "Ostrava"];
        let mut l = labels(&["O", "B-LOCpart", "O", "B-LOCpart", "O", "O"]);
        repair_caps_and_orgs(&texts, &mut l, &lex, rules, &["Ostrava".to_string()]);
        assert_eq!(
            l,
            labels(&["O", "B-ORGpart", "O", "B-LOCpart", "O", "B-ORG"])
        );
        assert_eq!(title_case("BADEN-WÜRTTEMBERG"), "Baden-Württemberg");
        let texts = ["KARACHI", ":", "Police", "Chief", "said"];
        let mut l = labels(&["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]);
        repair_caps_and_orgs(&texts, &mut l, &lex, rules, &[]);
        assert_eq!(l, labels(&["B-LOC", "O", "B-ORG", "I-ORG", "O"]));
    }
}
