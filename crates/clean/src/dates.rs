//! Date and timestamp lines ("12.03.2024, 18:45 Uhr", "Updated 6:12 AM GMT, Thu May 16, 2024",
//! "vor 2 Stunden", "Lesezeit: 3 Min.").

use crate::rules::rules;

/// Whether a date was labelled as the publication or the update date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateLabel {
    Published,
    Updated,
    None,
}

/// A date found in a line, as `YYYY-MM-DD`, with the label that stands before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub date: String,
    pub label: DateLabel,
}

/// Every calendar date in `text` with its label, in order.
pub(crate) fn find_dates(text: &str) -> Vec<FoundDate> {
    let d = &rules().dates;
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    let mut push = |start: usize, end: usize, y: Option<i32>, m: Option<u32>, day: Option<u32>| {
        if let (Some(y), Some(m), Some(day)) = (y, m, day) {
            let y = if y < 100 { 2000 + y } else { y };
            if (1..=12).contains(&m) && (1..=31).contains(&day) && (1900..=2100).contains(&y) {
                found.push((start, end, format!("{y:04}-{m:02}-{day:02}")));
            }
        }
    };
    for c in d.numeric.captures_iter(text) {
        let all = c.get(0).map_or(0..0, |m| m.range());
        push(
            all.start,
            all.end,
            c.get(3).and_then(|m| m.as_str().parse().ok()),
            c.get(2).and_then(|m| m.as_str().parse().ok()),
            c.get(1).and_then(|m| m.as_str().parse().ok()),
        );
    }
    for c in d.iso.captures_iter(text) {
        let all = c.get(0).map_or(0..0, |m| m.range());
        push(
            all.start,
            all.end,
            c.get(1).and_then(|m| m.as_str().parse().ok()),
            c.get(2).and_then(|m| m.as_str().parse().ok()),
            c.get(3).and_then(|m| m.as_str().parse().ok()),
        );
    }
    let month = |s: &str| d.months.get(&s.to_lowercase()).copied();
    for c in d.day_month.captures_iter(text) {
        let all = c.get(0).map_or(0..0, |m| m.range());
        push(
            all.start,
            all.end,
            c.get(3).and_then(|m| m.as_str().parse().ok()),
            c.get(2).and_then(|m| month(m.as_str())),
            c.get(1).and_then(|m| m.as_str().parse().ok()),
        );
    }
    for c in d.month_day.captures_iter(text) {
        let all = c.get(0).map_or(0..0, |m| m.range());
        push(
            all.start,
            all.end,
            c.get(3).and_then(|m| m.as_str().parse().ok()),
            c.get(1).and_then(|m| month(m.as_str())),
            c.get(2).and_then(|m| m.as_str().parse().ok()),
        );
    }
    found.sort();
    found.dedup_by(|b, a| b.0 < a.1); // overlapping matches: keep the first
    found
        .into_iter()
        .map(|(start, _, date)| FoundDate {
            label: label_before(&text[..start]),
            date,
        })
        .collect()
}

/// The nearest date label in the text before a date, within its segment of the line.
fn label_before(before: &str) -> DateLabel {
    let r = rules();
    let segment = before
        .rsplit(['|', '•', '·', ';'])
        .next()
        .unwrap_or(before)
        .to_lowercase();
    let last = |labels: &[String]| {
        labels
            .iter()
            .filter_map(|l| segment.rfind(l.as_str()))
            .max()
    };
    match (last(&r.published), last(&r.updated)) {
        (Some(p), Some(u)) if u > p => DateLabel::Updated,
        (Some(_), _) => DateLabel::Published,
        (None, Some(_)) => DateLabel::Updated,
        (None, None) => DateLabel::None,
    }
}

/// Whether a line is only a date, time or relative timestamp (with labels such as "Updated",
/// "Veröffentlicht am", weekday names and time zones): page furniture in the body.
pub(crate) fn is_date_line(line: &str) -> bool {
    // "29. April 2019, 12:24 Uhr | Lesezeit: 2 Minuten": a date segment beside short slots.
    if line.contains('|') && line.chars().count() <= 120 {
        let segments: Vec<&str> = line
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let dated = segments.iter().any(|s| is_bare_date_line(s));
        let short = segments.iter().all(|s| {
            is_bare_date_line(s)
                || (s.split_whitespace().count() <= 4 && !crate::features::ends_sentence(s))
        });
        if segments.len() >= 2 && dated && short {
            return true;
        }
    }
    is_bare_date_line(line)
}

fn is_bare_date_line(line: &str) -> bool {
    // Every date, time and count has a digit.
    if line.len() > 480
        || line.chars().count() > 120
        || !line.contains(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let d = &rules().dates;
    let mut rest = line.to_string();
    let mut anything = false;
    for re in [&d.numeric, &d.iso, &d.day_month, &d.month_day, &d.time] {
        if re.is_match(&rest) {
            anything = true;
            rest = re.replace_all(&rest, " ").into_owned();
        }
    }
    let words = &rules().datewords;
    let mut has_number = false;
    for token in rest
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        if token.chars().all(|c| c.is_ascii_digit()) {
            has_number = true;
        } else if !words.contains(token) && !is_month(token) {
            return false;
        }
    }
    anything || has_number
}

fn is_month(token: &str) -> bool {
    rules().dates.months.contains_key(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str) -> Vec<(String, DateLabel)> {
        find_dates(s)
            .into_iter()
            .map(|f| (f.date, f.label))
            .collect()
    }

    #[test]
    fn finds_german_and_english_dates() {
        assert_eq!(
            dates("Veröffentlicht am 05.03.2024, 11:20 Uhr"),
            vec![("2024-03-05".into(), DateLabel::Published)]
        );
        assert_eq!(
            dates("Updated 6:12 AM GMT, Thu May 16, 2024"),
            vec![("2024-05-16".into(), DateLabel::Updated)]
        );
        assert_eq!(
            dates("5. September 2023"),
            vec![("2023-09-05".into(), DateLabel::None)]
        );
        assert_eq!(
            dates("2023-09-05"),
            vec![("2023-09-05".into(), DateLabel::None)]
        );
        assert!(dates("Er kam am 45.13.2023 an").is_empty());
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("12.03.2024, 18:45 Uhr"));
        assert!(is_date_line("Published 10:48 AM UTC, April 9, 2024"));
        assert!(is_date_line("vor 2 Stunden"));
        assert!(is_date_line("Stand: 05.09.2023 14:32 Uhr"));
        assert!(!is_date_line(
            "Der Gipfel beginnt am 5. September 2023 in Berlin."
        ));
        assert!(!is_date_line("Mai"));
    }
}
