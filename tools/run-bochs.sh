#!/usr/bin/env bash
# tools/run-bochs.sh: boot a GRUB ISO (tools/mkiso.sh) in Bochs, headless.
#
#   tools/run-bochs.sh [--serial FILE] [--megs N] [--timeout SEC] [--disk IMG] FILE.iso
#
# Bochs is the strict CPU here: it checks segment limits, which QEMU TCG
# does not.  --disk IMG: a raw disk image as ata0-slave (the monitor's
# disk=ata1:...).  COM1 goes to FILE (default: build/bochs-serial.log), port
# 0xE9 to stdout, Bochs' own log to stderr.  The run ends when the monitor writes
# "Shutdown" to port 0x8900 (its `autoexit`), on a triple fault or an
# emulator panic, or after SEC seconds (exit status 124).  Bochs exits 1
# in all the other cases: read the serial log, not the exit status.
set -euo pipefail

die() { echo "run-bochs.sh: $*" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
serial=build/bochs-serial.log megs=128 timeout="" disk=""
while [ $# -gt 0 ]; do
  case "$1" in
    --serial) serial=$2; shift 2 ;;
    --megs) megs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    -*) die "unknown option '$1'" ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || die "usage: $0 [--serial FILE] [--megs N] [--timeout SEC] [--disk IMG] FILE.iso"
iso=$1
[ -f "$iso" ] || die "no ISO '$iso'"
command -v bochs >/dev/null || die "bochs is not installed (tools/setup.sh bochs)"
case "$iso$serial" in *'"'*|*'|'*) die "quote or '|' in a path" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rv-bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$serial")"
: >"$serial"
sed -e "s|@ISO@|$(realpath "$iso")|" -e "s|@SERIAL@|$(realpath "$serial")|" \
    -e "s|@MEGS@|$megs|" "$here/bochsrc.in" >"$tmp/bochsrc"
if [ -n "$disk" ]; then
  [ -f "$disk" ] || die "no disk image '$disk'"
  echo "ata0-slave: type=disk, path=\"$(realpath "$disk")\", mode=flat" >>"$tmp/bochsrc"
fi
# Debian's Bochs starts in its debugger; "c" continues at once.
echo c >"$tmp/cont"
cmd=(bochs -q -f "$tmp/bochsrc" -rc "$tmp/cont")
# Not exec: the trap must clean up.  stdin is closed so that a return to
# the debugger prompt ends the run instead of waiting for a user.
if [ -n "$timeout" ]; then
  timeout -k 2 "$timeout" "${cmd[@]}" </dev/null || exit $?
else
  "${cmd[@]}" </dev/null || exit $?
fi
