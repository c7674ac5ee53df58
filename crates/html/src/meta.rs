//! Page metadata: titles, authors, outlet and publication date from `<meta>`, JSON-LD,
//! microdata and the markup itself.

use crate::dom::{collapse_ws, Dom};
use serde_json::Value;

#[derive(Debug, Default)]
pub struct PageMeta {
    pub og_title: Option<String>,
    pub title: Option<String>,
    pub ld_headline: Option<String>,
    pub description: Option<String>,
    pub site_name: Option<String>,
    pub authors: Vec<String>,
    /// `(YYYY-MM-DD, evidence)`.
    pub published: Option<(String, String)>,
    pub url: Option<String>,
    /// JSON-LD `articleBody`, a fallback when the markup hides the text.
    pub ld_body: Option<String>,
    /// `<link rel="canonical" href>`.
    pub canonical: Option<String>,
    /// The first `<h1>`/`<h2>` whose class names an article title ("entry-title",
    /// "posttitle"), not a site's or a section's.
    pub titled_heading: Option<String>,
}

/// Date meta names in order of trust.
const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "last-modified",
];

pub fn collect(dom: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    let mut date_metas: Vec<(usize, String, String)> = Vec::new();
    let mut itemprop_date: Option<(String, String)> = None;
    let mut time_date: Option<(String, String)> = None;
    let mut rel_authors = Vec::new();
    let mut meta_authors = Vec::new();
    let mut byline_authors: Vec<String> = Vec::new();
    let mut path_authors: Vec<String> = Vec::new();
    // Dates the markup shows rather than declares, each used only when the ones before it
    // (meta, JSON-LD, itemprop, <time>) give none: a machine-readable attribute of a
    // microformat or RDFa element, a short text that introduces the publication date
    // ("Veröffentlicht am …"), a short element whose class names a date ("entry-date",
    // "itemPostDate"), the date in the canonical URL's path (last: a post may have moved;
    // on the trafilatura dev pages the order of the last three makes no difference).
    let mut attr_date: Option<(String, String)> = None;
    let mut phrase_date: Option<(String, String)> = None;
    let mut class_date: Option<(String, String)> = None;
    for (id, e) in dom.elements() {
        match e.tag {
            "title" if m.title.is_none() => {
                if let Some(raw) = &e.raw {
                    let t = collapse_ws(raw);
                    if !t.is_empty() {
                        m.title = Some(t);
                    }
                }
            }
            "meta" => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let Some(content) = e.attr("content").map(collapse_ws) else {
                    continue;
                };
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" if m.og_title.is_none() => {
                        m.og_title = Some(content)
                    }
                    "description" | "og:description" | "twitter:description"
                        if m.description.is_none() =>
                    {
                        m.description = Some(content)
                    }
                    "og:site_name" | "application-name" if m.site_name.is_none() => {
                        m.site_name = Some(content)
                    }
                    "og:url" if m.url.is_none() => m.url = Some(content),
                    "author" | "article:author" | "dc.creator" | "sailthru.author"
                    | "parsely-author" | "byl" => {
                        if !content.starts_with("http") {
                            meta_authors.push(content);
                        }
                    }
                    k => {
                        if let Some(rank) = DATE_METAS.iter().position(|d| *d == k) {
                            date_metas.push((rank, content, format!("meta {k}")));
                        } else if k == "datepublished" && itemprop_date.is_none() {
                            itemprop_date = Some((content, "itemprop datePublished".into()));
                        }
                    }
                }
            }
            "script" => {
                if let Some(raw) = &e.raw {
                    if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                        read_json_ld(&v, &mut m, 0);
                    }
                }
            }
            "a" | "link" if e.attr("rel").is_some_and(|r| r.contains("author")) => {
                let t = dom.text_of(id);
                if !t.is_empty() && t.len() < 80 {
                    rel_authors.push(t);
                }
            }
            // A blog's author archive ("…/author/daniel/"): the link's words name the author.
            "a" if path_authors.is_empty()
                && e.attr("href").is_some_and(is_author_archive)
                && !is_byline_class_excluded(e.attr("class").unwrap_or("")) =>
            {
                let t = dom.text_of(id);
                if t.split_whitespace().count() <= 4 && t.chars().count() < 60 {
                    path_authors.push(t);
                }
            }
            _ => {}
        }
        if let Some(prop) = e.attr("itemprop") {
            if prop == "datePublished" && itemprop_date.is_none() {
                let v = e
                    .attr("datetime")
                    .or_else(|| e.attr("content"))
                    .map(str::to_string)
                    .unwrap_or_else(|| dom.text_of(id));
                itemprop_date = Some((v, "itemprop datePublished".into()));
            }
            if prop == "author" && e.tag != "meta" {
                let named = dom.children(id).find_map(|c| {
                    dom.element(c)
                        .filter(|ce| ce.attr("itemprop") == Some("name"))
                        .map(|_| dom.text_of(c))
                });
                let t = named.unwrap_or_else(|| dom.text_of(id));
                if !t.is_empty() && t.len() < 80 {
                    rel_authors.push(t);
                }
            }
        }
        if byline_authors.is_empty() && is_byline_class(e.attr("class").unwrap_or("")) {
            let t = dom.text_of(id);
            // A byline often goes on with a role or a date after a comma or a dot.
            let name = t
                .split([',', '·', '|'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            // A label alone ("By ", "Autor:") in its own byline-classed element does not count:
            // the name follows in the next one.
            if name.chars().count() < 80 && !clean_authors(vec![name.clone()]).is_empty() {
                byline_authors.push(name);
            }
        }
        if e.tag == "link" && m.canonical.is_none() && e.attr("rel") == Some("canonical") {
            m.canonical = e.attr("href").map(str::to_string);
        }
        if m.titled_heading.is_none() && matches!(e.tag, "h1" | "h2") && is_title_class(e) {
            let t = dom.text_of(id);
            if !t.is_empty() && t.chars().count() <= 300 {
                m.titled_heading = Some(t);
            }
        }
        if attr_date.is_none() {
            attr_date = attribute_date(e);
        }
        if phrase_date.is_none() {
            phrase_date = introduced_date(dom, id);
        }
        if class_date.is_none() && e.tag != "meta" && has_date_class(e) {
            let t = dom.text_of(id);
            if t.chars().count() <= 100 {
                if let Some(d) = text_date(&t) {
                    class_date = Some((d, format!("element with date class: {t}")));
                }
            }
        }
        if e.tag == "time" && time_date.is_none() {
            if let Some(dt) = e.attr("datetime") {
                time_date = Some((dt.to_string(), "<time datetime>".into()));
            }
        }
    }
    date_metas.sort_by_key(|(rank, _, _)| *rank);
    if m.published.is_none() {
        let candidates = date_metas
            .into_iter()
            .map(|(_, v, ev)| (v, ev))
            .chain(itemprop_date)
            .chain(time_date);
        for (value, evidence) in candidates {
            if let Some(d) = normalise_date(&value) {
                m.published = Some((d, evidence));
                break;
            }
        }
    }
    if m.published.is_none() {
        let url_date = m
            .canonical
            .iter()
            .chain(&m.url)
            .find_map(|u| url_date(u).map(|d| (d, format!("URL path: {u}"))));
        m.published = attr_date.or(phrase_date).or(class_date).or(url_date);
    }
    let mut authors = std::mem::take(&mut m.authors);
    authors.extend(meta_authors);
    authors.extend(rel_authors);
    if authors.is_empty() {
        authors = byline_authors;
    }
    if authors.is_empty() {
        authors = path_authors;
    }
    m.authors = clean_authors(authors);
    m
}

