//! The full-text index: tantivy over the stems of every filed report, beside the SQLite file
//! (`<store>/index/`).
//!
//! Why tantivy and not SQLite's FTS5 (measured on 100,000 reports): FTS5 scores every match
//! of a query before it sorts, so a frequent word or a filter (language, outlet, dates) cost
//! 10–300 ms; tantivy's block-max WAND ranks the best hits without scoring the rest and
//! intersects filters as posting lists.
//!
//! SQLite stays the record: a report is committed there first, then in the index, whose
//! commit carries the last `seq` it holds. A writer that opens the index indexes whatever
//! the store holds past that `seq` (a crash between the two commits, a store filed before
//! the index existed), so the index always catches up with the record and never holds a
//! report the record lacks.

use crate::store::{Error, Result};
use rusqlite::Connection;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The index directory of a store.
pub fn dir_of(store_dir: &Path) -> PathBuf {
    store_dir.join("index")
}

/// Memory the writer buffers before it writes a segment (bounded whatever the archive size).
const WRITER_MEMORY: usize = 48 << 20;

/// How long a writer waits for another process's writer to release the index.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// German compounds are found by their last part ("Lieferung" finds "Waffenlieferungen"):
/// a query stem of at least `HEAD_MIN_CHARS` matches indexed stems that end with it after at
/// least `MODIFIER_MIN_CHARS` more (so "stadt" finds "hauptstadt", "rat" nothing). Compounds
/// count less than the word itself, and a word brings at most `COMPOUNDS_PER_WORD` of them
/// (the most frequent).
pub(crate) const HEAD_MIN_CHARS: usize = 5;
pub(crate) const MODIFIER_MIN_CHARS: usize = 3;
const COMPOUND_MIN_CHARS: usize = HEAD_MIN_CHARS + MODIFIER_MIN_CHARS;
const COMPOUNDS_PER_WORD: usize = 24;
const COMPOUND_BOOST: f32 = 0.5;

/// Stems longer than this are not indexed (a "word" of a binary or a 50 MB line).
const MAX_STEM_BYTES: usize = 100;

#[derive(Clone, Copy)]
struct Fields {
    seq: Field,
    stems: Field,
    lang: Field,
    outlet: Field,
    day: Field,
    entity: Field,
    /// German compounds' stems reversed ("waffenlieferung" → "gnureifelneffaw"): a query
    /// word's compounds are then a prefix range of this field's terms.
    compounds: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stems = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("stems")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        seq: b.add_u64_field("seq", FAST),
        stems: b.add_text_field("stems", stems),
        lang: b.add_text_field("lang", STRING),
        outlet: b.add_text_field("outlet", STRING | FAST),
        day: b.add_u64_field("day", INDEXED | FAST),
        entity: b.add_text_field("entity", STRING | FAST),
        compounds: b.add_text_field(
            "compounds",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("stems")
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
    };
    (b.build(), fields)
}

fn err(what: &str) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
    move |e| Error(format!("search index: {what}: {e}"))
}

/// Opens the index in `dir`, creating it if needed, with our tokenizer registered.
fn open_index(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
    let (schema, _) = schema();
    let directory = || {
        tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| Error(format!("search index {}: {e}", dir.display())))
    };
    let index = match Index::open_or_create(directory()?, schema.clone()) {
        Ok(index) => index,
        // An index of another schema (an older dossier): it is derived data, rebuilt from
        // the store by the catch-up.
        Err(tantivy::TantivyError::SchemaError(_)) => {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
            Index::open_or_create(directory()?, schema).map_err(err("open"))?
        }
        Err(e) => return Err(err("open")(e)),
    };
    index.tokenizers().register(
        "stems",
        TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_STEM_BYTES))
            .build(),
    );
    Ok(index)
}

/// The last `seq` the index's last commit holds (0: none).
fn indexed_seq(index: &Index) -> Result<i64> {
    let metas = index.load_metas().map_err(err("read metas"))?;
    Ok(metas
        .payload
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0))
}

