//! Server-rendered SVG: the map, the chart of mentions over time, a story's timeline and the
//! graph of sources. Every text goes through maud's escaping; numbers are formatted here.

use crate::views::{Graph, Place, TimelineItem};
use maud::{html, Markup};

/// Country outlines (Natural Earth 1:110m, from the npm package `world-atlas`, compiled by
/// `web/build-map.mjs`): one line per country, `name TAB minx,miny,maxx,maxy TAB path`, in
/// degrees (x = longitude + 180, y = 90 − latitude).
pub const WORLD: &str = include_str!("../assets/world-110m.tsv");

struct Country<'a> {
    name: &'a str,
    bbox: [f64; 4],
    path: &'a str,
}

fn countries() -> impl Iterator<Item = Country<'static>> {
    WORLD.lines().filter_map(|l| {
        let mut parts = l.splitn(3, '\t');
        let name = parts.next()?;
        let b: Vec<f64> = parts
            .next()?
            .split(',')
            .filter_map(|x| x.parse().ok())
            .collect();
        let path = parts.next()?;
        (b.len() == 4).then(|| Country {
            name,
            bbox: [b[0], b[1], b[2], b[3]],
            path,
        })
    })
}

fn f(x: f64) -> String {
    format!("{:.2}", x)
}

/// A map of places: the countries around them and a point per place, its size by count.
pub fn map(places: &[Place]) -> Markup {
    let pts: Vec<(f64, f64, &Place)> = places
        .iter()
        .map(|p| (p.lon + 180.0, 90.0 - p.lat, p))
        .collect();
    // The view: the points' box with a margin, at least 8° wide, about 2:1, inside the world.
    let (mut x0, mut y0, mut x1, mut y1) = (0.0f64, 0.0f64, 360.0f64, 180.0f64);
    if !pts.is_empty() {
        x0 = pts.iter().map(|p| p.0).fold(f64::MAX, f64::min);
        x1 = pts.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        y0 = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        y1 = pts.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let mut w = ((x1 - x0) * 1.4).max(8.0);
        let mut h = ((y1 - y0) * 1.4).max(4.0);
        if w < h * 1.8 {
            w = h * 1.8;
        } else {
            h = w / 1.8;
        }
        w = w.min(360.0);
        h = h.min(180.0);
        x0 = (cx - w / 2.0).clamp(0.0, 360.0 - w);
        y0 = (cy - h / 2.0).clamp(0.0, 180.0 - h);
        x1 = x0 + w;
        y1 = y0 + h;
    }
    let w = x1 - x0;
    let r0 = w / 160.0;
    let font = w / 55.0;
    html! {
        svg.map xmlns="http://www.w3.org/2000/svg" viewBox=(format!("{} {} {} {}", f(x0), f(y0), f(w), f(y1 - y0)))
            role="img" aria-label="map of places" {
            rect.sea x="-360" y="-180" width="1080" height="540" {}
            @for c in countries().filter(|c| c.bbox[2] >= x0 && c.bbox[0] <= x1 && c.bbox[3] >= y0 && c.bbox[1] <= y1) {
                path.land d=(c.path) vector-effect="non-scaling-stroke" { title { (c.name) } }
            }
            @for (x, y, p) in &pts {
                g.pt data-geonames=(p.geonames) data-count=(p.documents) {
                    circle cx=(f(*x)) cy=(f(*y)) r=(f(r0 * (1.0 + (p.documents as f64).sqrt()))) {
                        title { (p.name) " — " (p.documents) " report" @if p.documents != 1 { "s" } }
                    }
                    text x=(f(*x + r0 * 1.6 * (1.0 + (p.documents as f64).sqrt()))) y=(f(*y + font / 3.0)) font-size=(f(font)) {
                        (p.name) " (" (p.documents) ")"
                    }
                }
            }
        }
    }
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (proleptic Gregorian).
pub fn day_number(d: &str) -> Option<i64> {
    if !crate::views::is_day(d) {
        return None;
    }
    let y: i64 = d[0..4].parse().ok()?;
    let m: i64 = d[5..7].parse().ok()?;
    let day: i64 = d[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Reports per day (per month when there are many days) as bars.
pub fn bars(series: &[(String, usize)]) -> Markup {
    let mut dated: Vec<(String, usize)> = series
        .iter()
        .filter(|(d, _)| crate::views::is_day(d))
        .cloned()
        .collect();
    let undated: usize = series
        .iter()
        .filter(|(d, _)| !crate::views::is_day(d))
        .map(|(_, n)| n)
        .sum();
    if dated.len() > 60 {
        let mut months: std::collections::BTreeMap<String, usize> = Default::default();
        for (d, n) in &dated {
            *months.entry(d[..7].to_string()).or_default() += n;
        }
        dated = months.into_iter().collect();
    }
    let max = dated.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64;
    let n = dated.len().max(1) as f64;
    let (w, h) = (600.0, 160.0);
    let bw = (w - 40.0) / n;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 190" role="img" aria-label="reports over time" {
            line.axis x1="30" y1=(f(h)) x2=(f(w - 10.0)) y2=(f(h)) {}
            text.label x="2" y="20" { (max as usize) }
            @for (i, (d, c)) in dated.iter().enumerate() {
                @let bh = (*c as f64 / max) * (h - 20.0);
                rect.bar x=(f(30.0 + i as f64 * bw + bw * 0.1)) y=(f(h - bh)) width=(f((bw * 0.8).max(0.5))) height=(f(bh)) data-day=(d) {
                    title { (d) ": " (c) }
                }
            }
            @if let Some((first, _)) = dated.first() { text.label x="30" y="180" { (first) } }
            @if dated.len() > 1 { @if let Some((last, _)) = dated.last() { text.label x=(f(w - 90.0)) y="180" { (last) } } }
            @if undated > 0 { text.label x="250" y="180" { "undated: " (undated) } }
        }
    }
}

/// A story's timeline: its reports, the days they name, its events, on one axis.
pub fn timeline(items: &[TimelineItem]) -> Markup {
    let days: Vec<i64> = items.iter().filter_map(|i| day_number(&i.date)).collect();
    let (lo, hi) = match (days.iter().min(), days.iter().max()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0, 0),
    };
    let span = ((hi - lo).max(1)) as f64;
    let (x0, w) = (90.0, 680.0);
    let rows = [
        ("report", "reports", 40.0),
        ("time", "days named", 80.0),
        ("event", "events", 120.0),
    ];
    let x = |d: &str| {
        day_number(d)
            .map(|n| x0 + (n - lo) as f64 / span * w)
            .unwrap_or(x0)
    };
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 170" role="img" aria-label="timeline" {
            @for (kind, label, y) in rows {
                text.label x="4" y=(f(y + 4.0)) { (label) }
                line.axis x1=(f(x0)) y1=(f(y)) x2=(f(x0 + w)) y2=(f(y)) {}
                @for it in items.iter().filter(|i| i.kind == kind) {
                    circle class=(format!("tl tl-{kind}")) cx=(f(x(&it.date))) cy=(f(y)) r="6" data-day=(it.date) {
                        title { (it.date) ": " (it.label) }
                    }
                }
            }
            @if let Some(first) = items.iter().min_by(|a, b| a.date.cmp(&b.date)) {
                text.label x=(f(x0)) y="160" { (first.date) }
            }
            @if let Some(last) = items.iter().max_by(|a, b| a.date.cmp(&b.date)) {
                @if hi > lo { text.label x=(f(x0 + w - 70.0)) y="160" { (last.date) } }
            }
        }
    }
}

