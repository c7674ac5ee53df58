//! Properties that hold for every input: segmentation gives sane byte ranges, and analysis
//! never panics and writes only valid spans. Case counts stay small for a 2-core CI.

use proptest::prelude::*;

/// News-like text stitched from fragments that exercise the segmenter's special cases, mixed
/// with arbitrary characters (multi-byte, control, invisible).
fn news_like_text() -> impl Strategy<Value = String> {
    let fragments = prop::sample::select(vec![
        ".",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "\u{a0}",
        "\u{2009}",
        "\u{200b}",
        "\u{0}",
        "\u{2029}",
        "„",
        "“",
        "”",
        "»",
        "«",
        "‚",
        "‘",
        "\"",
        "'",
        "’",
        "(",
        ")",
        "[…]",
        "…",
        "?!",
        "!",
        "z. B.",
        "Dr.",
        "usw.",
        "U.S.",
        "e.g.",
        "15.",
        " am 3. Oktober",
        "1989.",
        "1,5",
        "2.000",
        "10:30",
        "https://",
        "www.",
        "@",
        ".de",
        "-",
        "–",
        "Jong-un",
        "e\u{301}",
        "。",
        "Die ",
        "The ",
        "sagte er",
        "\u{fffd}",
        "🚀",
    ]);
    let atom = prop_oneof![
        3 => fragments.prop_map(String::from),
        2 => "[a-zA-ZäöüÄÖÜß0-9]{1,8}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(atom, 0..80).prop_map(|parts| parts.concat())
}

fn check_ranges(text: &str, ranges: &[(usize, usize)], what: &str) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for &(s, e) in ranges {
        prop_assert!(s < e, "{what}: empty or inverted range {s}..{e}");
        prop_assert!(e <= text.len(), "{what}: {s}..{e} past the end");
        prop_assert!(
            s >= previous_end,
            "{what}: {s}..{e} overlaps or is out of order"
        );
        prop_assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{what}: {s}..{e} not on char boundaries"
        );
        previous_end = e;
    }
    Ok(())
}

fn check_segmentation(text: &str, lang: &str) -> Result<(), TestCaseError> {
    let seg = dossier_segment::segment(text, lang);
    check_ranges(text, &seg.tokens, "tokens")?;
    check_ranges(text, &seg.sentences, "sentences")?;
    prop_assert_eq!(seg.kinds.len(), seg.tokens.len());
    // Every token lies inside a sentence (both lists are ordered).
    let mut sentences = seg.sentences.iter().peekable();
    for &(s, e) in &seg.tokens {
        while sentences.peek().is_some_and(|&&(_, se)| se <= s) {
            sentences.next();
        }
        let covered = sentences
            .peek()
            .is_some_and(|&&(ss, se)| ss <= s && e <= se);
        prop_assert!(covered, "token {s}..{e} outside every sentence");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn segmentation_of_news_like_text(
        text in news_like_text(),
        lang in prop::sample::select(vec!["de", "en", "und"]),
    ) {
        check_segmentation(&text, lang)?;
    }

    #[test]
    fn segmentation_of_any_string(text in any::<String>()) {
        check_segmentation(&text, "de")?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn analysis_of_any_bytes_keeps_spans_valid(
        bytes in prop::collection::vec(any::<u8>(), 0..1500),
    ) {
        analyze_and_validate(&bytes)?;
    }

    #[test]
    fn analysis_of_news_like_text_keeps_spans_valid(text in news_like_text()) {
        analyze_and_validate(text.as_bytes())?;
    }
}

fn analyze_and_validate(bytes: &[u8]) -> Result<(), TestCaseError> {
    // Ingest may refuse an input (empty, binary); it must not panic.
    if let Ok(docs) = dossier::analyze_bytes("input", bytes, &Default::default()) {
        for doc in docs {
            if let Err(e) = doc.validate_spans() {
                return Err(TestCaseError::fail(e));
            }
        }
    }
    Ok(())
}
