//! Unit tests with sentences written for them.

use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn tag_de(text: &str, dct: Option<&str>) -> Tagging {
    tag(
        text,
        &[],
        &Options {
            lang: "de".into(),
            dct: dct.map(d),
            mode: Mode::News,
        },
    )
}

fn tag_en(text: &str, dct: Option<&str>) -> Tagging {
    tag(
        text,
        &[],
        &Options {
            lang: "en".into(),
            dct: dct.map(d),
            mode: Mode::News,
        },
    )
}

fn find<'a>(t: &'a Tagging, text: &str) -> &'a Timex {
    t.timexes
        .iter()
        .find(|x| x.text == text)
        .unwrap_or_else(|| panic!("no timex {text:?} in {:#?}", t.timexes))
}

fn value<'a>(t: &'a Tagging, text: &str) -> Option<&'a str> {
    find(t, text).value.as_deref()
}

#[test]
fn rule_files_compile() {
    assert!(rule_errors().is_empty(), "{:?}", rule_errors());
}

#[test]
fn absolute_and_partial_dates() {
    let t = tag_de(
        "Die Mauer fiel am 9. November 1989. Im April 2019 begann der Umbau, im Mai wurde gefeiert.",
        Some("2019-06-10"),
    );
    assert_eq!(value(&t, "9. November 1989"), Some("1989-11-09"));
    assert_eq!(value(&t, "April 2019"), Some("2019-04"));
    assert_eq!(value(&t, "Mai"), Some("2019-05"));
}

#[test]
fn month_without_year_follows_tense() {
    // Told in the past in February: last year's November.
    let t = tag_de("Der Minister war im November in Paris.", Some("2021-02-03"));
    assert_eq!(value(&t, "November"), Some("2020-11"));
    // Planned in November: next year's February.
    let t = tag_de(
        "Der Gipfel soll im Februar stattfinden, die Regierung plant ihn.",
        Some("2021-11-03"),
    );
    assert_eq!(value(&t, "Februar"), Some("2022-02"));
}

#[test]
fn weekdays_by_tense() {
    // 2022-03-10 is a Thursday.
    let t = tag_de(
        "Die Ministerin sagte am Montag, sie werde am Freitag nach Rom reisen.",
        Some("2022-03-10"),
    );
    assert_eq!(value(&t, "Montag"), Some("2022-03-07"));
    assert_eq!(value(&t, "Freitag"), Some("2022-03-11"));
    let t = tag_de(
        "Der Sprecher erklärte vergangenen Mittwoch, man prüfe das.",
        Some("2022-03-10"),
    );
    assert_eq!(value(&t, "vergangenen Mittwoch"), Some("2022-03-02"));
}

#[test]
fn relative_days_and_vague_refs() {
    let t = tag_de("Gestern war es ruhig, heute wird verhandelt und morgen abgestimmt. Kürzlich gab es Streit, schon vor Wochen.", Some("2020-05-12"));
    assert_eq!(value(&t, "Gestern"), Some("2020-05-11"));
    assert_eq!(value(&t, "heute"), Some("2020-05-12"));
    assert_eq!(value(&t, "morgen"), Some("2020-05-13"));
    assert_eq!(value(&t, "Kürzlich"), Some("PAST_REF"));
    assert_eq!(value(&t, "vor Wochen"), Some("PAST_REF"));
}

#[test]
fn ranges_give_start_and_end() {
    let t = tag_de(
        "Die Messe findet von 4. bis 7. Oktober statt, die Veranstalter wollen wachsen.",
        Some("2018-09-01"),
    );
    assert_eq!(value(&t, "4."), Some("2018-10-04"));
    assert_eq!(value(&t, "7. Oktober"), Some("2018-10-07"));
    let t = tag_de(
        "Zwischen 1914 und 1918 herrschte Krieg.",
        Some("2018-09-01"),
    );
    assert_eq!(value(&t, "1914"), Some("1914"));
    assert_eq!(value(&t, "1918"), Some("1918"));
}

#[test]
fn fuzzy_decades_centuries() {
    let t = tag_de("Ende Juli war er dort. Anfang 2020 begann es. Mitte der 1990er Jahre kam die Wende. Seit den 1960er Jahren regiert die Partei im 21. Jahrhundert.", Some("2021-03-01"));
    let x = find(&t, "Ende Juli");
    assert_eq!(x.value.as_deref(), Some("2020-07"));
    assert_eq!(x.modifier.as_deref(), Some("END"));
    assert_eq!(value(&t, "Anfang 2020"), Some("2020"));
    assert_eq!(value(&t, "Mitte der 1990er Jahre"), Some("199"));
    assert_eq!(value(&t, "den 1960er Jahren"), Some("196"));
    assert_eq!(value(&t, "21. Jahrhundert"), Some("20"));
}

