//! Feature extraction: every token becomes a list of hashed feature ids (indices into the
//! model's weight rows). Templates: the word, its lowercase form and shape, prefixes and
//! suffixes, capitalisation and sentence position, neighbouring words ±2 and their shapes,
//! word bigrams, Brown-cluster path prefixes (4, 6, 10, full) of the word and its neighbours,
//! word-frequency bins, gazetteer flags of the word, its neighbours and its hyphen parts, and
//! the k-means cluster ids of our own word vectors (three granularities; neighbours, bigrams).

use crate::lexicon::{LexInfo, Lexicon, EMB_LEVELS};

/// 64-bit FNV-1a.
#[inline]
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let x = (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^ (x >> 32)
}

/// Per-token facts computed once and shared by the templates of neighbouring tokens.
struct Tok {
    word: u64,
    lower: u64,
    shape: u64,
    suffix3: u64,
    lex: LexInfo,
    freq: u8,
    cap: bool,
}

fn shape(word: &str) -> String {
    let mut s = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars().take(24) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if k == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = k;
        s.push(k);
    }
    s
}

fn suffix(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ => s,
    }
}

fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

const BOS: u64 = 0x5eed_0001;
const EOS: u64 = 0x5eed_0002;

/// Hashed features of a sentence: `feats[offsets[i]..offsets[i + 1]]` belong to token `i`.
#[derive(Debug, Clone, Default)]
pub struct SentenceFeatures {
    pub feats: Vec<u32>,
    pub offsets: Vec<usize>,
}

