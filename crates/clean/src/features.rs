//! Step 1 of 3: the page's lines and what can be seen of each one.
//!
//! A dump is split into whitespace-normalised lines (blank lines separate blocks; hard-wrapped
//! paragraphs are rejoined). Every line gets its phrase-table cue ([`crate::lines::classify`]:
//! furniture phrases, bylines, credits, date and agency lines from `data/*.txt`) and a bag of
//! features for the line classifier: length, case, word shapes, punctuation, position on the page
//! and relative to the first paragraph of running text, repetition on the page, and the same few
//! facts about its neighbours. Features are strings hashed to `u32` (FNV-1a), so the model file
//! holds only the features seen in training.

use crate::lines::{classify, Class};
use std::collections::HashMap;

/// A page read into lines, with each line's cue and features.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub lines: Vec<Line>,
    pub cues: Vec<Class>,
    /// Hashed features of each line.
    pub features: Vec<Vec<u32>>,
    /// How many raw lines (split on `\n`) the page has.
    pub raw_lines: usize,
}

/// Reads a page dump: lines, cues, features.
pub(crate) fn read_page(text: &str) -> Page {
    let lines = split_lines(text);
    let cues: Vec<Class> = lines.iter().map(classify).collect();
    let mut facts: Vec<Facts> = lines.iter().zip(&cues).map(|(l, c)| facts(l, c)).collect();
    // The rules-only cleaner's verdict on each line is one more feature.
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let rules_labels = crate::eval::labels_of_lines(&texts, &crate::baseline::clean(text));
    for (f, l) in facts.iter_mut().zip(rules_labels) {
        f.rules = l.name();
    }
    let context = PageContext::new(&lines, &facts);
    let features = (0..lines.len())
        .map(|i| line_features(i, &lines, &facts, &context))
        .collect();
    Page {
        lines,
        cues,
        features,
        raw_lines: text.split('\n').count(),
    }
}

/// What a line shows on its own, in a few coarse values.
#[derive(Debug, Clone)]
struct Facts {
    cue: &'static str,
    cue_reason: String,
    len: &'static str,
    words: &'static str,
    words_n: usize,
    end: &'static str,
    start: &'static str,
    title_like: bool,
    prose: bool,
    first_word: String,
    last_word: String,
    shape: String,
    caps: &'static str,
    /// The label the rules-only cleaner gives the line.
    rules: &'static str,
}

fn facts(line: &Line, cue: &Class) -> Facts {
    let text = line.text.as_str();
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower_word = |w: Option<&&str>| -> String {
        w.map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .chars()
                .take(15)
                .collect()
        })
        .unwrap_or_default()
    };
    let capitalised = words
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    let caps = match (capitalised * 10).checked_div(words.len()).unwrap_or(0) {
        0..=2 => "low",
        3..=5 => "mid",
        6..=8 => "high",
        _ => "all",
    };
    Facts {
        cue: cue_name(cue),
        cue_reason: cue_reason(cue),
        len: bucket(
            line.chars,
            &[
                (10, "≤10"),
                (20, "≤20"),
                (40, "≤40"),
                (60, "≤60"),
                (100, "≤100"),
                (160, "≤160"),
                (300, "≤300"),
            ],
            ">300",
        ),
        words: bucket(
            words.len(),
            &[
                (1, "1"),
                (2, "2"),
                (3, "3"),
                (5, "≤5"),
                (8, "≤8"),
                (14, "≤14"),
                (25, "≤25"),
            ],
            ">25",
        ),
        words_n: words.len(),
        end: end_class(text),
        start: start_class(text),
        title_like: is_title_like(text),
        prose: is_prose(line),
        first_word: lower_word(words.first()),
        last_word: lower_word(words.last()),
        shape: words
            .iter()
            .take(3)
            .map(|w| word_shape(w))
            .collect::<Vec<_>>()
            .join(" "),
        caps,
        rules: "",
    }
}

