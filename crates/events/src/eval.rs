//! `dossier eval events`: the German set (`events/plover-de/dev.jsonl`, dev/tune) end to end, in
//! two halves by article, and the PLV test set (`events/plv/PLV_test.tsv`, evaluation only) with
//! the learned classifier.
//!
//! German set: every article's sentences (its `source/<doc>.json`) are analysed as one document;
//! on the annotated sentences, a predicted event matches a gold one when their types agree and
//! the predicted trigger overlaps the gold trigger (or its particle); one-to-one, in text order.
//! Types are compared after the manual's re-coding, which the report itself does not do: a
//! planned CONSULT, SUPPORT, COOPERATE or AID is coded AGREE, a planned RETREAT CONCEDE. On the
//! matched events: actor (target) is right when both are absent or a predicted actor (target)
//! mention overlaps the gold span; factuality is right when our `mode` equals the gold
//! `factuality`. Confusions count trigger-matched pairs of different types.

use dossier_core::{Document, Event};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct GoldEvent {
    #[serde(rename = "type")]
    kind: String,
    trigger: GoldSpan,
    trigger_particle: Option<GoldSpan>,
    actor: Option<GoldSpan>,
    target: Option<GoldSpan>,
    factuality: String,
}

#[derive(Deserialize)]
struct GoldSentence {
    doc: String,
    date: String,
    sentence_id: usize,
    tokens: Vec<String>,
    events: Vec<GoldEvent>,
}

#[derive(Deserialize)]
struct SourceDoc {
    #[serde(rename = "Sentences")]
    sentences: Vec<SourceSentence>,
}

#[derive(Deserialize)]
struct SourceSentence {
    #[serde(rename = "SentenceId")]
    id: usize,
    #[serde(rename = "Tokens")]
    tokens: Vec<String>,
}

/// Counts of one part of the German set.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub docs: usize,
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub actor_right: usize,
    pub target_right: usize,
    pub factuality_right: usize,
    /// Actor and target errors by kind: [predicted where gold has none, none predicted where
    /// gold has one, predicted but not overlapping the gold span].
    pub actor_err: [usize; 3],
    pub target_err: [usize; 3],
    /// Role errors by kind of construction (counts only, for error analysis without reading
    /// the sentences): role, error kind, type, trigger noun or verb, gold before or after the
    /// trigger, gold inside an entity mention or not, gold is the predicted other role.
    pub role_diag: BTreeMap<String, usize>,
    pub confusion: BTreeMap<(String, String), usize>,
    pub by_type: BTreeMap<String, (usize, usize, usize)>,
    /// One line per matched event with a wrong actor or target (for error analysis).
    pub errors: Vec<String>,
    /// One line per gold event not found and per predicted event not in the gold (for error
    /// analysis of the trigger list).
    pub misses: Vec<String>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn actor_accuracy(&self) -> f64 {
        ratio(self.actor_right, self.matched)
    }
    pub fn target_accuracy(&self) -> f64 {
        ratio(self.target_right, self.matched)
    }
    pub fn factuality_accuracy(&self) -> f64 {
        ratio(self.factuality_right, self.matched)
    }
    fn add(&mut self, o: &Counts) {
        self.docs += o.docs;
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched += o.matched;
        self.actor_right += o.actor_right;
        self.target_right += o.target_right;
        self.factuality_right += o.factuality_right;
        for i in 0..3 {
            self.actor_err[i] += o.actor_err[i];
            self.target_err[i] += o.target_err[i];
        }
        for (k, v) in &o.role_diag {
            *self.role_diag.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.confusion {
            *self.confusion.entry(k.clone()).or_default() += v;
        }
        self.errors.extend(o.errors.iter().cloned());
        self.misses.extend(o.misses.iter().cloned());
        for (k, v) in &o.by_type {
            let e = self.by_type.entry(k.clone()).or_default();
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
        }
    }
}

