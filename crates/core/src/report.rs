//! The report of `shared/design/report-schema.md`, version 1, as Rust types.

use crate::{Article, Caption, OffsetMap, Removed, Span, SCHEMA};
use serde::{Deserialize, Serialize};

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name, URL or `-`.
    pub name: String,
    /// `text | html | jsonl`.
    pub format: String,
    /// Size of the input in bytes.
    pub bytes: usize,
    /// The character encoding the input was decoded from (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The URL of the page, when the input named one (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub text: String,
    pub span: Span,
}

/// The document date and how it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `metadata | given | inferred`.
    pub origin: String,
    pub evidence: Vec<String>,
    /// How sure we are, 0..1 (an addition to schema v1; 1 for metadata and given dates).
    #[serde(default = "one")]
    pub confidence: f32,
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub headline: Option<TextSpan>,
    pub kicker: Option<String>,
    pub lead: Option<TextSpan>,
    pub published: Option<Published>,
    pub authors: Vec<String>,
    pub agencies: Vec<String>,
    pub outlet: Option<String>,
    pub captions: Vec<Caption>,
    pub removed: Vec<Removed>,
    /// What went wrong in extraction or analysis and how it was handled (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Which model or data each stage ran with: stage name → how it ran (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageRun>,
    /// The wire dateline that opens the story ("KARACHI, Pakistan (AP) —", "WIEN. –"), if any
    /// (an addition to schema v1): it is no part of the first sentence's claim or speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<Dateline>,
}

/// A dateline: where (and when, and by whom) a story was filed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The whole dateline in `text`, its closing dash or colon included.
    pub span: Span,
    /// The place it was filed from ("KARACHI", "WIEN"; the region after a comma is not part).
    pub place: TextSpan,
    /// The date it gives ("May 7"), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<TextSpan>,
    /// The agencies it names, canonical names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
}

/// How one stage ran on this document: with the data of which language, or not at all, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRun {
    /// `clean | html | langid | segment | time | ner | geo | attribution | ...`.
    pub stage: String,
    /// The language whose model or data ran (`de`, `en`), `any` for language-independent
    /// methods only, or `none` when the stage did not run.
    pub language: String,
    /// Why, when the stage did not run with a model of the document's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    pub text: String,
    /// `name | alias | title | derived`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
    pub geonames: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    /// `PER | ORG | LOC | MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub mentions: Vec<Mention>,
    pub geo: Option<Geo>,
    /// How sure the stage is that this is an entity of this type, 0..1, where it is less sure
    /// than a model of the document's language would be (an addition to schema v1; absent when
    /// a tagger of the language found it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Time {
    pub id: String,
    pub span: Span,
    pub text: String,
    /// `DATE | TIME | DURATION | SET`.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: Option<String>,
    /// `dct | T<n> | none`.
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: String,
    /// `direct | indirect | mixed`.
    pub kind: String,
    pub span: Span,
    pub content: String,
    pub cue: Option<Cue>,
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    /// The words of the quotation's own sentence (or frame) that name its speaker, a pronoun or
    /// a title included ("er", "der Sprecher"); `speaker` is the entity they stand for (an
    /// addition to schema v1).
    #[serde(default)]
    pub speaker_span: Option<Span>,
    /// Whom the words are addressed to, where the text says so (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee_span: Option<Span>,
    /// How sure the stage is of this quotation and its attribution, 0..1 (an addition to schema v1).
    #[serde(default)]
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainLink {
    pub entity: Option<String>,
    pub text: String,
    pub cue: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub id: String,
    pub claim: TextSpan,
    pub chain: Vec<ChainLink>,
    /// `asserted | reported | alleged | planned | hoped | denied | hypothetical`.
    pub stance: String,
    /// How sure the stage is of the claim's extent and its chain, 0..1 (an addition to schema v1).
    #[serde(default)]
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: String,
    pub actors: Vec<String>,
    pub targets: Vec<String>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub span: Span,
    pub attribution: Option<String>,
    pub confidence: f32,
    /// PLOVER's own sub-type of the root type (its "mode": CONSULT `visit`, PROTEST `strike`, …),
    /// where the text says (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// The words that express the event (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<TextSpan>,
    /// The separable particle or the nominal part of a support-verb construction ("lehnt … ab"),
    /// where the trigger is discontinuous (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_particle: Option<TextSpan>,
    /// The words of the sentence that name the actors, one span per actor (an addition to schema v1;
    /// also where no entity stands behind them: "die Polizei").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actor_mentions: Vec<TextSpan>,
    /// The words that name the targets (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_mentions: Vec<TextSpan>,
    /// Each actor's PLOVER code, in the order of `actor_mentions` (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actor_codes: Vec<ActorCode>,
    /// Each target's PLOVER code, in the order of `target_mentions` (an addition to schema v1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_codes: Vec<ActorCode>,
}

