//! The archive: `dossier ingest` and its readers, through the binary, on hand-written mini reports.
//! Crash safety (kill -9 at random points), idempotence, concurrent reads, bad inputs in a batch.

use dossier_archive::query::{self, SearchQuery};
use dossier_archive::SqliteStore;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "dossier-test-{name}-{}-{nanos}",
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

/// A tiny deterministic generator (no corpus text: invented reports from word lists).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() as usize) % words.len()]
    }
}

/// Invented German reports, each distinct, about 120 words.
fn invented_reports(n: usize, seed: u64) -> Vec<String> {
    let cities = [
        "Berlin", "Hamburg", "München", "Köln", "Dresden", "Leipzig", "Bremen", "Hannover",
    ];
    let people = [
        "Anna Schmidt",
        "Jonas Weber",
        "Petra Keller",
        "Lukas Brandt",
        "Miriam Vogt",
        "Tobias Lenz",
    ];
    let things = [
        "die Waffenlieferungen",
        "den Haushalt",
        "die Brücke",
        "das Krankenhaus",
        "die Schulreform",
        "den Flughafen",
        "die Gaspreise",
    ];
    let verbs = ["kritisierte", "verteidigte", "lobte", "prüfte", "forderte"];
    let mut rng = Lcg(seed);
    (0..n)
        .map(|i| {
            let mut text = format!("Bericht Nummer {i} aus {}\n\n", rng.pick(&cities));
            for s in 0..8 {
                text.push_str(&format!(
                    "{} {} am {}. Tag in {} {} und sagte, man werde {} Punkte im {} Verfahren \
                     vorlegen. ",
                    rng.pick(&people),
                    rng.pick(&verbs),
                    (rng.next() % 28) + 1,
                    rng.pick(&cities),
                    rng.pick(&things),
                    rng.next() % 1000 + s,
                    rng.next() % 97
                ));
            }
            text
        })
        .collect()
}

fn write_inputs(dir: &Path, texts: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("r{i:04}.txt")), t).unwrap();
    }
}

fn ingest(inputs: &Path, store: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("ingest")
        .arg(inputs)
        .arg("--store")
        .arg(store)
        .args(extra)
        .output()
        .expect("dossier runs")
}

fn count(store: &Path) -> u64 {
    let s = SqliteStore::open_read_only(store).expect("store opens");
    query::count(&s.conn).unwrap()
}

