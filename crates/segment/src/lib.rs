//! Sentence and token segmentation for German and English news text.
//!
//! One left-to-right scan over the bytes of the text produces tokens (byte ranges) with a kind;
//! a second pass over the tokens places sentence boundaries. Both passes are linear in the text
//! and allocate nothing per token beyond the output vectors.
//!
//! Token conventions:
//! - Words keep hyphenated compounds and inner apostrophes whole: "US-Regierung", "Jong-un",
//!   "don't", "Kim's", "geht's" are one token each (no clitic splitting). A hyphen that ends a
//!   word before a space stays with it ("Ein- und Ausreise" → "Ein-").
//! - Numbers keep separators between digits: "1,5", "2.000", "3.5", "10:30", "12.09.2024".
//! - An abbreviation keeps its period. Spaced abbreviations are one token per part ("z. B." →
//!   "z.", "B."); unspaced ones are one token ("z.B.", "U.S.").
//! - An ordinal keeps its period when the period belongs to it ("am 15. August" → "15.").
//! - URLs and e-mail addresses are one token, without trailing punctuation.
//! - Every other punctuation mark and every quote mark is its own token; a run of sentence-final
//!   marks ("?!", "...") is one token.
//!
//! Sentence boundaries:
//! - after `.`, `!`, `?`, `…` (with the closing quotes and brackets right after them) when
//!   whitespace and then an uppercase letter, a digit, a quote or an opening bracket follow, or
//!   the text ends; text in scripts without case counts as uppercase;
//! - always at a paragraph break (two or more line breaks), so an unpunctuated headline is a
//!   sentence of its own;
//! - never after a known abbreviation, an initial ("John F. Kennedy") or an ordinal; after an
//!   abbreviation that can also end a sentence ("etc.", "Inc.") only when a typical sentence
//!   starter ("Die", "The") follows;
//! - CJK full stops (`。！？`) end a sentence wherever they stand.
//!
//! A number followed by a period is an ordinal when a lowercase word or a month name follows,
//! or (for numbers of up to three digits) a noun that commonly follows ordinals, or when an
//! article or contracted preposition precedes it ("am", "des"), or when it opens a paragraph
//! (an enumeration). A capitalised function word after it ("Die", "Er") marks the end of a
//! sentence. The word lists live in `data/de.txt` and `data/en.txt`.
//!
//! Known limits: sentences inside a quotation are split like any other ("„Wir kommen. Morgen.“,
//! sagte er." gives two sentences, the second ending with the cue); an abbreviation or a single
//! letter that really ends a sentence ("Plan B.") does not end it.

mod lexicon;

pub use lexicon::Lexicon;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    /// Digits, possibly with separators ("2.000", "1,5", "10:30").
    Number,
    /// A number with the period that makes it an ordinal ("15.").
    Ordinal,
    /// A word with its abbreviation period, including initials ("Dr.", "F.", "z.B.").
    Abbreviation,
    Url,
    Email,
    /// Punctuation, including sentence-final marks and brackets.
    Punct,
    /// A quotation mark of any style.
    Quote,
    /// Any other sign (currency, math, emoji, ...).
    Symbol,
}

/// Sentences and tokens as byte ranges into the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmentation {
    pub sentences: Vec<(usize, usize)>,
    pub tokens: Vec<(usize, usize)>,
    /// The kind of each token, parallel to `tokens`.
    pub kinds: Vec<TokenKind>,
}

/// Segments `text` (language `lang`, ISO 639-1) into sentences and tokens.
pub fn segment(text: &str, lang: &str) -> Segmentation {
    let lexicon = Lexicon::for_language(lang);
    let mut scanner = Scanner::new(text, lexicon);
    scanner.scan();
    let Scanner { mut out, flags, .. } = scanner;
    out.sentences = sentences(text, &out.tokens, &flags, lexicon);
    out
}

