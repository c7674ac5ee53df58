//! `dossier serve` through the binary: ingest the examples (and the seed, when ../shared is
//! there), start the server on a free loopback port, read the pages a new user reads, post a
//! hostile page through the token-protected ingest (the real pipeline) and read it back escaped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dossier");
const TOKEN: &str = "integration-token";

struct Server {
    child: Child,
    addr: String,
    store: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn start(extra_inputs: &[PathBuf]) -> Server {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let store =
        std::env::temp_dir().join(format!("dossier-serve-it-{}-{nanos}", std::process::id()));
    let mut ingest = Command::new(BIN);
    ingest
        .arg("ingest")
        .arg(root().join("examples"))
        .arg(root().join("tests/data/serve"))
        .args(extra_inputs)
        .arg("--store")
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    assert!(ingest.status().unwrap().success());
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--token",
            TOKEN,
            "--store",
        ])
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address printed: {line}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "loopback: {addr}");
    Server { child, addr, store }
}

fn request(
    s: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> (u16, String) {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        s.addr,
        body.len()
    );
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(body).unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).to_string();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

fn get(s: &Server, path: &str) -> (u16, String) {
    request(s, "GET", path, None, b"")
}

fn article_of(s: &Server, query: &str) -> String {
    let (st, body) = get(s, &format!("/api/search?q={query}"));
    assert_eq!(st, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = v["result"]["hits"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a hit for {query}: {body}"));
    let (st, page) = get(s, &format!("/article/{id}"));
    assert_eq!(st, 200);
    page
}

#[test]
fn serve_reads_the_archive_and_ingests_with_the_token() {
    let seed = root().join("../shared/corpus/seed-kim-russland.txt");
    let with_seed = seed.exists();
    if !with_seed {
        eprintln!("serve: ../shared absent, the seed's page is not checked (examples only)");
    }
    let s = start(if with_seed {
        std::slice::from_ref(&seed)
    } else {
        &[]
    });

    let (st, home) = get(&s, "/");
    assert_eq!(st, 200);
    assert!(home.contains("Stories") && home.contains("/story/"));

    // An example wire report: its claims and chains marked.
    let page = article_of(&s, "Wehrbeauftragte");
    assert!(page.contains("mk mk-claim") && page.contains("mk mk-ent"));
    assert!(page.contains("according to "));

    // The story of three reports written for these tests: one is a copy of another.
    let page = article_of(&s, "Sperrung");
    assert!(
        page.contains("according to Kieler Rundschau, citing Quellen"),
        "the chain"
    );
    let (st, story) = get(&s, "/api/search?q=Hafenbr%C3%BCcke");
    assert_eq!(st, 200);
    let v: serde_json::Value = serde_json::from_str(&story).unwrap();
    let story_id = v["result"]["hits"][0]["story"].as_i64().unwrap();
    let (_, story) = get(&s, &format!("/api/story/{story_id}"));
    let story: serde_json::Value = serde_json::from_str(&story).unwrap();
    assert_eq!(story["reports"].as_array().unwrap().len(), 3);
    assert_eq!(story["copies"].as_array().unwrap().len(), 1);
    assert!(story["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Kiel"));

    if with_seed {
        let page = article_of(&s, "gepanzerten+Zug");
        assert!(page.contains("according to "), "the seed's claims");
        assert!(page.contains(", citing "), "the seed's chains");
    }

    // Ingest through the real pipeline: refused without the token, filed with it.
    let post = std::fs::read(root().join("tests/data/serve-post/hostile-post.txt")).unwrap();
    let (st, body) = request(&s, "POST", "/api/ingest?name=post.txt", None, &post);
    assert_eq!(st, 401, "{body}");
    let (st, body) = request(&s, "POST", "/api/ingest?name=post.txt", Some(TOKEN), &post);
    assert_eq!(st, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["outcomes"][0]["status"], "new", "{body}");
    let id = v["outcomes"][0]["id"].as_str().unwrap();
    let (st, page) = get(&s, &format!("/article/{id}"));
    assert_eq!(st, 200);
    assert!(page.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"));
    assert!(!page.contains("<script>window"));
    assert!(!page.contains("<img"));
}
