//! The rules: speech frames per sentence, the scope of reported speech over following sentences,
//! quotations with their speakers, chains and stances.

use crate::lexicon::{Lexicon, Mood, VerbClass, VerbReading};
use crate::text::View;
use dossier_core::{Attribution, ChainLink, Cue, Document, Quote, TextSpan};

/// One source in a chain.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Byte range of the source's words (articles and quotation marks stripped).
    pub b0: usize,
    pub b1: usize,
    pub text: String,
    pub entity: Option<String>,
    pub person: bool,
    pub cue: String,
    /// Byte range of the noun phrase in this sentence (the pronoun itself, for "erklärte er").
    pub np: (usize, usize),
}

/// A sentence's speech frame: who says it (chain), with what cue, and which tokens are the content.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// Byte range of the cue word(s).
    pub cue: Option<(usize, usize)>,
    pub cue_stance: Option<String>,
    pub chain: Vec<Source>,
    /// Token range of what is reported.
    pub content: (usize, usize),
    /// Token range of the first source's noun phrase (quotations inside it are names, not quotes).
    pub speaker_np: Option<(usize, usize)>,
    /// The frame was inherited from an earlier sentence (subjunctive scope, "demnach").
    pub inherited: bool,
}

struct Mentions {
    /// (byte start, byte end, entity index), sorted by start.
    items: Vec<(usize, usize, usize)>,
}

impl Mentions {
    fn new(doc: &Document) -> Mentions {
        let mut items = Vec::new();
        for (ei, e) in doc.entities.iter().enumerate() {
            for m in &e.mentions {
                if m.span[0] <= m.span[1] && m.span[1] <= doc.len_chars() {
                    let r = doc.byte_range(m.span);
                    items.push((r.start, r.end, ei));
                }
            }
        }
        items.sort_unstable();
        Mentions { items }
    }

    /// The entity whose mention overlaps `[b0, b1)` best: persons first, then the largest overlap,
    /// then the latest mention (the name after an apposition's comma).
    fn best(&self, doc: &Document, b0: usize, b1: usize) -> Option<usize> {
        let hi = self.items.partition_point(|m| m.0 < b1);
        let mut best: Option<(bool, usize, usize, usize)> = None;
        for &(s, e, ei) in self.items[..hi].iter().rev() {
            if s + 400 < b0 {
                break;
            }
            if e <= b0 {
                continue;
            }
            let overlap = e.min(b1) - s.max(b0);
            let key = (doc.entities[ei].kind == "PER", overlap, s, ei);
            if best.is_none_or(|b| (key.0, key.1, key.2) > (b.0, b.1, b.2)) {
                best = Some(key);
            }
        }
        best.map(|b| b.3)
    }
}

pub(crate) struct Analyzer<'a> {
    doc: &'a Document,
    v: View<'a>,
    lex: &'static Lexicon,
    english: bool,
    mentions: Mentions,
    /// Per sentence, the index of its first word token (its end when it has none).
    first_word: Vec<usize>,
    /// Token look-ups made so far: the unit of work that the linearity tests count.
    steps: std::cell::Cell<u64>,
}

