#!/usr/bin/env bash
# Installs node (Debian `nodejs` + `npm` when missing) and the npm packages the tests use:
# tests/fakes/discord_spec (Discord's published OpenAPI description as zod schemas, which the
# fakes validate against) and tests/browser/axe (axe-core, the browser tests' accessibility
# check), each exactly as locked in its package-lock.json. Idempotent: returns at once when
# installed.
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

axe="$here/tests/browser/axe"
for dir in "$spec" "$axe"; do
  stamp="$dir/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
done

node --input-type=module -e "await import('$spec/node_modules/discord-api-spec/build/discord-api-spec.zod.js')" \
  || { echo "install-node-packages: discord-api-spec does not load under $(node --version)" >&2; exit 1; }
[ -f "$axe/node_modules/axe-core/axe.min.js" ] \
  || { echo "install-node-packages: $axe/node_modules/axe-core/axe.min.js is missing" >&2; exit 1; }
