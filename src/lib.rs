//! dossier: reads news reports and writes down what they say, with evidence spans.
//!
//! This crate composes the pipeline stages under `crates/`: ingest (bytes → documents),
//! extraction (`clean` for page dumps, `html` for HTML pages), language identification and
//! segmentation. Each stage is a pure function of the document; this file only wires them.

pub mod pipeline;
pub mod render;

pub use pipeline::{analyze_bytes, analyze_input, analyze_raw, Options};
