//! Normalisation: value templates become TimeML values against the right reference time.

use crate::{add_days, weekday_of, Mention, Mode, Tense, Timex, Val};
use jiff::civil::Date;

/// A reference time of some precision, and which expression gave it (`None`: the document date).
#[derive(Debug, Clone, Copy)]
struct Reference {
    y: i32,
    m: Option<i8>,
    d: Option<i8>,
    from: Option<usize>,
}

impl Reference {
    fn day(&self) -> Option<Date> {
        Date::new(self.y as i16, self.m?, self.d?).ok()
    }
    fn anchor(&self) -> String {
        match self.from {
            Some(i) => format!("T{}", i + 1),
            None => "dct".into(),
        }
    }
}

pub(crate) fn fmt_date(y: i32, m: Option<i8>, d: Option<i8>, suffix: &str) -> String {
    let mut s = if y < 0 {
        format!("BC{:04}", -y)
    } else {
        format!("{y:04}")
    };
    if let Some(m) = m {
        s.push_str(&format!("-{m:02}"));
        if let Some(d) = d {
            s.push_str(&format!("-{d:02}"));
        }
    }
    s.push_str(suffix);
    s
}

fn fmt_day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The year of a month/day without one: the occurrence next to the reference that the tense
/// allows (past: not after it; future: not before it; present: the nearest).
fn infer_year(reference: &Reference, m: i8, d: Option<i8>, tense: Tense, news: bool) -> i32 {
    if !news {
        return reference.y;
    }
    let (rm, rd) = match reference.m {
        Some(rm) => (rm, reference.d.unwrap_or(15)),
        None => return reference.y,
    };
    // Compare at the precision of the expression.
    let key = (m, d.unwrap_or(0));
    let rkey = (rm, if d.is_some() { rd } else { 0 });
    match tense {
        Tense::Past if key > rkey => reference.y - 1,
        Tense::Future if key < rkey => reference.y + 1,
        Tense::Present => {
            // The nearest occurrence: more than six months ahead means last year's.
            let diff = (m as i32 - rm as i32) * 31 + (d.unwrap_or(rd) as i32 - rd as i32);
            if diff > 183 {
                reference.y - 1
            } else if diff < -183 {
                reference.y + 1
            } else {
                reference.y
            }
        }
        _ => reference.y,
    }
}

fn weekday_near(base: Date, n: i8, dir: i8, tense: Tense) -> Option<Date> {
    let wd = weekday_of(base);
    let back = ((wd - n + 7) % 7) as i64; // days back to the last n (0 = today)
    let fwd = ((n - wd + 7) % 7) as i64;
    match (dir, tense) {
        // "vergangenen Mittwoch", "last Wednesday": that day of the previous calendar week.
        (-1, _) => add_days(base, -(wd as i64 - 1) - 7 + (n as i64 - 1)),
        (1, _) => add_days(base, if fwd == 0 { 7 } else { fwd }),
        (_, Tense::Past) => add_days(base, -back),
        (_, Tense::Future) => add_days(base, fwd),
        _ => {
            if back < fwd {
                add_days(base, -back)
            } else {
                add_days(base, fwd)
            }
        }
    }
}

fn shift(r: &Reference, unit: char, k: i64) -> Option<String> {
    match unit {
        'Y' => Some(fmt_date(r.y + k as i32, None, None, "")),
        'M' => {
            let m0 = r.y as i64 * 12 + (r.m? as i64 - 1) + k;
            Some(fmt_date(
                m0.div_euclid(12) as i32,
                Some((m0.rem_euclid(12) + 1) as i8),
                None,
                "",
            ))
        }
        'W' => {
            let day = add_days(r.day()?, 7 * k)?;
            let iso = day.iso_week_date();
            Some(format!("{:04}-W{:02}", iso.year(), iso.week()))
        }
        'D' => Some(fmt_day(add_days(r.day()?, k)?)),
        // Lower-case units keep the reference's precision ("drei Monate später" after a day).
        'd' | 'w' => match r.day() {
            Some(day) => Some(fmt_day(add_days(day, if unit == 'w' { 7 * k } else { k })?)),
            None => shift(r, unit.to_ascii_uppercase(), k),
        },
        'm' | 'y' => match (r.m, r.d) {
            (Some(m0), Some(d0)) => {
                let months = if unit == 'y' { 12 * k } else { k };
                let m_abs = r.y as i64 * 12 + (m0 as i64 - 1) + months;
                let (y1, m1) = (
                    m_abs.div_euclid(12) as i32,
                    (m_abs.rem_euclid(12) + 1) as i8,
                );
                let first = Date::new(y1 as i16, m1, 1).ok()?;
                let d1 = d0.min(first.days_in_month());
                Some(fmt_date(y1, Some(m1), Some(d1), ""))
            }
            (Some(_), None) if unit == 'm' => shift(r, 'M', k),
            _ => shift(r, 'Y', k),
        },
        _ => None,
    }
}

