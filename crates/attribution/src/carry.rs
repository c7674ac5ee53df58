//! A claim that the report states first and attributes a sentence later: "Kim plant, im September
//! nach Russland zu reisen. Dort will er mit Putin sprechen, wie die New York Times unter Berufung
//! auf US-Quellen berichtete." News writing often names the source in the second sentence only.
//! A sentence's claim without a source takes the chain of the next sentence's claim when that
//! sentence, in the same paragraph, opens with a word that continues it (`continuation_starts` in
//! the language's word list: "Dort", "Dabei", "Er"), so that no reported claim passes for a fact.

use crate::lexicon::Lexicon;
use crate::text::View;
use dossier_core::{Attribution, Document};

/// How sure the carried chain is: the link between the two sentences is read off one word.
const CARRIED: f32 = 0.5;

pub(crate) fn carry_back(
    doc: &Document,
    view: &View,
    lex: &Lexicon,
    attributions: &mut [Attribution],
) {
    if lex.continuation_starts.is_empty() || view.toks.is_empty() {
        return;
    }
    let sentence_at = |char_pos: usize| {
        let byte = doc.byte_range([char_pos, char_pos]).start;
        let k = view.toks.partition_point(|t| t.b1 <= byte);
        view.toks.get(k).map(|t| t.sent as usize)
    };
    let sentences: Vec<Option<usize>> = attributions
        .iter()
        .map(|a| sentence_at(a.claim.span[0]))
        .collect();
    // Per sentence, the first claim that opens it and names a source (looked up once, so that
    // a report with thousands of claims stays linear).
    let mut opening: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (k, a) in attributions.iter().enumerate() {
        let Some(s) = sentences[k] else { continue };
        if a.chain.is_empty() || opening.contains_key(&s) {
            continue;
        }
        let (start, end) = view.sents[s];
        if start < end && doc.byte_range(a.claim.span).start <= view.toks[start].b0 {
            opening.insert(s, k);
        }
    }
    for i in 0..attributions.len() {
        if !attributions[i].chain.is_empty() {
            continue;
        }
        let Some(s) = sentences[i] else {
            continue;
        };
        let Some(&(next_start, next_end)) = view.sents.get(s + 1) else {
            continue;
        };
        if next_start >= next_end || view.sent_para.get(s) != view.sent_para.get(s + 1) {
            continue;
        }
        if !lex.continuation_starts.contains(view.lower(next_start)) {
            continue;
        }
        // The next sentence's claim must open that sentence and name a source.
        if let Some(&k) = opening.get(&(s + 1)) {
            let chain = attributions[k].chain.clone();
            let a = &mut attributions[i];
            a.chain = chain;
            a.confidence = a.confidence.min(CARRIED);
        }
    }
}
