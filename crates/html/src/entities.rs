//! HTML character references: numeric ones and the named ones news pages use.

/// Named references that occur in practice (the full HTML list has over 2,000, mostly maths).
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("shy", "\u{ad}"),
    ("auml", "ä"),
    ("ouml", "ö"),
    ("uuml", "ü"),
    ("Auml", "Ä"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("szlig", "ß"),
    ("eacute", "é"),
    ("Eacute", "É"),
    ("egrave", "è"),
    ("Egrave", "È"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("aacute", "á"),
    ("Aacute", "Á"),
    ("agrave", "à"),
    ("Agrave", "À"),
    ("acirc", "â"),
    ("atilde", "ã"),
    ("aring", "å"),
    ("aelig", "æ"),
    ("ccedil", "ç"),
    ("Ccedil", "Ç"),
    ("iacute", "í"),
    ("igrave", "ì"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("ntilde", "ñ"),
    ("Ntilde", "Ñ"),
    ("oacute", "ó"),
    ("Oacute", "Ó"),
    ("ograve", "ò"),
    ("ocirc", "ô"),
    ("otilde", "õ"),
    ("oslash", "ø"),
    ("Oslash", "Ø"),
    ("uacute", "ú"),
    ("ugrave", "ù"),
    ("ucirc", "û"),
    ("yacute", "ý"),
    ("yuml", "ÿ"),
    ("scaron", "š"),
    ("Scaron", "Š"),
    ("zcaron", "ž"),
    ("Zcaron", "Ž"),
    ("oelig", "œ"),
    ("OElig", "Œ"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("lsaquo", "‹"),
    ("rsaquo", "›"),
    ("bdquo", "„"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("sbquo", "‚"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("prime", "′"),
    ("Prime", "″"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("euro", "€"),
    ("pound", "£"),
    ("yen", "¥"),
    ("cent", "¢"),
    ("dollar", "$"),
    ("sect", "§"),
    ("para", "¶"),
    ("middot", "·"),
    ("bull", "•"),
    ("deg", "°"),
    ("plusmn", "±"),
    ("times", "×"),
    ("divide", "÷"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("micro", "µ"),
    ("iexcl", "¡"),
    ("iquest", "¿"),
    ("ordf", "ª"),
    ("ordm", "º"),
    ("thinsp", "\u{2009}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("lrm", "\u{200e}"),
    ("rlm", "\u{200f}"),
    ("minus", "−"),
    ("larr", "←"),
    ("rarr", "→"),
    ("uarr", "↑"),
    ("darr", "↓"),
    ("hArr", "⇔"),
    ("rArr", "⇒"),
    ("dagger", "†"),
    ("Dagger", "‡"),
    ("permil", "‰"),
    ("acute", "´"),
    ("uml", "¨"),
    ("macr", "¯"),
    ("cedil", "¸"),
    ("brvbar", "¦"),
    ("not", "¬"),
    ("curren", "¤"),
    ("colon", ":"),
    ("comma", ","),
    ("period", "."),
    ("excl", "!"),
    ("num", "#"),
    ("percnt", "%"),
    ("lpar", "("),
    ("rpar", ")"),
    ("ast", "*"),
    ("sol", "/"),
    ("semi", ";"),
    ("equals", "="),
    ("quest", "?"),
    ("commat", "@"),
    ("lsqb", "["),
    ("rsqb", "]"),
    ("lowbar", "_"),
    ("verbar", "|"),
    ("NewLine", "\n"),
    ("Tab", "\t"),
];

/// Replaces character references in `s`; malformed ones stay as written.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        if let Some((decoded, used)) = reference(after) {
            out.push_str(&decoded);
            rest = &after[used..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Decodes one reference at the start of `s` (just after `&`): the text and bytes consumed.
fn reference(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (radix, start) = match bytes.get(1) {
            Some(b'x') | Some(b'X') => (16, 2),
            _ => (10, 1),
        };
        let digits = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
            .count();
        if digits == 0 || digits > 8 {
            return None;
        }
        let value = u32::from_str_radix(&s[start..start + digits], radix).ok()?;
        let mut used = start + digits;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        let c = match value {
            // Windows-1252 code points that pages write as numeric references.
            0x80..=0x9f => windows_1252(value),
            0 => '\u{fffd}',
            _ => char::from_u32(value).unwrap_or('\u{fffd}'),
        };
        return Some((c.to_string(), used));
    }
    let len = bytes
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    let name = &s[..len];
    let value = NAMED.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)?;
    if bytes.get(len) == Some(&b';') {
        Some((value.to_string(), len + 1))
    } else if matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") {
        // Browsers accept these few without the semicolon.
        Some((value.to_string(), len))
    } else {
        None
    }
}

fn windows_1252(v: u32) -> char {
    const TABLE: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    TABLE
        .get((v as usize).wrapping_sub(0x80))
        .copied()
        .unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_and_numeric() {
        assert_eq!(
            decode_entities("M&uuml;ller &amp; S&ouml;hne"),
            "Müller & Söhne"
        );
        assert_eq!(decode_entities("&#8222;Ja&#8220; &#x20AC;5"), "„Ja“ €5");
        assert_eq!(decode_entities("&#150;"), "–");
        assert_eq!(
            decode_entities("a & b &unknown; &#xZZ; &"),
            "a & b &unknown; &#xZZ; &"
        );
        assert_eq!(decode_entities("&amp"), "&");
        assert_eq!(decode_entities("&#99999999999;"), "&#99999999999;");
    }
}
