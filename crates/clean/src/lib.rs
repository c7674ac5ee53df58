//! Cleaning of plain-text page dumps: the stage that turns what a browser's "select all, copy"
//! (or a text export) gives into the article a reader reads.
//!
//! A page dump mixes the article with page furniture: navigation crumbs, share and print buttons,
//! photo captions printed twice, agency lines, "read more" lists, newsletter and paywall boxes,
//! browser and cookie notices. Cleaning is three steps, one file each:
//!
//! 1. [`features`]: the dump's lines, each line's phrase-table cue (`data/de.txt`, `data/en.txt`,
//!    `data/agencies.txt`, embedded at build time) and its features for the line classifier.
//! 2. [`classes`]: each line's class (kicker, headline, subheadline, lead, body, subhead, caption,
//!    credit, caption+credit, byline, date line, agency, furniture), from the trained line model
//!    (`data/model-lines.bin.gz`, `dossier train clean`), one headline per page (or none) chosen
//!    by the headline ranker trained with it ([`headline`]), and the cues certain enough to
//!    overrule them.
//! 3. [`assemble`]: the [`Article`]: text parts in reading order, captions with their credits,
//!    authors, agencies, the publication date; everything dropped listed in `removed` with a
//!    reason; and a safety net that keeps the page's running prose when the classes would drop
//!    most of it (with a warning).
//!
//! `eval` measures it on the labelled page dumps of `../shared/data/pagedumps` (`dossier eval
//! clean`), cross-validated by publisher family, beside the rules-only cleaner it replaced
//! ([`baseline`]).

mod agency;
mod assemble;
pub mod baseline;
pub mod classes;
pub mod dateline;
mod dates;
pub mod eval;
mod features;
mod headline;
pub mod held_out;
mod lines;
pub mod model;
mod rules;
mod stack;

pub use agency::{parse_agency_line, parse_agency_line_parts, AgencyLine};
pub use classes::Label;

use classes::{classify_lines, embedded_model, Decider, SHIPPED};
use dossier_core::Article;
use model::Model;

/// Turns a plain-text page dump into the article a reader would read.
pub fn clean_page_dump(text: &str) -> Article {
    clean_with(text, embedded_model(), SHIPPED)
}

/// Like [`clean_page_dump`] with a given model and decider (for evaluation and training).
pub fn clean_with(text: &str, model: &Model, decider: Decider) -> Article {
    let page = features::read_page(text);
    let labels = classify_lines(&page, model, decider);
    assemble::assemble(&page, &labels)
}

/// One label per raw line of the page (split on `\n`), as the cleaner classified it; blank
/// lines are `blank`.
pub fn label_raw_lines(text: &str, model: &Model, decider: Decider) -> Vec<Label> {
    let page = features::read_page(text);
    let labels = classify_lines(&page, model, decider);
    let mut out = vec![Label::Blank; page.raw_lines];
    for (line, label) in page.lines.iter().zip(labels) {
        for slot in out.iter_mut().take(line.raw_end).skip(line.raw) {
            *slot = label;
        }
    }
    out
}

/// For looking into one page (`PAGES=` of the `clean_cv` example): each line the cleaner reads
/// (after splitting and rejoining), its phrase-table cue, its first-pass and final label.
pub fn explain(text: &str, model: &Model, decider: Decider) -> String {
    use std::fmt::Write;
    let page = features::read_page(text);
    let (first, _) = classes::first_pass(&page, model, decider);
    let labels = classify_lines(&page, model, decider);
    let mut out = String::new();
    for (i, l) in page.lines.iter().enumerate() {
        let t: String = l.text.chars().take(90).collect();
        let _ = writeln!(
            out,
            "  {i:>3} b{:<3} {:<14} {:<14} {:<10} {t:?}",
            l.block,
            first[i].name(),
            labels[i].name(),
            features::cue_name(&page.cues[i]),
        );
    }
    out
}

/// A labelled page as the trainer reads it: each line's features and the gold label of its
/// (first) raw line.
pub fn training_page(text: &str, gold_raw: &[Label]) -> model::TrainPage {
    training_page_of(features::read_page(text), gold_raw)
}

/// A labelled page as the second pass's trainer reads it: the stacked features of `first`'s
/// output on it (`first` should not have seen the page).
pub fn stacked_training_page(text: &str, gold_raw: &[Label], first: &Model) -> model::TrainPage {
    let page = features::read_page(text);
    let (labels, scores) = classes::first_pass(&page, first, SHIPPED);
    training_page_of(classes::stacked_page(&page, &labels, &scores), gold_raw)
}

