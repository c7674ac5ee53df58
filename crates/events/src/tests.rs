//! Unit tests on hand-built documents and the data files.

use crate::lexicon::{parse_triggers, Lexicon, DE_TRIGGERS, EN_TRIGGERS};
use dossier_core::Document;

#[test]
fn trigger_files_parse_without_bad_lines() {
    // The compiled German list parses too.
    let (_, bad) = parse_triggers(crate::lexicon::DE_DERIVED);
    assert!(bad.is_empty(), "bad lines: {bad:?}");
    for text in [DE_TRIGGERS, EN_TRIGGERS] {
        let (triggers, bad) = parse_triggers(text);
        assert!(bad.is_empty(), "bad lines: {bad:?}");
        assert!(triggers.len() > 100);
        for root in crate::ROOTS {
            assert!(
                triggers.iter().any(|t| t.kind == root),
                "{root} has no trigger"
            );
        }
    }
}

#[test]
fn german_forms_and_compounds() {
    let lex = Lexicon::for_language("de").unwrap();
    assert!(lex.lemmas("abgelehnt").contains(&"ablehnen"));
    assert!(lex.lemmas("trafen").contains(&"treffen"));
    assert_eq!(
        lex.compound_head("raketenangriffe").map(|h| h.0),
        Some("angriff")
    );
    assert_eq!(lex.compound_head("angriffskrieg"), None);
    assert_eq!(lex.role_sector("grenzpolizei"), Some("COP"));
}

#[test]
fn no_language_no_events_and_odd_input() {
    let mut doc = Document::from_paragraphs("t", "fr", vec!["Le président a rencontré.".into()]);
    crate::annotate(&mut doc);
    assert!(doc.events.is_empty());
    // No segmentation at all: nothing to read, nothing to panic about.
    let mut doc = Document::from_paragraphs("t", "de", vec!["Die Polizei nahm ihn fest.".into()]);
    crate::annotate(&mut doc);
    assert!(doc.events.is_empty());
}

#[test]
fn plv_features_see_the_marks() {
    let a = crate::learned::features("<s>Police</s> arrested <t>protesters</t> in the city.");
    let b = crate::learned::features("<s>Police</s> praised <t>protesters</t> in the city.");
    assert_ne!(a, b);
    let m = crate::learned::Classifier::get().expect("the embedded model");
    assert_eq!(
        m.classify("<s>The police</s> arrested <t>three opposition activists</t> on Monday."),
        "COERCE"
    );
}

#[test]
fn cameo_rebuild_is_deterministic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/events");
    let dict = std::fs::read_to_string(format!("{dir}/petrarch2-dictionaries/CAMEO.2.0.txt"));
    let map = std::fs::read_to_string(format!("{dir}/plover/CAMEO2PLOVER-2021.txt"));
    let (Ok(dict), Ok(map)) = (dict, map) else {
        eprintln!("skipped: {dir} not found (needs ../shared)");
        return;
    };
    let shipped = include_bytes!("../data/en.cameo.tsv.gz");
    assert_eq!(
        crate::compile::gzip(&crate::cameo::compile(&dict, &map)),
        shipped.to_vec(),
        "run `dossier build events-lexicon`"
    );
}

#[test]
fn the_cameo_dictionary_knows_common_verbs() {
    let d = crate::cameo::Dict::get().expect("the embedded dictionary");
    let w: Vec<String> = "they denounced the attack"
        .split(' ')
        .map(String::from)
        .collect();
    let hit = d.verb_at(&w, 1).expect("denounced is a CAMEO verb");
    assert_eq!(hit.pattern.map(|p| p.0).unwrap_or(hit.root), "ACCUSE");
    assert!(d.verb_at(&w, 0).is_none());
}