// Per-token flags the sentence pass reads.
/// Whitespace precedes the token.
const GAP_SPACE: u8 = 1;
/// A paragraph break (two or more line breaks) precedes the token.
const GAP_PARAGRAPH: u8 = 2;
/// `.`, `!`, `?`, `…` or a run of them.
const TERMINAL: u8 = 4;
/// A CJK full stop, which ends a sentence without whitespace after it.
const TERMINAL_CJK: u8 = 8;
/// A quote mark or a closing bracket: may follow a sentence-final mark inside the sentence.
const CLOSER: u8 = 16;
/// An opening bracket.
const OPENER: u8 = 32;
/// An abbreviation that may end a sentence when a sentence starter follows.
const MAY_END: u8 = 64;

/// What the token scan needs to know about an ASCII byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Space,
    Newline,
    Return,
    Digit,
    Letter,
    Other,
}

const fn ascii_classes() -> [Ascii; 128] {
    let mut table = [Ascii::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c == b'\n' {
            Ascii::Newline
        } else if c == b'\r' {
            Ascii::Return
        } else if c <= b' ' || c == 0x7f {
            Ascii::Space
        } else if c.is_ascii_digit() {
            Ascii::Digit
        } else if c.is_ascii_alphabetic() {
            Ascii::Letter
        } else {
            Ascii::Other
        };
        b += 1;
    }
    table
}

static ASCII: [Ascii; 128] = ascii_classes();

/// Class of one character for the scanner.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Whitespace, control and invisible format characters; `u8` counts line breaks.
    Space(u8),
    Letter,
    Digit,
    Other,
}

#[inline]
fn classify(c: char) -> Class {
    if (c as u32) < 128 {
        return match ASCII[c as usize] {
            Ascii::Space => Class::Space(0),
            Ascii::Newline | Ascii::Return => Class::Space(1),
            Ascii::Digit => Class::Digit,
            Ascii::Letter => Class::Letter,
            Ascii::Other => Class::Other,
        };
    }
    // Latin-1 and Latin Extended letters, the common case in European text, skip the tables.
    if ('\u{c0}'..='\u{24f}').contains(&c) && c != '×' && c != '÷' {
        return Class::Letter;
    }
    match c {
        '\u{2029}' => Class::Space(2),
        '\u{2028}' | '\u{85}' => Class::Space(1),
        '\u{ad}' | '\u{200c}' | '\u{200d}' => Class::Letter,
        '\u{200b}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => Class::Space(0),
        _ if c.is_whitespace() || c.is_control() => Class::Space(0),
        _ if c.is_alphabetic() || is_combining_mark(c) => Class::Letter,
        _ if c.is_numeric() => Class::Digit,
        _ => Class::Other,
    }
}

/// Combining diacritics, which belong to the letter before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe00}'..='\u{fe0f}' | '\u{fe20}'..='\u{fe2f}')
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '«'
            | '»'
            | '‘'
            | '’'
            | '‚'
            | '‛'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '‹'
            | '›'
            | '「'
            | '」'
            | '『'
            | '』'
            | '＂'
    )
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

fn is_cjk_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Characters that end a URL or e-mail address instead of belonging to it.
fn is_url_trailer(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '>') || is_quote(c)
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    lex: &'static Lexicon,
    out: Segmentation,
    flags: Vec<u8>,
    /// Flags for the next token (what whitespace came before it).
    gap: u8,
    newlines: u32,
}

