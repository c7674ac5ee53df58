//! Input: bytes in, decoded documents out.
//!
//! The first stage of the pipeline. It refuses what is not text (empty input, binary data such as
//! PDF or ZIP files), finds the character encoding (byte-order mark, valid UTF-8, a declared HTML
//! charset, else a statistical guess with `chardetng`), decodes without ever failing on invalid
//! bytes (they become U+FFFD), and tells the format from the content, not the file name: HTML,
//! JSON Lines (one record per line, each its own document) or plain text.
//!
//! Every step looks at a bounded prefix or makes one linear pass, so a 50 MB input on one line
//! costs no more than a 50 MB input on many.

mod warc;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// The formats dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    /// A web archive (WARC, plain or gzipped): only ever a container, its records are HTML or text.
    Warc,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
        }
    }
}

/// One document found in an input (a JSON Lines file holds many).
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// `dossier_core::document_id` of the bytes this document came from.
    pub id: String,
    /// File name, `name:line` for JSON Lines, or `-`.
    pub name: String,
    /// `Text` or `Html`: the kind of `content` (a JSON Lines record becomes one of these).
    pub format: Format,
    /// The format of the input it came from (`jsonl` for a record of a JSON Lines file).
    pub container: Format,
    pub encoding: String,
    pub bytes: usize,
    pub content: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    /// Why this record could not be read (a bad line of a JSON Lines file). The record is kept,
    /// with empty `content`, so that a caller can report it by name instead of losing it.
    pub error: Option<String>,
}

#[derive(Debug)]
pub struct IngestError(pub String);

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IngestError {}

/// How many leading bytes the binary and format sniffers look at.
const SNIFF_BYTES: usize = 8 * 1024;
/// How many bytes the encoding guesser reads; enough for any real page's non-ASCII evidence.
const GUESS_BYTES: usize = 1024 * 1024;

/// Decodes `bytes` read from `name` and splits it into documents.
pub fn read_input(name: &str, bytes: &[u8]) -> Result<Vec<RawDocument>, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError(format!("{name}: empty input")));
    }
    if let Some(docs) = warc::read(name, bytes) {
        return docs;
    }
    let (text, encoding) = decode(bytes).map_err(|why| IngestError(format!("{name}: {why}")))?;
    let format = sniff_format(&text);
    if format == Format::Jsonl {
        return Ok(read_jsonl(name, &text, &encoding));
    }
    Ok(vec![RawDocument {
        id: dossier_core::document_id(bytes),
        name: name.to_string(),
        format,
        container: format,
        encoding,
        bytes: bytes.len(),
        content: text,
        url: None,
        title: None,
        published: None,
        error: None,
    }])
}

/// Decodes the whole input; `Err` names why it is not text.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, String), String> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == UTF_8 {
            check_not_binary(body)?;
        } else if body.len() % 2 == 1 && body.len() < 2 {
            return Err("looks like binary data (a lone UTF-16 byte-order mark)".into());
        }
        let (text, _) = encoding.decode_without_bom_handling(body);
        let text = text.into_owned();
        if encoding != UTF_8 {
            check_decoded_not_binary(&text)?;
        }
        return Ok((text, encoding.name().to_string()));
    }
    if let Some(kind) = magic_kind(bytes) {
        return Err(format!("looks like binary data ({kind}), not text"));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        let text = text.into_owned();
        check_decoded_not_binary(&text)?;
        return Ok((text, encoding.name().to_string()));
    }
    check_not_binary(bytes)?;
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), UTF_8.name().to_string()));
    }
    if mostly_utf8(bytes) {
        // A few bad bytes in a UTF-8 document (a truncated character, a stray Latin-1 byte)
        // become U+FFFD; reading the whole document as Windows-1252 would garble every umlaut.
        return Ok((
            String::from_utf8_lossy(bytes).into_owned(),
            UTF_8.name().to_string(),
        ));
    }
    let encoding = declared_charset(bytes)
        .filter(|e| *e != UTF_16LE && *e != UTF_16BE)
        .unwrap_or_else(|| guess_encoding(bytes));
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), encoding.name().to_string()))
}