/// The PLOVER code of an actor or target: its country and sector (an addition to schema v1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorCode {
    /// ISO 3166-1 alpha-3, where the text says which country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `GOV | MIL | REB | OPP | JUD | COP | BUS | MED | CVL | IGO | NGO | …`, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub kind: String,
    pub span: Span,
    #[serde(flatten)]
    pub detail: serde_json::Map<String, serde_json::Value>,
    pub verdict: String,
}

/// One report: the cleaned text and every layer the pipeline adds to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub schema: String,
    pub id: String,
    pub source: Source,
    pub language: String,
    pub text: String,
    pub meta: Meta,
    pub sentences: Vec<Span>,
    /// Token spans (an addition to schema v1): the segmentation layer later stages read.
    pub tokens: Vec<Span>,
    pub entities: Vec<Entity>,
    pub times: Vec<Time>,
    pub quotes: Vec<Quote>,
    pub attributions: Vec<Attribution>,
    pub events: Vec<Event>,
    pub checks: Vec<Check>,
    #[serde(skip)]
    offsets: OffsetMap,
}

/// The separator between paragraphs in `text`.
pub const PARAGRAPH_BREAK: &str = "\n\n";

impl Document {
    /// Lays out an article as one `text` (headline, lead, body paragraphs, separated by a blank
    /// line) and fills `meta` with spans into it.
    pub fn from_article(id: String, source: Source, article: Article) -> Self {
        let mut text = String::new();
        let mut headline_bytes = None;
        let mut lead_bytes = None;
        let push = |text: &mut String, part: &str| -> Option<(usize, usize)> {
            let part = part.trim();
            if part.is_empty() {
                return None;
            }
            if !text.is_empty() {
                text.push_str(PARAGRAPH_BREAK);
            }
            let start = text.len();
            text.push_str(part);
            Some((start, text.len()))
        };
        if let Some(h) = &article.headline {
            headline_bytes = push(&mut text, h);
        }
        if let Some(l) = &article.lead {
            lead_bytes = push(&mut text, l);
        }
        for p in &article.paragraphs {
            push(&mut text, p);
        }
        let offsets = OffsetMap::new(&text);
        let text_span = |r: Option<(usize, usize)>| {
            r.map(|(s, e)| TextSpan {
                text: text[s..e].to_string(),
                span: [offsets.char(s), offsets.char(e)],
            })
        };
        let published = article.published.map(|date| Published {
            date,
            origin: "metadata".into(),
            evidence: article.published_evidence.into_iter().collect(),
            confidence: 1.0,
        });
        let meta = Meta {
            headline: text_span(headline_bytes),
            kicker: article.kicker,
            lead: text_span(lead_bytes),
            published,
            authors: article.authors,
            agencies: article.agencies,
            outlet: article.outlet,
            captions: article.captions,
            removed: article.removed,
            warnings: article.warnings,
            stages: Vec::new(),
            dateline: None,
        };
        let source = Source {
            url: source.url.or(article.url),
            ..source
        };
        Document {
            schema: SCHEMA.into(),
            id,
            source,
            language: "und".into(),
            text,
            meta,
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            times: Vec::new(),
            quotes: Vec::new(),
            attributions: Vec::new(),
            events: Vec::new(),
            checks: Vec::new(),
            offsets,
        }
    }

    /// A document from plain paragraphs with no page around them: what evaluations on corpora
    /// and unit tests of later stages start from.
    pub fn from_paragraphs(name: &str, language: &str, paragraphs: Vec<String>) -> Self {
        let bytes = paragraphs.iter().map(String::len).sum();
        let source = Source {
            name: name.into(),
            format: "text".into(),
            bytes,
            encoding: None,
            url: None,
        };
        let article = Article {
            paragraphs,
            ..Default::default()
        };
        let mut doc = Document::from_article(name.into(), source, article);
        doc.language = language.into();
        doc
    }

    /// Rebuilds the offset table after deserialising a report.
    pub fn reindex(&mut self) {
        self.offsets = OffsetMap::new(&self.text);
    }

