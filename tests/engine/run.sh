#!/usr/bin/env bash
# make test-engine: capguard's two sides against a real Docker Engine (tests/engine/README.md).
# Usage: tests/engine/run.sh CAPGUARD [parity.py options...]
# Installs what it needs with apt when missing, starts a private dockerd (its own data-root,
# exec-root and socket under a temporary folder, stopped by its pid on every exit), imports a
# busybox image without network, and runs parity.py over tests/engine/corpus.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
capguard="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift

"$root/scripts/ensure-deps.sh" docker.io docker-compose busybox-static curl python3 python3-yaml

tmp="$(mktemp -d /tmp/capguard-engine.XXXXXX)"
pid=""
cleanup() {
  status=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  # Container layers are mounted under the data root until the daemon is gone.
  rm -rf "$tmp" 2>/dev/null || true
  exit $status
}
trap cleanup EXIT INT TERM

# CAPGUARD_ENGINE_CGROUPNS=host runs the daemon with the cgroup v1 default instead, and tells the
# standard library so (--param daemon_cgroupns=host): the two sides must agree then too.
cgroupns="${CAPGUARD_ENGINE_CGROUPNS:-private}"
case "$cgroupns" in
  private) cgroupns_param=() ;;
  host) cgroupns_param=(--param daemon_cgroupns=host) ;;
  *) echo "CAPGUARD_ENGINE_CGROUPNS must be private or host" >&2; exit 2 ;;
esac

# The daemon is configured explicitly where its defaults decide what a file cannot say
# (spec/document-model.md, "What depends on the daemon"): cgroup namespaces private (the
# default of cgroup v2 daemons; cgroup v1 daemons default to host), no default bridge, no
# iptables (nothing runs), no userns remapping, no SELinux (Debian's default).
dockerd --data-root "$tmp/data" --exec-root "$tmp/exec" -H "unix://$tmp/docker.sock" \
        --pidfile "$tmp/dockerd.pid" --bridge none --iptables=false --ip-masq=false \
        --default-cgroupns-mode "$cgroupns" --selinux-enabled=false --userland-proxy=false \
        --default-address-pool base=10.213.0.0/16,size=24 \
        >"$tmp/dockerd.log" 2>&1 &
pid=$!
export DOCKER_HOST="unix://$tmp/docker.sock"
for _ in $(seq 1 100); do
  [ -S "$tmp/docker.sock" ] && curl -sf --unix-socket "$tmp/docker.sock" http://d/_ping >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "dockerd failed to start:"; cat "$tmp/dockerd.log"; exit 1; }
  sleep 0.2
done

# The image: busybox-static alone, imported from a tar (no registry, no network).
mkdir -p "$tmp/rootfs/bin"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
ln -s busybox "$tmp/rootfs/bin/sh"
tar -C "$tmp/rootfs" -c . | curl -sf --unix-socket "$tmp/docker.sock" -X POST \
  -H 'Content-Type: application/x-tar' --data-binary @- \
  'http://d/v1.41/images/create?fromSrc=-&repo=local/busybox&tag=1&changes=CMD%20%5B%22%2Fbin%2Fsh%22%5D' >/dev/null
# The other references the corpus names (corpus/compose/images.yaml), as tags of the same image.
for ref in 'repo=busybox&tag=latest' 'repo=registry.local:5000/team/app&tag=1.2' \
           'repo=registry.local:5000/team/app&tag=latest'; do
  curl -sf --unix-socket "$tmp/docker.sock" -X POST "http://d/v1.41/images/local/busybox:1/tag?$ref" >/dev/null
done

# Paths the corpus mounts that must exist on every machine: a Docker socket (a listening one is
# not needed for create) under the temporary folder.
export CG_ENGINE_TMP="$tmp"
mkdir -p "$tmp/run" "$tmp/work"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$tmp/run/docker.sock"

cd "$here"
python3 "$here/parity.py" --capguard "$capguard" --corpus "$here/corpus" --workdir "$tmp/work" \
  ${cgroupns_param[@]+"${cgroupns_param[@]}"} "$@"
