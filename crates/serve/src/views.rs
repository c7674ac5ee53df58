//! What each page shows, as data: the API returns these as JSON, the pages render them as HTML.
//! Every query is bounded (limits on rows and on the reports decoded).

use crate::ApiError;
use dossier_archive::query::{self, ArchiveEntity, ClaimRow, DocRow, SearchQuery, SearchResult};
use dossier_archive::record::entity_key;
use dossier_core::Document;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The most hits a search returns.
pub const MAX_LIMIT: usize = 100;
/// The most reports of a story or an entity whose full report is decoded for a view.
pub const MAX_DECODED: usize = 60;
/// The most reports a story view lists.
pub const MAX_STORY_REPORTS: usize = 500;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub entity: Option<String>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

impl SearchParams {
    /// Empty fields of a form count as absent.
    pub fn normalised(mut self) -> SearchParams {
        let clean = |o: &mut Option<String>| {
            if o.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *o = None;
            }
        };
        clean(&mut self.entity);
        clean(&mut self.outlet);
        clean(&mut self.lang);
        clean(&mut self.from);
        clean(&mut self.to);
        self.q = self.q.chars().take(500).collect();
        self
    }
    pub fn has_filter(&self) -> bool {
        self.entity.is_some()
            || self.outlet.is_some()
            || self.lang.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

fn check_day(d: &Option<String>) -> Result<(), ApiError> {
    match d {
        Some(d) if !is_day(d) => Err(ApiError::bad_request(format!(
            "not a day (YYYY-MM-DD): {:?}",
            d.chars().take(40).collect::<String>()
        ))),
        _ => Ok(()),
    }
}

pub fn is_day(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    pub params: SearchParams,
    pub result: SearchResult,
    /// The languages of the archive, for the facet.
    pub languages: Vec<(String, usize)>,
}

/// The languages of the archive with their report counts (a scan of the documents: the server
/// keeps the answer until the next ingest).
pub fn languages(conn: &Connection) -> Result<Vec<(String, usize)>, ApiError> {
    let mut st = conn.prepare_cached(
        "SELECT lang, COUNT(*) FROM documents GROUP BY lang ORDER BY 2 DESC LIMIT 20",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A search; `languages`: the archive's languages when the caller knows them.
pub fn search(
    conn: &Connection,
    p: SearchParams,
    languages: Option<Vec<(String, usize)>>,
) -> Result<SearchView, ApiError> {
    let p = p.normalised();
    check_day(&p.from)?;
    check_day(&p.to)?;
    let limit = p.limit.unwrap_or(20).clamp(1, MAX_LIMIT);
    let result = if p.q.trim().is_empty() {
        SearchResult::default()
    } else {
        query::search(
            conn,
            &SearchQuery {
                text: p.q.clone(),
                entity: p.entity.clone(),
                from: p.from.clone(),
                to: p.to.clone(),
                outlet: p.outlet.clone(),
                lang: p.lang.clone(),
                limit,
            },
        )?
    };
    let languages = match languages {
        Some(l) => l,
        None => self::languages(conn)?,
    };
    Ok(SearchView {
        params: p,
        result,
        languages,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Home {
    pub documents: u64,
    pub stories: Vec<query::StorySummary>,
}

pub fn home(conn: &Connection, limit: usize) -> Result<Home, ApiError> {
    Ok(Home {
        documents: query::count(conn)?,
        stories: query::stories(conn, None, limit.clamp(1, MAX_LIMIT))?,
    })
}

fn doc_row(conn: &Connection, id: &str) -> Result<Option<DocRow>, ApiError> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM documents WHERE id = ?1",
        query::DOC_COLUMNS
    ))?;
    Ok(st.query_row([id], query::doc_row).optional()?)
}

/// A report as stored, with its offsets rebuilt.
pub fn report(conn: &Connection, id: &str) -> Result<Option<Document>, ApiError> {
    Ok(query::report(conn, id)?.map(|mut d| {
        d.reindex();
        d
    }))
}

/// One entity of an article with its archive key and how many reports name it.
#[derive(Debug, Clone, Serialize)]
pub struct EntityInArchive {
    pub id: String,
    pub key: String,
    pub documents: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub document: DocRow,
    pub report: Document,
    pub entities: Vec<EntityInArchive>,
    /// Other reports of the same story (at most 20).
    pub story: Vec<DocRow>,
}

pub fn article(conn: &Connection, id: &str) -> Result<ArticleView, ApiError> {
    let not_found = || ApiError::not_found(format!("no document {}", short(id)));
    let document = doc_row(conn, id)?.ok_or_else(not_found)?;
    let report = report(conn, id)?.ok_or_else(not_found)?;
    let mut entities = Vec::new();
    let mut st = conn.prepare_cached("SELECT COUNT(*) FROM mentions WHERE key = ?1")?;
    for e in report.entities.iter().take(500) {
        let key = entity_key(&e.kind, &e.name, e.geo.as_ref().and_then(|g| g.geonames));
        let n: i64 = st.query_row([&key], |r| r.get(0))?;
        entities.push(EntityInArchive {
            id: e.id.clone(),
            key,
            documents: n as usize,
        });
    }
    let mut story = query::story_documents(conn, document.story)?;
    story.retain(|d| d.id != document.id);
    story.truncate(20);
    Ok(ArticleView {
        document,
        report,
        entities,
        story,
    })
}

pub fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// A claim of a story with every report that carries it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryClaim {
    pub text: String,
    pub sources: Vec<ClaimSource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimSource {
    pub document: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// "X → Y": according to X, citing Y; empty when the report asserts it.
    pub chain: String,
    pub stance: String,
}

/// A point of a story's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `report | time | event`.
    pub kind: String,
    pub label: String,
    pub document: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoryView {
    pub summary: query::StorySummary,
    /// In time order (undated ones last).
    pub reports: Vec<DocRow>,
    /// Near-duplicate copies: (copy, original).
    pub copies: Vec<(String, String)>,
    pub claims: Vec<StoryClaim>,
    pub timeline: Vec<TimelineItem>,
    pub places: Vec<Place>,
    pub graph: Graph,
}

pub fn story(conn: &Connection, id: i64) -> Result<StoryView, ApiError> {
    let summary = query::story_summary(conn, id)?
        .ok_or_else(|| ApiError::not_found(format!("no story {id}")))?;
    let mut reports = query::story_documents(conn, id)?;
    // A page of a story lists at most this many reports (its summary counts them all).
    reports.truncate(MAX_STORY_REPORTS);
    let copies = reports
        .iter()
        .filter_map(|d| d.duplicate_of.clone().map(|o| (d.id.clone(), o)))
        .collect();
    // Claims: grouped by the archive's claim key, in the order they first appear.
    let mut st = conn.prepare_cached(
        "SELECT c.key, c.text, d.id, d.outlet, d.published, c.chain, c.stance FROM claims c \
         JOIN documents d ON d.seq = c.seq WHERE d.story = ?1 \
         ORDER BY d.published IS NULL, d.published, d.seq, c.n LIMIT 2000",
    )?;
    let mut claims: Vec<StoryClaim> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for r in st.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            ClaimSource {
                document: r.get(2)?,
                outlet: r.get(3)?,
                published: r.get(4)?,
                chain: r.get(5)?,
                stance: r.get(6)?,
            },
        ))
    })? {
        let (key, text, source) = r?;
        let i = *by_key.entry(key).or_insert_with(|| {
            claims.push(StoryClaim {
                text,
                sources: Vec::new(),
            });
            claims.len() - 1
        });
        claims[i].sources.push(source);
    }
    let decoded = decode_some(conn, reports.iter().map(|d| d.id.as_str()))?;
    let mut timeline = Vec::new();
    for d in &reports {
        if let Some(p) = &d.published {
            timeline.push(TimelineItem {
                date: p.clone(),
                kind: "report".into(),
                label: d
                    .title
                    .clone()
                    .unwrap_or_else(|| d.outlet.clone().unwrap_or_else(|| d.id.clone())),
                document: d.id.clone(),
            });
        }
    }
    for doc in &decoded {
        let times: HashMap<&str, &dossier_core::Time> =
            doc.times.iter().map(|t| (t.id.as_str(), t)).collect();
        for e in &doc.events {
            let date = e
                .time
                .as_deref()
                .and_then(|t| times.get(t))
                .and_then(|t| t.value.as_deref())
                .filter(|v| v.len() >= 10 && is_day(&v[..10]));
            if let Some(v) = date {
                timeline.push(TimelineItem {
                    date: v[..10].to_string(),
                    kind: "event".into(),
                    label: format!("{} ({})", e.kind, e.mode),
                    document: doc.id.clone(),
                });
            }
        }
        // Dated happenings the reports name ("on Tuesday" → its calendar day).
        for t in doc.times.iter().filter(|t| t.kind == "DATE").take(20) {
            if let Some(v) = t
                .value
                .as_deref()
                .filter(|v| v.len() >= 10 && is_day(&v[..10]))
            {
                timeline.push(TimelineItem {
                    date: v[..10].to_string(),
                    kind: "time".into(),
                    label: t.text.clone(),
                    document: doc.id.clone(),
                });
            }
        }
    }
    timeline.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)));
    let seqs = story_seqs(conn, id)?;
    let places = places_of(conn, &seqs)?;
    let graph = graph_of(&decoded, &reports);
    Ok(StoryView {
        summary,
        reports,
        copies,
        claims,
        timeline,
        places,
        graph,
    })
}

