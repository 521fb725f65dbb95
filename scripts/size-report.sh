#!/usr/bin/env bash
# Builds the release app and prints the raw, gzip and brotli sizes of what a browser
# downloads, and the first load of each way into the app (the files fetched before the
# page is usable: start-up files and the parts it needs, read from the split loader); then builds a bare Leptos counter with the same release settings (the floor
# of this stack) in a throwaway folder and prints the app's size as a multiple of it.
# SIZE_REPORT_NO_FLOOR=1 skips the counter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
DEBRIEF_SKIP_BROWSER=1 . scripts/setup.sh
command -v brotli >/dev/null || ensure_debian_packages brotli

# Prints one table for the build in $1 and sets $brotli_total (wasm + js + css).
report() {
    local dist="$1" kind f raw gz br
    printf '%-8s %10s %10s %10s\n' part raw gzip brotli
    local total_raw=0 total_gz=0 total_br=0
    brotli_total=0
    for kind in wasm js css html; do
        raw=0 gz=0 br=0
        for f in "$dist"/*."$kind"; do
            [ -e "$f" ] || continue
            [ "$(basename "$f")" = 404.html ] && continue
            raw=$((raw + $(wc -c <"$f")))
            gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
            br=$((br + $(brotli -q 11 -c "$f" | wc -c)))
        done
        printf '%-8s %10d %10d %10d\n' "$kind" "$raw" "$gz" "$br"
        total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
        [ "$kind" = html ] || brotli_total=$((brotli_total + br))
    done
    printf '%-8s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
}

# Brotli size of one file of $dist, counted once (in this shell; not in a subshell).
declare -A brotli_of=()
br_size() {
    [ -n "${brotli_of[$1]:-}" ] || brotli_of[$1]=$(brotli -q 11 -c "$1" | wc -c)
    echo "${brotli_of[$1]}"
}

# The files of the split build in $1 that part $2 needs (scripts/part-files.sh), with
# their folder.
part_files() {
    sh scripts/part-files.sh "$1" "$2" | sed "s|^|$1/|"
}

# What the page needs before it runs: the start-up scripts, the styles, the main module
# and its glue and loader.
start_files() {
    ls "$1"/start-*.js "$1"/theme-*.js "$1"/preload-*.js "$1"/main-*.css "$1"/debrief-*.js "$1"/debrief-*_bg.wasm "$1"/wasm-split-*.js
}

sum_br() {
    local total=0 f
    while read -r f; do total=$((total + $(br_size "$f"))); done
    echo "$total"
}

# First-load bytes of each way into the app, against the targets of issue #26.
first_loads() {
    local dist="$1" start library contribute postmortem pages f
    # Every file measured once here: the subshells below read the sizes, they cannot add any.
    for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do br_size "$f" >/dev/null; done
    start=$(start_files "$dist" | sum_br)
    library=$( { start_files "$dist"; part_files "$dist" library; } | sort -u | sum_br)
    contribute=$( { start_files "$dist"; part_files "$dist" contribute; } | sort -u | sum_br)
    # Opening a postmortem from the library fetches what the library has not fetched.
    postmortem=$(comm -13 <({ start_files "$dist"; part_files "$dist" library; } | sort -u) \
        <(part_files "$dist" postmortem | sort -u) | sum_br)
    pages=$(comm -13 <({ start_files "$dist"; part_files "$dist" library; } | sort -u) \
        <(part_files "$dist" pages | sort -u) | sum_br)
    printf '%-52s %10s %s\n' "first load (wasm + js + css, brotli)" bytes target
    printf '%-52s %10d %s\n' "start-up (every entry)" "$start" ""
    printf '%-52s %10d %s\n' "library (/)" "$library" "<= 250000"
    printf '%-52s %10d %s\n' "contributor page (invitation link)" "$contribute" "<= 150000"
    printf '%-52s %10d %s\n' "opening a postmortem from the library, more" "$postmortem" "<= 150000"
    printf '%-52s %10d %s\n' "any other page from the library, more" "$pages" ""
    [ -n "${SIZE_REPORT_ENTRIES:-}" ] && printf '%s %s %s %s\n' "$library" "$contribute" "$postmortem" "$pages" \
        >"$SIZE_REPORT_ENTRIES"
    return 0
}

trunk build --release >/dev/null 2>&1 || trunk build --release
echo "Debrief (dist/):"
report dist
app_total=$brotli_total
echo "(bytes; gzip -9, brotli -q 11; 404.html is a copy of index.html and not counted)"
echo
first_loads dist

[ "${SIZE_REPORT_NO_FLOOR:-0}" = 1 ] && exit 0

# The floor: a counter, built the same way (profile, wasm-opt level, cfg flags, locked
# versions), in a temporary folder. Its build cache is kept in target/size-floor.
floor="$(mktemp -d)"
trap 'rm -rf "$floor"' EXIT
mkdir -p "$floor/src" "$floor/.cargo"
cp Cargo.lock "$floor/Cargo.lock"
cp .cargo/config.toml "$floor/.cargo/config.toml"
leptos_version=$(grep -A1 '^name = "leptos"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
wasm_bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
{
    echo '[package]'
    echo 'name = "counter"'
    echo 'version = "0.1.0"'
    echo 'edition = "2024"'
    echo '[dependencies]'
    echo "leptos = { version = \"=$leptos_version\", features = [\"csr\"] }"
    echo "wasm-bindgen = \"=$wasm_bindgen_version\""
    sed -n '/^\[profile.release\]/,/^$/p' Cargo.toml
} >"$floor/Cargo.toml"
cat >"$floor/src/main.rs" <<'EOF'
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0);
        view! { <button on:click=move |_| *count.write() += 1>"Clicked " {count} " times"</button> }
    })
}
EOF
cat >"$floor/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Counter</title>
<link data-trunk rel="rust" data-wasm-opt="z"></head><body></body></html>
EOF
sed -n '/^\[tools\]/,/^$/p' Trunk.toml >"$floor/Trunk.toml"
echo
echo "Bare Leptos $leptos_version counter, same release settings:"
(cd "$floor" && CARGO_TARGET_DIR="$ROOT/target/size-floor" CARGO_NET_OFFLINE=true \
    trunk build --release >/dev/null 2>&1) || {
    echo "the counter did not build; run it by hand in $floor to see why" >&2
    exit 1
}
report "$floor/dist"
floor_total=$brotli_total
# Kept for the benchmark, which measures the counter's first paint beside the app's.
rm -rf "$ROOT/target/size-floor/dist"
cp -r "$floor/dist" "$ROOT/target/size-floor/dist"
echo
awk -v a="$app_total" -v f="$floor_total" 'BEGIN {
    printf "Debrief wasm + js + css: %d bytes brotli, %.1fx the bare counter (%d bytes)\n", a, a / f, f
}'
# For scripts/bench.sh: both totals, machine-readable, when asked.
[ -n "${SIZE_REPORT_TOTALS:-}" ] && printf '%s %s\n' "$app_total" "$floor_total" >"$SIZE_REPORT_TOTALS"
exit 0
