#!/usr/bin/env python3
"""Parity of the two sides of capguard against a real Docker Engine.

For every compose file of the corpus, the containers are created (never started) by the engine,
inspected, and `capguard check --format json` runs with the whole standard library on the compose
file and on the inspect JSON. Per service, the SET of policy ids reported on both sides must be
equal. Run by tests/engine/run.sh, which starts the private daemon; this script only needs its
socket (DOCKER_HOST=unix://PATH).

Two ways of creating the containers (tests/engine/README.md):
  corpus/compose/*.yaml  docker-compose 1.29 (compose v1) `up --no-start`, where v1 sends what
                         docker compose v2 sends;
  corpus/api/*.yaml      fields compose v1 rejects or translates differently: each service's
                         `x-engine-api` holds the Engine API request (Config and HostConfig keys)
                         that docker compose v2 sends for it (pkg/compose/create.go); the script
                         posts it to /containers/create with the image, the compose labels and
                         the project's networks, as docker compose v2 does.
"""

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import urllib.parse

import yaml

# Fields that reach the engine through the Engine API (corpus/api), with why compose v1 cannot
# create them as docker compose v2 does. Printed by --list-api-fields and kept in the README.
API_FIELDS = {
    "cgroup": "compose v1 rejects the key (docker compose v2: HostConfig.CgroupnsMode)",
    "security_opt systempaths=unconfined": "compose v1 passes it to the daemon, which rejects it;"
                                           " v2 sends empty MaskedPaths and ReadonlyPaths",
    "deploy.resources.limits.pids": "compose v1 rejects the key (v2: PidsLimit)",
    "use_api_socket": "compose v1 rejects the key (v2: a bind of /var/run/docker.sock)",
    "healthcheck.start_interval": "compose v1 rejects the key (v2: Healthcheck.StartInterval)",
    "network_mode/pid/ipc in other cases (HOST)": "sent as written by v2; v1 too, but the case"
                                                  " tests are kept with the namespace requests",
    "network_mode/pid/ipc service:NAME": "compose v1 resolves it only against a running container"
                                         " (none with --no-start) and sends the default; v2 sends"
                                         " container:ID of the service's container",
    "seccomp=FILE": "compose v1 sends the path, which the daemon cannot read; v2 sends the file's"
                    " JSON",
    "uts, long-syntax port host_ip, integer user": "compose v1 rejects them",
}


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


class Engine:
    def __init__(self, sock):
        self.sock = sock

    def call(self, method, path, body=None, ok=(200, 201, 204, 304)):
        conn = UnixHTTPConnection(self.sock)
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, "/v1.41" + path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        if resp.status not in ok:
            raise RuntimeError(f"{method} {path}: {resp.status} {raw.decode(errors='replace')}")
        return json.loads(raw) if raw.strip() else None

    def project_containers(self, project):
        flt = urllib.parse.quote(json.dumps({"label": [f"com.docker.compose.project={project}"]}))
        return self.call("GET", f"/containers/json?all=1&filters={flt}")

    def inspect(self, cid):
        return self.call("GET", f"/containers/{cid}/json")

    def remove_project(self, project):
        for c in self.project_containers(project):
            self.call("DELETE", f"/containers/{c['Id']}?force=1&v=1", ok=(204, 404))
        flt = urllib.parse.quote(json.dumps({"label": [f"com.docker.compose.project={project}"]}))
        for n in self.call("GET", f"/networks?filters={flt}"):
            self.call("DELETE", f"/networks/{n['Id']}", ok=(204, 404))
        vols = self.call("GET", f"/volumes?filters={flt}")
        for v in vols.get("Volumes") or []:
            self.call("DELETE", f"/volumes/{v['Name']}", ok=(204, 404))


