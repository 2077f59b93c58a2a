#!/usr/bin/env python3
"""Recorded JSON-RPC sessions with `capguard lsp` (tests/lsp/<case>/).

A case folder holds:
  input.jsonl     the messages the client sends, one JSON value a line, each framed with its
                  Content-Length. Blank lines and lines starting with `//` are skipped.
                  `RAW "..."` sends the JSON string's bytes verbatim (for framing errors);
                  `SKIPPED N` sends a frame whose Content-Length is N, with N bytes of spaces.
  expected.jsonl  every message the server writes, one a line (keys sorted, compact), then a
                  last line {"exit_status": N}. Compared whole.
  files/          optional: policy files on disk next to the documents of the session.
`${CASE}` in input.jsonl stands for the case folder's absolute path (for file URIs); it is
written back as `${CASE}` in the output.

Usage: run.py CAPGUARD CASE_DIR...   UPDATE=1 rewrites expected.jsonl (review the diff).
"""
import difflib
import json
import os
import subprocess
import sys


def frames(case_dir):
    data = b""
    placeholder = os.path.abspath(case_dir)
    with open(os.path.join(case_dir, "input.jsonl"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            line = line.replace("${CASE}", placeholder)
            if line.startswith("RAW "):
                data += json.loads(line[4:]).encode("utf-8")
            elif line.startswith("SKIPPED "):
                n = int(line[8:])
                data += b"Content-Length: %d\r\n\r\n" % n + b" " * n
            else:
                body = json.dumps(json.loads(line), ensure_ascii=False).encode("utf-8")
                data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return data


def parse_output(out):
    messages = []
    while out:
        header, sep, rest = out.partition(b"\r\n\r\n")
        if not sep or not header.startswith(b"Content-Length: "):
            messages.append({"unframed_output": out.decode("utf-8", "replace")})
            break
        n = int(header[len(b"Content-Length: "):])
        messages.append(json.loads(rest[:n].decode("utf-8")))
        out = rest[n:]
    return messages


def run_case(capguard, case_dir):
    proc = subprocess.run([capguard, "lsp"], input=frames(case_dir), capture_output=True,
                          timeout=60)
    lines = [json.dumps(m, sort_keys=True, ensure_ascii=False) for m in parse_output(proc.stdout)]
    lines.append(json.dumps({"exit_status": proc.returncode}))
    if proc.stderr:
        lines.append(json.dumps({"stderr": proc.stderr.decode("utf-8", "replace")}))
    text = "\n".join(lines).replace(os.path.abspath(case_dir), "${CASE}") + "\n"
    expected_path = os.path.join(case_dir, "expected.jsonl")
    if os.environ.get("UPDATE") == "1":
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(text)
        return True
    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        expected = ""
    if text == expected:
        return True
    sys.stdout.write("FAIL %s: the session's output differs from expected.jsonl\n" % case_dir)
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                               "expected.jsonl", "actual"))
    return False


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run.py CAPGUARD CASE_DIR...")
    ok = all([run_case(sys.argv[1], d) for d in sys.argv[2:]])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
