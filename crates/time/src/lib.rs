//! Temporal tagging: finds the time expressions of a German or English text, normalises them to
//! TIMEX3 (DATE, TIME, DURATION, SET with TimeML/ISO-8601 values) and, when the document has no
//! date of its own, infers one from the text's evidence.
//!
//! The stage has three steps:
//! 1. **Extraction**: the rules of the text's language (`data/<lang>.rules`, a small rule format
//!    described in `rules.rs`) are compiled once, on first use, into regexes; every match yields
//!    a value *template* (`?-09-10`, `wd(1)`, `rel(D,-1)`, `P{NUM}Y` …). One pass over the text
//!    finds where rules can match (`rules::Starts`), and each regex runs anchored only there,
//!    with the same matches as a scan of the whole text. Overlapping matches are resolved
//!    leftmost-longest. Ranges ("von 10. bis 13. September") yield two expressions, start and
//!    end, as TimeML annotates them.
//! 2. **Document date** (`dct.rs`): if none is given, it is inferred from anniversaries, weekday–date
//!    coincidences, the tense of dated events and weekday references, with evidence strings and a
//!    confidence; weak evidence gives `None`.
//! 3. **Normalisation** (`resolve.rs`): templates become values against the right reference: the
//!    document date (news), an explicit date the text ties a weekday to (`anchor: T<n>`), or the
//!    latest date of the narrative (history texts).
//!
//! The engine holds no words of any language: every word list lives in the data files.

mod dct;
mod resolve;
mod rules;

use jiff::civil::Date;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use rules::Language;
use std::sync::OnceLock;

pub use dct::DctGuess;

/// How relative expressions find their reference time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// News: the document date (HeidelTime's "news" type).
    #[default]
    News,
    /// Narrative (history articles): the latest date mentioned before the expression.
    Narrative,
}

/// What the caller knows about the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// ISO 639-1 code; anything without rules is guessed between the languages we have.
    pub lang: String,
    /// The document date, when known from metadata or the user.
    pub dct: Option<Date>,
    pub mode: Mode,
}

/// One normalised time expression. Offsets are bytes into the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `DATE | TIME | DURATION | SET`.
    pub kind: &'static str,
    pub value: Option<String>,
    /// TimeML `mod` (`START`, `MID`, `END`, `APPROX`, `MORE_THAN`, `LESS_THAN`).
    pub modifier: Option<String>,
    /// `dct | T<n> | none`.
    pub anchor: String,
}

/// The result of tagging one document.
#[derive(Debug, Clone, Default)]
pub struct Tagging {
    pub timexes: Vec<Timex>,
    /// The inferred document date, when none was given and the evidence suffices.
    pub inferred_dct: Option<DctGuess>,
    /// The language whose rules were used.
    pub lang: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Present,
    Future,
}

/// A parsed value template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// A calendar date of some precision; `None` parts are inferred from context. `suffix` is what
    /// follows the date part (`-SU`, `T10:30`, `-Q3`).
    Date {
        y: Option<i32>,
        m: Option<i8>,
        d: Option<i8>,
        suffix: String,
    },
    /// Weekday 1..=7 (Monday = 1); `dir` -1 last, +1 next, 0 by tense or context.
    Weekday { n: i8, dir: i8 },
    /// The reference shifted by `k` units of D, W, M or Y, at that unit's precision.
    Rel { unit: char, k: i64 },
    /// A time of day on the reference day: the `T…` part.
    TimeOfDay(String),
    /// The present: the document date in news, PRESENT_REF in narratives.
    Now,
    /// A value used as is (`PAST_REF`, `195`, `P3Y`, `XXXX-07-27`).
    Lit(String),
}

/// A matched expression before normalisation.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub val: Val,
    pub modifier: Option<String>,
    pub sentence: usize,
    pub tense: Tense,
    /// A recurrence cue in the sentence ("wird jährlich begangen").
    pub recurring: bool,
}

