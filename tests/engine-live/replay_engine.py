#!/usr/bin/env python3
"""Replays responses recorded from a real dockerd (tests/unit/runtime/engine/fixtures/) on a
unix socket, for the cases a live daemon cannot produce on demand:

  replay_engine.py SOCKET [--gone NAME] [--api VERSION] [--huge NAME] [--hang]

--gone NAME: the container NAME is in the list but its inspect answers the recorded 404 (a
container removed between the list and the inspect). --api VERSION: the engine claims this API
version (an engine too old). --huge NAME: the inspect of NAME is its recorded answer padded past
8 MiB (an answer past its bound). --hang: the container list never comes (a timeout). Serves
until killed."""
import argparse
import json
import os
import socketserver
import time
from http.server import BaseHTTPRequestHandler

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit", "runtime",
                        "engine", "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("socket")
    p.add_argument("--gone", default="")
    p.add_argument("--api", default="")
    p.add_argument("--huge", default="")
    p.add_argument("--hang", action="store_true")
    args = p.parse_args()
    listed = json.loads(fixture("containers_all.json"))
    by_id = {c["Id"]: c["Names"][0].lstrip("/") for c in listed}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, body, headers=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (an answer past its bound)

        def do_GET(self):
            path = self.path.split("?")[0]
            parts = path.strip("/").split("/")
            if parts and parts[0].startswith("v1."):
                parts = parts[1:]
            if parts == ["_ping"]:
                api = args.api or "1.41"
                return self.answer(200, b"OK", [("Api-Version", api)])
            if parts == ["version"]:
                v = json.loads(fixture("version.json"))
                if args.api:
                    v["ApiVersion"] = args.api
                return self.answer(200, json.dumps(v).encode())
            if parts == ["containers", "json"]:
                if args.hang:
                    time.sleep(3600)
                return self.answer(200, fixture("containers_all.json"))
            if len(parts) == 3 and parts[0] == "containers" and parts[2] == "json":
                name = by_id.get(parts[1], parts[1])
                if name == args.gone or not os.path.exists(
                        os.path.join(FIXTURES, "inspect_%s.json" % name)):
                    return self.answer(404, fixture("error_no_such_container.json"))
                body = fixture("inspect_%s.json" % name)
                if name == args.huge:
                    doc = json.loads(body)
                    doc["Config"]["Labels"]["padding"] = "x" * (9 << 20)
                    body = json.dumps(doc).encode()
                return self.answer(200, body)
            self.answer(404, b'{"message":"page not found"}')

    class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
        daemon_threads = True

        def get_request(self):
            request, _ = super().get_request()
            return request, ("local", 0)  # BaseHTTPRequestHandler wants an address pair

    if os.path.exists(args.socket):
        os.unlink(args.socket)
    with Server(args.socket, Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
