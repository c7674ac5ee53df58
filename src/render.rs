//! The readable text format: a summary of one report for a person at a terminal.

use dossier_core::Document;
use std::fmt::Write;

/// Renders a report as plain text.
pub fn text_summary(doc: &Document) -> String {
    let mut out = String::new();
    let m = &doc.meta;
    let _ = writeln!(
        out,
        "== {} ({}, {} bytes, id {})",
        doc.source.name, doc.source.format, doc.source.bytes, doc.id
    );
    let _ = writeln!(out, "language:  {}", doc.language);
    if let Some(k) = &m.kicker {
        let _ = writeln!(out, "kicker:    {k}");
    }
    if let Some(h) = &m.headline {
        let _ = writeln!(out, "headline:  {}", h.text);
    }
    match &m.published {
        Some(p) => {
            let _ = writeln!(
                out,
                "published: {} ({}; {})",
                p.date,
                p.origin,
                p.evidence.join("; ")
            );
        }
        None => {
            let _ = writeln!(out, "published: unknown");
        }
    }
    if !m.authors.is_empty() {
        let _ = writeln!(out, "authors:   {}", m.authors.join(", "));
    }
    if !m.agencies.is_empty() {
        let _ = writeln!(out, "agencies:  {}", m.agencies.join(", "));
    }
    if let Some(o) = &m.outlet {
        let _ = writeln!(out, "outlet:    {o}");
    }
    for c in &m.captions {
        match &c.credit {
            Some(credit) => {
                let _ = writeln!(out, "caption:   {} [{credit}]", c.text);
            }
            None => {
                let _ = writeln!(out, "caption:   {}", c.text);
            }
        }
    }
    let _ = writeln!(
        out,
        "sentences: {}   tokens: {}",
        doc.sentences.len(),
        doc.tokens.len()
    );
    if let Some(l) = &m.lead {
        let _ = writeln!(out, "\n{}", l.text);
    }
    let _ = writeln!(out);
    for (i, s) in doc.sentences.iter().enumerate() {
        let _ = writeln!(out, "  [{:>3}] {}", i + 1, doc.slice(*s).replace('\n', " "));
    }
    if !m.removed.is_empty() {
        let _ = writeln!(out, "\nremoved:");
        for r in &m.removed {
            let _ = writeln!(out, "  - {:?} ({})", r.text, r.reason);
        }
    }
    out
}
