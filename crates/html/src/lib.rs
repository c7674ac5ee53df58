//! Main-content extraction from HTML news pages.
//!
//! The HTML stage of the pipeline: a news page in, the [`Article`] a reader would read out
//! (headline, lead, body paragraphs, captions with credits, authors, outlet, date, agencies).
//!
//! How it works, in linear passes over one arena tree ([`dom`]):
//! 1. A forgiving parser keeps elements, the attributes extraction reads, and text.
//! 2. Furniture is marked top-down: non-text elements, navigation, asides, footers, hidden
//!    elements, and class/id names of share bars, teasers, ads, cookie banners and the like
//!    (data/classes.txt).
//! 3. Text statistics are summed bottom-up (text length, link text, commas, per block).
//! 4. Readability-style scoring: every paragraph-like block scores by its length and commas and
//!    hands the score to its ancestors; the best-scoring container (scaled by its link density)
//!    wins, with Readability's corrections (common ancestor of several good candidates, climbing
//!    to a better parent, related siblings).
//! 5. The container's blocks become paragraphs; link lists, boilerplate phrases
//!    (data/boilerplate.txt), bylines and headings left dangling at the end are dropped.
//!
//! Metadata comes from `<meta>`, JSON-LD and microdata ([`meta`]).

mod dom;
pub mod eval;
mod furniture;
mod meta;
#[cfg(test)]
mod page_faults;

use dom::{collapse_ws, NodeId};
pub use dom::{Dom, NodeData};
use dossier_core::{Article, Caption, Removed};
use furniture::{class_signal, furniture_reason};
use std::collections::BTreeMap;

/// Blocks shorter than this (in non-space characters) do not score as paragraphs.
const MIN_PARAGRAPH: u32 = 25;

