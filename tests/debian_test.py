#!/usr/bin/env python3
"""tests/debian_test.py: Debian 12 i386 as a ringvisor guest (issue 12).

    tests/debian_test.py [--short] BUILD

Each boot runs the monitor under QEMU TCG with Debian guests on copies of
build/debian/rootfs.ext4 (tests/debian_vm.py), logs in as root on the
console and checks what the guest answers:

  boot        systemd reaches a login on hvc0; `systemctl is-system-running
              --wait` says running, or degraded with only the units of
              ALLOWED failed (each explained there); no oops, no killed domain
  userland    apt-get --version, python3 arithmetic, dpkg -l counts the
              packages, the uplink got its DHCP address (10.0.2.x)
  stress      stress-ng, each stressor of STRESSORS for 3 s with --verify, as
              nobody: every one "successful run completed" with bogo ops > 0
  poweroff    `systemctl poweroff`: the monitor reports exit poweroff code 0
  persist     a file written in one boot is there in the next (an IDE disk
              region, disk=ata0:...)
  reboot      restart=reboot: `systemctl reboot` brings the guest up again,
              the monitor restarts it from its module
  crash-fsck  a guest killed (sysrq c: panic) in the middle of a 64 MiB
              write: the image, its journal replayed, is e2fsck -fn clean
  ping        two Debian guests on the monitor's switch, each on its own
              image and address, ping each other
--short (make check): boot + userland + poweroff only.  Prints PASS/FAIL/
SKIP lines and `N passed, N failed, N skipped`; logs in build/debian/logs/.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian_vm as vm  # noqa: E402

# Units that may fail in a ringvisor guest, each with the reason.  Anything
# else failing fails the boot test.  Empty: the image boots to "running"
# (no RTC, no hwclock unit in minbase; no static getty on a missing device).
ALLOWED = {}
STRESSORS = ["fork", "exec", "vm", "mmap", "pipe", "futex", "sem", "signal", "timer",
             "clock", "cpu", "tee", "memcpy", "brk", "stack", "sigsegv"]

results = []


def report(status, name, why=""):
    results.append(status)
    print("%s debian-%s%s" % (status, name, (": " + why) if why else ""))
    sys.stdout.flush()


def check(name, ok, why=""):
    report("PASS" if ok else "FAIL", name, "" if ok else why)
    return ok


def bad_lines(text):
    """Guest oopses and monitor kill lines in a console log."""
    pats = [r"Oops|BUG:|general protection|Kernel panic|segfault at", r"\(rv\) d\d+ \S+: killed"]
    return [ln for ln in text.splitlines() if any(re.search(p, ln) for p in pats)]


def boot_checks(m, t_login):
    if not check("boot", t_login is not None, "no login prompt"):
        return False
    print("  login prompt after %.1f s (wall)" % t_login)
    rc, out = m.run("systemctl is-system-running --wait", 300)
    state = (out or "").strip().splitlines()[-1:] or ["?"]
    state = state[0].strip()
    failed = []
    if state == "degraded":
        _, lst = m.run("systemctl --failed --plain --no-legend | cut -d' ' -f1")
        failed = [u for u in lst.split() if u.endswith((".service", ".mount", ".socket", ".target",
                                                         ".timer", ".device", ".swap", ".path"))]
    unexplained = [u for u in failed if u not in ALLOWED]
    for u in failed:
        print("  failed unit %s: %s" % (u, ALLOWED.get(u, "NOT EXPLAINED")))
    return check("multi-user", state in ("running", "degraded") and not unexplained,
                 "state %r, unexplained failed units %s" % (state, unexplained))


def userland_checks(m):
    rc, out = m.run("apt-get --version | head -1")
    check("apt", rc == 0 and out.strip().startswith("apt 2."), repr(out))
    rc, out = m.run("python3 -c 'print(6*7, 2**70 % 1000003)'")
    check("python3", rc == 0 and out.strip() == "42 %d" % (2 ** 70 % 1000003), repr(out))
    rc, out = m.run("dpkg -l | grep -c '^ii'")
    n = int(out.strip()) if rc == 0 and out.strip().isdigit() else 0
    check("dpkg", n >= 100, "dpkg -l counted %r" % out)
    print("  dpkg -l: %d packages installed" % n)
    rc, out = m.run("for i in $(seq 30); do ip -4 -o addr show | grep -q 'inet 10[.]0[.]2[.]' && break; sleep 1; done;"
                    " ip -4 -o addr show | grep -o 'inet 10[.]0[.]2[.][0-9]*'", 60)
    check("dhcp", rc == 0 and "inet 10.0.2." in out, repr(out))


def stress_cmd(stressor, secs, extra=""):
    """stress-ng as nobody in /tmp: its exec stressor will not run as root."""
    # vm and mmap would map 256 MiB each by default: the whole guest.
    return ("(cd /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups "
            "stress-ng --%s 1 --timeout %d %s --vm-bytes 64M --mmap-bytes 64M --metrics-brief 2>&1)"
            % (stressor, secs, extra))


METRIC = re.compile(r"metrc: \[\d+\] ([\w-]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")


def bogo_ops(out, stressor):
    """(bogo ops, bogo ops/s in real time) of stressor from --metrics-brief, or None."""
    for m in METRIC.finditer(out):
        if m.group(1) == stressor:
            return int(m.group(2)), float(m.group(6))
    return None


def stress_checks(m):
    bad = []
    for s in STRESSORS:
        rc, out = m.run(stress_cmd(s, 3, "--verify") + " | tail -6", 120)
        ops = bogo_ops(out, s)
        ok = (rc == 0 and "successful run completed" in out and ops is not None and ops[0] > 0
              and not re.search(r"fail(ed|ure)[: ]+[1-9]", out))
        if not ok:
            bad.append(s)
            print("  stress-ng --%s: %s" % (s, out.strip().replace("\n", " | ")[-300:]))
    check("stress-ng", not bad, "failed stressors %s" % bad)


def poweroff(m, name="poweroff"):
    start = m.mark()
    m.type("systemctl poweroff\n")
    ok = m.wait_for(r"\(rv\) d1 deb1: exit poweroff code 0", start, 180)
    rc = m.close(60)
    return check(name, ok is not None, "no 'exit poweroff code 0' (qemu rc %s)" % rc)


def logs_of(build, name):
    d = os.path.join(build, "debian", "logs")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name + ".log")


def boot_one(build, img, name, opts="", args="", uplink=True):
    m = vm.Machine(build, [(img, args, opts)], uplink=uplink, log=logs_of(build, name))
    return m, m.login()


def test_main(build, short):
    img = vm.fresh_image(build, "test1")
    m, t = boot_one(build, img, "boot")
    if boot_checks(m, t):
        userland_checks(m)
        if not short:
            stress_checks(m)
            m.run("echo ringvisor-persist-$$ >/root/persist; cat /root/persist; sync")
        poweroff(m)
    else:
        m.kill()
    bad = bad_lines(m.text())
    check("clean-log", not bad, "; ".join(bad[:3]))
    if short:
        vm.cleanup(img)
        return
    # The next boot: the file is there; then restart=reboot brings it back.
    m, t = boot_one(build, img, "reboot", opts="restart=reboot")
    if check("boot-again", t is not None, "no login prompt"):
        rc, out = m.run("cat /root/persist")
        check("persist", rc == 0 and "ringvisor-persist-" in out, repr(out))
        start = m.mark()
        m.type("systemctl reboot\n")
        restarted = m.wait_for(r"restarting from module", start, 180)
        again = m.login(start, 600) if restarted else None
        check("reboot", restarted is not None and again is not None,
              "restarted=%s login=%s" % (bool(restarted), again))
        if again:
            poweroff(m, "poweroff-after-reboot")
        else:
            m.kill()
    else:
        m.kill()
    vm.cleanup(img)
    crash_fsck(build)
    two_guests(build)


def crash_fsck(build):
    img = vm.fresh_image(build, "crash")
    m, t = boot_one(build, img, "crash")
    if not check("crash-boot", t is not None, "no login prompt"):
        m.kill()
        return
    start = m.mark()
    m.type("(dd if=/dev/urandom of=/root/big bs=64k count=1024 conv=fsync 2>/dev/null &"
           " sleep 4; echo c >/proc/sysrq-trigger)\n")
    died = m.wait_for(r"\(rv\) d1 deb1: exit (crash|reboot)", start, 180)
    m.kill()
    check("crash", died is not None, "the guest did not die")
    # The journal replayed (what the kernel does at the next mount), then a
    # full read-only check must find nothing.
    j = subprocess.run(["e2fsck", "-E", "journal_only", "-y", img], capture_output=True, text=True)
    r = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True)
    check("fsck", r.returncode == 0, "e2fsck -fn exit %d: %s" % (r.returncode, r.stdout[-400:]))
    print("  journal replay: exit %d; e2fsck -fn: exit %d" % (j.returncode, r.returncode))
    vm.cleanup(img)


def two_guests(build):
    imgs = [vm.fresh_image(build, "ping%d" % i) for i in (1, 2)]
    guests = [(imgs[i], "systemd.hostname=deb%d ip=192.168.7.%d:::255.255.255.0::eth0:off" % (i + 1, i + 1), "")
              for i in range(2)]
    m = vm.Machine(build, guests, uplink=False, log=logs_of(build, "ping"))
    t = m.login()
    # Not the focus: its lines come prefixed, and its getty's prompt (no
    # newline) is held back; the issue line before it says it is up.
    up2 = m.wait_for(r"\[d2 deb2\] Debian GNU/Linux 12 deb2 hvc0", 0, 300)
    if check("two-boot", t is not None and up2 is not None, "login 1 %s, guest 2 %s" % (t, bool(up2))):
        rc, out = m.run("ping -c 3 -W 5 192.168.7.2", 60)
        check("ping", rc == 0 and " 0% packet loss" in out, out[-300:])
        rc, out = m.run("ip neigh show 192.168.7.2")
        print("  neighbour: %s" % out.strip())
        m.kill()
    else:
        m.kill()
    for i in imgs:
        vm.cleanup(i)


def main():
    args = sys.argv[1:]
    short = "--short" in args
    args = [a for a in args if a != "--short"]
    build = args[0] if args else os.path.join(vm.ROOT, "build")
    if not vm.have_image(build):
        report("SKIP", "boot", "no build/debian/rootfs.ext4 (make debian-image)")
    elif not os.path.exists(os.path.join(build, "linux", "vmlinux")):
        report("SKIP", "boot", "no build/linux/vmlinux (make linux)")
    else:
        test_main(build, short)
    p, f, s = (results.count(x) for x in ("PASS", "FAIL", "SKIP"))
    print("%d passed, %d failed, %d skipped" % (p, f, s))
    sys.exit(1 if f else 0)


if __name__ == "__main__":
    main()
