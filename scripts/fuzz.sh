#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan); replays through each the inputs that
# once crashed it (fuzz/regressions/<target>/, every file run once), then runs it for
# SECONDS (default 20) from its seed corpus (fuzz/corpus/<target>, or the CQL2 examples).
# Fails on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-20}"
scripts/build.sh fuzz
for target in items_request_fuzz datetime_fuzz geometry_fuzz cql2_text_fuzz cql2_json_fuzz wfs_request_fuzz sld_fuzz \
              feature_input_fuzz wfs_transaction_fuzz zip_archive_fuzz wms_params_fuzz http_head_fuzz \
              records_request_fuzz usage_request_fuzz; do
  case "$target" in  # the CQL2 standard's examples are the seeds of its parsers
    cql2_text_fuzz) corpus=tests/data/cql2/text ;;
    cql2_json_fuzz) corpus=tests/data/cql2/json ;;
    *) corpus="fuzz/corpus/${target%_fuzz}" ;;
  esac
  regressions="fuzz/regressions/${target%_fuzz}"
  if [ -d "$regressions" ]; then
    mapfile -t inputs < <(find "$regressions" -type f | sort)
    if [ "${#inputs[@]}" -gt 0 ]; then
      echo "== $target: ${#inputs[@]} regression input(s) from $regressions"
      log="build/fuzz/$target-regressions.log"
      status=0
      "build/fuzz/fuzz/$target" -artifact_prefix="build/fuzz/$target-regression-" "${inputs[@]}" >"$log" 2>&1 || status=$?
      if [ "$status" -ne 0 ]; then tail -40 "$log"; echo "$target crashed on a regression input"; exit "$status"; fi
    fi
  fi
  work="build/fuzz/corpus/${target%_fuzz}"
  mkdir -p "$work"
  echo "== $target (${SECONDS_EACH}s)"
  log="build/fuzz/$target.log"
  status=0
  "build/fuzz/fuzz/$target" -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/$target-" "$work" "$corpus" >"$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' "$log" || true
  if [ "$status" -ne 0 ]; then tail -40 "$log"; exit "$status"; fi
done
