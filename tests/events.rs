//! The events stage through the whole pipeline, on news text written for these tests, and the bar
//! on the seed article when `../shared` is present.

use dossier::{analyze_bytes, Options};
use dossier_core::{Document, Event};

fn analyze(text: &str) -> Document {
    let options = Options {
        dct: Some("2024-03-04".into()),
    };
    let mut docs = analyze_bytes("test.txt", text.as_bytes(), &options).expect("analysis succeeds");
    docs.remove(0)
}

fn names(doc: &Document, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| doc.entities.iter().find(|e| &e.id == id))
        .map(|e| e.name.clone())
        .collect()
}

fn find<'a>(doc: &'a Document, kind: &str, trigger: &str) -> &'a Event {
    doc.events
        .iter()
        .find(|e| e.kind == kind && e.trigger.as_ref().is_some_and(|t| t.text.contains(trigger)))
        .unwrap_or_else(|| panic!("no {kind} on {trigger:?} in {:#?}", doc.events))
}

/// Whether the event's actor (or target) mentions hold `text`.
fn has(e: &Event, role: &str, text: &str) -> bool {
    let m = if role == "actor" {
        &e.actor_mentions
    } else {
        &e.target_mentions
    };
    m.iter().any(|m| m.text.contains(text))
}

#[test]
fn german_events_actors_modes() {
    let doc = analyze(
        "Gipfel in Oslo\n\n\
         Die französische Regierung hat Marokko am Montag um Hilfe bei der Grenzsicherung gebeten. \
         Der spanische Ministerpräsident Pedro Sánchez will sich im Mai in Oslo mit dem \
         norwegischen Regierungschef Jonas Støre treffen. Die Polizei nahm in Lyon drei \
         Demonstranten fest. Das Parlament lehnte den Antrag der Opposition ab. Die Regierung \
         bestritt, dass Soldaten die Stadt angegriffen hätten, und sagte, sie werde keine \
         Sanktionen verhängen.",
    );
    doc.validate_spans().expect("valid spans");
    let request = find(&doc, "REQUEST", "gebeten");
    assert_eq!(request.mode, "occurred");
    assert_eq!(names(&doc, &request.targets), vec!["Marokko".to_string()]);
    assert_eq!(request.actor_codes[0].country.as_deref(), Some("FRA"));
    assert_eq!(request.actor_codes[0].sector.as_deref(), Some("GOV"));
    let meeting = find(&doc, "CONSULT", "treffen");
    assert_eq!(meeting.mode, "planned");
    assert!(names(&doc, &meeting.actors)[0].contains("Sánchez"));
    assert!(names(&doc, &meeting.targets)[0].contains("Støre"));
    assert_eq!(meeting.actor_codes[0].country.as_deref(), Some("ESP"));
    assert!(meeting.time.is_some(), "the meeting is dated");
    let place = meeting.place.as_ref().expect("a place");
    assert_eq!(
        names(&doc, std::slice::from_ref(place)),
        vec!["Oslo".to_string()]
    );
    let arrest = find(&doc, "COERCE", "nahm");
    assert_eq!(arrest.subtype.as_deref(), Some("arrest"));
    assert_eq!(
        arrest.trigger_particle.as_ref().map(|p| p.text.as_str()),
        Some("fest")
    );
    assert_eq!(arrest.actor_codes[0].sector.as_deref(), Some("COP"));
    let reject = find(&doc, "REJECT", "lehnte");
    assert_eq!(reject.mode, "occurred");
    let sanction = find(&doc, "SANCTION", "Sanktionen");
    assert_eq!(sanction.mode, "denied");
}

#[test]
fn german_participants_titles_relatives_passives() {
    let doc = analyze(
        "Streit in Lyon\n\n         Der französische Innenminister Gérald Darmanin lehnte den Vorschlag ab.          Das Lager wurde von über hundert bewaffneten Polizisten gestürmt, die auf Flüchtlinge          schossen. Die Gewerkschaft verurteilte die Festnahme mehrerer Streikender, die am Montag          den Hafen blockiert hatten. Karl Brenner wurde vor dem Landgericht Lyon zu lebenslanger          Haft verurteilt.",
    );
    doc.validate_spans().expect("valid spans");
    // Title and name are one actor, not actor and target.
    let reject = find(&doc, "REJECT", "lehnte");
    assert!(
        reject
            .actor_mentions
            .iter()
            .any(|m| m.text.contains("Darmanin")),
        "{reject:#?}"
    );
    assert!(reject
        .target_mentions
        .iter()
        .all(|m| !m.text.contains("Darmanin")));
    // The agent of a passive behind a quantifier; the antecedent of a relative clause.
    let storm = find(&doc, "ASSAULT", "gestürmt");
    assert!(
        storm
            .actor_mentions
            .iter()
            .any(|m| m.text.contains("Polizisten")),
        "{storm:#?}"
    );
    let shots = find(&doc, "ASSAULT", "schossen");
    assert!(
        shots
            .actor_mentions
            .iter()
            .any(|m| m.text.contains("Polizisten")),
        "{shots:#?}"
    );
    assert!(
        shots
            .target_mentions
            .iter()
            .any(|m| m.text.contains("Flüchtlinge")),
        "{shots:#?}"
    );
    // "zu lebenslanger Haft verurteilt": the sentenced person is the target of the prison term.
    let prison = find(&doc, "COERCE", "Haft");
    assert!(
        prison
            .target_mentions
            .iter()
            .any(|m| m.text.contains("Brenner")),
        "{prison:#?}"
    );
}

