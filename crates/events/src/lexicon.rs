//! The event knowledge of the stage, per language: triggers with their flags and forms, role words,
//! compound prefixes, ISO codes. Parsed once from the embedded data files.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

pub const DE_TRIGGERS: &str = include_str!("../data/de.triggers.tsv");
/// Noun triggers derived from the verb triggers (compiled by `dossier build events-lexicon`).
pub const DE_DERIVED: &str = include_str!("../data/de.derived.tsv");
pub const EN_TRIGGERS: &str = include_str!("../data/en.triggers.tsv");
const DE_ROLES: &str = include_str!("../data/de.roles.tsv");
const EN_ROLES: &str = include_str!("../data/en.roles.tsv");
const PREFIXES: &str = include_str!("../data/prefixes.tsv");
/// ISO 3166-1 alpha-2 → alpha-3 (compiled by `dossier build events-lexicon`).
const COUNTRIES: &str = include_str!("../data/countries.tsv");
/// Every form of the German trigger lemmas (compiled by `dossier build events-lexicon`).
const DE_FORMS_GZ: &[u8] = include_bytes!("../data/de.forms.tsv.gz");

/// The part of speech a trigger is matched as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    Verb,
    Noun,
    Word,
}

/// One trigger of the lexicon.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub kind: String,
    pub subtype: Option<String>,
    pub pos: Pos,
    /// The lemma as written joined ("ablehnen"), case-folded.
    pub lemma: String,
    /// The separable particle and the base verb ("ab", "lehnen").
    pub particle: Option<String>,
    pub base: String,
    pub with: Vec<String>,
    pub mit: bool,
    pub dest: bool,
    pub symm: bool,
    /// An intransitive verb ("demonstrieren", "zurücktreten"): no direct object is its target,
    /// only a governed preposition ("gegen X").
    pub intr: bool,
    pub refl: bool,
    pub content: bool,
    pub weak: bool,
    pub cap: bool,
    /// English irregular forms.
    pub forms: Vec<String>,
}

/// Parses a trigger file; bad lines are skipped (the data tests check there are none).
pub fn parse_triggers(text: &str) -> (Vec<Trigger>, Vec<String>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 || !crate::ROOTS.contains(&cols[0]) {
            bad.push(line.to_string());
            continue;
        }
        let pos = match cols[2] {
            "v" => Pos::Verb,
            "n" => Pos::Noun,
            "a" => Pos::Word,
            _ => {
                bad.push(line.to_string());
                continue;
            }
        };
        let written = cols[3].to_lowercase();
        let (particle, base) = match written.split_once('|') {
            Some((p, b)) => (Some(p.to_string()), b.to_string()),
            None => (None, written.clone()),
        };
        let mut t = Trigger {
            kind: cols[0].to_string(),
            subtype: (cols[1] != "-").then(|| cols[1].to_string()),
            pos,
            lemma: written.replace('|', ""),
            particle,
            base,
            with: Vec::new(),
            mit: false,
            dest: false,
            symm: false,
            intr: false,
            refl: false,
            content: false,
            weak: false,
            cap: false,
            forms: Vec::new(),
        };
        for flag in cols
            .get(4)
            .unwrap_or(&"")
            .split(',')
            .filter(|f| !f.is_empty())
        {
            match flag {
                "mit" => t.mit = true,
                "dest" => t.dest = true,
                "symm" => t.symm = true,
                "intr" => t.intr = true,
                "refl" => t.refl = true,
                "content" => t.content = true,
                "weak" => t.weak = true,
                "cap" => t.cap = true,
                "pass" => {}
                f if f.starts_with("with=") => t.with.push(f[5..].to_lowercase()),
                f if f.starts_with("forms=") => {
                    t.forms = f[6..].split('|').map(str::to_lowercase).collect()
                }
                _ => bad.push(format!("{line} (flag {flag})")),
            }
        }
        out.push(t);
    }
    (out, bad)
}

/// The knowledge of one language.
pub struct Lexicon {
    pub lang: &'static str,
    pub triggers: Vec<Trigger>,
    /// Case-folded form → lemmas.
    forms: HashMap<String, Vec<String>>,
    /// Lemma (joined or base) → trigger indices.
    by_lemma: HashMap<String, Vec<usize>>,
    /// Noun lemmas and their forms, for compound heads: case-folded form → lemma.
    noun_forms: HashMap<String, String>,
    pub roles: Vec<(String, String, bool)>,
}

