//! `dossier eval clean`: the cleaner against the line-labelled page dumps of
//! `../shared/data/pagedumps/dev.jsonl`.
//!
//! Figures: line-label accuracy and per-label P/R/F1; headline exact match where the page has a
//! headline and "none invented" where it has none; furniture lines removed (recall); body lines
//! kept (recall) and the fewest kept on one page; date line read (`published` equal to the page's
//! date where the page shows one); all per language. The trained model is measured by
//! cross-validation over publisher families (every outlet of a template family in one fold, so a
//! model is never tested on a template it has seen); the rules-only baseline needs no folds.

use crate::baseline;
use crate::classes::{Decider, Label};
use crate::features::normalise_whitespace;
use crate::model::{self, Model, Settings};
use dossier_core::Article;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// One labelled page of `dev.jsonl`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DevPage {
    pub id: String,
    pub outlet: String,
    pub language: String,
    pub published: Option<String>,
    pub lines: Vec<DevLine>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DevLine {
    pub text: String,
    pub label: String,
    #[serde(default)]
    pub split: Option<Vec<(String, String)>>,
}

impl DevPage {
    /// The page text (lines joined with `\n`).
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Each raw line's dominant label.
    pub fn gold(&self) -> Vec<Label> {
        self.lines
            .iter()
            .map(|l| Label::from_name(&l.label).unwrap_or(Label::Furniture))
            .collect()
    }

    /// The page's publisher family (template family as the data set's README groups them, else
    /// the outlet).
    pub fn family(&self) -> &str {
        FAMILIES
            .iter()
            .find(|(_, outlets)| outlets.contains(&self.outlet.as_str()))
            .map_or(self.outlet.as_str(), |(f, _)| f)
    }
}

/// Template families of the data set's README (outlets that share a publisher's page template).
const FAMILIES: &[(&str, &[&str])] = &[
    (
        "ippen",
        &["msl24.de", "rosenheim24.de", "giessener-allgemeine.de"],
    ),
    ("funke", &["harzkurier.de", "abendblatt.de"]),
    (
        "nationalworld",
        &[
            "lep.co.uk",
            "yorkshireeveningpost.co.uk",
            "newsletter.co.uk",
        ],
    ),
    (
        "mediahuis-ie",
        &[
            "independent.ie",
            "sundayworld.com",
            "belfasttelegraph.co.uk",
        ],
    ),
    ("irishexaminer", &["irishexaminer.com", "echolive.ie"]),
    ("spiegel", &["spiegel.de", "bento.de"]),
    ("springer", &["bz-berlin.de", "techbook.de"]),
    ("nine", &["smh.com.au", "afr.com", "9news.com.au"]),
    ("russmedia-epaper", &["vn.at", "neue.at"]),
];

/// Reads `dev.jsonl`.
pub fn read_dev(path: &Path) -> Result<Vec<DevPage>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_jsonl(&text, path)
}

/// One JSON value per non-empty line; errors name the file and line.
pub fn parse_jsonl<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &Path,
) -> Result<Vec<T>, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The fold of each page: families ordered by a hash of their name, dealt round-robin.
pub fn folds(pages: &[DevPage], k: usize) -> Vec<usize> {
    family_folds(pages.iter().map(DevPage::family), k)
}

/// The fold of each of these families (in order): families ordered by a hash of their name,
/// dealt round-robin.
fn family_folds<'a>(of: impl Iterator<Item = &'a str>, k: usize) -> Vec<usize> {
    let page_families: Vec<&str> = of.collect();
    let mut families = page_families.clone();
    families.sort_unstable();
    families.dedup();
    families.sort_by_key(|f| (crate::features::hash(f), *f));
    let fold_of: BTreeMap<&str, usize> = families
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, i % k.max(1)))
        .collect();
    page_families.iter().map(|f| fold_of[f]).collect()
}