/// UTF-8 with a few invalid sequences: at least three valid multi-byte characters for each
/// invalid sequence. Text in a legacy encoding has almost no valid multi-byte sequences (its
/// non-ASCII letters stand alone between ASCII ones), so it does not pass.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().bytes().filter(|&b| b >= 0xc0).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid_multibyte >= 3 * invalid.max(1)
}

/// Common binary file signatures, by their first bytes.
fn magic_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x1f\x8b", "gzip"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ\x00", "xz"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"\x7fELF", "executable"),
        (b"MZ", "Windows executable"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "legacy Office document",
        ),
        (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
        (b"OggS", "Ogg media"),
        (b"ID3", "MP3 audio"),
        (b"SQLite format 3\x00", "SQLite database"),
    ];
    // "MZ" and "BZh" are also plausible starts of text; only trust them when binary bytes follow.
    MAGIC.iter().find_map(|(magic, kind)| {
        if !bytes.starts_with(magic) {
            return None;
        }
        let weak = matches!(*magic, b"MZ" | b"BZh" | b"ID3" | b"RIFF" | b"OggS");
        if weak && control_ratio(&bytes[..bytes.len().min(SNIFF_BYTES)]) < 0.05 {
            return None;
        }
        Some(*kind)
    })
}

/// UTF-16 text without a byte-order mark shows as every other byte being NUL in ASCII stretches.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 >= pairs * 9 && even_nul * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 9 && odd_nul * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Share of control bytes other than the whitespace ones text uses.
fn control_ratio(head: &[u8]) -> f64 {
    if head.is_empty() {
        return 0.0;
    }
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    control as f64 / head.len() as f64
}

fn check_not_binary(bytes: &[u8]) -> Result<(), String> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return Err("looks like binary data (contains NUL bytes), not text".into());
    }
    if control_ratio(head) > 0.05 {
        return Err("looks like binary data (many control characters), not text".into());
    }
    Ok(())
}

fn check_decoded_not_binary(text: &str) -> Result<(), String> {
    let head: Vec<u8> = text
        .chars()
        .take(SNIFF_BYTES)
        .map(|c| if (c as u32) < 0x80 { c as u8 } else { b'x' })
        .collect();
    check_not_binary(&head)
}

/// The charset an HTML page declares in its first bytes (`<meta charset=...>` or
/// `http-equiv` content-type); pages that declare one are usually right about it.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset=") {
        let start = from + pos + b"charset=".len();
        let rest = &head[start..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .unwrap_or(rest.len());
        if let Some(encoding) = Encoding::for_label(&rest[..end]) {
            return Some(encoding);
        }
        from = start;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    let head = &bytes[..bytes.len().min(GUESS_BYTES)];
    detector.feed(head, head.len() == bytes.len());
    detector.guess(None, true)
}

/// Tells HTML, JSON Lines and plain text apart by looking at the start of the text.
pub(crate) fn sniff_format(text: &str) -> Format {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.starts_with('{') {
        return Format::Jsonl;
    }
    let head = prefix(start, 2048).to_ascii_lowercase();
    const HTML_STARTS: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<div",
        "<p>",
        "<p ",
        "<article",
        "<section",
        "<main",
        "<h1",
        "<!--",
        "<?xml",
        "<link",
        "<script",
        "<table",
    ];
    if HTML_STARTS.iter().any(|s| head.starts_with(s)) {
        return Format::Html;
    }
    if head.contains("<!doctype html")
        || head.contains("<html")
        || head.contains("<head>")
        || head.contains("<body")
    {
        return Format::Html;
    }
    // A page fragment: many tags relative to its length.
    let sample = prefix(start, 64 * 1024);
    let bytes = sample.as_bytes();
    let tags = bytes
        .windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        .count();
    let closing = bytes.windows(2).filter(|w| w == b"</").count();
    if closing >= 3 && tags * 200 >= sample.len().max(1) {
        return Format::Html;
    }
    Format::Text
}

/// The longest prefix of `s` with at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// One record of a JSON Lines input.
#[derive(serde::Deserialize)]
struct Record {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
}

