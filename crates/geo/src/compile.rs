//! The gazetteer compiler: GeoNames, CLDR and nationality files in, one compressed artifact out.
//! Run by `dossier build gazetteer` (see the crate README); never at analysis time.

use crate::gazetteer::{Form, Kind, Place, MAGIC, VERSION};
use crate::normalize::{genitive, german_adjective_forms, normalize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::Path;

/// Extra country names and adjectives the source lists lack ("USA", "US-amerikanisch").
const EXTRA_NAMES: &str = include_str!("../data/names.tsv");

/// What goes into the artifact.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// Use `cities500` (every place of 500+ people) instead of `cities15000`.
    pub small_places: bool,
    /// Cities of at least this population also get their German genitive compiled in; smaller
    /// ones are found through the run-time genitive fallback.
    pub genitive_min_population: u64,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            small_places: true,
            genitive_min_population: 15_000,
        }
    }
}

/// Figures about a compiled artifact.
#[derive(Debug, Clone, Default)]
pub struct CompileStats {
    pub places: usize,
    pub names: usize,
    pub hits: usize,
    pub raw_bytes: usize,
    pub compressed_bytes: usize,
}

struct Builder {
    places: Vec<Place>,
    strings: Vec<u8>,
    names: BTreeMap<String, Vec<u32>>,
}

impl Builder {
    // One argument per record field; a struct literal would only rename them.
    #[allow(clippy::too_many_arguments)]
    fn add_place(
        &mut self,
        geonames: u32,
        point: Option<(f64, f64)>,
        population: u64,
        country: &str,
        kind: Kind,
        admin1: &str,
        name: &str,
    ) -> u32 {
        let name = &name[..name.len().min(u16::MAX as usize)];
        let span = (self.strings.len() as u32, name.len() as u16);
        self.strings.extend_from_slice(name.as_bytes());
        self.places.push(Place::new(
            geonames, point, population, country, kind, admin1, span,
        ));
        (self.places.len() - 1) as u32
    }

    fn add_name(&mut self, name: &str, place: u32, form: Form) {
        let key = normalize(name);
        if key.is_empty() {
            return;
        }
        let hit = (place << 2) | form as u32;
        let list = self.names.entry(key).or_default();
        // One hit per place and key; the stronger form (lower number) wins.
        if let Some(existing) = list.iter_mut().find(|h| **h >> 2 == place) {
            if (*existing & 3) > form as u32 {
                *existing = hit;
            }
        } else {
            list.push(hit);
        }
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        s
    } else {
        String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A name worth indexing for German and English text: Latin script, no digits, and not a short
/// all-capitals code (airport and postal codes in GeoNames' alternate names).
fn usable_name(name: &str) -> bool {
    let n = name.chars().count();
    if !(2..=60).contains(&n) {
        return false;
    }
    let latin = name.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '-' | '\'' | '.' | '(' | ')' | '’' | 'ʻ' | 'ʼ')
            || (c.is_alphabetic() && (c as u32) < 0x250)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    });
    let code = n <= 4 && name.chars().all(|c| c.is_ascii_uppercase());
    latin && !code
}

