//! Distance statements ("Die beiden Städte liegen Luftlinie rund 690 Kilometer voneinander
//! entfernt", "X is about 300 miles from Y") checked against the great-circle distance of the
//! two places they name.
//!
//! Tolerance follows the statement's own precision. The rounding unit of a number is the power
//! of ten its trailing zeros show (690 → 10, 700 → 100, 684 → 1, 1,5 → 0.1). Then, with
//! `c` the claimed and `d` the computed distance in km and `u` the rounding unit in km:
//! - no hedge: `|d − c| ≤ max(2 % of c, u/2)`;
//! - approx ("rund", "etwa", "about"): `|d − c| ≤ max(10 % of c, u)`;
//! - above ("mehr als", "more than"): `d ≥ c − 2 %`;
//! - above-approx ("gut", "just over"): `c − 2 % ≤ d ≤ c + max(15 %, u)`;
//! - below ("knapp", "nearly"): `c − max(15 %, u) ≤ d ≤ c + 2 %`;
//! - under ("weniger als", "less than"): `d ≤ c + 2 %`.
//!
//! Every bound gets [`POINT_SLACK_KM`] more, since a place is one point (its centre) and a
//! writer may measure from its edge. A statement that does not say it is a straight-line
//! distance ("Luftlinie", "as the crow flies") and claims up to 1.6 times the great-circle
//! distance may be a road distance: its verdict is `unknown`, not `inconsistent`.

use crate::gazetteer::Gazetteer;
use crate::lexicon::{lexicon, starts_with, Hedge, Lexicon};
use crate::resolve::{is_settlement, place_km, words, Resolution, Word};
use dossier_core::{Check, Document};
use serde_json::{json, Map, Value};

/// Extra tolerance for places being single points.
pub const POINT_SLACK_KM: f64 = 3.0;
/// Road distances run up to this factor over the great-circle distance.
const ROAD_FACTOR: f64 = 1.6;

/// A distance stated in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Byte range of "hedge number unit" in the text.
    pub start: usize,
    pub end: usize,
    pub number: f64,
    pub km_per_unit: f64,
    /// The rounding unit of the number, in the stated unit.
    pub rounding: f64,
    pub hedge: Hedge,
    /// The sentence says the distance is a straight line.
    pub great_circle: bool,
    /// The sentence refers to "the two cities" instead of naming them.
    pub pair_anaphora: bool,
    /// Byte range of the sentence.
    pub sentence: (usize, usize),
}

impl Statement {
    pub fn claimed_km(&self) -> f64 {
        self.number * self.km_per_unit
    }
}

/// Parses a number as written in `lang`: German "1.200,5", English "1,200.5".
pub fn parse_number(raw: &str, lang: &str) -> Option<(f64, f64)> {
    if raw.is_empty() || !raw.chars().next()?.is_ascii_digit() {
        return None;
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let (group, decimal) = if lang == "de" { ('.', ',') } else { (',', '.') };
    let (int_part, frac_part) = match raw.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (raw, None),
    };
    // Group separators must split the integer into groups of three.
    let groups: Vec<&str> = int_part.split(group).collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    let frac = frac_part.unwrap_or("");
    if !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 6 {
        return None;
    }
    let value: f64 = if frac.is_empty() {
        digits.parse().ok()?
    } else {
        format!("{digits}.{frac}").parse().ok()?
    };
    let rounding = if !frac.is_empty() {
        10f64.powi(-(frac.len() as i32))
    } else {
        let zeros = digits.chars().rev().take_while(|&c| c == '0').count();
        let zeros = zeros.min(digits.len().saturating_sub(1));
        10f64.powi(zeros as i32)
    };
    Some((value, rounding))
}

fn any_phrase_in(words: &[Word], range: std::ops::Range<usize>, phrases: &[Vec<String>]) -> bool {
    range.clone().any(|k| {
        phrases
            .iter()
            .any(|p| k + p.len() <= range.end && starts_with(words, k, p))
    })
}

/// Finds the distance statements of a text, given its sentences as byte ranges.
pub fn find_statements(text: &str, sentences: &[(usize, usize)], lang: &str) -> Vec<Statement> {
    let lex = lexicon(lang);
    let ws = words(text);
    find_in_words(text, &ws, sentences, lang, lex)
}

