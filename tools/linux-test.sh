#!/usr/bin/env bash
# tools/linux-test.sh: the Linux boot test of issue 5.
#
#   tools/linux-test.sh [--guests N] [--timeout S] MONITOR_ELF VMLINUX
#
# Boots the monitor on QEMU (TCG) with N Linux guests (default 1, each
# mem=128M) whose kernel command line asks /init to run the in-guest test
# (linux/rvtest.sh: uname, ring 1, proc/sys, 200 fork+exec, a pipeline,
# 64 MiB touched, sleep 1 within 10%, a SIGSEGV survived) and to power
# off with the number of failures as its exit code.  Passes when every
# guest printed "RVTEST end: 0 failure(s)" and the monitor reported
# "exit poweroff code 0" for it.  Prints the boot time to init, the
# trapped-instruction counts and the console log path.
set -u
guests=1
timeout_s=${LINUX_TEST_TIMEOUT:-240}
while [ $# -gt 2 ]; do
    case "$1" in
    --guests) guests=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "usage: $0 [--guests N] [--timeout S] MONITOR_ELF VMLINUX" >&2; exit 2 ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: $0 [--guests N] [--timeout S] MONITOR_ELF VMLINUX" >&2; exit 2; }
monitor=$1
vmlinux=$2
for f in "$monitor" "$vmlinux"; do
    [ -r "$f" ] || { echo "linux-test: $f missing (make linux)" >&2; exit 2; }
done
log=$(dirname "$vmlinux")/linux-test-$guests.log
# The userland is a Multiboot module of its own, handed over as the initrd.
initrd=$(dirname "$vmlinux")/initramfs/initramfs.cpio.gz
[ -f "$initrd" ] || { echo "linux-test: no $initrd (make linux)" >&2; exit 2; }
modules=""
for i in $(seq 1 "$guests"); do
    name=linux; [ "$guests" -gt 1 ] && name=linux-$i
    modules="$modules${modules:+,}$vmlinux name=$name mem=128M initrd=next -- console=hvc0 rvtest,$initrd"
done
mem=$((256 + 160 * guests))
start=$(date +%s.%N)
# LINUX_QEMU_EXTRA: more QEMU options, e.g. "-icount shift=0,sleep=off".
# shellcheck disable=SC2086
timeout "$timeout_s" qemu-system-i386 -nographic -no-reboot -m "$mem" ${LINUX_QEMU_EXTRA:-} -kernel "$monitor" \
    -append autoexit -initrd "$modules" -device isa-debug-exit,iobase=0xf4,iosize=4 \
    </dev/null >"$log.raw" 2>&1
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$log.raw" >"$log"
rm -f "$log.raw"
[ $rc -eq 124 ] && echo "linux-test: QEMU timed out after ${timeout_s}s"

fail=0
for i in $(seq 1 "$guests"); do
    name=linux; [ "$guests" -gt 1 ] && name=linux-$i
    tag="\[d$i $name\]"
    grep -a "^$tag RVTEST" "$log" | sed "s/^/  /"
    up=$(grep -a -o "^$tag init: userland up ([0-9.]* s" "$log" | grep -o "[0-9.]* s" | head -1)
    echo "  d$i $name: boot to init: ${up:-?} (guest clock)"
    grep -a "^(rv) d$i $name: emulated" "$log" | sed "s/^/  /"
    if grep -aq "^$tag RVTEST end: 0 failure(s)" "$log" &&
       grep -aq "^(rv) d$i $name: exit poweroff code 0" "$log"; then
        echo "linux-test: d$i $name: PASS"
    else
        echo "linux-test: d$i $name: FAIL (see $log)"
        grep -a "^(rv) d$i $name: \(exit\|killed\)" "$log" | sed "s/^/  /"
        fail=1
    fi
done
echo "linux-test: $guests guest(s), QEMU exit $rc, ${secs%.*} s wall time, log $log"
exit $fail
