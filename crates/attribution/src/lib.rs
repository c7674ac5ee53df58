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
mod carry;
pub mod compile;
pub mod eval;
pub mod learned;
pub mod lexicon;
mod text;
mod wordlists;

use dossier_core::{Attribution, Document, Quote};

/// Quotations and attributions of a document, computed from its text, sentences, tokens and
/// entities.
pub fn attribute(doc: &Document) -> (Vec<Quote>, Vec<Attribution>) {
    attribute_with(doc, learned::Model::for_language(&doc.language))
}

/// Like [`attribute`], with the given model (or the rules alone): for evaluations and training.
pub fn attribute_with(
    doc: &Document,
    model: Option<&learned::Model>,
) -> (Vec<Quote>, Vec<Attribution>) {
    let (quotes, attributions, _) = run(doc, model);
    (quotes, attributions)
}

/// Rules, model and the carried chains; also how many sentences were analysed in windows.
fn run(doc: &Document, model: Option<&learned::Model>) -> (Vec<Quote>, Vec<Attribution>, usize) {
    if doc.text.is_empty() {
        return (Vec::new(), Vec::new(), 0);
    }
    let analyzer = analyze::Analyzer::new(doc);
    let windowed = analyzer.windowed();
    let mut found = analyzer.run();
    let predicted = match model {
        Some(m) => {
            let view = analyzer.view();
            let lex = analyzer.lexicon();
            let mut decoder = learned::Decoder::new(m);
            learned::features::sentence_features(doc, view, lex, &found.events, |a, features| {
                let b = a + features.len();
                let lower: Vec<&str> = (a..b).map(|k| view.lower(k)).collect();
                let classes = learned::features::cluster_classes(doc, view, a, b);
                let (para, sub1) = sentence_context(view, lex, a, b);
                decoder.push(a, features, &lower, &classes, para, sub1);
            });
            decoder.finish()
        }
        None => Default::default(),
    };
    learned::merge(
        doc,
        analyzer.view(),
        analyzer.lexicon(),
        &mut found,
        &predicted,
    );
    carry::carry_back(
        doc,
        analyzer.view(),
        analyzer.lexicon(),
        &mut found.attributions,
    );
    if let Some(d) = &doc.meta.dateline {
        outside_dateline(doc, d.span, &mut found.quotes, &mut found.attributions);
    }
    (found.quotes, found.attributions, windowed)
}

/// The dateline ("KARACHI, Pakistan (AP) —") is where the story was filed, not what anybody
/// said: a quotation or claim that starts inside it starts after it, and speaker words inside it
/// are no speaker.
fn outside_dateline(
    doc: &Document,
    dateline: dossier_core::Span,
    quotes: &mut Vec<Quote>,
    attributions: &mut Vec<Attribution>,
) {
    let inside = |s: dossier_core::Span| s[0] >= dateline[0] && s[1] <= dateline[1];
    let clip = |span: &mut dossier_core::Span, text: &mut String| {
        if span[0] >= dateline[0] && span[0] < dateline[1] && span[1] > dateline[1] {
            span[0] = dateline[1];
            *text = doc.slice(*span).to_string();
        }
    };
    quotes.retain_mut(|q| {
        clip(&mut q.span, &mut q.content);
        if q.speaker_span.is_some_and(inside) {
            q.speaker_span = None;
            q.speaker_text = None;
            q.speaker = None;
        }
        !inside(q.span)
    });
    attributions.retain_mut(|a| {
        clip(&mut a.claim.span, &mut a.claim.text);
        !inside(a.claim.span)
    });
}

/// The model's own spans per role ([`learned::ROLES`]) as byte ranges, without the rules' output:
/// for evaluations that score the model apart.
pub fn model_spans(doc: &Document, model: &learned::Model) -> [Vec<(usize, usize)>; 4] {
    if doc.text.is_empty() {
        return Default::default();
    }
    let analyzer = analyze::Analyzer::new(doc);
    let found = analyzer.run();
    let view = analyzer.view();
    let features = learned::features::token_features(doc, view, analyzer.lexicon(), &found.events);
    let lower: Vec<&str> = (0..view.toks.len()).map(|k| view.lower(k)).collect();
    let classes = learned::features::cluster_classes(doc, view, 0, view.toks.len());
    let (paras, sub1): (Vec<usize>, Vec<bool>) = view
        .sents
        .iter()
        .map(|&(a, b)| sentence_context(view, analyzer.lexicon(), a, b))
        .unzip();
    model
        .predict(&features, &lower, &classes, &view.sents, &paras, &sub1)
        .map(|spans| {
            spans
                .into_iter()
                .map(|(a, b)| (view.toks[a].b0, view.toks[b - 1].b1))
                .collect()
        })
}

/// The paragraph of the sentence of tokens `a..b` and whether it holds a Konjunktiv I form (for
/// the model's second pass).
pub(crate) fn sentence_context(
    view: &text::View,
    lex: &lexicon::Lexicon,
    a: usize,
    b: usize,
) -> (usize, bool) {
    let para = view
        .toks
        .get(a)
        .and_then(|t| view.sent_para.get(t.sent as usize))
        .copied()
        .unwrap_or(0);
    let sub1 = (a..b).any(|k| lex.mood(view.lower(k)) == Some(lexicon::Mood::Sub1));
    (para, sub1)
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
    let (quotes, attributions, windowed) = run(doc, learned::Model::for_language(&doc.language));
    doc.quotes = quotes;
    doc.attributions = attributions;
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
