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

/// The FTS5 expression of a query: every word must occur, in its German or English stem.
pub fn fts_expression(query: &str) -> String {
    let mut parts = Vec::new();
    for w in text::words(query) {
        let mut stems: Vec<String> = ["de", "en", ""].iter().map(|l| text::stem(&w, l)).collect();
        stems.sort();
        stems.dedup();
        let alts: Vec<String> = stems.iter().map(|s| format!("\"{s}\"")).collect();
        parts.push(format!("({})", alts.join(" OR ")));
    }
    parts.join(" AND ")
}

/// How many ranked hits facets are counted over.
const FACET_HITS: usize = 100;

/// The most matches a query ranks: a word found in more reports is ranked among the ones filed
/// last. FTS5 scores every match before it sorts, so without a bound a word in most of a
/// million reports costs seconds; reading matches newest first stops early.
const RANKED_MATCHES: usize = 5_000;

pub fn search(conn: &Connection, q: &SearchQuery) -> Result<SearchResult> {
    let expr = fts_expression(&q.text);
    let mut wheres = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = vec![expr.clone().into()];
    let arg = |v: String, args: &mut Vec<rusqlite::types::Value>| {
        args.push(v.into());
        args.len()
    };
    if let Some(f) = &q.from {
        wheres.push(format!("d.published >= ?{}", arg(f.clone(), &mut args)));
    }
    if let Some(t) = &q.to {
        wheres.push(format!(
            "d.published <= ?{}",
            arg(format!("{t}~"), &mut args)
        ));
    }
    if let Some(o) = &q.outlet {
        wheres.push(format!("d.outlet = ?{}", arg(o.to_lowercase(), &mut args)));
    }
    if let Some(l) = &q.lang {
        wheres.push(format!("d.lang = ?{}", arg(l.clone(), &mut args)));
    }
    if let Some(name) = &q.entity {
        let keys = resolve_entity(conn, name)?
            .map(|e| e.keys)
            .unwrap_or_default();
        if keys.is_empty() {
            return Ok(SearchResult::default());
        }
        let marks: Vec<String> = keys
            .iter()
            .map(|k| format!("?{}", arg(k.clone(), &mut args)))
            .collect();
        wheres.push(format!(
            "d.seq IN (SELECT seq FROM mentions WHERE key IN ({}))",
            marks.join(",")
        ));
    }
    let limit = q.limit.max(1);
    let rows: Vec<(i64, f64)> = if expr.is_empty() {
        Vec::new()
    } else if wheres.is_empty() {
        // The fast path: the newest matches, ranked by FTS5's BM25.
        let mut st = conn.prepare_cached(
            "SELECT rowid, rank FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ?1 \
             ORDER BY rowid DESC LIMIT ?3) ORDER BY rank LIMIT ?2",
        )?;
        let rows = st.query_map(
            rusqlite::params![expr, FACET_HITS.max(limit) as i64, RANKED_MATCHES as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        rows.collect::<std::result::Result<_, _>>()?
    } else {
        let sql = format!(
            "SELECT d.seq, fts.rank FROM fts JOIN documents d ON d.seq = fts.rowid \
             WHERE fts MATCH ?1 AND {} ORDER BY fts.rank LIMIT {}",
            wheres.join(" AND "),
            FACET_HITS.max(limit)
        );
        let mut st = conn.prepare(&sql)?;
        let rows = st.query_map(params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let query_words: Vec<String> = text::words(&q.text).collect();
    let mut result = SearchResult {
        total: rows.len(),
        ..SearchResult::default()
    };
    let mut outlets: HashMap<String, usize> = HashMap::new();
    let mut days: HashMap<String, usize> = HashMap::new();
    let mut entities: HashMap<String, usize> = HashMap::new();
    {
        let mut doc = conn.prepare_cached(
            "SELECT id, url, title, published, outlet, lang, story, text FROM documents WHERE seq = ?1",
        )?;
        for (i, (seq, rank)) in rows.iter().enumerate() {
            let want_hit = i < limit;
            let d = doc.query_row([seq], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    if want_hit {
                        r.get::<_, String>(7)?
                    } else {
                        String::new()
                    },
                ))
            })?;
            if let Some(o) = &d.4 {
                *outlets.entry(o.clone()).or_default() += 1;
            }
            if let Some(p) = &d.3 {
                *days.entry(p.clone()).or_default() += 1;
            }
            if want_hit {
                let snippet = snippet(&d.7, &d.5, &query_words);
                result.hits.push(Hit {
                    id: d.0,
                    url: d.1,
                    title: d.2,
                    published: d.3,
                    outlet: d.4,
                    lang: d.5,
                    story: d.6,
                    score: -rank,
                    snippet,
                });
            }
        }
    }
    // Entity facet: one grouped query over the ranked hits.
    if !rows.is_empty() {
        let seqs: Vec<String> = rows.iter().map(|(s, _)| s.to_string()).collect();
        let sql = format!(
            "SELECT MIN(name), COUNT(*) FROM mentions WHERE seq IN ({}) GROUP BY key \
             ORDER BY 2 DESC LIMIT 10",
            seqs.join(",")
        );
        let mut st = conn.prepare(&sql)?;
        for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (name, n) = r?;
            *entities.entry(name).or_default() += n as usize;
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
    let is_hit =
        |&(s, e): &(usize, usize)| wanted.contains(&text::stem(&text_[s..e].to_lowercase(), lang));
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