fn is_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn is_cap(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Claims and quotations found in one document.
pub(crate) struct Found {
    pub quotes: Vec<Quote>,
    pub attributions: Vec<Attribution>,
    pub events: Vec<crate::SpeechEvent>,
}

impl<'a> Analyzer<'a> {
    pub fn new(doc: &'a Document) -> Analyzer<'a> {
        let english = doc.language.starts_with("en");
        let v = View::new(doc);
        let first_word = v
            .sents
            .iter()
            .map(|&(a, b)| (a..b).find(|&k| is_word(v.tok(k))).unwrap_or(b))
            .collect();
        Analyzer {
            doc,
            v,
            lex: Lexicon::for_language(&doc.language),
            english,
            mentions: Mentions::new(doc),
            first_word,
            steps: std::cell::Cell::new(0),
        }
    }

    /// Sentences longer than the rules look at whole, cut into windows (see `View`).
    pub fn windowed(&self) -> usize {
        self.v.windowed
    }

    /// Token look-ups made so far.
    pub fn steps(&self) -> u64 {
        self.steps.get()
    }

    fn tok(&self, i: usize) -> &str {
        self.steps.set(self.steps.get() + 1);
        self.v.tok(i)
    }

    pub fn view(&self) -> &View<'a> {
        &self.v
    }

    pub fn lexicon(&self) -> &'static Lexicon {
        self.lex
    }

    /// The report span of a token range (a speaker's noun phrase).
    fn np_span(&self, np: Option<(usize, usize)>) -> Option<dossier_core::Span> {
        let (a, b) = np.filter(|&(a, b)| a < b && b <= self.v.toks.len())?;
        Some(
            self.doc
                .span_of_bytes(self.v.toks[a].b0, self.v.toks[b - 1].b1),
        )
    }

    fn lower(&self, i: usize) -> &str {
        self.steps.set(self.steps.get() + 1);
        let (a, b) = self.v.toks[i].lower;
        &self.v.lower_buf[a as usize..b as usize]
    }

    fn outside(&self, i: usize) -> bool {
        let t = &self.v.toks[i];
        t.quote.is_none() && !t.qmark
    }

    fn sentence_initial(&self, i: usize) -> bool {
        // No word before `i` in its sentence.
        i <= self.first_word[self.v.toks[i].sent as usize]
    }

    fn stop(&self, i: usize) -> bool {
        self.lex.speaker_stop.contains(self.lower(i))
    }

    /// The cue-verb reading of token `i`, if it is one (separable verbs need their particle).
    fn cue_reading(&self, i: usize, end: usize) -> Option<&'static VerbReading> {
        if !self.outside(i) {
            return None;
        }
        let w = self.tok(i);
        if is_cap(w) && !self.sentence_initial(i) && !self.english {
            return None;
        }
        // "meine Damen und Herren": a possessive before its noun, not the verb.
        if self.lex.determiners.contains(self.lower(i)) && i + 1 < end && is_cap(self.tok(i + 1)) {
            return None;
        }
        let lex: &'static Lexicon = self.lex;
        let mut fallback = None;
        for r in lex.readings(self.lower(i), VerbClass::Cue) {
            match &r.particle {
                None => fallback = fallback.or(Some(r)),
                Some(p) => {
                    if self.particle_closes(i, end, p) {
                        return Some(r);
                    }
                }
            }
        }
        fallback
    }

    fn particle_closes(&self, i: usize, end: usize, particle: &str) -> bool {
        for j in i + 1..end.min(i + 30) {
            let w = self.tok(j);
            if matches!(w, "," | ";" | ":") || self.v.toks[j].qmark {
                return false;
            }
            if self.lower(j) == particle {
                return j + 1 >= end || !is_word(self.tok(j + 1));
            }
        }
        false
    }

    /// Token `i` is a form of a verb of `class` (a separable one only with its particle).
    fn has_class(&self, i: usize, class: VerbClass) -> bool {
        let end = self.v.sents[self.v.toks[i].sent as usize].1;
        self.lex.readings(self.lower(i), class).any(|r| {
            r.particle
                .as_ref()
                .is_none_or(|p| self.particle_closes(i, end, p))
        })
    }

    fn is_verbish(&self, i: usize) -> bool {
        let l = self.lower(i);
        self.lex.mood(l).is_some() || self.lex.verbs.contains_key(l)
    }

    /// A short quotation opening at token `i` ("die „New York Times“"): the index after its closing
    /// mark.
    fn short_quote_at(&self, i: usize, end: usize) -> Option<usize> {
        let b = self.v.toks[i].b0;
        let qi = self.v.quotes.partition_point(|q| q.open.0 < b);
        if self.v.quotes.get(qi).is_none_or(|q| q.open.0 != b) {
            return None;
        }
        let close = self.v.quotes[qi].close.0;
        let mut words = 0;
        let mut j = i + 1;
        while j < end && self.v.toks[j].b0 < close {
            if is_word(self.tok(j)) {
                words += 1;
            }
            j += 1;
        }
        (j < end && words <= 6 && self.v.toks[j].b0 == close).then_some(j + 1)
    }

    /// A noun phrase starting at `j`: determiners, adjectives, names, appositions
    /// ("der Sprecher des Ministeriums, John Doe"); ends before adverbials. Token range.
    fn np_forward(&self, j: usize, end: usize) -> Option<(usize, usize)> {
        if j >= end {
            return None;
        }
        if self.lex.person_pronouns.contains(self.lower(j)) {
            return Some((j, j + 1));
        }
        let mut k = j;
        let mut last_head: Option<usize> = None;
        // German adjectives stand before their noun: after a head only an article or conjunction
        // opens the phrase again ("US-amerikanische und verbündete Quellen").
        let mut open = true;
        while k < end && k < j + 16 {
            let t = &self.v.toks[k];
            let w = self.tok(k);
            if t.qmark {
                match self.short_quote_at(k, end) {
                    Some(next) => {
                        last_head = Some(next - 1);
                        k = next;
                        continue;
                    }
                    None => break,
                }
            }
            if t.quote.is_some() {
                break;
            }
            if w == "," {
                if last_head.is_some()
                    && k + 1 < end
                    && is_cap(self.tok(k + 1))
                    && !self.stop(k + 1)
                    && self.v.toks[k + 1].quote.is_none()
                {
                    k += 1;
                    continue;
                }
                break;
            }
            if !is_word(w) {
                if matches!(w, "-" | "&") && last_head.is_some() {
                    k += 1;
                    continue;
                }
                break;
            }
            let l = self.lower(k);
            if self.stop(k) {
                break;
            }
            if self.lex.determiners.contains(l) || self.lex.np_conjunctions.contains(l) {
                open = true;
                k += 1;
                continue;
            }
            if is_cap(w) {
                last_head = Some(k);
                open = false;
                k += 1;
                continue;
            }
            if self.is_verbish(k) && !(self.english && last_head.is_none() && k == j) {
                break;
            }
            if self.english {
                last_head = Some(k);
                k += 1;
                continue;
            }
            if open && ["e", "en", "er", "es", "em"].iter().any(|s| l.ends_with(s)) {
                k += 1;
                continue;
            }
            break;
        }
        last_head.map(|h| (j, h + 1))
    }

    /// English sources after "according to": up to the clause end, at most 10 words.
    fn np_to_clause_end(&self, j: usize, end: usize) -> Option<(usize, usize)> {
        let mut k = j;
        while k < end && k < j + 10 && self.outside(k) && is_word(self.tok(k)) {
            k += 1;
        }
        let clause_end = k >= end || !is_word(self.tok(k));
        if clause_end && k > j {
            Some((j, k))
        } else {
            self.np_forward(j, end)
        }
    }

    /// A German noun phrase ending before `i` ("Dem Bericht zufolge"). Token range.
    fn np_backward(&self, i: usize, start: usize) -> Option<(usize, usize)> {
        let mut k = i;
        let mut head = false;
        while k > start && i - k < 10 {
            let w = self.tok(k - 1);
            let l = self.lower(k - 1);
            let ok = if !is_word(w) {
                w == "-"
            } else if self.lex.determiners.contains(l) || self.lex.np_conjunctions.contains(l) {
                true
            } else if is_cap(w) {
                head = true;
                true
            } else if self.english {
                !self.stop(k - 1)
            } else {
                !self.stop(k - 1) && ["e", "en", "er", "es", "em"].iter().any(|s| l.ends_with(s))
            };
            if !ok || !self.outside(k - 1) {
                break;
            }
            k -= 1;
        }
        (head || self.english && k < i).then_some((k, i))
    }

    /// Turns a noun phrase into a source: strips leading articles and quotation marks, narrows an
    /// apposition to its name, resolves a pronoun to the last person, links an entity.
    fn source(&self, np: (usize, usize), cue: &str, last_person: Option<&Source>) -> Source {
        let (mut a, mut b) = (np.0, np.1.max(np.0 + 1));
        let np_bytes = (self.v.toks[a].b0, self.v.toks[b - 1].b1);
        if b == a + 1 && self.lex.person_pronouns.contains(self.lower(a)) {
            if let Some(p) = last_person {
                return Source {
                    cue: cue.to_string(),
                    np: np_bytes,
                    ..p.clone()
                };
            }
        }
        // An apposition: the part after the last comma when it is a person's name.
        if let Some(c) = (a..b)
            .rev()
            .find(|&k| self.tok(k) == ",")
            .filter(|&c| c + 1 < b)
        {
            let name = (c + 1, b);
            let (nb0, nb1) = (self.v.toks[name.0].b0, self.v.toks[name.1 - 1].b1);
            let person = self
                .mentions
                .best(self.doc, nb0, nb1)
                .is_some_and(|e| self.doc.entities[e].kind == "PER");
            if person || (name.0..name.1).all(|k| is_cap(self.tok(k))) {
                a = name.0;
            }
        }
        while a + 1 < b
            && (self.lex.leading_articles.contains(self.lower(a)) || self.v.toks[a].qmark)
        {
            a += 1;
        }
        while b > a + 1 && self.v.toks[b - 1].qmark {
            b -= 1;
        }
        let (b0, b1) = (self.v.toks[a].b0, self.v.toks[b - 1].b1);
        let entity = self.mentions.best(self.doc, b0, b1);
        let person = match entity {
            Some(e) => self.doc.entities[e].kind == "PER",
            // Without an entity layer: a bare capitalised name with no article reads as a person.
            None => {
                self.doc.entities.is_empty()
                    && (a..b).all(|k| is_cap(self.tok(k)))
                    && !self.lex.determiners.contains(self.lower(a))
                    && (a == np.0 || self.tok(a - 1) == ",")
            }
        };
        Source {
            b0,
            b1,
            text: self.v.text[b0..b1].to_string(),
            entity: entity.map(|e| self.doc.entities[e].id.clone()),
            person,
            cue: cue.to_string(),
            np: np_bytes,
        }
    }

    fn span_text(&self, a: usize, b: usize) -> String {
        let (b0, b1) = (self.v.toks[a].b0, self.v.toks[b - 1].b1);
        self.v.text[b0..b1].to_string()
    }

    /// Source markers in tokens `[a, b)`: "laut X", "nach Angaben X", "unter Berufung auf X",
    /// "X zufolge", "nach X-Informationen", "according to X". Returns (marker start, source).
    fn markers(&self, a: usize, b: usize, last_person: Option<&Source>) -> Vec<(usize, Source)> {
        let mut out = Vec::new();
        let mut k = a;
        while k < b {
            if !self.outside(k) {
                k += 1;
                continue;
            }
            let l = self.lower(k);
            // "nach US-Informationen": the source is the compound's first part.
            if (l == "nach" || l == "laut") && k + 1 < b {
                let next = self.tok(k + 1);
                if let Some((prefix, noun)) = next.rsplit_once('-') {
                    if !prefix.is_empty()
                        && self.lex.information_nouns.contains(&noun.to_lowercase())
                    {
                        let t = &self.v.toks[k + 1];
                        let b1 = t.b0 + prefix.len();
                        let entity = self.mentions.best(self.doc, t.b0, b1);
                        out.push((
                            k,
                            Source {
                                b0: t.b0,
                                b1,
                                text: prefix.to_string(),
                                entity: entity.map(|e| self.doc.entities[e].id.clone()),
                                person: false,
                                cue: self.span_text(k, k + 2),
                                np: (t.b0, b1),
                            },
                        ));
                        k += 2;
                        continue;
                    }
                }
            }
            let mut matched = false;
            for m in &self.lex.source_before {
                if k + m.len() > b || (0..m.len()).any(|x| self.lower(k + x) != m[x]) {
                    continue;
                }
                let after = k + m.len();
                let np = if self.english {
                    self.np_to_clause_end(after, b)
                } else {
                    self.np_forward(after, b)
                };
                if let Some(np) = np {
                    let cue = self.span_text(k, after);
                    out.push((k, self.source(np, &cue, last_person)));
                    k = np.1;
                    matched = true;
                }
                break;
            }
            if matched {
                continue;
            }
            if self.lex.source_after.contains(l) {
                if let Some(np) = self.np_backward(k, a) {
                    let cue = self.tok(k).to_string();
                    out.push((np.0, self.source(np, &cue, last_person)));
                }
            }
            k += 1;
        }
        out
    }

    fn content_end(&self, a: usize, b: usize) -> usize {
        let mut e = b;
        while e > a && !is_word(self.tok(e - 1)) && !self.v.toks[e - 1].qmark {
            e -= 1;
        }
        e
    }

    /// The speech frame of sentence `s`, if it has one of its own.
    fn frame(&self, s: usize, last_person: Option<&Source>) -> Option<Frame> {
        let (a, b) = self.v.sents[s];
        if a >= b {
            return None;
        }
        let cues: Vec<(usize, &VerbReading)> = (a..b)
            .filter_map(|i| self.cue_reading(i, b).map(|r| (i, r)))
            .collect();
        let prev_real = |i: usize| -> Option<usize> {
            let mut p = i;
            while p > a {
                p -= 1;
                if !self.v.toks[p].qmark {
                    return Some(p);
                }
            }
            None
        };
        let finish = |cue: (usize, usize),
                      stance: Option<String>,
                      np: (usize, usize),
                      content: (usize, usize),
                      frame_region: (usize, usize)| {
            let cue_text = self.span_text(cue.0, cue.1);
            let first = self.source(np, &cue_text, last_person);
            let mut chain = vec![first];
            let mut extra = self.markers(frame_region.0, frame_region.1, last_person);
            extra.extend(self.markers(content.0, content.1, last_person));
            chain.extend(extra.into_iter().map(|(_, s)| s));
            Frame {
                cue: Some((self.v.toks[cue.0].b0, self.v.toks[cue.1 - 1].b1)),
                cue_stance: stance,
                chain,
                content,
                speaker_np: Some(np),
                inherited: false,
            }
        };

        // 1. Trailing and inverted: "…, sagte Kirby am Montag." / "…," said the official.
        for &(i, r) in cues.iter().rev() {
            let Some(p) = prev_real(i) else { continue };
            if self.tok(p) != "," || p <= a {
                continue;
            }
            if let Some(np) = self.np_forward(i + 1, b) {
                let content = (a, p);
                return Some(finish((i, i + 1), r.stance.clone(), np, content, (np.1, b)));
            }
        }
        // 2. "…, wie staatliche Medien berichteten." / "…, as the paper reported."
        for &(i, r) in cues.iter().rev() {
            let Some(w) = (a..i)
                .rev()
                .find(|&k| self.lex.as_marker.contains(self.lower(k)))
            else {
                continue;
            };
            let Some(p) = prev_real(w) else { continue };
            if self.tok(p) != "," || p <= a || self.content_end(i + 1, b) > i + 1 {
                continue;
            }
            if let Some(np) = self.np_forward(w + 1, i) {
                if np.1 == i {
                    return Some(finish((w, i + 1), r.stance.clone(), np, (a, p), (i + 1, b)));
                }
            }
        }
        // 3. English: "…, officials said." / "“…,” Kirby said."
        if self.english {
            for &(i, r) in cues.iter().rev() {
                let Some(c) = (a..i)
                    .rev()
                    .find(|&k| self.tok(k) == "," || self.v.toks[k].qmark)
                else {
                    continue;
                };
                let np_start = (c + 1..i).find(|&k| !self.v.toks[k].qmark).unwrap_or(i);
                if np_start >= i || i - np_start > 8 || c <= a {
                    continue;
                }
                let content_stop =
                    prev_real(c + 1).map_or(c, |p| if self.tok(p) == "," { p } else { c });
                // Only adverbials may follow: "Kirby said on Monday." / "she said in a statement."
                let tail = self.content_end(i + 1, b);
                let after_words = tail > i + 7
                    || (i + 1..tail)
                        .any(|k| self.tok(k) == "," || !self.outside(k) || self.is_verbish(k));
                if after_words || self.stop(np_start) {
                    continue;
                }
                return Some(finish(
                    (i, i + 1),
                    r.stance.clone(),
                    (np_start, i),
                    (a, content_stop.max(a)),
                    (i + 1, b),
                ));
            }
        }
        // 4. "…, so die Beamten."
        for k in a + 1..b {
            if !self.outside(k) || !self.lex.so_marker.contains(self.lower(k)) {
                continue;
            }
            let Some(p) = prev_real(k) else { continue };
            if self.tok(p) != "," || p <= a {
                continue;
            }
            let end = self.content_end(k + 1, b);
            if let Some(np) = self.np_forward(k + 1, end) {
                if np.1 == end {
                    return Some(finish((k, k + 1), None, np, (a, p), (end, b)));
                }
            }
        }
        // 5. Leading: "Die Zeitung berichtete weiter, …", "Kirby sagte, dass …", "X said (that) …".
        for &(i, r) in &cues {
            let after = self.leading_content_start(i, b);
            let Some(start) = after else { continue };
            let end = self.content_end(start, b);
            if end <= start || (start..end).filter(|&k| is_word(self.tok(k))).count() < 2 {
                continue;
            }
            // Subject before the verb, or (German inversion) right after it.
            let before = self.np_leading(a, i);
            let inverted = (!self.english)
                .then(|| self.np_forward(i + 1, b))
                .flatten()
                .filter(|np| {
                    let next = self.tok(np.1.min(b - 1));
                    np.1 < b && matches!(next, "," | ":")
                });
            let np = match (before, inverted) {
                (Some(np), _) if !self.english || np.1 == i => np,
                (_, Some(np)) => np,
                _ => continue,
            };
            let region = if np.0 > i {
                (np.1, start)
            } else {
                (i + 1, start)
            };
            return Some(finish(
                (i, i + 1),
                r.stance.clone(),
                np,
                (start, end),
                region,
            ));
        }
        // 6. Markers alone: "Laut Polizei …", "Dem Bericht zufolge …", "according to X".
        let found = self.markers(a, b, last_person);
        if let Some((k, first)) = found.first().cloned() {
            let end = self.content_end(a, b);
            let chain: Vec<Source> = found.into_iter().map(|(_, s)| s).collect();
            let cue_tokens = (k..b)
                .take_while(|&x| self.v.toks[x].b1 <= first.b0)
                .last()
                .unwrap_or(k);
            return Some(Frame {
                cue: Some((self.v.toks[k].b0, self.v.toks[cue_tokens.max(k)].b1)),
                cue_stance: None,
                chain,
                content: (a, end),
                speaker_np: None,
                inherited: false,
            });
        }
        None
    }

    /// "… . Das teilte die Polizei am Montag mit." / "Dies bestätigte der Minister.": a sentence
    /// whose object, a demonstrative before its speech verb, stands for the sentence before. That
    /// sentence (same paragraph, outside any quotation) is what the source said; the cue and the
    /// speaker are this sentence's.
    fn points_back(&self, s: usize, last_person: Option<&Source>) -> Option<Frame> {
        if s == 0 || self.v.sent_para.get(s) != self.v.sent_para.get(s - 1) {
            return None;
        }
        let (a, b) = self.v.sents[s];
        let (pa, pb) = self.v.sents[s - 1];
        if a + 3 > b || pa >= pb || !self.outside(a) {
            return None;
        }
        if !self.lex.demonstrative_messages.contains(self.lower(a)) {
            return None;
        }
        let reading = self.cue_reading(a + 1, b)?;
        let np = self.np_forward(a + 2, b)?;
        if (pa..pb).any(|k| !self.outside(k)) {
            return None;
        }
        let end = self.content_end(pa, pb);
        if (pa..end).filter(|&k| is_word(self.tok(k))).count() < 3 {
            return None;
        }
        let cue_text = self.span_text(a + 1, a + 2);
        let mut chain = vec![self.source(np, &cue_text, last_person)];
        chain.extend(
            self.markers(np.1, b, last_person)
                .into_iter()
                .map(|(_, s)| s),
        );
        Some(Frame {
            cue: Some((self.v.toks[a + 1].b0, self.v.toks[a + 1].b1)),
            cue_stance: reading.stance.clone(),
            chain,
            content: (pa, end),
            speaker_np: Some(np),
            inherited: false,
        })
    }

    /// Where the reported clause starts after a leading cue verb: after a comma or colon (and a
    /// complementizer) within a few words, or (English) after "that" or right after the verb.
    fn leading_content_start(&self, i: usize, b: usize) -> Option<usize> {
        for k in i + 1..b.min(i + 10) {
            let w = self.tok(k);
            if self.v.toks[k].quote.is_some() {
                // "Kirby sagte: „…“" — the quotation itself is the content.
                return (k > i + 1).then_some(k - 1);
            }
            if w == "," || w == ":" {
                let mut s = k + 1;
                if s < b && self.lex.complementizers.contains(self.lower(s)) {
                    s += 1;
                }
                return Some(s);
            }
            if self.lex.complementizers.contains(self.lower(k)) {
                return Some(k + 1);
            }
            if !self.english && self.is_verbish(k) {
                return None;
            }
        }
        if self.english && i + 1 < b && is_word(self.tok(i + 1)) {
            let mut s = i + 1;
            // "told reporters …": skip the addressee.
            if self.lower(i).starts_with("tol") || self.lower(i).starts_with("tell") {
                if let Some(np) = self.np_forward(s, b) {
                    s = np.1;
                }
            }
            while s < b && self.stop(s) && self.lower(s) != "that" {
                s += 1;
            }
            return Some(s);
        }
        None
    }

    /// The subject before a leading cue: from the first noun-phrase word of the sentence to the
    /// first verb (the cue, or an auxiliary/modal before it: "Ich möchte betonen, dass …"), at most
    /// 12 tokens, without a clause boundary.
    fn np_leading(&self, a: usize, i: usize) -> Option<(usize, usize)> {
        let mut s = a;
        while s < i
            && (!is_word(self.tok(s)) && !self.v.toks[s].qmark
                || self.stop(s)
                || self.lex.conditional_words.contains(self.lower(s)))
        {
            s += 1;
        }
        if s >= i {
            return None;
        }
        let v = (s..i)
            .find(|&k| self.is_verbish(k) && self.outside(k))
            .unwrap_or(i);
        if v == s || v - s > 12 || i - v > 8 {
            return None;
        }
        if (v..i).any(|k| matches!(self.tok(k), "," | ";" | ":") || !self.outside(k)) {
            return None;
        }
        let ok = (s..v).all(|k| {
            let w = self.tok(k);
            (is_word(w) || w == "," || w == "-" || self.v.toks[k].qmark)
                && (self.v.toks[k].quote.is_none() || self.short_quote_covering(k))
        });
        // V2 inversion: "Deswegen habe ich gesagt" — the subject pronoun after the auxiliary.
        if let Some(p) = (v + 1..i).find(|&k| self.lex.subject_pronouns.contains(self.lower(k))) {
            if !self.english {
                return Some((p, p + 1));
            }
        }
        let pronoun = v == s + 1 && self.lex.subject_pronouns.contains(self.lower(s));
        let head =
            pronoun || (s..v).any(|k| is_cap(self.tok(k)) || self.english && is_word(self.tok(k)));
        (ok && head).then_some((s, v))
    }

    fn short_quote_covering(&self, k: usize) -> bool {
        self.v.toks[k].quote.is_some_and(|q| {
            let (c0, c1) = self.v.quotes[q as usize].content();
            self.v.text[c0..c1].split_whitespace().count() <= 6
        })
    }

    fn mood(&self, a: usize, b: usize) -> (bool, bool) {
        let mut k1 = false;
        let mut k2 = false;
        for k in a..b {
            if !self.outside(k) || (is_cap(self.tok(k)) && !self.sentence_initial(k)) {
                continue;
            }
            match self.lex.mood(self.lower(k)) {
                Some(Mood::Sub1) if self.first_person_near(k, a, b) => {}
                Some(Mood::Sub1) => k1 = true,
                Some(Mood::Sub2) => k2 = true,
                None => {}
            }
        }
        (k1, k2)
    }

    /// "ich glaube", "empfehle ich": the -e form is the first person indicative.
    fn first_person_near(&self, k: usize, a: usize, b: usize) -> bool {
        self.lower(k).ends_with('e')
            && (k.saturating_sub(2).max(a)..(k + 3).min(b))
                .any(|j| j != k && self.lex.first_person.contains(self.lower(j)))
    }

    /// How the text presents the claim in tokens `[a, b)` (quoted words count only when the claim
    /// is the quotation itself).
    fn stance(&self, a: usize, b: usize, cue_stance: Option<&str>, reported: bool) -> &'static str {
        match cue_stance {
            Some("denied") => return "denied",
            Some("hoped") => return "hoped",
            Some("planned") => return "planned",
            _ => {}
        }
        let whole_quote = (a..b).all(|k| self.v.toks[k].quote.is_some());
        let (mut alleged, mut hoped, mut planned, mut hypothetical) = (false, false, false, false);
        for k in a..b {
            if !whole_quote && !self.outside(k) {
                continue;
            }
            let l = self.lower(k);
            if self.lex.alleged_adverbs.contains(l) {
                alleged = true;
            }
            if self.has_class(k, VerbClass::Reportative) && self.perfect_infinitive_after(k, b) {
                alleged = true;
            }
            if self.has_class(k, VerbClass::Hoped) {
                hoped = true;
            }
            if self.has_class(k, VerbClass::Planned) {
                planned = true;
            }
            if self.lex.future_auxiliaries.contains(l)
                && !is_cap(self.tok(k))
                && self.infinitive_near(k, b)
            {
                planned = true;
            }
            if !reported
                && (self.lex.conditional_words.contains(l)
                    || self.lex.mood(l) == Some(Mood::Sub2) && !is_cap(self.tok(k)))
            {
                hypothetical = true;
            }
        }
        if alleged {
            "alleged"
        } else if hoped {
            "hoped"
        } else if planned {
            "planned"
        } else if hypothetical {
            "hypothetical"
        } else if reported {
            "reported"
        } else {
            "asserted"
        }
    }

    /// "sollen … getötet worden sein": a participle, optionally "worden", then sein/haben.
    fn perfect_infinitive_after(&self, k: usize, b: usize) -> bool {
        let end = self.content_end(k, b);
        (k + 2..end).any(|j| {
            matches!(self.lower(j), "sein" | "haben") && {
                let p = self.lower(j - 1);
                p == "worden" || p.starts_with("ge") || p.ends_with('t')
            }
        })
    }

    /// A verb-final infinitive after (or right before) a future auxiliary: "werde … reisen,",
    /// "treffen werde", "will meet".
    fn infinitive_near(&self, k: usize, b: usize) -> bool {
        if self.english {
            return k + 1 < b && is_word(self.tok(k + 1)) && !is_cap(self.tok(k + 1));
        }
        // An infinitive is a word whose Konjunktiv I stem+e the morphology knows: "reisen" (reise),
        // not the participle "begangen".
        let inf = |j: usize| {
            let l = self.lower(j);
            !is_cap(self.tok(j))
                && l.ends_with('n')
                && !self.lex.future_auxiliaries.contains(l)
                && crate::compile::verb_stem(l)
                    .is_some_and(|stem| self.lex.mood(&format!("{stem}e")) == Some(Mood::Sub1))
        };
        if k > 0 && inf(k - 1) {
            return true;
        }
        (k + 1..b)
            .any(|j| inf(j) && (j + 1 >= b || !is_word(self.tok(j + 1)) || self.is_verbish(j + 1)))
    }

    pub fn run(&self) -> Found {
        let n = self.v.sents.len();
        let mut frames: Vec<Option<Frame>> = vec![None; n];
        let mut scope: Option<Frame> = None;
        let mut last: Option<Frame> = None;
        let mut last_person: Option<Source> = None;
        let mut quotes = Vec::new();
        let mut attributions = Vec::new();
        let mut sentence_stance: Vec<Option<(&'static str, (usize, usize))>> = vec![None; n];

        for s in 0..n {
            let (a, b) = self.v.sents[s];
            if a >= b || (a..b).all(|k| !self.outside(k)) {
                // A sentence wholly inside a quotation: the quotation carries it.
                continue;
            }
            if frames.get(s.wrapping_sub(1)).is_some_and(Option::is_none) {
                if let Some(f) = self.points_back(s, last_person.as_ref()) {
                    if let Some(first) = f.chain.first().filter(|first| first.person) {
                        last_person = Some(first.clone());
                    }
                    scope = Some(f.clone());
                    last = Some(f.clone());
                    sentence_stance[s - 1] = None;
                    frames[s - 1] = Some(f);
                    continue;
                }
            }
            let own = self.frame(s, last_person.as_ref());
            let (k1, k2) = self.mood(a, b);
            let anaphoric = (a..b)
                .any(|k| self.outside(k) && self.lex.anaphoric_sources.contains(self.lower(k)));
            let frame = if let Some(f) = own {
                Some(f)
            } else if anaphoric || k1 || (k2 && scope.is_some()) {
                // The report goes on: subjunctive or "demnach" with no new source.
                let inherited = scope.clone().or_else(|| last.clone());
                let end = self.content_end(a, b);
                match inherited {
                    Some(f) => Some(Frame {
                        content: (a, end),
                        speaker_np: None,
                        inherited: true,
                        ..f
                    }),
                    None if k1 => Some(Frame {
                        cue: None,
                        cue_stance: None,
                        chain: Vec::new(),
                        content: (a, end),
                        speaker_np: None,
                        inherited: true,
                    }),
                    None => None,
                }
            } else {
                None
            };
            match &frame {
                Some(f) => {
                    if let Some(first) = f.chain.first() {
                        if first.person {
                            last_person = Some(first.clone());
                        }
                    }
                    if !f.chain.is_empty() {
                        scope = Some(f.clone());
                        last = Some(f.clone());
                    }
                }
                None => {
                    scope = None;
                    let end = self.content_end(a, b);
                    let st = self.stance(a, end, None, false);
                    if st != "asserted" {
                        sentence_stance[s] = Some((st, (a, end)));
                    }
                }
            }
            frames[s] = frame;
        }

        // Direct quotations.
        let agencies: Vec<String> = self
            .doc
            .meta
            .agencies
            .iter()
            .map(|a| a.to_lowercase())
            .collect();
        let keep_link = |s: &Source| {
            let t = s.text.to_lowercase();
            !agencies
                .iter()
                .any(|a| !a.is_empty() && (t == *a || t.contains(a.as_str())))
        };
        let chain_links = |f: &Frame| -> Vec<ChainLink> {
            f.chain
                .iter()
                .filter(|s| keep_link(s))
                .map(|s| ChainLink {
                    entity: s.entity.clone(),
                    text: s.text.clone(),
                    cue: Some(s.cue.clone()),
                })
                .collect()
        };
        let mut events = Vec::new();
        let event = |f: Option<&Frame>, content: (usize, usize), direct: bool| crate::SpeechEvent {
            cue: f.filter(|f| !f.inherited).and_then(|f| f.cue),
            source: f
                .filter(|f| !f.inherited && f.speaker_np.is_some())
                .and_then(|f| f.chain.first())
                .map(|s| s.np),
            content,
            direct,
        };
        let mut last_quote_frame: Option<(usize, Frame)> = None;
        let mut direct_claims: Vec<(usize, usize)> = Vec::new();
        for (qi, q) in self.v.quotes.iter().enumerate() {
            let (c0, c1) = q.content();
            let content = &self.v.text[c0..c1];
            let words: Vec<&str> = content.split_whitespace().filter(|w| is_word(w)).collect();
            if words.is_empty() {
                continue;
            }
            let open_tok = self.v.toks.partition_point(|t| t.b0 < q.open.0);
            let close_tok = self.v.toks.partition_point(|t| t.b0 < q.close.0);
            if open_tok >= self.v.toks.len() || close_tok >= self.v.toks.len() {
                continue;
            }
            let (s_open, s_close) = (
                self.v.toks[open_tok].sent as usize,
                self.v.toks[close_tok].sent as usize,
            );
            let in_np = |f: &Frame| {
                f.speaker_np
                    .is_some_and(|(x, y)| open_tok >= x && close_tok < y)
                    || f.chain.iter().any(|s| {
                        s.b0 <= q.open.1 && q.close.0 <= s.b1
                            || q.open.0 <= s.b0 && s.b1 <= q.close.1
                    })
            };
            let frame_of = |s: usize| {
                frames
                    .get(s)
                    .and_then(|f| f.as_ref())
                    .filter(|f| !f.chain.is_empty())
            };
            if [s_open, s_close]
                .iter()
                .filter_map(|&s| frame_of(s))
                .any(in_np)
            {
                continue;
            }
            let para = self.v.sent_para.get(s_open).copied().unwrap_or(0);
            let own = frame_of(s_close)
                .or_else(|| frame_of(s_open))
                .filter(|f| !f.inherited)
                .cloned();
            let frame = own.or_else(|| {
                // "“…,” he said. “…”": a quotation that opens its sentence continues the last
                // speaker of the paragraph.
                let starts_sentence = self.sentence_initial(open_tok);
                last_quote_frame
                    .as_ref()
                    .filter(|(p, _)| *p == para && starts_sentence)
                    .map(|(_, f)| f.clone())
            });
            let title_like = words.len() <= 6
                && words.iter().all(|w| {
                    is_cap(w)
                        || self.lex.determiners.contains(&w.to_lowercase())
                        || self.lex.np_conjunctions.contains(&w.to_lowercase())
                });
            if frame.is_none() && (words.len() < 4 || title_like) {
                continue;
            }
            let qid = format!("Q{}", quotes.len() + 1);
            let speaker = frame.as_ref().and_then(|f| f.chain.first());
            quotes.push(Quote {
                id: qid,
                kind: "direct".into(),
                span: self.doc.span_of_bytes(q.open.0, q.close.1),
                content: content.to_string(),
                cue: frame.as_ref().and_then(|f| f.cue).map(|(x, y)| Cue {
                    span: self.doc.span_of_bytes(x, y),
                    text: self.v.text[x..y].to_string(),
                }),
                speaker: speaker.and_then(|s| s.entity.clone()),
                speaker_text: speaker.map(|s| s.text.clone()),
                speaker_span: frame.as_ref().and_then(|f| self.np_span(f.speaker_np)),
                ..Default::default()
            });
            let chain = frame.as_ref().map(&chain_links).unwrap_or_default();
            let reported = !chain.is_empty() || frame.is_some();
            let st = self.stance(
                open_tok + 1,
                close_tok,
                frame.as_ref().and_then(|f| f.cue_stance.as_deref()),
                reported,
            );
            attributions.push((
                c0,
                Attribution {
                    id: String::new(),
                    claim: TextSpan {
                        text: content.to_string(),
                        span: self.doc.span_of_bytes(c0, c1),
                    },
                    chain,
                    stance: st.to_string(),
                    ..Default::default()
                },
            ));
            direct_claims.push((c0, c1));
            events.push(event(frame.as_ref(), (c0, c1), true));
            if let Some(f) = frame {
                last_quote_frame = Some((para, f));
            }
            let _ = qi;
        }

        // Reported speech and other claims, sentence by sentence.
        for s in 0..n {
            if let Some(f) = &frames[s] {
                let (ca, cb) = f.content;
                if ca >= cb {
                    continue;
                }
                let outside_words = (ca..cb)
                    .filter(|&k| self.outside(k) && is_word(self.tok(k)))
                    .count();
                if outside_words < 2 {
                    continue;
                }
                let has_quote = (ca..cb).any(|k| self.v.toks[k].quote.is_some());
                let (b0, b1) = (self.v.toks[ca].b0, self.v.toks[cb - 1].b1);
                let text = self.v.text[b0..b1].to_string();
                let speaker = f.chain.first();
                let chain = chain_links(f);
                if f.cue.is_some() || !f.chain.is_empty() {
                    events.push(event(Some(f), (b0, b1), false));
                    quotes.push(Quote {
                        id: String::new(),
                        kind: if has_quote { "mixed" } else { "indirect" }.into(),
                        span: self.doc.span_of_bytes(b0, b1),
                        content: text.clone(),
                        cue: f.cue.map(|(x, y)| Cue {
                            span: self.doc.span_of_bytes(x, y),
                            text: self.v.text[x..y].to_string(),
                        }),
                        speaker: speaker.and_then(|s| s.entity.clone()),
                        speaker_text: speaker.map(|s| s.text.clone()),
                        speaker_span: self.np_span(f.speaker_np),
                        ..Default::default()
                    });
                }
                let st = self.stance(ca, cb, f.cue_stance.as_deref(), true);
                attributions.push((
                    b0,
                    Attribution {
                        id: String::new(),
                        claim: TextSpan {
                            text,
                            span: self.doc.span_of_bytes(b0, b1),
                        },
                        chain,
                        stance: st.to_string(),
                        ..Default::default()
                    },
                ));
            } else if let Some((st, (a, b))) = sentence_stance[s] {
                let (b0, b1) = (self.v.toks[a].b0, self.v.toks[b - 1].b1);
                // Outer quotations do not overlap and come in text order: the one that could
                // hold this claim is the last that starts at or before it.
                let p = direct_claims.partition_point(|&(x, _)| x <= b0);
                if p > 0 && b1 <= direct_claims[p - 1].1 {
                    continue;
                }
                attributions.push((
                    b0,
                    Attribution {
                        id: String::new(),
                        claim: TextSpan {
                            text: self.v.text[b0..b1].to_string(),
                            span: self.doc.span_of_bytes(b0, b1),
                        },
                        chain: Vec::new(),
                        stance: st.to_string(),
                        ..Default::default()
                    },
                ));
            }
        }

        quotes.sort_by_key(|q| (q.span[0], q.span[1]));
        for (i, q) in quotes.iter_mut().enumerate() {
            q.id = format!("Q{}", i + 1);
        }
        attributions.sort_by_key(|(b, a)| (*b, a.claim.span[1]));
        let attributions = attributions
            .into_iter()
            .enumerate()
            .map(|(i, (_, mut a))| {
                a.id = format!("A{}", i + 1);
                a
            })
            .collect();
        Found {
            quotes,
            attributions,
            events,
        }
    }
}
