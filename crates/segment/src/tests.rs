//! Unit tests with sentences written for this crate in the style of news reports.

use super::*;

fn sentences_of<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    segment(text, lang)
        .sentences
        .iter()
        .map(|&(s, e)| &text[s..e])
        .collect()
}

fn tokens_of<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    segment(text, lang)
        .tokens
        .iter()
        .map(|&(s, e)| &text[s..e])
        .collect()
}

fn kind_of(text: &str, lang: &str, token: &str) -> Option<TokenKind> {
    let seg = segment(text, lang);
    seg.tokens
        .iter()
        .position(|&(s, e)| &text[s..e] == token)
        .map(|i| seg.kinds[i])
}

#[test]
fn empty_and_blank_text_have_no_sentences() {
    assert_eq!(segment("", "de"), Segmentation::default());
    let blank = segment(" \n\n\t\u{a0} ", "de");
    assert!(blank.sentences.is_empty() && blank.tokens.is_empty());
}

#[test]
fn german_abbreviations_do_not_end_sentences() {
    let text = "Die Stadt plant z. B. neue Radwege. Laut Dr. Lehmann und Prof. Yilmaz kosten \
                sie ca. 4 Mio. Euro, d. h. mehr als geplant. Der Rat stimmt im Mai ab.";
    assert_eq!(
        sentences_of(text, "de"),
        [
            "Die Stadt plant z. B. neue Radwege.",
            "Laut Dr. Lehmann und Prof. Yilmaz kosten sie ca. 4 Mio. Euro, d. h. mehr als geplant.",
            "Der Rat stimmt im Mai ab.",
        ]
    );
    let toks = tokens_of("Sie nannte z.B. Nr. 7 bzw. Nr. 9.", "de");
    assert_eq!(
        toks,
        ["Sie", "nannte", "z.B.", "Nr.", "7", "bzw.", "Nr.", "9", "."]
    );
    assert_eq!(
        kind_of("Es kam u. a. Dr. Roth.", "de", "Dr."),
        Some(TokenKind::Abbreviation)
    );
}

#[test]
fn abbreviations_that_may_end_a_sentence() {
    let text = "Im Lager fehlten Zelte, Decken usw. Die Helfer baten um Spenden.";
    assert_eq!(sentences_of(text, "de").len(), 2);
    let text = "Im Lager fehlten Zelte, Decken usw. Hilfsgüter kamen erst später.";
    assert_eq!(
        sentences_of(text, "de").len(),
        1,
        "no starter after usw.: kept"
    );
    let text = "The deal was signed by Northwind Inc. The shares rose.";
    assert_eq!(sentences_of(text, "en").len(), 2);
}

#[test]
fn english_titles_and_dotted_abbreviations() {
    let text = "Mr. Okafor met Mrs. Lindqvist in the U.S. capital on Tuesday. They talked \
                about tariffs, e.g. on steel, i.e. the main issue. Sanctions were eased by \
                the U.S. The talks resume next week.";
    assert_eq!(
        sentences_of(text, "en"),
        [
            "Mr. Okafor met Mrs. Lindqvist in the U.S. capital on Tuesday.",
            "They talked about tariffs, e.g. on steel, i.e. the main issue.",
            "Sanctions were eased by the U.S.",
            "The talks resume next week.",
        ]
    );
    assert_eq!(kind_of(text, "en", "U.S."), Some(TokenKind::Abbreviation));
}

#[test]
fn ordinals_and_dates_do_not_end_sentences() {
    let cases = [
        "Das Treffen findet vom 10. bis 13. September in Genf statt.",
        "Am 3. Oktober 1990 endete die Teilung.",
        "Die Truppen stehen nördlich des 38. Breitengrads an der Grenze.",
        "Der 70. Jahrestag wurde mit einem Konzert begangen.",
        "Sie feierte am 15. August ihren 80. Geburtstag.",
        "Im Finale belegte das Team den 3. Platz.",
        "Der Prozess wurde am 12. Verhandlungstag vertagt.",
        "Die Frist endet am 30.06. für alle Anträge.",
        "Papst Leo XIV. besuchte die Stadt.",
    ];
    for text in cases {
        assert_eq!(sentences_of(text, "de"), [text], "{text}");
    }
    assert!(tokens_of(cases[4], "de").contains(&"15."));
    assert_eq!(kind_of(cases[2], "de", "38."), Some(TokenKind::Ordinal));
}

#[test]
fn numbers_at_the_end_of_a_sentence_still_end_it() {
    let cases = [
        "Die Zahl der Verletzten stieg auf 15. Die Polizei ermittelt.",
        "Die Mauer fiel 1989. Danach änderte sich vieles.",
        "Gezählt wurden 2020. Rettungskräfte blieben vor Ort.",
        "Das Ergebnis lautete 2:1. Trainer Weber war zufrieden.",
        "The vote was 52 to 48. The bill passed.",
    ];
    for text in cases {
        assert_eq!(sentences_of(text, "de").len(), 2, "{text}");
    }
    assert_eq!(sentences_of("1. Die Kosten steigen weiter.", "de").len(), 1);
}

