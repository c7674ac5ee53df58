//! The rule format: word classes, tense cues and patterns of one language, read from a data file
//! and compiled once.
//!
//! A rule file is line-based (`#` starts a comment):
//!
//! ```text
//! @MONTH = januar:01, jan:01, februar:02        word class: words (with optional values)
//! @DAY ~ 3[01]|[12]\d|0?[1-9]                   regex alternative of a class (value = the text)
//! anniversary ~ (?P<N>\d{1,3})\.\s+jahrestag    anniversary cue; group N is the count
//! PATTERN => TYPE TEMPLATE [mod=M] [;; TYPE TEMPLATE [mod=M]] [!next REGEX] [!prev REGEX]
//! ```
//!
//! In a PATTERN (a case-insensitive regex), `@NAME` or `@NAME:tag` becomes a capture group of the
//! class's alternatives, named `NAME` or `NAME_tag`; `<<` … `>>` marks the extent of one output
//! (without markers the whole match is the extent). A TEMPLATE refers to groups as `{NAME}` or
//! `{NAME|filter}` (filters: `pad2`, `pad4`, `dec`, `cut`, `num`, `yy`); an absent group renders
//! as `?` (to be inferred from context). `!next`/`!prev` reject a match followed/preceded by text
//! matching REGEX. Classes the engine reads itself: `CUE_PAST`, `CUE_FUTURE`, `CUE_RECUR`,
//! `EVENT_END`, `EVENT_BEGIN`, `LANG_HINT`.

use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{literal, Hir, HirKind, Look};
use std::collections::HashMap;
use std::sync::Mutex;

/// One output of a rule: an extent group (or the whole match), a type and a value template.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub extent: Option<String>,
    pub kind: &'static str,
    pub template: String,
    pub modifier: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub re: meta::Regex,
    /// The regex `re` was compiled from (for tests and debugging).
    pub source: String,
    /// The rule has no case-sensitive part: it runs, without `(?i)`, on the lower-cased text
    /// (case-insensitive literals defeat the regex crate's literal prefilters).
    pub lower: bool,
    pub outputs: Vec<Output>,
    pub not_next: Option<Regex>,
    pub not_prev: Option<Regex>,
    /// Capture-group name → class name, for value look-up.
    pub group_class: HashMap<String, String>,
}

#[derive(Debug, Default)]
pub(crate) struct Class {
    /// Lower-cased word (single spaces) → value.
    pub words: HashMap<String, String>,
    pub regexes: Vec<String>,
}

