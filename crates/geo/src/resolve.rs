//! Resolution of place entities to one gazetteer entry each.
//!
//! Every name form of an entity (its name, aliases, German genitives, derived adjectives) gives
//! candidates. A candidate's score is a prior (countries over capitals over big cities, by
//! population) plus evidence from the document: the countries other places and adjectives
//! point to, containment ("X an der russischen Küste", "die russische Hafenstadt X", "X in Y"),
//! and nearby co-mentioned places. The best candidate wins only when it is strong enough and
//! clearly ahead of any rival more than 161 km away; otherwise the entity stays unresolved.

use crate::gazetteer::{Form, Gazetteer, Kind, Place};
use crate::lexicon::{lexicon, norm_word, regions, starts_with};
use crate::normalize::normalize;
use dossier_core::{Document, Geo};
use std::collections::HashMap;
use std::rc::Rc;

/// Minimum score to accept a place (a town of 10,000 named by its own name, with no context).
const MIN_SCORE: f32 = 5.0;
/// Minimum lead over the best rival that lies more than [`RIVAL_KM`] away.
const MIN_MARGIN: f32 = 1.0;
const RIVAL_KM: f64 = 161.0;
const COUNTRY_BONUS: f32 = 2.5;
const CONTAINMENT_BONUS: f32 = 4.0;
const NEARBY_BONUS: f32 = 1.0;
const NEARBY_KM: f64 = 300.0;
/// Home countries of a language's press, a weak prior for small ambiguous towns.
const HOME_BONUS: f32 = 0.5;

/// A word of the text: byte range and normalised form.
///
/// The form is shared between the occurrences of one word: a text of millions of words holds
/// one string per distinct word, not one per occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub norm: Rc<str>,
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.norm
    }
}

/// Splits text into words (letters and digits with inner `-`, `.`, `'`, and digit-group
/// separators) and single punctuation tokens `,` `(` `)`.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut forms: HashMap<&str, Rc<str>> = HashMap::new();
    let mut form_of = |raw| -> Rc<str> {
        forms
            .entry(raw)
            .or_insert_with(|| Rc::from(norm_word(raw)))
            .clone()
    };
    let bytes = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    chars.next();
                    continue;
                }
                let inner = matches!(d, '-' | '.' | '\'' | '’' | ',' | '\u{2011}');
                let next_alnum = text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_alphanumeric());
                let comma_ok = d != ','
                    || (bytes[j - 1].is_ascii_digit()
                        && bytes.get(j + 1).is_some_and(|b| b.is_ascii_digit()));
                if inner && next_alnum && comma_ok {
                    chars.next();
                    continue;
                }
                break;
            }
            let raw = &text[i..end];
            out.push(Word {
                start: i,
                end,
                norm: form_of(raw),
            });
        } else if matches!(c, ',' | '(' | ')') {
            out.push(Word {
                start: i,
                end: i + 1,
                norm: form_of(&text[i..i + 1]),
            });
        }
    }
    out
}

/// The outcome for one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// Index of the place in the gazetteer.
    pub place: u32,
    pub score: f32,
}

/// What resolution found for each entity of a document (same order as `doc.entities`).
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub places: Vec<Option<Resolved>>,
    /// For entities naming a region that is not one point: the countries it lies in.
    pub regions: Vec<Option<Vec<String>>>,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    place: u32,
    form: Form,
}

fn prior(p: &Place, form: Form) -> f32 {
    let pop = (p.population as f32 + 1.0).log10();
    let kind = match p.kind {
        Kind::Country => 9.0,
        Kind::Continent => 8.0,
        Kind::Region => 6.5,
        Kind::Capital => 6.0 + 0.3 * pop,
        Kind::City => pop,
    };
    let form = match form {
        Form::Name => 1.0,
        Form::Alternate => 0.0,
        Form::Genitive => -0.3,
        Form::Adjective => 0.0,
    };
    kind + form
}

/// Great-circle distance in kilometres (haversine, mean earth radius 6371.0088 km).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

pub(crate) fn place_km(a: &Place, b: &Place) -> f64 {
    if !a.has_point() || !b.has_point() {
        return f64::INFINITY;
    }
    haversine_km(a.lat as f64, a.lon as f64, b.lat as f64, b.lon as f64)
}

/// Whether a place is a point a reader would put a pin on (a city, not a country).
pub(crate) fn is_settlement(p: &Place) -> bool {
    matches!(p.kind, Kind::City | Kind::Capital)
}

