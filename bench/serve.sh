#!/usr/bin/env bash
# Load test (a benchmark, not a test) of `dossier serve`: an archive of N invented reports
# (default 100,000, filed straight into the store by the archive's writer: real ingest runs
# ~44 reports/s here), the release server on loopback, then an open-loop client at a fixed rate
# (default 200 requests/s, 16 connections, 30 s per phase; it stops by itself): the search API,
# the article page, the article API. Prints p50/p90/p99 per phase and the server's memory.
#
#   bench/serve.sh [STORE_DIR] [DOCS] [RPS] [SECONDS]
set -eu
store=${1:-/tmp/dossier-bench-serve}
docs=${2:-100000}
rps=${3:-200}
seconds=${4:-30}
cd "$(dirname "$0")/.."
cargo build --release -p dossier-serve --example loadtest
cargo build --release
lt=target/release/examples/loadtest
have=$(sqlite3 "$store/archive.sqlite" 'SELECT COUNT(*) FROM documents' 2>/dev/null || echo 0)
if [ "$have" -lt "$docs" ]; then
  /usr/bin/time -f "synth: %e s wall, peak %M KB" "$lt" synth --store "$store" --docs "$docs"
fi
du -sh "$store"
port=$((20000 + RANDOM % 20000))
target/release/dossier serve --store "$store" --bind "127.0.0.1:$port" 2>/tmp/dossier-bench-serve.log &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "serving" /tmp/dossier-bench-serve.log && break; sleep 0.1; done
echo "server pid $pid at 127.0.0.1:$port, RSS at start: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
# A short warm-up (the page cache), then the measured phases.
"$lt" load --addr "127.0.0.1:$port" --store "$store" --path search --rps 50 --seconds 4 >/dev/null
for path in search article article-api; do
  "$lt" load --addr "127.0.0.1:$port" --store "$store" --path "$path" --rps "$rps" --seconds "$seconds"
done
echo "server memory: $(awk '/VmRSS/ {print "RSS", $2, $3}' /proc/$pid/status), $(awk '/VmHWM/ {print "peak", $2, $3}' /proc/$pid/status)"
