//! `dossier serve`: the archive in a browser.
//!
//! A thin HTTP layer (axum on tokio) over `dossier-archive`: server-rendered pages that work
//! without JavaScript (search, article, story, entity, map, graph of sources), a JSON API for
//! everything the pages show (described at `/api/openapi.json`), and, only when started with a
//! token, ingest over HTTP through the analysis function the binary passes in (this crate never
//! depends on the pipeline stages).
//!
//! Safety: every text from a report is escaped by the templates (maud); only `http(s)` links of a
//! report become links; a Content-Security-Policy allows nothing but this server's own script and
//! style; request bodies and request times are bounded; only the embedded assets are served;
//! every error is JSON `{status, error}`.

pub mod api;
pub mod db;
pub mod marks;
pub mod openapi;
pub mod pages;
pub mod svg;
pub mod views;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dossier_archive::{Archive, Prepared, SqliteStore};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Turns one posted input (a name and its bytes: a page, or JSON Lines of many) into reports
/// ready for the archive, or says why not. The binary passes in the same analysis that
/// `dossier ingest` runs.
pub type Analyser = Arc<dyn Fn(&str, &[u8]) -> Vec<Result<Prepared, String>> + Send + Sync>;

/// How the server runs.
#[derive(Clone)]
pub struct Config {
    pub store: PathBuf,
    /// Ingest over HTTP is on only with a token, and only for requests bearing it.
    pub token: Option<String>,
    pub analyser: Option<Analyser>,
    /// The largest request body (ingest) in bytes.
    pub max_body: usize,
    /// The longest a request may take.
    pub timeout: Duration,
    /// Search results kept in memory (0: none); any ingest empties it.
    pub cache_entries: usize,
}

impl Config {
    pub fn new(store: PathBuf) -> Config {
        Config {
            store,
            token: None,
            analyser: None,
            max_body: 16 << 20,
            timeout: Duration::from_secs(30),
            cache_entries: 4096,
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub db: db::Db,
    pub token: Option<String>,
    pub analyser: Option<Analyser>,
    pub writer: Option<Mutex<Archive<SqliteStore>>>,
    /// Recent search results by their normalised parameters (bounded; emptied by ingest).
    pub search_cache: Mutex<std::collections::HashMap<String, Arc<views::SearchView>>>,
    pub cache_entries: usize,
    /// The archive's languages (for the search facet), until the next ingest.
    pub languages: Mutex<Option<Vec<(String, usize)>>>,
    /// Readers working at once (more wait their turn: on a few cores, many SQLite readers at
    /// once only share the same cores and each takes longer).
    pub readers: tokio::sync::Semaphore,
}

pub type Shared = Arc<AppState>;

/// An error as the client sees it: a status and a sentence, as JSON.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
        }
    }
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, what)
    }
    pub fn bad_request(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, what)
    }
}

impl From<dossier_archive::Error> for ApiError {
    fn from(e: dossier_archive::Error) -> Self {
        // The store's message names SQL, never a path outside the store or a backtrace.
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.0)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("store: {e}"))
    }
}

pub fn json_error(status: StatusCode, error: &str) -> Response {
    let body = serde_json::json!({"status": status.as_u16(), "error": error});
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, &self.error)
    }
}

/// The Content-Security-Policy of every response: this server's own script and style only, no
/// inline script, no plug-ins, no framing, forms post only here.
pub const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Opens the store and builds the state: read-only without a token; with one, a writer too
/// (creating the store when there is none yet).
pub fn state(config: &Config) -> Result<Shared, String> {
    let writer = match &config.token {
        Some(t) if t.len() < 8 => return Err("the token must have at least 8 characters".into()),
        Some(_) => {
            if config.analyser.is_none() {
                return Err("ingest needs an analyser".into());
            }
            let store = SqliteStore::open(&config.store).map_err(|e| e.0)?;
            Some(Mutex::new(Archive::new(store)))
        }
        None => None,
    };
    let db = db::Db::open(&config.store).map_err(|e| e.0)?;
    Ok(Arc::new(AppState {
        db,
        token: config.token.clone(),
        analyser: config.analyser.clone(),
        writer,
        search_cache: Mutex::new(std::collections::HashMap::new()),
        cache_entries: config.cache_entries,
        languages: Mutex::new(None),
        readers: tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(4, |n| n.get() * 2),
        ),
    }))
}

