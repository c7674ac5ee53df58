//! Wire datelines end to end: the place is a place, the agency an agency, and the dateline no
//! part of the first sentence's claim or speaker. The reports are written for these tests.

use dossier_core::Document;

fn analyze(text: &str) -> Document {
    let mut docs = dossier::analyze_bytes("t.txt", text.as_bytes(), &Default::default()).unwrap();
    let doc = docs.remove(0);
    doc.validate_spans().expect("valid spans");
    doc
}

fn place_entity<'a>(doc: &'a Document, name: &str) -> &'a dossier_core::Entity {
    doc.entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| doc.slice(m.span) == name))
        .unwrap_or_else(|| panic!("no entity {name} in {:?}", doc.entities))
}

#[test]
fn an_agency_dateline_is_place_agency_and_no_claim() {
    let doc = analyze(
        "Storms hit the coast\n\nHALIFAX, Canada (AP) — Strong winds cut power to thousands of homes on Sunday, officials said.\n\nRepairs would take days, the utility said.\n",
    );
    let d = doc.meta.dateline.as_ref().expect("a dateline");
    assert_eq!(d.place.text, "HALIFAX");
    assert!(doc.meta.agencies.contains(&"AP".to_string()));
    assert_eq!(place_entity(&doc, "HALIFAX").kind, "LOC");
    for a in &doc.attributions {
        assert!(
            a.claim.span[0] >= d.span[1],
            "claim in dateline: {:?}",
            a.claim
        );
        assert!(!a.claim.text.contains("HALIFAX"), "{:?}", a.claim);
    }
    assert!(
        doc.attributions
            .iter()
            .any(|a| a.claim.text.starts_with("Strong winds")),
        "{:?}",
        doc.attributions
    );
}

#[test]
fn a_full_stop_dateline_without_agency() {
    let doc = analyze(
        "Sparpaket im Landtag\n\nGRAZ. – Die Landesregierung will die Ausgaben senken, sagte der Finanzlandesrat am Dienstag.\n",
    );
    let d = doc.meta.dateline.as_ref().expect("a dateline");
    assert_eq!(d.place.text, "GRAZ");
    let graz = place_entity(&doc, "GRAZ");
    assert_eq!(graz.kind, "LOC");
    // The headline's last word and the dateline are two names, not one.
    assert!(graz
        .mentions
        .iter()
        .all(|m| !doc.slice(m.span).contains('\n')));
    for q in &doc.quotes {
        assert!(!q.content.contains("GRAZ"), "{:?}", q);
    }
}

#[test]
fn an_ordinary_opening_is_no_dateline() {
    let doc = analyze(
        "Reform geplant\n\nDie Regierung – so heißt es in Berlin – plant eine Reform der Rente.\n",
    );
    assert!(doc.meta.dateline.is_none(), "{:?}", doc.meta.dateline);
}

#[test]
fn a_dated_dateline_dates_the_report() {
    let doc = analyze(
        "Neues Gesetz\n\nLINZ, 4. Juni 2025 (APA) – Der Landtag hat am Mittwoch ein neues Baugesetz beschlossen. Die Abstimmung über den Haushalt folgt kommende Woche.\n",
    );
    let published = doc.meta.published.as_ref().expect("a date");
    assert_eq!(published.date, "2025-06-04");
    assert_eq!(published.origin, "metadata");
    assert!(
        published.evidence[0].contains("4. Juni 2025"),
        "{published:?}"
    );
    // Relative dates count from it.
    let next_week = doc
        .times
        .iter()
        .find(|t| t.text == "kommende Woche")
        .expect("a relative date");
    assert_eq!(next_week.value.as_deref(), Some("2025-W24"));
}