impl Class {
    fn alternation(&self) -> String {
        let mut words: Vec<&String> = self.words.keys().collect();
        // Longest first, so that a regex alternation prefers "januar" over "jan".
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut alts: Vec<String> = words
            .iter()
            .map(|w| {
                crate::fold(w)
                    .split(' ')
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        alts.extend(
            self.regexes
                .iter()
                .map(|r| format!("(?:{})", crate::fold(r))),
        );
        alts.join("|")
    }

    /// The value of a matched word: its listed value, or the text itself.
    pub fn value(&self, matched: &str) -> String {
        let key = matched
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        self.words
            .get(&key)
            .cloned()
            .unwrap_or_else(|| matched.trim().to_string())
    }
}

/// A tense or recurrence cue: the words of a class.
#[derive(Debug)]
pub(crate) struct Cue {
    pub re: meta::Regex,
    /// The cue's pattern in the start automaton, which then finds where it matches; without
    /// one (its first bytes are not known) the cue scans the text.
    pub found: Option<usize>,
}

/// Every rule and class of one language.
#[derive(Debug)]
pub(crate) struct Language {
    pub code: String,
    pub classes: HashMap<String, Class>,
    pub rules: Vec<Rule>,
    pub anniversary: Vec<Regex>,
    /// Tense cues: (regex, is_future).
    pub cue_past: Option<Cue>,
    pub cue_future: Option<Cue>,
    pub cue_recur: Option<Cue>,
    pub lang_hint: Option<Regex>,
    /// Where the rules match; `None` (never expected) makes every rule scan the whole text.
    pub starts: Option<Starts>,
}

impl Language {
    pub fn class_has(&self, class: &str, word: &str) -> bool {
        self.classes
            .get(class)
            .is_some_and(|c| c.words.contains_key(&word.to_lowercase()))
    }
}

fn kind_of(s: &str) -> Option<&'static str> {
    match s {
        "DATE" => Some("DATE"),
        "TIME" => Some("TIME"),
        "DURATION" => Some("DURATION"),
        "SET" => Some("SET"),
        _ => None,
    }
}

/// ASCII versions of the Perl classes: the regexes run on folded (ASCII) text, where the
/// Unicode classes mean the same but cost far more states.
pub(crate) fn ascii_classes(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut chars = re.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('s') => out.push_str(r"[\t\n\x0B\x0C\r ]"),
                Some('d') => out.push_str("[0-9]"),
                Some('b') => out.push_str(r"(?-u:\b)"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-cases the literals of a pattern, leaving escapes and group names alone.
fn lowercase_pattern(re: &str) -> String {
    let mut out = String::with_capacity(re.len());
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '<' if out.ends_with("(?P") => {
                out.push(c);
                for n in chars.by_ref() {
                    out.push(n);
                    if n == '>' {
                        break;
                    }
                }
            }
            // The character after `(?` is syntax (`P<name>`, flags), not a literal.
            _ if out.ends_with("(?") => out.push(c),
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Expands `@NAME[:tag]` and `<<`/`>>` in a pattern.
fn expand(
    pattern: &str,
    classes: &HashMap<String, Class>,
    group_class: &mut HashMap<String, String>,
    extents: &mut usize,
) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() * 4);
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '@' && i + 1 < chars.len() && chars[i + 1].is_ascii_uppercase() {
            let mut j = i + 1;
            // Class names are capitals, digits and underscores ("@HOUR24", "@DECADE2").
            while j < chars.len()
                && (chars[j].is_ascii_uppercase() || chars[j].is_ascii_digit() || chars[j] == '_')
            {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            let mut group = name.clone();
            if j + 1 < chars.len() && chars[j] == ':' && chars[j + 1].is_ascii_lowercase() {
                let mut k = j + 1;
                while k < chars.len() && chars[k].is_ascii_alphanumeric() {
                    k += 1;
                }
                let tag: String = chars[j + 1..k].iter().collect();
                group = format!("{name}_{tag}");
                j = k;
            }
            let class = classes
                .get(&name)
                .ok_or_else(|| format!("unknown class @{name}"))?;
            group_class.insert(group.clone(), name);
            out.push_str(&format!("(?P<{group}>{})", class.alternation()));
            i = j;
        } else if c == '<' && chars.get(i + 1) == Some(&'<') {
            out.push_str(&format!("(?P<t{}>", *extents));
            *extents += 1;
            i += 2;
        } else if c == '>' && chars.get(i + 1) == Some(&'>') {
            out.push(')');
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

/// The regex of a word class: any of its words or regexes, as whole words.
fn words_source(class: Option<&Class>) -> Option<String> {
    let class = class?;
    if class.words.is_empty() && class.regexes.is_empty() {
        return None;
    }
    Some(ascii_classes(&format!(
        r"(?i)\b(?:{})\b",
        class.alternation()
    )))
}

/// Parses and compiles one rule file. Errors name the line.
pub(crate) fn compile(code: &str, source: &str) -> Result<Language, String> {
    let mut classes: HashMap<String, Class> = HashMap::new();
    let mut pending_rules: Vec<(usize, String)> = Vec::new();
    let mut anniversary = Vec::new();
    for (n, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| format!("{code} rules line {}: {m}", n + 1);
        if let Some(rest) = line.strip_prefix('@') {
            if let Some((name, words)) = rest.split_once(" = ") {
                let class = classes.entry(name.trim().to_string()).or_default();
                for entry in words.split(',') {
                    let entry = entry.trim();
                    if entry.is_empty() {
                        continue;
                    }
                    let (word, value) = match entry.rsplit_once(':') {
                        Some((w, v)) => (w.trim(), v.trim()),
                        None => (entry, entry),
                    };
                    let key = word
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase();
                    class.words.insert(key, value.to_string());
                }
            } else if let Some((name, re)) = rest.split_once(" ~ ") {
                Regex::new(re.trim()).map_err(|e| err(&e.to_string()))?;
                classes
                    .entry(name.trim().to_string())
                    .or_default()
                    .regexes
                    .push(re.trim().to_string());
            } else {
                return Err(err("a class line is `@NAME = words` or `@NAME ~ regex`"));
            }
        } else if let Some(re) = line.strip_prefix("anniversary ~ ") {
            anniversary.push(
                Regex::new(&ascii_classes(&format!("(?i){}", crate::fold(re.trim()))))
                    .map_err(|e| err(&e.to_string()))?,
            );
        } else if line.contains(" => ") {
            pending_rules.push((n + 1, line.to_string()));
        } else {
            return Err(err("unrecognised line"));
        }
    }
    let mut rules = Vec::with_capacity(pending_rules.len());
    for (n, line) in pending_rules {
        let err = |m: String| format!("{code} rules line {n}: {m}");
        let (pattern, rest) = line.split_once(" => ").ok_or_else(|| err("no =>".into()))?;
        let (rest, not_prev) = match rest.split_once(" !prev ") {
            Some((a, b)) => (a, Some(b.trim())),
            None => (rest, None),
        };
        let (rest, not_next) = match rest.split_once(" !next ") {
            Some((a, b)) => (a, Some(b.trim())),
            None => (rest, None),
        };
        let mut group_class = HashMap::new();
        let mut extents = 0;
        let expanded = expand(
            &crate::fold(pattern.trim()),
            &classes,
            &mut group_class,
            &mut extents,
        )
        .map_err(err)?;
        let lower = !expanded.contains("(?-i");
        let source = if lower {
            lowercase_pattern(&ascii_classes(&expanded))
        } else {
            ascii_classes(&format!("(?i){expanded}"))
        };
        let re = rule_regex(&source).map_err(|e| err(e.to_string()))?;
        let mut outputs = Vec::new();
        for (i, out) in rest.split(" ;; ").enumerate() {
            let mut parts = out.split_whitespace();
            let kind = parts
                .next()
                .and_then(kind_of)
                .ok_or_else(|| err("output needs DATE|TIME|DURATION|SET".into()))?;
            let template = parts
                .next()
                .ok_or_else(|| err("output needs a value template".into()))?
                .to_string();
            let mut modifier = None;
            for p in parts {
                if let Some(m) = p.strip_prefix("mod=") {
                    modifier = Some(m.to_string());
                }
            }
            let extent = (extents > 0).then(|| format!("t{i}"));
            outputs.push(Output {
                extent,
                kind,
                template,
                modifier,
            });
        }
        let anchored = |r: Option<&str>, next: bool| -> Result<Option<Regex>, String> {
            r.map(|r| {
                let r = crate::fold(r);
                // Case-sensitive: "followed by a capitalised word" must mean what it says.
                let full = if next {
                    format!("^(?:{r})")
                } else {
                    format!("(?:{r})$")
                };
                Regex::new(&ascii_classes(&full)).map_err(|e| err(e.to_string()))
            })
            .transpose()
        };
        rules.push(Rule {
            re,
            source,
            lower,
            outputs,
            not_next: anchored(not_next, true)?,
            not_prev: anchored(not_prev, false)?,
            group_class,
        });
    }
    let mut sources: Vec<&str> = rules.iter().map(|r| r.source.as_str()).collect();
    let cue_sources = ["CUE_PAST", "CUE_FUTURE", "CUE_RECUR"].map(|c| words_source(classes.get(c)));
    let mut cues = Vec::new();
    for source in cue_sources.iter() {
        let Some(source) = source else {
            cues.push(None);
            continue;
        };
        // A cue whose first bytes are known joins the start automaton and then runs anchored
        // only; one that could start anywhere scans, with the regex crate's prefilters.
        let found = regex_syntax::parse(source)
            .ok()
            .and_then(|h| start_pairs(&h))
            .map(|_| {
                sources.push(source);
                sources.len() - 1
            });
        let re = match found {
            Some(_) => rule_regex(source).ok(),
            None => meta::Regex::new(source).ok(),
        };
        cues.push(re.map(|re| Cue { re, found }));
    }
    let starts = Starts::new(&sources);
    let [cue_past, cue_future, cue_recur]: [Option<Cue>; 3] =
        cues.try_into().map_err(|_| format!("{code} rules: cues"))?;
    if let Err(e) = &starts {
        // Slower but still correct: every rule scans the whole text.
        eprintln!("dossier-time: {code} rules: no start automaton: {e}");
    }
    Ok(Language {
        starts: starts.ok(),
        code: code.to_string(),
        cue_past,
        cue_future,
        cue_recur,
        lang_hint: words_source(classes.get("LANG_HINT")).and_then(|s| Regex::new(&s).ok()),
        classes,
        rules,
        anniversary,
    })
}

/// A rule's regex: configured as `regex::Regex::new` configures its own, so matches are the
/// same, but with the lower-level API that can search anchored at a given position. It runs
/// anchored (see `Starts`), so it needs no literal prefilter, whose extraction would make up
/// most of the time spent compiling the rules.
fn rule_regex(source: &str) -> Result<meta::Regex, String> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(10 * (1 << 20)))
                .hybrid_cache_capacity(2 * (1 << 20))
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .auto_prefilter(false),
        )
        .syntax(regex_automata::util::syntax::Config::new().utf8(true))
        .build(source)
        .map_err(|e| e.to_string())
}

/// Finds the positions where each rule matches, in one pass over the text for all rules, so that
/// a rule's regex runs only where it matches instead of scanning the whole text.
///
/// A position is a candidate when its first bytes can begin a match of some rule (and, for
/// the rules that open with `\b`, when it is a word boundary); at a candidate one anchored search
/// of an automaton that holds every rule tells which rules match there.
#[derive(Debug)]
pub(crate) struct Starts {
    /// Every rule as one pattern (pattern `i` is rule `i`), case-insensitive and without groups,
    /// on the folded text: it matches wherever the rule does (a lower-cased rule, which runs on
    /// the lower-cased text, matches the same ASCII text case-insensitively).
    set: DFA,
    /// Caches of `set`, one per thread that tags at the same time; they keep the states the
    /// lazy DFA built, so later texts run on a warm automaton.
    caches: Mutex<Vec<Cache>>,
    /// Starts of the rules that open with `\b`, checked at word boundaries only.
    at_boundary: Prefixes,
    /// Starts of the other rules, checked everywhere.
    anywhere: Prefixes,
}

impl Starts {
    fn new(sources: &[&str]) -> Result<Starts, String> {
        let patterns: Vec<String> = sources.iter().map(|s| format!("(?i){s}")).collect();
        // A forward lazy DFA only: the search is anchored, so no reverse automaton or
        // prefilter is needed. It never gives up (a full cache is cleared and rebuilt).
        let set = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(16 * (1 << 20)),
            )
            .syntax(syntax::Config::new().utf8(true))
            .thompson(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(50 * (1 << 20))),
            )
            .build_many(&patterns)
            .map_err(|e| e.to_string())?;
        let mut at_boundary = Prefixes::default();
        let mut anywhere = Prefixes::default();
        for source in sources {
            let hir = regex_syntax::parse(source).map_err(|e| e.to_string())?;
            let starts = start_pairs(&hir);
            if opens_with_word_boundary(&hir) {
                at_boundary.add(starts);
            } else {
                anywhere.add(starts);
            }
        }
        Ok(Starts {
            set,
            caches: Mutex::new(Vec::new()),
            at_boundary,
            anywhere,
        })
    }

