#!/usr/bin/env bash
# Builds the release app and serves it on http://127.0.0.1:PORT (default 8080).
# Usage: scripts/serve.sh [PORT]
# PUBLIC_URL=/debrief/ scripts/serve.sh serves it under a sub-path, as a static host would.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${1:-${PORT:-8080}}"
. scripts/setup.sh
echo "[serve] Debrief at http://127.0.0.1:$PORT${PUBLIC_URL:-/} (Ctrl-C stops)" >&2
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "$PORT" --public-url "${PUBLIC_URL:-/}"