/// Trains a model on pages: the first pass on all of them, and the stacked second pass on the
/// first pass's output of each page by a first-pass model trained without the page's publisher
/// family (jackknife over `settings.stack_folds` folds of the training pages).
pub fn train_on(pages: &[&DevPage], settings: Settings) -> Model {
    let first = train_first(pages, settings);
    if settings.stack_folds < 2 {
        return first;
    }
    let k = settings.stack_folds;
    let fold = family_folds(pages.iter().map(|p| p.family()), k);
    let mut stacked: Vec<Option<model::TrainPage>> = (0..pages.len()).map(|_| None).collect();
    for f in 0..k {
        let rest: Vec<&DevPage> = pages
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(p, _)| *p)
            .collect();
        if rest.is_empty() {
            continue;
        }
        let inner = train_first(&rest, settings);
        for (i, p) in pages.iter().enumerate() {
            if fold[i] == f {
                stacked[i] = Some(crate::stacked_training_page(&p.text(), &p.gold(), &inner));
            }
        }
    }
    let stacked: Vec<model::TrainPage> = stacked.into_iter().flatten().collect();
    let second = model::train(&stacked, settings);
    first.with_second(second)
}

/// The first-pass model (line model and headline ranker) on pages.
fn train_first(pages: &[&DevPage], settings: Settings) -> Model {
    let train: Vec<model::TrainPage> = pages
        .iter()
        .map(|p| crate::training_page(&p.text(), &p.gold()))
        .collect();
    model::train(&train, settings)
}

/// What the cleaner made of a page: the article and one label per raw line.
pub struct Output {
    pub article: Article,
    pub labels: Vec<Label>,
}

/// The trained cleaner on a page.
pub fn run_model(page: &DevPage, model: &Model, decider: Decider) -> Output {
    let text = page.text();
    Output {
        article: crate::clean_with(&text, model, decider),
        labels: crate::label_raw_lines(&text, model, decider),
    }
}

/// The rules-only baseline on a page; its line labels are read back from the article.
pub fn run_baseline(page: &DevPage) -> Output {
    let article = baseline::clean(&page.text());
    let labels = labels_from_article(page, &article);
    Output { article, labels }
}

/// Cross-validated outputs of the trained cleaner, in page order.
pub fn cross_validate(
    pages: &[DevPage],
    k: usize,
    settings: Settings,
    decider: Decider,
) -> Vec<Output> {
    let fold = folds(pages, k);
    let mut out: Vec<Option<Output>> = (0..pages.len()).map(|_| None).collect();
    for f in 0..k {
        let train: Vec<&DevPage> = pages
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(p, _)| p)
            .collect();
        let model = train_on(&train, settings);
        for (i, p) in pages.iter().enumerate() {
            if fold[i] == f {
                out[i] = Some(run_model(p, &model, decider));
            }
        }
    }
    out.into_iter().flatten().collect()
}

/// Counts of one language (or all).
#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub lines: usize,
    pub lines_right: usize,
    /// Per label: (true positives, predicted, gold).
    pub per_label: BTreeMap<Label, (usize, usize, usize)>,
    pub headline_pages: usize,
    pub headline_right: usize,
    pub no_headline_pages: usize,
    pub no_headline_right: usize,
    pub furniture: usize,
    pub furniture_removed: usize,
    pub body: usize,
    pub body_kept: usize,
    pub date_pages: usize,
    pub date_right: usize,
    pub undated_pages: usize,
    pub date_invented: usize,
    pub pages: usize,
    /// Pages keeping < 95 % of their body lines, and the lowest share kept on one page.
    pub pages_losing_body: Vec<String>,
    pub min_body_kept: f64,
    pub warnings: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// The figures of every language and of each.
pub fn score(pages: &[DevPage], outputs: &[Output]) -> BTreeMap<String, Scores> {
    let mut all: BTreeMap<String, Scores> = BTreeMap::new();
    for (page, out) in pages.iter().zip(outputs) {
        for key in ["all".to_string(), page.language.clone()] {
            let s = all.entry(key).or_insert_with(|| Scores {
                min_body_kept: 1.0,
                ..Scores::default()
            });
            score_page(page, out, s);
        }
    }
    all
}

