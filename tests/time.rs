//! Time layer through the whole pipeline: an article of our own, and the seed when present.

use dossier::pipeline::{analyze_bytes, Options};

#[test]
fn inferred_date_and_weekdays_in_own_article() {
    // Written for this test. 40th anniversary of a 1983 founding → 2023; 20 March 2023 is a Monday.
    let text = "Verein feiert Jubiläum\n\n\
        Der Sportverein begeht in diesem Frühjahr den 40. Jahrestag der Gründung des Vereins. \
        Die Gründung des Vereins erfolgte 1983 in einer Gaststätte. \
        Die Vorsitzende sagte am Montag, man sei stolz auf die Jugendarbeit. \
        Am 4. März hatte der Vorstand getagt. \
        Vom 14. bis 16. April wird ein Turnier stattfinden, die Mannschaften wollen dort antreten.\n";
    let docs = analyze_bytes("verein.txt", text.as_bytes(), &Options::default()).expect("analysed");
    let doc = &docs[0];
    let published = doc.meta.published.as_ref().expect("an inferred date");
    assert_eq!(published.origin, "inferred");
    assert!(published.date.starts_with("2023-"), "{published:?}");
    assert!(!published.evidence.is_empty());
    let montag = doc
        .times
        .iter()
        .find(|t| t.text == "Montag")
        .expect("Montag tagged");
    assert!(montag
        .value
        .as_deref()
        .is_some_and(|v| v.starts_with("2023-")));
    doc.validate_spans().expect("valid spans");
}

#[test]
fn seed_bar() {
    let Some(doc) = crate::seed::report() else {
        return;
    };
    let published = doc.meta.published.as_ref().expect("an inferred date");
    assert_eq!(published.origin, "inferred");
    assert!(
        ["2023-09-04", "2023-09-05", "2023-09-06"].contains(&published.date.as_str()),
        "{published:?}"
    );
    let value_of = |text: &str| {
        doc.times
            .iter()
            .find(|t| t.text == text)
            .and_then(|t| t.value.clone())
            .unwrap_or_else(|| panic!("{text} not tagged: {:?}", doc.times))
    };
    assert_eq!(value_of("Montag"), "2023-09-04");
    assert_eq!(value_of("vergangenen Mittwoch"), "2023-08-30");
    assert_eq!(value_of("10."), "2023-09-10");
    assert_eq!(value_of("13. September"), "2023-09-13");
    assert_eq!(value_of("15. August"), "2023-08-15");
    assert_eq!(value_of("April 2019"), "2019-04");
}
