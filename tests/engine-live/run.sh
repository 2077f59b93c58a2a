#!/usr/bin/env bash
# Live engine tests: capguard against a real dockerd started here (never the system daemon),
# through its unix socket and through TCP on 127.0.0.1, including the failures: an engine that is
# not there, a socket this user may not open, an API version too old, a container that does not
# exist, the daemon stopped (and restarted) while `watch` follows it.
#   bash tests/engine-live/run.sh build/cli/capguard        (make test-engine-live; needs root)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=$1
case $bin in /*) ;; *) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;; esac
if [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null; then
  echo "tests/engine-live/run.sh: needs root and dockerd (a private daemon is started)" >&2
  exit 2
fi
export CAPGUARD_TODAY=2026-01-01 NO_COLOR=1
work=$(mktemp -d /tmp/capguard-engine.XXXXXX)
chmod 755 "$work"
dir=$work/engine
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'engine_clean "$dir"; engine_clean "$work/tls-engine"; rm -rf "$work"' EXIT
engine_start "$dir" -H "tcp://127.0.0.1:$port" || exit 2
sock=unix://$dir/sock
tcp=tcp://127.0.0.1:$port
export DOCKER_HOST=$sock DOCKER_CONFIG=$work/docker-config
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_TLS DOCKER_CERT_PATH DOCKER_API_VERSION

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"
}
# run NAME WANT_EXIT CMD...: runs capguard, keeps stdout in $out and stderr in $err.
run() {
  local name=$1 want=$2
  shift 2
  out=$("$@" 2>"$work/stderr") status=$? || true
  status=${status:-0}
  err=$(cat "$work/stderr")
  if [ "$status" != "$want" ]; then
    bad "$name: exit $status, expected $want" "$err"$'\n'"$(head -20 <<<"$out")"
    return 1
  fi
  return 0
}
# expect NAME PYTHON_EXPR: evaluates the expression with `d` = the JSON of $out.
expect() {
  local name=$1 expr=$2
  if python3 -c "import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if ($expr) else 1)" \
    <<<"$out"; then
    ok "$name"
  else
    bad "$name: $expr" "$(head -40 <<<"$out")"
  fi
}
has() {  # has NAME TEXT WHERE(out|err)
  local text=$2 where=${3:-out}
  local hay=$out
  [ "$where" = err ] && hay=$err
  if grep -qF -- "$text" <<<"$hay"; then ok "$1"; else bad "$1: no \`$text\` in std$where" "$hay"; fi
}

# A compose project (containers created by docker-compose, web started) and a plain container.
mkdir -p "$work/project"
cat >"$work/project/compose.yaml" <<'YAML'
services:
  web:
    image: local/busybox:1
    command: ["/bin/busybox", "sleep", "3600"]
    network_mode: none
    cap_add: [NET_ADMIN]
    read_only: true
  db:
    image: local/busybox:1
    command: ["/bin/busybox", "sleep", "3600"]
    network_mode: none
    user: "1000"
YAML
(cd "$work/project" && docker-compose -p demo up --no-start >/dev/null 2>&1) || {
  echo "docker-compose failed" >&2
  exit 2
}
docker start demo_web_1 >/dev/null
docker create --name plain --cap-drop ALL local/busybox:1 /bin/busybox sleep 10 >/dev/null
compose=$work/project/compose.yaml

# --- check --docker: selection -------------------------------------------------------------
inputs='sorted(set(f["input"].split(" (")[0] for f in d["findings"]))'
if run "check --docker" 1 "$bin" check --docker --format json; then
  expect "running containers only by default" "$inputs == ['container demo_web_1'] and d['summary']['inputs'] == 1"
  expect "a finding names the container, short id, image, host, compose project and service" \
    "any(f['input'].startswith('container demo_web_1 (') and ', local/busybox:1) on $sock, compose project demo, service web' in f['input'] for f in d['findings'])"
  expect "a compose value's finding points at the compose file's line" \
    "any(f['policy'] == 'CG-CAP-003' and f['file'] == '$compose' and f['line'] == 6 for f in d['findings'])"
  expect "a value the file does not give points at the container's inspect" \
    "all(f['file'] in ('$compose', '$sock/containers/demo_web_1') for f in d['findings'])"
fi
if run "check --docker --all" 1 "$bin" check --docker --all --format json; then
  expect "--all: created containers too" "$inputs == ['container demo_db_1', 'container demo_web_1', 'container plain'] and d['summary']['inputs'] == 3"
fi
run "--project" 1 "$bin" check --docker --all --project demo --format json &&
  expect "--project demo: its two containers" "$inputs == ['container demo_db_1', 'container demo_web_1']"
run "--filter name=" 1 "$bin" check --docker --all --filter name=plain --format json &&
  expect "--filter name=plain" "$inputs == ['container plain']"
run "--filter label=" 1 "$bin" check --docker --all --filter label=com.docker.compose.service=db --format json &&
  expect "--filter label=com.docker.compose.service=db" "$inputs == ['container demo_db_1']"
run "--filter status=" 0 "$bin" check --docker --all --filter status=paused --format json &&
  expect "a filter that selects nothing: no inputs, exit 0" "d['summary']['inputs'] == 0"
run "bad filter" 2 "$bin" check --docker --filter colour=red && has "the daemon's refusal of a filter" "Invalid filter 'colour'" err
run "names as arguments" 1 "$bin" check --docker --format json plain demo_db_1 &&
  expect "ids and names as arguments (stopped ones too)" "$inputs == ['container demo_db_1', 'container plain']"
if run "a name that matches nothing" 2 "$bin" check --docker --format json no-such-container plain; then
  expect "the other containers are still checked" "$inputs == ['container plain']"
  has "no such container is an error naming the host" "$sock: error: no such container: no-such-container" err
fi

# --- text report, waivers and presets as for files ---------------------------------------------
run "text report" 1 "$bin" check --docker --only CG-CAP-003 && {
  has "text: the container under the compose file" "  in container demo_web_1 ("
  has "text: the compose line" "$compose:6:15"
}
cat >"$work/waivers.yaml" <<YAML
waivers:
  - policy: CG-CAP-003
    service: demo_web_1
    reason: network tooling
YAML
run "waivers apply to containers" 0 "$bin" check --docker --only CG-CAP-003 --waivers "$work/waivers.yaml" --format json &&
  expect "the finding is waived, not dropped" "len(d['findings']) == 1 and d['findings'][0]['waived']"
sed -i 's/    cap_add: \[NET_ADMIN\]/    cap_add: [NET_ADMIN]  # capguard:ignore CG-CAP-003 raw sockets/' "$compose"
run "inline waivers of the compose file" 0 "$bin" check --docker --only CG-CAP-003 --format json &&
  expect "a compose file's inline waiver applies to its container" "len(d['findings']) == 1 and d['findings'][0]['waived'] and d['findings'][0]['waiver_source'] == 'inline'"
sed -i 's/  # capguard:ignore CG-CAP-003 raw sockets//' "$compose"
run "sarif" 1 "$bin" check --docker --format sarif && expect "SARIF output" "d['version'] == '2.1.0'"

# --- TCP, several engines, contexts -----------------------------------------------------------------
run "tcp" 1 "$bin" check --docker --docker-host "$tcp" --all --format json &&
  expect "through TCP: the same three containers, named with the TCP host" \
    "$inputs == ['container demo_db_1', 'container demo_web_1', 'container plain'] and all(f['input'].split(' on ')[1].startswith('$tcp') for f in d['findings'])"
if run "two engines" 1 "$bin" check --docker --docker-host "$sock" --docker-host "$tcp" --all --format json; then
  expect "two engines in one run: each finding names its host" \
    "sorted(set(f['input'].split(' on ')[1].split(',')[0] for f in d['findings'])) == sorted(['$sock', '$tcp']) and d['summary']['inputs'] == 6"
fi
docker context create live-tcp --docker "host=$tcp" >/dev/null 2>&1
run "--context" 1 "$bin" check --docker --context live-tcp --all --format json &&
  expect "a context of the docker CLI's own store" "d['summary']['inputs'] == 3 and all(' on live-tcp' in f['input'] for f in d['findings'])"
run "DOCKER_CONTEXT" 1 env -u DOCKER_HOST DOCKER_CONTEXT=live-tcp "$bin" check --docker --format json &&
  expect "DOCKER_CONTEXT picks the context" "all(' on live-tcp' in f['input'] for f in d['findings'])"
run "unknown context" 2 "$bin" check --docker --context nope && has "an unknown context" "docker context \`nope\` not found" err
run "caps --docker" 0 "$bin" caps --docker --all --format json &&
  expect "caps --docker: the effective capabilities of each container" \
    "sorted(s['name'] for s in d['services']) == ['demo_db_1', 'demo_web_1', 'plain'] and [s['effective'] for s in d['services'] if s['name'] == 'plain'] == [[]]"

# --- TLS: a second daemon that requires client certificates ------------------------------------
certs=$work/certs
mkdir -p "$certs"
(
  cd "$certs" || exit 1
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=capguard-test-ca
  openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=127.0.0.1
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 2 -extfile server.ext
  openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=client
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2 -extfile client.ext
  mkdir other && cd other && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out ca.pem -days 2 -subj /CN=other
) >/dev/null 2>&1
tls_dir=$work/tls-engine
tls_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if engine_start "$tls_dir" -H "tcp://127.0.0.1:$tls_port" --tlsverify --tlscacert "$certs/ca.pem" \
  --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem"; then
  DOCKER_HOST=unix://$tls_dir/sock docker create --name tls1 local/busybox:1 /bin/busybox true >/dev/null
  tls=tcp://127.0.0.1:$tls_port
  run "TLS" 1 env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" "$bin" check --docker --docker-host "$tls" --all --format json &&
    expect "DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them" "$inputs == ['container tls1']"
  run "TLS: DOCKER_HOST" 1 env DOCKER_HOST="$tls" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" "$bin" check --docker --all --format json &&
    expect "DOCKER_HOST with TLS" "$inputs == ['container tls1']"
  run "TLS: plain HTTP to it" 2 "$bin" check --docker --docker-host "$tls" &&
    has "plain HTTP to a TLS engine: says to use TLS" "$tls: error: the engine speaks TLS: set DOCKER_TLS_VERIFY=1" err
  run "TLS: another CA" 2 env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs/other" "$bin" check --docker --docker-host "$tls" &&
    has "a certificate from another CA: a TLS error" "$tls: error: TLS:" err
  docker context create tls-ctx --docker "host=$tls,ca=$certs/ca.pem,cert=$certs/cert.pem,key=$certs/key.pem" >/dev/null 2>&1
  run "TLS: context" 1 "$bin" check --docker --context tls-ctx --all --format json &&
    expect "a context's TLS material from the CLI's store" "$inputs == ['container tls1']"
  engine_stop "$tls_dir"
else
  bad "TLS: the TLS daemon did not start"
fi

# --- failures ----------------------------------------------------------------------------------
if run "an engine not there, another fine" 2 "$bin" check --docker --docker-host "unix://$work/nothing.sock" --docker-host "$sock" --format json; then
  expect "the reachable engine is still checked" "$inputs == ['container demo_web_1']"
  has "unreachable: a clear error naming the host" "unix://$work/nothing.sock: error: no socket at $work/nothing.sock: is the Docker daemon running?" err
fi
run "tcp refused" 2 "$bin" check --docker --docker-host tcp://127.0.0.1:1 && has "TCP refused" "connection refused at 127.0.0.1:1" err
run "API too old" 2 env DOCKER_API_VERSION=1.20 "$bin" check --docker && has "an API version too old" "DOCKER_API_VERSION=1.20 is older than API 1.24" err
if command -v setpriv >/dev/null; then
  run "permission denied" 2 setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" check --docker --no-config &&
    has "a socket this user may not open" "permission denied connecting to $dir/sock" err
else
  bad "permission denied: setpriv (util-linux) is missing"
fi

# --- replayed answers of the real daemon: a container removed between list and inspect, an
# engine too old (tests/engine-live/replay_engine.py) ------------------------------------------------
replay() {
  rm -f "$work/replay.sock"
  python3 "$here/replay_engine.py" "$work/replay.sock" "$@" &
  replay_pid=$!
  for _ in $(seq 1 50); do [ -S "$work/replay.sock" ] && return 0; sleep 0.1; done
}
replay --gone demo_db_1
if run "a container gone between list and inspect" 2 "$bin" check --docker --docker-host "unix://$work/replay.sock" --all --format json; then
  has "gone: a clear error naming the container" "container demo_db_1 (" err
  has "gone: ... and what happened" "disappeared between the list and its inspect" err
  expect "gone: every other container still checked" "$inputs == ['container demo_app_1', 'container demo_web_1', 'container plain']"
fi
kill "$replay_pid"; wait "$replay_pid" 2>/dev/null
replay --huge demo_web_1
if run "an answer past its bound" 2 "$bin" check --docker --docker-host "unix://$work/replay.sock" --all --format json; then
  has "past its bound: a clear error" "container 8d22bd4065acc4fc18a57a4facff7370a7b877ca967c922dac8551938df0e4dd: the answer is larger than 8388608 bytes; not read" err
  expect "past its bound: the other containers still checked" "$inputs == ['container demo_app_1', 'container demo_db_1', 'container plain']"
fi
kill "$replay_pid"; wait "$replay_pid" 2>/dev/null
replay --hang
run "no answer in time" 2 env CAPGUARD_ENGINE_TIMEOUT=1 "$bin" check --docker --docker-host "unix://$work/replay.sock" &&
  has "a timeout: a clear error" "error: no answer in time" err
kill "$replay_pid"; wait "$replay_pid" 2>/dev/null
replay --api 1.12
run "an engine too old" 2 "$bin" check --docker --docker-host "unix://$work/replay.sock" &&
  has "too old: a clear error" "the engine speaks API 1.12, older than 1.24" err
kill "$replay_pid"; wait "$replay_pid" 2>/dev/null

# --- drift ------------------------------------------------------------------------------------
run "no drift" 0 "$bin" drift --all && has "no drift when nothing changed" "summary: 0 differences in 0 of 2 compose containers; 1 container not created by compose"
# A service on the project's default network, with ports, a relative bind, tmpfs, limits, a
# healthcheck and a restart policy: what compose and the engine each say agrees.
mkdir -p "$work/netp"
cat >"$work/netp/compose.yaml" <<'YAML'
services:
  app:
    image: local/busybox:1
    command: ["/bin/busybox", "sleep", "3600"]
    ports: ["127.0.0.1:8080:80"]
    environment: [A=1]
    volumes: ["./data:/data:ro"]
    tmpfs: [/tmp]
    mem_limit: 128m
    healthcheck: {test: ["CMD", "/bin/busybox", "true"], interval: 30s}
    restart: unless-stopped
YAML
if ! compose_out=$(cd "$work/netp" && docker-compose -p netp up --no-start 2>&1); then
  bad "docker-compose up of the netp project failed" "$compose_out"
elif run "no drift on the default network" 0 "$bin" drift --all --project netp; then
  has "no drift: networks, ports, binds, tmpfs, limits" "summary: 0 differences in 0 of 1 compose container"
fi
(cd "$work/netp" && docker-compose -p netp down >/dev/null 2>&1)
sed -i 's/    cap_add: \[NET_ADMIN\]/    cap_drop: [ALL]/' "$compose"
docker update --memory 64m --memory-swap 64m demo_web_1 >/dev/null
if run "drift" 1 "$bin" drift --format json; then
  expect "drift: the file hardened after the start" \
    "[x['field'] for x in d['containers'][0]['differences'] if x['field'] == 'caps.added'] == ['caps.added'] and any(x['field'] == 'caps.added' and x['container'] == ['NET_ADMIN'] and x['file'] == [] for x in d['containers'][0]['differences'])"
  expect "drift: docker update by hand, with both values" \
    "any(x['field'] == 'resources.memory_bytes' and x['container'] == 67108864 and x['file'] is None for x in d['containers'][0]['differences'])"
  expect "drift: the file's line" "any(x['field'] == 'caps.dropped' and x['location'] == {'file': '$compose', 'line': 6, 'column': 15} for x in d['containers'][0]['differences'])"
fi
run "check --docker --drift" 1 "$bin" check --docker --drift && has "check --docker --drift is drift" "caps.added"
mv "$compose" "$compose.gone"
run "drift without the file" 2 "$bin" drift && has "an unreadable compose file is an error for drift" "its drift is not known" err
run "check without the file" 1 "$bin" check --docker --format json && {
  has "check: only a warning, findings at the container" "the compose file of container demo_web_1" err
  expect "check: findings at the inspect" "all(f['file'] == '$sock/containers/demo_web_1' for f in d['findings'])"
}
mv "$compose.gone" "$compose"

# --- watch: events, the daemon stopped and started again, SIGTERM --------------------------------
# A container created and removed just before watch starts (most often in the same second) is
# not replayed to it: no "disappeared" error (watch asks for the events since its start, to the
# nanosecond).
docker create --name w0 local/busybox:1 /bin/busybox true >/dev/null && docker rm w0 >/dev/null
"$bin" watch --docker --only CG-CAP-002,CG-CAP-003,CG-PRIV-001 --format json >"$work/watch.out" 2>"$work/watch.err" &
watch=$!
wait_for() {  # wait_for FILE TEXT
  for _ in $(seq 1 300); do grep -qF -- "$2" "$1" && return 0; sleep 0.1; done
  return 1
}
wait_for "$work/watch.err" "following docker host" && sleep 0.5
docker create --name w1 --cap-add SYS_ADMIN local/busybox:1 /bin/busybox true >/dev/null
if wait_for "$work/watch.out" '"container":"w1"'; then ok "watch: a created container is checked"; else bad "watch: no finding for w1" "$(cat "$work/watch.out" "$work/watch.err")"; fi
engine_stop "$dir"
if wait_for "$work/watch.err" "reconnecting with back-off"; then ok "watch: the daemon stopped mid-run is reported"; else bad "watch: daemon stop not seen" "$(cat "$work/watch.err")"; fi
engine_start "$dir" -H "tcp://127.0.0.1:$port"
docker create --name w2 --privileged local/busybox:1 /bin/busybox true >/dev/null
if wait_for "$work/watch.out" '"container":"w2"'; then ok "watch: reconnected after the restart"; else bad "watch: nothing after the restart" "$(cat "$work/watch.out" "$work/watch.err")"; fi
docker run -d --name w3 local/busybox:1 /bin/busybox sleep 30 >/dev/null
docker restart -t 0 w3 >/dev/null
for _ in $(seq 1 300); do [ "$(grep -c '"container":"w3"' "$work/watch.out")" -ge 2 ] && break; sleep 0.1; done
w3=$(grep '"container":"w3"' "$work/watch.out" | grep CG-CAP-002 | python3 -c 'import json,sys; print(" ".join(json.loads(l)["event"] for l in sys.stdin))')
if [ "$w3" = "create start" ]; then ok "watch: docker run checked once, a restart again"; else bad "watch: w3 events checked: $w3"; fi
kill -TERM "$watch"
wait "$watch"
wstatus=$?
if [ "$wstatus" = 0 ]; then ok "watch: SIGTERM ends it cleanly"; else bad "watch: exit $wstatus after SIGTERM" "$(cat "$work/watch.err")"; fi
if ! grep -q "disappeared" "$work/watch.err"; then ok "watch: a container gone before it started is not replayed"; else bad "watch: a container from before it started" "$(cat "$work/watch.err")"; fi
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$work/watch.out"; then ok "watch: every line is JSON"; else bad "watch: a line is not JSON"; fi
run "check with the daemon stopped" 2 sh -c "kill \$(cat $dir/pid); sleep 2; exec $bin check --docker" &&
  has "the stopped daemon: a clear error" "is the Docker daemon running?" err

echo "engine live tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
