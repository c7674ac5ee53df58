//! The PETRARCH2 CAMEO verb dictionary, compiled (`dossier build events-lexicon` writes
//! `data/en.cameo.tsv.gz` from `petrarch2-dictionaries/CAMEO.2.0.txt` and
//! `plover/CAMEO2PLOVER-2021.txt`), and its use as features of the PLV classifier: a verb form of
//! the dictionary gives its verb block (a class of synonyms: "condemn", "denounce", "decry" are one
//! block), the block's CAMEO code, and the most specific pattern of the block that matches the
//! words around it ("- * AID [070]" for "rushed aid"), each as the PLOVER root its code maps to.
//!
//! Compiled format, one record a line (tab-separated, upper-case words as in the source):
//! `S name words…` (a synonym set; a multi-word member joined by `_`), `B block root cameo`
//! (a verb block: its name, the PLOVER root and 2-digit CAMEO code of its default, `-` for
//! none), `V form block [root cameo]` (a form, with its verb's own code where it has one),
//! `P block root cameo pre post` (a pattern: the words before and after
//! the verb, space-separated, `-` for none; `&NAME` a synonym set).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::sync::OnceLock;

const CAMEO_GZ: &[u8] = include_bytes!("../data/en.cameo.tsv.gz");

/// CAMEO code → PLOVER root, by the longest prefix listed in CAMEO2PLOVER.
fn plover_root<'a>(map: &'a BTreeMap<String, String>, code: &str) -> Option<&'a str> {
    (2..=code.len())
        .rev()
        .find_map(|n| map.get(&code[..n]))
        .map(String::as_str)
}

fn parse_mapping(text: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let Some((code, rest)) = line.split_once(':') else {
            continue;
        };
        let code = code.trim();
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let root = rest.split(',').next().unwrap_or("").trim();
        if !root.is_empty() {
            map.insert(code.to_string(), root.to_string());
        }
    }
    map
}

/// Regular forms of an English verb (upper case).
fn regular_forms(v: &str) -> Vec<String> {
    let mut out = vec![v.to_string()];
    let cons = |c: Option<char>| c.is_some_and(|c| !"AEIOU".contains(c));
    let before_last = v.chars().rev().nth(1);
    if let Some(stem) = v.strip_suffix('Y').filter(|_| cons(before_last)) {
        out.push(format!("{stem}IES"));
        out.push(format!("{stem}IED"));
        out.push(format!("{v}ING"));
    } else if let Some(stem) = v.strip_suffix('E') {
        out.push(format!("{v}S"));
        out.push(format!("{v}D"));
        out.push(format!("{stem}ING"));
    } else {
        let es = ["S", "SH", "CH", "X", "Z"].iter().any(|s| v.ends_with(s));
        out.push(if es {
            format!("{v}ES")
        } else {
            format!("{v}S")
        });
        out.push(format!("{v}ED"));
        out.push(format!("{v}ING"));
    }
    out
}