def project_name(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    return "cg" + re.sub(r"[^a-z0-9]", "", stem.lower())


def create_v1(path, project, env):
    cmd = ["docker-compose", "-p", project, "-f", path, "up", "--no-start"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"docker-compose failed on {path}:\n{r.stdout}{r.stderr}")


def create_api(engine, path, project, env):
    """Create each service of an api/ file as docker compose v2 does: project networks named
    PROJECT_KEY (or their `name`), containers PROJECT-SERVICE-1 with the compose labels."""
    text = os.path.expandvars(open(path).read())
    doc = yaml.safe_load(text)
    labels = {"com.docker.compose.project": project}
    declared = doc.get("networks") or {}
    created = {}

    def network(key):
        spec = declared.get(key) or {}
        name = spec.get("name") or f"{project}_{key}"
        if key not in created:
            if not spec.get("external"):
                body = {"Name": name, "Driver": spec.get("driver") or "bridge",
                        "Internal": bool(spec.get("internal")),
                        "Labels": dict(labels, **{"com.docker.compose.network": key})}
                engine.call("POST", "/networks/create", body)
            created[key] = name
        return created[key]

    ids = {}

    def resolve_service_mode(mode):
        # docker compose v2 (pkg/compose/convergence.go) sends service:NAME as container:ID of
        # that service's container; the corpus lists the service before the ones joining it.
        if isinstance(mode, str) and mode.startswith("service:"):
            return "container:" + ids[mode[len("service:"):]]
        return mode

    for svc, spec in (doc.get("services") or {}).items():
        request = spec.get("x-engine-api") or {}
        body = {"Image": spec["image"],
                "Labels": dict(labels, **{"com.docker.compose.service": svc,
                                          "com.docker.compose.container-number": "1"})}
        body.update(request.get("Config") or {})
        host = dict(request.get("HostConfig") or {})
        for key, hkey in (("pid", "PidMode"), ("ipc", "IpcMode")):
            if isinstance(spec.get(key), str) and spec[key].startswith("service:"):
                host[hkey] = resolve_service_mode(spec[key])
        mode = resolve_service_mode(spec.get("network_mode"))
        if mode is None:
            nets = spec.get("networks") or ["default"]
            keys = list(nets) if isinstance(nets, (list, dict)) else ["default"]
            names = [network(k) for k in keys]
            host.setdefault("NetworkMode", names[0])
            body["NetworkingConfig"] = {"EndpointsConfig": {names[0]: {"Aliases": [svc]}}}
            extra = names[1:]
        else:
            host.setdefault("NetworkMode", mode)
            extra = []
        body["HostConfig"] = host
        res = engine.call("POST", f"/containers/create?name={project}-{svc}-1", body)
        ids[svc] = res["Id"]
        for name in extra:
            engine.call("POST", f"/networks/{name}/connect", {"Container": res["Id"]})


def policy_ids(capguard, target, extra_args):
    """service name -> set of policy ids, plus the run's errors (exit 2)."""
    r = subprocess.run([capguard, "check", "--format", "json"] + extra_args
                       + [target], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"capguard check {target} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    report = json.loads(r.stdout)
    ids = {}
    for f in report.get("findings", []):
        ids.setdefault(f["service"], set()).add(f["policy"])
    return ids


def run_file(engine, capguard, path, env, workdir, params):
    project = project_name(path)
    engine.remove_project(project)
    try:
        if os.sep + "api" + os.sep in path:
            create_api(engine, path, project, env)
        else:
            create_v1(path, project, env)
        inspected = [engine.inspect(c["Id"]) for c in engine.project_containers(project)]
    finally:
        engine.remove_project(project)
    inspect_file = os.path.join(workdir, project + ".inspect.json")
    with open(inspect_file, "w") as f:
        json.dump(inspected, f, indent=1)
    by_container = {}
    for c in inspected:
        by_container[c["Name"].lstrip("/")] = c["Config"]["Labels"]["com.docker.compose.service"]
    file_ids = policy_ids(capguard, path, params)
    inspect_ids_by_name = policy_ids(capguard, inspect_file, params)
    inspect_ids = {}
    for name, ids in inspect_ids_by_name.items():
        inspect_ids.setdefault(by_container.get(name, name), set()).update(ids)
    services = sorted(set(by_container.values()))
    results = []
    for svc in services:
        a = file_ids.get(svc, set())
        b = inspect_ids.get(svc, set())
        results.append((svc, a, b))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capguard", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--param", action="append", default=[],
                    help="a --param passed to both sides (the daemon's configuration)")
    ap.add_argument("--only", default="", help="a regular expression on the corpus file paths")
    args = ap.parse_args()
    sock = os.environ["DOCKER_HOST"].removeprefix("unix://")
    engine = Engine(sock)
    params = [p for kv in args.param for p in ("--param", kv)]
    env = dict(os.environ)
    files = []
    for sub in ("compose", "api"):
        d = os.path.join(args.corpus, sub)
        files += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".yaml"))
    files = [f for f in files if re.search(args.only, f)]
    passed = failed = 0
    errors = 0
    for path in files:
        rel = os.path.relpath(path, args.corpus)
        try:
            results = run_file(engine, args.capguard, path, env, args.workdir, params)
        except Exception as e:  # one file's failure is reported, the others still run
            print(f"ERROR {rel}: {e}")
            errors += 1
            continue
        if not results:
            print(f"ERROR {rel}: no container was created")
            errors += 1
        for svc, a, b in results:
            if a == b:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {rel} service {svc}:"
                      f" file only {sorted(a - b)}, inspect only {sorted(b - a)}")
    print(f"{len(files)} files, {passed + failed} services, {errors} files in error")
    print(f"{passed} passed, {failed + errors} failed")
    return 0 if failed == 0 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