/// A document date ("2024-05-17", "2024-05", "2024") as a day number 20240517; a missing
/// month or day is the first (`upper`: the last) of the period. None when no year is there.
pub fn day_number(date: &str, upper: bool) -> Option<u64> {
    let digits: String = date
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(8)
        .collect();
    if digits.len() < 4 {
        return None;
    }
    let year: u64 = digits[..4].parse().ok()?;
    let part = |r: std::ops::Range<usize>, low: u64, high: u64| {
        digits
            .get(r)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(if upper { high } else { low })
    };
    Some(year * 10_000 + part(4..6, 1, 12) * 100 + part(6..8, 1, 31))
}

/// One report as the index holds it.
pub struct Entry<'a> {
    pub seq: i64,
    pub stems: &'a str,
    pub lang: &'a str,
    pub outlet: Option<&'a str>,
    pub published: Option<&'a str>,
    pub entity_keys: Vec<&'a str>,
}

/// The index writer of one store (one at a time: a second process waits for it).
pub struct Writer {
    writer: Option<IndexWriter>,
    fields: Fields,
    dir: PathBuf,
    /// The highest `seq` added since the last commit.
    pending: Option<i64>,
    indexed: i64,
}

impl Writer {
    /// Opens the index of the store in `store_dir` for writing and indexes every report of
    /// `conn` past the index's last commit.
    pub fn open(store_dir: &Path, conn: &Connection) -> Result<Writer> {
        let dir = dir_of(store_dir);
        let index = open_index(&dir)?;
        let started = Instant::now();
        let writer = loop {
            match index.writer_with_num_threads(1, WRITER_MEMORY) {
                Ok(w) => break w,
                Err(tantivy::TantivyError::LockFailure(..)) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(err("open the writer (is another ingest running?)")(e)),
            }
        };
        let (_, fields) = schema();
        let indexed = indexed_seq(&index)?;
        let mut w = Writer {
            writer: Some(writer),
            fields,
            dir,
            pending: None,
            indexed,
        };
        w.catch_up(conn)?;
        Ok(w)
    }

    fn writer(&mut self) -> &mut IndexWriter {
        self.writer.as_mut().expect("the writer lives until drop")
    }

    /// Indexes the reports of `conn` that the index lacks, and commits.
    fn catch_up(&mut self, conn: &Connection) -> Result<()> {
        let last: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |r| {
            r.get(0)
        })?;
        if last == self.indexed {
            return Ok(());
        }
        if last < self.indexed {
            // The index holds reports this store does not (the store file was replaced):
            // it is rebuilt from the store.
            self.writer().delete_all_documents().map_err(err("clear"))?;
            self.indexed = 0;
        }
        let mut rows = conn.prepare(
            "SELECT seq, lang, outlet, published, title, text FROM documents WHERE seq > ?1 ORDER BY seq",
        )?;
        let mut keys = conn.prepare_cached("SELECT key FROM mentions WHERE seq = ?1")?;
        let mut it = rows.query([self.indexed])?;
        while let Some(r) = it.next()? {
            let seq: i64 = r.get(0)?;
            let lang: String = r.get(1)?;
            let outlet: Option<String> = r.get(2)?;
            let published: Option<String> = r.get(3)?;
            let title: Option<String> = r.get(4)?;
            let text: String = r.get(5)?;
            let stems = crate::record::index_stems(title.as_deref(), &text, &lang);
            let entity_keys: Vec<String> = keys
                .query_map([seq], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            self.add(&Entry {
                seq,
                stems: &stems,
                lang: &lang,
                outlet: outlet.as_deref(),
                published: published.as_deref(),
                entity_keys: entity_keys.iter().map(String::as_str).collect(),
            })?;
        }
        self.commit()
    }