impl SentenceFeatures {
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn token(&self, i: usize) -> &[u32] {
        &self.feats[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Extracts the hashed features of `tokens`, ids masked to `mask` (table size − 1).
pub fn extract(lex: &Lexicon, tokens: &[&str], mask: u32) -> SentenceFeatures {
    let toks: Vec<Tok> = tokens
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut lex_word = lex.get(w);
            // An all-caps word ("KARACHI") reads what the lexicon knows of its title case.
            if lex_word == LexInfo::default()
                && w.len() >= 3
                && w.chars().all(|c| c.is_uppercase() || c == '-')
            {
                lex_word = lex.get(&crate::title_case(w));
            }
            let lex_lower = if lower == *w {
                lex_word
            } else {
                lex.get(&lower)
            };
            let mut info = lex_word;
            if info.cluster == 0 {
                info.cluster = lex_lower.cluster;
            }
            if info.emb[0] == 0 && info.emb[EMB_LEVELS - 1] == 0 {
                info.emb = lex_lower.emb;
            }
            Tok {
                word: fnv64(w.as_bytes()),
                lower: fnv64(lower.as_bytes()),
                shape: fnv64(shape(w).as_bytes()),
                suffix3: fnv64(suffix(&lower, 3).as_bytes()),
                lex: info,
                freq: lex_lower.freq.max(lex_word.freq),
                cap: w.chars().next().is_some_and(char::is_uppercase),
            }
        })
        .collect();
    let mut out = SentenceFeatures {
        feats: Vec::with_capacity(tokens.len() * 64),
        offsets: Vec::with_capacity(tokens.len() + 1),
    };
    out.offsets.push(0);
    let n = tokens.len();
    // Inside quotation marks: titles of works (OTH) and newspapers (ORG) are often quoted.
    let mut in_quote = vec![false; n];
    let mut open = false;
    for (i, w) in tokens.iter().enumerate() {
        match *w {
            "„" | "«" | "‚" | "»" => open = true,
            "“" | "”" | "‘" if open => open = false,
            "“" | "‘" => open = true,
            "\"" | "''" | "``" => open = !open,
            _ => in_quote[i] = open,
        }
    }
    for i in 0..n {
        let mut push = |template: u64, value: u64| {
            let h = mix(template.wrapping_mul(0xff51_afd7_ed55_8ccd), value);
            out.feats.push((h as u32) & mask);
        };
        let w = tokens[i];
        let t = &toks[i];
        let lower_of = |j: isize| -> u64 {
            if j < 0 {
                BOS
            } else if j as usize >= n {
                EOS
            } else {
                toks[j as usize].lower
            }
        };
        let ii = i as isize;
        push(1, 0);
        push(2, t.word);
        push(3, t.lower);
        push(4, t.shape);
        let lower = w.to_lowercase();
        for k in 1..=4 {
            push(10 + k as u64, fnv64(prefix(w, k).as_bytes()));
        }
        for k in 1..=5 {
            push(20 + k as u64, fnv64(suffix(&lower, k).as_bytes()));
        }
        let all_caps = w.chars().any(char::is_uppercase) && !w.chars().any(char::is_lowercase);
        let has_digit = w.chars().any(char::is_numeric);
        let hyphen = w.contains('-');
        let len_bin = w.chars().count().min(12) as u64;
        push(
            30,
            (t.cap as u64) | ((i == 0) as u64) << 1 | (all_caps as u64) << 2,
        );
        push(31, (has_digit as u64) | (hyphen as u64) << 1);
        push(32, len_bin);
        push(33, (in_quote[i] as u64) << 1 | t.cap as u64);
        push(40, lower_of(ii - 1));
        push(41, lower_of(ii + 1));
        push(42, lower_of(ii - 2));
        push(43, lower_of(ii + 2));
        push(44, mix(lower_of(ii - 1), t.lower));
        push(45, mix(t.lower, lower_of(ii + 1)));
        push(46, mix(lower_of(ii - 1), lower_of(ii + 1)));
        let shape_of = |j: isize| -> u64 {
            if j < 0 {
                BOS
            } else if j as usize >= n {
                EOS
            } else {
                toks[j as usize].shape
            }
        };
        push(47, shape_of(ii - 1));
        push(48, shape_of(ii + 1));
        push(49, mix(shape_of(ii - 1), mix(t.shape, shape_of(ii + 1))));
        if i > 0 {
            push(50, toks[i - 1].suffix3);
        }
        // Brown clusters.
        let c = t.lex.cluster;
        if c != 0 {
            let bits = 32 - c.leading_zeros();
            for k in [4u32, 6, 10] {
                if bits >= k {
                    push(60 + k as u64, (c >> (bits - k)) as u64);
                }
            }
            push(71, c as u64);
            push(72, (c as u64) << 1 | t.cap as u64);
        } else {
            push(73, t.cap as u64);
        }
        let cluster6 = |j: isize| -> u64 {
            if j < 0 || j as usize >= n {
                return 1;
            }
            let c = toks[j as usize].lex.cluster;
            let bits = 32 - c.leading_zeros();
            if bits >= 6 {
                (c >> (bits - 6)) as u64
            } else {
                c as u64
            }
        };
        push(78, mix(cluster6(ii - 1), cluster6(ii)));
        push(79, mix(cluster6(ii), cluster6(ii + 1)));
        for (tpl, j) in [(74u64, ii - 1), (76, ii + 1), (84, ii - 2), (86, ii + 2)] {
            if j >= 0 && (j as usize) < n {
                let c = toks[j as usize].lex.cluster;
                if c != 0 {
                    let bits = 32 - c.leading_zeros();
                    if bits >= 6 {
                        push(tpl, (c >> (bits - 6)) as u64);
                    }
                    push(tpl + 1, c as u64);
                }
            }
        }
        // Clusters of our own word vectors (coarse to fine), the neighbours' middle level and
        // the coarse bigrams.
        for (l, &e) in t.lex.emb.iter().enumerate() {
            if e != 0 {
                push(120 + l as u64, e as u64);
            }
        }
        let emb_of = |j: isize, l: usize| -> u64 {
            if j < 0 || j as usize >= n {
                return 0xffff;
            }
            toks[j as usize].lex.emb[l] as u64
        };
        if t.lex.emb[EMB_LEVELS - 1] != 0 {
            push(125, (t.lex.emb[EMB_LEVELS - 1] as u64) << 1 | t.cap as u64);
        }
        let mid = EMB_LEVELS / 2;
        push(126, emb_of(ii - 1, mid));
        push(127, emb_of(ii + 1, mid));
        push(128, mix(emb_of(ii - 1, 0), emb_of(ii, 0)));
        push(129, mix(emb_of(ii, 0), emb_of(ii + 1, 0)));
        // Frequencies.
        push(80, t.freq as u64);
        push(
            81,
            (t.freq as u64) << 2 | (t.cap as u64) << 1 | (i == 0) as u64,
        );
        push(88, mix(fnv64(suffix(&lower, 3).as_bytes()), t.cap as u64));
        if i > 0 {
            push(82, toks[i - 1].freq as u64);
        }
        if i + 1 < n {
            push(83, toks[i + 1].freq as u64);
        }
        // Gazetteers.
        let g = t.lex.gaz;
        for b in 0..16u64 {
            if g & (1 << b) != 0 {
                push(90, b);
                push(91, b << 1 | t.cap as u64);
            }
        }
        if g != 0 {
            push(92, g as u64);
        }
        for (tpl, j) in [(93u64, ii - 1), (94, ii + 1)] {
            if j >= 0 && (j as usize) < n {
                let g = toks[j as usize].lex.gaz;
                for b in 0..16u64 {
                    if g & (1 << b) != 0 {
                        push(tpl, b);
                    }
                }
            }
        }
        // Hyphen compounds: "Ukraine-Krieg", "US-amerikanische", "UN-Sicherheitsrat".
        if hyphen {
            let mut parts = w.split('-').filter(|p| !p.is_empty());
            if let Some(first) = parts.next() {
                push(100, fnv64(first.as_bytes()));
                let info = lex.get(first);
                push(101, info.gaz as u64);
                push(102, fnv64(shape(first).as_bytes()));
            }
            if let Some(last) = w.rsplit('-').next() {
                let last_lower = last.to_lowercase();
                push(103, fnv64(last_lower.as_bytes()));
                push(104, fnv64(suffix(&last_lower, 3).as_bytes()));
                push(105, lex.get(last).gaz as u64);
            }
        }
        out.offsets.push(out.feats.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(shape("Müller"), "Xxx");
        assert_eq!(shape("UN-Rat"), "XX-Xxx");
        assert_eq!(shape("2019"), "dd");
        assert_eq!(suffix("straße", 3), "aße");
        assert_eq!(prefix("Ärger", 2), "Är");
        assert_eq!(suffix("ab", 5), "ab");
    }

    #[test]
    fn features_are_deterministic_and_masked() {
        let lex = Lexicon::default();
        let a = extract(&lex, &["Die", "Stadt", "Köln"], 0xff);
        let b = extract(&lex, &["Die", "Stadt", "Köln"], 0xff);
        assert_eq!(a.feats, b.feats);
        assert_eq!(a.len(), 3);
        assert!(a.feats.iter().all(|&f| f <= 0xff));
        assert!(extract(&lex, &[], 0xff).is_empty());
    }
}
