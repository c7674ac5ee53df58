//! Features of each token of the attribution view, shared by the four role taggers: the word and
//! its neighbours, shape and affixes, quotation marks, what the stage's lexicon knows (speech
//! verbs, Konjunktiv, source markers, pronouns), the entity layer, the distance to the sentence's
//! nearest speech verb and quotation, and what the rules found (their cue, source and content):
//! the model learns where the rules are right and where they stop short.

use crate::lexicon::{Lexicon, Mood, VerbClass};
use crate::text::View;
use crate::SpeechEvent;
use dossier_core::Document;

/// Hash of a feature template and its value (FNV-1a, stable across runs and platforms).
fn hash(template: u8, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(template);
    for p in parts {
        for &b in p.as_bytes() {
            eat(b);
        }
        eat(0xff);
    }
    h
}

/// Hash of a feature template and numeric values (cluster ids).
fn hash_n(template: u8, parts: &[u64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ 0x5a;
    let mut eat = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(template);
    for p in parts {
        for b in p.to_le_bytes() {
            eat(b);
        }
    }
    h
}

/// The word clusters the NER lexicon holds for a token: the Brown cluster (German; the bit path
/// with a leading 1, 0 = none) and our embedding clusters (64/256/1024, each 1 + id, 0 = none),
/// of the word as written, else of its lower-case form.
#[derive(Clone, Copy, Default)]
pub(crate) struct Clusters {
    brown: u32,
    emb: [u16; 3],
}

impl Clusters {
    pub(crate) fn of(lex: Option<&dossier_ner::lexicon::Lexicon>, word: &str, lower: &str) -> Self {
        let Some(lex) = lex else {
            return Clusters::default();
        };
        let a = lex.get(word);
        let b = if lower == word { a } else { lex.get(lower) };
        let brown = if a.cluster != 0 { a.cluster } else { b.cluster };
        let pick = |x: &[u16; dossier_ner::lexicon::EMB_LEVELS]| [x[0], x[1], x[x.len() - 1]];
        let emb = if a.emb.iter().any(|&e| e != 0) {
            pick(&a.emb)
        } else {
            pick(&b.emb)
        };
        Clusters { brown, emb }
    }

    /// The first `k` bits of the Brown path (all of it when shorter).
    fn brown_prefix(&self, k: u32) -> u64 {
        let bits = 32 - self.brown.leading_zeros();
        if bits > k {
            (self.brown >> (bits - k)) as u64
        } else {
            self.brown as u64
        }
    }

    /// One coarse class a word: its Brown prefix of 6 bits, else its middle embedding cluster,
    /// else none (0).
    pub(crate) fn class(&self) -> u32 {
        if self.brown != 0 {
            self.brown_prefix(6) as u32 | 1 << 30
        } else if self.emb[1] != 0 {
            self.emb[1] as u32 | 2 << 30
        } else {
            0
        }
    }
}

/// The word-cluster lexicon for a document's language.
pub(crate) fn cluster_lexicon(doc: &Document) -> Option<&'static dossier_ner::lexicon::Lexicon> {
    cluster_lexicon_for(&doc.language)
}

/// The word-cluster lexicon for a language: German only (the English model is trained without
/// word clusters).
pub(crate) fn cluster_lexicon_for(lang: &str) -> Option<&'static dossier_ner::lexicon::Lexicon> {
    if !CLUSTERS || lang != "de" {
        return None;
    }
    dossier_ner::shared_lexicon(lang)
}

/// Whether the taggers read word clusters.
const CLUSTERS: bool = true;

fn shape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(k) {
            out.push(k);
        }
        if out.len() > 6 {
            break;
        }
    }
    out
}

fn bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        7..=12 => "7-12",
        _ => "13+",
    }
}

/// What a token is for the rules and the lexicon, computed once per token.
#[derive(Clone, Copy, Default)]
struct Marks {
    cue_verb: bool,
    rule_cue: bool,
    rule_source: bool,
    rule_direct: bool,
    rule_content: bool,
}

