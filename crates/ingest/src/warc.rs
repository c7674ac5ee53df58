//! Web archives (WARC 1.0/1.1, as crawlers and Common Crawl write them; plain or gzipped, one
//! gzip member per record): every `response` record with an HTML or plain-text payload and every
//! such `resource` record becomes a document, its URL the record's `WARC-Target-URI`. Requests,
//! metadata, redirects, images and scripts are passed over; a record that cannot be read becomes
//! a document with `error` set, so that it is reported by name, never lost.

use crate::{decode, sniff_format, Format, IngestError, RawDocument};
use std::io::Read;
use warc::{RecordType, WarcHeader, WarcReader};

/// The most a gzipped archive may inflate to: a bomb stops here with a message.
const MAX_INFLATED: u64 = 2 << 30;

/// The documents of a WARC input, or `None` when `bytes` is no web archive.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Option<Result<Vec<RawDocument>, IngestError>> {
    if bytes.starts_with(b"WARC/1.") {
        return Some(Ok(records(name, bytes)));
    }
    if !bytes.starts_with(b"\x1f\x8b") {
        return None;
    }
    // A gzip file is a web archive when what it inflates to opens like one.
    let mut head = [0u8; 7];
    let mut gz = flate2::read::MultiGzDecoder::new(bytes);
    if gz.read_exact(&mut head).is_err() || &head != b"WARC/1." {
        return None;
    }
    let mut inflated = Vec::new();
    let read = flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut inflated);
    if let Err(e) = read {
        if inflated.is_empty() {
            return Some(Err(IngestError(format!("{name}: broken gzip: {e}"))));
        }
        // A cut-off archive: the records before the break are still good.
    }
    if inflated.len() as u64 > MAX_INFLATED {
        return Some(Err(IngestError(format!(
            "{name}: the web archive inflates to more than {} GiB",
            MAX_INFLATED >> 30
        ))));
    }
    Some(Ok(records(name, &inflated)))
}

fn records(name: &str, archive: &[u8]) -> Vec<RawDocument> {
    let mut out = Vec::new();
    for (index, record) in WarcReader::new(archive).iter_records().enumerate() {
        let label = format!("{name}#{}", index + 1);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push(failed(label, format!("unreadable WARC record: {e}")));
                // The reader cannot resynchronise after a malformed header.
                break;
            }
        };
        let url = record
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let payload = match record.warc_type() {
            RecordType::Response => match http_payload(record.body()) {
                Some(p) => p,
                None => continue,
            },
            RecordType::Resource => Payload {
                kind: content_kind(record.header(WarcHeader::ContentType).as_deref()),
                body: record.body(),
            },
            _ => continue,
        };
        let Some(kind) = payload.kind else { continue };
        let (content, encoding) = match decode(payload.body) {
            Ok(d) => d,
            Err(why) => {
                out.push(failed(label, why));
                continue;
            }
        };
        if content.trim().is_empty() {
            continue;
        }
        let format = match kind {
            Format::Html => Format::Html,
            _ if sniff_format(&content) == Format::Html => Format::Html,
            _ => Format::Text,
        };
        out.push(RawDocument {
            id: dossier_core::document_id(payload.body),
            name: url
                .clone()
                .map_or(label, |u| format!("{name}#{} {u}", index + 1)),
            format,
            container: Format::Warc,
            encoding,
            bytes: payload.body.len(),
            content,
            url,
            title: None,
            published: None,
            error: None,
        });
    }
    out
}

struct Payload<'a> {
    /// `Html` or `Text`; `None` for what is no article (images, scripts, JSON).
    kind: Option<Format>,
    body: &'a [u8],
}

/// The body of a successful HTTP response and the kind its `Content-Type` names.
fn http_payload(block: &[u8]) -> Option<Payload<'_>> {
    let split = block.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&block[..split]);
    let mut lines = head.lines();
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&status) {
        return None;
    }
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string());
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = &block[split + 4..];
    if chunked {
        // Archives store the payload as sent; a chunked one is rare and left out rather than
        // analysed with its chunk sizes inside the text.
        return None;
    }
    Some(Payload {
        kind: content_kind(content_type.as_deref()),
        body,
    })
}

fn content_kind(content_type: Option<&str>) -> Option<Format> {
    let t = content_type.unwrap_or("text/html").to_ascii_lowercase();
    if t.starts_with("text/html") || t.starts_with("application/xhtml") {
        Some(Format::Html)
    } else if t.starts_with("text/plain") {
        Some(Format::Text)
    } else {
        None
    }
}

fn failed(name: String, why: String) -> RawDocument {
    RawDocument {
        id: dossier_core::document_id(name.as_bytes()),
        error: Some(format!("{name}: {why}")),
        name,
        format: Format::Text,
        container: Format::Warc,
        encoding: "UTF-8".into(),
        bytes: 0,
        content: String::new(),
        url: None,
        title: None,
        published: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{}>\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            "12345678-1234-1234-1234-1234567890ab",
            block.len()
        )
    }

    fn archive() -> String {
        let page = "<html><head><title>Neue Brücke</title></head><body><p>Die Stadt baut eine Brücke über den Fluss.</p></body></html>";
        let ok = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
        let image = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG";
        let moved = "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        [
            record(
                "request",
                "https://example.org/a",
                "GET /a HTTP/1.1\r\n\r\n",
            ),
            record("response", "https://example.org/a", &ok),
            record("response", "https://example.org/b.png", image),
            record("response", "https://example.org/c", moved),
        ]
        .concat()
    }

    #[test]
    fn responses_with_pages_become_documents() {
        let docs = read("crawl.warc", archive().as_bytes()).unwrap().unwrap();
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0].url.as_deref(), Some("https://example.org/a"));
        assert_eq!(docs[0].format, Format::Html);
        assert_eq!(docs[0].container, Format::Warc);
        assert!(docs[0].content.contains("Brücke"));
        assert!(docs[0].error.is_none());
    }

    #[test]
    fn gzipped_archives_one_member_per_record() {
        // Each record its own gzip member, as crawlers write them.
        let mut bytes = Vec::new();
        let text = archive();
        for rec in text.split_inclusive("\r\n\r\n\r\n") {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(rec.as_bytes()).unwrap();
            bytes.extend(gz.finish().unwrap());
        }
        let docs = read("crawl.warc.gz", &bytes).unwrap().unwrap();
        assert_eq!(docs.len(), 1);
        // Any other gzip file is not taken for an archive.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"just text").unwrap();
        assert!(read("x.gz", &gz.finish().unwrap()).is_none());
        assert!(read("x.txt", b"plain words").is_none());
    }

    #[test]
    fn a_broken_record_is_reported_not_lost() {
        let mut text = archive();
        text.push_str("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: nonsense\r\n\r\n");
        let docs = read("crawl.warc", text.as_bytes()).unwrap().unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[1].error.is_some());
    }
}