/// Candidates for one name as written, with a fallback that drops leading words
/// ("Hafenstadt Wladiwostok" → "Wladiwostok").
fn candidates_for(g: &Gazetteer, form: &str, derived: bool) -> Vec<Candidate> {
    let mut hits = g.lookup(form);
    if hits.is_empty() {
        let parts: Vec<&str> = form.split_whitespace().collect();
        for k in 1..parts.len() {
            // Only capitalised descriptors may go ("Kreis", "Hafenstadt"): dropping "unter
            // den" from a street name would leave a different place.
            if !parts[k - 1].chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            hits = g.lookup(&parts[k..].join(" "));
            if !hits.is_empty() {
                break;
            }
        }
    }
    hits.into_iter()
        // An adjective only names its country when the mention is used as one.
        .filter(|h| derived || h.form != Form::Adjective || form.contains(' '))
        .map(|h| Candidate {
            place: h.place,
            form: h.form,
        })
        .collect()
}

/// Resolves the place entities of a document; a pure function of its text and entities.
pub fn resolve(doc: &Document) -> Resolution {
    resolve_with(Gazetteer::get(), doc)
}

pub fn resolve_with(g: &Gazetteer, doc: &Document) -> Resolution {
    let n = doc.entities.len();
    let mut out = Resolution {
        places: vec![None; n],
        regions: vec![None; n],
    };
    if g.is_empty() {
        return out;
    }
    let lex = lexicon(&doc.language);
    let region_table = regions();

    // Candidates per place entity.
    let mut cands: Vec<Vec<Candidate>> = vec![Vec::new(); n];
    for (i, e) in doc.entities.iter().enumerate() {
        if e.kind != "LOC" {
            continue;
        }
        let forms = std::iter::once((e.name.as_str(), false)).chain(
            e.mentions
                .iter()
                .filter(|m| m.kind != "title")
                .map(|m| (m.text.as_str(), m.kind == "derived")),
        );
        let mut best: HashMap<u32, Form> = HashMap::new();
        for (form, derived) in forms {
            if let Some(countries) = region_table.get(&normalize(form)) {
                out.regions[i] = Some(countries.clone());
                continue;
            }
            for c in candidates_for(g, form, derived) {
                let slot = best.entry(c.place).or_insert(c.form);
                if (c.form as u8) < (*slot as u8) {
                    *slot = c.form;
                }
            }
        }
        if out.regions[i].is_some() {
            continue;
        }
        let mut list: Vec<Candidate> = best
            .into_iter()
            .map(|(place, form)| Candidate { place, form })
            .collect();
        list.sort_by_key(|c| c.place);
        cands[i] = list;
    }

    // Pass 1: anchors, the entities whose reading is clear from priors alone.
    let mut anchors: Vec<Option<u32>> = vec![None; n];
    for i in 0..n {
        if let Some((best, _, margin)) = pick(g, &cands[i], |c| prior(g.place(c.place), c.form)) {
            let p = g.place(best);
            let clear = margin >= 2.0 || matches!(p.kind, Kind::Country | Kind::Continent);
            if clear {
                anchors[i] = Some(best);
            }
        }
    }
    // Country evidence per entity: anchors count 1, regions split 1 over their countries.
    let mut evidence: Vec<(usize, String, f32)> = Vec::new();
    for (i, anchor) in anchors.iter().enumerate() {
        if let Some(a) = anchor {
            if let Some(cc) = g.place(*a).country_code() {
                evidence.push((i, cc.to_string(), 1.0));
            }
        }
        if let Some(countries) = &out.regions[i] {
            let w = 1.0 / countries.len().max(1) as f32;
            evidence.extend(countries.iter().map(|c| (i, c.clone(), w)));
        }
    }

    // Containment: what each entity is said to lie in.
    let text_words = words(&doc.text);
    let containers = containment(g, doc, &text_words, lex, &anchors, &out.regions);

    let home: &[&str] = match doc.language.as_str() {
        "de" => &["DE", "AT", "CH"],
        _ => &[],
    };

    // Country weights over the whole document; each entity then discounts its own share, so
    // the cost stays linear in the number of entities.
    let mut total_weight: HashMap<&str, f32> = HashMap::new();
    let mut own: Vec<Vec<(&str, f32)>> = vec![Vec::new(); n];
    for (j, cc, w) in &evidence {
        *total_weight.entry(cc.as_str()).or_default() += w;
        own[*j].push((cc.as_str(), *w));
    }
    // Settlement anchors on a grid of 3° cells, for the co-mention check.
    let mut grid: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for a in anchors.iter().flatten() {
        let q = g.place(*a);
        if is_settlement(q) && q.has_point() && seen.insert(*a) {
            grid.entry(cell(q)).or_default().push(*a);
        }
    }

    // Pass 2: full scores.
    for i in 0..n {
        if cands[i].is_empty() {
            continue;
        }
        let mut country_weight = total_weight.clone();
        for (cc, w) in &own[i] {
            if let Some(t) = country_weight.get_mut(cc) {
                *t -= w;
            }
        }
        let score = |c: &Candidate| -> f32 {
            let p = g.place(c.place);
            let mut s = prior(p, c.form);
            if let Some(cc) = p.country_code() {
                let w = country_weight.get(cc).copied().unwrap_or(0.0);
                s += COUNTRY_BONUS * w.min(1.0);
                s += containers[i]
                    .iter()
                    .map(|k| k.bonus(g, p, cc))
                    .fold(0.0, f32::max);
                if home.contains(&cc) {
                    s += HOME_BONUS;
                }
            }
            if is_settlement(p) && p.has_point() {
                let (la, lo) = cell(p);
                let near = (-1..=1).any(|dy| {
                    (-2..=2).any(|dx| {
                        grid.get(&(la + dy, lo + dx)).is_some_and(|qs| {
                            qs.iter().any(|&q| {
                                q != c.place
                                    && Some(q) != anchors[i]
                                    && place_km(p, g.place(q)) <= NEARBY_KM
                            })
                        })
                    })
                });
                if near {
                    s += NEARBY_BONUS;
                }
            }
            s
        };
        if let Some((best, score, margin)) = pick(g, &cands[i], score) {
            if score >= MIN_SCORE && margin >= MIN_MARGIN && g.place(best).has_point() {
                out.places[i] = Some(Resolved { place: best, score });
            }
        }
    }
    out
}

