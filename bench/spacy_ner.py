"""Helpers for bench/spacy_ner.sh: GermEval → DocBin, scoring a spaCy model, the table."""
import gzip
import re
import sys
import time


def read_germeval(path):
    """Sentences of (tokens, outer BIO labels) from GermEval TSV (.gz read transparently)."""
    opener = gzip.open if path.endswith(".gz") else open
    sents, toks, labs = [], [], []
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, labs))
                toks, labs = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3 or not cols[0].strip().isdigit():
                continue
            toks.append(cols[1] if cols[1].strip() else "_")
            labs.append(cols[2])
    if toks:
        sents.append((toks, labs))
    return sents


def spans(labels):
    """conlleval chunks: (start, end, type)."""
    out, start, typ = [], None, None
    for i, lab in enumerate(labels + ["O"]):
        p, _, t = lab.partition("-")
        if start is not None and not (p == "I" and t == typ):
            out.append((start, i, typ))
            start = None
        if p in ("B", "I") and start is None:
            start, typ = i, t
    return out


def convert(src, dst):
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("de")
    db = DocBin()
    for toks, labs in read_germeval(src):
        doc = Doc(nlp.vocab, words=toks)
        doc.ents = [spacy.tokens.Span(doc, s, e, label=t)
                    for s, e, t in spans(labs)]
        db.add(doc)
    db.to_disk(dst)


def fold(t):
    return re.sub(r"(deriv|part)$", "", t)


def f1(gold, pred):
    ok = len(gold & pred)
    p = ok / len(pred) if pred else 0.0
    r = ok / len(gold) if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(model, test):
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(model)
    sents = read_germeval(test)
    docs = [Doc(nlp.vocab, words=toks) for toks, _ in sents]
    n_words = sum(len(d) for d in docs)
    t0 = time.process_time()
    out = list(nlp.pipe(docs, batch_size=256))
    secs = time.process_time() - t0
    gold_full, pred_full, gold_4, pred_4 = set(), set(), set(), set()
    for k, ((toks, labs), doc) in enumerate(zip(sents, out)):
        for s, e, t in spans(labs):
            gold_full.add((k, s, e, t))
            gold_4.add((k, s, e, fold(t)))
        for ent in doc.ents:
            pred_full.add((k, ent.start, ent.end, ent.label_))
            pred_4.add((k, ent.start, ent.end, fold(ent.label_)))
    print(f"all-types {f1(gold_full, pred_full):.4f}")
    print(f"4-class {f1(gold_4, pred_4):.4f}")
    print(f"words/s {n_words / secs:.0f}")


def table(spacy_out, dossier_out, max_steps):
    s = dict(line.rsplit(" ", 1) for line in open(spacy_out).read().splitlines() if " " in line)
    d = open(dossier_out).read()
    overall = re.findall(r"overall\s+\d+\s+\d+\s+\d+\s+\S+\s+\S+\s+(\S+)", d)
    speed = re.search(r"throughput: (\d+) tokens per CPU second", d)
    print(f"{'system':<34} {'F1 all types':>12} {'F1 4 classes':>12} {'words/s':>10}")
    print(f"{'spaCy de ner (efficiency, ' + str(max_steps) + ' steps)':<34} "
          f"{float(s['all-types']):>12.4f} {float(s['4-class']):>12.4f} {float(s['words/s']):>10.0f}")
    print(f"{'dossier (averaged perceptron)':<34} {float(overall[0]):>12.4f} "
          f"{float(overall[1]):>12.4f} {float(speed.group(1)) if speed else 0:>10.0f}")
    print("words/s: CPU time on one thread (spaCy nlp.pipe, batch 256; dossier eval ner).")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif cmd == "score":
        score(sys.argv[2], sys.argv[3])
    elif cmd == "table":
        table(sys.argv[2], sys.argv[3], sys.argv[4])
