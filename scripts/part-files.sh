#!/bin/sh
# Prints the files one part of the split app needs, one per line (names inside the build
# folder): the part's own wasm and those of the chunks it shares with other parts, read
# from the loader the split writes (wasm-split-*.js), which names each part's file and the
# chunks it waits for (a chunk joined into another stands for that one). Used by
# scripts/post-build.sh (to preload the library's or the contributor's files) and
# scripts/size-report.sh (first-load sizes).
# Usage: scripts/part-files.sh <build folder> <part, e.g. library>
set -eu
dist="$1"
part="$2"
set -- "$dist"/wasm-split-*.js
[ "$#" -eq 1 ] && [ -f "$1" ] || { echo "part-files: no split loader in $dist" >&2; exit 1; }
awk -v want="__wasm_split_load_$part" '
    match($0, /const __[A-Za-z0-9_]+ =/) { name = substr($0, RSTART + 6, RLENGTH - 8) }
    # A chunk joined into another (scripts/merge-chunks.mjs): "const __chunk_9 = __chunk_7;".
    match($0, /^const __chunk_[0-9]+ = __chunk_[0-9]+;$/) { a = $0; gsub(/^.* = |;$/, "", a); alias[name] = a }
    match($0, /new URL\("\.\/[^"]+"/) { file[name] = substr($0, RSTART + 11, RLENGTH - 12) }
    /^, \[/ { d = $0; gsub(/^, \[|\].*$|,/, "", d); deps[name] = d }
    END {
        stack[1] = want; n = 1
        while (n > 0) {
            cur = stack[n--]
            while (cur in alias) cur = alias[cur]
            if (cur in seen) continue
            seen[cur] = 1
            if (!(cur in file)) { print "part-files: the loader has no " cur > "/dev/stderr"; exit 1 }
            print file[cur]
            k = split(deps[cur], ds, " ")
            for (i = 1; i <= k; i++) stack[++n] = ds[i]
        }
    }
' "$1"