    pub fn add(&mut self, e: &Entry) -> Result<()> {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.seq, e.seq as u64);
        doc.add_text(f.stems, e.stems);
        doc.add_text(f.lang, e.lang);
        if let Some(o) = e.outlet {
            doc.add_text(f.outlet, o);
        }
        if let Some(day) = e.published.and_then(|p| day_number(p, false)) {
            doc.add_u64(f.day, day);
        }
        for k in &e.entity_keys {
            doc.add_text(f.entity, k);
        }
        if e.lang == "de" {
            let mut long: Vec<&str> = e
                .stems
                .split(' ')
                .filter(|w| w.chars().count() >= COMPOUND_MIN_CHARS)
                .collect();
            long.sort_unstable();
            long.dedup();
            let reversed: Vec<String> = long.iter().map(|w| w.chars().rev().collect()).collect();
            doc.add_text(f.compounds, reversed.join(" "));
        }
        self.writer().add_document(doc).map_err(err("add"))?;
        self.pending = Some(self.pending.map_or(e.seq, |p| p.max(e.seq)));
        Ok(())
    }

    /// Commits what was added (after the store committed it), with the last `seq` as payload.
    pub fn commit(&mut self) -> Result<()> {
        let Some(last) = self.pending.take() else {
            return Ok(());
        };
        let last = last.max(self.indexed);
        let mut prepared = self.writer().prepare_commit().map_err(err("commit"))?;
        prepared.set_payload(&last.to_string());
        prepared.commit().map_err(err("commit"))?;
        self.indexed = last;
        reload_open_reader(&self.dir);
        Ok(())
    }

    /// Drops what was added since the last commit (the store rolled back).
    pub fn rollback(&mut self) -> Result<()> {
        self.pending = None;
        self.writer().rollback().map_err(err("rollback"))?;
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Segment merges started by the last commits finish: the next reader opens few segments.
        if let Some(w) = self.writer.take() {
            let _ = w.wait_merging_threads();
        }
    }
}

/// What a search asks for: every inner list is one query word's alternative stems (any of
/// them matches), every word must match; the filters restrict without scoring.
#[derive(Debug, Default)]
pub struct Request<'a> {
    pub words: Vec<Vec<String>>,
    pub lang: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub from: Option<u64>,
    pub to: Option<u64>,
    /// Any of these entity keys (empty: no entity filter).
    pub entity_keys: Vec<String>,
    pub limit: usize,
}

/// One ranked report, with what the facets count (read from the index's columns, so that a
/// search reads only its shown hits from the store).
#[derive(Debug, Clone)]
pub struct Ranked {
    pub seq: i64,
    pub score: f32,
    pub outlet: Option<String>,
    /// The document date, "YYYY-MM-DD".
    pub day: Option<String>,
    pub entity_keys: Vec<String>,
}

/// A store's index as readers see it (shared by every connection of a process).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// The last `seq` the reader's view holds, and when the store was last compared with it.
    seen: Mutex<(i64, Instant)>,
}

/// The open indexes of this process, by index directory.
fn open_indexes() -> &'static Mutex<HashMap<PathBuf, Arc<SearchIndex>>> {
    static OPEN: std::sync::OnceLock<Mutex<HashMap<PathBuf, Arc<SearchIndex>>>> =
        std::sync::OnceLock::new();
    OPEN.get_or_init(Default::default)
}

fn reload_open_reader(dir: &Path) {
    let open = open_indexes().lock().ok().and_then(|m| m.get(dir).cloned());
    if let Some(ix) = open {
        let _ = ix.reload();
    }
}

/// How often a reader compares its view with the store (a writer in another process).
const RELOAD_EVERY: Duration = Duration::from_millis(500);

