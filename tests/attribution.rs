//! The attribution stage through the whole pipeline: quotations, reported speech and chains on a
//! news text written for this test, and the bar on the seed article when `../shared` is present.

use dossier::{analyze_bytes, Options};

fn analyze(text: &str) -> dossier_core::Document {
    let mut docs =
        analyze_bytes("test.txt", text.as_bytes(), &Options::default()).expect("analysis succeeds");
    docs.remove(0)
}

#[test]
fn pipeline_fills_quotes_and_attributions() {
    let doc = analyze(
        "Stadtwerke erhöhen die Preise\n\n\
         Die Stadtwerke Neustadt wollen die Gaspreise im Winter deutlich anheben. Die Erhöhung sei \
         unvermeidlich, sagte Geschäftsführerin Maria Lenz am Donnerstag in Neustadt. Der Einkauf \
         habe sich im vergangenen Jahr verdoppelt.\n\n\
         „Wir geben nur weiter, was wir selbst bezahlen müssen“, sagte Lenz. Der Verbraucherverband \
         bestritt, dass die Kosten so stark gestiegen seien.\n\n\
         Nach Angaben des Statistikamts liegen die Preise bereits jetzt über dem Landesschnitt.",
    );
    doc.validate_spans().expect("valid spans");
    let direct = doc
        .quotes
        .iter()
        .find(|q| q.kind == "direct")
        .expect("a direct quote");
    assert!(direct.content.starts_with("Wir geben nur weiter"));
    assert!(direct
        .speaker_text
        .as_deref()
        .unwrap_or("")
        .contains("Lenz"));
    let continued = doc
        .attributions
        .iter()
        .find(|a| a.claim.text.starts_with("Der Einkauf habe"))
        .expect("the subjunctive sentence continues the report");
    assert!(continued.chain[0].text.contains("Maria Lenz"));
    let denied = doc
        .attributions
        .iter()
        .find(|a| a.claim.text.contains("Kosten"))
        .expect("a denial");
    assert_eq!(denied.stance, "denied");
    let official = doc
        .attributions
        .iter()
        .find(|a| a.claim.text.contains("Landesschnitt"))
        .expect("a source marker");
    assert_eq!(official.chain[0].text, "Statistikamts");
    let rendered = dossier::render::text_summary(&doc);
    assert!(rendered.contains("according to"), "{rendered}");
}

/// The seed's bar, checked on the real page dump (never copied into the project).
#[test]
fn seed_bar() {
    let Some(doc) = crate::seed::report() else {
        return;
    };
    let direct: Vec<_> = doc.quotes.iter().filter(|q| q.kind == "direct").collect();
    let speaker_of = |needle: &str| {
        direct
            .iter()
            .find(|q| q.content.contains(needle))
            .and_then(|q| q.speaker_text.clone())
            .unwrap_or_default()
    };
    assert!(speaker_of("Munition").contains("Kirby"));
    assert!(speaker_of("Ich bin sicher").contains("Putin"));
    assert!(speaker_of("gegenseitigem Interesse").contains("Medien"));
    let reported = |needle: &str| {
        doc.quotes
            .iter()
            .find(|q| q.kind != "direct" && q.content.contains(needle))
            .and_then(|q| q.speaker_text.clone())
            .unwrap_or_default()
    };
    assert!(reported("Lebensmittelhilfe").contains("Beamten"));
    assert!(reported("Schriftwechsel").contains("Kirby"));
    assert!(reported("gepanzerten Zug").contains("New York Times"));
    let trip = doc
        .attributions
        .iter()
        .find(|a| a.claim.text.contains("gepanzerten Zug"))
        .expect("the trip claim");
    assert_eq!(trip.chain.len(), 2, "{:?}", trip.chain);
    assert!(trip.chain[0].text.contains("New York Times"));
    assert!(trip.chain[1].text.contains("Quellen"));
    let toll = doc
        .attributions
        .iter()
        .find(|a| a.claim.text.contains("getötet worden sein"))
        .expect("the death toll");
    assert_eq!(toll.stance, "alleged");
}

/// A claim stated without source takes the source the next sentence gives when that sentence
/// continues it ("Dabei …, wie ein Sprecher sagte"); a sentence that does not continue keeps none.
#[test]
fn a_claim_takes_the_source_of_the_sentence_that_continues_it() {
    let doc = analyze(
        "Neuer Bahnhof\n\n\
         Die Stadt plant einen neuen Bahnhof. Dabei sollen vor allem Pendler profitieren, wie ein \
         Sprecher der Stadt sagte.\n\n\
         Der Rat will im Mai entscheiden. Die Kosten seien noch offen, sagte die Kämmerin.",
    );
    doc.validate_spans().expect("valid spans");
    let claim = |start: &str| {
        doc.attributions
            .iter()
            .find(|a| a.claim.text.starts_with(start))
            .unwrap_or_else(|| panic!("no claim {start}: {:?}", doc.attributions))
    };
    let planned = claim("Die Stadt plant");
    assert_eq!(planned.stance, "planned");
    assert!(planned.chain[0].text.contains("Sprecher"), "{planned:?}");
    assert!(planned.confidence < 1.0);
    // "Die Kosten …" does not open with a continuing word: "Der Rat will …" keeps no source.
    assert!(claim("Der Rat will").chain.is_empty());
}

/// Every quotation carries a confidence and, where the text names one, the words of its speaker.
#[test]
fn quotations_carry_confidence_and_speaker_words() {
    let doc = analyze(
        "Preise\n\nDer Verband der Stadtwerke kritisierte, die Preise seien viel zu hoch und die \
         Regierung habe zu lange gewartet.",
    );
    let q = doc.quotes.first().expect("the reported speech");
    assert!(q.confidence > 0.0 && q.confidence <= 1.0);
    let words = doc.slice(q.speaker_span.expect("speaker words"));
    assert!(words.contains("Verband der Stadtwerke"), "{words}");
}

/// The seed's opening claim gets the chain the next sentence gives it.
#[test]
fn seed_opening_claim_is_attributed() {
    let Some(doc) = crate::seed::report() else {
        return;
    };
    let opening = doc
        .attributions
        .iter()
        .find(|a| {
            a.claim
                .text
                .starts_with("Der nordkoreanische Staatschef Kim Jong-un plant")
        })
        .expect("the opening claim");
    assert_eq!(opening.stance, "planned");
    assert_eq!(opening.chain.len(), 2, "{:?}", opening.chain);
    assert!(opening.chain[0].text.contains("New York Times"));
    assert!(opening.chain[1].text.contains("Quellen"));
}