/// Per block: its line count, characters, and whether it is running prose (a hard-wrapped
/// paragraph: several lines, most of them long, ending like a sentence, or one prose line).
pub(crate) fn block_shapes(lines: &[Line]) -> Vec<(usize, usize, bool)> {
    let blocks = lines.last().map_or(0, |l| l.block + 1);
    let mut out = vec![(0usize, 0usize, false); blocks];
    let mut long = vec![0usize; blocks];
    let mut any_prose = vec![false; blocks];
    for l in lines {
        out[l.block].0 += 1;
        out[l.block].1 += l.chars;
        long[l.block] += usize::from(l.chars >= 50);
        any_prose[l.block] |= is_prose(l);
    }
    for (k, l) in lines.iter().enumerate() {
        let last_of_block = lines.get(k + 1).is_none_or(|n| n.block != l.block);
        if last_of_block {
            let shape = &mut out[l.block];
            let ends = ends_sentence(&l.text);
            shape.2 = any_prose[l.block]
                || (shape.0 >= 2 && shape.1 >= 200 && long[l.block] * 3 >= shape.0 * 2 && ends);
        }
    }
    out
}

/// Whether line `i` stops inside a sentence that the next line (across a blank line too)
/// continues in lower case: a hard-wrapped paragraph.
pub(crate) fn runs_on(lines: &[Line], i: usize) -> bool {
    let Some(next) = lines.get(i + 1) else {
        return false;
    };
    let line = &lines[i];
    line.chars >= 40
        && !ends_sentence(&line.text)
        && !line.text.ends_with(':')
        && next.text.starts_with(char::is_lowercase)
}

/// A paragraph of running text: long enough and ending like a sentence.
pub(crate) fn is_prose(line: &Line) -> bool {
    (line.chars >= 80 && ends_sentence(&line.text)) || line.chars >= 250
}

fn bucket(n: usize, edges: &[(usize, &'static str)], above: &'static str) -> &'static str {
    edges
        .iter()
        .find(|(edge, _)| n <= *edge)
        .map_or(above, |(_, name)| name)
}

fn end_class(text: &str) -> &'static str {
    match text.chars().next_back() {
        Some('.') => ".",
        Some('?') => "?",
        Some('!') => "!",
        Some(':') => ":",
        Some(',' | ';') => ",",
        Some(')') => ")",
        Some('…') => "…",
        Some('"' | '”' | '“' | '«' | '»' | '\'' | '’') => "quote",
        Some(c) if c.is_ascii_digit() => "digit",
        Some(c) if c.is_alphabetic() => "letter",
        _ => "other",
    }
}

fn start_class(text: &str) -> &'static str {
    match text.chars().next() {
        Some(c) if c.is_uppercase() => "upper",
        Some(c) if c.is_lowercase() => "lower",
        Some(c) if c.is_ascii_digit() => "digit",
        Some('•' | '·' | '-' | '–' | '—' | '*' | '+' | '>' | '›' | '»' | '|') => "bullet",
        Some('(' | '[') => "paren",
        Some('"' | '„' | '“' | '«' | '\'') => "quote",
        Some('©') => "©",
        _ => "other",
    }
}

/// "Xxxx", "xxxx", "XXXX", "dd", "Xx-Xx", with runs collapsed.
fn word_shape(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars().take(12) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

pub(crate) fn cue_name(c: &Class) -> &'static str {
    match c {
        Class::Content => "content",
        Class::Furniture(_) => "furniture",
        Class::Agency(_) => "agency",
        Class::SignOff => "signoff",
        Class::Byline(_) => "byline",
        Class::Date(_) => "date",
        Class::Caption { .. } => "caption",
        Class::Credit(_) => "credit",
        Class::CaptionMarker => "caption-marker",
        Class::Teaser(_) => "teaser",
        Class::Tail(_) => "tail",
        Class::Box(_) => "box",
        Class::Copyright(..) => "copyright",
    }
}

fn cue_reason(c: &Class) -> String {
    match c {
        Class::Furniture(r) | Class::Teaser(r) | Class::Tail(r) | Class::Box(r) => r.clone(),
        Class::Copyright(r, _) => r.clone(),
        other => cue_name(other).to_string(),
    }
}

