//! Cross-document entity resolution: which store keys (`mentions.key`) are one referent.
//!
//! Rules, in order (all data-driven, none about particular names):
//! 1. Spellings meet in [`text::fold_name`] (transliteration rules and given-name variants).
//! 2. Names on one line of `data/aliases.tsv` (translations, official and short names) are one
//!    referent: the keys of exactly those names are joined (no one-word joins through them).
//! 3. A place is its GeoNames id (`geo:<id>`): every name of that id.
//! 4. Persons and organisations: keys whose names (organisation designators such as "Group" or
//!    "PMC" left out, see [`text::name_core`]) are compatible — the words of one are among the
//!    words of the other, a German genitive `-s` allowed ("Putins") — are candidates. Full
//!    names that are compatible with each other are one referent. A one-word name ("Putin",
//!    "Kim") joins the one full referent it fits; when several fit it joins the one with the
//!    most documents in the one-word name's stories, if that one has at least [`DOMINANCE`]
//!    times as many as any other; otherwise the merge is weak and refused. An acronym ("UN") never joins a full name
//!    as its last word, nor does a place name join a person.

use crate::query::{self, ArchiveEntity};
use crate::text;
use crate::Result;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How many times more documents in the one-word name's stories the best full name needs than
/// the next for the one-word name to join it.
pub const DOMINANCE: usize = 3;

const KINDS: &[&str] = &["per", "org", "loc", "misc"];

#[derive(Debug, Clone)]
struct Row {
    key: String,
    kind: String,
    name: String,
    geonames: Option<i64>,
    count: i64,
}

/// Finds the archive entity a name refers to (see the module rules).
pub fn resolve(conn: &Connection, name: &str) -> Result<Option<ArchiveEntity>> {
    let folded = text::fold_name(name);
    if folded.is_empty() {
        return Ok(None);
    }
    let mut alias = text::aliases(&folded);
    let core = text::name_core(&folded).join(" ");
    for variant in [genitive_stem(&folded), Some(core.as_str())]
        .into_iter()
        .flatten()
    {
        if alias.is_empty() {
            alias = text::aliases(variant);
        }
    }
    let mut keys = base(conn, &folded)?;
    // Other names of the referent: their own keys only (no one-word joins through them).
    for a in alias.iter().filter(|a| **a != folded) {
        keys.extend(exact(conn, a)?);
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let geonames = keys
        .iter()
        .filter_map(|k| k.strip_prefix("geo:")?.parse::<u64>().ok())
        .next();
    query::entity_from_keys(conn, keys.into_iter().collect(), geonames)
}

/// "putins" → "putin" (a German genitive), for words of at least five letters.
fn genitive_stem(folded: &str) -> Option<&str> {
    folded
        .strip_suffix('s')
        .filter(|s| s.chars().count() >= 4 && !s.ends_with('s'))
}

fn eq_token(a: &str, b: &str) -> bool {
    a == b || genitive_stem(a) == Some(b) || genitive_stem(b) == Some(a)
}

fn subset(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && a.iter().all(|x| b.iter().any(|y| eq_token(x, y)))
}

fn compatible(a: &[String], b: &[String]) -> bool {
    subset(a, b) || subset(b, a)
}

fn same_name(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| eq_token(x, y))
}

fn core_of(folded: &str) -> Vec<String> {
    text::name_core(folded)
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn key_core(key: &str) -> Vec<String> {
    core_of(key.split_once(':').map_or(key, |(_, n)| n))
}

fn is_acronym(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    (2..=6).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase())
}