fn story_seqs(conn: &Connection, id: i64) -> Result<Vec<i64>, ApiError> {
    let mut st = conn.prepare_cached("SELECT seq FROM documents WHERE story = ?1 LIMIT 5000")?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn decode_some<'a>(
    conn: &Connection,
    ids: impl Iterator<Item = &'a str>,
) -> Result<Vec<Document>, ApiError> {
    let mut out = Vec::new();
    for id in ids.take(MAX_DECODED) {
        if let Some(d) = report(conn, id)? {
            out.push(d);
        }
    }
    Ok(out)
}

/// A place on a map: where, what, and how many reports name it.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub geonames: u64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub documents: usize,
}

/// The places named in these documents (by sequence number), most named first, at most 200.
pub fn places_of(conn: &Connection, seqs: &[i64]) -> Result<Vec<Place>, ApiError> {
    let mut per: HashMap<u64, (String, f64, f64, usize)> = HashMap::new();
    for part in seqs.chunks(500) {
        let marks: Vec<String> = (1..=part.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT geonames, MIN(name), AVG(lat), AVG(lon), COUNT(DISTINCT seq) FROM mentions \
             WHERE seq IN ({}) AND geonames IS NOT NULL AND lat IS NOT NULL GROUP BY geonames",
            marks.join(",")
        );
        let mut st = conn.prepare_cached(&sql)?;
        for r in st.query_map(params_from_iter(part.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, i64>(4)? as usize,
            ))
        })? {
            let (g, name, lat, lon, n) = r?;
            let e = per.entry(g).or_insert((name, lat, lon, 0));
            e.3 += n;
        }
    }
    let mut out: Vec<Place> = per
        .into_iter()
        .filter(|(_, (_, lat, lon, _))| lat.is_finite() && lon.is_finite())
        .map(|(geonames, (name, lat, lon, documents))| Place {
            geonames,
            name,
            lat: lat.clamp(-90.0, 90.0),
            lon: lon.clamp(-180.0, 180.0),
            documents,
        })
        .collect();
    out.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.name.cmp(&b.name)));
    out.truncate(200);
    Ok(out)
}