pub(crate) fn resolve(
    text: &str,
    mentions: &[Mention],
    dct: Option<Date>,
    mode: Mode,
) -> Vec<Timex> {
    let news = mode == Mode::News;
    let dct_ref = dct.map(|d| Reference {
        y: d.year() as i32,
        m: Some(d.month()),
        d: Some(d.day()),
        from: None,
    });
    // Narrative reference times: the latest date of month precision or finer, and the latest
    // year-only date; dates computed from the document date are neither.
    let mut story: Option<Reference> = None;
    let mut year_only: Option<(Reference, usize)> = None;
    // Day-precision dates resolved so far: (sentence, date, index), for weekday ties.
    let mut days: Vec<(usize, Date, usize)> = Vec::new();
    let mut out: Vec<Timex> = Vec::with_capacity(mentions.len());
    for (i, m) in mentions.iter().enumerate() {
        let reference = if news && dct_ref.is_some() {
            dct_ref
        } else {
            // The most recent of the two (a stricter rule for year-only mentions scored worse on
            // the development documents).
            let pick = match (story, year_only) {
                (Some(st), Some((yr, _))) if yr.from > st.from => Some(yr),
                (Some(st), _) => Some(st),
                (None, Some((yr, _))) => Some(yr),
                (None, None) => None,
            };
            pick.or(dct_ref)
        };
        let mut kind = m.kind;
        let (value, anchor): (Option<String>, String) = match &m.val {
            Val::Date {
                y: Some(y),
                m: mo,
                d,
                suffix,
            } => {
                if mo.is_none() && d.is_some() {
                    (None, "none".into())
                } else {
                    (Some(fmt_date(*y, *mo, *d, suffix)), "none".into())
                }
            }
            Val::Date {
                y: None,
                m: Some(mo),
                d: Some(d),
                suffix,
            } if m.recurring && m.tense != Tense::Past && kind == "DATE" => {
                // "Der 27. Juli wird als … begangen": a day of every year.
                kind = "SET";
                (Some(format!("XXXX-{mo:02}-{d:02}{suffix}")), "none".into())
            }
            Val::Date {
                y: None,
                m: mo,
                d,
                suffix,
            } => match reference {
                Some(r) => match (mo, d) {
                    (None, Some(d)) => match r.m {
                        Some(rm) => (Some(fmt_date(r.y, Some(rm), Some(*d), suffix)), r.anchor()),
                        None => (None, "none".into()),
                    },
                    (Some(mo), d) => {
                        let y = infer_year(&r, *mo, *d, m.tense, news && r.from.is_none());
                        (Some(fmt_date(y, Some(*mo), *d, suffix)), r.anchor())
                    }
                    (None, None) => (Some(fmt_date(r.y, None, None, suffix)), r.anchor()),
                },
                None => (None, "none".into()),
            },
            Val::Weekday { n, dir } => {
                let tie = if *dir == 0 && news {
                    days.iter()
                        .rev()
                        .find(|(s, d, _)| {
                            (*s == m.sentence || *s + 1 == m.sentence) && weekday_of(*d) == *n
                        })
                        .copied()
                } else {
                    None
                };
                match tie {
                    Some((_, d, k)) => (Some(fmt_day(d)), format!("T{}", k + 1)),
                    None => match reference.and_then(|r| r.day().map(|d| (d, r))) {
                        Some((base, r)) => (
                            weekday_near(base, *n, *dir, m.tense).map(fmt_day),
                            r.anchor(),
                        ),
                        None => (Some(format!("XXXX-WXX-{n}")), "none".into()),
                    },
                }
            }
            Val::Rel { unit, k } => {
                match reference.and_then(|r| shift(&r, *unit, *k).map(|v| (v, r))) {
                    Some((v, r)) => (Some(v), r.anchor()),
                    None => (None, "none".into()),
                }
            }
            Val::TimeOfDay(t) => {
                let same_sentence = days
                    .iter()
                    .rev()
                    .find(|(s, _, _)| *s == m.sentence)
                    .copied();
                match same_sentence {
                    Some((_, d, k)) => (Some(format!("{}{t}", fmt_day(d))), format!("T{}", k + 1)),
                    None => match reference.and_then(|r| r.day().map(|d| (d, r))) {
                        Some((d, r)) => (Some(format!("{}{t}", fmt_day(d))), r.anchor()),
                        None => (Some(format!("XXXX-XX-XX{t}")), "none".into()),
                    },
                }
            }
            Val::Now => match (news, dct) {
                (true, Some(d)) => (Some(fmt_day(d)), "dct".into()),
                _ => (Some("PRESENT_REF".into()), "none".into()),
            },
            Val::Lit(s) => (Some(s.clone()), "none".into()),
        };
        // Remember dates as references for what follows.
        if kind == "DATE" {
            if let Some(v) = &value {
                if let Some(Val::Date {
                    y: Some(y),
                    m: mo,
                    d,
                    suffix,
                }) = crate::parse_val(v)
                {
                    // A date computed from the document date is not a time of the story.
                    if news || anchor != "dct" {
                        let r = Reference {
                            y,
                            m: mo,
                            d,
                            from: Some(i),
                        };
                        if mo.is_some() || !suffix.is_empty() {
                            story = Some(r);
                        } else {
                            year_only = Some((r, m.sentence));
                        }
                    }
                    if let (Some(mo), Some(dd)) = (mo, d) {
                        if let Ok(date) = Date::new(y as i16, mo, dd) {
                            days.push((m.sentence, date, i));
                        }
                    }
                }
            }
        }
        out.push(Timex {
            id: format!("T{}", i + 1),
            start: m.start,
            end: m.end,
            text: text[m.start..m.end].to_string(),
            kind,
            value,
            modifier: m.modifier.clone(),
            anchor,
        });
    }
    out
}