fn find_in_words(
    text: &str,
    ws: &[Word],
    sentences: &[(usize, usize)],
    lang: &str,
    lex: &Lexicon,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for &(s0, s1) in sentences {
        let a = ws.partition_point(|w| w.start < s0);
        let b = ws.partition_point(|w| w.start < s1);
        if a >= b || !any_phrase_in(ws, a..b, &lex.distance_cues) {
            continue;
        }
        for k in a..b {
            let Some((number, rounding)) = parse_number(&text[ws[k].start..ws[k].end], lang) else {
                continue;
            };
            let Some((unit, km)) = lex
                .units
                .iter()
                .find(|(u, _)| k + 1 + u.len() <= b && starts_with(ws, k + 1, u))
            else {
                continue;
            };
            let unit_end = ws[k + unit.len()].end;
            let mut start = ws[k].start;
            let mut hedge = Hedge::Exact;
            for (phrase, h) in &lex.hedges {
                if k >= a + phrase.len() && starts_with(ws, k - phrase.len(), phrase) {
                    hedge = *h;
                    start = ws[k - phrase.len()].start;
                    break;
                }
            }
            out.push(Statement {
                start,
                end: unit_end,
                number,
                km_per_unit: *km,
                rounding,
                hedge,
                great_circle: any_phrase_in(ws, a..b, &lex.great_circle_cues),
                pair_anaphora: any_phrase_in(ws, a..b, &lex.pair_anaphora),
                sentence: (s0, s1),
            });
        }
    }
    out
}

/// The verdict on a claimed distance, and the tolerance applied (km).
pub fn judge(st: &Statement, computed_km: f64) -> (&'static str, f64) {
    let c = st.claimed_km();
    let u = st.rounding * st.km_per_unit;
    let slack = POINT_SLACK_KM;
    let (lo, hi) = match st.hedge {
        Hedge::Exact => {
            let t = (0.02 * c).max(u / 2.0);
            (c - t, c + t)
        }
        Hedge::Approx => {
            let t = (0.10 * c).max(u);
            (c - t, c + t)
        }
        Hedge::Above => (c * 0.98, f64::INFINITY),
        Hedge::AboveApprox => (c * 0.98, c + (0.15 * c).max(u)),
        Hedge::Below => (c - (0.15 * c).max(u), c * 1.02),
        Hedge::Under => (0.0, c * 1.02),
    };
    let (lo, hi) = (lo - slack, hi + slack);
    let tolerance = if hi.is_finite() {
        (hi - c).max(c - lo)
    } else {
        c - lo
    };
    if computed_km >= lo && computed_km <= hi {
        return ("consistent", tolerance);
    }
    if !st.great_circle && c > computed_km && c <= computed_km * ROAD_FACTOR + slack {
        return ("unknown", tolerance);
    }
    ("inconsistent", tolerance)
}