/// One feature vector per token of `view`.
pub(crate) fn token_features(
    doc: &Document,
    view: &View,
    lex: &Lexicon,
    events: &[SpeechEvent],
) -> Vec<Vec<u64>> {
    let mut out = vec![Vec::new(); view.toks.len()];
    sentence_features(doc, view, lex, events, |a, features| {
        for (k, f) in features.into_iter().enumerate() {
            out[a + k] = f;
        }
    });
    // Tokens outside every sentence (none in practice) still get the bias.
    for f in out.iter_mut().filter(|f| f.is_empty()) {
        f.push(hash(0, &[]));
    }
    out
}

/// The features of each sentence's tokens, handed to `sink` with the sentence's first token, one
/// sentence at a time: a long document never holds all its tokens' features at once (about
/// 400 bytes a token). What is kept for every token of the document is a few bytes (marks,
/// mood, entity label); words, lower-case forms and shapes are read or made per sentence.
pub(crate) fn sentence_features(
    doc: &Document,
    view: &View,
    lex: &Lexicon,
    events: &[SpeechEvent],
    mut sink: impl FnMut(usize, Vec<Vec<u64>>),
) {
    let n = view.toks.len();
    let words = |k: usize| view.tok(k);
    let lower = |k: usize| view.lower(k);
    let entity_codes = entity_labels(doc, view);
    let entity = |k: usize| ENTITY_LABELS[entity_codes[k] as usize];
    let moods: Vec<Option<Mood>> = (0..n).map(|k| lex.mood(lower(k))).collect();
    let opening_marks: std::collections::HashSet<usize> =
        view.quotes.iter().map(|q| q.open.0).collect();
    let marker_starts: std::collections::HashSet<&str> = lex
        .source_before
        .iter()
        .filter_map(|m| m.first().map(String::as_str))
        .collect();
    let clex = cluster_lexicon(doc);
    let mut marks = vec![Marks::default(); n];
    for (i, m) in marks.iter_mut().enumerate() {
        m.cue_verb = lex.readings(lower(i), VerbClass::Cue).next().is_some();
    }
    let inside = |i: usize, r: Option<(usize, usize)>| {
        r.is_some_and(|(a, b)| view.toks[i].b0 >= a && view.toks[i].b1 <= b)
    };
    for e in events {
        let ranges = [Some(e.content), e.cue, e.source];
        let lo_byte = ranges.iter().flatten().map(|r| r.0).min().unwrap_or(0);
        let hi_byte = ranges.iter().flatten().map(|r| r.1).max().unwrap_or(0);
        let lo = view.toks.partition_point(|t| t.b1 <= lo_byte);
        for (i, m) in marks.iter_mut().enumerate().skip(lo) {
            if view.toks[i].b0 >= hi_byte {
                break;
            }
            m.rule_cue |= inside(i, e.cue);
            m.rule_source |= inside(i, e.source);
            if inside(i, Some(e.content)) {
                m.rule_content = true;
                m.rule_direct |= e.direct;
            }
        }
    }
    // Per sentence: token positions of speech verbs, and whether it holds a quotation or a
    // Konjunktiv I form.
    let sentence_flags = |(a, b): (usize, usize)| {
        let cue = (a..b).any(|k| marks[k].cue_verb);
        let sub1 = (a..b).any(|k| moods[k] == Some(Mood::Sub1));
        let rule = (a..b).any(|k| marks[k].rule_content);
        (cue, sub1, rule)
    };
    let flags: Vec<(bool, bool, bool)> = view.sents.iter().map(|&r| sentence_flags(r)).collect();
    for (s, &(a, b)) in view.sents.iter().enumerate() {
        let cues: Vec<usize> = (a..b).filter(|&k| marks[k].cue_verb).collect();
        let has_quote = (a..b).any(|k| view.toks[k].quote.is_some());
        let has_sub1 = flags[s].1;
        let para_start = s == 0 || view.sent_para.get(s) != view.sent_para.get(s - 1);
        // The sentence before, in the same paragraph: reported speech runs on in the Konjunktiv.
        let prev = (s > 0 && !para_start).then(|| flags[s - 1]);
        let prev_flags = match prev {
            Some((cue, sub1, rule)) => [
                if cue { "cue" } else { "-" },
                if sub1 { "k1" } else { "-" },
                if rule { "rule" } else { "-" },
            ],
            None => ["none", "none", "none"],
        };
        // This sentence's words, lower-case forms and shapes, indexed from its first token.
        let words: Vec<&str> = (a..b).map(words).collect();
        let lower: Vec<&str> = (a..b).map(lower).collect();
        let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
        let clusters: Vec<Clusters> = words
            .iter()
            .zip(&lower)
            .map(|(w, l)| Clusters::of(clex, w, l))
            .collect();
        let classes: Vec<u32> = clusters.iter().map(Clusters::class).collect();
        let words = |k: usize| words[k - a];
        let lower = |k: usize| lower[k - a];
        let dass = (a..b).find(|&k| matches!(lower(k), "dass" | "daß" | "ob" | "that" | "whether"));
        let first_comma = (a..b).find(|&k| words(k) == ",");
        let colon = (a..b).find(|&k| words(k) == ":");
        let mut out = Vec::with_capacity(b.saturating_sub(a));
        for i in a..b {
            let mut f = Vec::with_capacity(48);
            let w = |k: isize| -> &str {
                let j = i as isize + k;
                if j < a as isize || j >= b as isize {
                    "<s>"
                } else {
                    lower(j as usize)
                }
            };
            f.push(hash(0, &[]));
            for (t, k) in [(1u8, -2isize), (2, -1), (3, 0), (4, 1), (5, 2)] {
                f.push(hash(t, &[w(k)]));
            }
            f.push(hash(6, &[w(-1), w(0)]));
            f.push(hash(7, &[w(0), w(1)]));
            // The wider window.
            f.push(hash(40, &[w(-3)]));
            f.push(hash(41, &[w(3)]));
            f.push(hash(42, &[w(-2), w(-1)]));
            f.push(hash(43, &[w(1), w(2)]));
            f.push(hash(44, &[words(i)]));
            // Word clusters: the word's Brown prefixes and embedding clusters, the coarse class
            // of its neighbours and the class bigrams.
            if clex.is_some() {
                let c = &clusters[i - a];
                if c.brown != 0 {
                    for (t, k) in [(70u8, 4u32), (71, 6), (72, 10)] {
                        f.push(hash_n(t, &[c.brown_prefix(k)]));
                    }
                    f.push(hash_n(73, &[c.brown as u64]));
                }
                for (t, &e) in [74u8, 75, 76].iter().zip(&c.emb) {
                    if e != 0 {
                        f.push(hash_n(*t, &[e as u64]));
                    }
                }
                let class = |k: isize| -> u64 {
                    let j = i as isize + k;
                    if j < a as isize || j >= b as isize {
                        u64::MAX
                    } else {
                        classes[j as usize - a] as u64
                    }
                };
                for (t, k) in [(77u8, -2isize), (78, -1), (79, 1), (80, 2)] {
                    f.push(hash_n(t, &[class(k)]));
                }
                f.push(hash_n(81, &[class(-1), class(0)]));
                f.push(hash_n(82, &[class(0), class(1)]));
            }
            let w0 = lower(i);
            // Affixes as slices at character boundaries (no string per token).
            let suffix = |k: usize| {
                w0.char_indices()
                    .rev()
                    .nth(k - 1)
                    .map_or(w0, |(b, _)| &w0[b..])
            };
            let prefix = w0.char_indices().nth(3).map_or(w0, |(b, _)| &w0[..b]);
            f.push(hash(8, &[suffix(3)]));
            f.push(hash(45, &[suffix(4)]));
            f.push(hash(46, &[suffix(1)]));
            f.push(hash(9, &[suffix(2)]));
            f.push(hash(10, &[prefix]));
            let sh = shapes[i - a].as_str();
            f.push(hash(11, &[sh]));
            let sh_prev = if i > a {
                shapes[i - a - 1].as_str()
            } else {
                "<s>"
            };
            let sh_next = if i + 1 < b {
                shapes[i + 1 - a].as_str()
            } else {
                "</s>"
            };
            f.push(hash(12, &[sh_prev, sh, sh_next]));
            // Quotation marks.
            let t = &view.toks[i];
            let q = if t.qmark {
                if opening_marks.contains(&t.b0) {
                    "open"
                } else {
                    "mark"
                }
            } else if t.quote.is_some() {
                "in"
            } else {
                "out"
            };
            f.push(hash(13, &[q]));
            f.push(hash(14, &[q, w(0)]));
            let q_prev = i > a && view.toks[i - 1].qmark;
            let q_next = i + 1 < b && view.toks[i + 1].qmark;
            f.push(hash(
                15,
                &[
                    if q_prev { "y" } else { "n" },
                    if q_next { "y" } else { "n" },
                ],
            ));
            // Lexicon.
            for (class, name) in [
                (VerbClass::Cue, "cue"),
                (VerbClass::Planned, "planned"),
                (VerbClass::Hoped, "hoped"),
                (VerbClass::Reportative, "sollen"),
            ] {
                if let Some(r) = lex.readings(lower(i), class).next() {
                    f.push(hash(16, &[name]));
                    f.push(hash(17, &[name, &r.lemma]));
                    if r.particle.is_some() {
                        f.push(hash(18, &[name]));
                    }
                }
            }
            match moods[i] {
                Some(Mood::Sub1) => f.push(hash(19, &["k1"])),
                Some(Mood::Sub2) => f.push(hash(19, &["k2"])),
                None => {}
            }
            for (set, name) in [
                (&lex.information_nouns, "info"),
                (&lex.source_after, "after"),
                (&lex.so_marker, "so"),
                (&lex.as_marker, "as"),
                (&lex.complementizers, "comp"),
                (&lex.person_pronouns, "pron"),
                (&lex.subject_pronouns, "subj"),
                (&lex.determiners, "det"),
                (&lex.alleged_adverbs, "alleged"),
                (&lex.anaphoric_sources, "anaphoric"),
                (&lex.role_nouns, "role"),
            ] {
                if set.contains(lower(i)) {
                    f.push(hash(20, &[name]));
                }
            }
            if marker_starts.contains(lower(i)) {
                f.push(hash(20, &["before"]));
            }
            // Entities.
            f.push(hash(21, &[entity(i)]));
            f.push(hash(
                22,
                &[if i > a { entity(i - 1) } else { "<s>" }, entity(i)],
            ));
            f.push(hash(
                23,
                &[entity(i), if i + 1 < b { entity(i + 1) } else { "</s>" }],
            ));
            // The sentence's speech verbs and quotations.
            let nearest = cues.iter().map(|&c| (c.abs_diff(i), c)).min();
            match nearest {
                Some((d, c)) => {
                    let side = match c.cmp(&i) {
                        std::cmp::Ordering::Less => "after-cue",
                        std::cmp::Ordering::Greater => "before-cue",
                        std::cmp::Ordering::Equal => "cue",
                    };
                    f.push(hash(24, &[side, bucket(d)]));
                    f.push(hash(25, &[side, entity(i)]));
                    let commas = (c.min(i)..c.max(i)).filter(|&k| words(k) == ",").count();
                    f.push(hash(26, &[side, bucket(commas)]));
                    f.push(hash(47, &[side, lower(c)]));
                    f.push(hash(48, &[side, bucket(d), q]));
                }
                None => f.push(hash(24, &["no-cue"])),
            }
            f.push(hash(
                27,
                &[
                    if has_quote { "q" } else { "-" },
                    if has_sub1 { "k1" } else { "-" },
                    q,
                ],
            ));
            if i == a {
                f.push(hash(28, &[if para_start { "para" } else { "sent" }]));
            }
            f.push(hash(32, &prev_flags));
            f.push(hash(
                33,
                &[prev_flags[1], if has_sub1 { "k1" } else { "-" }, q],
            ));
            f.push(hash(34, &[bucket(i - a)]));
            let after_colon = colon.is_some_and(|c| i > c);
            f.push(hash(49, &[if after_colon { ":" } else { "-" }, q]));
            f.push(hash(50, &[bucket(b - 1 - i)]));
            let after_dass = dass.is_some_and(|d| i > d);
            let after_comma = first_comma.is_some_and(|c| i > c);
            f.push(hash(
                35,
                &[
                    if after_dass { "dass" } else { "-" },
                    if after_comma { "," } else { "-" },
                    if cues.is_empty() { "-" } else { "cue" },
                ],
            ));
            // What the rules found.
            let m = marks[i];
            let rule = if m.rule_cue {
                "cue"
            } else if m.rule_source {
                "source"
            } else if m.rule_content && m.rule_direct {
                "direct"
            } else if m.rule_content {
                "content"
            } else {
                "-"
            };
            f.push(hash(29, &[rule]));
            f.push(hash(30, &[rule, q]));
            let rule_prev = i > a && (marks[i - 1].rule_content || marks[i - 1].rule_cue);
            f.push(hash(31, &[rule, if rule_prev { "y" } else { "n" }]));
            out.push(f);
        }
        sink(a, out);
    }
}

