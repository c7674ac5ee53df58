//! The PLV relation classifier: an averaged perceptron over hashed word features of a sentence
//! whose source and target are marked (`<s>…</s>`, `<t>…</t>`), with the English trigger lexicon's
//! types as features too. Trained on `events/plv/PLV_train.tsv` (train) and the first sentences of
//! NGEC's synthetic stories (train, pseudo-labels); deterministic; embedded as
//! `data/plv-model.bin.gz` (rebuilt byte for byte by `dossier train events`). PLV_test is
//! evaluation only: `dossier eval events` scores it, nothing here reads it for training.

use crate::lexicon::Lexicon;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// PLV's 15 root labels (CONCEDE and RETREAT are one class there, YIELD).
pub const LABELS: [&str; 15] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "YIELD",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// Hash buckets: 2^BITS.
pub const BITS: u32 = 16;
const MODEL_GZ: &[u8] = include_bytes!("../data/plv-model.bin.gz");
const MAGIC: &[u8; 8] = b"DOSPLV02";

/// Training settings (chosen by 5-fold cross-validation on PLV_train, folds by sentence).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub synthetic_weight: f32,
    pub seed: u64,
    /// Logistic regression (softmax, L2) instead of the averaged perceptron.
    pub logistic: bool,
    /// L2 strength of the logistic regression (per example and update).
    pub l2: f32,
    /// Learning rate of the logistic regression.
    pub rate: f32,
    /// Models in the ensemble, each with its own hashing of the features (its own collisions)
    /// and shuffling; their probabilities are summed.
    pub members: usize,
    /// Domain adaptation by feature augmentation (Daumé 2007) for the synthetic stories:
    /// 0 none; 1 every feature of a synthetic row once shared and once as the synthetic domain's
    /// own copy (the PLV rows and the prediction use the shared ones only); 2 also a PLV copy of
    /// every PLV row's feature (for cross-validation only: the shipped classifier does not add
    /// that copy when it predicts).
    pub augment: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 20,
            synthetic_weight: 0.3,
            seed: 7,
            logistic: true,
            l2: 1e-4,
            rate: 0.5,
            members: 1,
            augment: 1,
        }
    }
}

/// A trained model: BITS buckets × 15 labels.
pub struct Model {
    weights: Vec<f32>,
}

/// The shipped classifier: an ensemble of models, member `k` reading the features hashed with
/// salt `k`; weights quantised to i16 with one scale per member.
pub struct Classifier {
    members: Vec<Model>,
}

impl Classifier {
    /// The embedded classifier, if one was built.
    pub fn get() -> Option<&'static Classifier> {
        static M: OnceLock<Option<Classifier>> = OnceLock::new();
        M.get_or_init(|| Classifier::from_bytes(MODEL_GZ)).as_ref()
    }

    pub fn from_bytes(gz: &[u8]) -> Option<Classifier> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut raw)
            .ok()?;
        if raw.len() < 12 || &raw[..8] != MAGIC {
            return None;
        }
        let count = u32::from_le_bytes(raw[8..12].try_into().ok()?) as usize;
        let n = (1usize << BITS) * LABELS.len();
        let mut at = 12;
        let mut members = Vec::with_capacity(count.min(16));
        for _ in 0..count.min(16) {
            let scale = f32::from_le_bytes(raw.get(at..at + 4)?.try_into().ok()?);
            let body = raw.get(at + 4..at + 4 + n * 2)?;
            at += 4 + n * 2;
            let weights = body
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 * scale)
                .collect();
            members.push(Model { weights });
        }
        (!members.is_empty()).then_some(Classifier { members })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&(self.members.len() as u32).to_le_bytes());
        for m in &self.members {
            let max = m.weights.iter().fold(0f32, |a, w| a.max(w.abs()));
            let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
            raw.extend_from_slice(&scale.to_le_bytes());
            for w in &m.weights {
                raw.extend_from_slice(&((w / scale).round() as i16).to_le_bytes());
            }
        }
        let mut enc = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::best());
        let _ = std::io::Write::write_all(&mut enc, &raw);
        enc.finish().unwrap_or_default()
    }

    /// The label index for a sentence's feature strings: the members' softmax probabilities
    /// summed.
    pub fn predict_strings(&self, strings: &[String]) -> usize {
        argmax(&self.probabilities(strings))
    }

    /// The members' softmax probabilities summed, per label.
    pub fn probabilities(&self, strings: &[String]) -> [f32; 15] {
        let mut total = [0f32; 15];
        for (k, m) in self.members.iter().enumerate() {
            let s = m.scores(&hashed(strings, k as u32));
            let max = s.iter().fold(f32::MIN, |a, v| a.max(*v));
            let e: Vec<f32> = s.iter().map(|v| (v - max).exp()).collect();
            let z: f32 = e.iter().sum();
            for (t, v) in total.iter_mut().zip(&e) {
                *t += v / z;
            }
        }
        total
    }

    /// The label of a marked sentence.
    pub fn classify(&self, marked: &str) -> &'static str {
        LABELS[self.predict_strings(&feature_strings(marked))]
    }
}

