//! The archive: many reports in one store, de-duplicated, clustered into stories, searchable.
//!
//! A layer beside the per-document pipeline: it reads reports (`dossier_core::Document`) and
//! never changes them. The writer ([`Archive`]) files each report in one transaction with its
//! near-duplicate link ([`minhash`]), its story ([`cluster`]), its entities and claims and its
//! full-text entry; [`query`] reads the store (search, stories, entities, export), also while a
//! writer commits.

pub mod cluster;
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
}

struct Df {
    docs: u64,
    df: HashMap<String, u64>,
}

impl Frequencies for Df {
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
const STORIES_PER_KEY: usize = 20;

impl<S: Store> Archive<S> {
    pub fn new(store: S) -> Archive<S> {
        Archive {
            store,
            params: cluster::Params::default(),
            trace: false,
        }
    }

    /// Files a batch in one transaction: either every report of it is committed or none is.
    pub fn add_batch(&mut self, docs: &[Prepared]) -> Result<Vec<Outcome>> {
        self.store.begin()?;
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            out.push(self.add(d)?);
        }
        self.store.commit()?;
        Ok(out)
    }

    /// Files one report (inside the caller's transaction).
    pub fn add(&mut self, d: &Prepared) -> Result<Outcome> {
        if self.store.contains(&d.id)? {
            return Ok(Outcome::Known);
        }
        let keys: Vec<&String> = d.terms.keys().chain(d.names.keys()).collect();
        let freq = Df {
            docs: self.store.doc_count()?,
            df: self.store.df(&keys)?,
        };
        let features = Features::new(d, &freq);

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
        let mut story: Option<Story> = None;
        if let Some((sim, c)) = best {
            place.duplicate_of = Some(c.id.clone());
            place.similarity = Some((sim * 1000.0).round() / 1000.0);
            place.dup_group = Some(c.dup_group.clone().unwrap_or(c.id.clone()));
            story = self.store.story(c.story)?;
        }

        // Stories: the best-scoring candidate above the bar, else a new story.
        if story.is_none() {
            let mut best_story: Option<(f32, Story)> = None;
            for id in self
                .store
                .story_candidates(&cluster::lookup_keys(&features), STORIES_PER_KEY)?
            {
                let Some(s) = self.store.story(id)? else {
                    continue;
                };
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
                if joins && best_story.as_ref().is_none_or(|(b, _)| score > *b) {
                    best_story = Some((score, s));
                }
            }
            story = best_story.map(|(_, s)| s);
        }
        let mut story = match story {
            Some(s) => s,
            None => Story::new(self.store.next_story_id()?, &d.id),
        };
        story.add(&features);
        place.story = story.id;
        let keys = story.keys();
        self.store.save_story(&story, &keys)?;
        self.store.insert(d, &place)?;
        Ok(Outcome::New {
            story: story.id,
            duplicate_of: place.duplicate_of,
        })
    }
}
