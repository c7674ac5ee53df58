//! The German set's figures from reports dumped before the events stage, so that a change to the
//! events stage is measured without rebuilding the whole pipeline:
//!
//! ```sh
//! cargo run --release -- eval events --only german --dump-docs target/de-docs.jsonl   # once
//! cargo run --release -p dossier-events --example de_eval [target/de-docs.jsonl] [--errors A] [--misses A]
//! ```
//!
//! The figures equal `dossier eval events --only german` as long as the stages before events are
//! unchanged. The dump holds the corpus text: keep it under `target/`.

use dossier_core::Document;
use std::collections::HashMap;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = "target/de-docs.jsonl".to_string();
    let (mut errors, mut misses) = (None, None);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--errors" => {
                errors = args.get(i + 1).cloned();
                i += 1;
            }
            "--misses" => {
                misses = args.get(i + 1).cloned();
                i += 1;
            }
            p => path = p.to_string(),
        }
        i += 1;
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{path} not found: run `dossier eval events --only german --dump-docs {path}`");
        return;
    };
    let docs: HashMap<String, Document> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Document>(l).ok())
        .map(|d| (d.id.clone(), d))
        .collect();
    let analyze = |name: &str, paragraphs: Vec<String>, _date: &str| {
        let mut d = docs
            .get(name)
            .cloned()
            .unwrap_or_else(|| Document::from_paragraphs(name, "de", paragraphs));
        d.reindex();
        dossier_events::annotate(&mut d);
        d
    };
    let dir = std::path::Path::new("../shared/data/events/plover-de");
    let r = match dossier_events::eval::german(dir, &analyze) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    print!("{}", dossier_events::eval::print_german(&r));
    if std::env::var("DOSSIER_DIAG").is_ok() {
        for (name, c) in [("A", &r.halves[0]), ("B", &r.halves[1])] {
            for (k, n) in &c.role_diag {
                println!("{name} {n:>2}  {k}");
            }
        }
    }
    let half = |h: &str| usize::from(h.eq_ignore_ascii_case("b"));
    if let Some(h) = errors {
        for line in &r.halves[half(&h)].errors {
            println!("{line}");
        }
    }
    if let Some(h) = misses {
        for line in &r.halves[half(&h)].misses {
            println!("{line}");
        }
    }
}
