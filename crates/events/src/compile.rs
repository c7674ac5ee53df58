//! `dossier build events-lexicon`: the compiled data of the stage, deterministic.
//!
//! * `data/de.forms.tsv.gz`: `form<TAB>lemma` (both case-folded) for every lemma of
//!   `data/de.triggers.tsv`: the forms the shared form→lemma table (spaCy lookups) gives the lemma,
//!   the regular forms of a verb made by rule (stem + e/st/t/en/et/te/ten, ge…t, zu…), and for a
//!   separable verb the joined forms (particle + each form of the base, particle + zu + base).
//!   Every noun trigger (written or derived) also gets its case/number forms from the Wiktionary
//!   noun table (`lexicon/german-nouns.csv.gz`); a strong verb its ablaut participle
//!   ("getroffen", "angegriffen") where the form table knows that word.
//! * `data/de.derived.tsv`: noun triggers derived from the verb triggers by general morphology —
//!   the nominalisations (-ung, the noun infinitive, -e, the bare stem, -ation for -ieren)
//!   that the noun table lists as nouns, each with its verb's type, sub-type and flags.
//! * `data/countries.tsv`: ISO 3166-1 alpha-2 → alpha-3, from NGEC's `countries.csv`.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::Path;

/// Reads the form→lemma table.
pub fn read_lemma_table(path: &Path) -> Result<HashMap<String, String>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut s)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&s).map_err(|e| format!("{}: {e}", path.display()))
}

/// The Wiktionary noun table: case-folded lemma → its case-folded case/number forms.
pub type NounTable = HashMap<String, BTreeSet<String>>;

/// Splits one CSV line (double quotes, doubled quotes inside).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Reads `german-nouns.csv.gz` (header: lemma, pos, genus…, then the case/number columns): the
/// rows whose part of speech is a common noun ("Substantiv", not a proper name or an affix).
pub fn read_noun_table(path: &Path) -> Result<NounTable, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut s)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = s.lines();
    let header = csv_fields(lines.next().unwrap_or(""));
    let form_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.contains("singular") || h.contains("plural"))
        .map(|(i, _)| i)
        .collect();
    let mut table: NounTable = HashMap::new();
    for line in lines {
        let f = csv_fields(line);
        let (Some(lemma), Some(pos)) = (f.first(), f.get(1)) else {
            continue;
        };
        let common = pos.split(',').any(|p| p == "Substantiv")
            && !pos.contains("name")
            && !pos.contains("Affix")
            && !pos.contains("Lexem")
            && !pos.contains("Abkürzung");
        if !common || !lemma.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let forms = table.entry(lemma.to_lowercase()).or_default();
        for &c in &form_cols {
            if let Some(x) = f.get(c) {
                let x = x.trim();
                if !x.is_empty() && !x.contains(' ') {
                    forms.insert(x.to_lowercase());
                }
            }
        }
    }
    Ok(table)
}

/// The nominalisations of a verb lemma that may be nouns (to be checked against the noun table):
/// "verhandeln" → "verhandlung", "treffen" → "treffen", "zusagen" → "zusage",
/// "demonstrieren" → "demonstration". Not the bare stem: it names a thing as often as the act
/// ("ausweisen" → "Ausweis", "telefonieren" → "Telefon").
pub(crate) fn nominalisations(lemma: &str) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(s) = lemma.strip_suffix("eln") {
        v.push(format!("{s}lung"));
    } else if let Some(s) = lemma.strip_suffix("ern") {
        v.push(format!("{s}erung"));
    } else if let Some(s) = lemma.strip_suffix("ieren") {
        v.push(format!("{s}ierung"));
        v.push(format!("{s}ation"));
    } else if let Some(s) = lemma.strip_suffix("en") {
        v.push(format!("{s}ung"));
        v.push(format!("{s}e"));
    }
    v.push(lemma.to_string());
    v
}

