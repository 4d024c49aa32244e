#!/usr/bin/env bash
# cli_run.sh — `jfsim run` and `jfsim check` as a user meets them: exit
# statuses, byte-identical CSV for any -j and any vector kernels, the spreadsheet dialect options,
# errors that name the option, output checks before simulating, and the
# check → check round trip of the INTERFACE.md example.
# Usage: bash cli_run.sh JFSIM_BINARY DATA_DIR SCENARIOS_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$(cd "$2" && pwd)
scen=$(cd "$3" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() { # want-rc name command...
  local want=$1 name=$2; shift 2
  "$@" > out.txt 2> err.txt; local rc=$?
  [ "$rc" -eq "$want" ] && ok || { bad "$name: exit $rc, expected $want"; cat err.txt; }
}

# Same seed, any thread count: byte-identical CSV.
for j in 1 2 7; do
  expect_rc 0 "run -j $j" "$bin" run "$scen/quick.yaml" -n 300 -j "$j" -q -o "j$j"
done
for f in summary.csv annual.csv; do
  cmp -s "j1/$f" "j2/$f" && cmp -s "j1/$f" "j7/$f" && ok || bad "$f differs between -j 1, 2, 7"
done
# Any vector kernels (JFSIM_ISA caps them, README "Speed"): byte-identical CSV,
# in exact mode and with certified percentiles (a 1-byte budget).
for isa in portable sse2 avx2 avx512; do
  JFSIM_ISA=$isa expect_rc 0 "run JFSIM_ISA=$isa" "$bin" run "$scen/quick.yaml" -n 300 -q -o "isa_$isa"
  JFSIM_ISA=$isa expect_rc 0 "run JFSIM_ISA=$isa, sketch" "$bin" run "$scen/quick.yaml" -n 20000 \
    --memory-budget 1 -q -o "isa_sk_$isa"
done
for isa in sse2 avx2 avx512; do
  for f in summary.csv annual.csv; do
    cmp -s "isa_portable/$f" "isa_$isa/$f" && cmp -s "j1/$f" "isa_$isa/$f" && ok \
      || bad "$f differs with JFSIM_ISA=$isa"
    cmp -s "isa_sk_portable/$f" "isa_sk_$isa/$f" && ok || bad "sketch-mode $f differs with JFSIM_ISA=$isa"
  done
done

# The human summary names every scheme and where the files are.
"$bin" run "$scen/quick.yaml" -n 300 -q -o j1 > out.txt 2>&1
grep -q '^  fund ' out.txt && grep -q '^  draft500 ' out.txt && grep -q 'Files: j1/summary.csv' out.txt \
  && ok || { bad "human summary"; cat out.txt; }

# Spreadsheet dialect: same cells, ';' separators and ',' decimals.
expect_rc 0 "csv-sep" "$bin" run "$scen/quick.yaml" -n 300 -q -o semi --csv-sep ';' --decimal ','
python3 - j1/summary.csv semi/summary.csv <<'PY' && ok || bad "';' + ',' dialect differs from the default"
import csv, sys
a = list(csv.reader(open(sys.argv[1])))
b = [[c.replace(',', '.') for c in r] for r in csv.reader(open(sys.argv[2]), delimiter=';')]
sys.exit(0 if a == b else 1)
PY
expect_rc 2 "decimal comma needs ';'" "$bin" run "$scen/quick.yaml" --decimal ','

# Input errors exit 2 and write nothing; other failures exit 1.
expect_rc 2 "missing file" "$bin" run "$work/nope.yaml" -o none
[ ! -e none ] && ok || bad "missing file created an output folder"
expect_rc 2 "-n 0" "$bin" run "$scen/quick.yaml" -n 0 -o none
grep -q '^-n: error: paths: ' err.txt && ok || { bad "-n 0 message"; cat err.txt; }
expect_rc 2 "unknown option" "$bin" run "$scen/quick.yaml" --bogus
grep -q "^jfsim: unknown option '--bogus'$" err.txt && ok || { bad "unknown option message"; cat err.txt; }
expect_rc 2 "misspelt option" "$bin" run "$scen/quick.yaml" --thred=2
grep -q "^jfsim: unknown option '--thred=2'; did you mean '--threads'?$" err.txt && ok || { bad "misspelt option hint"; cat err.txt; }
expect_rc 2 "bad -j" "$bin" run "$scen/quick.yaml" -j 0
touch afile
start=$(date +%s)
expect_rc 1 "unwritable output" "$bin" run "$scen/quick.yaml" -n 200000 -o afile/sub
[ $(( $(date +%s) - start )) -lt 5 ] && ok || bad "unwritable output detected only after simulating"
grep -q 'afile' err.txt && ok || { bad "unwritable output message"; cat err.txt; }

# A price that overflows to infinity on some paths: both memory modes succeed
# and leave the undefined statistics empty rather than failing.
expect_rc 0 "overflow, exact" "$bin" run "$data/ok_overflow.yaml" -q -o ov_exact -j 2
expect_rc 0 "overflow, sketch" "$bin" run "$data/ok_overflow.yaml" -q -o ov_sketch -j 2 --memory-budget 100K
grep -q '"memory_mode": "sketch"' ov_sketch/manifest.json && ok || bad "overflow run was not in sketch mode"
grep -q '^2026,price,ore,300,,,,,,,$' ov_sketch/annual.csv && ok || { bad "overflowing series-year in sketch mode"; grep '^2026,price,ore' ov_sketch/annual.csv; }

# Ctrl-C during a long run: the process dies of SIGINT, leaving no output
# files and no temporary ones, and removes the output folders it created
# (here/new/) but not one that was there before (here/).
mkdir -p here
timeout --preserve-status -s INT 1 "$bin" run "$scen/baseline.yaml" -n 2000000 -q -o here/new/interrupted > out.txt 2> err.txt
rc=$?
[ "$rc" -eq 130 ] && ok || bad "Ctrl-C: exit $rc, expected death by SIGINT"
[ -d here ] && [ ! -e here/new ] && ok || { bad "Ctrl-C: left here/new or removed here"; ls -laR here; }
mkdir -p existing
timeout --preserve-status -s INT 1 "$bin" run "$scen/baseline.yaml" -n 2000000 -q -o existing > out.txt 2> err.txt
rc=$?
[ "$rc" -eq 130 ] && ok || bad "Ctrl-C (existing folder): exit $rc, expected death by SIGINT"
[ -d existing ] && [ -z "$(ls -A existing)" ] && ok || { bad "Ctrl-C: existing folder removed or not empty"; ls -la existing; }

# check prints YAML that check accepts again, unchanged (INTERFACE.md example).
expect_rc 0 "check" "$bin" check "$data/ok_interface_example.yaml"
cp out.txt once.yaml
expect_rc 0 "check again" "$bin" check once.yaml
sed 's/^name: .*//' once.yaml > a.txt; sed 's/^name: .*//' out.txt > b.txt
cmp -s a.txt b.txt && ok || bad "check output does not round-trip"
expect_rc 0 "help" "$bin" --help
grep -q 'Exit status' out.txt && ok || bad "--help text"
expect_rc 0 "version" "$bin" --version
grep -q '^jfsim [0-9]' out.txt && ok || bad "--version text"
grep -q '(vector kernels: [a-z0-9]*)$' out.txt && ok || bad "--version names the vector kernels"
JFSIM_ISA=Portable "$bin" --version | grep -q '(vector kernels: portable)$' && ok \
  || bad "JFSIM_ISA=Portable is not taken"

echo "cli_run: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
