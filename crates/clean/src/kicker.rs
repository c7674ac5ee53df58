//! Part of step 2: where a kicker glued to its headline ends, when nothing marks the split
//! ("Ukraine-News am Mittwoch Russland bringt offenbar Flugzeuge …").
//!
//! A learned decision, not a list: the options are "no kicker" and a split after each of the
//! line's first [`MAX_KICKER_WORDS`] words; each option's features are general evidence about the
//! two parts — the prefix has no verb-like lower-case word and ends without punctuation, two
//! capitalised words meet at the split (German capitalises nouns, but two nouns seldom stand side
//! by side inside a sentence), the remainder opens like a sentence of its own (capital, then a
//! lower-case word in the verb slot), the prefix's words recur on the page (a topic or section
//! label), the remainder's words are the article's. An averaged perceptron ranks the options;
//! it is trained on the labelled headline lines (the `split` parts of `dev.jsonl`) with the line
//! model (`dossier train clean`). The colon rules and the phrase table's section words
//! (`assemble::split_glued_kicker`) are tried first.

use crate::features::{hash, Page};
use crate::stack::{content_words, overlap_bucket};
use std::collections::HashSet;

/// A glued kicker is at most this many words long.
pub(crate) const MAX_KICKER_WORDS: usize = 6;
/// The headline left after the kicker has at least this many words.
const MIN_HEADLINE_WORDS: usize = 4;

/// Short lower-case words that carry no verb (articles, prepositions, conjunctions); a prefix
/// holding another lower-case word likely holds a verb or an adjective of a sentence.
const FUNCTION_WORDS: &[&str] = &[
    "am", "an", "auf", "aus", "bei", "das", "dem", "den", "der", "des", "die", "ein", "eine",
    "einem", "einen", "einer", "für", "gegen", "im", "in", "ins", "mit", "nach", "um", "und",
    "vom", "von", "vor", "zu", "zum", "zur", "über", "a", "an", "and", "at", "by", "for", "from",
    "in", "of", "on", "the", "to", "with", "vs", "v",
];

/// The options for line `i` of the page: byte offsets of the split in the line's text (0: no
/// kicker), and the features of each.
pub(crate) fn options(page: &Page, i: usize) -> (Vec<usize>, Vec<Vec<u32>>) {
    let Some(line) = page.lines.get(i) else {
        return (Vec::new(), Vec::new());
    };
    let text = line.text.as_str();
    // Word spans (the line is whitespace-normalised: one space between words).
    let mut spans: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for w in text.split(' ') {
        if !w.is_empty() {
            spans.push((at, w));
        }
        at += w.len() + 1;
    }
    let n = spans.len();
    let letters: Vec<&str> = spans
        .iter()
        .map(|s| s.1)
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let caps = letters.iter().filter(|w| starts_upper(w)).count();
    let caps_share = match (caps * 10).checked_div(letters.len()).unwrap_or(0) {
        0..=3 => "low",
        4..=6 => "mid",
        _ => "high",
    };
    let others: HashSet<String> = page
        .lines
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .flat_map(|(_, l)| content_words(&l.text))
        .collect();
    let below: HashSet<String> = page.lines[i + 1..]
        .iter()
        .filter(|l| crate::features::is_prose(l))
        .take(30)
        .flat_map(|l| content_words(&l.text))
        .collect();
    let lang = page_language(page);
    let mut offsets = vec![0];
    let mut feats: Vec<Vec<String>> = vec![vec![
        "none".into(),
        format!("none.words={}", n.min(20) / 4),
        format!("none.caps={caps_share}"),
        format!("none.colon={}", text.contains(':')),
    ]];
    for k in 1..=MAX_KICKER_WORDS.min(n.saturating_sub(MIN_HEADLINE_WORDS)) {
        let (cut, first_rest) = spans[k];
        let prefix = &spans[..k];
        let rest = &spans[k..];
        let last = prefix[k - 1].1;
        let mut f: Vec<String> = Vec::with_capacity(24);
        f.push(format!("k={k}"));
        let p_end = match last.chars().next_back().unwrap_or(' ') {
            ':' => "colon",
            '.' | '!' | '?' => "stop",
            ',' | ';' | '–' | '-' | '|' => "mark",
            '"' | '“' | '”' | '«' | '»' => "quote",
            c if c.is_alphanumeric() => "alnum",
            _ => "other",
        };
        f.push(format!("p.end={p_end}"));
        f.push(format!("p.end×caps={p_end}×{caps_share}"));
        let boundary = format!(
            "{}{}",
            if starts_upper(last) { "U" } else { "l" },
            if starts_upper(first_rest) {
                "U"
            } else if first_rest.starts_with(char::is_lowercase) {
                "l"
            } else {
                "o"
            }
        );
        f.push(format!("b={boundary}"));
        f.push(format!("b×caps={boundary}×{caps_share}"));
        f.push(format!("b×p.end={boundary}×{p_end}"));
        let verbish = prefix
            .iter()
            .filter(|(_, w)| {
                w.starts_with(char::is_lowercase)
                    && !FUNCTION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
            })
            .count();
        f.push(format!("p.lower={}", verbish.min(2)));
        f.push(format!("p.lower×k={}×{k}", verbish.min(2)));
        // German verb second: "Russland bringt …", "iPhone neuestes Update schließt …".
        let second_lower = rest.get(1).is_some_and(|(_, w)| {
            w.starts_with(char::is_lowercase)
                && !FUNCTION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        });
        f.push(format!("r.second-lower={second_lower}×{boundary}"));
        f.push(format!(
            "c={boundary}×{second_lower}×{}×{caps_share}",
            verbish.min(2)
        ));
        f.push(format!("c2={boundary}×{second_lower}×{p_end}"));
        let r_text = &text[cut..];
        f.push(format!("r.colon={}", r_text.contains(':')));
        f.push(format!(
            "r.quote-start={}",
            r_text.starts_with(['"', '„', '“', '«', '»'])
        ));
        f.push(format!(
            "p.hyphen={}",
            prefix.iter().any(|(_, w)| w.contains('-'))
        ));
        // The prefix's words elsewhere on the page; the remainder's in the article below.
        let p_text = &text[..cut];
        let pw = content_words(p_text);
        let p_hits = pw.iter().filter(|w| others.contains(*w)).count();
        f.push(format!("p.elsewhere={}", overlap_bucket(p_hits, pw.len())));
        let rw = content_words(r_text);
        let r_hits = rw.iter().filter(|w| below.contains(*w)).count();
        f.push(format!("r.below={}", overlap_bucket(r_hits, rw.len())));
        let p_below = pw.iter().filter(|w| below.contains(*w)).count();
        f.push(format!("p.below={}", overlap_bucket(p_below, pw.len())));
        // A prefix word the remainder repeats ("Sicherheitslücken bei Apple iPhone … schließt
        // Sicherheitslücken"): the prefix names the topic the title then speaks of.
        let rset: HashSet<&String> = rw.iter().collect();
        f.push(format!("p.in-r={}", pw.iter().any(|w| rset.contains(w))));
        f.push(format!(
            "p.last={}",
            last.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        ));
        for (_, w) in prefix {
            f.push(format!(
                "p.w={}",
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            ));
        }
        // Every feature also with the page's language (German capitalises nouns, English
        // titles capitalise every word: the same shape means different things).
        let with_lang: Vec<String> = f.iter().map(|x| format!("{lang}×{x}")).collect();
        f.extend(with_lang);
        offsets.push(cut);
        feats.push(f);
    }
    let hashed = feats
        .iter()
        .map(|f| f.iter().map(|s| hash(&format!("K:{s}"))).collect())
        .collect();
    (offsets, hashed)
}