/// Noun triggers derived from the verb triggers (`data/de.derived.tsv`, same format as
/// `data/de.triggers.tsv`). A verb that needs a governed word (`with=`) or `sich` is left out
/// (its noun would lack the word that makes it an event), and so is a noun that is a written
/// trigger already or that two verbs of different types derive.
pub fn derive_nouns(triggers: &str, nouns: &NounTable) -> String {
    let (triggers, _) = crate::lexicon::parse_triggers(triggers);
    let written: BTreeSet<String> = triggers
        .iter()
        .filter(|t| t.pos != crate::lexicon::Pos::Verb)
        .map(|t| t.lemma.clone())
        .collect();
    // noun → (type, subtype, flags, verb)
    let mut derived: std::collections::BTreeMap<String, Vec<(String, String, String, String)>> =
        Default::default();
    for t in &triggers {
        if t.pos != crate::lexicon::Pos::Verb || !t.with.is_empty() || t.refl {
            continue;
        }
        for n in nominalisations(&t.lemma) {
            if n.chars().count() < 5 || written.contains(&n) || !nouns.contains_key(&n) {
                continue;
            }
            let mut flags = Vec::new();
            for (on, name) in [
                (t.mit, "mit"),
                (t.dest, "dest"),
                (t.symm, "symm"),
                (t.content, "content"),
                (t.weak, "weak"),
            ] {
                if on {
                    flags.push(name);
                }
            }
            derived.entry(n).or_default().push((
                t.kind.clone(),
                t.subtype.clone().unwrap_or_else(|| "-".into()),
                flags.join(","),
                t.lemma.clone(),
            ));
        }
    }
    let mut out = String::from(
        "# German noun triggers derived from the verb triggers of de.triggers.tsv by morphology\n\
         # (nominalisations the Wiktionary noun table lists); rebuild: dossier build events-lexicon\n\
         # TYPE  SUBTYPE  POS  LEMMA  FLAGS  # the verb\n",
    );
    for (noun, from) in &derived {
        let (kind, sub, flags, verb) = &from[0];
        if from.iter().any(|f| f.0 != *kind) {
            continue;
        }
        let mut cap: Vec<char> = noun.chars().collect();
        cap[0] = cap[0].to_uppercase().next().unwrap_or(cap[0]);
        let cap: String = cap.into_iter().collect();
        out.push_str(&format!("{kind}\t{sub}\tn\t{cap}\t{flags}\t# {verb}\n"));
    }
    out
}

/// Ablaut participles of a strong verb ("treffen" → "getroffen", "greifen" → "gegriffen",
/// "schießen" → "geschossen"), kept only where the form table knows the word.
pub(crate) fn ablaut_participles(base: &str, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let Some(stem) = base.strip_suffix("en") else {
        return Vec::new();
    };
    let mut cands = Vec::new();
    for (from, tos) in [
        ("ei", &["i", "ie"][..]),
        ("ie", &["o"][..]),
        ("e", &["o", "a"][..]),
        ("i", &["u", "o"][..]),
        ("a", &["a"][..]),
        ("ü", &["o"][..]),
        ("ä", &["a", "o"][..]),
        ("ö", &["o"][..]),
        ("au", &["o"][..]),
    ] {
        if let Some(at) = stem.rfind(from) {
            for to in tos {
                let mut s = format!("{}{to}{}", &stem[..at], &stem[at + from.len()..]);
                // "griff": the short vowel doubles a single final f/t/s ("gegriffen", "geschossen").
                let doubled = match s.chars().last() {
                    Some(c @ ('f' | 't' | 's')) if *to == "i" || *to == "o" => {
                        let mut d = s.clone();
                        d.push(c);
                        Some(d)
                    }
                    _ => None,
                };
                if let Some(ß) = s.strip_suffix('ß') {
                    s = format!("{ß}ss");
                }
                for x in std::iter::once(s).chain(doubled) {
                    let no_ge =
                        base.ends_with("ieren") || INSEPARABLE.iter().any(|p| base.starts_with(p));
                    let p = if no_ge {
                        format!("{x}en")
                    } else {
                        format!("ge{x}en")
                    };
                    if p != base && known(&p) {
                        cands.push(p);
                    }
                }
            }
        }
    }
    cands
}

const INSEPARABLE: [&str; 9] = ["be", "ge", "er", "ver", "zer", "ent", "emp", "miss", "über"];

/// Regular forms of a German verb lemma.
fn verb_rule_forms(lemma: &str) -> Vec<String> {
    let stem = match lemma
        .strip_suffix("eln")
        .map(|s| format!("{s}el"))
        .or_else(|| lemma.strip_suffix("ern").map(|s| format!("{s}er")))
        .or_else(|| lemma.strip_suffix("en").map(str::to_string))
    {
        Some(s) => s,
        None => return vec![lemma.to_string()],
    };
    let e = if stem.ends_with('t') || stem.ends_with('d') {
        "e"
    } else {
        ""
    };
    let mut v = vec![
        lemma.to_string(),
        format!("{stem}e"),
        format!("{stem}{e}st"),
        format!("{stem}{e}t"),
        format!("{stem}et"),
        format!("{stem}{e}te"),
        format!("{stem}{e}ten"),
        format!("{stem}{e}test"),
        format!("{stem}{e}tet"),
        format!("{stem}{e}tes"),
        format!("{stem}{e}ter"),
        format!("{stem}{e}tem"),
        format!("{stem}end"),
    ];
    let no_ge = lemma.ends_with("ieren") || INSEPARABLE.iter().any(|p| lemma.starts_with(p));
    let part = if no_ge {
        format!("{stem}{e}t")
    } else {
        format!("ge{stem}{e}t")
    };
    for suffix in ["", "e", "en", "er", "es", "em"] {
        v.push(format!("{part}{suffix}"));
    }
    v
}

