#!/usr/bin/env bash
# bench/run.sh — run the whole benchmark suite and print the table (bench/README.md).
#
#   bench/run.sh                       # defaults below
#   JF_BENCH_PATHS=20000 bench/run.sh  # a quicker pass
#
# Environment (all optional):
#   JF_BENCH_PATHS    paths of large.yaml and small.yaml   (default 100000; the sweep case
#                     keeps its own 9 points x 10,000 paths)
#   JF_BENCH_THREADS  thread counts, N | A..B | A,B,C      (default 1..number of cores)
#   JF_BENCH_REPEAT   runs per measurement, fastest kept   (default 1)
#   JF_BENCH_PEER     0 skips the NumPy peer               (default 1)
#   JF_BENCH_BIG      paths of a `jfsim run bench/large.yaml` under /usr/bin/time -v,
#                     all cores, 0 = skip                  (default 0; 1000000 takes minutes)
#   JF_BENCH_BUILD    build directory                      (default <repo>/build-bench)
#
# Builds jfsim-bench, jfsim-draws and jfsim in the build directory first (configured in Release
# when new; incremental, so the figures are always those of the current sources).
# Exit status 0 unless a build or a run failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${JF_BENCH_BUILD:-$root/build-bench}"
paths="${JF_BENCH_PATHS:-100000}"
cores="$(nproc 2>/dev/null || echo 1)"
threads="${JF_BENCH_THREADS:-1..$cores}"
repeat="${JF_BENCH_REPEAT:-1}"
peer="${JF_BENCH_PEER:-1}"
big="${JF_BENCH_BIG:-0}"

bench="$build/bench/jfsim-bench"
draws="$build/bench/jfsim-draws"
cli="$build/cli/jfsim"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
jf_bench_build "$root" "$build" jfsim-bench jfsim-draws jfsim

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0

echo "== jfsim-bench ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'))"
# floor-case needs the engine's own normals and exps per path of large.yaml.
counts="$("$draws" "$here/large.yaml" 2>"$out/draws.txt")" || { status=1; counts=""; }
sed 's/^jfsim-draws: /# /' "$out/draws.txt"
"$bench" -n "$paths" -t "$threads" -r "$repeat" ${counts:+--case-draws "$counts"} "$here/large.yaml" \
    | tee "$out/large_small.txt" || status=1
"$bench" -n "$paths" -t "$threads" -r "$repeat" "$here/small.yaml" | grep -v '^#\|^case' \
    | tee -a "$out/large_small.txt" || status=1
# The sweep case keeps its own paths (10,000 per point, 9 points).
"$bench" -t "$threads" -r "$repeat" "$here/sweep_shaped.yaml" | grep -v '^#\|^case' | tee "$out/sweep.txt" || status=1

# Figures of the large case from the table: path-years/s, wall, of_floor, of_case per thread count.
field() { awk -v k="$1" -v t="$2" -v c="$3" '$1=="large" && $2==k && $5==t {print $c}' "$out/large_small.txt"; }
eng1="$(field engine 1 8)"
echo
echo "== bars (issue 'Speed at scale'), bench/large.yaml, $paths paths"
if [[ -n "$eng1" ]]; then
    echo "engine, 1 thread:        $eng1 path-years/s, $(field engine 1 11) of the floor (bar >= 0.5)," \
         "$(field engine 1 12) of floor-case"
    for t in $(awk '$1=="large" && $2=="engine" && $5>1 {print $5}' "$out/large_small.txt"); do
        echo "engine, $t threads:       speed-up $(field engine "$t" 10) over 1 thread (bar >= 1.8 at 2)"
    done
fi

if [[ "$peer" != 0 ]]; then
    py=""
    for cand in python3 /usr/bin/python3 python; do
        if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import numpy' >/dev/null 2>&1; then
            py="$cand"
            break
        fi
    done
    if [[ -z "$py" ]]; then
        echo "peer: skipped (no python3 with NumPy; e.g. apt-get install python3-numpy)"
    else
        line="$("$py" "$here/peer/peer_large.py" -n "$paths")" || { status=1; line=""; }
        echo "$line"
        pys="$(sed -n 's/.* path_years_per_s=\([0-9]*\).*/\1/p' <<<"$line")"
        sim="$(sed -n 's/.*sim_only_path_years_per_s=\([0-9]*\).*/\1/p' <<<"$line")"
        if [[ -n "$eng1" && -n "$pys" ]]; then
            awk -v e="$eng1" -v p="$pys" -v s="$sim" 'BEGIN {
                printf "engine / NumPy peer, 1 thread: %.1fx (bar >= 20); against the peer without annual statistics: %.1fx\n", e / p, e / s }'
            # The floors bound the engine from above: 20x the peer can only be met below them
            # (floor-case draws what the engine itself draws, so the engine cannot beat it).
            zig1="$(field floor-zig 1 8)" case1="$(field floor-case 1 8)"
            if [[ -n "$zig1" ]]; then
                awk -v p="$pys" -v z="$zig1" -v c="$case1" 'BEGIN {
                    printf "20x the peer is %.0f path-years/s; the floors (unavoidable draws only): floor-zig %.0f", 20 * p, z
                    if (c != "") printf ", floor-case %.0f", c
                    if (c != "" && 20 * p > c) verdict = "above floor-case, the engine'"'"'s own draws: not reachable"
                    else if (20 * p > z) verdict = "above floor-zig: not reachable"
                    else verdict = "below both floors"
                    printf " (%s)\n", verdict }'
            fi
        fi
    fi
fi

if [[ "$big" != 0 ]]; then
    echo
    echo "== jfsim run bench/large.yaml -n $big -j $cores (/usr/bin/time -v)"
    if /usr/bin/time -v "$cli" run "$here/large.yaml" -n "$big" -j "$cores" -q -o "$out/big" \
        >"$out/big.txt" 2>"$out/big.time"; then
        grep -E 'Elapsed \(wall clock\)|Maximum resident set size|User time|System time' "$out/big.time" | sed 's/^\t*/  /'
        awk -v n="$big" -F': ' '/Elapsed \(wall clock\)/ {
            k = split($2, a, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + a[i];
            printf "  paths/s %.0f, path-years/s %.0f\n", n / s, n * 50 / s }' "$out/big.time"
    else
        status=1
        tail -5 "$out/big.time"
    fi
fi
exit $status
