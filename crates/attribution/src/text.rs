//! A token view of a `Document` for the attribution rules: tokens with byte ranges, their sentence,
//! whether they sit inside a quotation, and the quotations themselves (every mark style, nested).

use dossier_core::Document;

#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub b0: usize,
    pub b1: usize,
    /// The sentence (index into `View::sents`); u32 like `quote`, to keep a token small: a
    /// 20 MB document has millions of them.
    pub sent: u32,
    /// The outer quotation whose content holds this token.
    pub quote: Option<u32>,
    /// The token is one or more quotation marks only.
    pub qmark: bool,
    /// The lower-case form, as a byte range of `View::lower_buf` (one buffer, not a string per
    /// token: a 20 MB document has millions of tokens).
    pub lower: (u32, u32),
}

/// An outer quotation: marks at `open` and `close` (byte ranges of the marks).
#[derive(Debug, Clone)]
pub(crate) struct QuoteSpan {
    pub open: (usize, usize),
    pub close: (usize, usize),
    /// What the marks enclose, without the spaces that French and some other typography sets
    /// inside them ("« Nous devons agir »").
    pub inner: (usize, usize),
}

impl QuoteSpan {
    pub fn content(&self) -> (usize, usize) {
        self.inner
    }
}

pub(crate) struct View<'a> {
    pub text: &'a str,
    /// The lower-case forms of all tokens, one after another.
    pub lower_buf: String,
    pub toks: Vec<Tok>,
    /// Token index ranges `[start, end)` per sentence.
    pub sents: Vec<(usize, usize)>,
    /// Paragraph number per sentence.
    pub sent_para: Vec<usize>,
    pub quotes: Vec<QuoteSpan>,
    /// How many sentences were longer than [`MAX_SENTENCE_TOKENS`] and cut into windows.
    pub windowed: usize,
    /// Per sentence of `sents`, whether it is a window of a longer sentence (empty when none is).
    pub window: Vec<bool>,
}

/// The longest sentence, in tokens, that the rules see whole; longer ones are cut into windows.
pub(crate) const MAX_SENTENCE_TOKENS: usize = 1000;

fn closers(open: char) -> &'static [char] {
    match open {
        '„' => &['“', '”'],
        '“' => &['”'],
        '»' => &['«'],
        '«' => &['»'],
        '‚' => &['‘', '’'],
        '‘' => &['’'],
        '›' => &['‹'],
        '‹' => &['›'],
        '"' => &['"'],
        _ => &[],
    }
}

pub(crate) fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '„' | '“' | '”' | '»' | '«' | '‚' | '‘' | '’' | '›' | '‹' | '"'
    )
}

/// Outer quotations of `text`, matched with a stack so that nesting and mixed styles work; a
/// paragraph break, or 5,000 bytes without a closing mark, abandons an open quotation.
pub(crate) fn find_quotes(text: &str) -> Vec<QuoteSpan> {
    const MAX_OPEN: usize = 5000;
    let mut out = Vec::new();
    let mut stack: Vec<(char, usize, usize)> = Vec::new();
    let mut prev_newline = false;
    for (b, c) in text.char_indices() {
        if c == '\n' {
            if prev_newline {
                stack.clear();
            }
            prev_newline = true;
            continue;
        }
        if !c.is_whitespace() {
            prev_newline = false;
        }
        if !is_quote_char(c) {
            continue;
        }
        let end = b + c.len_utf8();
        stack.retain(|&(_, s, _)| b - s <= MAX_OPEN);
        if let Some(depth) = stack.iter().rposition(|&(o, _, _)| closers(o).contains(&c)) {
            let (_, s0, s1) = stack[depth];
            stack.truncate(depth);
            if stack.is_empty() {
                let inner = &text[s1..b];
                let lead = inner.len() - inner.trim_start().len();
                let trail = inner.len() - inner.trim_end().len();
                let inner = if lead == inner.len() {
                    (s1, b)
                } else {
                    (s1 + lead, b - trail)
                };
                out.push(QuoteSpan {
                    open: (s0, s1),
                    close: (b, end),
                    inner,
                });
            }
            continue;
        }
        if c == '’' {
            // An apostrophe unless it closes a quotation.
            continue;
        }
        if c == '‘' || c == '‚' {
            // Only open a single quotation at a word start: "don‘t" is an apostrophe.
            let before = text[..b].chars().next_back();
            if before.is_some_and(|p| p.is_alphanumeric()) {
                continue;
            }
        }
        stack.push((c, b, end));
    }
    out
}

