//! Unit tests with sentences written for this crate.

use super::*;

#[test]
fn german_and_english_news() {
    let de = "Die Bundesregierung will die Hilfen für Familien im kommenden Jahr erhöhen. \
              Das kündigte die Ministerin am Montag in Berlin an.";
    let en = "The government plans to raise support for families next year, the minister \
              said on Monday in a statement to reporters.";
    assert_eq!(detect(de), "de");
    assert_eq!(detect(en), "en");
}

#[test]
fn short_headlines_fall_back_to_lingua() {
    assert_eq!(detect("Kanzler besucht Hochwassergebiete in Bayern"), "de");
    assert_eq!(
        detect("Storm leaves thousands without power across Scotland"),
        "en"
    );
}

#[test]
fn too_little_text_is_undetermined() {
    assert_eq!(detect(""), "und");
    assert_eq!(detect("OK"), "und");
    assert_eq!(detect("12.05.2024 – 14:30"), "und");
    assert_eq!(detect("\u{0}\u{1}\u{fffd}"), "und");
    assert_eq!(detect("Angela Merkel Olaf Scholz Emmanuel Macron"), "und");
}

#[test]
fn other_latin_languages_get_their_code() {
    let cases = [
        ("fr", "Le gouvernement a annoncé une nouvelle réforme des retraites qui sera présentée au parlement."),
        ("es", "El gobierno anunció que la reforma de las pensiones se presentará en el parlamento."),
        ("it", "Il governo ha annunciato che la riforma delle pensioni sarà presentata al parlamento."),
        ("pt", "O governo anunciou que a reforma da previdência será apresentada ao parlamento."),
        ("nl", "De regering heeft aangekondigd dat de hervorming van de pensioenen aan het parlement wordt voorgelegd."),
        ("pl", "Rząd ogłosił, że reforma emerytalna zostanie przedstawiona w parlamencie przez ministra."),
        ("sv", "Regeringen meddelade att pensionsreformen ska läggas fram för riksdagen och att den är klar."),
        ("tr", "Hükümet, emeklilik reformunun meclise sunulacağını ve bu yıl içinde kabul edileceğini açıkladı."),
        ("da", "Regeringen vil hæve afgiften på benzin fra næste år, siger ministeren."),
        ("no", "Regjeringen vil øke avgiften på bensin fra neste år, sier statsråden."),
        ("cs", "Vláda rozhodla, že od příštího roku zvýší daň z benzínu, uvedl ministr."),
        ("sk", "Vláda sa rozhodla, že od budúceho roka zvýši daň z benzínu, uviedol minister."),
    ];
    for (lang, text) in cases {
        assert_eq!(detect(text), lang, "{text}");
    }
}

#[test]
fn other_scripts_get_their_majority_language() {
    let cases = [
        (
            "ru",
            "Правительство объявило о новой пенсионной реформе в понедельник.",
        ),
        (
            "uk",
            "Уряд оголосив про нову пенсійну реформу, яку представлять у парламенті.",
        ),
        ("ar", "أعلنت الحكومة عن إصلاح جديد لنظام التقاعد يوم الاثنين."),
        ("zh", "政府星期一宣布了新的养老金改革方案，将提交议会审议。"),
        (
            "ja",
            "政府は月曜日、新しい年金改革を発表し、国会に提出する予定だ。",
        ),
        (
            "ko",
            "정부는 월요일 새로운 연금 개혁안을 발표했다고 밝혔다.",
        ),
        (
            "el",
            "Η κυβέρνηση ανακοίνωσε νέα μεταρρύθμιση του συνταξιοδοτικού συστήματος.",
        ),
        (
            "sr",
            "Влада је одлучила да повећа порез на бензин од следеће године.",
        ),
        (
            "bg",
            "Правителството реши да увеличи данъка върху бензина от следващата година.",
        ),
        (
            "fa",
            "دولت تصمیم گرفت مالیات بنزین را از سال آینده افزایش دهد.",
        ),
        ("hi", "सरकार ने अगले साल से पेट्रोल पर कर बढ़ाने का फैसला किया है।"),
    ];
    for (lang, text) in cases {
        assert_eq!(detect(text), lang, "{text}");
    }
}

#[test]
fn german_quoting_english_stays_german() {
    let text = "„We are ready“, sagte der Minister am Dienstag. Die Verhandlungen sollen in der \
                kommenden Woche in Genf fortgesetzt werden, hieß es aus dem Ministerium.";
    assert_eq!(detect(text), "de");
}

#[test]
fn long_text_is_sampled() {
    let text = "Die Lage an der Grenze bleibt angespannt, sagte der Sprecher. ".repeat(10_000);
    let d = detect_detailed(&text);
    assert_eq!(d.lang, "de");
    assert_eq!(d.method, "stopwords");
}

/// Accuracy on shared data (UD German GSD dev sentences, PolNeAR English train articles);
/// run with `cargo test --release -p dossier-langid -- --ignored --nocapture accuracy`.
#[test]
#[ignore]
fn accuracy_on_shared_data() {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
    if !std::path::Path::new(shared).exists() {
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("skipped: {shared} not found\n"),
        );
        return;
    }
    let ud = std::fs::read_to_string(format!("{shared}/ud/de_gsd-ud-dev.conllu")).unwrap();
    let sentences: Vec<&str> = ud
        .lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .collect();
    report("UD de-GSD dev sentences", "de", &sentences);
    let dir = format!("{shared}/attribution/polnear/train/text");
    let mut texts = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten().take(300) {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                texts.push(t);
            }
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    report("PolNeAR en train articles", "en", &refs);
    let first_lines: Vec<&str> = refs
        .iter()
        .filter_map(|t| t.lines().find(|l| l.split_whitespace().count() >= 3))
        .collect();
    report("PolNeAR en first lines", "en", &first_lines);
}

#[cfg(test)]
fn report(name: &str, want: &str, texts: &[&str]) {
    let started = std::time::Instant::now();
    let mut right = 0;
    let mut undetermined = 0;
    let mut wrong = std::collections::BTreeMap::new();
    for t in texts {
        let got = detect(t);
        if got == want {
            right += 1;
        } else if got == "und" {
            undetermined += 1;
        } else {
            *wrong.entry(got).or_insert(0) += 1;
        }
    }
    let n = texts.len().max(1);
    eprintln!(
        "{name}: {right}/{n} = {:.1}% right, {undetermined} und, wrong {wrong:?}, {:.1} µs/text",
        100.0 * right as f64 / n as f64,
        started.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
