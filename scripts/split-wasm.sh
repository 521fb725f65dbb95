#!/bin/sh
# Cuts the app's wasm into the parts each page loads. Called by scripts/post-build.sh
# (Trunk's post-build hook), in the staging folder Trunk hands over.
#
# Trunk builds the app and runs wasm-bindgen on the whole wasm; it cannot split it (trunk
# issue #1022). So this step starts again from cargo's output, which is linked with
# `--emit-relocs` (build.rs), and replaces Trunk's two files:
#   1. wasm-split-cli cuts it at every `wasm_split` function (src/ui/lazy.rs): a main
#      module, one `split_<name>.wasm` per part, `chunk_<n>.wasm` for code two parts share,
#      and `__wasm_split.js`, which fetches a part the first time it is called; then
#      scripts/merge-chunks.mjs joins the chunks the same main parts need into one file;
#   2. wasm-bindgen makes the main module's JavaScript glue (keeping the exports the parts
#      link to);
#   3. wasm-opt -Oz makes every wasm file small;
#   4. every file gets a name with a hash of its content (so no browser or static host
#      ever pairs an old part with a new main module), the references are rewritten, and
#      index.html's preload links get the new names and integrity hashes.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
source_dir="${TRUNK_SOURCE_DIR:-.}"
profile="${TRUNK_PROFILE:-release}"
index="$dir/index.html"

# Debug builds are not split (src/ui/lazy.rs): Trunk's files stay as they are.
if [ "$profile" != release ]; then
    exit 0
fi

