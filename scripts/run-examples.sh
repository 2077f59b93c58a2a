#!/usr/bin/env bash
# run-examples.sh CAPGUARD: capguard's main job on the bundled examples: `capguard check` over
# every example compose project. Findings (exit 1) are the point of the examples; only an error
# (exit 2) fails `make run`.
set -u
bin=$1
cd "$(dirname "$0")/.."
projects=(examples/compose/*/)
echo "== capguard check ${projects[*]%/}"
"$bin" check "${projects[@]%/}"
rc=$?
[ $rc -ge 2 ] && exit $rc
exit 0