/// Tokens by a simple rule, for Documents without a token layer: runs of letters/digits (with inner
/// hyphens, apostrophes, dots between digits), every other visible character alone.
fn fallback_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(b, c)) in chars.iter().enumerate() {
        let inner_joiner = matches!(c, '-' | '\'' | '’' | '.' | '/')
            && start.is_some()
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric())
            && (c != '.'
                || (i > 0 && chars[i - 1].1.is_ascii_digit())
                    && chars.get(i + 1).is_some_and(|&(_, n)| n.is_ascii_digit()));
        if c.is_alphanumeric() || inner_joiner {
            if start.is_none() {
                start = Some(b);
            }
            continue;
        }
        if let Some(s) = start.take() {
            out.push((s, b));
        }
        if !c.is_whitespace() {
            out.push((b, b + c.len_utf8()));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Sentences by a simple rule, for Documents without a sentence layer: a paragraph break, or
/// `.`/`!`/`?` (plus closing marks) followed by a space and an upper-case letter or opening mark.
fn fallback_sentences(text: &str, toks: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for i in 0..toks.len() {
        let t = &text[toks[i].0..toks[i].1];
        let next = toks.get(i + 1);
        let para_break = next.is_some_and(|n| text[toks[i].1..n.0].contains("\n\n"));
        let after_end_mark = t.chars().all(is_quote_char)
            && i > 0
            && matches!(&text[toks[i - 1].0..toks[i - 1].1], "." | "!" | "?");
        let ordinal = t == "."
            && i > 0
            && text[toks[i - 1].0..toks[i - 1].1]
                .chars()
                .all(|c| c.is_ascii_digit());
        let ends = (matches!(t, "." | "!" | "?" | "…") && !ordinal || after_end_mark)
            && next.is_some_and(|n| {
                let nt = &text[n.0..n.1];
                n.0 > toks[i].1
                    && nt
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || is_quote_char(c))
            });
        if ends || para_break {
            out.push((toks[start].0, toks[i].1));
            start = i + 1;
        }
    }
    if start < toks.len() {
        out.push((toks[start].0, toks[toks.len() - 1].1));
    }
    out
}

impl<'a> View<'a> {
    pub fn new(doc: &'a Document) -> View<'a> {
        let text = doc.text.as_str();
        let mut spans: Vec<(usize, usize)> = if doc.tokens.is_empty() {
            fallback_tokens(text)
        } else {
            doc.tokens
                .iter()
                .map(|&s| {
                    let r = doc.byte_range(s);
                    (r.start, r.end)
                })
                .filter(|(a, b)| a < b)
                .collect()
        };
        spans.sort_unstable();
        // A token that glues quotation marks to a word ("„Ich") is split into mark and word.
        let mut split = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            split_marks(text, a, b, &mut split);
        }
        let spans = split;
        let sent_bytes: Vec<(usize, usize)> = if doc.sentences.is_empty() {
            fallback_sentences(text, &spans)
        } else {
            let mut v: Vec<(usize, usize)> = doc
                .sentences
                .iter()
                .map(|&s| {
                    let r = doc.byte_range(s);
                    (r.start, r.end)
                })
                .collect();
            v.sort_unstable();
            v
        };
        let quotes = find_quotes(text);
        let mut toks = Vec::with_capacity(spans.len());
        let mut lower_buf = String::with_capacity(text.len());
        let mut si = 0usize;
        let mut qi = 0usize;
        for &(b0, b1) in &spans {
            while si + 1 < sent_bytes.len() && sent_bytes[si + 1].0 <= b0 {
                si += 1;
            }
            while qi < quotes.len() && quotes[qi].close.1 <= b0 {
                qi += 1;
            }
            let quote = quotes
                .get(qi)
                .filter(|q| q.open.1 <= b0 && b1 <= q.close.0)
                .map(|_| qi as u32);
            let s = &text[b0..b1];
            let l0 = lower_buf.len();
            if s.chars().all(|c| !c.is_uppercase()) {
                lower_buf.push_str(s);
            } else {
                lower_buf.push_str(&s.to_lowercase());
            }
            // Offsets are u32: past 4 GiB of tokens the rest read as empty (no input comes near).
            let lower = match (u32::try_from(l0), u32::try_from(lower_buf.len())) {
                (Ok(a), Ok(b)) => (a, b),
                _ => (0, 0),
            };
            toks.push(Tok {
                b0,
                b1,
                sent: si as u32,
                quote,
                qmark: s.chars().all(is_quote_char),
                lower,
            });
        }
        let n_sent = sent_bytes.len().max(1);
        let mut sents = vec![(0usize, 0usize); n_sent];
        let mut seen = vec![false; n_sent];
        for (i, t) in toks.iter().enumerate() {
            let s = t.sent as usize;
            if !seen[s] {
                sents[s].0 = i;
                seen[s] = true;
            }
            sents[s].1 = i + 1;
        }
        // The wire dateline ("MUNICH, May 7 (Reuters) -") is where the story was filed: the
        // sentence it opens starts after it, so that it is neither speaker nor claim.
        if let Some(d) = &doc.meta.dateline {
            let end = doc.byte_range(d.span).end;
            for (a, b) in sents.iter_mut() {
                let first_after = (*a..*b).find(|&k| toks[k].b0 >= end).unwrap_or(*b);
                if first_after > *a && first_after < *b && toks[*a].b0 < end {
                    *a = first_after;
                }
            }
        }
        let breaks: Vec<usize> = text.match_indices("\n\n").map(|(b, _)| b).collect();
        let sent_para: Vec<usize> = sent_bytes
            .iter()
            .map(|&(s, _)| breaks.partition_point(|&b| b < s))
            .chain(std::iter::repeat(0))
            .take(n_sent)
            .collect();
        let mut view = View {
            text,
            lower_buf,
            toks,
            sents,
            sent_para,
            quotes,
            windowed: 0,
            window: Vec::new(),
        };
        view.window_long_sentences();
        view
    }

