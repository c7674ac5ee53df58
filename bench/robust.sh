#!/bin/sh
# Peak memory and time of `dossier analyze` on a 200 MB batch of prose (400 files of 500 kB),
# written to --out, and on one 20 MB document. Inputs are generated under $TMPDIR (not in the
# repository). Usage: bench/robust.sh [path/to/dossier]
set -eu
D=${1:-target/release/dossier}
W=${TMPDIR:-/tmp}/dossier-robust-bench
mkdir -p "$W"
if [ ! -f "$W/batch/f400.txt" ]; then
  python3 - "$W" <<'PY'
import os, random, sys
w = sys.argv[1]
random.seed(2)
words = ("der die das und Regierung Berlin sagte Haushalt Kanzler Minister Montag Wien plant "
         "am in mit einen neuen Bürgermeisterin Stadtrat Köln erklärte").split()
def prose(size):
    out, n = [], 0
    while n < size:
        s = " ".join(random.choice(words) for _ in range(random.randint(8, 25)))
        s = s[0].upper() + s[1:] + "."
        out.append(s)
        n += len(s) + 1
    return " ".join(out)
os.makedirs(f"{w}/batch", exist_ok=True)
base = prose(500_000)
for i in range(1, 401):
    open(f"{w}/batch/f{i}.txt", "w").write(f"Bericht {i}. " + base)
open(f"{w}/one20m.txt", "w").write(prose(20 * 1024 * 1024))
PY
fi
rm -rf "$W/out"
echo "200 MB batch (400 x 500 kB) with --out:"
/usr/bin/time -f "  %e s wall, %U s user, peak %M KB" "$D" analyze --out "$W/out" "$W/batch"
echo "one 20 MB document, --format json > /dev/null:"
/usr/bin/time -f "  %e s wall, %U s user, peak %M KB" "$D" analyze --format json "$W/one20m.txt" > /dev/null
