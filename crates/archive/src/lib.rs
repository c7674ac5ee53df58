//! The archive: many reports in one store, de-duplicated, clustered into stories, searchable.
//!
//! A layer beside the per-document pipeline: it reads reports (`dossier_core::Document`) and
//! never changes them. The writer ([`Archive`]) files each report in one transaction with its
//! near-duplicate link ([`minhash`]), its story ([`cluster`]), its entities and claims; the
//! full-text entry goes to the search index ([`index`]) after the store commits; [`query`]
//! reads the store and the index (search, stories, entities, export), also while a writer
//! commits.

pub mod cluster;
pub mod entity;
pub mod eval;
pub mod index;
pub mod minhash;
pub mod query;
pub mod record;
pub mod store;
pub mod text;

pub use record::Prepared;
pub use store::{Error, Placement, Result, SqliteStore, Store};

use cluster::{Features, Frequencies, Story};
use std::collections::HashMap;

/// The default store directory, under the user's data directory.
pub fn default_store_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("DOSSIER_STORE") {
        return dir.into();
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })
        .unwrap_or_else(|| ".".into());
    base.join("dossier").join("archive")
}

/// What happened to one report.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Filed: its story, and the earlier report it copies, if any.
    New {
        story: i64,
        duplicate_of: Option<String>,
    },
    /// Already in the archive (same content id): nothing added.
    Known,
}

/// The writer: files reports into a store.
pub struct Archive<S: Store> {
    pub store: S,
    pub params: cluster::Params,
    /// Print every story decision on stderr (for tuning).
    pub trace: bool,
    /// Stories read or written lately, so that the writer does not decode them again.
    cache: HashMap<i64, Story>,
    /// Document frequencies read lately (`None`: not in the store), and the documents counted.
    df: HashMap<String, u64>,
    docs: Option<u64>,
    /// Frequency increments of the open transaction, written at its commit.
    pending_df: HashMap<String, u64>,
    pending_docs: u64,
    next_story: Option<i64>,
}

/// How many stories and frequencies the writer keeps in memory (bounded whatever the archive
/// size: beyond these it forgets and reads again).
const STORY_CACHE: usize = 20_000;
const DF_CACHE: usize = 2_000_000;

struct Df<'a> {
    docs: u64,
    df: &'a HashMap<String, u64>,
}

impl Frequencies for Df<'_> {
    fn docs(&self) -> u64 {
        self.docs
    }
    fn df(&self, term: &str) -> u64 {
        self.df.get(term).copied().unwrap_or(0)
    }
}

/// How many band candidates and stories per key the writer looks at (bounded work per report,
/// whatever the archive size).
const BAND_CANDIDATES: usize = 40;
const STORIES_PER_KEY: usize = 10;

impl<S: Store> Archive<S> {
    pub fn new(store: S) -> Archive<S> {
        Archive {
            store,
            params: cluster::Params::default(),
            trace: false,
            cache: HashMap::new(),
            df: HashMap::new(),
            docs: None,
            pending_df: HashMap::new(),
            pending_docs: 0,
            next_story: None,
        }
    }

    fn forget(&mut self) {
        self.cache.clear();
        self.df.clear();
        self.docs = None;
        self.pending_df.clear();
        self.pending_docs = 0;
        self.next_story = None;
    }