fn training_page_of(page: features::Page, gold_raw: &[Label]) -> model::TrainPage {
    let gold: Vec<usize> = page
        .lines
        .iter()
        .map(|l| {
            if l.date_prefix {
                return Label::DatelineDate.index();
            }
            let g = gold_raw.get(l.raw).copied().unwrap_or(Label::Furniture);
            // A whitespace-only raw line cannot be a line here; its neighbour's label is not known.
            if g == Label::Blank {
                Label::Furniture.index()
            } else {
                g.index()
            }
        })
        .collect();
    let options = headline::options(&page);
    let gold_headline = gold
        .iter()
        .position(|&g| g == Label::Headline.index())
        .map_or(Some(options.none()), |i| options.of_line(i));
    model::TrainPage {
        headline: gold_headline.map(|g| (options.features.clone(), g)),
        features: page.features,
        gold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str =
        "Wahlrecht\n\nKoalition einigt sich auf neues Wahlrecht für den Bundestag\n\n\
        Abgeordnete im Plenarsaal des Bundestages in Berlin.\n\
        Abgeordnete im Plenarsaal des Bundestages in Berlin.dpa / Michael Kappeler\n  • Drucken\n\n\
        Die Koalition hat sich auf eine Reform geeinigt. Der Bundestag soll kleiner werden.\n\n\
        Künftig sollen nur noch 630 Abgeordnete im Parlament sitzen. Das sieht der Entwurf vor.\n\n\
        Streit um Direktmandate\n\n\
        Die Opposition kündigte eine Klage an. Sie hält die Reform für verfassungswidrig.\n\n\
        (AFP/dpa/jhe)\n\nLesen Sie mehr zu diesen Themen:\n\nWahlrecht\n\n\
        Dieser Browser wird nicht mehr unterstützt\n\
        Bitte wechseln Sie zu einem unterstützten Browser wie Chrome, Firefox, Safari oder Edge.";

    #[test]
    fn agency_page_dump() {
        let a = clean_page_dump(DUMP);
        assert_eq!(a.kicker.as_deref(), Some("Wahlrecht"));
        assert_eq!(
            a.headline.as_deref(),
            Some("Koalition einigt sich auf neues Wahlrecht für den Bundestag")
        );
        assert_eq!(a.captions.len(), 1);
        assert_eq!(
            a.captions[0].credit.as_deref(),
            Some("dpa / Michael Kappeler")
        );
        assert_eq!(a.agencies, vec!["AFP", "dpa"]);
        assert!(a.authors.is_empty(), "editor initials are not authors");
        assert!(a
            .lead
            .as_deref()
            .unwrap()
            .starts_with("Die Koalition hat sich"));
        assert_eq!(a.paragraphs.len(), 3);
        assert_eq!(a.paragraphs[1], "Streit um Direktmandate");
        assert!(a.paragraphs[2].ends_with("verfassungswidrig."));
        let removed: Vec<&str> = a.removed.iter().map(|r| r.text.as_str()).collect();
        assert!(removed.contains(&"• Drucken"));
        assert!(removed.contains(&"Dieser Browser wird nicht mehr unterstützt"));
        assert!(removed.contains(&"(AFP/dpa/jhe)"));
    }

    #[test]
    fn english_byline_and_published_date() {
        let a = clean_page_dump(
            "Home | World\n\nStorm hits the coast as thousands lose power\n\n\
             By Jane Roe | Published 9:02 AM EDT, Tue June 4, 2024\n\nShare\n\n\
             A storm brought heavy rain and strong winds to the coast on Monday, officials said.\n\n\
             Advertisement\n\nMore than 20,000 homes were without power overnight.",
        );
        assert_eq!(
            a.headline.as_deref(),
            Some("Storm hits the coast as thousands lose power")
        );
        assert_eq!(a.authors, vec!["Jane Roe"]);
        assert_eq!(a.published.as_deref(), Some("2024-06-04"));
        assert_eq!(a.paragraphs.len(), 1);
        assert!(a.kicker.is_none());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "",
            "\n\n\n",
            "\u{0}\u{1}\u{FFFD}",
            "(",
            "©",
            "By",
            "Von ",
            "a\r\nb\rc",
            "((((dpa))))",
            "Foto:",
        ] {
            let _ = clean_page_dump(input);
        }
        let long = "Wort ".repeat(200_000);
        let a = clean_page_dump(&long);
        assert!(a.lead.is_some());
    }

    #[test]
    fn crlf_hard_wrap_and_copyright_lines() {
        let a = clean_page_dump(
            "Politik\r\n\r\nBundesrat stoppt die Reform der Grundsteuer\r\n\r\n\
             Berlin (dpa) - Der Bundesrat hat die geplante Reform der Grundsteuer\r\n\
             gestoppt. Die Länder verweigerten am Freitag ihre Zustimmung zu dem\r\n\
             Gesetz, das die Regierung im Frühjahr vorgelegt hatte. Nun muss der\r\n\
             Vermittlungsausschuss beraten, wie es weitergeht. Eine Einigung ist\r\n\
             nicht vor dem Herbst zu erwarten.\r\n\r\n\
             Die Kommunen warnten vor Ausfällen in Milliardenhöhe, sagte ein Sprecher.\r\n\r\n\
             © dpa-infocom, dpa:240205-99-1234/2\r\n\r\nDas könnte Sie auch interessieren\r\n\
             So funktioniert die Grundsteuer\r\n",
        );
        assert_eq!(a.kicker.as_deref(), Some("Politik"));
        let lead = a.lead.unwrap_or_default();
        assert!(lead.contains("Grundsteuer gestoppt."), "{lead}");
        assert!(lead.ends_with("zu erwarten."), "{lead}");
        assert_eq!(a.paragraphs.len(), 1);
        assert_eq!(a.agencies, vec!["dpa"]);
        assert!(a.removed.iter().any(|r| r.text.starts_with('©')));
    }

    #[test]
    fn reading_time_correspondent_bylines_and_repeated_lines() {
        let a = clean_page_dump(
            "Streit um die Rente geht in die nächste Runde\n\n\
             Von unserem Korrespondenten Jan Petersen\n\n5 min read\n\n4 Minuten Lesezeit\n\n\
             Die Regierung will das Rentenniveau stabil halten. Das kostet Milliarden.\n\n\
             „Wir halten Wort“, sagte der Minister.\n\n\
             Die Opposition lehnt den Plan ab. „Wir halten Wort“, sagte der Minister.\n\n\
             „Wir halten Wort“, sagte der Minister.",
        );
        assert_eq!(a.authors, vec!["Jan Petersen"]);
        assert!(a.removed.iter().any(|r| r.text == "5 min read"));
        assert!(a.removed.iter().any(|r| r.text == "4 Minuten Lesezeit"));
        assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
        assert!(a
            .removed
            .iter()
            .any(|r| r.reason == "duplicate of an earlier line"));
    }

    /// Random mixtures of furniture fragments, markup-like debris and arbitrary characters never
    /// panic, and every kept paragraph is text of the input.
    #[test]
    fn random_dumps_never_panic_and_keep_only_input_text() {
        const PIECES: &[&str] = &[
            "Drucken",
            "(dpa)",
            "Von ",
            "By ",
            "Foto: ",
            "©",
            "Lesen Sie mehr:",
            "Related:",
            "\n",
            "\n\n",
            "\r\n",
            " | ",
            " > ",
            ".",
            "Anna Muster",
            "2024-01-02",
            "5. Mai 2023",
            "\u{a0}",
            "\u{ad}",
            "é",
            "😀",
            "(",
            ")",
            "/",
            "Reuters",
            "Home",
            "Share",
            "Anzeige",
            "Ein Satz mit mehreren Wörtern.",
            "Newsletter",
            "Jetzt abonnieren",
            ":",
            "„",
            "“",
            "\u{0}",
            "A",
            "1",
            "12:30 Uhr",
            "(AFP/dpa/jhe)",
            "Mehr zum Thema",
            "\u{212A}",
            "EIN \u{212A}OMMENTAR VON ",
            "Photo by😀",
            "Image source,",
            "İ",
            "ß",
            "\t",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..500 {
            let len = (next() % 60) as usize;
            let dump: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let a = clean_page_dump(&dump);
            let flat = features::normalise_whitespace(&dump);
            for p in a
                .paragraphs
                .iter()
                .chain(a.lead.iter())
                .chain(a.headline.iter())
            {
                assert!(!p.is_empty());
                // Joined hard-wrapped lines may differ in the join; every word is still input.
                for word in p.split(' ') {
                    assert!(flat.contains(word), "{word:?} not in {dump:?}");
                }
            }
        }
    }

    #[test]
    fn plain_text_without_furniture_is_kept() {
        let a = clean_page_dump(
            "Ein Titel über etwas Wichtiges heute\n\nErster Absatz mit einem Satz.\n\n\
             Zweiter Absatz mit einem Satz.",
        );
        assert_eq!(
            a.headline.as_deref(),
            Some("Ein Titel über etwas Wichtiges heute")
        );
        assert_eq!(a.lead.as_deref(), Some("Erster Absatz mit einem Satz."));
        assert_eq!(a.paragraphs, vec!["Zweiter Absatz mit einem Satz."]);
        assert!(a.removed.is_empty());
    }
}

#[cfg(test)]
mod safety_net {
    use super::*;

    /// A page built to trip the classes: every paragraph set between furniture cues that end the
    /// article ("Read more", a copyright line) right at its start. The prose must survive.
    #[test]
    fn the_article_is_never_lost() {
        let paragraph = "Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, \
                         die alte Schule im Ortskern zu sanieren und als Bürgerhaus zu nutzen.";
        let page = format!(
            "Gemeinderat beschließt Sanierung der alten Schule\n\n{paragraph}\n\n\
             Der Umbau soll im Frühjahr beginnen und rund zwei Jahre dauern, sagte der Bürgermeister.\n\n\
             Kommentare\n\n© Musterverlag 2024\n\n{p1}\n\n{p2}\n\n{p3}\n\n{p4}",
            p1 = "Die Kosten werden auf 4,2 Millionen Euro geschätzt; das Land übernimmt nach den \
                  Förderrichtlinien rund die Hälfte der Summe, den Rest trägt die Gemeinde selbst.",
            p2 = "Kritik kam von der Opposition, die einen Neubau am Ortsrand für günstiger hält \
                  und eine Bürgerbefragung verlangt hatte, bevor das Geld gebunden wird.",
            p3 = "Der Bürgermeister verwies auf den Denkmalschutz des Gebäudes aus dem Jahr 1908, \
                  der einen Abriss ohnehin ausschließe, wie das Landesamt mitgeteilt habe.",
            p4 = "Die Vereine des Ortes sollen im neuen Bürgerhaus Räume bekommen, auch die \
                  Bücherei zieht aus ihrem engen Provisorium im Rathaus dorthin um.",
        );
        let a = clean_page_dump(&page);
        let text: String = a
            .lead
            .iter()
            .chain(a.paragraphs.iter())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        for needle in ["4,2 Millionen", "Opposition", "Denkmalschutz", "Bücherei"] {
            assert!(text.contains(needle), "{needle} lost: {text}");
        }
        assert!(a.removed.iter().all(|r| !r.reason.is_empty()));
        // Classes that drop every line: the safety net keeps the prose and says so.
        let lines = features::read_page(&page);
        let labels = vec![Label::Furniture; lines.lines.len()];
        let a = assemble::assemble(&lines, &labels);
        let kept = a.lead.iter().chain(a.paragraphs.iter()).count();
        assert!(kept >= 5, "{a:?}");
        assert!(
            !a.warnings.is_empty(),
            "the conservative cleaning is announced"
        );
    }

    /// A paragraph-long line the classes took for a caption is put back by the safety net.
    #[test]
    fn the_safety_net_puts_back_a_paragraph_taken_for_a_caption() {
        let para = "Die Stadt hat am Montag den neuen Haushalt beschlossen, der für das kommende \
                    Jahr deutlich mehr Geld für Schulen, Straßen und den Nahverkehr vorsieht, wie der \
                    Kämmerer nach der Sitzung sagte; die Opposition stimmte dagegen und kündigte eine Klage an.";
        let text = format!("Haushalt beschlossen\n\n{para}\n\nFoto: Max Muster");
        let page = features::read_page(&text);
        let mut labels = vec![Label::Furniture; page.lines.len()];
        labels[0] = Label::Headline;
        labels[1] = Label::Caption;
        let a = assemble::assemble(&page, &labels);
        assert!(
            a.lead
                .iter()
                .chain(&a.paragraphs)
                .any(|p| p.starts_with("Die Stadt hat")),
            "{a:?}"
        );
        assert!(!a.warnings.is_empty());
    }

    /// The corpus' date prefix is read as the date and kept out of the headline.
    #[test]
    fn date_prefix_is_read_and_split_off() {
        let a = clean_page_dump(
            " date 2024-03-05 Stadtrat billigt den Haushalt für das kommende Jahr\n\n\
             Der Stadtrat hat am Montag den Haushalt für das kommende Jahr mit großer Mehrheit \
             beschlossen, wie die Verwaltung mitteilte.",
        );
        assert_eq!(a.published.as_deref(), Some("2024-03-05"));
        assert!(a
            .headline
            .as_deref()
            .is_none_or(|h| !h.contains("2024-03-05")));
    }

    /// A section word glued in front of the headline becomes the kicker.
    #[test]
    fn glued_kicker_is_split() {
        assert_eq!(
            assemble::split_glued_kicker_for_test("International Erdogan legt sich mit der EU an"),
            (Some("International"), "Erdogan legt sich mit der EU an")
        );
        assert_eq!(
            assemble::split_glued_kicker_for_test("Baden-Württemberg:Ein Grüner sieht schwarz"),
            (Some("Baden-Württemberg"), "Ein Grüner sieht schwarz")
        );
        assert_eq!(
            assemble::split_glued_kicker_for_test("Terror in London: Fünf Tote und 40 Verletzte"),
            (None, "Terror in London: Fünf Tote und 40 Verletzte")
        );
    }

    /// A kicker closed by a coverage-format word, or one that the headline restates, is split
    /// off; title-case and colon headlines without such evidence stay whole.
    #[test]
    fn glued_kicker_by_head_word_or_restated_topic() {
        let split = assemble::split_glued_kicker_for_test;
        assert_eq!(
            split("Hochwasser-News am Freitag Deiche an der Elbe halten dem Druck stand"),
            (
                Some("Hochwasser-News am Freitag"),
                "Deiche an der Elbe halten dem Druck stand"
            )
        );
        assert_eq!(
            split("Sturm im Norden aktuell: \"Das war knapp\" Bäume stürzen auf Gleise"),
            (
                Some("Sturm im Norden aktuell:"),
                "\"Das war knapp\" Bäume stürzen auf Gleise"
            )
        );
        assert_eq!(
            split("Streit um Windräder Gemeinde stoppt neue Windräder am Waldrand"),
            (
                Some("Streit um Windräder"),
                "Gemeinde stoppt neue Windräder am Waldrand"
            )
        );
        // A finite verb in the first words: no topic kicker.
        assert_eq!(
            split("Bürgermeister lobt Windräder Gemeinde baut neue Windräder").0,
            None
        );
        // English headlines keep "live:" (the dev set's convention), and title case has no split.
        assert_eq!(
            split("Budget live: Chancellor raises fuel duty by two pence").0,
            None
        );
        assert_eq!(
            split("Tower Fire Tower Residents Demand Answers From Council").0,
            None
        );
        // A compound with a head word followed by a lower-case word is the headline's subject.
        assert_eq!(
            split("Corona-Update bringt neue Regeln für die Schulen").0,
            None
        );
    }
}

#[cfg(test)]
mod date_lines {
    use super::*;

    const BODY: &str = "The council voted on Tuesday evening to close the old bridge to heavy \
        traffic for at least three months while engineers examine the cracks.\n\n\
        Commuters will have to use the ring road, which adds up to twenty minutes to a trip into \
        the centre, a spokesman said on Wednesday.";

    #[test]
    fn the_sites_today_bar_is_not_the_articles_date() {
        let dump = format!(
            "Friday 22 November 2019\n\nBridge closed to lorries for three months\n\n{BODY}"
        );
        let a = clean_page_dump(&dump);
        assert_eq!(a.published, None, "{:?}", a.published_evidence);
        assert!(
            a.removed
                .iter()
                .any(|r| r.text == "Friday 22 November 2019" && r.reason.contains("today")),
            "{:?} {:?}",
            a.headline,
            a.removed
        );
    }

    #[test]
    fn a_date_glued_to_the_title_or_beside_slots_is_read() {
        let glued = format!("Dienstag, 06. Dezember 2022Brücke für Lastwagen gesperrt\n\n{BODY}");
        let a = clean_page_dump(&glued);
        assert_eq!(a.published.as_deref(), Some("2022-12-06"));
        let text = [
            a.headline.clone().unwrap_or_default(),
            a.paragraphs.join(" "),
        ]
        .join(" ");
        assert!(!text.contains("2022"), "{text}");
        for line in [
            "19.09.2025 | 09:48",
            "29. April 2019, 12:24 Uhr | Lesezeit: 2 Minuten",
        ] {
            assert!(dates::is_date_line(line), "{line}");
            let dump = format!("Brücke für Lastwagen gesperrt\n\n{line}\n\n{BODY}");
            let a = clean_page_dump(&dump);
            assert!(a.published.is_some(), "{line}: {:?}", a.removed);
            assert!(!a.paragraphs.iter().any(|p| p.contains(line)), "{line}");
        }
    }

    #[test]
    fn a_home_trail_ending_in_the_title_is_a_crumb() {
        let l = features::Line::new(
            "Home |News |Senate Passes The Bill After A Long Night".to_string(),
            0,
        );
        assert!(matches!(lines::classify(&l), lines::Class::Furniture(_)));
        let l = features::Line::new("Scores | Upcoming | Results |".to_string(), 0);
        assert!(matches!(lines::classify(&l), lines::Class::Furniture(_)));
    }
}
