//! The compiled lexicon the tagger's features read: Brown clusters, word-frequency bins and
//! gazetteer membership for each word form, plus the adjective → place table that resolves
//! derived mentions ("russischen" → Russland).
//!
//! Built from `shared/data/lexicon` and `shared/data/gazetteer` by `dossier train lexicon` and
//! shipped gzipped in `data/lexicon-<lang>.bin.gz`. Words are stored as 32-bit hashes (sorted,
//! delta-coded): a rare collision only merges the features of two words, it never fails.

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

/// A surname (ler-de personennamen).
pub const GAZ_SURNAME: u16 = 1 << 0;
/// A whole single-token company name.
pub const GAZ_FIRM: u16 = 1 << 1;
/// A token of a multi-token company name.
pub const GAZ_FIRM_PART: u16 = 1 << 2;
/// A whole single-token city name.
pub const GAZ_CITY: u16 = 1 << 3;
/// A token of a multi-token city name.
pub const GAZ_CITY_PART: u16 = 1 << 4;
/// A whole single-token country or region name.
pub const GAZ_COUNTRY: u16 = 1 << 5;
/// A token of a multi-token country name.
pub const GAZ_COUNTRY_PART: u16 = 1 << 6;
/// An inflected nationality adjective ("russischen").
pub const GAZ_DEMONYM: u16 = 1 << 7;
/// A landscape, river or region name (ler-de landschaftsbezeichnungen).
pub const GAZ_LANDSCAPE: u16 = 1 << 8;
/// Mostly inside person names in WikiANN (silver Wikipedia annotations, train split).
pub const GAZ_WIKI_PER: u16 = 1 << 9;
/// Mostly inside organisation names in WikiANN.
pub const GAZ_WIKI_ORG: u16 = 1 << 10;
/// Mostly inside location names in WikiANN.
pub const GAZ_WIKI_LOC: u16 = 1 << 11;

/// What the lexicon knows about one word form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LexInfo {
    /// Brown cluster as an integer whose binary digits are the bit path; 0 = none.
    pub cluster: u32,
    /// 1 + (centibels below 1 / 50) for the lowercased form; 0 = not in the list.
    pub freq: u8,
    /// `GAZ_*` flags.
    pub gaz: u16,
    /// Cluster ids of our own word vectors (`dossier train embeddings`), coarse to fine, each
    /// 1 + id; 0 = none.
    pub emb: [u16; EMB_LEVELS],
}

/// Granularities of the embedding clusters kept in the lexicon.
pub const EMB_LEVELS: usize = 3;

/// The compiled lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    keys: Vec<u32>,
    infos: Vec<LexInfo>,
    /// Open-addressing table over `keys`: slot → (key, 1 + index), index 0 = empty
    /// (power-of-two size).
    table: Vec<(u32, u32)>,
    /// (lowercase adjective stem, place name), longest stems first.
    pub(crate) derived: Vec<(String, String)>,
}

