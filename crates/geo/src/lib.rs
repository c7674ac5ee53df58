//! Places: every place entity of a report resolved to one point of an embedded world gazetteer,
//! and every distance statement checked against the great-circle distance.
//!
//! The stage runs after named-entity recognition and reads only `text`, `language`,
//! `sentences` and `entities`; it fills `entities[].geo` and appends `distance` checks to
//! `checks`. The gazetteer (GeoNames places of 500+ people with their Latin-script alternate
//! names, countries, US states, continents, CLDR country names and nationality adjectives with
//! German inflections) is compiled by `dossier build gazetteer` into `data/gazetteer.bin.gz`,
//! embedded in the binary and decompressed once on first use. See README.md for the rebuild
//! command, the resolution rules and how accuracy was measured.

pub mod by_name;
pub mod compile;
pub mod distance;
pub mod gazetteer;
pub mod lexicon;
pub mod normalize;
pub mod resolve;

pub use by_name::places_by_name;
pub use compile::{compile, CompileOptions, CompileStats};
pub use gazetteer::{Form, Gazetteer, Hit, Kind, Place};
pub use resolve::{geo_of, haversine_km, resolve, resolve_with, Resolution, Resolved};

use dossier_core::Document;
use serde_json::{json, Map, Value};

/// Runs the stage on a document: fills `geo` of every resolvable place entity and adds the
/// distance checks.
pub fn annotate(doc: &mut Document) {
    let g = Gazetteer::get();
    let resolution = resolve_with(g, doc);
    for (entity, resolved) in doc.entities.iter_mut().zip(&resolution.places) {
        entity.geo = resolved.as_ref().and_then(|r| geo_of(g, r.place));
    }
    // Distances are read with a language's number format and unit words ("1.200 Kilometer").
    if lexicon::has_language(&doc.language) {
        distance::check_distances(g, doc, &resolution);
    }
}

/// Accumulates the resolved places of many reports into one GeoJSON FeatureCollection: one
/// feature per GeoNames place, with every mention and document that names it.
#[derive(Debug, Default)]
pub struct FeatureCollection {
    features: Vec<Value>,
    by_key: std::collections::HashMap<String, usize>,
}

impl FeatureCollection {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the places of one report.
    pub fn add(&mut self, doc: &Document) {
        for e in &doc.entities {
            let Some(geo) = &e.geo else { continue };
            let key = match geo.geonames {
                Some(id) => format!("gn:{id}"),
                None => format!("pt:{:.5},{:.5}", geo.lat, geo.lon),
            };
            let index = *self.by_key.entry(key).or_insert_with(|| {
                let mut props = Map::new();
                props.insert("name".into(), json!(e.name));
                props.insert("geonames".into(), json!(geo.geonames));
                props.insert("country".into(), json!(geo.country));
                props.insert("feature_class".into(), json!(geo.feature_class));
                props.insert("mentions".into(), json!([]));
                props.insert("documents".into(), json!([]));
                self.features.push(json!({
                    "type": "Feature",
                    "geometry": { "type": "Point", "coordinates": [geo.lon, geo.lat] },
                    "properties": Value::Object(props),
                }));
                self.features.len() - 1
            });
            let props = &mut self.features[index]["properties"];
            if let Some(list) = props["mentions"].as_array_mut() {
                for m in &e.mentions {
                    list.push(json!({
                        "document": doc.id,
                        "entity": e.id,
                        "text": m.text,
                        "span": m.span,
                        "kind": m.kind,
                    }));
                }
            }
            if let Some(docs) = props["documents"].as_array_mut() {
                if !docs.iter().any(|d| d == &json!(doc.id)) {
                    docs.push(json!(doc.id));
                }
            }
        }
    }

    /// Adds the events of one report that have a place with coordinates: one feature each.
    pub fn add_events(&mut self, doc: &Document) {
        for ev in &doc.events {
            let Some(place) = ev.place.as_ref() else {
                continue;
            };
            let Some(e) = doc.entities.iter().find(|e| &e.id == place) else {
                continue;
            };
            let Some(geo) = &e.geo else { continue };
            let date = ev
                .time
                .as_ref()
                .and_then(|id| doc.times.iter().find(|t| &t.id == id))
                .and_then(|t| t.value.clone());
            self.features.push(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [geo.lon, geo.lat] },
                "properties": {
                    "kind": "event",
                    "document": doc.id,
                    "event": ev.id,
                    "type": ev.kind,
                    "subtype": ev.subtype,
                    "mode": ev.mode,
                    "place": e.name,
                    "date": date,
                    "actors": ev.actors,
                    "targets": ev.targets,
                    "trigger": ev.trigger.as_ref().map(|t| t.text.clone()),
                    "attribution": ev.attribution,
                    "span": ev.span,
                },
            }));
        }
    }

    /// The collection as GeoJSON.
    pub fn to_value(&self) -> Value {
        json!({ "type": "FeatureCollection", "features": self.features })
    }
}