const RULE_FILES: &[(&str, &str)] = &[
    ("de", include_str!("../data/de.rules")),
    ("en", include_str!("../data/en.rules")),
    (ANY_LANGUAGE, include_str!("../data/any.rules")),
];

/// The code of the rules that read no word of any language (ISO and numeric dates): what runs on
/// a report in a language without a rule file of its own.
pub const ANY_LANGUAGE: &str = "any";

/// The compiled rules of one language, built on first use: a German text never pays for
/// compiling the English rules.
fn language(index: usize) -> Option<&'static Language> {
    static LANGS: [OnceLock<Option<Language>>; RULE_FILES.len()] =
        [const { OnceLock::new() }; RULE_FILES.len()];
    let (code, src) = RULE_FILES.get(index)?;
    LANGS
        .get(index)?
        .get_or_init(|| match rules::compile(code, src) {
            Ok(l) => Some(l),
            Err(e) => {
                // A broken rule file is a build-time mistake; tests catch it. Never panic at run time.
                eprintln!("dossier-time: {e}");
                None
            }
        })
        .as_ref()
}

/// The rules of `code`, when there are any.
fn language_of(code: &str) -> Option<&'static Language> {
    language(RULE_FILES.iter().position(|(c, _)| *c == code)?)
}

/// Every language with rules, in file order (compiling those not compiled yet).
fn languages() -> impl Iterator<Item = &'static Language> {
    (0..RULE_FILES.len()).filter_map(language)
}

/// Errors in the embedded rule files, for tests.
pub fn rule_errors() -> Vec<String> {
    RULE_FILES
        .iter()
        .filter_map(|(code, src)| rules::compile(code, src).err())
        .collect()
}

fn pick_language(text: &str, lang: &str) -> Option<&'static Language> {
    if let Some(l) = language_of(lang) {
        return Some(l);
    }
    // A language we know but have no rules for: only what is written alike in every language.
    // Another language's rules would read its words as ours ("mars" is no March in English).
    if !lang.is_empty() && lang != "und" {
        return language_of(ANY_LANGUAGE);
    }
    // Undetermined language: the one whose common words occur most often in the first 20 KB.
    let mut cut = text.len().min(20_000);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let sample = fold(&text[..cut]);
    languages()
        .map(|l| {
            let hits = l
                .lang_hint
                .as_ref()
                .map_or(0, |re| re.find_iter(&sample).count());
            (hits, l)
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by_key(|(hits, _)| *hits)
        .map(|(_, l)| l)
        .or_else(|| language_of(ANY_LANGUAGE))
}

/// Sentence boundaries when the caller has none: a break after `.!?` followed by space and an
/// upper-case letter, unless the dot ends a number ("15. August") or a short abbreviation; and
/// at blank lines.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Only line breaks and sentence punctuation can end a sentence.
        match bytes[i..]
            .iter()
            .position(|b| matches!(b, b'\n' | b'.' | b'!' | b'?'))
        {
            Some(skip) => i += skip,
            None => break,
        }
        let b = bytes[i];
        let mut cut = None;
        if b == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            cut = Some(i);
        } else if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_some_and(|c| c.is_ascii_whitespace())
            && text[i + 1..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '„' || c == '"' || c == '(')
        {
            // The word before the dot: a number ("15.") or a short abbreviation ("Dr.") does
            // not end a sentence.
            let (mut len, mut digits) = (0, true);
            for c in text[start..i].chars().rev() {
                if !c.is_alphanumeric() {
                    break;
                }
                len += 1;
                digits &= c.is_ascii_digit();
            }
            let number_before = digits && len > 0;
            let short_abbrev = len <= 2 && len > 0 && !number_before;
            if !(b == b'.' && (number_before || short_abbrev)) {
                cut = Some(i + 1);
            }
        }
        if let Some(c) = cut {
            if text[start..c].trim().is_empty() {
                start = c;
            } else {
                out.push((start, c));
                start = c;
            }
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    // Trim leading whitespace off every sentence.
    out.into_iter()
        .map(|(s, e)| {
            let lead = text[s..e].len() - text[s..e].trim_start().len();
            (s + lead, e)
        })
        .collect()
}