fail() {
    echo "split-wasm: $*" >&2
    exit 1
}
# Where cargo put its output, wherever its target folder is configured to be.
target_dir=$(cd "$source_dir" && cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || fail "cargo metadata did not name the target folder"
raw="$target_dir/wasm32-unknown-unknown/$profile/debrief.wasm"
[ -f "$raw" ] || fail "cargo's output $raw is missing"
command -v wasm-split-cli >/dev/null || fail "wasm-split-cli is not installed (scripts/setup.sh installs it)"

# The versions Trunk.toml pins, as Trunk itself would use: binaryen from npm (Debian's older
# wasm-opt silently breaks the app) and the wasm-bindgen of Cargo.lock.
wasm_opt="$source_dir/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || wasm_opt=$(command -v wasm-opt) || fail "wasm-opt is not installed (scripts/setup.sh installs it)"
want_opt=$(sed -n 's/^wasm_opt = "version_\(.*\)"$/\1/p' "$source_dir/Trunk.toml")
"$wasm_opt" --version | grep -q "version $want_opt" || fail "$wasm_opt is not binaryen $want_opt (scripts/setup.sh installs it)"
want_bindgen=$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' "$source_dir/Trunk.toml")
[ "$(wasm-bindgen --version)" = "wasm-bindgen $want_bindgen" ] || fail "wasm-bindgen is not $want_bindgen (scripts/setup.sh installs it)"

# Trunk's glue script and wasm file, named debrief-<hash>.js and debrief-<hash>_bg.wasm.
set -- "$dir"/debrief-*_bg.wasm
[ "$#" -eq 1 ] && [ -f "$1" ] || fail "expected one debrief-*_bg.wasm from Trunk in $dir"
trunk_name=$(basename "$1" _bg.wasm)
[ -f "$dir/$trunk_name.js" ] || fail "Trunk's $trunk_name.js is missing"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli "$raw" "$work/split" >"$work/split.log" 2>&1 || {
    cat "$work/split.log" >&2
    fail "wasm-split-cli failed"
}
wasm_merge="$(dirname "$wasm_opt")/wasm-merge"
[ -x "$wasm_merge" ] || fail "binaryen's wasm-merge is not beside $wasm_opt (scripts/setup.sh installs binaryen)"
command -v node >/dev/null || fail "node is not installed (it comes with npm, which scripts/setup.sh needs for binaryen)"
# Fewer, larger chunks (scripts/merge-chunks.mjs): joined for the parts most pages open first
# (the entries, a postmortem, the other pages), so none of those fetches code it does not run.
node "$source_dir/scripts/merge-chunks.mjs" "$work/split" "$wasm_merge" \
    library contribute postmortem pages >"$work/merge.log" 2>&1 || {
    cat "$work/merge.log" >&2
    fail "joining the chunks failed"
}
wasm-bindgen "$work/split/main.wasm" --target web --keep-lld-exports --no-typescript \
    --out-dir "$work/bindgen" --out-name debrief

# Every wasm file the browser fetches: the main module and the parts.
mkdir "$work/out"
cp "$work/bindgen/debrief_bg.wasm" "$work/out/debrief_bg.wasm"
for part in "$work"/split/*.wasm; do
    [ "$(basename "$part")" = main.wasm ] || cp "$part" "$work/out/"
done
# Two at a time (the machines this is built on have two cores); largest first.
ls -S "$work"/out/*.wasm | xargs -P 2 -I {} sh -c '
    "$0" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$1.opt" && mv "$1.opt" "$1"
' "$wasm_opt" {} || fail "wasm-opt failed"

hash_of() { sha256sum "$1" | cut -c1-16; }

# The parts, renamed part-<hash>.wasm, and the loader that fetches them.
loader="$work/bindgen/__wasm_split.js"
cp "$work/split/__wasm_split.js" "$loader"
for f in "$work"/out/*.wasm; do
    name=$(basename "$f" .wasm)
    [ "$name" = debrief_bg ] && continue
    hashed="$name-$(hash_of "$f").wasm"
    mv "$f" "$dir/$hashed"
    sed -i "s|\"\./$name\.wasm\"|\"./$hashed\"|" "$loader"
    grep -q "\"\./$hashed\"" "$loader" || fail "the loader does not fetch $name.wasm as expected"
done

# Each part compiles as it downloads when the host serves it as application/wasm; a host
# that serves .wasm with another type gets the whole-file path instead of a failure (as
# wasm-bindgen's start-up does for the main module), and a missing file a clear error.
fetches=$(grep -c 'fetch(new URL(' "$loader")
sed -i 's|return async (imports) => (WebAssembly.instantiateStreaming(src, imports));|return async (imports) => instantiatePart(src, imports);|' "$loader"
[ "$(grep -c 'instantiatePart(src, imports)' "$loader")" = "$fetches" ] \
    || fail "the loader does not instantiate its parts as expected"
cat >>"$loader" <<'JS'
async function instantiatePart(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error("could not fetch " + response.url + ": " + response.status);
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    if (type === "application/wasm") return WebAssembly.instantiateStreaming(response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
JS

# The main module and its glue: debrief-<hash>_bg.wasm and debrief-<hash>.js, with the
# hash of the wasm and the loader (the glue imports the loader, which imports the glue).
main_hash=$(cat "$work/out/debrief_bg.wasm" "$loader" | sha256sum | cut -c1-16)
main="debrief-$main_hash"
loader_name="wasm-split-$main_hash.js"
grep -q 'from "\./main\.js"' "$loader" || fail "the loader does not import ./main.js as expected"
sed -i "s|from \"\./main\.js\"|from \"./$main.js\"|" "$loader"
# Only the import statement: the wasm's own import module keeps its name.
grep -q 'from "\./__wasm_split\.js"' "$work/bindgen/debrief.js" || fail "the glue does not import the loader as expected"
sed "s|from \"\./__wasm_split\.js\"|from \"./$loader_name\"|" "$work/bindgen/debrief.js" >"$dir/$main.js"
mv "$loader" "$dir/$loader_name"
mv "$work/out/debrief_bg.wasm" "$dir/${main}_bg.wasm"
rm -f "$dir/$trunk_name.js" "$dir/${trunk_name}_bg.wasm"

# index.html: Trunk's references to its files now name ours, with their integrity hashes.
sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }
js_sri=$(sri "$dir/$main.js")
wasm_sri=$(sri "$dir/${main}_bg.wasm")
awk -v old="$trunk_name" -v new="$main" -v js_sri="$js_sri" -v wasm_sri="$wasm_sri" '
    {
        gsub(old "_bg\\.wasm", new "_bg.wasm")
        gsub(old "\\.js", new ".js")
        line = $0
        out = ""
        # Each preload link names one file; its integrity follows its href.
        while (match(line, /integrity="sha384-[^"]*"/)) {
            before = substr(line, 1, RSTART - 1)
            value = (before ~ /_bg\.wasm"[^>]*$/) ? wasm_sri : (before ~ new "\\.js\"[^>]*$") ? js_sri : ""
            if (value == "") { out = out substr(line, 1, RSTART + RLENGTH - 1) }
            else { out = out before "integrity=\"" value "\"" }
            line = substr(line, RSTART + RLENGTH)
        }
        print out line
    }
' "$index" >"$index.tmp"
mv "$index.tmp" "$index"
# The loader is imported by the glue: fetched beside it rather than after it.
sed -i "s|</head>|<link rel=\"modulepreload\" href=\"$loader_name\" crossorigin=\"anonymous\"></head>|" "$index"
grep -q "href=\"$loader_name\"" "$index" || fail "index.html has no </head> to preload the loader before"
grep -q "$trunk_name" "$index" && fail "index.html still names Trunk's $trunk_name"
grep -q "integrity=\"$js_sri\"" "$index" || fail "index.html has no integrity hash for $main.js"
grep -q "integrity=\"$wasm_sri\"" "$index" || fail "index.html has no integrity hash for ${main}_bg.wasm"
exit 0