fn as_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn as_u64(v: &Value, key: &str) -> u64 {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

fn as_f64(v: &Value, key: &str) -> Option<f64> {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// Population-weighted mean of points, averaged on the unit sphere so that places on both
/// sides of the antimeridian do not cancel out.
fn centre_of_population(points: &[(f64, f64, u64)]) -> Option<(f64, f64)> {
    let (mut x, mut y, mut z, mut w) = (0.0, 0.0, 0.0, 0.0);
    for &(lat, lon, pop) in points {
        let (la, lo) = (lat.to_radians(), lon.to_radians());
        let wt = pop.max(1) as f64;
        x += wt * la.cos() * lo.cos();
        y += wt * la.cos() * lo.sin();
        z += wt * la.sin();
        w += wt;
    }
    if w == 0.0 {
        return None;
    }
    let (x, y, z) = (x / w, y / w, z / w);
    let hyp = (x * x + y * y).sqrt();
    Some((z.atan2(hyp).to_degrees(), y.atan2(x).to_degrees()))
}

/// Compiles the gazetteer from `dir` (the layout of `shared/data/gazetteer`) into the gzip
/// artifact.
pub fn compile(dir: &Path, options: &CompileOptions) -> Result<(Vec<u8>, CompileStats), String> {
    let geonames = dir.join("geonames");
    let cities_file = if options.small_places {
        "cities500.json.gz"
    } else {
        "cities15000.json.gz"
    };
    let cities = read_json(&geonames.join(cities_file))?;
    let countries = read_json(&geonames.join("countries.json"))?;
    let continents = read_json(&geonames.join("continents.json"))?;
    let us_states = read_json(&geonames.join("us_states.json"))?;
    let cldr = |lang: &str| -> Result<Value, String> {
        let v = read_json(&dir.join("cldr").join(format!("{lang}-territories.json")))?;
        Ok(
            v.pointer(&format!("/main/{lang}/localeDisplayNames/territories"))
                .cloned()
                .unwrap_or(Value::Null),
        )
    };
    let cldr_de = cldr("de")?;
    let cldr_en = cldr("en")?;
    let nationality = |lang: &str| -> Result<Value, String> {
        let v = read_json(&dir.join("nationality").join(format!("{lang}.json")))?;
        Ok(v.get("nationalities").cloned().unwrap_or(Value::Null))
    };
    let nat_de = nationality("de")?;
    let nat_en = nationality("en")?;

    let mut b = Builder {
        places: Vec::new(),
        strings: Vec::new(),
        names: BTreeMap::new(),
    };

    // Cities, in a stable order (by GeoNames id).
    let mut city_list: Vec<&Value> = cities
        .as_object()
        .map(|m| m.values().collect())
        .unwrap_or_default();
    city_list.sort_by_key(|c| as_u64(c, "geonameid"));
    let capitals: HashMap<String, String> = countries
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(iso, c)| (iso.clone(), normalize(as_str(c, "capital"))))
                .collect()
        })
        .unwrap_or_default();
    // The capital of each country: the most populous city carrying the capital's name.
    let mut capital_of: HashMap<String, (usize, u64)> = HashMap::new();
    for (i, c) in city_list.iter().enumerate() {
        let cc = as_str(c, "countrycode");
        let Some(cap) = capitals.get(cc).filter(|s| !s.is_empty()) else {
            continue;
        };
        let named = normalize(as_str(c, "name")) == *cap
            || c.get("alternatenames")
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .any(|n| n.as_str().map(normalize).as_ref() == Some(cap))
                });
        let pop = as_u64(c, "population");
        if named && capital_of.get(cc).is_none_or(|&(_, p)| pop > p) {
            capital_of.insert(cc.to_string(), (i, pop));
        }
    }
    let mut largest_of: HashMap<String, (usize, u64)> = HashMap::new();
    let mut city_index: Vec<u32> = Vec::with_capacity(city_list.len());
    for (i, c) in city_list.iter().enumerate() {
        let cc = as_str(c, "countrycode");
        let pop = as_u64(c, "population");
        let kind = if capital_of.get(cc).is_some_and(|&(ci, _)| ci == i) {
            Kind::Capital
        } else {
            Kind::City
        };
        let point = as_f64(c, "latitude").zip(as_f64(c, "longitude"));
        let name = as_str(c, "name");
        let id = b.add_place(
            as_u64(c, "geonameid") as u32,
            point,
            pop,
            cc,
            kind,
            as_str(c, "admin1code"),
            name,
        );
        city_index.push(id);
        if largest_of.get(cc).is_none_or(|&(_, p)| pop > p) {
            largest_of.insert(cc.to_string(), (i, pop));
        }
        let with_genitive = pop >= options.genitive_min_population;
        b.add_name(name, id, Form::Name);
        if with_genitive {
            if let Some(g) = genitive(name) {
                b.add_name(&g, id, Form::Genitive);
            }
        }
        for alt in c
            .get("alternatenames")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !usable_name(alt) {
                continue;
            }
            b.add_name(alt, id, Form::Alternate);
            if with_genitive {
                if let Some(g) = genitive(alt) {
                    b.add_name(&g, id, Form::Genitive);
                }
            }
        }
    }

    // Countries. GeoNames' country table has no coordinates; a country's point is its capital
    // (or, without one in the data, its most populous city), documented in the README.
    let mut country_ids: HashMap<String, u32> = HashMap::new();
    let mut german_bases: HashMap<String, usize> = HashMap::new();
    for adj in nat_de.as_object().into_iter().flat_map(|m| m.values()) {
        let base = adj.as_str().unwrap_or("").split(" (").next().unwrap_or("");
        *german_bases.entry(normalize(base)).or_default() += 1;
    }
    if let Some(map) = countries.as_object() {
        let mut isos: Vec<&String> = map.keys().collect();
        isos.sort();
        for iso in isos {
            let c = &map[iso];
            let seat = capital_of
                .get(iso.as_str())
                .or(largest_of.get(iso.as_str()));
            let point = seat.and_then(|&(ci, _)| {
                as_f64(city_list[ci], "latitude").zip(as_f64(city_list[ci], "longitude"))
            });
            let name = as_str(c, "name");
            let id = b.add_place(
                as_u64(c, "geonameid") as u32,
                point,
                as_u64(c, "population"),
                iso,
                Kind::Country,
                "",
                name,
            );
            country_ids.insert(iso.clone(), id);
            b.add_name(
                &format!("\u{1}{}", iso.to_ascii_lowercase()),
                id,
                Form::Name,
            );
            b.add_name(name, id, Form::Name);
            for cldr in [&cldr_de, &cldr_en] {
                let Some(map) = cldr.as_object() else {
                    continue;
                };
                for (key, v) in map {
                    let base = key.split("-alt-").next().unwrap_or("");
                    if base != iso {
                        continue;
                    }
                    if let Some(n) = v.as_str() {
                        b.add_name(n, id, Form::Name);
                        if let Some(g) = genitive(n) {
                            b.add_name(&g, id, Form::Genitive);
                        }
                    }
                }
            }
            // German adjectives inflect ("russisch" → "russischen"); the list also holds a few
            // country names in the adjective column, which the `-sch` test skips. A base shared
            // by two countries ("Kongolesisch (Republik Kongo)") names neither.
            if let Some(adj) = nat_de.get(iso.as_str()).and_then(Value::as_str) {
                let base = adj.split(" (").next().unwrap_or("").trim();
                let shared = german_bases.get(&normalize(base)).copied().unwrap_or(0) > 1;
                if base.to_lowercase().ends_with("sch") && !base.contains(' ') && !shared {
                    for form in german_adjective_forms(base) {
                        b.add_name(&form, id, Form::Adjective);
                    }
                }
            }
            if let Some(adj) = nat_en.get(iso.as_str()).and_then(Value::as_str) {
                if !adj.contains(' ') || adj.split(' ').count() <= 2 {
                    b.add_name(adj, id, Form::Adjective);
                }
            }
        }
    }
    for line in EXTRA_NAMES.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(iso), Some(kind), Some(form)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let Some(&id) = country_ids.get(iso) else {
            continue;
        };
        match kind {
            "adjective-de" => {
                for f in german_adjective_forms(form) {
                    b.add_name(&f, id, Form::Adjective);
                }
            }
            "adjective" => b.add_name(form, id, Form::Adjective),
            _ => {
                b.add_name(form, id, Form::Name);
                if kind == "name-de" {
                    if let Some(g) = genitive(form) {
                        b.add_name(&g, id, Form::Genitive);
                    }
                }
            }
        }
    }

    // US states: GeoNames gives names and ids but no points; the point is the state's centre
    // of population over its listed cities.
    if let Some(map) = us_states.as_object() {
        let mut codes: Vec<&String> = map.keys().collect();
        codes.sort();
        for code in codes {
            let s = &map[code];
            let members: Vec<(f64, f64, u64)> = city_list
                .iter()
                .filter(|c| as_str(c, "countrycode") == "US" && as_str(c, "admin1code") == code)
                .filter_map(|c| {
                    Some((
                        as_f64(c, "latitude")?,
                        as_f64(c, "longitude")?,
                        as_u64(c, "population"),
                    ))
                })
                .collect();
            let pop: u64 = members.iter().map(|m| m.2).sum();
            let name = as_str(s, "name");
            let id = b.add_place(
                as_u64(s, "geonameid") as u32,
                centre_of_population(&members),
                pop,
                "US",
                Kind::Region,
                code,
                name,
            );
            b.add_name(name, id, Form::Name);
            if let Some(g) = genitive(name) {
                b.add_name(&g, id, Form::Genitive);
            }
        }
    }

    // Continents: GeoNames gives their points and names in every language; German and English
    // ones are kept.
    if let Some(map) = continents.as_object() {
        let mut codes: Vec<&String> = map.keys().collect();
        codes.sort();
        for code in codes {
            let c = &map[code];
            let point = as_f64(c, "lat").zip(as_f64(c, "lng"));
            let name = as_str(c, "name");
            let id = b.add_place(
                as_u64(c, "geonameId") as u32,
                point,
                as_u64(c, "population"),
                "",
                Kind::Continent,
                "",
                name,
            );
            b.add_name(name, id, Form::Name);
            for alt in c
                .get("alternateNames")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let lang = as_str(alt, "lang");
                if matches!(lang, "de" | "en") {
                    let n = as_str(alt, "name");
                    b.add_name(n, id, Form::Name);
                    if lang == "de" {
                        if let Some(g) = genitive(n) {
                            b.add_name(&g, id, Form::Genitive);
                        }
                    }
                }
            }
        }
    }

    // Serialise.
    let mut fst_builder = fst::MapBuilder::memory();
    let mut postings: Vec<u32> = Vec::new();
    let mut hits = 0usize;
    for (key, list) in &b.names {
        let off = postings.len() as u64;
        postings.push(list.len() as u32);
        postings.extend_from_slice(list);
        hits += list.len();
        fst_builder.insert(key, off).map_err(|e| e.to_string())?;
    }
    let fst_bytes = fst_builder.into_inner().map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    raw.extend_from_slice(MAGIC);
    raw.extend_from_slice(&VERSION.to_le_bytes());
    let section = |raw: &mut Vec<u8>, body: &[u8]| {
        raw.extend_from_slice(&(body.len() as u64).to_le_bytes());
        raw.extend_from_slice(body);
    };
    section(&mut raw, &fst_bytes);
    let post_bytes: Vec<u8> = postings.iter().flat_map(|p| p.to_le_bytes()).collect();
    section(&mut raw, &post_bytes);
    let mut rec = Vec::with_capacity(b.places.len() * crate::gazetteer::RECORD_BYTES);
    for p in &b.places {
        p.to_bytes(&mut rec);
    }
    section(&mut raw, &rec);
    section(&mut raw, &b.strings);

    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&raw).map_err(|e| e.to_string())?;
    let compressed = enc.finish().map_err(|e| e.to_string())?;
    let stats = CompileStats {
        places: b.places.len(),
        names: b.names.len(),
        hits,
        raw_bytes: raw.len(),
        compressed_bytes: compressed.len(),
    };
    Ok((compressed, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_codes_and_foreign_scripts() {
        assert!(usable_name("Wladiwostok"));
        assert!(usable_name("Pjöngjang"));
        assert!(usable_name("Frankfurt (Oder)"));
        assert!(!usable_name("MOW"));
        assert!(!usable_name("Москва"));
        assert!(!usable_name("x"));
    }

    #[test]
    fn centre_of_population_crosses_the_antimeridian() {
        let c = centre_of_population(&[(10.0, 179.0, 1), (10.0, -179.0, 1)]);
        let (lat, lon) = c.unwrap_or((0.0, 0.0));
        assert!((lat - 10.0).abs() < 0.1, "{lat}");
        assert!(lon.abs() > 179.9, "{lon}");
        assert!(centre_of_population(&[]).is_none());
    }
}