/// A date in an attribute that microformats and RDFa use for the publication date:
/// `<abbr class="published" title="…">`, `<span property="dc:date" content="…">`.
fn attribute_date(e: &crate::dom::Element) -> Option<(String, String)> {
    if e.tag == "meta" {
        return None;
    }
    if e.tag == "abbr" && e.attr("class").is_some_and(|c| c.contains("published")) {
        let d = e.attr("title").and_then(normalise_date)?;
        return Some((d, "abbr class=\"published\" title".into()));
    }
    let prop = e.attr("property").or_else(|| e.attr("itemprop"))?;
    let lower = prop.to_ascii_lowercase();
    let named = [
        "datecreated",
        "datepublished",
        "dc:date",
        "dcterms:created",
        "dcterms:issued",
    ]
    .iter()
    .any(|k| lower.ends_with(k));
    if !named {
        return None;
    }
    let d = e
        .attr("content")
        .or_else(|| e.attr("datetime"))
        .and_then(normalise_date)?;
    Some((d, format!("property {prop}")))
}

/// Whether a heading's class names an article's title ("entry-title", "post-title",
/// "headline"), not the site's, a section's or a widget's.
fn is_title_class(e: &crate::dom::Element) -> bool {
    let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
    (class.contains("title") || class.contains("headline"))
        && ![
            "site",
            "section",
            "widget",
            "screen-reader",
            "sidebar",
            "footer",
            "logo",
        ]
        .iter()
        .any(|k| class.contains(k))
}