impl Model {
    pub fn scores(&self, feats: &[u32]) -> [f32; 15] {
        let mut s = [0f32; 15];
        for &f in feats {
            let base = f as usize * LABELS.len();
            for (k, v) in s.iter_mut().enumerate() {
                *v += self.weights[base + k];
            }
        }
        s
    }

    pub fn predict(&self, feats: &[u32]) -> usize {
        argmax(&self.scores(feats))
    }
}

fn argmax(s: &[f32; 15]) -> usize {
    let mut best = 0;
    for k in 1..s.len() {
        if s[k] > s[best] {
            best = k;
        }
    }
    best
}

fn hash(s: &str) -> u32 {
    hash_salted(s, 0)
}

fn hash_salted(s: &str, salt: u32) -> u32 {
    let mut h: u32 = 0x811c9dc5 ^ salt.wrapping_mul(0x9e37_79b9);
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h & ((1 << BITS) - 1)
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Splits a marked sentence into (before, source, between, target, after, source first).
fn parts(marked: &str) -> (String, String, String, String, String, bool) {
    let find = |tag: &str| marked.find(tag);
    let (so, sc, to, tc) = (find("<s>"), find("</s>"), find("<t>"), find("</t>"));
    match (so, sc, to, tc) {
        (Some(so), Some(sc), Some(to), Some(tc)) if so < sc && to < tc => {
            let src = marked[so + 3..sc].to_string();
            let tgt = marked[to + 3..tc].to_string();
            if sc <= to {
                (
                    marked[..so].into(),
                    src,
                    marked[sc + 4..to].into(),
                    tgt,
                    marked[tc + 4..].into(),
                    true,
                )
            } else if tc <= so {
                (
                    marked[..to].into(),
                    src,
                    marked[tc + 4..so].into(),
                    tgt,
                    marked[sc + 4..].into(),
                    false,
                )
            } else {
                (
                    String::new(),
                    src,
                    marked.replace(['<', '>', '/'], " "),
                    tgt,
                    String::new(),
                    true,
                )
            }
        }
        _ => (
            String::new(),
            String::new(),
            marked.to_string(),
            String::new(),
            String::new(),
            true,
        ),
    }
}

/// Hashed features of a marked sentence (or a plain one: all of it counts as "between").
pub fn features(marked: &str) -> Vec<u32> {
    hashed(&feature_strings(marked), 0)
}

/// Feature strings hashed with a salt, sorted, without duplicates.
pub fn hashed(strings: &[String], salt: u32) -> Vec<u32> {
    let mut out: Vec<u32> = strings.iter().map(|x| hash_salted(x, salt)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The feature strings with a domain's own copy of each added ("plv", "syn").
pub fn with_domain(strings: &[String], domain: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(strings.len() * 2);
    out.extend(strings.iter().cloned());
    out.extend(strings.iter().map(|x| format!("{domain}|{x}")));
    out
}

/// The training rows' feature strings, augmented by domain as the settings say.
pub fn training_strings(rows: &[Row], settings: Settings) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let f = feature_strings(&r.text);
            match (settings.augment, r.group.starts_with("syn:")) {
                (1 | 2, true) => with_domain(&f, "syn"),
                (2, false) => with_domain(&f, "plv"),
                _ => f,
            }
        })
        .collect()
}

