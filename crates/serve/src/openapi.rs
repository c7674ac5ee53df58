//! The OpenAPI 3 description of the JSON API, served at `/api/openapi.json`.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn param(name: &str, place: &str, required: bool, kind: &str, description: &str) -> Value {
    json!({"name": name, "in": place, "required": required, "schema": {"type": kind}, "description": description})
}

fn ok(description: &str) -> Value {
    json!({
        "200": {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"}
    })
}

fn search_params() -> Vec<Value> {
    vec![
        param(
            "q",
            "query",
            false,
            "string",
            "words, all of which must occur (any inflection)",
        ),
        param(
            "entity",
            "query",
            false,
            "string",
            "only reports naming this entity",
        ),
        param(
            "outlet",
            "query",
            false,
            "string",
            "only this outlet (host name)",
        ),
        param(
            "lang",
            "query",
            false,
            "string",
            "only this language (de, en, ...)",
        ),
        param(
            "from",
            "query",
            false,
            "string",
            "published on or after (YYYY-MM-DD)",
        ),
        param(
            "to",
            "query",
            false,
            "string",
            "published on or before (YYYY-MM-DD)",
        ),
        param(
            "limit",
            "query",
            false,
            "integer",
            "hits to return (1-100, default 20)",
        ),
    ]
}

/// The document (the routes of [`crate::router`] under `/api`).
pub fn document() -> Value {
    let mut places = search_params();
    places.insert(
        0,
        param(
            "story",
            "query",
            false,
            "integer",
            "the places of this story (else of the search q)",
        ),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "dossier serve",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The archive of analysed news reports: search, articles with their layers, stories, entities, places, sources. Every error is JSON {status, error}."
        },
        "paths": {
            "/api/search": {"get": {"summary": "Full-text search with facets and highlighted snippets (**word**)", "parameters": search_params(), "responses": ok("hits, total, facets (entities, outlets, days) and the archive's languages")}},
            "/api/stories": {"get": {"summary": "Stories, largest first", "parameters": [
                param("since", "query", false, "string", "only stories with a report on or after this day"),
                param("limit", "query", false, "integer", "1-100, default 50")], "responses": ok("story summaries")}},
            "/api/story/{id}": {"get": {"summary": "One story: reports in time order, copies, claims with their sources, timeline, places, graph of sources",
                "parameters": [param("id", "path", true, "integer", "story id")], "responses": ok("the story")}},
            "/api/article/{id}": {"get": {"summary": "One report: its archive row, the full report (text, entities, times, quotes, attributions, events, removed furniture) and how many reports name each entity",
                "parameters": [param("id", "path", true, "string", "document id")], "responses": ok("the article")}},
            "/api/entity": {"get": {"summary": "One entity across the archive: aliases, mentions over time, quotations, claims, co-occurring entities, places",
                "parameters": [param("name", "query", true, "string", "any name the archive merges")], "responses": ok("the entity")}},
            "/api/places": {"get": {"summary": "Places of a story or of a search, with how many reports name them", "parameters": places, "responses": ok("{of, places}")}},
            "/api/graph": {"get": {"summary": "Who cites whom in a story: outlets, agencies, the links of the claims' chains",
                "parameters": [param("story", "query", true, "integer", "story id")], "responses": ok("{nodes, edges}")}},
            "/api/ingest": {"post": {"summary": "Analyse and file a page (HTML or text) or a batch (JSON Lines); only on a server started with --token, only with that token",
                "security": [{"bearer": []}],
                "parameters": [param("name", "query", false, "string", "the input's name (file name or URL)")],
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {
                    "200": {"description": "one outcome per record (new, known, failed)", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "401": {"$ref": "#/components/responses/Error"},
                    "403": {"$ref": "#/components/responses/Error"},
                    "413": {"$ref": "#/components/responses/Error"},
                    "422": {"$ref": "#/components/responses/Error"}
                }}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["status", "error"], "properties": {"status": {"type": "integer"}, "error": {"type": "string"}}}},
            "responses": {"Error": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
        }
    })
}

pub async fn handler() -> Response {
    Json(document()).into_response()
}
