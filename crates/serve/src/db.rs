//! A small pool of read-only SQLite connections: readers work while the writer commits (WAL).

use crate::ApiError;
use dossier_archive::{Result, SqliteStore};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Connections kept for reuse (more are opened under load and closed after).
const POOL: usize = 16;

pub struct Db {
    dir: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

impl Db {
    /// Checks that the store exists, opens one connection and the search index.
    pub fn open(dir: &Path) -> Result<Db> {
        let first = connect(dir)?;
        // The search index is opened (and caught up with the store, if it lags) now, not by
        // the first search. Best effort: a store the server may not write still serves its
        // other pages.
        let _ = dossier_archive::index::SearchIndex::of(&first);
        Ok(Db {
            dir: dir.to_path_buf(),
            pool: Mutex::new(vec![first]),
        })
    }

    /// Runs `f` with a connection of the pool.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, ApiError>,
    ) -> std::result::Result<T, ApiError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let conn = match taken {
            Some(c) => c,
            None => connect(&self.dir)?,
        };
        let out = f(&conn);
        if let Ok(mut p) = self.pool.lock() {
            if p.len() < POOL {
                p.push(conn);
            }
        }
        out
    }
}

fn connect(dir: &Path) -> Result<Connection> {
    let store = SqliteStore::open_read_only(dir)?;
    // 8 MiB of page cache per connection (the operating system caches the file besides).
    store.conn.pragma_update(None, "cache_size", -8192)?;
    Ok(store.conn)
}
