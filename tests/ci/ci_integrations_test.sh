#!/usr/bin/env bash
# ci_integrations_test.sh CAPGUARD SOURCE_DIR
# The CI integrations do what they say, run here as their hosts would run them:
# - SARIF reports validate against the SARIF 2.1.0 schema and JUnit reports against the JUnit
#   schema their consumers read (tests/schemas/), with findings, waivers and input errors;
# - .pre-commit-hooks.yaml's hooks, run by pre-commit itself (`pre-commit try-repo`), fail on a
#   privileged service and an unformatted policy, and pass on clean files;
# - action.yml's check step, run with the inputs GitHub would pass, writes the SARIF report and
#   records the exit code; the GitLab template's script writes its JUnit and SARIF artefacts.
# Tools that are not installed (pre-commit, xmllint, python3-jsonschema) are reported as skipped.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PATH=$(dirname "$bin"):$PATH NO_COLOR=1
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Inputs: every example project, plus one broken file so that error reporting is covered too.
cp -r "$src/examples/compose" "$tmp/compose"
printf 'services:\n  web: [unclosed\n' >"$tmp/compose/broken.yaml"
inputs=("$tmp"/compose/*/compose.yaml "$tmp/compose/broken.yaml")

capguard check --format sarif -o "$tmp/report.sarif" "${inputs[@]}" >/dev/null 2>&1
[ -s "$tmp/report.sarif" ] && ok || bad "no SARIF report"
if python3 -c 'import jsonschema' 2>/dev/null; then
  if python3 - "$src/tests/schemas/sarif-schema-2.1.0.json" "$tmp/report.sarif" <<'PY'; then ok; else bad "SARIF report does not validate"; fi
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.validate(report, schema, cls=jsonschema.Draft7Validator)
results = report["runs"][0]["results"]
assert results, "no results"
for r in results:  # what GitHub code scanning needs of each result
    assert r["ruleId"] and r["message"]["text"], r
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] and loc["region"]["startLine"] >= 1, r
PY
else
  echo "skip: python3-jsonschema is not installed"; skip=$((skip + 1))
fi
capguard check --format junit -o "$tmp/report.xml" "${inputs[@]}" >/dev/null 2>&1
if command -v xmllint >/dev/null; then
  if xmllint --noout --schema "$src/tests/schemas/junit.xsd" "$tmp/report.xml" 2>"$tmp/xmllint.log"; then
    ok
  else
    bad "JUnit report does not validate: $(cat "$tmp/xmllint.log")"
  fi
  grep -q '<failure' "$tmp/report.xml" && grep -q '<error' "$tmp/report.xml" && ok ||
    bad "JUnit report lacks failures or errors"
else
  echo "skip: xmllint is not installed"; skip=$((skip + 1))
fi

# pre-commit, on a repository of its own.
if command -v pre-commit >/dev/null && command -v git >/dev/null; then
  repo=$tmp/precommit
  mkdir -p "$repo" && cd "$repo" && git init -q && git config user.email t@t && git config user.name t
  printf 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n' >compose.yaml
  printf 'package x\npolicy   "X-1" {\n title "t"\n severity low\n for s in services\n deny when s.privileged\n}\n' >bad.policy
  git add -A
  export PRE_COMMIT_HOME=$tmp/pre-commit-home
  out=$(pre-commit try-repo "$src" capguard-check --files compose.yaml 2>&1)
  [ $? != 0 ] && grep -q 'CG-PRIV-001' <<<"$out" && ok || bad "capguard-check hook passed a privileged service: $out"
  out=$(pre-commit try-repo "$src" capguard-fmt --files bad.policy 2>&1)
  [ $? != 0 ] && grep -q 'bad.policy' <<<"$out" && ok || bad "capguard-fmt hook passed an unformatted policy: $out"
  capguard fmt bad.policy >/dev/null 2>&1
  printf 'services:\n  web:\n    image: nginx:1.27\n' >compose.yaml
  git add -A
  out=$(pre-commit try-repo "$src" capguard-fmt --files bad.policy 2>&1) && ok ||
    bad "capguard-fmt hook failed a formatted policy: $out"
  cd "$tmp"
else
  echo "skip: pre-commit is not installed"; skip=$((skip + 1))
fi

# action.yml: the "capguard check" step's script, with the inputs as GitHub passes them.
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$src/action.yml" >"$tmp/action-check.sh" <<'PY'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(s for s in steps if s.get("id") == "check")["run"])
PY
  mkdir -p "$tmp/gh" && cd "$tmp/gh"
  PATHS="$tmp/compose/traefik-socket" FORMAT=sarif FAIL_ON=high OUTPUT=capguard.sarif ARGS="" \
    GITHUB_OUTPUT=$tmp/gh/output bash -e "$tmp/action-check.sh" >/dev/null 2>&1
  [ -s capguard.sarif ] && grep -qx 'exit-code=1' output && ok ||
    bad "action check step: $(cat output 2>/dev/null), report: $(ls)"
  python3 - "$src/ci/gitlab/capguard.gitlab-ci.yml" >"$tmp/gitlab.sh" <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["capguard"]
print("\n".join(job["script"]))
PY
  mkdir -p "$tmp/gl" && cd "$tmp/gl"
  CAPGUARD_PATHS="$tmp/compose/hardened-api" CAPGUARD_FAIL_ON=high CAPGUARD_ARGS="" \
    bash -e "$tmp/gitlab.sh" >/dev/null 2>&1
  status=$?
  [ $status = 0 ] && [ -s capguard-junit.xml ] && [ -s capguard.sarif ] && ok ||
    bad "GitLab job on a hardened project: status $status, artefacts: $(ls)"
  cd "$tmp"
else
  echo "skip: python3-yaml is not installed"; skip=$((skip + 1))
fi
echo "ci integrations: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
