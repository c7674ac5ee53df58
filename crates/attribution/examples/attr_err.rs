//! Error analysis of the rules and the learned model on quotes-de-news dev (never test), for the
//! choices in the crate README: quotation, speaker and cue tokens right and wrong by the kind and
//! confidence of the quotation that holds them, the gold speakers found fully, partly or not at
//! all, the model's speakers no quotation took, and the quotation tokens missed per form.
//!
//! `cargo run --release -p dossier-attribution --example attr_err -- MODEL.bin.gz` (a model as
//! `attr_dev` or `dossier train attribution` writes it). `SHOW="indirect 0.4"` prints the
//! quotations of that group beside the gold ones, `MISSED=FreeIndirect` the missed annotations of
//! a form, `SHOWSPK=1` the lost speakers, `SHOWGS="gold speaker none"` the gold speakers of that
//! kind; `TIME=1` times the stage on dev, `SEED=path` on one text.
use dossier_attribution::{eval, learned};
use std::collections::{BTreeMap, HashSet};

mod common;
use common::prepare;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = learned::Model::from_bytes(&std::fs::read(&args[1]).unwrap()).unwrap();
    let dir = std::path::Path::new("../shared/data/attribution/quotes-de-news");
    let dev = eval::read_quotes_de_news(dir, "dev", &prepare).unwrap();
    if let Ok(path) = std::env::var("SEED") {
        let text = std::fs::read_to_string(path).unwrap();
        let mut doc = dossier_core::Document::from_paragraphs(
            "seed",
            "de",
            text.split("\n\n").map(str::to_string).collect(),
        );
        prepare(&mut doc);
        let t = std::time::Instant::now();
        let n = 50;
        for _ in 0..n {
            let _ = dossier_attribution::attribute_with(&doc, Some(&model));
        }
        let t2 = std::time::Instant::now();
        for _ in 0..n {
            let _ = dossier_attribution::attribute_with(&doc, None);
        }
        println!(
            "seed: {:.2} ms with the model, {:.2} ms rules alone",
            t.elapsed().as_secs_f64() * 1000.0 / n as f64
                - t2.elapsed().as_secs_f64() * 1000.0 / n as f64,
            t2.elapsed().as_secs_f64() * 1000.0 / n as f64
        );
        return;
    }
    if std::env::var("TIME").is_ok() {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            for art in &dev {
                let _ = dossier_attribution::attribute_with(&art.doc, Some(&model));
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let toks: usize = dev.iter().map(|a| a.doc.tokens.len()).sum();
        println!(
            "stage: {:.2} ms per article, {:.0} tokens/s ({} articles, {} tokens)",
            best * 1000.0 / dev.len() as f64,
            toks as f64 / best,
            dev.len(),
            toks
        );
        return;
    }
    let mut groups: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    let mut fn_by_kind: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for art in &dev {
        let (quotes, _) = dossier_attribution::attribute_with(&art.doc, Some(&model));
        let preds = eval::predicted_from_quotes(&art.doc, &quotes);
        let toks = |spans: &[(usize, usize)]| -> HashSet<usize> {
            art.tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| spans.iter().any(|s| t.0 < s.1 && s.0 < t.1))
                .map(|(i, _)| i)
                .collect()
        };
        let gold = art.gold();
        let gq = toks(&gold[1]);
        let gs = toks(&gold[2]);
        let gc = toks(&gold[0]);
        let mut all_q = HashSet::new();
        for (q, p) in quotes.iter().zip(&preds) {
            let key = format!("{} {:.1}", q.kind, q.confidence);
            let e = groups.entry(key.clone()).or_default();
            let t = toks(&p.roles[1]);
            e[0] += t.intersection(&gq).count();
            e[1] += t.difference(&gq).count();
            let s = toks(&p.roles[2]);
            e[2] += s.intersection(&gs).count();
            e[3] += s.difference(&gs).count();
            let c = toks(&p.roles[0]);
            e[4] += c.intersection(&gc).count();
            e[5] += c.difference(&gc).count();
            if std::env::var("SHOW").is_ok_and(|v| v == key) {
                let r = art.doc.byte_range(q.span);
                let gold_in: Vec<String> = art
                    .annotations
                    .iter()
                    .flat_map(|a| {
                        a.roles[1]
                            .iter()
                            .filter(|g| g.0 < r.end && r.start < g.1)
                            .map(|g| format!("{} [{}]", &art.doc.text[g.0..g.1], a.kind))
                    })
                    .collect();
                println!(
                    "PRED cue={:?} spk={:?} msg={:?}\n  GOLD {:?}",
                    q.cue.as_ref().map(|c| c.text.clone()),
                    q.speaker_text,
                    q.content,
                    gold_in
                );
            }
            all_q.extend(t);
        }
        {
            let ms = dossier_attribution::model_spans(&art.doc, &model);
            let used: Vec<(usize, usize)> = quotes
                .iter()
                .filter_map(|q| q.speaker_span)
                .map(|sp| {
                    let r = art.doc.byte_range(sp);
                    (r.start, r.end)
                })
                .collect();
            let qs: Vec<(usize, usize)> = quotes
                .iter()
                .map(|q| {
                    let r = art.doc.byte_range(q.span);
                    (r.start, r.end)
                })
                .collect();
            for &(x, y) in &ms[2] {
                let t = toks(&[(x, y)]);
                let tp = t.intersection(&gs).count();
                if used.iter().any(|u| u.0 < y && x < u.1) {
                    continue;
                }
                let near = qs.iter().any(|q| q.0 < y + 300 && x < q.1 + 300);
                let inside = qs.iter().any(|q| q.0 <= x && y <= q.1);
                let key = format!("lost speaker near={near} inside={inside}");
                let e = groups.entry(key).or_default();
                e[0] += tp;
                e[1] += t.len() - tp;
                if std::env::var("SHOWSPK").is_ok() && tp > 0 {
                    let lo = art.doc.text[..x]
                        .char_indices()
                        .rev()
                        .nth(100)
                        .map_or(0, |c| c.0);
                    let hi = art.doc.text[y..]
                        .char_indices()
                        .nth(100)
                        .map_or(art.doc.text.len(), |c| y + c.0);
                    println!(
                        "LOST [{}] in …{}«{}»{}…",
                        &art.doc.text[x..y],
                        &art.doc.text[lo..x],
                        &art.doc.text[x..y],
                        &art.doc.text[y..hi]
                    );
                }
            }
        }
        {
            let pspk: Vec<(usize, usize)> = preds
                .iter()
                .flat_map(|p| p.roles[2].iter().copied())
                .collect();
            let pt = toks(&pspk);
            for a in &art.annotations {
                for &g in &a.roles[2] {
                    let t = toks(&[g]);
                    let hit = t.intersection(&pt).count();
                    let key = if hit == 0 {
                        "gold speaker none"
                    } else if hit == t.len() {
                        "gold speaker full"
                    } else {
                        "gold speaker partial"
                    };
                    let e = groups.entry(format!("{key} {}", a.kind)).or_default();
                    e[0] += t.len();
                    e[1] += t.len() - hit;
                    if std::env::var("SHOWGS").is_ok_and(|v| v == key) {
                        let ps: Vec<&str> = pspk
                            .iter()
                            .filter(|p| p.0 < g.1 + 200 && g.0 < p.1 + 200)
                            .map(|p| &art.doc.text[p.0..p.1])
                            .collect();
                        println!(
                            "GS [{}] {} pred near: {:?}",
                            &art.doc.text[g.0..g.1],
                            a.kind,
                            ps
                        );
                    }
                }
            }
        }
        for a in &art.annotations {
            let t = toks(&a.roles[1]);
            let e = fn_by_kind.entry(a.kind.clone()).or_default();
            e[0] += t.len();
            e[1] += t.difference(&all_q).count();
            if std::env::var("MISSED").is_ok_and(|v| v == a.kind)
                && t.difference(&all_q).count() * 2 > t.len()
            {
                let g = a.roles[1].first().copied().unwrap_or((0, 0));
                let lo = art.doc.text[..g.0]
                    .char_indices()
                    .rev()
                    .nth(150)
                    .map_or(0, |x| x.0);
                println!(
                    "MISSED {:?}\n   BEFORE …{}",
                    &art.doc.text[g.0..g.1],
                    &art.doc.text[lo..g.0]
                );
            }
        }
    }
    println!("group: quot tp fp | spk tp fp | cue tp fp");
    for (k, v) in groups {
        println!("{k:<20} {:?}", v);
    }
    for (k, v) in fn_by_kind {
        println!("missed {k:<20} {} of {}", v[1], v[0]);
    }
}
