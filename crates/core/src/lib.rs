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
/// Built once per document. A text of plain ASCII needs no table (byte = code point). Otherwise
/// the byte offset of every 16th code point is kept, plus each code point's distance in bytes
/// from that block start (at most 15 × 4 bytes, so one byte): 1.25 bytes per code point instead
/// of 4, which is what keeps a 50 MB document inside its memory budget. Both look-ups stay O(1)
/// and O(log n).
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    len_bytes: u32,
    len_chars: u32,
    /// Byte offset of code point `16 k`; empty for an ASCII text.
    blocks: Vec<u32>,
    /// Byte offset of each code point minus its block's; empty for an ASCII text.
    deltas: Vec<u8>,
}

const BLOCK: usize = 16;

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let len_bytes = text.len() as u32;
        if text.is_ascii() {
            return OffsetMap {
                len_bytes,
                len_chars: len_bytes,
                blocks: Vec::new(),
                deltas: Vec::new(),
            };
        }
        let chars = text.chars().count();
        let mut blocks = Vec::with_capacity(chars.div_ceil(BLOCK));
        let mut deltas = Vec::with_capacity(chars);
        let mut block_start = 0;
        for (i, (b, _)) in text.char_indices().enumerate() {
            if i % BLOCK == 0 {
                block_start = b;
                blocks.push(b as u32);
            }
            deltas.push((b - block_start) as u8);
        }
        OffsetMap {
            len_bytes,
            len_chars: deltas.len() as u32,
            blocks,
            deltas,
        }
    }

    /// Bytes the table holds on the heap: none for ASCII, about 1.25 a code point otherwise.
    pub fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * 4 + self.deltas.capacity()
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars as usize
    }

    /// Byte offset of code point `c` (clamped to the end of the text).
    pub fn byte(&self, c: usize) -> usize {
        if c >= self.len_chars() {
            return self.len_bytes as usize;
        }
        if self.deltas.is_empty() {
            return c;
        }
        self.blocks[c / BLOCK] as usize + self.deltas[c] as usize
    }

    /// Code-point offset of byte `b`; a byte inside a multi-byte character maps to that character.
    pub fn char(&self, b: usize) -> usize {
        if b >= self.len_bytes as usize {
            return self.len_chars();
        }
        if self.deltas.is_empty() {
            return b;
        }
        // The last block starting at or before `b`, then the last code point in it that does.
        let block = self.blocks.partition_point(|&s| s as usize <= b) - 1;
        let first = block * BLOCK;
        let last = (first + BLOCK).min(self.len_chars());
        let within = b - self.blocks[block] as usize;
        first + self.deltas[first + 1..last].partition_point(|&d| d as usize <= within)
    }
}
