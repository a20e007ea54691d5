#!/usr/bin/env bash
# Installs the PostgreSQL server binaries the tests and benchmarks start throwaway servers with
# (initdb, pg_ctl, postgres under /usr/lib/postgresql/<version>/bin), and the `postgres` system
# user they run as when started by root. Idempotent and quiet: returns at once when present.
# The Debian cluster service is not needed (tests start their own server) and is not started.
set -euo pipefail

have_binaries() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
    && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if ! have_binaries; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-postgres: PostgreSQL is missing and installing it needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends postgresql >/dev/null
fi

if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
fi

have_binaries || { echo "install-postgres: initdb/pg_ctl still missing" >&2; exit 1; }
