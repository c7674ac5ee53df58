//! Golden reports: each example article's full report is kept under tests/golden/ and compared
//! field by field, so that any change in what dossier says about a known page is seen in review.
//!
//! After an intended change, re-bless with `DOSSIER_BLESS=1 cargo test --test integration golden`
//! and read the diff of tests/golden/ before committing it.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn example_reports_match_their_golden_files() {
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let golden_dir = root().join("tests/golden");
    let mut mismatches = Vec::new();
    for file in examples() {
        let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&file).unwrap();
        let name = format!("examples/{file_name}");
        let docs = dossier::analyze_bytes(&name, &bytes, &Default::default()).unwrap();
        let actual = serde_json::to_string_pretty(&docs).unwrap() + "\n";
        let golden = golden_dir.join(format!("{file_name}.json"));
        if bless {
            std::fs::create_dir_all(&golden_dir).unwrap();
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                let first_diff = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(expected.lines().count().min(actual.lines().count()));
                mismatches.push(format!(
                    "{file_name}: report differs from {} at line {}:\n  expected: {}\n  actual:   {}",
                    golden.display(),
                    first_diff + 1,
                    expected.lines().nth(first_diff).unwrap_or("<end>"),
                    actual.lines().nth(first_diff).unwrap_or("<end>")
                ));
            }
            Err(_) => mismatches.push(format!(
                "{file_name}: no golden report at {}",
                golden.display()
            )),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n(re-bless with DOSSIER_BLESS=1 if the change is intended)",
        mismatches.join("\n")
    );
}
