//! Reading the archive: search, stories, entities, claims, export. Every function takes a
//! connection of its own, so readers work while a writer commits (WAL).

use crate::store::Result;
use crate::text;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub entity: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub lang: String,
    pub story: i64,
    pub score: f64,
    /// A window of the text around the first hit, hits marked `**like this**`.
    pub snippet: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub entities: Vec<(String, usize)>,
    pub outlets: Vec<(String, usize)>,
    pub days: Vec<(String, usize)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResult {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// The alternative stems of each query word: its German, English and folded stems (the index
/// holds each report's words in its own language's stem).
pub fn query_stems(query: &str) -> Vec<Vec<String>> {
    text::words(query)
        .map(|w| {
            let mut stems: Vec<String> =
                ["de", "en", ""].iter().map(|l| text::stem(&w, l)).collect();
            stems.sort();
            stems.dedup();
            stems
        })
        .collect()
}

/// How many ranked hits facets are counted over.
const FACET_HITS: usize = 100;

pub fn search(conn: &Connection, q: &SearchQuery) -> Result<SearchResult> {
    let words = query_stems(&q.text);
    if words.is_empty() {
        return Ok(SearchResult::default());
    }
    let mut entity_keys = Vec::new();
    if let Some(name) = &q.entity {
        entity_keys = resolve_entity(conn, name)?
            .map(|e| e.keys)
            .unwrap_or_default();
        if entity_keys.is_empty() {
            return Ok(SearchResult::default());
        }
    }
    let outlet = q.outlet.as_ref().map(|o| o.to_lowercase());
    let limit = q.limit.max(1);
    let request = crate::index::Request {
        words,
        lang: q.lang.as_deref(),
        outlet: outlet.as_deref(),
        from: q
            .from
            .as_deref()
            .and_then(|d| crate::index::day_number(d, false)),
        to: q
            .to
            .as_deref()
            .and_then(|d| crate::index::day_number(d, true)),
        entity_keys,
        limit: FACET_HITS.max(limit),
    };
    let ranked = crate::index::SearchIndex::of(conn)?.search(&request)?;
    let query_words: Vec<String> = text::words(&q.text).collect();
    let mut result = SearchResult {
        total: ranked.len(),
        ..SearchResult::default()
    };
    // Facets over the ranked reports, from the index's columns.
    let mut outlets: HashMap<String, usize> = HashMap::new();
    let mut days: HashMap<String, usize> = HashMap::new();
    let mut keys: HashMap<&str, (usize, i64)> = HashMap::new();
    for r in &ranked {
        if let Some(o) = &r.outlet {
            *outlets.entry(o.clone()).or_default() += 1;
        }
        if let Some(d) = &r.day {
            *days.entry(d.clone()).or_default() += 1;
        }
        for k in &r.entity_keys {
            // The count, and the best-ranked report that names it (for its name there).
            keys.entry(k.as_str()).or_insert((0, r.seq)).0 += 1;
        }
    }
    let mut doc = conn.prepare_cached(
        "SELECT id, url, title, published, outlet, lang, story, text FROM documents WHERE seq = ?1",
    )?;
    for r in ranked.iter().take(limit) {
        let hit = doc.query_row([r.seq], |row| {
            let lang: String = row.get(5)?;
            let text_: String = row.get(7)?;
            Ok(Hit {
                id: row.get(0)?,
                url: row.get(1)?,
                title: row.get(2)?,
                published: row.get(3)?,
                outlet: row.get(4)?,
                snippet: snippet(&text_, &lang, &query_words),
                lang,
                story: row.get(6)?,
                score: r.score as f64,
            })
        })?;
        result.hits.push(hit);
    }
    let mut top_keys: Vec<(&str, (usize, i64))> = keys.into_iter().collect();
    top_keys.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
    let mut name_of =
        conn.prepare_cached("SELECT name FROM mentions WHERE key = ?1 AND seq = ?2")?;
    let mut entities: HashMap<String, usize> = HashMap::new();
    for (key, (n, seq)) in top_keys.into_iter().take(10) {
        if let Some(name) = name_of
            .query_row(rusqlite::params![key, seq], |r| r.get::<_, String>(0))
            .optional()?
        {
            *entities.entry(name).or_default() += n;
        }
    }
    result.facets = Facets {
        entities: top_counts(entities, 10),
        outlets: top_counts(outlets, 10),
        days: top_counts(days, 10),
    };
    Ok(result)
}

fn top_counts(m: HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// About 30 words around the first word of `text` whose stem is a query word's, hits marked.
pub fn snippet(text_: &str, lang: &str, query: &[String]) -> String {
    let wanted: HashSet<String> = query
        .iter()
        .flat_map(|w| [text::stem(w, "de"), text::stem(w, "en"), text::stem(w, "")])
        .collect();
    // Word boundaries by byte offset.
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text_.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push((s, i));
        }
    }
    if let Some(s) = start {
        spans.push((s, text_.len()));
    }
    // A German compound counts by its last part, as the index finds it ("Lieferung" marks
    // "Waffenlieferungen").
    let heads: Vec<&String> = wanted
        .iter()
        .filter(|w| w.chars().count() >= crate::index::HEAD_MIN_CHARS)
        .collect();
    let shortest = wanted.iter().map(|w| w.chars().count()).min().unwrap_or(0);
    let is_hit = |&(s, e): &(usize, usize)| {
        let word = &text_[s..e];
        // Most words are too short to be a hit; their stems are not computed.
        if word.len() < shortest {
            return false;
        }
        let stem = text::stem(&word.to_lowercase(), lang);
        wanted.contains(&stem)
            || (lang == "de"
                && heads.iter().any(|h| {
                    stem.len() >= h.len() + crate::index::MODIFIER_MIN_CHARS
                        && stem.ends_with(h.as_str())
                }))
    };
    let first = spans.iter().position(is_hit).unwrap_or(0);
    let from = first.saturating_sub(10);
    let to = (first + 20).min(spans.len());
    if spans.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut pos = spans[from].0;
    for span in &spans[from..to] {
        out.push_str(&text_[pos..span.0]);
        if is_hit(span) {
            out.push_str("**");
            out.push_str(&text_[span.0..span.1]);
            out.push_str("**");
        } else {
            out.push_str(&text_[span.0..span.1]);
        }
        pos = span.1;
    }
    if to < spans.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One referent across the archive: the store keys it is filed under and its names.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArchiveEntity {
    pub kind: String,
    pub name: String,
    pub keys: Vec<String>,
    pub aliases: Vec<String>,
    pub geonames: Option<u64>,
    pub documents: usize,
}

/// Finds the archive entity a name refers to: spelling variants meet in [`text::fold_name`],
/// translations and short names in `data/aliases.tsv`, places by their GeoNames id, a one-word
/// name joins the full name it fits (by shared documents when several fit; weak merges are
/// refused). The rules are in [`crate::entity`].
pub fn resolve_entity(conn: &Connection, name: &str) -> Result<Option<ArchiveEntity>> {
    crate::entity::resolve(conn, name)
}

pub(crate) fn entity_from_keys(
    conn: &Connection,
    keys: Vec<String>,
    geonames: Option<u64>,
) -> Result<Option<ArchiveEntity>> {
    let mut names: BTreeMap<String, i64> = BTreeMap::new();
    let mut kinds: HashMap<String, i64> = HashMap::new();
    let mut docs: HashSet<i64> = HashSet::new();
    let mut st = conn.prepare_cached("SELECT name, kind, seq FROM mentions WHERE key = ?1")?;
    for k in &keys {
        for r in st.query_map([k], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (n, kind, seq) = r?;
            *names.entry(n).or_default() += 1;
            *kinds.entry(kind).or_default() += 1;
            docs.insert(seq);
        }
    }
    if docs.is_empty() {
        return Ok(None);
    }
    let kind = kinds
        .into_iter()
        .max_by_key(|(k, n)| (*n, std::cmp::Reverse(k.clone())))
        .map(|(k, _)| k)
        .unwrap_or_default();
    let name = names
        .iter()
        .max_by_key(|(n, c)| (n.split(' ').count(), **c))
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    Ok(Some(ArchiveEntity {
        kind,
        name,
        keys,
        aliases: names.into_keys().collect(),
        geonames,
        documents: docs.len(),
    }))
}

#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    pub id: String,
    pub url: Option<String>,
    pub published: Option<String>,
    pub story: i64,
    pub duplicate_of: Option<String>,
    pub similarity: Option<f64>,
    pub dup_group: Option<String>,
    pub outlet: Option<String>,
    pub lang: String,
    pub title: Option<String>,
}

