#!/usr/bin/env python3
"""Generates the whole-process benchmark corpus (bench/README.md, "Whole process").

  bench/gen_corpus.py compose OUT_DIR COUNT [--seed N] [--services N [--repeat K]] [--jsonl FILE]
      COUNT compose projects, OUT_DIR/NNNNN.yaml, realistic: 1 to 20 services each (or exactly
      --services N), a mix of hardened and careless services, 0.5 to 50 KB, with comments,
      anchors, environment lists and maps, healthchecks, deploy limits, volumes, networks.
      --repeat K writes each generated service K times (renamed: "web", "web-r1", ...).
      --jsonl also writes the same documents as JSON lines (one document a line) for jq.
  bench/gen_corpus.py inspect OUT_FILE COUNT [--seed N] [--jsonl FILE] [--layout L]
      one JSON array of COUNT containers, as `docker inspect` prints it (indented; --layout dump:
      as Python's json.dump() writes it, one line; --layout min: minified), made from the
      three containers of bench/data/inspect-templates.json (inspected from dockerd 20.10: a
      default one, a hardened one, a careless one) with varied ids, names, images and settings.
      About 6.6 KB a container: capguard's 64 MiB input limit holds ~9,500 of them.

Deterministic: the same arguments give the same bytes.
"""
import argparse
import copy
import json
import os
import random
import sys

IMAGES = [
    "nginx:1.27", "redis:7.2-alpine", "postgres:16", "busybox:1.36", "traefik:v3.1",
    "grafana/grafana:11.2.0", "prom/prometheus:v2.54.1", "mariadb:11",
    "ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "registry.example.com/team/worker:2024.11.3", "node:20-bookworm-slim", "python:3.12-slim",
]
WORDS = ["api", "web", "worker", "db", "cache", "queue", "proxy", "auth", "search", "metrics",
         "mailer", "scheduler", "gateway", "billing", "reports", "uploads", "notify", "admin"]
CAPS = ["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "NET_RAW", "CHOWN", "SETUID", "SETGID",
        "DAC_OVERRIDE", "SYS_TIME", "MKNOD", "AUDIT_WRITE", "KILL"]


def q(s):
    """A YAML scalar, quoted when it needs to be."""
    s = str(s)
    if s == "" or any(c in s for c in ":#{}[],&*!|>'\"%@`") or s[0] in "-? " or \
            s.lower() in ("true", "false", "yes", "no", "null", "on", "off") or s[-1] == " ":
        return json.dumps(s)
    try:
        float(s)
        return json.dumps(s)
    except ValueError:
        return s


