#!/usr/bin/env bash
# Scale-out on one machine (README "Scale-out", docs/scale-out.md): a PostgreSQL 15 +
# PostGIS primary and a streaming replica in a private directory, three stateless
# `amis` nodes reading from the replica and writing to the primary, and HAProxy in
# front; loads the demo once and prints the URL.
#   scripts/cluster.sh [start]     start what is not running (idempotent)
#   scripts/cluster.sh stop        stop exactly what start started
#   scripts/cluster.sh status      what runs, and each node's /health
# Settings: AMIS_CLUSTER_DIR (default data/cluster), PORT (HAProxy, default 8088),
# NODE_PORTS ("8081 8082 8083"), PRIMARY_PORT (55432), REPLICA_PORT (55433), AMIS_BIN.
# PostgreSQL refuses to run as root: as root it runs as the `postgres` user (runuser).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$(realpath -m "${AMIS_CLUSTER_DIR:-data/cluster}")
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-55432}
REPLICA_PORT=${REPLICA_PORT:-55433}
FRONT_PORT=${PORT:-8088}
read -r -a NODE_PORTS <<<"${NODE_PORTS:-8081 8082 8083}"
AMIS=$(realpath -m "${AMIS_BIN:-build/release/bin/amis}")
RUN=$DIR/run  # the databases' unix sockets
PRIMARY_URL="postgresql:///amis?host=$RUN&port=$PRIMARY_PORT&user=postgres"
REPLICA_URL="postgresql:///amis?host=$RUN&port=$REPLICA_PORT&user=postgres"

if [ "$(id -u)" = 0 ]; then PG_USER=postgres; else PG_USER=$(id -un); fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
say() { echo "cluster: $*"; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_primary() {
  if [ ! -s "$DIR/primary/PG_VERSION" ]; then
    say "initdb primary"
    as_pg "$PG_BIN/initdb" -D "$DIR/primary" -U postgres -A trust --encoding UTF8 --locale C.UTF-8 >"$DIR/initdb.log"
    cat >>"$DIR/primary/postgresql.conf" <<EOF
# scripts/cluster.sh: unix sockets only, in $RUN; streaming replication
listen_addresses = ''
port = $PRIMARY_PORT
unix_socket_directories = '$RUN'
wal_level = replica
max_wal_senders = 8
wal_keep_size = 256MB
hot_standby = on
hot_standby_feedback = on
shared_buffers = 256MB
max_connections = 100
EOF
  fi
  if ! pg_running "$DIR/primary"; then
    say "start primary on $RUN port $PRIMARY_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
  fi
  if ! as_pg "$PG_BIN/psql" -h "$RUN" -p "$PRIMARY_PORT" -U postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'amis'" postgres | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h "$RUN" -p "$PRIMARY_PORT" -U postgres amis
  fi
  as_pg "$PG_BIN/psql" -h "$RUN" -p "$PRIMARY_PORT" -U postgres -qc "CREATE EXTENSION IF NOT EXISTS postgis" amis
}

start_replica() {
  if [ ! -s "$DIR/replica/PG_VERSION" ]; then
    say "base backup for the replica"
    as_pg "$PG_BIN/pg_basebackup" -h "$RUN" -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream -c fast
    echo "port = $REPLICA_PORT" | as_pg tee -a "$DIR/replica/postgresql.auto.conf" >/dev/null
  fi
  if ! pg_running "$DIR/replica"; then
    say "start replica on $RUN port $REPLICA_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
  fi
}

load_demo() {
  [ -e "$DIR/demo-loaded" ] && return
  say "load the demo into the primary"
  AMIS_BIN="$AMIS" scripts/load-demo.sh "$PRIMARY_URL" >"$DIR/load-demo.log"
  touch "$DIR/demo-loaded"
}

write_node_config() {  # port
  cat >"$DIR/amis-$1.toml" <<EOF
# scripts/cluster.sh: every node writes to the primary and reads from the replica;
# HAProxy on loopback is a trusted proxy by default (X-Forwarded-For).
[store]
url = "$PRIMARY_URL"
replicas = ["$REPLICA_URL"]
pool_size = 8

[server]
host = "127.0.0.1"
port = $1

[tiles]
cache_dir = "$DIR/tile-cache-$1"
EOF
}

start_nodes() {
  for port in "${NODE_PORTS[@]}"; do
    alive "$DIR/node-$port.pid" && continue
    write_node_config "$port"
    say "start amis node on port $port"
    nohup "$AMIS" serve --config "$DIR/amis-$port.toml" >"$DIR/node-$port.log" 2>&1 &
    echo $! >"$DIR/node-$port.pid"
  done
  for port in "${NODE_PORTS[@]}"; do
    for _ in $(seq 100); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port/health" && break
      alive "$DIR/node-$port.pid" || { tail -5 "$DIR/node-$port.log" >&2; say "node $port failed"; exit 1; }
      sleep 0.1
    done
  done
}

start_haproxy() {
  alive "$DIR/haproxy.pid" && return
  {
    cat <<EOF
global
  maxconn 20000
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  option forwardfor
  retries 2
  option redispatch
frontend amis
  bind 127.0.0.1:$FRONT_PORT
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
EOF
    for port in "${NODE_PORTS[@]}"; do
      echo "  server node-$port 127.0.0.1:$port check inter 1s fall 2 rise 1"
    done
  } >"$DIR/haproxy.cfg"
  say "start HAProxy on port $FRONT_PORT"
  haproxy -D -p "$DIR/haproxy.pid" -f "$DIR/haproxy.cfg"
}

stop_all() {
  if alive "$DIR/haproxy.pid"; then say "stop HAProxy"; kill "$(cat "$DIR/haproxy.pid")"; fi
  rm -f "$DIR/haproxy.pid"
  for pidfile in "$DIR"/node-*.pid; do
    [ -e "$pidfile" ] || continue
    if alive "$pidfile"; then
      say "stop $(basename "$pidfile" .pid)"
      kill "$(cat "$pidfile")"
      for _ in $(seq 50); do alive "$pidfile" || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
  for db in replica primary; do
    if [ -s "$DIR/$db/PG_VERSION" ] && pg_running "$DIR/$db"; then
      say "stop $db"
      as_pg "$PG_BIN/pg_ctl" -D "$DIR/$db" -m fast -w stop >/dev/null
    fi
  done
}

status() {
  for db in primary replica; do
    if [ -s "$DIR/$db/PG_VERSION" ] && pg_running "$DIR/$db"; then say "$db running"; else say "$db stopped"; fi
  done
  for port in "${NODE_PORTS[@]}"; do
    if alive "$DIR/node-$port.pid"; then
      say "node $port running: $(curl -sS "http://127.0.0.1:$port/health" || true)"
    else
      say "node $port stopped"
    fi
  done
  if alive "$DIR/haproxy.pid"; then say "HAProxy on http://127.0.0.1:$FRONT_PORT/"; else say "HAProxy stopped"; fi
}

case "${1:-start}" in
  start)
    [ -x "$AMIS" ] || { echo "cluster: no amis at $AMIS (scripts/build.sh release)" >&2; exit 1; }
    mkdir -p "$DIR" "$RUN"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$RUN" && chmod 0775 "$RUN" && chown postgres "$DIR"
    start_primary
    start_replica
    load_demo
    start_nodes
    start_haproxy
    say "AMIS on http://127.0.0.1:$FRONT_PORT/ (nodes ${NODE_PORTS[*]}, primary $PRIMARY_URL, replica $REPLICA_URL)"
    ;;
  stop) stop_all ;;
  status) status ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
