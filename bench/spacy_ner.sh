#!/usr/bin/env bash
# Side-by-side NER benchmark: spaCy's standard CPU NER pipeline vs dossier, both trained on
# GermEval 2014 train (tuned on dev), both scored on GermEval 2014 test (evaluation only), on
# the same machine, in one run. Prints one table: strict span F1 (outer spans, GermEval's 12
# types and the 4-class fold) and words per second.
#
#   bench/spacy_ner.sh [DATA_DIR] [MAX_STEPS]
#
# DATA_DIR defaults to ../shared/data. MAX_STEPS caps spaCy's training (default 20000; spaCy's
# own default stops on patience, which takes hours on 2 cores). Needs python3 with venv and
# network access to PyPI for the first run. dossier is built with `cargo build --release`
# (or set DOSSIER=/path/to/dossier).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
MAX_STEPS=${2:-20000}
GE=$DATA/ner/germeval2014
WORK=target/bench-spacy
mkdir -p "$WORK"

if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet --upgrade pip
  "$WORK/venv/bin/pip" install --quiet "spacy>=3.7,<4"
fi
PY=$WORK/venv/bin/python

# GermEval TSV → spaCy DocBin (outer labels; the full GermEval type set, as dossier trains).
"$PY" bench/spacy_ner.py convert "$GE/train.tsv.gz" "$WORK/train.spacy"
"$PY" bench/spacy_ner.py convert "$GE/dev.tsv" "$WORK/dev.spacy"
"$PY" bench/spacy_ner.py convert "$GE/test.tsv" "$WORK/test.spacy"

if [ ! -d "$WORK/model/model-best" ]; then
  "$PY" -m spacy init config --force --lang de --pipeline ner --optimize efficiency "$WORK/config.cfg"
  "$PY" -m spacy train "$WORK/config.cfg" --output "$WORK/model" \
    --paths.train "$WORK/train.spacy" --paths.dev "$WORK/dev.spacy" \
    --training.max_steps "$MAX_STEPS" --nlp.batch_size 256
fi

DOSSIER=${DOSSIER:-}
if [ -z "$DOSSIER" ]; then
  cargo build --release --quiet
  DOSSIER=./target/release/dossier
fi
"$PY" bench/spacy_ner.py score "$WORK/model/model-best" "$GE/test.tsv" > "$WORK/spacy.txt"
"$DOSSIER" eval ner "$GE/test.tsv" > "$WORK/dossier.txt"

"$PY" bench/spacy_ner.py table "$WORK/spacy.txt" "$WORK/dossier.txt" "$MAX_STEPS"
