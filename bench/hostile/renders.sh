#!/usr/bin/env bash
# Hostile map requests against a running AMIS on the demo store (with the geoid raster):
# N concurrent 4096 x 4096 GetMaps of the four demo layers repeated 8 times (32 layers)
# whose clients give up after CLIENT_S seconds, then the absurd raster boxes. Prints the
# answers, the server's CPU seconds and peak RSS (/proc/PID), and how long the server
# kept working after its clients had left. Not a test: it asserts nothing.
#
#   bench/hostile/renders.sh http://127.0.0.1:8080 PID [N=16] [CLIENT_S=10]
set -euo pipefail
B=$1 PID=$2 N=${3:-16} CLIENT_S=${4:-10}
stat() {  # cpu seconds and peak/current RSS of the server
  local f; read -r -a f < /proc/"$PID"/stat
  echo "cpu $(( (f[13] + f[14]) / $(getconf CLK_TCK) )) s, $(grep -E 'VmHWM|VmRSS' /proc/"$PID"/status | tr -s ' \n\t' ' ')"
}
L=$(printf 'countries,coal_mines,coal_mine_boundaries,mine_facilities,%.0s' 1 2 3 4 5 6 7 8)
U="$B/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=${L%,}&STYLES=&CRS=EPSG:3857&BBOX=10000000,-1300000,16700000,7300000&WIDTH=4096&HEIGHT=4096&FORMAT=image/png"
echo "before: $(stat)"
t0=$(date +%s.%N)
for _ in $(seq "$N"); do curl -s -m "$CLIENT_S" -o /dev/null -w "%{http_code} " "$U" & done
wait; echo
t1=$(date +%s.%N)
echo "clients done after $(echo "$t1 - $t0" | bc) s: $(stat)"
prev=""
while true; do c=$(stat | cut -d, -f1); [ "$c" == "$prev" ] && break; prev=$c; sleep 1; done
echo "server idle $(echo "$(date +%s.%N) - $t1" | bc) s after the clients (1 s resolution): $(stat)"
for box in 0,0,1e15,1e15 0,0,1e20,1e20; do
  curl -s -m 20 -o /dev/null -w "geoid EPSG:3857 BBOX=$box: %{http_code} in %{time_total} s\n" \
    "$B/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=geoid&STYLES=&CRS=EPSG:3857&BBOX=$box&WIDTH=16&HEIGHT=16&FORMAT=image/png" || true
done
echo "after: $(stat)"