/// Whether an element's class or id names a date ("entry-date", "itemPostDate", "datum"),
/// not a change of it ("updated").
fn has_date_class(e: &crate::dom::Element) -> bool {
    let names = [e.attr("class"), e.attr("id")];
    names.into_iter().flatten().any(|n| {
        n.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| {
            let has = |k: &str| {
                t.as_bytes()
                    .windows(k.len())
                    .any(|w| w.eq_ignore_ascii_case(k.as_bytes()))
            };
            (has("date") && !has("update"))
                || has("datum")
                || ["published", "posted", "timestamp"]
                    .iter()
                    .any(|k| t.eq_ignore_ascii_case(k))
        })
    })
}

/// A short element whose text starts with a word that introduces the publication date
/// (`data/date_phrases.txt`: "Veröffentlicht am 06.10.2023") and holds one.
fn introduced_date(dom: &Dom, id: usize) -> Option<(String, String)> {
    let first = dom.children(id).next()?;
    if dom.element(first).is_some() {
        return None;
    }
    static PHRASES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        data_lines(include_str!("../data/date_phrases.txt"))
            .map(|p| p.trim().to_lowercase())
            .collect()
    });
    let lead = dom.text(first).trim_start();
    // Most text nodes fail on their first letter; only those that could match are lowered.
    let initial = lead.chars().next()?.to_lowercase().next()?;
    if !phrases.iter().any(|p| p.starts_with(initial)) {
        return None;
    }
    let head: String = lead.chars().take(16).flat_map(char::to_lowercase).collect();
    if !phrases.iter().any(|p| head.starts_with(p.as_str())) {
        return None;
    }
    let t = dom.text_of(id);
    if t.chars().count() > 120 {
        return None;
    }
    text_date(&t).map(|d| (d, format!("date line: {t}")))
}

