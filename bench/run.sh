#!/usr/bin/env bash
# AMIS benchmark: load cases, big export and a flat-memory check, side by side with
# the peer servers (MapServer 8, QGIS Server 3.22) when ../shared/peers exists.
#
#   bench/run.sh                      # from anywhere; builds nothing
#
# env:
#   AMIS_BIN=build/release/bin/amis  the server binary (relative: to the repo root)
#   DURATION=15 ROUNDS=3             wrk seconds per case and run, interleaved rounds (medians)
#   CONNS=8 THREADS=2                wrk -c / -t
#   CASES="oapif_bbox_1k oapif_page_10k oapif_item"   cases to load (names of bench/amis/peer.conf
#                                    or bench/amis/cql2.conf; a cql2.conf case means AMIS alone)
#   WFS=1                            the WFS cases of bench/amis/wfs.conf (GetFeature GeoJSON and GML
#                                    for 1000 features in a box) against the peers' WFS, and the big
#                                    export through WFS (GeoJSON vs the peers; GML for AMIS alone);
#                                    CASES="wms_tile_points wms_tile_both" for WMS GetMap (same file)
#   CQL2=1                           the CQL2 filter and crs cases of bench/amis/cql2.conf against the
#                                    plain oapif_bbox_1k of the same run, AMIS alone: sets PEERS=0 and
#                                    CASES="oapif_bbox_1k <the cql2.conf cases>", BIG_RUNS=0 FLATMEM=0
#   LAT_N=32                         sequential single requests per case after the load (wall and
#                                    server CPU ms per request); default 32 with cql2 cases, else 0
#   FLATMEM=1                        0: skip the flat-memory check
#   BIG_RUNS=$ROUNDS                 runs of the big export per server
#   PEERS=auto|0                     0: AMIS alone even when ../shared/peers exists
#   PORT=8083                        AMIS port (loopback only)
#   QUIET_MAX=5                      s to wait for an idle machine before each wrk run
#   FORCE_IMPORT=1                   re-import the store even when it is up to date
#   KEEP_RUNNING=1                   leave AMIS (and the peers this script started) running
#   ACCESS_LOG=/dev/null             where amis' access log (stdout) goes
#
# Files: /tmp/amis-bench/ (store.gpkg, amis.pid, amis.toml, logs, results/).
# With peers: data /tmp/peers/minerals.gpkg (peers/make_data.sh) and cases /tmp/peers/cases, so
# all servers serve the identical file; without: /tmp/amis-bench/minerals.gpkg (bench/make_data.py).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
PY=/usr/bin/python3
LIB="$BENCH/lib/benchlib.py"
WORK=/tmp/amis-bench
STORE="$WORK/store.gpkg"
PIDFILE="$WORK/amis.pid"
PORT="${PORT:-8083}"
BASE="http://127.0.0.1:$PORT"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-8}"
THREADS="${THREADS:-2}"
QUIET_MAX="${QUIET_MAX:-5}"
AMIS_CONF="$BENCH/amis/peer.conf"
CQL2_CONF="$BENCH/amis/cql2.conf"
CQL2_CASES="$(awk '$1 == "case" {printf "%s ", $2}' "$CQL2_CONF")"
if [ "${CQL2:-0}" = 1 ]; then
  CASES="${CASES:-oapif_bbox_1k $CQL2_CASES}"
  PEERS=0
  BIG_RUNS="${BIG_RUNS:-0}"
  FLATMEM="${FLATMEM:-0}"
fi
if [ "${WFS:-0}" = 1 ]; then
  AMIS_CONF="$BENCH/amis/wfs.conf"
  CASES="${CASES:-wfs_bbox_1k_json wfs_bbox_1k_gml}"
fi
CASES="${CASES:-oapif_bbox_1k oapif_page_10k oapif_item}"
BIG_RUNS="${BIG_RUNS:-$ROUNDS}"
FLATMEM="${FLATMEM:-1}"
# the cql2.conf cases asked for (AMIS only: MapServer 8.0 and QGIS 3.22 have no CQL2 on OAPIF)
WANT_CQL2=""
for c in $CASES; do grep -qw -- "$c" <<< "$CQL2_CASES" && WANT_CQL2="$WANT_CQL2 $c"; done
LAT_N="${LAT_N:-$([ -n "$WANT_CQL2" ] && echo 32 || echo 0)}"
PEERS_DIR="$(cd "$ROOT/.." && pwd)/shared/peers"

