#!/usr/bin/env bash
# man_completion_test.sh CAPGUARD BUILD_DIR SOURCE_DIR
# The generated man pages and shell completions say what --help and spec/ say:
# - every command of `capguard --help` has capguard-COMMAND(1), and every flag of
#   `capguard COMMAND --help` is in it; every page renders with no warning from man;
# - capguard-policy(5) has every section of spec/language.md;
# - the bash script completes commands, flags, a flag's listed values and policy ids; the zsh
#   and fish scripts parse, and fish completes a flag's values (each shell only where installed).
set -u
bin=$1 build=$2 src=$3
man_dir=$build/man comp_dir=$build/completions
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

commands=$("$bin" --help | awk '/^commands:/ {on=1; next} /^$/ {on=0} on {print $1}')
[ -n "$commands" ] || bad "no commands in capguard --help"
for c in $commands; do
  page=$man_dir/capguard-$c.1
  if [ ! -f "$page" ]; then bad "no man page for $c"; continue; fi
  grep -q "^\.B $c\$\|capguard\\\\-$c(1)" "$man_dir/capguard.1" || bad "capguard(1) does not list $c"
  for flag in $("$bin" "$c" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+'); do
    escaped=$(sed 's/-/\\\\-/g' <<<"$flag")
    if grep -q -- "$escaped" "$page"; then ok; else bad "capguard-$c(1) lacks $flag"; fi
  done
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  if [ -z "$warnings" ]; then ok; else bad "capguard-$c(1) renders with warnings: $warnings"; fi
done
policy_page=$man_dir/capguard-policy.5
while IFS= read -r heading; do
  title=$(sed 's/^## //; s/-/\\\\-/g' <<<"$heading" | tr '[:lower:]' '[:upper:]')
  if grep -qF -- ".SH $title" "$policy_page"; then ok; else bad "capguard-policy(5) lacks section '$heading'"; fi
done < <(grep '^## ' "$src/spec/language.md" | sed 's/`//g')
warnings=$(MANWIDTH=80 man --warnings -l "$policy_page" 2>&1 >/dev/null)
[ -z "$warnings" ] && ok || bad "capguard-policy(5) renders with warnings: $warnings"

# bash: complete "capguard WORDS..." and print the candidates, one a line.
bash_complete() {
  PATH=$(dirname "$bin"):$PATH bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _capguard
    printf "%s\n" "${COMPREPLY[@]}"' _ "$comp_dir/capguard" "$@"
}
expect_bash() {  # expect_bash WANTED WORDS...: WANTED is among the candidates
  local wanted=$1; shift
  if bash_complete "$@" | grep -qxF -- "$wanted"; then ok; else bad "bash: '$*' does not offer $wanted"; fi
}
expect_bash check capguard ch
expect_bash --format capguard check --fo
expect_bash sarif capguard check --format ""
expect_bash critical capguard check --fail-on c
expect_bash restricted capguard list --preset r
expect_bash CG-CAP-001 capguard explain CG-CAP
expect_bash CG-CAP-001 capguard check --only CG-CAP
expect_bash --dump-ir capguard compile --d
if bash_complete capguard explain CG-CAP-001 "" | grep -q CG-; then bad "bash: explain offers a second id"; else ok; fi
if command -v zsh >/dev/null; then
  zsh -n "$comp_dir/_capguard" && ok || bad "zsh script does not parse"
else
  echo "skip: zsh is not installed"
fi
if command -v fish >/dev/null; then
  fish -n "$comp_dir/capguard.fish" && ok || bad "fish script does not parse"
  got=$(PATH=$(dirname "$bin"):$PATH fish -c "source $comp_dir/capguard.fish; complete -C 'capguard check --format '")
  grep -q '^junit' <<<"$got" && ok || bad "fish: check --format does not offer junit: $got"
  got=$(PATH=$(dirname "$bin"):$PATH fish -c "source $comp_dir/capguard.fish; complete -C 'capguard tr'")
  grep -q '^trace' <<<"$got" && ok || bad "fish: does not complete trace: $got"
else
  echo "skip: fish is not installed"
fi
echo "man pages and completions: $pass passed, $fail failed"
[ "$fail" = 0 ]
