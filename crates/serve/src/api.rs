//! The JSON API: the data of every page, and ingest (only with the server's token).

use crate::views::{self, IngestOutcome, SearchParams};
use crate::{blocking, body_bytes, read, search_cached, ApiError, Shared};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dossier_archive::Outcome;
use serde::Deserialize;

pub type ApiResult = Result<Response, ApiError>;

fn json<T: serde::Serialize>(v: T) -> ApiResult {
    Ok(Json(v).into_response())
}

pub async fn search(st: State<Shared>, Query(p): Query<SearchParams>) -> ApiResult {
    json(&*search_cached(&st, p).await?)
}

#[derive(Debug, Deserialize)]
pub struct StoriesParams {
    pub since: Option<String>,
    pub limit: Option<usize>,
}

pub async fn stories(st: State<Shared>, Query(p): Query<StoriesParams>) -> ApiResult {
    if p.since.as_deref().is_some_and(|d| !views::is_day(d)) {
        return Err(ApiError::bad_request("since: not a day (YYYY-MM-DD)"));
    }
    let limit = p.limit.unwrap_or(50).clamp(1, views::MAX_LIMIT);
    json(
        read(&st, move |c| {
            Ok(dossier_archive::query::stories(
                c,
                p.since.as_deref(),
                limit,
            )?)
        })
        .await?,
    )
}

pub fn story_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .map_err(|_| ApiError::bad_request("a story id is a number"))
}

pub async fn story(st: State<Shared>, Path(id): Path<String>) -> ApiResult {
    let id = story_id(&id)?;
    json(read(&st, move |c| views::story(c, id)).await?)
}

pub async fn article(st: State<Shared>, Path(id): Path<String>) -> ApiResult {
    json(read(&st, move |c| views::article(c, &id)).await?)
}

#[derive(Debug, Deserialize)]
pub struct EntityParams {
    #[serde(default)]
    pub name: String,
}

pub async fn entity(st: State<Shared>, Query(p): Query<EntityParams>) -> ApiResult {
    if p.name.trim().is_empty() {
        return Err(ApiError::bad_request("name: which entity?"));
    }
    json(read(&st, move |c| views::entity(c, &p.name)).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct PlacesParams {
    pub story: Option<String>,
    #[serde(flatten)]
    pub search: SearchParams,
}

/// The places of a story (`story=ID`), of a search (`q=...` and its facets) or of an entity.
pub fn places_for(
    c: &rusqlite::Connection,
    p: PlacesParams,
) -> Result<(String, Vec<views::Place>), ApiError> {
    match p.story.filter(|s| !s.is_empty()) {
        Some(s) => {
            let id = story_id(&s)?;
            Ok((format!("story {id}"), views::story(c, id)?.places))
        }
        None if !p.search.q.trim().is_empty() => Ok((
            format!("search {:?}", views::short(&p.search.q)),
            views::search_places(c, p.search)?,
        )),
        None => Err(ApiError::bad_request("story or q: the places of what?")),
    }
}

pub async fn places(st: State<Shared>, Query(p): Query<PlacesParams>) -> ApiResult {
    let (of, places) = read(&st, move |c| places_for(c, p)).await?;
    json(serde_json::json!({"of": of, "places": places}))
}

#[derive(Debug, Deserialize)]
pub struct GraphParams {
    #[serde(default)]
    pub story: String,
}

pub async fn graph(st: State<Shared>, Query(p): Query<GraphParams>) -> ApiResult {
    let id = story_id(&p.story)?;
    json(read(&st, move |c| views::graph(c, id)).await?)
}

#[derive(Debug, Deserialize)]
pub struct IngestParams {
    /// The input's name (a file name or URL), shown as the report's source.
    pub name: Option<String>,
}

/// Whether the request bears the server's token (compared in constant time).
fn authorised(state: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = &state.token else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `POST /api/ingest?name=...`: the body is a page (HTML or text) or JSON Lines of many; each
/// record goes through the analysis `dossier ingest` runs and is filed in one transaction.
pub async fn ingest(
    State(state): State<Shared>,
    Query(p): Query<IngestParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    if state.writer.is_none() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only (start it with --token to ingest)",
        ));
    }
    if !authorised(&state, &headers) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ingest needs the server's token (Authorization: Bearer ...)",
        ));
    }
    let bytes = body_bytes(body, usize::MAX).await?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "empty body: post a page or JSON Lines",
        ));
    }
    let name: String = p
        .name
        .unwrap_or_else(|| "posted".into())
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    let outcomes = blocking(move || {
        let analyser = state
            .analyser
            .clone()
            .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "no analyser"))?;
        let results = analyser(&name, &bytes);
        let mut outcomes = Vec::new();
        let mut docs = Vec::new();
        for r in results {
            match r {
                Ok(d) => docs.push(d),
                Err(e) => outcomes.push(IngestOutcome {
                    id: None,
                    status: "failed".into(),
                    story: None,
                    duplicate_of: None,
                    error: Some(e),
                }),
            }
        }
        // Publication order (undated last), as `dossier ingest` files a batch.
        docs.sort_by(|a, b| {
            (a.published.is_none(), &a.published).cmp(&(b.published.is_none(), &b.published))
        });
        let writer = state
            .writer
            .as_ref()
            .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "read-only"))?;
        let mut archive = writer
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "writer unavailable"))?;
        let filed = archive.add_batch(&docs)?;
        // What searches found before may have changed.
        if let Ok(mut c) = state.search_cache.lock() {
            c.clear();
        }
        if let Ok(mut l) = state.languages.lock() {
            *l = None;
        }
        for (d, o) in docs.iter().zip(filed) {
            outcomes.push(match o {
                Outcome::New {
                    story,
                    duplicate_of,
                } => IngestOutcome {
                    id: Some(d.id.clone()),
                    status: "new".into(),
                    story: Some(story),
                    duplicate_of,
                    error: None,
                },
                Outcome::Known => IngestOutcome {
                    id: Some(d.id.clone()),
                    status: "known".into(),
                    story: None,
                    duplicate_of: None,
                    error: None,
                },
            });
        }
        Ok(outcomes)
    })
    .await?;
    let failed = outcomes.iter().filter(|o| o.status == "failed").count();
    if failed > 0 && failed == outcomes.len() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let body = serde_json::json!({
            "status": status.as_u16(),
            "error": "no record of the input could be analysed",
            "outcomes": outcomes,
        });
        return Ok((status, Json(body)).into_response());
    }
    json(serde_json::json!({"outcomes": outcomes}))
}