/// `YYYY-MM-DD` from a URL path that holds the date ("/2014/05/18/slug", "/2014-05-18-slug").
pub fn url_date(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let segs: Vec<&str> = path.split('/').collect();
    for w in segs.windows(3) {
        let all_digits = w.iter().all(|s| s.bytes().all(|b| b.is_ascii_digit()));
        if all_digits && w[0].len() == 4 && w[1].len() <= 2 && w[2].len() <= 2 {
            if let Some(d) = normalise_date(&w.join("-")) {
                return Some(d);
            }
        }
    }
    segs.iter().find_map(|s| {
        let b = s.as_bytes();
        let iso = b.len() >= 10
            && b[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if iso {
            normalise_date(&s[..10])
        } else {
            None
        }
    })
}

/// The month a written-out name stands for (`data/months.txt`), 1–12.
fn month_number(word: &str) -> Option<u32> {
    static MONTHS: std::sync::OnceLock<Vec<(String, u32)>> = std::sync::OnceLock::new();
    let months = MONTHS.get_or_init(|| {
        data_lines(include_str!("../data/months.txt"))
            .flat_map(|line| {
                let mut parts = line.split_whitespace();
                let n: u32 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                parts.map(move |f| (f.to_string(), n)).collect::<Vec<_>>()
            })
            .filter(|(_, n)| (1..=12).contains(n))
            .collect()
    });
    if word.len() < 3 {
        return None;
    }
    let w = word.trim_end_matches('.').to_lowercase();
    months.iter().find(|(f, _)| *f == w).map(|(_, n)| *n)
}

/// The first date written in a text: "06.10.2023", "2023-10-06", "6. August 2009",
/// "August 6, 2009", "5 Nov 2021". Numeric day-month order only where it cannot be a US
/// month-day ("06/10/2023" is not read).
pub fn text_date(text: &str) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok<'a> {
        Num(&'a str),
        Word(&'a str),
        Sep(char),
    }
    let mut toks = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_ascii_digit() {
            let n = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            toks.push(Tok::Num(&rest[..n]));
            n
        } else if c.is_alphabetic() {
            let n = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            toks.push(Tok::Word(&rest[..n]));
            n
        } else {
            if !c.is_whitespace() {
                toks.push(Tok::Sep(c));
            }
            c.len_utf8()
        };
        rest = &rest[len..];
        if toks.len() > 400 {
            break;
        }
    }
    let num = |t: Option<&Tok>, max_len: usize| match t {
        Some(Tok::Num(n)) if n.len() <= max_len => n.parse::<u32>().ok(),
        _ => None,
    };
    let year = |t: Option<&Tok>| match t {
        Some(Tok::Num(n)) if n.len() == 4 => n.parse::<u32>().ok(),
        _ => None,
    };
    let valid = |y: u32, mo: u32, d: u32| {
        ((1990..=2100).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{mo:02}-{d:02}"))
    };
    for i in 0..toks.len() {
        let at = |k: usize| toks.get(i + k);
        // 06.10.2023 / 2023-10-06
        if let (Some(d), Some(Tok::Sep('.')), Some(mo), Some(Tok::Sep('.')), Some(y)) =
            (num(at(0), 2), at(1), num(at(2), 2), at(3), year(at(4)))
        {
            if let Some(out) = valid(y, mo, d) {
                return Some(out);
            }
        }
        if let (Some(y), Some(Tok::Sep('-')), Some(mo), Some(Tok::Sep('-')), Some(d)) =
            (year(at(0)), at(1), num(at(2), 2), at(3), num(at(4), 2))
        {
            if let Some(out) = valid(y, mo, d) {
                return Some(out);
            }
        }
        // 6. August 2009 / 6 August 2009
        if let Some(d) = num(at(0), 2) {
            let mut k = 1;
            if at(k) == Some(&Tok::Sep('.')) {
                k += 1;
            }
            if let Some(Tok::Word(w)) = at(k) {
                if let Some(mo) = month_number(w) {
                    k += 1;
                    if at(k) == Some(&Tok::Sep('.')) {
                        k += 1;
                    }
                    if let Some(out) = year(at(k)).and_then(|y| valid(y, mo, d)) {
                        return Some(out);
                    }
                }
            }
        }
        // August 6, 2009 / Aug. 6th 2009
        if let Some(Tok::Word(w)) = at(0) {
            if let Some(mo) = month_number(w) {
                let mut k = 1;
                if at(k) == Some(&Tok::Sep('.')) {
                    k += 1;
                }
                if let Some(d) = num(at(k), 2) {
                    k += 1;
                    if matches!(at(k), Some(Tok::Word("st" | "nd" | "rd" | "th"))) {
                        k += 1;
                    }
                    if at(k) == Some(&Tok::Sep(',')) {
                        k += 1;
                    }
                    if let Some(out) = year(at(k)).and_then(|y| valid(y, mo, d)) {
                        return Some(out);
                    }
                }
            }
        }
    }
    None
}

/// Class names of the element that holds an author's name.
/// A commenter's name ("comment-author", "reply-author") is not the article's author.
fn is_byline_class(class: &str) -> bool {
    let tokens = || class.split(|c: char| !c.is_ascii_alphanumeric());
    tokens().any(|t| {
        ["author", "byline", "autor", "autorin", "verfasser"]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
    }) && !is_byline_class_excluded(class)
}

/// Classes of comment threads and forms, whose names are commenters, not authors.
fn is_byline_class_excluded(class: &str) -> bool {
    class.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| {
        ["comment", "comments", "reply", "respond", "form", "avatar"]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
    })
}

