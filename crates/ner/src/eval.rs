//! Span-level evaluation as conlleval computes it: a chunk starts at `B-X`, or at `I-X` after a
//! tag of another type; precision, recall and F1 count exact (start, end, type) matches.

use std::collections::BTreeMap;

/// A labelled span: `[start, end)` in tokens and its type.
pub type Chunk = (usize, usize, String);

/// The chunks of one BIO sequence, conlleval style.
pub fn chunks<L: AsRef<str>>(labels: &[L]) -> Vec<Chunk> {
    let mut out = Vec::new();
    for_each_chunk(labels, |s, e, t| out.push((s, e, t.to_string())));
    out
}

/// The chunks of [`chunks`], handed to `f` as (start, end, type) without a string each.
pub fn for_each_chunk<L: AsRef<str>>(labels: &[L], mut f: impl FnMut(usize, usize, &str)) {
    let mut open: Option<(usize, &str)> = None;
    for (i, l) in labels.iter().enumerate() {
        let (prefix, ty) = match l.as_ref().split_once('-') {
            Some((p, t)) => (p, t),
            None => ("O", ""),
        };
        let continues = prefix == "I" && open.is_some_and(|(_, t)| t == ty);
        if !continues {
            if let Some((s, t)) = open.take() {
                f(s, i, t);
            }
            if prefix == "B" || prefix == "I" {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, t)) = open {
        f(s, labels.len(), t);
    }
}

/// Precision / recall / F1 counts of one type (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores per type and overall.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub per_type: BTreeMap<String, Counts>,
    pub overall: Counts,
}

impl Scores {
    /// Adds one sentence. `fold` maps a chunk type before counting (e.g. `LOCderiv` → `LOC`).
    pub fn add(&mut self, gold: &[&str], predicted: &[&str], fold: &dyn Fn(&str) -> String) {
        let fold_all = |c: Vec<Chunk>| -> Vec<Chunk> {
            c.into_iter().map(|(s, e, t)| (s, e, fold(&t))).collect()
        };
        let g = fold_all(chunks(gold));
        let p = fold_all(chunks(predicted));
        for c in &g {
            self.per_type.entry(c.2.clone()).or_default().gold += 1;
            self.overall.gold += 1;
        }
        for c in &p {
            let e = self.per_type.entry(c.2.clone()).or_default();
            e.predicted += 1;
            self.overall.predicted += 1;
            if g.contains(c) {
                e.correct += 1;
                self.overall.correct += 1;
            }
        }
    }

    /// A conlleval-like table.
    pub fn table(&self, title: &str) -> String {
        let mut s = format!(
            "{title}\n  {:<10} {:>6} {:>6} {:>6}  {:>7} {:>7} {:>7}\n",
            "type", "gold", "pred", "ok", "P", "R", "F1"
        );
        let row = |name: &str, c: &Counts| {
            format!(
                "  {:<10} {:>6} {:>6} {:>6}  {:>7.4} {:>7.4} {:>7.4}\n",
                name,
                c.gold,
                c.predicted,
                c.correct,
                c.precision(),
                c.recall(),
                c.f1()
            )
        };
        for (t, c) in &self.per_type {
            s.push_str(&row(t, c));
        }
        s.push_str(&row("overall", &self.overall));
        s
    }
}

/// `LOCderiv` → `LOC`, `ORGpart` → `ORG`, others unchanged: GermEval's 4-class fold.
pub fn fold_base(t: &str) -> String {
    t.strip_suffix("deriv")
        .or_else(|| t.strip_suffix("part"))
        .unwrap_or(t)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_conlleval() {
        let l = ["B-PER", "I-PER", "O", "I-LOC", "I-ORG", "B-ORG", "I-ORG"];
        assert_eq!(
            chunks(&l),
            vec![
                (0, 2, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 5, "ORG".into()),
                (5, 7, "ORG".into())
            ]
        );
    }

    #[test]
    fn scores_are_strict() {
        // gold:  [Angela Merkel]PER in [Bonn]LOC
        // pred:  [Angela]PER [Merkel]PER in [Bonn]LOC  → 1 of 3 predicted correct, 1 of 2 gold found
        let mut s = Scores::default();
        s.add(
            &["B-PER", "I-PER", "O", "B-LOC"],
            &["B-PER", "B-PER", "O", "B-LOC"],
            &|t| t.to_string(),
        );
        assert_eq!(
            s.overall,
            Counts {
                gold: 2,
                predicted: 3,
                correct: 1
            }
        );
        assert!((s.overall.f1() - 0.4).abs() < 1e-9);
        assert_eq!(fold_base("LOCderiv"), "LOC");
        assert_eq!(fold_base("ORGpart"), "ORG");
    }
}
