#!/usr/bin/env bash
# Installs the Debian 12 packages jfsim needs, only those missing (idempotent,
# non-interactive).  Run as root (or with sudo available).
set -euo pipefail
packages=(build-essential cmake pkg-config libgsl-dev libcmocka-dev librandom123-dev
          libyaml-dev nettle-dev clang libomp-dev python3 python3-yaml)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
