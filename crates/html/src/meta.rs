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
            if !name.is_empty() && name.chars().count() < 80 {
                byline_authors.push(name);
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
    let mut authors = std::mem::take(&mut m.authors);
    authors.extend(meta_authors);
    authors.extend(rel_authors);
    if authors.is_empty() {
        authors = byline_authors;
    }
    m.authors = clean_authors(authors);
    m
}

/// Class names of the element that holds an author's name.
fn is_byline_class(class: &str) -> bool {
    class.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| {
        ["author", "byline", "autor", "autorin", "verfasser"]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
    })
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
            let hit = prefixes.iter().find(|p| {
                lower.starts_with(p.as_str())
                    && (p.ends_with(':')
                        || lower[p.len()..].starts_with(' ')
                        || lower[p.len()..].is_empty())
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
            if name.is_empty()
                || name.contains("http")
                || name.contains('@')
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

/// Removes a site-name suffix or prefix ("Title | Site", "Site - Title").
pub fn strip_site(title: &str, site: Option<&str>) -> String {
    let mut best = title.trim().to_string();
    for sep in data_lines(include_str!("../data/title_separators.txt")) {
        if let Some(pos) = best.rfind(sep) {
            let (head, tail) = (&best[..pos], &best[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()))
                || tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3;
            let head_is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(head.trim()));
            if head_is_site {
                best = tail.trim().to_string();
            } else if tail_is_site {
                best = head.trim().to_string();
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn titles() {
        assert_eq!(
            strip_site(
                "Flut im Tal: Helfer im Einsatz | Tagesblatt",
                Some("Tagesblatt")
            ),
            "Flut im Tal: Helfer im Einsatz"
        );
        assert_eq!(
            strip_site("Storm hits coast - The Daily Example", None),
            "Storm hits coast"
        );
    }
}