/// The places of a search's hits (the first 100).
pub fn search_places(conn: &Connection, p: SearchParams) -> Result<Vec<Place>, ApiError> {
    let mut p = p;
    p.limit = Some(MAX_LIMIT);
    let v = search(conn, p, Some(Vec::new()))?;
    let mut seqs = Vec::new();
    let mut st = conn.prepare_cached("SELECT seq FROM documents WHERE id = ?1")?;
    for h in &v.result.hits {
        if let Some(s) = st.query_row([&h.id], |r| r.get(0)).optional()? {
            seqs.push(s);
        }
    }
    places_of(conn, &seqs)
}

/// Who cites whom: outlets → agencies → the sources of their claims, by depth of the chain.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: usize,
    pub label: String,
    /// `outlet | agency | source`.
    pub kind: String,
    /// The column: 0 outlets, 1 agencies, 2 and on the links of the chains.
    pub depth: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    pub count: usize,
}

pub fn graph_of(docs: &[Document], rows: &[DocRow]) -> Graph {
    let outlet_of: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| r.outlet.as_deref().map(|o| (r.id.as_str(), o)))
        .collect();
    let mut g = Graph::default();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut edges: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut node = |g: &mut Graph, kind: &str, label: &str, depth: usize| -> usize {
        let label: String = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let label: String = label.chars().take(60).collect();
        let key = (
            if kind == "source" { "source" } else { kind }.to_string(),
            label.to_lowercase(),
        );
        if let Some(&i) = index.get(&key) {
            return i;
        }
        let i = g.nodes.len();
        g.nodes.push(GraphNode {
            id: i,
            label,
            kind: kind.into(),
            depth,
        });
        index.insert(key, i);
        i
    };
    for d in docs {
        let outlet = outlet_of
            .get(d.id.as_str())
            .copied()
            .or(d.meta.outlet.as_deref())
            .unwrap_or("(unknown outlet)");
        let o = node(&mut g, "outlet", outlet, 0);
        let mut top = vec![o];
        let agencies: Vec<usize> = d
            .meta
            .agencies
            .iter()
            .take(5)
            .map(|a| node(&mut g, "agency", a, 1))
            .collect();
        for &a in &agencies {
            *edges.entry((o, a)).or_default() += 1;
        }
        if !agencies.is_empty() {
            top = agencies;
        }
        for a in d.attributions.iter().take(200) {
            let mut prev = top.clone();
            for (depth, link) in a.chain.iter().take(4).enumerate() {
                let n = node(&mut g, "source", &link.text, depth + 2);
                for &p in &prev {
                    if p != n {
                        *edges.entry((p, n)).or_default() += 1;
                    }
                }
                prev = vec![n];
            }
        }
    }
    g.edges = edges
        .into_iter()
        .map(|((from, to), count)| GraphEdge { from, to, count })
        .collect();
    g
}