fn side_code(side: &str) -> u64 {
    match side {
        "before" => 1,
        "after" => 2,
        _ => 3,
    }
}

/// The coarse word-cluster class ([`Clusters::class`]) of each token in `a..b` of the view.
pub(crate) fn cluster_classes(doc: &Document, view: &View, a: usize, b: usize) -> Vec<u32> {
    let lex = cluster_lexicon(doc);
    (a..b)
        .map(|k| Clusters::of(lex, view.tok(k), view.lower(k)).class())
        .collect()
}

/// The entity labels of [`entity_labels`], by their code.
const ENTITY_LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// `B-PER`, `I-ORG`, ... or `O` for each token, from the document's entity layer, as indices
/// into [`ENTITY_LABELS`] (one byte a token).
fn entity_labels(doc: &Document, view: &View) -> Vec<u8> {
    let mut out = vec![0u8; view.toks.len()];
    for e in &doc.entities {
        let (b, i) = match e.kind.as_str() {
            "PER" => (1, 2),
            "ORG" => (3, 4),
            "LOC" => (5, 6),
            _ => (7, 8),
        };
        for m in &e.mentions {
            let r = doc.byte_range(m.span);
            let lo = view.toks.partition_point(|t| t.b1 <= r.start);
            let mut first = true;
            for (k, t) in view.toks.iter().enumerate().skip(lo) {
                if t.b0 >= r.end {
                    break;
                }
                out[k] = if first { b } else { i };
                first = false;
            }
        }
    }
    out
}

