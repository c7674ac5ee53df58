//! What an extractor (plain-text page dump or HTML) hands to the pipeline: the article as a
//! reader sees it, before it becomes one `text` with spans.

use serde::{Deserialize, Serialize};

/// A cleaned article: the parts a reader keeps, plus what was thrown away and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub kicker: Option<String>,
    pub headline: Option<String>,
    pub lead: Option<String>,
    /// Body paragraphs in reading order (subheadings are paragraphs of their own).
    pub paragraphs: Vec<String>,
    pub captions: Vec<Caption>,
    pub authors: Vec<String>,
    pub agencies: Vec<String>,
    pub outlet: Option<String>,
    /// Publication date as `YYYY-MM-DD`, when the source states it (metadata, `<time>`, JSON-LD).
    pub published: Option<String>,
    /// Where `published` came from, human-readable ("meta article:published_time").
    pub published_evidence: Option<String>,
    pub url: Option<String>,
    pub removed: Vec<Removed>,
    /// What the extractor could not do as it should and how it coped ("the cleaner kept too little
    /// of the page's running text; cleaned conservatively"). Shown to the reader, never silent.
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    pub credit: Option<String>,
}

/// A piece of page furniture that cleaning dropped, with the reason a reader would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: String,
}

impl Removed {
    pub fn new(text: impl Into<String>, reason: impl Into<String>) -> Self {
        Removed {
            text: text.into(),
            reason: reason.into(),
        }
    }
}
