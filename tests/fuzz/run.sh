#!/usr/bin/env bash
# run.sh FUZZ_BUILD_DIR [SECONDS] [HARNESS...]: runs each libFuzzer harness (default: every
# fuzz_* binary of FUZZ_BUILD_DIR/tests/fuzz) for SECONDS (default 60), one after the other,
# seeded from the repository's own files and the harness's regression inputs, with a corpus kept in
# FUZZ_BUILD_DIR/fuzz-work/corpus/<harness> between runs. Prints, per harness, how long it ran,
# how many inputs it executed and what it found; exits 1 when any harness found a crash, a leak,
# a timeout or an out-of-memory (the reproducer is in FUZZ_BUILD_DIR/fuzz-work/artifacts/<harness>/:
# copy it to tests/fuzz/regressions/<harness>/ so `make test` replays it, then fix the bug).
set -u
dir=$(cd "$1" && pwd)
secs=${2:-60}
shift $(($# >= 2 ? 2 : $#))
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$dir/fuzz-work
mkdir -p "$work"
if [ $# -gt 0 ]; then
  harnesses=()
  for h in "$@"; do harnesses+=("$dir/tests/fuzz/$h"); done
else
  harnesses=("$dir"/tests/fuzz/fuzz_*)
fi

# Seeds: flat copies of the repository's files of the harness's kind.
seed() {
  local name=$1 out=$work/seeds/$name
  rm -rf "$out"
  mkdir -p "$out"
  local i=0
  case $name in
    fuzz_yaml | fuzz_compose | fuzz_json)
      find "$root/tests/golden" "$root/tests/bad-input" "$root/examples" \
        \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -print0 ;;
    fuzz_policy)
      find "$root/stdlib-policies" "$root/examples" "$root/tests/golden" "$root/tests/bad-input" \
        -name '*.policy' -size -64k -print0 ;;
    fuzz_expr)
      find "$root/tests/golden/eval" -name args -print0 ;;
    fuzz_cli)
      find "$root/tests/golden" "$root/tests/bad-input" -name '.capguard.yaml' -print0 ;;
  esac | while IFS= read -r -d '' f; do
    i=$((i + 1))
    cp "$f" "$out/$i"
  done
  if [ -d "$root/tests/fuzz/regressions/$name" ]; then
    cp "$root/tests/fuzz/regressions/$name"/* "$out/" 2>/dev/null
  fi
}

found_any=0
# corpus: files in the kept corpus before the run (seeds: the seed files given besides it) and after.
printf '%-14s %8s %12s %6s %8s %8s  %s\n' harness seconds executions seeds before after found
for h in "${harnesses[@]}"; do
  [ -x "$h" ] || continue
  name=$(basename "$h")
  seed "$name"
  corpus=$work/corpus/$name
  artifacts=$work/artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  before=$(ls "$corpus" | wc -l)
  seeds=$(ls "$work/seeds/$name" | wc -l)
  start=$(date +%s)
  "$h" "$corpus" "$work/seeds/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$work/$name.log" 2>&1
  status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -1)
  size=$(ls "$corpus" | wc -l)
  found=$(ls "$artifacts" | tr '\n' ' ')
  if [ "$status" != 0 ] || [ -n "$found" ]; then
    found_any=1
    [ -n "$found" ] || found="exit status $status (see $work/$name.log)"
  else
    found=nothing
  fi
  printf '%-14s %8s %12s %6s %8s %8s  %s\n' "$name" "$elapsed" "${execs:-?}" "$seeds" "$before" \
    "$size" "$found"
done
[ $found_any = 0 ]