/// Features from the cue tagger's spans in the sentence (`cues`, token ranges from the
/// sentence's first token), added to each token's features for the other roles: where the
/// nearest predicted cue is, how far, behind how many commas, and its first word. The roles are
/// read off the cue the model found, not only off the speech verbs of the lexicon.
pub(crate) fn add_cue_features<S: AsRef<str>>(
    features: &mut [Vec<u64>],
    lower: &[S],
    classes: &[u32],
    cues: &[(usize, usize)],
    prev_cue: bool,
) {
    let n = features.len().min(lower.len());
    // Whether the sentence before had a cue of the tagger: reported speech runs on without one.
    let prev = if prev_cue { "prev-cue" } else { "prev-none" };
    let here = if cues.is_empty() { "none" } else { "cue" };
    // Prefix count of commas, for the commas between a token and its cue.
    let mut commas = vec![0usize; n + 1];
    for k in 0..n {
        commas[k + 1] = commas[k] + usize::from(lower[k].as_ref() == ",");
    }
    for i in 0..n {
        let f = &mut features[i];
        f.push(hash(66, &[prev, here]));
        f.push(hash(67, &[prev, here, lower[i].as_ref()]));
        let nearest = cues
            .iter()
            .map(|&(a, b)| {
                let d = if i < a {
                    a - i
                } else if i >= b {
                    i + 1 - b
                } else {
                    0
                };
                (d, a, b)
            })
            .min();
        let Some((d, a, b)) = nearest else {
            f.push(hash(60, &["none"]));
            continue;
        };
        let side = if i < a {
            "before"
        } else if i >= b {
            "after"
        } else {
            "in"
        };
        let between = if i < a {
            commas[a] - commas[i + 1]
        } else if i >= b {
            commas[i] - commas[b]
        } else {
            0
        };
        let cue_word = lower.get(a).map_or("", |w| w.as_ref());
        f.push(hash(61, &[side, bucket(d)]));
        f.push(hash(62, &[side, bucket(between)]));
        f.push(hash(63, &[side, cue_word]));
        if let Some(&c) = classes.get(a).filter(|&&c| c != 0) {
            // The cue word's cluster: the cues the lexicon and the corpus never saw.
            f.push(hash_n(68, &[side_code(side), c as u64]));
            let own = classes.get(i).copied().unwrap_or(0) as u64;
            f.push(hash_n(69, &[side_code(side), c as u64, own]));
        }
        f.push(hash(64, &[side, bucket(d), bucket(between)]));
        f.push(hash(
            65,
            &[side, if cues.len() > 1 { "many" } else { "one" }],
        ));
    }
}

