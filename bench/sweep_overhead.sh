#!/usr/bin/env bash
# bench/sweep_overhead.sh — what a sweep point costs compared with a standalone
# `jfsim run` of the same paths (issue 5 item 4: target overhead <= 5%).
#
#   bench/sweep_overhead.sh                      # defaults below
#   JF_BENCH_PATHS="2000 10000" bench/sweep_overhead.sh
#
# For bench/sweep_shaped.yaml (a 3 x 3 grid, N = 9 points) and each paths
# setting it times, fastest of JF_BENCH_REPEAT:
#   runs       N standalone `jfsim run FILE --set P1=V1 --set P2=V2 -n PATHS`
#              (each writes summary.csv, annual.csv, manifest.json), one after another;
#   sweep      `jfsim sweep FILE -n PATHS` (writes sweep.csv and its journal);
#   per-point  the same with --per-point (also writes every point's three files,
#              i.e. the same files as the N runs);
# and prints overhead = (sweep time / runs time - 1) x 100%.  A negative
# overhead means the sweep is faster (no process start per point, and with few
# paths per thread the points run in parallel).  All with -j THREADS (default
# all cores); the sweep's figures equal the runs' (tests/cli_sweep.sh checks it).
#
# Environment (all optional):
#   JF_BENCH_PATHS    paths settings, space separated   (default "1000 10000")
#   JF_BENCH_THREADS  threads                           (default: all cores)
#   JF_BENCH_REPEAT   repetitions, fastest kept         (default 3)
#   JF_BENCH_BUILD    build directory                   (default <repo>/build-bench, as run.sh;
#                     configured in Release when new, jfsim rebuilt when out of date)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${JF_BENCH_BUILD:-$root/build-bench}"
paths_list="${JF_BENCH_PATHS:-1000 10000}"
cores="$(nproc 2>/dev/null || echo 1)"
threads="${JF_BENCH_THREADS:-$cores}"
repeat="${JF_BENCH_REPEAT:-3}"
scenario="$here/sweep_shaped.yaml"

cli="$build/cli/jfsim"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
jf_bench_build "$root" "$build" jfsim

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }

# The points: one sweep writes sweep.csv; its parameter columns give the --set values.
"$cli" sweep "$scenario" -o "$work/points" -n 10 -q -j 1 > /dev/null
header="$(head -1 "$work/points/sweep.csv")"
IFS=, read -r -a cols <<< "$header"
# The statistics start with the first scheme's us_value.mean (no parameter path contains "us_value").
nparams=0
for c in "${cols[@]:1}"; do
    [[ "$c" == *.us_value.mean ]] && break
    nparams=$((nparams + 1))
done
mapfile -t rows < <(tail -n +2 "$work/points/sweep.csv")
npoints=${#rows[@]}

printf '%s: %d points over %d parameters, -j %s, fastest of %s\n' \
    "$(basename "$scenario")" "$npoints" "$nparams" "$threads" "$repeat"
printf '%8s %10s %10s %10s %10s %10s %10s\n' paths runs_s sweep_s overhead per_pt_s overhead paths/s
for paths in $paths_list; do
    t_runs="" t_sweep="" t_pp=""
    for _ in $(seq 1 "$repeat"); do
        rm -rf "$work/o"
        t0="$(now)"
        for r in "${rows[@]}"; do
            IFS=, read -r -a v <<< "$r"
            sets=()
            for ((j = 1; j <= nparams; j++)); do sets+=(--set "${cols[$j]}=${v[$j]}"); done
            "$cli" run "$scenario" -o "$work/o/run_${v[0]}" -n "$paths" -j "$threads" -q "${sets[@]}" > /dev/null
        done
        t1="$(now)"
        t_runs="$(min "$(elapsed "$t0" "$t1")" "$t_runs")"

        t0="$(now)"
        "$cli" sweep "$scenario" -o "$work/o/sweep" -n "$paths" -j "$threads" -q > /dev/null
        t1="$(now)"
        t_sweep="$(min "$(elapsed "$t0" "$t1")" "$t_sweep")"

        t0="$(now)"
        "$cli" sweep "$scenario" -o "$work/o/pp" -n "$paths" -j "$threads" -q --per-point > /dev/null
        t1="$(now)"
        t_pp="$(min "$(elapsed "$t0" "$t1")" "$t_pp")"
    done
    awk -v p="$paths" -v r="$t_runs" -v s="$t_sweep" -v q="$t_pp" -v n="$npoints" 'BEGIN {
        printf "%8d %10.3f %10.3f %9.1f%% %10.3f %9.1f%% %10.0f\n", p, r, s, 100 * (s / r - 1),
               q, 100 * (q / r - 1), n * p / s }'
done
