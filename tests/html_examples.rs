//! HTML extraction through the whole pipeline, on the example pages (`examples/*.html`), on
//! pages held out from tuning (`tests/data/unseen/*.html`, different layouts), and on the JSON
//! Lines example.

use dossier::analyze_bytes;
use dossier_core::Document;
use std::path::Path;

fn analyze(rel: &str) -> Vec<Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    analyze_bytes(rel, &bytes, &Default::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// What a reader expects of one news page.
struct Expect<'a> {
    file: &'a str,
    headline: &'a str,
    lead_starts: Option<&'a str>,
    first_body: &'a str,
    last_body: &'a str,
    published: &'a str,
    authors: &'a [&'a str],
    outlet: Option<&'a str>,
    caption: Option<(&'a str, &'a str)>,
    agencies: &'a [&'a str],
    /// Page furniture that must not reach `text`.
    absent: &'a [&'a str],
    subheadings: &'a [&'a str],
}

fn check(e: &Expect) {
    let mut docs = analyze(e.file);
    assert_eq!(docs.len(), 1, "{}", e.file);
    let doc = docs.remove(0);
    doc.validate_spans().unwrap();
    let f = e.file;
    assert_eq!(doc.source.format, "html", "{f}");
    assert_eq!(
        doc.meta.headline.as_ref().map(|h| h.text.as_str()),
        Some(e.headline),
        "{f}: headline"
    );
    if let Some(lead) = e.lead_starts {
        let got = doc
            .meta
            .lead
            .as_ref()
            .map(|l| l.text.as_str())
            .unwrap_or("");
        assert!(got.starts_with(lead), "{f}: lead {got:?}");
    }
    assert!(
        doc.text.contains(e.first_body),
        "{f}: first body sentence missing"
    );
    assert!(
        doc.text.contains(e.last_body),
        "{f}: last body sentence missing"
    );
    let tail = &doc.text[doc.text.len().saturating_sub(e.last_body.len() + 20)..];
    assert!(
        tail.contains(e.last_body),
        "{f}: text should end with the last body sentence, ends {tail:?}"
    );
    for word in e.absent {
        assert!(
            !doc.text.contains(word),
            "{f}: furniture {word:?} in text:\n{}",
            doc.text
        );
    }
    for sub in e.subheadings {
        assert!(
            doc.text.split("\n\n").any(|p| p == *sub),
            "{f}: subheading {sub:?} not a paragraph of its own"
        );
    }
    let published = doc.meta.published.as_ref().expect("published");
    assert_eq!(published.date, e.published, "{f}: date");
    assert!(!published.evidence.is_empty(), "{f}: date evidence");
    assert_eq!(doc.meta.authors, e.authors, "{f}: authors");
    assert_eq!(doc.meta.outlet.as_deref(), e.outlet, "{f}: outlet");
    assert_eq!(doc.meta.agencies, e.agencies, "{f}: agencies");
    if let Some((text, credit)) = e.caption {
        let found = doc
            .meta
            .captions
            .iter()
            .find(|c| c.text.starts_with(text))
            .unwrap_or_else(|| panic!("{f}: caption {text:?} in {:?}", doc.meta.captions));
        assert_eq!(found.credit.as_deref(), Some(credit), "{f}: caption credit");
        assert!(
            !doc.text.contains(text),
            "{f}: caption leaked into the body"
        );
    }
}

#[test]
fn german_example_page() {
    check(&Expect {
        file: "examples/de-stadtrat-haushalt.html",
        headline: "Stadtrat beschließt Sparhaushalt: Bäder bleiben offen",
        lead_starts: Some("Nach siebenstündiger Debatte hat der Stadtrat"),
        first_body: "Mit 31 zu 24 Stimmen bei drei Enthaltungen stimmte das Gremium",
        last_body: "Eine Entscheidung wird im Mai erwartet.",
        published: "2025-03-14",
        authors: &["Katrin Oldenburg"],
        outlet: Some("Weserkurier Nord"),
        caption: Some((
            "Das Freibad Nordheide war von der Schließung bedroht.",
            "Foto: Jens Wiegand",
        )),
        agencies: &[],
        absent: &[
            "Cookies",
            "Teilen",
            "Twittern",
            "Startseite",
            "Anzeige",
            "Mehr zum Thema",
            "Parkgebühren: Was Autofahrer",
            "Kommentare",
            "Meistgelesen",
            "Newsletter",
            "Impressum",
            "Alle Rechte vorbehalten",
            "Themen:",
        ],
        subheadings: &[
            "Protest vor dem Rathaus",
            "Opposition spricht von Schönfärberei",
        ],
    });
}