/// The text with every non-ASCII character replaced by ASCII of the same byte length, so that
/// offsets stay valid and the regexes run on ASCII (where the DFA handles word boundaries):
/// umlauts and ß become their usual two-letter spellings, other letters `x`, dashes `-`,
/// quotes `"`, anything else spaces. Patterns are folded the same way.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs are copied as they are.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        out.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        let n = c.len_utf8();
        let (head, fill) = match c {
            'ä' => ("ae", ' '),
            'ö' => ("oe", ' '),
            'ü' => ("ue", ' '),
            'Ä' => ("Ae", ' '),
            'Ö' => ("Oe", ' '),
            'Ü' => ("Ue", ' '),
            'ß' => ("ss", ' '),
            '–' | '—' | '‒' | '‐' | '−' => ("-", ' '),
            '„' | '“' | '”' | '«' | '»' => ("\"", ' '),
            '‚' | '‘' | '’' | '‹' | '›' => ("'", ' '),
            _ if c.is_alphanumeric() => ("", 'x'),
            _ => ("", ' '),
        };
        out.push_str(head);
        for _ in head.len()..n {
            out.push(fill);
        }
    }
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Renders a value template with the match's groups.
fn render(
    template: &str,
    text: &str,
    caps: &Captures,
    rule: &rules::Rule,
    lang: &Language,
) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &rest[open + 1..open + close];
        let (name, filter) = inner.split_once('|').unwrap_or((inner, ""));
        let value = caps.get_group_by_name(name).map(|m| {
            let raw = &text[floor_boundary(text, m.start)..ceil_boundary(text, m.end)];
            match rule.group_class.get(name).and_then(|c| lang.classes.get(c)) {
                Some(class) => class.value(raw),
                None => raw.trim().to_string(),
            }
        });
        match value {
            Some(v) => out.push_str(&apply_filter(&v, filter)),
            None => out.push('?'),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn apply_filter(v: &str, filter: &str) -> String {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    match filter {
        "pad2" => format!("{digits:0>2}"),
        "pad4" => format!("{:0>4}", digits),
        "num" => digits,
        "dec" => digits
            .parse::<i64>()
            .map(|n| (n - 1).to_string())
            .unwrap_or_default(),
        "cut" => {
            let mut s = digits;
            s.pop();
            s
        }
        "yy" => match digits.parse::<i32>() {
            // Two-digit years: the 20th century unless that is more than a few years ahead of now.
            Ok(n) if digits.len() == 2 && n <= 30 => format!("20{digits}"),
            Ok(_) if digits.len() == 2 => format!("19{digits}"),
            _ => digits,
        },
        _ => v.to_string(),
    }
}

fn parse_val(s: &str) -> Option<Val> {
    match s {
        "now" => return Some(Val::Now),
        "" | "?" => return None,
        _ => {}
    }
    if let Some(inner) = s.strip_prefix("wd(").and_then(|r| r.strip_suffix(')')) {
        let mut parts = inner.split(',');
        let n: i8 = parts.next()?.trim().parse().ok()?;
        let dir: i8 = parts.next().map_or(Some(0), |d| d.trim().parse().ok())?;
        return (1..=7).contains(&n).then_some(Val::Weekday { n, dir });
    }
    if let Some(inner) = s.strip_prefix("rel(").and_then(|r| r.strip_suffix(')')) {
        let (unit, k) = inner.split_once(',')?;
        let unit = unit.trim().chars().next()?;
        let k: i64 = k.trim().parse().ok()?;
        return (matches!(unit, 'D' | 'W' | 'M' | 'Y' | 'd' | 'w' | 'm' | 'y') && k.abs() < 10_000)
            .then_some(Val::Rel { unit, k });
    }
    if let Some(t) = s.strip_prefix('@') {
        return t.starts_with('T').then(|| Val::TimeOfDay(clock_24h(t)));
    }
    let b = s.as_bytes();
    let year_first = b.len() >= 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b.len() == 4 || b[4] == b'-' || b[4] == b'T');
    if s.starts_with('?') || year_first {
        return parse_date(s);
    }
    if let Some(rest) = s.strip_prefix('P') {
        // Durations: P3TH → PT3H (the unit class carries the T).
        if let Some(pos) = rest.find('T') {
            if pos > 0 && rest[pos + 1..].len() == 1 {
                return Some(Val::Lit(format!("PT{}{}", &rest[..pos], &rest[pos + 1..])));
            }
        }
        return Some(Val::Lit(s.to_string()));
    }
    Some(Val::Lit(s.to_string()))
}

