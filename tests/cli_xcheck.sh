#!/usr/bin/env bash
# Independent cross-check: tests/xcheck/ref.py is a plain-Python implementation of
# MODEL.md for deterministic scenarios, written from the contract alone without
# reading the engine.  Every mean of summary.csv and annual.csv of each case in
# tests/xcheck/ must match it within relative 1e-9.
# Usage: cli_xcheck.sh JFSIM DATA_DIR SCENARIOS_DIR
set -u
jfsim=$(realpath "$1")
here=$(cd "$(dirname "$0")/xcheck" && pwd)
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "SKIP: python3-yaml is not installed"; exit 77
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$here"/*.yaml "$here"/compare.py "$work"/
cd "$work"
names=()
for f in c*.yaml; do
  n=${f%.yaml}
  python3 "$here/ref.py" "$f" > "$n.ref.json" || { echo "FAIL: ref.py on $f"; exit 1; }
  "$jfsim" run "$f" -o "out/$n" -q >/dev/null || { echo "FAIL: jfsim run $f"; exit 1; }
  names+=("$n")
done
python3 compare.py "${names[@]}"
