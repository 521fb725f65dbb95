#!/usr/bin/env bash
# Installs every tool Debrief's build and tests need, skipping what is already there.
# scripts/serve.sh, scripts/test.sh and scripts/size-report.sh source it so its PATH
# changes reach them (sourcing also turns on `set -euo pipefail` in the caller).
# Set DEBRIEF_SKIP_BROWSER=1 to leave out Chromium (not needed to build or serve).

set -euo pipefail

DEBRIEF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
# wasm-split-cli cuts the app's wasm into the parts each page loads (scripts/split-wasm.sh).
# 0.2.3 reads the descriptors of wasm-bindgen 0.2.128 and later.
WASM_SPLIT_VERSION="0.2.3"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

export PATH="$DEBRIEF_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

ensure_rust_components() {
    local installed
    installed="$(rustup component list --installed)"
    if grep -q '^rustfmt' <<<"$installed" && grep -q '^clippy' <<<"$installed"; then
        say "rustfmt and clippy: present"
    else
        say "rustfmt and clippy: installing"
        rustup component add rustfmt clippy
    fi
}

ensure_wasm_target() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "wasm32 target: present"
    else
        say "wasm32 target: installing"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_trunk() {
    if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
        say "trunk $TRUNK_VERSION: present"
    else
        say "trunk $TRUNK_VERSION: installing (takes about 5 minutes)"
        cargo install "trunk@$TRUNK_VERSION" --locked
    fi
}

# The wasm-bindgen version in Cargo.lock; Trunk.toml must name the same one.
lock_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$DEBRIEF_ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
    local want
    want="$(lock_wasm_bindgen_version)"
    if [ -z "$want" ]; then
        say "Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile' first" && return 1
    fi
    if ! grep -q "wasm_bindgen = \"$want\"" "$DEBRIEF_ROOT/Trunk.toml"; then
        say "Trunk.toml's [tools] wasm_bindgen must be \"$want\" to match Cargo.lock" && return 1
    fi
    if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ] \
        && command -v wasm-bindgen-test-runner >/dev/null; then
        say "wasm-bindgen-cli $want: present"
    else
        say "wasm-bindgen-cli $want: installing (takes about 2 minutes)"
        # Not --locked: its lockfile wants a crate version this registry lacks.
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
}

ensure_wasm_split() {
    # The binary has no --version; cargo's own list of installed packages says which one it is.
    if command -v wasm-split-cli >/dev/null \
        && cargo install --list | grep "^wasm_split_cli_support v$WASM_SPLIT_VERSION:" >/dev/null; then
        say "wasm-split-cli $WASM_SPLIT_VERSION: present"
    else
        say "wasm-split-cli $WASM_SPLIT_VERSION: installing (takes about 2 minutes)"
        cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
    fi
}

# binaryen (wasm-opt for the build) and axe-core (accessibility checks in the end-to-end
# tests), both pinned in package.json / package-lock.json.
ensure_binaryen() {
    local axe_version
    axe_version=$(sed -n 's/.*"axe-core": "\([0-9.]*\)".*/\1/p' "$DEBRIEF_ROOT/package.json")
    if [ -x "$DEBRIEF_ROOT/node_modules/.bin/wasm-opt" ] \
        && "$DEBRIEF_ROOT/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" \
        && grep -q "\"version\": \"$axe_version\"" "$DEBRIEF_ROOT/node_modules/axe-core/package.json" 2>/dev/null; then
        say "binaryen $BINARYEN_VERSION and axe-core $axe_version (npm): present"
    else
        say "binaryen $BINARYEN_VERSION and axe-core $axe_version: installing from npm"
        (cd "$DEBRIEF_ROOT" && npm ci --no-audit --no-fund)
    fi
}

ensure_debian_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "Debian packages ($*): present"
    else
        say "Debian packages: installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# C toolchain and OpenSSL headers first: crates built below (and the end-to-end tests'
# WebDriver client) compile C code.
ensure_debian_packages gcc libc6-dev pkg-config libssl-dev brotli openssl
# git: the team-library tests work on real clones (any git from 2.30 on will do).
if command -v git >/dev/null 2>&1; then
    say "git: present ($(git --version))"
else
    ensure_debian_packages git
fi
ensure_rust_components
ensure_wasm_target
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_split
ensure_binaryen
if [ "${DEBRIEF_SKIP_BROWSER:-0}" != "1" ]; then
    ensure_debian_packages chromium chromium-driver
fi
say "all tools ready"
