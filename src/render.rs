//! The readable text format: a summary of one report for a person at a terminal.
//!
//! Every layer gets a section only when it has something in it, so a short report stays short.

use dossier_core::Document;
use std::fmt::Write;

/// Renders a report as plain text.
pub fn text_summary(doc: &Document) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_summary(doc, &mut out);
    out
}

fn write_summary(doc: &Document, out: &mut String) -> std::fmt::Result {
    let m = &doc.meta;
    writeln!(
        out,
        "== {} ({}, {} bytes, id {})",
        doc.source.name, doc.source.format, doc.source.bytes, doc.id
    )?;
    writeln!(out, "language:  {}", doc.language)?;
    // Only the stages that did not run with a model of the document's language: those are the
    // layers a reader must take as guesses or leave aside.
    for s in doc.meta.stages.iter().filter(|s| s.reason.is_some()) {
        writeln!(
            out,
            "stage:     {} ran with `{}`: {}",
            s.stage,
            s.language,
            s.reason.as_deref().unwrap_or_default()
        )?;
    }
    for w in &doc.meta.warnings {
        writeln!(out, "warning:   {w}")?;
    }
    if let Some(k) = &m.kicker {
        writeln!(out, "kicker:    {k}")?;
    }
    if let Some(h) = &m.headline {
        writeln!(out, "headline:  {}", h.text)?;
    }
    match &m.published {
        Some(p) => writeln!(
            out,
            "published: {} ({}, confidence {:.2}){}",
            p.date,
            p.origin,
            p.confidence,
            if p.evidence.is_empty() {
                String::new()
            } else {
                format!("\n           because {}", p.evidence.join("; "))
            }
        )?,
        None => writeln!(out, "published: unknown")?,
    }
    if !m.authors.is_empty() {
        writeln!(out, "authors:   {}", m.authors.join(", "))?;
    }
    if !m.agencies.is_empty() {
        writeln!(out, "agencies:  {}", m.agencies.join(", "))?;
    }
    if let Some(d) = &m.dateline {
        let date = d.date.as_ref().map(|t| format!(", {}", t.text));
        writeln!(
            out,
            "dateline:  {}{} [{}..{}]",
            d.place.text,
            date.unwrap_or_default(),
            d.span[0],
            d.span[1]
        )?;
    }
    if let Some(o) = &m.outlet {
        writeln!(out, "outlet:    {o}")?;
    }
    for c in &m.captions {
        match &c.credit {
            Some(credit) => writeln!(out, "caption:   {} [{credit}]", c.text)?,
            None => writeln!(out, "caption:   {}", c.text)?,
        }
    }
    writeln!(
        out,
        "sentences: {}   tokens: {}",
        doc.sentences.len(),
        doc.tokens.len()
    )?;

    writeln!(out)?;
    for (i, s) in doc.sentences.iter().enumerate() {
        writeln!(out, "  [{:>3}] {}", i + 1, doc.slice(*s).replace('\n', " "))?;
    }

    if !doc.entities.is_empty() {
        writeln!(out, "\nentities:")?;
        for e in &doc.entities {
            let mut forms: Vec<String> = Vec::new();
            for mention in &e.mentions {
                let form = if mention.kind == "name" {
                    mention.text.clone()
                } else {
                    format!("{} ({})", mention.text, mention.kind)
                };
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
            let geo = e
                .geo
                .as_ref()
                .map(|g| {
                    format!(
                        "  @ {:.2},{:.2} {}",
                        g.lat,
                        g.lon,
                        g.country.as_deref().unwrap_or("")
                    )
                })
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<3} {:<4} {}: {}{geo}",
                e.id,
                e.kind,
                e.name,
                forms.join(", ")
            )?;
        }
    }
    if !doc.times.is_empty() {
        writeln!(out, "\ntimes:")?;
        for t in &doc.times {
            writeln!(
                out,
                "  {:<3} {:<30} {:<8} {:<24} anchor {}",
                t.id,
                format!("{:?}", t.text),
                t.kind,
                t.value.as_deref().unwrap_or("?"),
                t.anchor
            )?;
        }
    }
    if !doc.quotes.is_empty() {
        writeln!(out, "\nquotes:")?;
        for q in &doc.quotes {
            let speaker = q.speaker_text.as_deref().unwrap_or("unknown speaker");
            let cue = q.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("-");
            writeln!(
                out,
                "  {:<3} {:<8} {speaker} ({cue}): {}",
                q.id, q.kind, q.content
            )?;
        }
    }
    if !doc.attributions.is_empty() {
        writeln!(out, "\nclaims:")?;
        for a in &doc.attributions {
            let mut line = format!("  {:<3} [{}] {}", a.id, a.stance, a.claim.text);
            for (i, link) in a.chain.iter().enumerate() {
                line.push_str(if i == 0 {
                    " — according to "
                } else {
                    ", citing "
                });
                line.push_str(&link.text);
            }
            writeln!(out, "{line}")?;
        }
    }
    if !doc.events.is_empty() {
        writeln!(out, "\nevents:")?;
        for e in &doc.events {
            writeln!(out, "  {}", event_line(doc, e))?;
        }
    }
    if !doc.checks.is_empty() {
        writeln!(out, "\nchecks:")?;
        for c in &doc.checks {
            let detail: Vec<String> = c.detail.iter().map(|(k, v)| format!("{k}={v}")).collect();
            writeln!(
                out,
                "  {:<10} {:<12} {}: {}",
                c.kind,
                c.verdict,
                detail.join(" "),
                doc.slice(c.span)
            )?;
        }
    }
    if !m.removed.is_empty() {
        writeln!(out, "\nremoved:")?;
        for r in &m.removed {
            writeln!(out, "  - {:?} ({})", r.text, r.reason)?;
        }
    }
    Ok(())
}

