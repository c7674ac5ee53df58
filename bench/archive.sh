#!/usr/bin/env bash
# Benchmark (not a test) of the archive: ingest throughput with analysis, peak memory, and
# search latency (the in-process time `dossier search` prints, process start excluded).
#
#   bench/archive.sh INPUT_DIR [STORE_DIR] [QUERIES]
#
# INPUT_DIR: typical articles, one per file (keep corpora outside the repository, e.g. /tmp).
# STORE_DIR: a fresh archive directory (default /tmp/dossier-bench-archive; removed first).
set -eu
input=${1:?usage: bench/archive.sh INPUT_DIR [STORE_DIR] [QUERIES]}
store=${2:-/tmp/dossier-bench-archive}
queries=${3:-200}
bin=${DOSSIER_BIN:-target/release/dossier}
if [ -z "${SKIP_INGEST:-}" ]; then rm -rf "$store"; fi
docs=$(find "$input" -type f ! -name '.*' | wc -l)
echo "ingest: $docs inputs from $input into $store"
[ -n "${SKIP_INGEST:-}" ] || /usr/bin/time -f "%e s wall, %P CPU, peak %M KB" "$bin" ingest "$input" --store "$store" 2>&1 | tail -2
du -sh "$store"
# Query words: frequent and rare words sampled from the inputs themselves.
words=$(cat $(find "$input" -type f ! -name '.*' | head -300) | tr -cs '[:alpha:]ÄÖÜäöüß' '\n' \
  | awk 'length($0) >= 6' | sort | uniq -c | sort -rn | awk 'NR % 7 == 1 {print $2}' | head -"$queries")
times=$(for w in $words; do "$bin" search "$w" --store "$store" --limit 10 | head -1 \
  | sed -E 's/.*\(([0-9.]+) ms\).*/\1/'; done | sort -n)
n=$(echo "$times" | wc -l)
p50=$(echo "$times" | awk -v n="$n" 'NR == int(n * 0.50) + 1')
p95=$(echo "$times" | awk -v n="$n" 'NR == int(n * 0.95) + 1')
max=$(echo "$times" | tail -1)
echo "search: $n one-word queries, p50 $p50 ms, p95 $p95 ms, max $max ms"