/// `T03:15pm` → `T15:15`; `T12:00am` → `T00:00`; anything else unchanged.
fn clock_24h(t: &str) -> String {
    let (body, pm) = if let Some(b) = t.strip_suffix("pm") {
        (b, true)
    } else if let Some(b) = t.strip_suffix("am") {
        (b, false)
    } else {
        return t.to_string();
    };
    let Some((h, m)) = body.trim_start_matches('T').split_once(':') else {
        return body.to_string();
    };
    let Ok(mut h) = h.parse::<u32>() else {
        return body.to_string();
    };
    if pm && h < 12 {
        h += 12;
    } else if !pm && h == 12 {
        h = 0;
    }
    format!("T{h:02}:{m}")
}

fn parse_date(s: &str) -> Option<Val> {
    // YEAR[-MONTH[-DAY]][suffix], each part digits or `?`.
    let (ypart, rest) = match s.find(['-', 'T']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let y = if ypart == "?" {
        None
    } else {
        Some(ypart.parse::<i32>().ok()?)
    };
    let mut m = None;
    let mut d = None;
    let mut rest = rest;
    let take = |rest: &mut &str| -> Option<Option<i8>> {
        let r = rest.strip_prefix('-')?;
        let end = r.find(['-', 'T']).unwrap_or(r.len());
        let part = &r[..end];
        if part == "?" {
            *rest = &r[end..];
            return Some(None);
        }
        if part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) {
            *rest = &r[end..];
            return Some(part.parse().ok());
        }
        None
    };
    if let Some(v) = take(&mut rest) {
        m = v;
        if let Some(v) = take(&mut rest) {
            d = v;
        }
    }
    if let Some(mm) = m {
        if !(1..=12).contains(&mm) {
            return None;
        }
    }
    if let Some(dd) = d {
        if !(1..=31).contains(&dd) {
            return None;
        }
        if let (Some(y), Some(mm)) = (y, m) {
            Date::new(y as i16, mm, dd).ok()?;
        } else if let Some(mm) = m {
            // Leap day allowed without a year.
            Date::new(2000, mm, dd).ok()?;
        }
    }
    if let Some(y) = y {
        if !(0..=9999).contains(&y) {
            return None;
        }
    }
    Some(Val::Date {
        y,
        m,
        d,
        suffix: rest.to_string(),
    })
}

