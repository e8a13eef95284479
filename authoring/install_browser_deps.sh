#!/usr/bin/env bash
# Install what the slide builder and the browser tests need, and nothing else:
#   * Debian's Chromium (/usr/bin/chromium; chromium-driver for anyone who
#     prefers Selenium), which tests/test_browser.py drives;
#   * authoring/node_modules from authoring/package-lock.json: reveal.js,
#     MathJax 2, require.js and jQuery (copied next to the slide decks by
#     authoring/slides.py) and playwright-core (drives Chromium; it downloads
#     no browser of its own).
# Safe to run again: each step is skipped when its result is already there.
# Usage: bash authoring/install_browser_deps.sh   (root, or a user with sudo)
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium chromium-driver)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "installing ${apt_packages[*]} with apt-get"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_packages[@]}"
fi

# npm ci gives exactly the versions in package-lock.json; a stamp records
# which lock file node_modules was installed from.
stamp=node_modules/.installed-from-package-lock.json
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "installing authoring/node_modules with npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

chromium --version
node --version