/// "de", "en" or "?": which of the two languages' commonest short words the page uses more.
fn page_language(page: &Page) -> &'static str {
    const DE: &[&str] = &[
        "der", "die", "das", "und", "ist", "nicht", "mit", "sich", "auf", "ein",
    ];
    const EN: &[&str] = &[
        "the", "and", "of", "to", "is", "was", "for", "that", "with", "on",
    ];
    let (mut de, mut en) = (0usize, 0usize);
    for l in page.lines.iter().take(200) {
        for w in l.text.split_whitespace() {
            let w = w.to_lowercase();
            de += usize::from(DE.contains(&w.as_str()));
            en += usize::from(EN.contains(&w.as_str()));
        }
    }
    match de.cmp(&en) {
        std::cmp::Ordering::Greater => "de",
        std::cmp::Ordering::Less => "en",
        std::cmp::Ordering::Equal => "?",
    }
}

fn starts_upper(w: &str) -> bool {
    w.trim_start_matches(['"', '„', '“', '«', '»', '(', '\''])
        .starts_with(char::is_uppercase)
}

/// The option of the gold split: the kicker part's word count (0: none) as an option index, when
/// it falls on a word boundary among the options.
pub(crate) fn gold_option(
    offsets: &[usize],
    line: &str,
    kicker_part: Option<&str>,
) -> Option<usize> {
    let Some(k) = kicker_part else {
        return Some(0);
    };
    let k = crate::features::normalise_whitespace(k);
    let cut = k.len() + usize::from(line.as_bytes().get(k.len()) == Some(&b' '));
    if !line.starts_with(k.as_str()) {
        return None;
    }
    offsets.iter().position(|&o| o == cut)
}

/// Trains the split ranker: an averaged perceptron choosing one option per headline line.
/// Returns (feature, weight) sorted by feature.
pub(crate) fn train(
    examples: &[(Vec<Vec<u32>>, usize)],
    epochs: usize,
    seed: u64,
) -> Vec<(u32, f32)> {
    let refs: Vec<&(Vec<Vec<u32>>, usize)> = examples.iter().collect();
    crate::model::train_choice(&refs, epochs, seed.max(1) ^ 0x5f3e_a1c7)
}

/// The learned split of line `i` (the page's headline line): the byte offset where the
/// headline starts after a glued kicker, or `None` for no split.
pub(crate) fn choose(page: &Page, i: usize, model: &crate::model::Model) -> Option<usize> {
    let (offsets, feats) = options(page, i);
    if offsets.len() < 2 {
        return None;
    }
    let scores = model.kicker_scores(&feats);
    if std::env::var("KDEBUG").is_ok() {
        eprintln!("kicker {:?} {scores:?}", page.lines[i].text);
    }
    let best = (0..scores.len())
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    (best > 0 && scores[best] > scores[0]).then(|| offsets[best])
}

/// The training example of one labelled page: the options of its headline line and the gold
/// one (`None` when the page has no headline line or the gold split is not among the options).
pub(crate) fn example(
    text: &str,
    headline_raw: usize,
    kicker_part: Option<&str>,
) -> Option<(Vec<Vec<u32>>, usize)> {
    let page = crate::features::read_page(text);
    let i = page
        .lines
        .iter()
        .position(|l| l.raw == headline_raw && !l.date_prefix)?;
    let (offsets, feats) = options(&page, i);
    let gold = gold_option(&offsets, &page.lines[i].text, kicker_part)?;
    Some((feats, gold))
}