fn score_page(page: &DevPage, out: &Output, s: &mut Scores) {
    s.pages += 1;
    let gold = page.gold();
    for (g, p) in gold.iter().zip(&out.labels) {
        if *g == Label::Blank {
            continue;
        }
        s.lines += 1;
        s.lines_right += usize::from(g == p);
        s.per_label.entry(*g).or_default().2 += 1;
        if *p != Label::Blank {
            s.per_label.entry(*p).or_default().1 += 1;
        }
        if g == p {
            s.per_label.entry(*g).or_default().0 += 1;
        }
    }
    let kept = Kept::of(&out.article);
    let a = &out.article;
    s.warnings += a.warnings.len();
    match gold_part(page, Label::Headline) {
        Some(h) => {
            s.headline_pages += 1;
            let got = a.headline.as_deref().map(normalise_whitespace);
            s.headline_right += usize::from(got.as_deref() == Some(h.as_str()));
        }
        None => {
            s.no_headline_pages += 1;
            s.no_headline_right += usize::from(a.headline.is_none());
        }
    }
    let (mut body, mut body_kept) = (0, 0);
    for line in &page.lines {
        let t = normalise_whitespace(&line.text);
        match line.label.as_str() {
            "furniture" if !t.is_empty() => {
                s.furniture += 1;
                s.furniture_removed += usize::from(!kept.holds(&t));
            }
            "body" => {
                body += 1;
                body_kept += usize::from(body_held(line, &kept));
            }
            _ => {}
        }
    }
    s.body += body;
    s.body_kept += body_kept;
    if body > 0 {
        let share = body_kept as f64 / body as f64;
        s.min_body_kept = s.min_body_kept.min(share);
        if share < 0.95 {
            s.pages_losing_body
                .push(format!("{} ({body_kept}/{body})", page.id));
        }
    }
    let shows_date = page
        .lines
        .iter()
        .any(|l| l.label == "dateline_date" || part_text(l, "dateline_date").is_some());
    match (&page.published, shows_date) {
        (Some(date), true) => {
            s.date_pages += 1;
            s.date_right += usize::from(
                a.published
                    .as_deref()
                    .is_some_and(|p| p.starts_with(date.as_str())),
            );
        }
        (None, _) => {
            s.undated_pages += 1;
            s.date_invented += usize::from(a.published.is_some());
        }
        _ => {}
    }
}

/// The text of a line's part with `label` (the whole line when it is not split).
fn part_text(line: &DevLine, label: &str) -> Option<String> {
    match &line.split {
        Some(parts) => {
            let joined: String = parts
                .iter()
                .filter(|(l, _)| l == label)
                .map(|(_, t)| t.as_str())
                .collect();
            (!joined.trim().is_empty()).then(|| normalise_whitespace(&joined))
        }
        None => (line.label == label).then(|| normalise_whitespace(&line.text)),
    }
}

/// Whether the article keeps a body line: each of its body parts when it is split (the parts of
/// one line need not stand side by side: "body, subhead, body").
fn body_held(line: &DevLine, kept: &Kept) -> bool {
    match &line.split {
        Some(parts) => parts
            .iter()
            .filter(|(l, t)| l == "body" && !t.trim().is_empty())
            .all(|(_, t)| kept.holds(&normalise_whitespace(t))),
        None => kept.holds(&normalise_whitespace(&line.text)),
    }
}

/// The page's headline text (its first headline line or part).
fn gold_part(page: &DevPage, label: Label) -> Option<String> {
    page.lines.iter().find_map(|l| part_text(l, label.name()))
}

/// The article's text parts, for "is this line in the text?".
struct Kept {
    units: Vec<String>,
    set: HashSet<String>,
}

impl Kept {
    fn of(a: &Article) -> Self {
        let units: Vec<String> = a
            .kicker
            .iter()
            .chain(a.headline.iter())
            .chain(a.lead.iter())
            .chain(a.paragraphs.iter())
            .map(|s| normalise_whitespace(s))
            .collect();
        let set = units.iter().cloned().collect();
        Kept { units, set }
    }

    fn holds(&self, t: &str) -> bool {
        if self.set.contains(t) {
            return true;
        }
        let n = t.chars().count();
        self.units.iter().any(|u| {
            (n >= 25 && u.contains(t)) || (u.chars().count() >= 40 && t.contains(u.as_str()))
        })
    }
}

/// The line labels an article implies (for cleaners that give no labels, the baseline).
pub fn labels_from_article(page: &DevPage, a: &Article) -> Vec<Label> {
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    labels_of_lines(&texts, a)
}