/// First-pass labels of a token, one per role (in [`super::ROLES`] order: outside, begin or
/// inside).
pub(crate) type Labels = [u8; 4];

/// What the second pass reads about a sentence's neighbours: the first-pass labels of the
/// sentences before and after (and whether each is in the same paragraph), the sentence's
/// position in its paragraph, and whether it holds a Konjunktiv I form.
pub(crate) struct Around<'a> {
    pub prev: Option<(&'a [Labels], bool)>,
    pub next: Option<(&'a [Labels], bool)>,
    pub para_pos: usize,
    pub sub1: bool,
}

/// Whether a lower-case token bounds a clause (for the second pass's clause features).
pub(crate) fn is_clause_mark(lower: &str) -> bool {
    matches!(
        lower,
        "," | ";" | ":" | "–" | "—" | "-" | "(" | ")" | "." | "?" | "!"
    )
}

/// A share as a coarse bucket: none of `d`, a quarter or less, half or less, three quarters or
/// less, more, all; `"empty"` when `d` is 0.
fn share(n: usize, d: usize) -> &'static str {
    if d == 0 {
        "empty"
    } else if n == 0 {
        "0"
    } else if n >= d {
        "all"
    } else if n * 4 <= d {
        "q1"
    } else if n * 2 <= d {
        "q2"
    } else if n * 4 <= d * 3 {
        "q3"
    } else {
        "q4"
    }
}

