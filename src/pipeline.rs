//! The analysis pipeline: one raw document in, one report out.

use dossier_core::{Document, Published, Source, StageRun};
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
        Format::Text | Format::Jsonl | Format::Warc => dossier_clean::clean_page_dump(&raw.content),
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
    doc.meta.dateline = dossier_clean::dateline::find(&doc);
    if let Some(d) = &doc.meta.dateline {
        for a in &d.agencies {
            if !doc.meta.agencies.contains(a) {
                doc.meta.agencies.push(a.clone());
            }
        }
    }
    let time_rules = dossier_time::annotate(&mut doc, &seg.sentences);
    // Byte offsets of every token: 16 bytes a token, no longer needed.
    drop(seg);
    let ner_model = dossier_ner::model_language(&doc.language);
    doc.entities = match ner_model {
        Some(_) => dossier_ner::entities(&doc),
        None => dossier_geo::places_by_name(dossier_geo::Gazetteer::get(), &doc),
    };
    dossier_geo::annotate(&mut doc);
    dossier_attribution::annotate(&mut doc);
    dossier_events::annotate(&mut doc);
    let extractor = match raw.format {
        Format::Html => "html",
        Format::Text | Format::Jsonl | Format::Warc => "clean",
    };
    doc.meta.stages = stage_runs(&doc.language, extractor, &time_rules, ner_model);
    doc
}

/// Runs the stages after extraction (segmentation to events) on a document made from plain
/// paragraphs, in the given language: what evaluations on sentence corpora start from.
pub fn analyze_paragraphs(
    name: &str,
    language: &str,
    paragraphs: Vec<String>,
    dct: Option<&str>,
) -> Document {
    let mut doc = Document::from_paragraphs(name, language, paragraphs);
    if let Some(date) = dct {
        doc.meta.published = Some(Published {
            date: date.to_string(),
            origin: "given".into(),
            evidence: vec!["given by the evaluation".into()],
            confidence: 1.0,
        });
    }
    let seg = segment_document(&mut doc);
    dossier_time::annotate(&mut doc, &seg.sentences);
    drop(seg);
    doc.entities = match dossier_ner::model_language(&doc.language) {
        Some(_) => dossier_ner::entities(&doc),
        None => dossier_geo::places_by_name(dossier_geo::Gazetteer::get(), &doc),
    };
    dossier_geo::annotate(&mut doc);
    dossier_attribution::annotate(&mut doc);
    dossier_events::annotate(&mut doc);
    doc
}

/// Which language's model or data each stage ran with, and why where that is not the document's
/// own language: a reader must be able to tell what was analysed from what was only guessed.
fn stage_runs(
    lang: &str,
    extractor: &str,
    time_rules: &str,
    ner_model: Option<&str>,
) -> Vec<StageRun> {
    let run = |stage: &str, language: &str, reason: Option<String>| StageRun {
        stage: stage.into(),
        language: language.into(),
        reason,
    };
    let ours = matches!(lang, "de" | "en");
    let undetermined = lang == dossier_langid::UNDETERMINED;
    let guessed = |what: &str| undetermined.then(|| format!("language undetermined: {what}"));
    let mut stages = vec![
        run(
            extractor,
            "de+en",
            (!ours).then(|| "furniture phrases of German and English only".into()),
        ),
        run("langid", "any", None),
    ];
    stages.push(if ours {
        run("segment", lang, None)
    } else {
        run(
            "segment",
            "any",
            Some("generic sentence rules (German and English abbreviations)".into()),
        )
    });
    stages.push(match time_rules {
        "" => run("time", "none", Some("no time rules ran".into())),
        dossier_time::ANY_LANGUAGE => run(
            "time",
            dossier_time::ANY_LANGUAGE,
            Some(format!(
                "no time rules for `{lang}`: ISO and numeric dates only"
            )),
        ),
        rules if rules == lang => run("time", rules, None),
        rules => run(
            "time",
            rules,
            guessed(&format!("`{rules}` rules chosen by common words")),
        ),
    });
    stages.push(match ner_model {
        Some(model) if model == lang => run("ner", model, None),
        Some(model) => run("ner", model, guessed(&format!("`{model}` model"))),
        None => run(
            "ner",
            "none",
            Some(format!(
                "no entity model for `{lang}`: only places the gazetteer knows by name, confidence {}",
                dossier_geo::by_name::CONFIDENCE
            )),
        ),
    });
    stages.push(if ours {
        run("geo", lang, None)
    } else if undetermined {
        run("geo", "en", guessed("English place words"))
    } else {
        run(
            "geo",
            "any",
            Some(format!(
                "no place words for `{lang}`: gazetteer names only, no distance checks"
            )),
        )
    });
    stages.push(match dossier_attribution::lexicon::lexicon_language(lang) {
        Some(words) if words == lang => run("attribution", words, None),
        Some(words) => run(
            "attribution",
            words,
            guessed(&format!("`{words}` word lists")),
        ),
        None => run(
            "attribution",
            "any",
            Some(format!(
                "no speech-verb lexicon for `{lang}`: quotations by their marks only"
            )),
        ),
    });
    stages
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
