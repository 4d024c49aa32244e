#!/usr/bin/env bash
# cli_sensitivity.sh — `jfsim sensitivity` end to end on the hand-checkable
# scenarios of tests/data/sens_*.yaml (their headers derive every figure):
#   - tornado: rows of sensitivity.csv equal the hand figures, ranked by swing;
#     the low point of the royalty rate equals `jfsim run --set` of it;
#   - contribution: Spearman of the fund's contribution share is exactly 1;
#   - sobol: byte-identical sensitivity.csv for -j 1 and -j 2, the closed-form
#     total index inside its interval, and the ';' / ',' dialect honoured;
#   - no sensitivity section: exit 2, a message, nothing written.
# Usage: bash cli_sensitivity.sh JFSIM_BINARY DATA_DIR SCENARIOS_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$(cd "$2" && pwd)
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# Does sensitivity.csv in $1 hold exactly the line $2?
has_line() { grep -qxF -- "$2" "$1/sensitivity.csv"; }

# --- tornado -------------------------------------------------------------------
if "$bin" sensitivity "$data/sens_tornado.yaml" -o t -q > t.out 2> t.err; then
  ok "tornado runs"
else
  bad "tornado exit status $?: $(cat t.err)"
fi
for line in \
  "tornado,fund.us_npv.mean,resources.ore.royalty_rate,low,37.5,37.5,37.5" \
  "tornado,fund.us_npv.mean,resources.ore.royalty_rate,high,150,150,150" \
  "tornado,fund.us_npv.mean,resources.ore.royalty_rate,swing,112.5,," \
  "tornado,fund.us_npv.mean,resources.ore.royalty_rate,rank,1,," \
  "tornado,fund.us_npv.mean,schemes.fund.contribution_share,low,30,30,30" \
  "tornado,fund.us_npv.mean,schemes.fund.contribution_share,swing,90,," \
  "tornado,fund.ukraine_npv.mean,schemes.fund.contribution_share,high,180,180,180" \
  "tornado,fund.ukraine_npv.mean,resources.ore.royalty_rate,swing,337.5,,"; do
  if has_line t "$line"; then ok "tornado row $line"; else bad "tornado row missing: $line"; fi
done
[ "$(head -1 t/sensitivity.csv)" = "method,output,parameter,statistic,value,ci_low,ci_high" ] \
  && ok "header" || bad "header: $(head -1 t/sensitivity.csv)"
# The first data row is the largest swing of the first output.
[ "$(sed -n 2p t/sensitivity.csv | cut -d, -f3)" = "resources.ore.royalty_rate" ] \
  && ok "ranked by swing" || bad "ranking: $(sed -n 2p t/sensitivity.csv)"
grep -q '"method": "tornado"' t/manifest.json && ok "manifest" || bad "manifest.json"
grep -q "resources.ore.royalty_rate" t.out && ok "summary on stdout" || bad "summary: $(cat t.out)"
# The tornado's low point is `jfsim run --set` at the parameter's min.
"$bin" run "$data/sens_tornado.yaml" -o r -q --set resources.ore.royalty_rate=0.05 > /dev/null 2>&1
mean=$(awk -F, '$1 == "fund" && $2 == "us_npv" { print $5 }' r/summary.csv)
[ "$mean" = "37.5" ] && ok "run --set agrees (37.5)" || bad "run --set gives '$mean'"

# --- contribution ----------------------------------------------------------------
if "$bin" sensitivity "$data/sens_contribution.yaml" -o c -q > c.out 2> c.err; then
  ok "contribution runs"
else
  bad "contribution exit status: $(cat c.err)"
fi
has_line c "contribution,fund.us_npv,schemes.fund.contribution_share,spearman,1,1,1" \
  && ok "spearman = 1" || bad "spearman row: $(grep spearman c/sensitivity.csv)"

# --- sobol ---------------------------------------------------------------------
"$bin" sensitivity "$data/sens_sobol.yaml" -o s1 -j 1 -q --set sensitivity.n=128 > /dev/null 2> s1.err \
  || bad "sobol -j 1: $(cat s1.err)"
"$bin" sensitivity "$data/sens_sobol.yaml" -o s2 -j 2 -q --set sensitivity.n=128 > /dev/null 2> s2.err \
  || bad "sobol -j 2: $(cat s2.err)"
cmp -s s1/sensitivity.csv s2/sensitivity.csv && ok "sobol: same bytes for -j 1 and -j 2" \
  || bad "sobol: -j 1 and -j 2 differ"
# ST of the contribution share for us_npv = 1500·c·r: 0.528302 (sens_sobol.yaml).
awk -F, '$2 == "fund.us_npv.mean" && $3 == "schemes.fund.contribution_share" && $4 == "ST" {
  found = 1; if ($6 <= 0.528302 && 0.528302 <= $7) ok = 1 } END { exit !(found && ok) }' s1/sensitivity.csv \
  && ok "sobol: ST inside its interval" || bad "sobol ST row: $(grep ',ST,' s1/sensitivity.csv)"
lines=$(wc -l < s1/sensitivity.csv)
[ "$lines" -eq 13 ] && ok "sobol: 3 outputs x 2 parameters x 2 statistics" || bad "sobol: $lines lines"
"$bin" sensitivity "$data/sens_sobol.yaml" -o s3 -q --set sensitivity.n=16 --csv-sep ';' --decimal ',' \
  > /dev/null 2>&1 || bad "sobol with ; and ,"
head -1 s3/sensitivity.csv | grep -qx 'method;output;parameter;statistic;value;ci_low;ci_high' \
  && grep -q '^sobol;fund.us_npv.mean;[a-z._]*;S1;0,' s3/sensitivity.csv \
  && ok "dialect ; and ," || bad "dialect: $(sed -n 1,2p s3/sensitivity.csv)"

# --- errors --------------------------------------------------------------------
cat > nosection.yaml <<'EOF'
start_year: 2026
horizon_years: 3
resources:
  - {name: ore, kind: mineral, schedule: [10], price: {model: fixed, start: 100}}
schemes:
  - {name: fund, type: joint_fund}
EOF
"$bin" sensitivity nosection.yaml -o none > n.out 2> n.err
rc=$?
[ "$rc" -eq 2 ] && ok "no section: exit 2" || bad "no section: exit $rc"
grep -q "no sensitivity section" n.err && ok "no section: message" || bad "no section message: $(cat n.err)"
[ ! -e none ] && ok "no section: nothing written" || bad "no section: output folder created"
"$bin" sensitivity "$data/sens_tornado.yaml" -o bad --set sensitivity.method=sobl > /dev/null 2> b.err
rc=$?
[ "$rc" -eq 2 ] && grep -q "sensitivity.method" b.err && ok "bad method: exit 2 with the key path" \
  || bad "bad method: exit $rc, $(cat b.err)"

exit $fail
