#!/usr/bin/env bash
# capguard authz against the real engine: a private dockerd started with
# --authorization-plugin=NAME, where NAME is a capguard authz serving a private socket named by a
# spec file in /etc/docker/plugins (dockerd reads spec files only from /etc/docker/plugins and
# /usr/lib/docker/plugins when not rootless; the spec file, unique to this run, is removed
# afterwards). Needs root, dockerd and a docker CLI.
#   bash tests/authz/engine_test.sh build/cli/capguard
set -uo pipefail
capguard=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "engine_test: needs root (dockerd)"; exit 1; }
command -v dockerd >/dev/null || { echo "engine_test: needs dockerd"; exit 1; }

D=$(mktemp -d /tmp/cg-authz.XXXXXX)
name=capguard-test-$$
spec=/etc/docker/plugins/$name.spec
export DOCKER_HOST=unix://$D/docker.sock
failures=0
cleanup() {
  [ -f "$D/dockerd.pid" ] && kill "$(cat "$D/dockerd.pid")" 2>/dev/null
  for _ in $(seq 100); do [ -f "$D/dockerd.pid" ] || break; sleep 0.1; done
  [ -n "${plugin_pid:-}" ] && kill "$plugin_pid" 2>/dev/null && wait "$plugin_pid" 2>/dev/null
  rm -f "$spec"
  # A daemon that did not stop cleanly leaves its data root mounted.
  { grep -o " $D[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount "$m"; done
  rm -rf "$D"
}
trap cleanup EXIT

check() {  # check NAME COMMAND...: the command must succeed
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi
}

mkdir -p "$D/policies" /etc/docker/plugins
cp "$here/engine_policy.policy" "$D/policies/site.policy"
"$capguard" authz --socket "$D/plugin.sock" --spec-file "$spec" --policy "$D/policies" \
  --log "$D/decisions.log" --no-config &
plugin_pid=$!
for _ in $(seq 100); do [ -S "$D/plugin.sock" ] && [ -f "$spec" ] && break; sleep 0.1; done
check "spec file names the socket" grep -qx "unix://$D/plugin.sock" "$spec"

dockerd --data-root "$D/data" --exec-root "$D/exec" -H "$DOCKER_HOST" --pidfile "$D/dockerd.pid" \
  --bridge none --iptables=false --authorization-plugin="$name" >"$D/dockerd.log" 2>&1 &
for _ in $(seq 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
if ! docker version >/dev/null 2>&1; then
  echo "FAIL dockerd did not start"; tail -20 "$D/dockerd.log"; exit 1
fi

mkdir -p "$D/rootfs/bin" && cp /bin/busybox "$D/rootfs/bin/"
check "image import allowed" sh -c "tar -C '$D/rootfs' -c . | docker import - local/busybox:1 >/dev/null"

out=$(docker create --privileged local/busybox:1 sh 2>&1)
check "privileged create denied with capguard's message" \
  grep -q "authorization denied by plugin $name: capguard: container_create refused.*CG-PRIV-001" <<<"$out"
check "the message names the policy's title" grep -q "Privileged container (critical)" <<<"$out"
check "the message gives the remediation" grep -q "fix: privileged: false" <<<"$out"

out=$(docker create --cap-add sys_admin --security-opt seccomp:unconfined local/busybox:1 sh 2>&1)
check "sys_admin denied" grep -q "CG-CAP-003.*SYS_ADMIN" <<<"$out"
check "seccomp:unconfined denied" grep -q "CG-MAC-003" <<<"$out"

out=$(docker create -v "$D:/x" --read-only --cap-drop ALL --security-opt no-new-privileges \
  --user 1000 --memory 64m --pids-limit 10 --network none local/busybox:1 sh 2>&1)
check "a bind exposing the plugin's socket is denied (CG-AUTHZ-001)" grep -q CG-AUTHZ-001 <<<"$out"

id=$(docker create --name web --read-only --cap-drop ALL --cap-add NET_BIND_SERVICE \
  --security-opt no-new-privileges --user 1000:1000 --memory 256m --pids-limit 100 \
  --cpus 0.5 --network none local/busybox:1 sh 2>&1)
check "hardened create allowed" docker inspect web --format '{{.Id}}'
check "docker ps works" sh -c 'docker ps -a | grep -q web'

out=$(docker exec --privileged web sh 2>&1)
check "privileged exec denied" grep -q "capguard: container_exec refused.*CG-PRIV-001" <<<"$out"

# API before 1.24 applies a HostConfig given at start: the hardened container made privileged.
out=$(curl -s --unix-socket "$D/docker.sock" -H 'Content-Type: application/json' \
  -d '{"Privileged": true}' http://docker/v1.23/containers/web/start)
check "privileged HostConfig at start (API 1.23) denied" grep -q "capguard: container_start refused.*CG-PRIV-001" <<<"$out"

out=$(docker plugin disable "$name" 2>&1)
check "plugin disable denied (CG-AUTHZ-003)" grep -q "CG-AUTHZ-003" <<<"$out"

# Malformed: a create whose body is not JSON, and one the daemon does not pass to the plugin.
out=$(curl -s --unix-socket "$D/docker.sock" -H 'Content-Type: application/json' \
  -d '{"Image": "local/busybox:1", "HostConfig": ' http://docker/v1.41/containers/create)
check "malformed create denied" grep -q "authorization denied by plugin $name: capguard: container_create: the request body is not valid JSON" <<<"$out"
# A chunked body has no Content-Length (CVE-2024-41110): a daemon without the fix does not pass
# it to the plugin (capguard then refuses a create without a body), a fixed one passes it.
out=$(curl -s --unix-socket "$D/docker.sock" -H 'Content-Type: application/json' \
  -H 'Transfer-Encoding: chunked' -d '{"Image": "local/busybox:1", "HostConfig": {"Privileged": true}}' \
  http://docker/v1.41/containers/create)
check "chunked privileged create denied" \
  grep -Eq "authorization denied by plugin $name: capguard: container_create (refused|without a body)" <<<"$out"
out=$(curl -s --unix-socket "$D/docker.sock" -H 'Content-Type: application/json' \
  -d '{"Image": "local/busybox:1", "hostconfig": {"privileged": true}}' \
  http://docker/v1.41/containers/create)
check "lower-case keys (Go's decoder folds them) denied" grep -q "CG-PRIV-001" <<<"$out"

# Reload: a policy that does not compile keeps the previous set; a valid one replaces it.
echo 'policy "BROKEN" {' >"$D/policies/broken.policy"
kill -HUP "$plugin_pid"
for _ in $(seq 50); do grep -q '"event":"reload"' "$D/decisions.log" && break; sleep 0.1; done
check "a reload that does not compile is logged and refused" grep -q '"event":"reload","ok":false' "$D/decisions.log"
out=$(docker create --privileged local/busybox:1 sh 2>&1)
check "after a failed reload the previous policies still decide" grep -q CG-PRIV-001 <<<"$out"
rm "$D/policies/broken.policy"
kill -HUP "$plugin_pid"
for _ in $(seq 50); do grep -q '"event":"reload","ok":true' "$D/decisions.log" && break; sleep 0.1; done
check "a valid reload is logged" grep -q '"event":"reload","ok":true' "$D/decisions.log"
out=$(docker create --name labelled --label site.deny=1 --read-only --cap-drop ALL \
  --security-opt no-new-privileges --user 1000 --memory 64m --pids-limit 10 --network none \
  local/busybox:1 sh 2>&1)
check "the site policy decides" grep -q "SITE-001" <<<"$out"

check "every decision is one JSON line" python3 "$here/check_log.py" "$D/decisions.log"
[ "$failures" = 0 ] || { echo "--- dockerd log"; tail -20 "$D/dockerd.log"; echo "--- decisions"; cat "$D/decisions.log"; }
echo "engine_test: $failures failure(s)"
[ "$failures" = 0 ]
