//! `dossier build events-lexicon`: the compiled data of the stage, deterministic.
//!
//! * `data/de.forms.tsv.gz`: `form<TAB>lemma` (both case-folded) for every lemma of
//!   `data/de.triggers.tsv`: the forms the shared form→lemma table (spaCy lookups) gives the lemma,
//!   the regular forms of a verb made by rule (stem + e/st/t/en/et/te/ten, ge…t, zu…), and for a
//!   separable verb the joined forms (particle + each form of the base, particle + zu + base).
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
pub fn compile_forms(table: &HashMap<String, String>, triggers: &str) -> (String, usize) {
    let (triggers, _) = crate::lexicon::parse_triggers(triggers);
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
