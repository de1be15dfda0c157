#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan); replays through each the inputs that
# once crashed it (fuzz/regressions/<target>/, every file run once), then runs it for
# SECONDS (default 20) from its seed corpus (fuzz/corpus/<target>, or the CQL2 examples).
# Every fuzz/*_fuzz.cpp is a target; they run side by side, one per core. Fails on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-20}"
scripts/build.sh fuzz

run_target() {
  local target="$1" seconds="$2" corpus regressions work log status=0
  case "$target" in  # the CQL2 standard's examples are the seeds of its parsers
    cql2_text_fuzz) corpus=tests/data/cql2/text ;;
    cql2_json_fuzz) corpus=tests/data/cql2/json ;;
    *) corpus="fuzz/corpus/${target%_fuzz}" ;;
  esac
  mkdir -p "$corpus"
  regressions="fuzz/regressions/${target%_fuzz}"
  if [ -d "$regressions" ]; then
    mapfile -t inputs < <(find "$regressions" -type f | sort)
    if [ "${#inputs[@]}" -gt 0 ]; then
      log="build/fuzz/$target-regressions.log"
      "build/fuzz/fuzz/$target" -artifact_prefix="build/fuzz/$target-regression-" "${inputs[@]}" >"$log" 2>&1 || status=$?
      if [ "$status" -ne 0 ]; then tail -40 "$log"; echo "$target crashed on a regression input from $regressions"; return 1; fi
    fi
  fi
  work="build/fuzz/corpus/${target%_fuzz}"
  mkdir -p "$work"
  log="build/fuzz/$target.log"
  # More seeds (fuzz/corpus/<target> beside the CQL2 examples) and a dictionary of the
  # grammar's words (fuzz/<target>.dict), where there are.
  local extra=() dict=()
  if [ "$corpus" != "fuzz/corpus/${target%_fuzz}" ] && [ -d "fuzz/corpus/${target%_fuzz}" ]; then extra=("fuzz/corpus/${target%_fuzz}"); fi
  if [ -f "fuzz/${target%_fuzz}.dict" ]; then dict=(-dict="fuzz/${target%_fuzz}.dict"); fi
  "build/fuzz/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="build/fuzz/$target-" "$work" "$corpus" "${extra[@]}" >"$log" 2>&1 || status=$?
  echo "== $target (${seconds}s): $(grep -E '^stat::number_of_executed_units' "$log" || echo 'no stats')"
  if [ "$status" -ne 0 ]; then tail -40 "$log"; echo "$target crashed"; return 1; fi
}
export -f run_target

targets=$(cd fuzz && ls ./*_fuzz.cpp | sed 's|^\./||; s|\.cpp$||')
echo "$targets" | xargs -P "$(nproc)" -I{} bash -c 'run_target "$@"' _ {} "$SECONDS_EACH"
