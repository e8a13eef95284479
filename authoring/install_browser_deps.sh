#!/usr/bin/env bash
# What the browser tests and the offline slide decks need, installed once:
#   - Debian's Chromium and ChromeDriver (apt; needs root or sudo);
#   - reveal.js, MathJax, require.js, jQuery and playwright-core from the npm
#     registry into authoring/node_modules (exact versions from package-lock.json).
# Nothing is downloaded at test time, and no browser build is downloaded at all:
# playwright-core drives /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