/// 32-bit FNV-1a of a word: the key of the lexicon table.
pub fn word_key(word: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in word.as_bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

const MAGIC_V1: &[u8; 6] = b"DNLX01";
const MAGIC: &[u8; 6] = b"DNLX02";

impl Lexicon {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// What the lexicon knows about `word` (case-sensitive); default when unknown.
    pub fn get(&self, word: &str) -> LexInfo {
        let key = word_key(word);
        if self.table.is_empty() {
            return match self.keys.binary_search(&key) {
                Ok(i) => self.infos[i],
                Err(_) => LexInfo::default(),
            };
        }
        let mask = self.table.len() - 1;
        let mut slot = (key.wrapping_mul(0x9e37_79b9) as usize) & mask;
        loop {
            let (k, e) = self.table[slot];
            if e == 0 {
                return LexInfo::default();
            }
            if k == key {
                return self.infos[e as usize - 1];
            }
            slot = (slot + 1) & mask;
        }
    }

    /// A lexicon of the given words (for tests and small tools).
    pub fn from_words(words: &[(&str, LexInfo)]) -> Self {
        let mut entries: Vec<(u32, LexInfo)> =
            words.iter().map(|(w, i)| (word_key(w), *i)).collect();
        entries.sort_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        Lexicon {
            keys: entries.iter().map(|e| e.0).collect(),
            infos: entries.iter().map(|e| e.1).collect(),
            table: Vec::new(),
            derived: Vec::new(),
        }
        .index()
    }

    /// Builds the probe table (load factor ≤ 1/2) so lookups cost one or two cache misses.
    fn index(mut self) -> Self {
        let size = (self.keys.len() * 2).next_power_of_two().max(2);
        let mask = size - 1;
        let mut table = vec![(0u32, 0u32); size];
        for (i, &key) in self.keys.iter().enumerate() {
            let mut slot = (key.wrapping_mul(0x9e37_79b9) as usize) & mask;
            while table[slot].1 != 0 {
                slot = (slot + 1) & mask;
            }
            table[slot] = (key, i as u32 + 1);
        }
        self.table = table;
        self
    }

    /// The place a nationality adjective derives from: "nordkoreanische" → "Nordkorea".
    /// A hyphenated form is resolved by its last part ("US-amerikanische").
    pub fn place_of_adjective(&self, word: &str) -> Option<&str> {
        let last = word.rsplit(['-', '‑']).next().unwrap_or(word);
        let lower = last.to_lowercase();
        self.derived
            .iter()
            .find(|(stem, _)| lower.starts_with(stem.as_str()) && lower.len() - stem.len() <= 3)
            .map(|(_, place)| place.as_str())
    }

    /// Serialises and gzips the lexicon.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        put_varint(&mut raw, self.keys.len() as u64);
        let mut prev = 0u32;
        for (k, info) in self.keys.iter().zip(&self.infos) {
            put_varint(&mut raw, (k - prev) as u64);
            prev = *k;
            put_varint(&mut raw, info.cluster as u64);
            raw.push(info.freq);
            // The low bit says whether embedding cluster ids follow (most words have none).
            let has_emb = info.emb != [0; EMB_LEVELS];
            put_varint(&mut raw, (info.gaz as u64) << 1 | has_emb as u64);
            if has_emb {
                for e in info.emb {
                    put_varint(&mut raw, e as u64);
                }
            }
        }
        put_varint(&mut raw, self.derived.len() as u64);
        for (stem, place) in &self.derived {
            put_str(&mut raw, stem);
            put_str(&mut raw, place);
        }
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    }

    /// Reads a lexicon written by [`Lexicon::to_bytes`].
    pub fn from_bytes(gz: &[u8]) -> Result<Self, String> {
        let mut raw = Vec::new();
        GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .map_err(|e| format!("lexicon: {e}"))?;
        let mut r = ByteReader::new(&raw);
        let v2 = match r.take(MAGIC.len())? {
            m if m == MAGIC => true,
            m if m == MAGIC_V1 => false,
            _ => return Err("lexicon: bad magic".into()),
        };
        let n = r.varint()? as usize;
        let mut keys = Vec::with_capacity(n.min(1 << 24));
        let mut infos = Vec::with_capacity(n.min(1 << 24));
        let mut prev = 0u32;
        for _ in 0..n {
            prev = prev.wrapping_add(r.varint()? as u32);
            let cluster = r.varint()? as u32;
            let freq = r.byte()?;
            let mut gaz_field = r.varint()?;
            let mut emb = [0u16; EMB_LEVELS];
            if v2 {
                if gaz_field & 1 == 1 {
                    for e in emb.iter_mut() {
                        *e = r.varint()? as u16;
                    }
                }
                gaz_field >>= 1;
            }
            let gaz = gaz_field as u16;
            keys.push(prev);
            infos.push(LexInfo {
                cluster,
                freq,
                gaz,
                emb,
            });
        }
        let m = r.varint()? as usize;
        let mut derived = Vec::with_capacity(m.min(1 << 16));
        for _ in 0..m {
            derived.push((r.string()?, r.string()?));
        }
        Ok(Lexicon {
            keys,
            infos,
            table: Vec::new(),
            derived,
        }
        .index())
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A bounds-checked reader over a byte slice.
pub(crate) struct ByteReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        ByteReader { bytes, pos: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("truncated")?;
        let s = self.bytes.get(self.pos..end).ok_or("truncated")?;
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("bad varint".into())
    }

    pub(crate) fn string(&mut self) -> Result<String, String> {
        let n = self.varint()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }

    pub(crate) fn f32(&mut self) -> Result<f32, String> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

// ---------------------------------------------------------------------------------------------
// Building from the shared data.

/// How many entries of the Brown-cluster table (ordered by frequency) are kept.
const MAX_CLUSTER_WORDS: usize = 300_000;
/// How many frequency ranks (centibel rows hold many words each) are kept.
const MAX_FREQ_WORDS: usize = 400_000;

#[derive(Default)]
struct Builder {
    map: HashMap<String, LexInfo>,
}

impl Builder {
    fn entry(&mut self, w: &str) -> &mut LexInfo {
        self.map.entry(w.to_string()).or_default()
    }

    fn flag(&mut self, w: &str, flag: u16) {
        if !w.is_empty() {
            self.entry(w).gaz |= flag;
        }
    }

    /// Flags a name: whole-name flag for a single token, part flag for each token of a longer one.
    fn name(&mut self, name: &str, whole: u16, part: u16) {
        let tokens: Vec<&str> = name.split_whitespace().collect();
        match tokens.len() {
            0 => {}
            1 => self.flag(tokens[0], whole),
            _ => {
                for t in tokens {
                    if t.chars().next().is_some_and(char::is_uppercase) {
                        self.flag(t, part);
                    }
                }
            }
        }
    }
}

fn read_gz_or_plain(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = read_gz_or_plain(path)?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_lines(path: &Path) -> Result<Vec<String>, String> {
    let bytes = read_gz_or_plain(path)?;
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

/// Latin-script name (letters, spaces, hyphens, apostrophes, dots) starting with a capital.
fn is_latin_name(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
        && s.chars().all(|c| {
            (c.is_alphabetic() && (c as u32) < 0x0250) || matches!(c, ' ' | '-' | '\'' | '.')
        })
}

/// spaCy's German Brown clusters (`lexicon/de_lexeme_cluster.json.gz`, one `"word":id,` per
/// line, most frequent first): the first [`MAX_CLUSTER_WORDS`] (word, bit path) pairs.
fn brown_clusters(data: &Path) -> Result<Vec<(String, u32)>, String> {
    let raw = read_gz_or_plain(&data.join("lexicon/de_lexeme_cluster.json.gz"))?;
    let text = String::from_utf8_lossy(&raw);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_end_matches(',');
        let Some(colon) = line.rfind(':') else {
            continue;
        };
        let (key, id) = (&line[..colon], &line[colon + 1..]);
        let (Ok(word), Ok(id)) = (
            serde_json::from_str::<String>(key),
            id.trim().parse::<u32>(),
        ) else {
            continue;
        };
        out.push((word, id));
        if out.len() >= MAX_CLUSTER_WORDS {
            break;
        }
    }
    Ok(out)
}

/// The words of the Brown-cluster table (so that `dossier train embeddings` gives each of
/// them a cluster of its own vectors, from its n-grams when the text never had it).
pub fn brown_cluster_words(data: &Path) -> Result<Vec<String>, String> {
    Ok(brown_clusters(data)?.into_iter().map(|(w, _)| w).collect())
}

/// Builds the lexicon for `lang` (`de` or `en`) from the shared data directory
/// (`shared/data`).
pub fn build(lang: &str, data: &Path, embeddings: Option<&Path>) -> Result<Lexicon, String> {
    let mut b = Builder::default();

    // Brown clusters (German only): one `"word":id,` per line, most frequent first.
    if lang == "de" {
        for (word, id) in brown_clusters(data)? {
            b.entry(&word).cluster = id;
        }
    }

    // Our own embedding clusters: `word<TAB>id<TAB>id…` (coarse to fine), `#` comments. They
    // fill in for the words the Brown table lacks (in it or in lower case): on GermEval dev,
    // giving them to every word scored the same and made the lexicon 1.1 MB larger.
    if let Some(path) = embeddings {
        let raw = read_gz_or_plain(path)?;
        for line in String::from_utf8_lossy(&raw).lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let Some(word) = fields.next().filter(|w| !w.is_empty()) else {
                continue;
            };
            let brown = |w: &str| b.map.get(w).is_some_and(|i| i.cluster != 0);
            if brown(word) || brown(&word.to_lowercase()) {
                continue;
            }
            let mut emb = [0u16; EMB_LEVELS];
            for (e, f) in emb.iter_mut().zip(fields) {
                if let Ok(id) = f.trim().parse::<u16>() {
                    *e = id.saturating_add(1);
                }
            }
            b.entry(word).emb = emb;
        }
    }

    // Word frequencies (wordfreq cBpack: lowercased words by centibel row).
    let raw = read_gz_or_plain(&data.join(format!("lexicon/wordfreq/large_{lang}.msgpack.gz")))?;
    let rows = crate::msgpack::cbpack_rows(&raw)?;
    let mut kept = 0;
    'rows: for (i, row) in rows.iter().enumerate() {
        let bin = 1 + (i / 50).min(30) as u8;
        for w in row {
            let e = b.entry(w);
            if e.freq == 0 {
                e.freq = bin;
            }
            kept += 1;
            if kept >= MAX_FREQ_WORDS {
                break 'rows;
            }
        }
    }

    // Countries: CLDR display names, GeoNames countries, (de) the official German list.
    let cldr = read_json(&data.join(format!("gazetteer/cldr/{lang}-territories.json")))?;
    let territories = cldr["main"][lang]["localeDisplayNames"]["territories"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for name in territories.values().filter_map(|v| v.as_str()) {
        b.name(name, GAZ_COUNTRY, GAZ_COUNTRY_PART);
    }
    if let Ok(countries) = read_json(&data.join("gazetteer/geonames/countries.json")) {
        if let Some(obj) = countries.as_object() {
            for c in obj.values() {
                if let Some(name) = c["name"].as_str() {
                    b.name(name, GAZ_COUNTRY, GAZ_COUNTRY_PART);
                }
            }
        }
    }
    if lang == "de" {
        for name in read_lines(&data.join("gazetteer/ler-de/laendernamen.list"))? {
            b.name(&name, GAZ_COUNTRY, GAZ_COUNTRY_PART);
        }
    }

    // Nationality adjectives → derived table and demonym flags.
    let nat = read_json(&data.join(format!("gazetteer/nationality/{lang}.json")))?;
    let mut derived = Vec::new();
    if let Some(obj) = nat["nationalities"].as_object() {
        for (code, adj) in obj {
            let (Some(adj), Some(place)) = (adj.as_str(), territories.get(code)) else {
                continue;
            };
            let Some(place) = place.as_str() else {
                continue;
            };
            let stem = adj.to_lowercase();
            let endings: &[&str] = if lang == "de" {
                &["", "e", "en", "er", "es", "em"]
            } else {
                &["", "s"]
            };
            for end in endings {
                let form = format!("{stem}{end}");
                let mut cap = String::new();
                let mut chars = form.chars();
                if let Some(c) = chars.next() {
                    cap.extend(c.to_uppercase());
                    cap.push_str(chars.as_str());
                }
                b.flag(&form, GAZ_DEMONYM);
                b.flag(&cap, GAZ_DEMONYM);
            }
            derived.push((stem, place.to_string()));
        }
    }
    derived.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    derived.dedup();

    // Cities: GeoNames ≥15,000 inhabitants with Latin-script alternate names; (de) ler-de lists.
    let cities = read_json(&data.join("gazetteer/geonames/cities15000.json.gz"))?;
    if let Some(obj) = cities.as_object() {
        for c in obj.values() {
            if let Some(name) = c["name"].as_str() {
                b.name(name, GAZ_CITY, GAZ_CITY_PART);
            }
            if let Some(alts) = c["alternatenames"].as_array() {
                for a in alts.iter().filter_map(|a| a.as_str()) {
                    if is_latin_name(a) {
                        b.name(a, GAZ_CITY, GAZ_CITY_PART);
                    }
                }
            }
        }
    }
    if lang == "de" {
        for name in read_lines(&data.join("gazetteer/ler-de/stadtnamen.list"))? {
            b.name(&name, GAZ_CITY, GAZ_CITY_PART);
        }
        for name in read_lines(&data.join("gazetteer/ler-de/personennamen.list"))? {
            b.flag(&name, GAZ_SURNAME);
        }
        for name in read_lines(&data.join("gazetteer/ler-de/firmennamen.list"))? {
            b.name(&name, GAZ_FIRM, GAZ_FIRM_PART);
        }
        for name in read_lines(&data.join("gazetteer/ler-de/landschaftsbezeichnungen.list"))? {
            if !name.contains(char::is_numeric) {
                b.name(&name, GAZ_LANDSCAPE, GAZ_LANDSCAPE);
            }
        }
    }

    // Name words of WikiANN's silver annotations (German only: the English model trains on
    // WikiANN itself, where such a list would only echo its labels).
    if lang == "de" {
        let mut counts: HashMap<String, [u32; 3]> = HashMap::new();
        // Train split only: WikiANN dev is labelled dev/tune, and a word list drawn from its
        // labels would be training on it.
        if let Ok(sents) = crate::data::read_file(&data.join("ner/wikiann/de/train")) {
            for s in sents {
                for (tok, label) in s.tokens.iter().zip(&s.labels) {
                    let k = match label.get(2..) {
                        Some("PER") => 0,
                        Some("ORG") => 1,
                        Some("LOC") => 2,
                        _ => continue,
                    };
                    if tok.chars().next().is_some_and(char::is_uppercase) {
                        counts.entry(tok.clone()).or_default()[k] += 1;
                    }
                }
            }
        }
        for (tok, c) in counts {
            let total: u32 = c.iter().sum();
            for (k, flag) in [GAZ_WIKI_PER, GAZ_WIKI_ORG, GAZ_WIKI_LOC]
                .into_iter()
                .enumerate()
            {
                if c[k] >= 2 && c[k] * 2 >= total {
                    b.flag(&tok, flag);
                }
            }
        }
    }

    // Hash, merge collisions, sort.
    let mut entries: Vec<(u32, LexInfo)> = Vec::with_capacity(b.map.len());
    for (w, info) in b.map {
        entries.push((word_key(&w), info));
    }
    entries.sort_by_key(|e| (e.0, e.1.cluster, e.1.freq, e.1.gaz, e.1.emb));
    let mut keys: Vec<u32> = Vec::with_capacity(entries.len());
    let mut infos: Vec<LexInfo> = Vec::with_capacity(entries.len());
    for (k, info) in entries {
        if keys.last() == Some(&k) {
            if let Some(last) = infos.last_mut() {
                last.gaz |= info.gaz;
                last.cluster = last.cluster.max(info.cluster);
                last.freq = last.freq.max(info.freq);
                if last.emb == [0; EMB_LEVELS] {
                    last.emb = info.emb;
                }
            }
        } else {
            keys.push(k);
            infos.push(info);
        }
    }
    Ok(Lexicon {
        keys,
        infos,
        table: Vec::new(),
        derived,
    }
    .index())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_round_trips_and_resolves_adjectives() {
        let mut lex = Lexicon::default();
        let mut entries = [
            (
                word_key("Bonn"),
                LexInfo {
                    cluster: 0b1011,
                    freq: 3,
                    gaz: GAZ_CITY,
                    emb: [2, 9, 300],
                },
            ),
            (
                word_key("sagte"),
                LexInfo {
                    cluster: 7,
                    freq: 2,
                    gaz: 0,
                    emb: [0; EMB_LEVELS],
                },
            ),
        ];
        entries.sort_by_key(|e| e.0);
        for (k, i) in entries {
            lex.keys.push(k);
            lex.infos.push(i);
        }
        lex.derived = vec![("französisch".into(), "Frankreich".into())];
        let back = Lexicon::from_bytes(&lex.to_bytes()).unwrap();
        assert_eq!(back.get("Bonn").gaz, GAZ_CITY);
        assert_eq!(back.get("sagte").cluster, 7);
        assert_eq!(back.get("Bonn").emb, [2, 9, 300]);
        assert_eq!(back.get("unbekannt"), LexInfo::default());
        assert_eq!(back.place_of_adjective("französischen"), Some("Frankreich"));
        assert_eq!(
            back.place_of_adjective("EU-französische"),
            Some("Frankreich")
        );
        assert_eq!(back.place_of_adjective("Französischunterricht"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Lexicon::from_bytes(b"not gzip").is_err());
    }
}
