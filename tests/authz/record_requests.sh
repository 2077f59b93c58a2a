#!/usr/bin/env bash
# Records the HTTP requests the real docker CLI sends for the commands below, as the authorization
# plugin sees them (method, URI, body), into tests/unit/runtime/authz/requests/<cli>-<case>.json.
# No daemon is needed: tests/authz/record_server.py answers /_ping and refuses everything else,
# so each command sends exactly one create/update/exec request and stops.
#   bash tests/authz/record_requests.sh [DOCKER_CLI...]   (default: /usr/local/bin/docker /usr/bin/docker)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../unit/runtime/authz/requests
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$here/record_server.py" "$work/sock" "$work/rec.jsonl" &
server=$!
for _ in $(seq 50); do [ -S "$work/sock" ] && break; sleep 0.1; done
export DOCKER_HOST=unix://$work/sock
printf '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$work/seccomp.json"

record() {  # record CLI CASE ARGS...: runs `docker ARGS...`, keeps its last non-ping request
  local cli=$1 name=$2; shift 2
  : >"$work/rec.jsonl"
  "$cli" "$@" >/dev/null 2>"$work/err" || true
  python3 - "$work/rec.jsonl" "$out/$name.json" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
reqs = [r for r in reqs if r["method"] in ("POST", "DELETE")]
if not reqs:
    sys.exit("no request recorded")
r = reqs[-1]
doc = {"method": r["method"], "uri": r["uri"]}
if r["body"]:
    doc["body"] = json.loads(r["body"])
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=1, sort_keys=False)
    f.write("\n")
PY
  [ -s "$out/$name.json" ] || { cat "$work/err"; exit 1; }
}

clis=("$@")
[ ${#clis[@]} -gt 0 ] || clis=(/usr/local/bin/docker /usr/bin/docker)
for cli in "${clis[@]}"; do
  v=$("$cli" --version | sed -E 's/Docker version ([0-9]+)\..*/\1/')
  p=cli$v
  record "$cli" "$p-privileged" create --privileged local/busybox:1 sh
  record "$cli" "$p-plain" create local/busybox:1 sh
  record "$cli" "$p-hardened" create --name web --read-only --cap-drop ALL --cap-add NET_BIND_SERVICE \
    --security-opt no-new-privileges --user 1000:1000 --memory 256m --pids-limit 100 \
    --cpus 0.5 --network none local/busybox:1 sh
  record "$cli" "$p-cap-sys-admin" create --cap-add CAP_SYS_ADMIN local/busybox:1 sh
  record "$cli" "$p-cap-sys-admin-lower" create --cap-add sys_admin local/busybox:1 sh
  record "$cli" "$p-cap-all" create --cap-add all local/busybox:1 sh
  record "$cli" "$p-seccomp-equals" create --security-opt seccomp=unconfined local/busybox:1 sh
  record "$cli" "$p-seccomp-colon" create --security-opt seccomp:unconfined local/busybox:1 sh
  record "$cli" "$p-seccomp-file" create --security-opt "seccomp=$work/seccomp.json" local/busybox:1 sh
  record "$cli" "$p-apparmor-unconfined" create --security-opt apparmor=unconfined local/busybox:1 sh
  record "$cli" "$p-bind-root" create -v /:/host local/busybox:1 sh
  record "$cli" "$p-mount-root" create --mount type=bind,source=/,target=/host local/busybox:1 sh
  record "$cli" "$p-mount-docker-sock" create --mount type=bind,src=/var/run/docker.sock,dst=/var/run/docker.sock,readonly local/busybox:1 sh
  record "$cli" "$p-bind-plugin-socket" create -v /run/docker/plugins:/p local/busybox:1 sh
  record "$cli" "$p-host-namespaces" create --pid host --network host --ipc host --uts host --userns host local/busybox:1 sh
  record "$cli" "$p-device" create --device /dev/sda:/dev/xvda:rwm local/busybox:1 sh
  record "$cli" "$p-named" create --name db -e PASSWORD=x -p 5432:5432 local/busybox:1 sh
  record "$cli" "$p-exec-privileged" exec --privileged x sh
  record "$cli" "$p-exec-plain" exec -u 1000 x sh
  record "$cli" "$p-update-memory" update --memory 512m --pids-limit 50 x
  record "$cli" "$p-update-unlimited" update --pids-limit -1 --memory-swap -1 x
  record "$cli" "$p-plugin-disable" plugin disable capguard
  record "$cli" "$p-plugin-rm" plugin rm -f capguard
done
