#!/usr/bin/env bash
# tools/linux-test.sh: the Linux boot test of issue 5.
#
#   tools/linux-test.sh [--guests N] [--timeout S] [--bochs] MONITOR_ELF VMLINUX
#
# Boots the monitor on QEMU (TCG) with N Linux guests (default 1, each
# mem=128M), or with --bochs on Bochs from a GRUB ISO (tools/mkiso.sh,
# tools/run-bochs.sh): the CPU that checks segment limits, where Linux's
# TLS needs the monitor's 4 GiB segment flips (ABI.md "4 GiB segments";
# the profile line's segfix= counts them).  The guests' kernel command line
# asks /init to run the in-guest test
# (linux/rvtest.sh: uname, ring 1, proc/sys, 200 fork+exec, a pipeline,
# 64 MiB touched, sleep 1 within 10%, a SIGSEGV survived) and to power
# off with the number of failures as its exit code.  Passes when every
# guest printed "RVTEST end: 0 failure(s)" and the monitor reported
# "exit poweroff code 0" for it.  Prints the boot time to init, the
# trapped-instruction counts and the console log path.
set -u
guests=1
timeout_s=${LINUX_TEST_TIMEOUT:-240}
bochs=""
usage="usage: $0 [--guests N] [--timeout S] [--bochs] MONITOR_ELF VMLINUX"
while [ $# -gt 2 ]; do
    case "$1" in
    --guests) guests=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --bochs) bochs=1; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
    esac
done
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
monitor=$1
vmlinux=$2
for f in "$monitor" "$vmlinux"; do
    [ -r "$f" ] || { echo "linux-test: $f missing (make linux)" >&2; exit 2; }
done
log=$(dirname "$vmlinux")/linux-test${bochs:+-bochs}-$guests.log
# The userland is a Multiboot module of its own, handed over as the initrd.
initrd=$(dirname "$vmlinux")/initramfs/initramfs.cpio.gz
[ -f "$initrd" ] || { echo "linux-test: no $initrd (make linux)" >&2; exit 2; }
modules="" isomods=()
for i in $(seq 1 "$guests"); do
    name=linux; [ "$guests" -gt 1 ] && name=linux-$i
    modules="$modules${modules:+,}$vmlinux name=$name mem=128M initrd=next -- console=hvc0 rvtest,$initrd"
    isomods+=("$vmlinux name=$name mem=128M initrd=next -- console=hvc0 rvtest" "$initrd")
done
mem=$((256 + 160 * guests))
start=$(date +%s.%N)
if [ -n "$bochs" ]; then
    # Bochs has no Multiboot loader: GRUB boots the same modules from an ISO.
    # The end of its own log (a line per limit fault before that) is kept
    # next to the console log.
    iso=$log.iso
    here=$(dirname "$0")
    "$here/mkiso.sh" "$iso" "$monitor" autoexit "${isomods[@]}" || exit 2
    "$here/run-bochs.sh" --serial "$log.raw" --megs "$mem" --timeout "$timeout_s" "$iso" \
        </dev/null >"$log.bochs" 2>&1
    rc=$?
    rm -f "$iso"
    tail -n 100 "$log.bochs" >"$log.bochs.tmp" && mv "$log.bochs.tmp" "$log.bochs"
    [ $rc -eq 1 ] && grep -aq "^(rv) all domains stopped" "$log.raw" && rc=0 # the autoexit
else
    # LINUX_QEMU_EXTRA: more QEMU options, e.g. "-icount shift=0,sleep=off".
    # shellcheck disable=SC2086
    timeout "$timeout_s" qemu-system-i386 -nographic -no-reboot -m "$mem" ${LINUX_QEMU_EXTRA:-} -kernel "$monitor" \
        -append autoexit -initrd "$modules" -device isa-debug-exit,iobase=0xf4,iosize=4 \
        </dev/null >"$log.raw" 2>&1
    rc=$?
fi
secs=$(echo "$(date +%s.%N) - $start" | bc)
sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$log.raw" >"$log"
rm -f "$log.raw"
emu=QEMU; [ -n "$bochs" ] && emu=Bochs
[ $rc -eq 124 ] && echo "linux-test: $emu timed out after ${timeout_s}s"

fail=0
for i in $(seq 1 "$guests"); do
    name=linux; [ "$guests" -gt 1 ] && name=linux-$i
    tag="\[d$i $name\]"
    grep -a "^$tag RVTEST" "$log" | sed "s/^/  /"
    up=$(grep -a -o "^$tag init: userland up ([0-9.]* s" "$log" | grep -o "[0-9.]* s" | head -1)
    echo "  d$i $name: boot to init: ${up:-?} (guest clock)"
    grep -a "^(rv) d$i $name: emulated" "$log" | sed "s/^/  /"
    grep -a -o "^(rv) d$i $name: profile: .*segfix=[0-9]*" "$log" | grep -o "segfix=[0-9]*" |
        sed "s/^segfix=/  d$i $name: 4 GiB segment flips: /"
    if grep -aq "^$tag RVTEST end: 0 failure(s)" "$log" &&
       grep -aq "^(rv) d$i $name: exit poweroff code 0" "$log"; then
        echo "linux-test: d$i $name: PASS"
    else
        echo "linux-test: d$i $name: FAIL (see $log)"
        grep -a "^(rv) d$i $name: \(exit\|killed\)" "$log" | sed "s/^/  /"
        fail=1
    fi
done
echo "linux-test: $guests guest(s), $emu exit $rc, ${secs%.*} s wall time, log $log"
exit $fail
