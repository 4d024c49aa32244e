#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds with warnings as
# errors and runs the whole suite, then builds and runs it again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then (with clang) runs the
# scenario-loader fuzzer for a bounded time.  Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="$(nproc)"

echo "== build (warnings as errors) and test"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJF_WERROR=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== build and test under ASan + UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DJF_WERROR=ON -DJF_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE slow

if command -v clang >/dev/null 2>&1; then
  echo "== fuzz the scenario loader (bounded time)"
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJF_FUZZ=ON -DJF_BUILD_TESTS=OFF >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_loader
  ctest --test-dir build-fuzz --output-on-failure -L fuzz
fi
echo "== all tests passed"
