#!/usr/bin/env bash
# Benchmark tlasmt cold (every run is a fresh process): `prove invariance`
# (hinted and --auto), `prove refinement` and `prove all`. Prints min/median
# wall time, the share of parsing+analysis+encoding, and the slowest steps.
#
#   scripts/bench.sh [RUNS]   (default 5 runs of invariance; the slower
#                              jobs get max(1, RUNS/2) runs)
#
# Targets on a 2-core machine: Invariance < 5 s, --auto < 10 s, the whole
# BPCon module (`prove all`) < 15 s, parsing and encoding < 10% of the
# total. The script reports; it does not judge. Solver processes run one
# per core (--jobs default); reported per-step times are per process.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${1:-5}"
AUTO_RUNS=$(( RUNS / 2 > 0 ? RUNS / 2 : 1 ))
BIN=target/release/tlasmt
cargo build --release --quiet
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

bench() { # name runs args...
    local name="$1" runs="$2"; shift 2
    local times=()
    for i in $(seq 1 "$runs"); do
        local start="$EPOCHREALTIME"
        "$BIN" prove "$@" --json > "$OUT/$name.$i.json" || true
        times+=("$start $EPOCHREALTIME")
    done
    printf '%s\n' "${times[@]}" > "$OUT/$name.times"
    python3 - "$name" "$OUT" "$runs" <<'PY'
import json, sys, statistics
name, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = [float(b) - float(a) for a, b in (l.split() for l in open(f"{out}/{name}.times"))]
rep = json.load(open(f"{out}/{name}.1.json"))
share = (rep["analysis_seconds"] + rep["encode_seconds"]) / max(rep["seconds"], 1e-9)
print(f"{name}: {rep['proved']}/{rep['total']} proved; wall time over {runs} cold runs: "
      f"min {min(times):.2f} s, median {statistics.median(times):.2f} s")
print(f"  parse+analysis {rep['analysis_seconds']:.3f} s, encoding {rep['encode_seconds']:.3f} s "
      f"= {100*share:.1f}% of the {rep['seconds']:.2f} s reported")
obs = []
def walk(node):
    for o in node["obligations"]:
        obs.append((o["seconds"], o["path"], o["status"]))
    for c in node["children"]:
        walk(c)
for t in rep["theorems"]:
    walk(t["tree"])
print("  slowest steps (first run):")
for secs, path, status in sorted(obs, reverse=True)[:10]:
    print(f"    {secs:7.3f} s  {status:<13} {path}")
PY
}

echo "machine: $(nproc) cores; $(python3 -c 'import platform; print(platform.processor() or platform.machine())')"
bench invariance "$RUNS" invariance
bench invariance-auto "$AUTO_RUNS" invariance --auto
bench refinement "$AUTO_RUNS" refinement
bench all "$AUTO_RUNS" all
