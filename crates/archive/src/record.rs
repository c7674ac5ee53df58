//! What the archive keeps of one report, prepared from the `Document` away from the writer (in
//! parallel): text features, entity keys, claims and the compressed report.

use crate::text;
use dossier_core::Document;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;

/// A date is used for the time window only when the pipeline is at least this sure of it.
pub const DATE_CONFIDENCE: f32 = 0.5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntityRef {
    /// The archive-wide key: `geo:<GeoNames id>` for resolved places, else `<type>:<folded name>`.
    pub key: String,
    pub kind: String,
    pub name: String,
    pub geonames: Option<u64>,
    pub lat_lon: Option<(f64, f64)>,
    pub mentions: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimRef {
    /// The claim's words, folded and stemmed: the same claim in two reports meets here.
    pub key: String,
    pub text: String,
    /// The entity key of the first link of the chain (who says so), when it is an entity.
    pub source: Option<String>,
    pub source_text: Option<String>,
    pub chain: Vec<String>,
    pub stance: String,
}

/// One report, ready for the writer.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub lang: String,
    /// `YYYY-MM-DD` as the report gives it (any confidence).
    pub published: Option<String>,
    /// Whether `published` is sure enough for the story time window.
    pub date_sure: bool,
    pub title: Option<String>,
    pub text: String,
    /// Stemmed title and text, for the full-text index.
    pub stems: String,
    pub shingles: Vec<u64>,
    pub signature: Vec<u32>,
    /// Stemmed content words and their counts.
    pub terms: HashMap<String, f32>,
    /// Name features across languages: place ids, folded name tokens of persons and organisations.
    pub names: HashMap<String, f32>,
    pub entities: Vec<EntityRef>,
    pub claims: Vec<ClaimRef>,
    /// The whole report, JSON, gzip-compressed.
    pub report: Vec<u8>,
}

/// What the full-text index holds of a report: the stems of its text, and of its headline
/// where the text does not hold it.
pub fn index_stems(title: Option<&str>, text_: &str, lang: &str) -> String {
    let stems = text::stemmed(text_, lang);
    match title {
        Some(t) if !text_.contains(t) => format!("{} {stems}", text::stemmed(t, lang)),
        _ => stems,
    }
}

pub fn outlet_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.to_lowercase();
    (!host.is_empty()).then_some(host)
}

pub fn entity_key(kind: &str, name: &str, geonames: Option<u64>) -> String {
    match geonames {
        Some(id) => format!("geo:{id}"),
        None => format!("{}:{}", kind.to_lowercase(), text::fold_name(name)),
    }
}

impl Prepared {
    pub fn from_document(doc: &Document) -> Prepared {
        let lang = doc.language.clone();
        let title = doc.meta.headline.as_ref().map(|h| h.text.clone());
        let url = doc.source.url.clone();
        let outlet = doc
            .meta
            .outlet
            .clone()
            .or_else(|| url.as_deref().and_then(outlet_of));
        let (published, date_sure) = match &doc.meta.published {
            Some(p) if p.date.len() >= 10 => (
                Some(p.date[..10].to_string()),
                p.confidence >= DATE_CONFIDENCE,
            ),
            _ => (None, false),
        };
        let stems = index_stems(title.as_deref(), &doc.text, &lang);
        let shingles = text::shingles(&doc.text);
        let signature = crate::minhash::signature(&shingles);
        let mut terms: HashMap<String, f32> = HashMap::new();
        for w in text::words(&doc.text) {
            if text::is_stop_word(&w) || w.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            *terms.entry(text::term(&w, &lang)).or_default() += 1.0;
        }
        let mut names: HashMap<String, f32> = HashMap::new();
        let mut entities = Vec::new();
        for e in &doc.entities {
            let geonames = e.geo.as_ref().and_then(|g| g.geonames);
            let key = entity_key(&e.kind, &e.name, geonames);
            let weight = (e.mentions.len().max(1) as f32).ln() + 1.0;
            match geonames {
                Some(_) => *names.entry(key.clone()).or_default() += weight,
                None => {
                    for token in text::fold_name(&e.name).split(' ') {
                        if token.chars().count() >= 3 && !text::is_stop_word(token) {
                            *names.entry(format!("n:{token}")).or_default() += weight;
                        }
                    }
                }
            }
            entities.push(EntityRef {
                key,
                kind: e.kind.clone(),
                name: e.name.clone(),
                geonames,
                lat_lon: e.geo.as_ref().map(|g| (g.lat, g.lon)),
                mentions: e.mentions.len(),
            });
        }
        let entity_by_id: HashMap<&str, &dossier_core::Entity> =
            doc.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let claims = doc
            .attributions
            .iter()
            .map(|a| {
                let first = a.chain.first();
                let source_entity = first
                    .and_then(|l| l.entity.as_deref())
                    .and_then(|id| entity_by_id.get(id));
                ClaimRef {
                    key: claim_key(&a.claim.text, &lang),
                    text: a.claim.text.clone(),
                    source: source_entity.map(|e| {
                        entity_key(&e.kind, &e.name, e.geo.as_ref().and_then(|g| g.geonames))
                    }),
                    source_text: first.map(|l| l.text.clone()),
                    chain: a.chain.iter().map(|l| l.text.clone()).collect(),
                    stance: a.stance.clone(),
                }
            })
            .collect();
        // The JSON first, then compressed in one write: serde writes token by token, and each
        // small write into the encoder cost a compression call (a tenth of an ingest's CPU).
        let json = serde_json::to_vec(doc).unwrap_or_default();
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(json.len() / 4),
            flate2::Compression::fast(),
        );
        // Writing into a Vec cannot fail.
        let _ = std::io::Write::write_all(&mut gz, &json);
        let report = gz.finish().unwrap_or_default();
        Prepared {
            id: doc.id.clone(),
            url,
            outlet,
            lang,
            published,
            date_sure,
            stems,
            title,
            text: doc.text.clone(),
            shingles,
            signature,
            terms,
            names,
            entities,
            claims,
            report,
        }
    }
}

/// The first twelve content stems of a claim: enough to meet the same claim in another report,
/// robust to the punctuation and the tail a reprint changes.
pub fn claim_key(claim: &str, lang: &str) -> String {
    text::words(claim)
        .filter(|w| !text::is_stop_word(w))
        .take(12)
        .map(|w| text::stem(&w, lang))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decompresses a stored report.
pub fn decode_report(bytes: &[u8]) -> Option<Document> {
    let mut out = Vec::new();
    let mut gz = flate2::write::GzDecoder::new(&mut out);
    gz.write_all(bytes).ok()?;
    gz.finish().ok()?;
    serde_json::from_slice(&out).ok()
}