#[test]
fn recurring_day_durations_times() {
    let t = tag_de("Der 3. Oktober wird jedes Jahr als Nationalfeiertag begangen. Seit drei Jahren wird um 10.30 Uhr verhandelt.", Some("2021-03-01"));
    let x = find(&t, "3. Oktober");
    assert_eq!((x.kind, x.value.as_deref()), ("SET", Some("XXXX-10-03")));
    assert_eq!(value(&t, "drei Jahren"), Some("P3Y"));
    let x = find(&t, "10.30 Uhr");
    assert_eq!(
        (x.kind, x.value.as_deref()),
        ("TIME", Some("2021-03-01T10:30"))
    );
}

#[test]
fn weekday_tied_to_an_explicit_date() {
    // 2021-05-09 is a Sunday.
    let t = tag_de("Zum Gedenken am 9. Mai hielt der Präsident eine Rede. „Wir erinnern uns“, sagte er am Sonntag.", Some("2021-05-20"));
    let x = find(&t, "Sonntag");
    assert_eq!(x.value.as_deref(), Some("2021-05-09"));
    let date = find(&t, "9. Mai");
    assert_eq!(x.anchor, date.id);
}

#[test]
fn english_basics() {
    // 2019-11-14 is a Thursday.
    let t = tag_en("The minister said on Monday that talks will resume next week. The deal was signed on March 3, 2018, and in April 2019. Recently, prices rose by 3 percent over the past three years.", Some("2019-11-14"));
    assert_eq!(value(&t, "Monday"), Some("2019-11-11"));
    assert_eq!(value(&t, "next week"), Some("2019-W47"));
    assert_eq!(value(&t, "March 3, 2018"), Some("2018-03-03"));
    assert_eq!(value(&t, "April 2019"), Some("2019-04"));
    assert_eq!(value(&t, "Recently"), Some("PAST_REF"));
    assert_eq!(value(&t, "the past three years"), Some("P3Y"));
    let t = tag_en(
        "The meeting starts at 3:15 p.m. today. Two years ago it was cancelled.",
        Some("2019-11-14"),
    );
    assert_eq!(value(&t, "3:15 p.m."), Some("2019-11-14T15:15"));
    assert_eq!(value(&t, "Two years ago"), Some("2017"));
}

#[test]
fn document_date_from_anniversary_and_weekdays() {
    // Written for this test: an anniversary counted from a year given elsewhere, a past weekday,
    // a dated past event and a planned one. The 40th anniversary of a 1981 founding is 2021;
    // 14 June 2021 is a Monday.
    let text = "Der Verband feiert den 40. Jahrestag der Gründung des Verbandes. \
        Die Vorsitzende sagte am Dienstag in Bonn, man sei stolz. \
        Die Gründung des Verbandes erfolgte 1981 in Köln. \
        Am 14. Juni hatte der Vorstand getagt, am Montag hatte er entschieden. \
        Vom 2. bis 4. Juli wird ein Kongress stattfinden, die Mitglieder wollen dort wählen.";
    let t = tag_de(text, None);
    let g = t.inferred_dct.clone().expect("a date");
    assert_eq!(g.date.year(), 2021, "{g:#?}");
    assert!(
        g.date > d("2021-06-14") && g.date < d("2021-07-02"),
        "{g:#?}"
    );
    assert!(!g.evidence.is_empty());
}

#[test]
fn document_date_from_weekday_coincidence() {
    // 11 November 2020 is a Wednesday; a report in past tense about it, a year mentioned before.
    let text = "Im März 2020 begann die Krise. Am 11. November traf sich der Rat. \
        Am Mittwoch beschloss er neue Regeln, sagte ein Sprecher am Freitag.";
    let t = tag_de(text, None);
    let g = t.inferred_dct.clone().expect("a date");
    assert_eq!(g.date.year(), 2020, "{g:#?}");
}