/// The store rows a name core may refer to: by its last and first word (`mentions.last`,
/// genitive variants included) and full names beginning with its first word (names given
/// surname first: "Kim Jong Un").
fn candidates(conn: &Connection, core: &[String]) -> Result<Vec<Row>> {
    let mut lasts: BTreeSet<String> = BTreeSet::new();
    for t in [core.first(), core.last()].into_iter().flatten() {
        lasts.insert(t.clone());
        lasts.insert(format!("{t}s"));
        if let Some(s) = genitive_stem(t) {
            lasts.insert(s.to_string());
        }
    }
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut add = |r: Row| {
        rows.entry(r.key.clone())
            .and_modify(|e| e.count += r.count)
            .or_insert(r);
    };
    let map = |r: &rusqlite::Row| -> rusqlite::Result<Row> {
        Ok(Row {
            key: r.get(0)?,
            kind: r.get(1)?,
            name: r.get(2)?,
            geonames: r.get(3)?,
            count: r.get(4)?,
        })
    };
    let mut st = conn.prepare_cached(
        "SELECT key, kind, MIN(name), MIN(geonames), COUNT(*) FROM mentions WHERE last = ?1 \
         GROUP BY key",
    )?;
    for l in &lasts {
        for r in st.query_map([l], map)? {
            add(r?);
        }
    }
    if let Some(first) = core.first() {
        let mut st = conn.prepare_cached(
            "SELECT key, kind, MIN(name), MIN(geonames), COUNT(*) FROM mentions \
             WHERE key >= ?1 AND key < ?2 GROUP BY key LIMIT 200",
        )?;
        for kind in KINDS {
            let lo = format!("{kind}:{first} ");
            let hi = format!("{kind}:{first}!");
            for r in st.query_map([&lo, &hi], map)? {
                add(r?);
            }
        }
    }
    Ok(rows.into_values().collect())
}

/// At most this many (the newest) documents per key count for the co-occurrence of a one-word
/// name (bounded work in a large archive).
const DOCS_PER_KEY: i64 = 20_000;

