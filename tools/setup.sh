#!/usr/bin/env bash
# tools/setup.sh: install what building and testing ringvisor needs on Debian 12.
# Called by `make run`, `make check` and .ci/run; a no-op when all is present.
# Usage: tools/setup.sh [base|bochs|linux|check|debian]...   (default: base)
# check: the test tools of make check and check-tcg: capstone for
# tools/pvlint.py, clang with libFuzzer (compiler-rt) for tests/fuzz/.
set -u
want_base="nasm gcc gcc-multilib make qemu-system-x86 grub-pc-bin grub-common xorriso mtools python3"
want_bochs="bochs bochs-term bochsbios vgabios"
want_linux="linux-source-6.1 bc flex bison libelf-dev libssl-dev cpio xz-utils tmux"
want_check="python3-capstone clang libclang-rt-14-dev"
want_debian="debootstrap debian-archive-keyring e2fsprogs"

missing=""
need() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; done; }
[ $# -eq 0 ] && set -- base
for set in "$@"; do
  case "$set" in
    base) need $want_base ;;
    bochs) need $want_bochs ;;
    linux) need $want_linux ;;
    check) need $want_check ;;
    debian) need $want_debian ;;
    *) echo "setup.sh: unknown package set '$set'" >&2; exit 2 ;;
  esac
done
[ -z "$missing" ] && exit 0
echo "setup.sh: installing:$missing"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
# An index that fails to download (a mirror mid-sync) must not stop us: check
# afterwards that what we need is installable instead of trusting apt-get update's exit code.
$SUDO apt-get update -qq || echo "setup.sh: apt-get update reported errors; continuing"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/tmp/ringvisor-setup.log 2>&1 || {
  echo "setup.sh: apt-get install failed; see /tmp/ringvisor-setup.log" >&2; tail -20 /tmp/ringvisor-setup.log >&2; exit 1; }
echo "setup.sh: done"