pub fn graph(conn: &Connection, story_id: i64) -> Result<Graph, ApiError> {
    let reports = query::story_documents(conn, story_id)?;
    if reports.is_empty() {
        return Err(ApiError::not_found(format!("no story {story_id}")));
    }
    let decoded = decode_some(conn, reports.iter().map(|d| d.id.as_str()))?;
    Ok(graph_of(&decoded, &reports))
}

/// A quotation of an entity, from one report.
#[derive(Debug, Clone, Serialize)]
pub struct EntityQuote {
    pub document: String,
    pub published: Option<String>,
    pub content: String,
    pub speaker_text: Option<String>,
    pub cue: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    pub entity: ArchiveEntity,
    /// Reports per day (`unknown`: undated).
    pub timeline: Vec<(String, usize)>,
    pub quotes: Vec<EntityQuote>,
    pub claims: Vec<ClaimRow>,
    /// Entities named in the same reports: name, key, reports shared.
    pub cooccurring: Vec<(String, String, usize)>,
    pub places: Vec<Place>,
    /// Its most recent reports (at most 20).
    pub documents: Vec<DocRow>,
}

pub fn entity(conn: &Connection, name: &str) -> Result<EntityView, ApiError> {
    let name: String = name.chars().take(200).collect();
    let entity = query::resolve_entity(conn, &name)?.ok_or_else(|| {
        ApiError::not_found(format!("no entity {:?} in the archive", short(&name)))
    })?;
    let timeline = query::entity_timeline(conn, &entity.keys)?;
    let mut claims = query::entity_claims(conn, &entity.keys)?;
    claims.truncate(200);
    // Its documents, newest first (bounded).
    let mut seqs: Vec<i64> = Vec::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT seq FROM mentions WHERE key = ?1 ORDER BY seq DESC LIMIT 2000",
        )?;
        for k in &entity.keys {
            for s in st.query_map([k], |r| r.get(0))? {
                seqs.push(s?);
            }
        }
    }
    seqs.sort_unstable_by(|a, b| b.cmp(a));
    seqs.dedup();
    let mut documents = Vec::new();
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {} FROM documents WHERE seq = ?1",
            query::DOC_COLUMNS
        ))?;
        for s in seqs.iter().take(MAX_DECODED) {
            if let Some(d) = st.query_row([s], query::doc_row).optional()? {
                documents.push(d);
            }
        }
    }
    // Quotations: those whose speaker is this entity, in its recent reports.
    let mut quotes = Vec::new();
    for d in documents.iter().take(30) {
        let Some(doc) = report(conn, &d.id)? else {
            continue;
        };
        let ids: Vec<&str> = doc
            .entities
            .iter()
            .filter(|e| {
                entity.keys.contains(&entity_key(
                    &e.kind,
                    &e.name,
                    e.geo.as_ref().and_then(|g| g.geonames),
                ))
            })
            .map(|e| e.id.as_str())
            .collect();
        for q in &doc.quotes {
            if q.speaker.as_deref().is_some_and(|s| ids.contains(&s)) {
                quotes.push(EntityQuote {
                    document: d.id.clone(),
                    published: d.published.clone(),
                    content: q.content.clone(),
                    speaker_text: q.speaker_text.clone(),
                    cue: q.cue.as_ref().map(|c| c.text.clone()),
                });
            }
        }
    }
    quotes.truncate(100);
    // Co-occurring entities over its (most recent 2000) reports.
    let mut cooccurring = Vec::new();
    if !seqs.is_empty() {
        let list: Vec<String> = seqs.iter().map(|s| s.to_string()).collect();
        let keys: Vec<String> = entity.keys.iter().map(|k| k.replace('\'', "''")).collect();
        let sql = format!(
            "SELECT MIN(name), key, COUNT(DISTINCT seq) AS n FROM mentions WHERE seq IN ({}) \
             AND key NOT IN ('{}') GROUP BY key ORDER BY n DESC, key LIMIT 15",
            list.join(","),
            keys.join("','")
        );
        let mut st = conn.prepare(&sql)?;
        for r in st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize))
        })? {
            cooccurring.push(r?);
        }
    }
    let places = places_of(conn, &seqs)?;
    documents.truncate(20);
    Ok(EntityView {
        entity,
        timeline,
        quotes,
        claims,
        cooccurring,
        places,
        documents,
    })
}

/// The outcome of one ingested record.
#[derive(Debug, Clone, Serialize)]
pub struct IngestOutcome {
    pub id: Option<String>,
    /// `new | known | failed`.
    pub status: String,
    pub story: Option<i64>,
    pub duplicate_of: Option<String>,
    pub error: Option<String>,
}
