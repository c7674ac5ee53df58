//! Input: bytes in, decoded documents out. Detects the encoding and the format from the content.

/// The formats dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
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
}

#[derive(Debug)]
pub struct IngestError(pub String);

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IngestError {}

/// Decodes `bytes` read from `name` and splits it into documents.
pub fn read_input(name: &str, bytes: &[u8]) -> Result<Vec<RawDocument>, IngestError> {
    let content = String::from_utf8_lossy(bytes).into_owned();
    Ok(vec![RawDocument {
        id: dossier_core::document_id(bytes),
        name: name.to_string(),
        format: Format::Text,
        container: Format::Text,
        encoding: "UTF-8".into(),
        bytes: bytes.len(),
        content,
        url: None,
        title: None,
        published: None,
    }])
}
