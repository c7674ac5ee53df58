//! Attribution stage: who says what, and how the text stands to each claim.
//!
//! Input: a `Document` with `text`, `sentences`, `tokens` (either may be empty: the stage then
//! segments by a simple rule) and `entities`; output: `quotes` and `attributions`.
//!
//! * Direct quotations in every mark style („…“ “…” »…« «…» "…" ‚…‘), nested, across sentences and
//!   partial, each with the cue and speaker of its sentence's speech frame.
//! * Speech frames, by rule over a few sentence shapes: trailing ("…, sagte Kirby am Montag"),
//!   "…, wie X berichteten", "…, so X", leading ("X berichtete, …", "X sagte, dass …", "X said
//!   (that) …"), and source markers ("laut X", "nach Angaben X", "unter Berufung auf X", "X
//!   zufolge", "nach X-Informationen", "according to X", "citing X").
//! * German reported speech runs on over following sentences in the Konjunktiv (or with "demnach")
//!   until the text returns to the indicative or names a new source. Konjunktiv I/II forms come
//!   from a morphology artifact built from the shared lemma table and UD (`compile.rs`), not from a
//!   hand list.
//! * Chains run from the nearest source outwards ([New York Times, US sources]); the document's
//!   own agencies (`meta.agencies`) are left out. Stances: denied (cue verb), alleged ("sollen" +
//!   perfect infinitive, "angeblich"), hoped, planned ("will", "plant", "werde … reisen"),
//!   hypothetical (Konjunktiv II or a condition outside reported speech), reported, asserted.
//!   Sentences the text asserts without any of these marks get no attribution.
//!
//! Word lists live in `data/de.txt` and `data/en.txt`; the German verb forms in
//! `data/de.morph.tsv.gz` (rebuild: `dossier build attribution-lexicon`).

mod analyze;
pub mod compile;
pub mod eval;
pub mod lexicon;
mod text;
mod wordlists;

use dossier_core::{Attribution, Document, Quote};

/// Quotations and attributions of a document, computed from its text, sentences, tokens and
/// entities.
pub fn attribute(doc: &Document) -> (Vec<Quote>, Vec<Attribution>) {
    if doc.text.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let found = analyze::Analyzer::new(doc).run();
    (found.quotes, found.attributions)
}

/// One speech event in byte offsets into `doc.text`, for evaluation against corpora that annotate
/// cue, source and message spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechEvent {
    pub cue: Option<(usize, usize)>,
    /// The source's noun phrase where this sentence names it (not for a report's continuation).
    pub source: Option<(usize, usize)>,
    /// The message: a quotation's content or the reported clause.
    pub content: (usize, usize),
    /// A quotation in quotation marks (else reported speech).
    pub direct: bool,
}

/// The speech events behind `attribute`'s quotations.
pub fn speech_events(doc: &Document) -> Vec<SpeechEvent> {
    if doc.text.is_empty() {
        return Vec::new();
    }
    analyze::Analyzer::new(doc).run().events
}

/// Fills `doc.quotes` and `doc.attributions`; a sentence too long to be looked at whole is
/// analysed in windows, and `doc.meta.warnings` says so.
pub fn annotate(doc: &mut Document) {
    if doc.text.is_empty() {
        doc.quotes = Vec::new();
        doc.attributions = Vec::new();
        return;
    }
    let analyzer = analyze::Analyzer::new(doc);
    let windowed = analyzer.windowed();
    let found = analyzer.run();
    doc.quotes = found.quotes;
    doc.attributions = found.attributions;
    if windowed > 0 {
        let sentences = if windowed == 1 {
            "sentence"
        } else {
            "sentences"
        };
        doc.meta.warnings.push(format!(
            "attribution: {windowed} {sentences} longer than {} tokens analysed in windows of that size",
            text::MAX_SENTENCE_TOKENS
        ));
    }
}

/// How much work (token look-ups) the attribution rules do on `doc`: for tests that check the
/// stage grows linearly with its input.
#[doc(hidden)]
pub fn work(doc: &Document) -> u64 {
    if doc.text.is_empty() {
        return 0;
    }
    let analyzer = analyze::Analyzer::new(doc);
    let _ = analyzer.run();
    analyzer.steps()
}

#[cfg(test)]
mod tests;
