//! Readers for labelled NER corpora: GermEval 2014 TSV (`idx<TAB>token<TAB>outer[<TAB>embedded]`,
//! `#` source lines), CoNLL/BIO (`token tag` or `token<TAB>tag`, WikiANN's `de:token<TAB>TAG`,
//! WNUT-17). Gzipped files are read transparently. Labels are normalised to BIO over the
//! corpus's types; WNUT-17's fine types are folded into PER/ORG/LOC/MISC (person → PER,
//! location → LOC, corporation and group → ORG, product and creative-work → MISC).

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;

/// One labelled sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub labels: Vec<String>,
}

/// Reads a corpus file (plain or gzipped) of any supported format.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        String::from_utf8_lossy(&out).into_owned()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(parse(&text))
}

/// Normalises a tag to `O`, `B-TYPE` or `I-TYPE`; `None` when it is not a BIO tag.
pub fn normalise_tag(tag: &str) -> Option<String> {
    if tag == "O" {
        return Some("O".into());
    }
    let (prefix, ty) = tag.split_once('-')?;
    let prefix = match prefix {
        "B" | "I" => prefix,
        "E" | "L" => "I",
        "S" | "U" => "B",
        _ => return None,
    };
    if ty.is_empty()
        || !ty
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let ty = match ty {
        "person" => "PER",
        "location" => "LOC",
        "corporation" | "group" => "ORG",
        "product" | "creative-work" => "MISC",
        t => t,
    };
    Some(format!("{prefix}-{ty}"))
}

/// Parses corpus text. Lines that are not token lines (comments, `-DOCSTART-`) are skipped.
pub fn parse(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (token, tag) = if fields.len() >= 3 && fields[0].trim().parse::<u32>().is_ok() {
            // GermEval: idx, token, outer tag[, embedded tag].
            (fields[1], fields[2])
        } else if fields.len() == 2 {
            (fields[0], fields[1])
        } else {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() < 2 {
                continue;
            }
            (parts[0], parts[parts.len() - 1])
        };
        let Some(tag) = normalise_tag(tag.trim()) else {
            continue; // a `#` comment line or an unknown format
        };
        // WikiANN prefixes tokens with the language: `de:Haus`.
        let token = match token.split_once(':') {
            Some((lang, rest))
                if lang.len() == 2
                    && lang.chars().all(|c| c.is_ascii_lowercase())
                    && !rest.is_empty() =>
            {
                rest
            }
            _ => token,
        };
        cur.tokens.push(token.to_string());
        cur.labels.push(tag);
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_germeval_tsv_with_comments() {
        let text =
            "#\thttp://example.org\t[2010-01-01]\n1\tDie\tO\tO\n2\tBerliner\tB-LOCderiv\tO\n\
                    3\tPolizei\tO\tO\n\n# x\n1\tMerkel\tB-PER\tO\n";
        let s = parse(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tokens, vec!["Die", "Berliner", "Polizei"]);
        assert_eq!(s[0].labels, vec!["O", "B-LOCderiv", "O"]);
        assert_eq!(s[1].labels, vec!["B-PER"]);
    }

    #[test]
    fn reads_conll_wikiann_and_wnut() {
        let text =
            "-DOCSTART- O\n\nde:Bonn\tB-LOC\nde:liegt\tO\n\nNew B-location\nYork I-location\n\n\
                    Apple\tB-corporation\n";
        let s = parse(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].tokens, vec!["Bonn", "liegt"]);
        assert_eq!(s[1].labels, vec!["B-LOC", "I-LOC"]);
        assert_eq!(s[2].labels, vec!["B-ORG"]);
    }

    #[test]
    fn odd_lines_do_not_panic() {
        assert!(parse("").is_empty());
        assert!(parse("\u{0}\u{1}\n\t\t\n#\n").is_empty());
        assert_eq!(normalise_tag("X-PER"), None);
    }
}
