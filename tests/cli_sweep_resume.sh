#!/usr/bin/env bash
# cli_sweep_resume.sh — a real `jfsim sweep` killed with kill -9 once its
# journal holds at least 2 finished points, then `--resume`: the resumed run
# takes those points from the journal and writes a sweep.csv (and per-point
# summaries) byte-identical to an uninterrupted run's.  A resume after the
# scenario file changed is refused with exit 2 and a clear message.
# Usage: bash cli_sweep_resume.sh JFSIM_BINARY DATA_DIR SCENARIOS_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scen=$(cd "$3" && pwd)
fail=0
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1

bad() { echo "FAIL: $*"; fail=1; }

# 36 points of quick.yaml at 2000 paths: a few seconds on 2 cores.
cp "$scen/quick.yaml" long.yaml
cat >> long.yaml <<'YAML'

sweep:
  method: grid
  parameters:
    schemes.fund.contribution_share: {from: 0.2, to: 0.8, steps: 6}
    resources.lithium.price.volatility: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
YAML
cp long.yaml long.orig
opts=(-n 2000 --seed 3 -j 2 -q --per-point)

# Uninterrupted reference.
"$bin" sweep long.yaml -o ref "${opts[@]}" > /dev/null 2> ref.err || { bad "reference sweep failed"; cat ref.err; }

# Interrupted run: kill -9 once the journal has a header and >= 2 point lines.
"$bin" sweep long.yaml -o cut "${opts[@]}" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  lines=$(wc -l < cut/sweep.journal 2>/dev/null || echo 0)
  [ "$lines" -ge 3 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
done_lines=$(( $(wc -l < cut/sweep.journal) - 1 ))
if [ "$done_lines" -lt 2 ] || [ "$done_lines" -ge 36 ]; then
  echo "SKIP-ish: the kill came at $done_lines of 36 points; the resume is still checked"
fi
[ ! -e cut/sweep.csv ] || [ "$done_lines" -ge 36 ] || bad "an interrupted sweep left a sweep.csv"

# A changed scenario is refused (exit 2), and nothing is overwritten.
echo "# an edit after the interruption" >> long.yaml
"$bin" sweep long.yaml -o cut "${opts[@]}" --resume > /dev/null 2> changed.err
rc=$?
[ "$rc" -eq 2 ] || bad "resume of a changed scenario: exit $rc, expected 2"
grep -q "the scenario changed since the interrupted sweep" changed.err || bad "message: $(cat changed.err)"
grep -q "without --resume" changed.err || bad "message lacks the hint: $(cat changed.err)"
cp long.orig long.yaml

# Other overrides are refused too.
"$bin" sweep long.yaml -o cut -n 2000 --seed 4 -j 2 -q --per-point --resume > /dev/null 2> seed.err
[ $? -eq 2 ] || bad "resume with another --seed should exit 2"

# The real resume.
"$bin" sweep long.yaml -o cut "${opts[@]}" --resume > resume.out 2> resume.err || { bad "resume failed"; cat resume.err; }
if [ "$done_lines" -ge 2 ]; then
  grep -q "points taken from the journal" resume.out || bad "resume did not report the journal's points: $(cat resume.out)"
fi
cmp ref/sweep.csv cut/sweep.csv || bad "sweep.csv after kill -9 and --resume differs from an uninterrupted run"
for k in $(seq 0 35); do
  cmp -s "ref/points/$k/summary.csv" "cut/points/$k/summary.csv" || bad "points/$k/summary.csv differs"
done

[ "$fail" -eq 0 ] && echo "cli_sweep_resume: all checks passed (killed after $done_lines points)"
exit "$fail"