/// A link to a blog's author archive: a path segment `author`/`autor` followed by a name.
pub(crate) fn is_author_archive(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    while let Some(seg) = segments.next() {
        if ["author", "autor", "autoren", "authors"]
            .iter()
            .any(|a| seg.eq_ignore_ascii_case(a))
        {
            return segments.next().is_some();
        }
    }
    false
}

fn read_json_ld(v: &Value, m: &mut PageMeta, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                read_json_ld(item, m, depth + 1);
            }
        }
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                read_json_ld(graph, m, depth + 1);
            }
            let kind = match map.get("@type") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            let is_article = kind.contains("Article")
                || kind.contains("BlogPosting")
                || kind.contains("Report")
                || map.contains_key("articleBody");
            if !is_article {
                return;
            }
            if m.published.is_none() {
                if let Some(d) = map
                    .get("datePublished")
                    .and_then(Value::as_str)
                    .and_then(normalise_date)
                {
                    m.published = Some((d, "JSON-LD datePublished".into()));
                }
            }
            if m.ld_headline.is_none() {
                if let Some(h) = map.get("headline").and_then(Value::as_str) {
                    m.ld_headline = Some(collapse_ws(h));
                }
            }
            if m.authors.is_empty() {
                if let Some(a) = map.get("author") {
                    json_names(a, &mut m.authors, 0);
                }
            }
            if m.site_name.is_none() {
                if let Some(p) = map.get("publisher") {
                    let mut names = Vec::new();
                    json_names(p, &mut names, 0);
                    m.site_name = names.into_iter().next();
                }
            }
            if m.ld_body.is_none() {
                if let Some(b) = map.get("articleBody").and_then(Value::as_str) {
                    m.ld_body = Some(b.to_string());
                }
            }
        }
        _ => {}
    }
}

fn json_names(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::String(s) => out.push(collapse_ws(s)),
        Value::Array(items) => items.iter().for_each(|i| json_names(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(Value::String(n)) = map.get("name") {
                out.push(collapse_ws(n));
            }
        }
        _ => {}
    }
}

fn data_lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Strips byline words ("Von", "By"), splits lists of names, drops URLs and duplicates.
pub fn clean_authors(raw: Vec<String>) -> Vec<String> {
    let prefixes: Vec<String> = data_lines(include_str!("../data/bylines.txt"))
        .map(|l| l.trim().to_lowercase())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for a in raw {
        let mut s = collapse_ws(&a);
        loop {
            let lower = s.to_lowercase();
            // A label glued to the name by markup ("Veröffentlicht vonChris Jung") counts
            // when a capital letter follows it.
            let hit = prefixes.iter().find(|p| {
                lower.starts_with(p.as_str())
                    && (p.ends_with(':')
                        || lower[p.len()..].starts_with(' ')
                        || lower[p.len()..].is_empty()
                        || s[p.len()..].starts_with(|c: char| c.is_uppercase()))
            });
            match hit {
                Some(p) => s = s[p.len()..].trim().to_string(),
                None => break,
            }
        }
        for part in s.split([',', ';', '|', '/']).flat_map(|p| {
            p.split(" und ")
                .flat_map(|q| q.split(" and "))
                .flat_map(|q| q.split(" & "))
        }) {
            let name = part.trim().trim_matches(|c: char| !c.is_alphanumeric());
            let words = name.split_whitespace().count();
            let lower = name.to_lowercase();
            // Not a name: a host ("example.de"), a form label ("Name (erforderlich)"), a
            // label without its name ("Artikel von", "Publiziert am").
            let host = !name.contains(' ') && name.contains('.');
            let label_only = prefixes.iter().any(|p| p.trim_end_matches(':') == lower)
                || lower
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| ["am", "von", "by", "on", "um"].contains(&w));
            if name.is_empty()
                || name.contains("http")
                || name.contains('@')
                || name.contains('(')
                || host
                || label_only
                || words > 5
                || name.chars().count() < 3
            {
                continue;
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(name)) {
                out.push(name.to_string());
            }
        }
    }
    out.truncate(8);
    out
}

