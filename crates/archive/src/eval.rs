//! Entities across languages: how well the archive's entity resolution ([`query::resolve_entity`])
//! makes one archive entity of a referent named in German and in English, scored against a
//! hand-checked list (`crates/archive/eval/clustering-entities.tsv` for the clustering dev set).
//!
//! Definitions (the figures of `dossier eval clustering`):
//! - A listed form is *found* when `resolve_entity(form)` returns an archive entity; the archive
//!   entity is identified by its set of store keys.
//! - **Recall**: the share of listed entities with at least one German and one English form
//!   found, all of whose found forms (both languages) resolve to the same archive entity.
//! - **Precision**: of the distinct archive entities that listed forms resolve to, the share
//!   that hold (resolved from, or have among their aliases) forms of one listed entity only;
//!   an archive entity holding forms of two listed entities is a wrong merge.
//! - **Wrong merges among all cross-language archive entities**: every entity key of the store
//!   resolved by its name; of the distinct archive entities named in German and in English
//!   documents, those holding forms of two or more listed entities.

use crate::query::{self, ArchiveEntity};
use crate::text;
use crate::Result;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One row of the hand-checked list.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub kind: String,
    pub label: String,
    pub stories: Vec<String>,
    pub de: Vec<String>,
    pub en: Vec<String>,
}

/// Reads the list: `kind<TAB>label<TAB>stories<TAB>German forms<TAB>English forms`, forms
/// separated by `|`; `#` lines and blank lines are comments. Bad lines are skipped.
pub fn parse_list(text: &str) -> Vec<Listed> {
    let split = |s: &str| -> Vec<String> {
        s.split('|')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect()
    };
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() < 5 {
                return None;
            }
            Some(Listed {
                kind: cols[0].trim().to_string(),
                label: cols[1].trim().to_string(),
                stories: cols[2].split_whitespace().map(str::to_string).collect(),
                de: split(cols[3]),
                en: split(cols[4]),
            })
        })
        .collect()
}

/// How one listed entity fared.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub kind: String,
    pub label: String,
    /// Per form: language, form, and the archive entity it resolves to (its keys), if any.
    pub forms: Vec<(String, String, Option<Vec<String>>)>,
    pub found_de: bool,
    pub found_en: bool,
    /// Distinct archive entities its found forms resolve to.
    pub entities: usize,
    pub recalled: bool,
}

/// An archive entity that holds listed forms.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Held {
    pub keys: Vec<String>,
    pub name: String,
    pub aliases: Vec<String>,
    /// The listed entities (labels) it holds forms of.
    pub holds: Vec<String>,
    pub langs: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct KindScore {
    pub listed: usize,
    pub recalled: usize,
    /// Archive entities holding forms of this kind's listed entities, and those of them
    /// holding forms of one listed entity only.
    pub holding: usize,
    pub clean: usize,
}

impl KindScore {
    pub fn recall(&self) -> f64 {
        ratio(self.recalled, self.listed)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.clean, self.holding)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Score {
    pub outcomes: Vec<Outcome>,
    pub held: Vec<Held>,
    /// Per kind (`PER`, `ORG`, `LOC`) and `all`.
    pub kinds: BTreeMap<String, KindScore>,
    /// Distinct archive entities named in German and English documents.
    pub cross_language: Vec<Held>,
}

impl Score {
    /// Every miss with its reason and found forms, every wrong merge, and every
    /// cross-language archive entity (for checking by hand), one per line.
    pub fn error_report(&self) -> String {
        use std::fmt::Write;
        // Writing into a String cannot fail.
        let mut out = String::new();
        let show = |k: &Option<Vec<String>>| match k {
            Some(k) => k.join(" + "),
            None => "not found".to_string(),
        };
        let _ = writeln!(out, "entities across languages, missed:");
        for o in self.outcomes.iter().filter(|o| !o.recalled) {
            let why = if !o.found_de {
                "no German form found".to_string()
            } else if !o.found_en {
                "no English form found".to_string()
            } else {
                format!("split over {} archive entities", o.entities)
            };
            let _ = writeln!(out, "  {} {} ({why}):", o.kind, o.label);
            for (lang, form, keys) in &o.forms {
                let _ = writeln!(out, "    {lang} {form:?} → {}", show(keys));
            }
        }
        let _ = writeln!(
            out,
            "archive entities holding forms of several listed entities:"
        );
        for h in self.held.iter().filter(|h| h.holds.len() > 1) {
            let _ = writeln!(
                out,
                "  {} ({}): {}",
                h.name,
                h.keys.join(" + "),
                h.holds.join(" / ")
            );
        }
        let _ = writeln!(
            out,
            "cross-language archive entities (for checking by hand):"
        );
        for h in &self.cross_language {
            let _ = writeln!(
                out,
                "  {}{} [{}] aliases: {}",
                if h.holds.len() > 1 { "WRONG " } else { "" },
                h.name,
                h.keys.join(" + "),
                h.aliases.join(" | ")
            );
        }
        out
    }

