#!/usr/bin/env python3
"""Checks a capguard authz decision log: every line is one JSON object; decisions carry every
field of spec/authz.md; the privileged create was refused naming CG-PRIV-001."""
import json, sys

fields = ["time", "user", "method", "uri", "call", "container", "decision", "reason", "policies",
          "waived", "message", "duration_us"]
decisions = 0
privileged = False
for n, line in enumerate(open(sys.argv[1]), 1):
    entry = json.loads(line)
    if "event" in entry:
        continue
    decisions += 1
    missing = [f for f in fields if f not in entry]
    if missing:
        sys.exit(f"line {n}: missing {missing}")
    if entry["decision"] == "deny" and "CG-PRIV-001" in entry["policies"]:
        privileged = True
if decisions == 0 or not privileged:
    sys.exit(f"{decisions} decisions, privileged refusal logged: {privileged}")
print(f"{decisions} decisions checked")