/// The feature strings of a marked sentence.
pub fn feature_strings(marked: &str) -> Vec<String> {
    let lex = Lexicon::for_language("en");
    let (before, src, between, tgt, after, st) = parts(marked);
    let mut f: Vec<String> = vec!["bias".into(), format!("ord:{st}")];
    let (b, s, m, t, a) = (
        words(&before),
        words(&src),
        words(&between),
        words(&tgt),
        words(&after),
    );
    let lexhit = |w: &str| -> Vec<String> {
        let Some(lex) = lex else { return Vec::new() };
        let mut v = Vec::new();
        for l in lex.lemmas(w) {
            for &ti in lex.triggers_of(l) {
                v.push(lex.triggers[ti].kind.clone());
            }
        }
        v
    };
    for w in &m {
        f.push(format!("m:{w}"));
        f.push(format!("m5:{}", w.chars().take(5).collect::<String>()));
        for k in lexhit(w) {
            f.push(format!("lexm:{k}"));
        }
    }
    for p in m.windows(2) {
        f.push(format!("mb:{} {}", p[0], p[1]));
    }
    if let Some(first) = m.first() {
        f.push(format!("m0:{first}"));
    }
    if m.len() >= 2 {
        f.push(format!("m01:{} {}", m[0], m[1]));
    }
    f.push(format!("mlen:{}", m.len().min(8)));
    for w in s.iter() {
        f.push(format!("s:{w}"));
    }
    for w in t.iter() {
        f.push(format!("t:{w}"));
    }
    for w in b.iter().rev().take(4) {
        f.push(format!("l:{w}"));
        for k in lexhit(w) {
            f.push(format!("lexl:{k}"));
        }
    }
    for w in a.iter().take(5) {
        f.push(format!("r:{w}"));
        f.push(format!("r5:{}", w.chars().take(5).collect::<String>()));
        for k in lexhit(w) {
            f.push(format!("lexr:{k}"));
        }
    }
    for w in b.iter().chain(&a) {
        f.push(format!("w:{w}"));
    }
    cameo_features(&b, &m, &a, &mut f);
    pair_features(&b, &m, &a, st, &mut f);
    f
}

/// Second-order features: the conjunctions of every two of a few facts about the pair (the
/// order of the marks; the nearest CAMEO verb after the first mark, its block, its root and the
/// word after it; the first and last word between the marks; the first word after them), so
/// that the linear model can weigh a verb differently by how it links the two.
fn pair_features(
    before: &[String],
    between: &[String],
    after: &[String],
    st: bool,
    f: &mut Vec<String>,
) {
    let Some(dict) = crate::cameo::Dict::get() else {
        return;
    };
    let all: Vec<String> = before.iter().chain(between).chain(after).cloned().collect();
    let (nb, nm) = (before.len(), between.len());
    let first_verb =
        (nb..(nb + nm + 6).min(all.len())).find_map(|v| dict.verb_at(&all, v).map(|h| (v, h)));
    let mut keys: Vec<String> = vec![format!("o{st}")];
    if let Some((v, h)) = &first_verb {
        keys.push(format!("vb{}", h.block));
        let (root, _) = h.pattern.unwrap_or((h.root, h.cameo));
        keys.push(format!("vr{root}"));
        if let Some(n) = all.get(v + 1) {
            keys.push(format!("vn{n}"));
        }
    }
    if let Some(w) = between.first() {
        keys.push(format!("m0{w}"));
    }
    if let Some(w) = between.last() {
        keys.push(format!("mL{w}"));
    }
    if let Some(w) = after.first() {
        keys.push(format!("r0{w}"));
    }
    for x in 0..keys.len() {
        for y in x + 1..keys.len() {
            f.push(format!("x:{}|{}", keys[x], keys[y]));
        }
    }
}

