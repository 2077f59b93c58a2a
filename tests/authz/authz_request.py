#!/usr/bin/env python3
"""Wraps a recorded request (tests/unit/runtime/authz/requests/*.json: method, uri, body) into the
JSON dockerd posts to /AuthZPlugin.AuthZReq (moby pkg/authorization.Request), on stdout."""
import base64, json, sys

rec = json.load(open(sys.argv[1]))
req = {"RequestMethod": rec["method"], "RequestUri": rec["uri"]}
if "body" in rec:
    raw = json.dumps(rec["body"], separators=(",", ":")).encode() + b"\n"
    req["RequestBody"] = base64.b64encode(raw).decode()
    req["RequestHeaders"] = {"Content-Type": "application/json"}
print(json.dumps(req))
