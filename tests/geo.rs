//! Places end to end: articles written for these tests (not from any corpus) through the whole
//! pipeline, the GeoJSON collection, and the seed article when `../shared` is present.

use dossier::{analyze_bytes, Options};
use dossier_core::{Document, Entity};

fn analyze(text: &str) -> Document {
    let mut docs =
        analyze_bytes("test.txt", text.as_bytes(), &Options::default()).expect("analysis succeeds");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn place<'a>(doc: &'a Document, mention: &str) -> Option<&'a Entity> {
    doc.entities
        .iter()
        .find(|e| e.kind == "LOC" && e.mentions.iter().any(|m| m.text == mention))
}

const GERMAN: &str = "Fährverbindung zwischen Kiel und Oslo wieder aufgenommen\n\n\
Nach zwei Wochen Pause fährt die Fähre wieder zwischen Kiel und Oslo. Die beiden Städte liegen \
Luftlinie rund 620 Kilometer voneinander entfernt.\n\n\
Die norwegische Reederei hatte den Betrieb wegen eines Schadens am Ruder eingestellt. In Kiel \
warteten am Montag mehr als 300 Passagiere auf die Abfahrt.";

#[test]
fn german_places_resolve_and_the_distance_is_checked() {
    let doc = analyze(GERMAN);
    doc.validate_spans().expect("valid spans");
    let Some(kiel) = place(&doc, "Kiel") else {
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("skipped: the NER stage did not find Kiel\n"),
        );
        return;
    };
    let geo = kiel.geo.as_ref().expect("Kiel resolved");
    assert_eq!(geo.country.as_deref(), Some("DE"));
    assert!((geo.lat - 54.32).abs() < 0.3 && (geo.lon - 10.13).abs() < 0.3);
    if let Some(oslo) = place(&doc, "Oslo") {
        let geo = oslo.geo.as_ref().expect("Oslo resolved");
        assert_eq!(geo.country.as_deref(), Some("NO"));
        let check = doc
            .checks
            .iter()
            .find(|c| c.kind == "distance")
            .expect("a distance check");
        // Kiel–Oslo is about 623 km great-circle: "rund 620" is consistent.
        assert_eq!(check.verdict, "consistent", "{check:?}");
        let computed = check.detail["computed_km"].as_f64().unwrap_or(0.0);
        assert!((600.0..645.0).contains(&computed), "{computed}");
    }
}

#[test]
fn geojson_collects_places_of_many_reports() {
    let a = analyze(GERMAN);
    let b = analyze(
        "Oslo erwartet Gäste\n\nIn Oslo beginnt am Freitag ein Gipfel der Nordischen Länder.",
    );
    let mut fc = dossier_geo::FeatureCollection::new();
    fc.add(&a);
    fc.add(&b);
    let v = fc.to_value();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().expect("features");
    for f in features {
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(f["properties"]["geonames"].is_u64());
        assert!(!f["properties"]["mentions"]
            .as_array()
            .expect("mentions")
            .is_empty());
    }
    let ids: Vec<u64> = features
        .iter()
        .filter_map(|f| f["properties"]["geonames"].as_u64())
        .collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "one feature per place");
}

#[test]
fn no_panic_on_odd_input() {
    for text in [
        "",
        "km km 5 km entfernt",
        "rund 1.000.000.000.000 Kilometer entfernt Berlin",
        "\u{0}\u{1}ÿ",
    ] {
        let _ = analyze_bytes("odd.txt", text.as_bytes(), &Options::default());
    }
    let mut long = "Berlin liegt 5 km entfernt. ".repeat(20_000);
    long.push_str("Ende");
    let _ = analyze_bytes("long.txt", long.as_bytes(), &Options::default());
}

#[test]
fn seed_places_and_distance() {
    let Some(doc) = crate::seed::report() else {
        return;
    };
    // (mention, expected country, expected lat, lon): the cities the article names.
    for (mention, country, lat, lon) in [
        ("Wladiwostok", "RU", 43.12, 131.89),
        ("Pjöngjang", "KP", 39.02, 125.75),
        ("Moskau", "RU", 55.75, 37.62),
    ] {
        let e = place(doc, mention).unwrap_or_else(|| panic!("{mention} is a place entity"));
        let geo = e
            .geo
            .as_ref()
            .unwrap_or_else(|| panic!("{mention} resolved"));
        assert_eq!(geo.country.as_deref(), Some(country), "{mention}");
        let km = dossier_geo::haversine_km(geo.lat, geo.lon, lat, lon);
        assert!(km < 30.0, "{mention} is {km:.0} km off");
    }
    let check = doc
        .checks
        .iter()
        .find(|c| c.kind == "distance")
        .expect("the distance statement is checked");
    assert_eq!(check.verdict, "consistent", "{check:?}");
    let computed = check.detail["computed_km"].as_f64().unwrap_or(0.0);
    assert!((670.0..700.0).contains(&computed), "{computed}");
}