/// Facts about the whole page that each line is placed against.
struct PageContext {
    /// Index of the first paragraph of running text, if any.
    first_prose: Option<usize>,
    /// How often each line's text occurs on the page.
    counts: HashMap<String, usize>,
    /// Per line: whether it repeats the start of another line or another line repeats its start.
    repeats_prefix: Vec<bool>,
    /// Per line: how many title-like lines stand before it and above the first prose.
    title_rank: Vec<usize>,
    /// Per block: lines, characters, and whether it reads as running prose.
    blocks: Vec<(usize, usize, bool)>,
}

impl PageContext {
    fn new(lines: &[Line], facts: &[Facts]) -> Self {
        let first_prose = facts.iter().position(|f| f.prose);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for l in lines {
            *counts.entry(l.text.clone()).or_default() += 1;
        }
        let repeats_prefix = (0..lines.len())
            .map(|i| {
                let a = &lines[i].text;
                a.chars().count() >= 15
                    && lines.iter().enumerate().any(|(j, l)| {
                        j != i
                            && j.abs_diff(i) <= 4
                            && l.text != *a
                            && (l.text.starts_with(a.as_str()) || a.starts_with(l.text.as_str()))
                            && l.text.chars().count() >= 15
                    })
            })
            .collect();
        let mut rank = 0;
        let title_rank = facts
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let r = rank;
                if f.title_like && f.cue == "content" && first_prose.is_none_or(|p| i < p) {
                    rank += 1;
                }
                r
            })
            .collect();
        let blocks = block_shapes(lines);
        PageContext {
            blocks,
            first_prose,
            counts,
            repeats_prefix,
            title_rank,
        }
    }
}

