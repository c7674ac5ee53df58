//! The load test of `dossier serve` (a benchmark, not a test; `bench/serve.sh` runs it):
//!
//!   loadtest synth --store DIR --docs 100000 [--flat]  # invented reports, filed straight into a store
//!                  (--flat: without stories or near-duplicate bands, for search latency only)
//!   loadtest serve --store DIR --bind 127.0.0.1:PORT [--cache-entries N]
//!   loadtest load --addr 127.0.0.1:PORT --store DIR --path search|article|article-api
//!            [--rps 200] [--seconds 30] [--clients 16]
//!
//! `synth` writes reports we invent from word lists (no corpus text), with entities, places,
//! a time, a quotation and a claim each, through the archive's own writer (near-duplicates,
//! stories, full-text index). `load` is an open-loop client on loopback: requests are scheduled
//! at a fixed rate and each latency counts from its scheduled time (a slow answer delays those
//! behind it, and that delay is counted); it stops by itself after `--seconds`.

use dossier_archive::{Archive, Placement, Prepared, SqliteStore, Store};
use dossier_core::{
    Attribution, ChainLink, Document, Entity, Geo, Mention, Published, TextSpan, Time,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf: small indices much more often.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ber", "lin", "kra", "ge", "stadt", "rat", "haus", "bau", "wer", "ke", "lan", "des", "amt",
    "stra", "ße", "bahn", "hof", "markt", "plan", "ver", "kehr", "schul", "geld", "steu", "er",
    "po", "li", "zei", "feu", "wehr", "hafen", "brü", "cke", "wald", "feld", "dorf", "müh", "le",
];
const FIRST: &[&str] = &[
    "Anna", "Jonas", "Petra", "Lukas", "Miriam", "Tobias", "Sabine", "Henrik", "Clara", "Felix",
    "Greta", "Moritz", "Leonie", "Paul", "Ida", "Karl", "Nora", "Emil", "Frieda", "Oskar",
];
const LAST: &[&str] = &[
    "Schmidt", "Weber", "Keller", "Brandt", "Vogel", "Kraus", "Lorenz", "Hartmann", "Roth",
    "Sommer", "Winter", "Berger", "Franke", "Jung", "Haas", "Busch", "Kühn", "Pohl", "Seidel",
];

fn word(rng: &mut Rng, vocab: &[String]) -> String {
    vocab[rng.zipf(vocab.len())].clone()
}

fn vocabulary(n: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = std::collections::BTreeSet::new();
    while out.len() < n {
        let k = 2 + rng.below(3);
        let w: String = (0..k)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        out.insert(w);
    }
    out.into_iter().collect()
}

fn span_of(text: &str, byte: usize, len: usize) -> [usize; 2] {
    let s = text[..byte].chars().count();
    [s, s + text[byte..byte + len].chars().count()]
}

