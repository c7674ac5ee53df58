//! The reference input, read from `../shared` (never copied into the project) and analysed once
//! for every test module that checks an issue's bar on it.

use dossier_core::Document;
use std::sync::OnceLock;

/// The seed's report, or `None` (after saying so) when `../shared` is absent.
pub fn report() -> Option<&'static Document> {
    static REPORT: OnceLock<Option<Document>> = OnceLock::new();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed-kim-russland.txt"
    );
    let report = REPORT.get_or_init(|| {
        let bytes = std::fs::read(path).ok()?;
        let mut docs = dossier::analyze_bytes("seed.txt", &bytes, &Default::default())
            .expect("the seed analyses");
        let doc = docs.remove(0);
        doc.validate_spans()
            .expect("valid spans in the seed's report");
        Some(doc)
    });
    if report.is_none() {
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("skipped: {path} is absent\n"),
        );
    }
    report.as_ref()
}