class Compose:
    """Builds one compose project as YAML text and as a plain object (for the JSON lines)."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.obj = {}

    def emit(self, indent, text):
        self.lines.append("  " * indent + text)


def service(rng, name, hardened, big):
    """(yaml lines at indent 2, object) of one service."""
    r = rng.random
    lines, obj = [], {}
    if r() < 0.3:
        lines.append(f"# {name}: {rng.choice(['owned by the platform team', 'see runbook', 'TODO: pin the image digest', 'public endpoint'])}")
    img = rng.choice(IMAGES)
    lines.append(f"image: {q(img)}")
    obj["image"] = img
    if r() < 0.4:
        lines.append(f"container_name: {name}-{rng.randint(1, 9)}")
        obj["container_name"] = name
    if r() < 0.3:
        lines.append("restart: unless-stopped")
        obj["restart"] = "unless-stopped"
    if hardened:
        lines += ["read_only: true", "cap_drop:", "  - ALL"]
        obj["read_only"] = True
        obj["cap_drop"] = ["ALL"]
        if r() < 0.5:
            lines += ["cap_add:", "  - NET_BIND_SERVICE"]
            obj["cap_add"] = ["NET_BIND_SERVICE"]
        lines += ["security_opt:", "  - no-new-privileges:true"]
        obj["security_opt"] = ["no-new-privileges:true"]
        if r() < 0.4:
            lines.append("  - apparmor:docker-default")
            obj["security_opt"].append("apparmor:docker-default")
        uid = rng.choice(["1000:1000", "65534", "app"])
        lines.append(f"user: {q(uid)}")
        obj["user"] = uid
        lines += ["tmpfs:", "  - /tmp:size=64m,mode=1777"]
        obj["tmpfs"] = ["/tmp:size=64m,mode=1777"]
        lines += ["deploy:", "  resources:", "    limits:", f"      cpus: {q('0.5')}",
                  f"      memory: {rng.choice(['128M', '256M', '1G'])}", f"      pids: {rng.choice([64, 128, 256])}"]
        obj["deploy"] = {"resources": {"limits": {"cpus": "0.5", "memory": "256M", "pids": 128}}}
    else:
        if r() < 0.35:
            lines.append("privileged: true")
            obj["privileged"] = True
        if r() < 0.5:
            added = rng.sample(CAPS, rng.randint(1, 3))
            lines.append("cap_add: [" + ", ".join(added) + "]")
            obj["cap_add"] = added
        if r() < 0.3:
            opt = rng.choice(["seccomp:unconfined", "apparmor:unconfined", "label:disable"])
            lines += ["security_opt:", f"  - {q(opt)}"]
            obj["security_opt"] = [opt]
        if r() < 0.2:
            lines.append(f"pid: {rng.choice(['host', 'service:db'])}")
            obj["pid"] = "host"
        if r() < 0.2:
            lines.append("network_mode: host")
            obj["network_mode"] = "host"
        if r() < 0.25:
            lines += ["devices:", "  - /dev/fuse:/dev/fuse"]
            obj["devices"] = ["/dev/fuse:/dev/fuse"]
    # Ports, environment, volumes, labels, healthcheck: the bulk of real files.
    if r() < 0.6:
        lines.append("ports:")
        obj["ports"] = []
        for _ in range(rng.randint(1, 3)):
            p = rng.choice([80, 443, 8080, 5432, 6379, 9090, 3000])
            spec = rng.choice([f"{p}:{p}", f"127.0.0.1:{p + 10000}:{p}", f"{p}"])
            lines.append(f"  - {q(spec)}")
            obj["ports"].append(spec)
    nenv = rng.randint(0, 6 + (30 if big else 0))
    if nenv:
        obj["environment"] = {}
        as_map = r() < 0.5
        if as_map:
            lines.append("environment:")
            for i in range(nenv):
                k, v = f"{name.upper()}_SETTING_{i}", f"value-{rng.randint(0, 99999)}"
                lines.append(f"  {k}: {q(v)}")
                obj["environment"][k] = v
        else:
            lines.append("environment:")
            for i in range(nenv):
                k, v = f"{name.upper()}_OPTION_{i}", f"v{rng.randint(0, 99999)}"
                lines.append(f"  - {k}={v}")
                obj["environment"][k] = v
        if not hardened and r() < 0.3:
            lines.append("  DB_PASSWORD: hunter2" if as_map else "  - DB_PASSWORD=hunter2")
            obj["environment"]["DB_PASSWORD"] = "hunter2"
    nvol = rng.randint(0, 4 + (10 if big else 0))
    if nvol:
        lines.append("volumes:")
        obj["volumes"] = []
        for i in range(nvol):
            kind = rng.random()
            if kind < 0.4:
                v = f"{name}-data-{i}:/var/lib/{name}/{i}"
                lines.append(f"  - {v}")
            elif kind < 0.7:
                ro = ":ro" if hardened else ""
                v = f"./config/{name}/{i}.conf:/etc/{name}/{i}.conf{ro}"
                lines.append(f"  - {v}")
            elif kind < 0.85 and not hardened:
                v = "/var/run/docker.sock:/var/run/docker.sock"
                lines.append(f"  - {v}")
            else:
                v = f"/srv/{name}/{i}"
                lines += ["  - type: bind", f"    source: {v}", f"    target: /data/{i}",
                          f"    read_only: {'true' if hardened else 'false'}"]
            obj["volumes"].append(v)
    if r() < 0.5:
        lines += ["healthcheck:", f"  test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:{rng.choice([80, 8080])}/health\"]",
                  "  interval: 30s", "  timeout: 5s", "  retries: 3"]
        obj["healthcheck"] = {"test": ["CMD", "wget"], "interval": "30s"}
    nlab = rng.randint(0, 3 + (20 if big else 0))
    if nlab:
        lines.append("labels:")
        obj["labels"] = {}
        for i in range(nlab):
            k = f"com.example.{name}.label{i}"
            v = f"traefik.http.routers.{name}.rule=Host(`{name}{i}.example.com`)"
            lines.append(f"  {k}: {q(v)}")
            obj["labels"][k] = v
    if r() < 0.4:
        lines += ["logging:", "  driver: json-file", "  options:", '    max-size: "10m"', '    max-file: "3"']
        obj["logging"] = {"driver": "json-file"}
    if r() < 0.5:
        lines += ["networks:", f"  - {rng.choice(['front', 'back'])}"]
        obj["networks"] = ["front"]
    if r() < 0.3:
        lines += ["command: [\"--config\", \"/etc/" + name + "/main.conf\", \"--verbose\"]"]
        obj["command"] = ["--config"]
    return lines, obj


def compose_text(rng, nservices, repeat=1):
    big = rng.random() < 0.25
    lines = ["# generated by bench/gen_corpus.py", "name: " + rng.choice(WORDS) + "-stack", ""]
    obj = {"services": {}}
    if rng.random() < 0.3:
        lines += ["x-common: &common", "  restart: unless-stopped", "  logging:",
                  "    driver: json-file", ""]
    lines.append("services:")
    hardened_share = rng.choice([0.0, 0.3, 0.7, 1.0])
    used = set()
    made = []
    for i in range(nservices):
        name = rng.choice(WORDS)
        if name in used:
            name = f"{name}{i}"
        used.add(name)
        hardened = rng.random() < hardened_share
        made.append((name,) + service(rng, name, hardened, big))
    # --repeat K: the same services K times (renamed), for the linearity measurement.
    for k in range(repeat):
        for name, body, sobj in made:
            key = name if k == 0 else f"{name}-r{k}"
            lines.append(f"  {key}:")
            lines += ["    " + l for l in body]
            obj["services"][key] = sobj
    lines += ["", "networks:", "  front: {}", "  back:", "    internal: true", "", "volumes:"]
    for name in sorted(used):
        lines.append(f"  {name}-data-0: {{}}")
    return "\n".join(lines) + "\n", obj


def gen_compose(args):
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    jl = open(args.jsonl, "w") if args.jsonl else None
    sizes = []
    for n in range(args.count):
        ns = args.services or rng.randint(1, 20)
        text, obj = compose_text(rng, ns, args.repeat)
        # Keep within 0.5 - 50 KB (a few 20-service "big" files would pass 50 KB: fewer services).
        while len(text) > 50_000 and ns > 1 and not args.services:
            ns -= 1
            text, obj = compose_text(rng, ns)
        with open(os.path.join(args.out, f"{n:05d}.yaml"), "w") as f:
            f.write(text)
        if jl:
            jl.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sizes.append(len(text))
    if jl:
        jl.close()
    sizes.sort()
    print(f"{args.count} files, {sum(sizes)} bytes, sizes {sizes[0]} .. {sizes[-1]}, "
          f"median {sizes[len(sizes) // 2]}", file=sys.stderr)


def gen_inspect(args):
    rng = random.Random(args.seed)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "data", "inspect-templates.json")) as f:
        templates = json.load(f)
    out = open(args.out, "w")
    jl = open(args.jsonl, "w") if args.jsonl else None
    out.write("[\n" if args.layout == "docker" else "[")
    for n in range(args.count):
        c = copy.deepcopy(templates[rng.randrange(len(templates))])
        cid = "%064x" % rng.getrandbits(256)
        name = f"{rng.choice(WORDS)}-{n}"
        c["Id"] = cid
        c["Name"] = "/" + name
        for k in ("ResolvConfPath", "HostnamePath", "HostsPath", "LogPath"):
            if c.get(k):
                c[k] = c[k].replace(templates[0]["Id"], cid)
        c["Config"]["Hostname"] = cid[:12]
        c["Config"]["Image"] = rng.choice(IMAGES)
        hc = c["HostConfig"]
        if rng.random() < 0.2:
            hc["CapAdd"] = rng.sample(CAPS, 2)
        if rng.random() < 0.1:
            hc["Privileged"] = True
        if rng.random() < 0.3:
            c["Config"]["Env"] = (c["Config"].get("Env") or []) + [f"K{i}=v{rng.randint(0, 999)}" for i in range(5)]
        last = n + 1 == args.count
        if args.layout == "docker":
            text = json.dumps(c, indent=4)
            out.write("    " + text.replace("\n", "\n    "))
            out.write("\n" if last else ",\n")
        elif args.layout == "dump":
            out.write(json.dumps(c) + ("" if last else ", "))
        else:
            out.write(json.dumps(c, separators=(",", ":")) + ("" if last else ","))
        if jl:
            jl.write(json.dumps(c, separators=(",", ":")) + "\n")
    out.write("]\n" if args.layout == "docker" else "]")
    out.close()
    if jl:
        jl.close()
    print(f"{args.count} containers, {os.path.getsize(args.out)} bytes", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["compose", "inspect"])
    p.add_argument("out")
    p.add_argument("count", type=int)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--services", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="compose: each service K times")
    p.add_argument("--jsonl")
    p.add_argument("--layout", choices=["docker", "dump", "min"], default="docker",
                   help="inspect: the array as docker prints it, as json.dump() writes it, minified")
    args = p.parse_args()
    (gen_compose if args.kind == "compose" else gen_inspect)(args)


if __name__ == "__main__":
    main()
