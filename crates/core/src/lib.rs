//! The dossier `Document`: the cleaned text of one report plus span-anchored annotation layers.
//!
//! Every stage of the pipeline is a pure function from a `Document` to new layers. The
//! `Document` serialises directly to the report of `shared/design/report-schema.md` (version 1):
//! field names here are a contract, so add fields, never rename them.
//!
//! Spans in the report are `[start, end)` in Unicode scalar values (code points) into `text`.
//! Rust strings are indexed by bytes, so a `Document` keeps a code-point → byte table and stages
//! convert with [`Document::span_of_bytes`] and [`Document::byte_range`].

mod article;
mod report;

pub use article::{Article, Caption, Removed};
pub use report::*;

use sha2::{Digest, Sha256};

/// The schema identifier written into every report.
pub const SCHEMA: &str = "dossier/report@1";

/// `[start, end)` in code points into `Document::text`.
pub type Span = [usize; 2];

/// First 16 hex digits of the SHA-256 of the input bytes: the report id.
pub fn document_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Maps between byte offsets and code-point offsets of one text.
///
/// Built once per document: `char_to_byte[i]` is the byte offset of code point `i`, with one
/// extra entry for the end of the text.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    char_to_byte: Vec<u32>,
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let mut char_to_byte = Vec::with_capacity(text.len() + 1);
        char_to_byte.extend(text.char_indices().map(|(b, _)| b as u32));
        char_to_byte.push(text.len() as u32);
        OffsetMap { char_to_byte }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.char_to_byte.len() - 1
    }

    /// Byte offset of code point `c` (clamped to the end of the text).
    pub fn byte(&self, c: usize) -> usize {
        let c = c.min(self.len_chars());
        self.char_to_byte[c] as usize
    }

    /// Code-point offset of byte `b`; a byte inside a multi-byte character maps to that character.
    pub fn char(&self, b: usize) -> usize {
        match self.char_to_byte.binary_search(&(b as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}
