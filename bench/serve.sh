#!/usr/bin/env bash
# Load test (a benchmark, not a test) of `dossier serve`: an archive of N invented reports
# (default 100,000, filed by the archive's own writer: real ingest runs ~44 reports/s here), the
# server on loopback (`loadtest serve`: the router and state of `dossier serve`, read-only,
# without the pipeline linked in), then an open-loop client at a fixed rate (default 200
# requests/s over 16 connections, 30 s per phase; it stops by itself): the search API, the
# article page, the article API; then the search API again with the result cache off.
# Prints p50/p90/p99 per phase (latency from each request's scheduled time) and the server's
# memory (VmRSS, VmHWM).
#
#   bench/serve.sh [STORE_DIR] [DOCS] [RPS] [SECONDS]
set -eu
store=${1:-/tmp/dossier-bench-serve}
docs=${2:-100000}
rps=${3:-200}
seconds=${4:-30}
cd "$(dirname "$0")/.."
cargo build --release -p dossier-serve --example loadtest
lt=target/release/examples/loadtest
/usr/bin/time -f "synth: %e s wall, peak %M KB" "$lt" synth --store "$store" --docs "$docs"
du -sh "$store"

phase() { # CACHE_ENTRIES PATH...
  local cache=$1; shift
  local port=$((20000 + RANDOM % 20000))
  "$lt" serve --store "$store" --bind "127.0.0.1:$port" --cache-entries "$cache" 2>/tmp/dossier-bench-serve.log &
  local pid=$!
  for _ in $(seq 100); do grep -q "serving" /tmp/dossier-bench-serve.log && break; sleep 0.1; done
  echo "server (cache $cache) pid $pid, RSS at start $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
  # Warm-up: the page cache of the store and its index (not measured; the first searches of a
  # cold server read the index from disk).
  "$lt" load --addr "127.0.0.1:$port" --store "$store" --path article-api --rps 100 --seconds 3 >/dev/null
  "$lt" load --addr "127.0.0.1:$port" --store "$store" --path search --rps 100 --seconds 3 >/dev/null
  for path in "$@"; do
    "$lt" load --addr "127.0.0.1:$port" --store "$store" --path "$path" --rps "$rps" --seconds "$seconds"
  done
  # RssAnon is the server's own memory; RssFile the pages of the store and index it maps (the
  # operating system's page cache, shared with every other reader of the files).
  echo "server memory: $(awk '/VmRSS|VmHWM|RssAnon|RssFile/ {printf "%s %s %s, ", $1, $2, $3}' /proc/$pid/status)"
  kill -INT $pid; wait $pid 2>/dev/null || true
}
phase 4096 search article article-api
phase 0 search
