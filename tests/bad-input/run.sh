#!/usr/bin/env bash
# Hostile-input runner: run.sh CAPGUARD SUITE_DIR [CASE...]
#
# Each case is a folder SUITE_DIR/<case>/ holding:
#   cmd             a bash script: the command line, with $CAPGUARD for the binary (it may set up
#                   what git cannot hold first: a FIFO, a socket, an empty folder, a huge file)
#   exit            the expected exit status
#   expect-stderr   lines that must each appear in standard error (fixed strings): the message,
#                   naming the file and, where there is one, the line and column
#   expect-stdout   lines that must each appear in standard output: the findings of the valid
#                   input beside the bad one, which must still be reported
# plus the input files. The case runs in a scratch copy of its folder (so it may create files),
# stdin from /dev/null unless cmd redirects it, NO_COLOR=1. Every case also fails when stderr
# shows an internal error, a sanitizer report or a crash, or when a non-zero status comes with
# an empty stderr. A case that fails prints its outputs.
set -u
bin=$1
suite=$2
shift 2
case $bin in
  /*) ;;
  *) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
esac
[ -x "$bin" ] || { echo "run.sh: no executable $1" >&2; exit 2; }
suite=$(cd "$suite" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0
fail=0
failed=()
if [ $# -gt 0 ]; then dirs=("$@"); else dirs=("$suite"/*/); fi
for dir in "${dirs[@]}"; do
  dir=${dir%/}
  case $dir in */*) ;; *) dir=$suite/$dir ;; esac
  [ -f "$dir/cmd" ] || continue
  name=$(basename "$dir")
  work=$scratch/$name
  mkdir -p "$work"
  cp -a "$dir/." "$work/"
  rm -f "$work/cmd" "$work/exit" "$work/expect-stderr" "$work/expect-stdout"
  out=$scratch/$name.out
  err=$scratch/$name.err
  cmd=$(cd "$dir" && pwd)/cmd
  (cd "$work" && CAPGUARD=$bin NO_COLOR=1 CAPGUARD_TODAY=2026-01-01 timeout 120 \
     bash "$cmd" </dev/null >"$out" 2>"$err") 2>/dev/null
  status=$?
  ok=1
  report=""
  want=$(tr -d '[:space:]' <"$dir/exit")
  if [ "$status" != "$want" ]; then
    ok=0
    report+="  exit status: expected $want, got $status"$'\n'
  fi
  for stream in stderr stdout; do
    actual=$err
    [ $stream = stdout ] && actual=$out
    [ -f "$dir/expect-$stream" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] && continue
      if ! grep -qF -- "$line" "$actual"; then
        ok=0
        report+="  $stream lacks: $line"$'\n'
      fi
    done <"$dir/expect-$stream"
  done
  if grep -qE 'internal error|AddressSanitizer|LeakSanitizer|runtime error:|terminate called|Segmentation fault|Aborted' "$err"; then
    ok=0
    report+="  stderr shows a crash or an internal error"$'\n'
  fi
  if [ "$status" != 0 ] && [ "$status" != 1 ] && [ ! -s "$err" ]; then
    ok=0
    report+="  status $status with nothing on stderr"$'\n'
  fi
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL $name ($(grep -v '^#' "$dir/cmd" | tail -1))"
    printf '%s' "$report"
    echo "  --- stderr"; head -c 3000 "$err" | sed 's/^/  /'
    echo "  --- stdout"; head -c 1500 "$out" | sed 's/^/  /'
  fi
done
echo "bad-input: $pass passed, $fail failed"
[ $fail = 0 ]
