#!/usr/bin/env bash
# Installs the Debian packages Closer needs to build, test and benchmark, if any are missing.
# Usage: scripts/install-deps.sh [build|test|bench]   (each includes the ones before it)
# binutils: the linker Swift uses, and `strip` for `make install`.
set -euo pipefail

level=${1:-build}
packages=(libcurl4-openssl-dev libncurses-dev libsqlite3-dev pkg-config binutils)
if [ "$level" = test ] || [ "$level" = bench ]; then
    packages+=(tmux postgresql python3 python3-aiosmtpd python3-socketio python3-websocket openssl curl)
fi
if [ "$level" = bench ]; then
    packages+=(wrk nginx-light hyperfine aerc neomutt python3-aiohttp)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
