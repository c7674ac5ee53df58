//! Every span of every example report lies inside `text` and covers the text it names.

use std::path::Path;

fn example_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
    files.sort();
    files
}

#[test]
fn every_span_of_every_example_is_valid() {
    let files = example_files();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let docs = dossier::analyze_bytes(&file.display().to_string(), &bytes, &Default::default())
            .unwrap();
        for doc in docs {
            doc.validate_spans()
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
    }
}