/// The words of a pattern side: parentheses and braces dropped, `_` kept inside synonym names.
fn pattern_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c| matches!(c, '(' | ')' | '{' | '}')))
        .filter(|w| !w.is_empty() && !matches!(*w, "$" | "+" | "%" | "^" | "|"))
        .map(|w| w.trim_end_matches('_').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Compiles the verb dictionary and the mapping into the format above (deterministic).
pub fn compile(dictionary: &str, mapping: &str) -> String {
    let map = parse_mapping(mapping);
    let mut out = String::new();
    let mut section_verbs = false;
    let mut syn_name: Option<String> = None;
    let mut syn_words: Vec<String> = Vec::new();
    let mut block: Option<String> = None;
    let flush_syn = |out: &mut String, name: &mut Option<String>, words: &mut Vec<String>| {
        if let Some(n) = name.take() {
            if !words.is_empty() {
                out.push_str(&format!("S\t{n}\t{}\n", words.join(" ")));
            }
        }
        words.clear();
    };
    let root_and_code = |code: &str| -> (String, String) {
        let code: String = code.split(':').next().unwrap_or("").to_string();
        if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return ("-".into(), "-".into());
        }
        (
            plover_root(&map, &code).unwrap_or("-").to_string(),
            code[..2].to_string(),
        )
    };
    for raw in dictionary.lines() {
        if raw.contains("VERB PATTERNS") {
            flush_syn(&mut out, &mut syn_name, &mut syn_words);
            section_verbs = true;
            continue;
        }
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if !section_verbs {
            if let Some(name) = line.strip_prefix('&') {
                flush_syn(&mut out, &mut syn_name, &mut syn_words);
                syn_name = Some(name.trim_end_matches('_').to_string());
            } else if let Some(w) = line.strip_prefix('+') {
                let w = w.trim().trim_end_matches('_');
                if !w.is_empty() {
                    syn_words.push(w.replace(' ', "_"));
                }
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("---") {
            // ---  NAME   [code]  ---
            let rest = rest.trim_end_matches('-').trim();
            let (name, code) = match rest.split_once('[') {
                Some((n, c)) => (n.trim(), c.split(']').next().unwrap_or("")),
                None => (rest, ""),
            };
            let name = name.replace(' ', "_");
            let (root, cam) = root_and_code(code);
            out.push_str(&format!("B\t{name}\t{root}\t{cam}\n"));
            block = Some(name);
            continue;
        }
        let Some(b) = block.as_deref() else {
            continue;
        };
        if let Some(p) = line.strip_prefix('-') {
            let (body, code) = match p.split_once('[') {
                Some((body, c)) => (body, c.split(']').next().unwrap_or("")),
                None => continue,
            };
            let (root, cam) = root_and_code(code);
            if root == "-" && cam == "-" {
                continue;
            }
            let (pre, post) = match body.split_once('*') {
                Some((a, z)) => (pattern_words(a), pattern_words(z)),
                None => (Vec::new(), pattern_words(body)),
            };
            if pre.is_empty() && post.is_empty() {
                continue;
            }
            let side = |v: &[String]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    v.join(" ")
                }
            };
            out.push_str(&format!(
                "P\t{b}\t{root}\t{cam}\t{}\t{}\n",
                side(&pre),
                side(&post)
            ));
            continue;
        }
        // A verb line: WORD or WORD {FORMS …}, maybe with its own code: ASK [020].
        let (line, own) = match line.split_once('[') {
            Some((l, c)) => (l.trim(), Some(c.split(']').next().unwrap_or(""))),
            None => (line, None),
        };
        let own = own.map(root_and_code).filter(|(r, c)| r != "-" || c != "-");
        let (word, irregular) = match line.split_once('{') {
            Some((w, f)) => (w.trim(), Some(f.split('}').next().unwrap_or(""))),
            None => (line, None),
        };
        if word.is_empty() || word.contains(' ') || !word.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut forms = match irregular {
            Some(f) => {
                let mut v = vec![word.to_string()];
                v.extend(f.split_whitespace().map(str::to_string));
                v
            }
            None => regular_forms(word),
        };
        forms.sort();
        forms.dedup();
        for f in forms {
            match &own {
                Some((root, cam)) => out.push_str(&format!("V\t{f}\t{b}\t{root}\t{cam}\n")),
                None => out.push_str(&format!("V\t{f}\t{b}\n")),
            }
        }
    }
    out
}

struct Pattern {
    root: String,
    cameo: String,
    pre: Vec<String>,
    post: Vec<String>,
}

struct Block {
    name: String,
    root: String,
    cameo: String,
    patterns: Vec<Pattern>,
}

/// The compiled dictionary, lower-cased.
pub struct Dict {
    /// Form → its block and, where the verb has its own code, that code's root and CAMEO code.
    forms: HashMap<String, (usize, Option<(String, String)>)>,
    blocks: Vec<Block>,
    syn: HashMap<String, Vec<String>>,
}

