//! API tests of every route, in process (`tower::ServiceExt::oneshot`), over a small archive of
//! reports written here by hand (no pipeline: the layers are set directly), hostile ones among
//! them.

use crate::{router, state, Analyser, Config};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dossier_archive::{Archive, Prepared, SqliteStore};
use dossier_core::{
    Attribution, ChainLink, Cue, Document, Entity, Geo, Mention, Published, Quote, Removed,
    TextSpan, Time,
};
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

pub const XSS: &str = "<script>window.__xss=1</script>\"><img src=x onerror=alert(1)>";

pub struct Tmp(pub PathBuf);

impl Tmp {
    pub fn new(name: &str) -> Tmp {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "dossier-serve-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Tmp(dir)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find(text: &str, needle: &str) -> [usize; 2] {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text}"));
    let s = text[..b].chars().count();
    [s, s + needle.chars().count()]
}

/// A report with every layer the pages show, its words chosen by the caller.
pub fn report(id: &str, url: &str, date: &str, title: &str, body: &str, who: &str) -> Document {
    let mut d = Document::from_paragraphs(id, "de", vec![title.into(), body.into()]);
    d.id = id.into();
    d.source.url = Some(url.into());
    d.meta.headline = Some(TextSpan {
        text: title.into(),
        span: find(&d.text, title),
    });
    d.meta.published = Some(Published {
        date: date.into(),
        origin: "metadata".into(),
        evidence: vec![],
        confidence: 1.0,
    });
    d.meta.agencies = vec!["dpa".into()];
    d.meta.removed = vec![Removed::new(format!("Newsletter {XSS}"), "page furniture")];
    let mut entities = vec![Entity {
        id: "E1".into(),
        kind: "PER".into(),
        name: who.into(),
        mentions: vec![Mention {
            span: find(&d.text, who),
            text: who.into(),
            kind: "name".into(),
        }],
        geo: None,
        confidence: None,
    }];
    if d.text.contains("Kiel") {
        entities.push(Entity {
            id: "E2".into(),
            kind: "LOC".into(),
            name: "Kiel".into(),
            mentions: vec![Mention {
                span: find(&d.text, "Kiel"),
                text: "Kiel".into(),
                kind: "name".into(),
            }],
            geo: Some(Geo {
                lat: 54.32,
                lon: 10.12,
                country: Some("DE".into()),
                geonames: Some(2891122),
                feature_class: Some("P".into()),
            }),
            confidence: None,
        });
    }
    d.entities = entities;
    if d.text.contains("Dienstag") {
        d.times = vec![Time {
            id: "T1".into(),
            span: find(&d.text, "Dienstag"),
            text: "Dienstag".into(),
            kind: "DATE".into(),
            value: Some("2026-03-10".into()),
            anchor: "dct".into(),
        }];
    }
    let claim = "die Brücke bleibt gesperrt";
    if d.text.contains(claim) {
        let span = find(&d.text, claim);
        d.quotes = vec![Quote {
            id: "Q1".into(),
            kind: "indirect".into(),
            span,
            content: claim.into(),
            cue: d.text.contains("sagte").then(|| Cue {
                span: find(&d.text, "sagte"),
                text: "sagte".into(),
            }),
            speaker: Some("E1".into()),
            speaker_text: Some(who.into()),
            ..Default::default()
        }];
        d.attributions = vec![Attribution {
            id: "A1".into(),
            claim: TextSpan {
                text: claim.into(),
                span,
            },
            chain: vec![
                ChainLink {
                    entity: Some("E1".into()),
                    text: who.into(),
                    cue: Some("sagte".into()),
                },
                ChainLink {
                    entity: None,
                    text: format!("Quellen {XSS}"),
                    cue: Some("unter Berufung auf".into()),
                },
            ],
            stance: "reported".into(),
            confidence: 0.8,
        }];
    }
    d.reindex();
    d.validate_spans().unwrap();
    d
}

pub fn sample_reports() -> Vec<Document> {
    vec![
        report(
            "a1",
            "https://nord.example/kiel",
            "2026-03-10",
            "Sturm trifft Kiel",
            "Sabine Krüger sagte am Dienstag in Kiel, die Brücke bleibt gesperrt bis Freitag.",
            "Sabine Krüger",
        ),
        report(
            "a2",
            "https://sued.example/kiel",
            "2026-03-11",
            "Brücke in Kiel weiter zu",
            "Sabine Krüger sagte am Dienstag in Kiel, die Brücke bleibt gesperrt bis Freitag. Mehr folgt.",
            "Sabine Krüger",
        ),
        report(
            "x1",
            &format!("javascript:{XSS}"),
            "2026-03-12",
            &format!("Angriff {XSS}"),
            &format!("Jonas {XSS} Weber sagte, die Brücke bleibt gesperrt. Angriff."),
            "Jonas",
        ),
    ]
}