/// Words that put the verb after them into the future or into an offer ("will visit",
/// "agreed to help", "plans to meet").
const FUTURE: [&str; 12] = [
    "will", "would", "plans", "plan", "planned", "to", "agreed", "offered", "promised", "pledged",
    "vowed", "ready",
];
const NEGATION: [&str; 6] = ["not", "never", "no", "n't", "refused", "without"];

/// Features from the CAMEO verb dictionary: for each verb of the dictionary before (`l`),
/// between (`m`) and after (`r`) the marks, its block, the block's PLOVER root and CAMEO code,
/// and the best-matching pattern's root and code; the first such verb between the marks also
/// with future and negation cues before it.
fn cameo_features(before: &[String], between: &[String], after: &[String], f: &mut Vec<String>) {
    let Some(dict) = crate::cameo::Dict::get() else {
        return;
    };
    let all: Vec<String> = before.iter().chain(between).chain(after).cloned().collect();
    let (nb, nm) = (before.len(), between.len());
    let mut first_mid = true;
    for v in nb.saturating_sub(4)..(nb + nm + 6).min(all.len()) {
        let Some(hit) = dict.verb_at(&all, v) else {
            continue;
        };
        let region = if v < nb {
            "l"
        } else if v < nb + nm {
            "m"
        } else {
            "r"
        };
        f.push(format!("cb:{region}:{}", hit.block));
        f.push(format!("cb:{}", hit.block));
        let (root, cam) = hit.pattern.unwrap_or((hit.root, hit.cameo));
        if root != "-" {
            f.push(format!("cr:{region}:{root}"));
            f.push(format!("cr:{root}"));
        }
        if cam != "-" {
            f.push(format!("cc:{region}:{cam}"));
        }
        if hit.pattern.is_some() {
            f.push(format!("cp:{region}:{root}:{cam}"));
        }
        if region == "m" && first_mid {
            first_mid = false;
            f.push(format!("cm0:{}", hit.block));
            f.push(format!("cm0r:{root}"));
            let lo = v.saturating_sub(3).max(nb);
            let fut = (lo..v).any(|j| FUTURE.contains(&all[j].as_str()));
            let neg =
                (nb..v).any(|j| NEGATION.contains(&all[j].as_str()) || all[j].ends_with("n't"));
            f.push(format!("cm0f:{fut}:{neg}:{root}"));
            f.push(format!("cm0fb:{fut}:{neg}:{}", hit.block));
        }
    }
}

/// One training or test row.
pub struct Row {
    pub text: String,
    pub label: usize,
    /// The group it must stay with in cross-validation (PLV sentence id; a story).
    pub group: String,
    pub weight: f32,
    /// The authors' own zero-shot prediction (`root_L2`), test rows only.
    pub baseline: Option<String>,
}