/// Splits JSON Lines into one document per non-empty line; a bad line becomes a document with
/// `error` set, never a lost one.
fn read_jsonl(name: &str, text: &str, encoding: &str) -> Vec<RawDocument> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let line_no = index + 1;
        let mut doc = RawDocument {
            id: dossier_core::document_id(line.as_bytes()),
            name: format!("{name}:{line_no}"),
            format: Format::Text,
            container: Format::Jsonl,
            encoding: encoding.to_string(),
            bytes: line.len(),
            content: String::new(),
            url: None,
            title: None,
            published: None,
            error: None,
        };
        match serde_json::from_str::<Record>(line) {
            Ok(record) => {
                let (format, content) = match (record.html, record.text) {
                    (Some(html), _) if !html.trim().is_empty() => (Format::Html, html),
                    (_, Some(text)) if !text.trim().is_empty() => (Format::Text, text),
                    _ => {
                        doc.error = Some(format!(
                            "{}: record has no non-empty `text` or `html` field",
                            doc.name
                        ));
                        out.push(doc);
                        continue;
                    }
                };
                doc.format = format;
                doc.content = content;
                doc.url = record.url.filter(|u| !u.trim().is_empty());
                doc.title = record.title.filter(|t| !t.trim().is_empty());
                doc.published = record.published.as_deref().and_then(normalise_date);
            }
            Err(e) => {
                doc.error = Some(format!("{}: not a JSON record: {e}", doc.name));
            }
        }
        out.push(doc);
    }
    out
}