pub fn build_store(dir: &std::path::Path, docs: &[Document]) {
    let store = SqliteStore::open(dir).unwrap();
    let mut archive = Archive::new(store);
    let prepared: Vec<Prepared> = docs.iter().map(Prepared::from_document).collect();
    archive.add_batch(&prepared).unwrap();
}

fn app(dir: &std::path::Path, token: Option<&str>) -> Router {
    app_with(dir, token, std::time::Duration::from_secs(20))
}

fn app_with(dir: &std::path::Path, token: Option<&str>, timeout: std::time::Duration) -> Router {
    let mut config = Config::new(dir.to_path_buf());
    config.max_body = 4096;
    if let Some(t) = token {
        config.token = Some(t.into());
        let analyser: Analyser = Arc::new(|name: &str, bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).to_string();
            if text.contains("FAIL") {
                return vec![Err(format!("{name}: cannot analyse"))];
            }
            if text.contains("SLOW") {
                std::thread::sleep(std::time::Duration::from_millis(1500));
            }
            let d = report(
                &format!("p{}", text.len()),
                "https://posted.example/",
                "2026-03-13",
                "Gepostet aus Kiel",
                &text,
                "Kiel",
            );
            vec![Ok(Prepared::from_document(&d))]
        });
        config.analyser = Some(analyser);
    }
    config.timeout = timeout;
    router(state(&config).unwrap(), &config)
}

struct Got {
    status: StatusCode,
    content_type: String,
    csp: String,
    body: String,
}

impl Got {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(app: &Router, req: Request<Body>) -> Got {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let h = |n: header::HeaderName| {
        r.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let content_type = h(header::CONTENT_TYPE);
    let csp = h(header::CONTENT_SECURITY_POLICY);
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        content_type,
        csp,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

async fn get(app: &Router, uri: &str) -> Got {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn assert_error(g: &Got, status: StatusCode) {
    assert_eq!(g.status, status, "{}", g.body);
    assert!(
        g.content_type.starts_with("application/json"),
        "{g:?}",
        g = g.body
    );
    let v = g.json();
    assert_eq!(v["status"], status.as_u16());
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(!g.body.contains("panicked") && !g.body.contains("src/"));
}

/// No text of a report reaches the page unescaped.
fn assert_escaped(html: &str) {
    assert!(!html.contains("<script>window"), "unescaped script");
    assert!(!html.contains("<img"), "unescaped img");
    assert!(!html.contains("href=\"javascript:"), "javascript: link");
    assert!(!html.contains("onerror=alert(1)>"), "unescaped attribute");
}

fn sample() -> (Tmp, Router) {
    let tmp = Tmp::new("api");
    build_store(&tmp.0, &sample_reports());
    let app = app(&tmp.0, None);
    (tmp, app)
}

#[tokio::test]
async fn pages_render_with_their_data_and_escape_reports() {
    let (_tmp, app) = sample();
    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.content_type.starts_with("text/html"));
    assert!(home.csp.contains("script-src 'self'") && home.csp.contains("default-src 'none'"));
    assert!(home.body.contains("3 reports."));
    assert_escaped(&home.body);

    let s = get(&app, "/?q=Br%C3%BCcke&lang=de").await;
    assert_eq!(s.status, StatusCode::OK);
    assert!(s.body.contains("<mark>Brücke</mark>"), "{}", s.body);
    assert!(s.body.contains("class=\"facet\""));
    assert_escaped(&s.body);

    let a = get(&app, "/article/a1").await;
    assert_eq!(a.status, StatusCode::OK);
    for class in [
        "mk mk-claim",
        "mk mk-quote",
        "mk mk-ent mk-per",
        "mk mk-ent mk-loc",
        "mk mk-time",
    ] {
        assert!(a.body.contains(class), "{class} in the article");
    }
    assert!(a.body.contains("id=\"info-A1\""));
    assert!(a
        .body
        .contains("according to Sabine Krüger, citing Quellen"));
    assert!(a.body.contains("2026-03-10"));
    assert!(a.body.contains("Removed from the page"));
    assert!(a.body.contains("href=\"https://nord.example/kiel\""));
    assert_escaped(&a.body);

    let x = get(&app, "/article/x1").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x
        .body
        .contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"));
    assert!(x.body.contains("<code class=\"unsafe-url\">javascript:"));
    assert_escaped(&x.body);

    let story_id = get(&app, "/api/article/a1").await.json()["document"]["story"]
        .as_i64()
        .unwrap();
    let st = get(&app, &format!("/story/{story_id}")).await;
    assert_eq!(st.status, StatusCode::OK);
    assert!(st.body.contains("class=\"timeline\""));
    assert!(st.body.contains("tl tl-report"));
    assert!(st.body.contains("class=\"graph\""));
    assert_escaped(&st.body);

    let e = get(&app, "/entity?name=Sabine%20Kr%C3%BCger").await;
    assert_eq!(e.status, StatusCode::OK);
    assert!(e.body.contains("class=\"bar\""));
    assert!(e.body.contains("class=\"pt\""), "its places on a map");
    assert_escaped(&e.body);

    let m = get(&app, &format!("/map?story={story_id}")).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body.contains("data-count=\"2\""), "Kiel, in two reports");
    assert!(m.body.contains("class=\"land\""));
    let m = get(&app, "/map?q=Kiel").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body.contains("class=\"pt\""));

