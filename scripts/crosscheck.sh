#!/usr/bin/env bash
# Re-check every obligation that Z3 proves in the shipped proofs with cvc5.
#
#   scripts/crosscheck.sh [--module FILE] [crosscheck options]
#
# Runs `tlasmt prove all` on the module (default proofs/BPConProof.tla) with
# --dump-smt (standard SMT-LIB 2.6, see src/smtlib) and --json, then
# examples/crosscheck.rs runs cvc5 on the dumps of every proved obligation
# and prints agree (unsat) / unknown / disagree (sat) counts and the share
# of files cvc5 reads. Exit 1 on any `sat` (Z3 proved what cvc5 refutes)
# or any file cvc5 rejects; 2 if cvc5 is missing or the run could not be
# made. Options after --module go to the crosscheck tool: --jobs N,
# --try "MILLIS [cvc5 option ...]" (repeatable; default "5000" then
# "10000 --enum-inst"), --solver PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODULE=proofs/BPConProof.tla
if [ "${1:-}" = "--module" ]; then
    MODULE="$2"
    shift 2
fi
SOLVER=cvc5
for ((i = 1; i <= $#; i++)); do
    if [ "${!i}" = "--solver" ]; then j=$((i + 1)); SOLVER="${!j}"; fi
done
if ! command -v "$SOLVER" >/dev/null; then
    echo "crosscheck: $SOLVER not found (Debian: apt-get install cvc5)" >&2
    exit 2
fi
echo "solver: $("$SOLVER" --version | head -1)"

cargo build --release --quiet --bin tlasmt --example crosscheck
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Exit 1 only says that some obligation is not proved; the unproved ones
# are simply not cross-checked. Input errors (2) stop here.
status=0
target/release/tlasmt prove all --module "$MODULE" --json --dump-smt "$OUT/smt" \
    > "$OUT/report.json" || status=$?
if [ "$status" -gt 1 ]; then
    echo "crosscheck: tlasmt prove all failed with exit $status" >&2
    exit 2
fi
python3 - "$OUT/report.json" <<'PY' 2>/dev/null || true
import json, sys
print("tlasmt:", json.load(open(sys.argv[1]))["summary"])
PY
target/release/examples/crosscheck --report "$OUT/report.json" --dumps "$OUT/smt" "$@"
