//! The sectioned word lists of `data/de.txt` and `data/en.txt`.

use std::collections::HashMap;

/// `[section]` → entries (trimmed, comments and blank lines dropped), in file order.
pub(crate) fn parse_sections(text: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_string();
            out.entry(current.clone()).or_default();
            continue;
        }
        out.entry(current.clone())
            .or_default()
            .push(line.to_string());
    }
    out
}

/// The German lists, embedded.
pub(crate) const DE: &str = include_str!("../data/de.txt");
/// The English lists, embedded.
pub(crate) const EN: &str = include_str!("../data/en.txt");
