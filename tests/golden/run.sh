#!/usr/bin/env bash
# Golden-test runner: run.sh CAPGUARD AREA_DIR
#
# Each case is a folder AREA_DIR/<case>/ holding:
#   args        the arguments to capguard, one line, word-split by bash (run with the case folder
#               as the working directory, stdin from /dev/null, NO_COLOR=1)
#   stdout      the expected standard output (absent: must be empty)
#   stderr      the expected standard error  (absent: must be empty)
#   exit        the expected exit status     (absent: 0)
# plus whatever input files the arguments name. A case whose outputs differ fails and prints the
# difference. With UPDATE_GOLDEN=1 the expectations are rewritten from the actual outputs instead,
# to be reviewed in the diff before committing.
set -u
bin=$1
area=$2
# Cases run inside their folders, so a relative path to the binary (build/cli/capguard) is made
# absolute first; without this, UPDATE_GOLDEN=1 would record "No such file" as every expectation.
case $bin in
  /*) ;;
  */*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
esac
if [ ! -x "$bin" ] && ! command -v "$bin" >/dev/null; then
  echo "run.sh: no executable $1" >&2
  exit 2
fi
pass=0
fail=0
failed=()
for dir in "$area"/*/; do
  dir=${dir%/}
  [ -f "$dir/args" ] || continue
  name=${dir#"$area"/}
  out=$(mktemp) err=$(mktemp)
  read -r -a argv <"$dir/args" || true
  (cd "$dir" && NO_COLOR=1 CAPGUARD_TEST=1 CAPGUARD_TODAY=2026-01-01 timeout 60 "$bin" "${argv[@]}" </dev/null >"$out" 2>"$err")
  status=$?
  want_exit=0
  [ -f "$dir/exit" ] && want_exit=$(tr -d '[:space:]' <"$dir/exit")
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$out" "$dir/stdout"; [ -s "$dir/stdout" ] || rm -f "$dir/stdout"
    cp "$err" "$dir/stderr"; [ -s "$dir/stderr" ] || rm -f "$dir/stderr"
    if [ "$status" != 0 ]; then echo "$status" >"$dir/exit"; else rm -f "$dir/exit"; fi
    rm -f "$out" "$err"
    pass=$((pass + 1))
    continue
  fi
  ok=1
  report=""
  if [ "$status" != "$want_exit" ]; then
    ok=0
    report+="  exit status: expected $want_exit, got $status"$'\n'
  fi
  for stream in stdout stderr; do
    actual=$out
    [ "$stream" = stderr ] && actual=$err
    expected=$dir/$stream
    [ -f "$expected" ] || expected=/dev/null
    if ! d=$(diff -u --label "expected $stream" --label "actual $stream" "$expected" "$actual"); then
      ok=0
      report+="$d"$'\n'
    fi
  done
  rm -f "$out" "$err"
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL $name"
    printf '%s' "$report" | head -n 80
  fi
done
echo "$(basename "$area"): $pass passed, $fail failed"
[ "$fail" = 0 ]
