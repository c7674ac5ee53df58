//! Feeds arbitrary bytes to the whole pipeline: it must not panic, and every report it writes
//! must have valid spans.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(docs) = dossier::analyze_bytes("fuzz-input", bytes, &Default::default()) {
        for doc in docs {
            if let Err(e) = doc.validate_spans() {
                panic!("invalid span: {e}");
            }
        }
    }
});