/// The graph of sources: columns by depth, edges from left to right with their counts.
pub fn graph(g: &Graph) -> Markup {
    let depth_max = g.nodes.iter().map(|n| n.depth).max().unwrap_or(0).min(5);
    let mut per_col: Vec<Vec<usize>> = vec![Vec::new(); depth_max + 1];
    for n in g.nodes.iter().take(150) {
        per_col[n.depth.min(depth_max)].push(n.id);
    }
    let rows = per_col.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let (col_w, row_h) = (230.0, 34.0);
    let width = col_w * (depth_max + 1) as f64 + 20.0;
    let height = row_h * rows as f64 + 20.0;
    let mut pos = std::collections::HashMap::new();
    for (c, ids) in per_col.iter().enumerate() {
        for (r, id) in ids.iter().enumerate() {
            pos.insert(*id, (10.0 + c as f64 * col_w, 10.0 + r as f64 * row_h));
        }
    }
    let bw = col_w - 50.0;
    html! {
        svg.graph xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {} {}", f(width), f(height))) role="img" aria-label="who cites whom" {
            @for e in &g.edges {
                @if let (Some(a), Some(b)) = (pos.get(&e.from), pos.get(&e.to)) {
                    @let (x1, y1, x2, y2) = (a.0 + bw, a.1 + 12.0, b.0, b.1 + 12.0);
                    path.edge d=(format!("M{} {} C{} {} {} {} {} {}", f(x1), f(y1), f((x1 + x2) / 2.0), f(y1), f((x1 + x2) / 2.0), f(y2), f(x2), f(y2))) {
                        title { (e.count) }
                    }
                }
            }
            @for n in &g.nodes {
                @if let Some((x, y)) = pos.get(&n.id) {
                    g class=(format!("node node-{}", match n.kind.as_str() { "outlet" => "outlet", "agency" => "agency", _ => "source" })) {
                        rect x=(f(*x)) y=(f(*y)) width=(f(bw)) height="24" rx="4" {}
                        text x=(f(x + 6.0)) y=(f(y + 16.0)) { (n.label.chars().take(28).collect::<String>()) }
                        title { (n.kind) ": " (n.label) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-03-01"), Some(19783));
        assert_eq!(day_number("2024-13-01"), None);
        assert_eq!(day_number("x"), None);
    }

    #[test]
    fn world_has_countries() {
        let n = countries().count();
        assert!(n > 150, "{n} countries");
        assert!(countries().any(|c| c.name == "Germany"));
    }

    #[test]
    fn map_escapes_names_and_draws_points() {
        let p = Place {
            geonames: 1,
            name: "<script>x</script>".into(),
            lat: 52.5,
            lon: 13.4,
            documents: 3,
        };
        let s = map(&[p]).into_string();
        assert!(s.contains("&lt;script&gt;"));
        assert!(!s.contains("<script>"));
        assert!(s.contains("<circle"));
    }
}