/// The 3° grid cell of a place, for finding co-mentioned places nearby.
fn cell(p: &Place) -> (i32, i32) {
    ((p.lat / 3.0).floor() as i32, (p.lon / 3.0).floor() as i32)
}

/// The best candidate, its score, and its lead over the best rival more than [`RIVAL_KM`] away
/// (rivals nearer than that are the same place for a reader, e.g. a city and its district).
fn pick(
    g: &Gazetteer,
    cands: &[Candidate],
    score: impl Fn(&Candidate) -> f32,
) -> Option<(u32, f32, f32)> {
    let scored: Vec<(u32, f32)> = cands.iter().map(|c| (c.place, score(c))).collect();
    let &(best, best_score) = scored
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    let bp = g.place(best);
    let rival = scored
        .iter()
        .filter(|(p, _)| *p != best)
        .filter(|(p, _)| place_km(bp, g.place(*p)) > RIVAL_KM)
        .map(|&(_, s)| s)
        .fold(f32::NEG_INFINITY, f32::max);
    Some((best, best_score, best_score - rival))
}

/// What a place is said to lie in.
#[derive(Debug, Clone, PartialEq)]
enum Container {
    Country(String),
    /// A first-level division: country and admin1 code.
    Admin1(String, String),
    /// Another place, for "X bei Y", "X, Y".
    Near(u32),
}

impl Container {
    fn bonus(&self, g: &Gazetteer, p: &Place, cc: &str) -> f32 {
        match self {
            Container::Country(c) if c == cc => CONTAINMENT_BONUS,
            Container::Admin1(c, a) if c == cc && a == p.admin1() => CONTAINMENT_BONUS,
            Container::Admin1(c, _) if c == cc => CONTAINMENT_BONUS / 4.0,
            Container::Near(q) if *q != u32::MAX && place_km(p, g.place(*q)) <= 100.0 => {
                CONTAINMENT_BONUS * 0.75
            }
            _ => 0.0,
        }
    }
}

