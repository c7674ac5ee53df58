//! The faults issue 10 found in page dumps, on small HTML pages written for these tests: the
//! headline wherever the page marks it (og:title with the site's name, JSON-LD, `<h1>` with a
//! kicker inside), the date from JSON-LD or `<time datetime>` (not a today-date bar), credits by
//! class, promo and subscription boxes never taken for text.

use crate::extract;

fn page(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html lang=\"en\"><head>{head}</head><body>{body}</body></html>")
}

const PARAS: &str = "<p>The council voted on Tuesday evening to close the old bridge to heavy \
    traffic for at least three months while engineers examine the cracks.</p>\
    <p>Commuters will have to use the ring road, which adds up to twenty minutes to a trip \
    into the centre, a spokesman said.</p>";

#[test]
fn headline_from_og_title_without_the_site_name() {
    let html = page(
        "<title>Bridge closed to lorries | The Daily Example</title>\
         <meta property=\"og:site_name\" content=\"The Daily Example\">\
         <meta property=\"og:title\" content=\"Bridge closed to lorries | The Daily Example\">",
        &format!("<article><h1>Bridge closed to lorries</h1>{PARAS}</article>"),
    );
    let a = extract(&html, None);
    assert_eq!(a.headline.as_deref(), Some("Bridge closed to lorries"));
}

#[test]
fn headline_from_json_ld_and_date_from_date_published() {
    let html = page(
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\
         \"headline\":\"Bridge closed to lorries\",\"datePublished\":\"2023-03-09T08:46:00-05:00\"}\
         </script>",
        &format!("<div class=\"today\">Thursday, February 5, 2026</div><article>{PARAS}</article>"),
    );
    let a = extract(&html, None);
    assert_eq!(a.headline.as_deref(), Some("Bridge closed to lorries"));
    assert_eq!(a.published.as_deref(), Some("2023-03-09"));
    let text = a.paragraphs.join("\n");
    assert!(!text.contains("February 5, 2026"), "{text}");
}

#[test]
fn date_from_time_datetime() {
    let html = page(
        "<title>Bridge closed to lorries</title>",
        &format!(
            "<article><h1>Bridge closed to lorries</h1>\
             <p class=\"meta\"><time datetime=\"2019-04-29T12:24:00+02:00\">29 April 2019</time></p>\
             {PARAS}</article>"
        ),
    );
    let a = extract(&html, None);
    assert_eq!(a.published.as_deref(), Some("2019-04-29"));
    assert!(a
        .published_evidence
        .as_deref()
        .is_some_and(|e| e.contains("time")));
}

#[test]
fn credit_by_class_goes_to_the_caption_not_the_text() {
    let html = page(
        "<title>Bridge closed to lorries</title>",
        &format!(
            "<article><h1>Bridge closed to lorries</h1>\
             <figure><img src=\"b.jpg\"><figcaption>The old bridge on Tuesday. \
             <span class=\"credit\">Photo: Jane Roe/AP</span></figcaption></figure>\
             {PARAS}</article>"
        ),
    );
    let a = extract(&html, None);
    assert_eq!(a.captions.len(), 1, "{:?}", a.captions);
    assert_eq!(a.captions[0].text, "The old bridge on Tuesday.");
    assert!(a.captions[0]
        .credit
        .as_deref()
        .is_some_and(|c| c.contains("Jane Roe")));
    let text = a.paragraphs.join("\n");
    assert!(!text.contains("Jane Roe"), "{text}");
}

#[test]
fn subscription_box_is_neither_headline_nor_text() {
    let html = page(
        "<title>Bridge closed to lorries</title>",
        &format!(
            "<div class=\"paywall-promo\"><h2>Subscribe now</h2><p>Get unlimited access for \
             one pound a week.</p></div>\
             <article><h1>Bridge closed to lorries</h1>{PARAS}</article>"
        ),
    );
    let a = extract(&html, None);
    assert_eq!(a.headline.as_deref(), Some("Bridge closed to lorries"));
    let text = a.paragraphs.join("\n");
    assert!(!text.contains("unlimited access"), "{text}");
    assert!(!text.contains("Subscribe"), "{text}");
}
