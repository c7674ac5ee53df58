//! Grouping tagged mentions into one entity per referent.
//!
//! - Name mentions of one type with the same loose key (case-folded words, genitive -s and
//!   adjective endings removed) join one entity: "Nationalen Sicherheitsrats" and "Nationaler
//!   Sicherheitsrat", "Nordkoreas" and "Nordkorea".
//! - A one-word person mention joins the multi-word person name that contains the word,
//!   wherever in the document that name occurs ("Putin", "Putins" → "Wladimir Putin").
//! - `deriv` spans become `derived` mentions of the place the adjective names (lexicon table
//!   from the nationality and CLDR lists), or of an entity whose name the word starts with.
//! - `part` spans ("Ukraine-Krieg") become `part` mentions covering the embedded name.
//! - Role nouns (data/roles-<lang>.txt) tied to a person become `title` mentions: directly
//!   before the name ("der russische Verteidigungsminister Sergej Schoigu"), in an apposition
//!   closed by commas ("der Sprecher des Ministeriums, Anna Beispiel, sagte"), or standing for a
//!   person named elsewhere when a country qualifies them ("Nordkoreas Diktator") and exactly one
//!   named person carries a title of that country.
//!
//! Entity ids are E1, E2, … in order of first mention.

use crate::eval::for_each_chunk;
use crate::lexicon::{Lexicon, GAZ_CITY, GAZ_COUNTRY, GAZ_SURNAME};
use crate::{label_of, Label};
use dossier_core::{Document, Entity, Mention, Span};
use std::collections::{HashMap, HashSet};

/// Articles and determiners that may open a title's adjectives ("der designierte Präsident").
const ARTICLES: &[&str] = &[
    "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen",
    "the", "a", "an",
];

/// Role nouns: whole words and compound heads.
#[derive(Debug, Default)]
pub struct Roles {
    pub words: HashSet<String>,
}

impl Roles {
    pub fn parse(text: &str) -> Roles {
        let words = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        Roles { words }
    }

    /// The role a capitalised word names ("Verteidigungsministers" → "minister"), if any: the
    /// longest role that is the word itself or, of four letters or more, its compound head,
    /// tried on the word and then on the word without each inflection ending.
    pub fn role_of(&self, word: &str) -> Option<&str> {
        if !word.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        let lower = word.to_lowercase();
        let mut forms = vec![lower.as_str()];
        for end in ["innen", "in", "en", "n", "es", "s"] {
            if let Some(stem) = lower.strip_suffix(end) {
                forms.push(stem);
            }
        }
        for form in forms {
            if let Some(r) = self.words.get(form) {
                return Some(r.as_str());
            }
            // Its heads, longest first (a set look-up each, not a scan of the list).
            let chars = form.chars().count();
            for (k, (start, _)) in form.char_indices().enumerate().skip(1) {
                if chars - k < 4 {
                    break;
                }
                if let Some(r) = self.words.get(&form[start..]) {
                    return Some(r.as_str());
                }
            }
        }
        None
    }
}

/// The language's word lists for grouping and label repair (data/*-<lang>.txt).
#[derive(Debug, Default)]
pub struct Rules {
    pub roles: Roles,
    /// Institution head nouns: a name compound ending in one is an organisation.
    pub org_heads: Vec<String>,
    /// Words after which "Capitalised-adjective Noun" is a name.
    pub name_context: HashSet<String>,
    /// Lowercase words allowed inside a name ("of", "van"), for a language that capitalises
    /// only names; empty (the repair is off) for one that capitalises every noun.
    pub name_particles: HashSet<String>,
    /// Titles before a name ("prime", "mr"), lowercase, no dot.
    pub titles: HashSet<String>,
    /// The titles that are forms of address ("mr", "frau").
    pub address: HashSet<String>,
    /// Single-token organisation names (agencies, parties), case-sensitive.
    pub orgs: HashSet<String>,
}

fn word_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
}

impl Rules {
    /// Adds the title words and organisation names (data/titles-*.txt, data/orgs-*.txt).
    pub fn with_titles_and_orgs(mut self, titles: &str, orgs: &str) -> Rules {
        for line in word_list(titles) {
            let mut fields = line.split_whitespace();
            let Some(w) = fields.next() else {
                continue;
            };
            let w = w.trim_end_matches('.').to_string();
            if fields.next() == Some("address") {
                self.address.insert(w.clone());
            }
            self.titles.insert(w);
        }
        self.orgs = orgs
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        self
    }

