//! Events stage: who did what to whom, coded in PLOVER, in German and English news.
//!
//! Input: a `Document` with `sentences`, `tokens`, `entities` (with their mentions and places),
//! `times` and `attributions`; output: the `events` layer. Everything is rule and word list:
//!
//! * Triggers: verbs with separable particles ("lehnt … ab"), governed words ("um … bitten"),
//!   nouns and compound heads ("Raketenangriff"), from `data/de.triggers.tsv` and
//!   `data/en.triggers.tsv`, written from the PLOVER manual's definitions; German forms from the
//!   shared lemma table (`data/de.forms.tsv.gz`, rebuilt by `dossier build events-lexicon`).
//! * Actor and target from case and order: the subject (no preposition, not a dative/accusative
//!   article) is the actor; "mit X" the other party of a meeting; "nach X" the host of a visit;
//!   "von X" the agent of a passive; "gegen X" the target; coordinated subjects are all actors;
//!   "er" and "die beiden Staatschefs" stand for the persons named before.
//! * Codes: ISO alpha-3 from the places the entity's words name (nationality adjectives,
//!   "Nordkoreas Diktator", "US-Regierung"), sector from role words (`data/de.roles.tsv`).
//! * Factuality from the clause (negation, condition, modal verbs, future, perfect, requests) and
//!   the stance of the attribution whose claim holds the event, which the event then links.

pub mod cameo;
pub mod compile;
pub mod eval;
mod grammar;
pub mod learned;
pub mod lexicon;

use std::borrow::Cow;

use dossier_core::{ActorCode, Document, Event, Span, TextSpan};
use grammar::Grammar;
use lexicon::{Lexicon, Pos, Trigger};

/// The 16 PLOVER root types of the manual (draft 0.8).
pub const ROOTS: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// The factuality values of `mode`.
pub const MODES: [&str; 6] = [
    "occurred",
    "ongoing",
    "planned",
    "requested",
    "denied",
    "hypothetical",
];

/// At most this many tokens of a sentence are read for triggers (bounded work on pathological
/// input).
const MAX_SENTENCE_TOKENS: usize = 400;

/// At most this many tokens of a sentence are in the stage's view at all (tokens, candidates):
/// a crawled page can hold megabytes without a full stop, and the view of every token would
/// cost gigabytes. No sentence of the shared corpora comes near (the longest of 29.5 million
/// tokens of Bundestag speeches has 450 tokens), so ordinary text is unchanged.
const MAX_VIEW_TOKENS: usize = 1000;

/// Fills `doc.events`.
pub fn annotate(doc: &mut Document) {
    doc.events = events(doc);
}

/// The events of a document.
pub fn events(doc: &Document) -> Vec<Event> {
    let lang = if doc.language == "en" { "en" } else { "de" };
    if doc.language != "de" && doc.language != "en" {
        return Vec::new();
    }
    let Some(lex) = Lexicon::for_language(lang) else {
        return Vec::new();
    };
    let g = if lang == "en" {
        &grammar::EN
    } else {
        &grammar::DE
    };
    let view = View::new(doc, lex, g);
    let mut evs = view.run();
    if lang == "en" && RETYPE_ENGLISH.load(std::sync::atomic::Ordering::Relaxed) {
        retype_english(doc, &mut evs);
    }
    evs
}

static RETYPE_ENGLISH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turns the classifier's re-typing of English events off (on by default): for measuring the
/// trigger list alone (`dossier train events --cv`).
#[doc(hidden)]
pub fn set_english_retyping(on: bool) {
    RETYPE_ENGLISH.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// English events with an actor and a target: the type the PLV classifier gives the sentence
/// with the two marked (it beats the trigger list on PLV_train in cross-validation: `dossier
/// train events --cv`). PLV's YIELD is CONCEDE unless the trigger said RETREAT.
fn retype_english(doc: &Document, events: &mut [Event]) {
    let Some(model) = learned::Classifier::get() else {
        return;
    };
    for e in events.iter_mut() {
        let (Some(a), Some(t), Some(trig)) = (
            e.actor_mentions.first(),
            e.target_mentions.first(),
            e.trigger.as_ref(),
        ) else {
            continue;
        };
        let (a, t) = (a.span, t.span);
        if a[0] < t[1] && t[0] < a[1] {
            continue;
        }
        // The sentence of the trigger (the layer is sorted by start).
        let k = doc.sentences.partition_point(|s| s[0] <= trig.span[0]);
        let Some(&sent) = k.checked_sub(1).and_then(|k| doc.sentences.get(k)) else {
            continue;
        };
        if trig.span[1] > sent[1] {
            continue;
        }
        if a[0] < sent[0] || a[1] > sent[1] || t[0] < sent[0] || t[1] > sent[1] {
            continue;
        }
        // The sentence around the pair, at most 400 characters beyond it on either side
        // (bounded work on a sentence without end).
        let lo = a[0].min(t[0]).min(trig.span[0]);
        let hi = a[1].max(t[1]).max(trig.span[1]);
        let sent = [
            sent[0].max(lo.saturating_sub(400)),
            sent[1].min(hi.saturating_add(400)),
        ];
        let mut marks = [(a[0], "<s>"), (a[1], "</s>"), (t[0], "<t>"), (t[1], "</t>")];
        // At one position a closing mark comes first.
        marks.sort_by_key(|m| (m.0, !m.1.starts_with("</")));
        let mut marked = String::new();
        let mut at = sent[0];
        for (pos, tag) in marks {
            marked.push_str(doc.slice([at, pos]));
            marked.push_str(tag);
            at = pos;
        }
        marked.push_str(doc.slice([at, sent[1]]));
        let label = model.classify(&marked);
        let kind = match label {
            "YIELD" if matches!(e.kind.as_str(), "CONCEDE" | "RETREAT") => e.kind.clone(),
            "YIELD" => "CONCEDE".to_string(),
            l => l.to_string(),
        };
        if kind != e.kind {
            e.kind = kind;
            e.subtype = None;
        }
    }
}

/// `text.to_lowercase() == text`, without building the lower-case copy.
fn is_lowercase(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| b.is_ascii_uppercase());
    }
    text.chars().all(|c| {
        let mut l = c.to_lowercase();
        l.next() == Some(c) && l.next().is_none()
    })
}

/// How many tokens the stage holds in its view of `doc`: for tests that check a sentence
/// without end is read no further than [`MAX_VIEW_TOKENS`] tokens.
#[doc(hidden)]
pub fn view_tokens(doc: &Document) -> usize {
    let lang = if doc.language == "en" { "en" } else { "de" };
    let Some(lex) = Lexicon::for_language(lang) else {
        return 0;
    };
    View::new(doc, lex, &grammar::DE).toks.len()
}

struct Tok<'a> {
    span: Span,
    /// The lower-case form: the token's own text where it has no upper-case letter.
    lower: Cow<'a, str>,
    cap: bool,
    sent: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// No article, or one that may be nominative.
    NomAcc,
    /// A dative or accusative article.
    Obj,
    /// A genitive attached to the noun at this token.
    Gen(usize),
}

#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    /// Entities it stands for (one, several for "die beiden Staatschefs", none for a role word).
    entities: Vec<usize>,
    /// `PER | ORG | LOC | MISC | ROLE`.
    kind: String,
    sector: Option<String>,
    prep: Option<String>,
    case: Case,
}

struct View<'a> {
    doc: &'a Document,
    lex: &'a Lexicon,
    g: &'a Grammar,
    toks: Vec<Tok<'a>>,
    /// Token range of each sentence.
    sents: Vec<(usize, usize)>,
    cands: Vec<Cand>,
    /// Entity index of the derived (adjective) or part mention at a token.
    adj_at: Vec<Option<usize>>,
    /// Token is inside an entity mention.
    in_mention: Vec<bool>,
    codes: Vec<ActorCode>,
    /// The longest attributed claim, in characters (for [`View::attribution_at`]).
    longest_claim: usize,
}