impl SearchIndex {
    /// The index of the store `conn` reads. A store filed before it had an index (or whose
    /// index lags) is indexed first when no other writer holds the index.
    pub fn of(conn: &Connection) -> Result<Arc<SearchIndex>> {
        let store_dir = conn
            .path()
            .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
            .ok_or_else(|| Error("search needs a store on disk".into()))?;
        let dir = dir_of(&store_dir);
        if let Some(ix) = open_indexes()
            .lock()
            .ok()
            .and_then(|m| m.get(&dir).cloned())
        {
            ix.follow(conn)?;
            return Ok(ix);
        }
        let last: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |r| {
            r.get(0)
        })?;
        let behind = !dir.join("meta.json").exists()
            || open_index(&dir).and_then(|i| indexed_seq(&i)).unwrap_or(0) != last;
        if behind {
            // Best effort: a read-only directory or a running ingest leaves the index as is.
            if let Err(e) = Writer::open(&store_dir, conn) {
                if !dir.join("meta.json").exists() {
                    return Err(e);
                }
            }
        }
        let index = open_index(&dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err("open the reader"))?;
        let (_, fields) = schema();
        let ix = Arc::new(SearchIndex {
            reader,
            fields,
            seen: Mutex::new((indexed_seq(&index)?, Instant::now())),
        });
        if let Ok(mut m) = open_indexes().lock() {
            m.insert(dir, ix.clone());
        }
        Ok(ix)
    }

    fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(err("reload"))?;
        let seq = indexed_seq(self.reader.searcher().index())?;
        if let Ok(mut s) = self.seen.lock() {
            *s = (seq, Instant::now());
        }
        Ok(())
    }

    /// Reloads when the store holds reports past the reader's view (checked twice a second).
    fn follow(&self, conn: &Connection) -> Result<()> {
        let due = self
            .seen
            .lock()
            .map(|s| s.1.elapsed() >= RELOAD_EVERY)
            .unwrap_or(true);
        if !due {
            return Ok(());
        }
        let last: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |r| {
            r.get(0)
        })?;
        let seen = self.seen.lock().map(|s| s.0).unwrap_or(0);
        if last != seen {
            self.reload()?;
        } else if let Ok(mut s) = self.seen.lock() {
            s.1 = Instant::now();
        }
        Ok(())
    }

    /// Indexed German compounds whose last part is one of `alts` (not the word itself), the
    /// most frequent first, at most [`COMPOUNDS_PER_WORD`].
    fn compounds_ending_in(&self, alts: &[String]) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let mut found: HashMap<String, u32> = HashMap::new();
        for head in alts {
            let n = head.chars().count();
            if !(HEAD_MIN_CHARS..=MAX_STEM_BYTES).contains(&n) {
                continue;
            }
            let reversed: String = head.chars().rev().collect();
            for segment in searcher.segment_readers() {
                let inverted = segment
                    .inverted_index(self.fields.compounds)
                    .map_err(err("read compounds"))?;
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(reversed.as_bytes())
                    .into_stream()
                    .map_err(|e| Error(format!("search index: read compounds: {e}")))?;
                while stream.advance() {
                    let key = stream.key();
                    if !key.starts_with(reversed.as_bytes()) {
                        break;
                    }
                    let Ok(term) = std::str::from_utf8(key) else {
                        continue;
                    };
                    if term.chars().count() < n + MODIFIER_MIN_CHARS {
                        continue;
                    }
                    let word: String = term.chars().rev().collect();
                    *found.entry(word).or_default() += stream.value().doc_freq;
                }
            }
        }
        for a in alts {
            found.remove(a);
        }
        let mut by_freq: Vec<(String, u32)> = found.into_iter().collect();
        by_freq.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(by_freq
            .into_iter()
            .take(COMPOUNDS_PER_WORD)
            .map(|(w, _)| w)
            .collect())
    }

    /// The best `limit` reports by BM25, best first.
    pub fn search(&self, r: &Request) -> Result<Vec<Ranked>> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for alts in &r.words {
            let mut terms: Vec<(Occur, Box<dyn Query>)> = alts
                .iter()
                .filter(|s| !s.is_empty() && s.len() <= MAX_STEM_BYTES)
                .map(|s| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.stems, s),
                        IndexRecordOption::WithFreqs,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            if terms.is_empty() {
                return Ok(Vec::new());
            }
            for compound in self.compounds_ending_in(alts)? {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.stems, &compound),
                    IndexRecordOption::WithFreqs,
                ));
                terms.push((Occur::Should, Box::new(BoostQuery::new(q, COMPOUND_BOOST))));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(terms))));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(l) = r.lang {
            clauses.push(filter(term(f.lang, l)));
        }
        if let Some(o) = r.outlet {
            clauses.push(filter(term(f.outlet, o)));
        }
        if r.from.is_some() || r.to.is_some() {
            let bound = |d: Option<u64>| match d {
                Some(d) => Bound::Included(Term::from_field_u64(f.day, d)),
                None => Bound::Unbounded,
            };
            clauses.push(filter(Box::new(RangeQuery::new(
                bound(r.from),
                bound(r.to),
            ))));
        }
        if !r.entity_keys.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = r
                .entity_keys
                .iter()
                .map(|k| (Occur::Should, term(f.entity, k)))
                .collect();
            clauses.push(filter(Box::new(BooleanQuery::new(any))));
        }
        let query: Box<dyn Query> = if clauses.len() == 1 && r.words.len() == 1 {
            clauses.pop().expect("one clause").1
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &query,
                &TopDocs::with_limit(r.limit.max(1)).order_by_score(),
            )
            .map_err(err("search"))?;
        struct Columns {
            seq: tantivy::columnar::Column<u64>,
            day: tantivy::columnar::Column<u64>,
            outlet: Option<tantivy::columnar::StrColumn>,
            entity: Option<tantivy::columnar::StrColumn>,
        }
        let open = |segment: u32| -> tantivy::Result<Columns> {
            let ff = searcher.segment_reader(segment).fast_fields();
            Ok(Columns {
                seq: ff.u64("seq")?,
                day: ff.u64("day")?,
                outlet: ff.str("outlet")?,
                entity: ff.str("entity")?,
            })
        };
        // First the ranks, days and string ordinals; then each segment's ordinals turned into
        // strings in one sorted pass over its dictionary (one by one, each look-up decodes a
        // dictionary block from its start: that was most of a search's time).
        let mut columns: HashMap<u32, Columns> = HashMap::new();
        let mut out = Vec::with_capacity(top.len());
        let mut ords: Vec<(u32, Vec<u64>, Vec<u64>)> = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let c = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(c) => c.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(open(addr.segment_ord).map_err(err("read columns"))?)
                }
            };
            let Some(seq) = c.seq.first(addr.doc_id) else {
                continue;
            };
            let of = |col: &Option<tantivy::columnar::StrColumn>| -> Vec<u64> {
                col.as_ref()
                    .map(|col| col.term_ords(addr.doc_id).collect())
                    .unwrap_or_default()
            };
            ords.push((addr.segment_ord, of(&c.outlet), of(&c.entity)));
            out.push(Ranked {
                seq: seq as i64,
                score,
                outlet: None,
                day: c
                    .day
                    .first(addr.doc_id)
                    .map(|d| format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100)),
                entity_keys: Vec::new(),
            });
        }
        let mut names: HashMap<(u32, bool, u64), String> = HashMap::new();
        for (&segment, c) in &columns {
            for (is_outlet, column) in [(true, &c.outlet), (false, &c.entity)] {
                let Some(column) = column else { continue };
                let mut wanted: Vec<u64> = ords
                    .iter()
                    .filter(|o| o.0 == segment)
                    .flat_map(|o| if is_outlet { o.1.iter() } else { o.2.iter() })
                    .copied()
                    .collect();
                wanted.sort_unstable();
                wanted.dedup();
                let mut found = Vec::with_capacity(wanted.len());
                column
                    .dictionary()
                    .sorted_ords_to_term_cb(&wanted, |bytes| {
                        found.push(String::from_utf8_lossy(bytes).into_owned())
                    })
                    .map_err(|e| Error(format!("search index: read strings: {e}")))?;
                for (ord, name) in wanted.into_iter().zip(found) {
                    names.insert((segment, is_outlet, ord), name);
                }
            }
        }
        for (r, (segment, outlet, entity)) in out.iter_mut().zip(&ords) {
            r.outlet = outlet
                .first()
                .and_then(|o| names.get(&(*segment, true, *o)).cloned());
            r.entity_keys = entity
                .iter()
                .filter_map(|o| names.get(&(*segment, false, *o)).cloned())
                .collect();
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn day_numbers_fill_missing_parts_by_bound() {
        assert_eq!(day_number("2024-05-17", false), Some(20240517));
        assert_eq!(day_number("2024-05", false), Some(20240501));
        assert_eq!(day_number("2024-05", true), Some(20240531));
        assert_eq!(day_number("2024", true), Some(20241231));
        assert_eq!(day_number("soon", false), None);
    }
}