    /// Cuts every sentence longer than [`MAX_SENTENCE_TOKENS`] into windows of that many tokens,
    /// each analysed as a sentence of its own: the rules look back and forth within a sentence,
    /// so a sentence of n tokens costs up to n² steps, and a crawled page can hold megabytes
    /// without a full stop. Real sentences are far shorter, so ordinary text is unchanged.
    fn window_long_sentences(&mut self) {
        if self
            .sents
            .iter()
            .all(|&(a, b)| b.saturating_sub(a) <= MAX_SENTENCE_TOKENS)
        {
            return;
        }
        let mut sents = Vec::with_capacity(self.sents.len());
        let mut sent_para = Vec::with_capacity(self.sents.len());
        let mut window = Vec::with_capacity(self.sents.len());
        for (s, &(a, b)) in self.sents.iter().enumerate() {
            let para = self.sent_para.get(s).copied().unwrap_or(0);
            if b.saturating_sub(a) <= MAX_SENTENCE_TOKENS {
                sents.push((a, b));
                sent_para.push(para);
                window.push(false);
                continue;
            }
            self.windowed += 1;
            let mut w = a;
            while w < b {
                let e = (w + MAX_SENTENCE_TOKENS).min(b);
                sents.push((w, e));
                sent_para.push(para);
                window.push(true);
                w = e;
            }
        }
        for (s, &(a, b)) in sents.iter().enumerate() {
            for t in &mut self.toks[a..b] {
                t.sent = s as u32;
            }
        }
        self.sents = sents;
        self.sent_para = sent_para;
        self.window = window;
    }

    /// Whether sentence `s` is a window of a sentence longer than [`MAX_SENTENCE_TOKENS`].
    pub fn is_window(&self, s: usize) -> bool {
        self.window.get(s).copied().unwrap_or(false)
    }

    /// The lower-case form of token `i`.
    pub fn lower(&self, i: usize) -> &str {
        let (a, b) = self.toks[i].lower;
        &self.lower_buf[a as usize..b as usize]
    }

    pub fn tok(&self, i: usize) -> &str {
        let t = &self.toks[i];
        &self.text[t.b0..t.b1]
    }
}

fn split_marks(text: &str, a: usize, b: usize, out: &mut Vec<(usize, usize)>) {
    let s = &text[a..b];
    if s.chars().all(is_quote_char) || !s.chars().any(is_quote_char) {
        out.push((a, b));
        return;
    }
    let mut run_start = None;
    for (off, c) in s.char_indices() {
        let pos = a + off;
        let inner_apostrophe = c == '’' && off > 0 && off + c.len_utf8() < s.len();
        if is_quote_char(c) && !inner_apostrophe {
            if let Some(rs) = run_start.take() {
                out.push((rs, pos));
            }
            out.push((pos, pos + c.len_utf8()));
        } else if run_start.is_none() {
            run_start = Some(pos);
        }
    }
    if let Some(rs) = run_start {
        out.push((rs, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<&str> {
        find_quotes(text)
            .iter()
            .map(|q| &text[q.content().0..q.content().1])
            .collect()
    }

    #[test]
    fn every_mark_style_and_nesting() {
        assert_eq!(
            contents("Er sagte: „Wir kommen.“ Gut."),
            vec!["Wir kommen."]
        );
        assert_eq!(contents("He said “we win” today."), vec!["we win"]);
        assert_eq!(
            contents("»Nein« und «Oui» und \"yes\""),
            vec!["Nein", "Oui", "yes"]
        );
        assert_eq!(
            contents("„Er rief ‚Halt‘ und ging“, sagte sie."),
            vec!["Er rief ‚Halt‘ und ging"]
        );
        assert_eq!(contents("Clinton’s ‘plan’ failed"), vec!["plan"]);
        assert!(contents("„offen\n\nneuer Absatz“").is_empty());
    }

    #[test]
    fn fallback_layers() {
        let t = "Er sagte: „Das geht.“ Sie ging. 3.5 Mio.";
        let toks = fallback_tokens(t);
        let words: Vec<&str> = toks.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(
            words,
            vec![
                "Er", "sagte", ":", "„", "Das", "geht", ".", "“", "Sie", "ging", ".", "3.5", "Mio",
                "."
            ]
        );
        let sents = fallback_sentences(t, &toks);
        assert_eq!(sents.len(), 2);
    }
}
