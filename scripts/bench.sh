#!/usr/bin/env bash
# The performance benchmark (issue #9): builds the release app and a bare Leptos counter
# (scripts/size-report.sh, which also prints each entry's first load), then drives the app
# in headless Chromium over generated libraries (examples/bench.rs) and prints one table
# of medians against the targets.
# BENCH_RUNS=N repeats each timed step N times (default 5). Takes a few minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
totals="$(mktemp)"
trap 'rm -f "$totals"' EXIT
SIZE_REPORT_TOTALS="$totals" bash scripts/size-report.sh
read -r app floor <"$totals"
echo
echo "Running the browser benchmark…"
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" BENCH_SIZE_APP="$app" BENCH_SIZE_FLOOR="$floor" \
    BENCH_COUNTER_DIST="$PWD/target/size-floor/dist" \
    cargo run --release --quiet --example bench