/// The documents filed under any of `keys`, with their stories.
fn docs(conn: &Connection, keys: &BTreeSet<String>) -> Result<HashMap<i64, i64>> {
    let mut st = conn.prepare_cached(
        "SELECT m.seq, d.story FROM mentions m JOIN documents d ON d.seq = m.seq WHERE m.key = ?1 \
         ORDER BY m.seq DESC LIMIT ?2",
    )?;
    let mut out = HashMap::new();
    for k in keys {
        let rows = st.query_map(rusqlite::params![k, DOCS_PER_KEY], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        for r in rows {
            let (seq, story) = r?;
            out.insert(seq, story);
        }
    }
    Ok(out)
}

/// Whether a one-word name may join a full referent of these kinds.
fn may_join(single: &Row, kinds: &BTreeSet<String>) -> bool {
    if is_acronym(&single.name) {
        return false;
    }
    // A person's name joins only a referent that is a person somewhere, a place name only a
    // place (organisation and other names are often tagged inconsistently: they may join).
    match single.kind.as_str() {
        "PER" | "LOC" => kinds.contains(&single.kind),
        _ => true,
    }
}

/// What a one-word name stands for.
enum OneWord {
    /// No full name has the word.
    NoFull { singles: Vec<Row> },
    /// The full referent it joins (its keys and one full name), and the one-word keys that join.
    Joins {
        referent: BTreeSet<String>,
        full: String,
        joining: Vec<Row>,
    },
    /// Several full names fit and none dominates (or none of its keys may join): refused.
    Refused { singles: Vec<Row> },
}

fn one_word(conn: &Connection, token: &str) -> Result<OneWord> {
    let core = vec![token.to_string()];
    let mut singles = Vec::new();
    let mut fulls: Vec<(Row, Vec<String>)> = Vec::new();
    for r in candidates(conn, &core)? {
        if r.geonames.is_some() {
            continue;
        }
        let kc = key_core(&r.key);
        if !compatible(&kc, &core) {
            continue;
        }
        if kc.len() == 1 {
            singles.push(r);
        } else if r.kind != "MISC" {
            fulls.push((r, kc));
        }
    }
    if fulls.is_empty() {
        return Ok(OneWord::NoFull { singles });
    }
    // Full referents: the longest full names (no other full name holds all their words) that
    // are compatible with each other; a shorter full name joins the one referent that holds it
    // ("Kim Jong" fits both "Kim Jong Un" and "Kim Jong Il": it joins neither).
    let holds =
        |i: usize, j: usize| subset(&fulls[j].1, &fulls[i].1) && !subset(&fulls[i].1, &fulls[j].1);
    let maximal: Vec<usize> = (0..fulls.len())
        .filter(|&j| !(0..fulls.len()).any(|i| holds(i, j)))
        .collect();
    let mut referents: Vec<Vec<usize>> = Vec::new();
    for &m in &maximal {
        match referents
            .iter_mut()
            .find(|r| compatible(&fulls[r[0]].1, &fulls[m].1))
        {
            Some(r) => r.push(m),
            None => referents.push(vec![m]),
        }
    }
    for j in (0..fulls.len()).filter(|j| !maximal.contains(j)) {
        let fits: Vec<usize> = (0..referents.len())
            .filter(|&n| referents[n].iter().any(|&m| holds(m, j)))
            .collect();
        if let [n] = fits[..] {
            referents[n].push(j);
        }
    }
    // A one-word name fits a full name as its last word (the surname), or as its first word
    // only when it is no given name, has three letters or more, and the full name has three
    // words or more (a surname first: "Kim" of "Kim Jong Un"; not "Christian" of "Christian
    // Lindner").
    let fits = |members: &Vec<usize>| {
        members.iter().any(|&i| {
            let kc = &fulls[i].1;
            kc.last().is_some_and(|l| eq_token(l, token))
        }) || (!text::is_given_name(token)
            && token.chars().count() >= 3
            && members.iter().any(|&i| fulls[i].1.len() >= 3))
    };
    referents.retain(|r| fits(r));
    if referents.is_empty() {
        return Ok(OneWord::NoFull { singles });
    }
    let single_keys: BTreeSet<String> = singles.iter().map(|r| r.key.clone()).collect();
    let single_stories: HashSet<i64> = docs(conn, &single_keys)?.into_values().collect();
    // (the referent's documents in the one-word name's stories, referent)
    let mut scored: Vec<(usize, usize)> = Vec::new();
    for (n, members) in referents.iter().enumerate() {
        let keys: BTreeSet<String> = members.iter().map(|&i| fulls[i].0.key.clone()).collect();
        let shared = docs(conn, &keys)?
            .values()
            .filter(|s| single_stories.contains(s))
            .count();
        scored.push((shared, n));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let chosen = if referents.len() == 1 {
        Some(0)
    } else {
        let (top, n) = scored[0];
        let second = scored.get(1).map_or(0, |s| s.0);
        (top >= 1 && top >= DOMINANCE * second).then_some(n)
    };
    let Some(n) = chosen else {
        return Ok(OneWord::Refused { singles });
    };
    let members = &referents[n];
    let kinds: BTreeSet<String> = members.iter().map(|&i| fulls[i].0.kind.clone()).collect();
    let joining: Vec<Row> = singles
        .iter()
        .filter(|s| may_join(s, &kinds))
        .cloned()
        .collect();
    if !singles.is_empty() && joining.is_empty() {
        return Ok(OneWord::Refused { singles });
    }
    let full = members
        .iter()
        .map(|&i| &fulls[i].0.key)
        .max_by_key(|k| (k.split(' ').count(), std::cmp::Reverse((*k).clone())))
        .map(|k| k.split_once(':').map_or(k.as_str(), |(_, n)| n).to_string())
        .unwrap_or_default();
    Ok(OneWord::Joins {
        referent: members.iter().map(|&i| fulls[i].0.key.clone()).collect(),
        full,
        joining,
    })
}

/// The keys of exactly this folded name (designators and a genitive aside), or its place.
fn exact(conn: &Connection, folded: &str) -> Result<BTreeSet<String>> {
    let core = core_of(folded);
    if core.is_empty() {
        return Ok(BTreeSet::new());
    }
    if let Some(g) = place(conn, folded, &core)? {
        return Ok(g);
    }
    Ok(candidates(conn, &core)?
        .into_iter()
        .filter(|r| r.geonames.is_none())
        .filter(|r| {
            let kc = key_core(&r.key);
            subset(&kc, &core) && subset(&core, &kc)
        })
        .map(|r| r.key)
        .collect())
}

/// The keys of one folded name (no aliases).
fn base(conn: &Connection, folded: &str) -> Result<BTreeSet<String>> {
    let core = core_of(folded);
    if core.is_empty() {
        return Ok(BTreeSet::new());
    }
    if core.len() == 1 {
        // Places first: a name of a GeoNames id.
        if let Some(g) = place(conn, folded, &core)? {
            return Ok(g);
        }
        return Ok(match one_word(conn, &core[0])? {
            OneWord::NoFull { singles } | OneWord::Refused { singles } => {
                singles.into_iter().map(|r| r.key).collect()
            }
            // The whole referent, as its full name finds it.
            OneWord::Joins { full, .. } => full_name(conn, &full)?,
        });
    }
    if let Some(g) = place(conn, folded, &core)? {
        return Ok(g);
    }
    full_name(conn, folded)
}

/// The GeoNames key of a place of this name (the id most mentions give it), if any, with the
/// place names of that name no GeoNames id was found for, when the name has one id only.
fn place(conn: &Connection, folded: &str, core: &[String]) -> Result<Option<BTreeSet<String>>> {
    let mut ids: BTreeMap<i64, i64> = BTreeMap::new();
    let mut unresolved = BTreeSet::new();
    for r in candidates(conn, core)? {
        if !same_name(&text::fold_name(&r.name), folded) {
            continue;
        }
        match r.geonames {
            Some(id) => *ids.entry(id).or_default() += r.count,
            None if r.kind == "LOC" => {
                unresolved.insert(r.key);
            }
            None => {}
        }
    }
    let single = ids.len() == 1;
    Ok(ids
        .into_iter()
        .max_by_key(|(id, c)| (*c, std::cmp::Reverse(*id)))
        .map(|(id, _)| {
            let mut keys = BTreeSet::from([format!("geo:{id}")]);
            if single {
                keys.extend(unresolved);
            }
            keys
        }))
}

/// The keys of a name of two or more words: every full name compatible with it, and the
/// one-word names that join it.
fn full_name(conn: &Connection, folded: &str) -> Result<BTreeSet<String>> {
    let core = core_of(folded);
    let mut ours: BTreeSet<String> = BTreeSet::new();
    let mut singles: Vec<Row> = Vec::new();
    let mut fulls: Vec<(String, Vec<String>)> = Vec::new();
    let mut others: Vec<Vec<String>> = Vec::new();
    for r in candidates(conn, &core)? {
        if r.geonames.is_some() {
            continue;
        }
        let kc = key_core(&r.key);
        if !compatible(&kc, &core) {
            if kc.len() > 1 {
                others.push(kc);
            }
            continue;
        }
        if kc.len() == 1 {
            singles.push(r);
        } else {
            fulls.push((r.key, kc));
        }
    }
    // A name that two different longer names hold ("Kim Jong": "Kim Jong Un", "Kim Jong Il")
    // is ambiguous: it stays alone.
    let longer: Vec<&Vec<String>> = fulls
        .iter()
        .map(|(_, kc)| kc)
        .filter(|kc| subset(&core, kc) && !subset(kc, &core))
        .collect();
    let ambiguous = longer
        .iter()
        .any(|a| longer.iter().any(|b| !compatible(a, b)));
    if ambiguous {
        return Ok(fulls
            .into_iter()
            .filter(|(_, kc)| subset(kc, &core) && subset(&core, kc))
            .map(|(k, _)| k)
            .collect());
    }
    // A shorter full name joins only when no full name outside this one holds it too.
    for (key, kc) in &fulls {
        let partial = subset(kc, &core) && !subset(&core, kc);
        let elsewhere = others.iter().any(|g| subset(kc, g));
        if !(partial && elsewhere) {
            ours.insert(key.clone());
        }
    }
    let mut keys = ours.clone();
    for s in singles {
        let token = key_core(&s.key).remove(0);
        match one_word(conn, &token)? {
            OneWord::Joins {
                referent, joining, ..
            } if !referent.is_disjoint(&ours) && joining.iter().any(|j| j.key == s.key) => {
                keys.insert(s.key);
            }
            OneWord::NoFull { .. } if ours.is_empty() => {
                keys.insert(s.key);
            }
            _ => {}
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::entity_key;
    use crate::SqliteStore;

    /// A tiny archive: documents (language) with their entities (kind, name, GeoNames id).
    /// An entity of a test document: kind, name, GeoNames id.
    type TestEntity<'a> = (&'a str, &'a str, Option<u64>);

    fn archive(docs: &[(&str, &[TestEntity])]) -> (SqliteStore, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "dossier-entity-test-{}-{}",
            std::process::id(),
            text::hash64(format!("{docs:?}").as_bytes())
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&dir).unwrap();
        for (seq, (lang, entities)) in docs.iter().enumerate() {
            store
                .conn
                .execute(
                    "INSERT INTO documents (seq, id, lang, date_sure, text, story, report) \
                     VALUES (?1, ?2, ?3, 0, '', 1, x'')",
                    rusqlite::params![seq as i64 + 1, format!("d{seq}"), lang],
                )
                .unwrap();
            for (kind, name, geo) in entities.iter() {
                store
                    .conn
                    .execute(
                        "INSERT INTO mentions (key, seq, kind, name, geonames, last, count) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
                        rusqlite::params![
                            entity_key(kind, name, *geo),
                            seq as i64 + 1,
                            kind,
                            name,
                            geo.map(|g| g as i64),
                            text::fold_name(name).rsplit(' ').next().unwrap_or_default()
                        ],
                    )
                    .unwrap();
            }
        }
        (store, dir)
    }

    fn keys(store: &SqliteStore, name: &str) -> Vec<String> {
        resolve(&store.conn, name)
            .unwrap()
            .map(|e| {
                let mut k = e.keys;
                k.sort();
                k
            })
            .unwrap_or_default()
    }

    #[test]
    fn spellings_surnames_and_genitives_meet() {
        let (store, dir) = archive(&[
            (
                "de",
                &[
                    ("PER", "Jewgeni Prigoschin", None),
                    ("PER", "Prigoschins", None),
                ],
            ),
            (
                "en",
                &[
                    ("PER", "Yevgeny Prigozhin", None),
                    ("PER", "Prigozhin", None),
                ],
            ),
            ("en", &[("PER", "Yevgeny Viktorovich Prigozhin", None)]),
        ]);
        let all = keys(&store, "Prigozhin");
        assert_eq!(all.len(), 4, "{all:?}");
        assert_eq!(keys(&store, "Jewgeni Prigoschin"), all);
        assert_eq!(keys(&store, "Prigoschins"), all);
        assert_eq!(keys(&store, "Yevgeny Viktorovich Prigozhin"), all);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_surname_shared_by_two_people_joins_the_one_it_appears_with() {
        let (store, dir) = archive(&[
            ("de", &[("PER", "Kim Jong Un", None), ("PER", "Kim", None)]),
            ("en", &[("PER", "Kim Jong-un", None), ("PER", "Kim", None)]),
            ("en", &[("PER", "Kim Jong Un", None), ("PER", "Kim", None)]),
            ("de", &[("PER", "Kim Jong Il", None)]),
            ("en", &[("LOC", "UN", None), ("PER", "Johnson", None)]),
            ("en", &[("PER", "Boris Johnson", None)]),
            ("en", &[("PER", "Lyndon Johnson", None)]),
        ]);
        let kim = keys(&store, "Kim");
        assert!(kim.contains(&"per:kim yong un".to_string()), "{kim:?}");
        assert!(!kim.iter().any(|k| k.contains("il")), "{kim:?}");
        assert_eq!(keys(&store, "Kim Jong Un"), kim);
        // An acronym is no surname; a surname of two people met apart is refused.
        assert_eq!(keys(&store, "UN"), vec!["loc:un".to_string()]);
        assert_eq!(
            keys(&store, "Johnson"),
            vec![entity_key("PER", "Johnson", None)]
        );
        assert_eq!(
            keys(&store, "Boris Johnson"),
            vec![entity_key("PER", "Boris Johnson", None)]
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn translations_designators_and_places() {
        let (store, dir) = archive(&[
            ("de", &[("ORG", "Kreml", None), ("ORG", "Wagner", None)]),
            (
                "en",
                &[("ORG", "Kremlin", None), ("ORG", "Wagner Group", None)],
            ),
            ("de", &[("LOC", "Nordkorea", Some(1873107))]),
            (
                "en",
                &[("LOC", "North Korea", Some(1873107)), ("ORG", "DPRK", None)],
            ),
        ]);
        assert_eq!(keys(&store, "Kreml"), keys(&store, "Kremlin"));
        assert_eq!(keys(&store, "Kremlin").len(), 2);
        assert_eq!(keys(&store, "Wagner"), keys(&store, "Wagner Group"));
        assert_eq!(keys(&store, "Wagner").len(), 2);
        let nk = keys(&store, "Nordkoreas");
        assert_eq!(nk, vec!["geo:1873107".to_string(), "org:dprk".to_string()]);
        assert_eq!(keys(&store, "DPRK"), nk);
        let _ = std::fs::remove_dir_all(dir);
    }
}
