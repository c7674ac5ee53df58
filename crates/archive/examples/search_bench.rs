//! Search latency in process (a benchmark, not a test): `bench/archive.sh` and `bench/serve.sh`
//! measure through the CLI and the server; this one times `query::search` alone, per kind of
//! query, on an existing store.
//!
//!   cargo run --release -p dossier-archive --example search_bench -- STORE_DIR [QUERIES]
//!
//! Query words are drawn from 300 of the store's reports (a third among their hundred most
//! frequent words, the rest any word that two of them use),
//! in four kinds: one word, two words, one word with a language and date filter, one word with
//! an outlet filter.

use dossier_archive::query::{search, SearchQuery};
use dossier_archive::SqliteStore;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let store = PathBuf::from(
        args.get(1)
            .expect("usage: search_bench STORE_DIR [QUERIES]"),
    );
    let n: usize = args.get(2).map_or(400, |s| s.parse().expect("a number"));
    let conn = SqliteStore::open_read_only(&store).expect("store").conn;
    // Words of 300 reports spread over the store, by how many of them use each.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    let texts: Vec<String> = conn
        .prepare("SELECT text FROM documents WHERE seq % (1 + (SELECT MAX(seq) FROM documents) / 300) = 0 LIMIT 300")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect::<Result<Vec<_>, _>>())
        .expect("texts");
    for t in &texts {
        let mut seen = std::collections::HashSet::new();
        for w in dossier_archive::text::words(t) {
            if w.chars().count() >= 4 && seen.insert(w.clone()) {
                *counts.entry(w).or_default() += 1;
            }
        }
    }
    let mut vocab: Vec<(String, usize)> = counts.into_iter().filter(|c| c.1 >= 2).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let outlets: Vec<String> = conn
        .prepare("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL LIMIT 50")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("outlets");
    let docs: i64 = conn
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .expect("count");
    println!("{docs} reports, {} query words", vocab.len());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m.max(1) as u64) as usize
    };
    let word = |next: &mut dyn FnMut(usize) -> usize| {
        if next(3) == 0 {
            vocab[next(vocab.len().min(100))].0.clone()
        } else {
            vocab[next(vocab.len())].0.clone()
        }
    };
    let kinds = ["one word", "two words", "lang + from", "outlet"];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    for i in 0..n {
        let kind = i % kinds.len();
        let mut q = SearchQuery {
            text: word(&mut next),
            limit: 10,
            ..SearchQuery::default()
        };
        match kind {
            1 => q.text = format!("{} {}", q.text, word(&mut next)),
            2 => {
                q.lang = Some("de".into());
                q.from = Some("2025-01-01".into());
            }
            3 if !outlets.is_empty() => q.outlet = Some(outlets[next(outlets.len())].clone()),
            _ => {}
        }
        let t = Instant::now();
        search(&conn, &q).expect("search");
        times[kind].push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut all = Vec::new();
    for (kind, t) in kinds.iter().zip(&mut times) {
        all.extend(t.iter().copied());
        print_line(kind, t);
    }
    print_line("all", &mut all);
}

fn print_line(kind: &str, t: &mut [f64]) {
    t.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| t[((t.len() as f64 * p) as usize).min(t.len() - 1)];
    println!(
        "{kind:>12}: {} queries, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        t.len(),
        q(0.5),
        q(0.95),
        q(0.99),
        t[t.len() - 1]
    );
}