/// The result of scanning one word.
struct Word {
    end: usize,
    has_letter: bool,
    has_inner_period: bool,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, lex: &'static Lexicon) -> Self {
        // News text averages about seven bytes per token.
        let estimate = text.len() / 6 + 1;
        Scanner {
            text,
            bytes: text.as_bytes(),
            lex,
            out: Segmentation {
                sentences: Vec::new(),
                tokens: Vec::with_capacity(estimate),
                kinds: Vec::with_capacity(estimate),
            },
            flags: Vec::with_capacity(estimate),
            gap: 0,
            newlines: 0,
        }
    }

    fn push(&mut self, start: usize, end: usize, kind: TokenKind, flags: u8) {
        let mut gap = self.gap;
        if self.newlines >= 2 {
            gap |= GAP_PARAGRAPH;
        }
        self.out.tokens.push((start, end));
        self.out.kinds.push(kind);
        self.flags.push(flags | gap);
        self.gap = 0;
        self.newlines = 0;
    }

    fn scan(&mut self) {
        let len = self.bytes.len();
        let mut i = 0;
        while i < len {
            let b = self.bytes[i];
            if b < 0x80 {
                match ASCII[b as usize] {
                    Ascii::Space => {
                        self.gap |= GAP_SPACE;
                        i += 1;
                    }
                    Ascii::Newline => {
                        self.gap |= GAP_SPACE;
                        self.newlines += 1;
                        i += 1;
                    }
                    Ascii::Return => {
                        self.gap |= GAP_SPACE;
                        if self.bytes.get(i + 1) != Some(&b'\n') {
                            self.newlines += 1;
                        }
                        i += 1;
                    }
                    Ascii::Digit | Ascii::Letter => i = self.word(i),
                    Ascii::Other => i = self.punct(i, b as char),
                }
                continue;
            }
            let Some(c) = char_at(self.text, i) else {
                // Unreachable for a valid &str; step forward rather than loop forever.
                i += 1;
                continue;
            };
            match classify(c) {
                Class::Space(n) => {
                    self.gap |= GAP_SPACE;
                    self.newlines += n as u32;
                    i += c.len_utf8();
                }
                Class::Letter | Class::Digit => i = self.word(i),
                Class::Other => i = self.punct(i, c),
            }
        }
    }

    /// Scans the word at `start`, decides about a following period and pushes the token(s).
    fn word(&mut self, start: usize) -> usize {
        let w = self.scan_word(start);
        let end = w.end;
        let bytes = self.bytes;
        let text = &self.text[start..end];
        // E-mail addresses and URLs: recognised when the plain word scan stops at their marks.
        match bytes.get(end) {
            Some(b'@') => {
                if let Some(e) = self.email_end(start, end) {
                    self.push(start, e, TokenKind::Email, 0);
                    return e;
                }
            }
            Some(b':')
                if bytes.get(end + 1..end + 3) == Some(b"//")
                    && end - start <= 10
                    && text.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                if let Some(e) = self.url_end(start, end + 3) {
                    self.push(start, e, TokenKind::Url, 0);
                    return e;
                }
            }
            _ => {}
        }
        if text.len() > 4 && text.as_bytes()[..4].eq_ignore_ascii_case(b"www.") {
            if let Some(e) = self.url_end(start, start + 4) {
                self.push(start, e, TokenKind::Url, 0);
                return e;
            }
        }
        let kind = if w.has_letter {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        if bytes.get(end) == Some(&b'.') && bytes.get(end + 1) != Some(&b'.') {
            if let Some((kind, flags)) = self.period_belongs_to(start, &w) {
                self.push(start, end + 1, kind, flags);
                return end + 1;
            }
        }
        self.push(start, end, kind, 0);
        end
    }

    fn scan_word(&self, start: usize) -> Word {
        let bytes = self.bytes;
        let len = bytes.len();
        let mut j = start;
        let mut prev = Class::Other;
        let mut has_letter = false;
        let mut has_inner_period = false;
        while j < len {
            let b = bytes[j];
            if b.is_ascii_lowercase() || b.is_ascii_uppercase() {
                has_letter = true;
                prev = Class::Letter;
                j += 1;
                continue;
            }
            let (c, width, class) = if b < 0x80 {
                let class = match ASCII[b as usize] {
                    Ascii::Digit => Class::Digit,
                    Ascii::Letter => Class::Letter,
                    Ascii::Other => Class::Other,
                    _ => Class::Space(0),
                };
                (b as char, 1, class)
            } else {
                match char_at(self.text, j) {
                    Some(c) => (c, c.len_utf8(), classify(c)),
                    None => break,
                }
            };
            match class {
                Class::Letter => {
                    has_letter = true;
                    prev = class;
                    j += width;
                    continue;
                }
                Class::Digit => {
                    prev = class;
                    j += width;
                    continue;
                }
                Class::Space(_) => break,
                Class::Other => {}
            }
            // A connector continues the word only between the right characters.
            let next = char_at(self.text, j + width).map(classify);
            let joins = match c {
                '.' => {
                    let joins = matches!(
                        (prev, next),
                        (Class::Letter, Some(Class::Letter)) | (Class::Digit, Some(Class::Digit))
                    );
                    has_inner_period |= joins;
                    joins
                }
                ',' | ':' => prev == Class::Digit && next == Some(Class::Digit),
                '\'' | '’' | '_' => {
                    prev != Class::Other && matches!(next, Some(Class::Letter | Class::Digit))
                }
                c if is_hyphen(c) => {
                    if prev == Class::Other {
                        false
                    } else if matches!(next, Some(Class::Letter | Class::Digit)) {
                        true
                    } else if matches!(next, Some(Class::Space(_))) && prev == Class::Letter {
                        // A truncated compound: "Ein- und Ausreise".
                        j += width;
                        break;
                    } else {
                        false
                    }
                }
                _ => false,
            };
            if !joins {
                break;
            }
            prev = Class::Other;
            j += width;
        }
        Word {
            end: j,
            has_letter,
            has_inner_period,
        }
    }

    /// The end of an e-mail address whose local part is `start..at`, if the domain is valid.
    fn email_end(&self, start: usize, at: usize) -> Option<usize> {
        let local = &self.bytes[start..at];
        if local.len() > 64 || local.last() == Some(&b'.') {
            return None;
        }
        let mut j = at + 1;
        let mut dots = 0;
        while j < self.bytes.len() {
            let b = self.bytes[j];
            if b.is_ascii_alphanumeric() || b == b'-' {
                j += 1;
            } else if b == b'.'
                && self
                    .bytes
                    .get(j + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric())
            {
                dots += 1;
                j += 1;
            } else {
                break;
            }
        }
        (dots > 0 && j > at + 1).then_some(j)
    }

    /// The end of a URL that starts at `start`, with `rest` the first byte after its scheme
    /// or "www.": up to the next whitespace, without trailing punctuation.
    fn url_end(&self, start: usize, rest: usize) -> Option<usize> {
        let mut j = rest;
        let len = self.bytes.len();
        while j < len {
            let b = self.bytes[j];
            if b < 0x80 {
                if matches!(
                    ASCII[b as usize],
                    Ascii::Space | Ascii::Newline | Ascii::Return
                ) {
                    break;
                }
                j += 1;
            } else {
                match char_at(self.text, j) {
                    Some(c) if !matches!(classify(c), Class::Space(_)) => j += c.len_utf8(),
                    _ => break,
                }
            }
        }
        let url = &self.text[start..j];
        let keep_paren = url.contains('(');
        let trimmed = url.trim_end_matches(|c| is_url_trailer(c) && !(keep_paren && c == ')'));
        (trimmed.len() > rest - start).then_some(start + trimmed.len())
    }

    /// Whether the period right after the word at `start` belongs to it (abbreviation, initial,
    /// ordinal), with the token kind and flags it then gets.
    fn period_belongs_to(&self, start: usize, w: &Word) -> Option<(TokenKind, u8)> {
        let word = &self.text[start..w.end];
        if !w.has_letter {
            return self
                .is_ordinal(w.end + 1, is_small_number(word))
                .then_some((TokenKind::Ordinal, 0));
        }
        let mut chars = word.chars();
        let first = chars.next()?;
        if chars.next().is_none() && first.is_alphabetic() {
            // An initial ("F.", "A.") or one letter of a spaced abbreviation ("z. B.").
            return Some((TokenKind::Abbreviation, 0));
        }
        if self.lex.is_abbreviation(word) {
            return Some((TokenKind::Abbreviation, 0));
        }
        if self.lex.is_abbreviation_may_end(word) {
            return Some((TokenKind::Abbreviation, MAY_END));
        }
        if w.has_inner_period && word.split('.').all(|part| part.chars().count() <= 3) {
            // An unlisted dotted abbreviation ("U.S.A.", "a.m."), not a domain ("spiegel.de").
            return Some((TokenKind::Abbreviation, MAY_END));
        }
        if is_roman_numeral(word) && self.is_ordinal(w.end + 1, true) {
            return Some((TokenKind::Ordinal, 0));
        }
        None
    }

    /// Decides whether a number (or Roman numeral) followed by a period at `after - 1` is an
    /// ordinal, from the words around it.
    fn is_ordinal(&self, after: usize, small: bool) -> bool {
        // The period must be followed by whitespace within the paragraph.
        let mut j = after;
        let mut newlines = 0;
        let mut saw_space = false;
        let next = loop {
            let Some(c) = char_at(self.text, j) else {
                return false;
            };
            match classify(c) {
                Class::Space(n) => {
                    if c == '\r' && self.bytes.get(j + 1) == Some(&b'\n') {
                        // Counted at the '\n'.
                    } else {
                        newlines += n;
                    }
                    saw_space = true;
                    j += c.len_utf8();
                }
                _ => break c,
            }
        };
        if !saw_space || newlines >= 2 {
            return false;
        }
        if next.is_lowercase() {
            return true;
        }
        if !next.is_uppercase() || !small {
            return false;
        }
        // A number that opens the text, a paragraph or a sentence is an enumeration or a date
        // ("1. Punkt", "Bonn, 2. Mai. 3. Oktober wird gefeiert").
        let previous = match self.out.tokens.last() {
            None => return true,
            Some(_) if self.newlines >= 2 || self.follows_sentence_end() => return true,
            Some(&(s, e)) => &self.text[s..e],
        };
        let next_word = self.following_word(j);
        if self.lex.is_month(next_word) {
            return true;
        }
        if self.lex.is_sentence_starter(next_word) {
            return false;
        }
        self.lex.is_ordinal_noun(next_word) || self.lex.is_ordinal_determiner(previous)
    }

    /// The last token ends a sentence mark, possibly followed by closing quotes ("." or ".“").
    fn follows_sentence_end(&self) -> bool {
        for &flags in self.flags.iter().rev().take(3) {
            if flags & TERMINAL != 0 {
                return true;
            }
            if flags & CLOSER == 0 || flags & GAP_SPACE != 0 {
                return false;
            }
        }
        false
    }

    /// The letters and digits from `start`, at most 64 bytes (enough for any lexicon entry).
    fn following_word(&self, start: usize) -> &'a str {
        let mut j = start;
        while j < self.bytes.len() && j - start < 64 {
            match char_at(self.text, j) {
                Some(c) if matches!(classify(c), Class::Letter | Class::Digit) => j += c.len_utf8(),
                _ => break,
            }
        }
        &self.text[start..j]
    }

    /// Pushes the punctuation token at `start` (first character `c`).
    fn punct(&mut self, start: usize, c: char) -> usize {
        let mut end = start + c.len_utf8();
        if is_terminal(c) || is_cjk_terminal(c) {
            let cjk = is_cjk_terminal(c);
            while let Some(n) = char_at(self.text, end) {
                if is_terminal(n) || is_cjk_terminal(n) {
                    end += n.len_utf8();
                } else {
                    break;
                }
            }
            let flags = if cjk {
                TERMINAL | TERMINAL_CJK
            } else {
                TERMINAL
            };
            self.push(start, end, TokenKind::Punct, flags);
            return end;
        }
        if is_hyphen(c) || c == '–' || c == '—' {
            while char_at(self.text, end) == Some(c) {
                end += c.len_utf8();
            }
            self.push(start, end, TokenKind::Punct, 0);
            return end;
        }
        let (kind, flags) = if is_quote(c) {
            (TokenKind::Quote, CLOSER)
        } else if matches!(c, ')' | ']' | '}' | '）' | '］') {
            (TokenKind::Punct, CLOSER)
        } else if matches!(c, '(' | '[' | '{' | '（' | '［') {
            (TokenKind::Punct, OPENER)
        } else if c.is_ascii_punctuation()
            && !matches!(
                c,
                '$' | '%' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~' | '#' | '@' | '&'
            )
            || matches!(c, '\u{2000}'..='\u{206f}' | '¡' | '¿' | '§' | '¶' | '·' | '\u{3000}'..='\u{303f}')
        {
            (TokenKind::Punct, 0)
        } else {
            (TokenKind::Symbol, 0)
        };
        self.push(start, end, kind, flags);
        end
    }
}

