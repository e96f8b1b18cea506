#!/usr/bin/env bash
# Screenshots of the example show's website for the README: builds castkit, serves the example show with
# `castkit serve` (on 127.0.0.1, a port the system picks), and has headless Chromium photograph the show index
# and the first episode page, desktop (1280×800) and phone (375×667 at 2×), light colour scheme, into
# docs/screenshots/ (tests/browser/screenshots.mjs; PNG, each under ~250 KB). The producer's public/ is left
# alone: serve builds its preview in a temporary folder.
# Needs node, Debian's chromium (or CHROMIUM=path) and `npm ci --no-audit --no-fund` in tests/browser.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/screenshots
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
  echo "error: the browser harness is not installed: run \`npm ci --no-audit --no-fund\` in tests/browser" >&2
  exit 2
fi

cargo build --quiet --locked
log=$(mktemp)
target/debug/castkit serve --port 0 --bind 127.0.0.1 2>"$log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; rm -f "$log"' EXIT

# serve says `serving http://127.0.0.1:PORT/feed.xml …` once the preview is built.
base=""
for _ in $(seq 1 600); do
  base=$(grep -o 'serving http://[^/ ]*/' "$log" | head -n 1 | sed 's/^serving //' || true)
  [ -n "$base" ] && break
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "error: castkit serve stopped:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
if [ -z "$base" ]; then
  echo "error: castkit serve did not say where it serves within 2 minutes:" >&2
  cat "$log" >&2
  exit 1
fi

mkdir -p "$out"
node tests/browser/screenshots.mjs "$base" "$out"
