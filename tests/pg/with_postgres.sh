#!/usr/bin/env bash
# Runs a command with a private PostgreSQL 15 + PostGIS cluster of its own:
#   tests/pg/with_postgres.sh COMMAND [ARGS...]
# initdb in a temporary folder, the server on a free loopback port and a unix
# socket in that folder, a database amis_test with PostGIS; exports
#   AMIS_TEST_PG_URL      postgresql://postgres@/amis_test?host=DIR&port=PORT (socket, trust)
#   AMIS_TEST_PG_TCP_URL  postgresql://amis:amis-test@127.0.0.1:PORT/amis_test (password)
# runs the command and stops the server and removes the folder, whatever happens.
# PostgreSQL refuses to run as root: as root, the server runs as `postgres`.
# Exits 77 (ctest: skipped) when PostgreSQL 15 is not installed.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
if [[ ! -x $bin/initdb ]]; then
  echo "with_postgres.sh: PostgreSQL 15 is not installed (apt-get install postgresql-15 postgresql-15-postgis-3)" >&2
  exit 77
fi

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d /tmp/amis-pg.XXXXXX)
chmod 755 "$dir"
[[ $(id -u) == 0 ]] && chown postgres: "$dir"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# Local connections trust; TCP needs a password (to test a wrong one).
cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 scram-sha-256
HBA
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

psql=(as_postgres /usr/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE amis_test" -c "CREATE ROLE amis LOGIN SUPERUSER PASSWORD 'amis-test'"
"${psql[@]}" -d amis_test -c "CREATE EXTENSION postgis"

export AMIS_TEST_PG_URL="postgresql://postgres@/amis_test?host=$dir&port=$port"
export AMIS_TEST_PG_TCP_URL="postgresql://amis:amis-test@127.0.0.1:$port/amis_test"
export AMIS_TEST_PG_DIR="$dir"
"$@"
