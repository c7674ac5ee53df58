//! Prints every tagging of the given files in a stable text form, so that two builds of the
//! tagger can be compared byte for byte (`diff`) on large amounts of text: a guard for
//! optimisations that must not change the output.
//!
//! Usage: `cargo run --release -p dossier-time --features tag-dump --example tag_dump -- FILE... > dump.txt`.
//! Each file is cut at line ends into pieces of at most 64 KB; each piece is tagged as German,
//! as English and with the language guessed, in news mode without a document date and in
//! narrative mode, and also in three variants (upper-cased, lower-cased, lines joined).

use dossier_time::{tag, Mode, Options};
use std::fmt::Write as _;

fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_break = 0;
    for (i, _) in text.match_indices('\n') {
        if i - start > 65_536 && last_break > start {
            out.push(&text[start..last_break]);
            start = last_break;
        }
        last_break = i + 1;
    }
    out.push(&text[start..]);
    out
}

fn main() {
    // For profiling: `TAG_DUMP_ONLY=en` tags each file once, as is, in that language, news mode.
    let only = std::env::var("TAG_DUMP_ONLY").ok();
    let mut out = String::new();
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (pi, piece) in pieces(&text).into_iter().enumerate() {
            let variants = [
                piece.to_string(),
                piece.to_uppercase(),
                piece.to_lowercase(),
                piece.replace('\n', " "),
            ];
            for (vi, v) in variants.iter().enumerate() {
                for lang in ["de", "en", "xx"] {
                    for mode in [Mode::News, Mode::Narrative] {
                        if vi > 0 && mode == Mode::Narrative {
                            continue;
                        }
                        if only
                            .as_deref()
                            .is_some_and(|o| vi > 0 || o != lang || mode != Mode::News)
                        {
                            continue;
                        }
                        let options = Options {
                            lang: lang.into(),
                            dct: None,
                            mode,
                        };
                        let t = tag(v, &[], &options);
                        let _ = writeln!(
                            out,
                            "== {path} #{pi} v{vi} {lang} {mode:?} -> {} {:?}",
                            t.lang, t.inferred_dct
                        );
                        for x in &t.timexes {
                            let _ = writeln!(out, "{x:?}");
                        }
                    }
                }
            }
        }
        print!("{out}");
        out.clear();
    }
}
