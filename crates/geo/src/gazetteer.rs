//! The embedded gazetteer: an FST from normalised name to a postings list of places, plus a
//! fixed-size record per place. Built by [`crate::compile`], stored gzip-compressed in
//! `data/gazetteer.bin.gz`, decompressed once on first use.
//!
//! Layout of the decompressed artifact (little-endian):
//! `b"DGEO"`, version `u32`, then four sections each led by a `u64` length:
//! the FST bytes; the postings (`u32`s); the place records ([`RECORD_BYTES`] each); the string
//! blob (UTF-8 names the records point into). A postings list is its length followed by one
//! `u32` per hit, `place index << 2 | form`.

use crate::normalize::normalize;
use std::sync::OnceLock;

pub(crate) const MAGIC: &[u8; 4] = b"DGEO";
pub(crate) const VERSION: u32 = 1;
pub(crate) const RECORD_BYTES: usize = 32;

/// How a name in the text relates to a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The place's own (primary, ASCII or CLDR display) name.
    Name = 0,
    /// One of its alternate names (exonyms, transliterations, old names).
    Alternate = 1,
    /// A German genitive made by rule ("Russlands").
    Genitive = 2,
    /// A nationality adjective in any inflection ("russischen"): a derived mention.
    Adjective = 3,
}

impl Form {
    pub(crate) fn from_bits(bits: u32) -> Form {
        match bits & 3 {
            0 => Form::Name,
            1 => Form::Alternate,
            2 => Form::Genitive,
            _ => Form::Adjective,
        }
    }
}

/// What kind of place an entry is; GeoNames feature codes where the data gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A populated place (GeoNames `P.PPL`; the shipped city lists carry no finer code).
    City = 0,
    /// A country's capital (`P.PPLC`), known from the country table.
    Capital = 1,
    /// An independent political entity (`A.PCLI`).
    Country = 2,
    /// A first-level division (`A.ADM1`; only US states are in the data).
    Region = 3,
    /// A continent (`L.CONT`).
    Continent = 4,
}

impl Kind {
    pub(crate) fn from_byte(b: u8) -> Kind {
        match b {
            1 => Kind::Capital,
            2 => Kind::Country,
            3 => Kind::Region,
            4 => Kind::Continent,
            _ => Kind::City,
        }
    }

    /// The GeoNames feature class letter.
    pub fn feature_class(self) -> &'static str {
        match self {
            Kind::City | Kind::Capital => "P",
            Kind::Country | Kind::Region => "A",
            Kind::Continent => "L",
        }
    }

    /// The GeoNames feature code.
    pub fn feature_code(self) -> &'static str {
        match self {
            Kind::City => "PPL",
            Kind::Capital => "PPLC",
            Kind::Country => "PCLI",
            Kind::Region => "ADM1",
            Kind::Continent => "CONT",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub geonames: u32,
    /// Latitude and longitude; NaN when the data gives no point (a country without cities).
    pub lat: f32,
    pub lon: f32,
    /// Saturates at `u32::MAX` (continents).
    pub population: u32,
    pub country: [u8; 2],
    pub kind: Kind,
    name_off: u32,
    name_len: u16,
    admin1: [u8; 6],
}

impl Place {
    /// Whether the entry carries a point.
    pub fn has_point(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite()
    }

    /// ISO 3166-1 alpha-2, or `None` for entries beyond one country (continents).
    pub fn country_code(&self) -> Option<&str> {
        if self.country == [0, 0] {
            return None;
        }
        std::str::from_utf8(&self.country).ok()
    }

    /// The first-level division code (GeoNames `admin1code`), possibly empty.
    pub fn admin1(&self) -> &str {
        let end = self.admin1.iter().position(|&b| b == 0).unwrap_or(6);
        std::str::from_utf8(&self.admin1[..end]).unwrap_or("")
    }

    pub(crate) fn to_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.geonames.to_le_bytes());
        out.extend_from_slice(&self.lat.to_le_bytes());
        out.extend_from_slice(&self.lon.to_le_bytes());
        out.extend_from_slice(&self.population.to_le_bytes());
        out.extend_from_slice(&self.name_off.to_le_bytes());
        out.extend_from_slice(&self.name_len.to_le_bytes());
        out.extend_from_slice(&self.country);
        out.push(self.kind.feature_class().as_bytes()[0]);
        out.push(self.kind as u8);
        out.extend_from_slice(&self.admin1);
    }

    fn from_bytes(b: &[u8]) -> Place {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut admin1 = [0u8; 6];
        admin1.copy_from_slice(&b[26..32]);
        Place {
            geonames: u32_at(0),
            lat: f32::from_bits(u32_at(4)),
            lon: f32::from_bits(u32_at(8)),
            population: u32_at(12),
            name_off: u32_at(16),
            name_len: u16::from_le_bytes([b[20], b[21]]),
            country: [b[22], b[23]],
            kind: Kind::from_byte(b[25]),
            admin1,
        }
    }

    pub(crate) fn new(
        geonames: u32,
        point: Option<(f64, f64)>,
        population: u64,
        country: &str,
        kind: Kind,
        admin1: &str,
        name_span: (u32, u16),
    ) -> Place {
        let mut cc = [0u8; 2];
        if country.len() == 2 {
            cc.copy_from_slice(country.as_bytes());
        }
        let mut a1 = [0u8; 6];
        for (slot, b) in a1.iter_mut().zip(admin1.bytes()) {
            *slot = b;
        }
        let (lat, lon) = point.map_or((f32::NAN, f32::NAN), |(a, o)| (a as f32, o as f32));
        Place {
            geonames,
            lat,
            lon,
            population: population.min(u32::MAX as u64) as u32,
            country: cc,
            kind,
            name_off: name_span.0,
            name_len: name_span.1,
            admin1: a1,
        }
    }
}