impl<'a> View<'a> {
    fn new(doc: &'a Document, lex: &'a Lexicon, g: &'a Grammar) -> View<'a> {
        let mut toks = Vec::with_capacity(doc.tokens.len());
        let mut sents = Vec::with_capacity(doc.sentences.len());
        let mut s = 0;
        for (si, sent) in doc.sentences.iter().enumerate() {
            let start = toks.len();
            while s < doc.tokens.len() && doc.tokens[s][0] < sent[0] {
                s += 1;
            }
            while s < doc.tokens.len() && doc.tokens[s][1] <= sent[1] {
                if toks.len() - start < MAX_VIEW_TOKENS {
                    let span = doc.tokens[s];
                    let text = doc.slice(span);
                    toks.push(Tok {
                        span,
                        lower: if is_lowercase(text) {
                            Cow::Borrowed(text)
                        } else {
                            Cow::Owned(text.to_lowercase())
                        },
                        cap: text.chars().next().is_some_and(char::is_uppercase),
                        sent: si,
                    });
                }
                s += 1;
            }
            sents.push((start, toks.len()));
        }
        let n = toks.len();
        let mut view = View {
            doc,
            lex,
            g,
            toks,
            sents,
            cands: Vec::new(),
            adj_at: vec![None; n],
            in_mention: vec![false; n],
            codes: Vec::new(),
            longest_claim: doc
                .attributions
                .iter()
                .map(|a| a.claim.span[1].saturating_sub(a.claim.span[0]))
                .max()
                .unwrap_or(0),
        };
        view.collect_candidates();
        view.codes = (0..doc.entities.len())
            .map(|e| view.entity_code(e))
            .collect();
        view
    }

    /// The candidates starting at tokens `lo..hi` (`cands` is sorted by start and holds no two
    /// that overlap). Every look-up of candidates near a token goes through this, so that the
    /// stage stays linear in the length of the document.
    fn cands_in(&self, lo: usize, hi: usize) -> &[Cand] {
        let a = self.cands.partition_point(|c| c.start < lo);
        let b = self.cands.partition_point(|c| c.start < hi).max(a);
        &self.cands[a..b]
    }

    /// The time expressions that start in the characters `a..b` (the layer is sorted by start).
    fn times_in(&self, a: usize, b: usize) -> &'a [dossier_core::Time] {
        let times = &self.doc.times;
        let lo = times.partition_point(|t| t.span[0] < a);
        let hi = times.partition_point(|t| t.span[0] < b).max(lo);
        &times[lo..hi]
    }

    /// Token range covering a character span.
    fn token_range(&self, span: Span) -> Option<(usize, usize)> {
        let a = self.toks.partition_point(|t| t.span[1] <= span[0]);
        let b = self.toks.partition_point(|t| t.span[0] < span[1]);
        (a < b).then_some((a, b))
    }

    fn collect_candidates(&mut self) {
        let doc = self.doc;
        // The wire dateline ("MUNICH, May 7 (Reuters) -") says where the story was filed: its
        // place and agency take no part in the first sentence's events.
        let dateline = doc.meta.dateline.as_ref().map(|d| d.span);
        let mut cands = Vec::new();
        for (ei, e) in doc.entities.iter().enumerate() {
            for m in &e.mentions {
                let Some((a, b)) = self.token_range(m.span) else {
                    continue;
                };
                if m.kind != "part" {
                    for i in a..b {
                        self.in_mention[i] = true;
                    }
                }
                if dateline.is_some_and(|d| d[0] <= m.span[0] && m.span[1] <= d[1]) {
                    continue;
                }
                let lowercase = !m.text.chars().next().is_some_and(char::is_uppercase);
                if m.kind == "derived" || m.kind == "part" || (lowercase && b == a + 1) {
                    for slot in &mut self.adj_at[a..b] {
                        slot.get_or_insert(ei);
                    }
                    continue;
                }
                cands.push(Cand {
                    start: a,
                    end: b,
                    entities: vec![ei],
                    kind: e.kind.clone(),
                    sector: None,
                    prep: None,
                    case: Case::NomAcc,
                });
            }
        }
        // Plural references ("die beiden Staatschefs", "both leaders"): the last two persons named.
        for i in 0..self.toks.len() {
            if !self.g.both.contains(&self.toks[i].lower.as_ref()) {
                continue;
            }
            let Some(next) = self.toks.get(i + 1) else {
                continue;
            };
            let Some(sector) = self.lex.role_sector(&next.lower) else {
                continue;
            };
            let before = self.toks[i].span[0];
            let mut seen: Vec<(usize, usize)> = Vec::new();
            for c in &cands {
                if c.kind == "PER" && self.toks[c.start].span[0] < before {
                    seen.push((c.start, c.entities[0]));
                }
            }
            seen.sort();
            let mut people: Vec<usize> = Vec::new();
            for &(_, e) in seen.iter().rev() {
                if !people.contains(&e) {
                    people.push(e);
                }
                if people.len() == 2 {
                    break;
                }
            }
            if people.len() == 2 {
                people.reverse();
                cands.push(Cand {
                    start: i,
                    end: i + 2,
                    entities: people,
                    kind: "PER".into(),
                    sector: Some(sector.to_string()),
                    prep: None,
                    case: Case::NomAcc,
                });
                self.in_mention[i + 1] = true;
            }
        }
        // Role words outside entity mentions ("die Polizei", "Demonstranten").
        for i in 0..self.toks.len() {
            let t = &self.toks[i];
            if self.in_mention[i] || (!t.cap && self.lex.lang == "de") {
                continue;
            }
            if let Some(sector) = self.lex.role_sector(&t.lower) {
                let mut a = i;
                while a > self.sents[t.sent].0 {
                    let p = &self.toks[a - 1];
                    let adjective = !p.cap
                        && p.lower.chars().all(char::is_alphabetic)
                        && !self.g.articles.contains(&p.lower.as_ref())
                        && !self.g.preps.contains(&p.lower.as_ref())
                        && (p.lower.ends_with('e')
                            || p.lower.ends_with("en")
                            || self.adj_at[a - 1].is_some());
                    if adjective && i - a < 3 {
                        a -= 1;
                    } else {
                        break;
                    }
                }
                cands.push(Cand {
                    start: a,
                    end: i + 1,
                    entities: Vec::new(),
                    kind: "ROLE".into(),
                    sector: Some(sector.to_string()),
                    prep: None,
                    case: Case::NomAcc,
                });
            }
        }
        // Other nouns (German: capitalised, not sentence-initial articles), as weaker candidates.
        if self.lex.lang == "de" {
            let mut in_time = vec![false; self.toks.len()];
            for t in &doc.times {
                if let Some((a, b)) = self.token_range(t.span) {
                    for (k, slot) in in_time.iter_mut().enumerate().take(b).skip(a) {
                        let tok = self.toks[k].span;
                        *slot |= t.span[0] <= tok[0] && tok[1] <= t.span[1];
                    }
                }
            }
            // Tokens inside a candidate found so far (the nouns below only cover tokens before
            // the one they are found at).
            let mut covered = vec![false; self.toks.len()];
            for c in &cands {
                for slot in covered.iter_mut().take(c.end).skip(c.start) {
                    *slot = true;
                }
            }
            for (i, &timed) in in_time.iter().enumerate() {
                let t = &self.toks[i];
                if !t.cap
                    || self.in_mention[i]
                    || timed
                    || !t.lower.chars().all(|c| c.is_alphabetic() || c == '-')
                    || self.g.articles.contains(&t.lower.as_ref())
                    || self.g.preps.contains(&t.lower.as_ref())
                    || self.lex.role_sector(&t.lower).is_some()
                    || self
                        .lex
                        .lemmas(&t.lower)
                        .iter()
                        .any(|l| !self.lex.triggers_of(l).is_empty())
                    || self.lex.compound_head(&t.lower).is_some()
                    || covered[i]
                    || (i == self.sents[t.sent].0 && GERMAN_FUNCTION.contains(&t.lower.as_ref()))
                {
                    continue;
                }
                let mut a = i;
                while a > self.sents[t.sent].0 && i - a < 3 {
                    let p = &self.toks[a - 1];
                    if !p.cap
                        && p.lower.chars().all(char::is_alphabetic)
                        && !self.g.articles.contains(&p.lower.as_ref())
                        && !self.g.preps.contains(&p.lower.as_ref())
                        && (p.lower.ends_with('e')
                            || p.lower.ends_with("en")
                            || p.lower.ends_with("er"))
                    {
                        a -= 1;
                    } else {
                        break;
                    }
                }
                cands.push(Cand {
                    start: a,
                    end: i + 1,
                    entities: Vec::new(),
                    kind: "NP".into(),
                    sector: None,
                    prep: None,
                    case: Case::NomAcc,
                });
            }
        }
        // Pronouns: the person named last before them (one pass over the persons in text order).
        let mut persons: Vec<(usize, usize)> = cands
            .iter()
            .filter(|c| c.kind == "PER" && c.entities.len() == 1)
            .map(|c| (c.start, c.entities[0]))
            .collect();
        persons.sort_by_key(|p| p.0);
        let mut next_person = 0;
        let mut last_person: Option<(usize, usize)> = None;
        for i in 0..self.toks.len() {
            if !self.g.pronouns.contains(&self.toks[i].lower.as_ref()) {
                continue;
            }
            let here = self.toks[i].span[0];
            while next_person < persons.len() && self.toks[persons[next_person].0].span[0] < here {
                if last_person.is_none_or(|l| persons[next_person].0 >= l.0) {
                    last_person = Some(persons[next_person]);
                }
                next_person += 1;
            }
            if let Some((_, e)) = last_person {
                last_person = Some((i, e));
                cands.push(Cand {
                    start: i,
                    end: i + 1,
                    entities: vec![e],
                    kind: "PER".into(),
                    sector: None,
                    prep: None,
                    case: if self.toks[i].lower == "er" || self.toks[i].lower == "he" {
                        Case::NomAcc
                    } else {
                        Case::Obj
                    },
                });
            }
        }
        // Pronouns the stage does not resolve ("sie", "diese"): the mention itself.
        let mut resolved = vec![false; self.toks.len()];
        for c in cands
            .iter()
            .filter(|c| c.kind == "PER" && c.end == c.start + 1)
        {
            resolved[c.start] = true;
        }
        for (i, &named) in resolved.iter().enumerate() {
            let w = self.toks[i].lower.as_ref();
            let extra = matches!(w, "ihnen") || (self.g.pronouns.contains(&w) && !named);
            let determiner = matches!(w, "diese" | "these");
            if (self.g.plain_pronouns.contains(&w) || extra)
                && i + 1 < self.sents[self.toks[i].sent].1
                && (!determiner || !self.toks[i + 1].cap)
            {
                cands.push(Cand {
                    start: i,
                    end: i + 1,
                    entities: Vec::new(),
                    kind: "PRO".into(),
                    sector: None,
                    prep: None,
                    case: if matches!(w, "ihnen" | "ihn" | "ihm" | "him") {
                        Case::Obj
                    } else {
                        Case::NomAcc
                    },
                });
            }
        }
        cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
        // Drop candidates nested in a longer one.
        let mut kept: Vec<Cand> = Vec::new();
        for c in cands {
            if let Some(last) = kept.last() {
                if c.start < last.end {
                    continue;
                }
            }
            kept.push(c);
        }
        // A title or role word right before the name it introduces is one mention ("der
        // französische Präsident Emmanuel Macron", "die Hilfsorganisation Oxfam"): the name's entity,
        // the title's sector.
        let mut merged: Vec<Cand> = Vec::with_capacity(kept.len());
        for c in kept {
            if let Some(last) = merged.last_mut() {
                let same_sentence = self.toks[last.start].sent == self.toks[c.start].sent;
                // The ner layer gives a title as a mention of the name's entity; a title it
                // does not know is a role word or noun before the name.
                let title = last.entities.is_empty()
                    && matches!(last.kind.as_str(), "ROLE" | "NP")
                    && matches!(c.kind.as_str(), "PER" | "ORG" | "MISC" | "LOC")
                    && !c.entities.is_empty();
                // "der Bremer Verkehrssenator", "die Berliner Polizei": an adjective from a
                // place name (capitalised, in -er) before the noun it qualifies.
                let place_adjective = last.entities.is_empty()
                    && last.kind == "NP"
                    && last.end == last.start + 1
                    && last.end == c.start
                    && c.entities.is_empty()
                    && matches!(c.kind.as_str(), "ROLE" | "NP")
                    && self.toks[last.start].lower.ends_with("er")
                    && self.toks[last.start].lower.chars().count() > 4;
                if same_sentence && place_adjective && self.toks[c.start].cap {
                    last.end = c.end;
                    last.kind = c.kind;
                    last.sector = c.sector;
                    continue;
                }
                // "der Verkehrssenator Dr. Reinhard Loske": an academic title between.
                let gap = last.end < c.start
                    && c.start == last.end + 1
                    && title
                    && self
                        .g
                        .name_titles
                        .contains(&self.toks[last.end].lower.as_ref());
                if same_sentence
                    && (last.end == c.start || gap)
                    && (title || (!c.entities.is_empty() && last.entities == c.entities))
                    && self.toks[c.start].cap
                {
                    last.end = c.end;
                    if title {
                        last.kind = if c.kind == "LOC" {
                            "ORG".into()
                        } else {
                            c.kind
                        };
                        last.entities = c.entities;
                    }
                    if last.sector.is_none() {
                        last.sector = c.sector;
                    }
                    continue;
                }
            }
            merged.push(c);
        }
        let mut kept = merged;
        for c in &mut kept {
            let (prep, case) = self.role_of(c.start);
            if c.case != Case::Obj {
                c.case = case;
            }
            c.prep = prep;
        }
        for k in 0..kept.len() {
            let (start, end) = (kept[k].start, kept[k].end);
            let s0 = self.sents[self.toks[start].sent].0;
            if kept[k].prep.is_some() || kept[k].case != Case::NomAcc || start <= s0 {
                continue;
            }
            let before = &self.toks[start - 1];
            // "der Regierungschefs der Industrienationen und Russlands": the genitive goes on.
            if k > 0
                && self.g.coord.contains(&before.lower.as_ref())
                && kept[k - 1].end + 1 == start
            {
                if let Case::Gen(n) = kept[k - 1].case {
                    kept[k].case = Case::Gen(n);
                    continue;
                }
            }
            // A genitive plural without article: a strong adjective in -er right after a noun
            // ("ein Protestcamp sudanesischer Flüchtlinge", "Angriffe islamistischer Rebellen").
            let first = &self.toks[start];
            if self.lex.lang == "de"
                && before.cap
                && start - 1 > s0
                && !self.in_mention[start - 1]
                && end > start + 1
                && !first.cap
                && first.lower.ends_with("er")
                && first.lower.chars().all(char::is_alphabetic)
                && (k == 0 || kept[k - 1].end < start)
            {
                kept[k].case = Case::Gen(start - 1);
                continue;
            }
            // A name with genitive s right after a noun ("den Rücktritt Thaksins").
            let last = &self.toks[end - 1];
            let next_cap = self
                .toks
                .get(end)
                .is_some_and(|t| t.cap && t.sent == before.sent);
            if self.lex.lang == "de"
                && !kept[k].entities.is_empty()
                && last.lower.ends_with('s')
                && before.cap
                && start - 1 > s0
                && !next_cap
                && !self.in_mention[start - 1]
                && (k == 0 || kept[k - 1].end < start)
            {
                kept[k].case = Case::Gen(start - 1);
            }
        }
        self.cands = kept;
    }

