#!/usr/bin/env bash
# run-examples.sh CAPGUARD: capguard's main job on the bundled examples. Findings (exit 1) are the
# point of the examples; only an error (exit 2) fails `make run`.
set -u
bin=$1
cd "$(dirname "$0")/.."
status=0
if "$bin" check --help >/dev/null 2>&1; then
  for project in examples/compose/*/; do
    echo "== capguard check ${project%/}"
    "$bin" check "${project%/}"
    rc=$?
    [ $rc -ge 2 ] && status=$rc
  done
else
  echo "== capguard parse examples/policies/*.policy"
  "$bin" parse examples/policies/*.policy
  rc=$?
  [ $rc -ge 2 ] && status=$rc
fi
exit $status
