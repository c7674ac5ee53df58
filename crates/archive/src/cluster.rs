//! Streaming story clustering: a new report joins the most similar open story or starts one.
//!
//! The approach of Miranda et al. (2018) and EMM's NewsBrief, reduced to what the reports give:
//! a story is a centroid of TF-IDF term weights (one per language it is told in), a centroid of
//! name features (GeoNames ids of places, folded name tokens of persons and organisations,
//! which are shared across languages) and the span of its sure dates. A report's similarity to a
//! story combines the two cosines; a report whose sure date lies outside the story's time window
//! does not join it. Across languages only the names count, with a higher bar.

use crate::record::Prepared;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How far (days) a sure date may lie outside a story's dates and still join it.
pub const WINDOW_DAYS: i64 = 3;
/// The bar a report's similarity must reach to join a story told in its language ...
pub const JOIN: f32 = 0.30;
/// ... and to join a story told only in other languages (names alone).
pub const JOIN_CROSS: f32 = 0.40;
/// The weight of text similarity against name similarity within a language.
pub const TEXT_WEIGHT: f32 = 0.7;
/// Terms kept per centroid (bounded memory and store size per story).
pub const CENTROID_TERMS: usize = 300;

/// The clustering's tunable bars (defaults: the constants above, tuned on the dev set).
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub join: f32,
    pub join_cross: f32,
    pub text_weight: f32,
    pub window_days: i64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            join: JOIN,
            join_cross: JOIN_CROSS,
            text_weight: TEXT_WEIGHT,
            window_days: WINDOW_DAYS,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Story {
    pub id: i64,
    pub size: usize,
    pub first_doc: String,
    /// Sure dates only, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Per language: the sum of its members' normalised TF-IDF vectors.
    pub terms: HashMap<String, HashMap<String, f32>>,
    pub names: HashMap<String, f32>,
    pub langs: Vec<String>,
}

/// Document frequencies for the TF-IDF weights, as the store keeps them.
pub trait Frequencies {
    fn docs(&self) -> u64;
    fn df(&self, term: &str) -> u64;
}

fn idf(f: &dyn Frequencies, term: &str) -> f32 {
    let n = f.docs() as f32;
    ((n + 20.0) / (f.df(term) as f32 + 1.0)).ln().max(0.0)
}

/// A normalised TF-IDF vector.
pub fn weigh(counts: &HashMap<String, f32>, f: &dyn Frequencies) -> HashMap<String, f32> {
    let mut v: HashMap<String, f32> = counts
        .iter()
        .map(|(t, &c)| (t.clone(), (1.0 + c.ln()) * idf(f, t)))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    normalise(&mut v);
    v
}

fn normalise(v: &mut HashMap<String, f32>) {
    let norm = v.values().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|w| *w /= norm);
    }
}

pub fn cosine(a: &HashMap<String, f32>, b: &HashMap<String, f32>) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(t, w)| large.get(t).map(|v| w * v))
        .sum();
    let nb = large.values().map(|w| w * w).sum::<f32>().sqrt();
    let na = small.values().map(|w| w * w).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// Days between two `YYYY-MM-DD` dates (civil, proleptic Gregorian).
pub fn day_number(date: &str) -> Option<i64> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The features of one report against which stories are scored.
pub struct Features {
    pub lang: String,
    pub date: Option<String>,
    pub terms: HashMap<String, f32>,
    pub names: HashMap<String, f32>,
}

impl Features {
    pub fn new(p: &Prepared, f: &dyn Frequencies) -> Features {
        Features {
            lang: p.lang.clone(),
            date: p.date_sure.then(|| p.published.clone()).flatten(),
            terms: weigh(&p.terms, f),
            names: weigh(&p.names, f),
        }
    }
}

impl Story {
    /// Whether a report of `date` lies inside this story's time window.
    pub fn in_window(&self, date: Option<&str>, window: i64) -> bool {
        let (Some(d), Some(first), Some(last)) = (
            date.and_then(day_number),
            self.first_date.as_deref().and_then(day_number),
            self.last_date.as_deref().and_then(day_number),
        ) else {
            return true;
        };
        d >= first - window && d <= last + window
    }

    /// The similarity of a report to this story, and whether it passes the bar.
    pub fn score(&self, f: &Features, p: &Params) -> (f32, bool) {
        if !self.in_window(f.date.as_deref(), p.window_days) {
            return (0.0, false);
        }
        let names = cosine(&f.names, &self.names);
        match self.terms.get(&f.lang) {
            Some(centroid) => {
                let text = cosine(&f.terms, centroid);
                let s = p.text_weight * text + (1.0 - p.text_weight) * names;
                (s, s >= p.join)
            }
            None => (names, names >= p.join_cross),
        }
    }

    pub fn new(id: i64, first_doc: &str) -> Story {
        Story {
            id,
            first_doc: first_doc.to_string(),
            ..Story::default()
        }
    }

    /// Adds a member to the centroids and the date span.
    pub fn add(&mut self, f: &Features) {
        self.size += 1;
        let centroid = self.terms.entry(f.lang.clone()).or_default();
        for (t, w) in &f.terms {
            *centroid.entry(t.clone()).or_default() += w;
        }
        truncate(centroid, CENTROID_TERMS);
        for (t, w) in &f.names {
            *self.names.entry(t.clone()).or_default() += w;
        }
        truncate(&mut self.names, CENTROID_TERMS);
        if !self.langs.contains(&f.lang) {
            self.langs.push(f.lang.clone());
        }
        if let Some(d) = &f.date {
            if self.first_date.as_ref().is_none_or(|x| d < x) {
                self.first_date = Some(d.clone());
            }
            if self.last_date.as_ref().is_none_or(|x| d > x) {
                self.last_date = Some(d.clone());
            }
        }
    }

    /// The keys under which the store finds this story as a candidate: its strongest names and
    /// terms.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = top(&self.names, 30);
        for centroid in self.terms.values() {
            keys.extend(top(centroid, 30));
        }
        keys
    }
}

/// The keys a report looks its candidate stories up by.
pub fn lookup_keys(f: &Features) -> Vec<String> {
    let mut keys = top(&f.names, 12);
    keys.extend(top(&f.terms, 12));
    keys
}

fn top(v: &HashMap<String, f32>, n: usize) -> Vec<String> {
    let mut items: Vec<(&String, &f32)> = v.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    items.into_iter().take(n).map(|(t, _)| t.clone()).collect()
}

fn truncate(v: &mut HashMap<String, f32>, n: usize) {
    if v.len() > n + n / 2 {
        let keep: std::collections::HashSet<String> = top(v, n).into_iter().collect();
        v.retain(|t, _| keep.contains(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
    }

    #[test]
    fn window_keeps_far_dates_out() {
        let mut s = Story::new(1, "a");
        s.first_date = Some("2023-06-24".into());
        s.last_date = Some("2023-06-25".into());
        assert!(s.in_window(Some("2023-06-27"), WINDOW_DAYS));
        assert!(!s.in_window(Some("2023-08-23"), WINDOW_DAYS));
        assert!(s.in_window(None, WINDOW_DAYS));
    }
}