AMIS_BIN="${AMIS_BIN:-build/release/bin/amis}"
case "$AMIS_BIN" in /*) ;; *) [ -e "$AMIS_BIN" ] && AMIS_BIN="$(pwd)/$AMIS_BIN" || AMIS_BIN="$ROOT/$AMIS_BIN" ;; esac
[ -x "$AMIS_BIN" ] || { echo "run.sh: no amis binary at $AMIS_BIN (build it first, e.g. cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
[ -x "$PY" ] || { echo "run.sh: needs Debian's /usr/bin/python3 with python3-gdal" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "run.sh: curl is not installed" >&2; exit 2; }

USE_PEERS=0
if [ "${PEERS:-auto}" != 0 ] && [ -x "$PEERS_DIR/compare.sh" ]; then USE_PEERS=1; fi
if [ -n "$WANT_CQL2" ] && [ "$USE_PEERS" = 1 ]; then
  echo "run.sh: cases of bench/amis/cql2.conf ($WANT_CQL2 ) are AMIS-only: running without the peers" >&2
  USE_PEERS=0
fi

mkdir -p "$WORK/results"
STAMP=$(date +%Y%m%d-%H%M%S)
LOG="$WORK/results/run-$STAMP.log"
: > "$LOG"
say() { echo "$*" | tee -a "$LOG"; }

# ---------------------------------------------------------------- cleanup
STARTED_PEERS=()
cleanup() {
  [ "${KEEP_RUNNING:-0}" = 1 ] && return
  stop_amis
  for p in "${STARTED_PEERS[@]}"; do "$PEERS_DIR/$p/stop.sh" >/dev/null 2>&1 || true; done
  return 0
}
pid_alive() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
stop_amis() {
  [ -s "$PIDFILE" ] || return 0
  local pid; pid=$(cat "$PIDFILE")
  if pid_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "serve"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDFILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- a quiet machine
cpu_snap() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }
# wait (up to $1 s) until the whole machine is <= 10 % busy; prints yes/no
quiet_wait() {
  local max="$1" a b i0 i1 t waited=0
  while :; do
    read -r a i0 <<< "$(cpu_snap)"; sleep 1; read -r b i1 <<< "$(cpu_snap)"
    t=$(( (b - a) + (i1 - i0) )); [ "$t" -gt 0 ] || t=1
    [ $(( 100 * (b - a) / t )) -le 10 ] && { echo yes; return; }
    waited=$((waited + 1)); [ "$waited" -ge "$max" ] && { echo no; return; }
  done
}
building() { ps -eo comm= | grep -qxE 'cc1plus|cc1|clang|clang\+\+|clang-[0-9]+|ninja|make|ld|collect2'; }
if building; then
  say "# a compile is running: waiting for it to finish (up to ${WAIT_BUILD_MAX:-1200} s)"
  for _ in $(seq 1 "${WAIT_BUILD_MAX:-1200}"); do building || break; sleep 1; done
  if building; then say "# WARNING: the compile is still running; the numbers will be noisy"; fi
fi

# ---------------------------------------------------------------- data and cases
if [ "$USE_PEERS" = 1 ]; then
  GPKG=/tmp/peers/minerals.gpkg
  CASES_DIR=/tmp/peers/cases
  [ -s "$GPKG" ] || "$PEERS_DIR/make_data.sh" | tee -a "$LOG"
  if [ ! -s "$CASES_DIR/ids.txt" ] || [ "$GPKG" -nt "$CASES_DIR/ids.txt" ]; then
    "$PY" "$PEERS_DIR/make_cases.py" "$GPKG" "$CASES_DIR" | tee -a "$LOG"
  fi
else
  GPKG="$WORK/minerals.gpkg"
  CASES_DIR="$WORK/cases"
  [ -s "$GPKG" ] || "$PY" "$BENCH/make_data.py" "$GPKG" "${N_POINTS:-200000}" "${N_POLYGONS:-20000}" | tee -a "$LOG"
  if [ ! -s "$CASES_DIR/ids.txt" ] || [ "$GPKG" -nt "$CASES_DIR/ids.txt" ]; then
    "$PY" "$LIB" cases "$GPKG" "$CASES_DIR" | tee -a "$LOG"
  fi
fi

# ---------------------------------------------------------------- store (import only if stale)
stamp="src=$GPKG $(stat -c '%s %Y' "$GPKG") bin=$(stat -c '%s %Y' "$AMIS_BIN")"
have=""
[ -s "$STORE" ] && have=$("$AMIS_BIN" collections --store "$STORE" 2>/dev/null || true)
if [ "${FORCE_IMPORT:-0}" = 1 ] || [ ! -s "$STORE" ] || [ "$(cat "$WORK/store.stamp" 2>/dev/null)" != "$stamp" ] \
   || ! grep -qw occurrences <<< "$have" || ! grep -qw licences <<< "$have"; then
  stop_amis
  say "# importing $GPKG into $STORE"
  rm -f "$STORE.tmp" "$STORE.tmp-wal" "$STORE.tmp-shm"
  t0=$(date +%s.%N)
  "$AMIS_BIN" import "$GPKG" --collection occurrences --layer occurrences --datetime updated \
    --title "Mineral occurrences (synthetic)" --store "$STORE.tmp" 2>&1 | tee -a "$LOG"
  "$AMIS_BIN" import "$GPKG" --collection licences --layer licences \
    --title "Mining licences (synthetic)" --store "$STORE.tmp" 2>&1 | tee -a "$LOG"
  rm -f "$STORE" "$STORE-wal" "$STORE-shm"
  mv "$STORE.tmp" "$STORE"
  for s in wal shm; do if [ -e "$STORE.tmp-$s" ]; then mv "$STORE.tmp-$s" "$STORE-$s"; fi; done
  echo "$stamp" > "$WORK/store.stamp"
  say "# import took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
fi

# ---------------------------------------------------------------- start amis
cat > "$WORK/amis.toml" <<EOF
# written by bench/run.sh
[server]
host = "127.0.0.1"
log_level = "warn"

[features]
max_limit = 1000000
EOF
stop_amis
if curl -s -o /dev/null "$BASE/" 2>/dev/null; then
  echo "run.sh: something else already listens on $BASE; stop it or set PORT" >&2; exit 2
fi
"$AMIS_BIN" serve --config "$WORK/amis.toml" --store "$STORE" --port "$PORT" \
  > "${ACCESS_LOG:-/dev/null}" 2> "$WORK/amis.stderr" &
echo $! > "$PIDFILE"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BASE/collections?f=json" 2>/dev/null && break
  pid_alive "$(cat "$PIDFILE")" || { echo "run.sh: amis exited; see $WORK/amis.stderr" >&2; cat "$WORK/amis.stderr" >&2; exit 1; }
  sleep 0.1
done
curl -fsS -o /dev/null "$BASE/collections?f=json" || { echo "run.sh: amis does not answer on $BASE" >&2; exit 1; }
AMIS_PID=$(cat "$PIDFILE")

say "# AMIS bench $STAMP: $(nproc) cpus, DURATION=$DURATION ROUNDS=$ROUNDS wrk -t$THREADS -c$CONNS, cases: $CASES"
say "# amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -d. -f1), sha256 $(sha256sum "$AMIS_BIN" | cut -c1-12)), git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty'), pid $AMIS_PID on $BASE"
say "# data: $GPKG ($(stat -c %s "$GPKG") bytes), store $STORE, cases $CASES_DIR; peers: $([ "$USE_PEERS" = 1 ] && echo "$PEERS_DIR" || echo none)"

# ---------------------------------------------------------------- pre-flight
PREFLIGHT_OK=1
if ! "$PY" "$LIB" preflight "$BASE" "$GPKG" "$CASES_DIR" 2>&1 | tee -a "$LOG"; then PREFLIGHT_OK=0; fi
if [ -n "$WANT_CQL2" ]; then
  # every request of the CQL2 / crs cases against numpy, sqlite3 on $GPKG, OGR and OSR
  # shellcheck disable=SC2086
  if ! "$PY" "$LIB" preflight-cql2 "$BASE" "$GPKG" "$CASES_DIR" "$CQL2_CONF" $WANT_CQL2 2>&1 | tee -a "$LOG"; then
    PREFLIGHT_OK=0
  fi
fi

# ---------------------------------------------------------------- big export / flat memory (AMIS)
kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# export PATH_QUERY TAG: one GET, peak RSS of the amis process during it
measure_export() {
  local q="$1" tag="$2" out="$WORK/export.json" before res code total ttfb bytes nfeat hwm anon sampler
  before=$(kb "$AMIS_PID" VmRSS)
  echo 5 > "/proc/$AMIS_PID/clear_refs" 2>/dev/null || { echo "cannot reset VmHWM (needs root)" >&2; }
  rm -f "$out" "$out.anon"
  ( max=0; while :; do a=$(kb "$AMIS_PID" RssAnon); [ "${a:-0}" -gt "$max" ] && max=$a && echo "$max" > "$out.anon"; sleep 0.02; done ) &
  sampler=$!
  res=$(curl -sS -o "$out" -w '%{http_code} %{time_total} %{time_starttransfer} %{size_download}' "$BASE$q" || echo "000 0 0 0")
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  read -r code total ttfb bytes <<< "$res"
  hwm=$(kb "$AMIS_PID" VmHWM); anon=$(cat "$out.anon" 2>/dev/null || echo 0)
  nfeat=$("$PY" -c 'import json,sys
try: print(len(json.load(open(sys.argv[1],"rb")).get("features",[])))
except Exception as e: print("unparsable")' "$out")
  rm -f "$out" "$out.anon"
  echo "$tag http=$code seconds=$total ttfb_s=$ttfb bytes=$bytes MBps=$(awk -v b="$bytes" -v t="$total" 'BEGIN{printf "%.1f", (t > 0 ? b / t / 1e6 : 0)}') features=$nfeat rss_before_MB=$((before / 1024)) peak_rss_MB=$((hwm / 1024)) peak_anon_MB=$((anon / 1024))"
}

# ---------------------------------------------------------------- load
if [ "$USE_PEERS" = 1 ]; then
  SPECS=("$BASE=$AMIS_CONF")
  for p in mapserver qgis; do
    port=8081; [ "$p" = qgis ] && port=8082
    if [ -s "/tmp/peers/run/$p/nginx.pid" ] && pid_alive "$(cat "/tmp/peers/run/$p/nginx.pid")"; then
      say "# $p peer already running (not started, not stopped by this script)"
    else
      STARTED_PEERS+=("$p")
      out=$("$PEERS_DIR/$p/start.sh" 2>&1) || { echo "$out" >&2; echo "run.sh: $p peer did not start" >&2; exit 1; }
      say "$(grep -m1 ' peer up on ' <<< "$out")"
    fi
    SPECS+=("http://127.0.0.1:$port=$PEERS_DIR/$p/peer.conf")
  done
  say "# load: $PEERS_DIR/compare.sh (interleaved rounds), ONLY=\"$CASES\""
  ONLY="$CASES" ROUNDS="$ROUNDS" DURATION="$DURATION" CONNS="$CONNS" THREADS="$THREADS" QUIET_MAX="$QUIET_MAX" \
    "$PEERS_DIR/compare.sh" "${SPECS[@]}" 2>&1 | tee -a "$LOG"
  say "# big export: $PEERS_DIR/bigexport.sh, RUNS=$BIG_RUNS"
  for spec in "${SPECS[@]}"; do
    quiet_wait "$QUIET_MAX" > /dev/null
    RUNS="$BIG_RUNS" "$PEERS_DIR/bigexport.sh" "${spec%%=*}" "${spec#*=}" 2>&1 | tee -a "$LOG"
  done
else
  WORKDIR="$WORK/bench"
  read -r -a CASE_LIST <<< "$("$PY" "$LIB" expand "$AMIS_CONF" "$CASES_DIR" "$WORKDIR" "$CQL2_CONF")"
  TSV="$WORK/results/amis-$STAMP.tsv"
  server_ticks() { awk '{print $14 + $15}' "/proc/$AMIS_PID/stat"; }
  say "# load: wrk -t$THREADS -c$CONNS -d${DURATION}s with bench/lib/rotate.lua, AMIS only"
  for r in $(seq 1 "$ROUNDS"); do
    for c in "${CASE_LIST[@]}"; do
      grep -qw -- "$c" <<< "$CASES" || continue
      quiet=$(quiet_wait "$QUIET_MAX")
      read -r b0 i0 <<< "$(cpu_snap)"; s0=$(server_ticks)
      line=$(WRK_URLS="$WORKDIR/$c.urls" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s \
               -s "$BENCH/lib/rotate.lua" "$BASE" 2>&1 | grep '^WRKRESULT' || true)
      read -r b1 i1 <<< "$(cpu_snap)"; s1=$(server_ticks)
      tot=$(( (b1 - b0) + (i1 - i0) )); [ "$tot" -gt 0 ] || tot=1
      [ -n "$line" ] || { say "  round=$r $c: wrk gave no result"; continue; }
      line="${line#WRKRESULT } cpu_busy=$(( 100 * (b1 - b0) / tot )) server_cpu=$(( 100 * (s1 - s0) / tot )) quiet_before=$quiet"
      echo "$r $c $line" >> "$TSV"
      say "  round=$r $c $(tr ' ' '\n' <<< "$line" | grep -E '^(rps|p50_ms|p99_ms|MBps|err_status|err_timeout|cpu_busy|server_cpu|quiet_before)=' | tr '\n' ' ')"
    done
  done
  say "## medians over $ROUNDS rounds"
  "$PY" "$LIB" median "$TSV" amis | tee -a "$LOG"
  if [ "$LAT_N" -gt 0 ]; then
    # one request at a time (no concurrency): latency and server CPU per request
    LAT_CASES=()
    for c in "${CASE_LIST[@]}"; do grep -qw -- "$c" <<< "$CASES" && LAT_CASES+=("$c"); done
    say "# single requests: $LAT_N sequential GETs per case (one keep-alive connection each; the cases take turns in 4 blocks)"
    quiet_wait "$QUIET_MAX" > /dev/null
    "$PY" "$LIB" latency "$BASE" "$WORKDIR" "$AMIS_PID" "$LAT_N" "${LAT_CASES[@]}" 2>&1 | tee -a "$LOG"
  fi
  BIGQ="$("$PY" "$LIB" get "$AMIS_CONF" bigexport)"
  [ "$BIG_RUNS" -gt 0 ] && say "# big export: $BIGQ"
  for r in $(seq 1 "$BIG_RUNS"); do
    quiet_wait "$QUIET_MAX" > /dev/null
    measure_export "$BIGQ" "amis bigexport run=$r" | sed 's/rss_before_MB/server_rss_before_MB/; s/ peak_rss_MB/ server_peak_rss_MB/' | tee -a "$LOG"
  done
fi

# WFS: the whole collection as GML 3.2 (AMIS alone: the peers' bigexport is GeoJSON)
if [ "${WFS:-0}" = 1 ]; then
  GMLQ="$("$PY" "$LIB" get "$AMIS_CONF" bigexport_gml)"
  say "# big export as GML: $GMLQ"
  for r in $(seq 1 "$BIG_RUNS"); do
    quiet_wait "$QUIET_MAX" > /dev/null
    measure_export "$GMLQ" "amis bigexport_gml run=$r" | sed 's/ features=unparsable//' | tee -a "$LOG"
  done
fi

# flat memory: peak RSS while streaming 20k vs 200k features (same store, two limits)
if [ "$FLATMEM" != 0 ]; then
  say "# flat-memory check: peak RSS of amis during a 20000- and a 200000-feature export"
  for lim in 20000 200000; do
    quiet_wait "$QUIET_MAX" > /dev/null
    measure_export "/collections/occurrences/items?f=json&limit=$lim" "FLATMEM limit=$lim" | tee -a "$LOG"
  done
fi
say "# amis after the run: VmRSS $(( $(kb "$AMIS_PID" VmRSS) / 1024 )) MB, threads $(kb "$AMIS_PID" Threads), stderr: $(wc -l < "$WORK/amis.stderr") lines"

# ---------------------------------------------------------------- summary
SUMMARY="$WORK/results/summary-$STAMP.md"
{
  echo "AMIS bench $STAMP ($(nproc) cpus; wrk -t$THREADS -c$CONNS -d${DURATION}s; medians of $ROUNDS round(s))"
  [ "$PREFLIGHT_OK" = 1 ] && echo "pre-flight: all AMIS checks passed" || echo "pre-flight: AMIS FAILED checks (see FAIL lines in $LOG)"
  echo
  "$PY" "$LIB" summary "$LOG"
} > "$SUMMARY"
echo
echo "================================================================ summary ($SUMMARY, log $LOG)"
cat "$SUMMARY"