/// The type an event is coded as under the manual's rules for future actions.
pub fn coded_type(e: &Event) -> &str {
    match (e.kind.as_str(), e.mode.as_str()) {
        ("CONSULT" | "SUPPORT" | "COOPERATE" | "AID", "planned") => "AGREE",
        ("RETREAT", "planned") => "CONCEDE",
        (k, _) => k,
    }
}

/// The German set's result: half A (articles 1st, 3rd, … in id order), half B, all.
pub struct GermanResult {
    pub halves: [Counts; 2],
    pub all: Counts,
}

/// Scores the German set; `analyze` makes a report from an article's sentences (one paragraph
/// each) and its date.
pub fn german(
    dir: &Path,
    analyze: &dyn Fn(&str, Vec<String>, &str) -> Document,
) -> Result<GermanResult, String> {
    let dev = std::fs::read_to_string(dir.join("dev.jsonl"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut by_doc: BTreeMap<u64, Vec<GoldSentence>> = BTreeMap::new();
    for (n, line) in dev.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s: GoldSentence =
            serde_json::from_str(line).map_err(|e| format!("dev.jsonl:{}: {e}", n + 1))?;
        by_doc
            .entry(s.doc.parse().unwrap_or(u64::MAX))
            .or_default()
            .push(s);
    }
    let mut halves = [Counts::default(), Counts::default()];
    for (k, (_, sents)) in by_doc.iter().enumerate() {
        let doc_id = &sents[0].doc;
        let src_path = dir.join("source").join(format!("{doc_id}.json"));
        let source: Option<SourceDoc> = std::fs::read_to_string(&src_path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok());
        // The article's sentences, else the annotated ones alone.
        let paragraphs_tokens: Vec<(usize, Vec<String>)> = match &source {
            Some(src) => src
                .sentences
                .iter()
                .map(|s| (s.id, s.tokens.clone()))
                .collect(),
            None => sents
                .iter()
                .map(|s| (s.sentence_id, s.tokens.clone()))
                .collect(),
        };
        let paragraphs: Vec<String> = paragraphs_tokens.iter().map(|(_, t)| t.join(" ")).collect();
        let doc = analyze(doc_id, paragraphs.clone(), &sents[0].date);
        // Where each paragraph starts in the report's text (code points).
        let mut starts: HashMap<usize, usize> = HashMap::new();
        let mut cursor = 0;
        for ((id, _), p) in paragraphs_tokens.iter().zip(&paragraphs) {
            if let Some(b) = doc.text.get(cursor..).and_then(|t| t.find(p.as_str())) {
                let byte = cursor + b;
                starts.insert(*id, doc.text[..byte].chars().count());
                cursor = byte + p.len();
            }
        }
        let mut c = Counts {
            docs: 1,
            ..Default::default()
        };
        for s in sents {
            let Some(&base) = starts.get(&s.sentence_id) else {
                c.gold += s.events.len();
                continue;
            };
            // Token offsets in the report's text.
            let mut offs = Vec::with_capacity(s.tokens.len());
            let mut at = base;
            for t in &s.tokens {
                let n = t.chars().count();
                offs.push([at, at + n]);
                at += n + 1;
            }
            let span_of = |g: &GoldSpan| -> [usize; 2] {
                let a = offs.get(g.start).map(|o| o[0]).unwrap_or(base);
                let b = offs.get(g.end.saturating_sub(1)).map(|o| o[1]).unwrap_or(a);
                [a, b]
            };
            let (lo, hi) = (base, at);
            let preds: Vec<&Event> = doc
                .events
                .iter()
                .filter(|e| {
                    e.trigger
                        .as_ref()
                        .is_some_and(|t| t.span[0] >= lo && t.span[1] <= hi)
                })
                .collect();
            c.gold += s.events.len();
            c.predicted += preds.len();
            let overlaps = |a: [usize; 2], b: [usize; 2]| a[0] < b[1] && b[0] < a[1];
            let mut used = vec![false; preds.len()];
            for g in &s.events {
                let gt = span_of(&g.trigger);
                let gp = g.trigger_particle.as_ref().map(&span_of);
                let hits = |e: &Event| {
                    e.trigger.as_ref().is_some_and(|t| {
                        overlaps(t.span, gt) || gp.is_some_and(|p| overlaps(t.span, p))
                    })
                };
                let entry = c.by_type.entry(g.kind.clone()).or_default();
                entry.0 += 1;
                let found = (0..preds.len())
                    .find(|&j| !used[j] && hits(preds[j]) && coded_type(preds[j]) == g.kind);
                match found {
                    Some(j) => {
                        used[j] = true;
                        entry.2 += 1;
                        c.matched += 1;
                        let e = preds[j];
                        let role_right =
                            |gold: &Option<GoldSpan>, mentions: &[dossier_core::TextSpan]| {
                                match gold {
                                    None => mentions.is_empty(),
                                    Some(g) => {
                                        let gs = span_of(g);
                                        mentions.iter().any(|m| overlaps(m.span, gs))
                                    }
                                }
                            };
                        let ar = role_right(&g.actor, &e.actor_mentions);
                        let tr = role_right(&g.target, &e.target_mentions);
                        c.actor_right += ar as usize;
                        c.target_right += tr as usize;
                        let kind = |gold: &Option<GoldSpan>, m: &[dossier_core::TextSpan]| match (
                            gold.is_some(),
                            m.is_empty(),
                        ) {
                            (false, _) => 0,
                            (true, true) => 1,
                            (true, false) => 2,
                        };
                        let diag =
                            |role: &str,
                             k: usize,
                             gold: &Option<GoldSpan>,
                             other: &[dossier_core::TextSpan]| {
                                let trig = e.trigger.as_ref().map_or([0, 0], |t| t.span);
                                let noun = e.trigger.as_ref().is_some_and(|t| {
                                    t.text.chars().next().is_some_and(char::is_uppercase)
                                });
                                let (pos, ent, swap) = match gold {
                                    None => ("-", "-", "-"),
                                    Some(g) => {
                                        let gs = span_of(g);
                                        let ent = doc.entities.iter().any(|en| {
                                            en.mentions.iter().any(|m| overlaps(m.span, gs))
                                        });
                                        (
                                            if gs[1] <= trig[0] { "before" } else { "after" },
                                            if ent { "entity" } else { "noun" },
                                            if other.iter().any(|m| overlaps(m.span, gs)) {
                                                "=other"
                                            } else {
                                                ""
                                            },
                                        )
                                    }
                                };
                                format!(
                                    "{role} {} {} {} {pos} {ent} {swap}",
                                    ["spurious", "missing", "wrong"][k],
                                    g.kind,
                                    if noun { "noun" } else { "verb" }
                                )
                            };
                        if !ar {
                            let k = kind(&g.actor, &e.actor_mentions);
                            *c.role_diag
                                .entry(diag("actor", k, &g.actor, &e.target_mentions))
                                .or_default() += 1;
                        }
                        if !tr {
                            let k = kind(&g.target, &e.target_mentions);
                            *c.role_diag
                                .entry(diag("target", k, &g.target, &e.actor_mentions))
                                .or_default() += 1;
                        }
                        if !ar {
                            c.actor_err[kind(&g.actor, &e.actor_mentions)] += 1;
                        }
                        if !tr {
                            c.target_err[kind(&g.target, &e.target_mentions)] += 1;
                        }
                        if !(ar && tr) {
                            let gold_text = |g: &Option<GoldSpan>| {
                                g.as_ref().map_or("-".to_string(), |g| {
                                    s.tokens[g.start.min(s.tokens.len())..g.end.min(s.tokens.len())]
                                        .join(" ")
                                })
                            };
                            let pred_text = |m: &[dossier_core::TextSpan]| {
                                if m.is_empty() {
                                    "-".to_string()
                                } else {
                                    m.iter()
                                        .map(|m| m.text.as_str())
                                        .collect::<Vec<_>>()
                                        .join(" | ")
                                }
                            };
                            c.errors.push(format!(
                                "{} {} {} [{}] actor{} gold «{}» pred «{}»; target{} gold «{}» pred «{}»\n    {}",
                                s.doc,
                                s.sentence_id,
                                g.kind,
                                s.tokens[g.trigger.start.min(s.tokens.len())..g.trigger.end.min(s.tokens.len())].join(" "),
                                if ar { "" } else { "✗" },
                                gold_text(&g.actor),
                                pred_text(&e.actor_mentions),
                                if tr { "" } else { "✗" },
                                gold_text(&g.target),
                                pred_text(&e.target_mentions),
                                s.tokens.join(" ")
                            ));
                        }
                        c.factuality_right += (e.mode == g.factuality) as usize;
                    }
                    None => {
                        let tt = &s.tokens[g.trigger.start.min(s.tokens.len())
                            ..g.trigger.end.min(s.tokens.len())];
                        c.misses.push(format!(
                            "{} {} missed {} [{}]\n    {}",
                            s.doc,
                            s.sentence_id,
                            g.kind,
                            tt.join(" "),
                            s.tokens.join(" ")
                        ));
                        if let Some(j) = (0..preds.len()).find(|&j| !used[j] && hits(preds[j])) {
                            *c.confusion
                                .entry((g.kind.clone(), coded_type(preds[j]).to_string()))
                                .or_default() += 1;
                        }
                    }
                }
            }
            for (j, e) in preds.iter().enumerate() {
                if !used[j] {
                    c.misses.push(format!(
                        "{} {} extra {} [{}]\n    {}",
                        s.doc,
                        s.sentence_id,
                        coded_type(e),
                        e.trigger.as_ref().map_or("", |t| t.text.as_str()),
                        s.tokens.join(" ")
                    ));
                }
            }
            for e in &preds {
                c.by_type.entry(coded_type(e).to_string()).or_default().1 += 1;
            }
        }
        halves[k % 2].add(&c);
    }
    let mut all = Counts::default();
    all.add(&halves[0]);
    all.add(&halves[1]);
    Ok(GermanResult { halves, all })
}

/// Prints the German result.
pub fn print_german(r: &GermanResult) -> String {
    let mut out = String::new();
    out.push_str(
        "plover-de dev (dev/tune): event = type (after the manual's re-coding) + trigger overlap\n",
    );
    out.push_str(
        "part      docs  gold  pred  match     P      R     F1  actor  target  factuality\n",
    );
    for (name, c) in [
        ("half A", &r.halves[0]),
        ("half B", &r.halves[1]),
        ("all", &r.all),
    ] {
        out.push_str(&format!(
            "{name:<8} {:>5} {:>5} {:>5} {:>6} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>7.3} {:>11.3}\n",
            c.docs,
            c.gold,
            c.predicted,
            c.matched,
            c.precision(),
            c.recall(),
            c.f1(),
            c.actor_accuracy(),
            c.target_accuracy(),
            c.factuality_accuracy()
        ));
    }
    out.push_str(
        "role errors (spurious: predicted where gold has none / missing / wrong mention):\n",
    );
    for (name, c) in [
        ("half A", &r.halves[0]),
        ("half B", &r.halves[1]),
        ("all", &r.all),
    ] {
        out.push_str(&format!(
            "  {name:<8} actor {} / {} / {}   target {} / {} / {}\n",
            c.actor_err[0],
            c.actor_err[1],
            c.actor_err[2],
            c.target_err[0],
            c.target_err[1],
            c.target_err[2]
        ));
    }
    out.push_str("per type (all): gold / predicted / matched\n");
    for (k, (g, p, m)) in &r.all.by_type {
        out.push_str(&format!("  {k:<10} {g:>4} {p:>4} {m:>4}\n"));
    }
    if !r.all.confusion.is_empty() {
        out.push_str("confusions (gold → predicted, same trigger):\n");
        let mut v: Vec<_> = r.all.confusion.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for ((g, p), n) in v {
            out.push_str(&format!("  {g} → {p}: {n}\n"));
        }
    }
    out
}