/// FNV-1a over the feature's bytes.
pub(crate) fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn line_features(i: usize, lines: &[Line], facts: &[Facts], cx: &PageContext) -> Vec<u32> {
    let f = &facts[i];
    let line = &lines[i];
    let mut out: Vec<String> = Vec::with_capacity(64);
    let mut add = |s: String| out.push(s);
    add("bias".into());
    add(format!("cue={}", f.cue));
    add(format!("rules={}", f.rules));
    let side = cx.first_prose.map_or(0, |p| (p as i64 - i as i64).signum());
    add(format!("rules×prosepos={}×{side}", f.rules));
    add(format!("reason={}", f.cue_reason));
    add(format!("len={}", f.len));
    add(format!("words={}", f.words));
    add(format!("end={}", f.end));
    add(format!("start={}", f.start));
    add(format!("title={}", f.title_like));
    add(format!("prose={}", f.prose));
    add(format!("caps={}", f.caps));
    add(format!("w0={}", f.first_word));
    add(format!("wn={}", f.last_word));
    add(format!("shape={}", f.shape));
    add(format!("len×end={}×{}", f.len, f.end));
    add(format!("cue×len={}×{}", f.cue, f.len));
    add(format!("start×end={}×{}", f.start, f.end));
    let text = line.text.as_str();
    for (mark, name) in [
        ('|', "pipe"),
        ('•', "dot"),
        ('©', "copy"),
        ('(', "paren"),
        ('/', "slash"),
        (':', "colon"),
        ('@', "at"),
        ('"', "quote"),
        ('„', "quote"),
        ('“', "quote"),
    ] {
        if text.contains(mark) {
            add(format!("has={name}"));
        }
    }
    if text.contains(|c: char| c.is_ascii_digit()) {
        add("has=digit".into());
    }
    // The words of a short line (furniture shares its wording across outlets: "newsletter",
    // "sign up", "advertisement"); of a long one only the first few.
    let limit = if f.words_n <= 12 { 12 } else { 4 };
    for w in text.split_whitespace().take(limit) {
        let w: String = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()) {
            add(format!("word={w}"));
        }
    }
    if !crate::dates::find_dates(text).is_empty() {
        add("has=date".into());
    }
    if line.date_prefix {
        add("date-prefix".into());
    }
    if text.contains("http") || text.contains("www.") {
        add("has=url".into());
    }
    // Position on the page and against the first paragraph of running text.
    add(format!(
        "pos={}",
        bucket(
            i,
            &[
                (0, "0"),
                (1, "1"),
                (2, "2"),
                (3, "3"),
                (5, "≤5"),
                (8, "≤8"),
                (14, "≤14"),
                (25, "≤25")
            ],
            ">25"
        )
    ));
    let n = lines.len().max(1);
    add(format!("rel={}", (i * 4) / n));
    if i + 1 == lines.len() {
        add("last".into());
    }
    let against = match cx.first_prose {
        None => "no-prose".to_string(),
        Some(p) if i < p => format!("before-prose-{}", (p - i).min(6)),
        Some(p) if i == p => "first-prose".to_string(),
        Some(p) => format!("after-prose-{}", (i - p).min(4)),
    };
    add(format!("prosepos={against}"));
    add(format!("prosepos×title={against}×{}", f.title_like));
    add(format!("prosepos×cue={against}×{}", f.cue));
    add(format!("prosepos×len={against}×{}", f.len));
    add(format!("titlerank={}", cx.title_rank[i].min(4)));
    add(format!(
        "titlerank×title={}×{}×{}",
        cx.title_rank[i].min(4),
        f.title_like,
        cx.first_prose.is_none_or(|p| i < p)
    ));
    // Repetition on the page.
    let count = cx.counts.get(&line.text).copied().unwrap_or(1);
    if count > 1 {
        add("repeated".into());
        let earlier = lines[..i].iter().any(|l| l.text == line.text);
        add(format!("repeated-earlier={earlier}"));
    }
    if cx.repeats_prefix[i] {
        add("prefix-repeat".into());
    }
    // Blocks, and lines that run on into the next (hard-wrapped text).
    let blank_before = i == 0 || lines[i - 1].block != line.block;
    let blank_after = i + 1 == lines.len() || lines[i + 1].block != line.block;
    add(format!("blank={blank_before}{blank_after}"));
    let (block_lines, block_chars, block_prose) = cx.blocks[line.block];
    add(format!("block-lines={}", block_lines.min(4)));
    add(format!(
        "block-chars={}",
        bucket(
            block_chars,
            &[(40, "≤40"), (100, "≤100"), (250, "≤250"), (600, "≤600")],
            ">600"
        )
    ));
    add(format!("block-prose={block_prose}"));
    add(format!("block-prose×len={block_prose}×{}", f.len));
    if !blank_after && !ends_sentence(text) {
        let next_lower = lines[i + 1].text.starts_with(char::is_lowercase);
        add(format!("runs-on×next-lower={next_lower}"));
    }
    if runs_on(lines, i) {
        add("runs-on-lower".into());
    }
    if i > 0 && runs_on(lines, i - 1) {
        add("continued-lower".into());
    }
    if !blank_before && !ends_sentence(&lines[i - 1].text) {
        add(format!("continues×start={}", f.start));
    }
    // Neighbours.
    for (offset, name) in [(-2i64, "p2"), (-1, "p1"), (1, "n1"), (2, "n2")] {
        let j = i as i64 + offset;
        if j < 0 || j as usize >= lines.len() {
            add(format!("{name}=none"));
            continue;
        }
        let g = &facts[j as usize];
        add(format!("{name}.cue={}", g.cue));
        if offset.abs() == 1 {
            add(format!("{name}.len={}", g.len));
            add(format!("{name}.end={}", g.end));
            add(format!("{name}.title={}", g.title_like));
            add(format!("{name}.prose={}", g.prose));
            add(format!("{name}.reason={}", g.cue_reason));
            add(format!("{name}.w0={}", g.first_word));
            add(format!("{name}.cue×cue={}×{}", g.cue, f.cue));
            add(format!(
                "{name}.title×title={}×{}",
                g.title_like, f.title_like
            ));
        }
    }
    out.iter().map(|s| hash(s)).collect()
}