#[test]
fn initials_do_not_end_sentences() {
    let text = "John F. Kennedy sprach in Berlin. A. Weber begrüßte ihn.";
    assert_eq!(
        sentences_of(text, "de"),
        [
            "John F. Kennedy sprach in Berlin.",
            "A. Weber begrüßte ihn."
        ]
    );
}

#[test]
fn numbers_keep_their_separators() {
    let toks = tokens_of(
        "Rund 1,5 Millionen und 2.000 Helfer, 3.5 percent, um 10:30 Uhr.",
        "de",
    );
    for number in ["1,5", "2.000", "3.5", "10:30"] {
        assert!(toks.contains(&number), "{number} in {toks:?}");
    }
    assert_eq!(
        kind_of("um 10:30 Uhr", "de", "10:30"),
        Some(TokenKind::Number)
    );
    let text = "The economy grew by 3.5 percent. Inflation fell to 2.1 percent.";
    assert_eq!(sentences_of(text, "en").len(), 2);
}

#[test]
fn urls_and_emails_are_one_token() {
    let text = "Mehr unter https://www.example.org/news/artikel-12.html. Fragen an \
                redaktion@example-zeitung.de oder www.example.org/kontakt (werktags).";
    let toks = tokens_of(text, "de");
    assert!(
        toks.contains(&"https://www.example.org/news/artikel-12.html"),
        "{toks:?}"
    );
    assert!(toks.contains(&"redaktion@example-zeitung.de"), "{toks:?}");
    assert!(toks.contains(&"www.example.org/kontakt"), "{toks:?}");
    assert_eq!(sentences_of(text, "de").len(), 2);
    assert_eq!(
        kind_of(text, "de", "redaktion@example-zeitung.de"),
        Some(TokenKind::Email)
    );
}

#[test]
fn quotes_of_every_style_stay_with_their_cue() {
    let one_sentence = [
        "„Wir werden nicht nachgeben“, sagte die Ministerin.",
        "„Wir sind bereit!“, rief der Sprecher.",
        "„Wer zahlt das?“ fragte eine Anwohnerin.",
        "»Das ist falsch«, erklärte der Verband.",
        "«Das bleibt so», sagte sie.",
        "“We will not back down,” she said.",
        "\"Stop!\" he shouted.",
        "Er nannte den Plan ‚absurd‘ und ging.",
        "'Not now,' the minister said.",
    ];
    for text in one_sentence {
        assert_eq!(sentences_of(text, "de"), [text], "{text}");
    }
    let text =
        "»Das ist falsch.« Der Verband widersprach. „Wir prüfen das.“ Dann endete die Sitzung.";
    assert_eq!(
        sentences_of(text, "de"),
        [
            "»Das ist falsch.«",
            "Der Verband widersprach.",
            "„Wir prüfen das.“",
            "Dann endete die Sitzung.",
        ]
    );
    let toks = tokens_of("„Ja“, sagte er.", "de");
    assert_eq!(toks, ["„", "Ja", "“", ",", "sagte", "er", "."]);
}

#[test]
fn paragraph_breaks_always_end_a_sentence() {
    let text = "Kanzlerin reist nach Warschau\n\nDer Besuch dauert zwei Tage\r\n\r\nMehr folgt";
    assert_eq!(
        sentences_of(text, "de"),
        [
            "Kanzlerin reist nach Warschau",
            "Der Besuch dauert zwei Tage",
            "Mehr folgt"
        ]
    );
    // A single line break inside a paragraph does not.
    assert_eq!(sentences_of("Der Besuch\ndauert zwei Tage.", "de").len(), 1);
}

#[test]
fn words_compounds_and_apostrophes() {
    let toks = tokens_of(
        "Die US-Regierung lud Kim Jong-un ein; Putins Reaktion: don't, Kim's.",
        "de",
    );
    assert_eq!(
        toks,
        [
            "Die",
            "US-Regierung",
            "lud",
            "Kim",
            "Jong-un",
            "ein",
            ";",
            "Putins",
            "Reaktion",
            ":",
            "don't",
            ",",
            "Kim's",
            "."
        ]
    );
    assert_eq!(
        tokens_of("Ein- und Ausreise im Ukraine-Krieg", "de"),
        ["Ein-", "und", "Ausreise", "im", "Ukraine-Krieg"]
    );
}

#[test]
fn ellipses_questions_and_brackets() {
    assert_eq!(sentences_of("Er zögerte... Dann sprach er.", "de").len(), 2);
    assert_eq!(sentences_of("Er zögerte … und sprach dann.", "de").len(), 1);
    assert_eq!(sentences_of("Das sei […] Unsinn, sagte er.", "de").len(), 1);
    assert_eq!(
        sentences_of("Was nun? Die Frage bleibt offen!", "de").len(),
        2
    );
    assert_eq!(tokens_of("Wirklich?!", "de"), ["Wirklich", "?!"]);
    assert_eq!(
        sentences_of(
            "Der Etat steigt (siehe Grafik.) Die Opposition klagt.",
            "de"
        )
        .len(),
        2
    );
}

