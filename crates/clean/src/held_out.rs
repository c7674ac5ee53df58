//! Headline and date on real page dumps of outlets the line model never saw.
//!
//! `../shared/data/clustering/dev.jsonl.gz` holds page dumps (stored web-corpus excerpts,
//! furniture included) of news outlets, each with the page's `title` and, on some, its
//! `published` date. They are not labelled line by line, so only two of the measures
//! can be taken on them: whether the cleaner's headline is the title, and whether its
//! publication date is the page's. Pages of outlets (or publisher families) that the line model
//! was trained on (`pagedumps/dev.jsonl`) are left out, so the figure is one of the bar's
//! "outlets neither the tests nor the dev set have seen". Nothing is tuned on these pages.

use crate::eval::DevPage;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One page dump with the title and date its source gives.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct TitledPage {
    pub id: String,
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub language: String,
    /// `YYYY-MM-DD`, or absent / `"None"`.
    #[serde(default)]
    pub published: Option<String>,
    /// Absent on some pages: they are not counted.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: String,
}

/// Reads a JSON-lines file of [`TitledPage`]s, gzipped or not.
pub fn read_titled(path: &Path) -> Result<Vec<TitledPage>, String> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_string(&mut s)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        s
    } else {
        String::from_utf8(raw).map_err(|e| format!("{}: {e}", path.display()))?
    };
    crate::eval::parse_jsonl(&text, path)
}

/// Counts per language.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TitledTally {
    pub pages: usize,
    /// Our headline equals the title (case, quotes, dashes and spaces folded).
    pub headline_exact: usize,
    /// Our headline holds ≥ 80 % of the title's words and adds ≤ 20 % others.
    pub headline_close: usize,
    pub headline_none: usize,
    /// Pages with a date; ours the same day; ours another; none.
    pub dates: usize,
    pub date_right: usize,
    pub date_wrong: usize,
}

/// The held-out measure: per language, and the pages left out because the model saw their
/// outlet or family.
#[derive(Debug, Default, Clone)]
pub struct TitledReport {
    pub by_language: BTreeMap<String, TitledTally>,
    pub left_out: usize,
    /// (id, title, ours) of each page whose headline is not the title.
    pub misses: Vec<(String, String, String)>,
}

fn host(outlet: &str) -> &str {
    outlet.trim().trim_start_matches("www.")
}

