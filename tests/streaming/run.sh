#!/usr/bin/env bash
# The streamed report (spec/output.md, "Streaming"): for every format, `check` over many inputs
# gives the same stdout, stderr and exit status with -j 1, 2 and 5, also when SARIF's results and
# JUnit's suites pass the 1 MiB that moves them to a temporary file; inputs with errors, inline
# waivers (used, unused, expired) and global waivers (used, unused, expired) keep their place in
# standard error and in the report; the report is complete (one SARIF result per JSON finding);
# compose on standard input, YAML or JSON, is loaded with --env-file.
#
#   tests/streaming/run.sh CAPGUARD SOURCE_DIR
set -u
capguard=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # what, condition...
  local what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}

python3 "$root/bench/gen_corpus.py" compose "$work/corpus" 150 --seed 7 >/dev/null 2>"$work/gen.log" ||
  { cat "$work/gen.log"; exit 1; }
inputs=()
for f in "$work"/corpus/*.yaml; do inputs+=("$f"); done
# An input that does not parse, one with inline waivers, both in the middle of the list.
printf 'services:\n  a: [\n' >"$work/corpus/broken.yaml"
cat >"$work/corpus/waived.yaml" <<'YAML'
services:
  # capguard:ignore CG-PRIV-001 expires=2020-01-01 expired long ago
  ci:
    privileged: true  # capguard:ignore CG-PRIV-001 the CI runner needs it
    image: busybox:1.36  # capguard:ignore CG-NS-001 nothing matches this one
YAML
cat >"$work/waivers.yaml" <<'YAML'
- policy: CG-IMG-*
  service: web*
  reason: pinned by the platform team
- policy: CG-PRIV-001
  reason: an old exception
  expires: 2021-06-30
- policy: CG-NET-001
  service: no-such-service
  reason: matches nothing
YAML
ordered=("${inputs[@]:0:70}" "$work/corpus/broken.yaml" "${inputs[@]:70:40}"
  "$work/corpus/waived.yaml" "${inputs[@]:110}")

for format in text json sarif junit github; do
  for j in 1 2 5; do
    CAPGUARD_TODAY=2026-01-01 "$capguard" check -j "$j" --format "$format" \
      --waivers "$work/waivers.yaml" "${ordered[@]}" >"$work/out.$format.$j" \
      2>"$work/err.$format.$j"
    echo "exit $?" >>"$work/err.$format.$j"
  done
  for j in 2 5; do
    check "$format: -j $j stdout is -j 1's" cmp -s "$work/out.$format.1" "$work/out.$format.$j"
    check "$format: -j $j stderr is -j 1's" cmp -s "$work/err.$format.1" "$work/err.$format.$j"
  done
  check "$format: exit status 2 (an input is broken, waivers expired)" \
    grep -qx 'exit 2' "$work/err.$format.1"
done

err=$work/err.text.1
check "stderr names the broken input" grep -q "broken.yaml:3:1: error" "$err"
line() { grep -n "$1" "$err" | head -1 | cut -d: -f1; }
broken=$(line "broken.yaml:")
expired_global=$(line "waiver of CG-PRIV-001 expired on 2021-06-30")
expired_inline=$(line "waiver of CG-PRIV-001 expired on 2020-01-01")
unused_global=$(line "unused waiver: no finding of CG-NET-001")
unused_inline=$(line "unused waiver: no finding of CG-NS-001")
check "stderr order: input errors, expired waivers (global, inline), unused (global, inline)" \
  test -n "$broken" -a -n "$expired_global" -a -n "$expired_inline" -a -n "$unused_global" \
  -a -n "$unused_inline"
check "stderr order is that of a report written at the end" \
  test "${broken:-0}" -lt "${expired_global:-0}" -a "${expired_global:-0}" -lt "${expired_inline:-0}" \
  -a "${expired_inline:-0}" -lt "${unused_global:-0}" -a "${unused_global:-0}" -lt "${unused_inline:-0}"
check "the inline waiver waived its finding" \
  grep -q "waived: the CI runner needs it \[inline\]" "$work/out.text.1"

python3 - "$work" <<'PY' || fail=1
import json, sys
work = sys.argv[1]
report = json.load(open(f"{work}/out.json.1"))
sarif = json.load(open(f"{work}/out.sarif.1"))
results = sarif["runs"][0]["results"]
ok = True
def need(what, cond):
    global ok
    if not cond:
        print("FAIL:", what)
        ok = False
need("the SARIF passed 1 MiB (its results went through the temporary file)",
     len(open(f"{work}/out.sarif.1", "rb").read()) > (1 << 20))
need("one SARIF result per JSON finding, in the same order",
     [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]
     == [(f["policy"], f["line"]) for f in report["findings"]])
need("the JSON summary counts every input", report["summary"]["inputs"] == 152)
need("the JSON lists the broken input's error before the waiver errors",
     [e["message"][:9] for e in report["errors"]][-2:] == ["waiver of", "waiver of"])
junit = open(f"{work}/out.junit.1").read()
need("the JUnit report passed 1 MiB", len(junit) > (1 << 20))
need("JUnit has one suite per input and one for the waivers file's errors",
     junit.count("<testsuite ") == 153 and junit.count('<testsuite name="capguard"') == 1)
sys.exit(0 if ok else 1)
PY

# A report that cannot be written stops the run with status 2 and a message.
"$capguard" check -j 2 --format json "${ordered[@]}" >/dev/full 2>"$work/full.err"
status=$?
check "writing to a full device: exit 2" test "$status" -eq 2
check "writing to a full device: message" grep -q "cannot write the report to standard output" \
  "$work/full.err"
# -o is written whole or not at all.
echo old >"$work/report.json"
CAPGUARD_TODAY=2026-01-01 "$capguard" check -j 2 --format json -o "$work/report.json" \
  --waivers "$work/waivers.yaml" "${ordered[@]}" 2>/dev/null
check "-o FILE holds the whole report" cmp -s "$work/report.json" "$work/out.json.1"
check "-o leaves no temporary file" test -z "$(ls -A "$work" | grep capguard-report)"

# Compose on standard input, YAML or JSON, is loaded with the project's options: --env-file
# applies to both (JSON used to be loaded without them).
printf 'IMG=nginx:1.25\n' >"$work/stdin.env"
printf '{"services": {"web": {"image": "${IMG}", "privileged": true}}}\n' >"$work/stdin.json"
printf 'services:\n  web:\n    image: ${IMG}\n    privileged: true\n' >"$work/stdin.yaml"
for kind in json yaml; do
  "$capguard" check --env-file "$work/stdin.env" --only CG-PRIV-001 --format json - \
    <"$work/stdin.$kind" >"$work/stdin.$kind.out" 2>"$work/stdin.$kind.err"
  check "compose $kind on stdin: --env-file applies (no unset-variable warning)" \
    test ! -s "$work/stdin.$kind.err"
  check "compose $kind on stdin: checked" grep -q '"policy": "CG-PRIV-001"' "$work/stdin.$kind.out"
done

if [ "$fail" -ne 0 ]; then
  echo "streaming: FAILED"
  exit 1
fi
echo "streaming: all checks passed"
