//! Release-mode timing of page-dump cleaning alone:
//! `cargo run --release -p dossier-clean --example clean_timing -- examples/*.txt`.

use std::time::Instant;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .filter_map(|path| match std::fs::read(&path) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) => {
                eprintln!("{path}: {e}");
                None
            }
        })
        .collect();
    if texts.is_empty() {
        eprintln!("usage: clean_timing FILE...");
        return;
    }
    let start = Instant::now();
    std::hint::black_box(dossier_clean::clean_page_dump(&texts[0]));
    println!(
        "first call (loads the tables, compiles the patterns): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let bytes: usize = texts.iter().map(String::len).sum();
    let rounds = 1000;
    let start = Instant::now();
    for _ in 0..rounds {
        for text in &texts {
            std::hint::black_box(dossier_clean::clean_page_dump(text));
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let docs = rounds * texts.len();
    println!(
        "{docs} dumps in {seconds:.2} s: {:.0} µs per dump, {:.1} MB/s",
        seconds * 1e6 / docs as f64,
        (bytes * rounds) as f64 / seconds / 1e6
    );
}