#[test]
fn forms_rebuild_is_deterministic() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/lexicon/de_lemma_lookup.json.gz"
    );
    let Ok(table) = crate::compile::read_lemma_table(path.as_ref()) else {
        eprintln!("skipped: {path} not found (needs ../shared)");
        return;
    };
    let nouns_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/lexicon/german-nouns.csv.gz"
    );
    let Ok(nouns) = crate::compile::read_noun_table(nouns_path.as_ref()) else {
        eprintln!("skipped: {nouns_path} not found (needs ../shared)");
        return;
    };
    let (forms, _, derived) = crate::compile::compile_german(&table, &nouns);
    assert_eq!(
        derived,
        crate::lexicon::DE_DERIVED,
        "run `dossier build events-lexicon`"
    );
    let shipped = include_bytes!("../data/de.forms.tsv.gz");
    assert_eq!(
        crate::compile::gzip(&forms),
        shipped.to_vec(),
        "run `dossier build events-lexicon`"
    );
}

/// A document of one sentence of `words` words (tokens and sentence layers filled by hand).
fn one_sentence(words: usize) -> Document {
    let w = [
        "die",
        "Polizei",
        "nahm",
        "Demonstranten",
        "in",
        "Berlin",
        "fest",
        "und",
    ];
    let text: Vec<&str> = (0..words).map(|i| w[i % w.len()]).collect();
    let mut doc = Document::from_paragraphs("t", "de", vec![text.join(" ")]);
    let mut at = 0;
    let mut tokens = Vec::new();
    for word in &text {
        tokens.push(doc.span_of_bytes(at, at + word.len()));
        at += word.len() + 1;
    }
    doc.sentences = vec![doc.span_of_bytes(0, doc.text.len())];
    doc.tokens = tokens;
    doc
}

#[test]
fn a_sentence_without_end_is_read_to_its_first_tokens_only() {
    assert_eq!(crate::view_tokens(&one_sentence(8)), 8);
    // The stage's view (tokens, candidates) no longer grows with such a sentence.
    assert_eq!(crate::view_tokens(&one_sentence(1000)), 1000);
    assert_eq!(crate::view_tokens(&one_sentence(20_000)), 1000);
    let mut doc = one_sentence(20_000);
    crate::annotate(&mut doc);
    assert!(doc.events.iter().all(|e| e.span[1] <= doc.len_chars()));
}

#[test]
fn verbs_give_their_nominalisations_and_strong_participles() {
    let n = crate::compile::nominalisations("verhandeln");
    assert!(n.contains(&"verhandlung".to_string()));
    assert!(crate::compile::nominalisations("zusagen").contains(&"zusage".to_string()));
    assert!(crate::compile::nominalisations("demonstrieren").contains(&"demonstration".to_string()));
    // No bare stem: "ausweisen" is not "Ausweis".
    assert!(!crate::compile::nominalisations("ausweisen").contains(&"ausweis".to_string()));
    let known = |w: &str| ["getroffen", "gegriffen", "verboten"].contains(&w);
    assert_eq!(
        crate::compile::ablaut_participles("treffen", &known),
        ["getroffen"]
    );
    assert_eq!(
        crate::compile::ablaut_participles("greifen", &known),
        ["gegriffen"]
    );
    assert_eq!(
        crate::compile::ablaut_participles("verbieten", &known),
        ["verboten"]
    );
    // Only words the form table knows.
    assert!(crate::compile::ablaut_participles("sprechen", &known).is_empty());
}

#[test]
fn a_separable_particle_before_zu_is_found() {
    let mut doc = Document::from_paragraphs(
        "t",
        "de",
        vec!["Die Milizen wollen mit der Armee zusammen zu arbeiten versuchen .".to_string()],
    );
    let mut at = 0;
    let mut tokens = Vec::new();
    for w in doc.text.clone().split(' ') {
        tokens.push(doc.span_of_bytes(at, at + w.len()));
        at += w.len() + 1;
    }
    doc.sentences = vec![doc.span_of_bytes(0, doc.text.len())];
    doc.tokens = tokens;
    let events = crate::events(&doc);
    assert!(events.iter().any(|e| e.kind == "COOPERATE"), "{events:?}");
}
