#!/usr/bin/env bash
# Installs node (Debian `nodejs` + `npm` when missing) and the npm packages the fakes validate
# against: tests/fakes/discord_spec (Discord's published OpenAPI description as zod schemas),
# exactly as locked in its package-lock.json. Idempotent: returns at once when installed.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
spec="$here/tests/fakes/discord_spec"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-node-packages: node/npm are missing and installing them needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi

stamp="$spec/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$spec/package-lock.json" -nt "$stamp" ]; then
  npm ci --prefix "$spec" --no-audit --no-fund --loglevel=error >/dev/null
fi

node --input-type=module -e "await import('$spec/node_modules/discord-api-spec/build/discord-api-spec.zod.js')" \
  || { echo "install-node-packages: discord-api-spec does not load under $(node --version)" >&2; exit 1; }
