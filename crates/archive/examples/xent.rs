//! Re-files the reports of an archive into a fresh one and scores its entities across
//! languages against a hand-checked list (a quick loop for the merge rules; the figures of
//! record come from `dossier eval clustering`).
//!
//! `cargo run --release -p dossier-archive --example xent -- SOURCE_STORE LIST.tsv [--errors]`

use dossier_archive::{eval, query, Archive, Prepared, SqliteStore};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: xent SOURCE_STORE LIST.tsv [--errors]");
        std::process::exit(2);
    }
    let source = SqliteStore::open(std::path::Path::new(&args[1]))?;
    let mut docs = Vec::new();
    for row in query::documents(&source.conn)? {
        if let Some(doc) = query::report(&source.conn, &row.id)? {
            docs.push(Prepared::from_document(&doc));
        }
    }
    let dir = std::env::temp_dir().join(format!("xent-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut archive = Archive::new(SqliteStore::open(&dir)?);
    archive.add_batch(&docs)?;
    let list = eval::parse_list(&std::fs::read_to_string(&args[2])?);
    let score = eval::score(&archive.store.conn, &list)?;
    print!("{}", score.kind_table());
    println!(
        "cross-language archive entities {}, holding two listed: {}",
        score.cross_language.len(),
        score.cross_language_wrong().count()
    );
    if args.iter().any(|a| a == "--errors") {
        print!("{}", score.error_report());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