#[test]
fn german_case_frames_of_round_four() {
    let doc = analyze(
        "Streit in Prag\n\n\
         Die Opposition warf Präsident Jan Novák Wahlbetrug vor und will das Ergebnis anfechten. \
         Das Parlament lehnte den Vorschlag von Petr Dvořák ab. \
         Die Festnahme von Karel Brenner wurde von Menschenrechtlern kritisiert. \
         Die Annäherung der beiden Staaten wurde von der Kirche scharf verurteilt. \
         Der Journalist Tomáš Malý wartet auf seine Freilassung.",
    );
    doc.validate_spans().expect("valid spans");
    // Coordinated verb phrases: the object of the first verb is not the second verb's.
    let accuse = find(&doc, "ACCUSE", "warf");
    assert!(has(accuse, "target", "Novák"), "{accuse:#?}");
    let appeal = find(&doc, "ACCUSE", "anfechten");
    assert!(!has(appeal, "target", "Novák"), "{appeal:#?}");
    // "von X" after a plain-noun object stands for its genitive.
    let reject = find(&doc, "REJECT", "lehnte");
    assert!(has(reject, "target", "Dvořák"), "{reject:#?}");
    // The patient of a nominalisation: "die Festnahme von X".
    let arrest = find(&doc, "COERCE", "Festnahme");
    assert!(has(arrest, "target", "Brenner"), "{arrest:#?}");
    assert!(!has(arrest, "actor", "Brenner"), "{arrest:#?}");
    // A passive whose subject is an event noun: that noun's genitive is the target.
    let condemn = find(&doc, "ACCUSE", "verurteilt");
    assert!(has(condemn, "target", "Staaten"), "{condemn:#?}");
    // "seine Freilassung": the possessor is the one released, not the one releasing.
    let release = find(&doc, "RETREAT", "Freilassung");
    assert!(has(release, "target", "Malý"), "{release:#?}");
    assert!(!has(release, "actor", "Malý"), "{release:#?}");
}

#[test]
fn german_targets_of_round_five() {
    let doc = analyze(
        "Gewalt in Nairobi\n\n\
         Bei der Erstürmung eines Protestcamps kenianischer Studenten durch die Polizei brach \
         Panik aus. \
         Die Weltbank stellte ihre Hilfen für die malischen Flüchtlinge ein. \
         Der Dissident Ivan Petrow wollte nach Schweden ausreisen, dort wurde seine Aufnahme \
         jedoch abgelehnt. \
         Hunderte Studenten demonstrierten am Montag gegen die Reform.",
    );
    doc.validate_spans().expect("valid spans");
    // A genitive plural without article, and the genitive of an event noun's genitive.
    let storm = find(&doc, "ASSAULT", "Erstürmung");
    assert!(has(storm, "target", "Studenten"), "{storm:#?}");
    assert!(has(storm, "actor", "Polizei"), "{storm:#?}");
    // The beneficiary of an event-noun object.
    let stop = doc
        .events
        .iter()
        .find(|e| e.trigger.as_ref().is_some_and(|t| t.text == "stellte"));
    if let Some(stop) = stop {
        assert!(has(stop, "target", "Flüchtlinge"), "{stop:#?}");
    }
    // "seine Aufnahme": the person named before.
    let reject = find(&doc, "REJECT", "abgelehnt");
    assert!(
        reject
            .target_mentions
            .iter()
            .any(|m| m.text.contains("Petrow")),
        "{reject:#?}"
    );
    // What is protested against is an issue, not a party.
    let protest = find(&doc, "PROTEST", "demonstrierten");
    assert!(!has(protest, "target", "Reform"), "{protest:#?}");
}

