//! Language identification.

/// ISO 639-1 code of the language of `text`, or `und` when unknown.
pub fn detect(text: &str) -> String {
    let _ = text;
    "und".into()
}