/// The whole application: pages, API, assets, and the layers around them.
pub fn router(state: Shared, config: &Config) -> Router {
    let api = Router::new()
        .route("/api/openapi.json", get(openapi::handler))
        .route("/api/search", get(api::search))
        .route("/api/stories", get(api::stories))
        .route("/api/story/{id}", get(api::story))
        .route("/api/article/{id}", get(api::article))
        .route("/api/entity", get(api::entity))
        .route("/api/places", get(api::places))
        .route("/api/graph", get(api::graph))
        .route("/api/ingest", post(api::ingest));
    let pages = Router::new()
        .route("/", get(pages::search))
        .route("/article/{id}", get(pages::article))
        .route("/story/{id}", get(pages::story))
        .route("/entity", get(pages::entity))
        .route("/map", get(pages::map))
        .route("/graph", get(pages::graph))
        .route("/assets/{name}", get(pages::asset));
    let timeout = config.timeout;
    api.merge(pages)
        .fallback(|| async { ApiError::not_found("no such page") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .with_state(state)
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            time_limit(timeout, req, next)
        }))
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(RequestBodyLimitLayer::new(config.max_body))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// A request that takes longer than the limit is answered 503 (its blocking work, bounded by
/// the archive's own limits, finishes in the background).
async fn time_limit(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => json_error(StatusCode::SERVICE_UNAVAILABLE, "the request took too long"),
    }
}

/// Every error leaves as JSON `{status, error}`, also those of layers and extractors that answer
/// in plain text (a body too large, a malformed query string).
async fn json_errors(req: Request, next: Next) -> Response {
    let r = next.run(req).await;
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    let is_json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return r;
    }
    let body = axum::body::to_bytes(r.into_body(), 4096)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let text = text.trim();
    let message = if text.is_empty() || text.len() > 300 {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text.to_string()
    };
    json_error(status, &message)
}

/// Serves until Ctrl-C (or the future `shutdown` ends).
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let state = state(&config)?;
    let app = router(state, &config);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// A body as bytes, for handlers that read one.
pub(crate) async fn body_bytes(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is too large",
        )
    })
}

/// Runs blocking work (SQLite, analysis) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
        ))
    })
}

/// A search, from the cache when the same search ran since the last ingest.
pub(crate) async fn search_cached(
    state: &State<Shared>,
    p: views::SearchParams,
) -> Result<Arc<views::SearchView>, ApiError> {
    let p = p.normalised();
    let key = serde_json::to_string(&p).unwrap_or_default();
    if let Some(v) = state
        .search_cache
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned())
    {
        return Ok(v);
    }
    let known = state.languages.lock().ok().and_then(|l| l.clone());
    let v = Arc::new(read(state, move |c| views::search(c, p, known)).await?);
    if let Ok(mut l) = state.languages.lock() {
        l.get_or_insert_with(|| v.languages.clone());
    }
    if state.cache_entries > 0 {
        if let Ok(mut c) = state.search_cache.lock() {
            if c.len() >= state.cache_entries {
                c.clear();
            }
            c.insert(key, v.clone());
        }
    }
    Ok(v)
}

/// Reads with a pooled read-only connection.
pub(crate) async fn read<T: Send + 'static>(
    state: &State<Shared>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _turn = state
        .readers
        .acquire()
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "shutting down"))?;
    let st = state.0.clone();
    blocking(move || st.db.with(f)).await
}

#[cfg(test)]
mod tests;
