#!/bin/sh
# Trunk's post-build hook (see Trunk.toml). Runs in the staging folder Trunk hands over.
#
# 0. Cuts the wasm into the parts each page loads (scripts/split-wasm.sh).
# 1. Moves Trunk's inline start-up script into its own file, start-<hash>.js, so that the
#    Content-Security-Policy can forbid inline script altogether. The file also records
#    any policy violation in window.__cspViolations (the end-to-end tests read it);
#    writes theme-<hash>.js, a classic script in <head> that applies the theme chosen in
#    this browser before the first paint, and in a split build preload-<hash>.js, which
#    starts the download of the library's part (or the contributor's page, for an
#    invitation) while the page is parsed.
# 2. Writes the Content-Security-Policy into index.html: only the app's own script, wasm
#    and styles; no inline script or style; no connection to anywhere else.
# 3. Copies index.html to 404.html, so static hosts open deep links such as
#    /postmortems/<id> in the app.
# 4. Writes the list of this build's files and a version (a hash of their contents) into
#    sw.js, the service worker that keeps them for offline use.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
index="$dir/index.html"

sh "${TRUNK_SOURCE_DIR:-.}/scripts/split-wasm.sh"

start="$dir/start.tmp.js"
{
    echo "window.__cspViolations = [];"
    echo "document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    awk '/<script type="module">/{inside=1; next} inside && /<\/script>/{inside=0; next} inside{print}' "$index"
} > "$start"
if ! grep -q "import init" "$start"; then
    echo "post-build: no inline start-up script found in index.html" >&2
    exit 1
fi
hash=$(sha256sum "$start" | cut -c1-16)
mv "$start" "$dir/start-$hash.js"

# The theme chosen in this browser, applied by a classic script in <head> before the
# stylesheet, so the first paint already has the right colours. The key is read from
# src/storage/keys.rs, where the app reads and writes it.
theme_key=$(sed -n 's/^pub const THEME: &str = "\(.*\)";$/\1/p' "${TRUNK_SOURCE_DIR:-.}/src/storage/keys.rs")
if [ -z "$theme_key" ]; then
    echo "post-build: no THEME key found in src/storage/keys.rs" >&2
    exit 1
fi
theme="$dir/theme.tmp.js"
echo "try { const t = localStorage.getItem('$theme_key'); if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t; } catch (e) {}" > "$theme"
theme_hash=$(sha256sum "$theme" | cut -c1-16)
mv "$theme" "$dir/theme-$theme_hash.js"

# A split (release) build: a classic script in <head>, run while the page is parsed, starts
# the download of the part the address opens, and the chunks it shares, beside the main
# module's: the contributor's page for an invitation (it never loads the library), else the
# library's. The prefix is read from src/file_format/contribution.rs, where the app reads it.
preload_tag=""
if ls "$dir"/wasm-split-*.js >/dev/null 2>&1; then
    invitation_prefix=$(sed -n 's/^pub const LINK_PREFIX: &str = "\(.*\)";$/\1/p' "${TRUNK_SOURCE_DIR:-.}/src/file_format/contribution.rs")
    if [ -z "$invitation_prefix" ]; then
        echo "post-build: no LINK_PREFIX found in src/file_format/contribution.rs" >&2
        exit 1
    fi
    library_files=$(sh "${TRUNK_SOURCE_DIR:-.}/scripts/part-files.sh" "$dir" library)
    [ -n "$library_files" ] || { echo "post-build: the split has no library part" >&2; exit 1; }
    contribute_files=$(sh "${TRUNK_SOURCE_DIR:-.}/scripts/part-files.sh" "$dir" contribute)
    [ -n "$contribute_files" ] || { echo "post-build: the split has no contributor's part" >&2; exit 1; }
    list() { printf '%s\n' "$1" | sed 's/.*/"&"/' | paste -sd, -; }
    preload="$dir/preload.tmp.js"
    {
        echo "for (const file of location.hash.startsWith('#$invitation_prefix')"
        echo "    ? [$(list "$contribute_files")]"
        echo "    : [$(list "$library_files")]) {"
        echo "    const link = document.createElement('link');"
        echo "    Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: file });"
        echo "    document.head.append(link);"
        echo "}"
    } >"$preload"
    preload_hash=$(sha256sum "$preload" | cut -c1-16)
    mv "$preload" "$dir/preload-$preload_hash.js"
    preload_tag="<script src=\"preload-$preload_hash.js\"></script>"
fi

csp="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' blob:; manifest-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'none'; object-src 'none'"
# A relative src resolves against <base href>, so sub-path builds work too.
awk -v hash="$hash" -v theme_hash="$theme_hash" -v preload_tag="$preload_tag" -v csp="$csp" '
    /<script type="module">/ { inside = 1; print "<script type=\"module\" src=\"start-" hash ".js\"></script>"; next }
    inside && /<\/script>/ { inside = 0; next }
    inside { next }
    /<meta charset="utf-8">/ { print; print "    <meta http-equiv=\"Content-Security-Policy\" content=\"" csp "\">"; next }
    # After <base href>, so the relative src resolves there on deep links too.
    /<base href=/ {
        print; print "    <script src=\"theme-" theme_hash ".js\"></script>"
        if (preload_tag != "") print "    " preload_tag
        next
    }
    { print }
' "$index" > "$index.tmp"
mv "$index.tmp" "$index"
cp "$index" "$dir/404.html"

sw="$dir/sw.js"
if [ ! -f "$sw" ]; then
    echo "post-build: sw.js was not copied into the build" >&2
    exit 1
fi
files=$(cd "$dir" && find . -type f ! -name sw.js ! -name 404.html | sed 's|^\./||' | LC_ALL=C sort)
version=$(cd "$dir" && printf '%s\n' "$files" | xargs cat | sha256sum | cut -c1-16)
list=$(printf '%s\n' "$files" | sed 's/.*/"&"/' | paste -sd, -)
sed -e "s|\"__DEBRIEF_FILES__\"|$list|" -e "s|__DEBRIEF_VERSION__|$version|" "$sw" > "$sw.tmp"
mv "$sw.tmp" "$sw"
if grep -q "__DEBRIEF_" "$sw"; then
    echo "post-build: sw.js still has a placeholder" >&2
    exit 1
fi
if ! grep -q "<script src=\"theme-$theme_hash.js\">" "$dir/index.html"; then
    echo "post-build: the theme script was not placed after <base href> in index.html" >&2
    exit 1
fi
