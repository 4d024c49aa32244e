#!/usr/bin/env bash
# cli_sweep.sh — `jfsim sweep`: point k's per-point summary.csv and annual.csv
# equal those of `jfsim run --set P=V ...` byte for byte; the --per-point
# layout; the sweep.csv shape, --csv-sep/--decimal and the same file for
# -j 1 and -j 2; a scenario without a sweep section exits 2 and writes nothing.
# Usage: bash cli_sweep.sh JFSIM_BINARY DATA_DIR SCENARIOS_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scen=$(cd "$3" && pwd)
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

bad() { echo "FAIL: $*"; fail=1; }

# quick.yaml + a 3 x 2 grid (the last parameter varies fastest).
cp "$scen/quick.yaml" grid.yaml
cat >> grid.yaml <<'YAML'

sweep:
  method: grid
  parameters:
    schemes.fund.contribution_share: [0.25, 0.5, 0.75]
    regime.p_end: {from: 0.1, to: 0.3, steps: 2}
YAML
shares=(0.25 0.25 0.5 0.5 0.75 0.75)
pends=(0.1 0.3 0.1 0.3 0.1 0.3)

"$bin" sweep grid.yaml -o sw -n 300 --seed 7 -j 2 --per-point -q > stdout 2> stderr
rc=$?
[ "$rc" -eq 0 ] || { bad "sweep exited $rc"; cat stderr; }

# sweep.csv: header + 6 rows; columns point, the two paths, then statistics.
[ "$(wc -l < sw/sweep.csv)" -eq 7 ] || bad "sweep.csv should have 7 lines"
head -1 sw/sweep.csv | grep -q '^point,schemes.fund.contribution_share,regime.p_end,fund.us_value.mean,fund.us_value.p05,fund.us_value.p50,fund.us_value.p95,' \
  || bad "sweep.csv header: $(head -c 200 sw/sweep.csv)"
for k in 0 1 2 3 4 5; do
  row=$(sed -n "$((k + 2))p" sw/sweep.csv | cut -d, -f1-3)
  [ "$row" = "$k,${shares[$k]},${pends[$k]}" ] || bad "row $k starts '$row'"
  # --per-point layout: three files per point, no temporary files.
  for f in summary.csv annual.csv manifest.json; do
    [ -s "sw/points/$k/$f" ] || bad "missing sw/points/$k/$f"
  done
done
[ -z "$(find sw -name '.*tmp*')" ] || bad "temporary files left: $(find sw -name '.*tmp*')"
[ -s sw/sweep.journal ] || bad "the journal should be kept after success"

# Point k = jfsim run --set ... (every point: summary.csv and annual.csv byte-identical).
for k in 0 1 2 3 4 5; do
  "$bin" run grid.yaml -o run$k -n 300 --seed 7 -j 1 -q \
    --set "schemes.fund.contribution_share=${shares[$k]}" --set "regime.p_end=${pends[$k]}" > /dev/null 2>&1 \
    || bad "run $k failed"
  cmp -s "run$k/summary.csv" "sw/points/$k/summary.csv" || bad "point $k summary.csv differs from jfsim run --set"
  cmp -s "run$k/annual.csv" "sw/points/$k/annual.csv" || bad "point $k annual.csv differs from jfsim run --set"
done
# The sweep.csv cell is the summary's mean (same 15-digit text).
col=$(head -1 sw/sweep.csv | tr ',' '\n' | grep -n '^fund.us_npv.mean$' | cut -d: -f1)
want=$(grep '^fund,us_npv,' run4/summary.csv | cut -d, -f5)
got=$(sed -n 6p sw/sweep.csv | cut -d, -f"$col")
[ -n "$want" ] && [ "$got" = "$want" ] || bad "point 4 fund.us_npv.mean: sweep '$got', run '$want'"
grep -q '"regime.p_end"' sw/points/4/manifest.json || bad "point manifest lacks the point's overrides"

# The same sweep.csv with -j 1 (points in sequence or at once: never a difference).
"$bin" sweep grid.yaml -o sw1 -n 300 --seed 7 -j 1 -q > /dev/null 2>&1 || bad "sweep -j 1 failed"
cmp -s sw/sweep.csv sw1/sweep.csv || bad "sweep.csv differs between -j 2 and -j 1"
[ ! -e sw1/points ] || bad "points/ written without --per-point"

# --csv-sep ';' --decimal ',': same cells, other punctuation.
"$bin" sweep grid.yaml -o swsc -n 300 --seed 7 --csv-sep ';' --decimal ',' -q > /dev/null 2>&1 || bad "sweep ; , failed"
sed -n 2p swsc/sweep.csv | grep -q '^0;0,25;0,1;' || bad "--csv-sep/--decimal not honoured: $(sed -n 2p swsc/sweep.csv | head -c 80)"
[ "$(tr -cd ';' < swsc/sweep.csv | wc -c)" -eq "$(tr -cd ',' < sw/sweep.csv | wc -c)" ] || bad "column count differs with ';'"

# No sweep section: exit 2, a message naming `sweep`, nothing written.
"$bin" sweep "$scen/quick.yaml" -o nosweep -n 100 -q > stdout 2> stderr
rc=$?
[ "$rc" -eq 2 ] || bad "no sweep section: exit $rc, expected 2"
grep -q 'sweep: the scenario has no sweep section' stderr || bad "no sweep section message: $(cat stderr)"
[ ! -e nosweep ] || bad "no sweep section: output folder created"

# An invalid override is refused before anything is written.
"$bin" sweep grid.yaml -o badset -n 100 -q --set schemes.fund.contribution_share=2 > stdout 2> stderr
rc=$?
[ "$rc" -eq 2 ] || bad "invalid --set: exit $rc, expected 2"
[ ! -e badset ] || bad "invalid --set: output folder created"

[ "$fail" -eq 0 ] && echo "cli_sweep: all checks passed"
exit "$fail"
