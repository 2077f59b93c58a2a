# Shared by the live-engine scripts: a private dockerd (its own data root, exec root and socket
# under a temporary folder; never the system daemon) and a local busybox image (no network).
#   engine_start DIR [EXTRA_DOCKERD_ARGS...]   starts dockerd, waits for its socket, imports the image
#   engine_stop DIR                            stops it and waits for it to exit
#   engine_clean DIR                           removes its containers and networks, then stops it
# A network's bridge (br-ID) lives in the host's namespace and outlives the daemon and its data
# root: a test that leaves networks behind uses up the address pools of every later daemon on the
# machine ("could not find an available, non-overlapping IPv4 address pool"). The private daemons
# take their networks from 10.214.0.0/16, not from the host's default pools, and engine_clean
# removes what they made.
engine_start() {
  local dir=$1
  shift
  mkdir -p "$dir"
  dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/sock" \
    --pidfile "$dir/pid" --bridge none --iptables=false \
    --default-address-pool base=10.214.0.0/16,size=24 "$@" >>"$dir/log" 2>&1 &
  local i
  for i in $(seq 1 100); do
    if DOCKER_HOST="unix://$dir/sock" docker version >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  if ! DOCKER_HOST="unix://$dir/sock" docker version >/dev/null 2>&1; then
    echo "engine_start: dockerd did not start; its log:" >&2
    tail -20 "$dir/log" >&2
    return 1
  fi
  if ! DOCKER_HOST="unix://$dir/sock" docker image inspect local/busybox:1 >/dev/null 2>&1; then
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" && cp /bin/busybox "$root/bin/"
    tar -C "$root" -c . | DOCKER_HOST="unix://$dir/sock" docker import - local/busybox:1 >/dev/null
    rm -rf "$root"
  fi
}

engine_stop() {
  local dir=$1 pid
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  echo "engine_stop: dockerd $pid did not exit" >&2
  return 1
}

engine_clean() {
  local dir=$1 ids
  [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null || return 0
  ids=$(DOCKER_HOST="unix://$dir/sock" docker ps -aq 2>/dev/null)
  [ -n "$ids" ] && DOCKER_HOST="unix://$dir/sock" docker rm -f $ids >/dev/null 2>&1
  DOCKER_HOST="unix://$dir/sock" docker network prune -f >/dev/null 2>&1
  engine_stop "$dir"
}
