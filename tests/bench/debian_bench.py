#!/usr/bin/env python3
"""tests/bench/debian_bench.py: Debian 12 on ringvisor against the same kernel
native, under the same QEMU (TCG, -icount shift=0,sleep=off), side by side
in one run (issue 12; make bench-debian).

    tests/bench/debian_bench.py [--seconds S] [--stressors a,b,...] BUILD

For each platform (ringvisor: build/linux/vmlinux under the monitor, the
disk an IDE region; native: build/linux/native/bzImage from the same source
and options, virtio-blk-pci and virtio-net-pci) on a fresh copy of the image:
  boot      on plain TCG (no icount): systemd-analyze's kernel + userspace
            (to the default target) in guest time, and wall time from QEMU's
            start to the console's login prompt.  Not under icount: with
            sleep=off an idle guest's clock jumps to its next timer, so a
            native guest waiting for virtio-blk-pci (QEMU completes it in
            real time) or for entropy shows tens of guest seconds that are
            no work (ringvisor's monitor does its disk I/O inside the
            hypercall, so it never waits idle for it);
  stress-ng booted again under -icount shift=0,sleep=off: each stressor of
            debian_test.STRESSORS for S guest seconds (default 2), one
            instance, as nobody, --metrics-brief: bogo ops/s (real, i.e.
            guest, time = instructions).
Writes a Markdown table with the ratios (ringvisor / native for times,
native / ringvisor for rates: above 1 means ringvisor is slower) to stdout
and build/bench-results/debian.md, and the numbers to debian.json.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import debian_vm as vm  # noqa: E402
from debian_test import STRESSORS, bogo_ops, stress_cmd  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]


def seconds(s):
    """systemd-analyze's '1min 2.345s' / '812ms' in seconds."""
    t = 0.0
    for num, unit in re.findall(r"([\d.]+)(min|ms|us|s)", s):
        t += float(num) * {"min": 60, "s": 1, "ms": 1e-3, "us": 1e-6}[unit]
    return t


def boot(build, native, img, name, qemu_extra):
    log = os.path.join(build, "debian", "logs", "bench-%s.log" % name)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    m = vm.Machine(build, [(img, "", "")], native=native, qemu_extra=qemu_extra, log=log)
    t = m.login(timeout=1200)
    if t is None:
        m.kill()
        raise RuntimeError("%s: no login prompt (see %s)" % (name, log))
    return m, t


def measure(build, native, secs, stressors):
    """The boot (plain TCG: guest time is real time, so a wait for the disk
    counts as it does on a machine) and the stressors (under icount: guest
    time counts instructions, whatever the host's load) on one platform."""
    name = "native" if native else "ringvisor"
    img = vm.fresh_image(build, "bench-" + name)
    r = {"platform": name}
    try:
        m, r["login_wall_s"] = boot(build, native, img, name + "-boot", [])
        m.run("systemctl is-system-running --wait", 600)
        _, out = m.run("systemd-analyze time | head -1")
        k = re.search(r"in (.*?) \(kernel\)", out)
        u = re.search(r"\+ (.*?) \(userspace\)", out)
        r["boot_kernel_s"] = seconds(k.group(1)) if k else None
        r["boot_userspace_s"] = seconds(u.group(1)) if u else None
        r["boot_guest_s"] = (r["boot_kernel_s"] or 0) + (r["boot_userspace_s"] or 0)
        m.kill()
        m, _ = boot(build, native, img, name + "-stress", ICOUNT)
        r["stress"] = {}
        for s in stressors:
            _, out = m.run(stress_cmd(s, secs), 600)
            ops = bogo_ops(out, s)
            r["stress"][s] = ops[1] if ops else None
        m.kill()
    finally:
        vm.cleanup(img)
    return r


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "-"


def table(rv, nat, stressors):
    lines = ["| measure | ringvisor | native | ratio |", "|---|---:|---:|---:|"]
    for key, what in (("boot_guest_s", "boot to default target, guest s (systemd-analyze)"),
                      ("boot_kernel_s", "  of it the kernel, guest s"),
                      ("login_wall_s", "boot to login prompt, wall s")):
        a, b = rv.get(key), nat.get(key)
        lines.append("| %s | %s | %s | %s |" % (what, "%.2f" % a if a else "-", "%.2f" % b if b else "-",
                                               ratio(a, b)))
    for s in stressors:
        a, b = rv["stress"].get(s), nat["stress"].get(s)
        lines.append("| stress-ng %s, bogo ops/s | %s | %s | %s |" % (
            s, "%.1f" % a if a else "-", "%.1f" % b if b else "-", ratio(b, a)))
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    secs, stressors = 2, list(STRESSORS)
    while args and args[0].startswith("--"):
        if args[0] == "--seconds":
            secs = int(args[1])
        elif args[0] == "--stressors":
            stressors = args[1].split(",")
        args = args[2:]
    build = args[0] if args else os.path.join(vm.ROOT, "build")
    rv = measure(build, False, secs, stressors)
    nat = measure(build, True, secs, stressors)
    md = ("## Debian 12 on ringvisor vs native (QEMU TCG, 256 MiB; boot on plain TCG, stress-ng under -icount shift=0,sleep=off)\n\n"
          "ratio: ringvisor/native for times, native/ringvisor for rates (1.00 = as fast as native; "
          "above 1 = ringvisor slower)\n\n" + table(rv, nat, stressors) + "\n")
    print(md)
    out = os.path.join(build, "bench-results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "debian.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out, "debian.json"), "w") as f:
        json.dump({"ringvisor": rv, "native": nat, "seconds": secs}, f, indent=1)


if __name__ == "__main__":
    main()