    let g = get(&app, &format!("/graph?story={story_id}")).await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.body.contains("nord.example") && g.body.contains("dpa"));
    let all = get(&app, "/?q=Angriff").await;
    assert_escaped(&all.body);
    let xs = get(&app, "/api/article/x1").await.json()["document"]["story"]
        .as_i64()
        .unwrap();
    for uri in [
        format!("/story/{xs}"),
        format!("/graph?story={xs}"),
        "/entity?name=Jonas".to_string(),
    ] {
        let p = get(&app, &uri).await;
        assert_eq!(p.status, StatusCode::OK, "{uri}");
        assert_escaped(&p.body);
    }
}

#[tokio::test]
async fn api_routes_answer_json() {
    let (_tmp, app) = sample();
    let doc = get(&app, "/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let spec = doc.json();
    assert_eq!(spec["openapi"], "3.0.3");
    for path in [
        "/api/search",
        "/api/stories",
        "/api/story/{id}",
        "/api/article/{id}",
        "/api/entity",
        "/api/places",
        "/api/graph",
        "/api/ingest",
        "/api/openapi.json",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }

    let s = get(&app, "/api/search?q=Br%C3%BCcke&limit=2").await.json();
    assert_eq!(s["result"]["hits"].as_array().unwrap().len(), 2);
    assert!(s["result"]["hits"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("**Brücke**"));
    let filtered = get(&app, "/api/search?q=Br%C3%BCcke&outlet=nord.example")
        .await
        .json();
    assert_eq!(filtered["result"]["total"], 1);
    let dated = get(
        &app,
        "/api/search?q=Br%C3%BCcke&from=2026-03-11&to=2026-03-11",
    )
    .await
    .json();
    assert_eq!(dated["result"]["total"], 1);
    let by_entity = get(&app, "/api/search?q=Br%C3%BCcke&entity=Kiel")
        .await
        .json();
    assert_eq!(by_entity["result"]["total"], 2);

    let stories = get(&app, "/api/stories").await.json();
    assert!(!stories.as_array().unwrap().is_empty());

    let a = get(&app, "/api/article/a2").await.json();
    assert_eq!(
        a["report"]["attributions"][0]["chain"][0]["text"],
        "Sabine Krüger"
    );
    assert_eq!(a["entities"][0]["documents"], 2);
    let story = a["document"]["story"].as_i64().unwrap();

    let st = get(&app, &format!("/api/story/{story}")).await.json();
    assert_eq!(st["reports"].as_array().unwrap().len(), 2);
    assert_eq!(st["reports"][0]["id"], "a1", "time order");
    assert_eq!(st["claims"][0]["sources"].as_array().unwrap().len(), 2);
    assert!(st["timeline"].as_array().unwrap().len() >= 2);
    assert_eq!(st["places"][0]["name"], "Kiel");

    let e = get(&app, "/api/entity?name=Kr%C3%BCger").await.json();
    assert_eq!(e["entity"]["name"], "Sabine Krüger");
    assert_eq!(e["quotes"].as_array().unwrap().len(), 2);
    assert!(e["cooccurring"][0][0] == "Kiel");

    let p = get(&app, &format!("/api/places?story={story}"))
        .await
        .json();
    assert_eq!(p["places"][0]["documents"], 2);
    let p = get(&app, "/api/places?q=Kiel").await.json();
    assert_eq!(p["places"][0]["geonames"], 2891122);

    let g = get(&app, &format!("/api/graph?story={story}")).await.json();
    let labels: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["label"].as_str())
        .collect();
    assert!(labels.contains(&"nord.example") && labels.contains(&"dpa"));
    assert!(labels.contains(&"Sabine Krüger"));
    assert!(!g["edges"].as_array().unwrap().is_empty());

    let css = get(&app, "/assets/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    let js = get(&app, "/assets/app.js").await;
    assert!(js.content_type.starts_with("text/javascript"));
}

#[tokio::test]
async fn errors_are_json_with_a_status() {
    let (_tmp, app) = sample();
    for (uri, status) in [
        ("/nope", StatusCode::NOT_FOUND),
        ("/assets/../Cargo.toml", StatusCode::NOT_FOUND),
        ("/assets/%2e%2e%2fCargo.toml", StatusCode::NOT_FOUND),
        ("/assets/world-110m.tsv", StatusCode::NOT_FOUND),
        ("/article/nope", StatusCode::NOT_FOUND),
        ("/api/article/nope", StatusCode::NOT_FOUND),
        ("/story/999", StatusCode::NOT_FOUND),
        ("/api/story/999", StatusCode::NOT_FOUND),
        ("/api/story/x", StatusCode::BAD_REQUEST),
        ("/story/1e99", StatusCode::BAD_REQUEST),
        ("/api/entity?name=Niemand", StatusCode::NOT_FOUND),
        ("/entity", StatusCode::BAD_REQUEST),
        ("/api/entity", StatusCode::BAD_REQUEST),
        ("/api/graph?story=abc", StatusCode::BAD_REQUEST),
        ("/graph", StatusCode::BAD_REQUEST),
        ("/api/places", StatusCode::BAD_REQUEST),
        ("/map", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&limit=-1", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&from=yesterday", StatusCode::BAD_REQUEST),
        ("/api/stories?since=soon", StatusCode::BAD_REQUEST),
    ] {
        let g = get(&app, uri).await;
        assert_error(&g, status);
        assert!(g.csp.contains("default-src 'none'"), "{uri}");
    }
    let g = send(
        &app,
        Request::delete("/api/search").body(Body::empty()).unwrap(),
    )
    .await;
    assert_error(&g, StatusCode::METHOD_NOT_ALLOWED);
    // Odd queries never fail the server.
    for uri in [
        "/api/search?q=%22%22%20OR%20*",
        "/api/search?q=NEAR(a%20b)",
        "/api/search?q=%00%01",
        "/?q=%F0%9F%98%80",
        "/api/search?q=",
        "/entity?name=%20%20x",
    ] {
        let g = get(&app, uri).await;
        assert!(
            g.status == StatusCode::OK || g.status == StatusCode::NOT_FOUND,
            "{uri}: {}",
            g.status
        );
    }
}

fn post(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn ingest_needs_the_token() {
    let (tmp, read_only) = sample();
    let g = send(
        &read_only,
        post("/api/ingest", Some("whatever-token"), "Kiel"),
    )
    .await;
    assert_error(&g, StatusCode::FORBIDDEN);

    let app = app(&tmp.0, Some("secret-token-1"));
    assert_error(
        &send(&app, post("/api/ingest", None, "Text über Kiel")).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_error(
        &send(
            &app,
            post("/api/ingest", Some("secret-token-2"), "Text über Kiel"),
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );
    assert_error(
        &send(&app, post("/api/ingest", Some("secret-token-1"), "")).await,
        StatusCode::BAD_REQUEST,
    );
    let big = "x".repeat(10_000);
    assert_error(
        &send(&app, post("/api/ingest", Some("secret-token-1"), &big)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    );
    assert_error(
        &send(&app, post("/api/ingest", Some("secret-token-1"), "FAIL")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let impatient = app_with(
        &tmp.0,
        Some("secret-token-1"),
        std::time::Duration::from_millis(300),
    );
    assert_error(
        &send(
            &impatient,
            post("/api/ingest", Some("secret-token-1"), "SLOW Kiel"),
        )
        .await,
        StatusCode::SERVICE_UNAVAILABLE,
    );
    let ok = send(
        &app,
        post(
            "/api/ingest?name=x.txt",
            Some("secret-token-1"),
            "Ein Text über Kiel.",
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let v = ok.json();
    assert_eq!(v["outcomes"][0]["status"], "new");
    let id = v["outcomes"][0]["id"].as_str().unwrap().to_string();
    // Readers see it at once, searches too (the cache is emptied).
    let after = get(&app, "/api/search?q=Text").await.json();
    assert_eq!(after["result"]["total"], 1);
    let a = get(&app, &format!("/api/article/{id}")).await;
    assert_eq!(a.status, StatusCode::OK);
    let again = send(
        &app,
        post("/api/ingest", Some("secret-token-1"), "Ein Text über Kiel."),
    )
    .await;
    assert_eq!(again.json()["outcomes"][0]["status"], "known");
    // A short token is refused at start.
    let mut c = Config::new(tmp.0.clone());
    c.token = Some("short".into());
    assert!(state(&c).is_err());
}

#[test]
fn a_missing_store_is_refused() {
    let tmp = Tmp::new("missing");
    let c = Config::new(tmp.0.join("none"));
    let e = state(&c).err().unwrap();
    assert!(e.contains("no archive"), "{e}");
}
