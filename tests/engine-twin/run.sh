#!/usr/bin/env bash
# run.sh CAPGUARD: see README.md.
set -uo pipefail
capguard=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
engine=$(dirname "$capguard")/capguard-engine
tmp=$(mktemp -d /tmp/capguard-twin.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect DESCRIPTION COMMAND...: the command succeeds
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
# run OUT_PREFIX CAPGUARD ARGS...: stdout, stderr and status in files.
run() {
  local out=$1; shift
  "$@" >"$out.stdout" 2>"$out.stderr"
  echo $? >"$out.status"
}
sock=$tmp/none.sock

expect "capguard is a static executable" sh -c "file -L '$capguard' | grep -q 'static-pie linked'"
expect "capguard-engine beside it" test -x "$engine"

run "$tmp/a" "$capguard" check --docker --docker-host "unix://$sock"
expect "check --docker: exit 2 (got $(cat "$tmp/a.status"))" test "$(cat "$tmp/a.status")" = 2
expect "check --docker reaches for the socket: $(head -c 300 "$tmp/a.stderr")" \
  grep -q "no socket at $sock" "$tmp/a.stderr"

run "$tmp/b" env DOCKER_HOST="unix://$sock" "$capguard" caps --docker --format json
expect "caps --docker with DOCKER_HOST and --format json reaches for the socket" \
  grep -q "no socket at $sock" "$tmp/b.stderr"
expect "and writes JSON: $(head -c 200 "$tmp/b.stdout")" \
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/b.stdout"

mkdir -p "$tmp/usr/bin" "$tmp/usr/libexec/capguard" "$tmp/alone"
cp "$capguard" "$tmp/usr/bin/capguard"
cp "$engine" "$tmp/usr/libexec/capguard/capguard-engine"
run "$tmp/c" "$tmp/usr/bin/capguard" check --docker --docker-host "unix://$sock"
expect "installed layout: capguard-engine found in ../libexec/capguard" \
  grep -q "no socket at $sock" "$tmp/c.stderr"

cp "$capguard" "$tmp/alone/capguard"
run "$tmp/d" "$tmp/alone/capguard" check --docker --docker-host "unix://$sock"
expect "alone: exit 2 (got $(cat "$tmp/d.status"))" test "$(cat "$tmp/d.status")" = 2
expect "alone: says capguard-engine is needed and where it looked: $(head -c 400 "$tmp/d.stderr")" \
  grep -q "reading containers needs capguard-engine (this capguard is linked statically and cannot load libcurl): $tmp/alone/capguard-engine: No such file or directory, $tmp/alone/../libexec/capguard/capguard-engine: No such file or directory" "$tmp/d.stderr"

cat >"$tmp/compose.yaml" <<'YAML'
services:
  web:
    image: nginx:1.27
    privileged: true
YAML
run "$tmp/e" "$tmp/alone/capguard" check "$tmp/compose.yaml"
expect "alone: a check of files still runs (exit 1, got $(cat "$tmp/e.status"))" \
  test "$(cat "$tmp/e.status")" = 1
expect "alone: and reports CG-PRIV-001" grep -q CG-PRIV-001 "$tmp/e.stdout"

[ $fail = 0 ] && echo "engine twin: passed" || echo "engine twin: FAILED"
exit $fail