/// One non-blank line of the dump, whitespace-normalised.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub text: String,
    /// Index of the blank-line-separated block the line belongs to.
    pub block: usize,
    pub chars: usize,
    /// The page's raw lines (split on `\n`) this line stands for: `raw..raw_end` (more than one
    /// when hard-wrapped lines were rejoined).
    pub raw: usize,
    pub raw_end: usize,
    /// A date split off the line it was glued to: the corpus' date prefix ("date 2024-03-05")
    /// of the first line, or a date line glued to a title ("…Dezember 2022Der Tag").
    pub date_prefix: bool,
}

impl Line {
    #[cfg(test)]
    pub(crate) fn new(text: String, block: usize) -> Self {
        Line::at(text, block, 0)
    }

    fn at(text: String, block: usize, raw: usize) -> Self {
        let chars = text.chars().count();
        Line {
            text,
            block,
            chars,
            raw,
            raw_end: raw + 1,
            date_prefix: false,
        }
    }
}

/// Splits a dump into normalised lines with block numbers; rejoins hard-wrapped paragraphs.
pub(crate) fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut block = 0;
    let mut blank = false;
    // "\r\n" is one break; a lone "\r" (old Mac files) is one too.
    for (index, raw) in text.split('\n').enumerate().flat_map(|(i, l)| {
        l.strip_suffix('\r')
            .unwrap_or(l)
            .split('\r')
            .map(move |piece| (i, piece))
    }) {
        let line = normalise_whitespace(raw);
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            block += 1;
        }
        blank = false;
        if out.is_empty() {
            if let Some((prefix, rest)) = split_date_prefix(&line) {
                let mut p = Line::at(prefix.to_string(), block, index);
                p.date_prefix = true;
                out.push(p);
                if !rest.is_empty() {
                    out.push(Line::at(rest.to_string(), block, index));
                }
                continue;
            }
        }
        if let Some((date, rest)) = split_glued_date(&line) {
            let mut p = Line::at(date.to_string(), block, index);
            p.date_prefix = true;
            out.push(p);
            out.push(Line::at(rest.to_string(), block, index));
            continue;
        }
        out.push(Line::at(line, block, index));
    }
    unwrap_hard_wrapped(out)
}

/// "date 2024-03-05 Headline …" → ("date 2024-03-05", "Headline …"): the date prefix some page
/// dumps open with.
fn split_date_prefix(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("date ")?;
    let date_len = rest.find(' ').unwrap_or(rest.len());
    let date = &rest[..date_len];
    let shape_ok = (date.len() == 7 || date.len() == 10)
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape_ok.then(|| (&line[..5 + date_len], rest[date_len..].trim_start()))
}

/// "Dienstag, 06. Dezember 2022Der Tag" → ("Dienstag, 06. Dezember 2022", "Der Tag"): a date
/// line glued without a space to the title after it.
fn split_glued_date(line: &str) -> Option<(&str, &str)> {
    let mut prev_digit = false;
    for (i, c) in line.char_indices() {
        if i > 60 {
            return None;
        }
        if prev_digit && c.is_uppercase() {
            let (date, rest) = line.split_at(i);
            let glued = crate::dates::is_date_line(date)
                && !crate::dates::find_dates(date).is_empty()
                && rest.split_whitespace().count() >= 2;
            return glued.then_some((date, rest));
        }
        prev_digit = c.is_ascii_digit();
    }
    None
}