/// A minimal reader of delimited text with double-quote quoting.
pub fn read_delimited(text: &str, delim: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            c if c == delim => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            '\r' => {}
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn label_index(l: &str) -> Option<usize> {
    let l = match l {
        "CONCEDE" | "RETREAT" => "YIELD",
        "DEMAND" => "REQUEST",
        "DISAPPROVE" => "ACCUSE",
        x => x,
    };
    LABELS.iter().position(|x| *x == l)
}

/// Reads a PLV file.
pub fn read_plv(path: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rows = read_delimited(&text, '\t');
    let Some(header) = rows.first() else {
        return Ok(Vec::new());
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(m), Some(g), Some(sid)) =
        (col("marked_sentence"), col("gold_root"), col("sentence_id"))
    else {
        return Err(format!("{}: missing columns", path.display()));
    };
    let base = col("root_L2");
    Ok(rows[1..]
        .iter()
        .filter_map(|r| {
            let label = label_index(r.get(g)?)?;
            Some(Row {
                text: r.get(m)?.clone(),
                label,
                group: format!("plv:{}", r.get(sid)?),
                weight: 1.0,
                baseline: base.and_then(|b| r.get(b).cloned()),
            })
        })
        .collect())
}

/// Reads NGEC's synthetic stories (gzip CSV): the first sentence of each, its story's label.
pub fn read_synthetic(path: &Path, weight: f32) -> Result<Vec<Row>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let rows = read_delimited(&text, ',');
    let Some(header) = rows.first() else {
        return Ok(Vec::new());
    };
    let (Some(t), Some(l)) = (
        header.iter().position(|h| h == "text"),
        header.iter().position(|h| h == "label"),
    ) else {
        return Err(format!("{}: missing columns", path.display()));
    };
    Ok(rows[1..]
        .iter()
        .enumerate()
        .filter_map(|(n, r)| {
            let label = label_index(r.get(l)?)?;
            let story = r.get(t)?;
            let first = story.split(". ").next().unwrap_or(story).to_string();
            Some(Row {
                text: first,
                label,
                group: format!("syn:{n}"),
                weight,
                baseline: None,
            })
        })
        .collect())
}

/// Softmax regression by stochastic gradient descent with L2 (applied to the weights an
/// example touches), a learning rate that decays by epoch, the averaged weights of the last half
/// of the epochs; examples in a fixed pseudo-random order per epoch.
pub fn train_logistic(rows: &[(Vec<u32>, usize, f32)], settings: Settings) -> Model {
    let n = (1usize << BITS) * LABELS.len();
    let nl = LABELS.len();
    let mut w = vec![0f32; n];
    let mut sum = vec![0f64; n];
    let mut summed = 0usize;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut shuffle = Shuffle::new(settings.seed);
    for epoch in 0..settings.epochs {
        shuffle.order(&mut order);
        let rate = settings.rate / (1.0 + epoch as f32 * 0.5);
        for &k in &order {
            let (feats, gold, weight) = &rows[k];
            let mut s = [0f32; 15];
            for &f in feats {
                let base = f as usize * nl;
                for (l, v) in s.iter_mut().enumerate() {
                    *v += w[base + l];
                }
            }
            let max = s.iter().fold(f32::MIN, |m, v| m.max(*v));
            let mut z = 0f32;
            for v in s.iter_mut() {
                *v = (*v - max).exp();
                z += *v;
            }
            let scale = 1.0 / (feats.len().max(1) as f32).sqrt();
            for (l, v) in s.iter().enumerate() {
                let g = v / z - if l == *gold { 1.0 } else { 0.0 };
                for &f in feats {
                    let idx = f as usize * nl + l;
                    w[idx] -= rate * weight * (g * scale + settings.l2 * w[idx]);
                }
            }
        }
        if epoch * 2 >= settings.epochs {
            for (a, b) in sum.iter_mut().zip(&w) {
                *a += *b as f64;
            }
            summed += 1;
        }
    }
    let weights = sum
        .iter()
        .map(|v| (*v / summed.max(1) as f64) as f32)
        .collect();
    Model { weights }
}

/// The model of the settings' kind.
pub fn train_any(rows: &[(Vec<u32>, usize, f32)], settings: Settings) -> Model {
    if settings.logistic {
        train_logistic(rows, settings)
    } else {
        train(rows, settings)
    }
}

/// The fixed pseudo-random visiting order of the training examples (a linear congruential
/// generator and Fisher–Yates): the same seed gives the same model, byte for byte.
struct Shuffle {
    state: u64,
}

impl Shuffle {
    fn new(seed: u64) -> Self {
        let mut s = Shuffle { state: seed };
        s.step();
        s
    }

    fn step(&mut self) -> u64 {
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.state
    }

    fn order(&mut self, order: &mut [usize]) {
        for i in (1..order.len()).rev() {
            let j = (self.step() >> 33) as usize % (i + 1);
            order.swap(i, j);
        }
    }
}

