#!/usr/bin/env bash
# bench/profile.sh — where a run's work goes, counted in instructions (valgrind's callgrind).
#
#   bench/profile.sh                          # 100,000 paths of bench/large.yaml (~6 minutes)
#   bench/profile.sh -n 10000                 # exact mode, ~30 s
#   bench/profile.sh -n 20000 scenarios/baseline.yaml
#
# Options: -n PATHS (default 100000), -b BUILD directory (default $JF_BENCH_BUILD or
# <repo>/build-bench, as run.sh: configured in Release when new, jfsim rebuilt when out of
# date), -k to keep the callgrind.out file (for callgrind_annotate or kcachegrind), -h help.
# JFSIM_ISA is pinned to avx2 unless set: valgrind does not run AVX-512 code, and a pinned
# instruction set makes the counts comparable between machines.
#
# Instruction counts, unlike times, do not move when the shared host is busy, so two builds
# profiled with the same case and paths compare to the last digit.  They are not times: a
# cache miss or a page fault costs one instruction here and hundreds of cycles there (the
# kernel's page zeroing is not counted at all), so read them beside `perf record` figures
# (bench/README.md, "Where the time goes").
#
# Prints the instructions per path by category (drawing, exp and other libm, the model's
# arithmetic, the statistics, ...) and the 20 busiest functions.  Per-path figures include
# the fixed costs (reading the scenario, writing the CSV), which dominate below a few
# thousand paths.  The categories are pattern matches on function names (the table in the
# awk program below); a function that matches none is listed under "other".
#
# Needs valgrind (apt-get install valgrind).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${JF_BENCH_BUILD:-$root/build-bench}"
paths=100000
keep=0
help() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
usage() { help >&2; exit 2; }
while getopts "n:b:kh" opt; do
    case "$opt" in
        n) paths="$OPTARG" ;;
        b) build="$OPTARG" ;;
        k) keep=1 ;;
        h) help; exit 0 ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[[ $# -le 1 ]] || usage
case_file="${1:-$here/large.yaml}"
[[ "$paths" =~ ^[1-9][0-9]*$ ]] || { echo "profile.sh: -n wants a positive whole number, not '$paths'" >&2; exit 2; }
[[ -r "$case_file" ]] || { echo "profile.sh: cannot read '$case_file'" >&2; exit 2; }
for tool in valgrind callgrind_annotate; do
    command -v "$tool" >/dev/null || { echo "profile.sh: needs $tool (apt-get install valgrind)" >&2; exit 2; }
done

cli="$build/cli/jfsim"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
jf_bench_build "$root" "$build" jfsim

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
isa="${JFSIM_ISA:-avx2}"
years="$(JFSIM_ISA="$isa" "$cli" run "$case_file" -n 1 -q -o "$work/probe" 2>/dev/null \
    | sed -n 's/.* paths\{0,1\} x \([0-9]*\) years.*/\1/p')" || true
rm -rf "$work/probe"
echo "== callgrind: $(basename "$case_file"), $paths paths${years:+ x $years years}, 1 thread," \
     "JFSIM_ISA=$isa, commit $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
JFSIM_ISA="$isa" valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$cli" run "$case_file" -n "$paths" -j 1 -q -o "$work/out" \
    >/dev/null 2>"$work/valgrind.txt" || { cat "$work/valgrind.txt" >&2; exit 1; }
callgrind_annotate --threshold=100 "$work/callgrind.out" >"$work/annotate.txt"
if [[ $keep == 1 ]]; then
    cp "$work/callgrind.out" "./callgrind.out.profile"
    echo "(kept ./callgrind.out.profile for callgrind_annotate or kcachegrind)"
fi

awk -v paths="$paths" -v years="${years:-0}" '
function thousands(v,    s, out) {   # 1234567 -> 1,234,567
    s = sprintf("%.0f", v)
    out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    return s out
}
function category(f) {
    if (f ~ /ziggurat|^philox_|^jf__rng_|u01_from_bits|^gsl_ran_|^gsl_rng_|^jf__param_draw|^jf__regime_/)
        return "drawing (Philox, ziggurat, uniforms, Poisson)"
    if (f ~ /exp|^__ieee754_|^__log|^log|^pow|^__pow|^__math_|^round$/)
        return "exp and other libm"
    if (f ~ /^jf__path_simulate|simulate_resource|scheme|fund_year|repay|^jf__fiscal|^jf__royalty|^jf__production|^jf__price|^jf__round_half|^draw_values|^discounted/)
        return "model arithmetic"
    if (f ~ /^simulate_block|^scatter_annual/)
        return "transposition into series rows"
    if (f ~ /^jf__qb|^classify_|^count_|^jf__qbracket|^narrow|^sort_windows|^next_run|^start_histogram|^set_ranges|^keep_interval|^extremes_/)
        return "statistics: quantile brackets"
    if (f ~ /sum_minmax|^deviations_|^jf__moments|^lanes_|^jf__lanes/)
        return "statistics: moments"
    if (f ~ /^partition_|^select_keys|^jf__select|^jf__key_partition|^jf__sort|^sort_keys|^insertion_sort|^heap_sort|^sift_down|^radix|^bucket/)
        return "statistics: selection and sorting"
    if (f ~ /^jf__stats_compute|^scan_row|^jf__signed_zero|^jf__percentile|^compute_stats|^jf__sketch|^merge_half|^heap_down/)
        return "statistics: rows, scans, percentiles"
    if (f ~ /^__mem(cpy|move|set)|^memcpy|^memset/)
        return "memcpy and memset"
    if (f ~ /yaml|csv|printf|strto|^_IO_|^__strtod|^____strtod|^__mpn|^hack_digit|^__printf|^jf_scenario|^jf__write|^write_|^emit|^sha256|^jf__sha|^jf__format|^putc|^__str|^str|^jf__edit_distance|^jf__ytree|^jf__schema|^jf__real|^jf__json/)
        return "reading the scenario, writing CSV"
    return "other"
}
/^ *[0-9][0-9,]* \( *[0-9.]+%\)  / && !/PROGRAM TOTALS/ {
    n = $1; gsub(/,/, "", n)
    name = $0
    sub(/^ *[0-9][0-9,]* \( *[0-9.]+%\)  /, "", name)
    sub(/ \[.*$/, "", name)
    sub(/^.*:/, "", name)
    sub(/'"'"'[0-9]+$/, "", name)
    sub(/@.*$/, "", name)
    sub(/\.(constprop|part|isra|cold)\.[0-9]+.*$/, "", name)
    fn[name] += n
    total += n
}
END {
    if (total == 0) { print "profile.sh: no instruction counts in the callgrind output" > "/dev/stderr"; exit 1 }
    for (f in fn) cat[category(f)] += fn[f]
    printf "instructions: %s in all, %s per path", thousands(total), thousands(total / paths)
    if (years > 0) printf ", %s per path-year", thousands(total / paths / years)
    printf "\n\n%-46s %14s %7s\n", "category", "instr/path", "share"
    ncat = 0
    for (c in cat) order[++ncat] = c
    for (i = 2; i <= ncat; i++)           # insertion sort, busiest first
        for (j = i; j > 1 && cat[order[j]] > cat[order[j - 1]]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
    for (i = 1; i <= ncat; i++)
        printf "%-46s %14s %6.1f%%\n", order[i], thousands(cat[order[i]] / paths), 100 * cat[order[i]] / total
    nf = 0
    for (f in fn) forder[++nf] = f
    for (i = 2; i <= nf; i++)
        for (j = i; j > 1 && fn[forder[j]] > fn[forder[j - 1]]; j--) { t = forder[j]; forder[j] = forder[j - 1]; forder[j - 1] = t }
    printf "\n%-46s %14s %7s  %s\n", "function", "instr/path", "share", "category"
    for (i = 1; i <= nf && i <= 20; i++)
        printf "%-46s %14s %6.1f%%  %s\n", forder[i], thousands(fn[forder[i]] / paths), 100 * fn[forder[i]] / total, category(forder[i])
}' "$work/annotate.txt"