/// Declined forms of a participle (abgelehnte, abgelehnten, …).
fn declined(form: &str) -> Vec<String> {
    ["e", "en", "er", "es", "em"]
        .iter()
        .map(|s| format!("{form}{s}"))
        .collect()
}

/// The forms file for the given trigger file.
pub fn compile_forms(
    table: &HashMap<String, String>,
    nouns: &NounTable,
    triggers: &str,
) -> (String, usize) {
    let (triggers, _) = crate::lexicon::parse_triggers(triggers);
    let known_words: std::collections::HashSet<String> =
        table.keys().map(|k| k.to_lowercase()).collect();
    let known = |w: &str| known_words.contains(w);
    let mut by_lemma: HashMap<String, Vec<String>> = HashMap::new();
    for (form, lemma) in table {
        by_lemma
            .entry(lemma.to_lowercase())
            .or_default()
            .push(form.to_lowercase());
    }
    let mut lines: BTreeSet<(String, String)> = BTreeSet::new();
    let forms_of = |lemma: &str, verb: bool| -> BTreeSet<String> {
        let mut set: BTreeSet<String> = by_lemma
            .get(lemma)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        set.insert(lemma.to_string());
        if verb {
            set.extend(verb_rule_forms(lemma));
            set.extend(ablaut_participles(lemma, &known));
            // Participles used as adjectives: "der verurteilte", "die geforderten".
            let participles: Vec<String> = set
                .iter()
                .filter(|f| f.starts_with("ge") || f.ends_with('t') || f.ends_with("en"))
                .cloned()
                .collect();
            for p in participles {
                if p.len() > 4 && (p.ends_with('t') || p.ends_with("en")) && p != lemma {
                    set.extend(declined(&p));
                }
            }
        } else {
            for s in ["e", "en", "n", "s", "es", "er"] {
                set.insert(format!("{lemma}{s}"));
            }
            if let Some(forms) = nouns.get(lemma) {
                set.extend(forms.iter().cloned());
            }
        }
        set
    };
    for t in &triggers {
        let verb = t.pos == crate::lexicon::Pos::Verb;
        for f in &t.forms {
            lines.insert((f.clone(), t.base.clone()));
            if let Some(p) = &t.particle {
                lines.insert((format!("{p}{f}"), t.lemma.clone()));
            }
        }
        match &t.particle {
            Some(p) => {
                let base = forms_of(&t.base, verb);
                for f in &base {
                    lines.insert((f.clone(), t.base.clone()));
                    lines.insert((format!("{p}{f}"), t.lemma.clone()));
                }
                lines.insert((format!("{p}zu{}", t.base), t.lemma.clone()));
                for f in forms_of(&t.lemma, verb) {
                    lines.insert((f, t.lemma.clone()));
                }
            }
            None => {
                for f in forms_of(&t.lemma, verb) {
                    lines.insert((f, t.lemma.clone()));
                }
            }
        }
    }
    let mut out = String::from(
        "# dossier-events German trigger forms; rebuild: dossier build events-lexicon\n",
    );
    for (f, l) in &lines {
        if f != l {
            out.push_str(f);
            out.push('\t');
            out.push_str(l);
            out.push('\n');
        }
    }
    (out, lines.len())
}

/// The compiled German files: (`de.forms.tsv.gz` text, its line count, `de.derived.tsv` text).
pub fn compile_german(
    table: &HashMap<String, String>,
    nouns: &NounTable,
) -> (String, usize, String) {
    let derived = derive_nouns(crate::lexicon::DE_TRIGGERS, nouns);
    let all = format!("{}\n{derived}", crate::lexicon::DE_TRIGGERS);
    let (forms, n) = compile_forms(table, nouns, &all);
    (forms, n, derived)
}

/// alpha-2 → alpha-3 lines from NGEC's `countries.csv` (header `CCA2,Name,CCA3,…`).
pub fn compile_countries(csv: &str) -> String {
    let mut rows = BTreeSet::new();
    for line in csv.lines().skip(1) {
        let mut cols = line.split(',');
        let a2 = cols.next().unwrap_or("").trim();
        // The name may be quoted and hold commas: alpha-3 is the first 3-letter upper-case column after it.
        let a3 = cols.find(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()));
        if let Some(a3) = a3 {
            if a2.len() == 2 {
                rows.insert((a2.to_string(), a3.to_string()));
            }
        }
    }
    rows.insert(("XK".into(), "XKX".into()));
    rows.insert(("PS".into(), "PSE".into()));
    rows.insert(("HK".into(), "HKG".into()));
    let mut out =
        String::from("# ISO 3166-1 alpha-2 → alpha-3; rebuild: dossier build events-lexicon\n");
    for (a, b) in rows {
        out.push_str(&format!("{a}\t{b}\n"));
    }
    out
}

/// Gzip with a fixed header (no time, no name), so that a rebuild is byte-identical.
pub fn gzip(text: &str) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(text.as_bytes());
    enc.finish().unwrap_or_default()
}