/// Finds every expression of the rules in `text` (leftmost-longest, no overlaps).
fn extract(
    text: &str,
    folded: &str,
    sentences: &[(usize, usize)],
    lang: &Language,
) -> Vec<Mention> {
    /// A rule match: its extent in `text` and where it starts in the rule's haystack.
    struct Cand {
        ms: usize,
        me: usize,
        rule: usize,
        at: usize,
    }
    type Out = (usize, usize, &'static str, String, Option<String>);
    let mut cands: Vec<Cand> = Vec::new();
    let lowered = folded.to_ascii_lowercase();
    let haystack_of = |rule: &rules::Rule| -> &str {
        if rule.lower {
            &lowered
        } else {
            folded
        }
    };
    // Where each rule matches, as sorted (rule, position) pairs.
    let starts = lang.starts.as_ref().map(|s| s.find(folded, &lowered));
    for (ri, rule) in lang.rules.iter().enumerate() {
        let haystack = haystack_of(rule);
        let mut accept = |start: usize, end: usize| {
            if start == end {
                return;
            }
            let (ms, me) = (floor_boundary(text, start), ceil_boundary(text, end));
            if let Some(nn) = &rule.not_next {
                let tail = &folded[me..(me + 80).min(folded.len())];
                if nn.is_match(tail) {
                    return;
                }
            }
            if let Some(np) = &rule.not_prev {
                let head = &folded[ms.saturating_sub(80)..ms];
                if np.is_match(head) {
                    return;
                }
            }
            cands.push(Cand {
                ms,
                me,
                rule: ri,
                at: start,
            });
        };
        let at = starts.as_ref().map(|s| positions_of(s, ri));
        for (start, end) in scan(&rule.re, haystack, at.as_deref()) {
            accept(start, end);
        }
    }
    // The outputs of a match, from its groups; none when every extent is empty.
    let outputs = |c: &Cand| -> Vec<Out> {
        let rule = &lang.rules[c.rule];
        let haystack = haystack_of(rule);
        let mut caps = rule.re.create_captures();
        let input = Input::new(haystack)
            .span(c.at..haystack.len())
            .anchored(Anchored::Yes);
        rule.re.search_captures(&input, &mut caps);
        let mut outs = Vec::new();
        if caps.get_match().is_none() {
            return outs;
        }
        for o in &rule.outputs {
            let (s, e) = match &o.extent {
                Some(g) => match caps.get_group_by_name(g) {
                    Some(m) => (floor_boundary(text, m.start), ceil_boundary(text, m.end)),
                    None => continue,
                },
                None => (c.ms, c.me),
            };
            // Extents never end in spaces or commas.
            let trimmed = text[s..e].trim_end_matches([' ', ',', '\n']);
            let e = s + trimmed.len();
            if e <= s {
                continue;
            }
            let modifier = o
                .modifier
                .as_deref()
                .map(|t| render(t, text, &caps, rule, lang))
                .filter(|t| !t.is_empty() && t != "?");
            outs.push((
                s,
                e,
                o.kind,
                render(&o.template, text, &caps, rule, lang),
                modifier,
            ));
        }
        outs
    };
    cands.sort_by(|a, b| {
        a.ms.cmp(&b.ms)
            .then((b.me - b.ms).cmp(&(a.me - a.ms)))
            .then(a.rule.cmp(&b.rule))
    });
    // Leftmost-longest, earlier rules first; a match without outputs counts as none, and its
    // outputs are rendered only when it is kept.
    let mut kept: Vec<Vec<Out>> = Vec::new();
    let mut last_end = 0;
    for c in &cands {
        if c.ms >= last_end {
            let outs = outputs(c);
            if !outs.is_empty() {
                last_end = c.me;
                kept.push(outs);
            }
        }
    }
    // Tense cues: positions of past and future markers, sorted.
    let cue_matches = |cue: &rules::Cue| -> Vec<(usize, usize)> {
        let at = cue
            .found
            .zip(starts.as_ref())
            .map(|(k, starts)| positions_of(starts, k));
        scan(&cue.re, folded, at.as_deref())
    };
    let mut cues: Vec<(usize, usize, Tense)> = Vec::new();
    if let Some(cue) = &lang.cue_past {
        cues.extend(
            cue_matches(cue)
                .into_iter()
                .map(|(s, e)| (s, e, Tense::Past)),
        );
    }
    if let Some(cue) = &lang.cue_future {
        cues.extend(
            cue_matches(cue)
                .into_iter()
                .map(|(s, e)| (s, e, Tense::Future)),
        );
    }
    // A word on both lists counts as future: the future list holds the exceptions ("geplant").
    cues.sort_by_key(|c| (c.0, c.2 != Tense::Future));
    cues.dedup_by_key(|c| c.0);
    let recur: Vec<usize> = lang
        .cue_recur
        .as_ref()
        .map(|cue| cue_matches(cue).into_iter().map(|(s, _)| s).collect())
        .unwrap_or_default();

    let mut out = Vec::new();
    for outs in kept {
        for (s, e, kind, rendered, modifier) in outs {
            let Some(val) = parse_val(&rendered) else {
                continue;
            };
            let sentence = sentence_of(sentences, s);
            let (ss, se) = sentences.get(sentence).copied().unwrap_or((0, text.len()));
            let tense = tense_at(text, &cues, s, e, ss, se);
            let recurring = recur.iter().any(|&p| p >= ss && p < se);
            out.push(Mention {
                start: s,
                end: e,
                kind,
                val,
                modifier,
                sentence,
                tense,
                recurring,
            });
        }
    }
    out
}

/// The positions of pattern `k` in sorted (pattern, position) pairs.
fn positions_of(starts: &[(usize, usize)], k: usize) -> Vec<usize> {
    let first = starts.partition_point(|&(r, _)| r < k);
    starts[first..]
        .iter()
        .take_while(|&&(r, _)| r == k)
        .map(|&(_, p)| p)
        .collect()
}

/// The matches of `re` in `haystack` that a scan (`find_iter`) finds, given the sorted
/// positions where a match starts; without them, by a scan.
///
/// A scan reports the leftmost match, then goes on from its end; every match starts at one of
/// the positions, and the match the scan reports at a position is the one an anchored search
/// there finds.
fn scan(
    re: &regex_automata::meta::Regex,
    haystack: &str,
    starts: Option<&[usize]>,
) -> Vec<(usize, usize)> {
    let Some(starts) = starts else {
        return re
            .find_iter(haystack)
            .map(|m| (m.start(), m.end()))
            .collect();
    };
    let mut out = Vec::new();
    let mut from = 0;
    let mut last_end = None;
    for &p in starts {
        if p < from {
            continue;
        }
        let input = Input::new(haystack)
            .span(p..haystack.len())
            .anchored(Anchored::Yes);
        let Some(m) = re.search(&input) else {
            continue;
        };
        // A scan skips an empty match where the previous match ended.
        if m.is_empty() && last_end == Some(m.end()) {
            continue;
        }
        from = m.end();
        last_end = Some(m.end());
        out.push((m.start(), m.end()));
    }
    out
}

fn sentence_of(sentences: &[(usize, usize)], pos: usize) -> usize {
    match sentences.binary_search_by(|&(s, _)| s.cmp(&pos)) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

/// The tense of the cue nearest to the expression within its sentence; a clause break between
/// them (comma, colon, quote) counts as distance.
fn tense_at(
    text: &str,
    cues: &[(usize, usize, Tense)],
    s: usize,
    e: usize,
    ss: usize,
    se: usize,
) -> Tense {
    let cost = |a: usize, b: usize| -> usize {
        let between = &text[a.min(b)..b.max(a)];
        between.len()
            + 40 * between
                .chars()
                .filter(|c| matches!(c, ',' | ';' | ':' | '„' | '“' | '"' | '–'))
                .count()
    };
    let i = cues.partition_point(|c| c.0 < s);
    let before = cues[..i].iter().rev().find(|c| c.0 >= ss && c.1 <= s);
    let after = cues[i..].iter().find(|c| c.0 >= e && c.0 < se);
    match (before, after) {
        (Some(b), Some(a)) => {
            if cost(b.1, s) <= cost(e, a.0) {
                b.2
            } else {
                a.2
            }
        }
        (Some(b), None) => b.2,
        (None, Some(a)) => a.2,
        (None, None) => Tense::Present,
    }
}

/// Tags `text`. `sentences` are byte ranges; when empty the text is split here.
pub fn tag(text: &str, sentences: &[(usize, usize)], options: &Options) -> Tagging {
    let Some(lang) = pick_language(text, &options.lang) else {
        return Tagging::default();
    };
    let own;
    let sentences = if sentences.is_empty() {
        own = split_sentences(text);
        &own[..]
    } else {
        sentences
    };
    let folded = fold(text);
    let mentions = extract(text, &folded, sentences, lang);
    let inferred = if options.dct.is_none() && options.mode == Mode::News {
        dct::infer(text, &folded, sentences, &mentions, lang)
    } else {
        None
    };
    let dct = options.dct.or(inferred.as_ref().map(|g| g.date));
    let timexes = resolve::resolve(text, &mentions, dct, options.mode);
    Tagging {
        timexes,
        inferred_dct: inferred,
        lang: lang.code.clone(),
    }
}

/// A cheap check used by callers that batch: does the text contain any word a rule could start on?
pub fn has_rules(lang: &str) -> bool {
    language_of(lang).is_some()
}

pub(crate) fn weekday_of(d: Date) -> i8 {
    d.weekday().to_monday_one_offset()
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(n)).ok()
}

#[cfg(test)]
mod tests;

/// Fills the report's `times` layer and, when the document has no date from metadata or the
/// user, `meta.published` with the inferred one (`origin: inferred`). `sentences` are byte ranges.
/// Returns the code of the rules that ran (`de`, `en`, [`ANY_LANGUAGE`]; empty when none did).
pub fn annotate(doc: &mut dossier_core::Document, sentences: &[(usize, usize)]) -> String {
    if doc.meta.published.is_none() {
        doc.meta.published = dateline_published(doc);
    }
    let dct = doc
        .meta
        .published
        .as_ref()
        .and_then(|p| p.date.get(..10))
        .and_then(|s| s.parse::<Date>().ok());
    let options = Options {
        lang: doc.language.clone(),
        dct,
        mode: Mode::News,
    };
    let tagging = tag(&doc.text, sentences, &options);
    doc.times = tagging
        .timexes
        .into_iter()
        .map(|t| dossier_core::Time {
            id: t.id,
            span: doc.span_of_bytes(t.start, t.end),
            text: t.text,
            kind: t.kind.into(),
            value: t.value,
            anchor: t.anchor,
        })
        .collect();
    if doc.meta.published.is_none() {
        if let Some(g) = tagging.inferred_dct {
            doc.meta.published = Some(dossier_core::Published {
                date: g.date.to_string(),
                origin: "inferred".into(),
                evidence: g.evidence,
                confidence: g.confidence,
            });
        }
    }
    tagging.lang
}

/// A wire dateline that gives a whole date ("Wien, 12. März 2024 (APA) –") says when the story
/// was filed: the report's date, printed by the report itself (`origin: metadata`, the dateline as
/// evidence). A date without its year ("MUNICH, May 7") is left to the inference.
fn dateline_published(doc: &dossier_core::Document) -> Option<dossier_core::Published> {
    let dateline = doc.meta.dateline.as_ref()?;
    let date = dateline.date.as_ref()?;
    let options = Options {
        lang: doc.language.clone(),
        dct: None,
        mode: Mode::News,
    };
    let tagging = tag(&date.text, &[(0, date.text.len())], &options);
    let day = tagging.timexes.iter().find_map(|t| {
        let v = t.value.as_deref()?;
        let whole_day = v.len() == 10 || v.get(10..).is_some_and(|r| r.starts_with('T'));
        whole_day
            .then(|| v.get(..10)?.parse::<Date>().ok())
            .flatten()
    })?;
    Some(dossier_core::Published {
        date: day.to_string(),
        origin: "metadata".into(),
        evidence: vec![format!(
            "the dateline \"{}\"",
            doc.slice(dateline.span).trim()
        )],
        confidence: 0.9,
    })
}
