#!/usr/bin/env bash
# Records the Engine API responses that the unit tests of runtime/engine/ parse
# (tests/unit/runtime/engine/fixtures/), from a real dockerd started here:
#   bash tests/engine-live/record-fixtures.sh
# A compose project (docker-compose, containers created, one started) and a plain container,
# then each response byte for byte as curl receives it (headers kept where the client reads them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../unit/runtime/engine/fixtures
. "$here/lib.sh"
dir=$(mktemp -d /tmp/capguard-record.XXXXXX)
trap 'engine_clean "$dir"; rm -rf "$dir" /tmp/capguard-record' EXIT
engine_start "$dir"
export DOCKER_HOST=unix://$dir/sock
api() { curl -sS --unix-socket "$dir/sock" "$@"; }

# The project lives at a fixed path, so that its labels (working_dir) are the same at every
# recording: the unit tests move it to a temporary folder.
project=/tmp/capguard-record/project
rm -rf /tmp/capguard-record && mkdir -p "$project"
cp "$out/compose.yaml" "$project/compose.yaml"
(cd "$project" && docker-compose -p demo up --no-start >/dev/null 2>&1)
docker start demo_web_1 >/dev/null
docker create --name plain --cap-drop ALL local/busybox:1 /bin/busybox sleep 10 >/dev/null

api -D "$out/ping.headers" -o /dev/null http://localhost/_ping
sed -i 's/^Date: .*/Date: (recorded)\r/' "$out/ping.headers"
api http://localhost/version >"$out/version.json"
api http://localhost/v1.41/containers/json >"$out/containers_running.json"
api 'http://localhost/v1.41/containers/json?all=1' >"$out/containers_all.json"
api -G http://localhost/v1.41/containers/json --data-urlencode all=1 \
  --data-urlencode 'filters={"label":["com.docker.compose.project=demo"]}' \
  >"$out/containers_project_demo.json"
for c in demo_web_1 demo_db_1 demo_app_1 plain; do
  api "http://localhost/v1.41/containers/$c/json" >"$out/inspect_$c.json"
done
api http://localhost/v1.41/containers/no-such-container/json >"$out/error_no_such_container.json"
api -G http://localhost/v1.41/containers/json --data-urlencode 'filters={"colour":["red"]}' \
  >"$out/error_bad_filter.json"
# Events: those of the last minute, up to now, for the kinds `watch` follows.
now=$(date +%s)
api -G http://localhost/v1.41/events --data-urlencode since=$((now - 60)) \
  --data-urlencode until=$((now + 1)) \
  --data-urlencode 'filters={"type":["container"],"event":["create","start"]}' >"$out/events.jsonl"
echo "recorded into $out"
