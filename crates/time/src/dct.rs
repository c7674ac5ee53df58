//! The document date from the text's own evidence, for pages that lost theirs.
//!
//! 1. The year: anniversaries counted from the event's year stated elsewhere ("70. Jahrestag des
//!    Endes des X" + "X … 1953" → 2023), weekday–date coincidences ("am 15. August" … "am
//!    Dienstag" → a year in which 15 August is a Tuesday), and the latest year told in the past.
//! 2. The day within that year: dated events told in the past bound it from below, planned ones
//!    from above; a weekday told in the past ("berichtete am Montag") means the report appeared
//!    within the week after it, most often the next day; a report is usually written shortly
//!    before the planned events it dates, while a full past date is usually older news (the events
//!    of the last days are named by weekday).
//!
//! Every step leaves a human-readable evidence line. Without a year, or without anything that
//! narrows the day to a few months, there is no guess.

use crate::{add_days, rules::Language, weekday_of, Mention, Tense, Val};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// An inferred document date.
#[derive(Debug, Clone, PartialEq)]
pub struct DctGuess {
    pub date: Date,
    pub evidence: Vec<String>,
    /// 0..1.
    pub confidence: f32,
}

fn quote(text: &str, m: &Mention) -> String {
    text[m.start..m.end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn weekday_name(n: i8) -> String {
    // jiff's English names serve as the report's (English) evidence language.
    let d = Date::new(2024, 1, n).ok(); // 2024-01-01 is a Monday
    d.map(|d| format!("{:?}", d.weekday())).unwrap_or_default()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}

#[derive(Default)]
struct Scores {
    score: BTreeMap<i32, f64>,
    evidence: BTreeMap<i32, Vec<String>>,
}

impl Scores {
    fn add(&mut self, year: i32, w: f64, why: String) {
        *self.score.entry(year).or_default() += w;
        let ev = self.evidence.entry(year).or_default();
        if !ev.contains(&why) {
            ev.push(why);
        }
    }
}

/// Date of a month/day in a year; month-precision dates give the first or last day.
fn date_in(y: i32, m: i8, d: Option<i8>, last: bool) -> Option<Date> {
    match d {
        Some(d) => Date::new(y as i16, m, d).ok(),
        None => {
            let first = Date::new(y as i16, m, 1).ok()?;
            if last {
                Some(first.last_of_month())
            } else {
                Some(first)
            }
        }
    }
}

pub(crate) fn infer(
    text: &str,
    folded: &str,
    sentences: &[(usize, usize)],
    mentions: &[Mention],
    lang: &Language,
) -> Option<DctGuess> {
    let mut years = Scores::default();
    // Explicit years, with the sentence they are told in.
    let explicit: Vec<(i32, &Mention)> = mentions
        .iter()
        .filter(|m| m.kind == "DATE")
        .filter_map(|m| match m.val {
            Val::Date { y: Some(y), .. } if (1000..=2100).contains(&y) => Some((y, m)),
            _ => None,
        })
        .collect();
    let latest_told = explicit
        .iter()
        .filter(|(_, m)| m.tense != Tense::Future)
        .max_by_key(|(y, _)| *y);
    if let Some((y, m)) = latest_told {
        years.add(
            *y,
            0.5,
            format!(
                "the latest year the text tells of is {y} (\"{}\")",
                quote(text, m)
            ),
        );
        years.add(
            *y + 1,
            0.3,
            format!("the latest year the text tells of is {y} (\"{}\"); a report may follow it by a year", quote(text, m)),
        );
    }
    let floor_year = latest_told.map(|(y, _)| *y);

    // Anniversaries: "N. Jahrestag des <event>" + a sentence that dates the event.
    for re in &lang.anniversary {
        for caps in re.captures_iter(folded) {
            let (Some(whole), Some(n)) = (caps.get(0), caps.name("N")) else {
                continue;
            };
            let Ok(n) = n.as_str().parse::<i32>() else {
                continue;
            };
            if !(1..=1000).contains(&n) {
                continue;
            }
            let (ws, we) = (
                crate::floor_boundary(text, whole.start()),
                crate::ceil_boundary(text, whole.end()),
            );
            let s = crate::sentence_of(sentences, ws);
            let send = sentences.get(s).map_or(text.len(), |x| x.1).max(we);
            let mut tail_end = crate::floor_boundary(text, (we + 80).min(send));
            if let Some(p) = text[we..tail_end].find(['.', ',', ';', ':', '(', '„', '"']) {
                tail_end = we + p;
            }
            let description = &text[we..tail_end];
            let desc_words = words(description);
            let ends = desc_words.iter().any(|w| lang.class_has("EVENT_END", w));
            let begins = desc_words.iter().any(|w| lang.class_has("EVENT_BEGIN", w));
            let content: Vec<&String> = desc_words
                .iter()
                .filter(|w| !lang.class_has("EVENT_END", w) && !lang.class_has("EVENT_BEGIN", w))
                .collect();
            if content.is_empty() {
                continue;
            }
            let cue = format!("{}{}", &text[ws..we], description)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            // Sentences that give years, grouped.
            let mut by_sentence: BTreeMap<usize, Vec<(i32, &Mention)>> = BTreeMap::new();
            for (y, m) in &explicit {
                by_sentence.entry(m.sentence).or_default().push((*y, m));
            }
            for (sent, ys) in by_sentence {
                let (ss, se) = sentences.get(sent).copied().unwrap_or((0, text.len()));
                let sw = words(&text[ss..se]);
                let overlap = content
                    .iter()
                    .filter(|c| {
                        sw.iter()
                            .any(|w| c.contains(w.as_str()) || w.contains(c.as_str()))
                    })
                    .count();
                if overlap == 0 {
                    continue;
                }
                let chosen: Vec<(i32, &Mention)> = if ends {
                    ys.iter()
                        .max_by_key(|(y, _)| *y)
                        .copied()
                        .into_iter()
                        .collect()
                } else if begins {
                    ys.iter()
                        .min_by_key(|(y, _)| *y)
                        .copied()
                        .into_iter()
                        .collect()
                } else {
                    ys.clone()
                };
                for (y, m) in chosen {
                    let year = y + n;
                    if floor_year.is_some_and(|f| year < f) {
                        continue;
                    }
                    years.add(
                        year,
                        1.0 + overlap as f64,
                        format!(
                            "\"{cue}\" counted from {y} (\"{}\"): {n} years later is {year}",
                            quote(text, m)
                        ),
                    );
                }
            }
        }
    }

    // Weekday–date coincidences: a day-month without a year, and a weekday in the same or next sentence.
    let pairs: Vec<(&Mention, &Mention, i8, i8, i8)> = mentions
        .iter()
        .filter(|d| !d.recurring)
        .filter_map(|d| match d.val {
            Val::Date {
                y: None,
                m: Some(mo),
                d: Some(dd),
                ..
            } => Some((d, mo, dd)),
            _ => None,
        })
        .flat_map(|(d, mo, dd)| {
            mentions
                .iter()
                .filter(move |w| {
                    w.start > d.start && (w.sentence == d.sentence || w.sentence == d.sentence + 1)
                })
                .filter_map(move |w| match w.val {
                    Val::Weekday { n, dir: 0 } => Some((d, w, mo, dd, n)),
                    _ => None,
                })
        })
        .collect();
    if let Some(floor) = floor_year {
        for (d, w, mo, dd, n) in &pairs {
            for y in floor - 1..=floor + 10 {
                if let Ok(date) = Date::new(y as i16, *mo, *dd) {
                    if weekday_of(date) == *n {
                        let w8 = (-((y - floor).max(0) as f64) / 5.0).exp();
                        years.add(
                            y,
                            w8,
                            format!(
                                "\"{}\" with \"{}\": {date} is a {}",
                                quote(text, d),
                                quote(text, w),
                                weekday_name(*n)
                            ),
                        );
                    }
                }
            }
        }
    }

    let total: f64 = years.score.values().sum();
    let (&year, &best) = years.score.iter().max_by(|a, b| {
        a.1.partial_cmp(b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.0.cmp(a.0))
    })?;
    let year_conf = if total > 0.0 { best / total } else { 0.0 };
    let mut evidence: Vec<String> = years.evidence.remove(&year).unwrap_or_default();
    // Keep the baseline line only when it is the only evidence.
    if evidence.len() > 1 {
        evidence.retain(|e| !e.contains("a report may follow"));
    }

    // Weekdays tied to a date of the chosen year are no evidence of the report's own week.
    let tied = |w: &Mention| {
        pairs.iter().any(|(d, ww, mo, dd, n)| {
            std::ptr::eq(*ww, w)
                && Date::new(year as i16, *mo, *dd).is_ok_and(|x| weekday_of(x) == *n)
                && d.start < w.start
        })
    };

    // Bounds on the day from dated events of that year.
    let mut lo = Date::new(year as i16, 1, 1).ok()?;
    let mut hi = Date::new(year as i16, 12, 31).ok()?;
    let mut bounded = false;
    let mut past_days: Vec<Date> = Vec::new();
    let mut future_days: Vec<Date> = Vec::new();
    let mut weak_hi: Vec<(Date, String)> = Vec::new();
    for m in mentions.iter().filter(|m| m.kind == "DATE" && !m.recurring) {
        let Val::Date {
            y, m: Some(mo), d, ..
        } = m.val
        else {
            continue;
        };
        if y.is_some_and(|y| y != year) {
            continue;
        }
        let q = quote(text, m);
        match m.tense {
            Tense::Past => {
                let from_end = m.modifier.as_deref() == Some("END");
                let Some(mut e) = date_in(year, mo, d, false) else {
                    continue;
                };
                if d.is_none() && from_end {
                    e = Date::new(year as i16, mo, 20).unwrap_or(e);
                }
                if d.is_some() {
                    past_days.push(e);
                }
                let bound = if d.is_some() {
                    add_days(e, 1).unwrap_or(e)
                } else {
                    e
                };
                if bound > lo {
                    lo = bound;
                    bounded = true;
                    evidence.push(format!(
                        "\"{q}\" ({}) is told in the past: the report is later",
                        crate::resolve::fmt_date(year, Some(mo), d, "")
                    ));
                }
            }
            Tense::Future => {
                let Some(e) = date_in(year, mo, d, true) else {
                    continue;
                };
                if d.is_some() {
                    future_days.push(e);
                }
                let bound = if d.is_some() {
                    add_days(e, -1).unwrap_or(e)
                } else {
                    e
                };
                if bound < hi {
                    hi = bound;
                    bounded = true;
                    evidence.push(format!(
                        "\"{q}\" ({}) is still ahead (planned or future): the report is earlier",
                        crate::resolve::fmt_date(year, Some(mo), d, "")
                    ));
                }
            }
            Tense::Present => {
                if let Some(e) = date_in(year, mo, d, true) {
                    if d.is_some() {
                        weak_hi.push((e, q));
                    }
                }
            }
        }
    }
    if hi < lo {
        // Contradicting tenses: keep the later bound only.
        evidence.push("dated events contradict each other; the upper bounds are dropped".into());
        hi = Date::new(year as i16, 12, 31).ok()?;
    }
    for (e, q) in weak_hi {
        let bound = add_days(e, -1).unwrap_or(e);
        if bound >= lo && bound < hi {
            hi = bound;
            bounded = true;
            future_days.push(e);
            evidence.push(format!("\"{q}\" ({e}) is told in the present with a date, as scheduled events are: the report is earlier"));
        }
    }

    let weekdays: Vec<(&Mention, i8)> = mentions
        .iter()
        .filter_map(|m| match m.val {
            Val::Weekday { n, dir: 0 } if !tied(m) && m.tense != Tense::Present => Some((m, n)),
            _ => None,
        })
        .collect();
    if !bounded && weekdays.is_empty() {
        return None;
    }
    let window = (hi - lo).get_days() + 1;
    if weekdays.is_empty() && window > 92 {
        return None;
    }

    let score = |d: Date| -> f64 {
        let mut s = 0.0;
        let wd = weekday_of(d);
        for (m, n) in &weekdays {
            match m.tense {
                Tense::Past => {
                    let gap = (wd - n + 7) % 7;
                    s += match gap {
                        1 => 1.5,
                        0 => 0.2,
                        _ => 0.3,
                    };
                }
                _ => {
                    let gap = (n - wd + 7) % 7;
                    if gap >= 1 {
                        s += 0.3;
                    }
                }
            }
        }
        for e in &future_days {
            let gap = (*e - d).get_days() as f64;
            if gap >= 0.0 {
                s += (-gap / 10.0).exp();
            }
        }
        for e in &past_days {
            let gap = (d - *e).get_days() as f64;
            if gap >= 0.0 {
                s += 0.3 * (-gap / 10.0).exp();
            }
        }
        s
    };
    let mut scored: Vec<(Date, f64)> = Vec::new();
    let mut d = lo;
    while d <= hi && scored.len() < 400 {
        scored.push((d, score(d)));
        let Some(next) = add_days(d, 1) else { break };
        d = next;
    }
    let (best_day, best_score) = scored.iter().copied().max_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.0.cmp(&a.0))
    })?;
    let second = scored
        .iter()
        .filter(|(d, _)| (*d - best_day).get_days().abs() > 1)
        .map(|x| x.1)
        .fold(0.0f64, f64::max);
    let margin = if best_score > 0.0 {
        ((best_score - second) / best_score).clamp(0.0, 1.0)
    } else {
        0.0
    };
    for (m, n) in &weekdays {
        let name = weekday_name(*n);
        evidence.push(match m.tense {
            Tense::Past => format!("\"{}\" is told in the past: the report appeared within the week after a {name}, most often the next day", quote(text, m)),
            _ => format!("\"{}\" is still ahead: the report appeared within the week before a {name}", quote(text, m)),
        });
    }
    evidence.push(format!(
        "the evidence allows {lo} to {hi}; the most likely day is {best_day}"
    ));
    let confidence = (year_conf * (0.4 + 0.6 * margin)).clamp(0.05, 0.95) as f32;
    Some(DctGuess {
        date: best_day,
        evidence,
        confidence,
    })
}