    /// The per-kind figures as a table (kind, listed, recalled, R, archive, clean, P).
    pub fn kind_table(&self) -> String {
        let mut out = format!(
            "{:<6} {:>6} {:>8} {:>6} {:>8} {:>6} {:>6}\n",
            "kind", "listed", "recalled", "R", "archive", "clean", "P"
        );
        for (k, s) in &self.kinds {
            out.push_str(&format!(
                "{:<6} {:>6} {:>8} {:>6.3} {:>8} {:>6} {:>6.3}\n",
                k,
                s.listed,
                s.recalled,
                s.recall(),
                s.holding,
                s.clean,
                s.precision()
            ));
        }
        out
    }

    /// Cross-language archive entities holding forms of two or more listed entities.
    pub fn cross_language_wrong(&self) -> impl Iterator<Item = &Held> {
        self.cross_language.iter().filter(|h| h.holds.len() > 1)
    }
}

/// Scores the archive in `conn` against the list.
pub fn score(conn: &Connection, list: &[Listed]) -> Result<Score> {
    // Folded form → the listed entities it is a form of.
    let mut form_owner: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (i, e) in list.iter().enumerate() {
        for f in e.de.iter().chain(&e.en) {
            form_owner.entry(text::fold_name(f)).or_default().insert(i);
        }
    }
    let mut resolved: BTreeMap<Vec<String>, (ArchiveEntity, BTreeSet<usize>)> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let mut forms = Vec::new();
        let mut found = BTreeSet::new();
        let (mut found_de, mut found_en) = (false, false);
        for (lang, fs) in [("de", &e.de), ("en", &e.en)] {
            for f in fs {
                let r = query::resolve_entity(conn, f)?;
                let keys = r.as_ref().map(|a| sorted(&a.keys));
                if let (Some(a), Some(k)) = (r, &keys) {
                    if lang == "de" {
                        found_de = true;
                    } else {
                        found_en = true;
                    }
                    found.insert(k.clone());
                    resolved
                        .entry(k.clone())
                        .or_insert_with(|| (a, BTreeSet::new()))
                        .1
                        .insert(i);
                }
                forms.push((lang.to_string(), f.clone(), keys));
            }
        }
        outcomes.push(Outcome {
            kind: e.kind.clone(),
            label: e.label.clone(),
            forms,
            found_de,
            found_en,
            entities: found.len(),
            recalled: found_de && found_en && found.len() == 1,
        });
    }
    let holds_of = |a: &ArchiveEntity, mut holds: BTreeSet<usize>| {
        for alias in &a.aliases {
            if let Some(o) = form_owner.get(&text::fold_name(alias)) {
                holds.extend(o);
            }
        }
        holds
    };
    let mut held = Vec::new();
    let mut kinds: BTreeMap<String, KindScore> = BTreeMap::new();
    for o in &outcomes {
        for k in [o.kind.as_str(), "all"] {
            let s = kinds.entry(k.to_string()).or_default();
            s.listed += 1;
            s.recalled += o.recalled as usize;
        }
    }
    for (keys, (a, from)) in resolved {
        let holds = holds_of(&a, from);
        let clean = holds.len() == 1;
        let mut ks: BTreeSet<&str> = holds.iter().map(|&i| list[i].kind.as_str()).collect();
        ks.insert("all");
        for k in ks {
            let s = kinds.entry(k.to_string()).or_default();
            s.holding += 1;
            s.clean += clean as usize;
        }
        held.push(Held {
            langs: langs_of(conn, &keys)?,
            keys,
            name: a.name.clone(),
            aliases: a.aliases.clone(),
            holds: holds.iter().map(|&i| list[i].label.clone()).collect(),
        });
    }
    // Every archive entity, resolved by the name of each of its keys.
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut cross_language = Vec::new();
    for (_, _, name, _, _) in query::entities(conn)? {
        let Some(a) = query::resolve_entity(conn, &name)? else {
            continue;
        };
        let keys = sorted(&a.keys);
        if !seen.insert(keys.clone()) {
            continue;
        }
        let langs = langs_of(conn, &keys)?;
        if !(langs.iter().any(|l| l == "de") && langs.iter().any(|l| l == "en")) {
            continue;
        }
        let holds = holds_of(&a, BTreeSet::new());
        cross_language.push(Held {
            keys,
            name: a.name.clone(),
            aliases: a.aliases.clone(),
            holds: holds.iter().map(|&i| list[i].label.clone()).collect(),
            langs,
        });
    }
    Ok(Score {
        outcomes,
        held,
        kinds,
        cross_language,
    })
}

