//! `dossier build events-neighbours`: German trigger candidates by distributional similarity.
//!
//! Given word vectors learnt from the Bundestag speeches (`dossier build events-vectors`, the
//! fastText-style trainer of `dossier-ner`), every written or derived German trigger (a noun as
//! its capitalised lemma, a verb as its infinitive) takes its nearest words by cosine; a word
//! whose cosine reaches the threshold becomes a trigger of the seed's type when it is of the
//! seed's part of speech (a noun the Wiktionary table lists, taken as its lemma; a verb
//! infinitive of the form table, a separable one split at a known particle), is no trigger
//! yet, and is not proposed for two different types. Deterministic: the vectors are, and ties
//! go by spelling.

use crate::compile::NounTable;
use crate::lexicon::{parse_triggers, Pos};
use std::collections::{BTreeMap, HashMap};

/// Separable verb particles (a joined infinitive "zurückweisen" is written `zurück|weisen`).
const PARTICLES: [&str; 24] = [
    "zusammen", "zurück", "entgegen", "fest", "frei", "fort", "heraus", "herbei", "vorbei",
    "weiter", "nieder", "statt", "los", "weg", "nach", "vor", "mit", "auf", "aus", "ein", "bei",
    "ab", "an", "zu",
];

/// Settings of the expansion.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Least cosine between the seed and the candidate.
    pub min_cos: f32,
    /// Neighbours looked at per seed.
    pub k: usize,
}

/// The candidate trigger lines (`data/de.neighbours.tsv`), from `vectors` (word, unit vector;
/// most frequent first), the trigger files' text, the form→lemma table and the noun table.
pub fn neighbours(
    vectors: &[(String, Vec<f32>)],
    triggers: &str,
    lemmas: &HashMap<String, String>,
    nouns: &NounTable,
    s: Settings,
) -> String {
    let (triggers, _) = parse_triggers(triggers);
    let index: HashMap<&str, usize> = vectors
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    let known: std::collections::HashSet<String> =
        triggers.iter().map(|t| t.lemma.clone()).collect();
    // Form → noun lemma.
    let mut noun_of: HashMap<&str, &str> = HashMap::new();
    for (lemma, forms) in nouns {
        noun_of.entry(lemma.as_str()).or_insert(lemma.as_str());
        for f in forms {
            noun_of.entry(f.as_str()).or_insert(lemma.as_str());
        }
    }
    let verb_lemmas: std::collections::HashSet<&str> =
        lemmas.values().map(String::as_str).collect();
    // candidate (pos, lemma) → [(type, subtype, flags, seed, cos)]
    type Cand = (String, String, String, String, f32);
    let mut cands: BTreeMap<(bool, String), Vec<Cand>> = BTreeMap::new();
    for t in &triggers {
        if !t.with.is_empty() || t.refl || t.pos == Pos::Word {
            continue;
        }
        let noun = t.pos == Pos::Noun;
        let seed = if noun {
            let mut c: Vec<char> = t.lemma.chars().collect();
            c[0] = c[0].to_uppercase().next().unwrap_or(c[0]);
            c.into_iter().collect::<String>()
        } else {
            t.lemma.clone()
        };
        let Some(&si) = index.get(seed.as_str()) else {
            continue;
        };
        let sv = &vectors[si].1;
        let mut scored: Vec<(f32, usize)> = vectors
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != si)
            .map(|(i, (_, v))| (v.iter().zip(sv).map(|(a, b)| a * b).sum::<f32>(), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(cos, i) in scored.iter().take(s.k) {
            if cos < s.min_cos {
                break;
            }
            let w = &vectors[i].0;
            if w.chars().count() < 5 {
                continue;
            }
            let lower = w.to_lowercase();
            let lemma = if noun {
                if !w.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                match noun_of.get(lower.as_str()) {
                    Some(l) => l.to_string(),
                    None => continue,
                }
            } else {
                if *w != lower {
                    continue;
                }
                // An infinitive: its own lemma in the form table, a verb ending.
                let l = lemmas.get(w.as_str()).map(String::as_str).unwrap_or(w);
                if l != w
                    || !(w.ends_with("en") || w.ends_with("ern") || w.ends_with("eln"))
                    || !verb_lemmas.contains(w.as_str())
                    || noun_of.contains_key(lower.as_str())
                {
                    continue;
                }
                l.to_string()
            };
            if known.contains(&lemma) {
                continue;
            }
            let mut flags: Vec<&str> = Vec::new();
            for (on, name) in [
                (t.mit, "mit"),
                (t.dest, "dest"),
                (t.symm, "symm"),
                (t.content, "content"),
            ] {
                if on {
                    flags.push(name);
                }
            }
            flags.push("weak");
            cands.entry((noun, lemma)).or_default().push((
                t.kind.clone(),
                t.subtype.clone().unwrap_or_else(|| "-".into()),
                flags.join(","),
                seed.clone(),
                cos,
            ));
        }
    }
    let mut out = format!(
        "# German trigger candidates: nearest neighbours of the triggers in word vectors of the\n\
         # Bundestag speeches (cosine ≥ {}, {} neighbours per seed); rebuild:\n\
         # dossier build events-vectors && dossier build events-neighbours --min-cos {} --k {}\n\
         # TYPE  SUBTYPE  POS  LEMMA  FLAGS  # seed cosine\n",
        s.min_cos, s.k, s.min_cos, s.k
    );
    for ((noun, lemma), from) in &cands {
        if from.iter().any(|f| f.0 != from[0].0) {
            continue;
        }
        // The closest seed gives the sub-type and flags.
        let best = from
            .iter()
            .max_by(|a, b| a.4.total_cmp(&b.4).then(b.3.cmp(&a.3)))
            .unwrap_or(&from[0]);
        let written = if *noun {
            let mut c: Vec<char> = lemma.chars().collect();
            c[0] = c[0].to_uppercase().next().unwrap_or(c[0]);
            c.into_iter().collect::<String>()
        } else {
            split_particle(lemma, &verb_lemmas)
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t{written}\t{}\t# {} {:.3}\n",
            best.0,
            best.1,
            if *noun { "n" } else { "v" },
            best.2,
            best.3,
            best.4
        ));
    }
    out
}

/// "zurückweisen" → "zurück|weisen" where the rest is a verb of the table.
fn split_particle(lemma: &str, verbs: &std::collections::HashSet<&str>) -> String {
    for p in PARTICLES {
        if let Some(rest) = lemma.strip_prefix(p) {
            if rest.len() >= 4 && verbs.contains(rest) {
                return format!("{p}|{rest}");
            }
        }
    }
    lemma.to_string()
}