/// Up to three digits ("15"), or a day and month ("15.08"): numbers that can be ordinals.
fn is_small_number(number: &str) -> bool {
    let mut parts = 0;
    for part in number.split('.') {
        parts += 1;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    parts == 1 || (parts == 2 && number.len() <= 5)
}

fn is_roman_numeral(word: &str) -> bool {
    word.len() <= 6
        && word
            .bytes()
            .all(|b| matches!(b, b'I' | b'V' | b'X' | b'L' | b'C'))
}

/// Places sentence boundaries over the tokens.
fn sentences(
    text: &str,
    tokens: &[(usize, usize)],
    flags: &[u8],
    lex: &Lexicon,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let n = tokens.len();
    if n == 0 {
        return out;
    }
    let mut start = tokens[0].0;
    let mut i = 0;
    while i < n {
        let mut last = i;
        let mut boundary = false;
        if flags[i] & TERMINAL != 0 && !opens_bracket_before(tokens, flags, i) {
            // Closing quotes and brackets right after the mark belong to the sentence.
            while last + 1 < n && flags[last + 1] & (GAP_SPACE | CLOSER) == CLOSER {
                last += 1;
            }
            boundary = match tokens.get(last + 1) {
                None => true,
                Some(_) if flags[i] & TERMINAL_CJK != 0 => true,
                Some(&(s, _)) => flags[last + 1] & GAP_SPACE != 0 && starts_sentence(text, s),
            };
        } else if flags[i] & MAY_END != 0 {
            boundary = tokens.get(i + 1).is_some_and(|&(s, e)| {
                flags[i + 1] & GAP_SPACE != 0 && lex.is_sentence_starter(&text[s..e])
            });
        }
        if !boundary && last + 1 < n && flags[last + 1] & GAP_PARAGRAPH != 0 {
            boundary = true;
        }
        if boundary || last + 1 == n {
            out.push((start, tokens[last].1));
            if let Some(&(s, _)) = tokens.get(last + 1) {
                start = s;
            }
        }
        i = last + 1;
    }
    out
}

/// The sentence-final mark at `i` stands right after an opening bracket ("[…]", "(!)").
fn opens_bracket_before(tokens: &[(usize, usize)], flags: &[u8], i: usize) -> bool {
    i > 0
        && flags[i - 1] & OPENER != 0
        && flags[i] & GAP_SPACE == 0
        && tokens[i - 1].1 == tokens[i].0
}

/// A token starting at `start` can open a sentence: not a lowercase letter, not a comma.
fn starts_sentence(text: &str, start: usize) -> bool {
    let Some(c) = char_at(text, start) else {
        return false;
    };
    if c.is_lowercase() {
        return false;
    }
    match classify(c) {
        Class::Letter | Class::Digit => true,
        _ => is_quote(c) || matches!(c, '(' | '[' | '¿' | '¡' | '•' | '*'),
    }
}

#[cfg(test)]
mod tests;