/// For each entity, what its mentions are said to lie in: "X in Y", "X an der russischen
/// Küste", "X, Y", and a country adjective or genitive just before the name ("die russische
/// Hafenstadt X", "Russlands Hafenstadt X").
fn containment(
    g: &Gazetteer,
    doc: &Document,
    text_words: &[Word],
    lex: &crate::lexicon::Lexicon,
    anchors: &[Option<u32>],
    regions: &[Option<Vec<String>>],
) -> Vec<Vec<Container>> {
    let n = doc.entities.len();
    let mut out: Vec<Vec<Container>> = vec![Vec::new(); n];
    // Which entity's mention starts at a byte offset.
    let mut starts: HashMap<usize, usize> = HashMap::new();
    for (i, e) in doc.entities.iter().enumerate() {
        for m in &e.mentions {
            starts.insert(doc.byte_range(m.span).start, i);
        }
    }
    let container_of = |j: usize| -> Option<Container> {
        if let Some(r) = &regions[j] {
            return (r.len() == 1).then(|| Container::Country(r[0].clone()));
        }
        let a = anchors[j]?;
        let p = g.place(a);
        let cc = p.country_code()?.to_string();
        Some(match p.kind {
            Kind::Country => Container::Country(cc),
            Kind::Region => Container::Admin1(cc, p.admin1().to_string()),
            Kind::City | Kind::Capital => Container::Near(a),
            Kind::Continent => return None,
        })
    };
    // A word that names a country by itself: an adjective or a genitive of its name.
    let country_word = |w: &Word, genitive_ok: bool| -> Option<String> {
        g.lookup_key(&w.norm)
            .filter(|h| h.form == Form::Adjective || (genitive_ok && h.form == Form::Genitive))
            .map(|h| g.place(h.place))
            .find(|p| p.kind == Kind::Country)
            .and_then(|p| p.country_code().map(str::to_string))
    };
    let word_at = |byte: usize| text_words.binary_search_by_key(&byte, |w| w.start).ok();
    for (i, e) in doc.entities.iter().enumerate() {
        if e.kind != "LOC" {
            continue;
        }
        for m in &e.mentions {
            if m.kind == "derived" {
                continue;
            }
            let range = doc.byte_range(m.span);
            // After: "<X> <cue> [article] <Y>".
            let after = text_words.partition_point(|w| w.start < range.end);
            for cue in &lex.containment_after {
                if !starts_with(text_words, after, cue) {
                    continue;
                }
                let mut k = after + cue.len();
                if k < text_words.len() && lex.articles.iter().any(|a| **a == *text_words[k].norm) {
                    k += 1;
                }
                let Some(w) = text_words.get(k) else { break };
                if let Some(&j) = starts.get(&w.start) {
                    if j != i {
                        out[i].extend(container_of(j));
                    }
                }
                if let Some(cc) = country_word(w, false) {
                    out[i].push(Container::Country(cc));
                }
                break;
            }
            // Before: "<adjective|genitive> [Noun] <X>".
            if let Some(first) = word_at(range.start) {
                for back in 1..=2usize {
                    let Some(k) = first.checked_sub(back) else {
                        break;
                    };
                    let w = &text_words[k];
                    if let Some(cc) = country_word(w, true) {
                        out[i].push(Container::Country(cc));
                        break;
                    }
                    // Only a capitalised noun ("Hafenstadt") may stand between.
                    let raw = &doc.text[w.start..w.end];
                    if !raw.chars().next().is_some_and(char::is_uppercase) {
                        break;
                    }
                }
            }
        }
        out[i].dedup();
    }
    out
}