/// Averaged perceptron; examples visited in a fixed pseudo-random order per epoch.
pub fn train(rows: &[(Vec<u32>, usize, f32)], settings: Settings) -> Model {
    let n = (1usize << BITS) * LABELS.len();
    let mut w = vec![0f32; n];
    let mut acc = vec![0f32; n];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut shuffle = Shuffle::new(settings.seed);
    for _ in 0..settings.epochs {
        shuffle.order(&mut order);
        for &k in &order {
            let (feats, gold, weight) = &rows[k];
            let mut s = [0f32; 15];
            for &f in feats {
                let base = f as usize * LABELS.len();
                for (l, v) in s.iter_mut().enumerate() {
                    *v += w[base + l];
                }
            }
            let pred = argmax(&s);
            if pred != *gold {
                for &f in feats {
                    let base = f as usize * LABELS.len();
                    w[base + gold] += weight;
                    w[base + pred] -= weight;
                    acc[base + gold] += c * weight;
                    acc[base + pred] -= c * weight;
                }
            }
            c += 1.0;
        }
    }
    let weights = w.iter().zip(&acc).map(|(w, a)| w - a / c).collect();
    Model { weights }
}

/// Accuracy and macro F1 (over the labels present in gold) of predictions.
pub fn scores(gold: &[usize], pred: &[usize]) -> (f64, f64) {
    let n = gold.len().max(1) as f64;
    let acc = gold.iter().zip(pred).filter(|(g, p)| g == p).count() as f64 / n;
    let mut f1s = Vec::new();
    for l in 0..LABELS.len() {
        let tp = gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| **g == l && **p == l)
            .count() as f64;
        let gn = gold.iter().filter(|g| **g == l).count() as f64;
        let pn = pred.iter().filter(|p| **p == l).count() as f64;
        if gn == 0.0 {
            continue;
        }
        let p = if pn > 0.0 { tp / pn } else { 0.0 };
        let r = tp / gn;
        f1s.push(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        });
    }
    (acc, f1s.iter().sum::<f64>() / f1s.len().max(1) as f64)
}

/// The training rows: PLV_train plus the synthetic stories.
pub fn training_rows(events_dir: &Path, settings: Settings) -> Result<Vec<Row>, String> {
    let mut rows = read_plv(&events_dir.join("plv").join("PLV_train.tsv"))?;
    if settings.synthetic_weight > 0.0 {
        let syn =
            events_dir.join("ngec-assets/synthetic/gpt_synthetic_events_2023-10-19_19.csv.gz");
        rows.extend(read_synthetic(&syn, settings.synthetic_weight)?);
    }
    Ok(rows)
}

/// Trains the ensemble on rows given as feature strings.
pub fn train_classifier(rows: &[(&[String], usize, f32)], settings: Settings) -> Classifier {
    let members = (0..settings.members.max(1))
        .map(|k| {
            let feats: Vec<(Vec<u32>, usize, f32)> = rows
                .iter()
                .map(|(s, l, w)| (hashed(s, k as u32), *l, *w))
                .collect();
            let member_settings = Settings {
                seed: settings.seed.wrapping_add(k as u64),
                ..settings
            };
            train_any(&feats, member_settings)
        })
        .collect();
    Classifier { members }
}

/// The cross-validation fold (of 5) of a row's group.
pub fn cv_fold(group: &str) -> usize {
    (hash(group) % 5) as usize
}

/// 5-fold cross-validation on PLV_train (folds by sentence; the synthetic rows always train):
/// the training rows and, for each PLV row, the label predicted by the model of the folds
/// without it.
pub fn cv_predictions(
    events_dir: &Path,
    settings: Settings,
) -> Result<(Vec<Row>, Vec<Option<usize>>), String> {
    let rows = training_rows(events_dir, settings)?;
    let strings = training_strings(&rows, settings);
    let fold_of = cv_fold;
    let mut pred = vec![None; rows.len()];
    for k in 0..5 {
        let train_set: Vec<(&[String], usize, f32)> = rows
            .iter()
            .zip(&strings)
            .filter(|(r, _)| !r.group.starts_with("plv:") || fold_of(&r.group) != k)
            .map(|(r, f)| (f.as_slice(), r.label, r.weight))
            .collect();
        let model = train_classifier(&train_set, settings);
        for (n, (r, f)) in rows.iter().zip(&strings).enumerate() {
            if r.group.starts_with("plv:") && fold_of(&r.group) == k {
                pred[n] = Some(model.predict_strings(f));
            }
        }
    }
    Ok((rows, pred))
}

