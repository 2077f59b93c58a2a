#!/usr/bin/env bash
# Records `docker inspect` of containers created by a real private dockerd with the same CLI
# arguments as record_requests.sh, into tests/unit/runtime/authz/requests/inspect-<case>.json, so
# that the unit tests can check that a create request and the container it creates give the same
# model. Needs root and dockerd.   bash tests/authz/record_inspect.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../unit/runtime/authz/requests
D=$(mktemp -d /tmp/cg-inspect.XXXXXX)
export DOCKER_HOST=unix://$D/docker.sock
cleanup() {
  [ -f "$D/pid" ] && kill "$(cat "$D/pid")" 2>/dev/null
  for _ in $(seq 100); do [ -f "$D/pid" ] || break; sleep 0.1; done
  { grep -o " $D[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount "$m"; done
  rm -rf "$D"
}
trap cleanup EXIT
dockerd --data-root "$D/data" --exec-root "$D/exec" -H "$DOCKER_HOST" --pidfile "$D/pid" \
  --iptables=false >"$D/log" 2>&1 &
for _ in $(seq 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$D/rootfs/bin" && cp /bin/busybox "$D/rootfs/bin/"
tar -C "$D/rootfs" -c . | docker import - local/busybox:1 >/dev/null
printf '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$D/seccomp.json"
n=0
record() {  # record CASE ARGS...
  local name=$1; shift
  n=$((n + 1))
  local id
  id=$(docker create "$@" local/busybox:1 sh)
  docker inspect "$id" >"$out/inspect-$name.json"
}
record privileged --privileged
record hardened --name web --read-only --cap-drop ALL --cap-add NET_BIND_SERVICE \
  --security-opt no-new-privileges --user 1000:1000 --memory 256m --pids-limit 100 --cpus 0.5 \
  --network none
record cap-sys-admin --cap-add CAP_SYS_ADMIN
record cap-all --cap-add all
record seccomp-equals --security-opt seccomp=unconfined
record seccomp-colon --security-opt seccomp:unconfined
record seccomp-file --security-opt "seccomp=$D/seccomp.json"
record apparmor-unconfined --security-opt apparmor=unconfined
record bind-root -v /:/host
record mount-root --mount type=bind,source=/,target=/host
record host-namespaces --pid host --network host --ipc host --uts host --userns host
echo "recorded $n containers"
