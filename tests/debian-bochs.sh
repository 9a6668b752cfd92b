#!/usr/bin/env bash
# tests/debian-bochs.sh BUILD: Debian 12 on ringvisor on Bochs, the CPU that
# enforces segment limits (make check-debian-strict; issue 12).
#
# Bochs has no Multiboot loader (the monitor and the guest go on a GRUB ISO,
# tools/mkiso.sh) and its COM1 is a file, so nobody types: the kernel
# command line runs the image's /usr/local/sbin/rvcheck (linux/debian/rvcheck,
# systemd.run=) once systemd is up, and powers off.  The image, a fresh copy,
# is Bochs' ata0-slave (disk=ata1:...).  Passes when rvcheck reports
# multi-user.target active and no failed unit, the userland answers, its stressors complete, the
# guest powers off with code 0, and no oops or killed domain shows.
# Prints PASS/FAIL lines and `N passed, N failed`; the log is
# BUILD/debian/logs/bochs.log.  DEBIAN_BOCHS_TIMEOUT (default 7200 s): Bochs is slow, about 2-3
# million guest instructions a second here, and systemd's boot is billions
# (issue 12: 18 min of Bochs reached sysinit.target).
set -u
build=${1:-build}
timeout_s=${DEBIAN_BOCHS_TIMEOUT:-7200}
src=$build/debian/rootfs.ext4
if [ ! -f "$src" ] || [ ! -f "$build/linux/vmlinux" ]; then
    echo "SKIP debian-bochs: no $src or $build/linux/vmlinux (make debian-image linux)"
    echo "0 passed, 0 failed, 1 skipped"; exit 0
fi
mkdir -p "$build/debian/logs"
log=$build/debian/logs/bochs.log
img=$build/debian/bochs.ext4
iso=$build/debian/bochs.iso
cp --sparse=always "$src" "$img"
sectors=$(( $(stat -c %s "$img") / 512 ))
args="console=hvc0 root=/dev/vda ro systemd.run=/usr/local/sbin/rvcheck systemd.run_success_action=poweroff"
tools/mkiso.sh "$iso" "$build/monitor.elf" autoexit \
    "$build/linux/vmlinux name=deb1 mem=256M disk=ata1:0+$sectors -- $args" >/dev/null || exit 2
start=$(date +%s)
tools/run-bochs.sh --serial "$log" --megs 384 --timeout "$timeout_s" --disk "$img" "$iso" \
    >"$log.bochs" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
rm -f "$iso"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "PASS debian-bochs-$1"; else failed=$((failed + 1)); echo "FAIL debian-bochs-$1: $3"; fi; }
l() { sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$log" | tr -d '\r'; }
echo "  Bochs ran ${secs} s (exit $rc); $(l | grep -a 'RVCHECK boot' | sed 's/.*RVCHECK //')"
l | grep -a 'RVCHECK' | sed 's/^/  /'
check state "l | grep -aq 'RVCHECK multi-user active' && l | grep -aqE 'RVCHECK failed *$'" "$(l | grep -aE 'RVCHECK (multi-user|failed)' || echo 'no RVCHECK lines')"
check userland "l | grep -aq 'RVCHECK python3 42' && l | grep -aq 'RVCHECK apt apt 2'" "python3/apt did not answer"
check stress "l | grep -a 'RVCHECK stress' | grep -q . && ! l | grep -a 'RVCHECK stress' | grep -q ' 0$'" "a stressor failed"
check poweroff "l | grep -aq 'd1 deb1: exit poweroff code 0'" "no exit poweroff code 0"
check clean "! l | grep -aE 'Oops|BUG:|Kernel panic|: killed' | grep -q ." "$(l | grep -aE 'Oops|BUG:|Kernel panic|: killed' | head -2)"
rm -f "$img"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
