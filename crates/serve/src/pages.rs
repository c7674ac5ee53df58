//! The pages, rendered on the server (they work without JavaScript; `app.js` only adds a
//! click-to-explain popover). maud escapes every text; links of reports are kept only when
//! they are `http(s)`.

use crate::api::{places_for, story_id, EntityParams, GraphParams, PlacesParams};
use crate::marks::{self, Mark, Piece};
use crate::views::{self, SearchParams};
use crate::{read, search_cached, svg, ApiError, Shared};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dossier_core::Document;
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

pub type PageResult = Result<Response, ApiError>;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");

/// Only the embedded assets, by exact name.
pub async fn asset(Path(name): Path<String>) -> PageResult {
    let (body, kind) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return Err(ApiError::not_found("no such asset")),
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

/// Percent-encodes a query value or a path segment.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", enc(v)))
        })
        .collect();
    parts.join("&")
}

fn article_href(id: &str) -> String {
    format!("/article/{}", enc(id))
}

fn entity_href(name: &str) -> String {
    format!("/entity?name={}", enc(name))
}

/// A link of a report is a link only when it is http(s); anything else (`javascript:`) is text.
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

fn layout(title: &str, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — dossier" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "dossier" }
                    form.quick action="/" method="get" role="search" {
                        input type="search" name="q" placeholder="Search the archive" aria-label="search";
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
                div #popover hidden {}
            }
        }
    };
    Html(page.into_string()).into_response()
}

fn highlighted(snippet: &str) -> Markup {
    html! {
        @for (i, part) in snippet.split("**").enumerate() {
            @if i % 2 == 1 { mark { (part) } } @else { (part) }
        }
    }
}

fn doc_meta(d: &dossier_archive::query::DocRow) -> Markup {
    html! {
        span.meta {
            (d.published.as_deref().unwrap_or("no date")) " · "
            (d.outlet.as_deref().unwrap_or("unknown outlet")) " · " (d.lang) " · "
            a href=(format!("/story/{}", d.story)) { "story " (d.story) }
            @if let Some(o) = &d.duplicate_of {
                " · copy of " a href=(article_href(o)) { (o) }
                @if let Some(s) = d.similarity { " (" (format!("{s:.2}")) ")" }
            }
        }
    }
}