/// Extracts the article a reader would read from an HTML page.
pub fn extract(html: &str, url: Option<&str>) -> Article {
    let dom = Dom::parse(html);
    let page = meta::collect(&dom);
    let analysis = Analysis::new(&dom);
    let roots = analysis.choose_roots(&dom);
    let mut emitter = Emitter::new(&dom, &analysis, &roots);
    for &r in &roots {
        emitter.walk(r, 0);
    }
    emitter.flush();
    let Emitter {
        paras,
        mut figures,
        mut removed,
        h1,
        ..
    } = emitter;
    for caption in analysis.captions_near(&dom, &roots) {
        if !figures.iter().any(|f| f.text == caption.text) {
            figures.push(caption);
        }
    }

    let mut paragraphs = filter_paragraphs(paras, &mut removed);
    if let Some(lead) = analysis.lead_before(&dom, &roots) {
        let first_is_lead = paragraphs
            .first()
            .is_some_and(|p| same_text(&p.text, &lead) || p.lead_mark);
        if !first_is_lead && !paragraphs.iter().any(|p| same_text(&p.text, &lead)) {
            paragraphs.insert(
                0,
                Para {
                    text: lead,
                    lead_mark: true,
                    ..Para::default()
                },
            );
        }
    }
    if paragraphs.iter().map(|p| p.text.len()).sum::<usize>() < 200 {
        if let Some(body) = &page.ld_body {
            let ld: Vec<Para> = body
                .split('\n')
                .map(collapse_ws)
                .filter(|p| !p.is_empty())
                .map(|text| Para {
                    text,
                    ..Para::default()
                })
                .collect();
            if ld.iter().map(|p| p.text.len()).sum::<usize>() > 200 {
                paragraphs = ld;
            }
        }
    }

    let h1_text = h1.clone().or_else(|| meta::first_h1(&dom).map(|(_, t)| t));
    let headline = choose_headline(&page, h1.as_deref(), h1_text.as_deref());

    // Lead: a paragraph marked as such at the start of the body, or one that the page
    // description repeats.
    let mut lead = None;
    if let Some(first) = paragraphs.first() {
        let described = page
            .description
            .as_deref()
            .is_some_and(|d| same_text(d, &first.text));
        if (first.lead_mark || described || first.bold) && !first.heading {
            lead = Some(paragraphs.remove(0).text);
        }
    }
    // Headings before any text that repeat the title's words are title material (a variant
    // of the headline, a kicker), not body subheadings.
    let title_words: std::collections::HashSet<String> = [
        headline.as_deref(),
        h1_text.as_deref(),
        page.title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .flat_map(words_of)
    .collect();
    while paragraphs.len() > 1 && paragraphs[0].heading {
        let words = words_of(&paragraphs[0].text);
        let shared = words.iter().filter(|w| title_words.contains(*w)).count();
        if words.is_empty() || shared * 2 < words.len() {
            break;
        }
        paragraphs.remove(0);
        *removed.entry("title repeated above the text").or_default() += 1;
    }
    // Paragraphs that merely repeat the headline are not body text.
    if let Some(h) = headline.as_deref().or(h1_text.as_deref()) {
        let key = text_key(h);
        paragraphs.retain(|p| p.text.len() > 2 * h.len() + 16 || text_key(&p.text) != key);
    }

    let texts: Vec<String> = paragraphs.into_iter().map(|p| p.text).collect();
    let agencies = agencies_of(&texts);
    let kicker = analysis.kicker(&dom);
    let removed = removed
        .into_iter()
        .map(|(reason, n)| {
            Removed::new(
                format!("{n} block{}", if n == 1 { "" } else { "s" }),
                reason,
            )
        })
        .collect();

    Article {
        kicker,
        headline,
        lead,
        paragraphs: texts,
        captions: figures,
        authors: page.authors,
        agencies,
        outlet: page.site_name,
        published: page.published.as_ref().map(|(d, _)| d.clone()),
        published_evidence: page.published.map(|(_, e)| e),
        url: url.map(str::to_string).or(page.url),
        removed,
        warnings: dom.warnings(),
    }
}

/// The headline a reader sees. The declared titles (og:title, JSON-LD headline) lose the
/// site's name, and one that is nothing but the site's name does not count. The article's
/// own heading (the `<h1>` inside the text's container, else a heading whose class says
/// it is the entry's title) wins over a declared title: the declared one is often an SEO
/// variant ("Einen Twitterfeed einbinden" for "Einen Twitterfeed einbinden – so geht's!").
/// Then the declared title, the page's first `<h1>`, the `<title>`.
fn choose_headline(
    page: &meta::PageMeta,
    content_h1: Option<&str>,
    any_h1: Option<&str>,
) -> Option<String> {
    let names = meta::SiteNames::of(page);
    let usable = |t: &str| !t.trim().is_empty() && !names.is_site(t);
    let headings: Vec<&str> = [content_h1, page.titled_heading.as_deref(), any_h1]
        .into_iter()
        .flatten()
        .filter(|h| usable(h))
        .collect();
    // Sources that agree: a heading that is one part of a declared title or of `<title>`
    // ("Alles Neue mach der Mai… | Bibliothek 2.0 und mehr" over an h2 "Alles Neue mach
    // der Mai…") is the headline.
    let key = |t: &str| words_of(t).join(" ");
    for title in [
        page.og_title.as_deref(),
        page.ld_headline.as_deref(),
        page.title.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        let parts = names.parts(title);
        if parts.len() < 2 {
            continue;
        }
        if let Some(h) = headings
            .iter()
            .find(|h| parts.iter().any(|p| key(p) == key(h) && !key(p).is_empty()))
        {
            return Some(h.to_string());
        }
    }
    let own = content_h1.filter(|h| usable(h)).map(|h| names.strip(h));
    let declared = page
        .og_title
        .as_deref()
        .map(|t| names.strip(t))
        .filter(|t| usable(t))
        .or_else(|| {
            page.ld_headline
                .as_deref()
                .map(|t| names.strip(t))
                .filter(|t| usable(t))
        });
    own.or(declared)
        .or_else(|| {
            page.titled_heading
                .as_deref()
                .filter(|h| usable(h))
                .map(|h| names.strip(h))
        })
        .or_else(|| any_h1.filter(|h| usable(h)).map(|h| names.strip(h)))
        .or_else(|| page.title.as_deref().map(|t| names.strip(t)))
        .filter(|h| !h.is_empty())
}

fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Letters and digits only, lower case: the text two renderings of one string share.
fn text_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn same_text(a: &str, b: &str) -> bool {
    // Different lengths rarely normalise to the same text; skip the work for long pairs.
    let (la, lb) = (a.len(), b.len());
    if la.max(lb) > 2 * la.min(lb) + 16 {
        return false;
    }
    let a = text_key(a);
    !a.is_empty() && a == text_key(b)
}

/// Per-node facts, indexed by node id.
struct Analysis {
    /// The furniture reason of an element that starts a furniture subtree.
    junk: Vec<Option<&'static str>>,
    /// Inside a furniture subtree (or is one).
    dead: Vec<bool>,
    /// Non-space characters of visible text in the subtree.
    text: Vec<u32>,
    /// Of which inside links.
    links: Vec<u32>,
    /// The block's own text (not counting nested blocks), its link part and commas.
    own: Vec<u32>,
    own_links: Vec<u32>,
    own_commas: Vec<u32>,
    weight: Vec<f32>,
    /// Inside an element with a lead-like class.
    lead_mark: Vec<bool>,
    /// Has a lead-like class itself.
    lead_self: Vec<bool>,
    kicker_self: Vec<bool>,
}

impl Analysis {
    fn new(dom: &Dom) -> Self {
        let n = dom.nodes.len();
        let mut a = Analysis {
            junk: vec![None; n],
            dead: vec![false; n],
            text: vec![0; n],
            links: vec![0; n],
            own: vec![0; n],
            own_links: vec![0; n],
            own_commas: vec![0; n],
            weight: vec![0.0; n],
            lead_mark: vec![false; n],
            lead_self: vec![false; n],
            kicker_self: vec![false; n],
        };
        // Bottom-up: all text, furniture or not, and the prose in it (blocks of 100+ characters
        // that are not mostly links), to know which elements hold the article.
        let mut raw_text = vec![0u32; n];
        let mut raw_own = vec![0u32; n];
        let mut raw_own_links = vec![0u32; n];
        let mut raw_prose = vec![0u32; n];
        // (characters, commas) of each text node, counted once.
        let mut text_counts = vec![(0u32, 0u32); n];
        for i in (1..n).rev() {
            let parent = dom.nodes[i].parent;
            match &dom.nodes[i].data {
                NodeData::Text(_) => {
                    let counts = count_text(dom.text(i));
                    text_counts[i] = counts;
                    raw_text[parent] += counts.0;
                    raw_own[parent] += counts.0;
                }
                NodeData::Element(e) => {
                    if e.is_block() {
                        if raw_own[i] >= 100 && raw_own_links[i] * 5 < raw_own[i] {
                            raw_prose[i] += raw_own[i];
                        }
                    } else {
                        raw_own[parent] += raw_own[i];
                        raw_own_links[parent] += if e.tag == "a" {
                            raw_own[i]
                        } else {
                            raw_own_links[i]
                        };
                    }
                    raw_text[parent] += raw_text[i];
                    raw_prose[parent] += raw_prose[i];
                }
                NodeData::Document => {}
            }
        }
        let page_text = raw_text[body_of(dom)].max(1);
        // Top-down: furniture, context.
        let mut in_article = vec![false; n];
        for i in 1..n {
            let parent = dom.nodes[i].parent;
            let NodeData::Element(e) = &dom.nodes[i].data else {
                a.dead[i] = a.dead[parent];
                continue;
            };
            in_article[i] = in_article[parent] || matches!(dom.tag(parent), "article" | "main");
            let sig = class_signal(e);
            a.weight[i] = sig.weight();
            if e.attr("itemprop").is_some_and(|p| p == "articleBody") {
                a.weight[i] += 25.0;
            }
            a.lead_self[i] = sig.lead || e.attr("itemprop") == Some("description");
            a.kicker_self[i] = sig.kicker;
            a.lead_mark[i] = a.lead_mark[parent] || a.lead_self[i];
            if a.dead[parent] {
                a.dead[i] = true;
                continue;
            }
            // Much prose with few links is content, whatever the class says (wrappers get
            // names like "ads-helper" or "content-sidebar-wrap").
            let bulk = raw_text[i] * 2 > page_text || raw_prose[i] >= 600;
            let article_context = in_article[i] || e.tag == "article";
            if let Some(reason) = furniture_reason(e, &sig, article_context, bulk) {
                a.junk[i] = Some(reason);
                a.dead[i] = true;
            }
        }
        // Bottom-up: text statistics.
        for i in (1..n).rev() {
            let parent = dom.nodes[i].parent;
            match &dom.nodes[i].data {
                NodeData::Text(_) => {
                    if a.dead[i] {
                        continue;
                    }
                    let (len, commas) = text_counts[i];
                    a.text[parent] += len;
                    a.own[parent] += len;
                    a.own_commas[parent] += commas;
                }
                NodeData::Element(e) => {
                    if a.dead[i] {
                        continue;
                    }
                    let is_link = e.tag == "a";
                    a.text[parent] += a.text[i];
                    a.links[parent] += if is_link { a.text[i] } else { a.links[i] };
                    if !e.is_block() {
                        a.own[parent] += a.own[i];
                        a.own_links[parent] += if is_link { a.own[i] } else { a.own_links[i] };
                        a.own_commas[parent] += a.own_commas[i];
                    }
                }
                NodeData::Document => {}
            }
        }
        a
    }

    fn link_density(&self, i: NodeId) -> f32 {
        if self.text[i] == 0 {
            0.0
        } else {
            self.links[i] as f32 / self.text[i] as f32
        }
    }

    /// The containers whose blocks make up the article, in document order.
    fn choose_roots(&self, dom: &Dom) -> Vec<NodeId> {
        let n = dom.nodes.len();
        let mut score = vec![0.0f32; n];
        let mut candidate = vec![false; n];
        for i in 1..n {
            if self.dead[i] || self.own[i] < MIN_PARAGRAPH {
                continue;
            }
            let tag = dom.tag(i);
            if !matches!(
                tag,
                "p" | "pre"
                    | "td"
                    | "blockquote"
                    | "div"
                    | "section"
                    | "article"
                    | "main"
                    | "dd"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "font"
                    | "center"
            ) {
                continue;
            }
            let own = self.own[i] as f32;
            let link_share = self.own_links[i] as f32 / own;
            let content = (1.0 + self.own_commas[i] as f32 + (own / 100.0).floor().min(3.0))
                * (1.0 - link_share);
            // Text directly in a container scores for the container itself too.
            let mut targets = Vec::with_capacity(6);
            if tag != "p" && tag != "pre" && !tag.starts_with('h') {
                targets.push((i, 1.0f32));
            }
            let mut node = dom.nodes[i].parent;
            let mut level = 0;
            while node != 0 && level < 5 {
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                targets.push((node, divider));
                node = dom.nodes[node].parent;
                level += 1;
            }
            for (t, divider) in targets {
                if !candidate[t] {
                    candidate[t] = true;
                    score[t] = base_score(dom.tag(t)) + self.weight[t];
                }
                score[t] += content / divider;
            }
        }
        let mut ranked: Vec<(NodeId, f32)> = (1..n)
            .filter(|&i| candidate[i] && !self.dead[i])
            .map(|i| (i, score[i] * (1.0 - self.link_density(i))))
            .collect();
        for (i, s) in &ranked {
            score[*i] = *s;
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        if std::env::var_os("DOSSIER_HTML_DEBUG").is_some() {
            let desc = |i: NodeId| {
                let e = dom.element(i);
                format!(
                    "#{i} <{} class={:?} id={:?}> text={} links={}",
                    dom.tag(i),
                    e.and_then(|e| e.attr("class")).unwrap_or(""),
                    e.and_then(|e| e.attr("id")).unwrap_or(""),
                    self.text[i],
                    self.links[i]
                )
            };
            for (i, s) in ranked.iter().take(8) {
                eprintln!("cand {s:.1} {}", desc(*i));
            }
            for i in 1..n {
                if let Some(r) = self.junk[i] {
                    let t = dom.text_of(i).chars().count();
                    if t > 200 {
                        eprintln!("junk {r} {} chars={t}", desc(i));
                    }
                }
            }
        }
        let Some(&(mut top, top_score)) = ranked.first() else {
            return vec![body_of(dom)];
        };

        // Several good candidates under one ancestor: the text is split; take the ancestor.
        let alternatives: Vec<NodeId> = ranked
            .iter()
            .skip(1)
            .take(4)
            .filter(|(_, s)| *s >= top_score * 0.75)
            .map(|(i, _)| *i)
            .collect();
        if alternatives.len() >= 3 {
            let mut parent = dom.nodes[top].parent;
            while parent != 0 && dom.tag(parent) != "body" {
                let containing = alternatives
                    .iter()
                    .filter(|&&alt| dom.is_ancestor(parent, alt))
                    .count();
                if containing >= 3 {
                    top = parent;
                    break;
                }
                parent = dom.nodes[parent].parent;
            }
        }
        // Climb while the parent scores better.
        let mut last = score[top];
        let threshold = last / 3.0;
        let mut parent = dom.nodes[top].parent;
        while parent != 0 && dom.tag(parent) != "body" {
            if !candidate[parent] {
                parent = dom.nodes[parent].parent;
                continue;
            }
            let s = score[parent];
            if s < threshold {
                break;
            }
            if s > last {
                top = parent;
                break;
            }
            last = s;
            parent = dom.nodes[parent].parent;
        }
        // An only child stands for its parent.
        loop {
            let parent = dom.nodes[top].parent;
            if parent == 0 || matches!(dom.tag(parent), "body" | "html") {
                break;
            }
            let element_children = dom
                .children(parent)
                .filter(|&c| dom.element(c).is_some() && !self.dead[c])
                .count();
            if element_children != 1 {
                break;
            }
            top = parent;
        }

        // Siblings that look like part of the article.
        let parent = dom.nodes[top].parent;
        if parent == 0 {
            return vec![top];
        }
        let top_score = score[top];
        let sibling_threshold = (top_score * 0.2).max(10.0);
        let top_class = dom.element(top).and_then(|e| e.attr("class")).unwrap_or("");
        let mut roots = Vec::new();
        for s in dom.children(parent) {
            if s == top {
                roots.push(s);
                continue;
            }
            let Some(e) = dom.element(s) else { continue };
            if self.dead[s] || self.text[s] == 0 {
                continue;
            }
            let mut bonus = 0.0;
            if !top_class.is_empty() && e.attr("class") == Some(top_class) {
                bonus = top_score * 0.2;
            }
            let append = if candidate[s] && score[s] + bonus >= sibling_threshold {
                true
            } else if e.tag == "p" {
                let ld = self.link_density(s);
                let len = self.text[s];
                let text = dom.text_of(s);
                (len > 80 && ld < 0.25)
                    || (len > 0 && len <= 80 && ld == 0.0 && ends_sentence(&text))
            } else {
                false
            };
            if append {
                roots.push(s);
            }
        }
        roots
    }

    /// A lead ("standfirst") that the page sets apart from the body container: an element
    /// with a lead-like class just before the first chosen container, within a few levels.
    fn lead_before(&self, dom: &Dom, roots: &[NodeId]) -> Option<String> {
        let &first = roots.first()?;
        let mut ancestor = dom.nodes[first].parent;
        for _ in 0..4 {
            if ancestor == 0 || matches!(dom.tag(ancestor), "body" | "html") {
                return None;
            }
            // Elements between the ancestor and the first root, in document order.
            let found = (ancestor + 1..first)
                .filter(|&i| self.lead_self[i] && !self.dead[i])
                .filter(|&i| !self.lead_mark[dom.nodes[i].parent])
                .map(|i| dom.text_of(i))
                .find(|t| t.chars().count() >= 40 && t.chars().count() <= 1500);
            if found.is_some() {
                return found;
            }
            ancestor = dom.nodes[ancestor].parent;
        }
        None
    }

    /// Captions in the article's region but outside the chosen containers (a lead picture above
    /// the body): figures, and blocks with caption-like classes.
    fn captions_near(&self, dom: &Dom, roots: &[NodeId]) -> Vec<Caption> {
        let Some(&first) = roots.first() else {
            return Vec::new();
        };
        let mut region = dom.nodes[first].parent;
        let mut up = region;
        for _ in 0..4 {
            if up == 0 || matches!(dom.tag(up), "body" | "html") {
                break;
            }
            if matches!(dom.tag(up), "article" | "main") {
                region = up;
                break;
            }
            up = dom.nodes[up].parent;
        }
        if region == 0 || matches!(dom.tag(region), "body" | "html") {
            return Vec::new();
        }
        let root_ranges: Vec<(NodeId, NodeId)> = roots
            .iter()
            .map(|&r| (r, last_descendant(dom, r)))
            .collect();
        let mut out = Vec::new();
        let mut skip_until = 0;
        for d in descendants(dom, region) {
            if d < skip_until || self.dead[d] {
                continue;
            }
            if root_ranges.iter().any(|&(r, end)| r <= d && d <= end) {
                continue;
            }
            let Some(e) = dom.element(d) else { continue };
            let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
            let caption_class = ["caption", "bildunterschrift", "bildtext", "legende"]
                .iter()
                .any(|k| class.contains(k));
            if e.tag == "figure" || e.tag == "figcaption" || caption_class {
                let caption = if e.tag == "figure" {
                    descendants(dom, d).find(|&c| dom.tag(c) == "figcaption")
                } else {
                    Some(d)
                };
                if let Some(c) = caption.and_then(|c| caption_of(dom, c, d)) {
                    out.push(c);
                }
                skip_until = last_descendant(dom, d) + 1;
            }
        }
        out
    }

    /// A short label above the headline ("Dachzeile"), when the page marks one.
    fn kicker(&self, dom: &Dom) -> Option<String> {
        (1..dom.nodes.len())
            .find(|&i| self.kicker_self[i] && !self.dead[i])
            .map(|i| dom.text_of(i))
            .filter(|t| !t.is_empty() && t.chars().count() <= 80)
    }
}

fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end();
    t.ends_with(['.', '!', '?', '"', '“', '”', '«', '»']) || t.contains(". ")
}

fn body_of(dom: &Dom) -> NodeId {
    dom.elements()
        .find(|(_, e)| e.tag == "body")
        .map_or(0, |(i, _)| i)
}

fn base_score(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Non-space characters and commas in a text (ASCII whitespace; a byte loop, this is hot).
fn count_text(t: &str) -> (u32, u32) {
    let mut len = 0;
    let mut commas = 0;
    for &b in t.as_bytes() {
        // Count the first byte of each character, skip continuation bytes and spaces.
        if b & 0xc0 != 0x80 && !b.is_ascii_whitespace() {
            len += 1;
            commas += u32::from(b == b',');
        }
    }
    (len, commas)
}

#[derive(Default, Debug)]
struct Para {
    text: String,
    /// Bytes of link text in it.
    links: usize,
    heading: bool,
    lead_mark: bool,
    /// All of it is bold (a lead set in bold type).
    bold: bool,
}

/// Walks the chosen containers and turns their blocks into paragraphs.
struct Emitter<'a> {
    dom: &'a Dom,
    a: &'a Analysis,
    roots: &'a [NodeId],
    buf: String,
    buf_links: usize,
    buf_bold: usize,
    link_depth: usize,
    bold_depth: usize,
    block_tag: &'static str,
    block_lead: bool,
    paras: Vec<Para>,
    figures: Vec<Caption>,
    removed: BTreeMap<&'static str, usize>,
    h1: Option<String>,
}

impl<'a> Emitter<'a> {
    fn new(dom: &'a Dom, a: &'a Analysis, roots: &'a [NodeId]) -> Self {
        Emitter {
            dom,
            a,
            roots,
            buf: String::new(),
            buf_links: 0,
            buf_bold: 0,
            link_depth: 0,
            bold_depth: 0,
            block_tag: "",
            block_lead: false,
            paras: Vec::new(),
            figures: Vec::new(),
            removed: BTreeMap::new(),
            h1: None,
        }
    }

    fn flush(&mut self) {
        if self.buf.trim().is_empty() {
            self.buf.clear();
            self.buf_links = 0;
            self.buf_bold = 0;
            return;
        }
        let raw_len = self.buf.len();
        let text = collapse_ws(&self.buf);
        let bold = self.buf_bold * 10 >= raw_len * 9 && text.chars().count() > 60;
        self.paras.push(Para {
            text,
            links: self.buf_links,
            heading: matches!(self.block_tag, "h2" | "h3" | "h4" | "h5" | "h6"),
            lead_mark: self.block_lead,
            bold,
        });
        self.buf.clear();
        self.buf_links = 0;
        self.buf_bold = 0;
    }

    fn walk(&mut self, id: NodeId, depth: usize) {
        if depth > 200 {
            return;
        }
        let dom = self.dom;
        let e = match &dom.nodes[id].data {
            NodeData::Text(_) => {
                let t = dom.text(id);
                self.buf.push_str(t);
                if self.link_depth > 0 {
                    self.buf_links += t.len();
                }
                // Spaces between bold runs do not make a paragraph less bold.
                if self.bold_depth > 0 || t.trim().is_empty() {
                    self.buf_bold += t.len();
                }
                return;
            }
            NodeData::Element(e) => e,
            NodeData::Document => {
                for c in dom.children(id) {
                    self.walk(c, depth + 1);
                }
                return;
            }
        };
        if let Some(reason) = self.a.junk[id] {
            if self.a.text[id] > 0 || reason != "non-text element" {
                *self.removed.entry(reason).or_default() +=
                    usize::from(reason != "non-text element");
            }
            return;
        }
        if self.a.dead[id] {
            return;
        }
        match e.tag {
            "figure" => {
                self.flush();
                self.figure(id);
                return;
            }
            "figcaption" => {
                self.flush();
                if let Some(c) = caption_of(dom, id, id) {
                    self.figures.push(c);
                }
                return;
            }
            "h1" => {
                self.flush();
                if self.h1.is_none() {
                    self.h1 = Some(dom.text_of(id)).filter(|t| !t.is_empty());
                }
                return;
            }
            "br" => {
                self.flush();
                return;
            }
            "img" | "picture" | "hr" => return,
            _ => {}
        }
        let block = e.is_block();
        if block && !self.roots.contains(&id) && self.is_link_block(id, e.tag) {
            *self.removed.entry("link list").or_default() += 1;
            return;
        }
        let (saved_tag, saved_lead) = (self.block_tag, self.block_lead);
        if block {
            self.flush();
            self.block_tag = e.tag;
            self.block_lead = self.a.lead_mark[id];
        } else if matches!(e.tag, "td" | "th") {
            self.buf.push(' ');
        }
        let is_link = e.tag == "a";
        let is_bold = matches!(e.tag, "b" | "strong");
        self.link_depth += usize::from(is_link);
        self.bold_depth += usize::from(is_bold);
        for c in dom.children(id) {
            self.walk(c, depth + 1);
        }
        self.link_depth -= usize::from(is_link);
        self.bold_depth -= usize::from(is_bold);
        if block {
            self.flush();
            self.block_tag = saved_tag;
            self.block_lead = saved_lead;
        } else if !is_link && !is_bold && matches!(e.tag, "span" | "*") {
            // Custom inline elements sometimes stand for blocks; a space keeps words apart.
        }
    }

    /// Link lists and link-heavy boxes inside the article container (Readability's
    /// conditional cleaning, reduced to link density).
    fn is_link_block(&self, id: NodeId, tag: &str) -> bool {
        let text = self.a.text[id];
        if text == 0 {
            return false;
        }
        let ld = self.a.link_density(id);
        match tag {
            "ul" | "ol" | "dl" => ld > 0.5 || (ld > 0.3 && self.a.weight[id] < 0.0),
            "div" | "section" | "table" | "form" | "aside" | "header" | "center" => {
                ld > 0.5 && text < 3000
            }
            "p" => false,
            _ => false,
        }
    }

    fn figure(&mut self, id: NodeId) {
        let dom = self.dom;
        let caption = descendants(dom, id).find(|&d| dom.tag(d) == "figcaption");
        if let Some(c) = caption {
            if let Some(cap) = caption_of(dom, c, id) {
                self.figures.push(cap);
            }
        }
    }
}

/// The highest node id inside `id`'s subtree.
fn last_descendant(dom: &Dom, id: NodeId) -> NodeId {
    dom.last_descendant(id)
}

/// `id` and everything inside it, in document order.
fn descendants(dom: &Dom, id: NodeId) -> std::ops::RangeInclusive<NodeId> {
    id..=dom.last_descendant(id)
}

/// A caption and its credit: a marked credit element (`<small>`, class credit/copyright/
/// source/author) or a trailing credit marker ("Foto:", "©", data/credits.txt) in the text.
fn caption_of(dom: &Dom, caption: NodeId, figure: NodeId) -> Option<Caption> {
    let mut credit = None;
    let mut credit_node = None;
    for d in descendants(dom, figure) {
        let Some(e) = dom.element(d) else { continue };
        let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
        let marked = e.tag == "small"
            || [
                "credit",
                "copyright",
                "source",
                "author",
                "photographer",
                "urheber",
            ]
            .iter()
            .any(|k| class.contains(k));
        if marked && d != caption && d != figure {
            let t = dom.text_of(d);
            if !t.is_empty() {
                credit = Some(t);
                credit_node = Some(d);
                break;
            }
        }
    }
    let mut text = match credit_node.filter(|&n| dom.is_ancestor(caption, n)) {
        Some(n) => {
            let full = dom.text_of(caption);
            let cred = dom.text_of(n);
            full.replacen(&cred, "", 1).trim().to_string()
        }
        None => dom.text_of(caption),
    };
    if credit.is_none() {
        if let Some((body, c)) = split_credit(&text) {
            credit = Some(c);
            text = body;
        }
    }
    let credit = credit.map(|c| clean_credit(&c)).filter(|c| !c.is_empty());
    if text.is_empty() && credit.is_none() {
        return None;
    }
    Some(Caption { text, credit })
}

fn credit_markers() -> Vec<String> {
    include_str!("../data/credits.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

/// Splits "A caption. Foto: Agentur" into the caption and the credit.
fn split_credit(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Lower-casing changed byte lengths; search case-sensitively on the original instead.
        return credit_markers().iter().find_map(|m| {
            text.find(m.as_str())
                .map(|p| (text[..p].to_string(), text[p..].to_string()))
        });
    }
    credit_markers()
        .iter()
        .filter_map(|m| lower.find(m.as_str()).map(|p| (p, m)))
        .filter(|(p, _)| *p == 0 || !lower.as_bytes()[*p - 1].is_ascii_alphanumeric())
        .min_by_key(|(p, _)| *p)
        .map(|(p, _)| {
            let body = text[..p].trim_end_matches(['(', ' ', '|', '/']).trim();
            (
                body.to_string(),
                text[p..].trim_end_matches(')').to_string(),
            )
        })
}

fn clean_credit(c: &str) -> String {
    collapse_ws(c.trim_matches(|ch: char| ch == '(' || ch == ')' || ch.is_whitespace()))
}

/// Drops furniture that survived container selection.
fn filter_paragraphs(paras: Vec<Para>, removed: &mut BTreeMap<&'static str, usize>) -> Vec<Para> {
    let phrases: Vec<String> = include_str!("../data/boilerplate.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches([':', '.']).to_string())
        .collect();
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for p in paras {
        let chars = p.text.chars().count();
        if !p.text.chars().any(char::is_alphanumeric) {
            continue;
        }
        if p.links * 2 > p.text.len() && (p.links * 10 > p.text.len() * 8 || chars < 200) {
            *removed.entry("link").or_default() += 1;
            continue;
        }
        // Boilerplate phrases are short; long blocks need no look-up.
        let boiler = chars < 120 && {
            let lower = p.text.to_lowercase();
            let key = lower.trim_end_matches([':', '.', '!', ' ', '»', '›', '>']);
            phrases.iter().any(|ph| {
                key == ph || (chars < 80 && key.starts_with(ph.as_str()) && !p.text.ends_with('.'))
            })
        };
        if boiler {
            *removed.entry("boilerplate phrase").or_default() += 1;
            continue;
        }
        if chars < 400 && !seen.insert(p.text.clone()) {
            *removed.entry("repeated block").or_default() += 1;
            continue;
        }
        out.push(p);
    }
    while out.last().is_some_and(|p| p.heading) {
        out.pop();
        *removed.entry("dangling heading").or_default() += 1;
    }
    out
}

/// Agencies named in a closing line like "(dpa)" or "(AFP/Reuters)", or a dateline like
/// "Berlin (dpa) -".
fn agencies_of(paragraphs: &[String]) -> Vec<String> {
    let known: Vec<&str> = include_str!("../data/agencies.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let parse_group = |inner: &str| -> Option<Vec<String>> {
        let parts: Vec<&str> = inner
            .split(['/', ',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() || parts.len() > 5 {
            return None;
        }
        parts
            .iter()
            .map(|p| {
                known
                    .iter()
                    .find(|k| *k == p || k.eq_ignore_ascii_case(p) && p.len() > 2)
                    .map(|k| k.to_string())
            })
            .collect()
    };
    let mut out = Vec::new();
    if let Some(last) = paragraphs.last() {
        let t = last.trim_end();
        if let Some(stripped) = t.strip_suffix(')') {
            if let Some(open) = stripped.rfind('(') {
                if let Some(names) = parse_group(&stripped[open + 1..]) {
                    out.extend(names);
                }
            }
        } else if t.chars().count() < 40 {
            if let Some(names) = parse_group(t.trim_start_matches('©').trim()) {
                out.extend(names);
            }
        }
    }
    if let Some(first) = paragraphs.first() {
        let head: String = first.chars().take(60).collect();
        if let (Some(open), Some(close)) = (head.find('('), head.find(')')) {
            if open < close && head[close + 1..].trim_start().starts_with(['-', '–', '—']) {
                if let Some(names) = parse_group(&head[open + 1..close]) {
                    for n in names {
                        if !out.contains(&n) {
                            out.push(n);
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html lang="de"><head>
<title>Brücke gesperrt: Pendler müssen umplanen | Tagesblatt</title>
<meta property="og:site_name" content="Tagesblatt">
<meta property="article:published_time" content="2024-05-06T08:15:00+02:00">
<meta name="author" content="Anna Beispiel">
</head><body>
<nav><ul><li><a href="/">Start</a></li><li><a href="/p">Politik</a></li></ul></nav>
<div class="cookie-banner"><p>Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.</p></div>
<article><h1>Brücke gesperrt: Pendler müssen umplanen</h1>
<p class="lead">Die Talbrücke bei Musterstadt bleibt wegen Rissen im Beton mindestens drei Monate gesperrt.</p>
<div class="share"><a href="#">Teilen</a><a href="#">Twittern</a></div>
<p>Wie das Landesamt für Straßenbau am Montag mitteilte, entdeckten Prüfer bei einer Routinekontrolle mehrere Risse.</p>
<figure><img src="a.jpg"><figcaption>Die gesperrte Talbrücke am Montagmorgen. <small>Foto: Max Muster</small></figcaption></figure>
<h2>Umleitung über die Dörfer</h2>
<p>Der Verkehr wird über zwei Landstraßen umgeleitet, was für Pendler bis zu zwanzig Minuten mehr Fahrzeit bedeutet.</p>
<p>Die Reparatur soll im Herbst beginnen, sagte ein Sprecher, die Kosten seien noch unklar. (dpa)</p>
</article>
<aside class="related"><h3>Mehr zum Thema</h3><ul><li><a href="/x">Andere Brücke saniert</a></li></ul></aside>
<footer><p>© Tagesblatt Verlag. Alle Rechte vorbehalten.</p></footer>
</body></html>"##;

    #[test]
    fn extracts_a_news_page() {
        let a = extract(PAGE, None);
        assert_eq!(
            a.headline.as_deref(),
            Some("Brücke gesperrt: Pendler müssen umplanen")
        );
        assert!(a.lead.as_deref().unwrap().starts_with("Die Talbrücke"));
        assert_eq!(a.paragraphs.len(), 4, "{:#?}", a.paragraphs);
        assert_eq!(a.paragraphs[1], "Umleitung über die Dörfer");
        let all = a.paragraphs.join("\n");
        for furniture in ["Cookies", "Teilen", "Politik", "Mehr zum Thema", "Rechte"] {
            assert!(!all.contains(furniture), "{furniture} leaked: {all}");
        }
        assert_eq!(a.published.as_deref(), Some("2024-05-06"));
        assert_eq!(
            a.published_evidence.as_deref(),
            Some("meta article:published_time")
        );
        assert_eq!(a.authors, vec!["Anna Beispiel"]);
        assert_eq!(a.outlet.as_deref(), Some("Tagesblatt"));
        assert_eq!(a.agencies, vec!["dpa"]);
        assert_eq!(a.captions.len(), 1);
        assert_eq!(
            a.captions[0].text,
            "Die gesperrte Talbrücke am Montagmorgen."
        );
        assert_eq!(a.captions[0].credit.as_deref(), Some("Foto: Max Muster"));
        assert!(!a.removed.is_empty());
    }

    /// A blog page declares nothing but an SEO title and the site's name; the reader sees the
    /// entry's own heading, its date in a date-classed element and in the URL, and the name
    /// of a commenter that must not become the author.
    #[test]
    fn visible_heading_and_date_when_the_markup_declares_little() {
        let page = r##"<html><head>
<title>Blogname » Feed einbinden</title>
<meta property="og:title" content="Feed einbinden">
<meta property="og:site_name" content="Blogname">
<link rel="canonical" href="https://blogname.example.org/2019/03/02/feed-einbinden/">
</head><body><h1 class="site-title">Blogname</h1>
<article><h1 class="entry-title">Feed einbinden – so geht's!</h1>
<div class="entry-date">Veröffentlicht am 3. März 2019</div>
<p>Wer einen Feed in sein Blog einbinden will, braucht dafür kein eigenes Plugin und keine Programmierkenntnisse.</p>
<p>Es genügt ein kleines Widget, das jede gängige Blogsoftware mitbringt, und zwei Minuten Geduld beim Einrichten.</p>
<div class="comment-author"><cite>Leserin Jana</cite> sagt</div>
</article></body></html>"##;
        let a = extract(page, None);
        assert_eq!(a.headline.as_deref(), Some("Feed einbinden – so geht's!"));
        // The date line comes before the URL path (a post may move), both before nothing.
        assert_eq!(a.published.as_deref(), Some("2019-03-03"));
        assert!(a.authors.is_empty(), "{:?}", a.authors);
        let no_line = page.replace("Veröffentlicht am 3. März 2019", "");
        let a = extract(&no_line, None);
        assert_eq!(a.published.as_deref(), Some("2019-03-02"));
        assert!(a
            .published_evidence
            .as_deref()
            .is_some_and(|e| e.starts_with("URL path")));
    }

    #[test]
    fn credit_patterns() {
        assert_eq!(
            split_credit("Rettungskräfte am Unfallort. Foto: Erika Muster/dpa"),
            Some((
                "Rettungskräfte am Unfallort.".into(),
                "Foto: Erika Muster/dpa".into()
            ))
        );
        assert_eq!(
            split_credit("Fans in the stadium (Photo: Jane Roe)"),
            Some(("Fans in the stadium".into(), "Photo: Jane Roe".into()))
        );
    }

    #[test]
    fn agencies() {
        let p = |s: &str| vec![s.to_string()];
        assert_eq!(
            agencies_of(&p("Der Rest folgt. (AFP/Reuters)")),
            vec!["AFP", "Reuters"]
        );
        assert_eq!(
            agencies_of(&p("Berlin (dpa) - Der Bund plant.")),
            vec!["dpa"]
        );
        assert!(agencies_of(&p("Er lachte (kurz).")).is_empty());
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "<",
            "<html>",
            "\u{0}\u{1}<p>",
            "<p>ä</p><p>",
            "<figure><figcaption>",
        ] {
            let _ = extract(s, None);
        }
        let big = "<p>".to_string() + &"Wort, ".repeat(200_000) + "</p>";
        let a = extract(&big, None);
        assert_eq!(a.paragraphs.len(), 1);
    }
}