    /// The code-point span of a byte range of `text`.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> Span {
        [self.offsets.char(start), self.offsets.char(end)]
    }

    /// The byte range of a code-point span of `text`.
    pub fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        self.offsets.byte(span[0])..self.offsets.byte(span[1])
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[self.byte_range(span)]
    }

    /// Length of `text` in code points.
    pub fn len_chars(&self) -> usize {
        self.offsets.len_chars()
    }

    /// Every span of the report with the text it claims to cover, if any; for validity checks.
    pub fn all_spans(&self) -> Vec<(&'static str, Span, Option<&str>)> {
        let mut out: Vec<(&'static str, Span, Option<&str>)> = Vec::new();
        if let Some(h) = &self.meta.headline {
            out.push(("meta.headline", h.span, Some(&h.text)));
        }
        if let Some(l) = &self.meta.lead {
            out.push(("meta.lead", l.span, Some(&l.text)));
        }
        out.extend(self.sentences.iter().map(|s| ("sentences", *s, None)));
        out.extend(self.tokens.iter().map(|s| ("tokens", *s, None)));
        for e in &self.entities {
            out.extend(
                e.mentions
                    .iter()
                    .map(|m| ("entities.mentions", m.span, Some(m.text.as_str()))),
            );
        }
        out.extend(
            self.times
                .iter()
                .map(|t| ("times", t.span, Some(t.text.as_str()))),
        );
        for q in &self.quotes {
            out.push(("quotes", q.span, None));
            if let Some(c) = &q.cue {
                out.push(("quotes.cue", c.span, Some(c.text.as_str())));
            }
        }
        out.extend(self.attributions.iter().map(|a| {
            (
                "attributions.claim",
                a.claim.span,
                Some(a.claim.text.as_str()),
            )
        }));
        out.extend(self.events.iter().map(|e| ("events", e.span, None)));
        out.extend(self.checks.iter().map(|c| ("checks", c.span, None)));
        out
    }

    /// Checks that every span lies inside `text`, is not inverted, and covers the text it names.
    pub fn validate_spans(&self) -> Result<(), String> {
        let n = self.len_chars();
        for (field, [s, e], claimed) in self.all_spans() {
            if s > e || e > n {
                return Err(format!(
                    "{field}: span [{s}, {e}) outside text of {n} code points"
                ));
            }
            if let Some(claimed) = claimed {
                let actual = self.slice([s, e]);
                if actual != claimed {
                    return Err(format!(
                        "{field}: span [{s}, {e}) covers {actual:?}, not {claimed:?}"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            name: "t".into(),
            format: "text".into(),
            bytes: 0,
            encoding: None,
            url: None,
        }
    }

    #[test]
    fn article_layout_gives_code_point_spans() {
        let article = Article {
            headline: Some("Über Größe".into()),
            lead: Some("Lead.".into()),
            paragraphs: vec!["Body one.".into(), "  ".into(), "Body two.".into()],
            ..Default::default()
        };
        let doc = Document::from_article("x".into(), source(), article);
        assert_eq!(doc.text, "Über Größe\n\nLead.\n\nBody one.\n\nBody two.");
        assert_eq!(doc.meta.headline.as_ref().unwrap().span, [0, 10]);
        assert_eq!(doc.meta.lead.as_ref().unwrap().span, [12, 17]);
        assert_eq!(doc.slice([12, 17]), "Lead.");
        assert_eq!(doc.span_of_bytes(0, "Über".len()), [0, 4]);
        doc.validate_spans().unwrap();
    }

    #[test]
    fn offset_map_round_trips() {
        let m = OffsetMap::new("aé€😀b");
        assert_eq!(m.len_chars(), 5);
        for c in 0..=5 {
            assert_eq!(m.char(m.byte(c)), c);
        }
        assert_eq!(m.char(2), 1, "a byte inside 'é' maps to 'é'");
    }

    #[test]
    fn offset_map_costs_a_byte_and_a_quarter_per_code_point() {
        assert_eq!(OffsetMap::new(&"ascii only ".repeat(1000)).heap_bytes(), 0);
        let text = "Größe ".repeat(1000);
        let chars = text.chars().count();
        let bytes = OffsetMap::new(&text).heap_bytes();
        assert!(
            bytes <= chars + chars / 4 + 64,
            "{bytes} bytes for {chars} code points"
        );
    }

    #[test]
    fn offset_map_agrees_with_char_indices_across_blocks() {
        for text in [
            String::new(),
            "plain ascii text that runs past one block of sixteen".to_string(),
            "Größe €😀 ".repeat(9),
            format!("{}ü", "a".repeat(40)),
        ] {
            let m = OffsetMap::new(&text);
            let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            assert_eq!(m.len_chars(), starts.len());
            for (c, &b) in starts.iter().enumerate() {
                assert_eq!(m.byte(c), b);
                assert_eq!(m.char(b), c);
                for inner in b + 1..starts.get(c + 1).copied().unwrap_or(text.len()) {
                    assert_eq!(m.char(inner), c, "byte {inner} inside code point {c}");
                }
            }
            assert_eq!(m.byte(starts.len()), text.len());
            assert_eq!(m.byte(starts.len() + 5), text.len());
            assert_eq!(m.char(text.len() + 3), starts.len());
        }
    }

    #[test]
    fn id_is_16_hex_digits() {
        let id = crate::document_id(b"abc");
        assert_eq!(id, "ba7816bf8f01cfea");
    }
}
