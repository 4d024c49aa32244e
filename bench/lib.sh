# bench/lib.sh — sourced by the bench scripts (run.sh, profile.sh, sweep_overhead.sh).
# shellcheck shell=bash
#
# jf_bench_build ROOT BUILD TARGET...
#   Configures BUILD as a Release build of the sources in ROOT when it has no CMakeCache.txt,
#   then builds TARGET... there.  The build is incremental (a no-op when nothing changed), so
#   a benchmark never measures binaries older than the sources.  Warns when BUILD is not a
#   Release build; returns non-zero, with the compiler's output, when the build fails.
jf_bench_build() {
    local root="$1" build="$2"
    shift 2
    local cores log type
    cores="$(nproc 2>/dev/null || echo 1)"
    log="$(mktemp)"
    if [[ ! -f "$build/CMakeCache.txt" ]]; then
        echo "== configuring a Release build in $build" >&2
        if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1; then
            cat "$log" >&2; rm -f "$log"; return 1
        fi
    fi
    if ! cmake --build "$build" --target "$@" -j "$cores" >"$log" 2>&1; then
        cat "$log" >&2
        echo "bench: building $* in $build failed" >&2
        rm -f "$log"; return 1
    fi
    rm -f "$log"
    type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")"
    [[ "$type" == Release ]] || echo "warning: $build is a '$type' build; figures are meant for Release" >&2
    return 0
}
