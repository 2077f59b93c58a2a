#!/usr/bin/env bash
# ctest entry textmate_grammar: installs vscode-textmate and vscode-oniguruma (the engine VS Code
# uses, pinned by package-lock.json) under WORK_DIR with `npm ci` when they are not there yet,
# then runs run.js on the annotated samples. Skipped (exit 77) only when node is not installed.
#
# The valid policies of the repository (stdlib-policies/, examples/policies/) are also tokenized:
# no token of theirs may be scoped invalid.illegal.
#
# Usage: run.sh WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: run.sh WORK_DIR}"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed; the TextMate grammar test needs node (Debian: apt-get install nodejs npm)"
  exit 77
fi
mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Sublime Text reads the plist form: it must hold the same grammar.
python3 - "$here/../capguard.tmLanguage.json" "$here/../capguard.tmLanguage" <<'PY'
import json, plistlib, sys
grammar = json.load(open(sys.argv[1]))
grammar.pop("$schema", None)
if plistlib.load(open(sys.argv[2], "rb")) != grammar:
    sys.exit("capguard.tmLanguage differs from capguard.tmLanguage.json: regenerate it (editors/README.md)")
PY
CLEAN_DIRS="$here/../../../stdlib-policies:$here/../../../examples/policies" \
  NODE_PATH="$work/node_modules" exec node "$here/run.js" "$here/../capguard.tmLanguage.json"