/// What the first pass marked in a run of labels: the share of quotation tokens, whether it
/// holds a cue, whether it holds a speaker.
fn marked(ls: &[Labels]) -> [&'static str; 3] {
    use super::chain::O;
    use super::{CUE, QUOTATION, SPEAKER};
    let count = |role: usize| ls.iter().filter(|l| l[role] != O).count();
    [
        share(count(QUOTATION), ls.len()),
        if count(CUE) > 0 { "cue" } else { "-" },
        if count(SPEAKER) > 0 { "spk" } else { "-" },
    ]
}

/// [`marked`] for the sentence before or after, behind whether it is in the same paragraph.
fn beside(x: Option<(&[Labels], bool)>) -> [&'static str; 4] {
    match x {
        None => ["none"; 4],
        Some((ls, same)) => {
            let [q, c, s] = marked(ls);
            [if same { "same" } else { "other" }, q, c, s]
        }
    }
}

/// The second pass's features (a stacked tagger over the first pass's output, trained on
/// first-pass labels of documents the first pass did not see): each role's first-pass label at
/// the tokens ±1..±8, the share of quotation tokens in the sentence, its clause and the clauses
/// beside it, in the sentences before and after, whether they hold a cue or speaker, the
/// distance to the nearest first-pass cue and speaker, the sentence's place in its paragraph
/// and its Konjunktiv. `marks[k]`: whether token `k` bounds a clause ([`is_clause_mark`]).
pub(crate) fn add_second_features(
    features: &mut [Vec<u64>],
    marks: &[bool],
    here: &[Labels],
    around: &Around,
) {
    use super::chain::O;
    use super::{CUE, QUOTATION, SPEAKER};
    let n = features.len().min(marks.len()).min(here.len());
    let p = beside(around.prev);
    let nx = beside(around.next);
    let [here_q, here_c, here_s] = marked(&here[..n]);
    let sub1 = if around.sub1 { "k1" } else { "-" };
    // Clauses: runs of tokens between clause marks (even ids), each mark a clause of its own
    // (odd ids).
    let mut clause = vec![0usize; n];
    let mut c = 0usize;
    for k in 0..n {
        if marks[k] {
            c += 1;
            clause[k] = c;
            c += 1;
        } else {
            clause[k] = c;
        }
    }
    // Per clause: tokens, quotation tokens, cue tokens, speaker tokens.
    let mut stats = vec![[0usize; 4]; c + 1];
    for k in 0..n {
        let s = &mut stats[clause[k]];
        s[0] += 1;
        s[1] += usize::from(here[k][QUOTATION] != O);
        s[2] += usize::from(here[k][CUE] != O);
        s[3] += usize::from(here[k][SPEAKER] != O);
    }
    let clause_share = |id: Option<usize>| match id.and_then(|i| stats.get(i)) {
        Some(s) => share(s[1], s[0]),
        None => "none",
    };
    // Nearest first-pass cue and speaker token at or before / after each token.
    let nearest = |role: usize| {
        let mut before = vec![None; n];
        let mut last = None;
        for k in 0..n {
            if here[k][role] != O {
                last = Some(k);
            }
            before[k] = last;
        }
        let mut after = vec![None; n];
        let mut next = None;
        for k in (0..n).rev() {
            if here[k][role] != O {
                next = Some(k);
            }
            after[k] = next;
        }
        (before, after)
    };
    let cues = nearest(CUE);
    let speakers = nearest(SPEAKER);
    let side = |(before, after): &(Vec<Option<usize>>, Vec<Option<usize>>), i: usize| {
        let b = before[i].map(|k| i - k);
        let a = after[i].map(|k| k - i);
        match (b, a) {
            (Some(0), _) | (_, Some(0)) => ("at", 0),
            (Some(x), Some(y)) if x <= y => ("after", x),
            (_, Some(y)) => ("before", y),
            (Some(x), None) => ("after", x),
            (None, None) => ("none", 0),
        }
    };
    let label = |k: isize, role: usize| -> u64 {
        if k < 0 || k as usize >= n {
            3
        } else {
            here[k as usize][role] as u64
        }
    };
    for i in 0..n {
        let f = &mut features[i];
        let ii = i as isize;
        for role in 0..3 {
            for off in -8isize..=8 {
                f.push(hash_n(
                    90,
                    &[role as u64, (off + 8) as u64, label(ii + off, role)],
                ));
            }
        }
        for off in -2isize..=2 {
            f.push(hash_n(90, &[3, (off + 8) as u64, label(ii + off, 3)]));
        }
        let own = here[i];
        let ql = ["o", "b", "i", "x"][own[QUOTATION].min(3) as usize];
        f.push(hash_n(
            91,
            &[own[0] as u64, own[1] as u64, own[2] as u64, own[3] as u64],
        ));
        f.push(hash_n(
            92,
            &[
                label(ii - 1, QUOTATION),
                label(ii, QUOTATION),
                label(ii + 1, QUOTATION),
            ],
        ));
        f.push(hash(93, &[p[0], p[1], here_q, nx[0], nx[1]]));
        f.push(hash(94, &[p[0], p[1], p[3], here_c, sub1, ql]));
        f.push(hash(95, &[nx[0], nx[1], nx[2], nx[3], here_q, here_c, ql]));
        f.push(hash(96, &[bucket(around.para_pos), here_q, ql]));
        f.push(hash(97, &[here_q, here_c, here_s, ql]));
        let ci = clause[i];
        let (cp, cn) = if ci.is_multiple_of(2) {
            (ci.checked_sub(2), Some(ci + 2))
        } else {
            (ci.checked_sub(1), Some(ci + 1))
        };
        let (co, cpv, cnx) = (clause_share(Some(ci)), clause_share(cp), clause_share(cn));
        f.push(hash(98, &[co, cpv, cnx]));
        f.push(hash(99, &[co, ql]));
        f.push(hash(100, &[co, cpv, ql]));
        f.push(hash(101, &[co, cnx, ql]));
        let st = stats[ci];
        f.push(hash(
            102,
            &[
                co,
                if st[2] > 0 { "cue" } else { "-" },
                if st[3] > 0 { "spk" } else { "-" },
            ],
        ));
        let (cs, cd) = side(&cues, i);
        f.push(hash(103, &[cs, bucket(cd), ql]));
        f.push(hash(104, &[cs, bucket(cd), here_q]));
        let (ss, sd) = side(&speakers, i);
        f.push(hash(105, &[ss, bucket(sd), cs]));
        f.push(hash(106, &[ss, bucket(sd), ql]));
    }
}