fn sorted(keys: &[String]) -> Vec<String> {
    let mut k = keys.to_vec();
    k.sort();
    k.dedup();
    k
}

/// The languages of the documents filed under any of `keys`.
fn langs_of(conn: &Connection, keys: &[String]) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT d.lang FROM mentions m JOIN documents d ON d.seq = m.seq WHERE m.key = ?1",
    )?;
    let mut out = BTreeSet::new();
    for k in keys {
        for l in st.query_map([k], |r| r.get::<_, String>(0))? {
            out.insert(l?);
        }
    }
    Ok(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::entity_key;
    use crate::SqliteStore;

    #[test]
    fn the_dev_list_is_well_formed() {
        let list = parse_list(include_str!("../eval/clustering-entities.tsv"));
        assert_eq!(list.len(), 46);
        for e in &list {
            assert!(["PER", "ORG", "LOC"].contains(&e.kind.as_str()), "{e:?}");
            assert!(
                !e.de.is_empty() && !e.en.is_empty() && !e.stories.is_empty(),
                "{e:?}"
            );
        }
        // No folded form belongs to two listed entities (else precision could not tell).
        let mut owner: HashMap<String, &str> = HashMap::new();
        for e in &list {
            for f in e.de.iter().chain(&e.en) {
                let prev = owner.insert(text::fold_name(f), &e.label);
                assert!(
                    prev.is_none_or(|p| p == e.label),
                    "{f} in {prev:?} and {}",
                    e.label
                );
            }
        }
    }

    #[test]
    fn scores_a_tiny_archive() {
        let dir = std::env::temp_dir().join(format!("dossier-eval-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&dir).unwrap();
        let docs: &[(&str, &[(&str, &str)])] = &[
            (
                "de",
                &[
                    ("PER", "Wladimir Putin"),
                    ("PER", "Alexander Schmidt"),
                    ("PER", "Schmidt"),
                    ("ORG", "Gazprom"),
                ],
            ),
            (
                "en",
                &[("PER", "Vladimir Putin"), ("PER", "Alexander Schmidt")],
            ),
        ];
        for (seq, (lang, entities)) in docs.iter().enumerate() {
            let seq = seq as i64 + 1;
            store
                .conn
                .execute(
                    "INSERT INTO documents (seq, id, lang, date_sure, text, story, report) \
                     VALUES (?1, ?2, ?3, 0, '', 1, x'')",
                    rusqlite::params![seq, format!("d{seq}"), lang],
                )
                .unwrap();
            for (kind, name) in entities.iter() {
                let folded = text::fold_name(name);
                store
                    .conn
                    .execute(
                        "INSERT INTO mentions (key, seq, kind, name, last, count) \
                         VALUES (?1, ?2, ?3, ?4, ?5, 1)",
                        rusqlite::params![
                            entity_key(kind, name, None),
                            seq,
                            kind,
                            name,
                            folded.rsplit(' ').next().unwrap_or_default()
                        ],
                    )
                    .unwrap();
            }
        }
        // The list says "Schmidt" is someone else than Alexander Schmidt; Gazprom is not
        // found in English.
        let list = parse_list(
            "# test\nPER\tPutin\ts1\tWladimir Putin\tVladimir Putin\n\
             PER\tAlexander Schmidt\ts1\tAlexander Schmidt\tAlexander Schmidt\n\
             PER\tOther Schmidt\ts1\tSchmidt\tSchmidt\n\
             ORG\tGazprom\ts1\tGazprom\tRosneft\n",
        );
        let s = score(&store.conn, &list).unwrap();
        let all = s.kinds["all"];
        assert_eq!((all.listed, all.recalled), (4, 3), "{:?}", s.outcomes);
        // Putin clean; Schmidt's archive entity holds forms of two listed entities; Gazprom.
        assert_eq!((all.holding, all.clean), (3, 2), "{:?}", s.held);
        assert_eq!(s.cross_language_wrong().count(), 1);
        assert_eq!(s.cross_language.len(), 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