#[test]
fn no_evidence_no_guess() {
    let t = tag_de("Der Hund bellt. Die Katze schläft am Fenster.", None);
    assert!(t.inferred_dct.is_none());
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "\u{0}\u{1}",
        "1.1.1",
        "am 31. Februar",
        "99. Jahrestag 1",
        &"3. Mai ".repeat(2000),
        "ääää 2020 ü",
    ] {
        let _ = tag_de(text, None);
        let _ = tag_en(text, None);
    }
    let t = tag_de("am 31. Februar", Some("2020-01-01"));
    assert!(t.timexes.iter().all(|x| x.text != "31. Februar"));
}

#[test]
#[ignore]
fn debug_print() {
    let text = std::env::var("T").unwrap_or_default();
    let lang = std::env::var("L").unwrap_or("de".into());
    let l = languages().find(|l| l.code == lang).unwrap();
    for (i, r) in l.rules.iter().enumerate() {
        for c in r.re.captures_iter(text.as_str()) {
            let Some(m) = c.get_match() else { continue };
            eprintln!(
                "rule {i}: {:?} {:?}",
                &text[m.range()],
                r.outputs.iter().map(|o| &o.template).collect::<Vec<_>>()
            );
        }
    }
    let t = tag(
        &text,
        &[],
        &Options {
            lang,
            dct: std::env::var("D").ok().map(|s| d(&s)),
            mode: Mode::News,
        },
    );
    for x in &t.timexes {
        eprintln!(
            "{:?} {} {:?} {:?} {}",
            x.text, x.kind, x.value, x.modifier, x.anchor
        );
    }
    eprintln!("{:#?}", t.inferred_dct);
}

/// The start automaton and anchored searches find exactly the matches a scan of each rule and
/// cue finds, on news-style text with dates, odd spacing, case and punctuation.
#[test]
fn anchored_matches_equal_scans() {
    let texts = [
        "Am Montag, den 4. September 2023 sagte der Minister, die Gespräche würden am 12.10. \
         fortgesetzt. Seit Anfang der 1990er Jahre, im Frühjahr 1998 und vor drei Wochen \
         (2019) gab es Treffen; 3. bis 5. Mai, Mitte März 2001, 14.30 Uhr, 20 Uhr 15.",
        "On Tuesday, March 5th, 2024 the council said it will meet again in May. Last week \
         and  two\tyears ago, in the 1990s and the early '80s, from 9 to 11 May 2019 at 10:30 \
         a.m.; it was planned for next year, every Friday, 3 weeks later, 1999-03-12.",
        "MAY 2020 THE FIRST QUARTER OF 2019 ON 5 MAY 1945 — jährlich gefeiert, each year.",
        "(1914) 1914-1918 1 1 1 a a the the may May mai Mai 12. 12 .12 x1999 1999x _1999",
        "",
        "\u{e4}\u{df}\u{2013}\u{201e}1990\u{201c} 3.\u{a0}Oktober",
    ];
    for lang in languages() {
        let Some(starts) = &lang.starts else {
            panic!("{}: no start automaton", lang.code);
        };
        for text in texts {
            let folded = fold(text);
            let lowered = folded.to_ascii_lowercase();
            let found = starts.find(&folded, &lowered);
            for (ri, rule) in lang.rules.iter().enumerate() {
                let haystack = if rule.lower { &lowered } else { &folded };
                let at = positions_of(&found, ri);
                assert_eq!(
                    scan(&rule.re, haystack, Some(&at)),
                    scan(&rule.re, haystack, None),
                    "{} rule {ri} on {text:?}",
                    lang.code
                );
            }
            for cue in [&lang.cue_past, &lang.cue_future, &lang.cue_recur]
                .into_iter()
                .flatten()
            {
                if let Some(k) = cue.found {
                    let at = positions_of(&found, k);
                    assert_eq!(
                        scan(&cue.re, &folded, Some(&at)),
                        scan(&cue.re, &folded, None),
                        "{} cue on {text:?}",
                        lang.code
                    );
                }
            }
        }
    }
}

#[test]
fn class_names_with_digits_expand() {
    // `@HOUR24` and `@DECADE2` are classes of their own, not `@HOUR` + "24".
    let t = tag_en(
        "The ferry left at 17:45 and the line was built in the 80s.",
        Some("2021-03-02"),
    );
    assert_eq!(value(&t, "17:45"), Some("2021-03-02T17:45"));
    let t = tag_de(
        "In den 80er Jahren wuchs die Stadt schnell.",
        Some("2021-03-02"),
    );
    assert!(
        t.timexes.iter().any(|x| x.value.as_deref() == Some("198")),
        "{:#?}",
        t.timexes
    );
}