/// `YYYY-MM-DD` from a date or timestamp that starts with one.
fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return None;
    }
    let month: u32 = s[5..7].parse().ok()?;
    let day: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(s[..10].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> RawDocument {
        let mut docs = read_input("t", bytes).expect("readable");
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let doc = one("Größe zählt.".as_bytes());
        assert_eq!(doc.content, "Größe zählt.");
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.format, Format::Text);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice("Größe".as_bytes());
        let doc = one(&bom);
        assert_eq!(doc.content, "Größe");
        assert_eq!(doc.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom() {
        let text = "Über die Brücke.";
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let doc = one(&le);
        assert_eq!(doc.content, text);
        assert_eq!(doc.encoding, "UTF-16LE");
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let doc = one(&be);
        assert_eq!(doc.content, text);
        assert_eq!(doc.encoding, "UTF-16BE");
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Die Bürger äußerten Sorgen über die Größe der Straße." in Windows-1252.
        let bytes = b"Die B\xfcrger \xe4u\xdferten Sorgen \xfcber die Gr\xf6\xdfe der Stra\xdfe. \
                      \x84Wir m\xfcssen handeln\x93, sagte die B\xfcrgermeisterin.";
        let doc = one(bytes);
        assert_eq!(doc.encoding, "windows-1252");
        assert!(doc.content.contains("Bürger äußerten"));
        assert!(doc.content.contains("„Wir müssen handeln“"));
    }

    #[test]
    fn declared_html_charset_wins() {
        let bytes =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>K\xf6ln</p></body></html>";
        let doc = one(bytes);
        assert_eq!(doc.format, Format::Html);
        assert_eq!(
            doc.encoding, "windows-1252",
            "iso-8859-1 maps to windows-1252"
        );
        assert!(doc.content.contains("Köln"));
    }

    #[test]
    fn one_invalid_byte_keeps_utf8() {
        let mut bytes = "Die Bürger äußerten Sorgen über die Größe der Straße, sagte sie in Köln."
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b" kaputt: \xff.");
        let doc = one(&bytes);
        assert_eq!(doc.encoding, "UTF-8");
        assert!(doc.content.contains("Bürger äußerten"), "{}", doc.content);
        assert!(doc.content.contains("kaputt: \u{fffd}."));
        // A truncated character at the end, as a crawler's cut leaves it.
        let mut cut = "Größe für Straße und Brücke über Fluss "
            .repeat(3)
            .into_bytes();
        cut.extend_from_slice(&"ü".as_bytes()[..1]);
        assert_eq!(one(&cut).encoding, "UTF-8");
    }

    #[test]
    fn invalid_utf8_never_panics() {
        let doc = one(b"ok \xff\xfe\xc3 done \xe2\x82");
        assert!(doc.content.starts_with("ok "));
    }

    #[test]
    fn html_is_recognised() {
        assert_eq!(
            one(b"  <!DOCTYPE html><html><body>x</body></html>").format,
            Format::Html
        );
        assert_eq!(one(b"<div class=a><p>Hallo</p></div>").format, Format::Html);
        let fragment = "Vorspann <b>fett</b> <i>x</i> <span>y</span> </b></i></span>".repeat(5);
        assert_eq!(one(fragment.as_bytes()).format, Format::Html);
        assert_eq!(
            one(b"Ein Satz mit 3 < 4 und 5 > 2.").format,
            Format::Text,
            "comparison signs are not markup"
        );
    }

    #[test]
    fn jsonl_records_become_documents_and_bad_lines_are_kept() {
        let input = concat!(
            "{\"text\": \"Erster Bericht.\", \"url\": \"https://example.org/a\", \"title\": \"A\", \"published\": \"2024-03-05T10:00:00Z\"}\n",
            "\n",
            "{\"html\": \"<p>Zweiter</p>\"}\n",
            "{not json\n",
            "{\"url\": \"https://example.org/c\"}\r\n",
        );
        let docs = read_input("f.jsonl", input.as_bytes()).unwrap();
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].name, "f.jsonl:1");
        assert_eq!(docs[0].content, "Erster Bericht.");
        assert_eq!(docs[0].format, Format::Text);
        assert_eq!(docs[0].container, Format::Jsonl);
        assert_eq!(docs[0].published.as_deref(), Some("2024-03-05"));
        assert_eq!(docs[0].title.as_deref(), Some("A"));
        let first_line = input.split('\n').next().unwrap();
        assert_eq!(docs[0].id, dossier_core::document_id(first_line.as_bytes()));
        assert_eq!(docs[1].name, "f.jsonl:3");
        assert_eq!(docs[1].format, Format::Html);
        assert!(docs[1].error.is_none());
        assert_eq!(docs[2].name, "f.jsonl:4");
        assert!(docs[2]
            .error
            .as_deref()
            .unwrap()
            .contains("not a JSON record"));
        assert!(docs[3].error.as_deref().unwrap().contains("no non-empty"));
    }

    #[test]
    fn binary_inputs_are_refused_by_name() {
        let cases: &[(&[u8], &str)] = &[
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
            (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP"),
            (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
            (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
            (b"abc\x00def\x00\x01\x02", "NUL"),
            (b"\x01\x02\x03\x04\x05\x06abc\x07\x08\x0e\x0f", "control"),
        ];
        for (bytes, word) in cases {
            let err = read_input("doc.bin", bytes).unwrap_err().to_string();
            assert!(err.starts_with("doc.bin: "), "{err}");
            assert!(err.contains(word), "{err} should mention {word}");
        }
    }

    #[test]
    fn empty_input_is_an_error() {
        for bytes in [&b""[..], b"  \n\t "] {
            let err = read_input("e.txt", bytes).unwrap_err().to_string();
            assert_eq!(err, "e.txt: empty input");
        }
    }

    #[test]
    fn fifty_megabytes_on_one_line() {
        let big = "Wort ".repeat(10 * 1024 * 1024);
        let start = std::time::Instant::now();
        let doc = one(big.as_bytes());
        assert_eq!(doc.content.len(), big.len());
        assert!(start.elapsed().as_secs() < 20, "linear time");
        let mut json = b"{\"text\": \"".to_vec();
        json.extend_from_slice(big.as_bytes());
        json.extend_from_slice(b"\"}");
        let doc = one(&json);
        assert_eq!(doc.content.len(), big.len());
    }

    #[test]
    fn dates_are_normalised() {
        assert_eq!(normalise_date("2024-02-29"), Some("2024-02-29".into()));
        assert_eq!(normalise_date("2024-13-01"), None);
        assert_eq!(normalise_date("gestern"), None);
        assert_eq!(normalise_date("2024-02-2ü"), None);
    }
}
