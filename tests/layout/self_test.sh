#!/usr/bin/env bash
# self_test.sh: check_includes.py must refuse an upward include, an include of a folder the target
# does not depend on, a cycle and an unregistered file, and accept a tree that follows its layout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect STATUS PATTERN: run the checker on $tmp, compare status and output
  out=$(python3 "$here/check_includes.py" "$tmp/layout.txt" "$tmp")
  status=$?
  if [ "$status" != "$1" ] || ! grep -qE -- "$2" <<<"$out"; then
    echo "FAIL: expected status $1 and /$2/, got $status:"; echo "$out"; fail=1
  fi
}
mkdir -p "$tmp/lang/core" "$tmp/lang/syntax" "$tmp/runtime/eval"
printf 'lang/core a\nlang/syntax b a\nruntime/eval c b\n' >"$tmp/layout.txt"
printf '#include "lang/core/v.hpp"\n' >"$tmp/lang/core/v.cpp"
printf '#include "lang/core/v.hpp"\n#include <vector>\n' >"$tmp/lang/syntax/p.cpp"
printf '#include "lang/syntax/p.hpp"\n#include "lang/core/v.hpp"\n' >"$tmp/runtime/eval/e.cpp"
expect 0 '^$'
printf '#include "runtime/eval/e.hpp"\n' >>"$tmp/lang/core/v.cpp"
expect 1 '^lang/core/v.cpp:2: includes runtime/eval/e.hpp of runtime/eval \(c\), which a does not'
printf '#include "lang/core/v.hpp"\n' >"$tmp/lang/core/v.cpp"
printf 'lang/core a c\nlang/syntax b a\nruntime/eval c b\n' >"$tmp/layout.txt"
expect 1 'form a cycle'
printf 'lang/core a\nlang/syntax b a\nruntime/eval c b\n' >"$tmp/layout.txt"
mkdir -p "$tmp/cli" && : >"$tmp/cli/stray.cpp"
expect 1 '^cli/stray.cpp: belongs to no library folder'
[ $fail = 0 ] && echo "layout self-test: 4 passed, 0 failed"
exit $fail
