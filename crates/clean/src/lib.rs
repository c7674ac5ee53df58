//! Cleaning of plain-text page dumps.

use dossier_core::Article;

/// Turns a plain-text page dump into the article a reader would read.
pub fn clean_page_dump(text: &str) -> Article {
    Article {
        paragraphs: text.split("\n\n").map(str::to_string).collect(),
        ..Default::default()
    }
}
