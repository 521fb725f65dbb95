#!/usr/bin/env bash
# Runs every check and test layer: format, lint, native tests, browser tests in headless
# Chromium, the release build, and end-to-end tests against the built app.
# Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver || true)}"
if [ -z "$CHROMEDRIVER" ]; then
    echo "[test] chromedriver is not on PATH after set-up; install Debian's chromium-driver" >&2
    exit 1
fi
export CHROMEDRIVER
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

LOG="$(mktemp)"
CURRENT=""

# The summary, printed however the run ends: the tests counted from every "test result"
# line, and the step that failed, if one did.
summary() {
    local status=$?
    local passed failed
    passed=$(grep -Eo '^test result: [A-Za-z]+\. [0-9]+ passed' "$LOG" | awk '{s += $4} END {print s + 0}')
    failed=$(grep -Eo '^test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$LOG" | awk '{s += $6} END {print s + 0}')
    echo
    if [ "$status" -eq 0 ]; then
        echo "tests: $passed passed, $failed failed"
    else
        echo "tests: $passed passed, $failed failed; stopped at step \"$CURRENT\" (exit $status)"
    fi
    rm -f "$LOG"
}
trap summary EXIT

step() {
    local name="$1"
    shift
    CURRENT="$name"
    printf '\n\033[1m[test] %s\033[0m\n' "$name" >&2
    local started=$SECONDS
    "$@" 2>&1 | tee -a "$LOG"
    printf '[test] %s: done in %ss\n' "$name" "$((SECONDS - started))" >&2
}

step "format" cargo fmt --check
step "lint (native)" cargo clippy --all-targets --locked -- -D warnings
step "lint (wasm)" cargo clippy --target wasm32-unknown-unknown --lib --bins --tests --locked -- -D warnings
step "native tests: architecture, domain, file format, storage, team folder in real git clones, wording corpus, import properties, schema-generated documents, failure injection, decoder fuzzing, hostile corpus" cargo test --lib --test architecture --test wording_corpus --test import_props --test schema_documents --test bad_files --test team_git --test failure_injection --test fuzz_decoders --test hostile_input --locked
step "browser tests: localStorage adapter" cargo test --target wasm32-unknown-unknown --test storage_browser --locked
step "release build" trunk build --release
# A second copy built for a sub-path, as on a GitHub Pages project page.
export DEBRIEF_SUBPATH_DIST="$PWD/target/dist-subpath"
step "release build under /debrief/" trunk build --release --public-url /debrief/ --dist "$DEBRIEF_SUBPATH_DIST"
step "end-to-end tests: the built app in Chromium" cargo test --test e2e --locked -- --test-threads=2