pub async fn search(st: State<Shared>, Query(p): Query<SearchParams>) -> PageResult {
    let p = p.normalised();
    if p.q.trim().is_empty() {
        let home = read(&st, |c| views::home(c, 30)).await?;
        let view = search_cached(&st, SearchParams::default()).await?;
        return Ok(layout(
            "Search",
            html! {
                h1 { "The archive" }
                p { (home.documents) " reports." }
                (search_form(&view.params, &view.languages))
                h2 { "Stories" }
                ul.stories {
                    @for s in &home.stories {
                        li {
                            a href=(format!("/story/{}", s.id)) {
                                (s.first_report.as_ref().and_then(|d| d.title.as_deref()).unwrap_or("(untitled)"))
                            }
                            span.meta { " · " (s.size) " report" @if s.size != 1 { "s" } " · "
                                (s.first.as_deref().unwrap_or("?")) " – " (s.last.as_deref().unwrap_or("?"))
                                " · " (s.languages.join("+")) }
                            @if !s.top_entities.is_empty() {
                                div.ents { @for (n, _) in &s.top_entities { a.chip href=(entity_href(n)) { (n) } " " } }
                            }
                        }
                    }
                }
            },
        ));
    }
    let view = search_cached(&st, p).await?;
    let p = &view.params;
    let r = &view.result;
    let base = |extra: &[(&str, Option<&str>)]| {
        let mut pairs: Vec<(&str, Option<&str>)> = vec![
            ("q", Some(p.q.as_str())),
            ("entity", p.entity.as_deref()),
            ("outlet", p.outlet.as_deref()),
            ("lang", p.lang.as_deref()),
            ("from", p.from.as_deref()),
            ("to", p.to.as_deref()),
        ];
        for (k, v) in extra {
            if let Some(slot) = pairs.iter_mut().find(|(pk, _)| pk == k) {
                slot.1 = *v;
            }
        }
        format!("/?{}", query_string(&pairs))
    };
    let map_href = format!(
        "/map?{}",
        query_string(&[
            ("q", Some(p.q.as_str())),
            ("entity", p.entity.as_deref()),
            ("outlet", p.outlet.as_deref()),
            ("lang", p.lang.as_deref()),
            ("from", p.from.as_deref()),
            ("to", p.to.as_deref()),
        ])
    );
    Ok(layout(
        &format!("Search: {}", p.q),
        html! {
            h1 { "Search" }
            (search_form(p, &view.languages))
            div.results-layout {
                aside.facets {
                    @if p.has_filter() { p { a href=(base(&[("entity", None), ("outlet", None), ("lang", None), ("from", None), ("to", None)])) { "× clear filters" } } }
                    h3 { "Entities" }
                    ul { @for (n, c) in &r.facets.entities { li { a.facet href=(base(&[("entity", Some(n))])) { (n) } " " span.count { (c) } } } }
                    h3 { "Outlets" }
                    ul { @for (n, c) in &r.facets.outlets { li { a.facet href=(base(&[("outlet", Some(n))])) { (n) } " " span.count { (c) } } } }
                    h3 { "Days" }
                    ul { @for (n, c) in &r.facets.days { li { a.facet href=(base(&[("from", Some(n)), ("to", Some(n))])) { (n) } " " span.count { (c) } } } }
                    h3 { "Languages" }
                    ul { @for (n, c) in &view.languages { li { a.facet href=(base(&[("lang", Some(n))])) { (n) } " " span.count { (c) } } } }
                }
                section.hits {
                    p.total { (r.total) @if r.total >= 100 { " or more" } " hits · " a href=(map_href) { "map of their places" } }
                    ol {
                        @for h in &r.hits {
                            li.hit {
                                a.title href=(article_href(&h.id)) { (h.title.as_deref().unwrap_or("(untitled)")) }
                                div.meta { (h.published.as_deref().unwrap_or("no date")) " · " (h.outlet.as_deref().unwrap_or("unknown outlet")) " · " (h.lang) " · " a href=(format!("/story/{}", h.story)) { "story " (h.story) } }
                                p.snippet { (highlighted(&h.snippet)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn search_form(p: &SearchParams, languages: &[(String, usize)]) -> Markup {
    html! {
        form.search action="/" method="get" {
            input type="search" name="q" value=(p.q) placeholder="words (all of them, any inflection)" aria-label="query";
            input type="text" name="entity" value=(p.entity.as_deref().unwrap_or("")) placeholder="entity";
            input type="text" name="outlet" value=(p.outlet.as_deref().unwrap_or("")) placeholder="outlet (host)";
            select name="lang" aria-label="language" {
                option value="" { "any language" }
                @for (l, _) in languages {
                    option value=(l) selected[p.lang.as_deref() == Some(l.as_str())] { (l) }
                }
            }
            label { "from " input type="date" name="from" value=(p.from.as_deref().unwrap_or("")); }
            label { "to " input type="date" name="to" value=(p.to.as_deref().unwrap_or("")); }
            button type="submit" { "Search" }
        }
    }
}

/// "according to X, citing Y".
pub fn chain_words(links: &[String]) -> String {
    let mut out = String::new();
    for (i, l) in links.iter().enumerate() {
        out.push_str(if i == 0 { "according to " } else { ", citing " });
        out.push_str(l);
    }
    if out.is_empty() {
        out.push_str("asserted by the report itself");
    }
    out
}

fn article_marks(doc: &Document, docs_per_entity: &HashMap<&str, usize>) -> Vec<Mark> {
    let mut out = Vec::new();
    for a in &doc.attributions {
        if let Some((s, e)) = marks::byte_span(doc, a.claim.span) {
            let chain: Vec<String> = a.chain.iter().map(|l| l.text.clone()).collect();
            out.push(Mark {
                start: s,
                end: e,
                layer: 0,
                class: "mk mk-claim".into(),
                target: format!("info-{}", a.id),
                title: format!("claim ({}): {}", a.stance, chain_words(&chain)),
            });
        }
    }
    let names: HashMap<&str, &str> = doc
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    for q in &doc.quotes {
        if let Some((s, e)) = marks::byte_span(doc, q.span) {
            let speaker = q
                .speaker
                .as_deref()
                .and_then(|id| names.get(id).copied())
                .or(q.speaker_text.as_deref())
                .unwrap_or("unknown speaker");
            out.push(Mark {
                start: s,
                end: e,
                layer: 1,
                class: "mk mk-quote".into(),
                target: format!("info-{}", q.id),
                title: format!(
                    "{} quotation — speaker: {speaker}{}",
                    q.kind,
                    q.cue
                        .as_ref()
                        .map(|c| format!(" ({})", c.text))
                        .unwrap_or_default()
                ),
            });
        }
    }
    for en in &doc.entities {
        let n = docs_per_entity.get(en.id.as_str()).copied().unwrap_or(0);
        let kind = match en.kind.as_str() {
            "PER" => "per",
            "ORG" => "org",
            "LOC" => "loc",
            _ => "misc",
        };
        for m in &en.mentions {
            if let Some((s, e)) = marks::byte_span(doc, m.span) {
                out.push(Mark {
                    start: s,
                    end: e,
                    layer: 2,
                    class: format!("mk mk-ent mk-{kind}"),
                    target: format!("info-{}", en.id),
                    title: format!(
                        "{} {}: {} mention{} here, named in {n} report{} of the archive",
                        en.kind,
                        en.name,
                        en.mentions.len(),
                        if en.mentions.len() == 1 { "" } else { "s" },
                        if n == 1 { "" } else { "s" }
                    ),
                });
            }
        }
    }
    for t in &doc.times {
        if let Some((s, e)) = marks::byte_span(doc, t.span) {
            out.push(Mark {
                start: s,
                end: e,
                layer: 3,
                class: "mk mk-time".into(),
                target: format!("info-{}", t.id),
                title: format!("{}: {}", t.kind, t.value.as_deref().unwrap_or("no value")),
            });
        }
    }
    out
}

fn nest(ms: &[&Mark], text: &str) -> Markup {
    match ms.split_first() {
        None => html! { (text) },
        Some((m, [])) => html! {
            a class=(m.class) href=(format!("#{}", m.target)) data-ref=(m.target) title=(m.title) { (text) }
        },
        Some((m, rest)) => html! {
            span class=(m.class) data-ref=(m.target) title=(m.title) { (nest(rest, text)) }
        },
    }
}

fn marked_text(doc: &Document, marks_: &[Mark]) -> Markup {
    let pieces = marks::pieces(&doc.text, marks_);
    let mut paragraphs: Vec<Vec<&Piece>> = vec![Vec::new()];
    for p in &pieces {
        match p {
            Piece::Paragraph => paragraphs.push(Vec::new()),
            other => paragraphs.last_mut().expect("one at least").push(other),
        }
    }
    html! {
        @for para in paragraphs.iter().filter(|p| !p.is_empty()) {
            p {
                @for piece in para {
                    @match piece {
                        Piece::Text(t, active) => {
                            @let ms: Vec<&Mark> = active.iter().map(|&i| &marks_[i]).collect();
                            (nest(&ms, t))
                        }
                        Piece::Line => br;
                        Piece::Paragraph => {}
                    }
                }
            }
        }
    }
}

pub async fn article(st: State<Shared>, Path(id): Path<String>) -> PageResult {
    let v = read(&st, move |c| views::article(c, &id)).await?;
    let doc = &v.report;
    let docs_per_entity: HashMap<&str, usize> = v
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.documents))
        .collect();
    let marks_ = article_marks(doc, &docs_per_entity);
    let names: HashMap<&str, &str> = doc
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let title = doc
        .meta
        .headline
        .as_ref()
        .map(|h| h.text.clone())
        .or(v.document.title.clone())
        .unwrap_or_else(|| "(untitled)".into());
    Ok(layout(
        &title,
        html! {
            article.report data-id=(doc.id) {
                div.meta-block {
                    (doc_meta(&v.document))
                    @if let Some(u) = &doc.source.url {
                        div.source { "source: "
                            @if let Some(u) = safe_url(u) { a href=(u) rel="noopener noreferrer nofollow" { (u) } }
                            @else { code.unsafe-url { (u) } }
                        }
                    }
                    @if !doc.meta.agencies.is_empty() { div { "agencies: " (doc.meta.agencies.join(", ")) } }
                    @if !doc.meta.authors.is_empty() { div { "authors: " (doc.meta.authors.join(", ")) } }
                    div { a href=(format!("/api/article/{}", enc(&doc.id))) { "report as JSON" } }
                }
                div.legend {
                    span.mk.mk-ent.mk-per { "person" } " " span.mk.mk-ent.mk-org { "organisation" } " "
                    span.mk.mk-ent.mk-loc { "place" } " " span.mk.mk-time { "time" } " "
                    span.mk.mk-quote { "quotation" } " " span.mk.mk-claim { "claim" }
                }
                div.text #text { (marked_text(doc, &marks_)) }
            }
            section.details {
                @if !doc.entities.is_empty() {
                    h2 { "Entities" }
                    ul {
                        @for (e, a) in doc.entities.iter().zip(&v.entities) {
                            li.info id=(format!("info-{}", e.id)) {
                                strong { (e.name) } " (" (e.kind) ") — "
                                (e.mentions.len()) " mention" @if e.mentions.len() != 1 { "s" } " here: "
                                (e.mentions.iter().map(|m| m.text.as_str()).collect::<Vec<_>>().join(", "))
                                @if let Some(g) = &e.geo { " · " (format!("{:.2}, {:.2}", g.lat, g.lon)) @if let Some(c) = &g.country { " " (c) } }
                                " · " a href=(entity_href(&e.name)) { "named in " (a.documents) " report" @if a.documents != 1 { "s" } " — its other mentions" }
                            }
                        }
                    }
                }
                @if !doc.times.is_empty() {
                    h2 { "Times" }
                    ul { @for t in &doc.times {
                        li.info id=(format!("info-{}", t.id)) {
                            strong { (t.text) } " → " (t.value.as_deref().unwrap_or("no calendar value")) " (" (t.kind) ", anchored on " (t.anchor) ")"
                        }
                    } }
                }
                @if !doc.quotes.is_empty() {
                    h2 { "Quotations" }
                    ul { @for q in &doc.quotes {
                        li.info id=(format!("info-{}", q.id)) {
                            strong { (q.speaker.as_deref().and_then(|s| names.get(s).copied()).or(q.speaker_text.as_deref()).unwrap_or("unknown speaker")) }
                            @if let Some(c) = &q.cue { " (" (c.text) ")" } " — " (q.kind) ": «" (q.content) "»"
                        }
                    } }
                }
                @if !doc.attributions.is_empty() {
                    h2 { "Claims" }
                    ul { @for a in &doc.attributions {
                        li.info id=(format!("info-{}", a.id)) {
                            span.stance { (a.stance) } " «" (a.claim.text) "» — "
                            span.chain { (chain_words(&a.chain.iter().map(|l| l.text.clone()).collect::<Vec<_>>())) }
                        }
                    } }
                }
                @if !doc.meta.removed.is_empty() {
                    h2 { "Removed from the page" }
                    ul.removed { @for r in &doc.meta.removed { li { q { (r.text) } " — " (r.reason) } } }
                }
                @if !v.story.is_empty() {
                    h2 { "Other reports of " a href=(format!("/story/{}", v.document.story)) { "story " (v.document.story) } }
                    ul { @for d in &v.story { li { a href=(article_href(&d.id)) { (d.title.as_deref().unwrap_or("(untitled)")) } " " (doc_meta(d)) } } }
                }
            }
        },
    ))
}

pub async fn story(st: State<Shared>, Path(id): Path<String>) -> PageResult {
    let id = story_id(&id)?;
    let v = read(&st, move |c| views::story(c, id)).await?;
    let s = &v.summary;
    let first = v.reports.first();
    Ok(layout(
        &format!("Story {id}"),
        html! {
            h1 { "Story " (id) ": " (first.and_then(|d| d.title.as_deref()).unwrap_or("(untitled)")) }
            p.meta { (s.size) " report" @if s.size != 1 { "s" } " · " (s.first.as_deref().unwrap_or("?")) " – " (s.last.as_deref().unwrap_or("?"))
                " · " (s.languages.join("+")) " · outlets: " (if s.outlets.is_empty() { "unknown".to_string() } else { s.outlets.join(", ") })
                " · " a href=(format!("/map?story={id}")) { "map" } " · " a href=(format!("/graph?story={id}")) { "graph of sources" }
                " · " a href=(format!("/api/story/{id}")) { "JSON" } }
            @if let Some(f) = first {
                div.first { "First report: " a href=(article_href(&f.id)) { (f.title.as_deref().unwrap_or("(untitled)")) } " " (doc_meta(f)) }
            }
            h2 { "Timeline" }
            (svg::timeline(&v.timeline))
            h2 { "Reports in time order" }
            ol.reports { @for d in &v.reports { li { a href=(article_href(&d.id)) { (d.title.as_deref().unwrap_or("(untitled)")) } " " (doc_meta(d)) } } }
            @if !v.copies.is_empty() {
                h2 { "Who repeats whom" }
                ul.copies { @for (c, o) in &v.copies { li { (report_link(&v.reports, c)) " repeats " (report_link(&v.reports, o)) } } }
            }
            h2 { "Claims and their sources" }
            @if v.claims.is_empty() { p { "No attributed claims." } }
            ul.claims { @for c in &v.claims {
                li { "«" (c.text) "»"
                    ul { @for src in &c.sources {
                        li { (src.published.as_deref().unwrap_or("no date")) " · " (src.outlet.as_deref().unwrap_or("unknown outlet")) " · "
                            span.chain { (chain_words(&src.chain.split(" → ").filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>())) }
                            " (" span.stance { (src.stance) } ") " a href=(article_href(&src.document)) { "report" } }
                    } }
                }
            } }
            @if !v.places.is_empty() {
                h2 { "Places" }
                (svg::map(&v.places))
            }
            h2 { "Who cites whom" }
            (svg::graph(&v.graph))
        },
    ))
}

/// A report of a list as "outlet: title", linked.
fn report_link(reports: &[dossier_archive::query::DocRow], id: &str) -> Markup {
    let d = reports.iter().find(|d| d.id == id);
    html! {
        a href=(article_href(id)) {
            @match d {
                Some(d) => { (d.outlet.as_deref().unwrap_or("unknown outlet")) ": " (d.title.as_deref().unwrap_or(id)) }
                None => { (id) }
            }
        }
    }
}

pub async fn entity(st: State<Shared>, Query(p): Query<EntityParams>) -> PageResult {
    if p.name.trim().is_empty() {
        return Err(ApiError::bad_request("name: which entity?"));
    }
    let v = read(&st, move |c| views::entity(c, &p.name)).await?;
    let e = &v.entity;
    Ok(layout(
        &e.name,
        html! {
            h1 { (e.name) " " span.kind { (e.kind) } }
            p.meta { "named in " (e.documents) " report" @if e.documents != 1 { "s" } " · also written: " (e.aliases.join(", "))
                " · " a href=(format!("/api/entity?name={}", enc(&e.name))) { "JSON" } }
            h2 { "Mentions over time" }
            (svg::bars(&v.timeline))
            h2 { "Quotations" }
            @if v.quotes.is_empty() { p { "None in its recent reports." } }
            ul.quotes { @for q in &v.quotes { li { (q.published.as_deref().unwrap_or("no date")) ": «" (q.content) "»" @if let Some(c) = &q.cue { " (" (c) ")" } " " a href=(article_href(&q.document)) { "report" } } } }
            h2 { "Claims it is the source of" }
            @if v.claims.is_empty() { p { "None." } }
            ul.claims { @for c in &v.claims { li { (c.published.as_deref().unwrap_or("no date")) " · " (c.outlet.as_deref().unwrap_or("unknown outlet")) ": «" (c.text) "» (" (c.stance) ") " a href=(article_href(&c.document)) { "report" } } } }
            h2 { "Named with" }
            div.ents { @for (n, _, c) in &v.cooccurring { a.chip href=(entity_href(n)) { (n) " " span.count { (c) } } " " } }
            h2 { "Its places" }
            @if v.places.is_empty() { p { "No places." } } @else { (svg::map(&v.places)) }
            h2 { "Recent reports" }
            ul { @for d in &v.documents { li { a href=(article_href(&d.id)) { (d.title.as_deref().unwrap_or("(untitled)")) } " " (doc_meta(d)) } } }
        },
    ))
}

pub async fn map(st: State<Shared>, Query(p): Query<PlacesParams>) -> PageResult {
    let (of, places) = read(&st, move |c| places_for(c, p)).await?;
    Ok(layout(
        &format!("Map of {of}"),
        html! {
            h1 { "Places of " (of) }
            (svg::map(&places))
            table.places {
                thead { tr { th { "place" } th { "reports" } th { "lat, lon" } } }
                tbody { @for p in &places { tr { td { a href=(entity_href(&p.name)) { (p.name) } } td { (p.documents) } td { (format!("{:.2}, {:.2}", p.lat, p.lon)) } } } }
            }
            p.note { "Country outlines: Natural Earth 1:110m (public domain), via the npm package world-atlas." }
        },
    ))
}

pub async fn graph(st: State<Shared>, Query(p): Query<GraphParams>) -> PageResult {
    let id = story_id(&p.story)?;
    let g = read(&st, move |c| views::graph(c, id)).await?;
    let label = |i: usize| g.nodes.get(i).map(|n| n.label.as_str()).unwrap_or("?");
    Ok(layout(
        &format!("Sources of story {id}"),
        html! {
            h1 { "Who cites whom in " a href=(format!("/story/{id}")) { "story " (id) } }
            p.legend { span.node-outlet { "outlet" } " → " span.node-agency { "agency" } " → " span.node-source { "sources, as the chains of their claims give them" } }
            (svg::graph(&g))
            ul.edges { @for e in &g.edges { li { (label(e.from)) " → " (label(e.to)) " (" (e.count) ")" } } }
        },
    ))
}
