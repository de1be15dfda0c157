# Sourced by bench/http.sh and bench/http_link.sh: prints a markdown table of 1,000 coal
# mines as GeoJSON and as GML (WFS) with and without Accept-Encoding: gzip: bytes, and
# wrk's requests/s (-t2 -c8, DURATION seconds a run, plain and gzip alternated twice).
#   compression_table http://host:port
compression_table() {
  local base="$1" name path plain zipped p1 g1 p2 g2
  rps() { wrk -t2 -c8 -d"${DURATION}s" --timeout 30s "$@" 2>&1 | awk '/Requests\/sec/ {print $2}'; }
  printf '| answer | bytes plain | bytes gzip | fewer bytes | req/s plain | req/s gzip | throughput change |\n'
  printf '|---|---|---|---|---|---|---|\n'
  for name in geojson gml; do
    case $name in
      geojson) path="/collections/coal_mines/items?limit=1000" ;;
      gml) path="/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=amis:coal_mines&COUNT=1000" ;;
    esac
    plain=$(curl -s -H 'Accept-Encoding: identity' "$base$path" | wc -c)
    zipped=$(curl -s -H 'Accept-Encoding: gzip' "$base$path" | wc -c)
    p1=$(rps "$base$path"); g1=$(rps -H 'Accept-Encoding: gzip' "$base$path")
    p2=$(rps "$base$path"); g2=$(rps -H 'Accept-Encoding: gzip' "$base$path")
    awk -v n="$name" -v p="$plain" -v z="$zipped" -v p1="$p1" -v p2="$p2" -v g1="$g1" -v g2="$g2" 'BEGIN {
      pr=(p1+p2)/2; gr=(g1+g2)/2;
      printf "| %s | %d | %d | %.1fx | %.1f | %.1f | %+.0f%% |\n", n, p, z, p/z, pr, gr, (gr/pr-1)*100 }'
  done
}
