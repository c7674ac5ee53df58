//! What counts as page furniture: tags, roles, hidden markers and class/id patterns
//! (data/classes.txt), matched with one Aho-Corasick pass per element.

use crate::dom::Element;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Strength {
    Strong,
    Medium,
    Weak,
    Positive,
    Lead,
    Kicker,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// Anywhere in the string.
    Substring,
    /// A whole token (bounded by non-alphanumerics on both sides).
    Whole,
    /// The start of a token.
    Prefix,
}

struct Pattern {
    text: String,
    strength: Strength,
    anchor: Anchor,
}

struct Patterns {
    all: Vec<Pattern>,
    automaton: AhoCorasick,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let mut strength = Strength::Strong;
        let mut all = Vec::new();
        for line in include_str!("../data/classes.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line {
                "[strong]" => strength = Strength::Strong,
                "[medium]" => strength = Strength::Medium,
                "[weak]" => strength = Strength::Weak,
                "[positive]" => strength = Strength::Positive,
                "[lead]" => strength = Strength::Lead,
                "[kicker]" => strength = Strength::Kicker,
                _ => {
                    let (anchor, text) = if let Some(w) = line.strip_prefix('=') {
                        (Anchor::Whole, w)
                    } else if let Some(w) = line.strip_prefix('^') {
                        (Anchor::Prefix, w)
                    } else {
                        (Anchor::Substring, line)
                    };
                    all.push(Pattern {
                        text: text.to_ascii_lowercase(),
                        strength,
                        anchor,
                    });
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(all.iter().map(|p| p.text.as_str()))
            .expect("class patterns compile");
        Patterns { all, automaton }
    })
}

/// What the class and id of an element say about it.
#[derive(Default, Clone, Copy, Debug)]
pub struct ClassSignal {
    /// The first strong furniture pattern that matched.
    pub strong: Option<&'static str>,
    pub medium: Option<&'static str>,
    pub weak: Option<&'static str>,
    pub positive: bool,
    /// Named like a lead ("standfirst", "intro") or a kicker ("Dachzeile").
    pub lead: bool,
    pub kicker: bool,
}

impl ClassSignal {
    /// Readability-style weight: +25 for article-like names, -25 for furniture-like ones.
    pub fn weight(&self) -> f32 {
        let mut w = 0.0;
        if self.positive {
            w += 25.0;
        }
        if self.strong.is_some() || self.medium.is_some() || self.weak.is_some() {
            w -= 25.0;
        }
        w
    }
}

pub fn class_signal(e: &Element) -> ClassSignal {
    let mut sig = ClassSignal::default();
    let class = e.attr("class").map(meaningful_classes).unwrap_or_default();
    let id = e.attr("id").unwrap_or("");
    if class.is_empty() && id.is_empty() {
        return sig;
    }
    let p = patterns();
    for hay in [class.as_ref(), id] {
        if hay.is_empty() {
            continue;
        }
        let bytes = hay.as_bytes();
        let boundary = |i: usize| bytes.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
        for m in p.automaton.find_overlapping_iter(hay) {
            let pat = &p.all[m.pattern().as_usize()];
            let starts = m.start() == 0 || boundary(m.start() - 1);
            let ok = match pat.anchor {
                Anchor::Substring => true,
                Anchor::Prefix => starts,
                Anchor::Whole => starts && boundary(m.end()),
            };
            if !ok {
                continue;
            }
            match pat.strength {
                Strength::Strong => {
                    sig.strong.get_or_insert(pat.text.as_str());
                }
                Strength::Medium => {
                    sig.medium.get_or_insert(pat.text.as_str());
                }
                Strength::Weak => {
                    sig.weak.get_or_insert(pat.text.as_str());
                }
                Strength::Positive => sig.positive = true,
                Strength::Lead => sig.lead = !hay.contains("leader"),
                Strength::Kicker => sig.kicker = true,
            }
        }
    }
    sig
}