/// The `geo` field for a resolved place.
pub fn geo_of(g: &Gazetteer, place: u32) -> Option<Geo> {
    let p = g.place(place);
    if !p.has_point() {
        return None;
    }
    let round = |x: f32| ((x as f64) * 1e5).round() / 1e5;
    Some(Geo {
        lat: round(p.lat),
        lon: round(p.lon),
        country: p.country_code().map(str::to_string),
        geonames: Some(p.geonames as u64),
        feature_class: Some(p.kind.feature_class().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::{Entity, Mention};

    /// A document with the given text and place entities, each given as (name, mentions);
    /// a mention is (text, kind) and is found in the text in order.
    pub(crate) fn doc_with(text: &str, lang: &str, places: &[(&str, &[(&str, &str)])]) -> Document {
        let mut doc = Document::from_paragraphs("t", lang, vec![text.to_string()]);
        let mut from = 0usize;
        let mut found: Vec<(usize, Entity)> = Vec::new();
        for (k, (name, mentions)) in places.iter().enumerate() {
            let mut e = Entity {
                id: format!("E{}", k + 1),
                kind: "LOC".into(),
                name: name.to_string(),
                mentions: Vec::new(),
                geo: None,
                confidence: None,
            };
            let mut first = usize::MAX;
            for (m, kind) in mentions.iter() {
                let b = doc.text[from..].find(m).map(|i| i + from).unwrap_or(0);
                from = b + m.len();
                first = first.min(b);
                e.mentions.push(Mention {
                    span: doc.span_of_bytes(b, b + m.len()),
                    text: m.to_string(),
                    kind: kind.to_string(),
                });
            }
            found.push((first, e));
        }
        doc.entities = found.into_iter().map(|(_, e)| e).collect();
        doc.sentences = vec![[0, doc.len_chars()]];
        doc.validate_spans().expect("test spans");
        doc
    }

    fn resolved(doc: &Document) -> Vec<Option<(String, String)>> {
        let g = Gazetteer::get();
        resolve(doc)
            .places
            .iter()
            .map(|r| {
                r.as_ref().map(|r| {
                    let p = g.place(r.place);
                    (
                        g.name_of(p).to_string(),
                        p.country_code().unwrap_or("-").to_string(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn haversine_matches_known_distances() {
        // Berlin–Munich is about 504 km great-circle.
        let d = haversine_km(52.52, 13.405, 48.137, 11.575);
        assert!((d - 504.0).abs() < 5.0, "{d}");
        assert_eq!(haversine_km(10.0, 20.0, 10.0, 20.0), 0.0);
        // Antipodes: half the circumference.
        let d = haversine_km(0.0, 0.0, 0.0, 180.0);
        assert!((d - 20015.1).abs() < 1.0, "{d}");
    }

    #[test]
    fn repeated_words_share_one_form() {
        let ws = words("Wien und Wien und Wien");
        assert_eq!(ws.len(), 5);
        assert!(Rc::ptr_eq(&ws[0].norm, &ws[2].norm) && Rc::ptr_eq(&ws[0].norm, &ws[4].norm));
        assert!(!Rc::ptr_eq(&ws[0].norm, &ws[1].norm));
    }

    #[test]
    fn tokenizer_keeps_numbers_and_hyphens() {
        let w: Vec<String> = words("Rund 1.200 km, US-amerikanische (Basis)")
            .into_iter()
            .map(|w| w.norm.to_string())
            .collect();
        assert_eq!(
            w,
            [
                "rund",
                "1.200",
                "km",
                ",",
                "us-amerikanische",
                "(",
                "basis",
                ")"
            ]
        );
    }

    #[test]
    fn resolves_cities_countries_and_adjectives() {
        if Gazetteer::get().is_empty() {
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("skipped: no gazetteer artifact\n"),
            );
            return;
        }
        let doc = doc_with(
            "Der Gipfel in Wien endete ohne Einigung. Die österreichische Regierung und Vertreter aus Kanada sprachen danach in Ottawa.",
            "de",
            &[
                ("Wien", &[("Wien", "name")]),
                ("Österreich", &[("österreichische", "derived")]),
                ("Kanada", &[("Kanada", "name")]),
                ("Ottawa", &[("Ottawa", "name")]),
            ],
        );
        let r = resolved(&doc);
        assert_eq!(r[0].as_ref().map(|x| x.1.as_str()), Some("AT"));
        assert_eq!(r[1].as_ref().map(|x| x.1.as_str()), Some("AT"));
        assert_eq!(r[2].as_ref().map(|x| x.1.as_str()), Some("CA"));
        assert_eq!(r[3].as_ref().map(|x| x.1.as_str()), Some("CA"));
    }

    #[test]
    fn containment_picks_the_country_named_next_to_the_place() {
        if Gazetteer::get().is_empty() {
            return;
        }
        // Without context, "Paris" is Paris, France.
        let doc = doc_with(
            "Die Messe in Paris zog viele Besucher an.",
            "de",
            &[("Paris", &[("Paris", "name")])],
        );
        assert_eq!(resolved(&doc)[0].as_ref().map(|x| x.1.as_str()), Some("FR"));
        let doc = doc_with(
            "Die Fabrik in Paris, Texas, schließt. Die Stadt in den USA hat 25.000 Einwohner.",
            "de",
            &[
                ("Paris", &[("Paris", "name")]),
                ("Texas", &[("Texas", "name")]),
                ("USA", &[("USA", "name")]),
            ],
        );
        assert_eq!(resolved(&doc)[0].as_ref().map(|x| x.1.as_str()), Some("US"));
        let doc = doc_with(
            "Das Schiff lief in der kanadischen Hafenstadt Halifax ein.",
            "de",
            &[("Halifax", &[("Halifax", "name")])],
        );
        assert_eq!(resolved(&doc)[0].as_ref().map(|x| x.1.as_str()), Some("CA"));
    }

    #[test]
    fn refuses_weak_evidence_and_regions() {
        if Gazetteer::get().is_empty() {
            return;
        }
        let doc = doc_with(
            "Auf dem Balkan und an der Nordseeküste regnete es, auch in Neustadt.",
            "de",
            &[
                ("Balkan", &[("Balkan", "name")]),
                ("Nordseeküste", &[("Nordseeküste", "name")]),
                ("Neustadt", &[("Neustadt", "name")]),
            ],
        );
        let res = resolve(&doc);
        assert!(res.places.iter().all(Option::is_none), "{:?}", res.places);
        assert!(res.regions[0]
            .as_ref()
            .is_some_and(|r| r.contains(&"RS".to_string())));
    }
}