    /// The (rule, position) pairs of every rule match start in `folded` (its lower-cased copy
    /// is `lowered`), sorted.
    pub fn find(&self, folded: &str, lowered: &str) -> Vec<(usize, usize)> {
        let bytes = lowered.as_bytes();
        let mut out = Vec::new();
        let mut which = PatternSet::new(self.set.pattern_len());
        let mut cache = self
            .caches
            .lock()
            .ok()
            .and_then(|mut c| c.pop())
            .unwrap_or_else(|| self.set.create_cache());
        let mut prev_word = false;
        let (first_b, first_a) = (self.at_boundary.first(), self.anywhere.first());
        for (p, &b) in bytes.iter().enumerate() {
            let word = is_word_byte(b);
            let boundary = word != prev_word;
            prev_word = word;
            // Most bytes start no prefix: a table look-up rejects them.
            let i = usize::from(b);
            if !(boundary && first_b[i] || first_a[i]) {
                continue;
            }
            if !(boundary && self.at_boundary.hit(bytes, p) || self.anywhere.hit(bytes, p)) {
                continue;
            }
            let input = Input::new(folded)
                .span(p..folded.len())
                .anchored(Anchored::Yes);
            if self
                .set
                .try_which_overlapping_matches(&mut cache, &input, &mut which)
                .is_err()
            {
                // Never expected (the DFA neither quits nor gives up): try every rule here.
                which.clear();
                out.extend((0..self.set.pattern_len()).map(|r| (r, p)));
                continue;
            }
            if which.is_empty() {
                continue;
            }
            out.extend(which.iter().map(|pid| (pid.as_usize(), p)));
            which.clear();
        }
        if let Ok(mut c) = self.caches.lock() {
            c.push(cache);
        }
        out.sort_unstable();
        out
    }
}

fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

const WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    t
};

/// Lower-cased first bytes (up to four) one of which begins every match of some rules: single
/// bytes and byte pairs exactly, three and four bytes hashed into bit sets (a collision only
/// costs an extra search).
#[derive(Debug)]
struct Prefixes {
    /// Bytes some prefix starts with (a quick first test).
    first: [bool; 256],
    one: [bool; 256],
    /// Bit sets of two, three and four bytes.
    more: [Vec<u64>; 3],
    any: bool,
}

impl Default for Prefixes {
    fn default() -> Self {
        Prefixes {
            first: [false; 256],
            one: [false; 256],
            more: [vec![0; 1 << 10], vec![0; 1 << 10], vec![0; 1 << 10]],
            any: false,
        }
    }
}

/// The bit of a prefix of 2 to 4 bytes packed into `v` (first byte highest).
fn slot(n: usize, v: u32) -> usize {
    if n == 2 {
        v as usize
    } else {
        (v.wrapping_mul(0x9E37_79B1) >> 16) as usize
    }
}

impl Prefixes {
    /// Adds the starts of one rule; `None` (unknown) means anything.
    fn add(&mut self, starts: Option<Vec<Vec<u8>>>) {
        let Some(starts) = starts else {
            self.any = true;
            return;
        };
        for l in starts {
            if let Some(&b) = l.first() {
                self.first[usize::from(b)] = true;
            }
            match l.len() {
                0 => self.any = true,
                1 => self.one[usize::from(l[0])] = true,
                n => {
                    let n = n.min(4);
                    let v = l[..n].iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
                    let i = slot(n, v);
                    self.more[n - 2][i >> 6] |= 1 << (i & 63);
                }
            }
        }
    }