impl Lexicon {
    pub fn for_language(lang: &str) -> Option<&'static Lexicon> {
        static DE: OnceLock<Lexicon> = OnceLock::new();
        static EN: OnceLock<Lexicon> = OnceLock::new();
        match lang {
            "de" => Some(DE.get_or_init(|| {
                let all = format!("{DE_TRIGGERS}\n{DE_DERIVED}");
                Lexicon::build("de", &all, DE_ROLES)
            })),
            "en" => Some(EN.get_or_init(|| Lexicon::build("en", EN_TRIGGERS, EN_ROLES))),
            _ => None,
        }
    }

    fn build(lang: &'static str, triggers: &str, roles: &str) -> Lexicon {
        let (triggers, _) = parse_triggers(triggers);
        let mut forms: HashMap<String, Vec<String>> = HashMap::new();
        let mut add = |form: String, lemma: &str| {
            let v = forms.entry(form).or_default();
            if !v.iter().any(|l| l == lemma) {
                v.push(lemma.to_string());
            }
        };
        if lang == "de" {
            for line in gunzip(DE_FORMS_GZ).lines() {
                if let Some((form, lemma)) = line.split_once('\t') {
                    add(form.to_string(), lemma);
                }
            }
        } else {
            for t in &triggers {
                for f in english_forms(&t.base, t.pos) {
                    add(f, &t.base);
                }
                for f in &t.forms {
                    add(f.clone(), &t.base);
                }
            }
        }
        let mut by_lemma: HashMap<String, Vec<usize>> = HashMap::new();
        let mut noun_forms = HashMap::new();
        for (i, t) in triggers.iter().enumerate() {
            by_lemma.entry(t.lemma.clone()).or_default().push(i);
            if t.particle.is_some() {
                by_lemma.entry(t.base.clone()).or_default().push(i);
            }
            if t.pos == Pos::Noun {
                noun_forms.insert(t.lemma.clone(), t.lemma.clone());
            }
        }
        for (form, lemmas) in &forms {
            for l in lemmas {
                if noun_forms.get(l).is_some_and(|n| n == l) && !noun_forms.contains_key(form) {
                    noun_forms.insert(form.clone(), l.clone());
                }
            }
        }
        let roles = roles
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                (c.len() >= 2).then(|| {
                    (
                        c[0].to_lowercase(),
                        c[1].to_string(),
                        c.get(2).is_some_and(|s| *s == "*"),
                    )
                })
            })
            .collect();
        Lexicon {
            lang,
            triggers,
            forms,
            by_lemma,
            noun_forms,
            roles,
        }
    }

    /// The lemmas a case-folded word form may have (itself included).
    pub fn lemmas<'a>(&'a self, lower: &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = vec![lower];
        if let Some(ls) = self.forms.get(lower) {
            for l in ls {
                if l != lower {
                    out.push(l);
                }
            }
        }
        out
    }

    pub fn triggers_of(&self, lemma: &str) -> &[usize] {
        self.by_lemma.get(lemma).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The trigger noun a compound ends in ("raketenangriffe" → "angriff"), with where its head starts
    /// in bytes; the head must leave at least 3 bytes of modifier.
    pub fn compound_head(&self, lower: &str) -> Option<(&str, usize)> {
        let mut idx: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
        idx.retain(|&i| i >= 3 && lower.len() - i >= 4);
        for i in idx {
            let tail = &lower[i..];
            if let Some(l) = self.noun_forms.get(tail) {
                // A short head needs a linking -s- or a hyphen before it ("Untersuchungshaft",
                // not "Liegenschaften").
                let link = lower[..i].ends_with('s') || lower[..i].ends_with('-');
                if l.chars().count() >= 6 || link {
                    return Some((l.as_str(), i));
                }
            }
        }
        None
    }

    /// The sector of a role word or a compound that ends in one.
    pub fn role_sector(&self, lower: &str) -> Option<&str> {
        let w = lower.trim_end_matches(['.', ',']);
        for (word, sector, _) in &self.roles {
            if w == word {
                return Some(sector);
            }
        }
        // Compound heads: the longest role word the compound ends in.
        let mut best: Option<(&str, usize)> = None;
        for (word, sector, head) in &self.roles {
            if *head && w.len() > word.len() + 2 && w.ends_with(word.as_str()) {
                match best {
                    Some((_, n)) if n >= word.len() => {}
                    _ => best = Some((sector, word.len())),
                }
            }
        }
        best.map(|(s, _)| s)
    }
}

/// A compound prefix's country (alpha-3) and sector.
pub type PrefixCode = (Option<String>, Option<String>);

/// Country and organisation prefixes of compounds: case-folded prefix → (alpha-3, sector).
pub fn prefixes() -> &'static HashMap<String, PrefixCode> {
    static P: OnceLock<HashMap<String, PrefixCode>> = OnceLock::new();
    P.get_or_init(|| {
        PREFIXES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                let opt = |s: &str| (s != "-").then(|| s.to_string());
                (c.len() >= 3).then(|| (c[0].to_string(), (opt(c[1]), opt(c[2]))))
            })
            .collect()
    })
}

/// ISO alpha-3 of an alpha-2 code.
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    static M: OnceLock<HashMap<String, String>> = OnceLock::new();
    let m = M.get_or_init(|| {
        COUNTRIES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    });
    m.get(&alpha2.to_ascii_uppercase()).map(String::as_str)
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    if flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .is_err()
    {
        s.clear();
    }
    s
}

/// Regular English forms of a verb or noun lemma.
pub fn english_forms(lemma: &str, pos: Pos) -> Vec<String> {
    let mut v = vec![lemma.to_string()];
    let ends_e = lemma.ends_with('e');
    let stem = if ends_e {
        &lemma[..lemma.len() - 1]
    } else {
        lemma
    };
    let sib = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| lemma.ends_with(s));
    let plural = if sib {
        format!("{lemma}es")
    } else if let Some(s) = lemma.strip_suffix('y') {
        format!("{s}ies")
    } else {
        format!("{lemma}s")
    };
    v.push(plural);
    if pos == Pos::Verb {
        if let Some(s) = lemma.strip_suffix('y') {
            v.push(format!("{s}ied"));
        }
        v.push(format!("{stem}ed"));
        v.push(format!("{stem}ing"));
        // Doubled final consonant (ban → banned, stop → stopped).
        let b = lemma.as_bytes();
        if b.len() >= 3 {
            let last = b[b.len() - 1];
            let vowel = |c: u8| b"aeiou".contains(&c);
            if !vowel(last)
                && vowel(b[b.len() - 2])
                && !vowel(b[b.len() - 3])
                && !b"wxy".contains(&last)
            {
                v.push(format!("{lemma}{}ed", last as char));
                v.push(format!("{lemma}{}ing", last as char));
            }
        }
    }
    v
}