    pub fn parse(roles: &str, org_heads: &str, name_context: &str, name_particles: &str) -> Rules {
        Rules {
            roles: Roles::parse(roles),
            org_heads: word_list(org_heads).collect(),
            name_context: word_list(name_context).collect(),
            name_particles: word_list(name_particles).collect(),
            titles: HashSet::new(),
            address: HashSet::new(),
            orgs: HashSet::new(),
        }
    }
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Corrects two systematic tagger errors with general German rules (lists in data files):
/// a capitalised adjective after an article, followed by a capitalised noun, opens a name
/// ("des Nationalen Sicherheitsrats"); a `part` compound whose head is an institution noun is
/// the institution itself ("UN-Sicherheitsrat" → ORG).
pub fn repair_labels(texts: &[&str], labels: &mut [Label], lex: &Lexicon, rules: &Rules) {
    let n = texts.len().min(labels.len());
    // Institution compounds.
    for i in 0..n {
        let Some(ty) = labels[i].get(2..) else {
            continue;
        };
        if !ty.ends_with("part") || !labels[i].starts_with("B-") {
            continue;
        }
        let single = i + 1 >= n || !labels[i + 1].starts_with("I-");
        let head = texts[i].rsplit('-').next().unwrap_or("").to_lowercase();
        if single
            && texts[i].contains('-')
            && rules.org_heads.iter().any(|h| head.ends_with(h.as_str()))
        {
            labels[i] = "B-ORG";
        }
    }
    // Capitalised adjectives opening a name.
    let adjective = |w: &str| -> bool {
        let lower = w.to_lowercase();
        capitalised(w)
            && w.chars().all(char::is_alphabetic)
            && ["en", "er", "es", "em", "e"]
                .iter()
                .any(|e| lower.ends_with(e))
            && lower.chars().count() >= 5
            && lex.get(&lower).cluster != 0
    };
    let mut i = 1;
    while i < n {
        let context = rules.name_context.contains(&texts[i - 1].to_lowercase());
        if !context || labels[i] != "O" || !adjective(texts[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && labels[j] == "O" && adjective(texts[j]) {
            j += 1;
        }
        // j is the head noun: untagged, or the start of a tagged name.
        let head_ok = j < n
            && j > i
            && capitalised(texts[j])
            && (labels[j] == "O" || labels[j].starts_with("B-"));
        if !head_ok {
            i = j.max(i + 1);
            continue;
        }
        let ty = if labels[j] == "O" {
            let g = lex.get(texts[j]).gaz;
            if g & (crate::lexicon::GAZ_COUNTRY_PART | crate::lexicon::GAZ_CITY_PART) != 0 {
                "LOC".to_string()
            } else {
                "ORG".to_string()
            }
        } else {
            labels[j][2..].to_string()
        };
        labels[i] = label_of(format!("B-{ty}"));
        for l in labels.iter_mut().take(j + 1).skip(i + 1) {
            *l = label_of(format!("I-{ty}"));
        }
        i = j + 1;
    }
}

#[derive(Debug, Clone)]
struct Found {
    first: usize,
    last: usize,
    /// The type (`PER`, `ORG`, `LOC` or `MISC`): not a string per name found.
    base: &'static str,
    variant: &'static str,
}

/// The type `t` of a label: one of the four (labels are all known ones, see `label_of`).
fn base_type(t: &str) -> &'static str {
    match t {
        "PER" => "PER",
        "ORG" => "ORG",
        "LOC" => "LOC",
        _ => "MISC",
    }
}

struct Building {
    kind: String,
    key: String,
    words: Vec<String>,
    /// The best (display name, preferred) candidate so far: preferred, then the most words,
    /// then the shortest; the later one of equals. Kept as it goes, not one string per
    /// mention (a name repeated a million times holds one).
    name: Option<(String, bool)>,
    mentions: Vec<Mention>,
}

impl Building {
    fn offer_name(&mut self, display: String, preferred: bool) {
        let key = |n: &str, p: bool| (p, n.split_whitespace().count(), std::cmp::Reverse(n.len()));
        let better = self
            .name
            .as_ref()
            .is_none_or(|(n, p)| key(&display, preferred) >= key(n, *p));
        if better {
            self.name = Some((display, preferred));
        }
    }
}

fn is_genitive_article(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "des" | "eines" | "dem" | "einem" | "den" | "einen"
    )
}

/// Strips a possessive or genitive ending when the document or the lexicon vouches for the
/// base form.
fn strip_genitive(w: &str, doc_words: &HashSet<&str>, lex: &Lexicon) -> String {
    for apo in ["'s", "’s", "'", "’"] {
        if let Some(b) = w.strip_suffix(apo) {
            if !b.is_empty() {
                return b.to_string();
            }
        }
    }
    let n = w.chars().count();
    if n >= 4 && w.ends_with('s') && !w.ends_with("ss") {
        let base = &w[..w.len() - 1];
        let base_es = w.strip_suffix("es").filter(|b| b.chars().count() >= 3);
        if doc_words.contains(base) {
            return base.to_string();
        }
        if let Some(b) = base_es {
            if doc_words.contains(b) {
                return b.to_string();
            }
        }
        let (lb, lw) = (lex.get(base), lex.get(w));
        let places = GAZ_COUNTRY | GAZ_CITY | GAZ_SURNAME;
        if lb.gaz & places != 0 && lw.gaz & places == 0 {
            return base.to_string();
        }
        let (fb, fw) = (
            lex.get(&base.to_lowercase()).freq,
            lex.get(&w.to_lowercase()).freq,
        );
        // Bins count down from the most frequent: a smaller bin is more frequent.
        if fb != 0 && fw == 0 {
            return base.to_string();
        }
    }
    w.to_string()
}

/// Strips a possessive ending only when the base form occurs in the document.
fn strip_genitive_in_doc(w: &str, doc_words: &HashSet<&str>) -> String {
    match w.strip_suffix('s') {
        Some(base) if doc_words.contains(base) => base.to_string(),
        _ => w.to_string(),
    }
}

/// Loose grouping key: case-folded, adjective endings of non-final words removed.
fn loose_key(words: &[String]) -> String {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let l = w.to_lowercase();
            if i + 1 < n && l.chars().count() >= 5 {
                for end in ["en", "er", "es", "em", "e"] {
                    if let Some(s) = l.strip_suffix(end) {
                        return s.to_string();
                    }
                }
            }
            l
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn report_type(base: &str) -> String {
    match base {
        "OTH" => "MISC".to_string(),
        t => t.to_string(),
    }
}

/// Builds the entity layer from per-token labels (`labels[i]` for `doc.tokens[i]`).
pub fn build<L: AsRef<str>>(
    doc: &Document,
    texts: &[&str],
    labels: &[L],
    lex: &Lexicon,
    rules: &Rules,
) -> Vec<Entity> {
    let roles = &rules.roles;
    let n = texts.len().min(labels.len()).min(doc.tokens.len());
    let mut count = 0;
    for_each_chunk(&labels[..n], |_, _, _| count += 1);
    let mut found: Vec<Found> = Vec::with_capacity(count);
    for_each_chunk(&labels[..n], |s, e, t| {
        let (base, variant) = if let Some(b) = t.strip_suffix("deriv") {
            (base_type(b), "deriv")
        } else if let Some(b) = t.strip_suffix("part") {
            (base_type(b), "part")
        } else {
            (base_type(t), "")
        };
        found.push(Found {
            first: s,
            last: e,
            base,
            variant,
        });
    });
    // Inserted one by one: `collect` would reserve a slot per token (285 MB for 8 M tokens)
    // where the set holds only the distinct words.
    let mut doc_words: HashSet<&str> = HashSet::new();
    for w in &texts[..n] {
        doc_words.insert(w);
    }
    // A word the tagger marked as part of a person name at least twice is that person
    // wherever else it stands untagged ("… und Putin einander …").
    let mut person_words: HashMap<&str, usize> = HashMap::new();
    let mut tagged = vec![false; n];
    for f in &found {
        for (i, slot) in tagged.iter_mut().enumerate().take(f.last).skip(f.first) {
            *slot = true;
            if f.base == "PER" && f.variant.is_empty() {
                let w = texts[i];
                let w = w
                    .strip_suffix('s')
                    .filter(|b| doc_words.contains(b))
                    .unwrap_or(w);
                *person_words.entry(w).or_default() += 1;
            }
        }
    }
    let before = found.len();
    for (i, w) in texts[..n].iter().enumerate() {
        if tagged[i] || !capitalised(w) || w.chars().count() < 3 {
            continue;
        }
        let base = w.strip_suffix('s').filter(|b| person_words.contains_key(b));
        let key = base.unwrap_or(w);
        if person_words.get(key).is_some_and(|&c| c >= 2) {
            found.push(Found {
                first: i,
                last: i + 1,
                base: "PER",
                variant: "",
            });
        }
    }
    if found.len() > before {
        found.sort_by_key(|f| f.first);
    }
    // A role word the tagger put inside a person name ("Senator Laura Whitfield") is a title.
    let mut leading_titles: Vec<(usize, usize)> = Vec::new(); // (chunk, role token)
    for (ci, f) in found.iter_mut().enumerate() {
        if f.base == "PER"
            && f.variant.is_empty()
            && f.last - f.first >= 2
            && rules.roles.role_of(texts[f.first]).is_some()
        {
            leading_titles.push((ci, f.first));
            f.first += 1;
        }
    }
    // One type per surface name: a name tagged LOC twice and ORG once is a LOC throughout.
    let mut votes: HashMap<String, HashMap<&'static str, usize>> = HashMap::new();
    for f in found.iter().filter(|f| f.variant.is_empty()) {
        let text = texts[f.first..f.last].join(" ");
        *votes.entry(text).or_default().entry(f.base).or_default() += 1;
    }
    for f in found.iter_mut().filter(|f| f.variant.is_empty()) {
        let text = texts[f.first..f.last].join(" ");
        if let Some(v) = votes.get(&text) {
            let mine = v.get(f.base).copied().unwrap_or(0);
            if let Some((best, &count)) = v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                if count > mine {
                    f.base = base_type(best);
                }
            }
        }
    }
    let span_of = |s: usize, e: usize| -> Span { [doc.tokens[s][0], doc.tokens[e - 1][1]] };
    let mention = |span: Span, kind: &str| Mention {
        span,
        text: doc.slice(span).to_string(),
        kind: kind.to_string(),
    };

    let mut ents: Vec<Building> = Vec::new();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    // word of a multi-word person name → that person (first one)
    let mut person_words_index: HashMap<String, usize> = HashMap::new();
    // entity of each found chunk (name, derived or part), by chunk index
    let mut chunk_entity: Vec<Option<usize>> = vec![None; found.len()];

    let normalised_words = |f: &Found| -> Vec<String> {
        let mut words: Vec<String> = texts[f.first..f.last]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let genitive_context =
            f.first > 0 && matches!(texts[f.first - 1].to_lowercase().as_str(), "des" | "eines");
        let multi = words.len() > 1;
        if let Some(last) = words.last_mut() {
            *last = if genitive_context && last.ends_with('s') && !last.ends_with("ss") {
                // After "des": the head noun carries the genitive -s or -es.
                let head = last.rsplit('-').next().unwrap_or(last).to_lowercase();
                let es_base = head.strip_suffix("es").filter(|b| lex.get(b).freq != 0);
                if es_base.is_some() {
                    last[..last.len() - 2].to_string()
                } else {
                    last[..last.len() - 1].to_string()
                }
            } else if multi {
                strip_genitive_in_doc(last, &doc_words)
            } else {
                strip_genitive(last, &doc_words, lex)
            };
        }
        // "des Nationalen Sicherheitsrats" → "Nationaler Sicherheitsrat" (masculine default).
        let after_article = f.first > 0 && is_genitive_article(texts[f.first - 1]);
        if after_article && words.len() >= 2 {
            let head = words.len() - 1;
            for w in words.iter_mut().take(head) {
                if w.chars().next().is_some_and(char::is_uppercase) && w.ends_with("en") {
                    w.truncate(w.len() - 1);
                    w.push('r');
                }
            }
        }
        words
    };

    // Pass 1: multi-word person names, then every other name mention.
    let is_name = |f: &Found| f.variant.is_empty();
    let mut order: Vec<usize> = (0..found.len())
        .filter(|&i| {
            is_name(&found[i]) && found[i].base == "PER" && found[i].last - found[i].first > 1
        })
        .collect();
    order.extend((0..found.len()).filter(|&i| {
        is_name(&found[i]) && !(found[i].base == "PER" && found[i].last - found[i].first > 1)
    }));
    for ci in order {
        let f = &found[ci];
        let words = normalised_words(f);
        let kind = report_type(f.base);
        let key = loose_key(&words);
        let raw: Vec<&str> = texts[f.first..f.last].to_vec();
        let exact = raw.iter().zip(&words).all(|(a, b)| *a == b.as_str());
        let preferred = exact && !(f.first > 0 && is_genitive_article(texts[f.first - 1]));
        let display = words.join(" ");
        let mut target = by_key.get(&(kind.clone(), key.clone())).copied();
        if target.is_none() && words.len() == 1 {
            // A lone word joins the person whose full name contains it.
            let w = &words[0];
            let not_place = lex.get(w).gaz & (GAZ_COUNTRY | GAZ_CITY) == 0;
            if let Some(&p) = person_words_index.get(w.as_str()) {
                if kind != "LOC" || not_place {
                    target = Some(p);
                }
            }
        }
        let e = match target {
            Some(e) => e,
            None => {
                ents.push(Building {
                    kind: kind.clone(),
                    key: key.clone(),
                    words: words.clone(),
                    name: None,
                    mentions: Vec::new(),
                });
                by_key.insert((kind, key), ents.len() - 1);
                ents.len() - 1
            }
        };
        if ents[e].kind == "PER" && words.len() > 1 {
            for w in &words {
                person_words_index.entry(w.clone()).or_insert(e);
            }
        }
        ents[e].offer_name(display, preferred);
        ents[e]
            .mentions
            .push(mention(span_of(f.first, f.last), "name"));
        chunk_entity[ci] = Some(e);
    }

    for &(ci, role) in &leading_titles {
        if let Some(e) = chunk_entity[ci] {
            ents[e]
                .mentions
                .push(mention(span_of(role, role + 1), "title"));
        }
    }

    // Pass 2: derived and part mentions.
    let mut entity_words: Option<HashMap<String, usize>> = None;
    let mut any_key: HashMap<String, usize> = HashMap::new();
    for (e, b) in ents.iter().enumerate() {
        any_key.entry(b.key.clone()).or_insert(e);
    }
    for (ci, f) in found.iter().enumerate() {
        if f.variant.is_empty() {
            continue;
        }
        let text = texts[f.first..f.last].join(" ");
        if f.variant == "deriv" {
            let target = if let Some(place) = lex.place_of_adjective(&text) {
                let key = loose_key(&[place.to_string()]);
                let existing = by_key.get(&("LOC".to_string(), key.clone())).copied();
                Some(existing.unwrap_or_else(|| {
                    ents.push(Building {
                        kind: "LOC".into(),
                        key: key.clone(),
                        words: vec![place.to_string()],
                        name: Some((place.to_string(), true)),
                        mentions: Vec::new(),
                    });
                    any_key.entry(key.clone()).or_insert(ents.len() - 1);
                    by_key.insert(("LOC".into(), key), ents.len() - 1);
                    ents.len() - 1
                }))
            } else {
                let lower = text.to_lowercase();
                let lower = lower.rsplit('-').next().unwrap_or(&lower).to_string();
                // The longest entity word (4+ characters) that the adjective starts with.
                let by_word = entity_words.get_or_insert_with(|| {
                    let mut m: HashMap<String, usize> = HashMap::new();
                    for (e, b) in ents.iter().enumerate() {
                        for w in &b.words {
                            m.entry(w.to_lowercase()).or_insert(e);
                        }
                    }
                    m
                });
                lower
                    .char_indices()
                    .map(|(i, c)| i + c.len_utf8())
                    .filter(|&end| lower[..end].chars().count() >= 4)
                    .rev()
                    .find_map(|end| by_word.get(&lower[..end]).copied())
            };
            if let Some(e) = target {
                ents[e]
                    .mentions
                    .push(mention(span_of(f.first, f.last), "derived"));
                chunk_entity[ci] = Some(e);
            }
        } else {
            // part: find the embedded name inside the token(s).
            let tok = f.first;
            let word = texts[tok];
            let mut offset = 0usize; // in chars
            let mut hit: Option<(usize, usize, usize)> = None; // (char start, char len, entity)
            for part in word.split('-') {
                let len = part.chars().count();
                let key = loose_key(&[strip_genitive(part, &doc_words, lex)]);
                if len >= 2 && part.chars().next().is_some_and(char::is_uppercase) {
                    let existing = any_key
                        .get(&key)
                        .or_else(|| person_words_index.get(part))
                        .copied();
                    let known_place = lex.get(part).gaz & (GAZ_COUNTRY | GAZ_CITY) != 0;
                    if let Some(e) = existing {
                        hit = Some((offset, len, e));
                        break;
                    }
                    if known_place || f.base != "LOC" {
                        let kind = report_type(f.base);
                        let kind = if known_place { "LOC".to_string() } else { kind };
                        ents.push(Building {
                            kind: kind.clone(),
                            key: key.clone(),
                            words: vec![part.to_string()],
                            name: Some((part.to_string(), true)),
                            mentions: Vec::new(),
                        });
                        any_key.entry(key.clone()).or_insert(ents.len() - 1);
                        by_key.insert((kind, key), ents.len() - 1);
                        hit = Some((offset, len, ents.len() - 1));
                        break;
                    }
                }
                offset += len + 1;
            }
            if let Some((o, len, e)) = hit {
                let start = doc.tokens[tok][0] + o;
                let span = [start, start + len];
                if span[1] <= doc.tokens[tok][1] {
                    ents[e].mentions.push(mention(span, "part"));
                    chunk_entity[ci] = Some(e);
                }
            }
        }
    }

    // Pass 3: titles.
    // The found chunk covering each token: `u32` halves this per-token table.
    let mut chunk_slots: Vec<Option<u32>> = vec![None; n];
    for (ci, f) in found.iter().enumerate() {
        for slot in chunk_slots.iter_mut().take(f.last).skip(f.first) {
            *slot = Some(ci as u32);
        }
    }
    let chunk_at = |t: usize| chunk_slots[t].map(|c| c as usize);
    // Extends a title leftwards from token `r` (exclusive start) over adjectives, derived
    // adjectives and a genitive place/organisation; returns (start token, country entity).
    let extend_left = |r: usize| -> (usize, Option<usize>) {
        let mut s = r;
        let mut country = None;
        // Bounded: a title's modifiers are a few words, and the scan must stay linear.
        while s > 0 && r - s < 8 {
            let w = texts[s - 1];
            if let Some(ci) = chunk_at(s - 1) {
                let f = &found[ci];
                let genitive = f.variant.is_empty()
                    && (f.base == "LOC" || f.base == "ORG")
                    && texts[f.last - 1].ends_with('s')
                    && f.last == s;
                if f.variant == "deriv" || genitive {
                    country = country.or(chunk_entity[ci]);
                    s = f.first;
                    if genitive {
                        break;
                    }
                    continue;
                }
                break;
            }
            let adjective = w.chars().all(char::is_alphabetic)
                && w.chars().next().is_some_and(char::is_lowercase)
                && ["e", "en", "er", "es", "em"].iter().any(|e| w.ends_with(e))
                && w.chars().count() >= 5;
            if adjective {
                s -= 1;
            } else {
                break;
            }
        }
        // "sagte Vorstandschefin Berger": a weak past tense ("sagte", "erklärten") has the shape
        // of an adjective; without an article before it, it is the verb, not part of the title.
        let article_before = s > 0 && ARTICLES.contains(&texts[s - 1].to_lowercase().as_str());
        while s < r && !article_before && chunk_at(s).is_none() {
            let w = texts[s];
            if w.ends_with("te") || w.ends_with("ten") {
                s += 1;
            } else {
                break;
            }
        }
        (s, country)
    };
    let sentence_end = |w: &str| matches!(w, "." | "!" | "?" | ";" | ":");
    let mut named_titles: Vec<(usize, Option<usize>, String)> = Vec::new(); // (entity, country, role)
    let mut used_roles: HashSet<usize> = HashSet::new();
    let mut title_mentions: Vec<(usize, Span)> = Vec::new();
    for (ci, f) in found.iter().enumerate() {
        if f.base != "PER" || !f.variant.is_empty() {
            continue;
        }
        let Some(e) = chunk_entity[ci] else { continue };
        if f.first == 0 {
            continue;
        }
        // A: role directly before the name.
        let r = f.first - 1;
        if chunk_at(r).is_none() {
            if let Some(role) = roles.role_of(texts[r]) {
                let (s, country) = extend_left(r);
                title_mentions.push((e, span_of(s, r + 1)));
                named_titles.push((e, country, role.to_string()));
                used_roles.insert(r);
                continue;
            }
        }
        // B: "ROLE des … , NAME ,"
        if texts[r] == "," && f.last < n && texts[f.last] == "," {
            let lo = r.saturating_sub(10);
            let mut k = r;
            while k > lo {
                k -= 1;
                let w = texts[k];
                if sentence_end(w) || w == "," {
                    break;
                }
                if chunk_at(k).is_none() {
                    if let Some(role) = roles.role_of(w) {
                        let (s, country) = extend_left(k);
                        // The country may also sit in the genitive complement.
                        let country = country.or_else(|| {
                            (k + 1..r).find_map(|j| {
                                chunk_at(j).and_then(|c| {
                                    let cf = &found[c];
                                    (cf.base == "LOC" || cf.variant == "deriv")
                                        .then_some(chunk_entity[c])
                                        .flatten()
                                })
                            })
                        });
                        title_mentions.push((e, span_of(s, r)));
                        named_titles.push((e, country, role.to_string()));
                        used_roles.insert(k);
                        break;
                    }
                }
            }
        }
    }
    // C: roles that stand for a person named elsewhere, qualified by a country.
    for (r, &word) in texts[..n].iter().enumerate() {
        if used_roles.contains(&r) || chunk_at(r).is_some() {
            continue;
        }
        let Some(role) = roles.role_of(word) else {
            continue;
        };
        // Not when a person name follows (handled above) or the word is plural-looking.
        if r + 1 < n && chunk_at(r + 1).is_some_and(|c| found[c].base == "PER") {
            continue;
        }
        let (s, country) = extend_left(r);
        let Some(country) = country else { continue };
        let mut candidates: Vec<usize> = named_titles
            .iter()
            .filter(|(_, c, _)| *c == Some(country))
            .map(|(e, _, _)| *e)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let same_role: Vec<usize> = named_titles
            .iter()
            .filter(|(_, c, ro)| *c == Some(country) && ro == role)
            .map(|(e, _, _)| *e)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let target = if same_role.len() == 1 {
            Some(same_role[0])
        } else if candidates.len() == 1 {
            Some(candidates[0])
        } else {
            None
        };
        if let Some(e) = target {
            title_mentions.push((e, span_of(s, r + 1)));
        }
    }
    for (e, span) in title_mentions {
        ents[e].mentions.push(mention(span, "title"));
    }

    // Finish: sort mentions, drop duplicates, order entities by first mention, name them.
    let mut out: Vec<(usize, Entity)> = Vec::new();
    for b in ents {
        let mut mentions = b.mentions;
        mentions.sort_by(|a, b| a.span.cmp(&b.span).then(a.kind.cmp(&b.kind)));
        mentions.dedup_by(|a, b| a.span == b.span);
        // The list grew by doubling: what it did not fill is returned (a name with a million
        // mentions would keep half as much again).
        mentions.shrink_to_fit();
        let Some(first) = mentions.first().map(|m| m.span[0]) else {
            continue;
        };
        let name = b.name.map(|x| x.0).unwrap_or_else(|| b.words.join(" "));
        out.push((
            first,
            Entity {
                id: String::new(),
                kind: b.kind,
                name,
                mentions,
                geo: None,
                confidence: None,
            },
        ));
    }
    out.sort_by_key(|(first, _)| *first);
    out.into_iter()
        .enumerate()
        .map(|(i, (_, mut e))| {
            e.id = format!("E{}", i + 1);
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_match_compounds_and_inflections() {
        let r = Roles::parse("# comment\nminister\nchef\npräsident\n");
        assert_eq!(r.role_of("Verteidigungsminister"), Some("minister"));
        assert_eq!(r.role_of("Präsidenten"), Some("präsident"));
        assert_eq!(r.role_of("Staatschef"), Some("chef"));
        assert_eq!(r.role_of("Ministerium"), None);
        assert_eq!(r.role_of(","), None);
    }

    #[test]
    fn loose_keys_ignore_adjective_endings() {
        let a = loose_key(&["Nationalen".into(), "Sicherheitsrat".into()]);
        let b = loose_key(&["Nationaler".into(), "Sicherheitsrat".into()]);
        assert_eq!(a, b);
    }
}

#[cfg(test)]
mod grouping_tests {
    use super::*;

    /// A document whose tokens are the whitespace-separated words of `text`, with `,` and `.`
    /// split off, and the given labels (one per token, `O` where not listed).
    fn doc_with(text: &str, tagged: &[(&str, &str)]) -> (Document, Vec<String>) {
        let mut doc = Document::from_paragraphs("t", "und", vec![text.to_string()]);
        let mut tokens = Vec::new();
        let mut pos = 0;
        for word in doc.text.clone().split(' ') {
            let n = word.chars().count();
            let (body, punct) = match word.strip_suffix([',', '.']) {
                Some(b) => (b.chars().count(), true),
                None => (n, false),
            };
            tokens.push([pos, pos + body]);
            if punct {
                tokens.push([pos + body, pos + n]);
            }
            pos += n + 1;
        }
        doc.tokens = tokens;
        doc.sentences = vec![[0, doc.len_chars()]];
        let texts: Vec<String> = doc
            .tokens
            .iter()
            .map(|&t| doc.slice(t).to_string())
            .collect();
        let mut labels = vec!["O".to_string(); texts.len()];
        let mut from = 0;
        for (word, label) in tagged {
            if let Some(i) = (from..texts.len()).find(|&i| texts[i] == *word) {
                labels[i] = label.to_string();
                from = i + 1;
            }
        }
        (doc, labels)
    }

    #[test]
    fn mentions_group_into_entities_with_titles() {
        let text = "Die finnische Außenministerin Maria Virtanen reiste von Finnland nach Bern. \
                    Virtanens Besuch galt dem Schweizer Bundesrat. Virtanen sagte, der \
                    Sprecher des Bundesrats, Peter Keller, habe zugestimmt. Finnlands Ministerin \
                    lobte das.";
        let (doc, labels) = doc_with(
            text,
            &[
                ("finnische", "B-LOCderiv"),
                ("Maria", "B-PER"),
                ("Virtanen", "I-PER"),
                ("Finnland", "B-LOC"),
                ("Bern", "B-LOC"),
                ("Virtanens", "B-PER"),
                ("Bundesrat", "B-ORG"),
                ("Virtanen", "B-PER"),
                ("Bundesrats", "B-ORG"),
                ("Peter", "B-PER"),
                ("Keller", "I-PER"),
                ("Finnlands", "B-LOC"),
            ],
        );
        let texts: Vec<&str> = doc.tokens.iter().map(|&t| doc.slice(t)).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let mut lex = Lexicon::default();
        lex.derived = vec![("finnisch".into(), "Finnland".into())];
        let rules = Rules::parse("minister\nsprecher\n", "", "", "");
        let ents = build(&doc, &texts, &labels, &lex, &rules);
        let find = |name: &str| ents.iter().find(|e| e.name == name);
        let maria = find("Maria Virtanen").expect("person entity");
        assert_eq!(maria.kind, "PER");
        let kinds: Vec<(&str, &str)> = maria
            .mentions
            .iter()
            .map(|m| (m.kind.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("title", "finnische Außenministerin"),
                ("name", "Maria Virtanen"),
                ("name", "Virtanens"),
                ("name", "Virtanen"),
                ("title", "Finnlands Ministerin"),
            ]
        );
        let finland = find("Finnland").expect("country from the adjective");
        assert_eq!(finland.mentions[0].kind, "derived");
        let keller = find("Peter Keller").expect("apposition person");
        assert_eq!(keller.mentions[0].text, "Sprecher des Bundesrats");
        assert_eq!(keller.mentions[0].kind, "title");
        // "Bundesrat" and "Bundesrats" are one organisation.
        let council = find("Bundesrat").expect("organisation");
        assert_eq!(council.mentions.len(), 2);
        // Ids follow first mentions: the title starts the text (a tie with the derived
        // adjective inside it goes to the entity found first, the person).
        assert_eq!(ents[0].name, "Maria Virtanen");
        assert_eq!(ents[1].name, "Finnland");
        assert_eq!(ents[0].id, "E1");
        doc.validate_spans().unwrap();
        for e in &ents {
            for m in &e.mentions {
                assert_eq!(doc.slice(m.span), m.text);
            }
        }
    }

    #[test]
    fn a_past_tense_verb_before_a_title_is_not_part_of_it() {
        let text = "Die Kosten steigen, sagte Vorstandschefin Anna Berger. Der designierte \
                    Ministerpräsident Paul Kern schwieg.";
        let (doc, labels) = doc_with(
            text,
            &[
                ("Anna", "B-PER"),
                ("Berger", "I-PER"),
                ("Paul", "B-PER"),
                ("Kern", "I-PER"),
            ],
        );
        let texts: Vec<&str> = doc.tokens.iter().map(|&t| doc.slice(t)).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let rules = Rules::parse("vorstandschefin\nministerpräsident\n", "", "", "");
        let ents = build(&doc, &texts, &labels, &Lexicon::default(), &rules);
        let title = |name: &str| {
            ents.iter()
                .find(|e| e.name == name)
                .and_then(|e| e.mentions.iter().find(|m| m.kind == "title"))
                .map(|m| m.text.clone())
        };
        assert_eq!(title("Anna Berger").as_deref(), Some("Vorstandschefin"));
        assert_eq!(
            title("Paul Kern").as_deref(),
            Some("designierte Ministerpräsident")
        );
    }

    #[test]
    fn part_mentions_cover_the_embedded_name() {
        let (doc, labels) = doc_with(
            "Der Kongo-Konflikt beschäftigt den Kongo.",
            &[("Kongo-Konflikt", "B-LOCpart"), ("Kongo", "B-LOC")],
        );
        let texts: Vec<&str> = doc.tokens.iter().map(|&t| doc.slice(t)).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let ents = build(
            &doc,
            &texts,
            &labels,
            &Lexicon::default(),
            &Rules::default(),
        );
        assert_eq!(ents.len(), 1);
        let kinds: Vec<(&str, &str)> = ents[0]
            .mentions
            .iter()
            .map(|m| (m.kind.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(kinds, vec![("part", "Kongo"), ("name", "Kongo")]);
    }

    #[test]
    fn repair_marks_capitalised_adjective_names_and_institution_compounds() {
        let texts = [
            "laut",
            "des",
            "Obersten",
            "Gerichts",
            "und",
            "EU-Kommission",
        ];
        let mut labels: Vec<Label> = vec!["O", "O", "O", "O", "O", "B-ORGpart"];
        let rules = Rules::parse("", "kommission\n", "des\n", "");
        // Without a lexicon nothing is known to be an adjective: only the compound changes.
        repair_labels(&texts, &mut labels, &Lexicon::default(), &rules);
        assert_eq!(labels[2], "O");
        assert_eq!(labels[5], "B-ORG");
    }
}
