#!/usr/bin/env bash
# Installs the real services the test suite needs (each scripts/ci/install-*.sh, in order).
# Idempotent: each script returns at once when its service is already installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for script in "$here"/install-*.sh; do
  [ "$(basename "$script")" = "install-services.sh" ] && continue
  [ -e "$script" ] || continue
  bash "$script"
done