    /// The bytes a prefix may start with (all of them when any start is possible).
    fn first(&self) -> [bool; 256] {
        if self.any {
            [true; 256]
        } else {
            self.first
        }
    }

    #[inline]
    fn hit(&self, bytes: &[u8], p: usize) -> bool {
        if self.any {
            return true;
        }
        let a = usize::from(bytes[p]);
        if !self.first[a] {
            return false;
        }
        self.one[a] || self.hit_more(bytes, p)
    }

    fn hit_more(&self, bytes: &[u8], p: usize) -> bool {
        let mut v = u32::from(bytes[p]);
        for n in 2..=4 {
            let Some(&b) = bytes.get(p + n - 1) else {
                return false;
            };
            v = v << 8 | u32::from(b);
            let i = slot(n, v);
            if self.more[n - 2][i >> 6] >> (i & 63) & 1 == 1 {
                return true;
            }
        }
        false
    }
}

/// The first bytes (up to four, lower-cased ASCII) of every match of `hir`, or `None` when
/// they are not known.
///
/// The literal extractor is the one the regex crate uses for its own prefilters, so the set is
/// complete: a match that starts otherwise cannot exist. The rules run on ASCII text (see
/// `fold`), so literals with other bytes can never occur and are dropped.
fn start_pairs(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut extractor = literal::Extractor::new();
    extractor
        .kind(literal::ExtractKind::Prefix)
        .limit_literal_len(4)
        .limit_total(4_096);
    let seq = extractor.extract(hir);
    let mut lits: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .filter(|l| l.is_ascii())
        .collect();
    lits.sort_unstable();
    lits.dedup();
    Some(lits)
}

fn opens_with_word_boundary(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::WordAscii) => true,
        HirKind::Concat(subs) => subs.first().is_some_and(opens_with_word_boundary),
        HirKind::Capture(c) => opens_with_word_boundary(&c.sub),
        _ => false,
    }
}