#[test]
fn english_events_are_typed_by_the_classifier() {
    let doc = analyze(
        "Talks\n\nThe Spanish government condemned Morocco on Monday over the border closure.",
    );
    let e = doc
        .events
        .iter()
        .find(|e| e.trigger.as_ref().is_some_and(|t| t.text == "condemned"))
        .unwrap_or_else(|| panic!("no event on condemned: {:#?}", doc.events));
    assert_eq!(e.kind, "ACCUSE");
}

#[test]
fn german_demand_and_demanded_action() {
    let doc = analyze(
        "Streit um Truppen\n\n\
         Der Außenminister forderte Serbien auf, seine Truppen aus dem Grenzgebiet abzuziehen. \
         Kroatien und Slowenien verhandeln seit Monaten über die Grenze.",
    );
    let demand = find(&doc, "REQUEST", "forderte");
    assert_eq!(demand.mode, "occurred");
    assert_eq!(names(&doc, &demand.targets), vec!["Serbien".to_string()]);
    let withdraw = find(&doc, "RETREAT", "abzuziehen");
    assert_eq!(withdraw.mode, "requested");
    let talks = find(&doc, "CONSULT", "verhandeln");
    assert_eq!(names(&doc, &talks.actors).len(), 2, "both sides negotiate");
}

#[test]
fn english_events() {
    let doc = analyze(
        "Talks in Geneva\n\n\
         President Emmanuel Macron met with Chancellor Olaf Scholz in Geneva on Monday. \
         Police arrested dozens of protesters in Paris. The government will not impose sanctions.",
    );
    let meeting = find(&doc, "CONSULT", "met");
    assert_eq!(meeting.mode, "occurred");
    assert!(!meeting.actors.is_empty() && !meeting.targets.is_empty());
    let arrest = find(&doc, "COERCE", "arrested");
    assert_eq!(arrest.mode, "occurred");
    let sanction = find(&doc, "SANCTION", "impose");
    assert_eq!(sanction.mode, "denied");
}

#[test]
fn the_dateline_place_is_no_actor() {
    // "OSLO, March 4 (Reuters) -" says where the story was filed, not who acted.
    let doc = analyze(
        "Strike\n\nOSLO, March 4 (Reuters) - Dock workers went on strike on Monday, \
         demanding higher wages from the port operator.",
    );
    let oslo = doc
        .entities
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case("oslo"));
    if let Some(oslo) = oslo {
        assert!(
            doc.events
                .iter()
                .all(|e| !e.actors.contains(&oslo.id) && !e.targets.contains(&oslo.id)),
            "{:#?}",
            doc.events
        );
    }
    assert!(doc.meta.dateline.is_some(), "the dateline is read");
}

#[test]
fn events_in_text_format() {
    let doc = analyze("Treffen\n\nDie Präsidenten trafen sich am Montag in Wien.");
    let text = dossier::render::text_summary(&doc);
    assert!(text.contains("events:"), "{text}");
    assert!(text.contains("CONSULT"), "{text}");
}

#[test]
fn seed_events_bar() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed-kim-russland.txt"
    );
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("skipped: {path} not found (needs ../shared)");
        return;
    };
    let doc = analyze_bytes("seed.txt", &bytes, &Options::default())
        .expect("analysis")
        .remove(0);
    let has = |kind: &str, mode: &str, actor: &str, target: &str| {
        doc.events.iter().any(|e| {
            e.kind == kind
                && e.mode == mode
                && names(&doc, &e.actors).iter().any(|n| n.contains(actor))
                && (target.is_empty() || names(&doc, &e.targets).iter().any(|n| n.contains(target)))
        })
    };
    assert!(has("CONSULT", "planned", "Kim", "Putin"));
    assert!(has("REQUEST", "occurred", "Russland", "Nordkorea"));
    assert!(has("CONSULT", "occurred", "Schoigu", "Nordkorea"));
    assert!(has("REQUEST", "occurred", "US-Regierung", "Nordkorea"));
    assert!(doc.events.iter().any(|e| {
        e.kind == "CONSULT" && e.mode == "occurred" && e.actors.len() == 2 && e.time.is_some()
    }));
    let planned = doc
        .events
        .iter()
        .find(|e| {
            e.kind == "CONSULT"
                && e.mode == "planned"
                && e.place.is_some()
                && e.attribution.is_some()
        })
        .expect("a planned, placed, attributed meeting");
    let a = doc
        .attributions
        .iter()
        .find(|a| Some(&a.id) == planned.attribution.as_ref())
        .unwrap();
    assert!(a.chain.len() >= 2, "the newspaper and its sources");
}
