//! The store behind the archive: a small trait, and its embedded SQLite implementation.
//!
//! The trait holds what the writer needs (one writer at a time, inside a transaction that makes
//! a batch of documents durable at once or not at all). The schema uses only types and
//! statements that PostgreSQL has too (TEXT, BIGINT, REAL, BYTEA-like BLOB, composite primary
//! keys). The full-text index is not in the store: [`crate::index`] keeps it beside the file and
//! catches up with the store's commits, so a PostgreSQL store could keep the same index.

use crate::cluster::Story;
use crate::record::Prepared;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error(format!("store: {e}"))
    }
}

/// A document already in the store, as near-duplicate detection needs it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: i64,
    pub id: String,
    pub text: String,
    pub published: Option<String>,
    pub story: i64,
    pub dup_group: Option<String>,
}

/// Where the writer puts a new document.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub story: i64,
    pub duplicate_of: Option<String>,
    pub similarity: Option<f64>,
    pub dup_group: Option<String>,
}

/// The writer's view of a store.
pub trait Store {
    fn begin(&mut self) -> Result<()>;
    fn commit(&mut self) -> Result<()>;
    fn rollback(&mut self) -> Result<()>;
    fn contains(&self, id: &str) -> Result<bool>;
    /// Documents that share an LSH band key with these, most recent first, at most `limit`.
    fn band_candidates(&self, keys: &[i64], limit: usize) -> Result<Vec<Stored>>;
    /// Stories filed under any of these keys (at most `limit` per key), those sharing the most
    /// keys first, at most `2 × limit`.
    fn story_candidates(&self, keys: &[String], limit: usize) -> Result<Vec<i64>>;
    fn story(&self, id: i64) -> Result<Option<Story>>;
    fn next_story_id(&self) -> Result<i64>;
    fn save_story(&mut self, story: &Story, new_keys: &[String]) -> Result<()>;
    fn df(&self, terms: &[&String]) -> Result<HashMap<String, u64>>;
    /// The number of documents the frequencies count (filed ones plus any background seeded).
    fn doc_count(&self) -> Result<u64>;
    /// Adds to the document frequencies (`docs`: to the number of documents they count): the
    /// writer's increments at a commit, or a reference collection's, so that the weights of a
    /// young archive are those of a large one.
    fn add_df(&mut self, increments: &HashMap<String, u64>, docs: u64) -> Result<()>;
    fn insert(&mut self, doc: &Prepared, place: &Placement) -> Result<()>;
}

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    url          TEXT,
    outlet       TEXT,
    lang         TEXT NOT NULL,
    published    TEXT,
    date_sure    INTEGER NOT NULL,
    title        TEXT,
    text         TEXT NOT NULL,
    story        INTEGER NOT NULL,
    duplicate_of TEXT,
    similarity   REAL,
    dup_group    TEXT,
    report       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_story ON documents(story, published);
CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    id    INTEGER PRIMARY KEY,
    size  INTEGER NOT NULL,
    state BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS story_keys (
    key   TEXT NOT NULL,
    story INTEGER NOT NULL,
    PRIMARY KEY (key, story)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS df (
    term TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions (
    key  TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    geonames INTEGER,
    lat  REAL,
    lon  REAL,
    last TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_seq ON mentions(seq);
CREATE INDEX IF NOT EXISTS mentions_last ON mentions(last);
CREATE TABLE IF NOT EXISTS claims (
    key    TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    text   TEXT NOT NULL,
    source TEXT,
    source_text TEXT,
    chain  TEXT NOT NULL,
    stance TEXT NOT NULL,
    PRIMARY KEY (key, seq, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_source ON claims(source);
"#;

/// The embedded store: one SQLite file in WAL mode under the store directory.
pub struct SqliteStore {
    pub conn: Connection,
    pub path: PathBuf,
    /// The full-text index's writer, opened at the first transaction of a writing store.
    index: Option<crate::index::Writer>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error(format!("cannot create store {}: {e}", dir.display())))?;
        let path = dir.join("archive.sqlite");
        without_memory_statistics();
        let conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode: a committed transaction survives a crash of the process (kill -9);
        // only a power loss may undo the last commits, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteStore {
            conn,
            path,
            index: None,
        })
    }

    /// Opens an existing store read-only (readers work while a writer commits).
    pub fn open_read_only(dir: &Path) -> Result<SqliteStore> {
        without_memory_statistics();
        let path = dir.join("archive.sqlite");
        if !path.exists() {
            return Err(Error(format!(
                "no archive at {} (run `dossier ingest` first)",
                dir.display()
            )));
        }
        let conn = Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        Ok(SqliteStore {
            conn,
            path,
            index: None,
        })
    }
}

/// Turns off SQLite's allocation statistics for the process, before its first connection.
/// They take one process-wide mutex on every allocation, so readers on many threads (the
/// server) waited on each other; nothing here reads the statistics. Too late (a connection
/// already opened) it does nothing.
fn without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called with an int argument, as SQLITE_CONFIG_MEMSTATUS
        // takes; before sqlite3_initialize it sets the flag, afterwards it returns
        // SQLITE_MISUSE and changes nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

/// Band keys per statement (one statement per 64 keys instead of one per key).
const BAND_BATCH: usize = 64;

fn band_select(n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    // A common band (boilerplate shingles) must not flood the candidates: newest first, capped.
    format!(
        "SELECT seq FROM bands WHERE key IN ({}) ORDER BY seq DESC LIMIT 2000",
        marks.join(",")
    )
}

fn band_insert(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2))
        .collect();
    format!(
        "INSERT OR IGNORE INTO bands (key, seq) VALUES {}",
        rows.join(",")
    )
}