/// Collapses every run of Unicode whitespace (NBSP, thin space, tab) into one space and drops
/// invisible characters (zero-width space, soft hyphen, BOM) and control characters, so words stay
/// intact.
pub(crate) fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else if matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}') || c.is_control() {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A dump wrapped at a fixed width (all long lines end near the same column, none much longer)
/// has its paragraphs rejoined: a line that reaches the wrap column continues on the next line of
/// its block.
fn unwrap_hard_wrapped(lines: Vec<Line>) -> Vec<Line> {
    let longest = lines.iter().map(|l| l.chars).max().unwrap_or(0);
    let long = lines.iter().filter(|l| l.chars >= 30).count();
    let near = lines
        .iter()
        .filter(|l| l.chars + 15 >= longest && l.chars >= 30)
        .count();
    // Lines cut at a wrap column mostly end inside a sentence.
    let cut = lines
        .iter()
        .filter(|l| l.chars + 15 >= longest && l.chars >= 30 && !ends_sentence(&l.text))
        .count();
    if longest > 100 || near < 5 || near * 2 < long || cut * 5 < near * 3 {
        return lines;
    }
    // A dump with a blank line after every line has no paragraph blocks to keep: a wrapped line
    // continues across the blank line (a paragraph's last line is short and joins nothing).
    let every_line_a_block = lines
        .windows(2)
        .all(|w| w[0].block != w[1].block || w[0].raw == w[1].raw);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut last_len = 0;
    for line in lines {
        // A wire dateline ("Frankfurt (ots) – …") opens a paragraph: the line above it ends
        // one (or is the title above the report).
        let joins = last_len + 20 >= longest
            && crate::agency::dateline_agencies(&line.text).is_none()
            && out
                .last()
                .is_some_and(|prev: &Line| every_line_a_block || prev.block == line.block);
        last_len = line.chars;
        match out.last_mut() {
            Some(prev) if joins => {
                let next_lower = line.text.chars().next().is_some_and(char::is_lowercase);
                if prev.text.ends_with('-') && next_lower {
                    prev.text.pop(); // a word split at the wrap column
                } else if !prev.text.ends_with('-') {
                    prev.text.push(' ');
                }
                prev.text.push_str(&line.text);
                prev.chars = prev.text.chars().count();
                prev.raw_end = line.raw_end;
            }
            _ => out.push(line),
        }
    }
    out
}

/// The site's today-date bar ("Friday 22 November 2019", "Fri 19 Apr 2024"): a short weekday date
/// without a time among the first three lines, above the headline (`headline_at`, if any). Not a
/// date glued to a title (that is the article's).
pub(crate) fn is_today_bar(lines: &[Line], i: usize, headline_at: Option<usize>) -> bool {
    let line = &lines[i];
    let text = line.text.as_str();
    let weekday = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| crate::rules::rules().weekdays.contains(w));
    i < 3
        && headline_at.is_none_or(|h| i < h)
        && !line.date_prefix
        && line.chars <= 40
        && weekday
        && !rules_time(text)
        && crate::dates::is_date_line(text)
        && !crate::dates::find_dates(text).is_empty()
}

/// A weather widget ("bedeckt München 20°", "Wednesday 7 June 2023 Dublin: 8°C"): a short line
/// without a sentence end that gives a temperature.
pub(crate) fn is_weather_widget(text: &str) -> bool {
    let temperature = text.match_indices('°').any(|(at, _)| {
        let before = text[..at].trim_end();
        let digit = before.ends_with(|c: char| c.is_ascii_digit());
        let after = &text[at + '°'.len_utf8()..];
        let unit_ok = after.is_empty()
            || after.starts_with(['C', 'F', ' ', ',', '|'])
            || after.starts_with(char::is_whitespace);
        digit && unit_ok
    });
    temperature
        && text.chars().count() <= 60
        && text.split_whitespace().count() <= 8
        && !ends_sentence(text)
}

fn rules_time(text: &str) -> bool {
    crate::rules::rules().dates.time.is_match(text)
}

/// Whether a line ends a sentence: `.`, `!`, `?` or `…`, possibly inside closing quotes.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '”', '“', '\'', '’', '»', '«', ')', ']', ' ']);
    t.ends_with(['.', '!', '?', '…'])
}

/// Whether a line ends with a full stop (headlines may end with `?` or `!`, seldom with `.`).
pub(crate) fn ends_full_stop(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '”', '“', '\'', '’', '»', '«', ')', ']', ' ']);
    t.ends_with(['.', '…', ',', ';'])
}

pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A line that reads like a title (headline, kicker, subheading, teaser), not like running text.
pub(crate) fn is_title_like(s: &str) -> bool {
    let chars = s.chars().count();
    chars <= 200
        && word_count(s) <= 30
        && !ends_full_stop(s)
        && !s.chars().next().is_some_and(char::is_lowercase)
}
