//! Name normalisation shared by the gazetteer compiler and the look-up: both sides must fold a
//! name the same way, or a name stored at build time is never found at run time.

/// Folds a place name to its look-up key: lower case, Latin diacritics removed (`ö` → `o`,
/// `ß` → `ss`), dash and apostrophe variants unified, inner white space collapsed to one space,
/// outer punctuation dropped.
///
/// Folding `ö` to `o` (not `oe`) lets "Pjöngjang" meet a gazetteer's "Pjongjang"; the `oe`
/// spellings are separate alternate names in GeoNames and are stored as such.
pub fn normalize(name: &str) -> String {
    // Fast path: plain ASCII letters, digits and single inner spaces or hyphens.
    let b = name.as_bytes();
    let plain = b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b' ' || *c == b'-')
        && !name.contains("  ");
    if plain {
        return name.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push_folded(c, &mut out);
    }
    let trimmed = out.trim_matches(|c: char| !c.is_alphanumeric() && c != ')');
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded: &str = match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' | 'Č' | 'č' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ĕ' | 'ĕ' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => {
            "e"
        }
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' => "g",
        'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' => "h",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ' | 'ĩ' | 'Ī' | 'ī' | 'Ĭ' | 'ĭ' | 'Į' | 'į' | 'İ' | 'ı' => {
            "i"
        }
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ŀ' | 'ŀ' | 'Ł' | 'ł' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ŏ' | 'ŏ' | 'Ő' | 'ő' | 'Ơ' | 'ơ' => {
            "o"
        }
        'Œ' | 'œ' => "oe",
        'Ŕ' | 'ŕ' | 'Ŗ' | 'ŗ' | 'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Ŝ' | 'ŝ' | 'Ş' | 'ş' | 'Š' | 'š' | 'Ș' | 'ș' => "s",
        'ß' | 'ẞ' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ŧ' | 'ŧ' | 'Ț' | 'ț' => "t",
        'Þ' | 'þ' => "th",
        'Ù'..='Ü'
        | 'ù'..='ü'
        | 'Ũ'
        | 'ũ'
        | 'Ū'
        | 'ū'
        | 'Ŭ'
        | 'ŭ'
        | 'Ů'
        | 'ů'
        | 'Ű'
        | 'ű'
        | 'Ų'
        | 'ų'
        | 'Ư'
        | 'ư' => "u",
        'Ŵ' | 'ŵ' => "w",
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '\u{00B4}' | '\u{0060}' => "'",
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push_str(folded);
}

/// The German genitive of a name by the regular rule: `-s`, except after a sibilant, where
/// German writes an apostrophe or a construction with "von" instead ("des Kosovo", "von Paris").
pub fn genitive(name: &str) -> Option<String> {
    let last = name.chars().last()?;
    if !last.is_alphabetic() || matches!(last, 's' | 'ß' | 'x' | 'z' | 'S' | 'X' | 'Z') {
        return None;
    }
    Some(format!("{name}s"))
}

/// The strong, weak and mixed endings of a German adjective: the base form and `-e`, `-en`,
/// `-er`, `-es`, `-em` ("russisch", "russische", "russischen", "russischer", ...).
pub const GERMAN_ADJECTIVE_ENDINGS: [&str; 6] = ["", "e", "en", "er", "es", "em"];

/// Every inflected form of a German adjective given in its base form ("Russisch").
pub fn german_adjective_forms(base: &str) -> Vec<String> {
    let base = base.trim();
    if base.is_empty() {
        return Vec::new();
    }
    GERMAN_ADJECTIVE_ENDINGS
        .iter()
        .map(|ending| format!("{base}{ending}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_space() {
        assert_eq!(normalize("  Pjöngjang "), "pjongjang");
        assert_eq!(normalize("São  Paulo"), "sao paulo");
        assert_eq!(normalize("Groß-Gerau"), "gross-gerau");
        assert_eq!(normalize("US\u{2013}amerikanische"), "us-amerikanische");
        assert_eq!(normalize("„Moskau“,"), "moskau");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("Frankfurt (Oder)"), "frankfurt (oder)");
    }

    #[test]
    fn german_genitive_by_rule() {
        assert_eq!(genitive("Moskau").as_deref(), Some("Moskaus"));
        assert_eq!(genitive("Russland").as_deref(), Some("Russlands"));
        assert_eq!(genitive("Paris"), None);
        assert_eq!(genitive("Graz"), None);
        assert_eq!(genitive(""), None);
    }

    #[test]
    fn german_adjective_inflection() {
        let forms = german_adjective_forms("russisch");
        assert_eq!(
            forms,
            [
                "russisch",
                "russische",
                "russischen",
                "russischer",
                "russisches",
                "russischem"
            ]
        );
        assert!(german_adjective_forms("US-amerikanisch").contains(&"US-amerikanische".into()));
        assert!(german_adjective_forms(" ").is_empty());
    }
}
