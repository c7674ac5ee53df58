//! Sentence and token segmentation for German and English.

/// Sentences and tokens as byte ranges into the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    pub sentences: Vec<(usize, usize)>,
    pub tokens: Vec<(usize, usize)>,
}

/// Segments `text` (language `lang`, ISO 639-1) into sentences and tokens.
pub fn segment(text: &str, lang: &str) -> Segmentation {
    let _ = lang;
    let mut seg = Segmentation::default();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                seg.tokens.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        seg.tokens.push((s, text.len()));
    }
    if !text.is_empty() {
        seg.sentences.push((0, text.len()));
    }
    seg
}
