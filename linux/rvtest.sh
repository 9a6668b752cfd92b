#!/bin/sh
# linux/rvtest.sh: the in-guest part of the Linux boot test (issue 5),
# installed as /etc/rvtest.sh and run by /init when the kernel command line
# holds `rvtest`.  Every check prints `RVTEST ok <name>` or `RVTEST FAIL
# <name>`; at the end the number of failures becomes the exit code the guest
# powers off with (sched_op shutdown through /sys/module/ringvisor), which
# the monitor prints as `exit poweroff code N` and tools/linux-test.sh checks.
fails=0
ok() { echo "RVTEST ok $1"; }
fail() { echo "RVTEST FAIL $1"; fails=$((fails + 1)); }
check() { name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

echo "RVTEST begin"
uname -a
check uname test -n "$(uname -r)"

# The kernel runs in ring 1: it says so in a read-only parameter and dmesg.
ring=$(cat /sys/module/ringvisor/parameters/kernel_ring 2>/dev/null)
echo "kernel ring: ${ring:-unknown}"
dmesg | grep -i 'ringvisor:.*ring' | head -3
check kernel-ring-1 test "$ring" = 1
rvtest ring
check user-ring-3 sh -c 'rvtest ring | grep -q "ring 3"'

check mount-proc test -r /proc/self/stat
check mount-sys test -d /sys/kernel
grep -E '^(proc|sysfs) ' /proc/mounts

last_pid() { cut -d' ' -f5 /proc/loadavg; }
p0=$(last_pid)
check fork-exec-200 rvtest forkexec 200 /bin/true
p1=$(last_pid)
echo "pids used by the 200 fork+exec: $((p1 - p0))"

n=$(seq 1 1000 | grep 7 | sort -r | wc -l)
echo "pipeline: seq | grep 7 | sort -r | wc -l = $n"
check pipeline test "$n" = 271

free | head -2
check memtouch-64M rvtest memtouch 64
free | head -2

check sleep-1s rvtest sleep 1000

rvtest segv
st=$?
echo "segv exit status: $st (139 = killed by SIGSEGV)"
check sigsegv test "$st" = 139
check alive-after-segv sh -c 'echo still here >/dev/null'
dmesg | tail -3

echo "RVTEST end: $fails failure(s)"
echo "$fails" >/sys/module/ringvisor/parameters/exit_code
poweroff -f