#[test]
fn cjk_full_stops_end_sentences() {
    assert_eq!(
        sentences_of("今天下雨。明天晴天。", "zh"),
        ["今天下雨。", "明天晴天。"]
    );
}

#[test]
fn odd_characters_do_not_break_the_scan() {
    let text = "Preis:\u{a0}5\u{a0}€\u{200b} – \u{0}Ende\u{7}.\u{2029}Neu e\u{301}tait 🚀!";
    let seg = segment(text, "de");
    for &(s, e) in &seg.tokens {
        assert!(s < e && text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    assert_eq!(seg.sentences.len(), 2);
    assert!(tokens_of(text, "de").contains(&"e\u{301}tait"));
}

/// Throughput on a large German text; run with
/// `cargo test --release -p dossier-segment -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    let paragraph = "Die US-Regierung hat am 3. Oktober neue Sanktionen angekündigt. „Wir werden \
        nicht tatenlos zusehen“, sagte Außenministerin Dr. Meier laut einer Mitteilung. Die \
        Maßnahmen betreffen u. a. rund 1,5 Mio. Tonnen Stahl im Wert von 2.000 Euro je Tonne, \
        d. h. etwa 3.5 Prozent der Einfuhren. Kim Jong-un reagierte am 15. August: Man werde \
        sich wehren! Mehr unter https://www.example.org/politik/sanktionen.html oder per \
        E-Mail an leser@example.de. Der 70. Jahrestag des Waffenstillstands fiel auf einen \
        Donnerstag.\n\n";
    let text = paragraph.repeat(200_000 / paragraph.len() * 100);
    let started = std::time::Instant::now();
    let cpu_started = thread_cpu_ns();
    let mut tokens = 0;
    let rounds = 5;
    for _ in 0..rounds {
        tokens += segment(&text, "de").tokens.len();
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = (text.len() * rounds) as f64 / 1e6;
    eprintln!(
        "segment: {mb:.0} MB in {secs:.2} s wall = {:.0} MB/s, {tokens} tokens",
        mb / secs
    );
    // The machine may be shared: CPU time of this thread is the per-core figure.
    if let (Some(a), Some(b)) = (cpu_started, thread_cpu_ns()) {
        let cpu = (b - a) as f64 / 1e9;
        eprintln!(
            "segment: {cpu:.2} s on the CPU = {:.0} MB/s per core",
            mb / cpu
        );
    }
}

/// Nanoseconds this thread has run, from Linux's schedstat.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Sentence-boundary precision and recall on UD German GSD dev (a dev/tune set), sentences
/// joined with one space in runs of ten; run with
/// `cargo test --release -p dossier-segment -- --ignored --nocapture ud_german`.
#[test]
#[ignore]
fn ud_german_sentence_boundaries() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ud/de_gsd-ud-dev.conllu"
    );
    let Ok(conllu) = std::fs::read_to_string(path) else {
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("skipped: {path} not found\n"),
        );
        return;
    };
    let sentences: Vec<&str> = conllu
        .lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .collect();
    let (mut tp, mut fp, mut fn_, mut fn_unpunctuated) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for group in sentences.chunks(10) {
        let text = group.join(" ");
        let mut gold = std::collections::BTreeSet::new();
        let mut offset = 0;
        for s in &group[..group.len() - 1] {
            offset += s.len();
            gold.insert(offset);
            offset += 1;
        }
        let predicted: std::collections::BTreeSet<usize> = segment(&text, "de")
            .sentences
            .iter()
            .map(|&(_, e)| e)
            .filter(|&e| e < text.len())
            .collect();
        tp += gold.intersection(&predicted).count();
        fp += predicted.difference(&gold).count();
        for &g in gold.difference(&predicted) {
            fn_ += 1;
            let before = text[..g].trim_end();
            if !before.ends_with(['.', '!', '?', '…', '"', '“', '«', '»', ')']) {
                fn_unpunctuated += 1;
            } else if misses.len() < 40 {
                let from = text.floor_char_boundary(g.saturating_sub(40));
                let to = text.ceil_char_boundary((g + 30).min(text.len()));
                misses.push(format!("miss: {:?}", &text[from..to]));
            }
        }
        for &p in predicted.difference(&gold).take(2) {
            if misses.len() < 50 {
                let from = text.floor_char_boundary(p.saturating_sub(40));
                let to = text.ceil_char_boundary((p + 30).min(text.len()));
                misses.push(format!("false: {:?}", &text[from..to]));
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!(
        "UD de-GSD dev: {} sentences, boundary precision {:.3}, recall {:.3} \
         ({fn_} missed, {fn_unpunctuated} of them after no final punctuation)",
        sentences.len(),
        precision,
        recall
    );
    for m in misses {
        eprintln!("  {m}");
    }
}