/// The store's invariants: every document once, its story holding it, story sizes adding up.
fn check_consistent(store: &Path) -> u64 {
    let s = SqliteStore::open_read_only(store).expect("store opens after a kill");
    let c = &s.conn;
    let integrity: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let docs: i64 = c
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    let distinct: i64 = c
        .query_row("SELECT COUNT(DISTINCT id) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, distinct, "a document stored twice");
    let sizes: i64 = c
        .query_row("SELECT COALESCE(SUM(size), 0) FROM stories", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        sizes, docs,
        "story sizes and documents disagree: a half-written batch"
    );
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM documents WHERE story NOT IN (SELECT id FROM stories)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let counted: i64 = c
        .query_row(
            "SELECT COALESCE(MAX(n), 0) FROM df WHERE term = ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        counted, docs,
        "frequencies count other documents than are stored"
    );
    docs as u64
}

#[test]
fn ingest_is_idempotent_and_bad_inputs_do_not_stop_it() {
    let tmp = Tmp::new("idem");
    let inputs = tmp.0.join("in");
    let mut texts = invented_reports(6, 7);
    // A copy of the first report with a new last line: a near-duplicate, not the same content.
    texts.push(format!(
        "{}Weitere Einzelheiten wurden nicht bekannt.",
        texts[0]
    ));
    write_inputs(&inputs, &texts);
    std::fs::write(inputs.join("bad.pdf"), b"%PDF-1.4 binary\x00\x01\x02").unwrap();
    std::fs::write(inputs.join("empty.txt"), b"   \n").unwrap();
    let store = tmp.0.join("store");

    let out = ingest(&inputs, &store, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failures give exit status 1: {stderr}"
    );
    assert!(stderr.contains("bad.pdf"), "{stderr}");
    assert!(
        stderr.contains("7 new (1 near-duplicate copies linked)"),
        "{stderr}"
    );
    assert!(stderr.contains("2 failed"), "{stderr}");
    assert_eq!(check_consistent(&store), 7);

    let again = ingest(&inputs, &store, &[]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("0 new") && stderr.contains("7 already in the archive"),
        "{stderr}"
    );
    assert_eq!(check_consistent(&store), 7);

    // The copy points at the original and shares its story; export carries the fixed names.
    let export = Command::new(BIN)
        .args([
            "export",
            "--what",
            "documents",
            "--format",
            "jsonl",
            "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    assert!(export.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 7);
    for r in &rows {
        for field in ["id", "url", "published", "story", "duplicate_of"] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
    }
    let copies: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| !r["duplicate_of"].is_null())
        .collect();
    assert_eq!(copies.len(), 1, "{rows:?}");
    let original = rows
        .iter()
        .find(|r| r["id"] == copies[0]["duplicate_of"])
        .expect("the original is stored");
    assert_eq!(original["story"], copies[0]["story"]);
    let csv = Command::new(BIN)
        .args(["export", "--format", "csv", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(
        csv.starts_with("id,url,published,story,duplicate_of,"),
        "{csv}"
    );
}

#[test]
fn search_finds_inflections_and_filters() {
    let tmp = Tmp::new("search");
    let inputs = tmp.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let records = [
        serde_json::json!({"url": "https://example.org/a", "published": "2024-03-01",
            "text": "Die Bundesregierung hat neue Waffenlieferungen an die Ukraine beschlossen. \
                     Der Kanzler sagte in Berlin, die Lieferung werde rasch erfolgen."}),
        serde_json::json!({"url": "https://example.com/b", "published": "2024-03-05",
            "text": "The government in London announced new sanctions on Monday. Officials said \
                     the measures would take effect within days."}),
        serde_json::json!({"url": "https://example.net/c", "published": "2024-04-02",
            "text": "Der Versorger meldete am Dienstag höhere Gaslieferungen aus Norwegen. \
                     Der Stadtrat in Linz beriet über den Haushalt."}),
    ];
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    std::fs::write(inputs.join("batch.jsonl"), lines.join("\n")).unwrap();
    let store = tmp.0.join("store");
    let out = ingest(&inputs, &store, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = SqliteStore::open_read_only(&store).unwrap();
    let q = |text: &str, lang: Option<&str>| {
        query::search(
            &s.conn,
            &SearchQuery {
                text: text.into(),
                lang: lang.map(str::to_string),
                limit: 10,
                ..SearchQuery::default()
            },
        )
        .unwrap()
    };
    let hits = q("Waffenlieferung", None);
    assert_eq!(hits.hits.len(), 1);
    assert!(
        hits.hits[0].snippet.contains("**Waffenlieferungen**"),
        "{:?}",
        hits.hits[0]
    );
    assert_eq!(hits.hits[0].url.as_deref(), Some("https://example.org/a"));
    // A compound is found by its last part, and ranks below the word itself.
    let parts = q("Lieferungen", None);
    let urls: Vec<&str> = parts.hits.iter().filter_map(|h| h.url.as_deref()).collect();
    assert_eq!(
        urls,
        ["https://example.org/a", "https://example.net/c"],
        "{parts:?}"
    );
    assert!(
        parts.hits[1].snippet.contains("**Gaslieferungen**"),
        "{:?}",
        parts.hits[1]
    );
    // A short word is no compound head ("Rat" does not find "Stadtrat").
    assert_eq!(q("Rat", None).hits.len(), 0);
    assert_eq!(q("sanction", None).hits.len(), 1);
    assert_eq!(q("sanction", Some("de")).hits.len(), 0);
    assert_eq!(q("nothingsuchword", None).hits.len(), 0);
    let dated = query::search(
        &s.conn,
        &SearchQuery {
            text: "sanctions".into(),
            from: Some("2024-03-02".into()),
            to: Some("2024-03-31".into()),
            limit: 10,
            ..SearchQuery::default()
        },
    )
    .unwrap();
    assert_eq!(dated.hits.len(), 1);
    assert_eq!(dated.facets.outlets[0].0, "example.com");
}

/// Kills an ingest with SIGKILL at random moments; after each kill the store opens, is
/// consistent, and a re-run ends with every document exactly once. 12 kills by default;
/// `DOSSIER_CRASH_KILLS=50` for the full figure.
#[test]
fn ingest_survives_kill_9_at_random_points() {
    let kills: usize = std::env::var("DOSSIER_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let tmp = Tmp::new("crash");
    let inputs = tmp.0.join("in");
    let n = 120;
    write_inputs(&inputs, &invented_reports(n, 42));
    let store = tmp.0.join("store");

    // How long an uninterrupted ingest takes here, to spread the kills over it.
    let probe = tmp.0.join("probe");
    let started = Instant::now();
    let out = ingest(&inputs, &probe, &["--batch", "8"]);
    assert!(out.status.success());
    let full = started.elapsed().max(Duration::from_millis(200));
    assert_eq!(check_consistent(&probe), n as u64);

    let mut rng = Lcg(1234);
    let mut previous = 0;
    let mut killed_mid_way = 0;
    for _ in 0..kills {
        let mut child = Command::new(BIN)
            .arg("ingest")
            .arg(&inputs)
            .arg("--store")
            .arg(&store)
            .args(["--batch", "8"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = Duration::from_micros(rng.next() % (full.as_micros() as u64 / 2).max(1));
        std::thread::sleep(wait);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let committed = check_consistent(&store);
        assert!(committed >= previous, "committed documents were lost");
        if !finished && committed < n as u64 {
            killed_mid_way += 1;
        }
        previous = committed;
        if committed == n as u64 {
            // Start over so that every kill hits an ingest with work left.
            std::fs::remove_dir_all(&store).unwrap();
            previous = 0;
        }
    }
    let out = ingest(&inputs, &store, &["--batch", "8"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(check_consistent(&store), n as u64);
    // The search index holds every report once (a kill between the store's commit and the
    // index's is caught up by the next writer).
    let reader = SqliteStore::open_read_only(&store).unwrap();
    let found = query::search(
        &reader.conn,
        &query::SearchQuery {
            text: "Bericht".into(),
            limit: 1000,
            ..Default::default()
        },
    )
    .unwrap();
    let ids: std::collections::HashSet<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        (found.hits.len(), ids.len()),
        (n, n),
        "the index lost or doubled a report"
    );
    println!("crash test: {kills} kills, {killed_mid_way} mid-way through an ingest; store consistent each time");
}

#[test]
fn readers_work_while_an_ingest_writes() {
    let tmp = Tmp::new("concurrent");
    let inputs = tmp.0.join("in");
    write_inputs(&inputs, &invented_reports(100, 99));
    let store = tmp.0.join("store");
    // Create the store first so that the reader can open it at once.
    SqliteStore::open(&store).unwrap();
    let mut child = Command::new(BIN)
        .arg("ingest")
        .arg(&inputs)
        .arg("--store")
        .arg(&store)
        .args(["--batch", "4"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut last = 0;
    let mut reads = 0;
    loop {
        let done = child.try_wait().unwrap().is_some();
        let s = SqliteStore::open_read_only(&store).unwrap();
        let n = query::count(&s.conn).unwrap();
        assert!(n >= last, "a reader saw documents disappear");
        last = n;
        let r = query::search(
            &s.conn,
            &SearchQuery {
                text: "Waffenlieferungen".into(),
                limit: 5,
                ..SearchQuery::default()
            },
        )
        .expect("search works during an ingest");
        assert!(r.hits.len() <= 5);
        reads += 1;
        if done {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
    assert_eq!(count(&store), 100);
    assert!(reads > 1);
}