fn invent(i: usize, vocab: &[String], rng: &mut Rng) -> Document {
    let person = format!(
        "{} {}",
        FIRST[rng.below(FIRST.len())],
        LAST[rng.below(LAST.len())]
    );
    let city_n = rng.zipf(400);
    let city = format!("{}stadt", vocab[city_n * 7 % vocab.len()]);
    let city = {
        let mut c = city.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or(city)
    };
    let mut paras = Vec::new();
    let title: Vec<String> = (0..6).map(|_| word(rng, vocab)).collect();
    paras.push(format!("{} in {city}", title.join(" ")));
    let claim_words: Vec<String> = (0..12).map(|_| word(rng, vocab)).collect();
    let claim = claim_words.join(" ");
    paras.push(format!("{person} sagte am Dienstag in {city}, {claim}."));
    for _ in 0..4 {
        let w: Vec<String> = (0..35).map(|_| word(rng, vocab)).collect();
        paras.push(format!("{}.", w.join(" ")));
    }
    let mut d = Document::from_paragraphs(&format!("synth-{i}"), "de", paras);
    d.id = format!("s{i:08}");
    let outlet = format!("zeitung{}.example", rng.zipf(60));
    d.source.url = Some(format!("https://{outlet}/artikel/{i}"));
    let day = 1 + rng.below(700);
    let date = {
        let (y, rest) = if day > 365 {
            (2025, day - 365)
        } else {
            (2024, day)
        };
        let m = (rest - 1) / 31 + 1;
        let dd = (rest - 1) % 28 + 1;
        format!("{y}-{:02}-{:02}", m.min(12), dd)
    };
    d.meta.published = Some(Published {
        date,
        origin: "metadata".into(),
        evidence: vec![],
        confidence: 1.0,
    });
    let text = d.text.clone();
    let head_end = text.find("\n\n").unwrap_or(text.len());
    d.meta.headline = Some(TextSpan {
        text: text[..head_end].to_string(),
        span: span_of(&text, 0, head_end),
    });
    let pb = text.find(&person).unwrap_or(0);
    let cb: Vec<usize> = text.match_indices(&city).map(|(b, _)| b).collect();
    let geo_id = 9_000_000 + city_n as u64;
    d.entities = vec![
        Entity {
            id: "E1".into(),
            kind: "PER".into(),
            name: person.clone(),
            mentions: vec![Mention {
                span: span_of(&text, pb, person.len()),
                text: person.clone(),
                kind: "name".into(),
            }],
            geo: None,
            confidence: None,
        },
        Entity {
            id: "E2".into(),
            kind: "LOC".into(),
            name: city.clone(),
            mentions: cb
                .iter()
                .map(|&b| Mention {
                    span: span_of(&text, b, city.len()),
                    text: city.clone(),
                    kind: "name".into(),
                })
                .collect(),
            geo: Some(Geo {
                lat: 47.5 + (city_n % 37) as f64 * 0.2,
                lon: 6.0 + (city_n % 41) as f64 * 0.22,
                country: Some("DE".into()),
                geonames: Some(geo_id),
                feature_class: Some("P".into()),
            }),
            confidence: None,
        },
    ];
    if let Some(tb) = text.find("Dienstag") {
        d.times = vec![Time {
            id: "T1".into(),
            span: span_of(&text, tb, "Dienstag".len()),
            text: "Dienstag".into(),
            kind: "DATE".into(),
            value: d.meta.published.as_ref().map(|p| p.date.clone()),
            anchor: "dct".into(),
        }];
    }
    if let Some(kb) = text.find(&claim) {
        let span = span_of(&text, kb, claim.len());
        d.quotes = vec![dossier_core::Quote {
            id: "Q1".into(),
            kind: "indirect".into(),
            span,
            content: claim.clone(),
            speaker: Some("E1".into()),
            speaker_text: Some(person.clone()),
            ..Default::default()
        }];
        d.attributions = vec![Attribution {
            id: "A1".into(),
            claim: TextSpan { text: claim, span },
            chain: vec![ChainLink {
                entity: Some("E1".into()),
                text: person,
                cue: Some("sagte".into()),
            }],
            stance: "reported".into(),
            confidence: 0.8,
        }];
    }
    d.reindex();
    d
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn synth(args: &[String]) {
    let store = PathBuf::from(arg(args, "--store").expect("--store DIR"));
    let n: usize = arg(args, "--docs").map_or(100_000, |s| s.parse().expect("a number"));
    let flat = args.iter().any(|a| a == "--flat");
    let vocab = vocabulary(6000);
    let mut archive = Archive::new(SqliteStore::open(&store).expect("store"));
    let have = dossier_archive::query::count(&archive.store.conn).unwrap_or(0) as usize;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let started = Instant::now();
    let mut i = 0;
    while i < n {
        let docs: Vec<Document> = (i..(i + 1000).min(n))
            .map(|k| invent(k, &vocab, &mut rng))
            .collect();
        i += docs.len();
        if i <= have {
            continue; // filed by an earlier run (the same reports: the generator is seeded)
        }
        let batch: Vec<Prepared> = docs.iter().map(Prepared::from_document).collect();
        if flat {
            // Every report its own story, no near-duplicate look-up: only for search latency.
            let store = &mut archive.store;
            store.begin().expect("begin");
            for (k, d) in batch.iter().enumerate() {
                // No near-duplicate bands either (128 rows per report, most of a store's size).
                let d = &Prepared {
                    signature: Vec::new(),
                    ..d.clone()
                };
                let place = Placement {
                    story: (i - batch.len() + k) as i64,
                    ..Placement::default()
                };
                store.insert(d, &place).expect("filed");
            }
            store.commit().expect("commit");
        } else {
            archive.add_batch(&batch).expect("filed");
        }
        if i % 10_000 == 0 {
            eprintln!(
                "synth: {i} reports, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let _ = archive
        .store
        .conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    eprintln!(
        "synth: {n} reports in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// One keep-alive connection: GET, read the answer (Content-Length), status and bytes.
struct Conn {
    addr: String,
    r: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn get(&mut self, path: &str) -> std::io::Result<(u16, usize)> {
        if self.r.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            self.r = Some(BufReader::new(s));
        }
        let r = self.r.as_mut().expect("connected");
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        r.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut len = 0usize;
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        r.read_exact(&mut body)?;
        Ok((status, len))
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn load(args: &[String]) {
    let addr = arg(args, "--addr").expect("--addr HOST:PORT");
    let store = PathBuf::from(arg(args, "--store").expect("--store DIR"));
    let kind = arg(args, "--path").unwrap_or_else(|| "search".into());
    let rps: f64 = arg(args, "--rps").map_or(200.0, |s| s.parse().expect("a number"));
    let seconds: f64 = arg(args, "--seconds").map_or(30.0, |s| s.parse().expect("a number"));
    let clients: usize = arg(args, "--clients").map_or(16, |s| s.parse().expect("a number"));
    // The paths: articles that exist, query words of the archive (frequent and rare ones).
    let conn = SqliteStore::open_read_only(&store).expect("store").conn;
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM documents ORDER BY (seq * 7919) % 100003 LIMIT 5000")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()
        })
        .expect("ids");
    let vocab = vocabulary(6000);
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let total = (rps * seconds) as usize;
    let paths: Vec<String> = (0..total)
        .map(|i| match kind.as_str() {
            "article" => format!("/article/{}", ids[i % ids.len()]),
            "article-api" => format!("/api/article/{}", ids[i % ids.len()]),
            _ => {
                // Query words: a quarter popular (drawn by frequency rank, Zipf: these repeat),
                // the rest any word of the vocabulary alike, rare and frequent.
                let any = |rng: &mut Rng| vocab[rng.below(vocab.len())].clone();
                match i % 4 {
                    0 => format!("/api/search?q={}", enc(&any(&mut rng))),
                    1 => format!(
                        "/api/search?q={}+{}",
                        enc(&any(&mut rng)),
                        enc(&any(&mut rng))
                    ),
                    2 => format!(
                        "/api/search?q={}&lang=de&from=2025-01-01",
                        enc(&any(&mut rng))
                    ),
                    _ => format!("/api/search?q={}", enc(&vocab[rng.zipf(vocab.len())])),
                }
            }
        })
        .collect();
    let paths = std::sync::Arc::new(paths);
    let start = Instant::now() + Duration::from_millis(200);
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let paths = paths.clone();
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut conn = Conn { addr, r: None };
                let mut lat = Vec::new();
                let mut errors = 0usize;
                let mut i = c;
                while i < paths.len() {
                    let due = start + Duration::from_secs_f64(i as f64 / rps);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                    match conn.get(&paths[i]) {
                        Ok((200, _)) => lat.push(due.elapsed().as_secs_f64() * 1000.0),
                        _ => {
                            errors += 1;
                            conn.r = None;
                        }
                    }
                    i += clients;
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("client");
        all.extend(l);
        errors += e;
    }
    let took = start.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{kind}: {} requests ({errors} errors) in {took:.1} s = {:.0} req/s, {clients} clients; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len() + errors,
        (all.len() + errors) as f64 / took,
        q(0.50),
        q(0.90),
        q(0.99),
        all.last().copied().unwrap_or(f64::NAN)
    );
}

/// The read-only server of `dossier serve` (the same router and state; this binary only lacks
/// the pipeline, which a read-only server never runs), so that the benchmark needs no release
/// build of the whole `dossier` binary.
fn serve(args: &[String]) {
    let store = PathBuf::from(arg(args, "--store").expect("--store DIR"));
    let bind = arg(args, "--bind").unwrap_or_else(|| "127.0.0.1:0".into());
    let mut config = dossier_serve::Config::new(store);
    if let Some(n) = arg(args, "--cache-entries") {
        config.cache_entries = n.parse().expect("a number");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&bind).await.expect("bind");
        eprintln!(
            "dossier: serving at http://{}/ (read-only)",
            listener.local_addr().expect("address")
        );
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        if let Err(e) = dossier_serve::serve(config, listener, stop).await {
            eprintln!("loadtest serve: {e}");
        }
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("synth") => synth(&args),
        Some("serve") => serve(&args),
        Some("load") => load(&args),
        _ => eprintln!("usage: loadtest synth --store DIR [--docs N] | load --addr A --store DIR [--path search|article|article-api] [--rps R] [--seconds S] [--clients C]"),
    }
}
