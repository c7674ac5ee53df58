//! Main-content extraction from HTML news pages.

use dossier_core::Article;

/// Extracts the article a reader would read from an HTML page.
pub fn extract(html: &str, url: Option<&str>) -> Article {
    let _ = (html, url);
    Article::default()
}
