//! Agency lines ("(APA/Reuters)", "(AFP/dpa/jhe)", "dpa/afp/kle") and datelines
//! ("Berlin (dpa) - …", "WASHINGTON, Sept 5 (Reuters) - …").

use crate::rules::rules;
use regex::Regex;
use std::sync::OnceLock;

/// What an agency line says: the agencies it names and its other parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgencyLine {
    /// Known agencies, canonical names ("dpa", "AFP", "APA", "Reuters"), in the order given.
    pub agencies: Vec<String>,
    /// The other short parts: editor initials such as "jhe" or "red" (the desk's sign-off tag).
    /// They are not author names, so cleaning never puts them into `authors`.
    pub other: Vec<String>,
}

/// The agencies an agency line names, or `None` when the line is not an agency line.
///
/// An agency line is a short list of single-word parts separated by "/" or "," (optionally in
/// parentheses) that names at least one known agency; unknown parts (editor initials) are dropped.
/// `"(APA/Reuters)"` → `["APA", "Reuters"]`; `"(AFP/dpa/jhe)"` → `["AFP", "dpa"]`.
pub fn parse_agency_line(line: &str) -> Option<Vec<String>> {
    parse_agency_line_parts(line).map(|a| a.agencies)
}

/// Like [`parse_agency_line`], but also returns the parts that are not agencies.
pub fn parse_agency_line_parts(line: &str) -> Option<AgencyLine> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 60 {
        return None;
    }
    let (inner, parenthesised) = match line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
        Some(inner) => (inner, true),
        None => (line, false),
    };
    if inner.contains(['(', ')']) {
        return None;
    }
    let table = &rules().agencies;
    let mut out = AgencyLine::default();
    let mut first_known = None;
    for (i, part) in inner.split(['/', ',', ';']).enumerate() {
        let part = part.trim();
        if part.is_empty() || i >= 8 {
            return None;
        }
        match table.get(&part.to_lowercase()) {
            Some(canonical) => {
                first_known.get_or_insert(i);
                if !out.agencies.contains(canonical) {
                    out.agencies.push(canonical.clone());
                }
            }
            None => {
                let short_word = part.chars().count() <= 5
                    && part.chars().all(|c| c.is_alphabetic() || c == '.');
                if !short_word {
                    return None;
                }
                out.other.push(part.to_string());
            }
        }
    }
    // Without parentheses only a line that opens with an agency ("dpa/afp/kle") counts, so that
    // a stray word is not taken for a sign-off.
    match first_known {
        Some(0) => Some(out),
        Some(_) if parenthesised => Some(out),
        _ => None,
    }
}

/// A sign-off of editor initials only, such as "(red)" or "(jhe/ck)": no agency, but it ends the
/// article just the same.
pub(crate) fn is_sign_off(line: &str) -> bool {
    let Some(inner) = line
        .trim()
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
    else {
        return false;
    };
    !inner.is_empty()
        && inner.len() <= 20
        && inner.split('/').all(|p| {
            let p = p.trim();
            (2..=4).contains(&p.chars().count()) && p.chars().all(|c| c.is_lowercase())
        })
}

/// Agencies named in the dateline that opens a paragraph: "Berlin (dpa) - …",
/// "MUNICH, May 7 (Reuters) - …", "ISTANBUL (AP) — …". The paragraph itself is left as it is.
pub(crate) fn dateline_agencies(paragraph: &str) -> Option<Vec<String>> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let re = DATELINE.get_or_init(|| {
        Regex::new(r"^\p{Lu}[\p{L}\p{M}'’.\- /]+?(?:,[^()]+)?\s*\(([^()]+)\)\s*[-–—:]\s")
            .unwrap_or_else(|e| panic!("bad dateline pattern: {e}"))
    });
    let head: String = paragraph.chars().take(120).collect();
    let caps = re.captures(&head)?;
    let agencies = parse_agency_line(caps.get(1)?.as_str())?;
    (!agencies.is_empty()).then_some(agencies)
}

/// Known agencies named anywhere in a short line (a copyright notice, a byline piece).
pub(crate) fn agencies_named_in(line: &str) -> Vec<String> {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let table = &rules().agencies;
    // Aliases have at most three words; try the longest first at every position.
    let mut i = 0;
    while i < words.len() {
        let mut step = 1;
        for n in (1..=3).rev() {
            if i + n > words.len() {
                continue;
            }
            let candidate = words[i..i + n].join(" ");
            if let Some(canonical) = table.get(&candidate) {
                if !out.contains(canonical) {
                    out.push(canonical.clone());
                }
                step = n;
                break;
            }
        }
        i += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_lines_keep_known_agencies() {
        assert_eq!(
            parse_agency_line("(APA/Reuters)"),
            Some(vec!["APA".to_string(), "Reuters".to_string()])
        );
        assert_eq!(
            parse_agency_line("(AFP/dpa/jhe)"),
            Some(vec!["AFP".to_string(), "dpa".to_string()])
        );
        assert_eq!(parse_agency_line("(dpa)"), Some(vec!["dpa".to_string()]));
        assert_eq!(
            parse_agency_line("(Reuters)"),
            Some(vec!["Reuters".to_string()])
        );
        assert_eq!(
            parse_agency_line("dpa/afp/kle"),
            Some(vec!["dpa".to_string(), "AFP".to_string()])
        );
        let parts = parse_agency_line_parts("(AFP/dpa/jhe)").unwrap();
        assert_eq!(parts.other, vec!["jhe".to_string()]);
    }

    #[test]
    fn other_lines_are_not_agency_lines() {
        assert_eq!(parse_agency_line("(red)"), None);
        assert_eq!(parse_agency_line("jhe/dpa"), None);
        assert_eq!(
            parse_agency_line("Reuters / Pool und noch mehr Text hier"),
            None
        );
        assert_eq!(parse_agency_line("Die Regierung (dpa) sagt"), None);
        assert_eq!(parse_agency_line(""), None);
        assert!(is_sign_off("(red)"));
        assert!(!is_sign_off("(Video)"));
    }

    #[test]
    fn datelines_name_agencies() {
        assert_eq!(
            dateline_agencies("Berlin (dpa) - Die Regierung hat beschlossen."),
            Some(vec!["dpa".to_string()])
        );
        assert_eq!(
            dateline_agencies("WASHINGTON, Sept 5 (Reuters) - The White House said."),
            Some(vec!["Reuters".to_string()])
        );
        assert_eq!(
            dateline_agencies("ISTANBUL (AP) — A strong earthquake struck."),
            Some(vec!["AP".to_string()])
        );
        assert_eq!(dateline_agencies("Die Partei (SPD) hat gewonnen."), None);
    }

    #[test]
    fn copyright_lines_name_agencies() {
        assert_eq!(
            agencies_named_in("Copyright 2024 The Associated Press. All Rights Reserved."),
            vec!["AP".to_string()]
        );
        assert_eq!(
            agencies_named_in("© dpa-infocom, dpa:240305-99-1/3"),
            vec!["dpa".to_string()]
        );
    }
}