/// The label an article implies for each of these lines.
pub(crate) fn labels_of_lines(lines: &[&str], a: &Article) -> Vec<Label> {
    let kept = Kept::of(a);
    lines
        .iter()
        .map(|l| {
            let t = normalise_whitespace(l);
            if t.is_empty() {
                return Label::Blank;
            }
            if a.kicker.as_deref() == Some(t.as_str()) {
                return Label::Kicker;
            }
            if a.headline.as_deref() == Some(t.as_str()) {
                return Label::Headline;
            }
            if a.lead.as_deref() == Some(t.as_str()) {
                return Label::Lead;
            }
            if kept.holds(&t) {
                let title = crate::features::is_title_like(&t) && t.chars().count() <= 120;
                return if title { Label::Subhead } else { Label::Body };
            }
            if let Some(c) = a
                .captions
                .iter()
                .find(|c| t.starts_with(c.text.as_str()) && !c.text.is_empty())
            {
                return if c.credit.is_some() && t != c.text {
                    Label::CaptionCredit
                } else {
                    Label::Caption
                };
            }
            match a
                .removed
                .iter()
                .find(|r| r.text == t)
                .map(|r| r.reason.as_str())
            {
                Some(r) if r.contains("byline") => Label::Byline,
                Some(r) if r.contains("agency") || r.contains("sign-off") => Label::Agency,
                Some(r) if r.contains("timestamp") => Label::DatelineDate,
                Some(r) if r.contains("credit") => Label::Credit,
                _ => Label::Furniture,
            }
        })
        .collect()
}

/// A readable report of the figures.
pub fn report(title: &str, scores: &BTreeMap<String, Scores>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== {title}");
    let _ = writeln!(
        out,
        "{:<5} {:>6} {:>8} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}",
        "lang",
        "pages",
        "line acc",
        "headline",
        "none inv",
        "furn rem",
        "body kept",
        "date",
        "min body"
    );
    for (lang, s) in scores {
        let _ = writeln!(
            out,
            "{:<5} {:>6} {:>8.3} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9.2}",
            lang,
            s.pages,
            ratio(s.lines_right, s.lines),
            frac(s.headline_right, s.headline_pages),
            frac(s.no_headline_right, s.no_headline_pages),
            frac(s.furniture_removed, s.furniture),
            frac(s.body_kept, s.body),
            frac(s.date_right, s.date_pages),
            s.min_body_kept,
        );
    }
    if let Some(s) = scores.get("all") {
        let _ = writeln!(
            out,
            "  dates invented on undated pages: {}/{}; pages keeping < 95 % of body lines: {} {}; warnings: {}",
            s.date_invented,
            s.undated_pages,
            s.pages_losing_body.len(),
            s.pages_losing_body.join(" "),
            s.warnings
        );
        let _ = writeln!(
            out,
            "  {:<15} {:>6} {:>6} {:>6} {:>5}",
            "label", "P", "R", "F1", "gold"
        );
        for (label, (tp, pred, gold)) in &s.per_label {
            let p = ratio(*tp, *pred);
            let r = ratio(*tp, *gold);
            let f = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            let _ = writeln!(
                out,
                "  {:<15} {:>6.3} {:>6.3} {:>6.3} {:>5}",
                label.name(),
                p,
                r,
                f,
                gold
            );
        }
    }
    out
}

fn frac(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.3}", a as f64 / b as f64)
    }
}

/// What went wrong on one page (headline, date, lost body lines), for `--verbose`.
pub fn page_diff(page: &DevPage, out: &Output) -> String {
    let mut s = String::new();
    let a = &out.article;
    let gold_h = gold_part(page, Label::Headline);
    let got_h = a.headline.as_deref().map(normalise_whitespace);
    if gold_h != got_h {
        let _ = writeln!(s, "{} headline: gold {:?} got {:?}", page.id, gold_h, got_h);
    }
    let shows_date = page
        .lines
        .iter()
        .any(|l| l.label == "dateline_date" || part_text(l, "dateline_date").is_some());
    if shows_date || a.published.is_some() {
        let right = match (&page.published, &a.published) {
            (Some(g), Some(p)) => p.starts_with(g.as_str()),
            (None, None) => true,
            _ => false,
        };
        if !right {
            let _ = writeln!(
                s,
                "{} date: gold {:?} got {:?} ({:?})",
                page.id, page.published, a.published, a.published_evidence
            );
        }
    }
    let kept = Kept::of(a);
    for (line, label) in page.lines.iter().zip(&out.labels) {
        let t = normalise_whitespace(&line.text);
        if line.label == "body" && !body_held(line, &kept) {
            let _ = writeln!(s, "{} lost body ({}): {:.90}", page.id, label.name(), t);
        }
        if line.label == "furniture" && !t.is_empty() && kept.holds(&t) {
            let _ = writeln!(
                s,
                "{} kept furniture ({}): {:.90}",
                page.id,
                label.name(),
                t
            );
        }
    }
    s
}
