//! Marks over a text: overlapping spans (a claim holding a quotation holding a name) cut into
//! flat pieces, each with the marks that cover it, so that the HTML nests properly.

use dossier_core::{Document, Span};

/// One mark: a byte range of the text and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// Outer layers first: 0 claim, 1 quotation, 2 entity, 3 time.
    pub layer: u8,
    /// CSS classes (fixed words, never text from a report).
    pub class: String,
    /// The id of the element that explains it (`info-E1`).
    pub target: String,
    /// The hover text.
    pub title: String,
}

/// A piece of the text: words under some marks (indices into the marks, outer first), or a
/// paragraph or line break.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str, Vec<usize>),
    Paragraph,
    Line,
}

/// The most marks drawn on one text (bounded work on a pathological report).
pub const MAX_MARKS: usize = 5000;

/// The byte range of a code-point span, if it is a valid non-empty span of the document.
pub fn byte_span(doc: &Document, span: Span) -> Option<(usize, usize)> {
    let n = doc.len_chars();
    if span[0] >= span[1] || span[1] > n {
        return None;
    }
    let r = doc.byte_range(span);
    (r.start < r.end && r.end <= doc.text.len()).then_some((r.start, r.end))
}

pub fn pieces<'a>(text: &'a str, marks: &[Mark]) -> Vec<Piece<'a>> {
    let marks = &marks[..marks.len().min(MAX_MARKS)];
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for m in marks {
        if m.start < m.end && m.end <= text.len() {
            cuts.push(m.start);
            cuts.push(m.end);
        }
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    // Marks by start, to find those covering each piece with a sweep.
    let mut order: Vec<usize> = (0..marks.len())
        .filter(|&i| {
            let m = &marks[i];
            m.start < m.end
                && m.end <= text.len()
                && text.is_char_boundary(m.start)
                && text.is_char_boundary(m.end)
        })
        .collect();
    order.sort_by_key(|&i| (marks[i].start, std::cmp::Reverse(marks[i].end)));
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while next < order.len() && marks[order[next]].start <= a {
            open.push(order[next]);
            next += 1;
        }
        open.retain(|&i| marks[i].end > a);
        let mut active: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| marks[i].start <= a && marks[i].end >= b)
            .collect();
        active.sort_by_key(|&i| (marks[i].layer, marks[i].start, i));
        active.dedup_by_key(|i| (marks[*i].layer, marks[*i].target.clone()));
        let piece = &text[a..b];
        for (k, para) in piece.split("\n\n").enumerate() {
            if k > 0 {
                out.push(Piece::Paragraph);
            }
            for (j, line) in para.split('\n').enumerate() {
                if j > 0 {
                    out.push(Piece::Line);
                }
                if !line.is_empty() {
                    out.push(Piece::Text(line, active.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, layer: u8, t: &str) -> Mark {
        Mark {
            start,
            end,
            layer,
            class: String::new(),
            target: t.into(),
            title: String::new(),
        }
    }

    #[test]
    fn nested_marks_cut_into_flat_pieces() {
        let text = "Anna said: the bridge closes.\n\nMore text.";
        let marks = vec![
            mark(11, 28, 0, "A1"),
            mark(0, 4, 2, "E1"),
            mark(15, 21, 2, "E2"),
        ];
        let p = pieces(text, &marks);
        assert_eq!(p[0], Piece::Text("Anna", vec![1]));
        assert_eq!(p[1], Piece::Text(" said: ", vec![]));
        assert_eq!(p[2], Piece::Text("the ", vec![0]));
        assert_eq!(p[3], Piece::Text("bridge", vec![0, 2]));
        assert_eq!(p[4], Piece::Text(" closes", vec![0]));
        assert!(p.contains(&Piece::Paragraph));
        assert_eq!(p.last(), Some(&Piece::Text("More text.", vec![])));
    }

    #[test]
    fn bad_spans_are_ignored() {
        let text = "Größe";
        let marks = vec![mark(1, 2, 2, "x"), mark(3, 99, 2, "y"), mark(4, 1, 2, "z")];
        let p = pieces(text, &marks);
        let joined: String = p
            .iter()
            .map(|p| match p {
                Piece::Text(t, _) => *t,
                _ => "",
            })
            .collect();
        assert_eq!(joined, text);
    }
}
