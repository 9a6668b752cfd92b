#!/usr/bin/env bash
# tests/linux-suite.sh BUILD: the Linux guest suite of `make check` (issue 5):
# builds the patched kernel (make linux), boots it alone and then two at
# once (tools/linux-test.sh), alone on Bochs (segment limits enforced: make
# check-linux-strict), runs the device tests (tools/linux-devtest.sh:
# ext2 on a virtio disk across boots and a kill, 64 MiB TCP between guests,
# an HTTP fetch from the host's 127.0.0.1 through the uplink, a virtio hvc0),
# the shell through the console as a terminal (tools/linux-term.sh), and
# prints one line per guest and check and the closing
# `N passed, N failed` that tests/run.py folds into the summary.
set -u
build=${1:-build}
make=${RV_MAKE:-make}
passed=0 failed=0
if ! $make --no-print-directory linux >"$build/test-results/linux-build.log" 2>&1; then
    echo "FAIL linux-build: make linux failed (see $build/test-results/linux-build.log)"
    tail -5 "$build/test-results/linux-build.log" | sed 's/^/    /'
    echo "0 passed, 1 failed"
    exit 1
fi
echo "PASS linux-build: $(grep -a 'vmlinux:' "$build/test-results/linux-build.log" | tail -1 | sed 's/^ *//')"
passed=1
# boot_check NAME [linux-test.sh options]: one boot, one line per guest.
boot_check() {
    local name=$1 out line
    shift
    out=$(bash tools/linux-test.sh "$@" "$build/monitor.elf" "$build/linux/vmlinux" 2>&1)
    echo "$out" | sed 's/^/    /'
    while read -r line; do
        case "$line" in
        *": PASS") passed=$((passed + 1)); echo "PASS $name ${line#linux-test: }" ;;
        *": FAIL"*) failed=$((failed + 1)); echo "FAIL $name ${line#linux-test: }" ;;
        esac
    done < <(echo "$out" | grep -E "^linux-test: d[0-9]+ ")
    echo "$out" | grep -q "^linux-test: d" || { failed=$((failed + 1)); echo "FAIL $name: no result"; }
}
for n in 1 2; do
    # Under icount guest time counts instructions: the in-guest `sleep 1`
    # check measures the monitor's latency, not the host's load.
    LINUX_QEMU_EXTRA="-icount shift=0,sleep=off" boot_check linux-$n-guest --guests $n
done
# The monitor on two CPUs (monitor/smp.c: the AP starts and parks; the
# guest runs on cpu 0): the same test passes.  icount runs the CPUs on one
# host thread, in turn.
LINUX_QEMU_EXTRA="-icount shift=0,sleep=off -smp 2" boot_check linux-1-guest-smp2 --guests 1
# The same test on Bochs, the CPU that checks segment limits: Linux's TLS
# (%gs:-N) works there only through the monitor's 4 GiB segment flips.
boot_check linux-strict-1-guest --bochs
# case_check TOOL NAME: runs tools/TOOL.sh, whose lines "TOOL: CASE: PASS|FAIL
# ..." become "PASS|FAIL NAME-CASE" lines here.
case_check() {
    local tool=$1 name=$2 out line
    out=$(bash "tools/$tool.sh" "$build/monitor.elf" "$build/linux/vmlinux" 2>&1)
    echo "$out" | sed 's/^/    /'
    while read -r line; do
        case "$line" in
        *": PASS") passed=$((passed + 1)); echo "PASS $name-${line#$tool: }" ;;
        *": FAIL"*) failed=$((failed + 1)); echo "FAIL $name-${line#$tool: }" ;;
        esac
    done < <(echo "$out" | grep -E "^$tool: [a-z-]+: (PASS|FAIL)")
    echo "$out" | grep -qE "^$tool: [a-z-]+: " || { failed=$((failed + 1)); echo "FAIL $name: no result"; }
}
# The device tests (virtio disks and network): one line per case.
case_check linux-devtest linux-dev
# The shell through the console as a terminal (tmux: a real pty).
case_check linux-term linux-term
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
