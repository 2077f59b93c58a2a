#!/usr/bin/env bash
# install_test.sh BUILD_DIR: installs BUILD_DIR/capguard_*.deb with apt in a fresh Debian 12
# (bookworm) root made by debootstrap from Debian's mirror (the root is cached as a tarball in
# $CAPGUARD_ROOT_CACHE, default /var/cache/capguard-test, so later runs skip debootstrap), then runs
# the installed capguard there: --version, check of a compose file (findings, exit 1), the man
# pages and completions in their places; and lintian has nothing to say about the package.
# The package is installed without its recommendations, so without libcurl4: capguard still
# checks files, and `check --docker` (which the static capguard hands to
# /usr/libexec/capguard/capguard-engine) says to install libcurl4 (exit 2); with libcurl4
# installed afterwards, it reaches for the engine.
# Needs root (chroot, mounts).
set -euo pipefail
build=$(cd "$1" && pwd)
deb=$(ls "$build"/capguard_*.deb | head -n 1)
cache=${CAPGUARD_ROOT_CACHE:-/var/cache/capguard-test}
tarball=$cache/bookworm-minbase.tar
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /var/tmp/capguard-root.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

mkdir -p "$cache"
if [ ! -f "$tarball" ]; then
  echo "install test: debootstrap bookworm (minbase) into $root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
    { tail -20 "$root.log"; exit 1; }
  tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -f "$root.log"
else
  tar -C "$root" -xf "$tarball"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >/dev/null

fail=0
expect() {  # expect DESCRIPTION COMMAND...: the command succeeds
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
expect "lintian finds no error or warning" lintian --fail-on error,warning "$deb"
expect "installed at /usr/bin/capguard" test -x "$root/usr/bin/capguard"
expect "--version runs" in_root capguard --version
mkdir -p "$root/tmp/project"
cat >"$root/tmp/project/compose.yaml" <<'YAML'
services:
  web:
    image: nginx:1.27
    privileged: true
YAML
set +e
out=$(in_root sh -c 'cd /tmp/project && capguard check compose.yaml')
status=$?
set -e
expect "check exits 1 on a privileged service (got $status)" test "$status" = 1
expect "check reports CG-PRIV-001" grep -q 'CG-PRIV-001' <<<"$out"
expect "depends on libc6 only" sh -c "dpkg-deb -f '$deb' Depends | grep -qx 'libc6 (>= [0-9.]*)'"
expect "recommends libcurl4" sh -c "dpkg-deb -f '$deb' Recommends | grep -qx libcurl4"
expect "capguard is static (no dynamic loader)" sh -c \
  "file -L '$root/usr/bin/capguard' | grep -q 'static-pie linked'"
expect "capguard-engine installed at /usr/libexec/capguard" \
  test -x "$root/usr/libexec/capguard/capguard-engine"
expect "capguard-engine: no shared library besides libc's" sh -c \
  "! chroot '$root' ldd /usr/libexec/capguard/capguard-engine | grep -v -e linux-vdso -e 'libc\\.so' -e 'libm\\.so' -e ld-linux"
set +e
out=$(in_root capguard check --docker --docker-host unix:///run/capguard-none.sock 2>&1)
status=$?
set -e
expect "check --docker without libcurl4 exits 2 (got $status)" test "$status" = 2
expect "and says to install libcurl4: $out" grep -q \
  'reading containers needs libcurl (Debian: apt install libcurl4): libcurl.so.4' <<<"$out"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4 >/dev/null
set +e
out=$(in_root capguard check --docker --docker-host unix:///run/capguard-none.sock 2>&1)
status=$?
set -e
expect "with libcurl4, check --docker reaches for the socket: $out" grep -q \
  'no socket at /run/capguard-none.sock' <<<"$out"
expect "man page capguard(1)" test -f "$root/usr/share/man/man1/capguard.1.gz" -o \
  -f "$root/usr/share/man/man1/capguard.1"
expect "man page capguard-policy(5)" test -f "$root/usr/share/man/man5/capguard-policy.5.gz" -o \
  -f "$root/usr/share/man/man5/capguard-policy.5"
expect "bash completion" test -f "$root/usr/share/bash-completion/completions/capguard"
expect "spec under share/doc" test -f "$root/usr/share/doc/capguard/spec/language.md"
in_root apt-get remove -y -qq capguard >/dev/null
expect "removed cleanly" test ! -e "$root/usr/bin/capguard"
[ $fail = 0 ] && echo "install test: passed" || echo "install test: FAILED"
exit $fail
