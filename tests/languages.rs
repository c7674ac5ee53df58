//! Languages without models: a report says which stages ran with which language's data, runs no
//! other language's model silently, and keeps only what holds in any language (quotations by
//! their marks, ISO and numeric dates, places the gazetteer knows by name, with lower confidence).
//! The pages are written for these tests.

use dossier_core::Document;

const FRENCH: &str = "Le Premier ministre présente son plan

Le Premier ministre lors d une conférence de presse à Matignon a annoncé le 12 mars 2024 un nouveau plan pour l'économie. « Nous devons agir maintenant », a-t-il déclaré devant les journalistes à Paris.

La réunion avec les partenaires européens aura lieu le 2024-04-15 à Bruxelles. Selon le ministre, la France soutient la proposition. Le sommet de Lyon est prévu pour le 03/05/2024.
";

const SPANISH: &str = "El Gobierno anuncia nuevas medidas contra la inflación

El presidente del Gobierno anunció el 12 de marzo de 2024 en Madrid un paquete de medidas económicas. «Tenemos que actuar ahora», dijo en una rueda de prensa.

Según fuentes del Ministerio de Economía, las medidas entrarán en vigor el 01/04/2024. Los socios de Portugal han expresado su apoyo. La próxima cumbre se celebrará en Barcelona el 2024-05-20.
";

fn analyze(name: &str, text: &str) -> Document {
    let mut docs = dossier::analyze_bytes(name, text.as_bytes(), &Default::default()).unwrap();
    let doc = docs.remove(0);
    doc.validate_spans().expect("valid spans");
    doc
}

fn stage<'a>(doc: &'a Document, name: &str) -> &'a dossier_core::StageRun {
    doc.meta
        .stages
        .iter()
        .find(|s| s.stage == name)
        .unwrap_or_else(|| panic!("no stage `{name}` in {:?}", doc.meta.stages))
}

fn check_honest(doc: &Document, lang: &str, places: &[&str], dates: &[&str], quote: &str) {
    assert_eq!(doc.language, lang);
    // No tagger of another language ran: only gazetteer places, each less sure than a tagger's.
    assert_eq!(stage(doc, "ner").language, "none");
    for e in &doc.entities {
        assert_eq!(e.kind, "LOC", "{lang}: entity from no model: {e:?}");
        assert!(e.confidence.is_some_and(|c| c < 1.0), "{e:?}");
    }
    let names: Vec<&str> = doc.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, places, "{lang}: places");
    assert!(doc.entities.iter().all(|e| e.geo.is_some()));
    // Only dates written alike in every language; "12 mars 2024" is not read as a bare 2024.
    assert_eq!(stage(doc, "time").language, "any");
    let values: Vec<&str> = doc
        .times
        .iter()
        .filter_map(|t| t.value.as_deref())
        .collect();
    assert_eq!(values, dates, "{lang}: dates");
    // The quotation by its marks, without a cue or speaker from another language's verbs.
    assert_eq!(stage(doc, "attribution").language, "any");
    assert_eq!(doc.quotes.len(), 1, "{lang}: {:?}", doc.quotes);
    assert_eq!(doc.quotes[0].content, quote);
    assert!(doc.quotes[0].cue.is_none());
    assert!(doc.checks.is_empty());
    // Every stage that did not run with the document's language says why, in the text header.
    let header = dossier::render::text_summary(doc);
    for s in doc.meta.stages.iter().filter(|s| s.reason.is_some()) {
        assert!(
            header.contains(&format!("stage:     {} ran with", s.stage)),
            "{header}"
        );
    }
    assert!(header.contains("no entity model for"), "{header}");
}

#[test]
fn a_french_report_gets_the_honest_layers() {
    let doc = analyze("fr.txt", FRENCH);
    check_honest(
        &doc,
        "fr",
        &["Paris", "Bruxelles", "France", "Lyon"],
        &["2024-04-15", "2024-05-03"],
        "Nous devons agir maintenant",
    );
}

#[test]
fn a_spanish_report_gets_the_honest_layers() {
    let doc = analyze("es.txt", SPANISH);
    check_honest(
        &doc,
        "es",
        &["Madrid", "Portugal", "Barcelona"],
        &["2024-04-01", "2024-05-20"],
        "Tenemos que actuar ahora",
    );
}

#[test]
fn german_and_english_reports_run_their_own_models() {
    let de = analyze(
        "de.txt",
        "Der Bundeskanzler reiste am Montag nach Paris. Er sagte, die Gespräche seien gut verlaufen.",
    );
    let en = analyze(
        "en.txt",
        "The chancellor travelled to Paris on Monday. He said the talks had gone well.",
    );
    for (doc, lang) in [(&de, "de"), (&en, "en")] {
        assert_eq!(doc.language, lang);
        for name in ["segment", "time", "ner", "geo", "attribution"] {
            let s = stage(doc, name);
            assert_eq!(s.language, lang, "{name}: {s:?}");
            assert!(s.reason.is_none(), "{name}: {s:?}");
        }
        assert!(!dossier::render::text_summary(doc).contains("stage:"));
    }
}
