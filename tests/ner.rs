//! Named entities end to end: sentences written for these tests (not from any corpus), the
//! report's entity layer, robustness, and the seed article when `../shared` is present.

use dossier::{analyze_bytes, Options};
use dossier_core::{Document, Entity};

fn analyze(text: &str) -> Document {
    let mut docs = analyze_bytes("test.txt", text.as_bytes(), &Options::default()).unwrap();
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn entity_with_mention<'a>(doc: &'a Document, text: &str) -> Option<&'a Entity> {
    doc.entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.text == text))
}

const GERMAN: &str = "Finnland schickt Hilfe nach Lettland\n\n\
Die finnische Regierung will dem Nachbarland mit Material helfen. Das kündigte \
Ministerpräsident Mikko Salonen am Dienstag in Helsinki an.\n\n\
Salonen sagte, die Lieferungen sollten noch im Oktober beginnen. Auch die Europäische Union \
unterstütze den Plan. Der lettische Verteidigungsminister Andris Ozols dankte Salonen in \
Riga für die schnelle Zusage.\n\n\
Ozols erklärte, das Material werde an der Grenze gebraucht. Salonens Regierung hatte \
zuvor bereits Geld an die Vereinten Nationen überwiesen.";

#[test]
fn german_report_groups_names_and_titles() {
    let doc = analyze(GERMAN);
    assert_eq!(doc.language, "de");
    doc.validate_spans().unwrap();
    let salonen = entity_with_mention(&doc, "Mikko Salonen").expect("Mikko Salonen found");
    assert_eq!(salonen.kind, "PER");
    assert_eq!(salonen.name, "Mikko Salonen");
    let names = salonen.mentions.iter().filter(|m| m.kind == "name").count();
    assert!(
        names >= 3,
        "Salonen, Salonens join the full name: {salonen:?}"
    );
    let ozols = entity_with_mention(&doc, "Andris Ozols").expect("Andris Ozols found");
    assert!(
        ozols
            .mentions
            .iter()
            .any(|m| m.kind == "title" && m.text.contains("Verteidigungsminister")),
        "title tied to the name: {ozols:?}"
    );
    let riga = entity_with_mention(&doc, "Riga").expect("Riga found");
    assert_eq!(riga.kind, "LOC");
    // "lettische" is a derived mention of Latvia, which is also named.
    let latvia = entity_with_mention(&doc, "lettische").expect("derived mention");
    assert_eq!(latvia.kind, "LOC");
    assert!(latvia.mentions.iter().any(|m| m.kind == "derived"));
    // Ids in order of first mention.
    for (i, e) in doc.entities.iter().enumerate() {
        assert_eq!(e.id, format!("E{}", i + 1));
    }
    let firsts: Vec<usize> = doc.entities.iter().map(|e| e.mentions[0].span[0]).collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn english_report_uses_the_english_model() {
    let doc = analyze(
        "Senator Laura Whitfield met the mayor of Denver on Thursday to discuss the new \
         stadium. Whitfield said the city and the state would share the cost, and the \
         Colorado Department of Transportation would build a new road.\n\n\
         The mayor, Daniel Ortiz, told reporters in Denver that the project would create \
         jobs. Ortiz added that the plan still needed approval.",
    );
    assert_eq!(doc.language, "en");
    doc.validate_spans().unwrap();
    let laura = entity_with_mention(&doc, "Laura Whitfield").expect("Laura Whitfield found");
    assert_eq!(laura.kind, "PER");
    assert!(laura.mentions.iter().any(|m| m.text == "Whitfield"));
    assert!(
        doc.entities
            .iter()
            .any(|e| e.kind == "LOC" && e.mentions.iter().any(|m| m.text == "Denver")),
        "Denver as a place: {:?}",
        doc.entities
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "\u{0}\u{1}\u{2}",
        "- - - , , , „ “ “ „",
        "Müller-Lüdenscheidt-Schmidt-Meier-Schulze",
    ] {
        let docs = analyze_bytes("t.txt", text.as_bytes(), &Options::default());
        if let Ok(docs) = docs {
            for d in docs {
                d.validate_spans().unwrap();
            }
        }
    }
    let long = "Berlin ".repeat(20_000);
    let doc = analyze(&long);
    doc.validate_spans().unwrap();
}

#[test]
fn seed_article_entities() {
    let Some(doc) = crate::seed::report() else {
        return;
    };
    let of = |name: &str| {
        doc.entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no entity named {name}: {:#?}", doc.entities))
    };
    for (name, kind) in [
        ("Kim Jong-un", "PER"),
        ("Wladimir Putin", "PER"),
        ("John Kirby", "PER"),
        ("Sergej Schoigu", "PER"),
        ("New York Times", "ORG"),
        ("Washington Post", "ORG"),
        ("Nationaler Sicherheitsrat", "ORG"),
        ("UN-Sicherheitsrat", "ORG"),
        ("Russland", "LOC"),
        ("Nordkorea", "LOC"),
        ("Ukraine", "LOC"),
        ("Wladiwostok", "LOC"),
        ("Pjöngjang", "LOC"),
        ("Moskau", "LOC"),
        ("Washington", "LOC"),
        ("China", "LOC"),
    ] {
        assert_eq!(of(name).kind, kind, "{name}");
    }
    // Every mention of a person's name words belongs to that person.
    for (name, word) in [
        ("Kim Jong-un", "Kim"),
        ("Wladimir Putin", "Putin"),
        ("John Kirby", "Kirby"),
        ("Sergej Schoigu", "Schoigu"),
    ] {
        let e = of(name);
        let linked = e
            .mentions
            .iter()
            .filter(|m| m.kind == "name" && m.text.split_whitespace().any(|w| w.starts_with(word)))
            .count();
        let in_text = doc
            .tokens
            .iter()
            .filter(|&&t| {
                let w = doc.slice(t);
                w == word || w == format!("{word}s")
            })
            .count();
        let others: Vec<(&str, &str, &str)> = doc
            .entities
            .iter()
            .flat_map(|x| {
                x.mentions
                    .iter()
                    .map(move |m| (x.name.as_str(), x.kind.as_str(), m.text.as_str()))
            })
            .filter(|(_, _, t)| t.contains(word))
            .collect();
        assert!(
            linked >= in_text,
            "{name}: {linked} linked of {in_text}: {others:?}"
        );
    }
}

#[test]
fn wire_datelines_give_the_place_and_the_agency() {
    let english = "Dam repairs delayed after floods\n\n\
TAMPERE (Reuters) — Repairs to a dam on the river were postponed on Monday after a week of \
heavy rain, the regional council said.\n\n\
Engineers will inspect the structure again next month, a spokeswoman said.";
    let doc = analyze(english);
    doc.validate_spans().unwrap();
    let place = entity_with_mention(&doc, "TAMPERE").expect("dateline place found");
    assert_eq!(place.kind, "LOC", "{:?}", doc.entities);
    let agency = entity_with_mention(&doc, "Reuters").expect("dateline agency found");
    assert_eq!(agency.kind, "ORG");

    let german = "Neue Brücke eröffnet\n\n\
Kassel (dpa) - Nach zwei Jahren Bauzeit ist die neue Fuldabrücke am Samstag für den Verkehr \
freigegeben worden, teilte die Stadt mit.\n\n\
Die alte Brücke soll im Frühjahr abgerissen werden.";
    let doc = analyze(german);
    let place = entity_with_mention(&doc, "Kassel").expect("dateline place found");
    assert_eq!(place.kind, "LOC", "{:?}", doc.entities);
    let agency = entity_with_mention(&doc, "dpa").expect("dateline agency found");
    assert_eq!(agency.kind, "ORG");
}

#[test]
fn english_names_do_not_run_over_lowercase_words() {
    let text = "Storm damage closes coastal roads\n\n\
Heavy rain flooded villages in the Spanish region of Andalusia on Sunday, and the regional \
government in Seville said several roads along the coast would stay closed.\n\n\
Emergency crews from Granada and Malaga were sent to help, a spokesman for the regional \
government said.";
    let doc = analyze(text);
    assert_eq!(doc.language, "en");
    for e in &doc.entities {
        for m in e.mentions.iter().filter(|m| m.kind == "name") {
            assert!(
                !m.text
                    .split_whitespace()
                    .any(|w| w == "region" || w == "damage"),
                "a name runs over a lowercase word: {e:?}"
            );
        }
    }
}

#[test]
fn english_headline_words_the_story_writes_in_lower_case_are_no_names() {
    let text = "Carmaker recalls vans over brake fault\n\n\
The carmaker said on Monday that the recall would affect customers across Europe.\n\n\
A spokesman for the company declined to comment further.";
    let doc = analyze(text);
    assert_eq!(doc.language, "en");
    assert!(
        entity_with_mention(&doc, "Carmaker").is_none(),
        "{:?}",
        doc.entities
    );
    let europe = entity_with_mention(&doc, "Europe").expect("Europe found");
    assert_eq!(europe.kind, "LOC");
}

#[test]
fn titles_forms_of_address_all_caps_places_and_agencies() {
    let doc = analyze(
        "Finnish Prime Minister Mikko Salonen met Anna Berglund in Riga on Monday. \
         Mr Salonen said the talks were useful, the Interfax agency reported.\n\n\
         HELSINKI: Officials said on Tuesday that the border would stay open.\n",
    );
    assert_eq!(doc.language, "en");
    let salonen = entity_with_mention(&doc, "Mikko Salonen").expect("the prime minister");
    assert_eq!(salonen.kind, "PER");
    assert!(
        salonen.mentions.iter().any(|m| m.text == "Salonen"),
        "Mr Salonen joins Mikko Salonen: {salonen:?}"
    );
    assert!(doc.entities.iter().all(|e| !e.name.contains("Minister")));
    let interfax = entity_with_mention(&doc, "Interfax").expect("the agency");
    assert_eq!(interfax.kind, "ORG");
    let helsinki = entity_with_mention(&doc, "HELSINKI").expect("the dateline place");
    assert_eq!(helsinki.kind, "LOC");
}