/// Lower case, typographic quotes and dashes folded, spaces collapsed.
fn fold(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '„' | '“' | '”' | '«' | '»' => '"',
            '‚' | '‘' | '’' | '‹' | '›' => '\'',
            '–' | '—' | '−' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> Vec<String> {
    let mut w: Vec<String> = fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    w.sort();
    w.dedup();
    w
}

/// Cleans each page that no training page shares an outlet or family with, and scores its
/// headline and date.
pub fn score_titled(pages: &[TitledPage], seen: &[DevPage]) -> TitledReport {
    score_titled_with(
        pages,
        seen,
        crate::classes::embedded_model(),
        crate::classes::SHIPPED,
    )
}

/// [`score_titled`] with a given model (one trained in-process on the dev pages, for
/// iterating without rebuilding the embedded model).
pub fn score_titled_with(
    pages: &[TitledPage],
    seen: &[DevPage],
    model: &crate::model::Model,
    decider: crate::classes::Decider,
) -> TitledReport {
    let seen_outlets: Vec<&str> = seen.iter().map(|p| host(&p.outlet)).collect();
    let seen_families: Vec<&str> = seen.iter().map(DevPage::family).collect();
    let mut report = TitledReport::default();
    for page in pages {
        let Some(title) = page.title.as_deref().filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let outlet = host(&page.outlet);
        let family = DevPage {
            outlet: outlet.to_string(),
            ..DevPage::default()
        };
        if seen_outlets.contains(&outlet) || seen_families.contains(&family.family()) {
            report.left_out += 1;
            continue;
        }
        let article = crate::clean_with(&page.text, model, decider);
        let tally = report.by_language.entry(page.language.clone()).or_default();
        tally.pages += 1;
        let ours = article.headline.clone().unwrap_or_default();
        if ours.is_empty() {
            tally.headline_none += 1;
        } else if fold(&ours) == fold(title) {
            tally.headline_exact += 1;
        } else {
            let (gold, pred) = (words(title), words(&ours));
            let shared = pred.iter().filter(|w| gold.contains(w)).count();
            if shared * 5 >= gold.len() * 4 && (pred.len() - shared) * 5 <= pred.len() {
                tally.headline_close += 1;
            }
        }
        if fold(&ours) != fold(title) {
            report
                .misses
                .push((page.id.clone(), title.to_string(), ours));
        }
        let date = page
            .published
            .as_deref()
            .filter(|d| d.len() >= 10 && d.as_bytes()[4] == b'-');
        if let Some(day) = date.and_then(|d| d.get(..10)) {
            tally.dates += 1;
            match article.published.as_deref().and_then(|d| d.get(..10)) {
                Some(ours) if ours == day => tally.date_right += 1,
                Some(_) => tally.date_wrong += 1,
                None => {}
            }
        }
    }
    report
}

/// The report as printed by `dossier eval clean --titled`.
pub fn print_titled(report: &TitledReport) -> String {
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    let mut out = format!(
        "held-out outlets (title/date only; {} pages of outlets or families in the training dumps left out)\n",
        report.left_out
    );
    let mut all = TitledTally::default();
    for (lang, t) in &report.by_language {
        all.pages += t.pages;
        all.headline_exact += t.headline_exact;
        all.headline_close += t.headline_close;
        all.headline_none += t.headline_none;
        all.dates += t.dates;
        all.date_right += t.date_right;
        all.date_wrong += t.date_wrong;
        out.push_str(&line(lang, t, share));
    }
    out.push_str(&line("all", &all, share));
    out
}

fn line(lang: &str, t: &TitledTally, share: impl Fn(usize, usize) -> f64) -> String {
    format!(
        "  {lang:>3}: {} pages, headline = title {:.3} (close {:.3}, none {:.3}); {} with a date: same day {:.3}, other day {:.3}\n",
        t.pages,
        share(t.headline_exact, t.pages),
        share(t.headline_exact + t.headline_close, t.pages),
        share(t.headline_none, t.pages),
        t.dates,
        share(t.date_right, t.dates),
        share(t.date_wrong, t.dates)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_headline_and_date_and_leaves_out_seen_outlets() {
        let page = |id: &str, outlet: &str, title: &str| {
            TitledPage {
            id: id.into(),
            outlet: outlet.into(),
            language: "de".into(),
            published: Some("2024-05-06".into()),
            title: Some(title.into()),
            text: format!(
                "Startseite\n\n{title}\n\n06.05.2024, 08:15 Uhr\n\nDie Talbrücke bei Musterstadt bleibt wegen Rissen im Beton mindestens drei Monate gesperrt, teilte das Landesamt am Montag mit.\n\nDer Verkehr wird über zwei Landstraßen umgeleitet, was für Pendler bis zu zwanzig Minuten mehr Fahrzeit bedeutet.\n"
            ),
        }
        };
        let pages = vec![
            page(
                "a",
                "www.tagesblatt.example",
                "Brücke gesperrt: Pendler müssen umplanen",
            ),
            page("b", "msl24.de", "Brücke gesperrt: Pendler müssen umplanen"),
        ];
        let seen = vec![DevPage {
            outlet: "rosenheim24.de".into(),
            ..DevPage::default()
        }];
        let report = score_titled(&pages, &seen);
        // msl24.de shares the Ippen family with rosenheim24.de.
        assert_eq!(report.left_out, 1);
        let t = report.by_language["de"];
        assert_eq!(t.pages, 1);
        assert_eq!(t.dates, 1);
        assert!(t.headline_exact + t.headline_close + t.headline_none == 1);
        assert!(print_titled(&report).contains("all: 1 pages"));
    }
}