impl Dict {
    /// The embedded dictionary.
    pub fn get() -> Option<&'static Dict> {
        static D: OnceLock<Option<Dict>> = OnceLock::new();
        D.get_or_init(|| {
            let mut s = String::new();
            flate2::read::GzDecoder::new(CAMEO_GZ)
                .read_to_string(&mut s)
                .ok()?;
            Some(Dict::parse(&s))
        })
        .as_ref()
    }

    pub fn parse(text: &str) -> Dict {
        let mut d = Dict {
            forms: HashMap::new(),
            blocks: Vec::new(),
            syn: HashMap::new(),
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        let words = |s: &str| -> Vec<String> {
            if s == "-" {
                Vec::new()
            } else {
                s.split(' ').map(str::to_lowercase).collect()
            }
        };
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["S", name, list] => {
                    d.syn.insert(
                        name.to_lowercase(),
                        list.split(' ').map(|w| w.to_lowercase()).collect(),
                    );
                }
                ["B", name, root, cameo] => {
                    index.insert(name.to_string(), d.blocks.len());
                    d.blocks.push(Block {
                        name: name.to_lowercase(),
                        root: root.to_string(),
                        cameo: cameo.to_string(),
                        patterns: Vec::new(),
                    });
                }
                ["V", form, block] => {
                    if let Some(&b) = index.get(*block) {
                        d.forms.entry(form.to_lowercase()).or_insert((b, None));
                    }
                }
                ["V", form, block, root, cameo] => {
                    if let Some(&b) = index.get(*block) {
                        d.forms
                            .entry(form.to_lowercase())
                            .or_insert((b, Some((root.to_string(), cameo.to_string()))));
                    }
                }
                ["P", block, root, cameo, pre, post] => {
                    if let Some(&b) = index.get(*block) {
                        d.blocks[b].patterns.push(Pattern {
                            root: root.to_string(),
                            cameo: cameo.to_string(),
                            pre: words(pre),
                            post: words(post),
                        });
                    }
                }
                _ => {}
            }
        }
        d
    }

    /// Whether pattern word `p` (lower case; `&name` a synonym set) matches word `w`.
    fn word_matches(&self, p: &str, w: &str) -> bool {
        if let Some(name) = p.strip_prefix('&') {
            return self.syn.get(name).is_some_and(|list| {
                list.iter()
                    .any(|m| !m.contains('_') && (m == w || plural_of(m, w)))
            });
        }
        p == w || plural_of(p, w)
    }

    /// The dictionary's view of the verb at `words[v]`, if it is one: (block name, block root,
    /// block CAMEO code, best pattern's root and code). Patterns match in order within 8 words
    /// after (4 before) the verb; the one with most words wins, the first on ties.
    pub fn verb_at(&self, words: &[String], v: usize) -> Option<VerbHit<'_>> {
        let (b, own) = self.forms.get(words.get(v)?.as_str())?;
        let block = &self.blocks[*b];
        let mut best: Option<(usize, &Pattern)> = None;
        for p in &block.patterns {
            let mut at = v + 1;
            let mut ok = true;
            for w in &p.post {
                let end = (v + 9).min(words.len());
                match (at..end).find(|&j| self.word_matches(w, &words[j])) {
                    Some(j) => at = j + 1,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && !p.pre.is_empty() {
                let lo = v.saturating_sub(4);
                let mut at = v;
                for w in p.pre.iter().rev() {
                    match (lo..at).rev().find(|&j| self.word_matches(w, &words[j])) {
                        Some(j) => at = j,
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
            }
            let n = p.pre.len() + p.post.len();
            if ok && best.is_none_or(|(m, _)| n > m) {
                best = Some((n, p));
            }
        }
        let (root, cameo) = match own {
            Some((r, c)) => (r.as_str(), c.as_str()),
            None => (block.root.as_str(), block.cameo.as_str()),
        };
        Some(VerbHit {
            block: &block.name,
            root,
            cameo,
            pattern: best.map(|(_, p)| (p.root.as_str(), p.cameo.as_str())),
        })
    }
}

/// What the dictionary says of one verb.
pub struct VerbHit<'a> {
    pub block: &'a str,
    pub root: &'a str,
    pub cameo: &'a str,
    pub pattern: Option<(&'a str, &'a str)>,
}

fn plural_of(base: &str, w: &str) -> bool {
    w.len() == base.len() + 1 && w.starts_with(base) && w.ends_with('s')
        || w.len() == base.len() + 2 && w.starts_with(base) && w.ends_with("es")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_and_matches_a_pattern() {
        let dict = "&FOOD\n+BREAD\n+RICE\n\n####### VERB PATTERNS #######\n\
                    ---  RUSH   [---]  ---\nRUSH\nHURRY {HURRIES HURRIED}\n\
                    - * AID  [070]  # x\n- * &FOOD  [073]\n- * POLICE (TO BORDER) [153]\n";
        let map = "07: AID\n070: AID, , x\n15: MOBILIZE\n";
        let c = compile(dict, map);
        assert!(c.contains("V\tRUSHED\tRUSH\n"), "{c}");
        assert!(c.contains("V\tHURRIED\tRUSH\n"), "{c}");
        let d = Dict::parse(&c);
        let w: Vec<String> = "they rushed rice to the town"
            .split(' ')
            .map(String::from)
            .collect();
        let hit = d.verb_at(&w, 1).expect("a verb");
        assert_eq!(hit.block, "rush");
        assert_eq!(hit.pattern, Some(("AID", "07")));
        let w: Vec<String> = "rush police to the border"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(d.verb_at(&w, 0).unwrap().pattern, Some(("MOBILIZE", "15")));
        assert!(d.verb_at(&w, 1).is_none());
    }
}