/// Adds a `distance` check for every distance statement of the document.
pub fn check_distances(g: &Gazetteer, doc: &mut Document, resolution: &Resolution) {
    let sentences: Vec<(usize, usize)> = if doc.sentences.is_empty() {
        vec![(0, doc.text.len())]
    } else {
        doc.sentences
            .iter()
            .map(|&s| {
                let r = doc.byte_range(s);
                (r.start, r.end)
            })
            .collect()
    };
    // Unknown language: try German and English cues (each with its own number format).
    let langs: &[&str] = match doc.language.as_str() {
        "de" => &["de"],
        "en" => &["en"],
        _ => &["de", "en"],
    };
    let mut found: Vec<Statement> = langs
        .iter()
        .flat_map(|lang| find_statements(&doc.text, &sentences, lang))
        .collect();
    found.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    // The same words read by both languages count once.
    let mut statements: Vec<Statement> = Vec::with_capacity(found.len());
    for st in found {
        if statements.last().is_none_or(|last| st.start >= last.end) {
            statements.push(st);
        }
    }
    if statements.is_empty() {
        return;
    }
    // Mentions of resolved settlements, in text order.
    let mut mentions: Vec<(usize, usize)> = Vec::new();
    for (i, e) in doc.entities.iter().enumerate() {
        let Some(r) = resolution.places.get(i).and_then(|r| r.as_ref()) else {
            continue;
        };
        if !is_settlement(g.place(r.place)) {
            continue;
        }
        for m in &e.mentions {
            if m.kind != "derived" {
                mentions.push((doc.byte_range(m.span).start, i));
            }
        }
    }
    mentions.sort();
    let mut checks = Vec::new();
    for st in statements {
        let (s0, s1) = st.sentence;
        let mut pair: Vec<usize> = Vec::new();
        let first = mentions.partition_point(|(b, _)| *b < s0);
        let last = mentions.partition_point(|(b, _)| *b < s1);
        for &(_, i) in &mentions[first..last] {
            if !pair.contains(&i) {
                pair.push(i);
            }
            if pair.len() == 2 {
                break;
            }
        }
        let mut inferred = false;
        if pair.len() < 2 && st.pair_anaphora {
            // A bounded look back keeps many statements on a long text linear.
            for &(_, i) in mentions[..first].iter().rev().take(200) {
                if !pair.contains(&i) {
                    pair.push(i);
                    inferred = true;
                }
                if pair.len() == 2 {
                    break;
                }
            }
        }
        let mut detail = Map::new();
        detail.insert("text".into(), json!(doc.text[st.start..st.end]));
        detail.insert("claimed_km".into(), json!(round1(st.claimed_km())));
        detail.insert("hedge".into(), json!(st.hedge.name()));
        detail.insert(
            "basis".into(),
            json!(if st.great_circle {
                "great-circle (stated)"
            } else {
                "unstated (great-circle assumed)"
            }),
        );
        let verdict = if pair.len() == 2 {
            let (a, b) = (pair[0], pair[1]);
            let pa = resolution.places[a].as_ref().map(|r| g.place(r.place));
            let pb = resolution.places[b].as_ref().map(|r| g.place(r.place));
            match (pa, pb) {
                (Some(pa), Some(pb)) => {
                    let d = place_km(pa, pb);
                    let (verdict, tol) = judge(&st, d);
                    detail.insert("computed_km".into(), json!(round1(d)));
                    detail.insert("tolerance_km".into(), json!(round1(tol)));
                    detail.insert("from".into(), json!(doc.entities[a].id));
                    detail.insert("to".into(), json!(doc.entities[b].id));
                    if inferred {
                        detail.insert("pair".into(), json!("the two most recently named places"));
                    }
                    verdict
                }
                _ => "unknown",
            }
        } else {
            "unknown"
        };
        for key in ["computed_km", "from", "to"] {
            detail.entry(key).or_insert(Value::Null);
        }
        checks.push(Check {
            kind: "distance".into(),
            span: doc.span_of_bytes(st.start, st.end),
            detail,
            verdict: verdict.into(),
        });
    }
    doc.checks.extend(checks);
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_language() {
        assert_eq!(parse_number("690", "de"), Some((690.0, 10.0)));
        assert_eq!(parse_number("1.200", "de"), Some((1200.0, 100.0)));
        assert_eq!(parse_number("1,5", "de"), Some((1.5, 0.1)));
        assert_eq!(parse_number("1,200", "en"), Some((1200.0, 100.0)));
        assert_eq!(parse_number("684", "en"), Some((684.0, 1.0)));
        assert_eq!(parse_number("0", "en"), Some((0.0, 1.0)));
        assert_eq!(parse_number("12.34.5", "de"), None);
        assert_eq!(parse_number("abc", "de"), None);
    }

    fn statements(text: &str, lang: &str) -> Vec<Statement> {
        find_statements(text, &[(0, text.len())], lang)
    }

    #[test]
    fn finds_german_statements_with_hedges() {
        let s = statements(
            "Beide Städte liegen Luftlinie rund 450 Kilometer voneinander entfernt.",
            "de",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].number, 450.0);
        assert_eq!(s[0].hedge, Hedge::Approx);
        assert!(s[0].great_circle && s[0].pair_anaphora);
        let s = statements("Bis zur Grenze sind es mehr als 1.200 km, sagte er.", "de");
        assert_eq!(s.len(), 0, "no distance cue in that sentence");
        let s = statements("Das Dorf liegt mehr als 1.200 km entfernt.", "de");
        assert_eq!(s[0].claimed_km(), 1200.0);
        assert_eq!(s[0].hedge, Hedge::Above);
    }

    #[test]
    fn finds_english_miles() {
        let s = statements("Leeds is about 170 miles from London.", "en");
        assert_eq!(s.len(), 1);
        assert!((s[0].claimed_km() - 273.6).abs() < 0.1);
        assert_eq!(s[0].hedge, Hedge::Approx);
        assert!(!s[0].great_circle);
    }

    #[test]
    fn tolerance_follows_rounding_and_hedge() {
        let mut st = statements("Sie liegen rund 690 Kilometer voneinander entfernt.", "de")
            .pop()
            .expect("a statement");
        assert_eq!(judge(&st, 684.0).0, "consistent");
        assert_eq!(judge(&st, 900.0).0, "inconsistent");
        st.hedge = Hedge::Exact;
        assert_eq!(judge(&st, 684.0).0, "consistent", "±2 % of 690 is 13.8 km");
        assert_eq!(judge(&st, 750.0).0, "inconsistent");
        assert_eq!(
            judge(&st, 640.0).0,
            "unknown",
            "shorter: may be a road distance"
        );
        st.hedge = Hedge::Above;
        assert_eq!(judge(&st, 2000.0).0, "consistent");
        assert_eq!(judge(&st, 300.0).0, "inconsistent");
        st.hedge = Hedge::Under;
        assert_eq!(judge(&st, 500.0).0, "consistent");
    }

    #[test]
    fn a_road_distance_is_unknown_not_wrong() {
        let st = statements("Die Orte liegen 600 Kilometer voneinander entfernt.", "de")
            .pop()
            .expect("a statement");
        assert_eq!(judge(&st, 450.0).0, "unknown");
        assert_eq!(judge(&st, 300.0).0, "inconsistent");
    }
}