#[test]
fn english_example_page() {
    check(&Expect {
        file: "examples/en-harbour-strike.html",
        headline: "Dock workers walk out as pay talks collapse",
        lead_starts: Some("Cargo handling at Port Ellery came to a standstill"),
        first_body: "About 1,400 workers represented by the Harbour and Transport Union",
        last_body: "a spokesperson for the employment ministry confirmed.",
        published: "2025-06-03",
        authors: &["Priya Malhotra"],
        outlet: Some("The Coastal Herald"),
        caption: Some((
            "Container cranes stood idle at the eastern terminal",
            "Photograph: Tom Ashworth",
        )),
        agencies: &[],
        absent: &[
            "cookies",
            "Skip to main content",
            "Share on",
            "Copy link",
            "Freight rates fall",
            "Sign up for our morning briefing",
            "Most read",
            "Privacy policy",
            "Business correspondent",
        ],
        subheadings: &["Supply chains under strain"],
    });
}

#[test]
fn unseen_german_table_layout() {
    check(&Expect {
        file: "tests/data/unseen/de-magazin-tabellenlayout.html",
        headline: "Wasserstoffzug fährt erstmals im Regelbetrieb",
        lead_starts: Some("Seit Montag rollt auf der Strecke"),
        first_body: "Der Triebwagen ersetzt zwei ältere Dieselzüge",
        last_body: "Vor allem die geringe Lautstärke beim Anfahren fiel vielen auf. (epd)",
        published: "2024-11-08",
        authors: &["Felix Reuter", "Lea Sommerfeld"],
        outlet: None,
        caption: Some((
            "Der neue Triebwagen bei der Einfahrt",
            "Bild: Regionalbahn Bergland",
        )),
        agencies: &["epd"],
        absent: &[
            "Startseite",
            "Archiv",
            "Dossier:",
            "Anzeige",
            "Ferienwohnung",
            "Drucken",
            "Impressum",
        ],
        subheadings: &[],
    });
}

#[test]
fn unseen_english_blog_layout() {
    check(&Expect {
        file: "tests/data/unseen/en-blog-wordpress.html",
        headline: "Why our town finally voted for a four-day bin collection",
        lead_starts: None,
        first_body: "After three years of arguments, two consultations",
        last_body: "I will keep an eye on how the first weeks go and report back here.",
        published: "2024-09-21",
        authors: &["Daniel Okafor"],
        outlet: Some("Riverside Notes"),
        caption: None,
        agencies: &[],
        absent: &[
            "Skip to content",
            "Share this",
            "Related",
            "bus timetable",
            "Posted in",
            "Tagged",
            "thoughts on",
            "Leave a Reply",
            "Recent Posts",
            "Proudly powered",
        ],
        subheadings: &["What convinced the waverers"],
    });
}

#[test]
fn json_lines_example_gives_one_report_per_record() {
    let docs = analyze("examples/de-en-records.jsonl");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].source.name, "examples/de-en-records.jsonl:1");
    assert_eq!(docs[0].source.format, "jsonl");
    assert_eq!(
        docs[0].meta.headline.as_ref().map(|h| h.text.as_str()),
        Some("Umbau am Bahnhof verzögert sich")
    );
    assert!(docs[0].text.contains("Fußgängerbrücke"));
    assert!(!docs[0].text.contains("Beispielzeitung"));
    assert_eq!(
        docs[0].meta.published.as_ref().map(|p| p.date.as_str()),
        Some("2025-04-02")
    );
    assert_eq!(
        docs[0].source.url.as_deref(),
        Some("https://example.org/lokales/bahnhof-umbau")
    );
    assert_eq!(docs[1].source.name, "examples/de-en-records.jsonl:2");
    assert!(docs[1].text.contains("roof garden"));
    assert_eq!(
        docs[1].meta.published.as_ref().map(|p| p.date.as_str()),
        Some("2025-05-20")
    );
    assert_ne!(docs[0].id, docs[1].id);
}