/// The class names that say what an element is: without BEM modifiers (`block--modifier`),
/// behaviour hooks (`js-*`) and state flags (`has-*`, `is-*`).
fn meaningful_classes(class: &str) -> std::borrow::Cow<'_, str> {
    const IGNORED_PREFIXES: &[&str] = &[
        "js-",
        "has-",
        "is-",
        "category-",
        "tag-",
        "tags-",
        "topic-",
        "topics-",
        "post_tag-",
        "custom_",
        "format-",
        "status-",
    ];
    let ignored = |name: &str| {
        IGNORED_PREFIXES.iter().any(|p| {
            name.len() >= p.len() && name.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        })
    };
    if !class.contains("--") && !class.split_ascii_whitespace().any(ignored) {
        return std::borrow::Cow::Borrowed(class);
    }
    let mut out = String::new();
    for name in class.split_ascii_whitespace() {
        if ignored(name) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let base = lower.split("--").next().unwrap_or("");
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(base);
    }
    std::borrow::Cow::Owned(out)
}

/// Why an element is furniture, judged from the element alone (`None` when it may be content).
/// `bulk`: the element holds most of the page's text, so only reliable signs drop it.
pub fn furniture_reason(
    e: &Element,
    sig: &ClassSignal,
    in_article: bool,
    bulk: bool,
) -> Option<&'static str> {
    match e.tag {
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
        | "embed" | "canvas" | "video" | "audio" | "map" | "head" | "title" | "meta" | "link" => {
            return Some("non-text element")
        }
        "button" | "select" | "input" | "textarea" | "label" | "option" | "fieldset" | "dialog" => {
            return Some("form control")
        }
        "nav" | "menu" if !bulk => return Some("navigation"),
        "aside" if !bulk => return Some("aside"),
        "footer" if !bulk => return Some("footer"),
        "header" if !in_article && !bulk => return Some("page header"),
        _ => {}
    }
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Some("hidden");
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return Some("hidden");
        }
    }
    if let Some(role) = e.attr("role").filter(|_| !bulk) {
        match role.to_ascii_lowercase().as_str() {
            "navigation" | "menu" | "menubar" | "toolbar" | "search" => return Some("navigation"),
            "complementary" => return Some("aside"),
            "banner" if !in_article => return Some("page header"),
            "contentinfo" => return Some("footer"),
            "dialog" | "alertdialog" => return Some("dialog"),
            _ => {}
        }
    }
    if matches!(e.tag, "body" | "html") {
        return None;
    }
    if let Some(p) = sig.strong {
        return Some(reason_for(p));
    }
    if bulk {
        return None;
    }
    if let Some(p) = sig.medium {
        return Some(reason_for(p));
    }
    if let Some(p) = sig.weak {
        if !sig.positive {
            return Some(reason_for(p));
        }
    }
    None
}

/// Groups class patterns into the few reasons a reader would give.
fn reason_for(pattern: &str) -> &'static str {
    let groups: &[(&[&str], &str)] = &[
        (&["comment", "disqus"], "comments"),
        (
            &["share", "sharing", "social", "follow", "toolbar"],
            "share buttons",
        ),
        (
            &[
                "related",
                "recommend",
                "teaser",
                "most-read",
                "mostread",
                "meistgelesen",
                "weitere-artikel",
                "trending",
                "more",
            ],
            "related links",
        ),
        (
            &[
                "advert", "ad", "ads", "ad-", "adv", "anzeige", "werbung", "sponsor", "outbrain",
                "taboola", "plista", "promo", "banner", "shop",
            ],
            "advertising",
        ),
        (&["cookie", "consent", "gdpr"], "cookie banner"),
        (
            &[
                "newsletter",
                "subscribe",
                "signup",
                "login",
                "paywall-teaser",
            ],
            "sign-up box",
        ),
        (
            &[
                "breadcrumb",
                "pagination",
                "pager",
                "navbar",
                "navigation",
                "nav",
                "nav-",
                "menu",
                "skip",
            ],
            "navigation",
        ),
        (&["footer", "legal", "copyright"], "footer"),
        (&["header", "masthead"], "page header"),
        (
            &[
                "byline",
                "author",
                "author-bio",
                "authorbio",
                "date",
                "meta",
                "metadata",
            ],
            "byline and meta line",
        ),
        (
            &[
                "sr-only",
                "visually-hidden",
                "screen-reader",
                "visuallyhidden",
                "hidden",
                "offscreen",
                "print-only",
            ],
            "hidden",
        ),
    ];
    groups
        .iter()
        .find(|(ps, _)| ps.contains(&pattern))
        .map_or("furniture", |(_, r)| *r)
}
