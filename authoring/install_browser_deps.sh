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
#
# Without root (and without a sudo that works without a password prompt) or
# without apt-get, a person gets one message saying what to install by hand,
# and the script stops with status 0: the browser tests then skip, everything
# else still runs. In CI (CI=true) the browser tests are required, so the
# same situation is an error (status 1).
set -euo pipefail
cd "$(dirname "$0")"

cannot() {  # cannot <what is missing> <what to do>: fail in CI, else say so and go on
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: $1. CI=true requires the browser tests: $2" >&2
    exit 1
  fi
  echo "SKIPPED: $1, so the browser tests (Chromium) will be skipped."
  echo "  To run them: $2"
}

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium chromium-driver)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  how="install ${apt_packages[*]} (e.g. sudo apt-get install ${apt_packages[*]}), then run make test again"
  SUDO=()
  can_install=yes
  if ! command -v apt-get >/dev/null 2>&1; then
    cannot "${apt_packages[*]} missing and no apt-get here" "$how"
    can_install=no
  elif [ "$(id -u)" -ne 0 ]; then
    # -n: never wait for a password; a person without sudo rights gets the message.
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=(sudo -n)
    else
      cannot "${apt_packages[*]} missing and installing them needs root" "$how"
      can_install=no
    fi
  fi
  if [ "$can_install" = yes ]; then
    echo "installing ${apt_packages[*]} with apt-get"
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_packages[@]}"
  fi
fi

# npm ci gives exactly the versions in package-lock.json (no root needed); a
# stamp records which lock file node_modules was installed from.
if command -v npm >/dev/null 2>&1; then
  stamp=node_modules/.installed-from-package-lock.json
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "installing authoring/node_modules with npm ci"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
  node --version
fi
if command -v chromium >/dev/null 2>&1; then
  chromium --version
fi