/// Features of a whole sentence for the whole-sentence classifier (reported speech told
/// without a clause, "Die Medien sprechen von …": the annotation makes the whole sentence the
/// quotation, which a token tagger rarely labels throughout): its words and word pairs, the
/// words the first pass marks as cue or speaker, the share of first-pass quotation tokens here
/// and in the sentences beside it, its place in the paragraph, its Konjunktiv and marks.
pub(crate) fn sentence_vector<S: AsRef<str>>(
    lower: &[S],
    here: &[Labels],
    around: &Around,
) -> Vec<u64> {
    use super::chain::O;
    use super::{CUE, SPEAKER};
    let n = lower.len().min(here.len());
    let mut f = Vec::with_capacity(3 * n + 16);
    f.push(hash(110, &[]));
    let word = |k: usize| lower[k].as_ref();
    let mut words = 0;
    let mut marks = false;
    for (k, own) in here.iter().enumerate().take(n) {
        let w = word(k);
        if w.chars().any(char::is_alphanumeric) {
            words += 1;
            f.push(hash(111, &[w]));
        }
        marks |= w.chars().any(|c| "„“”\"»«‚‘".contains(c));
        if k + 1 < n {
            f.push(hash(112, &[w, word(k + 1)]));
        }
        if own[CUE] != O {
            f.push(hash(114, &[w]));
        }
        if own[SPEAKER] == super::chain::B {
            f.push(hash(115, &[bucket(k)]));
        }
    }
    if n > 0 {
        f.push(hash(113, &[word(0)]));
    }
    let [here_q, here_c, here_s] = marked(&here[..n]);
    let p = beside(around.prev);
    let nx = beside(around.next);
    f.push(hash(116, &[here_q]));
    f.push(hash(117, &p[..3]));
    f.push(hash(118, &nx[..3]));
    f.push(hash(119, &[bucket(around.para_pos)]));
    f.push(hash(
        120,
        &[
            if around.sub1 { "k1" } else { "-" },
            if marks { "marks" } else { "-" },
        ],
    ));
    f.push(hash(121, &[bucket(words / 4)]));
    f.push(hash(122, &[here_q, here_c, here_s]));
    f.push(hash(123, &[p[1], here_q, here_c]));
    f
}
