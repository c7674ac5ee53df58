//! The analysis pipeline: one raw document in, one report out.

use dossier_core::{Document, Published, Source};
use dossier_ingest::{Format, RawDocument};

/// What the user told us about the documents.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The document date, `YYYY-MM-DD`, when the user knows it (`--dct`).
    pub dct: Option<String>,
}

/// Decodes an input and analyses every document in it; a record that could not be read (a bad
/// line of a JSON Lines file) is an error of its own, so the rest of the input goes on.
pub fn analyze_input(
    name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Vec<Result<Document, String>>, dossier_ingest::IngestError> {
    let raws = dossier_ingest::read_input(name, bytes)?;
    Ok(raws
        .into_iter()
        .map(|raw| match raw.error.clone() {
            Some(error) => Err(error),
            None => Ok(analyze_raw(raw, options)),
        })
        .collect())
}

/// Like [`analyze_input`], for callers that want documents only: any unreadable record makes
/// the whole input an error.
pub fn analyze_bytes(
    name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Vec<Document>, dossier_ingest::IngestError> {
    analyze_input(name, bytes, options)?
        .into_iter()
        .map(|r| r.map_err(dossier_ingest::IngestError))
        .collect()
}

/// Runs every stage on one decoded document.
pub fn analyze_raw(mut raw: RawDocument, options: &Options) -> Document {
    let mut article = match raw.format {
        Format::Html => dossier_html::extract(&raw.content, raw.url.as_deref()),
        Format::Text | Format::Jsonl => dossier_clean::clean_page_dump(&raw.content),
    };
    // The input text is not needed again: free it before the later stages need their memory.
    raw.content = String::new();
    // Fields given alongside the content (JSON Lines) win over what extraction guessed.
    if raw.title.is_some() && article.headline.is_none() {
        article.headline = raw.title.clone();
    }
    if raw.url.is_some() {
        article.url = raw.url.clone();
    }
    let jsonl_published = raw.published.clone();
    let source = Source {
        name: raw.name,
        format: raw.container.name().into(),
        bytes: raw.bytes,
        encoding: Some(raw.encoding),
        url: raw.url,
    };
    let mut doc = Document::from_article(raw.id, source, article);

    if let Some(date) = jsonl_published {
        doc.meta.published = Some(Published {
            date,
            origin: "metadata".into(),
            evidence: vec!["the input record's `published` field".into()],
            confidence: 1.0,
        });
    }
    if let Some(date) = &options.dct {
        doc.meta.published = Some(Published {
            date: date.clone(),
            origin: "given".into(),
            evidence: vec!["given on the command line (--dct)".into()],
            confidence: 1.0,
        });
    }

    doc.language = dossier_langid::detect(&doc.text);
    let seg = segment_document(&mut doc);
    dossier_time::annotate(&mut doc, &seg.sentences);
    // Byte offsets of every token: 16 bytes a token, no longer needed.
    drop(seg);
    doc.entities = dossier_ner::entities(&doc);
    dossier_geo::annotate(&mut doc);
    dossier_attribution::annotate(&mut doc);
    doc
}

/// Fills the sentence and token layers; returns the segmentation in byte offsets, which the
/// time tagger reads.
pub fn segment_document(doc: &mut Document) -> dossier_segment::Segmentation {
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
    seg
}

/// Starts building the embedded tables a German report needs (NER model and lexicon, gazetteer,
/// attribution lexicon, time rules) on background threads and returns at once: a one-file run
/// then waits for the slowest of them instead of their sum (most of a cold start is
/// decompressing them). A stage that needs a table before it is ready waits for it; the tables
/// sit in `OnceLock`s, so nothing is built twice.
pub fn warm_up_in_background() {
    let jobs: [fn(); 4] = [
        || {
            let _ = dossier_ner::tagger("de");
        },
        || {
            let _ = dossier_geo::gazetteer::Gazetteer::get();
        },
        || {
            let _ = dossier_attribution::lexicon::Lexicon::for_language("de");
        },
        || {
            let _ = dossier_time::has_rules("de");
        },
    ];
    for job in jobs {
        // A thread that cannot be started only means the table is built on first use.
        let _ = std::thread::Builder::new().spawn(job);
    }
}
