#!/usr/bin/env bash
# Builds the release app and prints the raw, gzip and brotli sizes of what a browser downloads.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEBRIEF_SKIP_BROWSER=1 . scripts/setup.sh
command -v brotli >/dev/null || ensure_debian_packages brotli
trunk build --release >/dev/null 2>&1 || trunk build --release

printf '%-8s %10s %10s %10s\n' part raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for kind in wasm js css html; do
    raw=0 gz=0 br=0
    for f in dist/*."$kind"; do
        [ -e "$f" ] || continue
        [ "$(basename "$f")" = 404.html ] && continue
        raw=$((raw + $(wc -c <"$f")))
        gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
        br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
    done
    printf '%-8s %10d %10d %10d\n' "$kind" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-8s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
echo "(bytes; gzip -9, brotli -q 11; 404.html is a copy of index.html and not counted)"
