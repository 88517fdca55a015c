#!/usr/bin/env bash
# A throwaway PostgreSQL server for the SQL engine's differential tests:
# Debian's PostgreSQL, run as a user that is not root, listening on
# 127.0.0.1 only, its data in a temporary folder.
#
#   scripts/test-postgres.sh start       installs PostgreSQL if needed, starts it on a free port, prints the connection URL
#   scripts/test-postgres.sh stop URL   stops the server at that URL and removes its data
#
# The tests read the URL from AUDIT_TEST_POSTGRES.
set -euo pipefail

OWNER="audit-test-pg"
data_for() { echo "${TMPDIR:-/tmp}/audit-test-postgres-$1"; }

as_root=""
[ "$(id -u)" = 0 ] || as_root="sudo"

bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

# Runs a command as the owner of the data folder: PostgreSQL refuses to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su "$OWNER" -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    PORT="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
    DATA="$(data_for "$PORT")"
    if [ -z "$(bindir)" ]; then
      $as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq postgresql >/dev/null
    fi
    BIN="$(bindir)"
    if [ "$(id -u)" = 0 ] && ! id "$OWNER" >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
    fi
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown "$OWNER" "$DATA"
    as_owner "$BIN/initdb" -D "$DATA/db" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c fsync=off" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    PORT="$(echo "${2:-}" | sed -n 's#.*:\([0-9][0-9]*\)/.*#\1#p')"
    [ -n "$PORT" ] || { echo "usage: $0 stop URL" >&2; exit 2; }
    DATA="$(data_for "$PORT")"
    BIN="$(bindir || true)"
    if [ -n "$BIN" ] && [ -d "$DATA/db" ]; then
      as_owner "$BIN/pg_ctl" -D "$DATA/db" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$DATA"
    ;;
  *)
    echo "usage: $0 start | stop URL" >&2
    exit 2
    ;;
esac