/// 5-fold cross-validation on PLV_train: root accuracy and macro F1.
pub fn cross_validate(events_dir: &Path, settings: Settings) -> Result<(f64, f64), String> {
    let (rows, pred) = cv_predictions(events_dir, settings)?;
    let (mut g, mut p) = (Vec::new(), Vec::new());
    for (r, x) in rows.iter().zip(&pred) {
        if let Some(x) = x {
            g.push(r.label);
            p.push(*x);
        }
    }
    Ok(scores(&g, &p))
}

/// The PLV label index of a PLOVER root (CONCEDE and RETREAT are YIELD).
pub fn label_of(root: &str) -> Option<usize> {
    label_index(root)
}

/// Trains the shipped model; returns its bytes.
pub fn train_model(events_dir: &Path, settings: Settings) -> Result<Vec<u8>, String> {
    let rows = training_rows(events_dir, settings)?;
    let strings = training_strings(&rows, settings);
    let set: Vec<(&[String], usize, f32)> = rows
        .iter()
        .zip(&strings)
        .map(|(r, f)| (f.as_slice(), r.label, r.weight))
        .collect();
    Ok(train_classifier(&set, settings).to_bytes())
}

/// Scores the embedded model on PLV_test (evaluation only), beside the authors' zero-shot coder.
pub fn eval_plv(dir: &Path) -> Result<String, String> {
    let Some(model) = Classifier::get() else {
        return Ok("PLV: no model embedded (run `dossier train events`)\n".into());
    };
    let rows = read_plv(&dir.join("PLV_test.tsv"))?;
    let gold: Vec<usize> = rows.iter().map(|r| r.label).collect();
    let pred: Vec<usize> = rows
        .iter()
        .map(|r| model.predict_strings(&feature_strings(&r.text)))
        .collect();
    let base: Vec<usize> = rows
        .iter()
        .map(|r| {
            r.baseline
                .as_deref()
                .and_then(label_index)
                .unwrap_or(usize::MAX)
        })
        .collect();
    let (acc, f1) = scores(&gold, &pred);
    let (bacc, bf1) = scores(&gold, &base);
    let mut out = format!(
        "PLV test (evaluation only), {} rows: root accuracy {acc:.3}, macro F1 {f1:.3} (ours: logistic regression, CAMEO verb-dictionary features); \
         zero-shot NLI coder (root_L2 in the file): {bacc:.3} / {bf1:.3}\n",
        rows.len()
    );
    let mut conf: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (g, p) in gold.iter().zip(&pred) {
        if g != p {
            *conf.entry((*g, *p)).or_default() += 1;
        }
    }
    let mut v: Vec<_> = conf.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.push_str("most frequent confusions (gold → predicted):\n");
    for ((g, p), n) in v.into_iter().take(12) {
        out.push_str(&format!("  {} → {}: {n}\n", LABELS[g], LABELS[p]));
    }
    let mut per: HashMap<usize, (usize, usize)> = HashMap::new();
    for (g, p) in gold.iter().zip(&pred) {
        let e = per.entry(*g).or_default();
        e.0 += 1;
        e.1 += (g == p) as usize;
    }
    out.push_str("per label: rows / right\n");
    for (l, name) in LABELS.iter().enumerate() {
        if let Some((n, r)) = per.get(&l) {
            out.push_str(&format!("  {name:<10} {n:>4} {r:>4}\n"));
        }
    }
    Ok(out)
}