    /// The preposition governing a noun phrase that starts at token `i`, and its case.
    fn role_of(&self, i: usize) -> (Option<String>, Case) {
        let s0 = self.sents[self.toks[i].sent].0;
        let mut j = i;
        let mut case = Case::NomAcc;
        let mut steps = 0;
        while j > s0 && steps < 5 {
            let p = &self.toks[j - 1];
            let w = p.lower.as_ref();
            let before = (j >= 2 && j - 1 > s0).then(|| self.toks[j - 2].lower.as_ref());
            // "mehr als 100", "von über tausend …": a quantifier, not a preposition.
            let comparison = before.is_some_and(|b| {
                (self.g.predicative.contains(&w) && self.g.quantifiers.contains(&b))
                    || (self.g.quantifiers.contains(&w) && self.g.preps.contains(&b))
            });
            // "als Bundesinnenminister" (a predicative), not "als sie …" (a conjunction).
            let predicative = self.g.predicative.contains(&w)
                && (self.toks[j].cap || self.g.articles.contains(&self.toks[j].lower.as_ref()));
            if !comparison && (self.g.preps.contains(&w) || predicative) {
                return (Some(w.to_string()), case);
            }
            if comparison {
                // "mehr als": look further left.
                j -= 1;
                steps += 1;
                continue;
            }
            if self.g.articles_obj.contains(&w) {
                case = Case::Obj;
            } else if self.g.articles_gen.contains(&w) || (w == "der" && j >= 2 && j - 1 > s0) {
                // "der" after a noun is a genitive (or a dative after a preposition).
                let before = &self.toks[j - 2];
                if w != "der" || (before.cap && !self.g.preps.contains(&before.lower.as_ref())) {
                    return (None, Case::Gen(j - 2));
                }
            } else if self.g.articles.contains(&w)
                || self.g.quantifiers.contains(&w)
                || (w.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !w.is_empty())
                // "dem Bremer Verkehrssenator": an adjective from a place name.
                || (p.cap && w.ends_with("er") && self.adj_at[j - 1].is_some())
                || (!p.cap
                    && p.lower.chars().all(char::is_alphabetic)
                    && (w.ends_with('e')
                        || w.ends_with("en")
                        || (w.ends_with("er")
                            && w.chars().count() > 5
                            && !self.g.not_adjectives.contains(&w))))
            {
                // An article or an adjective: look further left.
            } else {
                break;
            }
            j -= 1;
            steps += 1;
        }
        (None, case)
    }