/// Every document in filing order (the export and the evaluation read this).
pub fn documents(conn: &Connection) -> Result<Vec<DocRow>> {
    let mut st = conn.prepare(
        "SELECT id, url, published, story, duplicate_of, similarity, dup_group, outlet, lang, title \
         FROM documents ORDER BY seq",
    )?;
    let rows = st.query_map([], doc_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The columns [`doc_row`] reads, in its order.
pub const DOC_COLUMNS: &str =
    "id, url, published, story, duplicate_of, similarity, dup_group, outlet, lang, title";

/// A [`DocRow`] from a row that selected [`DOC_COLUMNS`].
pub fn doc_row(r: &rusqlite::Row) -> rusqlite::Result<DocRow> {
    Ok(DocRow {
        id: r.get(0)?,
        url: r.get(1)?,
        published: r.get(2)?,
        story: r.get(3)?,
        duplicate_of: r.get(4)?,
        similarity: r.get(5)?,
        dup_group: r.get(6)?,
        outlet: r.get(7)?,
        lang: r.get(8)?,
        title: r.get(9)?,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct StorySummary {
    pub id: i64,
    pub size: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    pub outlets: Vec<String>,
    pub languages: Vec<String>,
    pub top_entities: Vec<(String, usize)>,
    pub first_report: Option<DocRow>,
}

pub fn story_summary(conn: &Connection, id: i64) -> Result<Option<StorySummary>> {
    let docs = story_documents(conn, id)?;
    if docs.is_empty() {
        return Ok(None);
    }
    let mut outlets: Vec<String> = docs.iter().filter_map(|d| d.outlet.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let mut languages: Vec<String> = docs.iter().map(|d| d.lang.clone()).collect();
    languages.sort();
    languages.dedup();
    let dates: Vec<&String> = docs.iter().filter_map(|d| d.published.as_ref()).collect();
    let mut st = conn.prepare_cached(
        "SELECT m.name, COUNT(DISTINCT m.seq) AS n FROM mentions m JOIN documents d ON d.seq = m.seq \
         WHERE d.story = ?1 GROUP BY m.key ORDER BY n DESC, m.name LIMIT 8",
    )?;
    let top_entities = st
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(StorySummary {
        id,
        size: docs.len(),
        first: dates.iter().min().map(|s| (*s).clone()),
        last: dates.iter().max().map(|s| (*s).clone()),
        outlets,
        languages,
        top_entities,
        first_report: docs.into_iter().next(),
    }))
}

/// Stories, largest first; `since`: only those with a report on or after that day.
pub fn stories(conn: &Connection, since: Option<&str>, limit: usize) -> Result<Vec<StorySummary>> {
    let ids: Vec<i64> = match since {
        Some(d) => {
            let mut st = conn.prepare(
                "SELECT story, COUNT(*) AS n FROM documents WHERE published >= ?1 \
                 GROUP BY story ORDER BY n DESC, story LIMIT ?2",
            )?;
            let rows = st.query_map(rusqlite::params![d, limit as i64], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        }
        None => {
            let mut st = conn.prepare("SELECT id FROM stories ORDER BY size DESC, id LIMIT ?1")?;
            let rows = st.query_map([limit as i64], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        }
    };
    let mut out = Vec::new();
    for id in ids {
        if let Some(s) = story_summary(conn, id)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// A story's reports in time order (undated ones after, in filing order).
pub fn story_documents(conn: &Connection, id: i64) -> Result<Vec<DocRow>> {
    let mut st = conn.prepare_cached(
        "SELECT id, url, published, story, duplicate_of, similarity, dup_group, outlet, lang, title \
         FROM documents WHERE story = ?1 ORDER BY published IS NULL, published, seq",
    )?;
    let rows = st.query_map([id], doc_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimRow {
    pub document: String,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub text: String,
    pub source: Option<String>,
    pub source_text: Option<String>,
    pub chain: String,
    pub stance: String,
}

/// Who said what in one document.
pub fn document_claims(conn: &Connection, doc_id: &str) -> Result<Vec<ClaimRow>> {
    claims_where(conn, "d.id = ?1", &[doc_id.to_string()])
}

fn claims_where(conn: &Connection, cond: &str, args: &[String]) -> Result<Vec<ClaimRow>> {
    let sql = format!(
        "SELECT d.id, d.published, d.outlet, c.text, c.source, c.source_text, c.chain, c.stance \
         FROM claims c JOIN documents d ON d.seq = c.seq WHERE {cond} \
         ORDER BY d.published IS NULL, d.published, d.seq, c.n"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params_from_iter(args.iter()), |r| {
        Ok(ClaimRow {
            document: r.get(0)?,
            published: r.get(1)?,
            outlet: r.get(2)?,
            text: r.get(3)?,
            source: r.get(4)?,
            source_text: r.get(5)?,
            chain: r.get(6)?,
            stance: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The claims an entity is the first source of, across the archive.
pub fn entity_claims(conn: &Connection, keys: &[String]) -> Result<Vec<ClaimRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
    claims_where(conn, &format!("c.source IN ({})", marks.join(",")), keys)
}

/// An entity's documents over time: per day (undated: `unknown`), how many reports name it.
pub fn entity_timeline(conn: &Connection, keys: &[String]) -> Result<Vec<(String, usize)>> {
    let mut per_day: BTreeMap<String, HashSet<i64>> = BTreeMap::new();
    let mut st = conn.prepare_cached(
        "SELECT COALESCE(d.published, 'unknown'), d.seq FROM mentions m JOIN documents d ON d.seq = m.seq \
         WHERE m.key = ?1",
    )?;
    for k in keys {
        for r in st.query_map([k], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (day, seq) = r?;
            per_day.entry(day).or_default().insert(seq);
        }
    }
    Ok(per_day.into_iter().map(|(d, s)| (d, s.len())).collect())
}

/// One claim across reports: the same words attributed in several reports.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub key: String,
    pub text: String,
    pub reports: usize,
    pub earliest: Option<String>,
    pub sources: Vec<String>,
    pub stances: Vec<String>,
    /// Reports that assert it (no attribution chain) while others only report it.
    pub asserted_by: Vec<String>,
    pub documents: Vec<String>,
}

pub fn claims(conn: &Connection, min_reports: usize) -> Result<Vec<Claim>> {
    let mut st = conn.prepare(
        "SELECT c.key, c.text, d.id, d.published, c.source_text, c.stance, c.chain \
         FROM claims c JOIN documents d ON d.seq = c.seq ORDER BY c.key, d.published IS NULL, d.published, d.seq",
    )?;
    let mut out: Vec<Claim> = Vec::new();
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    for r in rows {
        let (key, text_, doc, _published, source, stance, chain) = r?;
        if out.last().is_none_or(|c| c.key != key) {
            out.push(Claim {
                key: key.clone(),
                text: text_,
                reports: 0,
                earliest: Some(doc.clone()),
                sources: Vec::new(),
                stances: Vec::new(),
                asserted_by: Vec::new(),
                documents: Vec::new(),
            });
        }
        let c = out.last_mut().expect("pushed above");
        if !c.documents.contains(&doc) {
            c.documents.push(doc.clone());
            c.reports += 1;
        }
        if let Some(s) = source {
            if !c.sources.contains(&s) {
                c.sources.push(s);
            }
        }
        if !c.stances.contains(&stance) {
            c.stances.push(stance);
        }
        if chain.is_empty() && !c.asserted_by.contains(&doc) {
            c.asserted_by.push(doc);
        }
    }
    out.retain(|c| c.reports >= min_reports);
    out.sort_by(|a, b| b.reports.cmp(&a.reports).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}

/// A place: GeoNames id, name, latitude, longitude, reports naming it.
pub type PlaceRow = (u64, String, f64, f64, usize);
/// An entity key: key, type, name, GeoNames id, reports naming it.
pub type EntityRow = (String, String, String, Option<i64>, usize);

/// Places of the archive with their coordinates and how many reports name them.
pub fn places(conn: &Connection) -> Result<Vec<PlaceRow>> {
    let mut st = conn.prepare(
        "SELECT geonames, MIN(name), AVG(lat), AVG(lon), COUNT(DISTINCT seq) FROM mentions \
         WHERE geonames IS NOT NULL AND lat IS NOT NULL GROUP BY geonames ORDER BY 5 DESC",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)? as u64,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, i64>(4)? as usize,
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Every entity key with its most frequent name, type and document count.
pub fn entities(conn: &Connection) -> Result<Vec<EntityRow>> {
    let mut st = conn.prepare(
        "SELECT key, kind, MIN(name), MIN(geonames), COUNT(DISTINCT seq) FROM mentions \
         GROUP BY key ORDER BY 5 DESC, key",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, i64>(4)? as usize,
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The stored report of a document.
pub fn report(conn: &Connection, id: &str) -> Result<Option<dossier_core::Document>> {
    let blob: Option<Vec<u8>> = conn
        .query_row("SELECT report FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(blob.and_then(|b| crate::record::decode_report(&b)))
}

/// Number of documents committed.
pub fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))? as u64)
}