/// `YYYY-MM-DD` from an ISO date or timestamp, `YYYY/MM/DD`, `DD.MM.YYYY` or `YYYYMMDD`.
pub fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let valid = |y: u32, mo: u32, d: u32| -> Option<String> {
        ((1900..=2100).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{mo:02}-{d:02}"))
    };
    match nums.as_slice() {
        [y, mo, d, ..] if y.len() == 4 => valid(y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?),
        [d, mo, y, ..] if y.len() == 4 && d.len() <= 2 => {
            valid(y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?)
        }
        [ymd, ..] if ymd.len() == 8 => valid(
            ymd[0..4].parse().ok()?,
            ymd[4..6].parse().ok()?,
            ymd[6..8].parse().ok()?,
        ),
        _ => None,
    }
}

/// The text of the first `<h1>` in the page that has any.
pub fn first_h1(dom: &Dom) -> Option<(usize, String)> {
    dom.elements()
        .filter(|(_, e)| e.tag == "h1")
        .map(|(id, _)| (id, dom.text_of(id)))
        .find(|(_, t)| !t.is_empty())
}

/// What names the site rather than an article: its declared name (og:site_name), the labels
/// of its host (from og:url or the canonical link: "www.seelenradio.de" → "seelenradio"), and
/// the page's `<title>`. Titles are split at the separators of `data/title_separators.txt`.
#[derive(Debug, Default)]
pub struct SiteNames<'a> {
    pub site: Option<&'a str>,
    pub host_labels: Vec<String>,
    pub page_title: Option<&'a str>,
}