    /// Makes sure a story is in the cache; false when the store has no such story.
    fn load_story(&mut self, id: i64) -> Result<bool> {
        if self.cache.contains_key(&id) {
            return Ok(true);
        }
        match self.store.story(id)? {
            Some(s) => {
                self.cache.insert(id, s);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Files a batch in one transaction: either every report of it is committed or none is.
    pub fn add_batch(&mut self, docs: &[Prepared]) -> Result<Vec<Outcome>> {
        self.store.begin()?;
        let mut out = Vec::with_capacity(docs.len());
        let result = (|| {
            for d in docs {
                out.push(self.add(d)?);
            }
            let pending = std::mem::take(&mut self.pending_df);
            self.store
                .add_df(&pending, std::mem::take(&mut self.pending_docs))?;
            self.store.commit()
        })();
        if let Err(e) = result {
            // Nothing of the batch stays; what the caches learnt from it is forgotten.
            self.forget();
            let _ = self.store.rollback();
            return Err(e);
        }
        if self.cache.len() > STORY_CACHE {
            self.cache.clear();
        }
        if self.df.len() > DF_CACHE {
            self.df.clear();
        }
        Ok(out)
    }

    /// Files one report (inside the caller's transaction, see [`Archive::add_batch`]).
    fn add(&mut self, d: &Prepared) -> Result<Outcome> {
        if self.store.contains(&d.id)? {
            return Ok(Outcome::Known);
        }
        let missing: Vec<&String> = d
            .terms
            .keys()
            .chain(d.names.keys())
            .filter(|t| !self.df.contains_key(*t))
            .collect();
        if !missing.is_empty() {
            let found = self.store.df(&missing)?;
            for t in missing {
                self.df
                    .insert(t.clone(), found.get(t).copied().unwrap_or(0));
            }
        }
        let docs = match self.docs {
            Some(n) => n,
            None => {
                let n = self.store.doc_count()?;
                self.docs = Some(n);
                n
            }
        };
        let features = Features::new(d, &Df { docs, df: &self.df });

        // Near-duplicates: band candidates, checked exactly; the most similar earlier report.
        let mut place = Placement::default();
        let mut best: Option<(f64, store::Stored)> = None;
        for c in self
            .store
            .band_candidates(&minhash::band_keys(&d.signature), BAND_CANDIDATES)?
        {
            let o = minhash::overlap(&d.shingles, &text::shingles(&c.text));
            if o.is_near_duplicate() && best.as_ref().is_none_or(|(s, _)| o.containment > *s) {
                best = Some((o.containment, c));
            }
        }
        let mut chosen: Option<i64> = None;
        if let Some((sim, c)) = best {
            place.duplicate_of = Some(c.id.clone());
            place.similarity = Some((sim * 1000.0).round() / 1000.0);
            place.dup_group = Some(c.dup_group.clone().unwrap_or(c.id.clone()));
            if self.load_story(c.story)? {
                chosen = Some(c.story);
            }
        }

        // Stories: the best-scoring candidate above the bar, else a new story.
        if chosen.is_none() {
            let ids = self
                .store
                .story_candidates(&cluster::lookup_keys(&features), STORIES_PER_KEY)?;
            let mut best_story: Option<(f32, i64)> = None;
            for id in ids {
                if !self.load_story(id)? {
                    continue;
                }
                let s = &self.cache[&id];
                let (score, joins) = s.score(&features, &self.params);
                if self.trace {
                    eprintln!(
                        "  {} vs story {} ({} docs, {:?}): {score:.3}{}",
                        d.id,
                        s.id,
                        s.size,
                        s.langs,
                        if joins { " joins" } else { "" }
                    );
                }
                if joins && best_story.is_none_or(|(b, _)| score > b) {
                    best_story = Some((score, id));
                }
            }
            chosen = best_story.map(|(_, id)| id);
        }
        let (mut story, old_keys) = match chosen.and_then(|id| self.cache.remove(&id)) {
            Some(s) => {
                let keys: std::collections::HashSet<String> = s.keys().into_iter().collect();
                (s, keys)
            }
            None => {
                let id = match self.next_story {
                    Some(id) => id,
                    None => self.store.next_story_id()?,
                };
                self.next_story = Some(id + 1);
                (Story::new(id, &d.id), Default::default())
            }
        };
        story.add(&features);
        place.story = story.id;
        let new_keys: Vec<String> = story
            .keys()
            .into_iter()
            .filter(|k| !old_keys.contains(k))
            .collect();
        self.store.save_story(&story, &new_keys)?;
        self.store.insert(d, &place)?;
        // This report now counts in the frequencies (in memory at once, in the store at commit).
        for t in d.terms.keys().chain(d.names.keys()) {
            *self.df.entry(t.clone()).or_default() += 1;
            *self.pending_df.entry(t.clone()).or_default() += 1;
        }
        self.docs = Some(docs + 1);
        self.pending_docs += 1;
        let story_id = story.id;
        self.cache.insert(story_id, story);
        Ok(Outcome::New {
            story: story_id,
            duplicate_of: place.duplicate_of,
        })
    }

    /// Adds background frequencies (see [`Store::seed_df`]) in one transaction.
    pub fn seed_frequencies(&mut self, docs: &[Prepared]) -> Result<()> {
        let mut inc: HashMap<String, u64> = HashMap::new();
        for d in docs {
            for t in d.terms.keys().chain(d.names.keys()) {
                *inc.entry(t.clone()).or_default() += 1;
            }
        }
        self.store.begin()?;
        self.store.add_df(&inc, docs.len() as u64)?;
        self.store.commit()?;
        self.forget();
        Ok(())
    }
}
