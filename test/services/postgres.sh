#!/usr/bin/env bash
# A throwaway PostgreSQL for the real-component tests (the smoke-test postgres check).
#
#   test/services/postgres.sh          install if missing, initialise, start, create role and
#                                      database, print the connection environment (idempotent)
#   test/services/postgres.sh stop     stop the server (the data directory is kept for reuse)
#
# The cluster lives in a temporary directory (PTK_PG_DIR, default /tmp/ptk-postgres-<port>) owned
# by the `postgres` user when run as root, listens on 127.0.0.1:PTK_PG_PORT (default 55432) and on
# a Unix socket in that directory only. The role's password is generated once and kept there (0600).
set -euo pipefail

PORT=${PTK_PG_PORT:-55432}
DIR=${PTK_PG_DIR:-/tmp/ptk-postgres-$PORT}
DATA=$DIR/data
ROLE=ptk_smoke
DATABASE=ptk_smoke

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && printf '%s\n' "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  [ "$(id -u)" = 0 ] || { log "PostgreSQL is not installed and this is not root: apt-get install -y postgresql"; exit 1; }
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends postgresql >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2; }
}

BIN=$(find_bin || true)
if [ "${1:-start}" = stop ]; then
  if [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
  fi
  exit 0
fi

if [ -z "$BIN" ]; then
  install
  BIN=$(find_bin) || { log "no initdb under /usr/lib/postgresql after installing"; exit 1; }
fi

mkdir -p "$DIR"
chmod 700 "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi

if [ ! -f "$DIR/password" ]; then
  ( umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/password" )
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR/password"; fi
fi
PASSWORD=$(cat "$DIR/password")

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initialising a cluster in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" --username=postgres --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --no-sync >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
    log "could not start PostgreSQL (is port $PORT taken? set PTK_PG_PORT); the end of $DIR/server.log:"
    tail -n 20 "$DIR/server.log" >&2 || true
    exit 1
  }
fi

psql_admin() { as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
else
  psql_admin -c "ALTER ROLE $ROLE PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

printf 'PGHOST=127.0.0.1\nPGPORT=%s\nPGUSER=%s\nPGPASSWORD=%s\nPGDATABASE=%s\n' "$PORT" "$ROLE" "$PASSWORD" "$DATABASE"