impl Store for SqliteStore {
    fn begin(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        if self.index.is_none() {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            match crate::index::Writer::open(dir, &self.conn) {
                Ok(w) => self.index = Some(w),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        // The reports are committed: an index that fails now catches up when it next opens.
        if let Some(ix) = self.index.as_mut() {
            if let Err(e) = ix.commit() {
                eprintln!("dossier: {e} (the index catches up at the next ingest)");
                self.index = None;
            }
        }
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK")?;
        if let Some(ix) = self.index.as_mut() {
            if ix.rollback().is_err() {
                self.index = None;
            }
        }
        Ok(())
    }

    fn contains(&self, id: &str) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?;
        Ok(st.exists([id])?)
    }

    fn band_candidates(&self, keys: &[i64], limit: usize) -> Result<Vec<Stored>> {
        let mut seqs: HashMap<i64, usize> = HashMap::new();
        for part in keys.chunks(BAND_BATCH) {
            let mut st = self.conn.prepare_cached(&band_select(part.len()))?;
            let rows = st.query_map(params_from_iter(part.iter()), |r| r.get::<_, i64>(0))?;
            for seq in rows {
                *seqs.entry(seq?).or_default() += 1;
            }
        }
        let mut ranked: Vec<(i64, usize)> = seqs.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        ranked.truncate(limit);
        let mut st = self.conn.prepare_cached(
            "SELECT seq, id, text, published, story, dup_group FROM documents WHERE seq = ?1",
        )?;
        let mut out = Vec::new();
        for (seq, _) in ranked {
            if let Some(s) = st
                .query_row([seq], |r| {
                    Ok(Stored {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                        text: r.get(2)?,
                        published: r.get(3)?,
                        story: r.get(4)?,
                        dup_group: r.get(5)?,
                    })
                })
                .optional()?
            {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn story_candidates(&self, keys: &[String], limit: usize) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT story FROM story_keys WHERE key = ?1 ORDER BY story DESC LIMIT ?2",
        )?;
        let mut hits: HashMap<i64, usize> = HashMap::new();
        for k in keys {
            for s in st.query_map(params![k, limit as i64], |r| r.get::<_, i64>(0))? {
                *hits.entry(s?).or_default() += 1;
            }
        }
        // The stories sharing the most keys (then the most recent) are scored.
        let mut out: Vec<(i64, usize)> = hits.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        out.truncate(limit * 2);
        Ok(out.into_iter().map(|(s, _)| s).collect())
    }

    fn story(&self, id: i64) -> Result<Option<Story>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT state FROM stories WHERE id = ?1")?;
        let blob: Option<Vec<u8>> = st.query_row([id], |r| r.get(0)).optional()?;
        match blob {
            Some(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| Error(format!("story {id}: {e}"))),
            None => Ok(None),
        }
    }

    fn next_story_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM stories", [], |r| {
                r.get(0)
            })?)
    }

    fn save_story(&mut self, story: &Story, new_keys: &[String]) -> Result<()> {
        let state = serde_json::to_vec(story).map_err(|e| Error(e.to_string()))?;
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO stories (id, size, state) VALUES (?1, ?2, ?3)")?
            .execute(params![story.id, story.size as i64, state])?;
        let mut st = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO story_keys (key, story) VALUES (?1, ?2)")?;
        for k in new_keys {
            st.execute(params![k, story.id])?;
        }
        Ok(())
    }

    fn df(&self, terms: &[&String]) -> Result<HashMap<String, u64>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT n FROM df WHERE term = ?1")?;
        let mut out = HashMap::new();
        for t in terms {
            if let Some(n) = st
                .query_row([t.as_str()], |r| r.get::<_, i64>(0))
                .optional()?
            {
                out.insert((*t).clone(), n as u64);
            }
        }
        Ok(out)
    }

    fn doc_count(&self) -> Result<u64> {
        let n: Option<i64> = self
            .conn
            .prepare_cached("SELECT n FROM df WHERE term = ''")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(n.unwrap_or(0) as u64)
    }

    fn add_df(&mut self, increments: &HashMap<String, u64>, docs: u64) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "INSERT INTO df (term, n) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET n = n + ?2",
        )?;
        st.execute(params!["", docs as i64])?;
        for (t, n) in increments {
            st.execute(params![t, *n as i64])?;
        }
        Ok(())
    }

    fn insert(&mut self, d: &Prepared, place: &Placement) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO documents (id, url, outlet, lang, published, date_sure, title, text, \
                 story, duplicate_of, similarity, dup_group, report) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                d.id,
                d.url,
                d.outlet,
                d.lang,
                d.published,
                d.date_sure,
                d.title,
                d.text,
                place.story,
                place.duplicate_of,
                place.similarity,
                place.dup_group,
                d.report,
            ])?;
        let seq = self.conn.last_insert_rowid();
        if let Some(ix) = self.index.as_mut() {
            ix.add(&crate::index::Entry {
                seq,
                stems: &d.stems,
                lang: &d.lang,
                outlet: d.outlet.as_deref(),
                published: d.published.as_deref(),
                entity_keys: d.entities.iter().map(|e| e.key.as_str()).collect(),
            })?;
        }
        for part in crate::minhash::band_keys(&d.signature).chunks(BAND_BATCH) {
            let mut st = self.conn.prepare_cached(&band_insert(part.len()))?;
            let args: Vec<i64> = part.iter().flat_map(|&k| [k, seq]).collect();
            st.execute(params_from_iter(args.iter()))?;
        }
        {
            let mut st = self.conn.prepare_cached(
                "INSERT INTO mentions (key, seq, kind, name, geonames, lat, lon, last, count) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT(key, seq) DO UPDATE SET count = count + excluded.count",
            )?;
            for e in &d.entities {
                st.execute(params![
                    e.key,
                    seq,
                    e.kind,
                    e.name,
                    e.geonames.map(|g| g as i64),
                    e.lat_lon.map(|l| l.0),
                    e.lat_lon.map(|l| l.1),
                    crate::text::fold_name(&e.name)
                        .rsplit(' ')
                        .next()
                        .unwrap_or_default(),
                    e.mentions as i64
                ])?;
            }
        }
        {
            let mut st = self.conn.prepare_cached(
                "INSERT OR IGNORE INTO claims (key, seq, n, text, source, source_text, chain, stance) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (n, c) in d.claims.iter().enumerate() {
                if c.key.is_empty() {
                    continue;
                }
                st.execute(params![
                    c.key,
                    seq,
                    n as i64,
                    c.text,
                    c.source,
                    c.source_text,
                    c.chain.join(" → "),
                    c.stance
                ])?;
            }
        }
        Ok(())
    }
}