/// One look-up result: which place, and through which form of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub place: u32,
    pub form: Form,
}

/// The decoded gazetteer.
pub struct Gazetteer {
    names: fst::Map<Vec<u8>>,
    postings: Vec<u32>,
    places: Vec<Place>,
    strings: Vec<u8>,
}

static EMBEDDED: &[u8] = include_bytes!("../data/gazetteer.bin.gz");
static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The embedded gazetteer, decompressed on first use. An absent or damaged artifact gives an
    /// empty gazetteer (every place stays unresolved) rather than a panic.
    pub fn get() -> &'static Gazetteer {
        GAZETTEER.get_or_init(|| {
            Gazetteer::from_compressed(EMBEDDED).unwrap_or_else(|_| Gazetteer::empty())
        })
    }

    /// Size of the compressed artifact inside the binary, in bytes.
    pub fn embedded_bytes() -> usize {
        EMBEDDED.len()
    }

    pub fn empty() -> Gazetteer {
        Gazetteer {
            names: fst::Map::default(),
            postings: Vec::new(),
            places: Vec::new(),
            strings: Vec::new(),
        }
    }

    /// Decodes a gzip-compressed artifact.
    pub fn from_compressed(bytes: &[u8]) -> Result<Gazetteer, String> {
        use std::io::Read;
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| format!("gazetteer: cannot decompress: {e}"))?;
        Gazetteer::from_bytes(&raw)
    }

    /// Decodes an uncompressed artifact.
    pub fn from_bytes(raw: &[u8]) -> Result<Gazetteer, String> {
        let bad = |what: &str| format!("gazetteer: damaged artifact ({what})");
        if raw.len() < 8 || &raw[..4] != MAGIC {
            return Err(bad("magic"));
        }
        if raw[4..8] != VERSION.to_le_bytes() {
            return Err(bad("version"));
        }
        let mut at = 8usize;
        let mut section = || -> Result<&[u8], String> {
            let len_bytes = raw.get(at..at + 8).ok_or_else(|| bad("length"))?;
            let mut l = [0u8; 8];
            l.copy_from_slice(len_bytes);
            let len = u64::from_le_bytes(l) as usize;
            let body = raw
                .get(at + 8..(at + 8).saturating_add(len))
                .ok_or_else(|| bad("section"))?;
            at += 8 + len;
            Ok(body)
        };
        let fst_bytes = section()?.to_vec();
        let postings: Vec<u32> = section()?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let places: Vec<Place> = section()?
            .chunks_exact(RECORD_BYTES)
            .map(Place::from_bytes)
            .collect();
        let strings = section()?.to_vec();
        let names = fst::Map::new(fst_bytes).map_err(|e| format!("gazetteer: {e}"))?;
        let g = Gazetteer {
            names,
            postings,
            places,
            strings,
        };
        // Hits and postings offsets are checked at look-up (a damaged file finds nothing
        // rather than panicking); names are checked here, once.
        for p in &g.places {
            let end = p.name_off as usize + p.name_len as usize;
            if end > g.strings.len()
                || std::str::from_utf8(&g.strings[p.name_off as usize..end]).is_err()
            {
                return Err(bad("names"));
            }
        }
        Ok(g)
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Number of distinct name keys.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    pub fn place(&self, index: u32) -> &Place {
        &self.places[index as usize]
    }

    /// The display name of a place (its GeoNames or CLDR name).
    pub fn name_of(&self, place: &Place) -> &str {
        let start = place.name_off as usize;
        let end = start + place.name_len as usize;
        std::str::from_utf8(&self.strings[start..end]).unwrap_or("")
    }

    /// Hits for an already normalised key.
    pub fn lookup_key(&self, key: &str) -> impl Iterator<Item = Hit> + '_ {
        let list: &[u32] = self
            .names
            .get(key)
            .and_then(|off| {
                let off = off as usize;
                let n = *self.postings.get(off)? as usize;
                self.postings.get(off + 1..off + 1 + n)
            })
            .unwrap_or(&[]);
        let n_places = self.places.len() as u32;
        list.iter()
            .filter(move |&&h| h >> 2 < n_places)
            .map(|&h| Hit {
                place: h >> 2,
                form: Form::from_bits(h),
            })
    }

    /// Hits for a name as written in a text. A German genitive that the compiled forms do not
    /// cover ("Kasans") is tried without its `-s`.
    pub fn lookup(&self, name: &str) -> Vec<Hit> {
        let key = normalize(name);
        if key.is_empty() {
            return Vec::new();
        }
        let hits: Vec<Hit> = self.lookup_key(&key).collect();
        if !hits.is_empty() {
            return hits;
        }
        if key.len() > 4 && key.ends_with('s') {
            return self
                .lookup_key(&key[..key.len() - 1])
                .filter(|h| h.form != Form::Adjective)
                .map(|h| Hit {
                    form: Form::Genitive,
                    ..h
                })
                .collect();
        }
        Vec::new()
    }

    /// The country entry for an ISO code, if the gazetteer has one.
    pub fn country(&self, iso2: &str) -> Option<u32> {
        let key = format!("\u{1}{}", iso2.to_ascii_lowercase());
        self.lookup_key(&key).next().map(|h| h.place)
    }
}
