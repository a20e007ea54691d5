#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver (Debian `chromium` + `chromium-driver`) for the
# browser tests in tests/browser. Idempotent and quiet: returns at once when both are present.
set -euo pipefail

have_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

if ! have_chromium; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium: chromium/chromedriver are missing and installing them needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
fi

have_chromium || { echo "install-chromium: /usr/bin/chromium or /usr/bin/chromedriver missing" >&2; exit 1; }