    /// Clause of token `i`: the tokens between punctuation marks.
    fn clause(&self, i: usize) -> (usize, usize) {
        let (s0, s1) = self.sents[self.toks[i].sent];
        let boundary =
            |t: &Tok| matches!(t.lower.as_ref(), "," | ";" | ":" | "(" | ")" | "–" | "—");
        let mut a = i;
        while a > s0 && !boundary(&self.toks[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < s1 && !boundary(&self.toks[b]) {
            b += 1;
        }
        (a, b)
    }

    fn run(&self) -> Vec<Event> {
        let mut found: Vec<Found> = Vec::new();
        for (si, &(s0, s1)) in self.sents.iter().enumerate() {
            let s1 = s1.min(s0 + MAX_SENTENCE_TOKENS);
            for i in s0..s1 {
                if let Some(f) = self.match_trigger(i, s0) {
                    found.push(Found { sent: si, ..f });
                }
            }
        }
        let mut events = Vec::new();
        for (k, f) in found.iter().enumerate() {
            events.push(self.build_event(k, f, &found));
        }
        for (n, e) in events.iter_mut().enumerate() {
            e.id = format!("V{}", n + 1);
        }
        events
    }

    fn match_trigger(&self, i: usize, s0: usize) -> Option<Found> {
        let t = &self.toks[i];
        if self.in_mention[i] || !t.lower.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        let de = self.lex.lang == "de";
        let (c0, c1) = self.clause(i);
        let mut best: Option<(i32, Found)> = None;
        let mut consider = |ti: usize, exact: bool, lemma_is_base: bool| {
            let tr: &Trigger = &self.lex.triggers[ti];
            let sentence_start = i == s0;
            match tr.pos {
                Pos::Verb if de && t.cap && !sentence_start => return,
                Pos::Noun if de && !t.cap => return,
                Pos::Noun if tr.cap && exact => return,
                _ => {}
            }
            let mut particle = None;
            let mut score = 0;
            if let Some(p) = &tr.particle {
                if lemma_is_base {
                    particle = (i + 1..c1).find(|&j| self.toks[j].lower == *p);
                    // The particle written apart before "zu" ("zusammen zu arbeiten").
                    if particle.is_none()
                        && i >= c0 + 2
                        && self.toks[i - 1].lower == "zu"
                        && self.toks[i - 2].lower == *p
                    {
                        particle = Some(i - 2);
                    }
                    if particle.is_none() {
                        return;
                    }
                }
                score += 4;
            } else if tr.pos == Pos::Verb && de {
                // A plain verb whose clause ends in a particle is another verb ("spricht … frei").
                if let Some(last) = (i + 1..c1).rev().find(|&j| self.toks[j].lower != ".") {
                    if self.g.particles.contains(&self.toks[last].lower.as_ref()) && last > i + 1 {
                        return;
                    }
                }
            }
            if !tr.with.is_empty() {
                let ok = tr.with.iter().any(|w| {
                    (c0..c1).any(|j| {
                        let l = &self.toks[j].lower;
                        j != i
                            && (l == w
                                || (w.chars().count() >= 4
                                    && (l.starts_with(w.as_str()) || l.ends_with(w.as_str()))))
                    })
                });
                if !ok {
                    return;
                }
                score += 2;
            }
            if tr.refl && !(c0..c1).any(|j| self.g.reflexive.contains(&self.toks[j].lower.as_ref()))
            {
                return;
            }
            if exact {
                score += 1;
            }
            if tr.weak {
                score -= 1;
            }
            let f = Found {
                sent: 0,
                tok: i,
                trigger: ti,
                particle,
            };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, f));
            }
        };
        let lemmas = self.lex.lemmas(&t.lower);
        for l in &lemmas {
            for &ti in self.lex.triggers_of(l) {
                let tr = &self.lex.triggers[ti];
                let is_base = tr.particle.is_some() && *l == tr.base;
                consider(ti, true, is_base);
            }
        }
        if t.cap || !de {
            if let Some((head, _)) = self.lex.compound_head(&t.lower) {
                for &ti in self.lex.triggers_of(head) {
                    if self.lex.triggers[ti].pos == Pos::Noun {
                        consider(ti, false, false);
                    }
                }
            }
        }
        let (_, f) = best?;
        let tr = &self.lex.triggers[f.trigger];
        // A weak meeting verb needs a named other party ("spricht mit Putin", not "spricht von
        // einer Maßnahme mit der Gießkanne").
        if tr.mit && tr.weak && tr.pos == Pos::Verb {
            let named = self.cands_in(c0 + 1, c1).iter().any(|c| {
                c.start > c0
                    && c.end <= c1
                    && c.kind != "NP"
                    && c.prep
                        .as_deref()
                        .is_some_and(|p| self.g.partner_preps.contains(&p))
            });
            if !named {
                return None;
            }
        }
        // An event noun that a clause stops ("die Verhandlungen einzustellen") is not an event.
        if tr.pos != Pos::Verb
            && (c0..c1).any(|j| j != i && self.g.stop_verbs.contains(&self.toks[j].lower.as_ref()))
        {
            return None;
        }
        Some(f)
    }

    fn build_event(&self, _k: usize, f: &Found, all: &[Found]) -> Event {
        let tr = &self.lex.triggers[f.trigger];
        let i = f.tok;
        let (s0, s1) = self.sents[f.sent];
        let (c0, c1) = self.clause(i);
        let cands: Vec<&Cand> = self
            .cands_in(s0, s1)
            .iter()
            .filter(|c| c.start >= s0 && c.end <= s1 && !(c.start <= i && i < c.end))
            .collect();
        let in_clause = |c: &&Cand| c.start >= c0 && c.end <= c1;
        let has = |words: &[&str]| (c0..c1).any(|j| words.contains(&self.toks[j].lower.as_ref()));
        let lemma_form = {
            let l = &self.toks[i].lower;
            l == &tr.lemma || l == &tr.base
        };
        let participle = !lemma_form
            && tr.pos == Pos::Verb
            && (self.toks[i].lower.ends_with('t')
                || self.toks[i].lower.ends_with("en")
                || self.toks[i].lower.ends_with("ed"));
        let passive = tr.pos == Pos::Verb
            && participle
            && (c0..c1).any(|j| self.g.passive_aux.contains(&self.toks[j].lower.as_ref()))
            && !(c0..c1).any(|j| {
                matches!(
                    self.toks[j].lower.as_ref(),
                    "hat" | "hatte" | "hatten" | "haben" | "has" | "have" | "had"
                )
            });
        let partner = cands
            .iter()
            .find(|c| {
                c.prep
                    .as_deref()
                    .is_some_and(|p| self.g.partner_preps.contains(&p))
                    && in_clause(c)
            })
            .or_else(|| {
                cands.iter().find(|c| {
                    c.prep
                        .as_deref()
                        .is_some_and(|p| self.g.partner_preps.contains(&p))
                        && c.start > i
                })
            })
            .copied();
        let after_noun = tr.pos != Pos::Verb
            && self
                .toks
                .get(i + 1)
                .is_some_and(|t| self.g.agent_preps.contains(&t.lower.as_ref()));
        let is_agent = |c: &&&Cand| {
            c.prep
                .as_deref()
                .is_some_and(|p| self.g.agent_preps.contains(&p))
                && in_clause(c)
                && (c.kind != "LOC" || passive || (after_noun && c.start == i + 2))
        };
        // The agent nearest before the participle ("Nach Informationen von X wurde … von Y
        // verurteilt": Y), else the first.
        let agent = cands
            .iter()
            .filter(|c| c.end <= i)
            .filter(is_agent)
            .max_by_key(|c| c.start)
            .filter(|_| passive)
            .or_else(|| cands.iter().find(is_agent))
            .copied();
        let dest = cands
            .iter()
            .filter(|c| {
                c.kind == "LOC"
                    && c.prep
                        .as_deref()
                        .is_some_and(|p| self.g.dest_preps.contains(&p))
            })
            .filter(|c| in_clause(c) || c.start > i)
            .min_by_key(|c| c.start.abs_diff(i))
            .copied();
        let against = cands
            .iter()
            .find(|c| {
                c.prep
                    .as_deref()
                    .is_some_and(|p| self.g.against_preps.contains(&p))
                    && (in_clause(c) || c.start > i)
                    && (c.kind != "NP" || tr.kind != "PROTEST")
            })
            .copied();
        // The genitive attribute of the trigger; where that is a plain noun that is no
        // candidate (an event noun itself: "die Erstürmung eines Protestcamps sudanesischer
        // Flüchtlinge"), the genitive attached to it.
        let genitive = cands
            .iter()
            .find(|c| c.case == Case::Gen(i))
            .or_else(|| {
                let n = (i + 2..(i + 5).min(c1)).find(|&n| {
                    self.toks[n].cap
                        && !self.in_mention[n]
                        && self.role_of(n) == (None, Case::Gen(i))
                        && !cands.iter().any(|c| c.start <= n && n < c.end)
                })?;
                cands.iter().find(|c| c.case == Case::Gen(n))
            })
            .copied();
        // The named genitive attached to a noun phrase (an entity or a role word, right after it).
        let genitive_of = |np: &Cand| -> Option<&Cand> {
            cands
                .iter()
                .find(|g| {
                    g.kind != "NP"
                        && g.start >= np.end
                        && g.start <= np.end + 1
                        && (matches!(g.case, Case::Gen(n) if n >= np.start && n <= np.end)
                            || (g.start == np.end + 1
                                && matches!(g.prep.as_deref(), Some("von" | "vom" | "für"))))
                })
                .copied()
        };
        // "seine Aufnahme wurde abgelehnt", "kritisierte seine Entscheidung": an abstract noun
        // after "sein-" stands for the person named last before it (who is affected or acts).
        let possessor_of = |np: &Cand| -> Option<&Cand> {
            let w = self.toks[np.end - 1].lower.as_ref();
            let abstract_noun = ["ung", "nahme", "ion", "ität", "heit", "keit"]
                .iter()
                .any(|x| w.ends_with(x));
            let det = np.start.checked_sub(1).map(|d| self.toks[d].lower.as_ref());
            if !abstract_noun || !det.is_some_and(|d| d.starts_with("sein")) {
                return None;
            }
            let sent = self.toks[np.start].sent;
            self.cands[..self.cands.partition_point(|c| c.start < np.start)]
                .iter()
                .rev()
                .take_while(|c| self.toks[c.start].sent == sent)
                .find(|c| c.kind == "PER" && c.entities.len() == 1)
        };
        let subjects: Vec<&Cand> = cands
            .iter()
            .filter(|c| c.prep.is_none() && c.case == Case::NomAcc)
            .copied()
            .collect();
        let objects: Vec<&Cand> = cands
            .iter()
            .filter(|c| c.prep.is_none() && matches!(c.case, Case::NomAcc | Case::Obj))
            .copied()
            .collect();
        // A relative clause ("…, die … gefordert hatten", "…, denen … verweigert worden war"):
        // its antecedent is the noun phrase before the comma.
        let relative = (c0 > s0 + 1
            && self.toks[c0 - 1].lower == ","
            && c0 + 1 < c1
            && (!self.toks[c0 + 1].cap
                || self.g.articles.contains(&self.toks[c0 + 1].lower.as_ref())))
        .then(|| {
            let w = self.toks[c0].lower.as_ref();
            let subj = self.g.relative_subj.contains(&w);
            let obj = self.g.relative_obj.contains(&w);
            let ante = cands
                .iter()
                .filter(|c| {
                    c.end < c0 && c0 - 1 - c.end <= 2 && (c.end..c0 - 1).all(|j| !self.toks[j].cap)
                })
                .max_by_key(|c| c.end)
                .copied();
            ante.filter(|_| subj || obj).map(|a| (a, subj))
        })
        .flatten();
        let subject = match relative {
            Some((ante, true)) => Some(ante),
            _ => subjects
                .iter()
                .find(|c| in_clause(c))
                .or_else(|| {
                    if relative.is_some() {
                        return None;
                    }
                    subjects
                        .iter()
                        .filter(|c| c.start < i)
                        .min_by_key(|c| c.start)
                })
                .copied(),
        };
        let relative_object = match relative {
            Some((ante, false)) => Some(ante),
            _ => None,
        };
        // The recipient after the trigger first ("Appell an X"), else the one before it ("an X
        // übergeben").
        let recipient = cands
            .iter()
            .filter(|c| {
                c.prep
                    .as_deref()
                    .is_some_and(|p| self.g.recipient_preps.contains(&p))
                    && (in_clause(c) || c.start > i)
                    && c.kind != "LOC"
            })
            .min_by_key(|c| (c.start < i, c.start.abs_diff(i)))
            .copied()
            .filter(|_| matches!(tr.kind.as_str(), "AID" | "COOPERATE" | "REQUEST"));
        let aim = cands
            .iter()
            .find(|c| {
                c.prep
                    .as_deref()
                    .is_some_and(|p| self.g.aim_preps.contains(&p))
                    && in_clause(c)
                    && c.start > i.min(c0 + 1)
            })
            .copied()
            .filter(|_| tr.kind == "ASSAULT");
        let mut actors: Vec<&Cand> = Vec::new();
        let mut targets: Vec<&Cand> = Vec::new();
        let target_gen = matches!(tr.kind.as_str(), "COERCE" | "ASSAULT" | "SANCTION" | "AID");
        if tr.pos == Pos::Verb {
            if passive {
                if let Some(a) = agent {
                    actors.push(a);
                } else if matches!(tr.kind.as_str(), "SANCTION" | "ACCUSE") {
                    // "vor dem Landgericht verurteilt": the court.
                    actors.extend(
                        cands
                            .iter()
                            .find(|c| {
                                in_clause(c)
                                    && c.prep.as_deref() == Some("vor")
                                    && c.sector.as_deref() == Some("JUD")
                            })
                            .copied(),
                    );
                }
                // A plain noun's genitive stands for it ("die Annäherung der beiden Staaten
                // wurde verurteilt" → the two states).
                if let Some(a) = against.filter(|a| in_clause(a)) {
                    targets.push(a);
                } else if let Some(s) = relative_object.or(subject) {
                    targets.push(if s.kind == "NP" {
                        genitive_of(s).or_else(|| possessor_of(s)).unwrap_or(s)
                    } else {
                        s
                    });
                } else if let Some(g) = cands.iter().find(|g| {
                    // The subject is an event noun ("die Annäherung der beiden Staaten wurde
                    // verurteilt"): its genitive participant.
                    matches!(g.case, Case::Gen(n) if n >= c0 && n < i
                        && self.role_of(n).0.is_none()
                        && !cands.iter().any(|c| c.start <= n && n < c.end))
                        && in_clause(g)
                }) {
                    targets.push(g);
                }
            } else {
                if let Some(s) = subject {
                    actors.push(s);
                }
                let transfer = matches!(tr.kind.as_str(), "AID" | "COOPERATE");
                // A verb at the end of its clause (German participle, infinitive, subordinate
                // clause) has its objects before it: what follows belongs to the next clause
                // ("…, als sie ihr Dorf angegriffen haben und Nafisatu …").
                let verb_final = self.lex.lang == "de" && {
                    let mut j = i + 1;
                    while j < c1 && {
                        let w = self.toks[j].lower.as_ref();
                        self.g.perfect_aux.contains(&w) || self.g.passive_aux.contains(&w)
                    } {
                        j += 1;
                    }
                    j >= c1
                        || self.g.coord.contains(&self.toks[j].lower.as_ref())
                        || self.toks[j].lower == "."
                };
                // Coordinated verb phrases ("werfen X Betrug vor und wollen das Ergebnis
                // anfechten"): the objects before the "und" belong to the first verb.
                // (German only: the first verb is a lower-case word after the clause's first.)
                let first_lower = (c0 + 1..i).find(|&k| !self.toks[k].cap);
                let vp_start = (c0..i)
                    .rev()
                    .take(40)
                    .find(|&j| {
                        self.lex.lang == "de"
                            && first_lower.is_some_and(|k| k < j)
                            && self.g.coord.contains(&self.toks[j].lower.as_ref())
                            && self.toks.get(j + 1).is_some_and(|n| {
                                !n.cap
                                    && !self.g.articles.contains(&n.lower.as_ref())
                                    && !self.g.preps.contains(&n.lower.as_ref())
                            })
                            && self.cands_in(j + 1, j + 2).is_empty()
                    })
                    .unwrap_or(c0);
                // "etwas von X fordern": whom the demand is made of.
                let demanded_of = agent.filter(|_| tr.kind == "REQUEST");
                let other = relative_object
                    .or(if tr.mit { partner } else { None })
                    .or(demanded_of)
                    .or(if tr.dest { dest } else { None })
                    .or(against)
                    .or(aim)
                    .or(if transfer { recipient } else { None })
                    .or_else(|| {
                        if tr.intr {
                            return None;
                        }
                        objects
                            .iter()
                            .filter(|c| in_clause(c) && Some(c.start) != subject.map(|s| s.start))
                            .filter(|c| !verb_final || c.end <= i)
                            .filter(|c| c.start > vp_start || vp_start == c0)
                            .filter(|c| c.kind != "NP")
                            .find(|c| c.kind != "LOC" || c.prep.is_none())
                            .copied()
                    })
                    .or(recipient)
                    .or_else(|| {
                        // The named genitive of a plain-noun object ("begrüßte die Entscheidung
                        // des IWF" → the IMF).
                        objects
                            .iter()
                            .filter(|c| in_clause(c) && Some(c.start) != subject.map(|s| s.start))
                            .filter(|c| !verb_final || c.end <= i)
                            .filter(|c| c.kind == "NP")
                            .find_map(|c| genitive_of(c).or_else(|| possessor_of(c)))
                    })
                    .or_else(|| {
                        // A plain noun with a possessive is a thing someone has, the patient
                        // of a physical action ("als sie ihr Dorf angegriffen haben").
                        if !matches!(tr.kind.as_str(), "ASSAULT" | "COERCE") {
                            return None;
                        }
                        objects
                            .iter()
                            .filter(|c| in_clause(c) && Some(c.start) != subject.map(|s| s.start))
                            .filter(|c| !verb_final || c.end <= i)
                            .filter(|c| c.kind == "NP" && c.start > c0)
                            .find(|c| {
                                self.g
                                    .possessive
                                    .contains(&self.toks[c.start - 1].lower.as_ref())
                            })
                            .copied()
                    })
                    .or_else(|| {
                        // The beneficiary of an object that is an event noun itself ("stellte
                        // seine Hilfen für die Flüchtlinge ein" → the refugees).
                        cands
                            .iter()
                            .filter(|c| in_clause(c) && c.start > c0 + 1)
                            .filter(|c| !verb_final || c.end <= i)
                            .filter(|c| c.start > vp_start || vp_start == c0)
                            .find(|c| {
                                let Some(n) = (c.start.saturating_sub(4).max(c0 + 1)..c.start)
                                    .rev()
                                    .find(|&p| {
                                        self.g
                                            .beneficiary_preps
                                            .contains(&self.toks[p].lower.as_ref())
                                    })
                                    .map(|p| p - 1)
                                else {
                                    return false;
                                };
                                c.prep
                                    .as_deref()
                                    .is_some_and(|p| self.g.beneficiary_preps.contains(&p))
                                    && c.kind != "NP"
                                    && n != i
                                    && self.toks[n].cap
                                    && !self.in_mention[n]
                                    && !cands.iter().any(|o| o.start <= n && n < o.end)
                                    && self.role_of(n).0.is_none()
                                    && n > c0
                                    && (self.g.articles.contains(&self.toks[n - 1].lower.as_ref())
                                        || self
                                            .g
                                            .possessive
                                            .contains(&self.toks[n - 1].lower.as_ref()))
                            })
                            .copied()
                    });
                if let Some(o) = other {
                    targets.push(o);
                }
            }
        } else {
            // Nouns: the genitive, "von X", "zwischen X und Y", or the subject of a light verb.
            let between = (i + 1..c1.min(i + 9))
                .find(|&j| self.g.between.contains(&self.toks[j].lower.as_ref()))
                .and_then(|j| {
                    cands
                        .iter()
                        .find(|c| c.start == j + 1 || c.start == j + 2)
                        .copied()
                });
            // "auf ihrem Gipfeltreffen", "seine Freiheitsstrafe": the subject's.
            let possessed = (i > c0
                && self.g.possessive.contains(&self.toks[i - 1].lower.as_ref()))
                || (i > c0 + 1
                    && self.g.possessive.contains(&self.toks[i - 2].lower.as_ref())
                    && !self.toks[i - 1].cap);
            // "wandte sich der König mit dem Appell an …": the subject's, too.
            let with_noun = self
                .role_of(i)
                .0
                .is_some_and(|p| self.g.partner_preps.contains(&p.as_str()));
            let possessor = subject
                .filter(|_| possessed || with_noun)
                .filter(|s| s.start < i || in_clause(s));
            // (-ung, and -nahme of the verbs in -nehmen: "Festnahme", "Geiselnahme".)
            let deverbal = tr.lemma.ends_with("ung") || tr.lemma.ends_with("nahme");
            // "seine Festnahme", "ihre Freilassung": the possessor is the patient.
            let patient_possessor = matches!(tr.kind.as_str(), "COERCE" | "SANCTION")
                || (deverbal && matches!(tr.kind.as_str(), "ASSAULT" | "CONCEDE" | "RETREAT"));
            // A nominalisation of a transitive verb ("Festnahme", "-ung") takes its object as
            // genitive or "von X" ("die Freilassung der Geiseln", "die Festnahme von X"), its
            // agent with "durch X".
            let patient_noun = !tr.symm
                && !tr.mit
                && (deverbal || target_gen)
                && matches!(
                    tr.kind.as_str(),
                    "COERCE"
                        | "SANCTION"
                        | "ASSAULT"
                        | "AID"
                        | "SUPPORT"
                        | "CONCEDE"
                        | "RETREAT"
                        | "ACCUSE"
                        | "REJECT"
                );
            let von_patient = agent.filter(|a| {
                patient_noun
                    && a.start > i
                    && a.start <= i + 3
                    && matches!(a.prep.as_deref(), Some("von" | "vom"))
                    && deverbal
            });
            let agent = agent.filter(|a| von_patient.is_none_or(|v| v.start != a.start));
            let receiving = (c0..c1).any(|j| {
                self.g
                    .receiving_verbs
                    .contains(&self.toks[j].lower.as_ref())
            });
            let light = has(self.g.light_verbs) || has(self.g.support_verbs);
            let genitive_is_target = target_gen || (patient_noun && deverbal);
            if let Some(b) = between {
                actors.push(b);
            } else if let Some(p) = possessor.filter(|_| !patient_possessor) {
                actors.push(p);
            } else if let Some(gn) = genitive.filter(|_| !genitive_is_target) {
                actors.push(gn);
            } else if let Some(a) = agent.filter(|a| {
                // "Angriff von X", "Erstürmung … durch X"; not the agent of a passive verb
                // ("Das Protestcamp wurde von X gestürmt").
                a.start > i
                    && (after_noun
                        || !(c0..c1)
                            .any(|j| self.g.passive_aux.contains(&self.toks[j].lower.as_ref())))
            }) {
                actors.push(a);
            } else if light && !receiving && self.role_of(i).0.is_none() {
                if let Some(s) = subject.filter(|s| s.start < i || in_clause(s)) {
                    actors.push(s);
                }
            }
            if let Some(gn) = genitive.filter(|_| genitive_is_target) {
                targets.push(gn);
            } else if let Some(v) = von_patient {
                targets.push(v);
            } else if let Some(s) = subject.filter(|s| receiving && in_clause(s)) {
                targets.push(s);
            } else if let Some(p) = possessor.filter(|_| patient_possessor) {
                targets.push(p);
            } else if let Some(a) = against
                .or(aim)
                .or(recipient.filter(|r| r.start > i))
                .or_else(|| {
                    // "Kritik an X", "Zweifel an X": what a disapproval is aimed at.
                    cands
                        .iter()
                        .filter(|_| tr.kind == "ACCUSE")
                        .find(|c| {
                            c.start > i + 1
                                && c.start <= i + 4
                                && c.prep
                                    .as_deref()
                                    .is_some_and(|p| self.g.recipient_preps.contains(&p))
                                && c.kind != "LOC"
                        })
                        .copied()
                })
            {
                targets.push(a);
            } else if tr.mit && partner.is_some_and(|p| p.start > i) {
                targets.extend(partner);
            } else if tr.dest {
                targets.extend(dest.filter(|d| d.start > i));
            } else if tr.kind == "AID" {
                // "ein Schuldenerlass für 19 Länder": the beneficiary.
                targets.extend(cands.iter().find(|c| {
                    c.start > i
                        && in_clause(c)
                        && c.prep
                            .as_deref()
                            .is_some_and(|p| self.g.beneficiary_preps.contains(&p))
                }));
            } else if patient_possessor
                && self
                    .role_of(i)
                    .0
                    .is_some_and(|p| self.g.result_preps.contains(&p.as_str()))
                && (c0..c1).any(|j| self.g.passive_aux.contains(&self.toks[j].lower.as_ref()))
            {
                // "X wurde … zu lebenslanger Haft verurteilt": the passive subject.
                targets.extend(subject.filter(|s| in_clause(s)));
            }
        }
        // Coordination: "Schoigu und Kim", "Russland und Nordkorea".
        if let Some(first) = actors.first().copied() {
            let mut last = first;
            loop {
                // An apposition of the same entity ("der französische Präsident Emmanuel Macron").
                if let Some(app) = cands.iter().find(|c| {
                    c.start == last.end && !c.entities.is_empty() && c.entities == last.entities
                }) {
                    last = app;
                }
                let mut j = last.end;
                // "Der Mutterkonzern von Opel , General Motors , hat …": the apposition.
                let mut k = j;
                if k < s1 && self.g.agent_preps.contains(&self.toks[k].lower.as_ref()) {
                    if let Some(att) = cands.iter().find(|c| c.start == k + 1) {
                        k = att.end;
                    }
                }
                if k + 1 < s1 && self.toks[k].lower == "," {
                    if let Some(app) = cands.iter().find(|c| {
                        c.start == k + 1
                            && !c.entities.is_empty()
                            && matches!(c.kind.as_str(), "PER" | "ORG")
                            && (c.end >= s1 || self.toks[c.end].lower == ",")
                            && !actors.iter().any(|a| a.start == c.start)
                    }) {
                        actors.push(app);
                        break;
                    }
                }
                if j < s1 && self.toks[j].lower == "(" {
                    while j < s1 && self.toks[j].lower != ")" {
                        j += 1;
                    }
                    j += 1;
                }
                if j < s1 && self.g.coord.contains(&self.toks[j].lower.as_ref()) {
                    let next = cands
                        .iter()
                        .find(|c| c.start > j && c.start <= j + 3)
                        .copied();
                    if let Some(n) = next {
                        actors.push(n);
                        last = n;
                        continue;
                    }
                }
                break;
            }
        }
        // Symmetric events with one coordinated subject and no partner have no target.
        if tr.symm && actors.len() > 1 && partner.is_none() {
            targets.clear();
        }
        targets.retain(|t| !actors.iter().any(|a| a.start == t.start));

        let mode = self.factuality(f, all, passive, participle, lemma_form);
        let attribution = self.attribution_of(self.toks[i].span);
        let time = self.time_of(i, c0, c1, s0, s1);
        let place = self.place_of(i, c0, dest, &cands, s0, s1, tr);
        let subtype = self.subtype(tr, c0, s1);

        let entity_ids = |list: &[&Cand]| -> (Vec<String>, Vec<TextSpan>, Vec<ActorCode>) {
            let mut ids = Vec::new();
            let mut spans = Vec::new();
            let mut codes = Vec::new();
            for c in list {
                let span = [self.toks[c.start].span[0], self.toks[c.end - 1].span[1]];
                let text = self.doc.slice(span).to_string();
                if c.entities.is_empty() {
                    spans.push(TextSpan {
                        text: text.clone(),
                        span,
                    });
                    codes.push(self.role_code(c));
                }
                for &e in &c.entities {
                    let id = self.doc.entities[e].id.clone();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                    spans.push(TextSpan {
                        text: text.clone(),
                        span,
                    });
                    let mut code = self.codes[e].clone();
                    if code.sector.is_none() {
                        code.sector = c.sector.clone();
                    }
                    codes.push(code);
                }
            }
            (ids, spans, codes)
        };
        let (actor_ids, actor_mentions, actor_codes) = entity_ids(&actors);
        let (target_ids, target_mentions, target_codes) = entity_ids(&targets);
        let trig_span = self.toks[i].span;
        let mut lo = trig_span[0];
        let mut hi = trig_span[1];
        for m in actor_mentions.iter().chain(&target_mentions) {
            lo = lo.min(m.span[0]);
            hi = hi.max(m.span[1]);
        }
        let particle = f.particle.map(|p| TextSpan {
            span: self.toks[p].span,
            text: self.doc.slice(self.toks[p].span).to_string(),
        });
        if let Some(p) = &particle {
            hi = hi.max(p.span[1]);
        }
        let mut confidence: f32 = if tr.weak { 0.55 } else { 0.75 };
        if actor_ids.is_empty() && actor_mentions.is_empty() {
            confidence -= 0.1;
        }
        Event {
            id: String::new(),
            kind: tr.kind.clone(),
            mode: mode.to_string(),
            actors: actor_ids,
            targets: target_ids,
            time,
            place,
            span: [lo, hi],
            attribution,
            confidence,
            subtype,
            trigger: Some(TextSpan {
                span: trig_span,
                text: self.doc.slice(trig_span).to_string(),
            }),
            trigger_particle: particle,
            actor_mentions,
            target_mentions,
            actor_codes,
            target_codes,
        }
    }

    fn subtype(&self, tr: &Trigger, c0: usize, s1: usize) -> Option<String> {
        if tr.kind != "REQUEST" || tr.subtype.is_some() {
            return tr.subtype.clone();
        }
        let words = |list: &[&str]| {
            (c0..s1).any(|j| {
                list.iter()
                    .any(|w| self.toks[j].lower.starts_with(w) || self.toks[j].lower.ends_with(w))
            })
        };
        if (c0..s1).any(|j| self.g.stop_verbs.contains(&self.toks[j].lower.as_ref())) {
            Some("change".into())
        } else if words(&[
            "rücktritt",
            "freilassung",
            "abzug",
            "resign",
            "release",
            "withdraw",
        ]) {
            Some("yield".into())
        } else if words(&[
            "munition",
            "waffe",
            "hilfe",
            "geld",
            "unterstützung",
            "lieferung",
            "ammunition",
            "weapon",
            "aid",
            "assistance",
            "money",
        ]) {
            Some("assist".into())
        } else if words(&["treffen", "gespräch", "verhandlung", "talks", "meeting"]) {
            Some("meet".into())
        } else {
            None
        }
    }

    fn factuality(
        &self,
        f: &Found,
        all: &[Found],
        passive: bool,
        participle: bool,
        infinitive: bool,
    ) -> &'static str {
        let tr = &self.lex.triggers[f.trigger];
        let i = f.tok;
        let (s0, _) = self.sents[f.sent];
        let (c0, full_c1) = self.clause(i);
        let toks = &self.toks;
        // The cues of a second coordinated verb phrase ("warf X Betrug vor und will das
        // Ergebnis anfechten") are not the first verb's; the perfect auxiliary is shared.
        let c1 = (i + 1..full_c1.min(i + 40))
            .find(|&j| {
                self.lex.lang == "de"
                    && self.g.coord.contains(&toks[j].lower.as_ref())
                    && toks.get(j + 1).is_some_and(|n| {
                        !n.cap
                            && !self.g.articles.contains(&n.lower.as_ref())
                            && !self.g.preps.contains(&n.lower.as_ref())
                    })
                    && self.cands_in(j + 1, j + 2).is_empty()
            })
            .unwrap_or(full_c1);
        let has = |a: usize, b: usize, words: &[&str]| {
            (a..b).any(|j| words.contains(&toks[j].lower.as_ref()))
        };
        // The action a request demands.
        if tr.kind != "REQUEST" {
            let same_sentence = {
                let lo = all.partition_point(|r| r.sent < f.sent);
                let hi = all.partition_point(|r| r.sent <= f.sent).max(lo);
                &all[lo..hi]
            };
            let demanded = same_sentence.iter().any(|r| {
                r.sent == f.sent && r.tok != i && {
                    let rt = &self.lex.triggers[r.trigger];
                    rt.content && rt.kind == "REQUEST" && {
                        let (rc0, rc1) = self.clause(r.tok);
                        (rc0 <= i && i < rc1) || (i > r.tok && i >= rc1)
                    }
                }
            });
            if demanded {
                return "requested";
            }
        }
        let negated = (c0..c1).any(|j| {
            self.g.negation.contains(&toks[j].lower.as_ref())
                && !(j + 1 < c1 && matches!(toks[j + 1].lower.as_ref(), "nur" | "only"))
        });
        if negated {
            return "denied";
        }
        let modal = |w: &str| {
            self.g.hypothetical.contains(&w)
                && !w.starts_with("mögl")
                && !w.starts_with("possib")
                && !w.starts_with("eventuell")
                && w != "etwaige"
        };
        let possible_noun = tr.pos != Pos::Verb
            && i > c0
            && self.g.hypothetical.contains(&toks[i - 1].lower.as_ref());
        if (c0..c1).any(|j| modal(toks[j].lower.as_ref()))
            || possible_noun
            || (c0 < c1 && self.g.conditional.contains(&toks[c0].lower.as_ref()))
            || (c0 > s0 && has(s0, c0, &["möglich", "possible"]))
        {
            return "hypothetical";
        }
        let perfect = participle && !passive && has(c0, full_c1, self.g.perfect_aux);
        let reportative_past =
            has(c0, full_c1, &["haben", "worden"]) && has(c0, full_c1, self.g.reportative);
        if perfect || reportative_past {
            return "occurred";
        }
        let future_time = self.future_time(c0, c1);
        // ("vor" is a cue of "hat … vor", not when it is the trigger's own particle: "warf … vor".)
        let planned_here = (c0..c1).any(|j| {
            Some(j) != f.particle && self.g.planned.contains(&toks[j].lower.as_ref())
        })
            || (infinitive && has(c0, c1, self.g.future_aux))
            || (tr.pos != Pos::Verb && has(c0, c1, self.g.future_aux) && !passive)
            || (tr.pos != Pos::Verb && (c0..i).any(|j| self.g.planned_adj.contains(&toks[j].lower.as_ref())))
            // "plant …, nach Russland zu reisen": the planning verb of the sentence before a zu-infinitive.
            || (i > 0 && toks[i - 1].lower == "zu" && has(s0, i, self.g.planned))
            || (self.lex.lang == "en" && i > 0 && toks[i - 1].lower == "to" && has(s0, i, self.g.planned))
            || future_time;
        if planned_here {
            return "planned";
        }
        if has(c0, c1, self.g.ongoing) {
            return "ongoing";
        }
        if let Some(a) = self.attribution_at(toks[i].span) {
            match a.stance.as_str() {
                "denied" => return "denied",
                "hypothetical" => return "hypothetical",
                "planned" if !participle => return "planned",
                "hoped" => return "hypothetical",
                _ => {}
            }
        }
        "occurred"
    }

    /// A time in the clause whose value lies after the document date.
    fn future_time(&self, c0: usize, c1: usize) -> bool {
        let Some(dct) = self.doc.meta.published.as_ref().map(|p| p.date.as_str()) else {
            return false;
        };
        let (a, b) = (self.toks[c0].span[0], self.toks[c1 - 1].span[1]);
        self.times_in(a, b).iter().any(|t| {
            t.span[0] >= a
                && t.span[1] <= b
                && t.value.as_deref().is_some_and(|v| {
                    v.len() >= 7
                        && v.as_bytes()[0].is_ascii_digit()
                        && v.get(..dct.len().min(v.len()))
                            .is_some_and(|p| p > &dct[..p.len()])
                })
        })
    }

    fn attribution_of(&self, span: Span) -> Option<String> {
        self.attribution_at(span).map(|a| a.id.clone())
    }

    /// The narrowest attributed claim that holds `span` (claims sorted by start; only those
    /// long enough to reach `span` are looked at).
    fn attribution_at(&self, span: Span) -> Option<&'a dossier_core::Attribution> {
        let claims = &self.doc.attributions;
        let longest = self.longest_claim;
        let k = claims.partition_point(|a| a.claim.span[0] <= span[0]);
        claims[..k]
            .iter()
            .rev()
            .take_while(|a| a.claim.span[0] + longest >= span[1])
            .filter(|a| span[1] <= a.claim.span[1])
            .min_by_key(|a| a.claim.span[1] - a.claim.span[0])
    }

    fn time_of(&self, i: usize, c0: usize, c1: usize, s0: usize, s1: usize) -> Option<String> {
        let range = |a: usize, b: usize| (self.toks[a].span[0], self.toks[b - 1].span[1]);
        let at = self.toks[i].span[0];
        for (a, b) in [range(c0, c1), range(s0, s1)] {
            let best = self
                .times_in(a, b)
                .iter()
                .filter(|t| {
                    t.span[0] >= a && t.span[1] <= b && matches!(t.kind.as_str(), "DATE" | "TIME")
                })
                .min_by_key(|t| t.span[0].abs_diff(at));
            if let Some(t) = best {
                return Some(t.id.clone());
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn place_of(
        &self,
        i: usize,
        c0: usize,
        dest: Option<&Cand>,
        cands: &[&Cand],
        s0: usize,
        s1: usize,
        tr: &Trigger,
    ) -> Option<String> {
        let entity = |c: &Cand| c.entities.first().map(|&e| self.doc.entities[e].id.clone());
        if tr.dest {
            if let Some(d) = dest {
                return entity(d);
            }
        }
        let (_, c1) = self.clause(i);
        let locative = |c: &&&Cand| {
            c.kind == "LOC"
                && c.prep
                    .as_deref()
                    .is_some_and(|p| self.g.place_preps.contains(&p))
        };
        if let Some(c) = cands
            .iter()
            .filter(|c| c.start >= c0 && c.end <= c1)
            .find(locative)
        {
            return entity(c);
        }
        // "…, wo er sich … trifft": the place named before the relative adverb.
        if self.g.where_rel.contains(&self.toks[c0].lower.as_ref()) {
            if let Some(c) = cands
                .iter()
                .filter(|c| c.kind == "LOC" && c.end <= c0)
                .max_by_key(|c| c.start)
            {
                return entity(c);
            }
        }
        // "dort": the place named last before.
        if (c0..c1).any(|j| self.g.there.contains(&self.toks[j].lower.as_ref())) {
            let here = self.toks[c0].span[0];
            if let Some(c) = self.cands_in(0, c0).iter().rev().find(|c| {
                c.kind == "LOC" && self.toks[c.end - 1].span[1] <= here && c.prep.is_some()
            }) {
                return entity(c);
            }
        }
        let _ = (s0, s1);
        None
    }

    /// Country and sector of an entity: from its type, its place, the places its words name, its
    /// role words and compound prefixes.
    fn entity_code(&self, e: usize) -> ActorCode {
        let ent = &self.doc.entities[e];
        let mut code = ActorCode::default();
        if ent.kind == "LOC" {
            code.country = ent
                .geo
                .as_ref()
                .and_then(|g| g.country.as_deref())
                .and_then(lexicon::alpha3)
                .map(str::to_string);
            if code.country.is_some() {
                code.sector = Some("GOV".into());
            }
            return code;
        }
        for m in &ent.mentions {
            let Some((a, b)) = self.token_range(m.span) else {
                continue;
            };
            let lo = a.saturating_sub(1).max(self.sents[self.toks[a].sent].0);
            for j in lo..b {
                if code.country.is_none() {
                    if let Some(le) = self.adj_at[j].filter(|&le| le != e) {
                        code.country = self.country_of(le);
                    }
                }
                if code.country.is_none() && j >= a {
                    // A country named in the mention ("Nordkoreas Diktator").
                    if let Some(c) = self.cands_in(j, j + 1).iter().find(|c| {
                        c.start == j
                            && c.kind == "LOC"
                            && c.entities.len() == 1
                            && c.entities[0] != e
                    }) {
                        code.country = self.country_of(c.entities[0]);
                    }
                }
                if j >= a {
                    let w = &self.toks[j].lower;
                    if code.sector.is_none() {
                        code.sector = self.lex.role_sector(w).map(str::to_string);
                    }
                    if let Some((p, _)) = w.split_once('-') {
                        if let Some((c, s)) = lexicon::prefixes().get(p) {
                            if code.country.is_none() {
                                code.country = c.clone();
                            }
                            if code.sector.is_none() {
                                code.sector = s.clone();
                            }
                        }
                        if code.sector.is_none() {
                            if let Some((_, rest)) = w.split_once('-') {
                                code.sector = self.lex.role_sector(rest).map(str::to_string);
                            }
                        }
                    } else if code.country.is_none() && j == a {
                        if let Some((c, s)) = lexicon::prefixes().get(w.as_ref()) {
                            code.country = c.clone();
                            if code.sector.is_none() {
                                code.sector = s.clone();
                            }
                        }
                    }
                }
            }
        }
        code
    }

    fn country_of(&self, e: usize) -> Option<String> {
        let ent = &self.doc.entities[e];
        ent.geo
            .as_ref()
            .and_then(|g| g.country.as_deref())
            .and_then(lexicon::alpha3)
            .map(str::to_string)
    }

    fn role_code(&self, c: &Cand) -> ActorCode {
        let mut code = ActorCode {
            country: None,
            sector: c.sector.clone(),
        };
        for j in c.start..c.end {
            if let Some(e) = self.adj_at[j] {
                code.country = self.country_of(e);
                break;
            }
        }
        code
    }
}

/// Sentence-initial words that are not nouns.
const GERMAN_FUNCTION: [&str; 44] = [
    "er",
    "sie",
    "es",
    "wir",
    "ich",
    "man",
    "dort",
    "hier",
    "auch",
    "nach",
    "bei",
    "seit",
    "als",
    "wie",
    "so",
    "dann",
    "doch",
    "aber",
    "und",
    "nur",
    "noch",
    "damit",
    "dabei",
    "zudem",
    "zuvor",
    "später",
    "heute",
    "gestern",
    "morgen",
    "inzwischen",
    "bisher",
    "außerdem",
    "deshalb",
    "daher",
    "trotzdem",
    "jetzt",
    "nun",
    "danach",
    "darüber",
    "dennoch",
    "bereits",
    "schon",
    "vorher",
    "zuletzt",
];

#[derive(Debug, Clone, Copy)]
struct Found {
    sent: usize,
    tok: usize,
    trigger: usize,
    particle: Option<usize>,
}

#[cfg(test)]
mod tests;
