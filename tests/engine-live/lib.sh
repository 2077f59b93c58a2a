# Shared by the live-engine scripts: a private dockerd (its own data root, exec root and socket
# under a temporary folder; never the system daemon) and a local busybox image (no network).
#   engine_start DIR [EXTRA_DOCKERD_ARGS...]   starts dockerd, waits for its socket, imports the image
#   engine_stop DIR                            stops it and waits for it to exit
engine_start() {
  local dir=$1
  shift
  mkdir -p "$dir"
  dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/sock" \
    --pidfile "$dir/pid" --bridge none --iptables=false "$@" >>"$dir/log" 2>&1 &
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
