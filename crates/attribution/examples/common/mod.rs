//! What the examples share: the layers the attribution stage reads (sentences, tokens, entities),
//! filled as the pipeline fills them.

pub fn prepare(doc: &mut dossier_core::Document) {
    let seg = dossier_segment::segment(&doc.text, &doc.language);
    doc.sentences = seg
        .sentences
        .iter()
        .map(|&(s, e)| doc.span_of_bytes(s, e))
        .collect();
    doc.tokens = seg
        .tokens
        .iter()
        .map(|&(s, e)| doc.span_of_bytes(s, e))
        .collect();
    doc.entities = dossier_ner::entities(doc);
}
