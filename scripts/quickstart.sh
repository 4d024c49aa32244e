#!/usr/bin/env bash
# Quick start: install what is missing, build jfsim (Release) and run the main
# scenario, scenarios/baseline.yaml.  Results land in out/baseline/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJF_BUILD_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)"
./build/cli/jfsim run scenarios/baseline.yaml "$@"