/// One event as a line: type/sub-type, mode, actor → target, place, date, trigger and the
/// attribution chain.
pub fn event_line(doc: &Document, e: &dossier_core::Event) -> String {
    let entity_name = |id: &str| {
        doc.entities
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let party =
        |mentions: &[dossier_core::TextSpan], codes: &[dossier_core::ActorCode], ids: &[String]| {
            let mut parts: Vec<String> = Vec::new();
            let names: Vec<String> = if ids.is_empty() {
                mentions.iter().map(|m| m.text.clone()).collect()
            } else {
                ids.iter().map(|id| entity_name(id)).collect()
            };
            for (k, name) in names.iter().enumerate() {
                let code = codes.get(k).map(|c| {
                    [c.country.as_deref(), c.sector.as_deref()]
                        .iter()
                        .flatten()
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                match code.filter(|c| !c.is_empty()) {
                    Some(c) => parts.push(format!("{name} ({c})")),
                    None => parts.push(name.clone()),
                }
            }
            if parts.is_empty() {
                "?".to_string()
            } else {
                parts.join(" + ")
            }
        };
    let kind = match &e.subtype {
        Some(s) => format!("{}/{s}", e.kind),
        None => e.kind.clone(),
    };
    let mut line = format!(
        "{:<4} {:<20} {:<12} {} → {}",
        e.id,
        kind,
        e.mode,
        party(&e.actor_mentions, &e.actor_codes, &e.actors),
        party(&e.target_mentions, &e.target_codes, &e.targets)
    );
    if let Some(p) = &e.place {
        line.push_str(&format!(" @ {}", entity_name(p)));
    }
    if let Some(t) = e
        .time
        .as_ref()
        .and_then(|id| doc.times.iter().find(|t| &t.id == id))
    {
        line.push_str(&format!(", {}", t.value.as_deref().unwrap_or(&t.text)));
    }
    if let Some(t) = &e.trigger {
        match &e.trigger_particle {
            Some(p) => line.push_str(&format!(" [{} … {}]", t.text, p.text)),
            None => line.push_str(&format!(" [{}]", t.text)),
        }
    }
    if let Some(a) = e
        .attribution
        .as_ref()
        .and_then(|id| doc.attributions.iter().find(|a| &a.id == id))
    {
        for (i, link) in a.chain.iter().enumerate() {
            line.push_str(if i == 0 {
                " — according to "
            } else {
                ", citing "
            });
            line.push_str(&link.text);
        }
        line.push_str(&format!(" ({})", a.id));
    }
    line
}