/// Letters and digits only, lower case: "evang.at" and "Evang AT" are one key.
fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl<'a> SiteNames<'a> {
    pub fn of(page: &'a PageMeta) -> SiteNames<'a> {
        let host_labels = page
            .url
            .iter()
            .chain(&page.canonical)
            .find_map(|u| {
                let host = u.split("://").nth(1)?.split(['/', ':', '?', '#']).next()?;
                let labels: Vec<&str> = host.split('.').collect();
                // Every label but the top-level domain and "www".
                let keep = labels.len().saturating_sub(1);
                Some(
                    labels[..keep]
                        .iter()
                        .filter(|l| !l.eq_ignore_ascii_case("www") && l.len() >= 4)
                        .map(|l| name_key(l))
                        .collect::<Vec<_>>(),
                )
            })
            .unwrap_or_default();
        SiteNames {
            site: page.site_name.as_deref(),
            host_labels,
            page_title: page.title.as_deref(),
        }
    }

    /// Whether a title, or one side of a title's split, is the site's name: the declared
    /// name, a host ("Beige.de"), a side whose letters are a host label ("seelenradio",
    /// "evang.at"), or, with nothing else known, a short title-cased tail ("The Daily
    /// Example", never "so geht's!").
    fn names_site(&self, part: &str) -> bool {
        let k = name_key(part);
        if k.is_empty() {
            return true;
        }
        if self.site.is_some_and(|s| name_key(s) == k) {
            return true;
        }
        let t = part.trim();
        if !t.contains(' ') && t.contains('.') && !t.ends_with('.') {
            return true;
        }
        self.host_labels
            .iter()
            .any(|l| k == *l || (k.starts_with(l.as_str()) && k.len() <= l.len() + 4))
    }

    /// Removes the site's name from a title's start or end ("Title | Site", "Site » Title",
    /// "Site » Blog Archiv » Title"): the title splits at every separator, and parts that
    /// name the site go from either end, with what stands between them and the rest
    /// ("Blog Archiv" after the site's name).
    pub fn strip(&self, title: &str) -> String {
        let title = title.trim();
        // Byte ranges of the parts between separators.
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for sep in data_lines(include_str!("../data/title_separators.txt")) {
            cuts.extend(title.match_indices(sep).map(|(i, m)| (i, i + m.len())));
        }
        cuts.sort_unstable();
        cuts.dedup_by(|b, a| b.0 < a.1);
        if cuts.is_empty() {
            return title.to_string();
        }
        let mut parts = Vec::with_capacity(cuts.len() + 1);
        let mut at = 0;
        for &(start, end) in &cuts {
            parts.push((at, start));
            at = end;
        }
        parts.push((at, title.len()));
        let text = |(a, b): (usize, usize)| title[a..b].trim();
        let known = self.site.is_some() || !self.host_labels.is_empty();
        // The last part naming the site from the start, the first from the end.
        let n = parts.len();
        let lead = (0..3.min(n - 1))
            .rev()
            .find(|&i| self.names_site(text(parts[i])));
        let mut first = lead.map_or(0, |i| i + 1);
        let mut last = (n.saturating_sub(3).max(first + 1)..n)
            .find(|&i| self.names_site(text(parts[i])))
            .unwrap_or(n);
        if last == n && !known && n - first >= 2 {
            // Nothing known about the site: a short title-cased tail after a longer head
            // ("Storm hits coast - The Daily Example"), never "so geht's!" or "1945)".
            let tail = text(parts[n - 1]);
            let head = &title[parts[first].0..parts[n - 2].1];
            let title_cased = tail.split_whitespace().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            }) && tail.chars().any(char::is_alphabetic);
            if title_cased
                && tail.split_whitespace().count() <= 4
                && head.split_whitespace().count() >= 3
                && head.matches('(').count() == head.matches(')').count()
            {
                last = n - 1;
            }
        }
        if first >= last {
            first = 0;
            last = n;
        }
        title[parts[first].0..parts[last - 1].1]
            .trim()
            .trim_start_matches(['»', '›', '|', '·', '•'])
            .trim()
            .to_string()
    }

    /// The parts of a title between its separators.
    pub fn parts<'t>(&self, title: &'t str) -> Vec<&'t str> {
        let mut parts = vec![title];
        for sep in data_lines(include_str!("../data/title_separators.txt")) {
            parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
        }
        parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// Whether a whole title is the site's name ("Krimiblog-Archiv" on a page whose
    /// `<title>` is "Das Musikvideo der Welt : Krimiblog-Archiv | …"): the cases of
    /// `names_site`, or a part of the page title's split that is not its longest.
    pub fn is_site(&self, t: &str) -> bool {
        if self.names_site(t) {
            return true;
        }
        let k = name_key(t);
        let Some(title) = self.page_title else {
            return false;
        };
        let parts = self.parts(title);
        let longest = parts.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        parts.len() >= 2
            && parts
                .iter()
                .any(|p| name_key(p) == k && p.chars().count() < longest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_dates() {
        assert_eq!(text_date("am 25.08.2015 22:30"), Some("2015-08-25".into()));
        assert_eq!(text_date("6. August 2009 "), Some("2009-08-06".into()));
        assert_eq!(
            text_date("5. Nov. 2021, 10:39 Uhr"),
            Some("2021-11-05".into())
        );
        assert_eq!(
            text_date("Posted on March 3rd, 2021"),
            Some("2021-03-03".into())
        );
        assert_eq!(
            text_date("Stand 2023-10-06T03:46"),
            Some("2023-10-06".into())
        );
        assert_eq!(text_date("06/10/2023"), None);
        assert_eq!(text_date("Juli 2017"), None);
        assert_eq!(text_date("Mai 1. 2030 42 Leute"), None);
        assert_eq!(
            url_date("http://example.org/2014/05/18/alles-neu/"),
            Some("2014-05-18".into())
        );
        assert_eq!(
            url_date("https://x.de/news/2023-11-01-brand"),
            Some("2023-11-01".into())
        );
        assert_eq!(url_date("https://x.de/2017/07"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            normalise_date("2024-03-05T10:00:00+01:00"),
            Some("2024-03-05".into())
        );
        assert_eq!(normalise_date("05.03.2024"), Some("2024-03-05".into()));
        assert_eq!(normalise_date("2024/3/5"), Some("2024-03-05".into()));
        assert_eq!(normalise_date("20240305"), Some("2024-03-05".into()));
        assert_eq!(normalise_date("heute"), None);
        assert_eq!(normalise_date("2024-13-05"), None);
    }

    #[test]
    fn authors() {
        assert_eq!(
            clean_authors(vec!["Von Anna Beispiel und Jonas Muster".into()]),
            vec!["Anna Beispiel", "Jonas Muster"]
        );
        assert_eq!(
            clean_authors(vec!["By Jane Doe, John Roe".into(), "jane doe".into()]),
            vec!["Jane Doe", "John Roe"]
        );
    }

    #[test]
    fn authors_from_a_label_element_and_an_author_archive() {
        // The label "By" sits in its own author-classed span; the name follows in the next.
        let dom = crate::dom::Dom::parse(
            "<html><body><p><span class=\"meta-prep-author\">By </span><span class=\"author vcard\"><a href=\"/author/kim\">Kim Berg</a></span></p></body></html>",
        );
        assert_eq!(collect(&dom).authors, vec!["Kim Berg"]);
        // Only an author-archive link names the author.
        let dom = crate::dom::Dom::parse(
            "<html><body><article><p>Text.</p><a href=\"https://blog.example/autor/lena-hof/\">Lena Hof</a> <a href=\"/tag/autor\">Autor</a></article></body></html>",
        );
        assert_eq!(collect(&dom).authors, vec!["Lena Hof"]);
        assert!(!is_author_archive("/tag/autor"));
        assert!(is_author_archive("https://x.example/author/daniel/?ref=1"));
    }

    #[test]
    fn titles() {
        let named = SiteNames {
            site: Some("Tagesblatt"),
            ..SiteNames::default()
        };
        assert_eq!(
            named.strip("Flut im Tal: Helfer im Einsatz | Tagesblatt"),
            "Flut im Tal: Helfer im Einsatz"
        );
        let unknown = SiteNames::default();
        assert_eq!(
            unknown.strip("Storm hits coast - The Daily Example"),
            "Storm hits coast"
        );
        // A lower-case tail is the title's own.
        assert_eq!(
            unknown.strip("Einen Feed einbinden – so geht's!"),
            "Einen Feed einbinden – so geht's!"
        );
        let hosted = SiteNames {
            host_labels: vec!["seelenradio".into(), "evang".into()],
            page_title: Some("Nummer zwei: Leo : Seelenradio | Gegründet 2005"),
            ..SiteNames::default()
        };
        assert_eq!(
            hosted.strip("seelenradio » Nummer zwei: Leo"),
            "Nummer zwei: Leo"
        );
        assert_eq!(
            hosted.strip("Gottesdienste möglich › evang.at"),
            "Gottesdienste möglich"
        );
        assert!(hosted.is_site("Seelenradio"));
        assert!(hosted.is_site("Beige.de"));
        assert!(!hosted.is_site("Nummer zwei: Leo"));
    }
}
